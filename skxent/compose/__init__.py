"""Models of whole tables from models of their parts.

:class:`ProductDistribution` multiplies independent densities over groups of
columns (a mixed table of labels, counts and measurements);
:class:`DistributionSelector` chooses among candidate families by k-fold
held-out cross-entropy. One selector per column of a product is per-column
model selection.
"""

from skxent.compose._product import ProductDistribution
from skxent.compose._selector import DistributionSelector

__all__ = ["DistributionSelector", "ProductDistribution"]
