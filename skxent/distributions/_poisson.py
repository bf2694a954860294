"""Independent Poisson counts fit by maximum likelihood."""

import scipy.sparse as sp
from sklearn.utils.validation import validate_data

from skxent.distributions import _poisson_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, outside_support_error

__all__ = ["PoissonDistribution"]

_SUPPORT = "non-negative integers in every column"


class PoissonDistribution(MLEDistribution):
    """Independent Poisson counts, one per column, fit by maximum likelihood.

    Each column of ``X`` is modelled as an independent Poisson variable whose
    maximum likelihood rate is the weighted column mean: the model that
    minimizes the cross-entropy from the data. Dense arrays and scipy.sparse
    CSR/CSC matrices (word or event counts) are accepted; sparse data are
    never densified.

    Attributes
    ----------
    rates_ : ndarray of shape (n_features_in_,)
        The rate (mean) of each column, ``mu`` in :data:`scipy.stats.poisson`.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    BernoulliDistribution : Independent binary variables.
    CategoricalDistribution : Independent categorical variables, for counts
        with a small fixed range.
    scipy.stats.poisson : The distribution with a given rate.
    sklearn.linear_model.PoissonRegressor : Poisson rates that depend on
        covariates.

    Notes
    -----
    The probability mass of a count :math:`k \\ge 0` under rate
    :math:`\\mu` is

    .. math::

        p(k; \\mu) = e^{-\\mu} \\frac{\\mu^k}{k!}.

    With weights :math:`w_i` summing to :math:`W`, the fitted rates and the
    log-likelihood of a row are

    .. math::

        \\mu_j = \\frac{1}{W}\\sum_i w_i x_{ij}, \\qquad
        \\log p(x) = \\sum_j x_j \\log \\mu_j - \\mu_j - \\log \\Gamma(x_j + 1),

    computed as one (sparse) matrix-vector product with :math:`\\log \\mu`
    and ``gammaln`` of the entries (of the stored entries only, for sparse
    data). A column that is zero on every row of positive weight has rate
    0: a zero there has probability one, a positive count probability zero
    (``-inf``, never nan). The sufficient statistics are :math:`W` and the
    weighted column sums, so ``partial_fit`` is exact.

    Entries that are not non-negative integers (``2.5``, ``-1``) are refused
    by ``fit`` with a ``ValueError`` naming the column and the value; at
    score time they have probability zero. The model has one free parameter
    per column.

    The entropy has no closed form; it is the series
    :math:`-\\sum_k p_k \\log p_k` over the counts within ten standard
    deviations of the rate, where the omitted mass is below
    :math:`e^{-50}`, with each term computed in Loader's saddle-point form
    [1]_ so that it keeps all its digits for large rates; rates above
    :math:`10^4` use the asymptotic expansion
    :math:`\\frac12 \\log(2\\pi e\\mu) - \\frac{1}{12\\mu} - \\frac{1}{24\\mu^2}
    - \\frac{19}{360\\mu^3}` [2]_, exact there to float precision. The
    divergence has the closed form

    .. math::

        D(p \\| q) = \\sum_j \\mu_{pj} \\log\\frac{\\mu_{pj}}{\\mu_{qj}}
            - \\mu_{pj} + \\mu_{qj},

    ``+inf`` when a column has :math:`\\mu_{qj} = 0 < \\mu_{pj}`.

    ``sample`` returns float64 counts drawn with ``random_state.poisson``.

    References
    ----------
    .. [1] C. Loader, "Fast and accurate computation of binomial
       probabilities", 2000.
    .. [2] R. J. Evans, J. Boersma, N. M. Blachman and A. A. Jagers, "The
       entropy of a Poisson distribution: problem 87-6", SIAM Review 30(2),
       1988.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import poisson
    >>> from skxent import PoissonDistribution
    >>> X = np.array([[0, 3], [2, 4], [1, 5], [1, 4]])
    >>> model = PoissonDistribution().fit(X)
    >>> model.rates_
    array([1., 4.])

    The rates are the column means, and ``score_samples`` is scipy's log-pmf
    summed over the columns:

    >>> reference = poisson(model.rates_).logpmf(X).sum(axis=1)
    >>> bool(np.allclose(model.score_samples(X), reference))
    True

    The entropy matches scipy's, and the difference of two models' scores on
    the data the first was fit on is their Kullback-Leibler divergence:

    >>> bool(np.isclose(model.entropy(), poisson(model.rates_).entropy().sum()))
    True
    >>> other = PoissonDistribution().fit([[2, 2], [1, 3]])
    >>> bool(np.isclose(model.score(X) - other.score(X), model.kl_divergence(other)))
    True
    """

    _family = FamilyInfo(
        name="poisson",
        kind="discrete",
        support=_SUPPORT,
        parameters=("rates_",),
        statistics="weight sum, weighted sum of each column",
        entropy="series to float precision; KL in closed form",
        scipy="scipy.stats.poisson",
    )

    _parameter_constraints: dict = {**MLEDistribution._parameter_constraints}

    def __init__(self):
        pass

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        return tags

    def _validate_X(self, X, *, reset):
        return validate_data(
            self, X, reset=reset, accept_sparse=("csr", "csc"), dtype="numeric"
        )

    def _compute_statistics(self, X, sample_weight):
        statistics = _poisson_math.statistics(X, sample_weight)
        if statistics is None:
            self._raise_outside_support(X)
        return statistics

    def _raise_outside_support(self, X):
        """Name the first entry of X that is not a count."""
        if not sp.issparse(X):
            check_in_support(self, X, ~_poisson_math.outside_support(X), _SUPPORT)
        # The first offending stored entry of a sparse X: check_in_support
        # takes a dense mask of X's shape.
        i, j, value = _poisson_math.first_outside_entry(X)
        raise outside_support_error(self, _SUPPORT, i, j, value)

    def _parameters_from_statistics(self, statistics):
        return {"rates_": _poisson_math.rates_from_statistics(statistics)}

    def _log_likelihood(self, X):
        return _poisson_math.log_likelihood(X, self.rates_)

    def _entropy(self):
        return _poisson_math.entropy(self.rates_)

    def _kl_divergence(self, other):
        return _poisson_math.kl_divergence(self.rates_, other.rates_)

    def _n_parameters(self):
        return self.rates_.size

    def _sample(self, n_samples, random_state):
        return _poisson_math.sample(self.rates_, n_samples, random_state)
