"""DistributionSelector: a family chosen by k-fold held-out cross-entropy (SPEC §9).

The reference for every held-out score is scikit-learn's ``cross_val_score``
of the candidate on the same folds; on large samples of a family, the
selector must choose that family. Families are read from the registry, so
the tests that need a family not registered yet are skipped, not wrong.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from joblib import parallel_backend
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import KFold, cross_val_score
from sklearn.neighbors import KernelDensity

from skxent import (
    BernoulliDistribution,
    CategoricalDistribution,
    DistributionSelector,
    GaussianDistribution,
    ProductDistribution,
)
from skxent.distributions._registry import family_by_name, family_names
from skxent.metrics import neg_cross_entropy_scorer

pytestmark = pytest.mark.usefixtures("no_warnings")

FOLDS = KFold(5, shuffle=True, random_state=0)


def _registered(*names):
    return [name for name in names if name in family_names()]


def _require(*names):
    missing = [name for name in names if name not in family_names()]
    if missing:
        pytest.skip(f"families not registered yet: {missing}")


def _results(selector, name):
    """The cv_results_ entries of one candidate, as a dict."""
    i = list(selector.cv_results_["candidate"]).index(name)
    return {key: value[i] for key, value in selector.cv_results_.items()}


# -- the held-out scores are cross_val_score's -----------------------------------------


def test_cv_results_match_cross_val_score_per_candidate(rng):
    X = rng.gamma(2.0, 1.5, size=(150, 2))
    candidates = {
        "full": GaussianDistribution(),
        "diag": GaussianDistribution(covariance_type="diag"),
        "spherical": GaussianDistribution(covariance_type="spherical"),
    }
    selector = DistributionSelector(candidates, cv=FOLDS).fit(X)
    results = selector.cv_results_
    for i, (name, candidate) in enumerate(candidates.items()):
        scores = cross_val_score(candidate, X, cv=FOLDS)
        assert results["candidate"][i] == name
        assert_allclose(
            [results[f"split{k}_test_score"][i] for k in range(5)], scores, rtol=1e-12
        )
        assert_allclose(results["mean_test_score"][i], scores.mean(), rtol=1e-12)
        assert_allclose(results["std_test_score"][i], scores.std(), rtol=1e-10)
        assert results["params"][i] == candidate.get_params()
        assert results["status"][i] == "ranked"
        assert results["mean_fit_time"][i] > 0
    best = int(np.argmax(results["mean_test_score"]))
    assert selector.best_index_ == best
    assert selector.best_candidate_ == list(candidates)[best]
    assert results["rank_test_score"][best] == 1
    assert sorted(results["rank_test_score"]) == [1, 2, 3]
    assert selector.best_score_ == results["mean_test_score"][best]


def test_default_candidates_match_cross_val_score_of_each_family(rng):
    # Positive reals: every family for positive data applies, Beta does not.
    X = rng.gamma(9.0, size=(120, 1))
    selector = DistributionSelector(cv=FOLDS).fit(X)
    assert list(selector.cv_results_["candidate"]) == family_names()
    for name in family_names():
        entry = _results(selector, name)
        if entry["status"] != "ranked":
            assert entry["mean_test_score"] == -np.inf
            assert entry["reason"]
            continue
        scores = cross_val_score(family_by_name(name)(), X, cv=FOLDS)
        assert_allclose(entry["mean_test_score"], scores.mean(), rtol=1e-10)


def test_weighted_scores_match_a_weighted_loop(rng):
    X = rng.normal(size=(90, 2))
    weights = rng.integers(0, 4, size=90).astype(float)
    selector = DistributionSelector(
        [GaussianDistribution(), GaussianDistribution(covariance_type="diag")],
        cv=FOLDS,
    ).fit(X, sample_weight=weights)
    assert list(selector.cv_results_["candidate"]) == ["gaussian", "gaussian_2"]
    for i, candidate in enumerate(selector.cv_results_["params"]):
        for k, (train, test) in enumerate(FOLDS.split(X)):
            model = GaussianDistribution(**candidate).fit(
                X[train], sample_weight=weights[train]
            )
            expected = model.score(X[test], sample_weight=weights[test])
            assert_allclose(
                selector.cv_results_[f"split{k}_test_score"][i], expected, rtol=1e-12
            )
    refit = GaussianDistribution(**selector.cv_results_["params"][selector.best_index_])
    refit.fit(X, sample_weight=weights)
    assert_allclose(selector.score_samples(X), refit.score_samples(X))


def test_sparse_counts_reach_the_families_that_take_them(rng):
    X = sp.random(100, 4, density=0.3, format="csr", random_state=0)
    X.data[:] = 1.0
    selector = DistributionSelector(cv=FOLDS).fit(X)
    assert selector.kind_ == "discrete"
    assert selector.best_candidate_ == "bernoulli"
    # Categorical models need dense columns: a clear reason, not a crash.
    assert "dense data is required" in _results(selector, "categorical")["reason"]
    assert_allclose(
        selector.score_samples(X),
        BernoulliDistribution(binarize=None).fit(X).score_samples(X),
    )


def test_weights_on_sparse_counts_equal_repeated_rows(rng):
    # What check_sample_weight_equivalence_on_sparse_data covers, on sparse
    # data that a registered family models (scikit-learn < 1.7 feeds sparse
    # uniform floats, which none does).
    X = sp.random(60, 4, density=0.4, format="csr", random_state=1)
    X.data[:] = 1.0
    weights = rng.integers(1, 4, size=60)
    repeated = sp.csr_matrix(X.toarray().repeat(weights, axis=0))
    candidates = ["bernoulli", "poisson"]
    weighted = DistributionSelector(candidates, cv=2, refit=True).fit(
        X, sample_weight=weights
    )
    plain = DistributionSelector(candidates, cv=2, refit=True).fit(repeated)
    assert weighted.best_candidate_ == plain.best_candidate_
    assert_allclose(weighted.score_samples(X), plain.score_samples(X), rtol=1e-12)


def test_scoring_is_any_scorer(rng):
    X = rng.normal(size=(80, 1))
    default = DistributionSelector([GaussianDistribution()], cv=FOLDS).fit(X)
    scored = DistributionSelector(
        [GaussianDistribution()], cv=FOLDS, scoring=neg_cross_entropy_scorer
    ).fit(X)
    assert_allclose(scored.best_score_, default.best_score_, rtol=1e-12)


def test_parallel_candidates_give_the_same_results(rng):
    X = rng.normal(size=(60, 2))
    candidates = ["gaussian", GaussianDistribution(covariance_type="spherical")]
    serial = DistributionSelector(candidates, cv=FOLDS).fit(X)
    # Threads: the same code path as processes, without their start-up time.
    with parallel_backend("threading"):
        parallel = DistributionSelector(candidates, cv=FOLDS, n_jobs=2).fit(X)
    for key in ("candidate", "mean_test_score", "rank_test_score", "status"):
        assert_array_equal(parallel.cv_results_[key], serial.cv_results_[key])


# -- choosing the family the data come from --------------------------------------------

#: (family, a sampler of n rows from it, the other candidates). The others
#: are not families that contain the true one (a gamma of shape one is an
#: exponential): a nested family wins or loses by the noise of one extra
#: parameter.
TRUE_FAMILIES = [
    ("gaussian", lambda rng, n: rng.normal(3.0, 2.0, (n, 1)), ["exponential"]),
    ("gamma", lambda rng, n: rng.gamma(4.0, 1.0, (n, 1)), ["gaussian", "lognormal"]),
    (
        "lognormal",
        lambda rng, n: rng.lognormal(0.0, 0.6, (n, 1)),
        ["gaussian", "gamma"],
    ),
    (
        "exponential",
        lambda rng, n: rng.exponential(2.0, (n, 1)),
        ["gaussian", "lognormal"],
    ),
    ("beta", lambda rng, n: rng.beta(2.0, 5.0, (n, 1)), ["gaussian", "lognormal"]),
    (
        "negative_binomial",
        lambda rng, n: rng.negative_binomial(2, 0.3, (n, 1)),
        ["poisson"],
    ),
    ("poisson", lambda rng, n: rng.poisson(4.0, (n, 1)), ["categorical"]),
]


@pytest.mark.parametrize(
    ("family", "sampler", "others"), TRUE_FAMILIES, ids=[t[0] for t in TRUE_FAMILIES]
)
def test_selector_picks_the_family_of_the_data(family, sampler, others):
    _require(family)
    candidates = [family, *_registered(*others)]
    if len(candidates) == 1:
        pytest.skip(f"no registered rival for {family}")
    X = sampler(np.random.default_rng(1), 2000)
    selector = DistributionSelector(candidates[::-1], cv=FOLDS).fit(X)
    assert selector.best_candidate_ == family, selector.cv_results_


def test_heavy_tails_are_not_called_normal(rng):
    # Pareto-like (Lomax) data: the normal distribution's histogram error can
    # be small where the data are dense, but its held-out cross-entropy is
    # far worse than that of a family with a long right tail.
    _require("exponential")
    X = rng.pareto(3.0, size=(1000, 1))
    selector = DistributionSelector(
        _registered("gaussian", "exponential", "gamma", "lognormal"), cv=FOLDS
    ).fit(X)
    assert selector.best_candidate_ != "gaussian"
    gaussian = _results(selector, "gaussian")["mean_test_score"]
    assert selector.best_score_ > gaussian + 0.5


# -- densities and masses are never ranked together ------------------------------------


def test_integer_data_rank_the_discrete_families(rng):
    X = rng.integers(0, 2, size=(80, 2))
    selector = DistributionSelector(cv=FOLDS).fit(X)
    assert selector.kind_ == "discrete"
    assert "integer" in selector.kind_reason_
    for name in family_names("continuous"):
        entry = _results(selector, name)
        assert entry["status"] == "skipped"
        assert "continuous model" in entry["reason"]
        assert entry["mean_test_score"] == -np.inf
    # Bernoulli and two-category categorical models of 0/1 data are the same
    # model: they tie, and the first listed wins.
    bernoulli = _results(selector, "bernoulli")
    categorical = _results(selector, "categorical")
    assert bernoulli["rank_test_score"] == categorical["rank_test_score"] == 1
    assert selector.best_candidate_ == "bernoulli"
    assert isinstance(selector.best_estimator_, BernoulliDistribution)


def test_real_data_rank_the_continuous_families(rng):
    X = rng.normal(size=(60, 1))
    selector = DistributionSelector(cv=FOLDS).fit(X)
    assert selector.kind_ == "continuous"
    assert "non-integer" in selector.kind_reason_
    assert {
        name
        for name in family_names()
        if _results(selector, name)["status"] == "skipped"
        and "discrete model" in _results(selector, name)["reason"]
    } == set(family_names("discrete"))


def test_labels_rank_only_label_families(rng):
    X = pd.DataFrame({"colour": rng.choice(["red", "blue"], size=50)})
    selector = DistributionSelector(cv=FOLDS).fit(X)
    assert selector.kind_ == "discrete"
    assert "'colour'" in selector.kind_reason_
    assert selector.best_candidate_ == "categorical"
    assert isinstance(selector.best_estimator_, CategoricalDistribution)
    statuses = dict(
        zip(
            selector.cv_results_["candidate"],
            selector.cv_results_["status"],
            strict=True,
        )
    )
    assert {name for name, status in statuses.items() if status == "ranked"} == {
        "categorical"
    }
    assert "labels" in _results(selector, "bernoulli")["reason"]


def test_kind_can_be_asked_for(rng):
    X = rng.integers(0, 50, size=(100, 1)).astype(float)
    selector = DistributionSelector(["gaussian", "categorical"], kind="continuous")
    selector.fit(X)
    assert selector.kind_ == "continuous"
    assert selector.best_candidate_ == "gaussian"
    assert _results(selector, "categorical")["status"] == "skipped"


def test_mixing_kinds_explicitly_is_an_error(rng):
    X = rng.integers(0, 3, size=(40, 1))
    selector = DistributionSelector([GaussianDistribution(), CategoricalDistribution()])
    with pytest.raises(ValueError, match=r"mix kinds.*kind='continuous'"):
        selector.fit(X)


def test_candidates_of_one_kind_set_the_kind(rng):
    # The user asked for a discrete model of real data: a categorical model
    # of the values seen, which gives every new value probability zero.
    X = rng.normal(size=(40, 1))
    selector = DistributionSelector(["categorical"], cv=FOLDS).fit(X)
    assert selector.kind_ == "discrete"
    assert selector.kind_reason_ == "every candidate is discrete"
    assert selector.best_score_ == -np.inf


def test_candidates_of_unknown_kind_are_ranked_with_a_warning(rng):
    X = rng.normal(size=(60, 1))
    selector = DistributionSelector(
        {"kde": KernelDensity(bandwidth=0.5), "gaussian": GaussianDistribution()},
        cv=FOLDS,
    )
    with pytest.warns(UserWarning, match="'kde'.*continuous"):
        selector.fit(X)
    entry = _results(selector, "kde")
    assert entry["kind"] == "unknown"
    # KernelDensity's score is a sum, not a mean: exactly why the selector
    # cannot vouch for it.
    assert_allclose(
        entry["mean_test_score"],
        cross_val_score(KernelDensity(bandwidth=0.5), X, cv=FOLDS).mean(),
    )


def test_conditional_families_are_not_default_candidates(rng):
    _require("multinomial")
    # With one column, a multinomial given the row total scores 0 (every row
    # is certain given itself): it must not win by that.
    X = rng.poisson(3.0, size=(60, 1))
    selector = DistributionSelector(cv=FOLDS).fit(X)
    entry = _results(selector, "multinomial")
    assert entry["status"] == "skipped"
    assert "given its total" in entry["reason"]
    assert selector.best_candidate_ != "multinomial"
    explicit = DistributionSelector(["multinomial"], cv=FOLDS).fit(X)
    assert explicit.best_score_ == 0.0


# -- candidates that do not apply ------------------------------------------------------


def test_a_candidate_outside_its_support_scores_minus_inf_with_the_reason(rng):
    _require("exponential")
    X = rng.normal(size=(50, 1))
    selector = DistributionSelector(["gaussian", "exponential"], cv=FOLDS).fit(X)
    entry = _results(selector, "exponential")
    assert entry["status"] == "failed"
    assert entry["mean_test_score"] == -np.inf
    assert np.isnan(entry["std_test_score"])
    assert np.isnan(entry["mean_fit_time"])
    assert "x >= 0" in entry["reason"]
    assert entry["rank_test_score"] == 2
    assert selector.best_candidate_ == "gaussian"


def test_unseen_held_out_labels_score_minus_inf_not_an_error(rng):
    X = np.array([[0]] * 20 + [[1]] * 20 + [[2]])
    selector = DistributionSelector(["categorical"], cv=FOLDS).fit(X)
    entry = _results(selector, "categorical")
    assert entry["status"] == "ranked"
    assert entry["mean_test_score"] == -np.inf
    # Given as an instance, the candidate keeps its own policy: an error.
    selector = DistributionSelector([CategoricalDistribution()], cv=FOLDS)
    with pytest.raises(ValueError, match="unknown category"):
        selector.fit(X)


def test_no_applicable_candidate_is_an_error_listing_reasons(rng):
    _require("exponential")
    X = -rng.exponential(size=(30, 1))
    selector = DistributionSelector(["exponential"], cv=FOLDS)
    with pytest.raises(ValueError, match=r"No candidate applies.*exponential:.*x >= 0"):
        selector.fit(X)


def test_failed_fit_leaves_the_selector_as_it_was(rng):
    X = rng.normal(size=(50, 1))
    selector = DistributionSelector(["gaussian"], cv=FOLDS).fit(X)
    before = pickle.dumps(vars(selector))
    with pytest.raises(ValueError, match="No candidate applies"):
        selector.fit(np.full((50, 1), np.nan))
    assert pickle.dumps(vars(selector)) == before


@pytest.mark.parametrize(
    ("candidates", "error", "message"),
    [
        ([], ValueError, "must not be empty"),
        (["weibull"], ValueError, "unknown distribution family 'weibull'"),
        ([GaussianDistribution], TypeError, "instance"),
        ([KFold()], TypeError, "density estimator"),
    ],
)
def test_bad_candidates_are_clear_errors(rng, candidates, error, message):
    with pytest.raises(error, match=message):
        DistributionSelector(candidates).fit(rng.normal(size=(20, 1)))


# -- the chosen model answers for the selector -----------------------------------------


def test_delegates_to_the_best_estimator(rng):
    X = rng.normal(size=(100, 2))
    Y = rng.normal(size=(100, 2)) + 1.0
    selector = DistributionSelector(["gaussian"], cv=FOLDS).fit(X)
    other = DistributionSelector(["gaussian"], cv=FOLDS).fit(Y)
    best = selector.best_estimator_
    assert_allclose(
        best.score_samples(X), GaussianDistribution().fit(X).score_samples(X)
    )
    assert_allclose(selector.score_samples(Y), best.score_samples(Y))
    assert_allclose(selector.predict_proba(Y), best.predict_proba(Y))
    assert selector.score(Y) == best.score(Y)
    assert selector.entropy() == best.entropy()
    assert selector.aic(Y) == pytest.approx(best.aic(Y), rel=1e-12)
    assert selector.bic(Y) == pytest.approx(best.bic(Y), rel=1e-12)
    assert selector.kl_divergence(other) == best.kl_divergence(other.best_estimator_)
    assert selector.kl_divergence(other.best_estimator_) > 0
    assert_allclose(selector.sample(5, random_state=0), best.sample(5, random_state=0))
    assert selector.n_features_in_ == 2
    assert selector.refit_time_ >= 0
    assert selector.n_splits_ == 5


def test_refit_false_keeps_only_the_results(rng):
    X = rng.normal(size=(40, 1))
    selector = DistributionSelector(["gaussian"], refit=False).fit(X)
    assert selector.best_candidate_ == "gaussian"
    assert not hasattr(selector, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        selector.score_samples(X)


def test_pickle_and_clone(rng):
    X = rng.normal(size=(40, 1))
    selector = DistributionSelector(["gaussian"]).fit(X)
    restored = pickle.loads(pickle.dumps(selector))
    assert_allclose(restored.score_samples(X), selector.score_samples(X))
    assert clone(selector).get_params() == selector.get_params()


def test_verbose_prints_one_line_per_candidate(rng, capsys):
    X = rng.normal(size=(40, 1))
    selector = DistributionSelector(
        ["gaussian", "categorical"], kind="continuous", verbose=1
    )
    selector.fit(X)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("[DistributionSelector] 1/2 gaussian: held-out")
    assert "nats" in lines[0]
    assert lines[1].startswith("[DistributionSelector] 2/2 categorical: skipped")


# -- per-column selection --------------------------------------------------------------


def test_per_column_selection_is_a_product_of_selectors(rng):
    n = 150
    X = pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], size=n),
            "smoker": rng.integers(0, 2, size=n),
            "height": rng.normal(170.0, 10.0, size=n),
        }
    )
    model = ProductDistribution(
        [(c, DistributionSelector(cv=FOLDS), [c]) for c in X.columns]
    ).fit(X)
    chosen = {
        name: part.best_candidate_ for name, part in model.named_distributions_.items()
    }
    assert chosen["colour"] == "categorical"
    assert chosen["smoker"] == "bernoulli"
    assert model.named_distributions_.height.kind_ == "continuous"

    # The product of the chosen families, fit column by column.
    expected = sum(
        clone(part.best_estimator_).fit(X[[name]]).score_samples(X[[name]])
        for name, part in model.named_distributions_.items()
    )
    assert_allclose(model.score_samples(X), expected)
    assert np.isfinite(model.entropy())
    draws = model.sample(10, random_state=0)
    assert list(draws.columns) == list(X.columns)
    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.score_samples(X), model.score_samples(X))
