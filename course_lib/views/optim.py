"""Pictures of gradient descent: contour plots, animations and an explorer widget.

Drawing only: every number comes from :mod:`course_lib.optim` (paths computed by
the real ``keras.optimizers``). Each ``plot_*`` function draws into caller
Axes when given (``ax=`` / ``axes=``) and makes its own figure otherwise.

Each optimizer keeps one colour in every picture (:data:`OPTIMIZER_COLORS`);
start points are white circles, end points filled squares, minima gold stars
and saddle points black crosses.

Example:
    >>> from course_lib.optim import compare_optimizers
    >>> from course_lib.views.optim import plot_paths, animation_html
    >>> paths = compare_optimizers("rosenbrock", ["sgd", "momentum", "adam"], steps=150)
    >>> ax = plot_paths(paths)  # doctest: +SKIP
    >>> html = animation_html(paths)  # doctest: +SKIP
"""

from __future__ import annotations

import html as html_lib
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.config import view_mode
from course_lib.errors import ViewError
from course_lib.optim.one_d import Path1D
from course_lib.optim.paths import OPTIMIZERS, OptimizerPath, optimizer_names, optimizer_path
from course_lib.optim.regression_gd import RegressionPath, RegressionProblem, normal_equation
from course_lib.optim.surfaces import Surface, get_surface, surface_names

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

OPTIMIZER_COLORS: dict[str, str] = {name: f"C{i}" for i, name in enumerate(OPTIMIZERS)}
MINIMUM_STYLE = {"marker": "*", "s": 260, "color": "gold", "edgecolor": "black", "zorder": 6}
SADDLE_STYLE = {"marker": "X", "s": 110, "color": "black", "edgecolor": "white", "zorder": 6}
START_STYLE = {"marker": "o", "s": 70, "facecolor": "white", "edgecolor": "black", "zorder": 7}
PANEL_SIZE = (4.6, 3.8)
#: smallest loss gap drawn on log axes (exactly 0 cannot be drawn on a log scale)
GAP_FLOOR = 1e-12


def _new_figure(
    ncols: int = 1,
    nrows: int = 1,
    size: tuple[float, float] = PANEL_SIZE,
    pyplot: str = "returned",
) -> Figure:
    """A new constrained-layout Figure; ``pyplot`` says how it meets Jupyter.

    ``"returned"``: made with pyplot (so Jupyter knows how to show figures) and
    closed at once, so it shows exactly once as the cell's value (functions that
    return the Figure). ``"open"``: a pyplot figure left open, shown at the end of
    the cell (functions that return an Axes). ``""``: no pyplot at all (widget and
    animation figures, which never show by themselves).
    """
    figsize = (size[0] * ncols, size[1] * nrows)
    if pyplot:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=figsize, layout="constrained")
        if pyplot == "returned":
            plt.close(fig)
        return fig
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = PANEL_SIZE) -> Axes:
    if ax is not None:
        if not hasattr(ax, "plot"):
            raise ViewError(
                f"Expected a matplotlib Axes for ax. Received: ax={type(ax).__name__}",
                hint="Pass ax=fig.add_subplot(), or leave ax=None for a new figure.",
            )
        return ax
    return _new_figure(size=figsize, pyplot="open").add_subplot()


def _as_path_list(paths: Any) -> list[OptimizerPath]:
    if isinstance(paths, OptimizerPath):
        items = [paths]
    elif isinstance(paths, Mapping):
        items = list(paths.values())
    elif isinstance(paths, Sequence) and not isinstance(paths, str):
        items = list(paths)
    else:
        items = [paths]
    if not items or not all(isinstance(p, OptimizerPath) for p in items):
        raise ViewError(
            "Expected one OptimizerPath, or a list/dict of them. "
            f"Received: paths={type(paths).__name__} {paths!r:.80}",
            hint="Compute them first: paths = compare_optimizers('rosenbrock', ['sgd', 'adam']).",
        )
    names = {p.surface.name for p in items}
    if len(names) > 1:
        raise ViewError(
            f"Expected every path on the same surface. Received surfaces: {sorted(names)}",
            hint="Draw paths of different surfaces in separate plots.",
        )
    return items


