"""nbgrader-format assignments grade with nbgrader's meaning; manual scores merge."""

from __future__ import annotations

import csv
import json
import shutil

import nbformat
import pytest

from course_lib.errors import GradingError
from course_lib.grading.autograde import grade_submissions, load_assignment
from course_lib.grading.markers import cell_role, nbgrader_checksum

from .grading_nb import CORPUS, make_nb, nbg

NBG = CORPUS / "nbgrader"
SOURCE = NBG / "source" / "ps1.ipynb"
# student: test_squares /2, (describe /3, explain /2, plot-task /1) manual status
EXPECTED = {
    "complete": (2, ("needs-grading", "needs-grading", "needs-grading")),
    "untouched": (0, ("unanswered", "unanswered", "needs-grading")),
    "commented_test": (0, ("needs-grading", "unanswered", "needs-grading")),
    "deleted_answer": (2, ("unanswered", "unanswered", "needs-grading")),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("ps1")
    summary = grade_submissions(SOURCE, NBG / "submitted", out, jobs=2)
    return summary, out


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_cell_kinds_have_nbgraders_meaning():
    assignment = load_assignment(SOURCE)
    assert [t.grade_id for t in assignment.tests] == ["test_squares"]
    assert [(m.grade_id, m.kind, m.points) for m in assignment.manual] == [
        ("describe", "answer", 3.0),
        ("explain", "answer", 2.0),
        ("plot-task", "task", 1.0),
    ]
    assert assignment.max_points == 8
    roles = {r.grade_id: r for r in assignment.roles if r.grade_id}
    # a manually graded answer is never restored from the instructor's copy
    assert not roles["describe"].locked and roles["describe"].is_manual
    assert roles["test_squares"].locked and roles["test_squares"].is_test


def test_release_checksums_are_nbgraders():
    release = nbformat.read(NBG / "release" / "ps1.ipynb", 4)
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            assert meta["checksum"] == nbgrader_checksum(cell)
    # nbgrader's whole-cell stub for a solution cell without markers
    describe = next(
        c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "describe"
    )
    assert describe.source == "# YOUR CODE HERE\nraise NotImplementedError()"


def test_manual_answers_get_no_automatic_points(graded):
    summary, _out = graded
    got = {
        name: (r.auto_total, tuple(m.status for m in r.manual))
        for name, r in summary.results.items()
    }
    assert got == EXPECTED
    untouched = summary.results["untouched"]
    # the stub `raise NotImplementedError()` earns nothing (it used to earn the 3 points)
    assert untouched.total == 0 and untouched.ungraded == 1
    assert summary.results["complete"].ungraded == 6
    assert "memorised" in summary.results["complete"].manual[1].answer


def test_gradebook_separates_automatic_manual_and_total(graded):
    summary, out = graded
    rows = _rows(summary.gradebook)
    row = rows["complete"]
    assert (row["auto"], row["manual"], row["total"], row["max"], row["ungraded"]) == (
        "2",
        "0",
        "2",
        "8",
        "6",
    )
    assert (row["describe"], row["explain"], row["plot-task"]) == ("", "", "")
    assert rows["untouched"]["describe"] == "0" and rows["untouched"]["ungraded"] == "1"
    todo = _rows_list(out / "manual_todo.csv")
    assert [(r["student"], r["grade_id"], r["status"]) for r in todo][:3] == [
        ("commented_test", "describe", "needs-grading"),
        ("commented_test", "explain", "unanswered"),
        ("commented_test", "plot-task", "needs-grading"),
    ]
    html = (out / "feedback" / "complete.html").read_text()
    assert "Graded by hand" in html and "not graded yet" in html
    assert "squares(0)" not in html and "<script" not in html


def _rows_list(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_manual_scores_merge_and_survive_a_rerun(graded, tmp_path):
    _summary, out = graded
    work = tmp_path / "out"
    shutil.copytree(out, work)
    sheet = tmp_path / "scores.csv"
    # as a German spreadsheet saves it: BOM, ';', decimal comma, columns reordered
    sheet.write_bytes(
        "\ufeffgrade_id;student;comment;points\n"
        "describe;complete;Clear, but no mean;2,5\n"
        "explain;complete;Right idea.;1,5\n"
        "plot-task;complete;;1\n"
        "explain;untouched;Please answer next time;\n".encode()
    )
    summary = grade_submissions(SOURCE, NBG / "submitted", work, jobs=1, manual=sheet)
    assert summary.graded == []  # nothing re-run: the scores were merged
    complete = summary.results["complete"]
    assert (complete.auto_total, complete.manual_total, complete.total) == (2, 5, 7)
    assert complete.ungraded == 0
    row = _rows(work / "gradebook.csv")["complete"]
    assert (row["describe"], row["explain"], row["manual"], row["total"]) == (
        "2.5",
        "1.5",
        "5",
        "7",
    )
    md = (work / "feedback" / "complete.md").read_text()
    assert "| describe | 2.5 / 3 | graded | Clear, but no mean |" in md
    assert "Please answer next time" in (work / "feedback" / "untouched.html").read_text()
    # a second run without --manual keeps them; results on disk hold the raw run
    summary = grade_submissions(SOURCE, NBG / "submitted", work, jobs=1)
    assert summary.results["complete"].total == 7
    stored = json.loads((work / "results" / "complete.json").read_text())
    assert stored["manual"][0]["points"] is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("student,grade_id,points\nzed,describe,1\n", "unknown student 'zed'"),
        ("student,grade_id,points\ncomplete,essay,1\n", "unknown grade_id 'essay'"),
        ("student,grade_id,points\ncomplete,test_squares,1\n", "is an autograded test cell"),
        ("student,grade_id,points\ncomplete,describe,two\n", "not a number. Received: 'two'"),
        ("student,grade_id,points\ncomplete,describe,4\n", "outside 0..3"),
        ("student,grade_id,points\ncomplete,describe,1\ncomplete,describe,2\n", "a second row"),
        ("student;points\ncomplete;1\n", "has no column 'grade_id'"),
    ],
)
def test_bad_manual_sheets_are_rejected_and_nothing_is_written(graded, tmp_path, text, words):
    _summary, out = graded
    work = tmp_path / "out"
    shutil.copytree(out, work)
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    sheet = tmp_path / "bad.csv"
    sheet.write_text(text)
    with pytest.raises(GradingError, match=words):
        grade_submissions(SOURCE, NBG / "submitted", work, jobs=1, manual=sheet)
    assert {p: p.read_bytes() for p in work.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("source", "meta", "cell_type", "words"),
    [
        (
            "x",
            {
                "nbgrader": {
                    "grade_id": "a",
                    "points": 1,
                    "grade": True,
                    "schema_version": 2,
                    "solution": False,
                    "locked": False,
                }
            },
            "code",
            "schema 2 is not supported",
        ),
        ("x", nbg("a b", solution=True), "code", "may only contain letters"),
        ("x", nbg("a", grade=True, points="1"), "code", "Received: points='1'"),
        ("x", nbg("a", grade=True, points=1, solution=False), "md", "graded but not a solution"),
        ("x", nbg("a", solution=True), "md", "a solution cell but not graded"),
        ("x", nbg("a", task=True, points=1), "code", "must be a Markdown cell"),
        ("x", nbg("a", grade=True, points=1, extra=1), "code", "unknown metadata.nbgrader keys"),
        ("### AUTOTEST squares(3)", nbg("a", grade=True, points=1), "code", "AUTOTEST lines"),
        (
            "### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS",
            nbg("a", grade=True, solution=True, points=1),
            "code",
            "hidden tests outside",
        ),
    ],
)
def test_unsupported_or_invalid_nbgrader_metadata_is_rejected(source, meta, cell_type, words):
    nb = make_nb((cell_type, source, meta))
    with pytest.raises(GradingError, match=words):
        cell_role(nb.cells[0], "ps.ipynb", 0)


