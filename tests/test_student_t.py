"""Tests of StudentTDistribution against scipy, direct optimisation and closed forms."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize, stats
from scipy.special import digamma, gammaln
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

from skxent import GaussianDistribution, StudentTDistribution
from skxent.distributions import _student_t_math

PROPERTY_SETTINGS = settings(derandomize=True, max_examples=20, deadline=None)
LOWER_DOF, UPPER_DOF = _student_t_math.DOF_BOUNDS


def t_data(n_samples, n_features=2, dof=4.0, random_state=0):
    """Rows of a t distribution with a correlated scale matrix."""
    rng = np.random.default_rng(random_state)
    mixing = np.tril(rng.normal(size=(n_features, n_features))) + np.eye(n_features)
    normal = rng.standard_normal((n_samples, n_features)) @ mixing.T
    scale = np.sqrt(rng.chisquare(dof, size=n_samples) / dof)
    return normal / scale[:, np.newaxis] + np.arange(n_features)


def frozen(model):
    return stats.multivariate_t(model.mean_, model.covariance_, df=model.dof_)


def tight_fmin(func, x0, args=(), disp=0):
    """scipy's default optimizer for .fit, run to float precision."""
    return optimize.fmin(
        func, x0, args=args, xtol=1e-10, ftol=1e-13, maxiter=20_000, disp=disp
    )


def penalised_score(model, X):
    """The objective EM maximises: mean log-likelihood - reg/2 tr(S^-1)."""
    trace = np.trace(np.linalg.inv(model.covariance_))
    return model.score(X) - 0.5 * model.reg_covar * trace


# -- references: scipy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("n_features", "dof"), [(1, 0.3), (1, 4.0), (2, 1.0), (3, 7.5), (5, 300.0)]
)
def test_score_samples_match_scipy_multivariate_t(n_features, dof):
    X = t_data(300, n_features, dof=dof)
    model = StudentTDistribution(dof=dof).fit(X)
    X_test = t_data(50, n_features, dof=dof, random_state=1)
    assert_allclose(
        model.score_samples(X_test), frozen(model).logpdf(X_test), rtol=1e-11
    )


def test_one_feature_matches_scipy_t():
    x = t_data(200, 1, dof=3.0)
    model = StudentTDistribution().fit(x)
    scale = np.sqrt(model.covariance_[0, 0])
    reference = stats.t(model.dof_, loc=model.mean_[0], scale=scale)
    assert_allclose(model.score_samples(x), reference.logpdf(x[:, 0]), rtol=1e-12)
    assert_allclose(model.entropy(), reference.entropy(), rtol=1e-12)


@pytest.mark.parametrize("n_features", [1, 2, 3, 6])
@pytest.mark.parametrize("dof", [0.2, 1.0, 3.0, 40.0, 1e3, 1e5])
def test_entropy_matches_scipy(n_features, dof):
    # Above dof ~ 400 d / (log d + 1) scipy switches to its asymptotic
    # series; ours uses the asymptotic series of the digamma and gamma
    # differences from dof = 40 on: two different computations.
    model = StudentTDistribution(dof=dof).fit(t_data(100, n_features))
    assert_allclose(model.entropy(), frozen(model).entropy(), rtol=1e-11)


def test_fit_matches_scipy_t_fit_in_one_dimension():
    x = t_data(150, 1, dof=3.0, random_state=2)[:, 0]
    model = StudentTDistribution(reg_covar=0.0, tol=1e-14).fit(x[:, np.newaxis])
    dof, loc, scale = stats.t.fit(x, optimizer=tight_fmin)
    # At the maximum the log-likelihood is flat: a change e of a parameter
    # costs ~e^2, so rounding (1e-16) leaves the parameters ~1e-8 apart.
    assert_allclose(model.dof_, dof, rtol=1e-6)
    assert_allclose(model.mean_, [loc], atol=1e-6 * scale)
    assert_allclose(np.sqrt(model.covariance_), [[scale]], rtol=1e-6)
    ours = model.score_samples(x[:, np.newaxis]).sum()
    assert ours >= stats.t(dof, loc, scale).logpdf(x).sum() - 1e-9
    # scipy's default, looser optimisation does not do better either.
    assert ours >= stats.t(*stats.t.fit(x)).logpdf(x).sum()


