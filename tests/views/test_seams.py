"""Where the rooms meet: compute never imports views, and the Keras adapter still works.

The import scan reads every module's source with ``ast`` (imports at top level and
inside functions alike), so it fails the moment a compute module reaches into views.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "course_lib"
COMPUTE_ROOMS = ("training", "models", "optim", "playground", "data", "grading")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _views_imports(room: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / room).rglob("*.py")):
        for line, module in _imported_modules(path):
            if module == "course_lib.views" or module.startswith("course_lib.views."):
                bad.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("room", COMPUTE_ROOMS)
def test_compute_rooms_never_import_views(room):
    bad = _views_imports(room)
    assert not bad, "compute must not import views (let views register or pass outputs):\n" + (
        "\n".join(bad))


def test_the_scan_finds_a_views_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from course_lib.views.training import plot_history\n")
    assert (2, "course_lib.views.training") in _imported_modules(module)


def test_views_register_the_monitor_outputs():
    from course_lib.training import monitor_output
    from course_lib.views.training import LiveFigureOutput, StaticFigureOutput

    assert monitor_output._OUTPUTS["interactive"] is LiveFigureOutput
    assert monitor_output._OUTPUTS["static"] is StaticFigureOutput
    assert isinstance(monitor_output.create_output("static", metrics=None, log_scale=False,
                                                   best_epoch=True, per_batch=False,
                                                   show_time=True), StaticFigureOutput)


def test_view_modules_leave_figures_encoding_and_image_widgets_to_the_display_layer():
    """Only views/display.py makes pyplot contact, encodes PNGs or builds image widgets."""
    bad = []
    for path in sorted((PACKAGE / "views").rglob("*.py")):
        if path.name == "display.py":
            continue
        text = path.read_text(encoding="utf-8")
        modules = {m for _, m in _imported_modules(path)}
        if "matplotlib.pyplot" in modules:
            bad.append(f"{path.name}: imports matplotlib.pyplot (use display.new_figure)")
        for marker, fix in (("BytesIO", "display.figure_png"),
                            ("widgets.Image(", "display.ImageView")):
            if marker in text:
                bad.append(f"{path.relative_to(PACKAGE)}: {marker} (use {fix})")
    assert not bad, "\n".join(bad)
