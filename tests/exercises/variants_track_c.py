# ruff: noqa: E501  (the variants are student code, kept as a student would write it)
"""Alternative and wrong solutions for the graded exercises of notebooks 12-14.

Per notebook four submissions: ``alt1`` and ``alt2`` solve every exercise correctly but
differently from the instructor (other layers, losses and metrics as objects, lists
instead of dicts, other readers of the event files, ...); ``wrong1`` and ``wrong2`` hold
a plausible student bug in every exercise. ``python tests/exercises/variants_track_c.py``
writes them as ``submissions/NN/<name>.ipynb`` (from ``solutions/``, only the
variant's cells replaced) with ``expected.json``; ``run_suite.py`` grades those folders.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

VARIANTS: dict[str, dict[str, dict[str, str]]] = {}

VARIANTS["12_functional_api"] = {
    "alt1": {
        "multi-output": '''_t = keras.Input(shape=(TEXT_LEN,), dtype="int32", name="text")
_h = keras.layers.Embedding(4000, 8, mask_zero=True)(_t)
_h = keras.layers.LSTM(8)(_h)
age_out = keras.layers.Dense(1, name="age")(_h)
income_out = keras.layers.Dense(3, activation="softmax", name="income")(_h)
gender_out = keras.layers.Dense(1, activation="sigmoid", name="gender")(_h)
exercise_profile = keras.Model(_t, [age_out, income_out, gender_out])
exercise_profile.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss={"age": keras.losses.MeanSquaredError(),
          "income": keras.losses.SparseCategoricalCrossentropy(),
          "gender": keras.losses.BinaryCrossentropy()},
    loss_weights={"age": 0.5, "income": 1.0, "gender": 2.0},
    metrics={"income": [keras.metrics.SparseCategoricalAccuracy()],
             "gender": [keras.metrics.BinaryAccuracy()]},
)
''',
        "residual": '''def residual_block(x, units):
    shortcut = x
    if x.shape[-1] != units:
        shortcut = keras.layers.Dense(units, use_bias=False)(x)
    return keras.layers.add([shortcut, keras.layers.Dense(units, activation="relu")(x)])
''',
        "inception": '''def inception_module(x, filters):
    one = keras.layers.Conv2D(filters, (1, 1), padding="same", activation="relu")(x)
    three = keras.layers.Conv2D(filters, (1, 1), activation="relu")(x)
    three = keras.layers.Conv2D(filters, (3, 3), padding="same", activation="relu")(three)
    pool = keras.layers.MaxPool2D(pool_size=(3, 3), strides=(1, 1), padding="same")(x)
    pool = keras.layers.Conv2D(filters, (1, 1), activation="relu")(pool)
    return keras.layers.concatenate([one, three, pool], axis=-1)
''',
    },
    "alt2": {
        "multi-output": '''inp = keras.Input((TEXT_LEN,), name="text", dtype="int32")
z = keras.layers.Embedding(input_dim=4000, output_dim=24)(inp)
z = keras.layers.GlobalMaxPooling1D()(z)
z = keras.layers.Dense(24, activation="relu")(z)
exercise_profile = keras.Model(inp, [
    keras.layers.Dense(1, name="age")(z),
    keras.layers.Dense(3, activation="softmax", name="income")(z),
    keras.layers.Dense(1, activation="sigmoid", name="gender")(z),
])
exercise_profile.compile(
    optimizer="rmsprop",
    loss=["mean_squared_error", "sparse_categorical_crossentropy", "binary_crossentropy"],
    loss_weights=[0.5, 1.0, 2.0],
    metrics=[[], ["accuracy"], ["accuracy"]],
)
''',
        "residual": '''def residual_block(x, units):
    branch = keras.layers.Dense(units)(x)
    branch = keras.layers.Activation("relu")(branch)
    if x.shape[-1] == units:
        return keras.layers.Add()([branch, x])
    return keras.layers.Add()([branch, keras.layers.Dense(units, activation=None)(x)])
''',
        "inception": '''def inception_module(x, filters):
    pooled = keras.layers.MaxPooling2D(pool_size=3, strides=1, padding="same")(x)
    pooled = keras.layers.Conv2D(filters, 1, activation="relu")(pooled)
    reduced = keras.layers.Conv2D(4, 1, activation="relu")(x)
    spatial = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(reduced)
    pointwise = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    return keras.layers.Concatenate(axis=3)([pooled, spatial, pointwise])
''',
    },
    "wrong1": {  # loss weights swapped; relu after the add; 3x3 without padding
        "multi-output": '''_text = keras.Input(shape=(TEXT_LEN,), dtype="int32", name="text")
_h = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(4000, 16)(_text))
exercise_profile = keras.Model(_text, {
    "age": keras.layers.Dense(1, name="age")(_h),
    "income": keras.layers.Dense(3, activation="softmax", name="income")(_h),
    "gender": keras.layers.Dense(1, activation="sigmoid", name="gender")(_h),
})
exercise_profile.compile(optimizer="adam",
                         loss={"age": "mse", "income": "sparse_categorical_crossentropy",
                               "gender": "binary_crossentropy"},
                         loss_weights={"age": 2.0, "income": 1.0, "gender": 0.5},
                         metrics={"income": ["accuracy"], "gender": ["accuracy"]})
''',
        "residual": '''def residual_block(x, units):
    shortcut = x if x.shape[-1] == units else keras.layers.Dense(units)(x)
    out = keras.layers.Add()([shortcut, keras.layers.Dense(units)(x)])
    return keras.layers.Activation("relu")(out)
''',
        "inception": '''def inception_module(x, filters):
    a = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    b = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    b = keras.layers.Conv2D(filters, 3, activation="relu")(b)
    c = keras.layers.MaxPooling2D(3, strides=1, padding="same")(x)
    c = keras.layers.Conv2D(filters, 1, activation="relu")(c)
    return keras.layers.Concatenate()([a, b, c])
''',
    },
    "wrong2": {  # categorical instead of sparse crossentropy; no projection; pooling with stride 3
        "multi-output": '''_text = keras.Input(shape=(TEXT_LEN,), dtype="int32", name="text")
_h = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(4000, 16)(_text))
exercise_profile = keras.Model(_text, {
    "age": keras.layers.Dense(1, name="age")(_h),
    "income": keras.layers.Dense(3, activation="softmax", name="income")(_h),
    "gender": keras.layers.Dense(1, activation="sigmoid", name="gender")(_h),
})
exercise_profile.compile(optimizer="adam",
                         loss={"age": "mse", "income": "categorical_crossentropy",
                               "gender": "binary_crossentropy"},
                         loss_weights={"age": 0.5, "income": 1.0, "gender": 2.0},
                         metrics=["accuracy"])
''',
        "residual": '''def residual_block(x, units):
    return keras.layers.Add()([x, keras.layers.Dense(units, activation="relu")(x)])
''',
        "inception": '''def inception_module(x, filters):
    a = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    b = keras.layers.Conv2D(filters, 1, activation="relu")(x)
    b = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(b)
    c = keras.layers.MaxPooling2D(3, padding="same")(x)
    c = keras.layers.Conv2D(filters, 1, activation="relu")(c)
    return keras.layers.Concatenate()([a, b, c])
''',
    },
}

VARIANTS["13_callbacks_and_tensorboard"] = {
    "alt1": {
        "lr-recorder": '''class LearningRateRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.rates = []

    def on_epoch_begin(self, epoch, logs=None):
        self.rates.append(np.array(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))
''',
        "early-checkpoint": '''early_stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
best_checkpoint = keras.callbacks.ModelCheckpoint(filepath=str(checkpoint_path), save_best_only=True)
''',
        "event-curve": '''from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.util import tensor_util


def validation_curve(log_dir, metric):
    acc = EventAccumulator(str(Path(log_dir) / "validation"), size_guidance={"tensors": 0})
    acc.Reload()
    events = acc.Tensors(f"epoch_{metric}")
    return [float(tensor_util.make_ndarray(e.tensor_proto)) for e in sorted(events, key=lambda e: e.step)]
''',
    },
    "alt2": {
        "lr-recorder": '''class LearningRateRecorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rates = []

    def on_train_begin(self, logs=None):
        self.rates.clear()

    def on_epoch_end(self, epoch, logs=None):
        self.rates.append(self.model.optimizer.learning_rate.numpy())
''',
        "early-checkpoint": '''early_stop = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", patience=2,
                                           restore_best_weights=True, verbose=0)
best_checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_loss", mode="min",
                                                  save_best_only=True, save_weights_only=False)
''',
        "event-curve": '''import tensorflow as tf


def validation_curve(log_dir, metric):
    values = {}
    for path in sorted((Path(log_dir) / "validation").glob("events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                if value.tag == "epoch_" + metric:
                    values[event.step] = float(tf.make_ndarray(value.tensor))
    return [values[step] for step in sorted(values)]
''',
    },
    "wrong1": {  # never resets; no restore_best_weights; reads the training run
        "lr-recorder": '''class LearningRateRecorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rates = []

    def on_epoch_end(self, epoch, logs=None):
        self.rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))
''',
        "early-checkpoint": '''early_stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)
best_checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_loss", save_best_only=True)
''',
        "event-curve": '''def validation_curve(log_dir, metric):
    points = read_events(log_dir).scalars["train"][f"epoch_{metric}"]
    return [value for _, value in sorted(points)]
''',
    },
    "wrong2": {  # one rate per batch; checkpoint on val_accuracy; the history's training series
        "lr-recorder": '''class LearningRateRecorder(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.rates = []

    def on_train_batch_end(self, batch, logs=None):
        self.rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))
''',
        "early-checkpoint": '''early_stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
best_checkpoint = keras.callbacks.ModelCheckpoint(checkpoint_path, monitor="val_accuracy", save_best_only=True)
''',
        "event-curve": '''def validation_curve(log_dir, metric):
    return read_events(log_dir).to_history().series(metric)
''',
    },
}

VARIANTS["14_hyperparameter_search"] = {
    "alt1": {
        "search-space": '''def build_exercise(hp):
    inputs = keras.Input(shape=(784,))
    h = keras.layers.Dense(units=hp.Int("units", min_value=64, max_value=256, step=64), activation="relu")(inputs)
    h = keras.layers.Dropout(rate=hp.Float("dropout", min_value=0.0, max_value=0.5, step=0.1))(h)
    outputs = keras.layers.Dense(10, activation="softmax")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=hp.Choice("learning_rate", [0.01, 0.001, 0.0001])),
                  loss=keras.losses.SparseCategoricalCrossentropy(),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model
''',
        "random-search": '''import os

exercise_tuner = kt.RandomSearch(hypermodel=build_exercise,
                                 objective=kt.Objective("val_accuracy", direction="max"),
                                 max_trials=4, directory=os.path.join(tuner_root, "ex2"),
                                 project_name="p", overwrite=True)
exercise_tuner.search(x_train, y_train, epochs=EPOCHS, validation_data=(x_val, y_val), verbose=0)
''',
        "report": '''def final_report(tuner, x_test, y_test):
    hps = tuner.get_best_hyperparameters(1)[0].values
    score = tuner.oracle.get_best_trials(num_trials=1)[0].score
    _, acc = tuner.get_best_models(num_models=1)[0].evaluate(x_test, y_test, verbose=0)
    return {"hyperparameters": hps, "val_accuracy": score, "test_accuracy": acc}
''',
    },
    "alt2": {
        "search-space": '''def build_exercise(hp):
    units = hp.Int("units", 64, 256, 64)
    rate = hp.Float("dropout", 0.0, 0.5)
    lr = hp.Choice("learning_rate", values=[1e-2, 1e-3, 1e-4])
    model = keras.Sequential()
    model.add(keras.Input((784,)))
    model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dropout(rate))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(keras.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "random-search": '''exercise_tuner = kt.RandomSearch(build_exercise, "val_accuracy", max_trials=3, executions_per_trial=1,
                                 seed=3, directory=tuner_root, project_name="alt2", overwrite=True)
exercise_tuner.search(x_train, y_train, epochs=EPOCHS, validation_data=(x_val, y_val), batch_size=64,
                      verbose=0)
''',
        "report": '''def final_report(tuner, x_test, y_test):
    best = trials_from_tuner(tuner).best()
    model = tuner.get_best_models(1)[0]
    predicted = model.predict(x_test, verbose=0).argmax(axis=1)
    return {"hyperparameters": best.hyperparameters, "val_accuracy": best.score,
            "test_accuracy": float(np.mean(predicted == y_test))}
''',
    },
    "wrong1": {  # units step 32; tuner in the working directory; test accuracy reported as val
        "search-space": '''def build_exercise(hp):
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(hp.Int("units", 64, 256, step=32), activation="relu"),
        keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5)),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3, 1e-4])),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "random-search": '''exercise_tuner = kt.RandomSearch(build_exercise, objective="val_accuracy", max_trials=3,
                                 directory="tuning", project_name="exercise", overwrite=True)
exercise_tuner.search(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, verbose=0)
''',
        "report": '''def final_report(tuner, x_test, y_test):
    model = tuner.get_best_models(1)[0]
    acc = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    return {"hyperparameters": tuner.get_best_hyperparameters(1)[0].values,
            "val_accuracy": acc, "test_accuracy": acc}
''',
    },
    "wrong2": {  # learning rate as a float range; training accuracy as objective; untrained model tested
        "search-space": '''def build_exercise(hp):
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Dense(hp.Int("units", 64, 256, step=64), activation="relu"),
        keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5)),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(hp.Float("learning_rate", 1e-4, 1e-2, sampling="log")),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
''',
        "random-search": '''exercise_tuner = kt.RandomSearch(build_exercise, objective="accuracy", max_trials=3,
                                 directory=tuner_root, project_name="exercise", overwrite=True)
exercise_tuner.search(x_train, y_train, validation_data=(x_val, y_val), epochs=EPOCHS, verbose=0)
''',
        "report": '''def final_report(tuner, x_test, y_test):
    best_hp = tuner.get_best_hyperparameters(1)[0]
    model = tuner.hypermodel.build(best_hp)
    acc = model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    return {"hyperparameters": best_hp.values, "val_accuracy": tuner.oracle.get_best_trials(1)[0].score,
            "test_accuracy": acc}
''',
    },
}


def write_submissions(repo: Path) -> None:
    """``submissions/NN/<variant>.ipynb`` and ``expected.json`` for every notebook above."""
    import nbformat

    sys.path.insert(0, str(repo))
    from tests.exercises.run_suite import exercise_map

    for notebook, variants in VARIANTS.items():
        source = repo / "solutions" / f"{notebook}.ipynb"
        mapping = exercise_map(source)
        folder = repo / "tests" / "exercises" / "submissions" / notebook[:2]
        folder.mkdir(parents=True, exist_ok=True)
        expected = {}
        for name, cells in variants.items():
            nb = nbformat.read(source, as_version=4)
            for cell in nb.cells:
                grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
                if grade_id in cells:
                    cell.source = cells[grade_id].rstrip("\n")
            nbformat.write(nb, folder / f"{name}.ipynb")
            expected[f"{name}.ipynb"] = {test: (points if name.startswith("alt") else 0.0)
                                         for test, points in mapping.values()}
        (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    write_submissions(Path(__file__).resolve().parents[2])
