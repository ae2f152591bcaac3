"""Repository-wide pytest hooks. A notebook cell run by nbval fails when it writes to stderr.

A clean run of a course notebook or dashboard must show no red stderr box: in JupyterLab
and Voila every stream named ``stderr`` is one. nbval (``--nbval-lax``) only fails on
errors, so this hook turns a passing cell with stderr output into a failure that quotes
the text. Warnings that teach something belong in the notebook as text (``print``, a
Markdown cell), not on stderr. A cell may opt out with the cell tag ``allow-stderr``.

It covers every nbval run started from the repository (``make notebooks``, ``make
solutions-check``, ``pytest --nbval-lax notebooks/NN.ipynb``), since pytest loads this
file for every path below the root.
"""

from __future__ import annotations

import os

import pytest

ALLOW_TAG = "allow-stderr"


def stderr_text(outputs: list | None) -> str:
    """The text of every ``stderr`` stream among a cell's outputs ("" when none)."""
    return "".join(
        "".join(out.get("text", ""))
        for out in outputs or []
        if out.get("output_type", "stream") == "stream" and out.get("name") == "stderr"
    )


def _start_kernels_like_jupyterlab() -> None:
    # ipykernel forwards what native code writes to fd 2 (TensorFlow's C++ logging) as a
    # stderr stream, as JupyterLab and Voila show it, except when PYTEST_CURRENT_TEST is in
    # its environment. nbval starts its kernel while pytest has set it, so the kernel is
    # started without it and nbval sees what a student would see.
    try:
        from nbval import plugin
    except ImportError:  # nbval not installed: nothing to do
        return
    original = plugin.RunningKernel.__init__
    if getattr(original, "_course_patched", False):
        return

    def __init__(self, *args, **kwargs):
        saved = os.environ.pop("PYTEST_CURRENT_TEST", None)
        try:
            original(self, *args, **kwargs)
        finally:
            if saved is not None:
                os.environ["PYTEST_CURRENT_TEST"] = saved

    __init__._course_patched = True
    plugin.RunningKernel.__init__ = __init__


_start_kernels_like_jupyterlab()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or not hasattr(item, "test_outputs"):
        return
    cell = getattr(item, "cell", None)
    tags = (getattr(cell, "metadata", None) or {}).get("tags", [])
    if ALLOW_TAG in tags:
        return
    text = stderr_text(item.test_outputs)
    if text.strip():
        report.outcome = "failed"
        report.longrepr = (
            f"{item.name} wrote to stderr (a red box in JupyterLab and Voila):\n"
            + text[:4000]
            + "\nShow warnings that teach something as text, silence the others "
            f"(or tag the cell {ALLOW_TAG!r})."
        )
