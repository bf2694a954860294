"""``skxent select``: rank the registered families by held-out cross-entropy.

The ranking is :class:`~skxent.DistributionSelector`'s: every registered
family that applies, fit on k folds and scored on the held-out fold. A
density and a probability mass are not comparable numbers, so one kind is
ranked, the kind the data call for, and the output says which and why.
"""

import json
import math

import numpy as np
from sklearn.model_selection import KFold

from skxent._cli._data import CommandError, first_line, plural
from skxent._cli._families import build, given_parameters, option_flag
from skxent._cli._figure import figure_path
from skxent._cli._report import LN2, format_table
from skxent.compose import DistributionSelector
from skxent.compose._kinds import CONTINUOUS, DISCRETE, INTEGERS, LABELS, data_kind
from skxent.distributions._registry import FAMILIES

__all__ = ["run_select"]


def run_select(table, options, out):
    """Rank the families for the table, or for each column with --per-column."""
    if options.cv > table.n_rows:
        raise CommandError(
            f"--cv {options.cv} is more folds than the {table.n_rows} rows"
        )
    plot = figure_path(options.plot, "skxent-select.png") if options.plot else None
    left_out = []
    if options.per_column:
        tables = [table.restricted([name]) for name in table.names]
    else:
        whole, left_out = _whole_table_columns(table)
        tables = [whole]
    plans = [_plan(t, options) for t in tables]
    _refuse_unused_options(plans, options)
    results = [
        _rank(t, candidates, reason, options)
        for t, (candidates, reason) in zip(tables, plans, strict=True)
    ]
    if options.json:
        print(json.dumps(_as_json(results, left_out), indent=2), file=out)
    else:
        for result in results:
            _print_ranking(result, options, out, left_out=left_out)
        if options.per_column:
            _print_summary(results, out)
    if plot:
        from skxent._cli._select_plot import plot_selection

        plot_selection(table, results, plot)
        print(f"\nFigure written to {plot}", file=out)


def _whole_table_columns(table):
    """The columns one family can model together, and those it cannot.

    Numbers and text in one table have no common family here but the
    categorical (when the numbers are integer codes): the text columns are
    left out, with the reason, and the numbers are ranked.
    """
    text, numbers = table.text_names(), table.numeric_names()
    if not text or not numbers:
        return table, []
    kind, _ = data_kind(table.frame[numbers])
    if kind != LABELS and not _integral(table.frame[numbers]):
        return table.restricted(numbers), text
    return table, []


def _integral(frame):
    values = frame.to_numpy(dtype=float)
    return bool(np.all(values == np.round(values)))


class _Ranking:
    """One selection: the table it ranked, why that kind, the fitted selector."""

    def __init__(self, table, selector, reason):
        self.table = table
        self.selector = selector
        self.reason = reason


def _plan(table, options):
    """The candidates for the table: the registered families of its kind.

    A density and a probability mass are not comparable, so only the kind
    the data call for is ranked: discrete for labels and integers (0/1,
    counts, codes, constants), continuous otherwise. Families that model a
    row given its total, or a point of the simplex, are never ranked
    against distributions of whole rows.
    """
    kind, reason = data_kind(table.frame)
    wanted = DISCRETE if kind in (LABELS, INTEGERS) else CONTINUOUS
    candidates = {
        cls._family.name: build(cls, options, table, strict=False)
        for cls in FAMILIES
        if cls._family.kind == wanted and not cls._family.conditional
    }
    return candidates, f"{wanted} families, since {reason}"


def _rank(table, candidates, reason, options):
    selector = DistributionSelector(
        candidates=candidates,
        cv=KFold(options.cv, shuffle=True, random_state=options.seed),
        verbose=1,
    )
    # Label families get the raw columns (text stays text), numeric ones
    # the same frame: each family's own validation says whether it applies.
    try:
        selector.fit(table.frame)
    except ValueError as exc:
        raise CommandError(
            f"no family applies to {_columns_text(table)}: {first_line(exc)}"
        ) from None
    return _Ranking(table, selector, reason)


def _columns_text(table):
    names = table.names
    if len(names) == 1:
        return f"column {names[0]!r}"
    return f"the {len(names)} columns"


