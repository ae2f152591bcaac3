"""What grading produces: the assignment's test cells and each student's results.

These types have a module of their own so that the autograder, the gradebook and
the feedback writer all import them from here and not from each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Assignment:
    """An instructor's source notebook, ready for grading.

    Attributes:
        name: the notebook's stem, e.g. ``"01_perceptron"``.
        notebook: the normalized source notebook.
        roles: one `CellRole` per cell.
        tests: the test cells in notebook order.
        sha256: digest of the source file's bytes (gradebook rows remember it).
        limits: defaults from ``metadata.course_grading`` in the source.
    """

    name: str
    notebook: Any
    roles: tuple[CellRole, ...]
    tests: tuple[TestCell, ...]
    sha256: str
    limits: dict[str, float]

    @property
    def max_points(self) -> float:
        return sum(t.points for t in self.tests)


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

    @property
    def total(self) -> float:
        return sum(t.points for t in self.tests)

    @property
    def max_points(self) -> float:
        return sum(t.max_points for t in self.tests)
