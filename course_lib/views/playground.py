"""Decision-boundary playground views: surface, neuron maps, losses, widget, perceptron.

Drawing only; the numbers come from :mod:`course_lib.playground`. Colours
follow TensorFlow Playground: class 0 orange, class 1 blue; backgrounds and
neuron maps use the same orange-white-blue scale (orange = low/negative,
blue = high/positive).

* :func:`plot_decision_surface`, :func:`plot_loss_curves`,
  :func:`plot_neuron_maps` draw into a caller's Axes/Figure (``ax=None``
  makes one).
* :class:`PlaygroundFigure` is the whole picture (network of neuron maps,
  decision surface, losses) updated in place: images get new data, nothing is
  re-created unless the architecture changes.
* :class:`PlaygroundApp` is the ipywidgets app; :func:`show_playground` gives
  the app, or a static figure when ``course_lib.config.view_mode()`` is
  ``"static"`` (nbval, HTML export).
* :func:`plot_perceptron_run`, :func:`plot_perceptron_gates`,
  :func:`plot_xor_solution`, :class:`PerceptronApp`, :func:`show_perceptron`
  for the single-neuron lesson.

Example:
    >>> from course_lib.views.playground import show_playground
    >>> show_playground(dataset="xor", hidden=(4,), activation="tanh")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ConfigError, CourseError, ViewError
from course_lib.playground.datasets import DATASET_NAMES, PlaygroundData, load_playground_data
from course_lib.playground.features import FEATURE_LABELS, FEATURE_NAMES
from course_lib.playground.grid import (
    DecisionGrid,
    decision_grid,
    feature_maps,
    neuron_activation_maps,
)
from course_lib.playground.model import ACTIVATIONS, OPTIMIZERS, Playground, PlaygroundConfig
from course_lib.playground.perceptron import (
    GATES,
    PerceptronRun,
    XorSolution,
    perceptron_on_gate,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap
    from matplotlib.figure import Figure

CLASS_COLORS = ("#f59322", "#0877bd")
"""Point colours for class 0 (orange) and class 1 (blue)."""
LIGHT = "#f4f4f4"
TRAIN_LOSS_COLOR = "#2b2b2b"
TEST_LOSS_COLOR = "#8c8c8c"
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


# ------------------------------------------------------------------ helpers
def _cmap(strength: float = 1.0) -> Colormap:
    """Orange -> light grey -> blue; ``strength`` < 1 gives paler ends for backgrounds."""
    from matplotlib.colors import LinearSegmentedColormap, to_rgb

    light = np.array(to_rgb(LIGHT))
    ends = [light + strength * (np.array(to_rgb(c)) - light) for c in CLASS_COLORS]
    return LinearSegmentedColormap.from_list("playground", [ends[0], light, ends[1]])


def _new_figure(size: tuple[float, float], dpi: int = 80, *, pyplot: str = "") -> Figure:
    """A new Figure; ``pyplot`` says how it meets Jupyter.

    ``""``: no pyplot at all (live widgets: the figure never shows by itself);
    ``"open"``: a pyplot figure, shown once at the end of the cell (functions
    returning Axes); ``"returned"``: made with pyplot (so Jupyter knows how to
    show figures) and closed at once, so it shows exactly once as the cell's
    value (functions returning the Figure).
    """
    if pyplot:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=size, dpi=dpi, facecolor="white")
        if pyplot == "returned":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            plt.close(fig)
            FigureCanvasAgg(fig)  # closing may leave a bare canvas; blitting needs Agg
            _ensure_figure_display()
        return fig
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _ensure_figure_display() -> None:
    """Let IPython show a returned Figure as a PNG even when no inline backend
    registered a formatter (e.g. a kernel started with ``MPLBACKEND=Agg``)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, figure_png)


def _new_ax(ax: Axes | None, size: tuple[float, float] = (4.6, 4.4)) -> Axes:
    if ax is not None:
        if not hasattr(ax, "imshow"):
            raise ViewError(
                f"Expected a matplotlib Axes for ax. Received: {type(ax).__name__}.",
                hint="pass ax=fig.add_subplot() or leave ax=None for a new figure.",
            )
        return ax
    return _new_figure(size, pyplot="open").add_subplot()


def figure_png(fig: Figure, dpi: int | None = None) -> bytes:
    """Render a figure to PNG bytes (draw once, fast zlib level).

    Example:
        >>> png = figure_png(PlaygroundFigure(pg).fig)  # doctest: +SKIP
        >>> png[:4]                                      # doctest: +SKIP
        b'\\x89PNG'
    """
    from PIL import Image

    if dpi is not None:
        fig.set_dpi(dpi)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    buffer = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _check_data(data: object) -> PlaygroundData | None:
    if data is None or isinstance(data, PlaygroundData):
        return data
    raise ViewError(
        f"Expected data to be PlaygroundData. Received: {type(data).__name__}.",
        hint="pass playground.data, or wrap arrays with custom_data(x, y).",
    )


def _check_grid(grid: object) -> DecisionGrid:
    try:
        xx, yy, probs = (np.asarray(a, dtype=float) for a in grid)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ViewError(
            f"Expected grid=(xx, yy, probs) from decision_grid(). Received: {type(grid).__name__}.",
            hint="compute it with course_lib.playground.decision_grid(model, features).",
        ) from None
    if probs.ndim != 2 or xx.shape != probs.shape or yy.shape != probs.shape:
        raise ViewError(
            "Expected xx, yy and probs of the same 2-D shape. Received: "
            f"xx{xx.shape}, yy{yy.shape}, probs{probs.shape}.",
            hint="pass the DecisionGrid returned by decision_grid() unchanged.",
        )
    return DecisionGrid(xx, yy, probs)


