"""Draw layer diagrams and neuron views, as inline SVG or matplotlib figures.

Drawing only: the graph and its layout come from :mod:`course_lib.models.diagram`.
Both outputs are static pictures, so they are also the fallback under nbval and
HTML export; in JupyterLab a :class:`ModelDiagram` shows itself as SVG (hover a
box for its full text).

Example:
    >>> import keras
    >>> from course_lib.views.diagram import show_diagram
    >>> inputs = keras.Input((4,), name="x")
    >>> model = keras.Model(inputs, keras.layers.Dense(2, name="out")(inputs))
    >>> diagram = show_diagram(model)   # displays as SVG in a notebook
    >>> "out" in diagram.svg
    True
"""

from __future__ import annotations

import uuid
from html import escape
from pathlib import Path
from typing import Any

from course_lib.errors import ViewError
from course_lib.models.diagram import (
    KINDS,
    CollapsedGraph,
    DenseNetwork,
    Layout,
    ModelGraph,
    collapse_blocks,
    dense_network,
    expand_block,
    layered_layout,
    model_graph,
)
from course_lib.views.display import axes_or_new, new_figure, present, require

__all__ = [
    "KIND_COLORS",
    "TRAINABLE_COLORS",
    "ModelDiagram",
    "NeuronDiagram",
    "diagram_svg",
    "draw_diagram",
    "draw_neurons",
    "neuron_svg",
    "show_diagram",
    "show_neurons",
]

#: Fill colour per layer kind (see :func:`course_lib.models.diagram.layer_kind`).
KIND_COLORS: dict[str, str] = {
    "input": "#e0e0e0",
    "model": "#c9c3e6",
    "block": "#dcd6f2",  # a collapsed run of layers (see collapse_blocks)
    "attention": "#f4a6a6",
    "recurrent": "#d9b3e6",
    "embedding": "#a8dba8",
    "conv": "#fdc68a",
    "pool": "#fde9a0",
    "norm": "#b7e3e4",
    "dropout": "#f2f2f2",
    "merge": "#d9c2a7",
    "dense": "#a9c8ee",
    "activation": "#e8d3f0",
    "reshape": "#efe6d6",
    "other": "#ffffff",
}

#: Fill colour per trainable state (see :attr:`LayerNode.trainable_state`).
TRAINABLE_COLORS: dict[str, str] = {
    "trainable": "#b8e186",
    "frozen": "#9ecae1",
    "partial": "#fee08b",
    "no weights": "#f0f0f0",
}

#: ``collapse="auto"`` collapses models with more layers than this (lesson-sized models stay whole)
AUTO_COLLAPSE_ABOVE = 40

_BOX_W, _BOX_H, _ROW_H, _MARGIN = 200, 56, 92, 24
_HEADER_H, _LEGEND_ROW = 46, 20
_MAX_CHARS = 30


def _colors(color_by: str) -> dict[str, str]:
    if color_by == "kind":
        return KIND_COLORS
    if color_by == "trainable":
        return TRAINABLE_COLORS
    raise ViewError(
        f"Expected color_by to be 'kind' or 'trainable'. Received: color_by={color_by!r}.",
        hint="use color_by='kind' (layer families) or 'trainable' (frozen vs trained).",
    )


def _fill(node: Any, color_by: str) -> str:
    key = node.kind if color_by == "kind" else node.trainable_state
    return _colors(color_by)[key]


