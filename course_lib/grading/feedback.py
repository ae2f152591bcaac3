"""Per-student feedback as Markdown and as self-contained HTML.

Both show the score (automatic and manual parts), which tests passed, why
others failed, manually graded cells with the grader's points and comments,
and notes. Only the test's name, its points, the exception name and message
(or the grader's reason: timeout, dead kernel, ...) are shown. Test source
code and tracebacks never are, so hidden tests cannot leak through feedback:
a test with hidden parts is named "(includes hidden tests)" and nothing more.
The HTML page has its style inline and loads nothing (mail it, upload it to
an LMS, open it offline).
"""

from __future__ import annotations

import html
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
_MANUAL_WORDS = {
    "needs-grading": "not graded yet",
    "unanswered": "no answer",
    "graded": "graded",
}


def feedback_filename(student: str, suffix: str = ".md") -> str:
    """A safe file name for a student's feedback (``ada lovelace`` -> ``ada_lovelace.md``)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"
    return f"{safe}{suffix}"


def _score_line(result: SubmissionResult) -> str:
    line = f"{result.total:g} / {result.max_points:g}"
    if result.manual:
        line += f" (automatic {result.auto_total:g}, manual {result.manual_total:g})"
    if result.ungraded:
        line += f"; {result.ungraded:g} points not graded yet"
    return line


_FOOTER = (
    "A test passes when its cell runs without raising an exception; printed text does not count.",
    "Tests were taken from the instructor's notebook: edits to test cells are ignored.",
)


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
        f"**Score:** {_score_line(result)}  ",
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
    if result.manual:
        lines += [
            "",
            "## Graded by hand",
            "",
            "| Cell | Points | Result | Comment |",
            "|---|---|---|---|",
        ]
        for item in result.manual:
            given = "-" if item.points is None else f"{item.points:g}"
            word = _MANUAL_WORDS.get(item.status, item.status)
            lines.append(
                f"| {_cell(item.grade_id)} | {given} / {item.max_points:g} | {word} "
                f"| {_cell(item.comment)} |"
            )
    if result.tampering:
        lines += ["", "## Changes to the grader found in your notebook", ""]
        lines += [f"- {_cell(t)}" for t in result.tampering]
    if result.cell_errors:
        lines += ["", "## Errors in your own cells", ""]
        lines += [f"- {_cell(error)}" for error in result.cell_errors]
    notes = [note for note in result.notes if note not in result.cell_errors]
    if notes:
        lines += ["", "## Notes from the grader", ""]
        lines += [f"- {_cell(note)}" for note in notes]
    lines += ["", *_FOOTER, ""]
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok{color:#1a7f37}.bad{color:#b42318}.wait{color:#9a6700}
.small{color:#555;font-size:.9rem}
"""


def render_feedback_html(result: SubmissionResult, assignment: Assignment) -> str:
    """Self-contained HTML feedback for one student (same content as `render_feedback`).

    Args:
        result: the student's `SubmissionResult` (manual scores applied).
        assignment: the graded `Assignment` (for its name).

    Returns:
        One HTML page: inline style, no scripts, no external resources;
        every text from the notebook or the grader is escaped.
    """
    e = html.escape
    rows = []
    for test in result.tests:
        word = _STATUS_WORDS.get(test.status, test.status)
        name = e(test.grade_id) + (" <em>(includes hidden tests)</em>" if test.hidden else "")
        css = "ok" if test.passed else "bad"
        details = "" if test.passed else e(test.reason)
        rows.append(
            f"<tr><td>{name}</td><td>{test.points:g} / {test.max_points:g}</td>"
            f'<td class="{css}">{e(word)}</td><td>{details}</td></tr>'
        )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Feedback: {e(assignment.name)} - {e(result.student)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Feedback: {e(assignment.name)}</h1>",
        f"<p><strong>Student:</strong> {e(result.student)}<br>",
        f"<strong>Score:</strong> {e(_score_line(result))}<br>",
        f"<strong>Status:</strong> {e(result.status)}</p>",
    ]
    if rows:
        parts += [
            "<h2>Tests</h2><table><tr><th>Test</th><th>Points</th><th>Result</th>"
            "<th>Details</th></tr>",
            *rows,
            "</table>",
        ]
    if result.manual:
        parts.append(
            "<h2>Graded by hand</h2><table><tr><th>Cell</th><th>Points</th><th>Result</th>"
            "<th>Comment</th></tr>"
        )
        for item in result.manual:
            given = "-" if item.points is None else f"{item.points:g}"
            css = "wait" if item.points is None else "ok"
            word = _MANUAL_WORDS.get(item.status, item.status)
            comment = e(item.comment).replace("\n", "<br>")
            parts.append(
                f"<tr><td>{e(item.grade_id)}</td><td>{given} / {item.max_points:g}</td>"
                f'<td class="{css}">{e(word)}</td><td>{comment}</td></tr>'
            )
        parts.append("</table>")
    for title, items in (
        ("Changes to the grader found in your notebook", result.tampering),
        ("Errors in your own cells", result.cell_errors),
        ("Notes from the grader", [n for n in result.notes if n not in result.cell_errors]),
    ):
        if items:
            parts.append(f"<h2>{title}</h2><ul>")
            parts += [f"<li>{e(item)}</li>" for item in items]
            parts.append("</ul>")
    parts += [f'<p class="small">{e(line)}</p>' for line in _FOOTER]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
