"""Held-out scores of one candidate, and the table of results of several.

``evaluate`` fits one candidate on each training fold and scores it on the
held-out fold; a candidate that cannot be fit or scored (data outside its
support, labels given to a numeric family) does not apply, and its reason is
kept. ``results_table`` lays the evaluations out as ``cv_results_``, the
dict of arrays that :class:`~sklearn.model_selection.GridSearchCV` users
know.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.utils import _safe_indexing

__all__ = ["Evaluation", "evaluate", "results_table", "skipped"]

#: What happened to a candidate: ranked on held-out data, failed to fit or
#: score (it does not apply to the data), or skipped before fitting.
RANKED, FAILED, SKIPPED = "ranked", "failed", "skipped"

#: Mean held-out scores closer than this (in nats per row) tie, and the
#: candidate listed first wins: two parametrisations of one model (a
#: Bernoulli and a two-category categorical on 0/1 data) differ by rounding
#: error only, which must not decide between them.
TIE_TOLERANCE = 1e-10


@dataclass
class Evaluation:
    """The cross-validation of one candidate."""

    status: str
    reason: str = ""
    test_scores: list = field(default_factory=list)
    fit_times: list = field(default_factory=list)
    score_times: list = field(default_factory=list)


def skipped(reason):
    """The evaluation of a candidate that is not fit at all."""
    return Evaluation(SKIPPED, reason)


def evaluate(estimator, X, sample_weight, splits, scorer):
    """Fit a clone of ``estimator`` on each training fold, score the held-out one.

    Parameters
    ----------
    estimator : estimator
        The unfitted candidate.
    X : DataFrame, ndarray or sparse matrix of shape (n_samples, n_features)
        The data.
    sample_weight : ndarray of shape (n_samples,) or None
        Weights of the rows, for fitting and scoring.
    splits : list of (ndarray, ndarray)
        Training and held-out row indices of each fold.
    scorer : callable
        ``scorer(fitted, X_test, sample_weight_test) -> float``.

    Returns
    -------
    evaluation : Evaluation
        Status ``"ranked"`` with one score per fold, or ``"failed"`` with the
        error of the first fold that could not be fit or scored.
    """
    evaluation = Evaluation(RANKED)
    for k, (train, test) in enumerate(splits):
        model = clone(estimator)
        try:
            start = time.perf_counter()
            _fit(model, _rows(X, train), _rows(sample_weight, train))
            fitted = time.perf_counter()
            score = scorer(model, _rows(X, test), _rows(sample_weight, test))
        except (TypeError, ValueError) as exc:
            # The candidate's own clear error is the reason it does not apply.
            where = f"fold {k}: " if k else ""
            return Evaluation(FAILED, f"{where}{type(exc).__name__}: {exc}")
        evaluation.fit_times.append(fitted - start)
        evaluation.score_times.append(time.perf_counter() - fitted)
        evaluation.test_scores.append(float(score))
    return evaluation


def _fit(model, X, sample_weight):
    if sample_weight is None:
        model.fit(X)
    else:
        model.fit(X, sample_weight=sample_weight)


def _rows(X, indices):
    return None if X is None else _safe_indexing(X, indices)


def results_table(names, kinds, params, evaluations, n_splits):
    """``cv_results_``: one entry per candidate in each array.

    Candidates that were skipped or failed score ``-inf`` on every fold;
    their times are nan. The standard deviation of fold scores is nan when
    some fold scored ``-inf`` (it is undefined, not zero).
    """
    scores = np.full((len(evaluations), n_splits), -np.inf)
    fit_times = np.full((len(evaluations), n_splits), np.nan)
    score_times = np.full((len(evaluations), n_splits), np.nan)
    for i, evaluation in enumerate(evaluations):
        if evaluation.status == RANKED:
            scores[i] = evaluation.test_scores
            fit_times[i] = evaluation.fit_times
            score_times[i] = evaluation.score_times
    results = {
        "candidate": np.asarray(names, dtype=object),
        "kind": np.asarray(kinds, dtype=object),
        "params": list(params),
        "status": np.asarray([e.status for e in evaluations], dtype=object),
        "reason": np.asarray([e.reason for e in evaluations], dtype=object),
    }
    for k in range(n_splits):
        results[f"split{k}_test_score"] = scores[:, k]
    mean = scores.mean(axis=1)
    results["mean_test_score"] = mean
    results["std_test_score"] = _std(scores)
    results["rank_test_score"] = rank(mean)
    results["mean_fit_time"] = fit_times.mean(axis=1)
    results["std_fit_time"] = fit_times.std(axis=1)
    results["mean_score_time"] = score_times.mean(axis=1)
    results["std_score_time"] = score_times.std(axis=1)
    return results


def _std(scores):
    """Row-wise standard deviation, nan for rows with an infinite score."""
    finite = np.isfinite(scores).all(axis=1)
    std = np.full(scores.shape[0], np.nan)
    std[finite] = scores[finite].std(axis=1)
    return std


def rank(mean_scores):
    """Rank 1 for the best mean score; ties (within the tolerance) share a rank."""
    # Rounding to the tolerance makes near-equal scores equal; -inf stays,
    # and so does a score too large to divide by the tolerance.
    with np.errstate(invalid="ignore", over="ignore"):
        rounded = np.round(mean_scores / TIE_TOLERANCE) * TIE_TOLERANCE
    rounded = np.where(np.isfinite(rounded), rounded, mean_scores)
    return rankdata(-rounded, method="min").astype(np.int32)
