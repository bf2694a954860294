"""Numerical kernels of independent gamma distributions.

Pure functions on validated, strictly positive data: the weighted sufficient
statistics of a batch and their exact merge, the maximum likelihood shape (a
Newton solver on the digamma equation) and the log-density, entropy,
Kullback-Leibler divergence and sampling of a fitted model. Parameters follow
``scipy.stats.gamma(a=shape, scale=scale)``; every function works column-wise
on arrays of shape (n_features,).

The shape's estimate depends on the data only through

.. math::

    s = \\log \\bar x - \\overline{\\log x} \\ge 0,

which is about half the squared coefficient of variation ``cv`` of the data
when they vary little: from plain sums of ``x`` and ``log x`` it would carry
an absolute error of ``eps |log x|``, lose every digit for ``cv < 1e-8`` and
come out negative. So the sums are taken relative to a reference value ``c``
per column (a data value near the centre): with ``r = x / c`` rounded once,
the statistics are the sums of ``r - 1`` and ``log r``, both small and exact
to rounding of their own size, and ``s = log1p(mean(r - 1)) - mean(log r)``
is exact for the data as rounded in ``r`` (a relative error of about
``eps / cv``), and exactly 0 for a constant column.

Near-constant data have a huge shape, where the textbook log-density and
entropy are differences of terms of size ``shape * log(shape)``. They are
computed instead around Stirling's formula, from ``log a - digamma(a)`` and
``gammaln``'s Stirling remainder evaluated by their asymptotic series, so that
no term larger than the result is ever subtracted.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln, polygamma

from skxent.distributions._deviance_math import deviance_term
from skxent.distributions._statistics import Statistics

__all__ = [
    "GammaStatistics",
    "entropy",
    "kl_divergence",
    "log_likelihood",
    "log_ratio_of_means",
    "mean_from_statistics",
    "sample",
    "shape_from_log_ratio",
    "statistics",
]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)

#: Rows, evenly spaced, whose median per column is the reference ``c``: a
#: value within a few standard deviations of the centre is all the
#: statistics need, and 1024 rows cost nothing next to the pass over X.
_REFERENCE_ROWS = 1024

#: X is read this many entries at a time, so that the ratios, their
#: logarithms and the products that consume them stay in cache.
_CHUNK_ELEMENTS = 1 << 16

#: From this shape on, ``log a - digamma(a)``, its derivative and the Stirling
#: remainder of ``gammaln`` are evaluated by their asymptotic series: at
#: a = 10 the first term left out below is 1e-16 of the sum, while the direct
#: difference ``log a - digamma(a)`` already loses 1e-14 of it (and all of it
#: for a ~ 1e16).
_SERIES_SHAPE = 10.0

#: Coefficients ``B_2k / (2k)`` of ``log a - digamma(a) - 1/(2a)`` in powers
#: of ``1/a^2`` (Abramowitz and Stegun 6.3.18), B_2k the Bernoulli numbers.
_DIGAMMA_SERIES = np.array(
    [1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12, -3617 / 8160]
)

#: Coefficients ``B_2k / (2k (2k - 1))`` of the Stirling remainder
#: ``gammaln(a) - (a - 1/2) log a + a - log(2 pi) / 2`` in powers of
#: ``1/a^2``, after the leading ``1/a`` (Abramowitz and Stegun 6.1.40).
_STIRLING_SERIES = np.array(
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

#: Coefficients ``B_2k`` of ``a * trigamma(a) - 1 - 1/(2a)`` in powers of
#: ``1/a^2``; only the Newton step uses it, which needs far fewer digits.
_TRIGAMMA_SERIES = np.array([1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66])

#: Newton's iterations are stopped after a step below this (in log-shape):
#: convergence is quadratic, so the next step would be below rounding.
_NEWTON_TOLERANCE = 1e-9

#: Minka's start is within 1.5% of the root, from where three or four Newton
#: steps reach float precision; the bound only guards against the impossible.
_NEWTON_MAX_ITER = 20

#: Shapes from which the log-density is computed around Stirling's formula:
#: the textbook form's rounding error grows like ``shape * eps`` relative.
_LARGE_SHAPE = 100.0


@dataclass(frozen=True)
class GammaStatistics(Statistics):
    """Sufficient statistics of one or more weighted batches.

    Attributes
    ----------
    weight_sum : float
        Sum of the sample weights, ``W`` (in units of ``exp(log_scale)``).
    reference : ndarray of shape (n_features,)
        The value ``c`` of each column the sums below are relative to.
    deviation : ndarray of shape (n_features,)
        ``sum_i w_i (x_i / c - 1)``.
    log_ratio : ndarray of shape (n_features,)
        ``sum_i w_i log(x_i / c)``.
    """

    weight_sum: float
    reference: np.ndarray
    deviation: np.ndarray
    log_ratio: np.ndarray

    def _scaled(self, factor):
        return GammaStatistics(
            self.weight_sum * factor,
            self.reference,
            self.deviation * factor,
            self.log_ratio * factor,
        )

    def _combine(self, other):
        """Both batches relative to ``self``'s reference, then added.

        With ``q = c_other / c_self``, ``x / c_self = q (x / c_other)``: the
        deviations become ``q d + W (q - 1)`` and the log-ratios gain
        ``W log q``. Both are exact to rounding of their own size, and
        ``q - 1`` is small when the two references are close, i.e. when the
        data vary little and the digits matter.
        """
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            ratio = other.reference / self.reference
            deviation = ratio * other.deviation + other.weight_sum * (ratio - 1.0)
        # log q from the rounded q itself, as in a batch: log c_o - log c_s
        # would lose 1e-15 absolute, all of log q for near-constant data.
        # A q beyond the float range gives an infinite deviation, which the
        # estimator reports.
        with np.errstate(divide="ignore"):
            log_ratio = other.log_ratio + other.weight_sum * np.log(ratio)
        return GammaStatistics(
            self.weight_sum + other.weight_sum,
            self.reference,
            self.deviation + deviation,
            self.log_ratio + log_ratio,
        )


def statistics(X, sample_weight):
    """Weighted sums of ``x / c - 1`` and ``log(x / c)`` of one batch.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Strictly positive, finite data, float32 or float64.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights with a positive sum; None means unit weights.

    Returns
    -------
    statistics : GammaStatistics
    """
    reference = _reference(X, sample_weight)
    deviation = np.zeros(X.shape[1])
    log_ratio = np.zeros(X.shape[1])
    # Unit weights as a vector of ones: a matrix-vector product sums the
    # columns of a chunk several times faster than ``sum(axis=0)``.
    ones = np.ones(min(X.shape[0], _CHUNK_ELEMENTS))
    for rows in _row_chunks(X):
        ratio, log_of_ratio = _ratios(X[rows], reference)
        if sample_weight is None:
            weights = ones[: ratio.shape[0]]
        else:
            weights = sample_weight[rows]
        deviation += weights @ ratio
        log_ratio += weights @ log_of_ratio
    if sample_weight is None:
        weight_sum = float(X.shape[0])
    else:
        weight_sum = float(sample_weight.sum())
    return GammaStatistics(weight_sum, reference, deviation, log_ratio)


def _row_chunks(X):
    """Slices of rows of X holding about ``_CHUNK_ELEMENTS`` entries."""
    step = max(1, _CHUNK_ELEMENTS // max(X.shape[1], 1))
    return (slice(start, start + step) for start in range(0, X.shape[0], step))


def _ratios(X, reference):
    """``x / c - 1`` and ``log(x / c)`` of a chunk of rows, in float64.

    Both come from the one rounded ratio ``r = x / c``, so that
    ``log r = log1p(r - 1)`` holds between them to rounding of the result:
    their means then cancel to ``s`` without losing its digits.
    """
    # A ratio below the smallest subnormal (a column spanning more than 300
    # decades) is repaired below; one above the largest float is reported
    # by the caller as a ValueError.
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        ratio = np.divide(X, reference, dtype=np.float64)
        log_ratio = np.log(ratio)
    underflow = ratio == 0.0
    if np.any(underflow):
        # log x - log c keeps every digit that matters this far from c.
        columns = np.nonzero(underflow)[1]
        log_ratio[underflow] = np.log(X[underflow], dtype=np.float64) - np.log(
            reference[columns]
        )
    ratio -= 1.0
    return ratio, log_ratio


def _reference(X, sample_weight):
    """A data value of positive weight near the centre of each column.

    The lower median of about ``_REFERENCE_ROWS`` evenly spaced rows of
    positive weight: an actual value, so that a constant column has
    deviations of exactly zero.
    """
    rows = np.arange(0, X.shape[0], max(1, X.shape[0] // _REFERENCE_ROWS))
    if sample_weight is not None:
        rows = rows[sample_weight[rows] > 0]
        if rows.size == 0:
            # The few rows that count all fall between the evenly spaced ones.
            rows = np.flatnonzero(sample_weight > 0)[:_REFERENCE_ROWS]
    middle = (rows.size - 1) // 2
    return np.partition(X[rows], middle, axis=0)[middle].astype(np.float64)


def mean_from_statistics(statistics):
    """The weighted mean of each column, ``c (1 + mean(x / c - 1))``."""
    return statistics.reference * (1.0 + statistics.deviation / statistics.weight_sum)


def log_ratio_of_means(statistics):
    """``s = log(mean x) - mean(log x)`` of each column, ``>= 0`` (Jensen).

    Zero for a constant column; nan or infinite only if the column spans
    more than the float64 range.
    """
    weight_sum = statistics.weight_sum
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return (
            np.log1p(statistics.deviation / weight_sum)
            - statistics.log_ratio / weight_sum
        )


# -- log a - digamma(a) and Stirling's remainder --------------------------------


def _polynomial(coefficients, t):
    """``sum_k coefficients[k] * t**k`` by Horner's rule."""
    result = np.full_like(t, coefficients[-1])
    for coefficient in coefficients[-2::-1]:
        result = result * t + coefficient
    return result


