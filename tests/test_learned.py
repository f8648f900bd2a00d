"""Training is deterministic, models are plain JSON, and damaged models are refused."""

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline import Article
from pipeline.errors import ModelError
from pipeline.learned import load_learned
from pipeline.resources import models_dir
from pipeline.train import train

SMALL = Path(__file__).parent / "data" / "train_small.jsonl"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    train([SMALL], out, log=lambda _: None)
    return out


def test_training_is_byte_identical(trained, tmp_path):
    again = tmp_path / "again"
    train([SMALL], again, log=lambda _: None)
    for path in sorted(trained.iterdir()):
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def test_trained_models_load_and_score(trained):
    from pipeline.scorer import Pipeline

    pipeline = Pipeline(models_path=trained)
    report = pipeline.score_article(Article(
        "a", "Officials said the bridge may reopen. The ministry denied the report."))
    scored = [s for s in report.sentences if s.source is not None]
    assert scored[0].source.model_score is not None
    assert report.scorer == "combined"


def copy_models(trained, tmp_path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(trained, target)
    return target


def test_edited_weights_fail_the_checksum(trained, tmp_path):
    models = copy_models(trained, tmp_path)
    path = models / "hedging.json"
    edited = re.sub(r'"temperature":[0-9.]+', '"temperature":9.5', path.read_text())
    assert edited != path.read_text()
    path.write_text(edited)
    with pytest.raises(ModelError, match="checksum"):
        load_learned(models)


def test_truncated_file_is_refused(trained, tmp_path):
    models = copy_models(trained, tmp_path)
    path = models / "source.json"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ModelError) as caught:
        load_learned(models)
    assert "source.json" in str(caught.value) and "\n" not in str(caught.value)


def test_wrong_schema_version_is_refused(trained, tmp_path):
    models = copy_models(trained, tmp_path)
    manifest = json.loads((models / "manifest.json").read_text())
    manifest["schema"] = "credscore.models/99"
    (models / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="schema"):
        load_learned(models)


def test_missing_file_is_refused(trained, tmp_path):
    models = copy_models(trained, tmp_path)
    (models / "verification.json").unlink()
    with pytest.raises(ModelError, match="verification.json"):
        load_learned(models)


def test_no_code_path_unpickles_or_evaluates():
    package = Path(__file__).resolve().parent.parent / "pipeline"
    forbidden = re.compile(r"\b(pickle|joblib|marshal|shelve|eval|exec|__import__)\b\s*[.(]")
    for source in package.rglob("*.py"):
        for number, line in enumerate(source.read_text(encoding="utf-8").split("\n"), 1):
            assert not forbidden.search(line), f"{source.name}:{number}: {line.strip()}"


def test_shipped_models_load_when_present():
    if not (models_dir() / "manifest.json").exists():
        pytest.skip("no shipped models")
    scorer = load_learned(models_dir())
    assert set(scorer.models) == {"hedging", "source", "verification"}
