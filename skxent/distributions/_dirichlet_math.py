"""Numerical kernels of the Dirichlet distribution, shared with the Beta.

A Dirichlet of concentration ``alpha`` (``K`` positive numbers) has the
density

    log p(x) = sum_k (alpha_k - 1) log x_k - log B(alpha),
    log B(alpha) = sum_k gammaln(alpha_k) - gammaln(alpha_0),

on the open simplex, with ``alpha_0 = sum_k alpha_k``. The Beta is the case
``K = 2`` with ``x = (x, 1 - x)``, so its maximum likelihood estimate,
entropy and divergence are the functions below applied to one problem per
column. Every function takes a stack of problems: ``alpha`` of shape
(n_problems, K) or (K,), reduced over the last axis.

The maximum likelihood estimate depends on the data only through the mean
logarithms ``ell_k = (1/W) sum_i w_i log x_ik`` (the sufficient statistics):
it solves ``psi(alpha_k) - psi(alpha_0) = ell_k`` for every ``k``, the
stationarity condition of the concave function

    F(alpha) = gammaln(alpha_0) - sum_k gammaln(alpha_k) + sum_k alpha_k ell_k,

the mean log-likelihood up to the constant ``-sum_k ell_k``.
"""

import warnings

import numpy as np
from scipy.special import digamma, gammaln, logsumexp, zeta
from sklearn.exceptions import ConvergenceWarning

from skxent._validation import SUM_RTOL
from skxent.distributions._statistics import WeightedSums

__all__ = [
    "column_sums",
    "concentration_from_mean_log",
    "degenerate",
    "entropy",
    "expected_log",
    "kl_divergence",
    "log_density",
    "log_normaliser",
    "sample",
    "simplex_rows",
    "statistics",
]

_EPS = np.finfo(np.float64).eps

#: Newton iterations allowed. From the start below the solver needs 2 to 10;
#: a start too far from the optimum costs one iteration per factor of 10
#: (going down) or of 2 (going up), and the statistics of float64 data bound
#: those factors by about 1e13.
MAX_ITER = 100

#: Halvings of a Newton step allowed before it is taken as it is.
_MAX_HALVINGS = 50

#: A step may move each ``alpha_k`` at most this fraction of the way to zero,
#: so that every iterate stays inside the domain (at most a factor 100 down).
_TO_BOUNDARY = 0.99

#: The solver stops when every equation ``psi(alpha_0) - psi(alpha_k) + ell_k
#: = 0`` holds to this many ulps of its terms: the iterate is then the exact
#: solution for statistics within rounding of the given ones.
_RESIDUAL_ULPS = 8.0

#: The gap ``-log sum_k exp(ell_k)`` is positive unless every row is the same
#: (Jensen's inequality); rounding the mean logarithms moves it by a few ulps
#: of their magnitude, so a gap within this many ulps is no evidence of
#: spread.
_GAP_ULPS = 64.0

#: Above this argument ``1/psi'(x) - x`` is summed from its asymptotic series,
#: accurate to 1e-15 there (the next term is below 1e-15 at x = 20); below,
#: the direct difference loses at most ``eps * 20``.
_SERIES_CUTOFF = 20.0

#: ``1/psi'(x) - x = sum_j c_j x^-j`` for large x, from the asymptotic series
#: ``psi'(x) = 1/x + 1/(2x^2) + sum_k B_2k / x^(2k+1)`` (Bernoulli numbers
#: B_2k) inverted term by term.
_RECIPROCAL_TRIGAMMA_SERIES = (
    -1.0 / 2.0,
    1.0 / 12.0,
    1.0 / 24.0,
    -1.0 / 720.0,
    -11.0 / 480.0,
    -113.0 / 12096.0,
    527.0 / 24192.0,
    79717.0 / 3628800.0,
    -34253.0 / 1036800.0,
    -28932091.0 / 479001600.0,
    8115997.0 / 106444800.0,
)

#: ``log x - 1/(2x) - psi(x) = sum_j B_2j / (2j x^2j)``: Stirling's series for
#: the digamma function; five terms reach 1e-17 at x = 20.
_DIGAMMA_REMAINDER_SERIES = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132)

