"""GenerativeClassifier: Bayes' rule over one fitted density per class."""

import copy
import dataclasses
import functools

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils import assert_all_finite
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import _num_samples, check_array, check_is_fitted

from skxent import _dask
from skxent._atomic import restored_on_error
from skxent._bayes import log_posterior
from skxent._blas import scipy_blas_single_threaded
from skxent._composite import (
    check_density,
    delegate_input_tags,
    fitted_from,
    statistics_of,
    take_rows,
    validate_through,
)
from skxent._targets import encode_targets, is_soft
from skxent._validation import check_probability_vectors, check_sample_weight
from skxent.classifier._generative_dask import dask_class_statistics
from skxent.classifier._scoring import CrossEntropyScoreMixin
from skxent.distributions._base import MLEDistribution, _BaseDensity
from skxent.distributions._categorical import CategoricalDistribution
from skxent.distributions._gaussian import GaussianDistribution

__all__ = ["GenerativeClassifier"]


def _distribution_has_partial_fit(classifier):
    """available_if check of partial_fit."""
    distribution = classifier._distribution()
    if not hasattr(distribution, "partial_fit"):
        raise TypeError(
            "partial_fit updates each class's density with its partial_fit, "
            f"and {type(distribution).__name__} has none; use fit."
        )
    return True


