"""Gradient descent on one weight: the picture before the 2-D surfaces.

The update is the whole algorithm, written out in NumPy so students can read
it line by line::

    w_next = w - learning_rate * dL/dw(w)

At each step the tangent line ``L(w) + L'(w) (v - w)`` shows the slope the
step follows. :func:`learning_rate_examples` runs the same start with a
too-small, a good and a too-large learning rate.

Example:
    >>> path = gradient_descent_1d(learning_rate=0.3, start=-1.0, steps=10)
    >>> round(float(path.weights[-1]), 2)
    2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.optim.errors import OptimError, did_you_mean
from course_lib.optim.paths import DIVERGENCE_FACTOR, check_learning_rate, check_steps


@dataclass(frozen=True)
class Loss1D:
    """A loss of one weight with its derivative.

    Args:
        name: registry key.
        formula: LaTeX formula (without ``$``).
        function: ``L(w)`` for NumPy arrays.
        derivative: ``dL/dw`` for NumPy arrays.
        w_range: plot range of the weight.
        minimum: the weight that minimises ``L``.
        learning_rates: ``{"too small": .., "good": .., "too large": ..}``.

    Example:
        >>> LOSSES_1D["quadratic"].function(2.0)
        0.0
    """

    name: str
    formula: str
    function: Callable[[np.ndarray | float], np.ndarray | float]
    derivative: Callable[[np.ndarray | float], np.ndarray | float]
    w_range: tuple[float, float]
    minimum: float
    learning_rates: dict[str, float]


LOSSES_1D: dict[str, Loss1D] = {
    "quadratic": Loss1D(
        name="quadratic",
        formula=r"L(w) = (w - 2)^2",
        function=lambda w: (w - 2.0) ** 2,
        derivative=lambda w: 2.0 * (w - 2.0),
        w_range=(-2.0, 6.0),
        minimum=2.0,
        # stable for lr < 1 (= 2 / curvature); 0.5 would jump straight to the minimum
        learning_rates={"too small": 0.03, "good": 0.3, "too large": 1.05},
    ),
    "quartic": Loss1D(
        name="quartic",
        formula=r"L(w) = \frac{1}{4}w^4 - w^2 + \frac{1}{2}w + 1.5",
        function=lambda w: 0.25 * w**4 - w**2 + 0.5 * w + 1.5,
        derivative=lambda w: w**3 - 2.0 * w + 0.5,
        w_range=(-2.5, 2.5),
        minimum=-1.525687,
        learning_rates={"too small": 0.01, "good": 0.1, "too large": 0.9},
    ),
}


@dataclass
class Path1D:
    """The weights visited by 1-D gradient descent.

    Attributes:
        loss: the :class:`Loss1D`.
        learning_rate: step size.
        weights: ``(steps_taken + 1,)`` weights, starting with the start.
        losses: loss at each weight.
        slopes: ``dL/dw`` at each weight.
        diverged: the loss blew up and the run was stopped.

    Example:
        >>> p = gradient_descent_1d(learning_rate=1.05, steps=30)
        >>> p.diverged or bool(p.losses[-1] > p.losses[0])
        True
    """

    loss: Loss1D
    learning_rate: float
    weights: np.ndarray
    losses: np.ndarray
    slopes: np.ndarray
    diverged: bool = False

    def tangent(self, index: int, half_width: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
        """End points of the tangent segment at step ``index``.

        Args:
            index: which visited weight.
            half_width: how far the segment extends left and right (in ``w`` units).

        Returns:
            ``(w_values, loss_values)``, each of length 2.

        Example:
            >>> gradient_descent_1d(0.3, start=0.0, steps=1).tangent(0)[1].tolist()
            [6.4, 1.6]
        """
        w0, l0, s0 = self.weights[index], self.losses[index], self.slopes[index]
        ws = np.array([w0 - half_width, w0 + half_width])
        return ws, l0 + s0 * (ws - w0)


def get_loss_1d(name: str) -> Loss1D:
    """Look up a 1-D loss by name.

    Raises:
        OptimError: unknown name (with a suggestion).

    Example:
        >>> get_loss_1d("quadratic").minimum
        2.0
    """
    key = str(name).strip().lower()
    if key not in LOSSES_1D:
        raise OptimError(
            f"Expected a 1-D loss name in {list(LOSSES_1D)}. Received: loss={name!r}",
            hint=f"{did_you_mean(key, LOSSES_1D)}Use one of {', '.join(LOSSES_1D)}.",
        )
    return LOSSES_1D[key]


def gradient_descent_1d(
    learning_rate: float,
    start: float = -1.0,
    steps: int = 10,
    loss: str = "quadratic",
) -> Path1D:
    """Run plain gradient descent ``w <- w - lr * L'(w)`` on one weight.

    Args:
        learning_rate: the step size (> 0).
        start: the starting weight.
        steps: the number of updates.
        loss: a name from :data:`LOSSES_1D`.

    Returns:
        A :class:`Path1D` (stopped early with ``diverged=True`` if the loss explodes).

    Raises:
        OptimError: bad learning rate, steps, start or loss name.

    Example:
        >>> gradient_descent_1d(0.03, steps=5).weights.round(3).tolist()
        [-1.0, -0.82, -0.651, -0.492, -0.342, -0.202]
    """
    rate = check_learning_rate(learning_rate)
    steps = check_steps(steps)
    if (
        isinstance(start, bool)
        or not isinstance(start, int | float | np.number)
        or not (math.isfinite(float(start)))
    ):
        raise OptimError(
            f"Expected start to be one finite number (a weight). Received: start={start!r}",
            hint="Pass e.g. start=-1.0.",
        )
    spec = get_loss_1d(loss)
    weights = [float(start)]
    l0 = float(spec.function(weights[0]))
    limit = DIVERGENCE_FACTOR * max(abs(l0), 1.0)
    diverged = False
    for _ in range(steps):
        w = weights[-1] - rate * float(spec.derivative(weights[-1]))
        weights.append(w)
        if not math.isfinite(w) or abs(float(spec.function(w))) > limit:
            diverged = True
            break
    w_arr = np.asarray(weights)
    return Path1D(
        loss=spec,
        learning_rate=rate,
        weights=w_arr,
        losses=np.asarray(spec.function(w_arr), dtype=float),
        slopes=np.asarray(spec.derivative(w_arr), dtype=float),
        diverged=diverged,
    )


def learning_rate_examples(
    loss: str = "quadratic",
    start: float = -1.0,
    steps: int = 8,
    learning_rates: dict[str, float] | None = None,
) -> dict[str, Path1D]:
    """The same start with a too-small, a good and a too-large learning rate.

    Args:
        loss: a name from :data:`LOSSES_1D`.
        start: the starting weight.
        steps: updates per run.
        learning_rates: override ``{"too small": .., "good": .., "too large": ..}``.

    Returns:
        ``{"too small": Path1D, "good": Path1D, "too large": Path1D}``.

    Example:
        >>> runs = learning_rate_examples()
        >>> final = {k: float(p.losses[-1]) for k, p in runs.items()}
        >>> final["good"] < final["too small"] < final["too large"]
        True
    """
    spec = get_loss_1d(loss)
    rates = {**spec.learning_rates, **(learning_rates or {})}
    return {
        label: gradient_descent_1d(rate, start=start, steps=steps, loss=spec.name)
        for label, rate in rates.items()
    }
