"""`course check` and `course grade` as a student and an instructor use them."""

from __future__ import annotations

import copy
import csv

import nbformat
import pytest

from course_lib.cli import main as course_main
from course_lib.errors import GradingError
from course_lib.grading.autograde import grade_submissions
from course_lib.grading.build import build_assignment
from course_lib.grading.check import check_notebook, execution_order_problems

from .grading_nb import CORPUS, make_nb

SUBS = CORPUS / "submissions"


def _counts(*counts):
    nb = make_nb(*[("code", f"x{i} = {i}") for i in range(len(counts))])
    for cell, count in zip(nb.cells, counts, strict=True):
        cell.execution_count = count
    return nb


def test_in_order_notebooks_have_no_problems():
    assert execution_order_problems(_counts(1, 2, 3)) == []
    assert execution_order_problems(_counts(None, None, None)) == []
    assert execution_order_problems(_counts(1, 2, None)) == []  # stopped early: fine


def test_out_of_order_execution_is_reported():
    assert execution_order_problems(_counts(2, 1, 3)) == [
        "cell 0 (run as [2]) ran after cell 1 below it (run as [1])"
    ]
    assert execution_order_problems(_counts(1, None, 2)) == [
        "cell 1 was never run although cells below it were"
    ]
    gaps = execution_order_problems(_counts(1, 4, 7))
    assert len(gaps) == 1 and "do not run 1..3" in gaps[0]


def test_check_reports_visible_tests_and_errors(tmp_path):
    nb = nbformat.read(SUBS / "partly_correct.ipynb", 4)
    report = check_notebook(SUBS / "partly_correct.ipynb")
    # hidden tests are not in the student's copy, so integer division passes here
    assert [(t.grade_id, t.passed) for t in report.tests] == [
        ("test_square", True),
        ("test_mean", True),
        ("test_clip", True),
    ]
    assert report.points == report.max_points == 6 and report.ok
    broken = copy.deepcopy(nb)
    broken.cells[2].source = "def square(x)\n    return x"
    broken.cells[2].execution_count, broken.cells[3].execution_count = 2, 1
    path = tmp_path / "mine.ipynb"
    nbformat.write(broken, path)
    report = check_notebook(path)
    assert not report.ok and report.points == 4
    assert report.tests[0].reason == "NameError: name 'square' is not defined"
    assert report.cell_errors[0].startswith("cell 2: SyntaxError")
    assert report.order_problems == [
        "cell 2 (run as [2]) ran after cell 3 below it (run as [1])",
        "cell 1 was never run although cells below it were",
    ]


def test_cli_check_and_grade(tmp_path, capsys):
    assert course_main(["check", str(SUBS / "empty.ipynb"), "--timeout", "5"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  test_square (2 pt): NotImplementedError" in out
    assert "visible tests: 0 / 6 points" in out
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("correct", "fake_passed"):
        (subs / f"{name}.ipynb").write_bytes((SUBS / f"{name}.ipynb").read_bytes())
    out_dir = tmp_path / "grades"
    code = course_main(
        [
            "grade",
            str(CORPUS / "squares.ipynb"),
            str(subs),
            "--out",
            str(out_dir),
            "--jobs",
            "2",
            "--timeout",
            "5",
            "--memory",
            "1024",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "correct: 6/6" in captured.out and "fake_passed: 0/6" in captured.out
    with (out_dir / "gradebook.csv").open() as handle:
        totals = {row["student"]: row["total"] for row in csv.DictReader(handle)}
    assert totals == {"correct": "6", "fake_passed": "0"}
    assert course_main(["grade", "nope.ipynb", str(subs)]) == 2


def _adder():
    from .grading_nb import nbg

    source = make_nb(
        (
            "code",
            "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
            nbg("add", solution=True),
        ),
        ("code", "assert add(2, 3) == 5", nbg("t_add", grade=True, points=1)),
        ("code", "print('x' * 5000)"),
        ("code", "assert add(0, 0) == 0", nbg("t_zero", grade=True, points=1)),
    )
    source.metadata["course_grading"] = {"cell_timeout": 10, "max_output_bytes": 300}
    exercise, _ = build_assignment(source, "adder.ipynb")
    exercise.cells[0].source = "def add(a, b):\n    return a * b"  # wrong, but add(0, 0) == 0
    return source, exercise


def test_check_restores_edited_emptied_and_deleted_tests_as_grading_does(tmp_path):
    source, exercise = _adder()
    nbformat.write(source, tmp_path / "adder.ipynb")
    nb = copy.deepcopy(exercise)
    nb.cells[1].source = ""  # emptied: would have "passed" (nothing ran) before
    del nb.cells[3]  # deleted
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(nb, subs / "mine.ipynb")
    report = check_notebook(subs / "mine.ipynb")
    assert [(t.grade_id, t.passed) for t in report.tests] == [("t_add", False), ("t_zero", True)]
    assert report.tests[0].reason == "AssertionError"
    assert report.restored == [
        "test cell 't_add' was changed; checked with the original",
        "test cell 't_zero' was deleted; checked with the original",
    ]
    # the same limits as grading: max_output_bytes from the notebook's metadata
    assert report.incidents == ["cell 2: output truncated"]
    summary = grade_submissions(tmp_path / "adder.ipynb", subs, tmp_path / "out", jobs=1)
    graded = summary.results["mine"]
    assert [(t.grade_id, t.passed) for t in graded.tests] == [("t_add", False), ("t_zero", True)]
    assert any("output truncated at 300 bytes" in n for n in graded.notes)


def test_check_without_stored_tests_fails_an_emptied_test(tmp_path):
    _source, exercise = _adder()
    del exercise.metadata["course_check"]  # e.g. an nbgrader release
    exercise.cells[1].source = "   "
    path = tmp_path / "release.ipynb"
    nbformat.write(exercise, path)
    report = check_notebook(path)
    assert not report.tests[0].passed and "the test cell is empty" in report.tests[0].reason
    assert not report.ok


def test_check_rejects_unknown_limit_keys(tmp_path):
    _source, exercise = _adder()
    exercise.metadata["course_grading"]["memory"] = 10
    path = tmp_path / "bad.ipynb"
    nbformat.write(exercise, path)
    with pytest.raises(GradingError, match=r"unknown metadata.course_grading keys \['memory'\]"):
        check_notebook(path)
