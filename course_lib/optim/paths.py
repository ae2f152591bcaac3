"""Optimizer paths on 2-D loss surfaces, computed by the real ``keras.optimizers``.

The two coordinates ``(x, y)`` live in one ``keras.Variable`` of shape ``(2,)``.
Each step evaluates the surface on that variable under ``tf.GradientTape``,
takes the gradient and hands it to a genuine Keras optimizer with
``optimizer.apply_gradients`` -- exactly what ``model.fit`` does with a
network's weights, only with two weights we can draw.

Example:
    >>> path = optimizer_path("rosenbrock", "adam", learning_rate=0.1, steps=50)
    >>> bool(path.losses[-1] < path.losses[0])
    True
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from course_lib.optim.errors import OptimError, UnknownOptimizerError, did_you_mean
from course_lib.optim.surfaces import Surface, get_surface

#: name -> (Keras optimizer class name, preset arguments, display name)
OPTIMIZERS: dict[str, tuple[str, dict[str, Any], str]] = {
    "sgd": ("SGD", {}, "SGD"),
    "momentum": ("SGD", {"momentum": 0.9}, "SGD + momentum"),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}, "Nesterov"),
    "adagrad": ("Adagrad", {}, "Adagrad"),
    "adadelta": ("Adadelta", {}, "Adadelta"),
    "rmsprop": ("RMSprop", {}, "RMSprop"),
    "adam": ("Adam", {}, "Adam"),
    "adamw": ("AdamW", {}, "AdamW"),
}

#: A path stops as "diverged" when the loss gap to the minimum grows this many times
#: above its starting size (or above 1, whichever is larger).
DIVERGENCE_FACTOR = 1e4
MAX_STEPS = 100_000
#: paths longer than this run their update step as a compiled ``tf.function``
COMPILE_ABOVE_STEPS = 25


def optimizer_names() -> list[str]:
    """Names accepted by :func:`optimizer_path`.

    Example:
        >>> optimizer_names()[:3]
        ['sgd', 'momentum', 'nesterov']
    """
    return list(OPTIMIZERS)


@dataclass
class OptimizerPath:
    """The points one optimizer visited on one surface.

    Attributes:
        surface: the :class:`~course_lib.optim.surfaces.Surface` walked on.
        optimizer: the optimizer name (a key of :data:`OPTIMIZERS`).
        learning_rate: the learning rate used.
        settings: every other argument given to the Keras optimizer (presets included).
        points: array ``(steps_taken + 1, 2)``; row 0 is the start.
        losses: array ``(steps_taken + 1,)``: the loss at each point.
        gradients: array ``(steps_taken, 2)``: the gradient used at each step.
        steps_requested: how many steps were asked for.
        diverged: True when the path was stopped because the loss blew up.
        stop_reason: why it stopped early, or ``None``.

    Example:
        >>> p = optimizer_path("bowl", "sgd", learning_rate=0.1, steps=10)
        >>> p.points.shape, p.diverged
        ((11, 2), False)
    """

    surface: Surface
    optimizer: str
    learning_rate: float
    settings: dict[str, Any]
    points: np.ndarray
    losses: np.ndarray
    gradients: np.ndarray
    steps_requested: int
    diverged: bool = False
    stop_reason: str | None = None
    keras_class: str = field(default="")

    @property
    def steps_taken(self) -> int:
        """Number of optimizer updates actually applied."""
        return len(self.points) - 1

    @property
    def start(self) -> tuple[float, float]:
        """The start point."""
        return float(self.points[0, 0]), float(self.points[0, 1])

    @property
    def final_point(self) -> tuple[float, float]:
        """The last point reached."""
        return float(self.points[-1, 0]), float(self.points[-1, 1])

    @property
    def final_loss(self) -> float:
        """The loss at the last point."""
        return float(self.losses[-1])

    @property
    def label(self) -> str:
        """A legend label such as ``"Adam (lr=0.1)"``, with "diverged" when it did."""
        name = OPTIMIZERS[self.optimizer][2]
        text = f"{name} (lr={self.learning_rate:.3g})"
        return f"{text}, diverged" if self.diverged else text

    def gap(self) -> np.ndarray:
        """Loss minus the surface's best value at every point (0 = at a minimum)."""
        return self.losses - self.surface.min_value

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary (surface by name, arrays as lists).

        Example:
            >>> optimizer_path("bowl", "sgd", learning_rate=0.1, steps=2).to_dict()["steps_taken"]
            2
        """
        return {
            "surface": self.surface.name,
            "optimizer": self.optimizer,
            "keras_class": self.keras_class,
            "learning_rate": self.learning_rate,
            "settings": dict(self.settings),
            "points": self.points.tolist(),
            "losses": self.losses.tolist(),
            "steps_requested": self.steps_requested,
            "steps_taken": self.steps_taken,
            "diverged": self.diverged,
            "stop_reason": self.stop_reason,
        }


def check_steps(steps: Any) -> int:
    """Validate a step count (a positive integer up to 100,000).

    Raises:
        OptimError: ``steps`` is not a positive integer.

    Example:
        >>> check_steps(50)
        50
    """
    if (
        isinstance(steps, bool)
        or not isinstance(steps, int | np.integer)
        or not (0 < int(steps) <= MAX_STEPS)
    ):
        raise OptimError(
            f"Expected steps to be a whole number from 1 to {MAX_STEPS}. Received: steps={steps!r}",
            hint="Pass e.g. steps=100.",
        )
    return int(steps)


def check_learning_rate(learning_rate: Any) -> float:
    """Validate a learning rate (a finite number > 0).

    Raises:
        OptimError: it is not a positive finite number.

    Example:
        >>> check_learning_rate("0.1")
        0.1
    """
    try:
        value = float(learning_rate)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(learning_rate, bool) or not math.isfinite(value) or value <= 0:
        raise OptimError(
            "Expected learning_rate to be a positive number. "
            f"Received: learning_rate={learning_rate!r}",
            hint="Use a small positive value such as learning_rate=0.01; "
            "a gradient step goes *against* the gradient by itself.",
        )
    return value


def check_point(point: Any, name: str = "start") -> np.ndarray:
    """Validate a 2-D point and return it as a float array of shape ``(2,)``.

    Raises:
        OptimError: it is not two finite numbers.

    Example:
        >>> check_point([1, 2]).tolist()
        [1.0, 2.0]
    """
    try:
        arr = np.asarray(point, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (2,) or not np.all(np.isfinite(arr)):
        shape = None if arr is None else arr.shape
        raise OptimError(
            f"Expected {name} to be two finite numbers (x, y), shape (2,). "
            f"Received: {name}={point!r} (shape {shape})",
            hint=f"Pass e.g. {name}=(-1.5, 2.0).",
        )
    return arr


def make_optimizer(name: str, learning_rate: float, **kwargs: Any) -> Any:
    """Build a fresh ``keras.optimizers`` instance for an optimizer name.

    Args:
        name: one of :func:`optimizer_names`.
        learning_rate: the learning rate.
        **kwargs: more arguments for the Keras class (``momentum=0.5``, ``beta_1=0.8``, ...);
            they override the presets (``"momentum"`` presets ``momentum=0.9``).

    Returns:
        A new, unbuilt Keras optimizer.

    Raises:
        UnknownOptimizerError: unknown name or argument (with suggestions).
        OptimError: Keras rejects a value (e.g. a negative momentum).

    Example:
        >>> make_optimizer("nesterov", 0.01).nesterov
        True
    """
    import keras

    key = str(name).strip().lower()
    if key not in OPTIMIZERS:
        raise UnknownOptimizerError(
            f"Expected an optimizer name in {optimizer_names()}. Received: optimizer={name!r}",
            hint=f"{did_you_mean(key, OPTIMIZERS)}Use one of {', '.join(optimizer_names())}.",
        )
    class_name, presets, _ = OPTIMIZERS[key]
    cls = getattr(keras.optimizers, class_name)
    allowed = [p for p in inspect.signature(cls).parameters if p not in ("kwargs", "learning_rate")]
    for arg in kwargs:
        if arg not in allowed:
            raise UnknownOptimizerError(
                f"keras.optimizers.{class_name} (used for {key!r}) has no argument {arg!r}. "
                f"Received: {arg}={kwargs[arg]!r}",
                hint=f"{did_you_mean(arg, allowed)}Its arguments are: {', '.join(allowed)}.",
            )
    settings = {**presets, **kwargs}
    try:
        return cls(learning_rate=learning_rate, **settings)
    except (TypeError, ValueError) as exc:
        raise OptimError(
            f"keras.optimizers.{class_name} rejected the settings {settings!r}: {exc}",
            hint="Check the value named in the Keras message (e.g. momentum must be >= 0).",
        ) from exc


def optimizer_path(
    surface: str | Surface,
    optimizer: str = "adam",
    learning_rate: float | None = None,
    start: Sequence[float] | None = None,
    steps: int = 100,
    **optimizer_kwargs: Any,
) -> OptimizerPath:
    """Run a real Keras optimizer on a 2-D surface and record where it goes.

    Args:
        surface: a surface name (see :func:`~course_lib.optim.surfaces.surface_names`) or
            a :class:`~course_lib.optim.surfaces.Surface`.
        optimizer: one of :func:`optimizer_names`.
        learning_rate: step size; ``None`` uses the surface's suggested rate for this
            optimizer.
        start: the start point ``(x, y)``; ``None`` uses the surface's default start.
        steps: how many updates to apply (stops early if the loss blows up).
        **optimizer_kwargs: passed to the Keras optimizer (``momentum=0.5``, ...).

    Returns:
        An :class:`OptimizerPath`; ``diverged`` is True when it was stopped because
        the loss became NaN/inf or grew :data:`DIVERGENCE_FACTOR` times larger.

    Raises:
        UnknownSurfaceError: unknown surface name.
        UnknownOptimizerError: unknown optimizer name or argument.
        OptimError: bad ``start``, ``steps`` or ``learning_rate``.

    Example:
        >>> path = optimizer_path("himmelblau", "momentum", learning_rate=0.003,
        ...                       start=(0.0, 0.0), steps=100)
        >>> path.surface.nearest_minimum(path.final_point)[0]
        (3.584428, -1.848126)
    """
    surf = get_surface(surface)
    key = str(optimizer).strip().lower()
    steps = check_steps(steps)
    if learning_rate is None:
        learning_rate = surf.learning_rates.get(key, 0.01)
    learning_rate = check_learning_rate(learning_rate)
    start_arr = check_point(surf.default_start if start is None else start)
    opt = make_optimizer(key, learning_rate, **optimizer_kwargs)

    import keras
    import tensorflow as tf

    variable = keras.Variable(start_arr, dtype="float64", name="xy")
    function = surf.function

    def update() -> Any:
        with tf.GradientTape() as tape:
            loss = function(variable[0], variable[1])
        grad = tape.gradient(loss, variable)
        opt.apply_gradients([(grad, variable)])
        return grad

    if steps > COMPILE_ABOVE_STEPS:
        # tracing costs ~0.15 s once, then a step is ~5x cheaper than eager mode
        update = tf.function(update, autograph=False)  # plain tensor code: nothing to convert

    points = [start_arr.copy()]
    gradients: list[np.ndarray] = []
    with np.errstate(over="ignore", invalid="ignore"):
        loss0 = float(surf.value(*start_arr))
        limit = DIVERGENCE_FACTOR * max(loss0 - surf.min_value, 1.0)
        diverged, reason = False, None
        for step in range(1, steps + 1):
            grad = update()
            gradients.append(np.asarray(grad, dtype=float))
            point = np.asarray(variable.numpy(), dtype=float)
            if not np.all(np.isfinite(point)):
                diverged, reason = True, f"the point became {point.tolist()} at step {step}"
                gradients.pop()
                break
            points.append(point)
            loss = float(surf.value(*point))
            if not math.isfinite(loss) or loss - surf.min_value > limit:
                diverged = True
                reason = (
                    f"the loss reached {loss:.3g} at step {step} "
                    f"(started at {loss0:.3g}): learning rate too large"
                )
                break
        point_arr = np.asarray(points)
        losses = np.asarray(surf.value(point_arr[:, 0], point_arr[:, 1]), dtype=float)
    return OptimizerPath(
        surface=surf,
        optimizer=key,
        learning_rate=learning_rate,
        settings={**OPTIMIZERS[key][1], **optimizer_kwargs},
        points=point_arr,
        losses=losses,
        gradients=np.asarray(gradients, dtype=float).reshape(-1, 2),
        steps_requested=steps,
        diverged=diverged,
        stop_reason=reason,
        keras_class=type(opt).__name__,
    )


def compare_optimizers(
    surface: str | Surface,
    optimizers: Iterable[str] | None = None,
    learning_rates: float | Mapping[str, float] | None = None,
    start: Sequence[float] | None = None,
    steps: int = 100,
    optimizer_kwargs: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, OptimizerPath]:
    """Run several optimizers from the same start on the same surface.

    Args:
        surface: surface name or :class:`~course_lib.optim.surfaces.Surface`.
        optimizers: names to run; ``None`` runs all of :func:`optimizer_names`.
        learning_rates: one rate for all, a ``{name: rate}`` mapping, or ``None`` for the
            surface's suggested rate per optimizer (missing names also use it).
        start: common start point; ``None`` uses the surface's default start.
        steps: updates per optimizer.
        optimizer_kwargs: extra Keras arguments per name, e.g. ``{"momentum": {"momentum": 0.5}}``.

    Returns:
        ``{name: OptimizerPath}`` in the order given.

    Raises:
        UnknownOptimizerError: a name is unknown, or ``optimizers`` is empty.
        OptimError: see :func:`optimizer_path`.

    Example:
        >>> paths = compare_optimizers("bowl", ["sgd", "momentum", "adam"], steps=50)
        >>> sorted(paths)
        ['adam', 'momentum', 'sgd']
    """
    names = optimizer_names() if optimizers is None else [str(n).lower() for n in optimizers]
    if isinstance(optimizers, str):
        names = [optimizers.lower()]
    if not names:
        raise UnknownOptimizerError(
            "Expected at least one optimizer name. Received: optimizers=[]",
            hint=f"Pass some of {', '.join(optimizer_names())}, or None for all.",
        )
    extra = optimizer_kwargs or {}
    paths: dict[str, OptimizerPath] = {}
    for name in names:
        rate = learning_rates.get(name) if isinstance(learning_rates, Mapping) else learning_rates
        paths[name] = optimizer_path(
            surface, name, learning_rate=rate, start=start, steps=steps, **dict(extra.get(name, {}))
        )
    return paths
