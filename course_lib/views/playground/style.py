"""Shared look of the playground pictures: colours, colour maps, input checks.

Colours follow TensorFlow Playground: class 0 orange, class 1 blue; backgrounds
and neuron maps use the same orange-white-blue scale (orange = low/negative,
blue = high/positive).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from course_lib.errors import ViewError
from course_lib.playground.datasets import PlaygroundData
from course_lib.playground.grid import DecisionGrid

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap


CLASS_COLORS = ("#f59322", "#0877bd")
"""Point colours for class 0 (orange) and class 1 (blue)."""
LIGHT = "#f4f4f4"
TRAIN_LOSS_COLOR = "#2b2b2b"
TEST_LOSS_COLOR = "#8c8c8c"
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)


def _cmap(strength: float = 1.0) -> Colormap:
    """Orange -> light grey -> blue; ``strength`` < 1 gives paler ends for backgrounds."""
    from matplotlib.colors import LinearSegmentedColormap, to_rgb

    light = np.array(to_rgb(LIGHT))
    ends = [light + strength * (np.array(to_rgb(c)) - light) for c in CLASS_COLORS]
    return LinearSegmentedColormap.from_list("playground", [ends[0], light, ends[1]])



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


def _style_loss_ax(ax: Axes) -> None:
    ax.set_xlabel("epoch", fontsize=9, labelpad=1)
    ax.set_ylabel("loss", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(alpha=0.25)

