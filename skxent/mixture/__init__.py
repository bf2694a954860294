"""Finite mixtures of skxent families, fit by expectation-maximization."""

from skxent.mixture._mixture import MixtureDistribution

__all__ = ["MixtureDistribution"]
