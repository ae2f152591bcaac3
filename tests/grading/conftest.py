"""Fixtures for the grading tests."""

from __future__ import annotations

import nbformat
import pytest

from .grading_nb import make_nb, nbg


@pytest.fixture
def simple_source() -> nbformat.NotebookNode:
    return make_nb(
        ("md", "# Double"),
        (
            "code",
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            nbg("double", solution=True),
        ),
        (
            "code",
            "assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-1) == -2  # SECRET\n"
            "### END HIDDEN TESTS",
            nbg("test_double", grade=True, points=2),
        ),
    )