def _by_regime(shape, direct, series):
    """``direct(a)`` for shapes below ``_SERIES_SHAPE``, ``series(a)`` above."""
    shape = np.asarray(shape, dtype=np.float64)
    large = shape >= _SERIES_SHAPE
    result = np.empty_like(shape)
    result[large] = series(shape[large])
    result[~large] = direct(shape[~large])
    return result


def _digamma_remainder(shape):
    """``log a - digamma(a) - 1/(2a)``, about ``1/(12 a^2)`` for large a."""
    return _by_regime(
        shape,
        lambda a: np.log(a) - digamma(a) - 0.5 / a,
        lambda a: _polynomial(_DIGAMMA_SERIES, a**-2.0) * a**-2.0,
    )


def _log_minus_digamma(shape):
    """``log a - digamma(a) > 0``, to float precision for every shape."""
    return _digamma_remainder(shape) + 0.5 / shape


def _log_minus_digamma_slope(shape):
    """``a d/da (log a - digamma(a)) = 1 - a trigamma(a) < 0``."""
    return _by_regime(
        shape,
        lambda a: 1.0 - a * polygamma(1, a),
        lambda a: -(0.5 / a + _polynomial(_TRIGAMMA_SERIES, a**-2.0) * a**-2.0),
    )


def _stirling_remainder(shape):
    """``gammaln(a) - (a - 1/2) log a + a - log(2 pi)/2``, ~``1/(12 a)``."""
    return _by_regime(
        shape,
        lambda a: gammaln(a) - (a - 0.5) * np.log(a) + a - _HALF_LOG_2PI,
        lambda a: _polynomial(_STIRLING_SERIES, a**-2.0) / a,
    )


