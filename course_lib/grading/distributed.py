"""Grade submissions on a Dask distributed cluster (``course grade --scheduler``).

`grade_on_cluster` is the cluster counterpart of the local process pool in
`autograde.grade_submissions`: every submission becomes one Dask task that
runs `autograde._grade_task` on a worker, in the same sandbox with the same
limits. Nothing has to be shared between the machines but the Python
environment: a task carries the submission's bytes (the notebook and the
other files of its folder, as a tar archive) and the `Assignment`; the worker
unpacks them into a temporary folder, grades, deletes the folder and sends the
`SubmissionResult` back. The coordinator (the machine that runs
``course grade``) writes the feedback files and the gradebook as it does for
local grading, atomically after every submission.

Failures:

- a scheduler that does not answer, one without workers, workers that run
  several tasks at once, or workers whose grading code differs from the
  coordinator's: `GradingError` before anything is graded. (Workers that join
  later are used, but not checked.)
- a worker that dies while grading (killed, out of memory, machine lost): the
  scheduler runs the task again on a worker; a submission whose grading has
  died twice is not run a third time, its row is marked ``grader-error`` with
  the reason (and graded again by the next run). A scheduler whose
  ``distributed.scheduler.allowed-failures`` (default 3) is lower may give up
  first: the row is marked the same way.
- an exception in a task outside the grader's own handling (e.g. a worker
  that cannot unpickle it): retried once, then marked the same way.
- the connection to the scheduler lost mid-run: `GradingError`; the rows
  written so far stay in the gradebook and the next run grades the rest.

Example:
    >>> grade_submissions("notebooks/03_mlp.ipynb", "inbox/03", "grades/03",
    ...                   scheduler="tcp://grader-1:8786")
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import socket
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from course_lib.errors import GradingError
from course_lib.grading.results import SubmissionResult, TestResult

__all__ = ["grade_on_cluster", "grading_code_digest", "pack_task", "grade_packed"]

# Gradings of one submission that may die with their worker (a first try and one retry).
MAX_ATTEMPTS = 2
CONNECT_TIMEOUT = 10.0
WORKER_TIMEOUT = 30.0
# The resource a worker may declare (``dask worker --resources grading=1``) to
# take one grading at a time while it has several threads for other work.
GRADING_RESOURCE = "grading"
_HINT_SCHEDULER = (
    "start one with `dask scheduler` (it listens on tcp://HOST:8786) and check the host, "
    "the port and the firewall; leave out --scheduler to grade on this machine"
)


def grading_code_digest() -> str:
    """SHA-256 over the source files of `course_lib.grading` (same code, same grades)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _worker_probe() -> dict[str, Any]:
    """What a worker reports at connect time (runs on every worker)."""
    import sys

    return {"grading_code": grading_code_digest(), "python": sys.version.split()[0]}


def pack_task(
    task: dict[str, Any], grade: Callable[[dict[str, Any]], SubmissionResult], max_bytes: int
) -> dict[str, Any] | None:
    """The task with the submission's files as bytes, or ``None`` to grade here.

    Submissions that need no kernel (no notebook, a notebook over ``max_bytes``
    or an unreadable one) are graded on the coordinator: the answer is
    immediate and equal to the local one.
    """
    sub = task["submission"]
    if sub.notebook is None:
        return None
    try:
        if sub.notebook.stat().st_size > max_bytes:
            return None
        notebook = sub.notebook.read_bytes()
        folder = _tar_folder(sub.folder) if sub.folder is not None else None
    except OSError:
        return None
    return {
        "task": {**task, "submission": replace(sub, notebook=None, folder=None)},
        "grade": grade,
        "notebook_name": sub.notebook.name,
        "notebook": notebook,
        "folder_name": sub.folder.name if sub.folder is not None else None,
        "folder": folder,
    }


