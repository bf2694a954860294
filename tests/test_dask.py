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
