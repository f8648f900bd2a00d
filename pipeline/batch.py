"""The batch job: score many articles in parallel, in input order, resumable after any stop.

Each input record ends in exactly one line of OUT.jsonl (scored) or OUT.errors.jsonl (not),
written in input order and flushed, so the processed records are always a prefix of the input:
`--resume` counts the complete lines of both files, drops a torn last line, and goes on.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from operator import attrgetter
from pathlib import Path

from .batch_input import BadRecord, GoodRecord, count_records, read_inputs
from .errors import CredscoreError
from .load import DEFAULT_MAX_ARTICLE_BYTES
from .records import DIMENSIONS, LABEL_KEYS, label_key
from .serialize import report_json, sentence_lines

WINDOW_PER_WORKER = 64
CHUNK = 16
# Chunks queued per worker: a worker never waits for the parent to hand it the next one, and
# no more than WINDOW_PER_WORKER records per worker are read ahead (memory stays flat).
IN_FLIGHT_PER_WORKER = WINDOW_PER_WORKER // CHUNK
CSV_COUNTS = [f"{dim}_{key}" for dim in DIMENSIONS for key in LABEL_KEYS[dim]]


@dataclass
class BatchOptions:
    inputs: list[str]
    out: Path
    sentences: Path | None = None
    csv: Path | None = None
    workers: int = 1
    resume: bool = False
    with_text: bool = False
    scorer: str = "combined"
    rules: str | None = None
    models: str | None = None
    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    html_dir: Path | None = None


@dataclass
class BatchSummary:
    articles: int = 0
    sentences: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    bands: Counter = field(default_factory=Counter)
    errors_before: int = 0  # error records an earlier, resumed run already wrote

    @property
    def partial(self) -> bool:
        """Whether the errors file holds any record at the end (exit code 3), this run's or not."""
        return bool(self.errors or self.errors_before)


_PIPELINE = None
_INIT_ERROR: Exception | None = None


def _init_worker(rules, models, scorer):
    global _PIPELINE, _INIT_ERROR
    parent = multiprocessing.parent_process()
    in_worker = parent is not None
    if in_worker:
        # Ctrl-C reaches the whole process group: only the parent handles it, and it lets the
        # workers finish the chunks in flight (see _stop_workers).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(target=_exit_with_parent, args=(parent.pid,), daemon=True).start()
    from .scorer import Pipeline

    try:
        _PIPELINE = Pipeline(rules_path=rules, models_path=models, scorer=scorer)
    except Exception as error:  # noqa: BLE001 - in a worker, raised again by its first chunk
        if not in_worker:
            raise
        # A worker whose initializer raises exits: the parent would only learn that a worker
        # died, not that rules.yaml or a model is bad. An OSError raised in the parent's write
        # loop would pass for a failed write: it goes as the internal error it is.
        _INIT_ERROR = error if not isinstance(error, OSError) else RuntimeError(
            f"loading the scorer failed ({error.__class__.__name__}: {error})")
        return
    if not in_worker:
        return
    # The modules, rules and models are some 50,000 objects that live as long as the process:
    # left in the collected generations, every full collection walks them all again. Only in a
    # worker: in the caller's process (one worker) it would freeze the caller's heap, every run.
    gc.freeze()


def _exit_with_parent(parent: int) -> None:
    # A worker whose parent was killed would wait on the executor's queues forever (it holds
    # both ends of their pipes, so no end-of-file comes): it leaves once it is orphaned.
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _csv_header(components: list[str]) -> list[str]:
    return ["id", "score", "band", *components, "sentences", *CSV_COUNTS]


def _score_chunk(chunk: list) -> list[tuple]:
    """Worker: records → results in the same order (see _result). Articles are scored
    together, which amortises the per-call array work over the whole chunk."""
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    from .scorer import score_each

    good = [(seq, record) for seq, record, *_ in chunk if isinstance(record, GoodRecord)]
    outcomes = dict(zip((seq for seq, _ in good),
                        score_each(_PIPELINE, [record.article for _, record in good])))
    results = []
    for seq, record, with_text, want_sentences, want_html in chunk:
        if isinstance(record, BadRecord):
            results.append(("error", _error_line(record.input, record.line, record.reason)))
            continue
        outcome = outcomes[seq]
        if isinstance(outcome, str):  # the reason it could not be scored
            results.append(("error", _error_line(record.input, record.line, outcome)))
            continue
        results.append(_result(seq, outcome, with_text, want_sentences, want_html))
    return results