#: ``gammaln(x) - (x - 1/2) log x + x - log(2 pi)/2 = sum_j B_2j / (2j (2j - 1)
#: x^(2j - 1))``: Stirling's series; five terms reach 1e-17 at x = 20.
_LOG_GAMMA_REMAINDER_SERIES = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188)


# -- data ----------------------------------------------------------------------


def simplex_rows(X):
    """Which rows of X lie on the open simplex, and the log of each row's sum.

    A row is on the simplex when its entries are positive and sum to 1
    within ``SUM_RTOL`` (1e-6), the tolerance skxent applies to every
    probability vector. A row accepted within the tolerance stands for the
    point ``x / sum(x)``, whose logarithms are ``log x_k - log sum(x)``.

    Returns
    -------
    inside : ndarray of bool of shape (n_samples,)
    log_sums : ndarray of shape (n_samples,)
        ``log sum_k x_k``; meaningless where ``inside`` is False.
    """
    # Row-wise reductions of a C-ordered array with few columns are an
    # order of magnitude slower in numpy than einsum or a flat minimum.
    sums = np.einsum("ij->i", X)
    inside = np.abs(sums - 1.0) <= SUM_RTOL
    if not X.min() > 0:
        inside &= X.min(axis=1) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return inside, np.log(sums)


def statistics(X, sample_weight, log_sums):
    """Weight sum and weighted sums of the log of each normalised component.

    Parameters
    ----------
    X : ndarray of shape (n_samples, K)
        Rows on the open simplex.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights in (0, 1], or None for unit weights.
    log_sums : ndarray of shape (n_samples,)
        ``log sum_k X_ik`` (zero up to the tolerance).

    Returns
    -------
    statistics : WeightedSums
        ``weight_sum`` and ``sums["log_x"]``, of shape (K,):
        ``sum_i w_i (log X_ik - log_sums_i)``.
    """
    log_x = column_sums(np.log(X), sample_weight)
    if sample_weight is None:
        sums = log_x - log_sums.sum()
        return WeightedSums(float(X.shape[0]), {"log_x": sums})
    sums = log_x - sample_weight @ log_sums
    return WeightedSums(float(sample_weight.sum()), {"log_x": sums})


def column_sums(values, sample_weight):
    """``sum_i w_i values_ij`` for each column, summed as deviations from a row.

    numpy (and einsum) add the rows of a C-ordered array one after the
    other, so the rounding error grows with the number of rows: for a
    million equal rows the mean is off by about 1e-11 relative, far more
    than the spread of nearly equal rows, on which the estimate depends
    (see :func:`degenerate`). The deviations from one row (of the largest
    weight) are exactly zero for equal rows and small for nearly equal ones,
    so their sum keeps its digits; the row times the weight sum is added
    back once. ``values`` is overwritten.
    """
    row = 0 if sample_weight is None else int(np.argmax(sample_weight))
    reference = values[row].copy()
    values -= reference
    if sample_weight is None:
        return np.einsum("ij->j", values) + values.shape[0] * reference
    weight_sum = float(sample_weight.sum())
    return np.einsum("i,ij->j", sample_weight, values) + weight_sum * reference


