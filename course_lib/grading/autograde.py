"""Grade student notebooks against the instructor's source notebook.

The pipeline for one submission (`grade_notebook`), each step a pure function:

1. `load_assignment` reads the instructor's *source* notebook (with solutions
   and hidden tests) and validates its markers and metadata.
2. `merge_submission` keeps the student's own cells but replaces every test
   and locked cell (matched by ``grade_id``) with the instructor's copy,
   hidden tests included; deleted ones are re-inserted after the cell they
   followed in the source, duplicated ones dropped. Edits to tests change
   nothing.
3. `execution.execute_cells` runs the result top to bottom in a fresh
   sandboxed kernel in a temporary working directory that holds only the
   student's files. Test code is sent over the kernel channel, never written
   to disk, and kept out of the kernel's input history; it runs through the
   tamper guard (``_guard.py``) so that the notebook's changes to the kernel
   cannot turn a failing test into a pass.
4. `score` gives each test cell its points if it ran without raising an
   exception; `manual_results` lists the manually graded cells (nbgrader's
   grade + solution and task cells) for a person. Printed text ("all tests
   passed"), stderr and warnings change nothing; a timeout, a dead kernel or
   a skipped cell earns 0 with a reason.

`grade_submissions` grades a folder of submissions in parallel and writes the
gradebook (`gradebook.write_gradebook`) and one feedback file per student
(`feedback.render_feedback`).
"""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from course_lib.errors import GradingError
from course_lib.grading.build import normalize, read_notebook
from course_lib.grading.execute import CellOutcome, CellRun, execute_cells
from course_lib.grading.markers import (
    find_regions,
    nbgrader_checksum,
    notebook_roles,
    replace_solutions,
    strip_hidden_markers,
    whole_cell_stub,
)
from course_lib.grading.outputs import GradingOutputs
from course_lib.grading.results import (
    Assignment,
    ManualCell,
    ManualResult,
    SubmissionResult,
    TestCell,
    TestResult,
)
from course_lib.grading.sandbox import SandboxLimits, limits_with, metadata_limits

__all__ = [
    "Assignment",
    "ManualCell",
    "ManualResult",
    "SubmissionResult",
    "TestCell",
    "TestResult",
    "grade_notebook",
    "grade_submissions",
    "load_assignment",
    "manual_results",
    "merge_submission",
    "score",
]

MAX_NOTEBOOK_BYTES = 100_000_000
MAX_ANSWER_CHARS = 2000


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_assignment(source: str | Path) -> Assignment:
    """Read and validate the instructor's source notebook.

    Args:
        source: path to the source notebook (with solutions and hidden tests).

    Returns:
        An `Assignment`.

    Raises:
        GradingError: unreadable notebook, marker or metadata errors, or
            nothing to grade (no test cell and no manually graded cell).
    """
    path = Path(source)
    nb = normalize(read_notebook(path), path.name)
    roles = tuple(notebook_roles(nb, path.name))
    tests, manual = [], []
    for role in roles:
        src = nb.cells[role.index].source
        if role.is_test:
            code = strip_hidden_markers(src, find_regions(src, path.name, role.index))
            tests.append(TestCell(role.grade_id or "", role.points, code, role.has_hidden_tests))
        elif role.is_manual:
            if role.task:
                kind, stub = "task", src
            else:
                kind = "answer"
                stub = (
                    replace_solutions(src, role.regions, role.cell_type)
                    if role.regions
                    else whole_cell_stub(role.cell_type)
                )
            manual.append(ManualCell(role.grade_id or "", role.points, role.cell_type, kind, stub))
    if not tests and not manual:
        raise GradingError(
            f"{path.name}: nothing to grade: no test cell and no manually graded cell",
            hint='mark test cells with metadata.nbgrader {"grade": true, "grade_id": ..., '
            '"points": ...}',
        )
    limits = metadata_limits(nb.metadata, path.name)
    return Assignment(
        path.stem, nb, roles, tuple(tests), _sha256(path), limits, manual=tuple(manual)
    )


def assignment_limits(assignment: Assignment, **overrides: Any) -> SandboxLimits:
    """`SandboxLimits` from the source's ``metadata.course_grading``, then ``overrides``.

    ``None`` overrides are ignored, so CLI options can be passed straight through.
    """
    return limits_with(assignment.limits, **overrides)


def _grade_id(cell: Any) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str):
        return meta["grade_id"]
    return None


