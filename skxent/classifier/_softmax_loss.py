"""The cross-entropy objective of a softmax classifier, with its exact gradient.

For raw outputs ``z`` and target weights ``t`` over ``K`` classes (a
probability distribution, whose sum ``s`` is 1 to round-off) the cross-entropy
with the softmax of ``z`` is

    H(t, softmax(z)) = -sum_k t_k (z_k - logsumexp(z)) = s logsumexp(z) - t . z,

whose gradient with respect to ``z`` is ``s softmax(z) - t``. Writing ``s``
rather than 1 keeps the objective bounded below whatever round-off left in
the rows: with ``1`` in its place, a shift ``c`` of the unpenalised
intercepts would change it by ``c sum_i w_i (1 - s_i)``, without bound.

Two classes use one logistic output ``z = z_1 - z_0`` instead, for which

    H(t, sigmoid(z)) = s log(1 + exp(z)) - t_1 z,    gradient s sigmoid(z) - t_1.

Which of the two a model uses is decided once, by :func:`head_for` from the
number of classes; the head then computes the loss, the log-probabilities
and the predictions from the raw outputs, for fit and predict alike.

:class:`SoftmaxCrossEntropyLoss` composes the head with a network
(:mod:`skxent.classifier._mlp`), per-sample weights and an L2 penalty on the
weight matrices (never on biases), and returns the value and gradient that
``scipy.optimize.minimize(..., jac=True)`` expects.
"""

import numpy as np
from scipy.special import expit, log_expit, log_softmax

from skxent.classifier._mlp import ParameterLayout, backward, forward

__all__ = [
    "LogisticHead",
    "SoftmaxCrossEntropyLoss",
    "SoftmaxHead",
    "binary_loss_gradient",
    "head_for",
    "multinomial_loss_gradient",
]


def multinomial_loss_gradient(raw, target, target_sum):
    """Per-row cross-entropy of softmax outputs and its gradient.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, n_classes)
        Logits; **overwritten** by the gradient to spare an allocation of the
        size of the data on every optimiser step.
    target : ndarray of shape (n_samples, n_classes)
        Target distributions.
    target_sum : ndarray of shape (n_samples,)
        Row sums of ``target``.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        ``target_sum * logsumexp(raw) - target . raw``, in nats.
    gradient : ndarray of shape (n_samples, n_classes)
        ``target_sum * softmax(raw) - target`` (the array passed as ``raw``).
    """
    target_dot_raw = np.einsum("ij,ij->i", target, raw)
    # Shift by the row maximum before exponentiating: exp never overflows and
    # the largest term is exactly 1, so the log of the sum is >= 0 and exact.
    shift = raw.max(axis=1)
    raw -= shift[:, None]
    proba = np.exp(raw, out=raw)
    normaliser = proba.sum(axis=1)
    loss = target_sum * (shift + np.log(normaliser)) - target_dot_raw
    proba *= (target_sum / normaliser)[:, None]
    proba -= target
    return loss, proba


def binary_loss_gradient(raw, target, target_sum):
    """Per-row cross-entropy of one logistic output and its gradient.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, 1)
        Logit of the second class; overwritten by the gradient.
    target : ndarray of shape (n_samples, 1)
        Target probability of the second class.
    target_sum : ndarray of shape (n_samples,)
        Row sums of the two-column target.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        ``target_sum * log(1 + exp(raw)) - target * raw``, in nats.
    gradient : ndarray of shape (n_samples, 1)
        ``target_sum * sigmoid(raw) - target``.
    """
    # logaddexp(0, z) is log(1 + e^z) without overflow for large z and without
    # the loss of log1p's precision for very negative z.
    loss = target_sum * np.logaddexp(0.0, raw[:, 0]) - target[:, 0] * raw[:, 0]
    gradient = expit(raw, out=raw)
    gradient *= target_sum[:, None]
    gradient -= target
    return loss, gradient


class LogisticHead:
    """Two classes as one output, the logit of the second class."""

    n_outputs = 1

    @staticmethod
    def outputs_target(target):
        """The target of the output: the probability of the second class."""
        return np.ascontiguousarray(target[:, 1:])

    loss_gradient = staticmethod(binary_loss_gradient)

    @staticmethod
    def decision(raw):
        """The logit of the second class, of shape ``(n_samples,)``."""
        return raw[:, 0]

    @staticmethod
    def log_proba(raw):
        """Log-probabilities of both classes, in log space."""
        return np.hstack([log_expit(-raw), log_expit(raw)])

    @staticmethod
    def predict_index(raw):
        """Index of the most probable class (ties go to the first)."""
        return (raw[:, 0] > 0).astype(np.intp)


