"""Run every benchmark in turn (full scale); each writes its own file in benchmarks/results/.

Usage: python benchmarks/run_all.py [--skip NAME ...] [--only NAME ...]

Benchmarks need a quiet machine: wall-clock figures measured while other work
runs on the same cores are not comparable (most scripts also record CPU time
and the load average next to their figures).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
# Cheapest first, so a short session still gets the quick figures.
BENCHMARKS = (
    "import_time",
    "optimizer_paths",
    "projector_speed",
    "playground_redraw",
    "monitor_overhead",
    "grading_throughput",
    "dashboards_first_widget",
    "tuning",
    "accuracy",
    "bert",
    "translation_view",
    "notebook_times",
    "grading_cluster",
    "translation",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", nargs="*", default=[], choices=BENCHMARKS)
    parser.add_argument("--only", nargs="*", default=[], choices=BENCHMARKS)
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if (not args.only or b in args.only) and b not in args.skip]
    failed = []
    for name in chosen:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / f"{name}.py")])
        print(f"== {name}: exit {code} after {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
