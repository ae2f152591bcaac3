"""Draw attention maps: heatmaps per layer/head, token-to-token lines, a head selector.

Drawing only; the maps come from :mod:`course_lib.models.attention`.

Example:
    >>> from course_lib.models.attention import bert_attention
    >>> from course_lib.views.attention import show_attention
    >>> maps = bert_attention(backbone, tokenizer, "The cat sat on the mat.")  # doctest: +SKIP
    >>> show_attention(maps)  # widget in Jupyter, all heads of layer 0 as a figure otherwise
"""

from __future__ import annotations

from typing import Any

from course_lib.models.attention import AttentionMaps
from course_lib.views.display import (
    ImageView,
    Presentable,
    axes_or_new,
    new_figure,
    present,
    require,
    require_figure,
    subplots,
)

__all__ = [
    "AttentionViewer",
    "draw_attention_heads",
    "draw_attention_heatmap",
    "draw_attention_lines",
    "show_attention",
]


def _check(maps: Any, what: str) -> AttentionMaps:
    return require(maps, AttentionMaps, name="maps", what=what,
                   hint="compute them with bert_attention(...), mha_attention(...) or "
                        "translator_attention(...).encoder/.decoder/.cross.")


def _head_title(maps: AttentionMaps, layer: int, head: int | None) -> str:
    which = "mean of heads" if head is None else f"head {head}"
    return f"{maps.layer_names[layer]} — {which}"


def draw_attention_heatmap(maps: AttentionMaps, layer: int = 0, head: int | None = 0,
                           ax: Any = None, colorbar: bool = True,
                           annotate: bool | None = None) -> Any:
    """One attention map as a heatmap: rows = queries (attending), columns = keys.

    Args:
        maps: from :mod:`course_lib.models.attention`.
        layer: layer index.
        head: head index, or ``None`` for the mean over heads.
        ax: Axes to draw into; a new figure when ``None``.
        colorbar: add a colour bar (weights 0..max).
        annotate: print the weight in each cell (default: when at most 12 tokens).

    Returns:
        The Axes; tick labels are the tokens.

    Raises:
        ViewError: ``maps`` is not AttentionMaps (AttentionError: layer/head out of range).

    Example:
        >>> draw_attention_heatmap(maps, layer=2, head=5)  # doctest: +SKIP
    """
    weights = _check(maps, "draw_attention_heatmap").head(layer, head)
    nq, nk = weights.shape
    side = max(3.5, 0.42 * max(nq, nk) + 1.5)
    ax, new = axes_or_new(ax, (side + (1.0 if colorbar else 0.0), side),
                          what="draw_attention_heatmap")
    image = ax.imshow(weights, cmap="Blues", vmin=0, vmax=max(float(weights.max()), 1e-9),
                      interpolation="nearest")
    ax.set_xticks(range(nk), maps.key_tokens, rotation=90, fontsize=8)
    ax.set_yticks(range(nq), maps.query_tokens, fontsize=8)
    ax.set_xlabel("key (attended to)", fontsize=9)
    ax.set_ylabel("query (attending)", fontsize=9)
    ax.set_title(_head_title(maps, layer, head), fontsize=10)
    if annotate if annotate is not None else max(nq, nk) <= 12:
        for i in range(nq):
            for j in range(nk):
                value = weights[i, j]
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=6.5,
                        color="white" if value > 0.6 * weights.max() else "#222")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.03, label="attention weight")
    return present(ax) if new else ax


def draw_attention_lines(maps: AttentionMaps, layer: int = 0, head: int | None = 0,
                         ax: Any = None, threshold: float | None = None) -> Any:
    """Token-to-token view: queries on the left, keys on the right, line opacity = weight.

    Args:
        maps: from :mod:`course_lib.models.attention`.
        layer: layer index.
        head: head index, or ``None`` for the mean over heads.
        ax: Axes to draw into; a new figure when ``None``.
        threshold: hide lines below this weight; default ``1 / n_keys``, the weight
            of uniform attention, so only above-average links are drawn.

    Returns:
        The Axes.

    Raises:
        ViewError: ``maps`` is not AttentionMaps (AttentionError: layer/head out of range).

    Example:
        >>> draw_attention_lines(maps, layer=4, head=None)  # doctest: +SKIP
    """
    from matplotlib.collections import LineCollection

    weights = _check(maps, "draw_attention_lines").head(layer, head)
    nq, nk = weights.shape
    threshold = 1.0 / nk if threshold is None else threshold
    ax, new = axes_or_new(ax, (4.2, max(3.0, 0.3 * max(nq, nk) + 1.0)),
                          what="draw_attention_lines")
    segments, colors, widths = [], [], []
    for i in range(nq):
        for j in range(nk):
            w = float(weights[i, j])
            if w >= threshold:
                segments.append([(0.0, -i), (1.0, -j)])
                colors.append((0.13, 0.40, 0.67, min(1.0, 0.2 + 0.8 * w)))
                widths.append(0.5 + 3.0 * w)
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=widths))
    for i, token in enumerate(maps.query_tokens):
        ax.text(-0.04, -i, token, ha="right", va="center", fontsize=8.5)
    for j, token in enumerate(maps.key_tokens):
        ax.text(1.04, -j, token, ha="left", va="center", fontsize=8.5)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(-max(nq, nk) + 0.4, 0.8)
    ax.text(0.0, 0.6, "query", ha="right", fontsize=8, color="#666")
    ax.text(1.0, 0.6, "key", ha="left", fontsize=8, color="#666")
    ax.set_axis_off()
    ax.set_title(f"{_head_title(maps, layer, head)}\n(lines: weight ≥ {threshold:.2f})",
                 fontsize=10)
    return present(ax) if new else ax


