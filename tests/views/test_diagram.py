"""Layer diagram and neuron view: graph content, layout, SVG/matplotlib output, errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.errors import ModelError, ViewError
from course_lib.models.diagram import dense_network, layer_kind, layered_layout, model_graph
from course_lib.views.diagram import (
    KIND_COLORS,
    TRAINABLE_COLORS,
    diagram_svg,
    draw_diagram,
    draw_neurons,
    neuron_svg,
    show_diagram,
)

SVG = "{http://www.w3.org/2000/svg}"


def _mlp():
    return keras.Sequential(
        [keras.Input((4,), name="x"), keras.layers.Dense(8, activation="relu", name="hidden"),
         keras.layers.Dropout(0.1, name="drop"), keras.layers.Dense(3, name="out")],
        name="mlp",
    )


def test_sequential_graph_matches_summary(parse_summary):
    model = _mlp()
    graph = model_graph(model)
    assert [n.name for n in graph.nodes] == ["x", "hidden", "drop", "out"]
    assert [(e.source, e.target) for e in graph.edges] == [("x", "hidden"), ("hidden", "drop"),
                                                         ("drop", "out")]
    rows = parse_summary(model)
    for name, (type_name, shape, params) in rows.items():
        node = graph.node(name)
        assert (node.type, node.output_shape, node.params) == (type_name, shape, params)
    assert graph.total_params == model.count_params() == 4 * 8 + 8 + 8 * 3 + 3


def test_trainable_state_and_totals_follow_freezing(gallery):
    model = gallery.nested_classifier()
    model.get_layer("features").trainable = False
    graph = model_graph(model)
    assert graph.node("features").trainable_state == "frozen"
    assert graph.node("head").trainable_state == "trainable"
    assert graph.node("x").trainable_state == "no weights"
    assert graph.trainable_params == 2 * 4 + 2
    assert graph.non_trainable_params == 8 * 6 + 6 + 6 * 4 + 4
    svg = show_diagram(graph, color_by="trainable").svg
    assert TRAINABLE_COLORS["frozen"] in svg and TRAINABLE_COLORS["trainable"] in svg


def test_nested_model_collapsed_or_expanded(gallery):
    model = gallery.nested_classifier()
    collapsed = model_graph(model)
    expanded = model_graph(model, expand_nested=True)
    assert [n.id for n in collapsed.nodes] == ["x", "features", "head"]
    assert collapsed.node("features").type == "Sequential"
    assert collapsed.node("features").params == 82
    assert [n.id for n in expanded.nodes] == ["x", "features/features_in", "features/f1",
                                             "features/f2", "head"]
    assert expanded.predecessors("head") == ["features/f2"]
    assert expanded.node("features/f1").parent == "features"
    assert collapsed.total_params == expanded.total_params == model.count_params()
    svg = show_diagram(model, expand_nested=True).svg
    assert "features (nested model)" in svg
    assert len(ET.fromstring(svg).findall(f"{SVG}rect[@class='group']")) == 1


def test_subclassed_model_falls_back_to_layer_order():
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__(name="tiny")
            self.a = keras.layers.Dense(3, name="a")
            self.b = keras.layers.Dense(1, name="b")

        def call(self, x):
            return self.b(self.a(x))

    model = Tiny()
    model(np.zeros((1, 2), "float32"))
    graph = model_graph(model)
    assert not graph.connections_known
    assert [(e.source, e.target) for e in graph.edges] == [("a", "b")]
    assert graph.total_params == model.count_params() == 2 * 3 + 3 + 3 + 1
    assert "connections unknown" in show_diagram(model).svg


def test_layout_rows_follow_longest_path_and_keep_spacing(gallery):
    graph = model_graph(gallery.ticket_triage())
    layout = layered_layout(graph)
    ranks = {k: r for k, (_, r) in layout.positions.items()}
    assert ranks["concatenate"] == 3 and ranks["priority"] == 4
    # "tags" feeds concatenate directly: it is pulled down next to it, not left at the top.
    assert ranks["tags"] == 2
    for r in set(ranks.values()):
        xs = sorted(layout.positions[k][0] for k in ranks if ranks[k] == r)
        assert all(b - a >= 1.2 - 1e-9 for a, b in zip(xs, xs[1:], strict=False))


def test_svg_boxes_carry_name_type_shape_params():
    model = _mlp()
    root = ET.fromstring(diagram_svg(model))
    boxes = {g.get("data-id"): g for g in root.findall(f"{SVG}g[@class='node']")}
    assert set(boxes) == {"x", "hidden", "drop", "out"}
    texts = [t.text for t in boxes["hidden"].findall(f"{SVG}text")]
    assert texts == ["hidden", "Dense", "(None, 8)  ·  40 params"]
    assert boxes["hidden"].get("data-params") == "40"
    assert KIND_COLORS["dense"] in ET.tostring(boxes["hidden"]).decode()
    assert show_diagram(model)._repr_svg_() == diagram_svg(model)


def test_matplotlib_diagram_draws_into_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    returned = draw_diagram(_mlp(), ax=right)
    assert returned is right
    texts = [t.get_text() for t in right.texts]
    assert {"hidden", "Dense", "out"} <= set(texts)
    assert any("Total params: 67" in t for t in texts)
    assert not left.texts
    assert len(right.patches) >= 4 + 3  # boxes + arrows


def test_save_writes_svg_and_png(tmp_path):
    diagram = show_diagram(_mlp())
    svg = diagram.save(tmp_path / "m.svg")
    png = diagram.save(tmp_path / "m.png")
    assert svg.read_text().startswith("<svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ViewError, match=r"m\.gif"):
        diagram.save(tmp_path / "m.gif")


def test_layer_kinds():
    assert [layer_kind(n) for n in ("Conv2D", "MaxPooling2D", "LSTM", "TransformerEncoder",
                                   "ReversibleEmbedding", "BatchNormalization", "Add",
                                   "InputLayer", "Lambda")] == [
        "conv", "pool", "recurrent", "attention", "embedding", "norm", "merge", "input", "other"]


def test_bad_inputs_raise_course_errors():
    with pytest.raises(ModelError, match="Dense"):
        model_graph(keras.layers.Dense(2))
    unbuilt = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ModelError, match="build"):
        model_graph(unbuilt)
    with pytest.raises(ViewError, match="'rainbow'"):
        show_diagram(_mlp(), color_by="rainbow")
    with pytest.raises(ModelError, match="'nope'"):
        model_graph(_mlp()).node("nope")


# ----------------------------------------------------------------- neuron view
def _tiny_net():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].kernel.assign([[2.0, -1.0, 0.0], [0.5, 0.25, -0.5]])
    return model


def test_neuron_view_uses_the_actual_weights():
    model = _tiny_net()
    net = dense_network(model)
    assert net.layer_sizes == [2, 3, 1]
    assert net.activations == ["tanh", "sigmoid"]
    np.testing.assert_allclose(net.weights[0], [[2.0, -1.0, 0.0], [0.5, 0.25, -0.5]])
    root = ET.fromstring(neuron_svg(model))
    assert len(root.findall(f"{SVG}circle[@class='neuron']")) == 2 + 3 + 1
    lines = root.findall(f"{SVG}line[@class='weight']")
    assert len(lines) == 2 * 3 + 3 * 1
    first = {line.find(f"{SVG}title").text: line for line in lines[:6]}
    widest = max(lines, key=lambda line: float(line.get("stroke-width")))
    assert widest.find(f"{SVG}title").text == "w[0,0] = +2.000"
    assert first["w[0,1] = -1.000"].get("stroke") == "#d95f02"  # negative: orange
    assert first["w[0,0] = +2.000"].get("stroke") == "#2166ac"  # positive: blue
    assert float(first["w[0,1] = -1.000"].get("stroke-width")) == pytest.approx(0.3 + 4.2 / 2)


def test_neuron_view_matplotlib():
    ax = draw_neurons(_tiny_net())
    assert len(ax.collections) == 2 + 3  # two weight collections + three neuron columns
    assert sum(len(c.get_offsets()) for c in ax.collections[2:]) == 6


def test_neuron_view_refuses_other_or_wide_models():
    conv = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3)])
    with pytest.raises(ModelError, match="Conv2D"):
        dense_network(conv)
    wide = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10)])
    with pytest.raises(ModelError, match="784"):
        dense_network(wide)
