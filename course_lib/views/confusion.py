"""Draw a confusion matrix and list the examples behind any of its cells.

The compute lives in :mod:`course_lib.models.classification`; this module only draws.
In a Jupyter kernel :func:`show_confusion` is a widget: pick a cell (true class,
predicted class) and the misclassified examples of that cell are listed under the
matrix. Under nbval / ``COURSE_VIEWS=static`` it shows the figure and a table of the
examples of the largest confusions.

Example:
    >>> cm = confusion_matrix(y_val, probs.argmax(1), class_names=authors)  # doctest: +SKIP
    >>> show_confusion(cm, texts=val_texts, probs=probs)                    # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np

from course_lib.errors import ViewError
from course_lib.models.classification import ConfusionMatrix
from course_lib.views.display import ImageView, Presentable, axes_or_new, present

__all__ = ["ConfusionExplorer", "cell_examples", "draw_confusion", "examples_html",
           "show_confusion"]

_NORMALIZE = (None, "true", "pred", "all")


def _check(cm: Any) -> ConfusionMatrix:
    if not isinstance(cm, ConfusionMatrix):
        raise ViewError(
            f"Expected a ConfusionMatrix. Received: {type(cm).__name__}.",
            hint="build it with course_lib.models.classification.confusion_matrix(y, y_pred).",
        )
    return cm


def draw_confusion(cm: ConfusionMatrix, ax: Any = None, normalize: str | None = "true",
                   cmap: str = "Blues", highlight: tuple[int, int] | None = None,
                   title: str | None = None) -> Any:
    """The matrix as a heatmap: true classes in rows, predictions in columns.

    Each cell shows its count and, when normalized, its rate; the colour is the rate
    (``normalize="true"``: share of the true class, so the diagonal is the recall) or
    the count (``normalize=None``).

    Args:
        cm: the confusion matrix.
        ax: matplotlib Axes to draw into (nothing shown); a new figure when ``None``.
        normalize: ``"true"``, ``"pred"``, ``"all"`` or ``None`` (counts).
        cmap: colour map.
        highlight: ``(true, pred)`` cell to outline.
        title: default says the accuracy.

    Returns:
        The new Figure (shown once), or the caller's Axes.

    Raises:
        ViewError: not a ConfusionMatrix, or unknown ``normalize``.
    """
    cm = _check(cm)
    if normalize not in _NORMALIZE:
        raise ViewError(f"Expected normalize in {_NORMALIZE}. Received: normalize={normalize!r}.",
                        hint="'true' shows the share of each true class (recall on the diagonal).")
    k = cm.n_classes
    size = 1.6 + 0.55 * k
    ax, new = axes_or_new(ax, (size + 1.2, size), what="draw_confusion", layout="constrained")
    values = cm.counts.astype(float) if normalize is None else cm.normalized(normalize)
    top = values.max() if values.size and values.max() > 0 else 1.0
    image = ax.imshow(values, cmap=cmap, vmin=0, vmax=top)
    fontsize = 9 if k <= 10 else 6
    for i in range(k):
        for j in range(k):
            count = int(cm.counts[i, j])
            text = str(count) if normalize is None else f"{count}\n{values[i, j]:.0%}"
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize,
                    color="white" if values[i, j] > 0.6 * top else "black")
    if highlight is not None:
        i, j = highlight
        ax.add_patch(_rectangle(j - 0.5, i - 0.5))
    ax.set_xticks(range(k), cm.class_names, rotation=30 if k > 3 else 0, ha="right" if k > 3
                  else "center")
    ax.set_yticks(range(k), cm.class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    label = {None: "counts", "true": "share of the true class", "pred":
             "share of the predicted class", "all": "share of all samples"}[normalize]
    ax.set_title(title or f"confusion matrix, accuracy {cm.accuracy:.1%} (n={cm.total})",
                 fontsize=10)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label=label)
    return present(ax.figure) if new else ax


def _rectangle(x: float, y: float) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, fill=False, edgecolor="tab:red", linewidth=3)


def cell_examples(cm: ConfusionMatrix, true: int | str, pred: int | str,
                  texts: Sequence[str] | None = None, probs: Any = None,
                  max_examples: int = 10) -> list[dict[str, Any]]:
    """The samples of one cell, most confident first when ``probs`` are given.

    Returns:
        Rows ``{"index", "text", "confidence"}`` (``text``/``confidence`` ``None`` if not given).

    Raises:
        ViewError: ``texts`` or ``probs`` do not have one entry per sample.
    """
    cm = _check(cm)
    n = len(cm.y_true)
    if texts is not None and len(texts) != n:
        raise ViewError(f"Expected one text per sample ({n}). Received: {len(texts)} texts.",
                        hint="pass the texts the predictions were made on, in the same order.")
    p = None if probs is None else np.asarray(probs, dtype=float)
    if p is not None:
        if p.ndim == 1 or p.shape[-1] == 1:
            p = np.stack([1 - p.reshape(-1), p.reshape(-1)], axis=1)
        if len(p) != n:
            raise ViewError(f"Expected one probability row per sample ({n}). "
                            f"Received: probs.shape={np.shape(probs)}.",
                            hint="pass model.predict(x) for the same x.")
    indices = cm.cell_indices(true, pred)
    j = cm._index(pred, "pred")
    if p is not None:
        indices = indices[np.argsort(-p[indices, j], kind="stable")]
    return [{"index": int(i), "text": None if texts is None else str(texts[i]),
             "confidence": None if p is None else float(p[i, j])}
            for i in indices[:max_examples]]


def _snippet(text: str, limit: int = 160) -> str:
    flat = " / ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def examples_html(cm: ConfusionMatrix, cells: Sequence[tuple[int, int]],
                  texts: Sequence[str] | None = None, probs: Any = None,
                  max_examples: int = 5) -> str:
    """An HTML table of the examples of several cells (the static fallback's table).

    Raises:
        ViewError: ``cm`` is not a ConfusionMatrix, or ``cells`` is not a list of
            ``(true, pred)`` pairs (class indices or names).
    """
    cm = _check(cm)
    if isinstance(cells, str) or not isinstance(cells, Sequence) or not all(
            isinstance(c, Sequence) and not isinstance(c, str) and len(c) == 2 for c in cells):
        raise ViewError(
            f"Expected cells to be a list of (true, pred) pairs. Received: cells={cells!r:.60}.",
            hint="e.g. cells=[(0, 1), (2, 0)], or class names: [('cat', 'dog')].",
        )
    rows = []
    for true_class, pred_class in cells:
        true, pred = cm._index(true_class, "true"), cm._index(pred_class, "pred")
        examples = cell_examples(cm, true, pred, texts, probs, max_examples)
        head = (f"true <b>{html.escape(cm.class_names[true])}</b>, predicted "
                f"<b>{html.escape(cm.class_names[pred])}</b>: {int(cm.counts[true, pred])}")
        rows.append(f'<tr><td colspan="3" style="text-align:left;background:#eef">{head}</td></tr>')
        for ex in examples:
            text = "" if ex["text"] is None else html.escape(_snippet(ex["text"]))
            conf = "" if ex["confidence"] is None else f"{ex['confidence']:.0%}"
            rows.append(f'<tr><td>{ex["index"]}</td><td>{conf}</td>'
                        f'<td style="text-align:left">{text}</td></tr>')
    if not rows:
        return "<p>No misclassified examples.</p>"
    return ('<table style="font-size:12px"><tr><th>sample</th><th>confidence</th>'
            '<th style="text-align:left">text</th></tr>' + "".join(rows) + "</table>")


class ConfusionExplorer(Presentable):
    """Confusion matrix + cell picker + the examples of the picked cell.

    The two dropdowns (``true_picker``, ``pred_picker``) select a cell; the matrix is
    redrawn with that cell outlined and the table lists its examples. Tests drive it
    through :meth:`select` and read :attr:`table` (HTML) and :attr:`view`'s status line.

    Args:
        cm: the confusion matrix.
        texts: one text per sample (optional).
        probs: ``(n, K)`` probabilities (optional; orders the examples by confidence).
        normalize: passed to :func:`draw_confusion`.
        max_examples: rows in the table.
    """

    def __init__(self, cm: ConfusionMatrix, texts: Sequence[str] | None = None,
                 probs: Any = None, normalize: str | None = "true",
                 max_examples: int = 10) -> None:
        import ipywidgets as widgets

        self.cm = _check(cm)
        self.texts, self.probs = texts, probs
        self.normalize, self.max_examples = normalize, max_examples
        cell_examples(cm, 0, 0, texts, probs, 1)  # validate lengths now, not on the first click
        options = [(name, k) for k, name in enumerate(cm.class_names)]
        first = cm.largest_confusions(1)
        start = first[0][:2] if first else (0, 0)
        self.true_picker = widgets.Dropdown(options=options, value=start[0], description="true")
        self.pred_picker = widgets.Dropdown(options=options, value=start[1],
                                            description="predicted")
        self.view = ImageView()
        self.table = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.true_picker, self.pred_picker]),
                                    self.view.widget, self.table])
        self.true_picker.observe(self.view.guard(self._update), names="value")
        self.pred_picker.observe(self.view.guard(self._update), names="value")
        self._update()

    @property
    def cell(self) -> tuple[int, int]:
        return int(self.true_picker.value), int(self.pred_picker.value)

    def select(self, true: int | str, pred: int | str) -> None:
        """Pick a cell by index or class name (as the dropdowns do)."""
        i, j = self.cm._index(true, "true"), self.cm._index(pred, "pred")
        self.true_picker.value, self.pred_picker.value = i, j
        self._update()

    def figure(self) -> Any:
        from course_lib.views.display import new_figure

        k = self.cm.n_classes
        size = 1.6 + 0.55 * k
        fig = new_figure((size + 1.2, size), layout="constrained")
        draw_confusion(self.cm, ax=fig.add_subplot(), normalize=self.normalize,
                       highlight=self.cell)
        return fig

    def _update(self, _change: Any = None) -> None:
        i, j = self.cell
        self.view.show_figure(self.figure())
        examples = cell_examples(self.cm, i, j, self.texts, self.probs, self.max_examples)
        self.table.value = examples_html(self.cm, [(i, j)], self.texts, self.probs,
                                         self.max_examples)
        kind = "correct" if i == j else "misclassified"
        self.view.say(f"{self.cm.class_names[i]} → {self.cm.class_names[j]}: "
                      f"{int(self.cm.counts[i, j])} {kind}, {len(examples)} listed")


def show_confusion(cm: ConfusionMatrix, texts: Sequence[str] | None = None, probs: Any = None,
                   normalize: str | None = "true", n_cells: int = 3,
                   max_examples: int = 4) -> Any:
    """The confusion matrix with its mistakes: a widget in Jupyter, figure + table otherwise.

    Args:
        cm: the confusion matrix.
        texts: one text per sample, to list the misclassified ones.
        probs: ``(n, K)`` probabilities (orders examples by confidence).
        normalize: colour by ``"true"`` rates (default), ``"pred"``, ``"all"`` or counts.
        n_cells: static mode: how many of the largest confusions get a table section.
        max_examples: static mode: examples per cell.

    Returns:
        A :class:`ConfusionExplorer` when ``view_mode()`` is ``"interactive"``, else the
        Figure (shown once, followed by the HTML table when ``texts`` are given).
    """
    from course_lib.config import view_mode

    cm = _check(cm)
    if view_mode() == "interactive":
        return present(ConfusionExplorer(cm, texts, probs, normalize))
    fig = draw_confusion(cm, normalize=normalize)
    if texts is not None:
        from IPython.display import HTML

        cells = [(i, j) for i, j, _ in cm.largest_confusions(n_cells)]
        present(HTML(examples_html(cm, cells, texts, probs, max_examples)))
    return fig
