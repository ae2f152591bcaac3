"""Manual grading: the sheet a person fills in, and merging it into the results.

After `grade_submissions` the output folder holds ``manual_todo.csv``, one row
per student and manually graded cell (nbgrader's "manually graded answer"
and "task" cells)::

    student,grade_id,max_points,status,points,comment,answer
    ada,explain-overfitting,2,needs-grading,,,"The model learns the noise ..."
    bob,explain-overfitting,2,unanswered,0,,

Fill in ``points`` (``1.5`` or ``1,5``) and ``comment`` in a spreadsheet,
save it as CSV (any of ``,`` ``;`` or tab; columns in any order; only
``student``, ``grade_id`` and ``points`` are required) and pass it to
``course grade ... --manual FILE``. The scores are checked, copied to
``manual_scores.csv`` in the output folder, and every later run of
``course grade`` for that folder applies them again, so re-grading keeps
them. A blank ``points`` cell leaves the cell ungraded (its comment still
reaches the student); a number for an ``unanswered`` cell replaces its 0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from course_lib.errors import GradingError
from course_lib.grading.results import Assignment, SubmissionResult
from course_lib.grading.tables import parse_number, read_table

MANUAL_COLUMNS = ("student", "grade_id", "max_points", "status", "points", "comment", "answer")
_MAX_ERRORS = 10


@dataclass(frozen=True)
class ManualScore:
    """One row of a manual-scores file.

    Attributes:
        points: points given, or ``None`` (comment only).
        comment: text for the student.
    """

    points: float | None
    comment: str = ""


def read_manual_scores(
    path: str | Path, assignment: Assignment, students: Iterable[str]
) -> dict[tuple[str, str], ManualScore]:
    """Read and check a filled-in manual-scores sheet.

    Args:
        path: the CSV file.
        assignment: the graded `Assignment` (its manually graded cells).
        students: every student the gradebook knows.

    Returns:
        ``{(student, grade_id): ManualScore}``.

    Raises:
        GradingError: listing every bad row (up to 10): an unknown student or
            grade_id, an autograded test named, points that are not a number
            or outside 0..max, a student and cell given twice.
    """
    table = read_table(path, ("student", "grade_id", "points"), "manual-scores sheet")
    known = set(students)
    manual = {m.grade_id: m for m in assignment.manual}
    tests = {t.grade_id for t in assignment.tests}
    scores: dict[tuple[str, str], ManualScore] = {}
    errors: list[str] = []
    for line, row in table.rows:
        where = f"line {line}"
        student, gid = row["student"], row["grade_id"]
        try:
            if student not in known:
                raise GradingError(f"{where}: unknown student {student!r}")
            if gid in tests:
                raise GradingError(
                    f"{where}: {gid!r} is an autograded test cell; only manually graded "
                    f"cells take manual scores ({sorted(manual) or 'none in this assignment'})"
                )
            if gid not in manual:
                raise GradingError(
                    f"{where}: unknown grade_id {gid!r}. Expected one of {sorted(manual)}"
                )
            points = parse_number(row["points"], f"{where}, column 'points'")
            if points is not None and not 0 <= points <= manual[gid].points:
                raise GradingError(
                    f"{where}: {points:g} points for {gid!r} is outside 0..{manual[gid].points:g}"
                )
            if (student, gid) in scores:
                raise GradingError(f"{where}: a second row for {student!r}, {gid!r}")
        except GradingError as exc:
            errors.append(exc.message)
            continue
        scores[(student, gid)] = ManualScore(points, row.get("comment", ""))
    if errors:
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        raise GradingError(
            f"{table.path}: {len(errors)} bad row(s) in the manual-scores sheet{more}:\n  "
            + "\n  ".join(errors[:_MAX_ERRORS]),
            hint="correct those rows (students are the submission folder names; grade_ids "
            "are the manually graded cells of the source notebook) and run again",
        )
    return scores


def apply_manual(
    result: SubmissionResult, scores: dict[tuple[str, str], ManualScore]
) -> SubmissionResult:
    """A copy of ``result`` with the manual scores and comments filled in."""
    manual = []
    for item in result.manual:
        score = scores.get((result.student, item.grade_id))
        if score is None:
            manual.append(item)
            continue
        if score.points is None:
            manual.append(replace(item, comment=score.comment))
        else:
            manual.append(
                replace(item, status="graded", points=score.points, comment=score.comment)
            )
    return replace(result, manual=manual)


def manual_scores_csv(scores: dict[tuple[str, str], ManualScore]) -> str:
    """Checked scores as the canonical ``manual_scores.csv`` (``,``, ``.`` decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "grade_id", "points", "comment"])
    for (student, gid), score in sorted(scores.items()):
        points = "" if score.points is None else f"{score.points:g}"
        writer.writerow([student, gid, points, score.comment])
    return buffer.getvalue()


def manual_todo_csv(results: dict[str, SubmissionResult]) -> str:
    """The sheet to fill in: one row per student and manually graded cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANUAL_COLUMNS)
    for student in sorted(results):
        for item in results[student].manual:
            points = "" if item.points is None else f"{item.points:g}"
            writer.writerow(
                [
                    student,
                    item.grade_id,
                    f"{item.max_points:g}",
                    item.status,
                    points,
                    item.comment,
                    item.answer,
                ]
            )
    return buffer.getvalue()
