r"""
=====================================
The same fit on a cluster with Dask
=====================================

Sufficient statistics merge: the statistics of a data set are a sum over its
blocks. So a model is fit on a Dask cluster by computing each block's
statistics on the worker that holds it and merging them there; only a few
numbers per column travel to the client. The fitted model equals the
in-memory one to rounding.

This example starts a :class:`~distributed.LocalCluster` of two worker
processes (any cluster works the same way: ``Client("tcp://host:8786")``),
fits a :class:`~skxent.GaussianDistribution` and a
:class:`~skxent.CrossEntropyClassifier` on dask arrays, and compares them
with the in-memory fits.
"""

# %%
# Data on the cluster
# -------------------
# The wine measurements, scaled, resampled with noise to 200,000 rows in
# blocks of 25,000 rows held by the workers.
import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster
from sklearn.datasets import load_wine
from sklearn.preprocessing import StandardScaler

from skxent import CrossEntropyClassifier, GaussianDistribution

# Workers as threads of this process, so that the example runs anywhere
# (the documentation build included). With worker processes
# (``processes=True``, the default), a script must start the cluster under
# ``if __name__ == "__main__":``, since each worker process imports it.
cluster = LocalCluster(
    n_workers=2,
    threads_per_worker=1,
    processes=False,
    dashboard_address=None,
    silence_logs=40,
)
client = Client(cluster)

wine = load_wine()
base = StandardScaler().fit_transform(wine.data)
n_rows, rows_per_block = 200_000, 25_000
# The rows are drawn on the workers (each block from its own stream), so
# that no data travel from the client; X is then brought back only to
# compare with the in-memory fit.
generator = da.random.default_rng(0)
index = generator.integers(0, len(base), size=n_rows, chunks=rows_per_block)
noise = generator.standard_normal((n_rows, base.shape[1]), chunks=(rows_per_block, -1))
dX = (da.from_array(base)[index] + 0.3 * noise).persist()
dy = da.from_array(wine.target)[index].persist()
X, y = dX.compute(), dy.compute()
print(f"{dX.nbytes / 1e6:.0f} MB in {dX.numblocks[0]} blocks on the workers")

# %%
# A Gaussian fit: per-block statistics, merged on the workers
# -----------------------------------------------------------
in_memory = GaussianDistribution().fit(X)
on_cluster = GaussianDistribution().fit(dX)
mean_gap = np.max(np.abs(on_cluster.mean_ - in_memory.mean_))
covariance_gap = np.max(np.abs(on_cluster.covariance_ - in_memory.covariance_))
print(f"largest difference: mean {mean_gap:.1e}, covariance {covariance_gap:.1e}")
print(f"score on the cluster: {on_cluster.score(dX):.6f} nats")
print(f"the same in memory:   {in_memory.score(X):.6f} nats")

# %%
# A classifier: each L-BFGS step is a map-reduce
# ----------------------------------------------
# The loss and gradient of each block are computed on its worker and summed
# in a tree; the parameters (a few hundred numbers) go out at every step.
classifier = CrossEntropyClassifier(tol=1e-8)
local = classifier.fit(X, y)
local_proba = local.predict_proba(X[:1000])
distributed = CrossEntropyClassifier(tol=1e-8).fit(dX, dy)
proba_gap = np.max(np.abs(distributed.predict_proba(X[:1000]) - local_proba))
print(f"classifier: {distributed.n_iter_} L-BFGS steps, largest difference in")
print(f"predicted probabilities {proba_gap:.1e}")

# %%
# The two fits side by side
# -------------------------
# Left: one feature's histogram (computed on the workers) with the marginal
# density of each fit, indistinguishable. Right: the largest difference
# between the in-memory and the cluster fits, parameter by parameter. The
# Gaussian's differ by float64 rounding (the same sums added in another
# order); the classifier's, near 1e-11, are L-BFGS's tolerance: the same
# objective summed in another order takes a path a few ulps apart, and both
# stop within ``tol`` of the optimum.
counts, edges = da.histogram(dX[:, 0], bins=80, range=(-4, 4), density=True)
counts = counts.compute()
grid = np.linspace(-4, 4, 400)


def marginal(model, grid):
    variance = model.covariance_[0, 0]
    return np.exp(-0.5 * (grid - model.mean_[0]) ** 2 / variance) / np.sqrt(
        2 * np.pi * variance
    )


fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
left.stairs(counts, edges, fill=True, alpha=0.3, label="data (on the workers)")
left.plot(grid, marginal(in_memory, grid), lw=3, label="in-memory fit")
left.plot(grid, marginal(on_cluster, grid), "--", lw=2, label="cluster fit")
left.set(xlabel=wine.feature_names[0] + " (scaled)", ylabel="density")
left.legend()
gaps = {
    "Gaussian mean_": mean_gap,
    "Gaussian covariance_": covariance_gap,
    "classifier coef_": np.max(np.abs(distributed.coef_ - local.coef_)),
    "classifier predict_proba": proba_gap,
}
right.barh(list(gaps), [max(g, 1e-18) for g in gaps.values()])
right.set_xscale("log")
right.axvline(np.finfo(float).eps, color="k", ls=":", label="float64 epsilon")
right.set(xlabel="largest |in memory - on the cluster|")
right.legend()
fig.tight_layout()
plt.show()

client.close()
cluster.close()
