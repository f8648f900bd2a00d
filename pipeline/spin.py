"""Does the article read as a synonym spinner's rewrite? Substitutes and word choice → SpinResult.

Two cues from rules.yaml `spin`: phrases a spinner writes and an editor does not ("non-public
navy", "imaginative and prescient"), and the share of spinner synonyms among (plain word,
synonym) pairs ("mentioned" for "said", "officers" for "officials"), which edited news rarely
picks but a spinner picks nearly always.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from .lexicon_regex import WORD_AFTER, normalise_phrase, phrase_regex, trie_regex
from .records import METADATA, Sentence, SpinHit, SpinResult, WordChoice
from .rulebook import SpinRules


def _straight(text: str) -> str:
    # Same length, so offsets found in the straightened text hold in the original.
    return text.replace("’", "'")


@dataclass(frozen=True)
class _Compiled:
    substitutes: re.Pattern | None
    by_phrase: dict
    patterns: tuple  # (SpinPattern, compiled regex, anchor words lower-cased)
    pair_words: re.Pattern | None
    plain_words: frozenset
    spun_words: frozenset
    pairs: tuple  # (plain, spun, normalised plain, normalised spun)
    # Every position where a substitute or a pair word starts (see _starts), or None; and the
    # same regex without IGNORECASE, for the lower-cased text.
    starts: re.Pattern | None = None
    lowered_starts: re.Pattern | None = None


# Compiled once per rulebook. Keyed by identity: hashing the rules on every call would cost
# more than the matching itself.
_COMPILED: dict[int, tuple[SpinRules, _Compiled]] = {}


def _compile(rules: SpinRules) -> _Compiled:
    cached = _COMPILED.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    by_phrase = {normalise_phrase(s.spun): s for s in rules.substitutions}
    words = [w for pair in rules.pairs for w in pair]
    phrases = {normalise_phrase(p) for p in [*by_phrase, *words]}
    # The character before a phrase, then the phrase in a lookahead (see _starts). An empty
    # phrase would make the phrase regexes match empty text, which finditer treats apart: no
    # short cut then.
    alternation = trie_regex(sorted(phrases)) if phrases and "" not in phrases else None
    compiled = _Compiled(
        substitutes=phrase_regex(list(by_phrase)) if by_phrase else None, by_phrase=by_phrase,
        patterns=tuple((p, re.compile(p.pattern), tuple(w.lower() for w in p.anchor))
                       for p in rules.patterns),
        pair_words=phrase_regex(words) if words else None,
        plain_words=frozenset(normalise_phrase(p) for p, _ in rules.pairs),
        spun_words=frozenset(normalise_phrase(s) for _, s in rules.pairs),
        pairs=tuple((p, s, normalise_phrase(p), normalise_phrase(s)) for p, s in rules.pairs),
        starts=re.compile(r"[^\w\-](?=(?i:" + alternation + ")" + WORD_AFTER + ")")
        if alternation is not None else None,
        # The phrases are lower case, so on lower-cased text the scan needs no IGNORECASE,
        # which lets the engine skip ahead faster.
        lowered_starts=re.compile(r"[^\w\-](?=" + alternation + WORD_AFTER + ")")
        if alternation is not None else None)
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    _COMPILED[id(rules)] = (rules, compiled)
    return compiled


class _Joined:
    """An article's sentences as one string, so that each regex runs once per article; a NUL
    between sentences stops any phrase (whose words are joined by \\s+) from spanning two."""

    SEPARATOR = "\x00"

    def __init__(self, sentences: Sequence[Sentence]):
        self.sentences = list(sentences)
        self.starts, position = [], 0
        for sentence in self.sentences:
            self.starts.append(position)
            position += len(sentence.text) + len(self.SEPARATOR)
        self.text = _straight(self.SEPARATOR.join(s.text for s in self.sentences))
        # Read by the start scan and by the patterns' anchor test: lower-cased once.
        self.lowered = self.text.lower()

    def locate(self, start: int, end: int) -> tuple[Sentence, int, int]:
        """The sentence holding [start, end) and the offsets relative to it."""
        row = bisect_right(self.starts, start) - 1
        return self.sentences[row], start - self.starts[row], end - self.starts[row]


def _starts(joined: _Joined, compiled: _Compiled) -> list[int] | None:
    """Where a substitute or a pair word may start: one scan of the text for both regexes.

    The scan matches the character before each start (the WORD_BEFORE condition) on the text behind
    a space, so a match begins where the phrase does in the text. A regex that begins with a
    character class lets the engine skip the letters in between without trying a match at each.
    """
    if compiled.starts is None:
        return None
    # Lower-cased text keeps the offsets unless a character changed length ("İ").
    lowered = joined.lowered
    if len(lowered) == len(joined.text):
        return [match.start() for match in compiled.lowered_starts.finditer(" " + lowered)]
    return [match.start() for match in compiled.starts.finditer(" " + joined.text)]


def _finditer(regex: re.Pattern, text: str, starts: list[int] | None):
    """regex.finditer(text), trying only the given starts: the same matches (a phrase regex
    matches nowhere else, and each search goes on after the previous match)."""
    if starts is None:
        yield from regex.finditer(text)
        return
    end = 0
    for start in starts:
        if start < end:
            continue
        match = regex.match(text, start)
        if match is not None:
            end = match.end()
            yield match


def _hits(joined: _Joined, compiled: _Compiled, starts: list[int] | None = None) -> list[SpinHit]:
    hits = []
    if compiled.substitutes is not None:
        for match in _finditer(compiled.substitutes, joined.text, starts):
            # Case-insensitive matching accepts a few letters whose lower case differs (the
            # long s "ſ" for "s"): such a match names no listed phrase and is passed over.
            entry = compiled.by_phrase.get(normalise_phrase(match.group()))
            if entry is None:
                continue
            sentence, start, end = joined.locate(match.start(), match.end())
            hits.append(SpinHit(sentence.index, start, end, sentence.text[start:end],
                                entry.original, entry.spun, entry.weight))
    for entry, regex, anchors in compiled.patterns:
        if anchors and not any(word in joined.lowered for word in anchors):
            continue
        for match in regex.finditer(joined.text):
            sentence, start, end = joined.locate(*_evidence_span(match))
            hits.append(SpinHit(sentence.index, start, end, sentence.text[start:end],
                                entry.original, entry.id, entry.weight))
    return sorted(hits, key=lambda h: (h.sentence, h.start, h.end))


def find_substitutes(sentence: Sentence, rules: SpinRules) -> list[SpinHit]:
    """The spinner's substitutes and patterns found in one sentence."""
    joined, compiled = _Joined([sentence]), _compile(rules)
    return _hits(joined, compiled, _starts(joined, compiled))


