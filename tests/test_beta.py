"""Tests of BetaDistribution against scipy, closed forms and integration.

The shared family suite (tests/test_families.py) covers weights, batches,
permutations, scipy's log-density and entropy, Monte-Carlo entropy and KL,
pickling and atomic fits; the solver, shared with the Dirichlet, is tested on
extreme data in tests/test_dirichlet.py. This module adds what is particular
to the Beta: agreement with ``scipy.stats.beta.fit``, shapes far from 1,
constant columns, the support (0, 1) by column, the divergence against
numerical integration, and scikit-learn's checks on data mapped into (0, 1).
"""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate, stats
from scipy.special import betaln, digamma, polygamma

from skxent import BetaDistribution
from tests._checks_in_support import checks_named, names_of, names_with_reason
from tests.family_cases.beta import _OUTSIDE_UNIT_INTERVAL, EXPECTED_FAILED_CHECKS

#: Shapes from far below 1 to far above 1000, as (a, b) per column.
SHAPES = [(2.0, 5.0), (0.5, 0.5), (0.1, 3.0), (0.05, 0.08), (50.0, 200.0), (3e3, 1e3)]


def draws(rng, shapes, n_samples):
    """Beta draws per column, rows with a value rounded to 0 or 1 dropped.

    For shapes below 1 a few draws lie within 1e-16 of an end of (0, 1) and
    round onto it, outside the support.
    """
    a, b = np.array(shapes).T
    X = rng.beta(a, b, size=(n_samples, len(shapes)))
    return X[np.all((X > 0) & (X < 1), axis=1)]


def log_likelihood(a, b, x):
    """Total log-likelihood of a column, from scipy's density."""
    return stats.beta(a, b).logpdf(x).sum()


def with_shapes(a, b):
    """A fitted model whose shapes are then set."""
    a, b = np.atleast_1d(a).astype(float), np.atleast_1d(b).astype(float)
    model = BetaDistribution().fit(np.tile([[0.2], [0.6], [0.5]], a.size))
    model.a_, model.b_ = a, b
    return model


# -- the maximum likelihood estimate ------------------------------------------------


def test_shapes_match_scipy_fit_and_reach_its_likelihood(rng):
    X = draws(rng, SHAPES, 2000)
    model = BetaDistribution().fit(X)
    for j in range(X.shape[1]):
        a, b, _, _ = stats.beta.fit(X[:, j], floc=0, fscale=1)
        # scipy's fsolve stops at a relative step of 1.5e-8.
        assert_allclose([model.a_[j], model.b_[j]], [a, b], rtol=1e-8)
        ours = log_likelihood(model.a_[j], model.b_[j], X[:, j])
        theirs = log_likelihood(a, b, X[:, j])
        # The sum of 2000 log-densities rounds at a few ulps of its terms.
        terms = np.abs(stats.beta(a, b).logpdf(X[:, j])).sum() + 2000 * abs(
            betaln(a, b)
        )
        assert ours >= theirs - 8 * np.finfo(float).eps * terms


def test_shapes_solve_the_likelihood_equations(rng):
    X = draws(rng, SHAPES, 500)
    weights = rng.uniform(0.0, 3.0, size=len(X))
    model = BetaDistribution().fit(X, sample_weight=weights)
    total = digamma(model.a_ + model.b_)
    mean_log = np.average(np.log(X), axis=0, weights=weights)
    mean_log1m = np.average(np.log1p(-X), axis=0, weights=weights)
    assert_allclose(digamma(model.a_) - total, mean_log, rtol=1e-13, atol=1e-14)
    assert_allclose(digamma(model.b_) - total, mean_log1m, rtol=1e-13, atol=1e-14)


def test_columns_are_fit_independently(rng):
    X = draws(rng, SHAPES, 300)
    together = BetaDistribution().fit(X)
    for j in range(X.shape[1]):
        alone = BetaDistribution().fit(X[:, [j]])
        assert_allclose([together.a_[j], together.b_[j]], [alone.a_[0], alone.b_[0]])


