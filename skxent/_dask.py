"""Fitting and scoring on Dask collections, through sufficient statistics.

Sufficient statistics are a map-reduce: each block's statistics are computed
where the block lives and merged pairwise on the workers, so only the
statistics travel and a worker holds one block at a time. The merged
statistics are the same object an in-memory ``fit`` builds, so the fitted
parameters equal the in-memory ones to rounding.

dask is optional (``pip install skxent[dask]``): nothing here imports it
until a Dask collection is actually passed in.
"""

import copy

import numpy as np
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

__all__ = [
    "dask_score",
    "dask_score_samples",
    "dask_statistics",
    "is_dask_collection",
    "map_rows",
    "row_aligned",
    "row_aligned_blocks",
    "tree_reduce",
]


def is_dask_collection(X):
    """Whether ``X`` is a Dask array or DataFrame (without importing dask)."""
    return type(X).__module__.startswith("dask.") and hasattr(X, "__dask_graph__")


def _import_dask():
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - dask is in the test extra
        raise ImportError(
            "Fitting on Dask collections needs dask: pip install 'skxent[dask]'."
        ) from exc
    return dask, da


def _is_dataframe(X):
    return hasattr(X, "npartitions") and hasattr(X, "columns")


def _row_blocks(X):
    """Delayed row blocks of ``X`` (each with every column) and their lengths."""
    _import_dask()
    if _is_dataframe(X):
        blocks = list(X.to_delayed())
        lengths = X.map_partitions(len).compute()
        return blocks, [int(n) for n in lengths]
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2D dask array, got {X.ndim} dimension(s); reshape it "
            "to (n_samples, n_features)."
        )
    if any(np.isnan(n) for n in X.chunks[0]):
        # Unknown chunk sizes (after boolean indexing, say) are computed on
        # the workers: only the sizes travel.
        X = X.compute_chunk_sizes()
    if len(X.chunks[1]) > 1:
        # A block must hold whole rows for its statistics.
        X = X.rechunk({1: -1})
    return list(X.to_delayed()[:, 0]), [int(n) for n in X.chunks[0]]


def row_aligned(values, lengths, *, name):
    """``values`` (weights, labels) as a dask array chunked as X's rows.

    ``values`` may be a Dask array or Series of any chunking, or an in-memory
    array; None stays None. Rechunking moves only these values between
    workers, never X.
    """
    if values is None:
        return None
    _, da = _import_dask()
    n_samples = sum(lengths)
    if is_dask_collection(values):
        if hasattr(values, "to_dask_array"):
            values = values.to_dask_array(lengths=True)
        if any(np.isnan(n) for n in values.chunks[0]):
            values = values.compute_chunk_sizes()
    else:
        values = da.from_array(np.asarray(values))
    if values.ndim not in (1, 2) or values.shape[0] != n_samples:
        raise ValueError(
            f"{name} has shape {values.shape}; expected {n_samples} rows to match "
            "the rows of X."
        )
    chunks = (tuple(lengths),) + ((-1,) if values.ndim == 2 else ())
    return values.rechunk(chunks)


def row_aligned_blocks(values, lengths, *, name):
    """``values`` cut into delayed blocks of ``lengths`` rows (None per block)."""
    if values is None:
        return [None] * len(lengths)
    values = row_aligned(values, lengths, name=name)
    blocks = values.to_delayed()
    return list(blocks if values.ndim == 1 else blocks[:, 0])


def _weight_blocks(sample_weight, lengths):
    """The weights cut into blocks of ``lengths`` rows (None stays None)."""
    if sample_weight is not None and np.ndim(sample_weight) != 1:
        raise ValueError(
            f"sample_weight has shape {np.shape(sample_weight)}; expected "
            f"({sum(lengths)},) to match the rows of X."
        )
    return row_aligned_blocks(sample_weight, lengths, name="sample_weight")


def _template(estimator, X, *, first):
    """A shallow copy that validates blocks against X's feature metadata."""
    template = copy.copy(estimator)
    if first:
        for name in ("n_features_in_", "feature_names_in_"):
            vars(template).pop(name, None)
        template.n_features_in_ = len(X.columns) if _is_dataframe(X) else X.shape[1]
        if _is_dataframe(X) and all(isinstance(c, str) for c in X.columns):
            template.feature_names_in_ = np.asarray(list(X.columns), dtype=object)
    return template


def _block_statistics(template, block, weights):
    """Statistics of one block, None if its weights are all zero."""
    X = template._validate_X(block, reset=False)
    if weights is not None:
        if _all_zero(weights):
            return None
        weights = _check_sample_weight(weights, X, ensure_non_negative=True)
    return template._batch_statistics(X, weights)


