"""Headless tests of the optimizer views: figure content, HTML player, explorer widget."""

from __future__ import annotations

import gc
import json
import re

import numpy as np
import pytest
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from course_lib.errors import CourseError, ViewError
from course_lib.optim import (
    compare_batch_sizes,
    compare_optimizers,
    get_surface,
    learning_rate_examples,
    make_regression_problem,
    normal_equation,
    optimizer_path,
)
from course_lib.views import optim as views


@pytest.fixture(scope="module")
def paths():
    found = compare_optimizers("rosenbrock", ["sgd", "momentum", "adam"], steps=40)
    found["huge"] = optimizer_path("rosenbrock", "sgd", learning_rate=0.05, steps=40)
    return found


def _labelled_lines(ax):
    return {
        line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")
    }


def test_surface_plot_marks_minima_and_range():
    ax = views.plot_surface("himmelblau")
    surf = get_surface("himmelblau")
    assert ax.get_title() == "Himmelblau's function"
    assert ax.get_xlim() == surf.x_range and ax.get_ylim() == surf.y_range
    assert ax.get_xlabel().startswith("x") and ax.get_ylabel().startswith("y")
    minima = [c for c in ax.collections if c.get_label() == "minimum"]
    assert len(minima) == 1
    np.testing.assert_allclose(minima[0].get_offsets(), surf.minima)


def test_saddle_point_is_marked():
    ax = views.plot_surface("saddle")
    saddle = [c for c in ax.collections if c.get_label() == "saddle point"]
    np.testing.assert_allclose(saddle[0].get_offsets(), [[0.0, 0.0]])


def test_paths_overlay_has_one_labelled_line_per_path(paths):
    ax = views.plot_paths(paths)
    lines = _labelled_lines(ax)
    assert set(lines) == {p.label for p in paths.values()}
    for path in paths.values():
        np.testing.assert_allclose(np.column_stack(lines[path.label].get_data()), path.points)
    assert lines[paths["huge"].label].get_linestyle() == "--"
    assert lines[paths["adam"].label].get_linestyle() == "-"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "start" in legend and "minimum" in legend and "Adam (lr=0.3)" in legend
    assert "SGD (lr=0.05), diverged" in legend


def test_paths_draw_into_a_callers_axes(paths):
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert views.plot_paths(paths["adam"], ax=right) is right
    assert not left.get_lines()
    assert views.plot_loss_curves(paths, ax=left) is left


def test_loss_curves_show_the_gap_on_a_log_scale(paths):
    ax = views.plot_loss_curves(paths)
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step"
    lines = _labelled_lines(ax)
    adam = paths["adam"]
    np.testing.assert_allclose(lines[adam.label].get_ydata(), np.maximum(adam.gap(), 1e-12))
    np.testing.assert_array_equal(lines[adam.label].get_xdata(), np.arange(41))


