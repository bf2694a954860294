"""skxent inside the scikit-learn ecosystem, end to end.

Every estimator's ``score`` is the negative cross-entropy in nats, so
scikit-learn's tools (Pipeline, GridSearchCV, RandomizedSearchCV,
cross_val_score, cross_validate, validation_curve, metadata routing, pandas
input, clone, pickle, the HTML repr) should select and evaluate models by
held-out cross-entropy with no extra argument. Each test checks that against
a reference computed without skxent's scoring code: a maximum likelihood fit
by hand with numpy (frequencies, weighted mean and covariance) evaluated with
scipy.stats, or sklearn.metrics.log_loss on a classifier's predict_proba.
"""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import VotingClassifier
from sklearn.exceptions import (
    ConvergenceWarning,
    NotFittedError,
    UnsetMetadataPassedError,
)
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_val_predict,
    cross_val_score,
    cross_validate,
    validation_curve,
)
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, StandardScaler
from sklearn.utils import estimator_html_repr
from sklearn.utils.fixes import parse_version
from sklearn.utils.validation import check_is_fitted

from skxent import (
    BernoulliDistribution,
    CategoricalDistribution,
    CrossEntropyClassifier,
    GaussianDistribution,
)
from skxent.metrics import make_cross_entropy_scorer, neg_cross_entropy_scorer

SKLEARN_1_7 = parse_version(sklearn.__version__).release >= (1, 7)

# scikit-learn 1.6 neither routes a score request through a Pipeline used as
# GridSearchCV's estimator (fixed in 1.7) nor shows the table of parameters,
# with the user-set ones marked, in the HTML repr (added in 1.7).
requires_sklearn_1_7 = pytest.mark.skipif(
    not SKLEARN_1_7, reason="needs scikit-learn >= 1.7 (see SKLEARN_1_7)"
)

# -- data -----------------------------------------------------------------------


def gaussian_data(n_samples=90, seed=0):
    """Three strongly correlated features, so the covariance type matters."""
    covariance = np.array([[2.0, 1.5, 0.3], [1.5, 2.0, 0.2], [0.3, 0.2, 0.5]])
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal([1.0, -2.0, 0.5], covariance, size=n_samples)


def categorical_column(seed=0):
    """60 draws of 5 categories, each at least 5 times (one per stratified fold)."""
    values = np.repeat([0, 1, 2, 3, 4], [26, 12, 10, 7, 5])
    return np.random.default_rng(seed).permutation(values)


