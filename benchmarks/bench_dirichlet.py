"""Benchmark DirichletDistribution against the floor and scipy.

The *floor* is the least work any implementation must do:

- ``fit``: one pass computing the sufficient statistics,
  ``np.log(X).sum(axis=0)``;
- ``score_samples``: one logarithm of X and one matrix-vector product,
  ``np.log(X) @ (alpha - 1)``.

scipy 1.17 has no ``scipy.stats.dirichlet.fit`` (and ``scipy.stats.fit``
takes univariate distributions only), so the *anchors* for ``fit`` are the
two programs a user would write with ``scipy.optimize.minimize``
(L-BFGS-B, over ``log alpha`` so that ``alpha`` stays positive, from the
moment-matched start):

- the direct one: minimize ``-dirichlet(alpha).logpdf(X.T).sum()`` with the
  gradient by finite differences, a pass over the data per evaluation;
- the careful one: minimize the negative log-likelihood written with the
  sufficient statistics, with its analytic gradient, after one pass.

For ``score_samples`` the anchor is the frozen ``scipy.stats.dirichlet``'s
``logpdf``. Each time is the best of a few rounds (``time.perf_counter``,
the functions taking turns within a round); the peak memory of ``fit`` is
measured with ``tracemalloc`` and given as a multiple of the size of ``X``.
Run with::

    python benchmarks/bench_dirichlet.py

and paste the markdown tables into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_times, peak_memory
from scipy import optimize, stats
from scipy.special import digamma, gammaln

from skxent import DirichletDistribution

N_SAMPLES, N_FEATURES = 200_000, 5
REPEATS, ANCHOR_REPEATS = 7, 2
CONCENTRATION = np.array([0.3, 1.0, 2.0, 5.0, 20.0])


def fit_floor(X):
    return np.log(X).sum(axis=0)


def score_floor(X, alpha):
    return np.log(X) @ (alpha - 1.0)


def moment_start(X):
    """log(s m): the mean m, and the s matching the first component's variance."""
    mean = X.mean(axis=0)
    precision = mean[0] * (1 - mean[0]) / X[:, 0].var() - 1
    return np.log(precision * mean)


def scipy_fit_direct(X):
    def loss(log_alpha):
        return -stats.dirichlet(np.exp(log_alpha)).logpdf(X.T).sum()

    return optimize.minimize(loss, moment_start(X), method="L-BFGS-B")


def scipy_fit_statistics(X):
    ell = np.log(X).mean(axis=0)

    def loss(log_alpha):
        alpha = np.exp(log_alpha)
        value = gammaln(alpha).sum() - gammaln(alpha.sum()) - (alpha - 1) @ ell
        gradient = digamma(alpha) - digamma(alpha.sum()) - ell
        return value, gradient * alpha

    return optimize.minimize(loss, moment_start(X), jac=True, method="L-BFGS-B")


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    return rng.dirichlet(CONCENTRATION, size=N_SAMPLES)


def main():
    X = make_data()
    weights = np.random.default_rng(1).uniform(0.5, 2.0, N_SAMPLES)
    model = DirichletDistribution().fit(X)
    frozen = stats.dirichlet(model.concentration_)
    tables = {
        "fit": {
            "floor: log(X).sum(0)": lambda: fit_floor(X),
            "skxent": lambda: DirichletDistribution().fit(X),
            "skxent, sample_weight": lambda: DirichletDistribution().fit(
                X, sample_weight=weights
            ),
            "scipy L-BFGS-B, statistics + analytic gradient": lambda: (
                scipy_fit_statistics(X)
            ),
        },
        "score_samples": {
            "floor: log(X) @ (alpha - 1)": lambda: score_floor(X, model.concentration_),
            "skxent": lambda: model.score_samples(X),
            "scipy dirichlet.logpdf": lambda: frozen.logpdf(X.T),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())
    # The direct program evaluates the likelihood on all the data some
    # hundred times: two rounds suffice.
    direct = best_times({"fit": lambda: scipy_fit_direct(X)}, ANCHOR_REPEATS)["fit"]
    fit_rows = len(tables["fit"])
    rows.insert(
        fit_rows,
        (
            "fit",
            "scipy L-BFGS-B on -sum(logpdf), numerical gradient",
            direct,
            rows[0][3],
        ),
    )

    reference = scipy_fit_statistics(X)
    print(
        f"DirichletDistribution on {N_SAMPLES} x {N_FEATURES} float64 (alpha "
        f"{CONCENTRATION.tolist()}); numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS} ({ANCHOR_REPEATS} for the direct L-BFGS-B); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    print("| operation | implementation | time (ms) | / floor |")
    print("|---|---|---:|---:|")
    for operation, name, seconds, floor_seconds in rows:
        print(
            f"| {operation} | {name} | {1e3 * seconds:.1f} | "
            f"{seconds / floor_seconds:.2f} |"
        )

    direct_result = scipy_fit_direct(X)
    print("\n| fit | max relative difference from skxent's alpha | evaluations |")
    print("|---|---:|---:|")
    for name, result in [
        ("scipy L-BFGS-B, statistics", reference),
        ("scipy L-BFGS-B, direct", direct_result),
    ]:
        gap = np.max(np.abs(np.exp(result.x) / model.concentration_ - 1))
        print(f"| {name} | {gap:.1e} | {result.nfev} |")

    print("\n| fit | peak memory / size of X (float64) |")
    print("|---|---:|")
    for name, function in [
        ("skxent", lambda: DirichletDistribution().fit(X)),
        (
            "skxent, sample_weight",
            lambda: DirichletDistribution().fit(X, sample_weight=weights),
        ),
        ("floor", lambda: fit_floor(X)),
    ]:
        print(f"| {name} | {peak_memory(function) / X.nbytes:.2f} |")


if __name__ == "__main__":
    main()
