"""``course check``: run a student's notebook the way the grader will, before submitting.

`check_notebook` runs the notebook top to bottom in a fresh sandboxed kernel
(the grader's limits, a temporary working directory with copies of the files
next to the notebook) and reports the visible tests' results, errors in the
student's own cells, and out-of-order execution in the *saved* notebook
(cells run in a different order than they appear, cells never run, cells run
again), the usual reason a notebook works in JupyterLab and fails in grading.

It agrees with ``course grade`` on the visible tests:

- the same limits (`sandbox.metadata_limits`: the student's copy carries the
  source's ``metadata.course_grading``; command-line overrides on top);
- test cells run from the copies the exercise carries
  (``metadata.course_check.tests``, written by `build.visible_tests`), so a
  test the student edited, emptied or deleted is checked as the grader will
  check it, and the report says which were restored. A notebook without those
  copies (an nbgrader release) runs its own test cells, and an emptied test
  cell counts as failed;
- test cells run through the same tamper guard as in grading (`guard`).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.grading.build import read_notebook
from course_lib.grading.execute import CellRun, execute_cells
from course_lib.grading.sandbox import SandboxLimits, limits_with, metadata_limits

_COPY_LIMIT_BYTES = 50 * 1024 * 1024


@dataclass
class VisibleTest:
    """A test cell of the student's notebook and how it went."""

    grade_id: str
    points: float
    passed: bool
    reason: str = ""


@dataclass
class CheckReport:
    """What `check_notebook` found.

    Attributes:
        notebook: the checked file.
        tests: visible test cells, in order.
        cell_errors: ``"cell N: Error: message"`` for the student's own cells.
        order_problems: out-of-order execution found in the saved notebook.
        incidents: timeouts, kernel deaths, truncated output.
        restored: test cells that were edited, emptied or deleted and were
            checked from the exercise's copy (as the grader does).
        tampering: changes to the kernel found before a test (see `guard`).
    """

    notebook: Path
    tests: list[VisibleTest] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)
    order_problems: list[str] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests if t.passed)

    @property
    def max_points(self) -> float:
        return sum(t.points for t in self.tests)

    @property
    def ok(self) -> bool:
        """All visible tests pass and nothing else went wrong."""
        return all(t.passed for t in self.tests) and not (
            self.cell_errors or self.order_problems or self.incidents or self.tampering
        )


def execution_order_problems(nb: Any) -> list[str]:
    """Out-of-order execution visible in a saved notebook's execution counts.

    Args:
        nb: an nbformat notebook as saved by JupyterLab.

    Returns:
        One sentence per problem, naming cells by their 0-based index:
        a cell run after a cell below it, a cell never run although later
        cells were, or gaps in the counts (cells re-run or since deleted).

    Example:
        >>> execution_order_problems(nb)
        ['cell 4 (run as [7]) ran after cell 5 below it (run as [3])']
    """
    counts = [
        (i, cell.get("execution_count"))
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "code" and "".join(cell.get("source", "")).strip()
    ]
    problems = []
    ran = [(i, c) for i, c in counts if c is not None]
    for (i, ci), (j, cj) in zip(ran, ran[1:], strict=False):
        if cj <= ci:
            problems.append(f"cell {i} (run as [{ci}]) ran after cell {j} below it (run as [{cj}])")
    last_run = max((i for i, _ in ran), default=-1)
    never = [i for i, c in counts if c is None and i < last_run]
    if never:
        problems.append(
            f"cells {never} were never run although cells below them were"
            if len(never) > 1
            else f"cell {never[0]} was never run although cells below it were"
        )
    values = sorted(c for _, c in ran)
    if values and not problems and values != list(range(1, len(values) + 1)):
        problems.append(
            f"execution counts {values} do not run 1..{len(values)}: cells were re-run "
            "or deleted after running; restart the kernel and run all cells"
        )
    return problems


def _copy_siblings(notebook: Path, workdir: Path) -> None:
    for item in notebook.parent.iterdir():
        wanted = item.is_file() and item.suffix != ".ipynb" and not item.name.startswith(".")
        if wanted and item.stat().st_size <= _COPY_LIMIT_BYTES:
            shutil.copy2(item, workdir / item.name)


@dataclass(frozen=True)
class _Step:
    """One cell to run in `check_notebook`: where it came from and what it is."""

    label: str
    source: str
    grade_id: str | None = None
    points: float = 0.0


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _stored_tests(nb: Any) -> dict[str, dict[str, Any]]:
    meta = nb.get("metadata", {}).get("course_check", {})
    tests = meta.get("tests", []) if isinstance(meta, dict) else []
    ok = isinstance(tests, list) and all(
        isinstance(t, dict)
        and isinstance(t.get("grade_id"), str)
        and isinstance(t.get("source"), str)
        and isinstance(t.get("points"), int | float)
        for t in tests
    )
    return {t["grade_id"]: t for t in tests} if ok else {}