def classification_data():
    X, y = make_classification(
        n_samples=90,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    return X, y


def integer_weights(n_samples, seed=1):
    return np.random.default_rng(seed).integers(0, 4, size=n_samples)


def binary_data():
    rng = np.random.default_rng(2)
    return (rng.uniform(size=(50, 4)) < [0.1, 0.4, 0.6, 0.9]).astype(float)


# -- references by hand -----------------------------------------------------------


def gaussian_logpdf_by_hand(
    X_train, X_test, covariance_type="full", reg_covar=1e-6, sample_weight=None
):
    """log p(x) of X_test under the normal fit to X_train by maximum likelihood.

    Mean and covariance are the weighted sample moments (divided by the weight
    sum, not n - 1); "diag" keeps the diagonal and "spherical" its mean.
    """
    weights = np.ones(len(X_train)) if sample_weight is None else sample_weight
    mean = np.average(X_train, axis=0, weights=weights)
    centred = X_train - mean
    covariance = (weights[:, None] * centred).T @ centred / weights.sum()
    if covariance_type == "diag":
        covariance = np.diag(np.diag(covariance))
    elif covariance_type == "spherical":
        covariance = np.mean(np.diag(covariance)) * np.eye(len(mean))
    covariance = covariance + reg_covar * np.eye(len(mean))
    return scipy.stats.multivariate_normal(mean, covariance).logpdf(X_test)


def categorical_log_proba_by_hand(train_column, test_column, alpha=0.0):
    """log pi of each test value: (count + alpha) / (n + K alpha) from training."""
    categories, counts = np.unique(train_column, return_counts=True)
    probabilities = (counts + alpha) / (counts.sum() + len(categories) * alpha)
    lookup = dict(zip(categories.tolist(), np.log(probabilities), strict=True))
    return np.array([lookup[value] for value in np.asarray(test_column).tolist()])


def standardize_by_hand(X_train, X, sample_weight=None):
    """StandardScaler with weights: weighted mean and (biased) weighted variance."""
    mean = np.average(X_train, axis=0, weights=sample_weight)
    variance = np.average((X_train - mean) ** 2, axis=0, weights=sample_weight)
    return (X - mean) / np.sqrt(variance)


def splits(cv, X, y=None):
    return list(cv.split(X, y))


def split_scores(search, candidate, n_splits):
    """The held-out score of each fold for one candidate of a search."""
    return np.array(
        [search.cv_results_[f"split{k}_test_score"][candidate] for k in range(n_splits)]
    )


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


# -- Pipeline ---------------------------------------------------------------------


def test_pipeline_scaler_gaussian_scores_the_scaled_data():
    X = gaussian_data()
    X_train, X_test = X[:60], X[60:]
    pipe = make_pipeline(StandardScaler(), GaussianDistribution()).fit(X_train)

    Z_train = standardize_by_hand(X_train, X_train)
    Z_test = standardize_by_hand(X_train, X_test)
    alone = GaussianDistribution().fit(Z_train)
    expected = gaussian_logpdf_by_hand(Z_train, Z_test)

    assert_allclose(pipe.score_samples(X_test), expected, rtol=1e-10)
    assert_allclose(pipe.predict_proba(X_test), np.exp(expected), rtol=1e-10)
    assert pipe.score(X_test) == pytest.approx(expected.mean(), rel=1e-10)
    assert pipe.score(X_test) == pytest.approx(alone.score(Z_test), rel=1e-12)


def test_pipeline_scaler_classifier_matches_log_loss():
    X, y = classification_data()
    X = X * [1.0, 100.0, 0.01, 1.0]  # badly scaled, so the scaler matters
    pipe = make_pipeline(StandardScaler(), CrossEntropyClassifier()).fit(X, y)

    Z = standardize_by_hand(X, X)
    alone = CrossEntropyClassifier().fit(Z, y)
    proba = pipe.predict_proba(X)
    assert_allclose(proba, alone.predict_proba(Z), rtol=1e-6, atol=1e-9)
    assert_array_equal(pipe.classes_, [0, 1, 2])
    assert_array_equal(pipe.predict(X), pipe.classes_[np.argmax(proba, axis=1)])
    assert pipe.score(X, y) == pytest.approx(-log_loss(y, proba), rel=1e-10)


def test_pipeline_count_vectorizer_bernoulli_on_sparse_text():
    documents = [
        "the cat sat",
        "the dog sat",
        "a cat ran",
        "the cat ran",
        "a dog sat",
        "the dog ran",
    ]
    pipe = make_pipeline(CountVectorizer(), BernoulliDistribution(alpha=1.0))
    pipe.fit(documents)
    vocabulary = pipe[0].get_feature_names_out()
    # Presence of each word, with Laplace smoothing: (ones + 1) / (n + 2).
    presence = np.array([[w in d.split() for w in vocabulary] for d in documents])
    p_one = (presence.sum(axis=0) + 1.0) / (len(documents) + 2.0)
    expected = np.where(presence, np.log(p_one), np.log1p(-p_one)).sum(axis=1)

    assert_allclose(pipe[-1].probabilities_, p_one, rtol=1e-12)
    assert_allclose(pipe.score_samples(documents), expected, rtol=1e-12)
    assert pipe.score(documents) == pytest.approx(expected.mean(), rel=1e-12)


def test_pipeline_binned_features_categorical():
    X = gaussian_data()[:, :2]
    binner = KBinsDiscretizer(n_bins=4, encode="ordinal", strategy="quantile")
    pipe = make_pipeline(binner, CategoricalDistribution(alpha=0.5)).fit(X)

    codes = pipe[0].transform(X)
    expected = sum(
        categorical_log_proba_by_hand(codes[:, j], codes[:, j], alpha=0.5)
        for j in range(2)
    )
    assert pipe.score(X) == pytest.approx(expected.mean(), rel=1e-12)


# -- model selection by the default score ----------------------------------------


def test_grid_search_categorical_alpha_by_default_score():
    x = categorical_column()
    X = x.reshape(-1, 1)
    # Stratifying on the variable itself puts every category in every
    # training fold; density estimators ignore y, in fit and in score.
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    grid = {"alpha": [0.0, 0.5, 5.0, 50.0]}
    search = GridSearchCV(CategoricalDistribution(), grid, cv=cv).fit(X, x)

    folds = splits(cv, X, x)
    by_hand = np.array(
        [
            [
                categorical_log_proba_by_hand(x[train], x[test], alpha).mean()
                for train, test in folds
            ]
            for alpha in grid["alpha"]
        ]
    )
    for candidate in range(len(grid["alpha"])):
        assert_allclose(split_scores(search, candidate, 5), by_hand[candidate])
    assert_allclose(search.cv_results_["mean_test_score"], by_hand.mean(axis=1))
    best = int(np.argmax(by_hand.mean(axis=1)))
    assert search.best_params_ == {"alpha": grid["alpha"][best]}
    assert search.best_score_ == pytest.approx(by_hand.mean(axis=1)[best])
    # Heavy smoothing is far from the frequencies: it must lose.
    assert search.best_params_["alpha"] != 50.0


def test_grid_search_gaussian_covariance_type_by_default_score():
    X = gaussian_data()
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    types = ["spherical", "diag", "full"]
    search = GridSearchCV(
        GaussianDistribution(), {"covariance_type": types}, cv=cv
    ).fit(X)

    by_hand = np.array(
        [
            [
                gaussian_logpdf_by_hand(X[train], X[test], kind).mean()
                for train, test in splits(cv, X)
            ]
            for kind in types
        ]
    )
    assert_allclose(search.cv_results_["mean_test_score"], by_hand.mean(axis=1))
    # The features are strongly correlated: only "full" models that.
    assert search.best_params_ == {"covariance_type": "full"}
    assert search.best_score_ == pytest.approx(by_hand[2].mean(), rel=1e-10)
    refit = search.best_estimator_
    assert_allclose(refit.score_samples(X), gaussian_logpdf_by_hand(X, X))


def test_randomized_search_categorical_alpha():
    x = categorical_column(seed=3)
    X = x.reshape(-1, 1)
    cv = StratifiedKFold(n_splits=5)
    search = RandomizedSearchCV(
        CategoricalDistribution(),
        {"alpha": scipy.stats.uniform(0.0, 10.0)},
        n_iter=5,
        cv=cv,
        random_state=0,
    ).fit(X, x)

    alphas = np.asarray(search.cv_results_["param_alpha"], dtype=float)
    assert len(np.unique(alphas)) == 5
    by_hand = np.array(
        [
            np.mean(
                [
                    categorical_log_proba_by_hand(x[train], x[test], alpha).mean()
                    for train, test in splits(cv, X, x)
                ]
            )
            for alpha in alphas
        ]
    )
    assert_allclose(search.cv_results_["mean_test_score"], by_hand)
    assert search.best_params_["alpha"] == alphas[np.argmax(by_hand)]
    assert search.best_score_ == pytest.approx(by_hand.max())


def test_randomized_search_classifier_alpha_in_pipeline():
    X, y = classification_data()
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    pipe = make_pipeline(StandardScaler(), CrossEntropyClassifier())
    search = RandomizedSearchCV(
        pipe,
        {"crossentropyclassifier__alpha": scipy.stats.loguniform(1e-4, 30.0)},
        n_iter=4,
        cv=cv,
        random_state=0,
    ).fit(X, y)

    by_hand = []
    for alpha in search.cv_results_["param_crossentropyclassifier__alpha"]:
        fold_scores = []
        for train, test in splits(cv, X, y):
            model = clone(pipe).set_params(crossentropyclassifier__alpha=alpha)
            proba = model.fit(X[train], y[train]).predict_proba(X[test])
            fold_scores.append(-log_loss(y[test], proba, labels=[0, 1, 2]))
        by_hand.append(np.mean(fold_scores))
    assert_allclose(search.cv_results_["mean_test_score"], by_hand, rtol=1e-8)
    assert search.best_score_ == pytest.approx(max(by_hand), rel=1e-8)
    assert len(np.unique(np.round(by_hand, 6))) == 4


def test_grid_search_classifier_alpha_selects_by_cross_entropy_not_accuracy():
    X, y = classification_data()
    cv = KFold(n_splits=3, shuffle=True, random_state=1)
    grid = {"alpha": [1e-4, 1e-1, 100.0]}
    search = GridSearchCV(CrossEntropyClassifier(), grid, cv=cv).fit(X, y)
    by_cross_entropy = GridSearchCV(
        CrossEntropyClassifier(), grid, cv=cv, scoring=neg_cross_entropy_scorer
    ).fit(X, y)
    by_log_loss = GridSearchCV(
        CrossEntropyClassifier(), grid, cv=cv, scoring="neg_log_loss"
    ).fit(X, y)

    mean_scores = search.cv_results_["mean_test_score"]
    assert_allclose(mean_scores, by_cross_entropy.cv_results_["mean_test_score"])
    assert_allclose(mean_scores, by_log_loss.cv_results_["mean_test_score"])
    assert search.best_params_ == by_log_loss.best_params_
    # Strong shrinkage flattens the probabilities: a much worse cross-entropy.
    assert mean_scores[2] < mean_scores[0] - 0.1


def test_validation_curve_gaussian_reg_covar():
    X = gaussian_data()
    cv = KFold(n_splits=3)
    reg = [1e-6, 1e-1, 1.0]
    _, test_scores = validation_curve(
        GaussianDistribution(), X, None, param_name="reg_covar", param_range=reg, cv=cv
    )
    by_hand = [
        [
            gaussian_logpdf_by_hand(X[train], X[test], reg_covar=r).mean()
            for train, test in splits(cv, X)
        ]
        for r in reg
    ]
    assert_allclose(test_scores, by_hand, rtol=1e-10)


def test_unseen_category_in_a_test_fold():
    # Categories 0 and 1 alternate and 7 occurs once, in the last fold: only
    # the model that holds out the last fold never saw a category it scores.
    X = np.array([[i % 2] for i in range(29)] + [[7]])
    cv = KFold(n_splits=3)
    strict = GridSearchCV(
        CategoricalDistribution(), {"alpha": [0.0]}, cv=cv, error_score="raise"
    )
    with pytest.raises(ValueError, match="unknown category 7 in column 0"):
        strict.fit(X)

    with warnings.catch_warnings():
        # scikit-learn warns that a test score is -inf, and about the nan
        # standard deviation of the scores it computes from it.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        lenient = GridSearchCV(
            CategoricalDistribution(handle_unknown="zero"), {"alpha": [1.0]}, cv=cv
        ).fit(X)
    scores = split_scores(lenient, 0, 3)
    assert scores[2] == -np.inf
    by_hand = [
        categorical_log_proba_by_hand(X[train, 0], X[test, 0], alpha=1.0).mean()
        for train, test in splits(cv, X)[:2]
    ]
    assert_allclose(scores[:2], by_hand, rtol=1e-12)


