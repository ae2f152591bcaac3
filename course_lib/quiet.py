"""A quiet kernel: TensorFlow's C++ start-up lines never reach a notebook as stderr.

TensorFlow writes a few lines straight to file descriptor 2 while its shared
libraries load (``All log messages before absl::InitializeLog() is called...``,
``cudart_stub.cc ... Could not find cuda drivers``) and when it first looks for a
GPU (``failed call to cuInit``). ``TF_CPP_MIN_LOG_LEVEL`` does not silence the
first two: absl prints them before TensorFlow reads the variable. In JupyterLab,
Voila and nbval the kernel forwards fd 2 to the notebook, where each line shows
as a red stderr box in the first cell that imports Keras.

`install` puts an import hook in front of ``sys.meta_path``. When ``tensorflow``
is imported (directly, or by ``import keras``), the hook runs that import, and
TensorFlow's first GPU probe, with fd 2 pointed at a temporary file; afterwards
it writes back every captured line except the known start-up noise
(`is_startup_noise`), so real errors still show. Nothing is imported until a
notebook imports TensorFlow itself, and ``import course_lib`` stays cheap.
Some of those lines come later, at the first use of an op; in a kernel
`filter_native_stderr` keeps fd 2 behind a filter for the kernel's lifetime.

The package ships ``etc/ipython/ipython_kernel_config.json`` (installed into the
environment's prefix, where IPython reads kernel configuration), which loads this
module as an IPython extension in every kernel of the environment: every notebook
is covered without a line of its own.

Example:
    >>> from course_lib import quiet
    >>> quiet.is_startup_noise("I0000 00:00:1.2  77 cudart_stub.cc:31] Could not find cuda drivers")
    True
    >>> quiet.is_startup_noise("ValueError: something real")
    False
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import os
import re
import select
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any

# Lines TensorFlow/XLA print on every start on a machine without a GPU; nothing
# a student can act on. Anything else written to fd 2 meanwhile is passed on.
STARTUP_NOISE: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^WARNING: All log messages before absl::InitializeLog\(\) is called",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ cudart_stub\.cc:\d+\]",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ cuda_(platform|executor|diagnostics)\.cc:\d+\]",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ (cuda_fft|cuda_dnn|cuda_blas)\.cc:\d+\] Unable to register",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ computation_placer\.cc:\d+\]",
        r"oneDNN custom operations are on",
        r"This TensorFlow binary is optimized to use available CPU instructions",
        r"To enable the following instructions: .* rebuild TensorFlow",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ cpu_feature_guard\.cc:\d+\]",
        r"^[IWE]\d{4} [\d:.]+\s+\d+ port\.cc:\d+\] oneDNN",
        # printed at the first boolean op on CPUs without the AVX-512 variant oneDNN wants
        r"oneDNN supports DT_[A-Z0-9]+ only on platforms with AVX-512",
    )
)
_DONE = False
_FILTER: NativeStderrFilter | None = None


def is_startup_noise(line: str) -> bool:
    """True when ``line`` is one of TensorFlow's start-up messages (`STARTUP_NOISE`).

    Args:
        line: one line of text that a native library wrote to stderr.

    Returns:
        Whether the line matches a known start-up message.
    """
    return any(p.search(line) for p in STARTUP_NOISE)


def filter_startup_noise(text: str) -> str:
    """``text`` without the lines that `is_startup_noise` recognises.

    Args:
        text: what was written to stderr.

    Returns:
        The remaining lines, each ending in a newline ("" when none remain).

    Example:
        >>> filter_startup_noise("I0000 00:00:1.0 7 cudart_stub.cc:31] x\\nreal\\n")
        'real\\n'
    """
    kept = [line for line in text.splitlines() if line.strip() and not is_startup_noise(line)]
    return "".join(line + "\n" for line in kept)


@contextlib.contextmanager
def native_stderr_filtered(fd: int = 2) -> Iterator[None]:
    """Capture what native code writes to ``fd`` inside the block; pass on all but the noise.

    Python's ``sys.stderr`` is not touched (in a kernel it is a separate stream), so
    Python warnings raised meanwhile still show. What remains after filtering is
    written to ``sys.stderr`` when the block ends.

    Args:
        fd: the file descriptor to capture (2, stderr).
    """
    try:
        saved = os.dup(fd)
    except OSError:  # no fd 2 (some embedded interpreters): nothing to capture
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), fd)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            capture.seek(0)
            rest = filter_startup_noise(capture.read().decode("utf-8", "replace"))
            if rest:
                sys.stderr.write(rest)


class NativeStderrFilter:
    """fd 2 on a pipe for the rest of the process; a thread passes on all but the noise.

    TensorFlow also logs lines of `STARTUP_NOISE` long after start-up, at the
    first use of an op (``oneDNN supports DT_BOOL only on platforms with
    AVX-512``), so a kernel needs more than the capture around the import. The
    pump thread forwards every other line unchanged to what fd 2 was before
    (in a kernel: ipykernel's own capture, which shows it in the notebook); a
    partial line is passed on after ``flush_after`` seconds without a newline.

    Args:
        fd: the descriptor to filter (2).
        flush_after: seconds before an unterminated line is forwarded as it is.
    """

    def __init__(self, fd: int = 2, flush_after: float = 0.2) -> None:
        self.fd = fd
        self.flush_after = flush_after
        self._target = os.dup(fd)
        read_end, write_end = os.pipe()
        os.dup2(write_end, fd)
        os.close(write_end)
        self._thread = threading.Thread(
            target=self._pump, args=(read_end,), name="course-quiet-stderr", daemon=True
        )
        self._thread.start()

    def _forward(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self._target, data)

    def _pump(self, read_end: int) -> None:
        try:
            self._filter(read_end)
        finally:
            # should the filter ever stop, fd 2 goes straight to its old target again, so
            # a native write can never block on a pipe that nobody reads
            with contextlib.suppress(OSError):
                os.dup2(self._target, self.fd)

    def _filter(self, read_end: int) -> None:
        pending = b""
        while True:
            ready, _, _ = select.select([read_end], [], [], self.flush_after if pending else None)
            if not ready:  # a partial line waited long enough
                self._forward(pending)
                pending = b""
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            kept = [
                line
                for line in lines
                if line.strip() and not is_startup_noise(line.decode("utf-8", "replace"))
            ]
            if kept:
                self._forward(b"".join(line + b"\n" for line in kept))
        if pending:
            self._forward(pending)


def filter_native_stderr() -> bool:
    """Filter TensorFlow's noise out of fd 2 for the rest of this process (idempotent).

    Returns:
        True when the filter was started now; False when it already runs or fd 2
        cannot be redirected.
    """
    global _FILTER
    if _FILTER is not None:
        return False
    try:
        _FILTER = NativeStderrFilter()
    except OSError:  # no fd 2 (some embedded interpreters)
        return False
    return True


def _probe_gpus(tf: ModuleType) -> None:
    # The first device query prints "failed call to cuInit" on machines without
    # a GPU; doing it here, inside the capture, keeps it out of the notebook.
    with contextlib.suppress(Exception):
        tf.config.list_physical_devices("GPU")


class _QuietLoader(importlib.abc.Loader):
    """Wraps TensorFlow's own loader; runs its module code inside the capture."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        with native_stderr_filtered():
            self._loader.exec_module(module)
            _probe_gpus(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class QuietTensorFlowFinder(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` entry that only acts on the top-level ``tensorflow`` import."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "tensorflow":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> bool:
    """Silence TensorFlow's start-up lines in this process (idempotent).

    Also sets ``TF_CPP_MIN_LOG_LEVEL=2`` (only INFO/WARNING of TensorFlow's own
    logging are hidden) unless the environment already sets it.

    Returns:
        True when the hook was installed now; False when TensorFlow was already
        imported (too late to capture its start) or the hook was already there.
    """
    global _DONE
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if _DONE or "tensorflow" in sys.modules:
        return False
    sys.meta_path.insert(0, QuietTensorFlowFinder())
    _DONE = True
    return True


def load_ipython_extension(ipython: Any) -> None:
    """IPython entry point (``%load_ext course_lib.quiet``; loaded by the kernel config)."""
    install()
    filter_native_stderr()
