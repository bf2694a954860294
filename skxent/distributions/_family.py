"""What a family of distributions says about itself.

Each family's estimator class carries a :class:`FamilyInfo` as its ``_family``
attribute. The registry (:mod:`skxent.distributions._registry`) lists the
classes; the command line, :class:`DistributionSelector`'s default candidates,
the documentation's family table and the common test suite read the
description from there, so nothing outside a family's own modules describes it.
"""

from dataclasses import dataclass

__all__ = ["FamilyInfo"]


@dataclass(frozen=True)
class FamilyInfo:
    """Description of one family of distributions.

    Attributes
    ----------
    name : str
        Short lower-case name, as on the command line (``"gaussian"``).
    kind : {"continuous", "discrete"}
        Whether ``predict_proba`` is a density or a probability mass. A
        density and a mass are not comparable numbers, so model selection
        never ranks the two kinds together silently.
    support : str
        The values a row may take, in words ("x > 0 in every column").
    parameters : tuple of str
        Names of the fitted attributes that are the model's parameters.
    statistics : str
        The sufficient statistics in words (or how the fit proceeds when
        there are none).
    entropy : str
        How ``entropy`` and ``kl_divergence`` are computed ("closed form",
        "series to float precision", "not available").
    scipy : str
        The matching ``scipy.stats`` distribution, for the documentation.
    data : {"numeric", "labels"}
        What the command line hands the family: a float matrix, or the raw
        columns (strings kept as strings) for families of labels.
    conditional : str
        Empty for a distribution of whole rows. Otherwise what the model is
        a distribution of instead, in words (a row given its total, a point
        of the simplex): its log-likelihood is not on the scale of the other
        families', so model selection never ranks it against them by
        default.
    """

    name: str
    kind: str
    support: str
    parameters: tuple
    statistics: str
    entropy: str
    scipy: str
    data: str = "numeric"
    conditional: str = ""
