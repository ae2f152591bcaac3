"""Grading a class of TensorFlow notebooks: --jobs 1, --jobs 2, 2 Dask workers, nbgrader.

Usage::

    nice -n 10 .venv/bin/python benchmarks/grading_cluster.py [--n 40] [--notebook NAME]

N submissions of one exercise notebook (default ``01_neurons_and_perceptrons``,
Keras on TensorFlow): three of every four are the worked solution
(``solutions/``), the fourth the unchanged exercise (``exercises/``: every
test fails). The same batch is graded, one condition after the other, in one
run:

- ``course grade --jobs 1`` and ``course grade --jobs 2`` (the local pool);
- ``course grade --scheduler tcp://...`` on a Dask cluster of this machine:
  ``dask scheduler`` and two ``dask worker --nthreads 1`` processes over TCP,
  started before the timed run (an existing cluster), stopped after it;
- ``nbgrader autograde`` (sequential, no limits) on the same notebooks, from
  its own virtual environment (default ``benchmarks/_scratch/nbgrader-venv``;
  created with ``pip install nbgrader==0.9.6`` when missing, because nbgrader
  pins other Jupyter versions than the workbook). Its kernel is the workbook's
  Python, so it runs the same TensorFlow; the source and the submissions get
  nbgrader's metadata format with ``nbgrader update`` (not timed).

Each condition is timed from the command's start to its gradebook (wall) and
by the CPU time of the command and everything it started (for the cluster:
scheduler and workers too). The totals of every condition are compared
student by student. With two workers on the same two cores the cluster can at
best match ``--jobs 2``: the figure is its overhead; the gain comes from adding
machines.

Writes ``benchmarks/results/grading_cluster.json`` and ``.md``; the README's
table comes from the JSON (``benchmarks/readme_rows.py --tables``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "benchmarks" / "_scratch" / "grading_cluster"
RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_VENV = ROOT / "benchmarks" / "_scratch" / "nbgrader-venv"
NBGRADER = "nbgrader==0.9.6"
BIN = Path(sys.executable).parent


class CpuMeter:
    """CPU seconds of every process below this one while it runs (sampled every 0.5 s).

    ``RUSAGE_CHILDREN`` misses the grading kernels: the sandbox kills them, and
    nobody waits for them, so their time never reaches their parents. Processes
    that live under 0.5 s are missed here; a kernel lives for minutes.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[int, float], float] = {}
        self._base: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> dict[tuple[int, float], float]:
        now = {}
        for proc in psutil.Process().children(recursive=True):
            try:
                times = proc.cpu_times()
                now[(proc.pid, proc.create_time())] = times.user + times.system
            except psutil.Error:
                continue
        return now

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._seen.update(self._sample())

    def __enter__(self) -> CpuMeter:
        self._base = self._sample()  # processes already running (a started cluster)
        self._seen.update(self._base)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._seen.update(self._sample())

    @property
    def cpu_s(self) -> float:
        return sum(v - self._base.get(k, 0.0) for k, v in self._seen.items())


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def _students(notebook: str, n: int) -> dict[str, Path]:
    solution = ROOT / "solutions" / f"{notebook}.ipynb"
    exercise = ROOT / "exercises" / f"{notebook}.ipynb"
    return {f"student{i + 1:02d}": exercise if i % 4 == 3 else solution for i in range(n)}


def _submissions(notebook: str, n: int, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for student, source in _students(notebook, n).items():
        shutil.copy(source, folder / f"{student}.ipynb")
    return folder


def _totals(gradebook: Path, student_col: str, score_col: str) -> dict[str, float]:
    with gradebook.open(newline="") as handle:
        return {row[student_col]: float(row[score_col]) for row in csv.DictReader(handle)}


def run_course(notebook: str, n: int, extra: list[str]) -> dict:
    work = SCRATCH / "course"
    subs = _submissions(notebook, n, work / "submissions")
    out = work / "grades"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        str(BIN / "course"),
        "grade",
        str(ROOT / "notebooks" / f"{notebook}.ipynb"),
        str(subs),
        "--out",
        str(out),
        *extra,
    ]
    with CpuMeter() as meter:  # for Dask: the cluster's processes too
        start = time.perf_counter()
        _run(cmd, cwd=ROOT)
        wall = time.perf_counter() - start
    return {
        "wall_s": wall,
        "cpu_s": meter.cpu_s,
        "totals": _totals(out / "gradebook.csv", "student", "total"),
    }


def run_dask(notebook: str, n: int) -> dict:
    """Scheduler and two single-thread workers as separate processes over TCP."""
    work = SCRATCH / "dask"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sched_file = work / "scheduler.json"
    log = (work / "cluster.log").open("w")
    procs = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            stdout=log,
            stderr=log,
        )
    ]
    try:
        deadline = time.monotonic() + 120
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--name",
                        f"w{i}",
                        "--no-dashboard",
                    ],
                    stdout=log,
                    stderr=log,
                    cwd=work,
                )
            )
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        result = run_course(notebook, n, ["--scheduler", address])
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
    result["address"] = address
    return result


def _nbgrader_venv(venv: Path) -> Path:
    nbgrader = venv / "bin" / "nbgrader"
    if not nbgrader.exists():
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(venv / "bin" / "pip"), "install", "--quiet", NBGRADER])
    return nbgrader


