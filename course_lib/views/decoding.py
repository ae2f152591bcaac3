"""Draw a decoding: at every output step the top-k candidate words and their probabilities.

Drawing only; the steps come from :mod:`course_lib.translation.decoding`. Each
column is one output step, its candidates stacked most probable first with a
bar as long as the probability; the word the decoder kept is highlighted and
joined to the next step's choice, so the chosen path reads left to right.

Example:
    >>> from course_lib.views.decoding import show_decoding, TranslationSteps
    >>> show_decoding(translator.translate("hello world", beam_width=4))  # doctest: +SKIP
    >>> TranslationSteps(translator)   # a text box: type English, see the steps  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from course_lib.errors import ViewError
from course_lib.translation.decoding import Decoding
from course_lib.views.display import (
    ImageView,
    Presentable,
    axes_or_new,
    new_figure,
    present,
    require,
)

__all__ = ["TranslationSteps", "draw_decoding", "show_decoding", "translation_steps"]

_CHOSEN = "#d95f02"
_BAR = "#9ecae1"
_CELL_W, _CELL_H = 1.45, 0.42  # inches per step column and per candidate row


def _check(decoding: Any) -> Decoding:
    if not isinstance(decoding, Decoding):
        raise ViewError(
            f"Expected a Decoding. Received: {type(decoding).__name__}.",
            hint="make one with greedy_decode(...), beam_search(...) or translator.translate(...).",
        )
    return decoding


def _title(decoding: Decoding) -> str:
    how = "greedy" if decoding.beam_width == 1 else f"beam search (width {decoding.beam_width})"
    source = " ".join(decoding.source_tokens) if decoding.source_tokens else "(source ids)"
    return (f"{source}  →  {decoding.text or '(empty)'}\n{how}, "
            f"p(translation) = {decoding.best.probability:.3g}")


def draw_decoding(decoding: Decoding, ax: Any = None, max_steps: int = 16) -> Any:
    """The per-step probability view as one picture.

    Args:
        decoding: from ``greedy_decode``/``beam_search``/``Translator.translate``.
        ax: Axes to draw into; a new figure when ``None`` (then shown once).
        max_steps: show at most this many steps (a note says how many were cut).

    Returns:
        The Axes.

    Raises:
        ViewError: not a :class:`Decoding`, or ``max_steps`` < 1.

    Example:
        >>> draw_decoding(beam_search(model, src, vocab, beam_width=4))  # doctest: +SKIP
    """
    decoding = _check(decoding)
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ViewError(f"Expected max_steps >= 1. Received: max_steps={max_steps!r}.")
    steps = decoding.steps[:max_steps]
    k = max((len(s.candidates) for s in steps), default=1)
    size = (max(4.0, _CELL_W * len(steps) + 0.6), _CELL_H * (k + 1) + 1.1)
    ax, new = axes_or_new(ax, size, what="draw_decoding", layout="constrained")
    from matplotlib.patches import Rectangle

    path = []
    for col, step in enumerate(steps):
        ax.text(col + 0.45, 0.55, f"step {col + 1}", ha="center", va="bottom", fontsize=8,
                color="#666")
        chosen_row = None
        for row, (word, p) in enumerate(zip(step.candidates, step.probabilities, strict=True)):
            is_chosen = word == step.chosen
            ax.add_patch(Rectangle((col, -row - 0.4), 0.9, 0.8, facecolor="white",
                                   edgecolor=_CHOSEN if is_chosen else "#ccc",
                                   linewidth=2.0 if is_chosen else 0.6))
            ax.add_patch(Rectangle((col, -row - 0.4), 0.9 * p, 0.8,
                                   facecolor=_CHOSEN if is_chosen else _BAR,
                                   alpha=0.35 if is_chosen else 0.8, linewidth=0))
            ax.text(col + 0.05, -row, f"{word}", ha="left", va="center", fontsize=8.5,
                    fontweight="bold" if is_chosen else "normal", clip_on=True)
            ax.text(col + 0.86, -row, f"{100 * p:.0f}%" if p >= 0.005 else "<1%", ha="right",
                    va="center", fontsize=7.5,
                    color="#333")
            if is_chosen:
                chosen_row = row
        if chosen_row is None:  # beam search kept a word outside this step's top-k
            chosen_row = k
            ax.add_patch(Rectangle((col, -k - 0.4), 0.9, 0.8, facecolor="white",
                                   edgecolor=_CHOSEN, linewidth=2.0, linestyle="--"))
            ax.text(col + 0.05, -k, f"{step.chosen} {100 * step.chosen_probability:.1f}%",
                    ha="left", va="center", fontsize=8, fontweight="bold", clip_on=True)
        path.append((col + 0.45, -chosen_row))
    if len(path) > 1:
        xs, ys = zip(*path, strict=True)
        ax.plot(xs, ys, color=_CHOSEN, linewidth=1.5, alpha=0.6, zorder=0)
    ax.set_xlim(-0.1, max(len(steps), 1) - 0.05)
    ax.set_ylim(-k - 0.6, 1.0)
    ax.set_axis_off()
    title = _title(decoding)
    if len(decoding.steps) > len(steps):
        title += f" — first {len(steps)} of {len(decoding.steps)} steps"
    ax.set_title(title, fontsize=9.5, loc="left")
    if new:
        present(ax.figure)
    return ax


def show_decoding(decoding: Decoding, max_steps: int = 16) -> Any:
    """The per-step view as a figure, shown once; returns the Figure.

    Example:
        >>> show_decoding(translator.translate("we are happy", beam_width=4))  # doctest: +SKIP
    """
    decoding = _check(decoding)
    k = max((len(s.candidates) for s in decoding.steps), default=1)
    n = min(len(decoding.steps), max_steps)
    fig = new_figure((max(4.0, _CELL_W * n + 0.6), _CELL_H * (k + 1) + 1.1),
                     layout="constrained")
    draw_decoding(decoding, ax=fig.add_subplot(), max_steps=max_steps)
    return present(fig)


class TranslationSteps(Presentable):
    """Widget: type an English sentence, see the decoder's steps (and its cross-attention).

    Errors (empty sentence, only unknown words, ...) go to the status line; the
    last good picture stays. Tests drive it through ``sentence.value`` and
    ``beam.value``.

    Args:
        translator: a :class:`~course_lib.translation.models.Translator`.
        sentence: shown first.
        beam_width: first beam width.
        top_k: candidates per step.
        attention: also draw the cross-attention (Transformer or LSTM with attention).

    Raises:
        ViewError: ``translator`` is not a Translator, or ``beam_width`` / ``top_k`` is
            not a positive whole number.

    Example:
        >>> TranslationSteps(translator, "hello world")  # doctest: +SKIP
    """

    def __init__(self, translator: Any, sentence: str = "hello world", beam_width: int = 4,
                 top_k: int = 5, attention: bool = False) -> None:
        import ipywidgets as widgets

        _check_settings(translator, sentence, beam_width, top_k, "TranslationSteps")
        self.translator = translator
        self.top_k = top_k
        self.attention = attention
        self.sentence = widgets.Text(value=sentence, description="English",
                                     continuous_update=False,
                                     layout=widgets.Layout(width="420px"))
        # the width asked for is one of the choices (it used to become 4 without a word)
        widths = sorted({1, 2, 4, 8, beam_width})
        self.beam = widgets.Dropdown(options=[("greedy" if w == 1 else f"beam {w}", w)
                                              for w in widths],
                                     value=beam_width, description="search")
        self.view = ImageView()
        self.decoding: Decoding | None = None
        redraw = self.view.guard(self._redraw)
        self.sentence.observe(redraw, names="value")
        self.beam.observe(redraw, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.sentence, self.beam]), self.view.widget])
        redraw()

    def figure(self) -> Any:
        """A new Figure of the current sentence (steps, plus cross-attention if asked)."""
        decoding = self.translator.translate(self.sentence.value, beam_width=self.beam.value,
                                             top_k=self.top_k)
        self.decoding = decoding
        k = max((len(s.candidates) for s in decoding.steps), default=1)
        n = min(len(decoding.steps), 16)
        width = max(4.0, _CELL_W * n + 0.6)
        height = _CELL_H * (k + 1) + 1.1
        if not self.attention:
            fig = new_figure((width, height), layout="constrained")
            draw_decoding(decoding, ax=fig.add_subplot())
            return fig
        from course_lib.translation.attention import crop_maps, translator_attention
        from course_lib.views.attention import draw_attention_heatmap

        maps = translator_attention(self.translator, self.sentence.value,
                                    translation=decoding.tokens).cross
        maps = crop_maps(maps, max_tokens=24)
        side = max(3.0, 0.32 * max(len(maps.query_tokens), len(maps.key_tokens)) + 1.6)
        fig = new_figure((width + side + 1.0, max(height, side)), layout="constrained")
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [width, side + 1.0]})
        draw_decoding(decoding, ax=left)
        draw_attention_heatmap(maps, layer=maps.n_layers - 1, head=None, ax=right)
        right.set_title("cross-attention, last layer, mean of heads\n"
                        "(row: French word being chosen)", fontsize=9)
        return fig

    def _redraw(self, _change: Any = None) -> None:
        fig = self.figure()
        self.view.show_figure(fig)
        decoding = self.decoding
        note = "" if decoding is None or decoding.best.finished else \
            " (cut at the length limit: no [end])"
        self.view.say(f"{len(decoding.steps)} steps; translation: {decoding.text}{note}",
                      "note" if note else "info")


def _check_settings(translator: Any, sentence: Any, beam_width: Any, top_k: Any,
                    what: str) -> None:
    from course_lib.translation.models import Translator

    require(translator, Translator, name="translator", what=what,
            hint="train one with train_translator(...) (course_lib.translation.models).")
    require(sentence, str, name="sentence", what=what, hint='e.g. sentence="I am hungry."')
    for name, value in (("beam_width", beam_width), ("top_k", top_k)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ViewError(
                f"Expected {name} of {what} to be a whole number >= 1. "
                f"Received: {name}={value!r}.",
                hint="e.g. beam_width=4 (1 is greedy search), top_k=5.",
            )


def translation_steps(translator: Any, sentence: str = "hello world", beam_width: int = 4,
                      top_k: int = 5, attention: bool = False) -> Any:
    """The widget in Jupyter (:class:`TranslationSteps`); the static step figure otherwise.

    Returns:
        The shown :class:`TranslationSteps` (interactive) or Figure (static).

    Raises:
        ViewError: see :class:`TranslationSteps`.

    Example:
        >>> translation_steps(translator, "I am hungry.")  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    _check_settings(translator, sentence, beam_width, top_k, "translation_steps")
    if view_mode() == "interactive":
        return present(TranslationSteps(translator, sentence, beam_width, top_k, attention))
    return show_decoding(translator.translate(sentence, beam_width=beam_width, top_k=top_k))
