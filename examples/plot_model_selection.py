r"""
==========================================
Choosing a model by held-out cross-entropy
==========================================

The ``score`` of every skxent density estimator is the mean log-likelihood of
the data it is given, that is minus the cross-entropy
:math:`H(\hat p_{\text{test}}, p_\theta)` in nats. On the training data that
number can only improve with a more flexible model; on held-out data it
measures how well the model predicts data it has not seen. So
:class:`~sklearn.model_selection.GridSearchCV`, which maximizes ``score`` by
default, selects the model of least held-out cross-entropy with no
``scoring`` argument at all.

Two choices are made here: the additive smoothing ``alpha`` of a
:class:`~skxent.BernoulliDistribution` for binarized images of digits, and
the ``covariance_type`` of a :class:`~skxent.GaussianDistribution` for the
iris measurements.
"""

# %%
# Smoothing a Bernoulli model of digit images
# -------------------------------------------
# Each 8x8 image of :func:`~sklearn.datasets.load_digits` becomes 64 binary
# pixels (ink above 7.5 on a 0-16 scale), modelled as independent Bernoulli
# variables. ``alpha`` adds pseudo-counts to the ones and zeros of every
# pixel: ``alpha=0`` is the pure maximum likelihood estimate, larger values
# pull every probability towards 1/2. How much smoothing pays depends on how
# much data there is, so the search is run with training sets of 30, 100 and
# 1000 images, each scored on 500 other images, five times over.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import GridSearchCV, KFold, ShuffleSplit

from skxent import BernoulliDistribution, GaussianDistribution

X_digits = load_digits().data
alphas = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
train_sizes = [30, 100, 1000]
searches = {}
for n_train in train_sizes:
    cv = ShuffleSplit(n_splits=5, train_size=n_train, test_size=500, random_state=0)
    with warnings.catch_warnings():
        # alpha=0 scores -inf on some splits: GridSearchCV warns about the
        # non-finite scores (and numpy about their spread). The next cell
        # explains these scores.
        warnings.filterwarnings("ignore", message=".*test scores are non-finite")
        warnings.filterwarnings("ignore", message="invalid value encountered")
        searches[n_train] = GridSearchCV(
            BernoulliDistribution(binarize=7.5), {"alpha": alphas}, cv=cv
        ).fit(X_digits)

for n_train, search in searches.items():
    held_out = -search.cv_results_["mean_test_score"]
    print(
        f"{n_train:>4} training images: best alpha = "
        f"{search.best_params_['alpha']}, held-out cross-entropy (nats per "
        "image) " + " ".join(f"{h:.2f}" for h in held_out)
    )

# %%
# Why ``alpha=0`` scores :math:`-\infty`
# --------------------------------------
# Some border pixels are blank in every training image, so the maximum
# likelihood estimate of their probability of ink is exactly zero. When one
# test image has ink there, the model gives that image probability zero: its
# log-likelihood, and the mean over the test set, is :math:`-\infty` (an
# infinite cross-entropy, the price of ruling out something that happens).
# Any ``alpha > 0`` removes the zeros; too much smoothing then blurs the
# model, and the held-out cross-entropy rises again, fastest for small
# training sets, where ``alpha`` pseudo-counts weigh most.
n_infinite = {
    n_train: int(
        np.isinf(
            [search.cv_results_[f"split{k}_test_score"][0] for k in range(5)]
        ).sum()
    )
    for n_train, search in searches.items()
}
print("splits where alpha=0 scores -inf:", n_infinite)

train, test = next(searches[1000].cv.split(X_digits))
mle = BernoulliDistribution(binarize=7.5).fit(X_digits[train])
never_inked = np.flatnonzero(mle.probabilities_ == 0)
log_likelihood = mle.score_samples(X_digits[test])
print(f"pixels never inked in 1000 training images: {never_inked.tolist()}")
print(
    f"test images given probability zero: {np.isinf(log_likelihood).sum()} "
    f"of {len(test)}"
)

# %%
# Choosing the covariance of a Gaussian model of iris
# ---------------------------------------------------
# A ``"full"`` covariance models the correlations between the four
# measurements, ``"diag"`` treats them as independent and ``"spherical"``
# also gives them one common variance. More parameters fit the training data
# better; held-out cross-entropy tells whether they also generalize. Iris is
# sorted by species, hence the shuffled folds.
X_iris = load_iris().data
gaussian_search = GridSearchCV(
    GaussianDistribution(),
    {"covariance_type": ["full", "diag", "spherical"]},
    cv=KFold(n_splits=5, shuffle=True, random_state=0),
    return_train_score=True,
).fit(X_iris)
gaussian_results = gaussian_search.cv_results_
for kind, train_score, test_score in zip(
    gaussian_results["param_covariance_type"],
    gaussian_results["mean_train_score"],
    gaussian_results["mean_test_score"],
    strict=True,
):
    print(f"{kind:>9}: train {-train_score:.3f} nats, held-out {-test_score:.3f} nats")
print("best:", gaussian_search.best_params_)

# %%
# The figure
# ----------
# Left: the held-out cross-entropy of the Bernoulli model against ``alpha``,
# averaged over the five splits, for each training size; ``alpha=0``,
# infinite on some splits, is drawn as a triangle at the top edge. More data
# lower the whole curve and flatten it: with 1000 images, any small ``alpha``
# will do, but never ``alpha=0``. Right:
# training and held-out cross-entropy of the three Gaussian models, averaged
# over folds; the full covariance wins on both by a wide margin, since the
# iris measurements are strongly correlated.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))

alpha_axis = np.array(alphas)
alpha_axis[0] = 0.003  # where alpha=0 is drawn on the logarithmic axis
top = 27.0  # the curves leave the axis at large alpha; alpha=0 is off the scale
for color, (n_train, search) in zip(["C3", "C1", "C0"], searches.items(), strict=True):
    held_out = -search.cv_results_["mean_test_score"]
    left.plot(
        alpha_axis[1:],
        held_out[1:],
        "o-",
        color=color,
        label=f"{n_train} training images",
    )
    left.plot(alpha_axis[0], top, "^", color=color, clip_on=False)
    best = search.best_index_
    left.plot(alpha_axis[best], held_out[best], "*", color="k", markersize=10)
left.annotate(
    "alpha = 0: +inf",
    (alpha_axis[0], top),
    (0.005, top - 0.6),
    fontsize=8,
    arrowprops={"arrowstyle": "->"},
)
left.set_xscale("log")
left.set_xticks([0.003, 0.01, 0.1, 1, 10], ["0", "0.01", "0.1", "1", "10"])
left.set_ylim(25.0, top)
left.set_xlabel("smoothing alpha")
left.set_ylabel("held-out cross-entropy (nats per image)")
left.set_title("BernoulliDistribution on binarized digits (* = selected)")
left.legend(fontsize=8, loc="upper center")

kinds = list(gaussian_results["param_covariance_type"])
positions = np.arange(len(kinds))
right.bar(
    positions - 0.2,
    -gaussian_results["mean_train_score"],
    width=0.4,
    label="training folds",
    color="C7",
)
right.bar(
    positions + 0.2,
    -gaussian_results["mean_test_score"],
    width=0.4,
    yerr=gaussian_results["std_test_score"],
    label="held-out folds",
    color="C0",
)
right.set_xticks(positions, kinds)
right.set_xlabel("covariance_type")
right.set_ylabel("cross-entropy (nats per flower)")
right.set_title("GaussianDistribution on iris")
right.legend()
fig.tight_layout()
