"""A few notebooks in a real browser: every figure they promise arrives, exactly once.

The full run over every notebook is ``python -m tests.browser.notebook_figures``
(too slow for CI); both read the expected counts from ``expected_figures.json``.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import REPO, new_page, start_voila
from tests.browser.notebook_figures import count_figures, expected_table

pytestmark = pytest.mark.slow

#: quick notebooks (no long training) that cover static figures and pyplot cells
CI_NOTEBOOKS = ["00_welcome", "02_losses_and_gradient_descent"]


@pytest.fixture(scope="module")
def notebook_server(tmp_path_factory):
    """Voila serving notebooks/ (sources stripped, like the dashboards)."""
    server, base = start_voila(REPO / "notebooks", tmp_path_factory.mktemp("voila-notebooks"))
    yield base
    server.stop()


def test_every_notebook_has_an_expected_figure_count():
    # the full run (make notebook-figures) checks them all; a notebook without a count
    # would be checked by nothing
    table = expected_table()["notebooks"]
    notebooks = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")}
    assert set(CI_NOTEBOOKS) <= set(table), "CI notebooks need an expected count"
    stale = set(table) - notebooks
    assert not stale, f"stale names in expected_figures.json: {stale}"
    missing = notebooks - set(table)
    assert not missing, (
        f"no expected figure count for {sorted(missing)}: count the figures the notebook "
        "promises, then run `make notebook-figures FIGURES_ARGS='NN --record'` and review"
    )
    assert all(isinstance(n, int) and n >= 0 for n in table.values()), table


@pytest.mark.parametrize("name", CI_NOTEBOOKS)
def test_notebook_shows_every_expected_figure(name, browser, notebook_server):
    page = new_page(browser)
    try:
        found = count_figures(page, f"{notebook_server}/voila/render/{name}.ipynb",
                              timeout_ms=600_000)
    finally:
        page.context.close()
    expected = expected_table()["notebooks"][name]
    assert not found["errors"], f"{name}: {found['errors']}"
    assert found["figures"] == expected, (
        f"{name}: expected {expected} figures, found {found['figures']}"
    )
