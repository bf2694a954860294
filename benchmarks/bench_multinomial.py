"""Benchmark MultinomialDistribution against its floors and anchors.

The data are a sparse bag of words (CSR, int64 counts, about 1e6 stored
entries): documents of varying length over a vocabulary whose word
frequencies follow Zipf's law, as ``CountVectorizer`` would produce.

The *floors* are the least work any implementation must do:

- ``fit``: the per-word sums, ``X.sum(axis=0)`` (``X.T @ w`` with weights);
- ``score_samples``: the data term ``X @ log p`` (without the multinomial
  coefficient, which needs a log-factorial per stored entry on top).

The *anchors* are ``sklearn.naive_bayes.MultinomialNB.fit`` with a single
class (the same estimate) and, for ``score_samples``, what a user would
otherwise write: ``scipy.stats.multinomial(N_i, p).logpmf`` on the rows,
which needs dense rows, so it runs on the first ``SCIPY_ROWS`` documents and
is compared per row. Each time is the best of a few repeats
(``time.perf_counter``). Run with::

    python benchmarks/bench_multinomial.py

and paste the markdown tables into ``benchmarks/README.md``.
"""

import os

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from _timing import best_times
from scipy.stats import multinomial
from sklearn.naive_bayes import MultinomialNB

from skxent import MultinomialDistribution

N_DOCUMENTS, N_WORDS, N_ENTRIES = 100_000, 20_000, 1_050_000
SCIPY_ROWS = 500
REPEATS = 25


def make_bag_of_words(random_state=0):
    """CSR counts of about 1e6 distinct (document, word) pairs."""
    rng = np.random.default_rng(random_state)
    zipf = 1.0 / np.arange(1, N_WORDS + 1)
    documents = rng.integers(0, N_DOCUMENTS, size=N_ENTRIES)
    words = rng.choice(N_WORDS, size=N_ENTRIES, p=zipf / zipf.sum())
    counts = rng.geometric(0.6, size=N_ENTRIES)
    X = sp.csr_matrix(
        (counts, (documents, words)), shape=(N_DOCUMENTS, N_WORDS), dtype=np.int64
    )
    X.sum_duplicates()
    return X


def _table(rows):
    print("| operation | implementation | time (ms) | / floor |")
    print("|---|---|---:|---:|")
    for operation, name, seconds, floor in rows:
        print(f"| {operation} | {name} | {1e3 * seconds:.2f} | {seconds / floor:.2f} |")


def main():
    X = make_bag_of_words()
    y = np.zeros(X.shape[0])
    weights = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[0])
    model = MultinomialDistribution(alpha=1.0).fit(X)
    log_p = np.log(model.probabilities_)
    nb = MultinomialNB(alpha=1.0).fit(X, y)

    tables = {
        "fit": {
            "floor: X.sum(axis=0)": lambda: X.sum(axis=0),
            "skxent": lambda: MultinomialDistribution(alpha=1.0).fit(X),
            "sklearn MultinomialNB.fit, one class": lambda: MultinomialNB(
                alpha=1.0
            ).fit(X, y),
        },
        "fit, sample_weight": {
            "floor: X.T @ w": lambda: X.T @ weights,
            "skxent": lambda: MultinomialDistribution(alpha=1.0).fit(
                X, sample_weight=weights
            ),
            "sklearn MultinomialNB.fit, one class": lambda: MultinomialNB(
                alpha=1.0
            ).fit(X, y, sample_weight=weights),
        },
        "score_samples": {
            "floor: X @ log p": lambda: X @ log_p,
            "skxent": lambda: model.score_samples(X),
            "sklearn MultinomialNB.predict_joint_log_proba (no coefficient)": (
                lambda: nb.predict_joint_log_proba(X)
            ),
        },
    }
    rows = []
    for operation, functions in tables.items():
        times = best_times(functions, REPEATS)
        floor = next(iter(times.values()))
        rows.extend((operation, name, t, floor) for name, t in times.items())

    # scipy needs dense rows of counts and their totals: time it on the first
    # rows only (densified beforehand, which is not counted) and compare
    # per-row times with skxent on the same rows and on all of them.
    head = X[:SCIPY_ROWS]
    dense_head = head.toarray()
    totals = dense_head.sum(axis=1)
    assert np.allclose(
        multinomial.logpmf(dense_head, totals, model.probabilities_),
        model.score_samples(head),
    )
    per_row = best_times(
        {
            "scipy multinomial.logpmf (dense rows)": lambda: multinomial.logpmf(
                dense_head, totals, model.probabilities_
            ),
            "skxent, same rows (sparse)": lambda: model.score_samples(head),
        },
        3,
    )
    per_row = {name: t / SCIPY_ROWS for name, t in per_row.items()}
    skxent_all = next(
        t for op, n, t, _ in rows if op == "score_samples" and n == "skxent"
    )
    per_row["skxent, all rows (sparse)"] = skxent_all / X.shape[0]

    print(
        f"MultinomialDistribution on a CSR bag of words, {X.shape[0]:,} documents "
        f"x {X.shape[1]:,} words, {X.nnz:,} stored int64 counts (mean document "
        f"length {X.sum() / X.shape[0]:.1f}); numpy {np.__version__}, scipy "
        f"{scipy.__version__}, scikit-learn {sklearn.__version__}; best of "
        f"{REPEATS}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "cores.\n"
    )
    _table(rows)
    print(
        f"\n| score_samples per row, first {SCIPY_ROWS} rows | µs per row | / skxent |"
    )
    print("|---|---:|---:|")
    reference = per_row["skxent, same rows (sparse)"]
    for name, seconds in per_row.items():
        print(f"| {name} | {1e6 * seconds:.2f} | {seconds / reference:.1f} |")


if __name__ == "__main__":
    main()
