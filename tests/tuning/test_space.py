"""Search spaces: listing, sampling (with conditional hyperparameters), the empty-space error."""

from __future__ import annotations

import pytest

from course_lib.tuning import (
    EmptySearchSpaceError,
    TuningError,
    sample_search_space,
    search_space_table,
)

pytestmark = pytest.mark.slow  # imports Keras


def _build(hp):
    import keras

    units = hp.Int("units", 8, 32, step=8)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units, activation="relu")])
    if hp.Boolean("second"):
        with hp.conditional_scope("second", [True]):
            model.add(keras.layers.Dense(hp.Choice("second_units", [2, 4])))
    model.add(keras.layers.Dense(1))
    return model


def test_samples_cover_the_space_and_build_matching_models():
    samples = sample_search_space(_build, n=12, seed=3)
    assert len(samples) == 12
    assert {s.values["units"] for s in samples} <= {8, 16, 24, 32}
    assert len({s.values["units"] for s in samples}) >= 3
    for s in samples:
        dense = [layer for layer in s.model.layers if type(layer).__name__ == "Dense"]
        assert dense[0].units == s.values["units"]
        assert ("second_units" in s.values) == s.values["second"]  # conditional: active only then
        assert len(dense) == 3 if s.values["second"] else 2
    assert [s.values for s in sample_search_space(_build, n=12, seed=3)] == \
        [s.values for s in samples]  # same seed, same samples


def test_table_lists_each_hyperparameter():
    rows = {r["name"]: r for r in search_space_table(_build)}
    assert rows["units"]["range"] == "8 ... 32 (step 8)" and rows["units"]["type"] == "Int"
    assert rows["second"]["type"] == "Boolean"


def test_empty_space_and_bad_arguments():
    import keras

    def fixed(hp):
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])

    with pytest.raises(EmptySearchSpaceError, match=r"fixed\(hp\)"):
        sample_search_space(fixed)
    with pytest.raises(EmptySearchSpaceError):
        search_space_table(fixed)
    with pytest.raises(TuningError, match="n=0"):
        sample_search_space(_build, n=0)
    with pytest.raises(TuningError, match="build"):
        sample_search_space(42)


def test_sampling_walks_each_hyperparameter_once_per_sample(monkeypatch):
    """The space must not grow with every sample (it once doubled: n=30 never finished)."""
    import keras_tuner as kt

    merged = []
    real_merge = kt.HyperParameters.merge

    def counting_merge(self, hps, overwrite=True):
        merged.append(len(list(hps.space if isinstance(hps, kt.HyperParameters) else hps)))
        return real_merge(self, hps, overwrite)

    monkeypatch.setattr(kt.HyperParameters, "merge", counting_merge)

    def build(hp):
        hp.Int("units", 8, 64, step=8)
        hp.Float("dropout", 0.0, 0.5)
        hp.Choice("learning_rate", [1e-2, 1e-3])
        return None

    samples = sample_search_space(build, n=12, seed=0)
    assert len(samples) == 12
    # three hyperparameters: at most three single merges per sample, nothing re-merged
    assert sum(merged) <= 3 * 12, f"{sum(merged)} hyperparameters merged for 12 samples of 3"
