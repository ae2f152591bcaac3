"""Animated optimizer paths: a matplotlib animation and a hand-written HTML/JS player.

:func:`animation_html` draws the contours once (PNG) and lets a few lines of
JavaScript grow the paths as SVG, so the page is small and works offline.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.optim.paths import OptimizerPath
from course_lib.views.display import figure_png, new_figure
from course_lib.views.optim.style import (
    GAP_FLOOR,
    START_STYLE,
    _as_path_list,
    _color,
    _draw_path,
)
from course_lib.views.optim.surfaces import plot_surface

if TYPE_CHECKING:
    from matplotlib.animation import FuncAnimation
    from matplotlib.axes import Axes


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
    fig = new_figure(figsize, dpi=dpi, layout="constrained")
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

    from matplotlib.colors import to_hex

    items = _as_path_list(paths)
    if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
        raise ViewError(
            f"Expected interval to be a positive number of milliseconds. "
            f"Received: interval={interval!r}",
            hint="Use e.g. interval=60.",
        )
    longest = max(p.steps_taken for p in items)
    fig = new_figure((10.5, 4.4), dpi=dpi, layout="constrained")
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
    fig.canvas.draw()
    fig.set_layout_engine("none")  # freeze the layout so pixels match the saved PNG
    width, height = fig.bbox.width, fig.bbox.height
    png = figure_png(fig)
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
        "__PNG__": base64.b64encode(png).decode("ascii"),
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

    Raises:
        ViewError: ``filename`` is not an ``.html`` path (or see :func:`animation_html`).

    Example:
        >>> save_animation_html(paths, "paths.html")  # doctest: +SKIP
    """
    if not isinstance(filename, str | Path) or not str(filename).endswith((".html", ".htm")):
        raise ViewError(
            f"Expected an .html file name. Received: filename={filename!r:.60}.",
            hint='e.g. save_animation_html(paths, "paths.html").',
        )
    target = Path(filename)
    target.write_text(animation_html(paths, **kwargs), encoding="utf-8")
    return target

