"""Batch, mini-batch and stochastic gradient descent on a noisy line fit.

The model is ``y_hat = w * x + b`` with the mean squared error

    MSE(w, b) = (1/n) * sum_i (y_hat_i - y_i)^2

whose gradient on a batch ``B`` is ``dw = (2/|B|) sum (y_hat - y) x`` and
``db = (2/|B|) sum (y_hat - y)``. Batch GD uses all ``n`` points per step,
mini-batch GD a shuffled slice, stochastic GD a single point -- so the paths in
``(w, b)`` space get noisier as the batch shrinks. The closed-form answer
(normal equations) is where they all head.

Example:
    >>> problem = make_regression_problem(seed=0)
    >>> paths = compare_batch_sizes(problem, steps=100)
    >>> list(paths)
    ['batch (n=100)', 'mini-batch (16)', 'stochastic (1)']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.optim.errors import OptimError
from course_lib.optim.paths import check_learning_rate, check_point, check_steps


@dataclass(frozen=True)
class RegressionProblem:
    """A seeded 1-feature regression data set ``y = true_w * x + true_b + noise``.

    Example:
        >>> make_regression_problem(n_samples=5).x.shape
        (5,)
    """

    x: np.ndarray
    y: np.ndarray
    true_w: float
    true_b: float
    noise: float
    seed: int

    @property
    def n_samples(self) -> int:
        """Number of data points."""
        return int(self.x.shape[0])

    def mse(self, w: np.ndarray | float, b: np.ndarray | float) -> np.ndarray:
        """Full-data MSE at ``(w, b)``; broadcasts over grids of ``w`` and ``b``.

        Example:
            >>> p = make_regression_problem(noise=0.0)
            >>> float(p.mse(p.true_w, p.true_b))
            0.0
        """
        w_arr = np.asarray(w, dtype=float)[..., None]
        b_arr = np.asarray(b, dtype=float)[..., None]
        return np.mean((w_arr * self.x + b_arr - self.y) ** 2, axis=-1)


@dataclass
class RegressionPath:
    """The ``(w, b)`` values visited by one gradient-descent variant.

    Attributes:
        label: e.g. ``"mini-batch (16)"``.
        batch_size: points per step.
        learning_rate: step size.
        params: ``(steps + 1, 2)`` array of ``(w, b)``; row 0 is the start.
        losses: full-data MSE at each row of ``params``.
        epochs: how many passes over the data the steps amount to.

    Example:
        >>> path = gradient_descent_regression(make_regression_problem(), steps=10)
        >>> path.params.shape
        (11, 2)
    """

    label: str
    batch_size: int
    learning_rate: float
    params: np.ndarray
    losses: np.ndarray
    epochs: float

    @property
    def final(self) -> tuple[float, float]:
        """The last ``(w, b)``."""
        return float(self.params[-1, 0]), float(self.params[-1, 1])


def make_regression_problem(
    n_samples: int = 100,
    true_w: float = 2.0,
    true_b: float = 1.0,
    noise: float = 1.0,
    seed: int = 0,
) -> RegressionProblem:
    """Make ``n_samples`` points ``x ~ U(-1, 3)``, ``y = true_w x + true_b + N(0, noise^2)``.

    ``x`` is not centred, so ``w`` and ``b`` are correlated and the MSE contours
    are tilted ellipses, as in real data.

    Raises:
        OptimError: ``n_samples < 2`` or a negative ``noise``.

    Example:
        >>> p = make_regression_problem(seed=1)
        >>> p.n_samples, p.true_w
        (100, 2.0)
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 2:
        raise OptimError(
            f"Expected n_samples to be an integer >= 2. Received: n_samples={n_samples!r}",
            hint="Pass e.g. n_samples=100.",
        )
    if not np.isfinite(noise) or noise < 0:
        raise OptimError(
            f"Expected noise to be a number >= 0. Received: noise={noise!r}",
            hint="Pass e.g. noise=1.0 (0 gives points exactly on the line).",
        )
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 3.0, size=n_samples)
    y = true_w * x + true_b + rng.normal(0.0, noise, size=n_samples)
    return RegressionProblem(x, y, float(true_w), float(true_b), float(noise), int(seed))


