"""``skxent fit``: fit one family to a CSV file and report what was learned.

The report is written from the family's registry entry: its parameters are
the fitted attributes it lists, laid out by shape (one value per column, a
matrix over the columns, a list per column, or one number).
"""

import numpy as np

from skxent._cli._data import CommandError, first_line
from skxent._cli._families import build, design_data, family_by_name
from skxent._cli._progress import slow_step
from skxent._cli._report import format_table, information_rows

__all__ = ["fit_model", "run_fit"]


def run_fit(table, options, out):
    """Fit ``options.distribution`` to ``table`` and print the report to ``out``."""
    cls = family_by_name(options.distribution)
    model = build(cls, options)
    X = design_data(table, cls)
    with slow_step(f"fitting the {cls._family.name} distribution"):
        fit_model(model, X)
    print(f"{model!r} fit to {table.shape_text()} of {table.source}", file=out)
    print("\nParameters", file=out)
    print(parameter_report(model, table.names), file=out)
    print("\nInformation (per row unless stated)", file=out)
    print(_information_report(model, X), file=out)


def fit_model(model, X, **fit_params):
    """Fit, with the estimator's refusal of the data as a one-line error."""
    try:
        return model.fit(X, **fit_params)
    except (ValueError, TypeError) as exc:
        raise CommandError(first_line(exc)) from None


def parameter_report(model, names):
    """The fitted parameters as tables, laid out by their shape."""
    n_features = len(names)
    per_column, sections = {}, []
    for attribute in model._family.parameters:
        value = getattr(model, attribute)
        label = attribute.rstrip("_")
        if attribute == "categories_":
            continue  # shown beside the probabilities, row by row
        if isinstance(value, list):
            sections.append(_per_category(model, names, label, value))
            continue
        value = np.asarray(value, dtype=float)
        if value.shape == (n_features,):
            per_column[label] = value
        elif value.shape == (n_features, n_features) and n_features > 1:
            rows = [(n, *map(float, r)) for n, r in zip(names, value, strict=True)]
            sections.append(
                f"\n  {label}\n" + format_table(("", *names), rows, indent=4)
            )
        elif value.ndim == 0 or value.size == 1:
            sections.append(f"\n  {label}: {float(value.ravel()[0]):.6g}")
        else:
            sections.append(f"\n  {label}:\n{np.array2string(value, precision=4)}")
    report = []
    if per_column:
        rows = [
            (name, *(float(v[j]) for v in per_column.values()))
            for j, name in enumerate(names)
        ]
        report.append(format_table(("column", *per_column), rows))
    return "\n".join(report + sections).lstrip("\n")


def _per_category(model, names, label, values):
    categories = getattr(model, "categories_", [np.arange(len(v)) for v in values])
    rows = []
    for name, column_categories, column_values in zip(
        names, categories, values, strict=True
    ):
        rows += [
            (name, str(c), float(p))
            for c, p in zip(column_categories, column_values, strict=True)
        ]
    return format_table(("column", "category", label), rows)


def _information_report(model, X):
    mean_log_likelihood = model.score(X)
    rows = information_rows(
        [
            ("mean log-likelihood", mean_log_likelihood),
            ("cross-entropy H(data, model)", -mean_log_likelihood),
        ]
    )
    try:
        rows += information_rows([("entropy H(model)", model.entropy())])
    except (NotImplementedError, ValueError) as exc:
        # Some models have no exact entropy (or none for these data); say
        # why rather than print a number that is not one.
        rows.append(("entropy H(model)", f"n/a: {first_line(exc)}", ""))
    rows += information_rows(
        [
            ("AIC (whole data set)", model.aic(X)),
            ("BIC (whole data set)", model.bic(X)),
        ]
    )
    return format_table(("quantity", "nats", "bits"), rows)