def merge_submission(assignment: Assignment, student_nb: Any) -> list[tuple[Any, str | None]]:
    """The cells to run: the student's, with test and locked cells from the source.

    Args:
        assignment: the `Assignment`.
        student_nb: the student's notebook (any edits, deletions, reordering).

    Returns:
        ``(cell, test_grade_id)`` pairs in run order; ``test_grade_id`` is set
        for test cells (whose source includes the hidden tests).
    """
    source_cells = assignment.notebook.cells
    restored = {
        role.grade_id: role.index
        for role in assignment.roles
        if role.locked and role.grade_id is not None
    }
    tests = {t.grade_id: t for t in assignment.tests}
    merged: list[tuple[Any, str | None]] = []
    used: set[str] = set()
    for cell in student_nb.get("cells", []):
        gid = _grade_id(cell)
        if gid is not None and gid in restored:
            if gid in used:
                continue  # a duplicated test or locked cell runs once
            used.add(gid)
            merged.append(_restored_cell(source_cells[restored[gid]], tests.get(gid)))
        else:
            merged.append((cell, None))
    # Put back deleted test/locked cells after the cell they follow in the source.
    position = 0
    for role in assignment.roles:
        gid = role.grade_id
        if gid is None:
            continue
        here = next((i for i, (c, _) in enumerate(merged) if _grade_id(c) == gid), None)
        if here is not None:
            position = here + 1
        elif gid in restored:
            merged.insert(position, _restored_cell(source_cells[role.index], tests.get(gid)))
            position += 1
    return merged


def _restored_cell(cell: Any, test: TestCell | None) -> tuple[Any, str | None]:
    cell = copy.deepcopy(cell)
    if test is not None:
        cell["source"] = test.source
        return cell, test.grade_id
    return cell, None


def score(
    assignment: Assignment, merged: list[tuple[Any, str | None]], outcomes: dict[int, CellOutcome]
) -> list[TestResult]:
    """Points per test cell: full points iff the cell ran without an exception.

    Args:
        assignment: the `Assignment`.
        merged: output of `merge_submission`.
        outcomes: execution outcome per position in ``merged``.

    Returns:
        One `TestResult` per test of the assignment, in source order.
    """
    by_id = {gid: outcomes.get(i) for i, (_c, gid) in enumerate(merged) if gid is not None}
    results = []
    for test in assignment.tests:
        outcome = by_id.get(test.grade_id)
        if outcome is None:
            results.append(
                TestResult(test.grade_id, 0.0, test.points, "skipped", "not run", test.has_hidden)
            )
            continue
        earned = test.points if outcome.ok else 0.0
        results.append(
            TestResult(
                test.grade_id,
                earned,
                test.points,
                outcome.status,
                _short(outcome.reason),
                test.has_hidden,
            )
        )
    return results


def manual_results(assignment: Assignment, student_nb: Any) -> list[ManualResult]:
    """The manually graded cells of one submission, waiting for a person.

    An answer that is missing, blank, still the exercise's stub, or whose
    nbgrader checksum still matches (nbgrader's "no response") is
    ``"unanswered"`` and gets 0 points, as in nbgrader; other answers and
    every task are ``"needs-grading"``.
    """
    cells: dict[str, Any] = {}
    for cell in student_nb.get("cells", []):
        gid = _grade_id(cell)
        if gid is not None:
            cells.setdefault(gid, cell)
    results = []
    for item in assignment.manual:
        result = ManualResult(item.grade_id, item.points, kind=item.kind)
        cell = cells.get(item.grade_id)
        if item.kind == "task":
            results.append(result)
            continue
        answer = _source(cell).strip() if cell is not None else ""
        meta = cell.get("metadata", {}).get("nbgrader", {}) if cell is not None else {}
        unchanged = isinstance(meta, dict) and meta.get("checksum") is not None
        if unchanged:
            try:
                unchanged = meta["checksum"] == nbgrader_checksum(cell)
            except (TypeError, ValueError):
                unchanged = False
        if not answer or answer == item.stub.strip() or unchanged:
            result.status, result.points = "unanswered", 0.0
        result.answer = answer[:MAX_ANSWER_CHARS]
        results.append(result)
    return results


def _placeholder_manual(assignment: Assignment, status: str) -> list[ManualResult]:
    points = 0.0 if status == "unanswered" else None
    return [
        ManualResult(m.grade_id, m.points, status, points, kind=m.kind) for m in assignment.manual
    ]


