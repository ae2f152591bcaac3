"""Grading through a Dask cluster: two worker processes over real TCP (``--scheduler``)."""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import shutil
import signal
import socket
import threading
import time

import distributed
import nbformat
import psutil
import pytest

from course_lib.errors import GradingError
from course_lib.grading import distributed as grading_distributed
from course_lib.grading.autograde import assignment_limits, grade_submissions, load_assignment
from course_lib.grading.feedback import feedback_filename

from .grading_nb import CORPUS

pytestmark = pytest.mark.slow

SOURCE = CORPUS / "squares.ipynb"
# A mix of outcomes, a submission folder with a data file, and an unreadable notebook.
BATCH = (
    "correct",
    "partly_correct",
    "syntax_error",
    "kernel_crash",
    "folder_student",
    "not_a_notebook",
)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        protocol="tcp",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
        resources={"grading": 1},  # as `dask worker --resources grading=1`
    ) as local_cluster:
        yield local_cluster


def _batch(tmp_path, names=BATCH):
    subs = tmp_path / "submissions"
    subs.mkdir()
    for name in names:
        for candidate in (CORPUS / "submissions" / f"{name}.ipynb", CORPUS / "submissions" / name):
            if candidate.is_dir():
                shutil.copytree(candidate, subs / name)
            elif candidate.is_file():
                shutil.copy(candidate, subs / candidate.name)
    (subs / "no_notebook").mkdir()  # a folder without a notebook: a "missing" row
    return subs


