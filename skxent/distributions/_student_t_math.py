"""Numerical kernels of the multivariate Student t distribution.

Pure functions on validated float64 input: the ECME fit of the location, the
scale matrix and the degrees of freedom, and the log-density, entropy and
sampling of a fitted model. The scale matrix ``S`` (scipy's ``shape``) is
handled through its lower Cholesky factor ``L`` (``L @ L.T = S``), never
through an explicit inverse.

The density's constant, the entropy and the degrees-of-freedom equation hold
differences of ``gammaln`` and ``digamma`` at arguments ``dof / 2`` and
``(dof + d) / 2``; for large ``dof`` these are differences of nearly equal
numbers (``gammaln(5e5)`` is 6e6 while the difference is ``log(5e5) / 2``),
so they are computed from their asymptotic series instead, which are exact to
float precision and free of cancellation: the density and the entropy tend
to the normal ones as ``dof`` grows, to the last digits.
"""

import functools
from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import brentq
from scipy.special import digamma, gammaln

from skxent.distributions import _gaussian_math

__all__ = [
    "DOF_BOUNDS",
    "StudentTFit",
    "digamma_difference",
    "entropy",
    "fit",
    "log_density",
    "log_gamma_ratio_excess",
    "n_parameters",
    "sample",
]

#: Range of the estimated degrees of freedom. Below 0.1 the model puts
#: mass beyond the float64 range: P(|T| > 1e308 * scale) is about
#: ``1e308 ** -dof``, 1e-31 at 0.1 but 0.5 at 1e-3, so such a model can
#: neither be sampled nor told apart from ties in the data (which drive
#: ``dof`` to the lower bound: see the estimator's Notes). Above 1e6 the t
#: log-density differs from the normal one by
#: ``(delta**2 - 2 d delta + d (d - 2)) / (4 dof)``, a few parts in a million
#: within a few scale units of the location, and its mean under the normal
#: is zero, so the cross-entropies differ by O(1 / dof**2): the bound is
#: where the model has become the normal one.
DOF_BOUNDS = (0.1, 1e6)

#: From this argument on, ``gammaln`` and ``digamma`` differences are taken
#: from their asymptotic series: at ``x = 20`` the first omitted term is
#: below 1e-17, and below it the direct differences lose at most a few ulps
#: of numbers no larger than ``gammaln(20 + d / 2)``.
_SERIES_FROM = 20.0

#: ``B_2k / (2k (2k - 1))`` (Stirling's series of ``gammaln``) and
#: ``B_2k / (2k)`` (the series of ``digamma``), k = 1..5.
_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188)
_DIGAMMA = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132)

#: First step of the bracket search for ``log(dof)``; near convergence the
#: root moves by much less, and Brent's method shrinks the bracket
#: superlinearly, so a wide first step costs about one evaluation.
_FIRST_STEP = 0.25

#: Once EM converges linearly, ``log(dof)`` moves by less each iteration
#: than the last: twice the previous move brackets the next root in one
#: evaluation. The floor keeps a stalled move from costing many doublings.
_MIN_STEP = 1e-6

#: Absolute tolerance on ``log(dof)``. The objective is flat at its maximum:
#: an error ``e`` in ``log(dof)`` costs ``F'' e^2 / 2``, below 1e-19 for
#: this ``e`` (``|F''|`` is at most of order ``d``), far under the rounding
#: of ``F`` itself, while the slope's own rounding (~1e-15) would make a
#: tighter tolerance chase noise.
_XTOL = 1e-10


@dataclass(frozen=True)
class StudentTFit:
    """The result of :func:`fit`.

    Attributes
    ----------
    mean : ndarray of shape (n_features,)
        Location.
    covariance : ndarray of shape (n_features, n_features)
        Scale matrix ``S``.
    factor : ndarray of shape (n_features, n_features)
        Its lower Cholesky factor.
    dof : float
        Degrees of freedom.
    n_iter : int
        Number of EM iterations run.
    converged : bool
        Whether the objective stopped increasing by ``tol`` or more.
    objective : float
        Mean log-likelihood minus ``reg_covar / 2 * trace(inv(S))``.
    """

    mean: np.ndarray
    covariance: np.ndarray
    factor: np.ndarray
    dof: float
    n_iter: int
    converged: bool
    objective: float


