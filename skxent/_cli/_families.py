"""From the registry to an estimator: the command line knows no family by name.

Every registered family is offered by ``--distribution``; its estimator is
built from the options the user gave, matched to its constructor parameters
by name (``--reg-covar`` sets ``reg_covar``). An option that the chosen
family does not take is refused, never silently ignored.
"""

import numpy as np
from sklearn.base import clone

from skxent._cli._data import CommandError
from skxent.distributions._registry import family_by_name, family_names

__all__ = [
    "ESTIMATOR_OPTIONS",
    "build",
    "design_data",
    "family_by_name",
    "family_names",
    "given_parameters",
    "option_flag",
]

#: Command-line options that set an estimator parameter of the same name.
ESTIMATOR_OPTIONS = ("alpha", "covariance_type", "reg_covar", "dof")

#: Parameters the command line fixes whatever the user says, and why:
#: binarize=None because a command line never thresholds data silently (a
#: column that is not 0/1 is refused, not binarized at 0).
_FIXED = {"binarize": None}


def option_flag(parameter):
    return "--" + parameter.replace("_", "-")


def given_parameters(options):
    """The estimator options the user gave (``None`` means not given)."""
    return {
        name: getattr(options, name)
        for name in ESTIMATOR_OPTIONS
        if getattr(options, name, None) is not None
    }


def build(cls, options, table=None, *, strict=True):
    """The estimator of family ``cls`` configured by the options given.

    Parameters
    ----------
    cls : type
        A registered family.
    options : argparse.Namespace
        Parsed options.
    table : Table or None
        For label families, the whole table: its categories are declared up
        front so that a held-out fold never meets a category its training
        folds did not declare (``--alpha`` then smooths it away).
    strict : bool
        Refuse options the family does not take (``skxent fit``); when
        False, they are left out (``skxent select``, whose candidates take
        different options).
    """
    accepted = cls().get_params()
    parameters = {}
    for name, value in given_parameters(options).items():
        if name in accepted:
            parameters[name] = value
        elif strict:
            raise CommandError(
                f"{option_flag(name)} does not apply to the {cls._family.name} "
                f"distribution (its options: {_options_text(accepted)})"
            )
    parameters.update({k: v for k, v in _FIXED.items() if k in accepted})
    if table is not None and cls._family.data == "labels" and "categories" in accepted:
        frame = design_data(table, cls)
        parameters["categories"] = [
            np.unique(frame.iloc[:, j].to_numpy()) for j in range(frame.shape[1])
        ]
    return clone(cls(**parameters))


def _options_text(accepted):
    flags = [option_flag(n) for n in ESTIMATOR_OPTIONS if n in accepted]
    return ", ".join(flags) if flags else "none"


def design_data(table, cls):
    """The DataFrame the family is fit on, or explain why it does not apply.

    Numeric families get the numeric columns as floats; label families get
    every column, with integral numbers shown as integers (category 3, not
    3.0).
    """
    frame = table.frame
    if cls._family.data == "numeric":
        text = table.text_names()
        if text:
            raise CommandError(
                f"column {text[0]!r} is not numeric; the {cls._family.name} "
                "distribution needs numbers (try --columns, or a family of "
                "labels such as categorical)"
            )
        return frame
    labels = frame.copy()
    for name in table.numeric_names():
        column = labels[name].to_numpy()
        if not np.all(column == np.round(column)):
            raise CommandError(
                f"column {name!r} holds non-integer numbers; the "
                f"{cls._family.name} distribution needs labels or integer codes"
            )
        labels[name] = column.astype(np.int64)
    return labels
