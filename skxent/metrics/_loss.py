"""The cross-entropy of targets against predicted class probabilities."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import column_or_1d

from skxent._math import cross_entropy_from_log_proba, log_base_divisor, weighted_mean
from skxent._targets import encode_targets, is_soft
from skxent._validation import (
    as_float_array,
    check_probability_vectors,
    check_sample_weight,
)

__all__ = ["cross_entropy_loss", "mean_cross_entropy_of_log_proba"]


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
        Either hard labels (1-D or a single column, any label type
        scikit-learn accepts), or soft targets (two or more columns): one
        probability vector over the classes per row, in the column order of
        ``y_proba``. A 0/1 multilabel target is refused.
    y_proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities, one probability vector per row, as returned
        by ``predict_proba``. Rows must sum to 1 (relative tolerance 1e-6);
        they are neither renormalised nor clipped.
    labels : array-like of shape (n_classes,), default=None
        For hard labels, the class of each column of ``y_proba``, in column
        order (for a fitted classifier, its ``classes_``). If None, the sorted
        distinct values of ``y_true``; then ``y_true`` must contain every
        class. For soft targets, only its length is checked.
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
    if labels is None and not is_soft(y_true):
        labels = _labels_of(y_true, n_classes=y_proba.shape[1])
    elif labels is None:
        labels = np.arange(y_proba.shape[1])
    else:
        labels = _check_labels(labels, n_classes=y_proba.shape[1])
    with np.errstate(divide="ignore"):
        # log 0 = -inf: a true class predicted impossible costs +inf, with no
        # clipping; a class of target weight 0 costs nothing.
        log_proba = np.log(y_proba)
    loss = mean_cross_entropy_of_log_proba(
        y_true,
        log_proba,
        labels,
        sample_weight=sample_weight,
        name="y_true",
        classes_name="labels",
    )
    return loss / log_base_divisor(base)


def mean_cross_entropy_of_log_proba(
    y, log_proba, classes, *, sample_weight=None, name="y", classes_name="classes_"
):
    """Weighted mean cross-entropy of targets against log-probabilities, in nats.

    The one computation behind ``cross_entropy_loss``, the cross-entropy
    scorer and the ``score`` of skxent's classifiers, so that all three give
    the same number for the same model and data.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        Hard labels from ``classes`` or soft labels over them (see
        :func:`skxent._targets.encode_targets`).
    log_proba : ndarray of shape (n_samples, n_classes)
        Log-probabilities of the model, columns in the order of ``classes``;
        may contain ``-inf``.
    classes : ndarray of shape (n_classes,)
        The class of each column.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights; only their ratios matter.
    name, classes_name : str
        Names of ``y`` and ``classes`` in error messages.

    Returns
    -------
    loss : float
        ``sum_i w_i H(t_i, q_i) / sum_i w_i``; ``+inf`` if a row of positive
        weight puts target mass on a class of probability 0.
    """
    n_samples = log_proba.shape[0]
    if is_soft(y) and np.shape(y) != log_proba.shape:
        raise ValueError(
            f"{name} of shape {np.shape(y)} is read as soft targets (one "
            "probability vector per row) and must have the shape of the "
            f"predictions, {log_proba.shape}. Pass hard labels as a 1-D array."
        )
    if len(y) != n_samples:
        raise ValueError(
            f"{name} has {len(y)} samples but the predictions have {n_samples}."
        )
    target, _ = encode_targets(y, classes, name=name, classes_name=classes_name)
    weights = check_sample_weight(sample_weight, log_proba)
    return weighted_mean(cross_entropy_from_log_proba(target, log_proba), weights)


def _check_y_proba(y_proba):
    """Validate predicted probabilities: a 2-D array of probability rows."""
    try:
        y_proba = as_float_array(y_proba, name="y_proba")
    except ValueError as exc:  # ragged nested sequences
        raise ValueError(
            "y_proba must be a 2-D array of shape (n_samples, n_classes); its "
            f"rows have different lengths ({exc})."
        ) from None
    if y_proba.ndim != 2:
        raise ValueError(
            "y_proba must be a 2-D array of shape (n_samples, n_classes), got "
            f"shape {y_proba.shape}. For a binary problem with probabilities "
            "p of the positive class, pass np.column_stack([1 - p, p])."
        )
    if y_proba.shape[0] == 0:
        raise ValueError("y_proba has no samples; the mean loss is undefined.")
    # A row of +inf and -inf sums to nan with a RuntimeWarning before the
    # check can say "contains nan or inf"; the error is the message.
    with np.errstate(invalid="ignore", over="ignore"):
        return check_probability_vectors(y_proba, name="y_proba", axis=1)


def _labels_of(y_true, *, n_classes):
    """The sorted labels of ``y_true``, which must name every column."""
    _, labels = encode_targets(y_true, name="y_true")
    if labels.shape[0] != n_classes:
        raise ValueError(
            f"y_true contains {labels.shape[0]} distinct labels but y_proba "
            f"has {n_classes} columns; pass labels to give the class of each "
            "column (y_true may lack some classes)."
        )
    return labels


def _check_labels(labels, *, n_classes):
    """Return the class of each column of y_proba as a 1-D array."""
    labels = column_or_1d(labels)
    if labels.shape[0] != n_classes:
        raise ValueError(
            f"labels has {labels.shape[0]} entries but y_proba has {n_classes} "
            "columns; labels must give the class of each column."
        )
    return labels
