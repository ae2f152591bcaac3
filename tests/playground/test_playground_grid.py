"""Decision grid and neuron maps: shapes, ranges, agreement with the model, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, ModelError
from course_lib.playground import decision_grid, feature_maps, grid_points, neuron_activation_maps

from .conftest import assert_message


def test_decision_grid_shape_range_and_coverage(small_playground):
    pg = small_playground
    pg.step(2)
    xx, yy, probs = decision_grid(pg.model, pg.config.features, (-6, 6, -4, 4), resolution=100)
    assert xx.shape == yy.shape == probs.shape == (100, 100)
    assert probs.min() >= 0.0 and probs.max() <= 1.0
    assert xx.min() == -6 and xx.max() == 6 and yy.min() == -4 and yy.max() == 4
    assert np.all(np.diff(xx[0]) > 0) and np.all(np.diff(yy[:, 0]) > 0)


def test_decision_grid_agrees_with_the_model(small_playground):
    pg = small_playground
    pg.step(2)
    grid = decision_grid(pg, pg.config.features, resolution=7)  # a Playground works too
    points = np.stack([grid.xx.ravel(), grid.yy.ravel()], axis=1)
    np.testing.assert_allclose(grid.probs.ravel(), pg.predict_proba(points), rtol=1e-5, atol=1e-6)
    keras_probs = pg.model.predict(pg.features(points), verbose=0).ravel()
    np.testing.assert_allclose(grid.probs.ravel(), keras_probs, rtol=1e-4, atol=1e-6)


def test_neuron_maps_are_the_hidden_activations(small_playground):
    pg = small_playground
    maps = neuron_activation_maps(pg.model, pg.config.features, resolution=9)
    assert [m.shape for m in maps] == [(4, 9, 9), (2, 9, 9)]
    assert maps[0].min() >= -1 and maps[0].max() <= 1  # tanh
    _, _, points = grid_points(resolution=9)
    kernel, bias = (np.asarray(w) for w in pg.model.layers[0].weights)
    expected = np.tanh(points @ kernel + bias)  # features are x1, x2
    np.testing.assert_allclose(maps[0][:, 4, 2], expected[4 * 9 + 2], rtol=1e-4, atol=1e-5)


def test_feature_maps_are_the_features():
    maps = feature_maps(["x1", "x2^2"], (-1, 1, -2, 2), resolution=3)
    np.testing.assert_allclose(maps[0][0], [-1, 0, 1])
    np.testing.assert_allclose(maps[1][:, 0], [4, 0, 4])


def test_wrong_feature_count_or_not_a_model(small_playground):
    with pytest.raises(ModelError) as info:
        decision_grid(small_playground.model, ["x1", "x2", "x1^2"])
    assert_message(info.value, "3 feature(s)", "playground.config.features")
    with pytest.raises(ModelError) as info:
        decision_grid("a model", ["x1", "x2"])
    assert_message(info.value, "str")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"bounds": (1, -1, 0, 1)}, "bounds=(1, -1, 0, 1)"),
        ({"bounds": (0, 1)}, "bounds=(0, 1)"),
        ({"resolution": 1}, "resolution=1"),
        ({"resolution": 10.0}, "resolution"),
    ],
)
def test_bad_bounds_and_resolution(small_playground, kwargs, fragment):
    with pytest.raises(ConfigError) as info:
        decision_grid(small_playground.model, ["x1", "x2"], **kwargs)
    assert_message(info.value, fragment, "Fix:")