# -- the maximum likelihood shape -----------------------------------------------


def shape_from_log_ratio(log_ratio):
    """The shape ``a`` solving ``log a - digamma(a) = s`` for each ``s > 0``.

    Newton's method on ``log(log a - digamma(a)) = log s`` in ``log a``:
    the left side is decreasing and nearly linear (slope -1 at both ends,
    where ``log a - digamma(a)`` behaves as ``1/a`` and ``1/(2a)``), so the
    iteration converges from Minka's closed-form start [1]_

    .. math::

        a_0 = \\frac{3 - s + \\sqrt{(s - 3)^2 + 24 s}}{12 s}

    to float precision in a few steps, for ``s`` from 1e-300 to the largest
    value data in float64 can give (about 1500).

    Parameters
    ----------
    log_ratio : ndarray of shape (n_features,)
        ``s = log(mean x) - mean(log x) > 0``, finite.

    Returns
    -------
    shape : ndarray of shape (n_features,)

    References
    ----------
    .. [1] T. P. Minka, "Estimating a Gamma distribution", Microsoft
       Research technical report, 2002.
    """
    s = np.asarray(log_ratio, dtype=np.float64)
    shape = _minka_start(s)
    for _ in range(_NEWTON_MAX_ITER):
        value = _log_minus_digamma(shape)
        slope = _log_minus_digamma_slope(shape) / value
        # log(value / s), not log(value) - log(s): for s = 1e-300 the two
        # logarithms are -690 and their difference would lose 1e-13.
        step = np.log(value / s) / slope
        # Multiplying by exp(-step) keeps the shape's relative precision,
        # which exp(log a) would lose for large log a.
        shape = shape * np.exp(-step)
        if np.all(np.abs(step) <= _NEWTON_TOLERANCE):
            break
    return shape


