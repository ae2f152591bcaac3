"""CallbackTimeline on real (tiny) fits: what each callback did, the life cycle, bad monitors."""

from __future__ import annotations

import math

import pytest

from course_lib.errors import ModelError
from course_lib.training.callback_log import CallbackTimeline, UnloggedMetricError, check_monitor

pytestmark = pytest.mark.slow  # trains Keras models


def test_lr_changes_checkpoints_and_early_stop_are_attributed(tiny_data, make_model, tmp_path):
    import keras

    x, y = tiny_data
    best = tmp_path / "best.keras"
    callbacks = [
        keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch == 2 else lr),
        keras.callbacks.ModelCheckpoint(str(best), save_best_only=True),
        keras.callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=10.0,
                                      restore_best_weights=True),
    ]
    timeline = CallbackTimeline(callbacks)
    make_model().fit(x, y, validation_split=0.25, epochs=10, verbose=0, callbacks=[timeline])
    # min_delta=10 means nothing counts as an improvement: stop after epoch 2 (patience 1)
    assert timeline.history.n_epochs == 2
    stops = timeline.events_of("stop")
    assert [(e.epoch, e.callback) for e in stops] == [(2, "EarlyStopping")]
    assert [e.epoch for e in timeline.events_of("restore")] == [1]
    saves = timeline.events_of("checkpoint", "ModelCheckpoint")
    assert saves and saves[0].epoch == 1 and best.exists()
    assert all(e.callback == "ModelCheckpoint" for e in saves)
    assert timeline.events_of("lr") == []  # the schedule changes only at epoch index 2 (never run)
    assert len(timeline.learning_rates) == 2 and timeline.learning_rates[0] == pytest.approx(0.01)
    assert timeline.history.keys == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_scheduler_and_plateau_changes_are_recorded_per_epoch(tiny_data, make_model):
    import keras

    x, y = tiny_data
    timeline = CallbackTimeline([
        keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 / (epoch + 1)),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=0, min_delta=10.0,
                                          factor=0.5),
    ])
    make_model().fit(x, y, validation_split=0.25, epochs=3, verbose=0, callbacks=[timeline])
    plateau = timeline.events_of("lr", "ReduceLROnPlateau")
    scheduler = timeline.events_of("lr", "LearningRateScheduler")
    # epoch 1 improves on +inf; after that nothing "improves" by 10: halved at every epoch end
    assert [e.epoch for e in plateau] == [2, 3]
    assert [e.epoch for e in scheduler] == [2, 3]  # epoch 1 sets the value it already had
    assert all(e.when == "epoch_begin" for e in scheduler)
    assert timeline.learning_rates == pytest.approx([0.01, 0.005, 0.01 / 3])
    assert plateau[0].value == pytest.approx(0.0025) and plateau[0].when == "epoch_end"


def test_lifecycle_lists_hooks_in_keras_order(tiny_data, make_model):
    x, y = tiny_data
    timeline = CallbackTimeline()
    make_model().fit(x, y, validation_split=0.25, epochs=2, batch_size=50, verbose=0,
                     callbacks=[timeline])
    assert timeline.lifecycle() == [
        "on_train_begin",
        "on_epoch_begin(0)", "on_train_batch_begin/end x 3", "on_test_begin", "on_test_end",
        "on_epoch_end(0)",
        "on_epoch_begin(1)", "on_train_batch_begin/end x 3", "on_test_begin", "on_test_end",
        "on_epoch_end(1)",
        "on_train_end",
    ]


def test_terminate_on_nan_is_recorded(tiny_data):
    import keras
    import numpy as np

    x, y = tiny_data
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(1e8), loss="mse")
    timeline = CallbackTimeline([keras.callbacks.TerminateOnNaN()])
    model.fit(x, y.astype("float32") * 1e4, epochs=5, batch_size=8, verbose=0,
              callbacks=[timeline])
    (stop,) = timeline.events_of("stop")
    assert stop.callback == "TerminateOnNaN" and stop.epoch == 1 and stop.when == "batch_end"
    assert timeline.history.n_epochs == 1
    last = timeline.history.series("loss")[-1]
    assert math.isnan(last) or math.isinf(last) or np.isfinite(last)


def test_unlogged_monitor_raises_naming_the_logged_metrics(tiny_data, make_model):
    import keras

    x, y = tiny_data
    timeline = CallbackTimeline([keras.callbacks.EarlyStopping(monitor="val_loss")])
    logged = r"Logged metrics: \['accuracy', 'loss'\]"
    with pytest.raises(UnloggedMetricError, match=logged) as info:
        make_model().fit(x, y, epochs=2, verbose=0, callbacks=[timeline])
    assert "validation_split" in str(info.value)
    typo = CallbackTimeline([keras.callbacks.ReduceLROnPlateau(monitor="val_acuracy")])
    with pytest.raises(UnloggedMetricError, match="did you mean monitor='val_accuracy'"):
        make_model().fit(x, y, validation_split=0.2, epochs=1, verbose=0, callbacks=[typo])


def test_check_monitor_and_bad_callbacks():
    check_monitor("EarlyStopping", "loss", {"loss": 1.0})
    with pytest.raises(UnloggedMetricError, match="EarlyStopping"):
        check_monitor("EarlyStopping", "f1", {"loss": 1.0})
    with pytest.raises(ModelError, match="Expected Keras callbacks"):
        CallbackTimeline(["early_stopping"])
