"""Builds every stage once (rules, models, segmenter) and scores articles through them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .aggregate import build_report
from .combine import Combiner
from .errors import InputError, ModelError
from .records import (
    DIMENSIONS,
    LABELS,
    SENTENCE,
    Article,
    ArticleReport,
    Cue,
    DimensionScore,
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
        if scorer != "rules":
            from .learned import load_learned

            self.learned = load_learned(models)
            if self.learned is None and (models_path is not None or scorer == "model"):
                raise ModelError(f"{models}: no trained models here (run 'credscore train')")
        temperatures = self.learned.combined_temperatures if self.learned is not None else None
        self.combiner = Combiner(self.rulebook.scoring.get("fusion", {}).get("rule_weight"),
                                 temperatures)
        self.scorer = scorer if self.learned is not None or scorer == "rules" else "rules"

    def score_sentences(self, sentences: Sequence[Sentence]) -> list[SentenceScore]:
        """Scores the `sentence` kind; headings and metadata pass through unscored."""
        return self._score_groups([sentences])[0]

    def _score_groups(self, groups: Sequence[Sequence[Sentence]]) -> list[list[SentenceScore]]:
        """Scores the sentences of several articles in one pass: the array work per call is
        the same for ten sentences or ten thousand, so batching articles amortises it."""
        claims = [s for group in groups for s in group if s.kind == SENTENCE]
        evidence = self.rule_scorer.evidence(claims)
        rule_probs = self.rule_scorer.score(claims, evidence)
        model_probs = self.learned.score(claims, evidence) if self.learned and claims else None
        if self.scorer == "rules" or model_probs is None:
            final = rule_probs
        elif self.scorer == "model":
            final = model_probs
        else:
            final = self.combiner.combine(rule_probs, model_probs)
        columns = {dim: _columns(dim, final, rule_probs, model_probs) for dim in DIMENSIONS}
        row, results = 0, []
        for group in groups:
            scored = []
            for sentence in group:
                if sentence.kind != SENTENCE:
                    scored.append(SentenceScore(sentence))
                    continue
                found = evidence[row]
                cues = {dim: [] for dim in DIMENSIONS}
                for cue in found.cues:
                    cues[cue.dimension].append(cue)
                dims = {dim: columns[dim](row, tuple(cues[dim])) for dim in DIMENSIONS}
                scored.append(SentenceScore(sentence, evidence=found, **dims))
                row += 1
            results.append(scored)
        return results

    def score_article(self, article: Article) -> ArticleReport:
        """The report of one article; raises InputError when it is empty."""
        return self.score_articles([article])[0]

    def score_articles(self, articles: Sequence[Article]) -> list[ArticleReport]:
        """Reports of several articles, scored together (faster than one by one)."""
        for article in articles:
            if not article.text.strip():
                raise InputError(f"article '{article.id}' is empty")
        groups = [self.segmenter.segment(article.text) for article in articles]
        return [build_report(article, scored, self.rulebook, self.scorer)
                for article, scored in zip(articles, self._score_groups(groups))]


def _columns(dim: str, final: dict, rule_probs: dict, model_probs: dict | None):
    """A function row → DimensionScore, with the array work done once for all rows."""
    probs = final[dim]
    rows = np.arange(len(probs))
    best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
    rounded = np.round(probs, 4).tolist()
    scores = np.round(probs[rows, best], 4).tolist()
    rule_scores = np.round(rule_probs[dim][rows, best], 4).tolist()
    model_scores = np.round(model_probs[dim][rows, best], 4).tolist() if model_probs else None
    labels = [LABELS[dim][i] for i in best.tolist()]

    def build(row: int, cues: tuple[Cue, ...]) -> DimensionScore:
        return DimensionScore(
            label=labels[row], score=scores[row], probabilities=tuple(rounded[row]),
            rule_score=rule_scores[row],
            model_score=model_scores[row] if model_scores is not None else None, cues=cues)

    return build


@lru_cache(maxsize=4)
def default_pipeline(scorer: str = "combined") -> Pipeline:
    return Pipeline(scorer=scorer)


def score_text(text: str, *, scorer: str = "combined", article_id: str = "article",
               title: str | None = None, pipeline: Pipeline | None = None) -> ArticleReport:
    """Score one article given as text; returns an ArticleReport (``.to_dict()`` for JSON)."""
    pipeline = pipeline or default_pipeline(scorer)
    return pipeline.score_article(Article(id=article_id, text=text, title=title))
