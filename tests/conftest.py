import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "ANNOTATION.md").exists():
        pytest.skip("../shared is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def rules_pipeline():
    from pipeline.scorer import Pipeline

    return Pipeline(scorer="rules")


@pytest.fixture(scope="session")
def pipeline():
    from pipeline.scorer import Pipeline

    return Pipeline()
