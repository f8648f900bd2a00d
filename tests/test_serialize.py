"""The credscore.report/1 JSON: the fast writer of the batch job gives the bytes json.dumps gives
for report_to_dict, and a cue names its rule, text, span and label (its description is the
rule's, in rules.yaml)."""

import dataclasses
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.records import Article, Cue, DimensionScore, Evidence, Sentence, SentenceScore, SourceMention
from pipeline.scorer import Pipeline
from pipeline.serialize import (
    report_json,
    report_to_dict,
    sentence_dict,
    sentence_json,
    sentence_lines,
    to_json,
)
from tests.conftest import EXAMPLES

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module", params=["combined", "rules"])
def each_scorer(request) -> Pipeline:
    return Pipeline(scorer=request.param)


def reference(report, with_text: bool) -> str:
    return json.dumps(report_to_dict(report, with_text), ensure_ascii=False)


@pytest.mark.parametrize("with_text", [True, False])
def test_fast_writer_gives_json_dumps_bytes_on_the_examples(each_scorer, with_text):
    for path in sorted(EXAMPLES.glob("*.txt")):
        # An id and title with characters JSON must escape.
        article = Article(id=f'{path.stem} "q"\u2028\\', text=path.read_text(encoding="utf-8"),
                          title="Caf\u00e9\n\ttitle")
        report = each_scorer.score_article(article)
        assert report_json(report, with_text) == reference(report, with_text)
        assert to_json(report, with_text) == reference(report, with_text)
        for scored in report.sentences:
            assert sentence_json(scored, with_text) == \
                json.dumps(sentence_dict(scored, with_text), ensure_ascii=False)


@SETTINGS
@given(st.text(min_size=1, max_size=400))
def test_fast_writer_gives_json_dumps_bytes_on_any_text(pipeline, text):
    if not text.strip():
        return
    report = pipeline.score_article(Article(id="p", text=text))
    assert report_json(report) == reference(report, True)


def test_unusual_numbers_are_written_as_json_dumps_writes_them():
    cue = Cue("hedge.x", "hedging", True, 1.0, 0, 3, "may", "a modal")
    mention = SourceMention("Ann \"A\" Lee", "named", "said", 4, 14)
    values = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1e-05, 0.1 + 0.2, 12345.678]
    for value in values:
        hedging = DimensionScore(True, value, (value, 0.5), value, None, (cue,))
        source = DimensionScore("named", 0.25, (0.25, value, 0.0, -0.0), 0.5, value)
        verification = DimensionScore("none", 1.0, (0.0, 0.0, 0.0, 1.0), 1.0, 1.0)
        scored = SentenceScore(Sentence(0, 0, 20, "may Ann \"A\" Lee said"), hedging, source,
                               verification, Evidence((cue,), (mention,), ((4, 9),)))
        assert sentence_json(scored) == json.dumps(sentence_dict(scored), ensure_ascii=False)


def with_numbers(report, **changes):
    """The report with every scored sentence's dimensions changed (DimensionScore._replace)."""
    def change(scored):
        if scored.source is None:
            return scored
        return dataclasses.replace(scored, **{dim: scored.dimension(dim)._replace(**changes)
                                              for dim in ("hedging", "source", "verification")})
    return dataclasses.replace(report, sentences=tuple(map(change, report.sentences)))


def test_ints_bools_and_odd_probabilities_are_written_as_json_dumps_writes_them(rules_pipeline):
    report = rules_pipeline.score_article(Article(id="thin", text=(EXAMPLES / "thin.txt").read_text()))
    # Seen first as floats, 1.0 and 0.5 are in the number cache when the ints and bools equal
    # to them come: json.dumps writes those as 1, true, 0 and false, not as 1.0 or 0.0.
    variants = [{}, {"score": 1.0, "rule_score": 0.5, "model_score": 1.0},
                {"score": 1, "rule_score": True, "model_score": 0},
                {"score": True, "rule_score": 1, "model_score": False},
                {"probabilities": (1, True, False, 0)}, {"probabilities": (1.0, 1, True)},
                {"probabilities": ()}, {"probabilities": (0.5,)},
                {"probabilities": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)},  # more values than label keys
                {"label": 1}, {"label": 0},  # a hedging label 1 is not the true it equals
                {"model_score": None}]
    for changes in variants:
        changed = with_numbers(report, **changes)
        assert any(s.source is not None for s in changed.sentences)
        for with_text in (True, False):
            assert report_json(changed, with_text) == reference(changed, with_text), changes
        for scored in changed.sentences:
            assert sentence_json(scored) == json.dumps(sentence_dict(scored), ensure_ascii=False)
    # The int and bool texts were not left in the cache either.
    assert report_json(with_numbers(report, score=1.0)) == reference(with_numbers(report, score=1.0), True)


@pytest.mark.parametrize("article_id", ["thin", 'a "q"\u2028\\ caf\u00e9'])
def test_sentence_lines_are_the_sentence_records_with_article_seq_and_id_first(rules_pipeline, article_id):
    report = rules_pipeline.score_article(Article(id=article_id, text=(EXAMPLES / "thin.txt").read_text()))
    want = "".join(json.dumps({"article_seq": 12, "article": article_id, **sentence_dict(s)},
                              ensure_ascii=False) + "\n" for s in report.sentences)
    assert sentence_lines(report, 12) == want
    unusual = with_numbers(report, score=1, probabilities=(True,))
    assert sentence_lines(unusual, 0) == "".join(
        json.dumps({"article_seq": 0, "article": article_id, **sentence_dict(s)}, ensure_ascii=False) + "\n"
        for s in unusual.sentences)


def test_cues_carry_rule_text_span_and_label_not_the_description(rules_pipeline):
    text = (EXAMPLES / "thin.txt").read_text(encoding="utf-8")
    report = json.loads(report_json(rules_pipeline.score_article(Article(id="thin", text=text))))
    cues = [cue for sentence in report["sentences"] if sentence["kind"] == "sentence"
            for dim in ("hedging", "source", "verification") for cue in sentence[dim]["cues"]]
    assert cues
    rules = {rule.id: rule for rule in rules_pipeline.rulebook.rules}
    for cue in cues:
        assert set(cue) == {"rule", "text", "start", "end", "label"}
        # The description is one look-up away, by the rule id.
        assert cue["rule"] in rules and rules[cue["rule"]].description
    for sentence in report["sentences"]:
        if sentence["kind"] == "sentence":
            for dim in ("hedging", "source", "verification"):
                assert {"label", "score", "rule_score", "model_score", "probabilities"} <= set(sentence[dim])
