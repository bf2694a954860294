"""GaussianDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import GaussianDistribution
from tests.family_cases import FamilyCase


def _make_data(rng, n_samples):
    mean = np.array([1.0, -2.0, 0.5])
    factor = np.array([[1.0, 0.0, 0.0], [0.5, 1.2, 0.0], [-0.3, 0.4, 0.7]])
    return rng.standard_normal((n_samples, 3)) @ factor.T + mean


def _scipy_logpdf(model, X):
    return stats.multivariate_normal(model.mean_, model.covariance_).logpdf(X)


def _scipy_entropy(model):
    return stats.multivariate_normal(model.mean_, model.covariance_).entropy()


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
    # reg_covar=0: the pure MLE, for which score on the training data is
    # exactly minus the entropy.
    estimator=GaussianDistribution(reg_covar=0.0),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=None,
    train_score_is_minus_entropy=True,
)
