"""`CallbackTimeline`: run Keras callbacks and record what each one did, and when.

Pass your callbacks to a :class:`CallbackTimeline` and the timeline to ``fit``;
it calls them in the same order Keras would and watches what changed around
each call: the learning rate (``ReduceLROnPlateau``, ``LearningRateScheduler``,
your own), files written (``ModelCheckpoint``), ``model.stop_training``
(``EarlyStopping``, ``TerminateOnNaN``) and the weights ``EarlyStopping``
restored at the end. Before the callbacks see an epoch's logs it checks that
every monitored metric is logged, and raises :class:`UnloggedMetricError`
naming the logged ones (Keras only warns, every epoch, and then silently does
nothing). The result is plain data — :attr:`CallbackTimeline.events`, the
learning rate of every epoch and the run's :class:`TrainingHistory` — drawn by
``course_lib.views.callbacks.plot_timeline``.

Example:
    >>> timeline = CallbackTimeline([keras.callbacks.EarlyStopping(patience=2),
    ...     keras.callbacks.ReduceLROnPlateau(patience=1)])  # doctest: +SKIP
    >>> model.fit(x, y, validation_split=0.2, epochs=20, callbacks=[timeline])  # doctest: +SKIP
    >>> [str(e) for e in timeline.events]  # doctest: +SKIP
    ['epoch 4 ReduceLROnPlateau: learning rate 0.001 -> 0.0001', ...]
"""

from __future__ import annotations

import difflib
import math
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import keras

from course_lib.errors import ModelError
from course_lib.training.history import TrainingHistory


class UnloggedMetricError(ModelError):
    """A callback monitors a metric that training does not log."""


@dataclass(frozen=True)
class CallbackEvent:
    """One thing a callback did.

    Attributes:
        epoch: the 1-based epoch (as Keras prints it) the event belongs to.
        when: ``"epoch_begin"``, ``"epoch_end"``, ``"batch_end"`` or ``"train_end"``.
        callback: the callback's class name.
        kind: ``"lr"``, ``"checkpoint"``, ``"stop"`` or ``"restore"``.
        message: what happened, in words.
        value: the number behind it (new learning rate, restored epoch, ...).
    """

    epoch: int
    when: str
    callback: str
    kind: str
    message: str
    value: float | None = None

    @property
    def x(self) -> float:
        """Position on a training-curve x axis (epoch ``e`` ends at ``x = e``)."""
        return self.epoch - 0.5 if self.when == "epoch_begin" else float(self.epoch)

    def __str__(self) -> str:
        return f"epoch {self.epoch} {self.callback}: {self.message}"


def check_monitor(callback_name: str, monitor: str, logs: Mapping[str, Any]) -> None:
    """Raise :class:`UnloggedMetricError` when ``monitor`` is not among the logged keys.

    Args:
        callback_name: for the message, e.g. ``"EarlyStopping"``.
        monitor: the key the callback compares (``"val_loss"``).
        logs: the epoch's logs.

    Raises:
        UnloggedMetricError: ``monitor`` is missing; the message lists the logged keys.

    Example:
        >>> check_monitor("EarlyStopping", "val_los", {"loss": 1.0, "val_loss": 1.2})
        Traceback (most recent call last):
        ...
        course_lib.training.callback_log.UnloggedMetricError: EarlyStopping(monitor='val_los') ...
    """
    if monitor in logs:
        return
    keys = sorted(logs)
    close = difflib.get_close_matches(monitor, keys, n=1, cutoff=0.6)
    if monitor.startswith("val_") and monitor.removeprefix("val_") in logs:
        hint = ("val_ metrics exist only with validation data: pass validation_split=0.2 or "
                "validation_data=(x_val, y_val) to fit.")
    elif close:
        hint = f"did you mean monitor={close[0]!r}?"
    else:
        hint = "monitor one of the logged keys, or add the metric to model.compile(metrics=[...])."
    raise UnloggedMetricError(
        f"{callback_name}(monitor={monitor!r}) watches a metric that is not logged. "
        f"Logged metrics: {keys}.",
        hint=hint,
    )


def _learning_rate(model: Any) -> float | None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        return None
    try:
        return float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    except (TypeError, ValueError):  # a LearningRateSchedule object: no single value
        return None


def _is_nan(value: Any) -> bool:
    try:
        return math.isnan(float(value)) or math.isinf(float(value))
    except (TypeError, ValueError):
        return False


