"""Tests of DirichletDistribution and of the Dirichlet solver shared with Beta.

The shared family suite (tests/test_families.py) covers weights, batches,
permutations, scipy's log-density and entropy, Monte-Carlo entropy and KL,
pickling and atomic fits; this module adds what is particular to the
simplex: the maximum likelihood solver on extreme data (concentrations far
below 1 and far above 1000, two and fifty components, one row, weights)
against the optimizer a user would write, degenerate data, the support and
its tolerance, the divergence against numerical integration, sampling for
tiny concentrations, and scikit-learn's checks on data mapped onto the
simplex.
"""

import copy
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate, optimize, stats
from scipy.special import digamma, gammaln, polygamma, softmax

from skxent import BetaDistribution, DirichletDistribution
from skxent.distributions import _dirichlet_math
from tests._checks_in_support import checks_named, names_of, names_with_reason
from tests.family_cases.dirichlet import _OFF_THE_SIMPLEX, EXPECTED_FAILED_CHECKS


def on_simplex(rng, alpha, n_samples):
    """Dirichlet draws, keeping the rows that float64 can hold on the open simplex.

    For concentrations far below 1 some components are below the smallest
    float and round to 0; such rows are off the open simplex, and dropped.
    """
    X = rng.dirichlet(alpha, size=n_samples)
    return X[np.all(X > 0, axis=1)]


def mean_log(X, sample_weight=None):
    """The statistics, computed directly: weighted means of log x_k."""
    return np.average(np.log(X), axis=0, weights=sample_weight)


