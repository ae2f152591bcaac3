"""Fixtures for the training-monitor tests: tiny data, tiny compiled models, headless views."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from tests.views.display_fixtures import front_end  # noqa: F401  (fixture)

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _headless(static_views):
    """Every test here runs with static views and closes its figures (see tests/conftest.py)."""


@pytest.fixture(scope="session")
def tiny_data() -> tuple[np.ndarray, np.ndarray]:
    """200 points, 4 features, 3 classes that depend on two features (learnable in a few epochs)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    return x, y


@pytest.fixture(scope="session")
def make_model():
    """Factory: a small seeded dense classifier, compiled unless ``compile=False``."""
    import keras

    def build(compile: bool = True, seed: int = 7):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([
            keras.Input((4,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ])
        if compile:
            model.compile(optimizer=keras.optimizers.Adam(0.01),
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    return build


@pytest.fixture(scope="session")
def recorded_run(tiny_data, make_model):
    """One fit with a per-batch LiveMonitor (recording only) and Keras' own History."""
    from course_lib.training import LiveMonitor

    x, y = tiny_data
    monitor = LiveMonitor(per_batch=True, output="none", name="tiny")
    keras_history = make_model().fit(x, y, epochs=4, batch_size=32, validation_split=0.25,
                                     verbose=0, callbacks=[monitor])
    return monitor, keras_history
