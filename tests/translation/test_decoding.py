"""Greedy and beam search on a model whose probabilities are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_lib.errors import CourseError
from course_lib.translation.decoding import beam_search, greedy_decode, next_token_probabilities
from course_lib.translation.errors import (
    BeamWidthError,
    NotADistributionError,
    VocabularyError,
)
from tests.translation.conftest import VOCAB

pytestmark = pytest.mark.slow
SOURCE = [4, 5]


def test_greedy_takes_the_argmax_each_step(table_model):
    result = greedy_decode(table_model, SOURCE, VOCAB)
    assert result.tokens == ("a",)
    assert [s.chosen for s in result.steps] == ["a", "[end]"]
    assert all(s.chosen == s.candidates[0] for s in result.steps)
    assert math.isclose(result.log_probability, math.log(0.6 * 0.4), rel_tol=1e-6)
    assert result.best.finished


def test_beam_search_finds_the_sequence_greedy_misses(table_model):
    greedy = greedy_decode(table_model, SOURCE, VOCAB)
    beam = beam_search(table_model, SOURCE, VOCAB, beam_width=2)
    assert beam.tokens == ("b",), beam.tokens
    assert math.isclose(beam.best.probability, 0.4 * 0.9, rel_tol=1e-6)
    assert beam.best.probability > greedy.best.probability
    # the first step chose the second-ranked word
    assert beam.steps[0].chosen == "b" and beam.steps[0].chosen_rank == 1
    assert [h.tokens for h in beam.hypotheses] == [("b",), ("a",)]


def test_top_k_candidates_and_probabilities(table_model):
    result = beam_search(table_model, SOURCE, VOCAB, beam_width=2, top_k=3)
    first = result.steps[0]
    assert first.candidates[:2] == ("a", "b")
    assert np.allclose(first.probabilities[:2], [0.6, 0.4])
    assert len(first.candidates) == 3
    after_a = greedy_decode(table_model, SOURCE, VOCAB, top_k=3).steps[1]
    assert after_a.candidates == ("[end]", "x", "b")
    assert np.allclose(after_a.probabilities, [0.4, 0.35, 0.25])
    assert list(after_a.probabilities) == sorted(after_a.probabilities, reverse=True)


def test_beam_width_one_is_greedy(table_model):
    assert beam_search(table_model, SOURCE, VOCAB, beam_width=1).tokens == \
        greedy_decode(table_model, SOURCE, VOCAB).tokens


def test_max_length_cuts_and_marks_unfinished(table_model):
    result = greedy_decode(table_model, SOURCE, VOCAB, max_length=1)
    assert result.tokens == ("a",) and not result.best.finished


def test_min_length_forbids_the_empty_translation(table_model):
    import keras

    probs = np.zeros((len(VOCAB), len(VOCAB)), dtype="float32")
    probs[:, 3] = 1.0
    probs[2] = [0, 0, 0, 0.7, 0.3, 0, 0]   # [start] -> [end] 0.7, a 0.3

    class EndFirst(keras.Model):
        def call(self, inputs):
            return keras.ops.take(keras.ops.convert_to_tensor(probs), inputs[1], axis=0)

    model = EndFirst()
    assert greedy_decode(model, SOURCE, VOCAB).tokens == ("a",)
    assert greedy_decode(model, SOURCE, VOCAB, min_length=0).tokens == ()


@pytest.mark.parametrize("width", [0, -1, 1.5, True, "4"])
def test_bad_beam_width(table_model, width):
    with pytest.raises(BeamWidthError, match="beam_width"):
        beam_search(table_model, SOURCE, VOCAB, beam_width=width)


def test_bad_top_k_and_max_length(table_model):
    with pytest.raises(BeamWidthError, match="top_k"):
        greedy_decode(table_model, SOURCE, VOCAB, top_k=0)
    with pytest.raises(BeamWidthError, match="max_length"):
        greedy_decode(table_model, SOURCE, VOCAB, max_length=0)


def test_vocabulary_without_markers(table_model):
    broken = [w for w in VOCAB if w != "[end]"] + ["y"]
    with pytest.raises(VocabularyError, match=r"\[end\]"):
        greedy_decode(table_model, SOURCE, broken)
    assert issubclass(VocabularyError, CourseError)


def test_logits_are_not_a_distribution(table_model):
    import keras

    class Logits(keras.Model):
        def call(self, inputs):
            return keras.ops.log(table_model(inputs) + 1e-3) * 3.0

    with pytest.raises(NotADistributionError, match="softmax"):
        greedy_decode(Logits(), SOURCE, VOCAB)


def test_next_token_probabilities_reads_the_last_position(table_model):
    probs = next_token_probabilities(table_model, [[4], [4]], [[2, 4], [2, 5]])
    assert probs.shape == (2, len(VOCAB))
    assert math.isclose(probs[0, 3], 0.4, rel_tol=1e-6) and math.isclose(probs[1, 3], 0.9,
                                                                         rel_tol=1e-6)
