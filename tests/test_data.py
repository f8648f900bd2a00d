"""The training corpus and our held-out set: well-formed, balanced, and disjoint from every gold
file; the held-out set also from the corpus, so that it stays unseen by training."""

import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.records import DIMENSIONS, LABELS
from tests.conftest import REPO, read_jsonl

CORPUS = REPO / "data" / "corpus"
HELDOUT = REPO / "data" / "heldout"
WORD = re.compile(r"\w+")


def corpus() -> list[dict]:
    return [r for f in sorted(CORPUS.glob("*.jsonl")) for r in read_jsonl(f)]


def heldout() -> list[dict]:
    return [r for f in sorted(HELDOUT.glob("*.jsonl")) for r in read_jsonl(f)]


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.lower()))


@pytest.mark.parametrize("records", [corpus(), heldout()], ids=["corpus", "heldout"])
def test_records_follow_the_contract(records):
    assert records
    ids = Counter(r["id"] for r in records)
    assert not [i for i, n in ids.items() if n > 1]
    for record in records:
        assert record["kind"] in ("sentence", "heading", "metadata"), record["id"]
        if record["kind"] == "sentence":
            for dim in DIMENSIONS:
                assert record[dim] in LABELS[dim], (record["id"], dim)


def test_enough_sentences_and_no_class_under_eight_percent():
    sentences = [r for r in corpus() if r["kind"] == "sentence"]
    assert len(sentences) >= 4000
    for dim in DIMENSIONS:
        counts = Counter(r[dim] for r in sentences)
        for label in LABELS[dim]:
            assert counts[label] / len(sentences) >= 0.08, (dim, label, counts[label])


def test_no_heldout_sentence_is_in_the_corpus():
    trained_on = {words(r["text"]) for r in corpus()}
    assert not [r["id"] for r in heldout() if len(words(r["text"])) >= 4 and words(r["text"]) in trained_on]


def test_no_gold_sentence_is_in_the_corpus_or_the_heldout_set(shared):
    ours = {words(r["text"]) for r in corpus() + heldout()}
    gold_files = [shared / "seed" / "gold.jsonl", *sorted((shared / "eval").glob("*.jsonl"))]
    for gold in gold_files:
        for record in read_jsonl(gold):
            sequence = words(record["text"])
            if len(sequence) >= 4:  # very short lines ("Source: ...") may coincide by chance
                assert sequence not in ours, (Path(gold).name, record["id"])
