"""GenerativeClassifier: Bayes' rule over one density per class (SPEC §10).

The oracles are scikit-learn's naive Bayes classifiers and quadratic
discriminant analysis, configured alike (the equivalences are derived in the
class's Notes), and the identities of the joint model: soft labels are
weighted hard labels, weights are repetitions, batches are one fit.
"""

import copy
import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import logsumexp, softmax
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.metrics import log_loss
from sklearn.naive_bayes import BernoulliNB, CategoricalNB, GaussianNB, MultinomialNB
from sklearn.neighbors import KernelDensity
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.fixes import parse_version

from skxent import (
    BernoulliDistribution,
    CategoricalDistribution,
    GaussianDistribution,
    GenerativeClassifier,
    MixtureDistribution,
    MultinomialDistribution,
    PoissonDistribution,
    ProductDistribution,
    StudentTDistribution,
)
from skxent.metrics import cross_entropy_loss

# scikit-learn 1.9 made QuadraticDiscriminantAnalysis divide each class's
# scatter by its size (the maximum likelihood covariance) instead of the size
# minus one (scikit-learn pull request #33626).
_QDA_IS_MAXIMUM_LIKELIHOOD = parse_version(sklearn.__version__).release >= (1, 9)


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600], y[:600]


# -- scikit-learn's naive Bayes and QDA, configured alike ----------------------------


@pytest.mark.parametrize("var_smoothing", [1e-9, 1e-2])
def test_equals_gaussian_nb(var_smoothing, iris, rng, no_warnings):
    # GaussianNB adds var_smoothing times the largest variance of the whole
    # training set (unweighted) to every class's maximum likelihood variances.
    X, y = iris
    weights = rng.uniform(0.2, 3.0, size=len(y))
    reg_covar = var_smoothing * X.var(axis=0).max()
    model = GenerativeClassifier(
        GaussianDistribution(covariance_type="diag", reg_covar=reg_covar)
    ).fit(X, y, sample_weight=weights)
    reference = GaussianNB(var_smoothing=var_smoothing).fit(X, y, sample_weight=weights)
    assert_allclose(model.class_prior_, reference.class_prior_, rtol=1e-12)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-8)
    assert_allclose(
        model.predict_log_proba(X), reference.predict_log_proba(X), rtol=1e-9, atol=1e-9
    )
    assert_array_equal(model.predict(X), reference.predict(X))


def test_equals_quadratic_discriminant_analysis(iris, no_warnings):
    X, y = iris  # 50 rows per class
    if _QDA_IS_MAXIMUM_LIKELIHOOD:
        reference = QuadraticDiscriminantAnalysis(reg_param=0.0).fit(X, y)
        model = GenerativeClassifier(GaussianDistribution(reg_covar=0.0)).fit(X, y)
    else:
        # Sigma = (1 - r) S / (m - 1) + r I with r = 1/m is S / m + I / m:
        # the maximum likelihood covariance plus reg_covar = 1/m.
        m = 50
        reference = QuadraticDiscriminantAnalysis(reg_param=1 / m).fit(X, y)
        model = GenerativeClassifier(GaussianDistribution(reg_covar=1 / m)).fit(X, y)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-8)
    assert_array_equal(model.predict(X), reference.predict(X))


@pytest.mark.parametrize("alpha", [0.5, 1.0])
def test_equals_bernoulli_nb(alpha, digits, rng, no_warnings):
    X, y = digits
    weights = rng.integers(1, 4, size=len(y)).astype(float)
    model = GenerativeClassifier(BernoulliDistribution(alpha=alpha, binarize=7.5))
    model.fit(X, y, sample_weight=weights)
    reference = BernoulliNB(alpha=alpha, binarize=7.5).fit(X, y, sample_weight=weights)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-8)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "csr"])
def test_equals_multinomial_nb(sparse, digits, no_warnings):
    # The multinomial coefficient of a row is the same under every class,
    # so it cancels in Bayes' rule.
    X, y = digits
    X = sp.csr_matrix(X) if sparse else X
    model = GenerativeClassifier(MultinomialDistribution(alpha=0.7)).fit(X, y)
    reference = MultinomialNB(alpha=0.7).fit(X, y)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-8)