def _print_ranking(result, options, out, *, left_out=()):
    selector, table = result.selector, result.table
    results = selector.cv_results_
    print(
        f"Held-out cross-entropy of {_columns_text(table)} "
        f"({table.shape_text()} of {table.source}), {options.cv}-fold, lower is "
        "better",
        file=out,
    )
    print(f"Ranked: {result.reason}.", file=out)
    if left_out:
        print(
            f"Left out {plural(len(left_out), 'text column')} "
            f"({', '.join(left_out)}): no family of numbers models text; "
            "--per-column ranks every column on its own.",
            file=out,
        )
    order = np.argsort(results["rank_test_score"], kind="stable")
    rows, notes = [], []
    for i in order:
        name = results["candidate"][i]
        if results["status"][i] == "skipped":
            continue
        if results["status"][i] == "failed":
            notes.append(f"  {name}: {results['reason'][i]}")
            continue
        cross_entropy = -float(results["mean_test_score"][i])
        spread = float(results["std_test_score"][i])
        rows.append(
            (
                len(rows) + 1,
                name,
                cross_entropy,
                spread if math.isfinite(spread) else math.nan,
                cross_entropy / LN2,
            )
        )
    print(
        "\n" + format_table(("rank", "family", "nats/row", "std", "bits/row"), rows),
        file=out,
    )
    if notes:
        print("\nDoes not apply:", file=out)
        print("\n".join(notes), file=out)
    if any(math.isinf(row[2]) for row in rows):
        print(
            "\nNote: inf means a held-out value that the fitted model gives "
            "probability zero (a category or a value never seen in the training "
            "folds); --alpha smooths it away for the discrete families.",
            file=out,
        )
    print(file=out)


def _ranked(result):
    """``(name, held-out cross-entropy, std)`` of the ranked candidates, best first."""
    results = result.selector.cv_results_
    order = np.argsort(results["rank_test_score"], kind="stable")
    return [
        (
            str(results["candidate"][i]),
            -float(results["mean_test_score"][i]),
            float(results["std_test_score"][i]),
        )
        for i in order
        if results["status"][i] == "ranked"
    ]


def _print_summary(results, out):
    """One line per column, and the per-column product's cross-entropy."""
    rows = []
    for result in results:
        ranked = _ranked(result)
        best, cross_entropy, _ = ranked[0]
        runner_up, margin = ("-", math.nan)
        if len(ranked) > 1:
            runner_up, margin = ranked[1][0], ranked[1][1] - cross_entropy
        rows.append(
            (
                result.table.names[0],
                best,
                _parameter_text(result.selector.best_estimator_),
                cross_entropy,
                cross_entropy / LN2,
                runner_up,
                margin,
            )
        )
    header = ("column", "family", "parameters", "nats", "bits", "runner-up", "margin")
    print("Best family per column (held-out cross-entropy per row)\n", file=out)
    print(format_table(header, rows), file=out)
    total = sum(row[3] for row in rows)
    print(
        f"\nPer-column product of the best families: {total:.4f} nats/row "
        f"({total / LN2:.4f} bits/row) held out.",
        file=out,
    )


def _parameter_text(model):
    """The fitted parameters of a one-column model, briefly."""
    parts = []
    for attribute in model._family.parameters:
        value = getattr(model, attribute)
        if isinstance(value, list):
            if attribute == "categories_":
                parts.append(f"{len(value[0])} categories")
            continue
        value = np.ravel(np.asarray(value, dtype=float))
        numbers = ", ".join(f"{v:.4g}" for v in value[:3])
        parts.append(f"{attribute.rstrip('_')}={numbers}")
    return "; ".join(parts)


def _as_json(results, left_out):
    """The rankings as plain data, for ``--json``."""
    rankings = []
    for result in results:
        cv = result.selector.cv_results_
        rankings.append(
            {
                "columns": result.table.names,
                "ranked": result.reason,
                "best": result.selector.best_candidate_,
                "candidates": [
                    {
                        "family": str(cv["candidate"][i]),
                        "status": str(cv["status"][i]),
                        "reason": str(cv["reason"][i]),
                        "cross_entropy_nats": _number(-cv["mean_test_score"][i]),
                        "std_nats": _number(cv["std_test_score"][i]),
                        "rank": int(cv["rank_test_score"][i]),
                    }
                    for i in range(len(cv["candidate"]))
                    if cv["status"][i] != "skipped"
                ],
            }
        )
    return {"left_out": list(left_out), "rankings": rankings}


def _number(value):
    """A float for JSON: inf and nan as strings, which JSON has no numbers for."""
    value = float(value)
    return value if math.isfinite(value) else str(value)


def _refuse_unused_options(plans, options):
    """An option that no candidate takes would be ignored: refuse it."""
    used = set()
    for candidates, _ in plans:
        for estimator in candidates.values():
            used.update(estimator.get_params())
    unused = [name for name in given_parameters(options) if name not in used]
    if unused:
        raise CommandError(
            f"{option_flag(unused[0])} applies to none of the families ranked "
            "for these data"
        )
