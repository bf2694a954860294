"""Pure functions behind :class:`BernoulliDistribution`.

The data enter as a validated dense array or CSR/CSC matrix together with the
threshold above which a value counts as a one; the binary indicator is built
chunk by chunk (dense) or on the stored entries only (sparse), so the data are
never densified and never copied whole.
"""

import numpy as np
import scipy.sparse as sp
from scipy.special import entr, rel_entr

from skxent.distributions._counts_math import smoothed_frequencies
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "binary_rows",
    "check_binary",
    "entropy",
    "kl_divergence",
    "log_likelihood",
    "probabilities_from_statistics",
    "statistics",
]

#: Dense data are binarized this many entries at a time: large enough to
#: amortize the Python loop, small enough that the chunk and its indicator
#: stay in cache between the comparison and the product that consumes it.
CHUNK_ELEMENTS = 1 << 16


def _row_chunks(X):
    """Slices of rows of dense X holding about ``CHUNK_ELEMENTS`` entries."""
    step = max(1, CHUNK_ELEMENTS // max(X.shape[1], 1))
    return (slice(start, start + step) for start in range(0, X.shape[0], step))


def _sparse_indicator(X, threshold):
    """The 0/1 indicator ``X > threshold`` of sparse X, with X's structure.

    Requires ``threshold >= 0``, so that implicit zeros stay zeros.
    """
    if not X.has_canonical_format:
        # Duplicate entries of one cell add up; threshold their sum.
        X = X.copy()
        X.sum_duplicates()
    # Compared straight into float64: no boolean temporary to convert.
    data = np.greater(X.data, threshold, out=np.empty(X.data.shape))
    return type(X)((data, X.indices, X.indptr), shape=X.shape)


def check_binary(X):
    """Whether every entry of dense or sparse X is 0 or 1."""
    if sp.issparse(X):
        data = X.data
        return bool(np.all((data == 0) | (data == 1)))
    return all(np.all((X[rows] == 0) | (X[rows] == 1)) for rows in _row_chunks(X))


def first_non_binary(X):
    """``(row, column, value)`` of the first entry of X other than 0 and 1."""
    if sp.issparse(X):
        coo = X.tocoo()
        other = np.flatnonzero((coo.data != 0) & (coo.data != 1))
        first = other[np.lexsort((coo.col[other], coo.row[other]))[0]]
        return int(coo.row[first]), int(coo.col[first]), coo.data[first].item()
    i, j = np.argwhere((X != 0) & (X != 1))[0]
    return int(i), int(j), X[i, j].item()


def binary_rows(X):
    """Whether each row of dense or sparse X holds only zeros and ones."""
    if sp.issparse(X):
        csr = X.tocsr()
        # Count each row's stored entries other than 0 and 1, structure kept.
        other = sp.csr_matrix(
            ((csr.data != 0) & (csr.data != 1), csr.indices, csr.indptr),
            shape=csr.shape,
            dtype=np.intp,
        )
        return np.asarray(other.sum(axis=1)).ravel() == 0
    return np.all((X == 0) | (X == 1), axis=1)


def statistics(X, threshold, sample_weight):
    """Weighted counts of the ones and of the zeros of each column.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated data; sparse data require ``threshold >= 0``.
    threshold : float
        Values strictly above it are ones.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative sample sample_weight; ``None`` means unit sample_weight.

    Returns
    -------
    statistics : WeightedSums
        ``weight_sum`` and the sums ``"ones"`` (``sum_i w_i [X_ij > t]``) and
        ``"zeros"`` (the weight of the other rows).

    Notes
    -----
    For dense data both counts are sums over their own rows. For sparse data
    the weight of the zeros is ``W`` minus the weight of the ones, two sums
    of the same sample_weight in different orders: for a column of ones only, it
    may be a few ulps of ``W`` instead of zero, and the probability of a zero
    would then be positive. Whether a column has any zero among the rows of
    positive weight is therefore decided on exact integer counts, never by a
    tolerance on the sample_weight (which would be wrong for a row of weight 1
    next to one of weight 1e13).
    """
    n_samples = X.shape[0]
    if sample_weight is None:
        if sp.issparse(X):
            ones = _indicator_sums(X, threshold, np.ones((n_samples, 1)))[:, 0]
        else:
            ones = _dense_counts(X, threshold)
        return WeightedSums(float(n_samples), {"ones": ones, "zeros": n_samples - ones})
    weight_sum = float(sample_weight.sum())
    if not sp.issparse(X):
        # Dense data: the zeros are counted as directly as the ones, so a
        # light zero next to heavy ones keeps all its digits.
        ones, zeros = _dense_weighted_counts(X, threshold, sample_weight)
        return WeightedSums(weight_sum, {"ones": ones, "zeros": zeros})
    # Sparse data: counting the zeros directly would visit the implicit
    # zeros, i.e. densify; W - ones is exact but for the rounding of W
    # (relative eps W / zeros), and exactly zero for columns without zeros.
    positive = sample_weight > 0
    both = np.column_stack([sample_weight, positive.astype(np.float64)])
    ones, positive_ones = _indicator_sums(X, threshold, both).T
    zeros = np.maximum(weight_sum - ones, 0.0)
    zeros[positive_ones == positive.sum()] = 0.0
    return WeightedSums(weight_sum, {"ones": ones, "zeros": zeros})


def _indicator_sums(X, threshold, row_weights):
    """``(X > threshold).T @ row_weights``: per-column sums over the ones.

    ``row_weights`` has shape (n_samples, k); the result (n_features, k).
    """
    if sp.issparse(X):
        if X.has_canonical_format and threshold < 1 and _all_ones(X.data):
            # Already binary (a binarized bag of words, say): X is its own
            # indicator, and no array the size of the data is made.
            return np.asarray(X.T @ row_weights)
        return np.asarray(_sparse_indicator(X, threshold).T @ row_weights)
    sums = np.zeros((X.shape[1], row_weights.shape[1]))
    for rows in _row_chunks(X):
        sums += (X[rows] > threshold).T.astype(np.float64) @ row_weights[rows]
    return sums


#: Entries per chunk of the unweighted count: a float32 indicator of this
#: size stays in the L2 cache between the comparison and the product.
_COUNT_CHUNK_ELEMENTS = 1 << 14


def _all_ones(data):
    """Whether every stored value is exactly 1 (a min and a max, no copy).

    The first value decides for most data that are not binary, so that
    their fit pays no extra pass for the question.
    """
    return data.size == 0 or (data[0] == 1 and data.min() == 1 and data.max() == 1)


def _dense_counts(X, threshold):
    """Number of entries above ``threshold`` in each column of dense X.

    Each chunk is compared into one reused float32 buffer and counted by a
    matrix-vector product with ones: no allocation per chunk, and float32
    counts are exact for a chunk (far fewer than 2**24 rows); the chunks'
    counts add up in float64.
    """
    n_samples, n_features = X.shape
    step = max(1, _COUNT_CHUNK_ELEMENTS // max(n_features, 1))
    buffer = np.empty((min(step, n_samples), n_features), dtype=np.float32)
    unit = np.ones(buffer.shape[0], dtype=np.float32)
    ones = np.zeros(n_features)
    for start in range(0, n_samples, step):
        chunk = X[start : start + step]
        indicator = buffer[: chunk.shape[0]]
        np.greater(chunk, threshold, out=indicator)
        ones += unit[: chunk.shape[0]] @ indicator
    return ones


def _dense_weighted_counts(X, threshold, sample_weight):
    """Weights of the ones and of the zeros of each column, in one pass over X.

    Each chunk is compared once into a reused float64 buffer, which meets
    the weights, is turned into its complement in place (while in cache),
    and meets them again.
    """
    n_samples, n_features = X.shape
    step = max(1, CHUNK_ELEMENTS // max(n_features, 1))
    buffer = np.empty((min(step, n_samples), n_features))
    ones = np.zeros(n_features)
    zeros = np.zeros(n_features)
    for start in range(0, n_samples, step):
        chunk = X[start : start + step]
        weights = sample_weight[start : start + step]
        indicator = buffer[: chunk.shape[0]]
        np.greater(chunk, threshold, out=indicator)
        ones += weights @ indicator
        np.subtract(1.0, indicator, out=indicator)
        zeros += weights @ indicator
    return ones, zeros


def probabilities_from_statistics(statistics, alpha):
    """Smoothed probabilities of a zero and of a one, one column each.

    ``(ones + alpha) / (W + 2 alpha)`` and ``(zeros + alpha) / (W + 2 alpha)``
    are both computed from their counts: ``1 - p`` would lose every digit of
    a small probability of zero next to a large one of one.
    """
    counts = np.column_stack([statistics.sums["zeros"], statistics.sums["ones"]])
    return smoothed_frequencies(counts, alpha, statistics.log_scale)


def log_likelihood(X, threshold, probabilities, complement=None):
    """Log-likelihood of each row of binarized X under independent Bernoullis.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated data; values above ``threshold`` are ones.
    threshold : float
        The binarization threshold (``>= 0`` for sparse data).
    probabilities : ndarray of shape (n_features,)
        Probabilities of a one, in [0, 1].
    complement : ndarray of shape (n_features,), default=None
        Probabilities of a zero, when known more precisely than
        ``1 - probabilities``.

    Returns
    -------
    log_likelihood : ndarray of shape (n_samples,)
        ``sum_j x_j log p_j + (1 - x_j) log(1 - p_j)``; ``-inf`` exactly for
        the rows with a one where ``p_j = 0`` or a zero where ``p_j = 1``.

    Notes
    -----
    With :math:`\\ell_j = \\log p_j - \\log(1 - p_j)` the row log-likelihood
    is :math:`x \\cdot \\ell + \\sum_j \\log(1 - p_j)`, one product with the
    (sparse) data. Columns with :math:`p_j \\in \\{0, 1\\}` would put
    :math:`\\pm\\infty` in that product and nan in the sum, so they enter it
    with finite weights that count their impossible values instead: the
    second column of ``weights`` counts ones where :math:`p_j = 0`, the third
    counts ones where :math:`p_j = 1` (a row is impossible when it has fewer
    of them than there are such columns).
    """
    certain = probabilities == 1.0
    uncertain = (probabilities > 0.0) & ~certain
    p = probabilities[uncertain]
    if complement is None:
        log1m_p = np.log1p(-p)
    else:
        log1m_p = np.log(complement[uncertain])
    weights = np.zeros((probabilities.size, 3))
    weights[uncertain, 0] = np.log(p) - log1m_p
    weights[probabilities == 0.0, 1] = 1.0
    weights[certain, 2] = 1.0
    counts = _indicator_product(X, threshold, weights)
    log_likelihood = counts[:, 0] + log1m_p.sum()
    impossible = (counts[:, 1] > 0) | (counts[:, 2] < certain.sum())
    log_likelihood[impossible] = -np.inf
    return log_likelihood


def _indicator_product(X, threshold, weights):
    """``(X > threshold) @ weights`` without materializing the indicator whole."""
    if sp.issparse(X):
        return np.asarray(_sparse_indicator(X, threshold) @ weights)
    product = np.empty((X.shape[0], weights.shape[1]))
    for rows in _row_chunks(X):
        product[rows] = (X[rows] > threshold).astype(np.float64) @ weights
    return product


def entropy(probabilities):
    """Entropy of independent Bernoullis, in nats."""
    return float(entr(probabilities).sum() + entr(1.0 - probabilities).sum())


def kl_divergence(p, q):
    """``D(p || q)`` of independent Bernoullis, ``+inf`` if q misses p's support."""
    return float(rel_entr(p, q).sum() + rel_entr(1.0 - p, 1.0 - q).sum())
