"""``skxent demo``: the library's story told with real numbers on bundled data.

Every number comes from a model fit here, on data that ships with
scikit-learn (no download): the iris measurements, the handwritten digits and
their labels.
"""

import time
import warnings

import numpy as np
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxent._cli._figure import figure_path
from skxent._cli._report import LN2, format_table
from skxent._information import cross_entropy, entropy, kl_divergence
from skxent.classifier import CrossEntropyClassifier
from skxent.distributions import (
    BernoulliDistribution,
    CategoricalDistribution,
    GaussianDistribution,
)
from skxent.metrics import neg_cross_entropy_scorer

__all__ = ["run_demo"]


class _Progress:
    """Prints each step as it starts, with the time elapsed so far."""

    def __init__(self, out):
        self.out = out
        self.start = time.perf_counter()

    def step(self, text):
        elapsed = time.perf_counter() - self.start
        print(f"[{elapsed:5.1f}s] {text}", file=self.out, flush=True)


def run_demo(options, out):
    """Run every part of the demo and print the tables; maybe save a figure."""
    plot = figure_path(options.plot, "skxent-demo.png") if options.plot else None
    progress = _Progress(out)
    results = {
        "identity": _categorical_identity(progress),
        "families": _fit_families(progress),
        "gaussian_pair": _gaussian_identity(progress),
        "search": _grid_search(progress),
        "classifiers": _compare_classifiers(progress),
        "distillation": _soft_labels(progress),
    }
    progress.step("done")
    _print_report(results, out)
    if plot:
        from skxent._cli._demo_plot import plot_demo

        plot_demo(results, plot)
        print(f"\nFigure written to {plot}", file=out)


def _digits_split():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


def _categorical_identity(progress):
    """H(p_test, p_model) = H(p_test) + D(p_test || p_model) on digit labels."""
    progress.step("categorical: digit labels, a model fit on 100 of them")
    _, _, y_train, y_test = _digits_split()
    # A small training sample, so that the model's frequencies visibly differ
    # from the test frequencies; alpha=1 keeps every digit's probability > 0.
    model = CategoricalDistribution(alpha=1.0).fit(y_train[:100, None])
    labels = model.categories_[0]
    p_test = np.array([np.mean(y_test == label) for label in labels])
    q_model = model.probabilities_[0]
    return {
        "score": model.score(y_test[:, None]),
        "cross_entropy": cross_entropy(p_test, q_model),
        "entropy": entropy(p_test),
        "kl": kl_divergence(p_test, q_model),
    }


def _fit_families(progress):
    """Held-out cross-entropy of each family on data it suits."""
    progress.step("fitting three families by maximum likelihood")
    iris = load_iris().data
    X_train, X_test, _, _ = _digits_split()
    datasets = {
        "GaussianDistribution": (
            "iris measurements (4 columns)",
            GaussianDistribution(),
            *train_test_split(iris, test_size=0.3, random_state=0),
        ),
        "BernoulliDistribution": (
            "digit pixels > 7.5 (64 columns), alpha=1",
            BernoulliDistribution(alpha=1.0, binarize=7.5),
            X_train,
            X_test,
        ),
        "CategoricalDistribution": (
            "digit labels (1 column), alpha=1",
            CategoricalDistribution(alpha=1.0),
            *_digit_label_columns(),
        ),
    }
    rows = []
    for name, (data, model, train, test) in datasets.items():
        model.fit(train)
        rows.append(
            (name, data, -model.score(train), -model.score(test), model.entropy())
        )
    return rows


def _digit_label_columns():
    _, _, y_train, y_test = _digits_split()
    return y_train[:, None], y_test[:, None]


def _gaussian_identity(progress):
    """Closed-form H(p) + D(p||q) against a Monte Carlo cross-entropy."""
    progress.step("gaussian: closed-form H(p) + D(p||q) vs sampled H(p, q)")
    X, y = load_iris(return_X_y=True)
    p = GaussianDistribution().fit(X[y == 1])
    q = GaussianDistribution().fit(X[y == 2])
    draws = p.sample(200_000, random_state=0)
    return {
        "entropy": p.entropy(),
        "kl": p.kl_divergence(q),
        "sampled_cross_entropy": -q.score(draws),
    }


def _grid_search(progress):
    """Select a hyper-parameter by 5-fold held-out cross-entropy."""
    progress.step("GridSearchCV: Bernoulli smoothing alpha by held-out cross-entropy")
    X_train, _, _, _ = _digits_split()
    alphas = [0.0, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0]
    search = GridSearchCV(BernoulliDistribution(binarize=7.5), {"alpha": alphas}, cv=5)
    with warnings.catch_warnings():
        # alpha=0 scores -inf on folds where a pixel never seen "on" in
        # training turns on: exactly the point of the demo. scikit-learn warns
        # about the non-finite scores and about the spread of infinities.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        search.fit(X_train)
    held_out = -search.cv_results_["mean_test_score"]
    return {
        "alphas": alphas,
        "cross_entropy": list(held_out),
        "best_alpha": search.best_params_["alpha"],
    }


