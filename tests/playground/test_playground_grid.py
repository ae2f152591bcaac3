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


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "tanh", "relu", "selu"])
def test_numpy_forward_pass_matches_keras_for_every_activation(activation):
    """The fast NumPy path gives the numbers the Keras model itself computes."""
    from course_lib.playground import Playground, PlaygroundConfig
    from course_lib.playground.grid import _dense_stack, layer_outputs

    pg = Playground(PlaygroundConfig(hidden=(5, 3), activation=activation, batch_size=20,
                                     features=("x1", "x2", "x1^2", "x1x2")),
                    dataset="xor", noise=0.1, n=120)
    pg.step(2)  # weights away from their initial values
    assert _dense_stack(pg.model) is not None, "playground models should take the NumPy path"
    _, _, points = grid_points(resolution=25)
    x = pg.features(points * 3.0)  # well into the saturating ranges
    fast = layer_outputs(pg.model, x)
    keras_out = x
    for layer, got in zip(pg.model.layers, fast, strict=True):
        keras_out = np.asarray(layer(keras_out, training=False))
        # float32 sums in another order: agree to float32 precision of the layer's scale
        scale = max(1.0, float(np.abs(keras_out).max()))
        np.testing.assert_allclose(got, keras_out, rtol=1e-5, atol=1e-6 * scale,
                                   err_msg=f"layer {layer.name} ({activation})")
    np.testing.assert_allclose(pg.predict_proba(points * 3.0),
                               np.asarray(pg.model(x, training=False)).ravel(),
                               rtol=1e-5, atol=1e-6)


def test_forward_pass_falls_back_to_keras_for_other_layers():
    import keras

    from course_lib.playground.grid import _dense_stack, layer_outputs

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="gelu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    assert _dense_stack(model) is None
    x = np.linspace(-1, 1, 20, dtype="float32").reshape(10, 2)
    outs = layer_outputs(model, x)
    assert [o.shape for o in outs] == [(10, 3), (10, 3), (10, 1)]
    np.testing.assert_allclose(outs[-1], np.asarray(model(x, training=False)), rtol=1e-6)
