"""What grading produces: the assignment's test cells and each student's results.

These types have a module of their own so that the autograder, the gradebook and
the feedback writer all import them from here and not from each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from course_lib.grading.markers import CellRole


@dataclass(frozen=True)
class TestCell:
    """One graded cell of the assignment.

    Attributes:
        grade_id: the cell's name.
        points: points it is worth.
        source: the full test code (hidden tests included, markers removed).
        has_hidden: whether part of it is hidden from students.
    """

    __test__ = False  # not a pytest class

    grade_id: str
    points: float
    source: str
    has_hidden: bool


@dataclass(frozen=True)
class ManualCell:
    """A cell a person grades: a manually graded answer or task (nbgrader's kinds).

    Attributes:
        grade_id: the cell's name.
        points: points a person may give.
        cell_type: ``"code"`` or ``"markdown"``.
        kind: ``"answer"`` (grade + solution) or ``"task"``.
        stub: the cell as the exercise gives it (an answer equal to it is empty).
    """

    grade_id: str
    points: float
    cell_type: str
    kind: str = "answer"
    stub: str = ""


@dataclass(frozen=True)
class Assignment:
    """An instructor's source notebook, ready for grading.

    Attributes:
        name: the notebook's stem, e.g. ``"01_perceptron"``.
        notebook: the normalized source notebook.
        roles: one `CellRole` per cell.
        tests: the test cells in notebook order.
        sha256: digest of the source file's bytes (gradebook rows remember it).
        limits: defaults from ``metadata.course_grading`` in the source.
        manual: cells graded by a person, in notebook order.
    """

    name: str
    notebook: Any
    roles: tuple[CellRole, ...]
    tests: tuple[TestCell, ...]
    sha256: str
    limits: dict[str, float]
    manual: tuple[ManualCell, ...] = ()

    @property
    def max_points(self) -> float:
        """Points of everything graded: test cells and manually graded cells."""
        return sum(t.points for t in self.tests) + sum(m.points for m in self.manual)


@dataclass
class TestResult:
    """The score of one test cell for one student."""

    __test__ = False

    grade_id: str
    points: float
    max_points: float
    status: str
    reason: str = ""
    hidden: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "ok"


@dataclass
class ManualResult:
    """One manually graded cell for one student.

    Attributes:
        grade_id: the cell's name.
        max_points: its points.
        status: ``"needs-grading"`` (a person must grade it), ``"unanswered"``
            (left as the stub, empty or deleted: 0 points, as in nbgrader) or
            ``"graded"`` (a score from the manual-scores file).
        points: points given; ``None`` while it needs grading.
        comment: the grader's comment for the student.
        answer: the student's answer (shortened), for the person grading.
        kind: ``"answer"`` or ``"task"``.
    """

    grade_id: str
    max_points: float
    status: str = "needs-grading"
    points: float | None = None
    comment: str = ""
    answer: str = ""
    kind: str = "answer"


@dataclass
class SubmissionResult:
    """Everything the grader found out about one submission.

    Attributes:
        student: the student's name (folder or file stem).
        tests: one `TestResult` per test cell of the assignment.
        status: ``"ok"``, or ``+``-joined problems: ``"timeout"``,
            ``"kernel-died"``, ``"not-run"``, ``"unreadable"``, ``"missing"``,
            ``"grader-error"``.
        notes: human-readable details for the instructor.
        submission_sha256: digest of the submitted notebook's bytes.
        assignment_sha256: digest of the source notebook used.
        duration: seconds spent grading.
        isolation: what the sandbox applied (memory, network, cgroup).
        cell_errors: problems in the student's own cells (``label: error``),
            safe to show the student.
        manual: one `ManualResult` per manually graded cell.
        tampering: what the grader found the notebook changing in the kernel
            (input transformers, library functions, builtins) before a test.
    """

    student: str
    tests: list[TestResult]
    status: str = "ok"
    notes: list[str] = field(default_factory=list)
    submission_sha256: str = ""
    assignment_sha256: str = ""
    duration: float = 0.0
    isolation: dict[str, Any] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)
    manual: list[ManualResult] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)

    @property
    def auto_total(self) -> float:
        """Points from test cells."""
        return sum(t.points for t in self.tests)

    @property
    def manual_total(self) -> float:
        """Points given by a person (and the zeros of unanswered manual cells)."""
        return sum(m.points or 0.0 for m in self.manual)

    @property
    def ungraded(self) -> float:
        """Points of manual cells still waiting for a person."""
        return sum(m.max_points for m in self.manual if m.points is None)

    @property
    def total(self) -> float:
        return self.auto_total + self.manual_total

    @property
    def max_points(self) -> float:
        """Points of everything graded: tests and manual cells."""
        return sum(t.max_points for t in self.tests) + sum(m.max_points for m in self.manual)


def result_to_dict(result: SubmissionResult) -> dict[str, Any]:
    """A JSON-ready copy of ``result`` (``results/STUDENT.json`` in the output folder)."""
    return asdict(result)


def result_from_dict(data: dict[str, Any]) -> SubmissionResult:
    """The inverse of `result_to_dict`.

    Raises:
        KeyError, TypeError: ``data`` is not a stored result.
    """
    data = dict(data)
    data["tests"] = [TestResult(**t) for t in data["tests"]]
    data["manual"] = [ManualResult(**m) for m in data.get("manual", [])]
    return SubmissionResult(**data)
