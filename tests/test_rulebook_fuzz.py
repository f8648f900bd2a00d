"""Malformed rules files: each is refused with one line naming the file and the key (or line).

Hand-written cases cover each kind of damage once; a hypothesis fuzzer then mutates the bundled
rules.yaml at random and requires that the loader, and a pipeline built from what it accepts,
never fails any other way.
"""

import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import CredscoreError, RulesError
from pipeline.records import DIMENSIONS, Article
from pipeline.resources import rules_path
from pipeline.rulebook import MAX_FILE_BYTES, load_rulebook, parse_rulebook

BASE = rules_path().read_text(encoding="utf-8")
BANDS = re.search(r"^  bands: \{strong: [\d.]+, mixed: [\d.]+\}\n", BASE, re.M).group()
NAME = "fuzz.yaml"
# "fuzz.yaml:12: ..." or "fuzz.yaml: rule 'x' key 'y': ..." or "fuzz.yaml: key 'y': ...".
LOCATED = re.compile(r"^fuzz\.yaml(:\d+)?:( rule '[^']*')?( key '[^']+':)? ")


def refuse(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        parse_rulebook(text, NAME)
    message = str(caught.value)
    assert "\n" not in message and LOCATED.match(message), message
    return message


def replace_once(old: str, new: str) -> str:
    assert BASE.count(old) >= 1, old
    return BASE.replace(old, new, 1)


# -- tabs and YAML syntax ---------------------------------------------------------------------

def test_tab_indentation_names_the_line():
    text = replace_once("    - id: hedge.modal\n", "\t- id: hedge.modal\n")
    line = text.split("\n").index("\t- id: hedge.modal") + 1
    message = refuse(text)
    assert message.startswith(f"{NAME}:{line}:") and "not valid YAML" in message


def test_tab_inside_a_flow_list_names_the_line():
    text = replace_once("cues: [may, ", "cues: [may,\t")
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "[may,\t" in row)
    assert refuse(text).startswith(f"{NAME}:{line}: not valid YAML")


def test_truncated_file_names_a_line():
    cut = BASE[:BASE.index("[may, ") + 4]  # a flow list that never closes
    message = refuse(cut)
    assert "not valid YAML" in message and re.match(rf"{NAME}:\d+:", message)


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(BASE.encode("utf-8") + "\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(RulesError, match=r"latin1\.yaml: cannot read rules file"):
        load_rulebook(path)


# -- wrong types ------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("      weight: 2.4\n", "      weight: heavy\n", "hedging.rules.0.weight"),
    ("      weight: 2.4\n", "      weight: .nan\n", "hedging.rules.0.weight"),
    ("      weight: 2.4\n", "      weight: .inf\n", "hedging.rules.0.weight"),
    ("      weight: 2.4\n", "      weight: [2.4]\n", "hedging.rules.0.weight"),
    ("  heading_max_words: 16\n", "  heading_max_words: '16'\n", "furniture.heading_max_words"),
    ("  max_sentence_chars: 5000\n", "  max_sentence_chars: 0\n", "furniture.max_sentence_chars"),
    ("  max_sentence_chars: 5000\n", "  max_sentence_chars: -5\n", "furniture.max_sentence_chars"),
    (BANDS, "  bands: {strong: high, mixed: 40}\n", "scoring.bands.strong"),
    (BANDS, "  bands: {strong: 65, mixed: 40, great: 90}\n", "scoring.bands.great"),
    ("    attribution_coverage: 0.35", "    attribution_coverage: lots", "scoring.components."
     "attribution_coverage"),
    ("    attribution_coverage: 0.35", "    attribution_kindness: 0.35", "scoring.components."
     "attribution_kindness"),
    ("  source_quality: {named: 1.0,", "  source_quality: {named: [1.0],", "scoring.source_quality.named"),
    ("  source_quality: {named: 1.0,", "  source_quality: {famous: 1.0,", "scoring.source_quality.famous"),
    ("  verification_penalty: {unverified: 1.0,", "  verification_penalty: {unverified: -1,",
     "scoring.verification_penalty.unverified"),
    ("    rule_weight: {hedging: 0.4,", "    rule_weight: {hedging: 1.5,",
     "scoring.fusion.rule_weight.hedging"),
    ("    rule_weight: {hedging: 0.4,", "    rule_weight: {hedgehog: 0.4,",
     "scoring.fusion.rule_weight.hedgehog"),
    ("    rule_weight: {", "    weight_of_rules: {", "scoring.fusion.weight_of_rules"),
    ("  pronouns: [he, she,", "  pronouns: [7, she,", "scoring.pronouns.0"),
    ("      at_least: 1\n", "      at_least: one\n", "scoring.flags.0.at_least"),
    ("    - id: central_claim_unverified_document\n      metric: document_claims_unverified\n",
     "    - central_claim_unverified_document\n    - metric: document_claims_unverified\n",
     "scoring.flags.0"),
    ("hedging:\n", "hedging: []\nunused_hedging:\n", "hedging"),
])
def test_wrong_types_and_ranges_name_the_key(old, new, key):
    message = refuse(replace_once(old, new))
    assert f"key '{key}'" in message


