"""Gradebook exports for LMS grade imports: Canvas and Moodle CSV.

Both read an output folder of ``course grade`` (``gradebook.csv``, and the
feedback for Moodle's feedback column) and a **roster** that maps the
student names ``course grade`` uses (submission folder or file names) to the
LMS's own identifiers. The roster is a CSV (spreadsheet-saved is fine, see
`tables.read_table`) with a ``student`` column and the LMS columns:

- **Canvas** (the columns of Canvas' own gradebook export: Gradebook >
  Export, then keep them)::

      student,Student,ID,SIS User ID,SIS Login ID,Section
      ada,"Lovelace, Ada",1234,S001,ada@uni.example,Section A

  The easiest roster is Canvas' exported gradebook with a ``student`` column
  added. The export has Canvas' import columns ``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section`` and one assignment column
  named ``"Assignment Name (ID)"`` (pass the name exactly as Canvas shows it
  in its export, with the assignment id, to update an existing assignment;
  a new name creates a new assignment), plus a ``Points Possible`` row.
  Canvas needs the student name or ID or SIS User ID, the SIS Login ID and
  Section columns and the assignment column, as in its own export (see
  https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades
  and the Canvas Instructor Guide, "How do I import grades in the Gradebook?").
- **Moodle** (Grades > Import > CSV file; map ``Email address`` to
  "useremail" or ``ID number`` to "useridnumber", the grade column to the
  grade item and ``Feedback`` to its feedback; https://docs.moodle.org/311/en/Grade_import)::

      student,Email address,ID number
      ada,ada@uni.example,S001

  The export has ``Email address`` and/or ``ID number`` (whichever the roster
  has), one grade column named after the grade item, and ``Feedback`` (the
  score line, failed tests and manual comments; Moodle's docs warn that
  importing feedback without its grade column loses the grades, so both go
  together).

Grades are points (``total``); ``--scale 100`` exports percentages instead.
A student in the gradebook but not in the roster is an error (nothing is
written), listing them all; roster students without a submission get an
empty grade (Canvas and Moodle leave those grades alone).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from course_lib.errors import GradingError
from course_lib.grading.gradebook import write_text_atomic
from course_lib.grading.tables import Table, parse_number, read_table

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDS = ("Email address", "ID number")
FORMATS = ("canvas", "moodle")


@dataclass(frozen=True)
class GradeRow:
    """One student's line of ``gradebook.csv`` as the exports need it."""

    student: str
    total: float
    max_points: float
    status: str
    ungraded: float = 0.0
    feedback: str = ""


def read_grades(grades_dir: str | Path) -> list[GradeRow]:
    """The rows of ``GRADES_DIR/gradebook.csv`` (any column order, ``1,5`` read right).

    Raises:
        GradingError: no gradebook, missing columns, numbers that are not numbers.
    """
    folder = Path(grades_dir)
    path = folder / "gradebook.csv"
    if not path.is_file():
        raise GradingError(
            f"No gradebook in {str(folder)!r}. Expected {str(path)!r}",
            hint="pass the --out folder of `course grade` (default grades/ASSIGNMENT)",
        )
    table = read_table(path, ("student", "total", "max", "status"), "gradebook")
    rows = []
    for line, row in table.rows:
        where = f"{path}, line {line}"
        total = parse_number(row["total"], f"{where}, column 'total'")
        max_points = parse_number(row["max"], f"{where}, column 'max'")
        ungraded = parse_number(row.get("ungraded", ""), f"{where}, column 'ungraded'")
        rows.append(
            GradeRow(
                row["student"],
                total or 0.0,
                max_points or 0.0,
                row["status"],
                ungraded or 0.0,
                _feedback_text(folder, row["student"]),
            )
        )
    return rows


def _feedback_text(folder: Path, student: str) -> str:
    """The Markdown feedback, flattened to plain lines for an LMS text field."""
    from course_lib.grading.feedback import feedback_filename

    path = folder / "feedback" / feedback_filename(student)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or set(line) <= set("|-") or line.startswith("# "):
            continue
        lines.append(line.replace("**", "").replace("\\|", "|").strip("| ").replace(" | ", " - "))
    return "\n".join(lines)


