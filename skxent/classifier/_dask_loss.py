"""The classifier's objective on a Dask array, evaluated where the data live.

The objective is a weighted sum over rows, so over row blocks: each worker
evaluates the loss and gradient of its blocks at the current parameters and
the results are summed in a binary tree on the workers; only the parameters
(to the workers) and one value and gradient per block (back) travel at each
L-BFGS step. The blocks are validated, encoded and kept in the workers'
memory once (``persist``), as every iterative solver on a cluster does: the
optimiser reads them dozens of times.

Before that, two cheap passes gather what the whole data set decides and no
block can know alone: the classes, the largest weight (weights are divided by
it, as in memory) and each class's total weight (for ``class_weight=
"balanced"`` and for the normaliser of the mean).
"""

import numpy as np
from sklearn.utils import column_or_1d

from skxent import _dask
from skxent._targets import (
    class_weight_per_sample,
    encode_targets,
    is_soft,
    smooth_targets,
)
from skxent._validation import check_sample_weight
from skxent.classifier._mlp import ParameterLayout
from skxent.classifier._softmax_loss import SoftmaxCrossEntropyLoss, head_for

__all__ = ["DaskSoftmaxCrossEntropyLoss"]


def _block_labels(y_block):
    """The distinct hard labels of one block."""
    return np.unique(column_or_1d(np.asarray(y_block), warn=False))


def _block_max_weight(X_block, w_block):
    X_block = np.asarray(X_block)
    if w_block is None:
        return 1.0
    weights = check_sample_weight(w_block, X_block, allow_all_zero=True)
    return float(weights.max()) if weights.size else 0.0


def _prepared_block(X_block, y_block, w_block, classes, max_weight):
    """Validated float64 rows, their targets and their scaled weights."""
    X_block = np.asarray(X_block, dtype=np.float64)
    target, _ = encode_targets(np.asarray(y_block), classes)
    if w_block is None:
        weights = np.full(X_block.shape[0], 1.0 / max_weight)
    else:
        weights = check_sample_weight(w_block, X_block, allow_all_zero=True)
        weights = weights / max_weight
    return X_block, target, weights


def _class_totals(block):
    _, target, weights = block
    return weights @ target


def _block_loss(block, class_weight, classes, label_smoothing, weight_total, spec):
    X_block, target, weights = block
    weights = weights * class_weight_per_sample(class_weight, classes, target, weights)
    return SoftmaxCrossEntropyLoss(
        X_block,
        smooth_targets(target, label_smoothing),
        weights,
        weight_total=weight_total,
        **spec,
    )


def _block_loss_gradient(loss, theta):
    if loss.X.shape[0] == 0:
        return 0.0, np.zeros_like(theta)
    return loss.loss_gradient(theta)


def _add(first, second):
    return first[0] + second[0], first[1] + second[1]


def _tree_sum(dask, parts):
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [
            dask.delayed(_add)(*pair) if len(pair) == 2 else pair[0] for pair in pairs
        ]
    return parts[0]


class DaskSoftmaxCrossEntropyLoss:
    """:class:`SoftmaxCrossEntropyLoss` over the row blocks of a Dask array.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features)
        Training inputs.
    y : dask array or array-like of shape (n_samples,) or (n_samples, K)
        Hard labels or soft labels.
    sample_weight : dask array, array-like or None
        Non-negative weights.
    classes : array-like or None
        As for ``CrossEntropyClassifier.fit``.
    class_weight, label_smoothing :
        As for ``CrossEntropyClassifier``.
    hidden_layer_sizes, activation, alpha, fit_intercept :
        As for :class:`SoftmaxCrossEntropyLoss`; the L2 penalty is added
        once, here, not per block.

    Attributes
    ----------
    classes : ndarray
        The classes, in the order of the outputs.
    head, layout :
        As for :class:`SoftmaxCrossEntropyLoss`.
    """

    def __init__(
        self,
        X,
        y,
        sample_weight,
        classes,
        *,
        class_weight,
        label_smoothing,
        hidden_layer_sizes,
        activation,
        alpha,
        fit_intercept,
    ):
        dask, _ = _dask._import_dask()
        self._dask = dask
        x_blocks, lengths = _dask._row_blocks(X)
        y_blocks = _dask.row_aligned_blocks(y, lengths, name="y")
        w_blocks = _dask.row_aligned_blocks(
            sample_weight, lengths, name="sample_weight"
        )
        if classes is None and not is_soft(y):
            labels = dask.compute(*map(dask.delayed(_block_labels), y_blocks))
            classes = np.unique(np.concatenate(labels))
        elif classes is None:
            classes = np.arange(y.shape[1])
        classes = np.asarray(classes)
        if len(classes) < 2:
            raise ValueError(
                "The classifier needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {classes[0]!r}."
            )
        max_weight = max(
            dask.compute(
                *[
                    dask.delayed(_block_max_weight)(xb, wb)
                    for xb, wb in zip(x_blocks, w_blocks, strict=True)
                ]
            )
        )
        if not max_weight > 0:
            raise ValueError(
                "sample_weight must have a positive sum; got all-zero weights."
            )
        blocks = dask.persist(
            *[
                dask.delayed(_prepared_block)(xb, yb, wb, classes, max_weight)
                for xb, yb, wb in zip(x_blocks, y_blocks, w_blocks, strict=True)
            ]
        )
        totals = np.sum(dask.compute(*map(dask.delayed(_class_totals), blocks)), 0)
        weight_of_class = class_weight_per_sample(
            class_weight, classes, np.eye(len(classes)), totals
        )
        weight_total = float(totals @ weight_of_class)
        if not weight_total > 0:
            raise ValueError(
                "class_weight gives every sample weight zero; nothing to fit."
            )
        # "balanced" is resolved here, on the totals of the whole data set:
        # each block then applies the same class weights.
        resolved = dict(zip(classes.tolist(), weight_of_class.tolist(), strict=True))
        spec = {
            "hidden_layer_sizes": hidden_layer_sizes,
            "activation": activation,
            "alpha": 0.0,
            "fit_intercept": fit_intercept,
        }
        self._losses = dask.persist(
            *[
                dask.delayed(_block_loss)(
                    block, resolved, classes, label_smoothing, weight_total, spec
                )
                for block in blocks
            ]
        )
        self.classes = classes
        self.alpha = alpha
        self.head = head_for(len(classes))
        self.layout = ParameterLayout(
            (X.shape[1], *hidden_layer_sizes, self.head.n_outputs), fit_intercept
        )

    def loss_gradient(self, theta):
        """Objective and gradient, summed over the blocks on the workers."""
        dask = self._dask
        parts = [
            dask.delayed(_block_loss_gradient)(loss, theta) for loss in self._losses
        ]
        value, gradient = dask.compute(_tree_sum(dask, parts))[0]
        value = float(value)
        for where in self.layout.weight_slices:
            value += 0.5 * self.alpha * (theta[where] @ theta[where])
            gradient[where] += self.alpha * theta[where]
        return value, gradient

    def loss(self, theta):
        """Objective value at ``theta``."""
        return self.loss_gradient(theta)[0]
