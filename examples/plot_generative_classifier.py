r"""
===================================================
Generative classifiers: naive Bayes, QDA and beyond
===================================================

A :class:`~skxent.GenerativeClassifier` fits one density per class,
:math:`p(x \mid y = k)`, and the class frequencies :math:`\pi_k`, and
classifies by Bayes' rule, :math:`p(y = k \mid x) \propto \pi_k p(x \mid
y = k)`. The density says what kind of classifier it is: a diagonal
Gaussian gives Gaussian naive Bayes, a full Gaussian quadratic discriminant
analysis, a :class:`~skxent.MixtureDistribution` mixture discriminant
analysis and a :class:`~skxent.ProductDistribution` naive Bayes over a
table of mixed types. Its ``score`` is minus the held-out cross-entropy of
the labels, as for the discriminative :class:`~skxent.CrossEntropyClassifier`,
so all of them compare on one scale.
"""

# %%
# Four classifiers on the two moons
# ---------------------------------
# Each class of :func:`~sklearn.datasets.make_moons` is a curved band. A
# single Gaussian per class (naive Bayes, QDA) draws a quadratic boundary;
# a mixture of four Gaussians per class follows the bands. The linear
# :class:`~skxent.CrossEntropyClassifier` (logistic regression) is shown for
# comparison.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_wine, make_moons
from sklearn.model_selection import StratifiedShuffleSplit, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxent import (
    CategoricalDistribution,
    CrossEntropyClassifier,
    GaussianDistribution,
    GenerativeClassifier,
    MixtureDistribution,
    PoissonDistribution,
    ProductDistribution,
)

X, y = make_moons(n_samples=600, noise=0.25, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=300, random_state=0)
classifiers = {
    "naive Bayes (diagonal Gaussian)": GenerativeClassifier(
        GaussianDistribution(covariance_type="diag")
    ),
    "QDA (full Gaussian)": GenerativeClassifier(GaussianDistribution()),
    "MDA (mixture of 4 Gaussians)": GenerativeClassifier(
        MixtureDistribution(n_components=4, n_init=3, random_state=0)
    ),
    "logistic regression": CrossEntropyClassifier(),
}
for name, classifier in classifiers.items():
    classifier.fit(X_train, y_train)
    print(f"{name:>32}: held-out cross-entropy {-classifier.score(X_test, y_test):.3f}")

# %%
# The class models of mixture discriminant analysis are fitted mixtures,
# each with its weights and components:
mda = classifiers["MDA (mixture of 4 Gaussians)"]
for label, mixture in zip(mda.classes_, mda.distributions_, strict=True):
    print(f"class {label}: component weights {np.round(mixture.weights_, 2)}")

# %%
# Decision regions: the probability of class 1, with the test points.
grid = np.mgrid[-2:3:200j, -1.5:2:200j]
points = grid.reshape(2, -1).T
fig, axes = plt.subplots(1, 4, figsize=(14, 3.6), sharey=True)
for axis, (name, classifier) in zip(axes, classifiers.items(), strict=True):
    proba = classifier.predict_proba(points)[:, 1].reshape(grid.shape[1:])
    axis.contourf(*grid, proba, levels=np.linspace(0, 1, 11), cmap="RdBu", alpha=0.7)
    axis.contour(*grid, proba, levels=[0.5], colors="k", linewidths=1)
    axis.scatter(*X_test.T, c=y_test, cmap="RdBu", edgecolors="k", s=12)
    axis.set_title(
        f"{name}\nheld-out {-classifier.score(X_test, y_test):.3f} nats", fontsize=9
    )
fig.tight_layout()

