"""Benchmark MixtureDistribution against scikit-learn's GaussianMixture.

Gaussian mixtures with K=5 components on 100,000 x 10 synthetic blobs, for
each covariance type, from the same initial responsibilities
(``init_params="random"`` and the same seed draw the same ones in both):

- *per iteration*: ``(T(max_iter=N) - T(max_iter=0)) / N`` with ``tol=0``,
  so that both run exactly the same ``N`` EM iterations and the shared
  set-up (validation, initialization, the final E-step) cancels;
- *to convergence*: the whole ``fit`` with the ``tol=1e-4``, where
  both take the same steps and reach the same mean log-likelihood (printed).

The implementations take turns within each repeat and each time is the best
of the repeats, so that load on the machine hits both alike. Run with::

    python benchmarks/bench_mixture.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os
import warnings

import numpy as np
import scipy
import sklearn
from _timing import best_times
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from skxent import GaussianDistribution, MixtureDistribution

N_SAMPLES, N_FEATURES, N_COMPONENTS = 100_000, 10, 5
N_ITER = 10
REPEATS = 3


def make_data(random_state=0):
    rng = np.random.default_rng(random_state)
    centres = rng.normal(scale=4.0, size=(N_COMPONENTS, N_FEATURES))
    labels = rng.integers(N_COMPONENTS, size=N_SAMPLES)
    spread = rng.uniform(0.5, 1.5, size=(N_COMPONENTS, N_FEATURES))
    noise = rng.standard_normal((N_SAMPLES, N_FEATURES))
    return centres[labels] + noise * spread[labels]


def models(covariance_type, **params):
    common = dict(n_components=N_COMPONENTS, init_params="random", random_state=0)
    return {
        "sklearn GaussianMixture": GaussianMixture(
            covariance_type=covariance_type, **common, **params
        ),
        "skxent MixtureDistribution": MixtureDistribution(
            GaussianDistribution(covariance_type=covariance_type), **common, **params
        ),
    }


def fitter(model, X):
    def fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X)

    return fit


def main():
    X = make_data()
    print(
        f"Gaussian mixtures, K={N_COMPONENTS}, on {N_SAMPLES} x {N_FEATURES} "
        f"float64; numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}; best of {REPEATS}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    print(
        "| covariance | implementation | ms per iteration | / sklearn | "
        "fit to tol=1e-4 (s) | / sklearn | iterations | mean log-likelihood |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for covariance_type in ("full", "diag", "spherical"):
        timed = {}
        for n_iter in (0, N_ITER):
            fixed = models(covariance_type, max_iter=n_iter, tol=0.0)
            for name, model in fixed.items():
                timed[name, n_iter] = fitter(model, X)
        converging = models(covariance_type, tol=1e-4)
        for name, model in converging.items():
            timed[name, "converged"] = fitter(model, X)
        times = best_times(timed, REPEATS)
        anchor = "sklearn GaussianMixture"
        per_iteration = {
            name: (times[name, N_ITER] - times[name, 0]) / N_ITER for name in converging
        }
        for name, model in converging.items():
            print(
                f"| {covariance_type} | {name} | {1e3 * per_iteration[name]:.1f} | "
                f"{per_iteration[name] / per_iteration[anchor]:.2f} | "
                f"{times[name, 'converged']:.2f} | "
                f"{times[name, 'converged'] / times[anchor, 'converged']:.2f} | "
                f"{model.n_iter_} | {model.score(X):.6f} |"
            )


if __name__ == "__main__":
    main()