def test_cross_val_predict_proba_gives_the_pooled_cross_entropy():
    # With folds of equal size, the log-loss of the pooled out-of-fold
    # probabilities is the mean of the per-fold held-out cross-entropies.
    X, y = classification_data()
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    proba = cross_val_predict(
        CrossEntropyClassifier(), X, y, cv=cv, method="predict_proba"
    )
    log_proba = cross_val_predict(
        CrossEntropyClassifier(), X, y, cv=cv, method="predict_log_proba"
    )
    scores = cross_val_score(CrossEntropyClassifier(), X, y, cv=cv)
    assert_allclose(np.exp(log_proba), proba, rtol=1e-12)
    assert log_loss(y, proba) == pytest.approx(-scores.mean(), rel=1e-10)


# -- cross_val_score and cross_validate with skxent scorers -----------------------


def test_cross_val_score_density_scorers_nats_and_bits():
    X = gaussian_data()
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    by_hand = [
        gaussian_logpdf_by_hand(X[train], X[test]).mean()
        for train, test in splits(cv, X)
    ]
    default = cross_val_score(GaussianDistribution(), X, cv=cv)
    nats = cross_val_score(
        GaussianDistribution(), X, cv=cv, scoring=neg_cross_entropy_scorer
    )
    bits = cross_val_score(
        GaussianDistribution(), X, cv=cv, scoring=make_cross_entropy_scorer(base=2)
    )
    assert_allclose(default, by_hand, rtol=1e-10)
    assert_allclose(nats, by_hand, rtol=1e-10)
    assert_allclose(bits, np.array(by_hand) / np.log(2), rtol=1e-10)