def _short(text: str, limit: int = _MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(count: int) -> str:
    """98304 -> '98.3k', 23587712 -> '23.6M' (full counts are in the tooltip and table)."""
    for size, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if count >= size:
            return f"{count / size:.3g}{unit}"
    return str(count)


def _lines(node: Any, layers: int = 0) -> tuple[str, str, str]:
    if layers:
        type_line = f"block of {layers} layers"
    else:
        type_line = node.type + (f"  · shared ×{node.calls}" if node.calls > 1 else "")
    detail = f"{node.output_shape}  ·  {node.params:,} params"
    if len(detail) > _MAX_CHARS + 6:
        detail = f"{node.output_shape}  ·  {_compact(node.params)} p"
    if len(detail) > _MAX_CHARS + 6:  # many outputs: the tooltip has every shape
        detail = f"{_short(node.output_shape, 24)}  ·  {_compact(node.params)} p"
    return _short(node.name), _short(type_line), detail


class ModelDiagram:
    """A model's layer diagram: shows as SVG in notebooks, draws into matplotlib.

    Big models are shown collapsed (see :func:`show_diagram`): each block is one
    box with its parameter total; hovering a box shows its full shapes and counts.
    In the HTML form (JupyterLab, Voila, HTML export) clicking a block in the
    picture opens it into its layers (and a click on the line above the opened
    picture closes it again) -- plain HTML and CSS, no JavaScript, so it works in
    every front end that shows HTML; a table below lists every block's layers.
    :meth:`expand` opens a block in Python. The picture scales to the width of
    the page; :meth:`html` is the whole HTML form.

    Args:
        graph: from :func:`course_lib.models.diagram.model_graph`, or a
            :class:`~course_lib.models.diagram.CollapsedGraph`.
        color_by: ``"kind"`` (layer families) or ``"trainable"`` (trained vs frozen).

    Raises:
        ViewError: ``graph`` is not a graph, or ``color_by`` is not one of the two choices.

    Example:
        >>> diagram = ModelDiagram(model_graph(model))  # doctest: +SKIP
        >>> diagram.save("model.svg")                   # doctest: +SKIP
    """

    def __init__(self, graph: ModelGraph | CollapsedGraph, color_by: str = "kind") -> None:
        require(graph, (ModelGraph, CollapsedGraph), name="graph", what="ModelDiagram",
                hint="pass model_graph(model) or collapse_blocks(model_graph(model)), "
                     "or call show_diagram(model) with the model itself.")
        _colors(color_by)
        self.collapsed = graph if isinstance(graph, CollapsedGraph) else None
        self.graph = graph.graph if isinstance(graph, CollapsedGraph) else graph
        self.blocks = self.collapsed.blocks if self.collapsed else {}
        self.color_by = color_by
        self.layout: Layout = layered_layout(self.graph)
        self._port_cache: dict[tuple[str, str], tuple[float, float]] | None = None
        #: ``(name, layer ids)`` of the block :meth:`expand` opened (framed in the picture)
        self.opened: tuple[str, tuple[str, ...]] | None = None

    # Geometry shared by the SVG and matplotlib renderers (pixels, y down).
    def _xy(self, x: float, rank: float) -> tuple[float, float]:
        left = _MARGIN + _BOX_W / 2 - self.layout.x_min * _BOX_W
        return left + x * _BOX_W, _MARGIN + _HEADER_H + _BOX_H / 2 + rank * _ROW_H

    def _legend_items(self) -> list[tuple[str, str]]:
        colors = _colors(self.color_by)
        if self.color_by == "kind":
            used = {n.kind for n in self.graph.nodes}
            return [(k, colors[k]) for k in (*KINDS, "block") if k in used]
        used = {n.trainable_state for n in self.graph.nodes}
        return [(k, c) for k, c in colors.items() if k in used]

    @property
    def size(self) -> tuple[float, float]:
        """``(width, height)`` of the picture in pixels."""
        width = (self.layout.x_max - self.layout.x_min) * _BOX_W + _BOX_W + 2 * _MARGIN
        longest = max(len(line) for line in self.title.split("\n"))
        width = max(width, 420.0, 2 * _MARGIN + 6.8 * longest)  # the header is never cut
        rows = max(self.layout.n_ranks, 1)
        legend_rows = -(-len(self._legend_items()) // 4)
        height = (_MARGIN * 2 + _HEADER_H + (rows - 1) * _ROW_H + _BOX_H
                  + 16 + legend_rows * _LEGEND_ROW)
        return width, height

    @property
    def title(self) -> str:
        """Header: the model's name, then the same totals as ``model.summary()``."""
        g = self.graph
        text = (f"{g.name}\nTotal params: {g.total_params:,}  "
                f"(trainable {g.trainable_params:,}, non-trainable {g.non_trainable_params:,})")
        if not g.connections_known:
            text += "\nsubclassed model: boxes follow model.layers, connections unknown"
        return text

    def _groups(self) -> dict[str, tuple[float, float, float, float]]:
        """Frames of expanded nested models and of the opened block: label -> (x0, y0, x1, y1)."""
        boxes: dict[str, list[float]] = {}

        def grow(label: str, cx: float, cy: float) -> None:
            b = boxes.setdefault(label, [cx, cy, cx, cy])
            boxes[label] = [min(b[0], cx), min(b[1], cy), max(b[2], cx), max(b[3], cy)]

        opened_ids = set(self.opened[1]) if self.opened else set()
        for node in self.graph.nodes:
            parent = node.parent
            cx, cy = self._xy(*self.layout.positions[node.id])
            if node.id in opened_ids:
                grow(f"{self.opened[0]} (opened block)", cx, cy)
            while parent is not None:
                grow(f"{parent} (nested model)", cx, cy)
                parent = parent.rsplit("/", 1)[0] if "/" in parent else None
        pad = 10
        return {
            k: (b[0] - _BOX_W / 2 + 4 - pad, b[1] - _BOX_H / 2 - pad - 14,
                b[2] + _BOX_W / 2 - 4 + pad, b[3] + _BOX_H / 2 + pad)
            for k, b in boxes.items()
        }

    # ------------------------------------------------------------------ SVG
    @property
    def svg(self) -> str:
        """The diagram as a standalone SVG document (string)."""
        width, height = self.size
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            'font-family="DejaVu Sans, Arial, sans-serif">',
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
            f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
        ]
        for i, line in enumerate(self.title.split("\n")):
            style = 'font-size="14" font-weight="bold"' if i == 0 else 'font-size="12"'
            out.append(f'<text x="{_MARGIN}" y="{_MARGIN + 4 + 17 * i}" {style} '
                       f'fill="#222">{escape(line)}</text>')
        for label, (x0, y0, x1, y1) in self._groups().items():
            out.append(
                f'<rect class="group" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                f'height="{y1 - y0:.1f}" rx="10" fill="#f7f5ff" stroke="#7a6fb0" '
                f'stroke-dasharray="6 4"/><text x="{x0 + 8:.1f}" y="{y0 + 14:.1f}" '
                f'font-size="11" fill="#5a4f90">{escape(label)}</text>'
            )
        for edge in self.graph.edges:
            points = self._edge_points(edge.source, edge.target)
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(
                f'<polyline class="edge" data-source="{escape(edge.source)}" '
                f'data-target="{escape(edge.target)}" points="{path}" fill="none" '
                f'stroke="#555" stroke-width="1.4" marker-end="url(#arrow)"/>'
            )
            if edge.count > 1:
                mx, my = points[-2] if len(points) > 2 else points[0]
                lx, ly = (mx + points[-1][0]) / 2, (my + points[-1][1]) / 2
                out.append(f'<text x="{lx + 6:.1f}" y="{ly:.1f}" font-size="10" '
                           f'fill="#555">×{edge.count}</text>')
        for node in self.graph.nodes:
            cx, cy = self._xy(*self.layout.positions[node.id])
            x0, y0 = cx - _BOX_W / 2 + 4, cy - _BOX_H / 2
            name, type_line, detail = _lines(node, len(self.blocks.get(node.id, ())))
            stroke = "#222" if (node.is_input or node.is_output) else "#666"
            weight = 2.2 if (node.is_input or node.is_output) else 1.0
            tooltip = self._tooltip(node)
            kind = "node block" if node.id in self.blocks else "node"
            out.append(
                f'<g class="{kind}" data-id="{escape(node.id)}" data-params="{node.params}">'
                f"<title>{escape(tooltip)}</title>"
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{_BOX_W - 8}" height="{_BOX_H}" '
                f'rx="7" fill="{_fill(node, self.color_by)}" stroke="{stroke}" '
                f'stroke-width="{weight}"/>'
                f'<text x="{cx:.1f}" y="{y0 + 17:.1f}" text-anchor="middle" font-size="12" '
                f'font-weight="bold" fill="#111">{escape(name)}</text>'
                f'<text x="{cx:.1f}" y="{y0 + 32:.1f}" text-anchor="middle" font-size="10.5" '
                f'fill="#333">{escape(type_line)}</text>'
                f'<text x="{cx:.1f}" y="{y0 + 47:.1f}" text-anchor="middle" font-size="10" '
                f'fill="#333">{escape(detail)}</text></g>'
            )
        out.extend(self._svg_legend(height))
        out.append("</svg>")
        return "\n".join(out)

    def _tooltip(self, node: Any) -> str:
        members = self.collapsed.members(node.id) if node.id in self.blocks else []
        head = f"{node.name}: block of {len(members)} layers" if members else (
            f"{node.id} ({node.type})")
        text = (f"{head}\noutput shape: {node.output_shape}\n"
                f"params: {node.params:,} ({node.trainable_state})"
                + (f"\ncalled {node.calls} times (shared)" if node.calls > 1 else ""))
        if members:
            text += "\n" + "\n".join(f"  {m.name} ({m.type}) {m.output_shape}  {m.params:,}"
                                       for m in members[:40])
            text += f"\n  … {len(members) - 40} more" if len(members) > 40 else ""
        return text

    def fit_svg(self) -> str:
        """The SVG scaled to the width of the page (never wider than its natural size).

        Its arrowhead has an id of its own: inline SVGs share the page's ids, and an
        arrow pointing at a marker in a hidden picture would lose its head.
        """
        width, _ = self.size
        arrow = f"arrow-{uuid.uuid4().hex[:12]}"
        svg = self.svg.replace('<marker id="arrow"', f'<marker id="{arrow}"', 1)
        return svg.replace("url(#arrow)", f"url(#{arrow})").replace(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" ',
            '<svg xmlns="http://www.w3.org/2000/svg" class="course-diagram" width="100%" '
            f'style="max-width:{width:.0f}px;height:auto" ', 1)

    def table_html(self) -> str:
        """Every block's layers with full shapes and counts, each opening on click."""
        if not self.blocks:
            return ""
        rows = []
        for block_id in self.blocks:
            node = self.graph.node(block_id)
            members = self.collapsed.members(block_id)
            cells = "".join(
                f"<tr><td>{escape(m.name)}</td><td>{escape(m.type)}</td>"
                f"<td>{escape(m.output_shape)}</td>"
                f"<td style='text-align:right'>{m.params:,}</td></tr>"
                for m in members)
            rows.append(
                f"<details><summary><b>{escape(node.name)}</b>: {len(members)} layers, "
                f"{node.params:,} params, output {escape(node.output_shape)}</summary>"
                "<table><tr><th>layer</th><th>type</th><th>output shape</th><th>params</th></tr>"
                f"{cells}</table></details>")
        total = sum(self.graph.node(b).params for b in self.blocks) + sum(
            n.params for n in self.graph.nodes if n.id not in self.blocks)
        return (f"<div class='course-diagram-blocks'><p>{len(self.blocks)} blocks (click one to "
                f"see its layers) · {total:,} params in all</p>{''.join(rows)}</div>")

    def box_of(self, node_id: str) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)`` of a box in the SVG, in pixels (y down)."""
        cx, cy = self._xy(*self.layout.positions[node_id])
        return cx - _BOX_W / 2 + 4, cy - _BOX_H / 2, cx + _BOX_W / 2 - 4, cy + _BOX_H / 2

    def _clickable(self, uid: str, views: dict[tuple[str, ...], int]) -> str:
        """The fit-to-width SVG with a transparent label over each block that opens it."""
        width, height = self.size
        labels = []
        for block_id, members in self.blocks.items():
            x0, y0, x1, y1 = self.box_of(block_id)
            name = escape(self.graph.node(block_id).name)
            labels.append(
                f'<label class="course-open" for="{uid}-{views[members]}" '
                f'data-block="{escape(block_id)}" title="click to open {name}" '
                f'style="left:{100 * x0 / width:.3f}%;top:{100 * y0 / height:.3f}%;'
                f'width:{100 * (x1 - x0) / width:.3f}%;height:{100 * (y1 - y0) / height:.3f}%">'
                "</label>")
        svg = self.fit_svg().replace('style="max-width:', 'style="display:block;max-width:', 1)
        return (f'<div class="course-picture" style="position:relative;max-width:{width:.0f}px">'
                f"{svg}{''.join(labels)}</div>")

    def html(self) -> str:
        """The HTML form: the picture fitted to the width; blocks open on click, no JavaScript.

        Each block gets a hidden radio button and a transparent ``<label>`` over its
        box; CSS (``:checked ~``) shows the diagram with that block opened into its
        layers, framed, in place of the collapsed one. A line above an opened picture
        closes it again; the other blocks stay clickable there. The views and their
        style carry a fresh id, so two outputs of one diagram never act on each other.
        Without CSS (a sanitized, untrusted notebook) only the collapsed picture shows.
        A table of every block's layers follows (see :meth:`table_html`).
        """
        if not self.blocks:
            return f"<div class='course-diagram-html'>{self.fit_svg()}</div>"
        # a fresh id per output: outputs left from an earlier kernel must not share it
        uid = f"course-diagram-{uuid.uuid4().hex[:12]}"
        views = {members: i for i, members in enumerate(self.blocks.values(), start=1)}
        rules = [f"#{uid} > .course-view{{display:none}}",
                 f"#{uid} label.course-open{{position:absolute;cursor:zoom-in;border-radius:7px}}",
                 f"#{uid} label.course-open:hover{{outline:3px solid #7a6fb0}}",
                 f"#{uid} label.course-close{{cursor:zoom-out;color:#5a4f90}}",
                 f"#{uid} > input{{display:none}}"]
        rules += [f"#{uid} > #{uid}-{i}:checked ~ .course-view-{i}{{display:block !important}}"
                  for i in range(len(views) + 1)]
        out = [f'<div class="course-diagram-html" id="{uid}"><style>{" ".join(rules)}</style>']
        out += [f'<input type="radio" name="{uid}" id="{uid}-{i}"'
                + (' checked="checked"' if i == 0 else "") + "/>"
                for i in range(len(views) + 1)]
        out.append(f'<div class="course-view course-view-0" data-block="">'
                   f'<p style="margin:2px 0;font-size:12px;color:#5a4f90">{len(self.blocks)} '
                   "blocks: click one to open it into its layers</p>"
                   f"{self._clickable(uid, views)}</div>")
        for block_id, i in zip(self.blocks, views.values(), strict=True):
            opened = self.expand(block_id)
            name = escape(self.graph.node(block_id).name)
            out.append(
                f'<div class="course-view course-view-{i}" data-block="{escape(block_id)}" '
                'style="display:none"><p style="margin:2px 0;font-size:12px">'
                f'<label class="course-close" for="{uid}-0">▲ close {name}</label> '
                f"({len(self.blocks[block_id])} layers, "
                f"{self.graph.node(block_id).params:,} params)</p>"
                f"{opened._clickable(uid, views)}</div>")
        out.append(f"{self.table_html()}</div>")
        return "".join(out)

    def _repr_html_(self) -> str:
        return self.html()

    def expand(self, block: str) -> ModelDiagram:
        """A new diagram with ``block`` (its id or name) opened into its layers.

        Raises:
            ModelError: no such block (or the diagram is not collapsed).
        """
        if self.collapsed is None:
            raise ViewError(f"Expected a collapsed diagram. Received: block={block!r} but this "
                            "diagram shows every layer.",
                            hint="show_diagram(model, collapse=True) collapses it.")
        by_name = {self.graph.node(b).name: b for b in self.blocks}
        block_id = block if block in self.blocks else by_name.get(block, block)
        diagram = ModelDiagram(expand_block(self.collapsed, block_id), color_by=self.color_by)
        diagram.opened = (self.graph.node(block_id).name, self.blocks[block_id])
        return diagram

    def _svg_legend(self, height: float) -> list[str]:
        items = self._legend_items()
        out = []
        for i, (label, color) in enumerate(items):
            row, col = divmod(i, 4)
            x = _MARGIN + col * 105
            y = height - _MARGIN - (-(-len(items) // 4) - row - 1) * _LEGEND_ROW - 10
            out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="{color}" '
                       f'stroke="#666"/><text x="{x + 19}" y="{y}" font-size="11" '
                       f'fill="#333">{escape(label)}</text>')
        return out

    def _ports(self) -> dict[tuple[str, str], tuple[float, float]]:
        """x offsets where each edge leaves its source and enters its target.

        Edges sharing a box are spread over its bottom/top side, ordered by the
        x of their other end, so arrows into a merge do not pile up on one point.
        """
        if self._port_cache is not None:
            return self._port_cache
        routes = self.layout.routes
        # (box, "top" | "bottom") -> the edges attached there, keyed by the x they head to;
        # an edge back up (a nested model fed its own output) leaves a top, enters a bottom.
        sides: dict[tuple[str, str], list[tuple[float, tuple[str, str], int]]] = {}
        for key, route in routes.items():
            leave, enter = ("top", "bottom") if _upwards(route) else ("bottom", "top")
            sides.setdefault((key[0], leave), []).append((route[1][0], key, 0))
            sides.setdefault((key[1], enter), []).append((route[-2][0], key, 1))
        offsets: dict[tuple[str, str], list[float]] = {k: [0.0, 0.0] for k in routes}
        for items in sides.values():
            items.sort()
            n = len(items)
            for i, (_, key, end) in enumerate(items):
                offsets[key][end] = 0.0 if n == 1 else (i / (n - 1) - 0.5) * _BOX_W * 0.55
        self._port_cache = {k: (v[0], v[1]) for k, v in offsets.items()}
        return self._port_cache

    def _edge_points(self, source: str, target: str) -> list[tuple[float, float]]:
        route = self.layout.routes[(source, target)]
        points = [self._xy(x, r) for x, r in route]
        (sx, sy), (tx, ty) = points[0], points[-1]
        out_dx, in_dx = self._ports()[(source, target)]
        half = -_BOX_H / 2 if _upwards(route) else _BOX_H / 2
        points[0] = (sx + out_dx, sy + half)
        points[-1] = (tx + in_dx, ty - half)
        return points

    def _repr_svg_(self) -> str:
        return self.svg

    # ----------------------------------------------------------- matplotlib
    def _new_axes(self) -> Any:
        width, height = self.size
        return new_figure((width / 100, height / 100), dpi=100).add_axes((0, 0, 1, 1))

    def draw(self, ax: Any = None) -> Any:
        """Draw the diagram into a matplotlib Axes (a new figure, shown once, when ``ax=None``).

        Returns:
            The Axes, with one text artist per box line (searchable in tests).
        """
        new = ax is None
        ax = self._new_axes() if new else axes_or_new(ax, (1, 1), what="draw")[0]
        self._draw_into(ax)
        return present(ax) if new else ax

    def _draw_into(self, ax: Any) -> None:
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
        from matplotlib.path import Path as MplPath

        width, height = self.size
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        for i, line in enumerate(self.title.split("\n")):
            ax.text(_MARGIN, _MARGIN + 4 + 17 * i, line, fontsize=10 if i == 0 else 8.6,
                    fontweight="bold" if i == 0 else "normal", va="baseline")
        for label, (x0, y0, x1, y1) in self._groups().items():
            ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0,
                                        boxstyle="round,pad=0,rounding_size=10",
                                        fc="#f7f5ff", ec="#7a6fb0", ls="--", lw=1))
            ax.text(x0 + 8, y0 + 14, label, fontsize=7.5, color="#5a4f90")
        for edge in self.graph.edges:
            points = self._edge_points(edge.source, edge.target)
            codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1)
            ax.add_patch(FancyArrowPatch(path=MplPath(points, codes), arrowstyle="-|>",
                                         mutation_scale=10, color="#555", lw=1.1))
            if edge.count > 1:
                ax.text(points[-1][0] + 6, points[-1][1] - 12, f"×{edge.count}", fontsize=7,
                        color="#555")
        for node in self.graph.nodes:
            cx, cy = self._xy(*self.layout.positions[node.id])
            x0, y0 = cx - _BOX_W / 2 + 4, cy - _BOX_H / 2
            bold = node.is_input or node.is_output
            ax.add_patch(FancyBboxPatch((x0, y0), _BOX_W - 8, _BOX_H,
                                        boxstyle="round,pad=0,rounding_size=7",
                                        fc=_fill(node, self.color_by),
                                        ec="#222" if bold else "#666", lw=1.8 if bold else 0.8))
            name, type_line, detail = _lines(node, len(self.blocks.get(node.id, ())))
            ax.text(cx, y0 + 15, name, ha="center", fontsize=8.5, fontweight="bold")
            ax.text(cx, y0 + 31, type_line, ha="center", fontsize=7.5, color="#333")
            ax.text(cx, y0 + 46, detail, ha="center", fontsize=6.8, color="#333")
        items = self._legend_items()
        for i, (label, color) in enumerate(items):
            row, col = divmod(i, 4)
            x = _MARGIN + col * 105
            y = height - _MARGIN - (-(-len(items) // 4) - row - 1) * _LEGEND_ROW - 10
            ax.add_patch(Rectangle((x, y - 10), 14, 12, fc=color, ec="#666", lw=0.6))
            ax.text(x + 19, y, label, fontsize=8, color="#333")

    def save(self, path: str | Path) -> Path:
        """Write ``.svg`` (the SVG text) or ``.png``/``.pdf`` (via matplotlib).

        Raises:
            ViewError: the suffix is not one of those.
        """
        path = Path(path)
        if path.suffix == ".svg":
            path.write_text(self.svg, encoding="utf-8")
            return path
        if path.suffix not in (".png", ".pdf"):
            raise ViewError(
                f"Expected a .svg, .png or .pdf file name. Received: path={str(path)!r}.",
                hint="e.g. diagram.save('model.svg').",
            )
        ax = self._new_axes()
        self._draw_into(ax)
        ax.figure.savefig(path, dpi=100)
        return path


def _upwards(route: list[tuple[float, float]]) -> bool:
    """The edge goes back to an earlier row (its target is above its source)."""
    return route[-1][1] < route[0][1]


def _graph(model_or_graph: Any, expand_nested: bool) -> ModelGraph:
    if isinstance(model_or_graph, ModelGraph):
        return model_or_graph
    return model_graph(model_or_graph, expand_nested=expand_nested)


def _diagram(model: Any, color_by: str, expand_nested: bool, collapse: bool | str,
             max_boxes: int) -> ModelDiagram:
    if collapse not in (True, False, "auto"):
        raise ViewError(
            f"Expected collapse=True, False or 'auto'. Received: collapse={collapse!r}.",
            hint="leave collapse='auto' (collapse models with many layers).")
    graph = _graph(model, expand_nested)
    if collapse is True or (collapse == "auto" and len(graph.nodes) > AUTO_COLLAPSE_ABOVE):
        return ModelDiagram(collapse_blocks(graph, max_boxes), color_by=color_by)
    return ModelDiagram(graph, color_by=color_by)


def show_diagram(model: Any, color_by: str = "kind", expand_nested: bool = False,
                 collapse: bool | str = "auto", max_boxes: int = 12) -> ModelDiagram:
    """Diagram of a built Keras model, shown once (SVG that fits the page width).

    The picture is static, so the same object serves interactive notebooks, Voila
    and nbval/HTML export. Models with more than :data:`AUTO_COLLAPSE_ABOVE` layers
    (ResNet50, InceptionV3, BERT-base) are collapsed into about ``max_boxes``
    blocks -- residual blocks, Inception modules, nested models, runs of layers
    sharing a name prefix -- each with its
    parameter total (they add up to ``model.count_params()``); hover a box for its
    layers, click a block in the picture to open it into its layers (HTML and CSS
    only, so also in Voila and HTML exports), open one in the table below the
    picture, or call ``diagram.expand("conv2")``.

    Args:
        model: a built ``keras.Model`` or a :class:`ModelGraph`.
        color_by: ``"kind"`` or ``"trainable"``.
        expand_nested: show the layers inside nested models (then each nested
            model is one block when collapsed).
        collapse: ``"auto"`` (when there are more than :data:`AUTO_COLLAPSE_ABOVE`
            layers), ``True`` or ``False`` (every layer, however many).
        max_boxes: the most boxes a collapsed diagram aims for.

    Returns:
        A :class:`ModelDiagram`.

    Raises:
        ModelError: the model is not built, or ``max_boxes`` < 2.
        ViewError: bad ``color_by`` or ``collapse``.

    Example:
        >>> show_diagram(model, color_by="trainable")  # doctest: +SKIP
        >>> show_diagram(keras.applications.ResNet50(weights=None))  # 9 boxes  # doctest: +SKIP
    """
    return present(_diagram(model, color_by, expand_nested, collapse, max_boxes))


def diagram_svg(model: Any, color_by: str = "kind", expand_nested: bool = False) -> str:
    """The diagram as an SVG string (see :func:`show_diagram` for the arguments).

    Example:
        >>> svg = diagram_svg(model)        # doctest: +SKIP
        >>> svg.startswith("<svg")          # doctest: +SKIP
        True
    """
    return ModelDiagram(_graph(model, expand_nested), color_by=color_by).svg


def draw_diagram(model: Any, ax: Any = None, color_by: str = "kind",
                 expand_nested: bool = False) -> Any:
    """Draw the diagram into ``ax`` (a new figure when ``None``) and return the Axes.

    Example:
        >>> fig, ax = plt.subplots(figsize=(6, 8))    # doctest: +SKIP
        >>> draw_diagram(model, ax=ax)                # doctest: +SKIP
    """
    return ModelDiagram(_graph(model, expand_nested), color_by=color_by).draw(ax)


# --------------------------------------------------------------- neuron view
_POS, _NEG = "#2166ac", "#d95f02"


def _network(model_or_net: Any, max_neurons: int) -> DenseNetwork:
    if isinstance(model_or_net, DenseNetwork):
        return model_or_net
    return dense_network(model_or_net, max_neurons=max_neurons)


class NeuronDiagram:
    """Neurons as circles, weights as lines (width ~ |w|, blue > 0, orange < 0).

    Args:
        network: from :func:`course_lib.models.diagram.dense_network`.

    Example:
        >>> NeuronDiagram(dense_network(model))  # doctest: +SKIP
    """

    def __init__(self, network: DenseNetwork) -> None:
        import numpy as np

        require(network, DenseNetwork, name="network", what="NeuronDiagram",
                hint="pass dense_network(model), or call show_neurons(model) with the model.")
        self.network = network
        self._wmax = max(float(np.abs(w).max()) for w in network.weights) or 1.0

    def _centres(self, width: float, height: float) -> list[list[tuple[float, float]]]:
        sizes = self.network.layer_sizes
        col_gap = (width - 2 * 60) / max(len(sizes) - 1, 1)
        tallest = max(sizes)
        row_gap = min(48.0, (height - 90) / max(tallest - 1, 1))
        cols = []
        for i, n in enumerate(sizes):
            x = 60 + i * col_gap
            top = 50 + (height - 90 - (n - 1) * row_gap) / 2
            cols.append([(x, top + j * row_gap) for j in range(n)])
        return cols

    def edge_widths(self) -> list[Any]:
        """Line width per weight, one ``(n_in, n_out)`` array per layer (0.3..4.5 px)."""
        import numpy as np

        return [0.3 + 4.2 * np.abs(w) / self._wmax for w in self.network.weights]

    @property
    def size(self) -> tuple[float, float]:
        """``(width, height)`` in pixels."""
        sizes = self.network.layer_sizes
        return 140.0 + 170 * (len(sizes) - 1), 90.0 + 48 * (max(sizes) - 1) + 40

    def _labels(self) -> list[str]:
        names = ["inputs"] + [
            f"{n}\n({a})" for n, a in zip(self.network.layer_names, self.network.activations,
                                          strict=True)
        ]
        return names

    @property
    def svg(self) -> str:
        """The neuron view as an SVG document."""
        width, height = self.size
        cols = self._centres(width, height - 40)
        widths = self.edge_widths()
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
               f'height="{height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">',
               f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>']
        for k, w in enumerate(self.network.weights):
            for i, (x0, y0) in enumerate(cols[k]):
                for j, (x1, y1) in enumerate(cols[k + 1]):
                    color = _POS if w[i, j] >= 0 else _NEG
                    out.append(f'<line class="weight" x1="{x0:.1f}" y1="{y0:.1f}" '
                               f'x2="{x1:.1f}" y2="{y1:.1f}" stroke="{color}" '
                               f'stroke-width="{widths[k][i, j]:.2f}" stroke-opacity="0.8">'
                               f"<title>w[{i},{j}] = {w[i, j]:+.3f}</title></line>")
        for k, col in enumerate(cols):
            for j, (x, y) in enumerate(col):
                title = (f"input {j}" if k == 0 else
                         f"{self.network.layer_names[k - 1]}[{j}], "
                         f"bias {self.network.biases[k - 1][j]:+.3f}")
                out.append(f'<circle class="neuron" cx="{x:.1f}" cy="{y:.1f}" r="13" '
                           f'fill="{"#eeeeee" if k == 0 else "#ffffff"}" stroke="#333" '
                           f'stroke-width="1.5"><title>{escape(title)}</title></circle>')
            label = self._labels()[k].split("\n")
            for line_no, text in enumerate(label):
                out.append(f'<text x="{col[0][0]:.1f}" y="{height - 34 + 13 * line_no}" '
                           f'text-anchor="middle" font-size="11" fill="#333">'
                           f"{escape(text)}</text>")
        out.append(f'<text x="10" y="20" font-size="11" fill="#333">line width = |weight| '
                   f'(max {self._wmax:.2f}); <tspan fill="{_POS}">blue &gt; 0</tspan>, '
                   f'<tspan fill="{_NEG}">orange &lt; 0</tspan></text></svg>')
        return "\n".join(out)

    def _repr_svg_(self) -> str:
        return self.svg

    def draw(self, ax: Any = None) -> Any:
        """Draw into a matplotlib Axes (new figure, shown once, when ``None``); return the Axes."""
        from matplotlib.collections import LineCollection

        width, height = self.size
        ax, new = axes_or_new(ax, (width / 100, height / 100), what="draw")
        cols = self._centres(width, height - 40)
        widths = self.edge_widths()
        for k, w in enumerate(self.network.weights):
            segments, colors, lws = [], [], []
            for i, p0 in enumerate(cols[k]):
                for j, p1 in enumerate(cols[k + 1]):
                    segments.append([p0, p1])
                    colors.append(_POS if w[i, j] >= 0 else _NEG)
                    lws.append(widths[k][i, j] * 0.75)
            ax.add_collection(LineCollection(segments, colors=colors, linewidths=lws,
                                             alpha=0.8, zorder=1))
        for k, col in enumerate(cols):
            xs, ys = zip(*col, strict=True)
            ax.scatter(xs, ys, s=260, c="#eeeeee" if k == 0 else "white", edgecolors="#333",
                       linewidths=1.3, zorder=2)
            ax.text(col[0][0], height - 30, self._labels()[k], ha="center", va="top",
                    fontsize=8.5)
        ax.set_title(f"line width = |weight| (max {self._wmax:.2f}); blue > 0, orange < 0",
                     fontsize=9)
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        return present(ax) if new else ax


def show_neurons(model: Any, max_neurons: int = 32) -> NeuronDiagram:
    """Neuron view of a tiny all-Dense model (shows as SVG in notebooks).

    Args:
        model: a built Keras model of Dense layers, or a :class:`DenseNetwork`.
        max_neurons: refuse wider layers (they would be a hairball).

    Returns:
        A :class:`NeuronDiagram`; call ``.draw(ax)`` for matplotlib.

    Raises:
        ModelError: a non-Dense weighted layer, or a layer wider than ``max_neurons``.

    Example:
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, "tanh"),
        ...                           keras.layers.Dense(1, "sigmoid")])  # doctest: +SKIP
        >>> show_neurons(model)                                          # doctest: +SKIP
    """
    return present(NeuronDiagram(_network(model, max_neurons)))


def neuron_svg(model: Any, max_neurons: int = 32) -> str:
    """The neuron view as an SVG string (see :func:`show_neurons`).

    Example:
        >>> neuron_svg(model).count("<circle")   # doctest: +SKIP
        6
    """
    return NeuronDiagram(_network(model, max_neurons)).svg


def draw_neurons(model: Any, ax: Any = None, max_neurons: int = 32) -> Any:
    """Draw the neuron view into ``ax`` (new figure when ``None``); return the Axes.

    Example:
        >>> draw_neurons(model, ax=ax)   # doctest: +SKIP
    """
    return NeuronDiagram(_network(model, max_neurons)).draw(ax)
