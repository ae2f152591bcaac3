"""Fixtures for the translation tests: a model with known probabilities, tiny translators."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

VOCAB = ["", "[UNK]", "[start]", "[end]", "a", "b", "x"]


def table() -> np.ndarray:
    """P(next word | last word): greedy takes a (0.6) then [end] (0.4): 0.24; b then [end]: 0.36."""
    t = np.zeros((len(VOCAB), len(VOCAB)))
    t[:, 3] = 1.0  # padding, [UNK], [end], x: always [end]
    t[2] = [0, 0, 0, 0, 0.6, 0.4, 0]       # [start] -> a | b
    t[4] = [0, 0, 0, 0.4, 0, 0.25, 0.35]   # a -> [end] | x | b
    t[4, 3] = 0.4
    t[5] = [0, 0, 0, 0.9, 0, 0, 0.1]       # b -> [end] | x
    t[6] = [0, 0, 0, 1.0, 0, 0, 0]
    return t


@pytest.fixture(autouse=True)
def _headless(static_views):
    """Static views; figures closed after each test (see tests/conftest.py)."""


@pytest.fixture(scope="session")
def table_model():
    """A Keras model whose next-word distribution is a fixed table of the last prefix word."""
    import keras

    class TableModel(keras.Model):
        def __init__(self, probabilities, **kwargs):
            super().__init__(**kwargs)
            self.probabilities = np.asarray(probabilities, dtype="float32")

        def call(self, inputs):
            _source, prefix = inputs
            return keras.ops.take(keras.ops.convert_to_tensor(self.probabilities), prefix,
                                  axis=0)

    return TableModel(table(), name="table_model")


SOURCE_VOCAB = ["", "[UNK]", "hello", "world", "the", "cat", "sleeps", "."]
TARGET_VOCAB = ["", "[UNK]", "[start]", "[end]", "salut", "le", "monde", "chat", "dort", "."]


@pytest.fixture(scope="session")
def tiny_transformer():
    """An untrained 2-layer Transformer translator over the small vocabularies (seeded)."""
    import keras

    from course_lib.translation.models import Translator, transformer_translator

    keras.utils.set_random_seed(3)
    model = transformer_translator(len(SOURCE_VOCAB), len(TARGET_VOCAB), source_length=12,
                                   target_length=8, embed_dim=16, heads=2,
                                   intermediate_dim=32, layers=2)
    config = {"kind": "transformer", "fast": True,
              "settings": {"embed_dim": 16, "heads": 2, "intermediate_dim": 32, "layers": 2,
                           "units": 16}}
    return Translator(model, SOURCE_VOCAB, TARGET_VOCAB, 12, 8, config)


@pytest.fixture(scope="session")
def tiny_lstm():
    import keras

    from course_lib.translation.models import Translator, lstm_translator

    keras.utils.set_random_seed(4)
    model = lstm_translator(len(SOURCE_VOCAB), len(TARGET_VOCAB), embed_dim=8, units=16,
                            attention=True)
    return Translator(model, SOURCE_VOCAB, TARGET_VOCAB, 12, 8,
                      {"kind": "lstm", "settings": {"embed_dim": 8, "units": 16}})
