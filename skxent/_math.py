"""Log-space kernels shared by the information functions, metrics and estimators.

These functions assume validated input and do no checking of their own.
"""

import numbers

import numpy as np

__all__ = [
    "cross_entropy_from_log_proba",
    "log_base_divisor",
    "weighted_mean",
]


def log_base_divisor(base):
    """Return the number to divide nats by to express them in ``base``.

    ``base=None`` means nats (divisor 1).

    Raises
    ------
    ValueError
        If ``base`` is not None nor a finite number > 0 other than 1.
    """
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise ValueError(
            f"base must be a number > 0 other than 1 or None, got {base!r}."
        )
    if not (0 < base < np.inf and base != 1):
        raise ValueError(
            f"base must be a number > 0 other than 1 or None, got {base!r}."
        )
    return float(np.log(base))


def cross_entropy_from_log_proba(target, log_proba):
    """Row-wise cross-entropy ``-sum_k t_k log q_k`` from log-probabilities.

    Parameters
    ----------
    target : ndarray of shape (n_samples, n_classes)
        Target probability vectors (rows sum to one, entries >= 0).
    log_proba : ndarray of shape (n_samples, n_classes)
        Log-probabilities of the model; may contain ``-inf``.

    Returns
    -------
    cross_entropy : ndarray of shape (n_samples,)
        In nats. A term with zero target weight contributes 0 even where the
        model gives probability zero (0 log 0 = 0); a positive target weight on
        a zero-probability class gives ``+inf``, never nan.
    """
    # xlogy(t, exp(log q)) would underflow for confident models; multiplying in
    # log space keeps -1e4 logits exact. Zero targets are masked out so that
    # 0 * (-inf) is never evaluated.
    terms = np.multiply(
        target,
        log_proba,
        out=np.zeros(np.broadcast_shapes(np.shape(target), np.shape(log_proba))),
        where=target != 0,
    )
    return -terms.sum(axis=-1)


def weighted_mean(values, weights):
    """Mean of ``values`` weighted by non-negative ``weights``, as a float.

    Entries of weight zero are left out rather than multiplied by zero, so that
    an infinite value that does not count cannot turn the mean into nan. Only
    the ratios of the weights matter, so they are divided by the largest
    first: their sum then stays finite for weights near the float64 maximum
    and keeps its digits for subnormal ones.
    """
    counted = weights > 0
    if not counted.all():
        values, weights = values[counted], weights[counted]
    return float(np.average(values, weights=weights / weights.max()))