def _all_zero(weights):
    """Whether a block's weights are all zero: a block that does not count.

    A whole collection of zero weights is refused after the merge; one block
    of them is as legitimate as rows of weight zero in memory.
    """
    weights = np.asarray(weights)
    return weights.dtype.kind in "biuf" and not np.any(weights)


def _merge_pair(first, second):
    if first is None:
        return second
    if second is None:
        return first
    return first.merge(second)


def dask_statistics(estimator, X, sample_weight, *, first):
    """Sufficient statistics of a Dask collection, computed on the workers.

    Parameters
    ----------
    estimator : MLEDistribution
        The estimator being fit (not modified).
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows to fit; any chunking along the rows.
    sample_weight : array-like, dask array or None
        Weights of the rows.
    first : bool
        Whether this is a fresh fit (feature metadata taken from ``X``) or a
        ``partial_fit`` after others (checked against the fitted metadata).

    Returns
    -------
    statistics : Statistics
        The merged statistics of every block.
    metadata : dict
        ``n_features_in_`` and, for DataFrames of named columns,
        ``feature_names_in_``, to set on the estimator.
    """
    dask, _ = _import_dask()
    blocks, lengths = _row_blocks(X)
    template = _template(estimator, X, first=first)
    parts = [
        dask.delayed(_block_statistics)(template, block, weights)
        for block, weights in zip(
            blocks, _weight_blocks(sample_weight, lengths), strict=True
        )
    ]
    # A binary tree of merges: depth log2(blocks), each on a worker.
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [
            dask.delayed(_merge_pair)(*pair) if len(pair) == 2 else pair[0]
            for pair in pairs
        ]
    (statistics,) = dask.compute(parts[0])
    if statistics is None:
        raise ValueError(
            "sample_weight must have a positive sum; got all-zero weights, "
            "which define no empirical distribution."
        )
    metadata = {
        name: getattr(template, name)
        for name in ("n_features_in_", "feature_names_in_")
        if hasattr(template, name)
    }
    return statistics, metadata


def _score_block(estimator, block):
    return estimator.score_samples(block)


def dask_score_samples(estimator, X):
    """Lazy per-row log-likelihood of a Dask collection, as a dask array."""
    dask, da = _import_dask()
    blocks, lengths = _row_blocks(X)
    pieces = [
        da.from_delayed(
            dask.delayed(_score_block)(estimator, block), shape=(n,), dtype=float
        )
        for block, n in zip(blocks, lengths, strict=True)
    ]
    return da.concatenate(pieces)


def map_rows(function, X, shape, dtype=float):
    """Lazy ``function`` of each row block of ``X``: a dask array.

    ``function`` maps a block of rows to an array of shape
    ``(rows, *shape)`` (a prediction per row); the blocks are computed on the
    workers when the result is.
    """
    dask, da = _import_dask()
    check_is_fitted(function.__self__)
    blocks, lengths = _row_blocks(X)
    pieces = [
        da.from_delayed(dask.delayed(function)(block), shape=(n, *shape), dtype=dtype)
        for block, n in zip(blocks, lengths, strict=True)
    ]
    return da.concatenate(pieces)


def _block_score_sums(estimator, block, weights):
    """``(sum_i w_i log p(x_i), sum_i w_i)`` over the rows of positive weight."""
    log_likelihood = estimator.score_samples(block)
    if weights is None:
        return float(log_likelihood.sum()), float(log_likelihood.size)
    if _all_zero(weights):
        return 0.0, 0.0
    weights = _check_sample_weight(weights, log_likelihood, ensure_non_negative=True)
    # Rows of weight zero are left out, not multiplied: 0 * -inf is nan.
    counted = weights > 0
    total = float(weights[counted] @ log_likelihood[counted]) if counted.any() else 0.0
    return total, float(weights.sum())


def dask_score(estimator, X, sample_weight):
    """Weighted mean log-likelihood of a Dask collection, as a float."""
    dask, _ = _import_dask()
    blocks, lengths = _row_blocks(X)
    sums = [
        dask.delayed(_block_score_sums)(estimator, block, weights)
        for block, weights in zip(
            blocks, _weight_blocks(sample_weight, lengths), strict=True
        )
    ]
    (sums,) = dask.compute(sums)
    numerator = sum(total for total, _ in sums)
    denominator = sum(weight for _, weight in sums)
    if not denominator > 0:
        raise ValueError("sample_weight must have a positive sum.")
    return float(numerator / denominator)


def tree_reduce(parts, combine):
    """``parts`` (delayed values) combined pairwise in a binary tree of tasks.

    The tree has depth ``log2(len(parts))`` and every ``combine`` runs on a
    worker, so no single task receives more than two partial results.
    Returns one delayed value (``parts`` must not be empty).
    """
    dask, _ = _import_dask()
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [
            dask.delayed(combine)(*pair) if len(pair) == 2 else pair[0]
            for pair in pairs
        ]
    return parts[0]
