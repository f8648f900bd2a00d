"""The batch job: formats in, order kept, bad records set aside, and kill-and-resume exact."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import EXAMPLES, REPO, read_jsonl

ARTICLES = {path.stem: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))}


def write_jsonl(path: Path, copies: int = 1) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for name, text in ARTICLES.items():
                out.write(json.dumps({"id": f"{name}-{n}", "text": text}) + "\n")
    return path


def batch(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "pipeline", "batch", *map(str, args), "--quiet"],
                            cwd=REPO, capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_jsonl_csv_and_folder_inputs_keep_order(tmp_path):
    jsonl = write_jsonl(tmp_path / "in.jsonl")
    csv_path = tmp_path / "in.csv"
    import csv

    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "title"])
        for name, text in ARTICLES.items():
            writer.writerow([f"csv-{name}", text, name])
    out = tmp_path / "out.jsonl"
    batch(jsonl, csv_path, EXAMPLES, "-o", out, "--csv", tmp_path / "sum.csv",
          "--sentences", tmp_path / "sent.jsonl", "--workers", "2")
    ids = [r["id"] for r in read_jsonl(out)]
    names = list(ARTICLES)
    assert ids == [f"{n}-0" for n in names] + [f"csv-{n}" for n in names] + names
    assert all(r["schema"] == "credscore.report/1" for r in read_jsonl(out))
    assert "text" not in read_jsonl(out)[0]["sentences"][0]
    rows = (tmp_path / "sum.csv").read_text(encoding="utf-8").strip().split("\n")
    assert rows[0].startswith("id,score,band") and len(rows) == 1 + len(ids)
    assert {r["article"] for r in read_jsonl(tmp_path / "sent.jsonl")} == set(ids)


def test_same_input_gives_same_bytes_with_any_worker_count(tmp_path):
    jsonl = write_jsonl(tmp_path / "in.jsonl", copies=3)
    batch(jsonl, "-o", tmp_path / "one.jsonl", "--workers", "1")
    batch(jsonl, "-o", tmp_path / "two.jsonl", "--workers", "2")
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_bad_records_go_to_the_errors_file(tmp_path):
    good = json.dumps({"id": "ok", "text": ARTICLES["thin"]})
    lines = [good, "{not json", json.dumps({"id": "empty", "text": "  "}),
             json.dumps({"text": "no id here."}), json.dumps(["a", "list"]), good]
    path = tmp_path / "in.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe broken bytes\n")
    result = batch(path, "-o", tmp_path / "out.jsonl", check=False)
    assert result.returncode == 3
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 2
    errors = read_jsonl(tmp_path / "out.errors.jsonl")
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 7]
    assert all(e["input"] == str(path) and e["reason"] for e in errors)


def test_csv_with_wrong_header_is_an_error_record(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("name,body\nx,y\n", encoding="utf-8")
    result = batch(path, "-o", tmp_path / "out.jsonl", check=False)
    assert result.returncode == 3
    assert "header" in read_jsonl(tmp_path / "out.errors.jsonl")[0]["reason"]


def test_killed_job_resumes_to_the_same_bytes(tmp_path):
    jsonl = write_jsonl(tmp_path / "in.jsonl", copies=120)
    reference = tmp_path / "ref.jsonl"
    batch(jsonl, "-o", reference, "--csv", tmp_path / "ref.csv", "--workers", "2")
    out = tmp_path / "out.jsonl"
    for sig in (signal.SIGKILL, signal.SIGTERM):
        out.unlink(missing_ok=True)
        (tmp_path / "out.csv").unlink(missing_ok=True)
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "batch", str(jsonl), "-o",
                                    str(out), "--csv", str(tmp_path / "out.csv"), "--workers", "2",
                                    "--quiet"], cwd=REPO)
        deadline = time.time() + 60
        while time.time() < deadline and (not out.exists() or out.stat().st_size < 20_000):
            time.sleep(0.02)
        process.send_signal(sig)
        process.wait()
        partial = out.read_bytes()
        assert 0 < len(partial) < reference.stat().st_size
        batch(jsonl, "-o", out, "--csv", tmp_path / "out.csv", "--workers", "2", "--resume")
        assert out.read_bytes() == reference.read_bytes()
        assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "ref.csv").read_bytes()


def test_unwritable_output_is_one_line(tmp_path):
    jsonl = write_jsonl(tmp_path / "in.jsonl")
    result = batch(jsonl, "-o", tmp_path / "no" / "such" / "dir" / "out.jsonl", check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "cannot open" in result.stderr