def test_duplicate_grade_ids_and_nan_points_are_errors(tmp_path):
    nb = make_nb(
        ("code", "x = 1", nbg("same", grade=True, solution=True, points=1)),
        ("md", "y", nbg("same", grade=True, solution=True, points=1)),
    )
    path = tmp_path / "dup.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(GradingError, match="grade_id 'same' is already used by cell 0"):
        load_assignment(path)
    nb = make_nb(("code", "x = 1", nbg("a", grade=True, solution=True, points=float("nan"))))
    with pytest.raises(GradingError, match="needs points >= 0. Received: points=nan"):
        cell_role(nb.cells[0])


def test_cli_grade_with_manual_scores(graded, tmp_path, capsys):
    from course_lib.cli import main as course_main

    _summary, out = graded
    work = tmp_path / "out"
    shutil.copytree(out, work)
    args = ["grade", str(SOURCE), str(NBG / "submitted"), "--out", str(work), "--jobs", "1"]
    assert course_main(args) == 0
    assert "4 student(s) have manually graded cells waiting" in capsys.readouterr().out
    sheet = tmp_path / "sheet.csv"
    rows = [
        f"{s},{g},{p}"
        for s in EXPECTED
        for g, p in (("describe", 1), ("explain", 1), ("plot-task", 1))
    ]
    sheet.write_text("student,grade_id,points\n" + "\n".join(rows) + "\n")
    assert course_main([*args, "--manual", str(sheet)]) == 0
    out_text = capsys.readouterr().out
    assert "waiting" not in out_text and "complete: 5/8" not in out_text  # all kept, none re-run
    assert _rows(work / "gradebook.csv")["complete"]["total"] == "5"
    bad = tmp_path / "bad.csv"
    bad.write_text("student,grade_id,points\nnobody,describe,1\n")
    assert course_main([*args, "--manual", str(bad)]) == 2
    assert "unknown student 'nobody'" in capsys.readouterr().err


def test_a_gradebook_edited_by_hand_wins_over_stored_results(graded, tmp_path):
    _summary, out = graded
    work = tmp_path / "out"
    shutil.copytree(out, work)
    text = (work / "gradebook.csv").read_text()
    lines = text.splitlines()
    header = lines[0].split(",")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == "complete":
            cells[header.index("test_squares")] = '"1,5"'
            lines[i] = ",".join(cells)
    (work / "gradebook.csv").write_text("\n".join(lines) + "\n")
    summary = grade_submissions(SOURCE, NBG / "submitted", work, jobs=1)
    complete = summary.results["complete"]
    assert summary.skipped == sorted(EXPECTED) and complete.auto_total == 1.5
    assert any("points edited in the gradebook" in n for n in complete.notes)
    # the stored details of students whose rows were not edited are kept
    assert summary.results["untouched"].tests[0].reason.startswith("NotImplementedError")
