"""The seed article (a synonym-spun news text) read against its gold labels."""

import pytest

from pipeline import Article
from pipeline.evaluate import macro_f1
from pipeline.load import decode_article
from tests.conftest import read_jsonl

DIMENSIONS = ("hedging", "source", "verification")


@pytest.fixture(scope="module")
def seed(shared):
    text = decode_article((shared / "seed" / "article.txt").read_bytes(), "seed")
    return text, read_jsonl(shared / "seed" / "gold.jsonl")


@pytest.mark.parametrize("scorer", ["rules", "combined"])
def test_seed_article_reads_right(seed, scorer, request):
    from pipeline.scorer import Pipeline

    text, gold = seed
    report = Pipeline(scorer=scorer).score_article(
        Article(id="seed", text=text))
    assert [s.sentence.text for s in report.sentences] == [g["text"] for g in gold]
    for scored, record in zip(report.sentences, gold):
        assert scored.sentence.kind == record["kind"], record["id"]
    for dim in DIMENSIONS:
        pairs = [(g[dim], s.dimension(dim).label) for s, g in zip(report.sentences, gold)
                 if g["kind"] == "sentence" and dim not in g.get("ambiguous", [])]
        accuracy = sum(a == b for a, b in pairs) / len(pairs)
        assert accuracy >= 0.85, (dim, accuracy)
        if dim != "hedging":
            assert macro_f1([a for a, _ in pairs], [b for _, b in pairs]) >= 0.75, dim


def test_no_rule_quotes_a_gold_sentence(shared):
    from pipeline.rulebook import load_rulebook

    rulebook = load_rulebook()
    phrases = [p.lower() for r in rulebook.rules for p in r.cues] + \
              [p.lower() for lex in rulebook.lexicons.values() for p in lex]
    gold_texts = [g["text"].lower() for g in read_jsonl(shared / "seed" / "gold.jsonl")]
    for phrase in phrases:
        for text in gold_texts:
            # A cue may occur in a gold sentence, but never be (most of) the sentence.
            assert not (phrase in text and len(phrase) > 0.5 * len(text)), phrase
