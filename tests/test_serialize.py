"""The credscore.report/1 JSON: the fast writer of the batch job gives the bytes json.dumps gives
for report_to_dict, and a cue names its rule, text, span and label (its description is the
rule's, in rules.yaml)."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.records import Article, Cue, DimensionScore, Evidence, Sentence, SentenceScore, SourceMention
from pipeline.scorer import Pipeline
from pipeline.serialize import report_json, report_to_dict, sentence_dict, sentence_json, to_json
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
