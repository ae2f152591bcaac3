"""The display layer: every picture is shown exactly once per cell, however the call is written.

A fake front end (``front_end``) stands in for the kernel here; the same cases run
through a real kernel in ``test_display_kernel.py``.
"""

from __future__ import annotations

import pytest

from course_lib.errors import ConfigError, CourseError, ViewError
from course_lib.views import display
from course_lib.views.display import (
    ImageView,
    Presentable,
    axes_or_new,
    figure_png,
    new_figure,
    present,
)


def _figure():
    fig = new_figure((2, 1.5))
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


def test_outside_ipython_present_shows_nothing_and_returns_the_object():
    fig = _figure()
    assert present(fig) is fig


def test_a_figure_shows_once_as_value_assigned_with_semicolon_or_in_a_loop(front_end):
    fig = present(_figure())           # assigned (or followed by ";": the value is dropped)
    front_end.cell_value(fig)          # ... and the same object as the cell's value
    present(fig)                       # a second present in the same cell: nothing more
    front_end.end_cell()
    assert len(front_end.pngs()) == 1
    front_end.next_cell()
    for _ in range(3):                 # a loop: one picture per call
        present(_figure())
    front_end.end_cell()
    assert len(front_end.pngs()) == 4


def test_drawing_on_a_presented_axes_in_the_same_cell_still_shows(front_end):
    ax = present(new_figure((2, 2)).add_subplot())
    ax.set_title("added after the call")
    assert front_end.pngs() == []      # figures wait for the end of the cell
    front_end.end_cell()
    assert len(front_end.pngs()) == 1 and ax.get_title() == "added after the call"


def test_outside_a_cell_figures_show_at_once(front_end):
    front_end.end_cell()               # e.g. a widget callback between cells
    present(_figure())
    assert len(front_end.pngs()) == 1


def test_a_figure_shows_again_in_a_later_cell_only_when_asked(front_end):
    fig = present(_figure())
    front_end.next_cell()
    front_end.end_cell()
    assert len(front_end.pngs()) == 1  # nothing re-appears by itself
    front_end.next_cell()
    front_end.cell_value(fig)          # `fig` alone in a later cell
    front_end.cell_value(fig)
    front_end.end_cell()
    assert len(front_end.pngs()) == 2


def test_an_axes_shows_its_figure_once(front_end):
    ax = present(new_figure((2, 2)).add_subplot())
    front_end.cell_value(ax)
    front_end.cell_value(ax.figure)
    front_end.end_cell()
    assert len(front_end.pngs()) == 1


def test_plain_objects_show_once_and_again_later_without_recursion(front_end):
    class Thing:
        def _repr_html_(self):
            return "<b>thing</b>"

    thing = present(Thing())
    front_end.cell_value(thing)
    assert front_end.shown == [thing]
    front_end.next_cell()
    front_end.cell_value(thing)        # re-shown through its own repr, not our hook
    assert front_end.shown == [thing, thing]


def test_presentable_shows_its_widget_once_per_cell(front_end):
    class View(Presentable):
        def __init__(self):
            self.widget = "the-widget"

    view = present(View())
    front_end.cell_value(view)
    assert front_end.shown == ["the-widget"]
    front_end.next_cell()
    front_end.cell_value(view)
    assert front_end.shown == ["the-widget", "the-widget"]


def test_axes_or_new_composes_into_the_callers_axes():
    fig = new_figure((3, 2))
    ax = fig.add_subplot()
    assert axes_or_new(ax, (1, 1)) == (ax, False)
    new_ax, is_new = axes_or_new(None, (1, 1))
    assert is_new and new_ax.figure is not fig
    with pytest.raises(ViewError, match=r"Received: ax=.not axes. \(a str\)"):
        axes_or_new("not axes", (1, 1), what="plot_x")


def test_figures_never_reach_pyplot():
    import matplotlib.pyplot as plt

    plt.close("all")
    _figure()
    assert plt.get_fignums() == []


def test_figure_png_keeps_the_figure_dpi_and_transparency():
    fig = new_figure((2, 1), dpi=50, facecolor="none")
    small = figure_png(fig)
    big = figure_png(fig, dpi=100)
    assert fig.dpi == 50 and small[:4] == b"\x89PNG" and len(big) > len(small)
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(small)).mode == "RGBA"  # transparent stays transparent
    assert Image.open(BytesIO(figure_png(_figure()))).mode == "RGB"


def test_image_view_status_kinds_and_errors():
    view = ImageView()
    view.say("a < b", "note")
    assert "a &lt; b" in view.status.value and view.last_status == ("a < b", "note")
    with pytest.raises(ViewError, match="kind"):
        view.say("x", "warning")
    view.show_error(ConfigError("Expected 1. Received: 2.", hint="use 1."))
    assert "Received: 2.<br>Fix: use 1." in view.status.value


def test_guard_shows_course_errors_keeps_going_and_clears_them_on_success():
    view = ImageView()
    calls = []

    def callback(value):
        if value < 0:
            raise CourseError(f"Expected value >= 0. Received: value={value}.")
        calls.append(value)
        return value

    guarded = view.guard(callback)
    assert guarded(-1) is None and view.last_status[1] == "error"
    assert "value=-1" in view.status.value
    assert guarded(2) == 2 and view.status.value == "" and calls == [2]


def test_guard_shows_and_reraises_bugs():
    view = ImageView()

    def broken(_):
        raise KeyError("oops")

    with pytest.raises(KeyError):
        view.guard(broken)(1)
    assert "KeyError" in view.status.value


def test_image_view_shows_its_widget(front_end):
    view = present(ImageView())
    front_end.cell_value(view)
    assert front_end.shown == [view.widget]


def test_current_cell_is_zero_outside_ipython():
    assert display.current_cell() == 0
