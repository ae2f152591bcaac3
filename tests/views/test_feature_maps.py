"""Convnet feature maps, filters and filter patterns: values, shapes, widgets, errors."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.errors import FeatureMapError, ModelError, ViewError
from course_lib.models.feature_maps import (
    conv_layers,
    feature_maps,
    filter_pattern,
    first_layer_filters,
)
from course_lib.views.feature_maps import (
    FeatureMapViewer,
    draw_feature_map,
    draw_feature_maps,
    draw_filter_patterns,
    draw_filters,
    show_feature_maps,
    tile_channels,
)


@pytest.fixture(scope="module")
def convnet():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((28, 28, 1)),
         keras.layers.Conv2D(6, 3, activation="relu", name="conv1"),
         keras.layers.MaxPooling2D(name="pool1"),
         keras.layers.Conv2D(8, 3, activation="relu", name="conv2"),
         keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax", name="out")],
        name="convnet",
    )


@pytest.fixture(scope="module")
def digit():
    """A real MNIST digit when the mirror is there, else a drawn '1'."""
    import os

    if os.environ.get("COURSE_DATA_MIRROR"):
        from course_lib.data import load_mnist

        (_, _), (x_test, _) = load_mnist()
        return x_test[0].astype("float32") / 255.0
    image = np.zeros((28, 28), "float32")
    image[4:24, 13:16] = 1.0
    return image


def test_maps_are_the_layer_outputs(convnet, digit):
    maps = feature_maps(convnet, digit)
    assert [(m.layer_name, m.layer_type) for m in maps] == [
        ("conv1", "Conv2D"), ("pool1", "MaxPooling2D"), ("conv2", "Conv2D")]
    assert [m.activations.shape for m in maps] == [(26, 26, 6), (13, 13, 6), (11, 11, 8)]
    x = digit[None, :, :, None]
    expected = convnet.get_layer("conv1")(x)
    np.testing.assert_allclose(maps[0].activations, np.asarray(expected)[0], atol=1e-5)
    np.testing.assert_allclose(maps[1].activations,
                               maps[0].activations[:26, :26].reshape(13, 2, 13, 2, 6).max((1, 3)),
                               atol=1e-6)
    assert (maps[0].activations >= 0).all()  # ReLU


def test_image_shapes_accepted_and_rejected(convnet, digit):
    for shaped in (digit, digit[..., None], digit[None, ..., None]):
        assert feature_maps(convnet, shaped, layers=["conv1"])[0].activations.shape == (26, 26, 6)
    with pytest.raises(FeatureMapError, match=r"\(32, 32\)"):
        feature_maps(convnet, np.zeros((32, 32)))
    with pytest.raises(ModelError, match="'conv9'"):
        feature_maps(convnet, digit, layers=["conv9"])


def test_dense_model_has_no_feature_maps():
    dense = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
    with pytest.raises(ModelError, match="Conv2D"):
        conv_layers(dense)


def test_first_layer_filters_are_the_kernel(convnet):
    kernel = first_layer_filters(convnet)
    assert kernel.shape == (3, 3, 1, 6)
    np.testing.assert_array_equal(kernel, convnet.get_layer("conv1").kernel.numpy())


def test_filter_pattern_of_edge_detectors_shows_their_orientation(convnet):
    edges = keras.Sequential([keras.Input((16, 16, 1)),
                              keras.layers.Conv2D(2, 3, activation="relu", name="edges")])
    kernel = np.zeros((3, 3, 1, 2), "float32")
    kernel[:, 0, 0, 0], kernel[:, 2, 0, 0] = -1, 1  # responds to left-to-right brightening
    kernel[0, :, 0, 1], kernel[2, :, 0, 1] = -1, 1  # responds to top-to-bottom brightening
    edges.get_layer("edges").kernel.assign(kernel)
    vertical, horizontal = (filter_pattern(edges, "edges", f, steps=15)[..., 0] for f in (0, 1))
    for pattern in (vertical, horizontal):
        assert pattern.shape == (16, 16) and pattern.min() >= 0 and pattern.max() <= 1

    def change(p, axis):
        return np.abs(np.diff(p, axis=axis)).mean()

    assert change(vertical, axis=1) > 2 * change(vertical, axis=0)
    assert change(horizontal, axis=0) > 2 * change(horizontal, axis=1)
    with pytest.raises(ModelError, match="filter_index=8"):
        filter_pattern(convnet, "conv2", 8)
    with pytest.raises(ModelError, match="'out'"):
        filter_pattern(convnet, "out", 0)


def test_tile_channels_layout():
    stack = np.stack([np.full((2, 3), k, float) + np.arange(3) for k in range(5)], axis=-1)
    mosaic = tile_channels(stack, columns=3)
    assert mosaic.shape == (2 * 3 - 1, 3 * 4 - 1)
    assert np.isnan(mosaic[2]).all() and np.isnan(mosaic[:, 3]).all()  # gutters
    np.testing.assert_allclose(mosaic[0, :3], [0, 0.5, 1])  # each tile scaled to 0..1
    assert np.isnan(mosaic[3:, 8:]).all()  # 6th slot empty
    with pytest.raises(ViewError, match=r"\(2, 3\)"):
        tile_channels(np.zeros((2, 3)))


def test_drawing_into_axes(convnet, digit):
    maps = feature_maps(convnet, digit)
    fig, axes = plt.subplots(1, 2)
    ax = draw_feature_map(maps[2], ax=axes[1], max_channels=4)
    assert ax is axes[1]
    assert ax.get_title() == "conv2 (Conv2D): 11×11×8, first 4"
    assert ax.images[0].get_array().shape == (23, 23)
    figure = draw_feature_maps(maps, image=digit)
    assert [a.get_title() for a in figure.axes][0] == "input"
    assert len(figure.axes) == 4
    filt = draw_filters(first_layer_filters(convnet))
    assert filt.get_title() == "first-layer filters: 6 × (3×3×1)"
    patterns = draw_filter_patterns([np.zeros((28, 28, 1)), np.ones((28, 28, 1))])
    assert [t.get_text() for t in patterns.texts] == ["filter 0", "filter 1"]
    with pytest.raises(ViewError, match="shape"):
        draw_filters(np.zeros((3, 3, 2)))
    with pytest.raises(ViewError):
        draw_feature_maps([])


def test_viewer_switches_layers(convnet, digit):
    maps = feature_maps(convnet, digit)
    viewer = FeatureMapViewer(maps, digit)
    assert viewer.layer.options == ("conv1", "pool1", "conv2")
    first = viewer.image.value
    assert first[:4] == b"\x89PNG"
    viewer.layer.value = "conv2"
    assert viewer.image.value != first


def test_show_feature_maps_static_and_interactive(convnet, digit, monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "static")
    figure = show_feature_maps(convnet, digit)
    assert len(figure.axes) == 4
    assert not plt.get_fignums()  # closed: a notebook shows it once, as the result
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    assert isinstance(show_feature_maps(convnet, digit, layers=["conv1"]), FeatureMapViewer)
