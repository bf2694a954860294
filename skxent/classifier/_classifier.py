"""PLACEHOLDER: to be written."""

from sklearn.base import BaseEstimator, ClassifierMixin


class CrossEntropyClassifier(ClassifierMixin, BaseEstimator):
    pass