def _tar_folder(folder: Path) -> bytes:
    """The folder's files as an uncompressed tar (symlinks kept as links, like the local copy)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for item in sorted(folder.iterdir()):
            if not item.name.startswith("."):
                archive.add(item, arcname=item.name, recursive=True)
    return buffer.getvalue()


def _earlier_attempts() -> list[str]:
    """Workers that started this task before, in this run, and died (or raised and retried).

    Each attempt is logged to the scheduler's event log under a topic of its
    own, before grading starts. The scheduler's own count of dead workers
    (``allowed-failures``) also counts tasks that were only queued on a dying
    worker, so it cannot say "retried once" exactly.
    """
    from distributed import get_client, get_worker

    try:
        worker = get_worker()
    except ValueError:  # called outside a Dask worker
        return []
    topic = f"course-grading-{worker.get_current_task()}"
    client = get_client()
    earlier = [str(msg.get("worker")) for _when, msg in client.get_events(topic)]
    client.log_event(topic, {"worker": worker.address})
    return earlier


def grade_packed(packed: dict[str, Any]) -> SubmissionResult:
    """Worker entry point: unpack the submission into a temporary folder and grade it.

    A submission whose grading has already killed ``MAX_ATTEMPTS`` workers is
    not run again: it comes back marked with the reason.
    """
    task = packed["task"]
    earlier = _earlier_attempts()
    if len(earlier) >= MAX_ATTEMPTS:
        return _marked(
            task,
            f"the Dask worker grading this submission died, {len(earlier)} time(s) "
            f"(on {', '.join(earlier)}); run the grader again",
        )
    root = Path(tempfile.mkdtemp(prefix="course-dask-"))
    try:
        if packed["folder"] is not None:
            folder = root / packed["folder_name"]
            folder.mkdir()
            with tarfile.open(fileobj=io.BytesIO(packed["folder"]), mode="r") as archive:
                # The archive was written by pack_task from a directory listing;
                # "tar" keeps symlinks (as a local copy does) and refuses paths outside.
                if hasattr(tarfile, "tar_filter"):
                    archive.extractall(folder, filter="tar")
                else:  # Python < 3.11.4
                    archive.extractall(folder)
        else:
            folder = root
        notebook = folder / packed["notebook_name"]
        notebook.write_bytes(packed["notebook"])
        submission = replace(
            task["submission"],
            notebook=notebook,
            folder=folder if packed["folder"] is not None else None,
        )
        return packed["grade"]({**task, "submission": submission})
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _probe_address(address: str, timeout: float) -> None:
    """Fail fast, without Dask's retry noise, when nothing listens at a tcp address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp":
        return
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise GradingError(
            f"Expected a scheduler address like tcp://HOST:8786. Received: {address!r}",
            hint=_HINT_SCHEDULER,
        )
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            pass
    except OSError as exc:
        raise GradingError(
            f"The Dask scheduler at {address} does not answer ({exc})", hint=_HINT_SCHEDULER
        ) from exc


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A `distributed.Client` for ``address``, or a `GradingError` that says why not."""
    from distributed import Client

    _probe_address(address, timeout)
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:  # ValueError (bad address), OSError (timeout), a non-Dask server
        raise GradingError(
            f"No Dask scheduler answered at {address!r} within {timeout:g}s "
            f"({type(exc).__name__}: {exc})",
            hint=_HINT_SCHEDULER,
        ) from exc


def _check_workers(client: Any, address: str, timeout: float) -> tuple[int, dict | None]:
    """(gradings the cluster runs at once, task resources), after checking every worker."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        raise GradingError(
            f"The Dask scheduler at {address} has no workers (waited {timeout:g}s)",
            hint="start workers with `dask worker --nthreads 1 " + address + "`",
        ) from exc
    workers = client.scheduler_info(n_workers=-1)["workers"]
    with_resource = all(GRADING_RESOURCE in w.get("resources", {}) for w in workers.values())
    if not with_resource:
        crowded = [f"{a} nthreads={w['nthreads']}" for a, w in workers.items() if w["nthreads"] > 1]
        if crowded:
            raise GradingError(
                "Expected Dask workers that grade one submission at a time (nthreads=1). "
                f"Received: {', '.join(sorted(crowded))}",
                hint="start them with `dask worker --nthreads 1 ADDRESS`, or give every worker "
                f"`--resources {GRADING_RESOURCE}=1`",
            )
    try:
        probes = client.run(_worker_probe)
    except Exception as exc:
        raise GradingError(
            f"A Dask worker could not run course_lib ({type(exc).__name__}: {exc})",
            hint="install course_lib and its pinned dependencies on every worker machine "
            "(pip install -c constraints.txt -e .)",
        ) from exc
    ours = grading_code_digest()
    different = sorted(a for a, p in probes.items() if p["grading_code"] != ours)
    if different:
        raise GradingError(
            "Expected the same course_lib grading code on every Dask worker as here. "
            f"Received: different code on {', '.join(different)}",
            hint="install the same course_lib commit on every worker machine and restart "
            "the workers",
        )
    resources = {GRADING_RESOURCE: 1} if with_resource else None
    return _slots(client, resources, workers), resources


