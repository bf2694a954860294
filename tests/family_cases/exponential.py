"""ExponentialDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import ExponentialDistribution
from tests.family_cases import FamilyCase

_SCALES = np.array([0.5, 2.0, 10.0])


def _make_data(rng, n_samples):
    return rng.exponential(_SCALES, size=(n_samples, _SCALES.size))


def _scipy_logpdf(model, X):
    return stats.expon(scale=model.scales_).logpdf(X).sum(axis=1)


def _scipy_entropy(model):
    return stats.expon(scale=model.scales_).entropy().sum()


def _perturbations(model):
    moved = []
    for factor in (1.05, 0.95):
        perturbed = copy.deepcopy(model)
        perturbed.scales_ = model.scales_ * factor
        moved.append(perturbed)
    return moved


CASE = FamilyCase(
    estimator=ExponentialDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[1.0, -0.5, 2.0],
    # The mean of x / s over the training data is exactly one.
    train_score_is_minus_entropy=True,
)

EXPECTED_FAILED_CHECKS = {
    "check_positive_only_tag_during_fit": (
        "the check fits negative values, outside the support x >= 0, and "
        "wants scikit-learn's wording 'Negative values in data'; skxent's "
        "error names the column and the value (tested in "
        "tests/test_exponential.py)"
    ),
    "check_fit2d_1sample": (
        "the check's single row is shifted by its minimum, so one column is "
        "0 on the only row: no maximum likelihood scale exists (it would be "
        "0), and the error says so by column instead of mentioning one "
        "sample (tested in tests/test_exponential.py)"
    ),
}