# -- special functions -----------------------------------------------------------


def log_gamma_ratio_excess(x, h):
    """``gammaln(x + h) - gammaln(x) - h log(x)``, accurate for every ``x > 0``.

    For large ``x`` Stirling's series gives

    .. math::

        \\log\\Gamma(x + h) - \\log\\Gamma(x) - h \\log x
        = (x + h - \\tfrac{1}{2})\\log(1 + h/x) - h
          + \\sum_k \\frac{B_{2k}}{2k(2k-1)}\\left[(x + h)^{1-2k} - x^{1-2k}\\right],

    where ``log1p`` keeps every digit of the first term; the result tends
    to ``h (h - 1) / (2 x)``.
    """
    if x < _SERIES_FROM:
        return float(gammaln(x + h) - gammaln(x) - h * np.log(x))
    series = sum(
        c * ((x + h) ** (1 - 2 * k) - x ** (1 - 2 * k))
        for k, c in enumerate(_STIRLING, start=1)
    )
    return float((x + h - 0.5) * np.log1p(h / x) - h + series)


def digamma_difference(x, h):
    """``digamma(x + h) - digamma(x)``, accurate for every ``x > 0``.

    For large ``x`` the asymptotic series of ``digamma`` gives

    .. math::

        \\psi(x + h) - \\psi(x) = \\log(1 + h/x)
            - \\frac{1}{2}\\left[\\frac{1}{x + h} - \\frac{1}{x}\\right]
            - \\sum_k \\frac{B_{2k}}{2k}\\left[(x + h)^{-2k} - x^{-2k}\\right],

    relatively exact where the direct difference keeps only the absolute
    precision of ``digamma(x)``.
    """
    if x < _SERIES_FROM:
        return float(digamma(x + h) - digamma(x))
    series = sum(
        c * ((x + h) ** (-2 * k) - x ** (-2 * k))
        for k, c in enumerate(_DIGAMMA, start=1)
    )
    return float(np.log1p(h / x) - 0.5 * (1 / (x + h) - 1 / x) - series)


def _log_normaliser(dof, n_features):
    """``gammaln((dof + d) / 2) - gammaln(dof / 2) - d / 2 log(dof pi)``.

    Written as the excess of the gamma ratio over ``(d / 2) log(dof / 2)``,
    which cancels the large part of ``d / 2 log(dof)`` exactly.
    """
    half = 0.5 * n_features
    excess = log_gamma_ratio_excess(0.5 * dof, half)
    return excess - half * np.log(2 * np.pi)


# -- the density -------------------------------------------------------------------


def _squared_distances(centred, factor):
    """Squared Mahalanobis norms ``||L^{-1} c_i||^2`` of the rows of ``centred``.

    ``inf`` (no warning) where a norm overflows.
    """
    # centred.T is Fortran-ordered, so LAPACK solves in place, without a
    # copy; every caller passes a temporary.
    standardized = solve_triangular(
        factor, centred.T, lower=True, overwrite_b=True, check_finite=False
    )
    return np.einsum("ij,ij->j", standardized, standardized)


def _log_det(factor):
    return 2.0 * np.log(np.diag(factor)).sum()


