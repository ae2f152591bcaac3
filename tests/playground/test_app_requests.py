"""The playground app keeps the settings it was given and shows bad ones in its status line."""

from __future__ import annotations

import pytest

from course_lib.playground.model import Playground, PlaygroundConfig
from course_lib.views.playground import PlaygroundApp

pytestmark = pytest.mark.slow


def test_a_large_batch_size_is_kept():
    app = PlaygroundApp(Playground(PlaygroundConfig(batch_size=200, hidden=(2,)), n=300))
    assert app.batch_size.value == 200 and app.playground.config.batch_size == 200


def test_bad_control_values_show_as_errors_and_lose_nothing():
    app = PlaygroundApp(Playground(PlaygroundConfig(hidden=(3,)), n=60))
    app.hidden.value = "4, two"
    assert app.picture.last_status[1] == "error" and "Fix:" in app.status.value
    assert app.playground.config.hidden == (3,)
    app.hidden.value = "2"  # a good value clears the error
    assert app.picture.last_status[1] == "info" and app.playground.config.hidden == (2,)
