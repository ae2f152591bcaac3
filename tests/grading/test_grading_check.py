"""`course check` and `course grade` as a student and an instructor use them."""

from __future__ import annotations

import copy
import csv

import nbformat

from course_lib.cli import main as course_main
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
