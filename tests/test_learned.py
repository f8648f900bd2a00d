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


# -- models from anywhere: damaged in ways a checksum cannot catch (the manifest agrees) --------

def rewrite_model(models: Path, name: str, edit) -> Path:
    """Apply edit(raw) -> raw or text to models/NAME.json and make the manifest's checksum agree."""
    from pipeline.learned import sha256

    path = models / f"{name}.json"
    result = edit(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(result if isinstance(result, str) else json.dumps(result), encoding="utf-8")
    manifest = json.loads((models / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name]["sha256"] = sha256(path)
    (models / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def refused(models: Path, *words: str) -> str:
    with pytest.raises(ModelError) as caught:
        load_learned(models)
    message = str(caught.value)
    assert "\n" not in message and all(word in message for word in words), message
    return message


def nested(raw):
    raw["coef"] = [raw["coef"]]
    return raw


@pytest.mark.parametrize("name, edit, words", [
    ("hedging", lambda raw: {**raw, "coef": [[float("nan")] * len(raw["vocabulary"])]},
     ("hedging.json", "non-finite")),
    ("source", lambda raw: {**raw, "intercept": [float("inf")] * len(raw["intercept"])},
     ("source.json", "non-finite")),
    ("hedging", lambda raw: {**raw, "temperature": 0}, ("hedging.json", "temperature")),
    ("hedging", lambda raw: {**raw, "temperature": "hot"}, ("hedging.json",)),
    ("source", lambda raw: {**raw, "coef": [row[:-1] for row in raw["coef"]]},
     ("source.json", "shape")),
    ("source", lambda raw: {**raw, "coef": raw["coef"][:-1]}, ("source.json", "shape")),
    ("verification", lambda raw: {**raw, "intercept": raw["intercept"] + [0.0]},
     ("verification.json", "shape")),
    ("verification", lambda raw: {**raw, "vocabulary": raw["vocabulary"][:-1]},
     ("verification.json", "shape")),
    ("verification", nested, ("verification.json", "coef")),
    ("hedging", lambda raw: {"model": raw}, ("hedging.json", "schema")),
    ("hedging", lambda raw: {**raw, "coef": {"values": raw["coef"]}}, ("hedging.json", "coef")),
    ("hedging", lambda raw: {**raw, "vocabulary": [raw["vocabulary"]]}, ("hedging.json", "vocabulary")),
    ("hedging", lambda raw: {**raw, "coef": [["heavy"] * len(raw["vocabulary"])]}, ("hedging.json", "coef")),
    ("hedging", lambda raw: {**raw, "schema": "credscore.linear/2"}, ("hedging.json", "schema")),
    ("source", lambda raw: {**raw, "labels": list(reversed(raw["labels"]))}, ("source.json", "labels")),
    ("source", lambda raw: {**raw, "dimension": "hedging"}, ("source.json", "dimension")),
    ("source", lambda raw: [raw], ("source.json",)),
    ("source", lambda raw: "\x00\x01 not json at all", ("source.json",)),
], ids=["nan-weights", "inf-intercept", "zero-temperature", "text-temperature", "short-rows",
        "missing-row", "long-intercept", "short-vocabulary", "extra-list-nesting", "wrapped-model",
        "coef-as-object", "nested-vocabulary", "weights-as-strings", "newer-schema",
        "labels-reordered", "wrong-dimension", "top-level-list", "binary"])
def test_damaged_model_with_matching_checksum_is_refused(trained, tmp_path, name, edit, words):
    models = copy_models(trained, tmp_path)
    rewrite_model(models, name, edit)
    refused(models, *words)


def test_huge_model_file_is_refused(trained, tmp_path):
    from pipeline.learned import MAX_MODEL_BYTES

    models = copy_models(trained, tmp_path)
    path = models / "hedging.json"
    with path.open("r+b") as handle:  # sparse: the size a loader sees, without the disk use
        handle.truncate(MAX_MODEL_BYTES + 1)
    refused(models, "hedging.json")


def test_deeply_nested_model_json_is_refused(trained, tmp_path):
    models = copy_models(trained, tmp_path)
    rewrite_model(models, "hedging", lambda raw: "[" * 200_000 + "]" * 200_000)
    refused(models, "hedging.json")


@pytest.mark.parametrize("manifest_edit, words", [
    (lambda m: {**m, "files": {**m["files"], "hedging": {**m["files"]["hedging"],
                                                         "path": "/etc/passwd"}}}, ("passwd", "missing")),
    (lambda m: {**m, "files": [m["files"]]}, ("manifest.json", "files")),
    (lambda m: {**m, "files": {**m["files"], "source": "source.json"}}, ("manifest.json", "files.source")),
    (lambda m: [m], ("manifest.json",)),
], ids=["path-outside-the-folder", "files-as-list", "entry-not-object", "top-level-list"])
def test_damaged_manifest_is_refused(trained, tmp_path, manifest_edit, words):
    models = copy_models(trained, tmp_path)
    manifest = json.loads((models / "manifest.json").read_text(encoding="utf-8"))
    (models / "manifest.json").write_text(json.dumps(manifest_edit(manifest)), encoding="utf-8")
    refused(models, *words)


# Calls and imports that would run code or rebuild objects from loaded bytes.
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "marshal", "shelve",
                  "jsonpickle", "importlib"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
UNSAFE_ATTRIBUTES = {("yaml", "load"), ("yaml", "load_all"), ("yaml", "unsafe_load"),
                     ("yaml", "full_load"), ("yaml", "Loader"), ("yaml", "UnsafeLoader"),
                     ("yaml", "FullLoader"), ("yaml", "CLoader"), ("yaml", "CUnsafeLoader"),
                     ("np", "load"), ("numpy", "load"), ("torch", "load")}


def unsafe_uses(source: str, filename: str) -> list[str]:
    import ast

    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            found.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id in UNSAFE_CALLS:
            found.append(f"{where}: {node.func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                (node.value.id, node.attr) in UNSAFE_ATTRIBUTES:
            found.append(f"{where}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in {"eval", "exec", "__import__"}:
            found.append(f"{where}: .{node.attr}")
    return found


def test_the_ast_check_catches_each_unsafe_form():
    sample = ("import pickle\nfrom joblib import load\nimport importlib.util\nx = eval('1')\n"
              "exec('y = 1')\nm = __import__('os')\nimport yaml\nyaml.load(s, Loader=yaml.Loader)\n"
              "import numpy as np\nnp.load(f, allow_pickle=True)\nimport builtins\nbuiltins.exec('')\n")
    assert len(unsafe_uses(sample, "sample.py")) == 10
    assert unsafe_uses("import json\njson.loads(s)\nyaml.compose(t, Loader=yaml.SafeLoader)\n",
                       "safe.py") == []


# segment.py asks importlib where the installed NLTK package lies (find_spec) so that Punkt
# loads without NLTK's heavy package initialiser; it imports no data and no user input.
ALLOWED = {"segment.py: import importlib.util"}


def test_no_module_loads_data_as_code():
    package = Path(__file__).resolve().parent.parent / "pipeline"
    found = []
    for source in sorted(package.rglob("*.py")):
        found += unsafe_uses(source.read_text(encoding="utf-8"), str(source.relative_to(package)))
    assert [f for f in found if f.split(":")[0] + ":" + f.split(":", 2)[2] not in ALLOWED] == []


def test_importlib_is_used_only_to_locate_nltk():
    source = (Path(__file__).resolve().parent.parent / "pipeline" / "segment.py").read_text()
    calls = [line.strip() for line in source.split("\n") if "importlib" in line]
    assert calls == ["import importlib.util", "spec = importlib.util.find_spec(package)"]
    assert 'for package in ("nltk", "nltk.tokenize"):' in source
