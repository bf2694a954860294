"""A scorer that selects models by held-out cross-entropy.

The scorer is a callable ``scorer(estimator, X, y=None, sample_weight=None)``
returning the negative cross-entropy between the held-out data and the fitted
model, so that higher is better as scikit-learn's model selection expects.
Classifiers are scored through ``predict_log_proba`` when they have it, else
``predict_proba`` (hard or soft ``y``), and density estimators through
``score_samples``.
"""

from numbers import Real

import numpy as np
from sklearn import get_config
from sklearn.base import is_classifier
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.metadata_routing import UNCHANGED, MetadataRequest

from skxent._math import log_base_divisor, weighted_mean
from skxent._validation import check_sample_weight
from skxent.metrics._loss import cross_entropy_loss, mean_cross_entropy_of_log_proba

__all__ = ["make_cross_entropy_scorer", "neg_cross_entropy_scorer"]


class _CrossEntropyScorer:
    """Negative cross-entropy of held-out data under a fitted model.

    Instances are made by :func:`make_cross_entropy_scorer`;
    ``neg_cross_entropy_scorer`` is the one in nats. A scorer is called as
    ``scorer(estimator, X, y=None, sample_weight=None)`` and is meant for the
    ``scoring`` parameter of scikit-learn's model selection tools.

    Parameters
    ----------
    estimator : object
        A fitted classifier with ``predict_proba`` and ``classes_``, or a
        fitted density estimator with ``score_samples``.
    X : array-like of shape (n_samples, n_features)
        Held-out data.
    y : array-like of shape (n_samples,) or (n_samples, n_classes), \
            default=None
        Hard labels or soft targets for a classifier, with soft targets in
        the column order of ``estimator.classes_``. Ignored for a density
        estimator.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative weights of the samples.

    Returns
    -------
    score : float
        Minus the weighted mean cross-entropy, in the scorer's base: the
        weighted mean log-likelihood of the held-out data. Higher is better.

    See Also
    --------
    make_cross_entropy_scorer : Make a scorer, in any base.
    cross_entropy_loss : The loss the scorer negates, for classifiers.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn.neighbors import KernelDensity
    >>> from skxent.metrics import neg_cross_entropy_scorer
    >>> X = np.random.default_rng(0).normal(size=(200, 1))
    >>> search = GridSearchCV(
    ...     KernelDensity(),
    ...     {"bandwidth": [0.01, 0.5, 10.0]},
    ...     scoring=neg_cross_entropy_scorer,
    ... ).fit(X)
    >>> search.best_params_
    {'bandwidth': 0.5}

    For a density estimator the score is the mean log-density:

    >>> kde = search.best_estimator_
    >>> score = neg_cross_entropy_scorer(kde, X)
    >>> bool(np.isclose(score, kde.score_samples(X).mean()))
    True
    """

    def __init__(self, base=None, *, sample_weight_request=None):
        self._base = base
        self._sample_weight_request = sample_weight_request

    def __call__(self, estimator, X, y=None, sample_weight=None):
        """Score a fitted estimator by the negative cross-entropy on ``X``.

        See the class docstring for the parameters and the value returned.
        """
        if not (hasattr(estimator, "fit") and hasattr(estimator, "get_params")):
            raise TypeError(
                "The cross-entropy scorer needs a fitted scikit-learn estimator "
                f"as its first argument, got {type(estimator).__name__}."
            )
        if y is not None and _scores_as_classifier(estimator):
            return -self._classifier_loss(estimator, X, y, sample_weight)
        if not hasattr(estimator, "score_samples"):
            raise TypeError(
                f"{type(estimator).__name__} cannot be scored by cross-entropy "
                "without y: a density estimator needs score_samples (and a "
                "classifier needs y)."
            )
        log_likelihood = estimator.score_samples(X)
        weights = check_sample_weight(sample_weight, log_likelihood)
        return weighted_mean(log_likelihood, weights) / log_base_divisor(self._base)

    def _classifier_loss(self, estimator, X, y, sample_weight):
        """Held-out cross-entropy of a classifier, from log-probabilities if it can.

        ``predict_log_proba`` stays finite where ``log(predict_proba)`` is
        ``-inf`` (a confident mistake), and is what the classifier's own
        ``score`` uses: one quantity, one number.
        """
        if not hasattr(estimator, "predict_log_proba"):
            return cross_entropy_loss(
                y,
                estimator.predict_proba(X),
                labels=estimator.classes_,
                sample_weight=sample_weight,
                base=self._base,
            )
        log_proba = np.asarray(estimator.predict_log_proba(X), dtype=np.float64)
        loss = mean_cross_entropy_of_log_proba(
            y, log_proba, np.asarray(estimator.classes_), sample_weight=sample_weight
        )
        return loss / log_base_divisor(self._base)

    def __repr__(self):
        base = "" if self._base is None else f"base={self._base!r}"
        request = self._sample_weight_request
        suffix = (
            "" if request is None else f".set_score_request(sample_weight={request!r})"
        )
        return f"make_cross_entropy_scorer({base}){suffix}"

    def set_score_request(self, *, sample_weight=UNCHANGED):
        """Request metadata passed to the scorer by meta-estimators.

        Only available when metadata routing is enabled with
        ``sklearn.set_config(enable_metadata_routing=True)``.

        Parameters
        ----------
        sample_weight : bool, str or None, default=UNCHANGED
            Whether ``sample_weight`` given to a meta-estimator's ``fit``
            (such as ``GridSearchCV`` or ``cross_validate``) is routed to the
            scorer: True routes it, False does not, None (the default state)
            raises an error if it is given, and a string routes the metadata
            of that name instead.

        Returns
        -------
        scorer : object
            A new scorer with the request set; this one is left unchanged, so
            that configuring the shared ``neg_cross_entropy_scorer`` does not
            affect its other uses.

        Raises
        ------
        RuntimeError
            If metadata routing is not enabled.
        """
        if not get_config()["enable_metadata_routing"]:
            raise RuntimeError(
                "set_score_request is only available when metadata routing is "
                "enabled; use sklearn.set_config(enable_metadata_routing=True)."
            )
        if sample_weight is UNCHANGED:
            sample_weight = self._sample_weight_request
        scorer = type(self)(self._base, sample_weight_request=sample_weight)
        # Builds the request once, so that an invalid alias fails here.
        scorer.get_metadata_routing()
        return scorer

    def get_metadata_routing(self):
        """Metadata requested by the scorer, for meta-estimators.

        Returns
        -------
        routing : MetadataRequest
            The scorer's request for ``sample_weight`` in its ``score``
            method, as set by :meth:`set_score_request`.
        """
        request = MetadataRequest(owner=self)
        request.score.add_request(
            param="sample_weight", alias=self._sample_weight_request
        )
        return request

    def _routing_repr(self):
        # How scikit-learn's metadata routing names the scorer in messages.
        return repr(self)


