"""The type of sufficient statistics, shared by every family.

Every family fit from sufficient statistics keeps one :class:`Statistics`
object: ``fit`` computes it from a batch, ``partial_fit`` merges it with the
statistics seen so far, and the parameters are a pure function of it.

Weights are scale-free in the math (multiplying every weight by ``c`` changes
no maximum likelihood estimate), but their sums are not scale-free in floating
point: 1e308 per row overflows, 1e-320 per row is subnormal and loses digits.
So each batch's weights are divided by their maximum before anything is
summed, and the statistics carry that maximum as ``log_scale``: the true
weight-linear quantities are ``exp(log_scale)`` times the stored ones. Merging
two batches first brings both to the larger scale.
"""

import dataclasses
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Statistics", "WeightedSums", "normalise_weights"]


def normalise_weights(sample_weight):
    """Validated weights divided by their maximum, and the log of that maximum.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,) or None
        Non-negative, finite weights with a positive sum, or None for unit
        weights.

    Returns
    -------
    weights : ndarray of shape (n_samples,) or None
        Weights in (0, 1], the largest exactly 1 (None stays None). Integer
        weights keep their exact ratios up to one rounding each.
    log_scale : float
        ``log(max(sample_weight))``, 0.0 for None.
    """
    if sample_weight is None:
        return None, 0.0
    scale = float(sample_weight.max())
    if scale == 1.0:
        return sample_weight, 0.0
    return sample_weight / scale, float(np.log(scale))


@dataclass(frozen=True)
class Statistics:
    """Base of every family's sufficient statistics.

    A subclass is a frozen dataclass whose fields are the statistics of one
    or more batches, and provides:

    - ``_scaled(factor)``: a copy whose weight-linear fields (weight sums,
      weighted sums, counts, scatter) are multiplied by ``factor <= 1``;
    - ``_combine(other)``: the statistics of the union of two batches stored
      at the same scale, computed stably.

    Attributes
    ----------
    log_scale : float
        The weight-linear fields are in units of ``exp(log_scale)``: the true
        total weight is ``exp(log_scale) * weight_sum``.
    """

    log_scale: float = field(default=0.0, kw_only=True)

    def merge(self, other):
        """Statistics of the union of the batches behind ``self`` and ``other``.

        Both are first expressed at the larger of the two scales, so that
        no weight-linear field overflows; a batch lighter by more than the
        float range underflows to weight zero, which is its true relative
        weight to float precision.
        """
        log_scale = max(self.log_scale, other.log_scale)
        first = self._at_scale(log_scale)
        second = other._at_scale(log_scale)
        return dataclasses.replace(first._combine(second), log_scale=log_scale)

    def _at_scale(self, log_scale):
        if log_scale == self.log_scale:
            return self
        factor = float(np.exp(self.log_scale - log_scale))
        return dataclasses.replace(self._scaled(factor), log_scale=log_scale)

    def _scaled(self, factor):
        raise NotImplementedError

    def _combine(self, other):
        raise NotImplementedError


@dataclass(frozen=True)
class WeightedSums(Statistics):
    """Additive statistics: a weight sum and weighted sums that merge by adding.

    Attributes
    ----------
    weight_sum : float
        ``W = sum_i w_i`` (in units of ``exp(log_scale)``).
    sums : dict of str to ndarray
        Named weighted sums, e.g. ``{"x": sum_i w_i x_i, "log_x": ...}``, each
        of shape (n_features,) or any shape the family needs.
    """

    weight_sum: float
    sums: dict

    def mean(self, name):
        """The weighted mean ``sums[name] / W``: scale-free."""
        return self.sums[name] / self.weight_sum

    def _scaled(self, factor):
        sums = {name: value * factor for name, value in self.sums.items()}
        return WeightedSums(self.weight_sum * factor, sums)

    def _combine(self, other):
        if self.sums.keys() != other.sums.keys():
            raise ValueError("cannot merge statistics of different families")
        sums = {name: self.sums[name] + other.sums[name] for name in self.sums}
        return WeightedSums(self.weight_sum + other.weight_sum, sums)
