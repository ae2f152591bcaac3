"""1-D gradient descent: the update rule, tangents, too-small / good / too-large rates."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.optim import (
    LOSSES_1D,
    OptimError,
    get_loss_1d,
    gradient_descent_1d,
    learning_rate_examples,
)


def test_each_step_follows_the_update_rule():
    path = gradient_descent_1d(learning_rate=0.1, start=-1.0, steps=5)
    w = path.weights
    np.testing.assert_allclose(w[1:], w[:-1] - 0.1 * 2.0 * (w[:-1] - 2.0))
    np.testing.assert_allclose(path.losses, (w - 2.0) ** 2)
    np.testing.assert_allclose(path.slopes, 2.0 * (w - 2.0))


def test_tangent_touches_the_curve_with_the_derivative_as_slope():
    path = gradient_descent_1d(learning_rate=0.1, start=-1.0, steps=3)
    ws, ls = path.tangent(1, half_width=0.5)
    assert ws.mean() == pytest.approx(path.weights[1])
    assert ls.mean() == pytest.approx(path.losses[1])
    assert (ls[1] - ls[0]) / (ws[1] - ws[0]) == pytest.approx(path.slopes[1])


@pytest.mark.parametrize("loss", list(LOSSES_1D))
def test_too_small_good_too_large(loss):
    runs = learning_rate_examples(loss=loss, start=-1.0 if loss == "quadratic" else 2.0, steps=10)
    assert list(runs) == ["too small", "good", "too large"]
    spec = get_loss_1d(loss)
    good, small, large = runs["good"], runs["too small"], runs["too large"]
    # good gets (nearly) to a minimum, too small is still on its way, too large overshoots
    assert abs(float(spec.derivative(good.weights[-1]))) < 0.05
    assert small.losses[-1] > good.losses[-1] + 0.1
    assert np.all(np.diff(small.losses) < 0)
    assert large.diverged or abs(float(spec.derivative(large.weights[-1]))) > 0.1
    assert np.any(
        np.sign(np.diff(large.weights[:4])) != np.sign(large.weights[1] - large.weights[0])
    )


def test_too_large_on_the_quadratic_diverges_and_stops():
    path = gradient_descent_1d(learning_rate=1.5, start=-1.0, steps=100)
    assert path.diverged
    assert len(path.weights) < 101
    assert np.all(np.isfinite(path.losses))


def test_learning_rates_can_be_overridden():
    runs = learning_rate_examples(learning_rates={"good": 0.5})
    assert runs["good"].learning_rate == 0.5
    assert runs["good"].weights[1] == pytest.approx(2.0)  # lr = 1/curvature lands exactly


def test_unknown_loss_suggests_a_name():
    with pytest.raises(OptimError, match="Did you mean 'quadratic'"):
        gradient_descent_1d(0.1, loss="quadratc")


@pytest.mark.parametrize("start", [[1.0], "1", float("nan"), True])
def test_start_must_be_one_number(start):
    with pytest.raises(OptimError, match="start"):
        gradient_descent_1d(0.1, start=start)


def test_negative_learning_rate_and_zero_steps():
    with pytest.raises(OptimError, match="learning_rate=-0.1"):
        gradient_descent_1d(-0.1)
    with pytest.raises(OptimError, match="steps=0"):
        gradient_descent_1d(0.1, steps=0)
