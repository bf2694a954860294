r"""
=========================================================
The cross-entropy landscape of a Gaussian and its minimum
=========================================================

For data :math:`x_1, \dots, x_m` and a normal model
:math:`\mathcal N(\mu, \sigma^2)`, the cross-entropy between the empirical
distribution :math:`\hat p_{\text{data}}` and the model is the mean negative
log-density of the data,

.. math::

    H(\hat p_{\text{data}}, \mathcal N(\mu, \sigma^2))
    = -\frac{1}{m}\sum_{i=1}^m \log \mathcal N(x_i; \mu, \sigma^2)
    = \frac{1}{2}\log(2\pi\sigma^2)
      + \frac{(\bar x - \mu)^2 + s^2}{2\sigma^2},

with :math:`\bar x` the sample mean and :math:`s^2` the sample variance
(divided by :math:`m`). Its minimum over :math:`(\mu, \sigma)` is at
:math:`\mu = \bar x`, :math:`\sigma = s`: the maximum likelihood estimate
that :class:`~skxent.GaussianDistribution` computes. This example maps the
landscape over a grid and checks that its lowest point is the fitted model.
"""

# %%
# Data and the maximum likelihood fit
# -----------------------------------
# Two hundred draws from :math:`\mathcal N(2, 1.5^2)`. With ``reg_covar=0``
# the fitted covariance is exactly the sample variance :math:`s^2`, divided
# by :math:`m` and not :math:`m - 1`, so :math:`\sigma = \sqrt{s^2}`.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm
from scipy.stats import norm

from skxent import GaussianDistribution

rng = np.random.default_rng(0)
x = rng.normal(loc=2.0, scale=1.5, size=200)
model = GaussianDistribution(reg_covar=0.0).fit(x.reshape(-1, 1))

mu_hat = model.mean_[0]
sigma_hat = np.sqrt(model.covariance_[0, 0])
print(f"MLE: mu = {mu_hat:.4f}, sigma = {sigma_hat:.4f}")
print(f"numpy: mean = {x.mean():.4f}, std (ddof=0) = {x.std():.4f}")

# %%
# The landscape
# -------------
# At every grid point the cross-entropy is the mean of
# :math:`-\log \mathcal N(x_i; \mu, \sigma^2)` over the data, in nats; here
# scipy evaluates the log-densities, independently of skxent.
mu_grid = np.linspace(0.5, 3.5, 241)
sigma_grid = np.linspace(0.8, 3.0, 221)
MU, SIGMA = np.meshgrid(mu_grid, sigma_grid)
cross_entropy = np.array(
    [
        -norm.logpdf(x[:, None], loc=MU[i], scale=SIGMA[i]).mean(axis=0)
        for i in range(len(sigma_grid))
    ]
)

i, j = np.unravel_index(cross_entropy.argmin(), cross_entropy.shape)
print(
    f"grid minimum: mu = {mu_grid[j]:.4f}, sigma = {sigma_grid[i]:.4f}, "
    f"H = {cross_entropy[i, j]:.5f} nats"
)

# %%
# The minimum is the MLE
# ----------------------
# The lowest grid point lies within one grid step of the fitted parameters,
# and no grid point beats the model: its cross-entropy with the data,
# ``-model.score(X)``, is below every value on the grid. On the training data
# it also equals the model's entropy :math:`\frac{1}{2}\log(2\pi e s^2)`,
# since the mean squared standardized residual of the MLE is exactly one.
X = x.reshape(-1, 1)
h_model = -model.score(X)
print(
    f"-model.score(X) = {h_model:.5f} nats, model.entropy() = "
    f"{model.entropy():.5f} nats"
)
assert abs(mu_grid[j] - mu_hat) <= mu_grid[1] - mu_grid[0]
assert abs(sigma_grid[i] - sigma_hat) <= sigma_grid[1] - sigma_grid[0]
assert h_model <= cross_entropy.min()
assert np.isclose(h_model, model.entropy())

# %%
# The figure
# ----------
# The contours are levels of the cross-entropy above its minimum, in nats. The valley
# is symmetric in :math:`\mu` about :math:`\bar x` but not in
# :math:`\sigma`: a too-small :math:`\sigma` is punished far more than a
# too-large one, because data in the tails become nearly impossible.
fig, ax = plt.subplots(figsize=(6.5, 5))
excess = cross_entropy - h_model
levels = np.array([0.0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, excess.max()])
cmap = plt.get_cmap("viridis_r")
filled = ax.contourf(
    MU, SIGMA, excess, levels=levels, cmap=cmap, norm=BoundaryNorm(levels, cmap.N)
)
lines = ax.contour(MU, SIGMA, excess, levels=levels[1:-1], colors="k", linewidths=0.6)
ax.clabel(lines, fmt="%.3g", fontsize=8)
ax.plot(mu_hat, sigma_hat, "r*", markersize=14, label="MLE (GaussianDistribution)")
ax.plot(2.0, 1.5, "wo", markeredgecolor="k", label="true parameters")
ax.set_xlabel(r"$\mu$")
ax.set_ylabel(r"$\sigma$")
ax.set_title(
    r"$H(\hat p_{\mathrm{data}}, \mathcal{N}(\mu, \sigma^2))$"
    f", minimum {h_model:.3f} nats"
)
colorbar = fig.colorbar(filled, ax=ax)
colorbar.set_label("cross-entropy above its minimum (nats)")
ax.legend(loc="upper right")
fig.tight_layout()
