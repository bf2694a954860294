"""Fitting that either completes or leaves the estimator as it was."""

from contextlib import contextmanager

__all__ = ["restored_on_error"]


@contextmanager
def restored_on_error(estimator):
    """Restore every attribute of ``estimator`` if the body raises.

    Fitting sets several attributes (``n_features_in_`` as soon as the data
    are validated, the parameters last); a failure in between must not leave
    a half-updated estimator, so the attributes are saved first and put back.
    The saved values are not copied: fitting replaces attributes, it never
    mutates them in place.
    """
    saved = dict(vars(estimator))
    try:
        yield
    except BaseException:
        vars(estimator).clear()
        vars(estimator).update(saved)
        raise
