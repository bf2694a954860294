"""Pure functions behind :class:`NegativeBinomialDistribution`.

The parametrisation is scipy's ``nbinom(n, p)``: the number of failures
before the ``n``-th success, with real ``n > 0`` and ``0 < p < 1``, mean
``mu = n (1 - p) / p``. Inside, a model is described by ``n`` and the two
logarithms ``log p = -log1p(mu / n)`` and ``log(1 - p) = -log1p(n / mu)``,
computed from ``n`` and the mean: for a nearly Poisson model (``n`` huge,
``p`` within ``mu / n`` of one) ``log p`` taken from the rounded ``p`` would
carry an error ``eps n`` into ``n log p``, and for ``p`` near zero
``log(1 - p)`` one of ``eps k`` into ``k log(1 - p)``.

The sufficient statistics of one column are its weighted count histogram (its
distinct values and their total weights): the profile score equation in ``n``
and every moment the fit needs are sums over the distinct values, so a fit
costs one histogram pass over the data plus ``O(distinct values)`` per
solver step, and merging two batches adds two histograms exactly.

Differences that cancel (the digamma difference of the score equation, the
log-gamma differences of the log-mass) are evaluated, for arguments of at
least ``ASYMPTOTIC_N``, from their Stirling series written so that no two
large numbers are subtracted, and below it through the recurrence of
digamma, as sums of positive terms.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln

from skxent.distributions._statistics import Statistics

__all__ = [
    "CountHistograms",
    "ExcessiveSeriesError",
    "NoFiniteMLE",
    "NotCounts",
    "entropy",
    "in_support",
    "kl_divergence",
    "log_likelihood",
    "log_parameters",
    "log_pmf",
    "profile_score",
    "sample",
    "solve_n",
    "statistics",
]

_EPS = np.finfo(np.float64).eps

#: Integer columns whose largest value is at most this many times the number
#: of rows (or ``HISTOGRAM_SPAN_MIN``) are counted with ``np.bincount`` (and
#: scored through a table of the log-mass): the ``O(max)`` array then costs
#: no more than the ``O(n)`` pass over the data. Larger values are sorted.
HISTOGRAM_SPAN_PER_ROW = 2
HISTOGRAM_SPAN_MIN = 1 << 16

#: Float columns are converted to integer codes this many rows at a time
#: (512 KiB of float64): the chunk is still in cache when compared back.
CHUNK_ROWS = 1 << 16

#: From this argument on, the digamma and log-gamma differences are computed
#: from their asymptotic series. With the eight terms below, the first term
#: left out is below ``7e-22`` (digamma, ``B_18 / (18 z^18)``) and ``6e-22``
#: (log-gamma, ``B_18 / (18 * 17 z^17)``) at ``z = 16``.
ASYMPTOTIC_N = 16.0

#: ``B_2k`` for k = 1..8, the Bernoulli numbers of the Stirling series.
_BERNOULLI = np.array(
    [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510]
)
_TWO_K = 2.0 * np.arange(1, _BERNOULLI.size + 1)
#: digamma(z) ~ log z - 1/(2z) - sum_k B_2k / (2k z^2k).
_DIGAMMA_COEFFICIENTS = _BERNOULLI / _TWO_K
#: log Gamma(z) ~ (z - 1/2) log z - z + log(2 pi)/2 + sum_k B_2k / (2k (2k-1) z^(2k-1)).
_LGAMMA_COEFFICIENTS = _BERNOULLI / (_TWO_K * (_TWO_K - 1.0))

#: The series of ``log1p(u) - u`` in ``v = u / (2 + u)`` is used for
#: ``u <= 1/4`` (``v <= 1/9``), where its nine terms reach float precision;
#: above, ``log1p(u) - u`` loses at most a few ulps.
_LOG1PMX_SERIES_MAX = 0.25
_LOG1PMX_TERMS = 1.0 / (2.0 * np.arange(1, 10) + 1.0)

#: The weighted variance must exceed the mean by more than this many ulps of
#: their sum for the data to count as over-dispersed: below, the sign of
#: ``variance - mean`` is rounding error.
_DISPERSION_ULPS = 64.0

#: The bracket of the score equation grows (or shrinks) by this factor per
#: step, from the method-of-moments start; the step counts bound the search.
_BRACKET_FACTOR = 4.0
_MAX_BRACKET_UP = 64
_MAX_BRACKET_DOWN = 520

#: Series for the entropy and the divergence are refused when their
#: estimated length (:func:`_series_length`) exceeds this many terms, a few
#: seconds per column at about 50 ns a term: a standard deviation above about
#: 3e6 (or a scale 1/p above 3e6 for n < 1).
MAX_SERIES_TERMS = 1 << 27
_FIRST_CHUNK = 1 << 10
_MAX_CHUNK = 1 << 13


class ExcessiveSeriesError(ValueError):
    """A series would need more than ``MAX_SERIES_TERMS`` terms."""


@dataclass(frozen=True)
class CountHistograms(Statistics):
    """Weighted count histograms of independent columns.

    Attributes
    ----------
    weight_sum : float
        ``W``, the total weight of the rows (in units of ``exp(log_scale)``).
    values : tuple of ndarray
        The sorted distinct values of positive weight of each column, float64.
    counts : tuple of ndarray
        Their total weights (in units of ``exp(log_scale)``).
    """

    weight_sum: float
    values: tuple
    counts: tuple

    def _scaled(self, factor):
        return CountHistograms(
            self.weight_sum * factor,
            self.values,
            tuple(counts * factor for counts in self.counts),
        )

    def _combine(self, other):
        values, counts = [], []
        columns = zip(self.values, self.counts, other.values, other.counts, strict=True)
        for pair in columns:
            union, merged = _add_histograms(*pair)
            values.append(union)
            counts.append(merged)
        return CountHistograms(
            self.weight_sum + other.weight_sum, tuple(values), tuple(counts)
        )


def _add_histograms(values, counts, other_values, other_counts):
    """The histogram of the union of two batches, on the union of their values."""
    union = np.union1d(values, other_values)
    merged = np.zeros(union.shape)
    np.add.at(merged, np.searchsorted(union, values), counts)
    np.add.at(merged, np.searchsorted(union, other_values), other_counts)
    return union, merged


# -- support and statistics -------------------------------------------------------


def in_support(X):
    """Whether each entry of X is a non-negative integer (float or integer dtype)."""
    if X.dtype.kind in "biu":
        return X >= 0
    return (X >= 0) & (np.floor(X) == X)


class NotCounts(ValueError):
    """Some entry of the data is not a non-negative integer."""


def _histogram_span(n_rows):
    return max(HISTOGRAM_SPAN_PER_ROW * n_rows, HISTOGRAM_SPAN_MIN)


def _row_chunks(n_rows):
    return (slice(start, start + CHUNK_ROWS) for start in range(0, n_rows, CHUNK_ROWS))


def _small_counts(column):
    """Whether ``column`` holds integers in ``[0, span]``: a histogram by bincount.

    Raises
    ------
    NotCounts
        If an entry is negative, or (below ``span``) not an integer.
    """
    if column.min() < 0:
        raise NotCounts
    if column.max() > _histogram_span(column.size):
        return False
    if column.dtype.kind == "f":
        # Floored chunk by chunk into one reused buffer: no page of a new
        # column-sized array to fault in, and each chunk compared in cache.
        floors = np.empty(min(column.size, CHUNK_ROWS), dtype=column.dtype)
        for rows in _row_chunks(column.size):
            chunk = column[rows]
            if np.not_equal(np.floor(chunk, out=floors[: chunk.size]), chunk).any():
                raise NotCounts
    return True


def _column_histogram(column, sample_weight):
    """Sorted distinct values of positive weight and their weights.

    Raises
    ------
    NotCounts
        If an entry is not a non-negative integer.
    """
    if _small_counts(column):
        high = int(column.max())
        if high >= CHUNK_ROWS:
            counts = np.bincount(column.astype(np.intp), sample_weight)
        else:
            # A histogram per chunk costs O(chunk), and the chunk's codes
            # stay in cache (no column-sized array of codes).
            counts = np.zeros(high + 1)
            for rows in _row_chunks(column.size):
                weights = None if sample_weight is None else sample_weight[rows]
                codes = column[rows].astype(np.intp)
                counts += np.bincount(codes, weights, minlength=high + 1)
        values = np.flatnonzero(counts)
        return values.astype(np.float64), counts[values]
    values, inverse = np.unique(column, return_inverse=True)
    if values.dtype.kind == "f" and np.any(np.floor(values) != values):
        raise NotCounts
    counts = np.bincount(inverse, sample_weight, minlength=values.size)
    positive = counts > 0
    return values[positive].astype(np.float64), counts[positive]


def statistics(X, sample_weight):
    """Count histograms of the columns of X.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite numbers, of a float or an integer dtype.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights; None for unit weights.

    Returns
    -------
    statistics : CountHistograms

    Raises
    ------
    NotCounts
        If an entry (of any weight) is not a non-negative integer; the caller
        locates it for the message.
    """
    weight_sum = X.shape[0] if sample_weight is None else sample_weight.sum()
    histograms = [_column_histogram(column, sample_weight) for column in X.T]
    values = tuple(values for values, _ in histograms)
    counts = tuple(counts for _, counts in histograms)
    return CountHistograms(float(weight_sum), values, counts)


# -- the maximum likelihood estimate ------------------------------------------------


class NoFiniteMLE(ValueError):
    """The likelihood has no maximum: ``reason`` says why, ``advice`` what to do."""

    def __init__(self, reason, advice):
        super().__init__(f"{reason}; {advice}")
        self.reason = reason
        self.advice = advice


def _log1pmx(u):
    """``log1p(u) - u`` for ``u >= 0``, to a few ulps even for tiny ``u``.

    With ``v = u / (2 + u)``, ``log1p(u) = 2 atanh(v)`` and ``u - 2v = u v``,
    so ``log1p(u) - u = v (2 sum_k v^2k / (2k + 1) - u)``: no two large terms
    cancel, and for ``u <= 1/4`` nine terms of the sum reach float precision
    (the tenth is below ``(1/9)^18``).
    """
    u = np.asarray(u, dtype=np.float64)
    v = u / (2.0 + u)
    v2 = v * v
    series = v * (2.0 * v2 * np.polynomial.polynomial.polyval(v2, _LOG1PMX_TERMS) - u)
    return np.where(u <= _LOG1PMX_SERIES_MAX, series, np.log1p(u) - u)


def _digamma_difference_minus_log1p(x, n):
    """``digamma(n + x) - digamma(n) - log1p(x / n)`` for ``n >= ASYMPTOTIC_N``.

    From the asymptotic series of digamma:
    ``x / (2 n (n + x)) - sum_k (B_2k / 2k) n^-2k expm1(-2k log1p(x / n))``,
    every term small and computed without cancellation.
    """
    log_ratio = np.log1p(x / n)
    powers = n**-_TWO_K
    corrections = np.expm1(-np.multiply.outer(log_ratio, _TWO_K))
    return x / (2.0 * n * (n + x)) - corrections @ (_DIGAMMA_COEFFICIENTS * powers)


def _small_n_digamma_difference(x, n):
    """``digamma(x + n) - digamma(n)`` for ``n < ASYMPTOTIC_N``, as positive terms.

    Shifting both arguments by ``m = 16`` with ``digamma(z) = digamma(z + m)
    - sum_{j<m} 1 / (z + j)`` gives the difference at ``n + m`` (asymptotic,
    as positive terms) plus ``sum_{j<m} x / ((n + j)(n + j + x))``: every
    term is positive, so the difference keeps a relative precision of a few
    ulps, where ``digamma(x + n) - digamma(n)`` keeps only an absolute one
    (``eps |digamma(n)|``).
    """
    shifted = n + ASYMPTOTIC_N
    steps = n + np.arange(ASYMPTOTIC_N)
    recurrence = (x[:, np.newaxis] / (steps * (steps + x[:, np.newaxis]))).sum(axis=1)
    return (
        np.log1p(x / shifted) + _digamma_difference_minus_log1p(x, shifted) + recurrence
    )


def profile_score(n, values, frequencies, mean):
    """``d/dn`` of the mean log-likelihood with ``p = n / (n + mean)``.

    .. math::

        s(n) = \\sum_k f_k [\\psi(x_k + n) - \\psi(n)] - \\log(1 + \\mu / n),

    with ``f`` the weight fractions of the distinct values ``x``. For large
    ``n`` both parts are about ``mu / n`` and ``s`` about
    ``(mu - variance) / (2 n^2)``; from ``ASYMPTOTIC_N`` on it is computed as
    ``sum_k f_k [log1pmx(x_k / n) + r(x_k, n)] - log1pmx(mu / n)``, with
    ``log1pmx(u) = log1p(u) - u`` and ``r`` from
    :func:`_digamma_difference_minus_log1p` (the ``x / n`` parts cancel
    exactly, as ``sum_k f_k x_k = mu``), whose terms are all of order
    ``1 / n^2``. Below it, the digamma differences are sums of positive
    terms (:func:`_small_n_digamma_difference`).
    """
    if n < ASYMPTOTIC_N:
        return frequencies @ _small_n_digamma_difference(values, n) - np.log1p(mean / n)
    per_value = _log1pmx(values / n) + _digamma_difference_minus_log1p(values, n)
    return frequencies @ per_value - _log1pmx(mean / n)[()]


def solve_n(values, counts, weight_sum):
    """Maximum likelihood ``n`` and the mean of one column from its histogram.

    Parameters
    ----------
    values : ndarray of shape (n_values,)
        Distinct non-negative integer values.
    counts : ndarray of shape (n_values,)
        Their positive weights.
    weight_sum : float
        The sum of ``counts``.

    Returns
    -------
    n : float
        The root of :func:`profile_score`, to a few ulps.
    mean : float
        The weighted mean; the MLE of ``p`` is ``n / (n + mean)``.

    Raises
    ------
    NoFiniteMLE
        If every value is zero (the likelihood increases as ``p -> 1``), or
        the weighted variance does not exceed the mean (it increases as
        ``n -> infinity``, towards the Poisson distribution of that mean).

    Notes
    -----
    With ``p`` profiled out, the mean log-likelihood has a unique maximum in
    ``n`` exactly when the weighted variance (divided by ``W``) exceeds the
    mean [1]_, and the score is positive below it and negative above. The
    root is bracketed from the method-of-moments estimate
    ``mu^2 / (variance - mu)`` by steps of a factor 4, then found by Brent's
    method to a relative tolerance of 4 ulps.

    References
    ----------
    .. [1] J. Aragon, D. Eberly and S. Eberly, "Existence and uniqueness
       of the maximum likelihood estimator for the two-parameter negative
       binomial distribution", Statistics & Probability Letters 15(5), 1992.
    """
    frequencies = counts / weight_sum
    mean = float(frequencies @ values)
    if mean == 0:
        raise NoFiniteMLE(
            "every value is zero: the likelihood increases as p -> 1 and has "
            "no maximum",
            "drop the column, which carries no information",
        )
    variance = float(frequencies @ (values - mean) ** 2)
    if not np.isfinite(variance):
        raise NoFiniteMLE(
            f"its variance overflows float64 (largest value {values.max():.3g})",
            "rescale or clip the counts",
        )
    if variance - mean <= _DISPERSION_ULPS * _EPS * (variance + mean):
        raise _equidispersed(mean, variance)

    def score(n):
        return profile_score(n, values, frequencies, mean)

    # The floor keeps the bracket search away from n = 0 should the
    # estimate underflow (a mean below 1e-154).
    start = max(mean * mean / (variance - mean), 1e-300)
    lower, upper = _bracket(score, start)
    if lower is None:
        raise _equidispersed(mean, variance)
    n = brentq(score, lower, upper, xtol=np.finfo(np.float64).tiny, rtol=4 * _EPS)
    return float(n), mean


def _equidispersed(mean, variance):
    return NoFiniteMLE(
        f"its weighted variance ({variance:.6g}) does not exceed its mean "
        f"({mean:.6g}) to float precision: the counts are not over-dispersed, "
        "and the likelihood increases without a maximum as n -> infinity, "
        "towards the Poisson distribution of that mean",
        "fit them with PoissonDistribution",
    )


def _bracket(score, start):
    """``(lower, upper)`` with ``score(lower) > 0 > score(upper)``.

    Returns ``(None, None)`` if no sign change is found below
    ``start * 4^64``: the data are then Poisson to float precision.
    """
    value = score(start)
    if value == 0:
        return start, start * (1 + 4 * _EPS)
    if value > 0:
        lower = start
        for _ in range(_MAX_BRACKET_UP):
            upper = lower * _BRACKET_FACTOR
            if score(upper) <= 0:
                return lower, upper
            lower = upper
        return None, None
    # The score tends to +infinity as n -> 0 (as (1 - f_0) / n), so the
    # downward search ends; its bound only guards against a bug.
    upper = start
    for _ in range(_MAX_BRACKET_DOWN):
        lower = upper / _BRACKET_FACTOR
        if score(lower) >= 0:
            return lower, upper
        upper = lower
    raise RuntimeError("the score equation could not be bracketed below n = start")


def log_parameters(n, mean):
    """``p``, ``log p`` and ``log(1 - p)`` for ``p = n / (n + mean)``, precisely."""
    n, mean = np.asarray(n, np.float64), np.asarray(mean, np.float64)
    # 1 - p = 1 / (1 + n / mean): both logarithms are log1p's of a ratio.
    return n / (n + mean), -np.log1p(mean / n), -np.log1p(n / mean)


# -- the log-mass ---------------------------------------------------------------------


def _stirling_correction(z):
    """``c(z) = log Gamma(z) - (z - 1/2) log z + z - log(2 pi) / 2``, ``z >= 16``.

    The series ``sum_j a_j z^(1 - 2j)``, by Horner's rule in ``1 / z^2``.
    """
    # (1 / z)^2 underflows quietly where z * z would overflow.
    w = (1.0 / z) ** 2
    total = np.full(w.shape, _LGAMMA_COEFFICIENTS[-1])
    for coefficient in _LGAMMA_COEFFICIENTS[-2::-1]:
        total *= w
        total += coefficient
    return total / z


def _stirling_ratio(z, a, z_plus_a):
    """``gammaln(z + a) - gammaln(z)`` by Stirling's formula, ``z, z + a >= 16``."""
    return (
        (z - 0.5) * np.log1p(a / z)
        + a * np.log(z_plus_a)
        - a
        + (_stirling_correction(z_plus_a) - _stirling_correction(z))
    )


