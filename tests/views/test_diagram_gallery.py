"""Layer diagrams of real architectures agree with model.summary() and count_params()."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from course_lib.models.diagram import layered_layout, model_graph
from course_lib.views.diagram import ModelDiagram, show_diagram

SVG = "{http://www.w3.org/2000/svg}"

# name -> (nodes, edges, inputs, outputs); counted by hand from gallery.py.
EXPECTED = {
    "question_answering": (8, 7, 2, 1),
    "ticket_triage": (10, 9, 3, 2),
    "age_income_gender": (10, 9, 1, 3),
    "resnet_block": (5, 5, 1, 1),
    "inception_block": (9, 11, 1, 1),
    "siamese_lstm": (6, 5, 2, 1),
    "transformer_block": (8, 9, 1, 1),
}


def _check_against_summary(model, graph, parse_summary):
    rows = parse_summary(model)
    top_level = {n.name: n for n in graph.nodes if n.parent is None}
    assert set(rows) == set(top_level), "every summary row is a box and vice versa"
    for name, (type_name, shape, params) in rows.items():
        node = top_level[name]
        assert (node.type, node.output_shape, node.params) == (type_name, shape, params), name
    assert graph.total_params == model.count_params()
    assert sum(n.params for n in graph.nodes) == model.count_params()


@pytest.mark.parametrize("builder", sorted(EXPECTED))
def test_gallery_model_matches_summary(builder, gallery, parse_summary):
    model = getattr(gallery, builder)()
    graph = model_graph(model)
    _check_against_summary(model, graph, parse_summary)
    nodes, edges, n_in, n_out = EXPECTED[builder]
    assert (len(graph.nodes), len(graph.edges)) == (nodes, edges)
    assert sum(n.is_input for n in graph.nodes) == n_in == len(model.inputs)
    assert sum(n.is_output for n in graph.nodes) == n_out == len(model.outputs)
    layout = layered_layout(graph)
    for edge in graph.edges:
        assert layout.positions[edge.target][1] > layout.positions[edge.source][1]
    root = ET.fromstring(show_diagram(model, collapse=False).svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}g[@class='node']")) == nodes
    assert len(root.findall(f"{ns}polyline[@class='edge']")) == edges


def test_resnet_skip_connection_is_an_edge(gallery):
    graph = model_graph(gallery.resnet_block())
    assert sorted(graph.predecessors("skip_add")) == ["conv_b", "image"]
    layout = layered_layout(graph)
    # The skip edge goes from row 0 to row 3: it bends through one point per row
    # between, placed beside the conv boxes so it does not cross them.
    route = layout.routes[("image", "skip_add")]
    assert [r for _, r in route] == [0, 1, 2, 3]
    for x, r in route[1:-1]:
        conv = "conv_a" if r == 1 else "conv_b"
        assert abs(x - layout.positions[conv][0]) >= 0.8 - 1e-9  # half a box + margin


def test_inception_branches_fan_out_and_merge(gallery):
    graph = model_graph(gallery.inception_block())
    assert len(graph.successors("image")) == 4
    assert len(graph.predecessors("concat")) == 4
    layout = layered_layout(graph)
    row = sorted(x for node, (x, r) in layout.positions.items() if r == 1)
    assert len(row) == 4 and all(b - a >= 1.2 - 1e-9 for a, b in zip(row, row[1:], strict=False))


def test_siamese_shared_layers_are_one_box_called_twice(gallery):
    graph = model_graph(gallery.siamese_lstm())
    assert graph.node("shared_lstm").calls == 2
    assert graph.node("shared_embedding").calls == 2
    assert sorted(graph.predecessors("shared_embedding")) == ["left", "right"]
    assert next(e for e in graph.edges if e.target == "merge").count == 2
    assert "shared ×2" in show_diagram(graph).svg


@pytest.mark.parametrize("expand_nested", [False, True], ids=["collapsed", "expanded"])
def test_nested_model_called_twice_on_its_own_output(gallery, expand_nested):
    # enc(enc(x)) makes the one encoder box (or, expanded, its layers) a loop: the layout
    # raised KeyError in _crossings, as an edge pointed into its own row.
    model = gallery.shared_encoder_twice()
    graph = model_graph(model, expand_nested=expand_nested)
    layout = layered_layout(graph)
    assert set(layout.routes) == {(e.source, e.target) for e in graph.edges}
    for (source, target), route in layout.routes.items():
        assert route[0] == layout.positions[source] and route[-1] == layout.positions[target]
        if source != target:  # every step goes one row up or down
            steps = [abs(b[1] - a[1]) for a, b in zip(route, route[1:], strict=False)]
            assert steps == [1.0] * len(steps), (source, target, route)
    diagram = ModelDiagram(graph)
    tree = ET.fromstring(diagram.svg)
    drawn = {(p.get("data-source"), p.get("data-target"))
             for p in tree.iter(f"{SVG}polyline") if p.get("class") == "edge"}
    assert drawn == set(layout.routes)
    code = "encoder/code" if expand_nested else "encoder"
    assert graph.node(code).calls == 4  # on left, right, left again, then its own output
    assert "shared ×4" in diagram.svg
    if expand_nested:  # the back edge leaves the top of code, enters the bottom of the input
        back = layout.routes[("encoder/code", "encoder/sentence")]
        assert back[0][1] > back[-1][1]
        points = diagram._edge_points("encoder/code", "encoder/sentence")
        code_y = diagram._xy(*layout.positions["encoder/code"])[1]
        assert points[0][1] < code_y and points[-1][1] > points[0][1] - 2 * 92
    else:  # a loop beside the encoder box, right of it
        loop = layout.routes[("encoder", "encoder")]
        x = layout.positions["encoder"][0]
        assert len(loop) == 4 and all(px > x + 0.5 for px, _ in loop[1:-1])
        assert layout.x_max >= loop[1][0]
    assert graph.total_params == model.count_params()
    collapsed = show_diagram(model, expand_nested=expand_nested, collapse=True, max_boxes=4)
    assert sum(n.params for n in collapsed.graph.nodes) == model.count_params()


def test_transformer_block_attention_and_residuals(gallery):
    graph = model_graph(gallery.transformer_block())
    assert graph.node("self_attention").kind == "attention"
    assert sorted(graph.predecessors("residual_1")) == ["self_attention", "tokens"]
    assert sorted(graph.predecessors("residual_2")) == ["ff_2", "norm_1"]


def test_bert_backbone_diagram(bert, parse_summary):
    backbone, _ = bert
    graph = model_graph(backbone)
    _check_against_summary(backbone, graph, parse_summary)
    assert graph.total_params == 22_713_216
    names = [n.name for n in graph.nodes]
    assert names.index("token_ids") < names.index("transformer_layer_0")
    for i in range(5):
        assert graph.successors(f"transformer_layer_{i}") == [f"transformer_layer_{i + 1}"]
    assert {"padding_mask"} <= set(graph.predecessors("transformer_layer_3"))
    assert sorted(n.name for n in graph.nodes if n.is_output) == ["pooled_dense",
                                                                   "transformer_layer_5"]
    svg = show_diagram(backbone).svg
    ET.fromstring(svg)
    assert "Total params: 22,713,216" in svg
