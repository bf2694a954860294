"""Benchmark LogNormalDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit`` (diagonal): one logarithm of X and the sums of the logarithms and
  of their squares, ``L = np.log(X); L.sum(); np.vdot(L, L)`` (over the
  whole array, the fastest reductions numpy has);
- ``score_samples`` (diagonal): one logarithm of X, the standardized
  squares and the Jacobian, ``(((L - mu) / sigma) ** 2).sum(1) + L.sum(1)``.

The *anchor* is what a user would call otherwise: ``scipy.stats.lognorm.fit``
with ``floc=0`` on each column, and the frozen ``scipy.stats.lognorm``'s
``logpdf`` summed over the columns. Each time is the best of a few rounds
(``time.perf_counter``, the functions taking turns within a round). Run
with::

    python benchmarks/bench_lognormal.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times
from scipy import stats

from skxent import LogNormalDistribution

N_SAMPLES, N_FEATURES = 200_000, 5
REPEATS = 7


def fit_floor(X):
    logs = np.log(X)
    return logs.sum(), np.vdot(logs, logs)


def score_floor(X, mean, sd):
    logs = np.log(X)
    return (((logs - mean) / sd) ** 2).sum(axis=1) + logs.sum(axis=1)


def scipy_fit(X):
    return [stats.lognorm.fit(X[:, j], floc=0) for j in range(X.shape[1])]


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    return rng.lognormal(np.linspace(-1, 2, N_FEATURES), 0.7, (N_SAMPLES, N_FEATURES))


def main():
    X = make_data()
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = LogNormalDistribution().fit(X)
    full = LogNormalDistribution(covariance_type="full").fit(X)
    sd = np.sqrt(model.covariance_)
    frozen = stats.lognorm(s=sd, scale=np.exp(model.mean_))
    tables = {
        "fit, diag": {
            "floor: L = log(X), L.sum(), vdot(L, L)": lambda: fit_floor(X),
            "skxent": lambda: LogNormalDistribution().fit(X),
            "skxent, sample_weight": lambda: LogNormalDistribution().fit(
                X, sample_weight=weights
            ),
            "skxent, full covariance": lambda: LogNormalDistribution(
                covariance_type="full"
            ).fit(X),
            "scipy lognorm.fit(floc=0), per column": lambda: scipy_fit(X),
        },
        "score_samples": {
            "floor: log(X), squares, Jacobian": lambda: score_floor(X, model.mean_, sd),
            "skxent, diag": lambda: model.score_samples(X),
            "skxent, full covariance": lambda: full.score_samples(X),
            "scipy lognorm.logpdf, summed": lambda: frozen.logpdf(X).sum(axis=1),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())

    print(
        f"LogNormalDistribution on {N_SAMPLES} x {N_FEATURES} float64; numpy "
        f"{np.__version__}, scipy {scipy.__version__}, scikit-learn "
        f"{sklearn.__version__}; best of {REPEATS}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    print("| operation | implementation | time (ms) | / floor |")
    print("|---|---|---:|---:|")
    for operation, name, seconds, floor_seconds in rows:
        print(
            f"| {operation} | {name} | {1e3 * seconds:.1f} | "
            f"{seconds / floor_seconds:.2f} |"
        )


if __name__ == "__main__":
    main()
