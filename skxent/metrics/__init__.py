"""Cross-entropy losses and scorers for classifiers and density estimators."""

from skxent.metrics._loss import cross_entropy_loss
from skxent.metrics._scorer import make_cross_entropy_scorer, neg_cross_entropy_scorer

__all__ = [
    "cross_entropy_loss",
    "make_cross_entropy_scorer",
    "neg_cross_entropy_scorer",
]