def reference_mle(X, sample_weight=None):
    """The fit a user would write: L-BFGS-B on the negative log-likelihood.

    Parametrized by log(alpha), with the analytic gradient, from the
    moment-matched start (mean m and the precision s that matches the
    variance of the first component, m_1 (1 - m_1) / (s + 1)), and
    tolerances as tight as L-BFGS-B accepts.
    """
    ell = mean_log(X, sample_weight)
    mean = np.average(X, axis=0, weights=sample_weight)
    variance = np.average((X[:, 0] - mean[0]) ** 2, weights=sample_weight)
    precision = mean[0] * (1 - mean[0]) / variance - 1

    def loss(log_alpha):
        alpha = np.exp(log_alpha)
        value = gammaln(alpha).sum() - gammaln(alpha.sum()) - (alpha - 1) @ ell
        gradient = digamma(alpha) - digamma(alpha.sum()) - ell
        return value, gradient * alpha

    result = optimize.minimize(
        loss,
        np.log(precision * mean),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    return np.exp(result.x)


def mean_log_likelihood(alpha, ell):
    """Mean log-likelihood from the statistics (the rows' sum of logpdf / n)."""
    return (alpha - 1) @ ell - (gammaln(alpha).sum() - gammaln(alpha.sum()))


def likelihood_rounding(alpha, ell):
    """A few ulps of the terms of ``mean_log_likelihood``, which cancel."""
    terms = np.abs(gammaln(alpha)).sum() + abs(gammaln(alpha.sum()))
    return 4 * np.finfo(float).eps * (terms + np.abs(alpha * ell).sum())


def residual(alpha, ell):
    """``psi(alpha_k) - psi(alpha_0) - ell_k``: zero at the MLE."""
    return digamma(alpha) - digamma(alpha.sum()) - ell


def with_concentration(alpha):
    """A fitted model whose concentrations are then set to ``alpha``."""
    alpha = np.asarray(alpha, dtype=np.float64)
    X = np.random.default_rng(0).dirichlet(np.ones(alpha.size), size=10)
    model = DirichletDistribution().fit(X)
    model.concentration_ = alpha
    return model


# -- the maximum likelihood estimate ------------------------------------------------

EXTREME = {
    "small K=2": [0.02, 0.05],
    "small K=50": np.full(50, 0.05),
    "large K=2": [2e3, 5e3],
    "huge K=2": [1e5, 3e5],
    "large K=50": np.geomspace(1e3, 1e4, 50),
    "mixed K=3": [0.05, 3.0, 2e3],
}


@pytest.mark.parametrize("alpha", EXTREME.values(), ids=EXTREME.keys())
def test_mle_solves_the_equations_and_beats_the_user_optimizer(alpha, rng):
    X = on_simplex(rng, alpha, 500)
    fitted = DirichletDistribution().fit(X).concentration_
    ell = mean_log(X)
    # The equations hold to the rounding of digamma at the solution.
    scale = np.abs(digamma(fitted)) + np.abs(digamma(fitted.sum()))
    assert np.all(np.abs(residual(fitted, ell)) <= 1e-13 * scale + 1e-14)
    reference = reference_mle(X)
    ours = mean_log_likelihood(fitted, ell)
    theirs = mean_log_likelihood(reference, ell)
    # Both are evaluated to the rounding of their terms; beyond that the
    # MLE must not lose.
    rounding = likelihood_rounding(fitted, ell)
    assert ours >= theirs - rounding
    # Along the flattest direction (scaling alpha, curvature about (K - 1)/2)
    # L-BFGS-B can place its optimum only to the square root of the rounding
    # of its objective, or of its ftol.
    assert_allclose(fitted, reference, rtol=10 * np.sqrt(rounding + 1e-15))


def test_mle_recovers_the_concentrations_of_a_large_sample(rng):
    alpha = np.array([0.3, 2.0, 40.0])
    X = on_simplex(rng, alpha, 100_000)
    # The sampling error of the MLE is a few 1/sqrt(n) relative.
    assert_allclose(DirichletDistribution().fit(X).concentration_, alpha, rtol=0.03)


def test_two_components_are_the_beta_of_the_first(rng):
    X = rng.dirichlet([0.7, 3.0], size=400)
    dirichlet = DirichletDistribution().fit(X)
    beta = BetaDistribution().fit(X[:, :1])
    # log(x_2) and log1p(-x_1) differ by the rounding of 1 - x_1.
    assert_allclose(dirichlet.concentration_, [beta.a_[0], beta.b_[0]], rtol=1e-10)
    assert_allclose(dirichlet.score_samples(X), beta.score_samples(X[:, :1]))
    assert_allclose(dirichlet.entropy(), beta.entropy(), rtol=1e-10)


def test_weights_are_the_weighted_equations(rng):
    X = rng.dirichlet([1.0, 2.0, 0.5], size=50)
    weights = rng.uniform(0.0, 5.0, size=50)
    model = DirichletDistribution().fit(X, sample_weight=weights)
    ell = mean_log(X, weights)
    assert_allclose(residual(model.concentration_, ell), 0.0, atol=1e-13)
    assert_allclose(model.concentration_, reference_mle(X, weights), rtol=2e-5)


def test_two_distinct_rows_have_a_finite_mle():
    X = np.array([[0.2, 0.3, 0.5], [0.4, 0.4, 0.2]])
    model = DirichletDistribution().fit(X)
    assert_allclose(residual(model.concentration_, mean_log(X)), 0.0, atol=1e-13)


# Thirty examples: each fits a model and evaluates its perturbations.
@settings(max_examples=30)
@given(
    log_alpha=st.lists(st.floats(np.log(0.05), np.log(5e3)), min_size=2, max_size=6),
    n_samples=st.integers(3, 40),
    seed=st.integers(0, 2**16),
)
def test_mle_beats_every_rescaled_and_shifted_concentration(log_alpha, n_samples, seed):
    X = on_simplex(np.random.default_rng(seed), np.exp(log_alpha), n_samples)
    if len(X) < 2:
        return
    ell = mean_log(X)
    with warnings.catch_warnings():
        # A ConvergenceWarning would be a solver that gave up.
        warnings.simplefilter("error")
        alpha = DirichletDistribution().fit(X).concentration_
    best = mean_log_likelihood(alpha, ell)
    slack = likelihood_rounding(alpha, ell)
    for factor in (1 + 1e-6, 1 - 1e-6, 1.1, 0.9):
        assert mean_log_likelihood(alpha * factor, ell) <= best + slack
        for k in range(alpha.size):
            moved = alpha.copy()
            moved[k] *= factor
            assert mean_log_likelihood(moved, ell) <= best + slack


def test_solver_takes_problems_in_a_stack():
    alpha = np.array([[0.05, 0.05], [1.0, 3.0], [2e3, 5e3]])
    ell = digamma(alpha) - digamma(alpha.sum(axis=1, keepdims=True))
    stacked = _dirichlet_math.concentration_from_mean_log(ell)
    for row in range(3):
        alone = _dirichlet_math.concentration_from_mean_log(ell[row : row + 1])
        assert_array_equal(stacked[row], alone[0])
    assert_allclose(stacked, alpha, rtol=1e-9)


@pytest.mark.parametrize("x", [15.0, 19.999, 20.0, 20.001, 30.0])
def test_series_agree_with_the_direct_formulas_near_their_cutoff(x):
    # The Newton step and the entropy sum 1/psi'(x) - x and
    # gammaln(x) - (x - 1) psi(x) + x directly below x = 20 and from
    # asymptotic series above, where the direct differences still keep all
    # but about two digits.
    x = np.array([x])
    assert_allclose(
        _dirichlet_math._reciprocal_trigamma_excess(x),
        1.0 / polygamma(1, x) - x,
        rtol=1e-13,
    )
    assert_allclose(
        _dirichlet_math._entropy_term(x),
        gammaln(x) - (x - 1) * digamma(x) + x,
        rtol=1e-13,
    )


# -- degenerate data ------------------------------------------------------------


@pytest.mark.parametrize(
    "X",
    [
        [[0.2, 0.3, 0.5]],
        [[0.2, 0.3, 0.5]] * 4,
        [[0.1, 0.9], [0.1, 0.9 + 1e-9]],
        np.tile([0.1, 0.3, 0.6], (300_000, 1)),
    ],
    ids=["one row", "equal rows", "equal to the tolerance", "many equal rows"],
)
def test_equal_rows_have_no_mle(X):
    with pytest.raises(ValueError, match="one sample, or equal rows"):
        DirichletDistribution().fit(X)


def test_weights_leaving_one_row_have_no_mle(rng):
    X = rng.dirichlet([1.0, 1.0, 1.0], size=5)
    with pytest.raises(ValueError, match="no maximum likelihood estimate"):
        DirichletDistribution().fit(X, sample_weight=[0, 0, 2.5, 0, 0])


def test_one_component_is_refused():
    with pytest.raises(ValueError, match="n_features = 1"):
        DirichletDistribution().fit(np.ones((5, 1)))


# -- the support ----------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [[0.5, 0.5, 0.1], [0.5, 0.5, 0.0], [0.8, 0.4, -0.2], [0.3, 0.3, 0.4 - 2e-6]],
    ids=["sum 1.1", "zero entry", "negative entry", "sum 1 - 2e-6"],
)
def test_rows_off_the_simplex_are_named_at_fit(row, rng):
    X = np.vstack([rng.dirichlet([1.0, 2.0, 3.0], size=4), row])
    with pytest.raises(ValueError, match=r"row 4 is \[") as error:
        DirichletDistribution().fit(X)
    assert "summing to 1 (within 1e-6)" in str(error.value)


