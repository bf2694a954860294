"""Benchmark fits on Dask arrays on a 2-worker LocalCluster (issue #11).

Three measurements, in one run:

1. **Larger than memory.** A Gaussian (full covariance, d=20) and a
   Categorical fit on a lazily generated dask array of 32 GB (more than this
   machine's 24 GiB), on a LocalCluster of 2 worker processes with a 2 GB
   memory limit each. The floor is the cost of generating the same data
   alone (``X.sum(axis=0)``: the one pass no fit can avoid on data that
   exist only when computed). Reported: time, ratio to the floor, growth of
   the client's resident memory.
2. **In-memory-sized data.** 2e6 x 20: the dask fit (data persisted on the
   workers) against the in-memory fit on the same 2 cores.
3. **CrossEntropyClassifier** on 1e6 x 50: time per L-BFGS iteration on the
   cluster against in memory.

Run with::

    python benchmarks/bench_dask.py

and paste the printed markdown into ``benchmarks/README.md``. It takes a
few minutes.
"""

import os
import time

import dask
import dask.array as da
import numpy as np
import psutil
from distributed import Client, LocalCluster

from skxent import CategoricalDistribution, CrossEntropyClassifier, GaussianDistribution

BIG_BYTES = 32e9
N_FEATURES = 20
ROWS_PER_CHUNK = 1_000_000  # 160 MB of float64 per chunk


def _rss():
    return psutil.Process(os.getpid()).memory_info().rss


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def larger_than_memory(client, only=None):
    n_rows = int(BIG_BYTES / 8 / N_FEATURES)
    chunks = (ROWS_PER_CHUNK, N_FEATURES)
    normal = da.random.default_rng(0).standard_normal(
        (n_rows, N_FEATURES), chunks=chunks
    )
    # Categorical codes as int64 (the same 32 GB): 5 levels per column.
    codes = da.random.default_rng(1).integers(
        0, 5, size=(n_rows, N_FEATURES), chunks=chunks, dtype=np.int64
    )
    rows = []
    for name, X, model in [
        ("Gaussian (full, d=20)", normal, GaussianDistribution()),
        ("Categorical (d=20, 5 levels)", codes, CategoricalDistribution()),
    ]:
        if only is not None and only not in name:
            continue
        floor, _ = _timed(lambda X=X: X.sum(axis=0).compute())
        before = _rss()
        elapsed, _ = _timed(lambda X=X, model=model: model.fit(X))
        growth = (_rss() - before) / 1e6
        rows.append((name, X.nbytes / 1e9, elapsed, floor, growth))
    return rows


def in_memory_sized(client):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2_000_000, N_FEATURES))
    dX = da.from_array(X, chunks=(250_000, N_FEATURES)).persist()
    dask.compute(dX.sum())
    memory, _ = min(_timed(lambda: GaussianDistribution().fit(X)) for _ in range(3))
    on_dask, _ = min(_timed(lambda: GaussianDistribution().fit(dX)) for _ in range(3))
    return memory, on_dask


def classifier(client):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((1_000_000, 50))
    y = (X[:, :5].sum(axis=1) + rng.standard_normal(1_000_000) > 0).astype(int)
    dX = da.from_array(X, chunks=(125_000, 50)).persist()
    dy = da.from_array(y, chunks=125_000).persist()
    model = CrossEntropyClassifier(max_iter=30, tol=0.0)
    memory, fitted = _timed(lambda: model.fit(X, y))
    on_dask, fitted_dask = _timed(
        lambda: CrossEntropyClassifier(max_iter=30, tol=0.0).fit(dX, dy)
    )
    return memory / fitted.n_iter_, on_dask / fitted_dask.n_iter_, fitted.n_iter_


def main():
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        memory_limit="2GB",
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with Client(cluster) as client:
        print(
            "| fit | data | time (s) | floor: generation (s) | ratio "
            "| client RSS growth |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for name, gigabytes, elapsed, floor, growth in larger_than_memory(client):
            print(
                f"| {name} | {gigabytes:.0f} GB | {elapsed:.1f} | {floor:.1f} | "
                f"{elapsed / floor:.2f}x | {growth:.0f} MB |"
            )
        memory, on_dask = in_memory_sized(client)
        print(
            f"\n2e6 x 20 Gaussian fit: in memory {memory:.3f} s, on the cluster "
            f"{on_dask:.3f} s ({on_dask / memory:.2f}x)"
        )
        per_memory, per_dask, n_iter = classifier(client)
        print(
            f"\nCrossEntropyClassifier 1e6 x 50, {n_iter} iterations: "
            f"{per_memory * 1e3:.0f} ms/iteration in memory, "
            f"{per_dask * 1e3:.0f} ms/iteration on the cluster "
            f"({per_dask / per_memory:.2f}x)"
        )
    cluster.close()


if __name__ == "__main__":
    main()
