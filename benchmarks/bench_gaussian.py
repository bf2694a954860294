"""Benchmark GaussianDistribution against the floor and the anchors.

The *floor* is the least work any implementation must do:

- ``fit`` (full covariance): the mean and one centred Gram matrix,
  ``Xc = X - X.mean(0); Xc.T @ Xc``;
- ``score_samples`` (full covariance): centre, one Cholesky factorisation,
  one triangular solve and the row sums of squares.

The *anchors* are the nearest tools in scikit-learn and scipy. Each time is
the best of a few repeats (``time.perf_counter``); the peak memory of ``fit``
is measured with ``tracemalloc`` (numpy reports its allocations to it) and
given as a multiple of the size of ``X``. Run with::

    python benchmarks/bench_gaussian.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times, peak_memory
from scipy.linalg import cholesky, solve_triangular
from scipy.stats import multivariate_normal
from sklearn.covariance import EmpiricalCovariance
from sklearn.mixture import GaussianMixture

from skxent import GaussianDistribution

N_SAMPLES, N_FEATURES = 200_000, 50
REPEATS, ANCHOR_REPEATS = 7, 3


def fit_floor(X):
    centred = X - X.mean(axis=0)
    return centred.T @ centred


def score_floor(X, mean, covariance):
    lower = cholesky(covariance, lower=True, check_finite=False)
    centred = X - mean
    standardized = solve_triangular(
        lower, centred.T, lower=True, overwrite_b=True, check_finite=False
    )
    return np.einsum("ij,ij->j", standardized, standardized)


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    mixing = rng.standard_normal((N_FEATURES, N_FEATURES))
    return rng.standard_normal((N_SAMPLES, N_FEATURES)) @ mixing + 10.0


def main():
    X = make_data()
    X32 = X.astype(np.float32)
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = GaussianDistribution().fit(X)
    mixture = GaussianMixture(n_components=1, covariance_type="full").fit(X)
    frozen = multivariate_normal(model.mean_, model.covariance_)

    tables = {
        "fit, full": {
            "floor: mean + centred XᵀX": lambda: fit_floor(X),
            "skxent": lambda: GaussianDistribution().fit(X),
            "skxent, sample_weight": lambda: GaussianDistribution().fit(
                X, sample_weight=weights
            ),
            "skxent, float32 X": lambda: GaussianDistribution().fit(X32),
            "sklearn EmpiricalCovariance": lambda: EmpiricalCovariance().fit(X),
            "scipy multivariate_normal.fit": lambda: multivariate_normal.fit(X),
        },
        "score_samples, full": {
            "floor: centre + Cholesky + solve": lambda: score_floor(
                X, model.mean_, model.covariance_
            ),
            "skxent": lambda: model.score_samples(X),
            "scipy multivariate_normal.logpdf": lambda: frozen.logpdf(X),
            "sklearn GaussianMixture.score_samples": lambda: mixture.score_samples(X),
        },
        "fit, diag": {
            "floor: np.var(X, axis=0)": lambda: np.var(X, axis=0),
            "skxent": lambda: GaussianDistribution(covariance_type="diag").fit(X),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())
    # EM is two orders of magnitude slower: a few rounds on its own suffice.
    mixture_time = best_times(
        {"fit": lambda: GaussianMixture(n_components=1).fit(X)}, ANCHOR_REPEATS
    )["fit"]
    full_floor = rows[0][3]
    rows.insert(
        len(tables["fit, full"]),
        ("fit, full", "sklearn GaussianMixture(1)", mixture_time, full_floor),
    )

    print(
        f"GaussianDistribution on {N_SAMPLES} x {N_FEATURES} float64; numpy "
        f"{np.__version__}, scipy {scipy.__version__}, scikit-learn "
        f"{sklearn.__version__}; best of {REPEATS} ({ANCHOR_REPEATS} for "
        "GaussianMixture.fit); load average "
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
        ("skxent, full", lambda: GaussianDistribution().fit(X)),
        (
            "skxent, full, sample_weight",
            lambda: GaussianDistribution().fit(X, sample_weight=weights),
        ),
        ("skxent, diag", lambda: GaussianDistribution(covariance_type="diag").fit(X)),
        ("skxent, full, float32 X", lambda: GaussianDistribution().fit(X32)),
        ("floor", lambda: fit_floor(X)),
        ("sklearn EmpiricalCovariance", lambda: EmpiricalCovariance().fit(X)),
    ]:
        print(f"| {name} | {peak_memory(function) / X.nbytes:.2f} |")


if __name__ == "__main__":
    main()
