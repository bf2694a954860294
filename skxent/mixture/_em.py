"""Expectation-maximization for a finite mixture of any skxent family.

Pure functions on validated data. The families enter through an *engine*
(:mod:`skxent.mixture._components`) with two methods:

- ``log_likelihood(components)``: the ``(n_samples, n_components)`` matrix
  of ``log p_k(x_i)``;
- ``fit_components(weights)``: one component per row of the
  ``(n_components, n_samples)`` weights, each fit by the family's weighted
  maximum likelihood.

EM maximizes the weighted mean log-likelihood of the mixture
:math:`p(x) = \\sum_k \\pi_k p_k(x)`, i.e. minimizes the cross-entropy
between the data and the mixture. The E-step computes the responsibilities
:math:`r_{ik} = p(k \\mid x_i)` by Bayes' rule in log space; the M-step
refits each component to the rows weighted by :math:`w_i r_{ik}` and sets
:math:`\\pi_k \\propto \\sum_i w_i r_{ik}`.
"""

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from skxent._bayes import posterior
from skxent._math import weighted_mean

__all__ = [
    "RESPONSIBILITY_FLOOR",
    "STEPSIZE_DECAY",
    "EMResult",
    "component_weights",
    "e_step",
    "interpolate_statistics",
    "log_total_weight",
    "m_step",
    "mean_log_likelihood",
    "run_em",
    "step_size",
    "stepwise_step",
]

#: Responsibilities are raised to at least this value before they weight a
#: component's fit, so that every component sees every row with a positive
#: weight. A family whose support is learned from the rows of positive
#: weight (the categories of CategoricalDistribution) then keeps every
#: training value in every component and can score every training row; the
#: change to any fitted parameter is of order 1e-250 relative. A component
#: that explains no row (every responsibility below the floor) is refit to
#: all rows with equal tiny weights and gets a mixture weight of order 1e-250:
#: it stays in the model, finite, and no longer changes the density.
#: 1e-250 rather than the smallest normal float leaves room for sample
#: weights down to 1e-50 of the largest before the product underflows.
RESPONSIBILITY_FLOOR = 1e-250

#: Stepwise EM's ``t``-th step (``t = 0, 1, ...``) has size ``(t + 2)^-0.6``.
#: Stochastic approximation converges for exponents in (0.5, 1] (the sizes
#: sum to infinity, their squares do not) [Cappé and Moulines 2009]; 0.6 is
#: in the range that Liang and Klein (2009) found to work best with
#: mini-batches, forgetting the first batches fast without making each step
#: noisy.
STEPSIZE_DECAY = 0.6


def e_step(log_likelihood, log_weights):
    """Responsibilities and the mixture's log-density of each row.

    Parameters
    ----------
    log_likelihood : ndarray of shape (n_components, n_samples)
        ``log p_k(x_i)``.
    log_weights : ndarray of shape (n_components,)
        ``log pi_k``.

    Returns
    -------
    responsibilities : ndarray of shape (n_components, n_samples)
        ``p(k | x_i)``, each column summing to one.
    log_density : ndarray of shape (n_samples,)
        ``log p(x_i) = logsumexp_k (log pi_k + log p_k(x_i))``.
    """
    return posterior(log_weights, log_likelihood)


def mean_log_likelihood(log_density, sample_weight):
    """Weighted mean of the rows' log-densities (``sample_weight`` may be None)."""
    if sample_weight is None:
        return float(log_density.mean())
    return weighted_mean(log_density, sample_weight)


def component_weights(responsibilities, sample_weight):
    """Each component's row weights ``w_i max(r_ik, floor)``, one row per component.

    Returns
    -------
    weights : ndarray of shape (n_components, n_samples)
        C-contiguous, so that each component's weights are contiguous.
    """
    weights = np.maximum(responsibilities, RESPONSIBILITY_FLOOR)
    if sample_weight is not None:
        weights *= sample_weight
    return weights