def _rows(path):
    with path.open(newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    for row in rows.values():
        row.pop("duration_s")
    return rows


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cluster_gradebook_equals_the_local_pool_gradebook(cluster, tmp_path):
    subs = _batch(tmp_path)
    local = grade_submissions(SOURCE, subs, tmp_path / "local", jobs=1)
    remote = grade_submissions(SOURCE, subs, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert sorted(remote.graded) == sorted(local.graded) == sorted([*BATCH, "no_notebook"])
    assert _rows(remote.gradebook) == _rows(local.gradebook)
    assert _rows(remote.gradebook)["correct"]["total"] == "6"
    assert _rows(remote.gradebook)["folder_student"]["total"] == "6"  # its factor.txt arrived
    feedback = sorted(p.name for p in local.feedback_dir.iterdir())
    assert sorted(p.name for p in remote.feedback_dir.iterdir()) == feedback
    for name in feedback:
        assert (remote.feedback_dir / name).read_text() == (local.feedback_dir / name).read_text()
    # Resume works the same way: nothing is sent to the cluster a second time.
    again = grade_submissions(SOURCE, subs, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert again.graded == [] and len(again.skipped) == len(BATCH) + 1


@pytest.mark.parametrize(
    "address, message",
    [
        (None, "does not answer"),  # a free port on this machine
        ("tcp://scheduler.invalid:8786", "does not answer"),
        ("nonsense", "Expected a scheduler address like tcp://HOST:8786"),
        ("http://localhost:8786", "unknown address scheme"),
    ],
)
def test_a_scheduler_that_does_not_answer_is_a_clear_error(tmp_path, address, message):
    address = address or f"tcp://127.0.0.1:{_free_port()}"
    subs = _batch(tmp_path, ("correct",))
    out = tmp_path / "grades"
    started = time.monotonic()
    with pytest.raises(GradingError, match=message) as info:
        grade_submissions(SOURCE, subs, out, scheduler=address)
    assert "dask scheduler" in str(info.value)  # the hint says how to start one
    assert time.monotonic() - started < 30
    assert not (out / "gradebook.csv").exists()


def test_cli_reports_an_unreachable_scheduler(tmp_path, capsys):
    from course_lib.cli import main

    subs = _batch(tmp_path, ("correct",))
    address = f"tcp://127.0.0.1:{_free_port()}"
    code = main(
        ["grade", str(SOURCE), str(subs), "--out", str(tmp_path / "g"), "--scheduler", address]
    )
    assert code == 2
    assert f"The Dask scheduler at {address} does not answer" in capsys.readouterr().err


@pytest.mark.parametrize("threads", [1, 2])
def test_workers_without_the_resource_need_one_thread(tmp_path, threads):
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=threads,
        processes=False,
        protocol="tcp",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as plain:
        subs = _batch(tmp_path, ("correct",))
        if threads == 1:
            summary = grade_submissions(
                SOURCE, subs, tmp_path / "g", scheduler=plain.scheduler_address
            )
            assert summary.results["correct"].total == 6
        else:
            with pytest.raises(GradingError, match="nthreads=2"):
                grade_submissions(SOURCE, subs, tmp_path / "g", scheduler=plain.scheduler_address)


def test_workers_with_other_grading_code_are_refused(cluster, tmp_path, monkeypatch):
    # Only this process sees the patch: the workers report the real digest.
    monkeypatch.setattr(grading_distributed, "grading_code_digest", lambda: "0" * 64)
    with pytest.raises(GradingError, match="same course_lib grading code"):
        grade_submissions(
            SOURCE,
            _batch(tmp_path, ("correct",)),
            tmp_path / "g",
            scheduler=cluster.scheduler_address,
        )
    assert not (tmp_path / "g" / "gradebook.csv").exists()


def _sleeper(marker_dir, name, every_attempt):
    """A correct submission whose first cell leaves a marker, then waits to be killed."""
    nb = nbformat.read(CORPUS / "submissions" / "correct.ipynb", as_version=4)
    if every_attempt:
        body = f"(marker / '{name}-{{}}'.format(time.time_ns())).write_text('x')\ntime.sleep(120)"
    else:
        body = (
            f"if not (marker / '{name}-0').exists():\n"
            f"    (marker / '{name}-0').write_text('x')\n    time.sleep(120)"
        )
    code = f"import pathlib, time\nmarker = pathlib.Path({str(marker_dir)!r})\n{body}"
    nb.cells.insert(0, nbformat.v4.new_code_cell(code))
    return nb


def _kill_worker_running(client, student):
    """SIGKILL the worker process grading ``student``, and its kernel: a machine lost."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for address, keys in client.processing().items():
            if any(str(k).startswith(f"grade-{student}-") for k in keys):
                pid = client.run(os.getpid, workers=[address])[address]
                victims = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
                for proc in victims:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        proc.send_signal(signal.SIGKILL)
                return
        time.sleep(0.2)
    raise AssertionError(f"no worker was grading {student}")


def test_a_worker_that_dies_mid_grade_is_retried_once_then_marked(cluster, tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    markers = tmp_path / "markers"
    markers.mkdir()
    shutil.copy(CORPUS / "submissions" / "correct.ipynb", subs / "steady.ipynb")
    nbformat.write(_sleeper(markers, "once", every_attempt=False), subs / "once.ipynb")
    nbformat.write(_sleeper(markers, "always", every_attempt=True), subs / "always.ipynb")
    limits = assignment_limits(load_assignment(SOURCE), cell_timeout=150, total_timeout=300)
    kills: list[str] = []
    stop = threading.Event()

    def killer():
        with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
            seen: set[str] = set()
            while not stop.is_set():
                for marker in sorted(markers.iterdir()):
                    if marker.name not in seen:
                        seen.add(marker.name)
                        student = marker.name.split("-")[0]
                        _kill_worker_running(client, student)
                        kills.append(student)
                time.sleep(0.2)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        summary = grade_submissions(
            SOURCE, subs, tmp_path / "grades", limits=limits, scheduler=cluster.scheduler_address
        )
    finally:
        stop.set()
        thread.join(60)
    assert sorted(kills) == ["always", "always", "once"]
    rows = _rows(summary.gradebook)
    assert set(rows) == {"steady", "once", "always"}  # none dropped
    assert (rows["steady"]["status"], rows["steady"]["total"]) == ("ok", "6")
    # Killed on its first try, graded in full on the second.
    assert (rows["once"]["status"], rows["once"]["total"]) == ("ok", "6"), rows["once"]
    assert (rows["always"]["status"], rows["always"]["total"]) == ("grader-error", "0")
    assert "died, 2 time(s)" in rows["always"]["notes"]
    assert "run the grader again" in rows["always"]["notes"]
    assert (summary.feedback_dir / feedback_filename("always")).is_file()


def test_losing_the_scheduler_mid_run_is_an_error_and_keeps_finished_rows(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    markers = tmp_path / "markers"
    markers.mkdir()
    shutil.copy(CORPUS / "submissions" / "correct.ipynb", subs / "aa_first.ipynb")
    nbformat.write(_sleeper(markers, "zz", every_attempt=True), subs / "zz_last.ipynb")
    # The sleeping cell times out after 20 s, so the in-process worker thread ends.
    limits = assignment_limits(load_assignment(SOURCE), cell_timeout=20)
    out = tmp_path / "grades"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as lonely:

        def stop_scheduler():
            while not any(markers.iterdir()):
                time.sleep(0.2)
            lonely.sync(lonely.scheduler.close)

        thread = threading.Thread(target=stop_scheduler, daemon=True)
        thread.start()
        with pytest.raises(GradingError, match="Lost the Dask scheduler") as info:
            grade_submissions(SOURCE, subs, out, limits=limits, scheduler=lonely.scheduler_address)
        thread.join(30)
    assert "run the same command again" in str(info.value)
    rows = _rows(out / "gradebook.csv")
    assert list(rows) == ["aa_first"] and rows["aa_first"]["total"] == "6"
