"""TensorBoard from the course: log dirs, a server that is always stopped, event files as data.

* :func:`prepare_log_dir` makes a log directory and proves it is writable
  (:class:`LogDirError` otherwise, before Keras fails deep inside ``fit``).
* :class:`TensorBoardServer` starts ``tensorboard`` for a log directory on a
  free port, waits until it answers, and stops it again: as a context manager,
  with :meth:`~TensorBoardServer.stop`, and at interpreter exit for any server
  still running (no stray servers after a notebook or a test).
  :meth:`~TensorBoardServer.iframe` embeds it in JupyterLab; behind
  JupyterHub or a reverse proxy the iframe goes through
  ``jupyter-server-proxy`` (``<base_url>proxy/<port>/``).
* :func:`stop_magic_servers` stops what TensorBoard's own ``%tensorboard``
  magic started for a log directory (the magic never stops its servers).
* :func:`read_events` reads the event files *without* TensorBoard running
  (scalars and histograms, through TensorBoard's ``EventAccumulator``), and
  :meth:`EventLog.to_history` turns the ``train``/``validation`` runs Keras
  writes into a :class:`TrainingHistory`, so nbval and Voila still show curves.

Example:
    >>> log_dir = prepare_log_dir("logs/run1", clear=True)  # doctest: +SKIP
    >>> board_cb = keras.callbacks.TensorBoard(log_dir, histogram_freq=1)  # doctest: +SKIP
    >>> model.fit(..., callbacks=[board_cb])  # doctest: +SKIP
    >>> read_events(log_dir).to_history().series("val_loss")  # doctest: +SKIP
    >>> with TensorBoardServer(log_dir) as board:  # doctest: +SKIP
    ...     board.iframe()
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course_lib.errors import ConfigError
from course_lib.training.history import TrainingHistory

LOGDIR_ENV = "COURSE_TENSORBOARD_LOGDIR"
"""Environment variable: the log directory the Lab launcher's TensorBoard watches."""

# Keras' TensorBoard callback writes one run per split, with "epoch_" scalars.
_RUN_PREFIX = {"train": "", "validation": "val_"}


class LogDirError(ConfigError):
    """A TensorBoard log directory that cannot be created or written."""


class TensorBoardError(ConfigError):
    """A TensorBoard server that did not start, or event files that cannot be read."""


# ------------------------------------------------------------------ log dirs
def default_log_dir() -> Path:
    """``$COURSE_TENSORBOARD_LOGDIR``, else ``~/tensorboard-logs`` (what the Lab launcher shows)."""
    return Path(os.environ.get(LOGDIR_ENV) or Path.home() / "tensorboard-logs")


def prepare_log_dir(path: str | os.PathLike[str], clear: bool = False) -> Path:
    """Create ``path`` (and parents) and check that files can be written in it.

    Args:
        path: the log directory.
        clear: delete what an earlier run left there first (its curves would
            otherwise be drawn together with the new ones).

    Returns:
        The directory as an absolute ``Path``.

    Raises:
        LogDirError: it cannot be created, cleared or written.

    Example:
        >>> prepare_log_dir(tempfile.mkdtemp()).is_dir()
        True
    """
    directory = Path(path).expanduser().absolute()
    try:
        if clear and directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
            pass
    except OSError as error:
        raise LogDirError(
            f"Expected a writable log directory. Received: log_dir={str(directory)!r} "
            f"({error.strerror or error}).",
            hint="choose a folder you can write to, e.g. "
                 "tempfile.mkdtemp() or Path.home() / 'tensorboard-logs'.",
        ) from error
    return directory


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def proxy_url(port: int, base_url: str | None = None) -> str | None:
    """The URL of ``port`` through ``jupyter-server-proxy``, or ``None`` when not behind a hub.

    Uses ``base_url``, else ``$JUPYTERHUB_SERVICE_PREFIX`` (set by JupyterHub
    in every user server), else ``$TENSORBOARD_PROXY_URL`` (TensorBoard's own
    setting for ``%tensorboard``, ``%PORT%`` replaced).

    Example:
        >>> proxy_url(6006, base_url="/user/ana/")
        '/user/ana/proxy/6006/'
    """
    prefix = base_url if base_url is not None else os.environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if prefix:
        return prefix.rstrip("/") + f"/proxy/{port}/"
    template = os.environ.get("TENSORBOARD_PROXY_URL")
    return template.replace("%PORT%", str(port)) if template else None


# -------------------------------------------------------------------- server
def tensorboard_command() -> list[str]:
    """The start of a TensorBoard command line (without TensorFlow: starts in seconds)."""
    return [sys.executable, "-m", "course_lib.training._tensorboard_main"]


_RUNNING: list[TensorBoardServer] = []


