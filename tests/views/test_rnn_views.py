"""Headless tests of the RNN unroll view (hidden-state heatmap, gradient norms per step)."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ViewError
from course_lib.models.rnn import GradientNorms, HiddenStates, NotRecurrentError
from course_lib.views.display import new_figure
from course_lib.views.rnn import (
    draw_gradient_norms,
    draw_hidden_states,
    show_gradient_norms,
    show_hidden_states,
)


def _states(steps=6, units=40, mask=None):
    values = np.tanh(np.random.default_rng(0).normal(size=(steps, units)))
    return HiddenStates("rnn", "SimpleRNN", values, tuple(f"w{t}" for t in range(steps)), mask)


def test_heatmap_has_one_column_per_step_and_token_labels(static_views):
    fig = draw_hidden_states(_states(), max_units=8)
    ax = fig.axes[0]
    image = ax.images[0].get_array()
    assert image.shape == (8, 6), image.shape                    # units x steps
    np.testing.assert_allclose(image, _states().states[:, :8].T)
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"w{t}" for t in range(6)]
    assert "first 8 of 40 units" in ax.get_title()
    lo, hi = ax.images[0].get_clim()
    assert lo == -hi                                               # symmetric around 0


def test_heatmap_into_callers_axes_and_hatched_padding(static_views):
    fig = new_figure((6, 3))
    ax = fig.add_subplot()
    mask = np.array([True, True, True, False, False, False])
    assert draw_hidden_states(_states(mask=mask), ax=ax) is ax
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 3


def test_heatmap_bad_input(static_views):
    with pytest.raises(ViewError, match="ndarray"):
        draw_hidden_states(np.zeros((3, 4)))
    with pytest.raises(ViewError, match="max_units=0"):
        draw_hidden_states(_states(), max_units=0)
    with pytest.raises(ViewError, match="Axes"):
        draw_hidden_states(_states(), ax="left")


def test_gradient_norm_lines_and_log_scale(static_views):
    a = GradientNorms("SimpleRNN", np.geomspace(1e-6, 1e-2, 20), 0.5)
    b = GradientNorms("LSTM", np.linspace(0.1, 0.2, 20), 0.4)
    ax = draw_gradient_norms([a, b]).axes[0]
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), a.norms)
    np.testing.assert_allclose(lines[0].get_xdata(), np.arange(1, 21))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("SimpleRNN") and "1.0e-04" in labels[0], labels
    linear = show_gradient_norms(a, log=False).axes[0]
    assert linear.get_yscale() == "linear"


def test_gradient_norms_bad_input(static_views):
    with pytest.raises(ViewError, match="nothing"):
        draw_gradient_norms([])
    with pytest.raises(ViewError, match="ndarray"):
        draw_gradient_norms([np.ones(3)])


@pytest.mark.slow
def test_show_hidden_states_from_model_and_non_recurrent_error(static_views):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,), dtype="int32"), keras.layers.Embedding(10, 3),
                              keras.layers.LSTM(4), keras.layers.Dense(1)])
    fig = show_hidden_states(model, np.array([1, 2, 3, 4, 5]), tokens=list("abcde"))
    assert fig.axes[0].images[0].get_array().shape == (4, 5)
    assert "LSTM" in fig.axes[0].get_title()
    with pytest.raises(NotRecurrentError, match="Embedding"):
        show_hidden_states(model, np.arange(5), layer=0)
