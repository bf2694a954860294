"""Tests of ExponentialDistribution against scipy and closed forms.

The shared family suite (tests/test_families.py) covers weights, batches,
permutations, Monte-Carlo entropy and KL, pickling and atomic fits; this
module adds scipy's fit, the support, degenerate columns, the ends of the
float range and the conventions of the two scikit-learn checks listed as
expected failures.
"""

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate, stats

from skxent import ExponentialDistribution

#: Small positive data sets: up to 25 rows, 3 columns.
positive = arrays(
    np.float64,
    st.tuples(st.integers(1, 25), st.integers(1, 3)),
    elements=st.floats(1e-3, 1e3),
)


@pytest.fixture
def X(rng):
    return rng.exponential([0.01, 1.0, 30.0], size=(500, 3))


def with_scales(scales):
    """A fitted model with the given scales (fit on ones, scales then set)."""
    scales = np.atleast_1d(np.asarray(scales, dtype=np.float64))
    model = ExponentialDistribution().fit(np.ones((1, scales.size)))
    model.scales_ = scales
    return model


# -- the estimate -------------------------------------------------------------


def test_scales_match_scipy_fit_with_location_zero(X):
    model = ExponentialDistribution().fit(X)
    for j in range(X.shape[1]):
        loc, scale = stats.expon.fit(X[:, j], floc=0)
        assert loc == 0
        assert_allclose(model.scales_[j], scale, rtol=1e-14)
        ours = stats.expon(scale=model.scales_[j]).logpdf(X[:, j]).sum()
        theirs = stats.expon(scale=scale).logpdf(X[:, j]).sum()
        assert ours >= theirs - 1e-12 * abs(theirs)


def test_scales_are_weighted_means(X, rng):
    weights = rng.uniform(0.0, 3.0, size=len(X))
    model = ExponentialDistribution().fit(X, sample_weight=weights)
    assert_allclose(model.scales_, np.average(X, axis=0, weights=weights))


def test_score_samples_match_scipy(X):
    model = ExponentialDistribution().fit(X[:100])
    expected = stats.expon(scale=model.scales_).logpdf(X).sum(axis=1)
    assert_allclose(model.score_samples(X), expected, rtol=1e-12)


def test_entropy_matches_scipy(X):
    model = ExponentialDistribution().fit(X)
    expected = stats.expon(scale=model.scales_).entropy().sum()
    assert_allclose(model.entropy(), expected, rtol=1e-14)


def test_float32_input_gives_the_float64_model(X):
    X32 = X.astype(np.float32)
    model = ExponentialDistribution().fit(X32)
    reference = ExponentialDistribution().fit(X32.astype(np.float64))
    assert model.scales_.dtype == np.float64
    assert_allclose(model.scales_, reference.scales_, rtol=1e-12)
    assert_allclose(model.score_samples(X32), reference.score_samples(X32), rtol=1e-12)


def test_one_row_fits_its_values():
    model = ExponentialDistribution().fit([[0.5, 3.0]])
    assert_array_equal(model.scales_, [0.5, 3.0])


@given(X=positive, exponent=st.integers(-250, 250))
def test_rescaling_the_data_rescales_the_model(X, exponent):
    # If x ~ Expon(s), c x ~ Expon(c s): the scales follow and the
    # log-density shifts by -log c per column (c a power of two: exact).
    c = 2.0**exponent
    model = ExponentialDistribution().fit(X)
    scaled = ExponentialDistribution().fit(X * c)
    assert_allclose(scaled.scales_, model.scales_ * c, rtol=1e-13)
    shift = X.shape[1] * np.log(c)
    assert_allclose(scaled.score(X * c), model.score(X) - shift, rtol=1e-9, atol=1e-9)
    assert_allclose(scaled.entropy(), model.entropy() + shift, rtol=1e-9, atol=1e-9)


# -- support and degenerate data -----------------------------------------------


def test_negative_values_are_named_at_fit():
    # check_positive_only_tag_during_fit: negative input is a ValueError,
    # here naming the column and the value.
    X = np.array([[1.0, 2.0], [0.5, -4.0]])
    with pytest.raises(ValueError, match=r"column 1 has the value -4.0 \(row 1\)"):
        ExponentialDistribution().fit(X)


def test_dataframe_column_is_named_at_fit():
    frame = pd.DataFrame({"wait": [1.0, 2.0], "delay": [0.5, -0.1]})
    with pytest.raises(ValueError, match=r"column 1 \('delay'\) has the value -0.1"):
        ExponentialDistribution().fit(frame)


def test_negative_values_score_minus_inf_and_zero_scores_finite(X, no_warnings):
    model = ExponentialDistribution().fit(X)
    X_test = np.array([[0.0, 0.0, 0.0], [1.0, -1e-300, 2.0], [1.0, 1.0, 1.0]])
    log_density = model.score_samples(X_test)
    assert log_density[1] == -np.inf
    expected = stats.expon(scale=model.scales_).logpdf(X_test[[0, 2]]).sum(axis=1)
    assert_allclose(log_density[[0, 2]], expected, rtol=1e-13)


