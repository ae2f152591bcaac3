"""Attention viewer: BERT and MultiHeadAttention scores (rows sum to 1), views, errors."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_lib.errors import AttentionError, ModelError, ViewError
from course_lib.models.attention import (
    AttentionMaps,
    attention_from_model,
    bert_attention,
    mha_attention,
)
from course_lib.views.attention import (
    AttentionViewer,
    draw_attention_heads,
    draw_attention_heatmap,
    draw_attention_lines,
    show_attention,
)

SENTENCE = "The cat sat on the mat because it was tired."


@pytest.fixture(scope="module")
def bert_maps(bert):
    backbone, tokenizer = bert
    return bert_attention(backbone, tokenizer, SENTENCE)


def test_bert_maps_shape_rows_and_tokens(bert_maps):
    tokens = ["[CLS]", "the", "cat", "sat", "on", "the", "mat", "because", "it", "was",
              "tired", ".", "[SEP]"]
    assert bert_maps.scores.shape == (6, 12, 13, 13)
    assert bert_maps.query_tokens == bert_maps.key_tokens == tokens
    assert bert_maps.layer_names == [f"transformer_layer_{i}" for i in range(6)]
    np.testing.assert_allclose(bert_maps.scores.sum(axis=-1), 1.0, atol=1e-5)
    assert (bert_maps.scores >= 0).all()


def test_bert_sentence_pair_padding_and_truncation(bert):
    backbone, tokenizer = bert
    maps = bert_attention(backbone, tokenizer, "The cat sat.", text_b="It was tired.",
                          sequence_length=14)
    assert maps.query_tokens == ["[CLS]", "the", "cat", "sat", ".", "[SEP]", "it", "was",
                                 "tired", ".", "[SEP]", "[PAD]", "[PAD]", "[PAD]"]
    np.testing.assert_allclose(maps.scores.sum(axis=-1), 1.0, atol=1e-5)
    assert maps.scores[..., 11:].max() < 1e-6  # nobody attends to padding
    short = bert_attention(backbone, tokenizer, SENTENCE, max_length=6)
    assert short.query_tokens == ["[CLS]", "the", "cat", "sat", "on", "[SEP]"]
    with pytest.raises(AttentionError, match="sequence_length=3"):
        bert_attention(backbone, tokenizer, SENTENCE, sequence_length=3)


class _ShuffledBackbone:
    """A backbone whose layers are replayed in the wrong order (replay must notice)."""

    def __init__(self, backbone):
        self._backbone = backbone
        self.transformer_layers = list(reversed(backbone.transformer_layers))

    def __getattr__(self, name):
        return getattr(self._backbone, name)

    def __call__(self, *args, **kwargs):
        return self._backbone(*args, **kwargs)


def test_replay_must_reproduce_the_backbone(bert):
    backbone, tokenizer = bert
    with pytest.raises(ModelError, match="max difference"):
        bert_attention(_ShuffledBackbone(backbone), tokenizer, "hello world")
    with pytest.raises(ModelError, match="transformer_layers"):
        bert_attention(keras.layers.Dense(2), tokenizer, "hello world")


def test_mha_self_and_cross_attention():
    keras.utils.set_random_seed(0)
    layer = keras.layers.MultiHeadAttention(num_heads=3, key_dim=4, name="mha")
    x = np.random.default_rng(0).normal(size=(5, 8))
    maps = mha_attention(layer, x, tokens=list("abcde"))
    assert maps.scores.shape == (1, 3, 5, 5)
    assert maps.key_tokens == list("abcde")
    np.testing.assert_allclose(maps.scores.sum(-1), 1.0, atol=1e-5)
    memory = np.random.default_rng(1).normal(size=(7, 8))
    mask = np.ones((5, 7), bool)
    mask[:, 5:] = False
    cross = mha_attention(layer, x, value=memory, attention_mask=mask, tokens=list("abcde"),
                          key_tokens=list("ABCDEFG"))
    assert cross.scores.shape == (1, 3, 5, 7)
    np.testing.assert_allclose(cross.scores.sum(-1), 1.0, atol=1e-5)
    assert cross.scores[..., 5:].max() < 1e-6
    with pytest.raises(AttentionError, match="Expected 5 tokens.*Received: 4"):
        mha_attention(layer, x, tokens=list("abcd"))
    with pytest.raises(AttentionError, match=r"\(2, 5, 8\)"):
        mha_attention(layer, np.zeros((2, 5, 8)))
    with pytest.raises(ModelError, match="Dense"):
        mha_attention(keras.layers.Dense(2), x)


def test_attention_inside_a_functional_model(gallery):
    model = gallery.transformer_block()
    x = np.random.default_rng(2).normal(size=(10, 32)).astype("float32")
    maps = attention_from_model(model, "self_attention", x, tokens=[f"t{i}" for i in range(10)])
    _, direct = model.get_layer("self_attention")(x[None], x[None], return_attention_scores=True)
    np.testing.assert_allclose(maps.scores[0], np.asarray(direct)[0], atol=1e-6)
    with pytest.raises(ModelError, match="'norm_1'"):
        attention_from_model(model, "norm_1", x)
    with pytest.raises(ModelError, match="'nope'"):
        attention_from_model(model, "nope", x)


def test_heatmap_shows_the_selected_head_with_token_labels(bert_maps):
    ax = draw_attention_heatmap(bert_maps, layer=3, head=7)
    np.testing.assert_allclose(ax.images[0].get_array(), bert_maps.scores[3, 7])
    assert [t.get_text() for t in ax.get_xticklabels()] == bert_maps.key_tokens
    assert [t.get_text() for t in ax.get_yticklabels()] == bert_maps.query_tokens
    assert ax.get_title() == "transformer_layer_3 — head 7"
    mean = draw_attention_heatmap(bert_maps, layer=3, head=None)
    np.testing.assert_allclose(mean.images[0].get_array(), bert_maps.scores[3].mean(0))
    with pytest.raises(AttentionError, match="head=12"):
        draw_attention_heatmap(bert_maps, layer=0, head=12)
    with pytest.raises(AttentionError, match="layer=6"):
        draw_attention_heatmap(bert_maps, layer=6, head=0)


def test_line_view_draws_links_above_uniform_attention():
    scores = np.zeros((1, 1, 3, 3))
    scores[0, 0] = [[0.8, 0.1, 0.1], [0.2, 0.5, 0.3], [1 / 3, 1 / 3, 1 / 3]]
    maps = AttentionMaps(scores, ["x", "y", "z"], ["x", "y", "z"], ["toy"])
    ax = draw_attention_lines(maps, 0, 0)
    segments = ax.collections[0].get_segments()
    assert len(segments) == 1 + 1 + 3  # 0.8; 0.5; three at exactly 1/3
    assert [t.get_text() for t in ax.texts[:6]] == ["x", "y", "z", "x", "y", "z"]


def test_static_fallback_shows_every_head(bert_maps, monkeypatch):
    monkeypatch.setenv("COURSE_VIEWS", "static")
    fig = show_attention(bert_maps, layer=2)
    assert not plt.get_fignums()  # closed: a notebook shows it once, as the result
    visible = [a for a in fig.axes if a.get_visible()]
    assert [a.get_title() for a in visible] == [f"head {h}" for h in range(12)]
    np.testing.assert_allclose(visible[5].images[0].get_array(), bert_maps.scores[2, 5])
    assert "transformer_layer_2" in fig._suptitle.get_text()
    assert len(draw_attention_heads(bert_maps, 0, columns=5).axes) == 15


def test_viewer_follows_its_controls(bert_maps, monkeypatch):
    viewer = AttentionViewer(bert_maps)
    assert viewer.current == (0, 0)
    assert viewer.layer.max == 5 and len(viewer.head.options) == 13
    viewer.style.value = "heatmap"
    before = viewer.image.value
    viewer.head.value = -1
    assert viewer.current == (0, None)
    assert viewer.image.value != before and viewer.image.value[:4] == b"\x89PNG"
    viewer.layer.value = 4
    assert viewer.current == (4, None)
    assert len(viewer.figure().axes) == 2  # heatmap + colour bar
    monkeypatch.setenv("COURSE_VIEWS", "interactive")
    shown = show_attention(bert_maps, layer=3)
    assert isinstance(shown, AttentionViewer) and shown.current == (3, 0)
    with pytest.raises(ViewError, match="AttentionMaps"):
        show_attention(np.zeros((1, 1, 2, 2)))
