"""Shared look of the optimizer pictures: one colour per optimizer, markers, checks.

Each optimizer keeps one colour in every picture (:data:`OPTIMIZER_COLORS`);
start points are white circles, end points filled squares, minima gold stars
and saddle points black crosses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.optim.paths import OPTIMIZERS, OptimizerPath
from course_lib.optim.surfaces import Surface

if TYPE_CHECKING:
    from matplotlib.axes import Axes

OPTIMIZER_COLORS: dict[str, str] = {name: f"C{i}" for i, name in enumerate(OPTIMIZERS)}
MINIMUM_STYLE = {"marker": "*", "s": 260, "color": "gold", "edgecolor": "black", "zorder": 6}
SADDLE_STYLE = {"marker": "X", "s": 110, "color": "black", "edgecolor": "white", "zorder": 6}
START_STYLE = {"marker": "o", "s": 70, "facecolor": "white", "edgecolor": "black", "zorder": 7}
PANEL_SIZE = (4.6, 3.8)
#: smallest loss gap drawn on log axes (exactly 0 cannot be drawn on a log scale)
GAP_FLOOR = 1e-12


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
