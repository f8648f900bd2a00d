"""Fault injection for the batch job: killed (SIGKILL, SIGTERM) or out of disk (EFBIG) at random
moments, then resumed; every output must equal an uninterrupted run's, byte for byte (so no
record is lost and none is duplicated). benchmarks/kill_resume.py runs many more rounds.
"""

import sys

import pytest

from tests.fault_injection import FAULTS, make_reference, run_round

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and POSIX signals")
SEEDS = {"SIGKILL": (1, 2), "SIGTERM": (3, 4), "EFBIG": (5, 6)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    # Forked from this process (no interpreter start-up): ~0.5 s of work per run.
    made = make_reference(tmp_path_factory.mktemp("faults"), copies=40, in_process=True)
    assert made.exit_code == 3 and all(made.sizes.values())
    return made


@pytest.mark.parametrize("fault", FAULTS)
def test_stopped_and_resumed_job_equals_an_uninterrupted_run(reference, tmp_path, fault):
    for seed in SEEDS[fault]:
        result = run_round(seed, reference, tmp_path, in_process=True, fault=fault)
        assert result.passed, f"seed {seed} {result.stops}: {result.detail}"
