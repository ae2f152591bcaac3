"""A Jupyter kernel in a box: limits, isolation and clean-up for untrusted notebooks.

`SandboxKernel` starts a fresh IPython kernel (the current environment's Python)
through ``_kernel_launcher.py``, which applies, before the kernel exists:

- **memory**: ``RLIMIT_AS`` (address space per process, ``memory_mb``). An
  allocation beyond it raises ``MemoryError`` in the student's cell.
- **processes**: a ``pids`` cgroup with ``pids.max`` when the cgroup
  filesystem is writable (root in a container, delegated cgroup v2), else
  ``RLIMIT_NPROC`` (ignored by Linux for root). A fork bomb hits the limit and
  is killed with the kernel.
- **files**: ``RLIMIT_FSIZE`` (``max_file_mb``) and no core dumps.
- **network**: an empty network namespace (``unshare(CLONE_NEWNET)``, or a
  user + network namespace for unprivileged users). Where neither is allowed
  the kernel keeps the network and `SandboxKernel.isolation` says so. The
  kernel talks to the grader over Unix sockets (ZeroMQ ``ipc``), which keep
  working inside the empty namespace.
- **processes**: a PID namespace where allowed: the kernel is PID 1 of its own
  process tree, cannot see or signal the grader or other kernels, and every
  process it started dies with it.
- **time**: every execution has a deadline; on expiry the kernel is
  interrupted, and killed if it does not stop.
- **output**: at most ``max_output_bytes`` of output is kept per execution.
- **tampering**: test cells run through `run_guarded` (``_guard.py``, loaded
  before any student code): outside IPython's input and AST transformers and
  hooks, with builtins and standard-library functions put back as they were
  at start-up, replaced ``course_lib``/NumPy/Keras functions detected, and a
  signed outcome, so the usual ways of turning a failing test into a pass
  fail loudly and are reported.

The kernel runs in the caller's working directory (the submission's own
temporary folder); its connection file, sockets and ``HOME`` live in a separate
temporary folder. On `shutdown` every process of the kernel's cgroup and
process group is killed, so nothing a notebook started survives it.

What it does not do (run the grader in a container, see
``tools/container/README.md``, when that matters):

- **files**: the kernel runs as the grading user and can read what that user
  can, e.g. the instructor's source notebook if it finds it on disk. Hidden
  tests are never written to the kernel's working directory, but a
  determined student could look elsewhere. (Dropping to another user is not
  possible in general: the Python interpreter may live in a private home.)
- **tampering, fully**: code in the kernel shares the process with the
  tests; a determined student can still read the guard's key from memory or
  rewrite objects it relies on (see ``_guard.py``). Such code is plainly
  visible in the submission.
- **CPU share**: kernels are not niced or CPU-limited beyond their time limits.

Example:
    >>> with SandboxKernel(workdir, SandboxLimits(cell_timeout=5)) as kernel:
    ...     result = kernel.run("print(6 * 7)")
    >>> result.status, result.text()
    ('ok', '42\\n')
"""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import hmac
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.errors import GradingError

_LAUNCHER = Path(__file__).with_name("_kernel_launcher.py")
_GUARD = Path(__file__).with_name("_guard.py")
_TRUNCATED_NOTE = "\n[output truncated by the grader: more than {limit} bytes]\n"
# Environment variables a kernel inherits; everything else is dropped.
_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH", "VIRTUAL_ENV")
_ENV_KEEP_PREFIXES = ("COURSE_", "TF_", "KERAS_")


