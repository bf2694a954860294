"""scikit-learn's estimator checks, run over every public estimator of skxent.

The estimators are discovered from ``skxent.__all__``, not listed: a new
public estimator is checked as soon as it is exported. A registered family is
checked with its defaults, or as its case module's ``CHECK_ESTIMATOR`` when
the defaults cannot pass a check for a documented reason, and with the
expected failures that module lists and justifies (``EXPECTED_FAILED_CHECKS``);
other estimators with their defaults, plus the variants below.
"""

import inspect

import sklearn
from sklearn.base import BaseEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.fixes import parse_version

import skxent
from skxent import CrossEntropyClassifier, GaussianDistribution
from tests.family_cases import all_cases

_CASE_MODULES = {
    type(case.estimator): inspect.getmodule(case.make_data)
    for case in all_cases().values()
}
_EXPECTED = {
    cls: getattr(module, "EXPECTED_FAILED_CHECKS", {})
    for cls, module in _CASE_MODULES.items()
}
# EM's k-means++ seeding draws rows by inverting a cumulative distribution
# over the rows in their order; the check shuffles the weighted rows and not
# the repeated ones, so the seeds, and the local optimum EM reaches, differ.
# Weighting is exact from the same start and, for k-means++, for rows in the
# same order: tests/test_mixture.py checks both.
_EXPECTED[skxent.MixtureDistribution] = {
    "check_sample_weight_equivalence_on_dense_data": "EM seeds depend on row order",
}

#: Estimators whose constructor needs arguments (a composite of other
#: estimators), by class name: how the checks build them.
_CONSTRUCTED = {
    # Two parts, so that the checks exercise the sum over parts.
    "ProductDistribution": lambda: skxent.ProductDistribution(
        [
            ("first", GaussianDistribution(), [0]),
            ("rest", GaussianDistribution(covariance_type="diag"), slice(1, None)),
        ]
    ),
}

#: Configurations besides each estimator's default (or its family case).
_VARIANTS = [
    GaussianDistribution(covariance_type="diag"),
    GaussianDistribution(covariance_type="spherical"),
    CrossEntropyClassifier(hidden_layer_sizes=(5,), random_state=0),
]


def _public_estimators():
    for name in sorted(skxent.__all__):
        cls = getattr(skxent, name)
        if (
            inspect.isclass(cls)
            and issubclass(cls, BaseEstimator)
            and not inspect.isabstract(cls)
        ):
            if name in _CONSTRUCTED:
                yield _CONSTRUCTED[name]()
                continue
            module = _CASE_MODULES.get(cls)
            yield getattr(module, "CHECK_ESTIMATOR", None) or cls()
    yield from _VARIANTS


# scikit-learn 1.6's check_positive_only_tag_during_fit subtracts a float
# mean in place from the integer data it makes for estimators tagged
# categorical, which numpy refuses; scikit-learn 1.7 fixed the check.
_POSITIVE_ONLY_CHECK_REASON = (
    "scikit-learn < 1.7: the check subtracts a float mean in place from "
    "integer categorical data"
)
_SKLEARN_1_7 = parse_version(sklearn.__version__).release >= (1, 7)

# scikit-learn's sparse-input check assumes that an estimator with
# ``predict_proba`` is a classifier and asserts an output of shape
# (n_samples, n_classes) (sklearn/utils/estimator_checks.py,
# _check_estimator_sparse_container). A density estimator's predict_proba is
# p(x_i), of shape (n_samples,), as SPEC.md requires.
_SPARSE_CHECK_REASON = (
    "the sparse-input check treats every estimator with predict_proba as a "
    "classifier; a density's predict_proba has shape (n_samples,)"
)


# scikit-learn < 1.7 requires a fit on sparse uniform floats to succeed; no
# registered family applies to those (the continuous families are dense,
# the sparse ones are counts), so the selector's ValueError, which names
# every candidate's reason, is the right answer. Later versions accept an
# error that says the sparse input is not supported. Sparse counts with
# weights: tests/test_selector.py.
_SPARSE_FLOATS_REASON = (
    "scikit-learn < 1.7: sparse uniform floats, which no registered family "
    "models (dense continuous families, sparse count families)"
)


def _expected_failed_checks(estimator):
    expected = dict(_EXPECTED.get(type(estimator), {}))
    tags = estimator.__sklearn_tags__()
    if tags.input_tags.sparse and not tags.classifier_tags:
        expected.setdefault("check_estimator_sparse_array", _SPARSE_CHECK_REASON)
        expected.setdefault("check_estimator_sparse_matrix", _SPARSE_CHECK_REASON)
    if isinstance(estimator, skxent.DistributionSelector) and not _SKLEARN_1_7:
        expected["check_sample_weight_equivalence_on_sparse_data"] = (
            _SPARSE_FLOATS_REASON
        )
    if tags.input_tags.categorical and not _SKLEARN_1_7:
        expected["check_positive_only_tag_during_fit"] = _POSITIVE_ONLY_CHECK_REASON
    return expected


@parametrize_with_checks(
    list(_public_estimators()), expected_failed_checks=_expected_failed_checks
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
