"""Fusion: log-linear pooling per dimension, with other weights for articles read as spun."""

import json

import numpy as np

from pipeline import Article
from pipeline.combine import Combiner
from pipeline.evaluate import evaluate_records
from tests.conftest import EXAMPLES

RULES = {"source": np.array([[0.7, 0.1, 0.1, 0.1], [0.7, 0.1, 0.1, 0.1]])}
MODEL = {"source": np.array([[0.1, 0.1, 0.1, 0.7], [0.1, 0.1, 0.1, 0.7]])}


def test_paraphrased_rows_are_pooled_with_their_own_weight():
    combiner = Combiner({"source": 0.8}, None, {"source": 0.2})
    pooled = combiner.combine(RULES, MODEL, np.array([False, True]))["source"]
    # Row 0 leans on the rules (w 0.8), row 1 on the model (w 0.2).
    assert pooled[0].argmax() == 0 and pooled[1].argmax() == 3
    plain = Combiner({"source": 0.8}).combine(RULES, MODEL)["source"]
    assert np.allclose(pooled[0], plain[0])
    # No mask, or a mask without a spun row: every row takes rule_weight.
    assert np.allclose(combiner.combine(RULES, MODEL, np.array([False, False]))["source"], plain)


def test_a_spun_article_is_fused_with_the_paraphrased_weights(pipeline):
    text = (EXAMPLES / "spun.txt").read_text(encoding="utf-8")
    report = pipeline.score_article(Article("spun", text))
    assert report.spin.paraphrased
    claims = [s.sentence for s in report.scored_sentences]
    evidence = pipeline.rule_scorer.evidence(claims)
    spun = pipeline.probabilities(claims, evidence, paraphrased=np.ones(len(claims), bool))
    plain = pipeline.probabilities(claims, evidence)
    weights = pipeline.rulebook.scoring
    assert weights.paraphrased_rule_weight["source"] != weights.rule_weight["source"]
    expected = spun["combined"]["source"].round(4).tolist()
    assert [list(s.source.probabilities) for s in report.scored_sentences] == expected
    assert expected != plain["combined"]["source"].round(4).tolist()


def test_eval_reads_the_records_of_one_article_together(pipeline):
    text = (EXAMPLES / "spun.txt").read_text(encoding="utf-8")
    sentences = [s for s in pipeline.segmenter.segment(text)]
    records = [{"id": f"art-{i}", "text": s.text, "kind": s.kind, "source": "none"}
               for i, s in enumerate(sentences)]
    n_claims = sum(r["kind"] == "sentence" for r in records)
    assert evaluate_records(pipeline, records)["paraphrased"] == n_claims
    # One sentence an article (distinct ids, or no id): only a sentence holding a spinner's
    # phrase on its own reads as spun.
    alone = [{"id": f"art{i}-1", **{k: v for k, v in r.items() if k != "id"}}
             for i, r in enumerate(records)]
    assert evaluate_records(pipeline, alone)["paraphrased"] < n_claims / 4
    no_ids = [{k: v for k, v in r.items() if k != "id"} for r in records]
    assert json.dumps(evaluate_records(pipeline, no_ids))


def test_only_ids_of_the_contract_form_join_an_article():
    from pipeline.records import article_of

    assert article_of("nw01-07") == "nw01" and article_of("polnear-dev-some-article-012") == \
        "polnear-dev-some-article"
    # A sample's line ids and sub-sentence ids name no article: each record stands alone.
    assert article_of("conll2010wiki-train-c00002") == "conll2010wiki-train-c00002"
    assert article_of("bioscope-abs-91094881-S2.4") == "bioscope-abs-91094881-S2.4"
    assert article_of("plain") == "plain" and article_of("-3") == "-3"
