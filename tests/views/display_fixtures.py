"""A fake IPython front end for display tests: counts what the display layer shows.

Import the ``front_end`` fixture into a conftest (``from tests.views.display_fixtures
import front_end``) to use it in another folder.
"""

from __future__ import annotations

from typing import Any

import pytest

from course_lib.views import display


class FakeFrontEnd:
    """Stands in for a Jupyter kernel: records every ``display`` call, runs "cells"."""

    def __init__(self) -> None:
        self.shown: list[Any] = []
        self.cell = 1

    def next_cell(self) -> None:
        """The current cell ends (``post_execute``) and the next one starts (``pre_execute``)."""
        self.end_cell()
        display._cell_starts()
        self.cell = display._cell_counter

    def end_cell(self) -> None:
        """What IPython's ``post_execute`` event does: pending figures appear."""
        display._cell_ends()

    def cell_value(self, obj: Any) -> None:
        """What the display hook does with a cell's value (IPython's formatter order)."""
        hook = getattr(obj, "_ipython_display_", None)
        if callable(hook):
            hook()
        elif obj is not None:
            self.shown.append(obj)

    @property
    def pictures(self) -> list[Any]:
        """Shown PNG bundles and widgets (what a person would count as pictures)."""
        return [s for s in self.shown if not isinstance(s, str)]

    def pngs(self) -> list[str]:
        return [s["image/png"] for s in self.shown if isinstance(s, dict) and "image/png" in s]


@pytest.fixture
def front_end(monkeypatch) -> FakeFrontEnd:
    """The display layer talks to a fake front end instead of IPython."""
    fake = FakeFrontEnd()
    shell = object()
    monkeypatch.setattr(display, "_shell", lambda: shell)
    monkeypatch.setattr(display, "_cell_counter", fake.cell)
    monkeypatch.setattr(display, "_in_cell", True)
    monkeypatch.setattr(display, "_pending", [])

    def _record(obj: Any, raw: bool = False) -> None:
        hook = getattr(obj, "_ipython_display_", None)
        if not raw and callable(hook) and not isinstance(obj, dict):
            hook()  # IPython's display() calls the object's own hook first
            return
        fake.shown.append(obj)

    monkeypatch.setattr(display, "_display", _record)
    return fake
