"""Draw convnet feature maps, first-layer filters and filter patterns.

Each layer's channels are tiled into one mosaic image, so a whole layer fits
in one matplotlib Axes and composes with the caller's subplots. The compute
lives in :mod:`course_lib.models.feature_maps`.

Example:
    >>> from course_lib.views.feature_maps import show_feature_maps
    >>> view = show_feature_maps(model, x_test[0] / 255.0)  # doctest: +SKIP

In a Jupyter kernel this is a widget with a layer selector; under nbval or
``COURSE_VIEWS=static`` it is a plain matplotlib figure with every layer.
"""

from __future__ import annotations

import math
from typing import Any

from course_lib.errors import ViewError
from course_lib.models.feature_maps import FeatureMap, feature_maps
from course_lib.views.display import (
    ImageView,
    Presentable,
    axes_or_new,
    new_figure,
    present,
    require,
    require_figure,
    require_numbers,
)

__all__ = [
    "FeatureMapViewer",
    "draw_feature_map",
    "draw_feature_maps",
    "draw_filter_patterns",
    "draw_filters",
    "show_feature_maps",
    "tile_channels",
]


def _check_maps(maps: Any, what: str) -> list[FeatureMap]:
    hint = "call feature_maps(model, image) on a convnet and pass its list."
    if isinstance(maps, FeatureMap):
        raise ViewError(f"Expected maps of {what} to be a list of FeatureMap. Received: one "
                        f"FeatureMap ({maps.layer_name!r}).", hint=f"pass [maps] or {hint}")
    if not isinstance(maps, list | tuple) or not all(isinstance(m, FeatureMap) for m in maps):
        raise ViewError(f"Expected maps of {what} to be a list of FeatureMap. Received: "
                        f"maps={maps!r:.60} (a {type(maps).__name__}).", hint=hint)
    if not maps:
        raise ViewError(f"Expected at least one feature map for {what}. Received: maps=[].",
                        hint=hint)
    return list(maps)


def tile_channels(stack: Any, max_channels: int = 16, columns: int | None = None,
                  normalize: bool = True) -> Any:
    """Tile ``(h, w, c)`` channels into one 2-D mosaic with 1-pixel NaN gutters.

    Args:
        stack: ``(h, w, channels)`` array.
        max_channels: keep the first this many channels.
        columns: tiles per row (default: about square).
        normalize: scale each channel to 0..1 on its own (feature maps); keep raw
            values otherwise (filters, drawn with a diverging colour map).

    Returns:
        ``(rows*(h+1)-1, columns*(w+1)-1)`` float array; gutters are NaN (drawn blank).

    Raises:
        ViewError: ``stack`` is not 3-D or ``max_channels`` < 1.

    Example:
        >>> tile_channels(np.ones((4, 4, 6)), columns=3).shape  # doctest: +SKIP
        (9, 14)
    """
    import numpy as np

    stack = require_numbers(stack, name="stack", what="tile_channels",
                            hint="pass FeatureMap.activations, or one filter bank "
                                 "kernel[:, :, 0, :].")
    if stack.ndim != 3 or max_channels < 1:
        raise ViewError(
            f"Expected a (height, width, channels) array and max_channels >= 1. "
            f"Received: shape {stack.shape}, max_channels={max_channels}.",
            hint="pass FeatureMap.activations, or one filter bank kernel[:, :, 0, :].",
        )
    h, w, c = stack.shape
    c = min(c, max_channels)
    columns = columns or math.ceil(math.sqrt(c))
    rows = math.ceil(c / columns)
    mosaic = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan)
    for k in range(c):
        tile = stack[:, :, k]
        if normalize:
            span = tile.max() - tile.min()
            tile = (tile - tile.min()) / span if span > 0 else np.zeros_like(tile)
        r, col = divmod(k, columns)
        mosaic[r * (h + 1): r * (h + 1) + h, col * (w + 1): col * (w + 1) + w] = tile
    return mosaic