def _color(path: OptimizerPath, index: int) -> str:
    return OPTIMIZER_COLORS.get(path.optimizer, f"C{index % 10}")


def _levels(surface: Surface, z: np.ndarray, count: int = 30) -> np.ndarray:
    low = surface.min_value
    high = float(np.nanpercentile(z, 98))
    if surface.log_levels:
        gaps = np.geomspace(1e-2, max(high - low, 1.0), count)
        return low + gaps
    return np.linspace(low, high, count)


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
    ax = _new_axes(ax)
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
    return ax


def _draw_path(ax: Axes, path: OptimizerPath, color: str, upto: int | None = None) -> Any:
    pts = path.points if upto is None else path.points[: upto + 1]
    style = "--" if path.diverged else "-"
    (line,) = ax.plot(
        pts[:, 0],
        pts[:, 1],
        style,
        marker=".",
        markersize=3,
        lw=1.6,
        color=color,
        label=path.label,
        zorder=5,
    )
    return line


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
    ax = _new_axes(ax, (6.4, 5.0))
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
    return ax


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
    ax = _new_axes(ax)
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
    return ax


def plot_optimizer_comparison(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
) -> Figure:
    """Paths over the contours (left) and loss vs step (right) in one figure.

    Example:
        >>> fig = plot_optimizer_comparison(compare_optimizers("saddle"))  # doctest: +SKIP
    """
    items = _as_path_list(paths)
    fig = _new_figure(1, size=(11.5, 4.8))
    left, right = fig.subplots(1, 2)
    plot_paths(items, ax=left, legend=False)
    plot_loss_curves(items, ax=right, legend=False)
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right upper", fontsize="small")
    return fig


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
    fig = _new_figure(ncols, nrows, size=(3.8, 3.4))
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
    return fig


# ----------------------------------------------------------------- animation


def _frame_steps(n_steps: int, max_frames: int) -> np.ndarray:
    if n_steps + 1 <= max_frames:
        return np.arange(n_steps + 1)
    return np.unique(np.linspace(0, n_steps, max_frames).round().astype(int))