@dataclass(frozen=True)
class SandboxLimits:
    """Limits applied to every kernel that runs a submission.

    Args:
        cell_timeout: seconds one cell may run before it is interrupted.
        total_timeout: seconds the whole notebook may run; cells left when it
            is spent are not run.
        memory_mb: address-space limit per kernel process, in MiB. TensorFlow
            needs about 4096; plain NumPy exercises run in 1024.
        max_processes: processes and threads the kernel may have at once.
        max_output_bytes: output kept per cell; the rest is dropped. 1 MB: a course
            figure is a PNG of 50-600 kB, and one over the limit puts an "output
            truncated" note in every student's feedback.
        max_file_mb: largest file the kernel may write, in MiB.
        network: allow network access (off by default).
        startup_timeout: seconds a kernel may take to start.
        use_cgroups: put the kernel in its own ``pids`` cgroup when possible.

    Raises:
        GradingError: a limit is not positive.
    """

    cell_timeout: float = 30.0
    total_timeout: float = 600.0
    memory_mb: int = 2048
    max_processes: int = 256
    max_output_bytes: int = 1_000_000
    max_file_mb: int = 512
    network: bool = False
    startup_timeout: float = 60.0
    use_cgroups: bool = True

    def __post_init__(self) -> None:
        for name in (*GRADING_LIMIT_KEYS, "startup_timeout"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value <= 0:
                raise GradingError(
                    f"Expected a positive number for SandboxLimits.{name}. "
                    f"Received: {name}={value!r}",
                    hint=f"pass {name}= a number greater than 0",
                )


GRADING_LIMIT_KEYS = (
    "cell_timeout",
    "total_timeout",
    "memory_mb",
    "max_processes",
    "max_output_bytes",
    "max_file_mb",
)


def metadata_limits(metadata: Any, where: str = "notebook") -> dict[str, Any]:
    """The limits a notebook sets in ``metadata.course_grading``.

    ``course grade`` (from the source notebook) and ``course check`` (from the
    student's copy, which carries the same metadata) both read limits here,
    so they apply the same ones.

    Raises:
        GradingError: ``course_grading`` is not an object or has unknown keys.
    """
    meta = metadata.get("course_grading", {}) if hasattr(metadata, "get") else {}
    if not isinstance(meta, dict):
        raise GradingError(
            f"{where}: metadata.course_grading must be an object. Received: {meta!r}",
            hint='e.g. {"cell_timeout": 30, "memory_mb": 2048}',
        )
    unknown = sorted(set(meta) - set(GRADING_LIMIT_KEYS))
    if unknown:
        raise GradingError(
            f"{where}: unknown metadata.course_grading keys {unknown}",
            hint=f"the limits are {list(GRADING_LIMIT_KEYS)}",
        )
    return dict(meta)


def limits_with(base: dict[str, Any], **overrides: Any) -> SandboxLimits:
    """`SandboxLimits` from ``base`` (e.g. `metadata_limits`), then non-``None`` overrides."""
    values = dict(base)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return SandboxLimits(**values)


@dataclass
class RunResult:
    """What one execution in a `SandboxKernel` produced.

    Attributes:
        status: ``"ok"``, ``"error"`` (an exception), ``"timeout"`` or
            ``"died"`` (the kernel process ended during the execution).
        ename: exception class name, or a grader reason (``"Timeout"``,
            ``"KernelDied"``).
        evalue: exception message or the grader's explanation.
        traceback: the kernel's traceback lines (may quote the code run).
        outputs: nbformat output dicts, capped at ``max_output_bytes``.
        truncated: whether output was dropped.
        execution_count: the kernel's counter, ``None`` for silent runs.
        duration: wall-clock seconds.
        kernel_alive: whether the kernel can run the next cell.
        tampering: changes to the kernel the guard found before this test
            (`SandboxKernel.run_guarded` only).
    """

    status: str
    ename: str | None = None
    evalue: str | None = None
    traceback: list[str] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    execution_count: int | None = None
    duration: float = 0.0
    kernel_alive: bool = True
    tampering: list[str] = field(default_factory=list)
    user_expressions: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """All stream and ``text/plain`` output, concatenated."""
        parts = []
        for out in self.outputs:
            if out["output_type"] == "stream":
                parts.append(out["text"])
            elif "data" in out:
                parts.append(str(out["data"].get("text/plain", "")))
        return "".join(parts)


class _PidsCgroup:
    """A throw-away ``pids`` cgroup (v1 or v2) below this process's own one."""

    def __init__(self, path: Path, procs: Path) -> None:
        self.path = path
        self.procs = procs

    @classmethod
    def create(cls, max_pids: int) -> _PidsCgroup | None:
        name = f"course-grader-{uuid.uuid4().hex[:12]}"
        for base in cls._candidate_parents():
            path = base / name
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(max_pids))
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
                continue
            return cls(path, path / "cgroup.procs")
        return None

    @staticmethod
    def _candidate_parents() -> list[Path]:
        root = Path("/sys/fs/cgroup")
        parents = []
        try:
            lines = Path("/proc/self/cgroup").read_text().splitlines()
        except OSError:
            return []
        for line in lines:
            _id, controllers, rel = line.split(":", 2)
            rel = rel.lstrip("/")
            if "pids" in controllers.split(","):
                parents.append(root / "pids" / rel)
            elif controllers == "" and (root / "cgroup.controllers").exists():
                parents.append(root / rel)
        return parents

    def pids(self) -> list[int]:
        try:
            return [int(p) for p in self.procs.read_text().split()]
        except (OSError, ValueError):
            return []

    def destroy(self) -> None:
        for _ in range(200):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        for _ in range(100):
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.02)


