"""Tests of skxent.metrics: cross_entropy_loss and the cross-entropy scorer.

References: sklearn.metrics.log_loss on hard labels, scipy.stats.entropy for
soft targets (H(t, q) = H(t) + D(t || q)), the mean log-probability of the true
class computed by hand with numpy, and the estimators' own score_samples.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import sklearn
from numpy.testing import assert_allclose
from sklearn.datasets import make_blobs, make_classification
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import DataConversionWarning, UnsetMetadataPassedError
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import log_loss
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.neighbors import KernelDensity
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxent.metrics import (
    cross_entropy_loss,
    make_cross_entropy_scorer,
    neg_cross_entropy_scorer,
)


def random_proba(rng, n_samples, n_classes):
    """Probabilities bounded away from 0 and 1, where log_loss does not clip."""
    x = rng.uniform(0.05, 1.0, size=(n_samples, n_classes))
    return x / x.sum(axis=1, keepdims=True)


def mean_log_proba_of_true_class(proba, columns, sample_weight=None):
    """The score by hand: weighted mean of log q[i, column of y_i]."""
    return np.average(
        np.log(proba[np.arange(len(columns)), columns]), weights=sample_weight
    )


@pytest.fixture
def classification():
    X, y = make_classification(
        n_samples=150, n_features=5, n_informative=3, n_classes=3, random_state=0
    )
    return X, y


# -- cross_entropy_loss against log_loss ---------------------------------------


@pytest.mark.parametrize(
    "classes",
    [
        np.array([0, 1]),
        np.array([-1, 3, 7]),
        np.array(["ham", "spam", "zebra", "apple"]),
        np.array([0.0, 1.0, 2.0]),
        np.array([False, True]),
    ],
    ids=["binary-int", "int", "str", "float", "bool"],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_hard_labels_equal_log_loss(classes, weighted):
    rng = np.random.default_rng(0)
    y = rng.choice(classes, size=60)
    y[: len(classes)] = classes  # every class present
    proba = random_proba(rng, 60, len(classes))
    weights = rng.uniform(0, 3, size=60) if weighted else None
    assert cross_entropy_loss(y, proba, sample_weight=weights) == pytest.approx(
        log_loss(y, proba, sample_weight=weights), rel=1e-12
    )


def test_labels_name_columns_when_y_lacks_a_class():
    rng = np.random.default_rng(1)
    y = rng.choice(["a", "c"], size=40)
    proba = random_proba(rng, 40, 3)
    labels = ["a", "b", "c"]
    assert cross_entropy_loss(y, proba, labels=labels) == pytest.approx(
        log_loss(y, proba, labels=labels), rel=1e-12
    )


def test_labels_give_column_order_not_a_sorted_set():
    rng = np.random.default_rng(2)
    y = rng.choice([10, 20, 30], size=40)
    proba = random_proba(rng, 40, 3)
    order = [2, 0, 1]
    permuted = cross_entropy_loss(y, proba[:, order], labels=[30, 10, 20])
    assert permuted == pytest.approx(cross_entropy_loss(y, proba), rel=1e-14)
    columns = np.searchsorted([10, 20, 30], y)
    assert permuted == pytest.approx(
        -mean_log_proba_of_true_class(proba, columns), rel=1e-12
    )


def test_pandas_inputs():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    y = rng.choice(["x", "y"], size=20)
    proba = random_proba(rng, 20, 2)
    expected = log_loss(y, proba)
    assert cross_entropy_loss(
        pd.Series(y, dtype="category"), pd.DataFrame(proba, columns=["x", "y"])
    ) == pytest.approx(expected, rel=1e-12)


# -- soft targets, base, weights ------------------------------------------------


def test_soft_targets_are_mean_cross_entropy_of_rows():
    rng = np.random.default_rng(4)
    targets = rng.dirichlet(np.ones(4), size=30)
    proba = random_proba(rng, 30, 4)
    weights = rng.uniform(0, 2, size=30)
    # scipy: H(t, q) = H(t) + D(t || q).
    per_row = scipy.stats.entropy(targets, axis=1) + scipy.stats.entropy(
        targets, proba, axis=1
    )
    assert cross_entropy_loss(targets, proba, sample_weight=weights) == pytest.approx(
        np.average(per_row, weights=weights), rel=1e-12
    )


def test_one_hot_soft_targets_equal_hard_labels():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, size=30)
    proba = random_proba(rng, 30, 3)
    one_hot = np.eye(3)[y]
    assert cross_entropy_loss(one_hot, proba) == pytest.approx(
        cross_entropy_loss(y, proba), rel=1e-13
    )


@pytest.mark.parametrize("base", [2, 10, 0.5])
def test_base_divides_by_log_base(base):
    rng = np.random.default_rng(6)
    y = rng.integers(0, 3, size=30)
    proba = random_proba(rng, 30, 3)
    assert cross_entropy_loss(y, proba, base=base) == pytest.approx(
        log_loss(y, proba) / np.log(base), rel=1e-12
    )


def test_integer_weights_equal_repeated_samples():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 3, size=20)
    proba = random_proba(rng, 20, 3)
    weights = rng.integers(0, 4, size=20)
    weights[:3] = 1  # every class kept
    repeat = np.repeat(np.arange(20), weights)
    for targets in [y, np.eye(3)[y]]:
        assert cross_entropy_loss(targets, proba, sample_weight=weights) == (
            pytest.approx(cross_entropy_loss(targets[repeat], proba[repeat]))
        )


def test_impossible_true_class_gives_inf_without_warning(no_warnings):
    y = [0, 1, 1]
    proba = [[0.5, 0.5], [1.0, 0.0], [0.2, 0.8]]
    assert cross_entropy_loss(y, proba) == np.inf
    assert cross_entropy_loss(np.eye(2)[y], proba) == np.inf
    # A sample of weight zero does not count, even with an infinite loss.
    weights = [1.0, 0.0, 1.0]
    expected = -np.mean(np.log([0.5, 0.8]))
    assert cross_entropy_loss(y, proba, sample_weight=weights) == pytest.approx(
        expected
    )
    # log_loss clips instead: finite, but about -log(1e-16).
    assert np.isfinite(log_loss(y, proba))


# -- cross_entropy_loss errors --------------------------------------------------


@pytest.mark.parametrize(
    "y_true, y_proba, kwargs, message",
    [
        ([0, 1], [0.3, 0.7], {}, r"y_proba must be a 2-D array .* shape \(2,\)"),
        ([0, 1], [[0.3, 0.7], [0.5, 0.6]], {}, "^y_proba .*do not sum to 1"),
        ([], np.empty((0, 2)), {}, "y_proba has no samples"),
        ([0, 1], [[1.3, -0.3], [0.5, 0.5]], {}, "^y_proba has negative entries"),
        ([0, 1], [[np.nan, 1.0], [0.5, 0.5]], {}, "^y_proba contains nan"),
        ([0, 1, 1], [[0.3, 0.7], [0.5, 0.5]], {}, "y_true has 3 samples .* 2"),
        ([[1, 0]] * 2, [[0.3, 0.7]] * 3, {}, r"y_true of shape \(2, 2\) .*soft"),
        ([[0.6, 0.6]] * 2, [[0.3, 0.7]] * 2, {}, "^y_true .*do not sum to 1"),
        ([0, 1], [[0.2, 0.3, 0.5]] * 2, {}, "2 distinct labels .* 3 columns.*labels"),
        ([0, 1], [[0.3, 0.7]] * 2, {"labels": [0, 1, 2]}, "labels has 3 entries"),
        ([0, 1], [[0.3, 0.7]] * 2, {"labels": [1, 1]}, "labels contains duplicates"),
        ([0, 2], [[0.3, 0.7]] * 2, {"labels": [0, 1]}, r"not in labels: \[2\]"),
        (["a", "b"], [[0.3, 0.7]] * 2, {"labels": [0, 1]}, "not in labels"),
        ([0, 1], [[0.3, 0.7]] * 2, {"sample_weight": [1, -1]}, "Negative values"),
        ([0, 1], [[0.3, 0.7]] * 2, {"sample_weight": [0, 0]}, "non-zero|positive sum"),
        ([0, 1], [[0.3, 0.7]] * 2, {"sample_weight": [1, 1, 1]}, "sample_weight"),
        ([0, 1], [[0.3, 0.7]] * 2, {"base": 1}, "'base' parameter"),
        ([0, 1], [[0.3, 0.7]] * 2, {"base": -2.0}, "'base' parameter"),
    ],
)
def test_loss_errors_name_the_problem(y_true, y_proba, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy_loss(y_true, y_proba, **kwargs)


def test_non_numeric_probabilities_are_a_type_error():
    with pytest.raises(TypeError, match="y_proba must be numeric"):
        cross_entropy_loss([0, 1], [["a", "b"], ["c", "d"]])


# -- the scorer with classifiers --------------------------------------------------


def test_cross_val_score_equals_negative_log_loss_per_fold(classification):
    X, y = classification
    cv = KFold(4, shuffle=True, random_state=0)
    estimator = LogisticRegression(C=0.5)
    scores = cross_val_score(estimator, X, y, scoring=neg_cross_entropy_scorer, cv=cv)
    expected = []
    for train, test in cv.split(X):
        clf = LogisticRegression(C=0.5).fit(X[train], y[train])
        proba = clf.predict_proba(X[test])
        expected.append(-log_loss(y[test], proba, labels=clf.classes_))
    assert_allclose(scores, expected, rtol=1e-12)


def test_fold_whose_test_part_lacks_a_class_still_scores(no_warnings):
    # Class 2 occurs only after the first third, so the first KFold test
    # fold holds classes 0 and 1 while its training part holds all three
    # (scikit-learn issue #9144).
    rng = np.random.default_rng(8)
    y = np.concatenate([np.tile([0, 1], 15), np.tile([0, 1, 2], 20)])
    X = rng.normal(size=(len(y), 3)) + y[:, None]
    cv = KFold(3)
    folds = list(cv.split(X))
    assert set(y[folds[0][1]]) == {0, 1}
    assert set(y[folds[0][0]]) == {0, 1, 2}
    scores = cross_val_score(
        LogisticRegression(), X, y, scoring=neg_cross_entropy_scorer, cv=cv
    )
    assert np.all(np.isfinite(scores))
    for score, (train, test) in zip(scores, folds, strict=True):
        clf = LogisticRegression().fit(X[train], y[train])
        columns = np.searchsorted(clf.classes_, y[test])
        expected = mean_log_proba_of_true_class(clf.predict_proba(X[test]), columns)
        assert score == pytest.approx(expected, rel=1e-12)


def test_soft_targets_with_a_scikit_learn_classifier(classification):
    X, y = classification
    rng = np.random.default_rng(9)
    soft = 0.7 * np.eye(3)[y] + 0.3 * rng.dirichlet(np.ones(3), size=len(y))
    clf = LogisticRegression().fit(X, soft.argmax(axis=1))
    proba = clf.predict_proba(X)
    expected = np.mean(np.sum(soft * np.log(proba), axis=1))
    assert neg_cross_entropy_scorer(clf, X, soft) == pytest.approx(expected, rel=1e-12)
    # Hard labels are the one-hot special case.
    assert neg_cross_entropy_scorer(clf, X, y) == pytest.approx(
        neg_cross_entropy_scorer(clf, X, np.eye(3)[y]), rel=1e-13
    )


def test_string_classes_and_pipelines(classification):
    X, y = classification
    names = np.array(["cat", "dog", "emu"])[y]
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, names)
    proba = pipe.predict_proba(X)
    expected = -log_loss(names, proba, labels=pipe.classes_)
    assert neg_cross_entropy_scorer(pipe, X, names) == pytest.approx(expected)


def test_sample_weight_called_directly(classification):
    X, y = classification
    weights = np.random.default_rng(10).uniform(0, 2, size=len(y))
    clf = LogisticRegression().fit(X, y)
    expected = -log_loss(y, clf.predict_proba(X), sample_weight=weights)
    scorer = make_cross_entropy_scorer(base=2)
    assert scorer(clf, X, y, sample_weight=weights) == pytest.approx(
        expected / np.log(2), rel=1e-12
    )
    assert scorer(clf, X, y, sample_weight=weights) != pytest.approx(scorer(clf, X, y))


def test_held_out_label_unknown_to_the_model_is_an_error():
    X = np.arange(6.0)[:, None]
    clf = DummyClassifier(strategy="prior").fit(X[:4], [0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"not in classes_: \[2\]"):
        neg_cross_entropy_scorer(clf, X[4:], [2, 0])


# -- the scorer with density estimators ----------------------------------------


@pytest.fixture
def blobs():
    X, _ = make_blobs(n_samples=120, n_features=2, centers=2, random_state=0)
    return X


def test_kernel_density_is_scored_by_mean_log_likelihood(blobs):
    cv = KFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(
        KernelDensity(bandwidth=0.8), blobs, scoring=neg_cross_entropy_scorer, cv=cv
    )
    for score, (train, test) in zip(scores, cv.split(blobs), strict=True):
        kde = KernelDensity(bandwidth=0.8).fit(blobs[train])
        # KernelDensity.score is a sum; the scorer is the mean.
        assert score == pytest.approx(kde.score(blobs[test]) / len(test), rel=1e-12)


def test_gaussian_mixture_score_and_base(blobs):
    gm = GaussianMixture(n_components=1, random_state=0).fit(blobs)
    assert neg_cross_entropy_scorer(gm, blobs) == pytest.approx(gm.score(blobs))
    in_bits = make_cross_entropy_scorer(base=2)(gm, blobs)
    assert in_bits == pytest.approx(gm.score(blobs) / np.log(2))


def test_density_estimator_ignores_y_so_stratified_splits_work(blobs):
    y = (blobs[:, 0] > np.median(blobs[:, 0])).astype(int)
    cv = StratifiedKFold(3)
    kde = KernelDensity(bandwidth=0.8)
    scores = cross_val_score(kde, blobs, y, scoring=neg_cross_entropy_scorer, cv=cv)
    for score, (train, test) in zip(scores, cv.split(blobs, y), strict=True):
        log_density = kde.fit(blobs[train]).score_samples(blobs[test])
        assert score == pytest.approx(log_density.mean(), rel=1e-12)


def test_weighted_density_score(blobs):
    weights = np.random.default_rng(11).uniform(0, 2, size=len(blobs))
    kde = KernelDensity(bandwidth=0.8).fit(blobs)
    expected = np.average(kde.score_samples(blobs), weights=weights)
    assert neg_cross_entropy_scorer(kde, blobs, sample_weight=weights) == pytest.approx(
        expected
    )


def test_grid_search_selects_bandwidth_by_held_out_cross_entropy(blobs):
    grid = {"bandwidth": [0.05, 0.8, 20.0]}
    search = GridSearchCV(
        KernelDensity(), grid, scoring=neg_cross_entropy_scorer, cv=3
    ).fit(blobs)
    assert search.best_params_ == {"bandwidth": 0.8}


def test_unscorable_estimators_get_a_clear_error(classification):
    X, y = classification
    with pytest.raises(TypeError, match="needs predict_proba and classes_"):
        neg_cross_entropy_scorer(LinearRegression().fit(X, y), X, y)
    with pytest.raises(TypeError, match="needs score_samples"):
        neg_cross_entropy_scorer(LogisticRegression().fit(X, y), X)


# -- metadata routing, repr, pickling ---------------------------------------------


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def test_grid_search_routes_sample_weight_to_the_scorer(classification, routing):
    X, y = classification
    weights = np.random.default_rng(12).uniform(0, 3, size=len(y))
    cv = KFold(3, shuffle=True, random_state=0)
    grid = {"C": [0.01, 1.0]}
    scorer = neg_cross_entropy_scorer.set_score_request(sample_weight=True)
    # The estimator does not request the weights: only the scorer uses them.
    estimator = LogisticRegression().set_fit_request(sample_weight=False)
    search = GridSearchCV(estimator, grid, scoring=scorer, cv=cv)
    search.fit(X, y, sample_weight=weights)
    for i, C in enumerate(grid["C"]):
        weighted, unweighted = [], []
        for train, test in cv.split(X):
            clf = LogisticRegression(C=C).fit(X[train], y[train])
            proba = clf.predict_proba(X[test])
            columns = np.searchsorted(clf.classes_, y[test])
            weighted.append(mean_log_proba_of_true_class(proba, columns, weights[test]))
            unweighted.append(mean_log_proba_of_true_class(proba, columns))
        mean_score = search.cv_results_["mean_test_score"][i]
        assert mean_score == pytest.approx(np.mean(weighted), rel=1e-10)
        assert mean_score != pytest.approx(np.mean(unweighted), rel=1e-6)


def test_cross_val_score_routes_sample_weight_to_the_scorer(blobs, routing):
    weights = np.random.default_rng(13).uniform(0, 3, size=len(blobs))
    cv = KFold(3, shuffle=True, random_state=0)
    scorer = neg_cross_entropy_scorer.set_score_request(sample_weight=True)
    scores = cross_val_score(
        KernelDensity(bandwidth=0.8).set_fit_request(sample_weight=False),
        blobs,
        scoring=scorer,
        cv=cv,
        params={"sample_weight": weights},
    )
    for score, (train, test) in zip(scores, cv.split(blobs), strict=True):
        log_density = KernelDensity(bandwidth=0.8).fit(blobs[train])
        log_density = log_density.score_samples(blobs[test])
        expected = np.average(log_density, weights=weights[test])
        assert score == pytest.approx(expected, rel=1e-12)
        assert score != pytest.approx(log_density.mean(), rel=1e-6)


def test_unrequested_sample_weight_is_an_error_under_routing(classification, routing):
    X, y = classification
    search = GridSearchCV(
        LogisticRegression().set_fit_request(sample_weight=False),
        {"C": [1.0]},
        scoring=neg_cross_entropy_scorer,
        cv=3,
    )
    with pytest.raises(UnsetMetadataPassedError, match="sample_weight"):
        search.fit(X, y, sample_weight=np.ones(len(y)))


def test_set_score_request_returns_a_new_scorer(routing):
    scorer = neg_cross_entropy_scorer.set_score_request(sample_weight=True)
    assert scorer is not neg_cross_entropy_scorer
    assert scorer.get_metadata_routing().score.requests == {"sample_weight": True}
    assert neg_cross_entropy_scorer.get_metadata_routing().score.requests == {
        "sample_weight": None
    }
    unchanged = scorer.set_score_request()
    assert unchanged.get_metadata_routing().score.requests == {"sample_weight": True}
    with pytest.raises(ValueError, match="alias"):
        scorer.set_score_request(sample_weight="not an identifier")


def test_set_score_request_needs_routing_enabled():
    with pytest.raises(RuntimeError, match="enable_metadata_routing=True"):
        neg_cross_entropy_scorer.set_score_request(sample_weight=True)


def test_repr_and_pickle(classification, routing):
    assert repr(neg_cross_entropy_scorer) == "make_cross_entropy_scorer()"
    scorer = make_cross_entropy_scorer(base=2).set_score_request(sample_weight=True)
    expected = "make_cross_entropy_scorer(base=2).set_score_request(sample_weight=True)"
    assert repr(scorer) == expected
    X, y = classification
    clf = LogisticRegression().fit(X, y)
    restored = pickle.loads(pickle.dumps(scorer))
    assert repr(restored) == expected
    assert restored(clf, X, y) == scorer(clf, X, y)


@pytest.mark.parametrize("base", [1, 0, -1.0, "e"])
def test_make_scorer_rejects_invalid_base(base):
    with pytest.raises(ValueError, match="'base' parameter"):
        make_cross_entropy_scorer(base=base)


# -- regressions of issue 7 ------------------------------------------------------


@pytest.mark.parametrize(
    "y_true, y_proba, message",
    [
        ([0, 1], [[np.inf, -np.inf], [0.5, 0.5]], "^y_proba contains nan or inf"),
        ([0.0, np.nan], [[0.5, 0.5]] * 2, "^y_true contains missing labels"),
        (np.array([0, pd.NA], dtype=object), [[0.5, 0.5]] * 2, "missing labels"),
        ([0, None], [[0.5, 0.5]] * 2, "^y_true contains missing labels"),
        ([0, 1], [[0.5, 0.5], [1.0]], "^y_proba must be a 2-D array .* lengths"),
        ([[1, 1], [0, 1]], [[0.5, 0.5]] * 2, "multilabel targets are not supported"),
    ],
)
def test_bad_input_raises_a_clear_error_without_warnings(
    y_true, y_proba, message, no_warnings
):
    with pytest.raises(ValueError, match=message):
        cross_entropy_loss(y_true, y_proba)


def test_column_of_labels_is_hard_labels():
    rng = np.random.default_rng(14)
    y = rng.integers(0, 3, size=30)
    proba = random_proba(rng, 30, 3)
    with pytest.warns(DataConversionWarning):
        loss = cross_entropy_loss(y[:, None], proba)
    assert loss == pytest.approx(log_loss(y, proba), rel=1e-12)


@pytest.mark.parametrize("scale", [1e308, 1e-320])
def test_weights_are_scale_free(scale):
    rng = np.random.default_rng(15)
    y = rng.integers(0, 3, size=30)
    proba = random_proba(rng, 30, 3)
    weights = np.full(30, scale)
    assert cross_entropy_loss(y, proba, sample_weight=weights) == pytest.approx(
        log_loss(y, proba), rel=1e-14
    )


def test_scorer_uses_predict_log_proba_where_proba_underflows():
    # A confidently wrong held-out point: predict_proba is 0, its log -inf,
    # but predict_log_proba is finite, and the scorer must agree with it.
    X = np.r_[np.linspace(-1, 1, 20)][:, None]
    y = (X[:, 0] > 0).astype(int)
    flip = y.copy()
    flip[[9, 10]] = flip[[10, 9]]  # overlap keeps the MLE finite
    from skxent import CrossEntropyClassifier

    ours = CrossEntropyClassifier(alpha=0.0).fit(X, flip)
    far = np.array([[-1e3]])
    assert ours.predict_proba(far)[0, 1] == 0.0  # so log(predict_proba) = -inf
    score = neg_cross_entropy_scorer(ours, far, [1])
    assert np.isfinite(score)
    assert score == ours.score(far, [1])
    assert score == pytest.approx(ours.predict_log_proba(far)[0, 1], rel=1e-14)


@pytest.mark.parametrize("estimator", ["not an estimator", None, np.ones(3)])
def test_scorer_refuses_non_estimators_with_a_type_error(estimator, classification):
    X, y = classification
    with pytest.raises(TypeError, match="needs a fitted scikit-learn estimator"):
        neg_cross_entropy_scorer(estimator, X, y)
