"""Pure functions behind :class:`BetaDistribution`.

Each column is an independent ``Beta(a_j, b_j)``, which is the Dirichlet of
two components on ``(x, 1 - x)``. The statistics and the log-density are
computed here per column, with ``log1p(-x)`` for ``log(1 - x)`` so that
values near 0 keep every digit of their complement; the maximum likelihood
estimate, the entropy and the divergence are those of
:mod:`~skxent.distributions._dirichlet_math` on one two-component problem
per column, solved for all columns at once.
"""

import numpy as np
from scipy.special import betaln

from skxent.distributions import _dirichlet_math
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "all_inside",
    "entropy",
    "inside",
    "kl_divergence",
    "log_density",
    "mean_log_pairs",
    "sample",
    "shapes_from_mean_log",
    "statistics",
]


def all_inside(X):
    """Whether every entry of X lies in the open interval (0, 1)."""
    return bool(X.min(initial=np.inf) > 0 and X.max(initial=-np.inf) < 1)


def inside(X):
    """Which entries of X lie in the open interval (0, 1)."""
    return (X > 0) & (X < 1)


def statistics(X, sample_weight):
    """Weight sum and weighted sums of ``log x`` and ``log(1 - x)`` per column.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Values in (0, 1).
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1], or None for unit weights.

    Returns
    -------
    statistics : WeightedSums
        ``weight_sum`` and ``sums["log_x"]``, ``sums["log1m_x"]``, each of
        shape (n_features,).
    """
    # Summed as deviations from one row, so that a constant column is
    # recognised as constant however many rows it has. One buffer holds
    # log(x), then log(1 - x).
    buffer = np.log(X)
    log_x = _dirichlet_math.column_sums(buffer, sample_weight)
    log1m_x = _dirichlet_math.column_sums(_log1m(X, out=buffer), sample_weight)
    weight_sum = X.shape[0] if sample_weight is None else sample_weight.sum()
    return WeightedSums(float(weight_sum), {"log_x": log_x, "log1m_x": log1m_x})


def _log1m(X, out):
    """``log(1 - X)`` as ``log1p(-X)``, into ``out`` (no temporary for -X)."""
    np.negative(X, out=out)
    return np.log1p(out, out=out)


def mean_log_pairs(statistics):
    """``(E[log x_j], E[log(1 - x_j)])`` under the data, shape (n_features, 2)."""
    return np.column_stack([statistics.mean("log_x"), statistics.mean("log1m_x")])


def shapes_from_mean_log(mean_log):
    """Maximum likelihood ``(a, b)`` of each column from its mean logs."""
    shapes = _dirichlet_math.concentration_from_mean_log(mean_log)
    return shapes[:, 0], shapes[:, 1]


def log_density(X, a, b):
    """Log-density of each row, summed over the independent columns.

    ``sum_j (a_j - 1) log x_j + (b_j - 1) log(1 - x_j) - log B(a_j, b_j)``;
    rows with a value outside (0, 1) are the caller's to mask (their terms
    are computed without warnings and may be nan).
    """
    # einsum sums each row on its own, in one order, so a row's value does
    # not depend on the rows around it (a BLAS product's rounding may), and
    # for few columns it is several times faster than the BLAS call.
    with np.errstate(divide="ignore", invalid="ignore"):
        buffer = np.log(X)
        log_density = np.einsum("ij,j->i", buffer, a - 1.0)
        log_density += np.einsum("ij,j->i", _log1m(X, out=buffer), b - 1.0)
    log_density -= betaln(a, b).sum()
    return log_density


def entropy(a, b):
    """Entropy of the independent Betas, in nats: the sum over columns."""
    return float(_dirichlet_math.entropy(np.column_stack([a, b])).sum())


def kl_divergence(a, b, other_a, other_b):
    """``D(p || q)`` of independent Betas: the sum over columns."""
    p, q = np.column_stack([a, b]), np.column_stack([other_a, other_b])
    return float(_dirichlet_math.kl_divergence(p, q).sum())


def sample(a, b, n_samples, random_state):
    """Draws of shape (n_samples, n_features), one Beta per column."""
    return random_state.beta(a, b, size=(n_samples, a.size))