def draw_feature_map(feature_map: FeatureMap, ax: Any = None, max_channels: int = 16,
                     cmap: str = "viridis") -> Any:
    """Draw one layer's channels as a mosaic (each channel scaled to its own range).

    Args:
        feature_map: one item of :func:`course_lib.models.feature_maps.feature_maps`.
        ax: matplotlib Axes to draw into; a new figure when ``None``.
        max_channels: how many channels to show.
        cmap: colour map (bright = strong activation).

    Returns:
        The Axes, titled ``"name (Type): h×w×c"``.

    Example:
        >>> draw_feature_map(maps[0], ax=ax)  # doctest: +SKIP
    """
    require(feature_map, FeatureMap, name="feature_map", what="draw_feature_map",
            hint="pass one item of feature_maps(model, image), e.g. maps[0].")
    ax, new = axes_or_new(ax, (4.0, 4.0), what="draw_feature_map")
    mosaic = tile_channels(feature_map.activations, max_channels)
    ax.imshow(mosaic, cmap=cmap, interpolation="nearest")
    h, w, c = feature_map.activations.shape
    shown = f", first {max_channels}" if c > max_channels else ""
    ax.set_title(f"{feature_map.layer_name} ({feature_map.layer_type}): {h}×{w}×{c}{shown}",
                 fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return present(ax) if new else ax


def draw_feature_maps(maps: list[FeatureMap], image: Any = None, fig: Any = None,
                      max_channels: int = 16) -> Any:
    """All layers side by side (and the input image first, when given).

    Args:
        maps: from :func:`course_lib.models.feature_maps.feature_maps`.
        image: the input image, shown first for reference.
        fig: a matplotlib Figure to fill; a new one when ``None``.
        max_channels: channels per layer.

    Returns:
        The Figure.

    Raises:
        ViewError: ``maps`` is empty.

    Example:
        >>> draw_feature_maps(maps, image=x_test[0])  # doctest: +SKIP
    """
    import numpy as np

    _check_maps(maps, "draw_feature_maps")
    if fig is not None:
        require_figure(fig, what="draw_feature_maps")
    panels = len(maps) + (image is not None)
    new = fig is None
    if new:
        fig = new_figure((3.2 * panels, 3.6), layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    if image is not None:
        img = np.asarray(image, dtype="float64")
        img = img[..., 0] if img.ndim == 3 and img.shape[-1] == 1 else img
        axes[0].imshow(img, cmap="gray" if img.ndim == 2 else None)
        axes[0].set_title("input", fontsize=9)
        axes[0].set_xticks([])
        axes[0].set_yticks([])
    for ax, fm in zip(axes[panels - len(maps):], maps, strict=True):
        draw_feature_map(fm, ax=ax, max_channels=max_channels)
    return present(fig) if new else fig


def draw_filters(kernel: Any, ax: Any = None, max_filters: int = 32) -> Any:
    """First-layer filters as small tiles; red positive, blue negative weights.

    Three-channel (RGB) kernels are shown in colour; otherwise the first input
    channel is shown with a diverging colour map centred on zero.

    Args:
        kernel: ``(kh, kw, in_channels, filters)``, e.g. from
            :func:`course_lib.models.feature_maps.first_layer_filters`.
        ax: Axes to draw into; new figure when ``None``.
        max_filters: how many filters to show.

    Returns:
        The Axes.

    Raises:
        ViewError: ``kernel`` is not 4-D.

    Example:
        >>> draw_filters(first_layer_filters(model))  # doctest: +SKIP
    """
    import matplotlib
    import numpy as np

    kernel = require_numbers(kernel, name="kernel", what="draw_filters",
                             hint="use first_layer_filters(model) or layer.kernel of a Conv2D.")
    if kernel.ndim != 4:
        raise ViewError(
            f"Expected a Conv2D kernel shaped (kh, kw, in, filters). Received: shape "
            f"{kernel.shape}.",
            hint="use first_layer_filters(model) or layer.kernel of a Conv2D layer.",
        )
    ax, new = axes_or_new(ax, (4.0, 4.0), what="draw_filters")
    n = min(kernel.shape[-1], max_filters)
    if kernel.shape[2] == 3:
        kh, kw = kernel.shape[:2]
        columns = math.ceil(math.sqrt(n))
        rows = math.ceil(n / columns)
        mosaic = np.ones((rows * (kh + 1) - 1, columns * (kw + 1) - 1, 3))
        for k in range(n):
            f = kernel[:, :, :, k]
            f = (f - f.min()) / (f.max() - f.min() + 1e-12)
            r, c = divmod(k, columns)
            mosaic[r * (kh + 1): r * (kh + 1) + kh, c * (kw + 1): c * (kw + 1) + kw] = f
        ax.imshow(mosaic, interpolation="nearest")
    else:
        mosaic = tile_channels(kernel[:, :, 0, :], max_channels=n, normalize=False)
        limit = float(np.nanmax(np.abs(mosaic))) or 1.0
        # Dark gutters, so near-zero (white) weights are not mistaken for gaps.
        cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="#555555")
        image = ax.imshow(mosaic, cmap=cmap, vmin=-limit, vmax=limit,
                          interpolation="nearest")
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="weight")
    kh, kw, cin, cout = kernel.shape
    ax.set_title(f"first-layer filters: {cout} × ({kh}×{kw}×{cin})", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return present(ax) if new else ax


def draw_filter_patterns(patterns: list[Any], ax: Any = None,
                         labels: list[str] | None = None) -> Any:
    """Gradient-ascent patterns side by side (one tile per filter).

    Args:
        patterns: ``(h, w, c)`` arrays from
            :func:`course_lib.models.feature_maps.filter_pattern`.
        ax: Axes to draw into; new figure when ``None``.
        labels: a caption per pattern (e.g. ``"filter 3"``).

    Returns:
        The Axes.

    Raises:
        ViewError: no patterns, or labels of the wrong length.

    Example:
        >>> pats = [filter_pattern(model, "conv2d", i) for i in range(4)]  # doctest: +SKIP
        >>> draw_filter_patterns(pats)                                     # doctest: +SKIP
    """
    import numpy as np

    if isinstance(patterns, str) or not isinstance(patterns, list | tuple):
        raise ViewError(
            f"Expected patterns of draw_filter_patterns to be a list of (h, w, c) arrays. "
            f"Received: patterns={patterns!r:.60} (a {type(patterns).__name__}).",
            hint="pass [filter_pattern(model, layer, i) for i in range(4)].",
        )
    arrays = [require_numbers(p, name=f"patterns[{i}]", what="draw_filter_patterns", ndim=3,
                              shape="an (h, w, channels) image",
                              hint="each pattern is one filter_pattern(model, layer, i).")
              for i, p in enumerate(patterns)]
    if not patterns or (labels is not None and len(labels) != len(patterns)):
        raise ViewError(
            f"Expected one or more patterns and one label each. Received: "
            f"{len(patterns)} patterns, {None if labels is None else len(labels)} labels.",
            hint="pass labels=None or a list as long as patterns.",
        )
    ax, new = axes_or_new(ax, (2.0 * len(patterns), 2.4), what="draw_filter_patterns")
    if len({a.shape for a in arrays}) > 1:
        raise ViewError(
            f"Expected patterns of one shape. Received: shapes {[a.shape for a in arrays]}.",
            hint="make every pattern with the same filter_pattern(..., size=...).",
        )
    tiles = [a[..., 0] if a.shape[-1] == 1 else a for a in arrays]
    h, w = tiles[0].shape[:2]
    gap = np.ones((h, 2) + tiles[0].shape[2:])
    row = np.concatenate([t for tile in tiles for t in (tile, gap)][:-1], axis=1)
    ax.imshow(row, cmap="gray" if row.ndim == 2 else None, vmin=0, vmax=1)
    for i, label in enumerate(labels or [f"filter {i}" for i in range(len(tiles))]):
        ax.text(i * (w + 2) + w / 2, h + 1, label, ha="center", va="top", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("inputs that excite each filter most", fontsize=9)
    return present(ax) if new else ax


class FeatureMapViewer(Presentable):
    """Widget: pick a layer, see its feature maps next to the input image.

    The picture is an :class:`~course_lib.views.display.ImageView` updated in
    place (no flicker, works in Voila); errors show in its status line. Drive it
    in tests by setting ``viewer.layer.value``.

    Args:
        maps: from :func:`course_lib.models.feature_maps.feature_maps`.
        image: the input image.
        max_channels: channels per layer.

    Example:
        >>> viewer = FeatureMapViewer(maps, image)   # doctest: +SKIP
        >>> viewer.layer.value = maps[-1].layer_name  # doctest: +SKIP
    """

    def __init__(self, maps: list[FeatureMap], image: Any, max_channels: int = 32) -> None:
        import ipywidgets as widgets

        self.maps = {m.layer_name: m for m in _check_maps(maps, "FeatureMapViewer")}
        self.input_image = image
        self.max_channels = max_channels
        self.layer = widgets.Dropdown(options=list(self.maps), description="layer")
        self.picture = ImageView()
        self.image, self.status = self.picture.image, self.picture.status
        self.layer.observe(self.picture.guard(self._redraw), names="value")
        self.widget = widgets.VBox([self.layer, self.picture.widget])
        self._redraw()

    def _redraw(self, _change: Any = None) -> None:
        fm = self.maps[self.layer.value]
        fig = new_figure((8, 4), dpi=90, layout="constrained")
        draw_feature_maps([fm], image=self.input_image, fig=fig, max_channels=self.max_channels)
        self.picture.show_figure(fig)


def show_feature_maps(model: Any, image: Any, layers: list[str] | None = None,
                      max_channels: int = 16) -> Any:
    """Feature maps of a convnet for one image: a widget, or a figure when static.

    Args:
        model: a built convnet.
        image: one input image scaled like the training data.
        layers: layer names to show (default: every conv/pool layer).
        max_channels: channels per layer.

    Returns:
        A :class:`FeatureMapViewer` when ``course_lib.config.view_mode()`` is
        ``"interactive"``, else a matplotlib Figure with every layer; either is
        shown once.

    Raises:
        ModelError: not a convnet. ViewError: the image does not fit the model.

    Example:
        >>> show_feature_maps(model, x_test[0] / 255.0)  # doctest: +SKIP
    """
    from course_lib.config import view_mode

    maps = feature_maps(model, image, layers)
    if view_mode() == "interactive":
        return present(FeatureMapViewer(maps, image, max_channels))
    return draw_feature_maps(maps, image=image, max_channels=max_channels)