def log_density(X, mean, factor, dof):
    """Log-density of each row of ``X``, in nats.

    .. math::

        \\log p(x) = \\log\\frac{\\Gamma((\\nu + d)/2)}{\\Gamma(\\nu/2)
            (\\nu\\pi)^{d/2}} - \\frac{1}{2}\\log\\det S
            - \\frac{\\nu + d}{2}\\log\\left(1 + \\frac{\\delta}{\\nu}\\right),
        \\qquad \\delta = \\lVert L^{-1}(x - \\mu) \\rVert^2.
    """
    # Centre before solving: solving first would cancel catastrophically for
    # data far from the origin.
    distances = _squared_distances(np.subtract(X, mean, dtype=np.float64), factor)
    log_kernel = np.log1p(distances / dof)
    far = ~np.isfinite(distances)
    if np.any(far):
        log_kernel[far] = _far_log_kernel(X[far], mean, factor, dof)
    constant = _log_normaliser(dof, mean.shape[0]) - 0.5 * _log_det(factor)
    return constant - 0.5 * (dof + mean.shape[0]) * log_kernel


def _far_log_kernel(X, mean, factor, dof):
    """``log(1 + delta / nu)`` for rows whose ``delta`` overflows float64.

    Beyond about 1e154 scale units ``delta`` overflows while the
    log-density is still an ordinary number, about ``-(nu + d) log|x|``.
    Each row is divided by its largest entry ``s`` before the solve, and
    ``log(1 + delta / nu) = 2 log(s) + log(delta_s) - log(nu)`` to float
    precision there.
    """
    centred = X - mean
    scale = np.max(np.abs(centred), axis=1)
    distances = _squared_distances(centred / scale[:, np.newaxis], factor)
    return 2.0 * np.log(scale) + np.log(distances) - np.log(dof)


def entropy(factor, dof):
    """Differential entropy in nats.

    .. math::

        H = \\frac{d}{2}\\log 2\\pi + \\frac{1}{2}\\log\\det S
            + \\frac{\\nu + d}{2}\\left[\\psi\\left(\\frac{\\nu + d}{2}\\right)
            - \\psi\\left(\\frac{\\nu}{2}\\right)\\right]
            - \\log\\frac{\\Gamma((\\nu + d)/2)}{\\Gamma(\\nu/2)(\\nu/2)^{d/2}},

    the usual formula with ``d/2 log(nu pi)`` split so that each bracket is
    computed without cancellation; it tends to the normal entropy
    ``d/2 log(2 pi e) + 1/2 log det S`` as ``nu`` grows.
    """
    n_features = factor.shape[0]
    half = 0.5 * n_features
    tail = 0.5 * (dof + n_features) * digamma_difference(0.5 * dof, half)
    excess = log_gamma_ratio_excess(0.5 * dof, half)
    return half * np.log(2 * np.pi) + 0.5 * _log_det(factor) + tail - excess


def sample(mean, factor, dof, n_samples, random_state):
    """Draw ``mean + L z sqrt(dof / g)``, ``z`` standard normal, ``g ~ chi2(dof)``.

    ``g / 2`` is a Gamma(dof / 2) draw, taken in log space: for a shape
    ``a < 1``, ``log G_a = log G_{a+1} + log(U) / a`` with ``U`` uniform on
    (0, 1] (Marsaglia and Tsang's boosting), since a Gamma(a) draw with a
    small ``a`` underflows to zero where its logarithm is an ordinary number.
    A draw whose magnitude exceeds the float64 range (only for ``dof``
    well below 1) is ``inf`` with the sign of ``L z``.
    """
    noise = random_state.standard_normal(size=(n_samples, mean.shape[0]))
    shape = 0.5 * dof
    if shape < 1.0:
        uniform = 1.0 - random_state.random_sample(n_samples)
        log_gamma = (
            np.log(random_state.standard_gamma(shape + 1.0, size=n_samples))
            + np.log(uniform) / shape
        )
    else:
        log_gamma = np.log(random_state.standard_gamma(shape, size=n_samples))
    with np.errstate(over="ignore"):
        # sqrt(dof / g) with g = 2 G: the mixing scale of each row.
        scale = np.exp(0.5 * (np.log(shape) - log_gamma))
        return (noise @ factor.T) * scale[:, np.newaxis] + mean


