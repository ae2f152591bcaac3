"""Seconds from opening a lecture dashboard in the browser to its first widget being visible.

For every notebook in ``dashboards/`` this starts Voila the way ``course lecture NAME``
does (sources stripped) on a free loopback port, opens the page in headless Chromium
(Playwright) and times ``page.goto`` -> its first control (an ipywidgets slider, or the
text box of a dashboard driven by one) visible:

* **preheated**: ``course lecture NAME`` as a lecturer runs it: the kernel is started and
  the notebook executed before anyone connects. The page is opened once the preheated
  kernel has gone idle (its CPU time stopped growing for 3 s).
* **cold**: no preheated kernel (``--no-preheat``, or Voila as a Jupyter server extension
  inside JupyterLab): the kernel starts and runs the notebook (importing TensorFlow) when
  the page is opened.

Writes ``benchmarks/results/dashboards.md``. Needs Chromium (``/usr/bin/chromium``) and the
``playwright`` package.

    .venv/bin/python benchmarks/dashboards_first_widget.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from course_lib.lecture import list_dashboards, voila_command  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    Server,
    find_chromium,
    free_port,
    server_env,
)

RESULTS = REPO / "benchmarks" / "results" / "dashboards.md"
GOAL_S = 5.0
# the first control a dashboard shows: a slider, or a text box (translation_steps)
FIRST_CONTROL = ".widget-slider .noUi-handle, .widget-text input"


def first_widget_seconds(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        start = time.monotonic()
        page.goto(url, wait_until="commit")
        page.locator(FIRST_CONTROL).first.wait_for(state="visible", timeout=180_000)
        return time.monotonic() - start
    finally:
        context.close()


def measure(browser, path: Path, preheat: bool, tmp: Path) -> float:
    port = free_port()
    command = voila_command(path, port=port, preheat=preheat)
    env = {**server_env(tmp), "COURSE_FAST": "0"}  # the lecture, not the CI run
    server = Server(command, path.parent, tmp / f"{path.stem}-{preheat}.log", env)
    try:
        _wait_listening(port, server)
        if preheat:
            _wait_kernel_idle(server)
        return first_widget_seconds(browser, f"http://127.0.0.1:{port}/")
    finally:
        server.stop()


def _wait_kernel_idle(server: Server, quiet_s: float = 3.0, timeout: float = 600) -> None:
    """Wait until Voila's preheated kernel exists and its CPU time stops growing."""
    import psutil

    deadline = time.monotonic() + timeout
    parent = psutil.Process(server.proc.pid)
    last, still_since = -1.0, time.monotonic()
    while time.monotonic() < deadline:
        kernels = [p for p in parent.children(recursive=True) if "ipykernel" in " ".join(
            p.cmdline())]
        if kernels:
            cpu = sum(k.cpu_times().user + k.cpu_times().system for k in kernels)
            if cpu > last + 0.05:
                last, still_since = cpu, time.monotonic()
            elif time.monotonic() - still_since >= quiet_s and last > 1.0:
                return
        time.sleep(0.5)
    raise TimeoutError("the preheated kernel did not go idle")


def _wait_listening(port: int, server: Server, timeout: float = 60) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"Voila exited:\n{server.log_tail()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"Voila did not listen on {port} within {timeout} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="measurements per dashboard/mode")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp_name, sync_playwright() as pw:
        tmp = Path(tmp_name)
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for dash in list_dashboards(REPO / "dashboards"):
            cold = [measure(browser, dash.path, False, tmp) for _ in range(args.repeat)]
            warm = [measure(browser, dash.path, True, tmp) for _ in range(args.repeat)]
            rows.append((dash.name, statistics.median(warm), statistics.median(cold)))
            print(f"{dash.name}: preheated {rows[-1][1]:.1f} s, cold {rows[-1][2]:.1f} s",
                  flush=True)
            _write(rows, args.repeat)  # after each dashboard: a failure later keeps these
        browser.close()
    print(f"wrote {RESULTS}")
    return 0


def _write(rows: list[tuple[str, float, float]], repeat: int) -> None:
    lines = [
        "# Dashboards: first widget visible",
        "",
        f"Measured by `benchmarks/dashboards_first_widget.py` on {datetime.now(UTC):%Y-%m-%d}: "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}, headless Chromium "
        f"(Playwright), load average {os.getloadavg()[0]:.1f} when written, COURSE_FAST=0; "
        f"median of {repeat} per cell. Time from "
        "`page.goto` to the first control (slider, or text box) visible. Goal: ≤ "
        f"{GOAL_S:.0f} s.",
        "",
        "| dashboard | preheated (`course lecture NAME`) | cold (no preheat / in JupyterLab) |",
        "|---|---|---|",
    ]
    for name, warm, cold in rows:
        mark = "✓" if warm <= GOAL_S else "✗"
        lines.append(f"| {name} | {warm:.1f} s {mark} | {cold:.1f} s |")
    lines += [
        "",
        "Cold opens pay for the kernel start and `import tensorflow` (about 5–10 s on this "
        "machine) before anything is drawn; `course lecture` preheats the kernel so the "
        "lecture audience does not. Preheated pages were opened once the preheated kernel "
        "had gone idle (notebook executed).",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
