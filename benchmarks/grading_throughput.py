"""Throughput of `course grade` versus nbgrader's autograde on the same 20 submissions.

Usage::

    .venv/bin/python benchmarks/grading_throughput.py [--nbgrader-venv DIR] [--jobs 2]

The 20 submissions are ordinary ones from the grading test corpus (correct,
partly correct, wrong, syntax error, empty: four of each) so neither grader
waits on a timeout. `course grade` runs with its full sandbox (fresh kernel per
submission, pids cgroup or RLIMIT_NPROC, address-space limit, private network
namespace where the OS allows it) and ``--jobs``. nbgrader runs from its own
virtual environment (default ``benchmarks/_scratch/nbgrader-venv``; create it
with ``python -m venv DIR && DIR/bin/pip install nbgrader``) because it pins
other Jupyter versions than the workbook. Both are timed as command-line runs,
from start to gradebook. The totals of both are compared student by student.

Writes ``benchmarks/results/grading_throughput.md``.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "grading" / "corpus"
SCRATCH = ROOT / "benchmarks" / "_scratch" / "grading_throughput"
RESULT = ROOT / "benchmarks" / "results" / "grading_throughput.md"
KINDS = ("correct", "partly_correct", "wrong", "syntax_error", "empty")
N_STUDENTS = 20


def _students() -> dict[str, Path]:
    return {
        f"student{i + 1:02d}": CORPUS / "submissions" / f"{KINDS[i % len(KINDS)]}.ipynb"
        for i in range(N_STUDENTS)
    }


def _timed(cmd: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``cmd``; return it and its wall-clock seconds."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    return proc, time.perf_counter() - start


def run_course(jobs: int) -> tuple[float, dict[str, float], dict]:
    work = SCRATCH / "course"
    shutil.rmtree(work, ignore_errors=True)
    subs = work / "submissions"
    subs.mkdir(parents=True)
    for student, source in _students().items():
        shutil.copy(source, subs / f"{student}.ipynb")
    course = Path(sys.executable).with_name("course")
    cmd = [
        str(course),
        "grade",
        str(CORPUS / "squares.ipynb"),
        str(subs),
        "--out",
        str(work / "grades"),
        "--jobs",
        str(jobs),
    ]
    proc, seconds = _timed(cmd, cwd=work)
    if proc.returncode != 0:
        raise SystemExit(f"course grade failed:\n{proc.stdout}\n{proc.stderr}")
    with (work / "grades" / "gradebook.csv").open() as handle:
        totals = {row["student"]: float(row["total"]) for row in csv.DictReader(handle)}
    from course_lib.grading.sandbox import SandboxKernel, SandboxLimits

    with SandboxKernel(work, SandboxLimits()) as kernel:
        isolation = dict(kernel.isolation)
    return seconds, totals, isolation


NBGRADER_CONFIG = """
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "bench"
c.ExecutePreprocessor.timeout = 30
"""


def run_nbgrader(venv: Path) -> tuple[float, dict[str, float], str]:
    nbgrader = venv / "bin" / "nbgrader"
    if not nbgrader.exists():
        raise FileNotFoundError(nbgrader)
    version = (
        subprocess.run([str(nbgrader), "--version"], capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    work = SCRATCH / "nbgrader"
    shutil.rmtree(work, ignore_errors=True)
    (work / "source" / "ps1").mkdir(parents=True)
    shutil.copy(CORPUS / "squares.ipynb", work / "source" / "ps1" / "squares.ipynb")
    (work / "nbgrader_config.py").write_text(NBGRADER_CONFIG.format(root=str(work)))
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work), "JUPYTER_PLATFORM_DIRS": "1"}

    def nbg(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(nbgrader), *args], capture_output=True, text=True, cwd=work, env=env
        )
        if proc.returncode != 0:
            raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    nbg("generate_assignment", "ps1", "--force")
    for student, source in _students().items():
        folder = work / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        shutil.copy(source, folder / "squares.ipynb")
    proc, seconds = _timed(
        [str(nbgrader), "autograde", "ps1", "--create", "--force"], cwd=work, env=env
    )
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader autograde failed:\n{proc.stdout}\n{proc.stderr}")
    nbg("export", "--to", str(work / "grades.csv"))
    with (work / "grades.csv").open() as handle:
        totals = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)}
    return seconds, totals, version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2, help="runs per grader; best is kept")
    parser.add_argument(
        "--nbgrader-venv", type=Path, default=ROOT / "benchmarks" / "_scratch" / "nbgrader-venv"
    )
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    configs = {
        f"course grade --jobs {args.jobs} (sandboxed)": lambda: run_course(args.jobs),
        "course grade --jobs 1 (sandboxed)": lambda: run_course(1),
    }
    note = ""
    if (args.nbgrader_venv / "bin" / "nbgrader").exists():
        configs["nbgrader autograde (sequential, no limits)"] = lambda: run_nbgrader(
            args.nbgrader_venv
        )
    else:
        note = f"nbgrader not measured: no {args.nbgrader_venv}/bin/nbgrader (see the docstring)."
    walls: dict[str, list[float]] = {name: [] for name in configs}
    totals: dict[str, dict[str, float]] = {}
    extra: dict[str, object] = {}
    loads = []
    for _ in range(args.repeat):  # interleaved, so load changes hit every grader alike
        for name, run in configs.items():
            wall, totals[name], extra[name] = run()
            walls[name].append(wall)
            loads.append(os.getloadavg()[0])
    names = list(configs)
    lines = [
        "# Grading throughput: `course grade` vs nbgrader autograde",
        "",
        f"Measured by `benchmarks/grading_throughput.py --repeat {args.repeat}` on "
        f"{platform.platform()}, Python {platform.python_version()}, {_cpus()} CPU cores, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"{N_STUDENTS} submissions of `tests/grading/corpus/squares.ipynb` (3 test cells, "
        "6 points): correct, partly correct, wrong, syntax error and empty, four of each. "
        "Wall-clock time of the whole command-line run (start-up included), best of "
        f"{args.repeat} interleaved runs.",
        "",
        "| grader | best wall s | submissions/minute | every run, wall s |",
        "|---|---|---|---|",
    ]
    for name in names:
        best = min(walls[name])
        runs = ", ".join(f"{w:.1f}" for w in walls[name])
        lines.append(f"| {name} | {best:.1f} | {N_STUDENTS / best * 60:.1f} | {runs} |")
    if len(names) == 3:
        nbg = names[2]

        def speedup(name: str) -> float:
            return min(walls[nbg]) / min(walls[name])

        same = {k for k in totals[names[0]] if totals[nbg].get(k) == totals[names[0]][k]}
        lines += [
            "",
            "Speed-up over nbgrader (best wall time): "
            f"**{speedup(names[0]):.2f}x** with --jobs {args.jobs}, "
            f"{speedup(names[1]):.2f}x with --jobs 1.",
            "",
            f"Totals agree for {len(same)} of {N_STUDENTS} students"
            + (
                "."
                if len(same) == N_STUDENTS
                else f"; differ for {sorted(set(totals[nbg]) - same)}."
            ),
            "",
            f"nbgrader: {extra[nbg]}.",
        ]
    lines += [
        "",
        note,
        f"Load average (1 min) after each run: {', '.join(f'{x:.1f}' for x in loads)} on "
        f"{_cpus()} cores. The machine is shared with other work, so wall-clock numbers move "
        "with its load; the ratios of interleaved runs are the steadier numbers.",
        "",
        "Sandbox applied by `course grade`: "
        f"`{json.dumps({k: v for k, v in extra[names[0]].items() if k != 'cgroups'})}`",
        "",
    ]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text("\n".join(lines))
    print("\n".join(lines))


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
