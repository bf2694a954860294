"""Classifiers fit by minimizing cross-entropy.

:class:`CrossEntropyClassifier` models ``p(y | x)`` directly (softmax of an
affine map or a perceptron); :class:`GenerativeClassifier` models ``p(x, y)``
with one density per class and classifies by Bayes' rule.
"""

from skxent.classifier._classifier import CrossEntropyClassifier
from skxent.classifier._generative import GenerativeClassifier

__all__ = ["CrossEntropyClassifier", "GenerativeClassifier"]
