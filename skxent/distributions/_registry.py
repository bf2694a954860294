"""The one list of distribution families.

A family is added by writing its module(s) and one line here. The command
line, ``DistributionSelector``'s default candidates, the documentation's
family table and the common tests all read this tuple.
"""

from skxent.distributions._bernoulli import BernoulliDistribution
from skxent.distributions._categorical import CategoricalDistribution
from skxent.distributions._gaussian import GaussianDistribution

__all__ = ["FAMILIES", "family_by_name", "family_names"]

#: Every registered family's estimator class; each carries a ``_family``
#: :class:`~skxent.distributions._family.FamilyInfo`.
FAMILIES = (
    GaussianDistribution,
    BernoulliDistribution,
    CategoricalDistribution,
)


def family_names(kind=None):
    """Names of the registered families, optionally of one ``kind`` only."""
    return [cls._family.name for cls in FAMILIES if kind in (None, cls._family.kind)]


def family_by_name(name):
    """The estimator class registered under ``name``.

    Raises
    ------
    ValueError
        If no family has that name; the message lists the names.
    """
    for cls in FAMILIES:
        if cls._family.name == name:
            return cls
    raise ValueError(
        f"unknown distribution family {name!r}; choose one of "
        f"{', '.join(family_names())}."
    )
