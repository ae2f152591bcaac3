"""Draw a hyperparameter search: the trials table, parallel coordinates, best so far, best curves.

Drawing only: the numbers come from :class:`course_lib.tuning.TrialTable`
(:func:`~course_lib.tuning.trials_from_tuner` for a keras-tuner run). Every
function accepts a table or a tuner, draws into ``ax=`` when given (and then
does not present), and otherwise makes its own figure and presents it once.

Example:
    >>> from course_lib.views.trials import plot_best_so_far, show_trials
    >>> show_trials(tuner)  # doctest: +SKIP
    >>> plot_best_so_far(tuner, ax=axes[0])  # doctest: +SKIP
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from course_lib.tuning.errors import NoFinishedTrialsError
from course_lib.tuning.trials import TrialTable, trials_from_tuner
from course_lib.views.display import axes_or_new, present, subplots

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["as_trials", "plot_best_so_far", "plot_best_trial", "plot_parallel_coordinates",
           "show_trials", "trials_table"]

_CMAP = "viridis"


def as_trials(trials: Any) -> TrialTable:
    """A :class:`TrialTable` as is, or one read from a keras-tuner tuner/oracle."""
    return trials if isinstance(trials, TrialTable) else trials_from_tuner(trials)


def trials_table(trials: Any, sort: bool = True, top: int | None = None) -> Any:
    """The trials as a pandas DataFrame (best first), shown in the notebook.

    Args:
        trials: a :class:`TrialTable` or a tuner.
        sort: best score first.
        top: keep only this many rows.

    Returns:
        The DataFrame (presented once).

    Raises:
        NoFinishedTrialsError: no trial finished.
    """
    table = as_trials(trials)
    table.require_finished("trials_table()")
    frame = table.to_dataframe(sort=sort)
    if top is not None:
        frame = frame.head(top)
    return present(frame)


def plot_best_so_far(trials: Any, ax: Axes | None = None) -> Axes:
    """Each trial's score (dots) and the best score so far (step line) vs trial number.

    Raises:
        NoFinishedTrialsError: no trial finished.
    """
    table = as_trials(trials)
    done = table.require_finished("plot_best_so_far()")
    ax, own = axes_or_new(ax, (5.2, 3.4), what="plot_best_so_far", layout="constrained")
    ax.plot([t.number for t in done], [t.score for t in done], "o", color="C0", alpha=0.7,
            label="trial score")
    numbers = [t.number for t in table.trials]
    ax.step(numbers, table.best_so_far(), where="post", color="C3", lw=2, label="best so far")
    best = table.best()
    ax.plot([best.number], [best.score], "*", color="C3", ms=14,
            label=f"best: trial {best.number} ({best.score:.4g})")
    ax.set_xlabel("trial number")
    better = "higher" if table.direction == "max" else "lower"
    ax.set_ylabel(f"{table.objective} ({better} is better)")
    ax.set_title("score vs trial number", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    if own:
        present(ax.figure)
    return ax


def plot_parallel_coordinates(trials: Any, ax: Axes | None = None) -> Axes:
    """One vertical axis per hyperparameter plus the score; one line per finished trial.

    Each axis is scaled to its own range (log when a positive numeric value
    spans more than a factor 20, as learning rates do); categorical values are
    spread evenly and labelled. Lines are coloured by score, the best trial is
    drawn thick in red.

    Raises:
        NoFinishedTrialsError: no trial finished.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    table = as_trials(trials)
    names, rows, categories = table.numeric_columns()
    data = np.array(rows, dtype=float)
    ax, own = axes_or_new(ax, (1.6 * len(names) + 1.5, 3.6), what="plot_parallel_coordinates",
                          layout="constrained")
    scaled = np.full_like(data, np.nan)
    tick_labels: list[tuple[list[float], list[str]]] = []
    for j, name in enumerate(names):
        column = data[:, j]
        finite = column[np.isfinite(column)]
        if name in categories:
            n = max(len(categories[name]) - 1, 1)
            scaled[:, j] = column / n
            tick_labels.append(([k / n for k in range(len(categories[name]))],
                                [str(v) for v in categories[name]]))
            continue
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
        log = lo > 0 and hi / lo > 20
        t = np.log10(column) if log else column
        tlo, thi = (math.log10(lo), math.log10(hi)) if log else (lo, hi)
        span = thi - tlo
        scaled[:, j] = (t - tlo) / span if span > 0 else 0.5
        tick_labels.append(([0.0, 1.0] if span > 0 else [0.5],
                            [f"{lo:.3g}", f"{hi:.3g}"] if span > 0 else [f"{lo:.3g}"]))
    scores = data[:, -1]
    top = scores.max() if scores.max() > scores.min() else scores.min() + 1
    norm = Normalize(scores.min(), top)
    cmap = colormaps[_CMAP if table.direction == "max" else _CMAP + "_r"]
    best_index = [t.trial_id for t in table.finished].index(table.best().trial_id)
    x = np.arange(len(names))
    for i in np.argsort(scores if table.direction == "max" else -scores):  # best drawn last
        if i == best_index:
            continue
        ax.plot(x, scaled[i], color=cmap(norm(scores[i])), alpha=0.8, lw=1.2)
    ax.plot(x, scaled[best_index], color="C3", lw=3, label=f"best (trial {table.best().number})")
    for j, (ticks, labels) in enumerate(tick_labels):
        ax.axvline(j, color="0.4", lw=0.8)
        for tick, label in zip(ticks, labels, strict=True):
            ax.text(j + 0.03, tick, label, fontsize=7, va="center", color="0.25")
    ax.set_xticks(x, names, fontsize=8)
    ax.set_yticks([])
    ax.set_xlim(-0.1, len(names) - 0.6)
    ax.set_ylim(-0.08, 1.08)
    ax.set_title(f"{len(rows)} finished trials, coloured by {table.objective}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.12), frameon=False)
    if own:
        present(ax.figure)
    return ax


def plot_best_trial(trials: Any, metric: str | None = None, ax: Axes | None = None) -> Axes:
    """The best trial's training curve (train and validation) for one metric.

    Args:
        trials: a :class:`TrialTable` or a tuner (histories kept with
            :func:`~course_lib.tuning.track_histories`).
        metric: base metric name; default: the objective's (``val_`` removed).
        ax: Axes to draw into.

    Raises:
        NoFinishedTrialsError: no finished trial, or the best one has no recorded curves.
    """
    from course_lib.views.training import plot_metric

    table = as_trials(trials)
    best = table.best()
    if best.history is None:
        raise NoFinishedTrialsError(
            f"Expected the best trial (trial {best.number}, id {best.trial_id!r}) to have its "
            "training curves. Received: no history for it.",
            hint="call course_lib.tuning.track_histories(tuner) before tuner.search(...).",
        )
    metric = metric or table.objective.removeprefix("val_")
    ax, own = axes_or_new(ax, (5.2, 3.4), what="plot_best_trial", layout="constrained")
    plot_metric(best.history, metric, ax=ax)
    ax.set_title(f"best trial {best.number}: {metric}", fontsize=10)
    if own:
        present(ax.figure)
    return ax


def show_trials(trials: Any, metric: str | None = None) -> Figure:
    """Score vs trial number, parallel coordinates and (when recorded) the best trial's curves.

    Returns:
        The Figure (presented once).

    Raises:
        NoFinishedTrialsError: no trial finished.
    """
    table = as_trials(trials)
    table.require_finished("show_trials()")
    with_curves = table.best().history is not None
    ncols = 3 if with_curves else 2
    n_names = len(table.numeric_columns()[0])
    widths = [4.6, max(1.3 * n_names, 4.0)] + ([4.6] if with_curves else [])
    fig, axes = subplots(1, ncols, figsize=(sum(widths) + 0.6, 3.8), layout="constrained",
                         width_ratios=widths)
    plot_best_so_far(table, ax=axes[0])
    plot_parallel_coordinates(table, ax=axes[1])
    if with_curves:
        plot_best_trial(table, metric=metric, ax=axes[2])
    return present(fig)
