"""The playground in a Jupyter kernel: one image per cell if static, widgets if interactive."""

from __future__ import annotations

import os

import pytest

CELLS = [
    "from course_lib.views.playground import show_playground, show_perceptron, plot_loss_curves",
    "show_playground('xor', n=60, epochs=2, hidden=(3,), batch_size=30)",
    "show_perceptron('xor', epochs=5)",
]


def _run(views: str, backend: str | None = None) -> list:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    env = {"COURSE_VIEWS": views, "COURSE_FAST": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
           "MPLBACKEND": backend}
    old = {key: os.environ.get(key) for key in env}
    for key, value in env.items():  # the kernel inherits this process's environment
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb.cells


def _rich_outputs(cell) -> list[dict]:
    return [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


@pytest.mark.slow
@pytest.mark.parametrize("backend", [None, "Agg"], ids=["inline-backend", "MPLBACKEND=Agg"])
def test_static_mode_shows_each_figure_exactly_once(backend):
    cells = _run("static", backend)
    for cell in cells[1:]:
        outputs = _rich_outputs(cell)
        assert [("image/png" in o["data"]) for o in outputs] == [True], cell.outputs
        assert not any(o.output_type == "error" for o in cell.outputs)


@pytest.mark.slow
def test_interactive_mode_shows_widgets():
    cells = _run("interactive")
    for cell in cells[1:]:
        outputs = _rich_outputs(cell)
        assert len(outputs) == 1, cell.outputs
        assert "application/vnd.jupyter.widget-view+json" in outputs[0]["data"]