def _log_gamma_ratio(z, a, z_plus_a):
    """``gammaln(z + a) - gammaln(z)`` for ``z > 0``, ``z + a > 0``.

    ``z + a`` is passed as computed by the caller (``k + n`` rather than
    ``(k + 1) + (n - 1)``, which would round ``n`` away when it is tiny).
    Where both ``z`` and ``z + a`` are at least ``ASYMPTOTIC_N``, the ratio
    comes from Stirling's formula, ``(z - 1/2) log1p(a/z) + a log(z + a) - a
    + c(z + a) - c(z)``: its large parts are formed from ``log1p(a / z)``
    and the corrections are below ``1 / (12 z)``, so the result keeps the
    absolute precision ``eps`` (times its own size) that the direct
    difference loses (``eps z log z`` when ``|a|`` is small next to ``z``).
    """
    large = (z >= ASYMPTOTIC_N) & (z_plus_a >= ASYMPTOTIC_N)
    if large.all():
        return _stirling_ratio(z, a, z_plus_a)
    result = gammaln(z_plus_a) - gammaln(z)
    if large.any():
        result[large] = _stirling_ratio(z[large], a[large], z_plus_a[large])
    return result


def _log_binomial(n, k):
    """``log Gamma(k + n) - log Gamma(n) - log Gamma(k + 1)``, stably.

    Of the three log-gammas, the two with the larger arguments nearly cancel
    when one of ``n`` and ``k`` is much larger than the other; that pair is
    taken as one :func:`_log_gamma_ratio` (``Gamma(k + n) / Gamma(k + 1)``
    when ``k + 1 >= n``, else ``Gamma(k + n) / Gamma(n)``) and the remaining
    log-gamma, of the smaller argument, subtracted.
    """
    k = np.asarray(k, dtype=np.float64)
    large_k = k + 1.0 >= n
    if large_k.all():
        return _log_gamma_ratio(k + 1.0, np.full(k.shape, n - 1.0), k + n) - gammaln(n)
    base = np.where(large_k, k + 1.0, n)
    step = np.where(large_k, n - 1.0, k)
    other = np.where(large_k, n, k + 1.0)
    return _log_gamma_ratio(base, step, k + n) - gammaln(other)


