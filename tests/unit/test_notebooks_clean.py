"""Committed notebooks carry no outputs and no execution counts."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO

FOLDERS = ("notebooks", "exercises", "solutions", "dashboards")
NOTEBOOKS = sorted(p for f in FOLDERS for p in (REPO / f).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def dirty_cells(path) -> list[str]:
    problems = []
    for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i}: execution_count={cell['execution_count']}")
    return problems


def test_there_are_notebooks():
    assert (REPO / "notebooks" / "00_welcome.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebook_has_no_outputs(path):
    problems = dirty_cells(path)
    assert not problems, (
        f"{path.relative_to(REPO)} has outputs: {problems}. "
        "Fix: Kernel > Restart and Clear Outputs, then save (or "
        "`jupyter nbconvert --clear-output --inplace FILE`)."
    )


def test_the_check_catches_outputs(tmp_path):
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": 3,
                                         "outputs": [{"output_type": "stream"}], "source": ""}]}))
    assert dirty_cells(nb) == ["cell 0: 1 output(s)", "cell 0: execution_count=3"]
