"""Static playground pictures: decision surface, loss curves, neuron maps.

Each draws into a caller's Axes/Figure (``ax=`` / ``fig=``) or makes and shows
its own figure once (:func:`course_lib.views.display.present`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.playground.datasets import PlaygroundData
from course_lib.playground.features import FEATURE_LABELS
from course_lib.playground.grid import DecisionGrid
from course_lib.playground.model import Playground
from course_lib.views.display import axes_or_new, new_figure, present
from course_lib.views.playground.style import (
    CLASS_COLORS,
    TEST_LOSS_COLOR,
    TRAIN_LOSS_COLOR,
    _check_data,
    _check_grid,
    _cmap,
    _extent,
    _point_colors,
    _style_loss_ax,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def plot_decision_surface(
    grid: DecisionGrid,
    data: PlaygroundData | None = None,
    ax: Axes | None = None,
    *,
    show_test: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw P(class 1) as a coloured background, the 0.5 boundary, and the points.

    Args:
        grid: ``(xx, yy, probs)`` from :func:`~course_lib.playground.decision_grid`.
        data: points to overlay (training points filled with a white rim, test
            points with a dark rim).
        ax: Axes to draw into; None makes a new figure.
        show_test: also draw the test points.
        title: Axes title.

    Returns:
        The Axes (a new figure is shown once; a caller's Axes is not).

    Raises:
        ViewError: ``grid`` or ``data`` of the wrong kind or shape.

    Example:
        >>> grid = decision_grid(pg.model, pg.config.features)  # doctest: +SKIP
        >>> ax = plot_decision_surface(grid, pg.data)           # doctest: +SKIP
    """
    grid = _check_grid(grid)
    data = _check_data(data)
    ax, new = axes_or_new(ax, (4.8, 5.0), what="plot_decision_surface")
    if new:
        ax.figure.subplots_adjust(left=0.13, right=0.96, bottom=0.19, top=0.92)
    ax.imshow(
        grid.probs,
        extent=_extent(grid),
        origin="lower",
        cmap=_cmap(0.75),
        vmin=0.0,
        vmax=1.0,
        interpolation="bilinear",
        aspect="auto",
    )
    if grid.probs.min() < 0.5 < grid.probs.max():
        ax.contour(grid.xx, grid.yy, grid.probs, levels=[0.5], colors="0.2", linewidths=1.2)
    if data is not None:
        _scatter(ax, data.x_train, data.y_train, test=False)
        if show_test:
            _scatter(ax, data.x_test, data.y_test, test=True)
    _finish_surface(ax, title)
    return present(ax) if new else ax


def _scatter(ax: Axes, x: np.ndarray, y: np.ndarray, *, test: bool) -> Any:
    return ax.scatter(
        x[:, 0],
        x[:, 1],
        c=_point_colors(y),
        s=20 if test else 26,
        edgecolors="#333333" if test else "white",
        linewidths=0.8,
        zorder=3 if test else 4,
        label="test points" if test else "training points",
    )


def _finish_surface(ax: Axes, title: str | None) -> None:
    from matplotlib.lines import Line2D

    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", rotation=0, labelpad=10)
    handles = [
        Line2D([], [], marker="o", ls="", mfc=CLASS_COLORS[0], mec="white", ms=7, label="class 0"),
        Line2D([], [], marker="o", ls="", mfc=CLASS_COLORS[1], mec="white", ms=7, label="class 1"),
        Line2D([], [], marker="o", ls="", mfc="0.85", mec="#222222", ms=7, label="test point"),
        Line2D([], [], color="0.2", lw=1.2, label="boundary p = 0.5"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.11),
        ncol=4,
        fontsize=8,
        frameon=False,
        handletextpad=0.3,
        columnspacing=1.0,
    )
    if title:
        ax.set_title(title, fontsize=11)


def _check_history(history: object) -> Mapping[str, Sequence[float]]:
    if isinstance(history, Playground):
        history = history.history
    if not isinstance(history, Mapping) or "train_loss" not in history:
        raise ViewError(
            "Expected a playground history with 'train_loss' (and 'test_loss'). "
            f"Received: {type(history).__name__}.",
            hint="pass playground.history (or the Playground itself).",
        )
    train = list(history["train_loss"])
    test = list(history.get("test_loss", []))
    epochs = list(history.get("epoch", range(len(train))))
    if not train:
        raise ViewError(
            "The history is empty: train_loss=[].",
            hint="call playground.step() at least once, or build the Playground first.",
        )
    if len(epochs) != len(train) or (test and len(test) != len(train)):
        raise ViewError(
            f"Mismatched history lengths: epoch={len(epochs)}, train_loss={len(train)}, "
            f"test_loss={len(test)}.",
            hint="pass the history dict recorded by Playground unchanged.",
        )
    return {"epoch": epochs, "train_loss": train, "test_loss": test}


