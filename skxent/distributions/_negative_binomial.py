"""Independent negative binomial counts fit by maximum likelihood."""

import numpy as np
from sklearn.utils.validation import validate_data

from skxent.distributions import _negative_binomial_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, column_name

__all__ = ["NegativeBinomialDistribution"]

_SUPPORT = "non-negative integers in every column"


class NegativeBinomialDistribution(MLEDistribution):
    """Independent negative binomial counts, one per column, fit by maximum likelihood.

    Each column of ``X`` holds counts (non-negative integers, of any numeric
    dtype) modelled as an independent negative binomial variable: an
    over-dispersed Poisson, whose variance exceeds its mean. Parameters follow
    :data:`scipy.stats.nbinom`: ``n > 0`` (real, not only integer) and
    ``0 < p < 1``, with mean ``n (1 - p) / p``. The maximum likelihood
    estimate minimizes the cross-entropy from the data; it is computed from
    each column's weighted count histogram, so ``partial_fit`` is exact.

    Attributes
    ----------
    n_ : ndarray of shape (n_features_in_,)
        The size parameter ``n`` of each column (``1 / alpha`` in the NB2
        regression parametrisation, where ``alpha`` is the dispersion).
    p_ : ndarray of shape (n_features_in_,)
        The success probability ``p`` of each column.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    scipy.stats.nbinom : The distribution with given parameters.
    statsmodels.discrete.discrete_model.NegativeBinomial : The NB2
        regression; with an intercept only, the same maximum likelihood
        estimate.
    CategoricalDistribution : Independent categorical variables, for counts
        with few distinct values and no shape assumed.

    Notes
    -----
    The probability mass of a count :math:`k` is

    .. math::

        f(k) = \\frac{\\Gamma(k + n)}{\\Gamma(n)\\, k!}\\, p^n (1 - p)^k,
        \\qquad k = 0, 1, 2, \\dots

    For weights :math:`w_i` with sum :math:`W`, weighted mean :math:`\\mu`
    and weighted variance :math:`\\sigma^2` (divided by :math:`W`), the
    likelihood is maximized in :math:`p` by :math:`p = n / (n + \\mu)`, and
    :math:`n` solves the profile score equation [1]_

    .. math::

        \\sum_k f_k \\left[\\psi(k + n) - \\psi(n)\\right]
        + \\log\\frac{n}{n + \\mu} = 0,

    where :math:`f_k` is the weight fraction of the rows equal to :math:`k`,
    so each step of the solver costs one pass over the distinct values, not
    the rows. The equation has a unique root exactly when
    :math:`\\sigma^2 > \\mu` [2]_; it is bracketed from the method-of-moments
    estimate :math:`\\mu^2 / (\\sigma^2 - \\mu)` and solved by Brent's method
    to a relative tolerance of 4 ulps. For large :math:`n` the digamma and
    log-gamma differences are evaluated from their Stirling series, so
    nearly Poisson data (:math:`n` in the millions) keep full precision.

    When :math:`\\sigma^2 \\le \\mu` (under- or equi-dispersed counts, such
    as Poisson data half of the time, or a constant column) the likelihood
    increases without bound as :math:`n \\to \\infty`, towards the Poisson
    distribution of mean :math:`\\mu`, and has no maximum; a column of zeros
    has none either (:math:`p \\to 1`). Both raise a ``ValueError`` naming
    the column: fit such counts with ``PoissonDistribution``.

    The entropy and ``kl_divergence(other)`` (for which the supports
    coincide, so it is always finite) are series over the counts, summed
    outwards from the mode until a geometric bound on each tail, from the
    monotone ratio of successive masses, is below half an ulp of the sum.
    Their cost grows as :math:`(1 + \\sqrt{n(1 - p)})/p`, the spread of the
    distribution plus the scale of its geometric tail (about 50 ns a term);
    a series estimated to need more than :math:`2^{27}` terms (a standard
    deviation or a scale :math:`1/p` of a few millions) raises a
    ``ValueError`` rather than run for minutes. Values that are not
    non-negative integers raise a ``ValueError`` at fit and have
    log-likelihood ``-inf`` when scoring. The model has two free
    parameters per column.

    ``partial_fit`` merges the histograms exactly, but each call returns a
    fitted model, so a first batch (or first batches) without a maximum
    likelihood estimate of its own, such as a single row, is refused.

    References
    ----------
    .. [1] A. C. Cameron and P. K. Trivedi, "Regression Analysis of Count
       Data", 2nd edition, Cambridge University Press, 2013, chapter 3.
    .. [2] J. Aragon, D. Eberly and S. Eberly, "Existence and uniqueness of
       the maximum likelihood estimator for the two-parameter negative
       binomial distribution", Statistics & Probability Letters 15(5),
       1992.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import nbinom
    >>> from skxent import NegativeBinomialDistribution
    >>> X = nbinom(2.5, 0.3).rvs(size=(5000, 1), random_state=0)
    >>> model = NegativeBinomialDistribution().fit(X)
    >>> model.n_.round(2), model.p_.round(2)
    (array([2.53]), array([0.31]))

    At the maximum likelihood estimate the fitted mean is the sample mean,
    and the score is scipy's mean log-mass with these parameters:

    >>> fitted = nbinom(model.n_[0], model.p_[0])
    >>> bool(np.isclose(fitted.mean(), X.mean()))
    True
    >>> bool(np.isclose(model.score(X), fitted.logpmf(X).mean()))
    True
    >>> bool(np.isclose(model.entropy(), fitted.entropy()))
    True
    """

    _family = FamilyInfo(
        name="negative_binomial",
        kind="discrete",
        support=_SUPPORT,
        parameters=("n_", "p_"),
        statistics="weighted count histogram per column (distinct values, weights)",
        entropy="series to float precision",
        scipy="scipy.stats.nbinom",
    )

    _parameter_constraints: dict = {**MLEDistribution._parameter_constraints}

    def __init__(self):
        pass

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def _validate_X(self, X, *, reset):
        # Integer dtypes are kept: counts need no float copy to be counted.
        return validate_data(self, X, reset=reset, dtype="numeric")

    def _compute_statistics(self, X, sample_weight):
        try:
            return _negative_binomial_math.statistics(X, sample_weight)
        except _negative_binomial_math.NotCounts:
            self._check_counts(X)
            raise

    def _check_counts(self, X):
        """Raise a ValueError naming the first entry that is not a count."""
        negative = X < 0
        if negative.any():
            # scikit-learn's wording for estimators tagged positive_only,
            # followed by the column and the value.
            try:
                check_in_support(self, X, ~negative, _SUPPORT)
            except ValueError as exc:
                raise ValueError(
                    f"Negative values in data passed to {type(self).__name__}: {exc}"
                ) from None
        check_in_support(self, X, _negative_binomial_math.in_support(X), _SUPPORT)

    def _parameters_from_statistics(self, statistics):
        n, mean = [], []
        columns = zip(statistics.values, statistics.counts, strict=True)
        for j, (values, counts) in enumerate(columns):
            try:
                n_j, mean_j = _negative_binomial_math.solve_n(
                    values, counts, statistics.weight_sum
                )
            except _negative_binomial_math.NoFiniteMLE as exc:
                raise ValueError(
                    f"{type(self).__name__} cannot fit {column_name(self, j)}: "
                    f"{exc.reason}; {exc.advice}."
                ) from exc
            n.append(n_j)
            mean.append(mean_j)
        p, log_p, log1m_p = _negative_binomial_math.log_parameters(n, mean)
        return {
            "n_": np.asarray(n, dtype=np.float64),
            "p_": p,
            "_log_p_": log_p,
            "_log1m_p_": log1m_p,
        }

    def _log_likelihood(self, X):
        return _negative_binomial_math.log_likelihood(
            X, self.n_, self._log_p_, self._log1m_p_
        )

    def _entropy(self):
        return _negative_binomial_math.entropy(self.n_, self._log_p_, self._log1m_p_)

    def _kl_divergence(self, other):
        return _negative_binomial_math.kl_divergence(
            (self.n_, self._log_p_, self._log1m_p_),
            (other.n_, other._log_p_, other._log1m_p_),
        )

    def _n_parameters(self):
        return 2 * self.n_.size

    def _sample(self, n_samples, random_state):
        return _negative_binomial_math.sample(self.n_, self.p_, n_samples, random_state)