def test_cross_validate_categorical_and_sklearn_gaussian_mixture():
    # GaussianMixture with one component is the same model as
    # GaussianDistribution (one EM step is the closed-form MLE); the scorer
    # reads its score_samples the same way.
    X = gaussian_data()
    cv = KFold(n_splits=3)
    scoring = {"nats": neg_cross_entropy_scorer, "bits": make_cross_entropy_scorer(2)}
    ours = cross_validate(GaussianDistribution(), X, cv=cv, scoring=scoring)
    mixture = cross_validate(GaussianMixture(1), X, cv=cv, scoring=scoring)
    assert_allclose(mixture["test_nats"], ours["test_nats"], rtol=1e-6)
    assert_allclose(ours["test_bits"], ours["test_nats"] / np.log(2), rtol=1e-12)

    x = categorical_column()
    X = np.column_stack([x, np.where(x % 2 == 0, "even", "odd")]).astype(object)
    cv = StratifiedKFold(n_splits=5)
    results = cross_validate(
        CategoricalDistribution(alpha=1.0), X, x, cv=cv, scoring=scoring
    )
    by_hand = [
        sum(
            categorical_log_proba_by_hand(X[train, j], X[test, j], alpha=1.0)
            for j in range(2)
        ).mean()
        for train, test in splits(cv, X, x)
    ]
    assert_allclose(results["test_nats"], by_hand, rtol=1e-12)
    assert_allclose(results["test_bits"], np.array(by_hand) / np.log(2), rtol=1e-12)


@pytest.mark.parametrize(
    "classifier",
    [LogisticRegression(max_iter=1000), CrossEntropyClassifier()],
    ids=["LogisticRegression", "CrossEntropyClassifier"],
)
def test_cross_validate_classifiers_against_log_loss(classifier):
    X, y = classification_data()
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scoring = {
        "nats": neg_cross_entropy_scorer,
        "bits": make_cross_entropy_scorer(base=2),
        "sklearn": "neg_log_loss",
    }
    results = cross_validate(classifier, X, y, cv=cv, scoring=scoring)

    by_hand = [
        -log_loss(
            y[test], clone(classifier).fit(X[train], y[train]).predict_proba(X[test])
        )
        for train, test in splits(cv, X, y)
    ]
    assert_allclose(results["test_nats"], by_hand, rtol=1e-8)
    assert_allclose(results["test_sklearn"], by_hand, rtol=1e-8)
    assert_allclose(results["test_bits"], np.array(by_hand) / np.log(2), rtol=1e-8)


def test_cross_val_score_classifier_default_score_is_the_scorer():
    X, y = classification_data()
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    default = cross_val_score(CrossEntropyClassifier(), X, y, cv=cv)
    scored = cross_val_score(
        CrossEntropyClassifier(), X, y, cv=cv, scoring=neg_cross_entropy_scorer
    )
    assert_allclose(default, scored, rtol=1e-12)


def test_cross_validate_soft_labels():
    X, y = classification_data()
    # Soft targets: a teacher's probabilities, mixed with the hard labels.
    teacher = LogisticRegression(C=0.1, max_iter=1000).fit(X, y)
    soft = 0.5 * teacher.predict_proba(X) + 0.5 * np.eye(3)[y]
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    results = cross_validate(
        CrossEntropyClassifier(), X, soft, cv=cv, scoring=neg_cross_entropy_scorer
    )
    default = cross_val_score(CrossEntropyClassifier(), X, soft, cv=cv)
    by_hand = []
    for train, test in splits(cv, X):
        model = CrossEntropyClassifier().fit(X[train], soft[train])
        log_proba = np.log(model.predict_proba(X[test]))
        by_hand.append(np.mean(np.sum(soft[test] * log_proba, axis=1)))
    assert_allclose(results["test_score"], by_hand, rtol=1e-8)
    assert_allclose(default, by_hand, rtol=1e-8)


