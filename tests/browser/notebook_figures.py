"""Count the figures every notebook shows in a real browser, against the expected table.

Each notebook is rendered by Voila (a real kernel, every cell run, outputs and widgets
in Chromium) and the figures on the page are counted: PNG images (static outputs and
image widgets), SVG diagrams, embedded pages and animations. The counts are compared
with ``tests/browser/expected_figures.json`` and written to
``tests/browser/results/notebook_figures.{json,md}``.

Running every notebook takes long (each trains its models), so CI runs only a few
(``tests/browser/test_notebook_figures.py``); this script runs them all::

    python -m tests.browser.notebook_figures            # every notebook in notebooks/
    python -m tests.browser.notebook_figures 00 03      # notebooks whose name starts so
    python -m tests.browser.notebook_figures --record   # write found counts as expected

``--record`` is for a notebook that gained or lost a figure on purpose: review the
diff of the table before committing it. Each notebook's result is written as soon as
it is rendered, and a run over some notebooks keeps the results of the others (each
row says when, at which commit and at which load it was measured), so a long run can
be resumed notebook by notebook.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).resolve().with_name("expected_figures.json")
RESULTS = Path(__file__).resolve().parent / "results"
RENDER_TIMEOUT_MS = 20 * 60 * 1000

#: what counts as one figure on a rendered page
FIGURE_SELECTOR = ", ".join([
    "img.widget-image",                          # image widgets (every interactive view)
    ".jp-RenderedImage img",                     # static PNG outputs (figures)
    ".jp-RenderedSVG svg",                       # SVG outputs (neuron views), inline or
    ".jp-RenderedSVG img",                       # as nbconvert/Lab draw them: an <img>
    ".course-diagram-html",                      # model diagrams (one per diagram, however
                                                 # many pictures of opened blocks it holds)
    ".widget-html iframe",                       # embedded pages in widgets (projector)
    ".jp-OutputArea-output iframe",              # embedded pages as outputs
    ".jp-OutputArea-output img[id^='_anim_img']",  # matplotlib JS animations
])
COUNT_JS = f"() => document.querySelectorAll(\"{FIGURE_SELECTOR}\").length"


def expected_table() -> dict[str, dict[str, int]]:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def count_figures(page, url: str, timeout_ms: int = RENDER_TIMEOUT_MS) -> dict:
    """Open ``url`` (a Voila render page), wait until it is complete, count its figures."""
    start = time.monotonic()
    page.goto(url, wait_until="load", timeout=timeout_ms)
    # Voila shows the page when every cell ran; widgets then render: wait for a stable count.
    stable, last = 0, -1
    while stable < 6:
        page.wait_for_timeout(500)
        now = page.evaluate(COUNT_JS)
        stable = stable + 1 if now == last else 0
        last = now
    text = page.locator("body").inner_text()
    errors = [marker for marker in ("Traceback", "There was an error when executing cell")
              if marker in text]
    return {"figures": last, "seconds": round(time.monotonic() - start, 1), "errors": errors}


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def run(names: list[str], on_result: Callable[[dict], None] | None = None) -> list[dict]:
    """Render each notebook in Voila + Chromium; one result dict per notebook.

    ``on_result`` is called with each result as soon as its notebook is done.
    """
    from playwright.sync_api import sync_playwright

    from course_lib.lecture import voila_command
    from tests.browser.conftest import (
        CHROMIUM_ARGS,
        Server,
        find_chromium,
        free_port,
        server_env,
        wait_http_200,
    )

    tmp = Path(tempfile.mkdtemp(prefix="notebook-figures-"))
    port = free_port()
    server = Server(voila_command(REPO / "notebooks", port=port, preheat=False),
                    REPO / "notebooks", tmp / "voila.log", server_env(tmp))
    expected = expected_table()["notebooks"]
    results = []
    try:
        wait_http_200(f"http://127.0.0.1:{port}/", 60, server.proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            for name in names:
                page = browser.new_page()
                start = time.monotonic()
                try:
                    found = count_figures(
                        page, f"http://127.0.0.1:{port}/voila/render/{name}.ipynb")
                except Exception as exc:  # a timeout or a dead page: note it, go on
                    found = {"figures": None, "errors": [f"render failed: {exc!s:.200}"],
                             "seconds": round(time.monotonic() - start, 1)}
                page.close()
                want = expected.get(name)
                found.update(notebook=name, expected=want,
                             ok=want == found["figures"] and not found["errors"],
                             commit=_commit(), load=round(os.getloadavg()[0], 1),
                             when=time.strftime("%Y-%m-%d %H:%M", time.gmtime()))
                results.append(found)
                if on_result is not None:
                    on_result(found)
            browser.close()
    finally:
        server.stop()
    return results


def write_results(results: list[dict]) -> None:
    """Write the results, keeping earlier rows of notebooks not in ``results``."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "notebook_figures.json"
    rows = {r["notebook"]: r for r in (json.loads(path.read_text()) if path.exists() else [])}
    rows.update({r["notebook"]: r for r in results})
    merged = [rows[name] for name in sorted(rows)]
    path.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    lines = ["# Figures per notebook in Voila + Chromium", "",
             "Fast mode (`COURSE_FAST=1`); seconds are wall-clock time to render the notebook",
             "(every cell run) on a shared machine, at the load average given.", "",
             "| notebook | expected | found | seconds | load | commit | when (UTC) | result |",
             "|---|---|---|---|---|---|---|---|"]
    for r in merged:
        verdict = "ok" if r["ok"] else ("errors: " + ", ".join(r["errors"]) if r["errors"]
                                        else "MISMATCH")
        lines.append(f"| {r['notebook']} | {r['expected']} | {r['figures']} | {r['seconds']} "
                     f"| {r.get('load', '')} | {r.get('commit', '')} | {r.get('when', '')} "
                     f"| {verdict} |")
    (RESULTS / "notebook_figures.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("prefixes", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--record", action="store_true",
                        help="write the counts found into the expected table")
    args = parser.parse_args(argv)
    names = sorted(p.stem for p in (REPO / "notebooks").glob("*.ipynb")
                   if not args.prefixes or p.stem.startswith(tuple(args.prefixes)))
    from tests.browser.conftest import find_chromium

    if find_chromium() is None:
        parser.error("no Chromium found: install it with `make browser-deps` "
                     "(apt-get install -y chromium libatomic1) or set $COURSE_CHROMIUM")
    done: list[dict] = []

    def report(result: dict) -> None:
        done.append(result)
        write_results(done)
        print(f"{result['notebook']}: expected {result['expected']}, found "
              f"{result['figures']} ({result['seconds']} s)"
              f"{' ' + str(result['errors']) if result['errors'] else ''}", flush=True)

    results = run(names, on_result=report)
    if args.record:
        table = expected_table()
        for r in results:
            if not r["errors"]:
                table["notebooks"][r["notebook"]] = r["expected"] = r["figures"]
                r["ok"] = True
        TABLE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    write_results(results)
    return 0 if all(r["ok"] for r in results) or args.record else 1


if __name__ == "__main__":
    sys.exit(main())
