"""Tests of CrossEntropyClassifier against references and closed forms.

References: scikit-learn's LogisticRegression and MLPClassifier (same objective
up to the scaling of the penalty), sklearn.metrics.log_loss, class frequencies
(the maximum likelihood estimate of a categorical variable), finite differences
of the objective, and slow obviously-correct implementations kept here.
"""

import pickle
import time
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import check_grad
from scipy.special import softmax, xlogy
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_class_weight
from threadpoolctl import threadpool_limits

from skxent import CategoricalDistribution, CrossEntropyClassifier
from skxent.classifier._softmax_loss import SoftmaxCrossEntropyLoss

# Tight enough that two solvers of one strictly convex problem agree to ~1e-8.
TIGHT = dict(tol=1e-10, max_iter=10_000)


def standardized(load):
    X, y = load(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def fit_quietly(estimator, *args, **kwargs):
    """Fit, ignoring the warning that a tolerance below round-off stalls.

    BLAS runs on one thread: scikit-learn's L-BFGS runs take up to 80x longer
    when numpy's and scipy's OpenBLAS thread pools compete for two cores.
    """
    with warnings.catch_warnings(), threadpool_limits(1, user_api="blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(*args, **kwargs)


def assert_same_fit(a, b, atol=1e-7):
    for name in ("coef_", "intercept_"):
        assert_allclose(getattr(a, name), getattr(b, name), rtol=0, atol=atol)


@pytest.fixture(scope="module")
def iris():
    return standardized(load_iris)


# -- reference solutions ------------------------------------------------------


@pytest.mark.parametrize(
    "load", [load_iris, load_wine, load_digits, load_breast_cancer]
)
@pytest.mark.parametrize("alpha", [1e-2, 1e-3])
def test_linear_matches_logistic_regression(load, alpha):
    # LogisticRegression minimizes C * sum_i loss_i + ||W||^2 / 2, i.e. (after
    # division by C * n) mean_i loss_i + ||W||^2 / (2 C n): our objective with
    # alpha = 1 / (C n). Both parametrize K classes by K columns (2 by one).
    X, y = standardized(load)
    C = 1.0 / (len(y) * alpha)
    reference = fit_quietly(LogisticRegression(C=C, tol=1e-10, max_iter=10_000), X, y)
    clf = fit_quietly(CrossEntropyClassifier(alpha=alpha, **TIGHT), X, y)
    assert clf.coef_.shape == reference.coef_.shape
    assert_allclose(clf.coef_, reference.coef_, rtol=0, atol=1e-4)
    assert_allclose(clf.intercept_, reference.intercept_, rtol=0, atol=1e-4)
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_unpenalized_matches_logistic_regression_without_penalty(n_classes):
    # Heavy label noise keeps the classes overlapping, so the unpenalized MLE
    # exists. With K > 2 the softmax logits are defined up to a shift per row,
    # so only probabilities (and centred coefficients) are comparable.
    X, y = make_classification(
        n_samples=300,
        n_features=5,
        n_informative=3,
        n_classes=n_classes,
        flip_y=0.3,
        random_state=0,
    )
    reference = fit_quietly(
        LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000), X, y
    )
    clf = fit_quietly(CrossEntropyClassifier(alpha=0.0, **TIGHT), X, y)
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X), atol=1e-6)
    centred = clf.coef_ - clf.coef_.mean(axis=0) * (n_classes > 2)
    reference_centred = reference.coef_ - reference.coef_.mean(axis=0) * (n_classes > 2)
    assert_allclose(centred, reference_centred, rtol=0, atol=1e-4)


@pytest.mark.parametrize("n_classes", [2, 4])
@pytest.mark.parametrize("weighted", [False, True])
def test_intercept_only_model_predicts_class_frequencies(n_classes, weighted):
    # With one constant column and no penalty, the model can only learn a
    # distribution over classes, and minimum cross-entropy picks the MLE: the
    # (weighted) class frequencies.
    rng = np.random.RandomState(0)
    p = np.arange(1, n_classes + 1) / np.arange(1, n_classes + 1).sum()
    y = rng.choice(n_classes, size=200, p=p)
    sample_weight = rng.randint(1, 4, size=200) if weighted else None
    X = np.ones((200, 1))
    clf = fit_quietly(CrossEntropyClassifier(alpha=0.0, **TIGHT), X, y, sample_weight)
    frequencies = np.bincount(y, weights=sample_weight) / (
        200 if sample_weight is None else sample_weight.sum()
    )
    assert_allclose(clf.predict_proba(X[:1])[0], frequencies, atol=1e-8)
    # The minimum objective is the entropy of the frequencies.
    assert clf.loss_ == pytest.approx(-xlogy(frequencies, frequencies).sum(), 1e-10)


