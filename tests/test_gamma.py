"""Tests of GammaDistribution against scipy, closed forms and exact arithmetic.

Where float64 references run out of digits (near-constant data, whose shape
is huge, and the tails of the digamma function), the reference is the
textbook formula evaluated in 50-digit decimal arithmetic by the slow,
obviously correct functions below.
"""

import pickle
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from scipy.special import digamma, gammaln
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from skxent import GammaDistribution
from skxent.distributions import _gamma_math

# -- exact references -----------------------------------------------------------

_DIGITS = 50
_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494")
#: B_2, B_4, ..., B_16: the Bernoulli numbers of the asymptotic series.
_BERNOULLI = [Decimal(n) / Decimal(d) for n, d in [(1, 6), (-1, 30), (1, 42),
              (-1, 30), (5, 66), (-691, 2730), (7, 6), (-3617, 510)]]  # fmt: skip


def _shifted(a):
    """``a + n >= 60`` and the ``n`` terms ``a, a + 1, ...`` of the shift.

    Both series below are used at 60 or more, where their first omitted term
    is below 1e-33 relative; the recurrences Gamma(a + 1) = a Gamma(a) and
    digamma(a + 1) = digamma(a) + 1/a carry them down to ``a``.
    """
    a, terms = Decimal(a), []
    while a < 60:
        terms.append(a)
        a += 1
    return a, terms


def exact_gammaln(a):
    """log Gamma(a) by Stirling's series (Abramowitz and Stegun 6.1.40)."""
    with localcontext() as context:
        context.prec = _DIGITS
        z, terms = _shifted(a)
        value = (z - Decimal("0.5")) * z.ln() - z + (2 * _PI).ln() / 2
        for k, b in enumerate(_BERNOULLI, start=1):
            value += b / (2 * k * (2 * k - 1) * z ** (2 * k - 1))
        return value - sum((t.ln() for t in terms), Decimal(0))


def exact_digamma(a, digits=_DIGITS):
    """digamma(a) by its asymptotic series (Abramowitz and Stegun 6.3.18).

    ``log a - digamma(a)`` is about ``1 / (2a)``: it keeps ``digits`` minus
    ``log10(a)`` significant digits.
    """
    with localcontext() as context:
        context.prec = digits
        z, terms = _shifted(a)
        value = z.ln() - 1 / (2 * z)
        for k, b in enumerate(_BERNOULLI, start=1):
            value -= b / (2 * k * z ** (2 * k))
        return value - sum((1 / t for t in terms), Decimal(0))


def exact_log_ratio(x, weights=None):
    """``s = log(mean x) - mean(log x)`` of the float64 data, exactly."""
    weights = np.ones(len(x)) if weights is None else weights
    with localcontext() as context:
        context.prec = _DIGITS
        pairs = [
            (Decimal(float(w)), Decimal(float(v)))
            for w, v in zip(weights, x, strict=True)
        ]
        total = sum(w for w, _ in pairs)
        mean = sum(w * v for w, v in pairs) / total
        return mean.ln() - sum(w * v.ln() for w, v in pairs) / total


def exact_shape(s):
    """The root of ``log a - digamma(a) = s``, by bisection on ``log a``."""
    with localcontext() as context:
        context.prec = 100
        low, high = Decimal(-800), Decimal(800)
        for _ in range(120):
            middle = (low + high) / 2
            a = middle.exp()
            if a.ln() - exact_digamma(a, digits=100) > s:  # decreasing in a
                low = middle
            else:
                high = middle
        return float(((low + high) / 2).exp())


def exact_log_likelihood(x, shape, scale):
    """``sum_i (a - 1) log x_i - x_i / theta - gammaln(a) - a log theta``."""
    with localcontext() as context:
        context.prec = _DIGITS
        a, theta = Decimal(float(shape)), Decimal(float(scale))
        constant = exact_gammaln(a) + a * theta.ln()
        values = [Decimal(float(v)) for v in x]
        return sum((a - 1) * v.ln() - v / theta - constant for v in values)


def exact_kl(shape_p, scale_p, shape_q, scale_q):
    """The textbook closed form of D(p || q) between two gammas."""
    with localcontext() as context:
        context.prec = _DIGITS
        ap, tp, aq, tq = (
            Decimal(float(v)) for v in (shape_p, scale_p, shape_q, scale_q)
        )
        return float(
            (ap - aq) * exact_digamma(ap)
            - exact_gammaln(ap)
            + exact_gammaln(aq)
            + aq * (tq.ln() - tp.ln())
            + ap * (tp - tq) / tq
        )


