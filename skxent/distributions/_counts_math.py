"""Smoothed frequencies from weighted counts, shared by the count families.

Categorical, Bernoulli and Multinomial all estimate category probabilities
as additively smoothed frequencies. The counts arrive in units of their
statistics' weight scale (see :mod:`skxent.distributions._statistics`), the
smoothing ``alpha`` in true units, and either may be near the float range.
"""

import numpy as np

__all__ = ["smoothed_frequencies"]


def smoothed_frequencies(counts, alpha, log_scale=0.0):
    """``(s n_k + alpha) / (s N + K alpha)`` along the last axis, overflow-free.

    Parameters
    ----------
    counts : ndarray of shape (..., n_categories)
        Non-negative weighted counts in units of ``s = exp(log_scale)``, each
        row with a positive total ``N``.
    alpha : float
        Additive smoothing, ``>= 0``, in true (unscaled) units.
    log_scale : float, default=0.0
        Log of the unit of ``counts``.

    Returns
    -------
    probabilities : ndarray of shape (..., n_categories)
        Rows summing to one.

    Notes
    -----
    Numerator and denominator are both divided by ``max(s N, alpha)`` before
    they are formed, so neither ``s N`` (weights of 1e308 each) nor
    ``K alpha`` (``alpha=1e308``) overflows, and a prior dwarfed by the data
    underflows harmlessly to zero.
    """
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum(axis=-1, keepdims=True)
    if alpha == 0:
        return counts / total
    n_categories = counts.shape[-1]
    # Counts are in units where the largest weight is one, so total >= 1
    # whenever a row has any weight, and log(total) is finite.
    log_total = np.log(total) + log_scale
    log_alpha = np.log(alpha)
    log_max = np.maximum(log_total, log_alpha)
    count_unit = np.exp(log_scale - log_max)
    prior = np.exp(log_alpha - log_max)
    return (counts * count_unit + prior) / (total * count_unit + n_categories * prior)
