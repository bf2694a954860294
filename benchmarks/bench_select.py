"""Benchmark ``skxent select`` on a 1e6-row, 10-column CSV (issue #9).

Selection costs, at the least, each candidate's k fits and k scores on the
folds: that sum is the floor. The run's other costs are reading the CSV and
the selector's own work (fold slices, bookkeeping, the refit of the best).
Reported: the whole command's time, the CSV-reading share, each candidate's
cross-validation time, and the ratio of the whole run to the floor (target:
within 3x).

Run with::

    python benchmarks/bench_select.py

It writes a temporary CSV of about 200 MB.
"""

import contextlib
import io
import os
import tempfile
import time

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import KFold

from skxent._cli import main
from skxent._cli._data import read_table
from skxent.distributions._registry import FAMILIES

N_ROWS, N_COLUMNS, N_FOLDS = 1_000_000, 10, 5


def _write_csv(path):
    rng = np.random.default_rng(0)
    X = rng.gamma(2.0, 1.5, size=(N_ROWS, N_COLUMNS)) + 0.01
    header = ",".join(f"c{j}" for j in range(N_COLUMNS))
    np.savetxt(path, X, delimiter=",", header=header, comments="", fmt="%.6g")


def _bare_cross_validation(frame, estimator, folds):
    """Seconds of the candidate's own k fits and k scores, nothing else."""
    X = frame.to_numpy()
    elapsed = 0.0
    for train, test in folds.split(X):
        train_rows, test_rows = X[train], X[test]
        start = time.perf_counter()
        model = clone(estimator).fit(train_rows)
        model.score(test_rows)
        elapsed += time.perf_counter() - start
    return elapsed


def main_benchmark():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.csv")
        _write_csv(path)
        start = time.perf_counter()
        table = read_table(path)
        reading = time.perf_counter() - start
        output = io.StringIO()
        start = time.perf_counter()
        with (
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(io.StringIO()),
        ):
            status = main(["select", path, "--cv", str(N_FOLDS)])
        whole = time.perf_counter() - start
        assert status == 0, output.getvalue()
    folds = KFold(N_FOLDS, shuffle=True, random_state=0)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| candidate | bare k fits + k scores (s) |")
    print("|---|---:|")
    floor = 0.0
    for cls in FAMILIES:
        if cls._family.kind != "continuous" or cls._family.conditional:
            continue
        try:
            seconds = _bare_cross_validation(table.frame, cls(), folds)
        except ValueError:
            print(f"| {cls._family.name} | does not apply |")
            continue
        floor += seconds
        print(f"| {cls._family.name} | {seconds:.2f} |")
    print(
        f"\nskxent select, {N_ROWS:,} x {N_COLUMNS}: {whole:.1f} s in all, of which "
        f"reading the CSV {reading:.1f} s ({reading / whole:.0%}); the candidates' "
        f"bare cross-validation {floor:.1f} s; whole / bare = {whole / floor:.2f}x"
    )


if __name__ == "__main__":
    main_benchmark()