def test_values_near_zero_keep_their_complement(rng):
    # log(1 - x) for x ~ 1e-10 is -x to full precision with log1p; computed
    # as log(1 - x) it would keep six digits, and so would b.
    X = draws(rng, [(2.0, 5.0)], 300) * 1e-10
    model = BetaDistribution().fit(X)
    a, b = model.a_, model.b_
    # b is about 5e10, where digamma(b) - digamma(a + b) cancels all but
    # five digits; by the midpoint rule it is -a psi'(b + a/2) to a relative
    # a^2 / (12 b^2).
    assert_allclose(-a * polygamma(1, b + a / 2), np.mean(np.log1p(-X)), rtol=1e-10)
    assert_allclose(digamma(a) - digamma(a + b), np.mean(np.log(X)), rtol=1e-13)


#: Log-shapes from 0.05 to 5000.
log_shape = st.floats(np.log(0.05), np.log(5e3))


# Thirty examples: each fits a model and scores four perturbations of it.
@settings(max_examples=30)
@given(
    log_shapes=st.lists(
        st.tuples(log_shape, log_shape),
        min_size=1,
        max_size=3,
    ),
    n_samples=st.integers(2, 30),
    seed=st.integers(0, 2**16),
)
def test_mle_beats_every_perturbation(log_shapes, n_samples, seed):
    X = draws(np.random.default_rng(seed), np.exp(log_shapes), n_samples)
    if len(X) < 2:
        return
    with warnings.catch_warnings():
        # A ConvergenceWarning would be a solver that gave up.
        warnings.simplefilter("error")
        model = BetaDistribution().fit(X)
    best = model.score_samples(X).sum()
    for factor in (1.01, 0.99):
        for name in ("a_", "b_"):
            moved = copy.copy(model)
            setattr(moved, name, getattr(model, name) * factor)
            assert moved.score_samples(X).sum() <= best + 1e-9 * abs(best)


# -- degenerate data ------------------------------------------------------------


def test_constant_column_is_named():
    frame = pd.DataFrame({"rate": [0.1, 0.2, 0.7], "share": [0.3, 0.3, 0.3]})
    with pytest.raises(ValueError, match=r"column 1 \('share'\).*constant column"):
        BetaDistribution().fit(frame)


@pytest.mark.parametrize("weights", [None, "uniform"])
def test_many_equal_values_are_a_constant_column(weights, rng):
    # Summed row after row, 300,000 equal logs would be off by about 1e-12
    # relative, which the solver would read as a spread of the values.
    X = np.full((300_000, 1), 0.3)
    sample_weight = None if weights is None else rng.uniform(size=300_000)
    with pytest.raises(ValueError, match="constant column"):
        BetaDistribution().fit(X, sample_weight=sample_weight)


def test_one_row_has_no_mle():
    # check_fit2d_1sample: the message mentions the single sample.
    with pytest.raises(ValueError, match="one sample"):
        BetaDistribution().fit([[0.2, 0.7]])


def test_weights_leaving_one_row_have_no_mle():
    with pytest.raises(ValueError, match="column 0"):
        BetaDistribution().fit([[0.2], [0.4], [0.9]], sample_weight=[0, 3, 0])


# -- the support ----------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, value", [(0.0, "0.0"), (1.0, "1.0"), (-0.5, "-0.5"), (1.5, "1.5")]
)
def test_values_outside_the_support_are_named_at_fit(bad, value):
    X = np.array([[0.2, 0.3], [0.5, 0.6], [0.1, 0.9]])
    X[2, 1] = bad
    with pytest.raises(ValueError, match=rf"column 1 has the value {value} \(row 2\)"):
        BetaDistribution().fit(X)


def test_negative_values_are_refused_as_scikit_learn_expects_but_named():
    # check_positive_only_tag_during_fit: a ValueError on negative input.
    frame = pd.DataFrame({"p": [0.5, 0.2], "q": [0.5, -4.0]})
    with pytest.raises(ValueError, match=r"column 1 \('q'\) has the value -4.0"):
        BetaDistribution().fit(frame)