def n_parameters(n_features, *, dof_estimated):
    """Free parameters: the location, the scale matrix and maybe ``dof``."""
    return n_features + n_features * (n_features + 1) // 2 + int(dof_estimated)


# -- the fit -----------------------------------------------------------------------


def fit(X, sample_weight, *, dof, reg_covar, max_iter, tol):
    """Maximum likelihood t distribution by ECME [1]_, accelerated by PX-EM [2]_.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite float64 data.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1] (zero weights removed by the caller), or None.
    dof : float or None
        Fixed degrees of freedom, or None to estimate them in
        :data:`DOF_BOUNDS`.
    reg_covar : float
        ``lambda`` in the penalty ``-lambda / 2 trace(S^{-1})`` of the mean
        log-likelihood.
    max_iter : int
        Maximum number of EM iterations.
    tol : float
        Stop when an iteration increases the objective by less than this
        (in nats per unit of weight).

    Returns
    -------
    result : StudentTFit

    Raises
    ------
    ValueError
        If the second moments overflow, or the scale matrix is singular to
        float precision (only possible with ``reg_covar=0``).

    Notes
    -----
    Each iteration computes the weights ``u_i = (nu + d) / (nu + delta_i)``
    (the E-step), then

    .. math::

        \\mu = \\frac{\\sum_i w_i u_i x_i}{\\sum_i w_i u_i}, \\quad
        S_* = \\frac{1}{W}\\sum_i w_i u_i (x_i - \\mu)(x_i - \\mu)^T
            + \\lambda I, \\quad S = S_* / \\alpha,

    with ``alpha`` the positive root of
    ``lambda tr(S_*^{-1}) alpha^2 + nu alpha - nu mean(u) = 0``, and finally
    maximises the actual mean log-likelihood in ``nu`` (a 1-D root of its
    derivative in ``log nu`` by Brent's method, started from the previous
    ``nu``). ``alpha`` is the M-step of the scale of the mixing variable in
    the parameter-expanded model of [2]_: with ``lambda = 0`` it is
    ``mean(u)``, giving Kent, Tyler and Vardi's update [3]_
    ``S = sum w u (x - mu)(x - mu)^T / sum w u``, which converges much faster
    than the plain EM for small ``nu``. Each step is a conditional
    maximisation of the expected complete-data objective (or of the
    objective itself, for ``nu``), so the penalised log-likelihood never
    decreases.

    References
    ----------
    .. [1] C. Liu and D. B. Rubin, "ML estimation of the t distribution using
       EM and its extensions, ECM and ECME", Statistica Sinica 5, 1995.
    .. [2] C. Liu, D. B. Rubin and Y. N. Wu, "Parameter expansion to
       accelerate EM: the PX-EM algorithm", Biometrika 85(4), 1998.
    .. [3] J. T. Kent, D. E. Tyler and Y. Vardi, "A curious likelihood
       identity for the multivariate t-distribution", Communications in
       Statistics - Simulation and Computation 23(2), 1994.
    """
    rows = _Rows.of(X, sample_weight)
    estimate_dof = dof is None
    mean, factor, dof = _start(rows, dof, reg_covar)
    rows.set_distances(mean, factor)
    step = _FIRST_STEP
    if estimate_dof:
        dof, step = _dof_update(rows, dof, step)
    objective = _objective(rows, factor, dof, reg_covar)
    n_iter, converged = 0, False
    while n_iter < max_iter and not converged:
        n_iter += 1
        mean, factor = _em_step(rows, dof, reg_covar)
        if estimate_dof:
            dof, step = _dof_update(rows, dof, step)
        previous = objective
        objective = _objective(rows, factor, dof, reg_covar)
        # An increase below tol, or a decrease by rounding at the optimum.
        converged = bool(objective - previous < tol)
    return StudentTFit(
        mean=mean,
        covariance=factor @ factor.T,
        factor=factor,
        dof=float(dof),
        n_iter=n_iter,
        converged=converged,
        objective=float(objective),
    )