def _result(seq: int, report, with_text: bool, want_sentences: bool, want_html: bool = False) -> tuple:
    """("ok", report line, sentence lines, csv row, sentences, band, component names,
    html page and index entry or None)."""
    line = report_json(report, with_text=with_text) + "\n"
    lines = sentence_lines(report, seq) if want_sentences else ""
    row = summary_row(report)
    page = None
    if want_html:
        from .html_report import index_entry, page_name, render_html

        page = (seq, render_html(report), index_entry(report, page_name(seq, report.article.id)))
    return ("ok", line, lines, row, len(report.scored_sentences), report.band,
            list(dict(report.components)), page)


def summary_row(report) -> list:
    """One --csv row (columns of _csv_header): id, score, band, components, counts per label."""
    scored = report.scored_sentences
    counts = {f"{dim}_{label_key(label)}": n for dim in DIMENSIONS
              for label, n in Counter(map(attrgetter(f"{dim}.label"), scored)).items()}
    return [report.article.id, report.score, report.band, *dict(report.components).values(),
            len(scored), *[counts.get(c, 0) for c in CSV_COUNTS]]


def _error_line(name: str, line: int, reason: str) -> str:
    return json.dumps({"input": name, "line": line, "reason": reason}, ensure_ascii=False) + "\n"


def _complete_lines(path: Path) -> int:
    """Drops a torn last line (a crash mid-write) and counts the complete ones."""
    if not path.exists():
        return 0
    data = path.read_bytes()
    keep = data.rfind(b"\n") + 1
    if keep != len(data):
        with path.open("r+b") as handle:
            handle.truncate(keep)
    return data[:keep].count(b"\n")


def _truncate_lines(path: Path, keep_lines: int, predicate=None, whole=None) -> None:
    """Keep the first records of a file (those passing predicate, when given). A record is one
    line, or with ``whole`` the shortest run of lines for which whole(record) is true."""
    if not path.exists():
        return
    kept, size, record = 0, 0, b""
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            record += raw
            if whole is not None and not whole(record):
                continue
            if kept >= keep_lines or (predicate and not predicate(record)):
                break
            kept += 1
            size += len(record)
            record = b""
    with path.open("r+b") as handle:
        handle.truncate(size)


def _whole_csv_row(record: bytes) -> bool:
    # A quoted field may hold line breaks (an id with a newline); quotes inside are doubled,
    # so a row is complete exactly when its quotes balance.
    return record.count(b'"') % 2 == 0


def errors_path(out: Path) -> Path:
    return out.with_name(out.name.removesuffix(".jsonl") + ".errors.jsonl")


def _prepare_resume(options: BatchOptions) -> tuple[int, int]:
    """(records already done, of which scored); makes side files agree with the main output."""
    done_ok = _complete_lines(options.out)
    done = done_ok + _complete_lines(errors_path(options.out))
    if options.sentences:
        _truncate_lines(options.sentences, 1 << 62,
                        lambda raw: json.loads(raw)["article_seq"] < done)
    if options.csv:
        _truncate_lines(options.csv, done_ok + 1, whole=_whole_csv_row)
    return done, done_ok