def test_mlp_on_digits_matches_mlp_classifier():
    X, y = standardized(load_digits)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0
    )
    # MLPClassifier's penalty is (alpha / 2n) ||W||^2 on a mean loss.
    mlp_alpha = 1.0
    reference = fit_quietly(
        MLPClassifier(
            (32,), solver="lbfgs", alpha=mlp_alpha, max_iter=300, random_state=0
        ),
        X_train,
        y_train,
    )
    clf = fit_quietly(
        CrossEntropyClassifier(
            hidden_layer_sizes=(32,),
            alpha=mlp_alpha / len(y_train),
            max_iter=300,
            early_stopping=False,  # as the reference, which runs L-BFGS to the end
            random_state=0,
        ),
        X_train,
        y_train,
    )
    assert clf.score(X_train, y_train) > -0.2
    assert (clf.predict(X_train) == y_train).mean() > 0.95
    ours = -clf.score(X_test, y_test)
    theirs = log_loss(y_test, reference.predict_proba(X_test))
    assert ours <= 1.1 * theirs


# -- targets: soft labels, smoothing, weights ----------------------------------


@pytest.mark.parametrize("hidden_layer_sizes", [(), (4,)])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_one_hot_soft_labels_equal_hard_labels(iris, hidden_layer_sizes, n_classes):
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    params = dict(hidden_layer_sizes=hidden_layer_sizes, random_state=0, alpha=1e-2)
    hard = CrossEntropyClassifier(**params).fit(X, y)
    soft = CrossEntropyClassifier(**params).fit(X, np.eye(n_classes)[y])
    assert_array_equal(soft.classes_, np.arange(n_classes))
    assert_allclose(soft.predict_proba(X), hard.predict_proba(X), atol=1e-12)
    assert soft.loss_ == pytest.approx(hard.loss_, rel=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_label_smoothing_equals_fitting_smoothed_soft_labels(iris, n_classes):
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    eps = 0.2
    smoothed = (1 - eps) * np.eye(n_classes)[y] + eps / n_classes
    a = CrossEntropyClassifier(label_smoothing=eps, **TIGHT).fit(X, y)
    b = CrossEntropyClassifier(**TIGHT).fit(X, smoothed)
    assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-10)
    # Smoothing also mixes soft targets with the uniform distribution.
    c = CrossEntropyClassifier(label_smoothing=eps, **TIGHT).fit(
        X, np.eye(n_classes)[y]
    )
    assert_allclose(c.predict_proba(X), b.predict_proba(X), atol=1e-10)


def test_soft_labels_fit_the_expected_cross_entropy(iris):
    # Fitting soft targets t_i is fitting hard labels with weights t_ik:
    # sum_k t_ik H(e_k, q) = H(t_i, q), by linearity of H in its first argument.
    X, y = iris
    rng = np.random.RandomState(0)
    soft = softmax(rng.normal(size=(len(y), 3)) + 3 * np.eye(3)[y], axis=1)
    a = CrossEntropyClassifier(**TIGHT).fit(X, soft)
    stacked_y = np.repeat(np.arange(3)[None, :], len(y), axis=0).ravel()
    b = CrossEntropyClassifier(**TIGHT).fit(
        np.repeat(X, 3, axis=0), stacked_y, sample_weight=soft.ravel()
    )
    assert_same_fit(a, b, atol=1e-7)


def test_class_weight_balanced_equals_sample_weight(iris):
    X, y = iris
    keep = np.r_[0:50, 50:70, 100:150]  # unbalanced classes
    X, y = X[keep], y[keep]
    balanced = compute_class_weight("balanced", classes=np.unique(y), y=y)
    a = CrossEntropyClassifier(class_weight="balanced", **TIGHT).fit(X, y)
    b = CrossEntropyClassifier(**TIGHT).fit(X, y, sample_weight=balanced[y])
    assert_same_fit(a, b)


