"""Input validation shared by every public function and estimator of skxent.

Each helper validates one kind of input and raises a ``ValueError`` or
``TypeError`` whose message names the offending parameter, so that estimators
and functions can validate first and then hand clean arrays to the private
numerical kernels.
"""

import numbers

import numpy as np
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "as_float_array",
    "check_n_samples",
    "check_not_datetime",
    "check_probability_vectors",
    "check_sample_weight",
]

#: Relative tolerance on the sum of a probability vector. Looser than float64
#: round-off so that vectors written to text with ~7 digits still pass, tight
#: enough that an unnormalised vector is never silently accepted.
SUM_RTOL = 1e-6


def check_sample_weight(sample_weight, X, *, dtype=np.float64, allow_all_zero=False):
    """Return validated non-negative sample weights with a positive sum.

    Parameters
    ----------
    sample_weight : array-like of shape (n_samples,) or None
        Weights to validate; ``None`` means unit weights.
    X : array-like or sparse matrix of shape (n_samples, ...)
        Validated data whose number of rows the weights must match.
    dtype : dtype, default=np.float64
        Floating dtype of the returned weights.
    allow_all_zero : bool, default=False
        Accept weights that are all zero: for one block of a larger data
        set, which may carry no weight while the whole set does.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        Finite, non-negative weights.

    Raises
    ------
    ValueError
        If the weights have the wrong shape, are negative or not finite, or
        are all zero (the weighted empirical distribution would be undefined).
    """
    if sample_weight is not None:
        _check_numeric_weights(sample_weight)
    weights = _check_sample_weight(
        sample_weight, X, dtype=dtype, ensure_non_negative=True
    )
    # The maximum, not the sum: a sum of weights of 1e308 overflows, and
    # weights are scale-free (estimators divide by the maximum).
    if (
        sample_weight is not None
        and not allow_all_zero
        and not weights.max(initial=0.0) > 0
    ):
        raise ValueError(
            "sample_weight must have a positive sum; got all-zero weights, "
            "which define no empirical distribution."
        )
    return weights


def _check_numeric_weights(sample_weight):
    """Refuse weights that are not real numbers, naming the parameter."""
    if np.isscalar(sample_weight) and not isinstance(sample_weight, str):
        return
    try:
        kind = np.asarray(sample_weight).dtype.kind
    except (TypeError, ValueError):
        kind = "O"
    if kind not in "biuf":
        raise TypeError(
            "sample_weight must be numeric: one real, non-negative weight per "
            "row; got values such as "
            f"{np.ravel(np.asarray(sample_weight, dtype=object))[:1].tolist()!r}."
        )


def check_not_datetime(X, *, name="X"):
    """Refuse datetime and timedelta data, which would be read as nanoseconds.

    ``timedelta64`` is a numpy subtype of ``signedinteger``, so numeric
    validation lets it through as counts of nanoseconds (a mean of 1.58e15);
    no skxent model means that.

    Raises
    ------
    TypeError
        Naming the parameter (and the column of a DataFrame).
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):
        for column, dtype in dtypes.items():
            if getattr(dtype, "kind", "x") in ("m", "M"):
                raise TypeError(
                    f"{name} column {column!r} holds {dtype} values; convert "
                    "dates and durations to numbers (e.g. days) first."
                )
        return X
    dtype = getattr(X, "dtype", None)
    if getattr(dtype, "kind", "x") in ("m", "M"):
        raise TypeError(
            f"{name} holds {dtype} values; convert dates and durations to "
            "numbers (e.g. days) first."
        )
    return X


def check_n_samples(n_samples):
    """Validate the ``n_samples`` argument of ``sample`` methods."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise TypeError(
            f"n_samples must be an integer, got {type(n_samples).__name__}."
        )
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}.")
    return int(n_samples)


def check_probability_vectors(p, *, name, axis=-1, rtol=SUM_RTOL):
    """Validate an array of probability vectors along ``axis``.

    Parameters
    ----------
    p : array-like
        Candidate probability vectors.
    name : str
        Name of the parameter, used in error messages.
    axis : int, default=-1
        Axis along which each vector sums to one.
    rtol : float, default=1e-6
        Relative tolerance on the sums.

    Returns
    -------
    p : ndarray
        The input as a floating-point array (no copy when already floating).

    Raises
    ------
    ValueError
        If ``p`` is empty, contains nan or inf, has negative entries, or has
        vectors whose sum differs from 1 by more than ``rtol``.
    """
    p = as_float_array(p, name=name)
    if p.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar.")
    try:
        # inf - inf is nan, which the sum check below reports; not a warning.
        with np.errstate(invalid="ignore", over="ignore"):
            sums = p.sum(axis=axis)
    except np.exceptions.AxisError as exc:
        raise ValueError(
            f"axis {axis} is out of bounds for {name} of shape {p.shape}."
        ) from exc
    if p.shape[axis] == 0:
        raise ValueError(f"{name} has empty probability vectors (shape {p.shape}).")
    # A single reduction catches nan and inf (they propagate into the sums) and
    # unnormalised vectors; only when it fails do we pay for a precise message.
    if not np.all(np.abs(sums - 1.0) <= rtol):
        _raise_for_bad_probabilities(p, sums, name=name, axis=axis, rtol=rtol)
    # Negative entries can hide in a vector that still sums to one.
    if p.size and p.min() < 0:
        raise ValueError(f"{name} has negative entries; probabilities must be >= 0.")
    return p


def as_float_array(a, *, name):
    """Return ``a`` as a real floating-point array, without copying floats.

    Floating arrays are returned as they are; booleans and integers are
    converted to float64.

    Raises
    ------
    TypeError
        If ``a`` is not real-valued numeric (strings, objects, complex).
    """
    a = np.asarray(a)
    check_not_datetime(a, name=name)
    if a.dtype == object or not (
        np.issubdtype(a.dtype, np.integer)
        or np.issubdtype(a.dtype, np.floating)
        or a.dtype == np.bool_
    ):
        raise TypeError(f"{name} must be numeric (real-valued), got dtype {a.dtype}.")
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    return a


def _raise_for_bad_probabilities(p, sums, *, name, axis, rtol):
    """Raise the most specific error for probability vectors that failed."""
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{name} contains nan or inf.")
    if p.min() < 0:
        raise ValueError(f"{name} has negative entries; probabilities must be >= 0.")
    bad = np.flatnonzero(np.abs(np.ravel(sums) - 1.0) > rtol)
    raise ValueError(
        f"{name} has {bad.size} probability vector(s) along axis {axis} that do "
        f"not sum to 1 (relative tolerance {rtol:g}); e.g. one sums to "
        f"{float(np.ravel(sums)[bad[0]])!r}. skxent does not renormalise silently."
    )
