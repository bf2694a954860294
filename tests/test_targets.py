"""Tests of skxent._targets: the one definition of hard and soft labels.

References: scikit-learn's LabelBinarizer (one-hot encoding of sorted labels)
and compute_class_weight ("balanced"), and the definition of a probability
vector.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import DataConversionWarning
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_class_weight

from skxent._targets import (
    class_weight_per_sample,
    encode_targets,
    is_soft,
    smooth_targets,
)


@pytest.mark.parametrize(
    "y",
    [
        np.array([3, 1, 2, 3, 1]),
        np.array(["b", "c", "a", "a"]),
        np.array([0.0, 2.0, 0.0]),
        np.array([True, False, True]),
    ],
)
def test_hard_labels_are_one_hot_rows_of_sorted_classes(y):
    target, classes = encode_targets(y)
    binarizer = LabelBinarizer().fit(y)
    assert_array_equal(classes, binarizer.classes_)
    expected = binarizer.transform(y)
    if expected.shape[1] == 1:  # LabelBinarizer's two-class column
        expected = np.hstack([1 - expected, expected])
    assert_array_equal(target, expected)


def test_given_classes_set_the_column_order_and_may_be_absent_from_y():
    target, classes = encode_targets(["dog", "cat"], classes=["emu", "dog", "cat"])
    assert_array_equal(classes, ["emu", "dog", "cat"])
    assert_array_equal(target, [[0, 1, 0], [0, 0, 1]])


def test_column_of_labels_is_raveled_with_a_warning():
    y = np.array([[1], [0], [1]])
    with pytest.warns(DataConversionWarning):
        target, _ = encode_targets(y)
    assert not is_soft(y)
    assert_array_equal(target, np.eye(2)[[1, 0, 1]])


def test_soft_labels_keep_their_columns_and_take_names():
    soft = np.array([[0.2, 0.8], [1.0, 0.0]])
    target, classes = encode_targets(soft)
    assert_array_equal(classes, [0, 1])
    assert_allclose(target, soft, rtol=0, atol=1e-16)
    _, named = encode_targets(soft, classes=["ham", "spam"])
    assert_array_equal(named, ["ham", "spam"])


def test_accepted_soft_rows_are_renormalised_exactly():
    # Rows off by 5e-7 pass the 1e-6 tolerance; they come back summing to 1
    # to round-off, as the softmax cross-entropy assumes.
    soft = np.random.default_rng(0).dirichlet(np.ones(3), size=50) * (1 + 5e-7)
    target, _ = encode_targets(soft)
    assert_allclose(target.sum(axis=1), 1.0, rtol=0, atol=4e-16)
    assert_allclose(target, soft / (1 + 5e-7), rtol=1e-15)


@pytest.mark.parametrize(
    "y, kwargs, match",
    [
        (np.array([[1, 1, 0], [0, 1, 0]]), {}, "multilabel targets are not supported"),
        (np.array([[0, 0], [1, 0]]), {}, "multilabel targets are not supported"),
        (np.array([[0.6, 0.6], [0.5, 0.5]]), {}, "do not sum to 1"),
        (np.array([0, None, 1], dtype=object), {}, "missing labels"),
        (np.array([0.0, np.nan, 1.0]), {}, "missing labels"),
        (np.array(["a", pd.NA, "b"], dtype=object), {}, "missing labels"),
        (np.array(["a", 1], dtype=object), {}, "mixes label types"),
        (np.array([0.5, 1.7, 2.2]), {}, "continuous"),
        (np.array([0, 3]), {"classes": [0, 1]}, r"not in classes: \[3\]"),
        (np.array([0, 1]), {"classes": [1, 1]}, "classes contains duplicates"),
        (np.eye(3), {"classes": [0, 1]}, "3 classes but classes has 2"),
    ],
)
def test_bad_targets_name_the_problem(y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        encode_targets(y, **kwargs)


def test_missing_labels_raise_without_warnings(no_warnings):
    with pytest.raises(ValueError, match="missing labels"):
        encode_targets(pd.Series([0, pd.NA, 1], dtype="Int64").to_numpy())
    with pytest.raises(ValueError, match="missing labels"):
        encode_targets(np.array([0.0, np.nan]))


def test_soft_row_of_infinities_raises_without_warnings(no_warnings):
    with pytest.raises(ValueError, match="nan or inf"):
        encode_targets(np.array([[np.inf, -np.inf], [0.5, 0.5]]))


def test_smoothing_mixes_with_uniform():
    target = np.eye(4)[[0, 3]]
    assert_allclose(smooth_targets(target, 0.2), 0.8 * target + 0.05)
    assert smooth_targets(target, 0.0) is target


def test_balanced_class_weight_equals_compute_class_weight():
    y = np.array([0, 0, 0, 1, 2, 2])
    target, classes = encode_targets(y)
    expected = compute_class_weight("balanced", classes=classes, y=y)[y]
    weight = class_weight_per_sample("balanced", classes, target, np.ones(6))
    assert_allclose(weight, expected, rtol=1e-15)
    # Scale-free: weights near the float64 maximum give the same factors.
    huge = class_weight_per_sample("balanced", classes, target, np.full(6, 1e308))
    assert_allclose(huge, expected, rtol=1e-15)


@pytest.mark.parametrize("value", ["a", None, -1.0, np.inf, np.nan, True])
def test_class_weight_values_must_be_non_negative_numbers(value):
    target, classes = encode_targets([0, 1, 1])
    with pytest.raises(ValueError, match=r"class_weight\[0\] must be a finite"):
        class_weight_per_sample({0: value}, classes, target, np.ones(3))


def test_soft_class_weight_is_the_expected_weight():
    target = np.array([[0.25, 0.75], [1.0, 0.0]])
    weight = class_weight_per_sample({0: 2.0, 1: 4.0}, [0, 1], target, np.ones(2))
    assert_allclose(weight, [0.25 * 2 + 0.75 * 4, 2.0])