def test_class_weight_multiplies_sample_weight(iris):
    X, y = iris
    sample_weight = np.random.RandomState(0).uniform(0.5, 2, size=len(y))
    class_weight = {0: 2.0, 1: 0.5}  # class 2 keeps weight 1
    a = CrossEntropyClassifier(class_weight=class_weight, **TIGHT).fit(
        X, y, sample_weight=sample_weight
    )
    factor = np.array([2.0, 0.5, 1.0])[y]
    b = CrossEntropyClassifier(**TIGHT).fit(X, y, sample_weight=sample_weight * factor)
    assert_same_fit(a, b)


@pytest.mark.parametrize("sparse", [False, True])
def test_integer_sample_weight_equals_repetition(iris, sparse):
    X, y = iris
    sample_weight = np.random.RandomState(0).randint(0, 4, size=len(y))
    X_repeated = np.repeat(X, sample_weight, axis=0)
    container = sp.csr_array if sparse else np.asarray
    a = CrossEntropyClassifier(**TIGHT).fit(container(X), y, sample_weight)
    b = CrossEntropyClassifier(**TIGHT).fit(
        container(X_repeated), np.repeat(y, sample_weight)
    )
    assert_same_fit(a, b)
    assert a.loss_ == pytest.approx(b.loss_, rel=1e-12)


def test_sparse_input_equals_dense_and_is_not_densified(iris):
    X, y = iris

    class NoDensifying(sp.csr_array):
        def toarray(self, *args, **kwargs):
            raise AssertionError("X was densified")

        todense = toarray

        def __array__(self, *args, **kwargs):
            raise AssertionError("X was densified")

    X_sparse = NoDensifying(X)
    dense = CrossEntropyClassifier(**TIGHT).fit(X, y)
    sparse = CrossEntropyClassifier(**TIGHT).fit(X_sparse, y)
    assert_allclose(sparse.predict_proba(X_sparse), dense.predict_proba(X), atol=1e-8)
    # The perceptron's objective is not convex, so round-off can steer two
    # runs to different local minima: compare the objective itself.
    target = np.eye(3)[y]
    losses = [
        SoftmaxCrossEntropyLoss(
            data, target, np.ones(150), hidden_layer_sizes=(3,), alpha=0.1
        )
        for data in (X, X_sparse)
    ]
    theta = np.random.RandomState(0).normal(size=losses[0].layout.n_parameters)
    for a, b in zip(*(loss.loss_gradient(theta) for loss in losses), strict=True):
        assert_allclose(a, b, rtol=1e-12)
    fit_quietly(
        CrossEntropyClassifier(hidden_layer_sizes=(3,), max_iter=5), X_sparse, y
    )


# -- the loss object -------------------------------------------------------------


@pytest.mark.parametrize(
    "hidden_layer_sizes, activation",
    [((), "identity")]
    + [((6,), activation) for activation in ("relu", "tanh", "logistic", "identity")]
    + [((5, 4), "relu"), ((5, 4), "tanh")],
)
@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_gradient_matches_finite_differences(
    hidden_layer_sizes, activation, n_outputs, weighted
):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 5))
    # Soft targets exercise the general formula; two classes use a single
    # logistic output. Rows summing to 1 + 5e-7 (accepted by fit's tolerance)
    # exercise the exact form s logsumexp(z) - t.z.
    target = softmax(rng.normal(size=(30, max(n_outputs, 2))), axis=1)
    target *= 1 + 5e-7
    sample_weight = rng.uniform(0, 3, size=30) if weighted else np.ones(30)
    loss = SoftmaxCrossEntropyLoss(
        X,
        target,
        sample_weight,
        hidden_layer_sizes=hidden_layer_sizes,
        activation=activation,
        alpha=0.1,
    )
    assert loss.layout.layer_sizes[-1] == n_outputs
    theta = rng.normal(size=loss.layout.n_parameters)
    error = check_grad(loss.loss, loss.gradient, theta, epsilon=1e-7)
    assert error < 1e-5 * np.linalg.norm(loss.gradient(theta))


