"""TrialTable from records and from a real (tiny) keras-tuner search; the trials views headless."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.tuning import (
    NoFinishedTrialsError,
    TrialTable,
    TuningError,
    track_histories,
    trials_from_records,
    trials_from_tuner,
)
from course_lib.views import trials as views


def _records():
    return [
        {"hyperparameters": {"units": 16, "lr": 1e-3, "opt": "adam"}, "score": 0.70},
        {"hyperparameters": {"units": 64, "lr": 1e-2, "opt": "sgd"}, "score": 0.82,
         "history": {"accuracy": [0.6, 0.8], "val_accuracy": [0.7, 0.82],
                     "loss": [1.0, 0.5], "val_loss": [0.9, 0.6]}},
        {"hyperparameters": {"units": 32, "lr": 1e-4, "opt": "adam"}, "score": None,
         "status": "FAILED"},
        {"hyperparameters": {"units": 32, "lr": 3e-3, "opt": "adam", "tuner/epochs": 2},
         "score": 0.78},
    ]


def test_best_and_best_so_far_follow_the_direction():
    table = trials_from_records(_records(), objective="val_accuracy")
    assert table.direction == "max"
    assert table.best().number == 2
    assert table.best_so_far() == [0.70, 0.82, 0.82, 0.82]
    as_loss = trials_from_records(_records(), objective="val_loss")
    assert as_loss.direction == "min" and as_loss.best().number == 1
    assert as_loss.best_so_far() == [0.70, 0.70, 0.70, 0.70]


def test_dataframe_has_one_row_per_trial_and_sorts_best_first():
    table = trials_from_records(_records(), objective="val_accuracy")
    frame = table.to_dataframe(sort=True)
    assert list(frame.index) == [2, 4, 1, 3]  # failed trial last
    assert "tuner/epochs" not in frame.columns  # bookkeeping kept apart
    assert table.trials[3].extra == {"tuner/epochs": 2}
    assert frame.loc[3, "status"] == "FAILED" and math.isnan(frame.loc[3, "val_accuracy"])


def test_numeric_columns_encode_categories_and_skip_unfinished():
    names, rows, categories = trials_from_records(_records(), objective="val_accuracy") \
        .numeric_columns()
    assert names == ["units", "lr", "opt", "val_accuracy"]
    assert categories == {"opt": ["adam", "sgd"]}
    assert rows == [[16, 1e-3, 0.0, 0.70], [64, 1e-2, 1.0, 0.82], [32, 3e-3, 0.0, 0.78]]


def test_no_finished_trials_is_a_course_error():
    table = trials_from_records([{"hyperparameters": {"u": 1}, "score": None, "status": "FAILED"}],
                                objective="val_accuracy")
    with pytest.raises(NoFinishedTrialsError, match=r"statuses \['FAILED'\]"):
        table.best()
    for view in (views.show_trials, views.plot_best_so_far, views.plot_parallel_coordinates,
                 views.trials_table):
        with pytest.raises(NoFinishedTrialsError):
            view(table)
    with pytest.raises(NoFinishedTrialsError):
        views.show_trials(TrialTable([], objective="val_loss"))


def test_bad_records_are_rejected():
    with pytest.raises(TuningError, match="Received: trial 1"):
        trials_from_records([0.5])
    with pytest.raises(TuningError, match="'high'"):
        trials_from_records([{"score": "high"}])
    with pytest.raises(TuningError, match="direction"):
        TrialTable([], objective="x", direction="up")
    with pytest.raises(TuningError, match="tuner or oracle"):
        trials_from_tuner(object())


def test_views_draw_into_given_axes_and_own_figures():
    from matplotlib.figure import Figure

    table = trials_from_records(_records(), objective="val_accuracy")
    fig = Figure()
    ax = fig.add_subplot()
    assert views.plot_best_so_far(table, ax=ax) is ax
    steps = [line for line in ax.get_lines() if line.get_label() == "best so far"][0]
    assert list(steps.get_ydata()) == [0.70, 0.82, 0.82, 0.82]
    pc = views.plot_parallel_coordinates(table)
    best_line = [line for line in pc.get_lines() if line.get_label().startswith("best")][0]
    assert list(best_line.get_xdata()) == [0, 1, 2, 3]
    assert best_line.get_ydata()[-1] == pytest.approx(1.0)  # the best score tops its axis
    full = views.show_trials(table)
    assert len(full.axes) == 3  # the best trial has curves
    no_curves = trials_from_records([r for r in _records() if "history" not in r],
                                    objective="val_accuracy")
    assert len(views.show_trials(no_curves).axes) == 2
    with pytest.raises(NoFinishedTrialsError, match="track_histories"):
        views.plot_best_trial(no_curves)


@pytest.mark.slow
def test_a_real_random_search_becomes_a_table(tmp_path):
    import keras
    import keras_tuner as kt

    rng = np.random.default_rng(0)
    x = rng.normal(size=(160, 4)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("float32")

    def build(hp):
        model = keras.Sequential([keras.Input((4,)),
                                  keras.layers.Dense(hp.Int("units", 4, 16, step=4),
                                                     activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.Adam(hp.Choice("lr", [1e-3, 1e-2])),
                      loss="binary_crossentropy", metrics=["accuracy"])
        return model

    tuner = kt.RandomSearch(build, objective="val_accuracy", max_trials=3, seed=1,
                            directory=str(tmp_path), project_name="t")
    curves = track_histories(tuner)
    assert track_histories(tuner) is curves  # idempotent
    tuner.search(x, y, validation_split=0.25, epochs=2, verbose=0)
    table = trials_from_tuner(tuner)
    assert len(table) == 3 and table.objective == "val_accuracy" and table.direction == "max"
    assert set(table.hyperparameter_names) == {"units", "lr"}
    best_hp = tuner.get_best_hyperparameters(1)[0].values
    assert table.best().hyperparameters == best_hp
    assert table.best().score == pytest.approx(tuner.oracle.get_best_trials(1)[0].score)
    assert table.best().history.n_epochs == 2
    assert max(table.best().history.series("val_accuracy")) == pytest.approx(table.best().score)
    assert len(curves) == 3