def draw_attention_heads(maps: AttentionMaps, layer: int = 0, fig: Any = None,
                         columns: int = 4) -> Any:
    """Every head of one layer as small heatmaps (the static fallback view).

    Args:
        maps: from :mod:`course_lib.models.attention`.
        layer: layer index.
        fig: a matplotlib Figure to fill; new when ``None``.
        columns: heatmaps per row.

    Returns:
        The Figure.

    Raises:
        ViewError: ``maps`` is not AttentionMaps, or ``fig`` not a Figure (AttentionError:
            layer out of range).

    Example:
        >>> draw_attention_heads(maps, layer=0)  # doctest: +SKIP
    """
    _check(maps, "draw_attention_heads").head(layer, None)  # validates layer
    if fig is not None:
        require_figure(fig, what="draw_attention_heads")
    heads = maps.n_heads
    columns = min(columns, heads)
    rows = -(-heads // columns)
    n = len(maps.query_tokens)
    cell = max(2.4, 0.2 * n + 1.0)
    new = fig is None
    if new:
        fig = new_figure((cell * columns, cell * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for h in range(heads):
        draw_attention_heatmap(maps, layer, h, ax=axes[h], colorbar=False, annotate=False)
        axes[h].set_title(f"head {h}", fontsize=9)
        axes[h].set_xlabel("")
        axes[h].set_ylabel("")
        if h % columns:
            axes[h].set_yticklabels([])
        if h < heads - columns:
            axes[h].set_xticklabels([])
    for extra in axes[heads:]:
        extra.set_visible(False)
    fig.suptitle(f"{maps.layer_names[layer]}: attention of every head "
                 "(rows: query token, columns: key token)", fontsize=10)
    return present(fig) if new else fig


class AttentionViewer(Presentable):
    """Widget: layer slider, head selector (or mean), heatmap / lines / both.

    The picture is an :class:`~course_lib.views.display.ImageView` updated in
    place (no flicker; works in Voila); errors show in its status line. Tests
    drive it through its controls, e.g. ``viewer.head.value = 3``.

    Args:
        maps: from :mod:`course_lib.models.attention`.
        layer: the layer shown first.
        head: the head shown first (``None``: mean over heads).

    Raises:
        ViewError: ``maps`` is not AttentionMaps (AttentionError: layer or head out of range).

    Example:
        >>> viewer = AttentionViewer(maps)  # doctest: +SKIP
        >>> viewer.layer.value = 5          # doctest: +SKIP
    """

    def __init__(self, maps: AttentionMaps, layer: int = 0, head: int | None = 0) -> None:
        import ipywidgets as widgets

        _check(maps, "AttentionViewer").head(layer, head)  # validates both
        self.maps = maps
        self.layer = widgets.IntSlider(value=layer, min=0, max=maps.n_layers - 1,
                                       description="layer", disabled=maps.n_layers == 1)
        self.head = widgets.Dropdown(
            options=[("mean of heads", -1)] + [(f"head {h}", h) for h in range(maps.n_heads)],
            value=-1 if head is None else head, description="head",
        )
        self.style = widgets.ToggleButtons(options=["heatmap", "lines", "both"], value="both",
                                           description="view")
        self.picture = ImageView()
        self.image, self.status = self.picture.image, self.picture.status
        for control in (self.layer, self.head, self.style):
            control.observe(self.picture.guard(self._redraw), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.layer, self.head]), self.style,
                                    self.picture.widget])
        self._redraw()

    @property
    def current(self) -> tuple[int, int | None]:
        """``(layer, head)`` shown now; head ``None`` means the mean over heads."""
        return self.layer.value, None if self.head.value < 0 else self.head.value

    def figure(self) -> Any:
        """A new matplotlib Figure of the current selection."""
        layer, head = self.current
        n = len(self.maps.query_tokens)
        side = max(3.5, 0.3 * n + 1.5)
        if self.style.value == "both":
            fig, (left, right) = subplots(1, 2, figsize=(2 * side + 1.5, side),
                                          layout="constrained",
                                          gridspec_kw={"width_ratios": [1.25, 1]})
            draw_attention_heatmap(self.maps, layer, head, ax=left)
            draw_attention_lines(self.maps, layer, head, ax=right)
            return fig
        fig, ax = subplots(figsize=(side + 1, side), layout="constrained")
        if self.style.value == "heatmap":
            draw_attention_heatmap(self.maps, layer, head, ax=ax)
        else:
            draw_attention_lines(self.maps, layer, head, ax=ax)
        return fig

    def _redraw(self, _change: Any = None) -> None:
        self.picture.show_figure(self.figure())


def show_attention(maps: AttentionMaps, layer: int = 0) -> Any:
    """Interactive viewer in Jupyter; every head of ``layer`` as a figure otherwise.

    Args:
        maps: from :mod:`course_lib.models.attention`.
        layer: the layer shown first (static mode: the only one shown).

    Returns:
        An :class:`AttentionViewer` when ``view_mode()`` is ``"interactive"``,
        else the Figure of :func:`draw_attention_heads`; either is shown once.

    Raises:
        ViewError: ``maps`` is not :class:`AttentionMaps` (AttentionError: layer out of range).

    Example:
        >>> show_attention(bert_attention(backbone, tokenizer, "I love it."))  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    _check(maps, "show_attention")
    if view_mode() == "interactive":
        return present(AttentionViewer(maps, layer=layer))
    return draw_attention_heads(maps, layer)
