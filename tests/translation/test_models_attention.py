"""Masks of the translators, the Translator bundle, save/load, attention replay."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.translation.attention import (
    crop_maps,
    cross_attention_of,
    translator_attention,
)
from course_lib.translation.errors import (
    AttentionLayerError,
    EmptySentenceError,
    TranslationError,
    UnknownWordsError,
)
from course_lib.translation.models import (
    load_translator,
    padding_difference,
    save_translator,
    transformer_translator,
)
from tests.translation.conftest import SOURCE_VOCAB, TARGET_VOCAB

pytestmark = pytest.mark.slow

SOURCE = np.array([[2, 3, 7], [4, 5, 6]], dtype="int32")
PREFIX = np.array([[2, 4, 5, 6], [2, 5, 7, 8]], dtype="int32")


def test_transformer_padded_source_gives_the_same_output(tiny_transformer):
    assert padding_difference(tiny_transformer.model, SOURCE, PREFIX, extra=5) < 1e-5


def test_transformer_without_padding_masks_changes_with_padding():
    import keras

    keras.utils.set_random_seed(3)
    buggy = transformer_translator(len(SOURCE_VOCAB), len(TARGET_VOCAB), 12, 8, embed_dim=16,
                                   heads=2, intermediate_dim=32, layers=2, padding_masks=False)
    assert padding_difference(buggy, SOURCE, PREFIX, extra=5) > 1e-4


def test_transformer_decoder_is_causal(tiny_transformer):
    import keras

    model = tiny_transformer.model
    changed = PREFIX.copy()
    changed[:, -1] = 9
    a = keras.ops.convert_to_numpy(model([SOURCE, PREFIX], training=False))
    b = keras.ops.convert_to_numpy(model([SOURCE, changed], training=False))
    assert np.allclose(a[:, :-1], b[:, :-1], atol=1e-6), "earlier positions saw a later word"
    assert not np.allclose(a[:, -1], b[:, -1], atol=1e-6)


def test_padded_target_prefix_leaves_real_positions_unchanged(tiny_transformer):
    import keras

    model = tiny_transformer.model
    padded = np.pad(PREFIX, ((0, 0), (0, 3)))
    a = keras.ops.convert_to_numpy(model([SOURCE, PREFIX], training=False))
    b = keras.ops.convert_to_numpy(model([SOURCE, padded], training=False))
    assert np.allclose(a, b[:, :PREFIX.shape[1]], atol=1e-5)


def test_lstm_padded_source_gives_the_same_output(tiny_lstm):
    assert padding_difference(tiny_lstm.model, SOURCE, PREFIX, extra=5) < 1e-5


def test_encode_errors(tiny_transformer):
    with pytest.raises(EmptySentenceError, match="Received: ''"):
        tiny_transformer.encode("")
    with pytest.raises(EmptySentenceError):
        tiny_transformer.encode("   ")
    with pytest.raises(UnknownWordsError, match="zebra"):
        tiny_transformer.encode("zebra quokka")
    ids, tokens = tiny_transformer.encode("Hello, zebra world!")
    assert tokens == ["hello", ",", "zebra", "world", "!"]
    assert ids == [2, 1, 1, 3, 1]


def test_translate_returns_steps(tiny_transformer):
    result = tiny_transformer.translate("hello world", beam_width=3, top_k=4)
    assert result.source_tokens == ("hello", "world")
    assert 1 <= len(result.steps) <= tiny_transformer.target_length
    assert all(len(s.candidates) == 4 for s in result.steps)
    assert tiny_transformer.translate_many(["hello world"]) == \
        [tiny_transformer.translate("hello world").text]


def test_save_and_load_roundtrip(tiny_transformer, tmp_path):
    import keras

    path = save_translator(tiny_transformer, tmp_path / "t")
    loaded = load_translator(directory=path)
    a = keras.ops.convert_to_numpy(tiny_transformer.model([SOURCE, PREFIX], training=False))
    b = keras.ops.convert_to_numpy(loaded.model([SOURCE, PREFIX], training=False))
    assert np.allclose(a, b, atol=1e-6)
    assert loaded.target_vocabulary == TARGET_VOCAB
    with pytest.raises(TranslationError, match="train_translator.py"):
        load_translator(directory=tmp_path / "nothing")


def test_transformer_attention_maps(tiny_transformer):
    att = translator_attention(tiny_transformer, "the cat sleeps .",
                               translation=["le", "chat", "dort"])
    assert att.source_tokens == ["the", "cat", "sleeps", "."]
    assert att.target_tokens == ["[start]", "le", "chat", "dort"]
    assert att.encoder.scores.shape == (2, 2, 4, 4)
    assert att.decoder.scores.shape == (2, 2, 4, 4)
    assert att.cross.scores.shape == (2, 2, 4, 4)
    for maps in (att.encoder, att.decoder, att.cross):
        assert np.allclose(maps.scores.sum(axis=-1), 1.0, atol=1e-5)
    upper = np.triu(np.ones((4, 4), dtype=bool), k=1)
    assert np.allclose(att.decoder.scores[..., upper], 0.0), "decoder must not look ahead"
    assert att.cross.query_tokens == att.target_tokens
    assert att.cross.key_tokens == att.source_tokens


def test_attention_layer_errors(tiny_transformer, tiny_lstm):
    att = translator_attention(tiny_transformer, "hello world", translation=["salut"])
    assert cross_attention_of(att, "decoder_1").layer_names == ["decoder_1 cross-attention"]
    with pytest.raises(AttentionLayerError, match="decoder_7"):
        cross_attention_of(att, "decoder_7")
    with pytest.raises(AttentionLayerError, match="kind='encoders'"):
        att.maps("encoders")
    lstm_att = translator_attention(tiny_lstm, "hello world", translation=["salut", "monde"])
    assert lstm_att.cross.scores.shape == (1, 1, 3, 2)
    assert np.allclose(lstm_att.cross.scores.sum(axis=-1), 1.0, atol=1e-5)
    with pytest.raises(AttentionLayerError, match="only cross-attention"):
        lstm_att.maps("encoder")


def test_crop_keeps_long_sentences_readable():
    from course_lib.models.attention import AttentionMaps

    n = 60
    scores = np.full((1, 1, n, n), 1.0 / n)
    maps = AttentionMaps(scores, [f"q{i}" for i in range(n)], [f"k{i}" for i in range(n)],
                         ["l"])
    window = crop_maps(maps, max_tokens=20, query_start=30, key_start=5)
    assert window.scores.shape == (1, 1, 20, 20)
    assert window.query_tokens[0] == "q30" and window.key_tokens[-1] == "k24"
    with pytest.raises(TranslationError, match="query_start"):
        crop_maps(maps, query_start=60)
