"""Pure functions behind :class:`MultinomialDistribution`.

The data are rows of counts, a validated dense array or CSR/CSC matrix of
any numeric dtype. Sparse data are never densified: the support check, the
log-factorials of the multinomial coefficient and the products with the
log-probabilities all run on the stored entries only, and an implicit zero
costs nothing (``log 0! = 0``, ``0 log p = 0``).
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import entr, gammaln, rel_entr
from scipy.stats import binom

from skxent.distributions._chunks import row_chunks
from skxent.distributions._counts_math import smoothed_frequencies
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "CountStatistics",
    "all_counts",
    "entropy",
    "first_outside",
    "inside_entries",
    "kl_divergence",
    "log_factorial",
    "log_likelihood",
    "probabilities_from_statistics",
    "sample",
    "statistics",
]

#: ``log k!`` for small k by table lookup: a gather is several times faster
#: than ``gammaln`` and bags of words hold mostly small counts. The values
#: are ``gammaln``'s own, so the lookup changes no digit.
_LOG_FACTORIAL_TABLE = gammaln(np.arange(1024, dtype=np.float64) + 1.0)

#: ``E[log X!]`` for a binomial X is summed over ``k`` within
#: ``_TAIL_SDS * sd + _TAIL_OFFSET`` of the mean. By Bernstein's inequality
#: ``P(|X - m| >= s) <= 2 exp(-s^2 / (2 (sd^2 + s / 3)))``, which with
#: ``s = 38 sd + 470`` is below ``2 exp(-700)``, about 2e-304: the omitted
#: terms vanish in float64 while the cost per column stays O(sd) for large
#: numbers of trials instead of O(n_trials).
_TAIL_SDS, _TAIL_OFFSET = 38.0, 470.0

#: Grid elements (columns x window) evaluated at once by ``binom.pmf``.
_GRID_ELEMENTS = 1 << 20


@dataclass(frozen=True)
class CountStatistics(WeightedSums):
    """Weighted counts, plus the range of the row totals that entropy needs.

    Attributes
    ----------
    weight_sum : float
        ``W = sum_i w_i`` (in units of ``exp(log_scale)``).
    sums : dict of str to ndarray
        ``{"counts": sum_i w_i x_i}``, of shape (n_features,).
    min_total, max_total : float
        Smallest and largest row total ``N_i = sum_j x_ij`` over the rows of
        positive weight. They are scale-free (no weight enters them) and
        merge by ``min`` and ``max``; the rows share one number of trials
        exactly when the two are equal.
    """

    min_total: float
    max_total: float

    def _scaled(self, factor):
        scaled = super()._scaled(factor)
        return CountStatistics(
            scaled.weight_sum, scaled.sums, self.min_total, self.max_total
        )

    def _combine(self, other):
        combined = super()._combine(other)
        return CountStatistics(
            combined.weight_sum,
            combined.sums,
            min(self.min_total, other.min_total),
            max(self.max_total, other.max_total),
        )


# -- the support: non-negative integers ------------------------------------------


def _canonical(X):
    """Sparse X with duplicates summed: a cell's count is the sum of its entries."""
    if X.has_canonical_format:
        return X
    X = X.copy()
    X.sum_duplicates()
    return X


def inside_entries(values):
    """Whether each value of an array is a non-negative integer (finite values)."""
    kind = values.dtype.kind
    if kind in "bu":
        return np.ones(values.shape, dtype=bool)
    if kind == "i":
        return values >= 0
    return (values >= 0) & (np.floor(values) == values)


def _entry_rows_and_columns(X, entries):
    """Row and column of the given stored entries of a canonical CSR/CSC X."""
    owners = np.searchsorted(X.indptr, entries, side="right") - 1
    if X.format == "csr":
        return owners, X.indices[entries]
    return X.indices[entries], owners


def all_counts(X):
    """Whether every entry of dense or sparse X is a non-negative integer.

    Dense float data are checked block by block (``floor`` and two
    comparisons per entry, in cache), integer data by their minimum.
    """
    values = X.data if sp.issparse(X) else X
    kind = values.dtype.kind
    if kind in "bu" or values.size == 0:
        return True
    if kind == "i":
        return bool(values.min() >= 0)
    if sp.issparse(X):
        return bool(inside_entries(_canonical(X).data).all())
    return all(inside_entries(X[rows]).all() for rows in row_chunks(X))


def first_outside(X):
    """The first entry (row-major) of sparse X that is not a non-negative integer.

    Parameters
    ----------
    X : sparse matrix of shape (n_samples, n_features)
        Validated CSR or CSC data, finite.

    Returns
    -------
    entry : tuple of (int, int, number) or None
        Row, column and value of the first offending entry (a cell's
        duplicate entries summed), None if every entry is a count.
    """
    X = _canonical(X)
    bad = np.flatnonzero(~inside_entries(X.data))
    if bad.size == 0:
        return None
    rows, columns = _entry_rows_and_columns(X, bad)
    first = np.lexsort((columns, rows))[0]
    return int(rows[first]), int(columns[first]), X.data[bad[first]].item()