def _evidence_span(match: re.Match) -> tuple[int, int]:
    """A pattern's evidence is its `cue` group (the substituted word) when it names one."""
    if "cue" in match.re.groupindex and match.group("cue") is not None:
        return match.span("cue")
    return match.span()


def _word_choice(joined: _Joined, compiled: _Compiled, rules: SpinRules,
                 starts: list[int] | None = None) -> WordChoice:
    counts: Counter = Counter()
    if compiled.pair_words is not None:
        found = Counter(match.group().lower()
                        for match in _finditer(compiled.pair_words, joined.text, starts))
        for form, n in found.items():
            counts[" ".join(form.split())] += n
    plain = sum(n for form, n in counts.items() if form in compiled.plain_words)
    spun = sum(n for form, n in counts.items() if form in compiled.spun_words)
    share = (spun + rules.prior_weight * rules.prior_share) / (plain + spun + rules.prior_weight)
    pairs = tuple((p, s, counts[plain_key], counts[spun_key])
                  for p, s, plain_key, spun_key in compiled.pairs if counts[spun_key])
    return WordChoice(plain=plain, spun=spun, share=round(share, 4), pairs=pairs)


def word_choice(sentences: Sequence[Sentence], rules: SpinRules) -> WordChoice:
    """Counts of plain words and their spinner synonyms, and the smoothed synonym share."""
    joined, compiled = _Joined(sentences), _compile(rules)
    return _word_choice(joined, compiled, rules, _starts(joined, compiled))


def detect_spin(sentences: Sequence[Sentence], rules: SpinRules | None) -> SpinResult:
    """The spin score of an article's sentences and headings (page furniture left out)."""
    if rules is None:
        return SpinResult()
    compiled = _compile(rules)
    joined = _Joined([s for s in sentences if s.kind != METADATA])
    starts = _starts(joined, compiled)
    hits = tuple(_hits(joined, compiled, starts))
    # Each distinct substitute counts once: a story about "the doc" repeats it honestly.
    strength = sum({hit.rule: hit.weight for hit in hits}.values())
    substitution_score = 1.0 - math.exp(-strength / rules.substitution_scale)
    choice = _word_choice(joined, compiled, rules, starts)
    choice_score = min(1.0, max(0.0, (choice.share - rules.low) / (rules.high - rules.low)))
    score = 1.0 - (1.0 - substitution_score) * (1.0 - choice_score)
    return SpinResult(score=round(score, 4), paraphrased=score >= rules.flag_at,
                      substitution_score=round(substitution_score, 4),
                      word_choice_score=round(choice_score, 4), hits=hits, word_choice=choice)


def paraphrased_rows(article_ids: Sequence[Hashable], sentences: Sequence[Sentence],
                     rules: SpinRules | None) -> list[bool]:
    """Per sentence, whether its article (every sentence given with the same article id) reads
    as spun: the article context for labelled records that arrive one sentence a line."""
    by_article: dict[Hashable, list[Sentence]] = {}
    for article, sentence in zip(article_ids, sentences):
        by_article.setdefault(article, []).append(sentence)
    flagged = {article: detect_spin(group, rules).paraphrased
               for article, group in by_article.items()}
    return [flagged[article] for article in article_ids]
