"""Robustness sweep: every analysis function the notebooks call, on every review in the data.

Builds each Review (all states, every cycle) and calls every public analysis function that takes
only a review (``uprlib.pipeline.batch.review_functions``), closing figures; prints failures and
the slowest functions. Takes about 10-15 minutes on the 2-core reference machine, so the test
suite runs a broad sample instead (tests/integration/test_any_state.py).

.venv/bin/python benchmarks/sweep_reviews.py [--cycle N] [--workers N]"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter

from uprlib.pipeline import batch


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cycle", type=int)
    p.add_argument("--workers", type=int)
    args = p.parse_args()
    # figures and tables the functions save must not land in the project's outputs/
    os.environ.setdefault("UPRLIB_OUTPUTS_DIR", tempfile.mkdtemp(prefix="uprlib-sweep-"))
    t0 = time.perf_counter()
    results, failures = batch.sweep(args.cycle, workers=args.workers)
    wall = time.perf_counter() - t0
    print(f"{len(results) + len(failures)} reviews in {wall:.1f} s; {len(failures)} failed")
    if failures:
        print(batch.failure_report(failures))
    per_function: Counter = Counter()
    per_review = {item: sum(t.values()) for item, t in results.items()}
    for timings in results.values():
        per_function.update(timings)
    print("slowest functions (total s over all reviews):")
    for name, seconds in per_function.most_common(10):
        print(f"  {seconds:8.1f}  {name}")
    print("slowest reviews (s):")
    for item, seconds in sorted(per_review.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {seconds:8.1f}  {item[0]} cycle {item[1]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
