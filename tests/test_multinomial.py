"""Tests of MultinomialDistribution against scikit-learn, scipy and closed forms."""

import itertools
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import gammaln
from sklearn.naive_bayes import MultinomialNB
from sklearn.utils.estimator_checks import parametrize_with_checks

from skxent import MultinomialDistribution

SPARSE_CONTAINERS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array]

#: Small count data sets: up to 20 rows, 1 to 4 columns, counts up to 5.
counts = arrays(
    np.int64,
    st.tuples(st.integers(1, 20), st.integers(1, 4)),
    elements=st.integers(0, 5),
)


def fitted_state(model):
    """Everything a fit sets, for checking that a failed call changed nothing."""
    return pickle.dumps(
        {k: v for k, v in vars(model).items() if k.endswith("_") or k == "_statistics"}
    )


def scipy_log_pmf(X, p):
    """scipy's multinomial log-pmf of each row, for the row's own total."""
    X = np.asarray(X)
    return np.array([scipy.stats.multinomial(x.sum(), p).logpmf(x) for x in X])


def count_vectors(n_trials, n_features):
    """Every vector of ``n_features`` non-negative counts summing to ``n_trials``."""
    return np.array(
        [
            c
            for c in itertools.product(range(n_trials + 1), repeat=n_features)
            if sum(c) == n_trials
        ]
    )


@pytest.fixture
def bags(rng):
    """Rows of varying totals from a multinomial with one rare word."""
    totals = rng.integers(0, 30, size=150)
    p = np.array([0.4, 0.3, 0.2, 0.08, 0.02])
    return np.array([rng.multinomial(n, p) for n in totals])


# -- the estimate ---------------------------------------------------------------


def test_probabilities_are_shares_of_the_counts(bags):
    model = MultinomialDistribution().fit(bags)
    assert_allclose(model.probabilities_, bags.sum(axis=0) / bags.sum())
    assert model.probabilities_.sum() == pytest.approx(1.0, abs=1e-15)
    assert model.n_trials_ is None  # the totals differ


@pytest.mark.parametrize("alpha", [1e-3, 0.5, 1.0, 7.0])
def test_matches_multinomial_nb_with_one_class(bags, alpha):
    weights = np.random.default_rng(1).uniform(0.1, 3.0, size=len(bags))
    nb = MultinomialNB(alpha=alpha).fit(
        bags, np.zeros(len(bags)), sample_weight=weights
    )
    model = MultinomialDistribution(alpha=alpha).fit(bags, sample_weight=weights)
    assert_allclose(np.log(model.probabilities_), nb.feature_log_prob_[0])
    # NB's joint log-likelihood lacks the multinomial coefficient, which does
    # not depend on the parameters: log N! - sum_j log x_j!.
    coefficient = gammaln(bags.sum(axis=1) + 1) - gammaln(bags + 1).sum(axis=1)
    assert_allclose(
        model.score_samples(bags), nb.predict_joint_log_proba(bags)[:, 0] + coefficient
    )


def test_weighted_counts_with_zero_weight_rows(bags):
    weights = np.random.default_rng(2).integers(0, 3, size=len(bags))
    weights[0] = 1
    model = MultinomialDistribution().fit(bags, sample_weight=weights)
    expected = weights @ bags
    assert_allclose(model.probabilities_, expected / expected.sum())


# -- the log-likelihood ---------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", [np.int64, np.int32, np.uint8, np.float64, np.float32]
)
def test_log_likelihood_matches_scipy_row_by_row(bags, dtype):
    model = MultinomialDistribution(alpha=0.5).fit(bags.astype(dtype))
    assert_allclose(
        model.score_samples(bags.astype(dtype)),
        scipy_log_pmf(bags, model.probabilities_),
        rtol=1e-12,
    )


@pytest.mark.parametrize("container", SPARSE_CONTAINERS)
def test_sparse_log_likelihood_matches_scipy(bags, container):
    model = MultinomialDistribution(alpha=0.5).fit(container(bags))
    assert_allclose(
        model.score_samples(container(bags)),
        scipy_log_pmf(bags, model.probabilities_),
        rtol=1e-12,
    )