def m_step(engine, responsibilities, sample_weight):
    """Refit every component to its responsibilities and reweight the mixture.

    Returns
    -------
    components : list
        One fitted component per column of ``responsibilities``.
    log_weights : ndarray of shape (n_components,)
        ``log pi_k`` with ``pi_k`` proportional to the total weight of
        component ``k``.

    Raises
    ------
    ValueError
        If a component's family cannot fit its weighted rows (e.g. a
        singular covariance with ``reg_covar=0``), naming the component.
    """
    weights = component_weights(responsibilities, sample_weight)
    return engine.fit_components(weights), log_mixture_weights(weights)


def log_mixture_weights(weights):
    """``log pi_k`` from the components' row weights, scale-free."""
    # Dividing by the largest weight first keeps the sums finite for
    # weights near the float64 maximum.
    totals = (weights / weights.max()).sum(axis=1)
    return np.log(totals) - np.log(totals.sum())


@dataclass
class EMResult:
    """The outcome of one run of EM.

    Attributes
    ----------
    components : list
        The fitted components.
    log_weights : ndarray of shape (n_components,)
        Log mixture weights.
    n_iter : int
        Number of M-steps after the initial one.
    converged : bool
        Whether the change of the mean log-likelihood fell below ``tol``.
    lower_bounds : list of float
        The mean log-likelihood of the training data under the starting model
        and after each M-step: ``n_iter + 1`` values, the last that of the
        returned model.
    """

    components: list
    log_weights: np.ndarray
    n_iter: int = 0
    converged: bool = False
    lower_bounds: list = field(default_factory=list)

    @property
    def lower_bound(self):
        """The mean log-likelihood of the training data under the model."""
        return self.lower_bounds[-1]


def run_em(
    engine,
    components,
    log_weights,
    sample_weight,
    *,
    max_iter,
    tol,
    previous=-np.inf,
    on_iteration=None,
):
    """Iterate E- and M-steps from the given model until convergence.

    Iteration ``n`` computes the mean log-likelihood ``L_{n-1}`` of the
    current model (the E-step) and then the next model (the M-step), and
    stops when ``|L_{n-1} - L_{n-2}| < tol``, as
    :class:`sklearn.mixture.GaussianMixture` does, so that both take the
    same steps. A last E-step then gives the log-likelihood of the returned
    model, which EM can only have increased.

    Parameters
    ----------
    engine : object
        Fits and scores the components (see the module docstring).
    components, log_weights : list, ndarray of shape (n_components,)
        The starting model.
    sample_weight : ndarray of shape (n_samples,) or None
        Positive row weights, None for unit weights.
    max_iter : int
        Largest number of M-steps.
    tol : float
        Convergence threshold on the change of the mean log-likelihood.
    previous : float, default=-inf
        The mean log-likelihood before the starting model (for warm starts).
    on_iteration : callable, default=None
        Called as ``on_iteration(n_iter, mean_log_likelihood, change)`` after
        each E-step.

    Returns
    -------
    result : EMResult
    """
    result = EMResult(components, log_weights)
    for n_iter in range(1, max_iter + 1):
        responsibilities, log_density = e_step(
            engine.log_likelihood(result.components), result.log_weights
        )
        current = mean_log_likelihood(log_density, sample_weight)
        result.lower_bounds.append(current)
        if on_iteration is not None:
            on_iteration(n_iter, current, current - previous)
        result.components, result.log_weights = m_step(
            engine, responsibilities, sample_weight
        )
        result.n_iter = n_iter
        if abs(current - previous) < tol:
            result.converged = True
            break
        previous = current
    _, log_density = e_step(
        engine.log_likelihood(result.components), result.log_weights
    )
    result.lower_bounds.append(mean_log_likelihood(log_density, sample_weight))
    return result


# -- stepwise (online) EM --------------------------------------------------------


