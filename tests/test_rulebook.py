import re

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
    text = BASE.replace("anchor: ['@according_to', ", "anchor: ['@no_such_lexicon', ", 1)
    assert "unknown lexicon" in refuse(text)
    text = BASE.replace("(?P<cue>mentioned)[.!?]", "(?P<cue>{@no_such_lexicon})[.!?]", 1)
    message = refuse(text)
    assert "unknown lexicon '@no_such_lexicon'" in message and "spin.patterns.1.pattern" in message


def test_requires_names_known_lexicons_and_narrows_an_anchor():
    text = BASE.replace("requires: ['@speaker_titles']", "requires: ['@no_such_lexicon']", 1)
    message = refuse(text)
    assert "source.named.titled" in message and "requires" in message and "unknown lexicon" in message
    text = BASE.replace("      anchor: ['@speech_verbs']\n      requires: ['@speaker_titles']\n",
                        "      requires: ['@speaker_titles']\n", 1)
    assert "needs an 'anchor'" in refuse(text)


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


def test_spin_section_refuses_unknown_keys_and_bad_values():
    text = BASE.replace("  substitution_scale: 1.5\n", "  substitution_scale: 1.5\n  spin_colour: red\n", 1)
    message = refuse(text)
    assert "spin.spin_colour" in message and "unknown key" in message
    line = text.splitlines().index("  spin_colour: red") + 1
    assert f"custom.yaml:{line}:" in message
    text = BASE.replace("    - {spun: non-public navy, original: private military, weight: 1.0}",
                        "    - {spun: non-public navy, orignal: private military}", 1)
    assert "spin.substitutions.0.orignal" in refuse(text)
    assert "must be a pair" in refuse(BASE.replace("      - [said, mentioned]\n",
                                                   "      - [said, mentioned, stated]\n", 1))
    assert "must be above 'low'" in refuse(BASE.replace("    high: 0.55\n", "    high: 0.2\n", 1))
    text = BASE.replace("      weight: 0.5\n      pattern: '\\b(?P<cue>mentioned),?",
                        "      weight: 0.5\n      pattern: '(\\w+\\s?)*\\b(?P<cue>mentioned),?", 1)
    assert text != BASE
    assert "spin.mentioned_opens_quote" in refuse(text)


def test_check_next_section_refuses_unknown_and_missing_reasons():
    text = BASE.replace("    disputed: {text: disputed, weight: 2.0}\n",
                        "    disputed: {text: disputed, weight: 2.0}\n    rumour: {text: x, weight: 1}\n", 1)
    assert "check_next.reasons.rumour" in refuse(text)
    text = BASE.replace("    disputed: {text: disputed, weight: 2.0}\n", "", 1)
    assert "missing reason 'disputed'" in refuse(text)


def test_a_value_left_out_is_refused_by_name():
    # The code keeps no fallback for the numbers and word lists of rules.yaml.
    for line, where, key in [("  flag_at: 0.5\n", "spin", "flag_at"),
                             ("    high: 0.55\n", "spin.word_choice", "high"),
                             ("  max_claims: 3\n", "check_next", "max_claims"),
                             ("  pronouns: [he, she, it, they, we, i, him, her, them]\n", "scoring",
                              "pronouns")]:
        assert line in BASE
        assert f"key '{where}': missing '{key}'" in refuse(BASE.replace(line, "", 1))
    text = BASE.replace("source: 0.6, verification: 0.5}", "source: 0.6}", 1)
    assert "key 'scoring.fusion.rule_weight': missing 'verification'" in refuse(text)
    line = next(x for x in BASE.splitlines() if "paraphrased_rule_weight: {" in x)
    text = BASE.replace(line, re.sub(r",\s*verification: [\d.]+", "", line), 1)
    assert "key 'scoring.fusion.paraphrased_rule_weight': missing 'verification'" in refuse(text)
    text = BASE.replace(", confirmed: 0.0, none: 0.0}", ", confirmed: 0.0}", 1)
    assert "key 'scoring.verification_penalty': missing 'none'" in refuse(text)


def test_unknown_cancel_target_names_the_line():
    text = BASE.replace("      cancels: [hedge.modal]\n", "      cancels: [hedge.no_such_rule]\n", 1)
    message = refuse(text)
    assert "hedge.no_such_rule" in message and "cancels" in message
    line = text.splitlines().index("      cancels: [hedge.no_such_rule]") + 1
    assert f"custom.yaml:{line}:" in message


def test_flags_need_a_known_metric_and_one_threshold():
    text = BASE.replace("      metric: disputed_count\n", "      metric: disputed_cuont\n", 1)
    assert "unknown metric" in refuse(text)
    text = BASE.replace("      metric: disputed_count\n      at_least: 1\n",
                        "      metric: disputed_count\n", 1)
    assert "exactly one of 'above' and 'at_least'" in refuse(text)


def test_flag_metrics_match_what_aggregate_computes():
    from collections import Counter

    from pipeline.aggregate import ArticleCounts, metrics
    from pipeline.rulebook import FLAG_METRICS

    counts = ArticleCounts(claims=0, attributed=0, by_source=Counter(), hedged=0,
                           unsupported_hedged=0, by_verification=Counter())
    assert set(metrics(counts, ())) == set(FLAG_METRICS)


def test_a_moved_key_says_where_it_went():
    text = BASE.replace("check_next:\n", "check_next:\n  determiners: [the]\n", 1)
    message = refuse(text)
    assert "check_next.determiners" in message and "scoring.determiners" in message


def test_paraphrased_fusion_weights_are_optional_and_checked():
    line = next(x for x in BASE.splitlines(True) if "paraphrased_rule_weight: {" in x)
    assert load_rulebook().scoring.paraphrased_rule_weight["source"] == float(
        re.search(r"source: ([\d.]+)", line).group(1))
    message = refuse(BASE.replace(line, re.sub(r"source: [\d.]+", "source: 1.4", line), 1))
    assert "scoring.fusion.paraphrased_rule_weight.source" in message
    without = parse_rulebook(BASE.replace(line, "", 1), "custom.yaml").scoring
    assert without.paraphrased_rule_weight == without.rule_weight
