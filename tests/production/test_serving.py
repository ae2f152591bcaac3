"""Saved raw-string models: version check, batch prediction from a file, the CLI script."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from course_lib.errors import CourseError
from course_lib.production import (
    KerasVersionError,
    ServingError,
    keras_version_of,
    load_saved_model,
    measure_serving,
    predict_file,
    predict_texts,
    read_lines,
    string_batch,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
TEXTS = ["great phone , love it", "terrible , broke at once", "love the screen",
         "awful battery , terrible"] * 8
LABELS = np.array([1, 0, 1, 0] * 8)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(0)
    vectorize = keras.layers.TextVectorization(max_tokens=50, output_mode="multi_hot")
    vectorize.adapt(TEXTS)
    model = keras.Sequential([keras.Input((1,), dtype="string"), vectorize,
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="binary_crossentropy")
    model.fit(string_batch(TEXTS), LABELS, epochs=30, verbose=0)
    path = tmp_path_factory.mktemp("model") / "sentiment.keras"
    model.save(path)
    return path


def _with_version(source: Path, target: Path, version: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.namelist():
            data = old.read(item)
            if item == "metadata.json":
                meta = json.loads(data)
                meta["keras_version"] = version
                data = json.dumps(meta).encode()
            new.writestr(item, data)
    return target


def test_reload_predicts_the_same(saved):
    import keras

    assert keras_version_of(saved) == keras.__version__
    model = load_saved_model(saved)
    preds = predict_texts(model, ["love it", "terrible"])
    assert preds[0].label == 1 and preds[1].label == 0, preds


def test_other_keras_version_is_refused_naming_both(saved, tmp_path):
    import keras

    old = _with_version(saved, tmp_path / "old.keras", "2.15.0")
    with pytest.raises(KerasVersionError) as info:
        load_saved_model(old)
    assert "2.15.0" in str(info.value) and keras.__version__ in str(info.value)
    assert isinstance(info.value, CourseError)
    patch = _with_version(saved, tmp_path / "patch.keras",
                          ".".join(keras.__version__.split(".")[:2]) + ".99")
    assert load_saved_model(patch) is not None, "a patch release differs: still loads"


def test_bad_files(tmp_path, saved):
    with pytest.raises(ServingError, match="does not exist"):
        keras_version_of(tmp_path / "nope.keras")
    (tmp_path / "x.keras").write_text("not a zip")
    with pytest.raises(ServingError, match="metadata.json"):
        keras_version_of(tmp_path / "x.keras")
    (tmp_path / "empty.txt").write_text("\n  \n")
    with pytest.raises(ServingError, match="non-empty line"):
        read_lines(tmp_path / "empty.txt")
    with pytest.raises(ServingError):
        predict_texts(load_saved_model(saved), [])


def test_predict_file_and_measure(saved, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("love it\n\n terrible , awful \n", encoding="utf-8")
    preds = predict_file(saved, source)
    assert [p.text for p in preds] == ["love it", "terrible , awful"]
    assert [p.label for p in preds] == [1, 0]
    report = measure_serving(saved, TEXTS[:8], repeats=3)
    assert report.size_bytes == saved.stat().st_size and report.n_texts == 8
    assert report.load_seconds > 0 and report.latency_ms > 0 and report.batch_ms_per_text > 0


def test_batch_script(saved, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("love it\nterrible\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "predict_batch.py"), str(saved),
                          str(source), "--output", str(out)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "probability\tlabel\ttext" and len(rows) == 3
    assert rows[1].split("\t")[1:] == ["1", "love it"]
    bad = subprocess.run([sys.executable, str(REPO / "scripts" / "predict_batch.py"), str(saved),
                          str(tmp_path / "missing.txt")], capture_output=True, text=True,
                         timeout=300)
    assert bad.returncode == 2 and "does not exist" in bad.stderr
