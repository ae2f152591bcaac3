"""Whole-``fit`` cost of the live training monitor vs no callback vs livelossplot, on MNIST.

Each condition is one fresh Python process pinned to the same CPU core
(``taskset -c CORE``), so every fit starts from the same state and gets the
same one core; conditions are interleaved in rotating order for ``--rounds``
rounds. In every process the same modules are imported *before* the timed
fit (Keras, matplotlib, ipywidgets, livelossplot, the course's views), the
model is built with the same seed and warmed up by a short untimed fit (the
traced train/validation steps are then reused), so the timed fit differs only
by its callback.

Conditions:

* ``no callback``;
* ``LiveMonitor()`` as JupyterLab/Voila run it: the live output (PNG into an
  ``ipywidgets.Image``, throttled redraws), without a browser attached;
* the same with ``per_batch=True`` (batch hooks record every batch);
* livelossplot's ``PlotLossesKeras()`` (its matplotlib output; in a script it
  sleeps ``plt.pause(0.1)`` after each epoch, which wall time sees and CPU time does not).

Measured per fit: wall seconds, process CPU seconds (all threads), and the CPU
seconds spent inside the callback's hooks on the thread that ran them
(``time.thread_time``), split for LiveMonitor into drawing, epoch recording
and per-batch hooks. Overheads are paired: a condition's fit / the
no-callback fit of the same round, minus 1; median and range over the rounds.

Usage:
    COURSE_DATA_MIRROR=/work/shared/data python benchmarks/monitor_overhead.py
        [--rounds 5] [--samples 20000] [--epochs 3] [--core N] [--fast]

Writes benchmarks/results/monitor_overhead.md and .json (``--fast``: the temp dir).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
SHARED_MIRROR = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

CONDITIONS = ("no callback", "LiveMonitor() live, throttled",
              "LiveMonitor(per_batch=True) live", "livelossplot PlotLossesKeras()")
GOAL = 0.03  # LiveMonitor's CPU overhead, at most
HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
         "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
         "on_test_batch_begin", "on_test_batch_end")


def load_mnist_arrays() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """MNIST via course_lib.data when it is available, else straight from the mirror's idx files."""
    if not os.environ.get("COURSE_DATA_MIRROR") and SHARED_MIRROR.is_dir():
        os.environ["COURSE_DATA_MIRROR"] = str(SHARED_MIRROR)
    try:
        from course_lib.data import load_mnist

        (x_train, y_train), (x_test, y_test) = load_mnist()
        source = "course_lib.data.load_mnist()"
    except ImportError:
        folder = Path(os.environ["COURSE_DATA_MIRROR"]) / "mnist"

        def idx(name: str) -> np.ndarray:
            raw = (folder / name).read_bytes()
            ndim = raw[3]
            shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)

        x_train, y_train = idx("train-images-idx3-ubyte"), idx("train-labels-idx1-ubyte")
        x_test, y_test = idx("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte")
        source = f"idx files in {folder}"
    return x_train, y_train, x_test, y_test, source


