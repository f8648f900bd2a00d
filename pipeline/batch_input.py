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
# JSON may spell a character as \uXXXX (6 bytes for 1 to 3 of UTF-8): a line holding an
# article within the limit can be up to six times its size, plus the other fields.
LINE_SLACK = 65_536
_SKIP_CHUNK = 1 << 20


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


def printable(name: str) -> str:
    """A file name as valid Unicode: bytes the file system gave that are not UTF-8 (lone
    surrogates in the str) become U+FFFD, so the name can be written into UTF-8 JSON."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _not_unicode(fields: dict, keys) -> str | None:
    """Why a field is not valid Unicode: a lone surrogate from a JSON \\udXXX escape or from bytes
    that were not UTF-8. Such text cannot be written back out as UTF-8."""
    for key in keys:
        value = fields.get(key)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                code = ord(value[error.start])
                if 0xDC80 <= code <= 0xDCFF and not isinstance(fields, _JsonFields):
                    return f"not UTF-8 (bad byte in '{key}')"
                return f"'{key}' holds a lone surrogate (\\u{code:04x}) at character {error.start}"
    return None


class _JsonFields(dict):
    """Fields parsed from JSON (where a surrogate is an escape), not decoded from bytes."""


def _article(fields: dict, name: str, line: int, max_bytes: int) -> GoodRecord | BadRecord:
    text, record_id = fields.get("text"), fields.get("id")
    if record_id is None or (isinstance(record_id, str) and not record_id.strip()):
        return BadRecord(name, line, "missing 'id'")
    if not isinstance(text, str) or not text.strip():
        return BadRecord(name, line, "missing or empty 'text'")
    reason = _not_unicode(fields, ("id", "text", *OPTIONAL_FIELDS))
    if reason:
        return BadRecord(name, line, reason)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return BadRecord(name, line, f"article larger than the {max_bytes}-byte limit")
    extra = {k: str(fields[k]) for k in OPTIONAL_FIELDS if fields.get(k) not in (None, "")}
    return GoodRecord(name, line, Article(id=str(record_id), text=text, **extra))


def _lines(stream, limit: int):
    """(line number, raw line, or None for a line longer than limit). Memory stays bounded:
    an over-long line is skipped in pieces, never held whole."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) > limit:
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(_SKIP_CHUNK)
            yield number, None
            continue
        yield number, raw


def _jsonl(stream, name: str, max_bytes: int):
    for number, raw in _lines(stream, 6 * max_bytes + LINE_SLACK):
        if raw is None:
            yield BadRecord(name, number, f"line larger than the {max_bytes}-byte article limit")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield BadRecord(name, number, f"not UTF-8 (bad byte at offset {error.start})")
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark some editors write
        if not line.strip():
            continue
        try:
            fields = json.loads(line, object_hook=_JsonFields)
        except ValueError as error:
            yield BadRecord(name, number, f"invalid JSON ({error.msg})")
            continue
        except RecursionError:
            yield BadRecord(name, number, "invalid JSON (nested too deeply)")
            continue
        if not isinstance(fields, dict):
            yield BadRecord(name, number, "a record must be a JSON object")
            continue
        yield _article(fields, name, number, max_bytes)


def _csv(path: Path, name: str, max_bytes: int):
    with path.open("rb") as binary:
        # Bad bytes decode to lone surrogates, so that they spoil only their own row (see
        # _not_unicode) rather than the rest of the file; utf-8-sig drops Excel's byte-order mark.
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            reader = csv.DictReader(text)
            header = reader.fieldnames or []
        except csv.Error as error:
            yield BadRecord(name, 1, f"unreadable CSV header ({error})")
            return
        missing = {"id", "text"} - set(header)
        if missing:
            yield BadRecord(name, 1, f"CSV header lacks {', '.join(sorted(missing))}")
            return
        while True:
            before = reader.line_num
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield BadRecord(name, reader.line_num, f"unreadable CSV row ({error})")
                if reader.line_num == before:  # no progress: the rest cannot be read
                    return
                continue
            yield _article(fields, name, reader.line_num, max_bytes)


def _folder(path: Path, max_bytes: int):
    for file in sorted(path.glob("*.txt")):
        name = printable(str(file))
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"article larger than the {max_bytes}-byte limit")
            text = decode_article(data, file.name)
            yield GoodRecord(name, 1, Article(id=printable(file.stem), text=text))
        except InputError as error:
            yield BadRecord(name, 1, str(error).removeprefix(f"{file.name}: "))
        except OSError as error:
            yield BadRecord(name, 1, f"cannot read ({error.strerror})")


def read_inputs(inputs: list[str], max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
                ) -> Iterator[GoodRecord | BadRecord]:
    """Every record of every input, in order."""
    for given in inputs:
        name = printable(given)
        # A read failure here (not a bad record) stops the job; it is named as an input error,
        # never mistaken for a failure to write the output.
        try:
            if given == "-":
                yield from _jsonl(sys.stdin.buffer, "<stdin>", max_bytes)
                continue
            path = Path(given)
            if path.is_dir():
                yield from _folder(path, max_bytes)
            elif not path.exists():
                raise InputError(f"{name}: no such file or folder")
            elif path.suffix.lower() == ".csv":
                yield from _csv(path, name, max_bytes)
            else:
                with path.open("rb") as stream:
                    yield from _jsonl(stream, name, max_bytes)
        except OSError as error:
            raise InputError(f"{name}: cannot read ({error.strerror or error})") from None


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
            with path.open("rb") as stream:  # in pieces: a line may be far larger than memory
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(_SKIP_CHUNK), b""))
            total += lines - 1 if path.suffix.lower() == ".csv" else lines
    return total
