"""What is particular to NegativeBinomialDistribution.

The shared family contract (weights, batches, scipy's logpmf and entropy,
Monte-Carlo entropy and KL, pickling, ...) runs in tests/test_families.py.
Here: the MLE against statsmodels and scipy.stats.fit, the score equation in
the nearly Poisson regime, data without a finite MLE, the support, the
series for the entropy and the divergence against slow sums, and the
scikit-learn conventions that check_estimator cannot reach with counts.
"""

import decimal
import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from scipy.optimize import minimize
from scipy.special import betaln
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from skxent import NegativeBinomialDistribution
from skxent.distributions import _negative_binomial_math


def _counts(rng, n, p, size):
    return rng.negative_binomial(n, p, size=size).astype(np.float64)


def _log_likelihood(model, x):
    """Total log-likelihood of one column under scipy's nbinom with the fit."""
    return stats.nbinom(model.n_[0], model.p_[0]).logpmf(x).sum()


def _slow_log_pmf(k, n, mean):
    """log nbinom pmf from its definition, one term at a time, in fsum.

    log C(k + n - 1, k) = sum_{j<k} log((n + j) / (j + 1)), exact for
    integer k and free of the cancellations of log-gamma differences;
    log p = -log1p(mean / n) and log(1 - p) = -log1p(n / mean).
    """
    binomial = math.fsum(math.log((n + j) / (j + 1.0)) for j in range(int(k)))
    return binomial - n * math.log1p(mean / n) - k * math.log1p(n / mean)


# -- the maximum likelihood estimate ---------------------------------------------


@pytest.mark.parametrize(
    ("n", "p", "size"), [(0.3, 0.05, 400), (1.7, 0.25, 500), (12.0, 0.6, 3000)]
)
def test_fit_matches_statsmodels_nb2(n, p, size):
    # statsmodels' intercept-only NB2 regression: mean exp(b0), alpha = 1/n.
    # statsmodels is in the test extra: a missing one fails, not skips.
    from statsmodels.discrete import discrete_model as discrete

    y = _counts(np.random.default_rng(1), n, p, size)
    model = NegativeBinomialDistribution().fit(y[:, None])
    result = discrete.NegativeBinomial(y, np.ones((size, 1)), loglike_method="nb2").fit(
        disp=0, method="newton", maxiter=200, tol=1e-12
    )
    mean, alpha = np.exp(result.params[0]), result.params[1]
    assert_allclose(model.n_[0], 1.0 / alpha, rtol=1e-8)
    assert_allclose(model.p_[0], 1.0 / (1.0 + alpha * mean), rtol=1e-8)
    ours = _log_likelihood(model, y)
    assert ours >= result.llf - 1e-12 * abs(result.llf)


def test_fit_reaches_scipy_stats_fit():
    y = _counts(np.random.default_rng(2), 1.7, 0.25, 400)
    model = NegativeBinomialDistribution().fit(y[:, None])
    bounds = {"n": (0.01, 100.0), "p": (0.001, 0.999)}
    # scipy's default optimizer keeps n an integer (nbinom declares it so):
    # the real-valued MLE must do at least as well.
    integer = stats.fit(stats.nbinom, y, bounds=bounds)
    assert -integer.nllf() <= _log_likelihood(model, y)

    # With n real (Nelder-Mead, no integrality), scipy finds the same MLE.
    def nelder_mead(fun, bounds, *, integrality):
        start = [np.mean(bound) for bound in bounds]
        options = {"xatol": 1e-12, "fatol": 1e-13, "maxiter": 5000}
        return minimize(
            fun, start, bounds=bounds, method="Nelder-Mead", options=options
        )

    real = stats.fit(stats.nbinom, y, bounds=bounds, optimizer=nelder_mead)
    assert_allclose([model.n_[0], model.p_[0]], real.params[:2], rtol=1e-6)
    assert -real.nllf() <= _log_likelihood(model, y) + 1e-12 * real.nllf()


def test_fitted_mean_is_the_weighted_mean(rng):
    # d/dp of the log-likelihood vanishes at p = n / (n + mean).
    X = _counts(rng, [0.9, 4.0], [0.2, 0.4], (300, 2))
    weights = rng.uniform(0.1, 2.0, 300)
    model = NegativeBinomialDistribution().fit(X, sample_weight=weights)
    fitted_mean = model.n_ * (1.0 - model.p_) / model.p_
    assert_allclose(fitted_mean, np.average(X, axis=0, weights=weights), rtol=1e-13)


