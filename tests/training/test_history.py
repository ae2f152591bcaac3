"""TrainingHistory: validation, best epoch, JSON round trip, replay frames (no Keras needed)."""

from __future__ import annotations

import doctest
import json
import math
import subprocess
import sys

import pytest

from course_lib.errors import ConfigError, CourseError, TrainingError, ViewError
from course_lib.training import (
    HistoryError,
    RedrawThrottle,
    TrainingHistory,
    from_keras_history,
    replay_frames,
)


def sample() -> TrainingHistory:
    run = TrainingHistory(
        logs={"loss": [1.0, 0.6, math.nan, 0.5], "val_loss": [1.1, 0.7, 0.65, 0.9],
              "accuracy": [0.5, 0.7, 0.8, 0.9], "val_accuracy": [0.4, 0.6, 0.7, 0.65]},
        epoch_times=[2.5, 1.0, 1.1, 0.9],
        batch_logs={"loss": [1.2, 1.0, 0.7, 0.6, 0.6, 0.5, 0.5, 0.5]},
        batch_positions=[0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0],
        model_info={"name": "m", "optimizer": "Adam", "metrics": ["accuracy"]},
        name="sample",
    )
    return run.validate()


def test_errors_are_course_errors():
    assert issubclass(HistoryError, TrainingError)  # the training room's error
    assert not issubclass(HistoryError, ViewError)
    assert issubclass(HistoryError, CourseError)


def test_json_round_trip_keeps_everything_including_nan(tmp_path):
    run = sample()
    path = run.save_json(tmp_path / "runs" / "sample.json")
    text = path.read_text()
    assert "NaN" not in text  # strict JSON: the diverged value is stored as null
    assert json.loads(text)["logs"]["loss"][2] is None
    back = TrainingHistory.load_json(path)
    assert back.name == "sample"
    assert back.epochs == [0, 1, 2, 3]
    assert back.epoch_times == run.epoch_times
    assert back.batch_positions == run.batch_positions
    assert back.batch_logs == run.batch_logs
    assert back.model_info == run.model_info
    assert math.isnan(back.logs["loss"][2])
    assert back.logs["val_accuracy"] == run.logs["val_accuracy"]


def test_plain_history_dict_converts():
    run = from_keras_history({"loss": [0.7, 0.4], "val_loss": [0.8, 0.6]}, name="base")
    assert run.name == "base" and run.x == [1, 2] and run.metric_names == ["loss"]
    assert TrainingHistory.from_dict({"loss": [3, 2]}).logs == {"loss": [3.0, 2.0]}


def test_metric_names_put_loss_first_and_drop_val_prefix():
    assert sample().metric_names == ["loss", "accuracy"]
    assert sample().has_validation("accuracy")


def test_best_epoch_uses_val_loss_min_and_accuracy_max():
    run = sample()
    assert run.best_epoch() == (2, 3, "val_loss", 0.65)
    assert run.best_epoch("val_accuracy").epoch == 3
    assert run.best_epoch("accuracy").value == 0.9
    assert run.best_epoch("loss").value == 0.5  # the NaN (epoch 3) never wins
    assert run.best_epoch("val_accuracy", mode="min").epoch == 1


def test_best_epoch_all_nan_says_training_diverged():
    with pytest.raises(HistoryError, match="NaN") as info:
        TrainingHistory({"loss": [math.nan, math.nan]}).best_epoch()
    assert "learning rate" in str(info.value)


def test_empty_history_is_refused_with_a_fix(tmp_path):
    for attempt in (lambda: TrainingHistory().validate(),
                    lambda: TrainingHistory(name="e").save_json(tmp_path / "e.json"),
                    lambda: from_keras_history({}),
                    lambda: TrainingHistory({"loss": []}).best_epoch()):
        with pytest.raises(HistoryError, match="empty") as info:
            attempt()
        assert "Fix:" in str(info.value)


def test_mismatched_lengths_name_the_keys():
    with pytest.raises(HistoryError, match="Mismatched") as info:
        TrainingHistory({"loss": [1.0, 0.5, 0.4], "val_loss": [1.0, 0.9]}).validate()
    assert "'val_loss': 2" in str(info.value)
    with pytest.raises(HistoryError, match="epoch times"):
        TrainingHistory({"loss": [1.0, 0.5]}, epoch_times=[1.0]).validate()
    with pytest.raises(HistoryError, match="batch"):
        TrainingHistory({"loss": [1.0]}, batch_logs={"loss": [1.0, 2.0]},
                        batch_positions=[1.0]).validate()


def test_non_numbers_and_non_lists_are_refused():
    with pytest.raises(HistoryError, match="'high'"):
        TrainingHistory({"loss": [1.0, "high"]})
    with pytest.raises(HistoryError, match="list of numbers"):
        TrainingHistory({"loss": 0.5})
    with pytest.raises(HistoryError, match="keras History"):
        from_keras_history(42)