def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


atexit.register(_stop_all)


def running_servers() -> list[TensorBoardServer]:
    """The servers started by this process and not stopped yet."""
    return [s for s in _RUNNING if s.is_running]


class TensorBoardServer:
    """A TensorBoard process for one log directory, stopped when you are done.

    Args:
        log_dir: the directory to watch (must be writable, see :func:`prepare_log_dir`).
        port: the port; default a free one.
        host: the interface to listen on (``127.0.0.1``: this machine only;
            ``jupyter-server-proxy`` connects there).
        reload_interval: seconds between TensorBoard's scans for new events.

    Attributes:
        port: the port it listens on.
        url: ``http://host:port/``.

    Raises:
        LogDirError: the log directory is not writable.

    Example:
        >>> with TensorBoardServer(log_dir) as board:  # doctest: +SKIP
        ...     board.iframe()
    """

    def __init__(self, log_dir: str | os.PathLike[str], port: int | None = None,
                 host: str = "127.0.0.1", reload_interval: int = 5) -> None:
        self.log_dir = prepare_log_dir(log_dir)
        self.host = host
        self.port = port or free_port(host)
        self.reload_interval = reload_interval
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        """The command line that starts the server."""
        return [*tensorboard_command(), "--logdir", str(self.log_dir),
                "--port", str(self.port), "--host", self.host,
                "--reload_interval", str(self.reload_interval)]

    def start(self, timeout: float = 90.0) -> TensorBoardServer:
        """Start the process and wait until it answers HTTP.

        Raises:
            TensorBoardError: it exited or did not answer within ``timeout`` seconds
                (the message has the end of its error output).
        """
        if self.is_running:
            return self
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the server
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                        stderr=self._stderr, env=env, start_new_session=True)
        _RUNNING.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.answers():
                return self
            time.sleep(0.3)
        tail = self._stderr_tail()
        self.stop()
        raise TensorBoardError(
            f"Expected TensorBoard to answer on {self.url} within {timeout:.0f} s. Received: "
            f"no answer; its last output: {tail or '(none)'}",
            hint="check that `python -m tensorboard.main --version` works, or pass a longer "
                 "timeout on a busy machine.",
        )

    def answers(self, path: str = "") -> bool:
        """True when an HTTP GET of ``url + path`` returns 200."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-800:].strip()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the process (SIGTERM, then SIGKILL); a no-op when not running."""
        process = self.process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self in _RUNNING:
            _RUNNING.remove(self)

    def __enter__(self) -> TensorBoardServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def embed_url(self, base_url: str | None = None) -> str:
        """Where a browser reaches the server: the proxied path behind a hub, else ``url``."""
        return proxy_url(self.port, base_url) or f"http://localhost:{self.port}/"

    def iframe(self, height: int = 640, base_url: str | None = None) -> Any:
        """An IPython ``IFrame`` showing TensorBoard (proxied when behind a hub).

        Args:
            height: iframe height in pixels.
            base_url: the notebook server's base URL; default from the environment.
        """
        from IPython.display import IFrame

        return IFrame(self.embed_url(base_url), width="100%", height=int(height))

    def __repr__(self) -> str:
        state = "running" if self.is_running else "stopped"
        return f"TensorBoardServer({str(self.log_dir)!r}, port={self.port}, {state})"


def magic_servers(log_dir: str | os.PathLike[str] | None = None) -> list[Any]:
    """TensorBoards started by the ``%tensorboard`` magic (all, or those for ``log_dir``).

    Returns:
        TensorBoard's ``TensorBoardInfo`` records (``pid``, ``port``, ``logdir``).
    """
    from tensorboard import manager

    infos = manager.get_all()
    if log_dir is None:
        return infos
    wanted = os.path.realpath(os.fspath(log_dir))
    return [i for i in infos if i.logdir and os.path.realpath(i.logdir) == wanted]


def stop_magic_servers(log_dir: str | os.PathLike[str]) -> int:
    """Stop the ``%tensorboard`` servers watching ``log_dir``; returns how many were stopped."""
    stopped = 0
    for info in magic_servers(log_dir):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(info.pid, signal.SIGTERM)
            stopped += 1
    return stopped


# --------------------------------------------------------------- event files
@dataclass(frozen=True)
class HistogramRecord:
    """One histogram of one step: bin edges (``len(counts) + 1``) and counts."""

    step: int
    edges: list[float]
    counts: list[float]


