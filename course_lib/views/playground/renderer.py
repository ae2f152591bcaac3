"""The whole playground picture, redrawn in place by blitting (the app's image).

Left: the network as columns of neuron maps; right: the decision surface and
the train/test losses. :class:`PlaygroundFigure` keeps its artists and only
sets new data; :func:`plot_playground` is its static, shown-once figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.playground.features import FEATURE_LABELS
from course_lib.playground.grid import decision_grid, feature_maps, neuron_activation_maps
from course_lib.playground.model import Playground
from course_lib.views.display import canvas_png, new_figure, present
from course_lib.views.playground.style import (
    CLASS_COLORS,
    TEST_LOSS_COLOR,
    TRAIN_LOSS_COLOR,
    _cmap,
    _nice_ceiling,
    _style_loss_ax,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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
        pyplot: ignored (kept for old callers): the figure is never a pyplot
            figure; :func:`plot_playground` shows it once.

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
        self.fig: Figure = new_figure(self.SIZE, dpi=80)
        self._layout_key: tuple | None = None
        self._data_key: int | None = None
        self.update()

    # The figure is built in two parts. The base (surface and loss axes, title)
    # depends only on the data bounds; the network (neuron maps, their labels,
    # the links) on the features and hidden layers, and is rebuilt alone when
    # those change, inside one invisible Axes spanning the figure (data
    # coordinates = figure coordinates).
    def _build(self) -> None:
        """The base: everything but the network."""
        pg = self.playground
        self.fig.clear()
        fig = self.fig
        bounds = pg.data.bounds
        width, height = self.SIZE
        net = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        net.set_axis_off()
        net.set_autoscale_on(False)
        net.set_xlim(0.0, 1.0)
        net.set_ylim(0.0, 1.0)
        self._net_ax = net
        self._cells: list[list[Any]] = []
        self._cell_pos: list[list[tuple[float, float]]] = []
        self._net_static: list[Any] = []  # labels and titles: part of the background
        self._net_dynamic: list[Any] = []  # images, frames, links: drawn every frame
        self._background: Any = None
        self._backgrounds: dict[tuple, Any] = {}  # base + network, by loss-axis limits
        self._base_backgrounds: dict[tuple, Any] = {}  # base only, by loss-axis limits
        self._limits: tuple = ()

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
        self._base_key = bounds
        self._layout_key = None
        self._data_key = None

    def _build_network(self) -> None:
        """The network's neuron maps, labels and links for the current architecture."""
        from matplotlib.collections import LineCollection, PatchCollection
        from matplotlib.patches import Rectangle

        pg = self.playground
        net = self._net_ax
        for artist in [*self._net_static, *self._net_dynamic]:
            artist.remove()
        widths = [len(pg.config.features)] + list(pg.config.hidden)
        n_cols = len(widths)
        rows = min(max(widths), self.max_rows)
        left, right, bottom, top = 0.04, 0.50, 0.06, 0.88
        width, height = self.SIZE
        cell = min((top - bottom) / rows * 0.78 * height / width, (right - left) / n_cols * 0.55)
        cell_h = cell * width / height
        col_x = np.linspace(left + 0.04, right - cell, n_cols) if n_cols > 1 else [left + 0.04]
        self._cells, self._cell_pos, static, frames = [], [], [], []
        cmap = _cmap(1.0)
        empty = np.zeros((self.neuron_resolution, self.neuron_resolution))
        for col, count in enumerate(widths):
            shown = min(count, self.max_rows)
            span = shown * cell_h + (shown - 1) * cell_h * 0.28
            y0 = (top + bottom) / 2 + span / 2 - cell_h
            images, centers = [], []
            for row in range(shown):
                y = y0 - row * cell_h * 1.28
                x = col_x[col]
                images.append(net.imshow(empty, origin="lower", cmap=cmap, vmin=-1, vmax=1,
                                         extent=(x, x + cell, y, y + cell_h), aspect="auto"))
                frames.append(Rectangle((x, y), cell, cell_h))
                centers.append((x, y + cell_h / 2))
                if col == 0:
                    name = pg.config.features[row]
                    static.append(net.text(x - 0.006, y + cell_h / 2,
                                           FEATURE_LABELS.get(name, name), ha="right",
                                           va="center", fontsize=10))
            unit = "feature" if col == 0 else "neuron"
            if n_cols <= 5:
                title = ("inputs" if col == 0 else f"hidden {col}") + f"\n{count} {unit}" + (
                    "s" if count != 1 else ""
                )
            else:  # narrow columns: short titles
                title = ("in" if col == 0 else f"h{col}") + f"\n{count}"
            static.append(net.text(col_x[col] + cell / 2, top + 0.015, title, ha="center",
                                   va="bottom", fontsize=9, color="0.25"))
            if count > shown:
                static.append(net.text(col_x[col] + cell / 2, y - 0.01, f"+{count - shown} more",
                                       ha="center", va="top", fontsize=8, color="0.4"))
            self._cells.append(images)
            self._cell_pos.append(centers)
        self._cell_size = (cell, cell_h)
        self._frames = PatchCollection(frames, facecolors="none", edgecolors="0.7",
                                       linewidths=0.8, zorder=3)
        net.add_collection(self._frames, autolim=False)

        # connections: from each neuron's right edge to the next column's left edges
        segments = []
        for col in range(n_cols - 1):
            for (xa, ya) in self._cell_pos[col]:
                for (xb, yb) in self._cell_pos[col + 1]:
                    segments.append([(xa + cell, ya), (xb, yb)])
        surf_box = self._surface_ax.get_position()
        for (xa, ya) in self._cell_pos[-1]:
            target = (surf_box.x0 - 0.035, (surf_box.y0 + surf_box.y1) / 2)
            segments.append([(xa + cell, ya), target])
        self._links = LineCollection(segments, zorder=-1, capstyle="round")
        net.add_collection(self._links, autolim=False)
        self._net_static = static
        self._net_dynamic = [*(image for col in self._cells for image in col), self._frames,
                             self._links]
        self._backgrounds = {}
        self._background = None
        self._layout_key = (pg.config.features, pg.config.hidden, pg.data.bounds)

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
        if getattr(self, "_base_key", None) != pg.data.bounds:
            self._build()
        if (pg.config.features, pg.config.hidden, pg.data.bounds) != self._layout_key:
            self._build_network()
        bounds = pg.data.bounds
        if self._data_key != id(pg.data):  # points are drawn each frame: no new background
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
            # the background holds the loss axes' ticks: reuse one drawn for these limits
            self._background = self._backgrounds.get(limits)
        self._limits = limits
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
        artists = [self._links, *(image for col in self._cells for image in col), self._frames]
        artists.append(self._surface)
        if self._boundary is not None:
            artists.append(self._boundary)
        artists += [*self._train_pts, *self._test_pts, *self._surface_ax.spines.values()]
        artists += [self._train_line, self._test_line, self._title]  # the title names the data
        return [*artists, self._caption] if self.captions else artists

    def render(self) -> None:
        """Draw the current state onto the figure's Agg canvas, blitting.

        The first call draws the axes alone (ticks, labels: most of the drawing
        time), adds the network's labels and keeps that background; later calls
        restore it and draw only the changing artists on top. Axes-only
        backgrounds are kept per loss-axis range and survive architecture
        changes, so a control change (activation, data, layer sizes) whose
        losses fall in a range drawn before needs no full draw.
        """
        canvas = self.fig.canvas
        dynamic = self._dynamic_artists()
        if self._background is None:
            base = self._base_backgrounds.get(self._limits)
            if base is None:  # draw the axes alone: hide everything else for one draw
                hidden = [(a, a.get_visible()) for a in [*dynamic, *self._net_static,
                                                         self._caption]]
                for artist, _ in hidden:
                    artist.set_visible(False)
                canvas.draw()
                base = self._base_backgrounds[self._limits] = canvas.copy_from_bbox(
                    self.fig.bbox)
                for artist, visible in hidden:  # savefig must show everything
                    artist.set_visible(visible)
            else:
                canvas.restore_region(base)
            renderer = canvas.get_renderer()
            for artist in self._net_static:
                artist.draw(renderer)
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._backgrounds[self._limits] = self._background
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in dynamic:
            artist.draw(renderer)

    def to_png(self) -> bytes:
        """The current picture as PNG bytes (see :meth:`render`)."""
        self.render()
        return canvas_png(self.fig)


def plot_playground(playground: Playground, show_test: bool = True) -> Figure:
    """The static playground picture: neuron maps, decision surface, losses.

    Args:
        playground: the :class:`~course_lib.playground.Playground` to draw.
        show_test: also draw the test points.

    Returns:
        A matplotlib Figure (not registered with pyplot), shown once.

    Raises:
        ViewError: not a Playground.

    Example:
        >>> pg = Playground(dataset="circles"); pg.step(20)  # doctest: +SKIP
        >>> fig = plot_playground(pg)                        # doctest: +SKIP
    """
    return present(PlaygroundFigure(playground, show_test=show_test).fig)

