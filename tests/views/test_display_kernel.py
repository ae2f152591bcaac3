"""Display-once in a real Jupyter kernel: small notebooks run through nbclient (the engine
of nbval and of ``nbconvert --execute``), outputs counted, and the HTML export counted too.

Each case is one cell and the number of pictures it must leave behind (PNG images
in static mode, widget views in interactive mode). The table is the specification:
the cell's value, an assignment, a trailing ``;``, a loop, a function, a later cell
asking again, and views drawing into a caller's Axes.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SETUP = """\
%matplotlib inline
from course_lib.views.training import compare_runs, plot_history, plot_metric
from course_lib.views.optim import plot_surface
RUNS = {name: {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.8, 0.7],
               "accuracy": [0.5, 0.7, 0.8], "val_accuracy": [0.4, 0.6, 0.7]}
        for name in ("plain", "dropout")}
"""

#: (cell source, pictures expected under that cell) in static mode
STATIC_CASES = [
    ("compare_runs(RUNS)", 1),
    ("compare_runs(RUNS);", 1),
    ("fig = compare_runs(RUNS)", 1),
    ("fig", 1),  # a later cell asking for it again
    ("fig;", 0),
    ("display(fig)", 1),
    ("fig = compare_runs(RUNS)\nfig", 1),
    ("fig = compare_runs(RUNS)\ndisplay(fig)\nfig", 1),
    ("for metric in ['loss', 'accuracy']:\n    compare_runs(RUNS, metric)", 2),
    ("def lesson():\n    compare_runs(RUNS, 'loss')\n    plot_history(RUNS['plain'])\nlesson()", 2),
    ("plot_metric(RUNS['plain'], 'loss')", 1),  # returns an Axes
    ("ax = plot_surface('bowl');", 1),
    ("ax", 1),
    ("ax = plot_surface('bowl')\nax.set_title('drawn after the call')", 1),
    ("import matplotlib.pyplot as plt\nf, axes = plt.subplots(1, 2, figsize=(8, 3))\n"
     "compare_runs(RUNS, 'loss', axes=axes[0])\nplot_surface('bowl', ax=axes[1]);", 1),
]

INTERACTIVE_SETUP = """\
from course_lib.views.playground import show_perceptron
"""

#: (cell source, widget views expected) in interactive mode
INTERACTIVE_CASES = [
    ("show_perceptron('and')", 1),
    ("show_perceptron('or');", 1),
    ("app = show_perceptron('xor')", 1),
    ("app", 1),
    ("app = show_perceptron('and')\napp", 1),
    ("for gate in ['and', 'or']:\n    show_perceptron(gate)", 2),
]


def _pictures(cell) -> tuple[int, int]:
    """(PNG images, widget views) among a cell's outputs."""
    pngs = widgets = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        pngs += "image/png" in data
        widgets += "application/vnd.jupyter.widget-view+json" in data
    return pngs, widgets


def _run(setup: str, cases: list[tuple[str, int]], mode: str, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", mode)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel uses the inline backend
    monkeypatch.setenv("PYTHONPATH", str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(setup)] + [
        nbformat.v4.new_code_cell(source) for source, _ in cases
    ]
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"a cell failed: {errors[0].get('evalue')}"
    return nb


def test_static_views_show_each_picture_once(tmp_path, monkeypatch):
    nb = _run(SETUP, STATIC_CASES, "static", tmp_path, monkeypatch)
    got = [_pictures(cell)[0] for cell in nb.cells[1:]]
    expected = [n for _, n in STATIC_CASES]
    wrong = [(src, want, have) for (src, want), have in zip(STATIC_CASES, got, strict=True)
             if want != have]
    assert got == expected, f"(cell, expected images, got) that differ: {wrong}"
    # HTML export of the same run: one <img> per picture, nothing else
    from nbconvert import HTMLExporter

    page, _ = HTMLExporter().from_notebook_node(nb)
    assert page.count('src="data:image/png;base64,') == sum(expected)


def test_interactive_views_show_each_widget_once(tmp_path, monkeypatch):
    nb = _run(INTERACTIVE_SETUP, INTERACTIVE_CASES, "interactive", tmp_path, monkeypatch)
    got = [_pictures(cell) for cell in nb.cells[1:]]
    wrong = [(src, want, have) for (src, want), have in zip(INTERACTIVE_CASES, got, strict=True)
             if (0, want) != have]
    assert not wrong, f"(cell, expected widgets, (images, widgets) got) that differ: {wrong}"