def test_negative_values_are_refused_as_scikit_learn_expects_but_named():
    # check_positive_only_tag_during_fit: a ValueError on negative input.
    with pytest.raises(ValueError, match=r"row 1 is \[1.5, -0.5\]"):
        DirichletDistribution().fit([[0.5, 0.5], [1.5, -0.5]])


def test_rows_off_the_simplex_score_minus_inf_without_warning(rng, no_warnings):
    model = DirichletDistribution().fit(rng.dirichlet([1.0, 2.0, 3.0], size=50))
    X_test = np.array(
        [
            [0.2, 0.3, 0.5],
            [0.2, 0.3, 0.0],
            [0.7, 0.5, -0.2],
            [0.2, 0.3, 0.6],
            [-1.0, -1.0, 3.0],
            [0.1, 0.1, 0.8],
        ]
    )
    log_likelihood = model.score_samples(X_test)
    assert_array_equal(np.isneginf(log_likelihood), [0, 1, 1, 1, 1, 0])
    expected = stats.dirichlet(model.concentration_).logpdf(X_test[[0, 5]].T)
    assert_allclose(log_likelihood[[0, 5]], expected, rtol=1e-12)


def test_rows_within_the_tolerance_stand_for_their_normalised_row(rng):
    X = rng.dirichlet([1.0, 2.0, 3.0], size=40)
    off = X * (1 + 5e-7)
    model = DirichletDistribution().fit(off)
    exact = DirichletDistribution().fit(X)
    assert_allclose(model.concentration_, exact.concentration_, rtol=1e-12)
    assert_allclose(model.score_samples(off), exact.score_samples(X), rtol=1e-12)


