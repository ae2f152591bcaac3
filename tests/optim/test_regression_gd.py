"""Batch vs mini-batch vs stochastic GD on a noisy line, and the normal equations."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.optim import (
    OptimError,
    compare_batch_sizes,
    gradient_descent_regression,
    make_regression_problem,
    normal_equation,
)


@pytest.fixture(scope="module")
def problem():
    return make_regression_problem(n_samples=100, seed=3)


def test_problem_is_seeded_and_noisy(problem):
    again = make_regression_problem(n_samples=100, seed=3)
    np.testing.assert_array_equal(problem.x, again.x)
    np.testing.assert_array_equal(problem.y, again.y)
    residual = problem.y - (problem.true_w * problem.x + problem.true_b)
    assert 0.7 < residual.std() < 1.3
    assert not np.array_equal(problem.y, make_regression_problem(seed=4).y)


def test_normal_equation_matches_numpy_lstsq(problem):
    design = np.column_stack([problem.x, np.ones_like(problem.x)])
    expected = np.linalg.lstsq(design, problem.y, rcond=None)[0]
    np.testing.assert_allclose(normal_equation(problem), expected, rtol=1e-10)
    w, b = normal_equation(problem)
    # it really is the minimum: nudging either parameter raises the MSE
    best = float(problem.mse(w, b))
    for dw, db in [(0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)]:
        assert float(problem.mse(w + dw, b + db)) > best


def test_mse_is_the_mean_of_squared_errors(problem):
    w, b = 1.5, -0.5
    assert float(problem.mse(w, b)) == pytest.approx(np.mean((w * problem.x + b - problem.y) ** 2))
    grid = problem.mse(np.full((3, 4), w), np.full((3, 4), b))
    assert grid.shape == (3, 4)


def test_batch_gd_goes_straight_to_the_normal_equation(problem):
    path = gradient_descent_regression(problem, batch_size=None, learning_rate=0.1, steps=200)
    assert path.label == "batch (n=100)"
    np.testing.assert_allclose(path.final, normal_equation(problem), atol=1e-3)
    assert np.all(np.diff(path.losses) <= 1e-12)  # full-batch GD never goes uphill here
    assert path.epochs == 200


def test_minibatch_and_sgd_end_near_the_normal_equation_but_noisier(problem):
    paths = compare_batch_sizes(problem, learning_rate=0.05, steps=200)
    assert list(paths) == ["batch (n=100)", "mini-batch (16)", "stochastic (1)"]
    solution = np.array(normal_equation(problem))
    wiggle = {}
    for label, path in paths.items():
        assert path.params.shape == (201, 2)
        tail = path.params[-50:].mean(axis=0)
        assert np.linalg.norm(tail - solution) < 0.2, label
        assert path.losses[-1] < 0.3 * path.losses[0]
        wiggle[label] = np.abs(np.diff(path.losses[100:])).sum()
    assert wiggle["batch (n=100)"] < wiggle["mini-batch (16)"] < wiggle["stochastic (1)"]
    assert paths["stochastic (1)"].epochs == pytest.approx(2.0)


def test_shuffling_is_seeded(problem):
    a = gradient_descent_regression(problem, batch_size=8, steps=30, seed=1)
    b = gradient_descent_regression(problem, batch_size=8, steps=30, seed=1)
    c = gradient_descent_regression(problem, batch_size=8, steps=30, seed=2)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


@pytest.mark.parametrize("batch_size", [0, 101, 2.5, True])
def test_bad_batch_size(problem, batch_size):
    with pytest.raises(OptimError, match=f"batch_size={batch_size!r}"):
        gradient_descent_regression(problem, batch_size=batch_size)


def test_bad_problem_settings_and_start(problem):
    with pytest.raises(OptimError, match="n_samples=1"):
        make_regression_problem(n_samples=1)
    with pytest.raises(OptimError, match="noise=-1"):
        make_regression_problem(noise=-1.0)
    with pytest.raises(OptimError, match="shape"):
        gradient_descent_regression(problem, start=(0.0, 0.0, 0.0))
    with pytest.raises(OptimError, match="learning_rate=-0.05"):
        gradient_descent_regression(problem, learning_rate=-0.05)
