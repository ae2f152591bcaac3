"""SimpleRNN in numpy vs Keras, hidden states, gradient norms, parameter formulas."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import CourseError
from course_lib.models.rnn import (
    NotRecurrentError,
    SequenceInputError,
    hidden_states,
    input_gradient_norms,
    rnn_parameter_count,
    simple_rnn_forward,
)

pytestmark = pytest.mark.slow


def _rng(seed=0):
    return np.random.default_rng(seed)


def test_numpy_forward_matches_keras_simple_rnn():
    import keras

    keras.utils.set_random_seed(1)
    layer = keras.layers.SimpleRNN(5, return_sequences=True)
    x = _rng().normal(size=(3, 7, 4)).astype("float32")
    expected = np.asarray(layer(x))
    kernel, recurrent, bias = layer.get_weights()
    ours = simple_rnn_forward(x, kernel, recurrent, bias)
    assert ours.shape == (3, 7, 5)
    np.testing.assert_allclose(ours, expected, atol=1e-5)
    last = simple_rnn_forward(x[0], kernel, recurrent, bias, return_sequences=False)
    np.testing.assert_allclose(last, expected[0, -1], atol=1e-5)


def test_numpy_forward_differs_when_recurrence_dropped():
    """A plausible bug (forgetting h_{t-1} U) must not pass as correct."""
    import keras

    keras.utils.set_random_seed(2)
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    x = _rng(1).normal(size=(1, 6, 3)).astype("float32")
    expected = np.asarray(layer(x))
    kernel, recurrent, bias = layer.get_weights()
    no_memory = simple_rnn_forward(x, kernel, np.zeros_like(recurrent), bias)
    assert not np.allclose(no_memory[:, 1:], expected[:, 1:], atol=1e-3)


def test_numpy_forward_bad_shapes():
    w, u, b = np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)
    with pytest.raises(SequenceInputError, match=r"x.shape=\(5, 2\)"):
        simple_rnn_forward(np.zeros((5, 2)), w, u, b)
    with pytest.raises(SequenceInputError, match="recurrent_kernel"):
        simple_rnn_forward(np.zeros((5, 3)), w, np.zeros((3, 3)), b)
    with pytest.raises(SequenceInputError, match="bias"):
        simple_rnn_forward(np.zeros((5, 3)), w, u, np.zeros(3))
    with pytest.raises(SequenceInputError, match="activation"):
        simple_rnn_forward(np.zeros((5, 3)), w, u, b, activation="softsign")


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("input_dim,units", [(1, 1), (8, 16), (32, 7)])
def test_parameter_formula_matches_keras(kind, input_dim, units):
    import keras

    layer = getattr(keras.layers, kind)(units)
    layer.build((None, 5, input_dim))
    assert rnn_parameter_count(kind, input_dim, units) == layer.count_params()


def test_parameter_formula_gru_reset_before_and_no_bias():
    import keras

    gru = keras.layers.GRU(6, reset_after=False)
    gru.build((None, 3, 4))
    assert rnn_parameter_count("gru", 4, 6, reset_after=False) == gru.count_params()
    lstm = keras.layers.LSTM(6, use_bias=False)
    lstm.build((None, 3, 4))
    assert rnn_parameter_count("lstm", 4, 6, use_bias=False) == lstm.count_params()
    with pytest.raises(NotRecurrentError, match="Conv1D"):
        rnn_parameter_count("Conv1D", 4, 6)


def _token_model(layer_cls, mask_zero=False):
    import keras

    keras.utils.set_random_seed(3)
    return keras.Sequential([
        keras.Input(shape=(6,), dtype="int32"),
        keras.layers.Embedding(20, 4, mask_zero=mask_zero),
        layer_cls(5),                          # returns only the last state
        keras.layers.Dense(1, activation="sigmoid"),
    ])


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_hidden_states_last_step_is_layer_output(kind):
    import keras

    model = _token_model(getattr(keras.layers, kind))
    x = np.array([3, 5, 7, 2, 9, 11])
    hs = hidden_states(model, x, tokens=list("abcdef"))
    assert hs.states.shape == (6, 5) and hs.layer_type == kind and hs.tokens == tuple("abcdef")
    rnn = model.layers[1]
    last = np.asarray(keras.Model(model.inputs[0], rnn.output)(x[None]))[0]
    np.testing.assert_allclose(hs.states[-1], last, atol=1e-5)
    assert not np.allclose(hs.states[0], hs.states[-1])


def test_hidden_states_simple_rnn_equals_numpy_recurrence():
    import keras

    model = _token_model(keras.layers.SimpleRNN)
    x = np.array([1, 2, 3, 4, 5, 6])
    embedded = np.asarray(model.layers[0](x[None]))[0]
    expected = simple_rnn_forward(embedded, *model.layers[1].get_weights())
    np.testing.assert_allclose(hidden_states(model, x).states, expected, atol=1e-5)


def test_hidden_states_respect_padding_mask():
    import keras

    model = _token_model(keras.layers.GRU, mask_zero=True)
    hs = hidden_states(model, np.array([4, 8, 2, 0, 0, 0]))
    assert hs.mask.tolist() == [True, True, True, False, False, False]
    np.testing.assert_allclose(hs.states[3], hs.states[2], atol=1e-6)  # state carried


def test_hidden_states_non_recurrent_layer_names_it():
    import keras

    model = _token_model(keras.layers.LSTM)
    with pytest.raises(NotRecurrentError, match=r"'dense.*Dense") as info:
        hidden_states(model, np.arange(6), layer=-1)
    assert "Fix:" in str(info.value) and isinstance(info.value, CourseError)
    dense_only = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(NotRecurrentError, match="Dense"):
        hidden_states(dense_only, np.zeros(4))
    bi = keras.Sequential([keras.Input((5, 2)), keras.layers.Bidirectional(keras.layers.LSTM(3))])
    with pytest.raises(NotRecurrentError, match="Bidirectional"):
        hidden_states(bi, np.zeros((5, 2)), layer=0)
    with pytest.raises(NotRecurrentError, match="nope"):
        hidden_states(model, np.arange(6), layer="nope")


def test_hidden_states_bad_batch_and_tokens():
    import keras

    model = _token_model(keras.layers.SimpleRNN)
    with pytest.raises(SequenceInputError, match=r"x.shape=\(2, 6\)"):
        hidden_states(model, np.ones((2, 6), dtype=int))
    with pytest.raises(SequenceInputError, match="3 tokens"):
        hidden_states(model, np.arange(6), tokens=["a", "b", "c"])


def _ratio(layer, x, y, edit=None):
    import keras

    model = keras.Sequential([keras.Input(x.shape[1:]), layer, keras.layers.Dense(1)])
    if edit is not None:
        layer.set_weights(edit(layer.get_weights()))
    result = input_gradient_norms(model, x, y, loss="mse")
    assert result.norms.shape == (x.shape[1],) and np.all(result.norms >= 0) and result.loss > 0
    return result.ratio_first_to_last


def test_gradient_norms_follow_the_per_step_factor():
    """SimpleRNN: shrinking U shrinks early gradients; LSTM: a forget gate near 1 keeps them."""
    import keras

    x = _rng(4).uniform(-1, 1, size=(32, 40, 1)).astype("float32")
    y = x[:, 0]
    keras.utils.set_random_seed(0)
    plain = _ratio(keras.layers.SimpleRNN(16), x, y)
    keras.utils.set_random_seed(0)
    shrunk = _ratio(keras.layers.SimpleRNN(16), x, y, edit=lambda w: [w[0], 0.5 * w[1], w[2]])
    assert shrunk < plain / 100, (shrunk, plain)

    def forget_bias(value):
        def edit(w):
            units = w[1].shape[0]
            w[2][units:2 * units] = value          # gate order i, f, c, o
            return w
        return edit

    keras.utils.set_random_seed(0)
    default = _ratio(keras.layers.LSTM(16), x, y)
    keras.utils.set_random_seed(0)
    remembering = _ratio(keras.layers.LSTM(16), x, y, edit=forget_bias(4.0))
    assert default < 0.05 and remembering > 100 * default, (default, remembering)


def test_gradient_norms_match_finite_difference():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4, 2)), keras.layers.SimpleRNN(3),
                              keras.layers.Dense(1)])
    x = _rng(6).normal(size=(1, 4, 2)).astype("float64")
    y = np.zeros((1, 1), dtype="float32")
    norms = input_gradient_norms(model, x.astype("float32"), y, loss="mse").norms

    def loss_at(xx):
        return float(np.mean(np.asarray(model(xx.astype("float32"))) ** 2))

    eps = 1e-2
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (loss_at(up) - loss_at(down)) / (2 * eps)
    np.testing.assert_allclose(norms, np.linalg.norm(grad[0], axis=-1), rtol=5e-2, atol=1e-4)


def test_gradient_norms_bad_input():
    import keras

    model = keras.Sequential([keras.Input((4, 1)), keras.layers.SimpleRNN(2),
                              keras.layers.Dense(1)])
    with pytest.raises(SequenceInputError, match="token ids"):
        input_gradient_norms(model, np.zeros((2, 4), dtype="int32"), np.zeros(2), loss="mse")
    with pytest.raises(SequenceInputError, match="3 targets"):
        input_gradient_norms(model, np.zeros((2, 4, 1), "float32"), np.zeros(3), loss="mse")
    with pytest.raises(CourseError, match="compile"):
        input_gradient_norms(model, np.zeros((2, 4, 1), "float32"), np.zeros(2))
