"""Article texts rebuilt from our own data/corpus and examples/, shared by the benchmarks."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def our_articles(joiner: str = "\n") -> list[str]:
    """Each corpus article's lines joined in id order, then the example articles."""
    articles: dict[str, list[str]] = {}
    for path in sorted((REPO / "data" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                record = json.loads(line)
                articles.setdefault(record["id"].rsplit("-", 1)[0], []).append(record["text"])
    texts = [joiner.join(lines) for lines in articles.values()]
    return texts + [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
