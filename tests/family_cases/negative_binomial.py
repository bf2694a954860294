"""NegativeBinomialDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import NegativeBinomialDistribution
from tests.family_cases import FamilyCase

# Strongly over-dispersed columns (variance 3.3 and 6.3 times the mean), so
# that even the suite's smallest batches (7 rows) have a variance above their
# mean and a maximum likelihood estimate of their own.
_N = np.array([2.5, 0.8])
_P = np.array([0.3, 0.16])


def _make_data(rng, n_samples):
    draws = rng.negative_binomial(_N, _P, size=(n_samples, _N.size))
    return draws.astype(np.float64)


def _scipy_logpdf(model, X):
    return stats.nbinom(model.n_, model.p_).logpmf(X).sum(axis=1)


def _scipy_entropy(model):
    return stats.nbinom(model.n_, model.p_).entropy().sum()


def _with_parameters(model, n, p):
    moved = copy.deepcopy(model)
    moved.n_, moved.p_ = n, p
    moved._log_p_, moved._log1m_p_ = np.log(p), np.log1p(-p)
    return moved


def _perturbations(model):
    moved = []
    for factor in (1.05, 0.95):
        moved.append(_with_parameters(model, model.n_ * factor, model.p_))
        moved.append(_with_parameters(model, model.n_, model.p_ * factor))
    return moved


CASE = FamilyCase(
    estimator=NegativeBinomialDistribution(),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[1.5, 2.0],
    # The MLE matches the data's mean of digamma(x + n), not of
    # log Gamma(x + n): the training score is not minus the entropy.
    train_score_is_minus_entropy=False,
)

# scikit-learn's checks fit on real-valued data (normal or uniform floats),
# outside the support of counts: the family's ValueError naming the column
# and the value is the right answer there. tests/test_negative_binomial.py
# checks each convention on counts instead (test_sklearn_conventions_on_counts
# and the tests next to it).
_NOT_COUNTS = "the check's data are non-integer floats, outside the support"
# These checks' data are integers, but equi- or under-dispersed (variance at
# most the mean), where the likelihood has no maximum: the family's
# ValueError (use PoissonDistribution) is the documented outcome.
_NO_MLE = (
    "the check's integer data are not over-dispersed, so no finite maximum "
    "likelihood estimate exists"
)
EXPECTED_FAILED_CHECKS = {
    **{
        check: _NOT_COUNTS
        for check in (
            "check_dict_unchanged",
            "check_dont_overwrite_parameters",
            "check_dtype_object",
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
            "check_sample_weight_equivalence_on_dense_data",
            "check_sample_weights_list",
        )
    },
    **{
        check: _NO_MLE
        for check in (
            "check_sample_weights_not_an_array",
            "check_sample_weights_not_overwritten",
            "check_sample_weights_pandas_series",
            "check_sample_weights_shape",
        )
    },
}
