"""The Keras internals the course relies on, exercised on real models.

If one of these fails after a Keras upgrade, the private API behind that function in
``course_lib/keras_compat.py`` changed: fix it there (nowhere else touches it).
"""

from __future__ import annotations

import os

import pytest

from course_lib import keras_compat

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models():
    import keras

    inputs = keras.Input((4,), name="x")
    hidden = keras.layers.Dense(3, name="hidden")(inputs)
    functional = keras.Model(inputs, keras.layers.Dense(1, name="out")(hidden), name="f")
    sequential = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
    tokens = keras.Input((5, 8))
    mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    attention = keras.Model(tokens, mha(tokens, tokens))
    return functional, sequential, attention, mha


def _explain(function: str) -> str:
    import keras

    return (f"keras {keras.__version__} changed what keras_compat.{function} relies on; "
            "update course_lib/keras_compat.py")


def test_keras_home_is_an_absolute_directory():
    import keras  # noqa: F401  (keras_home reads the value Keras froze at import)

    home = keras_compat.keras_home()
    assert isinstance(home, str) and os.path.isabs(os.path.expanduser(home)), _explain(
        "keras_home")


def test_functional_graph_walk(models):
    functional, sequential, _, _ = models
    assert keras_compat.is_functional(functional), _explain("is_functional")
    assert keras_compat.functional_of(functional) is functional, _explain("functional_of")
    inner = keras_compat.functional_of(sequential)
    assert inner is not None and keras_compat.is_functional(inner), _explain("functional_of")
    nodes = keras_compat.graph_nodes(functional)
    names = [node.operation.name for node in nodes]
    assert names == ["x", "hidden", "out"], _explain("graph_nodes")
    assert nodes[0].is_input and not nodes[1].is_input, _explain("graph_nodes")
    operation, index = keras_compat.tensor_origin(nodes[2].input_tensors[0])
    assert operation.name == "hidden" and index == 0, _explain("tensor_origin")
    assert list(nodes[2].outputs[0].shape) == [None, 1], _explain("graph_nodes")


def test_call_nodes_and_their_arguments(models):
    _, _, attention, mha = models
    calls = keras_compat.call_nodes(mha)
    assert len(calls) == 1, _explain("call_nodes")
    args, kwargs = keras_compat.call_arguments(calls[-1])
    tensors = [a for a in args if a is not None] + [v for v in kwargs.values() if v is not None]
    assert tensors and all(tuple(t.shape) == (None, 5, 8) for t in tensors[:2]), (
        _explain("call_arguments"))
    assert keras_compat.tensor_origin(tensors[0])[0] is attention.layers[0], _explain(
        "tensor_origin")