def _extent(grid: DecisionGrid) -> tuple[float, float, float, float]:
    return (
        float(grid.xx.min()),
        float(grid.xx.max()),
        float(grid.yy.min()),
        float(grid.yy.max()),
    )


def _nice_ceiling(value: float) -> float:
    """Smallest of 1, 2, 5 x 10^k that is >= value (axis limits that rarely change)."""
    value = max(float(value), 1e-3)
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return float(step * power)
    return float(10 * power)


def _point_colors(y: np.ndarray) -> list[str]:
    return [CLASS_COLORS[int(label)] for label in y]


# ------------------------------------------------------------- static views
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
        The Axes.

    Raises:
        ViewError: ``grid`` or ``data`` of the wrong kind or shape.

    Example:
        >>> grid = decision_grid(pg.model, pg.config.features)  # doctest: +SKIP
        >>> ax = plot_decision_surface(grid, pg.data)           # doctest: +SKIP
    """
    grid = _check_grid(grid)
    data = _check_data(data)
    if ax is None:
        ax = _new_ax(None, size=(4.8, 5.0))
        ax.figure.subplots_adjust(left=0.13, right=0.96, bottom=0.19, top=0.92)
    else:
        ax = _new_ax(ax)
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
    return ax


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
    ax = _new_ax(ax, size=(5.0, 2.8))
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
    return ax


def _style_loss_ax(ax: Axes) -> None:
    ax.set_xlabel("epoch", fontsize=9, labelpad=1)
    ax.set_ylabel("loss", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(alpha=0.25)


def _neuron_columns(
    maps: Sequence[np.ndarray], feature_names: Sequence[str] | None, fmaps: np.ndarray | None
) -> list[tuple[str, list[np.ndarray], list[str]]]:
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
    if fig is None:
        fig = _new_figure((1.3 * len(columns) + 0.4, 1.25 * rows + 0.5), pyplot="returned")
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
    return fig


# ----------------------------------------------------- live composite figure
class PlaygroundFigure:
    """The whole playground picture, redrawn in place after every change.

    Left: the network as columns of neuron maps (inputs, hidden layers) joined
    by lines whose width is the weight's size and colour its sign (blue +,
    orange -). Right: the decision surface with the training (white rim) and
    test (dark rim, squares) points, and the train/test loss curves below.

    :meth:`update` only sets new image data, line data and colours; the
    figure, axes and artists are re-created only when the features or hidden
    layers change.

    Args:
        playground: the :class:`~course_lib.playground.Playground` to show.
        resolution: decision-surface grid points per axis.
        neuron_resolution: grid points per axis of each neuron map.
        max_rows: neurons drawn per layer at most.
        show_test: draw the test points.
        captions: write epoch, losses and accuracy above the surface; the app
            shows them in its status line instead (text layout is slow in Agg).
        pyplot: make the figure with pyplot (closed at once) so that, returned
            from a notebook cell, it shows as an image; the app leaves it False.

    Example:
        >>> view = PlaygroundFigure(pg)      # doctest: +SKIP
        >>> pg.step(5); view.update()        # doctest: +SKIP
        >>> png = view.to_png()              # doctest: +SKIP
    """

    SIZE = (11.0, 6.0)
    """Figure size in inches (880 x 480 pixels at 80 dpi)."""

    def __init__(
        self,
        playground: Playground,
        resolution: int = 100,
        neuron_resolution: int = 32,
        max_rows: int = 8,
        show_test: bool = True,
        captions: bool = True,
        pyplot: bool = False,
    ) -> None:
        if not isinstance(playground, Playground):
            raise ViewError(
                f"Expected a Playground. Received: {type(playground).__name__}.",
                hint="create one with course_lib.playground.Playground(config, dataset=...).",
            )
        self.playground = playground
        self.resolution = resolution
        self.neuron_resolution = neuron_resolution
        self.max_rows = max_rows
        self.show_test = show_test
        self.captions = captions
        self.fig: Figure = _new_figure(self.SIZE, dpi=80, pyplot="returned" if pyplot else "")
        self._layout_key: tuple | None = None
        self._data_key: int | None = None
        self.update()

    # the layout depends only on the architecture
    def _build(self) -> None:
        from matplotlib.collections import LineCollection

        pg = self.playground
        self.fig.clear()
        fig = self.fig
        bounds = pg.data.bounds
        widths = [len(pg.config.features)] + list(pg.config.hidden)
        n_cols = len(widths)
        rows = min(max(widths), self.max_rows)
        left, right, bottom, top = 0.04, 0.50, 0.06, 0.88
        width, height = self.SIZE
        cell = min((top - bottom) / rows * 0.78 * height / width, (right - left) / n_cols * 0.55)
        cell_h = cell * width / height
        col_x = np.linspace(left + 0.04, right - cell, n_cols) if n_cols > 1 else [left + 0.04]
        self._cells: list[list[Any]] = []
        self._neuron_axes: list[Any] = []
        self._background: Any = None
        self._cell_pos: list[list[tuple[float, float]]] = []
        cmap = _cmap(1.0)
        empty = np.zeros((self.neuron_resolution, self.neuron_resolution))
        for col, count in enumerate(widths):
            shown = min(count, self.max_rows)
            span = shown * cell_h + (shown - 1) * cell_h * 0.28
            y0 = (top + bottom) / 2 + span / 2 - cell_h
            images, centers = [], []
            for row in range(shown):
                y = y0 - row * cell_h * 1.28
                ax = fig.add_axes((col_x[col], y, cell, cell_h))
                self._neuron_axes.append(ax)
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_color("0.7")
                images.append(ax.imshow(empty, origin="lower", cmap=cmap, vmin=-1, vmax=1))
                centers.append((col_x[col], y + cell_h / 2))
                if col == 0:
                    name = pg.config.features[row]
                    ax.set_ylabel(
                        FEATURE_LABELS.get(name, name), rotation=0, ha="right", va="center",
                        fontsize=10,
                    )
            unit = "feature" if col == 0 else "neuron"
            if n_cols <= 5:
                title = ("inputs" if col == 0 else f"hidden {col}") + f"\n{count} {unit}" + (
                    "s" if count != 1 else ""
                )
            else:  # narrow columns: short titles
                title = ("in" if col == 0 else f"h{col}") + f"\n{count}"
            fig.text(col_x[col] + cell / 2, top + 0.015, title, ha="center", va="bottom",
                     fontsize=9, color="0.25")
            if count > shown:
                fig.text(col_x[col] + cell / 2, y - 0.01, f"+{count - shown} more", ha="center",
                         va="top", fontsize=8, color="0.4")
            self._cells.append(images)
            self._cell_pos.append(centers)
        self._cell_size = (cell, cell_h)

        surf = fig.add_axes((6.6 / width, 1.8 / height, 3.4 / width, 3.4 / height))
        self._surface_ax = surf
        self._surface = surf.imshow(
            np.full((self.resolution, self.resolution), 0.5),
            extent=bounds,
            origin="lower",
            cmap=_cmap(0.75),
            vmin=0.0,
            vmax=1.0,
            interpolation="bilinear",
            aspect="auto",
        )
        self._boundary: Any = None
        # one collection per class and split: uniform colours let Agg stamp markers (fast path)
        self._train_pts = [
            surf.scatter([], [], s=26, c=color, edgecolors="white", linewidths=0.8, zorder=4)
            for color in CLASS_COLORS
        ]
        self._test_pts = [
            surf.scatter([], [], s=20, c=color, edgecolors="#333333", linewidths=0.8, zorder=3)
            for color in CLASS_COLORS
        ]
        surf.set_xlim(bounds[0], bounds[1])
        surf.set_ylim(bounds[2], bounds[3])
        surf.tick_params(labelsize=8)
        self._title = fig.text(8.3 / width, 0.985, "", ha="center", va="top", fontsize=11,
                               fontweight="bold")
        self._caption = fig.text(8.3 / width, 0.985 - 0.3 / height, "", ha="center", va="top",
                                 fontsize=9.5)

        loss_ax = fig.add_axes((6.85 / width, 0.5 / height, 3.15 / width, 0.85 / height))
        self._loss_ax = loss_ax
        (self._train_line,) = loss_ax.plot(
            [], [], color=TRAIN_LOSS_COLOR, lw=1.6, label="train loss"
        )
        (self._test_line,) = loss_ax.plot(
            [], [], color=TEST_LOSS_COLOR, lw=1.6, ls="--", label="test loss"
        )
        _style_loss_ax(loss_ax)
        loss_ax.legend(fontsize=8, frameon=False, loc="upper right", ncol=2)

        # connections: from each neuron's right edge to the next column's left edges
        segments = []
        for col in range(n_cols - 1):
            for (xa, ya) in self._cell_pos[col]:
                for (xb, yb) in self._cell_pos[col + 1]:
                    segments.append([(xa + cell, ya), (xb, yb)])
        surf_box = surf.get_position()
        for (xa, ya) in self._cell_pos[-1]:
            target = (surf_box.x0 - 0.035, (surf_box.y0 + surf_box.y1) / 2)
            segments.append([(xa + cell, ya), target])
        self._links = LineCollection(
            segments, transform=fig.transFigure, zorder=-1, capstyle="round"
        )
        fig.add_artist(self._links)
        self._layout_key = (pg.config.features, pg.config.hidden, pg.data.bounds)
        self._data_key = None

    def _link_weights(self) -> np.ndarray:
        """Kernel entries in the same order as the link segments."""
        pg = self.playground
        weights = []
        layers = pg.model.layers
        for col, layer in enumerate(layers):
            kernel = np.asarray(layer.kernel)
            shown_in = len(self._cell_pos[col])
            shown_out = len(self._cell_pos[col + 1]) if col + 1 < len(self._cell_pos) else 1
            weights.append(kernel[:shown_in, :shown_out].reshape(-1))
        return np.concatenate(weights)

    def update(self) -> None:
        """Recompute the grids from the current model and refresh every artist."""
        pg = self.playground
        key = (pg.config.features, pg.config.hidden, pg.data.bounds)
        if key != self._layout_key:
            self._build()
        bounds = pg.data.bounds
        if self._data_key != id(pg.data):
            self._background = None  # the title names the dataset
            for label in (0, 1):
                self._train_pts[label].set_offsets(pg.data.x_train[pg.data.y_train == label])
                self._test_pts[label].set_offsets(pg.data.x_test[pg.data.y_test == label])
            self._data_key = id(pg.data)
        for points in self._test_pts:
            points.set_visible(self.show_test)

        fmaps = feature_maps(pg.config.features, bounds, self.neuron_resolution)
        hidden = neuron_activation_maps(
            pg.model, pg.config.features, bounds, self.neuron_resolution
        )
        for images, layer_maps in zip(self._cells, [fmaps, *hidden], strict=True):
            for image, values in zip(images, layer_maps, strict=False):
                scale = max(float(np.abs(values).max()), 1e-6)
                image.set_data(values)
                image.set_clim(-scale, scale)

        grid = decision_grid(pg.model, pg.config.features, bounds, self.resolution)
        self._surface.set_data(grid.probs)
        if self._boundary is not None:
            self._boundary.remove()
            self._boundary = None
        if grid.probs.min() < 0.5 < grid.probs.max():
            self._boundary = self._surface_ax.contour(
                grid.xx, grid.yy, grid.probs, levels=[0.5], colors="0.2", linewidths=1.2
            )

        weights = self._link_weights()
        top = max(float(np.abs(weights).max()), 1e-6)
        self._links.set_linewidths(0.3 + 3.2 * np.abs(weights) / top)
        self._links.set_colors([CLASS_COLORS[1] if w > 0 else CLASS_COLORS[0] for w in weights])
        self._links.set_alpha(0.55)

        hist = pg.history
        self._train_line.set_data(hist["epoch"], hist["train_loss"])
        self._test_line.set_data(hist["epoch"], hist["test_loss"])
        # limits move in 1-2-5 steps, so the axes (and the cached background) rarely change
        peak = max(max(hist["train_loss"]), max(hist["test_loss"]))
        limits = ((0.0, _nice_ceiling(max(hist["epoch"][-1], 10))),
                  (0.0, _nice_ceiling(peak * 1.45)))  # headroom for the legend
        if limits != (self._loss_ax.get_xlim(), self._loss_ax.get_ylim()):
            self._loss_ax.set_xlim(*limits[0])
            self._loss_ax.set_ylim(*limits[1])
            self._background = None
        latest = pg.latest()
        if not self.captions:
            self._title.set_text(f"{pg.data.name} · output P(class 1)")
            self._caption.set_text("")
            return
        self._title.set_text(f"{pg.data.name} · epoch {latest['epoch']}")
        self._caption.set_text(
            f"output P(class 1) · train loss {latest['train_loss']:.3f} · "
            f"test loss {latest['test_loss']:.3f} · test accuracy {latest['test_accuracy']:.0%}"
        )

    def _dynamic_artists(self) -> list[Any]:
        """What changes between frames, in drawing order."""
        artists = [self._links]
        for ax, image in zip(self._neuron_axes, (i for col in self._cells for i in col),
                             strict=True):
            artists += [image, *ax.spines.values()]
        artists.append(self._surface)
        if self._boundary is not None:
            artists.append(self._boundary)
        artists += [*self._train_pts, *self._test_pts, *self._surface_ax.spines.values()]
        artists += [self._train_line, self._test_line]
        return [*artists, self._title, self._caption] if self.captions else artists

    def render(self) -> None:
        """Draw the current state onto the figure's Agg canvas, blitting.

        The first call draws everything except the changing artists and keeps
        that background (axes, ticks, labels: most of the drawing time); later
        calls restore it and draw only the changing artists on top.
        """
        canvas = self.fig.canvas
        dynamic = self._dynamic_artists()
        if self._background is None:
            for artist in dynamic:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            for artist in dynamic:  # leave nothing animated: savefig must show everything
                artist.set_animated(False)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in dynamic:
            artist.draw(renderer)

    def to_png(self) -> bytes:
        """The current picture as PNG bytes (see :meth:`render`)."""
        from PIL import Image

        self.render()
        rgba = np.asarray(self.fig.canvas.buffer_rgba())
        buffer = io.BytesIO()
        Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def plot_playground(playground: Playground, show_test: bool = True) -> Figure:
    """The static playground picture: neuron maps, decision surface, losses.

    Args:
        playground: the :class:`~course_lib.playground.Playground` to draw.
        show_test: also draw the test points.

    Returns:
        A matplotlib Figure (not registered with pyplot).

    Raises:
        ViewError: not a Playground.

    Example:
        >>> pg = Playground(dataset="circles"); pg.step(20)  # doctest: +SKIP
        >>> fig = plot_playground(pg)                        # doctest: +SKIP
    """
    return PlaygroundFigure(playground, show_test=show_test, pyplot=True).fig


# ------------------------------------------------------------------ the app
def _parse_hidden(text: str) -> tuple[int, ...]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            f"Expected neuron counts separated by commas. Received: hidden={text!r}.",
            hint="type e.g. '4, 2' for two hidden layers, or leave it empty for none.",
        ) from None


class PlaygroundApp:
    """TensorFlow-Playground-style ipywidgets app on a real Keras model.

    Every control is an ipywidget attribute, so code (and tests) can drive the
    app by setting values: ``app.dataset.value = "spiral"`` regenerates the
    data and rebuilds the model; ``app.activation.value = "relu"`` rebuilds
    the model; ``app.step_button.click()`` trains one epoch; ``app.play``
    (an ``ipywidgets.Play``) trains one epoch per tick without blocking the
    kernel. The picture is an ``ipywidgets.Image`` whose bytes are replaced
    after each change (no ``clear_output``, so no flicker; works in Voila).

    Controls: ``dataset``, ``noise``, ``hidden`` (text, e.g. ``"4, 2"``),
    ``activation``, ``learning_rate``, ``optimizer``, ``batch_size``, ``l1``,
    ``l2``, ``feature_boxes`` (name -> Checkbox), ``show_test``,
    ``step_button``, ``play``, ``reset_button``; ``status`` shows the epoch or
    what was wrong with a control.

    Args:
        playground: start from this Playground (default: circles, (4, 2) tanh).
        resolution: decision-surface grid points per axis.
        interval_ms: milliseconds between "play" ticks.

    Example:
        >>> app = PlaygroundApp()                 # doctest: +SKIP
        >>> app                                   # doctest: +SKIP  (displays the widget)
        >>> app.features_value = ("x1^2", "x2^2")  # doctest: +SKIP
    """

    def __init__(
        self, playground: Playground | None = None, resolution: int = 100, interval_ms: int = 150
    ) -> None:
        import ipywidgets as widgets

        self.playground = playground or Playground()
        pg, cfg = self.playground, self.playground.config
        self.view = PlaygroundFigure(pg, resolution=resolution, captions=False)
        style = {"description_width": "95px"}
        wide = widgets.Layout(width="250px")
        noise = float(getattr(pg.data, "noise", 0.0))
        self.dataset = widgets.Dropdown(
            options=list(DATASET_NAMES) if pg.data.name in DATASET_NAMES else
            [*DATASET_NAMES, pg.data.name],
            value=pg.data.name, description="dataset", style=style, layout=wide,
        )
        self.noise = widgets.FloatSlider(
            value=noise, min=0.0, max=0.6, step=0.05, description="noise", style=style,
            layout=wide, continuous_update=False,
        )
        self.hidden = widgets.Text(
            value=", ".join(str(n) for n in cfg.hidden), description="hidden layers",
            placeholder="e.g. 4, 2", style=style, layout=wide, continuous_update=False,
        )
        self.activation = widgets.Dropdown(
            options=list(ACTIVATIONS), value=cfg.activation, description="activation",
            style=style, layout=wide,
        )
        rates = sorted(set(LEARNING_RATES) | {cfg.learning_rate})
        self.learning_rate = widgets.SelectionSlider(
            options=[(f"{r:g}", r) for r in rates], value=cfg.learning_rate,
            description="learning rate", style=style, layout=wide, continuous_update=False,
        )
        self.optimizer = widgets.Dropdown(
            options=list(OPTIMIZERS), value=cfg.optimizer, description="optimizer",
            style=style, layout=wide,
        )
        self.batch_size = widgets.IntSlider(
            value=min(cfg.batch_size, 64), min=1, max=64, description="batch size", style=style,
            layout=wide, continuous_update=False,
        )
        l1_rates = sorted(set(REGULARIZATION_RATES) | {cfg.l1})
        l2_rates = sorted(set(REGULARIZATION_RATES) | {cfg.l2})
        self.l1 = widgets.Dropdown(
            options=[(f"{r:g}", r) for r in l1_rates], value=cfg.l1, description="L1",
            style=style, layout=wide,
        )
        self.l2 = widgets.Dropdown(
            options=[(f"{r:g}", r) for r in l2_rates], value=cfg.l2, description="L2",
            style=style, layout=wide,
        )
        self.feature_boxes = {
            name: widgets.Checkbox(
                value=name in cfg.features, description=name, indent=False,
                layout=widgets.Layout(width="80px"),
            )
            for name in FEATURE_NAMES
        }
        self.show_test = widgets.Checkbox(value=True, description="show test data", indent=False)
        self.step_button = widgets.Button(description="step", icon="step-forward",
                                          tooltip="train one epoch")
        self.reset_button = widgets.Button(description="reset", icon="refresh",
                                           tooltip="new random weights, empty history")
        self.play = widgets.Play(value=0, min=0, max=100_000, step=1, interval=interval_ms,
                                 description="play", show_repeat=False)
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="880px"))

        for control in (self.dataset, self.noise):
            control.observe(self._on_data_control, names="value")
        for control in (self.hidden, self.activation, self.learning_rate, self.optimizer,
                        self.batch_size, self.l1, self.l2, *self.feature_boxes.values()):
            control.observe(self._on_model_control, names="value")
        self.show_test.observe(self._on_show_test, names="value")
        self.step_button.on_click(lambda _b: self.step())
        self.reset_button.on_click(lambda _b: self.reset())
        self.play.observe(self._on_tick, names="value")

        features_row = widgets.HBox(
            [widgets.Label("features", layout=widgets.Layout(width="95px")),
             *self.feature_boxes.values()]
        )
        column_a = widgets.VBox([self.dataset, self.noise, self.hidden, self.activation])
        column_b = widgets.VBox([self.learning_rate, self.optimizer, self.batch_size])
        column_c = widgets.VBox([self.l1, self.l2, self.show_test])
        buttons = widgets.HBox([self.play, self.step_button, self.reset_button, self.status])
        self.widget = widgets.VBox(
            [widgets.HBox([column_a, column_b, column_c]), features_row, buttons, self.image]
        )
        self.redraw()

    # -- state -------------------------------------------------------------------
    @property
    def features_value(self) -> tuple[str, ...]:
        """The ticked features."""
        return tuple(name for name, box in self.feature_boxes.items() if box.value)

    @features_value.setter
    def features_value(self, names: Sequence[str]) -> None:
        self._hold = True  # one rebuild for the whole change, not one per box
        try:
            for name, box in self.feature_boxes.items():
                box.value = name in names
        finally:
            self._hold = False
        self._on_model_control()

    def _config_from_controls(self) -> PlaygroundConfig:
        return self.playground.config.replace(
            hidden=_parse_hidden(self.hidden.value),
            activation=self.activation.value,
            learning_rate=self.learning_rate.value,
            optimizer=self.optimizer.value,
            batch_size=self.batch_size.value,
            l1=self.l1.value,
            l2=self.l2.value,
            features=self.features_value,
        )

    def _on_model_control(self, _change: Any = None) -> None:
        if getattr(self, "_hold", False):
            return
        try:
            new = self._config_from_controls()
        except CourseError as error:
            self._show_error(error)
            return
        self.stop()
        if new != self.playground.config:
            self.playground.config = new
            self.playground.reset()
        self.redraw()

    def _on_data_control(self, _change: Any = None) -> None:
        self.stop()
        data = self.playground.data
        try:
            new = load_playground_data(
                self.dataset.value, n=len(data.x_train) + len(data.x_test),
                noise=self.noise.value, seed=data.seed,
            )
        except CourseError as error:
            self._show_error(error)
            return
        self.playground.set_data(new)
        self.redraw()

    def _on_show_test(self, _change: Any = None) -> None:
        self.view.show_test = bool(self.show_test.value)
        self.redraw()

    def _on_tick(self, change: Any) -> None:
        if change["new"] > 0:  # value 0 is the rewind done by reset/stop
            self.step()

    def _show_error(self, error: CourseError) -> None:
        import html

        text = html.escape(error.message) + (
            f"<br><b>Fix:</b> {html.escape(error.hint)}" if error.hint else ""
        )
        self.status.value = f"<span style='color:#b3261e'>{text}</span>"

    # -- actions -----------------------------------------------------------------
    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs and redraw."""
        self.playground.step(epochs)
        self.redraw()

    def stop(self) -> None:
        """Pause "play"."""
        self.play.playing = False

    def reset(self) -> None:
        """Stop playing, draw fresh weights, clear the loss history, redraw."""
        self.stop()
        self.play.value = 0
        self.playground.reset()
        self.redraw()

    def redraw(self) -> None:
        """Update the picture in place from the playground's current state."""
        self.view.update()
        self.image.value = self.view.to_png()
        latest = self.playground.latest()
        self.status.value = (
            f"epoch <b>{latest['epoch']}</b> · train loss <b>{latest['train_loss']:.3f}</b> · "
            f"test loss <b>{latest['test_loss']:.3f}</b> · "
            f"test accuracy <b>{latest['test_accuracy']:.0%}</b>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def show_playground(
    dataset: str = "circles",
    noise: float = 0.1,
    n: int = 400,
    epochs: int | None = None,
    seed: int = 0,
    **config: Any,
) -> PlaygroundApp | Figure:
    """The playground: the interactive app, or a static figure when views are static.

    Args:
        dataset: one of ``circles, xor, gaussians, spiral, moons``.
        noise: dataset noise (0 = clean).
        n: number of points (half for training, half for testing).
        epochs: epochs to train before showing; default 0 for the app, and
            ``scaled(full=100, fast=20)`` for the static figure so it shows a
            trained network.
        seed: seed for data, weights and batches.
        **config: :class:`~course_lib.playground.PlaygroundConfig` settings,
            e.g. ``hidden=(4, 2), activation="relu", features=("x1", "x2")``.

    Returns:
        A :class:`PlaygroundApp` when ``course_lib.config.view_mode()`` is
        ``"interactive"``, otherwise a matplotlib Figure.

    Raises:
        ConfigError: unknown dataset or setting, or a bad value.

    Example:
        >>> show_playground("spiral", hidden=(8, 8), activation="relu")  # doctest: +SKIP
    """
    from course_lib.config import scaled, view_mode

    pg = Playground(PlaygroundConfig(seed=seed, **config), dataset=dataset, noise=noise, n=n,
                    seed=seed)
    static = view_mode() == "static"
    count = (scaled(full=100, fast=20) if static else 0) if epochs is None else epochs
    if count:
        pg.step(count)
    return plot_playground(pg) if static else PlaygroundApp(pg)


