"""The callback timeline view, headless."""

from __future__ import annotations

import pytest

from course_lib.errors import ViewError
from course_lib.training.callback_log import CallbackEvent
from course_lib.training.history import TrainingHistory
from course_lib.views.callbacks import EVENT_STYLE, plot_learning_rate, plot_timeline


class FakeTimeline:
    """The data a CallbackTimeline holds, without training."""

    def __init__(self, epochs: int = 4) -> None:
        self.history = TrainingHistory({"loss": [1.0, 0.6, 0.5, 0.55][:epochs],
                                        "val_loss": [1.1, 0.8, 0.7, 0.75][:epochs]})
        self.learning_rates = [1e-2, 1e-2, 5e-3, 5e-3][:epochs]
        self.events = [CallbackEvent(2, "epoch_end", "ReduceLROnPlateau", "lr", "lr", 5e-3),
                       CallbackEvent(3, "epoch_end", "ModelCheckpoint", "checkpoint", "saved"),
                       CallbackEvent(4, "epoch_end", "EarlyStopping", "stop", "stopped")]

    def events_of(self, kind=None, callback=None):
        return [e for e in self.events if kind in (None, e.kind)]


def test_events_become_vertical_lines_with_one_legend_entry_per_kind():
    fig = plot_timeline(FakeTimeline())
    loss_ax, lr_ax = fig.axes
    vlines = {line.get_xdata()[0]: line.get_color() for line in loss_ax.get_lines()
              if len(set(line.get_xdata())) == 1 and len(line.get_xdata()) == 2}
    assert vlines == {2.0: EVENT_STYLE["lr"]["color"], 3.0: EVENT_STYLE["checkpoint"]["color"],
                      4.0: EVENT_STYLE["stop"]["color"]}
    labels = [text.get_text() for text in loss_ax.get_legend().get_texts()]
    assert "training stopped" in labels and not any("batch" in t for t in labels)
    assert lr_ax.get_yscale() == "log"


def test_learning_rate_panel_and_errors():
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    plot_learning_rate(FakeTimeline(), ax=ax)
    assert list(ax.get_lines()[0].get_ydata()) == [1e-2, 1e-2, 5e-3, 5e-3]
    empty = FakeTimeline()
    empty.history = TrainingHistory()
    with pytest.raises(ViewError, match="0 epochs"):
        plot_timeline(empty)
    with pytest.raises(ViewError, match="CallbackTimeline"):
        plot_timeline({"loss": [1.0]})
    no_lr = FakeTimeline()
    no_lr.learning_rates = [None] * 4
    assert len(plot_timeline(no_lr).axes) == 1
    with pytest.raises(ViewError, match="learning rates"):
        plot_learning_rate(no_lr)
