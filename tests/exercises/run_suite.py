"""The exercise robustness suite: grade alternative and wrong solutions with ``course grade``.

For each notebook with variants (``variants_track_a.py``) this builds one submission
per variant from ``solutions/NN.ipynb`` (only the variant's cells replaced), grades
the folder with the real ``course grade`` command, exactly as a class is graded, and
checks every exercise's points: a correct variant must get the exercise's full
points, a wrong one 0. Folders ``submissions/NN*/`` with an ``expected.json``
(``{"submission.ipynb" or "name": {"test grade_id": points}}``) are graded the same way.

Too slow for every CI run (each submission runs the whole notebook), so it is the
``make exercise-suite`` target; results go to ``benchmarks/results/exercise_suite.{md,json}``.

``--only`` grades the notebooks whose number starts with the given prefixes and merges
their rows into the existing results: the rows of every notebook graded in this run
replace that notebook's earlier rows, the other notebooks' rows are kept (so the table
can be filled notebook by notebook). Without ``--only`` the results are rewritten.

Usage:
    python tests/exercises/run_suite.py [--only 04 --only 07] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.exercises.variants_track_a import CORRECT, VARIANTS  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def exercise_map(source: Path) -> dict[str, tuple[str, float]]:
    """Solution cell grade_id -> (the test cell graded right after it, its points)."""
    nb = nbformat.read(source, as_version=4)
    mapping: dict[str, tuple[str, float]] = {}
    pending: list[str] = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if meta.get("solution") and not meta.get("grade"):
            pending.append(meta["grade_id"])
        elif meta.get("grade") and not meta.get("solution"):
            for sid in pending:
                mapping[sid] = (meta["grade_id"], float(meta.get("points", 0)))
            pending = []
    return mapping


def test_points(source: Path) -> dict[str, float]:
    nb = nbformat.read(source, as_version=4)
    return {m["grade_id"]: float(m.get("points", 0)) for c in nb.cells
            if (m := c.metadata.get("nbgrader") or {}).get("grade") and not m.get("solution")}


def build_submission(solution: Path, cells: dict[str, str], target: Path) -> None:
    nb = nbformat.read(solution, as_version=4)
    found = set()
    for cell in nb.cells:
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if gid in cells:
            cell.source = cells[gid]
            found.add(gid)
    missing = set(cells) - found
    if missing:
        raise SystemExit(f"{solution.name}: no solution cells {sorted(missing)}")
    nbformat.write(nb, target)


def grade(source: Path, folder: Path, out: Path, jobs: int) -> dict[str, dict[str, str]]:
    cmd = [str(REPO / ".venv" / "bin" / "course"), "grade", str(source), str(folder),
           "--out", str(out), "--jobs", str(jobs)]
    if not Path(cmd[0]).exists():
        cmd[0] = shutil.which("course") or "course"
    env = {**os.environ, "COURSE_FAST": os.environ.get("COURSE_FAST", "1")}
    subprocess.run(cmd, check=False, env=env, cwd=REPO)
    with (out / "gradebook.csv").open(encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def expected_for_variant(source: Path, variant: str, cells: dict[str, str]) -> dict[str, float]:
    points = test_points(source)
    exercises = exercise_map(source)
    expected = dict(points)
    if variant not in CORRECT:
        for sid in cells:
            expected[exercises[sid][0]] = 0.0
    return expected


def merge_rows(path: Path, rows: list[dict[str, object]],
               graded: list[str]) -> list[dict[str, object]]:
    """Earlier results with every graded notebook's rows replaced by this run's, by notebook.

    Args:
        path: the earlier ``exercise_suite.json`` (absent: nothing to keep).
        rows: this run's rows.
        graded: the notebooks (stems) graded in this run; their earlier rows are dropped,
            also where this run produced no row for them.

    Returns:
        The merged rows, sorted by notebook (stable within a notebook).

    Raises:
        SystemExit: the earlier file is not a suite result (no ``rows`` list).
    """
    if not path.exists():
        return rows
    earlier = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(earlier, dict) or not isinstance(earlier.get("rows"), list):
        raise SystemExit(f"{path}: expected a JSON object with a 'rows' list (an exercise suite "
                         "result); move the file away to start a new table")
    kept = [r for r in earlier["rows"] if r.get("notebook") not in set(graded)]
    return sorted(kept + rows, key=lambda r: str(r["notebook"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="notebook number prefix")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    work = Path(tempfile.mkdtemp(prefix="exercise-suite-"))
    jobs: list[tuple[Path, Path, dict[str, dict[str, float]]]] = []
    for name, variants in VARIANTS.items():
        if args.only and not any(name.startswith(p) for p in args.only):
            continue
        source = REPO / "notebooks" / f"{name}.ipynb"
        solution = REPO / "solutions" / f"{name}.ipynb"
        folder = work / name
        folder.mkdir()
        expected = {}
        for variant, cells in variants.items():
            build_submission(solution, cells, folder / f"{variant}.ipynb")
            expected[variant] = expected_for_variant(source, variant, cells)
        jobs.append((source, folder, expected))
    for extra in sorted((REPO / "tests" / "exercises" / "submissions").glob("*/expected.json")):
        prefix = extra.parent.name
        if args.only and not any(prefix.startswith(p) for p in args.only):
            continue
        sources = sorted((REPO / "notebooks").glob(f"{prefix}*.ipynb"))
        if len(sources) != 1:
            print(f"skip {extra.parent}: no single notebooks/{prefix}*.ipynb", file=sys.stderr)
            continue
        raw = json.loads(extra.read_text(encoding="utf-8"))
        expected = {Path(k).stem: {g: float(p) for g, p in v.items()} for k, v in raw.items()}
        jobs.append((sources[0], extra.parent, expected))
    for source, folder, expected in jobs:
        t0 = time.time()
        book = grade(source, folder, work / "grades" / folder.name, args.jobs)
        seconds = time.time() - t0
        for student, want in expected.items():
            row = book.get(student, {})
            if "output truncated" in row.get("notes", ""):  # feedback would carry the note
                rows.append({"notebook": source.stem, "submission": student,
                             "test": "no output truncated", "expected": 0.0, "got": 1.0,
                             "ok": False, "status": row.get("notes", ""),
                             "seconds": round(seconds, 1)})
            for test_id, points in want.items():
                raw = row.get(test_id, "")
                got = float(raw) if raw not in ("", None) else None
                rows.append({"notebook": source.stem, "submission": student, "test": test_id,
                             "expected": points, "got": got, "ok": got == points,
                             "status": row.get("status", "missing"), "seconds": round(seconds, 1)})
    shutil.rmtree(work, ignore_errors=True)
    graded = [source.stem for source, _folder, _expected in jobs]
    new_bad = [r for r in rows if not r["ok"]]
    if args.only:
        rows = merge_rows(RESULTS / "exercise_suite.json", rows, graded)
    bad = [r for r in rows if not r["ok"]]
    seconds = sum({r["notebook"]: r["seconds"] for r in rows}.values())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "exercise_suite.json").write_text(json.dumps(
        {"rows": rows, "failed": len(bad), "seconds": round(seconds, 1),
         "fast_mode": os.environ.get("COURSE_FAST", "1")}, indent=1) + "\n", encoding="utf-8")
    lines = ["# Exercise robustness suite", "",
             "Made by `make exercise-suite` (`tests/exercises/run_suite.py`): every submission",
             "graded with `course grade` in fast mode. Correct variants must get an exercise's",
             "full points, wrong ones 0.",
             "", f"{len(rows) - len(bad)} of {len(rows)} exercise checks as expected; "
             f"{seconds:.0f} s of grading in all (per notebook: the seconds column, "
             "notebooks graded in separate runs add up).", "",
             "| notebook | submission | test cell | expected | got | as expected | seconds |",
             "|---|---|---|---:|---:|---|---:|"]
    for r in rows:
        got = "–" if r["got"] is None else f"{r['got']:g}"
        verdict = "yes" if r["ok"] else "**NO**"
        lines.append(f"| {r['notebook']} | {r['submission']} | {r['test']} | "
                     f"{r['expected']:g} | {got} | {verdict} | {r['seconds']:g} |")
    (RESULTS / "exercise_suite.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"this run: {len(graded)} notebook(s), {len(new_bad)} failed check(s); "
          f"results: {len(rows) - len(bad)} passed, {len(bad)} failed")
    return 1 if new_bad else 0


if __name__ == "__main__":
    sys.exit(main())