# ------------------------------------------------------------ perceptron views
def _check_run(run: object) -> PerceptronRun:
    if not isinstance(run, PerceptronRun):
        raise ViewError(
            f"Expected a PerceptronRun. Received: {type(run).__name__}.",
            hint="train one with perceptron_on_gate('and') or train_perceptron(x, y).",
        )
    return run


def _check_step(run: PerceptronRun, step: int) -> int:
    last = len(run.weights) - 1
    if not isinstance(step, int | np.integer) or not -last - 1 <= step <= last:
        raise ViewError(
            f"Expected step between 0 and {last} (or negative from the end). "
            f"Received: step={step!r}.",
            hint=f"use step=-1 for the final weights, step=0 for the start, up to {last}.",
        )
    return int(step) % (last + 1)


def plot_perceptron_run(run: PerceptronRun, step: int = -1, axes: Any = None) -> list[Axes]:
    """The perceptron's line and its mistakes per epoch.

    Left: the four truth-table points, the region the neuron calls 1 (blue)
    or 0 (orange) and its line ``w1 x1 + w2 x2 + b = 0`` after ``step``
    updates (earlier lines faint). Right: mistakes per epoch.

    Args:
        run: from :func:`~course_lib.playground.perceptron_on_gate` or
            :func:`~course_lib.playground.train_perceptron`.
        step: which update to show (``-1`` = the end).
        axes: two Axes to draw into; None makes a new figure.

    Returns:
        ``[plane_ax, errors_ax]``.

    Raises:
        ViewError: not a run, a bad step, or not two Axes.

    Example:
        >>> axes = plot_perceptron_run(perceptron_on_gate("xor"))  # doctest: +SKIP
    """
    run = _check_run(run)
    index = _check_step(run, step)
    if axes is None:
        axes = _perceptron_axes(_new_figure((8.4, 3.6), pyplot="open"))
    axes = list(np.ravel(axes))
    if len(axes) != 2:
        raise ViewError(
            f"Expected two Axes (plane, errors). Received: {len(axes)}.",
            hint="pass axes=fig.subplots(1, 2) or leave axes=None.",
        )
    plane, errors_ax = axes
    _draw_perceptron_plane(plane, run, index)
    last = len(run.weights) - 1
    # shade the epoch the shown update belongs to (not needed for the final weights)
    epoch = min((index - 1) // len(run.x), len(run.errors) - 1) if 0 < index < last else -1
    from matplotlib.ticker import MaxNLocator

    epochs = np.arange(1, len(run.errors) + 1)
    errors_ax.bar(epochs, run.errors, color="#c0504d", width=0.75, label="mistakes")
    clean = run.errors == 0
    errors_ax.scatter(epochs[clean], np.zeros(clean.sum()) + 0.08, marker="o", s=30,
                      color="#3c8d3c", zorder=3, label="no mistakes", clip_on=False)
    if epoch >= 0:
        errors_ax.axvspan(epoch + 0.5, epoch + 1.5, color="0.85", zorder=0)
    errors_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    errors_ax.set_xlabel("epoch")
    errors_ax.set_ylabel("mistakes in epoch")
    errors_ax.set_ylim(0, len(run.x) + 0.5)
    errors_ax.set_yticks(range(len(run.x) + 1))
    verdict = (
        f"learned in {run.epochs_to_converge} epoch(s)" if run.converged
        else "never error-free: no line separates the classes"
    )
    errors_ax.set_title(verdict, fontsize=10)
    for side in ("top", "right"):
        errors_ax.spines[side].set_visible(False)
    return axes


def _perceptron_axes(fig: Figure) -> list[Axes]:
    axes = fig.subplots(1, 2, width_ratios=[1, 1.15])
    fig.subplots_adjust(left=0.08, right=0.97, bottom=0.16, top=0.86, wspace=0.3)
    return list(axes)


def _draw_perceptron_plane(ax: Axes, run: PerceptronRun, index: int) -> None:
    lo, hi = -0.5, 1.5
    xx, yy = np.meshgrid(np.linspace(lo, hi, 120), np.linspace(lo, hi, 120))
    w, b = run.weights[index], run.biases[index]
    region = (w[0] * xx + w[1] * yy + b > 0).astype(float)
    ax.imshow(region, extent=(lo, hi, lo, hi), origin="lower", cmap=_cmap(0.35), vmin=0, vmax=1)
    xs = np.array([lo, hi])
    for past in range(max(0, index - 12), index):
        _line(ax, run.weights[past], run.biases[past], xs, color="0.55", alpha=0.25, lw=1)
    _line(ax, w, b, xs, color="0.1", alpha=1.0, lw=2)
    ax.scatter(run.x[:, 0], run.x[:, 1], c=_point_colors(run.y), s=230, edgecolors="white",
               linewidths=1.5, zorder=3)
    wrong = run.predict(run.x, step=index) != run.y
    ax.scatter(run.x[wrong, 0], run.x[wrong, 1], s=480, facecolors="none", edgecolors="#c0504d",
               linewidths=2, zorder=4, label="misclassified")
    for (x1, x2), target in zip(run.x, run.y, strict=True):
        ax.annotate(str(int(target)), (x1, x2), color="white", ha="center", va="center",
                    fontsize=10, fontweight="bold", zorder=5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", rotation=0)
    ax.set_title(
        f"{run.gate.upper()}: w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}  (update {index})",
        fontsize=10,
    )
    if wrong.any():
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8, markerscale=0.5)


def _line(ax: Axes, w: np.ndarray, b: float, xs: np.ndarray, **style: Any) -> None:
    if abs(w[1]) > 1e-9:
        ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    elif abs(w[0]) > 1e-9:
        ax.axvline(-b / w[0], **style)


def plot_perceptron_gates(
    runs: Sequence[PerceptronRun] | None = None, epochs: int = 15, learning_rate: float = 0.1
) -> Figure:
    """AND, OR and XOR side by side: the final line (top) and mistakes per epoch (bottom).

    Args:
        runs: runs to draw; default trains one per gate in :data:`GATES`.
        epochs: epochs for the default runs.
        learning_rate: learning rate for the default runs.

    Returns:
        A Figure with one column per run.

    Example:
        >>> fig = plot_perceptron_gates()  # doctest: +SKIP
    """
    if runs is None:
        runs = [perceptron_on_gate(g, learning_rate, epochs) for g in GATES]
    runs = [_check_run(r) for r in runs]
    fig = _new_figure((4.0 * len(runs), 7.2), pyplot="returned")
    grid = fig.subplots(2, len(runs), squeeze=False)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=0.9, hspace=0.42, wspace=0.3)
    for col, run in enumerate(runs):
        plot_perceptron_run(run, axes=[grid[0, col], grid[1, col]])
        grid[0, col].set_title(run.gate.upper() + (" ✓" if run.converged else " ✗"), fontsize=12)
    fig.suptitle("A single perceptron learns AND and OR, but never XOR", fontsize=13)
    return fig