def _short(text: str, limit: int = 500) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def grade_notebook(
    assignment: Assignment | str | Path,
    notebook: str | Path,
    limits: SandboxLimits | None = None,
    student: str | None = None,
    files_from: str | Path | None = None,
) -> SubmissionResult:
    """Grade one student notebook. Never raises for anything in the submission.

    Args:
        assignment: an `Assignment` or the path of the source notebook.
        notebook: the student's ``.ipynb``.
        limits: sandbox limits (default: `assignment_limits`).
        student: name for the result (default: the notebook's stem).
        files_from: folder whose other files are copied into the kernel's
            working directory (a student's submission folder).

    Returns:
        A `SubmissionResult`.

    Raises:
        GradingError: the *source* notebook is invalid.
    """
    if not isinstance(assignment, Assignment):
        assignment = load_assignment(assignment)
    limits = limits or assignment_limits(assignment)
    path = Path(notebook)
    student = student or path.stem
    started = time.monotonic()
    result = SubmissionResult(
        student,
        [
            TestResult(t.grade_id, 0.0, t.points, "skipped", "not run", t.has_hidden)
            for t in assignment.tests
        ],
        assignment_sha256=assignment.sha256,
        manual=_placeholder_manual(assignment, "unanswered"),
    )
    try:
        result.submission_sha256 = _sha256(path)
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise GradingError(
                f"{path.name} is {size / 1e6:.0f} MB; "
                f"the limit is {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB",
                hint="clear the outputs (Kernel > Restart and Clear Outputs) and submit again",
            )
        student_nb = read_notebook(path)
    except (GradingError, OSError) as exc:
        result.status = "unreadable"
        result.notes.append(_short(str(exc)))
        for test in result.tests:
            test.reason = "the notebook could not be read"
        return result
    merged = merge_submission(assignment, student_nb)
    result.manual = manual_results(assignment, student_nb)
    runs = [
        CellRun(i, _source(cell), store_history=gid is None, guarded=gid is not None)
        for i, (cell, gid) in enumerate(merged)
        if cell.get("cell_type") == "code" and _source(cell).strip()
    ]
    workdir = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        if files_from is not None:
            _copy_files(Path(files_from), workdir, exclude=path)
        report = execute_cells(runs, workdir, limits)
    except Exception as exc:  # kernel would not start, disk full, ...
        result.status = "grader-error"
        result.notes.append(_short(f"{type(exc).__name__}: {exc}"))
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    outcomes = {o.index: o for o in report.outcomes}
    # Empty test cells "run" trivially; an empty source test is a pass.
    for i, (_cell, gid) in enumerate(merged):
        if gid is not None and i not in outcomes:
            outcomes[i] = CellOutcome(i, "ok")
    result.tests = score(assignment, merged, outcomes)
    problems = []
    for outcome in report.outcomes:
        kind = {"timeout": "timeout", "died": "kernel-died", "skipped": "not-run"}.get(
            outcome.status
        )
        if kind and kind not in problems:
            problems.append(kind)
    result.tampering = list(report.tampering)
    if result.tampering:
        problems.append("tampering")
    result.status = "+".join(problems) or "ok"
    for outcome in report.outcomes:
        cell, gid = merged[outcome.index]
        label = cell_label(cell)
        if gid is None and not outcome.ok:
            result.cell_errors.append(_short(f"{label}: {outcome.reason}", 300))
        if outcome.truncated:
            result.notes.append(f"{label}: output truncated at {limits.max_output_bytes} bytes")
        if outcome.status in ("timeout", "died") and gid is None:
            result.notes.append(_short(f"{label}: {outcome.reason}", 300))
    if report.restarts:
        result.notes.append(
            f"the kernel was restarted {report.restarts} time(s); "
            "earlier cells were re-run after each restart"
        )
    result.isolation = report.isolation
    result.duration = time.monotonic() - started
    return result


def cell_label(cell: Any) -> str:
    """How feedback names a cell: its grade_id, or its first line of code."""
    gid = _grade_id(cell)
    if gid is not None:
        return f"cell '{gid}'"
    first = next((ln.strip() for ln in _source(cell).splitlines() if ln.strip()), "")
    return f"cell starting {first[:40]!r}"


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _copy_files(folder: Path, workdir: Path, exclude: Path) -> None:
    for item in folder.iterdir():
        if item.name.startswith(".") or item.resolve() == exclude.resolve():
            continue
        if item.is_dir():
            shutil.copytree(item, workdir / item.name, symlinks=True)
        elif item.is_file():
            shutil.copy2(item, workdir / item.name)


@dataclass(frozen=True)
class Submission:
    """One student's submission found in the submissions folder."""

    student: str
    notebook: Path | None
    folder: Path | None
    problem: str = ""


