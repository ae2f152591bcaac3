"""From the notebook to production: load saved models safely, predict files, measure serving.

Example:
    >>> from course_lib.production import load_saved_model, predict_file
    >>> model = load_saved_model("/tmp/sentiment.keras")          # doctest: +SKIP
    >>> predict_file(model, "reviews.txt")[:2]                     # doctest: +SKIP
"""

from __future__ import annotations

from course_lib.production.errors import KerasVersionError, ServingError
from course_lib.production.serving import (
    Prediction,
    ServingReport,
    keras_version_of,
    load_saved_model,
    measure_serving,
    predict_file,
    predict_texts,
    read_lines,
    string_batch,
)

__all__ = [
    "KerasVersionError",
    "Prediction",
    "ServingError",
    "ServingReport",
    "keras_version_of",
    "load_saved_model",
    "measure_serving",
    "predict_file",
    "predict_texts",
    "read_lines",
    "string_batch",
]
