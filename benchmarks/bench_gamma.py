"""Benchmark GammaDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit``: one pass computing the sums of ``x`` and ``log x``,
  ``X.sum()`` and ``np.log(X).sum()`` (over the whole array, the fastest
  reduction numpy has; per-column sums cost more);
- ``score_samples``: one logarithm of X and two matrix-vector products,
  ``np.log(X) @ (a - 1) - X @ (1 / scale)``.

The *anchor* is what a user would call otherwise: ``scipy.stats.gamma.fit``
with ``floc=0`` on each column, and the frozen ``scipy.stats.gamma``'s
``logpdf`` summed over the columns. Each time is the best of a few rounds
(``time.perf_counter``, the functions taking turns within a round); the peak
memory of ``fit`` is measured with ``tracemalloc`` and given as a multiple of
the size of ``X``. Run with::

    python benchmarks/bench_gamma.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times, peak_memory
from scipy import stats

from skxent import GammaDistribution

N_SAMPLES, N_FEATURES = 200_000, 5
REPEATS = 7
SHAPES = np.array([0.5, 1.0, 2.0, 5.0, 20.0])


def fit_floor(X):
    return X.sum(), np.log(X).sum()


def score_floor(X, shapes, scales):
    return np.log(X) @ (shapes - 1.0) - X @ (1.0 / scales)


def scipy_fit(X):
    return [stats.gamma.fit(X[:, j], floc=0) for j in range(X.shape[1])]


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    return rng.gamma(SHAPES, 3.0, size=(N_SAMPLES, N_FEATURES))


def main():
    X = make_data()
    X32 = X.astype(np.float32)
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = GammaDistribution().fit(X)
    frozen = stats.gamma(model.shapes_, scale=model.scales_)
    tables = {
        "fit": {
            "floor: X.sum(), log(X).sum()": lambda: fit_floor(X),
            "skxent": lambda: GammaDistribution().fit(X),
            "skxent, sample_weight": lambda: GammaDistribution().fit(
                X, sample_weight=weights
            ),
            "skxent, float32 X": lambda: GammaDistribution().fit(X32),
            "scipy gamma.fit(floc=0), per column": lambda: scipy_fit(X),
        },
        "score_samples": {
            "floor: log(X) @ (a - 1) - X @ (1 / scale)": lambda: score_floor(
                X, model.shapes_, model.scales_
            ),
            "skxent": lambda: model.score_samples(X),
            "scipy gamma.logpdf, summed": lambda: frozen.logpdf(X).sum(axis=1),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())

    print(
        f"GammaDistribution on {N_SAMPLES} x {N_FEATURES} float64 (shapes "
        f"{SHAPES.tolist()}); numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}; best of {REPEATS}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
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
        ("skxent", lambda: GammaDistribution().fit(X)),
        (
            "skxent, sample_weight",
            lambda: GammaDistribution().fit(X, sample_weight=weights),
        ),
        ("skxent, float32 X", lambda: GammaDistribution().fit(X32)),
        ("floor", lambda: fit_floor(X)),
        ("scipy gamma.fit, per column", lambda: scipy_fit(X)),
    ]:
        print(f"| {name} | {peak_memory(function) / X.nbytes:.2f} |")


if __name__ == "__main__":
    main()
