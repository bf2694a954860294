"""skxent: scikit-learn estimators built on cross-entropy.

Minimizing the cross-entropy between the data and a model is maximum
likelihood estimation. skxent provides the information functions
(:func:`entropy`, :func:`cross_entropy`, :func:`kl_divergence`), density
estimators fit by maximum likelihood (twelve families, from
:class:`GaussianDistribution` to :class:`StudentTDistribution`), their
composition and selection (:class:`ProductDistribution`,
:class:`DistributionSelector`), mixtures (:class:`MixtureDistribution`),
classifiers trained on hard or soft labels (:class:`CrossEntropyClassifier`,
:class:`GenerativeClassifier`) and scorers (:mod:`skxent.metrics`). Every ``score`` is the negative
cross-entropy in nats.
"""

from skxent import metrics
from skxent._information import cross_entropy, entropy, kl_divergence
from skxent.classifier import CrossEntropyClassifier, GenerativeClassifier
from skxent.compose import DistributionSelector, ProductDistribution
from skxent.distributions import (
    BernoulliDistribution,
    BetaDistribution,
    CategoricalDistribution,
    DirichletDistribution,
    ExponentialDistribution,
    GammaDistribution,
    GaussianDistribution,
    LogNormalDistribution,
    MLEDistribution,
    MultinomialDistribution,
    NegativeBinomialDistribution,
    PoissonDistribution,
    StudentTDistribution,
)
from skxent.mixture import MixtureDistribution

__version__ = "0.1.0.dev0"

__all__ = [
    "BernoulliDistribution",
    "BetaDistribution",
    "CategoricalDistribution",
    "CrossEntropyClassifier",
    "DirichletDistribution",
    "DistributionSelector",
    "ExponentialDistribution",
    "GammaDistribution",
    "GaussianDistribution",
    "GenerativeClassifier",
    "LogNormalDistribution",
    "MLEDistribution",
    "MixtureDistribution",
    "MultinomialDistribution",
    "NegativeBinomialDistribution",
    "PoissonDistribution",
    "ProductDistribution",
    "StudentTDistribution",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "metrics",
]