def test_large_counts_use_the_exact_log_factorial():
    # Counts past the lookup table (1024) go through gammaln.
    X = np.array([[5000, 3, 0], [1023, 1024, 1], [0, 0, 20000]])
    model = MultinomialDistribution(alpha=1.0).fit(X)
    expected = scipy_log_pmf(X, model.probabilities_)
    assert_allclose(model.score_samples(X), expected, rtol=1e-12)
    assert_allclose(model.score_samples(sp.csr_matrix(X)), expected, rtol=1e-12)


@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix, sp.csc_array])
def test_unseen_column_gives_minus_inf_only_where_counted(container, recwarn):
    # Column 2 never occurs: with alpha=0 its probability is exactly zero.
    model = MultinomialDistribution().fit(container(np.array([[1, 3, 0], [2, 0, 0]])))
    assert model.probabilities_[2] == 0.0
    X_test = np.array([[1, 1, 0], [0, 0, 1], [0, 0, 0], [4, 0, 2]])
    log_likelihood = model.score_samples(container(X_test))
    assert_allclose(log_likelihood, scipy_log_pmf(X_test, model.probabilities_))
    assert np.isfinite(log_likelihood[0])
    assert_array_equal(log_likelihood[[1, 3]], -np.inf)
    # A row of zeros is the one count vector of total zero: probability 1.
    assert log_likelihood[2] == 0.0
    assert not recwarn.list


def test_explicit_zeros_and_duplicates_in_sparse_input():
    # Row 0 stores an explicit zero on the unseen column; row 1 stores its
    # count 2 as two entries of one cell (summed, as scipy does).
    model = MultinomialDistribution().fit([[1, 1, 0], [1, 0, 0]])
    X = sp.csr_matrix(
        (np.array([1.0, 0.0, 1.0, 1.0]), [0, 2, 1, 1], [0, 2, 4]), shape=(2, 3)
    )
    assert not X.has_canonical_format
    expected = scipy_log_pmf([[1, 0, 0], [0, 2, 0]], model.probabilities_)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_allclose(model.score_samples(X), expected)
    # Half counts that add up to whole counts are counts.
    halves = sp.csr_matrix((np.array([0.5, 0.5]), [0, 0], [0, 2]), shape=(1, 3))
    assert_allclose(MultinomialDistribution().fit(halves).probabilities_, [1, 0, 0])


def test_predict_proba_is_a_pmf_over_vectors_of_one_total():
    model = MultinomialDistribution(alpha=1.0).fit([[3, 1, 0], [0, 2, 2]])
    for n_trials in (0, 1, 4):
        total = model.predict_proba(count_vectors(n_trials, 3)).sum()
        assert total == pytest.approx(1.0, abs=1e-12)


# -- support ------------------------------------------------------------------


@pytest.mark.parametrize("container", [np.asarray, *SPARSE_CONTAINERS])
@pytest.mark.parametrize("value", [-1.0, 0.5, 2.25])
def test_outside_the_support_refused_at_fit_naming_the_column(container, value):
    X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]])
    X[1, 2] = value
    with pytest.raises(ValueError, match=rf"column 2 has the value {value} \(row 1\)"):
        MultinomialDistribution().fit(container(X))


def test_dataframe_column_named_in_the_support_error():
    frame = pd.DataFrame({"the": [3, 1], "cat": [0, -2]})
    with pytest.raises(ValueError, match=r"column 1 \('cat'\) has the value -2"):
        MultinomialDistribution().fit(frame)


