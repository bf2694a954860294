"""Fits on Dask collections equal the in-memory fits (SPEC §11).

The tests run on a real ``dask.distributed.LocalCluster`` of worker
processes on localhost, started and stopped here, so that estimators, blocks
and statistics really cross process boundaries (pickling included), and the
threaded scheduler is tried once as well.
"""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone

from skxent.distributions._base import MLEDistribution
from skxent.distributions._registry import FAMILIES
from tests.family_cases import all_cases

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

CASES = all_cases()


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def _as_dask(X, rows_per_chunk):
    if X.dtype == object:
        frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
        # Typed columns: dask turns object columns into strings.
        frame = frame.infer_objects()
        return frame, dd.from_pandas(frame, chunksize=rows_per_chunk)
    return X, da.from_array(X, chunks=(rows_per_chunk, -1))


#: Families fit from mergeable sufficient statistics: the ones a cluster fits
#: block by block (the others say so with NotImplementedError).
MLE_NAMES = [cls._family.name for cls in FAMILIES if issubclass(cls, MLEDistribution)]


@pytest.mark.parametrize("name", MLE_NAMES)
def test_fit_on_a_cluster_equals_the_in_memory_fit(client, name):
    case = CASES[name]
    rng = np.random.default_rng(0)
    X, dX = _as_dask(case.make_data(rng, 3000), 700)
    weights = rng.uniform(0.0, 2.0, size=3000)
    in_memory = clone(case.estimator).fit(X, sample_weight=weights)
    on_dask = clone(case.estimator).fit(
        dX, sample_weight=da.from_array(weights, chunks=500)
    )
    for attribute in type(in_memory)._family.parameters:
        expected, got = getattr(in_memory, attribute), getattr(on_dask, attribute)
        if isinstance(expected, list):
            for e, g in zip(expected, got, strict=True):
                if np.asarray(e).dtype == object:
                    assert_array_equal(g, e)
                else:
                    assert_allclose(g, e, rtol=1e-12)
        else:
            assert isinstance(got, np.ndarray | float)
            assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    lazy = on_dask.score_samples(dX)
    assert isinstance(lazy, da.Array)
    # atol: a log-density near zero (1e-3, say) differs by rounding of the
    # terms that cancel to it, not relatively to it.
    assert_allclose(lazy.compute(), in_memory.score_samples(X), rtol=1e-11, atol=1e-12)
    assert_allclose(
        on_dask.score(dX, sample_weight=weights),
        in_memory.score(X, sample_weight=weights),
        rtol=1e-11,
    )


def test_partial_fit_of_dask_batches_equals_one_fit(client):
    case = CASES["gaussian"]
    X = case.make_data(np.random.default_rng(1), 2000)
    dX = da.from_array(X, chunks=(300, -1))
    batches = clone(case.estimator)
    batches.partial_fit(dX[:1100])
    batches.partial_fit(X[1100:])  # dask and numpy batches mix
    assert_allclose(batches.covariance_, clone(case.estimator).fit(X).covariance_)


def test_unknown_chunk_sizes_and_column_chunks(client):
    X = CASES["gaussian"].make_data(np.random.default_rng(2), 1000)
    dX = da.from_array(X, chunks=(128, 1))
    selected = dX[dX[:, 0] > 0]  # unknown row counts
    expected = clone(CASES["gaussian"].estimator).fit(X[X[:, 0] > 0])
    got = clone(CASES["gaussian"].estimator).fit(selected)
    assert_allclose(got.covariance_, expected.covariance_, rtol=1e-12)


def test_mismatched_weights_and_zero_weights_are_clear_errors(client):
    X = da.from_array(np.ones((100, 2)) + np.arange(100)[:, None], chunks=(30, 2))
    estimator = clone(CASES["gaussian"].estimator)
    with pytest.raises(ValueError, match=r"sample_weight has shape \(7,\)"):
        estimator.fit(X, sample_weight=np.ones(7))
    with pytest.raises(ValueError, match="positive sum"):
        estimator.fit(X, sample_weight=da.zeros(100, chunks=40))
    assert not hasattr(estimator, "mean_")


