"""Benchmark BetaDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit``: one pass computing the sufficient statistics,
  ``np.log(X).sum(axis=0)`` and ``np.log1p(-X).sum(axis=0)``;
- ``score_samples``: the two logarithms of X and two matrix-vector
  products, ``np.log(X) @ (a - 1) + np.log1p(-X) @ (b - 1)``.

The *anchor* is what a user would call otherwise: ``scipy.stats.beta.fit``
with ``floc=0, fscale=1`` on each column (which solves the same two
equations with ``fsolve``, from the method of moments), and the frozen
``scipy.stats.beta``'s ``logpdf`` summed over the columns. Each time is the
best of a few rounds (``time.perf_counter``, the functions taking turns
within a round); the peak memory of ``fit`` is measured with ``tracemalloc``
and given as a multiple of the size of ``X``. Run with::

    python benchmarks/bench_beta.py

and paste the markdown tables into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times, peak_memory
from scipy import stats

from skxent import BetaDistribution

N_SAMPLES, N_FEATURES = 200_000, 5
REPEATS = 7
A = np.array([0.5, 1.0, 2.0, 5.0, 200.0])
B = np.array([0.5, 3.0, 2.0, 1.0, 800.0])


def fit_floor(X):
    return np.log(X).sum(axis=0), np.log1p(-X).sum(axis=0)


def score_floor(X, a, b):
    return np.log(X) @ (a - 1.0) + np.log1p(-X) @ (b - 1.0)


def scipy_fit(X):
    return [stats.beta.fit(X[:, j], floc=0, fscale=1) for j in range(X.shape[1])]


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    return rng.beta(A, B, size=(N_SAMPLES, N_FEATURES))


def main():
    X = make_data()
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = BetaDistribution().fit(X)
    frozen = stats.beta(model.a_, model.b_)
    tables = {
        "fit": {
            "floor: log(X).sum(0), log1p(-X).sum(0)": lambda: fit_floor(X),
            "skxent": lambda: BetaDistribution().fit(X),
            "skxent, sample_weight": lambda: BetaDistribution().fit(
                X, sample_weight=weights
            ),
            "scipy beta.fit(floc=0, fscale=1), per column": lambda: scipy_fit(X),
        },
        "score_samples": {
            "floor: log(X) @ (a - 1) + log1p(-X) @ (b - 1)": lambda: score_floor(
                X, model.a_, model.b_
            ),
            "skxent": lambda: model.score_samples(X),
            "scipy beta.logpdf, summed": lambda: frozen.logpdf(X).sum(axis=1),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())

    print(
        f"BetaDistribution on {N_SAMPLES} x {N_FEATURES} float64 (a "
        f"{A.tolist()}, b {B.tolist()}); numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores.\n"
    )
    print("| operation | implementation | time (ms) | / floor |")
    print("|---|---|---:|---:|")
    for operation, name, seconds, floor_seconds in rows:
        print(
            f"| {operation} | {name} | {1e3 * seconds:.1f} | "
            f"{seconds / floor_seconds:.2f} |"
        )

    print("\n| fit | peak memory / size of X (float64) |")
    print("|---|---:|")
    for name, function in [
        ("skxent", lambda: BetaDistribution().fit(X)),
        (
            "skxent, sample_weight",
            lambda: BetaDistribution().fit(X, sample_weight=weights),
        ),
        ("floor", lambda: fit_floor(X)),
        ("scipy beta.fit, per column", lambda: scipy_fit(X)),
    ]:
        print(f"| {name} | {peak_memory(function) / X.nbytes:.2f} |")


if __name__ == "__main__":
    main()
