"""The optimizer explorer keeps what was asked for, says what it changed, and shows errors."""

from __future__ import annotations

import pytest

from course_lib.optim.errors import OptimError
from course_lib.views.optim import explorer as explorer_module
from course_lib.views.optim import optimizer_explorer

pytestmark = pytest.mark.slow


@pytest.fixture
def interactive(monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "interactive")


def test_requests_outside_the_slider_ranges_are_kept(interactive):
    explorer = optimizer_explorer("bowl", "sgd", learning_rate=2e-5, start=(9.0, -7.5), steps=800)
    assert explorer.steps.value == 800 and explorer.path.steps_requested == 800
    assert explorer.learning_rate.value == pytest.approx(2e-5)
    assert (explorer.start_x.value, explorer.start_y.value) == (9.0, -7.5)
    assert explorer.path.start == pytest.approx((9.0, -7.5))
    explorer.set(steps=900, learning_rate=300.0)
    assert explorer.path.steps_requested == 900
    assert explorer.path.learning_rate == pytest.approx(300.0)


def test_the_first_path_is_computed_once(interactive, monkeypatch):
    calls = []
    real = explorer_module.optimizer_path
    monkeypatch.setattr(explorer_module, "optimizer_path",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    optimizer_explorer("bowl", "momentum", steps=10)
    assert len(calls) == 1


def test_values_the_widget_resets_are_named_in_the_status_line(interactive):
    explorer = optimizer_explorer("bowl", "sgd", learning_rate=0.05, steps=10)
    explorer.optimizer.value = "adam"
    message, kind = explorer.picture.last_status
    assert kind == "note" and "learning rate set to the suggested" in message
    explorer.surface.value = "himmelblau"
    message, kind = explorer.picture.last_status
    assert kind == "note" and "start reset to" in message
    explorer.steps.value = 12  # an ordinary change: plain status again
    assert explorer.picture.last_status[1] == "info"


def test_an_error_in_a_callback_is_shown_and_the_picture_kept(interactive, monkeypatch):
    explorer = optimizer_explorer("bowl", "sgd", steps=10)
    before = bytes(explorer.image.value)

    def refuse(*_args, **_kwargs):
        raise OptimError("Expected momentum >= 0. Received: momentum=-1.", hint="use 0.9.")

    monkeypatch.setattr(explorer_module, "optimizer_path", refuse)
    explorer.steps.value = 15  # must not raise out of the widget callback
    assert explorer.picture.last_status[1] == "error"
    assert "momentum=-1" in explorer.status.value and "Fix: use 0.9." in explorer.status.value
    assert bytes(explorer.image.value) == before
