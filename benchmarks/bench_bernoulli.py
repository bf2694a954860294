"""Benchmark BernoulliDistribution.fit against its floor and anchor.

The floor, the tightest known, is ``X.sum(axis=0)``: one pass over the data
(over the stored values of a sparse matrix), with no validation and no
binarization. The anchor is scikit-learn's ``BernoulliNB`` with a single
class. Run as a script::

    python benchmarks/bench_bernoulli.py            # the table
    python benchmarks/bench_bernoulli.py --sweep    # n = 1e3 ... 1e7

The table is markdown (best of a few repeats, ``time.perf_counter``, the
implementations taking turns, peak memory from ``tracemalloc``); the sweep
writes ``benchmarks/results/bernoulli.json`` for ``plot_growth.py``.
"""

import argparse

import numpy as np
import scipy.sparse as sp
from _growth import (
    Sweep,
    blas_limit,
    blas_note,
    interleaved_best_times,
    load_note,
    target_lines,
    write_results,
)
from _timing import peak_memory
from sklearn.naive_bayes import BernoulliNB
from sklearn.utils import check_array

from skxent import BernoulliDistribution

REPEATS = 5
N_FEATURES = 100
SPARSE_FEATURES, SPARSE_PER_ROW = 10_000, 100  # 1% of the entries stored

#: Rows drawn at random; larger data repeat them (the cost does not depend
#: on the values).
BLOCK_ROWS = 1 << 19

#: Sizes of the sweeps. Dense 1e7 x 100 is 8 GB. CSR data at 3e6 rows hold
#: 3e8 stored values (3.6 GB with their indices, 2.4 GB more for the binary
#: copy); 1e7 rows would need 12 GB each.
SWEEP_DENSE = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
SWEEP_DENSE += [3_000_000, 10_000_000]
SWEEP_SPARSE = SWEEP_DENSE[:-1]

FLOOR = "floor: X.sum(0)"
FIT, WEIGHTED, NAIVE_BAYES = "skxent", "skxent, sample_weight", "BernoulliNB"
BINARY_FIT = "skxent, binary CSR (0/1 values)"
#: Not a floor of the job but the part of every scikit-learn estimator's fit
#: that skxent cannot skip: the finiteness check is one more pass.
VALIDATION = "validation alone: check_array(X)"
ROLES = {
    FLOOR: "floor",
    VALIDATION: "floor",
    FIT: "skxent",
    WEIGHTED: "skxent",
    BINARY_FIT: "skxent",
    NAIVE_BAYES: "anchor",
}


def make_dense(n_samples, random_state=0):
    """Uniform values in [-0.5, 0.5): half of them are ones at threshold 0."""
    rng = np.random.default_rng(random_state)
    block = rng.random((min(n_samples, BLOCK_ROWS), N_FEATURES)) - 0.5
    return np.resize(block, (n_samples, N_FEATURES))


class SparseRows:
    """CSR data with ``SPARSE_PER_ROW`` values a row, prefixes without copies.

    Row i stores one value in each of ``SPARSE_PER_ROW`` equal bands of
    columns, so its indices are sorted and distinct (canonical format), as
    ``scipy.sparse.random`` would give; values are uniform in [0, 1).
    """

    def __init__(self, n_samples, random_state=0):
        rng = np.random.default_rng(random_state)
        band = SPARSE_FEATURES // SPARSE_PER_ROW
        rows = min(n_samples, BLOCK_ROWS)
        offsets = rng.integers(0, band, size=(rows, SPARSE_PER_ROW), dtype=np.int32)
        offsets += np.arange(0, SPARSE_FEATURES, band, dtype=np.int32)
        size = n_samples * SPARSE_PER_ROW
        self.indices = np.resize(offsets.ravel(), size)
        self.data = np.resize(rng.random(rows * SPARSE_PER_ROW), size)
        self.ones = np.ones(size)
        self.indptr = np.arange(0, size + 1, SPARSE_PER_ROW, dtype=np.int32)

    def matrix(self, n_samples, binary=False):
        stored = n_samples * SPARSE_PER_ROW
        data = (self.ones if binary else self.data)[:stored]
        return sp.csr_matrix(
            (data, self.indices[:stored], self.indptr[: n_samples + 1]),
            shape=(n_samples, SPARSE_FEATURES),
        )


