"""Run a list of cells top to bottom in a `SandboxKernel`, surviving anything.

`execute_cells` is the one place that decides what happens when a cell goes
wrong:

- an exception: recorded, the next cell runs;
- a per-cell timeout: the kernel is interrupted and the next cell runs; if it
  cannot be interrupted it is killed (see below);
- a dead kernel (``os._exit``, ``exit()``, a crash, the memory or process
  limit): a fresh kernel is started and the cells that had succeeded before
  are replayed silently, so only the cell that killed the kernel loses its
  result. After ``max_restarts`` restarts the remaining cells are skipped;
- the total time limit: the remaining cells are skipped.

Every outcome carries a short reason a student can read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.grading.sandbox import RunResult, SandboxKernel, SandboxLimits


@dataclass(frozen=True)
class CellRun:
    """One cell to execute.

    Attributes:
        index: the cell's position in its notebook (reported back).
        source: the code.
        store_history: ``False`` keeps it out of ``In``/``_ih`` (hidden tests).
        guarded: a test cell: run out of the notebook's reach
            (`SandboxKernel.run_guarded`).
    """

    index: int
    source: str
    store_history: bool = True
    guarded: bool = False


@dataclass
class CellOutcome:
    """What happened to one `CellRun`.

    Attributes:
        index: the cell's position in its notebook.
        status: ``"ok"``, ``"error"``, ``"timeout"``, ``"died"`` or ``"skipped"``.
        ename: exception name or grader reason; ``None`` when ok.
        evalue: exception message or grader explanation.
        outputs: nbformat outputs (capped).
        traceback: traceback lines from the kernel.
        truncated: output was cut at the limit.
        execution_count: the kernel's counter.
        duration: seconds.
    """

    index: int
    status: str
    ename: str | None = None
    evalue: str | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)
    traceback: list[str] = field(default_factory=list)
    truncated: bool = False
    execution_count: int | None = None
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def reason(self) -> str:
        """``"Name: message"`` for failures, ``""`` when ok."""
        if self.ok:
            return ""
        return f"{self.ename}: {self.evalue}" if self.evalue else str(self.ename)


@dataclass
class ExecutionReport:
    """All outcomes of one `execute_cells` call.

    Attributes:
        outcomes: one `CellOutcome` per `CellRun`, same order.
        restarts: how many times the kernel was restarted.
        incidents: human-readable notes (timeouts, deaths, truncation).
        isolation: what the sandbox managed to apply (see `SandboxKernel`).
        duration: seconds, kernel start-up included.
        tampering: changes to the kernel found before test cells
            (``"before cell N: ..."``), each once.
    """

    outcomes: list[CellOutcome]
    restarts: int = 0
    incidents: list[str] = field(default_factory=list)
    isolation: dict[str, Any] = field(default_factory=dict)
    duration: float = 0.0
    tampering: list[str] = field(default_factory=list)


def _outcome(cell: CellRun, result: RunResult) -> CellOutcome:
    return CellOutcome(
        index=cell.index,
        status=result.status,
        ename=result.ename,
        evalue=result.evalue,
        outputs=result.outputs,
        traceback=result.traceback,
        truncated=result.truncated,
        execution_count=result.execution_count,
        duration=result.duration,
    )


def execute_cells(
    cells: Sequence[CellRun],
    workdir: str | Path,
    limits: SandboxLimits | None = None,
    on_cell: Callable[[CellOutcome], None] | None = None,
    max_restarts: int = 3,
) -> ExecutionReport:
    """Execute ``cells`` in order in a fresh sandboxed kernel.

    Args:
        cells: the code to run, in order.
        workdir: the kernel's working directory.
        limits: sandbox limits (defaults: `SandboxLimits()`).
        on_cell: called with each `CellOutcome` as soon as it is known.
        max_restarts: kernel restarts allowed before the rest is skipped.

    Returns:
        An `ExecutionReport` with one outcome per cell.

    Raises:
        GradingError: the very first kernel does not start.
    """
    limits = limits or SandboxLimits()
    start = time.monotonic()
    report = ExecutionReport(outcomes=[])
    kernel = SandboxKernel(workdir, limits)
    kernel.start()
    # Start-up is not the notebook's fault: the total limit starts now.
    deadline = time.monotonic() + limits.total_timeout
    report.isolation = dict(kernel.isolation)
    succeeded: list[CellRun] = []
    gave_up = ""
    try:
        for cell in cells:
            remaining = deadline - time.monotonic()
            if gave_up or remaining <= 0:
                reason = gave_up or (
                    f"not run: the notebook's total time limit ({limits.total_timeout:g}s) "
                    "was used up by earlier cells"
                )
                outcome = CellOutcome(cell.index, "skipped", "NotRun", reason)
            else:
                if not kernel.is_alive():
                    _blame_previous(report, succeeded)
                    kernel, gave_up = _restart(
                        kernel, workdir, limits, succeeded, report, deadline, max_restarts
                    )
                    if gave_up:
                        outcome = CellOutcome(cell.index, "skipped", "NotRun", gave_up)
                        report.outcomes.append(outcome)
                        if on_cell:
                            on_cell(outcome)
                        continue
                    remaining = deadline - time.monotonic()
                timeout = min(limits.cell_timeout, max(remaining, 0.1))
                result = _run(kernel, cell, timeout)
                for found in result.tampering:
                    if not any(t.endswith(f": {found}") for t in report.tampering):
                        report.tampering.append(f"before cell {cell.index}: {found}")
                outcome = _outcome(cell, result)
                if result.status == "timeout" and timeout < limits.cell_timeout:
                    outcome.evalue = (
                        f"the notebook's total time limit ({limits.total_timeout:g}s) ran out "
                        "during this cell"
                    )
                if result.status == "ok":
                    succeeded.append(cell)
                elif result.status in ("timeout", "died"):
                    report.incidents.append(f"cell {cell.index}: {outcome.reason}")
                if result.truncated:
                    report.incidents.append(f"cell {cell.index}: output truncated")
            report.outcomes.append(outcome)
            if on_cell:
                on_cell(outcome)
        if report.outcomes and not kernel.is_alive():
            _blame_previous(report, succeeded)
    finally:
        kernel.shutdown()
    report.duration = time.monotonic() - start
    return report


def _run(kernel: SandboxKernel, cell: CellRun, timeout: float) -> RunResult:
    if cell.guarded:
        return kernel.run_guarded(cell.source, timeout=timeout)
    return kernel.run(cell.source, timeout=timeout, store_history=cell.store_history)


def _blame_previous(report: ExecutionReport, succeeded: list[CellRun]) -> None:
    """The kernel died between cells: the last cell that 'succeeded' killed it (``exit()``)."""
    if not report.outcomes:
        return
    last = report.outcomes[-1]
    if last.status == "ok":
        last.status = "died"
        last.ename = "KernelDied"
        last.evalue = "the kernel stopped right after this cell (exit(), quit() or a crash)"
        report.incidents.append(f"cell {last.index}: {last.reason}")
        if succeeded and succeeded[-1].index == last.index:
            succeeded.pop()


def _restart(
    kernel: SandboxKernel,
    workdir: str | Path,
    limits: SandboxLimits,
    succeeded: list[CellRun],
    report: ExecutionReport,
    deadline: float,
    max_restarts: int,
) -> tuple[SandboxKernel, str]:
    """A fresh kernel with the successful cells replayed; or a reason to give up."""
    while True:
        kernel.shutdown()
        if report.restarts >= max_restarts:
            return kernel, f"not run: the kernel died {report.restarts + 1} times"
        report.restarts += 1
        kernel = SandboxKernel(workdir, limits)
        try:
            kernel.start()
        except Exception as exc:  # the grader must go on with the other students
            return kernel, f"not run: the kernel could not be restarted ({exc})"
        replay_ok = True
        for done in list(succeeded):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return kernel, "not run: the total time limit ran out while restarting the kernel"
            result = _run(kernel, done, min(limits.cell_timeout, remaining))
            if not result.kernel_alive:
                # Replaying it killed the kernel again: never replay it.
                succeeded.remove(done)
                replay_ok = False
                break
        if replay_ok:
            return kernel, ""
