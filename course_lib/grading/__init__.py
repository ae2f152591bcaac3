"""Exercises from one source notebook, and a sandboxed autograder.

- `build`: ``notebooks/NAME.ipynb`` -> ``exercises/`` (stubs) and ``solutions/``.
- `markers`: nbgrader-style markers and cell metadata (the convention is
  documented there).
- `sandbox` / `execute`: a fresh, limited, offline kernel per notebook.
- `autograde`: tests re-inserted from the source, partial credit, gradebook,
  feedback, parallel grading.
- `check`: run a notebook as the grader would, before submitting.
- `manual`, `export`, `outputs`: manual grading sheets, LMS (Canvas, Moodle)
  exports, the output folder (gradebook, results, feedback).

Importing this package is cheap; submodules load Jupyter machinery on use.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "build_assignment": "build",
    "build_all": "build",
    "check_up_to_date": "build",
    "find_regions": "markers",
    "notebook_roles": "markers",
    "SandboxLimits": "sandbox",
    "SandboxKernel": "sandbox",
    "execute_cells": "execute",
    "load_assignment": "autograde",
    "grade_notebook": "autograde",
    "grade_submissions": "autograde",
    "check_notebook": "check",
    "read_manual_scores": "manual",
    "export_csv": "export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        module = importlib.import_module(f"course_lib.grading.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'course_lib.grading' has no attribute {name!r}")
