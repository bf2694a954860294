"""scikit-learn's checks, rerun where a family's support admits their data.

A family whose support is smaller than the reals lists as expected failures
the checks that feed data outside it (tests/family_cases/<name>.py). Each
family's tests then rerun exactly those checks on a test-only subclass that
maps the checks' data into the support (rounding to counts, arctan into
(0, 1), softmax onto the simplex), so that the convention each check covers
(clone, refit, pickle, invariances, ...) is still tested.
"""

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator

__all__ = ["checks_named", "names_of", "names_with_reason"]


def names_with_reason(expected_failed_checks, reason):
    """The names of the expected failures listed for ``reason``, sorted."""
    return sorted(name for name, why in expected_failed_checks.items() if why == reason)


def checks_named(estimator, names):
    """``pytest.param(estimator, check)`` for each of ``estimator``'s checks
    whose name is in ``names``, with the check's keywords in its id."""
    params = []
    for checked, check in estimator_checks_generator(estimator):
        name = getattr(check, "func", check).__name__
        if name in names:
            keywords = getattr(check, "keywords", {})
            suffix = "".join(f"({k}={v})" for k, v in keywords.items())
            params.append(pytest.param(checked, check, id=f"{name}{suffix}"))
    return params


def names_of(params):
    """The check names behind ``checks_named``'s params."""
    return {param.id.split("(")[0] for param in params}
