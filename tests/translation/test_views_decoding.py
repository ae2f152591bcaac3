"""The per-step probability view and the translation widget, headless."""

from __future__ import annotations

import pytest

from course_lib.errors import ViewError
from course_lib.translation.decoding import beam_search
from course_lib.views.decoding import TranslationSteps, draw_decoding, show_decoding
from tests.translation.conftest import VOCAB

pytestmark = pytest.mark.slow


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_decoding_shows_candidates_and_highlights_the_chosen_path(table_model):
    result = beam_search(table_model, [4], VOCAB, beam_width=2, top_k=3)
    ax = draw_decoding(result)
    texts = _texts(ax)
    assert "a" in texts and "b" in texts and "60%" in texts and "40%" in texts
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert bold == ["b", "[end]"], bold           # the beam's path, not greedy's "a"
    assert len(ax.lines) == 1                      # the line joining the chosen words
    assert "p(translation) = 0.36" in ax.get_title(loc="left")


def test_show_decoding_returns_a_figure_and_rejects_other_input(table_model):
    fig = show_decoding(beam_search(table_model, [4], VOCAB, beam_width=2))
    assert fig.axes and fig.get_figwidth() >= 4
    with pytest.raises(ViewError, match="Decoding"):
        show_decoding({"tokens": ["a"]})


def test_widget_reports_errors_on_the_status_line(tiny_transformer):
    widget = TranslationSteps(tiny_transformer, "hello world", beam_width=2)
    first = widget.view.image.value
    assert first and widget.view.last_status[1] in ("info", "note")  # untrained: may hit the limit
    widget.sentence.value = ""
    assert widget.view.last_status[1] == "error" and "at least one word" in \
        widget.view.last_status[0]
    assert widget.view.image.value == first, "the last good picture stays"
    widget.sentence.value = "zebra"
    assert "zebra" in widget.view.last_status[0]
    widget.sentence.value = "the cat sleeps"
    assert widget.view.last_status[1] in ("info", "note")
    assert widget.decoding.source_tokens == ("the", "cat", "sleeps")


def test_widget_with_cross_attention(tiny_transformer):
    widget = TranslationSteps(tiny_transformer, "hello world", beam_width=1, attention=True)
    fig = widget.figure()
    assert len(fig.axes) >= 2
