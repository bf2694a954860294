"""Which distribution family fits which data, and how to build it from options."""

import numpy as np

from skxent._cli._data import CommandError
from skxent.distributions import (
    BernoulliDistribution,
    CategoricalDistribution,
    GaussianDistribution,
)

__all__ = ["FAMILIES", "applicable_families", "design_matrix", "make_distribution"]

FAMILIES = ("gaussian", "bernoulli", "categorical")


def make_distribution(family, options, *, held_out=False):
    """Build the estimator for ``family`` from parsed command-line options.

    ``held_out=True`` builds it for scoring rows it was not fit on.
    """
    if family == "gaussian":
        return GaussianDistribution(
            covariance_type=options.covariance_type, reg_covar=options.reg_covar
        )
    if family == "bernoulli":
        # binarize=None: the command line never thresholds silently; the data
        # must already be 0/1.
        return BernoulliDistribution(alpha=options.alpha, binarize=None)
    # A held-out row may hold a category the training folds never saw: the MLE
    # gives it probability zero, an infinite cross-entropy reported as such.
    handle_unknown = "zero" if held_out else "error"
    return CategoricalDistribution(alpha=options.alpha, handle_unknown=handle_unknown)


def design_matrix(table, family):
    """Return the matrix the family is fit on, or explain why it does not apply."""
    if family == "gaussian":
        return table.numeric_matrix(family)
    if family == "bernoulli":
        X = table.numeric_matrix(family)
        not_binary = [
            n for n, col in zip(table.names, X.T, strict=True) if not _is_binary(col)
        ]
        if not_binary:
            raise CommandError(
                f"column {not_binary[0]!r} has values other than 0 and 1; the "
                "bernoulli distribution needs binary columns"
            )
        return X
    not_discrete = [
        n
        for n, col in zip(table.names, table.columns, strict=True)
        if col.dtype.kind == "f" and not _is_integral(col)
    ]
    if not_discrete:
        raise CommandError(
            f"column {not_discrete[0]!r} holds non-integer numbers; the "
            "categorical distribution needs labels or integer codes"
        )
    return _discrete_matrix(table)


def applicable_families(table):
    """Families whose assumptions the table's columns satisfy."""
    families = []
    for family in FAMILIES:
        try:
            design_matrix(table, family)
        except CommandError:
            continue
        families.append(family)
    return families


def _is_binary(column):
    return bool(np.all((column == 0) | (column == 1)))


def _is_integral(column):
    return bool(np.all(column == np.round(column)))


def _discrete_matrix(table):
    """Object matrix with integral floats shown as ints (category 3, not 3.0)."""
    X = np.empty((table.n_rows, len(table.names)), dtype=object)
    for j, column in enumerate(table.columns):
        X[:, j] = column.astype(np.int64) if column.dtype.kind == "f" else column
    return X
