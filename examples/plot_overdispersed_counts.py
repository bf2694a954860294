r"""
=======================================================
Overdispersed counts: Poisson or negative binomial?
=======================================================

A Poisson distribution has one parameter, and its variance equals its mean.
Counts of events from different people rarely behave so: some people have
many more events than others, and the variance of the pooled counts exceeds
their mean. The negative binomial distribution has a second parameter for
that excess. This example fits :class:`~skxent.PoissonDistribution` and
:class:`~skxent.NegativeBinomialDistribution` to the number of visits to a
doctor of 20,190 people in the RAND Health Insurance Experiment, a data set
that ships with statsmodels, and compares them by held-out cross-entropy.
"""

# %%
# The counts
# ----------
import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from scipy import stats
from sklearn.model_selection import KFold

from skxent import (
    DistributionSelector,
    NegativeBinomialDistribution,
    PoissonDistribution,
)

data = sm.datasets.randhie.load_pandas().data
visits = data["mdvis"].to_numpy()
X = visits.reshape(-1, 1)
print(
    f"{len(visits)} people; visits: mean {visits.mean():.2f}, variance "
    f"{visits.var():.2f}, {np.mean(visits == 0):.1%} zeros, largest {visits.max()}"
)

# %%
# The variance is seven times the mean. Both models are fit by maximum
# likelihood: the Poisson rate is the mean, and the negative binomial's
# ``n_`` and ``p_`` (scipy's :data:`~scipy.stats.nbinom` parameters) have
# the same mean, ``n (1 - p) / p``, with a variance ``mean + mean**2 / n``.
poisson = PoissonDistribution().fit(X)
negative_binomial = NegativeBinomialDistribution().fit(X)
n, p = negative_binomial.n_[0], negative_binomial.p_[0]
fitted_nbinom = stats.nbinom(n, p)
print(f"Poisson: rate = {poisson.rates_[0]:.3f}")
print(
    f"negative binomial: n = {n:.4f}, p = {p:.4f}, mean = {fitted_nbinom.mean():.3f}, "
    f"variance = {fitted_nbinom.var():.2f}"
)
print(
    f"probability of no visit: data {np.mean(visits == 0):.3f}, Poisson "
    f"{np.exp(poisson.score_samples([[0]]))[0]:.3f}, negative binomial "
    f"{np.exp(negative_binomial.score_samples([[0]]))[0]:.3f}"
)

# %%
# The negative binomial is fit by likelihood, not by matching moments, so
# its variance is below the sample variance, which a few very large counts
# (up to 77 visits) inflate. Where the Poisson is off by a factor of five on
# the zeros alone, the negative binomial is close.

# %%
# Held-out cross-entropy
# ----------------------
# The two models are ranked by :class:`~skxent.DistributionSelector` on
# five shuffled folds, together with
# :class:`~skxent.CategoricalDistribution`, the empirical distribution of
# the training counts: the most flexible model of all.
cv = KFold(n_splits=5, shuffle=True, random_state=0)
selector = DistributionSelector(
    ["poisson", "negative_binomial", "categorical"], cv=cv
).fit(X)
results = selector.cv_results_
print(f"{'family':<18} {'rank':>4}  held-out cross-entropy (nats per person)")
for i, name in enumerate(results["candidate"]):
    folds = [-results[f"split{k}_test_score"][i] for k in range(selector.n_splits_)]
    print(
        f"{name:<18} {results['rank_test_score'][i]:>4}  "
        f"{-results['mean_test_score'][i]:.3f} (folds: "
        + ", ".join(f"{h:.3f}" for h in folds)
        + ")"
    )
print("chosen:", selector.best_candidate_, f"({selector.kind_reason_})")

# %%
# The negative binomial predicts the visits of people it was not fit on
# better by more than a nat per person, on every fold. The empirical
# distribution scores :math:`-\infty` on every fold: each held-out fold has
# one to six people whose count no one in the training folds had, and the
# maximum likelihood categorical model gives those counts probability zero.
# A parametric family with a tail is what lets a model predict counts it has
# never seen.
for k, (train, test) in enumerate(cv.split(X)):
    unseen = np.setdiff1d(visits[test], visits[train])
    print(f"fold {k}: held-out counts never seen in training: {unseen.tolist()}")

