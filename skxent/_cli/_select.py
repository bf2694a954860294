"""``skxent select``: rank the applicable families by held-out cross-entropy."""

import math

import numpy as np
from sklearn.model_selection import KFold, cross_val_score

from skxent._cli._data import CommandError
from skxent._cli._families import (
    applicable_families,
    design_matrix,
    make_distribution,
)
from skxent._cli._report import LN2, format_table

__all__ = ["run_select"]


def run_select(table, options, out):
    """Cross-validate every applicable family and print them best first."""
    families = applicable_families(table)
    if not families:
        raise CommandError("no distribution family applies to these columns")
    if options.cv > table.n_rows:
        raise CommandError(
            f"--cv {options.cv} is more folds than the {table.n_rows} rows"
        )
    folds = KFold(n_splits=options.cv, shuffle=True, random_state=options.seed)
    results = []
    for family in families:
        model = make_distribution(family, options, held_out=True)
        # score is the held-out mean log-likelihood: minus the cross-entropy.
        scores = cross_val_score(model, design_matrix(table, family), cv=folds)
        results.append((family, -float(np.mean(scores)), _spread(scores)))
    results.sort(key=lambda result: result[1])
    _print_ranking(results, table, options, out)


def _spread(scores):
    """Standard deviation of the fold scores; undefined (nan) with infinities."""
    return float(np.std(scores)) if np.all(np.isfinite(scores)) else math.nan


def _print_ranking(results, table, options, out):
    print(
        f"Held-out cross-entropy of {len(table.names)} columns x {table.n_rows} "
        f"rows of {options.file}, {options.cv}-fold (lower is better)\n",
        file=out,
    )
    rows = [
        (rank, family, ce, std, ce / LN2)
        for rank, (family, ce, std) in enumerate(results, start=1)
    ]
    print(
        format_table(("rank", "family", "nats/row", "std", "bits/row"), rows), file=out
    )
    if "gaussian" in {r[0] for r in results} and len(results) > 1:
        print(
            "\nNote: gaussian scores a density, the discrete families a "
            "probability mass; the two compare only for integer-coded data "
            "with unit spacing.",
            file=out,
        )
    if any(np.isinf(r[1]) for r in results):
        print(
            "\nNote: inf means a held-out value never seen in training, which "
            "the maximum-likelihood model gives probability zero.",
            file=out,
        )
