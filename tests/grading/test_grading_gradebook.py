"""Gradebooks that went through a spreadsheet are read right or rejected loudly."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from course_lib.errors import GradingError
from course_lib.grading.autograde import grade_submissions, load_assignment
from course_lib.grading.gradebook import read_gradebook
from course_lib.grading.tables import parse_number

from .grading_nb import CORPUS

SOURCE = CORPUS / "squares.ipynb"


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _excel_gradebook(path, square="1,5", sep=";"):
    """A gradebook as a German Excel saves it: BOM, ';', decimal comma, columns moved."""
    assignment = load_assignment(SOURCE)
    sub = _sha(CORPUS / "submissions" / "correct.ipynb")
    header = [
        "status",
        "student",
        "total",
        "test_clip",
        "test_mean",
        "test_square",
        "max",
        "notes",
        "duration_s",
        "assignment_sha256",
        "submission_sha256",
    ]
    row = ["ok", "correct", "5,5", "1", "3", square, "6", "", "2,0", assignment.sha256, sub]
    text = sep.join(header) + "\r\n" + sep.join(row) + "\r\n\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return assignment


def test_decimal_comma_semicolons_bom_and_reordered_columns(tmp_path):
    path = tmp_path / "gradebook.csv"
    assignment = _excel_gradebook(path)
    result = read_gradebook(path, assignment)["correct"]
    assert [(t.grade_id, t.points, t.status) for t in result.tests] == [
        ("test_square", 1.5, "failed"),
        ("test_mean", 3.0, "ok"),
        ("test_clip", 1.0, "ok"),
    ]
    assert result.total == 5.5 and result.max_points == 6


def test_resume_keeps_the_edited_points(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _excel_gradebook(out / "gradebook.csv")
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(CORPUS / "submissions" / "correct.ipynb", subs)
    summary = grade_submissions(SOURCE, subs, out, jobs=1)
    assert summary.skipped == ["correct"]  # same digests: no kernel was started
    assert summary.results["correct"].tests[0].points == 1.5
    rewritten = (out / "gradebook.csv").read_text()
    assert rewritten.startswith("student,test_square,test_mean,test_clip,why_mean,total,max,")
    assert "correct,1.5,3,1,,5.5,6,ok,5.5,0,0," in rewritten


@pytest.mark.parametrize(
    ("square", "words"),
    [
        ("1.234,5", "column 'test_square': not a number. Received: '1.234,5'"),
        ("zwei", "not a number. Received: 'zwei'"),
        ("nan", "not a number. Received: 'nan'"),
        ("7", "7 points is outside 0..2"),
        ("-1", "-1 points is outside 0..2"),
    ],
)
def test_bad_points_are_rejected_with_line_and_column(tmp_path, square, words):
    path = tmp_path / "gradebook.csv"
    assignment = _excel_gradebook(path, square=square)
    with pytest.raises(GradingError, match="line 2") as info:
        read_gradebook(path, assignment)
    assert words in str(info.value)


def test_unquoted_decimal_comma_in_a_comma_file_is_an_error(tmp_path):
    path = tmp_path / "gradebook.csv"
    assignment = _excel_gradebook(path, sep=",")  # 1,5 splits into two values
    with pytest.raises(GradingError, match="more values"):
        read_gradebook(path, assignment)


def test_not_a_gradebook_and_not_utf8(tmp_path):
    assignment = load_assignment(SOURCE)
    path = tmp_path / "gradebook.csv"
    path.write_text("name,score\nada,3\n")
    with pytest.raises(GradingError, match="is not a course gradebook: .*no column 'student'"):
        read_gradebook(path, assignment)
    path.write_bytes("student,total\nJürgen,3\n".encode("latin-1"))
    with pytest.raises(GradingError, match="not UTF-8"):
        read_gradebook(path, assignment)


def test_parse_number():
    assert parse_number("1,5", "x") == parse_number(" 1.5 ", "x") == 1.5
    assert parse_number("", "x") is None and parse_number("2", "x") == 2.0
    for bad in ("1 234", "1e", "inf", "--1", "½"):
        with pytest.raises(GradingError):
            parse_number(bad, "x")
