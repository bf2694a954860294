"""GammaDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import GammaDistribution
from tests.family_cases import FamilyCase

_SHAPES = np.array([2.0, 0.7, 9.0])
_SCALES = np.array([1.5, 3.0, 0.2])


def _make_data(rng, n_samples):
    return rng.gamma(_SHAPES, _SCALES, size=(n_samples, _SHAPES.size))


def _frozen(model):
    return stats.gamma(model.shapes_, scale=model.scales_)


def _scipy_logpdf(model, X):
    return _frozen(model).logpdf(X).sum(axis=1)


def _scipy_entropy(model):
    return _frozen(model).entropy().sum()


def _perturbations(model):
    moved = []
    for factor in (1.05, 0.95):
        for name in ("shapes_", "scales_"):
            perturbed = copy.deepcopy(model)
            setattr(perturbed, name, getattr(model, name) * factor)
            moved.append(perturbed)
    return moved


CASE = FamilyCase(
    estimator=GammaDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    # Zero is outside the support x > 0 (scipy's density is defined there).
    outside_support=[1.0, 0.0, 2.0],
    # An exponential family with x and log x matched in expectation.
    train_score_is_minus_entropy=True,
)

#: Checks whose data scikit-learn draws from a normal distribution (or
#: rounds to integers including 0): outside the support x > 0, where the
#: ValueError naming the column is the right answer. tests/test_gamma.py
#: tests each convention on positive data.
_OUTSIDE_SUPPORT = (
    "the check fits on data with negative values or zeros, outside the "
    "support x > 0; the ValueError naming the column is the documented answer"
)
EXPECTED_FAILED_CHECKS = {
    name: _OUTSIDE_SUPPORT
    for name in (
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_positive_only_tag_during_fit",
        "check_readonly_memmap_input",
    )
}
