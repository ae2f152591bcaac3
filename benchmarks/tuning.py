"""Hyperparameter search at full scale: notebook 14's searches with its full-mode budget.

The same ``build_model`` search space as notebook 14 (1-2 dense layers of 32-256
units, optional dropout, Adam learning rate 1e-4..1e-2 on a log scale) on
Fashion-MNIST vectors: 20,000 training images, 5,000 validation images (the
objective, ``val_accuracy``), the 10,000 test images evaluated once for the best
model of each search. Three tuners: ``RandomSearch`` and ``BayesianOptimization``
(``--trials`` trials of ``--epochs`` epochs) and ``Hyperband`` (``max_epochs =
--epochs``, factor 3, one iteration).

For every search: trials run, epochs trained, best validation accuracy, its test
accuracy, wall and CPU time (process CPU, all threads), with the load average.

Usage:
    COURSE_DATA_MIRROR=/work/shared/data python benchmarks/tuning.py [--trials 20]
        [--epochs 10] [--only random bayes hyperband] [--fast]

Writes benchmarks/results/tuning.md and tuning.json (``--fast``: a smoke test with
little data, the same files in the temp dir, never in results/).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import warnings
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def build_model(hp):
    import keras

    model = keras.Sequential([keras.Input(shape=(784,))])
    for i in range(hp.Int("layers", 1, 2)):
        model.add(keras.layers.Dense(hp.Int(f"units_{i}", 32, 256, step=32), activation="relu"))
    if hp.Boolean("dropout"):
        model.add(keras.layers.Dropout(0.3))
    model.add(keras.layers.Dense(10, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(hp.Float("learning_rate", 1e-4, 1e-2,
                                                           sampling="log")),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(fast: bool):
    from course_lib.data import load_fashion_mnist

    (x, y), (xt, yt) = load_fashion_mnist()
    n_train, n_val = (2000, 500) if fast else (20_000, 5_000)
    flat = x.reshape(-1, 784).astype("float32") / 255.0
    test = xt.reshape(-1, 784).astype("float32") / 255.0
    val = slice(n_train, n_train + n_val)
    n_test = 1000 if fast else len(test)
    return (flat[:n_train], y[:n_train]), (flat[val], y[val]), (test[:n_test], yt[:n_test])


def run_search(name: str, trials: int, epochs: int, data, directory: str) -> dict:
    import keras_tuner as kt

    from course_lib.tuning import trials_from_tuner

    (x, y), (xv, yv), (xt, yt) = data
    common = {"objective": "val_accuracy", "seed": 1, "directory": directory,
              "project_name": name, "overwrite": True}
    if name == "random":
        tuner = kt.RandomSearch(build_model, max_trials=trials, **common)
    elif name == "bayes":
        tuner = kt.BayesianOptimization(build_model, max_trials=trials, num_initial_points=3,
                                        **common)
    else:
        tuner = kt.Hyperband(build_model, max_epochs=epochs, factor=3, hyperband_iterations=1,
                             **common)
    wall, cpu = time.perf_counter(), time.process_time()
    fit = {"validation_data": (xv, yv), "batch_size": 128, "verbose": 0}
    if name != "hyperband":
        fit["epochs"] = epochs
    tuner.search(x, y, **fit)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    table = trials_from_tuner(tuner)
    best = table.best()
    test = tuner.get_best_models(1)[0].evaluate(xt, yt, verbose=0, return_dict=True)["accuracy"]
    epochs_trained = sum(t.extra.get("tuner/epochs", epochs) - t.extra.get("tuner/initial_epoch", 0)
                         for t in table.trials)
    return {"search": name, "trials": len(table), "finished": len(table.finished),
            "epochs_trained": int(epochs_trained), "best_val_accuracy": round(float(best.score), 4),
            "test_accuracy": round(float(test), 4), "best_hyperparameters": best.hyperparameters,
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "load_after": round(os.getloadavg()[0], 2)}


def _markdown(rows: list[dict], meta: dict) -> str:
    lines = [
        "# Hyperparameter search at full scale (notebook 14)",
        "",
        f"Fashion-MNIST dense networks, {meta['train']} training / {meta['val']} validation images "
        f"(objective val_accuracy), test set ({meta['test']} images) once per search. "
        f"{meta['trials']} trials of {meta['epochs']} epochs (Hyperband: max_epochs "
        f"{meta['epochs']}, factor 3). Machine: {meta['machine']}, {meta['cpus']} CPUs, "
        f"load average {meta['load_before']} at the start.",
        "",
        "| search | trials | epochs trained | best val accuracy | its test accuracy | wall s "
        "| CPU s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['search']} | {r['trials']} | {r['epochs_trained']} | "
                     f"{r['best_val_accuracy']:.4f} | {r['test_accuracy']:.4f} | "
                     f"{r['wall_s']:.0f} | {r['cpu_s']:.0f} |")
    lines += ["", "Best hyperparameters:", ""]
    lines += [f"- {r['search']}: `{r['best_hyperparameters']}`" for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--only", nargs="*", default=["random", "bayes", "hyperband"],
                        choices=["random", "bayes", "hyperband"])
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # get_best_models() restores weights only; the skipped optimizer state is expected.
    warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
    import keras

    keras.utils.set_random_seed(0)
    trials, epochs = (3, 2) if args.fast else (args.trials, args.epochs)
    data = _data(args.fast)
    meta = {"train": len(data[0][0]), "val": len(data[1][0]), "test": len(data[2][0]),
            "trials": trials, "epochs": epochs, "machine": platform.machine(),
            "cpus": os.cpu_count(), "load_before": round(os.getloadavg()[0], 2),
            "python": sys.version.split()[0], "keras": keras.__version__}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-tuning-") as directory:
        for name in args.only:
            rows.append(run_search(name, trials, epochs, data, directory))
            print(rows[-1], flush=True)
    out = Path(tempfile.gettempdir()) if args.fast else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    (out / "tuning.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    (out / "tuning.md").write_text(_markdown(rows, meta))
    print(f"wrote {out / 'tuning.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
