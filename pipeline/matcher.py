"""The one rule engine: compiles a Rulebook once, then finds every cue of a sentence.

Cue phrases go into a token n-gram index that is walked once per sentence. Pattern rules
are regular expressions that run only when one of their anchor words is in the sentence, so
most patterns never run on most sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon_regex import expand_lexicons
from .records import Cue, Evidence, SourceMention
from .rulebook import Rule, Rulebook

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
        self._rules = {rule.id: rule for rule in rulebook.rules}
        # token tuple -> (rule ids it fires, anchor keys it provides)
        entries: dict[tuple[str, ...], tuple[set, set]] = {}
        self._patterns: list[_CompiledPattern] = []
        self._unanchored: list[int] = []
        self._by_anchor: dict[str, list[int]] = {}
        for rule in rulebook.rules:
            for phrase in self._phrases(rule.cues):
                entries.setdefault(phrase, (set(), set()))[0].add(rule.id)
            if rule.pattern is None:
                continue
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            regex = re.compile(expand_lexicons(rule.pattern, rulebook.lexicons), flags)
            position = len(self._patterns)
            self._patterns.append(_CompiledPattern(rule, regex))
            anchors = {" ".join(p) for p in self._phrases(rule.anchor)}
            for phrase in self._phrases(rule.anchor):
                entries.setdefault(phrase, (set(), set()))[1].add(" ".join(phrase))
            for anchor in anchors:
                self._by_anchor.setdefault(anchor, []).append(position)
            if not anchors:
                self._unanchored.append(position)
        self._entries = {phrase: (tuple(sorted(rule_ids)), tuple(sorted(anchors)))
                         for phrase, (rule_ids, anchors) in entries.items()}
        # For each first token, the phrase lengths to try, longest first.
        lengths: dict[str, set[int]] = {}
        for phrase in self._entries:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {token: tuple(sorted(ns, reverse=True)) for token, ns in lengths.items()}
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
        lowered = text.lower().replace("’", "'")
        if len(lowered) != len(text):  # a few characters change length when lower-cased
            spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
            tokens = [normalise_token(text[s:e]) for s, e in spans]
        else:
            matches = list(TOKEN.finditer(lowered))
            spans = [m.span() for m in matches]
            tokens = [m.group() for m in matches]
        hits: list[tuple[Rule, int, int, int, int]] = []  # rule, start, end, who_start, who_end
        anchor_ends: dict[str, int] = {}  # anchor key -> end offset of its last occurrence
        # Most tokens start no phrase: find the few that do with one set intersection.
        starters = self._lengths.keys() & set(tokens)
        if starters:
            for i, token in enumerate(tokens):
                if token not in starters:
                    continue
                for n in self._lengths[token]:
                    if i + n > len(tokens):
                        continue
                    entry = self._entries.get(tuple(tokens[i:i + n]))
                    if entry is None:
                        continue
                    start, end = spans[i][0], spans[i + n - 1][1]
                    for rule_id in entry[0]:
                        hits.append((self._rules[rule_id], start, end, start, end))
                    for anchor in entry[1]:
                        anchor_ends[anchor] = end
        # Each pattern with the furthest end of its anchors seen (the whole text if unanchored).
        scan_to = dict.fromkeys(self._unanchored, len(text))
        for anchor, end in anchor_ends.items():
            for position in self._by_anchor.get(anchor, ()):
                scan_to[position] = max(scan_to.get(position, 0), end)
        for position in sorted(scan_to):
            compiled = self._patterns[position]
            end = scan_to[position] if compiled.rule.ends_at_anchor else len(text)
            hits.extend(self._pattern_hits(compiled, text[:end] if end < len(text) else text))
        return self._resolve(text, hits, tuple(tokens))

    @staticmethod
    def _pattern_hits(compiled: _CompiledPattern, text: str):
        if len(text) <= PATTERN_WINDOW:
            windows = ((0, text),)
        else:
            step = PATTERN_WINDOW - PATTERN_OVERLAP
            windows = ((offset, text[offset:offset + PATTERN_WINDOW])
                       for offset in range(0, len(text) - PATTERN_OVERLAP, step))
        groups = compiled.regex.groupindex
        has_who, has_cue = "who" in groups, "cue" in groups
        seen = set()
        for offset, window in windows:
            for match in compiled.regex.finditer(window):
                start, end = match.span()
                if start == end:
                    continue
                who = match.span("who") if has_who and match.group("who") is not None \
                    else (start, end)
                if has_cue and match.group("cue") is not None:
                    start, end = match.span("cue")
                start, end = start + offset, end + offset
                if (start, end) not in seen:
                    seen.add((start, end))
                    yield compiled.rule, start, end, who[0] + offset, who[1] + offset

    def _resolve(self, text: str, hits, tokens: tuple[str, ...]) -> Evidence:
        exceptions = [h for h in hits if h[0].is_exception]
        votes = [h for h in hits if not h[0].is_exception]
        if exceptions:
            # An exception cancels a cue when it overlaps the cue or the source span it named.
            votes = [h for h in votes if not any(
                h[0].id in exc.cancels and ((h[1] < e_end and e_start < h[2]) or
                                            (h[3] < e_end and e_start < h[4]))
                for exc, e_start, e_end, _, _ in exceptions)]
        # Within a dimension a cue inside a longer one is the same evidence read twice
        # ("confirmed" inside "has not confirmed"): keep the longer.
        votes = _drop_contained(votes)
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
        return Evidence(tuple(cues), tuple(sources), quotes, tokens)


def _drop_contained(votes: list) -> list:
    """Drops each cue lying inside a strictly longer cue of the same dimension; sorted output."""
    votes.sort(key=lambda h: (h[0].dimension, h[1], -h[2], h[0].id))
    kept, dimension, widest = [], None, (-1, -1)
    for hit in votes:
        if hit[0].dimension != dimension:
            dimension, widest = hit[0].dimension, (-1, -1)
        start, end = hit[1], hit[2]
        # Sorted by start, then longest first: only the widest-reaching earlier span can hold it.
        if widest[1] >= end and widest != (start, end):
            continue
        kept.append(hit)
        if end > widest[1]:
            widest = (start, end)
    kept.sort(key=lambda h: (h[1], h[2], h[0].id))
    return kept