def test_loss_value_is_the_weighted_mean_cross_entropy_plus_penalty():
    # Slow, obviously correct evaluation of the objective.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 4))
    target = softmax(rng.normal(size=(20, 3)), axis=1)
    weight = rng.uniform(size=20)
    theta = rng.normal(size=15)
    W, b = theta[:12].reshape(4, 3), theta[12:]
    proba = softmax(X @ W + b, axis=1)
    expected = np.average(-xlogy(target, proba).sum(axis=1), weights=weight)
    expected += 0.05 * np.sum(W**2)
    loss = SoftmaxCrossEntropyLoss(X, target, weight, alpha=0.1)
    assert loss.loss(theta) == pytest.approx(expected, rel=1e-12)


# -- predictions and score -------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
def test_score_is_negative_log_loss(iris, n_classes):
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = CrossEntropyClassifier().fit(X, labels)
    weight = np.random.RandomState(0).uniform(size=len(y))
    proba = clf.predict_proba(X)
    assert clf.score(X, labels) == pytest.approx(-log_loss(labels, proba), rel=1e-12)
    assert clf.score(X, labels, sample_weight=weight) == pytest.approx(
        -log_loss(labels, proba, sample_weight=weight), rel=1e-12
    )


def test_score_on_soft_labels_is_negative_cross_entropy(iris):
    X, y = iris
    soft = softmax(np.random.RandomState(0).normal(size=(len(y), 3)), axis=1)
    clf = CrossEntropyClassifier().fit(X, y)
    expected = -np.mean(-xlogy(soft, clf.predict_proba(X)).sum(axis=1))
    assert clf.score(X, soft) == pytest.approx(expected, rel=1e-10)
    from skxent.metrics import cross_entropy_loss

    try:
        reference = cross_entropy_loss(soft, clf.predict_proba(X))
    except NotImplementedError:
        pytest.skip("skxent.metrics.cross_entropy_loss is not implemented yet")
    assert clf.score(X, soft) == pytest.approx(-reference, rel=1e-10)


def test_cross_validation_selects_by_held_out_cross_entropy(iris):
    # With no scoring argument, model selection uses score: -log_loss.
    X, y = iris
    clf = CrossEntropyClassifier()
    scores = cross_val_score(clf, X, y, cv=3)
    expected = cross_val_score(clf, X, y, cv=3, scoring="neg_log_loss")
    assert_allclose(scores, expected, rtol=1e-12)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_log_proba_is_finite_for_huge_logits(iris, n_classes):
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    clf = CrossEntropyClassifier().fit(X, y)
    scale = 1e4 / np.abs(clf.decision_function(X)).max()
    X_far = X * scale * 2  # logits of order 1e4
    raw = clf.decision_function(X_far)
    assert np.abs(raw).max() > 5e3
    log_proba = clf.predict_log_proba(X_far)
    assert np.all(np.isfinite(log_proba))
    assert_allclose(np.logaddexp.reduce(log_proba, axis=1), 0, atol=1e-12)
    assert_array_equal(clf.predict(X_far), clf.classes_[log_proba.argmax(axis=1)])
    assert_allclose(clf.predict_proba(X_far), np.exp(log_proba))


def test_binary_model_has_one_logistic_output(iris):
    X, y = iris
    X, y = X[y > 0], y[y > 0]
    clf = CrossEntropyClassifier().fit(X, y)
    assert clf.coef_.shape == (1, X.shape[1])
    assert clf.intercept_.shape == (1,)
    z = clf.decision_function(X)
    assert_allclose(clf.predict_proba(X)[:, 1], 1 / (1 + np.exp(-z)))


def test_float32_input_fits_in_float64(iris):
    X, y = iris
    a = CrossEntropyClassifier(**TIGHT).fit(X.astype(np.float32), y)
    b = CrossEntropyClassifier(**TIGHT).fit(X.astype(np.float32).astype(np.float64), y)
    assert a.coef_.dtype == np.float64
    assert_same_fit(a, b, atol=0)


def test_fit_intercept_false(iris):
    X, y = iris
    clf = CrossEntropyClassifier(fit_intercept=False).fit(X, y)
    assert_array_equal(clf.intercept_, np.zeros(3))
    assert_allclose(clf.decision_function(X), X @ clf.coef_.T)


