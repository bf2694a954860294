"""``skxent select``: rank the applicable families by held-out cross-entropy."""

import math

import numpy as np
from sklearn.model_selection import KFold, cross_val_score

from skxent._cli._data import CommandError
from skxent._cli._families import build, design_data
from skxent._cli._report import LN2, format_table
from skxent.distributions._registry import FAMILIES

__all__ = ["run_select"]


def run_select(table, options, out):
    """Cross-validate every applicable family and print them best first."""
    if options.cv > table.n_rows:
        raise CommandError(
            f"--cv {options.cv} is more folds than the {table.n_rows} rows"
        )
    folds = KFold(n_splits=options.cv, shuffle=True, random_state=options.seed)
    results = []
    for cls in FAMILIES:
        try:
            X = design_data(table, cls)
            model = build(cls, options, table, strict=False)
            scores = cross_val_score(model, X, cv=folds, error_score="raise")
        except (CommandError, ValueError):
            continue
        results.append((cls._family.name, -float(np.mean(scores)), _spread(scores)))
    if not results:
        raise CommandError("no distribution family applies to these columns")
    results.sort(key=lambda result: result[1])
    _print_ranking(results, table, options, out)


def _spread(scores):
    """Standard deviation of the fold scores; undefined (nan) with infinities."""
    return float(np.std(scores)) if np.all(np.isfinite(scores)) else math.nan


def _print_ranking(results, table, options, out):
    print(
        f"Held-out cross-entropy of {table.shape_text()} of {table.source}, "
        f"{options.cv}-fold (lower is better)\n",
        file=out,
    )
    rows = [
        (rank, family, ce, std, ce / LN2)
        for rank, (family, ce, std) in enumerate(results, start=1)
    ]
    print(
        format_table(("rank", "family", "nats/row", "std", "bits/row"), rows), file=out
    )
    if any(np.isinf(r[1]) for r in results):
        print(
            "\nNote: inf means a held-out value never seen in training, which "
            "the maximum-likelihood model gives probability zero.",
            file=out,
        )
