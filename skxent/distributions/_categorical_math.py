"""Pure functions behind :class:`CategoricalDistribution`.

Every function here works on one column at a time: a validated 1-D array of
category values (numeric, or ``object`` for strings and other Python objects)
and, where needed, validated non-negative weights. They know nothing of
estimators; the estimator loops over its columns and names them in errors.

The sufficient statistics of one column are its distinct values, sorted as
:class:`sklearn.preprocessing.OneHotEncoder` sorts its ``categories_``, and
their total weights. Only values of positive total weight are kept, so a row
of weight zero is exactly a row that is not there.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy.special import entr, rel_entr

from skxent.distributions._statistics import Statistics

__all__ = [
    "CategoricalStatistics",
    "align_counts",
    "category_codes",
    "check_no_missing",
    "count_categories",
    "entropy",
    "kl_divergence",
    "log_likelihood",
    "merge_counts",
    "sort_categories",
]


@dataclass(frozen=True)
class CategoricalStatistics(Statistics):
    """Sufficient statistics of independent categorical columns.

    Attributes
    ----------
    categories : tuple of ndarray
        The sorted categories of each column.
    counts : tuple of ndarray
        Their total weights (in units of ``exp(log_scale)``), aligned with
        ``categories``.
    """

    categories: tuple
    counts: tuple

    def _scaled(self, factor):
        return CategoricalStatistics(
            self.categories, tuple(counts * factor for counts in self.counts)
        )

    def _combine(self, other):
        categories, counts = [], []
        columns = zip(
            self.categories, self.counts, other.categories, other.counts, strict=True
        )
        for j, column in enumerate(columns):
            try:
                union, merged = merge_counts(*column)
            except TypeError as exc:
                raise TypeError(f"column {j}: {exc}") from exc
            categories.append(union)
            counts.append(merged)
        return CategoricalStatistics(tuple(categories), tuple(counts))


#: Non-negative integer codes are counted with ``np.bincount`` when their range
#: is at most this many times the number of rows (plus a fixed allowance for
#: small batches): the ``O(max - min)`` array that bincount allocates then costs
#: no more than the ``O(n)`` pass over the data, and huge or sparse codes fall
#: back to sorting.
BINCOUNT_SPAN_PER_ROW = 2
BINCOUNT_SPAN_MIN = 1 << 16

#: Floats above 2**53 are not all integers that float64 represents exactly, so
#: the integer fast path for float codes stops there.
MAX_EXACT_FLOAT_INT = 2.0**53


def check_no_missing(values):
    """Raise a ValueError if an iterable of category values has a missing value."""
    for value in values:
        if _is_missing(value):
            raise ValueError(
                f"found a missing value ({value!r}); missing values are not "
                "supported. Impute them or encode them as a category of their "
                "own, e.g. the string 'missing'."
            )


def _is_missing(value):
    """Whether a category value is a missing-value marker (None or nan)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        # Objects whose comparison does not return a bool (pandas.NA) are
        # missing-value markers too.
        return True


def count_categories(values, sample_weight):
    """Distinct values of one column and their total weights.

    Parameters
    ----------
    values : ndarray of shape (n_samples,)
        Validated category values: a numeric array without nan or inf, or an
        object array.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative sample weights; ``None`` means unit weights.

    Returns
    -------
    categories : ndarray of shape (n_categories,)
        Sorted distinct values of positive total weight.
    counts : ndarray of shape (n_categories,)
        Their total weights (float64), all positive.

    Raises
    ------
    TypeError
        If an object column holds values that cannot be hashed or sorted
        together (for instance strings mixed with numbers).
    ValueError
        If an object column holds a missing value (None or nan).
    """
    if values.dtype.kind in "biu":
        categories, counts = _count_integers(values, sample_weight)
    elif values.dtype.kind == "f":
        categories, counts = _count_floats(values, sample_weight)
    else:
        categories, counts = _count_objects(values, sample_weight)
    positive = counts > 0
    if not positive.all():
        categories, counts = categories[positive], counts[positive]
    return categories, counts.astype(np.float64, copy=False)


def _max_span(values):
    """The largest range of codes counted with bincount rather than sorting."""
    return max(BINCOUNT_SPAN_PER_ROW * values.size, BINCOUNT_SPAN_MIN)