# -- optimiser behaviour -------------------------------------------------------


def test_warm_start_continues_from_previous_solution(iris):
    X, y = iris
    clf = CrossEntropyClassifier(warm_start=True, **TIGHT).fit(X, y)
    coef = clf.coef_.copy()
    fit_quietly(clf, X, y)
    assert clf.n_iter_ <= 2
    assert_allclose(clf.coef_, coef, atol=1e-6)


def test_warm_start_with_other_classes_raises_and_keeps_fit(iris):
    X, y = iris
    clf = CrossEntropyClassifier(warm_start=True).fit(X, y)
    coef = clf.coef_.copy()
    with pytest.raises(ValueError, match="warm_start"):
        clf.fit(X[y < 2], y[y < 2])
    assert_array_equal(clf.coef_, coef)
    assert_array_equal(clf.classes_, [0, 1, 2])


def test_max_iter_reached_warns(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        clf = CrossEntropyClassifier(max_iter=2).fit(X, y)
    assert clf.n_iter_ == 2


def test_verbose_prints_the_loss(iris, capsys):
    X, y = iris
    clf = CrossEntropyClassifier(verbose=1).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == clf.n_iter_
    assert lines[-1] == f"Iteration {clf.n_iter_}, loss = {clf.loss_:.10g}"


def test_random_state_makes_the_mlp_reproducible(iris):
    X, y = iris
    params = dict(hidden_layer_sizes=(5,), max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = CrossEntropyClassifier(random_state=0, **params).fit(X, y)
        b = CrossEntropyClassifier(random_state=0, **params).fit(X, y)
        c = CrossEntropyClassifier(random_state=1, **params).fit(X, y)
    for a_coef, b_coef in zip(a.coefs_, b.coefs_, strict=True):
        assert_array_equal(a_coef, b_coef)
    assert not np.allclose(a.coefs_[0], c.coefs_[0])
    assert [coef.shape for coef in a.coefs_] == [(4, 5), (5, 3)]


def test_changing_architecture_replaces_fitted_attributes(iris):
    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    clf.set_params(hidden_layer_sizes=(3,), random_state=0).fit(X, y)
    assert not hasattr(clf, "coef_")
    assert len(clf.coefs_) == 2
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


# -- bad input -----------------------------------------------------------------


def _snapshot(estimator):
    return {
        name: (value.copy() if isinstance(value, np.ndarray) else value)
        for name, value in vars(estimator).items()
    }


def _assert_unchanged(estimator, snapshot):
    assert set(vars(estimator)) == set(snapshot)
    for name, value in snapshot.items():
        assert_array_equal(getattr(estimator, name), value)


@pytest.mark.parametrize(
    "make_bad, params, match",
    [
        (lambda X, y: (X, np.zeros_like(y)), {}, "at least 2 classes"),
        (lambda X, y: (np.where(X > 1, np.nan, X), y), {}, "NaN"),
        (
            lambda X, y: (X, np.eye(3)[y] * 0.9),
            {},
            "do not sum to 1",
        ),
        (
            lambda X, y: (X, np.eye(3)[y] * 2 - np.full((len(y), 3), 1 / 3)),
            {},
            "negative",
        ),
        (lambda X, y: (X, y + 0.5), {}, "continuous"),
        (lambda X, y: (X, y), {"label_smoothing": 1.0}, "label_smoothing"),
        (lambda X, y: (X, y), {"label_smoothing": -0.1}, "label_smoothing"),
        (lambda X, y: (X, y), {"class_weight": {7: 1.0}}, "not classes"),
        (lambda X, y: (X, y), {"hidden_layer_sizes": (3, 0)}, "hidden_layer_sizes"),
    ],
)
def test_bad_fit_input_raises_and_leaves_estimator_unchanged(
    iris, make_bad, params, match
):
    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    clf.set_params(**params)
    snapshot = _snapshot(clf)
    with pytest.raises(ValueError, match=match):
        clf.fit(*make_bad(X, y))
    _assert_unchanged(clf, snapshot)


@pytest.mark.parametrize(
    "sample_weight, match",
    [(-np.ones(150), "Negative"), (np.zeros(150), "non-zero|positive sum")],
)
def test_bad_sample_weight_raises_and_leaves_estimator_unchanged(
    iris, sample_weight, match
):
    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    snapshot = _snapshot(clf)
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y, sample_weight=sample_weight)
    _assert_unchanged(clf, snapshot)


def test_unfitted_estimator_stays_unfitted_after_error(iris):
    X, y = iris
    clf = CrossEntropyClassifier()
    with pytest.raises(ValueError):
        clf.fit(X, np.zeros_like(y))
    assert vars(clf) == vars(clone(clf))


def test_bad_predict_and_score_input(iris):
    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict_proba(X[:, :3])
    with pytest.raises(ValueError, match=r"not in classes_: \[5\]"):
        clf.score(X, np.where(y == 2, 5, y))
    with pytest.raises(ValueError, match="must have the shape of the predictions"):
        clf.score(X, np.full((150, 4), 0.25))


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    labels=st.lists(
        st.sampled_from(["ant", "bee", "cat", "dog"]), min_size=2, max_size=40
    ).filter(lambda labels: len(set(labels)) >= 2),
    data=st.data(),
)
def test_minimum_cross_entropy_is_the_categorical_mle(labels, data):
    # SPEC: with no informative feature and alpha=0 the classifier's
    # probabilities are the CategoricalDistribution MLE of y, for any labels
    # and any integer weights (which equal repeated rows in both models).
    y = np.array(labels, dtype=object)
    weights = np.array(
        data.draw(st.lists(st.integers(1, 5), min_size=len(y), max_size=len(y)))
    )
    X = np.ones((len(y), 1))
    clf = fit_quietly(CrossEntropyClassifier(alpha=0.0, **TIGHT), X, y, weights)
    mle = CategoricalDistribution(alpha=0.0).fit(y[:, None], sample_weight=weights)
    assert_array_equal(clf.classes_, mle.categories_[0])
    assert_allclose(clf.predict_proba(X[:1])[0], mle.probabilities_[0], atol=1e-7)
    # ... and the minimum objective is the entropy of that MLE.
    assert clf.loss_ == pytest.approx(mle.entropy(), abs=1e-9)


