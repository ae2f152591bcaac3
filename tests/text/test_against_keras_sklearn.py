"""course_lib.text numerically against keras.layers.TextVectorization and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import TextError
from course_lib.text import (
    adapted_text_vectorization,
    build_vocabulary,
    count_vectors,
    idf_weights,
    multi_hot,
    text_dataset,
    tf_idf_vectors,
    to_sequences,
)

pytestmark = pytest.mark.slow

TRAIN = [
    "The movie was great, GREAT fun!",
    "A terrible movie; the plot was dull.",
    "Great acting and a great plot.",
    "I didn't like it at all... dull, dull, dull",
    "the end was (surprisingly) great",
    "Worst film of the year? Maybe.",
]
NEW = ["great plot, terrible end", "an unseen word appears", "dull dull great"]


def _np(x):
    import keras

    return keras.ops.convert_to_numpy(x)


@pytest.mark.parametrize("options", [{}, {"ngrams": 2}, {"split": "character"},
                                     {"standardize_mode": "lower"}])
def test_vocabulary_matches_adapt(options):
    kwargs = dict(options)
    if "standardize_mode" in kwargs:
        kwargs["standardize"] = kwargs.pop("standardize_mode")
    layer = adapted_text_vectorization(TRAIN, **kwargs)
    assert build_vocabulary(TRAIN, **options) == layer.get_vocabulary()


@pytest.mark.parametrize("mode", ["multi_hot", "count", "tf_idf"])
@pytest.mark.parametrize("ngrams", [None, 2])
def test_bag_of_words_modes_match(mode, ngrams):
    layer = adapted_text_vectorization(TRAIN, output_mode=mode, ngrams=ngrams, max_tokens=20)
    vocab = build_vocabulary(TRAIN, max_tokens=20, mask=False, ngrams=ngrams)
    assert vocab == layer.get_vocabulary()
    if mode == "multi_hot":
        ours = multi_hot(NEW, vocab, ngrams=ngrams)
    elif mode == "count":
        ours = count_vectors(NEW, vocab, ngrams=ngrams)
    else:
        idf = idf_weights(TRAIN, vocab, kind="keras", ngrams=ngrams)
        ours = tf_idf_vectors(NEW, vocab, idf, kind="keras", ngrams=ngrams)
    np.testing.assert_allclose(ours, _np(layer(NEW)), rtol=1e-5, atol=1e-6)


def test_int_sequences_match():
    layer = adapted_text_vectorization(TRAIN, output_sequence_length=5)
    ours = to_sequences(NEW + TRAIN, layer.get_vocabulary(), max_length=5)
    np.testing.assert_array_equal(ours, _np(layer(NEW + TRAIN)))


def test_sklearn_tfidf_matches():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from course_lib.text import standardize

    sk = TfidfVectorizer(token_pattern=r"(?u)\S+", preprocessor=standardize).fit(TRAIN)
    vocab = ["[UNK]", *sk.get_feature_names_out()]
    idf = idf_weights(TRAIN, vocab, kind="sklearn")
    np.testing.assert_allclose(idf[1:], sk.idf_, rtol=1e-10)
    # scikit-learn drops unknown words: give [UNK] weight 0 to compare
    ours = tf_idf_vectors(TRAIN + NEW, vocab, np.r_[0.0, idf[1:]], kind="sklearn")
    np.testing.assert_allclose(ours[:, 1:], sk.transform(TRAIN + NEW).toarray(), atol=1e-6)
    keras_style = tf_idf_vectors(TRAIN, vocab, idf_weights(TRAIN, vocab, kind="keras"))
    assert not np.allclose(keras_style[:, 1:], sk.transform(TRAIN).toarray(), atol=1e-3)


def test_variants_differ_by_stated_formulas():
    vocab = build_vocabulary(TRAIN, mask=False)
    n, df = len(TRAIN), multi_hot(TRAIN, vocab).sum(axis=0)
    keras_idf = idf_weights(TRAIN, vocab, kind="keras")
    sk_idf = idf_weights(TRAIN, vocab, kind="sklearn")
    np.testing.assert_allclose(keras_idf[1:], np.log(1 + n / (1 + df[1:])))
    np.testing.assert_allclose(sk_idf, np.log((1 + n) / (1 + df)) + 1)
    assert not np.allclose(keras_idf, sk_idf)


def test_strict_adapt_says_vocabulary_too_large():
    with pytest.raises(TextError, match="max_tokens=500"):
        adapted_text_vectorization(TRAIN, max_tokens=500)
    with pytest.raises(TextError):
        adapted_text_vectorization([])
    layer = adapted_text_vectorization(TRAIN, max_tokens=500, strict=False)
    assert layer.vocabulary_size() < 500


def test_text_dataset_in_pipeline_equals_in_model():
    layer = adapted_text_vectorization(TRAIN, output_mode="multi_hot")
    data = text_dataset(TRAIN, np.arange(6), layer, batch_size=6, shuffle=False)
    x, y = next(iter(data))
    np.testing.assert_array_equal(_np(x), multi_hot(TRAIN, layer.get_vocabulary()))
    assert _np(y).tolist() == list(range(6))
    with pytest.raises(TextError):
        text_dataset(TRAIN, [0, 1])