def log_density(X, alpha, log_sums):
    """Log-density of each row of X (rows off the simplex are the caller's)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        log_x = np.log(X)
    # einsum sums each row on its own, in one order, so a row's value does
    # not depend on the rows around it (a BLAS product's rounding may), and
    # for few columns it is several times faster than the BLAS call.
    log_kernel = np.einsum("ij,j->i", log_x, alpha - 1.0)
    return log_kernel - log_sums * (alpha.sum() - alpha.size) - log_normaliser(alpha)


# -- the distribution ------------------------------------------------------------


def log_normaliser(alpha):
    """``log B(alpha) = sum_k gammaln(alpha_k) - gammaln(alpha_0)``."""
    return gammaln(alpha).sum(axis=-1) - gammaln(alpha.sum(axis=-1))


def expected_log(alpha):
    """``E[log x_k] = psi(alpha_k) - psi(alpha_0)`` under each ``Dir(alpha)``."""
    return _expected_log_and_rounding(alpha)[0]


def _expected_log_and_rounding(alpha):
    """``psi(alpha_k) - psi(alpha_0)`` and the size of its rounding error.

    For large arguments the two digammas are about ``log alpha_k`` and
    ``log alpha_0``, and their difference (the mean log of a component,
    near zero for a dominant one) would keep only the digits left after
    cancelling their integer parts. With Stirling's remainder
    ``mu(x) = log x - 1/(2x) - psi(x)`` the difference is written as

        log(alpha_k / alpha_0) - r_k / (2 alpha_k alpha_0) - (mu(alpha_k) - mu(alpha_0))

    with ``r_k = alpha_0 - alpha_k`` the sum of the other components (summed
    directly, without a cancelling subtraction), and
    ``log(alpha_k / alpha_0) = log1p(-r_k / alpha_0)`` when the component
    dominates. Every term is then as accurate as the result.
    """
    alpha_0 = alpha.sum(axis=-1, keepdims=True)
    psi, psi_total = digamma(alpha), digamma(alpha_0)
    direct = psi - psi_total
    large = alpha >= _SERIES_CUTOFF
    if not large.any():
        return direct, np.abs(psi) + np.abs(psi_total)
    # The series is evaluated everywhere, on arguments clamped to its range,
    # and kept where it applies: cheaper than indexing for small problems.
    a = np.maximum(alpha, _SERIES_CUTOFF)
    others = _sums_of_the_others(alpha)
    total = a + others
    log_ratio = np.where(a > others, np.log1p(-others / total), np.log(a / total))
    series = (
        log_ratio
        - others / (2.0 * a * total)
        - (_digamma_remainder(a) - _digamma_remainder(total))
    )
    expected = np.where(large, series, direct)
    rounding = np.where(large, np.abs(series), np.abs(psi) + np.abs(psi_total))
    return expected, rounding


def _sums_of_the_others(alpha):
    """``sum_{j != k} alpha_j`` for each ``k``, from prefix and suffix sums."""
    zero = np.zeros_like(alpha[..., :1])
    before = np.concatenate([zero, np.cumsum(alpha[..., :-1], axis=-1)], axis=-1)
    reverse = alpha[..., ::-1]
    after = np.concatenate([zero, np.cumsum(reverse[..., :-1], axis=-1)], axis=-1)
    return before + after[..., ::-1]


def _digamma_remainder(x):
    """Stirling's remainder ``log x - 1/(2x) - psi(x)`` for ``x >= 20``."""
    inverse_square = 1.0 / (x * x)
    return _polynomial(inverse_square, _DIGAMMA_REMAINDER_SERIES) * inverse_square


def entropy(alpha):
    """Differential entropy of each Dirichlet, in nats.

    ``H = log B(alpha) + (alpha_0 - K) psi(alpha_0) - sum_k (alpha_k - 1)
    psi(alpha_k)``, as in ``scipy.stats.dirichlet``, regrouped as

        H = sum_k t(alpha_k) - t(alpha_0) - (K - 1) psi(alpha_0),
        t(x) = gammaln(x) - (x - 1) psi(x) + x

    (the added ``x`` cancel because ``alpha_0 = sum_k alpha_k``). Written
    out, the terms grow like ``alpha log alpha`` and cancel down to the
    ``log alpha`` of the result; each ``t(x)`` is about ``log(x)/2`` and is
    summed from Stirling's series for large ``x``, so that no digit is lost.
    """
    alpha_0 = alpha.sum(axis=-1)
    n_components = alpha.shape[-1]
    return (
        _entropy_term(alpha).sum(axis=-1)
        - _entropy_term(alpha_0)
        - (n_components - 1) * digamma(alpha_0)
    )


def _entropy_term(x):
    """``gammaln(x) - (x - 1) psi(x) + x``, accurate for every ``x > 0``.

    For ``x >= 20``, with Stirling's remainders ``lambda(x) = gammaln(x) -
    (x - 1/2) log x + x - log(2 pi)/2`` and ``mu(x) = log x - 1/(2x) -
    psi(x)``, it is ``log(x)/2 + (log(2 pi) + 1)/2 - 1/(2x) + lambda(x) +
    (x - 1) mu(x)``.
    """
    x = np.asarray(x, dtype=np.float64)
    # Each form is evaluated everywhere, on arguments clamped to its range,
    # and kept where it applies: cheaper than indexing for small problems.
    small = np.minimum(x, _SERIES_CUTOFF)
    direct = gammaln(small) - (small - 1.0) * digamma(small) + small
    large = np.maximum(x, _SERIES_CUTOFF)
    inverse = 1.0 / large
    log_gamma_remainder = (
        _polynomial(inverse * inverse, _LOG_GAMMA_REMAINDER_SERIES) * inverse
    )
    series = (
        0.5 * np.log(large)
        + 0.5 * (np.log(2.0 * np.pi) + 1.0)
        - 0.5 * inverse
        + log_gamma_remainder
        + (large - 1.0) * _digamma_remainder(large)
    )
    return np.where(x < _SERIES_CUTOFF, direct, series)


