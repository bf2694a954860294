r"""
============================================
Cross-entropy scorers in pipelines and folds
============================================

:mod:`skxent.metrics` turns "score by held-out cross-entropy" into a
``scoring=`` argument that any scikit-learn model selection tool accepts:

- :data:`~skxent.metrics.neg_cross_entropy_scorer` returns minus the mean
  cross-entropy in nats, :math:`\frac{1}{m}\sum_i \log p(y_i \mid x_i)` for a
  classifier and :math:`\frac{1}{m}\sum_i \log p(x_i)` for a density
  estimator;
- :func:`~skxent.metrics.make_cross_entropy_scorer` makes the same scorer in
  another base, for instance bits with ``base=2``.

This example uses them inside :func:`~sklearn.model_selection.cross_validate`
on a :class:`~sklearn.pipeline.Pipeline` that standardizes the features
before a :class:`~skxent.CrossEntropyClassifier` or a
:class:`~skxent.GaussianDistribution`, and checks them against scikit-learn's
``"neg_log_loss"``.
"""

# %%
# A classifier pipeline, three scorers
# ------------------------------------
# On the breast cancer data, five stratified folds score one pipeline with
# the skxent scorer in nats, the same in bits, and scikit-learn's
# ``"neg_log_loss"``. The scaler is fit on the training folds only, as the
# pipeline guarantees.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import KFold, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxent import CrossEntropyClassifier, GaussianDistribution
from skxent.metrics import make_cross_entropy_scorer, neg_cross_entropy_scorer

X, y = load_breast_cancer(return_X_y=True)
classifier = make_pipeline(StandardScaler(), CrossEntropyClassifier(alpha=1e-2))
scoring = {
    "nats": neg_cross_entropy_scorer,
    "bits": make_cross_entropy_scorer(base=2),
    "log_loss": "neg_log_loss",
}
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_validate(classifier, X, y, cv=folds, scoring=scoring)
for name in scoring:
    per_fold = -scores[f"test_{name}"]
    print(
        f"held-out cross-entropy ({name:>8}): "
        + " ".join(f"{v:.4f}" for v in per_fold)
        + f"  mean {per_fold.mean():.4f}"
    )

# %%
# On hard labels the skxent scorer in nats is scikit-learn's log loss, and
# bits are nats divided by :math:`\ln 2`. The classifier's own ``score``
# method (the pipeline's default scoring) is the same number: no ``scoring``
# argument is needed to select by held-out cross-entropy.
np.testing.assert_allclose(scores["test_nats"], scores["test_log_loss"], rtol=1e-9)
np.testing.assert_allclose(scores["test_bits"], scores["test_nats"] / np.log(2))
default = cross_validate(classifier, X, y, cv=folds)["test_score"]
np.testing.assert_allclose(default, scores["test_nats"])

# %%
# A density pipeline, and what the scaler does to it
# --------------------------------------------------
# The same scorer scores a density estimator, with no ``y``: here a
# standardizing scaler followed by a full-covariance Gaussian. The held-out
# cross-entropy of a *density* depends on the units of the data: dividing
# feature :math:`j` by :math:`s_j` multiplies the density by
# :math:`\prod_j s_j`, so
#
# .. math::
#
#     H(\hat p_{\text{test}}, p_{\text{raw}})
#     = H(\hat p_{\text{test}}, p_{\text{scaled}}) + \sum_j \log s_j .
#
# On the raw data, whose features have standard deviations as small as
# 0.003, the density exceeds one and the cross-entropy is negative; after
# scaling it is positive. Both describe the same model, and with
# ``reg_covar=0`` the identity holds exactly fold by fold.
density = make_pipeline(StandardScaler(), GaussianDistribution(reg_covar=0.0))
raw_density = GaussianDistribution(reg_covar=0.0)
kfold = KFold(n_splits=5, shuffle=True, random_state=0)
scaled = cross_validate(
    density, X, cv=kfold, scoring=neg_cross_entropy_scorer, return_estimator=True
)
raw = cross_validate(raw_density, X, cv=kfold, scoring=neg_cross_entropy_scorer)

scaled_ce = -scaled["test_score"]
raw_ce = -raw["test_score"]
log_scales = np.array([np.log(pipe[0].scale_).sum() for pipe in scaled["estimator"]])
print("held-out cross-entropy, scaled (nats):", np.round(scaled_ce, 3))
print("held-out cross-entropy, raw    (nats):", np.round(raw_ce, 3))
print("sum_j log s_j per fold        (nats):", np.round(log_scales, 3))
np.testing.assert_allclose(raw_ce, scaled_ce + log_scales, rtol=1e-6)

# %%
# The figure
# ----------
# Left: the classifier's held-out cross-entropy per fold, by the three
# scorers; the first two bars of each fold are equal, the third is the same
# quantity in bits. Right: the Gaussian's held-out cross-entropy per fold on
# standardized and on raw features, and the scaled value shifted by
# :math:`\sum_j \log s_j`, which lands exactly on the raw one.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
fold_index = np.arange(1, 6)
width = 0.27
bars = [
    ("nats", "skxent scorer (nats)", "C0"),
    ("log_loss", "sklearn neg_log_loss (nats)", "C1"),
    ("bits", "make_cross_entropy_scorer(base=2) (bits)", "C2"),
]
for offset, (key, label, color) in zip((-width, 0, width), bars, strict=True):
    left.bar(
        fold_index + offset, -scores[f"test_{key}"], width, label=label, color=color
    )
left.set_xticks(fold_index, [f"fold {k}" for k in fold_index])
left.set_ylabel("held-out cross-entropy (nats or bits per row)")
left.set_title("StandardScaler + CrossEntropyClassifier")
left.legend(fontsize=8)

right.axhline(0, color="0.6", linewidth=0.8)
right.bar(fold_index - 0.2, scaled_ce, 0.4, label="standardized features", color="C0")
right.bar(fold_index + 0.2, raw_ce, 0.4, label="raw features", color="C3")
right.plot(
    fold_index + 0.2,
    scaled_ce + log_scales,
    "k_",
    markersize=20,
    markeredgewidth=2,
    label=r"standardized + $\sum_j \log s_j$",
)
right.set_xticks(fold_index, [f"fold {k}" for k in fold_index])
right.set_ylabel("held-out cross-entropy (nats per row)")
right.set_title("[StandardScaler +] GaussianDistribution")
right.set_ylim(raw_ce.min() - 5, scaled_ce.max() + 15)
right.legend(fontsize=8, loc="upper center", ncol=2)
fig.tight_layout()
