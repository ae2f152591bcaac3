"""Training views drawn headless: curves, overlays of runs, replay animation, bad input."""

from __future__ import annotations

import math

import pytest

from course_lib.errors import TrainingError, ViewError
from course_lib.training import HistoryError, TrainingHistory
from course_lib.views.training import (
    compare_runs,
    plot_epoch_times,
    plot_history,
    plot_metric,
    replay,
)


def run_of(name: str, scale: float, epochs: int = 6, times: bool = True) -> TrainingHistory:
    loss = [1.0 / (e + 1) * scale for e in range(epochs)]
    val = [v + 0.05 * e for e, v in enumerate(loss)]  # overfits: val turns up
    acc = [1 - v / 2 for v in loss]
    return TrainingHistory(
        logs={"loss": loss, "val_loss": val, "accuracy": acc,
              "val_accuracy": [a - 0.05 for a in acc]},
        epoch_times=[1.0 + 0.1 * e for e in range(epochs)] if times else [],
        batch_logs={"loss": [v for v in loss for _ in range(2)]},
        batch_positions=[e + (b + 1) / 2 for e in range(epochs) for b in range(2)],
        name=name,
    )


def labelled_lines(ax):
    return {line.get_label(): line for line in ax.get_lines()
            if not line.get_label().startswith("_")}


def test_plot_history_draws_train_and_validation_per_metric():
    run = run_of("base", 1.0)
    fig = plot_history(run)
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # closed in pyplot: a notebook shows it once, as the result
    loss_ax, acc_ax, time_ax = fig.axes
    assert [loss_ax.get_title(), acc_ax.get_title()] == ["loss", "accuracy"]
    assert time_ax.get_title() == "time per epoch (mean 1.25 s)"
    lines = labelled_lines(loss_ax)
    assert list(lines["train"].get_xdata()) == [1, 2, 3, 4, 5, 6]
    assert list(lines["train"].get_ydata()) == run.logs["loss"]
    assert list(lines["validation"].get_ydata()) == run.logs["val_loss"]
    assert [p.get_height() for p in time_ax.patches] == run.epoch_times
    assert "best val_loss" in fig._suptitle.get_text()


def test_best_epoch_marker_sits_on_the_lowest_validation_loss():
    run = run_of("base", 1.0)
    best = run.best_epoch()
    ax = plot_history(run, metrics="loss", show_time=False).axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"best epoch {best.epoch} (val_loss)" in legend
    marker_x = [line.get_xdata() for line in ax.get_lines() if line.get_marker() == "o"
                and line.get_markersize() == 10]
    assert list(marker_x[0]) == [best.epoch]
    assert any(t.get_text() == f"{best.value:.3g}" for t in ax.texts)


def test_log_scale_applies_to_loss_panels_only():
    fig = plot_history(run_of("base", 1.0), log_scale=True, show_time=False)
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "linear"]


def test_per_batch_curve_and_its_absence():
    run = run_of("base", 1.0)
    ax = plot_metric(run, "loss", per_batch=True)
    batch = labelled_lines(ax)["train (batch mean)"]
    assert list(batch.get_xdata()) == run.batch_positions
    plain = TrainingHistory({"loss": [1.0, 0.5]})
    with pytest.raises(HistoryError, match="per_batch=True"):
        plot_history(plain, per_batch=True)


def test_views_draw_into_the_callers_axes():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    assert plot_metric(run_of("a", 1.0), "accuracy", ax=axes[1]) is axes[1]
    assert labelled_lines(axes[1])["validation"].get_ydata()[0] == pytest.approx(0.45)
    assert plot_history(run_of("a", 1.0), axes=axes, show_time=False) is fig
    assert plt.get_fignums() == [fig.number]  # no extra figure
    with pytest.raises(ViewError, match="needs 3 Axes"):
        plot_history(run_of("a", 1.0), axes=axes)


def test_epoch_times_need_a_monitor_record():
    ax = plot_epoch_times(run_of("a", 1.0))
    assert len(ax.patches) == 6
    with pytest.raises(HistoryError, match="no epoch times"):
        plot_epoch_times({"loss": [1.0, 0.5]})


def test_compare_runs_overlays_every_run_in_one_figure():
    import matplotlib.pyplot as plt

    runs = {"no regularization": run_of("x", 1.0), "dropout": run_of("y", 1.3),
            "L2": {"loss": [1.4, 1.0, 0.8], "val_loss": [1.5, 1.1, 0.9],
                   "accuracy": [0.3, 0.5, 0.6], "val_accuracy": [0.3, 0.4, 0.5]}}
    fig = compare_runs(runs)
    assert plt.get_fignums() == []  # closed in pyplot: a notebook shows it once, as the result
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    for ax in fig.axes:
        lines = labelled_lines(ax)
        expected = {f"{name} ({split})" for name in runs for split in ("train", "val")}
        assert set(lines) == expected
        assert {t.get_text() for t in ax.get_legend().get_texts()} == expected
        assert lines["dropout (train)"].get_linestyle() == "--"
        assert lines["dropout (val)"].get_linestyle() == "-"
        assert lines["dropout (train)"].get_color() == lines["dropout (val)"].get_color()
        assert lines["L2 (val)"].get_color() != lines["dropout (val)"].get_color()
    l2_loss = labelled_lines(fig.axes[0])["L2 (val)"]
    assert list(l2_loss.get_ydata()) == [1.5, 1.1, 0.9]