def run_batch(options: BatchOptions, on_progress=None) -> BatchSummary:
    """Score every input record; returns the summary. Raises CredscoreError on a fatal stop."""
    summary = BatchSummary()
    done, done_ok = _prepare_resume(options) if options.resume else (0, 0)
    summary.skipped, summary.errors_before = done, done - done_ok
    mode = "a" if options.resume else "w"
    started = time.perf_counter()
    try:
        out = options.out.open(mode, encoding="utf-8", newline="")
        errors = errors_path(options.out).open(mode, encoding="utf-8", newline="")
        sentences = options.sentences.open(mode, encoding="utf-8", newline="") \
            if options.sentences else None
        csv_file = options.csv.open(mode, encoding="utf-8", newline="") if options.csv else None
    except OSError as error:
        raise CredscoreError(f"{error.filename}: cannot open for writing ({error.strerror})") from None
    # On resume the header may already be there even when no row is (stopped right after it).
    csv_needs_header = csv_file is not None and (not options.resume or options.csv.stat().st_size == 0)
    records = read_inputs(options.inputs, options.max_bytes)
    site = None
    if options.html_dir is not None:
        from .html_batch import HtmlSite

        site = HtmlSite(options.html_dir, resume_before=done if options.resume else None)
    items = ((seq, record, options.with_text, sentences is not None, site is not None)
             for seq, record in enumerate(records) if seq >= done)
    workers = max(1, options.workers)
    executor, thaw, broken = None, False, False
    if workers > 1:
        # Not multiprocessing.Pool: it replaces a worker that dies (killed, out of memory) and
        # the chunk that worker held is never answered, so the job would wait for it forever.
        # An executor fails every chunk in flight instead (BrokenProcessPool).
        executor = ProcessPoolExecutor(
            workers, mp_context=get_context("fork" if hasattr(os, "fork") else "spawn"),
            initializer=_init_worker, initargs=(options.rules, options.models, options.scorer))
        submit = lambda chunk: executor.submit(_score_chunk, chunk)  # noqa: E731
        in_flight = IN_FLIGHT_PER_WORKER * workers
    else:
        _init_worker(options.rules, options.models, options.scorer)
        submit = lambda chunk: _Done(_score_chunk(chunk))  # noqa: E731
        in_flight = 1
        # Full collections would walk the rules, models and modules again and again (some 10%
        # of a one-worker run); they are frozen for the run and given back to the collector
        # after it, unless the caller froze objects of its own.
        thaw = gc.get_freeze_count() == 0
        if thaw:
            gc.freeze()
    chunks = iter(lambda: list(itertools.islice(items, CHUNK)), [])
    target = options.out
    pending: deque = deque()
    try:
        while True:
            # Keep every worker busy: the next chunks are queued before this one is written.
            while len(pending) < in_flight:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(submit(chunk))
            if not pending:
                break
            for result in _chunk_results(pending.popleft(), executor):
                if result[0] == "error":
                    target = errors_path(options.out)
                    errors.write(result[1])
                    errors.flush()
                    summary.errors += 1
                    if on_progress:
                        on_progress(1, 0)
                    continue
                _, line, sentence_records, row, n_sentences, band, components, page = result
                if site is not None:
                    site.add(*page)
                if sentences is not None:
                    target = options.sentences
                    sentences.write(sentence_records)
                    sentences.flush()
                if csv_file is not None:
                    target = options.csv
                    if csv_needs_header:
                        csv_file.write(_csv_line(_csv_header(components)))
                        csv_needs_header = False
                    csv_file.write(_csv_line(row))
                    csv_file.flush()
                target = options.out
                out.write(line)
                out.flush()  # the commit point of this record
                summary.articles += 1
                summary.sentences += n_sentences
                summary.bands[band] += 1
                if on_progress:
                    on_progress(1, n_sentences)
    except OSError as error:
        raise CredscoreError(f"{target}: write failed ({error.strerror}); fix it and rerun "
                             "with --resume to go on from the last complete record") from None
    except BrokenProcessPool:
        broken = True
        written = done + summary.articles + summary.errors
        raise CredscoreError(f"a worker process died (killed or out of memory) after {written} "
                             "records were written; rerun with --resume to go on from the last "
                             "complete record") from None
    finally:
        if executor is not None:
            _stop_workers(executor, broken)
        elif thaw:
            gc.unfreeze()
        for handle in (out, errors, sentences, csv_file):
            if handle is not None:
                try:
                    handle.close()
                except OSError:
                    pass
    if site is not None:
        site.finish()
    summary.seconds = time.perf_counter() - started
    return summary


class _Done:
    """A chunk scored in this process, with the interface of the executor's Future."""

    def __init__(self, results: list):
        self._results = results

    def result(self) -> list:
        return self._results


def _chunk_results(future, executor: ProcessPoolExecutor | None) -> list:
    """The results of one chunk, or BrokenProcessPool when a worker has died. A worker killed
    while it was sending its results leaves the executor's result pipe holding half a message
    and its write lock taken: the executor then waits for the rest forever and never reports
    the death. So the wait is in short steps, and a dead worker beside a chunk still unanswered
    a few steps later counts as a broken pool."""
    if executor is None:
        return future.result()
    dead_seen = 0
    while True:
        try:
            return future.result(timeout=_POLL_SECONDS)
        except TimeoutError:
            workers = list((getattr(executor, "_processes", None) or {}).values())
            if any(worker.exitcode is not None for worker in workers):
                dead_seen += 1
                if dead_seen >= _DEAD_WORKER_STEPS:
                    raise BrokenProcessPool("a worker died and its chunk was never answered") from None


_POLL_SECONDS = 1.0
_DEAD_WORKER_STEPS = 3


def _stop_workers(executor: ProcessPoolExecutor, broken: bool = False) -> None:
    """After the end or a stop (a write or read error, a dead worker, Ctrl-C): the chunks not
    yet handed to a worker are dropped, those a worker holds (at most one per worker and one
    more) are let finish, then every worker exits and is joined. The wait is that of a chunk;
    killing live workers could leave the executor's queues locked. After a worker died the
    pool is beyond saving: the other workers are killed and our own copy of the result pipe's
    writing end is closed, so that the executor's reader, if it waits for the rest of a message
    the dead worker never finished, gets an end of file and lets the shutdown finish."""
    if broken:
        for worker in list((getattr(executor, "_processes", None) or {}).values()):
            if worker.exitcode is None:
                worker.kill()
        writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()
    executor.shutdown(wait=True, cancel_futures=True)


def _csv_line(row: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    return buffer.getvalue()


def total_records(options: BatchOptions) -> int | None:
    return count_records(options.inputs)
