"""Who the article relies on: each attributed sentence's source, grouped into distinct sources.

One grouping serves the ledger (every source, in order of first use) and the check-next list
(the most-cited source), so both name a source the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .records import SentenceScore
from .rulebook import SourceWords

Attribution = tuple[int, str, str]  # (sentence index, who, source type)
_WORD = re.compile(r"[\w’']+")
# The ledger's name for a source the sentence does not name; such sources are never merged by
# their words ("source" would otherwise tie "a production source" to every one of them).
UNIDENTIFIED = "({type} source, not identified in the text)"


@dataclass(frozen=True)
class SourceGroup:
    """One distinct source: the name shown for it, its type and the sentences citing it."""

    who: str
    type: str
    sentences: tuple[int, ...]


def attributions(sentences: Sequence[SentenceScore], words: SourceWords) -> list[Attribution]:
    """(sentence index, who, type) of each attributed sentence. A pronoun goes to the last named
    source of its kind (a person for "she", an organisation for "it"), else to the last named;
    a pronoun with no named source before it stays as it is and is never taken for a name."""
    found = []
    last_named = last_person = last_organisation = None
    for scored in sentences:
        if not scored.scored or scored.source.label == "none":
            continue
        label = scored.source.label
        # The longest span of the winning type names the source most fully.
        mention = max((m for m in scored.evidence.sources if m.type == label),
                      key=lambda m: m.end - m.start, default=None)
        who = mention.who if mention else UNIDENTIFIED.format(type=label)
        pronoun = who.lower()
        if pronoun in words.pronouns:
            if last_named:
                kind = last_person if pronoun in words.person_pronouns else last_organisation
                who = kind or last_named
        elif label == "named":
            last_named = who
            if is_organisation(who, words.organisation_words):
                last_organisation = who
            else:
                last_person = who
        found.append((scored.sentence.index, who, label))
    return found


_POSSESSIVE = re.compile(r"['’]s\b")


@lru_cache(maxsize=8)
def _phrases(words: frozenset[str]) -> tuple[str, ...]:
    """The entries of more than one word, found once per word list (a frozenset computes its
    hash once, so the cache lookup is cheap)."""
    return tuple(sorted(word for word in words if " " in word))


def is_organisation(who: str, organisation_words: frozenset[str]) -> bool:
    """Whether a source's name is headed by a word (or phrase) of `organisation_words`: the word
    ends the name or only "of …" follows it ("the transport ministry", "the Ministry of Defence").
    Anything else after it makes it a modifier: "Treasury Secretary Janet Yellen", "a State
    Department spokesperson" and "the company's lawyers" are people."""
    plain = _POSSESSIVE.sub("", who.replace("’", "'"))
    lowered = [t.lower() for t in _WORD.findall(plain)]
    last = {token: i for i, token in enumerate(lowered)}  # a word's last position
    # Single words are looked up among the name's words (a name has a few, the list many).
    positions = [last[word] for word in organisation_words.intersection(last)]
    text = " ".join(lowered)
    for phrase in _phrases(organisation_words):
        at = text.rfind(phrase)
        if at >= 0:
            positions.append(len(text[:at + len(phrase)].split()) - 1)
    return any(position + 1 == len(lowered) or lowered[position + 1] == "of"
               for position in positions)


def name_words(who: str, ignored: frozenset[str]) -> frozenset[str]:
    """The words that identify a source: lower case, without determiners and partitives."""
    return frozenset(w for w in _WORD.findall(who.lower()) if w not in ignored)


def group_sources(found: Sequence[Attribution], ignored_words: Collection[str],
                  suffixes: Collection[str] = ()) -> tuple[SourceGroup, ...]:
    """Distinct sources in order of first use. Names of one type are one source when their words
    are the same once ``ignored_words`` (determiners, partitives) are left out ("a piece of the
    leaked doc" = "the leaked doc"), or when one's words are inside the other's ("Burns" in
    "CIA Director Bill Burns", "the doc" in "the leaked doc") and inside no other source's: a
    short name that fits two sources ("Clinton" beside "Hillary Clinton" and "Bill Clinton",
    "the report" beside "the Pentagon report" and "the UN report") stays apart. A name with a
    generational suffix ("Donald Trump Jr.") is another person than the name without it.
    Word lists are lower case (ScoringRules.words gives them as sets, built at load)."""
    stop, suffix_words = frozenset(ignored_words), frozenset(suffixes)
    names = list(dict.fromkeys((who, kind) for _, who, kind in found))
    words = [frozenset() if who.startswith("(") and who == UNIDENTIFIED.format(type=kind)
             else name_words(who, stop) for who, kind in names]
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def inside(short: frozenset[str], wide: frozenset[str]) -> bool:
        return short <= wide and not (wide - short) & suffix_words

    first_with = {}
    for i, ((_, kind), found_words) in enumerate(zip(names, words)):
        if found_words:  # the same words: one source spelt two ways
            parent[i] = first_with.setdefault((kind, found_words), i)
    of_type: dict[str, list[int]] = {}
    for i, (_, kind) in enumerate(names):
        of_type.setdefault(kind, []).append(i)
    # Longest names first, so that a short name sees the longer ones already joined.
    for i in sorted(range(len(names)), key=lambda k: (-len(words[k]), k)):
        same_type = of_type[names[i][1]]
        if not words[i] or len(same_type) == 1:
            continue
        wider = {root(j) for j in same_type if len(words[j]) >= len(words[i])
                 and root(j) != root(i) and inside(words[i], words[j])}
        if len(wider) == 1:
            parent[root(i)] = wider.pop()
    position = {name: i for i, name in enumerate(names)}
    members: dict[int, list[Attribution]] = {}
    for attribution in found:
        members.setdefault(root(position[attribution[1:]]), []).append(attribution)
    known = {who: w for (who, _), w in zip(names, words)}
    return tuple(SourceGroup(display_name(group, known), group[0][2],
                             tuple(index for index, _, _ in group))
                 for group in members.values())


def display_name(members: Sequence[Attribution], words: dict[str, frozenset[str]]) -> str:
    """The name used most; then the one the others build on ("the leaked doc" rather than
    "the doc"), then the shortest spelling ("the leaked doc" rather than "a piece of the leaked
    doc"), preferring names of two words or more. ``words``: each name's words (name_words)."""
    names = list(dict.fromkeys(who for _, who, _ in members))
    if len(names) == 1:
        return names[0]
    candidates = [who for who in names if len(words[who]) >= 2] or names
    used = {who: sum(1 for _, w, _ in members if w == who) for who in names}
    return max(candidates, key=lambda who: (
        used[who], sum(1 for other in names if other != who and words[who] <= words[other]),
        -len(who.split()), -names.index(who)))


def most_cited(groups: Sequence[SourceGroup]) -> SourceGroup | None:
    """The source behind most sentences (two at least); a tie goes to the one cited first."""
    if not groups:
        return None
    top = max(groups, key=lambda g: (len(g.sentences), -g.sentences[0]))
    return top if len(top.sentences) >= 2 else None
