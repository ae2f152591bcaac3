"""Real-browser tests: Playwright for Python driving Debian's Chromium.

Playwright's own browser download does not work offline, so the tests use the
system Chromium (``apt-get install chromium``; ``make browser-deps`` does it in
CI). They are skipped, with the reason, only when no Chromium binary exists or
the ``playwright`` package is missing.

Servers (JupyterLab, Voila) run on free loopback ports in temporary folders and
are stopped by process id. A failing test leaves a full-page screenshot and the
browser console log in ``tests/browser/_artifacts/`` (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Messages in the console that come from the browser or the page framework and say
# nothing about our notebooks (favicon 404s, JupyterLab probing optional endpoints).
BENIGN_CONSOLE = re.compile(
    r"favicon|Failed to load resource: the server responded with a status of 404|"
    r"lab/api/(workspaces|translations)|jupyterlab-manager/api|/api/kernelspecs|"
    # Voila's lab template links Font Awesome from a CDN (icons are also bundled, so
    # nothing is missing offline); requests to any other outside host fail the test below.
    r"Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|INTERNET_DISCONNECTED|"
    r"CONNECTION_REFUSED|PROXY_CONNECTION_FAILED|TUNNEL_CONNECTION_FAILED|CONNECTION_RESET|"
    r"NETWORK_CHANGED)",
    re.IGNORECASE,
)
ALLOWED_OUTSIDE = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)


def find_chromium() -> str | None:
    """The Chromium binary: $COURSE_CHROMIUM, /usr/bin/chromium, or chromium on PATH."""
    for candidate in (
        os.environ.get("COURSE_CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    reason = None
    if find_chromium() is None:
        reason = (
            "no Chromium found (looked at $COURSE_CHROMIUM, /usr/bin/chromium, PATH); "
            "install it with `make browser-deps` (apt-get install -y chromium)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed (pip install playwright)"
    if reason:
        needs_browser = {"browser", "page", "dashboard"}
        for item in items:
            in_here = here in Path(str(item.fspath)).resolve().parents
            if in_here and needs_browser & set(getattr(item, "fixturenames", ())):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http_200(url: str, timeout: float, proc: subprocess.Popen | None = None,
                  headers: dict[str, str] | None = None) -> float:
    """Poll ``url`` until it answers 200; return the seconds it took."""
    start = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    while time.monotonic() - start < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")


class Server:
    """A server subprocess with its log file; stopped by process id."""

    def __init__(self, command: list[str], cwd: Path, log: Path, env: dict[str, str]) -> None:
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log_file.close()

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def server_env(tmp: Path) -> dict[str, str]:
    """Environment for the servers: quiet TensorFlow, private Jupyter state, fast mode."""
    env = dict(os.environ)
    env.update(
        COURSE_FAST="1",
        COURSE_VIEWS="auto",
        TF_CPP_MIN_LOG_LEVEL="2",
        JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
    )
    env.pop("MPLBACKEND", None)  # kernels pick the inline backend themselves
    return env


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def new_page(browser):
    """A page (1280x900) in its own context that records console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.console_log = []  # type: ignore[attr-defined]

    def on_console(msg) -> None:
        line = f"{msg.type}: {msg.text}"
        pg.console_log.append(line)
        if msg.type == "error" and not BENIGN_CONSOLE.search(msg.text):
            pg.console_errors.append(msg.text)

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: pg.console_errors.append(f"pageerror: {exc}"))

    def on_failed(req) -> None:
        pg.console_log.append(f"request failed: {req.url} ({req.failure})")
        local = req.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
        if not local and not req.url.startswith(ALLOWED_OUTSIDE):
            pg.console_errors.append(f"request to an outside host failed: {req.url}")
        # ERR_NETWORK_CHANGED: Chromium drops requests in flight when the host's interfaces
        # change (a container starting beside the tests); Lab and Voila poll again.
        elif local and "favicon" not in req.url and req.failure not in (
                "net::ERR_ABORTED", "net::ERR_NETWORK_CHANGED"):
            pg.console_errors.append(f"local request failed: {req.url} ({req.failure})")

    pg.on("requestfailed", on_failed)
    return pg


def save_failure_artifacts(pg, node: pytest.Item) -> None:
    """Screenshot and console log of ``pg`` when ``node``'s test failed."""
    report = getattr(node, "report_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except Exception as exc:  # the page may be gone; the log still helps
        pg.console_log.append(f"(screenshot failed: {exc})")
    (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(pg.console_log))


@pytest.fixture
def page(browser, request):
    """A fresh page for one test; screenshot and console log saved if the test fails."""
    pg = new_page(browser)
    yield pg
    save_failure_artifacts(pg, request.node)
    pg.context.close()


def lab_command(root: Path, state: Path, port: int, token: str,
                settings: dict[str, str] | None = None) -> list[str]:
    """The JupyterLab command for ``root``, its workspaces and settings kept under ``state``.

    No "get notified about Jupyter news?" popup over the page; ``settings`` adds
    user settings files (``"@jupyterlab/notebook-extension/tracker"`` -> JSON text).
    """
    files = {"@jupyterlab/apputils-extension/notification":
             '{"fetchNews": "false", "checkForUpdates": false}', **(settings or {})}
    for name, text in files.items():
        path = state / "lab-user-settings" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
        f"--LabApp.workspaces_dir={state / 'lab-workspaces'}",
        f"--LabApp.user_settings_dir={state / 'lab-user-settings'}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    return command


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    """JupyterLab on a free loopback port in a temporary folder with one notebook."""
    import nbformat

    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("answer = 6 * 7\nprint(f'the answer is {answer}')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "check.ipynb")
    from tests.views.test_display_kernel import SETUP, STATIC_CASES

    once = nbformat.v4.new_notebook()
    once.cells = [nbformat.v4.new_code_cell(SETUP)] + [
        nbformat.v4.new_code_cell(source) for source, _ in STATIC_CASES]
    once.metadata["kernelspec"] = nb.metadata["kernelspec"]
    nbformat.write(once, root / "display_once.ipynb")
    port, token = free_port(), "browser-test-token"
    command = lab_command(root, root.parent, port, token)
    server = Server(command, root, root.parent / "lab.log", server_env(root.parent))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http_200(f"{base}/api/status", 90, server.proc, {"Authorization": f"token {token}"})
    except Exception:
        tail = server.log_tail()
        server.stop()
        pytest.fail(f"JupyterLab did not start:\n{tail}")
    yield {"base": base, "token": token, "root": root, "server": server}
    server.stop()


def start_voila(folder: Path, tmp: Path) -> tuple[Server, str]:
    """Voila serving ``folder`` (sources stripped, no preheating) on a free port, answering.

    Returns ``(server, base_url)``; fails the test with the log's tail if it does not start.
    """
    from course_lib.lecture import voila_command

    port = free_port()
    server = Server(voila_command(folder, port=port, preheat=False), folder, tmp / "voila.log",
                    server_env(tmp))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http_200(f"{base}/", 60, server.proc)
    except Exception:
        tail = server.log_tail()
        server.stop()
        pytest.fail(f"Voila did not start:\n{tail}")
    return server, base


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """Voila serving every dashboard (tree mode, sources stripped) on a free port.

    Kernels start when a page opens (no preheating here: preheating every
    dashboard at once would start all their kernels together on two cores).
    """
    from course_lib.lecture import find_dashboards_dir

    folder = find_dashboards_dir(REPO / "dashboards")
    server, base = start_voila(folder, tmp_path_factory.mktemp("voila"))
    yield {"base": base, "server": server}
    server.stop()
