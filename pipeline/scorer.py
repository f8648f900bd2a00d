"""Builds every stage once (rules, models, segmenter) and scores articles through them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from .aggregate import build_report
from .combine import Combiner
from .errors import CredscoreError, InputError, ModelError
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
    SpinResult,
)
from .resources import models_dir
from .rule_scorer import RuleScorer
from .rulebook import load_rulebook
from .segment import Segmenter, load_punkt
from .spin import detect_spin

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
        scoring = self.rulebook.scoring
        self.combiner = Combiner(scoring.rule_weight, temperatures,
                                 scoring.paraphrased_rule_weight)
        self.scorer = scorer if self.learned is not None or scorer == "rules" else "rules"

    def _score_groups(self, groups: Sequence[Sequence[Sentence]],
                      spins: Sequence[SpinResult]) -> list[list[SentenceScore]]:
        """Scores the sentences of several articles in one pass: the array work per call is
        the same for ten sentences or ten thousand, so batching articles amortises it.
        ``spins`` (one per article) say which articles are pooled as spun."""
        claims = [s for group in groups for s in group if s.kind == SENTENCE]
        paraphrased = np.array([spin.paraphrased for group, spin in zip(groups, spins)
                                for s in group if s.kind == SENTENCE], dtype=bool)
        evidence = self.rule_scorer.evidence(claims)
        by_scorer = self.probabilities(claims, evidence, combined=self.scorer == "combined",
                                       paraphrased=paraphrased)
        rule_probs, model_probs = by_scorer["rules"], by_scorer.get("model")
        final = by_scorer.get(self.scorer, rule_probs)
        # Every dimension's scores for all claims at once.
        columns = [_dimension_scores(dim, final, rule_probs, model_probs,
                                     [found.cues_by_dimension[dim] for found in evidence])
                   for dim in DIMENSIONS]
        rows = iter(zip(evidence, *columns))
        results = []
        for group in groups:
            scored = []
            for sentence in group:
                if sentence.kind != SENTENCE:
                    scored.append(SentenceScore(sentence))
                    continue
                found, hedging, source, verification = next(rows)
                scored.append(SentenceScore(sentence, hedging, source, verification, found))
            results.append(scored)
        return results

    def probabilities(self, sentences: Sequence[Sentence], evidence, combined: bool = True,
                      paraphrased: np.ndarray | None = None) -> dict[str, dict]:
        """Per scorer ("rules"; with models also "model" and, unless ``combined`` is false,
        "combined"), per dimension, an array (sentences × labels) of probabilities.
        ``paraphrased`` marks the sentences of articles read as spun (fused with other weights)."""
        found = {"rules": self.rule_scorer.score(sentences, evidence)}
        if self.learned is not None and sentences:
            found["model"] = self.learned.score(sentences, evidence)
            if combined:
                found["combined"] = self.combiner.combine(found["rules"], found["model"],
                                                          paraphrased)
        return found

    def score_article(self, article: Article) -> ArticleReport:
        """The report of one article; raises InputError when it is empty."""
        return self.score_articles([article])[0]

    def score_articles(self, articles: Sequence[Article]) -> list[ArticleReport]:
        """Reports of several articles, scored together (faster than one by one)."""
        for article in articles:
            if not article.text.strip():
                raise InputError(f"article '{article.id}' is empty")
        groups = [self.segmenter.segment(article.text) for article in articles]
        spins = [detect_spin(group, self.rulebook.spin) for group in groups]
        return [build_report(article, scored, self.rulebook, self.scorer, spin)
                for article, scored, spin in zip(articles, self._score_groups(groups, spins),
                                                  spins)]


def score_each(pipeline: Pipeline, articles: Sequence[Article]) -> list:
    """A report per article, or the one-line reason it could not be scored. Articles are scored
    together (the per-call array work is shared); one bad article spoils a joint call, and then
    they are scored one by one so that only that one fails. A scorer bug costs its article, not
    the job."""
    try:
        return list(pipeline.score_articles(articles))
    except Exception:  # noqa: BLE001 - retried one by one below, where each failure is named
        pass
    outcomes: list = []
    for article in articles:
        try:
            outcomes.append(pipeline.score_article(article))
        except CredscoreError as error:
            outcomes.append(str(error))
        except Exception as error:  # noqa: BLE001
            outcomes.append(f"internal error while scoring ({error.__class__.__name__}: {error})")
    return outcomes


def _dimension_scores(dim: str, final: dict, rule_probs: dict, model_probs: dict | None,
                      cues: list[tuple[Cue, ...]]) -> list[DimensionScore]:
    """One DimensionScore per row, the array work done once for all rows and the results made
    Python lists in one go (indexing numpy arrays row by row is far slower)."""
    probs = final[dim]
    rows = np.arange(len(probs))
    best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
    rounded = map(tuple, np.round(probs, 4).tolist())
    scores = np.round(probs[rows, best], 4).tolist()
    rule_scores = np.round(rule_probs[dim][rows, best], 4).tolist()
    model_scores = np.round(model_probs[dim][rows, best], 4).tolist() if model_probs else \
        repeat(None)
    labels = map(LABELS[dim].__getitem__, best.tolist())
    return list(map(DimensionScore._make,
                    zip(labels, scores, rounded, rule_scores, model_scores, cues)))


@lru_cache(maxsize=4)
def default_pipeline(scorer: str = "combined") -> Pipeline:
    return Pipeline(scorer=scorer)


def score_text(text: str, *, scorer: str = "combined", article_id: str = "article",
               title: str | None = None, pipeline: Pipeline | None = None) -> ArticleReport:
    """Score one article given as text; returns an ArticleReport (``.to_dict()`` for JSON)."""
    pipeline = pipeline or default_pipeline(scorer)
    return pipeline.score_article(Article(id=article_id, text=text, title=title))
