"""Hyperparameter search: keras-tuner runs as plain data (drawn by ``course_lib.views.trials``).

Nothing here imports keras-tuner or TensorFlow at import time.

Example:
    >>> from course_lib.tuning import trials_from_records
    >>> table = trials_from_records([{"hyperparameters": {"units": 32}, "score": 0.8},
    ...                              {"hyperparameters": {"units": 64}, "score": 0.85}],
    ...                             objective="val_accuracy")
    >>> table.best().hyperparameters
    {'units': 64}
"""

from __future__ import annotations

from course_lib.tuning.errors import EmptySearchSpaceError, NoFinishedTrialsError, TuningError
from course_lib.tuning.space import SpaceSample, sample_search_space, search_space_table
from course_lib.tuning.trials import (
    TrialRecord,
    TrialTable,
    track_histories,
    trials_from_records,
    trials_from_tuner,
)

__all__ = [
    "EmptySearchSpaceError",
    "NoFinishedTrialsError",
    "SpaceSample",
    "TrialRecord",
    "TrialTable",
    "TuningError",
    "sample_search_space",
    "search_space_table",
    "track_histories",
    "trials_from_records",
    "trials_from_tuner",
]
