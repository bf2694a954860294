"""Estimators built from skxent densities: input checks and tags.

A mixture and a generative classifier hold one skxent density per component
or class. The data a density accepts (floats, sparse counts, strings, a
mixed table) are that density's business, so the composite hands ``X`` to
the density's own validation; the feature metadata (``n_features_in_``,
``feature_names_in_``) are the composite's own, so that its error messages
and warnings name it. Both happen here, once per call, whatever the number
of components or classes.
"""

import copy

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils.validation import validate_data

from skxent._validation import check_not_datetime
from skxent.distributions._base import _BaseDensity

__all__ = [
    "check_density",
    "delegate_input_tags",
    "fitted_from",
    "statistics_of",
    "take_rows",
    "validate_through",
]


def check_density(density, *, name):
    """A fresh clone of ``density``, which must be a skxent density estimator.

    Its parameters are validated here, because a composite calls the
    density's private fitting methods, which do not validate them.

    Raises
    ------
    TypeError
        Naming the parameter, if ``density`` is not a skxent density.
    """
    if not isinstance(density, _BaseDensity):
        raise TypeError(
            f"{name} must be a skxent density estimator such as "
            f"GaussianDistribution() or CategoricalDistribution(); got "
            f"{density!r}."
        )
    density = clone(density)
    density._validate_params()
    return density


def validate_through(estimator, density, X, *, reset):
    """Validate ``X`` for ``estimator`` with the data checks of ``density``.

    Parameters
    ----------
    estimator : estimator
        The composite: sets (``reset=True``) or checks its feature metadata.
    density : _BaseDensity
        An unfitted density of the composite's configuration; it is not
        modified (a shallow copy validates the data).
    X : array-like of shape (n_samples, n_features)
        The data.
    reset : bool
        Whether this is a fit (set the metadata) or a later call (check it).

    Returns
    -------
    X : object
        ``X`` validated by ``density._validate_X``, ready for the
        ``_log_likelihood`` and ``_compute_statistics`` of any fitted density
        of that configuration.
    validator : _BaseDensity
        The shallow copy of ``density`` that validated ``X``; it carries the
        feature metadata of ``X``, as a density fit on ``X`` would.
    """
    check_not_datetime(X)
    # The density checks the values, dtypes and sparsity first, so that a
    # 1-D or empty X gets its message ("Reshape your data") rather than one
    # about feature counts.
    validator = copy.copy(density)
    X_valid = validator._validate_X(X, reset=True)
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    return X_valid, validator


def delegate_input_tags(tags, density):
    """``tags`` with the input tags of ``density``: the data it accepts."""
    tags.input_tags = copy.deepcopy(get_tags(density).input_tags)
    return tags


def take_rows(X, X_valid, rows):
    """Some rows of the data, in a form the density's ``fit`` accepts.

    A DataFrame keeps its columns (names and dtypes); numeric data are taken
    from their validated array or sparse matrix (any sparse format the
    density converted); other data (lists, arrays of labels) as given.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data as given.
    X_valid : object
        The data as the density validated them.
    rows : ndarray of int
        Indices of the rows to keep.

    Returns
    -------
    X_rows : object
    """
    if hasattr(X, "iloc"):
        return X.iloc[rows]
    if sp.issparse(X_valid) or isinstance(X_valid, np.ndarray):
        return X_valid[rows]
    if not isinstance(X, list | np.ndarray):
        X = np.asarray(X)
    return _safe_indexing(X, rows)


def statistics_of(density, X_valid, sample_weight):
    """A family's sufficient statistics of validated rows, as its ``fit`` computes.

    ``MLEDistribution._batch_statistics``, the computation ``fit`` makes
    after validation: a composite that fits many models on data it validated
    once calls this instead of ``fit``, which would validate the data again
    for each.

    Parameters
    ----------
    density : MLEDistribution
        A density of the family, configured (its parameters are read).
    X_valid : object
        Rows as ``density._validate_X`` returns them.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights with a positive maximum; None for unit weights.

    Returns
    -------
    statistics : Statistics
    """
    return density._batch_statistics(X_valid, sample_weight)


def fitted_from(density, statistics):
    """A copy of ``density`` fitted to ``statistics`` (its metadata kept).

    Raises
    ------
    ValueError
        If the family cannot fit a model to the statistics.
    """
    fitted = copy.copy(density)
    fitted._set_fitted(statistics, {})
    return fitted