def test_cross_val_score_in_parallel_equals_sequential():
    X = gaussian_data()
    sequential = cross_val_score(GaussianDistribution(), X, cv=3)
    parallel = cross_val_score(GaussianDistribution(), X, cv=3, n_jobs=2)
    assert_allclose(parallel, sequential, rtol=1e-12)


# -- metadata routing of sample_weight ------------------------------------------


@requires_sklearn_1_7
def test_grid_search_routes_weights_through_pipeline_to_fit_and_score(routing):
    X = gaussian_data()
    weights = integer_weights(len(X)).astype(float)
    pipe = make_pipeline(
        StandardScaler().set_fit_request(sample_weight=True),
        GaussianDistribution()
        .set_fit_request(sample_weight=True)
        .set_score_request(sample_weight=True),
    )
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    types = ["diag", "full"]
    grid = {"gaussiandistribution__covariance_type": types}
    search = GridSearchCV(pipe, grid, cv=cv).fit(X, sample_weight=weights)

    for candidate, kind in enumerate(types):
        by_hand = []
        for train, test in splits(cv, X):
            w_train = weights[train]
            Z_train = standardize_by_hand(X[train], X[train], w_train)
            Z_test = standardize_by_hand(X[train], X[test], w_train)
            log_p = gaussian_logpdf_by_hand(Z_train, Z_test, kind, 1e-6, w_train)
            by_hand.append(np.average(log_p, weights=weights[test]))
        assert_allclose(split_scores(search, candidate, 3), by_hand, rtol=1e-10)

    # The refit on all data with integer weights equals a fit on repeated rows.
    repeated = np.repeat(X, weights.astype(int), axis=0)
    plain = make_pipeline(
        StandardScaler(), GaussianDistribution(covariance_type="full")
    )
    plain.set_params(**search.best_params_).fit(repeated)
    assert_allclose(search.best_estimator_[-1].mean_, plain[-1].mean_, atol=1e-12)
    assert_allclose(
        search.best_estimator_[-1].covariance_, plain[-1].covariance_, rtol=1e-10
    )


def test_clone_and_pickle_keep_metadata_requests(routing):
    estimator = (
        CrossEntropyClassifier()
        .set_fit_request(sample_weight=True)
        .set_score_request(sample_weight=False)
    )
    expected = {
        "fit": {"sample_weight": True, "classes": None},
        "score": {"sample_weight": False},
    }
    for copy in (clone(estimator), pickle.loads(pickle.dumps(estimator))):
        routing_info = copy.get_metadata_routing()
        for method, request in expected.items():
            assert getattr(routing_info, method).requests == request


def test_fit_request_false_is_not_routed(routing):
    X = gaussian_data()
    weights = integer_weights(len(X)) + 1.0
    pipe = make_pipeline(
        StandardScaler().set_fit_request(sample_weight=True),
        GaussianDistribution().set_fit_request(sample_weight=False),
    ).fit(X, sample_weight=weights)
    # The scaler saw the weights, the distribution did not.
    Z = standardize_by_hand(X, X, weights)
    assert_allclose(pipe[0].mean_, np.average(X, axis=0, weights=weights))
    assert_allclose(pipe[-1].mean_, Z.mean(axis=0), atol=1e-12)
    assert_allclose(pipe.score_samples(X), gaussian_logpdf_by_hand(Z, Z), rtol=1e-10)


def test_unrequested_weights_raise_under_routing(routing):
    X = gaussian_data()
    weights = integer_weights(len(X))
    with pytest.raises(UnsetMetadataPassedError, match=r"GaussianDistribution\.fit"):
        GridSearchCV(GaussianDistribution(), {"reg_covar": [1e-6]}, cv=3).fit(
            X, sample_weight=weights
        )
    # Requested for fit but not for score: the passthrough scorer refuses too.
    estimator = GaussianDistribution().set_fit_request(sample_weight=True)
    with pytest.raises(UnsetMetadataPassedError, match=r"GaussianDistribution\.score"):
        GridSearchCV(estimator, {"reg_covar": [1e-6]}, cv=3).fit(
            X, sample_weight=weights
        )
    # scikit-learn 1.6 refuses the weights before reaching the scorer, with a
    # message that names the estimator instead.
    scorer_named = "make_cross_entropy_scorer" if SKLEARN_1_7 else "cross_validate"
    with pytest.raises(UnsetMetadataPassedError, match=scorer_named):
        cross_validate(
            estimator,
            X,
            scoring=neg_cross_entropy_scorer,
            params={"sample_weight": weights},
        )


def test_scorer_score_request_weights_density_score_only(routing):
    X = gaussian_data()
    weights = integer_weights(len(X)).astype(float)
    cv = KFold(n_splits=3)
    results = cross_validate(
        GaussianDistribution().set_fit_request(sample_weight=False),
        X,
        cv=cv,
        scoring=neg_cross_entropy_scorer.set_score_request(sample_weight=True),
        params={"sample_weight": weights},
    )
    by_hand = [
        np.average(gaussian_logpdf_by_hand(X[train], X[test]), weights=weights[test])
        for train, test in splits(cv, X)
    ]
    assert_allclose(results["test_score"], by_hand, rtol=1e-10)


