"""Sources grouped once for the ledger and the check-next list."""

from pipeline.records import Article
from pipeline.rulebook import load_rulebook
from pipeline.scorer import default_pipeline
from pipeline.sources import UNIDENTIFIED, group_sources, most_cited

SCORING = load_rulebook().scoring
DETERMINERS, SUFFIXES = SCORING.words.determiners, SCORING.words.name_suffixes


def test_short_and_full_names_of_one_type_are_one_source():
    found = [(0, "CIA Director Bill Burns", "named"), (1, "Burns", "named"),
             (2, "the leaked doc", "document"), (3, "Burns", "named"),
             (4, "the doc", "document"), (5, "Burns's office", "document")]
    groups = group_sources(found, DETERMINERS)
    assert [(g.who, g.type, g.sentences) for g in groups] == [
        ("CIA Director Bill Burns", "named", (0, 1, 3)),
        ("the leaked doc", "document", (2, 4)),
        ("Burns's office", "document", (5,))]
    assert most_cited(groups).who == "CIA Director Bill Burns"


def test_a_short_name_that_fits_two_sources_stays_apart():
    found = [(0, "Hillary Clinton", "named"), (1, "Bill Clinton", "named"), (2, "Clinton", "named")]
    assert [g.who for g in group_sources(found, DETERMINERS)] == \
        ["Hillary Clinton", "Bill Clinton", "Clinton"]
    found = [(0, "A senior US official", "anonymous"), (1, "A senior Russian official", "anonymous"),
             (2, "A senior official", "anonymous"), (3, "The Pentagon report", "document"),
             (4, "The UN report", "document"), (5, "the report", "document")]
    assert [len(g.sentences) for g in group_sources(found, DETERMINERS)] == [1] * 6


def test_spellings_of_one_document_are_one_source():
    found = [(0, "the doc", "document"), (1, "a piece of the leaked doc", "document"),
             (2, "the leaked doc", "document"), (3, "the leaked Pentagon doc", "document")]
    assert [(g.who, g.sentences) for g in group_sources(found, DETERMINERS)] == \
        [("the leaked doc", (0, 1, 2, 3))]


def test_a_generational_suffix_is_another_person():
    found = [(0, "Donald Trump", "named"), (1, "Donald Trump Jr.", "named"), (2, "Trump", "named")]
    groups = group_sources(found, DETERMINERS, SUFFIXES)
    assert [(g.who, g.sentences) for g in groups] == \
        [("Donald Trump", (0, 2)), ("Donald Trump Jr.", (1,))]


def test_unidentified_sources_do_not_join_named_ones_by_their_words():
    unnamed = UNIDENTIFIED.format(type="anonymous")
    found = [(0, "a production source", "anonymous"), (1, unnamed, "anonymous"),
             (2, "a studio source", "anonymous"), (3, unnamed, "anonymous")]
    assert [(g.who, g.sentences) for g in group_sources(found, DETERMINERS)] == \
        [("a production source", (0,)), (unnamed, (1, 3)), ("a studio source", (2,))]


def test_one_name_of_two_types_is_two_sources_and_no_source_is_most_cited_alone():
    found = [(0, "the ministry", "named"), (1, "the ministry", "document")]
    groups = group_sources(found, DETERMINERS)
    assert [(g.who, g.type) for g in groups] == [("the ministry", "named"), ("the ministry", "document")]
    assert most_cited(groups) is None
    assert most_cited(()) is None


def test_ledger_and_check_next_name_the_seed_document_alike():
    from tests.conftest import SHARED

    seed = SHARED / "seed" / "article.txt"
    if not seed.exists():
        import pytest

        pytest.skip("../shared is not beside the repository")
    report = default_pipeline().score_article(Article("seed", seed.read_text(encoding="utf-8")))
    top = max(report.sources, key=lambda entry: entry.sentences)
    # Five sentences cite the leaked document under four spellings; both lists use one name.
    assert (top.who, top.type, top.sentences) == ("the leaked doc", "document", 5)
    reasons = [item.reason for item in report.check_next if "top_source" in item.codes]
    assert reasons and all("most-cited source (the leaked doc)" in reason for reason in reasons)


def ledger_of(text: str) -> dict[str, int]:
    report = default_pipeline().score_article(Article("a", text))
    return {entry.who: entry.sentences for entry in report.sources}


def test_a_pronoun_goes_to_the_last_named_source_of_its_kind():
    ledger = ledger_of("Maria Ortiz, the mayor, said the bridge would reopen in May. The transport "
                       "ministry said the repairs had cost more than planned. She said the council "
                       "would pay half. It said the contractor had been paid in full.")
    # "She" is Maria Ortiz again, not the ministry quoted just before; "It" is the ministry.
    assert not {"She", "It"} & set(ledger), ledger
    assert sum(n for who, n in ledger.items() if "Ortiz" in who) == 2, ledger
    assert sum(n for who, n in ledger.items() if "ministry" in who) == 2, ledger


def test_a_pronoun_with_no_source_of_its_kind_goes_to_the_last_named_source():
    ledger = ledger_of("The transport ministry said the repairs had cost more than planned. "
                       "She said the council would pay half.")
    assert sum(n for who, n in ledger.items() if "ministry" in who) == 2, ledger


def test_organisations_are_told_from_people_by_their_words():
    from pipeline.sources import is_organisation

    words = SCORING.words.organisation_words
    assert is_organisation("The transport ministry", words)
    assert is_organisation("the White House", words)
    assert is_organisation("the Ministry of Defence", words)
    assert is_organisation("the company’s", words)
    assert not is_organisation("Maria Ortiz", words)
    assert not is_organisation("Whitehouse", words)
    # An organisation word as a modifier makes no organisation of a person.
    assert not is_organisation("Treasury Secretary Janet Yellen", words)
    assert not is_organisation("A State Department spokesperson", words)
    assert not is_organisation("Co-founder Jane Doe", words)


def test_a_title_with_an_organisation_word_leaves_a_person_a_person():
    ledger = ledger_of("Maria Lopez said the plant would close. Treasury Secretary Janet Yellen said "
                       "the deal was done. She added that the talks would continue.")
    assert sum(n for who, n in ledger.items() if "Yellen" in who) == 2, ledger


def test_a_pronoun_with_no_named_source_before_it_is_not_taken_for_a_name():
    ledger = ledger_of("She said the bridge was safe. The ministry said repairs were finished. "
                       "He said nothing more.")
    assert not any(n > 1 for who, n in ledger.items() if who in ("She", "He")), ledger
    assert sum(n for who, n in ledger.items() if "ministry" in who) == 2, ledger


def test_a_report_pickles_and_deep_copies():
    import copy
    import pickle

    text = "The bridge opened in May. Officials said it was safe."
    report = default_pipeline().score_article(Article("a", text))
    assert pickle.loads(pickle.dumps(report)) == report
    assert copy.deepcopy(report) == report
