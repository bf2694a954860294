"""The figure of ``skxent demo --plot`` (needs the optional matplotlib)."""

import numpy as np

from skxent._cli._data import CommandError

__all__ = ["plot_demo"]


def plot_demo(results, path):
    """Draw the demo's results in three panels and save them to ``path``."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CommandError(
            "--plot needs matplotlib: pip install 'skxent[plot]'"
        ) from None
    figure, axes = plt.subplots(1, 3, figsize=(15, 4.5), layout="constrained")
    _plot_search(axes[0], results["search"])
    _plot_classifiers(axes[1], results["classifiers"])
    _plot_distillation(axes[2], results["distillation"])
    figure.suptitle("skxent demo: every score is minus the held-out cross-entropy")
    try:
        figure.savefig(path, dpi=100)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot write the figure to {path}: {exc}") from None
    finally:
        plt.close(figure)


def _plot_search(axis, search):
    alphas = np.array(search["alphas"], dtype=float)
    cross_entropy = np.array(search["cross_entropy"])
    finite = np.isfinite(cross_entropy) & (alphas > 0)
    axis.semilogx(alphas[finite], cross_entropy[finite], "o-")
    axis.axvline(
        search["best_alpha"],
        color="gray",
        linestyle=":",
        label=f"selected alpha = {search['best_alpha']}",
    )
    axis.set(
        xlabel="Bernoulli smoothing alpha",
        ylabel="held-out cross-entropy (nats)",
        title="GridSearchCV on binarized digits",
    )
    axis.legend()


def _plot_classifiers(axis, rows):
    names = [row[0] for row in rows]
    axis.barh(names, [row[1] for row in rows])
    axis.invert_yaxis()
    axis.set(xlabel="held-out cross-entropy (nats)", title="classifiers on digits")


def _plot_distillation(axis, rows):
    axis.bar(
        [row[0] for row in rows],
        [row[1] for row in rows],
        color=["tab:gray", "tab:green"],
    )
    axis.set(
        ylabel="held-out cross-entropy (nats)",
        title="linear student: hard vs soft labels",
    )