def kl_divergence(alpha, beta):
    """``D(Dir(alpha) || Dir(beta))`` of each pair, in nats.

    With ``E[log x_k] = psi(alpha_k) - psi(alpha_0)`` under ``Dir(alpha)``,

        D = log B(beta) - log B(alpha)
            + sum_k (alpha_k - beta_k) (psi(alpha_k) - psi(alpha_0)).

    Every term vanishes exactly when ``alpha == beta``; rounding alone can
    make a positive divergence negative, so the result is clipped at zero.
    The log-normalisers are of the size of ``alpha_0 log alpha_0`` and
    cancel: the absolute rounding error is a few ``eps * alpha_0 *
    log(alpha_0)``, negligible unless the concentrations are very large and
    the two models very close.
    """
    divergence = (
        log_normaliser(beta)
        - log_normaliser(alpha)
        + ((alpha - beta) * expected_log(alpha)).sum(axis=-1)
    )
    return np.maximum(divergence, 0.0)


def sample(alpha, n_samples, random_state):
    """``n_samples`` draws from ``Dir(alpha)``, computed in log space.

    A Dirichlet draw is a vector of independent ``Gamma(alpha_k)`` draws
    divided by its sum. For small ``alpha_k`` the gamma draws underflow to
    zero (and numpy's ``RandomState.dirichlet`` then returns 0/0 = nan), so
    each is drawn as its logarithm, ``log Gamma(alpha_k + 1) + log(U) /
    alpha_k`` with ``U`` uniform (Marsaglia and Tsang's boost), and the rows
    are normalised with ``logsumexp``.
    """
    shape = (n_samples, alpha.size)
    log_gamma = np.log(random_state.standard_gamma(alpha + 1.0, size=shape))
    # 1 - U is uniform on (0, 1], so its logarithm is finite.
    log_gamma += np.log1p(-random_state.uniform(size=shape)) / alpha
    return np.exp(log_gamma - logsumexp(log_gamma, axis=1, keepdims=True))


# -- maximum likelihood -------------------------------------------------------------


def degenerate(mean_log):
    """Which problems have no finite maximum likelihood estimate.

    By Jensen's inequality ``sum_k exp(ell_k) <= sum_k E[x_k] = 1``, with
    equality exactly when all the rows (of positive weight) are equal: then
    the likelihood grows without bound with the concentration. The gap
    ``-log sum_k exp(ell_k)`` measures the spread of the rows (the fitted
    ``alpha_0`` is about ``(K - 1) / (2 gap)``); a gap within rounding error
    of zero is treated as no spread at all.

    Parameters
    ----------
    mean_log : ndarray of shape (n_problems, K)
        Weighted means of the log components.

    Returns
    -------
    degenerate : ndarray of bool of shape (n_problems,)
    """
    gap = _gap(mean_log)
    tolerance = _GAP_ULPS * _EPS * (1.0 + np.abs(mean_log).max(axis=-1))
    return ~(gap > tolerance)


def _gap(mean_log):
    """``-log sum_k exp(ell_k)``, shifted by the largest ``ell_k``.

    Written out rather than with ``scipy.special.logsumexp``, whose
    overhead is larger than the whole computation for one problem.
    """
    largest = mean_log.max(axis=-1)
    shifted = np.exp(mean_log - largest[..., np.newaxis]).sum(axis=-1)
    return -(largest + np.log(shifted))