def log_pmf(k, n, log_p, log1m_p):
    """``log nbinom(n, p).pmf(k)`` for non-negative integers ``k`` (float array).

    .. math::

        \\log\\Gamma(k + n) - \\log\\Gamma(n) - \\log\\Gamma(k + 1)
        + n \\log p + k \\log(1 - p)
    """
    return _log_binomial(n, k) + n * log_p + k * log1m_p


def log_likelihood(X, n, log_p, log1m_p):
    """Log-likelihood of each row of X under independent negative binomials.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated numeric data; entries that are not non-negative integers
        make their row's log-likelihood ``-inf``, without a warning.
    n, log_p, log1m_p : ndarray of shape (n_features,)
        The parameters, as in :func:`log_parameters`.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
    """
    total = np.zeros(X.shape[0])
    inside_rows = np.ones(X.shape[0], dtype=bool)
    for j, column in enumerate(X.T):
        parameters = n[j], log_p[j], log1m_p[j]
        try:
            small = column.size > 0 and _small_counts(column)
        except NotCounts:
            small = False
        if small:
            # Small counts (the usual case) are scored through a table of
            # the log-mass on 0..max: one gather per entry, chunk by chunk,
            # instead of three log-gammas.
            table = log_pmf(np.arange(column.max() + 1.0), *parameters)
            for rows in _row_chunks(column.size):
                total[rows] += table[column[rows].astype(np.intp)]
            continue
        inside = in_support(column)
        if not inside.all():
            inside_rows &= inside
            column = np.where(inside, column, 0)
        total += log_pmf(column.astype(np.float64), *parameters)
    if not inside_rows.all():
        total[~inside_rows] = -np.inf
    return total


