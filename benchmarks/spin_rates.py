"""How often the machine-paraphrase flag fires, per kind of text: prints one line per group.

    python benchmarks/spin_rates.py

Groups: data/corpus articles, their spun copies (ids ending in "s") and the hard-case sets;
the held-out articles and spun copies of data/heldout; examples/; and, when ../shared is
beside the repository, the seed article and the PolNeAR dev and test articles (real news;
looked at while the weights were chosen, so not a clean held-out figure).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from pipeline.records import Sentence  # noqa: E402
from pipeline.scorer import Pipeline  # noqa: E402
from pipeline.spin import detect_spin  # noqa: E402


def articles_of(path: Path) -> dict[str, list[Sentence]]:
    """Records grouped by article id (the record id without its sentence number), in id order."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            grouped[record["id"].rsplit("-", 1)[0]].append(record)
    return {article: [Sentence(i, 0, len(r["text"]), r["text"], r.get("kind", "sentence"))
                      for i, r in enumerate(sorted(records, key=lambda r: r["id"]))]
            for article, records in grouped.items()}


def main() -> None:
    pipeline = Pipeline(scorer="rules")
    rules = pipeline.rulebook.spin
    groups: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)

    def flag(group: str, name: str, sentences) -> None:
        result = detect_spin(sentences, rules)
        groups[group].append((name, result.score, result.paraphrased))

    # Our corpus by part, and the held-out articles (never trained on, nor used to choose the
    # spinner vocabulary); spun copies (ids ending in "s") apart in both.
    for folder, prefix in (("corpus", "corpus"), ("heldout", "held-out")):
        for path in sorted((REPO / "data" / folder).glob("*.jsonl")):
            part = path.stem.split("_")[-1] if folder == "corpus" else "articles"
            for article, sentences in articles_of(path).items():
                flag(f"{prefix} spun copies" if article.endswith("s") else f"{prefix} {part}",
                     article, sentences)
    texts = {f"examples/{p.name}": p for p in sorted((REPO / "examples").glob("*.txt"))}
    if (SHARED / "seed" / "article.txt").exists():
        texts["seed"] = SHARED / "seed" / "article.txt"
    for name, path in texts.items():
        flag(name, name, pipeline.segmenter.segment(path.read_text(encoding="utf-8")))
    for split in ("dev", "test"):
        path = SHARED / "eval" / f"polnear_{split}.jsonl"
        if path.exists():
            for article, sentences in articles_of(path).items():
                flag(f"PolNeAR {split} (real news)", article, sentences)
    for group, rows in groups.items():
        flagged = [name for name, _, hit in rows if hit]
        top = max(score for _, score, _ in rows)
        print(f"{group:30s} {len(flagged):4d}/{len(rows):<4d} flagged ({len(flagged) / len(rows):6.1%})"
              f"  highest score {top:.2f}" + (f"  {flagged[:5]}" if 0 < len(flagged) < len(rows) else ""))


if __name__ == "__main__":
    main()