def test_dataframe_rows_are_shown_at_fit():
    frame = pd.DataFrame({"a": [0.5, 0.2], "b": [0.5, 0.9]})
    with pytest.raises(ValueError, match=r"row 1 is \[0.2, 0.9\]"):
        DirichletDistribution().fit(frame)


def test_read_only_input(rng):
    X = rng.dirichlet([1.0, 2.0, 3.0], size=40)
    X.flags.writeable = False
    model = DirichletDistribution().fit(X)
    assert np.all(np.isfinite(model.score_samples(X)))


def test_float32_input_gives_the_float64_model(rng):
    X = rng.dirichlet([1.0, 2.0, 3.0], size=40).astype(np.float32)
    as_float32 = DirichletDistribution().fit(X)
    as_float64 = DirichletDistribution().fit(X.astype(np.float64))
    assert_array_equal(as_float32.concentration_, as_float64.concentration_)


# -- entropy, divergence, sampling ------------------------------------------------


@pytest.mark.parametrize(
    "alpha", [[0.5, 0.5, 0.5], [2.0, 5.0, 1.0], [30.0, 0.2, 4.0], np.full(50, 0.05)]
)
def test_entropy_matches_scipy(alpha):
    alpha = np.asarray(alpha)
    model = with_concentration(alpha)
    assert_allclose(model.entropy(), stats.dirichlet(alpha).entropy(), rtol=1e-12)


@pytest.mark.parametrize("alpha", [[1e3, 2e3], [1e5, 1e5], [6e6, 1e7]])
def test_entropy_of_large_concentrations_matches_scipy(alpha):
    # scipy's Beta entropy switches to asymptotic expansions above 4.96e6,
    # accurate to about 1e-9 there; its Dirichlet entropy keeps the formula
    # whose terms cancel, and loses about eps * alpha_0 * log(alpha_0).
    entropy = with_concentration(alpha).entropy()
    assert_allclose(entropy, stats.beta(*alpha).entropy(), rtol=1e-8)
    alpha_0 = sum(alpha)
    rounding = 8 * np.finfo(float).eps * alpha_0 * np.log(alpha_0)
    assert_allclose(entropy, stats.dirichlet(alpha).entropy(), atol=rounding)


