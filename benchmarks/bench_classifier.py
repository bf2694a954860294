"""Benchmark CrossEntropyClassifier against scikit-learn's L-BFGS classifiers.

Three comparisons on synthetic multinomial data (d=100 features, K=10 classes),
all printed as one markdown table from one run:

- linear model, alpha=1e-4, against ``LogisticRegression(C=1/(n alpha))``: the
  time our L-BFGS takes to reach LogisticRegression's final objective within
  1e-6 relative, and the cost of one iteration against the floor (two GEMMs
  and a softmax in place, timed alone);
- perceptron with one hidden layer of 64 units against
  ``MLPClassifier(solver="lbfgs", alpha=n * alpha)``: time, training objective
  and held-out log-loss after the same number of iterations;
- float32 against float64 input;
- with ``--tables``, the perceptron with its default early stopping against
  ``MLPClassifier()`` on three small real tables from statsmodels (anes96,
  fair, randhie; statsmodels is needed for this part only): held-out
  log-loss and time on one stratified split;
- with ``--sweep``, how the cost of a default linear fit grows with n (1e3 ...
  1e6, K = 10) and with K (2 ... 100, n = 30,000), beside LogisticRegression
  and the floor, with peak memory; written to
  ``benchmarks/results/classifier.json`` for ``plot_growth.py``.

The floor, the tightest known, is one loss and gradient done the minimal way
(``X @ W`` into a buffer made beforehand, a softmax in place, ``X.T @ P``,
timed alone) times the number of iterations.

Every time is the best of ``--repeat`` runs, so that a busy machine does not
decide the ratios. Objectives are evaluated with one function for every model,
so the numbers compare like with like.

Usage::

    python benchmarks/bench_classifier.py [--n-samples 10000 50000] [--repeat 3]
    python benchmarks/bench_classifier.py --tables
    python benchmarks/bench_classifier.py --sweep [--max-n 1000000]
"""

import argparse
import time
import warnings
from contextlib import contextmanager, nullcontext
from itertools import pairwise

import numpy as np
from _growth import Sweep, blas_note, load_note, write_results
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

from skxent import CrossEntropyClassifier
from skxent.classifier._lbfgs import _scipy_blas_controller
from skxent.classifier._softmax_loss import SoftmaxCrossEntropyLoss

N_FEATURES = 100
N_CLASSES = 10
ALPHA = 1e-4
HIDDEN = 64
MLP_ITER = 200

#: Sizes of the sweeps. At 1e6 rows X is 800 MB and a fit takes seconds
#: (LogisticRegression twice as long); 1e7 rows would be 8 GB and minutes a
#: fit, beyond the sweep's budget.
SWEEP_N = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
SWEEP_K, SWEEP_K_ROWS = [2, 3, 5, 10, 30, 100], 30_000


def make_data(n_samples, seed=0, n_classes=N_CLASSES, n_test=10_000):
    """Train and test sets drawn from a noisy multinomial logistic model."""
    rng = np.random.RandomState(seed)
    n_total = n_samples + n_test
    X = rng.normal(size=(n_total, N_FEATURES))
    W = rng.normal(scale=0.3, size=(N_FEATURES, n_classes))
    y = np.argmax(X @ W + rng.gumbel(size=(n_total, n_classes)), axis=1)
    return X[:n_samples], y[:n_samples], X[n_samples:], y[n_samples:]


def objective(X, y, weights, biases, alpha):
    """Our objective at the given network parameters (any model's)."""
    hidden = tuple(w.shape[1] for w in weights[:-1])
    loss = SoftmaxCrossEntropyLoss(
        X, np.eye(N_CLASSES)[y], np.ones(len(y)), hidden_layer_sizes=hidden, alpha=alpha
    )
    return loss.loss(loss.layout.pack(weights, biases))


@contextmanager
def recorded_objective():
    """Record (time, value) of every objective evaluation of our classifier."""
    trace = []
    original = SoftmaxCrossEntropyLoss.loss_gradient

    def loss_gradient(self, theta):
        value, gradient = original(self, theta)
        trace.append((time.perf_counter(), value))
        return value, gradient

    SoftmaxCrossEntropyLoss.loss_gradient = loss_gradient
    try:
        yield trace
    finally:
        SoftmaxCrossEntropyLoss.loss_gradient = original


