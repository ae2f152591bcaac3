"""Input features: values, order, spellings, bad names."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, DataError
from course_lib.playground import FEATURE_NAMES, canonical_feature, check_features, feature_matrix

from .conftest import assert_message


def test_every_feature_value():
    x = np.array([[2.0, -3.0], [0.5, 1.0]], dtype=np.float32)
    out = feature_matrix(x, FEATURE_NAMES)
    expected = np.array(
        [[2, -3, 4, 9, -6, np.sin(2), np.sin(-3)], [0.5, 1, 0.25, 1, 0.5, np.sin(0.5), np.sin(1)]]
    )
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.dtype == np.float32


def test_columns_follow_canonical_order_and_duplicates_collapse():
    assert check_features(["sin(x2)", "x1", "x1"]) == ("x1", "sin(x2)")
    out = feature_matrix(np.array([[1.0, 2.0]]), ["x2^2", "x1"])
    np.testing.assert_allclose(out, [[1.0, 4.0]])


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("x1²", "x1^2"),
        ("X2**2", "x2^2"),
        ("x1·x2", "x1*x2"),
        ("sin x1", "sin(x1)"),
        ("x1x2", "x1*x2"),
    ],
)
def test_common_spellings(spelling, canonical):
    assert canonical_feature(spelling) == canonical


def test_unknown_feature_suggests_the_closest():
    with pytest.raises(ConfigError) as info:
        check_features(["x1", "x3^2"])
    assert_message(info.value, "feature='x3^2'", "Did you mean", "Fix:", "sin(x1)")


def test_no_feature_is_refused():
    with pytest.raises(ConfigError) as info:
        check_features([])
    assert_message(info.value, "features=[]", "at least one")


def test_features_of_non_2d_points_are_refused():
    with pytest.raises(DataError) as info:
        feature_matrix(np.zeros((4, 3)), ["x1"])
    assert_message(info.value, "x.shape=(4, 3)")
