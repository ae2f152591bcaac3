"""Training helpers: record a run, save/load it, replay it (drawing lives in ``course_lib.views``).

``LiveMonitor`` subclasses ``keras.callbacks.Callback``, so it is resolved
lazily: ``import course_lib.training`` stays cheap and Keras/TensorFlow load
only when ``LiveMonitor`` is first used.

Example:
    >>> from course_lib.training import LiveMonitor  # doctest: +SKIP
    >>> monitor = LiveMonitor()  # doctest: +SKIP
    >>> model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[monitor])  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from course_lib.training.history import (
    BestEpoch,
    HistoryError,
    TrainingHistory,
    from_keras_history,
    metric_mode,
)
from course_lib.training.model_info import describe_model, require_compiled
from course_lib.training.monitor_output import MonitorOutput, RedrawThrottle
from course_lib.training.replay import ReplayFrame, replay_frames

if TYPE_CHECKING:
    from course_lib.training.live_monitor import LiveMonitor

__all__ = [
    "BestEpoch",
    "HistoryError",
    "LiveMonitor",
    "MonitorOutput",
    "RedrawThrottle",
    "ReplayFrame",
    "TrainingHistory",
    "describe_model",
    "from_keras_history",
    "metric_mode",
    "replay_frames",
    "require_compiled",
]


def __getattr__(name: str) -> Any:
    if name == "LiveMonitor":  # imports Keras: only when asked for
        from course_lib.training.live_monitor import LiveMonitor

        return LiveMonitor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
