"""The text vectorization explorer, headless: panels, table, widget driven through its state."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import TextError, ViewError
from course_lib.text import build_vocabulary, explain_sentence, idf_weights
from course_lib.views.display import new_figure
from course_lib.views.text import (
    TextExplorer,
    draw_bag_of_words,
    draw_buckets,
    draw_one_hot,
    explore_text,
    sentence_table,
    show_sentence,
    shown_columns,
)

TEXTS = ["the movie was great", "a terrible movie", "great great acting", "dull plot"]
VOCAB = build_vocabulary(TEXTS, mask=False)
IDF = idf_weights(TEXTS, VOCAB)


def _vectors(sentence="the great zebra movie"):
    return explain_sentence(sentence, VOCAB, IDF, num_buckets=8)


def test_shown_columns_keep_every_used_entry():
    v = _vectors()
    cols = shown_columns(v, max_columns=3)
    assert set(v.indices.tolist()) <= set(cols.tolist()) and cols[0] == 0
    assert len(shown_columns(v, max_columns=50)) == len(VOCAB)


def test_panels_draw_into_callers_axes():
    v = _vectors()
    fig = new_figure((8, 6))
    axes = fig.subplots(3, 1)
    assert draw_one_hot(v, ax=axes[0]) is axes[0]
    image = axes[0].images[0].get_array()
    assert image.shape == (4, len(shown_columns(v)))
    assert image.sum() == 4  # one 1 per token
    labels = [t.get_text() for t in axes[0].get_yticklabels()]
    assert labels[2] == f"zebra → {VOCAB.index('[UNK]')}"
    draw_bag_of_words(v, ax=axes[1])
    annotated = {t.get_text() for t in axes[1].texts}
    assert "1" in annotated and f"{v.tf_idf[VOCAB.index('great')]:.2g}" in annotated
    draw_buckets(v, ax=axes[2])
    heights = [p.get_height() for p in axes[2].patches]
    assert len(heights) == 8 and sum(heights) == 4
    red = [p for p in axes[2].patches if p.get_facecolor()[0] > 0.8]
    assert bool(red) == (v.bucket_collisions > 0)


def test_collisions_drawn_red_when_buckets_are_few():
    v = explain_sentence("a b c d e f g h i", VOCAB, num_buckets=2, split="whitespace")
    fig = new_figure((6, 2))
    ax = draw_buckets(v, ax=fig.add_subplot())
    assert v.bucket_collisions == 1.0
    assert all(p.get_facecolor()[0] > 0.8 for p in ax.patches if p.get_height() > 1)


def test_show_sentence_figure_and_table(static_views):
    v = _vectors()
    fig = show_sentence(v)
    assert len(fig.axes) == 3 and "zebra" in fig._suptitle.get_text()
    table = sentence_table(v)
    assert table.count("<tr>") == 5 and "([UNK])" in table and "zebra" in table
    assert explore_text(VOCAB, IDF, "dull movie").axes
    with pytest.raises(ViewError):
        show_sentence("not vectors")


def test_widget_follows_text_and_reports_errors(interactive_views):
    explorer = TextExplorer(VOCAB, IDF, sentence="great movie")
    first = explorer.view.image.value
    assert first[:4] == b"\x89PNG" and explorer.view.last_status[1] == "info"
    explorer.text.value = "terrible zebra"
    assert explorer.vectors.tokens == ["terrible", "zebra"]
    assert explorer.view.image.value != first
    assert explorer.view.last_status[1] == "note" and "zebra" in explorer.view.last_status[0]
    assert "zebra" in explorer.table.value
    explorer.text.value = "?!"
    assert explorer.view.last_status[1] == "error"
    assert explorer.vectors.tokens == ["terrible", "zebra"]  # the last good one stays
    with pytest.raises(TextError):
        explorer.update("   ")
    assert isinstance(explore_text(VOCAB, IDF), TextExplorer)
    np.testing.assert_array_equal(explorer.vectors.counts.sum(), 2)
