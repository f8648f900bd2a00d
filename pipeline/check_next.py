"""The claims a reader should check first: those that carry the article but are weak.

A sentence carries the article when it is in the lead paragraph or rests on the most-cited
source; it is weak when it names no person or organisation behind it, or is hedged, unverified
or disputed. Reasons, their words and their weights in the ranking are in rules.yaml
(`check_next`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .records import CheckItem, SentenceScore
from .rulebook import CheckNextRules

Attribution = tuple[int, str, str]  # (sentence index, who, source type)
_WORD = re.compile(r"[\w’']+")


def lead_sentences(text: str, scored: Sequence[SentenceScore], limit: int) -> set[int]:
    """Indexes of the first paragraph's claims (a paragraph ends at a line break)."""
    lead: list[SentenceScore] = []
    for item in scored:
        if lead and (len(lead) >= limit or "\n" in text[lead[-1].sentence.end:item.sentence.start]):
            break
        lead.append(item)
    return {item.sentence.index for item in lead}


def _words(who: str, determiners: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(who.lower()) if w not in determiners)


def most_cited(attributions: Sequence[Attribution], determiners: Sequence[str]) -> tuple[str, set[int]]:
    """The source behind most sentences, and those sentences. Names of one type are the same
    source when one's words contain the other's ("Burns" in "CIA Director Bill Burns")."""
    stop = frozenset(d.lower() for d in determiners)
    names = list(dict.fromkeys((who, kind) for _, who, kind in attributions))
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    words = [_words(who, stop) for who, _ in names]
    for i in range(len(names)):
        for j in range(i):
            if names[i][1] == names[j][1] and words[i] and words[j] and \
                    (words[i] <= words[j] or words[j] <= words[i]):
                parent[root(i)] = root(j)
    position = {name: i for i, name in enumerate(names)}
    groups: dict[int, list[Attribution]] = {}
    for attribution in attributions:
        groups.setdefault(root(position[attribution[1:]]), []).append(attribution)
    if not groups:
        return "", set()
    # Most sentences first; a tie goes to the source cited earlier.
    members = max(groups.values(), key=lambda g: (len(g), -g[0][0]))
    if len(members) < 2:
        return "", set()
    known = {who: found for (who, _), found in zip(names, words)}
    return _display_name(members, stop, known), {index for index, _, _ in members}


def _display_name(members: Sequence[Attribution], stop: frozenset[str],
                  known: dict[str, frozenset[str]] | None = None) -> str:
    """The name used most; then the one the others build on ("the leaked doc" rather than
    "a piece of the leaked doc" or "the doc"), preferring names of two words or more.
    ``known``: the words of names already split (by most_cited)."""
    names = list(dict.fromkeys(who for _, who, _ in members))
    known = known or {}
    words = {who: known[who] if who in known else _words(who, stop) for who in names}
    candidates = [who for who in names if len(words[who]) >= 2] or names
    used = {who: sum(1 for _, w, _ in members if w == who) for who in names}
    return max(candidates, key=lambda who: (
        used[who], sum(1 for other in names if other != who and words[who] <= words[other]),
        -names.index(who)))


def _weaknesses(item: SentenceScore) -> list[str]:
    codes = []
    if item.source.label != "named":
        codes.append(item.source.label)
    if item.hedging.label:
        codes.append("hedged")
    if item.verification.label in ("unverified", "disputed"):
        codes.append(item.verification.label)
    return codes


def _reason(codes: Sequence[str], item: SentenceScore, top_who: str, own_who: str,
            rules: CheckNextRules) -> str:
    cues = sorted(item.hedging.cues, key=lambda c: -c.weight)
    parts = []
    for code in codes:
        # The most-cited source is named once; a document reason then need not repeat it.
        who = top_who if code == "top_source" else "" if "top_source" in codes else own_who
        values = {"who": who, "cue": cues[0].text if cues else ""}
        text = rules.reason(code)[0]
        for name, value in values.items():
            # A reason whose detail is unknown keeps its words without the empty brackets.
            text = text.replace(f"{{{name}}}", value) if value else \
                text.replace(f" ({{{name}}})", "").replace(f"{{{name}}}", "")
        parts.append(text)
    return "; ".join(parts)


def claims_to_check(text: str, sentences: Sequence[SentenceScore],
                    attributions: Sequence[Attribution],
                    rules: CheckNextRules | None) -> tuple[CheckItem, ...]:
    """At most `max_claims` weak sentences that carry the article, most important first."""
    if rules is None or rules.max_claims == 0:
        return ()
    scored = [s for s in sentences if s.source is not None]
    lead = lead_sentences(text, scored, rules.lead_max_sentences)
    top_who, top = most_cited(attributions, rules.determiners)
    source_of = {index: who for index, who, _ in attributions}
    ranked = []
    for item in scored:
        index = item.sentence.index
        if index not in lead and index not in top:  # carries nothing: no need to weigh it
            continue
        roles = [code for code, member in (("lead", index in lead), ("top_source", index in top))
                 if member]
        weak = _weaknesses(item)
        if not roles or not weak:
            continue
        codes = roles + weak
        priority = sum(rules.reason(code)[1] for code in codes)
        reason = _reason(codes, item, top_who, source_of.get(index, ""), rules)
        ranked.append((-priority, index, CheckItem(index, tuple(codes), reason)))
    ranked.sort(key=lambda entry: entry[:2])
    return tuple(entry[2] for entry in ranked[:rules.max_claims])
