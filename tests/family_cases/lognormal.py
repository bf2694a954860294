"""LogNormalDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import LogNormalDistribution
from tests.family_cases import FamilyCase


def _make_data(rng, n_samples):
    mean = np.array([0.5, -1.0, 2.0])
    factor = np.array([[0.5, 0.0, 0.0], [0.2, 0.4, 0.0], [-0.1, 0.3, 0.3]])
    return np.exp(rng.standard_normal((n_samples, 3)) @ factor.T + mean)


def _log_normal(model):
    return stats.multivariate_normal(model.mean_, model.covariance_)


def _scipy_logpdf(model, X):
    # The normal density of log x times the Jacobian 1 / prod_j x_j.
    return _log_normal(model).logpdf(np.log(X)) - np.log(X).sum(axis=1)


def _scipy_entropy(model):
    # H(x) = H(log x) + E[sum_j log x_j].
    return _log_normal(model).entropy() + model.mean_.sum()


def _perturbations(model):
    moved = []
    for shift in (0.05, -0.05):
        shifted = copy.deepcopy(model)
        shifted.mean_ = model.mean_ + shift
        moved.append(shifted)
    for scale in (1.05, 0.95):
        scaled = copy.deepcopy(model)
        scaled.covariance_ = model.covariance_ * scale
        scaled._covariance_factor_ = model._covariance_factor_ * np.sqrt(scale)
        moved.append(scaled)
    return moved


CASE = FamilyCase(
    # The full covariance without regularisation: the default (diagonal) and
    # the spherical type are tested in tests/test_lognormal.py, and with
    # reg_covar=0 the training score is exactly minus the entropy.
    estimator=LogNormalDistribution(covariance_type="full", reg_covar=0.0),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[1.0, -2.0, 0.5],
    train_score_is_minus_entropy=True,
)

#: Checks whose data scikit-learn draws from a normal distribution (or
#: rounds to integers including 0): outside the support x > 0, where the
#: ValueError naming the column is the right answer. tests/test_lognormal.py
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
