"""TensorBoard: log dirs, event files read without TensorBoard, a server that starts and stops."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from course_lib.training.tensorboard import (
    LogDirError,
    TensorBoardError,
    TensorBoardServer,
    prepare_log_dir,
    proxy_url,
    read_events,
    running_servers,
)
from course_lib.training.tensorboard_proxy import setup_tensorboard


@pytest.fixture(scope="module")
def logged_run(tmp_path_factory, tiny_data, make_model):
    import keras

    x, y = tiny_data
    log_dir = prepare_log_dir(tmp_path_factory.mktemp("tb") / "run")
    history = make_model().fit(x, y, validation_split=0.25, epochs=3, verbose=0,
                               callbacks=[keras.callbacks.TensorBoard(str(log_dir),
                                                                      histogram_freq=1)])
    return log_dir, history.history


def test_prepare_log_dir_creates_and_clears(tmp_path):
    target = prepare_log_dir(tmp_path / "a" / "b")
    assert target.is_dir() and target.is_absolute()
    (target / "old").write_text("x")
    assert not (prepare_log_dir(target, clear=True) / "old").exists()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_log_dir_is_a_course_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(LogDirError, match="writable log directory"):
            prepare_log_dir(locked / "run")
        with pytest.raises(LogDirError):
            TensorBoardServer(locked)
    finally:
        locked.chmod(stat.S_IRWXU)


def test_a_file_as_log_dir_is_a_course_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(LogDirError, match=str(blocker)):
        prepare_log_dir(blocker / "run")


@pytest.mark.slow
def test_event_files_hold_the_same_scalars_and_histograms(logged_run):
    log_dir, keras_logs = logged_run
    log = read_events(log_dir)
    assert log.runs == ["train", "validation"]
    history = log.to_history()
    assert set(history.logs) == set(keras_logs)
    for key, values in keras_logs.items():
        assert history.logs[key] == pytest.approx(values, rel=1e-6), key
    assert history.epochs == [0, 1, 2]
    kernels = [tag for tag in log.histograms["train"] if "kernel" in tag]
    assert len(kernels) == 2
    records = log.histograms["train"][kernels[0]]
    assert [r.step for r in records] == [0, 1, 2]
    first = records[0]
    assert len(first.edges) == len(first.counts) + 1
    assert sum(first.counts) == pytest.approx(4 * 16)  # every weight of the 4x16 kernel counted


def test_missing_event_files_are_a_course_error(tmp_path):
    with pytest.raises(TensorBoardError, match="no such directory"):
        read_events(tmp_path / "nothing")
    with pytest.raises(TensorBoardError, match="none"):
        read_events(tmp_path)


@pytest.mark.slow
def test_server_answers_on_localhost_and_is_stopped(logged_run):
    log_dir, _ = logged_run
    with TensorBoardServer(log_dir) as board:
        assert board.is_running and board in running_servers()
        assert board.answers() and board.answers("data/logdir")
        pid = board.process.pid
        assert board.iframe().src == f"http://localhost:{board.port}/"
    assert not board.is_running and board not in running_servers()
    assert not board.answers()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the process is gone (reaped), not just detached


def test_proxy_urls(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    monkeypatch.delenv("TENSORBOARD_PROXY_URL", raising=False)
    assert proxy_url(6006) is None
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    assert proxy_url(6006) == "/user/ana/proxy/6006/"
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX")
    monkeypatch.setenv("TENSORBOARD_PROXY_URL", "/lab/proxy/%PORT%/")
    assert proxy_url(7000) == "/lab/proxy/7000/"


def test_server_proxy_entry(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_TENSORBOARD_LOGDIR", str(tmp_path / "logs"))
    config = setup_tensorboard()
    assert "{port}" in config["command"] and str(tmp_path / "logs") in config["command"]
    assert config["launcher_entry"]["title"] == "TensorBoard"
    assert (tmp_path / "logs").is_dir()
    from jupyter_server_proxy.config import ServerProcess

    ServerProcess(name="tensorboard", **config)  # the keys are the ones server-proxy accepts
