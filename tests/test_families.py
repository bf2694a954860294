"""The family contract, stated once and run over every registered family.

Each family has a case in tests/family_cases/ (its data, its scipy reference,
its perturbations); the tests below are the properties every family of
skxent promises (SPEC §2, §7, §8). A family's own test module only adds what
is particular to it.
"""

import copy
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone

from skxent.distributions._base import MLEDistribution
from skxent.distributions._registry import FAMILIES, family_table_rst
from tests.family_cases import all_cases

CASES = all_cases()
NAMES = [cls._family.name for cls in FAMILIES]
N_TRAIN = 400
#: Monte-Carlo draws for entropy, KL and moments; the tests allow five
#: standard errors, so a correct family fails one by chance about once in
#: 3.5 million runs (and the seeds are fixed).
N_MONTE_CARLO = 40_000
N_STANDARD_ERRORS = 5.0


def _case(name):
    return CASES[name]


def _fit(case, X, **fit_params):
    return clone(case.estimator).fit(X, **fit_params)


def _exact_partial_fit(case):
    return isinstance(case.estimator, MLEDistribution) and case.extra.get(
        "exact_partial_fit", True
    )


def _assert_same_model(first, second, X, rtol=1e-10):
    assert_allclose(first.score_samples(X), second.score_samples(X), rtol=rtol)


@pytest.fixture(params=NAMES)
def name(request):
    return request.param


@pytest.fixture
def case(name):
    return _case(name)


def test_every_registered_family_has_a_case():
    assert sorted(CASES) == sorted(NAMES)


def test_registry_describes_each_family(name):
    cls = next(c for c in FAMILIES if c._family.name == name)
    info = cls._family
    assert info.kind in {"continuous", "discrete"}
    assert info.data in {"numeric", "labels"}
    assert isinstance(_case(name).estimator, cls)
    fitted = _fit(_case(name), _case(name).make_data(np.random.default_rng(0), 50))
    for attribute in info.parameters:
        assert hasattr(fitted, attribute), attribute


def test_integer_weights_equal_repeated_rows(case, rng):
    X = case.make_data(rng, 60)
    weights = rng.integers(0, 4, size=60)
    weights[0] = 1  # at least one row counts
    weighted = _fit(case, X, sample_weight=weights)
    repeated = _fit(case, np.repeat(X, weights, axis=0))
    _assert_same_model(weighted, repeated, X)


def test_weights_are_scale_free(case, rng):
    X = case.make_data(rng, 60)
    weights = rng.uniform(0.5, 2.0, size=60)
    reference = _fit(case, X, sample_weight=weights)
    for scale in (1e300, 1e-300):
        _assert_same_model(_fit(case, X, sample_weight=weights * scale), reference, X)


def test_batches_equal_one_fit(case, rng):
    if not _exact_partial_fit(case):
        pytest.skip("the family has no exact partial_fit")
    X = case.make_data(rng, 90)
    weights = rng.uniform(0.0, 3.0, size=90)
    whole = _fit(case, X, sample_weight=weights)
    batches = clone(case.estimator)
    for rows in np.array_split(np.arange(90), [7, 50]):
        batches.partial_fit(X[rows], sample_weight=weights[rows])
    _assert_same_model(batches, whole, X)


def test_row_order_does_not_matter(case, rng):
    X = case.make_data(rng, 80)
    permuted = X[rng.permutation(80)]
    _assert_same_model(_fit(case, permuted), _fit(case, X), X)


def test_mle_beats_perturbed_parameters(case, rng):
    X = case.make_data(rng, N_TRAIN)
    model = _fit(case, X)
    best = model.score(X)
    for perturbed in case.perturbations(model):
        assert perturbed.score(X) < best


def test_training_score_is_minus_entropy(case, rng):
    if not case.train_score_is_minus_entropy:
        pytest.skip("the identity does not hold for this family's estimator")
    X = case.make_data(rng, N_TRAIN)
    model = _fit(case, X)
    assert_allclose(model.score(X), -model.entropy(), rtol=1e-10)


