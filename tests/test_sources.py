"""Sources grouped once for the ledger and the check-next list."""

from pipeline.records import Article
from pipeline.rulebook import load_rulebook
from pipeline.scorer import default_pipeline
from pipeline.sources import group_sources, most_cited

DETERMINERS = load_rulebook().scoring["determiners"]


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


def test_a_short_name_that_fits_two_people_stays_apart():
    found = [(0, "Hillary Clinton", "named"), (1, "Bill Clinton", "named"), (2, "Clinton", "named")]
    assert [g.who for g in group_sources(found, DETERMINERS)] == \
        ["Hillary Clinton", "Bill Clinton", "Clinton"]


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
    ledger_names = {entry.who for entry in report.sources}
    top = max(report.sources, key=lambda entry: entry.sentences)
    assert top.type == "document"
    assert any(top.who in item.reason for item in report.check_next)
    assert all(name in ledger_names for item in report.check_next for name in [top.who]
               if "most-cited" in item.reason)
