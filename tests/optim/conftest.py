"""Fixtures for the optimizer-path tests: headless matplotlib, static views by default."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _static_views(monkeypatch):
    """Views default to static, as under nbval and in CI."""
    monkeypatch.setenv("COURSE_VIEWS", "static")
    yield
