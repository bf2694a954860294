"""Benchmark CategoricalDistribution.fit against its floor and anchors.

The floor for non-negative integer codes is ``np.bincount`` (one pass, no
validation). Strings have no floor short of a compiled hash count; the
tightest reference known is pandas ``value_counts`` (compiled, on Arrow
strings when pyarrow is installed). The anchors are ``np.unique`` and
scikit-learn's ``CategoricalNB`` with a single class. Run as a script::

    python benchmarks/bench_categorical.py            # the table
    python benchmarks/bench_categorical.py --sweep    # n = 1e3 ... 1e7

The table is markdown (best of a few repeats, ``time.perf_counter``, the
implementations taking turns, peak memory from ``tracemalloc``); the sweep
writes ``benchmarks/results/categorical.json`` for ``plot_growth.py``.
"""

import argparse

import numpy as np
from _growth import (
    Sweep,
    interleaved_best_times,
    load_note,
    target_lines,
    write_results,
)
from _timing import peak_memory
from sklearn.naive_bayes import CategoricalNB

from skxent import CategoricalDistribution

try:
    import pandas as pd
except ImportError:  # pandas is optional
    pd = None

N_CATEGORIES = 100
REPEATS = 3

#: Sizes of the sweeps; every one fits in memory with room to spare (1e7
#: codes are 80 MB), so the cost of the anchors caps them.
SWEEP_N = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
SWEEP_N += [3_000_000, 10_000_000]

FIT, BINCOUNT, UNIQUE = "skxent fit", "np.bincount (floor)", "np.unique"
NAIVE_BAYES, PANDAS = "CategoricalNB fit", "pandas value_counts"
ROLES = {FIT: "skxent", BINCOUNT: "floor", UNIQUE: "anchor", NAIVE_BAYES: "anchor"}


def integer_cases(n_samples, rng):
    labels = rng.integers(0, N_CATEGORIES, size=n_samples)
    X = labels.reshape(-1, 1)
    y = np.zeros(n_samples)
    cases = {
        FIT: lambda: CategoricalDistribution().fit(X),
        BINCOUNT: lambda: np.bincount(labels),
        UNIQUE: lambda: np.unique(labels, return_counts=True),
        NAIVE_BAYES: lambda: CategoricalNB().fit(X, y),
    }
    if pd is not None:
        series = pd.Series(labels)
        cases[PANDAS] = series.value_counts
    return cases, BINCOUNT


def string_cases(n_samples, rng):
    names = np.array([f"category-{k}" for k in range(N_CATEGORIES)], dtype=object)
    labels = names[rng.integers(0, N_CATEGORIES, size=n_samples)]
    X = labels.reshape(-1, 1)
    cases = {
        FIT: lambda: CategoricalDistribution().fit(X),
        UNIQUE: lambda: np.unique(labels, return_counts=True),
    }
    if pd is not None:
        series = pd.Series(labels)
        cases[PANDAS] = series.value_counts
        return cases, PANDAS
    return cases, UNIQUE


def table():
    rng = np.random.default_rng(0)
    print(
        f"np.bincount is the floor of integer codes, pandas value_counts the "
        f"reference for strings; best of {REPEATS} (1 for np.unique on "
        f"strings); {load_note()} before.\n"
    )
    print(
        "| data | n_samples | method | time (s) | ratio to reference | "
        "peak memory (MB) |"
    )
    print("|---|---|---|---|---|---|")
    for kind, make_cases, sizes in [
        ("int codes", integer_cases, (2_000_000, 10_000_000)),
        ("strings", string_cases, (2_000_000,)),
    ]:
        for n_samples in sizes:
            cases, reference = make_cases(n_samples, rng)
            repeats = {
                name: 1 if name == UNIQUE and kind == "strings" else REPEATS
                for name in cases
            }
            times = interleaved_best_times(cases, repeats)
            for name, seconds in times.items():
                ratio = seconds / times[reference]
                peak = peak_memory(cases[name]) / 1e6
                print(
                    f"| {kind} | {n_samples:,} | {name} | {seconds:.4f} | "
                    f"{ratio:.2f}x {reference} | {peak:.1f} |"
                )
    print(f"\n{load_note()} after.")


def sweep_integers(max_n):
    sweep = Sweep(
        "int codes",
        "n_samples",
        {"n_categories": N_CATEGORIES},
        {**ROLES, PANDAS: "anchor"},
        [
            (
                f"fit, integer codes, {N_CATEGORIES} categories",
                [FIT, UNIQUE, NAIVE_BAYES, PANDAS, BINCOUNT],
            )
        ],
        [(FIT, BINCOUNT, 1.5)],
    )
    rng = np.random.default_rng(0)
    for n in [n for n in SWEEP_N if n <= max_n]:
        sweep.measure(n, n, integer_cases(n, rng)[0])
    return sweep


def sweep_strings(max_n):
    # Without pandas, np.unique is the reference; both are drawn as floors.
    reference = PANDAS if pd is not None else UNIQUE
    sweep = Sweep(
        "strings",
        "n_samples",
        {"n_categories": N_CATEGORIES},
        {FIT: "skxent", UNIQUE: "anchor", reference: "floor"},
        [
            (
                f"fit, Python strings, {N_CATEGORIES} categories",
                [FIT, UNIQUE, PANDAS] if pd is not None else [FIT, UNIQUE],
            )
        ],
        [(FIT, reference, 1.0)],
        caps={UNIQUE: (1_000_000, "it sorts Python strings: 4 s at 1e7")},
    )
    rng = np.random.default_rng(0)
    for n in [n for n in SWEEP_N if n <= max_n]:
        sweep.measure(n, n, string_cases(n, rng)[0])
    return sweep


def sweep(max_n):
    print(f"Categorical sweeps; {load_note()}", flush=True)
    sweeps = [sweep_integers(max_n), sweep_strings(max_n)]
    write_results(
        "categorical",
        "CategoricalDistribution.fit: time per row against n, one column of "
        f"{N_CATEGORIES} categories",
        sweeps,
    )
    print(f"\n{load_note()}\n")
    print("| ratio | target | measured, by size |\n|---|---|---|")
    for one in sweeps:
        print("\n".join(target_lines(one.as_dict())))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sweep", action="store_true", help="sweep n, write results JSON"
    )
    parser.add_argument("--max-n", type=int, default=SWEEP_N[-1])
    args = parser.parse_args()
    if args.sweep:
        sweep(args.max_n)
    else:
        table()


if __name__ == "__main__":
    main()