def test_fixed_dof_matches_scipy_t_fit_with_fixed_df():
    x = t_data(300, 1, dof=2.0, random_state=3)[:, 0]
    model = StudentTDistribution(dof=2.0, reg_covar=0.0, tol=1e-14).fit(x[:, None])
    dof, loc, scale = stats.t.fit(x, fdf=2.0, optimizer=tight_fmin)
    assert model.dof_ == dof == 2.0
    assert_allclose(model.mean_, [loc], atol=1e-6 * scale)
    assert_allclose(np.sqrt(model.covariance_), [[scale]], rtol=1e-6)
    ours = model.score_samples(x[:, None]).sum()
    assert ours >= stats.t(dof, loc, scale).logpdf(x).sum() - 1e-9


def _negative_log_likelihood(theta, X):
    """-mean log-density of scipy's t, over (mean, log-Cholesky, log dof)."""
    d = X.shape[1]
    mean, rest = theta[:d], theta[d:]
    lower = np.zeros((d, d))
    lower[np.tril_indices(d)] = rest[:-1]
    lower[np.diag_indices(d)] = np.exp(np.diag(lower))
    shape = lower @ lower.T
    return -stats.multivariate_t(mean, shape, df=np.exp(rest[-1])).logpdf(X).mean()


def test_em_reaches_the_direct_maximisation_of_the_likelihood():
    X = t_data(150, 2, dof=2.5, random_state=4)
    model = StudentTDistribution(reg_covar=0.0, tol=1e-14).fit(X)
    # Independent start: the moments and dof = 10, not the EM solution.
    lower = np.linalg.cholesky(np.cov(X.T))
    start = np.r_[
        X.mean(axis=0),
        np.log(lower[0, 0]),
        lower[1, 0],
        np.log(lower[1, 1]),
        np.log(10),
    ]
    direct = optimize.minimize(
        _negative_log_likelihood, start, args=(X,), method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 40_000, "maxfev": 40_000},
    )  # fmt: skip
    assert model.score(X) >= -direct.fun - 1e-12
    assert_allclose(model.dof_, np.exp(direct.x[-1]), rtol=1e-4)
    assert_allclose(model.mean_, direct.x[:2], rtol=1e-4, atol=1e-5)


# -- the numerics of large and small dof ----------------------------------------


@pytest.mark.parametrize("x", [1e-3, 0.7, 5.0, 19.99, 20.0, 20.01, 60.0, 150.0])
@pytest.mark.parametrize("h", [0.5, 1.0, 2.5, 7.0])
def test_special_function_differences_match_the_direct_ones(x, h):
    # At moderate arguments the direct differences lose at most a few ulps
    # of gammaln(x + h) (< 1e3 here), so both sides agree to ~1e-13.
    direct = gammaln(x + h) - gammaln(x) - h * np.log(x)
    assert_allclose(
        _student_t_math.log_gamma_ratio_excess(x, h), direct, rtol=1e-12, atol=1e-12
    )
    assert_allclose(
        _student_t_math.digamma_difference(x, h),
        digamma(x + h) - digamma(x),
        rtol=1e-12,
        atol=1e-14,
    )


@pytest.mark.parametrize("x", [25.0, 1e3, 5e5, 1e9, 1e14])
@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_special_function_differences_are_exact_for_large_arguments(x, k):
    # For an integer k, Gamma(x + k) / Gamma(x) = prod_j (x + j) and
    # psi(x + k) - psi(x) = sum_j 1 / (x + j): finite sums without
    # cancellation, exact where gammaln(x + k) - gammaln(x) is not.
    excess = _student_t_math.log_gamma_ratio_excess(x, float(k))
    assert_allclose(
        excess, sum(np.log1p(j / x) for j in range(k)), rtol=1e-9, atol=1e-15
    )
    difference = _student_t_math.digamma_difference(x, float(k))
    assert_allclose(difference, sum(1 / (x + j) for j in range(k)), rtol=1e-14)


