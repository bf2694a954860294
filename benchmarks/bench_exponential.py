"""Benchmark ExponentialDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit``: the column sums, ``X.sum(axis=0)`` (no validation, no check that
  the entries are non-negative);
- ``score_samples``: one product with the inverse scales,
  ``-(X @ (1 / scales)) - log(scales).sum()``, with no support handling.

The anchors are ``scipy.stats.expon.fit(x, floc=0)`` column by column (the
same estimate) and ``scipy.stats.expon(scale=scales).logpdf(X)`` summed over
the columns. Each time is the best of a few repeats (``time.perf_counter``),
the implementations taking turns. Run with::

    python benchmarks/bench_exponential.py
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times
from scipy import stats

from skxent import ExponentialDistribution

N_VALUES = 1_000_000
REPEATS = 15


def score_floor(X, scales):
    return -(X @ (1.0 / scales)) - np.log(scales).sum()


def scipy_fit(X):
    return [stats.expon.fit(X[:, j], floc=0) for j in range(X.shape[1])]


def datasets(rng):
    for n_features in (1, 10):
        scales = np.geomspace(0.1, 50.0, n_features)
        X = rng.exponential(scales, size=(N_VALUES // n_features, n_features))
        yield f"{X.shape[0]:,} x {n_features}", X
    yield f"{X.shape[0]:,} x 10, float32", X.astype(np.float32)


def operations(X, weights):
    """The timed functions of one data set, by operation; the floor first."""
    model = ExponentialDistribution().fit(X)
    frozen = stats.expon(scale=model.scales_)
    return {
        "fit": {
            "floor: X.sum(axis=0)": lambda: X.sum(axis=0),
            "skxent": lambda: ExponentialDistribution().fit(X),
            "skxent, sample_weight": lambda: ExponentialDistribution().fit(
                X, sample_weight=weights
            ),
            "scipy expon.fit(floc=0), column by column": lambda: scipy_fit(X),
        },
        "score_samples": {
            "floor: -(X @ (1 / scales)) - sum(log(scales))": lambda: score_floor(
                X, model.scales_
            ),
            "skxent": lambda: model.score_samples(X),
            "scipy expon.logpdf, summed": lambda: frozen.logpdf(X).sum(axis=1),
        },
    }


def main():
    rng = np.random.default_rng(0)
    print(
        f"ExponentialDistribution on {N_VALUES:,} values; numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "cores.\n"
    )
    print("| data | operation | implementation | time (ms) | / floor |")
    print("|---|---|---|---:|---:|")
    for name, X in datasets(rng):
        weights = rng.uniform(0.5, 2.0, X.shape[0])
        for operation, functions in operations(X, weights).items():
            times = best_times(functions, REPEATS)
            floor = next(iter(times.values()))
            for implementation, seconds in times.items():
                print(
                    f"| {name} | {operation} | {implementation} | "
                    f"{1e3 * seconds:.1f} | {seconds / floor:.2f} |"
                )


if __name__ == "__main__":
    main()