def plot_xor_solution(solution: XorSolution, ax: Axes | None = None) -> Axes:
    """The decision surface of a one-hidden-layer network on XOR.

    Args:
        solution: from :func:`~course_lib.playground.solve_xor_with_hidden_layer`.
        ax: Axes to draw into; None makes a new figure.

    Returns:
        The Axes.

    Example:
        >>> ax = plot_xor_solution(solve_xor_with_hidden_layer())  # doctest: +SKIP
    """
    if not isinstance(solution, XorSolution):
        raise ViewError(
            f"Expected an XorSolution. Received: {type(solution).__name__}.",
            hint="pass the result of solve_xor_with_hidden_layer().",
        )
    grid = decision_grid(solution.model, ("x1", "x2"), (-0.5, 1.5, -0.5, 1.5), resolution=100)
    ax = _new_ax(ax, size=(4.4, 4.2))
    ax.imshow(grid.probs, extent=_extent(grid), origin="lower", cmap=_cmap(0.6), vmin=0, vmax=1)
    ax.contour(grid.xx, grid.yy, grid.probs, levels=[0.5], colors="0.15", linewidths=1.5)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    ax.scatter(x[:, 0], x[:, 1], c=_point_colors(y), s=140, edgecolors="white", linewidths=1.5,
               zorder=3)
    for (x1, x2), p in zip(x, solution.probabilities, strict=True):
        ax.annotate(f"p={p:.2f}", (x1, x2), xytext=(0, -17), textcoords="offset points",
                    ha="center", fontsize=8)
    units = solution.model.layers[0].units
    ax.set_title(f"XOR with one hidden layer ({units} tanh units): "
                 f"{solution.accuracy:.0%} correct", fontsize=10)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", rotation=0)
    return ax