@dataclass
class _Watch:
    """What the timeline looks at before a callback runs."""

    lr: float | None
    stop: bool
    files: dict[str, int] = field(default_factory=dict)


class CallbackTimeline(keras.callbacks.Callback):
    """Run ``callbacks`` inside ``fit`` and record when each changed something.

    Args:
        callbacks: the Keras callbacks to run (and watch), in order.
        check_monitors: raise :class:`UnloggedMetricError` at the first epoch end
            if a callback's ``monitor`` is not logged.

    Attributes:
        events: every :class:`CallbackEvent`, in order.
        learning_rates: the learning rate used in each epoch (``None`` if unknown).
        history: the run's :class:`TrainingHistory` (epoch logs; ``learning_rate``
            is kept separately in :attr:`learning_rates`).
        hook_log: ``(hook, epoch or batch)`` calls received, in order (the life cycle).

    Raises:
        UnloggedMetricError: during ``fit``, see ``check_monitors``.
        ModelError: ``callbacks`` holds something that is not a Keras callback.

    Example:
        >>> timeline = CallbackTimeline([keras.callbacks.TerminateOnNaN()])  # doctest: +SKIP
        >>> model.fit(x, y, epochs=5, callbacks=[timeline])  # doctest: +SKIP
    """

    def __init__(self, callbacks: Iterable[keras.callbacks.Callback] = (),
                 check_monitors: bool = True) -> None:
        super().__init__()
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, keras.callbacks.Callback):
                raise ModelError(
                    f"Expected Keras callbacks. Received: {cb!r} ({type(cb).__name__}).",
                    hint="pass instances, e.g. keras.callbacks.EarlyStopping(patience=3).",
                )
        self.check_monitors = check_monitors
        self._reset()

    def _reset(self) -> None:
        self.events: list[CallbackEvent] = []
        self.learning_rates: list[float | None] = []
        self.history = TrainingHistory()
        self.hook_log: list[tuple[str, int | None]] = []
        self._epoch = 0
        self._checked = False
        self._epoch_start = 0.0

    # --------------------------------------------------------- Keras plumbing
    def set_model(self, model: Any) -> None:
        super().set_model(model)
        for cb in self.callbacks:
            cb.set_model(model)

    def set_params(self, params: Any) -> None:
        super().set_params(params)
        for cb in self.callbacks:
            cb.set_params(params)

    # ------------------------------------------------------------ watching
    def _files(self, cb: Any, logs: Mapping[str, Any] | None) -> dict[str, int]:
        if not isinstance(cb, keras.callbacks.ModelCheckpoint):
            return {}
        try:
            path = cb._get_file_path(self._epoch, None, dict(logs or {}))
        except (AttributeError, KeyError, TypeError, ValueError):
            path = cb.filepath
        path = os.fspath(path)
        return {path: os.stat(path).st_mtime_ns if os.path.exists(path) else -1}

    def _around(self, when: str, hook: str, *args: Any, logs: Mapping[str, Any] | None = None,
                batch: int | None = None) -> None:
        for cb in self.callbacks:
            before = _Watch(_learning_rate(self.model), bool(self.model.stop_training),
                            self._files(cb, logs))
            getattr(cb, hook)(*args, logs)
            self._compare(cb, when, before, logs, batch)

    def _compare(self, cb: Any, when: str, before: _Watch, logs: Mapping[str, Any] | None,
                 batch: int | None) -> None:
        name = type(cb).__name__
        epoch = self._epoch + 1
        lr = _learning_rate(self.model)
        if lr is not None and before.lr is not None and not math.isclose(lr, before.lr,
                                                                        rel_tol=1e-6):
            self._add(epoch, when, name, "lr", f"learning rate {before.lr:.3g} -> {lr:.3g}", lr)
        for path, mtime in before.files.items():
            if os.path.exists(path) and os.stat(path).st_mtime_ns != mtime:
                monitor = getattr(cb, "monitor", None)
                value = (logs or {}).get(monitor) if monitor else None
                detail = f" ({monitor} {float(value):.4g})" if value is not None else ""
                self._add(epoch, when, name, "checkpoint",
                          f"saved {os.path.basename(path)}{detail}",
                          None if value is None else float(value))
        if self.model.stop_training and not before.stop:
            self._add(epoch, when, name, "stop", self._stop_reason(cb, logs, batch))

    def _stop_reason(self, cb: Any, logs: Mapping[str, Any] | None, batch: int | None) -> str:
        if isinstance(cb, keras.callbacks.EarlyStopping):
            return (f"stopped: no {cb.monitor} improvement for {cb.patience} epoch(s) "
                    f"(best epoch {cb.best_epoch + 1})")
        if isinstance(cb, keras.callbacks.TerminateOnNaN):
            return f"stopped: loss {(logs or {}).get('loss')} at batch {batch}"
        return "set model.stop_training"

    def _add(self, epoch: int, when: str, callback: str, kind: str, message: str,
             value: float | None = None) -> None:
        self.events.append(CallbackEvent(epoch, when, callback, kind, message, value))

    # ----------------------------------------------------------------- hooks
    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self._reset()
        self.hook_log.append(("on_train_begin", None))
        for cb in self.callbacks:
            cb.on_train_begin(logs)

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        self._epoch = epoch
        self._epoch_start = time.perf_counter()
        self.hook_log.append(("on_epoch_begin", epoch))
        self._around("epoch_begin", "on_epoch_begin", epoch, logs=logs)
        self.learning_rates.append(_learning_rate(self.model))

    def on_train_batch_begin(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        self.hook_log.append(("on_train_batch_begin", batch))
        for cb in self.callbacks:
            cb.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: Mapping[str, Any] | None = None) -> None:
        self.hook_log.append(("on_train_batch_end", batch))
        self._around("batch_end", "on_train_batch_end", batch, logs=logs, batch=batch)

    def on_test_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        self.hook_log.append(("on_test_begin", None))
        for cb in self.callbacks:
            cb.on_test_begin(logs)

    def on_test_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.hook_log.append(("on_test_end", None))
        for cb in self.callbacks:
            cb.on_test_end(logs)

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        logs = dict(logs or {})
        self.hook_log.append(("on_epoch_end", epoch))
        if self.check_monitors and not self._checked:
            self._checked = True
            for cb in self.callbacks:
                monitor = getattr(cb, "monitor", None)
                if isinstance(monitor, str) and not (
                        isinstance(cb, keras.callbacks.ModelCheckpoint) and not cb.save_best_only):
                    check_monitor(type(cb).__name__, monitor, logs)
        self.history.append_epoch(epoch, {k: v for k, v in logs.items()
                                          if k != "learning_rate" and not _is_array(v)},
                                  time.perf_counter() - self._epoch_start)
        self._around("epoch_end", "on_epoch_end", epoch, logs=logs)

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        self.hook_log.append(("on_train_end", None))
        for cb in self.callbacks:
            cb.on_train_end(logs)
            if (isinstance(cb, keras.callbacks.EarlyStopping) and cb.restore_best_weights
                    and cb.best_weights is not None and cb.stopped_epoch > 0):
                self._add(cb.best_epoch + 1, "train_end", type(cb).__name__, "restore",
                          f"restored the weights of epoch {cb.best_epoch + 1}",
                          float(cb.best_epoch + 1))

    # --------------------------------------------------------------- queries
    def events_of(self, kind: str | None = None,
                  callback: str | None = None) -> list[CallbackEvent]:
        """The events of one kind and/or one callback class name."""
        return [e for e in self.events if (kind is None or e.kind == kind)
                and (callback is None or e.callback == callback)]

    def rows(self) -> list[dict[str, Any]]:
        """The events as dicts (for a DataFrame)."""
        return [{"epoch": e.epoch, "when": e.when, "callback": e.callback, "kind": e.kind,
                 "what": e.message} for e in self.events]

    def lifecycle(self, collapse_batches: bool = True) -> list[str]:
        """The hooks received, in order; runs of batch hooks shown as one line.

        Example:
            >>> timeline.lifecycle()[:3]  # doctest: +SKIP
            ['on_train_begin', 'on_epoch_begin(0)', 'on_train_batch_begin/end x 25']
        """
        lines: list[str] = []
        count = 0
        for hook, arg in self.hook_log:
            if collapse_batches and hook.startswith("on_train_batch"):
                count += 1
                continue
            if count:
                lines.append(f"on_train_batch_begin/end x {count // 2}")
                count = 0
            lines.append(hook if arg is None else f"{hook}({arg})")
        if count:
            lines.append(f"on_train_batch_begin/end x {count // 2}")
        return lines


def _is_array(value: Any) -> bool:
    return hasattr(value, "shape") and len(getattr(value, "shape", ())) > 0

