"""Fast-mode time of each course notebook under nbval, one at a time, as CI runs them.

Each notebook is run by the same nbval command as ``make notebooks`` (fast mode,
static views), alone, so the wall time is the notebook's own; the load average
before each run says whether anything else shared the cores. The issues' goals:
90 s (tracks A–C, notebooks 00–14) and 120 s (track D, 15–19) on 2 cores.

Usage::

    .venv/bin/python benchmarks/notebook_times.py            # every notebook
    .venv/bin/python benchmarks/notebook_times.py 13 14 18   # those whose name starts so

Writes ``benchmarks/results/notebook_times.{json,md}`` (rows of notebooks not in this
run are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def goal_s(name: str) -> float:
    return 120.0 if int(name[:2]) >= 15 else 90.0


def run_one(notebook: Path) -> dict[str, object]:
    env = {**os.environ, "COURSE_FAST": "1", "COURSE_VIEWS": "static", "MPLBACKEND": "Agg",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval-lax",
         "--nbval-current-env", "--nbval-cell-timeout=600", str(notebook)],
        cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    summary = (done.stdout.strip().splitlines() or ["?"])[-1].strip("= ")
    return {"notebook": notebook.stem, "seconds": round(seconds, 1),
            "goal_s": goal_s(notebook.stem), "passed": done.returncode == 0, "summary": summary,
            "load_before": round(load, 2),
            "load_after": round(os.getloadavg()[0], 2)}


def write(rows: list[dict[str, object]]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "notebook_times.json"
    earlier = json.loads(path.read_text())["rows"] if path.exists() else []
    names = {r["notebook"] for r in rows}
    merged = sorted([r for r in earlier if r["notebook"] not in names] + rows,
                    key=lambda r: str(r["notebook"]))
    meta = {"python": platform.python_version(), "cores": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    path.write_text(json.dumps({"meta": meta, "rows": merged}, indent=1) + "\n")
    lines = ["# Notebook fast-mode times", "",
             f"Measured by `benchmarks/notebook_times.py` ({meta['date']}, Python "
             f"{meta['python']}, {meta['cores']} CPU cores): each notebook alone under the nbval",
             "command of `make notebooks` (COURSE_FAST=1, static views), kernel start included.",
             "Goals from the issues: 90 s for notebooks 00–14, 120 s for 15–19, on 2 cores.", "",
             "| notebook | wall s | goal | nbval | load before → after |",
             "|---|---:|---|---|---|"]
    for r in merged:
        verdict = "met" if r["seconds"] <= r["goal_s"] else "**missed**"
        lines.append(f"| {r['notebook']} | {r['seconds']} | ≤ {r['goal_s']:.0f} s: {verdict} | "
                     f"{r['summary']} | {r['load_before']} → {r['load_after']} |")
    (RESULTS / "notebook_times.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*")
    args = parser.parse_args(argv)
    notebooks = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb")
                       if not args.prefixes or any(p.name.startswith(x) for x in args.prefixes))
    rows = []
    for nb in notebooks:
        row = run_one(nb)
        rows.append(row)
        write(rows)
        print(f"{nb.stem}: {row['seconds']} s ({row['summary']}, load {row['load_before']})",
              flush=True)
    return 0 if all(r["passed"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