# -- fitting ---------------------------------------------------------------------


def _stored_row_sums(X, values):
    """Per-row sums of ``values``, one value per stored entry of CSR/CSC X.

    Sequential sums over each row's entries (``reduceat`` for CSR,
    ``bincount`` for CSC): one pass, no matrix built around the values.
    """
    if X.format == "csc":
        return np.bincount(X.indices, weights=values, minlength=X.shape[0])
    # Sums in int64 (small integer types would overflow) or float64 (float32
    # would round large totals); a dtype= argument instead of the cast makes
    # reduceat take a slower, buffered loop.
    dtype = np.float64 if values.dtype.kind == "f" else np.int64
    values = values.astype(dtype, copy=False)
    sums = np.zeros(X.shape[0])
    # reduceat sums from each start to the next, so empty rows (whose start
    # repeats the next row's, or is past the last entry) are left out.
    nonempty = np.diff(X.indptr) > 0
    if values.size:
        sums[nonempty] = np.add.reduceat(values, X.indptr[:-1][nonempty])
    return sums


def _row_totals(X):
    """``N_i = sum_j x_ij`` in float64: exact for totals below 2**53."""
    if sp.issparse(X):
        return _stored_row_sums(X, X.data)
    return X.sum(axis=1, dtype=np.float64)


def statistics(X, sample_weight):
    """Weighted counts per column and the range of the row totals.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated non-negative integer counts.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1] (at least one positive), or None for unit weights.

    Returns
    -------
    statistics : CountStatistics
        ``weight_sum``, ``sums["counts"]`` (``sum_i w_i x_ij``) and the
        smallest and largest total of the rows of positive weight.
    """
    totals = _row_totals(X)
    if sample_weight is None:
        weight_sum = float(X.shape[0])
        counts = np.asarray(X.sum(axis=0, dtype=np.float64)).ravel()
    else:
        weight_sum = float(sample_weight.sum())
        # X.T @ w for sparse X is one pass over the stored entries; w @ X
        # for dense X one matrix-vector product.
        counts = np.asarray(
            X.T @ sample_weight if sp.issparse(X) else sample_weight @ X
        )
        counts = counts.astype(np.float64, copy=False).ravel()
        # Rows of weight zero are absent from the weighted data (integer
        # weights are repetitions), so their totals do not count either.
        totals = totals[sample_weight > 0]
    return CountStatistics(
        weight_sum, {"counts": counts}, float(totals.min()), float(totals.max())
    )


def probabilities_from_statistics(statistics, alpha):
    """``(sum_i w_i x_ij + alpha) / (sum_ij w_i x_ij + alpha d)``.

    Raises
    ------
    ValueError
        If ``alpha == 0`` and the rows of positive weight hold no count at
        all: every probability vector is then equally likely.
    """
    counts = statistics.sums["counts"]
    if counts.any():
        return smoothed_frequencies(counts, alpha, statistics.log_scale)
    if alpha == 0:
        raise ValueError(
            "MultinomialDistribution with alpha=0 needs at least one positive "
            "count: every training row (of positive weight) is all zeros, so "
            "the probabilities are undefined. Use alpha > 0."
        )
    # No count at all: the smoothing alone, i.e. the uniform distribution.
    return np.full(counts.shape, 1.0 / counts.size)


# -- evaluation ------------------------------------------------------------------


def log_factorial(counts):
    """``log k!`` of an array of non-negative integer counts (any dtype)."""
    small = counts < _LOG_FACTORIAL_TABLE.size
    if small.all():
        return _LOG_FACTORIAL_TABLE.take(counts.astype(np.intp, copy=False))
    result = np.empty(counts.shape)
    result[small] = _LOG_FACTORIAL_TABLE.take(counts[small].astype(np.intp))
    result[~small] = gammaln(np.add(counts[~small], 1.0, dtype=np.float64))
    return result


def _dense_row_terms(X):
    """Support, total and sum of log-factorials of each row of dense X.

    One block of rows at a time, so that the support check, the totals and
    the log-factorials all read the block from cache. Entries outside the
    support count as zeros (their rows are flagged).
    """
    inside = np.empty(X.shape[0], dtype=bool)
    totals = np.empty(X.shape[0])
    log_factorials = np.empty(X.shape[0])
    for rows in row_chunks(X):
        block = X[rows]
        entries = inside_entries(block)
        inside[rows] = entries.all(axis=1)
        if not inside[rows].all():
            block = np.where(entries, block, 0)
        totals[rows] = block.sum(axis=1, dtype=np.float64)
        log_factorials[rows] = log_factorial(block).sum(axis=1)
    return inside, totals, log_factorials


