"""From ``y`` to target distributions: the one definition of hard and soft labels.

Every supervised estimator and metric of skxent reads its targets here. A
target ``y`` becomes a matrix ``T`` of shape ``(n_samples, n_classes)`` whose
rows are probability distributions over the classes, and an array
``classes`` naming its columns:

- **hard labels**: a 1-D array (or one column, raveled with a
  ``DataConversionWarning``) of any label type scikit-learn accepts; ``T`` is
  one-hot;
- **soft labels**: a 2-D array with two or more columns whose rows are
  probability distributions (each summing to 1 within a relative ``1e-6``);
  ``T`` is that array, each row divided by its sum so that it sums to 1 to
  round-off. A 0/1 matrix whose rows do not sum to 1 is a multilabel target,
  which is refused as such.

Label smoothing and class weights are operations on ``T`` and so treat both
kinds of target alike. Weighting a soft row is linear: fitting ``T`` is
fitting every class ``k`` of row ``i`` as a hard label with weight ``T[i, k]``
(the cross-entropy is linear in its first argument), which is how a
generative classifier fits one model per class.

Examples
--------
>>> import numpy as np
>>> from skxent._targets import encode_targets, is_soft
>>> T, classes = encode_targets(np.array(["b", "a", "b"]))
>>> T
array([[0., 1.],
       [1., 0.],
       [0., 1.]])
>>> classes
array(['a', 'b'], dtype='<U1')

Soft labels keep their columns; ``classes`` names them (by default
``0, 1, ...``):

>>> soft = np.array([[0.25, 0.75], [1.0, 0.0]])
>>> is_soft(soft), is_soft(soft[:, :1])
(True, False)
>>> encode_targets(soft, classes=["cat", "dog"])[1]
array(['cat', 'dog'], dtype='<U3')
"""

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from skxent._validation import check_probability_vectors

__all__ = [
    "class_weight_per_sample",
    "encode_targets",
    "is_soft",
    "one_hot",
    "smooth_targets",
]


def is_soft(y):
    """Whether ``y`` is read as soft labels: two or more columns.

    Parameters
    ----------
    y : array-like
        A target.

    Returns
    -------
    soft : bool
        True for a 2-D ``y`` with at least two columns. A single column is
        hard labels, as it is for every scikit-learn classifier.
    """
    shape = np.shape(y)
    return len(shape) == 2 and shape[1] > 1


def one_hot(indices, n_classes):
    """One-hot rows of shape ``(len(indices), n_classes)`` for class indices."""
    target = np.zeros((len(indices), n_classes))
    target[np.arange(len(indices)), indices] = 1.0
    return target


def encode_targets(y, classes=None, *, name="y", classes_name="classes"):
    """Target distributions and the class of each column, from hard or soft ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, n_classes)
        Hard labels, or soft labels: rows of probabilities over
        ``n_classes >= 2`` classes (see the module docstring).
    classes : array-like of shape (n_classes,), default=None
        The class of each column of the result, in order, without
        duplicates: the labels of a fitted model, or names for the columns of
        soft labels. Hard labels must then all be in ``classes`` (not every
        class needs to occur). ``None`` gives the sorted distinct hard labels,
        or ``np.arange(n_classes)`` for soft labels.
    name : str, default="y"
        Name of ``y`` in error messages.
    classes_name : str, default="classes"
        Name of ``classes`` in error messages.

    Returns
    -------
    target : ndarray of shape (n_samples, n_classes)
        One probability distribution per row, float64, a new array.
    classes : ndarray of shape (n_classes,)
        The class of each column.

    Raises
    ------
    ValueError
        If hard labels are missing (None, nan, ``pd.NA``), continuous or not
        in ``classes``; if soft labels are not probability distributions
        (multilabel 0/1 targets are named as such) or do not have one column
        per class; if ``classes`` has duplicates.

    Examples
    --------
    >>> from skxent._targets import encode_targets
    >>> encode_targets([2, 0, 2], classes=[2, 0, 1])[0]
    array([[1., 0., 0.],
           [0., 1., 0.],
           [1., 0., 0.]])
    """
    if classes is not None:
        classes = _check_classes(classes, classes_name)
    if is_soft(y):
        target = _check_soft_labels(y, name)
        if classes is None:
            classes = np.arange(target.shape[1])
        elif target.shape[1] != len(classes):
            raise ValueError(
                f"{name} has soft labels over {target.shape[1]} classes but "
                f"{classes_name} has {len(classes)}: {list(classes)!r}."
            )
        return target, classes
    y = _check_hard_labels(y, name)
    if classes is None:
        classes, indices = _unique(y, name)
    else:
        indices = _label_indices(y, classes, name, classes_name)
    return one_hot(indices, len(classes)), classes


