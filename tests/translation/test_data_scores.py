"""Cleaning, markers, split, teacher forcing, BLEU/chrF."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.translation.data import (
    clean_sentence,
    length_statistics,
    prepare_translation_data,
    split_pairs,
    with_markers,
)
from course_lib.translation.errors import TranslationError
from course_lib.translation.scores import corpus_scores, sentence_scores

PAIRS = [("Go.", "Va !"), ("Run!", "Cours\u202f!"), ("I\u2019m OK.", "Je vais bien."),
         ("Hello world.", "Salut le monde."), ("The cat sleeps.", "Le chat dort."),
         ("We are happy.", "Nous sommes heureux."), ("He is tall.", "Il est grand."),
         ("She is here.", "Elle est ici."), ("I am hungry.", "J'ai faim."),
         ("It is cold.", "Il fait froid.")] * 3


def test_clean_sentence():
    assert clean_sentence("Cours\u202f!") == "cours !"
    assert clean_sentence("I\u2019m OK.") == "i'm ok ."
    assert clean_sentence("  Salut,   le monde ?") == "salut , le monde ?"
    assert with_markers("salut") == "[start] salut [end]"
    with pytest.raises(TranslationError, match="int"):
        clean_sentence(3)


def test_split_is_seeded_disjoint_and_complete():
    pairs = [(f"e{i}", f"f{i}") for i in range(100)]
    a, b = split_pairs(pairs, seed=1), split_pairs(pairs, seed=1)
    assert a == b
    assert split_pairs(pairs, seed=2).test != a.test
    together = a.train + a.val + a.test
    assert sorted(together) == sorted(pairs) and len(a.val) == 15 and len(a.test) == 15
    with pytest.raises(TranslationError, match="val_fraction"):
        split_pairs(pairs, val_fraction=0.6, test_fraction=0.5)


@pytest.mark.slow
def test_teacher_forcing_shift_and_vocabularies():
    data = prepare_translation_data(PAIRS, max_words=6)
    assert "[start]" in data.target_vocabulary and "[end]" in data.target_vocabulary
    (source, decoder_inputs), labels = data.arrays("train")
    start = data.target_vocabulary.index("[start]")
    assert (decoder_inputs[:, 0] == start).all()
    assert np.array_equal(decoder_inputs[:, 1:], labels[:, :-1]), "labels = inputs shifted left"
    assert source.shape[1] == data.source_length and labels.shape[1] == data.target_length
    with pytest.raises(TranslationError, match="which"):
        data.arrays("testing")


def test_length_statistics():
    stats = length_statistics(["a b", "a b c d", "a"])
    assert stats["max"] == 4 and stats["median"] == 2


def test_scores():
    perfect = corpus_scores(["Le chat dort."], ["le chat dort ."])
    assert perfect["bleu"] == pytest.approx(100.0) and perfect["chrf"] == pytest.approx(100.0)
    worse = corpus_scores(["le chien mange ."], ["le chat dort ."])
    assert worse["bleu"] < 50 and worse["chrf"] < perfect["chrf"]
    per = sentence_scores(["le chat dort .", "bonjour"], ["le chat dort .", "salut"])
    assert per[0]["bleu"] > per[1]["bleu"]
    with pytest.raises(TranslationError, match="2 hypotheses, 1 references"):
        corpus_scores(["a", "b"], ["a"])
    with pytest.raises(TranslationError, match="single string"):
        corpus_scores("le chat", "le chat")
