"""A quiet kernel: TensorFlow's start-up noise filtered, and nbval cells fail on stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from course_lib import quiet
from tests.conftest import REPO

NOISE = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1796161529.634121   23552 cudart_stub.cc:31] Could not find cuda drivers on "
    "your machine, GPU will not be used.\n"
    "E0000 00:00:1796161584.397974   23552 cuda_platform.cc:52] failed call to cuInit: INTERNAL\n"
)


def test_startup_noise_is_recognised_and_real_errors_are_not():
    assert quiet.filter_startup_noise(NOISE) == ""
    real = "F0000 00:00:1.0 7 op_kernel.cc:1] Check failed: shape mismatch\n"
    assert quiet.filter_startup_noise(NOISE + real) == real
    assert not quiet.is_startup_noise("ValueError: Input 0 of layer dense is incompatible")


def test_native_stderr_is_filtered_not_swallowed(capfd):
    with quiet.native_stderr_filtered():
        os.write(2, NOISE.encode())
        os.write(2, b"a real native error\n")
    err = capfd.readouterr().err
    assert "cudart_stub" not in err and "absl::InitializeLog" not in err, err
    assert "a real native error" in err, err


LATE_NOISE = (
    "E0000 00:00:1796182585.060498   26157 util.cc:131] oneDNN supports DT_BOOL only on "
    "platforms with AVX-512. Falling back to the default Eigen-based implementation if present.\n"
)


def test_the_lifetime_filter_drops_late_noise_and_forwards_the_rest():
    """In a fresh process: noise written after start-up is dropped, real lines pass, in order."""
    code = (
        "import os, sys, time\n"
        "from course_lib import quiet\n"
        "assert quiet.filter_native_stderr() and not quiet.filter_native_stderr()\n"
        f"os.write(2, {LATE_NOISE.encode()!r})\n"
        "os.write(2, b'first real line\\n')\n"
        f"os.write(2, {NOISE.encode()!r})\n"
        "os.write(2, b'second real line\\n')\n"
        "os.write(2, b'a partial line')\n"
        "time.sleep(0.6)\n"
        "sys.stdout.write('done')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0 and result.stdout == "done", result.stderr
    assert "AVX-512" not in result.stderr and "cudart_stub" not in result.stderr, result.stderr
    assert result.stderr == "first real line\nsecond real line\na partial line", result.stderr


def test_a_filter_that_stops_gives_fd_2_back():
    """If the pump thread ever fails, native writes reach stderr directly instead of blocking."""
    code = (
        "import os, time\n"
        "from course_lib import quiet\n"
        "quiet.filter_native_stderr()\n"
        "quiet.is_startup_noise = lambda line: 1 / 0\n"  # the filter's next line raises
        "os.write(2, b'kills the filter\\n')\n"
        "time.sleep(0.5)\n"
        "os.write(2, b'x' * 200_000 + b'\\nafter the filter\\n')\n"  # more than a pipe holds
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "after the filter" in result.stderr, result.stderr[-2000:]


def test_kernel_config_loads_the_extension():
    config = json.loads((REPO / "etc" / "ipython" / "ipython_kernel_config.json").read_text())
    assert "course_lib.quiet" in config["InteractiveShellApp"]["extensions"]
    installed = os.path.join(sys.prefix, "etc", "ipython", "ipython_kernel_config.json")
    assert os.path.exists(installed), f"{installed} missing: run `make install`"


def _nbval(folder, notebook) -> subprocess.CompletedProcess:
    """Run nbval on ``notebook`` in ``folder`` with the repository's conftest beside it."""
    shutil.copy(REPO / "conftest.py", folder / "conftest.py")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax",
         "--nbval-current-env", "-o", "addopts=", notebook],
        cwd=folder, capture_output=True, text=True, timeout=600,
    )


def _write_notebook(path, cells):
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "execution_count": None, "id": f"c{i}",
                     "metadata": {"tags": tags}, "outputs": [], "source": src}
                    for i, (src, tags) in enumerate(cells)
                ],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )


@pytest.mark.slow
def test_nbval_fails_a_cell_that_writes_to_stderr(tmp_path):
    """The repository conftest turns stderr output into a failure (and can be opted out of)."""
    _write_notebook(
        tmp_path / "nb.ipynb",
        [
            ("print('fine')", []),
            ("import sys\nsys.stderr.write('a red box\\n')", []),
            ("import os\nos.write(2, b'native noise\\n')\nimport time\ntime.sleep(0.5)", []),
            ("import warnings\nwarnings.warn('on purpose')", ["allow-stderr"]),
        ],
    )
    result = _nbval(tmp_path, "nb.ipynb")
    assert "2 failed, 2 passed" in result.stdout, result.stdout[-3000:]
    assert "wrote to stderr" in result.stdout and "a red box" in result.stdout
    assert "native noise" in result.stdout, "fd-level writes must be caught too"


@pytest.mark.slow
def test_keras_import_in_a_kernel_writes_nothing_to_stderr(tmp_path):
    """TensorFlow's C++ start-up lines stay out of the notebook (kernel config + hook)."""
    _write_notebook(
        tmp_path / "tf.ipynb",
        [("import keras\nimport tensorflow as tf\ntf.config.list_physical_devices('GPU')", []),
         ("keras.ops.add(1, 2)", []),
         # a line TensorFlow logs at the first boolean op on some CPUs, long after start-up
         (f"import os, time\nos.write(2, {LATE_NOISE.encode()!r})\ntime.sleep(0.5)", [])],
    )
    result = _nbval(tmp_path, "tf.ipynb")
    assert "3 passed" in result.stdout and "failed" not in result.stdout, result.stdout[-3000:]
