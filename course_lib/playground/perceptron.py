"""The single-neuron perceptron and its classic learning rule, on logic gates.

Rosenblatt's rule updates the weights only on mistakes::

    y_hat = 1 if w . x + b > 0 else 0
    w    += lr * (y - y_hat) * x
    b    += lr * (y - y_hat)

It finds a separating line for AND and OR; for XOR none exists, so the errors
never reach zero. One hidden layer (:func:`solve_xor_with_hidden_layer`) fixes it.

Example:
    >>> run = perceptron_on_gate("and", epochs=10)
    >>> run.converged, int(run.errors[-1])
    (True, 0)
    >>> perceptron_on_gate("xor", epochs=50).converged
    False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from course_lib.playground._checks import choose, positive_float, positive_int
from course_lib.playground.datasets import check_points

GATES: tuple[str, ...] = ("and", "or", "xor")
"""Truth tables available to :func:`truth_table`."""

_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
_OUTPUTS = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0]}


def truth_table(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs and outputs of a two-input logic gate.

    Args:
        gate: ``"and"``, ``"or"`` or ``"xor"``.

    Returns:
        ``(x, y)``: float32 ``(4, 2)`` inputs and int32 ``(4,)`` outputs.

    Raises:
        ConfigError: unknown gate (with a suggestion).

    Example:
        >>> truth_table("xor")[1].tolist()
        [0, 1, 1, 0]
    """
    key = choose(gate, GATES, "gate")
    return _INPUTS.copy(), np.array(_OUTPUTS[key], dtype=np.int32)


@dataclass(frozen=True)
class PerceptronRun:
    """Everything a perceptron training run did.

    Attributes:
        weights: ``(updates + 1, 2)`` weights before training and after each
            example (one row per example seen, whether or not it changed).
        biases: ``(updates + 1,)`` biases, aligned with ``weights``.
        errors: ``(epochs,)`` mistakes made during each pass over the data.
        learning_rate: the step size used.
        x: the training inputs.
        y: the training targets.
        gate: the gate name, or ``"custom"``.

    Example:
        >>> run = perceptron_on_gate("or", epochs=5)
        >>> run.weights.shape, run.errors.shape
        ((21, 2), (5,))
    """

    weights: np.ndarray
    biases: np.ndarray
    errors: np.ndarray
    learning_rate: float
    x: np.ndarray
    y: np.ndarray
    gate: str = "custom"

    @property
    def converged(self) -> bool:
        """True when the last epoch made no mistakes."""
        return bool(self.errors[-1] == 0)

    @property
    def epochs_to_converge(self) -> int | None:
        """Number of epochs until the first mistake-free epoch, or None."""
        zero = np.flatnonzero(self.errors == 0)
        return int(zero[0]) + 1 if zero.size else None

    def predict(self, x: Any, step: int = -1) -> np.ndarray:
        """Predicted 0/1 outputs with the weights after ``step`` updates (default: final)."""
        points, _ = check_points(x)
        return (points @ self.weights[step] + self.biases[step] > 0).astype(np.int32)


def train_perceptron(
    x: Any,
    y: Any,
    learning_rate: float = 0.1,
    epochs: int = 20,
    seed: int | None = None,
    gate: str = "custom",
) -> PerceptronRun:
    """Train one threshold neuron with the perceptron learning rule.

    Args:
        x: inputs ``(n, 2)``.
        y: targets ``(n,)`` in {0, 1}.
        learning_rate: step size > 0.
        epochs: passes over the data (>= 1); examples are visited in order.
        seed: None starts from zero weights; an int starts from small random
            weights drawn with that seed.
        gate: a name stored in the result for titles.

    Returns:
        A :class:`PerceptronRun` with the weight history and per-epoch errors.

    Raises:
        DataError: ``x``/``y`` have the wrong shapes or labels.
        ConfigError: ``learning_rate`` <= 0 or ``epochs`` < 1.

    Example:
        >>> x, y = truth_table("or")
        >>> train_perceptron(x, y, epochs=10).predict(x).tolist()
        [0, 1, 1, 1]
    """
    points, targets = check_points(x, y)
    lr = positive_float(learning_rate, "learning_rate")
    count = positive_int(epochs, "epochs")
    if seed is None:
        w, b = np.zeros(2), 0.0
    else:
        rng = np.random.default_rng(seed)
        w, b = rng.normal(0.0, 0.5, 2), float(rng.normal(0.0, 0.5))
    weights, biases, errors = [w.copy()], [b], []
    for _ in range(count):
        mistakes = 0
        for xi, target in zip(points.astype(np.float64), targets, strict=True):
            y_hat = 1 if xi @ w + b > 0 else 0
            delta = lr * (target - y_hat)
            w = w + delta * xi
            b = b + delta
            mistakes += int(y_hat != target)
            weights.append(w.copy())
            biases.append(b)
        errors.append(mistakes)
    return PerceptronRun(
        weights=np.array(weights),
        biases=np.array(biases),
        errors=np.array(errors, dtype=np.int64),
        learning_rate=lr,
        x=points,
        y=targets,
        gate=gate,
    )


