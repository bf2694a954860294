"""Benchmark StudentTDistribution against the floor and the anchors.

The t likelihood has no sufficient statistics, so the fit is an EM
algorithm: every iteration passes over the data. The *floor* of a fit is
therefore one pass of a Gaussian fit (the mean and one centred Gram matrix,
``Xc = X - X.mean(0); Xc.T @ Xc``) times the number of EM iterations the
fit ran (``n_iter_``, reported): an iteration cannot cost less than the
weighted M-step it contains. The *floor* of ``score_samples`` is the one of
a Gaussian's (centre, one Cholesky factorisation, one triangular solve and
the row sums of squares) plus the ``log1p`` of the distances.

The *anchors* are the scipy calls a user would make: ``scipy.stats.t.fit``
(one feature only: scipy has no multivariate t fit) and
``scipy.stats.multivariate_t.logpdf``. Each time is the best of a few
repeats (``time.perf_counter``). Run with::

    python benchmarks/bench_student_t.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import sklearn
from _timing import best_time, best_times
from scipy import stats
from scipy.linalg import cholesky, solve_triangular

from skxent import StudentTDistribution

SHAPES = ((1_000_000, 1), (100_000, 5))
DOF = 4.0
REPEATS, ANCHOR_REPEATS = 5, 1


def gaussian_pass(X):
    centred = X - X.mean(axis=0)
    return centred.T @ centred


def score_floor(X, mean, covariance, dof):
    lower = cholesky(covariance, lower=True, check_finite=False)
    centred = X - mean
    standardized = solve_triangular(
        lower, centred.T, lower=True, overwrite_b=True, check_finite=False
    )
    return np.log1p(np.einsum("ij,ij->j", standardized, standardized) / dof)


def make_data(n_samples, n_features, random_state=0):
    rng = np.random.default_rng(random_state)
    mixing = np.tril(rng.standard_normal((n_features, n_features))) + np.eye(n_features)
    normal = rng.standard_normal((n_samples, n_features)) @ mixing.T
    return normal / np.sqrt(rng.chisquare(DOF, n_samples) / DOF)[:, None] + 10.0


def benchmark(n_samples, n_features):
    """Rows of the table for one shape, and the fitted model's n_iter_."""
    X = make_data(n_samples, n_features)
    model = StudentTDistribution().fit(X)
    pass_time = best_time(lambda: gaussian_pass(X), REPEATS)
    fit_times = best_times(
        {
            "skxent, dof estimated": lambda: StudentTDistribution().fit(X),
            "skxent, dof fixed": lambda: StudentTDistribution(dof=DOF).fit(X),
        },
        REPEATS,
    )
    fixed = StudentTDistribution(dof=DOF).fit(X)
    operation = f"fit, {n_samples} x {n_features}"
    floor = pass_time * model.n_iter_
    rows = [
        (operation, f"floor: Gaussian pass x {model.n_iter_} iterations", floor, floor)
    ]
    rows.append(
        (operation, "skxent, dof estimated", fit_times["skxent, dof estimated"], floor)
    )
    fixed_floor = pass_time * fixed.n_iter_
    rows.append(
        (
            operation,
            f"skxent, dof fixed ({fixed.n_iter_} iterations; / its own floor)",
            fit_times["skxent, dof fixed"],
            fixed_floor,
        )
    )
    if n_features == 1:
        scipy_time = best_time(lambda: stats.t.fit(X[:, 0]), ANCHOR_REPEATS)
        rows.append((operation, "scipy.stats.t.fit", scipy_time, floor))

    frozen = stats.multivariate_t(model.mean_, model.covariance_, df=model.dof_)
    scoring = {
        "floor: centre + Cholesky + solve + log1p": lambda: score_floor(
            X, model.mean_, model.covariance_, model.dof_
        ),
        "skxent": lambda: model.score_samples(X),
        "scipy multivariate_t.logpdf": lambda: frozen.logpdf(X),
    }
    if n_features == 1:
        scale = np.sqrt(model.covariance_[0, 0])
        univariate = stats.t(model.dof_, loc=model.mean_[0], scale=scale)
        scoring["scipy t.logpdf"] = lambda: univariate.logpdf(X[:, 0])
    times = best_times(scoring, REPEATS)
    score_floor_time = next(iter(times.values()))
    operation = f"score_samples, {n_samples} x {n_features}"
    rows.extend((operation, name, t, score_floor_time) for name, t in times.items())
    return rows, model


def main():
    rows, fits = [], []
    for n_samples, n_features in SHAPES:
        shape_rows, model = benchmark(n_samples, n_features)
        rows.extend(shape_rows)
        fits.append((n_samples, n_features, model))

    print(
        f"StudentTDistribution on t({DOF:g}) data; numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}; best "
        f"of {REPEATS} ({ANCHOR_REPEATS} for scipy.stats.t.fit); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    for n_samples, n_features, model in fits:
        print(
            f"- {n_samples} x {n_features}: n_iter_={model.n_iter_}, "
            f"dof_={model.dof_:.4f}, converged_={model.converged_}"
        )
    print("\n| operation | implementation | time (ms) | / floor |")
    print("|---|---|---:|---:|")
    for operation, name, seconds, floor_seconds in rows:
        print(
            f"| {operation} | {name} | {1e3 * seconds:.1f} | "
            f"{seconds / floor_seconds:.2f} |"
        )


if __name__ == "__main__":
    main()
