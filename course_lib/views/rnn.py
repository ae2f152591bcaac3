"""Draw a recurrent layer unrolled over time: hidden states per step, gradient norm per step.

The compute lives in :mod:`course_lib.models.rnn`; this module only draws.

Example:
    >>> from course_lib.views.rnn import show_hidden_states
    >>> show_hidden_states(model, x_val[0], tokens=words)    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.models.rnn import GradientNorms, HiddenStates, hidden_states
from course_lib.views.display import axes_or_new, present

__all__ = ["draw_gradient_norms", "draw_hidden_states", "show_gradient_norms",
           "show_hidden_states"]


def draw_hidden_states(states: HiddenStates, ax: Any = None, max_units: int = 32,
                       cmap: str = "RdBu_r") -> Any:
    """Heatmap of :math:`h_t`: one column per time step (labelled by its token), one row per unit.

    Padding steps (masked) are hatched grey: the state is only carried over them.

    Args:
        states: :func:`course_lib.models.rnn.hidden_states` of one sequence.
        ax: matplotlib Axes to draw into (then nothing is shown); a new figure when ``None``.
        max_units: show the first this many units.
        cmap: diverging colour map (tanh states lie in -1..1).

    Returns:
        The new Figure (shown once), or the caller's Axes when ``ax`` was given.

    Raises:
        ViewError: ``states`` is not a :class:`HiddenStates` or ``max_units`` < 1.
    """
    if not isinstance(states, HiddenStates) or max_units < 1:
        raise ViewError(
            f"Expected HiddenStates and max_units >= 1. Received: {type(states).__name__}, "
            f"max_units={max_units}.",
            hint="pass course_lib.models.rnn.hidden_states(model, x).",
        )
    steps, units = states.states.shape
    shown = states.states[:, :max_units].T
    width = min(2.0 + 0.32 * steps, 16.0)
    ax, new = axes_or_new(ax, (width, 1.2 + 0.16 * shown.shape[0]), what="draw_hidden_states",
                          layout="constrained")
    limit = max(float(np.abs(shown).max()), 1e-6)
    image = ax.imshow(shown, aspect="auto", cmap=cmap, vmin=-limit, vmax=limit,
                      interpolation="nearest")
    if states.mask is not None:
        for t in np.flatnonzero(~states.mask):
            ax.axvspan(t - 0.5, t + 0.5, facecolor="none", edgecolor="0.5", hatch="//",
                       linewidth=0)
    labels = states.tokens if states.tokens is not None else [str(t + 1) for t in range(steps)]
    every = max(1, steps // 40)
    ax.set_xticks(range(0, steps, every), labels[::every], rotation=70, fontsize=8)
    ax.set_xlabel("time step (input token)" if states.tokens else "time step t")
    ax.set_ylabel("unit")
    more = f", first {max_units} of {units} units" if units > max_units else ""
    ax.set_title(f"{states.layer_name} ({states.layer_type}): hidden state $h_t$ per step{more}",
                 fontsize=10)
    ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01, label="$h_t$")
    return present(ax.figure) if new else ax


def show_hidden_states(model: Any, x: Any, tokens: Sequence[str] | None = None,
                       layer: Any = None, max_units: int = 32) -> Any:
    """Compute and draw the hidden states of ``model``'s recurrent layer for one input.

    Args:
        model: a built Keras model with a SimpleRNN, LSTM or GRU layer.
        x: one input sequence.
        tokens: one label per step (words or characters).
        layer: which recurrent layer (name or index); the first when ``None``.
        max_units: rows to show.

    Returns:
        The Figure (shown once).

    Raises:
        NotRecurrentError: ``layer`` is not recurrent (the message names it and the fix).
    """
    return draw_hidden_states(hidden_states(model, x, layer=layer, tokens=tokens),
                              max_units=max_units)


def draw_gradient_norms(results: Sequence[GradientNorms] | GradientNorms, ax: Any = None,
                        log: bool = True) -> Any:
    """Gradient norm :math:`\\lVert\\partial L/\\partial x_t\\rVert` against the time step.

    Args:
        results: one or several :class:`GradientNorms` (one line each).
        ax: matplotlib Axes to draw into; a new figure when ``None``.
        log: logarithmic y axis (vanishing gradients fall on a straight line).

    Returns:
        The new Figure (shown once), or the caller's Axes when ``ax`` was given.

    Raises:
        ViewError: nothing to draw, or items that are not :class:`GradientNorms`.
    """
    single = isinstance(results, GradientNorms) or not isinstance(results, list | tuple)
    items = [results] if single else list(results)
    if not items or not all(isinstance(r, GradientNorms) for r in items):
        raise ViewError(
            f"Expected one or more GradientNorms. Received: "
            f"{[type(r).__name__ for r in items] or 'nothing'}.",
            hint="pass [input_gradient_norms(model_a, x, y), input_gradient_norms(model_b, x, y)].",
        )
    ax, new = axes_or_new(ax, (6.5, 3.6), what="draw_gradient_norms", layout="constrained")
    for item in items:
        steps = np.arange(1, len(item.norms) + 1)
        ax.plot(steps, item.norms, marker=".", label=f"{item.label} (step 1 / step T = "
                f"{item.ratio_first_to_last:.1e})")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="time step t (T = last)",
           ylabel=r"$\|\partial L / \partial x_t\|$ (batch mean)",
           title="how much of the gradient reaches each input step")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return present(ax.figure) if new else ax


def show_gradient_norms(results: Sequence[GradientNorms] | GradientNorms, log: bool = True) -> Any:
    """:func:`draw_gradient_norms` in a new figure, shown once."""
    return draw_gradient_norms(results, log=log)
