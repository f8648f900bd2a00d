"""The claims a reader should check first: those that carry the article but are weak.

A sentence carries the article when it is in the lead paragraph or rests on the most-cited
source; it is weak when it names no person or organisation behind it, or is hedged, unverified
or disputed. Reasons, their words and their weights in the ranking are in rules.yaml
(`check_next`).
"""

from __future__ import annotations

from collections.abc import Sequence

from .records import CheckItem, SentenceScore
from .rulebook import CheckNextRules
from .segment import paragraph_break
from .sources import SourceGroup, most_cited


def lead_sentences(text: str, scored: Sequence[SentenceScore], limit: int) -> set[int]:
    """Indexes of the first paragraph's claims, at most ``limit`` of them."""
    lead: list[SentenceScore] = []
    for item in scored:
        if lead and (len(lead) >= limit or paragraph_break(text, lead[-1].sentence, item.sentence)):
            break
        lead.append(item)
    return {item.sentence.index for item in lead}


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
        text = rules.reasons[code][0]
        for name, value in values.items():
            # A reason whose detail is unknown keeps its words without the empty brackets.
            text = text.replace(f"{{{name}}}", value) if value else \
                text.replace(f" ({{{name}}})", "").replace(f"{{{name}}}", "")
        parts.append(text)
    return "; ".join(parts)


def claims_to_check(text: str, sentences: Sequence[SentenceScore], groups: Sequence[SourceGroup],
                    rules: CheckNextRules | None) -> tuple[CheckItem, ...]:
    """At most `max_claims` weak sentences that carry the article, most important first.
    ``groups``: the article's sources (sources.group_sources)."""
    if rules is None or rules.max_claims == 0:
        return ()
    scored = [s for s in sentences if s.scored]
    lead = lead_sentences(text, scored, rules.lead_max_sentences)
    top_group = most_cited(groups)
    top_who, top = (top_group.who, set(top_group.sentences)) if top_group else ("", set())
    source_of = {index: group.who for group in groups for index in group.sentences}
    ranked = []
    for item in scored:
        index = item.sentence.index
        roles = [code for code, member in (("lead", index in lead), ("top_source", index in top))
                 if member]
        if not roles:  # carries nothing: however weak, not among the first to check
            continue
        weak = _weaknesses(item)
        if not weak:
            continue
        codes = roles + weak
        priority = sum(rules.reasons[code][1] for code in codes)
        reason = _reason(codes, item, top_who, source_of.get(index, ""), rules)
        ranked.append((-priority, index, CheckItem(index, tuple(codes), reason)))
    ranked.sort(key=lambda entry: entry[:2])
    return tuple(entry[2] for entry in ranked[:rules.max_claims])