class PerceptronApp:
    """Widget: pick a gate and learning rate, scrub or play through the updates.

    Controls (ipywidgets, drive them from code/tests): ``gate`` (Dropdown),
    ``learning_rate`` (FloatSlider), ``epochs`` (IntSlider), ``update``
    (IntSlider over the weight history) and ``play`` (``ipywidgets.Play``
    linked to ``update``). The picture is an ``ipywidgets.Image`` updated in place.

    Example:
        >>> app = PerceptronApp(gate="xor")   # doctest: +SKIP
        >>> app.update.value = 8              # doctest: +SKIP
    """

    def __init__(self, gate: str = "and", learning_rate: float = 0.1, epochs: int = 10) -> None:
        import ipywidgets as widgets

        self.run = perceptron_on_gate(gate, learning_rate, epochs)
        self.gate = widgets.Dropdown(options=list(GATES), value=self.run.gate, description="gate")
        self.learning_rate = widgets.FloatSlider(
            value=learning_rate, min=0.01, max=1.0, step=0.01, description="learning rate",
            continuous_update=False, style={"description_width": "90px"},
        )
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=30, description="epochs",
                                        continuous_update=False)
        last = len(self.run.weights) - 1
        self.update = widgets.IntSlider(value=last, min=0, max=last, description="update")
        self.play = widgets.Play(value=last, min=0, max=last, interval=300, show_repeat=False)
        widgets.jslink((self.play, "value"), (self.update, "value"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="680px"))
        for control in (self.gate, self.learning_rate, self.epochs):
            control.observe(self._retrain, names="value")
        self.update.observe(self._redraw, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.gate, self.learning_rate, self.epochs]),
            widgets.HBox([self.play, self.update]),
            self.image,
        ])
        self._redraw()

    def _retrain(self, _change: Any = None) -> None:
        self.run = perceptron_on_gate(self.gate.value, self.learning_rate.value, self.epochs.value)
        last = len(self.run.weights) - 1
        self.play.max = self.update.max = last
        if self.update.value == last:
            self._redraw()
        else:
            self.update.value = last  # observer redraws

    def _redraw(self, _change: Any = None) -> None:
        index = min(self.update.value, len(self.run.weights) - 1)
        fig = _new_figure((8.4, 3.6))
        plot_perceptron_run(self.run, step=index, axes=_perceptron_axes(fig))
        self.image.value = figure_png(fig)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def show_perceptron(
    gate: str = "and", learning_rate: float = 0.1, epochs: int = 10
) -> PerceptronApp | Figure:
    """The perceptron lesson: the app, or a static figure when views are static.

    Returns:
        A :class:`PerceptronApp` when ``view_mode()`` is ``"interactive"``,
        else the Figure of :func:`plot_perceptron_run` for the final weights.

    Example:
        >>> show_perceptron("xor", epochs=20)  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    if view_mode() == "static":
        fig = _new_figure((8.4, 3.6), pyplot="returned")
        plot_perceptron_run(perceptron_on_gate(gate, learning_rate, epochs),
                            axes=_perceptron_axes(fig))
        return fig
    return PerceptronApp(gate, learning_rate, epochs)
