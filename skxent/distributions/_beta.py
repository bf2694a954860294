"""Independent Beta variables fit by maximum likelihood."""

import numpy as np
from sklearn.utils.validation import validate_data

from skxent.distributions import _beta_math, _dirichlet_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import (
    check_in_support,
    column_name,
    mask_outside,
)

__all__ = ["BetaDistribution"]

_SUPPORT = "0 < x < 1 in every column"


class BetaDistribution(MLEDistribution):
    """Independent Beta variables, one per column, fit by maximum likelihood.

    Each column of ``X`` holds values in the open interval (0, 1), such as
    proportions, rates or probabilities, and is modelled as an independent
    Beta variable. The maximum likelihood shapes are found by Newton's
    method on the mean log-likelihood, i.e. by minimizing the cross-entropy
    from the data to the model, so ``score`` is the negative cross-entropy
    in nats.

    Attributes
    ----------
    a_ : ndarray of shape (n_features_in_,)
        First shape parameter of each column (``a`` of ``scipy.stats.beta``).
    b_ : ndarray of shape (n_features_in_,)
        Second shape parameter of each column (``b`` of ``scipy.stats.beta``).
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    DirichletDistribution : Rows of proportions summing to one; with two
        components, a Beta on the first.
    BernoulliDistribution : Independent binary variables.
    scipy.stats.beta : The distribution with given shapes.

    Notes
    -----
    With :math:`B(a, b) = \\Gamma(a)\\Gamma(b)/\\Gamma(a + b)`, the density of
    a column is

    .. math::

        p(x) = \\frac{x^{a - 1} (1 - x)^{b - 1}}{B(a, b)}, \\qquad 0 < x < 1,

    and the log-density of a row is the sum over its columns, computed with
    ``log1p(-x)`` for :math:`\\log(1 - x)`. Values 0 and 1 are outside the
    support whatever the shapes: ``fit`` refuses them, naming the column,
    and ``score_samples`` gives their rows ``-inf``.

    The sufficient statistics of a column are the weight sum :math:`W` and
    the weighted sums of :math:`\\log x` and :math:`\\log(1 - x)`. The
    maximum likelihood shapes solve

    .. math::

        \\psi(a) - \\psi(a + b) = \\frac{1}{W}\\sum_i w_i \\log x_i, \\qquad
        \\psi(b) - \\psi(a + b) = \\frac{1}{W}\\sum_i w_i \\log(1 - x_i),

    the equations of a Dirichlet with two components on :math:`(x, 1 - x)`,
    solved by the Dirichlet's Newton iteration (see
    :class:`DirichletDistribution`) for all columns at once, to a few ulps.
    These are the equations that ``scipy.stats.beta.fit(x, floc=0,
    fscale=1)`` solves. They have a solution unless a column is constant
    over the rows of positive weight (e.g. a single row): its likelihood
    then grows without bound with :math:`a + b`, and ``fit`` raises a
    ``ValueError`` naming the column.

    The entropy of a column is :math:`\\log B(a, b) - (a - 1)\\psi(a) -
    (b - 1)\\psi(b) + (a + b - 2)\\psi(a + b)`, and the divergence between
    two Betas the closed form of the Dirichlet's; both are sums over
    columns. As the maximum likelihood estimate matches :math:`E[\\log x]`
    and :math:`E[\\log(1 - x)]` to the data, the score on the training
    data is minus the entropy. The model has two free parameters per
    column.

    References
    ----------
    .. [1] N. L. Johnson, S. Kotz and N. Balakrishnan, "Continuous
       Univariate Distributions", volume 2, 2nd edition, Wiley, 1995,
       chapter 25 (maximum likelihood for the Beta distribution).
    .. [2] T. P. Minka, "Estimating a Dirichlet distribution", technical
       report, Microsoft Research, 2000 (revised 2012).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> from skxent import BetaDistribution
    >>> X = np.random.default_rng(0).beta([2.0, 0.5], [5.0, 0.5], size=(1000, 2))
    >>> model = BetaDistribution().fit(X)
    >>> model.a_.round(2), model.b_.round(2)
    (array([1.97, 0.51]), array([5.02, 0.51]))

    These are scipy's maximum likelihood shapes on each column:

    >>> a, b, _, _ = stats.beta.fit(X[:, 0], floc=0, fscale=1)
    >>> bool(np.allclose([a, b], [model.a_[0], model.b_[0]]))
    True

    and the training score is minus the entropy:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="beta",
        kind="continuous",
        support=_SUPPORT,
        parameters=("a_", "b_"),
        statistics="weight sum, weighted sums of log x and log(1 - x) per column",
        entropy="closed form",
        scipy="scipy.stats.beta",
    )

    def _validate_X(self, X, *, reset):
        return validate_data(self, X, reset=reset, dtype=np.float64)

    def _compute_statistics(self, X, sample_weight):
        if not _beta_math.all_inside(X):
            check_in_support(self, X, _beta_math.inside(X), _SUPPORT)
        return _beta_math.statistics(X, sample_weight)

    def _parameters_from_statistics(self, statistics):
        mean_log = _beta_math.mean_log_pairs(statistics)
        constant = np.flatnonzero(_dirichlet_math.degenerate(mean_log))
        if constant.size:
            raise ValueError(
                f"{type(self).__name__} has no maximum likelihood estimate for "
                f"{column_name(self, constant[0])}: its values of positive weight "
                "are all equal (one sample, or a constant column), so the "
                "likelihood grows without bound with a + b."
            )
        a, b = _beta_math.shapes_from_mean_log(mean_log)
        return {"a_": a, "b_": b}

    def _log_likelihood(self, X):
        log_likelihood = _beta_math.log_density(X, self.a_, self.b_)
        if not _beta_math.all_inside(X):
            mask_outside(log_likelihood, _beta_math.inside(X).all(axis=1))
        return log_likelihood

    def _entropy(self):
        return _beta_math.entropy(self.a_, self.b_)

    def _kl_divergence(self, other):
        return _beta_math.kl_divergence(self.a_, self.b_, other.a_, other.b_)

    def _n_parameters(self):
        return 2 * self.a_.size

    def _sample(self, n_samples, random_state):
        return _beta_math.sample(self.a_, self.b_, n_samples, random_state)