def textbook_kl(shape_p, scale_p, shape_q, scale_q):
    """The same closed form in float64: exact enough for moderate shapes."""
    return np.sum(
        (shape_p - shape_q) * digamma(shape_p)
        - gammaln(shape_p)
        + gammaln(shape_q)
        + shape_q * np.log(scale_q / scale_p)
        + shape_p * (scale_p - scale_q) / scale_q
    )


def fitted(shapes, scales):
    """A GammaDistribution with the given parameters (fit, then overwritten)."""
    shapes, scales = np.atleast_1d(shapes), np.atleast_1d(scales)
    model = GammaDistribution().fit(
        np.random.default_rng(0).gamma(2.0, size=(5, shapes.size))
    )
    model.shapes_, model.scales_ = shapes.astype(float), scales.astype(float)
    return model


def near_constant(cv, n_samples=400, centre=1000.0, seed=1):
    """Data with coefficient of variation ``cv`` around ``centre``."""
    noise = np.random.default_rng(seed).standard_normal((n_samples, 1))
    return centre * (1.0 + cv * noise)


def test_exact_references_agree_with_scipy():
    # The decimal references are only as good as their series: check them
    # where scipy is exact to 1e-15.
    for a in (0.003, 0.7, 4.5, 61.0, 2.5e4):
        assert_allclose(float(exact_gammaln(a)), gammaln(a), rtol=1e-14)
        assert_allclose(float(exact_digamma(a)), digamma(a), rtol=1e-14, atol=1e-15)


# -- the estimate against scipy -------------------------------------------------


@pytest.mark.parametrize("shape", [0.05, 0.5, 2.0, 30.0, 800.0])
def test_fit_matches_scipy_fit_with_location_zero(shape):
    x = np.random.default_rng(2).gamma(shape, 3.0, size=300)
    model = GammaDistribution().fit(x[:, np.newaxis])
    a, _, scale = stats.gamma.fit(x, floc=0)
    # scipy's root finder stops at an absolute tolerance of 2e-12.
    assert_allclose(model.shapes_, [a], rtol=1e-9)
    assert_allclose(model.scales_, [scale], rtol=1e-9)
    ours = stats.gamma.logpdf(x, model.shapes_[0], scale=model.scales_[0]).sum()
    theirs = stats.gamma.logpdf(x, a, scale=scale).sum()
    assert ours >= theirs - 1e-12 * abs(theirs)


