"""Record the training runs that ``training_replay.ipynb`` replays (run once; outputs committed).

Three MNIST models, identical but for regularization, trained on 2,000 digits so that the
unregularized one overfits visibly within 30 epochs. Each run is recorded per epoch and per
batch with :class:`course_lib.training.LiveMonitor` and saved as JSON next to this file.

    COURSE_DATA_MIRROR=../shared/data .venv/bin/python dashboards/runs/make_runs.py
"""

from __future__ import annotations

from pathlib import Path

import keras

from course_lib.config import seed_everything
from course_lib.data import load_mnist
from course_lib.training import LiveMonitor

HERE = Path(__file__).resolve().parent
EPOCHS = 30
N_TRAIN = 2_000

RUNS = {
    "no_regularization": "no regularization",
    "dropout": "dropout 0.5",
    "l2": "L2 1e-3",
}


def build(kind: str) -> keras.Model:
    reg = keras.regularizers.L2(1e-3) if kind == "l2" else None
    layers: list[keras.Layer] = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    for _ in range(2):
        layers.append(keras.layers.Dense(256, activation="relu", kernel_regularizer=reg))
        if kind == "dropout":
            layers.append(keras.layers.Dropout(0.5))
    layers.append(keras.layers.Dense(10, activation="softmax"))
    model = keras.Sequential(layers, name=kind)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x, y = x_train[:N_TRAIN] / 255.0, y_train[:N_TRAIN]
    x_val, y_val = x_test[:2_000] / 255.0, y_test[:2_000]
    for kind, label in RUNS.items():
        seed_everything(42)
        monitor = LiveMonitor(per_batch=True, output="none", name=label)
        build(kind).fit(
            x, y, validation_data=(x_val, y_val), epochs=EPOCHS, batch_size=100,
            callbacks=[monitor], verbose=0,
        )
        path = monitor.history.save_json(HERE / f"{kind}.json")
        print(path, f"{path.stat().st_size / 1024:.0f} KiB",
              f"val_loss {monitor.history.logs['val_loss'][-1]:.3f}")


if __name__ == "__main__":
    main()