def perceptron_on_gate(gate: str, learning_rate: float = 0.1, epochs: int = 20) -> PerceptronRun:
    """Train a perceptron on a logic gate's truth table (zero initial weights).

    Example:
        >>> perceptron_on_gate("or").converged
        True
    """
    x, y = truth_table(gate)
    return train_perceptron(x, y, learning_rate, epochs, gate=gate.strip().lower())


@dataclass(frozen=True)
class XorSolution:
    """A Keras network with one hidden layer trained on XOR.

    Attributes:
        model: the trained ``keras.Sequential``.
        probabilities: P(1) for the four inputs ``(0,0), (0,1), (1,0), (1,1)``.
        predictions: 0/1 predictions for the four inputs.
        accuracy: fraction of the four rows predicted correctly.
        loss: per-epoch training loss returned by ``model.train_on_batch``.

    Example:
        >>> solve_xor_with_hidden_layer().accuracy   # doctest: +SKIP
        1.0
    """

    model: Any
    probabilities: np.ndarray
    predictions: np.ndarray
    accuracy: float
    loss: list[float]


def solve_xor_with_hidden_layer(
    hidden_units: int = 4, epochs: int = 300, learning_rate: float = 0.1, seed: int = 0
) -> XorSolution:
    """Show that one hidden layer solves XOR, with a real Keras network.

    Args:
        hidden_units: neurons in the hidden (tanh) layer; 2 is the minimum
            that can work, 4 trains reliably.
        epochs: full-batch training epochs.
        learning_rate: Adam step size.
        seed: seed for weights.

    Returns:
        An :class:`XorSolution`.

    Raises:
        ConfigError: non-positive sizes or rates.

    Example:
        >>> solve_xor_with_hidden_layer().predictions.tolist()   # doctest: +SKIP
        [0, 1, 1, 0]
    """
    import keras

    units = positive_int(hidden_units, "hidden_units")
    count = positive_int(epochs, "epochs")
    lr = positive_float(learning_rate, "learning_rate")
    start = positive_int(seed, "seed", minimum=0)
    model = keras.Sequential(
        [
            keras.Input(shape=(2,), name="inputs"),
            keras.layers.Dense(
                units,
                activation="tanh",
                kernel_initializer=keras.initializers.GlorotUniform(seed=start),
                name="hidden",
            ),
            keras.layers.Dense(
                1,
                activation="sigmoid",
                kernel_initializer=keras.initializers.GlorotUniform(seed=start + 1),
                name="output",
            ),
        ],
        name="xor_net",
    )
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="binary_crossentropy")
    x, y = truth_table("xor")
    # full-batch epochs via train_on_batch: same updates as fit(batch_size=4), ~40x less overhead
    loss = [float(model.train_on_batch(x, y.astype(np.float32))) for _ in range(count)]
    probs = np.asarray(model(x, training=False)).reshape(-1)
    predictions = (probs > 0.5).astype(np.int32)
    return XorSolution(
        model=model,
        probabilities=probs,
        predictions=predictions,
        accuracy=float(np.mean(predictions == y)),
        loss=loss,
    )
