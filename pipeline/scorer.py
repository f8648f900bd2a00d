"""Builds every stage once (rules, models, segmenter) and scores articles through them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .aggregate import build_report
from .combine import Combiner
from .errors import InputError
from .records import (
    DIMENSIONS,
    LABELS,
    SENTENCE,
    Article,
    ArticleReport,
    DimensionScore,
    Evidence,
    Sentence,
    SentenceScore,
)
from .resources import models_dir
from .rule_scorer import RuleScorer
from .rulebook import load_rulebook
from .segment import Segmenter, load_punkt

SCORERS = ("rules", "model", "combined")


class Pipeline:
    """load → segment → score (rules, model) → combine → aggregate, built once."""

    def __init__(self, rules_path: str | Path | None = None,
                 models_path: str | Path | None = None, scorer: str = "combined"):
        if scorer not in SCORERS:
            raise ValueError(f"scorer must be one of {', '.join(SCORERS)}")
        self.rulebook = load_rulebook(rules_path)
        models = Path(models_path) if models_path is not None else models_dir()
        # Punkt's parameters are part of the package, not of a trained model set.
        self.segmenter = Segmenter(self.rulebook, load_punkt(models_dir() / "punkt_news.json"))
        self.rule_scorer = RuleScorer(self.rulebook)
        self.learned = None
        self.combiner = Combiner(self.rulebook.scoring.get("fusion", {}).get("rule_weight"))
        if scorer != "rules":
            from .learned import load_learned

            self.learned = load_learned(models)
            if self.learned is None and scorer == "model":
                from .errors import ModelError

                raise ModelError(f"{models}: no trained models (run 'credscore train')")
        self.scorer = scorer if self.learned is not None or scorer == "rules" else "rules"

    def score_sentences(self, sentences: Sequence[Sentence]) -> list[SentenceScore]:
        """Scores the `sentence` kind; headings and metadata pass through unscored."""
        claims = [s for s in sentences if s.kind == SENTENCE]
        evidence = self.rule_scorer.evidence(claims)
        rule_probs = self.rule_scorer.score(claims, evidence)
        model_probs = self.learned.score(claims, evidence) if self.learned and claims else None
        if self.scorer == "rules" or model_probs is None:
            final = rule_probs
        elif self.scorer == "model":
            final = model_probs
        else:
            final = self.combiner.combine(rule_probs, model_probs)
        scored = {}
        for row, (sentence, found) in enumerate(zip(claims, evidence)):
            dims = {dim: _dimension(dim, row, final, rule_probs, model_probs, found)
                    for dim in DIMENSIONS}
            scored[sentence.index] = SentenceScore(sentence, evidence=found, **dims)
        return [scored.get(s.index) or SentenceScore(s) for s in sentences]

    def score_article(self, article: Article) -> ArticleReport:
        if not article.text.strip():
            raise InputError(f"article '{article.id}' is empty")
        sentences = self.segmenter.segment(article.text)
        return build_report(article, self.score_sentences(sentences), self.rulebook, self.scorer)


def _dimension(dim: str, row: int, final: dict, rule_probs: dict, model_probs: dict | None,
               found: Evidence) -> DimensionScore:
    probs = final[dim][row]
    best = int(np.argmax(probs))
    label = LABELS[dim][best]
    return DimensionScore(
        label=label, score=round(float(probs[best]), 4),
        probabilities=tuple(round(float(p), 4) for p in probs),
        rule_score=round(float(rule_probs[dim][row][best]), 4),
        model_score=round(float(model_probs[dim][row][best]), 4) if model_probs else None,
        cues=tuple(c for c in found.cues if c.dimension == dim),
    )


@lru_cache(maxsize=4)
def default_pipeline(scorer: str = "combined") -> Pipeline:
    return Pipeline(scorer=scorer)


def score_text(text: str, *, scorer: str = "combined", article_id: str = "article",
               title: str | None = None, pipeline: Pipeline | None = None) -> ArticleReport:
    """Score one article given as text; returns an ArticleReport (``.to_dict()`` for JSON)."""
    pipeline = pipeline or default_pipeline(scorer)
    return pipeline.score_article(Article(id=article_id, text=text, title=title))
