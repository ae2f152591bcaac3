"""run_suite.merge_rows: a partial run (``--only``) replaces its notebooks' rows, keeps the rest."""

from __future__ import annotations

import json

import pytest

from tests.exercises.run_suite import merge_rows


def _row(notebook: str, submission: str, got: float) -> dict[str, object]:
    return {"notebook": notebook, "submission": submission, "test": "t", "expected": 1.0,
            "got": got, "ok": got == 1.0, "status": "ok", "seconds": 5.0}


def test_graded_notebook_rows_replace_earlier_ones_and_others_are_kept(tmp_path):
    path = tmp_path / "exercise_suite.json"
    earlier = [_row("01_a", "alt1", 1.0), _row("12_b", "alt1", 0.0), _row("12_b", "old", 0.0)]
    path.write_text(json.dumps({"rows": earlier}), encoding="utf-8")
    merged = merge_rows(path, [_row("12_b", "alt1", 1.0)], ["12_b"])
    assert merged == [_row("01_a", "alt1", 1.0), _row("12_b", "alt1", 1.0)]


def test_graded_notebook_without_new_rows_loses_its_stale_rows(tmp_path):
    path = tmp_path / "exercise_suite.json"
    path.write_text(json.dumps({"rows": [_row("15_c", "wrong1", 0.0)]}), encoding="utf-8")
    assert merge_rows(path, [], ["15_c"]) == []


def test_rows_are_sorted_by_notebook(tmp_path):
    path = tmp_path / "exercise_suite.json"
    path.write_text(json.dumps({"rows": [_row("19_z", "alt1", 1.0)]}), encoding="utf-8")
    merged = merge_rows(path, [_row("02_y", "alt1", 1.0)], ["02_y"])
    assert [r["notebook"] for r in merged] == ["02_y", "19_z"]


def test_no_earlier_file_gives_this_runs_rows(tmp_path):
    rows = [_row("08_x", "alt1", 1.0)]
    assert merge_rows(tmp_path / "absent.json", rows, ["08_x"]) == rows


def test_a_file_that_is_not_a_suite_result_is_refused(tmp_path):
    path = tmp_path / "exercise_suite.json"
    path.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(SystemExit, match="'rows' list"):
        merge_rows(path, [], ["08_x"])
