"""Benchmark GaussianDistribution against its floors and anchors.

The *floors* are the least work an implementation must do, with no
validation:

- ``fit``, full covariance: the tightest is the uncentred sums
  ``X.T @ X`` and ``X.sum(0)`` (one symmetric rank-k update, no temporary);
  issue #13's targets are set against the centred one,
  ``Xc = X - X.mean(0); Xc.T @ Xc``, which makes a centred copy of ``X``;
- ``fit``, diagonal and spherical: the tightest is the uncentred column sums
  ``X.sum(0)`` and ``einsum("ij,ij->j", X, X)``; the targets are set against
  ``X.var(0)``;
- ``score_samples``, full covariance: centre, one Cholesky factorisation,
  one triangular solve and the row sums of squares.

The *anchors* are the nearest tools in scikit-learn and scipy. Each time is
the best of a few repeats (``time.perf_counter``), the implementations taking
turns within a repeat; the peak memory of ``fit`` is measured with
``tracemalloc`` (numpy reports its allocations to it) and given as a multiple
of the size of ``X``. Run with::

    python benchmarks/bench_gaussian.py            # the table at 200,000 x 50
    python benchmarks/bench_gaussian.py --sweep    # n = 1e3 ... 1e7, d = 10 ... 1000

and paste the markdown table into ``benchmarks/README.md``; the sweep writes
``benchmarks/results/gaussian.json`` for ``plot_growth.py``.
"""

import argparse

import numpy as np
import scipy
import sklearn
from _growth import (
    Sweep,
    blas_limit,
    blas_note,
    load_note,
    target_lines,
    write_results,
)
from _timing import best_times, peak_memory
from scipy.linalg import cholesky, solve_triangular
from scipy.stats import multivariate_normal
from sklearn.covariance import EmpiricalCovariance
from sklearn.mixture import GaussianMixture
from sklearn.naive_bayes import GaussianNB

from skxent import GaussianDistribution

N_SAMPLES, N_FEATURES = 200_000, 50
REPEATS, ANCHOR_REPEATS = 7, 3

#: Rows drawn at random; larger data repeat them. Costs do not depend on the
#: values, and drawing 1e7 x 50 normals would take longer than fitting them.
BLOCK_ROWS = 1 << 20

#: Sizes of the sweeps. At 1e7 x 50 X takes 4 GB, and the centred floor, the
#: weighted fit and the anchors each make a copy of it; d goes to 1000 at
#: 20,000 rows, where one Gram matrix is 2e10 multiply-adds.
SWEEP_N = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000]
SWEEP_N += [10_000_000]
SWEEP_D, SWEEP_D_ROWS = [10, 30, 100, 300, 1000], 20_000

UNCENTRED = "floor: uncentred XᵀX + X.sum(0)"
CENTRED = "floor: mean + centred XᵀX"
VARIANCE = "floor: X.var(0)"
DIAGONAL_SUMS = "floor: uncentred Σx, Σx² per column"
FULL, WEIGHTED = "skxent, full", "skxent, full, sample_weight"
DIAG, SPHERICAL = "skxent, diag", "skxent, spherical"
EMPIRICAL = "sklearn EmpiricalCovariance"
SCIPY_FIT = "scipy multivariate_normal.fit"
MIXTURE = "sklearn GaussianMixture(1)"
NAIVE_BAYES = "sklearn GaussianNB, one class (diag)"

ROLES = {
    UNCENTRED: "floor",
    CENTRED: "floor",
    VARIANCE: "floor",
    DIAGONAL_SUMS: "floor",
    FULL: "skxent",
    WEIGHTED: "skxent",
    DIAG: "skxent",
    SPHERICAL: "skxent",
    EMPIRICAL: "anchor",
    SCIPY_FIT: "anchor",
    MIXTURE: "anchor",
    NAIVE_BAYES: "anchor",
}
TARGETS = [(FULL, CENTRED, 1.1), (DIAG, VARIANCE, 1.1), (SPHERICAL, VARIANCE, 1.1)]


def fit_floor(X):
    centred = X - X.mean(axis=0)
    return centred.T @ centred


