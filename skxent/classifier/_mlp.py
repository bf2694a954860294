"""Feed-forward networks as pure functions of their parameters.

A network maps ``X`` to raw outputs (logits) through layers
``a_l = g(a_{l-1} W_l + b_l)``, with the identity after the last layer. The
affine model (multinomial logistic regression) is the network without hidden
layers, so the linear and the multilayer classifier share every line below.

The optimiser sees the parameters as one flat vector; :class:`ParameterLayout`
turns it into per-layer views (no copies) and back.
"""

from itertools import pairwise

import numpy as np
from scipy.special import expit

__all__ = ["ACTIVATIONS", "ParameterLayout", "backward", "forward"]


def _relu(z):
    return np.maximum(z, 0.0, out=z)


def _tanh(z):
    return np.tanh(z, out=z)


def _logistic(z):
    return expit(z, out=z)


def _identity(z):
    return z


def _relu_backprop(a, delta):
    # Written in terms of the activation a = g(z): a > 0 exactly where z > 0.
    # Multiplying by the mask is several times faster than masked assignment.
    delta *= a > 0


def _tanh_backprop(a, delta):
    delta *= 1.0 - a**2


def _logistic_backprop(a, delta):
    delta *= a * (1.0 - a)


def _identity_backprop(a, delta):
    pass


#: In-place activation functions, overwriting their argument.
ACTIVATIONS = {
    "identity": _identity,
    "logistic": _logistic,
    "relu": _relu,
    "tanh": _tanh,
}

#: In-place multiplication of ``delta`` by g'(z), written in terms of a = g(z).
_BACKPROP = {
    "identity": _identity_backprop,
    "logistic": _logistic_backprop,
    "relu": _relu_backprop,
    "tanh": _tanh_backprop,
}


class ParameterLayout:
    """Where each layer's weights and biases live in a flat parameter vector.

    Layer ``l`` stores its weight matrix of shape ``(fan_in, fan_out)`` in
    C order, followed by its bias of shape ``(fan_out,)`` when
    ``fit_intercept`` is true.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``(n_features, *hidden_layer_sizes, n_outputs)``.
    fit_intercept : bool
        Whether every layer has a bias.
    """

    def __init__(self, layer_sizes, fit_intercept):
        self.layer_sizes = tuple(int(size) for size in layer_sizes)
        self.fit_intercept = fit_intercept
        self.weight_slices = []
        self.bias_slices = []
        start = 0
        for fan_in, fan_out in pairwise(self.layer_sizes):
            self.weight_slices.append(slice(start, start + fan_in * fan_out))
            start += fan_in * fan_out
            if fit_intercept:
                self.bias_slices.append(slice(start, start + fan_out))
                start += fan_out
        self.n_parameters = start

    @property
    def shapes(self):
        """Shapes ``(fan_in, fan_out)`` of the weight matrices."""
        return list(pairwise(self.layer_sizes))

    def unpack(self, theta):
        """Per-layer views ``(weights, biases)`` into ``theta``.

        ``biases`` holds ``None`` for every layer when there is no intercept.
        """
        weights = [
            theta[where].reshape(shape)
            for where, shape in zip(self.weight_slices, self.shapes, strict=True)
        ]
        if not self.fit_intercept:
            return weights, [None] * len(weights)
        return weights, [theta[where] for where in self.bias_slices]

    def pack(self, weights, biases):
        """The flat float64 vector holding ``weights`` and ``biases``."""
        theta = np.empty(self.n_parameters)
        for where, weight in zip(self.weight_slices, weights, strict=True):
            theta[where] = np.ravel(weight)
        if self.fit_intercept:
            for where, bias in zip(self.bias_slices, biases, strict=True):
                theta[where] = bias
        return theta

    def initialize(self, activation, random_state):
        """Parameters to start the optimiser from.

        Without hidden layers the objective is convex and the start is zero,
        so that the fit is deterministic. A multilayer network needs broken
        symmetry: weights are drawn uniformly with Glorot and Bengio's scale
        ``sqrt(6 / (fan_in + fan_out))`` (a third of the variance for the
        logistic activation, whose slope at zero is 1/4), biases start at 0.
        """
        theta = np.zeros(self.n_parameters)
        if len(self.layer_sizes) == 2:
            return theta
        gain = 2.0 if activation == "logistic" else 6.0
        for where, (fan_in, fan_out) in zip(
            self.weight_slices, self.shapes, strict=True
        ):
            bound = np.sqrt(gain / (fan_in + fan_out))
            theta[where] = random_state.uniform(-bound, bound, fan_in * fan_out)
        return theta


def forward(X, weights, biases, activation):
    """Activations of every layer, from ``X`` to the raw outputs.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Input; only multiplied by the first weight matrix, so CSR input is
        never densified.
    weights, biases : list of ndarray
        Per-layer parameters (biases may be ``None``).
    activation : str
        Hidden activation, a key of :data:`ACTIVATIONS`.

    Returns
    -------
    activations : list of ndarray
        ``[X, a_1, ..., a_{L-1}, raw]``; the last entry has shape
        ``(n_samples, n_outputs)``.
    """
    activations = [X]
    last = len(weights) - 1
    for layer, (weight, bias) in enumerate(zip(weights, biases, strict=True)):
        z = activations[-1] @ weight
        if bias is not None:
            z += bias
        if layer < last:
            z = ACTIVATIONS[activation](z)
        activations.append(z)
    return activations


def backward(activations, delta, weights, activation, grad_weights, grad_biases):
    """Back-propagate the gradient with respect to the raw outputs.

    Parameters
    ----------
    activations : list of ndarray
        Output of :func:`forward`.
    delta : ndarray of shape (n_samples, n_outputs)
        Gradient of the objective with respect to the raw outputs; overwritten.
    weights : list of ndarray
        Per-layer weights used in the forward pass.
    activation : str
        Hidden activation.
    grad_weights, grad_biases : list of ndarray
        Views into the flat gradient, filled in place (``grad_biases`` holds
        ``None`` when there is no intercept).
    """
    for layer in range(len(weights) - 1, -1, -1):
        grad_weights[layer][...] = activations[layer].T @ delta
        if grad_biases[layer] is not None:
            np.sum(delta, axis=0, out=grad_biases[layer])
        if layer > 0:
            delta = delta @ weights[layer].T
            _BACKPROP[activation](activations[layer], delta)
