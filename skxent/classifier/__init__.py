"""Softmax classifiers fit by minimizing cross-entropy on hard or soft labels."""

from skxent.classifier._classifier import CrossEntropyClassifier

__all__ = ["CrossEntropyClassifier"]
