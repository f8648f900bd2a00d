"""The rule engine: who-spans, quotations, and the anchor window giving the same evidence."""

import dataclasses

from pipeline.matcher import PATTERN_OVERLAP, PATTERN_WINDOW, Matcher
from pipeline.records import SENTENCE
from pipeline.rulebook import load_rulebook
from tests.conftest import EXAMPLES

RULEBOOK = load_rulebook()
MATCHER = Matcher(RULEBOOK)


def test_who_span_and_quotes_are_found():
    text = '"We will not rush this," Council President Mara Lindqvist told reporters.'
    evidence = MATCHER.evidence(text)
    assert [m.who for m in evidence.sources if m.type == "named"][0] == \
        "Council President Mara Lindqvist"
    assert [text[s:e] for s, e in evidence.quotes] == ['"We will not rush this,"']


def test_lexicon_phrases_match_curly_and_straight_apostrophes():
    # document_nouns holds "report's"; pattern rules pull it in through {@document_nouns}.
    for apostrophe in ("'", "’"):
        evidence = MATCHER.evidence(f"The report{apostrophe}s authors said the river was polluted.")
        assert [m.who for m in evidence.sources if m.type == "document"] == [f"The report{apostrophe}s"]


def test_scanning_only_up_to_the_last_anchor_changes_nothing(rules_pipeline):
    full_scan = Matcher(dataclasses.replace(RULEBOOK, rules=tuple(
        dataclasses.replace(rule, ends_at_anchor=False) for rule in RULEBOOK.rules)))
    assert any(rule.ends_at_anchor for rule in RULEBOOK.rules)
    for path in sorted(EXAMPLES.glob("*.txt")):
        for sentence in rules_pipeline.segmenter.segment(path.read_text(encoding="utf-8")):
            if sentence.kind == SENTENCE:
                assert MATCHER.evidence(sentence.text) == full_scan.evidence(sentence.text)


def test_a_phrase_cut_off_by_the_end_of_the_text_is_not_matched():
    # "according" starts the cue "according to"; the text ends before "to".
    evidence = MATCHER.evidence("the figures were published by the ministry according")
    assert not [c for c in evidence.cues if c.text.lower().startswith("according")]


def test_patterns_on_the_lower_cased_sentence_find_what_ignorecase_finds(rules_pipeline):
    # Case-neutral patterns run without re.IGNORECASE on the lower-cased sentence; the rest, and
    # any sentence whose length changes when lower-cased, keep IGNORECASE on the sentence itself.
    ignorecase_only = Matcher(RULEBOOK)
    for compiled in ignorecase_only._patterns:
        object.__setattr__(compiled, "lowered_regex", None)
    assert any(c.lowered_regex is not None for c in MATCHER._patterns)
    texts = [s.text for path in sorted(EXAMPLES.glob("*.txt"))
             for s in rules_pipeline.segmenter.segment(path.read_text(encoding="utf-8"))]
    texts += ["SOME CRITICS ARGUE THE PLAN FAVOURS DEVELOPERS, OFFICIALS SAID.",
              "İstanbul officials, speaking on condition of anonymity, said the report was fake."]
    for text in texts:
        assert MATCHER.evidence(text) == ignorecase_only.evidence(text), text


def test_a_pattern_that_turns_ignorecase_off_is_not_run_on_lower_cased_text():
    from pipeline.matcher import _is_case_neutral

    assert _is_case_neutral(r"\bsaid\s+(?P<who>\w+)\S")
    assert not _is_case_neutral(r"(?:^|(?-i:(?=[a-z])))staff")
    assert not _is_case_neutral(r"[A-Z]\w+ said")
    assert not _is_case_neutral(r"\x41nna said")


def test_a_pattern_runs_only_when_a_required_phrase_is_there_too(rules_pipeline):
    # `requires` only spares scans that could not match: on our examples the evidence is the
    # same with it as without it.
    assert any(rule.requires for rule in RULEBOOK.rules)
    without = Matcher(dataclasses.replace(RULEBOOK, rules=tuple(
        dataclasses.replace(rule, requires=()) for rule in RULEBOOK.rules)))
    for path in sorted(EXAMPLES.glob("*.txt")):
        for sentence in rules_pipeline.segmenter.segment(path.read_text(encoding="utf-8")):
            if sentence.kind == SENTENCE:
                assert MATCHER.evidence(sentence.text) == without.evidence(sentence.text)
    # Required phrases are whole tokens: "state" inside "the state's" is not the verb "states".
    text = "The study was funded by the state's environmental protection agency."
    assert [m.type for m in without.evidence(text).sources] == ["document"]
    assert MATCHER.evidence(text).sources == ()


def test_a_long_sentence_is_scanned_in_windows_that_see_the_text_before_them():
    # The second window starts inside "handsome": cut out, the window would begin with the word
    # "some" and read "some players say" as a weasel.
    filler = "the match went on " * 100
    lead = filler[:PATTERN_WINDOW - PATTERN_OVERLAP - len("hand")]
    text = lead + "handsome players say the pitch is poor, and on some days it floods. " + filler
    assert len(text) > PATTERN_WINDOW
    assert text.index("some players") == PATTERN_WINDOW - PATTERN_OVERLAP
    assert not [c for c in MATCHER.evidence(text).cues if c.rule_id == "hedge.weasel_group"]
    assert [c.text for c in MATCHER.evidence("Some players say the pitch is poor.").cues
            if c.rule_id == "hedge.weasel_group"]


def test_a_phrase_of_thousands_of_characters_compiles_and_matches():
    # A damaged rules.yaml can run lines together into one long phrase; building its regex must
    # not hit Python's recursion limit (it did once, found by tests/test_rulebook_fuzz.py).
    from pipeline.lexicon_regex import phrase_regex

    long_phrase = " ".join(["word"] * 1500)
    regex = phrase_regex([long_phrase, "word"])
    assert regex.search("a " + long_phrase + " b").group() == long_phrase
    assert regex.search("one word only").group() == "word"


def test_a_lexicon_phrase_of_thousands_of_words_loads_and_matches():
    long_phrase = " ".join(["word"] * 3000)
    lexicons = {**RULEBOOK.lexicons, "speech_verbs": (*RULEBOOK.lexicons["speech_verbs"], long_phrase)}
    matcher = Matcher(dataclasses.replace(RULEBOOK, lexicons=lexicons))
    assert matcher.evidence("Ana Ruiz said the road is shut.").sources