def find_submissions(submissions_dir: str | Path, assignment_name: str) -> list[Submission]:
    """One `Submission` per sub-folder or ``.ipynb`` file, sorted by student.

    In a folder the notebook named like the assignment is used, else its only
    notebook; a folder with none or several others is reported as a problem.

    Raises:
        GradingError: ``submissions_dir`` is not a folder.
    """
    root = Path(submissions_dir)
    if not root.is_dir():
        raise GradingError(
            f"Submissions folder not found. Received: {str(root)!r}",
            hint="pass a folder with one sub-folder or .ipynb file per student",
        )
    found: list[Submission] = []
    for entry in sorted(root.iterdir()):
        if any(s.student == _student_name(entry) for s in found):
            found = [s for s in found if s.student != _student_name(entry)]
            found.append(
                Submission(
                    _student_name(entry),
                    None,
                    None,
                    f"both {entry.stem}/ and {entry.stem}.ipynb were submitted; keep one",
                )
            )
            continue
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_file() and entry.suffix == ".ipynb":
            found.append(Submission(entry.stem, entry, None))
        elif entry.is_dir():
            notebooks = sorted(p for p in entry.glob("*.ipynb") if not p.name.startswith("."))
            named = entry / f"{assignment_name}.ipynb"
            if named.is_file():
                found.append(Submission(entry.name, named, entry))
            elif len(notebooks) == 1:
                found.append(Submission(entry.name, notebooks[0], entry))
            elif not notebooks:
                found.append(Submission(entry.name, None, entry, "no .ipynb file in the folder"))
            else:
                names = ", ".join(p.name for p in notebooks)
                found.append(
                    Submission(
                        entry.name,
                        None,
                        entry,
                        f"several notebooks and none named {named.name}: {names}",
                    )
                )
    return found


def _student_name(entry: Path) -> str:
    return entry.stem if entry.suffix == ".ipynb" else entry.name


@dataclass(frozen=True)
class Progress:
    """A progress event from `grade_submissions`.

    Attributes:
        student: the submission this event is about.
        done: submissions finished (graded or skipped) so far.
        total: submissions in this run.
        result: the new result, or ``None`` when the student was skipped
            because an up-to-date result already exists.
    """

    student: str
    done: int
    total: int
    result: SubmissionResult | None


@dataclass
class GradingSummary:
    """What `grade_submissions` did.

    Attributes:
        results: every result in the gradebook after this run, by student.
        graded: students graded in this run.
        skipped: students whose earlier result was kept (resume).
        gradebook: path of the CSV gradebook.
        feedback_dir: folder of per-student feedback files.
    """

    results: dict[str, SubmissionResult]
    graded: list[str]
    skipped: list[str]
    gradebook: Path
    feedback_dir: Path


def _grade_task(task: dict[str, Any]) -> SubmissionResult:
    """Worker entry point (top level so a process pool can pickle it)."""
    sub: Submission = task["submission"]
    assignment: Assignment = task["assignment"]
    try:
        if sub.notebook is None:
            result = SubmissionResult(
                sub.student,
                [
                    TestResult(
                        t.grade_id, 0.0, t.points, "skipped", "no notebook submitted", t.has_hidden
                    )
                    for t in assignment.tests
                ],
                status="missing",
                notes=[sub.problem],
                assignment_sha256=assignment.sha256,
                manual=_placeholder_manual(assignment, "unanswered"),
            )
            return result
        return grade_notebook(assignment, sub.notebook, task["limits"], sub.student, sub.folder)
    except Exception as exc:  # never let one submission stop the class
        return SubmissionResult(
            sub.student,
            [
                TestResult(t.grade_id, 0.0, t.points, "skipped", "grader error", t.has_hidden)
                for t in assignment.tests
            ],
            status="grader-error",
            notes=[_short(f"{type(exc).__name__}: {exc}")],
            assignment_sha256=assignment.sha256,
            manual=_placeholder_manual(assignment, "needs-grading"),
        )


