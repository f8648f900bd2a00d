"""Merges the rule probabilities with the learned model's, dimension by dimension.

Log-linear pooling: combined ∝ p_rules^w · p_model^(1−w), with the rule weight w per dimension
in rules.yaml (scoring.fusion.rule_weight). A stacker fitted on our own corpus trusted the
model too much off-domain; w was chosen on the development gold sets instead (README).
Sentences of an article that reads as a synonym spinner's rewrite are pooled with their own
weights (scoring.fusion.paraphrased_rule_weight): the spinner rewrites the cue words the rules
look for, and a rule that finds nothing still votes for "none".
"""

from __future__ import annotations

import numpy as np

from .rule_scorer import softmax

_EPS = 1e-6


class Combiner:
    """Pools rule and model probabilities; without model probabilities the rules stand alone.

    ``temperatures`` (per dimension, fitted by `credscore train` and stored with the models)
    soften or sharpen the pooled distribution so that its probabilities are calibrated.
    """

    def __init__(self, rule_weight: dict[str, float],
                 temperatures: dict[str, float] | None = None,
                 paraphrased_rule_weight: dict[str, float] | None = None):
        self._rule_weight = rule_weight
        self._paraphrased_rule_weight = paraphrased_rule_weight or rule_weight
        self._temperatures = temperatures or {}

    def pool(self, dim: str, rule_probs: np.ndarray, model_probs: np.ndarray,
             paraphrased: np.ndarray | None = None) -> np.ndarray:
        """The pooled log-scores (before the temperature and the softmax); ``paraphrased``
        marks the rows whose article reads as spun."""
        weight = self._rule_weight[dim]
        if paraphrased is not None and paraphrased.any():
            weight = np.where(paraphrased, self._paraphrased_rule_weight[dim], weight)[:, None]
        return weight * np.log(rule_probs + _EPS) + (1.0 - weight) * np.log(model_probs + _EPS)

    def combine(self, rule_probs: dict[str, np.ndarray],
                model_probs: dict[str, np.ndarray] | None,
                paraphrased: np.ndarray | None = None) -> dict[str, np.ndarray]:
        if not model_probs:
            return rule_probs
        return {dim: softmax(self.pool(dim, rule_probs[dim], model, paraphrased) /
                             self._temperatures.get(dim, 1.0))
                for dim, model in model_probs.items()}
