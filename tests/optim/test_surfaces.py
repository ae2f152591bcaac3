"""Loss surfaces: values, exact gradients, minima, registry errors."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import CourseError
from course_lib.optim import SURFACES, Surface, UnknownSurfaceError, get_surface, surface_names

NAMES = ["bowl", "rosenbrock", "beale", "himmelblau", "saddle"]


def test_registry_has_the_five_surfaces_in_order():
    assert surface_names() == NAMES
    assert all(isinstance(SURFACES[n], Surface) for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_minima_have_the_minimum_value_and_zero_gradient(name):
    surf = get_surface(name)
    for mx, my in surf.minima:
        assert float(surf.value(mx, my)) == pytest.approx(surf.min_value, abs=1e-9)
        assert np.abs(surf.gradient(mx, my)).max() < 1e-4
        assert surf.x_range[0] < mx < surf.x_range[1]
        assert surf.y_range[0] < my < surf.y_range[1]


@pytest.mark.parametrize("name", NAMES)
def test_minima_are_the_lowest_points_of_the_plot_grid(name):
    surf = get_surface(name)
    _, _, z = surf.grid(150)
    assert z.min() >= surf.min_value - 1e-9
    assert z.shape == (150, 150)


@pytest.mark.parametrize("name", NAMES)
def test_exact_gradient_matches_finite_differences(name):
    surf = get_surface(name)
    rng = np.random.default_rng(1)
    xs = rng.uniform(*surf.x_range, size=20) * 0.5
    ys = rng.uniform(*surf.y_range, size=20) * 0.5
    h = 1e-6
    numeric_x = (surf.value(xs + h, ys) - surf.value(xs - h, ys)) / (2 * h)
    numeric_y = (surf.value(xs, ys + h) - surf.value(xs, ys - h)) / (2 * h)
    exact = surf.gradient(xs, ys)
    np.testing.assert_allclose(exact[0], numeric_x, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(exact[1], numeric_y, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_default_start_is_inside_the_range_and_away_from_the_minimum(name):
    surf = get_surface(name)
    x, y = surf.default_start
    assert surf.x_range[0] <= x <= surf.x_range[1]
    assert surf.y_range[0] <= y <= surf.y_range[1]
    assert float(surf.value(x, y)) > surf.min_value + 1.0
    assert set(surf.learning_rates) == {
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "adadelta",
        "rmsprop",
        "adam",
        "adamw",
    }


def test_saddle_has_a_flat_point_that_is_not_a_minimum():
    surf = get_surface("saddle")
    assert surf.saddle_points == ((0.0, 0.0),)
    assert np.allclose(surf.gradient(0.0, 0.0), 0.0)
    assert float(surf.value(0.0, 0.0)) > surf.min_value


def test_nearest_minimum_on_himmelblau():
    surf = get_surface("himmelblau")
    point, distance = surf.nearest_minimum((-3.7, -3.2))
    assert point == (-3.779310, -3.283186)
    assert distance == pytest.approx(np.hypot(0.07931, 0.083186), rel=1e-4)


def test_lookup_is_case_insensitive_and_passes_surfaces_through():
    assert get_surface(" Rosenbrock ") is SURFACES["rosenbrock"]
    assert get_surface(SURFACES["beale"]) is SURFACES["beale"]


def test_typo_raises_with_a_suggestion():
    with pytest.raises(UnknownSurfaceError) as info:
        get_surface("rosenbrok")
    assert isinstance(info.value, CourseError)
    text = str(info.value)
    assert "'rosenbrok'" in text
    assert "Did you mean 'rosenbrock'?" in text
    assert "Fix:" in text


def test_unrelated_name_lists_all_choices():
    with pytest.raises(UnknownSurfaceError, match="bowl, rosenbrock, beale, himmelblau, saddle"):
        get_surface("zzz")