def _kernel_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in _ENV_KEEP or key.startswith(_ENV_KEEP_PREFIXES)
    }
    env.update(
        HOME=str(home),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".matplotlib"),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".jupyter-data"),
        TMPDIR=str(home / "tmp"),
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        # One thread per math library: parallel gradings share the CPU fairly
        # and thread stacks do not eat the address-space limit.
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


class SandboxKernel:
    """A fresh, limited IPython kernel running in ``workdir``.

    Args:
        workdir: the kernel's working directory (the submission's files).
        limits: the `SandboxLimits` to apply.

    Raises:
        GradingError: the kernel does not start (from `start`).

    Example:
        >>> with SandboxKernel(tmp_path, SandboxLimits()) as kernel:
        ...     kernel.run("x = 1").status
        'ok'
    """

    def __init__(self, workdir: str | Path, limits: SandboxLimits | None = None) -> None:
        self.workdir = Path(workdir)
        self.limits = limits or SandboxLimits()
        self.isolation: dict[str, Any] = {}
        self._km: Any = None
        self._kc: Any = None
        self._runtime: Path | None = None
        self._cgroup: _PidsCgroup | None = None
        self._guard_name: str | None = None
        self._guard_key = b""

    def __enter__(self) -> SandboxKernel:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def start(self) -> None:
        """Start the kernel and wait until it answers."""
        from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
        from jupyter_client.manager import KernelManager

        limits = self.limits
        self._runtime = Path(tempfile.mkdtemp(prefix="course-kernel-"))
        home = self._runtime / "home"
        (home / "tmp").mkdir(parents=True)
        if limits.use_cgroups:
            self._cgroup = _PidsCgroup.create(limits.max_processes)
        status_file = self._runtime / "sandbox.json"
        config = {
            "memory_bytes": int(limits.memory_mb * 1024 * 1024),
            "file_size_bytes": int(limits.max_file_mb * 1024 * 1024),
            "nproc": int(limits.max_processes),
            "network": limits.network,
            "status_file": str(status_file),
            "cgroup_procs": [str(self._cgroup.procs)] if self._cgroup else [],
        }
        spec = KernelSpec(
            argv=[
                sys.executable,
                str(_LAUNCHER),
                json.dumps(config),
                "-f",
                "{connection_file}",
                "--HistoryManager.enabled=False",
                "--IPKernelApp.log_level=CRITICAL",
            ],
            display_name="course sandbox",
            language="python",
        )

        class _OneSpec(KernelSpecManager):
            def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
                return spec

        self._km = KernelManager(
            kernel_spec_manager=_OneSpec(),
            kernel_name="course-sandbox",
            transport="ipc",
            ip=str(self._runtime / "kernel"),
            connection_file=str(self._runtime / "kernel.json"),
        )
        try:
            # The kernel's own stdout/stderr (forked children, C libraries) must
            # not reach the grader's terminal.
            self._km.start_kernel(
                cwd=str(self.workdir),
                env=_kernel_env(home),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
            )
            self._kc = self._km.client()
            self._kc.start_channels()
            self._wait_for_ready(time.monotonic() + limits.startup_timeout)
        except Exception as exc:
            self.shutdown()
            raise GradingError(
                f"The grading kernel did not start within {limits.startup_timeout}s: {exc}",
                hint="check that ipykernel is installed in this environment "
                "and that memory_mb is large enough to import Python",
            ) from exc
        try:
            self.isolation = json.loads(status_file.read_text())
        except (OSError, ValueError):
            self.isolation = {}
        self.isolation["cgroup"] = str(self._cgroup.path) if self._cgroup else None
        self.isolation["test_guard"] = self._install_guard()

    def _install_guard(self) -> bool:
        """Load ``_guard.py`` into the fresh kernel (before any notebook code)."""
        name = f"_course_guard_{uuid.uuid4().hex[:12]}"
        key = os.urandom(32)
        code = (
            "import importlib.util as _cg_util, sys as _cg_sys\n"
            f"_cg_spec = _cg_util.spec_from_file_location({name!r}, {str(_GUARD)!r})\n"
            "_cg_mod = _cg_util.module_from_spec(_cg_spec)\n"
            "_cg_spec.loader.exec_module(_cg_mod)\n"
            f"_cg_sys.modules[{name!r}] = _cg_mod\n"
            f"_cg_mod.install(get_ipython(), {key.hex()!r}, {str(self.workdir.resolve())!r})\n"
            "del _cg_util, _cg_sys, _cg_spec, _cg_mod\n"
        )
        result = self.run(code, timeout=self.limits.startup_timeout, store_history=False)
        if result.status != "ok":
            return False
        self._guard_name, self._guard_key = name, key
        return True

    def _wait_for_ready(self, deadline: float) -> None:
        """Like ``wait_for_ready`` without its idle 0.2 s IOPub flush.

        Ready means a ``kernel_info`` reply on the shell channel and then a
        message on IOPub (so outputs of the first cell are not missed); later
        reads filter by message id, so stray messages do no harm.
        """
        kc = self._kc
        while True:
            if time.monotonic() > deadline:
                raise RuntimeError("the kernel did not answer kernel_info")
            if not self.is_alive():
                raise RuntimeError("the kernel died while starting")
            if self._reply(kc.kernel_info(), min(deadline, time.monotonic() + 2.0)) is None:
                continue
            try:
                kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue  # IOPub not subscribed yet: ask again
            return

    def is_alive(self) -> bool:
        """Whether the kernel process is still running."""
        return bool(self._km is not None and self._km.is_alive())

    def run_guarded(self, code: str, timeout: float | None = None) -> RunResult:
        """Execute a test cell out of the notebook's reach (see ``_guard.py``).

        The code goes to the kernel as ``user_expressions`` of an empty cell,
        never through IPython's transformers or history; the guard's signed
        answer decides the status. An answer that is missing or does not
        verify is an error (``Tampering``): a replaced runner fails the test.

        Returns:
            A `RunResult` whose ``tampering`` lists what the guard found.
        """
        if self._guard_name is None:
            return self.run(code, timeout=timeout, store_history=False)
        nonce = uuid.uuid4().hex
        encoded = base64.b64encode(code.encode("utf-8")).decode("ascii")
        expression = f"__import__('sys').modules[{self._guard_name!r}].run({nonce!r}, {encoded!r})"
        result = self.run(
            "", timeout=timeout, store_history=False, user_expressions={"test": expression}
        )
        if result.status != "ok":
            return result
        answer = result.user_expressions.get("test", {})
        outcome = self._verify(answer, nonce)
        if outcome is None:
            result.status, result.ename = "error", "Tampering"
            result.evalue = (
                "the grader could not verify this test's result: the notebook changed how "
                "the kernel runs code"
            )
            result.tampering = ["the grader's test runner was replaced or its answer changed"]
            return result
        result.tampering = [str(t) for t in outcome.get("tampering", [])]
        if outcome.get("status") != "ok":
            result.status = "error"
            result.ename = str(outcome.get("ename") or "Error")
            result.evalue = str(outcome.get("evalue") or "")
        return result

    def _verify(self, answer: Any, nonce: str) -> dict[str, Any] | None:
        """The guard's outcome if its signature and nonce check out, else ``None``."""
        try:
            text = ast.literal_eval(answer["data"]["text/plain"])
            payload, mac = text.rsplit("\n", 1)
            expected = hmac.new(self._guard_key, payload.encode(), hashlib.sha256).hexdigest()
            outcome = json.loads(payload)
        except (KeyError, TypeError, ValueError, SyntaxError, AttributeError):
            return None
        if not hmac.compare_digest(mac, expected) or outcome.get("nonce") != nonce:
            return None
        return outcome

    def run(
        self,
        code: str,
        timeout: float | None = None,
        store_history: bool = True,
        user_expressions: dict[str, str] | None = None,
    ) -> RunResult:
        """Execute ``code`` and wait for it, at most ``timeout`` seconds.

        Args:
            code: Python source for the kernel.
            timeout: deadline in seconds (default: ``limits.cell_timeout``).
            store_history: ``False`` keeps the code out of the kernel's
                ``In``/``_ih`` history (used for hidden tests).
            user_expressions: expressions the kernel evaluates after the code
                (their results are in ``RunResult.user_expressions``).

        Returns:
            A `RunResult`; never raises for anything the code does.
        """
        timeout = self.limits.cell_timeout if timeout is None else timeout
        start = time.monotonic()
        if not self.is_alive():
            return RunResult("died", "KernelDied", "the kernel was not running", kernel_alive=False)
        kc = self._kc
        collector = _OutputCollector(self.limits.max_output_bytes)
        msg_id = kc.execute(
            code,
            store_history=store_history,
            allow_stdin=False,
            stop_on_error=False,
            user_expressions=user_expressions or {},
        )
        deadline = start + timeout
        finished = self._drain(msg_id, collector, deadline)
        result = RunResult("ok")
        if finished is None:
            result = RunResult(
                "died",
                "KernelDied",
                "the kernel stopped while running this cell (crash, os._exit, "
                "memory or process limit)",
                kernel_alive=False,
            )
        elif not finished:
            self._km.interrupt_kernel()
            stopped = self._drain(msg_id, collector, time.monotonic() + 3.0)
            result = RunResult(
                "timeout",
                "Timeout",
                f"the cell did not finish within the {timeout:g}s time limit",
                kernel_alive=bool(stopped),
            )
            if stopped:
                # Collect the interrupted reply so it does not confuse the next run.
                self._reply(msg_id, time.monotonic() + 2.0)
            else:
                # It ignores interrupts (or is buried under its own children): kill it.
                result.evalue += "; it did not stop when interrupted, so the kernel was stopped"
                self.shutdown()
        else:
            reply = self._reply(msg_id, time.monotonic() + 5.0)
            if reply is None:
                result = RunResult(
                    "died", "KernelDied", "the kernel stopped before replying", kernel_alive=False
                )
            else:
                content = reply["content"]
                result.execution_count = content.get("execution_count")
                result.user_expressions = dict(content.get("user_expressions") or {})
                if content.get("status") != "ok":
                    result.status = "error"
                    result.ename = content.get("ename", "Error")
                    result.evalue = content.get("evalue", "")
                    result.traceback = list(content.get("traceback", []))
        result.outputs = collector.outputs
        result.truncated = collector.truncated
        result.duration = time.monotonic() - start
        if result.kernel_alive and not self.is_alive():
            result.kernel_alive = False
        return result

    def _drain(self, msg_id: str, collector: _OutputCollector, deadline: float) -> bool | None:
        """Read iopub until the kernel is idle: True, deadline: False, death: None."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                msg = self._kc.get_iopub_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.is_alive():
                    return None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                return True
            collector.add(kind, msg["content"])

    def _reply(self, msg_id: str, deadline: float) -> dict[str, Any] | None:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                msg = self._kc.get_shell_msg(timeout=min(remaining, 0.5))
            except queue.Empty:
                if not self.is_alive():
                    return None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    def shutdown(self) -> None:
        """Kill the kernel and everything it started; remove its runtime folder."""
        km, kc = self._km, self._kc
        self._km = self._kc = None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            pgid = getattr(km.provisioner, "pgid", None) if km.provisioner else None
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
            if pgid and pgid != os.getpgid(0):
                with contextlib.suppress(OSError):
                    os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                km.cleanup_resources()
        if self._cgroup is not None:
            self._cgroup.destroy()
            self._cgroup = None
        if self._runtime is not None:
            shutil.rmtree(self._runtime, ignore_errors=True)
            self._runtime = None


class _OutputCollector:
    """Turns iopub messages into nbformat outputs, keeping at most ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.size = 0
        self.truncated = False
        self.outputs: list[dict[str, Any]] = []

    def _room(self, nbytes: int) -> bool:
        if self.truncated:
            return False
        if self.size + nbytes > self.limit:
            self.truncated = True
            self.outputs.append(
                {
                    "output_type": "stream",
                    "name": "stderr",
                    "text": _TRUNCATED_NOTE.format(limit=self.limit),
                }
            )
            return False
        self.size += nbytes
        return True

    def add(self, kind: str, content: dict[str, Any]) -> None:
        if kind == "stream":
            text = content.get("text", "")
            if self.truncated:
                return
            room = self.limit - self.size
            if len(text) > room:
                self.size = self.limit
                text = text[: max(room, 0)]
                self._append_stream(content["name"], text)
                self._room(1)
                return
            self.size += len(text)
            self._append_stream(content["name"], text)
        elif kind in ("display_data", "execute_result"):
            data = content.get("data", {})
            if not self._room(len(json.dumps(data))):
                return
            out: dict[str, Any] = {
                "output_type": kind,
                "data": data,
                "metadata": content.get("metadata", {}),
            }
            if kind == "execute_result":
                out["execution_count"] = content.get("execution_count")
            self.outputs.append(out)
        elif kind == "error":
            if not self._room(len(json.dumps(content.get("traceback", [])))):
                return
            self.outputs.append(
                {
                    "output_type": "error",
                    "ename": content.get("ename", ""),
                    "evalue": content.get("evalue", ""),
                    "traceback": content.get("traceback", []),
                }
            )
        elif kind == "clear_output":
            self.outputs.clear()

    def _append_stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})