# -- regressions of issue 7 ------------------------------------------------------


def test_soft_labels_off_by_the_tolerance_keep_the_objective_bounded(iris):
    # Rows summing to 1 + 5e-7 are accepted; with logsumexp(z) - t.z they
    # made the objective unbounded along the intercepts (loss_ -1.36e7).
    X, y = iris
    soft = softmax(np.random.RandomState(0).normal(size=(150, 3)) + 3 * np.eye(3)[y], 1)
    exact = CrossEntropyClassifier(**TIGHT).fit(X, soft)
    off = fit_quietly(CrossEntropyClassifier(**TIGHT), X, soft * (1 + 5e-7))
    assert off.loss_ == pytest.approx(exact.loss_, rel=1e-9)
    assert_same_fit(off, exact, atol=1e-6)


@pytest.mark.parametrize("scale", [1e308, 1e-320])
def test_weights_are_scale_free(iris, scale):
    X, y = iris
    unit = CrossEntropyClassifier().fit(X, y)
    scaled = CrossEntropyClassifier().fit(X, y, sample_weight=np.full(150, scale))
    assert_same_fit(scaled, unit, atol=0)
    weights = np.full(150, scale)
    assert scaled.score(X, y, sample_weight=weights) == unit.score(X, y)


def test_overflowing_input_gives_clear_errors_not_nan(iris):
    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    with pytest.raises(ValueError, match="too large in magnitude"):
        clf.predict_log_proba(np.full((1, 4), 1e308))
    with pytest.raises(ValueError, match="too large in magnitude"):
        CrossEntropyClassifier().fit(X * 1e300, y)


def test_predictions_use_the_activation_of_fit(iris):
    X, y = iris
    clf = fit_quietly(
        CrossEntropyClassifier(
            hidden_layer_sizes=(5,), activation="tanh", max_iter=50, random_state=0
        ),
        X,
        y,
    )
    proba = clf.predict_proba(X)
    clf.set_params(activation="relu")
    assert_array_equal(clf.predict_proba(X), proba)
    clf.set_params(activation="bogus")
    assert_array_equal(clf.predict(X), clf.classes_[proba.argmax(axis=1)])


