"""Entropy, cross-entropy and Kullback-Leibler divergence of discrete distributions.

The three public functions validate their input and hand clean row blocks to
small private kernels. Inputs are processed in blocks of rows that fit in the
CPU cache: each block is checked (sums and signs) and evaluated while it is
still in cache, so a large input is read from memory once and no temporary of
the input's size is ever allocated.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params

from skxent._math import log_base_divisor
from skxent._validation import SUM_RTOL, as_float_array, check_probability_vectors

__all__ = ["cross_entropy", "entropy", "kl_divergence"]

#: The smallest positive float64. ``p + _TINY`` is ``p`` for every number above
#: 2**-1021 (about 4e-308; below, the change is far beyond float precision of
#: any sum of terms) and ``log(_TINY)`` (about -744.4) is finite, so that a zero
#: contributes ``0 * log(_TINY) = 0`` exactly: the convention 0 log 0 = 0.
_TINY = np.finfo(np.float64).smallest_subnormal

#: Number of entries per block of rows. A block of p, of q and the scratch
#: buffer (3 x 512 KiB) stay in a 2 MiB L2 cache; smaller blocks pay more
#: per-call overhead (2**14 and 2**15 were 5-15% slower on 1e6 x 100 arrays).
_BLOCK_SIZE = 2**16

#: ``base`` may be any positive number except 1 (which has no logarithm to
#: divide by); None means nats.
_BASE_CONSTRAINT = [
    None,
    Interval(Real, 0, 1, closed="neither"),
    Interval(Real, 1, None, closed="neither"),
]
_AXIS_CONSTRAINT = [Interval(Integral, None, None, closed="neither")]


@validate_params(
    {"p": ["array-like"], "base": _BASE_CONSTRAINT, "axis": _AXIS_CONSTRAINT},
    prefer_skip_nested_validation=True,
)
def entropy(p, *, base=None, axis=-1):
    r"""Shannon entropy of discrete probability distributions.

    Parameters
    ----------
    p : array-like
        Probability vectors along ``axis``: non-negative, finite and summing
        to 1 (relative tolerance 1e-6). They are never renormalised.
    base : float, default=None
        Base of the logarithm. ``None`` gives nats, ``2`` bits. Any positive
        number other than 1 is allowed.
    axis : int, default=-1
        Axis of ``p`` along which the probability vectors lie.

    Returns
    -------
    entropy : float or ndarray
        :math:`H(p)`, with ``axis`` reduced: a float for a single vector, an
        array of the remaining shape otherwise. Always finite and >= 0.

    Raises
    ------
    TypeError
        If ``p`` is not real-valued numeric.
    ValueError
        If ``p`` is a scalar or has empty vectors, if ``axis`` is out of
        bounds, if ``p`` contains nan, inf or negative entries, or if a vector
        does not sum to 1; also if ``base`` is not positive or equals 1.

    See Also
    --------
    cross_entropy : Cross-entropy :math:`H(p, q)`.
    kl_divergence : Kullback-Leibler divergence :math:`D(p \| q)`.
    scipy.stats.entropy : The same quantities, renormalising its input.

    Notes
    -----
    .. math::

        H(p) = -\sum_k p_k \log p_k,

    with the convention :math:`0 \log 0 = 0`, so that impossible outcomes do
    not count. :math:`0 \le H(p) \le \log K` for :math:`K` outcomes, with
    equality on the left for a point mass and on the right for the uniform
    distribution. Changing the base divides by :math:`\log b`.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory",
       2nd ed., Wiley, 2006, chapter 2.

    Examples
    --------
    >>> import numpy as np
    >>> from skxent import entropy
    >>> entropy([0.5, 0.25, 0.25], base=2)
    1.5

    A point mass carries no information and the uniform distribution the
    most, :math:`\log K`:

    >>> entropy([[1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
    array([0.        , 1.38629436])
    >>> bool(np.isclose(entropy(np.full(4, 0.25)), np.log(4)))
    True
    """
    return _evaluate(_entropy_rows, {"p": p}, base=base, axis=axis, check_sign=())


@validate_params(
    {
        "p": ["array-like"],
        "q": ["array-like"],
        "base": _BASE_CONSTRAINT,
        "axis": _AXIS_CONSTRAINT,
    },
    prefer_skip_nested_validation=True,
)
def cross_entropy(p, q, *, base=None, axis=-1):
    r"""Cross-entropy of distributions ``q`` relative to distributions ``p``.

    Parameters
    ----------
    p : array-like
        Probability vectors along ``axis`` (the "true" distributions):
        non-negative, finite and summing to 1 (relative tolerance 1e-6).
    q : array-like
        Probability vectors along ``axis`` (the model), with the same
        requirements; ``p`` and ``q`` are broadcast against each other.
    base : float, default=None
        Base of the logarithm. ``None`` gives nats, ``2`` bits. Any positive
        number other than 1 is allowed.
    axis : int, default=-1
        Axis of the broadcast arrays along which the vectors lie.

    Returns
    -------
    cross_entropy : float or ndarray
        :math:`H(p, q)`, with ``axis`` reduced: a float for a single pair of
        vectors, an array of the remaining broadcast shape otherwise. ``+inf``
        where ``q`` gives probability 0 to an outcome that ``p`` does not.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not real-valued numeric.
    ValueError
        If ``p`` and ``q`` do not broadcast, if either contains nan, inf or
        negative entries or has a vector that does not sum to 1, if ``axis``
        is out of bounds, or if ``base`` is not positive or equals 1.

    See Also
    --------
    entropy : Entropy :math:`H(p) = H(p, p)`.
    kl_divergence : Kullback-Leibler divergence :math:`D(p \| q)`.
    skxent.metrics.cross_entropy_loss : Mean cross-entropy of labels against
        predicted probabilities.

    Notes
    -----
    .. math::

        H(p, q) = -\sum_k p_k \log q_k = H(p) + D(p \| q) \ge H(p),

    with :math:`0 \log q_k = 0` for every :math:`q_k`, including 0. It is the
    expected code length when data from :math:`p` are coded for :math:`q`;
    averaged over the empirical distribution of a sample it is the negative
    mean log-likelihood, so minimizing it over :math:`q` is maximum likelihood
    estimation.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, "Elements of Information Theory",
       2nd ed., Wiley, 2006, section 5.4.

    Examples
    --------
    >>> from skxent import cross_entropy, entropy, kl_divergence
    >>> p, q = [0.5, 0.25, 0.25], [0.25, 0.25, 0.5]
    >>> cross_entropy(p, q, base=2)
    1.75

    The cross-entropy is the entropy plus the divergence:

    >>> entropy(p, base=2) + kl_divergence(p, q, base=2)
    1.75

    An outcome the model deems impossible costs an infinite code length,
    while outcomes that never happen cost nothing:

    >>> cross_entropy([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    inf
    >>> cross_entropy([1.0, 0.0], [0.5, 0.5])
    0.6931...
    """
    arrays = {"p": p, "q": q}
    return _evaluate(
        _cross_entropy_rows, arrays, base=base, axis=axis, check_sign=("p",)
    )


@validate_params(
    {
        "p": ["array-like"],
        "q": ["array-like"],
        "base": _BASE_CONSTRAINT,
        "axis": _AXIS_CONSTRAINT,
    },
    prefer_skip_nested_validation=True,
)
def kl_divergence(p, q, *, base=None, axis=-1):
    r"""Kullback-Leibler divergence of distributions ``p`` from ``q``.

    Parameters
    ----------
    p : array-like
        Probability vectors along ``axis``: non-negative, finite and summing
        to 1 (relative tolerance 1e-6).
    q : array-like
        Probability vectors along ``axis`` with the same requirements;
        ``p`` and ``q`` are broadcast against each other.
    base : float, default=None
        Base of the logarithm. ``None`` gives nats, ``2`` bits. Any positive
        number other than 1 is allowed.
    axis : int, default=-1
        Axis of the broadcast arrays along which the vectors lie.

    Returns
    -------
    kl_divergence : float or ndarray
        :math:`D(p \| q) \ge 0`, with ``axis`` reduced: a float for a single
        pair of vectors, an array of the remaining broadcast shape otherwise.
        ``+inf`` where ``q`` gives probability 0 to an outcome that ``p``
        does not.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not real-valued numeric.
    ValueError
        If ``p`` and ``q`` do not broadcast, if either contains nan, inf or
        negative entries or has a vector that does not sum to 1, if ``axis``
        is out of bounds, or if ``base`` is not positive or equals 1.

    See Also
    --------
    entropy : Entropy :math:`H(p)`.
    cross_entropy : Cross-entropy :math:`H(p, q) = H(p) + D(p \| q)`.
    scipy.special.rel_entr : The elementwise terms :math:`p \log(p / q)`.

    Notes
    -----
    .. math::

        D(p \| q) = \sum_k p_k \log \frac{p_k}{q_k} = H(p, q) - H(p),

    with :math:`0 \log(0 / q_k) = 0` for every :math:`q_k`. Gibbs' inequality
    makes it non-negative, zero exactly when :math:`p = q`; the value
    returned is clipped at 0 so that rounding never makes it negative. It is
    not symmetric in :math:`p` and :math:`q`.

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On Information and Sufficiency",
       The Annals of Mathematical Statistics, 22(1), 79-86, 1951.
    .. [2] T. M. Cover and J. A. Thomas, "Elements of Information Theory",
       2nd ed., Wiley, 2006, section 2.3.

    Examples
    --------
    >>> from skxent import cross_entropy, entropy, kl_divergence
    >>> p, q = [0.5, 0.25, 0.25], [0.25, 0.25, 0.5]
    >>> kl_divergence(p, q, base=2)
    0.25
    >>> kl_divergence(p, p)
    0.0

    The divergence is the excess of the cross-entropy over the entropy:

    >>> cross_entropy(p, q, base=2) - entropy(p, base=2)
    0.25

    Rows of a batch are compared with one reference distribution by
    broadcasting:

    >>> kl_divergence([[0.5, 0.5], [1.0, 0.0]], [0.5, 0.5])
    array([0.        , 0.69314718])
    """
    arrays = {"p": p, "q": q}
    # The sign of p is checked: a negative p_k over a negative q_k would make
    # a positive ratio that the kernel cannot tell from a valid one.
    return _evaluate(
        _kl_divergence_rows, arrays, base=base, axis=axis, check_sign=("p",)
    )


# -- the kernels: clean 2-D blocks of row vectors in, one value per row out ----


def _entropy_rows(p, *, work):
    """Entropy ``-sum_k p_k log p_k`` of each row of ``p``, in nats.

    ``p`` holds probability vectors in its rows; ``work`` is scratch space of
    the same shape, overwritten. A row with a negative entry gives nan.
    """
    with np.errstate(all="ignore"):
        # Adding _TINY changes no normal number, keeps negatives negative (their
        # log is nan) and makes zeros contribute 0 * log(_TINY) = 0.
        log_p = np.log(_add_tiny(p, out=work), out=work)
        # ``0.0 - x`` rather than ``-x``: a point mass sums to -0.0, shown as 0.
        return 0.0 - np.einsum("ij,ij->i", p, log_p)


def _add_tiny(p, *, out):
    """``p + _TINY`` computed in float64, whatever the dtype of ``p``.

    In float32 the tiny number would round to zero, and with numpy < 2 a
    float64 scalar does not promote a float32 array, so the float64 loop is
    asked for explicitly.
    """
    return np.add(p, _TINY, out=out, dtype=np.float64)


def _cross_entropy_rows(p, q, *, work):
    """Cross-entropy ``-sum_k p_k log q_k`` of each row pair, in nats.

    ``+inf`` where ``q_k = 0 < p_k``; terms with ``p_k = 0`` count 0. A row
    where ``q`` has a negative entry gives nan.
    """
    with np.errstate(all="ignore"):
        log_q = np.log(q, out=work)
        cross_entropy = 0.0 - np.einsum("ij,ij->i", p, log_q)
        # A zero in q gives log q = -inf and so a nan (0 * -inf) or +inf row
        # sum; a negative q gives nan. Only those rows are recomputed.
        redo = ~np.isfinite(cross_entropy)
        if redo.any():
            cross_entropy[redo] = _cross_entropy_rows_exact(p[redo], q[redo])
    return cross_entropy


def _cross_entropy_rows_exact(p, q):
    """Cross-entropy of each row pair, term by term with 0 log q = 0.

    For the rows where ``q`` has zeros (or negatives, which give nan).
    """
    terms = p * np.log(q)
    terms[(p == 0) & (q >= 0)] = 0.0
    return 0.0 - terms.sum(axis=1)


def _kl_divergence_rows(p, q, *, work):
    """Divergence ``sum_k p_k log(p_k / q_k)`` of each row pair, in nats, >= 0.

    ``+inf`` where ``q_k = 0 < p_k``; terms with ``p_k = 0`` count 0. ``p``
    must be non-negative (its sign is checked by the caller); a row where
    ``q`` has a negative entry gives nan.
    """
    # One log per entry, of the ratio: half the work of log p - log q. Adding
    # _TINY to p, as in _entropy_rows, makes the terms of zeros 0 * finite = 0
    # and, p being >= 0, the ratio of a negative q negative (its log is nan).
    with np.errstate(all="ignore"):
        ratio = np.divide(_add_tiny(p, out=work), q, out=work)
        divergence = np.einsum("ij,ij->i", p, np.log(ratio, out=ratio))
        # log(p / q) of a rounded ratio is off by up to 2**-53 in absolute
        # terms, so the sum carries an absolute error of about 1e-16 whatever
        # its size; a zero in q (inf ratio) or a ratio beyond the float range
        # makes it non-finite. Those rows, and the rows too close to 0 for an
        # absolute 1e-16 to be a small relative error, are recomputed term
        # by term with the accurate formulas.
        redo = ~(divergence >= _ACCURATE_BELOW) | (divergence == np.inf)
        if redo.any():
            divergence[redo] = _kl_divergence_rows_accurate(p[redo], q[redo])
    # Gibbs' inequality: the sum is >= 0, but rounding of terms of either
    # sign leaves negatives of the order of the float epsilon when p ~ q.
    return np.maximum(divergence, 0.0, out=divergence)


#: Divergences computed from rounded ratios are recomputed below this value:
#: their absolute error of ~1e-16 is then more than ~1e-13 relative.
_ACCURATE_BELOW = 2.0**-10

#: Ratios ``p / q`` in (1/2, 2): there ``p - q`` is exact (Sterbenz's lemma),
#: so ``log1p((p - q) / q)`` is accurate where ``log(p / q)`` is not.
_NEAR_ONE = (0.5, 2.0)


def _kl_divergence_rows_accurate(p, q):
    """Divergence of each row pair, each term ``p_k log(p_k / q_k)`` accurate.

    The terms are those of :func:`scipy.special.rel_entr`: ``log1p`` of
    ``(p - q) / q`` for ratios near 1, ``log p - log q`` for ratios that
    overflow or fall below the normal range (subnormal or zero, where the
    ratio has lost digits), ``log(p / q)`` elsewhere. ``p`` is >= 0.
    """
    p, q = p.astype(np.float64, copy=False), q.astype(np.float64, copy=False)
    ratio = p / q
    log_ratio = np.log(ratio)
    near = (ratio > _NEAR_ONE[0]) & (ratio < _NEAR_ONE[1])
    log_ratio[near] = np.log1p((p[near] - q[near]) / q[near])
    # ``not ratio >= tiny`` also takes nan (0 / 0) and negative ratios.
    far = ~(ratio >= np.finfo(np.float64).tiny) | (ratio == np.inf)
    log_ratio[far] = np.log(p[far]) - np.log(q[far])
    terms = p * log_ratio
    terms[(p == 0) & (q >= 0)] = 0.0
    return terms.sum(axis=1)


# -- validation and the block loop ---------------------------------------------


def _evaluate(kernel, arrays, *, base, axis, check_sign):
    """Validate probability vectors and evaluate a row kernel block by block.

    Parameters
    ----------
    kernel : callable
        ``kernel(*blocks, work=...)`` returning one value in nats per row of
        the 2-D blocks, and nan for a row where an argument not named in
        ``check_sign`` has a negative entry.
    arrays : dict of str to array-like
        The kernel's arguments, keyed by parameter name for error messages.
    check_sign : tuple of str
        Names of the arguments whose negative entries the kernel does not
        reveal, and whose minimum is therefore checked explicitly.
    base : float or None
        Base of the logarithm of the result.
    axis : int
        Axis of the broadcast arrays along which the vectors lie.

    Returns
    -------
    value : float or ndarray
        The kernel's values with ``axis`` reduced, in ``base``.
    """
    arrays = {name: _as_float(a, name=name) for name, a in arrays.items()}
    shape = _broadcast_shape(arrays)
    axis = _check_axis(axis, shape, names=list(arrays))
    rows = [_as_rows(a, shape, axis) for a in arrays.values()]
    n_rows, n_classes = rows[0].shape
    block_rows = max(1, _BLOCK_SIZE // n_classes)
    work = np.empty((min(block_rows, n_rows), n_classes))
    checks = [_StreamingCheck(n_rows, n_classes, name in check_sign) for name in arrays]
    values = np.empty(n_rows)
    # Each block is checked first, which streams it from memory into the cache
    # where the kernel then finds it (the other order is ~30% slower). Invalid
    # input is only diagnosed after the loop: the kernels may meet it,
    # harmlessly (they warn about nothing), and their values are then dropped.
    for start in range(0, n_rows, block_rows):
        stop = min(start + block_rows, n_rows)
        blocks = [r[start:stop] for r in rows]
        for check, block in zip(checks, blocks, strict=True):
            check.update(block, start, stop)
        values[start:stop] = kernel(*blocks, work=work[: stop - start])
    kernel_flagged = np.isnan(values).any()
    for check, (name, a) in zip(checks, arrays.items(), strict=True):
        if kernel_flagged or not check.passed():
            _raise_for_invalid(a, shape, axis, name=name)
    values /= log_base_divisor(base)
    values = values.reshape(shape[:axis] + shape[axis + 1 :])
    return float(values) if values.ndim == 0 else values


def _as_float(a, *, name):
    """Return ``a`` as a float32 or float64 array of at least one dimension."""
    try:
        a = as_float_array(a, name=name)
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if a.dtype not in (np.float32, np.float64):
        a = a.astype(np.float64)
    if a.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar.")
    return a


def _broadcast_shape(arrays):
    """Return the broadcast shape of named arrays, or raise a ValueError."""
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        shapes = " and ".join(
            f"{name} of shape {a.shape}" for name, a in arrays.items()
        )
        raise ValueError(
            f"{' and '.join(arrays)} must broadcast to a common shape; got {shapes}."
        ) from None


def _check_axis(axis, shape, *, names):
    """Return ``axis`` as a non-negative index into ``shape``."""
    if not -len(shape) <= axis < len(shape):
        raise ValueError(
            f"axis {axis} is out of bounds for {' and '.join(names)} of (broadcast) "
            f"shape {shape}."
        )
    axis %= len(shape)
    if shape[axis] == 0:
        verb, which = (
            ("has", "shape") if len(names) == 1 else ("have", "broadcast shape")
        )
        raise ValueError(
            f"{' and '.join(names)} {verb} empty probability vectors along axis "
            f"{axis} ({which} {shape})."
        )
    return axis


def _as_rows(a, shape, axis):
    """View ``a`` broadcast to ``shape`` as a 2-D array with vectors in rows.

    A copy is made only when the leading axes cannot be merged into one
    (for instance a broadcast array of three or more dimensions).
    """
    return np.moveaxis(np.broadcast_to(a, shape), axis, -1).reshape(-1, shape[axis])


class _StreamingCheck:
    """Accumulate, block by block, what validates rows of probability vectors.

    The row sums reveal nan and inf (they propagate) and unnormalised vectors;
    the running minimum, if ``check_sign``, reveals negative entries (the
    kernels reveal those of their other arguments as nan values). Each block
    is checked as it is streamed into the cache for the kernel.
    """

    def __init__(self, n_rows, n_classes, check_sign):
        self.sums = np.empty(n_rows)
        self.min = np.inf
        self.check_sign = check_sign
        # A matrix-vector product sums the rows faster than ``block.sum(1)``;
        # float64 ones make float32 input summed in float64.
        self._ones = np.ones(n_classes)

    def update(self, block, start, stop):
        # inf - inf or an overflowing sum is invalid input, reported by
        # ``passed`` (the sum is nan or inf), not a warning.
        with np.errstate(invalid="ignore", over="ignore"):
            np.dot(block, self._ones, out=self.sums[start:stop])
        if self.check_sign and block.size:
            self.min = min(self.min, np.minimum.reduce(block, axis=None))

    def passed(self, rtol=SUM_RTOL):
        return bool(np.all(np.abs(self.sums - 1.0) <= rtol)) and self.min >= 0


def _raise_for_invalid(a, shape, axis, *, name):
    """Raise the precise error for an array that failed the streaming check."""
    # Validate the array as given when broadcasting did not stretch its
    # vectors, so that counts of bad vectors refer to the user's array.
    axis_from_end = axis - len(shape)
    if a.ndim >= -axis_from_end and a.shape[axis_from_end] == shape[axis]:
        check_probability_vectors(a, name=name, axis=axis_from_end)
    else:
        check_probability_vectors(np.broadcast_to(a, shape), name=name, axis=axis)
