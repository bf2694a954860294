"""MultinomialDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import MultinomialDistribution
from tests.family_cases import FamilyCase

_N_TRIALS = 12
_PROBABILITIES = np.array([0.1, 0.2, 0.3, 0.4])


def _make_data(rng, n_samples):
    # One total for every row: the model's entropy, divergence and sampling
    # are those of Multinomial(n_trials_, p) (see the class's Notes).
    return rng.multinomial(_N_TRIALS, _PROBABILITIES, size=n_samples).astype(float)


def _scipy_logpdf(model, X):
    return stats.multinomial.logpmf(X, X.sum(axis=1), model.probabilities_)


def _scipy_entropy(model):
    return stats.multinomial(model.n_trials_, model.probabilities_).entropy()


def _perturbations(model):
    moved = []
    for shift in (0.02, -0.02):
        perturbed = copy.deepcopy(model)
        p = model.probabilities_.copy()
        p[0] += shift
        p[-1] -= shift
        perturbed.probabilities_ = p
        moved.append(perturbed)
    return moved


CASE = FamilyCase(
    estimator=MultinomialDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[1.0, 2.5, 3.0, 5.5],
    # The training score is the mean of log p(x_i) including the log
    # multinomial coefficient, whose training mean differs from its
    # expectation under the model: score != -entropy() for 12 trials.
    train_score_is_minus_entropy=False,
)

# scikit-learn's checks fit on uniform or normal floats (shifted to be
# non-negative under the positive_only tag): non-integer values, outside the
# support of counts, which the estimator rightly refuses with a ValueError
# naming the column and value. tests/test_multinomial.py runs every one of
# these checks on counts (the checks' data rounded to integers), so the
# convention each covers (clone, refit, pickle, dtypes, invariances, sample
# weights, n_features_in_, ...) is tested on data in the support.
_NON_INTEGER_DATA = (
    "the check fits on non-integer floats, outside the support of counts; the "
    "ValueError naming the column is the right answer (tests/test_multinomial.py "
    "runs the check on counts)"
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
        "check_estimators_pickle(readonly_memmap=True)",
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
        "check_sample_weight_equivalence_on_dense_data",
        "check_sample_weight_equivalence_on_sparse_data",
        "check_sample_weights_list",
    )
}
# The check fits on centred iris measurements: negative and non-integer,
# outside the support. It expects scikit-learn's own wording ("Negative values
# in data"); skxent's support error names the column and value instead.
# tests/test_multinomial.py checks that negative counts are refused.
EXPECTED_FAILED_CHECKS["check_positive_only_tag_during_fit"] = (
    "the check fits on negative, non-integer data (outside the support) and "
    "expects scikit-learn's wording; skxent's ValueError names the column"
)
