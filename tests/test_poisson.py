"""Tests of PoissonDistribution against scipy, closed forms and exact references.

The shared family suite (tests/test_families.py) covers weights, batches,
permutations, Monte-Carlo entropy and KL, pickling and atomic fits; this
module adds what is particular to counts: the support (integers, dense and
sparse), rates of zero, the entropy series over the whole range of rates,
and scikit-learn's checks on integer data.
"""

import math
import warnings
from decimal import Decimal, localcontext
from functools import partial

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from scipy.optimize import differential_evolution

from skxent import PoissonDistribution
from skxent.distributions import _poisson_math
from tests._checks_in_support import checks_named, names_of, names_with_reason
from tests.family_cases.poisson import _NON_INTEGER_DATA, EXPECTED_FAILED_CHECKS

SPARSE_CONTAINERS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array]

#: Small count tables: up to 25 rows, 3 columns, counts up to 30.
counts = arrays(
    np.int64,
    st.tuples(st.integers(1, 25), st.integers(1, 3)),
    elements=st.integers(0, 30),
)


@pytest.fixture
def X(rng):
    return rng.poisson([0.2, 2.0, 7.5, 40.0], size=(300, 4)).astype(np.float64)


def decimal_entropy(rate, digits=40):
    """``-sum_k p_k log p_k`` summed term by term with 40 significant digits.

    The slow, obviously correct reference: ``log p_k`` by the recurrence
    ``log p_(k+1) = log p_k + log(rate) - log(k + 1)`` from ``log p_0 =
    -rate``, every term in decimal arithmetic, over far more counts than the
    implementation's range (12 standard deviations plus 60).
    """
    with localcontext() as context:
        context.prec = digits
        rate_ = Decimal(rate)
        log_rate = rate_.ln()
        log_p, total = -rate_, Decimal(0)
        for k in range(1, int(rate + 12 * math.sqrt(rate) + 60) + 2):
            total -= log_p.exp() * log_p
            log_p += log_rate - Decimal(k).ln()
        return float(total)


def with_rates(rates):
    """A fitted model with the given rates (fit on counts, rates then set)."""
    rates = np.atleast_1d(np.asarray(rates, dtype=np.float64))
    model = PoissonDistribution().fit(np.zeros((1, rates.size)))
    model.rates_ = rates
    return model


def kl_by_summation(rate_p, rate_q):
    """``sum_k p_k log(p_k / q_k)`` over every count with visible mass."""
    k = np.arange(0, int(10 * max(rate_p, rate_q)) + 200)
    p = stats.poisson(rate_p)
    k = k[p.pmf(k) > 0]  # 0 log 0 = 0
    return float(np.sum(p.pmf(k) * (p.logpmf(k) - stats.poisson(rate_q).logpmf(k))))


# -- the estimate -------------------------------------------------------------


def test_rates_are_weighted_column_means(X, rng):
    weights = rng.uniform(0.1, 3.0, size=len(X))
    model = PoissonDistribution().fit(X, sample_weight=weights)
    assert_allclose(model.rates_, np.average(X, axis=0, weights=weights))


def test_rates_match_scipy_fit_and_beat_its_likelihood(X):
    # scipy.stats.poisson has no fit method; scipy.stats.fit maximizes the
    # likelihood numerically, by differential evolution (seeded here: its
    # default draws a new seed and sometimes stops 1e-3 off).
    model = PoissonDistribution().fit(X)
    optimizer = partial(differential_evolution, rng=0, tol=1e-12)
    for j in range(X.shape[1]):
        column = X[:, j]
        bounds = {"mu": (0, 100), "loc": (0, 0)}
        result = stats.fit(stats.poisson, column, bounds, optimizer=optimizer)
        assert_allclose(model.rates_[j], result.params.mu, rtol=1e-6)
        ours = stats.poisson(model.rates_[j]).logpmf(column).sum()
        theirs = stats.poisson(result.params.mu).logpmf(column).sum()
        # Near the maximum the likelihood is flat to second order: scipy's
        # 1e-9 offset in the rate changes it by less than its rounding.
        assert ours >= theirs - 1e-12 * abs(theirs)


def test_score_samples_match_scipy(X):
    model = PoissonDistribution().fit(X[:200])
    expected = stats.poisson(model.rates_).logpmf(X).sum(axis=1)
    assert_allclose(model.score_samples(X), expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.uint16, bool])
