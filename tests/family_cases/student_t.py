"""StudentTDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import StudentTDistribution
from tests.family_cases import FamilyCase

_LOCATION = np.array([1.0, -2.0, 0.5])
_FACTOR = np.array([[1.0, 0.0, 0.0], [0.5, 1.2, 0.0], [-0.3, 0.4, 0.7]])
_DOF = 5.0


def _make_data(rng, n_samples):
    normal = rng.standard_normal((n_samples, 3)) @ _FACTOR.T
    mixing = np.sqrt(rng.chisquare(_DOF, size=n_samples) / _DOF)
    return normal / mixing[:, np.newaxis] + _LOCATION


def _frozen(model):
    return stats.multivariate_t(model.mean_, model.covariance_, df=model.dof_)


def _scipy_logpdf(model, X):
    return _frozen(model).logpdf(X)


def _scipy_entropy(model):
    return _frozen(model).entropy()


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
    for scale in (1.2, 1 / 1.2):
        dof = copy.deepcopy(model)
        dof.dof_ = model.dof_ * scale
        moved.append(dof)
    return moved


CASE = FamilyCase(
    # reg_covar=0: the pure maximum likelihood estimate.
    estimator=StudentTDistribution(reg_covar=0.0),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=None,
    # The mean log-likelihood of the t MLE is not minus its entropy: the
    # likelihood equations fix weighted moments, not E[log p].
    train_score_is_minus_entropy=False,
    # SPEC §7: no closed-form KL divergence; kl_divergence raises
    # NotImplementedError.
    extra={"kl_divergence": False},
)
