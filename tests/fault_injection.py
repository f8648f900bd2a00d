"""Kill-and-resume rounds for the batch job, shared by tests/test_batch_faults.py (a few rounds,
the job forked from the test process) and benchmarks/kill_resume.py (many rounds, the real
`python -m pipeline batch` command).

A round starts the job, stops it at a random moment (SIGKILL, SIGTERM, or a file-size limit that
makes writes fail with EFBIG), possibly stops the resumed job again, then lets `--resume` finish
and compares every output file, byte for byte, with an uninterrupted run.
"""

from __future__ import annotations

import csv
import json
import os
import random
import resource
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FAULTS = ("SIGKILL", "SIGTERM", "EFBIG")
OUTPUTS = ("out.jsonl", "out.errors.jsonl", "sentences.jsonl", "summary.csv")


def build_inputs(folder: Path, copies: int) -> list[str]:
    """A JSONL file, a CSV file and a folder of .txt, with bad records among the good ones."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for i, text in enumerate(texts):
                out.write(json.dumps({"id": f"a{n}-{i}", "text": text, "title": f"T{n}"}) + "\n")
            if n % 7 == 3:  # the errors file gets its share of lines too
                out.write('{"id": "broken", "text": \n')
                out.write(json.dumps({"id": f"empty{n}", "text": "  "}) + "\n")
            if n % 11 == 5:  # a summary-CSV id with a quote and a line break inside
                out.write(json.dumps({"id": f'multi\n"line" {n}', "text": texts[0]}) + "\n")
    table = folder / "articles.csv"
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "url"])
        for n in range(max(1, copies // 4)):
            writer.writerow([f"c{n}", texts[n % len(texts)], f"https://example.org/{n}"])
        writer.writerow(["", "no id", ""])
    pages = folder / "pages"
    pages.mkdir(exist_ok=True)
    for i, text in enumerate(texts):
        (pages / f"page{i}.txt").write_text(text, encoding="utf-8")
    return [str(jsonl), str(table), str(pages)]


def batch_argv(inputs: list[str], out_dir: Path, workers: int, resume: bool) -> list[str]:
    argv = ["batch", *inputs, "-o", str(out_dir / "out.jsonl"), "--sentences",
            str(out_dir / "sentences.jsonl"), "--csv", str(out_dir / "summary.csv"),
            "--workers", str(workers), "--quiet"]
    return argv + ["--resume"] if resume else argv


def start_job(argv: list[str], log: Path, in_process: bool, file_size_limit: int | None = None) -> int:
    """Fork a child in its own process group that runs the batch command; returns its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        os.setpgid(0, 0)
        handle = open(log, "a", encoding="utf-8")  # noqa: SIM115 - lives until _exit
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        sys.stdout = sys.stderr = handle
        if file_size_limit is not None:
            # A full disk, as the process sees it: writes past the limit fail with EFBIG.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
        if in_process:
            from pipeline.cli import main

            code = main(argv)
        else:
            os.chdir(REPO)
            os.execv(sys.executable, [sys.executable, "-m", "pipeline", *argv])
    except BaseException as error:  # noqa: BLE001 - report whatever happened, never return
        print(f"child failed: {error!r}", file=sys.stderr)
    finally:
        sys.stderr.flush()
        os._exit(code)


def finish(pid: int, timeout: float = 300.0) -> int:
    """Wait for the job; then end any worker it left behind (its process group)."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return os.waitstatus_to_exitcode(status)


def run_job(argv, log, in_process, file_size_limit=None) -> int:
    return finish(start_job(argv, log, in_process, file_size_limit))


@dataclass
class Reference:
    inputs: list[str]
    folder: Path
    seconds: float
    sizes: dict[str, int]
    exit_code: int


def make_reference(folder: Path, copies: int, in_process: bool) -> Reference:
    if in_process:  # import once here, so that each forked job starts at once
        import pipeline.batch  # noqa: F401
        import pipeline.cli  # noqa: F401
        import pipeline.learned  # noqa: F401
        import pipeline.scorer  # noqa: F401
    inputs = build_inputs(folder / "inputs", copies)
    out = folder / "reference"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    code = run_job(batch_argv(inputs, out, 1, False), folder / "reference.log", in_process)
    seconds = time.perf_counter() - started
    sizes = {name: (out / name).stat().st_size for name in OUTPUTS}
    return Reference(inputs, out, seconds, sizes, code)


@dataclass
class Round:
    seed: int
    fault: str
    workers: int
    stops: list[str]
    passed: bool
    detail: str = ""


def run_round(seed: int, reference: Reference, work: Path, in_process: bool,
              fault: str | None = None) -> Round:
    """Stop the job 1–3 times at random, finish it with --resume, compare with the reference."""
    rng = random.Random(seed)
    fault = fault or rng.choice(FAULTS)
    workers = rng.choice((1, 2))
    out = work / f"round-{seed}"
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    log = out / "job.log"
    stops = []
    for attempt in range(rng.randint(1, 3)):
        argv = batch_argv(reference.inputs, out, workers, resume=attempt > 0)
        if fault == "EFBIG":
            limit = rng.randint(1, max(reference.sizes.values()))
            code = run_job(argv, log, in_process, file_size_limit=limit)
            stops.append(f"EFBIG@{limit}B:exit{code}")
            if code not in (2, reference.exit_code):
                return Round(seed, fault, workers, stops, False, f"exit {code} under a size limit")
            continue
        pid = start_job(argv, log, in_process)
        delay = rng.uniform(0.0, reference.seconds * 1.1)
        time.sleep(delay)
        try:
            os.kill(pid, getattr(signal, fault))
        except ProcessLookupError:
            pass
        code = finish(pid)
        stops.append(f"{fault}@{delay:.2f}s:exit{code}")
    code = run_job(batch_argv(reference.inputs, out, workers, resume=True), log, in_process)
    if code != reference.exit_code:  # 3: the errors file has records, whichever run wrote them
        return Round(seed, fault, workers, stops, False, f"resume exited {code}: {_tail(log)}")
    for name in OUTPUTS:
        got, want = (out / name).read_bytes(), (reference.folder / name).read_bytes()
        if got != want:
            return Round(seed, fault, workers, stops, False, f"{name} differs: {_difference(got, want)}")
    return Round(seed, fault, workers, stops, True)


def _tail(log: Path) -> str:
    lines = log.read_text(encoding="utf-8", errors="replace").strip().split("\n")
    return lines[-1][:300] if lines else ""


def _difference(got: bytes, want: bytes) -> str:
    got_lines, want_lines = got.split(b"\n"), want.split(b"\n")
    for i, (a, b) in enumerate(zip(got_lines, want_lines)):
        if a != b:
            return f"line {i + 1}: got {a[:80]!r}, want {b[:80]!r}"
    return f"{len(got_lines)} lines, want {len(want_lines)}"
