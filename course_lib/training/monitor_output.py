"""What a live monitor hands its drawings to, and when it may redraw.

`MonitorOutput` is the seam between recording (compute) and drawing (views),
in the spirit of livelossplot's logger + pluggable outputs: tests use a fake
output, the course uses the figure outputs of the views.

The training room never imports the views: views *register* the outputs they
provide (:func:`register_output`, done when ``course_lib.views.training`` is
imported), and :func:`create_output` builds the registered one for a view mode.
:data:`OUTPUT_PROVIDERS` names the modules that register the defaults, so
``LiveMonitor()`` works even when a notebook has not imported a view yet.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from course_lib.errors import ConfigError
from course_lib.training.history import TrainingHistory


@runtime_checkable
class MonitorOutput(Protocol):
    """Receives the growing history of a run.

    ``start`` is called once at the start of training, ``update`` whenever the
    monitor decides a redraw is worth it (throttled), ``finish`` once at the end.
    """

    def start(self, history: TrainingHistory, total_epochs: int | None) -> None:
        """Training starts; ``history`` is empty and will grow in place."""

    def update(self, history: TrainingHistory) -> None:
        """Show the current state of ``history``."""

    def finish(self, history: TrainingHistory) -> None:
        """Training ended; show the final state."""


#: modules imported (once) to register the default outputs when none is registered yet
OUTPUT_PROVIDERS: tuple[str, ...] = ("course_lib.views.training",)
_OUTPUTS: dict[str, Callable[..., MonitorOutput]] = {}


def register_output(mode: str, factory: Callable[..., MonitorOutput]) -> None:
    """Make ``factory(**options)`` the output ``LiveMonitor(output="auto")`` uses in ``mode``.

    Args:
        mode: ``"interactive"`` or ``"static"`` (see ``course_lib.config.view_mode``).
        factory: a class or function taking the monitor's drawing options
            (``metrics``, ``log_scale``, ``best_epoch``, ``per_batch``, ``show_time``).

    Raises:
        ConfigError: unknown mode.

    Example:
        >>> register_output("static", MyTextOutput)  # doctest: +SKIP
    """
    if mode not in ("interactive", "static"):
        raise ConfigError(
            f"Expected mode 'interactive' or 'static'. Received: mode={mode!r}.",
            hint="register one output per view mode.",
        )
    _OUTPUTS[mode] = factory


def create_output(mode: str, **options: Any) -> MonitorOutput:
    """The registered output for ``mode``, built with the monitor's ``options``.

    Raises:
        ConfigError: no output is registered for ``mode`` (and no provider registers one).
    """
    if mode not in _OUTPUTS:
        for module in OUTPUT_PROVIDERS:
            importlib.import_module(module)
    if mode not in _OUTPUTS:
        raise ConfigError(
            f"Expected an output registered for view mode {mode!r}. Received: none "
            f"(registered: {sorted(_OUTPUTS)}).",
            hint="pass LiveMonitor(output=...) a MonitorOutput, or register_output(mode, ...).",
        )
    return _OUTPUTS[mode](**options)


class RedrawThrottle:
    """Decides when a redraw is allowed so drawing stays a small share of training time.

    A redraw is allowed when at least ``min_interval`` seconds passed since the
    last one ended *and* the time since then is at least ``cost / budget``,
    where ``cost`` is how long the last redraw took. With ``budget=0.02`` and a
    60 ms redraw, the figure updates at most every 3 s: at most 2 % overhead.

    Args:
        min_interval: seconds between redraws, at least.
        budget: largest share of wall time spent drawing (0 < budget <= 1).

    Raises:
        ConfigError: non-positive interval or budget outside (0, 1].

    Example:
        >>> throttle = RedrawThrottle(min_interval=0.5, budget=0.02)
        >>> throttle.ready(now=throttle.last_end + 1.0)
        True
    """

    def __init__(self, min_interval: float = 0.5, budget: float = 0.02) -> None:
        if not min_interval >= 0:
            raise ConfigError(
                f"Expected min_interval >= 0 seconds. Received: min_interval={min_interval!r}.",
                hint="use min_interval=0.5 (redraw at most twice a second).",
            )
        if not 0 < budget <= 1:
            raise ConfigError(
                f"Expected 0 < overhead_budget <= 1. Received: overhead_budget={budget!r}.",
                hint="use overhead_budget=0.02 (drawing takes at most 2 % of training time).",
            )
        self.min_interval = float(min_interval)
        self.budget = float(budget)
        self.reset()

    def reset(self) -> None:
        """Forget earlier redraws (a new training run starts)."""
        self.last_end = time.perf_counter()
        self.last_cost = 0.0
        self.total_cost = 0.0
        self.count = 0

    def ready(self, now: float | None = None) -> bool:
        """True when a redraw now keeps within the interval and the budget."""
        now = time.perf_counter() if now is None else now
        wait = max(self.min_interval, self.last_cost / self.budget)
        return now - self.last_end >= wait

    def record(self, start: float, end: float) -> None:
        """Note a redraw that ran from ``start`` to ``end`` (``time.perf_counter`` values)."""
        self.last_cost = end - start
        self.total_cost += self.last_cost
        self.last_end = end
        self.count += 1
