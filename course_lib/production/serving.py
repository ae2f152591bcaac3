"""Load a saved ``.keras`` text model safely, predict a file of texts, measure serving costs.

A model whose first layer is ``TextVectorization`` takes raw strings, so the
same file serves the notebook, a batch script and a SavedModel endpoint — one
pipeline, no train/serve skew. :func:`load_saved_model` refuses a file written
by another Keras (major.minor) version with a :class:`KerasVersionError` naming
both versions, read from the archive's ``metadata.json``.

Example:
    >>> model = load_saved_model("/tmp/sentiment.keras")                  # doctest: +SKIP
    >>> report = measure_serving("/tmp/sentiment.keras", ["great", "bad"])  # doctest: +SKIP
    >>> report.size_mb, report.latency_ms                                    # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_lib.production.errors import KerasVersionError, ServingError

__all__ = [
    "Prediction",
    "ServingReport",
    "keras_version_of",
    "load_saved_model",
    "measure_serving",
    "predict_file",
    "predict_texts",
    "read_lines",
    "string_batch",
]


def _existing(path: str | Path, what: str = "a .keras file") -> Path:
    path = Path(path)
    if not path.is_file():
        raise ServingError(
            f"Expected {what}. Received: {str(path)!r}, which "
            f"{'is a directory' if path.is_dir() else 'does not exist'}.",
            hint="save one with model.save('name.keras') and pass its path.",
        )
    return path


def keras_version_of(path: str | Path) -> str:
    """The Keras version that saved a ``.keras`` archive (its ``metadata.json``).

    Raises:
        ServingError: not a file, not a zip archive, or no version recorded.

    Example:
        >>> keras_version_of("/tmp/sentiment.keras")  # doctest: +SKIP
        '3.15.1'
    """
    path = _existing(path)
    try:
        with zipfile.ZipFile(path) as archive:
            metadata = json.loads(archive.read("metadata.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as error:
        raise ServingError(
            f"Expected a Keras 3 .keras archive with metadata.json. Received: {str(path)!r} "
            f"({type(error).__name__}: {error}).",
            hint="an .h5 file or a SavedModel folder is not a .keras file; re-save with "
                 "model.save('name.keras').",
        ) from None
    version = metadata.get("keras_version")
    if not version:
        raise ServingError(f"Expected keras_version in metadata.json. Received: {metadata!r}.",
                           hint="re-save the model with Keras 3.")
    return str(version)


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def load_saved_model(path: str | Path, check_version: bool = True) -> Any:
    """``keras.saving.load_model`` after checking that this Keras can read the file.

    Args:
        path: a ``.keras`` file.
        check_version: compare the saving Keras version with the running one
            (major.minor must match; patch releases are compatible).

    Returns:
        The model.

    Raises:
        KerasVersionError: saved with another Keras major.minor version.
        ServingError: the file is missing or not a ``.keras`` archive.

    Example:
        >>> model = load_saved_model("/tmp/sentiment.keras")  # doctest: +SKIP
    """
    import keras

    saved = keras_version_of(path)
    running = keras.__version__
    if check_version and _major_minor(saved) != _major_minor(running):
        raise KerasVersionError(
            f"Expected a model saved with Keras {'.'.join(_major_minor(running))}.x (running "
            f"Keras {running}). Received: {str(path)!r} saved with Keras {saved}.",
            hint=f"load it where Keras {saved} is installed (pip install keras=={saved}) and "
                 "re-save it, or re-train and save with this Keras; pass check_version=False "
                 "to try anyway.",
        )
    return keras.saving.load_model(str(path))


def read_lines(path: str | Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file, stripped (one text to predict per line).

    Raises:
        ServingError: the file is missing, not UTF-8, or has no non-empty line.
    """
    path = _existing(path, "a text file with one sentence per line")
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    except UnicodeDecodeError as error:
        raise ServingError(f"Expected UTF-8 text. Received: {str(path)!r} ({error}).",
                           hint="save the file as UTF-8.") from None
    lines = [line for line in lines if line]
    if not lines:
        raise ServingError(f"Expected at least one non-empty line. Received: {str(path)!r} "
                           "is empty.", hint="write one sentence per line.")
    return lines