@pytest.mark.parametrize(
    "classifier",
    [LogisticRegression(max_iter=1000), CrossEntropyClassifier()],
    ids=["LogisticRegression", "CrossEntropyClassifier"],
)
def test_scorer_score_request_weights_classifiers(classifier, routing):
    X, y = classification_data()
    weights = integer_weights(len(X)).astype(float)
    cv = StratifiedKFold(n_splits=3)
    results = cross_validate(
        clone(classifier).set_fit_request(sample_weight=True),
        X,
        y,
        cv=cv,
        scoring=make_cross_entropy_scorer(base=2).set_score_request(sample_weight=True),
        params={"sample_weight": weights},
    )
    by_hand = []
    for train, test in splits(cv, X, y):
        model = clone(classifier).fit(X[train], y[train], sample_weight=weights[train])
        proba = model.predict_proba(X[test])
        by_hand.append(-log_loss(y[test], proba, sample_weight=weights[test]))
    assert_allclose(results["test_score"], np.array(by_hand) / np.log(2), rtol=1e-8)


def test_grid_search_routes_weights_to_classifier(routing):
    X, y = classification_data()
    weights = integer_weights(len(X)).astype(float)
    classifier = (
        CrossEntropyClassifier(tol=1e-10)
        .set_fit_request(sample_weight=True)
        .set_score_request(sample_weight=True)
    )
    cv = StratifiedKFold(n_splits=3)
    search = GridSearchCV(classifier, {"alpha": [1e-3, 1.0]}, cv=cv)
    search.fit(X, y, sample_weight=weights)

    by_hand = []
    for train, test in splits(cv, X, y):
        model = CrossEntropyClassifier(tol=1e-10, alpha=search.best_params_["alpha"])
        model.fit(X[train], y[train], sample_weight=weights[train])
        proba = model.predict_proba(X[test])
        by_hand.append(-log_loss(y[test], proba, sample_weight=weights[test]))
    assert search.best_score_ == pytest.approx(np.mean(by_hand), rel=1e-8)

    # Integer weights in the refit equal repeated rows (the loss is a weighted
    # mean, so the penalty's relative strength is unchanged).
    counts = weights.astype(int)
    repeated = CrossEntropyClassifier(tol=1e-10, **search.best_params_).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    assert_allclose(
        search.best_estimator_.predict_proba(X),
        repeated.predict_proba(X),
        atol=1e-5,
    )


def test_pipeline_score_routes_weights_to_the_final_step(routing):
    X = gaussian_data()
    weights = integer_weights(len(X)) + 1.0
    pipe = make_pipeline(
        StandardScaler(), GaussianDistribution().set_score_request(sample_weight=True)
    ).fit(X)
    expected = np.average(pipe.score_samples(X), weights=weights)
    assert pipe.score(X, sample_weight=weights) == pytest.approx(expected, rel=1e-12)
    assert pipe.score(X) == pytest.approx(pipe.score_samples(X).mean(), rel=1e-12)


# -- pandas ------------------------------------------------------------------------


def test_gaussian_on_a_float_dataframe():
    X = gaussian_data()
    frame = pd.DataFrame(X, columns=["height", "weight", "age"])
    model = GaussianDistribution().fit(frame)
    assert_array_equal(model.feature_names_in_, ["height", "weight", "age"])
    assert model.n_features_in_ == 3
    assert model.score(frame) == pytest.approx(GaussianDistribution().fit(X).score(X))

    renamed = frame.rename(columns={"age": "years"})
    with pytest.raises(ValueError, match="feature names should match"):
        model.score(renamed)
    with pytest.raises(ValueError, match="same order"):
        model.score(frame[["weight", "height", "age"]])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        model.score(X)


def test_categorical_on_a_dataframe_with_string_and_int_columns():
    x = categorical_column()
    frame = pd.DataFrame(
        {
            "colour": np.array(["red", "green", "blue", "red", "red"])[x],
            "size": x * 10,
            "kind": pd.Categorical(np.where(x < 2, "small", "large")),
        }
    )
    model = CategoricalDistribution(alpha=0.5).fit(frame)
    assert_array_equal(model.feature_names_in_, ["colour", "size", "kind"])
    assert_array_equal(model.categories_[0], ["blue", "green", "red"])
    assert_array_equal(model.categories_[1], [0, 10, 20, 30, 40])
    # An int column stays numeric next to a string column.
    assert model.categories_[1].dtype.kind == "i"
    assert_array_equal(model.categories_[2], ["large", "small"])

    by_hand = sum(
        categorical_log_proba_by_hand(frame[c], frame[c], alpha=0.5) for c in frame
    )
    assert_allclose(model.score_samples(frame), by_hand, rtol=1e-12)
    assert model.score(frame) == pytest.approx(by_hand.mean(), rel=1e-12)

    with pytest.raises(ValueError, match="feature names should match"):
        model.score(frame.rename(columns={"size": "width"}))
    unseen = frame.head(3).assign(colour=["red", "purple", "red"])
    with pytest.raises(ValueError, match="purple"):
        model.score(unseen)


def test_bernoulli_on_a_boolean_dataframe():
    X = binary_data()
    frame = pd.DataFrame(X.astype(bool), columns=list("abcd"))
    model = BernoulliDistribution().fit(frame)
    assert_array_equal(model.feature_names_in_, list("abcd"))
    assert_allclose(model.probabilities_, X.mean(axis=0))
    assert model.score(frame) == pytest.approx(BernoulliDistribution().fit(X).score(X))


