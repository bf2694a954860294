"""Benchmark PoissonDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit``: the column sums, ``X.sum(axis=0)`` (no validation, no check that
  the entries are counts);
- ``score_samples``: one product with the log-rates and ``gammaln`` of every
  entry (of every stored entry, for sparse data), ``X @ log(rates) -
  gammaln(X + 1).sum(axis=1)``, with no support handling.

scipy has no Poisson ``fit`` (``scipy.stats.poisson`` is a discrete
distribution without one); the anchor for ``fit`` is ``scipy.stats.fit``,
which maximizes the likelihood numerically, one column at a time. The
anchor for ``score_samples`` is ``scipy.stats.poisson(rates).logpmf(X)``
summed over the columns. Each time is the best of a few repeats
(``time.perf_counter``), the implementations taking turns. Run with::

    python benchmarks/bench_poisson.py
"""

import os
from functools import partial

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from _timing import best_times
from scipy import stats
from scipy.special import gammaln

from skxent import PoissonDistribution

N_VALUES = 1_000_000
REPEATS, SCIPY_FIT_REPEATS = 15, 1


def score_floor(X, log_rates):
    if sp.issparse(X):
        log_factorials = sp.csr_matrix((gammaln(X.data + 1.0), X.indices, X.indptr))
        return X @ log_rates - log_factorials @ np.ones(X.shape[1])
    return X @ log_rates - gammaln(X + 1.0).sum(axis=1)


def scipy_fit(X):
    return [
        stats.fit(stats.poisson, X[:, j], bounds={"mu": (0.0, 2 * X[:, j].max() + 1)})
        for j in range(X.shape[1])
    ]


def datasets(rng):
    for n_features in (1, 10):
        rates = np.geomspace(0.1, 50.0, n_features)
        X = rng.poisson(rates, size=(N_VALUES // n_features, n_features))
        yield f"dense {X.shape[0]:,} x {n_features}", X.astype(np.float64)
    X = rng.poisson(rates, size=(N_VALUES // 10, 10))
    yield f"dense {X.shape[0]:,} x 10, int64", X
    X = sp.random(
        100_000,
        10_000,
        density=N_VALUES / 1e9,
        format="csr",
        random_state=0,
        data_rvs=lambda n: rng.poisson(2.0, n) + 1.0,
    )
    yield f"CSR 100,000 x 10,000, {X.nnz:,} stored", X


def operations(X, weights):
    """The timed functions of one data set, by operation; the floor first."""
    model = PoissonDistribution().fit(X)
    log_rates = np.log(model.rates_)
    tables = {
        "fit": {
            "floor: X.sum(axis=0)": lambda: X.sum(axis=0),
            "skxent": lambda: PoissonDistribution().fit(X),
            "skxent, sample_weight": lambda: PoissonDistribution().fit(
                X, sample_weight=weights
            ),
        },
        "score_samples": {
            "floor: X @ log(rates) - gammaln(X + 1)": lambda: score_floor(X, log_rates),
            "skxent": lambda: model.score_samples(X),
        },
    }
    if not sp.issparse(X):
        frozen = stats.poisson(model.rates_)
        tables["score_samples"]["scipy poisson.logpmf, summed"] = lambda: frozen.logpmf(
            X
        ).sum(axis=1)
    return tables


def main():
    rng = np.random.default_rng(0)
    print(
        f"PoissonDistribution on {N_VALUES:,} values; numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS} ({SCIPY_FIT_REPEATS} for scipy.stats.fit); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    print("| data | operation | implementation | time (ms) | / floor |")
    print("|---|---|---|---:|---:|")
    for name, X in datasets(rng):
        weights = rng.uniform(0.5, 2.0, X.shape[0])
        for operation, functions in operations(X, weights).items():
            times = best_times(functions, REPEATS)
            if operation == "fit" and not sp.issparse(X) and X.dtype == np.float64:
                # Tens of seconds a round: one round, float64 data only.
                anchor = {"scipy.stats.fit, column by column": partial(scipy_fit, X)}
                times.update(best_times(anchor, SCIPY_FIT_REPEATS))
            floor = next(iter(times.values()))
            for implementation, seconds in times.items():
                print(
                    f"| {name} | {operation} | {implementation} | "
                    f"{1e3 * seconds:.1f} | {seconds / floor:.2f} |"
                )


if __name__ == "__main__":
    main()
