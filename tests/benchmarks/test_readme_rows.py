"""The README's speed figures are the ones in benchmarks/results/, copied verbatim."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rows():
    path = ROOT / "benchmarks" / "readme_rows.py"
    spec = importlib.util.spec_from_file_location("readme_rows", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rendered_row_is_in_the_readme(rows):
    missing = rows.missing_from_readme()
    assert not missing, (
        "README.md 'Library speed' rows differ from benchmarks/results/; paste the output of "
        f"`python benchmarks/readme_rows.py`. Expected these rows verbatim: {missing}"
    )


def test_a_changed_result_is_caught(rows, tmp_path, monkeypatch):
    """The check fails when a results file says something else than the README."""
    data = json.loads((ROOT / "benchmarks" / "results" / "import_time.json").read_text())
    data["import course_lib"]["median_s"] += 0.5
    (tmp_path / "import_time.json").write_text(json.dumps(data))
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    rendered = rows.import_row()
    assert rendered is not None and rendered not in (ROOT / "README.md").read_text()
    assert rows.missing_from_readme() == [rendered]


def test_goal_misses_are_stated(rows, tmp_path, monkeypatch):
    (tmp_path / "dashboards.md").write_text(
        "| dashboard | preheated | cold |\n|---|---|---|\n"
        "| fast_one | 2.0 s ✓ | 9.0 s |\n| slow_one | 7.5 s ✗ | 30.0 s |\n")
    monkeypatch.setattr(rows, "RESULTS", tmp_path)
    row = rows.dashboards_row()
    assert "slow one 7.5 s" in row and "**missed** (slow one)" in row, row
