"""Mixed-garbage batch inputs: every good record is scored, every bad one becomes one error
record (input, line, reason), and the exit code follows the README (0 all scored, 3 some
errors, 2 fatal with one line on stderr)."""

import csv
import errno
import json
import os
import random
from pathlib import Path

import pytest

from pipeline import batch_input
from pipeline.batch_input import BadRecord, GoodRecord, read_inputs
from pipeline.cli import main
from tests.conftest import EXAMPLES, read_jsonl

TEXT = (EXAMPLES / "thin.txt").read_text(encoding="utf-8")
ONE_LINE = " ".join(TEXT.split())  # for CSV rows that are one physical line each
MB = 1_000_000


def good(record_id: str) -> str:
    return json.dumps({"id": record_id, "text": TEXT}) + "\n"


def run(capsys, *args) -> tuple[int, str]:
    code = main(["batch", *map(str, args), "--workers", "1", "--quiet"])
    return code, capsys.readouterr().err


def outputs(out: Path) -> tuple[list[str], list[dict]]:
    errors = out.with_name(out.name.replace(".jsonl", ".errors.jsonl"))
    return [r["id"] for r in read_jsonl(out)], read_jsonl(errors) if errors.exists() else []


def test_mixed_garbage_jsonl(tmp_path, capsys):
    blob = random.Random(7).randbytes(3000)
    path = tmp_path / "mixed.jsonl"
    with path.open("wb") as out:
        out.write(good("first").encode())
        out.write(blob.replace(b"\n", b" ") + b"\n")                       # 2 binary blob
        out.write(good("second").encode())
        out.write(b'{"id": "cut", "text": "The minister sa\n')               # 4 truncated line
        out.write(json.dumps({"id": "huge", "text": "word " * (2 * MB)}).encode() + b"\n")  # 5
        out.write(b"x" * (10 * MB) + b"\n")                                # 6 a 10 MB line
        out.write(good("third").encode())
        out.write('{"id": "bad-utf8", "text": "caf\xe9"}\n'.encode("latin-1"))  # 8
        out.write(b'{"id": "half", "text": "\xe2\x82"}\n')                 # 9 cut UTF-8
        out.write(b'{"id": "lone", "text": "Officials said \\udcff it."}\n')  # 10 lone surrogate
        out.write(b'{"id": "\\ud800", "text": "Officials said it."}\n')    # 11 in the id
        out.write(json.dumps({"id": "nul", "text": "Officials\u0000 said it."}).encode() + b"\n")
        out.write(b"\n   \n")                                              # blank lines: no record
        out.write(good("last").encode()[:-1])                              # no final newline
    out = tmp_path / "out.jsonl"
    code, err = run(capsys, path, "-o", out)
    ids, errors = outputs(out)
    assert code == 3 and err == ""
    assert ids == ["first", "second", "third", "nul", "last"]
    assert [e["line"] for e in errors] == [2, 4, 5, 6, 8, 9, 10, 11]
    assert all(e["input"] == str(path) and e["reason"] and "\n" not in e["reason"] for e in errors)
    reasons = {e["line"]: e["reason"] for e in errors}
    assert "2000000-byte" in reasons[5] and "invalid JSON" in reasons[6]
    assert "UTF-8" in reasons[8] and "UTF-8" in reasons[9]
    assert "surrogate" in reasons[10] and "surrogate" in reasons[11]


def test_binary_files_among_good_inputs(tmp_path, capsys):
    # Ten lines of random bytes (none blank), as a binary file cut at its newlines reads.
    noise = b"\n".join(random.Random(8).randbytes(500).replace(b"\n", b"~") for _ in range(10))
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x00" + noise)
    (folder / "c.txt").write_bytes(TEXT.encode("utf-8")[:-3] + b"\xff\xfe")
    (folder / "d.txt").write_text("   \n", encoding="utf-8")
    (folder / "e.txt").write_text(TEXT, encoding="utf-8")
    blob_jsonl = tmp_path / "blob.jsonl"
    blob_jsonl.write_bytes(noise)
    blob_csv = tmp_path / "blob.csv"
    blob_csv.write_bytes(noise)
    out = tmp_path / "out.jsonl"
    code, _ = run(capsys, folder, blob_jsonl, blob_csv, "-o", out)
    ids, errors = outputs(out)
    assert code == 3 and ids == ["a", "e"]
    inputs = [e["input"] for e in errors]
    assert inputs[:3] == [str(folder / "b.txt"), str(folder / "c.txt"), str(folder / "d.txt")]
    assert set(inputs[3:-1]) == {str(blob_jsonl)} and inputs[-1] == str(blob_csv)
    assert "header" in errors[-1]["reason"]
    assert len(inputs[3:-1]) == 10  # one error record per line of the blob