def concentration_from_mean_log(mean_log):
    """Maximum likelihood concentrations from the mean log components.

    Newton's method on the concave mean log-likelihood ``F`` (Minka [1]_):
    its Hessian is ``diag(-psi'(alpha)) + psi'(alpha_0) 1 1^T``, a diagonal
    plus a rank-one matrix, so each step costs O(K). Each step is shortened,
    if need be, to stay inside ``alpha > 0`` and to increase ``F``
    (backtracking); from the start below the full step is nearly always
    taken, and convergence is quadratic.

    Parameters
    ----------
    mean_log : ndarray of shape (n_problems, K)
        Weighted means of ``log x_k``, for problems that are not
        :func:`degenerate`.

    Returns
    -------
    alpha : ndarray of shape (n_problems, K)
        The maximizers, exact for statistics within a few ulps of
        ``mean_log``.

    References
    ----------
    .. [1] T. P. Minka, "Estimating a Dirichlet distribution", technical
       report, Microsoft Research, 2000 (revised 2012): the Newton iteration,
       its initialisation, and the inversion of the digamma function.
    """
    alpha = _start(mean_log)
    active = np.ones(alpha.shape[0], dtype=bool)
    for _ in range(MAX_ITER):
        gradient, converged = _gradient(alpha[active], mean_log[active])
        done = np.flatnonzero(active)[converged]
        alpha[done] = _last_step(alpha[done], gradient[converged])
        active[done] = False
        if not active.any():
            return alpha
        alpha[active] = _newton_update(
            alpha[active], mean_log[active], gradient[~converged]
        )
    warnings.warn(
        f"The Dirichlet maximum likelihood solver did not converge in {MAX_ITER} "
        "Newton iterations; the concentrations may be inaccurate.",
        ConvergenceWarning,
        stacklevel=3,
    )
    return alpha


def _start(mean_log):
    """A starting point from the statistics alone (Minka's approximations).

    With Stirling's approximation ``F`` along ``alpha = s m`` for a fixed
    mean ``m`` is ``(K - 1)/2 log s + s sum_k m_k (ell_k - log m_k)``; for
    ``m`` the normalised geometric mean ``exp(ell) / G`` its maximum is at
    ``s = (K - 1) / (2 gap)`` with ``gap = -log G``. That ``s`` is close for
    large concentrations but says little about the mean of small ones, so
    each ``alpha_k`` is then solved from its own equation
    ``psi(alpha_k) = psi(s) + ell_k`` (one step of Minka's fixed point).
    """
    n_components = mean_log.shape[-1]
    precision = (n_components - 1) / (2.0 * _gap(mean_log)[..., np.newaxis])
    return _inverse_digamma(digamma(precision) + mean_log)


def _gradient(alpha, mean_log):
    """``dF/dalpha`` and whether it is zero to rounding, for each problem."""
    expected, rounding = _expected_log_and_rounding(alpha)
    gradient = mean_log - expected
    tolerance = _RESIDUAL_ULPS * _EPS * (np.abs(mean_log) + rounding)
    converged = np.all(np.abs(gradient) <= tolerance, axis=-1)
    return gradient, converged


def _last_step(alpha, gradient):
    """One plain Newton step from a point where the equations hold to rounding.

    The stopping test allows a residual of a few ulps, which for large
    concentrations (a flat likelihood) is a relative error of a few
    ``eps * alpha_0`` in ``alpha``; one more step, tiny and always inside the
    domain, lands within the rounding of the gradient itself.
    """
    stepped = alpha + _newton_direction(alpha, gradient)
    inside = np.all(stepped > 0, axis=-1, keepdims=True)
    return np.where(inside, stepped, alpha)


