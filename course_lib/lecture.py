"""Lecture dashboards: find the Voila notebooks in ``dashboards/`` and build the
command that serves them.

The dashboards are ordinary notebooks rendered by Voila with their code hidden
(``--strip_sources=True``) and, when one dashboard is served, a preheated kernel
(the notebook has already run when the first browser connects). The ``course
lecture`` command is a thin wrapper around :func:`voila_command`.

Example:
    >>> from course_lib.lecture import list_dashboards
    >>> [d.name for d in list_dashboards()]  # doctest: +SKIP
    ['decision_boundary', 'optimizer_comparison', 'training_replay']
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from course_lib.errors import ConfigError

DEFAULT_PORT = 8866
#: seconds Voila waits before preheating the next kernel, once a visitor took the ready one
POOL_REFILL_DELAY_S = 10.0


class DashboardNotFoundError(ConfigError):
    """No dashboard (or no dashboards folder) matches what was asked for."""


@dataclass(frozen=True)
class Dashboard:
    """One lecture dashboard notebook.

    Attributes:
        name: the file name without ``.ipynb`` (what ``course lecture NAME`` takes).
        path: the notebook file.
        title: the first Markdown heading, without the ``#``.
        summary: the first line of text after that heading ('' when there is none).
    """

    name: str
    path: Path
    title: str
    summary: str


def _candidate_dirs() -> list[Path]:
    # A checkout (editable install): <repo>/course_lib/lecture.py -> <repo>/dashboards.
    # The Docker image keeps them in the home folder.
    package_root = Path(__file__).resolve().parent.parent
    return [Path.cwd() / "dashboards", package_root / "dashboards", Path.home() / "dashboards"]


def find_dashboards_dir(directory: str | Path | None = None) -> Path:
    """The folder that holds the dashboards.

    Args:
        directory: an explicit folder; when None, the first of ``./dashboards``,
            the repository's ``dashboards/`` (editable install) and
            ``~/dashboards`` (the Docker image) that exists.

    Returns:
        The folder, resolved.

    Raises:
        DashboardNotFoundError: ``directory`` is not a folder, or none of the
            default places exists.

    Example:
        >>> find_dashboards_dir()  # doctest: +SKIP
        PosixPath('/home/jovyan/dashboards')
    """
    if directory is not None:
        path = Path(directory).expanduser().resolve()
        if not path.is_dir():
            raise DashboardNotFoundError(
                f"Expected a folder of dashboard notebooks. Received: directory={str(directory)!r}"
                f" ({'a file' if path.exists() else 'does not exist'}).",
                hint="pass --dir pointing at the repository's dashboards/ folder.",
            )
        return path
    candidates = _candidate_dirs()
    for path in candidates:
        if path.is_dir():
            return path.resolve()
    raise DashboardNotFoundError(
        "Expected a dashboards/ folder. Looked in: " + ", ".join(str(p) for p in candidates),
        hint="run from the repository root, or pass --dir DIR.",
    )


def _describe(path: Path) -> tuple[str, str]:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DashboardNotFoundError(
            f"Expected {path} to be a readable notebook (JSON). Received an error: {exc}",
            hint="re-save it from JupyterLab, or remove it from dashboards/.",
        ) from exc
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        headings = [line for line in lines if line.startswith("#")]
        if not headings:
            continue
        title = headings[0].lstrip("#").strip()
        rest = [line for line in lines[lines.index(headings[0]) + 1 :] if not line.startswith("#")]
        return title, (rest[0] if rest else "")
    return path.stem.replace("_", " "), ""


def list_dashboards(directory: str | Path | None = None) -> list[Dashboard]:
    """Every dashboard notebook, sorted by name.

    Args:
        directory: the dashboards folder (see :func:`find_dashboards_dir`).

    Returns:
        One :class:`Dashboard` per ``*.ipynb`` directly in the folder.

    Raises:
        DashboardNotFoundError: no dashboards folder, or a notebook that is not JSON.

    Example:
        >>> for d in list_dashboards():  # doctest: +SKIP
        ...     print(d.name, "-", d.title)
    """
    folder = find_dashboards_dir(directory)
    dashboards = []
    for path in sorted(folder.glob("*.ipynb")):
        title, summary = _describe(path)
        dashboards.append(Dashboard(name=path.stem, path=path, title=title, summary=summary))
    return dashboards


def get_dashboard(name: str, directory: str | Path | None = None) -> Dashboard:
    """The dashboard called ``name`` (or the only one whose name starts with it).

    Args:
        name: a dashboard name such as ``optimizer_comparison``; ``.ipynb`` and a
            unique prefix (``optim``) are accepted.
        directory: the dashboards folder (see :func:`find_dashboards_dir`).

    Returns:
        The matching :class:`Dashboard`.

    Raises:
        DashboardNotFoundError: no dashboard or more than one matches.

    Example:
        >>> get_dashboard("optim").name  # doctest: +SKIP
        'optimizer_comparison'
    """
    wanted = name.strip().removesuffix(".ipynb").replace("-", "_").lower()
    dashboards = list_dashboards(directory)
    names = [d.name for d in dashboards]
    exact = [d for d in dashboards if d.name.lower() == wanted]
    matches = exact or [d for d in dashboards if wanted and d.name.lower().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise DashboardNotFoundError(
            f"Expected one of the dashboards {names}. Received: {name!r}",
            hint="run `course lecture` without a name to list them.",
        )
    raise DashboardNotFoundError(
        f"Expected a name that matches one dashboard. Received: {name!r}, which matches "
        f"{[d.name for d in matches]}",
        hint="type more of the name.",
    )


def _check_port(port: int) -> int:
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ConfigError(
            f"Expected a TCP port between 1 and 65535. Received: port={port!r}",
            hint=f"e.g. --port {DEFAULT_PORT}",
        )
    return port


def voila_command(
    target: Dashboard | Path,
    *,
    port: int = DEFAULT_PORT,
    ip: str = "127.0.0.1",
    preheat: bool = True,
    open_browser: bool = False,
    python: str | None = None,
) -> list[str]:
    """The command line that serves a dashboard (or a folder of them) with Voila.

    Sources are always stripped (students see widgets and figures, no code).
    With ``preheat`` one kernel per notebook is started and the notebook run
    before anyone connects, so the page appears at once; Voila cannot combine
    that with progressive rendering, which therefore stays off. The next kernel
    is preheated :data:`POOL_REFILL_DELAY_S` seconds after a visitor took the
    ready one (Voila's 1 s would start it while that visitor's page is drawn).

    Args:
        target: one :class:`Dashboard`, or a folder to serve every notebook in it
            (then each notebook gets its own preheated kernel).
        port: TCP port to listen on.
        ip: address to listen on (``0.0.0.0`` inside a container).
        preheat: start and run the kernel before the first visitor.
        open_browser: let Voila open a browser tab.
        python: interpreter to run Voila with (default: this one).

    Returns:
        The argument list for :func:`subprocess.run`.

    Raises:
        ConfigError: ``port`` is not a valid TCP port.

    Example:
        >>> cmd = voila_command(get_dashboard("optim"), port=8870)  # doctest: +SKIP
    """
    _check_port(port)
    path = target.path if isinstance(target, Dashboard) else Path(target)
    command = [
        python or sys.executable,
        "-m",
        "voila",
        str(path),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        # Voila 0.5 shuts a kernel down when its tab closes with a POST that carries no
        # XSRF token; without this the request is refused and every closed tab leaves its
        # kernel (with TensorFlow loaded) running.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        # jupyter-server-proxy's Lab extension (the TensorBoard launcher) needs Lab's file
        # browser, which a Voila page does not have: loaded there it only logs an error.
        "--VoilaConfiguration.extension_denylist=['@jupyterhub/jupyter-server-proxy']",
    ]
    if preheat:
        # Voila refills the pool 1 s after a visitor takes the preheated kernel: a second
        # kernel importing TensorFlow and running the notebook then competes with the page
        # being drawn. Refill once the first visitor's page is up.
        command += ["--preheat_kernel=True", "--pool_size=1",
                    f"--VoilaKernelManager.fill_delay={POOL_REFILL_DELAY_S:g}"]
    if not open_browser:
        command.append("--no-browser")
    return command


def dashboard_url(
    target: Dashboard | Path, *, port: int = DEFAULT_PORT, host: str = "127.0.0.1"
) -> str:
    """The address a browser opens for what :func:`voila_command` serves.

    Args:
        target: the same dashboard or folder passed to :func:`voila_command`.
        port: the port it listens on.
        host: the host name the browser uses.

    Returns:
        ``http://host:port/`` (one dashboard at the root; a folder shows its list there).

    Raises:
        ConfigError: ``port`` is not a valid TCP port.

    Example:
        >>> dashboard_url(Path("dashboards"), port=8866)
        'http://127.0.0.1:8866/'
    """
    _check_port(port)
    return f"http://{host}:{port}/"
