"""Collapsed diagrams open a block on click, in a real browser, without JavaScript of ours.

The same HTML form is checked where students see it: loaded as a page, in an HTML
export (nbconvert), in Voila and in JupyterLab. A click on a block's box shows the
diagram with that block opened into its layers; the line above it closes it again.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import start_voila

pytestmark = pytest.mark.slow

SOURCE = """\
import keras
from course_lib.views.diagram import show_diagram

x = inputs = keras.Input((8,), name="x")
for stage in (1, 2):
    for block in (1, 2):
        h = keras.layers.Dense(8, name=f"stage{stage}_block{block}_dense")(x)
        x = keras.layers.Add(name=f"stage{stage}_block{block}_add")([x, h])
model = keras.Model(inputs, keras.layers.Dense(2, name="out")(x), name="stages")
show_diagram(model, collapse=True, max_boxes=4);
"""


def _diagram():
    from course_lib.views.diagram import show_diagram
    from tests.views.test_diagram_click_to_expand import stages_model

    return show_diagram(stages_model(), collapse=True, max_boxes=4)


def _check_clicks(root) -> None:
    """Open stage1 by clicking its box, switch to stage2 from there, close it again."""
    from playwright.sync_api import expect

    collapsed = root.locator(".course-view-0")
    stage1 = root.locator('.course-view[data-block="block:stage1"]')
    stage2 = root.locator('.course-view[data-block="block:stage2"]')
    expect(collapsed).to_be_visible()
    expect(stage1).to_be_hidden()
    expect(stage2).to_be_hidden()
    # the label lies on the block's box as drawn (the picture is scaled to the page width)
    label = collapsed.locator('label.course-open[data-block="block:stage1"]')
    rect = collapsed.locator('g[data-id="block:stage1"] rect')
    got, want = label.bounding_box(), rect.bounding_box()
    assert got is not None and want is not None
    for key in ("x", "y", "width", "height"):
        assert abs(got[key] - want[key]) < 1.5, (key, got, want)
    label.click()
    expect(stage1).to_be_visible()
    expect(collapsed).to_be_hidden()
    expect(stage1.locator('g[data-id="stage1_block2_add"]')).to_be_visible()
    expect(stage1.get_by_text("stage1 (opened block)")).to_be_visible()
    # the arrows of the opened picture keep their heads (their marker is in a shown picture)
    heads = stage1.locator("polyline.edge").first.evaluate(
        "e => document.getElementById(e.getAttribute('marker-end').slice(5, -1))"
        ".closest('.course-view') === e.closest('.course-view')"
    )
    assert heads
    stage1.locator('label.course-open[data-block="block:stage2"]').click()
    expect(stage2).to_be_visible()
    expect(stage1).to_be_hidden()
    stage2.locator("label.course-close").click()
    expect(collapsed).to_be_visible()
    expect(stage2).to_be_hidden()


def test_a_click_opens_a_block_in_a_plain_page(page):
    page.set_content(f"<html><body style='width:700px'>{_diagram().html()}</body></html>")
    _check_clicks(page.locator(".course-diagram-html"))
    assert page.console_errors == []


def test_a_click_opens_a_block_in_an_html_export(page, tmp_path):
    import nbformat
    from nbconvert import HTMLExporter

    diagram = _diagram()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(SOURCE)
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": diagram.html(),
                "image/svg+xml": diagram.svg,
                "text/plain": repr(diagram),
            },
        )
    ]
    nb.cells = [cell]
    body, _ = HTMLExporter().from_notebook_node(nb)
    path = tmp_path / "export.html"
    path.write_text(body, encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator(".course-diagram-html").count() == 1
    _check_clicks(page.locator(".course-diagram-html"))


def _notebook(folder) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SOURCE)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "diagram_click.ipynb")


def test_a_click_opens_a_block_in_voila(page, tmp_path):
    folder = tmp_path / "dashboards"
    folder.mkdir()
    _notebook(folder)
    server, base = start_voila(folder, tmp_path)
    try:
        page.goto(f"{base}/voila/render/diagram_click.ipynb", timeout=180_000)
        root = page.locator(".course-diagram-html")
        root.wait_for(state="attached", timeout=180_000)
        assert root.count() == 1  # shown once, though the call ends with ";"
        _check_clicks(root)
        assert page.console_errors == []
    finally:
        server.stop()


def test_a_click_opens_a_block_in_jupyterlab(lab_server, page):
    _notebook(lab_server["root"])
    page.goto(
        f"{lab_server['base']}/lab/workspaces/diagram-click/tree/diagram_click.ipynb"
        f"?token={lab_server['token']}"
    )
    cell = page.locator(".jp-NotebookPanel .jp-CodeCell").first
    cell.wait_for(state="visible", timeout=60_000)
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=90_000)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    root = cell.locator(".jp-OutputArea-output .course-diagram-html")
    root.wait_for(state="visible", timeout=180_000)
    assert root.count() == 1
    _check_clicks(root)
    assert page.console_errors == []
