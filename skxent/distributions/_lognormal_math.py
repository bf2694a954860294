"""The change of variables behind :class:`LogNormalDistribution`.

``x`` is log-normal when ``log x`` is normal, so every kernel of the
log-normal is a kernel of the normal (``_gaussian_math``) applied to
``log x``, plus the Jacobian of ``x -> log x``:

.. math::

    \\log p_X(x) = \\log p_{\\log X}(\\log x) - \\sum_j \\log x_j,

whose expectation shifts the entropy by ``sum_j E[log x_j] = sum_j mu_j``.
Divergences are unchanged, as for any bijection. This module holds the two
pieces the normal does not have: the logarithm of the data with the support
``x > 0`` enforced at score time, and the Jacobian.
"""

import numpy as np

from skxent.distributions._support import mask_outside

__all__ = ["entropy", "log_data", "log_likelihood"]


def log_data(X):
    """``log X`` in float64, its row sums, and which rows lie in ``x > 0``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data, float32 or float64, of any sign.

    Returns
    -------
    log_X : ndarray of shape (n_samples, n_features)
        The logarithm of each entry; rows with an entry ``<= 0`` are set to
        zeros, a finite stand-in whose log-likelihood is then overwritten.
    log_jacobian : ndarray of shape (n_samples,)
        ``sum_j log x_ij``, the log-determinant of the Jacobian of
        ``log x -> x`` (0 for the rows set to zeros).
    inside : ndarray of shape (n_samples,)
        Whether each row lies in the support.
    """
    # log 0 = -inf and log of a negative number is nan, without warnings:
    # those rows are outside the support, and found from their row sums.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_X = np.log(X, dtype=np.float64)
    log_jacobian = log_X.sum(axis=1)
    inside = np.isfinite(log_jacobian)
    if not np.all(inside):
        log_X[~inside] = 0.0
        log_jacobian[~inside] = 0.0
    return log_X, log_jacobian, inside


def log_likelihood(log_density, log_jacobian, inside):
    """Log-density of ``x`` from the normal log-density of ``log x``.

    Parameters
    ----------
    log_density : ndarray of shape (n_samples,)
        ``log p(log x_i)`` under the normal distribution of ``log x``.
    log_jacobian : ndarray of shape (n_samples,)
        ``sum_j log x_ij``, as returned by :func:`log_data`.
    inside : ndarray of shape (n_samples,)
        Whether each row lies in the support.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``log p(log x_i) - sum_j log x_ij``, ``-inf`` outside the support.
    """
    return mask_outside(log_density - log_jacobian, inside)


def entropy(gaussian_entropy, mean):
    """Entropy of ``x`` from that of ``log x``: ``H(log x) + sum_j mu_j``."""
    return float(gaussian_entropy + np.sum(mean))
