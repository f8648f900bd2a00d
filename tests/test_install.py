"""The installed console script (a non-editable `pip install .`) finds its bundled files."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO


def installed_credscore() -> Path:
    script = Path(sys.executable).parent / "credscore"
    if not script.exists():
        script = Path(shutil.which("credscore") or "")
    if not script.is_file():
        pytest.skip("credscore is not installed in this environment")
    return script


def test_installed_script_runs_outside_the_checkout(tmp_path):
    script = installed_credscore()
    article = tmp_path / "article.txt"
    article.write_text((EXAMPLES / "thin.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run([str(script), "report", str(article), "--json"], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["schema"] == "credscore.report/1"
    probe = subprocess.run([str(Path(script).parent / "python"), "-c",
                            "import pipeline.resources as r; print(r.rules_path())"],
                           cwd=tmp_path, capture_output=True, text=True, check=False)
    if probe.returncode == 0 and not probe.stdout.startswith(str(REPO)):
        # A wheel install: the rules come from inside the package.
        assert "_bundled" in probe.stdout
