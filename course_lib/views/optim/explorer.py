"""The optimizer explorer widget: surface, optimizer, learning rate, momentum, start, steps.

The picture lives in an :class:`~course_lib.views.display.ImageView`: errors of
bad settings and every value the widget had to change are said in its status line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from course_lib.config import view_mode
from course_lib.errors import ViewError
from course_lib.optim.paths import OPTIMIZERS, OptimizerPath, optimizer_names, optimizer_path
from course_lib.optim.surfaces import get_surface, surface_names
from course_lib.views.display import ImageView, Presentable, new_figure, present
from course_lib.views.optim.style import GAP_FLOOR, START_STYLE, _color, _draw_path
from course_lib.views.optim.surfaces import plot_optimizer_comparison, plot_surface

if TYPE_CHECKING:
    from matplotlib.figure import Figure



#: Keras argument the "momentum" control sets, per optimizer (None: no such knob)
MOMENTUM_ARGUMENT: dict[str, str | None] = {
    "sgd": None,
    "momentum": "momentum",
    "nesterov": "momentum",
    "adagrad": None,
    "adadelta": None,
    "rmsprop": "momentum",
    "adam": "beta_1",
    "adamw": "beta_1",
}
#: the steps slider's usual end (it reaches further when more steps are asked for)
MAX_STEPS = 500
_MOMENTUM_DEFAULT = {"momentum": 0.9, "nesterov": 0.9, "rmsprop": 0.0, "adam": 0.9, "adamw": 0.9}


def _log_range(value: float) -> tuple[float, float]:
    """Exponents of the learning-rate slider: 1e-4 ... 1e2, widened to hold ``value``."""
    exponent = float(np.log10(value)) if value > 0 else -4.0
    return min(-4.0, float(np.floor(exponent))), max(2.0, float(np.ceil(exponent)))


def _fit_range(control: Any, value: Any) -> None:
    """Widen a slider so ``value`` fits (a slider would clamp it without a word)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        return
    if hasattr(control, "base"):  # FloatLogSlider: min/max are exponents
        low, high = _log_range(float(value))
        control.min, control.max = min(control.min, low), max(control.max, high)
    elif hasattr(control, "min"):
        control.min, control.max = min(control.min, value), max(control.max, value)


def _explorer_figure(path: OptimizerPath) -> tuple[Figure, dict[str, Any]]:
    fig = new_figure((10.5, 4.7), layout="constrained")
    ax_path, ax_loss = fig.subplots(1, 2)
    plot_surface(path.surface, ax=ax_path)
    artists: dict[str, Any] = {"ax_path": ax_path, "ax_loss": ax_loss}
    color = _color(path, 0)
    artists["path"] = _draw_path(ax_path, path, color)
    artists["start"] = ax_path.scatter(*path.start, label="start", **START_STYLE)
    artists["end"] = ax_path.scatter(
        *path.final_point, marker="s", s=45, color=color, edgecolor="black", zorder=8, label="end"
    )
    artists["figure"] = fig
    (artists["loss"],) = ax_loss.plot([], [], color=color, lw=1.6)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("loss − minimum loss (log)")
    ax_loss.grid(True, alpha=0.3)
    _update_explorer_artists(artists, path)
    return fig, artists


def _update_explorer_artists(artists: dict[str, Any], path: OptimizerPath) -> None:
    color = _color(path, 0)
    line = artists["path"]
    line.set_data(path.points[:, 0], path.points[:, 1])
    line.set_color(color)
    line.set_linestyle("--" if path.diverged else "-")
    line.set_label(path.label)
    artists["start"].set_offsets([path.start])
    artists["end"].set_offsets([path.final_point])
    artists["end"].set_color(color)
    artists["end"].set_edgecolor("black")
    gap = np.maximum(path.gap(), GAP_FLOOR)
    loss = artists["loss"]
    loss.set_data(np.arange(len(gap)), gap)
    loss.set_color(color)
    ax_loss = artists["ax_loss"]
    ax_loss.set_xlim(0, max(path.steps_requested, 1))
    ax_loss.set_ylim(gap.min() / 2, gap.max() * 2)
    verdict = (
        f"diverged at step {path.steps_taken}"
        if path.diverged
        else f"final loss {path.final_loss:.4g}"
    )
    ax_loss.set_title(f"{path.label.split(',')[0]}: {verdict}")
    fig = artists["figure"]
    for old in list(fig.legends):
        old.remove()
    # below the panels, so it never hides a minimum or the path
    fig.legend(
        *artists["ax_path"].get_legend_handles_labels(),
        loc="outside lower center",
        ncols=5,
        fontsize="small",
    )


