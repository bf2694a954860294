"""The log-normal distribution fit by maximum likelihood."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from skxent.distributions import _lognormal_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._gaussian import GaussianDistribution
from skxent.distributions._support import check_in_support

__all__ = ["LogNormalDistribution"]


class LogNormalDistribution(MLEDistribution):
    """Log-normal distribution fit by maximum likelihood.

    Positive data whose logarithm is multivariate normal. Maximum likelihood
    for ``x`` is maximum likelihood for ``log x`` (the Jacobian of the
    logarithm does not depend on the parameters), so the fitted parameters
    are those of :class:`GaussianDistribution` on ``log X``: the weighted
    mean and covariance of ``log x``, plus ``reg_covar`` on the diagonal.

    Parameters
    ----------
    covariance_type : {"full", "diag", "spherical"}, default="diag"
        Form of the covariance matrix of ``log x``:

        - ``"full"``: any symmetric positive definite matrix;
        - ``"diag"``: a diagonal matrix (independent log-normal columns,
          each the ``scipy.stats.lognorm`` of one column);
        - ``"spherical"``: a multiple of the identity (one variance of
          ``log x`` shared by every column).
    reg_covar : float, default=1e-6
        Non-negative number added to the diagonal of the covariance of
        ``log x``, so that singular data (a constant column, fewer samples
        than columns, collinear logarithms) give a proper, finite density.
        With ``reg_covar=0`` such data raise a ``ValueError``.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Mean of ``log x``; ``exp(mean_)`` is the median of each column.
    covariance_ : float or ndarray of shape (n_features,) or \
            (n_features, n_features)
        Covariance of ``log x``, laid out as in
        :class:`GaussianDistribution`: a matrix if ``covariance_type="full"``,
        the variances if ``"diag"``, and the common variance, a float, if
        ``"spherical"``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit. Defined only when ``X`` has feature
        names that are all strings.

    See Also
    --------
    GaussianDistribution : The normal distribution of ``log x``.
    GammaDistribution : Another family of positive data.
    scipy.stats.lognorm : One column, with ``s = sqrt(variance)`` and
        ``scale = exp(mean)``.

    Notes
    -----
    With :math:`\\mu` = ``mean_`` and :math:`\\Sigma` = ``covariance_``, the
    density of :math:`x \\in (0, \\infty)^d` is

    .. math::

        p(x) = \\frac{\\mathcal N(\\log x; \\mu, \\Sigma)}{\\prod_j x_j}
        = \\frac{1}{\\prod_j x_j \\sqrt{\\det(2\\pi\\Sigma)}}
          \\exp\\left(-\\tfrac12 (\\log x - \\mu)^T \\Sigma^{-1}
          (\\log x - \\mu)\\right),

    which for one column is ``scipy.stats.lognorm(s=sigma, scale=exp(mu))``
    [1]_. Every computation is the normal one on :math:`\\log x`
    (Cholesky factor, exact batch merges of the statistics, the
    ``reg_covar=0`` checks), plus the Jacobian :math:`-\\sum_j \\log x_j` of
    the log-density. The entropy is that of the normal plus
    :math:`\\sum_j \\mu_j`,

    .. math::

        H = \\tfrac12 \\log\\det(2\\pi e \\Sigma) + \\sum_j \\mu_j,

    and ``kl_divergence`` is the normal divergence between the two
    distributions of :math:`\\log x`, as a divergence does not change under
    a bijection of the data. With ``reg_covar=0`` the mean log-likelihood
    of the training data is exactly ``-entropy()``.

    The support is :math:`x > 0`: ``fit`` refuses zeros and negative values
    with a ``ValueError`` naming the column, and ``score_samples`` gives rows
    with such a value a log-likelihood of ``-inf``.

    References
    ----------
    .. [1] N. L. Johnson, S. Kotz and N. Balakrishnan, "Continuous Univariate
       Distributions", vol. 1, 2nd ed., Wiley, 1994, chapter 14.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skxent import LogNormalDistribution
    >>> X = np.random.default_rng(0).lognormal([0.0, 2.0], [0.5, 1.0], size=(500, 2))
    >>> model = LogNormalDistribution(reg_covar=0.0).fit(X)

    The parameters are the mean and variance of ``log x``, and the
    log-density is scipy's, summed over the columns:

    >>> bool(np.allclose(model.mean_, np.log(X).mean(axis=0)))
    True
    >>> columns = stats.lognorm(s=np.sqrt(model.covariance_), scale=np.exp(model.mean_))
    >>> bool(np.allclose(model.score_samples(X), columns.logpdf(X).sum(axis=1)))
    True

    The mean log-likelihood of the training data is minus the entropy:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="lognormal",
        kind="continuous",
        support="x > 0 in every column",
        parameters=("mean_", "covariance_"),
        statistics="weight sum, weighted mean and scatter of log x",
        entropy="closed form",
        scipy="scipy.stats.lognorm",
    )

    _parameter_constraints: dict = {
        **MLEDistribution._parameter_constraints,
        "covariance_type": [StrOptions({"full", "diag", "spherical"})],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(self, *, covariance_type="diag", reg_covar=1e-6):
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar

    def _validate_X(self, X, *, reset):
        # float32 is accepted as is: its logarithm is taken in float64.
        return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _log_gaussian(self):
        """The Gaussian estimator of ``log x``, configured as this model."""
        return GaussianDistribution(
            covariance_type=self.covariance_type, reg_covar=self.reg_covar
        )

    def _fitted_log_gaussian(self):
        """The fitted Gaussian distribution of ``log x``.

        This model's fitted attributes are the Gaussian's own (computed by
        its ``_parameters_from_statistics`` from the statistics of
        ``log x``), so copying them gives that Gaussian without a refit.
        """
        gaussian = self._log_gaussian()
        vars(gaussian).update(
            (name, value) for name, value in vars(self).items() if name.endswith("_")
        )
        return gaussian

    def _compute_statistics(self, X, sample_weight):
        # One reduction decides the common case; the elementwise mask that
        # names the offending entry is built only when there is one.
        if not X.min() > 0:
            check_in_support(self, X, X > 0, "x > 0")
        log_X = np.log(X, dtype=np.float64)
        return self._log_gaussian()._compute_statistics(log_X, sample_weight)

    def _parameters_from_statistics(self, statistics):
        return self._log_gaussian()._parameters_from_statistics(statistics)

    def _log_likelihood(self, X):
        log_X, log_jacobian, inside = _lognormal_math.log_data(X)
        log_density = self._fitted_log_gaussian()._log_likelihood(log_X)
        return _lognormal_math.log_likelihood(log_density, log_jacobian, inside)

    def _entropy(self):
        gaussian_entropy = self._fitted_log_gaussian()._entropy()
        return _lognormal_math.entropy(gaussian_entropy, self.mean_)

    def _kl_divergence(self, other):
        # Invariant under x -> log x: the divergence of the two normals.
        return self._fitted_log_gaussian()._kl_divergence(other._fitted_log_gaussian())

    def _n_parameters(self):
        return self._fitted_log_gaussian()._n_parameters()

    def _sample(self, n_samples, random_state):
        return np.exp(self._fitted_log_gaussian()._sample(n_samples, random_state))
