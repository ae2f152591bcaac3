"""Static pictures of 2-D loss surfaces and optimizer paths.

Each ``plot_*`` draws into caller Axes when given (``ax=``) and otherwise makes
its own figure and shows it once (:func:`course_lib.views.display.present`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from course_lib.errors import ViewError
from course_lib.optim.paths import OptimizerPath
from course_lib.optim.surfaces import Surface, get_surface
from course_lib.views.display import axes_or_new, new_figure, present
from course_lib.views.optim.style import (
    GAP_FLOOR,
    MINIMUM_STYLE,
    PANEL_SIZE,
    SADDLE_STYLE,
    START_STYLE,
    _as_path_list,
    _color,
    _draw_path,
    _levels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_surface(
    surface: str | Surface,
    ax: Axes | None = None,
    resolution: int = 200,
    show_minima: bool = True,
) -> Axes:
    """Draw a surface's contour lines with its minima and saddle points marked.

    Args:
        surface: name or :class:`~course_lib.optim.surfaces.Surface`.
        ax: Axes to draw into; ``None`` makes a new figure.
        resolution: grid points per axis.
        show_minima: mark the known minima (gold stars) and saddle points (crosses).

    Returns:
        The Axes, limited to the surface's plot range.

    Raises:
        UnknownSurfaceError: unknown surface name.

    Example:
        >>> ax = plot_surface("himmelblau")
        >>> ax.get_title()
        "Himmelblau's function"
    """
    from matplotlib.colors import BoundaryNorm

    surf = get_surface(surface)
    ax, new = axes_or_new(ax, PANEL_SIZE, what="plot_surface", layout="constrained")
    grid_x, grid_y, z = surf.grid(resolution)
    levels = _levels(surf, z)
    norm = BoundaryNorm(levels, 256, extend="max")
    ax.contourf(
        grid_x, grid_y, z, levels=levels, cmap="Blues_r", norm=norm, alpha=0.4, extend="max"
    )
    ax.contour(grid_x, grid_y, z, levels=levels, colors="0.45", linewidths=0.5, alpha=0.7)
    if show_minima:
        mins = np.asarray(surf.minima)
        ax.scatter(mins[:, 0], mins[:, 1], label="minimum", **MINIMUM_STYLE)
        if surf.saddle_points:
            sad = np.asarray(surf.saddle_points)
            ax.scatter(sad[:, 0], sad[:, 1], label="saddle point", **SADDLE_STYLE)
    ax.set_xlim(*surf.x_range)
    ax.set_ylim(*surf.y_range)
    ax.set_xlabel("x (weight 1)")
    ax.set_ylabel("y (weight 2)")
    ax.set_title(surf.title)
    return present(ax) if new else ax



def plot_paths(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    ax: Axes | None = None,
    show_surface: bool = True,
    legend: bool = True,
) -> Axes:
    """Overlay optimizer paths on the contour plot of their surface.

    Start: white circle; end: filled square in the path's colour; a diverged
    path is dashed and its label says "diverged".

    Args:
        paths: one :class:`~course_lib.optim.paths.OptimizerPath`, or a list/dict of them
            (same surface), e.g. from :func:`~course_lib.optim.paths.compare_optimizers`.
        ax: Axes to draw into; ``None`` makes a new figure.
        show_surface: draw the contour background first.
        legend: add a legend.

    Returns:
        The Axes (one line per path, labelled with optimizer and learning rate).

    Raises:
        ViewError: ``paths`` is empty, not paths, or mixes surfaces.

    Example:
        >>> ax = plot_paths(compare_optimizers("bowl", ["sgd", "adam"], steps=30))  # doctest: +SKIP
    """
    items = _as_path_list(paths)
    surf = items[0].surface
    ax, new = axes_or_new(ax, (6.4, 5.0), what="plot_paths", layout="constrained")
    if show_surface:
        plot_surface(surf, ax=ax)
    for i, path in enumerate(items):
        color = _color(path, i)
        _draw_path(ax, path, color)
        ax.scatter(*path.final_point, marker="s", s=45, color=color, edgecolor="black", zorder=8)
    ax.scatter(*items[0].start, label="start", **START_STYLE)
    ax.set_xlim(*surf.x_range)
    ax.set_ylim(*surf.y_range)
    if legend:
        ax.legend(loc="best", fontsize="small", framealpha=0.9)
    return present(ax) if new else ax


def plot_loss_curves(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    ax: Axes | None = None,
    legend: bool = True,
) -> Axes:
    """Loss above the best possible value (``loss - min``) against step, log scale.

    Args:
        paths: path(s) as for :func:`plot_paths`.
        ax: Axes to draw into; ``None`` makes a new figure.
        legend: add a legend.

    Returns:
        The Axes, one line per path.

    Raises:
        ViewError: bad ``paths``.

    Example:
        >>> ax = plot_loss_curves(compare_optimizers("beale", ["sgd", "adam"]))  # doctest: +SKIP
    """
    items = _as_path_list(paths)
    ax, new = axes_or_new(ax, PANEL_SIZE, what="plot_loss_curves", layout="constrained")
    for i, path in enumerate(items):
        gap = np.maximum(path.gap(), GAP_FLOOR)
        ax.plot(
            np.arange(len(gap)),
            gap,
            "--" if path.diverged else "-",
            lw=1.6,
            color=_color(path, i),
            label=path.label,
        )
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss − minimum loss (log)")
    ax.set_title("Loss while training")
    ax.grid(True, which="major", alpha=0.3)
    if legend:
        ax.legend(fontsize="small")
    return present(ax) if new else ax


def plot_optimizer_comparison(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    fig: Figure | None = None,
) -> Figure:
    """Paths over the contours (left) and loss vs step (right) in one figure.

    Args:
        paths: path(s) as for :func:`plot_paths`.
        fig: an empty Figure to draw into (e.g. a widget's); ``None`` makes one and
            shows it once.

    Returns:
        The Figure.

    Example:
        >>> fig = plot_optimizer_comparison(compare_optimizers("saddle"))  # doctest: +SKIP
    """
    items = _as_path_list(paths)
    new = fig is None
    if new:
        fig = new_figure((11.5, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    plot_paths(items, ax=left, legend=False)
    plot_loss_curves(items, ax=right, legend=False)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", fontsize="small")
    return present(fig) if new else fig


def plot_paths_side_by_side(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    ncols: int = 4,
) -> Figure:
    """One small contour panel per optimizer, each with its path and final loss.

    Args:
        paths: path(s) as for :func:`plot_paths`.
        ncols: panels per row.

    Returns:
        The Figure (one Axes per path, titled with the path's label).

    Raises:
        ViewError: bad ``paths`` or ``ncols < 1``.

    Example:
        >>> fig = plot_paths_side_by_side(compare_optimizers("rosenbrock"))  # doctest: +SKIP
    """
    items = _as_path_list(paths)
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ViewError(f"Expected ncols >= 1. Received: ncols={ncols!r}", hint="Use ncols=4.")
    ncols = min(ncols, len(items))
    nrows = -(-len(items) // ncols)
    fig = new_figure((3.8 * ncols, 3.4 * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, sharey=True)).ravel()
    for i, (ax, path) in enumerate(zip(axes, items, strict=False)):
        plot_paths(path, ax=ax, legend=False)
        color = _color(path, i)
        ax.get_lines()[-1].set_color(color)
        note = "diverged!" if path.diverged else f"final loss {path.final_loss:.3g}"
        ax.set_title(f"{path.label.split(',')[0]}\n{note}", fontsize="medium")
        if i % ncols:
            ax.set_ylabel("")
        if i < len(items) - ncols:
            ax.set_xlabel("")
    for ax in axes[len(items) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{items[0].surface.title}: {items[0].steps_requested} steps from "
        f"{tuple(round(v, 2) for v in items[0].start)}  (★ = minimum)"
    )
    return present(fig)

