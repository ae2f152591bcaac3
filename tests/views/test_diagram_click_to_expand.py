"""Collapsed diagrams open a block on click in their HTML form: plain HTML + CSS, no JavaScript.

The browser side (a real click in Chromium, in a page, an HTML export, Voila and
JupyterLab) is in ``tests/browser/test_diagram_expand.py``; here the markup is
checked: one hidden radio button per view, a label over each block box that
selects it, and per block a view of the diagram with that block opened.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from course_lib.errors import ModelError, ViewError
from course_lib.views.diagram import show_diagram

NS = "{http://www.w3.org/2000/svg}"


def stages_model():
    """Two stages of two residual Dense blocks: collapses into stage1 and stage2."""
    import keras

    x = inputs = keras.Input((8,), name="x")
    for stage in (1, 2):
        for block in (1, 2):
            h = keras.layers.Dense(8, name=f"stage{stage}_block{block}_dense")(x)
            x = keras.layers.Add(name=f"stage{stage}_block{block}_add")([x, h])
    return keras.Model(inputs, keras.layers.Dense(2, name="out")(x), name="stages")


@pytest.fixture
def diagram():
    return show_diagram(stages_model(), collapse=True, max_boxes=4)


def _views(root: ET.Element) -> list[ET.Element]:
    return [e for e in root if "course-view" in e.get("class", "")]


def test_each_block_is_a_label_over_its_box_that_selects_its_view(diagram):
    root = ET.fromstring(diagram.html())  # well-formed: every front end parses it alike
    assert [diagram.graph.node(b).name for b in diagram.blocks] == ["stage1", "stage2"]
    uid = root.get("id")
    radios = [e for e in root if e.tag == "input"]
    assert [r.get("id") for r in radios] == [f"{uid}-{i}" for i in range(3)]
    assert {r.get("name") for r in radios} == {uid}
    assert [r.get("checked") for r in radios] == ["checked", None, None]
    views = _views(root)
    assert [v.get("data-block") for v in views] == ["", *diagram.blocks]
    assert [v.get("style") for v in views] == [None, "display:none", "display:none"]
    width, height = diagram.size
    labels = {la.get("data-block"): la for la in views[0].iter("label")}
    assert set(labels) == set(diagram.blocks)
    for i, block_id in enumerate(diagram.blocks, start=1):
        label = labels[block_id]
        assert label.get("for") == f"{uid}-{i}"
        x0, y0, x1, y1 = diagram.box_of(block_id)
        where = dict(re.findall(r"(left|top|width|height):([\d.]+)%", label.get("style")))
        assert float(where["left"]) == pytest.approx(100 * x0 / width, abs=1e-3)
        assert float(where["top"]) == pytest.approx(100 * y0 / height, abs=1e-3)
        assert float(where["width"]) == pytest.approx(100 * (x1 - x0) / width, abs=1e-3)
        assert float(where["height"]) == pytest.approx(100 * (y1 - y0) / height, abs=1e-3)
        # the rectangle drawn for that block is where the label is
        box = next(g for g in views[0].iter(f"{NS}g") if g.get("data-id") == block_id)
        rect = box.find(f"{NS}rect")
        assert float(rect.get("x")) == pytest.approx(x0, abs=0.05)
        assert float(rect.get("y")) == pytest.approx(y0, abs=0.05)
    style = root.find("style").text
    for i in range(3):
        assert (
            f"#{uid} > #{uid}-{i}:checked ~ .course-view-{i}{{display:block !important}}" in style
        )
    assert "<script" not in diagram.html()


def test_each_view_opens_its_block_and_keeps_the_others_clickable(diagram):
    root = ET.fromstring(diagram.html())
    uid = root.get("id")
    for view, (block_id, members) in zip(_views(root)[1:], diagram.blocks.items(), strict=True):
        ids = {g.get("data-id") for g in view.iter(f"{NS}g") if "node" in g.get("class", "")}
        assert set(members) <= ids and block_id not in ids
        texts = [t.text for t in view.iter(f"{NS}text")]
        assert f"{diagram.graph.node(block_id).name} (opened block)" in texts
        close = next(la for la in view.iter("label") if la.get("class") == "course-close")
        assert close.get("for") == f"{uid}-0"
        others = [
            la.get("data-block") for la in view.iter("label") if la.get("class") == "course-open"
        ]
        assert others == [b for b in diagram.blocks if b != block_id]
        params = sum(
            int(g.get("data-params")) for g in view.iter(f"{NS}g") if "node" in g.get("class", "")
        )
        assert params == diagram.graph.total_params  # opening a block keeps the totals


def test_two_outputs_of_one_diagram_do_not_share_ids(diagram):
    first, second = ET.fromstring(diagram.html()), ET.fromstring(diagram._repr_html_())
    assert first.get("id") != second.get("id")
    assert first.get("id") not in diagram._repr_html_()
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_every_view_points_its_arrows_at_its_own_marker(diagram):
    # url(#id) finds the first element with that id in the page: a marker inside a
    # hidden view would draw no arrowheads in the opened one
    for view in _views(ET.fromstring(diagram.html())):
        markers = {m.get("id") for m in view.iter(f"{NS}marker")}
        used = {
            re.fullmatch(r"url\(#(.+)\)", p.get("marker-end")).group(1)
            for p in view.iter(f"{NS}polyline")
        }
        assert len(markers) == 1 and used == markers


def test_small_diagrams_have_nothing_to_open(gallery):
    html = show_diagram(gallery.resnet_block()).html()
    assert "<input" not in html and "<label" not in html
    assert 'width="100%"' in html


def test_expand_frames_the_opened_block_and_names_bad_blocks(diagram):
    opened = diagram.expand("stage2")
    assert opened.opened == ("stage2", diagram.blocks["block:stage2"])
    assert "stage2 (opened block)" in opened.svg
    with pytest.raises(ModelError, match="'stage9'"):
        diagram.expand("stage9")
    with pytest.raises(ViewError, match="block='stage1'"):
        show_diagram(stages_model(), collapse=False).expand("stage1")
