"""The TensorFlow-Playground-style app: controls, a live picture, a status line.

The picture is a :class:`~course_lib.views.playground.renderer.PlaygroundFigure`
shown in an :class:`~course_lib.views.display.ImageView`; bad control values
and changed requests are reported in its status line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from course_lib.errors import ConfigError
from course_lib.playground.datasets import DATASET_NAMES, load_playground_data
from course_lib.playground.features import FEATURE_NAMES
from course_lib.playground.model import ACTIVATIONS, OPTIMIZERS, Playground, PlaygroundConfig
from course_lib.views.display import ImageView, Presentable, present
from course_lib.views.playground.renderer import PlaygroundFigure, plot_playground
from course_lib.views.playground.style import LEARNING_RATES, REGULARIZATION_RATES

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _parse_hidden(text: str) -> tuple[int, ...]:
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            f"Expected neuron counts separated by commas. Received: hidden={text!r}.",
            hint="type e.g. '4, 2' for two hidden layers, or leave it empty for none.",
        ) from None


class PlaygroundApp(Presentable):
    """TensorFlow-Playground-style ipywidgets app on a real Keras model.

    Every control is an ipywidget attribute, so code (and tests) can drive the
    app by setting values: ``app.dataset.value = "spiral"`` regenerates the
    data and rebuilds the model; ``app.activation.value = "relu"`` rebuilds
    the model; ``app.step_button.click()`` trains one epoch; ``app.play``
    (an ``ipywidgets.Play``) trains one epoch per tick without blocking the
    kernel. The picture is an :class:`~course_lib.views.display.ImageView`
    whose bytes are replaced after each change (no ``clear_output``, so no
    flicker; works in Voila); its status line shows the epoch, or what was wrong
    with a control (the last good state stays on screen).

    Controls: ``dataset``, ``noise``, ``hidden`` (text, e.g. ``"4, 2"``),
    ``activation``, ``learning_rate``, ``optimizer``, ``batch_size``, ``l1``,
    ``l2``, ``feature_boxes`` (name -> Checkbox), ``show_test``,
    ``step_button``, ``play``, ``reset_button``; ``status`` shows the epoch or
    what was wrong with a control.

    Args:
        playground: start from this Playground (default: circles, (4, 2) tanh).
        resolution: decision-surface grid points per axis.
        interval_ms: milliseconds between "play" ticks.

    Example:
        >>> app = PlaygroundApp()                 # doctest: +SKIP
        >>> app                                   # doctest: +SKIP  (displays the widget)
        >>> app.features_value = ("x1^2", "x2^2")  # doctest: +SKIP
    """

    def __init__(
        self, playground: Playground | None = None, resolution: int = 100, interval_ms: int = 150
    ) -> None:
        import ipywidgets as widgets

        self.playground = playground or Playground()
        pg, cfg = self.playground, self.playground.config
        self.view = PlaygroundFigure(pg, resolution=resolution, captions=False)
        style = {"description_width": "95px"}
        wide = widgets.Layout(width="250px")
        noise = float(getattr(pg.data, "noise", 0.0))
        self.dataset = widgets.Dropdown(
            options=list(DATASET_NAMES) if pg.data.name in DATASET_NAMES else
            [*DATASET_NAMES, pg.data.name],
            value=pg.data.name, description="dataset", style=style, layout=wide,
        )
        self.noise = widgets.FloatSlider(
            value=noise, min=0.0, max=0.6, step=0.05, description="noise", style=style,
            layout=wide, continuous_update=False,
        )
        self.hidden = widgets.Text(
            value=", ".join(str(n) for n in cfg.hidden), description="hidden layers",
            placeholder="e.g. 4, 2", style=style, layout=wide, continuous_update=False,
        )
        self.activation = widgets.Dropdown(
            options=list(ACTIVATIONS), value=cfg.activation, description="activation",
            style=style, layout=wide,
        )
        rates = sorted(set(LEARNING_RATES) | {cfg.learning_rate})
        self.learning_rate = widgets.SelectionSlider(
            options=[(f"{r:g}", r) for r in rates], value=cfg.learning_rate,
            description="learning rate", style=style, layout=wide, continuous_update=False,
        )
        self.optimizer = widgets.Dropdown(
            options=list(OPTIMIZERS), value=cfg.optimizer, description="optimizer",
            style=style, layout=wide,
        )
        self.batch_size = widgets.IntSlider(
            value=cfg.batch_size, min=1, max=max(64, cfg.batch_size), description="batch size",
            style=style,
            layout=wide, continuous_update=False,
        )
        l1_rates = sorted(set(REGULARIZATION_RATES) | {cfg.l1})
        l2_rates = sorted(set(REGULARIZATION_RATES) | {cfg.l2})
        self.l1 = widgets.Dropdown(
            options=[(f"{r:g}", r) for r in l1_rates], value=cfg.l1, description="L1",
            style=style, layout=wide,
        )
        self.l2 = widgets.Dropdown(
            options=[(f"{r:g}", r) for r in l2_rates], value=cfg.l2, description="L2",
            style=style, layout=wide,
        )
        self.feature_boxes = {
            name: widgets.Checkbox(
                value=name in cfg.features, description=name, indent=False,
                layout=widgets.Layout(width="80px"),
            )
            for name in FEATURE_NAMES
        }
        self.show_test = widgets.Checkbox(value=True, description="show test data", indent=False)
        self.step_button = widgets.Button(description="step", icon="step-forward",
                                          tooltip="train one epoch")
        self.reset_button = widgets.Button(description="reset", icon="refresh",
                                           tooltip="new random weights, empty history")
        self.play = widgets.Play(value=0, min=0, max=100_000, step=1, interval=interval_ms,
                                 description="play", show_repeat=False)
        self.picture = ImageView(width=880)
        self.status, self.image = self.picture.status, self.picture.image
        guard = self.picture.guard

        for control in (self.dataset, self.noise):
            control.observe(guard(self._on_data_control), names="value")
        for control in (self.hidden, self.activation, self.learning_rate, self.optimizer,
                        self.batch_size, self.l1, self.l2, *self.feature_boxes.values()):
            control.observe(guard(self._on_model_control), names="value")
        self.show_test.observe(guard(self._on_show_test), names="value")
        self.step_button.on_click(guard(lambda _b: self.step()))
        self.reset_button.on_click(guard(lambda _b: self.reset()))
        self.play.observe(guard(self._on_tick), names="value")

        features_row = widgets.HBox(
            [widgets.Label("features", layout=widgets.Layout(width="95px")),
             *self.feature_boxes.values()]
        )
        column_a = widgets.VBox([self.dataset, self.noise, self.hidden, self.activation])
        column_b = widgets.VBox([self.learning_rate, self.optimizer, self.batch_size])
        column_c = widgets.VBox([self.l1, self.l2, self.show_test])
        buttons = widgets.HBox([self.play, self.step_button, self.reset_button, self.status])
        self.widget = widgets.VBox(
            [widgets.HBox([column_a, column_b, column_c]), features_row, buttons, self.image]
        )
        self.redraw()

    # -- state -------------------------------------------------------------------
    @property
    def features_value(self) -> tuple[str, ...]:
        """The ticked features."""
        return tuple(name for name, box in self.feature_boxes.items() if box.value)

    @features_value.setter
    def features_value(self, names: Sequence[str]) -> None:
        self._hold = True  # one rebuild for the whole change, not one per box
        try:
            for name, box in self.feature_boxes.items():
                box.value = name in names
        finally:
            self._hold = False
        self.picture.guard(self._on_model_control)()  # a bad set shows in the status line

    def _config_from_controls(self) -> PlaygroundConfig:
        return self.playground.config.replace(
            hidden=_parse_hidden(self.hidden.value),
            activation=self.activation.value,
            learning_rate=self.learning_rate.value,
            optimizer=self.optimizer.value,
            batch_size=self.batch_size.value,
            l1=self.l1.value,
            l2=self.l2.value,
            features=self.features_value,
        )

    def _on_model_control(self, _change: Any = None) -> None:
        if getattr(self, "_hold", False):
            return
        new = self._config_from_controls()  # a bad value raises: shown by the guard
        self.stop()
        if new != self.playground.config:
            self.playground.config = new
            self.playground.reset()
        self.redraw()

    def _on_data_control(self, _change: Any = None) -> None:
        self.stop()
        data = self.playground.data
        new = load_playground_data(
            self.dataset.value, n=len(data.x_train) + len(data.x_test),
            noise=self.noise.value, seed=data.seed,
        )
        self.playground.set_data(new)
        self.redraw()

    def _on_show_test(self, _change: Any = None) -> None:
        self.view.show_test = bool(self.show_test.value)
        self.redraw()

    def _on_tick(self, change: Any) -> None:
        if change["new"] > 0:  # value 0 is the rewind done by reset/stop
            self.step()

    # -- actions -----------------------------------------------------------------
    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs and redraw."""
        self.playground.step(epochs)
        self.redraw()

    def stop(self) -> None:
        """Pause "play"."""
        self.play.playing = False

    def reset(self) -> None:
        """Stop playing, draw fresh weights, clear the loss history, redraw."""
        self.stop()
        self.play.value = 0
        self.playground.reset()
        self.redraw()

    def redraw(self) -> None:
        """Update the picture in place from the playground's current state."""
        self.view.update()
        self.picture.show_png(self.view.to_png())
        latest = self.playground.latest()
        self.picture.say(
            f"epoch {latest['epoch']} · train loss {latest['train_loss']:.3f} · "
            f"test loss {latest['test_loss']:.3f} · "
            f"test accuracy {latest['test_accuracy']:.0%}"
        )