def _minka_start(s):
    """Minka's approximation, in a form without cancellation for any ``s``.

    For ``s > 3`` the numerator ``3 - s + sqrt(...)`` is a difference of
    nearly equal numbers; multiplied by its conjugate it is
    ``24 s / (sqrt(...) + s - 3)``, so ``a_0 = 2 / (sqrt(...) + s - 3)``.
    """
    root = np.sqrt((s - 3.0) ** 2 + 24.0 * s)
    start = np.empty_like(s)
    small = s <= 3.0
    start[small] = (3.0 - s[small] + root[small]) / (12.0 * s[small])
    start[~small] = 2.0 / (root[~small] + s[~small] - 3.0)
    return start


# -- the fitted model -----------------------------------------------------------


def log_likelihood(X, shape, scale):
    """Log-density of each row of ``X`` under independent gammas.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data; rows with an entry ``<= 0`` get ``-inf``.
    shape, scale : ndarray of shape (n_features,)
        Parameters, positive and finite.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``sum_j (a_j - 1) log x_j - x_j / theta_j - gammaln(a_j)
        - a_j log theta_j``.

    Notes
    -----
    Columns of shape below ``_LARGE_SHAPE`` use that textbook form, as two
    matrix-vector products with ``log X`` and ``X``. Larger shapes use the
    same density written around Stirling's formula, with ``mu = a theta``
    the mean,

    .. math::

        \\log p(x) = \\tfrac12 \\log\\frac{a}{2\\pi} - R(a)
            - a\\, h\\!\\left(\\frac{x}{\\mu}\\right) - \\log x,
        \\qquad h(v) = v - 1 - \\log v,

    where ``R`` is the Stirling remainder of ``gammaln``: every term is of
    the size of the result, where the textbook terms are of size
    ``a log a``.
    """
    inside = None
    if not X.min() > 0:
        # Rows outside the support are scored on a stand-in of ones, then
        # set to -inf: no log(0) warning, no 0 * inf in the products.
        inside = np.all(X > 0, axis=1)
        X = np.where(inside[:, np.newaxis], X, 1.0)
    large = shape >= _LARGE_SHAPE
    if np.any(large):
        small = ~large
        result = _textbook_log_density(X[:, small], shape[small], scale[small])
        result += _stirling_log_density(X[:, large], shape[large], scale[large])
    else:
        result = _textbook_log_density(X, shape, scale)
    if inside is not None:
        result[~inside] = -np.inf
    return result