def test_integer_dtypes_give_the_float_model(dtype):
    # uint8 + 1 would wrap 255 to 0 inside log(x!): the kernels add in float.
    X = np.array([[255, 1], [0, 0], [3, 1]]) if dtype is not bool else [[1, 0]]
    X = np.asarray(X).astype(dtype)
    model = PoissonDistribution().fit(X)
    reference = PoissonDistribution().fit(X.astype(np.float64))
    assert_array_equal(model.rates_, reference.rates_)
    assert_allclose(model.score_samples(X), reference.score_samples(X.astype(float)))
    expected = stats.poisson(model.rates_).logpmf(X.astype(float)).sum(axis=1)
    assert_allclose(model.score_samples(X), expected, rtol=1e-12)


def test_rate_zero_gives_minus_inf_only_to_positive_counts(no_warnings):
    model = PoissonDistribution().fit([[0, 1], [0, 3]])
    assert_array_equal(model.rates_, [0.0, 2.0])
    X_test = np.array([[0, 2], [1, 2], [0, 0]])
    expected = stats.poisson([0.0, 2.0]).logpmf(X_test).sum(axis=1)
    assert expected[1] == -np.inf
    assert_allclose(model.score_samples(X_test), expected)
    for container in SPARSE_CONTAINERS:
        assert_allclose(model.score_samples(container(X_test)), expected)


def test_all_zero_data_is_a_point_mass(no_warnings):
    model = PoissonDistribution().fit(np.zeros((5, 3)))
    assert_array_equal(model.rates_, 0.0)
    assert model.score(np.zeros((2, 3))) == 0.0
    assert model.entropy() == 0.0
    assert_array_equal(model.sample(10, random_state=0), 0.0)


def test_one_row_fits_its_counts():
    model = PoissonDistribution().fit([[4, 0, 17]])
    assert_array_equal(model.rates_, [4.0, 0.0, 17.0])


def test_huge_counts_stay_finite():
    X = np.array([[1e15, 3e15], [2e15, 1e15]])
    model = PoissonDistribution().fit(X)
    assert_allclose(model.rates_, [1.5e15, 2e15])
    expected = stats.poisson(model.rates_).logpmf(X).sum(axis=1)
    assert_allclose(model.score_samples(X), expected, rtol=1e-9)


def test_overflowing_sums_are_a_clear_error():
    with pytest.raises(ValueError, match="overflow"):
        PoissonDistribution().fit(np.full((3, 1), 1e308))


# -- the support --------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, value", [(2.5, "2.5"), (-1.0, "-1.0"), (-3, "-3"), (1e-9, "1e-09")]
)
def test_values_outside_the_support_are_named_at_fit(bad, value):
    X = np.array([[0, 1], [2, 3], [1, 1]], dtype=type(bad))
    X[2, 1] = bad
    with pytest.raises(ValueError, match=rf"column 1 has the value {value} \(row 2\)"):
        PoissonDistribution().fit(X)


def test_dataframe_column_is_named_at_fit():
    frame = pd.DataFrame({"calls": [0, 2, 1], "visits": [1.0, 0.5, 2.0]})
    with pytest.raises(ValueError, match=r"column 1 \('visits'\) has the value 0.5"):
        PoissonDistribution().fit(frame)


@pytest.mark.parametrize("container", SPARSE_CONTAINERS)
def test_sparse_values_outside_the_support_are_named_at_fit(container):
    X = np.zeros((6, 4))
    X[4, 2] = -2.0
    with pytest.raises(ValueError, match=r"column 2 has the value -2.0 \(row 4\)"):
        PoissonDistribution().fit(container(X))


def test_sparse_duplicate_entries_are_summed_before_the_check():
    # Row 0 stores 0.5 twice in column 0 (the count 1); row 1 stores 0.3
    # twice (0.6, not a count).
    valid = sp.csr_matrix(([0.5, 0.5, 2.0], [0, 0, 1], [0, 2, 3]), shape=(2, 2))
    assert not valid.has_canonical_format
    model = PoissonDistribution().fit(valid)
    assert_allclose(model.rates_, [0.5, 1.0])
    assert_allclose(model.score_samples(valid), model.score_samples([[1, 0], [0, 2]]))
    invalid = sp.csr_matrix(([0.3, 0.3], [0, 0], [0, 0, 2]), shape=(2, 2))
    with pytest.raises(ValueError, match=r"value 0.6 \(row 1\)"):
        PoissonDistribution().fit(invalid)
    assert model.score_samples(invalid)[1] == -np.inf


@pytest.mark.parametrize("make", [np.asarray, *SPARSE_CONTAINERS])
def test_values_outside_the_support_score_minus_inf_without_warning(
    X, make, no_warnings
):
    model = PoissonDistribution().fit(X)
    X_test = np.array(
        [[0, 1, 2, 3], [0.5, 1, 2, 3], [0, -1, 2, 3], [0, 1, -0.5, 3], [1, 1, 1, 1]]
    )
    log_likelihood = model.score_samples(make(X_test))
    assert_array_equal(np.isneginf(log_likelihood), [False, True, True, True, False])
    expected = stats.poisson(model.rates_).logpmf(X_test[[0, 4]]).sum(axis=1)
    assert_allclose(log_likelihood[[0, 4]], expected, rtol=1e-12)


