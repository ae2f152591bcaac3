"""The one place that touches Keras internals (private APIs), each behind a small function.

Keras 3 has no public way yet to walk a functional graph (which layer feeds which),
to find the call that produced a tensor, or to ask for its cache directory. The
course needs these for model diagrams (:mod:`course_lib.models.diagram`), attention
probes (:mod:`course_lib.models.attention`) and the data cache (:mod:`course_lib.config`).
Everything private is used here and nowhere else, and ``tests/views/test_keras_compat.py``
exercises every function on real models, so a Keras upgrade that breaks one fails
loudly there, naming the function to fix.

Checked with Keras 3.x (see ``constraints.txt`` for the pinned version).
"""

from __future__ import annotations

from typing import Any


def keras_home() -> str:
    """Keras' cache directory as Keras itself resolved it (``$KERAS_HOME`` or ``~/.keras``).

    Private: ``keras.src.backend.config.keras_home`` (no public accessor in Keras 3).
    """
    from keras.src.backend import config as keras_config

    return keras_config.keras_home()


def is_functional(model: Any) -> bool:
    """True for a functional model (a graph of layer calls), incl. built Sequential's inner one."""
    import keras

    return isinstance(model, keras.Model) and hasattr(model, "_nodes_by_depth")


def functional_of(model: Any) -> Any | None:
    """The functional graph behind ``model``, or ``None`` (subclassed, unbuilt Sequential).

    Private: ``Sequential._functional``.
    """
    import keras

    if isinstance(model, keras.Sequential):
        return getattr(model, "_functional", None)
    return model if is_functional(model) else None


def graph_nodes(functional: Any) -> list[Any]:
    """Every call node of a functional graph, inputs first (deepest depth first).

    Each node has ``.operation`` (the layer), ``.input_tensors``, ``.outputs`` and
    ``.is_input`` (public attributes of ``keras.src.ops.node.Node``).

    Private: ``Functional._nodes_by_depth``.
    """
    by_depth = functional._nodes_by_depth
    return [node for depth in sorted(by_depth, reverse=True) for node in by_depth[depth]]


def tensor_origin(tensor: Any) -> tuple[Any, int]:
    """``(operation, output index)`` of the call that produced a symbolic tensor.

    Private: ``KerasTensor._keras_history``.
    """
    history = tensor._keras_history
    return history.operation, history.tensor_index


def call_nodes(layer: Any) -> list[Any]:
    """The nodes of every call of ``layer`` on symbolic inputs, oldest first (may be empty).

    Private: ``Layer._inbound_nodes``.
    """
    return list(getattr(layer, "_inbound_nodes", None) or [])


def call_arguments(node: Any) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments a layer was called with, at this node.

    ``node.arguments`` is a ``keras.src.ops.symbolic_arguments.SymbolicArguments``.
    """
    return list(node.arguments.args), dict(node.arguments.kwargs)