def _textbook_log_density(X, shape, scale):
    """Row sums of ``(a - 1) log x - x / theta - gammaln(a) - a log theta``."""
    result = np.empty(X.shape[0])
    inverse_scale = 1.0 / scale
    for rows in _row_chunks(X):
        chunk = X[rows]
        log_chunk = np.log(chunk, dtype=np.float64)
        result[rows] = log_chunk @ (shape - 1.0) - chunk @ inverse_scale
    result -= np.sum(gammaln(shape) + shape * np.log(scale))
    return result


def _stirling_log_density(X, shape, scale):
    """Row sums of the log-density of large-shape columns, around Stirling."""
    constant = np.sum(0.5 * np.log(shape) - _HALF_LOG_2PI - _stirling_remainder(shape))
    # a h(x / mu) = (mu log(mu / x) + x - mu) / theta: the deviance term.
    deviance = deviance_term(shape * scale, X) @ (1.0 / scale)
    return constant - deviance - np.log(X, dtype=np.float64).sum(axis=1)


def entropy(shape, scale):
    """Differential entropy of independent gammas, in nats.

    ``a + log theta + gammaln(a) + (1 - a) digamma(a)``, written around
    Stirling's formula as ``log theta + log(2 pi a)/2 + R(a)
    + (a - 1)(log a - digamma(a))``, which tends to ``log(2 pi e a
    theta^2)/2`` (the normal limit) without cancellation.
    """
    per_column = (
        np.log(scale)
        + 0.5 * np.log(shape)
        + _HALF_LOG_2PI
        + _stirling_remainder(shape)
        + (shape - 1.0) * _log_minus_digamma(shape)
    )
    return float(per_column.sum())


def kl_divergence(shape_p, scale_p, shape_q, scale_q):
    """``D(p || q)`` between independent gammas, in nats.

    The closed form ``(a_p - a_q) digamma(a_p) - gammaln(a_p) + gammaln(a_q)
    + a_q log(theta_q / theta_p) + a_p (theta_p / theta_q - 1)`` is, with
    ``rho = mu_p / mu_q`` the ratio of the means and ``r = a_q / a_p``,

    .. math::

        D = a_q\\, h(\\rho) + \\tfrac12 h(r)
            + (a_q - a_p)\\left(g(a_p) - \\tfrac{1}{2 a_p}\\right)
            + R(a_q) - R(a_p),

    with ``g(a) = log a - digamma(a)`` and ``R`` the Stirling remainder: the
    first two terms are ``>= 0`` and carry the size of the divergence, the
    others are ``O((a_q - a_p)^2 / a^3)`` for large shapes, so nothing
    cancels, and the divergence of a model from itself is exactly 0.
    """
    # a_q h(rho) and h(r) / 2 are deviance terms, divided by theta_q and a_p.
    per_column = (
        deviance_term(shape_q * scale_q, shape_p * scale_p) / scale_q
        + 0.5 * deviance_term(shape_p, shape_q) / shape_p
        + (shape_q - shape_p) * _digamma_remainder(shape_p)
        + _stirling_remainder(shape_q)
        - _stirling_remainder(shape_p)
    )
    # Gibbs' inequality holds exactly; only rounding can make it negative.
    return max(float(per_column.sum()), 0.0)


def sample(shape, scale, n_samples, random_state):
    """Draw ``n_samples`` rows of independent gammas."""
    return random_state.gamma(shape, scale, size=(n_samples, shape.shape[0]))
