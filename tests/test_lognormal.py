"""Tests of LogNormalDistribution against scipy and the normal law of log x.

The shared suite (tests/test_families.py) runs the full covariance; the
diagonal (the default) and spherical types are tested here against
``scipy.stats.lognorm``, and every type against GaussianDistribution on
``log X``, which the model is by construction.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skxent import GaussianDistribution, LogNormalDistribution

COVARIANCE_TYPES = ["full", "diag", "spherical"]


def log_normal_data(n_samples=300, seed=0):
    rng = np.random.default_rng(seed)
    factor = np.array([[0.6, 0.0, 0.0], [0.3, 0.5, 0.0], [-0.2, 0.1, 0.9]])
    return np.exp(rng.standard_normal((n_samples, 3)) @ factor.T + [0.0, 3.0, -2.0])


def variances(model):
    """The variance of each log x_j, for any covariance type."""
    covariance = np.asarray(model.covariance_)
    diagonal = np.diag(covariance) if covariance.ndim == 2 else covariance
    return np.broadcast_to(diagonal, model.n_features_in_)


def full_covariance(model):
    covariance = np.asarray(model.covariance_)
    return covariance if covariance.ndim == 2 else np.diag(variances(model))


# -- references ---------------------------------------------------------------


@pytest.mark.parametrize("covariance_type", ["diag", "spherical"])
@pytest.mark.parametrize("reg_covar", [0.0, 1e-6, 0.3])
def test_independent_columns_match_scipy_lognorm(covariance_type, reg_covar):
    X = log_normal_data()
    model = LogNormalDistribution(covariance_type=covariance_type, reg_covar=reg_covar)
    model.fit(X)
    columns = stats.lognorm(s=np.sqrt(variances(model)), scale=np.exp(model.mean_))
    X_test = log_normal_data(50, seed=1)
    assert_allclose(model.score_samples(X_test), columns.logpdf(X_test).sum(axis=1))
    assert_allclose(model.entropy(), columns.entropy().sum(), rtol=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_density_is_the_normal_density_of_log_x_times_the_jacobian(covariance_type):
    X = log_normal_data()
    model = LogNormalDistribution(covariance_type=covariance_type).fit(X)
    log_X = np.log(log_normal_data(50, seed=2))
    normal = stats.multivariate_normal(model.mean_, full_covariance(model))
    expected = normal.logpdf(log_X) - log_X.sum(axis=1)
    assert_allclose(model.score_samples(np.exp(log_X)), expected, rtol=1e-12)
    assert_allclose(model.entropy(), normal.entropy() + model.mean_.sum(), rtol=1e-12)


def test_fit_matches_scipy_lognorm_fit_with_location_zero():
    X = log_normal_data()
    model = LogNormalDistribution(reg_covar=0.0).fit(X)
    for j in range(X.shape[1]):
        s, loc, scale = stats.lognorm.fit(X[:, j], floc=0)
        assert loc == 0
        assert_allclose(np.sqrt(model.covariance_[j]), s, rtol=1e-12)
        assert_allclose(np.exp(model.mean_[j]), scale, rtol=1e-12)
        ours = stats.lognorm.logpdf(
            X[:, j], np.sqrt(model.covariance_[j]), scale=np.exp(model.mean_[j])
        ).sum()
        theirs = stats.lognorm.logpdf(X[:, j], s, scale=scale).sum()
        assert ours >= theirs - 1e-12 * abs(theirs)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("reg_covar", [0.0, 1e-3])
def test_parameters_are_those_of_the_gaussian_of_log_x(covariance_type, reg_covar):
    X = log_normal_data()
    weights = np.random.default_rng(3).uniform(0.0, 2.0, len(X))
    params = {"covariance_type": covariance_type, "reg_covar": reg_covar}
    model = LogNormalDistribution(**params).fit(X, sample_weight=weights)
    gaussian = GaussianDistribution(**params).fit(np.log(X), sample_weight=weights)
    assert_allclose(model.mean_, gaussian.mean_, rtol=1e-14)
    assert_allclose(model.covariance_, gaussian.covariance_, rtol=1e-14)
    assert model._n_parameters() == gaussian._n_parameters()
    other_X = log_normal_data(40, seed=4)
    other = LogNormalDistribution(**params).fit(other_X)
    gaussian_other = GaussianDistribution(**params).fit(np.log(other_X))
    # A divergence does not change under the bijection x -> log x.
    assert_allclose(
        model.kl_divergence(other), gaussian.kl_divergence(gaussian_other), rtol=1e-14
    )


def test_kl_matches_monte_carlo_for_diagonal_models():
    p = LogNormalDistribution().fit(log_normal_data())
    q = LogNormalDistribution().fit(log_normal_data(40, seed=5))
    draws = p.sample(40_000, random_state=0)
    ratio = p.score_samples(draws) - q.score_samples(draws)
    error = ratio.std() / np.sqrt(len(ratio))
    assert abs(p.kl_divergence(q) - ratio.mean()) < 5 * error


def test_cross_entropy_is_entropy_plus_divergence_on_the_training_data():
    # With reg_covar=0 the model matches the training means of log x and
    # log x log x^T, in which log q is linear: -q.score(X) = H(p) + D(p || q).
    X = log_normal_data()
    p = LogNormalDistribution(covariance_type="full", reg_covar=0.0).fit(X)
    q = LogNormalDistribution(covariance_type="diag").fit(log_normal_data(40, seed=6))
    assert_allclose(-q.score(X), p.entropy() + p.kl_divergence(q), rtol=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_samples_are_positive_with_the_model_law_of_log_x(covariance_type):
    model = LogNormalDistribution(covariance_type=covariance_type).fit(
        log_normal_data()
    )
    draws = model.sample(20_000, random_state=0)
    assert draws.shape == (20_000, 3) and np.all(draws > 0)
    log_draws = np.log(draws)
    # Five standard errors of the mean and of the variance of a normal.
    sd = np.sqrt(variances(model))
    assert np.all(np.abs(log_draws.mean(axis=0) - model.mean_) < 5 * sd / np.sqrt(2e4))
    assert_allclose(log_draws.var(axis=0), variances(model), rtol=5 * np.sqrt(2 / 2e4))


# -- batches, weights, degenerate data ----------------------------------------


@pytest.mark.parametrize("covariance_type", ["diag", "spherical"])
def test_batches_equal_one_fit(covariance_type):
    X = log_normal_data()
    weights = np.random.default_rng(7).uniform(0.0, 3.0, len(X))
    whole = LogNormalDistribution(covariance_type=covariance_type).fit(
        X, sample_weight=weights
    )
    batches = LogNormalDistribution(covariance_type=covariance_type)
    for rows in np.array_split(np.arange(len(X)), [1, 90, 200]):
        batches.partial_fit(X[rows], sample_weight=weights[rows])
    assert_allclose(batches.mean_, whole.mean_, rtol=1e-12)
    assert_allclose(batches.covariance_, whole.covariance_, rtol=1e-12)


@given(
    weights=st.lists(st.integers(0, 3), min_size=15, max_size=15).filter(
        lambda w: sum(w) > 0
    )
)
def test_integer_weights_equal_repeated_rows(weights):
    X = log_normal_data(15, seed=8)
    weights = np.array(weights)
    weighted = LogNormalDistribution().fit(X, sample_weight=weights)
    repeated = LogNormalDistribution().fit(np.repeat(X, weights, axis=0))
    assert_allclose(weighted.mean_, repeated.mean_, rtol=1e-12)
    assert_allclose(weighted.covariance_, repeated.covariance_, rtol=1e-10)


@given(shift=st.floats(-0.3, 0.3), factor=st.floats(0.7, 1.4))
def test_mle_beats_every_perturbation(shift, factor):
    X = log_normal_data(60, seed=9)
    model = LogNormalDistribution(reg_covar=0.0).fit(X)
    if abs(shift) + abs(factor - 1.0) > 1e-6:
        moved = clone(model).fit(X)
        moved.mean_ = model.mean_ + shift
        moved.covariance_ = model.covariance_ * factor
        moved._covariance_factor_ = model._covariance_factor_ * np.sqrt(factor)
        assert moved.score(X) < model.score(X)


def test_constant_column_needs_reg_covar():
    X = log_normal_data(30)
    X[:, 1] = 2.5
    with pytest.raises(ValueError, match=r"singular.*reg_covar > 0"):
        LogNormalDistribution(reg_covar=0.0).fit(X)
    model = LogNormalDistribution(reg_covar=1e-6).fit(X)
    assert_allclose(model.mean_[1], np.log(2.5))
    assert_allclose(model.covariance_[1], 1e-6)
    assert np.all(np.isfinite(model.score_samples(X)))


def test_one_row_fits_with_regularisation():
    model = LogNormalDistribution().fit([[1.0, 2.0]])
    assert_allclose(model.mean_, np.log([1.0, 2.0]))
    assert_allclose(model.covariance_, [1e-6, 1e-6])


# -- support ------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.0, -3.0])
def test_values_outside_the_support_name_column_and_value(value):
    X = log_normal_data(10)
    X[4, 2] = value
    with pytest.raises(ValueError, match=rf"x > 0; column 2 has the value {value}"):
        LogNormalDistribution().fit(X)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"column 2 \('c'\)"):
        LogNormalDistribution().fit(frame)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_outside_the_support_scores_minus_inf_without_warning(
    covariance_type, no_warnings
):
    model = LogNormalDistribution(covariance_type=covariance_type).fit(
        log_normal_data()
    )
    X = np.array([[1.0, 20.0, 0.1], [0.0, 20.0, 0.1], [1.0, -1.0, 0.1]])
    log_likelihood = model.score_samples(X)
    assert np.isfinite(log_likelihood[0])
    assert_array_equal(log_likelihood[1:], -np.inf)


# -- scikit-learn conventions on data inside the support ----------------------
# (check_estimator's own data for these checks are negative; see
# tests/family_cases/lognormal.py.)


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32])
def test_dtypes(dtype):
    X = np.random.default_rng(10).integers(1, 50, size=(40, 3)).astype(dtype)
    model = LogNormalDistribution().fit(X)
    reference = LogNormalDistribution().fit(X.astype(np.float64))
    assert_allclose(model.mean_, reference.mean_, rtol=1e-12)
    assert_allclose(model.score_samples(X), reference.score_samples(X), rtol=1e-12)


def test_fit_returns_self_and_keeps_its_parameters():
    model = LogNormalDistribution(covariance_type="spherical", reg_covar=0.1)
    params = model.get_params()
    assert model.fit(log_normal_data()) is model
    assert model.partial_fit(log_normal_data(20, seed=1)) is model
    assert model.get_params() == params


def test_read_only_input():
    X = log_normal_data()
    read_only = X.copy()
    read_only.flags.writeable = False
    model = LogNormalDistribution().fit(read_only)
    assert_array_equal(model.covariance_, LogNormalDistribution().fit(X).covariance_)
    assert_array_equal(model.score_samples(read_only), model.score_samples(X))


def test_wrong_number_of_features_at_score_time():
    model = LogNormalDistribution().fit(log_normal_data())
    with pytest.raises(ValueError, match="X has 2 features, but LogNormalDistribution"):
        model.score_samples(np.ones((4, 2)))


def test_pipeline_grid_search_pickle_and_clone():
    X = log_normal_data()
    model = LogNormalDistribution().fit(X)
    pipeline = make_pipeline(LogNormalDistribution()).fit(X)
    assert_allclose(pipeline.score_samples(X), model.score_samples(X))
    search = GridSearchCV(
        LogNormalDistribution(), {"covariance_type": COVARIANCE_TYPES}, cv=3
    ).fit(X)
    # The data are correlated on the log scale: the full covariance wins.
    assert search.best_params_ == {"covariance_type": "full"}
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.score_samples(X), model.score_samples(X))
    assert_array_equal(clone(model).fit(X).covariance_, model.covariance_)


def test_negative_values_are_refused_by_name():
    # The positive_only convention: negative data are a ValueError.
    with pytest.raises(ValueError, match="LogNormalDistribution needs x > 0"):
        LogNormalDistribution().fit(np.random.default_rng(11).normal(size=(20, 2)))
