"""Helpers for the grading tests: tiny notebooks built in memory."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CORPUS = Path(__file__).parent / "corpus"


def nbg(grade_id: str | None = None, **flags) -> dict:
    meta = dict(flags)
    if grade_id is not None:
        meta["grade_id"] = grade_id
    return {"nbgrader": meta}


def make_nb(*cells) -> nbformat.NotebookNode:
    """Cells as ``("code"|"md", source, metadata)`` tuples."""
    built = []
    for kind, source, *meta in cells:
        factory = new_code_cell if kind == "code" else new_markdown_cell
        built.append(factory(source, metadata=meta[0] if meta else {}))
    nb = new_notebook(cells=built)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    return nb
