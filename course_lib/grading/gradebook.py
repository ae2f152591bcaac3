"""The CSV gradebook: one row per student, rewritten atomically.

Columns: ``student``; one column per test cell (its ``grade_id``, points
earned); one per manually graded cell (points given, empty while it waits for
a person); ``total`` (automatic + manual), ``max`` (the points of everything
graded: tests and manual cells), ``status``; ``auto`` and ``manual`` (the two
parts of ``total``), ``ungraded`` (points still waiting for manual grading);
``notes``, ``duration_s``, ``submission_sha256``, ``assignment_sha256``. The
two digests let a re-run skip submissions that are already graded against
the same source notebook.

A gradebook opened and saved in a spreadsheet is read back right (see
`tables.read_table`: ``;`` separators, decimal commas, a byte-order mark,
columns in another order) or rejected with the line and column at fault;
points are never silently read as 0.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from course_lib.errors import GradingError
from course_lib.grading.results import Assignment, ManualResult, SubmissionResult, TestResult
from course_lib.grading.tables import parse_number, read_table

_TAIL = (
    "total",
    "max",
    "status",
    "auto",
    "manual",
    "ungraded",
    "notes",
    "duration_s",
    "submission_sha256",
    "assignment_sha256",
)
# Columns every gradebook has had; "auto", "manual" and "ungraded" are newer.
_REQUIRED = ("student", "total", "max", "status", "notes", "submission_sha256", "assignment_sha256")


def _number(value: float) -> str:
    return f"{value:g}"


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def gradebook_csv(results: dict[str, SubmissionResult], assignment: Assignment) -> str:
    """The gradebook as CSV text, students sorted by name."""
    test_ids = [t.grade_id for t in assignment.tests]
    manual_ids = [m.grade_id for m in assignment.manual]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *test_ids, *manual_ids, *_TAIL])
    for student in sorted(results):
        result = results[student]
        earned = {t.grade_id: t.points for t in result.tests}
        given = {m.grade_id: m.points for m in result.manual}
        writer.writerow(
            [
                student,
                *(_number(earned[g]) if g in earned else "" for g in test_ids),
                *(_number(v) if (v := given.get(g)) is not None else "" for g in manual_ids),
                _number(result.total),
                _number(result.max_points),
                result.status,
                _number(result.auto_total),
                _number(result.manual_total),
                _number(result.ungraded),
                " | ".join(result.notes),
                f"{result.duration:.1f}",
                result.submission_sha256,
                result.assignment_sha256,
            ]
        )
    return buffer.getvalue()


def write_gradebook(
    path: str | Path, results: dict[str, SubmissionResult], assignment: Assignment
) -> None:
    """Write the gradebook atomically (temporary file + rename)."""
    write_text_atomic(path, gradebook_csv(results, assignment))


def read_gradebook(path: str | Path, assignment: Assignment) -> dict[str, SubmissionResult]:
    """Rows of an existing gradebook as results (empty if the file does not exist).

    Points are read as `tables.parse_number` reads them (``1,5`` is 1.5).
    A test's status is ``"ok"`` when it has all its points, else
    ``"failed"``; a manual cell with points is ``"graded"``, an empty one
    ``"needs-grading"``. Details (failure messages, answers) are not in the
    gradebook: `grade_submissions` takes them from ``results/*.json``.

    Raises:
        GradingError: the file is not a course gradebook (columns missing), a
            student appears twice, or a points cell is not a number, negative
            or more than the cell is worth, naming the line and column.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        table = read_table(path, _REQUIRED, "gradebook")
    except GradingError as exc:
        raise GradingError(
            f"{path} is not a course gradebook: {exc.message}",
            hint="fix it, or move it away (or pass another --out folder) to grade afresh",
        ) from exc
    results: dict[str, SubmissionResult] = {}
    for line, row in table.rows:

        def points(
            column: str, max_points: float, line: int = line, row: dict = row
        ) -> float | None:
            where = f"{path}, line {line}, column {column!r}"
            value = parse_number(row.get(column, ""), where)
            if value is not None and not 0 <= value <= max_points:
                raise GradingError(
                    f"{where}: {value:g} points is outside 0..{max_points:g}",
                    hint=f"the cell is worth {max_points:g} points; correct the value",
                )
            return value

        student = row["student"]
        if not student:
            raise GradingError(f"{path}, line {line}: the student column is empty")
        if student in results:
            raise GradingError(
                f"{path}, line {line}: student {student!r} has a second row",
                hint="keep one row per student",
            )
        tests = []
        for test in assignment.tests:
            earned = points(test.grade_id, test.points)
            status = "ok" if earned is not None and earned >= test.points else "failed"
            tests.append(TestResult(test.grade_id, earned or 0.0, test.points, status))
        manual = []
        for item in assignment.manual:
            given = points(item.grade_id, item.points)
            status = "graded" if given is not None else "needs-grading"
            manual.append(ManualResult(item.grade_id, item.points, status, given, kind=item.kind))
        try:
            duration = float(row.get("duration_s") or 0)
        except ValueError:
            duration = 0.0
        results[student] = SubmissionResult(
            student,
            tests,
            status=row["status"],
            notes=[n for n in row["notes"].split(" | ") if n],
            submission_sha256=row["submission_sha256"],
            assignment_sha256=row["assignment_sha256"],
            duration=duration,
            manual=manual,
        )
    return results
