"""credscore eval: figures per dimension and scorer, ambiguous records apart, band agreement."""

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.evaluate import confusion, evaluate_records, macro_f1, per_class
from tests.conftest import EXAMPLES, read_jsonl

GOLD = Path(__file__).parent / "data" / "gold_small.jsonl"


def test_per_class_and_macro_f1_by_hand():
    gold = ["a", "a", "b", "b"]
    predicted = ["a", "b", "b", "b"]
    scores = per_class(gold, predicted)
    assert scores["a"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert abs(scores["b"]["f1"] - 0.8) < 1e-9
    assert abs(macro_f1(gold, predicted) - (2 / 3 + 0.8) / 2) < 1e-9
    assert confusion(gold, predicted, ["a", "b"]) == [[1, 1], [0, 2]]


def test_records_are_scored_and_ambiguous_ones_counted_apart(rules_pipeline):
    result = evaluate_records(rules_pipeline, read_jsonl(GOLD))
    assert result["n"] == 7  # the heading is not scored
    source = result["dimensions"]["source"]
    assert source["n"] == 6 and source["ambiguous"] == 1
    assert set(source) >= {"rules"} and "attributed_f1" in source["rules"]
    assert "f1_true" in result["dimensions"]["hedging"]["rules"]
    # Each of these sentences carries a plain cue of its label: the rules read them all.
    for dim in ("hedging", "source", "verification"):
        assert result["dimensions"][dim]["rules"]["accuracy"] == 1.0, dim


def test_eval_json_has_every_scorer(capsys):
    assert main(["eval", str(GOLD), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["dimensions"]["verification"]) >= {"rules", "model", "combined"}
    figures = result["dimensions"]["verification"]["combined"]
    assert set(figures) >= {"accuracy", "macro_f1", "per_class", "confusion"}


def test_articles_band_agreement(tmp_path, capsys):
    records = [{"id": "good", "text": (EXAMPLES / "well_sourced.txt").read_text(), "expected_band": "strong"},
               {"id": "wrong", "text": (EXAMPLES / "well_sourced.txt").read_text(), "expected_band": "weak"}]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    assert main(["eval", "--articles", str(path), "--json"]) == 0
    articles = json.loads(capsys.readouterr().out)["articles"]
    assert articles["n"] == 2 and articles["band_accuracy"] == 0.5
    assert [a["band"] for a in articles["articles"]] == ["strong", "strong"]


def test_eval_tables_print(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["eval", str(GOLD)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "confusion" in out and "F1 attributed vs none" in out