def smooth_targets(target, label_smoothing):
    """Mix every target row with the uniform distribution: ``(1 - e) t + e / K``.

    Parameters
    ----------
    target : ndarray of shape (n_samples, n_classes)
        Target distributions.
    label_smoothing : float
        ``e`` in ``[0, 1)``.

    Returns
    -------
    target : ndarray of shape (n_samples, n_classes)
        The smoothed targets (``target`` itself when ``e = 0``).
    """
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
        Weights keyed by the labels in ``classes`` (``0, 1, ...`` for soft
        labels fit without class names).
    classes : ndarray of shape (n_classes,)
        Class labels.
    target : ndarray of shape (n_samples, n_classes)
        Target distributions before label smoothing.
    sample_weight : ndarray of shape (n_samples,)
        Validated sample weights; only their ratios matter.

    Returns
    -------
    weight : ndarray of shape (n_samples,)
        Multiplier of ``sample_weight`` for each row.

    Raises
    ------
    ValueError
        If ``class_weight`` has a key that is not a class, or a value that is
        not a finite non-negative number.
    """
    if class_weight is None:
        return np.ones(target.shape[0])
    if isinstance(class_weight, str):
        # Scale-free: dividing by the largest weight first keeps the totals
        # finite for weights near the float64 maximum.
        totals = (sample_weight / sample_weight.max()) @ target
        weight_of_class = np.ones_like(totals)
        present = totals > 0
        weight_of_class[present] = totals.sum() / (len(classes) * totals[present])
    else:
        weight_of_class = _class_weight_from_dict(class_weight, classes)
    return target @ weight_of_class


def _check_classes(classes, classes_name):
    classes = column_or_1d(np.asarray(classes), warn=False)
    try:
        n_unique = len(np.unique(classes))
    except TypeError:
        raise ValueError(
            f"{classes_name} mixes label types that cannot be compared: "
            f"{classes.tolist()!r}."
        ) from None
    if n_unique != len(classes):
        raise ValueError(f"{classes_name} contains duplicates: {classes.tolist()!r}.")
    return classes


def _check_soft_labels(y, name):
    # A row of +inf and -inf sums to nan with a RuntimeWarning before the
    # check can say "contains nan or inf"; the error is the message.
    with np.errstate(invalid="ignore", over="ignore"):
        try:
            target = check_probability_vectors(y, name=f"{name} (soft labels)")
        except ValueError:
            if _is_multilabel(y):
                raise ValueError(
                    f"{name} is a multilabel target (0/1 entries, rows with "
                    "several or no ones): multilabel targets are not supported. "
                    "Soft labels are rows of probabilities summing to 1."
                ) from None
            raise
    # Rows accepted within the tolerance are made to sum to 1 to round-off:
    # the softmax cross-entropy logsumexp(z) - t.z assumes it, and with an
    # unpenalised intercept a sum of 1 + 5e-7 makes the objective unbounded.
    target = target.astype(np.float64, copy=False)
    return target / target.sum(axis=1, keepdims=True)


def _is_multilabel(y):
    y = np.asarray(y)
    return y.dtype != object and bool(np.all((y == 0) | (y == 1)))


def _check_hard_labels(y, name):
    y = column_or_1d(y, warn=True)
    # pd.isna is the one test that knows None, nan, NaT and pd.NA alike; it
    # runs before any comparison, which pd.NA would make ambiguous.
    if y.dtype.kind in "fcOUSmM" and np.any(pd.isna(y)):
        raise ValueError(
            f"{name} contains missing labels (None, nan or pd.NA); remove or "
            "impute them before fitting or scoring."
        )
    try:
        check_classification_targets(y)
    except TypeError:  # labels sklearn cannot sort, e.g. strings and ints
        raise ValueError(
            f"{name} mixes label types that cannot be compared (e.g. strings "
            "and numbers); use one type for every label."
        ) from None
    return y


def _unique(y, name):
    try:
        return np.unique(y, return_inverse=True)
    except TypeError:
        raise ValueError(
            f"{name} mixes label types that cannot be compared (e.g. strings "
            "and numbers); use one type for every label."
        ) from None


def _label_indices(y, classes, name, classes_name):
    """The column of each hard label in ``classes`` (in any order)."""
    order = np.argsort(classes, kind="stable")
    try:
        position = np.searchsorted(classes, y, sorter=order)
    except TypeError:
        unknown = y
    else:
        columns = order[np.minimum(position, len(classes) - 1)]
        unknown_mask = classes[columns] != y
        if not np.any(unknown_mask):
            return columns
        unknown = y[unknown_mask]
    raise ValueError(
        f"{name} contains labels not in {classes_name}: "
        f"{_unique(unknown, name)[0][:5].tolist()!r}; {classes_name} are "
        f"{classes.tolist()!r}."
    )


def _class_weight_from_dict(class_weight, classes):
    labels = np.asarray(classes).tolist()
    unknown = set(class_weight) - set(labels)
    if unknown:
        raise ValueError(
            f"class_weight has keys {sorted(map(repr, unknown))} that are not "
            f"classes; the classes are {labels!r}."
        )
    weight_of_class = np.ones(len(labels))
    for k, label in enumerate(labels):
        value = class_weight.get(label, 1.0)
        if isinstance(value, str | bytes | bool) or not (
            isinstance(value, int | float | np.number) and 0 <= value < np.inf
        ):
            raise ValueError(
                f"class_weight[{label!r}] must be a finite non-negative number, "
                f"got {value!r}."
            )
        weight_of_class[k] = value
    return weight_of_class