@dataclass
class _Rows:
    """The weighted rows of a fit and the arrays every EM iteration reuses.

    A fresh array of ``n_samples`` entries costs page faults of the order of
    the arithmetic done on it, so each step works in these buffers instead.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features)
    weights : ndarray of shape (n_samples,) or None
        None for unit weights: sums then read one array instead of two.
    weight_sum : float
    distances : ndarray of shape (n_samples,)
        Squared Mahalanobis distances under the current parameters.
    precision, scratch : ndarray of shape (n_samples,)
    centred, weighted : ndarray of shape (n_samples, n_features)
    """

    X: np.ndarray
    weights: np.ndarray | None
    weight_sum: float
    distances: np.ndarray
    precision: np.ndarray
    scratch: np.ndarray
    centred: np.ndarray
    weighted: np.ndarray

    @classmethod
    def of(cls, X, sample_weight):
        if sample_weight is None:
            weight_sum = float(X.shape[0])
        else:
            weight_sum = float(sample_weight.sum())
        return cls(
            X=X,
            weights=sample_weight,
            weight_sum=weight_sum,
            distances=np.empty(X.shape[0]),
            precision=np.empty(X.shape[0]),
            scratch=np.empty(X.shape[0]),
            centred=np.empty_like(X),
            weighted=np.empty_like(X),
        )

    @property
    def n_features(self):
        return self.X.shape[1]

    def mean_of(self, values):
        """The weighted mean of one value per row."""
        if self.weights is None:
            return values.sum(axis=0) / self.weight_sum
        return (self.weights @ values) / self.weight_sum

    def weigh(self, values, out):
        """``w_i * values_i`` (rows of a 2-D ``values``) into ``out``.

        With unit weights, ``values`` itself.
        """
        if self.weights is None:
            return values
        weights = self.weights if values.ndim == 1 else self.weights[:, np.newaxis]
        return np.multiply(values, weights, out=out)

    def centre(self, mean):
        return np.subtract(self.X, mean, out=self.centred)

    def set_distances(self, mean, factor, *, centred=False):
        """Distances to ``mean`` under ``factor`` (``centred``: X - mean is
        already in the buffer), overwriting the centred rows."""
        if not centred:
            self.centre(mean)
        # centred.T is Fortran-ordered, so LAPACK solves in place.
        standardized = solve_triangular(
            factor, self.centred.T, lower=True, overwrite_b=True, check_finite=False
        )
        np.einsum("ij,ij->j", standardized, standardized, out=self.distances)


def _start(rows, dof, reg_covar):
    """The moment estimates the EM starts from: location, scale factor, dof.

    The location is the weighted mean; the scale matrix is the covariance
    times ``(nu - 2) / nu`` (the covariance of a t distribution is
    ``nu / (nu - 2)`` times its scale matrix, for ``nu > 2``), with ``nu``
    the fixed ``dof`` or the one matching Mardia's kurtosis.
    """
    mean, scatter = _weighted_moments(rows)
    covariance = _regularised(scatter, reg_covar)
    if dof is None:
        dof = _dof_from_kurtosis(rows, mean, covariance, reg_covar)
    if dof > 2:
        covariance = covariance * ((dof - 2) / dof)
    return mean, _factor(covariance, mean, reg_covar), dof


def _dof_update(rows, dof, step):
    """The ECME step for ``dof`` and the first step of the next search."""
    new = _dof_step(rows, dof, step)
    move = abs(np.log(new) - np.log(dof))
    return new, float(np.clip(2.0 * move, _MIN_STEP, _FIRST_STEP))


