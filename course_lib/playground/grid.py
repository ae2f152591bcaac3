"""Evaluate a playground network on a grid: decision surface and neuron maps.

Each grid is one forward pass: a playground network (a stack of ``Dense``
layers) is evaluated with NumPy from its current weights (:func:`layer_outputs`;
``model.predict`` costs ~0.3 s of set-up per call, a direct model call a few
milliseconds per layer), so the widget can redraw after every step.

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

from course_lib.errors import ConfigError, ModelError, PlaygroundError
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


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _np_activation(name: str, x: np.ndarray) -> np.ndarray:
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":  # the tanh form never overflows
        return 0.5 * (1.0 + np.tanh(0.5 * x))
    # selu
    return _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


_NP_ACTIVATIONS = frozenset({"linear", "relu", "tanh", "sigmoid", "selu"})


def _dense_stack(model: Any) -> list[tuple[np.ndarray, np.ndarray, str]] | None:
    """``(kernel, bias, activation)`` per layer when ``model`` is a plain stack of Dense
    layers with activations numpy can evaluate exactly; else None."""
    import keras

    stack = []
    for layer in model.layers:
        name = getattr(getattr(layer, "activation", None), "__name__", "")
        if (type(layer) is not keras.layers.Dense or name not in _NP_ACTIVATIONS
                or not layer.use_bias or getattr(layer, "lora_enabled", False)
                or getattr(layer, "quantization_mode", None)):
            return None
        stack.append((np.asarray(layer.kernel), np.asarray(layer.bias), name))
    return stack or None


def layer_outputs(model: Any, x: np.ndarray) -> list[np.ndarray]:
    """Every layer's output for inputs ``x``, as NumPy arrays (one forward pass).

    A playground network (a stack of ``Dense`` layers) is evaluated with NumPy
    from the layers' current weights: the same float32 arithmetic as the
    model's own call, without TensorFlow's per-call dispatch (about 1 ms
    instead of 5-10 ms per layer on small grids), which keeps the widget's
    redraws within their budget. Any other model goes through its layers.

    Args:
        model: a ``keras.Sequential`` (or a model whose ``layers`` run in order).
        x: input rows, shape ``(n, n_features)``.

    Returns:
        One ``(n, units)`` array per layer, the last one the model's output.

    Example:
        >>> outs = layer_outputs(pg.model, pg.features(points))  # doctest: +SKIP
        >>> outs[-1].shape                                       # doctest: +SKIP
        (10000, 1)
    """
    stack = _dense_stack(model)
    values = np.asarray(x, dtype=np.float32)
    outputs: list[np.ndarray] = []
    if stack is None:
        activations: Any = values
        for layer in model.layers:
            activations = layer(activations, training=False)
            outputs.append(np.asarray(activations))
        return outputs
    for kernel, bias, name in stack:
        values = _np_activation(name, values @ kernel + bias).astype(np.float32, copy=False)
        outputs.append(values)
    return outputs


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
        PlaygroundError: the model has more than one output unit (e.g. a softmax).
        ConfigError: bad features, bounds or resolution.

    Example:
        >>> grid = decision_grid(pg.model, pg.config.features, resolution=50)  # doctest: +SKIP
        >>> float(grid.probs.min()) >= 0.0                                     # doctest: +SKIP
        True
    """
    names = check_features(features)
    model = _check_model(model, len(names))
    width = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
    if width != 1:
        raise PlaygroundError(
            "Expected a model with one output unit, P(class 1) (sigmoid). "
            f"Received: an output of width {width} ({model.layers[-1].name}).",
            hint="end the model with Dense(1, activation='sigmoid'); for a 2-unit softmax "
                 "use Dense(1, 'sigmoid') and binary_crossentropy instead.",
        )
    xx, yy, points = grid_points(bounds, resolution)
    probs = layer_outputs(model, feature_matrix(points, names))[-1]
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
    outputs = layer_outputs(model, feature_matrix(points, names))[:-1]
    return [values.T.reshape(values.shape[1], *xx.shape) for values in outputs]
