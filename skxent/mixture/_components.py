"""How a mixture fits and scores its components: the engines of EM.

Every M-step fits each component by the family's own weighted maximum
likelihood; how that happens depends on what the family offers:

- :class:`StatisticsEngine`, for families fit from sufficient statistics
  (:class:`~skxent.MLEDistribution`): the data are validated once per
  ``fit``, and each M-step calls the family's ``_compute_statistics`` and
  ``_parameters_from_statistics`` directly, exactly as the family's ``fit``
  would with these weights but without validating the data again on every
  iteration. The statistics also make stepwise EM (``partial_fit``)
  possible.
- :class:`DiagonalGaussianEngine`, for diagonal and spherical Gaussian
  components: the same statistics and parameters, computed for every
  component at once by matrix products (see its docstring).
- :class:`EstimatorEngine`, for any other skxent density (a product of
  families, a Student-t, a mixture): each M-step is
  ``clone(component).fit(X, sample_weight=weights)``.

An engine provides ``fit_components(weights)`` (one fitted component per
row of the ``(n_components, n_samples)`` weights) and
``log_likelihood(components)`` (the ``(n_components, n_samples)`` matrix of
``log p_k(x_i)``, the layout of :mod:`skxent._bayes`); a statistics engine
also ``statistics_of(weights)`` and ``from_statistics(statistics)``, which
stepwise EM needs.
"""

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import _num_samples

from skxent._composite import fitted_from, statistics_of
from skxent.distributions._base import MLEDistribution
from skxent.distributions._gaussian import GaussianDistribution
from skxent.distributions._gaussian_math import GaussianStatistics

__all__ = [
    "DiagonalGaussianEngine",
    "EstimatorEngine",
    "StatisticsEngine",
    "make_engine",
]


def _log_likelihood_matrix(components, X, n_samples):
    log_likelihood = np.empty((len(components), n_samples))
    for k, component in enumerate(components):
        log_likelihood[k] = component._log_likelihood(X)
    return log_likelihood


def _each(function, items):
    """``[function(item) for item in items]``, naming the item that fails."""
    results = []
    for k, item in enumerate(items):
        try:
            results.append(function(item))
        except ValueError as exc:
            raise ValueError(
                f"The weighted fit of component {k} failed: {exc}"
            ) from exc
    return results


class StatisticsEngine:
    """Fit components from the family's weighted sufficient statistics.

    Parameters
    ----------
    template : MLEDistribution
        An unfitted component that validated ``X`` (so it carries the
        feature metadata every fitted component gets).
    X : object
        The data as ``template._validate_X`` returned them.
    """

    def __init__(self, template, X):
        self.template = template
        self.X = X
        self.n_samples = _num_samples(X)

    def statistics(self, weights):
        """The family's statistics of the rows weighted by ``weights``.

        As in ``MLEDistribution.fit``: the weights are divided by their
        maximum and the statistics carry its logarithm as ``log_scale``.
        """
        return statistics_of(self.template, self.X, weights)

    def statistics_of(self, weights):
        """The statistics of every row of ``weights`` (one per component)."""
        return [self.statistics(row) for row in weights]

    def from_statistics(self, statistics):
        """A fitted component whose parameters are those of ``statistics``."""
        return fitted_from(self.template, statistics)

    def fit_components(self, weights):
        """One component fit to each row of ``weights``."""
        return _each(self.from_statistics, self.statistics_of(weights))

    def log_likelihood(self, components):
        """``log p_k(x_i)`` of every row under every component."""
        return _log_likelihood_matrix(components, self.X, self.n_samples)


#: The batched products below compute a variance as a difference
#: ``sum w (x - c)^2 - W (m - c)^2`` and a squared distance as
#: ``(x - c)^2 / v - 2 (x - c)(m - c) / v + (m - c)^2 / v``, which lose
#: ``log10`` of ``(m - c)^2 / v`` digits to cancellation. Up to this ratio
#: (a component mean within 1000 of its standard deviations of the data's
#: mean ``c``) the loss leaves at least 10 correct digits of every variance
#: and an absolute error below 1e-9 nats in every log-density; a component
#: beyond it is computed exactly, through the family's own code.
_CANCELLATION_LIMIT = 1e6


