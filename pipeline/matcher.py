"""The one rule engine: compiles a Rulebook once, then finds every cue of a sentence.

Cue phrases go into a token n-gram index that is walked once per sentence. Pattern rules
are regular expressions that run only when one of their anchor words is in the sentence, so
most patterns never run on most sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Cue, Evidence, SourceMention
from .rulebook import Rule, Rulebook, expand_lexicons

TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]")
# Sentences longer than this are scanned by patterns in overlapping windows, which bounds the
# work any one pattern can do.
PATTERN_WINDOW = 2000
PATTERN_OVERLAP = 200


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(normalise_token(t) for t in TOKEN.findall(phrase))


def normalise_token(token: str) -> str:
    return token.lower().replace("’", "'")


@dataclass(frozen=True)
class _CompiledPattern:
    rule: Rule
    regex: re.Pattern


class Matcher:
    """Finds the cues of all rules in a sentence in one pass over its tokens."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        # first token -> list of (token tuple, rule ids it fires, anchor keys it provides)
        self._index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]] = {}
        entries: dict[tuple[str, ...], tuple[set, set]] = {}
        self._rules = {rule.id: rule for rule in rulebook.rules}
        self._patterns: list[tuple[_CompiledPattern, frozenset[str]]] = []
        for rule in rulebook.rules:
            for phrase in self._phrases(rule.cues):
                entries.setdefault(phrase, (set(), set()))[0].add(rule.id)
            if rule.pattern is not None:
                anchors = frozenset(" ".join(p) for p in self._phrases(rule.anchor))
                for phrase in self._phrases(rule.anchor):
                    entries.setdefault(phrase, (set(), set()))[1].add(" ".join(phrase))
                flags = 0 if rule.case_sensitive else re.IGNORECASE
                regex = re.compile(expand_lexicons(rule.pattern, rulebook.lexicons), flags)
                self._patterns.append((_CompiledPattern(rule, regex), anchors))
        for phrase, (rule_ids, anchors) in entries.items():
            self._index.setdefault(phrase[0], []).append(
                (phrase, tuple(sorted(rule_ids)), tuple(sorted(anchors))))
        for candidates in self._index.values():
            candidates.sort(key=lambda entry: -len(entry[0]))
        self._quote = re.compile(rulebook.quote_pattern) if rulebook.quote_pattern else None

    def _phrases(self, items: tuple[str, ...]):
        for item in items:
            phrases = self.rulebook.lexicons[item[1:]] if item.startswith("@") else (item,)
            for phrase in phrases:
                tokens = phrase_tokens(phrase)
                if tokens:
                    yield tokens

    def evidence(self, text: str) -> Evidence:
        """All cues, sources and quotations found in one sentence."""
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        tokens = [normalise_token(text[s:e]) for s, e in spans]
        hits: list[tuple[Rule, int, int, int, int]] = []  # rule, start, end, who_start, who_end
        anchors_present: set[str] = set()
        for i, token in enumerate(tokens):
            for phrase, rule_ids, anchors in self._index.get(token, ()):
                n = len(phrase)
                if tuple(tokens[i:i + n]) != phrase:
                    continue
                start, end = spans[i][0], spans[i + n - 1][1]
                for rule_id in rule_ids:
                    hits.append((self._rules[rule_id], start, end, start, end))
                anchors_present.update(anchors)
        for compiled, anchors in self._patterns:
            if anchors and anchors.isdisjoint(anchors_present):
                continue
            hits.extend(self._pattern_hits(compiled, text))
        return self._resolve(text, hits)

    @staticmethod
    def _pattern_hits(compiled: _CompiledPattern, text: str):
        seen = set()
        for offset in range(0, max(len(text) - PATTERN_OVERLAP, 1), PATTERN_WINDOW - PATTERN_OVERLAP):
            window = text[offset:offset + PATTERN_WINDOW]
            for match in compiled.regex.finditer(window):
                if match.end() == match.start():
                    continue
                start, end = offset + match.start(), offset + match.end()
                if "who" in compiled.regex.groupindex and match.group("who") is not None:
                    who = (offset + match.start("who"), offset + match.end("who"))
                else:
                    who = (start, end)
                if "cue" in compiled.regex.groupindex and match.group("cue") is not None:
                    start, end = offset + match.start("cue"), offset + match.end("cue")
                if (start, end) not in seen:
                    seen.add((start, end))
                    yield compiled.rule, start, end, who[0], who[1]

    def _resolve(self, text: str, hits) -> Evidence:
        exceptions = [h for h in hits if h[0].is_exception]
        votes = [h for h in hits if not h[0].is_exception]
        if exceptions:
            votes = [h for h in votes if not any(
                h[0].id in exc.cancels and h[1] < e_end and e_start < h[2]
                for exc, e_start, e_end, _, _ in exceptions)]
        # Within a dimension a cue inside a longer one is the same evidence read twice
        # ("confirmed" inside "has not confirmed"): keep the longer.
        votes = [h for h in votes if not any(
            o is not h and o[0].dimension == h[0].dimension and o[1] <= h[1] and h[2] <= o[2]
            and (o[2] - o[1]) > (h[2] - h[1]) for o in votes)]
        votes.sort(key=lambda h: (h[1], h[2], h[0].id))
        cues, sources, seen = [], [], set()
        for rule, start, end, who_start, who_end in votes:
            key = (rule.id, start, end)
            if key in seen:
                continue
            seen.add(key)
            cues.append(Cue(rule.id, rule.dimension, rule.label, rule.weight, start, end,
                            text[start:end], rule.description))
            if rule.dimension == "source" and rule.label != "none":
                sources.append(SourceMention(text[who_start:who_end].strip(" ,"), rule.label,
                                             text[start:end], who_start, who_end))
        quotes = tuple((m.start(), m.end()) for m in self._quote.finditer(text)) \
            if self._quote else ()
        return Evidence(tuple(cues), tuple(sources), quotes)
