"""Headless tests of the similarity, search-result and masked-word views."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.bert import MaskedPrediction, SearchHit
from course_lib.errors import ViewError
from course_lib.views.display import new_figure
from course_lib.views.masked import draw_masked_predictions
from course_lib.views.similarity import draw_search_results, draw_similarity_matrix


def test_similarity_heatmap_labels_and_values():
    sims = np.array([[1.0, 0.8, -0.1], [0.8, 1.0, 0.05], [-0.1, 0.05, 1.0]])
    labels = ["a man eats", "a man eats bread", "x" * 100]
    ax = draw_similarity_matrix(sims, labels)
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == labels[:2]
    assert ax.get_yticklabels()[2].get_text().endswith("…")
    assert "0.80" in [t.get_text() for t in ax.texts]
    assert np.allclose(ax.images[0].get_array(), sims)
    fig = new_figure((4, 4))
    mine = fig.add_subplot()
    assert draw_similarity_matrix(sims, labels, ax=mine) is mine
    with pytest.raises(ViewError, match=r"\(2, 2\)"):
        draw_similarity_matrix(sims, labels[:2])


def test_search_results_best_on_top():
    hits = [SearchHit(0, 2, "best", 0.9), SearchHit(1, 0, "second", 0.5)]
    ax = draw_search_results("query", hits, classes=["neg", "x", "pos"])
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    by_height = sorted(zip(ax.get_yticks(), ticks, strict=True))
    top = by_height[-1][1]
    assert top.startswith("1. best") and top.endswith("[pos]"), by_height
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == [0.5, 0.9]
    with pytest.raises(ViewError):
        draw_search_results("q", [])


def test_masked_view_marks_the_true_word():
    guess = MaskedPrediction("i [MASK] you .", ["[CLS]", "i", "[MASK]", "you", ".", "[SEP]"], [2],
                             [[("love", 0.4), ("miss", 0.2), ("need", 0.1)]])
    ax = draw_masked_predictions(guess, answer="miss")
    assert "rank 2" in ax.get_title()
    colors = {t.get_text(): p.get_facecolor() for t, p in
              zip(ax.get_yticklabels(), ax.patches, strict=True)}
    assert colors["miss"] != colors["love"]
    assert "not in top 3" in draw_masked_predictions(guess, answer="hate").get_title()
    two = MaskedPrediction("[MASK] [MASK]", [], [1, 2], [[("a", 0.5)], [("b", 0.3)]])
    assert len(draw_masked_predictions(two)) == 2
    with pytest.raises(ViewError, match="one answer per"):
        draw_masked_predictions(two, answer=["a"])
