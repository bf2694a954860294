"""Numerical kernels of the multivariate normal distribution.

Pure functions on validated input: the weighted sufficient statistics of a
batch and their exact merge, the covariance and its Cholesky factor, and the
log-density, entropy, Kullback-Leibler divergence and sampling computed through
that factor (never through an explicit inverse).

A covariance is described by its ``covariance_type`` and a *factor*:

- ``"full"``: the lower-triangular Cholesky factor ``L`` with ``L @ L.T = S``,
  an ndarray of shape (n_features, n_features);
- ``"diag"``: the standard deviations, an ndarray of shape (n_features,);
- ``"spherical"``: the common standard deviation, a float.

Everything is computed in float64 whatever the dtype of the data.
"""

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cholesky, solve_triangular

from skxent.distributions._statistics import Statistics

__all__ = [
    "GaussianStatistics",
    "cholesky_factor",
    "covariance_from_statistics",
    "entropy",
    "kl_divergence",
    "log_density",
    "log_det",
    "n_parameters",
    "sample",
    "shifted_statistics",
    "statistics",
]

_EPS = np.finfo(np.float64).eps

#: A feature whose standard deviation is below this many ulps of its mean
#: cannot be told apart from a constant in float64: its values differ in their
#: last bits only, and centring them leaves nothing but rounding error.
_CONSTANT_ULPS = 8.0

#: Cholesky pivots are the conditional variances of each feature given the
#: previous ones. One below ``_COLLINEAR_ULPS * n_features * eps`` times the
#: feature's own variance is within rounding error of zero (the rounding of
#: the scatter itself reaches a few hundred ``n_features * eps`` on
#: rank-deficient data with features of very different scales).
_COLLINEAR_ULPS = 1e4

#: Number of rows, evenly spaced, whose median shifts the data before the
#: sums of squares: enough for a shift within a fraction of a standard
#: deviation of the mean, few enough to cost nothing.
_SHIFT_ROWS = 1024


@dataclass(frozen=True)
class GaussianStatistics(Statistics):
    """Sufficient statistics of one or more weighted batches.

    Attributes
    ----------
    weight_sum : float
        Sum of the sample weights, ``W`` (in units of ``exp(log_scale)``).
    mean : ndarray of shape (n_features,)
        Weighted mean.
    scatter : ndarray of shape (n_features, n_features) or (n_features,)
        Weighted scatter about the mean, ``sum_i w_i (x_i - mean)(x_i - mean)^T``,
        or only its diagonal (in units of ``exp(log_scale)``).
    """

    weight_sum: float
    mean: np.ndarray
    scatter: np.ndarray

    def _scaled(self, factor):
        return GaussianStatistics(
            self.weight_sum * factor, self.mean, self.scatter * factor
        )

    def _combine(self, other):
        """Chan, Golub and LeVeque's parallel update of the mean and scatter.

        The scatters add, plus the scatter of the two batch means about the
        pooled mean; no step subtracts large second moments.
        """
        if self.scatter.ndim != other.scatter.ndim:
            raise ValueError(
                "covariance_type changed between a 'full' and a diagonal type "
                "since the first call to partial_fit; call fit to start over."
            )
        weight_sum = self.weight_sum + other.weight_sum
        delta = other.mean - self.mean
        mean = self.mean + delta * (other.weight_sum / weight_sum)
        between = self.weight_sum * (other.weight_sum / weight_sum)
        spread = delta * delta if self.scatter.ndim == 1 else np.outer(delta, delta)
        scatter = self.scatter + other.scatter + between * spread
        return GaussianStatistics(weight_sum, mean, scatter)


#: Largest ``mean_j**2 / variance_j`` for which the uncentred moments are
#: trusted. ``sum w x^2 - W mean^2`` cancels about ``log10(1 + ratio)``
#: digits of the scatter; at 100 two of float64's sixteen are lost, which
#: leaves the result within 1e-13 of the centred one. Standardised data have
#: a ratio near 0; data whose mean is far from zero on the scale of their
#: spread (a year, a temperature in kelvin) take the shifted path.
_UNCENTRED_MAX_RATIO = 100.0


