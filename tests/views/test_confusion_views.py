"""Headless tests of the confusion-matrix view and its example explorer."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import CourseError, ViewError
from course_lib.models.classification import confusion_matrix
from course_lib.views.confusion import (
    ConfusionExplorer,
    cell_examples,
    draw_confusion,
    examples_html,
    show_confusion,
)
from course_lib.views.display import new_figure

NAMES = ["Goethe", "Heine", "Tucholsky"]
Y_TRUE = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
Y_PRED = np.array([0, 0, 1, 1, 1, 0, 2, 1, 1, 2])
TEXTS = [f"poem {i}\nsecond line <b>" for i in range(10)]
PROBS = np.full((10, 3), 0.1)
PROBS[np.arange(10), Y_PRED] = 0.8
PROBS[7, 1], PROBS[7, 2] = 0.6, 0.3     # 7 and 8 are both Tucholsky -> Heine; 8 is surer


@pytest.fixture
def cm():
    return confusion_matrix(Y_TRUE, Y_PRED, class_names=NAMES)


def _cell_texts(ax):
    return {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
            for t in ax.texts}


def test_draw_normalized_colours_rates_and_labels_counts(cm, static_views):
    ax = draw_confusion(cm).axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(), cm.normalized("true"))
    cells = _cell_texts(ax)
    assert cells[(2, 1)] == "2\n50%" and cells[(0, 0)] == "2\n67%"
    assert [t.get_text() for t in ax.get_yticklabels()] == NAMES
    assert ax.get_xlabel() == "predicted class" and "60.0%" in ax.get_title()


def test_draw_counts_into_axes_with_highlight(cm, static_views):
    fig = new_figure((4, 4))
    ax = fig.add_subplot()
    assert draw_confusion(cm, ax=ax, normalize=None, highlight=(2, 1)) is ax
    np.testing.assert_array_equal(ax.images[0].get_array(), cm.counts)
    assert _cell_texts(ax)[(2, 1)] == "2"
    (rect,) = ax.patches
    assert rect.get_xy() == (0.5, 1.5)


def test_draw_bad_input(cm, static_views):
    with pytest.raises(ViewError, match="ndarray"):
        draw_confusion(np.eye(3))
    with pytest.raises(ViewError, match="normalize='rows'"):
        draw_confusion(cm, normalize="rows")


def test_cell_examples_most_confident_first(cm):
    rows = cell_examples(cm, "Tucholsky", "Heine", TEXTS, PROBS)
    assert [r["index"] for r in rows] == [8, 7]
    assert rows[0]["confidence"] == pytest.approx(0.8)
    assert cell_examples(cm, 2, 1)[0]["text"] is None
    with pytest.raises(ViewError, match="3 texts"):
        cell_examples(cm, 0, 1, TEXTS[:3])
    with pytest.raises(ViewError, match=r"\(4, 3\)"):
        cell_examples(cm, 0, 1, TEXTS, PROBS[:4])


def test_examples_html_escapes_and_flattens(cm):
    page = examples_html(cm, [(2, 1)], TEXTS, PROBS)
    assert "poem 8 / second line &lt;b&gt;" in page and "<b>Tucholsky</b>" in page
    assert page.index("poem 8") < page.index("poem 7")


def test_explorer_starts_on_largest_confusion_and_follows_selection(cm, interactive_views):
    explorer = ConfusionExplorer(cm, texts=TEXTS, probs=PROBS)
    assert explorer.cell == (2, 1)
    assert "poem 8" in explorer.table.value
    first_png = explorer.view.image.value
    assert first_png[:4] == b"\x89PNG"
    explorer.select("Goethe", "Heine")
    assert explorer.cell == (0, 1)
    assert "poem 2" in explorer.table.value and "poem 8" not in explorer.table.value
    assert explorer.view.image.value != first_png
    assert explorer.view.last_status == ("Goethe → Heine: 1 misclassified, 1 listed", "info")
    explorer.pred_picker.value = 0           # the dropdown, as a student would
    assert "correct" in explorer.view.last_status[0] and "poem 0" in explorer.table.value
    with pytest.raises(CourseError, match="'Schiller'"):
        explorer.select("Schiller", 0)


def test_show_confusion_modes(cm, static_views, monkeypatch):
    from matplotlib.figure import Figure

    assert isinstance(show_confusion(cm, texts=TEXTS, probs=PROBS), Figure)
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    assert isinstance(show_confusion(cm, texts=TEXTS), ConfusionExplorer)
    with pytest.raises(ViewError):
        show_confusion(cm, texts=TEXTS[:2])