def _weighted_moments(rows):
    """Weighted mean and ``sum_i w_i (x_i - mean)(x_i - mean)^T / W``.

    Two passes (the mean, then the centred products), so that no large
    second moments are subtracted.
    """
    mean = rows.mean_of(rows.X)
    centred = rows.centre(mean)
    with np.errstate(over="ignore", invalid="ignore"):
        scatter = rows.weigh(centred, out=rows.weighted).T @ centred
    scatter /= rows.weight_sum
    if not np.all(np.isfinite(scatter)):
        raise ValueError(
            "The second moments of X overflow float64 (its largest magnitude is "
            f"{float(np.max(np.abs(rows.X))):.3g}); rescale X before fitting a "
            "t distribution."
        )
    return mean, scatter


def _regularised(scatter, reg_covar):
    scatter = scatter.copy()
    scatter.flat[:: scatter.shape[0] + 1] += reg_covar
    return scatter


def _factor(scale, mean, reg_covar):
    """Cholesky factor of the scale matrix, or a ValueError saying why not."""
    try:
        return _gaussian_math.cholesky_factor(
            scale, "full", mean, strict=reg_covar == 0
        )
    except np.linalg.LinAlgError as exc:
        advice = (
            "use reg_covar > 0"
            if reg_covar == 0
            else f"increase reg_covar (now {reg_covar!r})"
        )
        raise ValueError(
            f"The scale matrix is singular: {exc}. This happens with constant "
            "features, fewer samples than features, collinear features or "
            "many rows on a lower-dimensional subspace; "
            f"{advice} to fit a proper density."
        ) from exc


def _dof_from_kurtosis(rows, mean, covariance, reg_covar):
    """Degrees of freedom matching Mardia's kurtosis: a start for the fit.

    For a t distribution with ``nu > 4`` the mean squared Mahalanobis
    distance to the covariance is ``E[delta^2] = d (d + 2) (nu - 2) / (nu - 4)``;
    solving for ``nu`` gives ``4 + 2 / (kappa - 1)`` with ``kappa`` the
    kurtosis relative to the normal's ``d (d + 2)``. Tails no heavier than
    the normal's start at the upper bound.
    """
    rows.set_distances(mean, _factor(covariance, mean, reg_covar))
    d = rows.n_features
    kappa = rows.mean_of(np.square(rows.distances, out=rows.scratch)) / (d * (d + 2))
    if not kappa > 1 + 2 / (DOF_BOUNDS[1] - 4):
        return DOF_BOUNDS[1]
    return 4.0 + 2.0 / (kappa - 1.0)


def _em_step(rows, dof, reg_covar):
    """One E-step and the PX-EM update of the location and the scale.

    Updates ``rows.distances`` and returns the new mean and scale factor.
    """
    n_features = rows.n_features
    # u = (nu + d) / (nu + delta) is at most (nu + d) / nu, i.e. 1 + 10 d for
    # an estimated nu: a row at the location is the most trusted, not a pole.
    precision = np.add(rows.distances, dof, out=rows.precision)
    np.divide(dof + n_features, precision, out=precision)
    rows.weigh(precision, out=precision)
    precision_sum = float(precision.sum())
    mean = (precision @ rows.X) / precision_sum
    centred = rows.centre(mean)
    np.multiply(centred, precision[:, np.newaxis], out=rows.weighted)
    scatter = rows.weighted.T @ centred
    expanded = _regularised(scatter / rows.weight_sum, reg_covar)
    factor = _factor(expanded, mean, reg_covar)
    mean_precision = precision_sum / rows.weight_sum
    if reg_covar > 0:
        # alpha = 2 nu m / (nu + sqrt(nu^2 + 4 lambda T nu m)) with
        # T = tr(S_*^{-1}): the quadratic's positive root, rationalised so
        # that it loses no digits when lambda T is small.
        trace = _inverse_trace(factor)
        root = np.sqrt(dof * dof + 4 * reg_covar * trace * dof * mean_precision)
        alpha = 2 * dof * mean_precision / (dof + root)
    else:
        alpha = mean_precision
    factor = factor / np.sqrt(alpha)
    rows.set_distances(mean, factor, centred=True)
    return mean, factor


