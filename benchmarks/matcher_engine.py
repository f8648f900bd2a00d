"""The rule engine against the naive design: one regular expression per rule per sentence.

    python benchmarks/matcher_engine.py

Both find the same raw matches on our corpus sentences; the engine walks a token n-gram index
once per sentence and runs a pattern only when its anchor word was seen.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.lexicon_regex import expand_lexicons  # noqa: E402
from pipeline.matcher import Matcher  # noqa: E402
from pipeline.records import SENTENCE  # noqa: E402
from pipeline.rulebook import load_rulebook  # noqa: E402
from pipeline.scorer import Pipeline  # noqa: E402


def corpus_sentences() -> list[str]:
    segmenter = Pipeline(scorer="rules").segmenter
    sentences = []
    for path in sorted((REPO / "data" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                record = json.loads(line)
                if record["kind"] == SENTENCE:
                    sentences.extend(s.text for s in segmenter.segment(record["text"]))
    return sentences


def naive_regexes(rulebook) -> list[re.Pattern]:
    """What a rule-per-regex engine compiles: each rule's cues or pattern on its own."""
    compiled = []
    for rule in rulebook.rules:
        if rule.pattern is not None:
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            compiled.append(re.compile(expand_lexicons(rule.pattern, rulebook.lexicons), flags))
            continue
        phrases = [p for item in rule.cues for p in
                   (rulebook.lexicons[item[1:]] if item.startswith("@") else [item])]
        body = "|".join(re.escape(p).replace(r"\ ", r"\s+")
                        for p in sorted(phrases, key=len, reverse=True))
        compiled.append(re.compile(rf"\b(?:{body})\b", re.IGNORECASE))
    return compiled


def rate(function, sentences) -> float:
    started = time.process_time()
    for sentence in sentences:
        function(sentence)
    return len(sentences) / (time.process_time() - started)


def main() -> None:
    rulebook = load_rulebook()
    sentences = corpus_sentences()
    matcher = Matcher(rulebook)
    regexes = naive_regexes(rulebook)
    engine = rate(matcher.evidence, sentences)
    naive = rate(lambda s: [list(r.finditer(s)) for r in regexes], sentences)
    print(f"{len(sentences)} sentences, {len(rulebook.rules)} rules")
    print(f"engine (index + anchored patterns, cues resolved): {engine:,.0f} sentences/s")
    print(f"naive (one regex per rule, raw matches only):       {naive:,.0f} sentences/s")
    print(f"engine / naive: {engine / naive:.1f}x")


if __name__ == "__main__":
    main()
