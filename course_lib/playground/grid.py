"""Evaluate a playground network on a grid: decision surface and neuron maps.

Each grid is computed with one direct ``model(x, training=False)`` call
(``model.predict`` costs ~0.3 s of set-up per call; a direct call on 10,000
points costs a few milliseconds), so the widget can redraw after every step.

Example:
    >>> from course_lib.playground.model import Playground
    >>> pg = Playground(dataset="circles")                         # doctest: +SKIP
    >>> xx, yy, probs = decision_grid(pg.model, pg.config.features)  # doctest: +SKIP
    >>> probs.shape                                                # doctest: +SKIP
    (100, 100)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from course_lib.errors import ConfigError, ModelError
from course_lib.playground.datasets import BOUNDS
from course_lib.playground.features import check_features, feature_matrix


class DecisionGrid(NamedTuple):
    """A grid of points and the model's P(class 1) on it.

    Attributes:
        xx: x1 coordinates, shape ``(resolution, resolution)``.
        yy: x2 coordinates, same shape.
        probs: probabilities in [0, 1], same shape; row ``i`` is ``x2 = yy[i, 0]``.

    Example:
        >>> xx, yy, probs = decision_grid(pg.model, pg.config.features)  # doctest: +SKIP
    """

    xx: np.ndarray
    yy: np.ndarray
    probs: np.ndarray


def _check_bounds(bounds: object) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in bounds)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        values = ()
    ok = len(values) == 4 and all(math.isfinite(v) for v in values)
    if not ok or values[0] >= values[1] or values[2] >= values[3]:
        raise ConfigError(
            "Expected bounds=(x1_min, x1_max, x2_min, x2_max) with min < max. "
            f"Received: bounds={bounds!r}.",
            hint="use e.g. bounds=(-6, 6, -6, 6), or data.bounds.",
        )
    return values  # type: ignore[return-value]


def _check_resolution(resolution: object) -> int:
    if isinstance(resolution, bool) or not isinstance(resolution, int | np.integer):
        resolution = -1
    if not 2 <= int(resolution) <= 1000:
        raise ConfigError(
            f"Expected resolution to be an integer between 2 and 1000. "
            f"Received: resolution={resolution!r}.",
            hint="use resolution=100 for the decision surface, ~40 for neuron maps.",
        )
    return int(resolution)


def grid_points(
    bounds: Iterable[float] = BOUNDS, resolution: int = 100
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Regular grid over ``bounds``.

    Returns:
        ``(xx, yy, points)`` with ``points`` float32 ``(resolution**2, 2)``.

    Raises:
        ConfigError: bad bounds or resolution.

    Example:
        >>> xx, yy, pts = grid_points((0, 1, 0, 1), resolution=3)
        >>> pts.shape
        (9, 2)
    """
    x0, x1, y0, y1 = _check_bounds(bounds)
    res = _check_resolution(resolution)
    xx, yy = np.meshgrid(
        np.linspace(x0, x1, res, dtype=np.float32), np.linspace(y0, y1, res, dtype=np.float32)
    )
    return xx, yy, np.stack([xx.ravel(), yy.ravel()], axis=1)


def _check_model(model: object, n_features: int) -> Any:
    import keras

    if hasattr(model, "model") and not isinstance(model, keras.Model):
        model = model.model  # a Playground
    if not isinstance(model, keras.Model):
        raise ModelError(
            f"Expected a keras.Model (or a Playground). Received: {type(model).__name__}.",
            hint="pass playground.model, or a model built with build_model(config).",
        )
    shape = model.inputs[0].shape if getattr(model, "inputs", None) else None
    if shape is None or shape[-1] != n_features:
        raise ModelError(
            f"The model expects inputs of shape {None if shape is None else tuple(shape)}, "
            f"but {n_features} feature(s) were given.",
            hint="pass the same features the model was built with (playground.config.features).",
        )
    return model


def decision_grid(
    model: Any,
    features: Iterable[str] = ("x1", "x2"),
    bounds: Iterable[float] = BOUNDS,
    resolution: int = 100,
) -> DecisionGrid:
    """Predict P(class 1) on a ``resolution x resolution`` grid.

    Args:
        model: a Keras model taking the feature columns (or a ``Playground``).
        features: the feature names the model was built with.
        bounds: ``(x1_min, x1_max, x2_min, x2_max)``.
        resolution: grid points per axis (2..1000).

    Returns:
        A :class:`DecisionGrid` ``(xx, yy, probs)``.

    Raises:
        ModelError: not a Keras model, or its input width differs from
            ``len(features)``.
        ConfigError: bad features, bounds or resolution.

    Example:
        >>> grid = decision_grid(pg.model, pg.config.features, resolution=50)  # doctest: +SKIP
        >>> float(grid.probs.min()) >= 0.0                                     # doctest: +SKIP
        True
    """
    names = check_features(features)
    model = _check_model(model, len(names))
    xx, yy, points = grid_points(bounds, resolution)
    probs = np.asarray(model(feature_matrix(points, names), training=False))
    return DecisionGrid(xx, yy, probs.reshape(xx.shape))


def feature_maps(
    features: Iterable[str] = ("x1", "x2"), bounds: Iterable[float] = BOUNDS, resolution: int = 40
) -> np.ndarray:
    """Each input feature evaluated on a grid (the first column of the network picture).

    Returns:
        Array ``(n_features, resolution, resolution)``.

    Example:
        >>> feature_maps(["x1", "x1^2"], resolution=5).shape
        (2, 5, 5)
    """
    names = check_features(features)
    xx, _, points = grid_points(bounds, resolution)
    return feature_matrix(points, names).T.reshape(len(names), *xx.shape)


def neuron_activation_maps(
    model: Any,
    features: Iterable[str] = ("x1", "x2"),
    bounds: Iterable[float] = BOUNDS,
    resolution: int = 40,
) -> list[np.ndarray]:
    """What every hidden neuron computes, as a function of the input point.

    The grid is pushed through the model's layers one at a time, so one pass
    gives every layer's activations.

    Args:
        model: a ``keras.Sequential`` playground model (or a ``Playground``).
        features: the feature names the model was built with.
        bounds: ``(x1_min, x1_max, x2_min, x2_max)``.
        resolution: grid points per axis.

    Returns:
        One array per hidden layer, shaped ``(units, resolution, resolution)``
        (the output layer is not included; see :func:`decision_grid`).

    Raises:
        ModelError, ConfigError: as :func:`decision_grid`.

    Example:
        >>> maps = neuron_activation_maps(pg.model, pg.config.features)  # doctest: +SKIP
        >>> [m.shape for m in maps]                                      # doctest: +SKIP
        [(4, 40, 40), (2, 40, 40)]
    """
    names = check_features(features)
    model = _check_model(model, len(names))
    xx, _, points = grid_points(bounds, resolution)
    activations = feature_matrix(points, names)
    maps: list[np.ndarray] = []
    for layer in model.layers[:-1]:
        activations = layer(activations, training=False)
        values = np.asarray(activations)
        maps.append(values.T.reshape(values.shape[1], *xx.shape))
    return maps
