"""LiveMonitor on a real (tiny) Keras model: recorded values, per-batch logs, outputs, errors."""

from __future__ import annotations

import pytest

from course_lib.errors import ConfigError, ModelError
from course_lib.training import HistoryError, LiveMonitor, TrainingHistory, from_keras_history


class FakeOutput:
    """Records what the monitor hands to its output (livelossplot-style test double)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.total_epochs = None

    def start(self, history, total_epochs):
        self.total_epochs = total_epochs
        self.calls.append(("start", history.n_epochs))

    def update(self, history):
        self.calls.append(("update", history.n_epochs))

    def finish(self, history):
        self.calls.append(("finish", history.n_epochs))


def test_values_equal_keras_history_exactly(recorded_run):
    monitor, keras_history = recorded_run
    run = monitor.history
    assert set(run.logs) == set(keras_history.history)
    assert set(run.logs) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for key, values in keras_history.history.items():
        assert run.logs[key] == values, key  # exact: the same floats Keras logged
    assert run.epochs == keras_history.epoch == [0, 1, 2, 3]
    assert len(run.epoch_times) == 4 and all(t > 0 for t in run.epoch_times)
    assert run.logs["loss"][-1] < run.logs["loss"][0]  # it learned something


def test_model_and_compile_info_are_recorded(recorded_run):
    info = recorded_run[0].history.model_info
    assert info["optimizer"] == "Adam"
    assert info["learning_rate"] == pytest.approx(0.01)
    assert info["loss"] == "sparse_categorical_crossentropy"
    assert info["metrics"] == ["accuracy"]
    assert info["params"] == 4 * 16 + 16 + 16 * 3 + 3
    assert [layer["class"] for layer in info["layers"]] == ["Dense", "Dense"]
    assert info["fit"] == {"epochs": 4, "steps": 5}


def test_per_batch_records_every_batch_in_its_epoch(recorded_run):
    run = recorded_run[0].history
    steps = 5  # 150 training samples / batch 32
    assert len(run.batch_positions) == 4 * steps
    assert set(run.batch_logs) == {"loss", "accuracy"}  # training keys only
    for epoch in range(4):
        positions = run.batch_positions[epoch * steps:(epoch + 1) * steps]
        assert positions == pytest.approx([epoch + (b + 1) / steps for b in range(steps)])
        # Keras' batch logs are running means: the epoch's last one is the epoch value.
        last = run.batch_logs["loss"][(epoch + 1) * steps - 1]
        assert last == pytest.approx(run.logs["loss"][epoch], rel=1e-6)


def test_from_keras_history_matches_the_monitor(recorded_run):
    monitor, keras_history = recorded_run
    converted = from_keras_history(keras_history, name="tiny")
    assert converted.logs == monitor.history.logs
    assert converted.model_info["optimizer"] == "Adam"


def test_saved_record_round_trips(recorded_run, tmp_path):
    run = recorded_run[0].history
    back = TrainingHistory.load_json(run.save_json(tmp_path / "tiny.json"))
    assert back == run


def test_without_per_batch_keras_keeps_its_async_batch_dispatch():
    from keras.src import utils

    plain = LiveMonitor(output="none")
    assert utils.is_default(plain.on_train_batch_end)  # no per-batch sync point
    assert not utils.is_default(LiveMonitor(per_batch=True).on_train_batch_end)
    assert LiveMonitor.async_safe


def test_history_resets_at_each_fit(tiny_data, make_model):
    x, y = tiny_data
    monitor = LiveMonitor(output="none")
    model = make_model()
    model.fit(x, y, epochs=3, verbose=0, callbacks=[monitor])
    second = model.fit(x, y, epochs=2, verbose=0, callbacks=[monitor])
    assert monitor.history.n_epochs == 2
    assert monitor.history.logs["loss"] == second.history["loss"]


def test_output_is_started_updated_and_finished(tiny_data, make_model):
    x, y = tiny_data
    fake = FakeOutput()
    monitor = LiveMonitor(output=fake, min_interval=0.0, overhead_budget=1.0)
    make_model().fit(x, y, epochs=3, verbose=0, callbacks=[monitor])
    assert fake.total_epochs == 3
    assert fake.calls[0] == ("start", 0) and fake.calls[-1] == ("finish", 3)
    assert [n for kind, n in fake.calls if kind == "update"] == [1, 2, 3]


def test_throttle_skips_redraws_but_always_draws_the_end(tiny_data, make_model):
    x, y = tiny_data
    fake = FakeOutput()
    monitor = LiveMonitor(output=fake, min_interval=3600.0)
    make_model().fit(x, y, epochs=4, verbose=0, callbacks=[monitor])
    assert [kind for kind, _ in fake.calls] == ["start", "finish"]


def test_static_mode_draws_exactly_one_figure_at_the_end(tiny_data, make_model, front_end):
    import matplotlib.pyplot as plt

    x, y = tiny_data
    monitor = LiveMonitor(name="static run")
    make_model().fit(x, y, epochs=3, validation_split=0.2, verbose=0, callbacks=[monitor])
    assert plt.get_fignums() == []  # never a pyplot figure: the inline backend cannot repeat it
    front_end.end_cell()
    assert len(front_end.pngs()) == 1  # shown once, under the cell that trained
    fig = monitor.figure
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles[:2] == ["loss", "accuracy"] and titles[2].startswith("time per epoch")
    loss_ax = fig.axes[0]
    lines = {line.get_label(): list(line.get_ydata()) for line in loss_ax.get_lines()}
    assert lines["train"] == monitor.history.logs["loss"]
    assert lines["validation"] == monitor.history.logs["val_loss"]
    assert "static run" in fig._suptitle.get_text()


def test_interactive_mode_displays_one_widget_and_updates_it_in_place(
    tiny_data, make_model, monkeypatch, front_end
):
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    x, y = tiny_data
    monitor = LiveMonitor(min_interval=0.0, overhead_budget=1.0)
    make_model().fit(x, y, epochs=3, validation_split=0.2, verbose=0, callbacks=[monitor])
    front_end.end_cell()
    output = monitor.output
    assert front_end.shown == [output.widget]  # displayed once, never cleared or re-displayed
    status, image = output.widget.children
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    # Tiny epochs are faster than a redraw, so the throttle may skip one; the end is drawn.
    assert 2 <= output.redraws <= 4
    assert "Finished: " in status.value and "epoch 3/3" in status.value


def test_unknown_metric_is_reported_with_the_recorded_names(tiny_data, make_model):
    x, y = tiny_data
    with pytest.raises(HistoryError, match="'acuracy'") as info:
        make_model().fit(x, y, epochs=2, verbose=0,
                         callbacks=[LiveMonitor(metrics=["acuracy"], output="none")])
    assert "['loss', 'accuracy']" in str(info.value)
    with pytest.raises(HistoryError, match="'accuracy'"):
        make_model().fit(x, y, epochs=1, verbose=0,
                         callbacks=[LiveMonitor(metrics="val_accuracy", output="none")])


def test_model_not_compiled_is_refused_with_the_fix(make_model):
    monitor = LiveMonitor(output="none")
    monitor.set_model(make_model(compile=False))
    with pytest.raises(ModelError, match="never compiled") as info:
        monitor.on_train_begin()
    assert "model.compile(" in str(info.value)


def test_bad_output_settings_are_refused():
    with pytest.raises(ConfigError, match="output='widget'"):
        LiveMonitor(output="widget")
    with pytest.raises(ConfigError, match="start/update/finish"):
        LiveMonitor(output=object())
    with pytest.raises(ConfigError, match="overhead_budget=2"):
        LiveMonitor(overhead_budget=2)
