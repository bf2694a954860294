"""Pure functions behind :class:`PoissonDistribution`.

The data enter as a validated dense array (of any numeric dtype) or a CSR/CSC
matrix. Dense data are checked and scored in cache-sized blocks of rows, so
that the several passes over a block find it in cache; sparse data are never
densified: only their stored entries are visited.
"""

import numpy as np
import scipy.sparse as sp
from scipy.special import gammaln

from skxent.distributions._chunks import row_chunks
from skxent.distributions._deviance_math import deviance_term
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "entropy",
    "first_outside_entry",
    "kl_divergence",
    "log_likelihood",
    "outside_support",
    "rates_from_statistics",
    "sample",
    "statistics",
]

#: Rates above this have their entropy from the asymptotic expansion. Its
#: first omitted term is about 0.11 / rate^4 (its error at rate 1e3, 1.1e-13,
#: measured against a 40-digit sum), 1e-17 here and less above, where the
#: series would need 20 sqrt(rate) terms (2e4 at 1e6, 2e7 at 1e12).
ASYMPTOTIC_ABOVE = 1e4

#: The entropy series of a column covers ``rate +- TAIL_SDS sqrt(rate)``
#: (plus ``TAIL_PAD`` above); see ``_entropy_range`` for the bound.
TAIL_SDS = 10.0
TAIL_PAD = 40.0

#: Scoring looks ``log k!`` up in a table of at most this many counts.
TABLE_LIMIT = 1 << 16

#: Series blocks of columns hold at most this many terms at a time: each
#: term takes a dozen passes (the two series, logarithms, masks), which run
#: from cache at this size; 2**16 and more measured 2-3x slower.
ENTROPY_BLOCK = 1 << 14

#: Counts from this one on have their log-probability in saddle-point form;
#: below it ``k!`` is an exact integer and the terms of the direct formula
#: are small.
SADDLE_POINT_FROM = 10

#: The Stirling series ``log k! - (k + 1/2) log k + k - log(2 pi)/2 =
#: sum_n B_2n / (2n (2n - 1) k^(2n - 1))`` (B the Bernoulli numbers), through
#: n = 8: the first omitted term is 1.8e-18 at k = 10 and smaller beyond.
_STIRLING_COEFFICIENTS = np.array(
    [
        1 / 12,
        -1 / 360,
        1 / 1260,
        -1 / 1680,
        1 / 1188,
        -691 / 360360,
        1 / 156,
        -3617 / 122400,
    ]
)

#: ``k!`` for ``k < SADDLE_POINT_FROM``, exact in float64.
_SMALL_FACTORIALS = np.cumprod(
    np.concatenate([[1.0], np.arange(1.0, SADDLE_POINT_FROM)])
)

_HALF_LOG_TWO_PI = 0.5 * np.log(2.0 * np.pi)


# -- support and statistics ---------------------------------------------------


def outside_support(values):
    """Where ``values`` (any numeric dtype) are not non-negative integers."""
    kind = values.dtype.kind
    if kind in "bu":
        return np.zeros(values.shape, dtype=bool)
    if kind == "i":
        return values < 0
    # floor(x) == x is exact for every float; it also holds for floats
    # above 2**53, which are all integers.
    return ~((values >= 0) & (np.floor(values) == values))


def _all_counts(values):
    """Whether every entry is a non-negative integer.

    The test of ``outside_support`` as two reductions and one comparison,
    a quarter faster than building the mask.
    """
    kind = values.dtype.kind
    if kind in "bu" or values.size == 0:
        return True
    if values.min() < 0:
        return False
    return kind == "i" or bool(np.all(np.floor(values) == values))


def _only_counts(X):
    """``_all_counts`` of dense 2-D X, a block of rows at a time (in cache)."""
    return all(_all_counts(X[rows]) for rows in row_chunks(X))


def _canonical(X):
    """Sparse X with duplicate entries summed (a copy only if it has some).

    Duplicates of one cell add up, so it is their sum that must be a count
    (0.5 + 0.5 is the count 1) and whose log-factorial enters the likelihood.
    """
    if X.has_canonical_format:
        return X
    X = X.copy()
    X.sum_duplicates()
    return X