def test_side_by_side_has_one_panel_per_optimizer(paths):
    fig = views.plot_paths_side_by_side(paths, ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4
    titles = [ax.get_title() for ax in visible]
    assert titles[0].startswith("SGD (lr=0.002)\nfinal loss")
    assert titles[1].startswith("SGD + momentum")
    assert titles[3].endswith("diverged!")
    assert "Rosenbrock" in fig.get_suptitle()


def test_figures_never_reach_pyplot(paths):
    """Figures come from the display layer, so the inline backend cannot show them twice."""
    import matplotlib.pyplot as plt

    plt.close("all")
    fig = views.plot_paths_side_by_side(paths)
    ax = views.plot_paths(paths)
    assert plt.get_fignums() == [] and fig.canvas.get_width_height()[0] > 0
    assert views.plot_paths(paths, ax=ax) is ax  # a caller's Axes is drawn into


def test_comparison_figure_has_paths_and_losses(paths):
    fig = views.plot_optimizer_comparison(paths)
    left, right = fig.axes[:2]
    assert right.get_yscale() == "log"
    assert len(_labelled_lines(left)) == len(_labelled_lines(right)) == 4
    assert fig.legends


@pytest.mark.filterwarnings("ignore:Animation was deleted without rendering")
def test_animation_grows_the_paths(paths):
    anim = views.animate_paths(paths, max_frames=10)
    assert isinstance(anim, FuncAnimation)
    artists = anim._func(20)
    path_line = artists[0]
    assert len(path_line.get_xdata()) == 21
    artists = anim._func(40)
    # the diverged path stopped early: its line ends at its last point
    huge = paths["huge"]
    assert len(artists[3].get_xdata()) == huge.steps_taken + 1
    np.testing.assert_array_equal(views._frame_steps(40, 10)[[0, -1]], [0, 40])
    assert len(views._frame_steps(40, 10)) == 10
    del anim, artists
    gc.collect()  # matplotlib warns when an unrendered animation is collected: do it here


def test_animation_html_is_self_contained_with_player(paths, tmp_path):
    page = views.animation_html(paths)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"(src|href)=[\"']https?:", page)
    assert '<button id="play"' in page
    assert '<input id="step" type="range" min="0" max="40"' in page
    assert "data:image/png;base64," in page
    blob = re.search(r'<script type="application/json" id="path-data">(.*?)</script>', page, re.S)
    data = json.loads(blob.group(1))
    assert data["steps"] == 40
    assert [p["label"] for p in data["paths"]] == [p.label for p in paths.values()]
    for drawn, path in zip(data["paths"], paths.values(), strict=True):
        assert len(drawn["xy"]) == len(drawn["loss"]) == path.steps_taken + 1
        assert drawn["diverged"] == path.diverged
    starts = {tuple(p["xy"][0]) for p in data["paths"]}
    assert len(starts) == 1
    # adam moves right and down on the picture (x grows, SVG y grows downwards as y falls)
    adam = data["paths"][2]["xy"]
    assert adam[-1][0] > adam[0][0] and adam[-1][1] > adam[0][1]
    x0, y0, width, height = data["clips"][0]
    assert x0 <= adam[-1][0] <= x0 + width and y0 <= adam[-1][1] <= y0 + height
    assert len(page) < 400_000
    target = views.save_animation_html(paths, tmp_path / "paths.html", start_at_end=True)
    assert "show(40);" in target.read_text(encoding="utf-8")


def test_explorer_is_driven_through_its_controls():
    explorer = views.OptimizerExplorer("bowl", "sgd", steps=30)
    assert explorer.path.optimizer == "sgd" and explorer.momentum.disabled
    first_png = bytes(explorer.image.value)
    assert first_png.startswith(b"\x89PNG")
    line = explorer._artists["path"]
    np.testing.assert_allclose(np.column_stack(line.get_data()), explorer.path.points)

    explorer.learning_rate.value = 0.1
    assert explorer.path.learning_rate == pytest.approx(0.1)
    assert bytes(explorer.image.value) != first_png
    np.testing.assert_allclose(np.column_stack(line.get_data()), explorer.path.points)

    explorer.optimizer.value = "momentum"
    assert explorer.path.optimizer == "momentum" and explorer.path.keras_class == "SGD"
    assert explorer.learning_rate.value == pytest.approx(
        get_surface("bowl").learning_rates["momentum"]
    )
    assert not explorer.momentum.disabled and explorer.path.settings == {"momentum": 0.9}
    explorer.momentum.value = 0.5
    assert explorer.path.settings == {"momentum": 0.5}

    explorer.optimizer.value = "adam"
    assert explorer.momentum.description.startswith("β₁")
    explorer.momentum.value = 0.8
    assert explorer.path.settings == {"beta_1": 0.8}

    explorer.steps.value = 12
    assert explorer.path.steps_taken == 12 and len(line.get_xdata()) == 13

    explorer.start_x.value = 5.0
    assert explorer.path.start[0] == pytest.approx(5.0)
    assert "Adam" in explorer.status.value and "loss" in explorer.status.value


