"""Benchmark CategoricalDistribution.fit against its floor and anchors.

The floor for non-negative integer codes is ``np.bincount`` (one pass, no
validation); the anchors are ``np.unique``, pandas ``value_counts`` and
scikit-learn's ``CategoricalNB`` with a single class. Run as a script; it
prints one markdown table (best of a few repeats, ``time.perf_counter``).
"""

import numpy as np
from _timing import best_time
from sklearn.naive_bayes import CategoricalNB

from skxent import CategoricalDistribution

try:
    import pandas as pd
except ImportError:  # pandas is optional
    pd = None

N_CATEGORIES = 100
REPEATS = 3


def integer_cases(n_samples, rng):
    labels = rng.integers(0, N_CATEGORIES, size=n_samples)
    X = labels.reshape(-1, 1)
    y = np.zeros(n_samples)
    cases = {
        "skxent fit": lambda: CategoricalDistribution().fit(X),
        "np.bincount (floor)": lambda: np.bincount(labels),
        "np.unique": lambda: np.unique(labels, return_counts=True),
        "CategoricalNB fit": lambda: CategoricalNB().fit(X, y),
    }
    if pd is not None:
        series = pd.Series(labels)
        cases["pandas value_counts"] = series.value_counts
    return cases, "np.bincount (floor)"


def string_cases(n_samples, rng):
    names = np.array([f"category-{k}" for k in range(N_CATEGORIES)], dtype=object)
    labels = names[rng.integers(0, N_CATEGORIES, size=n_samples)]
    X = labels.reshape(-1, 1)
    cases = {
        "skxent fit": lambda: CategoricalDistribution().fit(X),
        "np.unique": lambda: np.unique(labels, return_counts=True),
    }
    if pd is not None:
        series = pd.Series(labels)
        cases["pandas value_counts"] = series.value_counts
        return cases, "pandas value_counts"
    return cases, "np.unique"


def main():
    rng = np.random.default_rng(0)
    print("| data | n_samples | method | time (s) | ratio to reference |")
    print("|---|---|---|---|---|")
    for kind, make_cases, sizes in [
        ("int codes", integer_cases, (2_000_000, 10_000_000)),
        ("strings", string_cases, (2_000_000,)),
    ]:
        for n_samples in sizes:
            cases, reference = make_cases(n_samples, rng)
            repeats = {
                name: 1 if "unique" in name and kind == "strings" else REPEATS
                for name in cases
            }
            times = {name: best_time(f, repeats[name]) for name, f in cases.items()}
            for name, seconds in times.items():
                ratio = seconds / times[reference]
                print(
                    f"| {kind} | {n_samples:,} | {name} | {seconds:.4f} | "
                    f"{ratio:.2f}x {reference} |"
                )


if __name__ == "__main__":
    main()
