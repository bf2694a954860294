"""One test case per registered family, read by tests/test_families.py.

Each module ``tests/family_cases/<name>.py`` defines ``CASE``, a
:class:`FamilyCase` for the family registered under ``<name>``. The shared
suite in tests/test_families.py states the family contract once and runs it
over every case; a registered family without a case fails that suite.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FamilyCase", "all_cases"]


@dataclass
class FamilyCase:
    """What the shared suite needs to know to test one family.

    Attributes
    ----------
    estimator : estimator
        An unfitted, configured instance (cloned before each use).
    make_data : callable
        ``make_data(rng, n_samples) -> X``: data inside the support, from a
        member of the family (so that the fit is well defined and sampling
        moments can be compared).
    scipy_logpdf : callable
        ``scipy_logpdf(model, X) -> ndarray (n_samples,)``: the log-density or
        log-mass of each row from ``scipy.stats`` with the fitted parameters.
    scipy_entropy : callable or None
        ``scipy_entropy(model) -> float`` from ``scipy.stats``, or None when
        scipy has no entropy for the distribution.
    perturbations : callable
        ``perturbations(model) -> list of models``: copies of a fitted model
        with parameters moved slightly inside the parameter space; the MLE
        must beat each on its training data.
    outside_support : object or None
        A row (list) outside the support: refused at fit, ``-inf`` at score.
    train_score_is_minus_entropy : bool
        Whether score on the training data equals ``-entropy()`` for the
        MLE (true for exponential families with the sufficient statistics'
        expectations matched, e.g. Gaussian with ``reg_covar=0``).
    moments : callable or None
        ``moments(X) -> ndarray``: statistics compared between the training
        data and a large sample of the fitted model (default: column means).
    monte_carlo_kl : bool
        Whether ``kl_divergence`` is checked against a Monte-Carlo estimate.
    """

    estimator: object
    make_data: Callable
    scipy_logpdf: Callable
    scipy_entropy: Callable | None
    perturbations: Callable
    outside_support: object = None
    train_score_is_minus_entropy: bool = False
    moments: Callable | None = None
    monte_carlo_kl: bool = True
    extra: dict = field(default_factory=dict)


def all_cases():
    """``{family name: FamilyCase}`` for every module in this package."""
    cases = {}
    for module in pkgutil.iter_modules(__path__):
        cases[module.name] = importlib.import_module(f"{__name__}.{module.name}").CASE
    return cases