def test_threaded_scheduler_gives_the_same_fit():
    import dask

    X = CASES["gaussian"].make_data(np.random.default_rng(3), 1500)
    with dask.config.set(scheduler="threads"):
        got = clone(CASES["gaussian"].estimator).fit(da.from_array(X, chunks=200))
    expected = clone(CASES["gaussian"].estimator).fit(X)
    assert_allclose(got.mean_, expected.mean_, rtol=1e-13)


# -- CrossEntropyClassifier ---------------------------------------------------------


def _classification_data(rng, n_samples=2400, n_features=6, n_classes=3):
    X = rng.normal(size=(n_samples, n_features))
    W = rng.normal(size=(n_features, n_classes))
    logits = X @ W
    proba = np.exp(logits - logits.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(n_classes, p=p) for p in proba])
    return X, y, proba


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"alpha": 1e-2, "class_weight": "balanced"},
        # A network's path is chaotic over hundreds of steps: compared after
        # a few, where both runs still follow the same path.
        pytest.param(
            {"hidden_layer_sizes": (5,), "early_stopping": False, "random_state": 0},
            marks=pytest.mark.filterwarnings("ignore::UserWarning"),
            id="mlp-15-steps",
        ),
    ],
)
def test_classifier_fit_on_a_cluster_equals_the_in_memory_fit(client, params):
    from skxent import CrossEntropyClassifier

    rng = np.random.default_rng(1)
    X, y, _ = _classification_data(rng)
    weights = rng.uniform(0.0, 2.0, size=len(y))
    labels = np.array(["a", "b", "c"])[y]
    max_iter = 15 if "hidden_layer_sizes" in params else 500
    model = CrossEntropyClassifier(tol=1e-10, max_iter=max_iter, **params)
    in_memory = clone(model).fit(X, labels, sample_weight=weights)
    on_dask = clone(model).fit(
        da.from_array(X, chunks=(500, 3)),
        da.from_array(labels, chunks=700),
        sample_weight=da.from_array(weights, chunks=900),
    )
    assert_array_equal(on_dask.classes_, in_memory.classes_)
    # The same objective summed in another order: the same optimum, to the
    # optimiser's tolerance rather than to rounding.
    assert_allclose(on_dask.loss_, in_memory.loss_, rtol=1e-9)
    assert_allclose(on_dask.predict_proba(X), in_memory.predict_proba(X), atol=1e-5)
    lazy = on_dask.predict_proba(da.from_array(X, chunks=(700, -1)))
    assert isinstance(lazy, da.Array)
    assert_allclose(lazy.compute(), on_dask.predict_proba(X), rtol=1e-12)
    assert_array_equal(
        on_dask.predict(da.from_array(X, chunks=(700, -1))).compute(),
        on_dask.predict(X),
    )


def test_classifier_fit_on_soft_labels_as_a_dask_array(client):
    from skxent import CrossEntropyClassifier

    rng = np.random.default_rng(2)
    X, _, proba = _classification_data(rng, n_samples=1500)
    model = CrossEntropyClassifier(tol=1e-10, max_iter=500)
    in_memory = clone(model).fit(X, proba, classes=["x", "y", "z"])
    on_dask = clone(model).fit(
        da.from_array(X, chunks=(400, -1)),
        da.from_array(proba, chunks=(400, -1)),
        classes=["x", "y", "z"],
    )
    assert_array_equal(on_dask.classes_, ["x", "y", "z"])
    assert_allclose(on_dask.coef_, in_memory.coef_, rtol=1e-5, atol=1e-6)


def test_classifier_on_dask_refuses_what_it_cannot_do(client):
    from skxent import CrossEntropyClassifier

    X = da.from_array(np.random.default_rng(3).normal(size=(100, 2)), chunks=50)
    with pytest.raises(ValueError, match="early_stopping=True is not available"):
        CrossEntropyClassifier(early_stopping=True).fit(X, np.arange(100) % 2)
    with pytest.raises(ValueError, match=r"y has shape \(99,\)"):
        CrossEntropyClassifier().fit(X, np.arange(99) % 2)
    with pytest.raises(ValueError, match="at least 2 classes"):
        CrossEntropyClassifier().fit(X, np.zeros(100))


