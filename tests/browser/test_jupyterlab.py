"""JupyterLab in a real browser: it loads, a notebook opens, a cell runs and shows its output."""

from __future__ import annotations

import os
import re
import time

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.slow


def test_lab_loads_with_token_and_shows_the_launcher(lab_server, page):
    page.goto(f"{lab_server['base']}/lab?token={lab_server['token']}")
    page.locator(".jp-Launcher").first.wait_for(state="visible", timeout=60_000)
    assert "JupyterLab" in page.title()
    # the file browser lists the notebook of the temporary root folder
    page.locator(".jp-DirListing-item", has_text="check.ipynb").wait_for(state="visible")
    assert page.console_errors == []


def test_lab_without_token_asks_for_login(lab_server, page):
    page.goto(f"{lab_server['base']}/lab")
    page.wait_for_url("**/login**")
    assert page.locator("input[type=password]").count() >= 1
    assert page.locator(".jp-Launcher").count() == 0


def test_notebook_opens_and_a_cell_runs(lab_server, page):
    from playwright.sync_api import expect

    page.goto(f"{lab_server['base']}/lab/tree/check.ipynb?token={lab_server['token']}")
    cell = page.locator(".jp-NotebookPanel .jp-CodeCell").first
    cell.wait_for(state="visible", timeout=60_000)
    expect(cell.locator(".jp-InputArea-editor")).to_contain_text("answer = 6 * 7")
    # the status bar says when the kernel is connected and idle
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=90_000)
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    output.wait_for(state="visible", timeout=90_000)
    assert output.inner_text().strip() == "the answer is 42"
    expect(cell.locator(".jp-InputPrompt")).to_have_text("[1]:")
    assert page.console_errors == []
    if os.environ.get("COURSE_BROWSER_SCREENSHOTS"):  # for looking at them, not for asserts
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "jupyterlab-notebook.png"))


def test_every_view_shows_its_picture_once_in_jupyterlab(lab_server, page):
    """The display-once cases of tests/views/test_display_kernel.py, run cell by cell in Lab."""
    from tests.views.test_display_kernel import STATIC_CASES

    # a workspace of its own: the notebook opened by the test above must not be restored beside it
    page.goto(f"{lab_server['base']}/lab/workspaces/display-once/tree/display_once.ipynb"
              f"?token={lab_server['token']}")
    cells = page.locator(".jp-NotebookPanel .jp-CodeCell")
    cells.first.wait_for(state="visible", timeout=60_000)
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=90_000)
    cells.first.locator(".jp-InputArea-editor").click()
    for _ in range(len(STATIC_CASES) + 1):
        page.keyboard.press("Shift+Enter")
    last = cells.nth(len(STATIC_CASES))
    last.locator(".jp-InputPrompt", has_text=re.compile(r"\[\d+\]")).wait_for(timeout=300_000)
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(timeout=300_000)
    expected = [n for _, n in STATIC_CASES]

    def counts():
        return [cells.nth(i + 1).locator(".jp-OutputArea-output img").count()
                for i in range(len(STATIC_CASES))]

    # outputs render a moment after the kernel goes idle: wait (bounded) for them to settle
    got, deadline = counts(), time.monotonic() + 30
    while got != expected and time.monotonic() < deadline:
        page.wait_for_timeout(500)
        got = counts()
    page.wait_for_timeout(1000)  # and nothing more arrives late
    got = counts()
    wrong = [(src, want, have) for (src, want), have in zip(STATIC_CASES, got, strict=True)
             if want != have]
    assert got == expected, f"(cell, expected images, got) that differ: {wrong}"
    assert page.console_errors == []