def statistics(X, sample_weight):
    """Weight sum and weighted column sums, or None if X leaves the support.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated data.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1]; None for unit weights.

    Returns
    -------
    statistics : WeightedSums or None
        ``weight_sum`` and the sum ``"x"`` (``sum_i w_i x_ij``); None when
        some entry is not a non-negative integer (the caller then names it).
    """
    if sp.issparse(X):
        return _sparse_statistics(_canonical(X), sample_weight)
    # The check reads X in blocks (two reductions and a comparison, from
    # cache); the sums are then one pass, a single BLAS call when weighted
    # (one per block measured slower on a loaded machine).
    if not _only_counts(X):
        return None
    # An overflow is reported by rates_from_statistics, not as a warning.
    with np.errstate(over="ignore"):
        if sample_weight is None:
            sums = X.sum(axis=0, dtype=np.float64)
        else:
            sums = sample_weight @ X
    return _weighted_sums(X.shape[0], sample_weight, sums)


def _sparse_statistics(X, sample_weight):
    if not _only_counts(X.data[:, np.newaxis]):
        return None
    with np.errstate(over="ignore"):
        if sample_weight is None:
            sums = np.asarray(X.sum(axis=0, dtype=np.float64)).ravel()
        else:
            sums = np.asarray(X.T @ sample_weight, dtype=np.float64).ravel()
    return _weighted_sums(X.shape[0], sample_weight, sums)


def _weighted_sums(n_samples, sample_weight, sums):
    weight_sum = float(n_samples if sample_weight is None else sample_weight.sum())
    return WeightedSums(weight_sum, {"x": sums})


def first_outside_entry(X):
    """``(row, column, value)`` of a stored entry of sparse X outside the support.

    Only called once ``statistics`` has returned None, so one exists.
    """
    X = _canonical(X)
    k = int(np.flatnonzero(outside_support(X.data))[0])
    major = int(np.searchsorted(X.indptr, k, side="right")) - 1
    minor = int(X.indices[k])
    row, column = (major, minor) if X.format == "csr" else (minor, major)
    return row, column, X.data[k].item()


def rates_from_statistics(statistics):
    """The maximum likelihood rates, the weighted column means.

    Raises
    ------
    ValueError
        If a weighted sum overflowed float64.
    """
    rates = statistics.mean("x")
    if not np.all(np.isfinite(rates)):
        raise ValueError(
            "The weighted column sums of X overflow float64; rescale the counts "
            "before fitting a Poisson distribution."
        )
    return rates


# -- the fitted model ---------------------------------------------------------


def log_likelihood(X, rates):
    """Log-probability of each row under independent Poissons.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated data, possibly outside the support.
    rates : ndarray of shape (n_features,)
        Non-negative rates.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``sum_j x_j log(rate_j) - rate_j - log(x_j!)``; ``-inf`` for rows
        with an entry that is not a non-negative integer and for rows with a
        positive count in a column of rate zero (``xlogy(x, 0)``).

    Notes
    -----
    A column of rate zero would put ``log 0 = -inf`` in the product with X
    and ``0 * -inf = nan`` in every row; it enters the product with weight
    zero instead, and a second product counts the rows' non-zero entries in
    such columns.
    """
    zero_rate = rates == 0
    log_rates = np.log(rates, out=np.zeros(rates.shape), where=~zero_rate)
    if sp.issparse(X):
        result, impossible = _sparse_log_likelihood(_canonical(X), log_rates, zero_rate)
    else:
        result, impossible = _dense_log_likelihood(X, log_rates, zero_rate)
    result -= rates.sum()
    result[impossible] = -np.inf
    return result


def _dense_log_likelihood(X, log_rates, zero_rate):
    result = np.empty(X.shape[0])
    impossible = np.zeros(X.shape[0], dtype=bool)
    check_zero_rate = zero_rate.any()
    table = _log_factorial_table(X.max(initial=0), X.size)
    for rows in row_chunks(X):
        block = X[rows]
        # The block's test decides for most blocks; rows only if it fails
        # (a per-row test costs more than the block's).
        counts_only = _all_counts(block)
        log_factorials = _log_factorials(block, table, not counts_only)
        result[rows] = block @ log_rates - log_factorials.sum(axis=1)
        if not counts_only:
            impossible[rows] = outside_support(block).any(axis=1)
        if check_zero_rate:
            impossible[rows] |= (block[:, zero_rate] != 0).any(axis=1)
    return result, impossible