def cases(X, weights, X_binary=None):
    y = np.zeros(X.shape[0])
    functions = {
        FLOOR: lambda: X.sum(axis=0),
        VALIDATION: lambda: check_array(
            X, accept_sparse=("csr", "csc"), dtype="numeric"
        ),
        FIT: lambda: BernoulliDistribution().fit(X),
        WEIGHTED: lambda: BernoulliDistribution().fit(X, sample_weight=weights),
        NAIVE_BAYES: lambda: BernoulliNB().fit(X, y),
    }
    if X_binary is not None:
        functions[BINARY_FIT] = lambda: BernoulliDistribution().fit(X_binary)
    return functions


def table():
    weights_all = np.random.default_rng(1).uniform(0.5, 2.0, 1_000_000)
    sparse = SparseRows(100_000)
    datasets = [
        (f"dense {n:,} x {N_FEATURES}", make_dense(n), None)
        for n in (200_000, 1_000_000)
    ]
    datasets.append(
        (
            f"CSR 100,000 x {SPARSE_FEATURES:,}, 1%",
            sparse.matrix(100_000),
            sparse.matrix(100_000, binary=True),
        )
    )
    print(
        f"{FLOOR} is the floor; sample_weight uniform in [0.5, 2); best of "
        f"{REPEATS}; BLAS: {blas_note()}; {load_note()} before.\n"
    )
    print("| data | method | time (s) | ratio to floor | peak memory (MB) |")
    print("|---|---|---|---|---|")
    for name, X, X_binary in datasets:
        functions = cases(X, weights_all[: X.shape[0]], X_binary)
        times = interleaved_best_times(functions, dict.fromkeys(functions, REPEATS))
        for method, seconds in times.items():
            peak = peak_memory(functions[method]) / 1e6
            print(
                f"| {name} | {method} | {seconds:.4f} | "
                f"{seconds / times[FLOOR]:.2f}x | {peak:.1f} |"
            )
    print(f"\n{load_note()} after.")


def sweep_dense(max_n):
    sweep = Sweep(
        "dense",
        "n_samples",
        {"n_features": N_FEATURES},
        ROLES,
        [
            (
                f"fit, dense float64, d = {N_FEATURES}",
                [FIT, WEIGHTED, NAIVE_BAYES, FLOOR, VALIDATION],
            )
        ],
        [(FIT, FLOOR, 2.0)],
        caps={NAIVE_BAYES: (1_000_000, "it binarizes into a copy of X")},
    )
    sizes = [n for n in SWEEP_DENSE if n <= max_n]
    X_all = make_dense(sizes[-1])
    weights_all = np.random.default_rng(1).uniform(0.5, 2.0, sizes[-1])
    for n in sizes:
        sweep.measure(n, n, cases(X_all[:n], weights_all[:n]))
    return sweep


def sweep_sparse(max_n):
    sweep = Sweep(
        "sparse",
        "n_samples",
        {"n_features": SPARSE_FEATURES, "stored_per_row": SPARSE_PER_ROW},
        ROLES,
        [
            (
                f"fit, CSR, {SPARSE_FEATURES:,} columns, 1% stored",
                [FIT, BINARY_FIT, WEIGHTED, NAIVE_BAYES, FLOOR, VALIDATION],
            )
        ],
        [(FIT, FLOOR, 1.5), (BINARY_FIT, FLOOR, 1.5)],
        caps={NAIVE_BAYES: (1_000_000, "time")},
    )
    sizes = [n for n in SWEEP_SPARSE if n <= max_n]
    rows = SparseRows(sizes[-1])
    weights_all = np.random.default_rng(1).uniform(0.5, 2.0, sizes[-1])
    for n in sizes:
        X, X_binary = rows.matrix(n), rows.matrix(n, binary=True)
        sweep.measure(n, n, cases(X, weights_all[:n], X_binary))
    return sweep


def sweep(max_n):
    print(f"Bernoulli sweeps; {load_note()}; BLAS: {blas_note()}", flush=True)
    # The dense data are freed (sweep_dense returns) before the sparse made.
    sweeps = [sweep_dense(max_n), sweep_sparse(max_n)]
    write_results(
        "bernoulli",
        "BernoulliDistribution.fit: time per row against n, binarized at 0; "
        "dense values uniform in [-0.5, 0.5), CSR values uniform in [0, 1)",
        sweeps,
    )
    print(f"\n{load_note()}\n")
    print("| ratio | target | measured, by size |\n|---|---|---|")
    for one in sweeps:
        print("\n".join(target_lines(one.as_dict())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sweep", action="store_true", help="sweep n, write results JSON"
    )
    parser.add_argument("--max-n", type=int, default=SWEEP_DENSE[-1])
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit every BLAS to this many threads (default: no limit)",
    )
    args = parser.parse_args()
    with blas_limit(args.blas_threads):
        if args.sweep:
            sweep(args.max_n)
        else:
            table()


if __name__ == "__main__":
    main()