def test_failed_fit_leaves_the_model_unchanged(X):
    model = PoissonDistribution().fit(X)
    rates = model.rates_.copy()
    with pytest.raises(ValueError, match=r"value 0\.5"):
        model.partial_fit(np.full((2, 4), 0.5))
    assert_array_equal(model.rates_, rates)


# -- sparse input -------------------------------------------------------------


@pytest.mark.parametrize("container", SPARSE_CONTAINERS)
def test_sparse_equals_dense(container, rng):
    X = rng.poisson(0.05, size=(400, 30)).astype(np.float64)
    X[:, 3] = 0.0  # a column of rate zero
    weights = rng.uniform(0.0, 2.0, size=400)
    dense = PoissonDistribution().fit(X, sample_weight=weights)
    sparse = PoissonDistribution().fit(container(X), sample_weight=weights)
    assert_allclose(sparse.rates_, dense.rates_, rtol=1e-13)
    assert_allclose(sparse.score_samples(container(X)), dense.score_samples(X))
    X_test = X[:50].copy()
    X_test[::7, 3] = 1.0
    assert_allclose(
        sparse.score_samples(container(X_test)), dense.score_samples(X_test)
    )


def test_sparse_integer_weights_equal_repeated_rows(rng):
    X = rng.poisson(0.3, size=(60, 8)).astype(np.float64)
    weights = rng.integers(0, 4, size=60)
    weights[0] = 1
    weighted = PoissonDistribution().fit(sp.csr_matrix(X), sample_weight=weights)
    repeated = PoissonDistribution().fit(np.repeat(X, weights, axis=0))
    assert_allclose(weighted.rates_, repeated.rates_, rtol=1e-13)


def test_sparse_is_not_densified(monkeypatch):
    X = sp.random(
        50,
        10,
        density=0.2,
        format="csr",
        random_state=0,
        data_rvs=lambda n: np.full(n, 3.0),
    )

    def refuse(*args, **kwargs):
        raise AssertionError("densified")

    monkeypatch.setattr(type(X), "toarray", refuse)
    monkeypatch.setattr(type(X), "todense", refuse)
    model = PoissonDistribution().fit(X)
    assert model.score_samples(X).shape == (50,)


# -- entropy --------------------------------------------------------------------


@pytest.mark.parametrize("rate", [1e-300, 1e-12, 1e-3, 0.3, 1.0, 9.99, 10.0, 41.5, 1e3])
def test_entropy_matches_a_forty_digit_sum(rate):
    assert_allclose(_poisson_math.entropy([rate]), decimal_entropy(rate), rtol=1e-15)


def test_entropy_matches_scipy(rng):
    rates = np.array([1e-3, 0.7, 5.0, 63.0, 800.0])
    model = PoissonDistribution().fit(rng.poisson(rates, size=(20_000, 5)))
    expected = stats.poisson(model.rates_).entropy().sum()
    assert_allclose(model.entropy(), expected, rtol=1e-9)


@pytest.mark.parametrize("rate", [1e4 + 1e-8, 1e5, 1e6])
def test_asymptotic_entropy_equals_the_series_where_it_takes_over(rate):
    # scipy's entropy does not converge above about 1e4; the two methods of
    # the implementation are independent (the series sums 2e4 terms at 1e6).
    series = _poisson_math._series_entropy(np.array([rate]))
    asymptotic = _poisson_math._asymptotic_entropy(np.array([rate]))[0]
    assert_allclose(asymptotic, series, rtol=2e-15)
    assert_allclose(_poisson_math.entropy([rate]), series, rtol=2e-15)


def test_entropy_of_huge_rates_is_the_normal_limit():
    # H -> log(2 pi e rate) / 2, the entropy of the normal limit, up to 1/(12 rate).
    for rate in (1e12, 1e300):
        limit = 0.5 * np.log(2 * np.pi * np.e * rate)
        assert_allclose(_poisson_math.entropy([rate]), limit, rtol=1e-13)


def test_entropy_sums_columns_in_blocks(rng):
    # Many columns of spread rates go through the series in blocks of similar
    # rates; the sum must equal the columns' entropies one at a time.
    rates = np.concatenate([[0.0, 0.0], 10 ** rng.uniform(-6, 5.3, size=120)])
    one_at_a_time = sum(_poisson_math.entropy([rate]) for rate in rates)
    assert_allclose(_poisson_math.entropy(rates), one_at_a_time, rtol=1e-14)


# -- Kullback-Leibler divergence ---------------------------------------------


