"""Input validation shared by every estimator: weights and datetime data."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import skxent
from skxent._validation import check_not_datetime, check_sample_weight

ESTIMATORS = [
    "GaussianDistribution",
    "CategoricalDistribution",
    "BernoulliDistribution",
]


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize(
    "X",
    [
        np.array([[1], [2]], dtype="timedelta64[ns]"),
        pd.DataFrame({"when": pd.to_datetime(["2020-01-01", "2021-06-01"])}),
    ],
    ids=["timedelta64", "datetime-frame"],
)
def test_datetime_data_are_refused_by_name(name, X):
    # timedelta64 is a numpy signedinteger: without the check it was read as
    # nanoseconds (a Gaussian mean of 1.58e15).
    with pytest.raises(TypeError, match=r"X (column 'when' )?holds (datetime|time)"):
        getattr(skxent, name)().fit(X)


def test_information_functions_refuse_timedelta():
    with pytest.raises(TypeError, match="p holds timedelta64"):
        skxent.entropy(np.array([1, 2], dtype="timedelta64[ns]"))


def test_check_not_datetime_passes_numbers_through():
    X = np.ones((2, 2))
    assert check_not_datetime(X) is X
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert check_not_datetime(frame) is frame


def test_string_weights_name_the_parameter():
    with pytest.raises(TypeError, match="sample_weight must be numeric"):
        skxent.GaussianDistribution().fit(np.ones((2, 1)), sample_weight=["a", "b"])


def test_weights_whose_sum_overflows_are_accepted():
    weights = check_sample_weight(np.full(4, 1e308), np.ones((4, 1)))
    assert_allclose(weights, 1e308)
    with pytest.raises(ValueError, match=r"(?i)positive sum|non-zero"):
        check_sample_weight(np.zeros(4), np.ones((4, 1)))
