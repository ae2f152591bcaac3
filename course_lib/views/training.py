"""Training curves: one run, several runs overlaid, a replay animation, and live outputs.

Drawing only: the numbers come from :class:`course_lib.training.TrainingHistory`
(anything ``model.fit`` returns is converted). Every function draws into
caller-supplied Axes when given (``ax=`` / ``axes=``) so it composes in
subplots, and makes its own figure otherwise.

Colours: training in blue (``C0``), validation in orange (``C1``); in
:func:`compare_runs` each run has its own colour, training dashed and
validation solid.

Example:
    >>> from course_lib.views.training import plot_history, compare_runs
    >>> fig = plot_history(model.fit(x, y, validation_split=0.2, epochs=5))  # doctest: +SKIP
    >>> fig = compare_runs({"plain": h1, "dropout": h2, "L2": h3})  # doctest: +SKIP
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from course_lib.errors import ViewError
from course_lib.training.history import (
    VAL_PREFIX,
    BestEpoch,
    HistoryError,
    TrainingHistory,
    from_keras_history,
    metric_mode,
)
from course_lib.training.monitor_output import register_output
from course_lib.training.replay import replay_frames
from course_lib.views.display import ImageView, figure_png, new_figure, present, require_axes

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TRAIN_COLOR = "C0"
VAL_COLOR = "C1"
BEST_COLOR = "0.35"
MAX_COLUMNS = 3
PANEL_SIZE = (4.4, 3.2)
# where matplotlib puts an x label under one row of default-size tick labels (points)
_XLABEL_DROP_PT = 21.0


# --------------------------------------------------------------------- inputs
def as_history(run: Any, name: str = "") -> TrainingHistory:
    """Accept a :class:`TrainingHistory`, a keras ``History`` or a ``History.history`` dict.

    Raises:
        HistoryError: empty, mismatched, or not a history at all.

    Example:
        >>> as_history({"loss": [1.0, 0.5]}).n_epochs
        2
    """
    if isinstance(run, TrainingHistory):
        run.validate()
        return replace(run, name=name) if name and name != run.name else run
    return from_keras_history(run, name=name)


def _metrics_for(run: TrainingHistory, metrics: Sequence[str] | str | None) -> list[str]:
    if metrics is None:
        return run.metric_names
    if isinstance(metrics, str):
        metrics = [metrics]
    if not metrics:
        raise ViewError(
            "Expected at least one metric to draw. Received: metrics=[].",
            hint="leave metrics=None to draw every recorded metric.",
        )
    return [run.check_metric(m.removeprefix(VAL_PREFIX)) for m in metrics]


def _use_log(metric: str, log_scale: bool) -> bool:
    return log_scale and metric_mode(metric) == "min"


def _safe_best(run: TrainingHistory, monitor: str | None = None) -> BestEpoch | None:
    try:
        return run.best_epoch(monitor)
    except HistoryError:  # every value NaN: nothing to mark
        return None


# ------------------------------------------------------------------- figures
def _panel_figure(n_panels: int, figsize: tuple[float, float] | None = None):
    """A display-layer figure with ``n_panels`` axes in up to three columns (extra cells hidden).

    Fixed margins, no layout engine: live redraws and replay frames would
    otherwise pay for a layout pass (and a second draw) every time.
    """
    ncols = min(MAX_COLUMNS, max(n_panels, 1))
    nrows = math.ceil(n_panels / ncols)
    width, height = figsize or (PANEL_SIZE[0] * ncols, PANEL_SIZE[1] * nrows + 0.3)
    fig = new_figure((width, height), dpi=100)
    fig.subplots_adjust(left=0.8 / width, right=1 - 0.2 / width, bottom=0.55 / height,
                        top=1 - 0.65 / height, wspace=0.95 / (width / ncols - 0.6),
                        hspace=1.0 / (height / nrows - 0.6))
    grid = fig.subplots(nrows, ncols, squeeze=False)
    axes = list(grid.ravel())
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def _axes_list(axes: Any, needed: int, what: str) -> list[Axes]:
    if hasattr(axes, "plot"):
        axes = [axes]
    if not (hasattr(axes, "ravel") or isinstance(axes, list | tuple)):
        require_axes(axes, what=what, name="axes")  # raises: neither Axes nor several
    axes = list(getattr(axes, "ravel", lambda: axes)())
    for ax in axes:
        require_axes(ax, what=what, name="axes")
    if len(axes) != needed:
        raise ViewError(
            f"{what} needs {needed} Axes (one per panel). Received: {len(axes)} Axes.",
            hint=f"pass axes=fig.subplots(1, {needed}), or leave axes=None.",
        )
    return axes


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if not math.isnan(v) and not math.isinf(v)]


def _y_limits(run: TrainingHistory, metric: str, log: bool, per_batch: bool):
    """Y range covering the epoch curves and the per-batch curve after the first epoch.

    The first batches' running means sit far above everything else (the model
    starts untrained); including them would flatten the curves students study,
    so they are allowed to run off the top of the panel.
    """
    values = _finite(run.logs.get(metric, []) + run.logs.get(VAL_PREFIX + metric, []))
    if per_batch and metric in run.batch_logs:
        later = [v for p, v in zip(run.batch_positions, run.batch_logs[metric], strict=False)
                 if p > 1.0]
        values += _finite(later if run.n_epochs >= 2 else run.batch_logs[metric])
    if log:
        values = [v for v in values if v > 0]
    if not values:
        return None
    low, high = min(values), max(values)
    if log:
        return low / 1.2, high * 1.2
    pad = (high - low) * 0.06 or abs(high) * 0.05 or 0.05
    return low - pad, high + pad


def _x_limits(last_x: float, per_batch: bool) -> tuple[float, float]:
    return (0.0 if per_batch else 0.5, last_x + 0.5)


def _summary(run: TrainingHistory, total_epochs: int | None = None) -> str:
    parts = [run.name] if run.name else []
    if run.n_epochs:
        done = run.x[-1]
        parts.append(f"epoch {done}/{total_epochs}" if total_epochs else f"{run.n_epochs} epochs")
        if run.epoch_times:
            parts.append(f"{sum(run.epoch_times) / len(run.epoch_times):.2f} s/epoch")
        best = _safe_best(run)
        if best is not None:
            parts.append(f"best {best.monitor} {best.value:.4g} at epoch {best.epoch}")
    return " · ".join(parts)


def _fixed_title_and_xlabel(ax: Axes, title: str) -> None:
    """Set the title and the "epoch" label at fixed places.

    Left to place them, matplotlib measures every tick label on every draw
    (whether a top tick label would hit the title, how low the bottom ones reach):
    about a fifth of a live redraw. Nothing sits above these panels, and their
    tick labels are one line of the default size, so the fixed places are the
    ones matplotlib would pick.
    """
    from matplotlib.transforms import ScaledTranslation

    ax.set_title(title, y=1.0)
    ax.set_xlabel("epoch")
    below = ScaledTranslation(0, -_XLABEL_DROP_PT / 72, ax.figure.dpi_scale_trans)
    ax.xaxis.set_label_coords(0.5, 0.0, transform=ax.transAxes + below)


def _plain_log_ticks(ax: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    plain = FuncFormatter(lambda value, _pos: f"{value:g}")
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_formatter(plain)


class TrainingPanels:
    """The artists of a run's panels, created once and then updated in place.

    Live monitors and replays call :meth:`update` many times; only line data,
    limits and a few labels change, so a redraw costs little more than the
    rasterisation. :func:`plot_history` uses the same class once.

    Args:
        axes: one Axes per metric, plus one for times when ``show_time``.
        metrics: base metric names, one per panel.
        log_scale: log y axis for loss-like panels.
        best_epoch: mark the best epoch (by ``val_loss``, else ``loss``).
        per_batch: draw the per-batch running mean when the run has it.
        show_time: the last Axes shows seconds per epoch.

    Example:
        >>> fig, axes = plt.subplots(1, 2)  # doctest: +SKIP
        >>> panels = TrainingPanels(axes, ["loss", "accuracy"])  # doctest: +SKIP
        >>> panels.update(monitor.history)  # doctest: +SKIP
    """

    def __init__(self, axes: Sequence[Axes], metrics: Sequence[str], *, log_scale: bool = False,
                 best_epoch: bool = True, per_batch: bool = False,
                 show_time: bool = False) -> None:
        from matplotlib.ticker import MaxNLocator

        if isinstance(metrics, str):
            metrics = [metrics]
        if not isinstance(metrics, Sequence) or not (metrics or show_time) or not all(
                isinstance(m, str) for m in metrics):
            raise ViewError(
                f"Expected metrics of TrainingPanels to be a non-empty list of metric names. "
                f"Received: metrics={metrics!r:.60}.", hint='e.g. ["loss", "accuracy"].')
        many = hasattr(axes, "flat") or isinstance(axes, list | tuple)
        axes = list(getattr(axes, "flat", axes)) if many else [axes]
        for ax in axes:
            require_axes(ax, what="TrainingPanels", name="axes")
        wanted = len(metrics) + bool(show_time)
        if len(axes) < wanted:
            raise ViewError(
                f"Expected one Axes per metric{' and one for times' if show_time else ''} "
                f"({wanted}). Received: {len(axes)} Axes for metrics {list(metrics)}.",
                hint=f"make them with fig.subplots(1, {wanted}).")
        self.axes = list(axes)
        self.metrics = list(metrics)
        self.log_scale = log_scale
        self.best_epoch = best_epoch
        self.per_batch = per_batch
        self.show_time = show_time
        self._artists: list[dict[str, Any]] = []
        for ax, metric in zip(self.axes, self.metrics, strict=False):
            art: dict[str, Any] = {}
            art["batch"] = ax.plot([], [], color=TRAIN_COLOR, alpha=0.3, linewidth=1.0,
                                   label="train (batch mean)")[0]
            art["train"] = ax.plot([], [], color=TRAIN_COLOR, marker="o", markersize=3.5,
                                   linewidth=1.8, label="train")[0]
            art["val"] = ax.plot([], [], color=VAL_COLOR, marker="o", markersize=3.5,
                                 linewidth=1.8, label="validation")[0]
            art["best_line"] = ax.plot([], [], color=BEST_COLOR, linestyle=":", linewidth=1.2,
                                       transform=ax.get_xaxis_transform())[0]
            art["best_dot"] = ax.plot([], [], marker="o", markersize=10, markerfacecolor="none",
                                      markeredgecolor=BEST_COLOR, markeredgewidth=1.5,
                                      linestyle="none")[0]
            art["best_text"] = ax.annotate("", (0, 0), xytext=(-7, 7), textcoords="offset points",
                                           ha="right", fontsize=8, color=BEST_COLOR)
            art["legend_key"] = None
            _fixed_title_and_xlabel(ax, metric.replace("_", " "))
            ax.set_ylabel(metric)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(True, alpha=0.3)
            self._artists.append(art)
        self._time_bars: Any = None
        if show_time:
            ax = self.axes[len(self.metrics)]
            self._time_mean = ax.axhline(math.nan, color="0.3", linestyle="--", linewidth=1)
            _fixed_title_and_xlabel(ax, "time per epoch")
            ax.set_ylabel("seconds")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(True, axis="y", alpha=0.3)

    def update(self, run: TrainingHistory, *, total_epochs: int | None = None,
               limits: Mapping[str, Any] | None = None) -> None:
        """Show ``run`` (possibly a prefix of a longer run).

        Args:
            run: the history to show.
            total_epochs: fix the x range to the planned epochs (live training).
            limits: fixed ``{"x": (lo, hi), metric: (lo, hi), "time": (lo, hi)}`` (replays).
        """
        limits = limits or {}
        best = _safe_best(run) if self.best_epoch and run.n_epochs else None
        per_batch = self.per_batch and bool(run.batch_positions)
        if "x" in limits:
            xlim = limits["x"]
        elif total_epochs:
            xlim = _x_limits(total_epochs, per_batch)
        else:
            xlim = _x_limits(run.x[-1] if run.x else 1, per_batch)
        x = run.x
        for ax, metric, art in zip(self.axes, self.metrics, self._artists, strict=False):
            val_key = VAL_PREFIX + metric
            if per_batch and metric in run.batch_logs:
                art["batch"].set_data(run.batch_positions, run.batch_logs[metric])
            else:
                art["batch"].set_data([], [])
            # A run without validation data has no val series: draw an empty line,
            # not x against [] (matplotlib fails later, at draw time).
            for split, key in (("train", metric), ("val", val_key)):
                values = run.logs.get(key, [])
                art[split].set_data(x if len(values) else [], values)
            marked = ""
            if best is not None:
                key = val_key if run.has_validation(metric) else metric
                value = run.logs.get(key, [math.nan] * run.n_epochs)[best.index]
                art["best_line"].set_data([best.epoch, best.epoch], [0, 1])
                marked = f"best epoch {best.epoch} ({best.monitor})"
                if math.isnan(value):
                    art["best_dot"].set_data([], [])
                    art["best_text"].set_text("")
                else:
                    art["best_dot"].set_data([best.epoch], [value])
                    art["best_text"].xy = (best.epoch, value)
                    # Left of the marker, on the side away from the curve's direction.
                    below = metric_mode(metric) == "max"
                    left = best.epoch > (xlim[0] + xlim[1]) / 2
                    art["best_text"].set_position((-7 if left else 7, -13 if below else 7))
                    art["best_text"].set_horizontalalignment("right" if left else "left")
                    art["best_text"].set_text(f"{value:.3g}")
            else:
                for name in ("best_line", "best_dot"):
                    art[name].set_data([], [])
                art["best_text"].set_text("")
            if _use_log(metric, self.log_scale) and any(
                v > 0 for v in _finite(run.logs.get(metric, []))
            ):
                ax.set_yscale("log")
                _plain_log_ticks(ax)
            ylim = limits.get(metric) or _y_limits(run, metric, ax.get_yscale() == "log",
                                                   per_batch)
            if ylim is not None:
                ax.set_ylim(*ylim)
            ax.set_xlim(*xlim)
            self._legend(ax, art, metric, marked)
        if self.show_time:
            self._update_times(run, xlim, limits.get("time"))

    def _legend(self, ax: Axes, art: dict[str, Any], metric: str, marked: str) -> None:
        handles = [art[k] for k in ("batch", "train", "val") if len(art[k].get_xdata())]
        labels = [h.get_label() for h in handles]
        if marked:
            handles.append(art["best_line"])
            labels.append(marked)
        key = tuple(labels)
        if key != art["legend_key"]:  # rebuilding a legend costs more than the lines
            loc = "upper right" if metric_mode(metric) == "min" else "lower right"
            ax.legend(handles, labels, fontsize=8, loc=loc)
            art["legend_key"] = key

    def _update_times(self, run: TrainingHistory, xlim: tuple[float, float],
                      ylim: tuple[float, float] | None) -> None:
        ax = self.axes[len(self.metrics)]
        if self._time_bars is not None:
            self._time_bars.remove()
        times = run.epoch_times
        self._time_bars = ax.bar(run.x[: len(times)], times, color="0.7", width=0.7)
        mean = sum(times) / len(times) if times else math.nan
        self._time_mean.set_ydata([mean, mean])
        ax.set_title(f"time per epoch (mean {mean:.2f} s)" if times else "time per epoch")
        ax.set_xlim(*xlim)
        if ylim is not None:
            ax.set_ylim(*ylim)
        else:
            ax.set_ylim(0, max(times, default=1.0) * 1.15)


# -------------------------------------------------------------------- panels
def plot_metric(
    history: Any,
    metric: str = "loss",
    ax: Axes | None = None,
    *,
    log_scale: bool = False,
    best_epoch: bool = True,
    per_batch: bool = False,
) -> Axes:
    """Draw one metric of one run: training vs validation per epoch.

    Args:
        history: a :class:`TrainingHistory`, a keras ``History`` or its dict.
        metric: base name, e.g. ``"loss"`` or ``"accuracy"``.
        ax: where to draw; ``None`` makes a new figure.
        log_scale: log y axis, for loss-like metrics (lower is better).
        best_epoch: mark the best epoch (by ``val_loss``, else ``loss``).
        per_batch: add the per-batch running mean as a faint curve.

    Returns:
        The Axes drawn on.

    Raises:
        HistoryError: empty history, unknown metric, or ``per_batch`` on a run
            recorded without batches.

    Example:
        >>> ax = plot_metric(history, "accuracy")  # doctest: +SKIP
    """
    run = as_history(history)
    names = _metrics_for(run, [metric])
    _require_batches(run, per_batch)
    new = ax is None
    if new:
        _, (ax,) = _panel_figure(1)
    else:
        require_axes(ax, what="plot_metric")
    TrainingPanels([ax], names, log_scale=log_scale, best_epoch=best_epoch,
                   per_batch=per_batch).update(run)
    return present(ax) if new else ax


def _require_batches(run: TrainingHistory, per_batch: bool) -> None:
    if per_batch and not run.batch_positions:
        raise HistoryError(
            f"Run {run.name or '<unnamed>'} has no per-batch values to draw.",
            hint="record with LiveMonitor(per_batch=True), or draw with per_batch=False.",
        )


def _require_times(run: TrainingHistory) -> None:
    if not run.epoch_times:
        raise HistoryError(
            f"Run {run.name or '<unnamed>'} has no epoch times "
            "(keras' History does not keep them).",
            hint="record the run with LiveMonitor, or draw with show_time=False.",
        )


def plot_epoch_times(history: Any, ax: Axes | None = None) -> Axes:
    """Bar chart of seconds per epoch, with the mean as a dashed line.

    The first epoch is usually slower: Keras traces and compiles the model then.

    Args:
        history: a run recorded by ``LiveMonitor`` (keras' History has no times).
        ax: where to draw; ``None`` makes a new figure.

    Returns:
        The Axes drawn on.

    Raises:
        HistoryError: the run has no epoch times.

    Example:
        >>> ax = plot_epoch_times(monitor.history)  # doctest: +SKIP
    """
    run = as_history(history)
    _require_times(run)
    new = ax is None
    if new:
        _, (ax,) = _panel_figure(1)
    else:
        require_axes(ax, what="plot_epoch_times")
    TrainingPanels([ax], [], show_time=True).update(run)
    return present(ax) if new else ax


def plot_history(
    history: Any,
    metrics: Sequence[str] | str | None = None,
    *,
    axes: Any = None,
    log_scale: bool = False,
    best_epoch: bool = True,
    per_batch: bool = False,
    show_time: bool = True,
    detach: bool = True,
) -> Figure:
    """Draw a run: one panel per metric (train vs validation), plus time per epoch.

    Args:
        history: a :class:`TrainingHistory`, a keras ``History`` or its dict.
        metrics: base names to draw; default every recorded metric, loss first.
        axes: one Axes per panel to draw into; ``None`` makes a figure.
        log_scale: log y axis for loss-like panels.
        best_epoch: mark the best epoch (by ``val_loss``, else ``loss``) in every panel.
        per_batch: add the per-batch running means (runs recorded with ``per_batch=True``).
        show_time: add a time-per-epoch panel (when the run has times).
        detach: ignored, kept for old callers (a figure made here is never a
            pyplot figure and is shown once, however the call is written).

    Returns:
        The Figure drawn on (a figure made here is shown once; a caller's is not).

    Raises:
        HistoryError: empty/mismatched history, unknown metric, no batches for ``per_batch``.
        ViewError: wrong number of Axes.

    Example:
        >>> fig = plot_history(monitor.history, log_scale=True)  # doctest: +SKIP
    """
    run = as_history(history)
    names = _metrics_for(run, metrics)
    _require_batches(run, per_batch)
    show_time = show_time and bool(run.epoch_times)
    n_panels = len(names) + int(show_time)
    own_figure = axes is None
    if own_figure:
        fig, axes = _panel_figure(n_panels)
    else:
        axes = _axes_list(axes, n_panels, "plot_history")
        fig = axes[0].figure
    TrainingPanels(axes, names, log_scale=log_scale, best_epoch=best_epoch, per_batch=per_batch,
                   show_time=show_time).update(run)
    fig.suptitle(_summary(run), fontsize=10)
    return present(fig) if own_figure else fig


def compare_runs(
    runs: Mapping[str, Any],
    metrics: Sequence[str] | str | None = None,
    *,
    axes: Any = None,
    splits: Sequence[str] = ("train", "val"),
    log_scale: bool = False,
) -> Figure:
    """Overlay several runs (e.g. no regularization vs dropout vs L2) in one figure.

    Each run gets one colour; training is dashed, validation solid, so the
    gap between them (overfitting) reads at a glance. Legend labels are
    ``"<run> (train)"`` and ``"<run> (val)"``.

    Args:
        runs: run name -> :class:`TrainingHistory`, keras ``History`` or dict.
        metrics: base names; default the metrics every run recorded, loss first.
        axes: one Axes per metric to draw into; ``None`` makes a figure.
        splits: which curves: any of ``"train"``, ``"val"``.
        log_scale: log y axis for loss-like panels.

    Returns:
        The Figure drawn on. A figure made here is shown once, whether the call
        is the cell's value, assigned, followed by ``;`` or inside a loop.

    Raises:
        ViewError: no runs, bad ``splits``, wrong number of Axes.
        HistoryError: a run is empty or mismatched, or lacks a requested metric.

    Example:
        >>> runs = {"plain": h1, "dropout": h2, "L2": h3}  # doctest: +SKIP
        >>> fig = compare_runs(runs, metrics="loss")  # doctest: +SKIP
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    if not isinstance(runs, Mapping) or not runs:
        raise ViewError(
            f"Expected a non-empty dict of run name -> history. Received: {runs!r}.",
            hint="compare_runs({'plain': history1, 'dropout': history2}).",
        )
    bad = [s for s in splits if s not in ("train", "val")]
    if bad or not splits:
        raise ViewError(
            f"Expected splits drawn from ('train', 'val'). Received: splits={tuple(splits)!r}.",
            hint="use splits=('train', 'val') or ('val',).",
        )
    histories = {str(name): as_history(run, name=str(name)) for name, run in runs.items()}
    if metrics is None:
        common = [m for m in next(iter(histories.values())).metric_names
                  if all(m in h.metric_names for h in histories.values())]
        names = common
    else:
        names = [m.removeprefix(VAL_PREFIX) for m in ([metrics] if isinstance(metrics, str)
                                                      else metrics)]
        for run in histories.values():
            _metrics_for(run, names)
    own_figure = axes is None
    if own_figure:
        fig, axes = _panel_figure(len(names))
    else:
        axes = _axes_list(axes, len(names), "compare_runs")
        fig = axes[0].figure
    for ax, metric in zip(axes, names, strict=True):
        for i, (name, run) in enumerate(histories.items()):
            color = f"C{i % 10}"
            if "train" in splits and metric in run.logs:
                ax.plot(run.x, run.logs[metric], color=color, linestyle="--", linewidth=1.4,
                        alpha=0.85, label=f"{name} (train)")
            if "val" in splits and run.has_validation(metric):
                ax.plot(run.x, run.logs[VAL_PREFIX + metric], color=color, linestyle="-",
                        linewidth=2.0, label=f"{name} (val)")
        if _use_log(metric, log_scale):
            ax.set_yscale("log")
        ax.set_title(metric.replace("_", " "))
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    if len(splits) == 2 and len(names) > 0:
        # A small key for the line styles, so the legend need not be decoded.
        style_key = [Line2D([], [], color="0.3", linestyle="--", label="train"),
                     Line2D([], [], color="0.3", linestyle="-", label="validation")]
        fig.legend(handles=style_key, loc="upper center", ncols=2, fontsize=8, frameon=False)
    return present(fig) if own_figure else fig


# -------------------------------------------------------------------- replay
class TrainingReplay:
    """A recorded run re-drawn frame by frame, for lectures (no training needed).

    In Jupyter and Voila it displays as a self-contained JavaScript animation
    with play/pause and a frame slider (matplotlib's ``to_jshtml``), which
    also survives HTML export; its PNG fallback is the final frame.

    Attributes:
        run: the replayed history.
        frames: the :class:`~course_lib.training.ReplayFrame` list.
        figure: the figure the frames are drawn into (not a pyplot figure,
            so notebooks do not show it twice).

    Example:
        >>> rep = replay(TrainingHistory.load_json("runs/dropout.json"))  # doctest: +SKIP
        >>> rep  # in a notebook: the animation  # doctest: +SKIP
        >>> rep.save_html("dropout.html")  # doctest: +SKIP
    """

    def __init__(self, run: TrainingHistory, metrics: list[str], *, per_batch: bool,
                 log_scale: bool, best_epoch: bool, show_time: bool, max_frames: int,
                 interval_ms: int, dpi: int) -> None:
        self.run = run
        self.metrics = metrics
        self.frames = replay_frames(run, per_batch=per_batch, max_frames=max_frames)
        self.interval_ms = int(interval_ms)
        self.dpi = int(dpi)
        n_panels = len(metrics) + int(show_time)
        self.figure, self.axes = _panel_figure(n_panels)
        self.panels = TrainingPanels(self.axes, metrics, log_scale=log_scale,
                                     best_epoch=best_epoch, per_batch=per_batch,
                                     show_time=show_time)
        self.limits: dict[str, Any] = {
            m: _y_limits(run, m, _use_log(m, log_scale), per_batch) for m in metrics
        }
        self.limits["x"] = _x_limits(run.x[-1], per_batch)
        if show_time:
            self.limits["time"] = (0.0, max(run.epoch_times) * 1.15)
        self._html: str | None = None
        self.draw_frame(len(self.frames) - 1)

    def draw_frame(self, index: int) -> list[Any]:
        """Draw frame ``index`` (0 = first) into :attr:`figure`; returns its artists."""
        frame = self.frames[index]
        part = frame.history(self.run)
        self.panels.update(part, limits=self.limits)
        self.figure.suptitle(_summary(part), fontsize=10)
        return [a for ax in self.axes for a in ax.get_children()]

    def animation(self) -> FuncAnimation:
        """A matplotlib ``FuncAnimation`` over the frames (for ``.save(...)`` to GIF/MP4)."""
        from matplotlib.animation import FuncAnimation

        return FuncAnimation(self.figure, self.draw_frame, frames=len(self.frames),
                             interval=self.interval_ms, repeat=False, blit=False)

    def to_html(self) -> str:
        """The self-contained HTML/JS animation (play, pause, slider); cached.

        Example:
            >>> html = replay(run).to_html()  # doctest: +SKIP
        """
        if self._html is None:
            import matplotlib as mpl

            with mpl.rc_context({"savefig.dpi": self.dpi, "animation.embed_limit": 64.0}):
                self._html = self.animation().to_jshtml(default_mode="once")
            self.draw_frame(len(self.frames) - 1)
        return self._html

    def save_html(self, path: str | Path) -> Path:
        """Write a standalone HTML page with the animation.

        Returns:
            The path written.

        Example:
            >>> replay(run).save_html("/tmp/run.html")  # doctest: +SKIP
        """
        path = Path(path)
        title = html.escape(self.run.name or "training replay")
        path.write_text(
            f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>\n{self.to_html()}\n</body></html>\n",
            encoding="utf-8",
        )
        return path

    def to_png(self) -> bytes:
        """The final frame as PNG bytes (the static fallback)."""
        return figure_png(self.figure, dpi=self.dpi)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/html": self.to_html(),
            "image/png": self.to_png(),
            "text/plain": repr(self),
        }

    def __repr__(self) -> str:
        return (f"TrainingReplay(run={self.run.name!r}, frames={len(self.frames)}, "
                f"metrics={self.metrics})")


def replay(
    history: Any,
    metrics: Sequence[str] | str | None = None,
    *,
    per_batch: bool = False,
    log_scale: bool = False,
    best_epoch: bool = True,
    show_time: bool = False,
    max_frames: int = 60,
    interval_ms: int = 200,
    dpi: int = 72,
    show: bool = True,
) -> TrainingReplay:
    """Replay a saved run as an animation, epoch by epoch (or batch by batch).

    Axes limits are fixed from the whole run so the picture does not jump;
    the best-epoch marker shows the best epoch *so far*.

    Args:
        history: a :class:`TrainingHistory` (e.g. from ``load_json``), a keras
            ``History`` or its dict.
        metrics: base names to draw; default all.
        per_batch: step through batch records (runs recorded with ``per_batch=True``).
        log_scale: log y axis for loss-like panels.
        best_epoch: mark the best epoch so far.
        show_time: add the time-per-epoch panel (needs recorded times).
        max_frames: most frames (long runs are thinned evenly).
        interval_ms: milliseconds per frame when playing.
        dpi: resolution of the frames (lower keeps the HTML small).
        show: show the animation (once); ``False`` only builds it, e.g. to drive
            your own widget with :meth:`TrainingReplay.draw_frame` or to ``save_html``.

    Returns:
        A :class:`TrainingReplay`; display it, or call ``save_html``.

    Raises:
        HistoryError: empty or mismatched history, unknown metric, no batches for
            ``per_batch``, no times for ``show_time``.
        ViewError: ``max_frames < 1``.

    Example:
        >>> replay(TrainingHistory.load_json("runs/l2.json"), metrics="loss")  # doctest: +SKIP
    """
    run = as_history(history)
    names = _metrics_for(run, metrics)
    if show_time and not run.epoch_times:
        raise HistoryError(
            f"Run {run.name or '<unnamed>'} has no epoch times to replay.",
            hint="record the run with LiveMonitor, or replay with show_time=False.",
        )
    made = TrainingReplay(run, names, per_batch=per_batch, log_scale=log_scale,
                          best_epoch=best_epoch, show_time=show_time, max_frames=max_frames,
                          interval_ms=interval_ms, dpi=dpi)
    return present(made) if show else made


# ------------------------------------------------------------ monitor outputs
class StaticFigureOutput:
    """Draws one static figure when training ends (scripts, nbval, HTML export).

    The figure is shown once, under the cell, when training ends.

    Attributes:
        figure: the figure, once training ended.

    Example:
        >>> LiveMonitor(output=StaticFigureOutput(log_scale=True))  # doctest: +SKIP
    """

    def __init__(self, metrics: Sequence[str] | None = None, *, log_scale: bool = False,
                 best_epoch: bool = True, per_batch: bool = False,
                 show_time: bool = True) -> None:
        self.metrics = metrics
        self.options = {"log_scale": log_scale, "best_epoch": best_epoch,
                        "show_time": show_time}
        self.per_batch = per_batch
        self.figure: Figure | None = None

    def start(self, history: TrainingHistory, total_epochs: int | None) -> None:
        self.figure = None

    def update(self, history: TrainingHistory) -> None:
        return None

    def finish(self, history: TrainingHistory) -> None:
        if history.n_epochs == 0:  # stopped before the first epoch ended
            return
        self.figure = plot_history(history, self.metrics,
                                   per_batch=self.per_batch and bool(history.batch_positions),
                                   **self.options)


class LiveFigureOutput:
    """Redraws the curves in place while training runs (JupyterLab, Voila).

    An :class:`~course_lib.views.display.ImageView` shows the figure; each
    update replaces its PNG bytes, and the status line above it gives the
    epoch, speed and best value.
    Nothing is cleared or re-created, so the page does not flicker or jump,
    and it works from a Voila button callback too. The figure is drawn with
    the Agg renderer off-screen (no pyplot), at a modest ``dpi`` so a redraw
    costs tens of milliseconds.

    Args:
        metrics, log_scale, best_epoch, per_batch, show_time: as in :func:`plot_history`.
        dpi: resolution of the live picture.
        auto_display: display the widget when training starts; set False and
            place :attr:`widget` in a dashboard layout yourself.

    Attributes:
        widget: the ``VBox`` (status line + image), after training started.
        figure: the matplotlib figure being updated.

    Example:
        >>> out = LiveFigureOutput(auto_display=False)  # doctest: +SKIP
        >>> monitor = LiveMonitor(output=out)  # doctest: +SKIP
        >>> display(VBox([button, out.widget]))  # widget exists after fit starts  # doctest: +SKIP
    """

    def __init__(self, metrics: Sequence[str] | None = None, *, log_scale: bool = False,
                 best_epoch: bool = True, per_batch: bool = False, show_time: bool = True,
                 dpi: int = 72, auto_display: bool = True) -> None:
        self.metrics = metrics
        self.options = {"log_scale": log_scale, "best_epoch": best_epoch}
        self.per_batch = per_batch
        self.show_time = show_time
        self.dpi = int(dpi)
        self.auto_display = auto_display
        self.total_epochs: int | None = None
        self.figure: Figure | None = None
        self.widget: Any = None
        self.panels: TrainingPanels | None = None
        self._drawn: tuple[int, int] = (0, 0)
        self.picture: ImageView | None = None
        self.redraws = 0

    def start(self, history: TrainingHistory, total_epochs: int | None) -> None:
        self.total_epochs = total_epochs
        self.figure = None
        self.redraws = 0
        self._drawn = (0, 0)
        self.picture = ImageView(status_first=True)
        self.picture.say("Training started: the curves appear after the first epoch.")
        self.widget = self.picture.widget
        if self.auto_display:
            present(self.picture)

    def update(self, history: TrainingHistory) -> None:
        if history.n_epochs == 0:
            return
        if self.figure is None:  # metric names are known once the first epoch ended
            names = _metrics_for(history, self.metrics)
            show_time = self.show_time and bool(history.epoch_times)
            self.figure, axes = _panel_figure(len(names) + int(show_time))
            self.panels = TrainingPanels(axes, names, per_batch=self.per_batch,
                                         show_time=show_time, **self.options)
        self.panels.update(history, total_epochs=self.total_epochs)  # the status line has the title
        self.picture.show_figure(self.figure, dpi=self.dpi)
        self._drawn = (history.n_epochs, len(history.batch_positions))
        self.picture.say(_summary(history, self.total_epochs))
        self.redraws += 1

    def finish(self, history: TrainingHistory) -> None:
        if self._drawn != (history.n_epochs, len(history.batch_positions)):
            self.update(history)  # the last throttled redraw missed the end of training
        if history.n_epochs:
            self.picture.say("Finished: " + _summary(history, self.total_epochs))


# The outputs LiveMonitor(output="auto") uses: views provide them, training never imports views.
register_output("interactive", LiveFigureOutput)
register_output("static", StaticFigureOutput)
