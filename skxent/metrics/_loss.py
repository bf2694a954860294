"""The cross-entropy of targets against predicted class probabilities."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import column_or_1d

from skxent._information import _cross_entropy_rows, _evaluate
from skxent._math import log_base_divisor, weighted_mean
from skxent._validation import check_probability_vectors, check_sample_weight

__all__ = ["cross_entropy_loss"]


@validate_params(
    {
        "y_true": ["array-like"],
        "y_proba": ["array-like"],
        "labels": ["array-like", None],
        "sample_weight": ["array-like", None],
        "base": [
            None,
            Interval(Real, 0, 1, closed="neither"),
            Interval(Real, 1, None, closed="neither"),
        ],
    },
    prefer_skip_nested_validation=True,
)
def cross_entropy_loss(y_true, y_proba, *, labels=None, sample_weight=None, base=None):
    r"""Mean cross-entropy of hard or soft targets against predicted probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_classes)
        Either hard labels (1-D, any label type scikit-learn accepts), or soft
        targets (2-D): one probability vector over the classes per row, in the
        column order of ``y_proba``.
    y_proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities, one probability vector per row, as returned
        by ``predict_proba``. Rows must sum to 1 (relative tolerance 1e-6);
        they are neither renormalised nor clipped.
    labels : array-like of shape (n_classes,), default=None
        For hard labels, the class of each column of ``y_proba``, in column
        order (for a fitted classifier, its ``classes_``). If None, the sorted
        distinct values of ``y_true``; then ``y_true`` must contain every
        class. Ignored for soft targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the samples. None gives every sample weight 1.
    base : float, default=None
        Base of the logarithm. ``None`` gives nats, ``2`` bits. Any positive
        number other than 1 is allowed.

    Returns
    -------
    loss : float
        The weighted mean over samples of :math:`H(t_i, q_i)`, ``>= 0``;
        ``+inf`` if a sample of positive weight has a true class (or a class
        of positive target probability) predicted with probability 0.

    Raises
    ------
    ValueError
        If ``y_proba`` is not 2-D or its rows are not probability vectors; if
        ``y_true`` and ``y_proba`` disagree in number of samples (or, for soft
        targets, in shape); if soft targets are not probability vectors; if
        ``labels`` has duplicates or does not match the columns of
        ``y_proba``; if ``y_true`` contains a label not in ``labels``; if
        ``sample_weight`` is negative, all zero or of the wrong length; or if
        ``base`` is not positive or equals 1.

    See Also
    --------
    skxent.cross_entropy : Cross-entropy of probability vectors.
    make_cross_entropy_scorer : The negated loss as a scorer for model
        selection.
    sklearn.metrics.log_loss : The same loss on hard labels, with clipping.

    Notes
    -----
    For targets :math:`t_i` (a one-hot vector for a hard label) and
    predictions :math:`q_i`, with weights :math:`w_i`,

    .. math::

        L = \frac{1}{\sum_i w_i} \sum_i w_i H(t_i, q_i)
          = -\frac{1}{\sum_i w_i} \sum_i w_i \sum_k t_{ik} \log q_{ik},

    which for hard labels is the negative mean log-likelihood
    :math:`-\frac{1}{\sum_i w_i} \sum_i w_i \log q_{i, y_i}`. On hard labels
    it equals :func:`sklearn.metrics.log_loss` wherever no probability is
    within machine epsilon of 0 or 1: unlike ``log_loss``, predictions are
    not clipped, so a true label predicted with probability 0 gives ``+inf``
    rather than a large finite number. Also unlike ``log_loss``, ``labels``
    gives the order of the columns of ``y_proba`` rather than a set that is
    sorted. Samples of weight 0 are left out of the mean, so an infinite loss
    on them does not count.

    References
    ----------
    .. [1] C. M. Bishop, "Pattern Recognition and Machine Learning",
       Springer, 2006, section 4.3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from skxent.metrics import cross_entropy_loss
    >>> y_proba = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]
    >>> loss = cross_entropy_loss(["a", "b", "b"], y_proba)
    >>> round(loss, 6)
    0.414932

    It is the negative mean log-probability of the true classes:

    >>> round(float(-np.mean(np.log([0.9, 0.8, 0.4]))), 6)
    0.414932

    Soft targets give the mean cross-entropy of their rows; one-hot rows
    give the same loss as the labels:

    >>> round(cross_entropy_loss([[1, 0], [0, 1], [0, 1]], y_proba), 6)
    0.414932
    >>> round(cross_entropy_loss([[0.5, 0.5], [0, 1], [0, 1]], y_proba, base=2), 6)
    1.126941
    """
    y_proba = _check_y_proba(y_proba)
    if np.ndim(y_true) == 2:
        losses = _soft_target_losses(y_true, y_proba)
    else:
        losses = _hard_label_losses(y_true, y_proba, labels)
    weights = check_sample_weight(sample_weight, y_proba)
    return weighted_mean(losses, weights) / log_base_divisor(base)


def _check_y_proba(y_proba):
    """Validate predicted probabilities: a 2-D array of probability rows."""
    if np.ndim(y_proba) != 2:
        raise ValueError(
            "y_proba must be a 2-D array of shape (n_samples, n_classes), got "
            f"shape {np.shape(y_proba)}. For a binary problem with probabilities "
            "p of the positive class, pass np.column_stack([1 - p, p])."
        )
    if np.shape(y_proba)[0] == 0:
        raise ValueError("y_proba has no samples; the mean loss is undefined.")
    return check_probability_vectors(y_proba, name="y_proba", axis=1)


def _soft_target_losses(y_true, y_proba):
    """Per-sample cross-entropy of 2-D soft targets, in nats."""
    if np.shape(y_true) != y_proba.shape:
        raise ValueError(
            f"y_true of shape {np.shape(y_true)} is read as soft targets (one "
            "probability vector per row) and must have the shape of y_proba, "
            f"{y_proba.shape}. Pass hard labels as a 1-D array."
        )
    names = {"y_true": y_true, "y_proba": y_proba}
    return _evaluate(
        _cross_entropy_rows, names, base=None, axis=1, check_sign=("y_true",)
    )


def _hard_label_losses(y_true, y_proba, labels):
    """Per-sample ``-log q_{i, y_i}`` for 1-D hard labels, in nats."""
    y_true = column_or_1d(y_true)
    if y_true.shape[0] != y_proba.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} samples but y_proba has {y_proba.shape[0]}."
        )
    labels = _check_labels(labels, y_true, n_classes=y_proba.shape[1])
    columns = _encode(y_true, labels)
    with np.errstate(divide="ignore"):
        # -log 0 = +inf for a true class predicted impossible; no clipping.
        return -np.log(y_proba[np.arange(y_proba.shape[0]), columns])


def _check_labels(labels, y_true, *, n_classes):
    """Return the class of each column of y_proba as a 1-D array."""
    if labels is None:
        labels = unique_labels(y_true)
        if labels.shape[0] != n_classes:
            raise ValueError(
                f"y_true contains {labels.shape[0]} distinct labels but y_proba "
                f"has {n_classes} columns; pass labels to give the class of each "
                "column (y_true may lack some classes)."
            )
        return labels
    labels = column_or_1d(labels)
    if labels.shape[0] != n_classes:
        raise ValueError(
            f"labels has {labels.shape[0]} entries but y_proba has {n_classes} "
            "columns; labels must give the class of each column."
        )
    if np.unique(labels).shape[0] != labels.shape[0]:
        raise ValueError(f"labels contains duplicates: {labels.tolist()}.")
    return labels


def _encode(y, labels):
    """Return the index in ``labels`` of each entry of ``y``."""
    order = np.argsort(labels, kind="stable")
    position = np.searchsorted(labels, y, sorter=order)
    position = np.minimum(position, labels.shape[0] - 1)
    columns = order[position]
    unknown = labels[columns] != y
    if np.any(unknown):
        raise ValueError(
            f"y_true contains labels not in labels: {np.unique(y[unknown]).tolist()}."
        )
    return columns