def grade_submissions(
    source_nb: str | Path,
    submissions_dir: str | Path,
    out_dir: str | Path,
    jobs: int = 2,
    limits: SandboxLimits | None = None,
    regrade: bool = False,
    progress: Callable[[Progress], None] | None = None,
    scheduler: str | None = None,
    manual: str | Path | None = None,
) -> GradingSummary:
    """Grade every submission in a folder; write the gradebook and feedback.

    Results already in ``out_dir/gradebook.csv`` for the same submission bytes
    and the same source notebook are kept (resume) unless ``regrade``; other
    rows already in the gradebook (students not in this folder) are kept too.
    The gradebook is rewritten atomically after every submission, so an
    interrupted run loses at most the submissions in flight. The output
    folder's layout is described in `outputs`.

    Args:
        source_nb: the instructor's source notebook.
        submissions_dir: one sub-folder or ``.ipynb`` file per student.
        out_dir: where ``gradebook.csv`` and ``feedback/STUDENT.md`` go.
        jobs: submissions graded at once (separate processes and kernels).
        limits: sandbox limits (default: from the source notebook's metadata).
        regrade: grade every submission again even if a result exists.
        progress: called with a `Progress` after each submission.
        scheduler: address of a Dask distributed scheduler
            (``tcp://host:8786``): each submission is graded as a task on its
            workers (`distributed.grade_on_cluster`) and ``jobs`` is ignored.
            ``None`` grades on this machine.
        manual: a filled-in manual-scores sheet (`manual`); it is checked
            before anything is graded and kept as ``manual_scores.csv``, which
            later runs apply again.

    Returns:
        A `GradingSummary`.

    Raises:
        GradingError: invalid source notebook, missing submissions folder,
            ``jobs`` < 1, an unreadable existing gradebook, or a scheduler
            that does not answer.

    Example:
        >>> summary = grade_submissions("notebooks/03_mlp.ipynb", "inbox/03", "grades/03")
        >>> summary.results["ada"].total
        4.0
    """

    if not isinstance(jobs, int) or jobs < 1:
        raise GradingError(
            f"Expected jobs >= 1. Received: jobs={jobs!r}", hint="pass --jobs 1 or more"
        )
    assignment = load_assignment(source_nb)
    limits = limits or assignment_limits(assignment)
    submissions = find_submissions(submissions_dir, assignment.name)
    outputs = GradingOutputs(out_dir, assignment)
    results = outputs.load()
    outputs.load_manual(manual, {s.student for s in submissions} | set(results))
    todo, skipped = [], []
    for sub in submissions:
        old = results.get(sub.student)
        digest = _sha256(sub.notebook) if sub.notebook is not None else ""
        if (
            not regrade
            and old is not None
            and old.status != "grader-error"
            and old.submission_sha256 == digest
            and old.assignment_sha256 == assignment.sha256
        ):
            skipped.append(sub.student)
        else:
            todo.append(sub)
    total = len(submissions)
    done = 0
    for student in skipped:
        done += 1
        if progress:
            progress(Progress(student, done, total, None))

    def finish(result: SubmissionResult) -> None:
        nonlocal done
        results[result.student] = result
        outputs.record(results, result)
        done += 1
        if progress:
            progress(Progress(result.student, done, total, outputs.view(result)))

    tasks = [{"submission": s, "assignment": assignment, "limits": limits} for s in todo]
    if scheduler is not None:
        from course_lib.grading.distributed import grade_on_cluster

        grade_on_cluster(tasks, scheduler, finish, _grade_task, MAX_NOTEBOOK_BYTES)
    elif jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            finish(_grade_task(task))
    else:
        _run_pool(tasks, jobs, finish)
    outputs.finish(results)
    return GradingSummary(
        outputs.views(results),
        [s.student for s in todo],
        skipped,
        outputs.gradebook,
        outputs.feedback_dir,
    )


def _run_pool(
    tasks: list[dict[str, Any]], jobs: int, finish: Callable[[SubmissionResult], None]
) -> None:
    """Run tasks in a process pool; a crashed worker costs only its own submission."""
    pending = list(tasks)
    while pending:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            futures: dict[Future[SubmissionResult], dict[str, Any]] = {}
            broken = False
            while (pending or futures) and not broken:
                while pending and len(futures) < jobs * 2:
                    task = pending.pop(0)
                    try:
                        futures[pool.submit(_grade_task, task)] = task
                    except BrokenProcessPool:
                        pending.insert(0, task)
                        broken = True
                        break
                if not futures:
                    break
                finished, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = futures.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        _requeue(task, pending, finish)
                    else:
                        finish(result)
            for future, task in futures.items():
                # A broken pool fails every task in flight: each gets one more try.
                try:
                    result = future.result()
                except BrokenProcessPool:
                    _requeue(task, pending, finish)
                else:
                    finish(result)


def _requeue(
    task: dict[str, Any], pending: list[dict[str, Any]], finish: Callable[[SubmissionResult], None]
) -> None:
    if task.get("retried"):
        finish(_worker_lost(task))
    else:
        pending.append({**task, "retried": True})


def _worker_lost(task: dict[str, Any]) -> SubmissionResult:
    result = _grade_task(
        {**task, "submission": replace(task["submission"], notebook=None, problem="")}
    )
    result.status = "grader-error"
    result.notes = ["the grading process for this submission died; run the grader again"]
    return result
