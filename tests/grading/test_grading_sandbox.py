"""The sandbox and the executor: limits, isolation, recovery, hidden-test privacy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_lib.errors import GradingError
from course_lib.grading.execute import CellRun, execute_cells
from course_lib.grading.sandbox import SandboxKernel, SandboxLimits

FAST = SandboxLimits(cell_timeout=3, total_timeout=30, memory_mb=1024, max_output_bytes=1000)


@pytest.mark.parametrize("name", ["cell_timeout", "memory_mb", "max_output_bytes"])
def test_limits_must_be_positive(name):
    with pytest.raises(GradingError, match=rf"Received: {name}=0"):
        SandboxLimits(**{name: 0})


def test_hostile_cells_in_one_kernel(tmp_path):
    """One kernel survives errors, timeouts, memory hogs and floods; state is kept."""
    with SandboxKernel(tmp_path, FAST) as kernel:
        assert kernel.run("import os; x = 41; print(os.getcwd())").text().strip() == str(tmp_path)
        err = kernel.run("1 / 0")
        assert (err.status, err.ename) == ("error", "ZeroDivisionError")
        loop = kernel.run("while True:\n    pass", timeout=1.5)
        assert loop.status == "timeout" and loop.kernel_alive
        assert "1.5s time limit" in loop.evalue
        hog = kernel.run("big = bytearray(4 * 1024**3)")
        assert (hog.status, hog.ename) == ("error", "MemoryError")
        flood = kernel.run("print('x' * 50_000)")
        assert flood.status == "ok" and flood.truncated
        assert sum(len(o.get("text", "")) for o in flood.outputs) < 1200
        assert kernel.run("import sys; sys.exit(3)").ename == "SystemExit"
        assert kernel.run("print(x + 1)").text() == "42\n"
        died = kernel.run("import os; os._exit(1)")
        assert died.status == "died" and not died.kernel_alive
        assert kernel.run("print(1)").status == "died"


def test_kernel_environment_is_scrubbed_and_private(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "do-not-leak")
    monkeypatch.setenv("COURSE_FAST", "1")
    with SandboxKernel(tmp_path, FAST) as kernel:
        out = kernel.run(
            "import os; print(os.environ.get('SECRET_TOKEN'), os.environ['COURSE_FAST'], "
            "os.environ['HOME'] != os.getcwd(), os.environ['MPLBACKEND'])"
        ).text()
        assert out == "None 1 True Agg\n"
        assert kernel.isolation["memory"] is True


def test_no_network(tmp_path):
    with SandboxKernel(tmp_path, FAST) as kernel:
        if not kernel.isolation["network"].startswith("isolated"):
            pytest.skip(f"this OS does not allow a private network namespace: {kernel.isolation}")
        probe = kernel.run("import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=1)")
        assert probe.status == "error" and probe.ename in ("OSError", "ConnectionRefusedError")
        names = kernel.run("import socket; print(socket.if_nameindex())").text()
        assert "eth" not in names


def test_kernel_cannot_see_or_signal_the_grader(tmp_path):
    with SandboxKernel(tmp_path, FAST) as kernel:
        if not kernel.isolation["pid_namespace"]:
            pytest.skip(f"this OS does not allow a private PID namespace: {kernel.isolation}")
        assert kernel.run("import os; print(os.getpid())").text() == "1\n"
        probe = kernel.run(f"import os, signal; os.kill({os.getpid()}, signal.SIGKILL)")
        assert probe.ename == "ProcessLookupError"
        # kill(-1) reaches only the kernel's own processes: the kernel survives it
        kernel.run(
            "import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass"
        )
        assert kernel.run("print('grader still here')").status in ("ok", "died")
    assert os.getpid() > 0  # and so does this process


def test_fork_bomb_is_contained_and_cleaned_up(tmp_path):
    limits = SandboxLimits(cell_timeout=2, total_timeout=30, memory_mb=1024, max_processes=64)
    kernel = SandboxKernel(tmp_path, limits)
    kernel.start()
    try:
        contained = kernel.isolation.get("cgroup") or (
            os.getuid() != 0 and kernel.isolation["nproc"]
        )
        if not contained:
            pytest.skip(f"no pids cgroup and RLIMIT_NPROC does not bind root: {kernel.isolation}")
        bomb = kernel.run("import os\nwhile True:\n    os.fork()")
        assert bomb.status in ("error", "timeout", "died")
        cgroup = kernel.isolation.get("cgroup")
    finally:
        kernel.shutdown()
    if cgroup:
        assert not Path(cgroup).exists()  # every process killed, cgroup removed


def test_replay_after_crash_keeps_earlier_state(tmp_path):
    cells = [
        CellRun(0, "base = 10"),
        CellRun(1, "import os; os._exit(3)"),
        CellRun(2, "print(base + 1)"),
        CellRun(3, "exit_code = 0\nexit()"),  # ipykernel's exit() only asks the front end
        CellRun(4, "print('still', base)"),
    ]
    report = execute_cells(cells, tmp_path, FAST)
    statuses = [o.status for o in report.outcomes]
    assert statuses == ["ok", "died", "ok", "ok", "ok"]
    assert report.outcomes[2].outputs[0]["text"] == "11\n"
    assert report.restarts == 1
    assert any("KernelDied" in note for note in report.incidents)


def test_total_timeout_skips_the_rest(tmp_path):
    limits = SandboxLimits(cell_timeout=5, total_timeout=2.5, memory_mb=1024)
    cells = [
        CellRun(0, "import time; time.sleep(1.5)"),
        CellRun(1, "time.sleep(3)"),
        CellRun(2, "print('late')"),
    ]
    report = execute_cells(cells, tmp_path, limits)
    assert [o.status for o in report.outcomes] == ["ok", "timeout", "skipped"]
    assert "total time limit" in report.outcomes[1].evalue
    assert "total time limit" in report.outcomes[2].evalue


def test_hidden_cells_stay_out_of_input_history(tmp_path):
    probe = "print(any('SENTINEL' in s for s in In if 'probe' not in s))  # probe"
    visible = execute_cells([CellRun(0, "x = 'SENTINEL'"), CellRun(1, probe)], tmp_path, FAST)
    hidden = execute_cells(
        [CellRun(0, "x = 'SENTINEL'", store_history=False), CellRun(1, probe)], tmp_path, FAST
    )
    assert visible.outcomes[1].outputs[0]["text"] == "True\n"  # the probe can see
    assert hidden.outcomes[1].outputs[0]["text"] == "False\n"
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory
