r"""
===============================
Label smoothing and calibration
===============================

A classifier fit by minimum cross-entropy on hard labels is pushed to predict
probability one for the label of every training row, and a flexible model can
come close: it then becomes *overconfident* on new data, and its held-out
cross-entropy suffers from the few rows it gets wrong with near certainty.

Label smoothing replaces each one-hot target :math:`e_y` by

.. math::

    t = (1 - \varepsilon)\, e_y + \varepsilon / K

over :math:`K` classes, so the cross-entropy is minimized by predicting at
most :math:`1 - \varepsilon + \varepsilon/K` for any class. A little
smoothing curbs overconfidence; too much makes the model *underconfident*,
and every correct prediction then costs at least
:math:`-\log(1 - \varepsilon + \varepsilon / K)` nats on held-out data.

This example fits a perceptron :class:`~skxent.CrossEntropyClassifier`
without weight penalty for several values of ``label_smoothing`` and shows
the held-out cross-entropy and reliability diagrams
(:func:`sklearn.calibration.calibration_curve`).
"""

# %%
# Fitting with several smoothing levels
# -------------------------------------
# Half of the digits train a perceptron with 64 hidden units and
# ``alpha=0`` (no penalty, so that only the smoothing regularizes); the other
# half are held out. ``tol=1e-3`` stops L-BFGS once the gradient is small
# enough for the held-out scores to be settled, which keeps the example fast.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skxent import CrossEntropyClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
n_classes = 10

epsilons = [0.0, 0.01, 0.03, 0.1, 0.3]
fitted = {}
for eps in epsilons:
    fitted[eps] = CrossEntropyClassifier(
        hidden_layer_sizes=(64,),
        alpha=0.0,
        label_smoothing=eps,
        tol=1e-3,
        random_state=0,
    ).fit(X_train, y_train)

# %%
# Held-out cross-entropy, accuracy and confidence
# -----------------------------------------------
# ``score`` is minus the mean cross-entropy of the *hard* test labels (the
# smoothing is a training device, not part of the score). The confidence of
# a prediction is its largest probability; a calibrated model is right as
# often, on average, as it is confident.
summary = {}
for eps, model in fitted.items():
    proba = model.predict_proba(X_test)
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_test
    summary[eps] = {
        "cross-entropy": -model.score(X_test, y_test),
        "correct": correct,
        "confidence": confidence,
    }
    print(
        f"eps = {eps:<4}: held-out cross-entropy {summary[eps]['cross-entropy']:.3f} "
        f"nats, accuracy {correct.mean():.3f}, mean confidence "
        f"{confidence.mean():.3f}"
    )

# %%
# Without smoothing the perceptron is almost always sure of itself (mean
# confidence above its accuracy) and its rare confident mistakes dominate the
# cross-entropy. A smoothing of 1% divides the held-out cross-entropy by
# about three and also improves the accuracy, although the model is then
# already slightly underconfident on average: a confident mistake costs far
# more than a hesitant hit. Larger :math:`\varepsilon` makes the model ever
# more underconfident, and its cross-entropy climbs towards the floor
# :math:`-\log(1 - \varepsilon + \varepsilon/K)` that even a perfect
# classifier trained with that smoothing would pay.
best = min(summary, key=lambda eps: summary[eps]["cross-entropy"])
print(f"lowest held-out cross-entropy at eps = {best}")

# %%
# The figure
# ----------
# Left: held-out cross-entropy against :math:`\varepsilon`, with the floor.
# Middle: reliability diagrams of the top-label confidence, from
# :func:`~sklearn.calibration.calibration_curve` with bins of equal counts
# (points below the diagonal are overconfident, above it underconfident).
# Right: where the confidences lie; without smoothing nearly all are within
# a hair of one.
fig, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 4.2))

eps_axis = np.array(epsilons)
eps_axis[0] = 0.003  # where eps=0 is drawn on the logarithmic axis
left.plot(
    eps_axis,
    [summary[e]["cross-entropy"] for e in epsilons],
    "o-",
    label="held-out cross-entropy",
)
grid = np.logspace(np.log10(0.003), np.log10(0.3), 100)
left.plot(
    grid,
    -np.log(1 - grid + grid / n_classes),
    "k--",
    label=r"floor $-\log(1 - \varepsilon + \varepsilon/K)$",
)
left.set_xscale("log")
left.minorticks_off()
left.set_xticks(eps_axis, ["0"] + [f"{e:g}" for e in epsilons[1:]])
left.set_xlabel(r"label_smoothing $\varepsilon$")
left.set_ylabel("cross-entropy on hard test labels (nats)")
left.set_title("Held-out cross-entropy")
left.legend()

middle.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="calibrated")
for eps in [0.0, 0.01, 0.1, 0.3]:
    fraction_correct, mean_confidence = calibration_curve(
        summary[eps]["correct"],
        summary[eps]["confidence"],
        n_bins=8,
        strategy="quantile",
    )
    middle.plot(
        mean_confidence,
        fraction_correct,
        "o-",
        markersize=4,
        label=rf"$\varepsilon$ = {eps:g}",
    )
middle.set_xlabel("confidence (largest predicted probability)")
middle.set_ylabel("fraction of correct predictions")
middle.set_title("Reliability diagram")
middle.set_xlim(0.35, 1.01)
middle.set_ylim(0.35, 1.01)
middle.legend(loc="lower right")

bins = np.linspace(0, 1, 41)
for eps in [0.0, 0.01, 0.1, 0.3]:
    right.hist(
        summary[eps]["confidence"],
        bins=bins,
        histtype="step",
        linewidth=1.5,
        label=rf"$\varepsilon$ = {eps:g}",
    )
right.set_yscale("log")
right.set_xlabel("confidence (largest predicted probability)")
right.set_ylabel("number of test rows")
right.set_title("Distribution of the confidence")
right.legend(loc="upper left")
fig.tight_layout()