@dataclass
class EventLog:
    """The scalars and histograms of a log directory, by run and tag.

    Attributes:
        scalars: ``{run: {tag: [(step, value), ...]}}``; runs are the
            sub-directories (``"train"``, ``"validation"`` for Keras).
        histograms: ``{run: {tag: [HistogramRecord, ...]}}``.
    """

    log_dir: Path
    scalars: dict[str, dict[str, list[tuple[int, float]]]] = field(default_factory=dict)
    histograms: dict[str, dict[str, list[HistogramRecord]]] = field(default_factory=dict)

    @property
    def runs(self) -> list[str]:
        return sorted(set(self.scalars) | set(self.histograms))

    def to_history(self, prefix: str = "epoch_", name: str = "") -> TrainingHistory:
        """Keras' per-epoch scalars as a :class:`TrainingHistory`.

        ``train/epoch_loss`` becomes ``loss``, ``validation/epoch_loss`` ``val_loss``
        (``epoch_learning_rate`` is skipped: it is not a metric).

        Raises:
            TensorBoardError: no ``train`` run with ``epoch_`` scalars.
        """
        if not self.scalars.get("train"):
            raise TensorBoardError(
                f"Expected a 'train' run with {prefix}* scalars in {str(self.log_dir)!r}. "
                f"Received: runs {self.runs}.",
                hint="log with keras.callbacks.TensorBoard(log_dir) and pass that log_dir.",
            )
        logs: dict[str, dict[int, float]] = {}
        for run, key_prefix in _RUN_PREFIX.items():
            for tag, points in self.scalars.get(run, {}).items():
                if not tag.startswith(prefix) or tag == f"{prefix}learning_rate":
                    continue
                logs[key_prefix + tag.removeprefix(prefix)] = dict(points)
        steps = sorted({s for values in logs.values() for s in values})
        return TrainingHistory(
            logs={k: [values.get(s, float("nan")) for s in steps] for k, values in logs.items()},
            epochs=steps, name=name or self.log_dir.name).validate()


def _tensor_value(event: Any) -> Any:
    from tensorboard.util import tensor_util

    return tensor_util.make_ndarray(event.tensor_proto)


def read_events(log_dir: str | os.PathLike[str]) -> EventLog:
    """Read every event file under ``log_dir`` (no TensorBoard server needed).

    Keras 3 writes scalars and histograms as tensor summaries; older
    ``tf.compat.v1`` style scalar/histogram events are read as well.

    Args:
        log_dir: the directory given to ``keras.callbacks.TensorBoard``.

    Returns:
        An :class:`EventLog`.

    Raises:
        TensorBoardError: the directory does not exist or has no event file.

    Example:
        >>> read_events("logs/run1").scalars["validation"]["epoch_loss"][:2]  # doctest: +SKIP
        [(0, 0.52), (1, 0.41)]
    """
    from tensorboard.backend.event_processing import event_accumulator as ea

    directory = Path(log_dir)
    files = sorted(directory.rglob("events.out.tfevents.*")) if directory.is_dir() else []
    if not files:
        raise TensorBoardError(
            f"Expected TensorBoard event files under {str(directory)!r}. Received: "
            f"{'no such directory' if not directory.is_dir() else 'none'}.",
            hint="train with callbacks=[keras.callbacks.TensorBoard(log_dir)] first.",
        )
    log = EventLog(directory)
    for run_dir in sorted({f.parent for f in files}):
        run = run_dir.relative_to(directory).as_posix() if run_dir != directory else "."
        acc = ea.EventAccumulator(str(run_dir), size_guidance={
            ea.TENSORS: 0, ea.SCALARS: 0, ea.HISTOGRAMS: 0})
        acc.Reload()
        tags = acc.Tags()
        scalars: dict[str, list[tuple[int, float]]] = {}
        histograms: dict[str, list[HistogramRecord]] = {}
        for tag in tags.get(ea.SCALARS, []):
            scalars[tag] = [(e.step, float(e.value)) for e in acc.Scalars(tag)]
        for tag in tags.get(ea.HISTOGRAMS, []):
            histograms[tag] = [HistogramRecord(e.step, [e.histogram_value.min,
                                                        *e.histogram_value.bucket_limit],
                                               list(e.histogram_value.bucket))
                               for e in acc.Histograms(tag)]
        for tag in tags.get(ea.TENSORS, []):
            events = acc.Tensors(tag)
            plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
            if plugin == "histograms":
                records = []
                for e in events:
                    value = _tensor_value(e)
                    if value.size == 0:
                        continue
                    edges = [float(value[0, 0]), *(float(v) for v in value[:, 1])]
                    records.append(HistogramRecord(e.step, edges, [float(c) for c in value[:, 2]]))
                histograms[tag] = records
            elif plugin == "scalars":
                scalars[tag] = [(e.step, float(_tensor_value(e))) for e in events]
        if scalars:
            log.scalars[run] = scalars
        if histograms:
            log.histograms[run] = histograms
    return log
