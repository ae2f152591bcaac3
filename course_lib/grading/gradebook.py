"""The CSV gradebook: one row per student, rewritten atomically.

Columns: ``student``, one column per test cell (its ``grade_id``, points
earned), ``total``, ``max``, ``status``, ``notes``, ``duration_s``,
``submission_sha256``, ``assignment_sha256``. The two digests let a re-run
skip submissions that are already graded against the same source notebook.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from course_lib.errors import GradingError
from course_lib.grading.results import Assignment, SubmissionResult, TestResult

_TAIL = ("total", "max", "status", "notes", "duration_s", "submission_sha256", "assignment_sha256")


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *test_ids, *_TAIL])
    for student in sorted(results):
        result = results[student]
        earned = {t.grade_id: t.points for t in result.tests}
        writer.writerow(
            [
                student,
                *(_number(earned[g]) if g in earned else "" for g in test_ids),
                _number(result.total),
                _number(result.max_points),
                result.status,
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

    Raises:
        GradingError: the file is not a gradebook written by `write_gradebook`.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"student", *_TAIL} - set(reader.fieldnames or [])
        if missing:
            raise GradingError(
                f"{path} is not a course gradebook: missing columns {sorted(missing)}",
                hint="move it away or pass another --out folder",
            )
        points = {t.grade_id: t.points for t in assignment.tests}
        results = {}
        for row in reader:
            tests = []
            for gid, max_points in points.items():
                raw = row.get(gid) or ""
                try:
                    earned = float(raw)
                except ValueError:
                    earned = 0.0
                status = "ok" if earned >= max_points and raw else "failed"
                tests.append(TestResult(gid, earned, max_points, status))
            try:
                duration = float(row["duration_s"] or 0)
            except ValueError:
                duration = 0.0
            results[row["student"]] = SubmissionResult(
                row["student"],
                tests,
                status=row["status"],
                notes=[n for n in row["notes"].split(" | ") if n],
                submission_sha256=row["submission_sha256"],
                assignment_sha256=row["assignment_sha256"],
                duration=duration,
            )
    return results
