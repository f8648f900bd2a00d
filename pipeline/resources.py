"""Finds the bundled rules.yaml and models/ in a checkout or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# A wheel carries the top-level files under pipeline/_bundled (see pyproject.toml); a checkout
# or an editable install reads them from the repository root.
_CANDIDATE_ROOTS = (_PACKAGE_DIR / "_bundled", _PACKAGE_DIR.parent)


def _find(name: str) -> Path:
    for root in _CANDIDATE_ROOTS:
        path = root / name
        if path.exists():
            return path
    return _CANDIDATE_ROOTS[-1] / name


def rules_path() -> Path:
    """The rules.yaml shipped with the package."""
    return _find("rules.yaml")


def models_dir() -> Path:
    """The models/ folder shipped with the package."""
    return _find("models")
