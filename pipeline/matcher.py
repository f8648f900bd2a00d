"""The one rule engine: compiles a Rulebook once, then finds every cue of a sentence.

Cue phrases go into a token n-gram index that is walked once per sentence. Pattern rules
are regular expressions that run only when one of their anchor words is in the sentence, so
most patterns never run on most sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from .records import Cue, Evidence, SourceMention
from .rulebook import Rule, Rulebook

TOKEN = re.compile(r"\w+(?:['’.\-]\w+)*|[^\w\s]")
# TOKEN as one group: split() gives [gap, token, gap, token, …, gap], and the running sums of
# the pieces' lengths are the tokens' offsets, without a match object per token.
_TOKEN_SPLIT = re.compile(f"({TOKEN.pattern})")
# Sentences longer than this are scanned by patterns in overlapping windows, which bounds the
# work any one pattern can do.
PATTERN_WINDOW = 2000
PATTERN_OVERLAP = 200


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(normalise_token(t) for t in TOKEN.findall(phrase))


def normalise_token(token: str) -> str:
    return token.lower().replace("’", "'")


# A pattern with no capital letter outside its escapes and group names matches the same with
# re.IGNORECASE on a sentence as without it on the sentence lower-cased (checked on every
# sentence of our corpus and the gold sets), and the engine runs a third faster without it.
_ESCAPES_AND_GROUP_NAMES = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)")


# An inline case-insensitive group opening, not an escaped bracket followed by "?i:".
_CASE_GROUP = re.compile(r"(?<!\\)\(\?i:")


def _is_case_neutral(pattern: str) -> bool:
    # A group that turns IGNORECASE off ("(?-i:[a-z])") tells cases apart on purpose, and an
    # escape may spell a capital ("\x41", "\u0041", "\N{…}").
    return "(?-i" not in pattern and not re.search(r"\\[xuUN]", pattern) and \
        not any(c.isupper() for c in _ESCAPES_AND_GROUP_NAMES.sub("", pattern))


@dataclass(frozen=True)
class _CompiledPattern:
    rule: Rule
    regex: re.Pattern
    has_who: bool = False
    has_cue: bool = False
    # The same pattern without re.IGNORECASE, run on the lower-cased sentence, or None.
    lowered_regex: re.Pattern | None = None
    # The keys of the phrases one of which must be in the sentence too (Rule.requires).
    requires: frozenset[str] = frozenset()


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
            pattern = rule.pattern
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            regex = re.compile(pattern, flags)
            # On lower-cased text the lexicons' own (?i:…) groups are needless too: their phrases
            # are lower case, and a group without the flag lets the engine skip ahead faster.
            lowered = re.compile(_CASE_GROUP.sub("(?:", pattern)) \
                if flags and _is_case_neutral(pattern) else None
            position = len(self._patterns)
            required = frozenset(" ".join(p) for p in self._phrases(rule.requires))
            self._patterns.append(_CompiledPattern(rule, regex, "who" in regex.groupindex,
                                                   "cue" in regex.groupindex, lowered, required))
            anchors = {" ".join(p) for p in self._phrases(rule.anchor)}
            # Required phrases are walked like anchors (their last end is noted) but start no
            # pattern themselves.
            for phrase in (*self._phrases(rule.anchor), *self._phrases(rule.requires)):
                entries.setdefault(phrase, (set(), set()))[1].add(" ".join(phrase))
            for anchor in anchors:
                self._by_anchor.setdefault(anchor, []).append(position)
            if not anchors:
                self._unanchored.append(position)
        sorted_entries = {phrase: (tuple(sorted(rule_ids)), tuple(sorted(anchors)))
                          for phrase, (rule_ids, anchors) in entries.items()}
        # The phrases as a token trie: node = (rules fired, anchors provided, children). Walking
        # it from a token costs one lookup per token matched, not one slice per phrase length.
        trie: dict = {}
        for phrase, (rule_ids, anchors) in sorted_entries.items():
            children, node = trie, None
            for token in phrase:
                node = children.setdefault(token, [(), (), {}])
                children = node[2]
            node[0], node[1] = tuple(self._rules[rule_id] for rule_id in rule_ids), anchors
        self._trie = _freeze_trie(trie)
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
        # Offsets in the lower-cased text hold in the sentence only when no character changed
        # length (a few do when lower-cased).
        same_offsets = len(lowered) == len(text)
        # bounds[2 * i] and bounds[2 * i + 1]: where token i starts and ends.
        if not same_offsets:
            spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
            tokens = [normalise_token(text[s:e]) for s, e in spans]
            bounds = [offset for span in spans for offset in span]
        else:
            pieces = _TOKEN_SPLIT.split(lowered)
            tokens = pieces[1::2]
            bounds = list(accumulate(map(len, pieces)))
        hits: list[tuple[Rule, int, int, int, int]] = []  # rule, start, end, who_start, who_end
        anchor_ends: dict[str, int] = {}  # anchor key -> end offset of its last occurrence
        trie, count = self._trie, len(tokens)
        for i, token in enumerate(tokens):
            node = trie.get(token)
            j = i
            while node is not None:
                rules, anchors, children = node
                if rules or anchors:
                    start, end = bounds[2 * i], bounds[2 * j + 1]
                    for rule in rules:
                        hits.append((rule, start, end, start, end))
                    for anchor in anchors:
                        anchor_ends[anchor] = end
                j += 1
                if children is None or j == count:
                    break
                node = children.get(tokens[j])
        # Each pattern with the furthest end of its anchors seen (the whole text if unanchored).
        scan_to = dict.fromkeys(self._unanchored, len(text))
        for anchor, end in anchor_ends.items():
            for position in self._by_anchor.get(anchor, ()):
                scan_to[position] = max(scan_to.get(position, 0), end)
        for position in sorted(scan_to):
            compiled = self._patterns[position]
            if compiled.requires and compiled.requires.isdisjoint(anchor_ends):
                continue
            regex, scanned = compiled.regex, text
            if compiled.lowered_regex is not None and same_offsets:
                regex, scanned = compiled.lowered_regex, lowered
            # finditer's endpos reads the text as if it ended there, without a copy of it.
            end = scan_to[position] if compiled.rule.ends_at_anchor else len(text)
            if end <= PATTERN_WINDOW:  # nearly every sentence: one scan, no windows
                for match in regex.finditer(scanned, 0, end):
                    if match.end() > match.start():
                        hits.append(_pattern_hit(compiled, match))
            else:
                hits.extend(self._windowed_hits(compiled, regex, scanned, end))
        return self._resolve(text, hits, tuple(tokens))

    @staticmethod
    def _windowed_hits(compiled: _CompiledPattern, regex: re.Pattern, text: str, end: int):
        """The hits of a pattern in ``text[:end]``, scanned in overlapping windows; a hit found
        in two windows counts once. A window is scanned in place (finditer's pos and endpos),
        not cut out: a word boundary, a lookbehind or ``^`` at its start then sees the text
        before it, and "some" inside "handsome" is not a word."""
        step = PATTERN_WINDOW - PATTERN_OVERLAP
        seen = set()
        for offset in range(0, end - PATTERN_OVERLAP, step):
            for match in regex.finditer(text, offset, min(offset + PATTERN_WINDOW, end)):
                if match.end() > match.start():
                    hit = _pattern_hit(compiled, match)
                    if hit[1:3] not in seen:
                        seen.add(hit[1:3])
                        yield hit

    def _resolve(self, text: str, hits, tokens: tuple[str, ...]) -> Evidence:
        quotes = tuple((m.start(), m.end()) for m in self._quote.finditer(text)) \
            if self._quote else ()
        if not hits:  # a third of sentences: nothing to weigh
            return Evidence((), (), quotes, tokens)
        # An exception is a rule that cancels others (Rule.is_exception, read as a plain field).
        exceptions = [h for h in hits if h[0].cancels]
        votes = [h for h in hits if not h[0].cancels] if exceptions else hits
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
        return Evidence(tuple(cues), tuple(sources), quotes, tokens)


def _pattern_hit(compiled: _CompiledPattern, match: re.Match) -> tuple:
    """(rule, start, end, who start, who end) of a pattern's match: the cue is the `cue` group
    when the pattern has one, the who the `who` group."""
    start, end = match.span()
    who_start, who_end = match.span("who") if compiled.has_who and match.group("who") is not None \
        else (start, end)
    if compiled.has_cue and match.group("cue") is not None:
        start, end = match.span("cue")
    return compiled.rule, start, end, who_start, who_end


def _freeze_trie(children: dict) -> dict:
    """Trie nodes as tuples, with None for no children (the walk stops without a lookup). Built on
    an explicit stack, so that a phrase of any number of words stays within the recursion limit."""
    frozen: dict = {}
    stack = [(children, frozen)]
    while stack:
        source, target = stack.pop()
        for token, (rules, anchors, grand) in source.items():
            frozen_grand = {} if grand else None
            if grand:
                stack.append((grand, frozen_grand))
            target[token] = (rules, anchors, frozen_grand)
    return frozen


def _drop_contained(votes: list) -> list:
    """Drops each cue lying inside a strictly longer cue of the same dimension; sorted output."""
    if len(votes) < 2:  # most sentences: nothing to compare
        return votes
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