def _count_integers(values, weights):
    """Count integer (or boolean) codes, with bincount when their range is small."""
    dtype = values.dtype
    if dtype.kind == "b":
        values = values.view(np.uint8)
    if values.size == 0:
        return _count_by_sorting(values, weights)
    # Python ints: the span of int64 or uint64 data may overflow their dtype.
    high = int(values.max())
    if 0 <= high <= _max_span(values):
        try:
            # bincount refuses negative codes itself, which spares a pass over
            # the data for the minimum in the common case of codes 0..K-1.
            counts = np.bincount(values.astype(np.intp, copy=False), weights)
            low = 0
        except ValueError:
            counts = None
    else:
        counts = None
    if counts is None:
        low = int(values.min())
        if high - low > _max_span(values):
            return _count_by_sorting(values, weights)
        counts = np.bincount(_shifted(values, low), weights)
    codes = np.flatnonzero(counts)
    categories = (codes + low).astype(dtype, copy=False)
    return categories, counts[codes]


def _shifted(values, low):
    """``values - low`` as intp, for integers whose range is small."""
    if values.dtype.kind == "u":
        # Unsigned: values - low is exact in the dtype itself.
        return (values - values.dtype.type(low)).astype(np.intp, copy=False)
    # Signed: the difference may not fit a narrow dtype (int8 127 - -128),
    # but it always fits int64 since it is at most the span.
    return values.astype(np.int64, copy=False) - np.int64(low)


def _count_floats(values, weights):
    """Count float values, with the integer path when they are small integers."""
    if values.size and values.dtype.itemsize >= 4:
        low, high = values.min(), values.max()
        if -MAX_EXACT_FLOAT_INT <= low and high <= MAX_EXACT_FLOAT_INT:
            as_int = values.astype(np.int64)
            small = int(high) - int(low) <= _max_span(values)
            if small and np.array_equal(as_int, values):
                categories, counts = _count_integers(as_int, weights)
                return categories.astype(values.dtype), counts
    return _count_by_sorting(values, weights)


def _count_by_sorting(values, weights):
    """Count any sortable values with ``np.unique``."""
    categories, inverse = np.unique(values, return_inverse=True)
    counts = np.bincount(inverse, weights=weights, minlength=categories.size)
    return categories, counts


def _count_objects(values, weights):
    """Count Python objects by hashing, which is O(n) where sorting is not."""
    items = values.tolist()
    # Missing values are looked for among the distinct values only, which is
    # free next to the pass over the rows.
    if weights is None:
        found = Counter(items)
        check_no_missing(found)
        categories = sort_categories(found)
        counts = np.array([found[c] for c in categories], dtype=np.int64)
    else:
        distinct = dict.fromkeys(items)
        check_no_missing(distinct)
        categories = sort_categories(distinct)
        index = {c: i for i, c in enumerate(categories)}
        codes = np.fromiter(map(index.__getitem__, items), np.intp, len(items))
        counts = np.bincount(codes, weights=weights, minlength=len(categories))
    return _object_array(categories), counts


def sort_categories(distinct):
    """Sort distinct category values, refusing a mix that cannot be ordered."""
    try:
        return sorted(distinct)
    except TypeError:
        types = sorted({type(value).__name__ for value in distinct})
        raise TypeError(
            "categories must be uniformly strings or numbers so that they can be "
            f"sorted; got values of types {types}."
        ) from None