def uncentred_floor(X):
    return X.T @ X, X.sum(axis=0)


def diagonal_floor(X):
    return np.einsum("ij,ij->j", X, X), X.sum(axis=0)


def score_floor(X, mean, covariance):
    lower = cholesky(covariance, lower=True, check_finite=False)
    centred = X - mean
    standardized = solve_triangular(
        lower, centred.T, lower=True, overwrite_b=True, check_finite=False
    )
    return np.einsum("ij,ij->j", standardized, standardized)


def make_data(n_samples=N_SAMPLES, n_features=N_FEATURES, random_state=0):
    """Correlated features whose means are three standard deviations from 0.

    A mean of 3 standard deviations (``mean**2 / variance = 9``) is data that
    nobody standardised, well inside the range where skxent trusts the
    uncentred sums.
    """
    rng = np.random.default_rng(random_state)
    mixing = rng.standard_normal((n_features, n_features))
    block = rng.standard_normal((min(n_samples, BLOCK_ROWS), n_features)) @ mixing
    block += 3.0 * np.linalg.norm(mixing, axis=0)
    return np.resize(block, (n_samples, n_features))


def fits(X, weights):
    """Every fit of the sweeps, keyed by implementation."""
    y = np.zeros(X.shape[0])
    return {
        UNCENTRED: lambda: uncentred_floor(X),
        CENTRED: lambda: fit_floor(X),
        FULL: lambda: GaussianDistribution().fit(X),
        WEIGHTED: lambda: GaussianDistribution().fit(X, sample_weight=weights),
        EMPIRICAL: lambda: EmpiricalCovariance().fit(X),
        SCIPY_FIT: lambda: multivariate_normal.fit(X),
        MIXTURE: lambda: GaussianMixture(n_components=1).fit(X),
        VARIANCE: lambda: np.var(X, axis=0),
        DIAGONAL_SUMS: lambda: diagonal_floor(X),
        DIAG: lambda: GaussianDistribution(covariance_type="diag").fit(X),
        SPHERICAL: lambda: GaussianDistribution(covariance_type="spherical").fit(X),
        NAIVE_BAYES: lambda: GaussianNB().fit(X, y),
    }


def panels():
    # The tightest floor first: the plots draw it in black.
    full = [FULL, WEIGHTED, EMPIRICAL, SCIPY_FIT, MIXTURE, UNCENTRED, CENTRED]
    diagonal = [DIAG, SPHERICAL, NAIVE_BAYES, DIAGONAL_SUMS, VARIANCE]
    return full, diagonal


def sweep_n(max_n):
    full, diagonal = panels()
    sweep = Sweep(
        "n",
        "n_samples",
        {"n_features": N_FEATURES},
        ROLES,
        [
            (f"fit, full covariance, d = {N_FEATURES}", full),
            (f"fit, diag and spherical, d = {N_FEATURES}", diagonal),
        ],
        TARGETS,
        caps={MIXTURE: (100_000, "EM costs ~17x the floor, seconds a fit beyond")},
    )
    sizes = [n for n in SWEEP_N if n <= max_n]
    X_all = make_data(sizes[-1], N_FEATURES)
    weights_all = np.random.default_rng(1).uniform(0.5, 2.0, sizes[-1])
    for n in sizes:
        sweep.measure(n, n, fits(X_all[:n], weights_all[:n]))
    return sweep


def sweep_d(max_d):
    full, diagonal = panels()
    sweep = Sweep(
        "d",
        "n_features",
        {"n_samples": SWEEP_D_ROWS},
        ROLES,
        [
            (f"fit, full covariance, n = {SWEEP_D_ROWS:,}", full),
            (f"fit, diag and spherical, n = {SWEEP_D_ROWS:,}", diagonal),
        ],
        TARGETS,
        caps={MIXTURE: (100, "EM costs seconds a fit beyond")},
    )
    weights = np.random.default_rng(1).uniform(0.5, 2.0, SWEEP_D_ROWS)
    for d in [d for d in SWEEP_D if d <= max_d]:
        sweep.measure(d, SWEEP_D_ROWS, fits(make_data(SWEEP_D_ROWS, d), weights))
    return sweep


