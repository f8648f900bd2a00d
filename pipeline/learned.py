"""Pickle-free learned classifiers: weights and vocabulary as JSON, checked before use.

Loading reads JSON only (no pickle, no code): a manifest lists each file with its SHA-256, and
every file declares its schema and dimension. Anything damaged or incompatible is refused with
one line naming the file and the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ModelError
from .features import Vectorizer
from .records import DIMENSIONS, LABEL_KEYS, Evidence, Sentence
from .rule_scorer import softmax

MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "credscore.models/1"
MODEL_SCHEMA = "credscore.linear/1"
MAX_MODEL_BYTES = 50_000_000


def sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks so that a huge file is never held in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, read once (checksum and parser share them); a file larger than
    MAX_MODEL_BYTES is refused unread."""
    try:
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise ModelError(f"{path}: larger than {MAX_MODEL_BYTES} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"{path}: missing model file") from None
    except OSError as error:
        raise ModelError(f"{path}: not a readable JSON model ({error.__class__.__name__})") \
            from None


def _json_object(path: Path, data: bytes) -> dict:
    """The JSON object that ``data``, the bytes of ``path``, holds."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # RecursionError: JSON nested deeper than the parser's stack, a hostile file.
        raise ModelError(f"{path}: not a readable JSON model ({error.__class__.__name__})") \
            from None
    if not isinstance(raw, dict):
        raise ModelError(f"{path}: key '(top)': must be a JSON object")
    return raw


def _require(raw: dict, key: str, kind, path: Path):
    value = raw.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ModelError(f"{path}: key '{key}': missing or of the wrong type")
    return value


class LinearModel:
    """A multinomial (or binary) logistic model over the Vectorizer's features."""

    def __init__(self, path: Path, dimension: str, raw: dict,
                 shared: dict[tuple[str, ...], Vectorizer] | None = None):
        if raw.get("schema") != MODEL_SCHEMA:
            raise ModelError(f"{path}: key 'schema': expected {MODEL_SCHEMA}")
        if raw.get("dimension") != dimension:
            raise ModelError(f"{path}: key 'dimension': expected {dimension}")
        labels = _require(raw, "labels", list, path)
        if labels != list(LABEL_KEYS[dimension]):
            raise ModelError(f"{path}: key 'labels': not the labels of {dimension}")
        vocabulary = _require(raw, "vocabulary", list, path)
        if not all(isinstance(name, str) for name in vocabulary):
            raise ModelError(f"{path}: key 'vocabulary': must be a list of strings")
        try:
            coef = np.asarray(_require(raw, "coef", list, path), dtype=np.float64)
            intercept = np.asarray(_require(raw, "intercept", list, path), dtype=np.float64)
            temperature = float(raw.get("temperature", 1.0))
            combined_temperature = float(raw.get("combined_temperature", 1.0))
        except (TypeError, ValueError):
            raise ModelError(f"{path}: key 'coef': not a numeric matrix") from None
        rows = 1 if len(labels) == 2 else len(labels)
        if coef.shape != (rows, len(vocabulary)) or intercept.shape != (rows,):
            raise ModelError(f"{path}: key 'coef': shape {coef.shape} does not fit "
                             f"{rows} × {len(vocabulary)}")
        if not np.all(np.isfinite(coef)) or not np.all(np.isfinite(intercept)) or \
                not temperature > 0 or not combined_temperature > 0:
            raise ModelError(f"{path}: key 'coef': non-finite weights or temperature")
        # Models trained together share one vocabulary: build its lookup tables once.
        shared = {} if shared is None else shared
        key = tuple(vocabulary)
        if key not in shared:
            shared[key] = Vectorizer({name: i for i, name in enumerate(vocabulary)})
        self.vectorizer = shared[key]
        self.coef_t = np.ascontiguousarray(coef.T)
        self.intercept = intercept
        self.temperature = temperature
        self.combined_temperature = combined_temperature

    def predict_proba_features(self, features) -> np.ndarray:
        logits = (features @ self.coef_t + self.intercept)
        logits = np.asarray(logits) / self.temperature
        if logits.shape[1] == 1:
            logits = np.hstack([np.zeros_like(logits), logits])
        return softmax(logits)


class LearnedScorer:
    """Scores sentences with one LinearModel per dimension."""

    def __init__(self, models: dict[str, LinearModel]):
        self.models = models
        self.combined_temperatures = {dim: m.combined_temperature for dim, m in models.items()}

    def score(self, sentences: Sequence[Sentence], evidence: Sequence[Evidence]
              ) -> dict[str, np.ndarray]:
        # The dimensions usually share one vocabulary: extract the features once for all.
        features: dict[int, object] = {}
        result = {}
        for dim, model in self.models.items():
            key = id(model.vectorizer)
            if key not in features:
                features[key] = model.vectorizer.transform(sentences, evidence)
            result[dim] = model.predict_proba_features(features[key])
        return result


def load_learned(models: Path) -> LearnedScorer | None:
    """The LearnedScorer from models/, or None when no models are trained."""
    manifest_path = models / MANIFEST
    if not manifest_path.exists():
        return None
    manifest = _json_object(manifest_path, _read_bytes(manifest_path))
    if manifest.get("schema") != MANIFEST_SCHEMA:
        raise ModelError(f"{manifest_path}: key 'schema': expected {MANIFEST_SCHEMA} "
                         f"(found {manifest.get('schema')!r})")
    files = _require(manifest, "files", dict, manifest_path)
    # Every file is checked against the manifest before any is parsed.
    checked: dict[str, tuple[Path, bytes]] = {}
    for name in DIMENSIONS:
        entry = files.get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or \
                not isinstance(entry.get("sha256"), str):
            raise ModelError(f"{manifest_path}: key 'files.{name}': missing path or sha256")
        path = models / Path(entry["path"]).name
        data = _read_bytes(path)
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ModelError(f"{path}: checksum does not match the manifest (damaged or edited)")
        checked[name] = (path, data)
    shared: dict = {}
    linear = {dim: LinearModel(path, dim, _json_object(path, data), shared)
              for dim, (path, data) in checked.items()}
    return LearnedScorer(linear)
