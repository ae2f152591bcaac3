"""`TrainingHistory`: one training run as plain data (no Keras, no drawing).

A run is recorded per epoch (what ``History.history`` holds), optionally per
batch, with the seconds each epoch took and a short description of the model
and how it was compiled. It saves to JSON and loads back unchanged, so a
lecture can replay a run without training, and several runs can be overlaid.

Per-batch values are what Keras passes to ``on_train_batch_end``: the running
mean of each metric since the start of that epoch (Keras resets its metrics
every epoch), not the value of the single batch.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

from course_lib.errors import TrainingError

FORMAT = "course_lib.TrainingHistory"
FORMAT_VERSION = 1
VAL_PREFIX = "val_"

# Metrics where bigger is better (Keras' EarlyStopping uses the same rule for mode="auto").
_MAX_HINTS = ("acc", "auc", "precision", "recall", "f1", "iou", "r2")


class HistoryError(TrainingError):
    """A training history is empty, inconsistent, corrupt, or lacks a metric."""


class BestEpoch(NamedTuple):
    """The best epoch of a run for one monitored value.

    Attributes:
        index: position in the history's lists (0-based).
        epoch: the epoch number as Keras prints it (1-based).
        monitor: the log key that was compared, e.g. ``"val_loss"``.
        value: the best value.
    """

    index: int
    epoch: int
    monitor: str
    value: float


def metric_mode(name: str) -> str:
    """``"max"`` for metrics where higher is better (accuracy, AUC, ...), else ``"min"``.

    Example:
        >>> metric_mode("val_accuracy"), metric_mode("loss")
        ('max', 'min')
    """
    base = name.removeprefix(VAL_PREFIX).lower()
    return "max" if any(hint in base for hint in _MAX_HINTS) else "min"


def _as_float(value: Any, where: str) -> float:
    if value is None:  # JSON has no NaN; a diverged loss is stored as null
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        raise HistoryError(
            f"Expected numbers in {where}. Received: {value!r} ({type(value).__name__}).",
            hint="log scalar metrics only (Keras logs are floats).",
        ) from None


def _json_number(value: float) -> float | None:
    return None if math.isnan(value) else value


@dataclass
class TrainingHistory:
    """The record of one training run.

    Args:
        logs: per-epoch values by Keras log key (``"loss"``, ``"val_loss"``,
            ``"accuracy"``, ...), one value per epoch, like ``History.history``.
        epochs: the Keras epoch index (0-based) of each entry; defaults to
            ``0, 1, 2, ...``.
        epoch_times: seconds each epoch took (training + validation); may be empty.
        batch_logs: per-batch running means by log key (training keys only).
        batch_positions: where each batch record sits, in epochs: batch ``b`` of
            ``steps`` in epoch ``e`` is at ``e + (b + 1) / steps``, so it ends at
            the epoch's own x position ``e + 1``.
        model_info: model and compile description (see :func:`describe_model`).
        name: a label for the run, used by legends.

    Raises:
        HistoryError: through :meth:`validate`, when the lists do not line up.

    Example:
        >>> h = TrainingHistory({"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}, name="base")
        >>> h.n_epochs, h.metric_names, h.best_epoch().epoch
        (2, ['loss'], 2)
    """

    logs: dict[str, list[float]] = field(default_factory=dict)
    epochs: list[int] = field(default_factory=list)
    epoch_times: list[float] = field(default_factory=list)
    batch_logs: dict[str, list[float]] = field(default_factory=dict)
    batch_positions: list[float] = field(default_factory=list)
    model_info: dict[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        self.logs = {str(k): [_as_float(v, f"logs[{k!r}]") for v in vals]
                     for k, vals in _items(self.logs, "logs")}
        self.batch_logs = {str(k): [_as_float(v, f"batch_logs[{k!r}]") for v in vals]
                           for k, vals in _items(self.batch_logs, "batch_logs")}
        self.epoch_times = [_as_float(v, "epoch_times") for v in self.epoch_times]
        self.batch_positions = [_as_float(v, "batch_positions") for v in self.batch_positions]
        if not self.epochs and self.logs:
            self.epochs = list(range(len(next(iter(self.logs.values())))))
        self.epochs = [int(e) for e in self.epochs]

    # ----------------------------------------------------------------- queries
    @property
    def n_epochs(self) -> int:
        """Number of recorded epochs."""
        return len(self.epochs)

    @property
    def keys(self) -> list[str]:
        """Every per-epoch log key, e.g. ``['loss', 'accuracy', 'val_loss', ...]``."""
        return list(self.logs)

    @property
    def metric_names(self) -> list[str]:
        """Base metric names (no ``val_`` prefix), ``"loss"`` first.

        Example:
            >>> TrainingHistory({"accuracy": [1.0], "loss": [1.0], "val_loss": [2.0]}).metric_names
            ['loss', 'accuracy']
        """
        names: list[str] = []
        for key in self.logs:
            base = key.removeprefix(VAL_PREFIX)
            if base not in names:
                names.append(base)
        return sorted(names, key=lambda n: n != "loss")

    @property
    def x(self) -> list[int]:
        """The x position of each epoch in plots: the 1-based epoch number."""
        return [e + 1 for e in self.epochs]

    def has_validation(self, metric: str) -> bool:
        """True when ``val_<metric>`` was recorded."""
        return VAL_PREFIX + metric in self.logs

    def check_metric(self, metric: str) -> str:
        """Return ``metric`` if the run recorded it, else raise naming the known ones.

        Raises:
            HistoryError: unknown metric name.
        """
        if metric not in self.metric_names:
            raise HistoryError(
                f"Unknown metric {metric!r} for run {self.name or '<unnamed>'}. "
                f"Recorded metrics: {self.metric_names}.",
                hint="use one of the recorded names (the keys of History.history without 'val_'),"
                " or add the metric to model.compile(metrics=[...]).",
            )
        return metric

    def series(self, key: str) -> list[float]:
        """The per-epoch values of one log key (``"val_accuracy"``, ...).

        Raises:
            HistoryError: the key was not recorded.
        """
        if key not in self.logs:
            self.check_metric(key.removeprefix(VAL_PREFIX))
            raise HistoryError(
                f"Run {self.name or '<unnamed>'} has no {key!r}: it was trained without "
                f"validation data. Recorded keys: {self.keys}.",
                hint="pass validation_data=... or validation_split=0.2 to model.fit.",
            )
        return self.logs[key]

    def best_epoch(self, monitor: str | None = None, mode: str = "auto") -> BestEpoch:
        """The epoch with the best value of ``monitor``.

        Args:
            monitor: log key; defaults to ``"val_loss"`` when recorded, else ``"loss"``.
            mode: ``"min"``, ``"max"`` or ``"auto"`` (max for accuracy-like names).

        Returns:
            A :class:`BestEpoch`. NaN values never win.

        Raises:
            HistoryError: empty history, unknown key, or every value is NaN.

        Example:
            >>> TrainingHistory({"loss": [3.0, 1.0, 2.0]}).best_epoch()
            BestEpoch(index=1, epoch=2, monitor='loss', value=1.0)
        """
        self._require_epochs()
        if monitor is None:
            monitor = "val_loss" if "val_loss" in self.logs else "loss"
        if mode not in ("auto", "min", "max"):
            raise HistoryError(
                f"Expected mode to be 'auto', 'min' or 'max'. Received: mode={mode!r}.",
                hint="use mode='auto' unless the metric name hides its direction.",
            )
        values = self.series(monitor)
        mode = metric_mode(monitor) if mode == "auto" else mode
        finite = [(v, i) for i, v in enumerate(values) if not math.isnan(v)]
        if not finite:
            raise HistoryError(
                f"Every value of {monitor!r} is NaN (training diverged).",
                hint="lower the learning rate and train again.",
            )
        value, index = (min if mode == "min" else max)(finite, key=lambda pair: pair[0])
        return BestEpoch(index, self.epochs[index] + 1, monitor, value)

    # ----------------------------------------------------------- construction
    def append_epoch(self, epoch: int, logs: Mapping[str, Any], seconds: float | None) -> None:
        """Add one epoch's logs (used by :class:`~course_lib.training.LiveMonitor`).

        Keys missing from ``logs`` but known from earlier epochs get NaN, and
        new keys are back-filled with NaN, so every list keeps one entry per epoch.
        """
        n = self.n_epochs
        for key, value in logs.items():
            if key not in self.logs:
                self.logs[key] = [math.nan] * n
            self.logs[key].append(_as_float(value, f"logs[{key!r}]"))
        for values in self.logs.values():
            if len(values) == n:
                values.append(math.nan)
        self.epochs.append(int(epoch))
        if seconds is not None:
            self.epoch_times.append(float(seconds))

    def append_batch(self, position: float, logs: Mapping[str, Any]) -> None:
        """Add one batch record at ``position`` (in epochs, see the class docs)."""
        n = len(self.batch_positions)
        for key, value in logs.items():
            if key not in self.batch_logs:
                self.batch_logs[key] = [math.nan] * n
            self.batch_logs[key].append(_as_float(value, f"batch_logs[{key!r}]"))
        for values in self.batch_logs.values():
            if len(values) == n:
                values.append(math.nan)
        self.batch_positions.append(float(position))

    def head(self, upto: float) -> TrainingHistory:
        """A copy holding only what was known at x position ``upto`` (in epochs).

        Epoch entries with ``x <= upto`` and batch entries with position
        ``<= upto`` are kept; replay animations draw these prefixes.

        Example:
            >>> TrainingHistory({"loss": [3.0, 2.0, 1.0]}).head(2).logs
            {'loss': [3.0, 2.0]}
        """
        n = sum(1 for x in self.x if x <= upto + 1e-9)
        nb = sum(1 for p in self.batch_positions if p <= upto + 1e-9)
        return TrainingHistory(
            logs={k: v[:n] for k, v in self.logs.items()},
            epochs=self.epochs[:n],
            epoch_times=self.epoch_times[:n],
            batch_logs={k: v[:nb] for k, v in self.batch_logs.items()},
            batch_positions=self.batch_positions[:nb],
            model_info=self.model_info,
            name=self.name,
        )

    # ------------------------------------------------------------- validation
    def _require_epochs(self) -> None:
        if self.n_epochs == 0 or not self.logs:
            raise HistoryError(
                f"The training history {self.name or '<unnamed>'} is empty: no epoch was recorded.",
                hint="train for at least one epoch (model.fit(..., epochs=1) or more) first.",
            )

    def validate(self) -> TrainingHistory:
        """Check that the record is non-empty and its lists line up.

        Returns:
            ``self``, so calls chain.

        Raises:
            HistoryError: empty, mismatched lengths, or epochs not increasing.

        Example:
            >>> TrainingHistory({"loss": [1.0, 0.5]}).validate().n_epochs
            2
        """
        self._require_epochs()
        n = self.n_epochs
        lengths = {key: len(values) for key, values in self.logs.items()}
        bad = {key: length for key, length in lengths.items() if length != n}
        if bad:
            raise HistoryError(
                f"Mismatched history lengths: {n} epochs but {bad}. All lengths: {lengths}.",
                hint="give one value per epoch for every key (as History.history does).",
            )
        if any(b <= a for a, b in zip(self.epochs, self.epochs[1:], strict=False)):
            raise HistoryError(
                f"Expected increasing epoch numbers. Received: epochs={self.epochs}.",
                hint="record each epoch once, in order.",
            )
        if self.epoch_times and len(self.epoch_times) != n:
            raise HistoryError(
                f"Mismatched history lengths: {n} epochs but {len(self.epoch_times)} epoch times.",
                hint="give one time per epoch, or none (epoch_times=[]).",
            )
        nb = len(self.batch_positions)
        bad_batches = {k: len(v) for k, v in self.batch_logs.items() if len(v) != nb}
        if bad_batches:
            raise HistoryError(
                f"Mismatched batch log lengths: {nb} batch positions but {bad_batches}.",
                hint="give one value per batch position for every batch key.",
            )
        return self

    # --------------------------------------------------------------- JSON I/O
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN becomes ``null``; :meth:`from_dict` reverses it)."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "name": self.name,
            "epochs": list(self.epochs),
            "logs": {k: [_json_number(v) for v in vals] for k, vals in self.logs.items()},
            "epoch_times": [_json_number(v) for v in self.epoch_times],
            "batch_positions": [_json_number(v) for v in self.batch_positions],
            "batch_logs": {k: [_json_number(v) for v in vals]
                           for k, vals in self.batch_logs.items()},
            "model_info": self.model_info,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingHistory:
        """Rebuild a history written by :meth:`to_dict`, or from a plain ``History.history`` dict.

        Raises:
            HistoryError: wrong format marker, unsupported version, or bad content.

        Example:
            >>> TrainingHistory.from_dict({"loss": [1.0, 0.5]}).n_epochs
            2
        """
        if not isinstance(data, Mapping):
            raise HistoryError(
                f"Expected a dict describing a training history. Received: {type(data).__name__}.",
                hint="pass History.history, a TrainingHistory.to_dict() result, or use load_json.",
            )
        if "format" not in data:  # a bare History.history dict
            return cls(logs=dict(data)).validate()
        if data.get("format") != FORMAT:
            raise HistoryError(
                f"Expected format={FORMAT!r}. Received: format={data.get('format')!r}.",
                hint="load files written by TrainingHistory.save_json.",
            )
        if data.get("version") != FORMAT_VERSION:
            raise HistoryError(
                f"Unsupported history version {data.get('version')!r} "
                f"(this course_lib reads version {FORMAT_VERSION}).",
                hint="re-save the run with this version of course_lib.",
            )
        return cls(
            logs=dict(data.get("logs") or {}),
            epochs=list(data.get("epochs") or []),
            epoch_times=list(data.get("epoch_times") or []),
            batch_logs=dict(data.get("batch_logs") or {}),
            batch_positions=list(data.get("batch_positions") or []),
            model_info=dict(data.get("model_info") or {}),
            name=str(data.get("name") or ""),
        ).validate()

    def save_json(self, path: str | Path) -> Path:
        """Write the run to ``path`` as JSON (strict: no NaN literals).

        Returns:
            The path written.

        Raises:
            HistoryError: the history is empty or inconsistent.

        Example:
            >>> monitor.history.save_json("runs/dropout.json")  # doctest: +SKIP
        """
        self.validate()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1, allow_nan=False), encoding="utf-8")
        return path

    @classmethod
    def load_json(cls, path: str | Path) -> TrainingHistory:
        """Read a run saved by :meth:`save_json` (or a JSON dump of ``History.history``).

        Raises:
            HistoryError: the file is missing, not JSON, or not a valid history.

        Example:
            >>> run = TrainingHistory.load_json("runs/dropout.json")  # doctest: +SKIP
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise HistoryError(
                f"Cannot read the history file {str(path)!r}: {exc.strerror or exc}.",
                hint="check the path; save runs with history.save_json(path).",
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HistoryError(
                f"The history file {str(path)!r} is not valid JSON ({exc.msg} at line "
                f"{exc.lineno}, column {exc.colno}).",
                hint="the file is corrupt or truncated; save the run again with save_json.",
            ) from None
        return cls.from_dict(data)


def _items(mapping: Any, what: str) -> Iterable[tuple[str, Sequence[Any]]]:
    if not isinstance(mapping, Mapping):
        raise HistoryError(
            f"Expected {what} to be a dict of lists. Received: {type(mapping).__name__}.",
            hint=f"pass {what}={{'loss': [...], 'val_loss': [...]}}.",
        )
    for key, values in mapping.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise HistoryError(
                f"Expected {what}[{key!r}] to be a list of numbers. Received: {values!r}.",
                hint="give one number per epoch, as History.history does.",
            )
        yield key, list(values)


def from_keras_history(history: Any, name: str = "") -> TrainingHistory:
    """Convert what ``model.fit`` returned into a :class:`TrainingHistory`.

    Args:
        history: a ``keras.callbacks.History``, its ``.history`` dict, or a
            :class:`TrainingHistory` (returned as is, renamed if ``name`` given).
        name: label for legends (e.g. ``"dropout"``).

    Returns:
        The run, validated. Model/compile info is filled in when the History
        still references a compiled model.

    Raises:
        HistoryError: empty or mismatched history, or an unsupported type.

    Example:
        >>> run = from_keras_history({"loss": [0.7, 0.4], "val_loss": [0.8, 0.6]}, name="base")
        >>> run.series("val_loss")
        [0.8, 0.6]
    """
    from course_lib.training.model_info import describe_model

    if isinstance(history, TrainingHistory):
        history.validate()
        return replace(history, name=name) if name else history
    if isinstance(history, Mapping):
        return TrainingHistory(logs=dict(history), name=name).validate()
    logs = getattr(history, "history", None)
    if not isinstance(logs, Mapping):
        raise HistoryError(
            f"Expected a keras History (what model.fit returns) or its .history dict. "
            f"Received: {type(history).__name__}.",
            hint="use history = model.fit(...); from_keras_history(history).",
        )
    epochs = list(getattr(history, "epoch", []) or [])
    model = getattr(history, "model", None)
    info: dict[str, Any] = {}
    if model is not None and getattr(model, "compiled", False):
        info = describe_model(model, params=getattr(history, "params", None))
    return TrainingHistory(logs=dict(logs), epochs=epochs, model_info=info, name=name).validate()