def animate_paths(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    max_frames: int = 60,
    interval: int = 100,
    figsize: tuple[float, float] = (10.0, 4.2),
    dpi: int = 72,
) -> FuncAnimation:
    """An animation of the paths growing step by step, with the loss curves beside.

    Args:
        paths: path(s) as for :func:`plot_paths`.
        max_frames: at most this many frames (steps are sub-sampled evenly).
        interval: milliseconds per frame.
        figsize: figure size in inches.
        dpi: resolution of each frame.

    Returns:
        A ``matplotlib.animation.FuncAnimation`` (``.to_jshtml()`` gives a player with
        play/pause and a step slider).

    Raises:
        ViewError: bad ``paths`` or ``max_frames < 2``.

    Example:
        >>> anim = animate_paths(compare_optimizers("bowl", ["sgd", "momentum"]))  # doctest: +SKIP
    """
    from matplotlib.animation import FuncAnimation

    items = _as_path_list(paths)
    if isinstance(max_frames, bool) or not isinstance(max_frames, int) or max_frames < 2:
        raise ViewError(
            f"Expected max_frames to be an integer >= 2. Received: max_frames={max_frames!r}",
            hint="Use e.g. max_frames=60.",
        )
    longest = max(p.steps_taken for p in items)
    frames = _frame_steps(longest, max_frames)
    fig = _new_figure(1, size=figsize, pyplot="")
    fig.set_dpi(dpi)
    ax_path, ax_loss = fig.subplots(1, 2)
    plot_surface(items[0].surface, ax=ax_path)
    ax_path.scatter(*items[0].start, label="start", **START_STYLE)
    path_lines, heads, loss_lines = [], [], []
    for i, path in enumerate(items):
        color = _color(path, i)
        path_lines.append(_draw_path(ax_path, path, color, upto=0))
        heads.append(
            ax_path.scatter(*path.start, marker="s", s=40, color=color, edgecolor="black", zorder=8)
        )
        gap = np.maximum(path.gap(), GAP_FLOOR)
        (line,) = ax_loss.plot(
            [0], gap[:1], "--" if path.diverged else "-", color=color, lw=1.6, label=path.label
        )
        loss_lines.append(line)
    all_gaps = np.concatenate([np.maximum(p.gap(), GAP_FLOOR) for p in items])
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, max(longest, 1))
    ax_loss.set_ylim(all_gaps.min() / 2, all_gaps.max() * 2)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss − minimum loss (log)")
    ax_loss.grid(True, alpha=0.3)
    ax_loss.legend(fontsize="small", loc="lower left")
    title = ax_loss.set_title("step 0")

    def draw(step: int) -> list[Any]:
        for path, line, head, loss_line in zip(items, path_lines, heads, loss_lines, strict=True):
            k = min(int(step), path.steps_taken)
            line.set_data(path.points[: k + 1, 0], path.points[: k + 1, 1])
            head.set_offsets(path.points[k : k + 1])
            gap = np.maximum(path.gap()[: k + 1], GAP_FLOOR)
            loss_line.set_data(np.arange(k + 1), gap)
        title.set_text(f"step {int(step)} of {longest}")
        return [*path_lines, *heads, *loss_lines, title]

    return FuncAnimation(fig, draw, frames=frames, interval=interval, blit=False)


_PLAYER_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<style>
 body { font-family: sans-serif; margin: 1em; }
 .stage { position: relative; width: __W__px; height: __H__px; }
 .stage img, .stage svg { position: absolute; left: 0; top: 0; }
 .controls { margin: .5em 0; display: flex; gap: .8em; align-items: center; }
 .controls input[type=range] { width: 420px; }
</style></head><body>
<h2>__TITLE__</h2>
<div class="controls">
 <button id="play" type="button">&#9654; Play</button>
 <input id="step" type="range" min="0" max="__STEPS__" value="0" aria-label="step">
 <span id="label">step 0 of __STEPS__</span>
</div>
<div class="stage">
 <img src="data:image/png;base64,__PNG__" width="__W__" height="__H__" alt="loss surface">
 <svg id="paths" width="__W__" height="__H__" xmlns="http://www.w3.org/2000/svg"></svg>
