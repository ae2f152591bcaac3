"""Text vectorization explorer: one sentence → tokens, indices, one-hot, bag of words, buckets.

Drawing only; the numbers come from :func:`course_lib.text.explain_sentence`.
:func:`draw_one_hot`, :func:`draw_bag_of_words` and :func:`draw_buckets` each
draw one panel (into a caller's ``ax=`` if given); :func:`show_sentence` puts
the three in one figure; :func:`sentence_table` is the per-token HTML table;
:class:`TextExplorer` is the widget: type a sentence, every panel follows, and
problems (an empty sentence, only unknown words) go to its status line.

Example:
    >>> from course_lib.text import build_vocabulary, explain_sentence, idf_weights
    >>> vocab = build_vocabulary(texts, mask=False)                   # doctest: +SKIP
    >>> v = explain_sentence("a great movie", vocab, idf_weights(texts, vocab))  # doctest: +SKIP
    >>> show_sentence(v)                                               # doctest: +SKIP
    >>> explore_text(vocab, idf_weights(texts, vocab))                 # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.text.explorer import SentenceVectors, explain_sentence
from course_lib.views.display import Presentable, axes_or_new, new_figure, present

__all__ = [
    "TextExplorer",
    "draw_bag_of_words",
    "draw_buckets",
    "draw_one_hot",
    "explore_text",
    "sentence_table",
    "shown_columns",
    "show_sentence",
]

_MAX_COLUMNS = 24


def _check(vectors: Any) -> SentenceVectors:
    if not isinstance(vectors, SentenceVectors):
        raise ViewError(
            f"Expected the result of explain_sentence(...). Received: {type(vectors).__name__}.",
            hint="v = course_lib.text.explain_sentence(sentence, vocabulary, idf).")
    return vectors


def shown_columns(vectors: SentenceVectors, max_columns: int = _MAX_COLUMNS) -> np.ndarray:
    """Vocabulary columns worth drawing: ``[UNK]``, the sentence's entries, then the first others.

    A real vocabulary has thousands of columns that are all zero for one
    sentence; the panels show the non-zero ones and fill up with the most
    frequent entries so the zeros stay visible.
    """
    vectors = _check(vectors)
    used = list(dict.fromkeys([0, *sorted(set(int(i) for i in vectors.indices))]))
    others = [i for i in range(len(vectors.vocabulary)) if i not in set(used)]
    return np.array((used + others)[:max(max_columns, len(used))], dtype=np.int64)


def _column_labels(vectors: SentenceVectors, columns: np.ndarray) -> list[str]:
    return [f"{i}: {vectors.vocabulary[i][:12]}" for i in columns]


def draw_one_hot(vectors: SentenceVectors, ax: Any = None, max_columns: int = _MAX_COLUMNS) -> Any:
    """One row per token, a single 1 in the column of its index (the one-hot vectors).

    Returns:
        The Axes (the figure presented when this view made it).
    """
    v = _check(vectors)
    columns = shown_columns(v, max_columns)
    ax, made = axes_or_new(ax, (max(6, 0.35 * len(columns)), 1.2 + 0.3 * len(v.tokens)),
                           what="draw_one_hot", layout="constrained")
    ax.imshow(v.one_hot[:, columns], cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_yticks(range(len(v.tokens)), [f"{t} → {i}" for t, i in zip(v.tokens, v.indices,
                                                                         strict=True)], fontsize=8)
    ax.set_xticks(range(len(columns)), _column_labels(v, columns), rotation=60, ha="right",
                  fontsize=7)
    ax.set_title(f"one-hot rows: {len(v.tokens)} tokens × {len(v.vocabulary):,} entries "
                 f"({len(columns)} shown)", fontsize=9)
    if made:
        present(ax.figure)
    return ax


def draw_bag_of_words(vectors: SentenceVectors, ax: Any = None,
                      max_columns: int = _MAX_COLUMNS) -> Any:
    """Multi-hot, count and TF-IDF vectors of the sentence as three annotated rows."""
    v = _check(vectors)
    columns = shown_columns(v, max_columns)
    ax, made = axes_or_new(ax, (max(6, 0.35 * len(columns)), 2.2), what="draw_bag_of_words",
                           layout="constrained")
    rows = np.stack([v.multi_hot[columns], v.counts[columns], v.tf_idf[columns]])
    scaled = rows / np.maximum(rows.max(axis=1, keepdims=True), 1e-12)
    ax.imshow(scaled, cmap="Oranges", vmin=0, vmax=1, aspect="auto")
    for (r, c), value in np.ndenumerate(rows):
        if value:
            ax.text(c, r, f"{value:.2g}", ha="center", va="center", fontsize=7,
                    color="white" if scaled[r, c] > 0.6 else "black")
    ax.set_yticks(range(3), ["multi-hot", "count", "TF-IDF"], fontsize=8)
    ax.set_xticks(range(len(columns)), _column_labels(v, columns), rotation=60, ha="right",
                  fontsize=7)
    ax.set_title("bag of words: one vector per sentence (word order is lost)", fontsize=9)
    if made:
        present(ax.figure)
    return ax


def draw_buckets(vectors: SentenceVectors, ax: Any = None) -> Any:
    """Tokens per hash bucket; buckets shared by different tokens (collisions) in red."""
    v = _check(vectors)
    ax, made = axes_or_new(ax, (max(6, 0.3 * v.num_buckets), 2.0), what="draw_buckets",
                           layout="constrained")
    members: dict[int, list[str]] = {}
    for token, bucket in zip(v.tokens, v.buckets, strict=True):
        members.setdefault(int(bucket), [])
        if token not in members[int(bucket)]:
            members[int(bucket)].append(token)
    heights = np.zeros(v.num_buckets)
    colors = ["#4c72b0"] * v.num_buckets
    for bucket, tokens in members.items():
        heights[bucket] = len(tokens)
        if len(tokens) > 1:
            colors[bucket] = "#d62728"
        ax.text(bucket, len(tokens) + 0.05, "\n".join(t[:10] for t in tokens), ha="center",
                va="bottom", fontsize=6)
    ax.bar(range(v.num_buckets), heights, color=colors)
    ax.set_xlim(-0.6, v.num_buckets - 0.4)
    ax.set_ylim(0, max(heights.max(), 1) + 1.5)
    ax.set_xlabel("bucket", fontsize=8)
    ax.set_ylabel("distinct tokens", fontsize=8)
    ax.set_title(f"hashing trick: {v.num_buckets} buckets, {v.bucket_collisions:.0%} of the "
                 "distinct tokens share a bucket (red)", fontsize=9)
    if made:
        present(ax.figure)
    return ax


def _sentence_figure(vectors: SentenceVectors, max_columns: int = _MAX_COLUMNS) -> Any:
    v = _check(vectors)
    columns = shown_columns(v, max_columns)
    fig = new_figure((max(8.0, 0.36 * len(columns)), 3.6 + 0.3 * len(v.tokens)),
                     layout="constrained")
    grid = fig.add_gridspec(3, 1, height_ratios=[1.0 + 0.3 * len(v.tokens), 1.6, 1.6])
    draw_one_hot(v, fig.add_subplot(grid[0]), max_columns)
    draw_bag_of_words(v, fig.add_subplot(grid[1]), max_columns)
    draw_buckets(v, fig.add_subplot(grid[2]))
    fig.suptitle(f"“{v.sentence[:70]}”", fontsize=10)
    return fig


def show_sentence(vectors: SentenceVectors, max_columns: int = _MAX_COLUMNS) -> Any:
    """The three panels of one sentence in one figure, shown once.

    Args:
        vectors: from :func:`course_lib.text.explain_sentence`.
        max_columns: vocabulary columns drawn (the sentence's own entries always are).

    Returns:
        The matplotlib Figure.

    Raises:
        ViewError: ``vectors`` is not a :class:`~course_lib.text.SentenceVectors`.
    """
    return present(_sentence_figure(vectors, max_columns))


def sentence_table(vectors: SentenceVectors) -> str:
    """HTML table: token, vocabulary index (``[UNK]`` marked), bucket, count, TF-IDF."""
    v = _check(vectors)
    unknown = v.vocabulary.index("[UNK]")
    rows = "".join(
        f"<tr><td>{html.escape(r['token'])}</td><td>{r['index']}"
        f"{' ([UNK])' if r['index'] == unknown else ''}</td><td>{r['bucket']}</td>"
        f"<td>{r['count']:g}</td><td>{r['tf_idf']:.3f}</td></tr>" for r in v.table())
    return ("<table><thead><tr><th>token</th><th>index</th><th>bucket</th><th>count</th>"
            f"<th>TF-IDF</th></tr></thead><tbody>{rows}</tbody></table>")


class TextExplorer(Presentable):
    """Type a sentence; see its tokens, indices, one-hot rows, bag-of-words vectors, buckets.

    Args:
        vocabulary: bag-of-words vocabulary (``[UNK]`` first) or a layer's vocabulary.
        idf: idf weights aligned with it (``None``: TF-IDF = counts).
        sentence: the sentence shown first.
        num_buckets: hash buckets.
        **options: tokenizer options (``standardize_mode``, ``split``, ``ngrams``).

    Attributes:
        text: the ``ipywidgets.Text`` box (set ``.value`` to drive it).
        view: the :class:`~course_lib.views.display.ImageView` (picture + status line).
        vectors: the :class:`~course_lib.text.SentenceVectors` shown (the last good one).
    """

    def __init__(self, vocabulary: Sequence[str], idf: Any | None = None,
                 sentence: str = "the movie was great", num_buckets: int = 16,
                 max_columns: int = _MAX_COLUMNS, **options: Any) -> None:
        import ipywidgets as widgets

        from course_lib.views.display import ImageView

        self.vectors = explain_sentence(sentence, vocabulary, idf, num_buckets, **options)
        self.vocabulary, self.idf, self.options = list(vocabulary), idf, options
        self.num_buckets, self.max_columns = num_buckets, max_columns
        self.view = ImageView()
        self.table = widgets.HTML()
        self.text = widgets.Text(value=sentence, description="sentence",
                                 continuous_update=False, layout=widgets.Layout(width="600px"))
        self.text.observe(self.view.guard(lambda change: self.update(change["new"])), "value")
        self.widget = widgets.VBox([self.text, self.view.widget, self.table])
        self._render()

    def update(self, sentence: str) -> SentenceVectors:
        """Show ``sentence``; errors go to the status line and keep the last picture.

        Raises:
            TextError: the sentence has no tokens (caught by the widget's guard).
        """
        self.vectors = explain_sentence(sentence, self.vocabulary, self.idf, self.num_buckets,
                                        **self.options)
        self._render()
        return self.vectors

    def _render(self) -> None:
        v = self.vectors
        self.view.show_figure(_sentence_figure(v, self.max_columns))
        self.table.value = sentence_table(v)
        if v.unknown and len(v.unknown) == len(v.tokens):
            self.view.say(f"every token is unknown ({', '.join(v.unknown[:5])}): the vectors "
                          "only count [UNK]", "note")
        elif v.unknown:
            self.view.say(f"{len(v.tokens)} tokens; not in the vocabulary: "
                          f"{', '.join(v.unknown[:8])} (→ [UNK])", "note")
        else:
            self.view.say(f"{len(v.tokens)} tokens, all in the vocabulary of "
                          f"{len(v.vocabulary):,} entries", "info")


def explore_text(vocabulary: Sequence[str], idf: Any | None = None,
                 sentence: str = "the movie was great", num_buckets: int = 16,
                 **options: Any) -> Any:
    """The explorer widget in a Jupyter kernel; the static figure otherwise (nbval, export).

    Returns:
        A :class:`TextExplorer` (interactive) or the Figure of :func:`show_sentence`.

    Raises:
        TextError: the first sentence has no tokens.
    """
    from course_lib.config import view_mode

    if view_mode() == "interactive":
        return present(TextExplorer(vocabulary, idf, sentence, num_buckets, **options))
    vectors = explain_sentence(sentence, vocabulary, idf, num_buckets, **options)
    return show_sentence(vectors)

