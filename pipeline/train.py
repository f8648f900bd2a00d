"""Trains one linear classifier per dimension; writes JSON weights and a manifest.

Deterministic: the same data gives byte-identical files (sorted vocabulary, fixed folds,
single-threaded solvers, rounded weights; the date is SOURCE_DATE_EPOCH's day when set).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .combine import Combiner
from .errors import InputError
from .features import Vectorizer, feature_names
from .learned import MANIFEST, MANIFEST_SCHEMA, MODEL_SCHEMA, sha256
from .load import parse_jsonl_records
from .records import DIMENSIONS, LABEL_KEYS, LABELS, SENTENCE, Sentence, article_of
from .rule_scorer import softmax
from .spin import paraphrased_rows

VALIDATION_PERCENT = 15
CALIBRATION_FOLDS = 3
MIN_FEATURE_COUNT = 2
MODEL_C = {"hedging": 0.5, "source": 0.5, "verification": 0.5}
DECIMALS = 6


@dataclass(frozen=True)
class Example:
    id: str
    group: str
    text: str
    labels: dict  # dimension -> label, only for the dimensions not marked ambiguous


def article_group(record_id: str) -> str:
    """Sentences of one article, and of its spun copy ('…s'), share a group."""
    article = article_of(record_id)
    return article[:-1] if article.endswith("s") else article


def is_validation(group: str) -> bool:
    return zlib.crc32(group.encode("utf-8")) % 100 < VALIDATION_PERCENT


def read_examples(paths: list[Path]) -> tuple[list[Example], str]:
    """Labelled sentences from JSONL files or folders of them, and a hash of their bytes."""
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
    files = sorted({f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])})
    if not files:
        raise InputError(f"no .jsonl training files in {', '.join(map(str, paths))}")
    digest, examples = hashlib.sha256(), []
    for file in files:
        data = file.read_bytes()
        digest.update(file.name.encode() + b"\0" + data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{file}: not UTF-8 text") from None
        for record in parse_jsonl_records(text, str(file)):
            if record.get("kind", SENTENCE) != SENTENCE or not isinstance(record.get("id"), str):
                continue
            ambiguous = set(record.get("ambiguous") or [])
            labels = {dim: record[dim] for dim in DIMENSIONS
                      if dim in record and dim not in ambiguous and record[dim] in LABELS[dim]}
            examples.append(Example(record["id"], article_group(record["id"]), record["text"],
                                    labels))
    return examples, digest.hexdigest()


def _logistic(c: float, balanced: bool):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced" if balanced else None,
                              solver="lbfgs")


def _columns(model, dim: str) -> np.ndarray:
    """Probabilities in LABELS order whatever order sklearn keeps its classes in."""
    return np.array([list(model.classes_).index(i) for i in range(len(LABELS[dim]))])


def _fit_predict(x_train, y_train, x_test, dim):
    model = _logistic(MODEL_C[dim], balanced=True).fit(x_train, y_train)
    return model, model.predict_proba(x_test)[:, _columns(model, dim)]


def _rounded(array) -> list:
    return np.round(np.asarray(array, dtype=np.float64), DECIMALS).tolist()


def expected_calibration_error(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    confidence, predicted = probs.max(axis=1), probs.argmax(axis=1)
    error = 0.0
    for low in np.linspace(0, 1, bins, endpoint=False):
        mask = (confidence > low) & (confidence <= low + 1 / bins)
        if mask.any():
            error += mask.mean() * abs((predicted[mask] == y[mask]).mean() - confidence[mask].mean())
    return float(error)


def _macro_f1(y, probs, n) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, probs.argmax(axis=1), labels=list(range(n)), average="macro",
                          zero_division=0))


def train(data: list[Path], out: Path, log=print) -> dict:
    """Train and write models/ (the three classifiers, fusion weights and manifest)."""
    import sklearn
    from sklearn.model_selection import GroupKFold

    from .rule_scorer import RuleScorer
    from .rulebook import load_rulebook

    started = time.perf_counter()
    examples, data_hash = read_examples(data)
    rulebook = load_rulebook()
    rule_scorer = RuleScorer(rulebook)
    sentences = [Sentence(i, 0, len(e.text), e.text) for i, e in enumerate(examples)]
    evidence = rule_scorer.evidence(sentences)
    rule_probs = rule_scorer.score(sentences, evidence)
    validation = np.array([is_validation(e.group) for e in examples])
    # Sentences of articles read as spun are pooled with their own weights, as when scoring.
    paraphrased = np.array(paraphrased_rows([article_of(e.id) for e in examples], sentences,
                                            rulebook.spin), dtype=bool)
    groups = np.array([e.group for e in examples])

    counts: dict[str, int] = {}
    for sentence, found, held_out in zip(sentences, evidence, validation):
        if not held_out:
            for name in set(feature_names(sentence.text, found)):
                counts[name] = counts.get(name, 0) + 1
    vocabulary = sorted(name for name, n in counts.items() if n >= MIN_FEATURE_COUNT)
    x_all = Vectorizer({name: i for i, name in enumerate(vocabulary)}).transform(sentences, evidence)

    out.mkdir(parents=True, exist_ok=True)
    # Temperatures are fitted here, so the pooling runs without them.
    combiner = Combiner(rulebook.scoring.rule_weight,
                        paraphrased_rule_weight=rulebook.scoring.paraphrased_rule_weight)
    files, figures = {}, {}
    for dim in DIMENSIONS:
        labelled = np.array([dim in e.labels for e in examples])
        y_all = np.array([LABELS[dim].index(e.labels[dim]) if dim in e.labels else -1
                          for e in examples])
        train_rows = np.flatnonzero(labelled & ~validation)
        valid_rows = np.flatnonzero(labelled & validation)
        # Temperatures are fitted on out-of-fold predictions of the training side, so the
        # validation figures below measure calibration on data that fitted nothing.
        folds = np.zeros((len(train_rows), len(LABELS[dim])))
        for fit, held in GroupKFold(n_splits=CALIBRATION_FOLDS).split(
                train_rows, groups=groups[train_rows]):
            _, folds[held] = _fit_predict(x_all[train_rows[fit]], y_all[train_rows[fit]],
                                          x_all[train_rows[held]], dim)
        model_temperature = _fit_temperature(np.log(folds + 1e-6), y_all[train_rows])
        pooled = combiner.pool(dim, rule_probs[dim][train_rows],
                               _tempered(folds, model_temperature), paraphrased[train_rows])
        combined_temperature = _fit_temperature(pooled, y_all[train_rows])
        model, valid_model = _fit_predict(x_all[train_rows], y_all[train_rows],
                                          x_all[valid_rows], dim)
        valid_model = _tempered(valid_model, model_temperature)
        valid_combined = softmax(combiner.pool(dim, rule_probs[dim][valid_rows], valid_model,
                                               paraphrased[valid_rows]) / combined_temperature)
        figures[dim] = _figures(dim, y_all[valid_rows], rule_probs[dim][valid_rows], valid_model,
                                valid_combined, len(train_rows))
        figures[dim]["temperatures"] = {"model": model_temperature,
                                        "combined": combined_temperature}
        order = slice(None) if len(LABELS[dim]) == 2 else _columns(model, dim)
        payload = {"schema": MODEL_SCHEMA, "dimension": dim,
                   "labels": list(LABEL_KEYS[dim]),
                   "vocabulary": vocabulary, "coef": _rounded(model.coef_[order]),
                   "intercept": _rounded(model.intercept_[order]),
                   "temperature": model_temperature, "combined_temperature": combined_temperature}
        files[dim] = _write(out / f"{dim}.json", payload)
        log(f"{dim}: validation macro-F1 rules {figures[dim]['rules']['macro_f1']:.3f} "
            f"model {figures[dim]['model']['macro_f1']:.3f} "
            f"combined {figures[dim]['combined']['macro_f1']:.3f} "
            f"(ECE combined {figures[dim]['combined']['ece']:.3f})")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    manifest = {
        "schema": MANIFEST_SCHEMA, "date": day.strftime("%Y-%m-%d"), "data_sha256": data_hash,
        "examples": len(examples), "validation_share": VALIDATION_PERCENT / 100,
        "vocabulary": len(vocabulary),
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__},
        "validation": figures, "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                encoding="utf-8")
    log(f"trained on {len(examples)} sentences in {time.perf_counter() - started:.1f} s → {out}")
    return manifest


def _tempered(probs: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(np.log(probs + 1e-6) / temperature)


def _fit_temperature(log_probs: np.ndarray, y: np.ndarray) -> float:
    """The temperature (on a fixed grid, for determinism) that minimises the log loss."""
    best, best_loss = 1.0, float("inf")
    for temperature in np.round(np.arange(0.5, 4.01, 0.05), 2):
        probs = softmax(log_probs / temperature)
        loss = -np.log(probs[np.arange(len(y)), y] + 1e-12).mean()
        if loss < best_loss - 1e-12:
            best, best_loss = float(temperature), loss
    return best


def _figures(dim, y, rules, model, combined, n_train) -> dict:
    n = len(LABELS[dim])
    result = {"train_sentences": n_train, "validation_sentences": int(len(y))}
    for name, probs in (("rules", rules), ("model", model), ("combined", combined)):
        one_hot = np.eye(n)[y]
        result[name] = {"macro_f1": round(_macro_f1(y, probs, n), 4),
                        "accuracy": round(float((probs.argmax(axis=1) == y).mean()), 4),
                        "brier": round(float(((probs - one_hot) ** 2).sum(axis=1).mean()), 4),
                        "ece": round(expected_calibration_error(probs, y), 4)}
    return result


def _write(path: Path, payload: dict) -> dict:
    path.write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")
    return {"path": path.name, "sha256": sha256(path)}