def test_a_family_without_mergeable_statistics_says_so_on_dask(client):
    # Student-t is fit by EM over every row: no per-block statistics exist.
    from skxent import StudentTDistribution

    X = da.from_array(np.random.default_rng(0).standard_t(5, size=(100, 2)))
    with pytest.raises(NotImplementedError, match="Dask"):
        StudentTDistribution().fit(X)


# -- MixtureDistribution ------------------------------------------------------------


def _mixture_data(name, rng, n_samples=3000):
    if name == "poisson":
        low = rng.poisson(2.0, size=(n_samples // 2, 2))
        return np.concatenate([low, rng.poisson(9.0, size=(n_samples // 2, 2))])
    left = rng.normal(-2.0, 1.0, size=(n_samples // 2, 3))
    return np.concatenate([left, rng.normal(2.0, 0.6, size=(n_samples // 2, 3))])


@pytest.mark.parametrize("name", ["gaussian", "poisson"])
def test_mixture_em_on_a_cluster_equals_em_in_memory(client, name, monkeypatch):
    # The in-memory fit is started from the dask fit's initial
    # responsibilities (each block's own "random" draws), so that both run
    # EM from the same start: the test of the per-block E-step, statistics,
    # merges and stopping rule.
    from skxent import MixtureDistribution, PoissonDistribution
    from skxent.mixture import _dask_em, _mixture

    rng = np.random.default_rng(4)
    X = _mixture_data(name, rng)
    weights = rng.uniform(0.1, 2.0, size=len(X))
    component = PoissonDistribution() if name == "poisson" else None
    model = MixtureDistribution(
        component, init_params="random", random_state=0, tol=1e-8, max_iter=500
    )
    on_dask = clone(model).fit(
        da.from_array(X, chunks=(700, -1)),
        sample_weight=da.from_array(weights, chunks=900),
    )
    start = _dask_em.random_start(np.random.RandomState(0), 2)
    responsibilities = np.hstack(
        [
            start.responsibilities(X[i : i + 700], index)
            for index, i in enumerate(range(0, len(X), 700))
        ]
    )
    monkeypatch.setattr(
        _mixture, "initial_responsibilities", lambda *args: responsibilities
    )
    in_memory = clone(model).fit(X, sample_weight=weights)
    assert on_dask.n_iter_ == in_memory.n_iter_ > 5
    assert_allclose(on_dask.weights_, in_memory.weights_, rtol=1e-10)
    assert_allclose(on_dask.lower_bounds_, in_memory.lower_bounds_, rtol=1e-12)
    attributes = ["rates_"] if name == "poisson" else ["mean_", "covariance_"]
    for got, expected in zip(on_dask.components_, in_memory.components_, strict=True):
        for attribute in attributes:
            assert isinstance(getattr(got, attribute), np.ndarray)
            assert_allclose(
                getattr(got, attribute), getattr(expected, attribute), rtol=1e-10
            )
    dX = da.from_array(X, chunks=(1000, -1))
    assert_allclose(on_dask.score_samples(dX).compute(), in_memory.score_samples(X))
    assert_allclose(
        on_dask.predict_component_proba(dX).compute(),
        in_memory.predict_component_proba(X),
        atol=1e-10,
    )
    assert_array_equal(on_dask.predict(dX).compute(), in_memory.predict(X))


@pytest.mark.parametrize("init_params", ["k-means++", "random_from_data"])
def test_mixture_seeded_initialization_on_a_cluster(client, init_params):
    # The seeds are chosen among a sample of rows brought to the client; on
    # two well-separated blobs EM then reaches the in-memory optimum.
    from skxent import MixtureDistribution

    rng = np.random.default_rng(5)
    X = _mixture_data("gaussian", rng)
    model = MixtureDistribution(init_params=init_params, random_state=0, tol=1e-8)
    on_dask = clone(model).fit(da.from_array(X, chunks=(500, -1)))
    in_memory = clone(model).fit(X)
    assert on_dask.converged_
    order = np.argsort([c.mean_[0] for c in on_dask.components_])
    expected = np.argsort([c.mean_[0] for c in in_memory.components_])
    assert_allclose(on_dask.weights_[order], in_memory.weights_[expected], rtol=1e-6)
    assert_allclose(on_dask.lower_bound_, in_memory.lower_bound_, rtol=1e-9)
    again = clone(model).fit(da.from_array(X, chunks=(500, -1)))
    assert_allclose(again.weights_, on_dask.weights_, rtol=1e-14)


def test_mixture_on_a_cluster_removes_rows_of_weight_zero(client):
    from skxent import MixtureDistribution

    rng = np.random.default_rng(6)
    X = _mixture_data("gaussian", rng, n_samples=2000)
    weights = np.where(rng.uniform(size=len(X)) < 0.3, 0.0, 1.0)
    weights[:400] = 0.0  # a whole block without weight
    model = MixtureDistribution(random_state=0, init_params="random", max_iter=0)
    fitted = model.fit(
        da.from_array(X, chunks=(400, -1)), sample_weight=da.from_array(weights)
    )
    assert_allclose(np.exp(fitted._log_seen_weight_), weights.sum())
    with pytest.raises(ValueError, match="positive sum"):
        clone(model).fit(
            da.from_array(X, chunks=(400, -1)), sample_weight=np.zeros(len(X))
        )


def test_mixture_of_a_family_without_statistics_says_so_on_dask(client):
    from skxent import MixtureDistribution, StudentTDistribution

    X = da.from_array(np.random.default_rng(0).normal(size=(100, 2)), chunks=50)
    model = MixtureDistribution(StudentTDistribution())
    with pytest.raises(NotImplementedError, match="not an MLEDistribution"):
        model.fit(X)
    assert not hasattr(model, "components_")


# -- DistributionSelector -----------------------------------------------------------


def test_selector_on_a_cluster_folds_over_chunks(client):
    from sklearn.model_selection import KFold

    from skxent import DistributionSelector, StudentTDistribution
    from skxent.distributions import GaussianDistribution

    rng = np.random.default_rng(7)
    X = rng.gamma(3.0, size=(3000, 1))
    weights = rng.uniform(0.5, 1.5, size=3000)
    dX = da.from_array(X, chunks=(500, -1))
    candidates = {
        "gaussian": GaussianDistribution(),
        "gamma": "gamma",
        "student_t": StudentTDistribution(),
    }
    selector = DistributionSelector(candidates, cv=3).fit(
        dX, sample_weight=da.from_array(weights, chunks=700)
    )
    # Three folds of two consecutive chunks each: KFold(3) on the rows.
    expected = DistributionSelector(candidates, cv=KFold(3)).fit(
        X, sample_weight=weights
    )
    results, reference = selector.cv_results_, expected.cv_results_
    assert selector.best_candidate_ == "gamma" == expected.best_candidate_
    assert_array_equal(results["status"], ["ranked", "ranked", "failed"])
    assert "Dask" in results["reason"][2]
    assert_allclose(
        results["mean_test_score"][:2], reference["mean_test_score"][:2], rtol=1e-11
    )
    assert_allclose(
        selector.best_estimator_.shapes_, expected.best_estimator_.shapes_, rtol=1e-10
    )
    assert_allclose(selector.score(dX), expected.score(X), rtol=1e-11)


def test_selector_on_a_cluster_needs_as_many_chunks_as_folds(client):
    from skxent import DistributionSelector

    dX = da.from_array(np.random.default_rng(8).normal(size=(300, 1)), chunks=150)
    with pytest.raises(ValueError, match="groups of chunks"):
        DistributionSelector(["gaussian"], cv=5).fit(dX)
