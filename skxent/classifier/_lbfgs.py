"""L-BFGS-B as the classifier runs it: options, progress printing, BLAS threads.

The minimisation runs with scipy's vendored BLAS on one thread
(:mod:`skxent._blas`, which says why), as the mixture's EM and the generative
classifier do.
"""

import itertools

import numpy as np
from scipy.optimize import minimize

from skxent._blas import scipy_blas_single_threaded

__all__ = ["minimize_lbfgs"]


def minimize_lbfgs(loss_gradient, theta, *, max_iter, tol, verbose=0, callback=None):
    """Minimize a function given with its gradient by L-BFGS-B.

    Parameters
    ----------
    loss_gradient : callable
        ``theta -> (value, gradient)``.
    theta : ndarray of shape (n_parameters,)
        Starting point.
    max_iter : int
        Maximum number of iterations.
    tol : float
        Stop when every component of the gradient is at most ``tol`` in
        absolute value.
    verbose : int, default=0
        If positive, print the objective after every iteration.
    callback : callable, default=None
        ``callback(intermediate_result)`` after every iteration, which may
        raise ``StopIteration`` to stop (scipy's convention).

    Returns
    -------
    result : scipy.optimize.OptimizeResult
        As returned by ``scipy.optimize.minimize``.
    """
    options = {
        "maxiter": max_iter,
        "maxfun": 50 * max_iter,
        "maxls": 50,
        "gtol": tol,
        # Stop on the gradient, not on a stalling objective: a relative
        # decrease of a few ulps is still progress on ill-conditioned problems.
        "ftol": 64 * np.finfo(np.float64).eps,
    }
    callbacks = [c for c in (_LossPrinter() if verbose else None, callback) if c]
    with scipy_blas_single_threaded():
        return minimize(
            loss_gradient,
            theta,
            method="L-BFGS-B",
            jac=True,
            callback=_chain(callbacks) if callbacks else None,
            options=options,
        )


def _chain(callbacks):
    def callback(intermediate_result):
        for one in callbacks:
            one(intermediate_result)

    return callback


class _LossPrinter:
    """L-BFGS-B callback printing the objective after every iteration."""

    def __init__(self):
        self._iteration = itertools.count(1)

    def __call__(self, intermediate_result):
        print(
            f"Iteration {next(self._iteration)}, loss = {intermediate_result.fun:.10g}"
        )