</div>
<ul>__LEGEND__</ul>
<script type="application/json" id="path-data">__DATA__</script>
<script>
(function () {
  const data = JSON.parse(document.getElementById("path-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("paths");
  const slider = document.getElementById("step");
  const label = document.getElementById("label");
  const button = document.getElementById("play");
  const defs = document.createElementNS(NS, "defs");
  svg.appendChild(defs);
  data.clips.forEach(function (box, i) {
    const clip = document.createElementNS(NS, "clipPath");
    clip.setAttribute("id", "clip" + i);
    const rect = document.createElementNS(NS, "rect");
    ["x", "y", "width", "height"].forEach(function (k, j) { rect.setAttribute(k, box[j]); });
    clip.appendChild(rect);
    defs.appendChild(clip);
  });
  function make(tag, attrs, clip) {
    const el = document.createElementNS(NS, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    el.setAttribute("clip-path", "url(#clip" + clip + ")");
    svg.appendChild(el);
    return el;
  }
  const drawn = data.paths.map(function (p) {
    const dash = p.diverged ? "6,4" : "none";
    return {
      p: p,
      line: make("polyline", {fill: "none", stroke: p.color, "stroke-width": 2,
                              "stroke-dasharray": dash}, 0),
      head: make("rect", {width: 9, height: 9, fill: p.color, stroke: "black"}, 0),
      loss: make("polyline", {fill: "none", stroke: p.color, "stroke-width": 2,
                              "stroke-dasharray": dash}, 1)
    };
  });
  function show(step) {
    drawn.forEach(function (d) {
      const k = Math.min(step, d.p.xy.length - 1);
      d.line.setAttribute("points", d.p.xy.slice(0, k + 1).join(" "));
      d.loss.setAttribute("points", d.p.loss.slice(0, k + 1).join(" "));
      d.head.setAttribute("x", d.p.xy[k][0] - 4.5);
      d.head.setAttribute("y", d.p.xy[k][1] - 4.5);
    });
    slider.value = step;
    label.textContent = "step " + step + " of " + data.steps;
  }
  let timer = null;
  function stop() { clearInterval(timer); timer = null; button.innerHTML = "&#9654; Play"; }
  button.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (+slider.value >= data.steps) { show(0); }
    button.innerHTML = "&#10074;&#10074; Pause";
    timer = setInterval(function () {
      const next = +slider.value + data.stride;
      show(Math.min(next, data.steps));
      if (next >= data.steps) { stop(); }
    }, data.interval);
  });
  slider.addEventListener("input", function () { stop(); show(+slider.value); });
  show(__INITIAL__);
})();
</script>
</body></html>
"""


def _svg_points(ax: Axes, xy: np.ndarray, height: float) -> list[list[float]]:
    display = ax.transData.transform(xy)
    # far-away points of a diverged path would make SVG coordinates overflow
    display = np.clip(np.nan_to_num(display, nan=0.0), -1e5, 1e5)
    return [[round(float(x), 1), round(float(height - y), 1)] for x, y in display]


def animation_html(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    interval: int = 60,
    title: str | None = None,
    dpi: int = 80,
    start_at_end: bool = False,
) -> str:
    """A complete, self-contained HTML page that animates the paths step by step.

    The contour plot and loss axes are drawn once by matplotlib and embedded as a
    PNG; the paths are SVG lines that a few lines of JavaScript grow step by step.
    So the page is small (tens of kB) and works offline, in a saved notebook export
    (``IPython.display.HTML``) or as a file. It has a play/pause button and a step slider.

    Args:
        paths: path(s) as for :func:`plot_paths`.
        interval: milliseconds between animation frames.
        title: page heading; defaults to the surface title.
        dpi: resolution of the embedded background picture.
        start_at_end: show the finished paths when the page opens (static exports).

    Returns:
        The HTML document as a string.

    Raises:
        ViewError: bad ``paths`` or ``interval``.

    Example:
        >>> page = animation_html(compare_optimizers("bowl", ["sgd", "adam"]))  # doctest: +SKIP
        >>> Path("bowl.html").write_text(page)  # doctest: +SKIP
    """
    import base64
    import json

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex

    items = _as_path_list(paths)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise ViewError(
            f"Expected interval to be a positive number of milliseconds. "
            f"Received: interval={interval!r}",
            hint="Use e.g. interval=60.",
        )
    longest = max(p.steps_taken for p in items)
    fig = _new_figure(1, size=(10.5, 4.4), pyplot="")
    fig.set_dpi(dpi)
    ax_path, ax_loss = fig.subplots(1, 2)
    plot_surface(items[0].surface, ax=ax_path)
    ax_path.scatter(*items[0].start, label="start", **START_STYLE)
    ax_path.legend(loc="best", fontsize="small", framealpha=0.9)
    for i, path in enumerate(items):
        ax_loss.plot(
            [], [], color=_color(path, i), lw=2, ls="--" if path.diverged else "-", label=path.label
        )
    ax_loss.legend(loc="upper right", fontsize="small", framealpha=0.9)
    gaps = [np.maximum(p.gap(), GAP_FLOOR) for p in items]
    every = np.concatenate(gaps)
    ax_loss.set_yscale("log")
    ax_loss.set_xlim(0, max(longest, 1))
    ax_loss.set_ylim(every.min() / 2, every.max() * 2)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss − minimum loss (log)")
    ax_loss.set_title("Loss while training")
    ax_loss.grid(True, alpha=0.3)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    fig.set_layout_engine("none")  # freeze the layout so pixels match the saved PNG
    width, height = fig.bbox.width, fig.bbox.height
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    clips = [
        [round(b.x0, 1), round(height - b.y1, 1), round(b.width, 1), round(b.height, 1)]
        for b in (ax_path.bbox, ax_loss.bbox)
    ]
    data = {
        "steps": longest,
        "interval": interval,
        "stride": max(1, longest // 150),
        "clips": clips,
        "paths": [
            {
                "label": p.label,
                "color": to_hex(_color(p, i)),
                "diverged": p.diverged,
                "xy": _svg_points(ax_path, p.points, height),
                "loss": _svg_points(ax_loss, np.column_stack([np.arange(len(g)), g]), height),
            }
            for i, (p, g) in enumerate(zip(items, gaps, strict=True))
        ],
    }
    heading = html_lib.escape(title or f"{items[0].surface.title}: optimizer paths")
    legend = "".join(
        f"<li>{html_lib.escape(p.label)}: {p.steps_taken} steps, final loss {p.final_loss:.4g}"
        f" (keras.optimizers.{p.keras_class})</li>"
        for p in items
    )
    replacements = {
        "__TITLE__": heading,
        "__W__": str(round(width)),
        "__H__": str(round(height)),
        "__STEPS__": str(longest),
        "__PNG__": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "__LEGEND__": legend,
        "__DATA__": json.dumps(data).replace("</", "<\\/"),
        "__INITIAL__": str(longest if start_at_end else 0),
    }
    page = _PLAYER_TEMPLATE
    for key, value in replacements.items():
        page = page.replace(key, value)
    return page


def save_animation_html(
    paths: OptimizerPath | Sequence[OptimizerPath] | Mapping[str, OptimizerPath],
    filename: str | Path,
    **kwargs: Any,
) -> Path:
    """Write :func:`animation_html` to ``filename`` and return its path.

    Example:
        >>> save_animation_html(paths, "paths.html")  # doctest: +SKIP
    """
    target = Path(filename)
    target.write_text(animation_html(paths, **kwargs), encoding="utf-8")
    return target


# -------------------------------------------------------------------- widget

#: Keras argument the "momentum" control sets, per optimizer (None: no such knob)
MOMENTUM_ARGUMENT: dict[str, str | None] = {
    "sgd": None,
    "momentum": "momentum",
    "nesterov": "momentum",
    "adagrad": None,
    "adadelta": None,
    "rmsprop": "momentum",
    "adam": "beta_1",
    "adamw": "beta_1",
}
_MOMENTUM_DEFAULT = {"momentum": 0.9, "nesterov": 0.9, "rmsprop": 0.0, "adam": 0.9, "adamw": 0.9}


def _explorer_figure(path: OptimizerPath) -> tuple[Figure, dict[str, Any]]:
    fig = _new_figure(1, size=(10.5, 4.7), pyplot="")
    ax_path, ax_loss = fig.subplots(1, 2)
    plot_surface(path.surface, ax=ax_path)
    artists: dict[str, Any] = {"ax_path": ax_path, "ax_loss": ax_loss}
    color = _color(path, 0)
    artists["path"] = _draw_path(ax_path, path, color)
    artists["start"] = ax_path.scatter(*path.start, label="start", **START_STYLE)
    artists["end"] = ax_path.scatter(
        *path.final_point, marker="s", s=45, color=color, edgecolor="black", zorder=8, label="end"
    )
    artists["figure"] = fig
    (artists["loss"],) = ax_loss.plot([], [], color=color, lw=1.6)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss − minimum loss (log)")
    ax_loss.grid(True, alpha=0.3)
    _update_explorer_artists(artists, path)
    return fig, artists


def _update_explorer_artists(artists: dict[str, Any], path: OptimizerPath) -> None:
    color = _color(path, 0)
    line = artists["path"]
    line.set_data(path.points[:, 0], path.points[:, 1])
    line.set_color(color)
    line.set_linestyle("--" if path.diverged else "-")
    line.set_label(path.label)
    artists["start"].set_offsets([path.start])
    artists["end"].set_offsets([path.final_point])
    artists["end"].set_color(color)
    artists["end"].set_edgecolor("black")
    gap = np.maximum(path.gap(), GAP_FLOOR)
    loss = artists["loss"]
    loss.set_data(np.arange(len(gap)), gap)
    loss.set_color(color)
    ax_loss = artists["ax_loss"]
    ax_loss.set_xlim(0, max(path.steps_requested, 1))
    ax_loss.set_ylim(gap.min() / 2, gap.max() * 2)
    verdict = (
        f"diverged at step {path.steps_taken}"
        if path.diverged
        else f"final loss {path.final_loss:.4g}"
    )
    ax_loss.set_title(f"{path.label.split(',')[0]}: {verdict}")
    fig = artists["figure"]
    for old in list(fig.legends):
        old.remove()
    # below the panels, so it never hides a minimum or the path
    fig.legend(
        *artists["ax_path"].get_legend_handles_labels(),
        loc="outside lower center",
        ncols=5,
        fontsize="small",
    )


def _figure_png(fig: Figure, dpi: int = 80) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class OptimizerExplorer:
    """Interactive explorer: surface, optimizer, learning rate, momentum, start point, steps.

    The state lives in the control widgets (attributes ``surface``, ``optimizer``,
    ``learning_rate``, ``momentum``, ``start_x``, ``start_y``, ``steps``);
    changing any of their ``value`` traits recomputes :attr:`path` with the
    real Keras optimizer and redraws the picture in place: :attr:`image` is an
    ``ipywidgets.Image`` whose PNG bytes are replaced -- no ``clear_output``, no
    flicker, and it works in JupyterLab and Voila without ipympl. The momentum
    control sets ``momentum`` for SGD+momentum / Nesterov / RMSprop and
    ``beta_1`` for Adam / AdamW; it is disabled for the others.

    Args:
        surface: surface name.
        optimizer: optimizer name.
        learning_rate: ``None`` for the surface's suggested rate.
        start: start point; ``None`` for the surface default.
        steps: number of updates (the slider allows 1 to 500).

    Attributes:
        path: the current :class:`~course_lib.optim.paths.OptimizerPath`.
        figure: the matplotlib Figure behind :attr:`image`.
        widget: the ``ipywidgets.VBox`` shown in the notebook.

    Raises:
        UnknownSurfaceError, UnknownOptimizerError, OptimError: bad initial settings.

    Example:
        >>> explorer = OptimizerExplorer("rosenbrock", "sgd")  # doctest: +SKIP
        >>> explorer  # shows the widget  # doctest: +SKIP
        >>> explorer.optimizer.value = "adam"  # path and picture update  # doctest: +SKIP
    """

    def __init__(
        self,
        surface: str = "rosenbrock",
        optimizer: str = "adam",
        learning_rate: float | None = None,
        start: Sequence[float] | None = None,
        steps: int = 100,
    ) -> None:
        import ipywidgets as widgets

        surf = get_surface(surface)
        first = optimizer_path(surf, optimizer, learning_rate, start, steps)
        self.path = first
        style = {"description_width": "105px"}
        layout = widgets.Layout(width="340px")
        self.surface = widgets.Dropdown(
            options=surface_names(),
            value=surf.name,
            description="surface",
            style=style,
            layout=layout,
        )
        self.optimizer = widgets.Dropdown(
            options=[(OPTIMIZERS[n][2], n) for n in optimizer_names()],
            value=first.optimizer,
            description="optimizer",
            style=style,
            layout=layout,
        )
        self.learning_rate = widgets.FloatLogSlider(
            value=first.learning_rate,
            base=10,
            min=-4,
            max=2,
            step=0.05,
            description="learning rate",
            readout_format=".2g",
            style=style,
            layout=layout,
        )
        self.momentum = widgets.FloatSlider(
            value=_MOMENTUM_DEFAULT.get(first.optimizer, 0.9),
            min=0.0,
            max=0.99,
            step=0.01,
            description="momentum",
            style=style,
            layout=layout,
        )
        self.start_x = widgets.FloatSlider(
            value=first.start[0],
            min=surf.x_range[0],
            max=surf.x_range[1],
            step=0.01,
            description="start x",
            style=style,
            layout=layout,
        )
        self.start_y = widgets.FloatSlider(
            value=first.start[1],
            min=surf.y_range[0],
            max=surf.y_range[1],
            step=0.01,
            description="start y",
            style=style,
            layout=layout,
        )
        self.steps = widgets.IntSlider(
            value=first.steps_requested,
            min=1,
            max=500,
            description="steps",
            style=style,
            layout=layout,
        )
        self.status = widgets.HTML()
        self.image = widgets.Image(format="png")
        self._busy = False
        self.redraws = 0
        self._sync_momentum_control()
        self._compute()
        self.figure, self._artists = _explorer_figure(self.path)
        controls = [
            self.surface,
            self.optimizer,
            self.learning_rate,
            self.momentum,
            self.start_x,
            self.start_y,
            self.steps,
        ]
        self.widget = widgets.VBox(
            [
                widgets.HBox([widgets.VBox(controls[:4]), widgets.VBox(controls[4:])]),
                self.status,
                self.image,
            ]
        )
        self.surface.observe(self._on_surface, names="value")
        self.optimizer.observe(self._on_optimizer, names="value")
        for control in controls[2:]:
            control.observe(self._on_change, names="value")
        self._redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # -- reacting to controls
    def _sync_momentum_control(self) -> None:
        argument = MOMENTUM_ARGUMENT[self.optimizer.value]
        self.momentum.disabled = argument is None
        self.momentum.description = "β₁ (momentum)" if argument == "beta_1" else "momentum"

    def _on_surface(self, change: dict[str, Any]) -> None:
        surf = get_surface(change["new"])
        self._busy = True
        try:
            for control, (low, high), value in (
                (self.start_x, surf.x_range, surf.default_start[0]),
                (self.start_y, surf.y_range, surf.default_start[1]),
            ):
                # widen first so neither the new bounds nor the value get clamped
                control.min, control.max = -1e9, 1e9
                control.value = value
                control.min, control.max = low, high
            self.learning_rate.value = surf.learning_rates[self.optimizer.value]
        finally:
            self._busy = False
        self._compute()
        self.figure, self._artists = _explorer_figure(self.path)
        self._redraw()

    def _on_optimizer(self, change: dict[str, Any]) -> None:
        name = change["new"]
        self._busy = True
        try:
            self.learning_rate.value = get_surface(self.surface.value).learning_rates[name]
            if name in _MOMENTUM_DEFAULT:
                self.momentum.value = _MOMENTUM_DEFAULT[name]
            self._sync_momentum_control()
        finally:
            self._busy = False
        self._on_change()

    def _on_change(self, change: dict[str, Any] | None = None) -> None:
        if self._busy:
            return
        self._compute()
        _update_explorer_artists(self._artists, self.path)
        self._redraw()

    def _compute(self) -> OptimizerPath:
        name = self.optimizer.value
        kwargs: dict[str, Any] = {}
        argument = MOMENTUM_ARGUMENT[name]
        if argument is not None:
            kwargs[argument] = float(self.momentum.value)
        self.path = optimizer_path(
            self.surface.value,
            name,
            float(self.learning_rate.value),
            (float(self.start_x.value), float(self.start_y.value)),
            int(self.steps.value),
            **kwargs,
        )
        return self.path

    def _redraw(self) -> None:
        self.image.value = _figure_png(self.figure)
        self.redraws += 1
        p = self.path
        if p.diverged:
            self.status.value = (
                f"<b style='color:#b00'>Diverged:</b> {html_lib.escape(p.stop_reason or '')}."
                " Lower the learning rate."
            )
        else:
            x, y = p.final_point
            self.status.value = (
                f"<b>{html_lib.escape(p.label)}</b> (keras.optimizers.{p.keras_class}): "
                f"after {p.steps_taken} steps at ({x:.3f}, {y:.3f}), loss {p.final_loss:.4g}"
            )

    def set(self, **values: Any) -> OptimizerPath:
        """Set several controls with one recompute, e.g. ``set(steps=50, momentum=0.5)``.

        Surface and optimizer are applied first (they reset the learning rate to the
        suggested one), then the other values.

        Returns:
            The new :attr:`path`.

        Raises:
            ViewError: a name that is not a control.

        Example:
            >>> explorer.set(optimizer="momentum", learning_rate=0.001)  # doctest: +SKIP
        """
        names = ("surface", "optimizer", "learning_rate", "momentum", "start_x", "start_y", "steps")
        for key in values:
            if key not in names:
                raise ViewError(
                    f"Expected controls among {names}. Received: {key}={values[key]!r}",
                    hint="Use e.g. explorer.set(learning_rate=0.01, steps=50).",
                )
        for key in ("surface", "optimizer"):
            if key in values:
                getattr(self, key).value = values[key]
        rest = {k: v for k, v in values.items() if k not in ("surface", "optimizer")}
        if rest:
            self._busy = True
            try:
                for key, value in rest.items():
                    getattr(self, key).value = value
            finally:
                self._busy = False
            self._on_change()
        return self.path


def optimizer_explorer(
    surface: str = "rosenbrock",
    optimizer: str = "adam",
    learning_rate: float | None = None,
    start: Sequence[float] | None = None,
    steps: int = 100,
) -> OptimizerExplorer | Figure:
    """The explorer widget, or a static figure of the same settings when views are static.

    Under ``COURSE_VIEWS=static`` (nbval, HTML export, scripts) this returns
    :func:`plot_optimizer_comparison` of the one path, so the notebook still shows
    a picture and never a broken widget.

    Example:
        >>> optimizer_explorer("saddle", "momentum")  # doctest: +SKIP
    """
    if view_mode() == "static":
        return plot_optimizer_comparison(
            optimizer_path(surface, optimizer, learning_rate, start, steps)
        )
    return OptimizerExplorer(surface, optimizer, learning_rate, start, steps)


# ----------------------------------------------------------------------- 1-D


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
    items = (
        list(runs.items())
        if isinstance(runs, Mapping)
        else [(f"lr = {r.learning_rate:g}", r) for r in runs]
    )
    if not items or not all(isinstance(r, Path1D) for _, r in items):
        raise ViewError(
            f"Expected Path1D runs (a list or dict). Received: runs={runs!r:.80}",
            hint="Use runs = learning_rate_examples().",
        )
    if axes is None:
        fig = _new_figure(len(items), size=(4.3, 3.7))
        axes = np.atleast_1d(fig.subplots(1, len(items), sharey=True)).tolist()
    else:
        axes = list(axes)
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
    return fig


# ------------------------------------------------------------ regression GD


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
    items = list(paths.values()) if isinstance(paths, Mapping) else list(paths)
    if not items or not all(isinstance(p, RegressionPath) for p in items):
        raise ViewError(
            f"Expected RegressionPath objects. Received: paths={paths!r:.80}",
            hint="Use paths = compare_batch_sizes(problem).",
        )
    if axes is None:
        fig = _new_figure(3, size=(4.6, 4.1))
        axes = list(fig.subplots(1, 3))
    else:
        axes = list(axes)
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
    return fig