def test_explorer_shows_divergence_and_switches_surface():
    explorer = views.OptimizerExplorer("bowl", "sgd", steps=20)
    redraws = explorer.redraws
    explorer.set(learning_rate=5.0, steps=25)
    assert explorer.redraws == redraws + 1  # one recompute for two controls
    assert explorer.path.diverged and "Diverged" in explorer.status.value
    assert explorer._artists["path"].get_linestyle() == "--"

    explorer.surface.value = "himmelblau"
    surf = get_surface("himmelblau")
    assert explorer.path.surface.name == "himmelblau"
    assert (explorer.start_x.min, explorer.start_x.max) == surf.x_range
    assert explorer.path.start == pytest.approx(surf.default_start)
    assert explorer.learning_rate.value == pytest.approx(surf.learning_rates["sgd"])
    assert not explorer.path.diverged
    assert explorer._artists["ax_path"].get_title() == surf.title
    with pytest.raises(ViewError, match="bogus=1"):
        explorer.set(bogus=1)


def test_explorer_falls_back_to_a_static_figure(monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "static")
    fig = views.optimizer_explorer("saddle", "momentum", steps=20)
    assert isinstance(fig, Figure)
    assert "SGD + momentum (lr=0.02)" in _labelled_lines(fig.axes[0])
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    widget = views.optimizer_explorer("saddle", "momentum", steps=20)
    assert isinstance(widget, views.OptimizerExplorer)
    assert "application/vnd.jupyter.widget-view+json" in widget.widget._repr_mimebundle_()


def test_one_d_view_has_three_labelled_panels():
    runs = learning_rate_examples(steps=6)
    fig = views.plot_learning_rates_1d(runs)
    axes = fig.axes
    assert len(axes) == 3
    assert axes[0].get_title().startswith("too small (lr = 0.03)")
    assert axes[1].get_title().startswith("good (lr = 0.3)")
    assert "diverges!" in axes[2].get_title()
    steps = _labelled_lines(axes[1])["gradient steps"]
    np.testing.assert_allclose(steps.get_xdata(), runs["good"].weights)
    tangents = [line for line in axes[1].get_lines() if line.get_color() == "tab:red"]
    assert len(tangents) == 6
    assert axes[0].get_ylabel() == "loss L(w)"


def test_regression_view_marks_the_normal_equation():
    problem = make_regression_problem()
    paths = compare_batch_sizes(problem, steps=60)
    fig = views.plot_regression_gd(problem, paths)
    ax_w, ax_loss, ax_data = fig.axes[:3]
    star = [c for c in ax_w.collections if c.get_label() == "normal equation"]
    np.testing.assert_allclose(star[0].get_offsets()[0], normal_equation(problem))
    lines = _labelled_lines(ax_loss)
    for label, path in paths.items():
        np.testing.assert_allclose(lines[label].get_ydata(), path.losses)
        np.testing.assert_allclose(
            np.column_stack(_labelled_lines(ax_w)[label].get_data()), path.params
        )
    assert ax_loss.get_yscale() == "log"
    assert ax_w.get_xlabel() == "w (slope)" and ax_w.get_ylabel() == "b (intercept)"
    assert any(label.startswith("normal eq.: y = ") for label in _labelled_lines(ax_data))


@pytest.mark.parametrize(
    "call",
    [
        lambda: views.plot_paths([]),
        lambda: views.plot_paths(optimizer_path("bowl", steps=2), ax="nope"),
        lambda: views.plot_paths("rosenbrock"),
        lambda: views.plot_paths_side_by_side(optimizer_path("bowl", steps=2), ncols=0),
        lambda: views.animation_html(optimizer_path("bowl", steps=2), interval=0),
        lambda: views.animate_paths(optimizer_path("bowl", steps=2), max_frames=1),
        lambda: views.plot_learning_rates_1d([]),
        lambda: views.plot_regression_gd(make_regression_problem(), {}),
    ],
)
def test_bad_view_input_raises_view_errors(call):
    with pytest.raises(ViewError) as info:
        call()
    assert isinstance(info.value, CourseError) and "Received" in str(info.value)


def test_paths_of_different_surfaces_cannot_share_a_plot():
    mixed = [optimizer_path("bowl", steps=2), optimizer_path("saddle", steps=2)]
    with pytest.raises(ViewError, match="same surface"):
        views.plot_paths(mixed)