def test_entropy_of_huge_concentrations_is_the_normal_limit():
    # For large alpha_0 the Dirichlet is nearly normal on the simplex, with
    # covariance (diag(m) - m m^T) / (alpha_0 + 1) for the mean m; the
    # determinant of its first K - 1 rows and columns is prod_k m_k, so
    # H -> (K - 1)/2 log(2 pi e / (alpha_0 + 1)) + sum_k log(m_k) / 2, with
    # an error O(1 / alpha_0). Every term of the closed form is about
    # 1e13 here and would cancel to nothing in float64.
    mean, alpha_0 = np.array([0.2, 0.3, 0.5]), 1e12
    limit = np.log(2 * np.pi * np.e / (alpha_0 + 1)) + 0.5 * np.log(mean).sum()
    entropy = with_concentration(alpha_0 * mean).entropy()
    assert_allclose(entropy, limit, rtol=1e-12)


def beta_kl_by_integration(p, q):
    """``D(Beta(p) || Beta(q))`` as the integral of ``f_p log(f_p / f_q)``."""
    first, second = stats.beta(*p), stats.beta(*q)

    def integrand(x):
        log_p = first.logpdf(x)
        return np.exp(log_p) * (log_p - second.logpdf(x))

    value, _ = integrate.quad(integrand, 0, 1, epsabs=1e-13, epsrel=1e-12, limit=200)
    return value


@pytest.mark.parametrize(
    "p, q",
    [([2.0, 3.0], [1.0, 1.0]), ([1.5, 4.0], [3.0, 2.5]), ([5.0, 5.0], [4.0, 6.0])],
)
def test_two_component_kl_matches_numerical_integration(p, q):
    kl = with_concentration(p).kl_divergence(with_concentration(q))
    assert_allclose(kl, beta_kl_by_integration(p, q), rtol=1e-9)


def test_kl_is_zero_for_equal_models_and_positive_otherwise():
    p = with_concentration([3e3, 1e3, 0.2])
    assert p.kl_divergence(copy.deepcopy(p)) == 0.0
    assert with_concentration([1.0, 1.0, 1.0]).kl_divergence(p) > 0


@pytest.mark.parametrize("alpha", [[1e-3, 1e-3, 1e-3], [0.02] * 50, [1e-3, 2.0]])
def test_samples_of_tiny_concentrations_stay_on_the_simplex(alpha):
    # numpy's RandomState.dirichlet returns nan rows for such concentrations.
    alpha = np.asarray(alpha)
    draws = with_concentration(alpha).sample(20_000, random_state=0)
    assert np.all(np.isfinite(draws))
    assert_allclose(draws.sum(axis=1), 1.0, rtol=1e-12)
    # E[x_k] = alpha_k / alpha_0 with variance m (1 - m) / (alpha_0 + 1).
    mean = alpha / alpha.sum()
    std = np.sqrt(mean * (1 - mean) / (alpha.sum() + 1) / 20_000)
    assert np.all(np.abs(draws.mean(axis=0) - mean) < 5 * std + 1e-12)


# -- scikit-learn's checks on the simplex -----------------------------------------


class SimplexDirichlet(DirichletDistribution):
    """DirichletDistribution fit on the softmax of the rows it is given.

    scikit-learn's checks draw rows off the simplex; the softmax maps each
    onto the open simplex, the same map at fit and at score time, so the
    checks exercise every convention (cloning, refitting, pickling,
    invariances, weights) of the real estimator on data in its support.
    """

    def _validate_X(self, X, *, reset):
        return softmax(super()._validate_X(X, reset=reset), axis=1)


ON_SIMPLEX = names_with_reason(EXPECTED_FAILED_CHECKS, _OFF_THE_SIMPLEX)
CHECKS_ON_THE_SIMPLEX = checks_named(SimplexDirichlet(), ON_SIMPLEX)


def test_every_check_refused_off_the_simplex_runs_on_it():
    assert names_of(CHECKS_ON_THE_SIMPLEX) == set(ON_SIMPLEX)


@pytest.mark.parametrize("estimator, check", CHECKS_ON_THE_SIMPLEX)
def test_check_passes_on_the_simplex(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        check(estimator)
