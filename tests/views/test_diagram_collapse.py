"""Diagrams of real architectures fit one screen: blocks collapsed, totals kept, details on hover.

ResNet50 and InceptionV3 are built with ``weights=None`` (no download); BERT is the
small offline backbone the other view tests use.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from course_lib.errors import ModelError
from course_lib.models.diagram import collapse_blocks, expand_block, model_graph
from course_lib.views.diagram import show_diagram

pytestmark = pytest.mark.slow
NS = "{http://www.w3.org/2000/svg}"
SCREEN = (1600, 1300)  # pixels a collapsed diagram must fit in (a laptop screen at 100 %)


@pytest.fixture(scope="module")
def resnet50():
    import keras

    return keras.applications.ResNet50(weights=None)


@pytest.fixture(scope="module")
def inception_v3():
    import keras

    return keras.applications.InceptionV3(weights=None)


def _boxes(svg: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{NS}g") if "node" in g.get("class", "")]


def _check(model, diagram, max_boxes: int = 12) -> list[str]:
    width, height = diagram.size
    assert width <= SCREEN[0] and height <= SCREEN[1], (width, height)
    boxes = _boxes(diagram.svg)
    assert len(boxes) <= max_boxes + 2  # inputs and outputs keep their own box
    assert sum(int(b.get("data-params")) for b in boxes) == model.count_params()
    assert f"Total params: {model.count_params():,}" in diagram.svg
    for box in boxes:  # hover text has the full numbers and shapes
        title = box.find(f"{NS}title").text
        assert f"params: {int(box.get('data-params')):,}" in title
    return [b.get("data-id") for b in boxes]


def test_resnet50_collapses_into_its_stages(resnet50):
    full = model_graph(resnet50)
    assert len(full.nodes) > 150
    diagram = show_diagram(resnet50)
    ids = _check(resnet50, diagram)
    names = [diagram.graph.node(i).name for i in ids]
    assert names[0].startswith("input_layer")  # Keras numbers inputs per session
    assert names[1:] == ["conv1", "pool1", "conv2", "conv3", "conv4", "conv5", "avg_pool",
                         "predictions"]
    conv2 = diagram.collapsed.members("block:conv2")
    assert conv2[0].name == "conv2_block1_1_conv" and conv2[-1].name == "conv2_block3_out"
    opened = diagram.expand("conv2")
    names = [n.name for n in opened.graph.nodes]
    assert "conv2_block1_add" in names and "conv3" in names
    assert sum(n.params for n in opened.graph.nodes) == resnet50.count_params()


def test_inception_v3_collapses_into_modules(inception_v3):
    diagram = show_diagram(inception_v3)
    ids = _check(inception_v3, diagram)
    covered = set()  # every Inception module is in exactly one block: mixed4, mixed8–9, ...
    for i in ids:
        found = re.fullmatch(r"mixed(\d+)(?:–(\d+))?", diagram.graph.node(i).name)
        if found:
            first, last = int(found.group(1)), int(found.group(2) or found.group(1))
            assert not covered & set(range(first, last + 1))
            covered |= set(range(first, last + 1))
    assert covered == set(range(11))
    assert diagram.graph.nodes[-1].name == "predictions"


def test_labels_are_not_cut_and_the_picture_fits_the_width(inception_v3):
    diagram = show_diagram(inception_v3, collapse=False)
    texts = [t.text or "" for t in ET.fromstring(diagram.svg).iter(f"{NS}text")]
    assert not [t for t in texts if re.search(r"\(None, 17, 17, 12…", t)]
    html = show_diagram(inception_v3)._repr_html_()
    assert 'width="100%"' in html and "max-width:" in html
    assert html.count("<details>") == len(show_diagram(inception_v3).blocks)


def test_the_block_table_lists_every_layer_with_its_count(resnet50):
    diagram = show_diagram(resnet50)
    html = diagram.table_html()
    for block_id, members in diagram.blocks.items():
        assert diagram.graph.node(block_id).name in html
        assert all(m in html for m in (diagram.collapsed.full.node(members[0]).name,))
    assert f"{resnet50.count_params():,} params in all" in html


def test_bert_backbone_collapses_its_transformer_layers(bert):
    backbone, _ = bert
    diagram = show_diagram(backbone, collapse=True, max_boxes=8)
    ids = _check(backbone, diagram, max_boxes=8)
    assert any(diagram.graph.node(i).name.startswith("transformer_layer") for i in ids)


def test_small_models_stay_as_they_are(gallery):
    model = gallery.resnet_block()
    assert show_diagram(model).collapsed is None
    assert show_diagram(model, collapse=True).collapsed is not None


def test_bad_collapse_requests(resnet50):
    with pytest.raises(ModelError, match="max_boxes=1"):
        collapse_blocks(model_graph(resnet50), max_boxes=1)
    collapsed = collapse_blocks(model_graph(resnet50))
    with pytest.raises(ModelError, match="'nope'"):
        expand_block(collapsed, "nope")
