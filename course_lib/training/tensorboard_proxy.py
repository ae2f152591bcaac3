"""The ``jupyter-server-proxy`` entry for TensorBoard: a "TensorBoard" tile in the Lab launcher.

Registered in ``pyproject.toml``::

    [project.entry-points.jupyter_serverproxy_servers]
    tensorboard = "course_lib.training.tensorboard_proxy:setup_tensorboard"

JupyterLab then shows a TensorBoard launcher tile; clicking it starts
TensorBoard on a free port for ``$COURSE_TENSORBOARD_LOGDIR`` (default
``~/tensorboard-logs``) and opens it at ``<base_url>tensorboard/``, which works
the same behind JupyterHub. Notebooks that start their own server reach it at
``<base_url>proxy/<port>/`` (see :func:`course_lib.training.tensorboard.proxy_url`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from course_lib.training.tensorboard import (
    LogDirError,
    default_log_dir,
    prepare_log_dir,
    tensorboard_command,
)


def setup_tensorboard() -> dict[str, Any]:
    """The server-proxy configuration (``{port}`` is filled in by jupyter-server-proxy).

    Returns:
        ``{"command": [...], "timeout": ..., "launcher_entry": {...}, ...}``.

    Example:
        >>> setup_tensorboard()["launcher_entry"]["title"]
        'TensorBoard'
    """
    log_dir = default_log_dir()
    # a read-only home must not break the launcher; TensorBoard then shows no data
    with contextlib.suppress(LogDirError):
        prepare_log_dir(log_dir)
    return {
        "command": [*tensorboard_command(), "--logdir", str(log_dir), "--port", "{port}",
                    "--host", "127.0.0.1", "--reload_interval", "5"],
        "timeout": 90,
        "absolute_url": False,
        "new_browser_tab": False,
        "launcher_entry": {"enabled": True, "title": "TensorBoard", "category": "Notebook"},
    }
