"""Pattern shapes that backtrack catastrophically are refused at load time; safe ones are not."""

import pytest

from pipeline.errors import RulesError
from pipeline.regex_safety import unsafe_reason
from pipeline.resources import rules_path
from pipeline.rulebook import load_rulebook, parse_rulebook

BASE = rules_path().read_text(encoding="utf-8")
CAN_HOME = r"pattern: '\b(?:can|could)\s+be\s+(?:residence|home|house)\s+to\b'"

# Each of these takes seconds to hours on a sentence of a few dozen to a few thousand characters.
CATASTROPHIC = {
    r"(a+)+b": "nested quantifiers",
    r"(\w+\s?)*$": "nested quantifiers",
    r"(\d+)*x": "nested quantifiers",
    r"(.*)*x": "empty string",
    r"(a?)*b": "empty string",
    r"(?:\w+){0,8}x": "run into each other",
    r"(?:\w\w+){2,5}x": "run into each other",
    r"(a|a)*b": "branches overlap",
    r"(a|ab)*c": "branches overlap",
    r"(?:ab|a)+c": "branches overlap",
    r"(?>(?:a|aa)*)b": "branches overlap",
    r"(?:a\w?)*x": "end can also start it",
    r"\w+\w+x": "adjacent quantifiers",
    r"\d+\s*\d+x": "adjacent quantifiers",
    r".*.*=": "adjacent quantifiers",
    r"(?P<who>\w+)(?P<cue>\w+):": "adjacent quantifiers",
    r"\w+a\w+x": "adjacent quantifiers",
}

SAFE = [
    r"\bmay\b", r"(?:\s+[A-Z][\w’.\-]*){0,4}", r"(?:[\w.]+\s+){0,6}?report", r"[^,]{1,80},",
    r"(?:ab|cd)*e", r"\w+\s+\w+", r"(?:a|b)*c", r"“[^”]{1,2000}”", r"(\w|\d)*x",
    r"(?:abc|ab\w)*d", r"^\s*Source\s*:", r"[^.!?]{0,80}\.?\s*$", r"(?:ac|abc)*d",
]


@pytest.mark.parametrize("pattern", sorted(CATASTROPHIC))
def test_catastrophic_shapes_are_refused_with_a_reason(pattern):
    reason = unsafe_reason(pattern)
    assert reason is not None and CATASTROPHIC[pattern] in reason


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_shapes_pass(pattern):
    assert unsafe_reason(pattern) is None


def test_every_bundled_pattern_passes():
    rulebook = load_rulebook()

    for rule in rulebook.rules:
        if rule.pattern:
            assert unsafe_reason(rule.pattern) is None, rule.id
    for pattern in (*rulebook.metadata_patterns, rulebook.quote_pattern):
        assert unsafe_reason(pattern) is None, pattern


@pytest.mark.parametrize("pattern", [r"(\w+\s?)*$", r"(a|a)*b", r"\w+\w+x", r"(?:\w+){0,8}x"])
def test_loader_refuses_before_any_text_is_scanned(pattern, tmp_path, monkeypatch):
    adversarial = "a" * 5000  # one long 'word' that almost matches: the worst case of each shape
    text = BASE.replace(CAN_HOME, f"pattern: '{pattern}'", 1).replace(
        'match: ["It can be residence to a major base."]', f'match: ["{adversarial}"]', 1)
    assert text != BASE
    path = tmp_path / "user-rules.yaml"
    path.write_text(text, encoding="utf-8")

    scanned = []
    import pipeline.matcher
    import pipeline.segment

    monkeypatch.setattr(pipeline.matcher.Matcher, "evidence", lambda self, t: scanned.append(t))
    monkeypatch.setattr(pipeline.segment.Segmenter, "segment", lambda self, t: scanned.append(t))
    from pipeline.scorer import Pipeline

    with pytest.raises(RulesError) as caught:
        Pipeline(rules_path=path, scorer="rules")
    message = str(caught.value)
    assert message.startswith(f"{path}:") and "\n" not in message
    assert "rule 'hedge.x.can_home'" in message and "key 'hedging.rules." in message
    assert "pattern refused" in message
    assert scanned == []


def test_refused_furniture_pattern_names_its_key():
    text = BASE.replace(r"- '^\s*Source\s*:'", r"- '^(\w+\s?)*Source:'", 1)
    with pytest.raises(RulesError, match=r"key 'furniture\.metadata\.0': pattern refused"):
        parse_rulebook(text, "custom.yaml")
