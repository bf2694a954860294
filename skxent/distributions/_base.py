"""The shared bases of skxent's density estimators.

``_BaseDensity`` is the base of every density estimator: scoring, information
criteria, sampling and feature validation are written once there in terms of
a few methods each estimator provides. ``MLEDistribution`` adds fitting from
sufficient statistics: ``fit`` computes them from one batch, ``partial_fit``
merges them with the statistics seen so far, and the parameters are a pure
function of the statistics, so any split of the data into batches gives the
same model as one ``fit``. Families whose fit is not a function of mergeable
statistics (mixtures, Student-t) derive from ``_BaseDensity`` alone and have
no ``partial_fit`` claiming an exactness they lack.
"""

import dataclasses
from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from skxent import _dask
from skxent._atomic import restored_on_error
from skxent._math import log_base_divisor, weighted_mean
from skxent._validation import (
    check_n_samples,
    check_not_datetime,
    check_sample_weight,
)
from skxent.distributions._statistics import normalise_weights

__all__ = ["MLEDistribution"]


class _BaseDensity(DensityMixin, BaseEstimator, metaclass=ABCMeta):
    """Base of every skxent density estimator.

    ``score`` is the weighted mean log-likelihood, i.e. the negative
    cross-entropy in nats between the data and the model, for every subclass.

    A subclass provides ``fit`` and:

    - ``_validate_X(X, *, reset)``: validate ``X`` (and set or check
      ``n_features_in_`` and ``feature_names_in_``) and return it;
    - ``_log_likelihood(X)``: the per-sample log-likelihood of validated
      ``X``, ``-inf`` (without a warning) outside the support;
    - ``_n_parameters()``: the number of free parameters;
    - ``_sample(n_samples, random_state)``: draws from the fitted model.
    """

    _parameter_constraints: dict = {}

    @abstractmethod
    def _validate_X(self, X, *, reset):
        """Validate X, set or check its feature metadata and return it."""

    @abstractmethod
    def _log_likelihood(self, X):
        """Return log p(x_i) for each row of validated X."""

    @abstractmethod
    def _n_parameters(self):
        """Return the number of free parameters of the fitted model."""

    @abstractmethod
    def _sample(self, n_samples, random_state):
        """Return n_samples draws as an array of shape (n_samples, n_features)."""

    # -- evaluation -------------------------------------------------------------

    def score_samples(self, X):
        """Log-likelihood of each sample under the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to evaluate.

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
            ``log p(x_i)`` in nats; ``-inf`` where the model gives probability
            zero.
        """
        check_is_fitted(self)
        if _dask.is_dask_collection(X):
            return _dask.dask_score_samples(self, X)
        check_not_datetime(X)
        return self._log_likelihood(self._validate_X(X, reset=False))

    def predict_proba(self, X):
        """Probability mass (discrete families) or density of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to evaluate.

        Returns
        -------
        proba : ndarray of shape (n_samples,)
            ``p(x_i)``, computed as ``exp(score_samples(X))``; it underflows to
            0 for improbable rows, where ``score_samples`` stays finite.
        """
        return np.exp(self.score_samples(X))

    def score(self, X, y=None, sample_weight=None):
        """Weighted mean log-likelihood: the negative cross-entropy in nats.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to evaluate.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows.

        Returns
        -------
        score : float
            ``-H(p_X, p_model)``: the mean of ``score_samples(X)`` weighted by
            ``sample_weight``. Higher is better.
        """
        if _dask.is_dask_collection(X):
            check_is_fitted(self)
            return _dask.dask_score(self, X, sample_weight)
        log_likelihood = self.score_samples(X)
        weights = check_sample_weight(sample_weight, log_likelihood)
        return weighted_mean(log_likelihood, weights)

    def aic(self, X):
        """Akaike information criterion of the fitted model on X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data on which to evaluate the criterion.

        Returns
        -------
        aic : float
            ``-2 log L + 2 k`` with ``k`` free parameters. Lower is better.
        """
        log_likelihood = self.score_samples(X).sum()
        return float(-2.0 * log_likelihood + 2.0 * self._n_parameters())

    def bic(self, X):
        """Bayesian information criterion of the fitted model on X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data on which to evaluate the criterion.

        Returns
        -------
        bic : float
            ``-2 log L + k log n`` with ``k`` free parameters and ``n`` rows.
            Lower is better.
        """
        log_likelihood = self.score_samples(X)
        n_samples = log_likelihood.shape[0]
        return float(
            -2.0 * log_likelihood.sum() + self._n_parameters() * np.log(n_samples)
        )

    # -- the fitted model ---------------------------------------------------------

    def sample(self, n_samples=1, random_state=None):
        """Draw samples from the fitted distribution.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to draw.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for reproducible draws.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            The draws.
        """
        check_is_fitted(self)
        n_samples = check_n_samples(n_samples)
        return self._sample(n_samples, check_random_state(random_state))