#: A perceptron's gradient rarely falls below the default tol=1e-4 before
#: max_iter on the digits; held-out cross-entropy stops improving long before.
_MLP_TOL = 1e-3


def _mlp_teacher():
    return CrossEntropyClassifier(
        hidden_layer_sizes=(64,), alpha=1e-2, tol=_MLP_TOL, random_state=0
    )


def _classifiers():
    return {
        "CrossEntropyClassifier": make_pipeline(
            StandardScaler(), CrossEntropyClassifier(alpha=1e-3)
        ),
        "CrossEntropyClassifier MLP (64,)": make_pipeline(
            StandardScaler(), _mlp_teacher()
        ),
        "LogisticRegression": make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0, max_iter=2000)
        ),
        "MLPClassifier (64,)": make_pipeline(
            StandardScaler(),
            MLPClassifier((64,), solver="lbfgs", max_iter=1000, random_state=0),
        ),
    }


def _compare_classifiers(progress):
    """Held-out cross-entropy, accuracy and fit time on the digits."""
    X_train, X_test, y_train, y_test = _digits_split()
    rows = []
    for name, model in _classifiers().items():
        progress.step(f"classifier: {name}")
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        rows.append(
            (
                name,
                -neg_cross_entropy_scorer(model, X_test, y_test),
                _accuracy(model, X_test, y_test),
                seconds,
            )
        )
    return rows


def _accuracy(model, X, y):
    return float(np.mean(model.predict(X) == y))


def _soft_labels(progress):
    """Distil an MLP teacher into a linear student: soft vs hard labels.

    The teacher learns from one half of the training rows; the student sees
    100 rows of the other half, labelled either by hand (hard labels) or by
    the teacher's predicted probabilities, which also say how alike digits
    look.
    """
    progress.step("soft labels: distilling an MLP teacher into a linear student")
    X_train, X_test, y_train, y_test = _digits_split()
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    half = len(y_train) // 2
    teacher = _mlp_teacher().fit(X_train[:half], y_train[:half])
    X_student, y_student = X_train[half : half + 100], y_train[half : half + 100]
    targets = {
        "100 hard labels": y_student,
        "100 soft labels from the teacher": teacher.predict_proba(X_student),
    }
    rows = []
    for name, target in targets.items():
        student = CrossEntropyClassifier(alpha=1e-3).fit(X_student, target)
        rows.append(
            (name, -student.score(X_test, y_test), _accuracy(student, X_test, y_test))
        )
    return rows


def _print_report(results, out):
    print("\n== score is minus the cross-entropy (nats) ==", file=out)
    ident = results["identity"]
    print(
        format_table(
            ("digit labels: test data vs a model of 100 labels", "nats"),
            [
                ("-score(test)", -ident["score"]),
                ("H(p_test, p_model)", ident["cross_entropy"]),
                ("H(p_test)", ident["entropy"]),
                ("D(p_test || p_model)", ident["kl"]),
                ("H(p_test) + D(p_test || p_model)", ident["entropy"] + ident["kl"]),
            ],
        ),
        file=out,
    )
    print("\n== three families, fit by maximum likelihood ==", file=out)
    print(
        format_table(
            ("model", "data", "train CE", "test CE", "H(model)"), results["families"]
        ),
        file=out,
    )
    print(
        "  train CE = H(model) for the unsmoothed MLE of an exponential family;\n"
        "  smoothing (alpha=1) moves the model off the training frequencies, so\n"
        "  the Bernoulli's train CE differs from its entropy. The other nine\n"
        "  families: skxent select FILE.csv ranks them on your data.",
        file=out,
    )
    pair = results["gaussian_pair"]
    print(
        "\n== H(p, q) = H(p) + D(p||q) for two fitted Gaussians (iris classes) ==",
        file=out,
    )
    print(
        format_table(
            ("quantity", "nats"),
            [
                ("H(p) + D(p||q), closed form", pair["entropy"] + pair["kl"]),
                ("H(p, q), 200k samples of p", pair["sampled_cross_entropy"]),
            ],
        ),
        file=out,
    )
    search = results["search"]
    print("\n== GridSearchCV selects alpha by held-out cross-entropy ==", file=out)
    print(
        format_table(
            ("alpha", "held-out CE (nats)"),
            [
                (str(a), ce)
                for a, ce in zip(search["alphas"], search["cross_entropy"], strict=True)
            ],
        ),
        file=out,
    )
    print(f"  best alpha: {search['best_alpha']}", file=out)
    print(
        "  alpha=0 is the pure MLE: a pixel never on in the training folds has\n"
        "  probability 0, so a held-out image with it on costs log(1/0) = inf.",
        file=out,
    )
    print("\n== classifiers on the digits (30% held out) ==", file=out)
    print(
        format_table(
            ("model", "test CE (nats)", "test CE (bits)", "accuracy", "fit (s)"),
            [(n, ce, ce / LN2, acc, t) for n, ce, acc, t in results["classifiers"]],
        ),
        file=out,
    )
    print("\n== training a linear student on soft labels ==", file=out)
    print(
        format_table(
            ("student trained on", "test CE (nats)", "accuracy"),
            results["distillation"],
        ),
        file=out,
    )