def sample(n, p, n_samples, random_state):
    """``n_samples`` rows of independent draws, as float64."""
    draws = random_state.negative_binomial(n, p, size=(n_samples, n.size))
    return draws.astype(np.float64)


# -- entropy and divergence: series over the support -------------------------------


def _mode(n, log_p, log1m_p):
    """The mode ``floor((n - 1) (1 - p) / p)`` (0 for ``n <= 1``)."""
    if n <= 1:
        return 0
    return int(np.floor((n - 1.0) * np.exp(log1m_p - log_p)))


def _series_length(n, log_p, log1m_p):
    """A generous estimate of the number of terms a series over ``k`` needs.

    Past the bulk (a few standard deviations ``sqrt(n (1 - p)) / p``) the
    masses fall geometrically, by at least a factor ``e`` every ``1 / p``
    terms, and the sum stops some ``-log(eps / 2) = 37`` e-foldings later:
    ``40 (1 + sqrt(n (1 - p))) / p`` covers both.
    """
    return 40.0 * (1.0 + np.sqrt(n * np.exp(log1m_p))) * np.exp(-log_p)


def _geometric_tail(pmf_edge, g_edge, ratio, slope):
    """Bound on ``sum_{j >= 1} pmf(K + j) |g(K + j)|`` past an edge ``K``.

    Given ``pmf(K + j) <= pmf(K) ratio^j`` and
    ``|g(K + j)| <= |g(K)| + slope j``, the sum is at most
    ``pmf(K) (|g(K)| r / (1 - r) + slope r / (1 - r)^2)``.
    """
    if pmf_edge == 0:
        return 0.0
    if ratio >= 1:
        return np.inf
    q = ratio / (1.0 - ratio)
    return pmf_edge * (abs(g_edge) * q + slope * q / (1.0 - ratio))


