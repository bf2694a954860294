"""BernoulliDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import BernoulliDistribution
from tests.family_cases import FamilyCase


def _make_data(rng, n_samples):
    return (rng.random((n_samples, 4)) < [0.2, 0.5, 0.7, 0.9]).astype(np.float64)


def _scipy_logpdf(model, X):
    return stats.bernoulli(model.probabilities_).logpmf(X).sum(axis=1)


def _scipy_entropy(model):
    return stats.bernoulli(model.probabilities_).entropy().sum()


def _perturbations(model):
    moved = []
    for shift in (0.02, -0.02):
        perturbed = copy.deepcopy(model)
        perturbed.probabilities_ = np.clip(model.probabilities_ + shift, 0.01, 0.99)
        perturbed._zero_probabilities_ = 1.0 - perturbed.probabilities_
        moved.append(perturbed)
    return moved


CASE = FamilyCase(
    # binarize=None: values other than 0 and 1 are outside the support.
    estimator=BernoulliDistribution(binarize=None),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=[0.0, 2.0, 1.0, 0.0],
    train_score_is_minus_entropy=True,
)