@pytest.mark.parametrize(
    "rate_p, rate_q",
    [(3.0, 3.5), (0.01, 40.0), (40.0, 0.01), (120.0, 150.0), (0.0, 2.5)],
)
def test_kl_matches_summation_over_counts(rate_p, rate_q):
    p, q = with_rates(rate_p), with_rates(rate_q)
    reference = kl_by_summation(rate_p, rate_q)
    assert_allclose(p.kl_divergence(q), reference, rtol=1e-9, atol=1e-15)


def test_kl_conventions_at_rate_zero():
    p = PoissonDistribution().fit([[0, 2, 0]])
    q = PoissonDistribution().fit([[0, 3, 1.0]])
    # Column 0: both point masses at 0 (0); column 2: p a point mass at 0,
    # of probability exp(-1) under q (1); column 1: closed form.
    expected = 0.0 + 1.0 + (2 * np.log(2 / 3) - 2 + 3)
    assert_allclose(p.kl_divergence(q), expected)
    assert q.kl_divergence(p) == np.inf


def test_kl_keeps_its_digits_for_nearly_equal_rates():
    # D = rate (r log r - r + 1) with r = 1 + 1e-6 is rate * 5e-13 (1 - 1e-6 / 3):
    # a naive evaluation cancels all but three digits.
    rate_p, rate_q = 50.0, 50.0 * (1 + 1e-6)
    with localcontext() as context:
        context.prec = 40
        ratio = Decimal(rate_p) / Decimal(rate_q)
        exact = Decimal(rate_q) * (ratio * ratio.ln() - ratio + 1)
    kl = with_rates(rate_p).kl_divergence(with_rates(rate_q))
    assert_allclose(kl, float(exact), rtol=1e-13)


@given(X=counts, data=st.data())
def test_score_difference_on_the_training_data_is_the_kl(X, data):
    # log p(x) - log q(x) = x log(l_p / l_q) - l_p + l_q, whose mean over
    # p's training data (mean x = l_p) is D(p || q).
    Y = data.draw(arrays(np.int64, (5, X.shape[1]), elements=st.integers(1, 30)))
    p = PoissonDistribution().fit(X)
    q = PoissonDistribution().fit(Y)
    gap = p.score(X) - q.score(X)
    assert_allclose(gap, p.kl_divergence(q), rtol=1e-9, atol=1e-9)
    assert p.kl_divergence(q) >= 0
    assert p.kl_divergence(p) == 0


@given(X=counts, factor=st.floats(0.5, 2.0).filter(lambda f: abs(f - 1) > 1e-3))
def test_mle_beats_every_rescaled_rate(X, factor):
    model = PoissonDistribution().fit(X)
    perturbed = PoissonDistribution().fit(X)
    perturbed.rates_ = model.rates_ * factor
    assert perturbed.score(X) <= model.score(X) + 1e-12


# -- sampling -------------------------------------------------------------------


def test_sample_draws_counts_with_the_rates():
    model = PoissonDistribution().fit([[0.0, 4.0], [1.0, 6.0]])
    draws = model.sample(40_000, random_state=0)
    assert draws.shape == (40_000, 2)
    assert_array_equal(draws, np.floor(draws))
    # Five standard errors of the mean of a Poisson: 5 sqrt(rate / n).
    rates = np.array([0.5, 5.0])
    assert np.all(np.abs(draws.mean(axis=0) - rates) < 5 * np.sqrt(rates / 4e4))


# -- scikit-learn's checks on integer data --------------------------------------


class IntegerCountsPoisson(PoissonDistribution):
    """PoissonDistribution whose tags make scikit-learn's checks draw counts.

    For an estimator tagged ``categorical``, scikit-learn's checks round
    their data to non-negative integers (``_enforce_estimator_tags_X``):
    data inside the Poisson support. The public class does not carry the
    tag, as its input is counts, not categories.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        return tags


ON_COUNTS = names_with_reason(EXPECTED_FAILED_CHECKS, _NON_INTEGER_DATA)
CHECKS_ON_COUNTS = checks_named(IntegerCountsPoisson(), ON_COUNTS)


def test_every_check_refused_on_floats_runs_on_counts():
    assert names_of(CHECKS_ON_COUNTS) == set(ON_COUNTS)


@pytest.mark.parametrize("estimator, check", CHECKS_ON_COUNTS)
def test_check_passes_on_counts(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        check(estimator)


def test_negative_values_are_refused_as_scikit_learn_expects_but_named():
    # check_positive_only_tag_during_fit: a ValueError on negative input.
    X = np.array([[1, 2], [0, -4]])
    with pytest.raises(ValueError, match=r"column 1 has the value -4 \(row 1\)"):
        PoissonDistribution().fit(X)