def _series(parameters, g, right_slope, left_slope, column):
    """``sum_k pmf(k) g(k)`` over ``k >= 0``, to a relative ``eps`` of ``sum |.|``.

    Parameters
    ----------
    parameters : tuple of float
        ``(n, log_p, log1m_p)`` of the distribution that weighs the sum.
    g : callable
        ``g(k, log_pmf_k)``: the summand's factor on a float array of ``k``.
    right_slope, left_slope : callable
        ``slope(K)``: a bound on the increments of ``|g|`` past ``K`` to the
        right, and below ``K`` to the left.
    column : int
        For the error message.

    Notes
    -----
    The terms are summed outwards from the mode in chunks. Past the mode to
    the right, ``pmf(k + 1) / pmf(k) = (1 - p)(k + n) / (k + 1)`` decreases
    with ``k`` when ``n >= 1`` (so the ratio at the edge bounds all later
    ones) and stays below ``1 - p`` when ``n < 1``; below the mode (``n > 1``)
    ``pmf(k - 1) / pmf(k) = k / ((1 - p)(k - 1 + n))`` increases with ``k``,
    so the ratio at the edge bounds the ones below it. With ``g`` growing at
    most linearly (``slope``), :func:`_geometric_tail` bounds what is left;
    a side stops when that bound is below ``eps / 2`` of the sum of absolute
    terms so far.
    """
    n, log_p, log1m_p = parameters
    one_minus_p = np.exp(log1m_p)
    length = _series_length(n, log_p, log1m_p)
    if length > MAX_SERIES_TERMS:
        raise ExcessiveSeriesError(
            f"column {column}: the series over the counts would need about "
            f"{length:.3g} terms, more than {MAX_SERIES_TERMS} (n={n:.6g}, "
            f"p={np.exp(log_p):.6g})"
        )
    mode = _mode(n, log_p, log1m_p)
    total = magnitude = 0.0
    n_terms = 0

    def add(k):
        nonlocal total, magnitude, n_terms
        log_mass = log_pmf(k, n, log_p, log1m_p)
        pmf = np.exp(log_mass)
        factor = g(k, log_mass)
        total += float(pmf @ factor)
        magnitude += float(pmf @ np.abs(factor))
        n_terms += k.size
        if n_terms > 2 * MAX_SERIES_TERMS:
            # The estimate is conservative by a factor of about two; this
            # guard only bounds the loop should the bound stall.
            raise ExcessiveSeriesError(
                f"column {column}: the series did not converge in "
                f"{n_terms} terms (n={n:.6g}, p={np.exp(log_p):.6g})"
            )
        return pmf, factor

    start, size = mode, _FIRST_CHUNK
    while True:
        k = np.arange(start, start + size, dtype=np.float64)
        pmf, factor = add(k)
        edge = k[-1]
        ratio = one_minus_p * (edge + n) / (edge + 1.0)
        if n < 1:
            ratio = one_minus_p
        tail = _geometric_tail(pmf[-1], factor[-1], ratio, right_slope(edge))
        if tail <= 0.5 * _EPS * magnitude:
            break
        start, size = start + size, min(2 * size, _MAX_CHUNK)
    stop, size = mode, _FIRST_CHUNK
    while stop > 0:
        k = np.arange(max(stop - size, 0), stop, dtype=np.float64)
        pmf, factor = add(k)
        edge = k[0]
        if edge == 0:
            break
        ratio = edge / (one_minus_p * (edge - 1.0 + n))
        tail = _geometric_tail(pmf[0], factor[0], ratio, left_slope(edge))
        if tail <= 0.5 * _EPS * magnitude:
            break
        stop, size = int(edge), min(2 * size, _MAX_CHUNK)
    return total


