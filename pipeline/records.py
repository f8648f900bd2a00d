"""Plain frozen dataclasses passed between the stages of the pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

DIMENSIONS = ("hedging", "source", "verification")

# Label values exactly as ../shared/ANNOTATION.md spells them; the order is the column order of
# every probability array in the package.
LABELS: dict[str, tuple] = {
    "hedging": (False, True),
    "source": ("named", "anonymous", "document", "none"),
    "verification": ("confirmed", "unverified", "disputed", "none"),
}



def label_key(label) -> str:
    """A label as JSON and CSV spell it: hedging's booleans as "true"/"false"."""
    return str(label).lower() if isinstance(label, bool) else label


# Each dimension's labels as spelled in files, in LABELS order.
LABEL_KEYS = {dim: tuple(label_key(label) for label in labels) for dim, labels in LABELS.items()}

SENTENCE, HEADING, METADATA = "sentence", "heading", "metadata"


def article_of(record_id: str) -> str:
    """The article a labelled record belongs to: its id without the sentence number, when the
    id follows the annotation contract's `<article>-<n>`; otherwise the record stands alone
    (a sample of 4,000 sentences sharing a prefix, "conll-train-c00002", is not one article)."""
    article, _, number = record_id.rpartition("-")
    return article if article and number.isdigit() else record_id


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A span of the article; ``article_text[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str
    kind: str = SENTENCE


# The hot path makes several Cues, SourceMentions and DimensionScores per sentence: these leaf
# records are immutable NamedTuples, which are built about three times faster than frozen
# dataclasses (0.27 µs against 0.9 µs here); the stage-level records stay dataclasses.
class Cue(NamedTuple):
    """A rule match inside one sentence; offsets are relative to the sentence text."""

    rule_id: str
    dimension: str
    label: object
    weight: float
    start: int
    end: int
    text: str
    description: str


class SourceMention(NamedTuple):
    """Who a sentence names as the origin of its information, and the cue that says so."""

    who: str
    type: str
    cue: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """Everything the rule engine found in one sentence."""

    cues: tuple[Cue, ...] = ()
    sources: tuple[SourceMention, ...] = ()
    quotes: tuple[tuple[int, int], ...] = ()
    # The sentence's normalised tokens, kept so that later stages need not tokenise again.
    tokens: tuple[str, ...] = ()

    @cached_property
    def cues_by_dimension(self) -> Mapping[str, tuple[Cue, ...]]:
        """The cues of each dimension, in text order; split once per sentence for the rule
        scorer and the sentence's scores alike."""
        # A plain dict even when empty: a report must pickle and deep-copy.
        return {dim: tuple(cue for cue in self.cues if cue.dimension == dim) for dim in DIMENSIONS}


class DimensionScore(NamedTuple):
    """One dimension of one sentence: the label, its probability and how it was reached."""

    label: object
    score: float
    probabilities: tuple[float, ...]
    rule_score: float
    model_score: float | None
    cues: tuple[Cue, ...] = ()


@dataclass(frozen=True)
class SentenceScore:
    sentence: Sentence
    hedging: DimensionScore | None = None
    source: DimensionScore | None = None
    verification: DimensionScore | None = None
    evidence: Evidence = field(default_factory=Evidence)

    def dimension(self, name: str) -> DimensionScore | None:
        return getattr(self, name)

    @property
    def scored(self) -> bool:
        """Whether the sentence was scored: headings and page furniture carry no scores."""
        return self.source is not None


@dataclass(frozen=True)
class LedgerEntry:
    """One distinct source the article relies on."""

    who: str
    type: str
    sentences: int


@dataclass(frozen=True)
class Flag:
    id: str
    message: str


@dataclass(frozen=True)
class SpinHit:
    """A synonym spinner's substitute found in one sentence; offsets are relative to it."""

    sentence: int
    start: int
    end: int
    text: str
    original: str
    rule: str
    weight: float


@dataclass(frozen=True)
class WordChoice:
    """How often the article picks a spinner's synonym over the plain word it replaces."""

    plain: int = 0
    spun: int = 0
    share: float = 0.0
    # (plain word, spinner's synonym, plain count, synonym count) for the pairs that occur.
    pairs: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True)
class SpinResult:
    """Does the text read as a machine paraphrase (a synonym spinner's rewrite)?"""

    score: float = 0.0
    paraphrased: bool = False
    substitution_score: float = 0.0
    word_choice_score: float = 0.0
    hits: tuple[SpinHit, ...] = ()
    word_choice: WordChoice = field(default_factory=WordChoice)

    def distinct_hits(self) -> list[SpinHit]:
        """The first hit of each distinct substitute or pattern, in reading order."""
        first: dict[str, SpinHit] = {}
        for hit in self.hits:
            first.setdefault(hit.rule, hit)
        return list(first.values())


@dataclass(frozen=True)
class CheckItem:
    """A claim a reader should check first: the sentence index, reason codes and words."""

    sentence: int
    codes: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class ArticleReport:
    article: Article
    score: float
    band: str
    components: tuple[tuple[str, float], ...]
    sources: tuple[LedgerEntry, ...]
    flags: tuple[Flag, ...]
    sentences: tuple[SentenceScore, ...]
    scorer: str = "combined"
    spin: SpinResult = field(default_factory=SpinResult)
    check_next: tuple[CheckItem, ...] = ()

    @property
    def scored_sentences(self) -> list[SentenceScore]:
        return [s for s in self.sentences if s.scored]

    def to_dict(self, with_text: bool = True) -> dict:
        from .serialize import report_to_dict

        return report_to_dict(self, with_text=with_text)
