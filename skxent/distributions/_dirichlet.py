"""The Dirichlet distribution on the simplex, fit by maximum likelihood."""

import numpy as np
from sklearn.utils.validation import validate_data

from skxent.distributions import _dirichlet_math
from skxent.distributions._base import MLEDistribution
from skxent.distributions._family import FamilyInfo
from skxent.distributions._support import check_in_support, mask_outside

__all__ = ["DirichletDistribution"]

_SUPPORT = "positive entries summing to 1 (within 1e-6)"


class DirichletDistribution(MLEDistribution):
    """Dirichlet distribution over rows on the simplex, fit by maximum likelihood.

    Each row of ``X`` is a vector of positive proportions summing to one: a
    composition, or the soft label of a sample (a probability distribution
    over classes). The maximum likelihood concentrations are found by
    Newton's method on the mean log-likelihood, i.e. by minimizing the
    cross-entropy from the data to the model, so ``score`` is the negative
    cross-entropy in nats.

    Attributes
    ----------
    concentration_ : ndarray of shape (n_features_in_,)
        Concentration parameters ``alpha`` (``alpha`` of
        ``scipy.stats.dirichlet``), all positive.
    n_features_in_ : int
        Number of components of each row, at least 2.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the components seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    BetaDistribution : Independent variables in (0, 1); a Dirichlet of two
        components per column.
    CategoricalDistribution : One category per row, rather than a
        distribution over categories.
    CrossEntropyClassifier : Predicts soft labels from features.
    scipy.stats.dirichlet : The distribution with given concentrations.

    Notes
    -----
    On the open simplex :math:`x_k > 0`, :math:`\\sum_{k=1}^K x_k = 1`, the
    density with concentrations :math:`\\alpha_k > 0`,
    :math:`\\alpha_0 = \\sum_k \\alpha_k`, is

    .. math::

        \\log p(x) = \\sum_k (\\alpha_k - 1) \\log x_k - \\log B(\\alpha),
        \\qquad
        \\log B(\\alpha) = \\sum_k \\log\\Gamma(\\alpha_k)
            - \\log\\Gamma(\\alpha_0).

    A row counts as on the simplex when its entries are positive and its sum
    is within ``1e-6`` of one, the tolerance skxent applies to every
    probability vector; it then stands for ``x / sum(x)``, at fit and at
    score time alike. Other rows are refused by ``fit`` and have
    log-likelihood ``-inf`` in ``score_samples``; so do rows with a zero
    entry, on the boundary of the simplex, whichever the concentrations.

    The sufficient statistics are the weight sum :math:`W` and the weighted
    sums of :math:`\\log x_k`. The maximum likelihood estimate solves

    .. math::

        \\psi(\\alpha_k) - \\psi(\\alpha_0)
            = \\bar\\ell_k = \\frac{1}{W} \\sum_i w_i \\log x_{ik},
        \\qquad k = 1, \\dots, K,

    the stationarity conditions of a concave function. It is found by
    Newton's method [1]_, whose Hessian (a diagonal plus a rank-one matrix)
    is inverted in O(K) operations, from a start built from the statistics
    alone, with steps shortened when needed to stay in :math:`\\alpha > 0`
    and to increase the likelihood; it converges quadratically, typically
    in fewer than ten iterations, until the equations hold to a few ulps.
    The equations have a solution unless every row (of positive weight) is
    the same, e.g. for a single row: the likelihood then grows without bound
    with :math:`\\alpha_0`, and ``fit`` raises a ``ValueError``. Very
    concentrated data are resolved to a relative precision of about
    :math:`\\epsilon\\,\\alpha_0` (``eps * alpha_0``); rows spread by less
    than rounding error count as all equal.

    Since :math:`E[\\log x_k] = \\psi(\\alpha_k) - \\psi(\\alpha_0)`, the
    entropy is :math:`H = \\log B(\\alpha) - \\sum_k (\\alpha_k - 1)
    (\\psi(\\alpha_k) - \\psi(\\alpha_0))` and the divergence has the
    closed form

    .. math::

        D(p \\| q) = \\log B(\\beta) - \\log B(\\alpha)
            + \\sum_k (\\alpha_k - \\beta_k)
            (\\psi(\\alpha_k) - \\psi(\\alpha_0))

    for :math:`p = \\mathrm{Dir}(\\alpha)`, :math:`q = \\mathrm{Dir}(\\beta)`.
    As the maximum likelihood estimate matches :math:`E[\\log x_k]` to the
    data, the score on the training data is minus the entropy. The model
    has :math:`K` free parameters.

    References
    ----------
    .. [1] T. P. Minka, "Estimating a Dirichlet distribution", technical
       report, Microsoft Research, 2000 (revised 2012).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import dirichlet
    >>> from skxent import DirichletDistribution
    >>> X = np.random.default_rng(0).dirichlet([2.0, 5.0, 3.0], size=2000)
    >>> model = DirichletDistribution().fit(X)
    >>> model.concentration_.round(2)
    array([1.99, 5.02, 3.01])

    At the maximum likelihood estimate the expected log of each component
    equals its mean over the data, so the training score is minus the
    entropy, which is scipy's:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    >>> bool(np.isclose(model.entropy(), dirichlet(model.concentration_).entropy()))
    True
    """

    _family = FamilyInfo(
        name="dirichlet",
        kind="continuous",
        support=_SUPPORT,
        parameters=("concentration_",),
        statistics="weight sum, weighted sum of log x per component",
        entropy="closed form",
        scipy="scipy.stats.dirichlet",
        conditional=(
            "a density on the simplex of rows summing to one, not on the space of rows"
        ),
    )

    def _validate_X(self, X, *, reset):
        X = validate_data(self, X, reset=reset, dtype=np.float64)
        if X.shape[1] < 2:
            raise ValueError(
                f"{type(self).__name__} needs rows of at least 2 components; got "
                f"n_features = {X.shape[1]} (the simplex of one component is the "
                "single point 1)."
            )
        return X

    def _compute_statistics(self, X, sample_weight):
        inside, log_sums = _dirichlet_math.simplex_rows(X)
        check_in_support(self, X, inside, _SUPPORT)
        return _dirichlet_math.statistics(X, sample_weight, log_sums)

    def _parameters_from_statistics(self, statistics):
        mean_log = statistics.mean("log_x")[np.newaxis, :]
        if _dirichlet_math.degenerate(mean_log)[0]:
            raise ValueError(
                f"{type(self).__name__} has no maximum likelihood estimate for "
                "these data: the rows of positive weight are all the same row "
                "(one sample, or equal rows), so the likelihood grows without "
                "bound with the concentration."
            )
        concentration = _dirichlet_math.concentration_from_mean_log(mean_log)
        return {"concentration_": concentration[0]}

    def _log_likelihood(self, X):
        inside, log_sums = _dirichlet_math.simplex_rows(X)
        log_likelihood = _dirichlet_math.log_density(X, self.concentration_, log_sums)
        return mask_outside(log_likelihood, inside)

    def _entropy(self):
        return _dirichlet_math.entropy(self.concentration_)

    def _kl_divergence(self, other):
        return _dirichlet_math.kl_divergence(self.concentration_, other.concentration_)

    def _n_parameters(self):
        return self.concentration_.size

    def _sample(self, n_samples, random_state):
        return _dirichlet_math.sample(self.concentration_, n_samples, random_state)
