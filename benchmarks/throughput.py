"""Batch throughput: sentences/s and MB/s with 1 and 2 workers, peak RSS, and the ratio of the
one-worker rate to a bare sentence-segmentation pass over the same text.

    python benchmarks/throughput.py [--mb 20]

The corpus is built from our own data/ articles and examples/, repeated to the size asked.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from corpus import our_articles  # noqa: E402

WORK = REPO / "benchmarks" / "_work"


def build_corpus(megabytes: float) -> tuple[Path, int]:
    texts = our_articles()
    WORK.mkdir(parents=True, exist_ok=True)
    corpus = WORK / "corpus.jsonl"
    size, n = 0, 0
    with corpus.open("w", encoding="utf-8") as out:
        while size < megabytes * 1e6:
            for text in texts:
                line = json.dumps({"id": f"a{n}", "text": text}, ensure_ascii=False) + "\n"
                out.write(line)
                size += len(line.encode("utf-8"))
                n += 1
    return corpus, size


def segmentation_rate(corpus: Path) -> tuple[float, int]:
    sys.path.insert(0, str(REPO))
    from pipeline.scorer import Pipeline

    segmenter = Pipeline(scorer="rules").segmenter
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    sentences = sum(len(segmenter.segment(text)) for text in texts)
    return sentences / (time.perf_counter() - started), sentences


def punkt_rate(corpus: Path) -> float:
    """Sentences/s of NLTK's Punkt alone (our shipped parameters, whole texts, no furniture or
    quote handling): the reference a design built on stock Punkt would be measured against."""
    sys.path.insert(0, str(REPO))
    from pipeline.resources import models_dir
    from pipeline.segment import load_punkt

    punkt = load_punkt(models_dir() / "punkt_news.json")
    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    started = time.perf_counter()
    sentences = sum(len(punkt.tokenize(text)) for text in texts)
    return sentences / (time.perf_counter() - started)


def run_batch(corpus: Path, workers: int) -> dict:
    out = WORK / f"out-{workers}.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pipeline", "batch", str(corpus), "-o", str(out),
                             "--workers", str(workers)], cwd=REPO, capture_output=True, text=True,
                            check=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = result.stderr.strip().split("\n")[-1]
    sentences = int(summary.split(" articles, ")[1].split(" sentences")[0])
    return {"workers": workers, "seconds": seconds, "sentences": sentences,
            "sentences_per_s": sentences / seconds, "peak_rss_mb": max(peak_kb, before) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=20.0)
    args = parser.parse_args()
    corpus, size = build_corpus(args.mb)
    print(f"corpus: {size / 1e6:.1f} MB, {sum(1 for _ in corpus.open())} articles")
    seg_rate, _ = segmentation_rate(corpus)
    print(f"bare segmentation: {seg_rate:,.0f} sentences/s")
    plain_punkt = punkt_rate(corpus)
    print(f"stock NLTK Punkt over whole texts (for reference): {plain_punkt:,.0f} sentences/s")
    one = None
    for workers in (1, 2):
        figures = run_batch(corpus, workers)
        one = one or figures
        print(f"{workers} worker(s): {figures['sentences_per_s']:,.0f} sentences/s, "
              f"{size / 1e6 / figures['seconds']:.2f} MB/s, {figures['seconds']:.1f} s, "
              f"peak RSS (largest process) {figures['peak_rss_mb']:.0f} MB")
    two = figures
    print(f"2-worker speed-up: {two['sentences_per_s'] / one['sentences_per_s']:.2f}x; "
          f"1-worker rate / segmentation rate: {one['sentences_per_s'] / seg_rate:.0%} "
          f"(/ stock Punkt: {one['sentences_per_s'] / plain_punkt:.0%})")


if __name__ == "__main__":
    main()
