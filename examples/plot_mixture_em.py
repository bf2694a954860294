r"""
===========================================================
EM on a mixture of Bernoulli images, iteration by iteration
===========================================================

A :class:`~skxent.MixtureDistribution` is fit by expectation-maximization:
each iteration computes the responsibilities :math:`p(k \mid x_i)` (the
E-step) and refits every component by its family's weighted maximum
likelihood (the M-step). Neither step can raise the cross-entropy between
the data and the mixture, so the training mean log-likelihood, recorded in
``lower_bounds_``, climbs at every iteration until it levels off.

The data are the 8x8 images of :func:`~sklearn.datasets.load_digits`,
binarized, and each component is a :class:`~skxent.BernoulliDistribution`
(independent pixels): a mixture of Bernoulli distributions, the classic
example of Bishop (2006, section 9.3.3). Its components, drawn as images of
their probabilities of ink, are prototypes of the digits, learned without a
single label.
"""

# %%
# Fitting from several starts
# ---------------------------
# EM climbs to a local maximum of the likelihood, which depends on the start.
# Five fits from different k-means++ seeds show how fast it climbs and how
# far apart the local maxima are; ``n_init=5`` would keep the best of them.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skxent import BernoulliDistribution, MixtureDistribution

X, y = load_digits(return_X_y=True)
component = BernoulliDistribution(alpha=0.5, binarize=7.5)
fits = [
    MixtureDistribution(component, n_components=10, tol=1e-4, random_state=seed).fit(X)
    for seed in range(5)
]
for seed, model in enumerate(fits):
    print(
        f"seed {seed}: {model.n_iter_:>3} iterations, training cross-entropy "
        f"{-model.lower_bound_:.3f} nats per image"
    )
best = max(fits, key=lambda model: model.lower_bound_)

# %%
# What the components learned
# ---------------------------
# Each row of ``predict_component_proba`` is a posterior over the ten
# components. Labelling each component by the digit most of its images show
# (the labels are used here only to read the result) says how well the
# unsupervised clusters match the digits.
responsibilities = best.predict_component_proba(X)
assignment = responsibilities.argmax(axis=1)
labels = np.array(
    [np.bincount(y[assignment == k], minlength=10).argmax() for k in range(10)]
)
purity = np.mean(labels[assignment] == y)
print(f"images whose component's majority digit is their own: {purity:.1%}")

# The model is a density: its information criteria count the free
# parameters, 64 per component plus the 9 free weights.
n_parameters = 10 * 64 + 9
by_hand = -2 * len(X) * best.score(X) + n_parameters * np.log(len(X))
print(
    f"BIC: {best.bic(X):.0f} (by hand, with {n_parameters} parameters: {by_hand:.0f})"
)

# %%
# The figure
# ----------
# Left: the training mean log-likelihood after each EM iteration, one curve
# per start; every curve rises monotonically. Right: the components of the
# best fit, as images of their probability of ink per pixel, titled with the
# mixture weight and the majority digit.
fig = plt.figure(figsize=(11, 4.2))
curves = fig.add_subplot(1, 2, 1)
for seed, model in enumerate(fits):
    curves.plot(model.lower_bounds_, marker=".", label=f"seed {seed}")
curves.set_xlabel("EM iteration")
curves.set_ylabel("training mean log-likelihood (nats per image)")
curves.set_title("EM never lowers the likelihood")
curves.legend(fontsize=8)

order = np.argsort(labels)
grid = fig.add_gridspec(2, 5, left=0.55, right=0.98, top=0.88, bottom=0.08)
for position, k in enumerate(order):
    axis = fig.add_subplot(grid[position // 5, position % 5])
    axis.imshow(best.components_[k].probabilities_.reshape(8, 8), cmap="gray_r")
    axis.set_title(f"{labels[k]}  ({best.weights_[k]:.2f})", fontsize=9)
    axis.set_axis_off()
fig.suptitle(
    "Mixture of 10 Bernoulli distributions on binarized digits", x=0.76, y=0.99
)
plt.show()