def plot_loss_curves(history: Any, ax: Axes | None = None) -> Axes:
    """Train and test loss (binary cross-entropy) against epochs.

    Args:
        history: ``playground.history`` or the :class:`Playground`.
        ax: Axes to draw into; None makes a new figure.

    Returns:
        The Axes, with lines labelled ``"train loss"`` and ``"test loss"``.

    Raises:
        ViewError: empty or mismatched history.

    Example:
        >>> ax = plot_loss_curves(pg)  # doctest: +SKIP
    """
    hist = _check_history(history)
    ax, new = axes_or_new(ax, (5.0, 2.8), what="plot_loss_curves")
    ax.plot(hist["epoch"], hist["train_loss"], color=TRAIN_LOSS_COLOR, lw=1.6, label="train loss")
    if hist["test_loss"]:
        ax.plot(
            hist["epoch"], hist["test_loss"], color=TEST_LOSS_COLOR, lw=1.6, ls="--",
            label="test loss",
        )
    _style_loss_ax(ax)
    top = max(max(hist["train_loss"]), max(hist["test_loss"] or [0.0]))
    ax.set_ylim(0.0, max(top * 1.08, 0.1))
    ax.set_xlim(0, max(hist["epoch"][-1], 1))
    return present(ax) if new else ax



def _neuron_columns(
    maps: Sequence[np.ndarray], feature_names: Sequence[str] | None, fmaps: np.ndarray | None
) -> list[tuple[str, list[np.ndarray], list[str]]]:
    if isinstance(maps, str) or not isinstance(maps, Sequence | np.ndarray):
        raise ViewError(
            f"Expected maps to be a list of (units, rows, cols) arrays. Received: "
            f"maps={maps!r:.60} (a {type(maps).__name__}).",
            hint="pass the list returned by neuron_activation_maps(model, features).",
        )
    columns = []
    if fmaps is not None:
        names = list(feature_names or [f"feature {i + 1}" for i in range(len(fmaps))])
        columns.append(("inputs", list(fmaps), [FEATURE_LABELS.get(n, n) for n in names]))
    for index, layer in enumerate(maps, start=1):
        arr = np.asarray(layer)
        if arr.ndim != 3:
            raise ViewError(
                f"Expected each neuron map to be (units, rows, cols). Received: layer {index} "
                f"with shape {arr.shape}.",
                hint="pass the list returned by neuron_activation_maps(model, features).",
            )
        columns.append((f"hidden {index}", list(arr), [""] * len(arr)))
    return columns


def plot_neuron_maps(
    maps: Sequence[np.ndarray],
    feature_names: Sequence[str] | None = None,
    fmaps: np.ndarray | None = None,
    fig: Figure | None = None,
    max_rows: int = 8,
) -> Figure:
    """One small map per neuron, one column per layer (inputs first when given).

    Each map shows what that neuron outputs at every point of the plane:
    blue = high, orange = low, each map scaled to its own range.

    Args:
        maps: from :func:`~course_lib.playground.neuron_activation_maps`.
        feature_names: names of the input features (column titles).
        fmaps: optional feature maps from :func:`~course_lib.playground.feature_maps`.
        fig: Figure to draw into; None makes one.
        max_rows: at most this many neurons per column are drawn.

    Returns:
        The Figure.

    Raises:
        ViewError: a map is not ``(units, rows, cols)``, or nothing to draw.

    Example:
        >>> maps = neuron_activation_maps(pg.model, pg.config.features)  # doctest: +SKIP
        >>> fig = plot_neuron_maps(maps)                                 # doctest: +SKIP
    """
    columns = _neuron_columns(maps, feature_names, fmaps)
    if not columns:
        raise ViewError(
            "Nothing to draw: the model has no hidden layer and no feature maps were given.",
            hint="add a hidden layer (hidden=(4,)) or pass fmaps=feature_maps(features).",
        )
    rows = min(max(len(c[1]) for c in columns), max_rows)
    new = fig is None
    if new:
        fig = new_figure((1.3 * len(columns) + 0.4, 1.25 * rows + 0.5))
    cmap = _cmap(1.0)
    grid = fig.add_gridspec(rows, len(columns), hspace=0.25, wspace=0.25, top=0.9)
    for col, (title, images, labels) in enumerate(columns):
        for row, (image, label) in enumerate(zip(images[:rows], labels[:rows], strict=True)):
            ax = fig.add_subplot(grid[row, col])
            scale = max(float(np.abs(image).max()), 1e-6)
            ax.imshow(image, origin="lower", cmap=cmap, vmin=-scale, vmax=scale)
            ax.set_xticks([])
            ax.set_yticks([])
            if label:
                ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
            if row == 0:
                ax.set_title(title, fontsize=9)
    return present(fig) if new else fig

