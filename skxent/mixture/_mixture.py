"""MixtureDistribution: a finite mixture of any skxent family, fit by EM."""

import functools
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import _fit_context, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._available_if import available_if
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _num_samples, check_is_fitted, validate_data

from skxent import _dask
from skxent._atomic import restored_on_error
from skxent._blas import scipy_blas_single_threaded
from skxent._composite import (
    check_density,
    delegate_input_tags,
    take_rows,
    validate_through,
)
from skxent._validation import check_sample_weight
from skxent.distributions._base import MLEDistribution, _BaseDensity
from skxent.distributions._gaussian import GaussianDistribution
from skxent.mixture import _dask_em, _em
from skxent.mixture._components import make_engine
from skxent.mixture._dask_em import DaskEMData
from skxent.mixture._init import initial_responsibilities, seeding_points

__all__ = ["MixtureDistribution"]


def _fits_from_statistics(mixture):
    """available_if check of partial_fit: stepwise EM needs statistics."""
    component = mixture._component()
    if not isinstance(component, MLEDistribution):
        raise TypeError(
            "partial_fit (stepwise EM) interpolates the components' sufficient "
            f"statistics, and {type(component).__name__} is not fit from "
            "sufficient statistics (not an MLEDistribution); use fit."
        )
    return True


class MixtureDistribution(_BaseDensity):
    """Finite mixture of any skxent family, fit by expectation-maximization.

    The density is :math:`p(x) = \\sum_k \\pi_k p_k(x)`, each :math:`p_k` a
    fitted estimator of the family of ``component``. EM maximizes the
    weighted mean log-likelihood of the training data, i.e. minimizes the
    cross-entropy between the data and the mixture, so ``score`` is the
    negative cross-entropy in nats as for every skxent density. Each E-step
    computes the responsibilities :math:`p(k \\mid x_i)` in log space; each
    M-step refits every component by its family's weighted maximum
    likelihood, with weights ``sample_weight * responsibility``. Any skxent
    density is a valid component: a family, a
    :class:`~skxent.ProductDistribution` of families for mixed tables, even
    a mixture.

    Parameters
    ----------
    component : skxent density estimator, default=None
        The (unfitted) model of one component, cloned for each; ``None``
        means ``GaussianDistribution()``. Its own parameters (e.g.
        ``reg_covar``, ``alpha``) act in every M-step.
    n_components : int, default=2
        Number of components.
    max_iter : int, default=100
        Largest number of EM iterations per initialization; 0 keeps the
        initial model.
    tol : float, default=1e-3
        EM stops when the mean log-likelihood (in nats per row) changes by
        less than ``tol`` between iterations, as in
        :class:`~sklearn.mixture.GaussianMixture`.
    n_init : int, default=1
        Number of initializations; the model of largest training
        log-likelihood is kept.
    init_params : {"k-means++", "random", "random_from_data"}, \
            default="k-means++"
        How the initial responsibilities are chosen:

        - ``"k-means++"``: ``n_components`` seed rows chosen by
          :func:`sklearn.cluster.kmeans_plusplus` (weighted by
          ``sample_weight``), every row assigned to its nearest seed;
        - ``"random"``: uniform random responsibilities, the draws of
          ``GaussianMixture(init_params="random")`` for the same
          ``random_state``;
        - ``"random_from_data"``: seed rows drawn at random (with
          probabilities proportional to ``sample_weight``), every row
          assigned to its nearest seed.

        Distances are Euclidean between numeric rows; categorical data are
        one-hot encoded for the seeding.
    random_state : int, RandomState instance or None, default=None
        Seed of the initializations.
    warm_start : bool, default=False
        Whether ``fit`` starts from the previous fit's model (one
        initialization, ``n_init`` ignored) instead of a new initialization.
    verbose : int, default=0
        Print the mean log-likelihood at every iteration when positive.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        Mixture weights :math:`\\pi_k`, summing to one.
    components_ : list of estimators
        The fitted components, estimators of the class of ``component``.
    converged_ : bool
        Whether the best initialization converged (within ``tol``).
    n_iter_ : int
        Number of EM iterations of the best initialization (plus one per
        ``partial_fit`` step).
    lower_bound_ : float
        Weighted mean log-likelihood of the training data under the fitted
        model (after ``partial_fit``: of the last batch, before its step).
    lower_bounds_ : ndarray of shape (n_iter_ + 1,)
        Weighted mean log-likelihood of the training data under the initial
        model and after each iteration; non-decreasing.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit. Defined only when ``X`` has feature
        names that are all strings.

    See Also
    --------
    sklearn.mixture.GaussianMixture : The Gaussian case, without
        ``sample_weight``.
    GenerativeClassifier : With a mixture per class, mixture discriminant
        analysis.
    ProductDistribution : A component for tables of mixed types.

    Notes
    -----
    **EM is minimum cross-entropy.** For any distributions :math:`q_i` over
    the components (one per row),

    .. math::

        \\log p(x_i) = \\sum_k q_{ik} \\log \\frac{\\pi_k p_k(x_i)}{q_{ik}}
            + D\\big(q_i \\,\\|\\, p(\\cdot \\mid x_i)\\big),

    so the weighted mean of the first term is a lower bound of the mean
    log-likelihood, short of it by the mean divergence. The E-step closes
    the gap (:math:`q_{ik} = p(k \\mid x_i)`); the M-step maximizes the
    bound, which separates into one weighted maximum likelihood problem per
    component (weights :math:`w_i q_{ik}`) and
    :math:`\\pi_k \\propto \\sum_i w_i q_{ik}` [1]_ [2]_. Neither step can
    lower the log-likelihood, so ``lower_bounds_`` never decreases.

    **As GaussianMixture.** Iteration :math:`n` evaluates the model of
    iteration :math:`n - 1` and stops once two successive values differ by
    less than ``tol``, as GaussianMixture does, so with a Gaussian
    component, the same initial responsibilities (``init_params="random"``
    and the same ``random_state``) and the same ``reg_covar``, both reach
    the same parameters and log-likelihood to float precision.
    ``lower_bound_`` is the log-likelihood of the returned model, and so
    equals ``score`` on the training data; GaussianMixture reports the one
    before its last M-step, which EM can only have increased. The seeded
    initializations differ: GaussianMixture gives each component its seed
    row alone, here every row goes to its nearest seed, because a discrete
    family fit to one row gives probability zero to most others.

    **Weights and collapse.** ``sample_weight`` is honoured exactly: rows of
    weight zero are removed before anything else, and integer weights equal
    repeated rows from the same initial responsibilities (and, for
    k-means++, for rows in the same order). Responsibilities are raised to
    at least ``1e-250`` before they weight a fit, so every component sees
    every training row: a family that learns its support from the rows of
    positive weight (the categories of a CategoricalDistribution) keeps
    every training value in every component. A component whose
    responsibilities all vanish is therefore refit to all rows with equal
    tiny weights and gets a mixture weight of order ``1e-250``: it stays,
    finite, and no longer changes the density (the M-step of a component
    that explains no row is arbitrary, so EM's monotonicity is kept).

    **Stepwise EM.** ``partial_fit`` fits its first batch as ``fit`` does.
    Each later call is one step of stepwise (online) EM [3]_ [4]_: the
    batch's responsibilities under the current model give each component's
    expected sufficient statistics on the batch, and the running statistics
    per unit of weight move a fraction :math:`\\eta_t = (t + 2)^{-0.6}` of
    the way to them (``t`` counts the earlier steps), as do the mixture
    weights; parameters follow from the statistics by the family's own
    formula. This needs a component fit from sufficient statistics
    (:class:`~skxent.MLEDistribution`); for others ``partial_fit`` is
    absent. Unlike a family's ``partial_fit`` it is **not batch-invariant**:
    the model depends on the split into batches and their order, and
    approaches the batch fit as batches accumulate, without equalling it.

    **On Dask.** ``fit`` takes a Dask array or DataFrame when the component
    is an :class:`~skxent.MLEDistribution`: the validated blocks are kept in
    the workers' memory, and each iteration computes, per block and on its
    worker, the E-step under the current components (which travel to the
    workers) and each component's weighted sufficient statistics; these are
    merged in a tree on the workers and the M-step runs on the client. From
    the same initial responsibilities the model is the in-memory one to
    rounding. The initializations are drawn on the workers: ``"random"``
    from one random stream per block (seeded by ``random_state``, so not
    the in-memory draws), the seeded ones from a uniform sample of at most
    10,000 rows brought to the client (numeric data only), every row then
    assigned to its nearest seed where it lives. ``predict``,
    ``predict_component_proba`` and ``score_samples`` return lazy dask
    arrays; ``partial_fit`` takes in-memory batches only.

    **What a mixture cannot do exactly.** Its entropy and the divergence
    between mixtures have no closed form, so ``entropy`` and
    ``kl_divergence`` raise ``NotImplementedError`` (with the Monte-Carlo
    estimate to use instead). ``aic`` and ``bic`` count the components'
    free parameters plus the ``n_components - 1`` free weights.
    ``sample`` draws the number of rows of each component from the weights
    and returns the rows shuffled, so that any prefix is an i.i.d. sample.
    A row that every component gives probability zero has log-likelihood
    ``-inf`` and, as responsibilities, the weights.

    References
    ----------
    .. [1] A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood
       from incomplete data via the EM algorithm", Journal of the Royal
       Statistical Society B 39(1), 1977.
    .. [2] R. M. Neal and G. E. Hinton, "A view of the EM algorithm that
       justifies incremental, sparse, and other variants", in Learning in
       Graphical Models, 1998.
    .. [3] O. Cappé and E. Moulines, "On-line expectation-maximization
       algorithm for latent data models", Journal of the Royal Statistical
       Society B 71(3), 2009.
    .. [4] P. Liang and D. Klein, "Online EM for unsupervised models",
       Proceedings of NAACL-HLT, 2009.

    Examples
    --------
    Two groups of counts, as a mixture of two Poisson distributions:

    >>> import numpy as np
    >>> from skxent import MixtureDistribution, PoissonDistribution
    >>> rng = np.random.RandomState(0)
    >>> counts = np.concatenate([rng.poisson(2, (300, 1)), rng.poisson(10, (200, 1))])
    >>> mixture = MixtureDistribution(PoissonDistribution(), random_state=0)
    >>> mixture = mixture.fit(counts)
    >>> mixture.weights_.round(2), [c.rates_.round(1) for c in mixture.components_]
    (array([0.58, 0.42]), [array([1.9]), array([9.8])])
    >>> mixture.predict_component_proba([[0], [6], [15]]).round(2)
    array([[1.  , 0.  ],
           [0.15, 0.85],
           [0.  , 1.  ]])

    ``lower_bound_`` is the training score, minus the cross-entropy:

    >>> bool(np.isclose(mixture.lower_bound_, mixture.score(counts)))
    True

    With a Gaussian component and GaussianMixture's initial
    responsibilities, the fit is GaussianMixture's:

    >>> from sklearn.mixture import GaussianMixture
    >>> X = np.concatenate([rng.normal(-2, 1, (200, 1)), rng.normal(3, 0.5, (100, 1))])
    >>> same = dict(init_params="random", random_state=0, tol=1e-6)
    >>> mixture = MixtureDistribution(n_components=2, **same).fit(X)
    >>> reference = GaussianMixture(n_components=2, **same).fit(X)
    >>> bool(np.allclose(mixture.weights_, reference.weights_))
    True
    >>> bool(np.isclose(mixture.score(X), reference.score(X)))
    True
    """

    _parameter_constraints: dict = {
        "component": [HasMethods(["fit", "score_samples"]), None],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "init_params": [StrOptions({"k-means++", "random", "random_from_data"})],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        component=None,
        n_components=2,
        *,
        max_iter=100,
        tol=1e-3,
        n_init=1,
        init_params="k-means++",
        random_state=None,
        warm_start=False,
        verbose=0,
    ):
        self.component = component
        self.n_components = n_components
        self.max_iter = max_iter
        self.tol = tol
        self.n_init = n_init
        self.init_params = init_params
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        component = self._component()
        if isinstance(component, _BaseDensity):
            delegate_input_tags(tags, component)
        return tags

    def _component(self):
        return GaussianDistribution() if self.component is None else self.component

    # -- fitting ----------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None):
        """Fit the mixture by EM.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, in any form the component accepts, or a Dask
            array or DataFrame (see Notes of the class).
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights (a dask array with Dask data); integer
            weights are equivalent to repeating rows and rows of weight zero
            are ignored.

        Returns
        -------
        self : object
            The fitted mixture.
        """
        # EM alternates numpy's BLAS (products with the data) with scipy's
        # (the triangular solves of Gaussian components), two thread pools
        # that take the cores from each other; see skxent.classifier._lbfgs.
        with restored_on_error(self), scipy_blas_single_threaded():
            self._fit(X, sample_weight)
        return self

    @available_if(_fits_from_statistics)
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Fit the first batch by EM, then take one step of stepwise EM per batch.

        Unlike a family's ``partial_fit``, this is not batch-invariant: the
        model after several batches depends on how the data were split and
        in which order (see Notes of the class).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            A batch of training data.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the batch's rows.

        Returns
        -------
        self : object
            The updated mixture.
        """
        with restored_on_error(self), scipy_blas_single_threaded():
            if hasattr(self, "components_"):
                self._step(X, sample_weight)
            else:
                self._fit(X, sample_weight, warm=False)
        return self

    def _training_data(self, X, sample_weight, template, *, reset):
        """Validated data without its rows of weight zero, and their weights."""
        if _dask.is_dask_collection(X):
            raise NotImplementedError(
                "MixtureDistribution.partial_fit (stepwise EM) does not take a "
                "Dask collection yet; fit does (EM with the rows on the "
                "workers), or pass in-memory batches to partial_fit."
            )
        X_valid, validator = validate_through(self, template, X, reset=reset)
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, X_valid)
            positive = sample_weight > 0
            if not positive.all():
                # A row of weight zero is a row removed: it must not count in
                # the seeding, nor need a probability under the components.
                X = take_rows(X, X_valid, np.flatnonzero(positive))
                sample_weight = sample_weight[positive]
                X_valid, validator = validate_through(self, template, X, reset=reset)
        return X, X_valid, validator, sample_weight

    def _fit(self, X, sample_weight, *, warm=None):
        if warm is None:
            warm = self.warm_start and hasattr(self, "components_")
        template = check_density(self._component(), name="component")
        if _dask.is_dask_collection(X):
            em = self._dask_em(X, sample_weight, template, reset=not warm)
        else:
            em = self._in_memory_em(X, sample_weight, template, reset=not warm)
        n_samples, weighted, initial_model, run, log_seen_weight = em
        if n_samples < self.n_components:
            of_positive_weight = " of positive weight" if weighted else ""
            raise ValueError(
                "Expected n_samples >= n_components, got n_components="
                f"{self.n_components}, n_samples={n_samples}{of_positive_weight}."
            )
        random_state = check_random_state(self.random_state)
        n_init = 1 if warm else self.n_init
        best = None
        for init in range(n_init):
            if warm:
                start, previous = (
                    (self.components_, self._log_weights_),
                    self.lower_bound_,
                )
            else:
                start, previous = initial_model(random_state), -np.inf
            result = run(
                *start,
                max_iter=self.max_iter,
                tol=self.tol,
                previous=previous,
                on_iteration=self._reporter(init, n_init),
            )
            self._report_end(init, n_init, result)
            if best is None or result.lower_bound > best.lower_bound:
                best = result
        self._set_result(best, template, log_seen_weight)

    def _in_memory_em(self, X, sample_weight, template, *, reset):
        """``(n_samples, weighted, initial_model, run, log_seen_weight)`` of EM.

        ``initial_model(random_state)`` is the M-step of the initial
        responsibilities, ``run(components, log_weights, **options)`` runs
        EM from a model.
        """
        X, X_valid, validator, sample_weight = self._training_data(
            X, sample_weight, template, reset=reset
        )
        n_samples = _num_samples(X_valid)
        engine = make_engine(validator, X, X_valid)
        # Deferred: "random" needs no distances.
        points = functools.partial(
            seeding_points,
            X,
            X_valid,
            categorical=get_tags(template).input_tags.categorical,
        )

        def initial_model(random_state):
            responsibilities = initial_responsibilities(
                self.init_params,
                n_samples,
                self.n_components,
                points,
                sample_weight,
                random_state,
            )
            return _em.m_step(engine, responsibilities, sample_weight)

        return (
            n_samples,
            sample_weight is not None,
            initial_model,
            functools.partial(_em.run_em, engine, sample_weight=sample_weight),
            _em.log_total_weight(sample_weight, n_samples),
        )

    def _dask_em(self, X, sample_weight, template, *, reset):
        """As ``_in_memory_em``, with the rows kept on the workers."""
        if not isinstance(template, MLEDistribution):
            raise NotImplementedError(
                "MixtureDistribution fits a Dask collection from the components' "
                "sufficient statistics, merged across blocks at each EM "
                f"iteration, and {type(template).__name__} is not fit from "
                "sufficient statistics (not an MLEDistribution). Fit on "
                "X.compute() or a sample of rows, or use a family as component."
            )
        validate_data(self, X, reset=reset, skip_check_array=True)
        data = DaskEMData(_dask._template(template, X, first=True), X, sample_weight)
        return (
            data.n_samples,
            sample_weight is not None,
            functools.partial(data.initial_model, self.init_params, self.n_components),
            functools.partial(_dask_em.run_em, data),
            data.log_total_weight,
        )

    def _set_result(self, result, template, log_seen_weight):
        """The attributes of a fit, from the best run of EM."""
        self._set_model(result.components, result.log_weights)
        self.converged_ = result.converged
        self.n_iter_ = result.n_iter
        self.lower_bound_ = result.lower_bound
        self.lower_bounds_ = np.asarray(result.lower_bounds)
        self._template_ = template
        self._n_steps_ = 0
        self._log_seen_weight_ = log_seen_weight
        if not result.converged and self.max_iter > 0:
            warnings.warn(
                f"EM did not converge: the mean log-likelihood still changed by "
                f"more than tol={self.tol} after max_iter={self.max_iter} "
                "iterations. Increase max_iter or tol, or try other init_params "
                "or n_init.",
                ConvergenceWarning,
                stacklevel=5,
            )

    def _step(self, X, sample_weight):
        template = check_density(self._component(), name="component")
        X, X_valid, validator, sample_weight = self._training_data(
            X, sample_weight, template, reset=False
        )
        step = _em.step_size(self._n_steps_)
        components, log_weights, log_seen, batch_score = _em.stepwise_step(
            make_engine(validator, X, X_valid),
            self.components_,
            self._log_weights_,
            sample_weight,
            step=step,
            log_seen=self._log_seen_weight_,
        )
        self._set_model(components, log_weights)
        self._n_steps_ += 1
        self._log_seen_weight_ = log_seen
        self.n_iter_ += 1
        self.lower_bound_ = batch_score
        if self.verbose:
            print(
                f"Stepwise EM step {self._n_steps_} (size {step:.3g}): batch mean "
                f"log-likelihood {batch_score:.6f} before the step"
            )

    def _set_model(self, components, log_weights):
        self.components_ = components
        self._log_weights_ = log_weights
        self.weights_ = np.exp(log_weights)

    def _report_end(self, init, n_init, result):
        if self.verbose:
            outcome = "converged" if result.converged else "did not converge"
            print(
                f"Initialization {init + 1}/{n_init}: {outcome} after "
                f"{result.n_iter} iterations, mean log-likelihood "
                f"{result.lower_bound:.6f}"
            )

    def _reporter(self, init, n_init):
        if not self.verbose:
            return None

        def report(n_iter, value, change):
            print(
                f"Initialization {init + 1}/{n_init}, iteration {n_iter}: mean "
                f"log-likelihood {value:.6f}, change {change:.3g}"
            )

        return report

    # -- the fitted model -----------------------------------------------------

    def _validate_X(self, X, *, reset):
        # Unfitted, a mixture validates as its component does (a generative
        # classifier validates its data through an unfitted mixture).
        template = getattr(self, "_template_", None) or clone(self._component())
        return validate_through(self, template, X, reset=reset)[0]

    def _log_likelihood_matrix(self, X):
        """``log p_k(x_i)``, of shape (n_components, n_samples)."""
        log_likelihood = np.empty((len(self.components_), _num_samples(X)))
        with scipy_blas_single_threaded():
            for k, component in enumerate(self.components_):
                log_likelihood[k] = component._log_likelihood(X)
        return log_likelihood

    def _log_likelihood(self, X):
        return _em.e_step(self._log_likelihood_matrix(X), self._log_weights_)[1]

    def predict_component_proba(self, X):
        """Responsibilities: the posterior probability of each component.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to evaluate.

        Returns
        -------
        responsibilities : ndarray of shape (n_samples, n_components)
            ``p(k | x_i) = weights_[k] p_k(x_i) / p(x_i)``, computed in log
            space; rows sum to one. A row that every component gives
            probability zero gets ``weights_``. A lazy dask array for a
            Dask collection.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(
                self.predict_component_proba, X, (len(self.components_),)
            )
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return _em.e_step(self._log_likelihood_matrix(X), self._log_weights_)[0].T

    def predict(self, X):
        """The most responsible component of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data to evaluate.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the component of largest responsibility; a lazy dask
            array for a Dask collection.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict, X, (), dtype=np.intp)
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        joint = self._log_likelihood_matrix(X) + self._log_weights_[:, np.newaxis]
        # argmax of the joint is argmax of the responsibilities; a row that
        # every component rules out goes to the heaviest, as its
        # responsibilities are the weights.
        return np.where(
            np.isneginf(joint.max(axis=0)), self.weights_.argmax(), joint.argmax(axis=0)
        )

    def _n_parameters(self):
        n_weights = len(self.components_) - 1
        return n_weights + sum(c._n_parameters() for c in self.components_)

    def _sample(self, n_samples, random_state):
        counts = random_state.multinomial(n_samples, self.weights_)
        parts = [
            component._sample(int(count), random_state)
            for component, count in zip(self.components_, counts, strict=True)
            if count > 0
        ]
        # Components are drawn in turn; shuffling makes every prefix of the
        # draws an i.i.d. sample of the mixture.
        order = random_state.permutation(n_samples)
        if all(hasattr(part, "iloc") for part in parts):
            return (
                pd.concat(parts, ignore_index=True).iloc[order].reset_index(drop=True)
            )
        return np.concatenate(parts)[order]

    def entropy(self):
        """Not available: a mixture's entropy has no closed form.

        Raises
        ------
        NotImplementedError
            Always. A Monte-Carlo estimate is
            ``-model.score(model.sample(n))``, with a standard error of
            ``model.score_samples(sample).std() / sqrt(n)``.
        """
        raise NotImplementedError(
            "The entropy of a mixture has no closed form (the log of a sum of "
            "densities does not integrate in closed form). Estimate it by "
            "Monte Carlo: -model.score(model.sample(n))."
        )

    def kl_divergence(self, other):
        """Not available: the divergence between mixtures has no closed form.

        Parameters
        ----------
        other : object
            Ignored.

        Raises
        ------
        NotImplementedError
            Always. A Monte-Carlo estimate is
            ``model.score(S) - other.score(S)`` with ``S = model.sample(n)``.
        """
        raise NotImplementedError(
            "The Kullback-Leibler divergence between mixtures has no closed "
            "form. Estimate it by Monte Carlo: with S = model.sample(n), "
            "model.score(S) - other.score(S)."
        )
