"""CategoricalDistribution in the shared family suite."""

import copy

import numpy as np
from scipy import stats

from skxent import CategoricalDistribution
from tests.family_cases import FamilyCase

_LEVELS = (np.array(["a", "b", "c"], dtype=object), np.array([0, 1, 2, 3]))
_PROBABILITIES = ([0.5, 0.3, 0.2], [0.1, 0.2, 0.3, 0.4])


def _make_data(rng, n_samples):
    X = np.empty((n_samples, 2), dtype=object)
    for j, (levels, p) in enumerate(zip(_LEVELS, _PROBABILITIES, strict=True)):
        X[:, j] = levels[rng.choice(levels.size, n_samples, p=p)]
    return X


def _scipy_logpdf(model, X):
    """Each column is a one-trial multinomial over its categories."""
    total = np.zeros(X.shape[0])
    for j, (categories, p) in enumerate(
        zip(model.categories_, model.probabilities_, strict=True)
    ):
        one_hot = (X[:, j][:, None] == categories[None, :]).astype(int)
        total += stats.multinomial(1, p).logpmf(one_hot)
    return total


def _scipy_entropy(model):
    return sum(stats.entropy(p) for p in model.probabilities_)


def _perturbations(model):
    moved = []
    for j in range(len(model.probabilities_)):
        perturbed = copy.deepcopy(model)
        p = model.probabilities_[j].copy()
        p[0] += 0.02
        p[-1] -= 0.02
        perturbed.probabilities_ = [*model.probabilities_]
        perturbed.probabilities_[j] = p
        moved.append(perturbed)
    return moved


def _moments(X):
    """Frequency of each level of each column."""
    return np.concatenate(
        [
            (X[:, j][:, None] == levels[None, :]).mean(axis=0)
            for j, levels in enumerate(_LEVELS)
        ]
    )


CASE = FamilyCase(
    estimator=CategoricalDistribution(handle_unknown="zero"),
    make_data=_make_data,
    scipy_logpdf=_scipy_logpdf,
    scipy_entropy=_scipy_entropy,
    perturbations=_perturbations,
    outside_support=None,
    train_score_is_minus_entropy=True,
    moments=_moments,
)

# scikit-learn's checks score held-out float rows that never occurred in
# training; with every float a category of its own, the default
# handle_unknown="error" would (rightly) refuse them, so the checks run with
# "zero", which gives them probability zero.
CHECK_ESTIMATOR = CategoricalDistribution(handle_unknown="zero")
