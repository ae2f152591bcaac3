"""Input features for the playground: the columns the network actually sees.

TensorFlow Playground lets students feed the network hand-made features of the
two coordinates. With ``x1^2`` and ``x2^2`` even a network without hidden
layers separates the circles; on raw ``x1, x2`` it cannot.

Example:
    >>> import numpy as np
    >>> feature_matrix(np.array([[1.0, 2.0]]), ["x1", "x2", "x1*x2"]).tolist()
    [[1.0, 2.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from course_lib.errors import ConfigError
from course_lib.playground._checks import suggest

FEATURE_NAMES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""Canonical feature names, in display order."""

FEATURE_LABELS: dict[str, str] = {
    "x1": "$x_1$",
    "x2": "$x_2$",
    "x1^2": "$x_1^2$",
    "x2^2": "$x_2^2$",
    "x1*x2": r"$x_1 x_2$",
    "sin(x1)": r"$\sin x_1$",
    "sin(x2)": r"$\sin x_2$",
}
"""Math-text labels for plots."""

_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}

_ALIASES: dict[str, str] = {
    "x1²": "x1^2",
    "x1**2": "x1^2",
    "x1sq": "x1^2",
    "x2²": "x2^2",
    "x2**2": "x2^2",
    "x2sq": "x2^2",
    "x1x2": "x1*x2",
    "x1·x2": "x1*x2",
    "x1 x2": "x1*x2",
    "sin x1": "sin(x1)",
    "sinx1": "sin(x1)",
    "sin x2": "sin(x2)",
    "sinx2": "sin(x2)",
}


def canonical_feature(name: object) -> str:
    """Return the canonical spelling of a feature name.

    Accepts the names in :data:`FEATURE_NAMES` plus common spellings such as
    ``"x1²"``, ``"x1**2"``, ``"x1·x2"`` or ``"sin x1"``.

    Raises:
        ConfigError: unknown name; the message suggests the closest feature.

    Example:
        >>> canonical_feature("x1²")
        'x1^2'
    """
    if isinstance(name, str):
        key = name.strip().lower()
        for candidate in (key, key.replace(" ", "")):
            if candidate in _FUNCTIONS:
                return candidate
            if candidate in _ALIASES:
                return _ALIASES[candidate]
    raise ConfigError(
        f"Unknown input feature. Expected one of {FEATURE_NAMES}. Received: feature={name!r}."
        + suggest(name, FEATURE_NAMES),
        hint="pick features from: " + ", ".join(FEATURE_NAMES) + ".",
    )


def check_features(names: Iterable[str] | str) -> tuple[str, ...]:
    """Validate a list of feature names and return them canonical and in order.

    Args:
        names: feature names (see :data:`FEATURE_NAMES`); at least one.

    Returns:
        The canonical names in :data:`FEATURE_NAMES` order, duplicates removed.

    Raises:
        ConfigError: a name is unknown, or no feature is selected.

    Example:
        >>> check_features(["x2^2", "x1²"])
        ('x1^2', 'x2^2')
    """
    if isinstance(names, str):
        names = [names]
    chosen = {canonical_feature(name) for name in names}
    if not chosen:
        raise ConfigError(
            "Expected at least one input feature. Received: features=[] (empty).",
            hint="select at least one feature, e.g. features=['x1', 'x2'].",
        )
    return tuple(name for name in FEATURE_NAMES if name in chosen)


def feature_matrix(x: np.ndarray, names: Iterable[str] | str) -> np.ndarray:
    """Compute the chosen features of 2-D points.

    Args:
        x: points ``(n, 2)``.
        names: feature names (see :func:`check_features`).

    Returns:
        float32 array ``(n, len(names))``, columns in :data:`FEATURE_NAMES` order.

    Raises:
        DataError: ``x`` is not ``(n, 2)``.
        ConfigError: unknown or no feature names.

    Example:
        >>> feature_matrix(np.zeros((5, 2)), ["x1", "sin(x2)"]).shape
        (5, 2)
    """
    from course_lib.playground.datasets import check_points

    points, _ = check_points(x)
    a, b = points[:, 0], points[:, 1]
    columns = [_FUNCTIONS[name](a, b) for name in check_features(names)]
    return np.stack(columns, axis=1).astype(np.float32, copy=False)
