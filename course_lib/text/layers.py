"""Build and adapt a ``keras.layers.TextVectorization`` in one call, with checks.

Keras itself silently accepts an empty corpus (a vocabulary of only ``[UNK]``)
and a ``max_tokens`` larger than the corpus; here both are said.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from course_lib.errors import TextError
from course_lib.text.vectorize import _check_texts

__all__ = ["adapted_text_vectorization", "text_dataset"]


def adapted_text_vectorization(texts: Iterable[str], *, strict: bool = True, **kwargs: Any) -> Any:
    """A ``keras.layers.TextVectorization(**kwargs)`` adapted on ``texts``.

    Args:
        texts: the training texts (never the validation or test texts).
        strict: raise when ``max_tokens`` asks for more entries than the corpus
            has (Keras would return a smaller vocabulary without a word).
        **kwargs: passed to ``TextVectorization`` (``max_tokens``, ``output_mode``,
            ``output_sequence_length``, ``ngrams``, ``split``, ``standardize``, ...).

    Returns:
        The adapted layer.

    Raises:
        TextError: empty ``texts``, or (``strict``) a vocabulary the corpus cannot fill.

    Example:
        >>> layer = adapted_text_vectorization(["a b", "b c"],
        ...                                    output_mode="multi_hot")  # doctest: +SKIP
        >>> layer.get_vocabulary()  # doctest: +SKIP
        ['[UNK]', 'b', 'c', 'a']
    """
    import keras

    texts = _check_texts(texts)
    layer = keras.layers.TextVectorization(**kwargs)
    layer.adapt(texts)
    max_tokens = kwargs.get("max_tokens")
    size = layer.vocabulary_size()
    if strict and max_tokens is not None and size < max_tokens:
        raise TextError(
            f"Expected the corpus to fill max_tokens={max_tokens}. Received: {len(texts)} texts "
            f"with only {size} vocabulary entries (special ones included).",
            hint=f"use max_tokens=None or at most {size}, or strict=False to accept it.")
    return layer


def text_dataset(texts: Iterable[str], labels: Any, layer: Any | None = None,
                 batch_size: int = 32, shuffle: bool = True, seed: int = 42) -> Any:
    """A ``tf.data.Dataset`` of (text, label) batches, vectorized by ``layer`` if given.

    Vectorizing in the pipeline (``dataset.map(layer)``) runs TextVectorization on
    the CPU next to training; putting the layer inside the model instead lets the
    model take raw strings. Both give the same numbers.

    Raises:
        TextError: texts and labels of different lengths.
    """
    import numpy as np
    import tensorflow as tf

    texts = _check_texts(texts)
    labels = np.asarray(labels)
    if len(labels) != len(texts):
        raise TextError(f"Expected one label per text. Received: {len(texts)} texts, "
                        f"{len(labels)} labels.", hint="pass the labels of the same split.")
    data = tf.data.Dataset.from_tensor_slices((texts, labels))
    if shuffle:
        data = data.shuffle(len(texts), seed=seed, reshuffle_each_iteration=True)
    data = data.batch(batch_size)
    if layer is not None:
        data = data.map(lambda x, y: (layer(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    return data.prefetch(tf.data.AUTOTUNE)
