"""Gradient descent in one dimension (learning rates) and on linear regression (batch sizes).

Each draws into caller Axes (``axes=``) or makes and shows its own figure once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.optim.one_d import Path1D
from course_lib.optim.regression_gd import RegressionPath, RegressionProblem, normal_equation
from course_lib.views.display import new_figure, present, require, require_axes
from course_lib.views.optim.style import MINIMUM_STYLE, START_STYLE

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_learning_rates_1d(
    runs: Path1D | Sequence[Path1D] | Mapping[str, Path1D],
    axes: Sequence[Axes] | None = None,
    tangents: bool = True,
) -> Figure:
    """One panel per run: the loss curve, the steps taken and the tangent at each step.

    Args:
        runs: from :func:`~course_lib.optim.one_d.learning_rate_examples` (a dict whose keys
            become the titles, e.g. "too small"), or Path1D objects.
        axes: one Axes per run; ``None`` makes a new figure.
        tangents: draw the tangent line (the slope the step follows) at each point.

    Returns:
        The Figure.

    Raises:
        ViewError: no runs, not Path1D objects, or the wrong number of axes.

    Example:
        >>> fig = plot_learning_rates_1d(learning_rate_examples())  # doctest: +SKIP
    """
    if isinstance(runs, Path1D):
        runs = [runs]
    if isinstance(runs, Mapping):
        items = list(runs.items())
    elif isinstance(runs, Sequence) and not isinstance(runs, str):
        items = [(f"lr = {r.learning_rate:g}" if isinstance(r, Path1D) else "?", r)
                 for r in runs]
    else:
        items = []
    if not items or not all(isinstance(r, Path1D) for _, r in items):
        raise ViewError(
            f"Expected Path1D runs (a list or dict). Received: runs={runs!r:.80}",
            hint="Use runs = learning_rate_examples().",
        )
    new = axes is None
    if new:
        fig = new_figure((4.3 * len(items), 3.7), layout="constrained")
        axes = np.atleast_1d(fig.subplots(1, len(items), sharey=True)).tolist()
    else:
        axes = [require_axes(ax, what="plot_learning_rates_1d", name="axes")
                for ax in _axes_list(axes)]
        if len(axes) != len(items):
            raise ViewError(
                f"Expected one Axes per run ({len(items)}). Received: {len(axes)} axes",
                hint="Pass axes=None to make a new figure.",
            )
        fig = axes[0].figure
    for ax, (title, run) in zip(axes, items, strict=True):
        loss = run.loss
        low, high = loss.w_range
        ws = np.linspace(low, high, 300)
        ax.plot(ws, loss.function(ws), color="0.2", lw=2, label=f"${loss.formula}$")
        ax.axvline(loss.minimum, color="goldenrod", ls=":", lw=1.2)
        ax.scatter([loss.minimum], [loss.function(loss.minimum)], label="minimum", **MINIMUM_STYLE)
        shown = np.clip(run.weights, low - 1, high + 1)
        if tangents:
            for k in range(len(run.weights) - 1):
                tw, tl = run.tangent(k, half_width=0.35 * (high - low) / 4)
                ax.plot(
                    tw,
                    tl,
                    color="tab:red",
                    lw=1,
                    alpha=0.6,
                    label="tangent (slope dL/dw)" if k == 0 else None,
                )
        ax.plot(
            shown,
            loss.function(shown),
            "o-",
            color="tab:blue",
            ms=4,
            lw=1,
            alpha=0.85,
            label="gradient steps",
        )
        ax.scatter([run.weights[0]], [run.losses[0]], label="start", **START_STYLE)
        top = float(loss.function(np.array([low, high])).max())
        ax.set_xlim(low, high)
        ax.set_ylim(min(float(loss.function(loss.minimum)) - 0.5, -0.5), top * 1.05)
        ax.set_xlabel("weight w")
        verdict = (
            "diverges!"
            if run.diverged or run.losses[-1] > run.losses[0]
            else (f"loss {run.losses[-1]:.3g} after {len(run.weights) - 1} steps")
        )
        ax.set_title(f"{title} (lr = {run.learning_rate:g})\n{verdict}", fontsize="medium")
    axes[0].set_ylabel("loss L(w)")
    axes[0].legend(fontsize="small", loc="upper center")
    return present(fig) if new else fig


def _axes_list(axes: Any) -> list[Any]:
    """A list from an array or sequence of Axes; one Axes alone becomes a list of one."""
    if hasattr(axes, "flat"):
        return list(axes.flat)
    return list(axes) if isinstance(axes, list | tuple) else [axes]


def plot_regression_gd(
    problem: RegressionProblem,
    paths: Mapping[str, RegressionPath] | Sequence[RegressionPath],
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Batch vs mini-batch vs stochastic GD: paths in ``(w, b)`` space and MSE vs step.

    Left: MSE contours over ``(w, b)`` with each path and the normal-equation
    solution (gold star). Middle: full-data MSE after each step (log scale) with
    the best possible MSE dashed. Right: the data with the fitted lines.

    Args:
        problem: from :func:`~course_lib.optim.regression_gd.make_regression_problem`.
        paths: from :func:`~course_lib.optim.regression_gd.compare_batch_sizes`.
        axes: three Axes; ``None`` makes a new figure.

    Returns:
        The Figure.

    Raises:
        ViewError: no paths, or not three axes.

    Example:
        >>> from course_lib.optim import compare_batch_sizes, make_regression_problem
        >>> p = make_regression_problem()
        >>> fig = plot_regression_gd(p, compare_batch_sizes(p, steps=50))
        >>> [ax.get_title() for ax in fig.axes][0]
        'Paths in weight space'
    """
    require(problem, RegressionProblem, name="problem", what="plot_regression_gd",
            hint="Use problem = make_regression_problem().")
    if isinstance(paths, Mapping):
        items = list(paths.values())
    else:
        items = list(paths) if isinstance(paths, Sequence) and not isinstance(paths, str) else []
    if not items or not all(isinstance(p, RegressionPath) for p in items):
        raise ViewError(
            f"Expected RegressionPath objects. Received: paths={paths!r:.80}",
            hint="Use paths = compare_batch_sizes(problem).",
        )
    new = axes is None
    if new:
        fig = new_figure((4.6 * 3, 4.1), layout="constrained")
        axes = list(fig.subplots(1, 3))
    else:
        axes = [require_axes(ax, what="plot_regression_gd", name="axes")
                for ax in _axes_list(axes)]
        if len(axes) != 3:
            raise ViewError(
                f"Expected 3 Axes. Received: {len(axes)}",
                hint="Pass axes=None to make a new figure.",
            )
        fig = axes[0].figure
    ax_w, ax_loss, ax_data = axes
    w_star, b_star = normal_equation(problem)
    best = float(problem.mse(w_star, b_star))
    every = np.concatenate([p.params for p in items] + [[[w_star, b_star]]])
    (w_lo, b_lo), (w_hi, b_hi) = every.min(axis=0), every.max(axis=0)
    pad_w, pad_b = 0.15 * (w_hi - w_lo) + 0.3, 0.15 * (b_hi - b_lo) + 0.3
    ws = np.linspace(w_lo - pad_w, w_hi + pad_w, 150)
    bs = np.linspace(b_lo - pad_b, b_hi + pad_b, 150)
    grid_w, grid_b = np.meshgrid(ws, bs)
    z = problem.mse(grid_w, grid_b)
    levels = best + np.geomspace(0.01, max(float(z.max()) - best, 0.1), 25)
    ax_w.contourf(grid_w, grid_b, z, levels=levels, cmap="Blues_r", alpha=0.3, extend="max")
    ax_w.contour(grid_w, grid_b, z, levels=levels, colors="0.45", linewidths=0.5, alpha=0.7)
    for i, path in enumerate(items):
        color = f"C{i}"
        ax_w.plot(
            path.params[:, 0],
            path.params[:, 1],
            "-",
            marker=".",
            ms=2.5,
            lw=1.1,
            color=color,
            alpha=0.9,
            label=path.label,
        )
        ax_w.scatter(*path.final, marker="s", s=40, color=color, edgecolor="black", zorder=7)
        ax_loss.plot(
            np.arange(len(path.losses)), path.losses, color=color, lw=1.4, label=path.label
        )
    ax_w.scatter(*items[0].params[0], label="start", **START_STYLE)
    ax_w.scatter([w_star], [b_star], label="normal equation", **{**MINIMUM_STYLE, "zorder": 9})
    ax_w.set_xlabel("w (slope)")
    ax_w.set_ylabel("b (intercept)")
    ax_w.set_title("Paths in weight space")
    ax_w.legend(fontsize="small", loc="best", framealpha=0.9)
    ax_loss.axhline(
        best, color="goldenrod", ls="--", lw=1.5, label=f"normal equation (MSE {best:.3g})"
    )
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step (parameter update)")
    ax_loss.set_ylabel("MSE on all data (log)")
    ax_loss.set_title(f"MSE = (1/n) Σ (ŷ − y)²,  lr = {items[0].learning_rate:g}")
    ax_loss.grid(True, alpha=0.3)
    ax_loss.legend(fontsize="small")
    ax_data.scatter(problem.x, problem.y, s=10, color="0.4", alpha=0.6, label="data")
    xs = np.array([problem.x.min(), problem.x.max()])
    for i, path in enumerate(items):
        w, b = path.final
        ax_data.plot(xs, w * xs + b, color=f"C{i}", lw=1.3, label=path.label)
    ax_data.plot(
        xs,
        w_star * xs + b_star,
        color="goldenrod",
        ls="--",
        lw=2,
        label=f"normal eq.: y = {w_star:.2f}x + {b_star:.2f}",
    )
    ax_data.set_xlabel("x")
    ax_data.set_ylabel("y")
    ax_data.set_title("Fitted lines after the last step")
    ax_data.legend(fontsize="x-small")
    return present(fig) if new else fig
