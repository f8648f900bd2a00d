import pytest

from pipeline.errors import RulesError
from pipeline.resources import rules_path
from pipeline.rulebook import load_rulebook, parse_rulebook

BASE = rules_path().read_text(encoding="utf-8")


def refuse(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rulebook(text, "custom.yaml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("custom.yaml")
    return message


def test_bundled_rules_load():
    rulebook = load_rulebook()
    assert len(rulebook.rules) > 20


def test_unknown_key_names_rule_and_key():
    text = BASE.replace("    - id: hedge.modal\n", "    - id: hedge.modal\n      colour: red\n", 1)
    message = refuse(text)
    assert "hedge.modal" in message and "colour" in message


def test_duplicate_id_is_refused():
    text = BASE.replace("    - id: hedge.adverb\n", "    - id: hedge.modal\n", 1)
    assert "duplicate id" in refuse(text)


def test_bad_regex_is_refused():
    text = BASE.replace("anchor: [may]", "anchor: [may]\n      pattern_x: 1", 1)
    assert "pattern_x" in refuse(text)
    text = BASE.replace(r"pattern: '\b(?:can|could)\s+be", r"pattern: '\b(?:can|could\s+be", 1)
    message = refuse(text)
    assert "hedge.x.can_home" in message and "bad regular expression" in message


def test_catastrophic_pattern_is_refused():
    text = BASE.replace(r"pattern: '\b(?:can|could)\s+be", r"pattern: '(\w+\s?)*\b(?:can|could)\s+be", 1)
    assert "nested quantifiers" in refuse(text)


def test_bad_label_and_unknown_lexicon():
    text = BASE.replace("      label: true\n      weight: 2.4\n      cues: [may,",
                        "      label: perhaps\n      weight: 2.4\n      cues: [may,", 1)
    assert "label must be one of" in refuse(text)
    text = BASE.replace("anchor: ['@according_to']", "anchor: ['@no_such_lexicon']", 1)
    assert "unknown lexicon" in refuse(text)


def test_line_number_is_named():
    text = BASE.replace("    - id: hedge.modal\n", "    - id: hedge.modal\n      colour: red\n", 1)
    line = text.splitlines().index("      colour: red") + 1
    assert f"custom.yaml:{line}:" in refuse(text)


def test_invalid_yaml_and_empty_file():
    assert "not valid YAML" in refuse("hedging: [unclosed\n")
    assert "empty" in refuse("")


def test_unquoted_yaml_boolean_gets_a_hint():
    text = BASE.replace("  months_before_may: [in, of, 'on',", "  months_before_may: [in, of, on,", 1)
    assert "quote it" in refuse(text)
