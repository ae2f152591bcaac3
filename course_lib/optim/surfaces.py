"""Two-dimensional loss surfaces for watching optimizers move.

Each :class:`Surface` knows its formula, value, exact gradient, a sensible plot
range, its known minima and a learning rate per optimizer that makes a good
first picture. The value function uses only ``+ - * **`` so the same code runs
on NumPy grids (for contour plots) and on TensorFlow tensors (so
``tf.GradientTape`` can differentiate it for the real Keras optimizers).

Example:
    >>> from course_lib.optim import get_surface
    >>> bowl = get_surface("bowl")
    >>> float(bowl.value(0.0, 0.0))
    0.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_lib.optim.errors import UnknownSurfaceError, did_you_mean

Point = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    """A loss ``f(x, y)`` with everything a plot and an optimizer path need.

    Args:
        name: registry key, e.g. ``"rosenbrock"``.
        title: human title for plots.
        formula: the formula in LaTeX (without ``$``).
        function: ``f(x, y)`` written with arithmetic operators only, so it works on
            NumPy arrays and TensorFlow tensors alike.
        gradient_function: the exact gradient ``(df/dx, df/dy)`` for NumPy inputs.
        x_range: ``(xmin, xmax)`` for plots.
        y_range: ``(ymin, ymax)`` for plots.
        minima: the known global minima.
        min_value: the loss at the minima.
        default_start: a start point that shows the surface's difficulty.
        learning_rates: a good first learning rate for each optimizer name.
        log_levels: draw contour levels on a log scale (steep valleys).
        saddle_points: known saddle points (marked on plots).
        description: one sentence on what the surface teaches.

    Example:
        >>> s = get_surface("himmelblau")
        >>> len(s.minima)
        4
    """

    name: str
    title: str
    formula: str
    function: Callable[[Any, Any], Any]
    gradient_function: Callable[[Any, Any], tuple[Any, Any]]
    x_range: Point
    y_range: Point
    minima: tuple[Point, ...]
    min_value: float
    default_start: Point
    learning_rates: dict[str, float] = field(default_factory=dict)
    log_levels: bool = False
    saddle_points: tuple[Point, ...] = ()
    description: str = ""

    def value(self, x: Any, y: Any) -> np.ndarray:
        """The loss at ``(x, y)``; works elementwise on arrays (e.g. a meshgrid).

        Example:
            >>> float(get_surface("rosenbrock").value(1.0, 1.0))
            0.0
        """
        return np.asarray(self.function(np.asarray(x, dtype=float), np.asarray(y, dtype=float)))

    def gradient(self, x: Any, y: Any) -> np.ndarray:
        """The exact gradient ``[df/dx, df/dy]`` at ``(x, y)`` (shape ``(2, ...)``).

        Example:
            >>> get_surface("bowl").gradient(1.0, 1.0).tolist()
            [0.2, 4.0]
        """
        gx, gy = self.gradient_function(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.stack([np.asarray(gx, dtype=float), np.asarray(gy, dtype=float)])

    def grid(self, resolution: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(X, Y, Z)`` meshgrid over the plot range, ready for ``ax.contour``.

        Args:
            resolution: points per axis.

        Returns:
            Three arrays of shape ``(resolution, resolution)``.

        Example:
            >>> X, Y, Z = get_surface("beale").grid(50)
            >>> Z.shape
            (50, 50)
        """
        xs = np.linspace(*self.x_range, resolution)
        ys = np.linspace(*self.y_range, resolution)
        grid_x, grid_y = np.meshgrid(xs, ys)
        return grid_x, grid_y, self.value(grid_x, grid_y)

    def nearest_minimum(self, point: Any) -> tuple[Point, float]:
        """The known minimum closest to ``point`` and the distance to it.

        Example:
            >>> get_surface("himmelblau").nearest_minimum((2.9, 2.1))[0]
            (3.0, 2.0)
        """
        p = np.asarray(point, dtype=float)
        distances = [float(np.hypot(*(p - np.asarray(m)))) for m in self.minima]
        best = int(np.argmin(distances))
        return self.minima[best], distances[best]


def _bowl(x: Any, y: Any) -> Any:
    return 0.1 * x**2 + 2.0 * y**2


def _bowl_grad(x: Any, y: Any) -> tuple[Any, Any]:
    return 0.2 * x, 4.0 * y


def _rosenbrock(x: Any, y: Any) -> Any:
    return (1.0 - x) ** 2 + 100.0 * (y - x**2) ** 2


def _rosenbrock_grad(x: Any, y: Any) -> tuple[Any, Any]:
    return -2.0 * (1.0 - x) - 400.0 * x * (y - x**2), 200.0 * (y - x**2)


def _beale(x: Any, y: Any) -> Any:
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_grad(x: Any, y: Any) -> tuple[Any, Any]:
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y**2
    c = 2.625 - x + x * y**3
    gx = 2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2
    return gx, gy


def _himmelblau(x: Any, y: Any) -> Any:
    return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2


def _himmelblau_grad(x: Any, y: Any) -> tuple[Any, Any]:
    a = x**2 + y - 11.0
    b = x + y**2 - 7.0
    return 4 * a * x + 2 * b, 2 * a + 4 * b * y


def _saddle(x: Any, y: Any) -> Any:
    return x**2 - y**2 + 0.25 * y**4


