"""``skxent fit``: fit one family to a CSV file and report what was learned."""

import numpy as np

from skxent._cli._families import design_matrix, make_distribution
from skxent._cli._report import format_table, information_rows

__all__ = ["run_fit"]


def run_fit(table, options, out):
    """Fit ``options.distribution`` to ``table`` and print the report to ``out``."""
    family = options.distribution
    X = design_matrix(table, family)
    model = make_distribution(family, options).fit(X)
    print(
        f"{model!r} fit to {table.n_rows} rows x {len(table.names)} columns "
        f"of {options.file}",
        file=out,
    )
    print("\nParameters", file=out)
    print(_PARAMETER_REPORTS[family](model, table.names), file=out)
    print("\nInformation (per row unless stated)", file=out)
    print(_information_report(model, X), file=out)


def _gaussian_parameters(model, names):
    variances = _variances(model)
    rows = [
        (name, float(m), float(v))
        for name, m, v in zip(names, model.mean_, variances, strict=True)
    ]
    report = format_table(("column", "mean", "variance"), rows)
    if model.covariance_type == "full" and len(names) > 1:
        matrix_rows = [
            (name, *map(float, row))
            for name, row in zip(names, model.covariance_, strict=True)
        ]
        report += "\n\n  Covariance matrix\n" + format_table(
            ("", *names), matrix_rows, indent=4
        )
    return report


def _variances(model):
    covariance = np.asarray(model.covariance_)
    if model.covariance_type == "full":
        return np.diag(covariance)
    return np.broadcast_to(covariance, model.mean_.shape)


def _bernoulli_parameters(model, names):
    rows = [
        (name, float(p)) for name, p in zip(names, model.probabilities_, strict=True)
    ]
    return format_table(("column", "P(x = 1)"), rows)


def _categorical_parameters(model, names):
    rows = []
    for name, categories, probabilities in zip(
        names, model.categories_, model.probabilities_, strict=True
    ):
        rows += [
            (name, str(c), float(p))
            for c, p in zip(categories, probabilities, strict=True)
        ]
    return format_table(("column", "category", "probability"), rows)


_PARAMETER_REPORTS = {
    "gaussian": _gaussian_parameters,
    "bernoulli": _bernoulli_parameters,
    "categorical": _categorical_parameters,
}


def _information_report(model, X):
    mean_log_likelihood = model.score(X)
    rows = information_rows(
        [
            ("mean log-likelihood", mean_log_likelihood),
            ("cross-entropy H(data, model)", -mean_log_likelihood),
            ("entropy H(model)", model.entropy()),
            ("AIC (whole data set)", model.aic(X)),
            ("BIC (whole data set)", model.bic(X)),
        ]
    )
    return format_table(("quantity", "nats", "bits"), rows)
