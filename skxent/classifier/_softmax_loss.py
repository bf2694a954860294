"""The cross-entropy objective of a softmax classifier, with its exact gradient.

For raw outputs ``z`` and a target distribution ``t`` over ``K`` classes the
cross-entropy with the softmax of ``z`` is

    H(t, softmax(z)) = logsumexp(z) - t . z        (rows of t sum to one),

whose gradient with respect to ``z`` is ``softmax(z) - t``. Two classes use one
logistic output ``z = z_1 - z_0`` instead, for which

    H(t, sigmoid(z)) = log(1 + exp(z)) - t_1 z,    gradient sigmoid(z) - t_1.

:class:`SoftmaxCrossEntropyLoss` composes this with a network
(:mod:`skxent.classifier._mlp`), per-sample weights and an L2 penalty on the
weight matrices (never on biases), and returns the value and gradient that
``scipy.optimize.minimize(..., jac=True)`` expects.
"""

import numpy as np
from scipy.special import expit

from skxent.classifier._mlp import backward, forward

__all__ = [
    "SoftmaxCrossEntropyLoss",
    "binary_loss_gradient",
    "multinomial_loss_gradient",
]


def multinomial_loss_gradient(raw, target):
    """Per-row cross-entropy of softmax outputs and its gradient.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, n_classes)
        Logits; **overwritten** by the gradient to spare an allocation of the
        size of the data on every optimiser step.
    target : ndarray of shape (n_samples, n_classes)
        Target distributions.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        ``logsumexp(raw) - target . raw``, in nats.
    gradient : ndarray of shape (n_samples, n_classes)
        ``softmax(raw) - target`` (the array passed as ``raw``).
    """
    target_dot_raw = np.einsum("ij,ij->i", target, raw)
    # Shift by the row maximum before exponentiating: exp never overflows and
    # the largest term is exactly 1, so the log of the sum is >= 0 and exact.
    shift = raw.max(axis=1)
    raw -= shift[:, None]
    proba = np.exp(raw, out=raw)
    normaliser = proba.sum(axis=1)
    loss = shift + np.log(normaliser) - target_dot_raw
    proba /= normaliser[:, None]
    proba -= target
    return loss, proba


def binary_loss_gradient(raw, target):
    """Per-row cross-entropy of one logistic output and its gradient.

    Parameters
    ----------
    raw : ndarray of shape (n_samples, 1)
        Logit of the second class; overwritten by the gradient.
    target : ndarray of shape (n_samples, 1)
        Target probability of the second class.

    Returns
    -------
    loss : ndarray of shape (n_samples,)
        ``log(1 + exp(raw)) - target * raw``, in nats.
    gradient : ndarray of shape (n_samples, 1)
        ``sigmoid(raw) - target``.
    """
    # logaddexp(0, z) is log(1 + e^z) without overflow for large z and without
    # the loss of log1p's precision for very negative z.
    loss = (np.logaddexp(0.0, raw) - target * raw)[:, 0]
    gradient = expit(raw, out=raw)
    gradient -= target
    return loss, gradient


class SoftmaxCrossEntropyLoss:
    """Weighted mean cross-entropy of a network's softmax plus an L2 penalty.

    .. math::

        L(\\theta) = \\sum_i \\frac{w_i}{\\sum_j w_j}
        H\\big(t_i, \\mathrm{softmax}(f_\\theta(x_i))\\big)
        + \\frac{\\alpha}{2} \\sum_l \\|W_l\\|_F^2

    Parameters
    ----------
    layout : ParameterLayout
        Network architecture and the packing of its parameters.
    activation : str
        Hidden activation of the network.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training inputs, float64.
    target : ndarray of shape (n_samples, n_outputs)
        Target distributions; one column (probability of the second class)
        for a single logistic output.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights with a positive sum.
    alpha : float
        Strength of the L2 penalty on the weight matrices.
    """

    def __init__(self, layout, activation, X, target, sample_weight, alpha):
        self.layout = layout
        self.activation = activation
        self.X = X
        self.target = target
        self.alpha = alpha
        # Normalise once so that integer weights equal repeated rows and the
        # objective is on the scale of a mean, whatever the weights' scale.
        self._weight = sample_weight / sample_weight.sum()
        self._head = (
            binary_loss_gradient if target.shape[1] == 1 else multinomial_loss_gradient
        )

    def loss_gradient(self, theta):
        """Objective value and its gradient with respect to ``theta``."""
        weights, biases = self.layout.unpack(theta)
        activations = forward(self.X, weights, biases, self.activation)
        loss, delta = self._head(activations.pop(), self.target)
        delta *= self._weight[:, None]
        value = self._weight @ loss

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
