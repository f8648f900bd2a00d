"""Merges the rule probabilities with the learned model's, dimension by dimension."""

from __future__ import annotations

import numpy as np

from .rule_scorer import softmax

_EPS = 1e-6


class Combiner:
    """A small logistic stacker over log-probabilities of both scorers (weights in models/).

    Without fusion weights the combined score is the rule score, so the pipeline works before
    any model exists.
    """

    def __init__(self, fusion: dict | None = None):
        self._fusion = fusion or {}

    def combine(self, rule_probs: dict[str, np.ndarray],
                model_probs: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
        if not model_probs:
            return rule_probs
        combined = {}
        for dim in model_probs:
            weights = self._fusion.get(dim)
            if weights is None:
                combined[dim] = model_probs[dim]
                continue
            features = np.hstack([np.log(rule_probs[dim] + _EPS), np.log(model_probs[dim] + _EPS)])
            logits = features @ np.asarray(weights["coef"]).T + np.asarray(weights["intercept"])
            if logits.shape[1] == 1:  # binary: one column of logits for the positive class
                logits = np.hstack([np.zeros_like(logits), logits])
            combined[dim] = softmax(logits)
        return combined