def _log_factorial_table(maximum, size):
    """``log k!`` for ``k = 0..maximum``, or None if that is too long.

    A lookup costs a fifth of ``gammaln``; the table is built only when it
    is no longer than the data (and 65536), so that building it never costs
    more than evaluating ``gammaln`` on every entry.
    """
    if not 0 <= maximum <= min(size, TABLE_LIMIT):
        return None
    return gammaln(np.arange(int(maximum) + 1) + 1.0)


def _log_factorials(values, table, outside):
    """``log(x!) = gammaln(x + 1)`` elementwise, from the table for counts.

    Values outside the support (``outside``) go through ``gammaln``, which
    is +inf (not nan) at the non-positive integers, so their rows stay free
    of nan before they are masked.
    """
    if table is None or outside:
        return gammaln(np.add(values, 1.0, dtype=np.float64))
    return table[values.astype(np.intp)]


def _with_data(X, data):
    """A sparse matrix with X's structure and other stored values."""
    return type(X)((data, X.indices, X.indptr), shape=X.shape)


def _sparse_log_likelihood(X, log_rates, zero_rate):
    data = X.data
    result = np.asarray(X @ log_rates, dtype=np.float64).ravel()
    outside = outside_support(data)
    table = _log_factorial_table(data.max(initial=0), data.size)
    log_factorials = _log_factorials(data, table, outside.any())
    result -= np.asarray(_with_data(X, log_factorials) @ np.ones(X.shape[1])).ravel()
    impossible = np.zeros(X.shape[0], dtype=bool)
    if outside.any():
        counts = _with_data(X, outside.astype(np.float64)) @ np.ones(X.shape[1])
        impossible |= np.asarray(counts).ravel() > 0
    if zero_rate.any():
        nonzero = (data != 0).astype(np.float64)
        counts = _with_data(X, nonzero) @ zero_rate.astype(np.float64)
        impossible |= np.asarray(counts).ravel() > 0
    return result, impossible


def kl_divergence(rates_p, rates_q):
    """``D(p || q) = sum_j l_p log(l_p / l_q) - l_p + l_q`` for Poisson rates.

    A column with ``l_p = 0`` contributes ``l_q`` (p is a point mass at 0,
    of probability ``exp(-l_q)`` under q); one with ``l_q = 0 < l_p``
    contributes ``+inf``. Near ``l_p = l_q`` the terms are summed without
    cancellation (:func:`deviance_term`).
    """
    return float(deviance_term(rates_p, rates_q).sum())


def sample(rates, n_samples, random_state):
    """Independent Poisson draws, as float64, shape (n_samples, n_features)."""
    draws = random_state.poisson(rates, size=(n_samples, rates.size))
    return draws.astype(np.float64)


# -- entropy ----------------------------------------------------------------


def entropy(rates):
    """Entropy of independent Poissons in nats, to float precision.

    A rate of zero is a point mass (entropy 0). Rates up to
    ``ASYMPTOTIC_ABOVE`` sum ``-p_k log p_k`` over the counts of
    ``_entropy_range``, larger rates use the asymptotic expansion.
    """
    rates = np.asarray(rates, dtype=np.float64)
    large = rates > ASYMPTOTIC_ABOVE
    small = rates[(rates > 0) & ~large]
    return float(_asymptotic_entropy(rates[large]).sum() + _series_entropy(small))


def _asymptotic_entropy(rates):
    """``log(2 pi e l)/2 - 1/(12 l) - 1/(24 l^2) - 19/(360 l^3) + O(l^-4)``.

    The expansion of Evans, Boersma, Blachman and Jagers [1]_; its error is
    below 1e-17 for ``l > 1e4``, where it is used.

    References
    ----------
    .. [1] R. J. Evans, J. Boersma, N. M. Blachman and A. A. Jagers, "The
       entropy of a Poisson distribution: problem 87-6", SIAM Review 30(2),
       1988.
    """
    inverse = 1.0 / rates
    correction = inverse * (1 / 12 + inverse * (1 / 24 + inverse * (19 / 360)))
    return 0.5 * np.log(2.0 * np.pi * np.e * rates) - correction