class DiagonalGaussianEngine(StatisticsEngine):
    """Every diagonal or spherical Gaussian component at once.

    The family's per-component statistics and log-densities make several
    passes over the data for each component; with a diagonal covariance the
    ``n_components`` of them are matrix products instead (one pass each over
    the data for all components, in BLAS), as in
    :class:`sklearn.mixture.GaussianMixture`. The data are shifted by their
    mean once per fit, which keeps the cancellation of the expanded squares
    small (see ``_CANCELLATION_LIMIT``); a component for which it would not
    be small is computed by the family's exact code. The statistics are the
    family's :class:`GaussianStatistics` and the parameters come from the
    family's ``_parameters_from_statistics``, so the components are the
    family's fits to float precision. Costs two float64 copies of the data
    (shifted, and squared) for the duration of a fit.
    """

    def __init__(self, template, X):
        super().__init__(template, X)
        self.shift = X.mean(axis=0, dtype=np.float64)
        self.centred = np.subtract(X, self.shift, dtype=np.float64)
        self.squares = np.square(self.centred)

    def statistics_of(self, weights):
        scale = weights.max()
        weights = weights / scale
        totals = weights.sum(axis=1)
        offsets = (weights @ self.centred) / totals[:, np.newaxis]
        between = totals[:, np.newaxis] * offsets * offsets
        scatter = weights @ self.squares - between
        with np.errstate(divide="ignore", invalid="ignore"):
            cancellation = (between / np.abs(scatter)).max(axis=1)
        log_scale = float(np.log(scale))
        statistics = []
        for k in range(len(weights)):
            if cancellation[k] <= _CANCELLATION_LIMIT:
                statistics.append(
                    GaussianStatistics(
                        float(totals[k]),
                        self.shift + offsets[k],
                        scatter[k],
                        log_scale=log_scale,
                    )
                )
            else:
                statistics.append(self.statistics(weights[k] * scale))
        return statistics

    def log_likelihood(self, components):
        n_features = self.shift.shape[0]
        offsets = np.array([c.mean_ for c in components]) - self.shift
        variances = np.array(
            [np.broadcast_to(c.covariance_, n_features) for c in components]
        )
        precisions = 1.0 / variances
        scaled = offsets * precisions
        # -2 log p = sum_j (x_j - m_j)^2 / v_j + log det + d log(2 pi), the
        # square expanded into three products with the shifted data.
        constants = (
            (offsets * scaled).sum(axis=1)
            + n_features * np.log(2 * np.pi)
            + np.log(variances).sum(axis=1)
        )
        log_likelihood = precisions @ self.squares.T
        log_likelihood -= 2.0 * (scaled @ self.centred.T)
        log_likelihood += constants[:, np.newaxis]
        log_likelihood *= -0.5
        for k in np.flatnonzero((offsets * scaled).max(axis=1) > _CANCELLATION_LIMIT):
            log_likelihood[k] = components[k]._log_likelihood(self.X)
        return log_likelihood


class EstimatorEngine:
    """Fit components through their public ``fit(X, sample_weight=...)``.

    Parameters
    ----------
    template : _BaseDensity
        An unfitted component, cloned for each fit.
    X : array-like
        The data as given to the mixture (each fit validates them).
    X_valid : object
        The data as ``template._validate_X`` returned them, for scoring.
    """

    def __init__(self, template, X, X_valid):
        self.template = template
        self.X = X
        self.X_valid = X_valid
        self.n_samples = _num_samples(X_valid)

    def fit(self, weights):
        """The component fit to the rows with positive ``weights``."""
        return clone(self.template).fit(self.X, sample_weight=weights)

    def fit_components(self, weights):
        """One component fit to each row of ``weights``."""
        return _each(self.fit, weights)

    def log_likelihood(self, components):
        """``log p_k(x_i)`` of every row under every component."""
        return _log_likelihood_matrix(components, self.X_valid, self.n_samples)


def make_engine(template, X, X_valid):
    """The engine for components like ``template``."""
    if (
        type(template) is GaussianDistribution
        and template.covariance_type != "full"
        and isinstance(X_valid, np.ndarray)
    ):
        return DiagonalGaussianEngine(template, X_valid)
    if isinstance(template, MLEDistribution):
        return StatisticsEngine(template, X_valid)
    return EstimatorEngine(template, X, X_valid)