def _sparse_row_terms(X):
    """Support, total and sum of log-factorials of each row of sparse X.

    Also returns X canonical and with its entries outside the support set
    to zero, for the products with the log-probabilities.
    """
    X = _canonical(X)
    entries = inside_entries(X.data)
    inside = np.ones(X.shape[0], dtype=bool)
    if not entries.all():
        inside[_entry_rows_and_columns(X, np.flatnonzero(~entries))[0]] = False
        data = np.where(entries, X.data, 0)
        X = type(X)((data, X.indices, X.indptr), shape=X.shape)
    totals = _stored_row_sums(X, X.data)
    return inside, totals, _stored_row_sums(X, log_factorial(X.data)), X


def log_likelihood(X, probabilities):
    """Multinomial log-probability of each row of counts, given its total.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated, finite data; rows with an entry that is not a
        non-negative integer get ``-inf``.
    probabilities : ndarray of shape (n_features,)
        Probabilities of the categories, summing to one.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``log N_i! - sum_j log x_ij! + sum_j x_ij log p_j`` with
        ``N_i = sum_j x_ij``; ``-inf`` where a count falls on a category of
        probability zero (``0 log 0 = 0``), never nan.

    Notes
    -----
    The data term is one product ``X @ log p``. Columns of probability zero
    enter it with weight zero, since ``0 * log 0`` in a matrix product would
    be nan, and a second product counts each row's entries on them.
    """
    if sp.issparse(X):
        inside, totals, log_factorials, X = _sparse_row_terms(X)
    else:
        inside, totals, log_factorials = _dense_row_terms(X)
    impossible = probabilities == 0
    log_p = np.log(probabilities, out=np.zeros(probabilities.shape), where=~impossible)
    # Rows outside the support (dense X keeps their values) are overwritten
    # below; their finite terms never meet an infinity.
    result = log_factorial(totals) - log_factorials + np.asarray(X @ log_p).ravel()
    if impossible.any():
        inside &= np.asarray(X @ impossible.astype(np.float64)).ravel() == 0
    result[~inside] = -np.inf
    return result


# -- the fitted model --------------------------------------------------------------


def _expected_log_factorials(n_trials, p):
    """``E[log X!]`` for ``X ~ Binomial(n_trials, p)``, for each of the p.

    A finite sum over ``k = 2 .. n_trials`` (``log 0! = log 1! = 0``),
    restricted to the window around the mean outside which the binomial
    mass is below 1e-300 (see ``_TAIL_SDS``); the pmf is scipy's.
    """
    mean = n_trials * p
    half_width = _TAIL_SDS * np.sqrt(mean * (1.0 - p)) + _TAIL_OFFSET
    low = np.maximum(np.floor(mean - half_width), 2.0)
    high = np.minimum(np.ceil(mean + half_width), float(n_trials))
    width = int(np.max(high - low, initial=-1.0)) + 1
    result = np.zeros(p.size)
    if width <= 0:
        return result
    # Each column sums over its own window: k = low_j + 0 .. width - 1, the
    # points past n_trials having probability zero.
    offsets = np.arange(width, dtype=np.float64)
    step = max(1, _GRID_ELEMENTS // width)
    for start in range(0, p.size, step):
        columns = slice(start, start + step)
        k = low[columns, None] + offsets
        mass = binom.pmf(k, n_trials, p[columns, None])
        result[columns] = (mass * gammaln(k + 1.0)).sum(axis=1)
    return result


def entropy(n_trials, probabilities):
    """Entropy of ``Multinomial(n_trials, p)`` in nats, to float precision.

    Notes
    -----
    With the category counts ``X_j ~ Binomial(N, p_j)``,

    .. math::

        H = -\\log N! + \\sum_j E[\\log X_j!] - N \\sum_j p_j \\log p_j,

    the expectation of minus the log-pmf term by term. Categories of equal
    probability share one expectation, computed once.
    """
    if n_trials == 0:
        return 0.0
    p, repeats = np.unique(probabilities[probabilities > 0], return_counts=True)
    expected = _expected_log_factorials(n_trials, p)
    entropy = (
        n_trials * entr(probabilities).sum()
        - gammaln(n_trials + 1.0)
        + repeats @ expected
    )
    # A pmf's entropy is >= 0; for a nearly degenerate p the true value sits
    # below the rounding of log N! and the sum could round below zero.
    return max(float(entropy), 0.0)


def kl_divergence(n_trials, p, q):
    """``D(Multinomial(N, p) || Multinomial(N, q)) = N D(p || q)``, in nats.

    ``+inf`` when q gives probability zero to a category of p (and N > 0).
    """
    if n_trials == 0:
        # Both are the point mass at the zero vector.
        return 0.0
    # Gibbs' inequality: the sum is >= 0, but terms of either sign round to
    # a negative of the order of the float epsilon when p ~ q.
    return max(float(n_trials * rel_entr(p, q).sum()), 0.0)


def sample(n_trials, probabilities, n_samples, random_state):
    """``n_samples`` count vectors of ``n_trials`` draws each, as float64."""
    draws = random_state.multinomial(n_trials, probabilities, size=n_samples)
    return draws.astype(np.float64)