def statistics(X, sample_weight, *, diagonal):
    """Weighted mean and scatter of one batch, at the cost of one Gram matrix.

    The uncentred sums ``sum_i w_i x_i`` and ``sum_i w_i x_i x_i^T`` are one
    pass and one symmetric rank-k update of ``X`` itself, with no centred
    copy. They lose precision when a column's mean is large against its
    spread (``E[x^2] - E[x]^2`` cancels), which the result itself reveals:
    when some ``mean_j**2 / variance_j`` exceeds ``_UNCENTRED_MAX_RATIO``, or
    the data are float32, the batch is redone about a shift
    (:func:`shifted_statistics`). Rows of weight zero enter neither sum, so
    no far row of zero weight can disturb either path.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data, float32 or float64.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights with a positive sum; None means unit weights.
    diagonal : bool
        Whether to compute only the diagonal of the scatter.

    Returns
    -------
    statistics : GaussianStatistics

    Raises
    ------
    ValueError
        If the sums of squares overflow float64.
    """
    if X.dtype == np.float64:
        uncentred = _uncentred_statistics(X, sample_weight, diagonal)
        if uncentred is not None:
            return uncentred
    return shifted_statistics(X, sample_weight, diagonal=diagonal)


def _uncentred_statistics(X, sample_weight, diagonal):
    """The statistics from uncentred sums, or None where they lose digits."""
    unit_weights = sample_weight is None or np.ptp(sample_weight) == 0
    with np.errstate(over="ignore", invalid="ignore"):
        if unit_weights:
            scale = 1.0 if sample_weight is None else float(sample_weight[0])
            weight_sum = scale * X.shape[0]
            sums = scale * X.sum(axis=0)
            squares = scale * _squares(X, diagonal)
        else:
            # Rows scaled by sqrt(w): one copy, then the same rank-k update.
            root = np.sqrt(sample_weight)
            scaled = X * root[:, np.newaxis]
            weight_sum = float(sample_weight.sum())
            sums = root @ scaled
            squares = _squares(scaled, diagonal)
        mean = sums / weight_sum
        if diagonal:
            scatter = squares - weight_sum * mean * mean
        else:
            scatter = squares - weight_sum * np.outer(mean, mean)
        variances = _diagonal(scatter) / weight_sum
        trusted = np.all(np.isfinite(scatter)) and np.all(
            mean * mean <= _UNCENTRED_MAX_RATIO * variances
        )
    # A constant column (variance 0, or rounding of either sign) is never
    # trusted here: the shifted path makes it exactly constant.
    if not trusted or not np.all(variances > 0):
        return None
    return GaussianStatistics(weight_sum, mean, scatter)