class SoftmaxHead:
    """Three or more classes as one output (logit) per class."""

    def __init__(self, n_classes):
        self.n_outputs = n_classes

    @staticmethod
    def outputs_target(target):
        """The target of the outputs: the target itself."""
        return target

    loss_gradient = staticmethod(multinomial_loss_gradient)

    @staticmethod
    def decision(raw):
        """The logits, defined up to a constant per row."""
        return raw

    @staticmethod
    def log_proba(raw):
        """Log-probabilities of the classes, in log space."""
        return log_softmax(raw, axis=1)

    @staticmethod
    def predict_index(raw):
        """Index of the most probable class."""
        return np.argmax(raw, axis=1)


def head_for(n_classes):
    """The output head of a model of ``n_classes`` classes.

    This is the one place that decides that two classes use a single logistic
    output, as ``LogisticRegression`` does (``coef_`` of one row).
    """
    return LogisticHead() if n_classes == 2 else SoftmaxHead(n_classes)


class SoftmaxCrossEntropyLoss:
    """Weighted mean cross-entropy of a network's softmax plus an L2 penalty.

    .. math::

        L(\\theta) = \\sum_i \\frac{w_i}{\\sum_j w_j}
        H\\big(t_i, \\mathrm{softmax}(f_\\theta(x_i))\\big)
        + \\frac{\\alpha}{2} \\sum_l \\|W_l\\|_F^2

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training inputs, float64.
    target : ndarray of shape (n_samples, n_classes)
        Target distributions over ``n_classes >= 2`` classes; two classes are
        fit with one logistic output (see :func:`head_for`).
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum; only their ratios matter.
    hidden_layer_sizes : tuple of int, default=()
        Units of the hidden layers.
    activation : str, default="relu"
        Hidden activation of the network.
    alpha : float, default=0.0
        Strength of the L2 penalty on the weight matrices.
    fit_intercept : bool, default=True
        Whether every layer has a bias.
    weight_total : float or None, default=None
        For one block of a larger data set: the total of the whole set's
        weights (already divided by their largest), so that the objectives
        and gradients of the blocks sum to that of the whole set. ``None``
        normalises this data's own weights.

    Attributes
    ----------
    head : LogisticHead or SoftmaxHead
        The output head.
    layout : ParameterLayout
        Network architecture and the packing of its parameters.
    """

    def __init__(
        self,
        X,
        target,
        sample_weight,
        *,
        hidden_layer_sizes=(),
        activation="relu",
        alpha=0.0,
        fit_intercept=True,
        weight_total=None,
    ):
        self.head = head_for(target.shape[1])
        self.layout = ParameterLayout(
            (X.shape[1], *hidden_layer_sizes, self.head.n_outputs), fit_intercept
        )
        self.activation = activation
        self.X = X
        self.target = self.head.outputs_target(target)
        self.target_sum = target.sum(axis=1)
        self.alpha = alpha
        # Normalise once so that integer weights equal repeated rows and the
        # objective is on the scale of a mean. Dividing by the largest weight
        # first makes it scale-free: weights of 1e308 do not overflow the sum
        # and subnormal weights do not lose digits.
        if weight_total is None:
            weight = sample_weight / sample_weight.max()
            weight_total = weight.sum()
        else:
            # One block of a larger data set (skxent.classifier._dask_loss):
            # the weights were scaled by the largest weight of the whole set
            # and are divided by its total, so block objectives add up to
            # the objective of the whole.
            weight = sample_weight
        self._weight = weight / weight_total

    def loss_gradient(self, theta):
        """Objective value and its gradient with respect to ``theta``."""
        weights, biases = self.layout.unpack(theta)
        # Overflow is reported below by one clear error, not by warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            activations = forward(self.X, weights, biases, self.activation)
            loss, delta = self.head.loss_gradient(
                activations.pop(), self.target, self.target_sum
            )
            delta *= self._weight[:, None]
            value = self._weight @ loss
        if not np.isfinite(value):
            raise ValueError(
                "The cross-entropy overflowed (the network's outputs are not "
                "finite): the features are too large in magnitude for float64; "
                "scale them, e.g. with StandardScaler."
            )

        gradient = np.empty_like(theta)
        grad_weights, grad_biases = self.layout.unpack(gradient)
        backward(
            activations, delta, weights, self.activation, grad_weights, grad_biases
        )
        for where in self.layout.weight_slices:
            value += 0.5 * self.alpha * (theta[where] @ theta[where])
            gradient[where] += self.alpha * theta[where]
        return float(value), gradient

    def loss(self, theta):
        """Objective value at ``theta``."""
        return self.loss_gradient(theta)[0]

    def gradient(self, theta):
        """Gradient of the objective at ``theta``."""
        return self.loss_gradient(theta)[1]

    def cross_entropy(self, theta):
        """Weighted mean cross-entropy at ``theta``, without the penalty."""
        weights, biases = self.layout.unpack(theta)
        raw = forward(self.X, weights, biases, self.activation)[-1]
        loss, _ = self.head.loss_gradient(raw, self.target, self.target_sum)
        return float(self._weight @ loss)
