"""Draw how the cost of each family grows, from the sweeps' JSON results.

Reads every ``benchmarks/results/<family>.json`` written by a benchmark
script's ``--sweep`` and draws one figure per family: the time per row
against the swept size, log-log, one panel per group of implementations,
skxent (solid) beside its anchors (dashed) and its floors (dotted). A flat
line costs the same per row at every size; a line falling from the left is a
fixed cost (validation, Python) spread over more rows. The figures go to
``docs/_static/benchmarks/growth_<family>.png``, and the measured ratios of
each target are printed as markdown. Run after the sweeps::

    python benchmarks/bench_gaussian.py --sweep
    python benchmarks/plot_growth.py
"""

import json
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from _growth import RESULTS, short, target_lines
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

FIGURES = Path(__file__).resolve().parents[1] / "docs" / "_static" / "benchmarks"

#: Colours of each role, in the order of the panel's list: skxent in warm
#: colours, anchors in cool ones, floors in black (the tightest, listed
#: first) and grey.
COLOURS = {
    "floor": ["black", "0.6"],
    "anchor": ["C0", "C2", "C4", "C9", "C8"],
    "skxent": ["C3", "C1", "C6", "C5"],
}

#: Line style and marker of each role; skxent is drawn last, on top.
STYLES = {
    "floor": {"linestyle": ":", "marker": "", "linewidth": 2.0},
    "anchor": {"linestyle": "--", "marker": "s", "markersize": 4},
    "skxent": {"linestyle": "-", "marker": "o", "markersize": 5, "linewidth": 2.0},
}


def series(sweep, name):
    """(sizes, microseconds per row) of one implementation."""
    points = [point for point in sweep["points"] if name in point["seconds"]]
    return (
        [point["value"] for point in points],
        [1e6 * point["seconds"][name] / point["n_samples"] for point in points],
    )


def draw_panel(ax, sweep, title, names):
    roles = [sweep["roles"][name] for name in names]
    for role in STYLES:
        colours = iter(COLOURS[role])
        for name in (n for n, r in zip(names, roles, strict=True) if r == role):
            x, y = series(sweep, name)
            if x:
                ax.plot(x, y, label=name, color=next(colours), **STYLES[role])
    ax.set_xscale("log")
    ax.set_yscale("log")
    # Decades only where the sweep spans many, read as 1e3 ... 1e7.
    values = [point["value"] for point in sweep["points"]]
    x_subs = (1.0,) if max(values) / min(values) > 300 else (1.0, 2.0, 5.0)
    for axis, subs, label in [
        (ax.xaxis, x_subs, short),
        (ax.yaxis, (1.0, 2.0, 5.0), "{:g}".format),
    ]:
        axis.set_major_locator(LogLocator(base=10, subs=subs))
        axis.set_major_formatter(
            FuncFormatter(lambda value, _, label=label: label(value))
        )
        axis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(sweep["parameter"])
    ax.set_ylabel("time per row (µs)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    # Below the axes, where it hides no line.
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)


def draw(result):
    panels = [(sweep, panel) for sweep in result["sweeps"] for panel in sweep["panels"]]
    n_columns = min(len(panels), 2)
    n_rows = -(-len(panels) // n_columns)
    figure, axes = plt.subplots(
        n_rows, n_columns, figsize=(6.0 * n_columns, 5.4 * n_rows), squeeze=False
    )
    for ax, (sweep, panel) in zip(axes.flat, panels, strict=False):
        draw_panel(ax, sweep, panel["title"], panel["series"])
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    sweeps = result["sweeps"]
    loads = [point["load"] for sweep in sweeps for point in sweep["points"]]
    environment = result["environment"]
    caption = (
        f"{result['description']}. {environment['date']}, "
        f"{environment['cpu_count']} cores, load average {min(loads):.1f}–"
        f"{max(loads):.1f}; BLAS: {environment['blas']}"
    )
    figure.suptitle(textwrap.fill(caption, 55 * n_columns), fontsize=10)
    figure.tight_layout()
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / f"growth_{result['family']}.png"
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path


def main():
    for path in sorted(RESULTS.glob("*.json")):
        result = json.loads(path.read_text())
        print(f"{draw(result)}")
        lines = [line for sweep in result["sweeps"] for line in target_lines(sweep)]
        if lines:
            print("| ratio | target | measured, by size |\n|---|---|---|")
            print("\n".join(lines))


if __name__ == "__main__":
    main()
