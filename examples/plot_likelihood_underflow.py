r"""
===========================================================
Why likelihoods are computed in logs: underflow of products
===========================================================

The likelihood of :math:`m` independent observations is a product,
:math:`L = \prod_{i=1}^m p(x_i)`. Each factor is below one for a discrete
model, so :math:`L` shrinks exponentially with :math:`m` and soon falls below
the smallest positive double, about :math:`4.9 \times 10^{-324}`: computed
naively it becomes exactly ``0.0``, and every model looks equally (im)probable.

The mean log-likelihood has no such problem. It is the negative
cross-entropy between the data and the model,

.. math::

    \frac{1}{m}\log L = \frac{1}{m}\sum_{i=1}^m \log p(x_i)
    = -H(\hat p_{\text{data}}, p),

an average of moderate numbers that converges, by the law of large numbers,
to :math:`-H(p_{\text{true}}, p)`, which is :math:`-H(p)` when the model is
right. This is what every skxent ``score`` returns.
"""

# %%
# A loaded die
# ------------
# A die with known face probabilities, and a
# :class:`~skxent.CategoricalDistribution` fitted to ten thousand rolls. Its
# entropy :math:`H(p)` is below :math:`\log 6` nats, the entropy of a fair die.
import matplotlib.pyplot as plt
import numpy as np

from skxent import CategoricalDistribution, entropy

faces = np.arange(1, 7)
p_true = np.array([0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
rng = np.random.default_rng(0)
model = CategoricalDistribution().fit(rng.choice(faces, size=(10_000, 1), p=p_true))

print("fitted probabilities:", np.round(model.probabilities_[0], 3))
print(
    f"H(model) = {model.entropy():.4f} nats, H(true) = {entropy(p_true):.4f} nats, "
    f"log 6 = {np.log(6):.4f} nats"
)

# %%
# The product against the mean of the logs
# ----------------------------------------
# For fresh samples of growing size :math:`m` we compute the likelihood as a
# product of the probabilities that
# :meth:`~skxent.CategoricalDistribution.predict_proba` returns, and the mean
# log-likelihood :meth:`~skxent.CategoricalDistribution.score`. The exact
# :math:`\log_{10} L` is ``m * score / log(10)``, which never underflows.
sizes = np.unique(np.logspace(0, 5, 41).astype(int))
products, scores = [], []
for m in sizes:
    rolls = rng.choice(faces, size=(m, 1), p=p_true)
    products.append(np.prod(model.predict_proba(rolls)))
    scores.append(model.score(rolls))
products, scores = np.array(products), np.array(scores)
log10_likelihood = sizes * scores / np.log(10)

first_zero = np.argmax(products == 0.0)
print(f"the product is 0.0 from m = {sizes[first_zero]} on")
shown = {0, 8, 16, first_zero - 1, first_zero, len(sizes) - 1}
for k in sorted(shown):
    print(
        f"m = {sizes[k]:>6}: prod = {products[k]:.3e}, "
        f"log10 L = {log10_likelihood[k]:9.1f}, score = {scores[k]:.4f} nats"
    )
assert products[-1] == 0.0 and np.isfinite(scores).all()

# %%
# The figure
# ----------
# Left, on a logarithmic axis: the computed product follows the exact
# likelihood through the subnormal range below 2.2e-308, then is exactly
# zero (crosses at the bottom of the axis), while the true likelihood goes on
# to about :math:`10^{-73763}` at :math:`m = 10^5`. Right: the mean
# log-likelihood on the same samples settles at :math:`-H`, the entropy of
# the model in nats, within the usual :math:`1/\sqrt m` fluctuations.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))

tiny = np.finfo(float).smallest_subnormal
exact_shown = log10_likelihood >= np.log10(tiny)
left.semilogy(
    sizes[exact_shown],
    10.0 ** log10_likelihood[exact_shown],
    color="0.6",
    linewidth=4,
    label=r"exact $L = 10^{m \cdot \mathrm{score} / \ln 10}$",
)
nonzero = products > 0
left.semilogy(
    sizes[nonzero],
    products[nonzero],
    "o",
    color="C0",
    markersize=4,
    label="np.prod(model.predict_proba(X))",
)
left.semilogy(
    sizes[~nonzero],
    np.full((~nonzero).sum(), tiny),
    "x",
    color="C3",
    clip_on=False,
    label="np.prod(...) == 0.0 (underflow)",
)
left.axhline(np.finfo(float).tiny, color="C3", linestyle=":", linewidth=1)
left.text(1.2, 1e-300, "smallest normal double, 2.2e-308", color="C3", fontsize=8)
left.set_ylim(tiny, 10)
left.set_xscale("log")
left.set_xlabel("number of observations $m$")
left.set_ylabel("likelihood $L$ (probability of the sample)")
left.set_title("The product of probabilities underflows")
left.legend(loc="center left", fontsize=8)

right.semilogx(
    sizes,
    scores,
    "o-",
    color="C0",
    markersize=4,
    label="model.score(X) = mean log-likelihood",
)
right.axhline(
    -model.entropy(),
    color="k",
    linestyle="--",
    label=f"$-H$(model) = {-model.entropy():.3f} nats",
)
right.set_xlabel("number of observations $m$")
right.set_ylabel("nats per observation")
right.set_title(r"The mean log-likelihood converges to $-H$")
right.legend(loc="lower right", fontsize=8)
fig.tight_layout()
