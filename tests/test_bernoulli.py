"""Tests of BernoulliDistribution against scikit-learn, scipy and closed forms."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.naive_bayes import BernoulliNB

from skxent import BernoulliDistribution

PROPERTY_SETTINGS = settings(derandomize=True, max_examples=60, deadline=None)

#: Small binary data sets: up to 30 rows and 4 columns.
binary = arrays(
    np.float64,
    st.tuples(st.integers(1, 30), st.integers(1, 4)),
    elements=st.sampled_from([0.0, 1.0]),
)

SPARSE_CONTAINERS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array]


def fitted_state(model):
    """Everything a fit sets, for checking that a failed call changed nothing."""
    return pickle.dumps(
        {k: v for k, v in vars(model).items() if k.endswith("_") or k == "_statistics"}
    )


def reference_log_likelihood(X_binary, p):
    """Row sums of scipy's Bernoulli log-pmf."""
    return scipy.stats.bernoulli.logpmf(X_binary, p).sum(axis=1)


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    return rng.normal(size=(200, 6)) + np.linspace(-1, 1, 6)


# -- the estimate ---------------------------------------------------------------


@pytest.mark.parametrize("binarize", [0.0, 0.7, -0.3])
def test_probabilities_are_frequencies_of_ones(data, binarize):
    model = BernoulliDistribution(binarize=binarize).fit(data)
    assert_allclose(model.probabilities_, np.mean(data > binarize, axis=0))


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("binarize", [0.0, 0.5, None])
def test_matches_bernoulli_nb_with_one_class(data, alpha, binarize):
    X = (data > 0).astype(float) if binarize is None else data
    weights = np.random.RandomState(1).uniform(0.1, 2.0, size=len(X))
    nb = BernoulliNB(alpha=alpha, binarize=binarize)
    nb.fit(X, np.zeros(len(X)), sample_weight=weights)
    model = BernoulliDistribution(alpha=alpha, binarize=binarize)
    model.fit(X, sample_weight=weights)
    assert_allclose(np.log(model.probabilities_), nb.feature_log_prob_[0])
    assert_allclose(model.score_samples(X), nb.predict_joint_log_proba(X)[:, 0])


def test_log_likelihood_matches_scipy(data):
    model = BernoulliDistribution(alpha=0.5).fit(data)
    expected = reference_log_likelihood(data > 0, model.probabilities_)
    assert_allclose(model.score_samples(data), expected)
    assert_allclose(
        model.entropy(), scipy.stats.bernoulli.entropy(model.probabilities_).sum()
    )


def test_kl_matches_scipy(data):
    p = BernoulliDistribution().fit(data)
    q = BernoulliDistribution(alpha=1.0).fit(data[:20])
    expected = sum(
        scipy.stats.entropy([a, 1 - a], [b, 1 - b])
        for a, b in zip(p.probabilities_, q.probabilities_, strict=True)
    )
    assert_allclose(p.kl_divergence(q), expected)
    # H(p, q) = H(p) + D(p || q): q's score on p's training data.
    assert_allclose(q.score(data), -(p.entropy() + p.kl_divergence(q)))


def test_certain_columns_give_minus_inf_only_where_impossible(recwarn):
    # Column 0 is always 1, column 1 never: with alpha=0, p = (1, 0, 0.5).
    X = np.array([[1, 0, 0], [1, 0, 1]])
    model = BernoulliDistribution().fit(X)
    assert_array_equal(model.probabilities_, [1.0, 0.0, 0.5])
    X_test = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]])
    log_likelihood = model.score_samples(X_test)
    assert_allclose(log_likelihood, [np.log(0.5), -np.inf, -np.inf, -np.inf])
    assert_allclose(model.score(X), np.log(0.5))
    assert model.kl_divergence(BernoulliDistribution(alpha=1).fit(X)) < np.inf
    assert BernoulliDistribution(alpha=1).fit(X).kl_divergence(model) == np.inf
    assert not recwarn.list


