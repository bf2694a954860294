"""CrossEntropyClassifier: a softmax model fit by minimizing cross-entropy."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.special import log_expit, log_softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from skxent._atomic import restored_on_error
from skxent._math import cross_entropy_from_log_proba
from skxent._validation import check_sample_weight
from skxent.classifier._lbfgs import minimize_lbfgs
from skxent.classifier._mlp import ACTIVATIONS, ParameterLayout, forward
from skxent.classifier._softmax_loss import SoftmaxCrossEntropyLoss
from skxent.classifier._targets import (
    class_weight_per_sample,
    encode_targets,
    smooth_targets,
)

__all__ = ["CrossEntropyClassifier"]


class CrossEntropyClassifier(ClassifierMixin, BaseEstimator):
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
        by class label (by class index for soft labels); ``"balanced"`` gives
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
    warm_start : bool, default=False
        Start from the previous solution when refitting on the same classes
        and architecture.
    random_state : int, RandomState instance or None, default=None
        Seed of the perceptron's initial weights. The linear model starts
        from zero and does not use it.
    verbose : int, default=0
        If positive, print the objective after every L-BFGS iteration.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; ``np.arange(n_classes)`` when fit on soft labels.
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
        Objective value at the solution, in nats.
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
    selects by held-out cross-entropy.

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
    def fit(self, X, y, sample_weight=None):
        """Fit the model by minimizing the cross-entropy.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels, or soft labels: rows of probabilities over
            ``n_classes >= 2`` classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; integer weights equal repeated rows.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with restored_on_error(self):
            X, target, classes, sample_weight = self._validate_training_data(
                X, y, sample_weight
            )
            layout = ParameterLayout(
                (X.shape[1], *_hidden_sizes(self.hidden_layer_sizes), target.shape[1]),
                self.fit_intercept,
            )
            theta = self._initial_parameters(layout, classes)
            loss = SoftmaxCrossEntropyLoss(
                layout, self.activation, X, target, sample_weight, self.alpha
            )
            result = self._minimize(loss, theta)
            self._set_solution(layout, result, classes)
        return self

    def _validate_training_data(self, X, y, sample_weight):
        X, y = validate_data(
            self, X, y, accept_sparse="csr", dtype=np.float64, multi_output=True
        )
        if sp.issparse(y):
            raise ValueError("Sparse y is not supported; pass a dense array.")
        target, classes = encode_targets(y)
        sample_weight = check_sample_weight(sample_weight, X)
        sample_weight = sample_weight * class_weight_per_sample(
            self.class_weight, classes, target, sample_weight
        )
        if not sample_weight.sum() > 0:
            raise ValueError(
                "class_weight gives every sample weight zero; nothing to fit."
            )
        target = smooth_targets(target, self.label_smoothing)
        if len(classes) == 2:
            # One logistic output: its target is the probability of classes[1].
            target = target[:, 1:]
        return X, np.ascontiguousarray(target), classes, sample_weight

    def _initial_parameters(self, layout, classes):
        if not (self.warm_start and hasattr(self, "classes_")):
            return layout.initialize(
                self.activation, check_random_state(self.random_state)
            )
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

    def _minimize(self, loss, theta):
        result = minimize_lbfgs(
            loss.loss_gradient,
            theta,
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
        )
        if not result.success:
            warnings.warn(
                f"L-BFGS-B did not converge to tol={self.tol} in "
                f"{result.nit} iterations (max_iter={self.max_iter}): "
                f"{result.message}. Increase max_iter, or scale the data.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return result

    def _set_solution(self, layout, result, classes):
        weights, biases = layout.unpack(result.x)
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
        self.classes_ = classes
        self.n_iter_ = int(result.nit)
        self.loss_ = float(result.fun)

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
        return raw[:, 0] if raw.shape[1] == 1 else raw

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
        raw = self._raw_predict(X)
        if raw.shape[1] == 1:
            return np.hstack([log_expit(-raw), log_expit(raw)])
        return log_softmax(raw, axis=1)

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
        raw = self._raw_predict(X)
        if raw.shape[1] == 1:
            return self.classes_[(raw[:, 0] > 0).astype(np.intp)]
        return self.classes_[np.argmax(raw, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Return the negative mean cross-entropy of targets and model, in nats.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Hard labels from ``classes_`` or soft labels over the classes.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows.

        Returns
        -------
        score : float
            ``-sum_i w_i H(t_i, p(. | x_i)) / sum_i w_i``; equals
            ``-sklearn.metrics.log_loss`` on hard labels. Higher is better.
        """
        log_proba = self.predict_log_proba(X)
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        check_consistent_length(log_proba, y)
        target, _ = encode_targets(y, classes=self.classes_)
        weights = check_sample_weight(sample_weight, log_proba)
        return -float(
            np.average(cross_entropy_from_log_proba(target, log_proba), weights=weights)
        )

    def _raw_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        weights, biases = self._network_parameters()
        return forward(X, weights, biases, self.activation)[-1]


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
