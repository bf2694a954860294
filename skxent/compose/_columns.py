"""Which columns of a table each part of a product models.

The column specifications are those of
:class:`~sklearn.compose.ColumnTransformer` (names for DataFrames, integer
indices, slices, boolean masks, lists, or a callable returning one of these),
resolved by scikit-learn's own indexing helper. What is particular to a
product of densities is checked here: every part models at least one column,
no column is modelled twice, and columns left over are refused or dropped as
``remainder`` says.
"""

import numpy as np
import pandas as pd
from sklearn.utils._indexing import _get_column_indices

__all__ = [
    "as_table",
    "describe_columns",
    "is_dataframe",
    "resolve_columns",
    "take_columns",
]


def is_dataframe(X):
    """Whether ``X`` is a pandas DataFrame."""
    return isinstance(X, pd.DataFrame)


def take_columns(X, indices):
    """The columns ``indices`` of a DataFrame or 2-D array, as a 2-D table."""
    if is_dataframe(X):
        return X.iloc[:, indices]
    return X[:, indices]


def as_table(X, columns):
    """``X`` as it was at fit: a DataFrame if ``columns`` is not None, else not.

    A part fit on a DataFrame checks the names of the columns it is given,
    and a part fit on an array warns about names it does not expect; the
    product has already checked (and warned about) the table as a whole, so
    its parts receive the layout they were fit on and stay silent.
    """
    if columns is None:
        return X.to_numpy() if is_dataframe(X) else X
    if is_dataframe(X):
        return X
    return pd.DataFrame(X, columns=columns)


def describe_columns(indices, names):
    """The columns ``indices`` for messages: by name when the table had names."""
    if names is None:
        return ", ".join(str(j) for j in indices)
    return ", ".join(repr(names[j]) for j in indices)


def resolve_columns(parts, X, *, remainder):
    """The column indices of each part, checked to be disjoint.

    Parameters
    ----------
    parts : list of (str, estimator, columns)
        The product's parts.
    X : DataFrame or ndarray of shape (n_samples, n_features)
        Validated data.
    remainder : {"error", "drop"}
        What to do with columns that no part models.

    Returns
    -------
    indices : list of ndarray of int
        The columns of each part, in the order the part lists them.

    Raises
    ------
    ValueError
        If a part's columns are not columns of ``X``, select nothing or
        overlap another part's, or if ``remainder="error"`` and some columns
        are modelled by no part.
    """
    names = list(X.columns) if is_dataframe(X) else None
    owner = {}
    indices = []
    for name, _, columns in parts:
        part_indices = _part_indices(name, columns, X)
        for j in part_indices:
            if owner.get(j) == name:
                raise ValueError(
                    f"Part {name!r} selects column {describe_columns([j], names)} "
                    "twice."
                )
            if j in owner:
                raise ValueError(
                    f"Column {describe_columns([j], names)} is modelled by both "
                    f"part {owner[j]!r} and part {name!r}; a product of "
                    "densities needs disjoint columns (the parts are "
                    "independent)."
                )
            owner[j] = name
        indices.append(np.asarray(part_indices, dtype=np.intp))
    left_over = [j for j in range(X.shape[1]) if j not in owner]
    if left_over and remainder == "error":
        raise ValueError(
            f"Column(s) {describe_columns(left_over, names)} of X are modelled by "
            "no part and remainder='error'; add a part for them or set "
            "remainder='drop' to leave them out of the model."
        )
    return indices


def _part_indices(name, columns, X):
    """The indices the specification ``columns`` of part ``name`` selects."""
    key = columns(X) if callable(columns) else columns
    n_features = X.shape[1]
    if _is_boolean_mask(key) and len(key) != n_features:
        raise ValueError(
            f"Part {name!r}: the boolean mask of columns has length {len(key)} "
            f"but X has {n_features} column(s)."
        )
    try:
        part_indices = _get_column_indices(X, key)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(
            f"Part {name!r}: columns={columns!r} does not select columns of X ({exc})."
        ) from exc
    if not part_indices:
        raise ValueError(
            f"Part {name!r}: columns={columns!r} selects no column of X, which "
            f"has {n_features} feature(s); every part must model at least one "
            "column."
        )
    return part_indices


def _is_boolean_mask(key):
    if isinstance(key, (str, slice, int)) or key is None:
        return False
    try:
        return np.asarray(key).dtype == bool and np.ndim(key) == 1
    except (TypeError, ValueError):
        return False
