"""Fixtures for the playground tests: small datasets and tiny Keras networks, headless views."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _static_views(monkeypatch):
    """Views default to static, as under nbval and in CI; no pyplot figure outlives a test."""
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COURSE_VIEWS", "static")
    yield
    plt.close("all")


@pytest.fixture
def small_playground():
    """A (4, 2) tanh network on 120 circle points, batches of 20: one epoch is a few steps."""
    from course_lib.playground import Playground, PlaygroundConfig

    return Playground(PlaygroundConfig(hidden=(4, 2), batch_size=20), dataset="circles",
                      noise=0.05, n=120)


def assert_message(error: BaseException, *fragments: str) -> None:
    """The error message quotes every fragment (the bad value and the fix)."""
    text = str(error)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in error message:\n{text}"