def check_plan(nb: Any) -> tuple[list[_Step], list[str]]:
    """The cells `check_notebook` runs, and the test cells it restored.

    Args:
        nb: the student's notebook.

    Returns:
        ``(steps, restored)``: steps in run order (test steps carry their
        grade_id and points); ``restored`` says which test cells were put
        back from the exercise's copies.
    """
    stored = _stored_tests(nb)
    steps: list[_Step] = []
    restored: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        meta = meta if isinstance(meta, dict) else {}
        gid = meta.get("grade_id") if isinstance(meta.get("grade_id"), str) else None
        source = _source(cell)
        if gid is not None and gid in stored:
            if gid in seen:
                restored.append(f"test cell {gid!r} appears twice; it runs once")
                continue
            seen.add(gid)
            entry = stored[gid]
            if source.strip() != entry["source"].strip():
                restored.append(f"test cell {gid!r} was changed; checked with the original")
            steps.append(_Step(f"cell {index}", entry["source"], gid, float(entry["points"])))
        elif (
            cell.get("cell_type") == "code"
            and meta.get("grade") is True
            and not meta.get("solution")
        ):
            points = meta.get("points", 0)
            points = float(points) if isinstance(points, int | float) else 0.0
            steps.append(_Step(f"cell {index}", source, gid or f"cell {index}", points))
        elif cell.get("cell_type") == "code":
            steps.append(_Step(f"cell {index}", source))
    for gid, entry in stored.items():
        if gid in seen:
            continue
        after = entry.get("after")
        position = 0
        for number, step in enumerate(steps):
            if after is not None and _grade_id_at(nb, step.label) == after:
                position = number + 1
        steps.insert(position, _Step(f"test {gid!r}", entry["source"], gid, float(entry["points"])))
        restored.append(f"test cell {gid!r} was deleted; checked with the original")
    return steps, restored


def _grade_id_at(nb: Any, label: str) -> str | None:
    if not label.startswith("cell "):
        return None
    meta = nb.cells[int(label[5:])].get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id") if isinstance(meta, dict) else None


def check_notebook(
    path: str | Path, limits: SandboxLimits | None = None, **overrides: Any
) -> CheckReport:
    """Run ``path`` as the grader would and report what a student should fix.

    Args:
        path: the student's notebook.
        limits: sandbox limits (default: the notebook's ``course_grading``
            metadata with ``overrides`` on top, as ``course grade`` does).
        **overrides: `SandboxLimits` fields (``cell_timeout=5``); ``None``
            values are ignored.

    Returns:
        A `CheckReport`.

    Raises:
        GradingError: the notebook cannot be read, has bad limits metadata,
            or no kernel can start.

    Example:
        >>> report = check_notebook("exercises/01_perceptron.ipynb")
        >>> report.points, report.max_points, report.order_problems
        (3.0, 3.0, [])
    """
    path = Path(path)
    nb = read_notebook(path)
    limits = limits or limits_with(metadata_limits(nb.metadata, path.name), **overrides)
    report = CheckReport(path, order_problems=execution_order_problems(nb))
    steps, report.restored = check_plan(nb)
    runs = [
        CellRun(
            i, step.source, store_history=step.grade_id is None, guarded=step.grade_id is not None
        )
        for i, step in enumerate(steps)
        if step.source.strip()
    ]
    workdir = Path(tempfile.mkdtemp(prefix="course-check-"))
    try:
        _copy_siblings(path, workdir)
        execution = execute_cells(runs, workdir, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    outcomes = {o.index: o for o in execution.outcomes}
    # Runs are numbered by step; name them by the student's cells instead.
    for i, step in enumerate(steps):
        outcome = outcomes.get(i)
        if outcome is not None and outcome.status in ("timeout", "died"):
            report.incidents.append(f"{step.label}: {outcome.reason}")
        if outcome is not None and outcome.truncated:
            report.incidents.append(f"{step.label}: output truncated")
    labels = {f"before cell {i}:": f"before {step.label}:" for i, step in enumerate(steps)}
    for found in execution.tampering:
        where, _, what = found.partition(": ")
        report.tampering.append(f"{labels.get(where + ':', where + ':')} {what}")
    for i, step in enumerate(steps):
        outcome = outcomes.get(i)
        if step.grade_id is not None:
            if not step.source.strip():
                passed = False
                reason = (
                    "the test cell is empty; the grader runs the instructor's copy, "
                    "so restore the test (copy it from the original exercise)"
                )
            else:
                passed = outcome is not None and outcome.ok
                reason = "" if passed else (outcome.reason if outcome else "not run")
            report.tests.append(VisibleTest(step.grade_id, step.points, passed, reason))
        elif outcome is not None and not outcome.ok:
            report.cell_errors.append(f"{step.label}: {outcome.reason}")
    return report
