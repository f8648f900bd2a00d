"""Reads articles from files and streams; every failure is an InputError naming the input."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError
from .records import Article

DEFAULT_MAX_ARTICLE_BYTES = 2_000_000


def decode_article(data: bytes, name: str) -> str:
    """UTF-8 text of an article, refusing binary and undecodable bytes."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (bad byte at offset {error.start})") from None
    if not text.strip():
        raise InputError(f"{name}: the article is empty")
    return text


def read_article(path: str, max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> Article:
    """One article from a text file, or from standard input when path is '-'."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        name, article_id = "<stdin>", "stdin"
    else:
        file = Path(path)
        name, article_id = path, file.stem
        if file.is_dir():
            raise InputError(f"{path}: is a directory (give an article file, or use 'batch')")
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > max_bytes:
        raise InputError(f"{name}: larger than the {max_bytes}-byte article limit")
    text = decode_article(data, name)
    return Article(id=article_id, text=text)



def read_jsonl_records(path: str) -> list[dict]:
    """Every object of a JSON Lines file; a bad line is an InputError naming file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read ({error.__class__.__name__})") from None
    return parse_jsonl_records(text, path)


def parse_jsonl_records(text: str, name: str) -> list[dict]:
    """The objects of JSON Lines text, each with a string 'text'; ``name`` is used in errors."""
    import json

    records = []
    # Only "\n" ends a record: str.splitlines would also split inside strings at U+2028 etc.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise InputError(f"{name}:{number}: not valid JSON") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f"{name}:{number}: a record needs a string 'text'")
        records.append(record)
    return records