@pytest.mark.parametrize("container", [np.asarray, sp.csr_matrix, sp.csc_matrix])
def test_outside_the_support_is_minus_inf_at_score_without_warning(container):
    model = MultinomialDistribution(alpha=1.0).fit([[1, 2, 0], [0, 1, 3]])
    X = np.array([[1.0, 1.0, 1.0], [-1.0, 2.0, 0.0], [0.5, 0.5, 0.0], [0, 0, -3.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_likelihood = model.score_samples(container(X))
    assert_array_equal(log_likelihood[1:], -np.inf)
    assert_allclose(log_likelihood[0], scipy_log_pmf(X[:1], model.probabilities_))


def test_negative_integers_refused(bags):
    # What check_positive_only_tag_during_fit and check_fit_non_negative
    # cover: negative values are refused with a ValueError.
    X = bags.copy()
    X[3, 1] = -4
    with pytest.raises(ValueError, match="non-negative integer counts"):
        MultinomialDistribution().fit(X)
    with pytest.raises(ValueError, match="non-negative integer counts"):
        MultinomialDistribution().fit(sp.csc_matrix(X))


def test_all_zero_rows_need_smoothing():
    with pytest.raises(ValueError, match="alpha > 0"):
        MultinomialDistribution().fit(np.zeros((4, 3)))
    model = MultinomialDistribution(alpha=0.5).fit(np.zeros((4, 3)))
    assert_allclose(model.probabilities_, 1 / 3)
    assert model.n_trials_ == 0
    assert model.entropy() == 0.0  # the point mass at the zero vector
    assert_array_equal(model.sample(3, random_state=0), np.zeros((3, 3)))
    assert model.kl_divergence(model) == 0.0


def test_failed_partial_fit_leaves_the_model_unchanged(bags):
    model = MultinomialDistribution().fit(bags)
    before = fitted_state(model)
    for bad in ([[0, 1, 2, 0.5, 0]], sp.csr_matrix([[0, -1, 2, 0, 0]])):
        with pytest.raises(ValueError, match="non-negative integer counts"):
            model.partial_fit(bad)
    assert fitted_state(model) == before


# -- entropy, divergence and sampling: the common total ----------------------------


@pytest.mark.parametrize(
    "n_trials, p",
    [
        (1, [0.5, 0.25, 0.25]),
        (7, [0.1, 0.2, 0.3, 0.4]),
        (40, [0.96, 0.02, 0.01, 0.01]),
        # The window around the mean (38 sd + 470) is far narrower than
        # 0..5000 here: the truncated sum must still equal scipy's full one.
        (5000, [0.001, 0.009, 0.04, 0.95]),
    ],
)
def test_entropy_matches_scipy(n_trials, p):
    X = scipy.stats.multinomial(n_trials, p).rvs(30, random_state=0)
    model = MultinomialDistribution().fit(X)
    assert model.n_trials_ == n_trials
    expected = scipy.stats.multinomial(n_trials, model.probabilities_).entropy()
    assert_allclose(model.entropy(), expected, rtol=1e-11)


def test_entropy_of_one_trial_is_the_categorical_entropy():
    one_hot = np.eye(3)[[0, 0, 1, 2, 2, 2]]
    model = MultinomialDistribution().fit(one_hot)
    assert_allclose(model.entropy(), scipy.stats.entropy(model.probabilities_))
    # With one trial per row the coefficient is 1: score = -entropy exactly.
    assert_allclose(model.score(one_hot), -model.entropy())


def test_training_score_differs_from_minus_entropy_by_the_coefficient():
    # log p(x) = log c(x) + sum_j x_j log p_j, and at the MLE the mean of the
    # second term over the training rows equals its expectation, so
    # score + entropy = mean_i log c(x_i) - E[log c(X)]; E by enumeration.
    X = scipy.stats.multinomial(4, [0.5, 0.3, 0.2]).rvs(200, random_state=1)
    model = MultinomialDistribution().fit(X)

    def log_coefficient(x):
        return gammaln(x.sum(axis=1) + 1) - gammaln(x + 1).sum(axis=1)

    support = count_vectors(4, 3)
    pmf = scipy.stats.multinomial(4, model.probabilities_).pmf(support)
    gap = log_coefficient(X).mean() - pmf @ log_coefficient(support)
    assert abs(gap) > 1e-3  # the identity does fail for these data
    assert_allclose(model.score(X) + model.entropy(), gap, rtol=1e-10)


def test_kl_divergence_matches_enumeration():
    p = MultinomialDistribution().fit([[3, 1, 1], [2, 2, 1]])
    q = MultinomialDistribution(alpha=1.0).fit([[0, 4, 1], [5, 0, 0], [1, 1, 0]])
    support = count_vectors(5, 3)
    log_p = scipy.stats.multinomial(5, p.probabilities_).logpmf(support)
    log_q = scipy.stats.multinomial(5, q.probabilities_).logpmf(support)
    expected = np.exp(log_p) @ (log_p - log_q)
    assert_allclose(p.kl_divergence(q), expected, rtol=1e-12)
    # n D(p || q), the per-trial divergence times the common total.
    per_trial = scipy.stats.entropy(p.probabilities_, q.probabilities_)
    assert_allclose(p.kl_divergence(q), 5 * per_trial, rtol=1e-12)
    # q's own totals differ (5 and 2): only p's total enters.
    assert q.n_trials_ is None


def test_kl_divergence_is_infinite_where_other_misses_a_category():
    p = MultinomialDistribution().fit([[1, 1, 1]])
    q = MultinomialDistribution().fit([[2, 1, 0]])
    assert p.kl_divergence(q) == np.inf
    assert q.kl_divergence(p) < np.inf


def test_different_totals_have_no_entropy_divergence_or_sample(bags):
    model = MultinomialDistribution(alpha=1.0).fit(bags)
    other = MultinomialDistribution(alpha=1.0).fit(bags[:10])
    low, high = bags.sum(axis=1).min(), bags.sum(axis=1).max()
    message = f"totals range from {low} to {high}"
    for method in (model.entropy, lambda: model.kl_divergence(other), model.sample):
        with pytest.raises(ValueError, match=message):
            method()


def test_common_total_is_tracked_across_batches_and_weights():
    model = MultinomialDistribution().partial_fit([[1, 2], [3, 0]])
    assert model.n_trials_ == 3
    model.partial_fit(sp.csr_matrix([[0, 3]]))
    assert model.n_trials_ == 3
    model.partial_fit([[4, 0]])
    assert model.n_trials_ is None
    # A row of weight zero is not part of the data.
    weighted = MultinomialDistribution().fit(
        [[1, 2], [5, 5], [0, 3]], sample_weight=[1, 0, 2]
    )
    assert weighted.n_trials_ == 3


def test_sample_draws_count_vectors_of_the_common_total():
    X = scipy.stats.multinomial(9, [0.6, 0.3, 0.1]).rvs(500, random_state=0)
    model = MultinomialDistribution().fit(X)
    draws = model.sample(20_000, random_state=0)
    assert draws.shape == (20_000, 3)
    assert draws.dtype == np.float64
    assert_array_equal(draws.sum(axis=1), 9)
    assert_array_equal(draws, np.round(draws))
    # Means n p, five standard errors sqrt(n p (1 - p) / draws).
    p = model.probabilities_
    assert np.all(
        np.abs(draws.mean(axis=0) - 9 * p) < 5 * np.sqrt(9 * p * (1 - p) / 2e4)
    )


def test_information_criteria_count_d_minus_one_parameters(bags):
    model = MultinomialDistribution(alpha=1.0).fit(bags)
    log_likelihood = model.score_samples(bags).sum()
    assert_allclose(model.aic(bags), -2 * log_likelihood + 2 * 4)
    assert_allclose(model.bic(bags), -2 * log_likelihood + 4 * np.log(len(bags)))


# -- sparse input ---------------------------------------------------------------


@pytest.mark.parametrize("container", SPARSE_CONTAINERS)
def test_sparse_equals_dense(bags, container):
    weights = np.random.default_rng(0).uniform(size=len(bags))
    dense = MultinomialDistribution(alpha=0.1).fit(bags, sample_weight=weights)
    sparse = MultinomialDistribution(alpha=0.1).fit(
        container(bags), sample_weight=weights
    )
    assert_allclose(sparse.probabilities_, dense.probabilities_, rtol=1e-14)
    assert_allclose(
        sparse.score_samples(container(bags)), dense.score_samples(bags), rtol=1e-13
    )


def test_sparse_is_not_densified(monkeypatch):
    X = sp.random(60, 30, density=0.1, format="csr", random_state=0)
    X.data = np.ceil(5 * X.data)

    def refuse(*args, **kwargs):
        raise AssertionError("densified")

    monkeypatch.setattr(type(X), "toarray", refuse)
    monkeypatch.setattr(type(X), "todense", refuse)
    model = MultinomialDistribution(alpha=1).fit(X)
    assert model.score_samples(X).shape == (60,)


# -- weights, batches and properties -------------------------------------------


@given(X=counts, data=st.data())
def test_integer_weights_equal_repetition(X, data):
    weights = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=len(X), max_size=len(X)))
    )
    assume(weights @ X.sum(axis=1) > 0)
    weighted = MultinomialDistribution(alpha=0.5).fit(X, sample_weight=weights)
    repeated = MultinomialDistribution(alpha=0.5).fit(np.repeat(X, weights, axis=0))
    assert_allclose(weighted.probabilities_, repeated.probabilities_)
    assert weighted.n_trials_ == repeated.n_trials_


