"""The support of a family: refused at fit, probability zero at score time.

A family whose support is smaller than the real line (counts, positive or
bounded values, the simplex) refuses training data outside it with a
``ValueError`` that names the column and the value, and gives such rows a
log-likelihood of ``-inf`` at score time, without a warning: the model gives
them probability zero, which is a number, not an error.
"""

import numpy as np

__all__ = [
    "check_in_support",
    "column_name",
    "mask_outside",
    "outside_support_error",
]


def column_name(estimator, j):
    """Describe column ``j`` for messages, with its name if the data had one."""
    names = getattr(estimator, "feature_names_in_", None)
    return f"column {j}" if names is None else f"column {j} ({names[j]!r})"


def check_in_support(estimator, X, inside, support):
    """Raise if some entry of dense ``X`` lies outside the family's support.

    Parameters
    ----------
    estimator : estimator
        The estimator being fit; names the family and the columns.
    X : ndarray of shape (n_samples, n_features)
        Validated data.
    inside : ndarray of bool, same shape as ``X`` or (n_samples,)
        Whether each entry (or each row, for multivariate supports such as
        the simplex) is in the support.
    support : str
        The support in words, e.g. ``"x > 0"``.

    Raises
    ------
    ValueError
        Naming the first offending column (or row) and its value.
    """
    if np.all(inside):
        return
    family = type(estimator).__name__
    if inside.ndim == 1:
        i = int(np.flatnonzero(~inside)[0])
        raise ValueError(
            f"{family} needs rows with {support}; row {i} is "
            f"{np.asarray(X[i]).tolist()!r}."
        )
    i, j = np.argwhere(~inside)[0]
    raise outside_support_error(estimator, support, i, j, X[i, j].item())


def outside_support_error(estimator, support, i, j, value):
    """The error for entry ``(i, j)`` of value ``value`` outside the support.

    For the families that find the entry themselves (a stored entry of a
    sparse matrix, say), so that every family words it alike.
    """
    return ValueError(
        f"{type(estimator).__name__} needs {support}; {column_name(estimator, j)} "
        f"has the value {value!r} (row {i})."
    )


def mask_outside(log_likelihood, inside_rows):
    """Set the log-likelihood of rows outside the support to ``-inf``, in place.

    The family computes ``log_likelihood`` on the rows as they are (with
    errors suppressed or on clipped values); this overwrites the rows where
    the model's probability is zero.
    """
    if not np.all(inside_rows):
        log_likelihood[~inside_rows] = -np.inf
    return log_likelihood
