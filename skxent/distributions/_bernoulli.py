"""Independent binary variables fit by maximum likelihood."""

from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import validate_data

from skxent.distributions import _bernoulli_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import column_name, mask_outside

__all__ = ["BernoulliDistribution"]


class BernoulliDistribution(MLEDistribution):
    """Independent Bernoulli variables, one per column, fit by maximum likelihood.

    Each column of ``X`` is binarized (values above ``binarize`` are ones) and
    modelled as an independent Bernoulli variable whose maximum likelihood
    estimate is the weighted frequency of ones: the model that minimizes the
    cross-entropy from the data. Dense arrays and scipy.sparse CSR/CSC
    matrices are accepted; sparse data are never densified.

    Parameters
    ----------
    alpha : float, default=0.0
        Additive (Laplace/Lidstone) smoothing: pseudo-counts added to both the
        ones and the zeros of every column, i.e. the posterior mode under a
        ``Beta(alpha + 1, alpha + 1)`` prior. ``alpha=0`` is the pure maximum
        likelihood estimate, which gives probability zero to a value never
        seen in a column.
    binarize : float or None, default=0.0
        Threshold for binarizing: values strictly greater are ones, as in
        :class:`sklearn.naive_bayes.BernoulliNB`. ``None`` means that ``X`` is
        already binary; any entry other than 0 or 1 then raises a
        ``ValueError``. Sparse input requires ``binarize >= 0`` (or ``None``)
        so that its implicit zeros stay zeros.

    Attributes
    ----------
    probabilities_ : ndarray of shape (n_features_in_,)
        Probability that each column is one.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    CategoricalDistribution : Independent categorical variables.
    sklearn.naive_bayes.BernoulliNB : The same model per class, as a
        classifier.

    Notes
    -----
    With :math:`x_{ij} \\in \\{0, 1\\}` the binarized data, :math:`w_i` the
    sample weights and :math:`W = \\sum_i w_i`, the fitted probabilities and
    the log-likelihood of a row are

    .. math::

        p_j = \\frac{\\sum_i w_i x_{ij} + \\alpha}{W + 2\\alpha}, \\qquad
        \\log p(x) = \\sum_j x_j \\log p_j + (1 - x_j) \\log(1 - p_j).

    The log-likelihood is computed as :math:`x \\cdot (\\log p - \\log(1 - p))
    + \\sum_j \\log(1 - p_j)`, one (sparse) matrix product, with ``log1p`` for
    :math:`\\log(1 - p_j)`. When :math:`p_j \\in \\{0, 1\\}` (``alpha=0``) it
    is ``-inf`` exactly for the rows that the model calls impossible, never
    nan. The sufficient statistics are :math:`W` and the weight of the ones
    of each column; the model has one free parameter per column, and its
    entropy and divergences are sums over columns of the binary ones.

    References
    ----------
    .. [1] C. D. Manning, P. Raghavan and H. Schuetze, "Introduction to
       Information Retrieval", Cambridge University Press, 2008, section 13.3
       (the Bernoulli model).

    Examples
    --------
    >>> import numpy as np
    >>> from skxent import BernoulliDistribution
    >>> X = np.array([[1, 0], [1, 1], [0, 0], [1, 0]])
    >>> model = BernoulliDistribution().fit(X)
    >>> model.probabilities_
    array([0.75, 0.25])

    The probabilities are the frequencies of ones, and the mean log-likelihood
    on the training data is minus the entropy of the fitted model:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="bernoulli",
        kind="discrete",
        support="0 or 1 in every column (after binarize)",
        parameters=("probabilities_",),
        statistics="weight sum, weighted count of ones per column",
        entropy="closed form",
        scipy="scipy.stats.bernoulli",
    )

    _parameter_constraints: dict = {
        **MLEDistribution._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="left")],
        "binarize": [Interval(Real, None, None, closed="neither"), None],
    }

    def __init__(self, *, alpha=0.0, binarize=0.0):
        self.alpha = alpha
        self.binarize = binarize

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def _validate_X(self, X, *, reset):
        """Validate X (dense, CSR or CSC) and check it can be binarized."""
        X = validate_data(
            self, X, reset=reset, accept_sparse=("csr", "csc"), dtype="numeric"
        )
        if self.binarize is not None and sp.issparse(X) and self.binarize < 0:
            raise ValueError(
                f"binarize={self.binarize} < 0 would turn every implicit zero of "
                "the sparse X into a one, i.e. densify it; use binarize >= 0 or "
                "dense input."
            )
        return X

    @property
    def _threshold(self):
        # Binary data are split at zero whether or not binarize is None.
        return 0.0 if self.binarize is None else float(self.binarize)

    def _compute_statistics(self, X, sample_weight):
        if self.binarize is None and not _bernoulli_math.check_binary(X):
            i, j, value = _bernoulli_math.first_non_binary(X)
            raise ValueError(
                f"With binarize=None, X must contain only 0 and 1; "
                f"{column_name(self, j)} has the value {value!r} (row {i}). Set "
                "binarize to a threshold to binarize X."
            )
        return _bernoulli_math.statistics(X, self._threshold, sample_weight)

    def _parameters_from_statistics(self, statistics):
        zero_one = _bernoulli_math.probabilities_from_statistics(statistics, self.alpha)
        return {
            "probabilities_": zero_one[:, 1],
            "_zero_probabilities_": zero_one[:, 0],
        }

    def _log_likelihood(self, X):
        log_likelihood = _bernoulli_math.log_likelihood(
            X, self._threshold, self.probabilities_, self._zero_probabilities_
        )
        if self.binarize is None:
            # Without a threshold the support is {0, 1}: other rows have
            # probability zero under the model.
            mask_outside(log_likelihood, _bernoulli_math.binary_rows(X))
        return log_likelihood

    def _entropy(self):
        return _bernoulli_math.entropy(self.probabilities_)

    def _kl_divergence(self, other):
        return _bernoulli_math.kl_divergence(self.probabilities_, other.probabilities_)

    def _n_parameters(self):
        return self.probabilities_.size

    def _sample(self, n_samples, random_state):
        uniform = random_state.uniform(size=(n_samples, self.n_features_in_))
        return (uniform < self.probabilities_).astype(np.float64)
