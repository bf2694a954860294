"""Benchmark GenerativeClassifier against GaussianNB and QDA.

Configured alike (see the GenerativeClassifier docstring), the two pairs
give the same ``predict_proba``; the table gives the time of ``fit``, of
``predict_proba`` on the training data, and of both, on the digits data
(1,797 x 64, 10 classes) and on 200,000 x 20 synthetic rows of 5 classes.
Each time is the best of a few repeats, the implementations taking turns
within each. Run with::

    python benchmarks/bench_generative.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import os
import time

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_digits
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.naive_bayes import GaussianNB

from skxent import GaussianDistribution, GenerativeClassifier

REPEATS = 7
VAR_SMOOTHING = 1e-9


def synthetic(n_samples=200_000, n_features=20, n_classes=5, random_state=0):
    rng = np.random.default_rng(random_state)
    y = rng.integers(n_classes, size=n_samples)
    centres = rng.normal(scale=2.0, size=(n_classes, n_features))
    return centres[y] + rng.standard_normal((n_samples, n_features)), y


def pairs(X):
    reg_covar = VAR_SMOOTHING * X.var(axis=0).max()
    return {
        "naive Bayes": (
            GaussianNB(var_smoothing=VAR_SMOOTHING),
            GenerativeClassifier(
                GaussianDistribution(covariance_type="diag", reg_covar=reg_covar)
            ),
        ),
        # reg_param=0.1 against the same regularisation as a covariance
        # matrix needs for digits' constant pixels; QDA's (1 - r) factor on
        # the scatter makes the two differ slightly there, so only the times
        # compare, not the probabilities.
        "QDA": (
            QuadraticDiscriminantAnalysis(reg_param=0.1),
            GenerativeClassifier(GaussianDistribution(reg_covar=0.1)),
        ),
    }


def timings(model, X, y):
    """Best times of fit, predict_proba and the two together."""
    fit = predict = both = np.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        model.fit(X, y)
        middle = time.perf_counter()
        model.predict_proba(X)
        end = time.perf_counter()
        fit, predict, both = (
            min(fit, middle - start),
            min(predict, end - middle),
            min(both, end - start),
        )
    return fit, predict, both


def main():
    data = {"digits": load_digits(return_X_y=True), "synthetic 200k x 20": synthetic()}
    print(
        f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn "
        f"{sklearn.__version__}; best of {REPEATS}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )
    print(
        "| data | model | sklearn fit (ms) | skxent fit (ms) | sklearn "
        "predict_proba (ms) | skxent predict_proba (ms) | skxent / sklearn, "
        "fit + predict_proba |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for data_name, (X, y) in data.items():
        X = X.astype(np.float64)
        for model_name, (reference, ours) in pairs(X).items():
            # Alternate the two, so that load on the machine hits both alike.
            results = {"sklearn": [], "skxent": []}
            for _ in range(2):
                results["sklearn"].append(timings(reference, X, y))
                results["skxent"].append(timings(ours, X, y))
            theirs = np.min(results["sklearn"], axis=0)
            mine = np.min(results["skxent"], axis=0)
            print(
                f"| {data_name} | {model_name} | {1e3 * theirs[0]:.1f} | "
                f"{1e3 * mine[0]:.1f} | {1e3 * theirs[1]:.1f} | {1e3 * mine[1]:.1f} | "
                f"{mine[2] / theirs[2]:.2f} |"
            )


if __name__ == "__main__":
    main()
