"""Tests of GaussianDistribution against scipy, scikit-learn and closed forms."""

import itertools
import pickle

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import multivariate_normal
from sklearn.base import clone
from sklearn.covariance import EmpiricalCovariance
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skxent import GaussianDistribution

COVARIANCE_TYPES = ["full", "diag", "spherical"]

# Deterministic property tests: the same examples on every run.
PROPERTY_SETTINGS = settings(derandomize=True, max_examples=60, deadline=None)


def correlated_data(n_samples=200, n_features=3, random_state=0, offset=5.0):
    rng = np.random.RandomState(random_state)
    mixing = rng.normal(size=(n_features, n_features))
    return rng.normal(size=(n_samples, n_features)) @ mixing + offset


def full_covariance(model):
    """covariance_ of any covariance type as a (d, d) matrix."""
    d = model.n_features_in_
    covariance = np.asarray(model.covariance_)
    if covariance.ndim == 2:
        return covariance
    return np.diag(np.broadcast_to(covariance, d))


def kl_reference(mean_p, cov_p, mean_q, cov_q):
    """Textbook KL between normals with explicit inverses (slow, obvious)."""
    d = mean_p.shape[0]
    precision_q = np.linalg.inv(cov_q)
    difference = mean_q - mean_p
    log_det_p = np.linalg.slogdet(cov_p)[1]
    log_det_q = np.linalg.slogdet(cov_q)[1]
    return 0.5 * (
        np.trace(precision_q @ cov_p)
        + difference @ precision_q @ difference
        - d
        + log_det_q
        - log_det_p
    )


def fitted_state(model):
    """Everything a fit sets, for checking that a failed fit changed nothing."""
    return pickle.dumps(vars(model))


