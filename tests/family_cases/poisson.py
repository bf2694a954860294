"""PoissonDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import PoissonDistribution
from tests.family_cases import FamilyCase

_RATES = np.array([0.5, 3.0, 12.0])


def _make_data(rng, n_samples):
    return rng.poisson(_RATES, size=(n_samples, _RATES.size)).astype(np.float64)


def _scipy_logpdf(model, X):
    return stats.poisson(model.rates_).logpmf(X).sum(axis=1)


def _scipy_entropy(model):
    return stats.poisson(model.rates_).entropy().sum()


def _perturbations(model):
    moved = []
    for factor in (1.05, 0.95):
        perturbed = copy.deepcopy(model)
        perturbed.rates_ = model.rates_ * factor
        moved.append(perturbed)
    return moved


CASE = FamilyCase(
    estimator=PoissonDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[1.0, 2.5, 0.0],
    # The mean of log(x!) over the data is not its mean under the model.
    train_score_is_minus_entropy=False,
)

# scikit-learn's checks draw continuous data (uniform or normal floats, made
# non-negative by the positive_only tag): non-integer values, outside the
# support, so fit rightly refuses them. tests/test_poisson.py runs each of
# these checks on integer data (through a subclass whose tags make the checks
# round their data) except the three whose data stay outside the support
# whatever the tags, which it tests by hand.
_NON_INTEGER_DATA = (
    "the check fits non-integer floats, outside the support of counts; "
    "tests/test_poisson.py runs it on integer data"
)
EXPECTED_FAILED_CHECKS = {
    name: _NON_INTEGER_DATA
    for name in (
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimator_sparse_tag",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_readonly_memmap_input",
        "check_sample_weights_list",
    )
}
EXPECTED_FAILED_CHECKS.update(
    {
        name: (
            "the check weights uniform floats in [0, 1), non-integer counts "
            "whatever the tags; tests/test_poisson.py checks weights on counts"
        )
        for name in (
            "check_sample_weight_equivalence_on_dense_data",
            "check_sample_weight_equivalence_on_sparse_data",
        )
    }
)
EXPECTED_FAILED_CHECKS["check_positive_only_tag_during_fit"] = (
    "the check fits negative floats, outside the support, and wants "
    "scikit-learn's wording 'Negative values in data'; skxent's error names "
    "the column and the value (tested in tests/test_poisson.py)"
)
