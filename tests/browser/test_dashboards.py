"""Every Voila dashboard in a real browser: it renders without errors and without code,
and moving a slider changes the figure.

Each dashboard is opened once (its kernel imports TensorFlow, the slow part) and the
tests for it then run on that page in order.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest

from course_lib.lecture import list_dashboards
from tests.browser.conftest import ARTIFACTS, REPO, new_page, save_failure_artifacts

pytestmark = pytest.mark.slow

DASHBOARDS = [d.name for d in list_dashboards(REPO / "dashboards")]
FIRST_WIDGET_TIMEOUT_MS = 150_000


# What a figure is, in the page: ipywidgets Image PNGs, static PNG outputs (a view's
# figure shown by the display layer), or an embedded page (the projector).
FIGURE_SELECTOR = "img.widget-image, .jp-RenderedImage img, .widget-html iframe"
FIGURES_JS = (
    f"() => [...document.querySelectorAll('{FIGURE_SELECTOR}')]"
    ".map(e => e.tagName === 'IMG' ? e.src : e.srcdoc)"
)
# How many figures each dashboard shows in Voila, one line per figure.
EXPECTED_FIGURES = {
    "attention_viewer": 1,      # the head/layer viewer's image
    "decision_boundary": 1,     # the playground app's picture
    "embedding_projector": 1,   # the projector page
    "optimizer_comparison": 2,  # the comparison widget's image, the explorer's image
    "training_replay": 2,       # the replay widget's frame, "all three runs together"
    "translation_steps": 1,     # steps and cross-attention, one picture
}
# Dashboards whose control is a text box (type a sentence) rather than a slider.
TEXT_CONTROLLED = {"translation_steps": "good morning"}
FIRST_CONTROL = ".widget-slider .noUi-handle, .widget-text input"
# The figure a slider drives: the first figure after the first slider, in document order.
SLIDER_FIGURE_JS = """() => {
  const slider = document.querySelector('.widget-slider .noUi-handle');
  const figure = [...document.querySelectorAll('img.widget-image, .widget-html iframe')]
    .find(e => slider.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
  return figure ? (figure.tagName === 'IMG' ? figure.src : figure.srcdoc) : null;
}"""


def _figures(page) -> list[str]:
    return page.evaluate(FIGURES_JS)


@pytest.fixture(scope="module", params=DASHBOARDS)
def dashboard(request, browser, voila_server):
    """One open dashboard page: ``(page, name, seconds to the first slider)``."""
    name = request.param
    page = new_page(browser)
    start = time.monotonic()
    page.goto(f"{voila_server['base']}/voila/render/{name}.ipynb", wait_until="commit")
    page.locator(FIRST_CONTROL).first.wait_for(state="visible", timeout=FIRST_WIDGET_TIMEOUT_MS)
    seconds = time.monotonic() - start
    page.locator("img.widget-image, .widget-html iframe").first.wait_for(
        state="visible", timeout=60_000
    )
    page.wait_for_load_state("load")
    yield page, name, seconds
    page.context.close()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request):
    yield
    if "dashboard" in request.fixturenames:
        save_failure_artifacts(request.getfixturevalue("dashboard")[0], request.node)


def test_the_lecture_dashboards_exist():
    assert {"optimizer_comparison", "decision_boundary", "training_replay",
            "embedding_projector", "attention_viewer"} <= set(DASHBOARDS)
    assert set(DASHBOARDS) <= set(EXPECTED_FIGURES), "add new dashboards to EXPECTED_FIGURES"


def test_dashboard_shows_every_expected_figure(dashboard):
    """Count the figures: each one must arrive (a trailing ``;`` once hid the last one)."""
    page, name, _ = dashboard
    expected = EXPECTED_FIGURES[name]
    with contextlib.suppress(Exception):  # report the count below rather than a timeout
        page.wait_for_function(
            f"(n) => ({FIGURES_JS})().filter(s => s && s.length > 10).length >= n",
            arg=expected, timeout=90_000,
        )
    page.wait_for_timeout(500)  # nothing more arrives late
    figures = [f for f in _figures(page) if f and len(f) > 10]
    assert len(figures) == expected, (
        f"{name}: expected {expected} figures, found {len(figures)}"
    )


def test_dashboard_renders_without_errors_or_code(dashboard):
    page, name, _ = dashboard
    text = page.locator("body").inner_text()
    assert "Traceback" not in text
    assert "There was an error when executing cell" not in text
    # sources are stripped: no code cell inputs, no code
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor").count() == 0
    assert "import " not in text
    # no stderr output (warnings, log lines) shown to the audience
    stderr = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.all_inner_texts()
    # a real figure arrived: PNG bytes in the image widgets, or the projector's page
    figures = _figures(page)
    assert figures, f"{name}: no figure"
    for figure in figures:
        assert figure.startswith(("data:image/png", "blob:", "<!DOCTYPE html>")), figure[:80]
    assert page.console_errors == []


def test_typing_a_sentence_changes_the_figure(dashboard):
    page, name, _ = dashboard
    if name not in TEXT_CONTROLLED:
        pytest.skip(f"{name} is driven by sliders (see the slider test)")
    page.wait_for_function(f"() => ({FIGURES_JS})().every(s => s && s.length > 10)")
    before = page.evaluate(FIGURES_JS)
    box = page.locator(".widget-text input").first
    box.fill(TEXT_CONTROLLED[name])
    box.press("Enter")
    page.wait_for_function(
        f"(before) => {{ const now = ({FIGURES_JS})(); "
        "return now.length && now[0] !== before[0]; }",
        arg=before, timeout=90_000,
    )
    assert page.console_errors == []


def test_moving_a_slider_changes_the_figure(dashboard):
    page, name, _ = dashboard
    if name in TEXT_CONTROLLED:
        pytest.skip(f"{name} has no slider; its text box is tested above")
    slider = page.locator(".widget-slider .noUi-handle").first
    # every figure has arrived before we compare
    page.wait_for_function(f"() => ({FIGURES_JS})().every(s => s && s.length > 10)")
    before = page.evaluate(SLIDER_FIGURE_JS)
    assert before, f"{name}: no figure after the first slider"
    value = float(slider.get_attribute("aria-valuenow"))
    at_max = value >= float(slider.get_attribute("aria-valuemax"))
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    page.wait_for_function(
        f"(before) => {{ const now = ({SLIDER_FIGURE_JS})(); return now && now !== before; }}",
        arg=before,
        timeout=90_000,
    )
    assert float(slider.get_attribute("aria-valuenow")) != value, name
    assert page.console_errors == []
    if os.environ.get("COURSE_BROWSER_SCREENSHOTS"):  # for looking at them, not for asserts
        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(1500)  # let status lines catch up
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)
