"""WordPiece vocabularies: train one on a corpus, wrap it in a tokenizer, split words.

Thin, checked wrappers around ``keras_hub.tokenizers.compute_word_piece_vocabulary``
and ``keras_hub.tokenizers.WordPieceTokenizer``, with BERT's five special tokens
reserved at the front of the vocabulary (``[PAD]`` = 0).

Example:
    >>> vocab = train_wordpiece(["the cat sat", "the cats sat"], 40)  # doctest: +SKIP
    >>> wordpiece_tokenizer(vocab).tokenize("cats")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from course_lib.bert.errors import BertError

__all__ = ["SPECIAL_TOKENS", "split_words", "train_wordpiece", "wordpiece_tokenizer"]

SPECIAL_TOKENS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]


def train_wordpiece(texts: list[str], vocabulary_size: int, lowercase: bool = True,
                    strip_accents: bool = False) -> list[str]:
    """Learn a WordPiece vocabulary of at most ``vocabulary_size`` entries from ``texts``.

    Args:
        texts: training sentences.
        vocabulary_size: the most entries, the five special tokens included.
        lowercase: lowercase before counting (as uncased BERT does).
        strip_accents: drop accents (``ü`` → ``u``) before counting.

    Returns:
        The vocabulary: special tokens first, then single characters, then longer pieces
        (``##`` marks a piece that continues a word).

    Raises:
        BertError: no texts, or ``vocabulary_size`` too small for the special tokens.

    Example:
        >>> vocab = train_wordpiece(english_sentences, vocabulary_size=2000)  # doctest: +SKIP
    """
    import tensorflow as tf
    from keras_hub.tokenizers import compute_word_piece_vocabulary

    if isinstance(texts, str) or not list(texts):
        raise BertError(
            f"Expected a non-empty list of training texts. Received: {texts!r:.60}.",
            hint="pass e.g. [english for english, _ in load_fra_eng(5000)].",
        )
    if vocabulary_size <= len(SPECIAL_TOKENS):
        raise BertError(
            f"Expected vocabulary_size > {len(SPECIAL_TOKENS)} (the special tokens). Received: "
            f"vocabulary_size={vocabulary_size}.",
            hint="a few thousand pieces suit a small corpus.",
        )
    data = tf.data.Dataset.from_tensor_slices([str(t) for t in texts]).batch(1000)
    return list(compute_word_piece_vocabulary(
        data, vocabulary_size, lowercase=lowercase, strip_accents=strip_accents,
        reserved_tokens=SPECIAL_TOKENS))


def wordpiece_tokenizer(vocabulary: list[str], lowercase: bool = True,
                        strip_accents: bool = False, sequence_length: int | None = None) -> Any:
    """A ``keras_hub.tokenizers.WordPieceTokenizer`` over ``vocabulary`` that knows ``[MASK]``.

    Args:
        vocabulary: from :func:`train_wordpiece` (must contain the special tokens).
        lowercase: as when the vocabulary was trained.
        strip_accents: as when the vocabulary was trained.
        sequence_length: pad/cut outputs to this length (``None``: ragged).

    Returns:
        The tokenizer; special tokens written in strings (``"the [MASK] sat"``) stay whole.

    Raises:
        BertError: a special token is missing from the vocabulary.
    """
    from keras_hub.tokenizers import WordPieceTokenizer

    missing = [t for t in SPECIAL_TOKENS if t not in vocabulary]
    if missing:
        raise BertError(
            f"Expected the special tokens {SPECIAL_TOKENS} in the vocabulary. Received: a "
            f"vocabulary without {missing}.",
            hint="train it with train_wordpiece(), which reserves them.",
        )
    return WordPieceTokenizer(vocabulary=list(vocabulary), lowercase=lowercase,
                              strip_accents=strip_accents, sequence_length=sequence_length,
                              special_tokens=SPECIAL_TOKENS, special_tokens_in_strings=True)


def split_words(tokenizer: Any, text: str) -> list[str]:
    """The WordPiece pieces of ``text`` as strings, e.g. ``['un', '##believ', '##able']``.

    Works with any keras-hub tokenizer that has ``id_to_token`` (WordPiece, BERT).
    """
    import numpy as np

    return [tokenizer.id_to_token(int(i)) for i in np.asarray(tokenizer(text)).reshape(-1)]