def test_unknown_metric_names_the_known_ones():
    with pytest.raises(HistoryError, match="'acuracy'") as info:
        sample().check_metric("acuracy")
    assert "['loss', 'accuracy']" in str(info.value)
    with pytest.raises(HistoryError, match="validation_split"):
        TrainingHistory({"loss": [1.0]}).series("val_loss")


def test_corrupt_missing_and_foreign_files(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "course_lib.TrainingHistory", "logs": {"loss": [1.0,')
    with pytest.raises(HistoryError, match="not valid JSON") as info:
        TrainingHistory.load_json(broken)
    assert "broken.json" in str(info.value)
    with pytest.raises(HistoryError, match="Cannot read"):
        TrainingHistory.load_json(tmp_path / "nope.json")
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"format": "something-else", "logs": {}}))
    with pytest.raises(HistoryError, match="something-else"):
        TrainingHistory.load_json(foreign)
    future = tmp_path / "future.json"
    future.write_text(json.dumps({**sample().to_dict(), "version": 99}))
    with pytest.raises(HistoryError, match="version 99"):
        TrainingHistory.load_json(future)


def test_append_keeps_lists_aligned():
    run = TrainingHistory(name="live")
    run.append_epoch(0, {"loss": 1.0}, 0.5)
    run.append_epoch(1, {"loss": 0.8, "val_loss": 0.9}, 0.4)
    run.append_epoch(2, {"val_loss": 0.7}, 0.4)
    assert run.validate().n_epochs == 3
    assert math.isnan(run.logs["val_loss"][0]) and math.isnan(run.logs["loss"][2])
    assert run.epoch_times == [0.5, 0.4, 0.4]


def test_head_keeps_what_was_known_at_that_time():
    part = sample().head(2.0)
    assert part.n_epochs == 2 and part.logs["val_loss"] == [1.1, 0.7]
    assert part.batch_positions == [0.5, 1.0, 1.5, 2.0]
    assert part.epoch_times == [2.5, 1.0]


def test_replay_frames_per_epoch_and_per_batch():
    run = sample()
    frames = replay_frames(run)
    assert [f.n_epochs for f in frames] == [1, 2, 3, 4]
    assert frames[-1].history(run).logs.keys() == run.logs.keys()
    batch_frames = replay_frames(run, per_batch=True)
    assert [f.upto for f in batch_frames] == run.batch_positions
    assert [f.n_batches for f in batch_frames] == list(range(1, 9))
    assert [f.n_epochs for f in batch_frames] == [0, 1, 1, 2, 2, 3, 3, 4]


def test_replay_frames_thin_long_runs_but_keep_first_and_last():
    run = TrainingHistory({"loss": [1.0 / (i + 1) for i in range(100)]})
    frames = replay_frames(run, max_frames=10)
    assert len(frames) == 10
    assert frames[0].n_epochs == 1 and frames[-1].n_epochs == 100
    assert [f.index for f in frames] == list(range(10))
    assert all(a.upto < b.upto for a, b in zip(frames, frames[1:], strict=False))


def test_replay_frames_bad_requests():
    with pytest.raises(HistoryError, match="per_batch=True"):
        replay_frames(TrainingHistory({"loss": [1.0]}), per_batch=True)
    with pytest.raises(TrainingError, match="max_frames=0"):
        replay_frames(sample(), max_frames=0)
    with pytest.raises(HistoryError, match="empty"):
        replay_frames(TrainingHistory())


def test_redraw_throttle_respects_interval_and_budget():
    throttle = RedrawThrottle(min_interval=0.5, budget=0.02)
    start = throttle.last_end
    assert not throttle.ready(now=start + 0.4)
    assert throttle.ready(now=start + 0.6)
    throttle.record(start + 1.0, start + 1.1)  # a redraw that cost 0.1 s
    assert not throttle.ready(now=start + 1.1 + 4.9)  # 0.1 / 0.02 = 5 s
    assert throttle.ready(now=start + 1.1 + 5.01)
    assert throttle.count == 1 and throttle.total_cost == pytest.approx(0.1)
    with pytest.raises(ConfigError, match="overhead_budget=0"):
        RedrawThrottle(budget=0)
    with pytest.raises(ConfigError, match="min_interval=-1"):
        RedrawThrottle(min_interval=-1)


def test_docstring_examples_run():
    import course_lib.training.history as history
    import course_lib.training.replay as replay

    for module in (history, replay):
        result = doctest.testmod(module, extraglobs={"TrainingHistory": TrainingHistory})
        assert result.failed == 0 and result.attempted > 0


def test_importing_training_does_not_import_keras_or_matplotlib():
    code = ("import sys, course_lib, course_lib.training, course_lib.views;"
            "print(*(m in sys.modules for m in ('keras', 'tensorflow', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
