"""``skxent select --plot``: each column's histogram with the ranked families.

One panel per column: the histogram of the column (bars of frequencies for
integers and labels) and, over it, the density or mass of every family the
ranking applied, each fit to that column alone and labelled with the
held-out cross-entropy of the ranking. Needs matplotlib.
"""

import numpy as np
from sklearn.base import clone

__all__ = ["plot_selection"]

#: Points of the grid on which a density is drawn.
_GRID_POINTS = 400


def plot_selection(table, results, path):
    """Write the figure of the rankings in ``results`` to ``path``."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    panels = [(result, name) for result in results for name in result.table.names]
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(4.5 * columns, 3.4 * rows), squeeze=False
    )
    for axis, (result, name) in zip(axes.flat, panels, strict=False):
        _panel(axis, result, table.frame[[name]])
    for axis in list(axes.flat)[len(panels) :]:
        axis.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _panel(axis, result, column):
    values = column.iloc[:, 0]
    name = str(column.columns[0])
    selector = result.selector
    ranked = [
        (
            selector.cv_results_["candidate"][i],
            -selector.cv_results_["mean_test_score"][i],
        )
        for i in np.argsort(selector.cv_results_["rank_test_score"], kind="stable")
        if selector.cv_results_["status"][i] == "ranked"
    ]
    if values.dtype == object:
        _labels(axis, values, name)
        return
    x = values.to_numpy(dtype=float)
    discrete = selector.kind_ == "discrete"
    if discrete:
        support, counts = np.unique(x, return_counts=True)
        axis.bar(support, counts / counts.sum(), color="0.8", label="data")
        grid = support
    else:
        axis.hist(x, bins="auto", density=True, color="0.8", label="data")
        grid = np.linspace(x.min(), x.max(), _GRID_POINTS)
    for family, cross_entropy in ranked:
        model = clone(selector.candidates_[family])
        try:
            model.fit(column)
            density = model.predict_proba(_frame_like(column, grid))
        except (ValueError, TypeError):
            continue  # applies to the table, not to this column alone
        style = "o-" if discrete else "-"
        axis.plot(grid, density, style, ms=3, label=f"{family} ({cross_entropy:.3f})")
    axis.set(title=name, ylabel="probability" if discrete else "density")
    axis.legend(fontsize="small", title="held-out nats/row")


def _labels(axis, values, name):
    categories, counts = np.unique(values.to_numpy(dtype=str), return_counts=True)
    axis.bar(categories, counts / counts.sum(), color="0.6")
    axis.set(title=name, ylabel="frequency")
    axis.tick_params(axis="x", labelrotation=45)


def _frame_like(column, grid):
    frame = column.iloc[:0].reindex(range(len(grid)))
    frame.iloc[:, 0] = grid
    return frame
