"""The one list of distribution families.

A family is added by writing its module(s) and one line here. The command
line, ``DistributionSelector``'s default candidates, the documentation's
family table and the common tests all read this tuple.
"""

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

__all__ = ["FAMILIES", "family_by_name", "family_names", "family_table_rst"]

#: Every registered family's estimator class; each carries a ``_family``
#: :class:`~skxent.distributions._family.FamilyInfo`.
FAMILIES = (
    GaussianDistribution,
    BernoulliDistribution,
    CategoricalDistribution,
    MultinomialDistribution,
    PoissonDistribution,
    NegativeBinomialDistribution,
    ExponentialDistribution,
    GammaDistribution,
    LogNormalDistribution,
    BetaDistribution,
    DirichletDistribution,
    StudentTDistribution,
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


def family_table_rst():
    """The documentation's table of every registered family, as reST.

    docs/conf.py writes it into the user guide at build time, so the table
    can never disagree with the registry.
    """
    header = (
        "class",
        "kind",
        "support",
        "fitted parameters",
        "sufficient statistics",
        "entropy and KL",
        "exact partial_fit",
        "scipy.stats",
    )
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :class: family-table",
        "",
    ]
    rows = [header]
    for cls in FAMILIES:
        info = cls._family
        rows.append(
            (
                f":class:`~skxent.{cls.__name__}`",
                info.kind,
                info.support,
                ", ".join(f"``{name}``" for name in info.parameters),
                info.statistics,
                info.entropy,
                "yes" if hasattr(cls, "partial_fit") else "no",
                f"``{info.scipy}``",
            )
        )
    for row in rows:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(lines) + "\n"
