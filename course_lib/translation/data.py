"""English–French pairs ready for a translator: cleaning, markers, vectorizers, split, datasets.

Compute only. The pairs come from :func:`course_lib.data.load_fra_eng`; every
text-to-numbers step goes through ``keras.layers.TextVectorization``.

Example:
    >>> from course_lib.translation.data import clean_sentence, with_markers
    >>> clean_sentence("Salut, le monde !")
    'salut , le monde !'
    >>> with_markers("salut le monde")
    '[start] salut le monde [end]'
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from course_lib.translation.errors import TranslationError, VocabularyError

__all__ = [
    "END",
    "START",
    "SplitPairs",
    "TranslationData",
    "clean_sentence",
    "encode_sources",
    "encode_targets",
    "label_weights",
    "length_statistics",
    "make_vectorizer",
    "prepare_translation_data",
    "split_pairs",
    "teacher_forcing_arrays",
    "teacher_forcing_dataset",
    "vectorizer_from_vocabulary",
    "with_markers",
]

START = "[start]"
END = "[end]"

_PUNCTUATION = re.compile(r"([.,!?;:«»\"()¿¡…])")
_SPACES = re.compile(r"\s+")


def clean_sentence(text: str) -> str:
    """Lower-case, normalise Unicode and put spaces around punctuation.

    NFKC turns the narrow no-break space French puts before ``!``/``?`` into a
    plain space, and curly apostrophes become ``'`` so ``j'ai`` is one word
    whichever way it was typed.

    Args:
        text: one sentence.

    Returns:
        The cleaned sentence: words and punctuation marks separated by single spaces.

    Raises:
        TranslationError: ``text`` is not a string.

    Example:
        >>> clean_sentence("Cours\u202f!")
        'cours !'
    """
    if not isinstance(text, str):
        raise TranslationError(
            f"Expected a sentence as a string. Received: {type(text).__name__} {text!r:.60}.",
            hint="pass one sentence, e.g. clean_sentence('Hello world.').",
        )
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = _PUNCTUATION.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()


def with_markers(text: str) -> str:
    """``[start] text [end]``: what the decoder reads and writes."""
    return f"{START} {text} {END}"


@dataclass(frozen=True)
class SplitPairs:
    """Pairs split into train / validation / test (each a list of ``(english, french)``)."""

    train: list[tuple[str, str]]
    val: list[tuple[str, str]]
    test: list[tuple[str, str]]


def split_pairs(pairs: Sequence[tuple[str, str]], val_fraction: float = 0.15,
                test_fraction: float = 0.15, seed: int = 42) -> SplitPairs:
    """Shuffle the pairs with a fixed seed and split them by pair.

    Args:
        pairs: ``(english, french)`` pairs.
        val_fraction: share for validation.
        test_fraction: share for the final test (never used for training or grading).
        seed: the shuffle's seed; the same seed gives the same split.

    Returns:
        :class:`SplitPairs`.

    Raises:
        TranslationError: fractions outside ``[0, 1)`` or summing to 1 or more, or too few pairs.

    Example:
        >>> split = split_pairs([("a", "b")] * 100)
        >>> len(split.train), len(split.val), len(split.test)
        (70, 15, 15)
    """
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1
            and val_fraction + test_fraction < 1):
        raise TranslationError(
            f"Expected fractions in [0, 1) summing to less than 1. Received: "
            f"val_fraction={val_fraction}, test_fraction={test_fraction}.",
            hint="e.g. val_fraction=0.15, test_fraction=0.15.",
        )
    pairs = list(pairs)
    if len(pairs) < 3:
        raise TranslationError(
            f"Expected at least 3 pairs to split. Received: {len(pairs)}.",
            hint="load more pairs, e.g. load_fra_eng(max_pairs=5000).",
        )
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    n_val = int(round(val_fraction * len(pairs)))
    n_test = int(round(test_fraction * len(pairs)))
    shuffled = [pairs[i] for i in order]
    return SplitPairs(train=shuffled[n_val + n_test:], val=shuffled[:n_val],
                      test=shuffled[n_val:n_val + n_test])


def make_vectorizer(texts: Sequence[str], max_tokens: int, sequence_length: int,
                    name: str) -> Any:
    """A ``TextVectorization`` over already-cleaned text (split on spaces, no standardising).

    Index 0 is padding, 1 is ``[UNK]``; ``[start]``/``[end]`` are ordinary words
    of the target vocabulary (they occur in every target sentence).

    Args:
        texts: cleaned sentences to learn the vocabulary from (training split only).
        max_tokens: vocabulary size, padding and ``[UNK]`` included.
        sequence_length: every output is padded or cut to this many tokens.
        name: the layer's name.

    Returns:
        An adapted ``keras.layers.TextVectorization``.

    Example:
        >>> v = make_vectorizer(["a b", "b c"], 10, 4, "source")  # doctest: +SKIP
        >>> v.get_vocabulary()  # doctest: +SKIP
        ['', '[UNK]', 'b', 'a', 'c']
    """
    import keras

    vectorizer = keras.layers.TextVectorization(
        max_tokens=max_tokens, output_mode="int", output_sequence_length=sequence_length,
        standardize=None, split="whitespace", name=name)
    vectorizer.adapt(list(texts), batch_size=1024)
    return vectorizer


def vectorizer_from_vocabulary(vocabulary: Sequence[str], sequence_length: int,
                               name: str) -> Any:
    """Rebuild a vectorizer from a saved vocabulary (as returned by ``get_vocabulary()``)."""
    import keras

    vocabulary = list(vocabulary)
    if vocabulary[:2] != ["", "[UNK]"]:
        raise VocabularyError(
            f"Expected a vocabulary starting with '' (padding) and '[UNK]'. Received: "
            f"{vocabulary[:4]}.",
            hint="save the list from vectorizer.get_vocabulary() unchanged.",
        )
    return keras.layers.TextVectorization(
        output_mode="int", output_sequence_length=sequence_length, standardize=None,
        split="whitespace", vocabulary=vocabulary[2:], name=name)


def _ids(vectorizer: Any, texts: Sequence[str]) -> Any:
    import keras
    import numpy as np

    return np.asarray(keras.ops.convert_to_numpy(vectorizer(list(texts))), dtype="int32")


def encode_sources(vectorizer: Any, english: Sequence[str]) -> Any:
    """Source token ids ``(n, source_length)`` of cleaned English sentences."""
    return _ids(vectorizer, english)


def encode_targets(vectorizer: Any, french: Sequence[str]) -> Any:
    """Target ids ``(n, target_length + 1)`` of cleaned French sentences with markers added."""
    return _ids(vectorizer, [with_markers(s) for s in french])


def teacher_forcing_arrays(source_vectorizer: Any, target_vectorizer: Any,
                           pairs: Sequence[tuple[str, str]]) -> tuple[tuple[Any, Any], Any]:
    """Inputs and labels for teacher forcing.

    The decoder reads the target shifted right (``[start] salut le monde``) and
    must predict it shifted left (``salut le monde [end]``): at every position it
    sees the *true* previous words, not its own guesses.

    Args:
        source_vectorizer: from :func:`make_vectorizer` (sequence length ``S``).
        target_vectorizer: from :func:`make_vectorizer` (sequence length ``T + 1``).
        pairs: cleaned ``(english, french)`` pairs.

    Returns:
        ``((source_ids, decoder_inputs), decoder_labels)`` with shapes
        ``(n, S)``, ``(n, T)``, ``(n, T)``.
    """
    english = [e for e, _ in pairs]
    french = [f for _, f in pairs]
    source = encode_sources(source_vectorizer, english)
    target = encode_targets(target_vectorizer, french)
    return (source, target[:, :-1]), target[:, 1:]


def label_weights(labels: Any) -> Any:
    """1.0 where a label is a real word (or ``[end]``), 0.0 on padding: the loss ignores padding."""
    import numpy as np

    return (np.asarray(labels) != 0).astype("float32")


def teacher_forcing_dataset(source_vectorizer: Any, target_vectorizer: Any,
                            pairs: Sequence[tuple[str, str]], batch_size: int = 64,
                            shuffle: bool = True, seed: int = 42) -> Any:
    """A ``tf.data.Dataset`` of ``((source, decoder_inputs), labels, weights)`` batches.

    Example:
        >>> ds = teacher_forcing_dataset(src, tgt, data.split.train)  # doctest: +SKIP
        >>> model.fit(ds, epochs=10)  # doctest: +SKIP
    """
    import tensorflow as tf

    (source, decoder_inputs), labels = teacher_forcing_arrays(
        source_vectorizer, target_vectorizer, pairs)
    ds = tf.data.Dataset.from_tensor_slices(((source, decoder_inputs), labels,
                                             label_weights(labels)))
    if shuffle:
        ds = ds.shuffle(len(labels), seed=seed)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def length_statistics(sentences: Sequence[str]) -> dict[str, float]:
    """Word counts of cleaned sentences: mean, median, 95th percentile, max.

    Example:
        >>> length_statistics(["a b", "a b c d"])["max"]
        4.0
    """
    import numpy as np

    lengths = np.array([len(s.split()) for s in sentences], dtype="float64")
    if lengths.size == 0:
        raise TranslationError("Expected at least one sentence. Received: an empty list.")
    return {"mean": float(lengths.mean()), "median": float(np.median(lengths)),
            "p95": float(np.percentile(lengths, 95)), "max": float(lengths.max())}


@dataclass
class TranslationData:
    """Everything a translator needs: the cleaned split and both vectorizers.

    Attributes:
        split: cleaned pairs (:class:`SplitPairs`).
        source_vectorizer: English ``TextVectorization`` (length ``source_length``).
        target_vectorizer: French ``TextVectorization`` (length ``target_length + 1``).
        source_length: source tokens per sentence.
        target_length: target tokens the decoder reads and writes.
    """

    split: SplitPairs
    source_vectorizer: Any
    target_vectorizer: Any
    source_length: int
    target_length: int

    @property
    def source_vocabulary(self) -> list[str]:
        return [str(w) for w in self.source_vectorizer.get_vocabulary()]

    @property
    def target_vocabulary(self) -> list[str]:
        return [str(w) for w in self.target_vectorizer.get_vocabulary()]

    def arrays(self, which: str) -> tuple[tuple[Any, Any], Any]:
        """Teacher-forcing arrays of ``"train"``, ``"val"`` or ``"test"``."""
        return teacher_forcing_arrays(self.source_vectorizer, self.target_vectorizer,
                                      self._pairs(which))

    def dataset(self, which: str, batch_size: int = 64, shuffle: bool | None = None) -> Any:
        """A batched ``tf.data.Dataset`` of one split (shuffled for ``"train"``)."""
        shuffle = which == "train" if shuffle is None else shuffle
        return teacher_forcing_dataset(self.source_vectorizer, self.target_vectorizer,
                                       self._pairs(which), batch_size, shuffle)

    def _pairs(self, which: str) -> list[tuple[str, str]]:
        if which not in ("train", "val", "test"):
            raise TranslationError(
                f"Expected which in ('train', 'val', 'test'). Received: which={which!r}.")
        return getattr(self.split, which)


def prepare_translation_data(pairs: Sequence[tuple[str, str]], max_words: int | None = None,
                             max_pairs: int | None = None, source_tokens: int = 8000,
                             target_tokens: int = 10000, val_fraction: float = 0.15,
                             test_fraction: float = 0.15, seed: int = 42) -> TranslationData:
    """Clean, filter by length, subsample, split and adapt both vectorizers (on train only).

    Args:
        pairs: raw ``(english, french)`` pairs from :func:`course_lib.data.load_fra_eng`.
        max_words: keep pairs whose cleaned sentences have at most this many tokens each.
        max_pairs: then keep a random sample of this many pairs (seeded).
        source_tokens: English vocabulary size.
        target_tokens: French vocabulary size.
        val_fraction: validation share.
        test_fraction: test share.
        seed: for the sample and the split.

    Returns:
        :class:`TranslationData`.

    Raises:
        TranslationError: nothing left after filtering, or bad fractions.

    Example:
        >>> data = prepare_translation_data(load_fra_eng(), 6, 5000)  # doctest: +SKIP
    """
    cleaned = [(clean_sentence(e), clean_sentence(f)) for e, f in pairs]
    cleaned = [(e, f) for e, f in cleaned if e and f]
    if max_words is not None:
        cleaned = [(e, f) for e, f in cleaned
                   if len(e.split()) <= max_words and len(f.split()) <= max_words]
    if max_pairs is not None and len(cleaned) > max_pairs:
        cleaned = random.Random(seed).sample(cleaned, max_pairs)
    if not cleaned:
        raise TranslationError(
            f"Expected pairs left after filtering. Received: none with max_words={max_words}.",
            hint="raise max_words or pass more pairs.",
        )
    split = split_pairs(cleaned, val_fraction, test_fraction, seed)
    source_length = max(len(e.split()) for e, _ in cleaned)
    target_length = max(len(f.split()) for _, f in cleaned) + 1  # one [start] or [end] more
    source = make_vectorizer([e for e, _ in split.train], source_tokens, source_length,
                             "source_vectorizer")
    target = make_vectorizer([with_markers(f) for _, f in split.train], target_tokens,
                             target_length + 1, "target_vectorizer")
    return TranslationData(split, source, target, source_length, target_length)