@pytest.mark.parametrize("n_features", [1, 3])
def test_huge_dof_is_the_normal_distribution(n_features):
    # With dof = 1e12 the t density equals the normal one to ~1e-11; the
    # direct formula loses that: gammaln(5e11) is 1.3e13, so its rounding
    # alone is ~1e-3.
    X = t_data(200, n_features)
    model = StudentTDistribution(dof=1e12).fit(X)
    normal = stats.multivariate_normal(model.mean_, model.covariance_)
    assert_allclose(model.score_samples(X), normal.logpdf(X), rtol=1e-10)
    assert_allclose(model.entropy(), normal.entropy(), rtol=1e-10)


def test_far_rows_keep_a_finite_log_density():
    # delta overflows beyond ~1e154 scale units, the log-density does not.
    # Reference: log p(mu + c v) = log p(mu) - (dof + d)/2 log(1 + c^2 delta_v
    # / dof), with log(1 + y) = log(y) for y > 1e300, and delta_v from an
    # explicit inverse.
    model = StudentTDistribution(dof=3.0).fit(t_data(100, 2))
    far = np.array([[1e200, 0.0], [0.0, -1e300]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_density = model.score_samples(far)
    precision = np.linalg.inv(model.covariance_)
    directions = np.array([[1.0, 0.0], [0.0, -1.0]])
    delta = np.einsum("ij,jk,ik->i", directions, precision, directions)
    log_c = np.log([1e200, 1e300])
    reference = frozen(model).logpdf(model.mean_) - 0.5 * (model.dof_ + 2) * (
        np.log(delta) + 2 * log_c - np.log(model.dof_)
    )
    assert_allclose(log_density, reference, rtol=1e-12)


# -- EM --------------------------------------------------------------------------


@pytest.mark.parametrize("dof", [None, 1.5])
@pytest.mark.parametrize("reg_covar", [0.0, 0.05])
def test_em_never_decreases_the_objective(dof, reg_covar):
    X = t_data(200, 3, dof=1.5, random_state=5)
    objectives = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for max_iter in range(1, 25):
            model = StudentTDistribution(
                dof=dof, reg_covar=reg_covar, max_iter=max_iter, tol=0.0
            ).fit(X)
            objectives.append(penalised_score(model, X))
    steps = np.diff(objectives)
    # Rounding of the mean of 200 log-densities allows a few ulps.
    assert np.all(steps >= -1e-13)
    assert objectives[-1] - objectives[0] > 1e-3


def test_n_iter_and_convergence_are_reported():
    X = t_data(300, 2)
    model = StudentTDistribution().fit(X)
    assert model.converged_
    assert 1 <= model.n_iter_ < model.max_iter
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        short = StudentTDistribution(max_iter=2).fit(X)
    assert not short.converged_
    assert short.n_iter_ == 2


def test_light_tails_give_the_normal_distribution_at_the_upper_bound():
    # Uniform data have lighter tails than any t: the likelihood increases
    # with dof up to the bound, where the model is the normal fit up to the
    # documented first-order correction of the log-density,
    # (delta^2 - 2 d delta + d (d - 2)) / (4 dof).
    X = np.random.default_rng(6).uniform(size=(500, 2))
    model = StudentTDistribution().fit(X)
    assert model.dof_ == UPPER_DOF
    gaussian = GaussianDistribution().fit(X)
    assert_allclose(model.mean_, gaussian.mean_, rtol=1e-5)
    assert_allclose(model.covariance_, gaussian.covariance_, rtol=1e-5)
    centred = X - gaussian.mean_
    delta = np.einsum(
        "ij,jk,ik->i", centred, np.linalg.inv(gaussian.covariance_), centred
    )
    correction = np.mean(delta**2 - 4 * delta) / (4 * UPPER_DOF)
    assert abs(correction) > 1e-7
    assert_allclose(model.score(X) - gaussian.score(X), correction, rtol=0.01)


def test_heavy_tails_beat_the_normal_fit():
    X = t_data(1000, 2, dof=2.0)
    model = StudentTDistribution().fit(X)
    assert model.score(X) > GaussianDistribution().fit(X).score(X)
    held_out = t_data(1000, 2, dof=2.0, random_state=1)
    assert model.score(held_out) > GaussianDistribution().fit(X).score(held_out)


def test_fixed_dof_is_kept():
    model = StudentTDistribution(dof=7.0).fit(t_data(100))
    assert model.dof_ == 7.0
    assert model._n_parameters() == 2 + 3
    estimated = StudentTDistribution().fit(t_data(100))
    assert estimated._n_parameters() == 2 + 3 + 1


# -- degenerate data ----------------------------------------------------------------


def test_constant_column_fits_with_reg_covar_and_raises_without():
    X = np.c_[t_data(50, 1)[:, 0], np.full(50, 3.0)]
    model = StudentTDistribution().fit(X)
    assert np.all(np.isfinite(model.score_samples(X)))
    with pytest.raises(ValueError, match=r"scale matrix is singular.*reg_covar > 0"):
        StudentTDistribution(reg_covar=0.0).fit(X)


@pytest.mark.parametrize("n_samples", [1, 2, 3])
def test_no_more_rows_than_features(n_samples):
    X = t_data(n_samples, 3)
    with pytest.raises(ValueError, match="singular"):
        StudentTDistribution(reg_covar=0.0).fit(X)
    model = StudentTDistribution().fit(X)
    assert np.all(np.isfinite(model.score_samples(t_data(20, 3))))


def test_tied_rows_give_a_documented_spike():
    # Half the weight on one value: the likelihood grows as the scale
    # shrinks around it whenever dof < d f / (1 - f) = 1, so the fit is a
    # spike of the order of reg_covar there (documented); a fixed dof above
    # 1 keeps it regular.
    x = np.r_[np.zeros(50), t_data(50, 1)[:, 0]][:, np.newaxis]
    spike = StudentTDistribution().fit(x)
    assert LOWER_DOF <= spike.dof_ < 1
    assert spike.covariance_[0, 0] < 10 * spike.reg_covar
    assert np.isfinite(spike.score(x))
    regular = StudentTDistribution(dof=3.0).fit(x)
    assert regular.covariance_[0, 0] > 1e4 * spike.covariance_[0, 0]


def test_overflowing_second_moments_are_a_clear_error():
    X = t_data(10, 2) * 1e200
    with pytest.raises(ValueError, match="overflow float64"):
        StudentTDistribution().fit(X)


# -- weights -----------------------------------------------------------------------


@st.composite
def weighted_datasets(draw):
    n_samples = draw(st.integers(8, 25))
    seed = draw(st.integers(0, 2**16))
    counts = draw(arrays(np.int64, n_samples, elements=st.integers(0, 3)))
    counts[:4] = np.maximum(counts[:4], 1)  # at least four rows count
    return t_data(n_samples, 1, dof=3.0, random_state=seed), counts


@PROPERTY_SETTINGS
@given(data=weighted_datasets())
def test_integer_weights_equal_repetition(data):
    X, counts = data
    weighted = StudentTDistribution().fit(X, sample_weight=counts)
    repeated = StudentTDistribution().fit(np.repeat(X, counts, axis=0))
    assert_allclose(weighted.dof_, repeated.dof_, rtol=1e-7)
    assert_allclose(weighted.score_samples(X), repeated.score_samples(X), rtol=1e-8)


def test_zero_weight_rows_are_exactly_absent():
    X = t_data(40, 2)
    far = np.r_[X, np.full((5, 2), 1e12)]
    weights = np.r_[np.ones(40), np.zeros(5)]
    weighted = StudentTDistribution().fit(far, sample_weight=weights)
    alone = StudentTDistribution().fit(X)
    assert_array_equal(weighted.mean_, alone.mean_)
    assert_array_equal(weighted.covariance_, alone.covariance_)
    assert weighted.dof_ == alone.dof_


@PROPERTY_SETTINGS
@given(
    seed=st.integers(0, 999),
    shift=arrays(np.float64, 2, elements=st.floats(-0.3, 0.3)),
    stretch=arrays(np.float64, (2, 2), elements=st.floats(-0.3, 0.3)),
    log_dof_shift=st.floats(-1.0, 1.0),
)
def test_the_fit_beats_every_perturbation(seed, shift, stretch, log_dof_shift):
    # The maximum likelihood t beats every other t on its training data.
    X = t_data(60, 2, dof=3.0, random_state=seed)
    model = StudentTDistribution(reg_covar=0.0, tol=1e-12).fit(X)
    transform = np.eye(2) + stretch
    perturbed = stats.multivariate_t(
        model.mean_ + shift,
        transform @ model.covariance_ @ transform.T,
        df=model.dof_ * np.exp(log_dof_shift),
    )
    assert model.score(X) >= perturbed.logpdf(X).mean() - 1e-12


# -- sampling ----------------------------------------------------------------------


def test_sample_moments():
    model = StudentTDistribution(dof=6.0).fit(t_data(500, 2, dof=6.0))
    draws = model.sample(100_000, random_state=0)
    # Covariance dof / (dof - 2) S; the fourth moments exist for dof > 4.
    expected = model.covariance_ * 6.0 / 4.0
    assert_allclose(draws.mean(axis=0), model.mean_, atol=0.03)
    assert_allclose(np.cov(draws.T), expected, rtol=0.06, atol=0.03)
    assert_array_equal(model.sample(5, random_state=1), model.sample(5, random_state=1))


@pytest.mark.parametrize("dof", [0.15, 0.5, 1.0, 2.0, 9.0])
def test_sample_follows_scipy_t(dof):
    # Shapes below 1 use the log-space Gamma draw; a Kolmogorov-Smirnov test
    # against scipy's t compares the whole distribution.
    model = StudentTDistribution(dof=dof).fit(t_data(200, 1, dof=dof))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draws = model.sample(20_000, random_state=0)[:, 0]
    assert not np.any(np.isnan(draws))
    scale = np.sqrt(model.covariance_[0, 0])
    result = stats.kstest(draws, stats.t(dof, loc=model.mean_[0], scale=scale).cdf)
    assert result.pvalue > 1e-3


# -- the API -----------------------------------------------------------------------


def test_no_partial_fit_and_no_kl_divergence():
    model = StudentTDistribution().fit(t_data(50))
    assert not hasattr(model, "partial_fit")
    with pytest.raises(NotImplementedError, match="no closed form"):
        model.kl_divergence(model)


def test_dask_input_is_refused_with_a_reason():
    da = pytest.importorskip("dask.array")
    X = da.from_array(t_data(100), chunks=(25, 2))
    with pytest.raises(NotImplementedError, match="sufficient statistics"):
        StudentTDistribution().fit(X)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"dof": 0.0}, "dof"),
        ({"dof": -1.0}, "dof"),
        ({"dof": np.inf}, "dof"),
        ({"reg_covar": -1e-3}, "reg_covar"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
    ],
)
def test_invalid_parameters(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        StudentTDistribution(**params).fit(t_data(20))


def test_float32_and_integer_input_are_fit_in_float64():
    X = np.round(t_data(200, 2) * 10)
    reference = StudentTDistribution().fit(X)
    for converted in (X.astype(np.float32), X.astype(np.int64)):
        model = StudentTDistribution().fit(converted)
        assert_allclose(model.score_samples(X), reference.score_samples(X), rtol=1e-12)


def test_grid_search_selects_the_dof_by_held_out_cross_entropy():
    X = t_data(600, 2, dof=3.0)
    search = GridSearchCV(StudentTDistribution(), {"dof": [0.5, 3.0, 1e4]}, cv=3)
    search.fit(X)
    assert search.best_params_ == {"dof": 3.0}
    assert isinstance(clone(search.best_estimator_), StudentTDistribution)
