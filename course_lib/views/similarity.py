"""Draw sentence similarities: a labelled heatmap and a ranked search-result chart.

Drawing only; the numbers come from :mod:`course_lib.bert` (``similarity_matrix``,
``semantic_search``).

Example:
    >>> from course_lib.bert import embed, similarity_matrix
    >>> from course_lib.views.similarity import draw_similarity_matrix
    >>> emb = embed(encoder, sentences)                                   # doctest: +SKIP
    >>> draw_similarity_matrix(similarity_matrix(emb), sentences)         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from course_lib.errors import ViewError
from course_lib.views.display import axes_or_new, present, require, require_numbers

__all__ = ["draw_search_results", "draw_similarity_matrix"]


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def draw_similarity_matrix(matrix: Any, labels: list[str], col_labels: list[str] | None = None,
                           ax: Any = None, annotate: bool | None = None, width: int = 40,
                           title: str = "cosine similarity of sentence embeddings") -> Any:
    """A heatmap of cosine similarities with the sentences as row/column labels.

    Args:
        matrix: ``(n, m)`` similarities (from ``similarity_matrix``).
        labels: ``n`` row sentences.
        col_labels: ``m`` column sentences (default ``labels``).
        ax: Axes to draw into (not presented); a new figure when ``None`` (presented).
        annotate: write each value in its cell (default: when both sides are at most 12).
        width: characters kept of each label.
        title: the Axes title.

    Returns:
        The Axes.

    Raises:
        ViewError: a matrix that is not numbers, or label counts that do not match it.
    """

    values = require_numbers(matrix, name="matrix", what="draw_similarity_matrix",
                             hint="pass similarity_matrix(embeddings) (course_lib.bert).")
    for name, given in (("labels", labels), ("col_labels", col_labels)):
        if (given is None and name == "labels") or (
                given is not None and (isinstance(given, str) or not isinstance(given, Sequence))):
            raise ViewError(
                f"Expected {name} of draw_similarity_matrix to be a list of sentences. "
                f"Received: {name}={given!r:.60} (a {type(given).__name__}).",
                hint="pass the sentences that were embedded, one per row.",
            )
    cols = labels if col_labels is None else col_labels
    if values.ndim != 2 or values.shape != (len(labels), len(cols)):
        raise ViewError(
            f"Expected a matrix shaped ({len(labels)}, {len(cols)}) for the labels given. "
            f"Received: shape {values.shape}.",
            hint="pass one label per row (and col_labels per column).",
        )
    n, m = values.shape
    side = max(4.0, 0.45 * max(n, m) + 3.5)
    ax, new = axes_or_new(ax, (side + 1.5, side * 0.85), what="draw_similarity_matrix",
                          layout="constrained")
    image = ax.imshow(values, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(range(m), [_short(c, width) for c in cols], rotation=60, ha="right",
                  fontsize=8)
    ax.set_yticks(range(n), [_short(r, width) for r in labels], fontsize=8)
    if annotate if annotate is not None else max(n, m) <= 12:
        for i in range(n):
            for j in range(m):
                ax.text(j, i, f"{values[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if abs(values[i, j]) > 0.6 else "#222")
    ax.set_title(title, fontsize=10)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="cosine")
    if new:
        present(ax.figure)
    return ax


def draw_search_results(query: str, hits: list[Any], ax: Any = None, width: int = 70,
                        classes: list[Any] | None = None) -> Any:
    """Horizontal bars: the best hits of a semantic search, best on top, with their scores.

    Args:
        query: the query sentence (shown in the title).
        hits: ``SearchHit`` items from ``semantic_search`` (rank, index, sentence, score).
        ax: Axes to draw into; new figure when ``None``.
        width: characters kept of each sentence.
        classes: optional class per corpus sentence (e.g. labels), written after each hit.

    Returns:
        The Axes.

    Raises:
        ViewError: ``hits`` is not a list of SearchHit, is empty, or ``classes`` is shorter
            than the corpus.
    """
    require(query, str, name="query", what="draw_search_results",
            hint="pass the query sentence that was searched for.")
    hint = "pass semantic_search(query, corpus_embeddings, corpus, k=5) (course_lib.bert)."
    if isinstance(hits, str) or not isinstance(hits, Sequence) or not all(
            hasattr(h, "score") and hasattr(h, "sentence") for h in hits):
        raise ViewError(
            f"Expected hits of draw_search_results to be a list of SearchHit. Received: "
            f"hits={hits!r:.60} (a {type(hits).__name__}).", hint=hint)
    if not hits:
        raise ViewError("Expected at least one search hit. Received: an empty list.",
                        hint="search with k >= 1 over a non-empty corpus.")
    if classes is not None and len(classes) <= max(h.index for h in hits):
        raise ViewError(
            f"Expected one class per corpus sentence. Received: {len(classes)} classes, but a "
            f"hit has index {max(h.index for h in hits)}.",
            hint="pass classes= for the whole corpus that was searched, in its order.")
    ax, new = axes_or_new(ax, (9.0, 0.45 * len(hits) + 1.4), what="draw_search_results",
                          layout="constrained")
    scores = [h.score for h in hits]
    names = []
    for h in hits:
        extra = f"  [{classes[h.index]}]" if classes is not None else ""
        names.append(f"{h.rank + 1}. {_short(h.sentence, width)}{extra}")
    positions = list(range(len(hits)))[::-1]
    ax.barh(positions, scores, color="#4c72b0", height=0.6)
    for y, s in zip(positions, scores, strict=True):
        ax.text(s + 0.01, y, f"{s:.2f}", va="center", fontsize=8)
    ax.set_yticks(positions, names, fontsize=8)
    ax.set_xlim(min(0.0, min(scores)) - 0.02, 1.08)
    ax.set_xlabel("cosine similarity to the query", fontsize=9)
    ax.set_title(f"semantic search: {_short(query, 50)!r}", fontsize=10, loc="left")
    if new:
        present(ax.figure)
    return ax
