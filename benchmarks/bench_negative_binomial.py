"""Benchmark NegativeBinomialDistribution against the floor and the anchors.

The *floor* is the least work any implementation must do:

- ``fit``: the count histogram of the column, ``np.bincount`` of the counts
  converted to integers (the solver then works on the few distinct values);
- ``score_samples``: the same conversion and one gather from a table of the
  log-mass on ``0..max``.

The *anchors* are what a user would call otherwise: statsmodels' NB2
regression with an intercept only (``NegativeBinomial(y, ones)``, the same
MLE), ``scipy.stats.fit(nbinom, ...)`` (which keeps ``n`` an integer and
evaluates the log-likelihood on every row at each step, so it runs on a
tenth of the rows and its time is given for those), and ``nbinom.logpmf``
summed over columns for scoring. Each time is the best of a few repeats
(``time.perf_counter``). Run with::

    python benchmarks/bench_negative_binomial.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os
import warnings

import numpy as np
import scipy
import sklearn
from _timing import best_times
from scipy import stats

from skxent import NegativeBinomialDistribution

N_SAMPLES = 1_000_000
N_SCIPY_FIT = 100_000
N, P = 1.5, 0.1
REPEATS, ANCHOR_REPEATS = 15, 1


def fit_floor(x, weights=None):
    return np.bincount(x.astype(np.intp), weights)


def score_floor(x, table):
    return table[x.astype(np.intp)]


def statsmodels_fit(y):
    from statsmodels.discrete.discrete_model import NegativeBinomial

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = NegativeBinomial(y, np.ones((y.size, 1)), loglike_method="nb2")
        return model.fit(disp=0)


def scipy_fit(y):
    bounds = {"n": (0.01, 100.0), "p": (0.001, 0.999)}
    return stats.fit(stats.nbinom, y, bounds=bounds)


def main():
    rng = np.random.default_rng(0)
    X = rng.negative_binomial(N, P, size=(N_SAMPLES, 1)).astype(np.float64)
    X_int = X.astype(np.int64)
    weights = rng.uniform(0.5, 2.0, N_SAMPLES)
    x = X[:, 0]
    model = NegativeBinomialDistribution().fit(X)
    frozen = stats.nbinom(model.n_, model.p_)
    table = stats.nbinom(model.n_[0], model.p_[0]).logpmf(np.arange(x.max() + 1))

    tables = {
        "fit": {
            "floor: np.bincount(x.astype(intp))": lambda: fit_floor(x),
            "skxent": lambda: NegativeBinomialDistribution().fit(X),
            "skxent, int64 X": lambda: NegativeBinomialDistribution().fit(X_int),
        },
        "fit, sample_weight": {
            "floor: np.bincount(x.astype(intp), weights)": lambda: fit_floor(
                x, weights
            ),
            "skxent": lambda: NegativeBinomialDistribution().fit(
                X, sample_weight=weights
            ),
        },
        "score_samples": {
            "floor: table[x.astype(intp)]": lambda: score_floor(x, table),
            "skxent": lambda: model.score_samples(X),
            "scipy nbinom.logpmf(X).sum(1)": lambda: frozen.logpmf(X).sum(axis=1),
        },
    }
    rows = []  # (operation, implementation, seconds, floor seconds)
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())
    fit_rows = len(tables["fit"])
    anchors = best_times(
        {
            "statsmodels NegativeBinomial (nb2, intercept)": lambda: statsmodels_fit(x),
            f"scipy.stats.fit(nbinom), {N_SCIPY_FIT} rows": lambda: scipy_fit(
                x[:N_SCIPY_FIT]
            ),
        },
        ANCHOR_REPEATS,
    )
    for offset, (name, seconds) in enumerate(anchors.items()):
        rows.insert(fit_rows + offset, ("fit", name, seconds, rows[0][3]))

    print(
        f"NegativeBinomialDistribution on {N_SAMPLES} counts of nbinom({N}, {P}) "
        f"({np.unique(x).size} distinct values); numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS} ({ANCHOR_REPEATS} for the anchors' fits); load average "
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
