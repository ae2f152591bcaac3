"""Start an IPython kernel inside the grading sandbox (run as a script, stdlib only).

``sandbox.SandboxKernel`` launches ``python _kernel_launcher.py CONFIG_JSON -f CONNECTION``.
This script joins the submission's cgroups, moves into new PID and network
namespaces where the OS allows it, writes what it managed to apply to
``status_file``, then forks: the child (PID 1 of the new namespace) lowers its
resource limits and ``exec``s ``ipykernel_launcher``; this process stays as
its parent, forwards termination signals and exits with the kernel's status.

In the PID namespace the kernel cannot see or signal the grader or any other
process of the machine (``os.kill(-1, 9)`` only reaches its own children), and
when the kernel dies the Linux kernel kills everything it started. Without a
PID namespace the kernel is ``exec``ed in this process directly.

It must not import ``course_lib``: it runs before the kernel exists, in the
submission's temporary working directory.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_PR_SET_PDEATHSIG = 1


def _set_limit(name: str, value: int) -> bool:
    kind = getattr(resource, name)
    try:
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY and value > hard:
            value = hard
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        return False
    return True


def _unshare(libc: ctypes.CDLL, want_pid: bool, want_net: bool) -> tuple[bool, str]:
    """Enter new PID and/or network namespaces; return (pid namespace?, network state)."""
    attempts = []
    if want_pid and want_net:
        attempts += [(_CLONE_NEWPID | _CLONE_NEWNET, True, True)]
        attempts += [(_CLONE_NEWUSER | _CLONE_NEWPID | _CLONE_NEWNET, True, True)]
    if want_pid:
        attempts += [(_CLONE_NEWPID, True, False), (_CLONE_NEWUSER | _CLONE_NEWPID, True, False)]
    if want_net:
        attempts += [(_CLONE_NEWNET, False, True), (_CLONE_NEWUSER | _CLONE_NEWNET, False, True)]
    error = "not attempted"
    for flags, pid, net in attempts:
        if libc.unshare(flags) == 0:
            via = " (user namespace)" if flags & _CLONE_NEWUSER else ""
            return pid, ("isolated" + via if net else f"not isolated ({error})")
        error = f"unshare failed: {os.strerror(ctypes.get_errno())}"
    return False, f"not isolated ({error})"


def _user_task_count(uid: int) -> int:
    """Threads and processes owned by ``uid`` (RLIMIT_NPROC counts all of them)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                count += len(os.listdir(f"/proc/{entry}/task"))
        except OSError:
            continue
    return count


def main() -> None:
    config = json.loads(sys.argv[1])
    applied: dict[str, object] = {}
    for procs_file in config.get("cgroup_procs", []):
        try:
            with open(procs_file, "w") as handle:
                handle.write(str(os.getpid()))
            applied.setdefault("cgroups", []).append(procs_file)  # type: ignore[union-attr]
        except OSError as exc:
            applied.setdefault("cgroup_errors", []).append(f"{procs_file}: {exc}")  # type: ignore[union-attr]
    want_net = not config.get("network")
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pid_ns, network = _unshare(libc, want_pid=True, want_net=want_net)
    except OSError as exc:  # pragma: no cover - no libc
        libc, pid_ns, network = None, False, f"not isolated ({exc})"
    applied["network"] = "allowed" if not want_net else network
    applied["pid_namespace"] = pid_ns
    _apply_limits(config, applied)
    with open(config["status_file"], "w") as handle:
        json.dump(applied, handle)
    os.environ.pop("JPY_PARENT_PID", None)  # the kernel's parent is this launcher now
    argv = [sys.executable, "-m", "ipykernel_launcher", *sys.argv[2:]]
    if not pid_ns:
        os.execv(sys.executable, argv)
    child = os.fork()
    if child == 0:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        os.execv(sys.executable, argv)
    _wait_for(child)


def _apply_limits(config: dict, applied: dict) -> None:
    applied["memory"] = _set_limit("RLIMIT_AS", int(config["memory_bytes"]))
    applied["file_size"] = _set_limit("RLIMIT_FSIZE", int(config["file_size_bytes"]))
    applied["core"] = _set_limit("RLIMIT_CORE", 0)
    if config.get("nproc"):
        # Counted per user and ignored for root; the pids cgroup covers root.
        uid = os.getuid()
        base = 0 if uid == 0 else _user_task_count(uid)
        applied["nproc"] = _set_limit("RLIMIT_NPROC", base + int(config["nproc"]))


def _wait_for(child: int) -> None:
    """Stay the kernel's parent: pass signals on, exit as it exits."""
    # Interrupts reach the kernel through its process group; do not send them twice.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, lambda sig, _frame: os.kill(child, sig))
    while True:
        try:
            _pid, status = os.waitpid(child, 0)
        except ChildProcessError:
            os._exit(1)
        if os.WIFEXITED(status):
            os._exit(os.WEXITSTATUS(status))
        if os.WIFSIGNALED(status):
            os._exit(128 + os.WTERMSIG(status))


if __name__ == "__main__":
    main()
