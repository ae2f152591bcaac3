"""Skip-gram training pairs with negative sampling (word2vec), in NumPy.

Keras 3 dropped ``keras.preprocessing.sequence.skipgrams``; this is the
replacement the notebooks use: for every word (the *target*) each word within
``window`` positions is a positive *context* (label 1), and ``negatives`` words
drawn from the unigram distribution raised to 3/4 are negatives (label 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from course_lib.errors import TextError

__all__ = ["SkipgramPairs", "skipgram_pairs"]


@dataclass(frozen=True)
class SkipgramPairs:
    """Training data of a skip-gram model.

    Attributes:
        targets: ``(n,)`` index of the centre word.
        contexts: ``(n, 1 + negatives)`` the true context word first, then negatives.
        labels: ``(n, 1 + negatives)`` 1 for the true context, 0 for negatives.
    """

    targets: np.ndarray
    contexts: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.targets)


def skipgram_pairs(sequences: Sequence[Sequence[int]], vocab_size: int, window: int = 2,
                   negatives: int = 4, seed: int = 42, skip: Sequence[int] = (0, 1),
                   max_pairs: int | None = None) -> SkipgramPairs:
    """(target, context) pairs within ``window`` plus sampled negatives.

    Args:
        sequences: integer sequences (from ``TextVectorization`` or
            :func:`course_lib.text.to_sequences`); padding is dropped.
        vocab_size: size of the vocabulary (indices are below it).
        window: how many words left and right count as context.
        negatives: negative words per positive pair.
        seed: random seed for the negatives and the subsample.
        skip: indices that are never targets, contexts or negatives (padding ``0``
            and ``[UNK]`` ``1``).
        max_pairs: keep a random subset of at most this many positive pairs.

    Returns:
        :class:`SkipgramPairs`.

    Raises:
        TextError: a bad window/negatives/vocab_size or no pair at all.
    """
    if window < 1 or negatives < 0 or vocab_size <= len(skip):
        raise TextError(f"Expected window >= 1, negatives >= 0 and vocab_size > {len(skip)}. "
                        f"Received: window={window}, negatives={negatives}, "
                        f"vocab_size={vocab_size}.", hint="use e.g. window=2, negatives=4.")
    skip_set = set(int(s) for s in skip)
    clean = [np.array([int(t) for t in seq if int(t) not in skip_set], dtype=np.int64)
             for seq in sequences]
    pairs = []
    for seq in clean:
        for offset in range(1, window + 1):
            if len(seq) > offset:
                pairs.append(np.stack([seq[:-offset], seq[offset:]], axis=1))
                pairs.append(np.stack([seq[offset:], seq[:-offset]], axis=1))
    if not pairs:
        raise TextError("Expected sequences with at least two known words. Received: none.",
                        hint="check the vocabulary covers the texts (too many [UNK]?).")
    positive = np.concatenate(pairs)
    rng = np.random.default_rng(seed)
    if max_pairs is not None and len(positive) > max_pairs:
        positive = positive[rng.choice(len(positive), size=max_pairs, replace=False)]
    counts = np.bincount(np.concatenate(clean), minlength=vocab_size).astype(np.float64)
    counts[list(skip_set)] = 0.0
    weights = counts ** 0.75
    weights /= weights.sum()
    negative = rng.choice(vocab_size, size=(len(positive), negatives), p=weights)
    contexts = np.concatenate([positive[:, 1:2], negative], axis=1)
    labels = np.zeros_like(contexts, dtype=np.float32)
    labels[:, 0] = 1.0
    return SkipgramPairs(positive[:, 0], contexts, labels)
