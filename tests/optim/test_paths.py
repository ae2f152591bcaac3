"""Optimizer paths: the real Keras optimizers, descent, divergence, bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from course_lib.errors import CourseError
from course_lib.optim import (
    OptimError,
    UnknownOptimizerError,
    UnknownSurfaceError,
    compare_optimizers,
    get_surface,
    make_optimizer,
    optimizer_names,
    optimizer_path,
    surface_names,
)

ALL = ["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw"]


def test_optimizer_names():
    assert optimizer_names() == ALL


@pytest.mark.parametrize("surface", surface_names())
def test_every_optimizer_lowers_the_loss_with_its_suggested_rate(surface):
    paths = compare_optimizers(surface, steps=25)
    assert list(paths) == ALL
    for name, path in paths.items():
        assert not path.diverged, (name, path.stop_reason)
        assert path.steps_taken == 25
        assert path.points.shape == (26, 2)
        assert path.losses.shape == (26,)
        assert np.all(np.isfinite(path.losses))
        assert path.final_loss < path.losses[0], name
        assert path.losses.min() < path.losses[0] - 0.1 * (path.losses[0] - path.surface.min_value)


@pytest.mark.parametrize(
    ("surface", "optimizer"),
    [
        ("bowl", "adam"),
        ("bowl", "momentum"),
        ("himmelblau", "sgd"),
        ("saddle", "adam"),
        ("beale", "nesterov"),
        ("rosenbrock", "sgd"),
    ],
)
def test_sane_learning_rates_reach_a_minimum(surface, optimizer):
    path = optimizer_path(surface, optimizer, steps=200)
    _, distance = path.surface.nearest_minimum(path.final_point)
    assert distance < 0.1
    assert path.final_loss - path.surface.min_value < 1e-2


@pytest.mark.parametrize("surface", surface_names())
def test_huge_learning_rate_diverges_and_stops_cleanly(surface):
    path = optimizer_path(surface, "sgd", learning_rate=50.0, steps=200)
    assert path.diverged is True
    assert path.steps_taken < 200
    assert "learning rate too large" in path.stop_reason
    assert np.all(np.isfinite(path.points))
    assert len(path.losses) == len(path.points) == len(path.gradients) + 1
    assert path.losses[-1] > path.losses[0]
    assert path.label.endswith("diverged")


def test_first_gradient_is_the_exact_gradient_from_the_tape():
    for name in surface_names():
        path = optimizer_path(name, "sgd", learning_rate=1e-4, steps=1)
        surf = path.surface
        np.testing.assert_allclose(
            path.gradients[0], surf.gradient(*surf.default_start), rtol=1e-10
        )


def f32(value: float) -> float:
    """Keras keeps hyper-parameters as float32: use the same rounded numbers by hand."""
    return float(np.float32(value))


def _bowl_grad(p):
    return np.array([0.2 * p[0], 4.0 * p[1]])


def test_plain_sgd_matches_the_hand_computed_update():
    lr, x0 = 0.1, np.array([-9.0, 3.0])
    path = optimizer_path("bowl", "sgd", learning_rate=lr, start=x0, steps=2)
    x1 = x0 - f32(lr) * _bowl_grad(x0)
    x2 = x1 - f32(lr) * _bowl_grad(x1)
    np.testing.assert_allclose(path.points, [x0, x1, x2], rtol=1e-6)
    assert path.keras_class == "SGD"


def test_momentum_matches_the_hand_computed_two_step_update_and_differs_from_sgd():
    lr, m, x0 = 0.1, 0.9, np.array([-9.0, 3.0])
    path = optimizer_path("bowl", "momentum", learning_rate=lr, start=x0, steps=2)
    lr, m = f32(lr), f32(m)
    v1 = -lr * _bowl_grad(x0)
    x1 = x0 + v1
    v2 = m * v1 - lr * _bowl_grad(x1)
    x2 = x1 + v2
    np.testing.assert_allclose(path.points, [x0, x1, x2], rtol=1e-6)
    assert path.settings == {"momentum": 0.9}
    plain = optimizer_path("bowl", "sgd", learning_rate=lr, start=x0, steps=2)
    assert not np.allclose(plain.points[2], path.points[2])


def test_nesterov_matches_the_keras_formula():
    lr, m, x0 = 0.05, 0.5, np.array([4.0, -2.0])
    path = optimizer_path("bowl", "nesterov", learning_rate=lr, start=x0, steps=2, momentum=m)
    x, v = x0.copy(), np.zeros(2)
    lr, m = f32(lr), f32(m)
    for _ in range(2):
        g = _bowl_grad(x)
        v = m * v - lr * g
        x = x + m * v - lr * g
    np.testing.assert_allclose(path.points[-1], x, rtol=1e-6)


def test_adam_matches_the_hand_computed_update():
    lr, b1, b2, eps = 0.3, 0.9, 0.999, 1e-7
    x0 = np.array([-9.0, 3.0])
    path = optimizer_path("bowl", "adam", learning_rate=lr, start=x0, steps=2)
    x, m, v = x0.copy(), np.zeros(2), np.zeros(2)
    lr = f32(lr)
    for t in (1, 2):
        g = _bowl_grad(x)
        # Keras: m += (g - m)(1 - beta_1) with Python floats; the bias-correction powers
        # cast beta to a tensor first, so they use the float32-rounded betas
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        rate = lr * math.sqrt(1 - f32(b2) ** t) / (1 - f32(b1) ** t)
        x = x - rate * m / (np.sqrt(v) + eps)
    np.testing.assert_allclose(path.points[-1], x, rtol=1e-12)
    assert path.keras_class == "Adam"


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("sgd", "SGD"),
        ("adagrad", "Adagrad"),
        ("adadelta", "Adadelta"),
        ("rmsprop", "RMSprop"),
        ("adamw", "AdamW"),
    ],
)
def test_each_name_builds_the_real_keras_class(name, cls):
    import keras

    opt = make_optimizer(name, 0.01)
    assert isinstance(opt, getattr(keras.optimizers, cls))
    assert optimizer_path("bowl", name, learning_rate=0.01, steps=1).keras_class == cls


def test_optimizer_kwargs_reach_keras():
    a = optimizer_path("bowl", "rmsprop", learning_rate=0.05, steps=20)
    b = optimizer_path("bowl", "rmsprop", learning_rate=0.05, steps=20, momentum=0.8)
    assert b.settings == {"momentum": 0.8}
    assert not np.allclose(a.points, b.points)
    assert make_optimizer("momentum", 0.1, momentum=0.3).momentum == 0.3


def test_compare_optimizers_shares_start_and_accepts_a_rate_mapping():
    paths = compare_optimizers(
        "himmelblau", ["adam", "sgd"], learning_rates={"sgd": 0.005}, start=(0.0, 0.0), steps=10
    )
    assert list(paths) == ["adam", "sgd"]
    assert paths["sgd"].learning_rate == 0.005
    assert paths["adam"].learning_rate == get_surface("himmelblau").learning_rates["adam"]
    assert all(p.start == (0.0, 0.0) for p in paths.values())
    one = compare_optimizers("bowl", "adam", learning_rates=0.1, steps=3)
    assert list(one) == ["adam"] and one["adam"].learning_rate == 0.1


def test_to_dict_is_json_ready():
    data = json.loads(json.dumps(optimizer_path("bowl", "adam", steps=5).to_dict()))
    assert data["surface"] == "bowl" and data["steps_taken"] == 5
    assert len(data["points"]) == 6 and data["keras_class"] == "Adam"


# ------------------------------------------------------------------ bad input


def test_unknown_optimizer_suggests_the_close_name():
    with pytest.raises(UnknownOptimizerError) as info:
        optimizer_path("bowl", "adma")
    assert isinstance(info.value, CourseError)
    assert "'adma'" in str(info.value) and "Did you mean 'adam'" in str(info.value)


def test_unknown_surface_in_a_path():
    with pytest.raises(UnknownSurfaceError, match="Did you mean 'himmelblau'"):
        optimizer_path("himelblau", "adam")


def test_unknown_optimizer_argument_suggests_the_right_one():
    with pytest.raises(UnknownOptimizerError) as info:
        optimizer_path("bowl", "sgd", momentun=0.5)
    text = str(info.value)
    assert "momentun" in text and "Did you mean 'momentum'" in text and "SGD" in text


def test_value_rejected_by_keras_becomes_a_course_error():
    with pytest.raises(OptimError, match="momentum"):
        optimizer_path("bowl", "momentum", momentum=-0.5)


@pytest.mark.parametrize("start", [(1.0, 2.0, 3.0), [[1.0, 2.0]], (1.0,), (np.nan, 0.0), "ab"])
def test_start_point_must_be_two_finite_numbers(start):
    with pytest.raises(OptimError) as info:
        optimizer_path("bowl", "adam", start=start)
    assert "start" in str(info.value) and "shape (2,)" in str(info.value)
    assert "Fix: Pass e.g. start=" in str(info.value)


@pytest.mark.parametrize("steps", [0, -3, 2.5, True, "10"])
def test_steps_must_be_a_positive_integer(steps):
    with pytest.raises(OptimError, match=f"Received: steps={steps!r}"):
        optimizer_path("bowl", "adam", steps=steps)


@pytest.mark.parametrize("rate", [-0.1, 0.0, float("nan"), float("inf"), "fast"])
def test_learning_rate_must_be_positive(rate):
    with pytest.raises(OptimError) as info:
        optimizer_path("bowl", "adam", learning_rate=rate)
    assert f"learning_rate={rate!r}" in str(info.value)
    assert "positive" in str(info.value)


def test_compare_with_no_optimizers():
    with pytest.raises(UnknownOptimizerError, match="at least one"):
        compare_optimizers("bowl", [])
