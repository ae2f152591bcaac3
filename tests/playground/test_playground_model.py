"""Config validation, the Keras model built from it, and training through Playground."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, ModelError
from course_lib.playground import (
    Playground,
    PlaygroundConfig,
    build_model,
    check_compiled,
    load_playground_data,
)

from .conftest import assert_message


def test_config_normalises_values():
    cfg = PlaygroundConfig(
        hidden=[8, 4], activation="ReLU", optimizer=" SGD ", features=["x2", "x1"]
    )
    assert cfg.hidden == (8, 4)
    assert cfg.activation == "relu" and cfg.optimizer == "sgd"
    assert cfg.features == ("x1", "x2")
    assert PlaygroundConfig(hidden=3).hidden == (3,)
    assert PlaygroundConfig(hidden=()).hidden == ()


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"hidden": (4, 0)}, ["hidden=(4, 0)", "layer 2 has 0", "at least 1 neuron"]),
        ({"hidden": "4,2"}, ["hidden='4,2'", "hidden=(4, 2)"]),
        ({"activation": "softplus"}, ["activation='softplus'", "relu", "Fix:"]),
        ({"activation": "tanhh"}, ["Did you mean 'tanh'?"]),
        ({"optimizer": "adamw"}, ["optimizer='adamw'", "Did you mean 'adam'?"]),
        ({"learning_rate": -0.1}, ["learning_rate=-0.1", "> 0"]),
        ({"learning_rate": 0}, ["learning_rate=0"]),
        ({"batch_size": 0}, ["batch_size=0", ">= 1"]),
        ({"l1": -1e-3}, ["l1=-0.001", ">= 0"]),
        ({"l2": "lots"}, ["l2='lots'"]),
        ({"features": ["x1", "cos(x1)"]}, ["feature='cos(x1)'"]),
    ],
)
def test_bad_config_values_name_the_value_and_the_fix(kwargs, fragments):
    with pytest.raises(ConfigError) as info:
        PlaygroundConfig(**kwargs)
    assert_message(info.value, *fragments)


def test_replace_validates_and_rejects_unknown_settings():
    cfg = PlaygroundConfig()
    assert cfg.replace(learning_rate=0.1).learning_rate == 0.1
    with pytest.raises(ConfigError) as info:
        cfg.replace(neurons=4)
    assert_message(info.value, "neurons")
    with pytest.raises(ConfigError):
        cfg.replace(activation="swish")


def test_build_model_matches_the_config():
    import keras

    cfg = PlaygroundConfig(hidden=(5, 3), activation="selu", optimizer="momentum", l2=0.01,
                           learning_rate=0.2, features=("x1", "x2", "x1*x2"))
    model = build_model(cfg)
    assert [layer.name for layer in model.layers] == ["hidden_1", "hidden_2", "output"]
    assert [layer.units for layer in model.layers] == [5, 3, 1]
    assert model.layers[0].activation.__name__ == "selu"
    assert model.layers[-1].activation.__name__ == "sigmoid"
    assert model.inputs[0].shape[-1] == 3
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(model.optimizer.momentum) == pytest.approx(0.9)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)
    assert model.layers[0].kernel_regularizer is not None
    assert model.compiled


def test_uncompiled_model_is_refused():
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ModelError) as info:
        check_compiled(model)
    assert_message(info.value, "not compiled", "model.compile(")
    with pytest.raises(ModelError):
        check_compiled("model")


def test_step_records_history_and_lowers_the_loss(small_playground):
    pg = small_playground
    assert pg.epoch == 0 and pg.history["epoch"] == [0]
    latest = pg.step(epochs=8)
    assert pg.epoch == 8 and latest["epoch"] == 8
    assert all(len(v) == 9 for v in pg.history.values())
    assert pg.history["train_loss"][-1] < pg.history["train_loss"][0]
    assert pg.history["test_loss"][-1] < pg.history["test_loss"][0]
    assert 0.0 <= latest["test_accuracy"] <= 1.0


def test_history_loss_equals_keras_evaluate(small_playground):
    pg = small_playground
    pg.step(2)
    keras_loss = pg.model.evaluate(pg.features(pg.data.x_test), pg.data.y_test, verbose=0)[0]
    assert pg.history["test_loss"][-1] == pytest.approx(keras_loss, rel=1e-4)


def test_same_seed_same_training():
    runs = []
    for _ in range(2):
        pg = Playground(PlaygroundConfig(hidden=(3,), batch_size=16, seed=5), dataset="xor", n=64)
        pg.step(3)
        runs.append(pg.history["train_loss"])
    np.testing.assert_allclose(runs[0], runs[1], rtol=1e-5)


def test_configure_rebuilds_only_on_change(small_playground):
    pg = small_playground
    pg.step(2)
    old = pg.model
    assert pg.configure(activation="tanh") is False and pg.model is old and pg.epoch == 2
    assert pg.configure(activation="relu", hidden=(6,)) is True
    assert pg.model is not old and pg.epoch == 0 and len(pg.history["epoch"]) == 1
    assert pg.model.layers[0].units == 6
    with pytest.raises(ConfigError):
        pg.configure(hidden=(0,))
    assert pg.config.hidden == (6,)  # a bad change keeps the old settings


def test_reset_and_set_data(small_playground):
    pg = small_playground
    first = pg.history["train_loss"][0]
    pg.step(3)
    pg.reset()
    assert pg.epoch == 0 and pg.history["train_loss"] == [pytest.approx(first)]
    pg.set_data(load_playground_data("moons", n=60))
    assert pg.data.name == "moons" and pg.epoch == 0
    with pytest.raises(ConfigError):
        pg.set_data("moons")


def test_bad_step_and_constructor_arguments(small_playground):
    with pytest.raises(ConfigError) as info:
        small_playground.step(epochs=0)
    assert_message(info.value, "epochs=0")
    with pytest.raises(ConfigError):
        Playground(config={"hidden": (4,)})
    with pytest.raises(ConfigError) as info:
        Playground(dataset="spirals")
    assert_message(info.value, "Did you mean 'spiral'?")


def _accuracy_after(config: PlaygroundConfig, epochs: int) -> float:
    pg = Playground(config, dataset="circles", noise=0.05, n=200, seed=1)
    pg.step(epochs)
    return pg.latest()["test_accuracy"]


def test_circles_need_squares_or_a_hidden_layer():
    linear_raw = _accuracy_after(PlaygroundConfig(hidden=(), features=("x1", "x2")), 15)
    linear_squares = _accuracy_after(PlaygroundConfig(hidden=(), features=("x1^2", "x2^2")), 15)
    hidden_raw = _accuracy_after(PlaygroundConfig(hidden=(6,), activation="tanh"), 25)
    assert linear_raw < 0.7, linear_raw  # no line separates a disc from a ring
    assert linear_squares >= 0.95, linear_squares
    assert hidden_raw >= 0.9, hidden_raw
