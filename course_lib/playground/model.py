"""Real Keras models for the playground, and the state that trains them.

:class:`PlaygroundConfig` holds every knob a student can turn (hidden layers,
activation, optimizer, learning rate, batch size, L1/L2, input features);
:func:`build_model` turns it into a compiled ``keras.Sequential``;
:class:`Playground` keeps data + model + loss history and trains step by step.

Example:
    >>> pg = Playground(PlaygroundConfig(hidden=(4,), activation="tanh"),
    ...                 dataset="circles", noise=0.1)          # doctest: +SKIP
    >>> pg.step(epochs=5)["test_loss"] < pg.history["test_loss"][0]  # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_lib.errors import ConfigError, ModelError
from course_lib.playground._checks import choose, positive_float, positive_int
from course_lib.playground.datasets import PlaygroundData, check_points, load_playground_data
from course_lib.playground.features import check_features, feature_matrix
from course_lib.playground.grid import layer_outputs

ACTIVATIONS: tuple[str, ...] = ("linear", "sigmoid", "tanh", "relu", "selu")
"""Hidden-layer activations the playground offers."""

OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam")
"""Optimizer names; ``momentum``/``nesterov`` are ``keras.optimizers.SGD`` with momentum 0.9."""

MAX_NEURONS = 64


def _check_hidden(hidden: object) -> tuple[int, ...]:
    if isinstance(hidden, int | np.integer) and not isinstance(hidden, bool):
        hidden = (int(hidden),)
    if isinstance(hidden, str) or not isinstance(hidden, Iterable):
        raise ConfigError(
            f"Expected hidden to be a list of neuron counts, one per hidden layer. "
            f"Received: hidden={hidden!r}.",
            hint="use e.g. hidden=(4, 2) for two hidden layers, or hidden=() for none.",
        )
    sizes = tuple(hidden)
    for index, size in enumerate(sizes, start=1):
        ok = isinstance(size, int | np.integer) and not isinstance(size, bool)
        if not ok or not 1 <= int(size) <= MAX_NEURONS:
            raise ConfigError(
                f"Hidden layer {index} needs between 1 and {MAX_NEURONS} neurons. "
                f"Received: hidden={sizes!r} (layer {index} has {size!r}).",
                hint="give every hidden layer at least 1 neuron, or remove the layer.",
            )
    return tuple(int(size) for size in sizes)


@dataclass(frozen=True)
class PlaygroundConfig:
    """Every setting of a playground network, validated on creation.

    Args:
        hidden: neurons per hidden layer, e.g. ``(4, 2)``; ``()`` means no
            hidden layer (logistic regression on the features).
        activation: hidden-layer activation, one of :data:`ACTIVATIONS`.
        learning_rate: optimizer step size, > 0.
        optimizer: one of :data:`OPTIMIZERS`.
        batch_size: examples per gradient step, >= 1.
        l1: L1 penalty on every kernel, >= 0.
        l2: L2 penalty on every kernel, >= 0.
        features: input features (see :data:`~course_lib.playground.features.FEATURE_NAMES`).
        seed: seed for weight initialisation and batch shuffling.

    Raises:
        ConfigError: any value out of range or unknown; the message names it
            and says the fix.

    Example:
        >>> cfg = PlaygroundConfig(hidden=[8, 4], activation="ReLU")
        >>> cfg.hidden, cfg.activation
        ((8, 4), 'relu')
        >>> cfg.replace(learning_rate=0.1).learning_rate
        0.1
    """

    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    optimizer: str = "adam"
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    features: tuple[str, ...] = ("x1", "x2")
    seed: int = 0

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen dataclass: normalise values once, here
        set_(self, "hidden", _check_hidden(self.hidden))
        set_(self, "activation", choose(self.activation, ACTIVATIONS, "activation"))
        set_(self, "learning_rate", positive_float(self.learning_rate, "learning_rate"))
        set_(self, "optimizer", choose(self.optimizer, OPTIMIZERS, "optimizer"))
        set_(self, "batch_size", positive_int(self.batch_size, "batch_size"))
        set_(self, "l1", positive_float(self.l1, "l1", allow_zero=True))
        set_(self, "l2", positive_float(self.l2, "l2", allow_zero=True))
        set_(self, "features", check_features(self.features))
        set_(self, "seed", positive_int(self.seed, "seed", minimum=0))

    def replace(self, **changes: Any) -> PlaygroundConfig:
        """Return a validated copy with some settings changed.

        Raises:
            ConfigError: an unknown setting name or a bad value.
        """
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigError(
                f"Unknown playground setting(s) {unknown}. Expected some of {sorted(names)}.",
                hint="check the spelling of the keyword arguments.",
            )
        return dataclasses.replace(self, **changes)


def _make_optimizer(config: PlaygroundConfig) -> Any:
    import keras

    lr = config.learning_rate
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=lr)
    if config.optimizer == "momentum":
        return keras.optimizers.SGD(learning_rate=lr, momentum=0.9)
    if config.optimizer == "nesterov":
        return keras.optimizers.SGD(learning_rate=lr, momentum=0.9, nesterov=True)
    if config.optimizer == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=lr)
    if config.optimizer == "adagrad":
        return keras.optimizers.Adagrad(learning_rate=lr)
    return keras.optimizers.Adam(learning_rate=lr)


def build_model(config: PlaygroundConfig | None = None) -> Any:
    """Build and compile the Keras network a config describes.

    The network is ``keras.Sequential``: an ``Input`` with one column per
    feature, ``Dense`` hidden layers named ``hidden_1``, ``hidden_2``, ... and a
    one-unit sigmoid ``output`` layer, compiled with binary cross-entropy and
    accuracy. L1/L2 penalties go on every kernel.

    Args:
        config: the settings; defaults to ``PlaygroundConfig()``.

    Returns:
        A compiled ``keras.Sequential``.

    Example:
        >>> model = build_model(PlaygroundConfig(hidden=(3,)))  # doctest: +SKIP
        >>> [layer.name for layer in model.layers]             # doctest: +SKIP
        ['hidden_1', 'output']
    """
    import keras

    config = config or PlaygroundConfig()
    reg = keras.regularizers.L1L2(l1=config.l1, l2=config.l2) if config.l1 or config.l2 else None
    layers: list[Any] = [keras.Input(shape=(len(config.features),), name="features")]
    for index, units in enumerate(config.hidden, start=1):
        layers.append(
            keras.layers.Dense(
                units,
                activation=config.activation,
                kernel_initializer=keras.initializers.GlorotUniform(seed=config.seed + index),
                kernel_regularizer=reg,
                name=f"hidden_{index}",
            )
        )
    layers.append(
        keras.layers.Dense(
            1,
            activation="sigmoid",
            kernel_initializer=keras.initializers.GlorotUniform(seed=config.seed),
            kernel_regularizer=reg,
            name="output",
        )
    )
    model = keras.Sequential(layers, name="playground")
    model.compile(
        optimizer=_make_optimizer(config), loss="binary_crossentropy", metrics=["accuracy"]
    )
    return model


def check_compiled(model: object) -> None:
    """Raise unless ``model`` is a compiled Keras model.

    Raises:
        ModelError: not a ``keras.Model``, or not compiled.

    Example:
        >>> check_compiled(build_model())  # doctest: +SKIP  (passes silently)
    """
    import keras

    if not isinstance(model, keras.Model):
        raise ModelError(
            f"Expected a keras.Model. Received: model of type {type(model).__name__}.",
            hint="build one with build_model(config) or keras.Sequential([...]).",
        )
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ModelError(
            f"The model {model.name!r} is not compiled, so it cannot be trained.",
            hint="call model.compile(optimizer='adam', loss='binary_crossentropy') first.",
        )


def binary_cross_entropy(probs: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of predicted probabilities (the data loss).

    Example:
        >>> round(binary_cross_entropy(np.array([0.5, 0.5]), np.array([0, 1])), 4)
        0.6931
    """
    p = np.clip(np.asarray(probs, dtype=np.float64).reshape(-1), 1e-7, 1 - 1e-7)
    t = np.asarray(y, dtype=np.float64).reshape(-1)
    return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))


