"""The claims to check first: weak sentences that carry the article, ranked, with reasons."""

from dataclasses import replace

from pipeline.check_next import claims_to_check, lead_sentences
from pipeline.load import decode_article
from pipeline.records import Article, Cue, DimensionScore, Evidence, Sentence, SentenceScore
from pipeline.rulebook import load_rulebook
from pipeline.sources import group_sources
from tests.conftest import EXAMPLES

RULES = load_rulebook().check_next
DETERMINERS = load_rulebook().scoring.words.determiners


def groups(attributions):
    return group_sources(attributions, DETERMINERS)


def scored(index, start, text, hedged=False, source="named", verification="none", who=None):
    def dim(label, cues=()):
        return DimensionScore(label=label, score=0.9, probabilities=(), rule_score=0.9,
                              model_score=None, cues=cues)

    cue = Cue("hedge.modal", "hedging", True, 2.4, 0, 3, "may", "modal")
    return SentenceScore(Sentence(index, start, start + len(text), text),
                         dim(hedged, (cue,) if hedged else ()), dim(source), dim(verification),
                         Evidence())


def article(*paragraphs):
    """Article text and its sentences; each paragraph a list of (text, labels…) tuples."""
    text, sentences = "", []
    for paragraph in paragraphs:
        for i, (sentence, *labels) in enumerate(paragraph):
            text += " " if i else ("\n" if text else "")
            sentences.append(scored(len(sentences), len(text), sentence, *labels))
            text += sentence
    return text, sentences


def test_lead_is_the_first_paragraph_up_to_the_limit():
    text, sentences = article([("One.",), ("Two.",), ("Three.",)], [("Four.",)])
    assert lead_sentences(text, sentences, 2) == {0, 1}
    text, sentences = article([("One.",)], [("Two.",)])
    assert lead_sentences(text, sentences, 2) == {0}


def test_weak_claims_that_carry_the_article_are_ranked():
    text, sentences = article(
        [("Officials say the dam may fail.", True, "anonymous"), ("It was built in 1950.",)],
        [("Lopez said the spillway is blocked.", False, "named")],
        [("Lopez said the report is unverified.", False, "named", "unverified")],
        [("Critics may be right.", True, "none")],  # weak, but carries nothing
    )
    attributions = [(0, "Officials", "anonymous"), (2, "Lopez", "named"), (3, "Lopez", "named")]
    items = claims_to_check(text, sentences, groups(attributions), RULES)
    assert [item.sentence for item in items] == [0, 3]
    assert items[0].codes == ("lead", "anonymous", "hedged")
    assert items[0].reason == "lead paragraph; anonymous sources only; hedged (may)"
    assert items[1].reason == "most-cited source (Lopez); unverified"


def test_at_most_max_claims_and_none_when_nothing_is_weak():
    text, sentences = article([("A may.", True, "none"), ("B may.", True, "none")])
    assert len(claims_to_check(text, sentences, [], replace(RULES, max_claims=1))) == 1
    text, sentences = article([("Lopez said it.",)], [("Lopez said more.",)])
    assert claims_to_check(text, sentences, groups([(0, "Lopez", "named"), (1, "Lopez", "named")]),
                           RULES) == ()
    assert claims_to_check(text, sentences, [], None) == ()


def test_well_sourced_example_has_nothing_to_check(pipeline):
    text = (EXAMPLES / "well_sourced.txt").read_text(encoding="utf-8")
    assert pipeline.score_article(Article("well_sourced", text)).check_next == ()


def test_seed_article_check_list(shared, pipeline):
    text = decode_article((shared / "seed" / "article.txt").read_bytes(), "seed")
    report = pipeline.score_article(Article("seed", text))
    items = report.check_next
    assert 1 <= len(items) <= 3
    first = report.sentences[items[0].sentence]
    assert items[0].sentence == 0 and "lead" in items[0].codes
    assert first.hedging.label and first.source.label != "named"
    listed = report.to_dict()["check_next"]
    assert [entry["index"] for entry in listed] == [item.sentence for item in items]
    assert all(entry["reason"] and entry["text"] for entry in listed)