def test_all_ones_with_fractional_weights_is_exactly_one():
    # The weight of the ones and the total are sums in different orders.
    weights = np.random.RandomState(0).uniform(size=1000) / 3
    model = BernoulliDistribution().fit(np.ones((1000, 3)), sample_weight=weights)
    assert_array_equal(model.probabilities_, 1.0)
    assert model.score_samples([[0, 1, 1]])[0] == -np.inf


def test_underflow_of_the_product_but_not_of_the_score():
    n_samples = 10**6
    X = np.zeros((n_samples, 2))
    X[: n_samples // 4, 0] = 1.0
    X[: n_samples // 10, 1] = 1.0
    model = BernoulliDistribution().fit(X)
    assert np.prod(model.predict_proba(X)) == 0.0
    p = np.array([0.25, 0.1])
    closed_form = np.sum(p * np.log(p) + (1 - p) * np.log1p(-p))
    assert np.isfinite(model.score(X))
    assert_allclose(model.score(X), closed_form)


def test_information_criteria_count_one_parameter_per_column(data):
    model = BernoulliDistribution(alpha=1.0).fit(data)
    log_likelihood = model.score_samples(data).sum()
    assert_allclose(model.aic(data), -2 * log_likelihood + 2 * 6)


# -- sparse input ---------------------------------------------------------------


@pytest.mark.parametrize("container", SPARSE_CONTAINERS)
@pytest.mark.parametrize("binarize", [0.0, 0.5, None])
def test_sparse_equals_dense(container, binarize):
    rng = np.random.RandomState(0)
    X = sp.random(300, 20, density=0.1, random_state=rng).toarray()
    if binarize is None:
        X = (X > 0).astype(float)
    weights = rng.uniform(size=300)
    dense = BernoulliDistribution(binarize=binarize).fit(X, sample_weight=weights)
    sparse = BernoulliDistribution(binarize=binarize).fit(
        container(X), sample_weight=weights
    )
    assert_allclose(sparse.probabilities_, dense.probabilities_)
    assert_allclose(sparse.score_samples(container(X)), dense.score_samples(X))


def test_sparse_duplicate_entries_are_summed_before_thresholding():
    # Two stored entries of 0.3 in one cell are the value 0.6 > 0.5.
    X = sp.csr_matrix(([0.3, 0.3, 0.7], [0, 0, 0], [0, 2, 3, 3]), shape=(3, 1))
    assert not X.has_canonical_format
    model = BernoulliDistribution(binarize=0.5).fit(X)
    assert_allclose(model.probabilities_, [2 / 3])


def test_sparse_is_not_densified(monkeypatch):
    X = sp.random(50, 10, density=0.2, format="csr", random_state=0)

    def refuse(*args, **kwargs):
        raise AssertionError("densified")

    monkeypatch.setattr(type(X), "toarray", refuse)
    monkeypatch.setattr(type(X), "todense", refuse)
    model = BernoulliDistribution(alpha=1).fit(X)
    assert model.score_samples(X).shape == (50,)


# -- weights, batches and properties -------------------------------------------


@PROPERTY_SETTINGS
@given(X=binary, data=st.data())
def test_integer_weights_equal_repetition(X, data):
    weights = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(X), max_size=len(X)))
    )
    if weights.sum() == 0:
        weights[0] = 1
    weighted = BernoulliDistribution(alpha=0.5).fit(X, sample_weight=weights)
    repeated = BernoulliDistribution(alpha=0.5).fit(np.repeat(X, weights, axis=0))
    assert_allclose(weighted.probabilities_, repeated.probabilities_)


