"""The single-neuron lesson: perceptron line and mistakes, gates side by side, XOR.

Static views draw into caller's Axes (``axes=`` / ``ax=``) or show their own
figure once; :class:`PerceptronApp` is the scrubbable widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.playground.grid import decision_grid
from course_lib.playground.perceptron import GATES, PerceptronRun, XorSolution, perceptron_on_gate
from course_lib.views.display import ImageView, Presentable, axes_or_new, new_figure, present
from course_lib.views.playground.style import _cmap, _extent, _point_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _check_run(run: object) -> PerceptronRun:
    if not isinstance(run, PerceptronRun):
        raise ViewError(
            f"Expected a PerceptronRun. Received: {type(run).__name__}.",
            hint="train one with perceptron_on_gate('and') or train_perceptron(x, y).",
        )
    return run


def _check_step(run: PerceptronRun, step: int) -> int:
    last = len(run.weights) - 1
    if not isinstance(step, int | np.integer) or not -last - 1 <= step <= last:
        raise ViewError(
            f"Expected step between 0 and {last} (or negative from the end). "
            f"Received: step={step!r}.",
            hint=f"use step=-1 for the final weights, step=0 for the start, up to {last}.",
        )
    return int(step) % (last + 1)


def plot_perceptron_run(run: PerceptronRun, step: int = -1, axes: Any = None) -> list[Axes]:
    """The perceptron's line and its mistakes per epoch.

    Left: the four truth-table points, the region the neuron calls 1 (blue)
    or 0 (orange) and its line ``w1 x1 + w2 x2 + b = 0`` after ``step``
    updates (earlier lines faint). Right: mistakes per epoch.

    Args:
        run: from :func:`~course_lib.playground.perceptron_on_gate` or
            :func:`~course_lib.playground.train_perceptron`.
        step: which update to show (``-1`` = the end).
        axes: two Axes to draw into; None makes a new figure.

    Returns:
        ``[plane_ax, errors_ax]``.

    Raises:
        ViewError: not a run, a bad step, or not two Axes.

    Example:
        >>> axes = plot_perceptron_run(perceptron_on_gate("xor"))  # doctest: +SKIP
    """
    run = _check_run(run)
    index = _check_step(run, step)
    new = axes is None
    if new:
        axes = _perceptron_axes(new_figure((8.4, 3.6)))
    axes = list(np.ravel(axes))
    if len(axes) != 2:
        raise ViewError(
            f"Expected two Axes (plane, errors). Received: {len(axes)}.",
            hint="pass axes=fig.subplots(1, 2) or leave axes=None.",
        )
    plane, errors_ax = axes
    _draw_perceptron_plane(plane, run, index)
    last = len(run.weights) - 1
    # shade the epoch the shown update belongs to (not needed for the final weights)
    epoch = min((index - 1) // len(run.x), len(run.errors) - 1) if 0 < index < last else -1
    from matplotlib.ticker import MaxNLocator

    epochs = np.arange(1, len(run.errors) + 1)
    errors_ax.bar(epochs, run.errors, color="#c0504d", width=0.75, label="mistakes")
    clean = run.errors == 0
    errors_ax.scatter(epochs[clean], np.zeros(clean.sum()) + 0.08, marker="o", s=30,
                      color="#3c8d3c", zorder=3, label="no mistakes", clip_on=False)
    if epoch >= 0:
        errors_ax.axvspan(epoch + 0.5, epoch + 1.5, color="0.85", zorder=0)
    errors_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    errors_ax.set_xlabel("epoch")
    errors_ax.set_ylabel("mistakes in epoch")
    errors_ax.set_ylim(0, len(run.x) + 0.5)
    errors_ax.set_yticks(range(len(run.x) + 1))
    verdict = (
        f"learned in {run.epochs_to_converge} epoch(s)" if run.converged
        else "never error-free: no line separates the classes"
    )
    errors_ax.set_title(verdict, fontsize=10)
    for side in ("top", "right"):
        errors_ax.spines[side].set_visible(False)
    if new:
        present(plane.figure)
    return axes


def _perceptron_axes(fig: Figure) -> list[Axes]:
    axes = fig.subplots(1, 2, width_ratios=[1, 1.15])
    fig.subplots_adjust(left=0.08, right=0.97, bottom=0.16, top=0.86, wspace=0.3)
    return list(axes)


def _draw_perceptron_plane(ax: Axes, run: PerceptronRun, index: int) -> None:
    lo, hi = -0.5, 1.5
    xx, yy = np.meshgrid(np.linspace(lo, hi, 120), np.linspace(lo, hi, 120))
    w, b = run.weights[index], run.biases[index]
    region = (w[0] * xx + w[1] * yy + b > 0).astype(float)
    ax.imshow(region, extent=(lo, hi, lo, hi), origin="lower", cmap=_cmap(0.35), vmin=0, vmax=1)
    xs = np.array([lo, hi])
    for past in range(max(0, index - 12), index):
        _line(ax, run.weights[past], run.biases[past], xs, color="0.55", alpha=0.25, lw=1)
    _line(ax, w, b, xs, color="0.1", alpha=1.0, lw=2)
    ax.scatter(run.x[:, 0], run.x[:, 1], c=_point_colors(run.y), s=230, edgecolors="white",
               linewidths=1.5, zorder=3)
    wrong = run.predict(run.x, step=index) != run.y
    ax.scatter(run.x[wrong, 0], run.x[wrong, 1], s=480, facecolors="none", edgecolors="#c0504d",
               linewidths=2, zorder=4, label="misclassified")
    for (x1, x2), target in zip(run.x, run.y, strict=True):
        ax.annotate(str(int(target)), (x1, x2), color="white", ha="center", va="center",
                    fontsize=10, fontweight="bold", zorder=5)
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", rotation=0)
    ax.set_title(
        f"{run.gate.upper()}: w = ({w[0]:.2f}, {w[1]:.2f}), b = {b:.2f}  (update {index})",
        fontsize=10,
    )
    if wrong.any():
        ax.legend(loc="upper left", fontsize=8, framealpha=0.8, markerscale=0.5)


def _line(ax: Axes, w: np.ndarray, b: float, xs: np.ndarray, **style: Any) -> None:
    if abs(w[1]) > 1e-9:
        ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    elif abs(w[0]) > 1e-9:
        ax.axvline(-b / w[0], **style)


def plot_perceptron_gates(
    runs: Sequence[PerceptronRun] | None = None, epochs: int = 15, learning_rate: float = 0.1
) -> Figure:
    """AND, OR and XOR side by side: the final line (top) and mistakes per epoch (bottom).

    Args:
        runs: runs to draw; default trains one per gate in :data:`GATES`.
        epochs: epochs for the default runs.
        learning_rate: learning rate for the default runs.

    Returns:
        A Figure with one column per run.

    Example:
        >>> fig = plot_perceptron_gates()  # doctest: +SKIP
    """
    if runs is None:
        runs = [perceptron_on_gate(g, learning_rate, epochs) for g in GATES]
    runs = [_check_run(r) for r in runs]
    fig = new_figure((4.0 * len(runs), 7.2))
    grid = fig.subplots(2, len(runs), squeeze=False)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.08, top=0.9, hspace=0.42, wspace=0.3)
    for col, run in enumerate(runs):
        plot_perceptron_run(run, axes=[grid[0, col], grid[1, col]])
        grid[0, col].set_title(run.gate.upper() + (" ✓" if run.converged else " ✗"), fontsize=12)
    fig.suptitle("A single perceptron learns AND and OR, but never XOR", fontsize=13)
    return present(fig)


def plot_xor_solution(solution: XorSolution, ax: Axes | None = None) -> Axes:
    """The decision surface of a one-hidden-layer network on XOR.

    Args:
        solution: from :func:`~course_lib.playground.solve_xor_with_hidden_layer`.
        ax: Axes to draw into; None makes a new figure.

    Returns:
        The Axes.

    Example:
        >>> ax = plot_xor_solution(solve_xor_with_hidden_layer())  # doctest: +SKIP
    """
    if not isinstance(solution, XorSolution):
        raise ViewError(
            f"Expected an XorSolution. Received: {type(solution).__name__}.",
            hint="pass the result of solve_xor_with_hidden_layer().",
        )
    grid = decision_grid(solution.model, ("x1", "x2"), (-0.5, 1.5, -0.5, 1.5), resolution=100)
    ax, new = axes_or_new(ax, (4.4, 4.2), what="plot_xor_solution")
    ax.imshow(grid.probs, extent=_extent(grid), origin="lower", cmap=_cmap(0.6), vmin=0, vmax=1)
    ax.contour(grid.xx, grid.yy, grid.probs, levels=[0.5], colors="0.15", linewidths=1.5)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    ax.scatter(x[:, 0], x[:, 1], c=_point_colors(y), s=140, edgecolors="white", linewidths=1.5,
               zorder=3)
    for (x1, x2), p in zip(x, solution.probabilities, strict=True):
        ax.annotate(f"p={p:.2f}", (x1, x2), xytext=(0, -17), textcoords="offset points",
                    ha="center", fontsize=8)
    units = solution.model.layers[0].units
    ax.set_title(f"XOR with one hidden layer ({units} tanh units): "
                 f"{solution.accuracy:.0%} correct", fontsize=10)
    ax.set_xticks([0, 1])
    ax.set_yticks([0, 1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", rotation=0)
    return present(ax) if new else ax


class PerceptronApp(Presentable):
    """Widget: pick a gate and learning rate, scrub or play through the updates.

    Controls (ipywidgets, drive them from code/tests): ``gate`` (Dropdown),
    ``learning_rate`` (FloatSlider), ``epochs`` (IntSlider), ``update``
    (IntSlider over the weight history) and ``play`` (``ipywidgets.Play``
    linked to ``update``). The picture is an :class:`ImageView` updated in place;
    its status line reports errors.

    Example:
        >>> app = PerceptronApp(gate="xor")   # doctest: +SKIP
        >>> app.update.value = 8              # doctest: +SKIP
    """

    def __init__(self, gate: str = "and", learning_rate: float = 0.1, epochs: int = 10) -> None:
        import ipywidgets as widgets

        self.run = perceptron_on_gate(gate, learning_rate, epochs)
        self.gate = widgets.Dropdown(options=list(GATES), value=self.run.gate, description="gate")
        self.learning_rate = widgets.FloatSlider(
            value=learning_rate, min=0.01, max=1.0, step=0.01, description="learning rate",
            continuous_update=False, style={"description_width": "90px"},
        )
        self.epochs = widgets.IntSlider(value=epochs, min=1, max=30, description="epochs",
                                        continuous_update=False)
        last = len(self.run.weights) - 1
        self.update = widgets.IntSlider(value=last, min=0, max=last, description="update")
        self.play = widgets.Play(value=last, min=0, max=last, interval=300, show_repeat=False)
        widgets.jslink((self.play, "value"), (self.update, "value"))
        self.picture = ImageView(width=680)
        self.image, self.status = self.picture.image, self.picture.status
        for control in (self.gate, self.learning_rate, self.epochs):
            control.observe(self.picture.guard(self._retrain), names="value")
        self.update.observe(self.picture.guard(self._redraw), names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.gate, self.learning_rate, self.epochs]),
            widgets.HBox([self.play, self.update]),
            self.picture.widget,
        ])
        self._redraw()

    def _retrain(self, _change: Any = None) -> None:
        self.run = perceptron_on_gate(self.gate.value, self.learning_rate.value, self.epochs.value)
        last = len(self.run.weights) - 1
        self.play.max = self.update.max = last
        if self.update.value == last:
            self._redraw()
        else:
            self.update.value = last  # observer redraws

    def _redraw(self, _change: Any = None) -> None:
        index = min(self.update.value, len(self.run.weights) - 1)
        fig = new_figure((8.4, 3.6))
        plot_perceptron_run(self.run, step=index, axes=_perceptron_axes(fig))
        self.picture.show_figure(fig)


def show_perceptron(
    gate: str = "and", learning_rate: float = 0.1, epochs: int = 10
) -> PerceptronApp | Figure:
    """The perceptron lesson: the app, or a static figure when views are static.

    Returns:
        A :class:`PerceptronApp` when ``view_mode()`` is ``"interactive"``,
        else the Figure of :func:`plot_perceptron_run` for the final weights.

    Example:
        >>> show_perceptron("xor", epochs=20)  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    if view_mode() == "static":
        fig = new_figure((8.4, 3.6))
        plot_perceptron_run(perceptron_on_gate(gate, learning_rate, epochs),
                            axes=_perceptron_axes(fig))
        return present(fig)
    return present(PerceptronApp(gate, learning_rate, epochs))
