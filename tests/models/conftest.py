"""Fixtures for the compute tests of course_lib.models (recurrent layers, classification)."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _headless(static_views):
    """Static views and no leftover figures (see tests/conftest.py)."""
