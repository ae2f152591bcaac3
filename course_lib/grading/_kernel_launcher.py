"""Start an IPython kernel inside the grading sandbox (run as a script, stdlib only).

``sandbox.SandboxKernel`` launches ``python _kernel_launcher.py CONFIG_JSON -f CONNECTION``.
This script joins the submission's cgroups, lowers its resource limits, leaves
the network namespace where the OS allows it, writes what it managed to apply
to ``status_file`` and then ``exec``s ``ipykernel_launcher`` (same process, so
the limits and namespaces stay in force for the kernel and everything it starts).

It must not import ``course_lib``: it runs before the kernel exists, in the
submission's temporary working directory.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


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


def _leave_network() -> str:
    """Move this process into an empty network namespace; return how (or why not)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:  # pragma: no cover - no libc
        return f"not isolated ({exc})"
    if libc.unshare(_CLONE_NEWNET) == 0:
        return "isolated (network namespace)"
    # Unprivileged users may still create a user namespace and a network one in it.
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return "isolated (user + network namespace)"
    return f"not isolated (unshare failed: {os.strerror(ctypes.get_errno())})"


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
    applied["memory"] = _set_limit("RLIMIT_AS", int(config["memory_bytes"]))
    applied["file_size"] = _set_limit("RLIMIT_FSIZE", int(config["file_size_bytes"]))
    applied["core"] = _set_limit("RLIMIT_CORE", 0)
    if config.get("cpu_seconds"):
        applied["cpu"] = _set_limit("RLIMIT_CPU", int(config["cpu_seconds"]))
    if config.get("nproc"):
        # Counted per user and ignored for root; the pids cgroup covers root.
        uid = os.getuid()
        base = 0 if uid == 0 else _user_task_count(uid)
        applied["nproc"] = _set_limit("RLIMIT_NPROC", base + int(config["nproc"]))
    applied["network"] = "allowed" if config.get("network") else _leave_network()
    with open(config["status_file"], "w") as handle:
        json.dump(applied, handle)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[2:]])


if __name__ == "__main__":
    main()
