"""Is scoring time linear in the input? Scores each kind of text at a base size and at ten times
that size and prints the time ratio (10 means linear), for normal news text (examples/ and
data/corpus/) and for the pathological inputs of the property tests.

    python benchmarks/linearity.py [--kb 100] [--repeat 3]

The per-article limit of the CLI and the batch job is 2,000,000 bytes (--max-bytes), so the
large size stays at or below about 1 MB by default.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.errors import InputError  # noqa: E402
from pipeline.records import Article  # noqa: E402
from pipeline.scorer import Pipeline  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import our_articles  # noqa: E402

WORDS = ("officials said the bridge may reopen according to a report which the ministry denied "
         "reportedly not confirmed sources told reporters that Minister Jones").split()


def news_articles() -> list[str]:
    examples = len(list((REPO / "examples").glob("*.txt")))
    texts = our_articles(joiner=" ")
    return texts[-examples:] + texts[:-examples]


def repeat_to(pieces: list[str], size: int, separator: str = "") -> str:
    out, total, i = [], 0, 0
    while total < size:
        piece = pieces[i % len(pieces)] + separator
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out)[:size]


def mixed(noise: Callable[[random.Random], str], share: float) -> Callable[[int], str]:
    """Words of news with noise between them, as much noise as `share` of the pieces."""
    def make(size: int) -> str:
        rng = random.Random(size)
        pieces, total = [], 0
        while total < size:
            piece = noise(rng) if rng.random() < share else rng.choice(WORDS) + " "
            pieces.append(piece)
            total += len(piece)
        return "".join(pieces)[:size]
    return make


def _surrogates(rng: random.Random) -> str:
    return rng.randbytes(6).decode("utf-8", "surrogateescape")


CASES: dict[str, Callable[[int], str]] = {
    "news (examples + corpus)": lambda size: repeat_to(news_articles(), size, "\n\n"),
    "control characters": mixed(lambda r: chr(r.randrange(32)), 0.3),
    "NUL between words": lambda size: repeat_to([w + "\x00" for w in WORDS], size),
    "lone surrogates": mixed(_surrogates, 0.3),
    "right-to-left scripts": mixed(lambda r: r.choice(["قال المسؤولون ", "אמרו גורמים ", "\u202e",
                                                       "\u200f", "\u2067"]), 0.5),
    "emoji": mixed(lambda r: r.choice(["😀", "👩‍👩‍👧 ", "🇺🇦", "👍🏽", "\ufe0f", "🌉 "]), 0.5),
    "only whitespace": lambda size: repeat_to([" ", "\n", "\t", "\u00a0", "\u3000"], size),
    "only punctuation": lambda size: "".join(random.Random(size).choice("!?.,;:-—()[]\"'…*/&%")
                                             for _ in range(size)),
    "no full stop": lambda size: repeat_to([w + " " for w in WORDS], size),
    "one word repeated ('officials')": lambda size: repeat_to(["officials "], size),
    "one word repeated ('said')": lambda size: repeat_to(["said "], size),
    "one token, no spaces": lambda size: "a" * size,
}


def best_time(pipeline: Pipeline, text: str, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), "ok"
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            pipeline.score_article(Article(id="bench", text=text))
        except InputError:
            outcome = "InputError (by design)"
        except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
            outcome = f"FAILED: {error.__class__.__name__}"
        best = min(best, time.perf_counter() - started)
    return best, outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=float, default=100.0, help="base size in kB (default 100)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = parser.parse_args()
    pipeline = Pipeline()
    pipeline.score_article(Article(id="warm", text=news_articles()[0]))
    small = int(args.kb * 1000)
    print(f"scorer {pipeline.scorer}; base {small:,} characters vs 10× ({10 * small:,}); best of "
          f"{args.repeat}")
    print(f"{'input':34s} {'base s':>8s} {'10× s':>8s} {'ratio':>6s}  outcome")
    ratios = []
    for name, make in CASES.items():
        t_small, outcome = best_time(pipeline, make(small), args.repeat)
        t_large, outcome_large = best_time(pipeline, make(10 * small), args.repeat)
        ratio = t_large / t_small if t_small > 0 else float("nan")
        if outcome == outcome_large == "ok":
            ratios.append(ratio)
        shown = outcome if outcome == outcome_large else f"{outcome} / {outcome_large}"
        print(f"{name:34s} {t_small:8.3f} {t_large:8.3f} {ratio:6.1f}  {shown}", flush=True)
    if ratios:
        print(f"ratio over the scored cases: min {min(ratios):.1f}, max {max(ratios):.1f} "
              "(10 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
