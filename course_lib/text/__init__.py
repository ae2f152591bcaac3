"""Text to numbers: tokens, vocabularies, bag-of-words vectors, TF-IDF, hashing, sequences.

Pure NumPy functions mirror ``keras.layers.TextVectorization`` step by step
(:mod:`course_lib.text.vectorize`); :mod:`course_lib.text.layers` builds and
adapts the Keras layer itself; :mod:`course_lib.text.splits` splits by item
with a fixed seed; :mod:`course_lib.text.skipgram` makes word2vec training
pairs; :mod:`course_lib.text.explorer` computes what the vectorization
explorer (:mod:`course_lib.views.text`) draws. No TensorFlow at import time.

Example:
    >>> from course_lib.text import build_vocabulary, multi_hot
    >>> vocab = build_vocabulary(["a b", "b c"], mask=False)
    >>> multi_hot(["b b z"], vocab).tolist()
    [[1.0, 1.0, 0.0, 0.0]]
"""

from __future__ import annotations

from course_lib.text.explorer import SentenceVectors, explain_sentence
from course_lib.text.layers import adapted_text_vectorization, text_dataset
from course_lib.text.skipgram import SkipgramPairs, skipgram_pairs
from course_lib.text.splits import Split, split_items
from course_lib.text.vectorize import (
    MASK_TOKEN,
    OOV_TOKEN,
    build_vocabulary,
    collision_rate,
    count_vectors,
    document_frequencies,
    expected_collision_rate,
    hash_tokens,
    idf_weights,
    lookup,
    make_ngrams,
    multi_hot,
    one_hot_rows,
    pad_sequences,
    standardize,
    term_frequency,
    tf_idf_vectors,
    to_sequences,
    tokenize,
)

__all__ = [
    "MASK_TOKEN",
    "OOV_TOKEN",
    "SentenceVectors",
    "SkipgramPairs",
    "Split",
    "adapted_text_vectorization",
    "build_vocabulary",
    "collision_rate",
    "count_vectors",
    "document_frequencies",
    "expected_collision_rate",
    "explain_sentence",
    "hash_tokens",
    "idf_weights",
    "lookup",
    "make_ngrams",
    "multi_hot",
    "one_hot_rows",
    "pad_sequences",
    "skipgram_pairs",
    "split_items",
    "standardize",
    "term_frequency",
    "text_dataset",
    "tf_idf_vectors",
    "to_sequences",
    "tokenize",
]
