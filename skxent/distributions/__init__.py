"""Density estimators fit by maximum likelihood (minimum cross-entropy)."""

from skxent.distributions._base import MLEDistribution
from skxent.distributions._bernoulli import BernoulliDistribution
from skxent.distributions._beta import BetaDistribution
from skxent.distributions._categorical import CategoricalDistribution
from skxent.distributions._dirichlet import DirichletDistribution
from skxent.distributions._exponential import ExponentialDistribution
from skxent.distributions._gamma import GammaDistribution
from skxent.distributions._gaussian import GaussianDistribution
from skxent.distributions._lognormal import LogNormalDistribution
from skxent.distributions._multinomial import MultinomialDistribution
from skxent.distributions._negative_binomial import NegativeBinomialDistribution
from skxent.distributions._poisson import PoissonDistribution
from skxent.distributions._student_t import StudentTDistribution

__all__ = [
    "BernoulliDistribution",
    "BetaDistribution",
    "CategoricalDistribution",
    "DirichletDistribution",
    "ExponentialDistribution",
    "GammaDistribution",
    "GaussianDistribution",
    "LogNormalDistribution",
    "MLEDistribution",
    "MultinomialDistribution",
    "NegativeBinomialDistribution",
    "PoissonDistribution",
    "StudentTDistribution",
]
