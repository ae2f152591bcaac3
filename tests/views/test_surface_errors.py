"""Plausible wrong input raises a CourseError that names the value and the fix.

Each of these once escaped as a raw ValueError/IndexError/TypeError from deep inside
(or was accepted and failed later).
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import (
    CourseError,
    DataError,
    EmbeddingError,
    FeatureMapError,
    PlaygroundError,
)

pytestmark = pytest.mark.slow


def test_decision_grid_refuses_a_two_unit_softmax():
    import keras

    from course_lib.playground import decision_grid

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, "tanh"),
                              keras.layers.Dense(2, "softmax", name="probs")])
    with pytest.raises(PlaygroundError, match=r"width 2 \(probs\)[\s\S]*Fix: .*sigmoid"):
        decision_grid(model, ("x1", "x2"), resolution=5)


def test_embedding_classes_must_match_the_vocabulary():
    import keras

    from course_lib.models.projector import from_embedding_layer

    layer = keras.layers.Embedding(6, 3)
    layer.build((None,))
    vocabulary = ["", "[UNK]", "a", "b", "c", "d"]
    with pytest.raises(EmbeddingError, match=r"one class per vocabulary entry \(6\).*Received: 3"):
        from_embedding_layer(layer, vocabulary, classes=["x", "y", "z"])


@pytest.mark.parametrize("n, dims", [(2, 3)])  # fewer than 2 points: from_array refuses them
def test_projection_needs_enough_points(n, dims):
    from course_lib.models.projector import from_array, project

    space = from_array(np.arange(n * 5, dtype="float32").reshape(n, 5) + 1.0,
                       labels=[f"w{i}" for i in range(n)])
    with pytest.raises(EmbeddingError, match=rf"at least {max(dims, 2)} points.*Received: {n}"):
        project(space, "pca", dims=dims)


def test_keras_dataset_arguments_are_checked_before_any_download():
    from course_lib.data.loaders import load_imdb

    with pytest.raises(DataError, match=r"Received: num_wrds=5000[\s\S]*num_words"):
        load_imdb(num_wrds=5000)


def test_feature_maps_refuse_a_dense_layer_at_once():
    import keras

    from course_lib.models.feature_maps import feature_maps

    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, name="conv"),
                              keras.layers.Flatten(), keras.layers.Dense(3, name="dense")])
    with pytest.raises(FeatureMapError, match=r"'dense' \(Dense, output \(None, 3\)\)"):
        feature_maps(model, np.zeros((8, 8)), layers=["dense"])
    with pytest.raises(FeatureMapError, match=r"layers=\[\]"):
        feature_maps(model, np.zeros((8, 8)), layers=[])
    assert issubclass(FeatureMapError, CourseError)
