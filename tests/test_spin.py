"""The machine-paraphrase signal: substitutes, the word-choice cue, and its rates on our data."""

import json

import pytest

from pipeline.load import decode_article
from pipeline.records import SENTENCE, Sentence
from pipeline.rulebook import load_rulebook
from pipeline.spin import detect_spin, find_substitutes, word_choice
from tests.conftest import EXAMPLES, REPO

RULES = load_rulebook().spin
CORPUS = REPO / "data" / "corpus"


def sentences_of(*texts):
    return [Sentence(i, 0, len(t), t, SENTENCE) for i, t in enumerate(texts)]


def spin_of(pipeline, text):
    return detect_spin(pipeline.segmenter.segment(text), RULES)


@pytest.mark.parametrize("pattern", RULES.patterns, ids=lambda p: p.id)
def test_pattern_examples(pattern):
    for text in pattern.examples_match:
        assert any(h.rule == pattern.id for h in find_substitutes(sentences_of(text)[0], RULES)), text
    for text in pattern.examples_no_match:
        assert not any(h.rule == pattern.id for h in find_substitutes(sentences_of(text)[0], RULES)), \
            text


def test_substitutes_are_found_with_offsets_and_the_longest_phrase_wins():
    sentence = sentences_of("Exports of navy paperwork rose final yr, the agency's well being "
                            "officers wrote.")[0]
    hits = find_substitutes(sentence, RULES)
    found = {h.text: h.original for h in hits}
    assert found["final yr"] == "last year" and "yr" not in found
    assert found["well being officers"] == "health officials"
    assert all(sentence.text[h.start:h.end] == h.text for h in hits)


def test_word_choice_counts_plain_words_and_synonyms():
    choice = word_choice(sentences_of("The mayor said the road is closed.",
                                      "Officers mentioned it, based on a report.",
                                      "According to police, officials said more."), RULES)
    assert (choice.plain, choice.spun) == (4, 3)
    assert ("said", "mentioned", 2, 1) in choice.pairs


def test_plain_news_is_not_flagged_and_spun_news_is():
    plain = sentences_of("The minister said on Monday that the private military firm had "
                         "signed a contract, according to officials.",
                         "Officials told reporters the evidence was published last year.")
    spun = sentences_of("The minister mentioned on Monday that the non-public navy agency had "
                        "signed a contract, based on officers.",
                        "Officers advised reporters the proof was printed final yr.")
    assert detect_spin(plain, RULES).score < 0.1 and not detect_spin(plain, RULES).paraphrased
    result = detect_spin(spun, RULES)
    assert result.paraphrased and result.substitution_score > 0 and result.word_choice_score > 0.5


def test_no_spin_section_means_no_signal():
    result = detect_spin(sentences_of("Officers mentioned the non-public navy."), None)
    assert result.score == 0.0 and not result.paraphrased and not result.hits


def test_seed_article_is_flagged_with_the_spinner_substitutes(shared, rules_pipeline):
    text = decode_article((shared / "seed" / "article.txt").read_bytes(), "seed")
    result = spin_of(rules_pipeline, text)
    assert result.paraphrased
    originals = {h.text.lower(): h.original for h in result.hits}
    assert originals["non-public navy"] == "private military"
    assert originals["alerts intelligence"] == "signals intelligence"
    assert originals["imaginative and prescient"] == "vision"
    assert any(h.original == "said" and h.text == "mentioned" for h in result.hits)


def test_spun_example_is_flagged_and_the_others_are_not(rules_pipeline):
    assert spin_of(rules_pipeline, (EXAMPLES / "spun.txt").read_text(encoding="utf-8")).paraphrased
    for name in ("well_sourced", "thin"):
        text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
        assert not spin_of(rules_pipeline, text).paraphrased


def corpus_articles():
    """Every article of data/corpus (the `articles` and `spun` files; the hard-case sets are
    collections of single sentences, some in spun register on purpose) as its records in id
    order; each record is already one sentence or heading of the article."""
    articles = {}
    for path in sorted(CORPUS.glob("*_articles.jsonl")) + sorted(CORPUS.glob("*_spun.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                articles.setdefault(record["id"].rsplit("-", 1)[0], []).append(record)
    return {article: [Sentence(i, 0, len(r["text"]), r["text"], r["kind"])
                      for i, r in enumerate(sorted(records, key=lambda r: r["id"]))]
            for article, records in articles.items()}


def test_rates_on_our_articles(rules_pipeline):
    """Under 2% of the normal articles in data/ and examples/ flagged; spun copies caught."""
    normal, spun = [], []
    for article, sentences in corpus_articles().items():
        (spun if article.endswith("s") else normal).append(detect_spin(sentences, RULES).paraphrased)
    for name in ("well_sourced", "thin", "spun"):
        flagged = spin_of(rules_pipeline, (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8"))
        (spun if name == "spun" else normal).append(flagged.paraphrased)
    normal_rate, spun_rate = sum(normal) / len(normal), sum(spun) / len(spun)
    print(f"spin flagged: normal {sum(normal)}/{len(normal)} ({normal_rate:.1%}), "
          f"spun {sum(spun)}/{len(spun)} ({spun_rate:.1%})")
    assert len(normal) > 100 and len(spun) > 50
    assert normal_rate < 0.02
    assert spun_rate >= 0.9


def test_a_letter_that_only_matches_case_insensitively_is_passed_over():
    # "ſ" (long s) matches "s" case-insensitively but lower-cases to itself.
    from pipeline import score_text

    report = score_text("The alertſ intelligence reporting said the talks failed.", scorer="rules")
    assert report.spin is not None and 0.0 <= report.spin.score <= 1.0


def test_a_spin_pattern_may_use_a_lexicon_as_rules_do():
    from pipeline.rulebook import parse_rulebook

    text = (REPO / "rules.yaml").read_text(encoding="utf-8").replace(
        "(?P<cue>mentioned),?[ \\t]+(?:that", "(?P<cue>{@pronoun_speakers}),?[ \\t]+(?:that", 1)
    rules = parse_rulebook(text).spin
    # "mentioned" is the pattern's anchor: without it the pattern is not tried.
    hits = find_substitutes(sentences_of('She mentioned nothing; later she "would not comment".')[0], rules)
    assert any(h.rule == "spin.mentioned_opens_quote" and h.text == "she" for h in hits)


def test_the_start_scan_on_lower_cased_text_finds_what_ignorecase_finds(rules_pipeline, monkeypatch):
    # The start scan runs without IGNORECASE on the lower-cased article; the IGNORECASE scan of
    # the article itself gives every spin result the same.
    from pipeline import spin

    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    spun = [r["text"] for r in map(json.loads, (CORPUS / "xr_spun.jsonl").open(encoding="utf-8"))
            if r.get("kind") == "sentence"]
    texts += spun[:300] + ["SOURCES MENTIONED THE LEAKED DOC FINAL YR.",
                           "İstanbul officers mentioned the doc."]
    assert spun and spin._compile(RULES).lowered_starts is not None
    lowered = [spin_of(rules_pipeline, text) for text in texts]
    monkeypatch.setattr(spin, "_starts", lambda joined, compiled: [
        match.start() for match in compiled.starts.finditer(" " + joined.text)])
    assert [spin_of(rules_pipeline, text) for text in texts] == lowered
