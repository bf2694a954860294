"""Tests of CategoricalDistribution against scikit-learn, scipy and closed forms."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.naive_bayes import CategoricalNB

from skxent import CategoricalDistribution

PROPERTY_SETTINGS = settings(derandomize=True, max_examples=60, deadline=None)

#: Small integer-coded data sets: up to 30 rows, 1 to 3 columns, 4 codes.
codes = arrays(
    np.int64,
    st.tuples(st.integers(1, 30), st.integers(1, 3)),
    elements=st.integers(0, 3),
)


def empirical(values):
    """Sorted distinct values and their frequencies: a slow, obvious reference."""
    distinct = sorted(set(values.tolist()))
    counts = np.array([values.tolist().count(v) for v in distinct], dtype=float)
    return distinct, counts / counts.sum()


def fitted_state(model):
    """Everything a fit sets, for checking that a failed call changed nothing."""
    return pickle.dumps(
        {k: v for k, v in vars(model).items() if k.endswith("_") or k == "_statistics"}
    )


# -- the estimate ---------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        np.array([3, 1, 3, 3, 7, 1]),
        np.array([-5, 2**40, -5, 0]),  # negative and huge: sorting, not bincount
        np.array([250, 3, 3], dtype=np.uint8),
        np.array([127, -128, 127], dtype=np.int8),  # span overflows int8
        np.array([True, False, True]),
        np.array([0.5, 2.0, 0.5, -1.0]),
        np.array([2.0, 0.0, 2.0]),  # float codes take the integer path
        np.array(["b", "a", "b", "c"], dtype=object),
        np.array(["b", "a", "b", "c"]),  # numpy unicode becomes object
    ],
)
def test_probabilities_are_frequencies(column):
    model = CategoricalDistribution().fit(column.reshape(-1, 1))
    distinct, frequencies = empirical(column)
    assert model.categories_[0].tolist() == distinct
    assert_allclose(model.probabilities_[0], frequencies)
    if column.dtype.kind != "U":
        assert model.categories_[0].dtype == column.dtype


def test_alpha_smooths_over_seen_categories():
    X = np.array([[0], [0], [0], [2]])
    model = CategoricalDistribution(alpha=1.0).fit(X)
    # (n_k + alpha) / (N + K alpha) with K = 2 categories seen, not 3 codes.
    assert_allclose(model.probabilities_[0], [4 / 6, 2 / 6])


@pytest.mark.parametrize("alpha", [0.5, 1.0, 3.0])
def test_matches_categorical_nb_with_one_class(alpha):
    # CategoricalNB encodes categories as 0..max and smooths over all of
    # them; with every code 0..K-1 present, both smooth over the same K.
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.permutation(np.arange(40) % k) for k in (2, 3, 5)])
    nb = CategoricalNB(alpha=alpha).fit(X, np.zeros(len(X)))
    model = CategoricalDistribution(alpha=alpha).fit(X)
    for j in range(X.shape[1]):
        assert_allclose(np.log(model.probabilities_[j]), nb.feature_log_prob_[j][0])
    X_test = rng.randint(0, 2, size=(10, 3))
    assert_allclose(
        model.score_samples(X_test), nb.predict_joint_log_proba(X_test)[:, 0]
    )


def test_entropy_and_kl_match_scipy():
    rng = np.random.RandomState(1)
    X = rng.randint(0, 4, size=(200, 2))
    p = CategoricalDistribution().fit(X)
    q = CategoricalDistribution(alpha=1.0).fit(X[:50])
    expected_entropy = sum(scipy.stats.entropy(pj) for pj in p.probabilities_)
    assert_allclose(p.entropy(), expected_entropy)
    expected_kl = sum(
        scipy.stats.entropy(pj, qj)
        for pj, qj in zip(p.probabilities_, q.probabilities_, strict=True)
    )
    assert_allclose(p.kl_divergence(q), expected_kl)


def test_score_is_negative_cross_entropy():
    # score(X) of any model q on the data whose MLE is p is -H(p, q), and
    # H(p, q) = H(p) + D(p || q).
    rng = np.random.RandomState(2)
    X = rng.randint(0, 5, size=(300, 3))
    p = CategoricalDistribution().fit(X)
    q = CategoricalDistribution(alpha=2.0).fit(X[:100])
    assert_allclose(p.score(X), -p.entropy())
    assert_allclose(q.score(X), -(p.entropy() + p.kl_divergence(q)))


def test_kl_aligns_categories_and_is_infinite_off_support():
    p = CategoricalDistribution().fit([["a"], ["b"], ["c"]])
    q = CategoricalDistribution().fit([["c"], ["b"], ["b"], ["a"], ["d"]])
    # Aligned on a, b, c, d: p = (1, 1, 1, 0) / 3 and q = (1, 2, 1, 1) / 5.
    expected = scipy.stats.entropy([1 / 3, 1 / 3, 1 / 3, 0], [0.2, 0.4, 0.2, 0.2])
    assert_allclose(p.kl_divergence(q), expected)
    assert q.kl_divergence(p) == np.inf


def test_underflow_of_the_product_but_not_of_the_score():
    n_samples = 10**6
    counts = np.array([500_000, 300_000, 200_000])
    X = np.repeat(np.arange(3), counts).reshape(-1, 1)
    model = CategoricalDistribution().fit(X)
    assert np.prod(model.predict_proba(X)) == 0.0
    frequencies = counts / n_samples
    assert np.isfinite(model.score(X))
    assert_allclose(model.score(X), np.sum(frequencies * np.log(frequencies)))


def test_information_criteria_count_free_parameters():
    X = np.array([[0, "a"], [1, "b"], [2, "a"], [2, "c"]], dtype=object)
    model = CategoricalDistribution().fit(X)
    log_likelihood = model.score_samples(X).sum()
    assert_allclose(model.aic(X), -2 * log_likelihood + 2 * (2 + 2))
    assert_allclose(model.bic(X), -2 * log_likelihood + 4 * np.log(4))


# -- weights, batches and properties -------------------------------------------


@PROPERTY_SETTINGS
@given(X=codes, data=st.data())
def test_integer_weights_equal_repetition(X, data):
    weights = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(X), max_size=len(X)))
    )
    if weights.sum() == 0:
        weights[0] = 1
    weighted = CategoricalDistribution(alpha=0.5).fit(X, sample_weight=weights)
    repeated = CategoricalDistribution(alpha=0.5).fit(np.repeat(X, weights, axis=0))
    for j in range(X.shape[1]):
        assert_array_equal(weighted.categories_[j], repeated.categories_[j])
        assert_allclose(weighted.probabilities_[j], repeated.probabilities_[j])


@PROPERTY_SETTINGS
@given(X=codes, cut=st.integers(1, 29))
def test_batches_equal_one_fit(X, cut):
    assume(len(X) >= 2)  # two non-empty batches
    cut = min(cut, len(X) - 1)
    strings = X.astype(str).astype(object)
    for data in (X, strings):
        whole = CategoricalDistribution(alpha=1.0).fit(data)
        batched = (
            CategoricalDistribution(alpha=1.0)
            .partial_fit(data[:cut])
            .partial_fit(data[cut:])
        )
        for j in range(X.shape[1]):
            assert_array_equal(whole.categories_[j], batched.categories_[j])
            assert_allclose(whole.probabilities_[j], batched.probabilities_[j])


@PROPERTY_SETTINGS
@given(X=codes, seed=st.integers(0, 2**16))
def test_permutation_invariance(X, seed):
    permuted = X[np.random.RandomState(seed).permutation(len(X))]
    model = CategoricalDistribution().fit(X)
    other = CategoricalDistribution().fit(permuted)
    assert_allclose(model.score_samples(X), other.score_samples(X))


@PROPERTY_SETTINGS
@given(X=codes, noise=arrays(np.float64, 4, elements=st.floats(0.0, 1.0)))
def test_mle_beats_every_perturbation(X, noise):
    model = CategoricalDistribution().fit(X)
    best = model.score(X)
    for j in range(X.shape[1]):
        perturbed = clone(model).fit(X)
        p = perturbed.probabilities_[j] + noise[: perturbed.probabilities_[j].size]
        perturbed.probabilities_[j] = p / p.sum()
        assert perturbed.score(X) <= best + 1e-12


@PROPERTY_SETTINGS
@given(X=codes, data=st.data())
def test_gibbs_inequality(X, data):
    # Y has X's columns, so that every example compares two models.
    rows = data.draw(st.integers(1, 30))
    Y = data.draw(arrays(np.int64, (rows, X.shape[1]), elements=st.integers(0, 3)))
    p = CategoricalDistribution().fit(X)
    q = CategoricalDistribution(alpha=0.5).fit(Y)
    assert p.kl_divergence(q) >= 0
    assert p.kl_divergence(p) == 0


def test_partial_fit_sees_new_categories():
    model = CategoricalDistribution().partial_fit([["a", 1]]).partial_fit([["b", 1]])
    assert model.categories_[0].tolist() == ["a", "b"]
    assert_allclose(model.probabilities_[0], [0.5, 0.5])


def test_zero_weight_rows_are_not_categories():
    model = CategoricalDistribution().fit([[0], [1], [2]], sample_weight=[1, 0, 1])
    assert model.categories_[0].tolist() == [0, 2]


# -- input types --------------------------------------------------------------


def test_dataframe_with_mixed_columns():
    df = pd.DataFrame(
        {
            "size": [3, 1, 3, 3],
            "color": ["red", "blue", "red", "green"],
            "ratio": [0.5, 0.5, 1.5, 0.5],
        }
    )
    model = CategoricalDistribution().fit(df)
    assert_array_equal(model.feature_names_in_, ["size", "color", "ratio"])
    assert model.categories_[0].dtype.kind == "i"
    assert model.categories_[1].tolist() == ["blue", "green", "red"]
    assert_allclose(model.probabilities_[1], [0.25, 0.25, 0.5])
    assert_allclose(model.score(df), -model.entropy())
    sample = model.sample(5, random_state=0)
    assert sample.shape == (5, 3)
    assert sample.dtype == object
    assert np.isfinite(
        model.score_samples(pd.DataFrame(sample, columns=df.columns))
    ).all()


def test_sample_draws_from_the_model():
    model = CategoricalDistribution().fit([[0], [1], [1], [1]])
    sample = model.sample(20_000, random_state=0)
    assert sample.dtype == model.categories_[0].dtype
    assert_allclose(np.mean(sample == 1), 0.75, atol=0.01)


def test_pickle_and_clone():
    X = np.array([["a", 1], ["b", 2]], dtype=object)
    model = CategoricalDistribution(alpha=0.3).fit(X)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.score_samples(X), model.score_samples(X))
    assert clone(model).get_params() == {
        "alpha": 0.3,
        "categories": "auto",
        "handle_unknown": "error",
    }


# -- unknown categories and bad input -------------------------------------------


def test_unknown_category_error_names_column_and_value():
    df = pd.DataFrame({"size": [1, 2], "color": ["red", "blue"]})
    model = CategoricalDistribution().fit(df)
    with pytest.raises(
        ValueError, match=r"unknown category 'pink' in column 1 \('color'\)"
    ):
        model.score_samples(pd.DataFrame({"size": [1], "color": ["pink"]}))
    with pytest.raises(ValueError, match=r"unknown category 7 in column 0 \('size'\)"):
        model.score_samples(pd.DataFrame({"size": [7], "color": ["red"]}))


def test_handle_unknown_zero_gives_minus_inf_without_warning(recwarn):
    model = CategoricalDistribution(handle_unknown="zero", alpha=1.0).fit([[0], [1]])
    assert_allclose(
        model.score_samples([[0], [5], [1]]), [np.log(0.5), -np.inf, np.log(0.5)]
    )
    # Values of another type than the categories are unknown too.
    assert model.score_samples(np.array([["x"]], dtype=object))[0] == -np.inf
    assert not recwarn.list


@pytest.mark.parametrize(
    "X_bad, error, match",
    [
        (np.array([["a"], [None]], dtype=object), ValueError, "missing value"),
        ([[1.0], [np.nan]], ValueError, "NaN"),
        ([[1.0], [np.inf]], ValueError, "infinity"),
        (np.array([["a"], [1]], dtype=object), TypeError, "strings or numbers"),
        (np.array([[{"a": 1}]], dtype=object), TypeError, "unhashable"),
        ([1, 2], ValueError, "2D array"),
    ],
)
def test_bad_input_leaves_the_model_unchanged(X_bad, error, match):
    X = np.array([["a"], ["b"], ["a"]], dtype=object)
    model = CategoricalDistribution().fit(X)
    before = fitted_state(model)
    with pytest.raises(error, match=match):
        model.partial_fit(X_bad)
    assert fitted_state(model) == before
    with pytest.raises(error, match=match):
        model.fit(X_bad)
    assert fitted_state(model) == before


def test_wrong_number_of_features_leaves_the_model_unchanged():
    model = CategoricalDistribution().fit([[0], [1]])
    before = fitted_state(model)
    with pytest.raises(ValueError, match="2 features"):
        model.partial_fit([[1, 2]])
    with pytest.raises(ValueError, match="2 features"):
        model.score_samples([[1, 2]])
    assert fitted_state(model) == before


def test_missing_value_at_score_time_is_refused_even_with_zero():
    model = CategoricalDistribution(handle_unknown="zero").fit(
        np.array([["a"]], dtype=object)
    )
    with pytest.raises(ValueError, match=r"column 0: found a missing value \(None\)"):
        model.score_samples(np.array([[None]], dtype=object))


@pytest.mark.parametrize(
    "weights, match",
    [([0, 0, 0], "non-zero|positive sum"), ([1, -1, 1], "(?i)negative"), ([1, 1], "2")],
)
def test_bad_weights_leave_the_model_unchanged(weights, match):
    X = [[0], [1], [1]]
    model = CategoricalDistribution().fit(X)
    before = fitted_state(model)
    with pytest.raises(ValueError, match=match):
        model.partial_fit(X, sample_weight=weights)
    assert fitted_state(model) == before


@pytest.mark.parametrize(
    "params, match",
    [({"alpha": -1.0}, "alpha"), ({"handle_unknown": "ignore"}, "handle_unknown")],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        CategoricalDistribution(**params).fit([[0]])


# -- categories= ----------------------------------------------------------------


def test_declared_categories_let_smoothing_reach_unseen_ones():
    model = CategoricalDistribution(alpha=1.0, categories=[["a", "b", "c"]])
    model.fit([["a"], ["b"], ["a"]])
    assert model.categories_[0].tolist() == ["a", "b", "c"]
    # (n_k + alpha) / (W + K alpha) = (2+1, 1+1, 0+1) / 6
    assert_allclose(model.probabilities_[0], [3 / 6, 2 / 6, 1 / 6])
    assert_allclose(model.score_samples([["c"]]), [np.log(1 / 6)])


def test_declared_categories_match_categorical_nb():
    X = np.random.default_rng(0).integers(0, 3, size=(50, 2))
    reference = CategoricalNB(alpha=0.7, min_categories=5).fit(X, np.zeros(50))
    model = CategoricalDistribution(alpha=0.7, categories=[range(5), range(5)]).fit(X)
    for j in range(2):
        assert_allclose(
            np.log(model.probabilities_[j]), reference.feature_log_prob_[j][0]
        )


def test_unsmoothed_unseen_declared_category_has_probability_zero():
    model = CategoricalDistribution(categories=[["a", "b", "c"]]).fit([["a"], ["b"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.score_samples([["c"]])[0] == -np.inf
        assert np.isfinite(model.entropy())
    assert model._n_parameters() == 2


def test_value_outside_declared_categories_is_refused_at_fit():
    model = CategoricalDistribution(categories=[["a", "b"]])
    with pytest.raises(ValueError, match=r"'z'.*not among the declared"):
        model.fit([["a"], ["z"]])
    with pytest.raises(ValueError, match="one list of categories per column"):
        CategoricalDistribution(categories=[["a"], ["b"]]).fit([["a"]])


def test_scoring_uses_the_unknown_policy_of_fit():
    model = CategoricalDistribution().fit([["a"]])
    model.set_params(handle_unknown="bogus")
    with pytest.raises(ValueError, match="unknown category 'q'"):
        model.score_samples([["q"]])


def test_extreme_weights_and_alpha():
    X = [["a"], ["b"], ["a"]]
    reference = CategoricalDistribution().fit(X).probabilities_[0]
    for weight in (1e308, 1e-320):
        model = CategoricalDistribution().fit(X, sample_weight=[weight] * 3)
        assert_allclose(model.probabilities_[0], reference, rtol=1e-12)
    huge = CategoricalDistribution(alpha=1e308).fit(X)
    assert_allclose(huge.probabilities_[0], [0.5, 0.5])


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["a", pd.NA, "b"], dtype=object),
        pd.Series(["a", None, "b"], dtype="string"),
    ],
)
def test_pandas_missing_values_are_named(column):
    with pytest.raises(ValueError, match=r"column 0 \('c'\): found a missing value"):
        CategoricalDistribution().fit(pd.DataFrame({"c": column}))