def test_values_beyond_the_float_range_of_the_density_score_minus_inf(no_warnings):
    model = ExponentialDistribution().fit([[1e-10], [3e-10]])
    assert model.score_samples([[1e300]])[0] == -np.inf


def test_all_zero_column_has_no_maximum_likelihood_scale():
    X = np.array([[1.0, 0.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match=r"column 1.*scale would be 0"):
        ExponentialDistribution().fit(X)
    frame = pd.DataFrame({"size": [1.0, 2.0], "gap": [0.0, 0.0]})
    with pytest.raises(ValueError, match=r"column 1 \('gap'\)"):
        ExponentialDistribution().fit(frame)


def test_a_column_positive_only_on_rows_of_weight_zero_is_degenerate():
    X = np.array([[1.0, 0.0], [2.0, 5.0]])
    with pytest.raises(ValueError, match=r"column 1.*scale would be 0"):
        ExponentialDistribution().fit(X, sample_weight=[1.0, 0.0])


def test_one_sample_fits_unless_a_value_is_zero():
    # check_fit2d_1sample: one row fits when every value is positive; a zero
    # is a column of zeros, refused by name rather than as "one sample".
    assert_array_equal(ExponentialDistribution().fit([[2.0, 7.0]]).scales_, [2, 7])
    with pytest.raises(ValueError, match=r"column 0.*scale would be 0"):
        ExponentialDistribution().fit([[0.0, 7.0]])


def test_failed_fits_leave_the_model_unchanged(X):
    model = ExponentialDistribution().fit(X)
    scales = model.scales_.copy()
    with pytest.raises(ValueError, match="scale would be 0"):
        model.fit(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="has the value"):
        model.partial_fit(-X[:3])
    assert_array_equal(model.scales_, scales)


def test_subnormal_means_and_overflowing_sums_are_clear_errors():
    with pytest.raises(ValueError, match="smallest normal float"):
        ExponentialDistribution().fit([[1e-310], [2e-310]])
    with pytest.raises(ValueError, match="overflow"):
        ExponentialDistribution().fit(np.full((3, 1), 1e308))


# -- Kullback-Leibler divergence ---------------------------------------------


@pytest.mark.parametrize("scale_p, scale_q", [(1.0, 2.0), (3.0, 0.1), (0.2, 50.0)])
def test_kl_matches_numerical_integration(scale_p, scale_q):
    p, q = stats.expon(scale=scale_p), stats.expon(scale=scale_q)
    reference, _ = integrate.quad(
        lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), 0, np.inf, epsabs=1e-13
    )
    kl = with_scales(scale_p).kl_divergence(with_scales(scale_q))
    assert_allclose(kl, reference, rtol=1e-8)


def test_kl_keeps_its_digits_for_nearly_equal_scales():
    # D = log(1/r) + r - 1 with r = s_p / s_q = 1 / (1 + 1e-7) is about
    # 5e-15: r - 1 - log r as written keeps one digit.
    scale_p, scale_q = 2.0, 2.0 * (1 + 1e-7)
    with localcontext() as context:
        context.prec = 40
        ratio = Decimal(scale_p) / Decimal(scale_q)
        exact = ratio - 1 - ratio.ln()
    kl = with_scales(scale_p).kl_divergence(with_scales(scale_q))
    assert_allclose(kl, float(exact), rtol=1e-12)


@given(X=positive, data=st.data())
def test_cross_entropy_is_entropy_plus_divergence(X, data):
    # For p the MLE on X: -q.score(X) = log s_q + mean(x) / s_q, which is
    # H(p) + D(p || q) exactly, as mean(x) = s_p; hence also the gap of the
    # two scores is D(p || q).
    Y = data.draw(arrays(np.float64, (4, X.shape[1]), elements=st.floats(1e-3, 1e3)))
    p = ExponentialDistribution().fit(X)
    q = ExponentialDistribution().fit(Y)
    kl = p.kl_divergence(q)
    assert kl >= 0
    assert p.kl_divergence(p) == 0
    assert_allclose(-q.score(X), p.entropy() + kl, rtol=1e-9, atol=1e-9)
    assert_allclose(p.score(X) - q.score(X), kl, rtol=1e-9, atol=1e-9)


@given(X=positive, factor=st.floats(0.5, 2.0).filter(lambda f: abs(f - 1) > 1e-3))
def test_mle_beats_every_rescaled_scale(X, factor):
    model = ExponentialDistribution().fit(X)
    perturbed = with_scales(model.scales_ * factor)
    assert perturbed.score(X) <= model.score(X) + 1e-12


# -- sampling -------------------------------------------------------------------


def test_sample_draws_from_the_scales():
    model = with_scales([0.5, 4.0])
    draws = model.sample(40_000, random_state=0)
    assert draws.shape == (40_000, 2)
    assert np.all(draws >= 0)
    # Five standard errors of the mean (the standard deviation is the scale).
    scales = np.array([0.5, 4.0])
    assert np.all(np.abs(draws.mean(axis=0) - scales) < 5 * scales / np.sqrt(4e4))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(np.isfinite(model.score_samples(draws)))
