"""course_lib.text against hand-checked values (no TensorFlow)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.errors import CourseError, TextError
from course_lib.text import (
    build_vocabulary,
    collision_rate,
    count_vectors,
    expected_collision_rate,
    explain_sentence,
    hash_tokens,
    idf_weights,
    make_ngrams,
    multi_hot,
    one_hot_rows,
    pad_sequences,
    skipgram_pairs,
    split_items,
    standardize,
    term_frequency,
    tf_idf_vectors,
    to_sequences,
    tokenize,
)

DOCS = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog?"]


def test_standardize_and_tokenize_like_keras_defaults():
    assert standardize("Don't STOP, (now)!") == "dont stop now"
    assert tokenize("  The  cat,\tthe\nhat. ") == ["the", "cat", "the", "hat"]
    assert tokenize("ab c", split="character") == ["a", "b", " ", "c"]
    assert tokenize("Ab, c", split=None) == ["ab c"]
    assert tokenize("Ab", standardize_mode=None) == ["Ab"]
    assert tokenize("a b c", ngrams=(2,)) == ["a b", "b c"]
    assert make_ngrams(["a", "b", "c"], 3)[-1] == "a b c"


def test_vocabulary_order_frequency_then_reverse_token():
    vocab = build_vocabulary(DOCS)
    assert vocab[:5] == ["", "[UNK]", "the", "dog", "cat"]
    assert set(vocab[5:]) == {"sat", "on", "my", "mat", "homework", "ate", "and"}
    assert vocab[5:] == sorted(vocab[5:], reverse=True)
    assert build_vocabulary(DOCS, max_tokens=4, mask=False) == ["[UNK]", "the", "dog", "cat"]


def test_vocabulary_larger_than_corpus_is_said():
    with pytest.raises(TextError, match="max_tokens=50") as info:
        build_vocabulary(DOCS, max_tokens=50)
    assert "12" in str(info.value)  # 10 words + 2 special entries
    assert len(build_vocabulary(DOCS, max_tokens=50, strict=False)) == 12
    with pytest.raises(TextError, match="max_tokens=2"):
        build_vocabulary(DOCS, max_tokens=2)


@pytest.mark.parametrize("bad", [[], "just one string", ["ok", 3]])
def test_bad_corpus_raises_course_error(bad):
    with pytest.raises(CourseError):
        build_vocabulary(bad)


def test_one_hot_multi_hot_counts():
    vocab = build_vocabulary(DOCS, mask=False)
    counts = count_vectors(["the cat the zebra"], vocab)[0]
    assert counts[vocab.index("the")] == 2 and counts[vocab.index("cat")] == 1
    assert counts[0] == 1  # zebra is [UNK]
    assert counts.sum() == 4
    assert multi_hot(["the cat the zebra"], vocab)[0].sum() == 3
    rows = one_hot_rows([2, 0, 2], 4)
    assert rows.shape == (3, 4) and (rows.sum(axis=1) == 1).all() and rows[0, 2] == 1
    with pytest.raises(TextError):
        one_hot_rows([4], 4)


def test_course_tf_idf_formulas_by_hand():
    vocab = build_vocabulary(DOCS, mask=False)
    counts = count_vectors(DOCS, vocab)
    tf = term_frequency(counts, "max")
    the = vocab.index("the")
    assert tf[0, the] == 1.0 and tf[0, vocab.index("cat")] == 0.5
    idf = idf_weights(DOCS, vocab, kind="course")
    assert idf[the] == pytest.approx(math.log(3 / 2))
    assert idf[vocab.index("sat")] == pytest.approx(math.log(3))
    assert np.isinf(idf[0])  # [UNK] occurs in no training text
    vec = tf_idf_vectors(["the the sat"], vocab, idf, kind="course")[0]
    assert vec[the] == pytest.approx(math.log(1.5))
    assert vec[vocab.index("sat")] == pytest.approx(0.5 * math.log(3))
    assert vec[0] == 0.0


def test_keras_idf_unknown_gets_mean():
    vocab = build_vocabulary(DOCS, mask=False)
    idf = idf_weights(DOCS, vocab, kind="keras")
    assert idf[vocab.index("the")] == pytest.approx(math.log(1 + 3 / 3))
    assert idf[0] == pytest.approx(idf[1:].mean())


def test_to_sequences_and_truncation_is_said():
    vocab = build_vocabulary(DOCS)
    seq = to_sequences(["the cat sat", "dog"], vocab, max_length=2)
    assert seq.tolist() == [[2, 4], [3, 0]]
    with pytest.raises(TextError, match="max_length=2") as info:
        to_sequences(["the cat sat"], vocab, max_length=2, truncate=None)
    assert "truncate=" in str(info.value)
    assert pad_sequences([[1, 2, 3]], 2, truncate="pre").tolist() == [[2, 3]]
    assert pad_sequences([[1]], 3, padding="pre").tolist() == [[0, 0, 1]]
    assert pad_sequences([[1, 2], [3]]).tolist() == [[1, 2], [3, 0]]
    with pytest.raises(TextError):
        to_sequences(["a"], build_vocabulary(DOCS, mask=False))


def test_hashing_collision_rate_matches_theory():
    tokens = [f"word{i}" for i in range(2000)]
    rate = collision_rate(tokens, hash_tokens(tokens, 4096))
    assert abs(rate - expected_collision_rate(2000, 4096)) < 0.05
    assert collision_rate(["a", "b", "c"], [0, 0, 1]) == pytest.approx(2 / 3)
    assert collision_rate(["a", "a"], [5, 5]) == 0.0
    assert (hash_tokens(tokens[:10], 7) < 7).all()
    with pytest.raises(TextError):
        hash_tokens(["a"], 0)


def test_split_items_disjoint_reproducible_stratified():
    labels = np.array([0] * 60 + [1] * 30 + [2] * 10)
    a = split_items(100, 0.2, 0.1, seed=3, stratify=labels)
    b = split_items(100, 0.2, 0.1, seed=3, stratify=labels)
    assert all(np.array_equal(x, y) for x, y in zip((a.train, a.val, a.test),
                                                    (b.train, b.val, b.test), strict=True))
    together = np.concatenate([a.train, a.val, a.test])
    assert sorted(together.tolist()) == list(range(100))
    assert set(labels[a.test]) == {0, 1, 2} and len(a.val) == 20
    assert not np.array_equal(split_items(100, seed=4).train, split_items(100, seed=5).train)
    with pytest.raises(TextError):
        split_items(100, 0.6, 0.5)


def test_skipgram_pairs_are_neighbours():
    seqs = [[2, 3, 4, 5, 0, 0], [6, 1, 7]]
    pairs = skipgram_pairs(seqs, vocab_size=8, window=1, negatives=3, seed=0)
    got = {(int(t), int(c)) for t, c in zip(pairs.targets, pairs.contexts[:, 0], strict=True)}
    assert got == {(2, 3), (3, 2), (3, 4), (4, 3), (4, 5), (5, 4), (6, 7), (7, 6)}
    assert pairs.contexts.shape == (8, 4) and pairs.labels[:, 0].all()
    assert not pairs.labels[:, 1:].any()
    assert not np.isin(pairs.contexts[:, 1:], [0, 1]).any()


def test_explain_sentence_all_views_agree():
    vocab = build_vocabulary(DOCS)  # with padding: the explorer drops it
    v = explain_sentence("The cat and the zebra", vocab, idf=np.arange(len(vocab)), num_buckets=4)
    assert v.tokens == ["the", "cat", "and", "the", "zebra"]
    assert v.vocabulary[0] == "[UNK]" and v.unknown == ["zebra"]
    assert (v.one_hot.sum(axis=0) == v.counts).all()
    assert v.tf_idf[v.vocabulary.index("the")] == 2 * (vocab.index("the"))
    assert (v.buckets < 4).all() and 0 <= v.bucket_collisions <= 1
    assert v.table()[0]["token"] == "the"
    with pytest.raises(TextError):
        explain_sentence("?!", vocab)
