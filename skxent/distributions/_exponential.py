"""Independent exponential variables fit by maximum likelihood."""

import numpy as np
from sklearn.utils.validation import validate_data

from skxent.distributions import _exponential_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, column_name

__all__ = ["ExponentialDistribution"]

_SUPPORT = "x >= 0 in every column"


class ExponentialDistribution(MLEDistribution):
    """Independent exponential variables, one per column, fit by maximum likelihood.

    Each column of ``X`` (waiting times, sizes, any non-negative quantity)
    is modelled as an independent exponential variable whose maximum
    likelihood scale is the weighted column mean: the model that minimizes
    the cross-entropy from the data.

    Attributes
    ----------
    scales_ : ndarray of shape (n_features_in_,)
        The scale (mean, the inverse of the rate) of each column, ``scale``
        in :data:`scipy.stats.expon`.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    GaussianDistribution : Multivariate normal distribution.
    PoissonDistribution : Independent counts, whose waiting times are
        exponential.
    scipy.stats.expon : The distribution with a given scale.

    Notes
    -----
    The density of :math:`x \\ge 0` under scale :math:`s` is

    .. math::

        p(x; s) = \\frac{1}{s} e^{-x / s}.

    With weights :math:`w_i` summing to :math:`W`, the fitted scales and the
    log-density of a row are

    .. math::

        s_j = \\frac{1}{W}\\sum_i w_i x_{ij}, \\qquad
        \\log p(x) = -\\sum_j \\log s_j + \\frac{x_j}{s_j},

    the latter one matrix-vector product with :math:`1/s`. These are the
    estimates of ``scipy.stats.expon.fit(x, floc=0)``. The sufficient
    statistics are :math:`W` and the weighted column sums, so
    ``partial_fit`` is exact. The model has one free parameter per column.

    Negative entries are refused by ``fit`` with a ``ValueError`` naming the
    column and the value; at score time they have density zero (``-inf``).
    A column that is zero on every row of positive weight has no maximum
    likelihood estimate (the likelihood grows without bound as the scale
    goes to zero), so ``fit`` refuses it with a ``ValueError`` naming the
    column.

    The entropy and the divergence have the closed forms

    .. math::

        H = \\sum_j 1 + \\log s_j, \\qquad
        D(p \\| q) = \\sum_j \\log\\frac{s_{qj}}{s_{pj}}
            + \\frac{s_{pj}}{s_{qj}} - 1;

    on its training data the model's ``score`` is exactly ``-entropy()``,
    as the mean of :math:`x_j / s_j` is one.

    References
    ----------
    .. [1] N. L. Johnson, S. Kotz and N. Balakrishnan, "Continuous
       Univariate Distributions", volume 1, 2nd edition, Wiley, 1994,
       chapter 19 (the exponential distribution).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import expon
    >>> from skxent import ExponentialDistribution
    >>> X = np.random.default_rng(0).exponential([1.0, 5.0], size=(200, 2))
    >>> model = ExponentialDistribution().fit(X)
    >>> bool(np.allclose(model.scales_, X.mean(axis=0)))
    True

    The scales are scipy's estimates with the location fixed at zero, and
    ``score_samples`` is scipy's log-density summed over the columns:

    >>> loc, scale = expon.fit(X[:, 1], floc=0)
    >>> bool(np.isclose(model.scales_[1], scale))
    True
    >>> reference = expon(scale=model.scales_).logpdf(X).sum(axis=1)
    >>> bool(np.allclose(model.score_samples(X), reference))
    True

    On the training data the score is minus the entropy:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="exponential",
        kind="continuous",
        support=_SUPPORT,
        parameters=("scales_",),
        statistics="weight sum, weighted sum of each column",
        entropy="closed form",
        scipy="scipy.stats.expon",
    )

    _parameter_constraints: dict = {**MLEDistribution._parameter_constraints}

    def __init__(self):
        pass

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def _validate_X(self, X, *, reset):
        # float32 is kept: the kernels read it in blocks, upcast one at a time.
        return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32])

    def _compute_statistics(self, X, sample_weight):
        statistics = _exponential_math.statistics(X, sample_weight)
        if statistics is None:
            check_in_support(self, X, X >= 0, _SUPPORT)
        return statistics

    def _parameters_from_statistics(self, statistics):
        scales, degenerate = _exponential_math.scales_from_statistics(statistics)
        if degenerate.size:
            j = int(degenerate[0])
            raise ValueError(
                f"{type(self).__name__} cannot fit {column_name(self, j)}: its "
                f"weighted mean is {float(scales[j])!r}, as it is zero on every "
                "row of positive weight (or below the smallest normal float), "
                "so the maximum likelihood scale would be 0 and there is no "
                "density. Drop or rescale the column."
            )
        return {"scales_": scales}

    def _log_likelihood(self, X):
        return _exponential_math.log_likelihood(X, self.scales_)

    def _entropy(self):
        return _exponential_math.entropy(self.scales_)

    def _kl_divergence(self, other):
        return _exponential_math.kl_divergence(self.scales_, other.scales_)

    def _n_parameters(self):
        return self.scales_.size

    def _sample(self, n_samples, random_state):
        return _exponential_math.sample(self.scales_, n_samples, random_state)