# %%
# Naive Bayes over a table of mixed types
# ---------------------------------------
# One model per column type, multiplied: the wine table's alcohol and
# colour intensity as independent Gaussians, its magnesium content (whole
# milligrams) as a Poisson count, and its hue cut into three named bands as
# a categorical variable. scikit-learn's naive Bayes classifiers each take one
# type of column; a :class:`~skxent.ProductDistribution` takes them all. Its
# categorical part declares the bands: each class's part would otherwise
# know only the bands of its own wines, and a band it never saw would be an
# unknown category.
wine = load_wine(as_frame=True)
table = wine.data[["alcohol", "color_intensity", "magnesium"]].copy()
table["magnesium"] = table["magnesium"].round().astype(int)
bands = ["low", "mid", "high"]
table["hue band"] = pd.cut(wine.data["hue"], [0, 0.8, 1.1, 2], labels=bands).astype(str)
mixed = GenerativeClassifier(
    ProductDistribution(
        [
            (
                "gaussian",
                GaussianDistribution(covariance_type="diag"),
                ["alcohol", "color_intensity"],
            ),
            ("counts", PoissonDistribution(), ["magnesium"]),
            (
                "bands",
                CategoricalDistribution(alpha=1.0, categories=[bands]),
                ["hue band"],
            ),
        ]
    )
)
numeric_only = GenerativeClassifier(GaussianDistribution(covariance_type="diag"))
cross_entropies = {"mixed types": [], "the two Gaussian columns": []}
for train, test in StratifiedShuffleSplit(20, test_size=0.3, random_state=0).split(
    table, wine.target
):
    y_train, y_test = wine.target.iloc[train], wine.target.iloc[test]
    mixed.fit(table.iloc[train], y_train)
    cross_entropies["mixed types"].append(-mixed.score(table.iloc[test], y_test))
    columns = ["alcohol", "color_intensity"]
    numeric_only.fit(table.iloc[train][columns], y_train)
    cross_entropies["the two Gaussian columns"].append(
        -numeric_only.score(table.iloc[test][columns], y_test)
    )
for name, values in cross_entropies.items():
    print(f"naive Bayes on {name}: held-out cross-entropy {np.mean(values):.3f} nats")

# %%
# Generative or discriminative, by training size
# ----------------------------------------------
# A generative classifier also models :math:`p(x)`, which a discriminative
# one never needs. The extra structure pays when the class models are close
# to right, and costs when they are not (Ng and Jordan, 2002). On the
# standardized wine measurements, with held-out cross-entropy averaged over
# 20 stratified splits per training size: with a dozen rows the regularized
# logistic regression is best, the covariances of QDA being poorly estimated
# and its confident mistakes expensive; from about 60 rows QDA, whose
# Gaussian classes fit the wines well, overtakes it. Naive Bayes pays for
# its independent features at every size (they are correlated), most with
# few rows, where it is most confident.
X_wine, y_wine = load_wine(return_X_y=True)
models = {
    "naive Bayes": lambda n: GenerativeClassifier(
        GaussianDistribution(covariance_type="diag", reg_covar=1e-2)
    ),
    "QDA, reg_covar=0.3": lambda n: GenerativeClassifier(
        GaussianDistribution(reg_covar=0.3)
    ),
    "logistic regression, alpha=1/n": lambda n: CrossEntropyClassifier(alpha=1.0 / n),
}
sizes = [12, 20, 40, 80, 120]
curves = {name: [] for name in models}
for n_train in sizes:
    splits = StratifiedShuffleSplit(
        20, train_size=n_train, test_size=50, random_state=0
    )
    scores = {name: [] for name in models}
    for train, test in splits.split(X_wine, y_wine):
        for name, make in models.items():
            model = make_pipeline(StandardScaler(), make(n_train))
            model.fit(X_wine[train], y_wine[train])
            scores[name].append(-model.score(X_wine[test], y_wine[test]))
    for name in models:
        curves[name].append(np.mean(scores[name]))

fig, axis = plt.subplots(figsize=(6, 4))
for name, curve in curves.items():
    axis.plot(sizes, curve, "o-", label=name)
axis.set_xscale("log")
axis.set_yscale("log")
axis.set_xticks(sizes, [str(n) for n in sizes])
axis.tick_params(axis="x", which="minor", labelbottom=False)
axis.set_xlabel("training rows")
axis.set_ylabel("held-out cross-entropy (nats per wine)")
axis.set_title("Wine: generative and discriminative classifiers")
axis.legend()
fig.tight_layout()
plt.show()
