"""Fixtures for the optimizer-path tests: headless matplotlib, static views by default."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _static_views_and_clean_figures(monkeypatch):
    """Views default to static (as under nbval and in CI); no pyplot figure outlives a test."""
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COURSE_VIEWS", "static")
    plt.close("all")
    yield
    plt.close("all")