def test_score_of_a_confident_mistake_is_finite_and_equals_the_scorer(iris):
    # One quantity, one number: the scorer used log(predict_proba) = -inf.
    from scipy.special import log_expit

    from skxent.metrics import neg_cross_entropy_scorer

    X, y = iris
    X, y = X[y > 0], y[y > 0]
    clf = CrossEntropyClassifier(alpha=0.0).fit(X, y)
    far = X[:1] * 1e3
    z = clf.decision_function(far)
    wrong = np.where(z > 0, 1, 2)  # the class the model all but excludes
    expected = log_expit(-z) if wrong[0] == 1 else log_expit(z)
    assert np.isfinite(expected[0]) and expected[0] < -100
    assert clf.score(far, wrong) == pytest.approx(expected[0], rel=1e-12)
    assert neg_cross_entropy_scorer(clf, far, wrong) == clf.score(far, wrong)


def test_column_of_labels_scores_as_labels_in_score_and_scorer(iris):
    from skxent.metrics import neg_cross_entropy_scorer

    X, y = iris
    clf = CrossEntropyClassifier().fit(X, y)
    expected = -log_loss(y, clf.predict_proba(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConversionWarning)
        assert clf.score(X, y[:, None]) == pytest.approx(expected, rel=1e-12)
        assert neg_cross_entropy_scorer(clf, X, y[:, None]) == clf.score(X, y[:, None])


@pytest.mark.parametrize("hidden_layer_sizes", [(), (4,)])
def test_soft_labels_fit_with_class_names(iris, hidden_layer_sizes):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])
    params = dict(hidden_layer_sizes=hidden_layer_sizes, random_state=0)
    named = CrossEntropyClassifier(**params).fit(X, np.eye(3)[y], classes=names)
    plain = CrossEntropyClassifier(**params).fit(X, names[y])
    assert_array_equal(named.classes_, names)
    assert_array_equal(named.predict(X), plain.predict(X))
    assert named.score(X, names[y]) == pytest.approx(plain.score(X, names[y]))


def test_hard_labels_with_classes_set_the_order_of_classes(iris):
    X, y = iris
    clf = CrossEntropyClassifier(**TIGHT).fit(X, y, classes=[2, 0, 1])
    reference = CrossEntropyClassifier(**TIGHT).fit(X, y)
    assert_array_equal(clf.classes_, [2, 0, 1])
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X)[:, [2, 0, 1]])
    assert_array_equal(clf.predict(X), reference.predict(X))


@pytest.mark.parametrize(
    "params, y_of, match",
    [
        ({}, lambda y: np.eye(3)[y] + np.eye(3)[(y + 1) % 3], "multilabel targets"),
        ({"class_weight": {0: "a"}}, lambda y: y, r"class_weight\[0\]"),
        ({"class_weight": {0: None}}, lambda y: y, r"class_weight\[0\]"),
        ({}, lambda y: np.where(y == 0, None, y).astype(object), "missing labels"),
    ],
)
def test_bad_targets_and_class_weights_name_the_problem(iris, params, y_of, match):
    X, y = iris
    with pytest.raises(ValueError, match=match):
        CrossEntropyClassifier(**params).fit(X, y_of(y))


