"""Arbitrary Unicode in, a well-formed report out: no exception, offsets that rebuild the text,
scores in range, labels from the annotation contract, and the same output for the same input.

Run with ``--hypothesis-show-statistics`` to see how many inputs each property tried.
"""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.records import Article
from pipeline.scorer import Pipeline
from pipeline.serialize import report_to_dict

# The label values of ../shared/ANNOTATION.md, written out here so that a drift in the package's
# own LABELS table fails this test rather than redefining what it checks.
ANNOTATION_LABELS = {"hedging": {True, False},
                     "source": {"named", "anonymous", "document", "none"},
                     "verification": {"confirmed", "unverified", "disputed", "none"}}
KINDS = {"sentence", "heading", "metadata"}
BANDS = {"strong", "mixed", "weak"}
SETTINGS = settings(max_examples=60, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def check_report(pipeline: Pipeline, text: str) -> None:
    """Every property of the issue for one input."""
    article = Article(id="p", text=text)
    if not text.strip():
        with pytest.raises(InputError) as caught:
            pipeline.score_article(article)
        assert "\n" not in str(caught.value) and "empty" in str(caught.value)
        return
    report = pipeline.score_article(article)
    again = pipeline.score_article(article)
    first = json.dumps(report_to_dict(report), allow_nan=False, sort_keys=True)
    assert first == json.dumps(report_to_dict(again), allow_nan=False, sort_keys=True)

    assert 0.0 <= report.score <= 100.0 and report.band in BANDS
    assert all(0.0 <= value <= 1.0 for _, value in report.components)
    position = 0
    for scored in report.sentences:
        sentence = scored.sentence
        assert position <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start:sentence.end] == sentence.text
        # Nothing but whitespace is left out between sentences: the spans rebuild the text.
        assert text[position:sentence.start].isspace() or position == sentence.start
        position = sentence.end
        assert sentence.kind in KINDS
        for dim, labels in ANNOTATION_LABELS.items():
            value = scored.dimension(dim)
            if sentence.kind != "sentence":
                assert value is None
                continue
            assert value.label in labels
            assert 0.0 <= value.score <= 1.0 and 0.0 <= value.rule_score <= 1.0
            assert value.model_score is None or 0.0 <= value.model_score <= 1.0
            assert all(0.0 <= p <= 1.0 for p in value.probabilities)
            assert math.isclose(sum(value.probabilities), 1.0, abs_tol=1e-3)
            assert value.score == max(value.probabilities)
            for cue in value.cues:
                assert 0 <= cue.start <= cue.end <= len(sentence.text)
                assert sentence.text[cue.start:cue.end] == cue.text
    assert text[position:].isspace() or position == len(text)


# -- strategies -------------------------------------------------------------------------------

NEWS_WORDS = ["Officials", "said", "the", "bridge", "may", "reopen", "according", "to", "a",
              "report", "which", "was", "denied", "by", "ministry", "Sen.", "U.S.", "reportedly",
              "confirmed", "not", "verified", "“quoted”", "\"words\"", "Source:", "By", "(Reuters)"]
CONTROLS = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\u200b", "\ufeff"]
RTL = (st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)
       | st.sampled_from(["\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2067",
                          "\u2069", "قال", "المسؤولون", "אמרו", "גורמים"]))
EMOJI = (st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
         | st.sampled_from(["\u200d", "\ufe0f", "🇺🇦", "👩‍👩‍👧", "👍🏽", "❤️"]))
PUNCTUATION = st.characters(categories=["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc"])
WHITESPACE = st.sampled_from([" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f",
                              "\x85", "\u00a0", "\u1680", "\u2000", "\u2007", "\u200a", "\u2028",
                              "\u2029", "\u202f", "\u205f", "\u3000"])


def badly_decoded():
    """Text as a lenient decoder leaves it: lone surrogates where bytes were not UTF-8."""
    return st.binary(max_size=200).map(lambda raw: raw.decode("utf-8", "surrogateescape"))


def news_with(noise) -> st.SearchStrategy[str]:
    """News-like words (so that rules fire) with noise characters between and inside them."""
    piece = st.one_of(st.sampled_from(NEWS_WORDS), noise, st.sampled_from([" ", " ", ". ", "\n"]))
    return st.lists(piece, max_size=60).map("".join)


# -- properties -------------------------------------------------------------------------------

@SETTINGS
@given(text=st.text(max_size=400))
def test_arbitrary_unicode(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=news_with(st.sampled_from(CONTROLS)))
def test_control_characters_and_nul(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=st.one_of(badly_decoded(), news_with(badly_decoded()),
                      news_with(st.characters(categories=["Cs"]))))
def test_lone_surrogates_from_bad_decoding(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=news_with(RTL))
def test_right_to_left_scripts(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=news_with(EMOJI))
def test_emoji(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=st.text(alphabet=WHITESPACE, max_size=200))
def test_only_whitespace_is_an_input_error(pipeline, text):
    check_report(pipeline, text)


@SETTINGS
@given(text=st.text(alphabet=PUNCTUATION | WHITESPACE, min_size=1, max_size=400))
def test_only_punctuation(pipeline, text):
    check_report(pipeline, text)


def test_a_megabyte_without_a_full_stop(pipeline):
    words = ["officials", "said", "the", "report", "may", "be", "according", "to", "sources",
             "who", "denied", "it", "and", "Minister", "Jones", "told", "reporters", "that"]
    text = " ".join(words[i % len(words)] for i in range(200_000))[:1_000_000]
    assert "." not in text and len(text) == 1_000_000
    check_report(pipeline, text)


@SETTINGS
@given(text=st.lists(st.sampled_from(NEWS_WORDS), min_size=17, max_size=80).map(" ".join))
def test_run_on_lines_without_final_punctuation(pipeline, text):
    # More words than a heading may have and no full stop: scored as one long sentence.
    check_report(pipeline, text)


def test_one_word_repeated_200000_times(pipeline):
    check_report(pipeline, "said " * 200_000)


def test_a_long_line_ending_on_the_first_word_of_a_cue(pipeline):
    check_report(pipeline, "the minister spoke for a long time about the budget and the plans "
                           "for next year and then said")
