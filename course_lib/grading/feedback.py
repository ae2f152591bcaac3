"""Per-student feedback as Markdown: which tests passed, why others failed, points.

Only the test's name, its points, the exception name and message (or the
grader's reason: timeout, dead kernel, ...) are shown. Test source code and
tracebacks never are, so hidden tests cannot leak through feedback.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from course_lib.grading.results import Assignment, SubmissionResult

_STATUS_WORDS = {
    "ok": "passed",
    "error": "failed",
    "timeout": "timed out",
    "died": "kernel died",
    "skipped": "not run",
    "failed": "failed",
}


def feedback_filename(student: str) -> str:
    """A safe file name for a student's feedback (``ada lovelace`` -> ``ada_lovelace.md``)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"
    return f"{safe}.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def render_feedback(result: SubmissionResult, assignment: Assignment) -> str:
    """Markdown feedback for one student.

    Args:
        result: the student's `SubmissionResult`.
        assignment: the graded `Assignment` (for its name).

    Returns:
        Markdown text: a score line, a table of tests and notes.
    """
    lines = [
        f"# Feedback: {assignment.name}",
        "",
        f"**Student:** {result.student}  ",
        f"**Score:** {result.total:g} / {result.max_points:g}  ",
        f"**Status:** {result.status}",
        "",
        "| Test | Points | Result | Details |",
        "|---|---|---|---|",
    ]
    for test in result.tests:
        word = _STATUS_WORDS.get(test.status, test.status)
        name = test.grade_id + (" (includes hidden tests)" if test.hidden else "")
        details = "" if test.passed else _cell(test.reason)
        lines.append(
            f"| {_cell(name)} | {test.points:g} / {test.max_points:g} | {word} | {details} |"
        )
    if result.cell_errors:
        lines += ["", "## Errors in your own cells", ""]
        lines += [f"- {_cell(error)}" for error in result.cell_errors]
    notes = [note for note in result.notes if note not in result.cell_errors]
    if notes:
        lines += ["", "## Notes from the grader", ""]
        lines += [f"- {_cell(note)}" for note in notes]
    lines += [
        "",
        "A test passes when its cell runs without raising an exception; "
        "printed text does not count.",
        "Tests were taken from the instructor's notebook: edits to test cells are ignored.",
        "",
    ]
    return "\n".join(lines)