def _object_array(items):
    """A 1-D object array of ``items`` (np.array would nest tuples)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def merge_counts(categories, counts, new_categories, new_counts):
    """Statistics of the union of two batches of one column.

    Parameters
    ----------
    categories, new_categories : ndarray of shape (n_categories,)
        Sorted distinct values of each batch.
    counts, new_counts : ndarray of shape (n_categories,)
        Their total weights.

    Returns
    -------
    categories : ndarray
        The sorted union of the values.
    counts : ndarray
        Summed weights, aligned with ``categories``.
    """
    if categories.dtype.kind == "O" or new_categories.dtype.kind == "O":
        both = _object_array(categories.tolist() + new_categories.tolist())
        found = dict.fromkeys(both.tolist())
        union = _object_array(sort_categories(found))
    else:
        both = np.concatenate([categories, new_categories])
        union = np.unique(both)
    codes = category_codes(both, union)
    merged = np.bincount(codes, weights=np.concatenate([counts, new_counts]))
    return union, merged


def category_codes(values, categories):
    """Index of each value in the sorted ``categories``, -1 where absent.

    Parameters
    ----------
    values : ndarray of shape (n_samples,)
        Category values to encode.
    categories : ndarray of shape (n_categories,)
        Sorted distinct categories.

    Returns
    -------
    codes : ndarray of shape (n_samples,)
        Integer codes, ``-1`` for values that are not categories.
    """
    if values.dtype.kind in "biuf" and categories.dtype.kind in "biuf":
        # Binary search; a value is known when the category it lands on equals it.
        codes = np.searchsorted(categories, values)
        np.minimum(codes, categories.size - 1, out=codes)
        codes[categories[codes] != values] = -1
        return codes
    # Objects (or numbers against objects) are looked up by hash, which also
    # copes with types that cannot be compared with the categories.
    index = {value: code for code, value in enumerate(categories.tolist())}
    lookup = index.get
    return np.fromiter(
        (lookup(value, -1) for value in values.tolist()), np.intp, values.size
    )


def align_counts(categories, counts, declared):
    """Counts of the ``declared`` categories of a column, zero where unseen.

    Parameters
    ----------
    categories : ndarray of shape (n_seen,)
        Sorted distinct values seen in a batch.
    counts : ndarray of shape (n_seen,)
        Their total weights.
    declared : ndarray of shape (n_categories,)
        The sorted categories the user declared for the column.

    Returns
    -------
    counts : ndarray of shape (n_categories,)

    Raises
    ------
    ValueError
        If a seen value is not a declared category.
    """
    codes = category_codes(categories, declared)
    if (codes < 0).any():
        value = categories[np.flatnonzero(codes < 0)[0]]
        raise ValueError(
            f"found the value {value!r}, which is not among the declared "
            "categories; add it to categories or use categories='auto'."
        )
    aligned = np.zeros(declared.size)
    aligned[codes] = counts
    return aligned


def log_likelihood(columns, categories, probabilities):
    """Log-likelihood of each row under independent categorical columns.

    Parameters
    ----------
    columns : list of ndarray of shape (n_samples,)
        Validated category values, one array per column.
    categories : list of ndarray
        Sorted categories of each column.
    probabilities : list of ndarray
        Their probabilities (zeros allowed: declared categories never seen
        with ``alpha=0``).

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``sum_j log pi_{j, x_j}``; ``-inf`` for rows holding a value that is
        not a category or has probability zero, without a warning.
    unknown : list of (int, ndarray)
        For each column with values that are not categories, its index and
        those values, for the caller's policy on unknown categories.
    """
    n_samples = columns[0].shape[0] if columns else 0
    total = np.zeros(n_samples)
    unknown = []
    for j, (values, known, p) in enumerate(
        zip(columns, categories, probabilities, strict=True)
    ):
        codes = category_codes(values, known)
        outside = codes < 0
        if outside.any():
            unknown.append((j, values[outside]))
        # log(0) = -inf written directly, so that no divide warning is raised.
        log_p = np.log(p, out=np.full(p.shape, -np.inf), where=p > 0)
        log_proba = log_p[codes]
        # Codes of -1 picked an arbitrary category above; overwrite them.
        log_proba[outside] = -np.inf
        total += log_proba
    return total, unknown


def entropy(probabilities):
    """Entropy ``-sum p log p`` of one categorical distribution, in nats."""
    return float(entr(probabilities).sum())


def kl_divergence(p, categories_p, q, categories_q):
    """``D(p || q)`` of two categorical distributions on their own categories.

    The categories of ``p`` absent from ``q`` have probability zero under
    ``q``: any of them with positive probability under ``p`` makes the
    divergence ``+inf``; those with probability zero under ``p`` (declared,
    never seen, unsmoothed) contribute nothing.
    """
    codes = category_codes(categories_p, categories_q)
    missing = codes < 0
    if (p[missing] > 0).any():
        return math.inf
    kept = ~missing
    return float(rel_entr(p[kept], q[codes[kept]]).sum())
