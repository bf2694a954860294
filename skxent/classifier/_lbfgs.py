"""L-BFGS-B as the classifier runs it: options, progress printing, BLAS threads.

scipy's L-BFGS-B calls BLAS on vectors of the size of the parameters, in the
OpenBLAS that scipy's wheels vendor, which is a different library (with its
own thread pool) from the OpenBLAS that numpy's wheels vendor for the products
with the data. OpenBLAS worker threads busy-wait for a while after each call,
so on a machine with few cores the two pools take the cores from each other:
measured on 2 cores, a logistic regression on 50,000 x 100 data spends 2.5x
the time of its loss and gradient per iteration, and on the digits data 10x.
Running scipy's pool on one thread while minimizing removes this; its vectors
are far too short to gain from threads. A BLAS shared by numpy and scipy (as
in conda environments) is left alone.

The limit is process-wide state, so concurrent fits (threads) share it: the
first fit to start sets it and the last to finish restores the original, under
a lock. Entering and leaving it per fit would let a fit that started second
"restore" the limit of one thread that the first had set, for good.
"""

import functools
import itertools
import os
import threading
from contextlib import contextmanager

import numpy as np
import scipy
from scipy.optimize import minimize
from threadpoolctl import ThreadpoolController

__all__ = ["minimize_lbfgs", "scipy_blas_single_threaded"]

_SCIPY_DIR = os.path.dirname(os.path.realpath(scipy.__file__))
# Wheels vendor their shared libraries beside the package, in scipy.libs.
_SCIPY_DIRS = (_SCIPY_DIR + os.sep, _SCIPY_DIR + ".libs" + os.sep)


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


_limit_lock = threading.Lock()
_limit_state = {"users": 0, "limiter": None}


@contextmanager
def scipy_blas_single_threaded():
    """Run scipy's vendored BLAS on one thread while any fit is inside.

    Reference-counted under a lock, so that overlapping fits in several
    threads leave the original limit in place when the last one leaves.
    """
    with _limit_lock:
        if _limit_state["users"] == 0:
            _limit_state["limiter"] = _scipy_blas_controller().limit(limits=1)
        _limit_state["users"] += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_state["users"] -= 1
            if _limit_state["users"] == 0:
                _limit_state["limiter"].restore_original_limits()
                _limit_state["limiter"] = None


@functools.cache
def _scipy_blas_controller():
    """Threadpool controller of the BLAS libraries vendored by scipy only.

    Cached: finding the loaded libraries takes milliseconds, and scipy's BLAS
    is loaded with ``scipy.optimize``, before the first call.
    """
    controller = ThreadpoolController()
    vendored = [
        lib.filepath
        for lib in controller.lib_controllers
        if lib.user_api == "blas"
        and os.path.realpath(lib.filepath).startswith(_SCIPY_DIRS)
    ]
    return controller.select(filepath=vendored)


class _LossPrinter:
    """L-BFGS-B callback printing the objective after every iteration."""

    def __init__(self):
        self._iteration = itertools.count(1)

    def __call__(self, intermediate_result):
        print(
            f"Iteration {next(self._iteration)}, loss = {intermediate_result.fun:.10g}"
        )