def shifted_statistics(X, sample_weight, *, diagonal):
    """Weighted mean and scatter of one batch, with one centred copy of ``X``.

    The data are shifted by a guess of their centre (the column-wise median
    of at most ``_SHIFT_ROWS`` rows for unit weights, the weighted mean for
    unequal weights, which no far row of zero weight can move), and the mean
    and scatter of the shifted data are corrected for the remaining offset
    ``r`` (the "shifted data" algorithm [1]_):

    .. math::

        \\sum_i w_i (x_i - m)(x_i - m)^T
        = \\sum_i w_i (x_i - s)(x_i - s)^T - W r r^T,
        \\qquad m = s + r.

    As a median lies within about one standard deviation of the mean, the
    correction is a small fraction of the scatter and cancels nothing
    significant, unlike ``E[x^2] - E[x]^2``; a constant column is shifted to
    exactly zero. Unlike centring on the mean, it needs no pass over the data
    before the one that centres them. Weights that are all equal, or None,
    skip every weighted product.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data, float32 or float64.
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative weights with a positive sum; None means unit weights.
    diagonal : bool
        Whether to compute only the diagonal of the scatter.

    Returns
    -------
    statistics : GaussianStatistics

    Raises
    ------
    ValueError
        If the sums of squares overflow float64.

    References
    ----------
    .. [1] T. F. Chan, G. H. Golub and R. J. LeVeque, "Algorithms for computing
       the sample variance: analysis and recommendations", The American
       Statistician 37(3), 1983.
    """
    unit_weights = sample_weight is None or np.ptp(sample_weight) == 0
    if unit_weights:
        stride = max(1, X.shape[0] // _SHIFT_ROWS)
        shift = np.median(X[::stride], axis=0).astype(np.float64)
    else:
        # An unweighted guess of the centre can sit on rows of (nearly) zero
        # weight, arbitrarily far from the weighted mean; the correction
        # W r r^T would then cancel the scatter. The weighted mean itself is
        # a shift within rounding error of the centre, for one extra pass.
        shift = (sample_weight @ X) / sample_weight.sum()
    centred = np.subtract(X, shift, dtype=np.float64)
    if unit_weights:
        scale = 1.0 if sample_weight is None else float(sample_weight[0])
        weight_sum = scale * X.shape[0]
        sums = scale * centred.sum(axis=0)
        squares = scale * _squares(centred, diagonal)
    else:
        weight_sum = float(sample_weight.sum())
        sums = sample_weight @ centred
        # Scaling the rows by sqrt(w) in place weights the squares without a
        # second copy of the data.
        centred *= np.sqrt(sample_weight)[:, np.newaxis]
        squares = _squares(centred, diagonal)
    residual = sums / weight_sum
    with np.errstate(over="ignore", invalid="ignore"):
        if diagonal:
            scatter = squares - weight_sum * residual * residual
        else:
            scatter = squares - weight_sum * np.outer(residual, residual)
    if not (np.all(np.isfinite(scatter)) and np.all(np.isfinite(shift))):
        raise ValueError(
            "The second moments of X overflow float64 (its largest magnitude is "
            f"{float(np.max(np.abs(X))):.3g}); rescale X before fitting a "
            "Gaussian."
        )
    return GaussianStatistics(weight_sum, shift + residual, scatter)


def _squares(centred, diagonal):
    """``sum_i c_i c_i^T`` (one symmetric rank-k update) or its diagonal.

    An overflow is reported by the caller as a ValueError, not a warning.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if diagonal:
            return np.einsum("ij,ij->j", centred, centred)
        return centred.T @ centred


def covariance_from_statistics(statistics, covariance_type, reg_covar):
    """Maximum likelihood covariance plus ``reg_covar`` on the diagonal.

    Returns an ndarray of shape (n_features, n_features) for ``"full"``,
    (n_features,) for ``"diag"`` and a float for ``"spherical"``, as
    :class:`sklearn.mixture.GaussianMixture` does for one component.
    """
    covariance = statistics.scatter / statistics.weight_sum
    if covariance_type == "full":
        covariance.flat[:: covariance.shape[0] + 1] += reg_covar
        return covariance
    # On a (nearly) constant column, subtracting W r^2 from the sum of squares
    # can leave a rounding error of either sign.
    variances = np.maximum(_diagonal(covariance), 0.0)
    if covariance_type == "diag":
        return variances + reg_covar
    return float(variances.mean() + reg_covar)


def cholesky_factor(covariance, covariance_type, mean, *, strict):
    """Cholesky factor of a covariance that is positive definite in float64.

    Parameters
    ----------
    covariance : ndarray or float
        Covariance in the layout of ``covariance_type``.
    covariance_type : {"full", "diag", "spherical"}
        How the covariance is parametrised.
    mean : ndarray of shape (n_features,)
        Mean of the distribution; sets the scale below which a variance is
        indistinguishable from rounding error.
    strict : bool
        Also reject a covariance that is positive definite only through
        rounding error. Meant for unregularised estimates: a regularised one
        is positive definite by construction and is accepted whenever its
        factorisation succeeds.

    Returns
    -------
    factor : ndarray or float
        Lower Cholesky factor (``"full"``) or standard deviations.

    Raises
    ------
    numpy.linalg.LinAlgError
        If the factorisation fails, or, when ``strict``, if a variance is
        within rounding error of zero or a feature within rounding error of a
        linear combination of the others.
    """
    variances = _diagonal(covariance)
    floor = (_CONSTANT_ULPS * _EPS) ** 2 * mean * mean if strict else 0.0
    if covariance_type == "spherical":
        floor = np.mean(floor)
    constant = np.flatnonzero(~(variances > floor))
    if constant.size:
        subject = (
            "the data have"
            if covariance_type == "spherical"
            else f"feature {constant[0]} has"
        )
        raise np.linalg.LinAlgError(f"{subject} zero variance (to float64 precision)")
    if covariance_type != "full":
        return np.sqrt(covariance)
    try:
        factor = cholesky(covariance, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        factor = None
    # Pivot i is the variance of feature i left unexplained by features < i.
    tolerance = _COLLINEAR_ULPS * covariance.shape[0] * _EPS if strict else 0.0
    if factor is None or np.any(np.diag(factor) ** 2 <= tolerance * variances):
        raise np.linalg.LinAlgError(
            "the features are linearly dependent (to float64 precision)"
        )
    return factor


def log_det(factor, covariance_type, n_features):
    """Natural log of the determinant of the covariance, from its factor."""
    if covariance_type == "full":
        return 2.0 * np.log(np.diag(factor)).sum()
    if covariance_type == "diag":
        return 2.0 * np.log(factor).sum()
    return 2.0 * n_features * np.log(factor)


def log_density(X, mean, factor, covariance_type):
    """Log-density of each row of ``X``, in nats.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data, float32 or float64.
    mean : ndarray of shape (n_features,)
        Mean of the distribution.
    factor : ndarray or float
        Cholesky factor or standard deviations (see the module docstring).
    covariance_type : {"full", "diag", "spherical"}
        How the covariance is parametrised.

    Returns
    -------
    log_density : ndarray of shape (n_samples,)
        ``-(d log(2 pi) + log det S + z^T z) / 2`` with ``L z = x - mean``.
    """
    n_features = mean.shape[0]
    # Centre before solving: solving first and subtracting L^{-1} mean would
    # cancel catastrophically for data far from the origin.
    centred = np.subtract(X, mean, dtype=np.float64)
    if covariance_type == "full":
        # centred.T is Fortran-ordered, so LAPACK solves in place, no copy.
        standardized = solve_triangular(
            factor, centred.T, lower=True, overwrite_b=True, check_finite=False
        )
        squared_norms = np.einsum("ij,ij->j", standardized, standardized)
    else:
        centred /= factor
        squared_norms = np.einsum("ij,ij->i", centred, centred)
    constant = n_features * np.log(2 * np.pi) + log_det(
        factor, covariance_type, n_features
    )
    return -0.5 * (squared_norms + constant)


def entropy(factor, covariance_type, n_features):
    """Differential entropy ``(d (1 + log 2 pi) + log det S) / 2``, in nats."""
    log_det_covariance = log_det(factor, covariance_type, n_features)
    return 0.5 * (n_features * (1.0 + np.log(2 * np.pi)) + log_det_covariance)


def kl_divergence(mean_p, factor_p, type_p, mean_q, factor_q, type_q):
    """Kullback-Leibler divergence ``D(N_p || N_q)`` in nats.

    .. math::

        D = \\frac{1}{2}\\left[\\operatorname{tr}(S_q^{-1} S_p)
            + (m_q - m_p)^T S_q^{-1} (m_q - m_p) - d
            + \\log\\det S_q - \\log\\det S_p\\right]

    with ``tr(S_q^{-1} S_p) = ||L_q^{-1} L_p||_F^2``. The two covariance types
    may differ; when either is full, both factors are handled as full
    lower-triangular matrices.
    """
    n_features = mean_p.shape[0]
    difference = mean_p - mean_q
    if type_p == "full" or type_q == "full":
        lower_p = _as_full_factor(factor_p, type_p, n_features)
        lower_q = _as_full_factor(factor_q, type_q, n_features)
        ratio = solve_triangular(lower_q, lower_p, lower=True, check_finite=False)
        shift = solve_triangular(lower_q, difference, lower=True, check_finite=False)
    else:
        ratio = np.broadcast_to(factor_p / factor_q, n_features)
        shift = difference / factor_q
    # Each term is computed as a difference that is exactly zero for
    # identical models (L^{-1} L is exactly the identity in IEEE arithmetic),
    # so that D(p || p) == 0.
    trace_excess = np.sum(ratio * ratio) - n_features
    log_det_ratio = log_det(factor_q, type_q, n_features) - log_det(
        factor_p, type_p, n_features
    )
    divergence = 0.5 * (trace_excess + shift @ shift + log_det_ratio)
    # Gibbs' inequality holds exactly; only rounding can make it negative.
    return max(divergence, 0.0)


def sample(mean, factor, covariance_type, n_samples, random_state):
    """Draw ``n_samples`` rows ``mean + L z`` with standard normal ``z``."""
    noise = random_state.standard_normal(size=(n_samples, mean.shape[0]))
    if covariance_type == "full":
        return noise @ factor.T + mean
    return noise * factor + mean


def n_parameters(covariance_type, n_features):
    """Number of free parameters: the mean plus the covariance."""
    n_covariance = {
        "full": n_features * (n_features + 1) // 2,
        "diag": n_features,
        "spherical": 1,
    }[covariance_type]
    return n_features + n_covariance


def _diagonal(covariance):
    """Variances of a covariance in any layout (a 0-d array if spherical)."""
    covariance = np.asarray(covariance)
    return np.diag(covariance) if covariance.ndim == 2 else covariance


def _as_full_factor(factor, covariance_type, n_features):
    """A lower-triangular factor for any covariance type."""
    if covariance_type == "full":
        return factor
    return np.diag(np.broadcast_to(factor, n_features).astype(np.float64))
