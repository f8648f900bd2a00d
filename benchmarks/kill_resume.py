"""Kill-and-resume soak test of the batch job: many rounds of SIGKILL, SIGTERM and a full disk
(EFBIG from a file-size limit) at random moments, each resumed to the end and compared byte for
byte with an uninterrupted run. Prints one line per round and the rounds passed.

    python benchmarks/kill_resume.py [--rounds 60] [--copies 80] [--in-process] [--seed 1000]

By default every job is the real command (`python -m pipeline batch`, a fresh interpreter);
--in-process forks the jobs from this process instead, as tests/test_batch_faults.py does.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.fault_injection import FAULTS, make_reference, run_round  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--copies", type=int, default=80, help="size of the input (×3 articles)")
    parser.add_argument("--in-process", action="store_true", help="fork jobs instead of exec")
    parser.add_argument("--seed", type=int, default=1000, help="seed of the first round")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kill-resume-"))
    try:
        reference = make_reference(work, args.copies, args.in_process)
        print(f"reference run: {reference.seconds:.2f} s, exit {reference.exit_code}, "
              + ", ".join(f"{name} {size:,} B" for name, size in reference.sizes.items()))
        passed, tried = Counter(), Counter()
        started = time.perf_counter()
        for n in range(args.rounds):
            seed = args.seed + n
            result = run_round(seed, reference, work, args.in_process, fault=FAULTS[n % len(FAULTS)])
            tried[result.fault] += 1
            passed[result.fault] += result.passed
            status = "ok" if result.passed else f"FAILED: {result.detail}"
            print(f"round {n + 1:3d} seed {seed} {result.fault:7s} workers {result.workers} "
                  f"stops {' '.join(result.stops)}: {status}", flush=True)
            shutil.rmtree(work / f"round-{seed}", ignore_errors=True)
        total = sum(passed.values())
        print(f"rounds passed: {total}/{args.rounds} ("
              + ", ".join(f"{fault} {passed[fault]}/{tried[fault]}" for fault in FAULTS)
              + f") in {time.perf_counter() - started:.0f} s")
        return 0 if total == args.rounds else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