def _saddle_grad(x: Any, y: Any) -> tuple[Any, Any]:
    return 2.0 * x, -2.0 * y + y**3


_SQRT2 = float(np.sqrt(2.0))

SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        Surface(
            name="bowl",
            title="Ill-conditioned quadratic bowl",
            formula=r"f(x, y) = 0.1\,x^2 + 2\,y^2",
            function=_bowl,
            gradient_function=_bowl_grad,
            x_range=(-10.0, 10.0),
            y_range=(-4.0, 4.0),
            minima=((0.0, 0.0),),
            min_value=0.0,
            default_start=(-9.0, 3.0),
            learning_rates={
                "sgd": 0.45,
                "momentum": 0.1,
                "nesterov": 0.1,
                "adagrad": 2.0,
                "adadelta": 50.0,
                "rmsprop": 0.3,
                "adam": 0.5,
                "adamw": 0.5,
            },
            description="20x more curved across than along: plain SGD zig-zags, momentum helps.",
        ),
        Surface(
            name="rosenbrock",
            title="Rosenbrock's banana valley",
            formula=r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
            function=_rosenbrock,
            gradient_function=_rosenbrock_grad,
            x_range=(-2.0, 2.0),
            y_range=(-1.0, 3.0),
            minima=((1.0, 1.0),),
            min_value=0.0,
            default_start=(-1.5, 2.5),
            learning_rates={
                "sgd": 0.002,
                "momentum": 0.0008,
                "nesterov": 0.0008,
                "adagrad": 0.5,
                "adadelta": 10.0,
                "rmsprop": 0.01,
                "adam": 0.3,
                "adamw": 0.3,
            },
            log_levels=True,
            description="Easy to reach the curved valley, slow to walk along it to (1, 1).",
        ),
        Surface(
            name="beale",
            title="Beale's function",
            formula=(r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2"),
            function=_beale,
            gradient_function=_beale_grad,
            x_range=(-4.5, 4.5),
            y_range=(-4.5, 4.5),
            minima=((3.0, 0.5),),
            min_value=0.0,
            default_start=(1.0, 1.5),
            learning_rates={
                "sgd": 0.01,
                "momentum": 0.002,
                "nesterov": 0.004,
                "adagrad": 1.0,
                "adadelta": 50.0,
                "rmsprop": 0.05,
                "adam": 0.2,
                "adamw": 0.2,
            },
            log_levels=True,
            description="Flat plateaus, sharp ridges: gradient sizes vary by orders of magnitude.",
        ),
        Surface(
            name="himmelblau",
            title="Himmelblau's function",
            formula=r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
            function=_himmelblau,
            gradient_function=_himmelblau_grad,
            x_range=(-5.0, 5.0),
            y_range=(-5.0, 5.0),
            minima=(
                (3.0, 2.0),
                (-2.805118, 3.131312),
                (-3.779310, -3.283186),
                (3.584428, -1.848126),
            ),
            min_value=0.0,
            default_start=(-0.5, -0.5),
            learning_rates={
                "sgd": 0.01,
                "momentum": 0.003,
                "nesterov": 0.003,
                "adagrad": 1.0,
                "adadelta": 50.0,
                "rmsprop": 0.05,
                "adam": 0.2,
                "adamw": 0.2,
            },
            log_levels=True,
            description="Four equally good minima: where you start decides where you end.",
        ),
        Surface(
            name="saddle",
            title="Saddle point",
            formula=r"f(x, y) = x^2 - y^2 + \frac{1}{4}\,y^4",
            function=_saddle,
            gradient_function=_saddle_grad,
            x_range=(-2.0, 2.0),
            y_range=(-2.5, 2.5),
            minima=((0.0, _SQRT2), (0.0, -_SQRT2)),
            min_value=-1.0,
            default_start=(1.8, 0.01),
            learning_rates={
                "sgd": 0.05,
                "momentum": 0.02,
                "nesterov": 0.02,
                "adagrad": 0.3,
                "adadelta": 20.0,
                "rmsprop": 0.02,
                "adam": 0.05,
                "adamw": 0.05,
            },
            saddle_points=((0.0, 0.0),),
            description="The gradient vanishes at (0, 0) but it is no minimum: who escapes first?",
        ),
    )
}


def surface_names() -> list[str]:
    """Names of all registered surfaces.

    Example:
        >>> surface_names()
        ['bowl', 'rosenbrock', 'beale', 'himmelblau', 'saddle']
    """
    return list(SURFACES)


def get_surface(name: str | Surface) -> Surface:
    """Look up a surface by name (a :class:`Surface` passes through unchanged).

    Args:
        name: one of :func:`surface_names`, case-insensitive.

    Returns:
        The :class:`Surface`.

    Raises:
        UnknownSurfaceError: the name is not registered; the message suggests close names.

    Example:
        >>> get_surface("Rosenbrock").minima
        ((1.0, 1.0),)
    """
    if isinstance(name, Surface):
        return name
    key = str(name).strip().lower()
    if key in SURFACES:
        return SURFACES[key]
    raise UnknownSurfaceError(
        f"Expected a surface name in {surface_names()}. Received: surface={name!r}",
        hint=f"{did_you_mean(key, SURFACES)}Use one of {', '.join(surface_names())}.",
    )