def test_equals_categorical_nb(digits, rng, no_warnings):
    # CategoricalNB smooths every class over all the categories of the
    # training data, which CategoricalDistribution does when they are declared.
    X, y = digits
    X = (X // 4).astype(int)  # 0..4 per pixel
    weights = rng.uniform(0.5, 2.0, size=len(y))
    reference = CategoricalNB(alpha=1.0).fit(X, y, sample_weight=weights)
    categories = [np.arange(n) for n in reference.n_categories_]
    model = GenerativeClassifier(
        CategoricalDistribution(alpha=1.0, categories=categories)
    )
    model.fit(X, y, sample_weight=weights)
    assert_allclose(model.predict_proba(X), reference.predict_proba(X), atol=1e-8)


def test_categories_seen_in_any_class_are_every_class_categories(no_warnings):
    # With categories="auto" each class still smooths over every value of the
    # training data, so a value seen in one class only is scored by all.
    X = np.array([["a"], ["a"], ["b"], ["c"], ["c"], ["c"]], dtype=object)
    y = [0, 0, 0, 1, 1, 1]
    model = GenerativeClassifier(CategoricalDistribution(alpha=1.0)).fit(X, y)
    for density in model.distributions_:
        assert_array_equal(density.categories_[0], ["a", "b", "c"])
    # Class 0: counts (2, 1, 0) + 1 over 3 + 3; class 1: (0, 0, 3) + 1.
    assert_allclose(model.distributions_[0].probabilities_[0], [3 / 6, 2 / 6, 1 / 6])
    codes = np.array([[0], [0], [1], [2], [2], [2]])
    reference = CategoricalNB(alpha=1.0).fit(codes, y)
    assert_allclose(model.predict_proba(X), reference.predict_proba(codes), atol=1e-12)
    with pytest.raises(ValueError, match="unknown category 'd'"):
        model.predict([["d"]])


def test_mixed_naive_bayes_is_a_product_of_families(rng, no_warnings):
    # Naive Bayes over a mixed table: log p(x | k) is the Gaussian part's plus
    # the categorical part's, so the joint log-likelihoods of GaussianNB and
    # CategoricalNB add up (each includes the log prior once).
    n = 300
    y = rng.integers(3, size=n)
    frame = pd.DataFrame(
        {
            "length": rng.normal(y * 1.5, 1.0),
            "width": rng.normal(-y, 0.5),
            "colour": rng.choice(["red", "green", "blue"], size=n),
        }
    )
    colours = np.array(["blue", "green", "red"])
    model = GenerativeClassifier(
        ProductDistribution(
            [
                (
                    "gaussian",
                    GaussianDistribution(covariance_type="diag", reg_covar=0.0),
                    ["length", "width"],
                ),
                (
                    "colour",
                    CategoricalDistribution(alpha=1.0, categories=[colours]),
                    ["colour"],
                ),
            ]
        )
    ).fit(frame, y)
    gaussian = GaussianNB(var_smoothing=0.0).fit(frame[["length", "width"]], y)
    codes = np.searchsorted(colours, frame["colour"]).reshape(-1, 1)
    categorical = CategoricalNB(alpha=1.0).fit(codes, y)
    joint = (
        gaussian.predict_joint_log_proba(frame[["length", "width"]])
        + categorical.predict_joint_log_proba(codes)
        - np.log(gaussian.class_prior_)
    )
    assert_allclose(model.predict_joint_log_proba(frame), joint, rtol=1e-10)
    assert_allclose(model.predict_proba(frame), softmax(joint, axis=1), atol=1e-10)


def test_mixture_discriminant_analysis(rng, no_warnings):
    # Each class is two blobs, interleaved along a line: the Bayes boundary
    # switches three times, which no quadratic boundary can, while a mixture
    # of two Gaussians per class models each class exactly.
    def make(n):
        blob = rng.integers(4, size=n)
        centres = np.array([[-6.0, 0.0], [-2.0, 0.0], [2.0, 0.0], [6.0, 0.0]])
        return centres[blob] + rng.normal(scale=0.7, size=(n, 2)), blob % 2

    X, y = make(800)
    X_test, y_test = make(800)
    mda = GenerativeClassifier(MixtureDistribution(n_components=2, random_state=0))
    mda.fit(X, y)
    qda = GenerativeClassifier(GaussianDistribution()).fit(X, y)
    assert mda.score(X_test, y_test) > qda.score(X_test, y_test) + 0.3
    assert np.mean(mda.predict(X_test) == y_test) > 0.95
    # Bayes' rule over the fitted class mixtures.
    joint = np.column_stack(
        [
            np.log(p) + d.score_samples(X_test)
            for p, d in zip(mda.class_prior_, mda.distributions_, strict=True)
        ]
    )
    assert_allclose(
        mda.predict_log_proba(X_test),
        joint - logsumexp(joint, axis=1)[:, None],
        rtol=1e-9,
        atol=1e-12,
    )


# -- targets and weights ------------------------------------------------------------


def test_soft_labels_are_weighted_hard_labels(iris, rng, no_warnings):
    # The joint log-likelihood is linear in the targets: a soft row is the row
    # once per class k with weight t_ik.
    X, _ = iris
    soft = rng.dirichlet(np.ones(3), size=len(X))
    weights = rng.uniform(0.5, 2.0, size=len(X))
    model = GenerativeClassifier(GaussianDistribution(covariance_type="diag"))
    from_soft = clone(model).fit(X, soft, sample_weight=weights)
    n_classes = soft.shape[1]
    from_hard = clone(model).fit(
        np.repeat(X, n_classes, axis=0),
        np.tile(np.arange(n_classes), len(X)),
        sample_weight=(soft * weights[:, None]).ravel(),
    )
    assert_array_equal(from_soft.classes_, [0, 1, 2])
    assert_allclose(from_soft.class_prior_, from_hard.class_prior_, rtol=1e-12)
    assert_allclose(from_soft.predict_proba(X), from_hard.predict_proba(X), rtol=1e-9)
    # One-hot soft labels are the hard labels.
    _, y = iris
    one_hot = np.eye(3)[y]
    assert_allclose(
        clone(model).fit(X, one_hot).predict_proba(X),
        clone(model).fit(X, y).predict_proba(X),
        rtol=1e-12,
    )


def test_integer_weights_equal_repeated_rows(iris, rng, no_warnings):
    X, y = iris
    weights = rng.integers(0, 4, size=len(y))
    model = GenerativeClassifier(GaussianDistribution())
    weighted = clone(model).fit(X, y, sample_weight=weights)
    repeated = clone(model).fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-9)
    assert_allclose(weighted.class_count_, np.bincount(y, weights=weights))


