"""Datasets: shapes, labels, balance, determinism, geometry, splits, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib.errors import ConfigError, CourseError, DataError
from course_lib.playground import (
    BOUNDS,
    DATASET_NAMES,
    check_points,
    custom_data,
    load_playground_data,
    make_dataset,
    train_test_split,
)

from .conftest import assert_message


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_shapes_dtypes_and_balanced_binary_labels(name):
    x, y = make_dataset(name, n=101, noise=0.1, seed=3)
    assert x.shape == (101, 2) and x.dtype == np.float32
    assert y.shape == (101,)
    assert set(np.unique(y).tolist()) == {0, 1}
    assert abs(int(y.sum()) - (101 - int(y.sum()))) <= 1  # 50 vs 51
    assert np.all(np.isfinite(x))


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_clean_data_stays_inside_the_bounds(name):
    x, _ = make_dataset(name, n=400, noise=0.0, seed=0)
    assert x[:, 0].min() >= BOUNDS[0] and x[:, 0].max() <= BOUNDS[1]
    assert x[:, 1].min() >= BOUNDS[2] and x[:, 1].max() <= BOUNDS[3]


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_same_seed_same_points_other_seed_other_points(name):
    a = make_dataset(name, n=50, noise=0.2, seed=7)
    b = make_dataset(name, n=50, noise=0.2, seed=7)
    c = make_dataset(name, n=50, noise=0.2, seed=8)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_clean_circles_inner_disc_is_class_one_outer_ring_class_zero():
    x, y = make_dataset("circles", n=300, noise=0.0)
    r = np.hypot(x[:, 0], x[:, 1])
    assert r[y == 1].max() <= 2.5 + 1e-5
    assert r[y == 0].min() >= 3.5 - 1e-5


def test_clean_xor_label_is_sign_agreement():
    x, y = make_dataset("xor", n=300, noise=0.0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(np.int32))


def test_clean_gaussians_are_split_by_the_diagonal_mostly():
    x, y = make_dataset("gaussians", n=400, noise=0.0)
    assert np.mean((x.sum(axis=1) > 0) == (y == 1)) > 0.97


def test_noise_moves_points():
    clean, _ = make_dataset("moons", n=200, noise=0.0, seed=1)
    noisy, _ = make_dataset("moons", n=200, noise=0.3, seed=1)
    assert np.abs(noisy - clean).mean() > 0.3


def test_split_keeps_balance_and_fraction():
    x, y = make_dataset("spiral", n=200, seed=2)
    x_tr, y_tr, x_te, y_te = train_test_split(x, y, test_fraction=0.25, seed=2)
    assert len(x_tr) == 150 and len(x_te) == 50
    assert int(y_te.sum()) == 25 and int(y_tr.sum()) == 75
    # every point lands in exactly one part
    both = np.concatenate([x_tr, x_te])
    assert sorted(map(tuple, both.tolist())) == sorted(map(tuple, x.tolist()))


def test_load_playground_data_bundles_the_split():
    data = load_playground_data("moons", n=80, noise=0.1, test_fraction=0.5, seed=4)
    assert data.name == "moons" and data.noise == 0.1 and data.seed == 4
    assert data.x_train.shape == (40, 2) and data.x_test.shape == (40, 2)
    assert data.bounds == BOUNDS


def test_unknown_dataset_names_the_value_and_suggests():
    with pytest.raises(ConfigError) as info:
        make_dataset("circle")
    assert_message(info.value, "'circle'", "Did you mean 'circles'?", "Fix:", "spiral")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n": 2}, "n=2"),
        ({"n": 10.5}, "n=10.5"),
        ({"noise": -0.1}, "noise=-0.1"),
        ({"noise": float("nan")}, "noise=nan"),
    ],
)
def test_bad_sizes_and_noise(kwargs, fragment):
    with pytest.raises(ConfigError) as info:
        make_dataset("xor", **kwargs)
    assert_message(info.value, fragment, "Fix:")


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 2])
def test_bad_test_fraction(fraction):
    x, y = make_dataset("xor", n=20)
    with pytest.raises(ConfigError) as info:
        train_test_split(x, y, test_fraction=fraction)
    assert_message(info.value, f"test_fraction={fraction!r}")


@pytest.mark.parametrize(
    ("x", "fragment"),
    [
        (np.zeros((5, 3)), "x.shape=(5, 3)"),
        (np.zeros(5), "x.shape=(5,)"),
        (np.zeros((2, 5, 2)), "x.shape=(2, 5, 2)"),
        (np.zeros((0, 2)), "x.shape=(0, 2)"),
    ],
)
def test_non_2d_points_are_refused_with_the_fix(x, fragment):
    with pytest.raises(DataError) as info:
        check_points(x)
    assert_message(info.value, fragment, "2-D points", "two input columns")


def test_labels_must_match_and_be_binary():
    with pytest.raises(DataError) as info:
        check_points(np.zeros((4, 2)), [0, 1, 1])
    assert_message(info.value, "y.shape=(3,)", "(4,)")
    with pytest.raises(DataError) as info:
        check_points(np.zeros((3, 2)), [0, 1, 2])
    assert_message(info.value, "[2]", "0 and 1")
    with pytest.raises(DataError):
        check_points([[0.0, np.nan]])
    with pytest.raises(DataError):
        check_points("not points")


def test_custom_data_bounds_cover_the_points_and_errors_are_course_errors():
    data = custom_data([[0, 0], [2, 4]], [0, 1], [[1, 1]], [1])
    x0, x1, y0, y1 = data.bounds
    assert x0 < 0 < 2 < x1 and y0 < 0 < 4 < y1
    with pytest.raises(CourseError) as info:
        custom_data([[0, 0]], [0], x_test=[[1, 1]])
    assert_message(info.value, "x_test", "y_test")