class GenerativeClassifier(CrossEntropyScoreMixin, ClassifierMixin, BaseEstimator):
    """Classifier by Bayes' rule over one fitted density per class.

    The model is the joint distribution :math:`p(x, y = k) = \\pi_k p_k(x)`:
    a prior over the classes and, for each class, a fitted clone of
    ``distribution``. Maximum likelihood of the joint separates into the
    class frequencies and one weighted maximum likelihood fit per class, and
    classification is Bayes' rule,
    :math:`p(y = k \\mid x) \\propto \\pi_k p_k(x)`, computed in log space.
    Any skxent density can model the classes: a family (naive Bayes when its
    columns are independent, quadratic discriminant analysis for a full
    Gaussian), a :class:`~skxent.ProductDistribution` of families (naive
    Bayes for tables of mixed types) or a
    :class:`~skxent.MixtureDistribution` (mixture discriminant analysis).

    Parameters
    ----------
    distribution : skxent density estimator, default=None
        The (unfitted) model of one class, cloned for each; ``None`` means
        ``GaussianDistribution()``.
    priors : array-like of shape (n_classes,), default=None
        Prior probabilities of the classes, in the order of ``classes_``,
        summing to one. ``None``: the (weighted, soft) class frequencies of
        the training data.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (column indices for soft labels fit without
        ``classes``).
    class_prior_ : ndarray of shape (n_classes,)
        Prior of each class: ``priors``, or ``class_count_`` divided by its
        sum.
    class_count_ : ndarray of shape (n_classes,)
        Weight of each class in the training data, ``sum_i w_i t_ik``
        (soft labels count fractionally).
    distributions_ : list of estimators
        The density of each class, fitted clones of ``distribution`` in the
        order of ``classes_``; unfitted for a class with no training weight.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit. Defined only when ``X`` has feature
        names that are all strings.

    See Also
    --------
    CrossEntropyClassifier : The discriminative counterpart, fit to
        :math:`p(y \\mid x)` directly.
    sklearn.naive_bayes.GaussianNB : The Gaussian naive Bayes classifier.
    sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis : One full
        Gaussian per class.
    MixtureDistribution : A class density for mixture discriminant analysis.

    Notes
    -----
    With targets :math:`t_{ik}` (one-hot for hard labels) and weights
    :math:`w_i`, the log-likelihood of the joint model is

    .. math::

        \\sum_i w_i \\sum_k t_{ik} \\log \\pi_k
        + \\sum_k \\sum_i w_i t_{ik} \\log p_k(x_i),

    maximized by :math:`\\pi_k \\propto \\sum_i w_i t_{ik}` and by fitting
    each :math:`p_k` to the rows weighted by :math:`w_i t_{ik}`: minimizing
    the cross-entropy between the data and the joint model. Hard labels,
    soft labels and ``sample_weight`` thus go through one path; rows of
    weight zero for a class are left out of its fit. ``score`` is minus the
    mean cross-entropy of the conditional model, as for
    :class:`CrossEntropyClassifier`. A class without training weight is
    never predicted; a row that every class density gives probability zero
    gets ``class_prior_`` as its probabilities.

    Configured alike, the model is scikit-learn's naive Bayes and
    discriminant analysis (the same ``predict_proba`` to float precision):

    - ``GaussianNB(var_smoothing=v)``: ``GaussianDistribution`` with
      ``covariance_type="diag"`` and ``reg_covar=v * X.var(axis=0).max()``
      (GaussianNB adds ``v`` times the largest variance of the training data
      to every class's variances);
    - ``QuadraticDiscriminantAnalysis()``: ``GaussianDistribution(reg_covar=0)``
      (QDA divides each class's scatter by its size since scikit-learn 1.9,
      by the size minus one before, which with ``m`` rows per class is
      ``reg_param=1/m`` against ``reg_covar=1/m``);
    - ``BernoulliNB(alpha=a, binarize=b)``:
      ``BernoulliDistribution(alpha=a, binarize=b)``;
    - ``MultinomialNB(alpha=a)``: ``MultinomialDistribution(alpha=a)`` (the
      multinomial coefficient is the same for every class and cancels);
    - ``CategoricalNB(alpha=a)``: ``CategoricalDistribution(alpha=a)``.
      CategoricalNB smooths every class over the codes ``0, ..., max`` of
      each column; here every class gets the categories seen in any class
      (its own unseen ones with count zero), or the declared ``categories``,
      which are the same when every code occurs. A value seen in no class
      raises the family's unknown-category error, where CategoricalNB
      raises an IndexError. (A categorical part of a ProductDistribution
      knows only its own class's values: declare its ``categories``.)

    On a Dask array or DataFrame (with an :class:`~skxent.MLEDistribution`
    family), ``fit`` and ``partial_fit`` compute every class's sufficient
    statistics block by block on the workers, in one pass over the data for
    all the classes, and the predictions are lazy Dask arrays.

    ``partial_fit`` calls each class density's ``partial_fit`` on the
    batch's rows of that class, so it is exactly batch-invariant when the
    density's is (every :class:`~skxent.MLEDistribution`). Generative and
    discriminative classifiers of the same family of conditionals (naive
    Bayes and logistic regression) trade bias for variance: the generative
    one reaches its asymptotic error with fewer rows [2]_.

    References
    ----------
    .. [1] T. Hastie and R. Tibshirani, "Discriminant analysis by Gaussian
       mixtures", Journal of the Royal Statistical Society B 58(1), 1996.
    .. [2] A. Y. Ng and M. I. Jordan, "On discriminative vs. generative
       classifiers: a comparison of logistic regression and naive Bayes",
       Advances in Neural Information Processing Systems 14, 2002.

    Examples
    --------
    Gaussian naive Bayes, as scikit-learn's:

    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skxent import GaussianDistribution, GenerativeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> smoothing = 1e-9 * X.var(axis=0).max()
    >>> diagonal = GaussianDistribution(covariance_type="diag", reg_covar=smoothing)
    >>> model = GenerativeClassifier(diagonal).fit(X, y)
    >>> reference = GaussianNB(var_smoothing=1e-9).fit(X, y)
    >>> bool(np.allclose(model.predict_proba(X), reference.predict_proba(X)))
    True

    ``score`` is minus the cross-entropy (``log_loss``) of the labels:

    >>> from sklearn.metrics import log_loss
    >>> bool(np.isclose(model.score(X, y), -log_loss(y, model.predict_proba(X))))
    True

    Soft labels weight each row's contribution to every class:

    >>> soft = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.3, 0.7]])
    >>> points = np.array([[0.0], [0.5], [3.0], [2.5]])
    >>> soft_model = GenerativeClassifier().fit(points, soft, classes=["a", "b"])
    >>> soft_model.class_prior_
    array([0.525, 0.475])
    >>> soft_model.predict([[0.2], [2.8]])
    array(['a', 'b'], dtype='<U1')
    """

    _parameter_constraints: dict = {
        "distribution": [HasMethods(["fit", "score_samples"]), None],
        "priors": ["array-like", None],
    }

    def __init__(self, distribution=None, *, priors=None):
        self.distribution = distribution
        self.priors = priors

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        distribution = self._distribution()
        if isinstance(distribution, _BaseDensity):
            delegate_input_tags(tags, distribution)
        return tags

    def _distribution(self):
        if self.distribution is None:
            return GaussianDistribution()
        return self.distribution

    # -- fitting ----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, *, classes=None):
        """Fit one density per class, each to its (weighted) rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, in any form the distribution accepts.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels, or soft labels: rows of probabilities over
            ``n_classes >= 2`` classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; integer weights equal repeated rows.
        classes : array-like of shape (n_classes,), default=None
            The classes, in order, as ``classes_`` will hold them: names of
            the columns of soft labels, or for hard labels every class,
            including any absent from ``y`` (which then has prior zero
            unless ``priors`` says otherwise, and no density). ``None``: the
            sorted labels of ``y``, or column indices for soft labels.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        with restored_on_error(self), scipy_blas_single_threaded():
            template = check_density(self._distribution(), name="distribution")
            self._fit_batch(X, y, sample_weight, classes, template, first=True)
        return self

    @available_if(_distribution_has_partial_fit)
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Update each class's density with one more batch.

        Exact when the distribution's ``partial_fit`` is (every family fit
        from sufficient statistics): any split of the data into batches then
        gives the model of one ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            A batch of training data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels or soft labels of the batch.
        classes : array-like of shape (n_classes,), default=None
            Every class, required on the first call for hard labels (a batch
            need not contain them all); later calls may omit it or must
            repeat it.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the batch's rows.

        Returns
        -------
        self : object
            The updated classifier.
        """
        with restored_on_error(self), scipy_blas_single_threaded():
            first = not hasattr(self, "classes_")
            if first:
                template = check_density(self._distribution(), name="distribution")
                if classes is None and not is_soft(y):
                    raise ValueError(
                        "classes must be passed on the first call to partial_fit."
                    )
            else:
                template = self._template_
                if classes is not None and not np.array_equal(
                    np.asarray(classes), self.classes_
                ):
                    raise ValueError(
                        f"classes={classes!r} differs from classes_="
                        f"{self.classes_!r} of the first call to partial_fit."
                    )
                classes = self.classes_
            self._fit_batch(X, y, sample_weight, classes, template, first=first)
        return self

    def _fit_batch(self, X, y, sample_weight, classes, template, *, first):
        """Fit (``first``) or update every class's density with one batch."""
        if _dask.is_dask_collection(X):
            self._fit_dask(X, y, sample_weight, classes, template, first=first)
            return
        X_valid, validator = validate_through(self, template, X, reset=first)
        target, classes = self._targets(y, classes, X_valid)
        class_weight = self._class_weights(target, sample_weight, X_valid)
        if first:
            counts = np.zeros(len(classes))
            distributions = [copy.copy(template) for _ in classes]
        else:
            counts, distributions = self.class_count_, self.distributions_
        self._update(X, X_valid, validator, class_weight, counts, distributions)
        self.classes_ = classes
        self._template_ = template

    def _fit_dask(self, X, y, sample_weight, classes, template, *, first):
        """Fit or update from every class's statistics, computed on the workers."""
        if not isinstance(template, MLEDistribution):
            raise TypeError(
                "GenerativeClassifier fits Dask collections from the sufficient "
                "statistics of each class, and "
                f"{type(template).__name__} is not fit from sufficient statistics "
                "(not an MLEDistribution); compute the data or use a family."
            )
        classes, totals, statistics, validator = dask_class_statistics(
            template, X, y, sample_weight, classes, first=first
        )
        if first:
            counts = np.zeros(len(classes))
            updated = [copy.copy(template) for _ in classes]
        else:
            counts, updated = self.class_count_, list(self.distributions_)
        for k, batch in enumerate(statistics):
            if batch is not None:
                if counts[k] > 0:
                    batch = updated[k]._statistics.merge(batch)
                updated[k] = fitted_from(validator, batch)
        if first:
            vars(self).pop("feature_names_in_", None)
            for name in ("n_features_in_", "feature_names_in_"):
                if hasattr(validator, name):
                    setattr(self, name, getattr(validator, name))
        self.class_count_ = counts + totals
        self.distributions_ = _share_categories(updated, self.class_count_ > 0)
        self.class_prior_ = self._class_prior(self.class_count_)
        self.classes_ = classes
        self._template_ = template

    def _targets(self, y, classes, X_valid):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target "
                "y is None."
            )
        # Missing labels pass this check to get encode_targets' message.
        y = check_array(
            y, ensure_2d=False, dtype=None, ensure_all_finite=False, input_name="y"
        )
        if y.dtype.kind == "f" and not is_soft(y):
            assert_all_finite(y, input_name="y")
        target, classes = encode_targets(y, classes)
        n_samples = _num_samples(X_valid)
        if target.shape[0] != n_samples:
            raise ValueError(f"y has {target.shape[0]} samples but X has {n_samples}.")
        return target, classes

    @staticmethod
    def _class_weights(target, sample_weight, X_valid):
        """Each row's weight in each class's fit: ``w_i t_ik``, shape (K, n)."""
        if sample_weight is None:
            return target.T.copy()
        sample_weight = check_sample_weight(sample_weight, X_valid)
        return target.T * sample_weight

    def _update(self, X, X_valid, validator, class_weight, counts, distributions):
        """Fit or update the density of every class with weight in the batch.

        A class seen in earlier batches (positive ``counts``) is updated, the
        others are fit. Each class's density sees only its own rows: rows of
        weight zero change no fit, and leaving them out makes fitting every
        class cost one pass over the data.
        """
        # A family fit from statistics on an array is fit from the rows
        # validated once, as the mixture's M-step does; anything else
        # through its own fit (which validates its rows again).
        from_statistics = isinstance(validator, MLEDistribution) and (
            isinstance(X_valid, np.ndarray) or sp.issparse(X_valid)
        )
        updated = list(distributions)
        for k, weights in enumerate(class_weight):
            rows = np.flatnonzero(weights > 0)
            if rows.size == 0:
                continue
            weights = weights[rows]
            weights = None if np.all(weights == 1.0) else weights
            seen = counts[k] > 0
            if from_statistics:
                statistics = statistics_of(validator, X_valid[rows], weights)
                if seen:
                    statistics = updated[k]._statistics.merge(statistics)
                updated[k] = fitted_from(validator, statistics)
            else:
                # A copy, so that a failure leaves the fitted density as it was.
                density = copy.deepcopy(updated[k])
                fit = density.partial_fit if seen else density.fit
                fit(take_rows(X, X_valid, rows), sample_weight=weights)
                updated[k] = density
        self.class_count_ = counts + class_weight.sum(axis=1)
        self.distributions_ = _share_categories(updated, self.class_count_ > 0)
        self.class_prior_ = self._class_prior(self.class_count_)

    def _class_prior(self, counts):
        if self.priors is None:
            return counts / counts.sum()
        priors = check_probability_vectors(self.priors, name="priors")
        if priors.shape != counts.shape:
            raise ValueError(
                f"priors has shape {priors.shape}; expected one prior per class, "
                f"({counts.shape[0]},)."
            )
        return priors.astype(np.float64)

    # -- prediction -------------------------------------------------------------

    def predict_joint_log_proba(self, X):
        """Log of the joint probability (or density) of each row and class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        joint_log_proba : ndarray of shape (n_samples, n_classes)
            ``log p(y = k) + log p(x_i | y = k)``: ``-inf`` for a class
            without training data or of prior zero.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict_joint_log_proba, X, self.classes_.shape)
        log_prior, log_likelihood = self._log_prior_and_likelihood(X)
        return (log_likelihood + log_prior[:, np.newaxis]).T

    def predict_log_proba(self, X):
        """Log-probability of each class, by Bayes' rule in log space.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log p(classes_[k] | x_i)``, finite wherever the joint is. A row
            that every class density gives probability zero gets the log of
            ``class_prior_``.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict_log_proba, X, self.classes_.shape)
        return log_posterior(*self._log_prior_and_likelihood(X))[0].T

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``exp(predict_log_proba(X))``; rows sum to one.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict, X, (), dtype=self.classes_.dtype)
        best = self.predict_log_proba(X).argmax(axis=1)
        return self.classes_[best]

    def _log_prior_and_likelihood(self, X):
        check_is_fitted(self)
        X, _ = validate_through(self, self._template_, X, reset=False)
        # One row per class: the layout of skxent._bayes.
        log_likelihood = np.full((len(self.classes_), _num_samples(X)), -np.inf)
        # numpy's BLAS and scipy's (the Gaussian's triangular solves) are two
        # thread pools that take the cores from each other; see _lbfgs.
        with scipy_blas_single_threaded():
            for k, density in enumerate(self.distributions_):
                if self.class_count_[k] > 0:
                    log_likelihood[k] = density._log_likelihood(X)
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)
        return log_prior, log_likelihood


def _share_categories(distributions, fitted):
    """Every class's categorical model over the categories seen in any class.

    With ``categories="auto"``, a CategoricalDistribution knows the values of
    its own rows only, so a value seen in one class would be an unknown
    category to the others at prediction time. Each class's statistics are
    merged with the (zero-weight) statistics of every value of every class,
    which gives each class the categories of the whole training data, with
    ``alpha`` smoothing over all of them, as CategoricalNB does. Batches
    merge the same way, so ``partial_fit`` still equals one ``fit``.
    """
    models = [
        d for d, is_fitted in zip(distributions, fitted, strict=True) if is_fitted
    ]
    if not (
        models
        and isinstance(models[0], CategoricalDistribution)
        and isinstance(models[0].categories, str)
    ):
        return distributions
    union = functools.reduce(
        lambda first, second: first.merge(second), (m._statistics for m in models)
    )
    # At log-scale -inf every count of the union weighs zero in a merge.
    values_only = dataclasses.replace(union, log_scale=-np.inf)
    shared = []
    for density, is_fitted in zip(distributions, fitted, strict=True):
        if is_fitted:
            density = copy.copy(density)
            density._set_fitted(density._statistics.merge(values_only), {})
        shared.append(density)
    return shared
