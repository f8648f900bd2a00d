"""Sentence → sparse feature vector for the learned classifiers (no fitted objects pickled).

Features: lower-cased word unigrams and bigrams, the ids and labels of the rules that fired,
and a few shape markers. The vocabulary is learned by train.py and stored as JSON.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix

from .matcher import TOKEN, normalise_token
from .records import Evidence, Sentence


def _tokens(text: str, evidence: Evidence) -> tuple[str, ...]:
    return evidence.tokens or tuple(normalise_token(t) for t in TOKEN.findall(text))


def _rule_and_shape_names(tokens: Sequence[str], evidence: Evidence) -> list[str]:
    """The features that are not words or word pairs: the rules and labels that fired, a quote
    marker and the length in tens of tokens."""
    names = [f"r:{cue.rule_id}" for cue in evidence.cues]
    names += [f"l:{cue.dimension}:{cue.label}" for cue in evidence.cues]
    if evidence.quotes:
        names.append("s:quote")
    names.append(f"s:len{min(len(tokens) // 10, 5)}")
    return names


def feature_names(text: str, evidence: Evidence) -> list[str]:
    """The string features of one sentence (before vocabulary lookup)."""
    tokens = _tokens(text, evidence)
    names = [f"w:{t}" for t in tokens]
    names += [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:])]
    return names + _rule_and_shape_names(tokens, evidence)


class Vectorizer:
    """Maps feature names to columns with a fixed vocabulary; binary values.

    Word and bigram features are looked up by token and token pair directly, which spares
    building a string per feature on the hot path; the columns are those of feature_names.
    """

    def __init__(self, vocabulary: dict[str, int]):
        self.vocabulary = vocabulary
        self._words = {name[2:]: i for name, i in vocabulary.items() if name.startswith("w:")}
        self._pairs = {tuple(name[2:].split(" ", 1)): i for name, i in vocabulary.items()
                       if name.startswith("b:")}

    def transform(self, sentences: Sequence[Sentence], evidence: Sequence[Evidence]) -> csr_matrix:
        indptr, indices = [0], []
        other, words, pairs = self.vocabulary.get, self._words.get, self._pairs.get
        for sentence, found in zip(sentences, evidence):
            tokens = _tokens(sentence.text, found)
            columns = set(map(words, tokens))
            columns.update(map(pairs, zip(tokens, tokens[1:])))
            columns.update(map(other, _rule_and_shape_names(tokens, found)))
            columns.discard(None)
            indices.extend(columns)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        matrix = csr_matrix((data, np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
                            shape=(len(indptr) - 1, len(self.vocabulary)))
        # Each row's columns in order, sorted in one call rather than one sorted() per row: the
        # products with the weights then add them up in the same order every time.
        matrix.sort_indices()
        return matrix
