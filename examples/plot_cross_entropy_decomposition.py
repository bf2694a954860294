r"""
=========================================================
Cross-entropy is entropy plus Kullback-Leibler divergence
=========================================================

Coding outcomes drawn from :math:`p` with a code built for a model :math:`q`
costs, on average, the cross-entropy

.. math::

    H(p, q) = -\sum_k p_k \log q_k = H(p) + D(p \,\|\, q).

The first term, the entropy :math:`H(p)`, is the cost of the best possible
code and does not depend on the model; the second, the Kullback-Leibler
divergence :math:`D(p \,\|\, q) \ge 0`, is the extra cost of using the wrong
model, zero only when :math:`q = p`. Minimizing the cross-entropy over
:math:`q` is therefore minimizing the divergence, which is why fitting a model
by minimum cross-entropy (maximum likelihood) brings it as close to the data
as its family allows.

This example computes the three quantities with :func:`skxent.entropy`,
:func:`skxent.cross_entropy` and :func:`skxent.kl_divergence`, in bits, for a
distribution over four outcomes and several models of it.
"""

# %%
# A distribution and some models of it
# -------------------------------------
# :math:`p` has entropy :math:`1.75` bits: the optimal code spends 1 bit on
# outcome A, 2 on B and 3 on C and D. Each model :math:`q` is a probability
# vector over the same four outcomes; stacked as rows of an array, all of
# them are evaluated in one call, ``p`` being broadcast against the rows.
import matplotlib.pyplot as plt
import numpy as np

from skxent import cross_entropy, entropy, kl_divergence

outcomes = ["A", "B", "C", "D"]
p = np.array([0.5, 0.25, 0.125, 0.125])
models = {
    "q = p": p,
    "smoothed": 0.8 * p + 0.2 / 4,
    "uniform": np.full(4, 0.25),
    "reversed": p[::-1],
    "confident": np.array([0.97, 0.01, 0.01, 0.01]),
}
Q = np.array(list(models.values()))

H_p = entropy(p, base=2)
H_pq = cross_entropy(p, Q, base=2)
D_pq = kl_divergence(p, Q, base=2)

print(f"H(p) = {H_p:.4f} bits")
for name, h, d in zip(models, H_pq, D_pq, strict=True):
    print(f"{name:>10}: H(p, q) = {h:.4f} = H(p) {H_p:.4f} + D(p||q) {d:.4f} bits")

# %%
# The identity :math:`H(p, q) = H(p) + D(p \| q)` holds to float precision,
# and Gibbs' inequality :math:`D \ge 0` makes :math:`H(p)` the smallest
# cross-entropy of all.
np.testing.assert_allclose(H_pq, H_p + D_pq, rtol=1e-12)
assert np.all(D_pq >= 0) and D_pq[0] == 0

# %%
# A model that rules out a possible outcome pays an infinite price: the
# cross-entropy (and the divergence) is :math:`+\infty`, with no warning.
# The converse is free: :math:`0 \log 0 = 0`, so outcomes that :math:`p`
# never produces do not count, whatever :math:`q` says about them.
print("H(p, q) with q_D = 0:", cross_entropy(p, [0.5, 0.25, 0.25, 0.0], base=2))
print("H(q, p) with q_D = 0:", cross_entropy([0.5, 0.25, 0.25, 0.0], p, base=2))

# %%
# A family of models moving away from :math:`p`
# ---------------------------------------------
# The mixtures :math:`q_t = (1 - t)\, p + t\, r` slide from :math:`p`
# (:math:`t = 0`) to its reverse :math:`r` (:math:`t = 1`). Along the way the
# entropy term stays constant while the divergence, and with it the
# cross-entropy, grows from zero. Arrays of shape ``(n_t, 4)`` are reduced
# along their last axis, one value per :math:`t`.
t = np.linspace(0.0, 1.0, 101)
Q_t = (1 - t)[:, None] * p + t[:, None] * p[::-1]
H_t = cross_entropy(p, Q_t, base=2)
D_t = kl_divergence(p, Q_t, base=2)
np.testing.assert_allclose(H_t, H_p + D_t, rtol=1e-12)
print(f"at t = 0.5: H(p, q) = {H_t[50]:.4f} bits, D(p||q) = {D_t[50]:.4f} bits")

# %%
# The figure
# ----------
# Left: each bar is a cross-entropy, split into the entropy of :math:`p`
# (the same for every model) and the divergence (the model's fault). Right:
# the same split along the path :math:`q_t`.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), width_ratios=[1.2, 1])

names = list(models)
left.bar(names, np.full(len(names), H_p), color="C0", label=r"$H(p)$")
left.bar(names, D_pq, bottom=H_p, color="C1", label=r"$D(p\,\|\,q)$")
for i, h in enumerate(H_pq):
    left.text(i, h + 0.05, f"{h:.2f}", ha="center", fontsize=9)
left.set_ylabel("bits")
left.set_title(r"$H(p, q) = H(p) + D(p\,\|\,q)$ for five models $q$")
left.set_ylim(0, H_pq.max() * 1.12)
left.legend(loc="upper left")

right.fill_between(t, 0, H_p, color="C0", alpha=0.6, label=r"$H(p)$")
right.fill_between(t, H_p, H_t, color="C1", alpha=0.6, label=r"$D(p\,\|\,q_t)$")
right.plot(t, H_t, color="k", label=r"$H(p, q_t)$")
right.set_xlabel(r"$t$ in $q_t = (1 - t)\,p + t\,r$ ($r$ = $p$ reversed)")
right.set_ylabel("bits")
right.set_title("Moving the model away from $p$")
right.set_xlim(0, 1)
right.set_ylim(0, H_t.max() * 1.1)
right.legend(loc="upper left")
fig.tight_layout()
