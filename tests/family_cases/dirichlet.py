"""DirichletDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import DirichletDistribution
from tests.family_cases import FamilyCase

_CONCENTRATION = np.array([2.0, 0.8, 5.0, 1.5])


def _make_data(rng, n_samples):
    return rng.dirichlet(_CONCENTRATION, size=n_samples)


def _scipy_logpdf(model, X):
    # scipy takes the components along the first axis.
    return stats.dirichlet(model.concentration_).logpdf(X.T)


def _scipy_entropy(model):
    return stats.dirichlet(model.concentration_).entropy()


def _perturbations(model):
    moved = []
    for scale in (1.05, 0.95):
        scaled = copy.deepcopy(model)
        scaled.concentration_ = model.concentration_ * scale
        moved.append(scaled)
    for k in range(model.concentration_.size):
        shifted = copy.deepcopy(model)
        shifted.concentration_ = model.concentration_.copy()
        shifted.concentration_[k] *= 1.05
        moved.append(shifted)
    return moved


CASE = FamilyCase(
    estimator=DirichletDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    # Sums to 1, but with a negative entry.
    outside_support=[0.5, 0.25, 0.5, -0.25],
    train_score_is_minus_entropy=True,
)

# scikit-learn's checks draw normal or uniform floats and small integers:
# rows that do not sum to one, outside the simplex, which fit rightly
# refuses. tests/test_dirichlet.py runs each of these checks on the same
# data mapped onto the simplex (through a subclass that takes the softmax of
# its input rows), except check_positive_only_tag_during_fit, whose point is
# negative data, which it tests by hand.
_OFF_THE_SIMPLEX = (
    "the check fits rows off the simplex; tests/test_dirichlet.py runs it on "
    "the same data mapped onto the simplex"
)
EXPECTED_FAILED_CHECKS = {
    name: _OFF_THE_SIMPLEX
    for name in (
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_nan_inf",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
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
        "check_sample_weight_equivalence_on_dense_data",
        "check_sample_weights_list",
        "check_sample_weights_not_an_array",
        "check_sample_weights_not_overwritten",
        "check_sample_weights_pandas_series",
        "check_sample_weights_shape",
    )
}
EXPECTED_FAILED_CHECKS["check_positive_only_tag_during_fit"] = (
    "the check fits negative floats, outside the simplex, and wants "
    "scikit-learn's wording 'Negative values in data'; skxent's error names "
    "the row (tested in tests/test_dirichlet.py)"
)
