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


def confusion(gold: list, predicted: list, labels) -> list[list[int]]:
    """Rows are gold labels, columns predicted, both in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted):
        matrix[index[g]][index[p]] += 1
    return matrix


def evaluate_records(pipeline, records: list[dict]) -> dict:
    """Accuracy, macro-F1, per-class figures and confusion per dimension and scorer."""
    import numpy as np

    from .records import DIMENSIONS, LABELS, SENTENCE, Sentence, article_of, label_key
    from .spin import paraphrased_rows

    lines = [Sentence(i, 0, len(r["text"]), r["text"], r.get("kind", SENTENCE))
             for i, r in enumerate(records)]
    # Records of one article (by id) are its context: the spin detector reads them together,
    # headings included, as it reads an article in `report` and `batch`. A record without an
    # id is an article of its own.
    spun = paraphrased_rows([article_of(str(r["id"])) if "id" in r else i
                             for i, r in enumerate(records)], lines, pipeline.rulebook.spin)
    kept = [i for i, line in enumerate(lines) if line.kind == SENTENCE]
    paraphrased = np.array([spun[i] for i in kept], dtype=bool)
    records = [records[i] for i in kept]
    sentences = [lines[i] for i in kept]
    probabilities = pipeline.probabilities(sentences, pipeline.rule_scorer.evidence(sentences),
                                           paraphrased=paraphrased)
    result = {"n": len(records), "paraphrased": int(paraphrased.sum()), "dimensions": {}}
    for dim in DIMENSIONS:
        rows = [i for i, r in enumerate(records) if dim in r]
        headline = [i for i in rows if dim not in (records[i].get("ambiguous") or [])]
        headline_rows = set(headline)
        if not rows:
            continue
        labels = LABELS[dim]
        present = [label for label in labels if any(records[i][dim] == label for i in headline)]
        entry = {"n": len(headline), "ambiguous": len(rows) - len(headline)}
        for name, probs in probabilities.items():
            predicted = [labels[int(probs[dim][i].argmax())] for i in headline]
            gold = [records[i][dim] for i in headline]
            classes = per_class(gold, predicted, list(labels))
            entry[name] = {
                "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0,
                "macro_f1": macro_f1(gold, predicted, present),
                "per_class": {label_key(label): classes[label] for label in labels},
                "confusion": confusion(gold, predicted, labels),
            }
            if dim == "hedging":  # the literature's headline: F1 of the hedged class
                entry[name]["f1_true"] = classes[True]["f1"]
            if dim == "source":  # does the sentence name any source at all?
                attributed = per_class([g != "none" for g in gold], [p != "none" for p in predicted])
                entry[name]["attributed_f1"] = attributed[True]["f1"] if True in attributed else 0.0
            ambiguous_rows = [i for i in rows if i not in headline_rows]
            if ambiguous_rows:
                entry[name]["ambiguous_accuracy"] = sum(
                    labels[int(probs[dim][i].argmax())] == records[i][dim]
                    for i in ambiguous_rows) / len(ambiguous_rows)
        result["dimensions"][dim] = entry
    return result


def evaluate_articles(pipeline, records: list[dict]) -> dict:
    """Share of articles whose band matches ``expected_band``."""
    from .records import Article

    matches, rows = 0, []
    for record in records:
        report = pipeline.score_article(Article(id=str(record["id"]), text=record["text"]))
        hit = report.band == record["expected_band"]
        matches += hit
        rows.append({"id": record["id"], "expected": record["expected_band"],
                     "band": report.band, "score": report.score})
    return {"n": len(records), "band_accuracy": matches / len(records) if records else 0.0,
            "articles": rows}