@PROPERTY_SETTINGS
@given(X=binary, cut=st.integers(1, 29))
def test_batches_equal_one_fit(X, cut):
    assume(len(X) >= 2)  # two non-empty batches
    cut = min(cut, len(X) - 1)
    whole = BernoulliDistribution(alpha=1.0).fit(X)
    batched = BernoulliDistribution(alpha=1.0).partial_fit(X[:cut])
    batched.partial_fit(sp.csr_matrix(X[cut:]))
    assert_allclose(whole.probabilities_, batched.probabilities_)


@PROPERTY_SETTINGS
@given(X=binary, seed=st.integers(0, 2**16))
def test_permutation_invariance(X, seed):
    permuted = X[np.random.RandomState(seed).permutation(len(X))]
    model = BernoulliDistribution().fit(X)
    assert_allclose(BernoulliDistribution().fit(permuted).score(X), model.score(X))


@PROPERTY_SETTINGS
@given(X=binary, shift=st.floats(-0.5, 0.5).filter(lambda s: abs(s) > 1e-6))
def test_mle_beats_every_perturbation(X, shift):
    model = BernoulliDistribution().fit(X)
    perturbed = clone(model).fit(X)
    perturbed.probabilities_ = np.clip(model.probabilities_ + shift, 0.0, 1.0)
    perturbed._zero_probabilities_ = 1.0 - perturbed.probabilities_
    assert perturbed.score(X) <= model.score(X) + 1e-12


@PROPERTY_SETTINGS
@given(X=binary, data=st.data())
def test_gibbs_inequality(X, data):
    # Y has X's columns, so that every example compares two models.
    rows = data.draw(st.integers(1, 30))
    Y = data.draw(
        arrays(np.float64, (rows, X.shape[1]), elements=st.sampled_from([0.0, 1.0]))
    )
    p = BernoulliDistribution().fit(X)
    q = BernoulliDistribution(alpha=0.5).fit(Y)
    assert p.kl_divergence(q) >= 0
    assert p.kl_divergence(p) == 0


# -- input types and bad input --------------------------------------------------


def test_dataframe_input():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"clicked": [1, 0, 1, 1], "bought": [0, 0, 1, 0]})
    model = BernoulliDistribution().fit(df)
    assert_array_equal(model.feature_names_in_, ["clicked", "bought"])
    assert_allclose(model.probabilities_, [0.75, 0.25])


def test_sample_draws_from_the_model():
    model = BernoulliDistribution().fit([[1, 0], [1, 1], [1, 0], [1, 0]])
    sample = model.sample(20_000, random_state=0)
    assert sample.shape == (20_000, 2)
    assert_array_equal(sample[:, 0], 1.0)
    assert_allclose(sample.mean(axis=0), [1.0, 0.25], atol=0.01)


def test_pickle_and_clone(data):
    model = BernoulliDistribution(alpha=0.3, binarize=0.2).fit(data)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.score_samples(data), model.score_samples(data))
    assert clone(model).get_params() == {"alpha": 0.3, "binarize": 0.2}


@pytest.mark.parametrize(
    "params, X_bad, match",
    [
        ({"binarize": None}, [[0.0, 0.5]], "only 0 and 1"),
        ({"binarize": None}, sp.csr_matrix([[0.0, 2.0]]), "only 0 and 1"),
        ({"binarize": -0.5}, sp.csr_matrix([[0.0, 2.0]]), "implicit zero"),
        ({}, [[0.0, np.nan]], "NaN"),
        ({}, [[0.0, np.inf]], "infinity"),
        ({}, [[0.0, 1.0, 1.0]], "3 features"),
        ({}, [0.0, 1.0], "2D array"),
    ],
)
def test_bad_input_leaves_the_model_unchanged(params, X_bad, match):
    model = BernoulliDistribution(**params).fit([[0, 1], [1, 1]])
    before = fitted_state(model)
    with pytest.raises(ValueError, match=match):
        model.partial_fit(X_bad)
    assert fitted_state(model) == before
    if match == "only 0 and 1":
        # Outside the support {0, 1}: probability zero, not an error.
        assert model.score_samples(X_bad)[0] == -np.inf
    else:
        with pytest.raises(ValueError, match=match):
            model.score_samples(X_bad)


