"""Benchmark BernoulliDistribution.fit against its floor and anchor.

The floor is ``X.sum(axis=0)`` (one pass over the data, no validation, no
binarization); the anchor is scikit-learn's ``BernoulliNB`` with a single
class. Run as a script; it prints one markdown table (best of a few repeats,
``time.perf_counter``).
"""

import numpy as np
import scipy.sparse as sp
from _timing import best_times
from sklearn.naive_bayes import BernoulliNB

from skxent import BernoulliDistribution

REPEATS = 5


def cases(X):
    y = np.zeros(X.shape[0])
    weights = np.ones(X.shape[0])
    return {
        "skxent fit": lambda: BernoulliDistribution().fit(X),
        "skxent fit, sample_weight": lambda: BernoulliDistribution().fit(
            X, sample_weight=weights
        ),
        "X.sum(axis=0) (floor)": lambda: X.sum(axis=0),
        "BernoulliNB fit": lambda: BernoulliNB().fit(X, y),
    }


def main():
    rng = np.random.default_rng(0)
    datasets = [
        (f"dense {n:,} x 100", rng.normal(size=(n, 100))) for n in (200_000, 1_000_000)
    ]
    datasets.append(
        (
            "CSR 100,000 x 10,000, 1%",
            sp.random(100_000, 10_000, density=0.01, format="csr", random_state=0),
        )
    )
    print("| data | method | time (s) | ratio to floor |")
    print("|---|---|---|---|")
    for name, X in datasets:
        times = best_times(cases(X), REPEATS)
        floor = times["X.sum(axis=0) (floor)"]
        for method, seconds in times.items():
            print(f"| {name} | {method} | {seconds:.4f} | {seconds / floor:.2f}x |")


if __name__ == "__main__":
    main()