def test_score_samples_match_scipy(case, rng):
    X = case.make_data(rng, N_TRAIN)
    model = _fit(case, X)
    assert_allclose(model.score_samples(X), case.scipy_logpdf(model, X), rtol=1e-9)


def test_score_is_weighted_mean_log_likelihood(case, rng):
    X = case.make_data(rng, 50)
    model = _fit(case, X)
    weights = rng.uniform(0, 2, size=50)
    expected = np.average(model.score_samples(X), weights=weights)
    assert_allclose(model.score(X, sample_weight=weights), expected, rtol=1e-12)


def test_predict_proba_is_exp_score_samples(case, rng):
    X = case.make_data(rng, 50)
    model = _fit(case, X)
    assert_allclose(model.predict_proba(X), np.exp(model.score_samples(X)))


def test_entropy_matches_scipy(case, rng):
    if case.scipy_entropy is None:
        pytest.skip("scipy has no entropy for this distribution")
    model = _fit(case, case.make_data(rng, N_TRAIN))
    if not hasattr(model, "entropy"):
        pytest.skip("the family has no exact entropy")
    assert_allclose(model.entropy(), case.scipy_entropy(model), rtol=1e-9)


def test_entropy_matches_monte_carlo(case, rng):
    model = _fit(case, case.make_data(rng, N_TRAIN))
    if not hasattr(model, "entropy"):
        pytest.skip("the family has no exact entropy")
    log_density = model.score_samples(model.sample(N_MONTE_CARLO, random_state=1))
    error = log_density.std() / np.sqrt(N_MONTE_CARLO)
    assert abs(model.entropy() + log_density.mean()) < N_STANDARD_ERRORS * error


def test_kl_divergence_matches_monte_carlo(case, rng):
    p = _fit(case, case.make_data(rng, N_TRAIN))
    q = _fit(case, case.make_data(np.random.default_rng(7), 60))
    if not hasattr(p, "kl_divergence"):
        pytest.skip("the family has no exact KL divergence")
    try:
        exact = p.kl_divergence(q)
    except NotImplementedError:
        pytest.skip("the family has no exact KL divergence")
    assert p.kl_divergence(p) == pytest.approx(0.0, abs=1e-12)
    assert exact >= 0
    draws = p.sample(N_MONTE_CARLO, random_state=2)
    ratio = p.score_samples(draws) - q.score_samples(draws)
    if not case.monte_carlo_kl or not np.all(np.isfinite(ratio)):
        pytest.skip("q misses part of p's support: D is +inf")
    error = ratio.std() / np.sqrt(N_MONTE_CARLO)
    assert abs(exact - ratio.mean()) < N_STANDARD_ERRORS * error + 1e-12


def test_kl_divergence_refuses_another_family(case, rng):
    model = _fit(case, case.make_data(rng, 50))
    if not hasattr(model, "kl_divergence"):
        pytest.skip("the family has no KL divergence")
    if not case.extra.get("kl_divergence", True):
        # SPEC §7: a family with no exact KL says so, whatever the argument.
        with pytest.raises(NotImplementedError):
            model.kl_divergence(model)
        return
    other = next(c for c in CASES.values() if type(c.estimator) is not type(model))
    other_model = _fit(other, other.make_data(rng, 50))
    with pytest.raises(TypeError, match="other must be a fitted"):
        model.kl_divergence(other_model)


def test_information_criteria(case, rng):
    X = case.make_data(rng, 120)
    model = _fit(case, X)
    log_likelihood = model.score_samples(X).sum()
    k = model._n_parameters()
    assert k >= 1
    assert_allclose(model.aic(X), -2 * log_likelihood + 2 * k)
    assert_allclose(model.bic(X), -2 * log_likelihood + k * np.log(120))