def test_class_prior_is_the_weighted_soft_frequency_unless_given(iris, no_warnings):
    X, y = iris
    model = GenerativeClassifier().fit(X, y)
    assert_allclose(model.class_prior_, [1 / 3] * 3)
    priors = np.array([0.2, 0.3, 0.5])
    given = GenerativeClassifier(priors=priors).fit(X, y)
    assert_allclose(given.class_prior_, priors)
    # Bayes' rule with other priors: the log-odds shift by their log-ratio.
    shift = given.predict_log_proba(X) - model.predict_log_proba(X)
    shift -= shift[:, :1]
    assert_allclose(shift, np.tile(np.log(priors / priors[0]), (len(X), 1)), atol=1e-9)


@pytest.mark.parametrize(
    "priors, match",
    [
        ([0.5, 0.5], r"priors has shape \(2,\)"),
        ([0.5, 0.5, 0.5], "do not sum to 1"),
        ([1.5, -0.25, -0.25], "negative"),
    ],
)
def test_bad_priors_are_named(priors, match, iris):
    X, y = iris
    with pytest.raises(ValueError, match=match):
        GenerativeClassifier(priors=priors).fit(X, y)


def test_a_class_without_weight_is_never_predicted(iris, no_warnings):
    X, y = iris
    model = GenerativeClassifier().fit(X, y, classes=[0, 1, 2, 7])
    assert_array_equal(model.classes_, [0, 1, 2, 7])
    assert model.class_prior_[3] == 0
    proba = model.predict_proba(X)
    assert_array_equal(proba[:, 3], 0.0)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert not np.isin(7, model.predict(X))