def best_of(repeat, run):
    """The run with the smallest elapsed time; ``run()`` returns (seconds, ...)."""
    return min((run() for _ in range(repeat)), key=lambda result: result[0])


def timed(fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model = fit()
        return time.perf_counter() - start, model


def traced_fit(estimator, X, y, target):
    """Fit ours; return (time to reach target, full time, n_iter, n_eval, model)."""
    with recorded_objective() as trace, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model = estimator.fit(X, y)
        elapsed = time.perf_counter() - start
    reached = [stamp - start for stamp, value in trace if value <= target]
    to_target = reached[0] if reached else np.inf
    return to_target, elapsed, model.n_iter_, len(trace), model


def floor_evaluation(X, n_classes=N_CLASSES):
    """One loss and gradient at its floor: X @ W, a softmax, X.T @ P.

    The scores are written into one buffer made beforehand and turned into
    probabilities in place, so the floor allocates nothing of size n; what
    a real evaluation adds (the targets, the loss value) is O(n K) more.
    Two classes need one score a row and its sigmoid, as in any binary
    logistic model.
    """
    n_scores = 1 if n_classes == 2 else n_classes
    W = np.random.RandomState(0).normal(size=(X.shape[1], n_scores)) * 0.01
    scores = np.empty((X.shape[0], n_scores))

    def evaluate():
        np.matmul(X, W, out=scores)
        if n_scores == 1:
            expit(scores, out=scores)
        else:
            np.subtract(scores, scores.max(axis=1, keepdims=True), out=scores)
            np.exp(scores, out=scores)
            np.divide(scores, scores.sum(axis=1, keepdims=True), out=scores)
        return X.T @ scores

    return evaluate


def floor_seconds(X, repeat=20):
    evaluate = floor_evaluation(X)

    def once():
        start = time.perf_counter()
        evaluate()
        return (time.perf_counter() - start,)

    once()
    return best_of(repeat, once)[0]


def ours_per_eval_seconds(X, y, repeat=20):
    loss = SoftmaxCrossEntropyLoss(
        X, np.eye(N_CLASSES)[y], np.ones(len(y)), alpha=ALPHA
    )
    theta = np.zeros(loss.layout.n_parameters)

    def once():
        start = time.perf_counter()
        loss.loss_gradient(theta)
        return (time.perf_counter() - start,)

    once()
    return best_of(repeat, once)[0]


def bench_linear(X, y, repeat, tol):
    n = len(y)
    lr_time, lr = best_of(
        repeat,
        lambda: timed(
            lambda: LogisticRegression(C=1 / (n * ALPHA), tol=tol, max_iter=10_000).fit(
                X, y
            )
        ),
    )
    lr_objective = objective(X, y, [lr.coef_.T], [lr.intercept_], ALPHA)
    target = lr_objective * (1 + 1e-6)
    # The same fit with scipy's BLAS pool on one thread, as our fit runs it.
    with _scipy_blas_controller().limit(limits=1):
        lr_single_time, _ = best_of(
            repeat,
            lambda: timed(
                lambda: LogisticRegression(
                    C=1 / (n * ALPHA), tol=tol, max_iter=10_000
                ).fit(X, y)
            ),
        )
    ours = best_of(
        repeat,
        lambda: traced_fit(
            CrossEntropyClassifier(alpha=ALPHA, tol=1e-9, max_iter=10_000),
            X,
            y,
            target,
        ),
    )
    to_target, elapsed, n_iter, n_eval, model = ours
    floor = floor_seconds(X)
    per_eval = ours_per_eval_seconds(X, y)
    rows = [
        (
            f"linear n={n}",
            f"LogisticRegression lbfgs tol={tol:g}",
            lr_time,
            int(lr.n_iter_[0]),
            lr_time / lr.n_iter_[0] / floor,
            lr_objective,
            f"{lr_single_time:.3f} s "
            f"({lr_single_time / lr.n_iter_[0] / floor:.2f}x floor per iteration) "
            "with scipy's BLAS on 1 thread",
        ),
        (
            f"linear n={n}",
            "CrossEntropyClassifier, to LR's objective (1+1e-6)",
            to_target,
            "",
            "",
            target,
            f"**{to_target / lr_time:.2f}x** LR time",
        ),
        (
            f"linear n={n}",
            "CrossEntropyClassifier tol=1e-9, full run",
            elapsed,
            n_iter,
            elapsed / n_iter / floor,
            model.loss_,
            f"{n_eval} evals; loss+grad alone {per_eval / floor:.2f}x floor "
            f"({per_eval * 1e3:.1f} ms; floor {floor * 1e3:.1f} ms)",
        ),
    ]
    return rows


def bench_mlp(X, y, X_test, y_test, repeat):
    n = len(y)
    ref_time, ref = best_of(
        repeat,
        lambda: timed(
            lambda: MLPClassifier(
                (HIDDEN,),
                solver="lbfgs",
                alpha=ALPHA * n,
                max_iter=MLP_ITER,
                random_state=0,
            ).fit(X, y)
        ),
    )
    ref_objective = objective(X, y, ref.coefs_, ref.intercepts_, ALPHA)
    ref_held_out = log_loss(y_test, ref.predict_proba(X_test))
    rows = [
        (
            f"MLP (64,) n={n}",
            "MLPClassifier lbfgs",
            ref_time,
            ref.n_iter_,
            f"{ref_time / ref.n_iter_ * 1e3:.1f} ms",
            ref_objective,
            f"held-out log-loss {ref_held_out:.4f}",
        )
    ]
    # The objective is not convex: started from different points, the two
    # would land in different local minima. Ours starts where MLPClassifier
    # starts, so both follow (up to round-off) one L-BFGS path.
    clf = CrossEntropyClassifier(
        hidden_layer_sizes=(HIDDEN,),
        alpha=ALPHA,
        max_iter=MLP_ITER,
        early_stopping=False,  # as MLPClassifier(solver="lbfgs")
        warm_start=True,
    )

    def fit_from_reference_start():
        clf.classes_ = np.arange(N_CLASSES)
        clf.coefs_, clf.intercepts_ = mlp_classifier_start(
            (X.shape[1], HIDDEN, N_CLASSES), seed=0
        )
        return traced_fit(clf, X, y, ref_objective * (1 + 1e-6))

    to_target, elapsed, n_iter, _, model = best_of(repeat, fit_from_reference_start)
    reached = (
        f"reached MLP's objective (1+1e-6) at {to_target:.2f} s "
        f"(**{to_target / ref_time:.2f}x**)"
        if np.isfinite(to_target)
        else "MLP's objective (1+1e-6) not reached"
    )
    rows.append(
        (
            f"MLP (64,) n={n}",
            f"CrossEntropyClassifier, same start, max_iter={MLP_ITER}",
            elapsed,
            n_iter,
            f"{elapsed / n_iter * 1e3:.1f} ms",
            model.loss_,
            f"held-out log-loss {-model.score(X_test, y_test):.4f}; "
            f"**{elapsed / ref_time:.2f}x** time; {reached}",
        )
    )
    return rows


def mlp_classifier_start(layer_sizes, seed):
    """MLPClassifier's initial parameters for ``random_state=seed``.

    Glorot-uniform weights and biases drawn layer by layer from one
    RandomState, in the order scikit-learn draws them.
    """
    rng = np.random.RandomState(seed)
    weights, biases = [], []
    for fan_in, fan_out in pairwise(layer_sizes):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        weights.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
        biases.append(rng.uniform(-bound, bound, fan_out))
    return weights, biases


def bench_float32(X, y, repeat):
    rows = []
    for dtype in (np.float64, np.float32):
        X_typed = X.astype(dtype)
        elapsed, model = best_of(
            repeat,
            lambda X_typed=X_typed: timed(
                lambda: CrossEntropyClassifier(alpha=ALPHA, tol=1e-6).fit(X_typed, y)
            ),
        )
        lr_time, lr = best_of(
            repeat,
            lambda X_typed=X_typed: timed(
                lambda: LogisticRegression(C=1 / (len(y) * ALPHA), tol=1e-6).fit(
                    X_typed, y
                )
            ),
        )
        lr_objective = objective(X, y, [lr.coef_.T], [lr.intercept_], ALPHA)
        rows.append(
            (
                f"linear n={len(y)} {np.dtype(dtype).name}",
                "CrossEntropyClassifier tol=1e-6 (optimiser in float64)",
                elapsed,
                model.n_iter_,
                "",
                model.loss_,
                f"LR tol=1e-6 on {np.dtype(dtype).name}: {lr_time:.2f} s, "
                f"objective {lr_objective:.10f}",
            )
        )
    return rows


def small_tables():
    """(name, description, X, y) of three statsmodels tables, binary targets."""
    import statsmodels.api as sm

    anes = sm.datasets.anes96.load_pandas().data
    yield "anes96", "vote", anes.drop(columns="vote"), anes["vote"]
    fair = sm.datasets.fair.load_pandas().data
    yield "fair", "affairs > 0", fair.drop(columns="affairs"), fair["affairs"] > 0
    rand = sm.datasets.randhie.load_pandas().data
    yield "randhie", "mdvis > 0", rand.drop(columns="mdvis"), rand["mdvis"] > 0


def bench_tables(repeat):
    """Default-ish perceptrons on small real tables: held-out log-loss, time.

    One stratified 75/25 split per table, standardised on the training part;
    both perceptrons have one hidden layer of 100 units and random_state=0.
    """
    models = {
        "CrossEntropyClassifier((100,)), defaults (early stopping)": lambda: (
            CrossEntropyClassifier(hidden_layer_sizes=(100,), random_state=0)
        ),
        "CrossEntropyClassifier((100,)), early_stopping=False": lambda: (
            CrossEntropyClassifier(
                hidden_layer_sizes=(100,), early_stopping=False, random_state=0
            )
        ),
        "MLPClassifier(), defaults (adam)": lambda: MLPClassifier(random_state=0),
    }
    rows = []
    for name, target, X, y in small_tables():
        X_train, X_test, y_train, y_test = train_test_split(
            X.to_numpy(float),
            y.to_numpy(int),
            test_size=0.25,
            random_state=0,
            stratify=y,
        )
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        for method, make in models.items():
            seconds, model = best_of(
                repeat,
                lambda make=make, X=X_train, y=y_train: timed(fit_to(make(), X, y)),
            )
            loss = log_loss(y_test, model.predict_proba(X_test))
            rows.append(
                f"| {name} ({len(y)} × {X.shape[1]}, {target}) | {method} | "
                f"{loss:.4f} | {seconds:.2f} | {model.n_iter_} |"
            )
    return rows


def fit_to(model, X, y):
    return lambda: model.fit(X, y)


def print_tables(rows, args):
    print(f"best of {args.repeat} runs\n")
    print("| table | model | test log-loss | seconds | iterations |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row)


def format_row(row):
    setting, method, seconds, n_iter, per_iter, value, note = row
    if isinstance(per_iter, float):
        per_iter = f"{per_iter:.2f}x floor"
    return (
        f"| {setting} | {method} | {seconds:.3f} | {n_iter} | {per_iter} | "
        f"{value:.10f} | {note} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="limit every BLAS to this many threads (default: no limit)",
    )
    parser.add_argument(
        "--tables",
        action="store_true",
        help="only the perceptrons on statsmodels' small tables",
    )
    parser.add_argument(
        "--sweep", action="store_true", help="sweep n and K, write results JSON"
    )
    parser.add_argument("--max-n", type=int, default=SWEEP_N[-1])
    args = parser.parse_args()
    if args.tables:
        print_tables(bench_tables(args.repeat), args)
        return
    limit = (
        nullcontext()
        if args.blas_threads is None
        else threadpool_limits(args.blas_threads, user_api="blas")
    )
    with limit:
        if args.sweep:
            sweep(args.max_n)
            return
        rows = run(args)
        print_table(rows, args)


def run(args):
    rows = []
    for n in args.n_samples:
        X, y, X_test, y_test = make_data(n)
        rows += bench_linear(X, y, args.repeat, tol=1e-4)
        rows += bench_linear(X, y, args.repeat, tol=1e-8)
        rows += bench_mlp(X, y, X_test, y_test, args.repeat)
    X, y, _, _ = make_data(max(args.n_samples))
    rows += bench_float32(X, y, args.repeat)
    return rows


def print_table(rows, args):
    blas = ", ".join(
        f"{info['filepath'].split('/')[-2]}: {info['internal_api']} "
        f"{info['num_threads']} threads"
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )
    print(
        f"d={N_FEATURES}, K={N_CLASSES}, alpha={ALPHA:g}; best of {args.repeat} "
        f"runs; BLAS: {blas}; {load_note()} at the end. The floor of an "
        "iteration is one loss and gradient (X @ W, a softmax in place, X.T @ P).\n"
    )
    print(
        "| setting | method | seconds | iterations | time per iteration | "
        "objective | notes |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(format_row(row))


OURS, LOGISTIC = "skxent CrossEntropyClassifier", "sklearn LogisticRegression"
EVALUATION = "one loss+gradient at its floor"
FLOOR = "floor: one loss+gradient × skxent's n_iter_"
ROLES = {OURS: "skxent", LOGISTIC: "anchor", FLOOR: "floor"}


def sweep_fits(X, y, n_classes):
    """The fits of one point of a sweep, and the floor of their iterations.

    Both fits use their defaults (tol=1e-4, L-BFGS) with the same penalty;
    the floor is one floor evaluation times skxent's iterations. The notes
    of each point record both fits' iterations.
    """
    fitted = {}

    def ours():
        fitted[OURS] = CrossEntropyClassifier(alpha=ALPHA).fit(X, y)

    def logistic():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = LogisticRegression(C=1 / (len(y) * ALPHA), max_iter=10_000)
            fitted[LOGISTIC] = model.fit(X, y)

    functions = {
        OURS: ours,
        LOGISTIC: logistic,
        EVALUATION: floor_evaluation(X, n_classes),
    }

    def iterations():
        return {
            OURS: int(fitted[OURS].n_iter_),
            LOGISTIC: int(fitted[LOGISTIC].n_iter_[0]),
        }

    def derived(seconds):
        return {FLOOR: seconds[EVALUATION] * iterations()[OURS]}

    return functions, derived, iterations


def sweep_n(max_n):
    sweep = Sweep(
        "n",
        "n_samples",
        {"n_features": N_FEATURES, "n_classes": N_CLASSES},
        ROLES,
        [
            (
                f"linear fit, d = {N_FEATURES}, K = {N_CLASSES}",
                [OURS, LOGISTIC, FLOOR],
            )
        ],
        [],
    )
    for n in [n for n in SWEEP_N if n <= max_n]:
        X, y, _, _ = make_data(n, n_test=0)
        functions, derived, iterations = sweep_fits(X, y, N_CLASSES)
        sweep.measure(n, n, functions, derived=derived, notes=iterations)
    return sweep


def sweep_k():
    sweep = Sweep(
        "K",
        "n_classes",
        {"n_samples": SWEEP_K_ROWS, "n_features": N_FEATURES},
        ROLES,
        [
            (
                f"linear fit, n = {SWEEP_K_ROWS:,}, d = {N_FEATURES}",
                [OURS, LOGISTIC, FLOOR],
            )
        ],
        [],
    )
    for k in SWEEP_K:
        X, y, _, _ = make_data(SWEEP_K_ROWS, n_classes=k, n_test=0)
        functions, derived, iterations = sweep_fits(X, y, k)
        sweep.measure(k, SWEEP_K_ROWS, functions, derived=derived, notes=iterations)
    return sweep


def sweep(max_n):
    print(f"Classifier sweeps; {load_note()}; BLAS: {blas_note()}", flush=True)
    sweeps = [sweep_n(max_n), sweep_k()]
    write_results(
        "classifier",
        f"CrossEntropyClassifier.fit (linear, alpha = {ALPHA:g}, defaults): time "
        "per row against n and K",
        sweeps,
    )
    print(f"\n{load_note()}")


if __name__ == "__main__":
    main()
