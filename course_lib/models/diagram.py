"""Turn a built Keras 3 model into a layer graph and a layered layout.

This is the compute half of the layer diagrams (drawing lives in
:mod:`course_lib.views.diagram`). It follows Keras' own split between
``model_to_dot`` (build the diagram data) and ``plot_model`` (draw it), but
needs neither pydot nor Graphviz: the layout is a small pure-Python
longest-path layering with barycenter ordering.

Example:
    >>> import keras
    >>> from course_lib.models.diagram import model_graph, layered_layout
    >>> inputs = keras.Input((4,))
    >>> model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    >>> graph = model_graph(model)
    >>> [n.name for n in graph.nodes], graph.total_params
    (['input_layer', 'dense'], 10)
    >>> layout = layered_layout(graph)  # positions for the drawing
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from course_lib import keras_compat
from course_lib.errors import ModelError

__all__ = [
    "CollapsedGraph",
    "DenseNetwork",
    "Edge",
    "LayerNode",
    "Layout",
    "ModelGraph",
    "collapse_blocks",
    "dense_network",
    "expand_block",
    "layer_kind",
    "layered_layout",
    "model_graph",
]

# Ordered: the first pattern that matches a layer's class name gives its kind.
_KIND_RULES: tuple[tuple[str, str], ...] = (
    ("input", r"^InputLayer$"),
    ("model", r"^(Functional|Sequential|Model)$|Backbone$"),
    ("attention", r"Attention|Transformer"),
    ("recurrent", r"LSTM|GRU|RNN|Bidirectional"),
    ("embedding", r"Embedding"),
    ("conv", r"Conv"),
    ("pool", r"Pool"),
    ("norm", r"Normalization|LayerNorm"),
    ("dropout", r"Dropout"),
    ("merge", r"^(Add|Concatenate|Multiply|Average|Subtract|Maximum|Minimum|Dot)$"),
    ("dense", r"Dense"),
    ("activation", r"^(Activation|ReLU|Softmax|LeakyReLU|ELU|PReLU)$"),
    (
        "reshape",
        r"Flatten|Reshape|Permute|RepeatVector|GetItem|Cropping|ZeroPadding|UpSampling|Slice",
    ),
)

#: Every kind :func:`layer_kind` can return, in legend order.
KINDS: tuple[str, ...] = tuple(kind for kind, _ in _KIND_RULES) + ("other",)


def layer_kind(class_name: str) -> str:
    """Classify a layer by its class name, for colouring diagrams.

    Args:
        class_name: e.g. ``"Conv2D"`` or ``"TransformerEncoder"``.

    Returns:
        One of :data:`KINDS`, e.g. ``"conv"``, ``"dense"``, ``"attention"``; ``"other"``
        when nothing matches.

    Example:
        >>> layer_kind("MaxPooling2D"), layer_kind("LSTM"), layer_kind("Lambda")
        ('pool', 'recurrent', 'other')
    """
    for kind, pattern in _KIND_RULES:
        if re.search(pattern, class_name):
            return kind
    return "other"


@dataclass(frozen=True)
class LayerNode:
    """One box in the diagram: a layer (or operation) of the model.

    Attributes:
        id: unique key; nested layers are prefixed with their model, ``"encoder/dense"``.
        name: the layer's own name.
        type: the layer's class name, as ``model.summary()`` shows it.
        kind: a coarse family from :func:`layer_kind` (used for colour).
        output_shape: formatted like ``model.summary()``, e.g. ``"(None, 10)"``.
        params: ``layer.count_params()`` (0 for layers without weights).
        trainable_params: the part of ``params`` that training updates.
        calls: how often the layer is called in this graph (>1 for shared layers, and for
            the layers of a nested model that is called more than once).
        parent: id of the enclosing nested model when expanded, else ``None``.
        is_input: the node is one of the model's inputs.
        is_output: the node produces one of the model's outputs.
    """

    id: str
    name: str
    type: str
    kind: str
    output_shape: str
    params: int
    trainable_params: int
    calls: int = 1
    parent: str | None = None
    is_input: bool = False
    is_output: bool = False

    @property
    def trainable_state(self) -> str:
        """``"trainable"``, ``"frozen"``, ``"partial"`` or ``"no weights"``."""
        if self.params == 0:
            return "no weights"
        if self.trainable_params == self.params:
            return "trainable"
        return "frozen" if self.trainable_params == 0 else "partial"


@dataclass(frozen=True)
class Edge:
    """A tensor flowing from one node to another.

    Attributes:
        source: id of the producing node.
        target: id of the consuming node.
        shape: the tensor's shape, formatted like ``"(None, 64)"``.
        count: how many distinct tensors connect the two nodes.
    """

    source: str
    target: str
    shape: str
    count: int = 1


@dataclass
class ModelGraph:
    """A model as nodes and edges, with the parameter totals of ``model.summary()``.

    Attributes:
        name: the model's name.
        nodes: one :class:`LayerNode` per layer, in topological order.
        edges: the connections between them.
        total_params: equals ``model.count_params()``.
        trainable_params: parameters updated by training.
        connections_known: ``False`` for subclassed models, whose call graph Keras
            does not record; the edges then only follow ``model.layers`` order.
    """

    name: str
    nodes: list[LayerNode]
    edges: list[Edge]
    total_params: int
    trainable_params: int
    connections_known: bool = True
    _index: dict[str, LayerNode] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {node.id: node for node in self.nodes}

    def node(self, node_id: str) -> LayerNode:
        """The node with this id (or plain layer name at top level).

        Raises:
            ModelError: no node has that id.
        """
        try:
            return self._index[node_id]
        except KeyError:
            raise ModelError(
                f"Expected a layer id of this diagram. Received: {node_id!r}.",
                hint=f"use one of {sorted(self._index)[:12]}...",
            ) from None

    def predecessors(self, node_id: str) -> list[str]:
        """Ids of the nodes feeding ``node_id``."""
        return [e.source for e in self.edges if e.target == node_id]

    def successors(self, node_id: str) -> list[str]:
        """Ids of the nodes fed by ``node_id``."""
        return [e.target for e in self.edges if e.source == node_id]

    @property
    def non_trainable_params(self) -> int:
        """``total_params - trainable_params``."""
        return self.total_params - self.trainable_params


def _format_shape(shape: Any) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _shapes_of(tensors: list[Any]) -> str:
    shapes = [_format_shape(t.shape) for t in tensors]
    if len(shapes) == 1:
        return shapes[0]
    return "[" + ", ".join(shapes) + "]"


def _count(variables: list[Any]) -> int:
    unique = {id(v): v for v in variables}.values()
    return int(sum(math.prod(v.shape) for v in unique))


def _layer_params(op: Any) -> tuple[int, int]:
    if not hasattr(op, "weights") or not getattr(op, "built", False):
        return 0, 0
    return _count(op.weights), _count(op.trainable_weights)


_functional_of = keras_compat.functional_of


class _GraphBuilder:
    def __init__(self, expand_nested: bool) -> None:
        self.expand_nested = expand_nested
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str], Edge] = {}
        self.variables: list[Any] = []
        self.trainable_variables: list[Any] = []

    def expandable(self, op: Any) -> bool:
        return self.expand_nested and _functional_of(op) is not None and bool(op.layers)

    def add(self, functional: Any, prefix: str, parent: str | None,
            times: int = 1) -> tuple[dict, dict]:
        """Add a functional graph called ``times`` times; return its entry/exit maps."""
        relevant = keras_compat.graph_nodes(functional)
        entry_maps: dict[int, dict[int, str]] = {}
        exit_maps: dict[int, dict[int, str]] = {}
        calls: dict[int, int] = {}
        last_outputs: dict[int, list[Any]] = {}
        ops: dict[int, Any] = {}
        for keras_node in relevant:
            op = keras_node.operation
            ops[id(op)] = op
            calls[id(op)] = calls.get(id(op), 0) + (0 if keras_node.is_input else 1)
            last_outputs[id(op)] = keras_node.outputs
        for op_id, op in ops.items():
            node_id = f"{prefix}{op.name}"
            if self.expandable(op):
                entry, exit_ = self.add(_functional_of(op), f"{node_id}/", parent=node_id,
                                        times=times * max(calls[op_id], 1))
                entry_maps[op_id], exit_maps[op_id] = entry, exit_
                continue
            params, trainable = _layer_params(op)
            if hasattr(op, "weights"):
                self.variables.extend(op.weights)
                self.trainable_variables.extend(op.trainable_weights)
            type_name = type(op).__name__
            self.nodes[node_id] = {
                "id": node_id,
                "name": op.name,
                "type": type_name,
                "kind": layer_kind(type_name),
                "output_shape": _shapes_of(last_outputs[op_id]),
                "params": params,
                "trainable_params": trainable,
                "calls": times * max(calls[op_id], 1),  # a shared nested model shares its layers
                "parent": parent,
                "is_input": type_name == "InputLayer" and parent is None,
                "is_output": False,
            }
            entry_maps[op_id] = {}
            exit_maps[op_id] = {}
        for keras_node in relevant:
            op = keras_node.operation
            for position, tensor in enumerate(keras_node.input_tensors):
                source = self._resolve(exit_maps, *keras_compat.tensor_origin(tensor), prefix)
                target = self._resolve(entry_maps, op, position, prefix)
                self._edge(source, target, _format_shape(tensor.shape))
        inputs = list(functional.inputs)
        outputs = list(functional.outputs)
        entry = {i: self._resolve(exit_maps, *keras_compat.tensor_origin(t), prefix)
                 for i, t in enumerate(inputs)}
        exit_ = {i: self._resolve(exit_maps, *keras_compat.tensor_origin(t), prefix)
                 for i, t in enumerate(outputs)}
        if parent is None:
            for node_id in exit_.values():
                self.nodes[node_id]["is_output"] = True
        return entry, exit_

    def _resolve(self, maps: dict, op: Any, index: int, prefix: str) -> str:
        inner = maps.get(id(op), {})
        if not inner:
            return f"{prefix}{op.name}"
        return inner.get(index, inner.get(0, f"{prefix}{op.name}"))

    def _edge(self, source: str, target: str, shape: str) -> None:
        key = (source, target)
        if key in self.edges:
            old = self.edges[key]
            self.edges[key] = Edge(source, target, old.shape, old.count + 1)
        else:
            self.edges[key] = Edge(source, target, shape)


def model_graph(model: Any, expand_nested: bool = False) -> ModelGraph:
    """Build the layer graph of a built Keras 3 model.

    Works for Sequential and functional models, several inputs and outputs,
    skip connections, branches, shared layers (one node, ``calls > 1``) and
    nested models (one collapsed node, or their own layers when expanded).
    Subclassed models have no recorded call graph; their layers are chained in
    ``model.layers`` order and ``connections_known`` is ``False``.

    Args:
        model: a built ``keras.Model`` (call it once or give it an ``Input``).
        expand_nested: draw the layers of nested models instead of one box each.

    Returns:
        A :class:`ModelGraph`; ``total_params == model.count_params()``.

    Raises:
        ModelError: ``model`` is not a Keras model, or is not built yet.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> graph = model_graph(model)
        >>> graph.total_params == model.count_params()
        True
    """
    import keras

    if not isinstance(model, keras.Model):
        raise ModelError(
            f"Expected a keras.Model. Received: model of type {type(model).__name__}.",
            hint="pass the model itself, e.g. model_graph(model), not a layer or history.",
        )
    if not model.built:
        raise ModelError(
            f"Expected a built model. Received: model {model.name!r} that has not been built.",
            hint="start it with keras.Input(shape=...) or call model.build(input_shape) first.",
        )
    builder = _GraphBuilder(expand_nested)
    functional = _functional_of(model)
    if functional is not None:
        builder.add(functional, prefix="", parent=None)
        connections_known = True
    else:
        previous = None
        for layer in model.layers:
            params, trainable = _layer_params(layer)
            builder.variables.extend(layer.weights)
            builder.trainable_variables.extend(layer.trainable_weights)
            shape = "?"
            if keras_compat.call_nodes(layer):
                shape = _shapes_of(keras_compat.call_nodes(layer)[-1].outputs)
            type_name = type(layer).__name__
            builder.nodes[layer.name] = {
                "id": layer.name, "name": layer.name, "type": type_name,
                "kind": layer_kind(type_name), "output_shape": shape, "params": params,
                "trainable_params": trainable, "calls": 1, "parent": None,
                "is_input": False, "is_output": False,
            }
            if previous is not None:
                builder._edge(previous, layer.name, "?")
            previous = layer.name
        connections_known = False
    nodes = [LayerNode(**fields) for fields in builder.nodes.values()]
    order = _topological_order([n.id for n in nodes], list(builder.edges.values()))
    by_id = {n.id: n for n in nodes}
    return ModelGraph(
        name=model.name,
        nodes=[by_id[i] for i in order],
        edges=list(builder.edges.values()),
        total_params=_count(builder.variables),
        trainable_params=_count(builder.trainable_variables),
        connections_known=connections_known,
    )


def _topological_order(ids: list[str], edges: list[Edge]) -> list[str]:
    indegree = dict.fromkeys(ids, 0)
    children: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        indegree[e.target] += 1
        children[e.source].append(e.target)
    ready = [i for i in ids if indegree[i] == 0]
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(ids):
        if not ready:
            # A cycle: a layer or nested model called on its own output (``enc(enc(x))``)
            # is one node. Break it at the first waiting node in the given order.
            ready.append(next(i for i in ids if i not in placed))
        current = ready.pop(0)
        if current in placed:
            continue
        order.append(current)
        placed.add(current)
        for child in children[current]:
            indegree[child] -= 1
            if indegree[child] == 0 and child not in placed:
                ready.append(child)
    return order


@dataclass(frozen=True)
class Layout:
    """Where each node sits: ``x`` across, ``rank`` down (0 = top).

    Attributes:
        positions: node id -> ``(x, rank)``; x in box widths, centred on 0.
        routes: ``(source, target)`` -> polyline points ``[(x, rank), ...]``, which
            bends through the slots of long edges so they avoid other boxes. A route
            runs from source to target: upwards for an edge back to an earlier row
            (a nested model fed its own output), and as a loop beside the box for a
            layer called on its own output.
        n_ranks: number of rows.
        x_min: smallest x of any node or bend.
        x_max: largest x of any node or bend.
    """

    positions: dict[str, tuple[float, float]]
    routes: dict[tuple[str, str], list[tuple[float, float]]]
    n_ranks: int
    x_min: float
    x_max: float


def layered_layout(graph: ModelGraph, sweeps: int = 8, spacing: float = 1.2) -> Layout:
    """Lay the graph out in rows: longest-path layering, then barycenter ordering.

    Each node's row is the length of the longest path from an input. Edges
    that skip rows get invisible bend points (one per skipped row), then rows
    are reordered by the mean position of their neighbours (down and up
    sweeps) to reduce crossings, and x positions are pulled towards parents
    while keeping ``spacing`` between boxes.

    Args:
        graph: from :func:`model_graph`.
        sweeps: ordering passes (each is one down and one up sweep).
        spacing: minimum centre distance between neighbours in a row, in box widths.

    Returns:
        A :class:`Layout`.

    Example:
        >>> layout = layered_layout(graph)  # doctest: +SKIP
        >>> layout.positions["dense"]       # doctest: +SKIP
        (0.0, 1)
    """
    ids = [n.id for n in graph.nodes]
    # A layer or nested model called on its own output (``enc(enc(x))``) is one node, so
    # its graph has a loop (a self-edge) or, expanded, a cycle. Rows are laid out on the
    # acyclic part: back edges are laid out reversed and drawn pointing up, self-edges
    # are drawn as a loop beside their box.
    order = _topological_order(ids, graph.edges)
    where = {node_id: i for i, node_id in enumerate(order)}
    loops = [(e.source, e.target) for e in graph.edges if e.source == e.target]
    flows = [(e.source, e.target) if where[e.source] < where[e.target] else (e.target, e.source)
             for e in graph.edges if e.source != e.target]
    parents: dict[str, list[str]] = {i: [] for i in ids}
    children: dict[str, list[str]] = {i: [] for i in ids}
    for source, target in flows:
        parents[target].append(source)
        children[source].append(target)
    rank: dict[str, int] = {}
    for node_id in order:
        rank[node_id] = max((rank[p] + 1 for p in parents[node_id]), default=0)
    # Pull sources (extra inputs) down next to their first consumer.
    for node_id in ids:
        if not parents[node_id] and children[node_id]:
            rank[node_id] = min(rank[c] for c in children[node_id]) - 1

    # Split long edges into unit steps through dummy nodes.
    up: dict[str, list[str]] = {i: [] for i in ids}
    down: dict[str, list[str]] = {i: [] for i in ids}
    chains: dict[tuple[str, str], list[str]] = {}
    for e in graph.edges:
        if e.source == e.target:
            continue
        upper, lower = (e.source, e.target) if rank[e.source] < rank[e.target] else (
            e.target, e.source)
        chain = [upper]
        for step in range(rank[upper] + 1, rank[lower]):
            dummy = f"\0{e.source}->{e.target}#{step}"
            rank[dummy] = step
            up[dummy], down[dummy] = [], []
            chain.append(dummy)
        chain.append(lower)
        for a, b in zip(chain, chain[1:], strict=False):
            down[a].append(b)
            up[b].append(a)
        chains[(e.source, e.target)] = chain if upper == e.source else chain[::-1]
    n_ranks = max(rank.values(), default=-1) + 1
    rows: list[list[str]] = [[] for _ in range(n_ranks)]
    # Start from topological order, with extra inputs pulled down (masks, side
    # inputs) at the end of their row, beside the main path rather than across it.
    pulled = {i for i in ids if not parents[i] and rank[i] > 0}
    for node_id in sorted(rank, key=lambda n: n in pulled):
        rows[rank[node_id]].append(node_id)

    def reorder(row: list[str], neighbours: dict[str, list[str]], pos: dict[str, float]) -> None:
        def key(item: tuple[int, str]) -> float:
            i, node_id = item
            ns = [pos[n] for n in neighbours[node_id] if n in pos]
            return sum(ns) / len(ns) if ns else float(i)

        row[:] = [n for _, n in sorted(enumerate(row), key=key)]

    # Keep the best ordering seen (the first is plain topological order): sweeps
    # can trade one crossing for another and end in a worse local minimum.
    best, fewest = [list(row) for row in rows], _total_crossings(rows, down)
    for _ in range(sweeps):
        for r in range(1, n_ranks):
            pos = {n: float(i) for i, n in enumerate(rows[r - 1])}
            reorder(rows[r], up, pos)
        for r in range(n_ranks - 2, -1, -1):
            pos = {n: float(i) for i, n in enumerate(rows[r + 1])}
            reorder(rows[r], down, pos)
        crossings = _total_crossings(rows, down)
        if crossings < fewest:
            best, fewest = [list(row) for row in rows], crossings
    rows = best
    _transpose(rows, up, down)

    x: dict[str, float] = {}
    for row in rows:
        position = 0.0
        for i, node_id in enumerate(row):
            if i:
                position += _gap(row[i - 1], node_id, spacing)
            x[node_id] = position
        for node_id in row:
            x[node_id] -= position / 2
    for _ in range(4):
        for r in range(1, n_ranks):
            _place_row(rows[r], up, x, spacing)
        for r in range(n_ranks - 2, -1, -1):
            _place_row(rows[r], down, x, spacing)
    shift = -(sum(x[i] for i in ids) / len(ids)) if ids else 0.0
    x = {k: round(v + shift, 6) for k, v in x.items()}
    positions = {i: (x[i], float(rank[i])) for i in ids}
    routes = {key: [(x[n], float(rank[n])) for n in chain] for key, chain in chains.items()}
    for key in loops:  # out of the box's bottom, up its right side, into its top
        cx, r = positions[key[0]]
        routes[key] = [(cx, r), (cx + _LOOP_DX, r + _LOOP_DR), (cx + _LOOP_DX, r - _LOOP_DR),
                       (cx, r)]
    xs = [px for route in routes.values() for px, _ in route] + list(x.values()) or [0.0]
    return Layout(positions, routes, n_ranks, min(xs), max(xs))


#: Where a self-loop bends, beside its box: in box widths across and rows down.
_LOOP_DX, _LOOP_DR = 0.62, 0.42


def _crossings(left: str, right: str, neighbours: dict[str, list[str]],
               pos: dict[str, int]) -> int:
    """Edge crossings between two neighbours in a row, towards one adjacent row."""
    return sum(pos[a] > pos[b] for a in neighbours[left] for b in neighbours[right])


def _total_crossings(rows: list[list[str]], down: dict[str, list[str]]) -> int:
    """Edge crossings between all pairs of adjacent rows."""
    total = 0
    for upper, lower in zip(rows, rows[1:], strict=False):
        where = {n: i for i, n in enumerate(lower)}
        ends = [(i, where[t]) for i, n in enumerate(upper) for t in down[n] if t in where]
        total += sum(a[0] < b[0] and a[1] > b[1] for a in ends for b in ends)
    return total


def _transpose(rows: list[list[str]], up: dict[str, list[str]],
               down: dict[str, list[str]], passes: int = 6) -> None:
    """Swap neighbours in a row while that removes crossings (after barycenter)."""
    for _ in range(passes):
        improved = False
        positions = [{n: i for i, n in enumerate(row)} for row in rows]
        for r, row in enumerate(rows):
            above = positions[r - 1] if r > 0 else {}
            below = positions[r + 1] if r + 1 < len(rows) else {}
            for i in range(len(row) - 1):
                u, v = row[i], row[i + 1]
                now = _crossings(u, v, up, above) + _crossings(u, v, down, below)
                swapped = _crossings(v, u, up, above) + _crossings(v, u, down, below)
                if swapped < now:
                    row[i], row[i + 1] = v, u
                    positions[r][u], positions[r][v] = i + 1, i
                    improved = True
        if not improved:
            return


def _is_dummy(node_id: str) -> bool:
    return node_id.startswith("\0")


def _gap(a: str, b: str, spacing: float) -> float:
    """Centre distance needed between neighbours: boxes need a box width, bends less."""
    dummies = _is_dummy(a) + _is_dummy(b)
    return spacing if dummies == 0 else (spacing / 2 + 0.2 if dummies == 1 else 0.15)


def _place_row(row: list[str], neighbours: dict[str, list[str]], x: dict[str, float],
               spacing: float) -> None:
    """Move nodes towards the mean x of their neighbours, by priority, keeping order.

    Boxes go first, those with more connections earliest, then the bends of
    long edges, which make room. A node never pushes one placed before it; it
    only pushes the not-yet-placed nodes beside it (the "priority method").
    """
    n = len(row)
    wanted = []
    for node_id in row:
        # Boxes line up with the boxes they connect to; bends of long edges (skip
        # connections, masks) do not pull them sideways, so main paths stay straight.
        ns = [x[m] for m in neighbours[node_id] if _is_dummy(node_id) or not _is_dummy(m)]
        ns = ns or [x[m] for m in neighbours[node_id]]
        wanted.append(sum(ns) / len(ns) if ns else x[node_id])

    def priority(i: int) -> tuple[int, int]:
        return (0 if _is_dummy(row[i]) else 1, len(neighbours[row[i]]))

    fixed = [False] * n
    for i in sorted(range(n), key=priority, reverse=True):
        low, high = float("-inf"), float("inf")
        distance = 0.0
        for j in range(i - 1, -1, -1):
            distance += _gap(row[j], row[j + 1], spacing)
            if fixed[j]:
                low = x[row[j]] + distance
                break
        distance = 0.0
        for j in range(i + 1, n):
            distance += _gap(row[j - 1], row[j], spacing)
            if fixed[j]:
                high = x[row[j]] - distance
                break
        x[row[i]] = min(max(wanted[i], low), high) if low <= high else (low + high) / 2
        fixed[i] = True
        for j in range(i - 1, -1, -1):
            if fixed[j]:
                break
            x[row[j]] = min(x[row[j]], x[row[j + 1]] - _gap(row[j], row[j + 1], spacing))
        for j in range(i + 1, n):
            if fixed[j]:
                break
            x[row[j]] = max(x[row[j]], x[row[j - 1]] + _gap(row[j - 1], row[j], spacing))


@dataclass(frozen=True)
class DenseNetwork:
    """A tiny stack of Dense layers, neuron by neuron, for the neuron view.

    Attributes:
        layer_sizes: neurons per column, inputs first, e.g. ``[2, 3, 1]``.
        weights: one ``(n_in, n_out)`` kernel per Dense layer (numpy arrays).
        biases: one ``(n_out,)`` vector per Dense layer (zeros when unused).
        activations: activation name per Dense layer.
        layer_names: names of the Dense layers.
    """

    layer_sizes: list[int]
    weights: list[Any]
    biases: list[Any]
    activations: list[str]
    layer_names: list[str]


def dense_network(model: Any, max_neurons: int = 32) -> DenseNetwork:
    """Read the kernels of a small all-Dense model for the neuron view.

    Args:
        model: a built model whose weighted layers are all ``Dense`` (``Input``,
            ``Flatten``, ``Dropout`` and ``Activation`` are allowed in between).
        max_neurons: the widest column that still draws legibly.

    Returns:
        A :class:`DenseNetwork` with the current weights.

    Raises:
        ModelError: the model is unbuilt, has other weighted layers, or is too wide.

    Example:
        >>> import keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3),
        ...                           keras.layers.Dense(1)])
        >>> dense_network(model).layer_sizes
        [2, 3, 1]
    """
    import keras
    import numpy as np

    if not isinstance(model, keras.Model) or not model.built:
        raise ModelError(
            f"Expected a built keras.Model. Received: {type(model).__name__}"
            + ("" if not isinstance(model, keras.Model) else " that is not built") + ".",
            hint="give it an Input, e.g. keras.Sequential([keras.Input((2,)), ...]).",
        )
    passive = (keras.layers.InputLayer, keras.layers.Flatten, keras.layers.Dropout,
               keras.layers.Activation)
    dense_layers = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            dense_layers.append(layer)
        elif not isinstance(layer, passive):
            raise ModelError(
                f"Expected only Dense layers for the neuron view. Received: layer "
                f"{layer.name!r} of type {type(layer).__name__}.",
                hint="use show_diagram(model) for other architectures.",
            )
    if not dense_layers:
        raise ModelError(
            f"Expected at least one Dense layer. Received: model {model.name!r} without one.",
            hint="add keras.layers.Dense(units) layers.",
        )
    weights = [np.asarray(layer.kernel) for layer in dense_layers]
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    if max(sizes) > max_neurons:
        raise ModelError(
            f"Expected at most {max_neurons} neurons per layer for the neuron view. "
            f"Received: layer sizes {sizes}.",
            hint="use show_diagram(model) for wide layers, or raise max_neurons.",
        )
    biases = [np.asarray(layer.bias) if layer.use_bias else np.zeros(w.shape[1])
              for layer, w in zip(dense_layers, weights, strict=True)]
    activations = [keras.activations.serialize(layer.activation) for layer in dense_layers]
    activations = [a if isinstance(a, str) else str(a.get("config", a)) for a in activations]
    return DenseNetwork(sizes, weights, biases, activations, [la.name for la in dense_layers])


# ------------------------------------------------------------- collapsed blocks
@dataclass(frozen=True)
class CollapsedGraph:
    """A big model's graph with runs of layers collapsed into blocks.

    Attributes:
        graph: the collapsed graph; a block is a :class:`LayerNode` of type
            ``"Block"`` whose ``params`` are the sum over its layers.
        blocks: block id -> the ids of its layers in ``full`` (topological order).
        full: the uncollapsed graph.
    """

    graph: ModelGraph
    blocks: dict[str, tuple[str, ...]]
    full: ModelGraph

    def members(self, block_id: str) -> list[LayerNode]:
        """The layers inside a block.

        Raises:
            ModelError: ``block_id`` is not a block of this graph.
        """
        if block_id not in self.blocks:
            raise ModelError(
                f"Expected a block id of this diagram. Received: {block_id!r}.",
                hint=f"use one of {list(self.blocks)[:8]}.",
            )
        return [self.full.node(i) for i in self.blocks[block_id]]


BLOCK_PREFIX = "block:"


def _tokens(name: str) -> list[str]:
    return [t for t in name.split("_") if t]


def _common_prefix(names: list[str]) -> str:
    """The longest ``_``-separated prefix shared by every name ("" when none)."""
    split = [_tokens(n) for n in names]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if common and all(len(s) == len(common) for s in split) and len(names) > 1:
        common = common[:-1]  # identical names: keep them apart
    return "_".join(common)


def _block_name(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    prefix = _common_prefix(names)
    if prefix:
        return prefix
    # blocks that end in a named join (InceptionV3's mixed3): name them by it
    return names[-1] if len(names) > 2 else f"{names[0]} … {names[-1]}"


def _cut_segments(graph: ModelGraph) -> list[list[str]]:
    """Split the topological order after every node all paths pass through.

    Edges leaving an input (e.g. a padding mask fed to every transformer layer)
    are ignored, so such inputs do not glue the whole model into one block.
    """
    order = [n.id for n in graph.nodes]
    pos = {node_id: i for i, node_id in enumerate(order)}
    inputs = {n.id for n in graph.nodes if n.is_input}
    crossing = [0] * (len(order) + 1)
    own = [0] * len(order)
    for edge in graph.edges:
        if edge.source in inputs:
            continue
        s, t = pos[edge.source], pos[edge.target]
        if t <= s:
            continue
        crossing[s] += 1
        crossing[t] -= 1
        own[s] += 1
    segments, current, running = [], [], 0
    for i, node_id in enumerate(order):
        running += crossing[i]
        current.append(node_id)
        if node_id in inputs or running - own[i] == 0:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return segments


Segment = tuple[list[str], str]  # (node ids, label)


def _merge(segments: list[Segment], keep: set[str], key: Any) -> list[Segment]:
    """Join runs of adjacent segments with the same non-empty ``key(label, ids)``."""
    runs: list[list[Segment]] = []
    last_key = None
    for segment in segments:
        k = None if keep & set(segment[0]) else key(*segment[::-1])
        if runs and k and k == last_key:
            runs[-1].append(segment)
        else:
            runs.append([segment])
        last_key = k
    return [_join(run) for run in runs]


def _stem(label: str) -> tuple[str, str, str]:
    """``"mixed2 … mixed3"`` -> ("mixed", "2", "3"); no numbered stem -> ("", "", "")."""
    head, tail = label.split(" … ")[0], label.split(" … ")[-1]
    first = re.fullmatch(r"(\D+?)_?(\d+)(?:–\d+)?", head)
    last = re.fullmatch(r"(\D+?)_?(\d+)(?:–(\d+))?", tail)
    if first and last and first.group(1) == last.group(1):
        return first.group(1), first.group(2), last.group(3) or last.group(2)
    return "", "", ""


def _join(run: list[Segment]) -> Segment:
    if len(run) == 1:
        return run[0]
    labels = [label for _, label in run]
    stem, a, b = _stem(f"{labels[0]} … {labels[-1]}")
    ends = f"{labels[0].split(' … ')[0]} … {labels[-1].split(' … ')[-1]}"
    label = _common_prefix(labels) or (f"{stem}{a}–{b}" if stem else ends)
    return [i for ids, _ in run for i in ids], label


def collapse_blocks(graph: ModelGraph, max_boxes: int = 12) -> CollapsedGraph:
    """Collapse a big graph into at most about ``max_boxes`` blocks.

    Nested models (expanded) become one block each. Otherwise the layers are cut
    where every path passes through one layer (a residual block ends at its
    ``add``; an Inception module at its ``mixedN``); if that leaves too many
    boxes, neighbouring blocks with the same name prefix merge (``conv2_block1..3``
    -> ``conv2``), then runs of single layers (a stem), then the smallest
    neighbours. Inputs and outputs always keep their own box. The parameter
    totals of the blocks add up to the model's ``count_params()``.

    Args:
        graph: from :func:`model_graph`.
        max_boxes: the most boxes wanted (a graph this small stays as it is).

    Returns:
        A :class:`CollapsedGraph`.

    Raises:
        ModelError: ``max_boxes`` < 2.

    Example:
        >>> collapsed = collapse_blocks(model_graph(resnet))  # doctest: +SKIP
        >>> [n.name for n in collapsed.graph.nodes][:4]       # doctest: +SKIP
        ['input_layer', 'conv1', 'pool1', 'conv2']
    """
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 2:
        raise ModelError(f"Expected max_boxes >= 2. Received: max_boxes={max_boxes!r}.",
                         hint="use e.g. max_boxes=12.")
    names = {n.id: n.name for n in graph.nodes}
    keep = {n.id for n in graph.nodes if n.is_input or n.is_output}
    if any(n.parent for n in graph.nodes):
        groups: dict[str, list[str]] = {}
        for n in graph.nodes:
            groups.setdefault(n.parent.split("/")[0] if n.parent else n.id, []).append(n.id)
        segments = [(ids, top if len(ids) > 1 else names[ids[0]]) for top, ids in groups.items()]
    else:
        segments = [(ids, _block_name([names[i] for i in ids])) for ids in _cut_segments(graph)]
        if len(segments) > max_boxes:  # conv2_block1, conv2_block2 -> conv2
            segments = _merge(segments, keep, lambda label, _ids: (_tokens(label) or [""])[0])
        if len(segments) > max_boxes:  # a stem of single layers -> one block
            segments = _merge(segments, keep, lambda _label, ids: "one" if len(ids) == 1 else None)
        while len(segments) > max_boxes:
            # numbered neighbours first (mixed4 + mixed5), then the smallest pair
            pairs = [(not _stem(f"{a[1]} … {b[1]}")[0], len(a[0]) + len(b[0]), i)
                     for i, (a, b) in enumerate(zip(segments, segments[1:], strict=False))
                     if not keep & (set(a[0]) | set(b[0]))]
            if not pairs:
                break
            *_, i = min(pairs)
            segments[i:i + 2] = [_join(segments[i:i + 2])]
    return _collapsed(graph, segments)


def _collapsed(graph: ModelGraph, segments: list[Segment]) -> CollapsedGraph:
    owner: dict[str, str] = {}
    nodes: list[LayerNode] = []
    blocks: dict[str, tuple[str, ...]] = {}
    for segment, name in segments:
        members = [graph.node(i) for i in segment]
        if len(segment) == 1:
            owner[segment[0]] = segment[0]
            nodes.append(members[0])
            continue
        block_id = BLOCK_PREFIX + name
        while block_id in blocks:
            block_id += "'"
        blocks[block_id] = tuple(segment)
        for node_id in segment:
            owner[node_id] = block_id
        nodes.append(LayerNode(
            id=block_id, name=name, type="Block", kind="block",
            output_shape=members[-1].output_shape,
            params=sum(m.params for m in members),
            trainable_params=sum(m.trainable_params for m in members),
            is_output=any(m.is_output for m in members),
        ))
    edges: dict[tuple[str, str], Edge] = {}
    tensors: dict[tuple[str, str], set[str]] = {}  # one tensor may feed several members
    for edge in graph.edges:
        source, target = owner[edge.source], owner[edge.target]
        if source == target:
            continue
        seen = tensors.setdefault((source, target), set())
        seen.add(edge.source)
        edges[(source, target)] = Edge(source, target, edge.shape, len(seen))
    collapsed = ModelGraph(name=graph.name, nodes=nodes, edges=list(edges.values()),
                           total_params=graph.total_params,
                           trainable_params=graph.trainable_params,
                           connections_known=graph.connections_known)
    return CollapsedGraph(collapsed, blocks, graph)


def expand_block(collapsed: CollapsedGraph, block_id: str) -> CollapsedGraph:
    """The same collapsed graph with one block opened into its layers.

    Args:
        collapsed: from :func:`collapse_blocks`.
        block_id: a key of ``collapsed.blocks`` (or a block's name).

    Raises:
        ModelError: no such block.
    """
    by_name = {collapsed.graph.node(b).name: b for b in collapsed.blocks}
    block_id = by_name.get(block_id, block_id)
    collapsed.members(block_id)  # validates
    segments: list[Segment] = []
    for node in collapsed.graph.nodes:
        if node.id == block_id:
            segments += [([i], collapsed.full.node(i).name) for i in collapsed.blocks[node.id]]
        elif node.id in collapsed.blocks:
            segments.append((list(collapsed.blocks[node.id]), node.name))
        else:
            segments.append(([node.id], node.name))
    return _collapsed(collapsed.full, segments)

