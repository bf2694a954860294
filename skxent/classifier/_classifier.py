"""CrossEntropyClassifier: a softmax model fit by minimizing cross-entropy."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import check_is_fitted, validate_data

from skxent import _dask
from skxent._atomic import restored_on_error
from skxent._targets import (
    class_weight_per_sample,
    encode_targets,
    smooth_targets,
)
from skxent._validation import check_sample_weight
from skxent.classifier._dask_loss import DaskSoftmaxCrossEntropyLoss
from skxent.classifier._early_stopping import IterationMonitor, validation_split
from skxent.classifier._lbfgs import minimize_lbfgs
from skxent.classifier._mlp import ACTIVATIONS, forward
from skxent.classifier._scoring import CrossEntropyScoreMixin
from skxent.classifier._softmax_loss import SoftmaxCrossEntropyLoss, head_for

__all__ = ["CrossEntropyClassifier"]

#: Fewest held-out rows for which ``early_stopping="auto"`` stops early: the
#: cross-entropy of fewer rows is too noisy to time the stop by (its standard
#: error is about a tenth of its value at 50 rows of a typical table).
_MIN_HELD_OUT = 50


class CrossEntropyClassifier(CrossEntropyScoreMixin, ClassifierMixin, BaseEstimator):
    """Softmax classifier fit by minimizing cross-entropy, on hard or soft labels.

    The model is ``p(y | x) = softmax(f(x))`` with ``f`` affine (multinomial
    logistic regression) when ``hidden_layer_sizes=()`` and a multilayer
    perceptron otherwise. Its parameters minimize the weighted mean
    cross-entropy between the targets and the model plus an L2 penalty on the
    weights, which is maximum likelihood estimation with a Gaussian prior.
    Targets are hard labels or rows of probabilities (soft labels, for
    instance a teacher's predictions or the votes of several annotators).

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default=()
        Number of units of each hidden layer; ``()`` gives the linear model.
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
        Activation of the hidden layers.
    alpha : float, default=1e-4
        Strength of the L2 penalty ``(alpha / 2) * ||W||^2`` on the weights
        (never on the intercepts). It is added to a *mean* loss, so
        ``alpha = 1 / (C * n_samples)`` matches ``LogisticRegression(C=C)``
        and ``alpha = a / n_samples`` matches ``MLPClassifier(alpha=a)``.
    label_smoothing : float, default=0.0
        ``eps`` in ``[0, 1)``: every target ``t`` is replaced by
        ``(1 - eps) * t + eps / n_classes`` before fitting.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplying ``sample_weight``. A dict is keyed
        by the labels of ``classes_`` (column indices for soft labels fit
        without ``classes``); ``"balanced"`` gives
        every class the same total weight. A soft-labelled row gets the
        expected class weight under its target.
    fit_intercept : bool, default=True
        Whether to fit an intercept (every layer's bias for the perceptron).
    max_iter : int, default=1000
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-4
        L-BFGS stops when every component of the gradient of the objective is
        at most ``tol`` in absolute value (the criterion and default of
        ``LogisticRegression(solver="lbfgs")``). Use ``1e-8`` or less to
        agree with a reference solution to many digits. A perceptron's
        gradient often stays above ``1e-4`` for many iterations after its
        held-out cross-entropy has stopped improving; ``1e-3`` is usually
        enough there (the gallery's perceptron examples use it).
    early_stopping : bool or "auto", default="auto"
        Whether to hold out ``validation_fraction`` of the training data and
        stop when its cross-entropy has not improved for ``n_iter_no_change``
        iterations, keeping the parameters of its best value. ``"auto"``
        enables it for the perceptron when the held-out part has at least 50
        rows (at 0.1, from 500 training rows): the perceptron otherwise
        overfits small tables while L-BFGS drives its gradient to ``tol``,
        and fewer rows estimate the held-out cross-entropy too noisily. It
        stays off for the linear model, whose convex objective is solved to
        ``tol`` (so that it matches ``LogisticRegression``). On Dask arrays,
        where a held-out split would move rows between workers, ``"auto"``
        is off and ``True`` is refused.
    validation_fraction : float, default=0.1
        Share of the training rows held out for early stopping (stratified
        by class for hard labels).
    n_iter_no_change : int, default=10
        Iterations without a new best held-out cross-entropy before
        stopping.
    warm_start : bool, default=False
        Start from the previous solution when refitting on the same classes
        and architecture.
    random_state : int, RandomState instance or None, default=None
        Seed of the perceptron's initial weights and of the early-stopping
        split. The linear model starts from zero.
    verbose : int, default=0
        If positive, print the objective after every L-BFGS iteration.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels: the sorted labels of ``y``, or the ``classes`` given to
        ``fit`` (in their order), or ``np.arange(n_classes)`` for soft labels
        fit without ``classes``.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights of the linear model (one row for two classes: the logit of
        ``classes_[1]``). Only when ``hidden_layer_sizes=()``.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts of the linear model (zero if ``fit_intercept=False``).
    coefs_ : list of ndarray
        Weight matrices of the perceptron, ``coefs_[i]`` of shape
        ``(n_units_in, n_units_out)``. Only with hidden layers.
    intercepts_ : list of ndarray
        Biases of the perceptron's layers.
    n_iter_ : int
        Number of L-BFGS iterations run.
    loss_ : float
        Objective value at the solution (on the training part with early
        stopping), in nats.
    loss_curve_ : list of float
        Objective value after every L-BFGS iteration.
    validation_scores_ : list of float or None
        Negative held-out cross-entropy after every iteration with early
        stopping, else None.
    best_validation_score_ : float or None
        Best of ``validation_scores_``: the score of the parameters kept.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen during fit, when they are all strings.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The linear model on hard labels.
    sklearn.neural_network.MLPClassifier : The perceptron on hard labels.

    Notes
    -----
    The objective, with targets :math:`t_i` and weights :math:`w_i`, is

    .. math::

        L(\\theta) = \\frac{1}{\\sum_j w_j} \\sum_i w_i \\,
        H\\big(t_i, \\mathrm{softmax}(f_\\theta(x_i))\\big)
        + \\frac{\\alpha}{2} \\sum_l \\|W_l\\|_F^2,

    with :math:`H(t, q) = -\\sum_k t_k \\log q_k`. It is minimized by
    L-BFGS-B with the exact gradient. Two classes use a single logistic output
    (the difference of the two logits), as ``LogisticRegression`` does.

    Fitting runs in float64 whatever the dtype of ``X``: L-BFGS-B works in
    double precision, and near the optimum it compares objective values that
    differ by far less than float32's resolution of about ``1e-7``, so a
    float32 objective would stop the line search early. Float32 input is
    converted once, which costs one copy of ``X`` rather than a cast at every
    iteration.

    While L-BFGS-B runs, the BLAS that scipy vendors (not numpy's) is limited
    to one thread: its vectors are too short to gain from threads, and its
    idle threads would otherwise compete with numpy's for the cores.

    ``score`` is the negative weighted mean cross-entropy of the given targets
    (without label smoothing) in nats, so model selection by ``score``
    selects by held-out cross-entropy. It is computed exactly as
    :data:`skxent.metrics.neg_cross_entropy_scorer` computes it.

    Sample weights only matter through their ratios; they are divided by
    their maximum before any sum, so that weights of ``1e308`` or ``1e-320``
    give the fit of unit weights.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.metrics import log_loss
    >>> from skxent import CrossEntropyClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = CrossEntropyClassifier(alpha=1e-2).fit(X, y)
    >>> bool(np.isclose(clf.score(X, y), -log_loss(y, clf.predict_proba(X))))
    True

    One-hot soft labels are hard labels:

    >>> soft = CrossEntropyClassifier(alpha=1e-2).fit(X, np.eye(3)[y])
    >>> bool(np.allclose(soft.coef_, clf.coef_, atol=1e-5))
    True

    With nothing to learn from, the cross-entropy is minimized by the class
    frequencies, the maximum likelihood estimate of a categorical variable:

    >>> y = np.array([0, 0, 0, 1, 2, 2, 2, 2])
    >>> prior = CrossEntropyClassifier(alpha=0.0, tol=1e-8).fit(np.zeros((8, 1)), y)
    >>> prior.predict_proba([[0.0]]).round(6)
    array([[0.375, 0.125, 0.5  ]])

    Soft labels can be given class names, which ``predict`` then returns:

    >>> votes = np.array([[0.8, 0.2], [0.3, 0.7], [0.9, 0.1], [0.2, 0.8]])
    >>> X = np.array([[0.0], [1.0], [0.1], [0.9]])
    >>> named = CrossEntropyClassifier().fit(X, votes, classes=["ham", "spam"])
    >>> named.predict([[0.0], [1.0]])
    array(['ham', 'spam'], dtype='<U4')
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean", StrOptions({"auto"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        hidden_layer_sizes=(),
        activation="relu",
        alpha=1e-4,
        label_smoothing=0.0,
        class_weight=None,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-4,
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=10,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.label_smoothing = label_smoothing
        self.class_weight = class_weight
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The data only ever meets the first weight matrix in products, which
        # scipy.sparse computes without densifying.
        tags.input_tags.sparse = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, classes=None):
        """Fit the model by minimizing the cross-entropy.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, n_features)
            Training data. On a Dask array each L-BFGS step evaluates the
            objective block by block on the workers (``y`` and
            ``sample_weight`` may then be Dask arrays too); the solution is
            the in-memory one.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels, or soft labels: rows of probabilities over
            ``n_classes >= 2`` classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; integer weights equal repeated rows.
        classes : array-like of shape (n_classes,), default=None
            The classes, in order, as ``classes_`` will hold them: names of
            the columns of soft labels (so that ``predict`` returns names,
            not column indices), or for hard labels every class, including
            any absent from ``y`` (as in ``partial_fit`` elsewhere in
            scikit-learn). ``None``: the sorted labels of ``y``, or column
            indices for soft labels.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if _dask.is_dask_collection(X):
            with restored_on_error(self):
                self._fit_dask(X, y, sample_weight, classes)
            return self
        with restored_on_error(self):
            X, target, classes, sample_weight = self._validate_training_data(
                X, y, sample_weight, classes
            )
            rng = check_random_state(self.random_state)
            train, held_out = self._split(target, sample_weight, rng)
            loss = self._loss(X, target, sample_weight, train, alpha=self.alpha)
            theta = self._initial_parameters(loss.layout, classes, rng)
            held_out_loss = (
                None
                if held_out is None
                else self._loss(X, target, sample_weight, held_out).cross_entropy
            )
            monitor = IterationMonitor(held_out_loss, self.n_iter_no_change)
            result = self._minimize(loss, theta, monitor, X)
            self._set_solution(loss, result, monitor, classes)
        return self

    def _fit_dask(self, X, y, sample_weight, classes):
        """Fit on a Dask array: each L-BFGS step is a map-reduce on the workers."""
        if self.early_stopping is True:
            raise ValueError(
                "early_stopping=True is not available on Dask arrays (a held-out "
                "split would move rows between workers); use early_stopping="
                "False, or 'auto', which does not stop early on Dask arrays."
            )
        if hasattr(X, "to_dask_array"):
            X = X.to_dask_array(lengths=True)
        if X.ndim != 2:
            raise ValueError(
                f"Expected a 2D dask array, got {X.ndim} dimension(s); reshape it "
                "to (n_samples, n_features)."
            )
        loss = DaskSoftmaxCrossEntropyLoss(
            X,
            y,
            sample_weight,
            classes,
            class_weight=self.class_weight,
            label_smoothing=self.label_smoothing,
            hidden_layer_sizes=_hidden_sizes(self.hidden_layer_sizes),
            activation=self.activation,
            alpha=self.alpha,
            fit_intercept=self.fit_intercept,
        )
        vars(self).pop("feature_names_in_", None)
        self.n_features_in_ = int(X.shape[1])
        rng = check_random_state(self.random_state)
        theta = self._initial_parameters(loss.layout, loss.classes, rng)
        monitor = IterationMonitor(None, self.n_iter_no_change)
        result = self._minimize(loss, theta, monitor, X)
        self._set_solution(loss, result, monitor, loss.classes)

    def _validate_training_data(self, X, y, sample_weight, classes):
        X, y = validate_data(
            self, X, y, accept_sparse="csr", dtype=np.float64, multi_output=True
        )
        if sp.issparse(y):
            raise ValueError("Sparse y is not supported; pass a dense array.")
        target, classes = encode_targets(y, classes)
        if len(classes) < 2:
            raise ValueError(
                "The classifier needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {classes[0]!r}."
            )
        sample_weight = check_sample_weight(sample_weight, X)
        # Only ratios matter: divide by the largest weight before anything
        # sums or multiplies them, so that 1e308 cannot overflow.
        sample_weight = sample_weight / sample_weight.max()
        sample_weight = sample_weight * class_weight_per_sample(
            self.class_weight, classes, target, sample_weight
        )
        if not sample_weight.sum() > 0:
            raise ValueError(
                "class_weight gives every sample weight zero; nothing to fit."
            )
        target = smooth_targets(target, self.label_smoothing)
        return X, target, classes, sample_weight

    def _uses_early_stopping(self, n_samples):
        if self.early_stopping == "auto":
            has_hidden_layers = len(_hidden_sizes(self.hidden_layer_sizes)) > 0
            n_held_out = np.ceil(self.validation_fraction * n_samples)
            return has_hidden_layers and n_held_out >= _MIN_HELD_OUT
        return bool(self.early_stopping)

    def _split(self, target, sample_weight, rng):
        """Training rows and held-out rows (``None`` without early stopping)."""
        if not self._uses_early_stopping(target.shape[0]):
            return None, None
        return validation_split(
            target,
            sample_weight,
            validation_fraction=self.validation_fraction,
            rng=rng,
        )

    def _loss(self, X, target, sample_weight, rows, alpha=0.0):
        if rows is not None:
            X, target, sample_weight = X[rows], target[rows], sample_weight[rows]
        return SoftmaxCrossEntropyLoss(
            X,
            target,
            sample_weight,
            hidden_layer_sizes=_hidden_sizes(self.hidden_layer_sizes),
            activation=self.activation,
            alpha=alpha,
            fit_intercept=self.fit_intercept,
        )

    def _initial_parameters(self, layout, classes, rng):
        if not (self.warm_start and hasattr(self, "classes_")):
            return layout.initialize(self.activation, rng)
        weights, biases = self._network_parameters()
        previous_sizes = (weights[0].shape[0], *(w.shape[1] for w in weights))
        if not np.array_equal(classes, self.classes_):
            raise ValueError(
                "warm_start needs the classes of the previous fit "
                f"{self.classes_!r}; y has {classes!r}."
            )
        if previous_sizes != layout.layer_sizes:
            raise ValueError(
                f"warm_start needs the layer sizes of the previous fit "
                f"{previous_sizes}; this fit has {layout.layer_sizes}."
            )
        return layout.pack(weights, biases)

    def _minimize(self, loss, theta, monitor, X):
        result = minimize_lbfgs(
            loss.loss_gradient,
            theta,
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            callback=monitor,
        )
        if not (np.isfinite(result.fun) and np.all(np.isfinite(result.x))):
            raise ValueError(
                "L-BFGS-B broke down with non-finite parameters: the features "
                f"are too large in magnitude (max |X| = {_max_abs(X):.3g}) for "
                "float64 arithmetic; scale them, e.g. with StandardScaler."
            )
        if not (result.success or monitor.stopped):
            advice = " Increase max_iter"
            if _looks_unscaled(X):
                advice += ", or scale the data (e.g. with StandardScaler)"
            warnings.warn(
                f"L-BFGS-B did not converge to tol={self.tol} in "
                f"{result.nit} iterations (max_iter={self.max_iter}): "
                f"{result.message}.{advice}.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return result

    def _set_solution(self, loss, result, monitor, classes):
        layout = loss.layout
        theta = result.x if monitor.best_theta is None else monitor.best_theta
        weights, biases = layout.unpack(theta)
        if not layout.fit_intercept:
            biases = [np.zeros(weight.shape[1]) for weight in weights]
        for name in ("coef_", "intercept_", "coefs_", "intercepts_"):
            self.__dict__.pop(name, None)
        if len(weights) == 1:
            self.coef_ = weights[0].T.copy()
            self.intercept_ = biases[0].copy()
        else:
            self.coefs_ = [weight.copy() for weight in weights]
            self.intercepts_ = [bias.copy() for bias in biases]
        # Predictions use the activation of this fit, whatever set_params
        # does to the parameter afterwards.
        self._fitted_activation = self.activation
        self.classes_ = classes
        self.n_iter_ = int(result.nit)
        self.loss_ = float(result.fun) if theta is result.x else loss.loss(theta)
        self.loss_curve_ = monitor.loss_curve
        held_out = monitor.held_out_loss is not None
        self.validation_scores_ = monitor.validation_scores if held_out else None
        self.best_validation_score_ = monitor.best_score if held_out else None

    def _network_parameters(self):
        if hasattr(self, "coef_"):
            return [self.coef_.T], [self.intercept_]
        return self.coefs_, self.intercepts_

    def decision_function(self, X):
        """Compute the raw outputs (logits) of the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The logit of ``classes_[1]`` for two classes; otherwise the
            logits, defined up to a constant per row.
        """
        raw = self._raw_predict(X)
        return self._head().decision(raw)

    def predict_log_proba(self, X):
        """Predict the log-probability of each class, computed in log space.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log p(classes_[k] | x_i)``; finite even for logits of ``1e4``.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict_log_proba, X, (len(self.classes_),))
        raw = self._raw_predict(X)
        return self._head().log_proba(raw)

    def predict_proba(self, X):
        """Predict the probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            ``exp(predict_log_proba(X))``; rows sum to one.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict_proba, X, (len(self.classes_),))
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Predict the most probable class of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        if _dask.is_dask_collection(X):
            return _dask.map_rows(self.predict, X, (), dtype=self.classes_.dtype)
        raw = self._raw_predict(X)
        return self.classes_[self._head().predict_index(raw)]

    def _head(self):
        return head_for(len(self.classes_))

    def _raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        weights, biases = self._network_parameters()
        with np.errstate(over="ignore", invalid="ignore"):
            raw = forward(X, weights, biases, self._fitted_activation)[-1]
        if not np.all(np.isfinite(raw)):
            raise ValueError(
                "The model's outputs overflow for some rows of X (max |X| = "
                f"{_max_abs(X):.3g}): X is too large in magnitude for float64 "
                "arithmetic; scale it as the training data were scaled."
            )
        return raw


def _hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a tuple of positive ints (one int is one layer)."""
    if isinstance(hidden_layer_sizes, Integral):
        hidden_layer_sizes = (hidden_layer_sizes,)
    sizes = tuple(hidden_layer_sizes)
    if not all(isinstance(size, Integral) and size > 0 for size in sizes):
        raise ValueError(
            f"hidden_layer_sizes must contain positive integers, got {sizes!r}."
        )
    return tuple(int(size) for size in sizes)


def _max_abs(X):
    return float(abs(X).max()) if X.shape[0] else 0.0


def _looks_unscaled(X):
    """Whether some feature is far from unit scale, so that scaling may help.

    A feature counts as scaled when its mean is within 10 and its standard
    deviation within a factor 10 of one (constant features are ignored):
    standardised, min-max scaled and 0/1 features all pass.
    """
    if sp.issparse(X):
        mean, var = mean_variance_axis(X, axis=0)
    else:
        mean, var = X.mean(axis=0), X.var(axis=0)
    std = np.sqrt(var[var > 0])
    return bool(np.any(np.abs(mean) > 10) or np.any((std > 10) | (std < 0.1)))
