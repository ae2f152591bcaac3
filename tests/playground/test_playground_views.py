"""Playground views: static figures, the live figure, the widget driven through its state."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, ViewError
from course_lib.playground import (
    decision_grid,
    feature_maps,
    neuron_activation_maps,
    perceptron_on_gate,
    solve_xor_with_hidden_layer,
)
from course_lib.views import playground as views

from .conftest import assert_message


def _texts(fig) -> str:
    parts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        parts += [t.get_text() for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            parts += [t.get_text() for t in legend.get_texts()]
    return " | ".join(parts)


# ---------------------------------------------------------------- static views
def test_decision_surface_draws_probs_boundary_and_points(small_playground):
    pg = small_playground
    pg.step(3)
    grid = decision_grid(pg.model, pg.config.features, resolution=50)
    ax = views.plot_decision_surface(grid, pg.data, title="circles")
    image = ax.get_images()[0]
    np.testing.assert_allclose(image.get_array(), grid.probs)
    assert image.get_clim() == (0.0, 1.0)
    scatters = [c for c in ax.collections if c.get_offsets().shape[0] > 0]
    counts = sorted(c.get_offsets().shape[0] for c in scatters if c.get_label().endswith("points"))
    assert counts == sorted([len(pg.data.x_train), len(pg.data.x_test)])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["class 0", "class 1", "test point", "boundary p = 0.5"]
    assert ax.get_title() == "circles" and ax.get_xlabel() == "$x_1$"


def test_decision_surface_into_callers_axes_and_hides_test_points(small_playground):
    from matplotlib.figure import Figure

    pg = small_playground
    fig = Figure()
    axes = fig.subplots(1, 2)
    grid = decision_grid(pg.model, pg.config.features, resolution=20)
    out = views.plot_decision_surface(grid, pg.data, ax=axes[1], show_test=False)
    assert out is axes[1] and not axes[0].get_images()
    sizes = [c.get_offsets().shape[0] for c in out.collections if c.get_label().endswith("points")]
    assert sizes == [len(pg.data.x_train)]


def test_decision_surface_bad_input(small_playground):
    with pytest.raises(ViewError) as info:
        views.plot_decision_surface((np.zeros((3, 3)), np.zeros((3, 3)), np.zeros(9)))
    assert_message(info.value, "probs(9,)")
    with pytest.raises(ViewError):
        views.plot_decision_surface(5)
    grid = decision_grid(small_playground.model, ("x1", "x2"), resolution=5)
    with pytest.raises(ViewError) as info:
        views.plot_decision_surface(grid, data=np.zeros((4, 2)))
    assert_message(info.value, "PlaygroundData", "custom_data")
    with pytest.raises(ViewError):
        views.plot_decision_surface(grid, ax="not axes")


def test_loss_curves_plot_the_history(small_playground):
    pg = small_playground
    pg.step(4)
    ax = views.plot_loss_curves(pg)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"train loss", "test loss"}
    np.testing.assert_allclose(lines["train loss"].get_ydata(), pg.history["train_loss"])
    np.testing.assert_allclose(lines["test loss"].get_xdata(), [0, 1, 2, 3, 4])
    assert ax.get_xlabel() == "epoch"


@pytest.mark.parametrize(
    ("history", "fragment"),
    [
        ({"train_loss": []}, "empty"),
        ({"train_loss": [1.0, 0.5], "test_loss": [1.0]}, "Mismatched"),
        ([0.5, 0.4], "list"),
    ],
)
def test_loss_curves_bad_history(history, fragment):
    with pytest.raises(ViewError) as info:
        views.plot_loss_curves(history)
    assert_message(info.value, fragment)


def test_neuron_maps_one_axes_per_neuron(small_playground):
    pg = small_playground
    maps = neuron_activation_maps(pg.model, pg.config.features, resolution=10)
    fig = views.plot_neuron_maps(maps, pg.config.features, feature_maps(pg.config.features))
    assert len(fig.axes) == 2 + 4 + 2
    assert {ax.get_title() for ax in fig.axes} >= {"inputs", "hidden 1", "hidden 2"}
    with pytest.raises(ViewError) as info:
        views.plot_neuron_maps([np.zeros((4, 10))])
    assert_message(info.value, "(4, 10)")
    with pytest.raises(ViewError):
        views.plot_neuron_maps([])


# ------------------------------------------------------------- the live figure
def test_playground_figure_updates_in_place(small_playground):
    pg = small_playground
    view = views.PlaygroundFigure(pg, resolution=40)
    fig, surface = view.fig, view._surface
    before = surface.get_array().copy()
    png_before = view.to_png()
    pg.step(5)
    view.update()
    png_after = view.to_png()
    assert view.fig is fig and view._surface is surface  # reused, not re-created
    assert not np.allclose(before, surface.get_array())
    np.testing.assert_allclose(
        surface.get_array(), decision_grid(pg.model, pg.config.features, resolution=40).probs
    )
    assert png_before[:4] == b"\x89PNG" and png_after != png_before
    assert "epoch 5" in _texts(fig)
    np.testing.assert_allclose(view._train_line.get_ydata(), pg.history["train_loss"])


def test_playground_figure_blitting_matches_a_full_draw(small_playground):
    """The blitted frame equals a fresh full draw of the same state."""
    pg = small_playground
    view = views.PlaygroundFigure(pg, resolution=30)
    view.to_png()
    pg.step(2)
    view.update()
    view.render()
    blitted = np.asarray(view.fig.canvas.buffer_rgba()).copy()
    view.fig.canvas.draw()
    full = np.asarray(view.fig.canvas.buffer_rgba())
    assert np.mean(np.abs(blitted.astype(int) - full.astype(int)) > 8) < 0.002


def test_playground_figure_rebuilds_for_a_new_architecture(small_playground):
    pg = small_playground
    view = views.PlaygroundFigure(pg, resolution=20)
    assert [len(column) for column in view._cells] == [2, 4, 2]
    pg.configure(hidden=(3,), features=("x1", "x2", "x1^2"))
    view.update()
    assert [len(column) for column in view._cells] == [3, 3]
    assert "hidden 2" not in _texts(view.fig) and "3 features" in _texts(view.fig)


def _frame_matches_full_draw(view) -> float:
    """Share of pixels where the blitted frame differs from a fresh full draw."""
    view.render()
    blitted = np.asarray(view.fig.canvas.buffer_rgba()).copy()
    view.fig.canvas.draw()
    full = np.asarray(view.fig.canvas.buffer_rgba())
    return float(np.mean(np.abs(blitted.astype(int) - full.astype(int)) > 8))


def test_cached_backgrounds_never_show_a_stale_picture(small_playground):
    """Architecture, data and activation changes reuse cached backgrounds; every frame
    still equals a full draw of the same state (no old neurons, labels or titles left)."""
    from course_lib.playground import load_playground_data

    pg = small_playground
    view = views.PlaygroundFigure(pg, resolution=30, captions=False)
    view.to_png()
    pg.configure(hidden=(6, 3, 2), features=("x1", "x2", "x1^2"))
    view.update()
    assert _frame_matches_full_draw(view) < 0.002
    pg.configure(hidden=(2,))  # fewer cells than before: nothing of the old network remains
    view.update()
    assert _frame_matches_full_draw(view) < 0.002
    assert "hidden 2" not in _texts(view.fig)
    pg.set_data(load_playground_data("xor", n=120, noise=0.05))
    view.update()
    assert _frame_matches_full_draw(view) < 0.002
    assert "xor · output P(class 1)" in _texts(view.fig)
    pg.configure(activation="relu")
    view.update()
    assert _frame_matches_full_draw(view) < 0.002
    assert view._backgrounds, "the axes-only background should be cached"


def test_static_playground_figure_shows_every_part(small_playground):
    small_playground.step(2)
    fig = views.plot_playground(small_playground)
    text = _texts(fig)
    for fragment in ("inputs", "hidden 1", "hidden 2", "circles · epoch 2", "train loss",
                     "test loss", "test accuracy"):
        assert fragment in text
    with pytest.raises(ViewError):
        views.plot_playground("circles")


def test_show_playground_static_trains_and_returns_a_figure(monkeypatch):
    from matplotlib.figure import Figure

    monkeypatch.setenv("COURSE_VIEWS", "static")
    fig = views.show_playground("xor", n=60, epochs=2, hidden=(3,), batch_size=30)
    assert isinstance(fig, Figure) and "xor · epoch 2" in _texts(fig)
    with pytest.raises(ConfigError) as info:
        views.show_playground("xor", n=60, activation="sigmod")
    assert_message(info.value, "Did you mean 'sigmoid'?")


# -------------------------------------------------- the app, driven by its state
@pytest.fixture
def app(small_playground):
    return views.PlaygroundApp(small_playground, resolution=30)


def test_show_playground_interactive_returns_the_app(monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    app = views.show_playground("moons", n=40, hidden=(2,))
    assert isinstance(app, views.PlaygroundApp)
    assert app.dataset.value == "moons" and app.hidden.value == "2"
    assert app.image.value[:4] == b"\x89PNG"


def test_step_button_play_and_reset(app):
    png = app.image.value
    app.step_button.click()
    assert app.playground.epoch == 1 and app.image.value != png
    for tick in range(1, 4):
        app.play.value = tick
    assert app.playground.epoch == 4
    assert "epoch 4 " in app.status.value
    app.reset_button.click()
    assert app.playground.epoch == 0 and app.play.value == 0
    assert app.playground.history["epoch"] == [0]


def test_dataset_and_noise_controls_regenerate_the_data(app):
    old_model = app.playground.model
    app.step()
    app.dataset.value = "xor"
    assert app.playground.data.name == "xor" and app.playground.epoch == 0
    assert app.playground.model is not old_model
    n = len(app.playground.data.x_train) + len(app.playground.data.x_test)
    assert n == 120  # size kept
    before = app.playground.data.x_train.copy()
    app.noise.value = 0.4
    assert app.playground.data.noise == pytest.approx(0.4)
    assert not np.allclose(before, app.playground.data.x_train)


def test_model_controls_rebuild_the_model(app):
    app.activation.value = "relu"
    assert app.playground.model.layers[0].activation.__name__ == "relu"
    app.hidden.value = "8, 4, 2"
    assert [layer.units for layer in app.playground.model.layers] == [8, 4, 2, 1]
    assert [len(column) for column in app.view._cells] == [2, 8, 4, 2]
    app.learning_rate.value = 0.1
    app.optimizer.value = "rmsprop"
    assert type(app.playground.model.optimizer).__name__ == "RMSprop"
    assert float(app.playground.model.optimizer.learning_rate) == pytest.approx(0.1)
    app.batch_size.value = 7
    app.l2.value = 0.01
    assert app.playground.config.batch_size == 7 and app.playground.config.l2 == 0.01
    app.features_value = ("x1^2", "x2^2")
    assert app.playground.model.inputs[0].shape[-1] == 2
    assert app.playground.config.features == ("x1^2", "x2^2")
    app.feature_boxes["x1*x2"].value = True
    assert app.playground.model.inputs[0].shape[-1] == 3


def test_bad_control_values_show_the_fix_and_keep_the_model(app):
    model, config = app.playground.model, app.playground.config
    app.hidden.value = "4, 0"
    assert "layer 2 has 0" in app.status.value and "Fix:" in app.status.value
    assert app.playground.model is model and app.playground.config == config
    app.hidden.value = "4, two"
    assert "hidden=&#x27;4, two&#x27;" in app.status.value
    app.hidden.value = "3"
    assert app.playground.config.hidden == (3,) and "epoch" in app.status.value
    app.features_value = ()
    assert "at least one" in app.status.value


def test_show_test_checkbox_hides_test_points(app):
    assert all(points.get_visible() for points in app.view._test_pts)
    png = app.image.value
    app.show_test.value = False
    assert not any(points.get_visible() for points in app.view._test_pts)
    assert app.image.value != png
    shown = sum(len(points.get_offsets()) for points in app.view._train_pts)
    assert shown == len(app.playground.data.x_train)


# ------------------------------------------------------------- perceptron views
def test_perceptron_run_view_shows_line_and_errors():
    run = perceptron_on_gate("xor", epochs=10)
    plane, errors = views.plot_perceptron_run(run, step=6)
    assert "XOR" in plane.get_title() and "update 6" in plane.get_title()
    assert "never error-free" in errors.get_title()
    heights = [p.get_height() for p in errors.patches if p.get_width() < 1]
    assert heights == run.errors.tolist()
    with pytest.raises(ViewError) as info:
        views.plot_perceptron_run(run, step=999)
    assert_message(info.value, "step=999")
    with pytest.raises(ViewError):
        views.plot_perceptron_run("run")


def test_perceptron_gates_figure():
    fig = views.plot_perceptron_gates(epochs=12)
    titles = [ax.get_title() for ax in fig.axes]
    assert "AND ✓" in titles and "OR ✓" in titles and "XOR ✗" in titles
    assert sum("learned in" in t for t in titles) == 2


def test_xor_solution_view():
    ax = views.plot_xor_solution(solve_xor_with_hidden_layer(epochs=200))
    assert "100% correct" in ax.get_title()
    assert ax.get_images()[0].get_array().shape == (100, 100)
    with pytest.raises(ViewError):
        views.plot_xor_solution(None)


def test_perceptron_app_driven_by_state(monkeypatch):
    app = views.PerceptronApp(gate="and", epochs=5)
    assert app.update.max == 20 and app.update.value == 20
    first = app.image.value
    app.update.value = 3
    assert app.image.value != first
    app.gate.value = "xor"
    assert app.run.gate == "xor" and not app.run.converged
    app.epochs.value = 8
    assert app.update.max == 32 and app.update.value == 32
    monkeypatch.setenv("COURSE_VIEWS", "static")
    assert hasattr(views.show_perceptron("or"), "savefig")
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    assert isinstance(views.show_perceptron("or"), views.PerceptronApp)


def test_returned_figures_are_not_left_open_in_pyplot(small_playground):
    """A Figure returned to a notebook cell must not also be flushed by pyplot (double image)."""
    import matplotlib.pyplot as plt

    plt.close("all")
    fig = views.plot_playground(small_playground)
    gates = views.plot_perceptron_gates(epochs=3)
    static = views.show_perceptron("and", epochs=3)
    assert plt.get_fignums() == []
    for figure in (fig, gates, static):
        assert views.figure_png(figure)[:4] == b"\x89PNG"
    ax = views.plot_loss_curves(small_playground)  # an Axes: the display layer shows its figure
    assert plt.get_fignums() == [] and ax.figure.canvas is not None