def _entropy_range(rates):
    """First count and number of counts of each rate's series.

    The counts run from ``l - 10 sqrt(l)`` to ``l + 10 sqrt(l) + 40``. By
    Bennett's inequality the mass above ``l + t`` is at most
    ``exp(-t^2 / (2 (l + t/3)))``, with ``t = 10 sqrt(l) + 40`` at most
    ``exp(-50)`` for every ``l`` (the exponent is 50 as ``l -> inf``, 60 as
    ``l -> 0``); below ``l - t``, ``exp(-t^2 / (2 l))`` is ``exp(-50)`` with
    ``t = 10 sqrt(l)``. Beyond the range the terms ``-p_k log p_k`` fall
    faster than geometrically, so the omitted entropy is about ``1e-22``
    times ``-log p_k`` (at most a few hundred): below 1e-17 of the entropy,
    which is above 1.3 for ``l >= 1``; for ``l < 1``, where the entropy is
    about ``l (1 - log l)``, the omitted terms are of order ``l^41 / 41!``.
    """
    spread = TAIL_SDS * np.sqrt(rates)
    first = np.maximum(np.floor(rates - spread), 0.0)
    last = np.ceil(rates + spread + TAIL_PAD)
    return first, (last - first + 1).astype(np.intp)


def _series_entropy(rates):
    """Sum over columns of ``-sum_k p_k log p_k``, in blocks of similar rates.

    Columns are sorted by rate and processed a block at a time on a common
    grid of counts as wide as the block's widest range; narrower ranges then
    include a few more (tiny, correct) terms.
    """
    rates = np.sort(rates)
    first, width = _entropy_range(rates)
    total = 0.0
    start = 0
    while start < rates.size:
        stop = start + 1
        while stop < rates.size and (stop + 1 - start) * width[stop] <= ENTROPY_BLOCK:
            stop += 1
        counts = first[start:stop, None] + np.arange(width[stop - 1])
        total += float(_entropy_terms(counts, rates[start:stop, None]).sum())
        start = stop
    return total


def _entropy_terms(counts, rate):
    """``-p_k log p_k`` with ``p_k`` and ``log p_k`` each to a few ulps.

    ``k log l - l - log k!`` as written loses the digits that its large
    terms cancel (about 1e-9 absolute at ``l = 1e6``, where each term is
    near 1e7). From ``SADDLE_POINT_FROM`` on, Loader's saddle-point form [1]_

    .. math::

        \\log p_k = -\\delta(k) - \\operatorname{bd0}(k, l)
            - \\tfrac12 \\log(2\\pi k),

    with :math:`\\delta` the Stirling series' remainder and bd0 the deviance
    term, has only small terms. Smaller counts use the direct formula, whose
    terms are then small, and ``p_k = l^k e^{-l} / k!`` as a product: for a
    tiny rate, ``exp(log p_1)`` would turn the rounding of ``log l`` (27 at
    ``l = 1e-12``) into a relative error of 27 ulps in the dominant term.

    Parameters
    ----------
    counts : ndarray of non-negative integers (as floats)
    rate : ndarray, broadcastable to ``counts``, of positive rates

    Returns
    -------
    terms : ndarray of the broadcast shape

    References
    ----------
    .. [1] C. Loader, "Fast and accurate computation of binomial
       probabilities", 2000.
    """
    counts, rate = np.broadcast_arrays(counts, rate)
    small = counts < SADDLE_POINT_FROM
    if not small.any():
        # Rates above about 20: no copies.
        return _saddle_point_terms(counts, rate)
    terms = np.empty(counts.shape)
    k, lam = counts[small], rate[small]
    factorials = _SMALL_FACTORIALS[k.astype(np.intp)]
    with np.errstate(under="ignore"):
        p = lam**k * np.exp(-lam) / factorials
    terms[small] = -p * (k * np.log(lam) - lam - np.log(factorials))
    terms[~small] = _saddle_point_terms(counts[~small], rate[~small])
    return terms


def _saddle_point_terms(k, rate):
    log_p = (
        -_stirling_remainder(k) - deviance_term(k, rate) - 0.5 * np.log(k)
    ) - _HALF_LOG_TWO_PI
    return -np.exp(log_p) * log_p


def _stirling_remainder(k):
    """``log k! - (k + 1/2) log k + k - log(2 pi)/2`` for ``k >= 10``."""
    inverse = 1.0 / k
    square = inverse * inverse
    series = np.zeros(k.shape)
    for coefficient in _STIRLING_COEFFICIENTS[::-1]:
        series = series * square + coefficient
    return series * inverse
