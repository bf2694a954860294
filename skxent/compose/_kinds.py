"""Densities and probability masses: which one a model scores, which the data need.

A continuous family's ``score_samples`` is a log-density, a discrete
family's a log-probability mass. The two are numbers in different units (a
density depends on the unit of measurement, a mass does not), so a selector
must never rank one kind against the other. This module says what kind a
candidate is and what kind a table of data calls for.
"""

import numbers
from collections.abc import Hashable

import numpy as np
import scipy.sparse as sp

from skxent.compose._columns import is_dataframe

__all__ = ["CONTINUOUS", "DISCRETE", "MIXED", "data_kind", "estimator_kind"]

CONTINUOUS, DISCRETE, MIXED = "continuous", "discrete", "mixed"

#: How the data are described: a real number in some column, integers
#: only, or labels (strings or other non-numbers) in some column.
REALS, INTEGERS, LABELS = "reals", "integers", "labels"


def estimator_kind(estimator):
    """The kind of likelihood ``estimator`` scores, or None if it does not say.

    A registered family says so in its ``_family`` description; skxent's
    composites (products, selectors) in ``_likelihood_kind()``; a pipeline
    scores what its last step scores, and a search or a mixture what the
    estimator or component it wraps scores.
    """
    info = getattr(estimator, "_family", None)
    if info is not None:
        return info.kind
    if hasattr(estimator, "_likelihood_kind"):
        return estimator._likelihood_kind()
    if hasattr(estimator, "steps"):
        return estimator_kind(estimator.steps[-1][1])
    for wrapped in ("estimator", "component"):
        if wrapped in getattr(estimator, "__dict__", {}):
            inner = getattr(estimator, wrapped)
            if inner is None and wrapped == "component":
                # SPEC 10: MixtureDistribution(component=None) mixes
                # GaussianDistribution components.
                return CONTINUOUS
            return estimator_kind(inner)
    return None


def common_kind(kinds):
    """One kind for several parts: their kind if they agree, else ``"mixed"``."""
    kinds = set(kinds)
    if None in kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else MIXED


def data_kind(X):
    """Whether ``X`` holds real numbers, integers only, or labels.

    Parameters
    ----------
    X : DataFrame, ndarray or sparse matrix of shape (n_samples, n_features)
        Data after the selector's validation (a 2-D table).

    Returns
    -------
    description : {"reals", "integers", "labels"}
        ``"labels"`` if some column holds non-numbers, else ``"integers"`` if
        every finite value is an integer (booleans count as integers), else
        ``"reals"``.
    evidence : str
        The column (and value) that decided, for messages.
    """
    columns = _columns(X)
    for j, values in columns:
        if not _is_numeric(j, values):
            return LABELS, f"column {j} holds labels (strings or other non-numbers)"
    for j, values in columns:
        value = _first_non_integer(values)
        if value is not None:
            return REALS, f"column {j} holds the non-integer value {value:.6g}"
    return INTEGERS, "every value is an integer"


def _columns(X):
    """``(name for messages, 1-D values)`` for each column of ``X``."""
    if is_dataframe(X):
        return [(repr(name), X[name].to_numpy()) for name in X.columns]
    if sp.issparse(X):
        # The implicit zeros are integers: only the stored values can decide.
        return [("of the sparse matrix", X.data)]
    X = np.asarray(X)
    return [(str(j), X[:, j]) for j in range(X.shape[1])]


def _is_numeric(j, values):
    """Whether column ``j`` holds numbers only (else labels).

    Raises
    ------
    TypeError
        For a value that is neither a number nor a label (an unhashable
        object such as a dict or a list).
    """
    if values.dtype.kind in "biuf":
        return True
    if values.dtype.kind != "O":
        return False
    numeric = True
    for value in values.tolist():
        if isinstance(value, numbers.Real):
            continue
        if not isinstance(value, Hashable):
            raise TypeError(
                f"X column {j}: each argument must be a string or a number (or "
                f"another hashable label); got {value!r}."
            )
        numeric = False
    return numeric


def _first_non_integer(values):
    """A value of ``values`` that is not an integer, or None if they all are."""
    if values.dtype.kind in "biu":
        return None
    values = values.astype(np.float64, copy=False)
    # nan and inf are not integers either: a family for counts cannot take them.
    with np.errstate(invalid="ignore"):
        not_integer = ~(np.isfinite(values) & (values == np.round(values)))
    if not not_integer.any():
        return None
    return values[np.argmax(not_integer)].item()
