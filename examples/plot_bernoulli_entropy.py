r"""
==============================
The entropy of a coin, in bits
==============================

A Bernoulli variable that is one with probability :math:`p` has entropy

.. math::

    H(p) = -p \log_2 p - (1 - p) \log_2 (1 - p) \quad \text{bits},

the average number of yes/no questions needed to learn its value. A coin that
always lands the same way (:math:`p = 0` or :math:`1`) tells us nothing new:
:math:`H = 0`. A fair coin is the least predictable: :math:`H(1/2) = 1` bit.

This example draws :math:`H(p)` with :func:`skxent.entropy` and marks on it
the entropy of a :class:`~skxent.BernoulliDistribution` fitted to the flips of
a biased coin.
"""

# %%
# The binary entropy function
# ---------------------------
# :func:`skxent.entropy` takes probability vectors along the last axis, so the
# distributions :math:`(p, 1 - p)` for a grid of :math:`p` are the rows of a
# two-column array. ``base=2`` gives bits; the convention
# :math:`0 \log 0 = 0` makes the end points exactly zero.
import matplotlib.pyplot as plt
import numpy as np

from skxent import BernoulliDistribution, entropy

p = np.linspace(0.0, 1.0, 401)
H_bits = entropy(np.column_stack([p, 1.0 - p]), base=2)

for value in (0.0, 0.1, 0.5, 0.9, 1.0):
    h = entropy([value, 1.0 - value], base=2)
    print(f"H({value:.1f}) = {h:.4f} bits")
print(f"maximum {H_bits.max():.4f} bits at p = {p[H_bits.argmax()]:.3f}")

# %%
# A fitted coin
# -------------
# We flip a coin with :math:`P(\text{heads}) = 0.2` two hundred times. The
# maximum likelihood estimate of :math:`p` is the frequency of heads, and
# :meth:`~skxent.BernoulliDistribution.entropy` gives the entropy of the
# fitted model in closed form, in nats; dividing by :math:`\ln 2` converts it
# to bits.
#
# The fitted model is also the one that minimizes the cross-entropy with the
# data, and on its own training data that minimum equals its entropy:
# ``-model.score(flips)`` (a cross-entropy in nats) is ``model.entropy()``.
rng = np.random.default_rng(0)
flips = (rng.random(200) < 0.2).astype(int).reshape(-1, 1)
model = BernoulliDistribution().fit(flips)

p_hat = model.probabilities_[0]
h_hat_bits = model.entropy() / np.log(2)
print(f"fitted p = {p_hat:.3f}")
print(f"entropy of the fitted coin: {model.entropy():.4f} nats = {h_hat_bits:.4f} bits")
print(f"cross-entropy of the flips with the model: {-model.score(flips):.4f} nats")
assert np.isclose(-model.score(flips), model.entropy())
assert np.isclose(h_hat_bits, entropy([p_hat, 1 - p_hat], base=2))

# %%
# The figure
# ----------
# The curve is symmetric about :math:`p = 1/2`: heads and tails only swap
# names. It is steep near the ends, so a small bias already saves much of a
# bit: the coin above, with :math:`\hat p \approx 0.2`, carries about 0.7
# bits per flip, which is why its flips can be compressed.
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(p, H_bits, color="C0", label=r"$H(p)$")
ax.axhline(1.0, color="0.7", linestyle=":", linewidth=1)
ax.plot(0.5, 1.0, "o", color="C0")
ax.annotate("fair coin: 1 bit", (0.5, 1.0), (0.55, 1.04), fontsize=9)
ax.plot(p_hat, h_hat_bits, "s", color="C3", label="fitted coin (200 flips)")
ax.vlines(p_hat, 0, h_hat_bits, color="C3", linestyle="--", linewidth=1)
ax.annotate(
    rf"$\hat p = {p_hat:.3f}$, $H = {h_hat_bits:.3f}$ bits",
    (p_hat, h_hat_bits),
    (p_hat + 0.05, h_hat_bits - 0.12),
    fontsize=9,
    color="C3",
)
ax.set_xlabel(r"$p = P(X = 1)$")
ax.set_ylabel("entropy $H(p)$ (bits)")
ax.set_title("Entropy of a Bernoulli variable")
ax.set_xlim(0, 1)
ax.set_ylim(0, 1.12)
ax.legend(loc="lower center")
fig.tight_layout()