def run_nbgrader(notebook: str, n: int, venv: Path, cell_timeout: int) -> dict:
    nbgrader = _nbgrader_venv(venv)
    work = SCRATCH / "nbgrader"
    shutil.rmtree(work, ignore_errors=True)
    source = work / "source" / "ps1"
    source.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / f"{notebook}.ipynb", source)
    (work / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(work)!r}\n"
        f'c.CourseDirectory.course_id = "bench"\nc.ExecutePreprocessor.timeout = {cell_timeout}\n'
    )
    # nbgrader's kernel "python3" is the workbook's Python (TensorFlow, course_lib).
    kernel_dir = work / "jupyter-data" / "kernels" / "python3"
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (workbook)",
                "language": "python",
            }
        )
    )
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "JUPYTER_CONFIG_DIR": str(work / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(work / "jupyter-data"),
        "JUPYTER_PATH": str(work / "jupyter-data"),  # before the venv's own kernel
    }
    env.pop("VIRTUAL_ENV", None)

    def nbg(*args: str) -> subprocess.CompletedProcess:
        return _run([str(nbgrader), *args], cwd=work, env=env)

    nbg("update", str(source / f"{notebook}.ipynb"))
    nbg("generate_assignment", "ps1", "--force")
    for student, path in _students(notebook, n).items():
        folder = work / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        shutil.copy(path, folder / f"{notebook}.ipynb")
        nbg("update", str(folder / f"{notebook}.ipynb"))
    version = nbg("--version").stdout.strip().splitlines()[-1]
    with CpuMeter() as meter:
        start = time.perf_counter()
        nbg("autograde", "ps1", "--create", "--force")
        wall = time.perf_counter() - start
    cpu = meter.cpu_s
    nbg("export", "--to", str(work / "grades.csv"))
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "version": version,
        "totals": _totals(work / "grades.csv", "student_id", "score"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--notebook", default="01_neurons_and_perceptrons")
    parser.add_argument("--nbgrader-venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    meta = json.loads((ROOT / "notebooks" / f"{args.notebook}.ipynb").read_text())["metadata"]
    cell_timeout = int(meta.get("course_grading", {}).get("cell_timeout", 600))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    conditions = {
        "course grade --jobs 1": lambda: run_course(args.notebook, args.n, ["--jobs", "1"]),
        "course grade --jobs 2": lambda: run_course(args.notebook, args.n, ["--jobs", "2"]),
        "course grade --scheduler (2 Dask workers, nthreads 1, TCP)": lambda: run_dask(
            args.notebook, args.n
        ),
    }
    if not args.skip_nbgrader:
        conditions["nbgrader autograde (sequential, no limits)"] = lambda: run_nbgrader(
            args.notebook, args.n, args.nbgrader_venv, cell_timeout
        )
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: dict[str, dict] = {}
    for name, run in conditions.items():
        load_before = os.getloadavg()[0]
        print(f"{name} ...", flush=True)
        results[name] = run()
        results[name]["load_before"] = load_before
        results[name]["load_after"] = os.getloadavg()[0]
        print(
            f"  {results[name]['wall_s']:.0f} s wall, {results[name]['cpu_s']:.0f} s CPU",
            flush=True,
        )
    base_name = "course grade --jobs 1"
    base = results[base_name]
    for r in results.values():
        r["submissions_per_min"] = args.n / r["wall_s"] * 60
        r["speedup_vs_jobs1"] = base["wall_s"] / r["wall_s"]
        r["totals_agree_with_jobs1"] = sum(
            1 for k, v in base["totals"].items() if r["totals"].get(k) == v
        )
    data = {
        "meta": {
            "script": "benchmarks/grading_cluster.py",
            "n": args.n,
            "notebook": args.notebook,
            "started": started,
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": len(os.sched_getaffinity(0)),
            "course_fast": os.environ.get("COURSE_FAST", ""),
            "mix": "3 of every 4 the solution, 1 the unchanged exercise",
        },
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "grading_cluster.json").write_text(json.dumps(data, indent=1) + "\n")
    (RESULTS / "grading_cluster.md").write_text(render(data))
    print(render(data))


def render(data: dict) -> str:
    meta, results = data["meta"], data["results"]
    lines = [
        "# Grading a class of TensorFlow notebooks: local pool, Dask cluster, nbgrader",
        "",
        f"Measured by `benchmarks/grading_cluster.py --n {meta['n']}` on {meta['platform']}, "
        f"Python {meta['python']}, {meta['cpus']} CPU cores shared with other jobs, "
        f"{meta['started']}; COURSE_FAST={meta['course_fast'] or 'unset'}.",
        "",
        f"{meta['n']} submissions of `{meta['notebook']}` (Keras on TensorFlow; {meta['mix']}), "
        "graded once per condition, one condition after the other. Wall: the command from start "
        "to gradebook; CPU: the command and every process it started (for Dask: the scheduler "
        "and both workers too).",
        "",
        "| condition | wall s | CPU s | submissions/min | vs --jobs 1 | totals = --jobs 1 "
        "| load before → after |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} | {r['submissions_per_min']:.2f} | "
            f"{r['speedup_vs_jobs1']:.2f}× | {r['totals_agree_with_jobs1']}/{meta['n']} | "
            f"{r['load_before']:.1f} → {r['load_after']:.1f} |"
        )
    nbg = next((r for n, r in results.items() if n.startswith("nbgrader")), None)
    lines += [
        "",
        "The two Dask workers run on the same 2 cores as the local pool, so the cluster row "
        "measures the overhead of going through Dask (shipping each submission, one task per "
        "worker thread); on several machines its throughput grows with the workers.",
        "",
        f"nbgrader: {nbg['version']}." if nbg else "nbgrader: not measured (--skip-nbgrader).",
        "",
        "Load: the machine's 1-minute load average on its cores, before and after each "
        "condition; it was shared with other work, so wall times stretch with it and the "
        "ratios carry that noise.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
