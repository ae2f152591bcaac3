"""Train/validation/test splits by item (a poem, a message) with a fixed seed.

Splitting *by item* matters for text: if lines of one poem land in both the
training and the test set, the test accuracy measures memory, not style.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_lib.errors import TextError

__all__ = ["Split", "split_items"]


@dataclass(frozen=True)
class Split:
    """Index arrays of a three-way split (disjoint, together every item once)."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    def take(self, items: Sequence[Any]) -> tuple[list[Any], list[Any], list[Any]]:
        """The items of each part: ``train, val, test = split.take(texts)``."""
        return tuple([items[i] for i in part] for part in (self.train, self.val, self.test))


def split_items(n_items: int, val_fraction: float = 0.15, test_fraction: float = 0.15,
                seed: int = 42, stratify: Sequence[Any] | None = None) -> Split:
    """Shuffle ``n_items`` item indices with ``seed`` and cut them into train/val/test.

    Args:
        n_items: number of items (poems, messages, sentences).
        val_fraction: share for validation (every model choice is made on it).
        test_fraction: share for the test set (touched once, at the end).
        seed: the same seed gives the same split on every machine.
        stratify: optional label per item; then each label is split in the same
            proportions (every class appears in every part).

    Returns:
        A :class:`Split` of sorted index arrays.

    Raises:
        TextError: fractions outside [0, 1) or summing to 1 or more, too few items,
            or ``stratify`` of the wrong length.

    Example:
        >>> split = split_items(10, 0.2, 0.2, seed=0)
        >>> sorted(map(len, (split.train, split.val, split.test)))
        [2, 2, 6]
    """
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise TextError(f"Expected val_fraction, test_fraction in [0, 1) with a sum below 1. "
                        f"Received: val_fraction={val_fraction}, test_fraction={test_fraction}.",
                        hint="use e.g. val_fraction=0.15, test_fraction=0.15.")
    if n_items < 3:
        raise TextError(f"Expected at least 3 items to split. Received: n_items={n_items}.",
                        hint="check that the dataset loaded.")
    rng = np.random.default_rng(seed)
    if stratify is None:
        groups = [np.arange(n_items)]
    else:
        labels = np.asarray(stratify)
        if len(labels) != n_items:
            raise TextError(f"Expected one stratify label per item ({n_items}). Received: "
                            f"{len(labels)} labels.", hint="pass the labels of the same items.")
        groups = [np.flatnonzero(labels == value) for value in np.unique(labels)]
    parts: list[list[np.ndarray]] = [[], [], []]
    for group in groups:
        order = rng.permutation(group)
        n_val = int(round(val_fraction * len(order)))
        n_test = int(round(test_fraction * len(order)))
        parts[0].append(order[n_val + n_test:])
        parts[1].append(order[:n_val])
        parts[2].append(order[n_val:n_val + n_test])
    train, val, test = (np.sort(np.concatenate(p)).astype(np.int64) for p in parts)
    return Split(train, val, test)
