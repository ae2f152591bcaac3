"""``course check``: run a student's notebook the way the grader will, before submitting.

`check_notebook` runs the notebook top to bottom in a fresh sandboxed kernel
(the grader's limits, a temporary working directory with copies of the files
next to the notebook) and reports the visible tests' results, errors in the
student's own cells, and out-of-order execution in the *saved* notebook
(cells run in a different order than they appear, cells never run, cells run
again), the usual reason a notebook works in JupyterLab and fails in grading.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.grading.build import read_notebook
from course_lib.grading.execute import CellRun, execute_cells
from course_lib.grading.sandbox import SandboxLimits

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
    """

    notebook: Path
    tests: list[VisibleTest] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)
    order_problems: list[str] = field(default_factory=list)
    incidents: list[str] = field(default_factory=list)

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
            self.cell_errors or self.order_problems or self.incidents
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


def _limits_for(nb: Any, limits: SandboxLimits | None) -> SandboxLimits:
    if limits is not None:
        return limits
    meta = nb.get("metadata", {}).get("course_grading", {})
    keys = ("cell_timeout", "total_timeout", "memory_mb", "max_processes", "max_output_bytes")
    values = {k: v for k, v in meta.items() if k in keys} if isinstance(meta, dict) else {}
    return SandboxLimits(**values)


def check_notebook(path: str | Path, limits: SandboxLimits | None = None) -> CheckReport:
    """Run ``path`` as the grader would and report what a student should fix.

    Args:
        path: the student's notebook.
        limits: sandbox limits (default: the notebook's ``course_grading``
            metadata, else `SandboxLimits()`).

    Returns:
        A `CheckReport`.

    Raises:
        GradingError: the notebook cannot be read, or no kernel can start.

    Example:
        >>> report = check_notebook("exercises/01_perceptron.ipynb")
        >>> report.points, report.max_points, report.order_problems
        (3.0, 3.0, [])
    """
    path = Path(path)
    nb = read_notebook(path)
    report = CheckReport(path, order_problems=execution_order_problems(nb))
    runs = []
    for index, cell in enumerate(nb.cells):
        source = "".join(cell.source) if isinstance(cell.source, list) else cell.source
        if cell.cell_type == "code" and source.strip():
            runs.append(CellRun(index, source))
    workdir = Path(tempfile.mkdtemp(prefix="course-check-"))
    try:
        _copy_siblings(path, workdir)
        execution = execute_cells(runs, workdir, _limits_for(nb, limits))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    outcomes = {o.index: o for o in execution.outcomes}
    report.incidents = list(execution.incidents)
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        is_test = cell.cell_type == "code" and isinstance(meta, dict) and meta.get("grade") is True
        outcome = outcomes.get(index)
        if is_test:
            points = meta.get("points", 0)
            points = float(points) if isinstance(points, int | float) else 0.0
            passed = outcome is None or outcome.ok
            reason = "" if outcome is None or outcome.ok else outcome.reason
            report.tests.append(
                VisibleTest(str(meta.get("grade_id", f"cell {index}")), points, passed, reason)
            )
        elif outcome is not None and not outcome.ok:
            report.cell_errors.append(f"cell {index}: {outcome.reason}")
    return report