def test_overlapping_limits_in_threads_restore_the_blas_limit():
    # Eight overlapping fits: entering and leaving threadpoolctl's limit per
    # fit let a fit that started second "restore" the first one's limit of
    # one thread, for good (with per-fit limits this ends at 1 every time).
    from threading import Thread

    from skxent._blas import _scipy_blas_controller, scipy_blas_single_threaded

    controller = _scipy_blas_controller()
    original = {lib.num_threads for lib in controller.lib_controllers}
    if original <= {1}:
        pytest.skip("scipy's BLAS already runs on one thread (or is numpy's)")
    rng = np.random.default_rng(0)

    seen_inside = []

    def fit(seconds):
        with scipy_blas_single_threaded():
            seen_inside.append({lib.num_threads for lib in controller.lib_controllers})
            time.sleep(seconds)

    for _ in range(3):
        threads = [Thread(target=fit, args=(s,)) for s in rng.uniform(0, 0.01, 8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert {lib.num_threads for lib in controller.lib_controllers} == original
    assert len(seen_inside) == 24


@pytest.mark.xfail(
    reason=(
        "known bug: after fits in the main thread, a limit entered by one "
        "thread is not always what another thread's scipy OpenBLAS reports "
        "(it reads 2 threads inside the limit when this file runs whole, 1 "
        "when this test runs alone); the limit is process-wide by design and "
        "is not yet in force in every thread"
    ),
    strict=False,
)
def test_blas_limit_is_in_force_in_every_overlapping_thread():
    from threading import Thread

    from skxent._blas import _scipy_blas_controller, scipy_blas_single_threaded

    controller = _scipy_blas_controller()
    if {lib.num_threads for lib in controller.lib_controllers} <= {1}:
        pytest.skip("scipy's BLAS already runs on one thread (or is numpy's)")
    seen_inside = []

    def fit(seconds):
        with scipy_blas_single_threaded():
            seen_inside.append({lib.num_threads for lib in controller.lib_controllers})
            time.sleep(seconds)

    threads = [Thread(target=fit, args=(s,)) for s in np.linspace(0, 0.01, 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Checked here, not in the threads: an assertion failing in a thread
    # only prints a warning and cannot fail the test.
    assert seen_inside == [{1}] * 8


def test_concurrent_classifier_fits_equal_sequential_fits(iris):
    from concurrent.futures import ThreadPoolExecutor

    X, y = iris
    alphas = np.logspace(-4, -1, 8)
    with ThreadPoolExecutor(4) as pool:
        fits = [
            pool.submit(CrossEntropyClassifier(alpha=a, **TIGHT).fit, X, y)
            for a in alphas
        ]
    for alpha, future in zip(alphas, fits, strict=True):
        reference = CrossEntropyClassifier(alpha=alpha, **TIGHT).fit(X, y)
        assert_array_equal(future.result().coef_, reference.coef_)


# -- early stopping (issue 12) ---------------------------------------------------


@pytest.fixture(scope="module")
def noisy():
    # Few informative features and many noisy labels: a perceptron fit to
    # the end overfits, and held-out cross-entropy turns up early.
    X, y = make_classification(
        n_samples=1000, n_features=20, n_informative=3, flip_y=0.3, random_state=0
    )
    return train_test_split(StandardScaler().fit_transform(X), y, random_state=0)


def test_early_stopping_keeps_the_best_held_out_parameters(noisy):
    X, X_test, y, y_test = noisy
    params = dict(hidden_layer_sizes=(50,), random_state=0)
    clf = CrossEntropyClassifier(**params).fit(X, y)  # "auto": on, 750 rows
    assert clf.validation_scores_ is not None
    assert len(clf.loss_curve_) == len(clf.validation_scores_) == clf.n_iter_
    best = int(np.argmax(clf.validation_scores_))
    assert clf.best_validation_score_ == clf.validation_scores_[best]
    assert best == clf.n_iter_ - 1 - clf.n_iter_no_change
    # The kept parameters are those of the best iteration, not the last.
    stopped_later = CrossEntropyClassifier(max_iter=best + 1, **params).set_params(
        early_stopping=True, n_iter_no_change=10_000
    )
    fit_quietly(stopped_later, X, y)
    assert_allclose(stopped_later.predict_proba(X_test), clf.predict_proba(X_test))
    run_to_the_end = fit_quietly(
        CrossEntropyClassifier(early_stopping=False, **params), X, y
    )
    assert clf.score(X_test, y_test) > run_to_the_end.score(X_test, y_test)


def test_early_stopping_auto_is_off_for_the_linear_model_and_small_data(iris):
    X, y = iris
    linear = CrossEntropyClassifier().fit(X, y)
    assert linear.validation_scores_ is None
    assert linear.loss_curve_[-1] == linear.loss_
    small = fit_quietly(CrossEntropyClassifier(hidden_layer_sizes=(3,)), X, y)
    assert small.validation_scores_ is None  # 15 held-out rows only


def test_convergence_warning_advises_scaling_only_for_unscaled_data(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning) as record:
        CrossEntropyClassifier(max_iter=2).fit(X, y)
    assert "scale" not in str(record[0].message)
    with pytest.warns(ConvergenceWarning, match="scale the data"):
        CrossEntropyClassifier(max_iter=2).fit(X * 1000, y)
