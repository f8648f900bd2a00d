"""`--html` and `--html-dir`: one page per article, an index sorted by score, resumable."""

import json
import re

from pipeline.batch import BatchOptions, run_batch
from pipeline.cli import main
from tests.conftest import EXAMPLES


def write_input(path, copies=1):
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for example in sorted(EXAMPLES.glob("*.txt")):
                out.write(json.dumps({"id": f"{example.stem}-{n}", "text": example.read_text(
                    encoding="utf-8"), "title": f"<{example.stem}>"}) + "\n")
    return path


def index_scores(folder):
    page = (folder / "index.html").read_text(encoding="utf-8")
    return [float(s) for s in re.findall(r"<tr><td>(\d+)</td>", page)], page


def test_batch_writes_a_page_per_article_and_a_sorted_index(tmp_path):
    source = write_input(tmp_path / "in.jsonl")
    folder = tmp_path / "html"
    run_batch(BatchOptions(inputs=[str(source)], out=tmp_path / "out.jsonl", scorer="rules",
                           html_dir=folder))
    reports = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    pages = sorted(p.name for p in folder.glob("0*.html"))
    assert len(pages) == len(reports) == 3
    scores, page = index_scores(folder)
    assert scores == sorted(scores) and len(scores) == 3
    assert all(name in page for name in pages) and "&lt;thin&gt;" in page
    spun_page = next(p for p in folder.glob("*spun*.html")).read_text(encoding="utf-8")
    assert "Machine-paraphrased text: yes" in spun_page


def test_resumed_batch_keeps_the_index_of_records_already_done(tmp_path):
    source = write_input(tmp_path / "in.jsonl", copies=2)
    out, folder = tmp_path / "out.jsonl", tmp_path / "html"
    options = BatchOptions(inputs=[str(source)], out=out, scorer="rules", html_dir=folder)
    run_batch(options)
    full = (folder / "index.html").read_text(encoding="utf-8")
    # As if the job had stopped after two records (and a third page was already written).
    out.write_text("".join(out.read_text().splitlines(keepends=True)[:2]))
    run_batch(BatchOptions(**{**options.__dict__, "resume": True}))
    assert (folder / "index.html").read_text(encoding="utf-8") == full
    assert len((folder / "index.jsonl").read_text().splitlines()) == 6


def test_report_html_option_writes_the_page(tmp_path, capsys):
    target = tmp_path / "thin.html"
    assert main(["report", str(EXAMPLES / "thin.txt"), "--json", "--scorer", "rules",
                 "--html", str(target)]) == 0
    assert json.loads(capsys.readouterr().out)["check_next"]
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", str(EXAMPLES / "thin.txt"), "--html", str(tmp_path / "no" / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "x.html" in err and err.count("\n") == 1