def test_sample_moments_match_the_model(case, rng):
    X = case.make_data(rng, 2000)
    model = _fit(case, X)
    draws = model.sample(N_MONTE_CARLO, random_state=3)
    assert draws.shape == (N_MONTE_CARLO, X.shape[1])
    moments = case.moments or (lambda data: np.asarray(data, float).mean(axis=0))
    expected, drawn = np.asarray(moments(X)), np.asarray(moments(draws))
    # Both are means over rows; the training data's sampling error dominates
    # (2000 rows against 40,000 draws), so five of its standard errors bound
    # the gap.
    tolerance = N_STANDARD_ERRORS * _row_moment_std(moments, X) / np.sqrt(2000)
    assert np.all(np.abs(drawn - expected) < tolerance)


def _row_moment_std(moments, X):
    """Standard deviation of the per-row contributions to ``moments``."""
    per_row = np.array([np.asarray(moments(X[i : i + 1]), float) for i in range(200)])
    # The floor keeps a moment that is constant over rows from demanding
    # an exact match of two different samples.
    return per_row.std(axis=0) + 1e-9


def test_pickle_round_trip(case, rng):
    X = case.make_data(rng, 50)
    model = _fit(case, X)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.score_samples(X), model.score_samples(X))


def test_dataframe_input_records_feature_names(case, rng):
    X = case.make_data(rng, 50)
    frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
    model = _fit(case, frame)
    assert list(model.feature_names_in_) == list(frame.columns)
    assert_allclose(model.score_samples(frame), _fit(case, X).score_samples(X))


def test_all_zero_weights_are_refused(case, rng):
    X = case.make_data(rng, 10)
    with pytest.raises(ValueError, match=r"(?i)sample.weight"):
        _fit(case, X, sample_weight=np.zeros(10))


def test_outside_support_refused_at_fit_and_minus_inf_at_score(case, rng):
    if case.outside_support is None:
        pytest.skip("the support is the whole input space")
    X = case.make_data(rng, 50)
    model = _fit(case, X)
    bad = np.asarray([case.outside_support], dtype=X.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.score_samples(bad)[0] == -np.inf
    with pytest.raises(ValueError):
        _fit(case, np.vstack([X, bad]))


def test_failed_fit_leaves_the_model_unchanged(case, rng):
    X = case.make_data(rng, 50)
    model = _fit(case, X)
    before = copy.deepcopy(vars(model))
    bad_weights = np.full(50, -1.0)
    with pytest.raises(ValueError):
        model.fit(X, sample_weight=bad_weights)
    if _exact_partial_fit(case):
        with pytest.raises(ValueError):
            model.partial_fit(X, sample_weight=bad_weights)
    if case.outside_support is not None:
        bad = np.vstack([X, np.asarray([case.outside_support], dtype=X.dtype)])
        with pytest.raises(ValueError):
            model.fit(bad)
    assert vars(model).keys() == before.keys()
    _assert_same_model(model, _fit(case, X), X, rtol=0)


def test_documentation_table_lists_every_family():
    table = family_table_rst()
    for cls in FAMILIES:
        assert f":class:`~skxent.{cls.__name__}`" in table
        assert cls._family.support in table
    assert table.count("   * - ") == len(FAMILIES) + 1


def test_entropy_and_divergence_in_another_base(case, rng):
    # As for skxent.entropy: base=b divides the nats by log(b).
    p = _fit(case, case.make_data(rng, N_TRAIN))
    assert_allclose(p.entropy(base=2), p.entropy() / np.log(2), rtol=1e-14)
    assert_allclose(p.entropy(base=10), p.entropy() / np.log(10), rtol=1e-14)
    for bad in (1, 0, -2.0, np.inf, "two"):
        with pytest.raises(ValueError, match="base must be a number > 0"):
            p.entropy(base=bad)
    if not case.extra.get("kl_divergence", True):
        return
    q = _fit(case, case.make_data(np.random.default_rng(7), 60))
    assert_allclose(
        p.kl_divergence(q, base=2), p.kl_divergence(q) / np.log(2), rtol=1e-14
    )
