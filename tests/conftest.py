"""Shared test configuration: the hypothesis profile, seeds and warning guards."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Property tests are deterministic (derandomize) so that CI never fails on a
# draw no one can reproduce, and bounded so that the suite stays fast.
settings.register_profile(
    "skxent",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("skxent")


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test."""
    return np.random.default_rng(0)


@pytest.fixture
def no_warnings():
    """Turn every warning into an error, except third parties' deprecations.

    A DeprecationWarning or FutureWarning raised by scikit-learn, scipy or
    numpy about their own API (e.g. scikit-learn 1.6 with a newer scipy) is
    not skxent's to fix; anything else, skxent's deprecations included, is.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
            warnings.filterwarnings("default", category=category)
            warnings.filterwarnings("error", category=category, module="skxent")
        yield