def test_score_is_minus_the_cross_entropy_of_the_labels(iris, rng, no_warnings):
    X, y = iris
    model = GenerativeClassifier().fit(X, y)
    weights = rng.uniform(size=len(y))
    proba = model.predict_proba(X)
    assert_allclose(model.score(X, y), -log_loss(y, proba), rtol=1e-12)
    assert_allclose(
        model.score(X, y, sample_weight=weights),
        -cross_entropy_loss(y, proba, labels=model.classes_, sample_weight=weights),
        rtol=1e-12,
    )
    soft = rng.dirichlet(np.ones(3), size=len(X))
    assert_allclose(model.score(X, soft), -cross_entropy_loss(soft, proba), rtol=1e-12)


def test_log_proba_is_finite_where_proba_underflows(no_warnings):
    X = np.array([[-1.0], [-0.5], [0.5], [1.0]])
    model = GenerativeClassifier(GaussianDistribution(reg_covar=0.0)).fit(
        X, [0, 0, 1, 1]
    )
    # log p(0 | x) = -(x - m_1)^2 / 2v + (x - m_0)^2 / 2v = -2400 at x = 100
    # (means -0.75 and 0.75, variances 1/16): exp underflows, the log does not.
    far = np.array([[100.0]])
    assert model.predict_proba(far)[0, 0] == 0.0
    log_proba = model.predict_log_proba(far)
    assert_allclose(log_proba[0], [-2400.0, 0.0], rtol=1e-12)


def test_rows_impossible_under_every_class_get_the_prior(no_warnings):
    X = np.array([[0, 1], [0, 1], [1, 0], [1, 1]])
    model = GenerativeClassifier(BernoulliDistribution(binarize=None)).fit(
        X, ["a", "a", "b", "b"]
    )
    outside = np.array([[0.5, 1.0]])
    assert_allclose(model.predict_proba(outside)[0], model.class_prior_)
    assert np.all(np.isneginf(model.predict_joint_log_proba(outside)))


# -- partial_fit ------------------------------------------------------------------


@pytest.mark.parametrize(
    "distribution",
    [GaussianDistribution(), CategoricalDistribution(alpha=0.5)],
    ids=["gaussian", "categorical"],
)
def test_partial_fit_equals_one_fit(distribution, digits, rng, no_warnings):
    X, y = digits
    X = (
        X[:, 20:28] // 4
        if isinstance(distribution, CategoricalDistribution)
        else X[:, 20:28]
    )
    weights = rng.uniform(0.5, 2.0, size=len(y))
    full = GenerativeClassifier(distribution).fit(X, y, sample_weight=weights)
    batches = GenerativeClassifier(distribution)
    # The first batch lacks classes 8 and 9.
    first = y < 8
    batches.partial_fit(
        X[first][:100],
        y[first][:100],
        classes=np.arange(10),
        sample_weight=weights[first][:100],
    )
    rest = np.concatenate([np.flatnonzero(first)[100:], np.flatnonzero(~first)])
    for rows in np.array_split(rest, 3):
        batches.partial_fit(X[rows], y[rows], sample_weight=weights[rows])
    assert_allclose(batches.class_count_, full.class_count_, rtol=1e-12)
    assert_allclose(
        batches.predict_proba(X), full.predict_proba(X), rtol=1e-7, atol=1e-12
    )


def test_partial_fit_checks_its_classes(iris):
    X, y = iris
    model = GenerativeClassifier()
    with pytest.raises(ValueError, match="classes must be passed"):
        model.partial_fit(X, y)
    model.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="differs from classes_"):
        model.partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels not in classes: \[5\]"):
        model.partial_fit(X[:2], [0, 5])


def test_partial_fit_needs_a_distribution_with_partial_fit():
    model = GenerativeClassifier(StudentTDistribution())
    assert not hasattr(model, "partial_fit")
    with pytest.raises(AttributeError) as info:
        model.partial_fit(np.zeros((4, 2)))
    assert "StudentTDistribution has none" in str(info.value.__cause__)