def test_classifier_on_a_dataframe_with_string_labels():
    X, y = classification_data()
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2", "f3"])
    labels = pd.Series(np.array(["setosa", "versicolor", "virginica"])[y])
    model = CrossEntropyClassifier().fit(frame, labels)
    assert_array_equal(model.feature_names_in_, frame.columns)
    assert_array_equal(model.classes_, ["setosa", "versicolor", "virginica"])
    proba = model.predict_proba(frame)
    assert model.score(frame, labels) == pytest.approx(-log_loss(labels, proba))
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict_proba(frame.rename(columns={"f0": "g0"}))


def test_set_output_pandas_scaler_feeds_feature_names_to_our_estimators():
    X, y = classification_data()
    frame = pd.DataFrame(X, columns=["f0", "f1", "f2", "f3"])
    scaler = StandardScaler().set_output(transform="pandas")
    density = make_pipeline(scaler, GaussianDistribution()).fit(frame)
    classifier = make_pipeline(clone(scaler), CrossEntropyClassifier()).fit(frame, y)

    for pipe in (density, classifier):
        assert_array_equal(pipe[-1].feature_names_in_, frame.columns)
        assert_array_equal(pipe[:-1].get_feature_names_out(), frame.columns)
    plain = make_pipeline(StandardScaler(), GaussianDistribution()).fit(X)
    assert density.score(frame) == pytest.approx(plain.score(X), rel=1e-12)
    assert classifier.score(frame, y) == pytest.approx(
        make_pipeline(StandardScaler(), CrossEntropyClassifier()).fit(X, y).score(X, y),
        rel=1e-8,
    )


def test_pipeline_set_output_and_global_transform_output():
    # Pipeline.set_output configures the steps that are transformers and
    # leaves the final estimator (not a transformer) alone.
    frame = pd.DataFrame(gaussian_data(), columns=["a", "b", "c"])
    pipe = make_pipeline(StandardScaler(), GaussianDistribution())
    pipe.set_output(transform="pandas").fit(frame)
    assert_array_equal(pipe[-1].feature_names_in_, ["a", "b", "c"])

    with sklearn.config_context(transform_output="pandas"):
        pipe = make_pipeline(StandardScaler(), GaussianDistribution()).fit(frame)
        assert_array_equal(pipe[-1].feature_names_in_, ["a", "b", "c"])
        score = pipe.score(frame)
    assert np.isfinite(score)


def test_column_transformer_with_pandas_output_feeds_categorical():
    x = categorical_column()
    frame = pd.DataFrame(
        {
            "colour": np.array(["red", "green", "blue", "red", "red"])[x],
            "value": np.linspace(0.0, 1.0, len(x)),
        }
    )
    columns = ColumnTransformer(
        [
            ("bins", KBinsDiscretizer(n_bins=3, encode="ordinal"), ["value"]),
            ("keep", "passthrough", ["colour"]),
        ]
    ).set_output(transform="pandas")
    pipe = Pipeline([("columns", columns), ("model", CategoricalDistribution())])
    pipe.fit(frame)
    assert_array_equal(pipe["model"].feature_names_in_, ["bins__value", "keep__colour"])
    transformed = columns.transform(frame)
    by_hand = sum(
        categorical_log_proba_by_hand(transformed[c], transformed[c])
        for c in transformed
    )
    assert pipe.score(frame) == pytest.approx(by_hand.mean(), rel=1e-12)


# -- clone, pickle, repr ---------------------------------------------------------


def fitted_cases():
    """(estimator, X, y) for every public estimator, with non-default params."""
    X_class, y_class = classification_data()
    x = categorical_column()
    X_categorical = np.column_stack([x, np.where(x > 2, "high", "low")]).astype(object)
    return [
        (BernoulliDistribution(alpha=1.0), binary_data(), None),
        (CategoricalDistribution(alpha=0.5), X_categorical, None),
        (GaussianDistribution(), gaussian_data(), None),
        (GaussianDistribution(covariance_type="diag"), gaussian_data(), None),
        (GaussianDistribution(covariance_type="spherical"), gaussian_data(), None),
        (CrossEntropyClassifier(alpha=0.01), X_class, y_class),
        (
            CrossEntropyClassifier(
                hidden_layer_sizes=(4,), max_iter=50, random_state=0
            ),
            X_class,
            y_class,
        ),
    ]


CASES = fitted_cases()
CASE_IDS = [
    "bernoulli",
    "categorical",
    "gaussian-full",
    "gaussian-diag",
    "gaussian-spherical",
    "classifier-linear",
    "classifier-mlp",
]


def fit_quietly(estimator, X, y):
    with warnings.catch_warnings():
        # The MLP case stops at max_iter on purpose, to stay fast.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


def outputs(estimator, X, y):
    """Everything a fitted estimator computes, for comparing two copies."""
    if y is not None:
        return {
            "predict_proba": estimator.predict_proba(X),
            "predict": estimator.predict(X),
            "score": estimator.score(X, y),
        }
    return {
        "score_samples": estimator.score_samples(X),
        "score": estimator.score(X),
        "entropy": estimator.entropy(),
        "sample": estimator.sample(5, random_state=0),
        "bic": estimator.bic(X),
    }


