"""Draw what callbacks did during training, on top of the training curves.

Drawing only: the events come from
:class:`course_lib.training.callback_log.CallbackTimeline`. Each event is a
vertical line at the epoch it happened (learning-rate changes green,
checkpoint saves purple, stops red, restored weights black, dashed); a last
panel shows the learning rate of every epoch on a log axis.

Example:
    >>> from course_lib.views.callbacks import plot_timeline
    >>> plot_timeline(timeline, metrics=["loss", "accuracy"])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from course_lib.errors import ViewError
from course_lib.views.display import present, require_axes, subplots

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["EVENT_STYLE", "draw_events", "plot_learning_rate", "plot_timeline"]

EVENT_STYLE = {
    "lr": {"color": "C2", "ls": "-", "label": "learning rate changed"},
    "checkpoint": {"color": "C4", "ls": ":", "label": "checkpoint saved"},
    "stop": {"color": "C3", "ls": "-", "label": "training stopped"},
    "restore": {"color": "k", "ls": "--", "label": "weights restored"},
}


def _require_timeline(timeline: Any) -> Any:
    if not hasattr(timeline, "events") or not hasattr(timeline, "history"):
        raise ViewError(
            f"Expected a CallbackTimeline. Received: {type(timeline).__name__}.",
            hint="timeline = CallbackTimeline([...]); model.fit(..., callbacks=[timeline]).",
        )
    if timeline.history.n_epochs == 0:
        raise ViewError(
            "Expected a CallbackTimeline that has seen at least one epoch. Received: 0 epochs.",
            hint="pass the timeline to model.fit(..., callbacks=[timeline]) first.",
        )
    return timeline


def draw_events(ax: Axes, events: Sequence[Any], label: bool = True) -> None:
    """Vertical lines for ``events`` on ``ax`` (one legend entry per kind when ``label``).

    Raises:
        ViewError: ``ax`` is not an Axes, or ``events`` is not a list of CallbackEvent.
    """
    require_axes(ax, what="draw_events")
    if isinstance(events, str) or not isinstance(events, Sequence):
        raise ViewError(
            f"Expected events to be a list of CallbackEvent. Received: events={events!r:.60}.",
            hint="pass timeline.events (from a CallbackTimeline used in model.fit).",
        )
    odd = [e for e in events if not (hasattr(e, "kind") and hasattr(e, "x"))]
    if odd:
        raise ViewError(
            f"Expected events to be a list of CallbackEvent. Received: an item {odd[0]!r:.60} "
            f"(a {type(odd[0]).__name__}).",
            hint="pass timeline.events (from a CallbackTimeline used in model.fit).",
        )
    seen: set[str] = set()
    for event in events:
        style = EVENT_STYLE.get(event.kind, {"color": "0.5", "ls": "-", "label": event.kind})
        legend = style["label"] if label and event.kind not in seen else None
        seen.add(event.kind)
        ax.axvline(event.x, color=style["color"], ls=style["ls"], lw=1.4, alpha=0.85,
                   label=legend)


def plot_learning_rate(timeline: Any, ax: Axes | None = None) -> Axes:
    """The learning rate of every epoch (log axis) with the learning-rate events.

    Raises:
        ViewError: not a timeline, no epoch, or no learning rate recorded.
    """
    timeline = _require_timeline(timeline)
    rates = [r for r in timeline.learning_rates if r is not None]
    if not rates:
        raise ViewError(
            "Expected learning rates in the timeline. Received: none (the optimizer's learning "
            "rate is a schedule object, or the model has no optimizer).",
            hint="use a float learning rate and change it with a callback.",
        )
    own = ax is None
    if own:
        fig, ax = subplots(figsize=(5.0, 3.2), layout="constrained")
    xs = [i + 1 for i, r in enumerate(timeline.learning_rates) if r is not None]
    ax.step(xs, rates, where="mid", color="C2", lw=2, marker="o", ms=3)
    if max(rates) > 0 and min(rates) > 0:
        ax.set_yscale("log")
    draw_events(ax, timeline.events_of("lr"), label=False)
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate")
    ax.set_title("learning rate per epoch", fontsize=10)
    ax.grid(alpha=0.3)
    if own:
        present(ax.figure)
    return ax


def plot_timeline(timeline: Any, metrics: Sequence[str] | str | None = None,
                  learning_rate: bool = True) -> Figure:
    """Training curves with every callback event, plus the learning rate panel.

    Args:
        timeline: a :class:`~course_lib.training.callback_log.CallbackTimeline` after ``fit``.
        metrics: base metric names to draw (default: ``loss`` and the first other one).
        learning_rate: add the learning-rate panel (when the timeline recorded rates).

    Returns:
        The Figure (presented once).

    Raises:
        ViewError: not a timeline, no epoch; HistoryError: unknown metric.
    """
    from course_lib.views.training import plot_metric

    timeline = _require_timeline(timeline)
    run = timeline.history
    if metrics is None:
        metrics = run.metric_names[:2]
    elif isinstance(metrics, str):
        metrics = [metrics]
    for metric in metrics:
        run.check_metric(metric)
    with_lr = learning_rate and any(r is not None for r in timeline.learning_rates)
    n = len(metrics) + int(with_lr)
    fig, axes = subplots(1, n, figsize=(4.6 * n, 3.6), layout="constrained", squeeze=False)
    axes = list(axes[0])
    for ax, metric in zip(axes, metrics, strict=False):
        plot_metric(run, metric, ax=ax, best_epoch=False)
        draw_events(ax, timeline.events)
        shown = [(h, label) for h, label in zip(*ax.get_legend_handles_labels(), strict=True)
                 if "batch" not in label]  # this run has no per-batch curve
        ax.legend(*zip(*shown, strict=True), fontsize=7)
    if with_lr:
        plot_learning_rate(timeline, ax=axes[-1])
    names = sorted({e.callback for e in timeline.events})
    fig.suptitle(f"{run.n_epochs} epochs; events from {', '.join(names) or 'no callback'}",
                 fontsize=10)
    return present(fig)