@pytest.mark.parametrize("shape", [0.01, 0.4, 3.0, 99.0, 150.0, 5e3])
def test_score_samples_match_scipy_logpdf(shape):
    # 100 and above take the Stirling form, below it the textbook one.
    rng = np.random.default_rng(3)
    model = fitted([shape, 2.0], [1.5 / shape, 0.7])
    X = np.column_stack([rng.gamma(shape, 1.5 / shape, 200), rng.gamma(2.0, 0.7, 200)])
    X = np.vstack([X, [[1e-3, 1e-3], [7.0, 20.0]]])  # far into both tails
    expected = stats.gamma(model.shapes_, scale=model.scales_).logpdf(X).sum(axis=1)
    # scipy's textbook form rounds to about shape * eps absolute.
    assert_allclose(model.score_samples(X), expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape", [1e-3, 0.5, 9.99, 10.0, 240.0, 300.0, 1e6])
def test_entropy_matches_scipy(shape):
    # scipy switches to an asymptotic form at 250; ours at 10.
    model = fitted([shape, 1.0], [2.0, 0.1])
    expected = stats.gamma(model.shapes_, scale=model.scales_).entropy().sum()
    assert_allclose(model.entropy(), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "p, q",
    [((2.0, 1.0), (3.5, 0.4)), ((0.05, 10.0), (0.5, 1.0)), ((40.0, 2.0), (39.0, 2.1))],
)
def test_kl_matches_the_textbook_closed_form(p, q):
    expected = textbook_kl(p[0], p[1], q[0], q[1])
    assert_allclose(fitted(*p).kl_divergence(fitted(*q)), expected, rtol=1e-11)


def test_cross_entropy_is_entropy_plus_divergence_on_the_training_data(rng):
    # For an exponential family fit by maximum likelihood, the expectations
    # of the sufficient statistics (x, log x) under p equal their training
    # means, and log q is linear in them: -q.score(X) = H(p, q) exactly.
    X = rng.gamma([0.8, 5.0], [2.0, 1.0], size=(300, 2))
    p = GammaDistribution().fit(X)
    q = GammaDistribution().fit(rng.gamma([1.5, 3.0], [1.0, 2.0], size=(40, 2)))
    assert_allclose(-q.score(X), p.entropy() + p.kl_divergence(q), rtol=1e-12)


# -- huge shapes: near-constant data ----------------------------------------------


def test_near_constant_data_fit_the_exact_shape_where_scipy_loses_digits():
    x = near_constant(1e-6)
    model = GammaDistribution().fit(x)
    expected = exact_shape(exact_log_ratio(x[:, 0]))
    assert expected > 1e11
    # Exact but for the rounding of x / c: relative eps / cv.
    assert_allclose(model.shapes_, [expected], rtol=1e-8)
    assert_allclose(model.shapes_ * model.scales_, x.mean(axis=0), rtol=1e-15)
    # scipy's estimate from log(mean x) - mean(log x) in float64 is off by
    # about 1e-3 here, and has a lower exact log-likelihood.
    a, _, scale = stats.gamma.fit(x[:, 0], floc=0)
    ours = exact_log_likelihood(x[:, 0], model.shapes_[0], model.scales_[0])
    assert ours >= exact_log_likelihood(x[:, 0], a, scale)


@pytest.mark.parametrize("cv", [1e-9, 1e-12])
def test_data_varying_in_their_last_digits_keep_a_finite_exact_shape(cv):
    x = near_constant(cv)
    model = GammaDistribution().fit(x)
    expected = exact_shape(exact_log_ratio(x[:, 0]))
    assert_allclose(model.shapes_, [expected], rtol=50 * np.finfo(float).eps / cv)


def test_score_of_a_huge_shape_matches_exact_arithmetic(no_warnings):
    # The textbook log-density subtracts terms of size a log a ~ 3e13 here.
    x = near_constant(1e-6, n_samples=20)
    model = GammaDistribution().fit(x)
    exact = [
        float(exact_log_likelihood(row, model.shapes_[0], model.scales_[0]))
        for row in x
    ]
    assert_allclose(model.score_samples(x), exact, rtol=1e-9)
    far = np.array([[x.mean() * 1.001], [x.mean() * 0.5]])
    exact_far = [
        float(exact_log_likelihood(row, model.shapes_[0], model.scales_[0]))
        for row in far
    ]
    assert_allclose(model.score_samples(far), exact_far, rtol=1e-12)


@pytest.mark.parametrize("shape", [1e8, 1e15, 1e30])
def test_entropy_and_kl_of_huge_shapes_match_exact_arithmetic(shape):
    p = fitted(shape, 2.0 / shape)
    # H -> log(2 pi e a theta^2) / 2, the normal limit, without cancellation.
    a = Decimal(shape)
    with localcontext() as context:
        context.prec = _DIGITS
        theta = Decimal(float(p.scales_[0]))
        entropy = a + theta.ln() + exact_gammaln(a) + (1 - a) * exact_digamma(a)
    assert_allclose(p.entropy(), float(entropy), rtol=1e-14)
    for q_shape, q_scale in [
        (shape * 1.01, p.scales_[0]),
        (shape, p.scales_[0] * (1 + 1e-9)),
    ]:
        q = fitted(q_shape, q_scale)
        expected = exact_kl(shape, p.scales_[0], q_shape, q_scale)
        assert_allclose(p.kl_divergence(q), expected, rtol=1e-6)
    assert p.kl_divergence(p) == 0.0


def test_sampling_a_huge_shape(no_warnings):
    model = fitted(1e12, 3e-12)
    draws = model.sample(2000, random_state=0)
    assert np.all(draws > 0)
    # Standard deviation sqrt(a) theta = 3e-6 around the mean 3.
    assert_allclose(draws.mean(), 3.0, rtol=1e-6)
    assert_allclose(draws.std(), 3e-6, rtol=0.1)


# -- small shapes: data over many decades -----------------------------------------


def test_data_over_many_decades_fit_a_small_exact_shape():
    x = 10.0 ** np.arange(-300.0, 301.0, 5.0)
    model = GammaDistribution().fit(x[:, np.newaxis])
    s = exact_log_ratio(x)
    assert s > 600  # shape about 1 / s
    assert_allclose(model.shapes_, [exact_shape(s)], rtol=1e-12)
    a, _, _ = stats.gamma.fit(x, floc=0)
    # scipy's absolute tolerance of 2e-12 is 1.4e-9 of this shape.
    assert_allclose(model.shapes_, [a], rtol=1e-8)


def test_ratios_below_the_float_range_are_exact():
    # 1e-320 / median underflows to 0: its logarithm is taken another way.
    x = np.array([1e-320, 3e5, 1e5, 2e5, 4e5])
    model = GammaDistribution().fit(x[:, np.newaxis])
    assert_allclose(model.shapes_, [exact_shape(exact_log_ratio(x))], rtol=1e-12)


def test_ratios_above_the_float_range_are_a_clear_error():
    x = np.array([[1e-300], [1e-300], [1e-300], [1e300]])
    with pytest.raises(ValueError, match="span more than the float64 range"):
        GammaDistribution().fit(x)


# -- the solver -------------------------------------------------------------------


@given(log10_s=st.floats(-300.0, np.log10(1500.0)))
def test_shape_solves_the_digamma_equation(log10_s):
    s = 10.0**log10_s
    shape = _gamma_math.shape_from_log_ratio(np.array([s]))[0]
    digits = _DIGITS - int(log10_s)
    with localcontext() as context:
        context.prec = digits
        a = Decimal(float(shape))
        residual = (a.ln() - exact_digamma(a, digits)) / Decimal(s) - 1
    # digamma's own rounding near a ~ 5 limits the direct difference to ~1e-14.
    assert abs(float(residual)) < 2e-14


def test_newton_converges_in_a_few_steps(monkeypatch):
    calls = []
    evaluate = _gamma_math._log_minus_digamma

    def counted(shape):
        calls.append(1)
        return evaluate(shape)

    monkeypatch.setattr(_gamma_math, "_log_minus_digamma", counted)
    s = np.geomspace(1e-300, 1500.0, 1000)
    shape = _gamma_math.shape_from_log_ratio(s)
    assert len(calls) <= 5
    assert np.all(np.isfinite(shape)) and np.all(shape > 0)


# -- degenerate data ---------------------------------------------------------------


@pytest.mark.parametrize(
    "X, weights",
    [
        ([[2.0, 1.0], [2.0, 3.0]], None),  # constant column 0
        ([[2.0, 1.0]], None),  # one row
        ([[2.0, 1.0], [5.0, 3.0], [2.0, 4.0]], [1.0, 0.0, 0.7]),  # zero weight
    ],
)
def test_constant_columns_have_no_estimate(X, weights):
    with pytest.raises(ValueError, match=r"column 0 is constant .* at 2\.0"):
        GammaDistribution().fit(X, sample_weight=weights)


def test_constant_column_error_names_the_dataframe_column():
    frame = pd.DataFrame({"size": [1.0, 2.0, 3.0], "weight": [4.0, 4.0, 4.0]})
    with pytest.raises(ValueError, match=r"column 1 \('weight'\) is constant"):
        GammaDistribution().fit(frame)


def test_a_constant_first_batch_is_refused_and_changes_nothing():
    model = GammaDistribution()
    with pytest.raises(ValueError, match="constant"):
        model.partial_fit([[3.0], [3.0]])
    assert not hasattr(model, "shapes_")
    model.partial_fit([[3.0], [4.0]])
    assert_allclose(model.shapes_, GammaDistribution().fit([[3.0], [4.0]]).shapes_)


def test_batches_of_near_constant_data_equal_one_fit():
    # Each batch has its own reference value; merging converts between them.
    x = near_constant(1e-7, n_samples=300)
    whole = GammaDistribution().fit(x)
    batches = GammaDistribution()
    for rows in np.array_split(np.arange(300), [2, 50, 120]):
        batches.partial_fit(x[rows])
    assert_allclose(batches.shapes_, whole.shapes_, rtol=1e-7)
    assert_allclose(batches.scales_, whole.scales_, rtol=1e-7)


# -- support ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.0, -1.5])
def test_values_outside_the_support_name_column_and_value(value):
    X = np.array([[1.0, 2.0], [3.0, value], [2.0, 1.0]])
    with pytest.raises(ValueError, match=rf"x > 0; column 1 has the value {value}"):
        GammaDistribution().fit(X)
    frame = pd.DataFrame(X, columns=["a", "b"])
    with pytest.raises(ValueError, match=r"column 1 \('b'\)"):
        GammaDistribution().fit(frame)


def test_outside_the_support_scores_minus_inf_without_warning(no_warnings):
    model = fitted([0.5, 1.0, 300.0], [1.0, 1.0, 0.01])
    X = np.array([[1.0, 1.0, 3.0], [0.0, 1.0, 3.0], [1.0, -2.0, 3.0], [1.0, 1.0, 0.0]])
    log_likelihood = model.score_samples(X)
    assert np.isfinite(log_likelihood[0])
    assert_array_equal(log_likelihood[1:], -np.inf)
    assert_array_equal(model.predict_proba(X)[1:], 0.0)


def test_sparse_input_is_refused():
    with pytest.raises(TypeError, match="dense data is required"):
        GammaDistribution().fit(sp.csr_matrix([[1.0], [2.0]]))


# -- weights and dtypes ---------------------------------------------------------------


@given(
    weights=st.lists(st.integers(0, 4), min_size=12, max_size=12).filter(
        lambda w: sum(w) > 0
    )
)
def test_integer_weights_equal_repeated_rows(weights):
    X = np.random.default_rng(4).gamma([0.7, 4.0], size=(12, 2))
    weights = np.array(weights)
    if np.all(np.ptp(np.repeat(X, weights, axis=0), axis=0) > 0):
        weighted = GammaDistribution().fit(X, sample_weight=weights)
        repeated = GammaDistribution().fit(np.repeat(X, weights, axis=0))
        assert_allclose(weighted.shapes_, repeated.shapes_, rtol=1e-10)
        assert_allclose(weighted.scales_, repeated.scales_, rtol=1e-10)


@pytest.mark.parametrize("positive_rows", [[1, 3, 6, 4001], list(range(0, 5000, 2))])
def test_rows_of_weight_zero_do_not_count(positive_rows):
    # Far values of weight zero next to a few rows that count: the reference
    # value is taken among the rows that count, wherever they are.
    rng = np.random.default_rng(12)
    X = rng.gamma(3.0, 1e-8, size=(5000, 2))
    weights = np.zeros(5000)
    weights[positive_rows] = rng.uniform(0.5, 2.0, len(positive_rows))
    X[weights == 0] = 1e10
    model = GammaDistribution().fit(X, sample_weight=weights)
    kept = weights > 0
    expected = GammaDistribution().fit(X[kept], sample_weight=weights[kept])
    assert_allclose(model.shapes_, expected.shapes_, rtol=1e-12)
    assert_allclose(model.scales_, expected.scales_, rtol=1e-12)


@given(
    factors=st.tuples(st.floats(0.5, 2.0), st.floats(0.5, 2.0)).filter(
        lambda f: abs(f[0] - 1) + abs(f[1] - 1) > 1e-3
    )
)
def test_mle_beats_every_perturbation(factors):
    X = np.random.default_rng(5).gamma(1.7, 2.0, size=(50, 1))
    model = GammaDistribution().fit(X)
    moved = fitted(model.shapes_ * factors[0], model.scales_ * factors[1])
    assert moved.score(X) < model.score(X)


# -- scikit-learn conventions on data inside the support --------------------------
# (check_estimator's own data for these checks are negative; see
# tests/family_cases/gamma.py.)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32])
def test_dtypes(dtype):
    X = np.random.default_rng(6).integers(1, 20, size=(40, 3)).astype(dtype)
    model = GammaDistribution().fit(X)
    reference = GammaDistribution().fit(X.astype(np.float64))
    assert_allclose(model.shapes_, reference.shapes_, rtol=1e-12)
    assert_allclose(model.score_samples(X), reference.score_samples(X), rtol=1e-12)


def test_fit_returns_self_and_keeps_its_parameters():
    X = np.random.default_rng(7).gamma(2.0, size=(30, 2))
    model = GammaDistribution()
    params = model.get_params()
    assert model.fit(X) is model
    assert model.partial_fit(X) is model
    assert model.get_params() == params


def test_read_only_input():
    X = np.random.default_rng(8).gamma(2.0, size=(30, 2))
    read_only = X.copy()
    read_only.flags.writeable = False
    model = GammaDistribution().fit(read_only)
    assert_array_equal(model.shapes_, GammaDistribution().fit(X).shapes_)
    assert_array_equal(model.score_samples(read_only), model.score_samples(X))


def test_wrong_number_of_features_at_score_time():
    model = GammaDistribution().fit(np.random.default_rng(9).gamma(2.0, size=(30, 3)))
    with pytest.raises(ValueError, match="X has 2 features, but GammaDistribution"):
        model.score_samples(np.ones((4, 2)))


def test_pipeline_pickle_and_clone_give_the_same_model():
    X = np.random.default_rng(10).gamma([0.9, 3.0], size=(60, 2))
    model = GammaDistribution().fit(X)
    pipeline = make_pipeline(GammaDistribution()).fit(X)
    assert_allclose(pipeline.score_samples(X), model.score_samples(X))
    assert_allclose(pipeline.score(X), model.score(X))
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.score_samples(X), model.score_samples(X))
    assert_array_equal(clone(model).fit(X).shapes_, model.shapes_)


def test_negative_values_are_refused_by_name():
    # The positive_only convention: negative data are a ValueError.
    with pytest.raises(ValueError, match="GammaDistribution needs x > 0"):
        GammaDistribution().fit(np.random.default_rng(11).normal(size=(20, 2)))
