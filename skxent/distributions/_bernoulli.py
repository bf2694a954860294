"""PLACEHOLDER: to be written."""

from skxent.distributions._base import MLEDistribution


class BernoulliDistribution(MLEDistribution):
    pass
