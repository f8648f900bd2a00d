import json
import subprocess
import sys

import pytest

from pipeline.cli import main
from tests.conftest import EXAMPLES

LABEL_VALUES = {"hedging": {True, False},
                "source": {"named", "anonymous", "document", "none"},
                "verification": {"confirmed", "unverified", "disputed", "none"}}


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_prints_a_readable_report(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run(["report", str(EXAMPLES / "thin.txt")], capsys)
    assert code == 0 and err == ""
    assert "Score" in out and "Flags" in out and "anonymous" in out
    assert "\x1b[" not in out  # no colour codes when piped or NO_COLOR
    assert max(len(line) for line in out.splitlines()) <= 80


def test_report_of_a_spun_article_says_how_it_was_fused(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    line = "fused with the spun-text weights"
    assert line in run(["report", str(EXAMPLES / "spun.txt")], capsys)[1]
    assert line not in run(["report", str(EXAMPLES / "thin.txt")], capsys)[1]
    assert line not in run(["report", "--scorer", "rules", str(EXAMPLES / "spun.txt")], capsys)[1]


def test_report_json_follows_the_schema(capsys):
    code, out, _ = run(["report", str(EXAMPLES / "well_sourced.txt"), "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["schema"] == "credscore.report/1"
    assert set(report) >= {"score", "band", "components", "sources", "flags", "sentences"}
    text = (EXAMPLES / "well_sourced.txt").read_text(encoding="utf-8")
    for sentence in report["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
        if sentence["kind"] == "sentence":
            for dim, values in LABEL_VALUES.items():
                assert sentence[dim]["label"] in values
                assert 0.0 <= sentence[dim]["score"] <= 1.0
            assert "who" in sentence["source"]
    assert report["band"] == "strong"


def test_bands_order_the_examples(capsys):
    scores = {}
    for name in ("well_sourced", "thin"):
        _, out, _ = run(["report", str(EXAMPLES / f"{name}.txt"), "--json"], capsys)
        scores[name] = json.loads(out)["score"]
    assert scores["well_sourced"] > scores["thin"] + 20


@pytest.mark.parametrize("content,needle", [
    (None, "no such file"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"   \n\n  ", "empty"),
])
def test_bad_input_gets_one_line(tmp_path, capsys, content, needle):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(["report", str(path)], capsys)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and str(path) in err


def test_directory_is_refused(tmp_path, capsys):
    code, _, err = run(["report", str(tmp_path)], capsys)
    assert code == 2 and "directory" in err


def test_stdin_is_read(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "-", "--json"],
                            input=b"The mayor said the road will reopen.",
                            capture_output=True, check=False)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["sentences"][0]["source"]["label"] == "named"


def test_rules_check(tmp_path, capsys):
    code, out, _ = run(["rules", "check"], capsys)
    assert code == 0 and "ok" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nlexicons: {}\nsurprise: 3\n", encoding="utf-8")
    code, _, err = run(["rules", "check", str(bad)], capsys)
    assert code == 2 and "bad.yaml" in err and "surprise" in err


def test_custom_rules_file_is_used(tmp_path, capsys):
    from pipeline.resources import rules_path

    text = rules_path().read_text(encoding="utf-8").replace(
        "prior: {false: 0.0, true: -1.5}", "prior: {false: 0.0, true: 9.0}")
    custom = tmp_path / "rules.yaml"
    custom.write_text(text, encoding="utf-8")
    code, out, _ = run(["report", str(EXAMPLES / "well_sourced.txt"), "--json", "--scorer",
                        "rules", "--rules", str(custom)], capsys)
    assert code == 0
    assert all(s["hedging"]["label"] for s in json.loads(out)["sentences"] if s["kind"] == "sentence")


@pytest.mark.parametrize("args,needle", [
    (["report", str(EXAMPLES / "thin.txt"), "--models", "/no/such/models"], "no trained models"),
    (["train", "--data", "/no/such/data", "--out", "/tmp/unused-models"], "no such file"),
    (["eval"], "gold file"),
])
def test_misused_options_get_one_line(capsys, args, needle):
    code, out, err = run(args, capsys)
    assert code == 2 and needle in err and err.count("\n") == 1


@pytest.mark.parametrize("option, value", [("--workers", "0"), ("--workers", "-2"),
                                           ("--max-bytes", "0"), ("--max-bytes", "lots")])
def test_batch_refuses_counts_below_one_in_one_line(option, value, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["batch", str(EXAMPLES), "-o", str(tmp_path / "out.jsonl"), option, value])
    err = capsys.readouterr().err.strip().splitlines()
    assert stopped.value.code == 2 and option in err[-1]
    assert not (tmp_path / "out.jsonl").exists()
