"""Properties of the article score, checked on generated sentence labels."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.aggregate import build_report
from pipeline.records import (
    LABELS,
    Article,
    DimensionScore,
    Evidence,
    Sentence,
    SentenceScore,
    SourceMention,
)
from pipeline.rulebook import load_rulebook
from pipeline.scorer import default_pipeline

RULEBOOK = load_rulebook()


def scored(index, hedged, source, verification):
    def dim(label):
        return DimensionScore(label=label, score=0.9, probabilities=(), rule_score=0.9,
                              model_score=None)

    mentions = (SourceMention(f"Speaker {index}", source, "said", 0, 5),) if source != "none" else ()
    return SentenceScore(Sentence(index, 0, 1, "x"), dim(hedged), dim(source), dim(verification),
                         Evidence(sources=mentions))


labels = st.tuples(st.booleans(), st.sampled_from(LABELS["source"]),
                   st.sampled_from(LABELS["verification"]))
articles = st.lists(labels, min_size=0, max_size=25)


def report_of(rows):
    sentences = [scored(i, *row) for i, row in enumerate(rows)]
    return build_report(Article("a", "x"), sentences, RULEBOOK, "rules")


@settings(max_examples=300)
@given(articles, st.booleans())
def test_adding_a_named_sentence_never_lowers_the_score(rows, hedged):
    before = report_of(rows).score
    after = report_of(rows + [(hedged, "named", "none")]).score
    assert after >= before


@settings(max_examples=300)
@given(articles.filter(bool), st.data())
def test_disputing_a_sentence_never_raises_the_score(rows, data):
    index = data.draw(st.integers(0, len(rows) - 1))
    rows = [(h, s, "none" if i == index else v) for i, (h, s, v) in enumerate(rows)]
    disputed = [(h, s, "disputed" if i == index else v) for i, (h, s, v) in enumerate(rows)]
    assert report_of(disputed).score <= report_of(rows).score


@settings(max_examples=300)
@given(articles)
def test_scores_stay_in_range(rows):
    report = report_of(rows)
    assert 0.0 <= report.score <= 100.0
    assert report.band in ("strong", "mixed", "weak")
    assert all(0.0 <= value <= 1.0 for _, value in report.components)


def test_machine_paraphrase_is_a_component_and_a_flag():
    from pipeline.records import SpinResult

    sentences = [scored(i, False, "named", "none") for i in range(4)]
    plain = build_report(Article("a", "x"), sentences, RULEBOOK, "rules")
    spun = build_report(Article("a", "x"), sentences, RULEBOOK, "rules",
                        spin=SpinResult(score=1.0, paraphrased=True))
    assert dict(plain.components)["original_wording"] == 1.0
    assert dict(spun.components)["original_wording"] == 0.0 and spun.score < plain.score
    assert "machine_paraphrased" in {f.id for f in spun.flags}
    assert "machine_paraphrased" not in {f.id for f in plain.flags}
    # Without a spin signal passed in, the report reads it from the sentences themselves.
    texts = ["Officers mentioned the non-public navy left final yr.",
             "Officers advised reporters the alerts intelligence was printed."]
    read = build_report(Article("a", " ".join(texts)),
                        [SentenceScore(Sentence(i, 0, len(t), t), s.hedging, s.source,
                                       s.verification, s.evidence)
                         for i, (t, s) in enumerate(zip(texts, sentences))], RULEBOOK, "rules")
    assert read.spin.paraphrased and read.spin.hits


def test_unverified_document_flag_needs_documents_to_lead_and_a_document_unverified():
    def report(rows, unverified_text):
        sentences = [scored(i, *row) for i, row in enumerate(rows)]
        last = sentences[-1]
        sentences[-1] = SentenceScore(Sentence(last.sentence.index, 0, len(unverified_text),
                                               unverified_text),
                                      last.hedging, last.source, last.verification, last.evidence)
        return {f.id for f in build_report(Article("a", "x"), sentences, RULEBOOK, "rules").flags}

    documents_lead = [(False, "document", "none"), (False, "document", "none"),
                      (False, "named", "none"), (False, "none", "unverified")]
    named_lead = [(False, "document", "none"), (False, "named", "none"),
                  (False, "named", "none"), (False, "none", "unverified")]
    flag = "central_claim_unverified_document"
    assert flag in report(documents_lead, "The outlet has not verified the leaked memo.")
    assert flag not in report(named_lead, "The outlet has not verified the leaked memo.")
    # Something else is unverified (a person's claim), not the documents the article rests on.
    assert flag not in report(documents_lead, "His account of the meeting could not be confirmed.")
    assert flag not in report(documents_lead, "There is no evidence the record was broken.")


def test_an_unverified_status_word_is_not_the_document_unverified():
    pipeline = default_pipeline("rules")
    text = ("The audit report says the dam is sound. The inspection report shows no cracks. "
            "The cause of the blast is under review.")
    flags = {f.id for f in pipeline.score_article(Article("a", text)).flags}
    assert "central_claim_unverified_document" not in flags
    text = text.replace("The cause of the blast is under review.",
                        "The report's authenticity is under review.")
    flags = {f.id for f in pipeline.score_article(Article("a", text)).flags}
    assert "central_claim_unverified_document" in flags