def test_strings_are_refused():
    with pytest.raises((TypeError, ValueError), match=r"(?i)string|float"):
        BernoulliDistribution().fit([["a", "b"]])


@pytest.mark.parametrize(
    "weights, match",
    [([0, 0], "non-zero|positive sum"), ([1, -1], "(?i)negative"), ([1], "1")],
)
def test_bad_weights_leave_the_model_unchanged(weights, match):
    model = BernoulliDistribution().fit([[0, 1], [1, 1]])
    before = fitted_state(model)
    with pytest.raises(ValueError, match=match):
        model.partial_fit([[0, 1], [1, 0]], sample_weight=weights)
    assert fitted_state(model) == before


@pytest.mark.parametrize(
    "params, match",
    [({"alpha": -1.0}, "alpha"), ({"binarize": "yes"}, "binarize")],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        BernoulliDistribution(**params).fit([[0]])


# -- regressions: weights and smoothing at the ends of the float range -------


def test_a_light_zero_next_to_a_heavy_one_keeps_positive_probability():
    # The old round-off shortcut (W - ones <= 1e-12 W) set p = 1 here and
    # scored the weight-1 row -inf.
    model = BernoulliDistribution().fit([[1.0], [0.0]], sample_weight=[1e13, 1])
    assert_allclose(model.score_samples([[0.0]]), [-np.log1p(1e13)])


def test_all_ones_column_with_unequal_weights_is_exactly_certain():
    weights = np.random.default_rng(0).uniform(0.1, 3.0, size=1000)
    X = np.ones((1000, 1))
    assert BernoulliDistribution().fit(X, sample_weight=weights).probabilities_[0] == 1
    sparse = sp.csr_matrix(X)
    model = BernoulliDistribution().fit(sparse, sample_weight=weights)
    assert model.probabilities_[0] == 1


def test_huge_alpha_gives_one_half():
    model = BernoulliDistribution(alpha=1e308).fit([[1.0], [0.0], [1.0]])
    assert_allclose(model.probabilities_, [0.5])


@pytest.mark.parametrize("weight", [1e308, 1e-320])
def test_extreme_equal_weights_give_the_unit_weight_model(weight):
    X = (np.random.default_rng(3).random((40, 3)) < 0.4).astype(float)
    reference = BernoulliDistribution(alpha=0.5).fit(X)
    model = BernoulliDistribution(alpha=0.5).fit(X, sample_weight=np.full(40, weight))
    # alpha is in true units: against weights of 1e308 it vanishes, against
    # 1e-320 it dominates; with alpha=0 the weights' scale cannot matter.
    expected = BernoulliDistribution().fit(X).probabilities_
    unsmoothed = BernoulliDistribution().fit(X, sample_weight=np.full(40, weight))
    assert_allclose(unsmoothed.probabilities_, expected, rtol=1e-12)
    if weight > 1:
        assert_allclose(model.probabilities_, expected, rtol=1e-12)
    else:
        assert_allclose(model.probabilities_, 0.5, rtol=1e-12)
    assert reference.probabilities_.shape == model.probabilities_.shape


@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix, sp.csc_matrix])
def test_non_binary_value_is_named_with_its_column_and_row(container):
    X = container(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 3.0], [0.0, 2.0, 0.0]]))
    with pytest.raises(ValueError, match=r"column 2 has the value 3.0 \(row 1\)"):
        BernoulliDistribution(binarize=None).fit(X)
    frame = pd.DataFrame(np.asarray(X.todense() if sp.issparse(X) else X))
    frame.columns = ["a", "b", "c"]
    with pytest.raises(ValueError, match=r"column 2 \('c'\) has the value 3.0"):
        BernoulliDistribution(binarize=None).fit(frame)
