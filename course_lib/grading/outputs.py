"""The output folder of `autograde.grade_submissions`, written so it is never half-written.

::

    OUT/gradebook.csv          one row per student (`gradebook`)
    OUT/results/STUDENT.json   everything grading found (`results.result_to_dict`)
    OUT/feedback/STUDENT.md    feedback for the student (`feedback.render_feedback`)
    OUT/feedback/STUDENT.html  the same, self-contained HTML
    OUT/manual_todo.csv        the manual-grading sheet to fill in (`manual`)
    OUT/manual_scores.csv      the checked copy of the last ``--manual`` sheet

Every file is replaced atomically (temporary file + rename). The stored
results keep the details the gradebook has no room for (failure messages,
answers for manual grading), so feedback can be written again when manual
scores arrive for students graded in an earlier run. A stored result is used
only while it agrees with its gradebook row (same digests, same points): a
gradebook edited by hand wins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from course_lib.grading.feedback import feedback_filename, render_feedback, render_feedback_html
from course_lib.grading.gradebook import read_gradebook, write_gradebook, write_text_atomic
from course_lib.grading.manual import (
    ManualScore,
    apply_manual,
    manual_scores_csv,
    manual_todo_csv,
    read_manual_scores,
)
from course_lib.grading.results import (
    Assignment,
    SubmissionResult,
    result_from_dict,
    result_to_dict,
)

_EDITED = "points edited in the gradebook; details of the grading run not shown"


class GradingOutputs:
    """Reads and writes one assignment's output folder.

    Args:
        out: the output folder (created).
        assignment: the graded `Assignment`.
    """

    def __init__(self, out: str | Path, assignment: Assignment) -> None:
        self.out = Path(out)
        self.assignment = assignment
        self.gradebook = self.out / "gradebook.csv"
        self.feedback_dir = self.out / "feedback"
        self.results_dir = self.out / "results"
        self.scores: dict[tuple[str, str], ManualScore] = {}
        self.feedback_dir.mkdir(parents=True, exist_ok=True)

    def load(self) -> dict[str, SubmissionResult]:
        """Results of earlier runs: gradebook rows, with stored details where they agree.

        Raises:
            GradingError: an unreadable gradebook (see `gradebook.read_gradebook`).
        """
        results = read_gradebook(self.gradebook, self.assignment)
        for student, row in results.items():
            stored = self._stored(student)
            if stored is not None and _agree(stored, row):
                results[student] = stored
            elif stored is not None and _EDITED not in row.notes:
                row.notes.append(_EDITED)
        return results

    def load_manual(self, manual: str | Path | None, students: Iterable[str]) -> None:
        """Check the manual-scores sheet (or the copy kept from an earlier run).

        Nothing is written when the sheet has errors.

        Raises:
            GradingError: from `manual.read_manual_scores`.
        """
        kept = self.out / "manual_scores.csv"
        source = Path(manual) if manual is not None else kept
        if manual is None and not kept.is_file():
            return
        self.scores = read_manual_scores(source, self.assignment, students)
        if manual is not None:
            write_text_atomic(kept, manual_scores_csv(self.scores))

    def view(self, result: SubmissionResult) -> SubmissionResult:
        """``result`` with the manual scores applied."""
        return apply_manual(result, self.scores)

    def record(self, results: dict[str, SubmissionResult], result: SubmissionResult) -> None:
        """Store a new result and rewrite its feedback and the gradebook."""
        name = feedback_filename(result.student, ".json")
        text = json.dumps(result_to_dict(result), indent=1, sort_keys=True)
        write_text_atomic(self.results_dir / name, text + "\n")
        self._feedback(self.view(result))
        write_gradebook(self.gradebook, self.views(results), self.assignment)

    def finish(self, results: dict[str, SubmissionResult]) -> None:
        """Rewrite every student's feedback, the gradebook and the manual-grading sheet."""
        views = self.views(results)
        for result in views.values():
            self._feedback(result)
        write_gradebook(self.gradebook, views, self.assignment)
        if self.assignment.manual:
            write_text_atomic(self.out / "manual_todo.csv", manual_todo_csv(views))

    def views(self, results: dict[str, SubmissionResult]) -> dict[str, SubmissionResult]:
        return {student: self.view(result) for student, result in results.items()}

    def _feedback(self, result: SubmissionResult) -> None:
        write_text_atomic(
            self.feedback_dir / feedback_filename(result.student),
            render_feedback(result, self.assignment),
        )
        write_text_atomic(
            self.feedback_dir / feedback_filename(result.student, ".html"),
            render_feedback_html(result, self.assignment),
        )

    def _stored(self, student: str) -> SubmissionResult | None:
        path = self.results_dir / feedback_filename(student, ".json")
        try:
            stored = result_from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return stored if stored.student == student else None


def _agree(stored: SubmissionResult, row: SubmissionResult) -> bool:
    """A stored result matches its gradebook row: same digests and test points."""
    return (
        stored.submission_sha256 == row.submission_sha256
        and stored.assignment_sha256 == row.assignment_sha256
        and [(t.grade_id, t.points) for t in stored.tests]
        == [(t.grade_id, t.points) for t in row.tests]
    )
