"""Streams batch input records (JSONL, CSV, folders of .txt, stdin) with their origin.

A record that cannot be read becomes a BadRecord carrying the input name, line and reason, so
the job goes on and the error is written in its place.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .load import DEFAULT_MAX_ARTICLE_BYTES, decode_article
from .records import Article

OPTIONAL_FIELDS = ("title", "url", "source", "published")
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class GoodRecord:
    input: str
    line: int
    article: Article


@dataclass(frozen=True)
class BadRecord:
    input: str
    line: int
    reason: str


def _article(fields: dict, name: str, line: int, max_bytes: int) -> GoodRecord | BadRecord:
    text, record_id = fields.get("text"), fields.get("id")
    if record_id is None or (isinstance(record_id, str) and not record_id.strip()):
        return BadRecord(name, line, "missing 'id'")
    if not isinstance(text, str) or not text.strip():
        return BadRecord(name, line, "missing or empty 'text'")
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return BadRecord(name, line, f"article larger than the {max_bytes}-byte limit")
    extra = {k: str(fields[k]) for k in OPTIONAL_FIELDS if fields.get(k) not in (None, "")}
    return GoodRecord(name, line, Article(id=str(record_id), text=text, **extra))


def _jsonl(stream, name: str, max_bytes: int):
    for number, raw in enumerate(stream, 1):
        if len(raw) > max_bytes + 4096:
            yield BadRecord(name, number, f"line larger than the {max_bytes}-byte article limit")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield BadRecord(name, number, f"not UTF-8 (bad byte at offset {error.start})")
            continue
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
        except ValueError as error:
            yield BadRecord(name, number, f"invalid JSON ({error.msg})")
            continue
        if not isinstance(fields, dict):
            yield BadRecord(name, number, "a record must be a JSON object")
            continue
        yield _article(fields, name, number, max_bytes)


def _csv(path: Path, max_bytes: int):
    name = str(path)
    with path.open("rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="")
        try:
            reader = csv.DictReader(text)
            header = reader.fieldnames or []
        except (UnicodeDecodeError, csv.Error) as error:
            yield BadRecord(name, 1, f"unreadable CSV header ({error})")
            return
        missing = {"id", "text"} - set(header)
        if missing:
            yield BadRecord(name, 1, f"CSV header lacks {', '.join(sorted(missing))}")
            return
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as error:
                yield BadRecord(name, reader.line_num, f"unreadable CSV row ({error})")
                return
            yield _article(fields, name, reader.line_num, max_bytes)


def _folder(path: Path, max_bytes: int):
    for file in sorted(path.glob("*.txt")):
        try:
            data = file.read_bytes()
            if len(data) > max_bytes:
                raise InputError(f"article larger than the {max_bytes}-byte limit")
            yield GoodRecord(str(file), 1, Article(id=file.stem, text=decode_article(data, file.name)))
        except InputError as error:
            yield BadRecord(str(file), 1, str(error).removeprefix(f"{file.name}: "))
        except OSError as error:
            yield BadRecord(str(file), 1, f"cannot read ({error.strerror})")


def read_inputs(inputs: list[str], max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
                ) -> Iterator[GoodRecord | BadRecord]:
    """Every record of every input, in order."""
    for name in inputs:
        if name == "-":
            yield from _jsonl(sys.stdin.buffer, "<stdin>", max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _folder(path, max_bytes)
        elif not path.exists():
            raise InputError(f"{name}: no such file or folder")
        elif path.suffix.lower() == ".csv":
            yield from _csv(path, max_bytes)
        else:
            with path.open("rb") as stream:
                yield from _jsonl(stream, name, max_bytes)


def count_records(inputs: list[str]) -> int | None:
    """The number of input lines/files when it can be known cheaply (None for stdin)."""
    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(1 for _ in path.glob("*.txt"))
        elif path.is_file():
            with path.open("rb") as stream:
                lines = sum(1 for _ in stream)
            total += lines - 1 if path.suffix.lower() == ".csv" else lines
    return total