def show_playground(
    dataset: str = "circles",
    noise: float = 0.1,
    n: int = 400,
    epochs: int | None = None,
    seed: int = 0,
    **config: Any,
) -> PlaygroundApp | Figure:
    """The playground: the interactive app, or a static figure when views are static.

    Args:
        dataset: one of ``circles, xor, gaussians, spiral, moons``.
        noise: dataset noise (0 = clean).
        n: number of points (half for training, half for testing).
        epochs: epochs to train before showing; default 0 for the app, and
            ``scaled(full=100, fast=20)`` for the static figure so it shows a
            trained network.
        seed: seed for data, weights and batches.
        **config: :class:`~course_lib.playground.PlaygroundConfig` settings,
            e.g. ``hidden=(4, 2), activation="relu", features=("x1", "x2")``.

    Returns:
        A :class:`PlaygroundApp` when ``course_lib.config.view_mode()`` is
        ``"interactive"``, otherwise a matplotlib Figure; either is shown once.

    Raises:
        ConfigError: unknown dataset or setting, or a bad value.

    Example:
        >>> show_playground("spiral", hidden=(8, 8), activation="relu")  # doctest: +SKIP
    """
    from course_lib.config import scaled, view_mode

    pg = Playground(PlaygroundConfig(seed=seed, **config), dataset=dataset, noise=noise, n=n,
                    seed=seed)
    static = view_mode() == "static"
    count = (scaled(full=100, fast=20) if static else 0) if epochs is None else epochs
    if count:
        pg.step(count)
    return plot_playground(pg) if static else present(PlaygroundApp(pg))

