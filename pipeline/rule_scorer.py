"""Turns the rule engine's cues into a probability for every label of every dimension."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .matcher import Matcher
from .records import DIMENSIONS, LABELS, Evidence, Sentence
from .rulebook import Rulebook


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class RuleScorer:
    """Scores sentences from rules.yaml: each label's logit is its prior plus its cues' weights."""

    def __init__(self, rulebook: Rulebook):
        self.matcher = Matcher(rulebook)
        self._votes = rulebook.votes
        self._priors = {
            dim: np.array([rulebook.priors[dim].get(label, 0.0) for label in LABELS[dim]])
            for dim in DIMENSIONS
        }
        self._column = {dim: {label: i for i, label in enumerate(LABELS[dim])}
                        for dim in DIMENSIONS}

    def evidence(self, sentences: Sequence[Sentence]) -> list[Evidence]:
        return [self.matcher.evidence(s.text) for s in sentences]

    def score(self, sentences: Sequence[Sentence], evidence: Sequence[Evidence]
              ) -> dict[str, np.ndarray]:
        """Per dimension, an array (sentences × labels) of probabilities."""
        result = {}
        for dim in DIMENSIONS:
            columns, use_max = self._column[dim], self._votes[dim] == "max"
            votes = np.zeros((len(evidence), len(columns)))
            for row, found in enumerate(evidence):
                for cue in found.cues_by_dimension[dim]:
                    if cue.label is None:
                        continue
                    col = columns[cue.label]
                    if use_max:
                        votes[row, col] = max(votes[row, col], cue.weight)
                    else:
                        votes[row, col] += cue.weight
            result[dim] = softmax(votes + self._priors[dim])
        return result
