"""The README's "Library speed" rows, rendered from ``benchmarks/results/``.

Every speed figure in the README comes from a results file written by a
``make bench`` script; this renders those rows so they are copied, never typed.
``tests/benchmarks/test_readme_rows.py`` fails when the README and the results
disagree.

Usage::

    .venv/bin/python benchmarks/readme_rows.py          # print the rows
    .venv/bin/python benchmarks/readme_rows.py --check  # exit 1 if README.md differs

Rows for results that are not there yet are left out (a fresh clone before
``make bench``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"


def _json(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.is_file() else None


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def import_row() -> str | None:
    data = _json("import_time.json")
    if data is None:
        return None
    lib, tf = data["import course_lib"], data["import tensorflow (for scale)"]
    return (f"| `import course_lib` (TensorFlow not imported) | {lib['median_s']:.3f} s median "
            f"(`import tensorflow`: {tf['median_s']:.1f} s) | ≤ 1 s: "
            f"{_verdict(lib['median_s'] <= 1.0)} |")


def playground_row() -> str | None:
    data = _json("playground_redraw.json")
    if data is None:
        return None
    meta, res = data["meta"], data["results"]
    changes = {name.split(":", 1)[1].split("(")[0].strip(): st
               for name, st in res.items() if name.startswith("control change")}
    if not changes:
        return None
    if "worst_control_change" not in meta:  # earlier results judged the redraw instead
        meta["goal_met_by_median"] = max(st["median_ms"] for st in changes.values()) <= 100.0
        meta["goal_met_by_cpu_median"] = max(
            st["cpu_median_ms"] for st in changes.values()) <= 100.0
    parts = ", ".join(f"{name} {st['median_ms']:.0f} ms ({st['cpu_median_ms']:.0f} ms CPU)"
                      for name, st in changes.items())
    load = meta["load_average_before"][0]
    return (f"| playground: a control change → new picture (median) | {parts}; redraw after a "
            f"training step {res['redraw']['median_ms']:.0f} ms (load {load:.1f}) | ≤ 100 ms: "
            f"{_verdict(meta['goal_met_by_median'])} by wall time, "
            f"{_verdict(meta['goal_met_by_cpu_median'])} by CPU time |")


def projector_row() -> str | None:
    data = _json("projector_speed.json")
    if data is None:
        return None
    if "show_projector_interactive_s" not in data:  # earlier results: the page alone
        data["show_projector_interactive_s"] = data["interactive_page_s"]
        data["meets_target"] = data["interactive_page_s"]["median"] <= data["target_s"]
        data["meets_target_by_cpu"] = data["interactive_page_s"]["cpu_median"] <= data["target_s"]
    shown, static = data["show_projector_interactive_s"], data["pca_projection_and_draw_s"]
    return (f"| projector: `show_projector` of 10,000 × 64 (PCA) in Jupyter (interactive view) "
            f"| {shown['median']:.2f} s median ({shown['cpu_median']:.2f} s CPU, load "
            f"{data['load_average_1min_at_end']:.1f}); static figure {static['median']:.2f} s "
            f"| ≤ 1 s: {_verdict(data['meets_target'])} by wall time, "
            f"{_verdict(data['meets_target_by_cpu'])} by CPU time |")


def optimizer_row() -> str | None:
    data = _json("optimizer_paths.json")
    if data is None:
        return None
    times = [p["200_steps_s"] for p in data["paths"]]
    return (f"| optimizer path, 200 steps with a real `keras.optimizers` optimizer "
            f"| {min(times):.2f}–{max(times):.2f} s; explorer slider move "
            f"{data['explorer_update_s']:.2f} s | – |")


def monitor_row() -> str | None:
    data = _json("monitor_overhead.json")
    if data is None:
        return None
    if "goal" not in data["meta"]:
        return _monitor_row_one_process(data)
    meta, rows = data["meta"], {row["condition"]: row for row in data["results"]}

    def cpu(name: str) -> str:
        row = rows.get(name)
        if row is None:
            return "–"
        spread = row["cpu_overhead"]
        return (f"{spread['median']:+.1%} ({spread['min']:+.1%} … {spread['max']:+.1%}), "
                f"{row['hooks_share']['median']:.1%} in its hooks")

    goal = meta["goal"]
    return (f"| live monitor: whole-`fit` CPU overhead, MNIST dense, {meta['rounds']} rounds, "
            f"fresh pinned processes (load {meta['load_min']:.0f}–{meta['load_max']:.0f}) "
            f"| throttled {cpu('LiveMonitor() live, throttled')}; per-batch "
            f"{cpu('LiveMonitor(per_batch=True) live')}; livelossplot "
            f"{cpu('livelossplot PlotLossesKeras()')} | ≤ 3 %: {_verdict(goal['met'])} |")


def _monitor_row_one_process(data: dict) -> str:
    """Results of the earlier method (all fits in one process): its whole-fit CPU overheads."""
    meta, rows = data["meta"], data["results"]
    live = [row for row in rows if row["condition"].startswith("LiveMonitor")]
    lossplot = [row for row in rows if row["condition"].startswith("livelossplot")]
    low = min(row["cpu_overhead"] for row in live)
    high = max(row["cpu_overhead"] for row in live)
    other = f"; livelossplot {lossplot[0]['cpu_overhead']:+.1%}" if lossplot else ""
    return (f"| live monitor: whole-`fit` CPU overhead, MNIST dense, {meta['epochs']} epochs, "
            f"{meta['repeats']} repeats in one process | LiveMonitor {low:+.1%} to {high:+.1%}"
            f"{other} | ≤ 3 %: {_verdict(high <= 0.03)} |")


def dashboards_row() -> str | None:
    path = RESULTS / "dashboards.md"
    if not path.is_file():
        return None
    preheated = {}
    for line in path.read_text().splitlines():
        match = re.match(r"\| (\w+) \| ([\d.]+) s [✓✗] \|", line)
        if match:
            preheated[match.group(1)] = float(match.group(2))
    if not preheated:
        return None
    slow = {name: t for name, t in preheated.items() if t > 5.0}
    fast = [t for name, t in preheated.items() if name not in slow]
    text = f"{min(fast):.1f}–{max(fast):.1f} s" if fast else ""
    misses = "; ".join(f"{name.replace('_', ' ')} {t:.1f} s" for name, t in slow.items())
    which = f" ({', '.join(name.replace('_', ' ') for name in slow)})" if slow else ""
    return (f"| dashboards: first widget visible, preheated (`course lecture`) | "
            f"{text}{'; ' if text and misses else ''}{misses} | ≤ 5 s: "
            f"{_verdict(not slow)}{which} |")


ROWS: tuple[Callable[[], str | None], ...] = (
    import_row, playground_row, projector_row, optimizer_row, monitor_row, dashboards_row,
)


def render() -> list[str]:
    """The rows whose results exist, in README order."""
    return [row for row in (make() for make in ROWS) if row is not None]


def missing_from_readme(readme: str | None = None) -> list[str]:
    """Rendered rows that the README does not contain verbatim."""
    text = README.read_text() if readme is None else readme
    return [row for row in render() if row not in text.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        missing = missing_from_readme()
        for row in missing:
            sys.stdout.write(f"not in README.md: {row}\n")
        return 1 if missing else 0
    sys.stdout.write("\n".join(render()) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
