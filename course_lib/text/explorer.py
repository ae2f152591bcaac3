"""One sentence through every text-to-numbers step (compute half of the explorer view)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_lib.errors import TextError
from course_lib.text.vectorize import (
    MASK_TOKEN,
    OOV_TOKEN,
    collision_rate,
    count_vectors,
    hash_tokens,
    lookup,
    one_hot_rows,
    tf_idf_vectors,
    tokenize,
)

__all__ = ["SentenceVectors", "explain_sentence"]


@dataclass(frozen=True)
class SentenceVectors:
    """A sentence and all its vectorizations over one vocabulary.

    Attributes:
        sentence: the input.
        tokens: its tokens.
        indices: index of each token in ``vocabulary`` (``[UNK]``'s for unknown ones).
        vocabulary: the bag-of-words vocabulary (``[UNK]`` first, no padding).
        one_hot: ``(len(tokens), len(vocabulary))`` one row per token.
        multi_hot, counts, tf_idf: ``(len(vocabulary),)`` vectors.
        buckets: hashed bucket of every token; ``num_buckets`` buckets.
        bucket_collisions: fraction of the sentence's distinct tokens that share a bucket.
    """

    sentence: str
    tokens: list[str]
    indices: np.ndarray
    vocabulary: list[str]
    one_hot: np.ndarray
    multi_hot: np.ndarray
    counts: np.ndarray
    tf_idf: np.ndarray
    buckets: np.ndarray
    num_buckets: int
    bucket_collisions: float

    @property
    def unknown(self) -> list[str]:
        """Tokens not in the vocabulary."""
        oov = self.vocabulary.index(OOV_TOKEN)
        return [t for t, i in zip(self.tokens, self.indices, strict=True) if i == oov]

    def table(self) -> list[dict[str, Any]]:
        """One row per token: token, index, hashed bucket, count and tf-idf of its entry."""
        return [{"token": t, "index": int(i), "bucket": int(b), "count": float(self.counts[i]),
                 "tf_idf": float(self.tf_idf[i])}
                for t, i, b in zip(self.tokens, self.indices, self.buckets, strict=True)]


def explain_sentence(sentence: str, vocabulary: Sequence[str], idf: Any | None = None,
                     num_buckets: int = 16, **options: Any) -> SentenceVectors:
    """Tokens, indices, one-hot rows, multi-hot/count/TF-IDF vectors and hash buckets.

    Args:
        sentence: one sentence.
        vocabulary: from ``build_vocabulary(..., mask=False)`` or a layer's
            ``get_vocabulary()`` (a leading ``""`` is dropped).
        idf: idf weights aligned with the vocabulary (``None``: all ones, so the
            TF-IDF vector equals the counts).
        num_buckets: buckets of the hashing trick.
        **options: tokenizer options as in :func:`course_lib.text.tokenize`.

    Raises:
        TextError: an empty sentence (no tokens), or idf of the wrong length.

    Example:
        >>> v = explain_sentence("the cat", ["[UNK]", "the", "cat"])
        >>> v.indices.tolist(), v.counts.tolist()
        ([1, 2], [0.0, 1.0, 1.0])
    """
    if isinstance(vocabulary, str | bytes) or not isinstance(vocabulary, Sequence | np.ndarray):
        raise TextError(
            f"Expected vocabulary to be a list of tokens. Received: vocabulary of type "
            f"{type(vocabulary).__name__} ({str(vocabulary)[:40]!r}).",
            hint="use build_vocabulary(texts) or layer.get_vocabulary() of a TextVectorization.")
    vocabulary = list(vocabulary)
    if not all(isinstance(token, str) for token in vocabulary):
        odd = next(t for t in vocabulary if not isinstance(t, str))
        raise TextError(
            f"Expected vocabulary to be a list of token strings. Received: an entry {odd!r:.40} "
            f"(a {type(odd).__name__}).",
            hint="use build_vocabulary(texts) or layer.get_vocabulary() of a TextVectorization.")
    if not isinstance(sentence, str):
        raise TextError(f"Expected sentence to be a string. Received: sentence={sentence!r:.60} "
                        f"(a {type(sentence).__name__}).", hint='e.g. "the movie was great".')
    if idf is not None:
        idf = np.asarray(idf, dtype=np.float64)
        if idf.shape != (len(vocabulary),):
            raise TextError(f"Expected idf aligned with the vocabulary ({len(vocabulary)},). "
                            f"Received: {idf.shape}.", hint="use idf_weights(texts, vocabulary).")
    if vocabulary and vocabulary[0] == MASK_TOKEN:
        vocabulary = vocabulary[1:]
        idf = None if idf is None else idf[1:]
    tokens = tokenize(sentence, **options)
    if not tokens:
        raise TextError(f"Expected a sentence with at least one token. Received: {sentence!r}.",
                        hint="type a few words.")
    indices = lookup(tokens, vocabulary)
    counts = count_vectors([sentence], vocabulary, **options)[0]
    weights = np.ones(len(vocabulary)) if idf is None else idf
    buckets = hash_tokens(tokens, num_buckets)
    return SentenceVectors(
        sentence=sentence, tokens=tokens, indices=indices, vocabulary=vocabulary,
        one_hot=one_hot_rows(indices, len(vocabulary)), multi_hot=(counts > 0).astype(np.float32),
        counts=counts, tf_idf=tf_idf_vectors([sentence], vocabulary, weights, **options)[0],
        buckets=buckets, num_buckets=num_buckets,
        bucket_collisions=collision_rate(tokens, buckets))