class OptimizerExplorer(Presentable):
    """Interactive explorer: surface, optimizer, learning rate, momentum, start point, steps.

    The state lives in the control widgets (attributes ``surface``, ``optimizer``,
    ``learning_rate``, ``momentum``, ``start_x``, ``start_y``, ``steps``);
    changing any of their ``value`` traits recomputes :attr:`path` with the
    real Keras optimizer and redraws the picture in place: :attr:`picture` is an
    :class:`~course_lib.views.display.ImageView` whose PNG bytes are replaced --
    no ``clear_output``, no flicker, and it works in JupyterLab and Voila without
    ipympl. The momentum control sets ``momentum`` for SGD+momentum / Nesterov /
    RMSprop and ``beta_1`` for Adam / AdamW; it is disabled for the others.

    Nothing you ask for is changed silently: slider ranges widen to hold the
    requested learning rate, start point and number of steps, values the widget
    resets itself (a new surface or optimizer brings its suggested learning rate)
    are named in the status line, and a bad setting shows its error there while
    the last good picture stays.

    Args:
        surface: surface name.
        optimizer: optimizer name.
        learning_rate: ``None`` for the surface's suggested rate.
        start: start point; ``None`` for the surface default.
        steps: number of updates (the slider goes to 500, or further when asked).

    Attributes:
        path: the current :class:`~course_lib.optim.paths.OptimizerPath`.
        figure: the matplotlib Figure behind :attr:`image`.
        picture: the :class:`~course_lib.views.display.ImageView` (``image``, ``status``).
        widget: the ``ipywidgets.VBox`` shown in the notebook.

    Raises:
        UnknownSurfaceError, UnknownOptimizerError, OptimError: bad initial settings.

    Example:
        >>> explorer = OptimizerExplorer("rosenbrock", "sgd")  # doctest: +SKIP
        >>> explorer  # shows the widget  # doctest: +SKIP
        >>> explorer.optimizer.value = "adam"  # path and picture update  # doctest: +SKIP
    """

    def __init__(
        self,
        surface: str = "rosenbrock",
        optimizer: str = "adam",
        learning_rate: float | None = None,
        start: Sequence[float] | None = None,
        steps: int = 100,
    ) -> None:
        import ipywidgets as widgets

        surf = get_surface(surface)
        # the presets equal the momentum control's defaults: this is the only computation
        first = optimizer_path(surf, optimizer, learning_rate, start, steps)
        self.path = first
        low_lr, high_lr = _log_range(first.learning_rate)
        style = {"description_width": "105px"}
        layout = widgets.Layout(width="340px")
        self.surface = widgets.Dropdown(
            options=surface_names(),
            value=surf.name,
            description="surface",
            style=style,
            layout=layout,
        )
        self.optimizer = widgets.Dropdown(
            options=[(OPTIMIZERS[n][2], n) for n in optimizer_names()],
            value=first.optimizer,
            description="optimizer",
            style=style,
            layout=layout,
        )
        self.learning_rate = widgets.FloatLogSlider(
            value=first.learning_rate,
            base=10,
            min=low_lr,
            max=high_lr,
            step=0.05,
            description="learning rate",
            readout_format=".2g",
            style=style,
            layout=layout,
        )
        self.momentum = widgets.FloatSlider(
            value=_MOMENTUM_DEFAULT.get(first.optimizer, 0.9),
            min=0.0,
            max=0.99,
            step=0.01,
            description="momentum",
            style=style,
            layout=layout,
        )
        self.start_x = widgets.FloatSlider(
            value=first.start[0],
            min=min(surf.x_range[0], first.start[0]),
            max=max(surf.x_range[1], first.start[0]),
            step=0.01,
            description="start x",
            style=style,
            layout=layout,
        )
        self.start_y = widgets.FloatSlider(
            value=first.start[1],
            min=min(surf.y_range[0], first.start[1]),
            max=max(surf.y_range[1], first.start[1]),
            step=0.01,
            description="start y",
            style=style,
            layout=layout,
        )
        self.steps = widgets.IntSlider(
            value=first.steps_requested,
            min=1,
            max=max(MAX_STEPS, first.steps_requested),
            description="steps",
            style=style,
            layout=layout,
        )
        self.picture = ImageView(status_first=True)
        self.image, self.status = self.picture.image, self.picture.status
        self._busy = False
        self._note = ""
        self.redraws = 0
        self._sync_momentum_control()
        self.figure, self._artists = _explorer_figure(self.path)
        controls = [
            self.surface,
            self.optimizer,
            self.learning_rate,
            self.momentum,
            self.start_x,
            self.start_y,
            self.steps,
        ]
        self.widget = widgets.VBox(
            [
                widgets.HBox([widgets.VBox(controls[:4]), widgets.VBox(controls[4:])]),
                self.picture.widget,
            ]
        )
        guard = self.picture.guard
        self.surface.observe(guard(self._on_surface), names="value")
        self.optimizer.observe(guard(self._on_optimizer), names="value")
        for control in controls[2:]:
            control.observe(guard(self._on_change), names="value")
        self._redraw()

    # -- reacting to controls
    def _sync_momentum_control(self) -> None:
        argument = MOMENTUM_ARGUMENT[self.optimizer.value]
        self.momentum.disabled = argument is None
        self.momentum.description = "β₁ (momentum)" if argument == "beta_1" else "momentum"

    def _on_surface(self, change: dict[str, Any]) -> None:
        surf = get_surface(change["new"])
        self._busy = True
        try:
            for control, (low, high), value in (
                (self.start_x, surf.x_range, surf.default_start[0]),
                (self.start_y, surf.y_range, surf.default_start[1]),
            ):
                # widen first so neither the new bounds nor the value get clamped
                control.min, control.max = -1e9, 1e9
                control.value = value
                control.min, control.max = low, high
            self._set_learning_rate(surf.learning_rates[self.optimizer.value])
        finally:
            self._busy = False
        self._note = (f"New surface: start reset to {surf.default_start} and learning rate to "
                      f"the suggested {self.learning_rate.value:g}.")
        self._compute()
        self.figure, self._artists = _explorer_figure(self.path)
        self._redraw()

    def _on_optimizer(self, change: dict[str, Any]) -> None:
        name = change["new"]
        self._busy = True
        try:
            self._set_learning_rate(get_surface(self.surface.value).learning_rates[name])
            if name in _MOMENTUM_DEFAULT:
                self.momentum.value = _MOMENTUM_DEFAULT[name]
            self._sync_momentum_control()
        finally:
            self._busy = False
        reset = f"learning rate set to the suggested {self.learning_rate.value:g}"
        if name in _MOMENTUM_DEFAULT:
            reset += f", {self.momentum.description} to {self.momentum.value:g}"
        self._note = f"New optimizer: {reset}."
        self._on_change()

    def _set_learning_rate(self, value: float) -> None:
        _fit_range(self.learning_rate, value)
        self.learning_rate.value = value

    def _on_change(self, change: dict[str, Any] | None = None) -> None:
        if self._busy:
            return
        self._compute()
        _update_explorer_artists(self._artists, self.path)
        self._redraw()

    def _compute(self) -> OptimizerPath:
        name = self.optimizer.value
        kwargs: dict[str, Any] = {}
        argument = MOMENTUM_ARGUMENT[name]
        if argument is not None:
            kwargs[argument] = float(self.momentum.value)
        self.path = optimizer_path(
            self.surface.value,
            name,
            float(self.learning_rate.value),
            (float(self.start_x.value), float(self.start_y.value)),
            int(self.steps.value),
            **kwargs,
        )
        return self.path

    def _redraw(self) -> None:
        self.picture.show_figure(self.figure, dpi=80)
        self.redraws += 1
        p = self.path
        note, self._note = self._note, ""
        if p.diverged:
            self.picture.say(" ".join(filter(None, [
                f"Diverged: {p.stop_reason or ''}. Lower the learning rate.", note])), "note")
            return
        x, y = p.final_point
        text = (f"{p.label} (keras.optimizers.{p.keras_class}): after {p.steps_taken} steps "
                f"at ({x:.3f}, {y:.3f}), loss {p.final_loss:.4g}")
        self.picture.say(f"{text}\n{note}" if note else text, "note" if note else "info")

    def set(self, **values: Any) -> OptimizerPath:
        """Set several controls with one recompute, e.g. ``set(steps=50, momentum=0.5)``.

        Surface and optimizer are applied first (they reset the learning rate to the
        suggested one), then the other values.

        Returns:
            The new :attr:`path`.

        Raises:
            ViewError: a name that is not a control.

        Example:
            >>> explorer.set(optimizer="momentum", learning_rate=0.001)  # doctest: +SKIP
        """
        names = ("surface", "optimizer", "learning_rate", "momentum", "start_x", "start_y", "steps")
        for key in values:
            if key not in names:
                raise ViewError(
                    f"Expected controls among {names}. Received: {key}={values[key]!r}",
                    hint="Use e.g. explorer.set(learning_rate=0.01, steps=50).",
                )
        for key in ("surface", "optimizer"):
            if key in values:
                getattr(self, key).value = values[key]
        rest = {k: v for k, v in values.items() if k not in ("surface", "optimizer")}
        if rest:
            self._busy = True
            try:
                for key, value in rest.items():
                    control = getattr(self, key)
                    if key != "momentum":  # momentum stays in [0, 0.99]: Keras' own limits
                        _fit_range(control, value)
                    control.value = value
            finally:
                self._busy = False
            self._on_change()
        return self.path


def optimizer_explorer(
    surface: str = "rosenbrock",
    optimizer: str = "adam",
    learning_rate: float | None = None,
    start: Sequence[float] | None = None,
    steps: int = 100,
) -> OptimizerExplorer | Figure:
    """The explorer widget, or a static figure of the same settings when views are static.

    Under ``COURSE_VIEWS=static`` (nbval, HTML export, scripts) this returns
    :func:`plot_optimizer_comparison` of the one path, so the notebook still shows
    a picture and never a broken widget.

    Example:
        >>> optimizer_explorer("saddle", "momentum")  # doctest: +SKIP
    """
    if view_mode() == "static":
        return plot_optimizer_comparison(
            optimizer_path(surface, optimizer, learning_rate, start, steps)
        )
    return present(OptimizerExplorer(surface, optimizer, learning_rate, start, steps))