def csv_file(path: Path, header: list[str], rows: list[list[str]], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_csv_damage_spoils_only_its_own_rows(tmp_path, capsys):
    path = csv_file(tmp_path / "in.csv", ["id", "text", "title"], [
        ["r1", ONE_LINE, "one"], ["r2", "x " * (6 * MB), "huge"], ["r3", ONE_LINE, "three"],
        ["", ONE_LINE, "no id"], ["r5", "", "no text"], ["r6", ONE_LINE, "six"]])
    raw = path.read_bytes().replace(b",three\r\n", b",thr\xffee\r\n")  # a bad byte in row 4
    path.write_bytes(raw)
    wrong = csv_file(tmp_path / "wrong.csv", ["name", "body"], [["x", TEXT]])
    excel = csv_file(tmp_path / "excel.csv", ["id", "text"], [["bom", TEXT]], bom=True)
    out = tmp_path / "out.jsonl"
    code, _ = run(capsys, path, wrong, excel, "-o", out)
    ids, errors = outputs(out)
    assert code == 3 and ids == ["r1", "r6", "bom"]
    assert [(Path(e["input"]).name, e["line"]) for e in errors] == [
        ("in.csv", 3), ("in.csv", 4), ("in.csv", 5), ("in.csv", 6), ("wrong.csv", 1)]
    assert "UTF-8" in errors[1]["reason"] and "header" in errors[-1]["reason"]


def test_all_good_exits_0_and_fatal_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "ok.jsonl"
    path.write_text(good("a") + good("b"), encoding="utf-8")
    assert run(capsys, path, "-o", tmp_path / "ok-out.jsonl")[0] == 0
    code, err = run(capsys, path, tmp_path / "missing.jsonl", "-o", tmp_path / "out.jsonl")
    assert code == 2 and err.count("\n") == 1 and "missing.jsonl" in err
    # Records are read a window ahead: what was written before the stop is a prefix.
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] in (["a", "b"], ["a"], [])


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_unreadable_input_is_named_not_blamed_on_the_output(tmp_path, capsys):
    # Reading /proc/self/mem from offset 0 fails with EIO: an input that opens but cannot be read.
    code, err = run(capsys, "/proc/self/mem", "-o", tmp_path / "out.jsonl")
    assert code == 2 and err.count("\n") == 1
    assert "/proc/self/mem" in err and "out.jsonl" not in err


@pytest.mark.parametrize("workers", [1, 2])
def test_a_read_error_part_way_is_the_inputs_and_keeps_what_was_written(tmp_path, capsys, monkeypatch,
                                                                         workers):
    # Records are read lazily, inside the loop that writes: a failed read must still be told
    # apart from a failed write, and the records written before it stay a resumable prefix.
    path = tmp_path / "in.jsonl"
    path.write_text("".join(good(f"r{n}") for n in range(300)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    lines = batch_input._lines

    def failing(stream, limit):
        for number, raw in lines(stream, limit):
            if number == 250:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            yield number, raw

    monkeypatch.setattr(batch_input, "_lines", failing)
    argv = ["batch", str(path), "-o", str(out), "--scorer", "rules", "--workers", str(workers), "--quiet"]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"credscore: {path}: cannot read ({os.strerror(errno.EIO)})\n"
    written = out.read_text(encoding="utf-8")
    ids = [r["id"] for r in read_jsonl(out)]
    assert written.endswith("\n") and 0 < len(ids) < 249 and ids == [f"r{n}" for n in range(len(ids))]
    monkeypatch.setattr(batch_input, "_lines", lines)
    assert main([*argv, "--resume"]) == 0
    assert [r["id"] for r in read_jsonl(out)] == [f"r{n}" for n in range(300)]


def test_undecodable_file_names_give_printable_ids(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")  # not UTF-8: a lone surrogate in the str
    (folder / name).write_text(TEXT, encoding="utf-8")
    (records,) = list(read_inputs([str(folder)]))
    assert isinstance(records, GoodRecord)
    assert records.article.id == "caf\ufffd" and "\ufffd" in records.input
    records.input.encode("utf-8")  # writable as UTF-8 JSON


def test_reader_memory_is_bounded_for_a_line_without_end(tmp_path):
    import tracemalloc

    path = tmp_path / "endless.jsonl"
    path.write_bytes(good("a").encode() + b"y" * (40 * MB))
    tracemalloc.start()
    try:
        records = list(read_inputs([str(path)], max_bytes=MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MB  # the 40 MB line is skipped in pieces, never held whole
    assert isinstance(records[0], GoodRecord) and isinstance(records[1], BadRecord)
    assert records[1].line == 2 and "limit" in records[1].reason and len(records) == 2