def _column_entropy(n, log_p, log1m_p, column):
    """``-sum_k pmf(k) log pmf(k)`` of one negative binomial.

    Past the right edge ``K``, ``-log pmf`` grows by ``-log`` of the ratio of
    successive masses, at most ``max(-log ratio(K), -log(1 - p))``; below the
    left edge, by ``-log(pmf(k - 1) / pmf(k))``, largest at ``k = 1``:
    ``log((1 - p) n)``.
    """
    one_minus_p = np.exp(log1m_p)

    def right_slope(edge):
        ratio = one_minus_p * (edge + n) / (edge + 1.0)
        return max(-np.log(ratio), -log1m_p, 0.0)

    def left_slope(edge):
        return max(np.log(one_minus_p * n), 0.0)

    return _series(
        (n, log_p, log1m_p),
        lambda k, log_mass: -log_mass,
        right_slope,
        left_slope,
        column,
    )


def entropy(n, log_p, log1m_p):
    """Entropy in nats of independent negative binomials (a sum over columns).

    Each column's series is summed to a relative ``eps / 2`` of its value
    past a rigorous bound on the tails (see :func:`_series`).
    """
    return sum(
        _column_entropy(*parameters, j)
        for j, parameters in enumerate(zip(n, log_p, log1m_p, strict=True))
    )