def _nearly_poisson_weights(rate, excess, top=60):
    """Weights on the counts 0..top: a Poisson(rate) mass, slightly widened.

    Mixing Poisson(rate (1 - d)) and Poisson(rate (1 + d)) in equal parts
    keeps the mean and adds (rate d)^2 to the variance: over-dispersion
    ``excess = (rate d)^2``, so n is about rate^2 / excess.
    """
    spread = math.sqrt(excess) / rate
    values = np.arange(top + 1.0)
    low = stats.poisson(rate * (1 - spread)).pmf(values)
    high = stats.poisson(rate * (1 + spread)).pmf(values)
    return values, 0.5 * (low + high)


@pytest.mark.parametrize(
    ("excess", "rtol"),
    # The root moves by about eps E[x^2] / (variance - mean) relative to n
    # under rounding of the score's terms: the data's own conditioning.
    [(8.0, 1e-14), (2.0, 1e-14), (1e-2, 1e-12), (1e-5, 1e-9)],
)
def test_score_equation_is_solved_in_the_nearly_poisson_regime(excess, rtol):
    values, weights = _nearly_poisson_weights(5.0, excess)
    model = NegativeBinomialDistribution().fit(values[:, None], sample_weight=weights)
    n = model.n_[0]
    assert n == pytest.approx(25.0 / excess, rel=0.2)
    assert _decimal_score(n * (1 - rtol), values, weights) > 0
    assert _decimal_score(n * (1 + rtol), values, weights) < 0


def _decimal_score(n, values, weights):
    """The profile score at n, in 40-digit decimal arithmetic.

    s(n) = sum_k f_k sum_{j<k} 1 / (n + j) - log(1 + mean / n), with the
    float inputs taken exactly: a slow, obviously correct reference.
    """
    with decimal.localcontext() as context:
        context.prec = 40
        n = decimal.Decimal(n)
        counts = [decimal.Decimal(w) for w in weights]
        total = sum(counts)
        mean = sum(c * int(k) for c, k in zip(counts, values, strict=True)) / total
        harmonic = sum(
            c * sum(1 / (n + j) for j in range(int(k)))
            for c, k in zip(counts, values, strict=True)
        )
        return harmonic / total - (1 + mean / n).ln()


@pytest.mark.parametrize(
    ("X", "match"),
    [
        ([[0, 1], [0, 4], [0, 2]], r"column 0.*every value is zero"),
        ([[3, 1], [3, 9], [3, 0]], r"column 0.*variance \(0\).*PoissonDistribution"),
        ([[0, 0], [9, 1], [1, 2], [0, 1]], r"column 1.*PoissonDistribution"),
        ([[4, 4]], r"column 0.*does not exceed its mean"),
        ([[0, 1], [1, 0], [1, 1], [0, 0]], r"column 0.*PoissonDistribution"),
    ],
)
def test_data_without_a_finite_mle_raise_naming_the_column(X, match):
    with pytest.raises(ValueError, match=match):
        NegativeBinomialDistribution().fit(X)


def test_no_mle_names_the_dataframe_column():
    frame = pd.DataFrame({"over": [0, 9, 1, 0, 14], "zeros": [0, 0, 0, 0, 0]})
    with pytest.raises(ValueError, match=r"column 1 \('zeros'\)"):
        NegativeBinomialDistribution().fit(frame)


def test_tiny_data_fit():
    # Two rows are enough: variance 2.25 > mean 1.5.
    model = NegativeBinomialDistribution().fit([[0], [3]])
    scores = model.score_samples([[0], [3]])
    assert np.all(np.isfinite(scores))
    assert model.entropy() > 0


