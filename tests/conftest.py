"""Shared fixtures: every test gets private caches so nothing touches the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_caches(tmp_path_factory, monkeypatch):
    """Point the workbook and Keras caches at per-test temporary folders."""
    root = tmp_path_factory.mktemp("caches")
    monkeypatch.setenv("COURSE_CACHE_DIR", str(root / "course"))
    if "keras" not in __import__("sys").modules:
        monkeypatch.setenv("KERAS_HOME", str(root / "keras"))
    yield


@pytest.fixture
def static_views(monkeypatch):
    """Views draw static figures (as under nbval and in CI); no pyplot figure outlives a test.

    Area conftests make it autouse for their folder.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COURSE_VIEWS", "static")
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def mirror() -> Path:
    """The offline data mirror, or skip when this machine has none."""
    raw = os.environ.get("COURSE_DATA_MIRROR")
    if not raw or not Path(raw).is_dir():
        pytest.skip("COURSE_DATA_MIRROR is not set; `make test` in CI sets it to ../shared/data")
    return Path(raw).resolve()
