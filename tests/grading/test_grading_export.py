"""Canvas and Moodle grade-import CSVs from a gradebook and a roster."""

from __future__ import annotations

import csv
import io

import pytest

from course_lib.cli import main as course_main
from course_lib.errors import GradingError
from course_lib.grading.export import export_csv

GRADEBOOK = (
    "student,test_a,essay,total,max,status,auto,manual,ungraded,notes,duration_s,"
    "submission_sha256,assignment_sha256\n"
    "ada,2,1.5,3.5,4,ok,2,1.5,0,,1.0,x,y\n"
    "bob,0,,0,4,ok,0,0,2,,1.0,x,y\n"
)
FEEDBACK = (
    "# Feedback: ps1\n\n**Student:** ada  \n**Score:** 3.5 / 4 (automatic 2, manual 1.5)  \n\n"
    "| Test | Points | Result | Details |\n|---|---|---|---|\n| test_a | 2 / 2 | passed |  |\n"
)


@pytest.fixture
def grades(tmp_path):
    folder = tmp_path / "grades"
    (folder / "feedback").mkdir(parents=True)
    (folder / "gradebook.csv").write_text(GRADEBOOK)
    (folder / "feedback" / "ada.md").write_text(FEEDBACK)
    return folder


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_canvas_columns_points_possible_and_grades(grades, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student;ID;SIS User ID;SIS Login ID;Section;student\n"
        '"Lovelace, Ada";101;S1;ada@x;A;ada\n"Babbage, Bob";102;S2;bob@x;A;bob\n'
        '"Curie, Cy";103;S3;cy@x;B;cy\n'
    )
    text, warnings = export_csv(grades, roster, "canvas", "Problem set 1 (5521)")
    assert _rows(text) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Problem set 1 (5521)"],
        ["Points Possible", "", "", "", "", "4"],
        ["Lovelace, Ada", "101", "S1", "ada@x", "A", "3.5"],
        ["Babbage, Bob", "102", "S2", "bob@x", "A", "0"],
        ["Curie, Cy", "103", "S3", "cy@x", "B", ""],  # no submission: grade left alone
    ]
    assert warnings == ["bob: 2 points still need manual grading"]
    text, _ = export_csv(grades, roster, "canvas", "PS1", scale=100)
    assert _rows(text)[1][-1] == "100" and _rows(text)[2][-1] == "87.5"


def test_moodle_identifier_grade_and_feedback(grades, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,Email address\nada,ada@x\nbob,bob@x\n")
    rows = _rows(export_csv(grades, roster, "moodle", "PS1")[0])
    assert rows[0] == ["Email address", "PS1", "Feedback"]
    assert rows[1][:2] == ["ada@x", "3.5"]
    assert "Score: 3.5 / 4 (automatic 2, manual 1.5)" in rows[1][2]
    assert "test_a - 2 / 2 - passed" in rows[1][2]
    assert rows[2] == ["bob@x", "0", ""]


def test_unmapped_students_are_an_error_and_nothing_is_written(grades, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,ID number\nada,S1\n")
    out = tmp_path / "moodle.csv"
    with pytest.raises(GradingError, match=r"1 graded student\(s\) are not in the roster .*: bob"):
        export_csv(grades, roster, "moodle", "PS1")
    code = course_main(
        [
            "export",
            str(grades),
            "--lms",
            "moodle",
            "--roster",
            str(roster),
            "--title",
            "PS1",
            "--out",
            str(out),
        ]
    )
    assert code == 2 and not out.exists()


@pytest.mark.parametrize(
    ("roster_text", "words"),
    [
        ("student,Name\nada,Ada\n", "needs one of the columns"),
        ("student,ID\nada,1\nada,2\nbob,3\n", "'ada' is listed twice"),
        ("student,Email address,ID number\nada,,\nbob,b@x,\n", "'ada' has none of"),
    ],
)
def test_bad_rosters(grades, tmp_path, roster_text, words):
    roster = tmp_path / "roster.csv"
    roster.write_text(roster_text)
    lms = "canvas" if "ID\n" in roster_text.split("\n")[0] + "\n" else "moodle"
    with pytest.raises(GradingError, match=words):
        export_csv(grades, roster, lms, "PS1")


def test_cli_export_writes_the_file(grades, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student,ID number\nada,S1\nbob,S2\n")
    code = course_main(
        ["export", str(grades), "--lms", "moodle", "--roster", str(roster), "--title", "PS1"]
    )
    assert code == 0
    assert (grades / "moodle_import.csv").read_text().startswith("ID number,PS1,Feedback\n")
    assert "not final: bob: 2 points still need manual grading" in capsys.readouterr().out