def _roster(path: str | Path, required_any: tuple[str, ...], lms: str) -> dict[str, dict]:
    table: Table = read_table(path, ("student",), f"{lms} roster")
    have = [c for c in required_any if c in table.columns]
    if not have:
        raise GradingError(
            f"{table.path}: the {lms} roster needs one of the columns {list(required_any)}. "
            f"Received header: {table.columns}",
            hint="add the LMS identifiers (see `course export --help`) next to 'student'",
        )
    roster: dict[str, dict] = {}
    for line, row in table.rows:
        student = row["student"]
        if not student:
            raise GradingError(f"{table.path}, line {line}: the student column is empty")
        if student in roster:
            raise GradingError(f"{table.path}, line {line}: student {student!r} is listed twice")
        if not any(row.get(c) for c in have):
            raise GradingError(
                f"{table.path}, line {line}: {student!r} has none of {have} filled in",
                hint=f"{lms} needs an identifier to find the student",
            )
        roster[student] = row
    return roster


def _check_mapped(rows: list[GradeRow], roster: dict[str, dict], path: str | Path) -> None:
    unmapped = sorted(r.student for r in rows if r.student not in roster)
    if unmapped:
        shown = ", ".join(unmapped[:20]) + (" ..." if len(unmapped) > 20 else "")
        raise GradingError(
            f"{len(unmapped)} graded student(s) are not in the roster {str(path)!r}: {shown}",
            hint="add a row per student (the 'student' column holds the submission name)",
        )


def _grade(row: GradeRow, scale: float | None) -> str:
    if scale is None:
        return f"{row.total:g}"
    if row.max_points <= 0:
        return "0"
    return f"{round(row.total / row.max_points * scale, 2):g}"


def export_csv(
    grades_dir: str | Path,
    roster: str | Path,
    lms: str,
    assignment_title: str,
    scale: float | None = None,
) -> tuple[str, list[str]]:
    """The LMS import file as text, and warnings for the instructor.

    Args:
        grades_dir: the output folder of ``course grade``.
        roster: the roster CSV (see the module docstring).
        lms: ``"canvas"`` or ``"moodle"``.
        assignment_title: Canvas: ``"Assignment Name (ID)"``; Moodle: the grade
            column's name (the grade item to map it to).
        scale: export ``total / max * scale`` (e.g. 100) instead of points.

    Returns:
        ``(csv_text, warnings)``: warnings name students whose grade is not
        final (manual grading pending, grader errors).

    Raises:
        GradingError: unknown format, bad roster, unmapped students, bad scale.
    """
    if lms not in FORMATS:
        raise GradingError(f"Expected lms in {FORMATS}. Received: lms={lms!r}")
    if not assignment_title.strip():
        raise GradingError("The assignment title is empty", hint="pass --title")
    if scale is not None and not scale > 0:
        raise GradingError(f"Expected scale > 0. Received: scale={scale!r}")
    rows = read_grades(grades_dir)
    ids = CANVAS_COLUMNS[1:4] if lms == "canvas" else MOODLE_IDS
    people = _roster(roster, ids, lms)
    _check_mapped(rows, people, roster)
    by_student = {r.student: r for r in rows}
    warnings = [
        f"{r.student}: {r.ungraded:g} points still need manual grading" for r in rows if r.ungraded
    ] + [f"{r.student}: status {r.status}" for r in rows if r.status == "grader-error"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if lms == "canvas":
        writer.writerow([*CANVAS_COLUMNS, assignment_title])
        points = scale if scale is not None else max((r.max_points for r in rows), default=0)
        writer.writerow(["Points Possible", "", "", "", "", f"{points:g}"])
        for student, person in sorted(people.items()):
            row = by_student.get(student)
            grade = _grade(row, scale) if row else ""
            writer.writerow([*(person.get(c, "") for c in CANVAS_COLUMNS), grade])
    else:
        columns = [c for c in MOODLE_IDS if any(p.get(c) for p in people.values())]
        writer.writerow([*columns, assignment_title, "Feedback"])
        for student, person in sorted(people.items()):
            row = by_student.get(student)
            grade, feedback = (_grade(row, scale), row.feedback) if row else ("", "")
            writer.writerow([*(person.get(c, "") for c in columns), grade, feedback])
    return buffer.getvalue(), warnings


def write_export(
    grades_dir: str | Path,
    roster: str | Path,
    lms: str,
    assignment_title: str,
    out: str | Path,
    scale: float | None = None,
) -> list[str]:
    """`export_csv` written atomically to ``out``; returns the warnings."""
    text, warnings = export_csv(grades_dir, roster, lms, assignment_title, scale)
    write_text_atomic(out, text)
    return warnings