# %%
# What ``n_`` says
# ----------------
# A negative binomial count is a Poisson count whose rate is itself random,
# with a gamma distribution of shape ``n`` and mean equal to the mean count
# (the gamma-Poisson mixture; see the references of
# :class:`~skxent.NegativeBinomialDistribution`): ``nbinom(n, p)`` is the
# mixture of ``poisson(rate)`` over ``rate ~ gamma(n, scale=(1 - p) / p)``. The smaller
# ``n``, the more the rates differ between people; the Poisson distribution
# is the limit :math:`n \to \infty`, where everyone has the same rate. In
# regression software the same parameter appears as the dispersion
# :math:`\alpha = 1 / n` (the NB2 model); statsmodels' negative binomial
# regression with an intercept only reaches the same estimate:
nb2 = sm.NegativeBinomial(visits, np.ones(len(visits))).fit(disp=0)
print(
    f"statsmodels NB2: alpha = {nb2.params[1]:.4f}, 1 / alpha = {1 / nb2.params[1]:.4f}"
)
print(f"skxent: n_ = {n:.4f}")

rates = stats.gamma(n, scale=(1 - p) / p)
low, median, high = rates.ppf([0.1, 0.5, 0.9])
print(
    f"implied rates of visits: median {median:.2f}, a tenth of people below "
    f"{low:.2f}, a tenth above {high:.2f} (mean {rates.mean():.2f})"
)

# %%
# Here :math:`\hat n = 0.68 < 1`: the rates are very unequal (their
# coefficient of variation is :math:`1 / \sqrt{n} = 1.2`), and the
# probability of a count is largest at zero and decreases from there, as
# in the data. The pooled counts mix people of every insurance plan and
# state of health, but the excess variance is not only between those
# groups: within each group of at least 100 people (plan by self-rated
# health), the variance is still several times the mean.
health = np.select(
    [data["hlthp"] == 1, data["hlthf"] == 1, data["hlthg"] == 1],
    ["poor", "fair", "good"],
    "excellent",
)
groups = (
    data.assign(health=health)
    .groupby(["lncoins", "idp", "health"])["mdvis"]
    .agg(["mean", "var", "size"])
)
groups = groups[groups["size"] >= 100]
ratio = groups["var"] / groups["mean"]
print(
    f"{len(groups)} groups: variance / mean from {ratio.min():.1f} to {ratio.max():.1f}"
)

# %%
# The figure
# ----------
# Left: the share of people with each number of visits and the two fitted
# probability masses. Middle: the same on a logarithmic axis, where the
# Poisson tail vanishes: it gives 20 visits or more a probability of order
# :math:`10^{-11}`, while 1.1% of the people had that many (the negative
# binomial's tail is closer, 0.6%, but still too light). Right: the variance
# and the mean of each group, against the Poisson's ``variance = mean`` and
# the negative binomial's ``variance = mean + mean**2 / n`` with the pooled
# :math:`\hat n`.
counts = np.arange(visits.max() + 1)
share = np.bincount(visits) / len(visits)
poisson_pmf = np.exp(poisson.score_samples(counts.reshape(-1, 1)))
nbinom_pmf = np.exp(negative_binomial.score_samples(counts.reshape(-1, 1)))
print(
    f"P(20 visits or more): Poisson {stats.poisson(poisson.rates_[0]).sf(19):.1e}, "
    f"negative binomial {fitted_nbinom.sf(19):.3f}, data {np.mean(visits >= 20):.3f}"
)
held_out = dict(zip(results["candidate"], -results["mean_test_score"], strict=True))

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.4))
for axis in (left, middle):
    axis.bar(counts, share, width=0.8, color="0.8", label="data")
    axis.plot(
        counts,
        poisson_pmf,
        "o-",
        ms=3,
        color="C0",
        label=f"Poisson ({held_out['poisson']:.2f} nats held out)",
    )
    axis.plot(
        counts,
        nbinom_pmf,
        "o-",
        ms=3,
        color="C3",
        label=f"negative binomial ({held_out['negative_binomial']:.2f} nats)",
    )
    axis.set_xlabel("visits to a doctor")
left.set_xlim(-0.6, 20.5)
left.set_ylabel("share of people")
left.set_title("Counts and fitted probability masses")
left.legend(fontsize=8)
middle.set_yscale("log")
middle.set_ylim(1e-5, 1)
middle.set_xlim(-1, 80)
middle.set_title("The same, logarithmic axis")

means = np.linspace(0, groups["mean"].max() * 1.1, 100)
right.scatter(groups["mean"], groups["var"], s=np.sqrt(groups["size"]), color="k")
right.plot(means, means, color="C0", label="Poisson: variance = mean")
right.plot(
    means,
    means + means**2 / n,
    color="C3",
    label=f"negative binomial, n = {n:.2f}",
)
right.set_xlim(0, means[-1])
right.set_xlabel("mean visits in the group")
right.set_ylabel("variance of the visits in the group")
right.set_title("Groups of plan and self-rated health")
right.legend(fontsize=8)
fig.tight_layout()