def _column_kl(p, q, column):
    """``sum_k p(k) [log p(k) - log q(k)]`` of two negative binomials.

    The increments of ``g = log p - log q`` between ``k`` and ``k + 1`` are
    ``log((k + n_p) / (k + n_q)) + log(1 - p_p) - log(1 - p_q)``, whose first
    part shrinks with ``k``: its value at an edge bounds it past the edge,
    and its value at ``k = 0`` bounds it everywhere.
    """
    n_p, _, log1m_p = p
    n_q, log_q_p, log1m_q = q
    drift = abs(log1m_p - log1m_q)

    def g(k, log_mass):
        return log_mass - log_pmf(k, n_q, log_q_p, log1m_q)

    def right_slope(edge):
        return abs(np.log((edge + n_p) / (edge + n_q))) + drift

    def left_slope(edge):
        return abs(np.log(n_p / n_q)) + drift

    return _series(p, g, right_slope, left_slope, column)


def kl_divergence(p, q):
    """``D(p || q)`` in nats for independent negative binomials.

    ``p`` and ``q`` are ``(n, log_p, log1m_p)`` triples of arrays; the supports
    coincide, so the divergence is always finite. Rounding can only make a
    column's sum negative by a few ulps; it is clipped at zero.
    """
    divergences = (
        _column_kl(column_p, column_q, j)
        for j, (column_p, column_q) in enumerate(
            zip(zip(*p, strict=True), zip(*q, strict=True), strict=True)
        )
    )
    return max(sum(divergences), 0.0)
