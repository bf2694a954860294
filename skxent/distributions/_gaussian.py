"""The multivariate normal distribution fit by maximum likelihood."""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from skxent.distributions import _gaussian_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo

__all__ = ["GaussianDistribution"]

#: The covariance type of a fitted model, read off the layout of covariance_
#: so that changing the ``covariance_type`` parameter after fit cannot make
#: the parameters and their interpretation disagree.
_COVARIANCE_TYPE_OF_NDIM = {0: "spherical", 1: "diag", 2: "full"}


class GaussianDistribution(MLEDistribution):
    """Multivariate normal distribution fit by maximum likelihood.

    The mean is the weighted sample mean and the covariance the weighted
    sample covariance (divided by the sum of the weights, not ``n - 1``), plus
    ``reg_covar`` on its diagonal. Minimizing the cross-entropy between the
    data and a normal distribution gives exactly these parameters, so
    ``score`` is the negative cross-entropy in nats.

    Parameters
    ----------
    covariance_type : {"full", "diag", "spherical"}, default="full"
        Form of the covariance matrix:

        - ``"full"``: any symmetric positive definite matrix;
        - ``"diag"``: a diagonal matrix (independent features);
        - ``"spherical"``: a multiple of the identity (one variance shared
          by every feature).
    reg_covar : float, default=1e-6
        Non-negative number added to the diagonal of the covariance, so that
        singular data (a constant feature, fewer samples than features,
        collinear features) give a proper, finite density. With
        ``reg_covar=0`` such data raise a ``ValueError``.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Mean of the distribution.
    covariance_ : float or ndarray of shape (n_features,) or \
            (n_features, n_features)
        Covariance, laid out as in :class:`sklearn.mixture.GaussianMixture`
        for one component: a matrix of shape (n_features, n_features) if
        ``covariance_type="full"``, the variances, of shape (n_features,), if
        ``"diag"``, and the common variance, a float, if ``"spherical"``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit. Defined only when ``X`` has feature
        names that are all strings.

    See Also
    --------
    sklearn.mixture.GaussianMixture : Mixture of normal distributions fit by
        expectation-maximization; with one component, the same model.
    sklearn.covariance.EmpiricalCovariance : The maximum likelihood
        covariance alone.
    scipy.stats.multivariate_normal : The distribution with given parameters.
    CategoricalDistribution : Independent categorical variables.
    BernoulliDistribution : Independent binary variables.

    Notes
    -----
    For weights :math:`w_i` with sum :math:`W`, the fitted parameters are [1]_

    .. math::

        \\mu = \\frac{1}{W}\\sum_i w_i x_i, \\qquad
        \\Sigma = \\frac{1}{W}\\sum_i w_i (x_i - \\mu)(x_i - \\mu)^T
            + \\lambda I,

    with :math:`\\lambda` = ``reg_covar`` (only the diagonal of :math:`\\Sigma`
    is kept for ``"diag"``, and its mean for ``"spherical"``). With
    :math:`\\Sigma = L L^T` (Cholesky), the log-density is

    .. math::

        \\log p(x) = -\\frac{1}{2}\\left(d \\log 2\\pi + 2\\sum_j \\log L_{jj}
            + \\lVert L^{-1}(x - \\mu) \\rVert^2\\right),

    computed by a triangular solve rather than an inverse. The entropy is
    :math:`H = \\frac{1}{2}\\log\\det(2\\pi e\\Sigma)`. With ``reg_covar=0``
    the mean squared Mahalanobis distance of the training data is exactly
    :math:`d`, so the training ``score`` equals ``-entropy()``: the
    cross-entropy of the data with its maximum likelihood normal is that
    normal's entropy.

    ``kl_divergence(other)`` is the closed form

    .. math::

        D(p \\| q) = \\frac{1}{2}\\left[\\operatorname{tr}(\\Sigma_q^{-1}\\Sigma_p)
            + (\\mu_q - \\mu_p)^T \\Sigma_q^{-1} (\\mu_q - \\mu_p) - d
            + \\log\\frac{\\det\\Sigma_q}{\\det\\Sigma_p}\\right];

    the two models may have different covariance types.

    ``fit`` keeps the weight sum, the mean and the scatter about the mean as
    sufficient statistics; ``partial_fit`` merges them with the parallel
    update of Chan, Golub and LeVeque [2]_, which never subtracts large
    second moments, so any split into batches gives the model of one ``fit``
    to float precision. All computations are in float64, whatever the dtype
    of ``X``.

    With ``reg_covar=0`` the covariance is treated as singular when a
    variance is within rounding error of zero (a standard deviation below 8
    ulps of the feature's mean) or a Cholesky pivot (the variance of a
    feature left unexplained by the previous ones) is below
    ``1e4 * n_features * eps`` times the feature's variance: such a matrix is
    positive definite only through rounding error. With ``reg_covar > 0`` the
    covariance is positive definite by construction and only a failed
    factorisation (``reg_covar`` negligible next to the scale of the data)
    raises.

    References
    ----------
    .. [1] C. M. Bishop, "Pattern Recognition and Machine Learning",
       Springer, 2006, Section 2.3.4 (maximum likelihood for the Gaussian).
    .. [2] T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a
       pairwise algorithm for computing sample variances", Technical report
       STAN-CS-79-773, Stanford University, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import multivariate_normal
    >>> from skxent import GaussianDistribution
    >>> X = np.random.RandomState(0).normal(size=(500, 3))
    >>> model = GaussianDistribution().fit(X)
    >>> model.mean_.shape, model.covariance_.shape
    ((3,), (3, 3))

    The score is the mean log-density of scipy's normal with these parameters:

    >>> reference = multivariate_normal(model.mean_, model.covariance_)
    >>> bool(np.isclose(model.score(X), reference.logpdf(X).mean()))
    True

    The entropy is :math:`\\frac{1}{2}\\log\\det(2\\pi e\\Sigma)`:

    >>> _, log_det = np.linalg.slogdet(2 * np.pi * np.e * model.covariance_)
    >>> bool(np.isclose(model.entropy(), 0.5 * log_det))
    True

    Without regularisation the training score is minus the entropy:

    >>> mle = GaussianDistribution(reg_covar=0.0).fit(X)
    >>> bool(np.isclose(mle.score(X), -mle.entropy()))
    True
    """

    _family = FamilyInfo(
        name="gaussian",
        kind="continuous",
        support="real vectors",
        parameters=("mean_", "covariance_"),
        statistics="weight sum, weighted mean, weighted scatter about the mean",
        entropy="closed form",
        scipy="scipy.stats.multivariate_normal",
    )

    _parameter_constraints: dict = {
        **MLEDistribution._parameter_constraints,
        "covariance_type": [StrOptions({"full", "diag", "spherical"})],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
    }

    def __init__(self, *, covariance_type="full", reg_covar=1e-6):
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar

    def _validate_X(self, X, *, reset):
        # float32 is accepted as is: the kernels upcast while centring, so
        # float32 data never get a float64 copy besides the centred one.
        return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _compute_statistics(self, X, sample_weight):
        diagonal = self.covariance_type != "full"
        return _gaussian_math.statistics(X, sample_weight, diagonal=diagonal)

    def _parameters_from_statistics(self, statistics):
        covariance = _gaussian_math.covariance_from_statistics(
            statistics, self.covariance_type, self.reg_covar
        )
        try:
            factor = _gaussian_math.cholesky_factor(
                covariance,
                self.covariance_type,
                statistics.mean,
                strict=self.reg_covar == 0,
            )
        except np.linalg.LinAlgError as exc:
            advice = (
                "use reg_covar > 0"
                if self.reg_covar == 0
                else f"increase reg_covar (now {self.reg_covar!r})"
            )
            raise ValueError(
                f"The covariance matrix is singular: {exc}. This happens with "
                "constant features, fewer samples than features or collinear "
                f"features; {advice} to fit a proper density."
            ) from exc
        return {
            "mean_": statistics.mean,
            "covariance_": covariance,
            "_covariance_factor_": factor,
        }

    @property
    def _fitted_covariance_type(self):
        return _COVARIANCE_TYPE_OF_NDIM[np.ndim(self.covariance_)]

    def _log_likelihood(self, X):
        return _gaussian_math.log_density(
            X, self.mean_, self._covariance_factor_, self._fitted_covariance_type
        )

    def _entropy(self):
        return _gaussian_math.entropy(
            self._covariance_factor_,
            self._fitted_covariance_type,
            self.n_features_in_,
        )

    def _kl_divergence(self, other):
        return _gaussian_math.kl_divergence(
            self.mean_,
            self._covariance_factor_,
            self._fitted_covariance_type,
            other.mean_,
            other._covariance_factor_,
            other._fitted_covariance_type,
        )

    def _n_parameters(self):
        return _gaussian_math.n_parameters(
            self._fitted_covariance_type, self.n_features_in_
        )

    def _sample(self, n_samples, random_state):
        return _gaussian_math.sample(
            self.mean_,
            self._covariance_factor_,
            self._fitted_covariance_type,
            n_samples,
            random_state,
        )
