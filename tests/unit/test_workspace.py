"""The student workspace: exercises and dashboards copied, never overwritten, no hidden tests."""

from __future__ import annotations

import importlib.util
import json

import pytest

from course_lib.cli import main
from course_lib.workspace import WorkspaceError, prepare_workspace
from tests.conftest import REPO


def _load_checker():
    spec = importlib.util.spec_from_file_location(
        "hidden_tests_check", REPO / "scripts" / "hidden_tests_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _load_checker()


def _notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [{"cell_type": "code", "source": c, "metadata": {}} for c in cells],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


@pytest.fixture
def source(tmp_path):
    """A small course source: instructor notebook with a hidden test, its exercise, solutions."""
    src = tmp_path / "src"
    for folder in ("notebooks", "exercises", "solutions", "dashboards/runs"):
        (src / folder).mkdir(parents=True)
    hidden = "assert secret_answer(7) == 49, 'hidden: squares'"
    (src / "notebooks" / "01_x.ipynb").write_text(
        _notebook(
            ["x = 1", f"assert x == 1\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"]
        )
    )
    (src / "exercises" / "01_x.ipynb").write_text(_notebook(["x = ...", "assert x == 1"]))
    (src / "solutions" / "01_x.ipynb").write_text(_notebook(["x = 1", "assert x == 1"]))
    (src / "dashboards" / "replay.ipynb").write_text(_notebook(["show()"]))
    (src / "dashboards" / "runs" / "a.json").write_text("{}")
    (src / "exercises" / ".ipynb_checkpoints").mkdir()
    (src / "exercises" / ".ipynb_checkpoints" / "01_x-checkpoint.ipynb").write_text("{}")
    return src


def test_student_workspace_has_exercises_and_dashboards_only(source, tmp_path):
    ws = tmp_path / "ws"
    report = prepare_workspace(ws, source=source)
    files = sorted(str(p.relative_to(ws)) for p in ws.rglob("*") if p.is_file())
    assert files == [
        "dashboards/replay.ipynb",
        "dashboards/runs/a.json",
        "exercises/01_x.ipynb",
    ], files
    assert sorted(report.copied) == files and report.kept == []
    assert report.folders == ["exercises", "dashboards"]


def test_existing_student_files_are_never_overwritten(source, tmp_path):
    ws = tmp_path / "ws"
    prepare_workspace(ws, source=source)
    mine = ws / "exercises" / "01_x.ipynb"
    mine.write_text("my answer")
    (source / "exercises" / "02_y.ipynb").write_text(_notebook(["y = ..."]))
    report = prepare_workspace(ws, source=source)
    assert mine.read_text() == "my answer"
    assert "exercises/01_x.ipynb" in report.kept
    assert report.copied == ["exercises/02_y.ipynb"], report.copied


def test_solutions_only_when_asked(source, tmp_path):
    ws = tmp_path / "ws"
    prepare_workspace(ws, source=source)
    assert not (ws / "solutions").exists()
    report = prepare_workspace(ws, source=source, solutions=True)
    assert report.copied == ["solutions/01_x.ipynb"], report.copied
    assert not (ws / "notebooks").exists()


def test_solutions_missing_from_a_graded_build_is_a_clear_error(source, tmp_path):
    import shutil

    shutil.rmtree(source / "solutions")
    with pytest.raises(WorkspaceError, match="without solutions"):
        prepare_workspace(tmp_path / "ws", source=source, solutions=True)
    assert not (tmp_path / "ws" / "exercises").exists()


@pytest.mark.parametrize("inside", ["notebooks/ws", "exercises", "solutions/a"])
def test_workspace_inside_the_source_is_refused(source, inside):
    with pytest.raises(WorkspaceError, match="outside the course source"):
        prepare_workspace(source / inside, source=source)


def test_source_without_exercises_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match="exercises/"):
        prepare_workspace(tmp_path / "ws", source=tmp_path / "nowhere")


def test_cli_copies_and_says_how_to_get_solutions(source, tmp_path, capsys):
    assert main(["workspace", str(tmp_path / "ws"), "--source", str(source)]) == 0
    out = capsys.readouterr().out
    assert "3 files copied" in out and "--solutions" in out
    assert main(["workspace", str(source / "notebooks"), "--source", str(source)]) == 2


def test_checker_finds_a_leaked_hidden_test(source, tmp_path):
    leaked = tmp_path / "leaked"
    leaked.mkdir()
    (leaked / "copy.ipynb").write_text((source / "notebooks" / "01_x.ipynb").read_text())
    (leaked / "notes.txt").write_text("assert secret_answer(7) == 49, 'hidden: squares'\n")
    hits = checker.leaks(source / "notebooks", [leaked])
    assert any("copy.ipynb" in h and "marker" in h for h in hits), hits
    assert any("notes.txt" in h and "hidden test line" in h for h in hits), hits
    assert checker.leaks(source / "notebooks", [source / "exercises"]) == []


def test_repository_workspace_holds_no_hidden_tests(tmp_path):
    """The real course: the workspace `make lab` opens (with solutions too) leaks nothing."""
    ws = tmp_path / "ws"
    prepare_workspace(ws, source=REPO, solutions=True)
    groups = checker.hidden_lines(REPO / "notebooks")
    assert len(groups) >= 7, f"expected hidden tests in >= 7 notebooks, got {sorted(groups)}"
    assert (ws / "exercises" / "00_welcome.ipynb").exists()
    assert (ws / "dashboards" / "runs").is_dir()
    assert checker.leaks(REPO / "notebooks", [ws]) == []