def build_model(seed: int) -> Any:
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(512, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


class HookTimer:
    """Adds up the CPU time (``time.thread_time``) spent in a callback's own hooks.

    Only hooks the callback overrides are wrapped: Keras skips the default ones
    (and dispatches batch-end hooks asynchronously only when it may), and
    wrapping must not change that.
    """

    def __init__(self, callback: Any) -> None:
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        for name in HOOKS:
            method = getattr(callback, name)
            if getattr(method, "_is_default", False):
                continue
            setattr(callback, name, self._wrap(name, method))

    def _wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.cpu[name] = self.cpu.get(name, 0.0) + time.thread_time() - start
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed


def make_callback(condition: str) -> tuple[list[Any], Callable[[], dict[str, float]]]:
    """The callbacks of one condition and a function giving its hook CPU split afterwards."""
    if condition == "no callback":
        return [], lambda: {}
    if condition == "livelossplot PlotLossesKeras()":
        from livelossplot import PlotLossesKeras

        callback = PlotLossesKeras()
        timer = HookTimer(callback)
        return [callback], lambda: {"hooks": sum(timer.cpu.values())}

    from course_lib.training import LiveMonitor
    from course_lib.views.training import LiveFigureOutput

    per_batch = "per_batch" in condition
    output = LiveFigureOutput(auto_display=False, per_batch=per_batch)
    monitor = LiveMonitor(per_batch=per_batch, output=output)
    drawing = {"cpu": 0.0, "count": 0, "depth": 0}
    for name in ("update", "finish"):
        original = getattr(output, name)

        def timed(*args: Any, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            # finish() may call update(): count the outermost call only
            drawing["depth"] += 1
            start = time.thread_time()
            try:
                return _original(*args, **kwargs)
            finally:
                drawing["depth"] -= 1
                if not drawing["depth"]:
                    drawing["cpu"] += time.thread_time() - start
                    drawing["count"] += 1

        setattr(output, name, timed)
    timer = HookTimer(monitor)

    def split() -> dict[str, float]:
        batch = sum(v for k, v in timer.cpu.items() if "batch" in k)
        hooks = sum(timer.cpu.values())
        return {"hooks": hooks, "drawing": drawing["cpu"], "batch_hooks": batch,
                "recording": hooks - batch - drawing["cpu"], "redraws": output.redraws,
                "batch_calls": sum(v for k, v in timer.calls.items() if "batch" in k)}

    return [monitor], split


def child(args: argparse.Namespace) -> None:
    """One condition, one timed fit; prints one JSON line."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("MPLBACKEND", "Agg")
    import ipywidgets  # noqa: F401  (imported by every condition alike)
    import keras
    import livelossplot  # noqa: F401
    import matplotlib.pyplot  # noqa: F401

    import course_lib.training
    import course_lib.views.training  # noqa: F401

    course_lib.training.LiveMonitor  # noqa: B018  (resolve the lazy attribute)
    x_train, y_train, x_test, y_test, _ = load_mnist_arrays()
    x_train = (x_train[: args.samples] / 255.0).astype("float32")
    y_train = y_train[: args.samples]
    x_test = (x_test[: args.validation_samples] / 255.0).astype("float32")
    y_test = y_test[: args.validation_samples]
    model = build_model(args.seed)
    # untimed warm-up: traces the train and validation steps this model reuses below
    model.fit(x_train[:512], y_train[:512], epochs=1, batch_size=args.batch_size,
              validation_data=(x_test[:256], y_test[:256]), verbose=0)
    callbacks, split = make_callback(args.child)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
              validation_data=(x_test, y_test), verbose=0, callbacks=callbacks)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    result = {"condition": args.child, "wall_s": wall, "cpu_s": cpu, "split": split(),
              "affinity": sorted(os.sched_getaffinity(0)), "keras": keras.__version__}
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per condition: medians and ranges of wall, CPU, paired overheads and hook shares."""
    rounds = sorted({run["round"] for run in runs})
    base = {run["round"]: run for run in runs if run["condition"] == "no callback"}
    rows = []
    for condition in CONDITIONS:
        mine = [run for run in runs if run["condition"] == condition]
        if not mine:
            continue
        paired = [run for run in mine if run["round"] in base]
        row: dict[str, Any] = {
            "condition": condition,
            "n": len(mine),
            "wall_s": _spread([r["wall_s"] for r in mine]),
            "cpu_s": _spread([r["cpu_s"] for r in mine]),
            "wall_overhead": _spread([r["wall_s"] / base[r["round"]]["wall_s"] - 1
                                      for r in paired]),
            "cpu_overhead": _spread([r["cpu_s"] / base[r["round"]]["cpu_s"] - 1 for r in paired]),
            "rounds": len(rounds),
        }
        for key in ("hooks", "drawing", "recording", "batch_hooks"):
            if key in mine[0]["split"]:
                row[f"{key}_share"] = _spread([r["split"][key] / r["cpu_s"] for r in mine])
        if "redraws" in mine[0]["split"]:
            row["redraws"] = statistics.median(r["split"]["redraws"] for r in mine)
        rows.append(row)
    return rows


def _pct(spread: dict[str, float] | None) -> str:
    if spread is None:
        return "–"
    return f"{spread['median']:+.1%} ({spread['min']:+.1%} … {spread['max']:+.1%})"


def _share(spread: dict[str, float] | None) -> str:
    return "–" if spread is None else f"{spread['median']:.2%}"


def verdict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The goal check: LiveMonitor's largest median CPU overhead, and its hook share."""
    live = [row for row in rows if row["condition"].startswith("LiveMonitor")]
    if not live:
        return {}
    worst = max(live, key=lambda row: row["cpu_overhead"]["median"])
    worst_hooks = max(live, key=lambda row: row["hooks_share"]["median"])
    return {
        "goal": GOAL,
        "worst_condition": worst["condition"],
        "worst_cpu_overhead": worst["cpu_overhead"]["median"],
        "worst_hooks_condition": worst_hooks["condition"],
        "worst_hooks_share": worst_hooks["hooks_share"]["median"],
        "met": worst["cpu_overhead"]["median"] <= GOAL,
    }


def render_markdown(meta: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The results table and what it means, as Markdown."""
    check = verdict(rows)
    lines = [
        "# Live training monitor: whole-`fit` overhead on an MNIST dense model",
        "",
        f"Measured by `benchmarks/monitor_overhead.py{' --fast' if meta['mode'] == 'fast' else ''}`"
        f" on {meta['date_utc']} UTC: {meta['cpus']} CPUs shared with other work (1-minute load "
        f"average {meta['load_start']} at start, {meta['load_end']} at end, "
        f"{meta['load_min']}–{meta['load_max']} between fits). Model: {meta['model']}. "
        f"{meta['train_samples']} training / {meta['validation_samples']} validation images "
        f"from {meta['data']}, {meta['epochs']} epochs, batch {meta['batch_size']}. "
        f"Each fit is a fresh process pinned to CPU core {meta['core']} ({meta['pinning']}); "
        f"{meta['rounds']} rounds, the {len(rows)} conditions interleaved in rotating order.",
        "",
        "| condition | fit wall s, median (min–max) | fit CPU s, median (min–max) "
        "| wall overhead, median (range) | CPU overhead, median (range) "
        "| CPU in the callback's hooks | of which drawing | epoch recording | batch hooks "
        "| redraws |",
        "|---|---|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        wall, cpu = row["wall_s"], row["cpu_s"]
        base = row["condition"] == "no callback"
        lines.append(
            f"| {row['condition']} | {wall['median']:.2f} ({wall['min']:.2f}–{wall['max']:.2f}) "
            f"| {cpu['median']:.2f} ({cpu['min']:.2f}–{cpu['max']:.2f}) "
            f"| {'–' if base else _pct(row['wall_overhead'])} "
            f"| {'–' if base else _pct(row['cpu_overhead'])} "
            f"| {_share(row.get('hooks_share'))} | {_share(row.get('drawing_share'))} "
            f"| {_share(row.get('recording_share'))} | {_share(row.get('batch_hooks_share'))} "
            f"| {row.get('redraws', '–')} |"
        )
    lines += [
        "",
        "**Overheads** are paired: each condition's fit against the no-callback fit of the same "
        "round (minus 1); median and range over the rounds. **CPU** is the fitting process's CPU "
        "time over all its threads, which other processes on the machine disturb much less than "
        "wall time; it does not see sleeps (livelossplot's `plt.pause`). **Hooks** columns are "
        "the CPU time spent inside the callback's own hooks (measured with `time.thread_time` "
        "on the thread that ran them) as a share of the fit's CPU time: a direct measure of what "
        "the callback adds, free of run-to-run noise; drawing = the live output's redraws, "
        "epoch recording = the rest of the epoch hooks, batch hooks = per-batch recording.",
        "",
        "LiveMonitor's live output redraws at most every 0.5 s and only while redrawing stays "
        "under 2 % of the elapsed time (`overhead_budget`), and always draws the final state.",
    ]
    if check:
        lines += [
            "",
            f"**Goal: LiveMonitor costs at most {check['goal']:.0%} of fit CPU time. "
            f"Largest median CPU overhead: {check['worst_cpu_overhead']:+.1%} "
            f"({check['worst_condition']}); largest share of CPU in its hooks: "
            f"{check['worst_hooks_share']:.2%} ({check['worst_hooks_condition']}) → "
            f"{'met' if check['met'] else 'NOT met'}.**",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fast", action="store_true", help="4000 samples, 1 epoch, 2 rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--validation-samples", type=int, default=2000)
    parser.add_argument("--core", type=int, default=None,
                        help="CPU core to pin every fit to (default: the last one allowed)")
    parser.add_argument("--child", choices=CONDITIONS, help=argparse.SUPPRESS)
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the .md from the saved .json without training")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.render_only:
        saved = json.loads((RESULTS / "monitor_overhead.json").read_text())
        (RESULTS / "monitor_overhead.md").write_text(
            render_markdown(saved["meta"], saved["results"]))
        return
    if args.fast:
        args.samples, args.epochs, args.rounds = 4000, 1, 2
    core = args.core if args.core is not None else max(os.sched_getaffinity(0))
    child_args = ["--samples", str(args.samples), "--epochs", str(args.epochs),
                  "--batch-size", str(args.batch_size), "--seed", str(args.seed),
                  "--validation-samples", str(args.validation_samples)]
    taskset = shutil.which("taskset")
    pinning = "taskset" if taskset else "os.sched_setaffinity"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg",
           "PYTHONHASHSEED": "0"}
    runs, loads = [], []
    load_start = os.getloadavg()[0]
    names = list(CONDITIONS)
    for number in range(args.rounds):
        order = names[number % len(names):] + names[: number % len(names)]
        for name in order:
            command = [sys.executable, str(Path(__file__).resolve()), "--child", name, *child_args]
            if taskset:
                command = [taskset, "-c", str(core), *command]
            loads.append(os.getloadavg()[0])
            done = subprocess.run(
                command, env=env, capture_output=True, text=True, check=False,
                preexec_fn=None if taskset else (lambda: os.sched_setaffinity(0, {core})),
            )
            lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
            if done.returncode or not lines:
                sys.stderr.write(done.stderr[-3000:])
                raise SystemExit(f"condition {name!r} failed with exit {done.returncode}")
            run = json.loads(lines[-1].removeprefix("RESULT "))
            run["round"] = number
            run["load"] = round(loads[-1], 2)
            runs.append(run)
            print(f"round {number + 1}/{args.rounds}  {name:<36} wall {run['wall_s']:6.2f} s  "
                  f"cpu {run['cpu_s']:6.2f} s  hooks {run['split'].get('hooks', 0.0):.3f} s  "
                  f"load {run['load']}", flush=True)
        # after every round, so an interrupted run still leaves its complete rounds
        _write(args, runs, loads, load_start, core, pinning, number + 1)


def _write(args: argparse.Namespace, runs: list[dict[str, Any]], loads: list[float],
           load_start: float, core: int, pinning: str, rounds_done: int) -> None:
    import matplotlib

    rows = summarise(runs)
    meta = {
        "mode": "fast" if args.fast else "full",
        "data": "course_lib.data.load_mnist()",
        "train_samples": args.samples,
        "validation_samples": args.validation_samples,
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "rounds": rounds_done,
        "core": core,
        "pinning": pinning,
        "model": f"Flatten, Dense(512, relu), Dense(10, softmax); rmsprop; seed {args.seed}",
        "versions": {"python": platform.python_version(), "keras": runs[0]["keras"],
                     "matplotlib": matplotlib.__version__,
                     "livelossplot": __import__("livelossplot").__version__},
        "cpus": os.cpu_count(),
        "load_start": round(load_start, 2),
        "load_end": round(os.getloadavg()[0], 2),
        "load_min": round(min(loads), 2),
        "load_max": round(max(loads), 2),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "goal": verdict(rows),
    }
    # A --fast run is a smoke test: its numbers go to the temp dir, not over the real ones.
    out_dir = Path(tempfile.gettempdir()) if args.fast else RESULTS
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "_fast" if args.fast else ""
    (out_dir / f"monitor_overhead{suffix}.json").write_text(
        json.dumps({"meta": meta, "results": rows, "runs": runs}, indent=2) + "\n")
    (out_dir / f"monitor_overhead{suffix}.md").write_text(render_markdown(meta, rows))


if __name__ == "__main__":
    main()