def test_a_rule_that_is_not_a_mapping():
    message = refuse(replace_once("    - id: hedge.modal\n", "    - just a string\n    - id: hedge.modal\n"))
    assert "key 'hedging.rules.0'" in message and "mapping" in message


def test_a_big_integer_is_refused_not_crashed():
    message = refuse(replace_once("      weight: 2.4\n", "      weight: 1" + "0" * 5000 + "\n"))
    assert "hedging.rules.0.weight" in message


def test_python_and_binary_tags_are_refused_without_running_anything():
    for tag in ("!!python/object/apply:os.system ['true']", "!!python/name:os.system",
                "!!binary aGVsbG8=", "!custom thing", "!!set {a, b}"):
        message = refuse(replace_once("      weight: 2.4\n", f"      weight: {tag}\n"))
        assert "hedging.rules.0.weight" in message and "tag" in message, message


# -- unknown keys and duplicates --------------------------------------------------------------

@pytest.mark.parametrize("old, new, key", [
    ("furniture:\n", "colour: red\nfurniture:\n", "colour"),
    ("  heading_max_words: 16\n", "  heading_max_words: 16\n  footer_words: 3\n", "furniture.footer_words"),
    ("quotes:\n", "quotes:\n  smart: true\n", "quotes.smart"),
    ("      at_least: 1\n", "      at_least: 1\n      severity: high\n", "scoring.flags.0.severity"),
    ("        match: [\"It can be residence to a major base.\"]",
     "        match: [\"It can be residence to a major base.\"]\n        maybe: []", "examples.maybe"),
])
def test_unknown_keys_are_named(old, new, key):
    message = refuse(replace_once(old, new))
    assert key in message and "unknown key" in message


def test_duplicate_rule_id_across_dimensions():
    first_source_id = re.search(r"\nsource:\n(?:.*\n)*?    - id: (\S+)\n", BASE).group(1)
    text = replace_once(f"    - id: {first_source_id}\n", "    - id: hedge.modal\n")
    message = refuse(text)
    assert "duplicate id" in message and "hedge.modal" in message


def test_duplicate_yaml_key_names_its_line():
    text = replace_once(BANDS, BANDS + "  bands: {strong: 60, mixed: 30}\n")
    line = text.split("\n").index("  bands: {strong: 60, mixed: 30}") + 1
    message = refuse(text)
    assert message.startswith(f"{NAME}:{line}:") and "duplicate key" in message


# -- empty lexicons, huge files, anchors ------------------------------------------------------

