"""`credscore batch --html-dir DIR`: one page per article and an index page sorted by score.

Pages are rendered in the workers (html_report.render_html); this side only writes them. Each
page's index entry goes to DIR/index.jsonl before the record's commit point in OUT.jsonl, so
a resumed job keeps the entries of the records already done and rebuilds index.html at the end.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from .errors import CredscoreError
from .html_report import IndexEntry, render_index, write_page

ENTRIES = "index.jsonl"
INDEX = "index.html"


class HtmlSite:
    """Writes article pages into a folder and, at the end, the index page."""

    def __init__(self, folder: Path, resume_before: int | None = None):
        self.folder = folder
        self.entries: list[tuple[int, IndexEntry]] = []
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CredscoreError(f"{folder}: cannot create the HTML folder ({error.strerror})") \
                from None
        ledger = folder / ENTRIES
        if resume_before is not None and ledger.exists():
            for raw in ledger.read_text(encoding="utf-8").splitlines():
                try:
                    record = json.loads(raw)
                    seq = record.pop("seq")
                    entry = IndexEntry(**record)
                except (ValueError, KeyError, TypeError):
                    continue  # a torn last line from a stopped run
                if seq < resume_before:
                    self.entries.append((seq, entry))
        self._rewrite_ledger()

    def _rewrite_ledger(self) -> None:
        lines = "".join(json.dumps({"seq": seq, **asdict(entry)}, ensure_ascii=False) + "\n"
                        for seq, entry in self.entries)
        write_page(lines, self.folder / ENTRIES)

    def add(self, seq: int, page: str, entry: IndexEntry) -> None:
        """Writes one article's page and records its index entry."""
        write_page(page, self.folder / entry.file)
        self.entries.append((seq, entry))
        try:
            with (self.folder / ENTRIES).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"seq": seq, **asdict(entry)}, ensure_ascii=False) + "\n")
        except OSError as error:
            raise CredscoreError(f"{self.folder / ENTRIES}: cannot write ({error.strerror})") \
                from None

    def finish(self) -> Path:
        """Writes the index page (every article, weakest first) and returns its path."""
        path = self.folder / INDEX
        write_page(render_index([entry for _, entry in sorted(self.entries, key=lambda e: e[0])]),
                   path)
        return path