def step_size(n_steps):
    """Size of the step after ``n_steps`` earlier steps: ``(n_steps + 2)^-0.6``."""
    return (n_steps + 2.0) ** -STEPSIZE_DECAY


def log_total_weight(sample_weight, n_samples):
    """``log sum_i w_i``, computed without overflow (``n_samples`` if None)."""
    if sample_weight is None:
        return float(np.log(n_samples))
    scale = sample_weight.max()
    return float(np.log(scale) + np.log((sample_weight / scale).sum()))


def _rescaled(statistics, log_factor):
    """Statistics whose weight-linear fields are multiplied by ``exp(log_factor)``."""
    return dataclasses.replace(statistics, log_scale=statistics.log_scale + log_factor)


def interpolate_statistics(previous, batch, step, log_seen, log_batch):
    """Stepwise EM's update of one component's sufficient statistics.

    With :math:`\\hat s = s / N` the statistics per unit of weight,

    .. math::

        \\hat s_{\\text{new}} = (1 - \\eta)\\, \\hat s_{\\text{previous}}
            + \\eta\\, \\hat s_{\\text{batch}},

    returned at the scale of all the weight seen, :math:`N + W_{\\text{batch}}`,
    so that a family's pseudo-counts (``alpha``) weigh against the amount of
    data seen, as in a fit. Both terms are weighted unions of statistics
    (``Statistics.merge``), so the family's stable merge does the work.

    Parameters
    ----------
    previous, batch : Statistics
        The component's statistics so far (at the scale ``exp(log_seen)``)
        and its expected statistics on the batch (``exp(log_batch)``).
    step : float
        :math:`\\eta \\in (0, 1)`.
    log_seen, log_batch : float
        Logs of the weight seen before the batch and of the batch's weight.

    Returns
    -------
    statistics : Statistics
    """
    log_total = np.logaddexp(log_seen, log_batch)
    kept = _rescaled(previous, np.log1p(-step) + log_total - log_seen)
    new = _rescaled(batch, np.log(step) + log_total - log_batch)
    return kept.merge(new)


def stepwise_step(engine, components, log_weights, sample_weight, *, step, log_seen):
    """One step of stepwise EM on a batch.

    The E-step computes the batch's responsibilities under the current
    model; each component's statistics move a fraction ``step`` of the way
    to their expectation on the batch (:func:`interpolate_statistics`), and
    so do the mixture weights.

    Parameters
    ----------
    engine : StatisticsEngine
        Holds the batch.
    components, log_weights : list, ndarray of shape (n_components,)
        The current model; each component carries its ``_statistics``.
    sample_weight : ndarray of shape (n_samples,) or None
        Positive row weights of the batch.
    step : float
        The step size in (0, 1).
    log_seen : float
        Log of the weight seen before the batch.

    Returns
    -------
    components : list
    log_weights : ndarray of shape (n_components,)
    log_seen : float
        Log of the weight seen, the batch included.
    mean_log_likelihood : float
        The batch's mean log-likelihood under the model before the step.
    """
    responsibilities, log_density = e_step(
        engine.log_likelihood(components), log_weights
    )
    weights = component_weights(responsibilities, sample_weight)
    log_batch = log_total_weight(sample_weight, responsibilities.shape[1])
    updated = []
    batch = engine.statistics_of(weights)
    for k, (component, statistics) in enumerate(zip(components, batch, strict=True)):
        statistics = interpolate_statistics(
            component._statistics, statistics, step, log_seen, log_batch
        )
        try:
            updated.append(engine.from_statistics(statistics))
        except ValueError as exc:
            raise ValueError(
                f"The stepwise update of component {k} failed: {exc}"
            ) from exc
    mixture_weights = (1.0 - step) * np.exp(log_weights) + step * np.exp(
        log_mixture_weights(weights)
    )
    return (
        updated,
        np.log(mixture_weights),
        float(np.logaddexp(log_seen, log_batch)),
        mean_log_likelihood(log_density, sample_weight),
    )