class MLEDistribution(_BaseDensity):
    """Base class for density estimators fit by maximum likelihood.

    Fitting by maximum likelihood and minimizing the cross-entropy between the
    empirical distribution of the data and the model are the same thing:

    .. math::

        \\hat\\theta = \\arg\\max_\\theta \\frac{1}{W}\\sum_i w_i \\log p(x_i;\\theta)
        = \\arg\\min_\\theta H(\\hat p_{\\mathrm{data}}, p_\\theta),

    so ``score`` (the weighted mean log-likelihood) is the negative
    cross-entropy in nats and model selection tools that maximize ``score``
    select by held-out cross-entropy.

    This class is not meant to be instantiated. Besides what
    ``_BaseDensity`` asks for (``_validate_X``, ``_log_likelihood``,
    ``_n_parameters``, ``_sample``), a subclass provides:

    - ``_compute_statistics(X, sample_weight)``: the sufficient statistics of
      one batch, a :class:`~skxent.distributions._statistics.Statistics`
      (which knows how to ``merge``); ``sample_weight`` is None for unit
      weights, otherwise validated weights whose maximum is 1 (the base
      divides by the maximum and records it as the statistics' ``log_scale``);
    - ``_parameters_from_statistics(statistics)``: a dict of fitted attributes
      (names ending in ``_``) computed from the statistics without side
      effects, raising ``ValueError`` if no model can be fit;
    - ``_entropy()`` and ``_kl_divergence(other)``: exact, in nats (a closed
      form, or a series or finite sum evaluated to float precision).

    Fitting is atomic: when ``fit`` or ``partial_fit`` raises, the estimator is
    left exactly as it was.

    See Also
    --------
    CategoricalDistribution : Independent categorical variables.
    BernoulliDistribution : Independent binary variables.
    GaussianDistribution : Multivariate normal distribution.

    Examples
    --------
    Every family shares this interface. Fitting in batches gives the model of
    one fit, and the score on the training data of a maximum-likelihood
    Gaussian is minus its entropy:

    >>> import numpy as np
    >>> from skxent import GaussianDistribution, MLEDistribution
    >>> X = np.random.default_rng(0).normal(size=(100, 2))
    >>> model = GaussianDistribution(reg_covar=0.0).fit(X)
    >>> isinstance(model, MLEDistribution)
    True
    >>> batches = GaussianDistribution(reg_covar=0.0)
    >>> for batch in np.array_split(X, 3):
    ...     _ = batches.partial_fit(batch)
    >>> bool(np.allclose(batches.covariance_, model.covariance_))
    True
    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _parameter_constraints: dict = {}

    # -- what a family provides ---------------------------------------------

    @abstractmethod
    def _compute_statistics(self, X, sample_weight):
        """Return the sufficient statistics of validated X with weights."""

    @abstractmethod
    def _parameters_from_statistics(self, statistics):
        """Return a dict of fitted attributes computed from the statistics."""

    @abstractmethod
    def _entropy(self):
        """Return the entropy of the fitted distribution in nats."""

    @abstractmethod
    def _kl_divergence(self, other):
        """Return D(self || other) in nats for a fitted model of the family."""

    # -- fitting --------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Fit the distribution by maximum likelihood.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, one observation per row.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; integer weights are equivalent to repeating
            rows. ``None`` gives every row weight one.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with restored_on_error(self):
            self._update(X, sample_weight, first=True)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the fit with one more batch of data.

        Sufficient statistics are merged exactly, so fitting batch after batch
        gives the same model as one ``fit`` on all of them.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            A batch of training data.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights for the rows of this batch.

        Returns
        -------
        self : object
            The updated estimator.
        """
        with restored_on_error(self):
            self._update(X, sample_weight, first=not hasattr(self, "_statistics"))
        return self

    def _update(self, X, sample_weight, *, first):
        if _dask.is_dask_collection(X):
            statistics, metadata = _dask.dask_statistics(
                self, X, sample_weight, first=first
            )
            if not first:
                statistics = self._statistics.merge(statistics)
            self._set_fitted(statistics, metadata)
            return
        check_not_datetime(X)
        X = self._validate_X(X, reset=first)
        # Unit weights stay None: on large data, allocating and multiplying by
        # a weight per row costs about as much as the statistics themselves.
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X)
        statistics = self._batch_statistics(X, sample_weight)
        if not first:
            statistics = self._statistics.merge(statistics)
        self._set_fitted(statistics, {})

    def _batch_statistics(self, X, sample_weight):
        """Sufficient statistics of validated ``X`` and weights, with their scale.

        The weights (validated, or None for unit weights) are divided by
        their maximum and the statistics carry its logarithm as
        ``log_scale``. ``fit``, the Dask blocks and the composites that fit
        many models on rows they validated once (mixtures, generative
        classifiers) all compute a batch's statistics here.
        """
        weights, log_scale = normalise_weights(sample_weight)
        statistics = self._compute_statistics(X, weights)
        return dataclasses.replace(statistics, log_scale=log_scale)

    def _set_fitted(self, statistics, metadata):
        """Set the parameters (computed first, so a failure sets nothing)."""
        parameters = self._parameters_from_statistics(statistics)
        for name, value in {**metadata, **parameters}.items():
            setattr(self, name, value)
        self._statistics = statistics

    def entropy(self, base=None):
        """Entropy of the fitted distribution, in closed form.

        Parameters
        ----------
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        entropy : float
            ``H(p_model)`` (differential entropy for continuous families).
        """
        check_is_fitted(self)
        return float(self._entropy()) / log_base_divisor(base)

    def kl_divergence(self, other, base=None):
        """Kullback-Leibler divergence from this model to another of its family.

        Parameters
        ----------
        other : MLEDistribution
            A fitted estimator of the same class, on the same features.
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        kl : float
            ``D(p_self || p_other)``, ``>= 0``; ``+inf`` when ``other``
            gives probability zero where this model does not.
        """
        check_is_fitted(self)
        if type(other) is not type(self):
            raise TypeError(
                f"other must be a fitted {type(self).__name__}, got "
                f"{type(other).__name__}."
            )
        check_is_fitted(other)
        if other.n_features_in_ != self.n_features_in_:
            raise ValueError(
                f"other was fit on {other.n_features_in_} features, this model on "
                f"{self.n_features_in_}; the divergence is undefined."
            )
        return float(self._kl_divergence(other)) / log_base_divisor(base)
