"""`LiveMonitor`: a Keras callback that records a run and draws it while it trains.

This module imports Keras at the top because the class must subclass
``keras.callbacks.Callback``. It stays out of ``import course_lib`` and
``import course_lib.training``: the package resolves ``LiveMonitor`` lazily
(a module-level ``__getattr__``), so Keras/TensorFlow load only when a
notebook first touches the callback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import keras

from course_lib.config import view_mode
from course_lib.errors import ConfigError
from course_lib.training.history import VAL_PREFIX, HistoryError, TrainingHistory
from course_lib.training.model_info import describe_model, require_compiled
from course_lib.training.monitor_output import MonitorOutput, RedrawThrottle, create_output

_OUTPUTS = ("auto", "static", "interactive", "none")


class LiveMonitor(keras.callbacks.Callback):
    """Record loss and every compiled metric (train vs validation) and draw them live.

    In JupyterLab and Voila the figure updates in place while the model trains
    (one image widget whose picture is replaced: no ``clear_output`` flicker).
    Redraws are throttled: at most every ``min_interval`` seconds and never
    more than ``overhead_budget`` of the training time; the final state is
    always drawn. In scripts, tests, nbval and HTML export
    (``course_lib.config.view_mode() == "static"``) nothing is drawn during
    training and one static figure is drawn at the end.

    The record is :attr:`history` (a :class:`TrainingHistory`): save it with
    ``monitor.history.save_json(path)``, replay it with
    ``course_lib.views.training.replay``, overlay runs with ``compare_runs``.

    Args:
        metrics: base metric names to draw (``["loss", "accuracy"]``); default:
            every logged metric. All metrics are recorded regardless.
        per_batch: also record the running per-batch values and draw them as a
            faint curve (Keras reports the mean since the epoch started).
        log_scale: log y axis for loss-like panels (lower is better).
        best_epoch: mark the epoch with the best ``val_loss`` (``loss`` without
            validation) in every panel.
        show_time: add a panel with seconds per epoch.
        min_interval: smallest gap between redraws, in seconds.
        overhead_budget: largest share of wall time spent redrawing.
        output: ``"auto"`` (follow ``view_mode()``), ``"static"``,
            ``"interactive"``, ``"none"`` (record only), or any
            :class:`~course_lib.training.monitor_output.MonitorOutput`.
        name: run label for titles and legends.

    Attributes:
        history: the run recorded so far; a new one starts at every ``fit``.
        output: the output in use (after training starts).

    Raises:
        ModelError: at the start of training, if the model is not compiled.
        HistoryError: after the first epoch, if ``metrics`` names an unlogged metric.
        ConfigError: an unknown ``output`` string or a bad throttle setting.

    Example:
        >>> monitor = LiveMonitor(per_batch=True, log_scale=True)  # doctest: +SKIP
        >>> model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[monitor])  # doctest: +SKIP
        >>> monitor.history.save_json("runs/baseline.json")  # doctest: +SKIP
    """

    # Batch logs are only appended under a lock, so Keras may call the batch hook
    # from its worker thread instead of waiting for it (no per-batch sync point).
    async_safe = True

    def __init__(
        self,
        metrics: Sequence[str] | None = None,
        *,
        per_batch: bool = False,
        log_scale: bool = False,
        best_epoch: bool = True,
        show_time: bool = True,
        min_interval: float = 0.5,
        overhead_budget: float = 0.02,
        output: str | MonitorOutput = "auto",
        name: str = "",
    ) -> None:
        super().__init__()
        if isinstance(metrics, str):
            metrics = [metrics]
        self.metrics = list(metrics) if metrics is not None else None
        self.per_batch = bool(per_batch)
        self.log_scale = bool(log_scale)
        self.best_epoch = bool(best_epoch)
        self.show_time = bool(show_time)
        self.name = name
        self.throttle = RedrawThrottle(min_interval, overhead_budget)
        if isinstance(output, str) and output not in _OUTPUTS:
            raise ConfigError(
                f"Expected output to be one of {_OUTPUTS} or a MonitorOutput. "
                f"Received: output={output!r}.",
                hint="use output='auto' (live in Jupyter, one static figure elsewhere).",
            )
        if not isinstance(output, str) and not isinstance(output, MonitorOutput):
            raise ConfigError(
                f"Expected output to have start/update/finish methods. Received: {output!r}.",
                hint="pass 'auto', or an object with start/update/finish (see MonitorOutput).",
            )
        self._output_spec = output
        self.output: MonitorOutput | None = None
        self.history = TrainingHistory(name=name)
        self._lock = threading.Lock()
        self._epoch_start = 0.0
        self._epoch = 0
        self._steps: int | None = None
        self._checked_metrics = False
        if self.per_batch:
            # Defined only when asked for: Keras skips batch hooks a callback leaves default.
            self.on_train_batch_end = self._record_batch
            self.on_train_batch_begin = self._maybe_redraw_mid_epoch

    # ----------------------------------------------------------------- hooks
    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        """Check the model, start a fresh history, and open the output."""
        logs = logs or {}
        require_compiled(self.model, "LiveMonitor")
        params = self.params or {}
        self.history = TrainingHistory(
            name=self.name, model_info=describe_model(self.model, params=params)
        )
        self._steps = params.get("steps")
        self._checked_metrics = False
        self.throttle.reset()
        self.output = self._make_output()
        self.output.start(self.history, params.get("epochs"))

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Start the epoch's clock."""
        self._epoch = epoch
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Record the epoch's logs and time, then redraw if the throttle allows."""
        logs = logs or {}
        seconds = time.perf_counter() - self._epoch_start
        with self._lock:
            self.history.append_epoch(epoch, logs, seconds)
        if not self._checked_metrics:
            self._check_metrics()
        self._redraw_if_ready()

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        """Draw the final state (always, whatever the throttle says)."""
        if self.output is None:
            return
        start = time.perf_counter()
        self.output.finish(self.history)
        self.throttle.record(start, time.perf_counter())

    @property
    def figure(self) -> Any:
        """The figure drawn by the output (``None`` before drawing, or for ``output="none"``)."""
        return getattr(self.output, "figure", None)

    # ------------------------------------------------------------- internals
    def _record_batch(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        steps = self._steps or (batch + 1)
        position = self._epoch + (batch + 1) / max(steps, batch + 1)
        with self._lock:
            self.history.append_batch(position, logs)

    def _maybe_redraw_mid_epoch(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        # Runs on the main thread (Keras calls batch-begin hooks synchronously),
        # so widgets are only ever touched from there.
        if self.history.n_epochs and self.throttle.ready():
            self._redraw_if_ready()

    def _redraw_if_ready(self) -> None:
        if self.output is None or not self.throttle.ready():
            return
        start = time.perf_counter()
        with self._lock:
            snapshot = self.history.head(float("inf"))
        self.output.update(snapshot)
        self.throttle.record(start, time.perf_counter())

    def _check_metrics(self) -> None:
        self._checked_metrics = True
        if self.metrics is None:
            return
        for metric in self.metrics:
            if metric.startswith(VAL_PREFIX):
                raise HistoryError(
                    f"LiveMonitor metrics take base names; validation is drawn automatically. "
                    f"Received: {metric!r}.",
                    hint=f"use {metric.removeprefix(VAL_PREFIX)!r}.",
                )
            self.history.check_metric(metric)

    def _make_output(self) -> MonitorOutput:
        spec = self._output_spec
        if not isinstance(spec, str):
            return spec
        if spec == "none":
            return _NullOutput()
        mode = view_mode() if spec == "auto" else spec
        # Views register the outputs they provide (monitor_output.register_output):
        # recording never imports drawing code.
        return create_output(
            "interactive" if mode == "interactive" else "static",
            metrics=self.metrics,
            log_scale=self.log_scale,
            best_epoch=self.best_epoch,
            per_batch=self.per_batch,
            show_time=self.show_time,
        )


class _NullOutput:
    """Records nothing and draws nothing (``output="none"``)."""

    def start(self, history: TrainingHistory, total_epochs: int | None) -> None:
        return None

    def update(self, history: TrainingHistory) -> None:
        return None

    def finish(self, history: TrainingHistory) -> None:
        return None
