"""From scored sentences to the article: the score, its components, the source ledger, flags."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .check_next import claims_to_check
from .records import Article, ArticleReport, Flag, LedgerEntry, SentenceScore, SpinResult
from .rulebook import Rulebook, ScoringRules
from .sources import SourceGroup, attributions, group_sources
from .spin import detect_spin


@dataclass(frozen=True)
class ArticleCounts:
    """The tallies every component and flag is computed from."""

    claims: int
    attributed: int
    by_source: Counter
    hedged: int
    unsupported_hedged: int
    by_verification: Counter
    # Unverified sentences that rest on a document or name one ("has not confirmed the
    # veracity of the doc"): what the unverified-document flag is about.
    unverified_documents: int = 0


def count(sentences: Sequence[SentenceScore], document_words: re.Pattern | None = None
          ) -> ArticleCounts:
    scored = [s for s in sentences if s.scored]
    by_source = Counter(s.source.label for s in scored)
    hedged = [s for s in scored if s.hedging.label]
    unverified = [s for s in scored if s.verification.label == "unverified"]
    return ArticleCounts(
        claims=len(scored),
        attributed=len(scored) - by_source["none"],
        by_source=by_source,
        hedged=len(hedged),
        unsupported_hedged=sum(1 for s in hedged if s.source.label == "none"),
        by_verification=Counter(s.verification.label for s in scored),
        unverified_documents=sum(
            1 for s in unverified if s.source.label == "document" or
            (document_words is not None and document_words.search(_without_cues(s)))),
    )


def _without_cues(scored: SentenceScore) -> str:
    """The sentence with its verification cues blanked: "under review" is the status, not the
    thing under review."""
    text = scored.sentence.text
    for cue in scored.verification.cues:
        text = text[:cue.start] + " " * (cue.end - cue.start) + text[cue.end:]
    return text


def components(counts: ArticleCounts, scoring: ScoringRules,
               spin: SpinResult | None = None) -> dict[str, float]:
    """Each component in [0, 1]; higher is better sourced."""
    claims = counts.claims or 1
    quality, penalty = scoring.source_quality, scoring.verification_penalty
    attributed_quality = sum(quality[label] * n for label, n in counts.by_source.items()
                             if label != "none")
    penalised = sum(penalty[label] * n for label, n in counts.by_verification.items())
    values = {
        "attribution_coverage": counts.attributed / claims,
        "source_quality": attributed_quality / counts.attributed if counts.attributed else 0.0,
        "committed_claims": 1.0 - counts.unsupported_hedged / claims,
        "verification_standing": max(0.0, 1.0 - penalised / claims),
        "original_wording": 1.0 - (spin.score if spin else 0.0),
    }
    if counts.claims == 0:
        values = dict.fromkeys(values, 0.0)
    return {name: values[name] for name in scoring.components}


def overall(component_values: dict[str, float], scoring: ScoringRules) -> float:
    weights = scoring.components
    total = sum(weights.values()) or 1.0
    return round(100.0 * sum(weights[n] * component_values[n] for n in weights) / total, 1)


def band(score: float, scoring: ScoringRules) -> str:
    bands = scoring.bands
    if score >= bands["strong"]:
        return "strong"
    if score >= bands["mixed"]:
        return "mixed"
    return "weak"


def ledger(groups: Sequence[SourceGroup]) -> tuple[LedgerEntry, ...]:
    """Distinct sources in order of first use, with the number of sentences citing each."""
    return tuple(LedgerEntry(who=g.who, type=g.type, sentences=len(g.sentences)) for g in groups)


def metrics(counts: ArticleCounts, sources: Sequence[LedgerEntry],
            spin: SpinResult | None = None) -> dict[str, float]:
    """The named quantities rules.yaml's flags compare against their thresholds."""
    claims = counts.claims or 1
    unverified = counts.by_verification["unverified"]
    return {
        "anonymous_share_of_attributed":
            counts.by_source["anonymous"] / counts.attributed if counts.attributed else 0.0,
        "unattributed_share": (counts.claims - counts.attributed) / claims
        if counts.claims else 0.0,
        "hedged_share": counts.hedged / claims if counts.claims else 0.0,
        "disputed_count": counts.by_verification["disputed"],
        "unverified_count": unverified,
        # Documents carry the article (the most common source type) and it says a document is
        # unverified: the reader should know the central claim may rest on an unchecked paper.
        "document_claims_unverified": counts.unverified_documents if _documents_lead(counts) else 0,
        "single_source_attributed": counts.attributed if len(sources) == 1 else 0,
        "machine_paraphrased": 1 if spin and spin.paraphrased else 0,
    }


def _documents_lead(counts: ArticleCounts) -> bool:
    attributed = {label: n for label, n in counts.by_source.items() if label != "none"}
    return bool(attributed) and max(attributed.values()) == attributed.get("document", 0)


def flags(values: dict[str, float], rulebook: Rulebook) -> tuple[Flag, ...]:
    raised = []
    for flag in rulebook.flags:
        value = values.get(flag.metric)
        if value is None:
            continue
        if (flag.above is not None and value > flag.above) or \
                (flag.at_least is not None and value >= flag.at_least):
            raised.append(Flag(flag.id, flag.message))
    return tuple(raised)


def build_report(article: Article, sentences: Sequence[SentenceScore], rulebook: Rulebook,
                 scorer: str, spin: SpinResult | None = None) -> ArticleReport:
    """The article report: overall score, band, components, ledger, flags, spin and the claims
    to check first. ``spin`` is computed here from the sentences when not given."""
    scoring = rulebook.scoring
    if spin is None:
        spin = detect_spin([s.sentence for s in sentences], rulebook.spin)
    counts = count(sentences, rulebook.scoring.document_words)
    component_values = components(counts, scoring, spin)
    score = overall(component_values, scoring)
    words = rulebook.scoring.words
    groups = group_sources(attributions(sentences, words), words.determiners, words.name_suffixes)
    sources = ledger(groups)
    return ArticleReport(
        article=article, score=score, band=band(score, scoring),
        components=tuple((n, round(v, 4)) for n, v in component_values.items()),
        sources=sources, flags=flags(metrics(counts, sources, spin), rulebook),
        sentences=tuple(sentences), scorer=scorer, spin=spin,
        check_next=claims_to_check(article.text, sentences, groups, rulebook.check_next),
    )