def _inverse_trace(factor):
    """``trace(S^{-1}) = ||L^{-1}||_F^2``."""
    inverse = solve_triangular(
        factor, np.eye(factor.shape[0]), lower=True, check_finite=False
    )
    return float(np.sum(inverse * inverse))


def _objective(rows, factor, dof, reg_covar):
    """Mean log-likelihood minus ``lambda / 2 trace(S^{-1})``."""
    n_features = rows.n_features
    log_kernel = np.divide(rows.distances, dof, out=rows.scratch)
    np.log1p(log_kernel, out=log_kernel)
    log_likelihood = (
        _log_normaliser(dof, n_features)
        - 0.5 * _log_det(factor)
        - 0.5 * (dof + n_features) * rows.mean_of(log_kernel)
    )
    if reg_covar == 0:
        return log_likelihood
    return log_likelihood - 0.5 * reg_covar * _inverse_trace(factor)


def _dof_slope(log_dof, rows):
    """``2 dF / d log(nu)``: positive where more degrees of freedom fit better.

    .. math::

        \\nu\\left[\\psi\\left(\\frac{\\nu + d}{2}\\right)
            - \\psi\\left(\\frac{\\nu}{2}\\right)\\right] - d
        + \\frac{1}{W}\\sum_i w_i \\left[\\frac{(\\nu + d)\\delta_i}{\\nu + \\delta_i}
            - \\nu \\log\\left(1 + \\frac{\\delta_i}{\\nu}\\right)\\right].

    Both parts are O(1/nu) for large ``nu``; the digamma difference is
    relatively exact (see :func:`digamma_difference`) and the sum is
    ``(d delta - delta^2 / 2) / nu`` to first order, a difference of two
    sums of order ``delta`` that keeps its sign up to the upper bound.
    """
    dof = float(np.exp(log_dof))
    d = rows.n_features
    prior = dof * digamma_difference(0.5 * dof, 0.5 * d) - d
    # Two reductions over one scratch array: this pass over the distances is
    # the cost of the whole degrees-of-freedom step.
    distances, scratch = rows.distances, rows.scratch
    np.add(distances, dof, out=scratch)
    np.divide(distances, scratch, out=scratch)
    shrunk = rows.mean_of(scratch)
    np.multiply(distances, 1.0 / dof, out=scratch)
    np.log1p(scratch, out=scratch)
    log_kernel = rows.mean_of(scratch)
    return prior + (dof + d) * shrunk - dof * log_kernel


def _dof_step(rows, dof, step=_FIRST_STEP):
    """The degrees of freedom maximising the log-likelihood, near ``dof``.

    The search starts at the current ``dof`` and walks uphill in
    ``log(nu)``, with steps doubling from ``step``, until the slope changes
    sign; Brent's method then finds the root to float precision. A bound is
    returned when the slope keeps its sign up to it. The new value is never
    worse than the current one, which keeps EM monotone even if the profile
    had several maxima.
    """
    lower, upper = np.log(DOF_BOUNDS)

    # Brent's method evaluates the bracket's ends again: remember them.
    @functools.cache
    def slope(log_dof):
        return _dof_slope(log_dof, rows)

    near = float(np.clip(np.log(dof), lower, upper))
    near_slope = slope(near)
    if near_slope == 0:
        return dof
    direction = 1.0 if near_slope > 0 else -1.0
    while True:
        far = float(np.clip(near + direction * step, lower, upper))
        if far == near:
            # Uphill all the way to a bound: return it exactly.
            return DOF_BOUNDS[int(direction > 0)]
        if (slope(far) > 0) != (near_slope > 0) or slope(far) == 0:
            root = brentq(slope, min(near, far), max(near, far), xtol=_XTOL)
            return float(np.exp(root))
        near, step = far, 2.0 * step