def test_compare_runs_one_metric_validation_only_into_given_axes():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    out = compare_runs({"a": run_of("a", 1.0), "b": run_of("b", 2.0)}, metrics="val_loss",
                       splits=("val",), axes=ax)
    assert out is fig and set(labelled_lines(ax)) == {"a (val)", "b (val)"}


def test_compare_runs_bad_input():
    with pytest.raises(ViewError, match="non-empty dict"):
        compare_runs({})
    with pytest.raises(ViewError, match="splits"):
        compare_runs({"a": run_of("a", 1.0)}, splits=("test",))
    with pytest.raises(HistoryError, match="'f1'"):
        compare_runs({"a": run_of("a", 1.0)}, metrics=["f1"])
    with pytest.raises(HistoryError, match="Mismatched"):
        compare_runs({"a": {"loss": [1.0, 0.9], "val_loss": [1.0]}})
    with pytest.raises(HistoryError, match="empty"):
        compare_runs({"a": {}})


def test_replay_frames_grow_and_axes_stay_still(tmp_path):
    run = run_of("lecture", 1.0)
    rep = replay(run, metrics=["loss"], max_frames=4, dpi=40)
    assert [f.n_epochs for f in rep.frames] == [1, 3, 4, 6]
    ax = rep.axes[0]
    final_ylim = ax.get_ylim()
    rep.draw_frame(0)
    assert list(labelled_lines(ax)["train"].get_ydata()) == run.logs["loss"][:1]
    assert ax.get_ylim() == final_ylim and ax.get_xlim() == (0.5, 6.5)
    html = rep.to_html()
    assert html.count("data:image/png;base64") == 4  # one embedded frame each
    assert "<script" in html and "anim" in html
    page = rep.save_html(tmp_path / "replay.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<title>lecture</title>" in page
    bundle = rep._repr_mimebundle_()
    assert bundle["text/html"] == html and bundle["image/png"][:4] == b"\x89PNG"


def test_replay_per_batch_and_bad_requests():
    run = run_of("lecture", 1.0, epochs=3)
    rep = replay(run, per_batch=True, show_time=True, max_frames=60, dpi=40)
    assert len(rep.frames) == 6 and rep.frames[0].n_epochs == 0
    with pytest.raises(HistoryError, match="no epoch times"):
        replay(run_of("a", 1.0, times=False), show_time=True)
    with pytest.raises(HistoryError, match="'acc'"):
        replay(run, metrics="acc")
    with pytest.raises(TrainingError, match="max_frames=0"):
        replay(run, max_frames=0)


def test_a_diverged_run_still_draws():
    run = TrainingHistory({"loss": [1.0, 50.0, math.nan], "val_loss": [1.2, math.inf, math.nan]})
    ax = plot_history(run, log_scale=True).axes[0]
    assert labelled_lines(ax)["train"].get_ydata()[1] == 50.0
    assert "best epoch 1 (val_loss)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_compare_runs_labels_without_renaming_the_callers_history():
    run = run_of("original", 1.0)
    fig = compare_runs({"renamed": run}, metrics="loss")
    assert "renamed (val)" in labelled_lines(fig.axes[0])
    assert run.name == "original"


def test_live_output_redraws_in_place_and_skips_a_redundant_final_redraw():
    from course_lib.views.training import LiveFigureOutput

    run = run_of("live", 1.0)
    out = LiveFigureOutput(auto_display=False, per_batch=True)
    out.start(run.head(0), total_epochs=6)
    status, image = out.widget.children
    assert "first epoch" in status.value and image.value == b""
    out.update(run.head(2))
    first_png = image.value
    assert first_png[:4] == b"\x89PNG" and "epoch 2/6" in status.value
    axes = out.figure.axes
    out.update(run.head(3))
    assert out.figure.axes == axes  # same figure and Axes: updated, not rebuilt
    assert image.value != first_png
    train = labelled_lines(axes[0])["train"]
    assert list(train.get_ydata()) == run.logs["loss"][:3]
    assert axes[0].get_xlim() == (0.0, 6.5)  # planned epochs fix the x range
    out.finish(run.head(3))
    assert out.redraws == 2 and "Finished: " in status.value
    out.finish(run)
    assert out.redraws == 3 and "epoch 6/6" in status.value


def test_a_run_without_validation_data_draws_and_saves(tmp_path):
    """Regression: no val series used to give x of length n against y of length 0."""
    run = TrainingHistory(logs={"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.7, 0.9]},
                          name="no-val")
    fig = plot_history(run)
    fig.savefig(tmp_path / "h.png")  # raised "shape mismatch" before the fix
    for ax in fig.axes:
        lines = labelled_lines(ax)
        assert any(len(line.get_xdata()) == 3 for line in lines.values())
        assert all(len(line.get_xdata()) == len(line.get_ydata()) for line in ax.get_lines())
