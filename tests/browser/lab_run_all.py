"""Run All of course notebooks in JupyterLab in a real browser, as a student does.

Each notebook is copied into a fresh JupyterLab root, opened in headless Chromium,
and run with the Run menu's "Run All Cells" with the interactive views (no
``COURSE_VIEWS=static``). When the kernel is idle and every code cell has its
execution count, the page is searched for error and stderr outputs (red boxes)
and its figures are counted against ``tests/browser/expected_figures.json``.
Rows go to ``tests/browser/results/lab_run_all.{json,md}`` as each notebook
finishes (rows of notebooks not in this run are kept).

Too slow for every CI run (each notebook trains its models), so it is a script::

    python -m tests.browser.lab_run_all 08 09 10 11      # notebooks whose name starts so
    python -m tests.browser.lab_run_all                  # every notebook in notebooks/

Fast mode (``COURSE_FAST=1``) unless the environment says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import (  # noqa: E402
    Server,
    find_chromium,
    free_port,
    lab_command,
    server_env,
    wait_http_200,
)
from tests.browser.notebook_figures import FIGURE_SELECTOR  # noqa: E402
from tests.exercises.run_suite import merge_rows  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
TABLE = Path(__file__).resolve().with_name("expected_figures.json")
#: error tracebacks and stderr streams both render with this MIME type in JupyterLab
RED_BOX = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
RUN_TIMEOUT_S = 20 * 60


def start_lab(root: Path, tmp: Path) -> tuple[Server, str, str]:
    port, token = free_port(), "lab-run-all"
    # every cell in the page (Lab 4 leaves cells outside the window out of the DOM otherwise)
    command = lab_command(root, tmp, port, token, {
        "@jupyterlab/notebook-extension/tracker": '{"windowingMode": "none"}'})
    env = server_env(tmp)  # COURSE_VIEWS=auto: the interactive views, as a student gets them
    env["COURSE_FAST"] = os.environ.get("COURSE_FAST", "1")
    server = Server(command, root, tmp / "lab.log", env)
    base = f"http://127.0.0.1:{port}"
    wait_http_200(f"{base}/api/status", 120, server.proc, {"Authorization": f"token {token}"})
    return server, base, token


def run_notebook(page, base: str, token: str, name: str, n: int) -> dict[str, object]:
    """Open ``name`` (``n`` code cells) in its own workspace, Run All, wait, read the page."""
    t0 = time.monotonic()
    page.goto(f"{base}/lab/workspaces/{Path(name).stem}/tree/{name}?token={token}")
    cells = page.locator(".jp-NotebookPanel .jp-CodeCell")
    cells.first.wait_for(state="visible", timeout=120_000)
    idle = re.compile(r"\| Idle")
    page.get_by_text(idle).first.wait_for(timeout=180_000)
    page.locator(".jp-NotebookPanel").first.click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    next_note = time.monotonic() + 60
    # done when every code cell has a number and the kernel is idle again
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        numbered = sum(1 for p in prompts if re.search(r"\[\d+\]", p))
        if numbered >= n and page.get_by_text(idle).count():
            break
        if time.monotonic() > next_note:
            print(f"  {name}: {numbered}/{n} cells after {time.monotonic() - t0:.0f} s", flush=True)
            next_note += 60
        if page.locator(RED_BOX).count():  # an error stops Run All; no need to wait it out
            page.wait_for_timeout(2000)
            break
        page.wait_for_timeout(2000)
    page.wait_for_timeout(3000)  # outputs render a moment after the kernel goes idle
    red = page.locator(RED_BOX).all_inner_texts()
    return {
        "notebook": Path(name).stem,
        "cells": n,
        "ran": sum(1 for p in page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt")
                   .all_inner_texts() if re.search(r"\[\d+\]", p)),
        "red_boxes": [text[:300] for text in red],
        "figures": page.locator(FIGURE_SELECTOR).count(),
        "seconds": round(time.monotonic() - t0, 1),
        "console_errors": list(getattr(page, "console_errors", []))[:5],
    }


def write(rows: list[dict[str, object]], expected: dict[str, int]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "lab_run_all.json"
    merged = merge_rows(path, rows, [str(r["notebook"]) for r in rows])
    path.write_text(json.dumps({"rows": merged}, indent=1) + "\n")
    lines = ["# Run All in JupyterLab (headless Chromium)", "",
             "Made by `python -m tests.browser.lab_run_all` (fast mode, interactive views):",
             "each notebook opened in JupyterLab and run with Run > Run All Cells. Red boxes",
             "are error or stderr outputs; figures are counted with the selector of",
             "`tests/browser/notebook_figures.py`.", "",
             "| notebook | cells run | red boxes | figures (expected) | seconds | commit | load |",
             "|---|---|---:|---|---:|---|---:|"]
    for r in merged:
        want = expected.get(str(r["notebook"]), "?")
        lines.append(f"| {r['notebook']} | {r['ran']}/{r['cells']} | {len(r['red_boxes'])} | "
                     f"{r['figures']} ({want}) | {r['seconds']} | {r.get('commit', '?')} | "
                     f"{r.get('load', '?')} |")
    (RESULTS / "lab_run_all.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes (default: all)")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium: `make browser-deps` installs it")
    notebooks = sorted(p for p in (REPO / "notebooks").glob("*.ipynb")
                       if not args.prefixes or any(p.name.startswith(x) for x in args.prefixes))
    expected = json.loads(TABLE.read_text())["notebooks"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="lab-run-all-"))
    root = tmp / "root"
    root.mkdir()
    for nb in notebooks:
        shutil.copy(nb, root / nb.name)
    server, base, token = start_lab(root, tmp)
    rows: list[dict[str, object]] = []
    bad = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium)
            for nb in notebooks:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                try:
                    code = sum(1 for c in json.loads(nb.read_text())["cells"]
                               if c["cell_type"] == "code")
                    row = run_notebook(page, base, token, nb.name, code)
                except Exception as error:  # a failed run is a row, not the end of the run
                    row = {"notebook": nb.stem, "cells": 0, "ran": 0, "figures": 0,
                           "red_boxes": [f"run failed: {type(error).__name__}: {error}"[:300]],
                           "seconds": 0}
                row["commit"], row["load"] = commit, round(os.getloadavg()[0], 1)
                ok = (not row["red_boxes"] and row["ran"] == row["cells"]
                      and row["figures"] == expected.get(nb.stem, row["figures"]))
                bad += not ok
                print(f"{nb.stem}: {row['ran']}/{row['cells']} cells, {len(row['red_boxes'])} red "
                      f"boxes, {row['figures']} figures (expected {expected.get(nb.stem, '?')}), "
                      f"{row['seconds']} s {'ok' if ok else 'NOT OK'}", flush=True)
                rows.append(row)
                write(rows, expected)
                page.close()
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