def _scores_as_classifier(estimator):
    """Whether a labelled scorer call scores ``estimator`` as a classifier.

    Density estimators ignore ``y``, as their own ``score`` methods do, so
    that stratified splitters can be used to cross-validate them.
    """
    if is_classifier(estimator) or not hasattr(estimator, "score_samples"):
        if not (hasattr(estimator, "predict_proba") and hasattr(estimator, "classes_")):
            raise TypeError(
                f"{type(estimator).__name__} cannot be scored by cross-entropy "
                "with y: a classifier needs predict_proba and classes_ (and a "
                "density estimator needs score_samples)."
            )
        return True
    return False


@validate_params(
    {
        "base": [
            None,
            Interval(Real, 0, 1, closed="neither"),
            Interval(Real, 1, None, closed="neither"),
        ]
    },
    prefer_skip_nested_validation=True,
)
def make_cross_entropy_scorer(base=None):
    r"""Make a scorer returning the negative held-out cross-entropy.

    The scorer can be passed as ``scoring`` to ``cross_val_score``,
    ``cross_validate``, ``GridSearchCV`` and the like, which then select the
    model of least held-out cross-entropy, that is of greatest held-out
    likelihood.

    Parameters
    ----------
    base : float, default=None
        Base of the logarithm. ``None`` gives nats, ``2`` bits. Any positive
        number other than 1 is allowed.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None, sample_weight=None)`` returning a
        float, higher for better models:

        - for a classifier and labels ``y`` (hard, or soft of shape
          ``(n_samples, len(estimator.classes_))``), minus
          :func:`cross_entropy_loss` of ``y`` against
          ``estimator.predict_proba(X)``, with columns named by
          ``estimator.classes_``, so that test folds lacking a class still
          score;
        - for a density estimator (or ``y=None``), the weighted mean of
          ``estimator.score_samples(X)``, the mean log-likelihood.

        It has ``set_score_request(sample_weight=...)`` for metadata routing.

    See Also
    --------
    cross_entropy_loss : The loss the scorer negates.
    sklearn.metrics.make_scorer : Scorers from other metrics.

    Notes
    -----
    The score is

    .. math::

        -H(\hat p_{\mathrm{test}}, p_\theta)
        = \frac{1}{\sum_i w_i} \sum_i w_i \log p_\theta(y_i \mid x_i)
        \quad\text{or}\quad
        \frac{1}{\sum_i w_i} \sum_i w_i \log p_\theta(x_i),

    the weighted mean log-likelihood of the held-out data, divided by
    :math:`\log b` in base :math:`b`. Unlike ``scoring="neg_log_loss"``,
    probabilities are not clipped, so a held-out label the model deems
    impossible gives ``-inf``, and the columns of ``predict_proba`` are named
    by ``classes_`` rather than inferred from the labels of the fold.

    ``set_score_request`` returns a new scorer rather than changing the one
    it is called on (scikit-learn's scorers change themselves), so that the
    module-level :data:`neg_cross_entropy_scorer` is never modified.

    References
    ----------
    .. [1] T. Gneiting and A. E. Raftery, "Strictly Proper Scoring Rules,
       Prediction, and Estimation", Journal of the American Statistical
       Association, 102(477), 359-378, 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.metrics import log_loss
    >>> from sklearn.model_selection import cross_val_score
    >>> from skxent.metrics import make_cross_entropy_scorer
    >>> X, y = load_iris(return_X_y=True)
    >>> scorer = make_cross_entropy_scorer()
    >>> scorer
    make_cross_entropy_scorer()
    >>> clf = LogisticRegression(max_iter=1000)
    >>> scores = cross_val_score(clf, X, y, scoring=scorer, cv=3)
    >>> scores.shape
    (3,)

    On a fitted classifier the score is minus the log-loss:

    >>> clf = clf.fit(X, y)
    >>> bool(np.isclose(scorer(clf, X, y), -log_loss(y, clf.predict_proba(X))))
    True
    """
    return _CrossEntropyScorer(base)


#: Negative cross-entropy in nats: ``make_cross_entropy_scorer()``.
neg_cross_entropy_scorer = make_cross_entropy_scorer()