@given(X=counts, cut=st.integers(1, 19))
def test_batches_equal_one_fit(X, cut):
    assume(len(X) >= 2)
    cut = min(cut, len(X) - 1)
    whole = MultinomialDistribution(alpha=1.0).fit(X)
    batched = MultinomialDistribution(alpha=1.0).partial_fit(X[:cut])
    batched.partial_fit(sp.csr_matrix(X[cut:]))
    assert_allclose(batched.probabilities_, whole.probabilities_)
    assert batched.n_trials_ == whole.n_trials_


@given(X=counts, direction=arrays(np.float64, 4, elements=st.floats(-1, 1)))
def test_mle_beats_every_move_on_the_simplex(X, direction):
    assume(X.sum() > 0)
    model = MultinomialDistribution().fit(X)
    # Move inside the simplex: toward another probability vector.
    target = np.exp(direction[: X.shape[1]])
    target /= target.sum()
    perturbed = MultinomialDistribution().fit(X)
    perturbed.probabilities_ = 0.9 * model.probabilities_ + 0.1 * target
    assert perturbed.score(X) <= model.score(X) + 1e-12


@given(Y=counts, data=st.data())
def test_gibbs_inequality(Y, data):
    # One row has one total, so p has an entropy and divergences.
    x = data.draw(arrays(np.int64, (1, Y.shape[1]), elements=st.integers(0, 5)))
    assume(x.sum() > 0)
    p = MultinomialDistribution().fit(x)
    q = MultinomialDistribution(alpha=0.5).fit(Y)
    assert p.kl_divergence(q) >= 0
    assert p.kl_divergence(p) == 0
    assert p.entropy() >= 0


