"""Building exercises and solutions: stubs, hidden tests, outputs, determinism, staleness."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_output

from course_lib.cli import main as course_main
from course_lib.errors import GradingError
from course_lib.grading.build import build_all, build_assignment, check_up_to_date, notebook_bytes

from .grading_nb import make_nb, nbg


def _sources(nb):
    return ["".join(c.source) for c in nb.cells]


def test_exercise_has_stub_and_no_hidden_tests(simple_source):
    exercise, solution = build_assignment(simple_source, "double.ipynb")
    ex = _sources(exercise)
    assert ex[1] == "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert ex[2] == "assert double(2) == 4"
    sol = _sources(solution)
    assert sol[1] == "def double(x):\n    return 2 * x"
    assert sol[2] == "assert double(2) == 4"
    for nb in (exercise, solution):
        text = notebook_bytes(nb).decode()
        assert "SECRET" not in text and "HIDDEN TESTS" not in text and "### " not in text
    # grading metadata survives so the grader can match cells
    assert exercise.cells[2].metadata["nbgrader"]["grade_id"] == "test_double"


def test_source_is_not_modified(simple_source):
    before = notebook_bytes(simple_source)
    build_assignment(simple_source, "double.ipynb")
    assert notebook_bytes(simple_source) == before


def test_outputs_counts_and_volatile_metadata_are_cleared(simple_source):
    cell = simple_source.cells[1]
    cell.outputs = [new_output("stream", name="stdout", text="secret output\n")]
    cell.execution_count = 12
    cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00"}
    simple_source.metadata["widgets"] = {"state": {}}
    for nb in build_assignment(simple_source, "double.ipynb"):
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.outputs == [] and c.execution_count is None for c in code)
        assert "execution" not in nb.cells[1].metadata
        assert "widgets" not in nb.metadata
        assert "secret output" not in notebook_bytes(nb).decode()


def test_bytes_are_deterministic_and_independent_of_run_state(simple_source):
    first = [notebook_bytes(nb) for nb in build_assignment(simple_source, "double.ipynb")]
    rerun = nbformat.from_dict(json.loads(json.dumps(simple_source)))
    rerun.cells[2].outputs = [new_output("stream", name="stdout", text="ok\n")]
    rerun.cells[2].execution_count = 3
    second = [notebook_bytes(nb) for nb in build_assignment(rerun, "double.ipynb")]
    assert first == second
    text = first[0].decode()
    assert text.endswith("}\n")
    assert json.loads(text) == json.loads(json.dumps(json.loads(text), sort_keys=True))


def test_cells_without_ids_get_stable_ids(simple_source):
    nb = nbformat.from_dict(json.loads(json.dumps(simple_source)))
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    a = build_assignment(nb, "x.ipynb")[0]
    b = build_assignment(nb, "x.ipynb")[0]
    assert [c["id"] for c in a.cells] == [c["id"] for c in b.cells]
    assert len({c["id"] for c in a.cells}) == 3


def _write(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(notebook_bytes(nb))


def test_build_all_check_and_orphans(tmp_path, simple_source):
    nbs, ex, sol = tmp_path / "notebooks", tmp_path / "exercises", tmp_path / "solutions"
    _write(nbs / "01_double.ipynb", simple_source)
    _write(nbs / "part2" / "02_more.ipynb", simple_source)
    _write(nbs / ".ipynb_checkpoints" / "01_double-checkpoint.ipynb", simple_source)
    stale = check_up_to_date(nbs, ex, sol)
    assert not stale.up_to_date and len(stale.stale) == 4
    report = build_all(nbs, ex, sol)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in report.written) == [
        "exercises/01_double.ipynb",
        "exercises/part2/02_more.ipynb",
        "solutions/01_double.ipynb",
        "solutions/part2/02_more.ipynb",
    ]
    assert check_up_to_date(nbs, ex, sol).up_to_date
    assert build_all(nbs, ex, sol).written == []
    # a hand edit in exercises/ is stale; a generated file without source is an orphan
    (ex / "01_double.ipynb").write_text((ex / "01_double.ipynb").read_text() + " ")
    (sol / "99_gone.ipynb").write_text("{}")
    report = check_up_to_date(nbs, ex, sol)
    assert report.stale == [ex / "01_double.ipynb"]
    assert report.orphans == [sol / "99_gone.ipynb"]
    build_all(nbs, ex, sol)
    assert not (sol / "99_gone.ipynb").exists()
    assert check_up_to_date(nbs, ex, sol).up_to_date


def test_build_with_missing_or_empty_notebooks_dir(tmp_path):
    report = build_all(tmp_path / "nope", tmp_path / "ex", tmp_path / "sol")
    assert report.written == [] and report.up_to_date
    (tmp_path / "empty").mkdir()
    assert check_up_to_date(tmp_path / "empty", tmp_path / "ex", tmp_path / "sol").up_to_date


def test_marker_error_writes_nothing(tmp_path, simple_source):
    nbs = tmp_path / "notebooks"
    _write(nbs / "01_ok.ipynb", simple_source)
    bad = make_nb(("code", "### BEGIN SOLUTION\nx = 1", nbg("x", solution=True)))
    _write(nbs / "02_bad.ipynb", bad)
    with pytest.raises(GradingError, match=r"02_bad.ipynb: cell 0, line 1: .*never closed"):
        build_all(nbs, tmp_path / "ex", tmp_path / "sol")
    assert not (tmp_path / "ex").exists()


def test_cli_build_check_exit_codes(tmp_path, simple_source, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert course_main(["build", "--check"]) == 0  # no notebooks/ at all
    _write(tmp_path / "notebooks" / "01_double.ipynb", simple_source)
    assert course_main(["build", "--check"]) == 1
    assert "out of date: exercises/01_double.ipynb" in capsys.readouterr().out
    assert course_main(["build"]) == 0
    assert course_main(["build", "--check"]) == 0
    _write(tmp_path / "notebooks" / "02_bad.ipynb", make_nb(("code", "### END SOLUTION")))
    assert course_main(["build", "--check"]) == 2
    assert "02_bad.ipynb: cell 0, line 1" in capsys.readouterr().err
