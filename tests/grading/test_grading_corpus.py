"""Grade the synthetic corpus: exact scores, hostile submissions, feedback, resume."""

from __future__ import annotations

import csv
import shutil

import pytest

from course_lib.grading.autograde import Progress, grade_submissions, load_assignment

from .grading_nb import CORPUS

SOURCE = CORPUS / "squares.ipynb"
# student: (test_square /2, test_mean /3, test_clip /1, status)
EXPECTED = {
    "correct": (2, 3, 1, "ok"),
    "partly_correct": (2, 0, 1, "ok"),  # integer division fails a hidden test only
    "wrong": (0, 0, 0, "ok"),
    "syntax_error": (0, 3, 1, "ok"),
    "empty": (0, 0, 0, "ok"),  # the unchanged exercise: NotImplementedError
    "infinite_loop": (0, 3, 1, "timeout"),
    "memory_hog": (2, 0, 1, "ok"),  # MemoryError from the address-space limit
    "kernel_crash": (2, 0, 1, "kernel-died"),  # os._exit; restarted, later cells still count
    "test_edited": (0, 3, 1, "ok"),  # `pass` in the test cell is replaced by the real test
    "fake_passed": (0, 0, 0, "ok"),  # prints "All tests passed!" to stdout and stderr
    "deleted_test": (2, 0, 1, "ok"),  # deleted test cells are re-inserted and run
    "sys_exit": (0, 3, 1, "ok"),
    "huge_output": (2, 3, 1, "ok"),  # 10 MB of output is truncated, the test still counts
    "exit_call": (2, 3, 0, "ok"),  # exit() in place of clip's definition
    "leak_probe": (2, 3, 1, "ok"),  # finds no hidden test on disk or in In[]
    "folder_student": (2, 3, 1, "ok"),  # reads factor.txt from its submission folder
    "not_a_notebook": (0, 0, 0, "unreadable"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("grades")
    events: list[Progress] = []
    summary = grade_submissions(SOURCE, CORPUS / "submissions", out, jobs=2, progress=events.append)
    return summary, out, events


def _rows(path):
    with path.open(newline="") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def test_every_submission_gets_its_exact_score(graded):
    summary, _out, _events = graded
    assert set(summary.results) == set(EXPECTED)
    got = {name: (*(t.points for t in r.tests), r.status) for name, r in summary.results.items()}
    assert got == EXPECTED


def test_gradebook_columns_and_totals(graded):
    summary, _out, _events = graded
    rows = _rows(summary.gradebook)
    assert list(next(iter(rows.values())))[:11] == [
        "student",
        "test_square",
        "test_mean",
        "test_clip",
        "why_mean",  # a manually graded written answer (0 points)
        "total",
        "max",
        "status",
        "auto",
        "manual",
        "ungraded",
    ]
    for name, (sq, mean, clip, status) in EXPECTED.items():
        row = rows[name]
        assert (row["test_square"], row["test_mean"], row["test_clip"]) == tuple(
            f"{v:g}" for v in (sq, mean, clip)
        )
        assert float(row["total"]) == sq + mean + clip
        assert row["max"] == "6" and row["status"] == status
    assert "output truncated" in rows["huge_output"]["notes"]
    assert "restarted 1 time" in rows["kernel_crash"]["notes"]


def test_progress_reports_each_submission_once(graded):
    _summary, _out, events = graded
    assert sorted(e.student for e in events) == sorted(EXPECTED)
    assert [e.done for e in events] == list(range(1, len(EXPECTED) + 1))
    assert all(e.total == len(EXPECTED) and e.result is not None for e in events)


def test_feedback_explains_failures_and_never_shows_hidden_tests(graded):
    _summary, out, _events = graded
    files = sorted((out / "feedback").glob("*.md"))
    assert len(files) == len(EXPECTED)
    hidden_bits = ("HIDDEN-SENTINEL", "square(-4)", "mean([2.5])", "clip(-1", "isclose")
    for path in files:
        text = path.read_text()
        assert not any(bit in text for bit in hidden_bits), path.name
        assert "Traceback" not in text
    crash = (out / "feedback" / "kernel_crash.md").read_text()
    assert "**Score:** 3 / 6" in crash
    assert "| test_mean (includes hidden tests) | 0 / 3 | kernel died | KernelDied" in crash
    loop = (out / "feedback" / "infinite_loop.md").read_text()
    assert "| 0 / 2 | timed out | Timeout: the cell did not finish within the 5s time limit" in loop
    partly = (out / "feedback" / "partly_correct.md").read_text()
    assert "AssertionError: mean of one value" in partly  # the instructor's own message
    syntax = (out / "feedback" / "syntax_error.md").read_text()
    assert "cell 'square': SyntaxError" in syntax
    assert "NameError: name 'square' is not defined" in syntax


def test_resume_keeps_results_and_regrades_only_changed(tmp_path, graded):
    _summary, out, _events = graded
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("correct", "wrong"):
        shutil.copy(CORPUS / "submissions" / f"{name}.ipynb", subs)
    work = tmp_path / "out"
    shutil.copytree(out, work)
    before = _rows(work / "gradebook.csv")
    events: list[Progress] = []
    summary = grade_submissions(SOURCE, subs, work, jobs=2, progress=events.append)
    assert summary.graded == [] and summary.skipped == ["correct", "wrong"]
    assert [e.result for e in events] == [None, None]
    assert _rows(work / "gradebook.csv") == before  # other students' rows kept
    # "wrong" resubmits the correct notebook: only it is graded again
    shutil.copy(CORPUS / "submissions" / "correct.ipynb", subs / "wrong.ipynb")
    summary = grade_submissions(SOURCE, subs, work, jobs=1)
    assert summary.graded == ["wrong"] and summary.skipped == ["correct"]
    after = _rows(work / "gradebook.csv")
    assert after["wrong"]["total"] == "6"
    assert after["memory_hog"] == before["memory_hog"]
    summary = grade_submissions(SOURCE, subs, work, jobs=1, regrade=True)
    assert summary.graded == ["correct", "wrong"]
    assert not list(work.glob("*.tmp")) and not list(work.glob(".gradebook*"))


def test_assignment_limits_come_from_source_metadata():
    assignment = load_assignment(SOURCE)
    assert assignment.limits == {"cell_timeout": 5, "total_timeout": 60, "memory_mb": 1024}
    assert assignment.max_points == 6
    assert [t.grade_id for t in assignment.tests] == ["test_square", "test_mean", "test_clip"]
    assert "HIDDEN-SENTINEL" in assignment.tests[0].source


def test_find_submissions_folders_files_and_conflicts(tmp_path):
    from course_lib.grading.autograde import find_submissions

    nb = (CORPUS / "submissions" / "correct.ipynb").read_bytes()
    layout = {
        "ada/squares.ipynb": nb,
        "ada/scratch.ipynb": nb,
        "bob/my_work.ipynb": nb,
        "cy/notes.txt": b"",
        "dee/a.ipynb": nb,
        "dee/b.ipynb": nb,
        "eve.ipynb": nb,
        "eve/squares.ipynb": nb,
        ".hidden.ipynb": nb,
    }
    for rel, data in layout.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    found = {s.student: s for s in find_submissions(tmp_path, "squares")}
    assert sorted(found) == ["ada", "bob", "cy", "dee", "eve"]
    assert found["ada"].notebook.name == "squares.ipynb"
    assert found["bob"].notebook.name == "my_work.ipynb"
    assert found["cy"].problem == "no .ipynb file in the folder"
    assert "several notebooks and none named squares.ipynb" in found["dee"].problem
    assert found["eve"].notebook is None and "both eve/ and eve.ipynb" in found["eve"].problem
