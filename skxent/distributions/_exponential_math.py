"""Pure functions behind :class:`ExponentialDistribution`.

Dense, validated float data; scoring reads them in cache-sized blocks of
rows, so that the product and the support check find each block in cache
and a float32 ``X`` is never copied whole to float64.
"""

import numpy as np

from skxent.distributions._chunks import row_chunks
from skxent.distributions._deviance_math import deviance_term
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "entropy",
    "kl_divergence",
    "log_likelihood",
    "sample",
    "scales_from_statistics",
    "statistics",
]

#: The smallest positive normal float64. A scale below it has an inverse
#: that overflows, and its values are subnormal, with fewer digits.
_TINY = np.finfo(np.float64).tiny


def statistics(X, sample_weight):
    """Weight sum and weighted column sums, or None if some entry is negative.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated float data.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1]; None for unit weights.

    Returns
    -------
    statistics : WeightedSums or None
        ``weight_sum`` and the sum ``"x"`` (``sum_i w_i x_ij``); None when an
        entry is negative (the caller then names it).
    """
    if X.min(initial=0.0) < 0:
        return None
    # An overflow is reported by scales_from_statistics, not as a warning.
    with np.errstate(over="ignore"):
        if sample_weight is None:
            sums = X.sum(axis=0, dtype=np.float64)
        elif X.dtype == np.float64:
            sums = sample_weight @ X
        else:
            # float32: a product with float64 weights would cast X whole.
            sums = sum(sample_weight[rows] @ X[rows] for rows in row_chunks(X))
    weight_sum = float(X.shape[0] if sample_weight is None else sample_weight.sum())
    return WeightedSums(weight_sum, {"x": sums})


def scales_from_statistics(statistics):
    """The maximum likelihood scales (weighted means) and the columns without one.

    Returns
    -------
    scales : ndarray of shape (n_features,)
    degenerate : ndarray of int
        Indices of the columns whose mean is below the smallest normal float
        (zero on every row of positive weight, as a rule): the likelihood
        grows without bound as the scale goes to zero there.

    Raises
    ------
    ValueError
        If a weighted sum overflowed float64.
    """
    scales = statistics.mean("x")
    if not np.all(np.isfinite(scales)):
        raise ValueError(
            "The weighted column sums of X overflow float64; rescale X before "
            "fitting an exponential distribution."
        )
    return scales, np.flatnonzero(scales < _TINY)


def log_likelihood(X, scales):
    """``sum_j -log s_j - x_j / s_j`` for each row; ``-inf`` if an entry is < 0."""
    inverse = 1.0 / scales
    result = np.empty(X.shape[0])
    negative = np.empty(X.shape[0], dtype=bool)
    for rows in row_chunks(X):
        block = X[rows]
        # x / s beyond the float range is a density below it: -inf, the
        # value's rounding, not an error (nan arises only in rows with a
        # negative entry, which are masked).
        with np.errstate(over="ignore", invalid="ignore"):
            result[rows] = block @ inverse
        # One reduction decides for the block; rows only if it has a
        # negative entry (a per-row test costs more than the product).
        negative[rows] = block.min() < 0 and (block < 0).any(axis=1)
    result = -result - np.log(scales).sum()
    result[negative] = -np.inf
    return result


def entropy(scales):
    """``sum_j 1 + log s_j``, in nats."""
    return float(np.sum(1.0 + np.log(scales)))


def kl_divergence(scales_p, scales_q):
    """``D(p || q) = sum_j log(s_q / s_p) + s_p / s_q - 1``.

    Each term is ``deviance_term(s_q, s_p) / s_q``, summed without the
    cancellation of ``r - 1 - log r`` near ``r = s_p / s_q = 1``.
    """
    return float(np.sum(deviance_term(scales_q, scales_p) / scales_q))


def sample(scales, n_samples, random_state):
    """Independent exponential draws, shape (n_samples, n_features)."""
    return random_state.exponential(scales, size=(n_samples, scales.size))
