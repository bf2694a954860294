"""The deviance term ``x log(x / m) + m - x``, computed without cancellation.

Half the unit Poisson deviance of a count ``x`` against a mean ``m`` appears
wherever a Poisson or exponential model is compared with another: the
saddle-point form of the Poisson log-probability [1]_, the Poisson
Kullback-Leibler divergence (``x`` and ``m`` the two rates) and the
exponential one (the two scales). Near ``x = m`` its three terms cancel to
``(x - m)^2 / (2m)``; evaluated as written it keeps only the digits of
``x`` that survive the cancellation (three lost for ``x = m (1 + 1e-3)``),
so that case is summed as a series with positive leading terms instead.

References
----------
.. [1] C. Loader, "Fast and accurate computation of binomial
   probabilities", 2000 (the function ``bd0``).
"""

import numpy as np

__all__ = ["deviance_term"]

#: Below this ``|v| = |x - m| / (x + m)`` the series is used. Above it the
#: direct formula cancels at most a factor of about three (at ``x = 3m``,
#: ``3 log 3 - 2 = 1.30`` against terms of 3.3), i.e. keeps all but two bits.
_SERIES_BELOW = 0.5

#: The series is summed until ``|v|^(2j + 1) < 1e-17`` (29 terms at
#: ``|v| = 0.5``, 7 at 0.05), ``|v|`` the largest of the batch: the omitted
#: tail, relative to the value (at least ``(x + m) v^2 / 2``), is then
#: below 1e-17.
_SERIES_TOLERANCE = 1e-17


def deviance_term(x, m):
    """``x log(x / m) + m - x`` elementwise, to a few ulps, for ``x, m >= 0``.

    Parameters
    ----------
    x, m : array-like
        Non-negative, finite numbers (broadcast together).

    Returns
    -------
    deviance : ndarray
        Non-negative; ``m`` where ``x = 0`` (with ``0 log 0 = 0``), and
        ``+inf`` where ``m = 0 < x``.

    Notes
    -----
    With ``v = (x - m) / (x + m)``, ``log(x / m) = 2 (v + v^3/3 + v^5/5 +
    ...)`` and ``x - m = (x + m) v``, so

    .. math::

        x \\log\\frac{x}{m} + m - x = (x - m) v
            + 2 x v^3 \\sum_{j \\ge 1} \\frac{v^{2j - 2}}{2j + 1},

    whose leading term ``(x + m) v^2`` is positive and larger than the rest
    by a factor of at least ``3 / (2 |v|)``: no cancellation. For
    ``|v| >= 0.5`` the formula is evaluated directly.
    """
    x, m = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(m, float))
    difference = x - m
    with np.errstate(divide="ignore", invalid="ignore"):
        v = difference / (x + m)
    near = np.abs(v) < _SERIES_BELOW
    if near.all():
        # The common case (the entropy series, close divergences): no copies.
        return _series(x, difference, v)
    deviance = np.empty(x.shape)
    deviance[near] = _series(x[near], difference[near], v[near])
    far = ~near
    deviance[far] = _direct(x[far], m[far])
    return deviance


def _series(x, difference, v):
    """The series of ``deviance_term`` for ``|v| < 0.5``, to its tolerance."""
    largest = float(np.max(np.abs(v), initial=0.0))
    if largest == 0.0:
        return np.zeros(x.shape)
    n_terms = int(np.ceil(np.log(_SERIES_TOLERANCE) / np.log(largest) / 2))
    square = v * v
    series = np.zeros(x.shape)
    for j in range(max(n_terms, 1), 0, -1):
        series = series * square + 1.0 / (2 * j + 1)
    return difference * v + 2.0 * x * v * square * series


def _direct(x, m):
    """The formula as written, with its conventions at ``x = 0`` and ``m = 0``."""
    deviance = np.where(x > 0, np.inf, m)
    both = (x > 0) & (m > 0)
    x, m = x[both], m[both]
    # log(x / m) keeps all digits unless the ratio overflows or underflows;
    # then the difference of logarithms is as accurate as it gets.
    with np.errstate(over="ignore", under="ignore"):
        ratio = x / m
    usable = np.isfinite(ratio) & (ratio > 0)
    log_ratio = np.where(
        usable,
        np.log(np.where(usable, ratio, 1.0)),
        np.log(x) - np.log(m),
    )
    deviance[both] = x * log_ratio + m - x
    return deviance