@pytest.mark.parametrize("lexicon", ["[]", "''", "['']", "null", "{}", "['  ']"])
def test_empty_lexicon_is_refused(lexicon):
    text = replace_once("lexicons:\n", f"lexicons:\n  nothing_here: {lexicon}\n")
    message = refuse(text)
    assert "lexicons.nothing_here" in message


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text(BASE + "#" * (MAX_FILE_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(RulesError, match=rf"huge\.yaml: file is larger than {MAX_FILE_BYTES}"):
        load_rulebook(path)


def test_huge_text_given_directly_is_refused():
    assert "larger than" in refuse(BASE + "#" * (MAX_FILE_BYTES + 1) + "\n")


def test_exponential_anchors_are_stopped():
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 10):
        levels.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    text = "lexicons:\n" + "\n".join("  " + line for line in levels) + "\n" + \
        BASE.split("lexicons:\n", 1)[1]
    assert "YAML nodes" in refuse(text)


@pytest.mark.parametrize("text", [
    "lexicons: &loop {again: [*loop]}\n",
    "lexicons:\n  loop: &loop [*loop]\n",
    "lexicons: " + "[" * 5000 + "]" * 5000 + "\n",
    "lexicons: " + "{a: " * 3000 + "b" + "}" * 3000 + "\n",
], ids=["recursive-map", "recursive-list", "deep-lists", "deep-maps"])
def test_recursive_or_deeply_nested_yaml_is_refused(text):
    assert re.search(r"nested|recursive", refuse(text))


def test_a_pattern_with_groups_nested_too_deeply_is_refused():
    # The regex parser and the safety check recurse into groups: a RecursionError once escaped.
    cited = re.search(r"^      pattern: '.*cited.*'$", BASE, re.M).group()
    text = BASE.replace(cited, "      pattern: '" + "(?:" * 3000 + "a" + ")" * 3000 + "'", 1)
    assert "nested too deeply" in refuse(text)


# -- random damage ----------------------------------------------------------------------------

VALUES = ["x", "-1", "0", ".nan", "-.inf", "[]", "{}", "null", "true", "[1, [2]]", "{a: {b: 1}}",
          "'(a+)+'", "'\\w+\\w+x'", "'('", "\"\\t\"", "1e999", "!!binary aGk=", "*nowhere",
          "&anchor x", "'" + "y" * 3000 + "'", "2026-01-01", "~", "0x1F", "'@no_lexicon'"]
KEY_LINE = re.compile(r"^(\s*-?\s*)([\w.]+):(\s*)(.*)$")


def _trim(value, limit: int = 6):
    if isinstance(value, list):
        return [_trim(item) for item in value[:limit]]
    if isinstance(value, dict):
        return {key: _trim(item) for key, item in value.items()}
    return value


def small_rules() -> str:
    """The bundled rules cut to a few rules and phrases per list: same schema, 8× faster to load,
    so the fuzzer can try many damaged copies."""
    raw = yaml.safe_load(BASE)
    small = _trim({key: value for key, value in raw.items() if key not in DIMENSIONS})
    for dim in DIMENSIONS:
        rules = raw[dim]["rules"]
        kept = [rule for rule in rules if not rule.get("cancels")][:4]
        ids = {rule["id"] for rule in kept}
        kept += [rule for rule in rules if rule.get("cancels") and set(rule["cancels"]) <= ids][:2]
        small[dim] = {**_trim({k: v for k, v in raw[dim].items() if k != "rules"}),
                      "rules": [_trim(rule) for rule in kept]}
    return yaml.safe_dump(small, sort_keys=False, allow_unicode=True, width=100)


SMALL_LINES = small_rules().split("\n")


def test_the_fuzzer_starts_from_a_valid_file():
    assert len(parse_rulebook("\n".join(SMALL_LINES), NAME).rules) >= 6


@st.composite
def damaged_rules(draw):
    lines = list(SMALL_LINES)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        kind = draw(st.sampled_from(["value", "key", "tab", "delete", "duplicate", "char", "cut"]))
        i = draw(st.integers(0, len(lines) - 1))
        match = KEY_LINE.match(lines[i])
        if kind == "value" and match:
            lines[i] = f"{match.group(1)}{match.group(2)}: {draw(st.sampled_from(VALUES))}"
        elif kind == "key" and match:
            lines[i] = f"{match.group(1)}{match.group(2)}_x:{match.group(3)}{match.group(4)}"
        elif kind == "tab":
            lines[i] = "\t" + lines[i]
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "char" and lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            char = draw(st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\t \x00\ufeff\u2028é")))
            lines[i] = lines[i][:at] + char + lines[i][at + 1:]
        elif kind == "cut":
            lines = lines[:i]
    return "\n".join(lines)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged_rules())
def test_random_damage_is_refused_cleanly_or_loads_and_scores(text, tmp_path_factory):
    try:
        parse_rulebook(text, NAME)
    except RulesError as error:
        message = str(error)
        assert "\n" not in message and LOCATED.match(message), message
        return
    # Accepted: a pipeline built from it must score an article without an internal error.
    from pipeline.scorer import Pipeline

    path = tmp_path_factory.mktemp("fuzz") / NAME
    path.write_text(text, encoding="utf-8")
    try:
        pipeline = Pipeline(rules_path=path, scorer="rules")
        pipeline.score_article(Article("a", "Officials said the bridge may reopen in May.\n"
                                            "Source: ministry\nThe report was denied by the mayor."))
    except CredscoreError as error:
        assert "\n" not in str(error)


def test_every_component_the_validator_accepts_is_computed():
    from collections import Counter
    from dataclasses import replace

    from pipeline.aggregate import ArticleCounts, components
    from pipeline.rulebook import SCORE_COMPONENTS

    counts = ArticleCounts(claims=1, attributed=1, by_source=Counter(named=1), hedged=0,
                           unsupported_hedged=0, by_verification=Counter(none=1))
    scoring = replace(load_rulebook().scoring, components=dict.fromkeys(SCORE_COMPONENTS, 1.0))
    values = components(counts, scoring)
    assert set(values) == set(SCORE_COMPONENTS)


def test_the_strong_band_must_lie_above_the_mixed_one():
    assert "scoring.bands.strong" in refuse(replace_once(BANDS, "  bands: {strong: 30, mixed: 40}\n"))


def test_the_unverified_document_lexicon_must_exist():
    message = refuse(replace_once("unverified_document_lexicon: '@unverified_document_nouns'",
                                  "unverified_document_lexicon: '@no_such_nouns'"))
    assert "scoring.unverified_document_lexicon" in message and "unknown lexicon" in message