# -- input types -------------------------------------------------------------------


def test_dataframe_input_keeps_the_words():
    frame = pd.DataFrame({"the": [3, 1, 2], "cat": [0, 2, 1], "sat": [1, 1, 1]})
    model = MultinomialDistribution().fit(frame)
    assert_array_equal(model.feature_names_in_, ["the", "cat", "sat"])
    assert_allclose(model.probabilities_, [6 / 12, 3 / 12, 3 / 12])
    assert model.n_trials_ == 4


@pytest.mark.parametrize(
    "X_bad, match",
    [
        ([[0.0, np.nan]], "NaN"),
        ([[0.0, np.inf]], "infinity"),
        ([[1, 2, 3]], "3 features"),
    ],
)
def test_invalid_input_is_an_error_at_score_time(X_bad, match):
    model = MultinomialDistribution().fit([[0, 1], [1, 1]])
    with pytest.raises(ValueError, match=match):
        model.score_samples(X_bad)


def test_bad_alpha():
    with pytest.raises(ValueError, match="alpha"):
        MultinomialDistribution(alpha=-1.0).fit([[1]])


# -- scikit-learn's checks on counts -----------------------------------------------


class _RoundedMultinomial(MultinomialDistribution):
    """The estimator with each check's data rounded to integers after validation.

    scikit-learn's checks fit on non-negative floats, outside the support of
    counts (tests/family_cases/multinomial.py lists them as expected
    failures). Rounding them to the nearest integer (negatives stay negative
    and are still refused) puts them in the support, so every convention the
    checks cover is tested on counts through the estimator's own code.
    """

    def _validate_X(self, X, *, reset):
        X = super()._validate_X(X, reset=reset)
        if sp.issparse(X):
            X = X.copy()
            X.data = np.round(X.data)
            return X
        return np.round(X)


_SPARSE_REASON = (
    "the sparse-input check treats every estimator with predict_proba as a "
    "classifier (as in tests/test_common.py)"
)


@parametrize_with_checks(
    [_RoundedMultinomial()],
    expected_failed_checks=lambda estimator: {
        "check_estimator_sparse_array": _SPARSE_REASON,
        "check_estimator_sparse_matrix": _SPARSE_REASON,
        # Centred iris data are negative: refused (test_negative_integers_refused),
        # in skxent's wording rather than "Negative values in data".
        "check_positive_only_tag_during_fit": "skxent's wording of the refusal",
    },
)
def test_sklearn_checks_on_counts(estimator, check):
    check(estimator)
