"""Independent gamma distributions fit by maximum likelihood."""

import numpy as np
from sklearn.utils.validation import validate_data

from skxent.distributions import _gamma_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, column_name

__all__ = ["GammaDistribution"]


class GammaDistribution(MLEDistribution):
    """Independent gamma distributions, one per column, fit by maximum likelihood.

    Each column of ``X`` is modelled as an independent gamma variable with
    its own shape and scale, the parameters of
    ``scipy.stats.gamma(a=shape, scale=scale)`` (location 0). The maximum
    likelihood estimate, i.e. the gamma distribution that minimizes the
    cross-entropy from the data, depends on the data only through the
    weighted means of ``x`` and ``log x``: the shape solves a digamma
    equation (by Newton's method) and the scale makes the mean right.

    Attributes
    ----------
    shapes_ : ndarray of shape (n_features_in_,)
        Shape ``a`` of each column.
    scales_ : ndarray of shape (n_features_in_,)
        Scale ``theta`` of each column; ``shapes_ * scales_`` is the weighted
        mean of the data.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    LogNormalDistribution : Another family of positive data, normal on the
        log scale.
    GaussianDistribution : Multivariate normal distribution.
    scipy.stats.gamma : The distribution with given parameters; its ``fit``
        with ``floc=0`` gives the same estimate for one column.

    Notes
    -----
    The density of one column, with shape :math:`a` and scale
    :math:`\\theta`, is

    .. math::

        p(x) = \\frac{x^{a - 1} e^{-x / \\theta}}{\\Gamma(a)\\, \\theta^a},
        \\qquad x > 0.

    For weights :math:`w_i` with sum :math:`W`, let
    :math:`\\bar x = \\frac1W \\sum_i w_i x_i` and
    :math:`s = \\log \\bar x - \\frac1W \\sum_i w_i \\log x_i`, which is
    :math:`\\ge 0` by Jensen's inequality. The likelihood equations are [1]_

    .. math::

        \\log a - \\psi(a) = s, \\qquad \\theta = \\bar x / a,

    with :math:`\\psi` the digamma function. The shape is found by Newton's
    method on the logarithm of the first equation in :math:`\\log a`, from
    Minka's closed-form approximation [2]_, to float precision in three to
    five steps. The sums are taken relative to a data value of each column,
    so that :math:`s` keeps its digits for data that vary little (from plain
    sums of :math:`x` and :math:`\\log x` it would lose them all for a
    coefficient of variation below 1e-8). The shape of such data is huge
    (about :math:`1 / (2 s)`), and the log-density, entropy and divergences
    are computed in forms around Stirling's formula that stay exact where
    the textbook formulas subtract numbers of size :math:`a \\log a`.

    The support is :math:`x > 0`: ``fit`` refuses zeros and negative values
    with a ``ValueError`` naming the column, and ``score_samples`` gives rows
    with such a value a log-likelihood of ``-inf`` (scipy's density is
    finite at 0 for shapes of at least 1, but a zero would put
    :math:`\\log 0` into the statistics). A column whose values
    are all equal (one row, say) has no maximum likelihood estimate, as the
    likelihood grows without bound with the shape: it raises a
    ``ValueError``, as does a column whose values differ only by rounding
    error. The same holds for the first batch given to ``partial_fit``.

    The model has two free parameters per column. The entropy and the
    Kullback-Leibler divergence are sums over columns of the closed forms

    .. math::

        H = a + \\log\\theta + \\log\\Gamma(a) + (1 - a)\\psi(a),

    .. math::

        D(p \\| q) = (a_p - a_q)\\psi(a_p) - \\log\\Gamma(a_p)
            + \\log\\Gamma(a_q) + a_q \\log\\frac{\\theta_q}{\\theta_p}
            + a_p \\frac{\\theta_p - \\theta_q}{\\theta_q}.

    As for every exponential family fit by maximum likelihood, the mean
    log-likelihood of the training data is exactly ``-entropy()``. For
    shapes well below 1 a fraction of the draws of ``sample`` lies below the
    smallest float64 and rounds to 0, a value outside the support.

    References
    ----------
    .. [1] N. L. Johnson, S. Kotz and N. Balakrishnan, "Continuous Univariate
       Distributions", vol. 1, 2nd ed., Wiley, 1994, chapter 17.
    .. [2] T. P. Minka, "Estimating a Gamma distribution", Microsoft Research
       technical report, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skxent import GammaDistribution
    >>> X = np.random.default_rng(0).gamma([2.0, 0.5], [3.0, 1.0], size=(1000, 2))
    >>> model = GammaDistribution().fit(X)
    >>> bool(np.allclose(model.shapes_, [2.0, 0.5], rtol=0.1))
    True

    The estimate of each column is scipy's with the location fixed at 0, and
    ``score_samples`` is scipy's log-density summed over the columns:

    >>> shape, _, scale = stats.gamma.fit(X[:, 0], floc=0)
    >>> bool(np.allclose([model.shapes_[0], model.scales_[0]], [shape, scale]))
    True
    >>> columns = stats.gamma(model.shapes_, scale=model.scales_)
    >>> bool(np.allclose(model.score_samples(X), columns.logpdf(X).sum(axis=1)))
    True

    The mean log-likelihood of the training data is minus the entropy:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="gamma",
        kind="continuous",
        support="x > 0 in every column",
        parameters=("shapes_", "scales_"),
        statistics=(
            "weight sum, weighted sums of x and log x per column (relative to "
            "a value of the column)"
        ),
        entropy="closed form",
        scipy="scipy.stats.gamma",
    )

    _parameter_constraints: dict = {**MLEDistribution._parameter_constraints}

    def __init__(self):
        pass

    def _validate_X(self, X, *, reset):
        # float32 is accepted as is: the kernels compute in float64.
        return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _compute_statistics(self, X, sample_weight):
        # One reduction decides the common case; the elementwise mask that
        # names the offending entry is built only when there is one.
        if not X.min() > 0:
            check_in_support(self, X, X > 0, "x > 0")
        return _gamma_math.statistics(X, sample_weight)

    def _parameters_from_statistics(self, statistics):
        log_ratio = _gamma_math.log_ratio_of_means(statistics)
        self._check_log_ratio(log_ratio, statistics)
        shapes = _gamma_math.shape_from_log_ratio(log_ratio)
        scales = _gamma_math.mean_from_statistics(statistics) / shapes
        return {"shapes_": shapes, "scales_": scales}

    def _check_log_ratio(self, log_ratio, statistics):
        """Refuse columns without a finite maximum likelihood estimate."""
        unbounded = np.flatnonzero(~np.isfinite(log_ratio))
        if unbounded.size:
            raise ValueError(
                f"GammaDistribution cannot fit {column_name(self, unbounded[0])}: "
                "its values span more than the float64 range (their ratios to "
                "the median overflow); rescale or log-transform it."
            )
        # log(mean x) - mean(log x) is 0 exactly for a constant column and
        # below the smallest normal float only through rounding error; its
        # maximum likelihood shape would be 1 / (2 s) >= 1e307.
        constant = np.flatnonzero(~(log_ratio >= np.finfo(np.float64).tiny))
        if constant.size:
            j = constant[0]
            raise ValueError(
                f"GammaDistribution needs at least two distinct values in each "
                f"column; {column_name(self, j)} is constant (to float64 "
                f"precision) at {statistics.reference[j].item()!r}. With a "
                "single distinct value (as always for n_samples=1) the "
                "likelihood grows without bound as the shape goes to infinity: "
                "there is no maximum likelihood estimate."
            )

    def _log_likelihood(self, X):
        return _gamma_math.log_likelihood(X, self.shapes_, self.scales_)

    def _entropy(self):
        return _gamma_math.entropy(self.shapes_, self.scales_)

    def _kl_divergence(self, other):
        return _gamma_math.kl_divergence(
            self.shapes_, self.scales_, other.shapes_, other.scales_
        )

    def _n_parameters(self):
        return 2 * self.shapes_.size

    def _sample(self, n_samples, random_state):
        return _gamma_math.sample(self.shapes_, self.scales_, n_samples, random_state)
