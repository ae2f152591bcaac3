"""Recurrent layers opened up: a SimpleRNN in numpy, hidden states, gradients, parameter counts.

Everything here returns plain numpy data; :mod:`course_lib.views.rnn` draws it.

- :func:`simple_rnn_forward`: the SimpleRNN recurrence written out in numpy; with a
  ``keras.layers.SimpleRNN``'s weights it gives the layer's outputs.
- :func:`hidden_states`: the hidden state after every time step of a recurrent layer
  (``SimpleRNN``, ``LSTM``, ``GRU``) inside a model, for one input sequence.
- :func:`input_gradient_norms`: :math:`\\lVert \\partial L / \\partial x_t \\rVert` for every
  time step :math:`t` (the vanishing-gradient picture).
- :func:`rnn_parameter_count`: the parameter formulas of the three layers.

Example:
    >>> from course_lib.models.rnn import rnn_parameter_count
    >>> rnn_parameter_count("LSTM", input_dim=8, units=16)
    1600
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_lib.errors import ModelError

__all__ = [
    "RECURRENT_LAYERS",
    "GradientNorms",
    "HiddenStates",
    "NotRecurrentError",
    "SequenceInputError",
    "hidden_states",
    "input_gradient_norms",
    "rnn_parameter_count",
    "simple_rnn_forward",
]

RECURRENT_LAYERS = ("SimpleRNN", "LSTM", "GRU")


class NotRecurrentError(ModelError):
    """A tool that reads recurrent states was given a layer that has none."""


class SequenceInputError(ModelError):
    """A sequence, its weights or its tokens have the wrong shape or length."""


# ------------------------------------------------------------------ numpy cell
def _activation(name: str | Any) -> Any:
    functions = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0),
                 "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)), "linear": lambda z: z}
    key = name if isinstance(name, str) else getattr(name, "__name__", str(name))
    if key not in functions:
        raise SequenceInputError(
            f"Expected activation in {tuple(functions)}. Received: activation={name!r}.",
            hint="pass the layer's activation by name, e.g. activation='tanh'.",
        )
    return functions[key]


def simple_rnn_forward(x: Any, kernel: Any, recurrent_kernel: Any, bias: Any | None = None,
                       activation: str = "tanh", h0: Any | None = None,
                       return_sequences: bool = True) -> np.ndarray:
    """Run the SimpleRNN recurrence :math:`h_t = \\tanh(x_t W + h_{t-1} U + b)` in numpy.

    Args:
        x: ``(time, features)`` or ``(batch, time, features)`` inputs.
        kernel: ``W``, ``(features, units)`` (``layer.get_weights()[0]``).
        recurrent_kernel: ``U``, ``(units, units)``.
        bias: ``b``, ``(units,)``; ``None`` for a layer built with ``use_bias=False``.
        activation: ``"tanh"`` (Keras' default), ``"relu"``, ``"sigmoid"`` or ``"linear"``.
        h0: the initial state, ``(units,)`` or ``(batch, units)``; zeros by default.
        return_sequences: all states ``h_1..h_T`` (True) or only ``h_T``.

    Returns:
        ``(batch, time, units)`` (or ``(batch, units)``); without a batch axis in ``x``
        the batch axis is dropped from the result too.

    Raises:
        SequenceInputError: shapes do not fit together.

    Example:
        >>> w, u, b = layer.get_weights()                      # doctest: +SKIP
        >>> np.allclose(simple_rnn_forward(x, w, u, b), layer(x[None]))  # doctest: +SKIP
    """
    x = np.asarray(x, dtype="float64")
    kernel = np.asarray(kernel, dtype="float64")
    recurrent_kernel = np.asarray(recurrent_kernel, dtype="float64")
    given_shape = x.shape
    single = x.ndim == 2
    if single:
        x = x[None]
    if x.ndim != 3 or kernel.ndim != 2 or kernel.shape[0] != x.shape[-1]:
        raise SequenceInputError(
            f"Expected x of shape (time, features) or (batch, time, features) and a kernel of "
            f"shape (features, units). Received: x.shape={given_shape}, "
            f"kernel.shape={kernel.shape}.",
            hint="pass layer.get_weights() in order (kernel, recurrent_kernel, bias).",
        )
    units = kernel.shape[1]
    if recurrent_kernel.shape != (units, units):
        raise SequenceInputError(
            f"Expected recurrent_kernel of shape ({units}, {units}). "
            f"Received: recurrent_kernel.shape={recurrent_kernel.shape}.",
            hint="the second weight of a SimpleRNN is the (units, units) recurrent kernel.",
        )
    b = np.zeros(units) if bias is None else np.asarray(bias, dtype="float64")
    if b.shape != (units,):
        raise SequenceInputError(
            f"Expected bias of shape ({units},). Received: bias.shape={b.shape}.",
            hint="pass the third weight of the layer, or bias=None for use_bias=False.",
        )
    act = _activation(activation)
    h = np.zeros((x.shape[0], units)) if h0 is None else np.broadcast_to(
        np.asarray(h0, dtype="float64"), (x.shape[0], units)).copy()
    states = []
    for t in range(x.shape[1]):
        h = act(x[:, t] @ kernel + h @ recurrent_kernel + b)
        states.append(h)
    out = np.stack(states, axis=1) if return_sequences else h
    return out[0] if single else out


# ------------------------------------------------------------ parameter count
def rnn_parameter_count(kind: str, input_dim: int, units: int, use_bias: bool = True,
                        reset_after: bool = True) -> int:
    """Trainable parameters of a ``SimpleRNN``, ``LSTM`` or ``GRU`` layer.

    With :math:`m` inputs and :math:`u` units each gate has an input kernel
    :math:`m\\times u`, a recurrent kernel :math:`u\\times u` and a bias :math:`u`:
    SimpleRNN :math:`u(m+u+1)`, LSTM (4 gates) :math:`4u(m+u+1)`, GRU (3 gates)
    :math:`3u(m+u+1)` plus :math:`3u` for the second bias of ``reset_after=True``
    (Keras' default, the cuDNN variant).

    Args:
        kind: ``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"`` (case-insensitive).
        input_dim: features per time step :math:`m`.
        units: the layer's units :math:`u`.
        use_bias: whether the layer has biases.
        reset_after: GRU only: Keras' default ``True`` has two bias vectors.

    Returns:
        The count ``layer.count_params()`` reports.

    Raises:
        NotRecurrentError: ``kind`` is not one of the three layers.
    """
    gates = {"simplernn": 1, "lstm": 4, "gru": 3}
    key = str(kind).lower()
    if key not in gates:
        raise NotRecurrentError(
            f"Expected kind in {RECURRENT_LAYERS}. Received: kind={kind!r}.",
            hint="Bidirectional doubles the count of the layer it wraps.",
        )
    if input_dim < 1 or units < 1:
        raise SequenceInputError(
            f"Expected input_dim >= 1 and units >= 1. Received: input_dim={input_dim}, "
            f"units={units}.")
    g = gates[key]
    biases = 0
    if use_bias:
        biases = g * units * (2 if key == "gru" and reset_after else 1)
    return g * units * (input_dim + units) + biases


# ------------------------------------------------------------- hidden states
@dataclass(frozen=True)
class HiddenStates:
    """The hidden state of one recurrent layer after every time step.

    Attributes:
        layer_name: the layer's name in the model.
        layer_type: ``"SimpleRNN"``, ``"LSTM"`` or ``"GRU"``.
        states: ``(time, units)`` array; row ``t`` is :math:`h_t`.
        tokens: one label per time step (words, characters) or ``None``.
        mask: ``(time,)`` booleans, False where the step is padding (the state is carried).
    """

    layer_name: str
    layer_type: str
    states: np.ndarray
    tokens: tuple[str, ...] | None
    mask: np.ndarray | None = None

    @property
    def steps(self) -> int:
        return int(self.states.shape[0])

    @property
    def units(self) -> int:
        return int(self.states.shape[1])


def _recurrent_type(layer: Any) -> str:
    return type(layer).__name__


def _find_recurrent_layer(model: Any, layer: Any) -> Any:
    import keras

    if not isinstance(model, keras.Model):
        raise ModelError(
            f"Expected a keras.Model with a recurrent layer. Received: model of type "
            f"{type(model).__name__}.",
            hint="pass the model itself (e.g. keras.Sequential([..., keras.layers.LSTM(16), "
                 "...])), not its history, a layer or its predictions.",
        )
    if isinstance(layer, keras.layers.Layer):
        found = layer
    elif isinstance(layer, str):
        try:
            found = model.get_layer(layer)
        except ValueError as error:
            names = [x.name for x in model.layers]
            raise NotRecurrentError(
                f"Expected the name of a layer of {model.name!r}. Received: layer={layer!r}.",
                hint=f"the model's layers are {names}.",
            ) from error
    elif isinstance(layer, int):
        found = model.layers[layer]
    elif layer is None:
        candidates = [x for x in model.layers if _recurrent_type(x) in RECURRENT_LAYERS]
        if not candidates:
            kinds = [f"{x.name} ({type(x).__name__})" for x in model.layers]
            raise NotRecurrentError(
                f"Expected a model with a SimpleRNN, LSTM or GRU layer. Received: {model.name!r} "
                f"with layers {kinds}.",
                hint="add e.g. keras.layers.SimpleRNN(16), or pass layer= explicitly.",
            )
        found = candidates[0]
    else:
        raise NotRecurrentError(f"Expected layer as a name, index or Layer. Received: {layer!r}.")
    kind = _recurrent_type(found)
    if kind not in RECURRENT_LAYERS:
        hint = "pick one of the model's SimpleRNN, LSTM or GRU layers"
        if kind == "Bidirectional":
            hint = ("a Bidirectional wrapper runs two layers (layer.forward_layer, "
                    "layer.backward_layer); show the states of a unidirectional copy of the model")
        raise NotRecurrentError(
            f"Expected a recurrent layer (SimpleRNN, LSTM or GRU). Received: layer "
            f"{found.name!r} of type {kind}, which has no hidden state per time step.",
            hint=hint + ".",
        )
    return found


def hidden_states(model: Any, x: Any, layer: Any = None,
                  tokens: Sequence[str] | None = None) -> HiddenStates:
    """The hidden state :math:`h_t` of a recurrent layer after every step, for one input.

    The layer's own weights are copied into an otherwise identical layer with
    ``return_sequences=True``, so the model need not return sequences itself.
    Padding (zeros into an ``Embedding(mask_zero=True)``) is masked as in the
    model: the state is carried over those steps.

    Args:
        model: a built Keras model (Sequential or functional) containing the layer.
        x: one input sequence, ``(time, ...)`` or ``(1, time, ...)``.
        layer: name, index or the layer itself; the first recurrent layer when ``None``.
        tokens: one label per time step, for the picture.

    Returns:
        :class:`HiddenStates` with a ``(time, units)`` array.

    Raises:
        NotRecurrentError: the layer is not SimpleRNN, LSTM or GRU (names it and the fix).
        SequenceInputError: more than one sequence, or tokens of the wrong length.

    Example:
        >>> hs = hidden_states(model, x_val[0], tokens=words)    # doctest: +SKIP
        >>> hs.states.shape                                      # doctest: +SKIP
        (20, 16)
    """
    import keras

    rnn = _find_recurrent_layer(model, layer)
    x = np.asarray(x)
    input_shape = tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None
    if input_shape is not None and x.ndim == len(input_shape) - 1:
        x = x[None]
    if x.ndim < 2 or x.shape[0] != 1:
        raise SequenceInputError(
            f"Expected one sequence, shape (time, ...) or (1, time, ...). "
            f"Received: x.shape={np.shape(x)}.",
            hint="pass x[i] for the i-th sequence of a batch.",
        )
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    feeder = keras.Model(inputs, rnn.input)
    fed = feeder(x, training=False)
    mask = None
    if isinstance(fed, list | tuple):  # a masking layer upstream hands (sequences, mask)
        fed, mask = fed[0], np.asarray(fed[1]).astype(bool)
    layer_input = np.asarray(fed)
    config = rnn.get_config() | {"return_sequences": True, "return_state": False,
                                  "go_backwards": False, "name": rnn.name + "_states"}
    twin = type(rnn).from_config(config)
    twin.build(layer_input.shape)
    twin.set_weights(rnn.get_weights())
    if rnn.get_config().get("go_backwards"):
        layer_input = layer_input[:, ::-1]
        mask = None if mask is None else mask[:, ::-1]
    states = np.asarray(twin(layer_input, mask=mask, training=False))[0]
    if tokens is not None:
        tokens = tuple(str(t) for t in tokens)
        if len(tokens) != states.shape[0]:
            raise SequenceInputError(
                f"Expected one token per time step ({states.shape[0]}). "
                f"Received: {len(tokens)} tokens.",
                hint="pad or cut the token list to the sequence length (padding shows as '').",
            )
    return HiddenStates(rnn.name, _recurrent_type(rnn), states, tokens,
                        None if mask is None else mask[0].copy())


# ------------------------------------------------------------ gradient norms
@dataclass(frozen=True)
class GradientNorms:
    """:math:`\\lVert\\partial L/\\partial x_t\\rVert` per time step, averaged over a batch.

    Attributes:
        label: what model it belongs to (for legends).
        norms: ``(time,)`` mean gradient norm per step.
        loss: the loss value at which the gradient was taken.
    """

    label: str
    norms: np.ndarray
    loss: float

    @property
    def ratio_first_to_last(self) -> float:
        """How much smaller the gradient reaching step 1 is than the one at step T."""
        last = float(self.norms[-1])
        return float(self.norms[0]) / last if last > 0 else float("nan")


def input_gradient_norms(model: Any, x: Any, y: Any, loss: Any = None,
                         label: str | None = None) -> GradientNorms:
    """Gradient norm of the loss with respect to the input at every time step.

    For a batch :math:`x \\in \\mathbb R^{n\\times T\\times m}`, returns
    :math:`\\frac1n\\sum_i \\lVert \\partial L / \\partial x_{i,t} \\rVert_2` for
    :math:`t = 1..T`, computed with ``tf.GradientTape``. In a SimpleRNN the gradient
    reaching early steps shrinks roughly geometrically (vanishing gradients); an LSTM
    carries it much further.

    Args:
        model: a Keras model taking float sequences ``(batch, time, features)``.
        x: the float inputs.
        y: the targets for ``loss``.
        loss: a Keras loss (name or object); the model's compiled loss when ``None``.
        label: name for legends (default: the model's name).

    Returns:
        :class:`GradientNorms`.

    Raises:
        SequenceInputError: ``x`` is not a float ``(batch, time, features)`` array, or
            ``x`` and ``y`` differ in length.
        ModelError: no loss given and the model is not compiled.
    """
    import keras
    import tensorflow as tf

    x = np.asarray(x)
    if x.ndim != 3 or not np.issubdtype(x.dtype, np.floating):
        raise SequenceInputError(
            f"Expected float inputs of shape (batch, time, features). "
            f"Received: x.shape={x.shape}, dtype={x.dtype}.",
            hint="token ids cannot be differentiated: feed embedded or one-hot sequences, "
                 "e.g. x[..., None].astype('float32').",
        )
    y = np.asarray(y)
    if len(y) != len(x):
        raise SequenceInputError(
            f"Expected as many targets as sequences. Received: {len(x)} sequences, "
            f"{len(y)} targets.")
    if loss is None:
        loss = getattr(model, "loss", None)
        if loss is None:
            raise ModelError(
                f"Expected a compiled model or loss=. Received: model {model.name!r} "
                f"without a loss.",
                hint="pass loss='mse' (or any Keras loss) or compile the model first.",
            )
    loss_fn = keras.losses.get(loss)
    xt = tf.convert_to_tensor(x.astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        value = loss_fn(tf.convert_to_tensor(y), model(xt, training=False))
        value = tf.reduce_mean(value)
    grad = tape.gradient(value, xt).numpy()
    norms = np.linalg.norm(grad.reshape(grad.shape[0], grad.shape[1], -1), axis=-1).mean(axis=0)
    return GradientNorms(label or model.name, norms, float(value))
