"""BetaDistribution in the shared family suite."""

import copy

from scipy import stats

from skxent import BetaDistribution
from tests.family_cases import FamilyCase

#: Shapes on both sides of 1, so that densities vanishing and diverging at
#: the ends of (0, 1) are both covered.
_A = (2.0, 0.7, 5.0)
_B = (3.0, 0.9, 1.5)


def _make_data(rng, n_samples):
    return rng.beta(_A, _B, size=(n_samples, len(_A)))


def _scipy_logpdf(model, X):
    return stats.beta(model.a_, model.b_).logpdf(X).sum(axis=1)


def _scipy_entropy(model):
    return stats.beta(model.a_, model.b_).entropy().sum()


def _perturbations(model):
    moved = []
    for name in ("a_", "b_"):
        for scale in (1.05, 0.95):
            perturbed = copy.deepcopy(model)
            setattr(perturbed, name, getattr(model, name) * scale)
            moved.append(perturbed)
    return moved


CASE = FamilyCase(
    estimator=BetaDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[0.5, 1.0, 0.2],
    train_score_is_minus_entropy=True,
)

# scikit-learn's checks draw normal or uniform floats (scaled beyond 1, or
# shifted to ~100) and small integers: values outside (0, 1), which fit
# rightly refuses. tests/test_beta.py runs each of these checks on the same
# data mapped into (0, 1) (through a subclass that maps its input), except
# check_positive_only_tag_during_fit, whose point is negative data, which it
# tests by hand.
_OUTSIDE_UNIT_INTERVAL = (
    "the check fits values outside (0, 1); tests/test_beta.py runs it on "
    "the same data mapped into (0, 1)"
)
EXPECTED_FAILED_CHECKS = {
    name: _OUTSIDE_UNIT_INTERVAL
    for name in (
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_readonly_memmap_input",
        "check_sample_weights_not_an_array",
        "check_sample_weights_not_overwritten",
        "check_sample_weights_pandas_series",
        "check_sample_weights_shape",
    )
}
EXPECTED_FAILED_CHECKS["check_positive_only_tag_during_fit"] = (
    "the check fits negative floats, outside the support (0, 1), and wants "
    "scikit-learn's wording 'Negative values in data'; skxent's error names "
    "the column and the value (tested in tests/test_beta.py)"
)