def test_huge_counts_are_counted_by_sorting_and_scored_exactly(rng):
    X = 1e9 * rng.negative_binomial(3.0, 0.4, (200, 1)) + rng.integers(0, 9, (200, 1))
    model = NegativeBinomialDistribution().fit(X)
    assert model._statistics.values[0].size == np.unique(X).size
    # scipy's logpmf loses eps k log k at k ~ 1e9 (gammaln(k + n) -
    # gammaln(k + 1)); betaln(n, k + 1), asymptotic for k >> n, does not:
    # log C(k + n - 1, k) = -betaln(n, k + 1) - log(n + k).
    n, p, k = model.n_[0], model.p_[0], X[:, 0]
    expected = -betaln(n, k + 1) - np.log(n + k) + n * np.log(p) + k * np.log1p(-p)
    assert_allclose(model.score_samples(X), expected, rtol=1e-12)


def _scipy(model, j=0):
    return stats.nbinom(model.n_[j], model.p_[j])


# -- the log-mass -------------------------------------------------------------------


@pytest.mark.parametrize("n", [1e-3, 0.4, 1.0, 7.5, 15.9, 16.0, 40.0, 900.0])
@pytest.mark.parametrize("mean", [0.02, 3.0, 250.0])
def test_log_pmf_matches_scipy(n, mean):
    k = np.array([0, 1, 2, 5, 15, 16, 17, 40, 100, 1000, 5000], dtype=float)
    p, log_p, log1m_p = _negative_binomial_math.log_parameters(n, mean)
    ours = _negative_binomial_math.log_pmf(k, n, log_p, log1m_p)
    assert_allclose(ours, stats.nbinom(n, p).logpmf(k), rtol=1e-11)


@pytest.mark.parametrize("n", [50.0, 1e6, 1e10, 1e14])
def test_log_pmf_keeps_its_precision_for_huge_n(n):
    # scipy's gammaln(k + n) - gammaln(n) loses eps n log n here; what is
    # left is k log(n + k) + k log(1 - p), which cancel to k log(mean) and
    # keep eps k log(n) in absolute terms (3e-14 at n = 1e14).
    mean = 4.0
    k = np.array([0.0, 1.0, 3.0, 4.0, 9.0, 30.0])
    _, log_p, log1m_p = _negative_binomial_math.log_parameters(n, mean)
    ours = _negative_binomial_math.log_pmf(k, n, log_p, log1m_p)
    expected = [_slow_log_pmf(value, n, mean) for value in k]
    assert_allclose(ours, expected, rtol=5e-14)