# -- references ---------------------------------------------------------------


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("reg_covar", [1e-6, 0.1])
def test_matches_gaussian_mixture_with_one_component(covariance_type, reg_covar):
    X = correlated_data()
    X_test = correlated_data(random_state=1)
    model = GaussianDistribution(
        covariance_type=covariance_type, reg_covar=reg_covar
    ).fit(X)
    # One component: every responsibility is 1 and one M-step is the MLE.
    mixture = GaussianMixture(
        n_components=1, covariance_type=covariance_type, reg_covar=reg_covar, tol=1e-12
    ).fit(X)

    assert_allclose(model.mean_, mixture.means_[0], rtol=1e-12)
    assert np.shape(model.covariance_) == np.shape(mixture.covariances_[0])
    assert_allclose(model.covariance_, mixture.covariances_[0], rtol=1e-12)
    assert_allclose(model.score_samples(X_test), mixture.score_samples(X_test))
    assert model.score(X_test) == pytest.approx(mixture.score(X_test), rel=1e-12)
    assert model.bic(X_test) == pytest.approx(mixture.bic(X_test), rel=1e-12)
    assert model.aic(X_test) == pytest.approx(mixture.aic(X_test), rel=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_matches_scipy_multivariate_normal(covariance_type):
    X = correlated_data()
    X_test = correlated_data(random_state=1)
    model = GaussianDistribution(covariance_type=covariance_type).fit(X)
    reference = multivariate_normal(model.mean_, full_covariance(model))

    assert_allclose(model.score_samples(X_test), reference.logpdf(X_test))
    assert_allclose(model.predict_proba(X_test), reference.pdf(X_test))
    assert model.entropy() == pytest.approx(reference.entropy(), rel=1e-12)


def test_matches_empirical_covariance():
    X = correlated_data()
    X_test = correlated_data(random_state=1)
    model = GaussianDistribution(reg_covar=0.0).fit(X)
    reference = EmpiricalCovariance().fit(X)

    assert_allclose(model.mean_, reference.location_, rtol=1e-12)
    assert_allclose(model.covariance_, reference.covariance_, rtol=1e-12)
    # EmpiricalCovariance.score is the mean log-likelihood of X_test.
    assert model.score(X_test) == pytest.approx(reference.score(X_test), rel=1e-12)


def test_kl_divergence_of_univariate_normals_closed_form():
    rng = np.random.RandomState(0)
    p = GaussianDistribution(reg_covar=0.0).fit(rng.normal(1.0, 2.0, (50, 1)))
    q = GaussianDistribution(reg_covar=0.0).fit(rng.normal(-1.0, 0.5, (80, 1)))
    m_p, s_p = p.mean_[0], np.sqrt(p.covariance_[0, 0])
    m_q, s_q = q.mean_[0], np.sqrt(q.covariance_[0, 0])
    # D(N(m_p, s_p^2) || N(m_q, s_q^2)), e.g. Bishop (2006), exercise 1.30.
    expected = np.log(s_q / s_p) + (s_p**2 + (m_p - m_q) ** 2) / (2 * s_q**2) - 0.5

    assert p.kl_divergence(q) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("type_p", COVARIANCE_TYPES)
@pytest.mark.parametrize("type_q", COVARIANCE_TYPES)
def test_kl_divergence_matches_explicit_inverse(type_p, type_q):
    p = GaussianDistribution(covariance_type=type_p).fit(correlated_data())
    q = GaussianDistribution(covariance_type=type_q).fit(
        correlated_data(random_state=1, offset=4.0)
    )
    expected = kl_reference(p.mean_, full_covariance(p), q.mean_, full_covariance(q))

    assert p.kl_divergence(q) == pytest.approx(expected, rel=1e-10)


def test_kl_divergence_matches_monte_carlo():
    # D(p || q) = E_p[log p - log q], estimated from draws of p.
    p = GaussianDistribution().fit(correlated_data())
    q = GaussianDistribution(covariance_type="diag").fit(correlated_data(offset=4.5))
    draws = p.sample(200_000, random_state=0)
    estimate = np.mean(p.score_samples(draws) - q.score_samples(draws))

    assert p.kl_divergence(q) == pytest.approx(estimate, rel=0.02)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_entropy_closed_form(covariance_type):
    model = GaussianDistribution(covariance_type=covariance_type).fit(correlated_data())
    _, log_det = np.linalg.slogdet(2 * np.pi * np.e * full_covariance(model))

    assert model.entropy() == pytest.approx(0.5 * log_det, rel=1e-12)


@pytest.mark.parametrize(
    "covariance_type, n_parameters",
    [("full", 4 + 4 * 5 // 2), ("diag", 4 + 4), ("spherical", 4 + 1)],
)
def test_information_criteria_count_free_parameters(covariance_type, n_parameters):
    X = correlated_data(n_features=4)
    model = GaussianDistribution(covariance_type=covariance_type).fit(X)
    log_likelihood = model.score_samples(X).sum()

    assert model.aic(X) == pytest.approx(-2 * log_likelihood + 2 * n_parameters)
    assert model.bic(X) == pytest.approx(
        -2 * log_likelihood + n_parameters * np.log(X.shape[0])
    )


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("weighted", [False, True])
def test_training_score_is_minus_entropy_without_regularisation(
    covariance_type, weighted
):
    # For the Gaussian MLE the weighted mean squared Mahalanobis distance of
    # the training data is tr(S^{-1} S) = d, so the mean log-likelihood is
    # -d (1 + log 2 pi) / 2 - log det S / 2 = -H(model): the cross-entropy
    # of the data with its MLE normal is that normal's entropy.
    X = correlated_data(n_features=4)
    weights = np.random.RandomState(3).uniform(0, 2, X.shape[0]) if weighted else None
    model = GaussianDistribution(covariance_type=covariance_type, reg_covar=0.0)
    model.fit(X, sample_weight=weights)
    d = X.shape[1]
    _, log_det = np.linalg.slogdet(full_covariance(model))

    expected = -0.5 * d * (1 + np.log(2 * np.pi)) - 0.5 * log_det
    assert model.score(X, sample_weight=weights) == pytest.approx(expected, rel=1e-12)
    assert model.entropy() == pytest.approx(-expected, rel=1e-12)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_equal_weights_scale_the_statistics(covariance_type):
    # Equal weights take a shortcut; they must still count in a later merge:
    # rows of weight 2.5 then rows of weight 1 equal one weighted fit.
    X = correlated_data()
    model = GaussianDistribution(covariance_type=covariance_type)
    plain = clone(model).fit(X)
    equal = clone(model).fit(X, sample_weight=np.full(len(X), 2.5))
    assert_same_model(equal, plain, scale=10)

    batched = clone(model).partial_fit(X[:50], sample_weight=np.full(50, 2.5))
    batched.partial_fit(X[50:])
    weights = np.r_[np.full(50, 2.5), np.ones(len(X) - 50)]
    assert_same_model(batched, clone(model).fit(X, sample_weight=weights), scale=10)


def test_score_is_a_weighted_mean():
    X = correlated_data()
    weights = np.random.RandomState(0).uniform(0, 3, X.shape[0])
    model = GaussianDistribution().fit(X)

    expected = np.average(model.score_samples(X), weights=weights)
    assert model.score(X, sample_weight=weights) == pytest.approx(expected)


def test_log_density_does_not_underflow():
    # One million densities multiply to 0.0 in float64; their logs average to
    # a finite negative cross-entropy, here close to minus the entropy.
    X = np.random.RandomState(0).normal(size=(10**6, 2))
    model = GaussianDistribution(reg_covar=0.0).fit(X)

    assert np.prod(model.predict_proba(X)) == 0.0
    assert np.isfinite(model.score(X))
    assert model.score(X) == pytest.approx(-model.entropy(), rel=1e-10)
    reference = multivariate_normal(model.mean_, model.covariance_)
    assert model.score(X) == pytest.approx(reference.logpdf(X).mean(), rel=1e-10)


def test_far_away_points_keep_finite_log_density():
    model = GaussianDistribution().fit(correlated_data())
    far = np.full((1, 3), 1e6)

    assert model.predict_proba(far)[0] == 0.0
    assert np.isfinite(model.score_samples(far)[0])


# -- sampling -------------------------------------------------------------------


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_sample_moments_and_reproducibility(covariance_type):
    model = GaussianDistribution(covariance_type=covariance_type).fit(correlated_data())
    draws = model.sample(100_000, random_state=0)

    assert draws.shape == (100_000, 3)
    assert_array_equal(draws, model.sample(100_000, random_state=0))
    scale = np.sqrt(np.diag(full_covariance(model)))
    assert_allclose(draws.mean(axis=0), model.mean_, atol=0.02 * scale.max())
    assert_allclose(
        np.cov(draws, rowvar=False), full_covariance(model), atol=0.03 * scale.max()
    )


def test_sample_rejects_bad_n_samples():
    model = GaussianDistribution().fit(correlated_data())
    with pytest.raises(ValueError, match="n_samples"):
        model.sample(0)


# -- singular data ----------------------------------------------------------------


def singular_datasets():
    rng = np.random.RandomState(0)
    constant = rng.normal(size=(50, 3))
    constant[:, 1] = 0.1  # not exactly representable: its mean is rounded
    collinear = rng.normal(size=(50, 3))
    collinear[:, 2] = collinear[:, 0] - 3 * collinear[:, 1]
    return {
        "constant column": constant,
        "fewer samples than features": rng.normal(size=(3, 5)) + 7.0,
        "collinear": collinear,
        "one sample": rng.normal(size=(1, 2)),
    }


@pytest.mark.parametrize("name", list(singular_datasets()))
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_singular_data_fits_and_scores_finitely_with_reg_covar(name, covariance_type):
    X = singular_datasets()[name]
    model = GaussianDistribution(covariance_type=covariance_type).fit(X)

    assert np.all(np.isfinite(model.score_samples(X)))
    assert np.isfinite(model.entropy())
    assert np.min(np.linalg.eigvalsh(full_covariance(model))) > 0


@pytest.mark.parametrize("name", list(singular_datasets()))
def test_singular_data_without_reg_covar_raises(name):
    X = singular_datasets()[name]
    model = GaussianDistribution(reg_covar=0.0).fit(correlated_data())
    before = fitted_state(model)

    with pytest.raises(ValueError, match=r"singular.*reg_covar > 0"):
        model.fit(X)
    assert fitted_state(model) == before


def test_singular_data_without_reg_covar_raises_for_each_type():
    X = singular_datasets()["constant column"]
    for covariance_type in ["full", "diag"]:
        with pytest.raises(ValueError, match="feature 1 has zero variance"):
            GaussianDistribution(covariance_type=covariance_type, reg_covar=0).fit(X)
    # A spherical covariance is singular only if every feature is constant.
    GaussianDistribution(covariance_type="spherical", reg_covar=0).fit(X)
    with pytest.raises(ValueError, match="the data have zero variance"):
        GaussianDistribution(covariance_type="spherical", reg_covar=0).fit(
            np.full((5, 3), 0.3)
        )
    # A diagonal covariance only needs every feature to vary.
    X = singular_datasets()["fewer samples than features"]
    GaussianDistribution(covariance_type="diag", reg_covar=0).fit(X)
    with pytest.raises(ValueError, match="linearly dependent"):
        GaussianDistribution(covariance_type="full", reg_covar=0).fit(X)


def test_constant_column_over_many_batches_is_still_singular():
    # Each batch mean of a constant 0.1 column is rounded differently; the
    # merge must not turn that rounding into a positive variance.
    rng = np.random.RandomState(0)
    model = GaussianDistribution(reg_covar=0.0)
    with pytest.raises(ValueError, match="zero variance"):
        for size in [7, 3, 11, 1, 20, 5]:
            X = np.column_stack([rng.normal(size=size), np.full(size, 0.1)])
            model.partial_fit(X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_constant_column_has_exactly_zero_variance(covariance_type):
    X = singular_datasets()["constant column"]
    model = GaussianDistribution(covariance_type=covariance_type, reg_covar=0.25)
    model.partial_fit(X[:20]).partial_fit(X[20:])

    assert model.mean_[1] == 0.1
    if covariance_type == "full":
        assert_array_equal(model.covariance_[1], [0.0, 0.25, 0.0])
    elif covariance_type == "diag":
        assert model.covariance_[1] == 0.25


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_data_far_from_the_origin(covariance_type):
    # The float64 numbers 1e8 + x are exactly 1e8 plus a float64 y (Sterbenz),
    # so statistics of y computed at unit scale are the exact reference.
    rng = np.random.RandomState(0)
    X = 1e8 + rng.normal(size=(1000, 3)) @ np.diag([1.0, 0.1, 3.0])
    X[0] = 1e8 + 1e4  # an outlier among the rows the estimator shifts by
    y = X - 1e8
    model = GaussianDistribution(covariance_type=covariance_type, reg_covar=0.0)
    reference = clone(model).fit(y)
    model.fit(X)

    assert_allclose(model.mean_ - 1e8, reference.mean_, rtol=1e-6)
    assert_allclose(model.covariance_, reference.covariance_, rtol=1e-10)
    assert_allclose(model.score_samples(X), reference.score_samples(y), rtol=1e-8)


def test_reg_covar_is_added_to_the_mle_covariance():
    X = singular_datasets()["constant column"]
    mle = np.cov(X, rowvar=False, bias=True)
    model = GaussianDistribution(reg_covar=0.5).fit(X)

    assert_allclose(model.covariance_, mle + 0.5 * np.eye(3), atol=1e-15)


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_raises_and_leaves_model_unchanged(bad):
    model = GaussianDistribution().fit(correlated_data())
    before = fitted_state(model)
    X = correlated_data(n_samples=20, random_state=1)
    X[3, 1] = bad

    for method in [model.fit, model.partial_fit]:
        with pytest.raises(ValueError, match=r"NaN|infinity"):
            method(X)
        assert fitted_state(model) == before
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        model.score_samples(X)


def test_wrong_number_of_features():
    model = GaussianDistribution().fit(correlated_data(n_features=3))
    before = fitted_state(model)
    X = correlated_data(n_features=4)

    with pytest.raises(ValueError, match="features"):
        model.score_samples(X)
    with pytest.raises(ValueError, match="features"):
        model.partial_fit(X)
    assert fitted_state(model) == before


@pytest.mark.parametrize(
    "params, match",
    [
        ({"reg_covar": -1e-3}, "reg_covar"),
        ({"covariance_type": "tied"}, "covariance_type"),
        ({"covariance_type": None}, "covariance_type"),
    ],
)
def test_invalid_parameters(params, match):
    model = GaussianDistribution().fit(correlated_data())
    before = fitted_state(model)
    model.set_params(**params)

    with pytest.raises(InvalidParameterError, match=match):
        model.fit(correlated_data())
    model.set_params(covariance_type="full", reg_covar=1e-6)
    assert fitted_state(model) == before


@pytest.mark.parametrize(
    "weights, match",
    [
        (np.zeros(200), r"non-zero|positive sum"),
        (np.r_[-1.0, np.ones(199)], "(?i)negative"),
        (np.ones(5), "inconsistent|shape"),
    ],
)
def test_bad_sample_weight(weights, match):
    model = GaussianDistribution().fit(correlated_data())
    before = fitted_state(model)

    with pytest.raises(ValueError, match=match):
        model.fit(correlated_data(), sample_weight=weights)
    assert fitted_state(model) == before


def test_partial_fit_cannot_switch_between_full_and_diagonal():
    X = correlated_data()
    model = GaussianDistribution().partial_fit(X)
    before = fitted_state(model)
    model.set_params(covariance_type="diag")

    with pytest.raises(ValueError, match="call fit to start over"):
        model.partial_fit(X)
    model.set_params(covariance_type="full")
    assert fitted_state(model) == before


def test_kl_divergence_needs_a_comparable_model():
    model = GaussianDistribution().fit(correlated_data(n_features=3))
    with pytest.raises(TypeError, match="GaussianDistribution"):
        model.kl_divergence(EmpiricalCovariance().fit(correlated_data()))
    other = GaussianDistribution().fit(correlated_data(n_features=2))
    with pytest.raises(ValueError, match="features"):
        model.kl_divergence(other)


def test_scoring_uses_the_fitted_covariance_type():
    # Changing the parameter after fit must not reinterpret covariance_.
    X = correlated_data()
    model = GaussianDistribution(covariance_type="diag").fit(X)
    expected = model.score_samples(X)
    model.set_params(covariance_type="full")

    assert_array_equal(model.score_samples(X), expected)


# -- scikit-learn integration ---------------------------------------------------------


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_pickle_and_clone(covariance_type):
    X = correlated_data()
    model = GaussianDistribution(covariance_type=covariance_type, reg_covar=1e-3)
    model.fit(X)
    restored = pickle.loads(pickle.dumps(model))

    assert_array_equal(restored.score_samples(X), model.score_samples(X))
    fresh = clone(model)
    assert fresh.get_params() == model.get_params()
    assert not hasattr(fresh, "mean_")


def test_dataframe_input():
    pd = pytest.importorskip("pandas")
    X = correlated_data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = GaussianDistribution().fit(frame)

    assert_array_equal(model.feature_names_in_, ["a", "b", "c"])
    assert model.n_features_in_ == 3
    assert_allclose(
        model.score_samples(frame), GaussianDistribution().fit(X).score_samples(X)
    )
    with pytest.raises(ValueError, match="feature names"):
        model.score_samples(frame[["c", "b", "a"]])


def test_float32_input_is_computed_in_float64():
    X = correlated_data().astype(np.float32)
    model = GaussianDistribution().fit(X)
    reference = GaussianDistribution().fit(X.astype(np.float64))

    assert model.mean_.dtype == np.float64
    assert model.covariance_.dtype == np.float64
    assert_allclose(model.mean_, reference.mean_, rtol=1e-13)
    assert_allclose(model.covariance_, reference.covariance_, rtol=1e-12)
    assert model.score_samples(X).dtype == np.float64


def test_grid_search_selects_full_covariance_for_correlated_data():
    X = correlated_data(n_samples=300)
    search = GridSearchCV(
        GaussianDistribution(), {"covariance_type": COVARIANCE_TYPES}, cv=3
    ).fit(X)

    assert search.best_params_ == {"covariance_type": "full"}
    assert search.best_score_ == pytest.approx(
        np.mean([search.cv_results_[f"split{i}_test_score"][0] for i in range(3)])
    )


def test_pipeline_with_scaler():
    X = correlated_data()
    pipeline = make_pipeline(StandardScaler(), GaussianDistribution()).fit(X)
    scaled = StandardScaler().fit_transform(X)

    assert pipeline.score(X) == pytest.approx(
        GaussianDistribution().fit(scaled).score(scaled)
    )


# -- properties ------------------------------------------------------------------------


@st.composite
def weighted_datasets(draw, max_features=4, max_samples=12):
    n_features = draw(st.integers(1, max_features))
    n_samples = draw(st.integers(1, max_samples))
    X = draw(
        arrays(
            np.float64,
            (n_samples, n_features),
            elements=st.floats(-100, 100, allow_subnormal=False),
        )
    )
    counts = draw(arrays(np.int64, n_samples, elements=st.integers(0, 3)))
    if counts.sum() == 0:
        counts[0] = 1
    return X, counts


def assert_same_model(model, reference, scale):
    """Same fitted parameters, up to rounding relative to the data's scale."""
    assert_allclose(model.mean_, reference.mean_, rtol=1e-12, atol=1e-12 * scale)
    assert_allclose(
        model.covariance_, reference.covariance_, rtol=1e-9, atol=1e-12 * scale**2
    )


@PROPERTY_SETTINGS
@given(data=weighted_datasets(), covariance_type=st.sampled_from(COVARIANCE_TYPES))
def test_integer_weights_equal_repetition(data, covariance_type):
    X, counts = data
    model = GaussianDistribution(covariance_type=covariance_type)
    weighted = clone(model).fit(X, sample_weight=counts)
    repeated = clone(model).fit(np.repeat(X, counts, axis=0))

    assert_same_model(weighted, repeated, scale=100)


@PROPERTY_SETTINGS
@given(
    data=weighted_datasets(),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
    cuts=st.lists(st.integers(1, 11), max_size=4),
)
def test_batches_equal_one_fit(data, covariance_type, cuts):
    X, counts = data
    weights = counts + 0.5  # non-integer weights, including 0.5 for count 0
    bounds = [0, *sorted(c for c in set(cuts) if c < len(X)), len(X)]
    model = GaussianDistribution(covariance_type=covariance_type)
    batched = clone(model)
    for start, stop in itertools.pairwise(bounds):
        batched.partial_fit(X[start:stop], sample_weight=weights[start:stop])
    whole = clone(model).fit(X, sample_weight=weights)

    assert_same_model(batched, whole, scale=100)


@PROPERTY_SETTINGS
@given(
    data=weighted_datasets(),
    covariance_type=st.sampled_from(COVARIANCE_TYPES),
    seed=st.integers(0, 2**32 - 1),
)
def test_permutation_invariance(data, covariance_type, seed):
    X, counts = data
    order = np.random.RandomState(seed).permutation(len(X))
    model = GaussianDistribution(covariance_type=covariance_type)
    fitted = clone(model).fit(X, sample_weight=counts)
    permuted = clone(model).fit(X[order], sample_weight=counts[order])

    assert_same_model(permuted, fitted, scale=100)


@PROPERTY_SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    shift=arrays(np.float64, 3, elements=st.floats(-1, 1)),
    stretch=arrays(np.float64, (3, 3), elements=st.floats(-0.5, 0.5)),
)
def test_mle_beats_every_perturbation(seed, shift, stretch):
    # The MLE maximizes the training log-likelihood (minimizes the
    # cross-entropy), so no other normal does better on the training data.
    X = correlated_data(n_samples=30, random_state=seed % 1000)
    model = GaussianDistribution(reg_covar=0.0).fit(X)
    transform = np.eye(3) + stretch
    perturbed_covariance = transform @ model.covariance_ @ transform.T
    assume(np.linalg.eigvalsh(perturbed_covariance).min() > 1e-12)
    perturbed = multivariate_normal(model.mean_ + shift, perturbed_covariance)

    assert model.score(X) >= perturbed.logpdf(X).mean() - 1e-12


@PROPERTY_SETTINGS
@given(
    seeds=st.tuples(st.integers(0, 999), st.integers(0, 999)),
    types=st.tuples(
        st.sampled_from(COVARIANCE_TYPES), st.sampled_from(COVARIANCE_TYPES)
    ),
    n_samples=st.integers(1, 20),
)
def test_kl_divergence_gibbs_inequality(seeds, types, n_samples):
    p = GaussianDistribution(covariance_type=types[0]).fit(
        correlated_data(n_samples, random_state=seeds[0])
    )
    q = GaussianDistribution(covariance_type=types[1]).fit(
        correlated_data(n_samples, random_state=seeds[1])
    )

    assert p.kl_divergence(q) >= 0
    assert p.kl_divergence(p) == 0.0
    assert q.kl_divergence(q) == 0.0


# -- regressions: weighted fits far from the weighted centre -----------------


def test_far_rows_of_zero_weight_do_not_move_the_weighted_fit():
    # The shift used to be the unweighted median, which sat on the far rows;
    # squares - W r r^T then cancelled and the covariance was [[0.65, ...]].
    Z = np.random.default_rng(0).normal(size=(20, 2))
    X = np.r_[Z, np.full((30, 2), 1e7)]
    weights = np.r_[np.ones(20), np.zeros(30)]
    weighted = GaussianDistribution(reg_covar=0.0).fit(X, sample_weight=weights)
    alone = GaussianDistribution(reg_covar=0.0).fit(Z)
    assert_allclose(weighted.covariance_, alone.covariance_, rtol=1e-12)
    assert_allclose(weighted.mean_, alone.mean_, rtol=1e-12, atol=1e-15)


def test_far_zero_weight_rows_do_not_make_the_covariance_singular():
    X = [[1e8]] * 3 + [[0.0], [1e-3]]
    model = GaussianDistribution(reg_covar=0.0).fit(X, sample_weight=[0, 0, 0, 1, 1])
    assert_allclose(model.mean_, [5e-4])
    assert_allclose(model.covariance_, [[2.5e-7]], rtol=1e-12)


def test_zero_weight_row_equals_its_absence():
    # Found by hypothesis: X=[[24], [1]], w=[0, 3] against three rows of 1.
    weighted = GaussianDistribution().fit([[24.0], [1.0]], sample_weight=[0, 3])
    repeated = GaussianDistribution().fit([[1.0]] * 3)
    assert_allclose(weighted.mean_, repeated.mean_)
    assert_allclose(weighted.covariance_, repeated.covariance_)


@pytest.mark.parametrize("weight", [1e308, 1e-320])
def test_extreme_equal_weights_give_the_unit_weight_model(weight):
    X = np.random.default_rng(1).normal(size=(30, 3))
    reference = GaussianDistribution().fit(X)
    model = GaussianDistribution().fit(X, sample_weight=np.full(30, weight))
    assert_allclose(model.covariance_, reference.covariance_, rtol=1e-12)
    batches = GaussianDistribution()
    for rows in np.array_split(np.arange(30), 3):
        batches.partial_fit(X[rows], sample_weight=np.full(rows.size, weight))
    assert_allclose(batches.covariance_, reference.covariance_, rtol=1e-12)


def test_overflowing_second_moments_are_a_clear_error():
    X = np.random.default_rng(2).normal(size=(10, 2)) * 1e200
    with pytest.raises(ValueError, match="overflow float64"):
        GaussianDistribution().fit(X)


# -- the uncentred fast path and its precision guard ------------------------------


@pytest.mark.parametrize("diagonal", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_uncentred_sums_match_the_shifted_ones_on_standardised_data(diagonal, weighted):
    from skxent.distributions import _gaussian_math

    rng = np.random.default_rng(0)
    X = rng.standard_normal((5000, 6)) @ rng.standard_normal((6, 6))
    weights = rng.uniform(0.1, 1.0, size=5000) if weighted else None
    fast = _gaussian_math.statistics(X, weights, diagonal=diagonal)
    shifted = _gaussian_math.shifted_statistics(X, weights, diagonal=diagonal)
    assert_allclose(fast.mean, shifted.mean, rtol=1e-13, atol=1e-15)
    assert_allclose(fast.scatter, shifted.scatter, rtol=1e-13, atol=1e-10)


@pytest.mark.parametrize("covariance_type", ["full", "diag"])
@pytest.mark.parametrize("offset", [10.0, 1e4, 1e8])
def test_mean_far_from_zero_against_its_spread_keeps_the_covariance(
    covariance_type, offset
):
    # |mean| = offset x std: E[x^2] - E[x]^2 would cancel log10(offset^2)
    # digits; the guard must send these to the shifted path. numpy's
    # two-pass covariance (centred on the mean) is the reference.
    rng = np.random.default_rng(1)
    X = offset + rng.standard_normal((2000, 3)) @ np.diag([1.0, 0.5, 2.0])
    for weights in (None, rng.uniform(0.5, 1.5, size=2000)):
        model = GaussianDistribution(covariance_type=covariance_type, reg_covar=0.0)
        model.fit(X, sample_weight=weights)
        reference = np.cov(X, rowvar=False, bias=True, aweights=weights)
        if covariance_type == "diag":
            reference = np.diag(reference)
        assert_allclose(model.covariance_, reference, rtol=1e-9)