def test_values_outside_the_support_score_minus_inf_without_warning(rng, no_warnings):
    model = BetaDistribution().fit(draws(rng, [(1.0, 2.0), (0.5, 3.0)], 100))
    X_test = np.array(
        [[0.2, 0.3], [0.0, 0.3], [0.2, 1.0], [-0.1, 0.3], [0.2, 2.0], [0.9, 0.01]]
    )
    log_likelihood = model.score_samples(X_test)
    assert_array_equal(np.isneginf(log_likelihood), [0, 1, 1, 1, 1, 0])
    expected = stats.beta(model.a_, model.b_).logpdf(X_test[[0, 5]]).sum(axis=1)
    assert_allclose(log_likelihood[[0, 5]], expected, rtol=1e-12)


def test_read_only_input(rng):
    X = draws(rng, SHAPES, 50)
    X.flags.writeable = False
    model = BetaDistribution().fit(X)
    assert np.all(np.isfinite(model.score_samples(X)))


def test_float32_input_gives_the_float64_model(rng):
    X = draws(rng, SHAPES[:3], 50).astype(np.float32)
    as_float32 = BetaDistribution().fit(X)
    as_float64 = BetaDistribution().fit(X.astype(np.float64))
    assert_array_equal(as_float32.a_, as_float64.a_)


# -- entropy and divergence ---------------------------------------------------------


@pytest.mark.parametrize("a, b", [*SHAPES, (1e5, 2e5), (6e6, 1e7)])
def test_entropy_matches_scipy(a, b):
    # scipy's asymptotic expansions, above 4.96e6, are accurate to ~1e-9.
    rtol = 1e-8 if a > 1e6 else 1e-11
    assert_allclose(with_shapes(a, b).entropy(), stats.beta(a, b).entropy(), rtol=rtol)


def kl_by_integration(p, q):
    """``D(Beta(p) || Beta(q))`` as the integral of ``f_p log(f_p / f_q)``."""
    first, second = stats.beta(*p), stats.beta(*q)

    def integrand(x):
        log_p = first.logpdf(x)
        return np.exp(log_p) * (log_p - second.logpdf(x))

    value, _ = integrate.quad(integrand, 0, 1, epsabs=1e-13, epsrel=1e-12, limit=200)
    return value


@pytest.mark.parametrize(
    "p, q",
    [((2.0, 3.0), (1.0, 1.0)), ((0.7, 0.9), (2.0, 5.0)), ((30.0, 10.0), (25.0, 12.0))],
)
def test_kl_matches_numerical_integration(p, q):
    kl = with_shapes(*p).kl_divergence(with_shapes(*q))
    assert_allclose(kl, kl_by_integration(p, q), rtol=1e-8)


def test_kl_sums_over_columns():
    p = with_shapes([2.0, 30.0], [3.0, 10.0])
    q = with_shapes([1.0, 25.0], [1.0, 12.0])
    columns = kl_by_integration((2.0, 3.0), (1.0, 1.0)) + kl_by_integration(
        (30.0, 10.0), (25.0, 12.0)
    )
    assert_allclose(p.kl_divergence(q), columns, rtol=1e-8)
    assert p.kl_divergence(p) == 0.0


# -- scikit-learn's checks in (0, 1) --------------------------------------------


class UnitIntervalBeta(BetaDistribution):
    """BetaDistribution fit on ``1/2 + arctan(x)/pi`` of the values it is given.

    scikit-learn's checks draw values outside (0, 1); the map sends the real
    line onto (0, 1), the same at fit and at score time, so the checks
    exercise every convention (cloning, refitting, pickling, invariances,
    weights) of the real estimator on data in its support. (A logistic map
    would round the checks' values near 100 onto 1.)
    """

    def _validate_X(self, X, *, reset):
        return 0.5 + np.arctan(super()._validate_X(X, reset=reset)) / np.pi


IN_UNIT_INTERVAL = names_with_reason(EXPECTED_FAILED_CHECKS, _OUTSIDE_UNIT_INTERVAL)
CHECKS_IN_UNIT_INTERVAL = checks_named(UnitIntervalBeta(), IN_UNIT_INTERVAL)


def test_every_check_refused_outside_runs_inside():
    assert names_of(CHECKS_IN_UNIT_INTERVAL) == set(IN_UNIT_INTERVAL)


@pytest.mark.parametrize("estimator, check", CHECKS_IN_UNIT_INTERVAL)
def test_check_passes_in_unit_interval(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        check(estimator)
