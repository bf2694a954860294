"""The multinomial distribution of count vectors, fit by maximum likelihood."""

from numbers import Real

import scipy.sparse as sp
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import validate_data

from skxent.distributions import _multinomial_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, outside_support_error

__all__ = ["MultinomialDistribution"]

_SUPPORT = "non-negative integer counts"


class MultinomialDistribution(MLEDistribution):
    """Multinomial distribution of rows of counts, fit by maximum likelihood.

    Each row of ``X`` is a vector of counts (a bag of words: how often each
    of ``n_features`` categories occurred) and is modelled as ``N_i``
    independent draws from one categorical distribution ``p``, where ``N_i``
    is the row's own total. The maximum likelihood estimate of ``p`` is the
    weighted share of each column in all the counts: the model that
    minimizes the cross-entropy from the data. Dense arrays and scipy.sparse
    CSR/CSC matrices are accepted; sparse data are never densified.

    Parameters
    ----------
    alpha : float, default=0.0
        Additive (Laplace/Lidstone) smoothing added to the count of every
        column, exactly as in :class:`sklearn.naive_bayes.MultinomialNB`:
        the posterior mode under a symmetric ``Dirichlet(alpha + 1)`` prior.
        ``alpha=0`` is the pure maximum likelihood estimate, which gives
        probability zero to a column never seen in fit.

    Attributes
    ----------
    probabilities_ : ndarray of shape (n_features_in_,)
        Probability of each column (category) in one trial; sums to one.
    n_trials_ : int or None
        The number of trials of the model: the common total of the training
        rows (of positive weight), or None when their totals differ. The
        entropy, the Kullback-Leibler divergence and sampling are those of
        ``Multinomial(n_trials_, probabilities_)`` and need it (see Notes).
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    CategoricalDistribution : One categorical draw per column.
    BernoulliDistribution : Presence or absence of each column.
    sklearn.naive_bayes.MultinomialNB : The same model per class, as a
        classifier.
    scipy.stats.multinomial : The distribution with given parameters.

    Notes
    -----
    With :math:`x_{ij}` the counts, :math:`w_i` the sample weights,
    :math:`d` the number of columns and :math:`\\alpha` = ``alpha``, the
    fitted probabilities are

    .. math::

        p_j = \\frac{\\sum_i w_i x_{ij} + \\alpha}
            {\\sum_{i,k} w_i x_{ik} + \\alpha d},

    and the log-likelihood of a row of total :math:`n = \\sum_j x_j` is that
    of ``scipy.stats.multinomial(n, p)``, multinomial coefficient included,

    .. math::

        \\log p(x) = \\log n! - \\sum_j \\log x_j! + \\sum_j x_j \\log p_j,

    so ``predict_proba`` is a probability mass over count vectors of that
    total. The coefficient does not depend on :math:`p` (it leaves the
    estimate and naive Bayes posteriors unchanged) but makes the score a
    true log-probability. A count on a column of probability zero gives
    ``-inf`` (with ``0 \\log 0 = 0``); a row of zeros has log-probability 0.
    For sparse data the log-factorials are evaluated on the stored entries
    only. Rows with a negative or non-integer entry are refused by ``fit``
    (``ValueError`` naming the column and value) and have log-likelihood
    ``-inf`` at score time.

    **Entropy, divergence and sampling are for the training rows' common
    total.** The model is a distribution of each row given its total
    :math:`n`; it has no distribution of the totals themselves. When every
    training row (of positive weight) has the same total :math:`n`, that is
    ``n_trials_``, and

    - ``entropy()`` is the entropy of :math:`\\mathrm{Multinomial}(n, p)`
      (``scipy.stats.multinomial(n, p).entropy()``), the finite sum
      :math:`-\\log n! + \\sum_j E[\\log X_j!] - n \\sum_j p_j \\log p_j`
      over the binomial marginals :math:`X_j`, evaluated to float precision;
    - ``kl_divergence(other)`` is
      :math:`D(\\mathrm{Multinomial}(n, p) \\| \\mathrm{Multinomial}(n, q))
      = n D(p \\| q)`, the expected log-ratio of the two models'
      ``score_samples`` on rows of total :math:`n` (``other`` scores any
      row given its total, so its own training totals do not enter);
    - ``sample(k)`` draws ``k`` rows of :math:`n` trials each.

    When the training totals differ these three raise a ``ValueError``
    saying so: no single number of trials is the model's, and a per-trial
    or averaged answer would not be the entropy of the fitted model. The
    identity "score on the training data = ``-entropy()``" does not hold
    in general, even at ``alpha=0``: the mean log-coefficient of the
    training rows differs from its expectation under the model (it holds
    for one trial per row, i.e. one-hot rows).

    The sufficient statistics are :math:`\\sum_i w_i`, the weighted count
    of each column and the smallest and largest row total, so
    ``partial_fit`` is exact. The model has :math:`d - 1` free parameters.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schuetze, "Introduction to
       Information Retrieval", Cambridge University Press, 2008, section 13.2
       (the multinomial model).
    .. [2] N. L. Johnson, S. Kotz and N. Balakrishnan, "Discrete Multivariate
       Distributions", Wiley, 1997, chapter 35 (the multinomial
       distribution).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import multinomial
    >>> from skxent import MultinomialDistribution
    >>> X = np.array([[2, 1, 0], [1, 1, 1], [3, 0, 0], [0, 2, 1]])
    >>> model = MultinomialDistribution().fit(X)
    >>> model.probabilities_
    array([0.5       , 0.33333333, 0.16666667])

    The probabilities are each column's share of all the counts, and a row's
    log-likelihood is scipy's multinomial log-pmf for the row's total:

    >>> model.n_trials_
    3
    >>> reference = multinomial(3, model.probabilities_)
    >>> bool(np.allclose(model.score_samples(X), reference.logpmf(X)))
    True
    >>> bool(np.isclose(model.entropy(), reference.entropy()))
    True

    Sparse bags of words are accepted as they are:

    >>> from scipy.sparse import csr_matrix
    >>> sparse = MultinomialDistribution().fit(csr_matrix(X))
    >>> bool(np.allclose(sparse.probabilities_, model.probabilities_))
    True
    """

    _family = FamilyInfo(
        name="multinomial",
        kind="discrete",
        support="rows of non-negative integer counts",
        parameters=("probabilities_",),
        statistics="weight sum, weighted count per column, range of row totals",
        entropy="finite sum to float precision, for the rows' common total",
        scipy="scipy.stats.multinomial",
        conditional="a distribution of each row given its total, not of the row",
    )

    _parameter_constraints: dict = {
        **MLEDistribution._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, alpha=0.0):
        self.alpha = alpha

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        return tags

    def _validate_X(self, X, *, reset):
        """Validate X (dense, CSR or CSC; any numeric dtype)."""
        return validate_data(
            self, X, reset=reset, accept_sparse=("csr", "csc"), dtype="numeric"
        )

    def _check_counts(self, X):
        """Raise if an entry of X is not a count, naming its column and value."""
        if _multinomial_math.all_counts(X):
            return
        if sp.issparse(X):
            # The first offending stored entry: check_in_support takes a
            # dense mask of X's shape.
            i, j, value = _multinomial_math.first_outside(X)
            raise outside_support_error(self, _SUPPORT, i, j, value)
        check_in_support(self, X, _multinomial_math.inside_entries(X), _SUPPORT)

    def _compute_statistics(self, X, sample_weight):
        self._check_counts(X)
        return _multinomial_math.statistics(X, sample_weight)

    def _parameters_from_statistics(self, statistics):
        probabilities = _multinomial_math.probabilities_from_statistics(
            statistics, self.alpha
        )
        common = statistics.min_total == statistics.max_total
        return {
            "probabilities_": probabilities,
            "n_trials_": int(statistics.min_total) if common else None,
        }

    def _log_likelihood(self, X):
        return _multinomial_math.log_likelihood(X, self.probabilities_)

    def _common_n_trials(self, what):
        """``n_trials_``, or a ValueError saying why ``what`` needs it."""
        if self.n_trials_ is not None:
            return self.n_trials_
        statistics = self._statistics
        raise ValueError(
            f"{what} of a {type(self).__name__} is that of the training rows' "
            "common total, but their totals range from "
            f"{statistics.min_total:g} to {statistics.max_total:g}: the model "
            "gives each row a distribution given its total and has no "
            "distribution of the totals. Fit on rows of one total to use "
            "entropy, kl_divergence and sample."
        )

    def _entropy(self):
        n_trials = self._common_n_trials("The entropy")
        return _multinomial_math.entropy(n_trials, self.probabilities_)

    def _kl_divergence(self, other):
        n_trials = self._common_n_trials("The Kullback-Leibler divergence")
        return _multinomial_math.kl_divergence(
            n_trials, self.probabilities_, other.probabilities_
        )

    def _n_parameters(self):
        return self.probabilities_.size - 1

    def _sample(self, n_samples, random_state):
        n_trials = self._common_n_trials("Sampling")
        return _multinomial_math.sample(
            n_trials, self.probabilities_, n_samples, random_state
        )
