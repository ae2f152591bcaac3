"""Toy 2-D classification datasets for the decision-boundary playground.

The shapes follow TensorFlow Playground: every dataset lives in the square
``[-6, 6] x [-6, 6]`` (:data:`BOUNDS`), has two exactly balanced classes
labelled 0 and 1, and gets Gaussian jitter controlled by ``noise``
(0 = clean; 0.5 is about TensorFlow Playground's "noise 50").

Example:
    >>> from course_lib.playground.datasets import load_playground_data
    >>> data = load_playground_data("circles", n=200, noise=0.1, seed=0)
    >>> data.x_train.shape, data.x_test.shape
    ((100, 2), (100, 2))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.errors import ConfigError, DataError
from course_lib.playground._checks import choose, positive_float, positive_int

DATASET_NAMES: tuple[str, ...] = ("circles", "xor", "gaussians", "spiral", "moons")
"""Names accepted by :func:`make_dataset` and :func:`load_playground_data`."""

BOUNDS: tuple[float, float, float, float] = (-6.0, 6.0, -6.0, 6.0)
"""``(x1_min, x1_max, x2_min, x2_max)`` of the square every dataset lives in."""

_RADIUS = 5.0
_NOISE_SCALE = 3.0  # data units of jitter std per unit of ``noise``


@dataclass(frozen=True)
class PlaygroundData:
    """A dataset split into training and test points.

    Attributes:
        name: dataset name (one of :data:`DATASET_NAMES`, or ``"custom"``).
        x_train: float32 array ``(n_train, 2)``.
        y_train: int32 labels ``(n_train,)`` in {0, 1}.
        x_test: float32 array ``(n_test, 2)``.
        y_test: int32 labels ``(n_test,)`` in {0, 1}.
        noise: the noise level the points were made with.
        seed: the seed the points were made with.
        bounds: ``(x1_min, x1_max, x2_min, x2_max)`` for plots and grids.

    Example:
        >>> data = load_playground_data("xor", n=40)
        >>> sorted(set(data.y_train.tolist()) | set(data.y_test.tolist()))
        [0, 1]
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    noise: float = 0.0
    seed: int = 0
    bounds: tuple[float, float, float, float] = BOUNDS


def check_points(x: object, y: object | None = None, *, what: str = "x") -> tuple:
    """Validate 2-D points (and optional 0/1 labels) and return them as arrays.

    Args:
        x: array-like of shape ``(n, 2)``.
        y: optional array-like of shape ``(n,)`` with values in {0, 1}.
        what: the argument name quoted in error messages.

    Returns:
        ``(x, y)`` as float32 ``(n, 2)`` and int32 ``(n,)`` arrays (``y`` is
        None when not given).

    Raises:
        DataError: ``x`` is not ``(n, 2)``, holds NaN/inf, ``y`` has a different
            length, or ``y`` holds labels other than 0 and 1.

    Example:
        >>> x, y = check_points([[0, 1], [2, 3]], [0, 1])
        >>> x.dtype, y.dtype
        (dtype('float32'), dtype('int32'))
    """
    try:
        arr = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise DataError(
            f"Expected {what} to be numeric 2-D points. Received: {what} of type "
            f"{type(x).__name__}.",
            hint=f"pass {what} as a float array of shape (n, 2), one row per point.",
        ) from None
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
        raise DataError(
            f"The playground works on 2-D points: expected {what} of shape (n, 2). "
            f"Received: {what}.shape={arr.shape}.",
            hint="keep exactly two input columns (x1, x2); reduce other data to 2-D "
            "first (e.g. pick two columns or use PCA).",
        )
    if not np.all(np.isfinite(arr)):
        raise DataError(
            f"Expected finite coordinates in {what}. Received: "
            f"{int(np.sum(~np.isfinite(arr)))} NaN/inf values.",
            hint="drop or fill the rows with missing values.",
        )
    if y is None:
        return arr, None
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or labels.shape[0] != arr.shape[0]:
        raise DataError(
            f"Expected one label per point: y of shape ({arr.shape[0]},). "
            f"Received: y.shape={labels.shape}.",
            hint=f"pass y as a 1-D array with the same length as {what}.",
        )
    bad = sorted(set(np.unique(labels).tolist()) - {0, 1})
    if bad:
        raise DataError(
            f"Expected binary labels 0 and 1. Received: y contains {bad[:5]}.",
            hint="map your two classes to 0 and 1, e.g. y = (y == positive_class).astype(int).",
        )
    return arr, labels.astype(np.int32)


