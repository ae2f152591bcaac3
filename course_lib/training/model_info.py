"""A short, JSON-ready description of a compiled Keras model (duck-typed: no Keras import)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.errors import ModelError


def require_compiled(model: Any, what: str = "This tool") -> None:
    """Raise :class:`~course_lib.errors.ModelError` unless ``model`` is a compiled Keras model.

    Example:
        >>> require_compiled(model)  # doctest: +SKIP
    """
    if model is None:
        raise ModelError(
            f"{what} needs a Keras model. Received: model=None.",
            hint="pass it in model.fit(..., callbacks=[...]) so Keras attaches the model.",
        )
    if not getattr(model, "compiled", False):
        raise ModelError(
            f"{what} needs a compiled model. Received: model {getattr(model, 'name', model)!r} "
            "that was never compiled.",
            hint="call model.compile(optimizer='adam', loss=..., metrics=[...]) before fit.",
        )


def _short(value: Any) -> Any:
    """Strings stay; Keras objects become their registered/class name; configs their name."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        config = value.get("config")
        if isinstance(config, Mapping) and "name" in config:
            return str(config["name"])
        return str(value.get("class_name", value))
    if isinstance(value, (list, tuple)):
        return [_short(v) for v in value]
    return getattr(value, "name", None) or type(value).__name__


def describe_model(model: Any, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Describe a compiled model: layers, parameter counts, optimizer, loss, metrics.

    Args:
        model: a compiled ``keras.Model``.
        params: the ``fit`` parameters Keras gives callbacks (``epochs``, ``steps``).

    Returns:
        A dict of plain JSON values.

    Raises:
        ModelError: the model is missing or not compiled.

    Example:
        >>> describe_model(model)["optimizer"]  # doctest: +SKIP
        'Adam'
    """
    require_compiled(model, "describe_model")
    info: dict[str, Any] = {"name": str(getattr(model, "name", ""))}
    try:
        info["params"] = int(model.count_params())
        info["trainable_params"] = int(
            sum(int(_size(w)) for w in getattr(model, "trainable_weights", []))
        )
    except ValueError:  # an unbuilt subclassed model has no weights yet
        pass
    layers = getattr(model, "layers", [])
    info["layers"] = [{"name": layer.name, "class": type(layer).__name__} for layer in layers]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        info["optimizer"] = type(optimizer).__name__
        try:
            info["learning_rate"] = float(optimizer.learning_rate)
        except (TypeError, ValueError, AttributeError):  # a schedule, not a number
            info["learning_rate"] = type(getattr(optimizer, "learning_rate", None)).__name__
    config = {}
    if hasattr(model, "get_compile_config"):
        config = model.get_compile_config() or {}
    info["loss"] = _short(config.get("loss"))
    info["metrics"] = _short(config.get("metrics")) or []
    if params:
        info["fit"] = {k: params[k] for k in ("epochs", "steps", "batch_size") if k in params}
    return info


def _size(weight: Any) -> int:
    n = 1
    for dim in weight.shape:
        n *= int(dim)
    return n
