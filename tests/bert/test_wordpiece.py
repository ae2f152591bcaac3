"""WordPiece vocabulary training and splitting."""

from __future__ import annotations

import pytest

from course_lib.bert import SPECIAL_TOKENS, BertError, split_words, train_wordpiece
from course_lib.bert.wordpiece import wordpiece_tokenizer

from .conftest import CORPUS

pytestmark = pytest.mark.slow


def test_vocabulary_reserves_special_tokens_and_splits_unknown_words(small_tokenizer):
    vocab = small_tokenizer.get_vocabulary()
    assert vocab[:5] == SPECIAL_TOKENS
    assert "cat" in vocab and "the" in vocab
    pieces = split_words(small_tokenizer, "cats")
    assert pieces in (["cats"], ["cat", "##s"]), pieces
    unseen = split_words(small_tokenizer, "catdog")
    assert len(unseen) >= 2 and all(p.startswith("##") for p in unseen[1:]), unseen
    assert split_words(small_tokenizer, "the [MASK] sat") == ["the", "[MASK]", "sat"]
    assert "[UNK]" in split_words(small_tokenizer, "ü")


def test_bigger_budget_gives_longer_pieces():
    small = train_wordpiece(CORPUS, vocabulary_size=40)
    big = train_wordpiece(CORPUS, vocabulary_size=200)
    assert len(small) <= 40 < len(big)
    assert split_words(wordpiece_tokenizer(big), "playing") == ["playing"]
    assert split_words(wordpiece_tokenizer(small), "playing") != ["playing"], \
        "a 40-piece vocabulary cannot hold whole words like 'playing'"


def test_bad_input():
    with pytest.raises(BertError, match="non-empty"):
        train_wordpiece([], 100)
    with pytest.raises(BertError, match="vocabulary_size > 5"):
        train_wordpiece(CORPUS, 5)
    with pytest.raises(BertError, match=r"\[MASK\]"):
        wordpiece_tokenizer(["[PAD]", "[CLS]", "[SEP]", "[UNK]", "a"])
