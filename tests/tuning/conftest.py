"""Fixtures for the tuning tests: headless views."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _headless(static_views):
    """Every test here runs with static views and closes its figures (see tests/conftest.py)."""