def normal_equation(problem: RegressionProblem) -> tuple[float, float]:
    """The exact least-squares ``(w, b)``: solve ``(X^T X) theta = X^T y``.

    ``X`` is the design matrix with a column of ones for the bias. Solving the
    linear system is the numerically sound way to compute ``(X^T X)^{-1} X^T y``.

    Returns:
        ``(w, b)`` minimising the MSE.

    Example:
        >>> p = make_regression_problem(noise=0.0)
        >>> [round(v, 6) for v in normal_equation(p)]
        [2.0, 1.0]
    """
    design = np.column_stack([problem.x, np.ones_like(problem.x)])
    theta = np.linalg.solve(design.T @ design, design.T @ problem.y)
    return float(theta[0]), float(theta[1])


def _batch_label(batch_size: int, n: int) -> str:
    if batch_size >= n:
        return f"batch (n={n})"
    if batch_size == 1:
        return "stochastic (1)"
    return f"mini-batch ({batch_size})"


def gradient_descent_regression(
    problem: RegressionProblem,
    batch_size: int | None = None,
    learning_rate: float = 0.05,
    steps: int = 100,
    start: Sequence[float] = (-2.0, -2.0),
    seed: int = 0,
) -> RegressionPath:
    """Fit ``y_hat = w x + b`` by gradient descent on batches of ``batch_size`` points.

    The data are reshuffled at the start of every epoch (pass over the data);
    a step uses the next ``batch_size`` points.

    Args:
        problem: from :func:`make_regression_problem`.
        batch_size: ``None`` (or ``n``) for batch GD, ``1`` for stochastic GD, else mini-batch.
        learning_rate: step size (> 0).
        steps: number of updates.
        start: initial ``(w, b)``.
        seed: seed for the shuffling.

    Returns:
        A :class:`RegressionPath` with the full-data MSE after each step.

    Raises:
        OptimError: bad batch size, learning rate, steps or start.

    Example:
        >>> p = make_regression_problem()
        >>> path = gradient_descent_regression(p, batch_size=1, steps=50)
        >>> path.label
        'stochastic (1)'
    """
    n = problem.n_samples
    size = n if batch_size is None else batch_size
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or not 1 <= size <= n:
        raise OptimError(
            f"Expected batch_size to be None or an integer from 1 to n_samples={n}. "
            f"Received: batch_size={batch_size!r}",
            hint="Use None for batch GD, 1 for stochastic GD, e.g. 16 for mini-batches.",
        )
    size = int(size)
    rate = check_learning_rate(learning_rate)
    steps = check_steps(steps)
    theta = check_point(start, "start").copy()
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    cursor = 0
    params = [theta.copy()]
    for _ in range(steps):
        if cursor + size > n:
            order, cursor = rng.permutation(n), 0
        idx = order[cursor : cursor + size]
        cursor += size
        xb, yb = problem.x[idx], problem.y[idx]
        error = theta[0] * xb + theta[1] - yb
        grad = np.array([2.0 * np.mean(error * xb), 2.0 * np.mean(error)])
        theta = theta - rate * grad
        params.append(theta.copy())
    params_arr = np.asarray(params)
    return RegressionPath(
        label=_batch_label(size, n),
        batch_size=size,
        learning_rate=rate,
        params=params_arr,
        losses=problem.mse(params_arr[:, 0], params_arr[:, 1]),
        epochs=steps * size / n,
    )


def compare_batch_sizes(
    problem: RegressionProblem,
    batch_sizes: Sequence[int | None] = (None, 16, 1),
    learning_rate: float = 0.05,
    steps: int = 100,
    start: Sequence[float] = (-2.0, -2.0),
    seed: int = 0,
) -> dict[str, RegressionPath]:
    """Batch vs mini-batch vs stochastic GD with the same rate, steps and start.

    Returns:
        ``{label: RegressionPath}`` in the order of ``batch_sizes``.

    Raises:
        OptimError: see :func:`gradient_descent_regression`.

    Example:
        >>> paths = compare_batch_sizes(make_regression_problem(), steps=20)
        >>> [p.batch_size for p in paths.values()]
        [100, 16, 1]
    """
    paths = [
        gradient_descent_regression(problem, b, learning_rate, steps, start, seed)
        for b in batch_sizes
    ]
    return {p.label: p for p in paths}
