"""From ``y`` to target distributions: hard labels, soft labels, smoothing, weights.

Every target the classifier accepts becomes a matrix ``T`` of shape
``(n_samples, n_classes)`` whose rows are probability distributions: one-hot
rows for hard labels, the given rows for soft labels. Label smoothing and class
weights are then operations on ``T``, identical for both kinds of target.
"""

import numpy as np
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from skxent._validation import check_probability_vectors

__all__ = [
    "class_weight_per_sample",
    "encode_targets",
    "one_hot",
    "smooth_targets",
]


def is_soft(y):
    """Whether validated ``y`` is a matrix of soft labels (two or more columns)."""
    return np.ndim(y) == 2 and y.shape[1] > 1


def one_hot(indices, n_classes):
    """One-hot rows of shape ``(len(indices), n_classes)`` for class indices."""
    target = np.zeros((len(indices), n_classes))
    target[np.arange(len(indices)), indices] = 1.0
    return target


def encode_targets(y, classes=None):
    """Target distributions and class labels from hard or soft ``y``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,), (n_samples, 1) or (n_samples, n_classes)
        Hard labels (a single column is raveled with a
        ``DataConversionWarning``) or soft labels whose rows are probability
        distributions over ``n_classes >= 2`` classes.
    classes : ndarray or None, default=None
        Labels of a fitted model; ``y`` must then use them. ``None`` learns the
        labels from ``y``.

    Returns
    -------
    target : ndarray of shape (n_samples, n_classes)
        One probability distribution per row.
    classes : ndarray of shape (n_classes,)
        The sorted hard labels, or ``np.arange(n_classes)`` for soft labels.

    Raises
    ------
    ValueError
        If hard labels are continuous or contain a label not in ``classes``,
        if soft labels are not probability distributions or do not have one
        column per class, or if fewer than two classes are found in fit.
    """
    if is_soft(y):
        target = check_probability_vectors(y, name="y (soft labels)").astype(
            np.float64, copy=False
        )
        if classes is None:
            classes = np.arange(target.shape[1])
        elif target.shape[1] != len(classes):
            raise ValueError(
                f"y has soft labels over {target.shape[1]} classes; the model was "
                f"fit on {len(classes)} classes."
            )
        return target, classes
    y = column_or_1d(y, warn=True)
    check_classification_targets(y)
    if classes is None:
        classes, indices = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(
                "The classifier needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {classes[0]!r}."
            )
        return one_hot(indices, len(classes)), classes
    indices = np.searchsorted(classes, y)
    unknown = (indices == len(classes)) | (classes[indices % len(classes)] != y)
    if np.any(unknown):
        raise ValueError(
            f"y contains labels not seen in fit: {np.unique(y[unknown])[:5]!r}; "
            f"the model knows {classes!r}."
        )
    return one_hot(indices, len(classes)), classes


def smooth_targets(target, label_smoothing):
    """Mix every target row with the uniform distribution: (1 - e) t + e / K."""
    if label_smoothing == 0:
        return target
    n_classes = target.shape[1]
    return (1.0 - label_smoothing) * target + label_smoothing / n_classes


def class_weight_per_sample(class_weight, classes, target, sample_weight):
    """The weight of each row implied by ``class_weight``.

    A row's weight is the class weight of its label, or for a soft label the
    expectation ``sum_k t_ik c_k`` of the class weights under its target.
    ``"balanced"`` gives class ``k`` the weight ``W / (K W_k)``, where ``W_k``
    is the (soft, sample-weighted) total of class ``k``, so every class carries
    the same total weight; classes with no weight keep weight 1 (they weigh
    nothing anyway). As in :class:`~sklearn.linear_model.LogisticRegression`,
    ``sample_weight`` enters the balanced counts.

    Parameters
    ----------
    class_weight : dict, "balanced" or None
        Weights keyed by class label (by class index for soft labels).
    classes : ndarray of shape (n_classes,)
        Class labels.
    target : ndarray of shape (n_samples, n_classes)
        Target distributions before label smoothing.
    sample_weight : ndarray of shape (n_samples,)
        Validated sample weights.

    Returns
    -------
    weight : ndarray of shape (n_samples,)
        Multiplier of ``sample_weight`` for each row.
    """
    if class_weight is None:
        return np.ones(target.shape[0])
    if isinstance(class_weight, str):
        totals = sample_weight @ target
        weight_of_class = np.ones_like(totals)
        present = totals > 0
        weight_of_class[present] = totals.sum() / (len(classes) * totals[present])
    else:
        weight_of_class = _class_weight_from_dict(class_weight, classes)
    return target @ weight_of_class


def _class_weight_from_dict(class_weight, classes):
    labels = np.asarray(classes).tolist()
    unknown = set(class_weight) - set(labels)
    if unknown:
        raise ValueError(
            f"class_weight has keys {sorted(map(repr, unknown))} that are not "
            f"classes; the classes are {list(classes)!r}."
        )
    weight_of_class = np.array(
        [float(class_weight.get(label, 1.0)) for label in labels]
    )
    if not np.all(np.isfinite(weight_of_class) & (weight_of_class >= 0)):
        raise ValueError("class_weight values must be finite and non-negative.")
    return weight_of_class
