"""scikit-learn's estimator checks, run over every public estimator of skxent."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skxent import (
    BernoulliDistribution,
    CategoricalDistribution,
    CrossEntropyClassifier,
    GaussianDistribution,
)

ESTIMATORS = [
    BernoulliDistribution(),
    # The checks score held-out rows whose float values never occurred in
    # training; with every float a category of its own, the default
    # handle_unknown="error" would (rightly) refuse them.
    CategoricalDistribution(handle_unknown="zero"),
    GaussianDistribution(),
    GaussianDistribution(covariance_type="diag"),
    GaussianDistribution(covariance_type="spherical"),
    CrossEntropyClassifier(),
    CrossEntropyClassifier(hidden_layer_sizes=(5,), random_state=0),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