def sweep(max_n, max_d):
    print(f"Gaussian sweeps; {load_note()}; BLAS: {blas_note()}", flush=True)
    sweeps = [sweep_n(max_n), sweep_d(max_d)]
    write_results(
        "gaussian",
        "GaussianDistribution.fit: time per row against n (d = 50) and d "
        "(n = 20,000), float64, means 3 standard deviations from 0",
        sweeps,
    )
    print(f"\n{load_note()}\n")
    print("| ratio | target | measured, by size |\n|---|---|---|")
    for one in sweeps:
        print("\n".join(target_lines(one.as_dict())))


def table():
    X = make_data()
    X32 = X.astype(np.float32)
    # Means 100 standard deviations from 0: the uncentred sums would lose
    # four digits, so skxent redoes the batch about a shift.
    X_far = X + 100.0 * X.std(axis=0)
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = GaussianDistribution().fit(X)
    mixture = GaussianMixture(n_components=1, covariance_type="full").fit(X)
    frozen = multivariate_normal(model.mean_, model.covariance_)
    load_before = load_note()

    tables = {
        "fit, full": {
            CENTRED: lambda: fit_floor(X),
            "floor (tightest): uncentred XᵀX + X.sum(0)": lambda: uncentred_floor(X),
            "skxent": lambda: GaussianDistribution().fit(X),
            "skxent, sample_weight": lambda: GaussianDistribution().fit(
                X, sample_weight=weights
            ),
            "skxent, float32 X (shifted path)": lambda: GaussianDistribution().fit(X32),
            "skxent, means 100 std from 0 (shifted path)": lambda: (
                GaussianDistribution().fit(X_far)
            ),
            EMPIRICAL: lambda: EmpiricalCovariance().fit(X),
            SCIPY_FIT: lambda: multivariate_normal.fit(X),
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
            VARIANCE: lambda: np.var(X, axis=0),
            "floor (tightest): uncentred Σx, Σx²": lambda: diagonal_floor(X),
            "skxent": lambda: GaussianDistribution(covariance_type="diag").fit(X),
            NAIVE_BAYES: lambda: GaussianNB().fit(X, np.zeros(N_SAMPLES)),
        },
        "fit, spherical": {
            VARIANCE: lambda: np.var(X, axis=0),
            "skxent": lambda: GaussianDistribution(covariance_type="spherical").fit(X),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds, function)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend(
            (operation, name, t, floor, functions[name]) for name, t in times.items()
        )
    # EM is an order of magnitude slower: a few rounds on its own suffice.
    mixture_fit = fits(X, weights)[MIXTURE]
    mixture_time = best_times({"fit": mixture_fit}, ANCHOR_REPEATS)["fit"]
    rows.insert(
        len(tables["fit, full"]),
        ("fit, full", MIXTURE, mixture_time, rows[0][3], mixture_fit),
    )

    print(
        f"GaussianDistribution on {N_SAMPLES} x {N_FEATURES} float64 (means 3 "
        f"standard deviations from 0); numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS} ({ANCHOR_REPEATS} for GaussianMixture.fit); BLAS: "
        f"{blas_note()}; {load_before} before, {load_note()} after.\n"
    )
    print("| operation | implementation | time (ms) | / floor | peak memory / X |")
    print("|---|---|---:|---:|---:|")
    for operation, name, seconds, floor_seconds, function in rows:
        peak = peak_memory(function) / X.nbytes
        print(
            f"| {operation} | {name} | {1e3 * seconds:.1f} | "
            f"{seconds / floor_seconds:.2f} | {peak:.2f} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sweep", action="store_true", help="sweep n and d, write results JSON"
    )
    parser.add_argument("--max-n", type=int, default=SWEEP_N[-1])
    parser.add_argument("--max-d", type=int, default=SWEEP_D[-1])
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit every BLAS to this many threads (default: no limit)",
    )
    args = parser.parse_args()
    with blas_limit(args.blas_threads):
        if args.sweep:
            sweep(args.max_n, args.max_d)
        else:
            table()


if __name__ == "__main__":
    main()