@pytest.mark.parametrize("estimator, X, y", CASES, ids=CASE_IDS)
def test_clone_gives_same_params_unfitted(estimator, X, y):
    fitted = fit_quietly(clone(estimator), X, y)
    copy = clone(fitted)
    assert copy is not fitted
    assert copy.get_params() == estimator.get_params()
    with pytest.raises(NotFittedError):
        check_is_fitted(copy)
    # A clone refit on the same data computes the same thing.
    refit = outputs(fit_quietly(copy, X, y), X, y)
    for name, value in outputs(fitted, X, y).items():
        assert_array_equal(refit[name], value, err_msg=name)


@pytest.mark.parametrize("estimator, X, y", CASES, ids=CASE_IDS)
def test_pickle_round_trip(estimator, X, y):
    unfitted = pickle.loads(pickle.dumps(estimator))
    assert unfitted.get_params() == estimator.get_params()
    with pytest.raises(NotFittedError):
        check_is_fitted(unfitted)

    fitted = fit_quietly(clone(estimator), X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    assert type(restored) is type(fitted)
    assert restored.get_params() == fitted.get_params()
    expected = outputs(fitted, X, y)
    for name, value in outputs(restored, X, y).items():
        assert_array_equal(value, expected[name], err_msg=name)


def test_partial_fit_continues_after_unpickling():
    X = gaussian_data()
    first = GaussianDistribution().partial_fit(X[:40])
    restored = pickle.loads(pickle.dumps(first)).partial_fit(X[40:])
    whole = GaussianDistribution().fit(X)
    assert_allclose(restored.mean_, whole.mean_, atol=1e-12)
    assert_allclose(restored.covariance_, whole.covariance_, rtol=1e-10)


def user_set_params(html):
    """Names in the rows the HTML repr marks as set by the user."""
    rows = re.findall(r'<tr class="user-set">(.*?)</tr>', html, flags=re.S)
    names = [re.search(r'<td class="param">(.*?)</td>', row, re.S) for row in rows]
    return {re.sub(r"<[^>]+>", "", name.group(1)).strip() for name in names}


@pytest.mark.parametrize(
    "estimator, changed",
    [
        (BernoulliDistribution(alpha=1.0, binarize=None), {"alpha", "binarize"}),
        (CategoricalDistribution(handle_unknown="zero"), {"handle_unknown"}),
        (GaussianDistribution(covariance_type="diag"), {"covariance_type"}),
        (
            CrossEntropyClassifier(alpha=0.5, hidden_layer_sizes=(3,)),
            {"alpha", "hidden_layer_sizes"},
        ),
    ],
    ids=["bernoulli", "categorical", "gaussian", "classifier"],
)
def test_html_repr_names_class_and_changed_params(estimator, changed):
    html = estimator._repr_html_()
    name = type(estimator).__name__
    assert name in html
    if SKLEARN_1_7:
        assert user_set_params(html) == changed
    # The plain-text fallback is the usual repr, with only the changed params.
    assert f"<pre>{estimator!r}</pre>" in html.replace("&#x27;", "'")
    assert repr(estimator).startswith(f"{name}(")
    for param in changed:
        assert f"{param}=" in repr(estimator)
    assert "<span>Not fitted</span>" in html


def test_html_repr_of_a_fitted_pipeline():
    pipe = make_pipeline(StandardScaler(), GaussianDistribution(reg_covar=0.01))
    assert "<span>Not fitted</span>" in estimator_html_repr(pipe)
    html = estimator_html_repr(pipe.fit(gaussian_data()))
    assert "StandardScaler" in html
    assert "GaussianDistribution" in html
    assert "<span>Fitted</span>" in html
    assert "<span>Not fitted</span>" not in html
    if SKLEARN_1_7:
        assert "reg_covar" in user_set_params(html)


# -- other things a user would try -----------------------------------------------


def test_soft_voting_averages_the_probabilities():
    X, y = classification_data()
    voting = VotingClassifier(
        [
            ("ours", CrossEntropyClassifier()),
            ("sklearn", LogisticRegression(max_iter=1000)),
        ],
        voting="soft",
    ).fit(X, y)
    members = [
        voting.named_estimators_[n].predict_proba(X) for n in ("ours", "sklearn")
    ]
    assert_allclose(voting.predict_proba(X), np.mean(members, axis=0), rtol=1e-12)
    assert neg_cross_entropy_scorer(voting, X, y) == pytest.approx(
        -log_loss(y, voting.predict_proba(X)), rel=1e-12
    )


def test_estimator_types_are_what_tools_look_for():
    assert sklearn.base.is_classifier(CrossEntropyClassifier())
    for density in (
        BernoulliDistribution(),
        CategoricalDistribution(),
        GaussianDistribution(),
    ):
        assert not sklearn.base.is_classifier(density)
        assert sklearn.utils.get_tags(density).estimator_type == "density_estimator"
        with pytest.raises(NotFittedError):
            density.score(np.zeros((2, 2)))
    with pytest.raises(NotFittedError):
        CrossEntropyClassifier().predict_proba(np.zeros((2, 2)))