def test_a_failed_partial_fit_leaves_the_model_unchanged(no_warnings):
    X = np.array([[1.0, 2.0], [3.0, 1.0], [0.0, 4.0], [2.0, 2.0]])
    model = GenerativeClassifier(PoissonDistribution()).fit(X, [0, 0, 1, 1])
    before = copy.deepcopy(model)
    # Class 0's density is updated first, then class 1's refuses a negative
    # count: class 0's update must not survive.
    bad = np.array([[5.0, 5.0], [-1.0, 2.0]])
    with pytest.raises(ValueError, match="negative"):
        model.partial_fit(bad, [0, 1])
    assert_allclose(model.distributions_[0].rates_, before.distributions_[0].rates_)
    assert_allclose(model.class_count_, before.class_count_)


# -- the estimator conventions -----------------------------------------------------


def test_dataframes_keep_their_feature_names(iris, no_warnings):
    X, y = iris
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    model = GenerativeClassifier().fit(frame, y)
    assert_array_equal(model.feature_names_in_, ["a", "b", "c", "d"])
    assert_allclose(
        model.predict_proba(frame), GenerativeClassifier().fit(X, y).predict_proba(X)
    )
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(frame.rename(columns={"a": "z"}))


def test_pickle_round_trip(iris, no_warnings):
    X, y = iris
    model = GenerativeClassifier(MixtureDistribution(random_state=0)).fit(X, y)
    restored = pickle.loads(pickle.dumps(model))
    assert_array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_a_failed_fit_leaves_the_model_unchanged(iris):
    X, y = iris
    model = GenerativeClassifier().fit(X, y)
    before = dict(vars(model))
    with pytest.raises(ValueError, match="y has 3 samples but X has 150"):
        model.fit(X, y[:3])
    assert all(vars(model)[name] is value for name, value in before.items())
    assert vars(model).keys() == before.keys()


@pytest.mark.parametrize(
    "params, error, match",
    [
        (
            {"distribution": "gaussian"},
            InvalidParameterError,
            "'distribution' parameter",
        ),
        ({"distribution": KernelDensity()}, TypeError, "distribution must be a skxent"),
        (
            {"distribution": GaussianDistribution(covariance_type="tied")},
            InvalidParameterError,
            "'covariance_type' parameter",
        ),
    ],
)
def test_bad_parameters_are_named(params, error, match, iris):
    X, y = iris
    with pytest.raises(error, match=match):
        GenerativeClassifier(**params).fit(X, y)


# -- Dask ----------------------------------------------------------------------------


def test_fit_on_a_dask_cluster_equals_the_in_memory_fit(iris, rng):
    # Every class's statistics are computed per block on worker processes and
    # merged; predictions are lazy.
    da = pytest.importorskip("dask.array")
    distributed = pytest.importorskip("distributed")
    X, y = iris
    weights = rng.uniform(0.0, 2.0, size=len(y))
    categorical = (X * 2).astype(int)
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    )
    with cluster, distributed.Client(cluster):
        for distribution, data in [
            (GaussianDistribution(), X),
            (CategoricalDistribution(alpha=1.0), categorical),
        ]:
            dX = da.from_array(data, chunks=(40, -1))
            model = GenerativeClassifier(distribution)
            on_dask = clone(model).fit(
                dX, da.from_array(y, chunks=35), sample_weight=weights
            )
            in_memory = clone(model).fit(data, y, sample_weight=weights)
            assert_allclose(on_dask.class_count_, in_memory.class_count_, rtol=1e-12)
            lazy = on_dask.predict_proba(dX)
            assert isinstance(lazy, da.Array)
            assert_allclose(lazy.compute(), in_memory.predict_proba(data), atol=1e-12)
            assert_array_equal(on_dask.predict(dX).compute(), in_memory.predict(data))
        batches = GenerativeClassifier()
        batches.partial_fit(
            da.from_array(X[:90], chunks=(30, -1)), y[:90], classes=[0, 1, 2]
        )
        batches.partial_fit(X[90:], y[90:])
        assert_allclose(
            batches.predict_proba(X),
            GenerativeClassifier().fit(X, y).predict_proba(X),
            rtol=1e-9,
        )
