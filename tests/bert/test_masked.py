"""BERT's masking rule, the tiny masked LM and masked-word prediction."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.bert import (
    BertError,
    NoMaskError,
    mask_statistics,
    masked_lm_dataset,
    predict_masked,
    tiny_masked_lm,
)
from course_lib.bert.masked import pack, pack_batch

from .conftest import CORPUS

pytestmark = pytest.mark.slow


def _originals(tokenizer, texts, length):
    rows = []
    for text in texts:
        ids = pack(tokenizer, text)
        ids = ids[: length - 1] + [ids[-1]] if len(ids) > length else ids
        rows.append(ids + [0] * (length - len(ids)))
    rows = np.array(rows)
    assert np.array_equal(rows, pack_batch(tokenizer, texts, length))
    return rows


def test_masking_rates_follow_the_80_10_10_rule(small_tokenizer):
    import keras

    keras.utils.set_random_seed(1)
    texts = CORPUS * 10
    x, y, w = masked_lm_dataset(small_tokenizer, texts, sequence_length=12)
    mask_id = small_tokenizer.token_to_id("[MASK]")
    specials = (0, small_tokenizer.token_to_id("[CLS]"), small_tokenizer.token_to_id("[SEP]"))
    stats = mask_statistics(_originals(small_tokenizer, texts, 12), x, w, mask_id, specials)
    assert stats["n_selected"] > 2000
    assert abs(stats["selected"] - 0.15) < 0.02, stats
    assert abs(stats["mask"] - 0.8) < 0.03, stats
    assert abs(stats["random"] - 0.1) < 0.03, stats
    assert abs(stats["unchanged"] - 0.1) < 0.03, stats
    # y holds the original tokens: unmasking must give back the packed sentences
    original = _originals(small_tokenizer, texts, 12)
    rows = np.repeat(np.arange(len(texts))[:, None], y.shape[1], axis=1)
    real = w > 0
    assert np.array_equal(original[rows, x["mask_positions"]][real], y[real])
    assert not np.isin(y[real], specials).any(), "special tokens are never selected"


def test_tiny_mlm_learns_and_predicts(small_tokenizer):
    import keras

    keras.utils.set_random_seed(0)
    model = tiny_masked_lm(small_tokenizer.vocabulary_size(), 12, embedding_dim=32,
                           num_heads=2, intermediate_dim=64, num_layers=1, dropout=0.0)
    losses = []
    for _ in range(6):  # fresh masking every round
        x, y, w = masked_lm_dataset(small_tokenizer, CORPUS * 5, sequence_length=12)
        history = model.fit(x, y, sample_weight=w, epochs=1, batch_size=32, verbose=0)
        losses.append(history.history["loss"][-1])
    assert losses[-1] < 0.6 * losses[0], f"masked-LM loss should fall: {losses}"
    guess = predict_masked(model, small_tokenizer, "the cat sat on the [MASK] .", k=5)
    probs = [p for _, p in guess.candidates[0]]
    assert len(probs) == 5 and probs == sorted(probs, reverse=True)
    assert sum(probs) <= 1.0 + 1e-6
    assert guess.best()[0] in {"mat", "rug", "table"}, guess.candidates
    assert guess.tokens[guess.mask_positions[0]] == "[MASK]"
    assert "[MASK]" not in guess.filled()
    two = predict_masked(model, small_tokenizer, "[MASK] love my [MASK] .", k=3)
    assert len(two.candidates) == 2 and two.mask_positions == [1, 4]


def test_predict_masked_with_a_keras_hub_mlm_head(encoder):
    import keras_hub

    model = keras_hub.models.BertMaskedLM(encoder.backbone, preprocessor=None)
    guess = predict_masked(model, encoder.tokenizer, "paris is the [MASK] of france .", k=4)
    probs = [p for _, p in guess.candidates[0]]
    assert len(probs) == 4 and all(0 <= p <= 1 for p in probs) and sum(probs) <= 1 + 1e-6
    assert guess.tokens[0] == "[CLS]" and guess.tokens[-1] == "[SEP]"


def test_bad_masked_queries(small_tokenizer):
    import keras

    keras.utils.set_random_seed(0)
    model = tiny_masked_lm(small_tokenizer.vocabulary_size(), 8, mask_selection_length=2,
                           embedding_dim=16, num_heads=1, intermediate_dim=16, num_layers=1)
    with pytest.raises(NoMaskError, match="Received: 'the cat sat'"):
        predict_masked(model, small_tokenizer, "the cat sat")
    with pytest.raises(BertError, match="at most 2"):
        predict_masked(model, small_tokenizer, "[MASK] [MASK] [MASK]")
    with pytest.raises(BertError, match="at most 8 tokens"):
        predict_masked(model, small_tokenizer, "the cat sat on the mat and the [MASK] .")
    with pytest.raises(BertError, match="k >= 1"):
        predict_masked(model, small_tokenizer, "the [MASK]", k=0)