def test_score_samples_of_other_dtypes_and_outside_the_support(rng):
    X = _counts(rng, [2.0, 0.7], [0.3, 0.2], (200, 2))
    model = NegativeBinomialDistribution().fit(X)
    for dtype in (np.int64, np.int32, np.uint16, np.float32):
        assert_allclose(model.score_samples(X.astype(dtype)), model.score_samples(X))
    bad = np.array([[1.0, -1.0], [0.5, 2.0], [3.0, 1e300], [2.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = model.score_samples(bad)
        assert_array_equal(np.isneginf(scores), [True, True, False, False])
        # 1e300 is an integer, in the support: improbable, not impossible.
        assert np.isfinite(scores[2]) and scores[2] < -1e299
        negative_ints = model.score_samples(np.array([[-3, 1], [1, 1]]))
    assert negative_ints[0] == -np.inf
    assert_allclose(negative_ints[1], model.score_samples([[1, 1]])[0])


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (-1.0, r"Negative values in data.*column 1 \('b'\) has the value -1.0"),
        (2.5, r"non-negative integers.*column 1 \('b'\) has the value 2.5"),
    ],
)
def test_values_outside_the_support_are_refused_at_fit(value, match):
    frame = pd.DataFrame({"a": [0.0, 5.0, 1.0, 9.0], "b": [1.0, 0.0, value, 7.0]})
    with pytest.raises(ValueError, match=match):
        NegativeBinomialDistribution().fit(frame)


# -- entropy and divergence ---------------------------------------------------------


def _slow_series(log_pmf, top):
    """fsum over k = 0..top of exp(log_pmf) * log_pmf, from scipy's logpmf."""
    return math.fsum(np.exp(log_pmf) * log_pmf)


@pytest.mark.parametrize(
    ("n", "p"),
    [(0.02, 0.01), (0.02, 0.9), (0.6, 0.002), (3.0, 0.001), (40.0, 0.05), (400.0, 0.9)],
)
def test_entropy_matches_a_long_scipy_sum(n, p):
    model = NegativeBinomialDistribution()
    model.n_, model.p_ = np.array([n]), np.array([p])
    model._log_p_, model._log1m_p_ = np.log(model.p_), np.log1p(-model.p_)
    mean, std = stats.nbinom(n, p).mean(), stats.nbinom(n, p).std()
    # Past mean + 60 std + 40 / p the masses are far below 1e-20 of the sum.
    k = np.arange(int(mean + 60 * std + 40 / p))
    log_pmf = stats.nbinom(n, p).logpmf(k)
    assert_allclose(model.entropy(), -math.fsum(np.exp(log_pmf) * log_pmf), rtol=1e-11)


def test_entropy_for_huge_n_tends_to_the_poisson_entropy():
    # D(NB || Poisson) = O(1/n): at n = 1e12 the entropies agree to ~1e-12.
    model = NegativeBinomialDistribution()
    mean = 3.0
    model.n_ = np.array([1e12])
    _, model._log_p_, model._log1m_p_ = _negative_binomial_math.log_parameters(
        model.n_, np.array([mean])
    )
    model.p_ = np.exp(model._log_p_)
    assert_allclose(model.entropy(), stats.poisson(mean).entropy(), rtol=1e-10)


def test_entropy_refuses_a_series_too_long_to_sum():
    model = NegativeBinomialDistribution()
    model.n_ = np.array([0.5])
    _, model._log_p_, model._log1m_p_ = _negative_binomial_math.log_parameters(
        model.n_, np.array([1e12])
    )
    model.p_ = np.exp(model._log_p_)
    with pytest.raises(ValueError, match=r"column 0.*terms"):
        model.entropy()


def _model(n, p):
    model = NegativeBinomialDistribution()
    model.n_, model.p_ = np.atleast_1d(n), np.atleast_1d(p)
    model._log_p_, model._log1m_p_ = np.log(model.p_), np.log1p(-model.p_)
    model.n_features_in_ = model.n_.size
    return model


@pytest.mark.parametrize(
    ("first", "second"),
    [((2.0, 0.3), (0.5, 0.1)), ((0.5, 0.1), (2.0, 0.3)), ((30.0, 0.7), (1.0, 0.05))],
)
def test_kl_divergence_matches_a_long_scipy_sum(first, second):
    p, q = stats.nbinom(*first), stats.nbinom(*second)
    k = np.arange(int(p.mean() + 60 * p.std() + 40 / first[1]))
    log_p, log_q = p.logpmf(k), q.logpmf(k)
    expected = math.fsum(np.exp(log_p) * (log_p - log_q))
    assert_allclose(_model(*first).kl_divergence(_model(*second)), expected, rtol=1e-11)


@given(
    n=st.lists(st.floats(0.05, 50.0), min_size=2, max_size=2),
    p=st.lists(st.floats(0.05, 0.95), min_size=2, max_size=2),
)
def test_gibbs_inequality(n, p):
    first, second = _model(n[0], p[0]), _model(n[1], p[1])
    assert first.kl_divergence(second) >= 0.0
    assert first.kl_divergence(first) == 0.0
    # H(p, q) = H(p) + D(p || q) >= H(p): cross-entropy from a long sum.
    k = np.arange(4000.0)
    weights = stats.nbinom(n[0], p[0]).pmf(k)
    cross = -math.fsum(weights * stats.nbinom(n[1], p[1]).logpmf(k))
    if weights[-1] < 1e-30:
        expected = first.entropy() + first.kl_divergence(second)
        assert_allclose(cross, expected, rtol=1e-9)


# -- batches, weights, sampling ----------------------------------------------------


@given(split=st.lists(st.integers(1, 119), max_size=4, unique=True))
def test_any_split_gives_the_histograms_of_one_fit(split):
    X = _counts(np.random.default_rng(4), [1.5, 0.4], [0.2, 0.1], (120, 2))
    whole = NegativeBinomialDistribution().fit(X)
    batches = NegativeBinomialDistribution()
    # The first batch is over-dispersed in both columns (a first batch
    # without an MLE is refused: test_partial_fit_needs_a_fittable_first_batch).
    batches.partial_fit(X[:20])
    for rows in np.split(X[20:], [s for s in sorted(split) if s < 100]):
        batches.partial_fit(rows)
    for j in range(2):
        assert_array_equal(batches._statistics.values[j], whole._statistics.values[j])
        assert_array_equal(batches._statistics.counts[j], whole._statistics.counts[j])
    assert_allclose(batches.n_, whole.n_, rtol=1e-13)


def test_partial_fit_needs_a_fittable_first_batch():
    # Every partial_fit returns a fitted model, so a batch whose histogram
    # so far has no MLE is refused whole, and the model is left as it was.
    model = NegativeBinomialDistribution()
    with pytest.raises(ValueError, match="PoissonDistribution"):
        model.partial_fit([[3.0]])
    assert not hasattr(model, "n_")
    model.partial_fit([[0.0], [7.0]])
    before = model.n_.copy()
    with pytest.raises(ValueError, match="non-negative integers"):
        model.partial_fit([[0.5]])
    assert_array_equal(model.n_, before)
    model.partial_fit([[3.0], [1.0]])
    assert_allclose(
        model.n_, NegativeBinomialDistribution().fit([[0], [7], [3], [1]]).n_
    )


def test_sample_draws_counts(rng):
    model = NegativeBinomialDistribution().fit(
        _counts(rng, [2.0, 0.7], [0.3, 0.2], (300, 2))
    )
    draws = model.sample(5000, random_state=0)
    assert draws.dtype == np.float64
    assert np.all(draws >= 0) and np.all(draws == np.floor(draws))
    assert_array_equal(draws, model.sample(5000, random_state=0))


# -- scikit-learn conventions on counts (check_estimator feeds floats) -------------


def test_sklearn_conventions_on_counts(rng):
    X = _counts(rng, [2.0, 0.7], [0.3, 0.2], (150, 2))
    estimator = NegativeBinomialDistribution()
    with pytest.raises(NotFittedError):
        estimator.score_samples(X)
    params = estimator.get_params()
    model = estimator.fit(X, np.arange(150))  # y is ignored
    assert model is estimator and estimator.get_params() == params
    state = pickle.dumps(vars(model))
    reference = model.score_samples(X)
    model.score(X), model.sample(3), model.entropy(), model.predict_proba(X)
    assert pickle.dumps(vars(model)) == state  # evaluating changes nothing
    assert_allclose(clone(estimator).fit(X).score_samples(X), reference, rtol=0)
    for variant in (
        np.asfortranarray(X),
        X.astype(np.int32),
        X.astype(np.float32),
        X.astype(object),
        X.tolist(),
    ):
        assert_allclose(clone(estimator).fit(variant).score_samples(X), reference)
    readonly = X.copy()
    readonly.flags.writeable = False
    assert_allclose(clone(estimator).fit(readonly).score_samples(readonly), reference)
    # Scores of rows do not depend on the other rows or their order.
    order = rng.permutation(150)
    assert_allclose(model.score_samples(X[order]), reference[order])
    assert_allclose(model.score_samples(X[:7]), reference[:7])
    pipeline = make_pipeline(NegativeBinomialDistribution()).fit(X)
    assert_allclose(pipeline.score_samples(X), reference)
    assert model.score(X, np.arange(150)) == pytest.approx(reference.mean())
    with pytest.raises(ValueError, match="features"):
        model.score_samples(X[:, :1])
    with pytest.raises(ValueError, match="2D array"):
        model.score_samples(X[:, 0])
    for bad in (np.nan, np.inf):
        broken = X.copy()
        broken[3, 1] = bad
        with pytest.raises(ValueError, match=r"(?i)nan|inf"):
            clone(estimator).fit(broken)


def test_sample_weight_conventions(rng):
    X = _counts(rng, [2.0, 0.7], [0.3, 0.2], (80, 2))
    weights = rng.uniform(0.5, 2.0, 80)
    kept = weights.copy()
    reference = NegativeBinomialDistribution().fit(X, sample_weight=weights)
    assert_array_equal(weights, kept)  # not overwritten
    for variant in (weights.tolist(), pd.Series(weights)):
        model = NegativeBinomialDistribution().fit(X, sample_weight=variant)
        assert_allclose(model.n_, reference.n_, rtol=1e-14)
    with pytest.raises(ValueError, match=r"(?i)sample_weight|shape|length"):
        NegativeBinomialDistribution().fit(X, sample_weight=weights[:-1])