@dataclass(frozen=True)
class Prediction:
    """One prediction of a binary text classifier."""

    text: str
    probability: float

    @property
    def label(self) -> int:
        """1 when the probability is at least 0.5."""
        return int(self.probability >= 0.5)


def string_batch(texts: list[str]) -> Any:
    """A ``(n, 1)`` ``tf.string`` tensor: the input a ``keras.Input((1,), dtype="string")`` takes.

    (NumPy string or object arrays are refused by Keras' input conversion.)
    """
    import tensorflow as tf

    return tf.constant([[str(t)] for t in texts], dtype=tf.string)


def predict_texts(model: Any, texts: list[str], batch_size: int = 256) -> list[Prediction]:
    """Run a raw-string model (``TextVectorization`` inside) on ``texts``.

    Raises:
        ServingError: no texts, or the model does not return one probability per text.
    """
    import numpy as np

    if isinstance(texts, str) or not list(texts):
        raise ServingError(f"Expected a non-empty list of texts. Received: {texts!r:.60}.",
                           hint="pass e.g. ['great phone', 'broke after a day'].")
    texts = [str(t) for t in texts]
    outputs = np.asarray(model.predict(string_batch(texts), batch_size=batch_size, verbose=0))
    if outputs.shape[0] != len(texts) or outputs.reshape(len(texts), -1).shape[1] != 1:
        raise ServingError(
            f"Expected one probability per text ({len(texts)}, 1). Received: output shape "
            f"{outputs.shape}.",
            hint="the batch tools serve binary classifiers with a Dense(1, 'sigmoid') output.",
        )
    return [Prediction(t, float(p)) for t, p in zip(texts, outputs.reshape(-1), strict=True)]


def predict_file(model: Any | str | Path, input_path: str | Path) -> list[Prediction]:
    """Predict every non-empty line of a text file (``model`` may be a ``.keras`` path).

    Raises:
        ServingError / KerasVersionError: as :func:`read_lines`, :func:`load_saved_model`
            and :func:`predict_texts`.
    """
    texts = read_lines(input_path)
    if isinstance(model, str | Path):
        model = load_saved_model(model)
    return predict_texts(model, texts)


@dataclass(frozen=True)
class ServingReport:
    """What serving a saved model costs.

    Attributes:
        size_bytes: size of the ``.keras`` file.
        load_seconds: wall time of :func:`load_saved_model`.
        latency_ms: median wall time of predicting one text (``model(x)`` eagerly, after
            a warm-up call).
        batch_ms_per_text: wall time per text when predicting all texts in one batch.
        n_texts: texts in that batch.
    """

    size_bytes: int
    load_seconds: float
    latency_ms: float
    batch_ms_per_text: float
    n_texts: int

    @property
    def size_mb(self) -> float:
        """File size in MB (10^6 bytes)."""
        return self.size_bytes / 1e6


def measure_serving(path: str | Path, texts: list[str], repeats: int = 20) -> ServingReport:
    """Measure file size, load time, single-text latency and batch cost of a saved model.

    Args:
        path: the ``.keras`` file.
        texts: sample inputs (the first one is used for the latency).
        repeats: single-text calls timed (the median is reported).

    Returns:
        A :class:`ServingReport` (wall-clock times: quote the machine's load with them).
    """
    import numpy as np

    path = _existing(path)
    if isinstance(texts, str) or not list(texts):
        raise ServingError(f"Expected a non-empty list of sample texts. Received: {texts!r:.60}.",
                           hint="pass a few validation sentences.")
    start = time.perf_counter()
    model = load_saved_model(path)
    load_seconds = time.perf_counter() - start
    one = string_batch(texts[:1])
    model(one)  # warm-up: the first call builds the graph
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        model(one)
        times.append(time.perf_counter() - start)
    batch = string_batch(texts)
    model.predict(batch, verbose=0)
    start = time.perf_counter()
    model.predict(batch, batch_size=256, verbose=0)
    batch_seconds = time.perf_counter() - start
    return ServingReport(path.stat().st_size, load_seconds, 1000 * float(np.median(times)),
                         1000 * batch_seconds / len(texts), len(texts))
