"""Scores labelled sentences and reports accuracy, macro-F1 and per-class figures."""

from __future__ import annotations


def per_class(gold: list, predicted: list, labels=None) -> dict:
    """Precision, recall, F1 and support for each label that occurs in either list."""
    labels = labels if labels is not None else sorted(set(gold) | set(predicted), key=str)
    result = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return result


def macro_f1(gold: list, predicted: list, labels=None) -> float:
    """Mean F1 over the labels present in the gold list (or the labels given)."""
    labels = labels if labels is not None else sorted(set(gold), key=str)
    scores = per_class(gold, predicted, labels)
    return sum(scores[label]["f1"] for label in labels) / len(labels) if labels else 0.0
