"""scipy's vendored BLAS on one thread while an iterative fit runs.

scipy's solvers (L-BFGS-B) and small dense kernels call BLAS on short
vectors, in the OpenBLAS that scipy's wheels vendor, which is a different
library (with its own thread pool) from the OpenBLAS that numpy's wheels
vendor for the products with the data. OpenBLAS worker threads busy-wait
for a while after each call, so on a machine with few cores the two pools
take the cores from each other: measured on 2 cores, a logistic regression
on 50,000 x 100 data spends 2.5x the time of its loss and gradient per
iteration, and on the digits data 10x; an EM iteration of a mixture alike.
Running scipy's pool on one thread while fitting removes this. A BLAS
shared by numpy and scipy (as in conda environments) is left alone.

The limit is process-wide state, so concurrent fits (threads) share it: the
first fit to start sets it and the last to finish restores the original,
under a lock. Entering and leaving it per fit would let a fit that started
second "restore" the limit of one thread that the first had set, for good.
"""

import functools
import os
import threading
from contextlib import contextmanager

import scipy
from threadpoolctl import ThreadpoolController

__all__ = ["scipy_blas_single_threaded"]

_SCIPY_DIR = os.path.dirname(os.path.realpath(scipy.__file__))
# Wheels vendor their shared libraries beside the package, in scipy.libs.
_SCIPY_DIRS = (_SCIPY_DIR + os.sep, _SCIPY_DIR + ".libs" + os.sep)


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
