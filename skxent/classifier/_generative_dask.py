"""GenerativeClassifier on Dask collections: every class's statistics per block.

Fitting a generative classifier is fitting one density per class to the rows
weighted by ``sample_weight * t_ik``, and for a family fit from sufficient
statistics that is a map-reduce: each block computes, where it lives, its
weighted statistics for every class at once (one pass over the data for all
the classes), and the statistics are merged in a binary tree on the workers.
Only the classes (one pass over ``y``), per-block statistics and class totals
travel; the fitted densities equal the in-memory fit to rounding.
"""

import numpy as np
import scipy.sparse as sp

from skxent import _dask
from skxent._composite import statistics_of
from skxent._targets import encode_targets, is_soft
from skxent._validation import check_sample_weight
from skxent.classifier._dask_loss import _block_labels

__all__ = ["dask_class_statistics"]


def _block_class_statistics(validator, X_block, y_block, w_block, classes):
    """``(class totals, [statistics or None per class])`` of one block."""
    X = validator._validate_X(X_block, reset=False)
    target, _ = encode_targets(np.asarray(y_block), classes)
    if w_block is None:
        class_weight = target.T
    else:
        weights = check_sample_weight(w_block, X, allow_all_zero=True)
        class_weight = target.T * weights
    # Rows of other classes are left out where the validated rows can be
    # indexed; otherwise (columns of labels) they enter with weight zero.
    indexable = isinstance(X, np.ndarray) or sp.issparse(X)
    statistics = []
    for weights in class_weight:
        if not weights.any():
            statistics.append(None)
        elif indexable:
            rows = np.flatnonzero(weights > 0)
            statistics.append(statistics_of(validator, X[rows], weights[rows]))
        else:
            statistics.append(statistics_of(validator, X, weights))
    return class_weight.sum(axis=1), statistics


def _merge(first, second):
    statistics = [
        b if a is None else a if b is None else a.merge(b)
        for a, b in zip(first[1], second[1], strict=True)
    ]
    return first[0] + second[0], statistics


def dask_class_statistics(template, X, y, sample_weight, classes, *, first):
    """The classes, their totals and their statistics, computed on the workers.

    Parameters
    ----------
    template : MLEDistribution
        The configured, unfitted density of one class (not modified).
    X : dask.array.Array or dask.dataframe.DataFrame
        Rows, any chunking along them.
    y : dask or in-memory array of shape (n_samples,) or (n_samples, n_classes)
        Hard or soft labels, cut into the blocks of ``X`` on the workers.
    sample_weight : dask or in-memory array of shape (n_samples,) or None
        Row weights.
    classes : array-like or None
        The classes, or None to take the sorted labels (one pass over ``y``)
        or the columns of soft labels.
    first : bool
        Whether the feature metadata come from ``X`` (a fit) or are the
        template's (a later ``partial_fit``).

    Returns
    -------
    classes : ndarray of shape (n_classes,)
    totals : ndarray of shape (n_classes,)
        ``sum_i w_i t_ik`` per class.
    statistics : list of Statistics or None
        Each class's statistics, None for a class without weight.
    validator : MLEDistribution
        A copy of ``template`` with the feature metadata of ``X``.
    """
    dask, _ = _dask._import_dask()
    x_blocks, lengths = _dask._row_blocks(X)
    y_blocks = _dask.row_aligned_blocks(y, lengths, name="y")
    w_blocks = _dask.row_aligned_blocks(sample_weight, lengths, name="sample_weight")
    if classes is None and not is_soft(y):
        labels = dask.compute(*map(dask.delayed(_block_labels), y_blocks))
        classes = np.unique(np.concatenate(labels))
    elif classes is None:
        classes = np.arange(y.shape[1])
    classes = np.asarray(classes)
    validator = _dask._template(template, X, first=first)
    parts = [
        dask.delayed(_block_class_statistics)(validator, xb, yb, wb, classes)
        for xb, yb, wb in zip(x_blocks, y_blocks, w_blocks, strict=True)
    ]
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [
            dask.delayed(_merge)(*pair) if len(pair) == 2 else pair[0] for pair in pairs
        ]
    ((totals, statistics),) = dask.compute(parts[0])
    if not totals.sum() > 0:
        raise ValueError(
            "sample_weight must have a positive sum; got all-zero weights, "
            "which define no empirical distribution."
        )
    return classes, totals, statistics, validator