def _class_sizes(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


def _circles(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = _class_sizes(n)
    # class 1 = inner disc, class 0 = outer ring (as in TensorFlow Playground)
    r_in = rng.uniform(0.0, 0.5 * _RADIUS, n1)
    r_out = rng.uniform(0.7 * _RADIUS, _RADIUS, n0)
    angles = rng.uniform(0.0, 2 * np.pi, n)
    r = np.concatenate([r_out, r_in])
    x = np.stack([r * np.cos(angles), r * np.sin(angles)], axis=1)
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return x + rng.normal(0.0, noise * _NOISE_SCALE, x.shape), y


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = _class_sizes(n)
    pad = 0.3  # keep points off the axes so the clean data are separable

    def quadrant_points(count: int, same_sign: bool) -> np.ndarray:
        mag = rng.uniform(pad, _RADIUS, (count, 2))
        s1 = rng.choice([-1.0, 1.0], count)
        s2 = s1 if same_sign else -s1
        return mag * np.stack([s1, s2], axis=1)

    x = np.concatenate([quadrant_points(n0, False), quadrant_points(n1, True)])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return x + rng.normal(0.0, noise * _NOISE_SCALE, x.shape), y


def _gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = _class_sizes(n)
    std = 0.6 + noise * _NOISE_SCALE  # noise widens the two blobs until they overlap
    x0 = rng.normal(-2.0, std, (n0, 2))
    x1 = rng.normal(2.0, std, (n1, 2))
    return np.concatenate([x0, x1]), np.concatenate([np.zeros(n0), np.ones(n1)])


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    parts, labels = [], []
    for label, (count, delta) in enumerate(zip(_class_sizes(n), (np.pi, 0.0), strict=True)):
        t = np.linspace(0.0, 1.0, count, endpoint=False)
        r = t * _RADIUS
        angle = 1.75 * t * 2 * np.pi + delta
        parts.append(np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1))
        labels.append(np.full(count, label))
    x = np.concatenate(parts)
    return x + rng.normal(0.0, noise * _NOISE_SCALE, x.shape), np.concatenate(labels)


def _moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = _class_sizes(n)
    a0 = rng.uniform(0.0, np.pi, n0)
    a1 = rng.uniform(0.0, np.pi, n1)
    upper = np.stack([np.cos(a0), np.sin(a0)], axis=1)
    lower = np.stack([1.0 - np.cos(a1), 0.5 - np.sin(a1)], axis=1)
    x = (np.concatenate([upper, lower]) - [0.5, 0.25]) * 2.6  # centre and fill the square
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return x + rng.normal(0.0, noise * _NOISE_SCALE, x.shape), y


_GENERATORS: dict[str, Callable[[int, float, np.random.Generator], tuple]] = {
    "circles": _circles,
    "xor": _xor,
    "gaussians": _gaussians,
    "spiral": _spiral,
    "moons": _moons,
}


def make_dataset(
    name: str, n: int = 400, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Generate one of the playground's 2-D datasets.

    Args:
        name: one of :data:`DATASET_NAMES`.
        n: number of points (>= 4); the two classes get ``n // 2`` and
            ``n - n // 2`` points.
        noise: jitter level >= 0 (0 = clean, 0.5 = heavy overlap).
        seed: random seed; the same seed gives the same points.

    Returns:
        ``(x, y)``: float32 ``(n, 2)`` points and int32 ``(n,)`` labels in
        {0, 1}, shuffled.

    Raises:
        ConfigError: unknown ``name`` (with a close-name suggestion), ``n`` < 4
            or negative ``noise``.

    Example:
        >>> x, y = make_dataset("moons", n=100, noise=0.05, seed=1)
        >>> x.shape, int(y.sum())
        ((100, 2), 50)
    """
    key = choose(name, DATASET_NAMES, "dataset")
    count = positive_int(n, "n", minimum=4)
    level = positive_float(noise, "noise", allow_zero=True)
    rng = np.random.default_rng(seed)
    x, y = _GENERATORS[key](count, level, rng)
    order = rng.permutation(count)
    return x[order].astype(np.float32), y[order].astype(np.int32)


def train_test_split(
    x: np.ndarray, y: np.ndarray, test_fraction: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split points into training and test sets, keeping the class balance.

    Args:
        x: points ``(n, 2)``.
        y: labels ``(n,)`` in {0, 1}.
        test_fraction: share of each class that goes to the test set, in (0, 1).
        seed: random seed for the split.

    Returns:
        ``(x_train, y_train, x_test, y_test)``.

    Raises:
        DataError: bad shapes or labels (see :func:`check_points`).
        ConfigError: ``test_fraction`` outside (0, 1).

    Example:
        >>> x, y = make_dataset("xor", n=20)
        >>> x_tr, y_tr, x_te, y_te = train_test_split(x, y, test_fraction=0.25)
        >>> len(x_tr), len(x_te)
        (16, 4)
    """
    xs, ys = check_points(x, y)
    frac = positive_float(test_fraction, "test_fraction")
    if frac >= 1.0:
        raise ConfigError(
            f"Expected test_fraction between 0 and 1. Received: test_fraction={test_fraction!r}.",
            hint="use e.g. test_fraction=0.5 (half the points for testing).",
        )
    rng = np.random.default_rng(seed)
    test_idx: list[np.ndarray] = []
    for label in (0, 1):
        idx = rng.permutation(np.flatnonzero(ys == label))
        test_idx.append(idx[: int(round(frac * len(idx)))])
    is_test = np.zeros(len(ys), dtype=bool)
    is_test[np.concatenate(test_idx)] = True
    return xs[~is_test], ys[~is_test], xs[is_test], ys[is_test]


def load_playground_data(
    name: str = "circles",
    n: int = 400,
    noise: float = 0.0,
    test_fraction: float = 0.5,
    seed: int = 0,
) -> PlaygroundData:
    """Generate a dataset and split it into training and test points.

    Args:
        name: one of :data:`DATASET_NAMES`.
        n: total number of points (>= 4).
        noise: jitter level >= 0.
        test_fraction: share of points held out for testing, in (0, 1).
        seed: random seed for the points and the split.

    Returns:
        A :class:`PlaygroundData`.

    Raises:
        ConfigError: unknown name or out-of-range numbers.

    Example:
        >>> data = load_playground_data("spiral", n=300, noise=0.05)
        >>> data.name, data.x_train.shape
        ('spiral', (150, 2))
    """
    x, y = make_dataset(name, n=n, noise=noise, seed=seed)
    x_tr, y_tr, x_te, y_te = train_test_split(x, y, test_fraction=test_fraction, seed=seed)
    return PlaygroundData(
        name=str(name).strip().lower(),
        x_train=x_tr,
        y_train=y_tr,
        x_test=x_te,
        y_test=y_te,
        noise=float(noise),
        seed=int(seed),
    )


def custom_data(
    x_train: object,
    y_train: object,
    x_test: object | None = None,
    y_test: object | None = None,
    name: str = "custom",
) -> PlaygroundData:
    """Wrap your own 2-D points for the playground.

    Args:
        x_train: training points ``(n, 2)``.
        y_train: training labels ``(n,)`` in {0, 1}.
        x_test: optional test points ``(m, 2)``; defaults to the training points.
        y_test: labels for ``x_test``.
        name: a label for titles.

    Returns:
        A :class:`PlaygroundData` whose bounds cover all points with a margin.

    Raises:
        DataError: wrong shapes, non-binary labels, or only one of
            ``x_test``/``y_test`` given.

    Example:
        >>> data = custom_data([[0, 0], [1, 1]], [0, 1])
        >>> data.bounds
        (-0.5, 1.5, -0.5, 1.5)
    """
    x_tr, y_tr = check_points(x_train, y_train, what="x_train")
    if (x_test is None) != (y_test is None):
        raise DataError(
            "Expected both x_test and y_test, or neither. Received only "
            f"{'x_test' if y_test is None else 'y_test'}.",
            hint="pass both test arrays, or leave both out to evaluate on the training set.",
        )
    if x_test is None:
        x_te, y_te = x_tr, y_tr
    else:
        x_te, y_te = check_points(x_test, y_test, what="x_test")
    both = np.concatenate([x_tr, x_te])
    lo, hi = both.min(axis=0), both.max(axis=0)
    margin = np.maximum(0.25 * (hi - lo), 0.5)
    bounds = (
        float(lo[0] - margin[0]),
        float(hi[0] + margin[0]),
        float(lo[1] - margin[1]),
        float(hi[1] + margin[1]),
    )
    return PlaygroundData(name, x_tr, y_tr, x_te, y_te, bounds=bounds)