def _newton_update(alpha, mean_log, gradient):
    """One safeguarded Newton step for each problem.

    The Newton direction ``-H^{-1} g`` for ``H = -diag(1/p) + z 1 1^T``
    (``p_k = 1/psi'(alpha_k)``, ``z = psi'(alpha_0)``) is, by the
    Sherman-Morrison formula, ``d_k = p_k (g_k + sum_j p_j g_j / D)`` with
    ``D = 1/z - sum_k p_k > 0``.
    """
    direction = _newton_direction(alpha, gradient)
    increase = (gradient * direction).sum(axis=-1)
    # The largest step keeping every alpha_k positive, less a margin.
    with np.errstate(divide="ignore"):
        room = np.where(direction < 0, alpha / -direction, np.inf).min(axis=-1)
    step = np.minimum(1.0, _TO_BOUNDARY * room)
    objective = _objective(alpha, mean_log)
    # Near the optimum the increase is below the rounding error of F itself,
    # and the step is taken without comparing values of F.
    flat = increase <= 4.0 * _objective_rounding(alpha, mean_log)
    for _ in range(_MAX_HALVINGS):
        trial = alpha + step[:, np.newaxis] * direction
        # Armijo's condition: at least 1e-4 of the increase that the
        # quadratic model promises for this step.
        enough = _objective(trial, mean_log) >= objective + 1e-4 * step * increase
        accepted = flat | enough
        if accepted.all():
            break
        step = np.where(accepted, step, 0.5 * step)
    return trial


def _newton_direction(alpha, gradient):
    """The Newton direction, with ``D`` computed without cancellation.

    Written out, ``D = 1/psi'(alpha_0) - sum_k 1/psi'(alpha_k)`` is a
    difference of numbers of the size of ``alpha_0`` (``1/psi'(x)`` is
    about ``x - 1/2``) whose result is about ``(K - 1)/2``: the curvature
    along the direction that scales ``alpha``. With ``c(x) = 1/psi'(x) - x``,
    an O(1) quantity, ``D = c(alpha_0) - sum_k c(alpha_k)`` exactly, and no
    digit is lost however large the concentrations.
    """
    alpha_0 = alpha.sum(axis=-1, keepdims=True)
    excess = _reciprocal_trigamma_excess(alpha)
    reciprocal = alpha + excess
    curvature = _reciprocal_trigamma_excess(alpha_0) - excess.sum(
        axis=-1, keepdims=True
    )
    shift = (reciprocal * gradient).sum(axis=-1, keepdims=True) / curvature
    return reciprocal * (gradient + shift)


def _reciprocal_trigamma_excess(x):
    """``1/psi'(x) - x``, accurate to about 1e-15 for every ``x > 0``."""
    small = np.minimum(x, _SERIES_CUTOFF)
    direct = 1.0 / _trigamma(small) - small
    inverse = 1.0 / np.maximum(x, _SERIES_CUTOFF)
    series = _polynomial(inverse, _RECIPROCAL_TRIGAMMA_SERIES)
    return np.where(x < _SERIES_CUTOFF, direct, series)


def _polynomial(x, coefficients):
    """``sum_j coefficients[j] x^j`` by Horner's scheme."""
    total = np.zeros_like(x)
    for coefficient in reversed(coefficients):
        total = total * x + coefficient
    return total


def _trigamma(x):
    """``psi'(x)``, as the Hurwitz zeta function ``zeta(2, x)``.

    ``scipy.special.polygamma(1, x)`` computes the same, through a Python
    wrapper whose overhead dominates for the solver's few arguments.
    """
    return zeta(2.0, x)


def _objective(alpha, mean_log):
    """``F(alpha)``: the mean log-likelihood plus ``sum_k ell_k``."""
    return -log_normaliser(alpha) + (alpha * mean_log).sum(axis=-1)


def _objective_rounding(alpha, mean_log):
    """A bound on the rounding error of ``_objective``: a few ulps per term."""
    return _EPS * (
        np.abs(gammaln(alpha.sum(axis=-1)))
        + np.abs(gammaln(alpha)).sum(axis=-1)
        + np.abs(alpha * mean_log).sum(axis=-1)
    )


def _inverse_digamma(y, n_iter=6):
    """The ``x > 0`` with ``psi(x) = y``, by Newton's method (as in Minka).

    The start ``exp(y) + 1/2`` (for ``y >= -2.22``) or ``-1/(y - psi(1))``
    follows the asymptotes of ``psi`` at infinity and at zero. As ``psi`` is
    increasing and concave, the iterates after the first approach the root
    from below, and five or six double the number of correct digits each
    time up to float precision.
    """
    x = np.where(
        y >= -2.22,
        np.exp(np.minimum(y, 700.0)) + 0.5,
        -1.0 / (np.minimum(y, -2.22) - digamma(1.0)),
    )
    for _ in range(n_iter):
        x = x - (digamma(x) - y) / _trigamma(x)
    return x
