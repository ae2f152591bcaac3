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
diff of the table before committing it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).resolve().with_name("expected_figures.json")
RESULTS = Path(__file__).resolve().parent / "results"
RENDER_TIMEOUT_MS = 20 * 60 * 1000

#: what counts as one figure on a rendered page
FIGURE_SELECTOR = ", ".join([
    "img.widget-image",                          # image widgets (every interactive view)
    ".jp-RenderedImage img",                     # static PNG outputs (figures)
    ".jp-RenderedSVG svg",                       # SVG outputs (model diagrams)
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


def run(names: list[str]) -> list[dict]:
    """Render each notebook in Voila + Chromium; one result dict per notebook."""
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
                found = count_figures(page, f"http://127.0.0.1:{port}/voila/render/{name}.ipynb")
                page.close()
                want = expected.get(name)
                found.update(notebook=name, expected=want,
                             ok=want == found["figures"] and not found["errors"])
                results.append(found)
            browser.close()
    finally:
        server.stop()
    return results


def write_results(results: list[dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "notebook_figures.json").write_text(json.dumps(results, indent=1) + "\n",
                                                   encoding="utf-8")
    load = os.getloadavg()[0]
    lines = ["# Figures per notebook in Voila + Chromium", "",
             f"Load average at the end: {load:.1f}.", "",
             "| notebook | expected | found | seconds | result |", "|---|---|---|---|---|"]
    for r in results:
        verdict = "ok" if r["ok"] else ("errors: " + ", ".join(r["errors"]) if r["errors"]
                                        else "MISMATCH")
        lines.append(f"| {r['notebook']} | {r['expected']} | {r['figures']} | {r['seconds']} "
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
    results = run(names)
    if args.record:
        table = expected_table()
        for r in results:
            if not r["errors"]:
                table["notebooks"][r["notebook"]] = r["expected"] = r["figures"]
                r["ok"] = True
        TABLE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    write_results(results)
    for r in results:
        print(f"{r['notebook']}: expected {r['expected']}, found {r['figures']} "
              f"({r['seconds']} s){' ' + str(r['errors']) if r['errors'] else ''}")
    return 0 if all(r["ok"] for r in results) or args.record else 1


if __name__ == "__main__":
    sys.exit(main())
