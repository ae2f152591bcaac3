"""The perceptron rule on AND / OR / XOR, and the hidden-layer fix for XOR."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, DataError
from course_lib.playground import (
    perceptron_on_gate,
    solve_xor_with_hidden_layer,
    train_perceptron,
    truth_table,
)

from .conftest import assert_message


@pytest.mark.parametrize("gate", ["and", "or"])
def test_perceptron_learns_linearly_separable_gates(gate):
    run = perceptron_on_gate(gate, learning_rate=0.1, epochs=20)
    x, y = truth_table(gate)
    assert run.converged
    assert run.errors[0] > 0 and run.errors[-1] == 0
    np.testing.assert_array_equal(run.predict(x), y)
    assert run.epochs_to_converge is not None and run.epochs_to_converge <= 10


def test_perceptron_never_learns_xor():
    run = perceptron_on_gate("xor", learning_rate=0.1, epochs=100)
    assert not run.converged and run.epochs_to_converge is None
    assert run.errors.min() >= 1  # every single epoch makes a mistake
    x, y = truth_table("xor")
    assert np.mean(run.predict(x) == y) <= 0.75


def test_weight_history_follows_the_rule_exactly():
    x, y = truth_table("and")
    run = train_perceptron(x, y, learning_rate=0.5, epochs=3)
    assert run.weights.shape == (13, 2) and run.biases.shape == (13,) and run.errors.shape == (3,)
    w, b = np.zeros(2), 0.0
    for step in range(12):
        xi, target = x[step % 4], y[step % 4]
        y_hat = 1 if xi @ w + b > 0 else 0
        w, b = w + 0.5 * (target - y_hat) * xi, b + 0.5 * (target - y_hat)
        np.testing.assert_allclose(run.weights[step + 1], w)
        assert run.biases[step + 1] == pytest.approx(b)
    # weights change only on mistakes: per epoch, #changes == #errors
    changed = np.any(np.diff(run.weights, axis=0) != 0, axis=1) | (np.diff(run.biases) != 0)
    np.testing.assert_array_equal(changed.reshape(3, 4).sum(axis=1), run.errors)


def test_random_start_is_seeded():
    x, y = truth_table("or")
    a = train_perceptron(x, y, seed=1)
    b = train_perceptron(x, y, seed=1)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert np.any(a.weights[0] != 0)


def test_hidden_layer_solves_xor():
    solution = solve_xor_with_hidden_layer(hidden_units=4, epochs=200, seed=0)
    np.testing.assert_array_equal(solution.predictions, [0, 1, 1, 0])
    assert solution.accuracy == 1.0
    assert solution.loss[-1] < 0.1 < solution.loss[0]
    assert solution.model.layers[0].units == 4


def test_bad_gate_and_bad_numbers():
    with pytest.raises(ConfigError) as info:
        truth_table("nand")
    assert_message(info.value, "gate='nand'", "Did you mean 'and'?")
    x, y = truth_table("and")
    with pytest.raises(ConfigError) as info:
        train_perceptron(x, y, learning_rate=-1)
    assert_message(info.value, "learning_rate=-1")
    with pytest.raises(ConfigError):
        train_perceptron(x, y, epochs=0)
    with pytest.raises(DataError):
        train_perceptron(np.zeros((4, 3)), y)
    with pytest.raises(ConfigError):
        solve_xor_with_hidden_layer(hidden_units=0)