def _slots(client: Any, resources: dict | None, workers: dict | None = None) -> int:
    """Gradings the cluster's workers can run at once now (at least 1)."""
    if workers is None:
        workers = client.scheduler_info(n_workers=-1)["workers"]
    if resources:
        total = sum(int(w.get("resources", {}).get(GRADING_RESOURCE, 0)) for w in workers.values())
    else:
        total = sum(w["nthreads"] for w in workers.values())
    return max(total, 1)


def _task_key(student: str, run: str, token: int) -> str:
    # Readable on the Dask dashboard; unique per run and submission (a scheduler
    # outlives runs, and its event log of attempts is kept per key).
    return f"grade-{re.sub(r'[^A-Za-z0-9_.-]', '_', student)[:60]}-{run}-{token}"


def _marked(task: dict[str, Any], reason: str) -> SubmissionResult:
    """The row of a submission the cluster could not grade: 0 points, with the reason."""
    sub, assignment = task["submission"], task["assignment"]
    return SubmissionResult(
        sub.student,
        [
            TestResult(t.grade_id, 0.0, t.points, "skipped", "grader error", t.has_hidden)
            for t in assignment.tests
        ],
        status="grader-error",
        notes=[reason],
        assignment_sha256=assignment.sha256,
    )


def _failure_reason(exc: BaseException) -> str:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return (
            f"the Dask scheduler gave up on this submission: {exc.allowed_failures + 1} "
            f"workers died while it was assigned to them (last: {exc.last_worker.address}); "
            "run the grader again"
        )
    text = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}")[:300]
    return f"the Dask worker could not grade this submission ({text}); run the grader again"


def grade_on_cluster(
    tasks: list[dict[str, Any]],
    scheduler: str,
    finish: Callable[[SubmissionResult], None],
    grade: Callable[[dict[str, Any]], SubmissionResult],
    max_notebook_bytes: int,
    connect_timeout: float = CONNECT_TIMEOUT,
    worker_timeout: float = WORKER_TIMEOUT,
) -> None:
    """Grade ``tasks`` on the Dask cluster at ``scheduler``; ``finish`` each result here.

    Args:
        tasks: ``{"submission", "assignment", "limits"}`` dicts, as for the local pool.
        scheduler: the scheduler's address, e.g. ``tcp://grader-1:8786``.
        finish: called on this machine with every `SubmissionResult`, one at a
            time, as they arrive (it writes feedback and the gradebook).
        grade: grades one task where it runs (``autograde._grade_task``, a
            top-level function: workers import it by name).
        max_notebook_bytes: larger notebooks are not sent (``grade`` marks
            them here).
        connect_timeout: seconds to wait for the scheduler.
        worker_timeout: seconds to wait for a first worker.

    Raises:
        GradingError: the scheduler does not answer, has no workers, or its
            workers are unsuitable (see the module docstring); the connection
            to it is lost mid-run.
    """
    from distributed import as_completed

    client = connect(scheduler, connect_timeout)
    try:
        slots, resources = _check_workers(client, scheduler, worker_timeout)
        # One task in flight per grading slot: submissions travel with their files,
        # and the scheduler hands out every task it has at once (queued behind the
        # running one on a worker, even with resources), where a worker's death
        # would count against the queued ones too.
        run = uuid.uuid4().hex[:8]
        queue: Iterator[tuple[int, dict[str, Any]]] = enumerate(tasks)
        owners: dict[str, dict[str, Any]] = {}
        running = as_completed(loop=client.loop)

        def top_up() -> None:
            while len(owners) < slots:
                item = next(queue, None)
                if item is None:
                    return
                token, task = item
                packed = pack_task(task, grade, max_notebook_bytes)
                if packed is None:
                    finish(grade(task))
                    continue
                future = client.submit(
                    grade_packed,
                    packed,
                    key=_task_key(task["submission"].student, run, token),
                    pure=False,
                    retries=1,
                    resources=resources,
                )
                owners[future.key] = task
                running.add(future)

        top_up()
        for future in running:
            task = owners.pop(future.key)
            try:
                result = future.result()
            except CancelledError as exc:
                left = len(owners) + 1
                raise GradingError(
                    f"Lost the Dask scheduler at {scheduler} with {left} submission(s) in "
                    f"flight ({exc})",
                    hint="the gradebook has every submission graded so far; run the same "
                    "command again to grade the rest",
                ) from exc
            except Exception as exc:
                result = _marked(task, _failure_reason(exc))
            future.release()
            finish(result)
            slots = _slots(client, resources)  # workers may have joined or left
            top_up()
    finally:
        client.close()