@dataclass
class Playground:
    """Data, a compiled Keras model and its train/test loss history.

    Construct it with a config and either ready ``data`` or a dataset name;
    call :meth:`step` to train, :meth:`configure` to change settings (which
    rebuilds the model), :meth:`set_data` to switch datasets and
    :meth:`reset` to start over with fresh weights.

    Args:
        config: network settings (default ``PlaygroundConfig()``).
        data: a :class:`~course_lib.playground.datasets.PlaygroundData`; when
            None, ``load_playground_data(dataset, n, noise, seed=seed)`` is used.
        dataset: dataset name when ``data`` is None.
        noise: dataset noise when ``data`` is None.
        n: number of points when ``data`` is None.
        seed: dataset seed when ``data`` is None.

    Attributes:
        model: the compiled ``keras.Sequential``.
        epoch: epochs trained since the last reset.
        history: ``{"epoch", "train_loss", "test_loss", "train_accuracy",
            "test_accuracy"}`` lists; entry 0 is the untrained model.

    Example:
        >>> pg = Playground(dataset="xor", noise=0.0)   # doctest: +SKIP
        >>> pg.step(epochs=10)                          # doctest: +SKIP
        {'epoch': 10, 'train_loss': ..., 'test_loss': ..., ...}
    """

    config: PlaygroundConfig = field(default_factory=PlaygroundConfig)
    data: PlaygroundData | None = None
    dataset: str = "circles"
    noise: float = 0.1
    n: int = 400
    seed: int = 0
    model: Any = field(init=False, repr=False, default=None)
    epoch: int = field(init=False, default=0)
    history: dict[str, list[float]] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.config, PlaygroundConfig):
            raise ConfigError(
                "Expected config to be a PlaygroundConfig. "
                f"Received: {type(self.config).__name__}.",
                hint="pass PlaygroundConfig(hidden=(4, 2), ...) or leave config out.",
            )
        if self.data is None:
            self.data = load_playground_data(
                self.dataset, n=self.n, noise=self.noise, seed=self.seed
            )
        elif not isinstance(self.data, PlaygroundData):
            raise ConfigError(
                f"Expected data to be PlaygroundData. Received: {type(self.data).__name__}.",
                hint="wrap arrays with course_lib.playground.datasets.custom_data(x, y).",
            )
        self.reset()

    # -- features and prediction ------------------------------------------------
    def features(self, x: np.ndarray) -> np.ndarray:
        """The network's input columns for 2-D points ``x`` (see ``feature_matrix``)."""
        return feature_matrix(x, self.config.features)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """P(class 1) for 2-D points, one forward pass (no ``predict`` overhead).

        Raises:
            DataError: ``x`` is not ``(n, 2)``.

        Example:
            >>> pg.predict_proba([[0.0, 0.0]]).shape   # doctest: +SKIP
            (1,)
        """
        points, _ = check_points(x)
        return layer_outputs(self.model, self.features(points))[-1].reshape(-1)

    # -- state changes ------------------------------------------------------------
    def reset(self) -> None:
        """Rebuild the model with fresh (seeded) weights and clear the history.

        Example:
            >>> pg.step(3); pg.reset(); pg.epoch   # doctest: +SKIP
            0
        """
        self.model = build_model(self.config)
        self._rng = np.random.default_rng(self.config.seed)  # same seed -> same batches
        self._x_train = self.features(self.data.x_train)
        self._x_test = self.features(self.data.x_test)
        self.epoch = 0
        self.history = {
            "epoch": [],
            "train_loss": [],
            "test_loss": [],
            "train_accuracy": [],
            "test_accuracy": [],
        }
        self._record()

    def configure(self, **changes: Any) -> bool:
        """Change settings; the model is rebuilt (and history cleared) if anything changed.

        Args:
            **changes: ``PlaygroundConfig`` fields, e.g. ``activation="relu"``.

        Returns:
            True when the config changed and the model was rebuilt.

        Raises:
            ConfigError: unknown setting or bad value (the old model is kept).

        Example:
            >>> pg.configure(hidden=(8, 8), learning_rate=0.01)   # doctest: +SKIP
            True
        """
        new = self.config.replace(**changes)
        if new == self.config:
            return False
        self.config = new
        self.reset()
        return True

    def set_data(self, data: PlaygroundData) -> None:
        """Switch to other points and start over (fresh weights, empty history)."""
        if not isinstance(data, PlaygroundData):
            raise ConfigError(
                f"Expected PlaygroundData. Received: {type(data).__name__}.",
                hint="make it with load_playground_data(...) or custom_data(x, y).",
            )
        self.data = data
        self.reset()

    def step(self, epochs: int = 1) -> dict[str, float]:
        """Train for some epochs and record the full train/test losses after each.

        Each epoch shuffles the training points and runs Keras'
        ``model.train_on_batch`` on consecutive mini-batches of
        ``config.batch_size`` (the same updates as ``model.fit``, without its
        ~50 ms per-epoch set-up, so "play" stays smooth).

        Args:
            epochs: number of passes over the training points (>= 1).

        Returns:
            The latest history entry: epoch, train/test loss and accuracy.

        Raises:
            ConfigError: ``epochs`` < 1.
            ModelError: the model was replaced by one that is not compiled.

        Example:
            >>> pg.step(epochs=5)["epoch"]   # doctest: +SKIP
            5
        """
        count = positive_int(epochs, "epochs")
        check_compiled(self.model)
        x, y = self._x_train, self.data.y_train.astype(np.float32)
        size = self.config.batch_size
        for _ in range(count):
            order = self._rng.permutation(len(x))
            for start in range(0, len(x), size):
                batch = order[start : start + size]
                self.model.train_on_batch(x[batch], y[batch])
            self._advance()
        return self.latest()

    def _advance(self) -> None:
        self.epoch += 1
        self._record()

    def _record(self) -> None:
        p_train = layer_outputs(self.model, self._x_train)[-1].reshape(-1)
        p_test = layer_outputs(self.model, self._x_test)[-1].reshape(-1)
        y_train, y_test = self.data.y_train, self.data.y_test
        self.history["epoch"].append(self.epoch)
        self.history["train_loss"].append(binary_cross_entropy(p_train, y_train))
        self.history["test_loss"].append(binary_cross_entropy(p_test, y_test))
        self.history["train_accuracy"].append(float(np.mean((p_train > 0.5) == (y_train == 1))))
        self.history["test_accuracy"].append(float(np.mean((p_test > 0.5) == (y_test == 1))))

    def latest(self) -> dict[str, float]:
        """The newest history entry as a dict."""
        return {key: values[-1] for key, values in self.history.items()}

    @property
    def hidden_layers(self) -> Sequence[Any]:
        """The model's hidden ``Dense`` layers, in order."""
        return [layer for layer in self.model.layers if layer.name.startswith("hidden_")]
