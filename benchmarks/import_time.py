"""How long `import course_lib` takes, and proof that it does not import TensorFlow.

Each measurement is a fresh interpreter (`python -X importtime` would also work,
but a wall-clock figure is what a student feels). Results go to
benchmarks/results/import_time.md.

Usage: python benchmarks/import_time.py [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
CASES = {
    "python -c pass (interpreter start)": "pass",
    "import course_lib": "import course_lib",
    "import course_lib.data, course_lib.cli": "import course_lib.data, course_lib.cli",
    "import tensorflow (for scale)": "import tensorflow",
}


def time_import(code: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    probe = (
        "import sys, course_lib, course_lib.data, course_lib.cli; "
        "print('tensorflow' in sys.modules)"
    )
    tf_loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.strip()
    rows = {}
    for label, code in CASES.items():
        times = time_import(code, args.repeats if "tensorflow" not in code else 3)
        rows[label] = {
            "median_s": statistics.median(times),
            "min_s": min(times),
            "max_s": max(times),
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import_time.json").write_text(json.dumps(rows, indent=2))
    lines = [
        "# Import time of course_lib",
        "",
        f"Fresh interpreter per run, {args.repeats} runs (TensorFlow: 3). "
        "Goal: `import course_lib` ≤ 1 s.",
        "TensorFlow imported by `import course_lib, course_lib.data, course_lib.cli`: "
        f"**{tf_loaded}**.",
        "",
        "| what | median (s) | min (s) | max (s) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {v['median_s']:.3f} | {v['min_s']:.3f} | {v['max_s']:.3f} |"
        for k, v in rows.items()
    ]
    (RESULTS / "import_time.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
