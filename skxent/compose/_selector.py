"""Choosing a family of distributions by k-fold held-out cross-entropy."""

import sys
import time
import warnings
from functools import partial
from numbers import Integral

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import _fit_context, clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils import check_array
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from skxent import _dask
from skxent._atomic import restored_on_error
from skxent._validation import check_sample_weight
from skxent.compose._columns import is_dataframe
from skxent.compose._cross_validation import (
    FAILED,
    RANKED,
    Evaluation,
    evaluate,
    results_table,
    skipped,
)
from skxent.compose._kinds import (
    CONTINUOUS,
    DISCRETE,
    LABELS,
    REALS,
    data_kind,
    estimator_kind,
)
from skxent.distributions._base import _BaseDensity
from skxent.distributions._registry import FAMILIES, family_by_name

__all__ = ["DistributionSelector"]

#: Parameters a registered family gets when the selector builds it (as a
#: default candidate or from its name), where the family has the parameter.
#: ``handle_unknown="zero"``: a held-out value never seen in the training
#: folds has probability zero under the maximum likelihood model, an
#: infinite cross-entropy to be ranked, not an error that would make the
#: family look inapplicable. ``binarize=None``: a Bernoulli model of
#: ``x > 0`` is a model of a coarser variable than ``x``, whose likelihood
#: cannot be compared with a model of ``x`` itself; the selector's Bernoulli
#: takes 0/1 data only.
SELECTION_PARAMS = {"handle_unknown": "zero", "binarize": None}


class DistributionSelector(_BaseDensity):
    """Choose a family of distributions by k-fold held-out cross-entropy.

    Every candidate is fit on each training fold and scored on the held-out
    fold; the candidate with the best mean held-out score (by default the
    mean log-likelihood, i.e. minus the held-out cross-entropy in nats) is
    refit on all the data and answers for the selector: ``score_samples``,
    ``sample``, ``entropy``, ``kl_divergence``, ``aic``, ``bic`` and
    ``predict_proba`` are those of ``best_estimator_``.

    A density (continuous family) and a probability mass (discrete family)
    are numbers in different units, so candidates of the two kinds are
    never ranked together: the selector ranks one kind, ``kind_``, and says
    why in ``kind_reason_``; candidates of the other kind are listed in
    ``cv_results_`` as skipped, with the reason.

    Parameters
    ----------
    candidates : list, dict or None, default=None
        The models to choose from:

        - ``None``: every registered family whose support admits the data,
          with its default parameters (except those listed in Notes);
        - a list of density estimators or family names (``"gaussian"``, as
          on the command line), named after their family, or their class
          when they have none (duplicates get a suffix ``_2``, ``_3``, ...);
        - a dict mapping names to estimators or family names.
    cv : int, cross-validation generator or iterable, default=5
        The folds, as in :class:`~sklearn.model_selection.GridSearchCV`: an
        integer is a :class:`~sklearn.model_selection.KFold` without
        shuffling (pass ``KFold(5, shuffle=True, random_state=0)`` for
        sorted data).
    scoring : str, callable or None, default=None
        The held-out score. ``None`` is the candidate's ``score``, the
        weighted mean log-likelihood: minus the held-out cross-entropy.
    refit : bool, default=True
        Whether to refit the best candidate on all the data. Without it the
        selector only has ``cv_results_`` and the best index and score, and
        cannot evaluate or sample.
    kind : {"auto", "continuous", "discrete"}, default="auto"
        The kind of model to rank. ``"auto"``: the kind of the candidates
        when they are given and all of one kind (a list mixing kinds is a
        ``ValueError``); for the default candidates, the kind the data call
        for: discrete for labels (strings) or integers only, continuous
        otherwise. Integer data that measure a continuous quantity (rounded
        lengths) call for ``kind="continuous"``.
    verbose : int, default=0
        If positive, print one line to standard error per candidate as its
        cross-validation finishes (its held-out cross-entropy and time, or
        why it does not apply), so that a long selection shows progress.
        With ``n_jobs`` other than 1, the lines come when all have finished.
    n_jobs : int, default=None
        Number of candidates cross-validated in parallel (joblib). ``None``
        means 1 unless in a :obj:`joblib.parallel_backend` context; ``-1``
        means all processors.

    Attributes
    ----------
    cv_results_ : dict of ndarray
        One entry per candidate in each array, as in ``GridSearchCV``:
        ``candidate`` (the name), ``kind`` (``"continuous"``,
        ``"discrete"``, ``"mixed"`` or ``"unknown"``), ``params`` (a list
        of dicts), ``status`` (``"ranked"``, ``"failed"`` when it could not
        be fit or scored on some fold, or ``"skipped"``), ``reason`` (why it
        failed or was skipped, ``""`` when ranked), ``split<k>_test_score``,
        ``mean_test_score``, ``std_test_score`` (nan when a fold scored
        ``-inf``), ``rank_test_score``, ``mean_fit_time``,
        ``std_fit_time``, ``mean_score_time`` and ``std_score_time`` (in
        seconds, nan for candidates not fit). A candidate that failed or was
        skipped scores ``-inf``.
    candidates_ : dict
        The candidates as they were cross-validated (unfitted), by name, in
        the order of ``cv_results_``: ``clone(candidates_[name]).fit(X)``
        refits any of them, the runner-up say.
    best_index_ : int
        Index of the best candidate in the arrays of ``cv_results_``.
    best_candidate_ : str
        Name of the best candidate.
    best_score_ : float
        Its mean held-out score; minus its held-out cross-entropy in nats
        with the default ``scoring``.
    best_estimator_ : estimator
        The best candidate refit on all the data (with ``refit=True``).
    kind_ : {"continuous", "discrete", "mixed"}
        The kind of model that was ranked.
    kind_reason_ : str
        Why that kind was ranked.
    n_splits_ : int
        Number of folds.
    refit_time_ : float
        Seconds spent refitting the best candidate (with ``refit=True``).
    n_features_in_ : int
        Number of features seen during fit (with ``refit=True``).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit. Defined only when ``X`` has
        feature names that are all strings (with ``refit=True``).

    See Also
    --------
    ProductDistribution : Independent models of groups of columns; with a
        selector per column, per-column selection.
    sklearn.model_selection.GridSearchCV : Selection among the parameters of
        one estimator, by the same held-out score.
    sklearn.model_selection.cross_val_score : The held-out scores of one
        candidate.

    Notes
    -----
    With folds :math:`(T_k, V_k)`, the held-out score of a candidate is

    .. math::

        \\frac{1}{K}\\sum_{k=1}^K \\frac{1}{|V_k|}\\sum_{i \\in V_k}
            \\log p(x_i; \\hat\\theta_{T_k})
        = -\\frac{1}{K}\\sum_k H(\\hat p_{V_k}, p_{\\hat\\theta_{T_k}}),

    the mean cross-validated log-likelihood: unlike the training
    likelihood, it does not favour the more flexible family for its
    flexibility alone [1]_. Mean scores within ``1e-10`` of each other tie
    (two parametrisations of one model differ by rounding only), and the
    candidate listed first wins a tie.

    A candidate applies to the data when it can be fit and scored on every
    fold; otherwise (data outside its support, labels given to a family of
    numbers) its ``status`` is ``"failed"``, its score ``-inf`` and its
    ``reason`` the error it raised. If no candidate of the ranked kind
    applies, ``fit`` raises a ``ValueError`` listing the reasons.

    The registered families (the default candidates, and the families named
    in ``candidates``) are built with their defaults except for
    ``handle_unknown="zero"`` (a held-out value unseen in the training folds
    has probability zero: an infinite cross-entropy, ranked, rather than an
    error) and ``binarize=None`` (a Bernoulli model of a thresholded
    variable is not a model of the data; the selector's Bernoulli takes 0/1
    data only). Two families are not default candidates, since their
    likelihood is not one of the whole row: the multinomial (a distribution
    of each row given its total) and the Dirichlet (a density on the
    simplex). For labels (a column of strings), families of numbers are
    skipped. Estimators given by the user are used as they are.

    **On Dask.** ``fit`` takes a Dask array or DataFrame. The folds are
    then the chunks of rows, grouped into folds by ``cv`` (which splits the
    chunk indices: ``cv=5`` makes five folds of consecutive chunks), not
    shuffled rows: no row moves between workers. Each candidate is fit on
    the other chunks (a family fits a Dask collection from its sufficient
    statistics, on the workers) and scored on its fold's chunks; a
    candidate that cannot fit a Dask collection (a Student-t, fit by EM
    over every row) is listed as ``"failed"`` with its reason. The
    candidates take turns (``n_jobs`` is not used): the cluster already
    spreads each fit over its workers. Shuffle the rows before chunking if
    they are sorted.

    A candidate that does not declare its kind (an estimator from outside
    skxent, such as :class:`~sklearn.neighbors.KernelDensity`) is ranked
    with the others, with a ``UserWarning`` that names it: its
    ``score_samples`` must be of the ranked kind. The selector's ``score``
    is always the mean log-likelihood of ``best_estimator_``, whatever
    ``scoring`` chose by.

    References
    ----------
    .. [1] T. Hastie, R. Tibshirani and J. Friedman, "The Elements of
       Statistical Learning", 2nd ed., Springer, 2009, Section 7.10
       (cross-validation).

    Examples
    --------
    Choose between a full and a diagonal covariance for correlated data:

    >>> import numpy as np
    >>> from sklearn.model_selection import cross_val_score
    >>> from skxent import DistributionSelector, GaussianDistribution
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=(300, 1))
    >>> X = np.hstack([z, z + 0.3 * rng.normal(size=(300, 1))])
    >>> selector = DistributionSelector({
    ...     "full": GaussianDistribution(),
    ...     "diag": GaussianDistribution(covariance_type="diag"),
    ... }).fit(X)
    >>> selector.best_candidate_
    'full'

    The held-out scores are those of :func:`cross_val_score` on the same
    folds, and the selector scores with the refit winner:

    >>> scores = cross_val_score(GaussianDistribution(), X, cv=5)
    >>> bool(np.isclose(selector.best_score_, scores.mean()))
    True
    >>> bool(np.isclose(selector.score(X), selector.best_estimator_.score(X)))
    True

    With the default candidates, integer data rank the discrete families
    (probability masses), and the continuous ones are skipped, with the
    reason:

    >>> counts = rng.poisson(3.0, size=(300, 1))
    >>> selector = DistributionSelector().fit(counts)
    >>> selector.kind_
    'discrete'
    >>> results = selector.cv_results_
    >>> gaussian = list(results["candidate"]).index("gaussian")
    >>> str(results["status"][gaussian])
    'skipped'
    """

    _parameter_constraints: dict = {
        "candidates": [list, tuple, dict, None],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "refit": ["boolean"],
        "kind": [StrOptions({"auto", CONTINUOUS, DISCRETE})],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        candidates=None,
        *,
        cv=5,
        scoring=None,
        refit=True,
        kind="auto",
        verbose=0,
        n_jobs=None,
    ):
        self.candidates = candidates
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.kind = kind
        self.verbose = verbose
        self.n_jobs = n_jobs

    # -- fitting ------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None):
        """Cross-validate every candidate, keep the best and refit it.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape \
                (n_samples, n_features)
            Training data. A DataFrame reaches the candidates as it is, so
            a column of strings stays strings. A Dask array or DataFrame is
            cross-validated with folds of whole chunks (see Notes).
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows, for fitting and scoring every
            candidate on every fold and for the refit.

        Returns
        -------
        self : DistributionSelector
            The fitted selector.
        """
        with restored_on_error(self):
            self._fit(X, sample_weight)
        return self

    def _fit(self, X, sample_weight):
        if _dask.is_dask_collection(X):
            folds = _ChunkFolds(X, sample_weight, self.cv)
            description, evidence = folds.data_kind()
            evaluator = partial(_evaluate_on_chunks, folds=folds)
        else:
            X = _check_table(X)
            if sample_weight is not None:
                sample_weight = check_sample_weight(sample_weight, X)
            description, evidence = data_kind(X)
            splits = list(check_cv(self.cv).split(X))
            evaluator = partial(
                evaluate, X=X, sample_weight=sample_weight, splits=splits
            )
        names, estimators, given = self._named_candidates()
        self.kind_, self.kind_reason_ = self._ranked_kind(
            estimators, given, description, evidence
        )
        n_splits = folds.n_splits if _dask.is_dask_collection(X) else len(splits)
        evaluations = self._evaluate(
            names,
            estimators,
            given,
            description,
            evaluator,
            parallel=not _dask.is_dask_collection(X),
        )
        kinds = [estimator_kind(e) or "unknown" for e in estimators]
        params = [e.get_params(deep=False) for e in estimators]
        self.cv_results_ = results_table(names, kinds, params, evaluations, n_splits)
        self.candidates_ = dict(zip(names, estimators, strict=True))
        self.n_splits_ = n_splits
        self._choose_best(names, evaluations)
        if self.refit:
            self._refit(estimators[self.best_index_], X, sample_weight)

    def _named_candidates(self):
        """Names and unfitted estimators of the candidates, and who chose them."""
        if self.candidates is None:
            return (
                [cls._family.name for cls in FAMILIES],
                [_selection_instance(cls) for cls in FAMILIES],
                False,
            )
        if isinstance(self.candidates, dict):
            items = list(self.candidates.items())
        else:
            items = [(None, candidate) for candidate in self.candidates]
        if not items:
            raise ValueError("candidates must not be empty.")
        names, estimators = [], []
        for name, candidate in items:
            estimator = _as_candidate(candidate)
            names.append(_candidate_name(candidate) if name is None else name)
            estimators.append(estimator)
        return _unique(names), estimators, True

    def _ranked_kind(self, estimators, given, description, evidence):
        """The kind of model to rank, and why."""
        if self.kind != "auto":
            return self.kind, f"kind={self.kind!r} was asked for"
        if given:
            kinds = {estimator_kind(e) for e in estimators} - {None}
            if len(kinds) > 1:
                raise ValueError(
                    "The candidates mix kinds of models "
                    f"({', '.join(sorted(kinds))}): a density and a probability "
                    "mass are numbers in different units and cannot be ranked "
                    "together. Pass kind='continuous' or kind='discrete' to rank "
                    "one kind (the others are reported as skipped)."
                )
            if kinds:
                (kind,) = kinds
                return kind, f"every candidate is {kind}"
        return (CONTINUOUS if description == REALS else DISCRETE), evidence

    def _evaluate(self, names, estimators, given, labels, evaluator, *, parallel):
        """Cross-validate the candidates that are not skipped, in parallel.

        ``evaluator(estimator, scorer=...)`` cross-validates one candidate.
        On a Dask collection (``parallel=False``) the candidates take turns:
        the cluster already spreads each fit over its workers.
        """
        reasons = [
            self._skip_reason(estimator, given, labels) for estimator in estimators
        ]
        self._warn_about_unknown_kinds(names, estimators, reasons)
        tasks = [
            (estimators[i], self._scorer(estimators[i]))
            for i, reason in enumerate(reasons)
            if reason is None
        ]
        if not parallel or effective_n_jobs(self.n_jobs) == 1:
            # One at a time, so that each progress line comes when it is due.
            results = (evaluator(e, scorer=scorer) for e, scorer in tasks)
        else:
            jobs = Parallel(n_jobs=self.n_jobs)
            results = iter(
                jobs(delayed(evaluator)(e, scorer=scorer) for e, scorer in tasks)
            )
        evaluations = []
        for i, reason in enumerate(reasons):
            evaluation = skipped(reason) if reason is not None else next(results)
            evaluations.append(evaluation)
            self._report(i, names, evaluation)
        return evaluations

    def _skip_reason(self, estimator, given, labels):
        """Why ``estimator`` is not cross-validated, or None if it is."""
        kind = estimator_kind(estimator)
        if kind is not None and kind != self.kind_:
            return (
                f"a {kind} model, while {self.kind_} models are ranked "
                f"({self.kind_reason_})"
            )
        info = getattr(estimator, "_family", None)
        if info is None:
            return None
        condition = info.conditional
        if condition and not given:
            return f"{condition}: its score does not compare with the others'"
        if labels == LABELS and info.data != "labels":
            return "a family of numbers, and X holds labels (strings)"
        return None

    def _warn_about_unknown_kinds(self, names, estimators, reasons):
        unknown = [
            name
            for name, estimator, reason in zip(names, estimators, reasons, strict=True)
            if reason is None and estimator_kind(estimator) is None
        ]
        if unknown:
            warnings.warn(
                f"Candidate(s) {', '.join(map(repr, unknown))} do not say whether "
                "they score a density or a probability mass; they are ranked as "
                f"{self.kind_} models. Make sure they are, or leave them out.",
                UserWarning,
                stacklevel=2,
            )

    def _scorer(self, estimator):
        if self.scoring is None:
            return _mean_log_likelihood
        return partial(_score_with, check_scoring(estimator, self.scoring))

    def _report(self, i, names, evaluation):
        """One progress line per candidate, when ``verbose``."""
        if not self.verbose:
            return
        head = f"[DistributionSelector] {i + 1}/{len(names)} {names[i]}:"
        if evaluation.status != RANKED:
            print(f"{head} {evaluation.status} ({evaluation.reason})", file=sys.stderr)
            return
        scores = np.asarray(evaluation.test_scores)
        seconds = sum(evaluation.fit_times) + sum(evaluation.score_times)
        value = (
            f"held-out cross-entropy {-scores.mean():.6g} nats"
            if self.scoring is None
            else f"held-out {self.scoring} {scores.mean():.6g}"
        )
        print(f"{head} {value} ({len(scores)} folds, {seconds:.2f} s)", file=sys.stderr)

    def _choose_best(self, names, evaluations):
        ranked = [i for i, e in enumerate(evaluations) if e.status == RANKED]
        if not ranked:
            reasons = "; ".join(
                f"{name}: {e.reason}"
                for name, e in zip(names, evaluations, strict=True)
            )
            raise ValueError(f"No candidate applies to X. {reasons}")
        ranks = self.cv_results_["rank_test_score"]
        # The first ranked candidate of the best rank: ties go to the order
        # of the candidates.
        self.best_index_ = min(ranked, key=lambda i: (ranks[i], i))
        self.best_candidate_ = names[self.best_index_]
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])

    def _refit(self, estimator, X, sample_weight):
        best = clone(estimator)
        start = time.perf_counter()
        if sample_weight is None:
            best.fit(X)
        else:
            best.fit(X, sample_weight=sample_weight)
        self.refit_time_ = time.perf_counter() - start
        self.best_estimator_ = best
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(best, name):
                setattr(self, name, getattr(best, name))

    # -- the chosen model -----------------------------------------------------------

    def _best(self):
        check_is_fitted(self)
        if not hasattr(self, "best_estimator_"):
            raise AttributeError(
                "This DistributionSelector was fit with refit=False: it has "
                "cv_results_ but no best_estimator_ to evaluate or sample; fit it "
                "with refit=True."
            )
        return self.best_estimator_

    def _validate_X(self, X, *, reset):
        # The best estimator validates what it is given, with its own checks.
        return X

    def _log_likelihood(self, X):
        return self._best().score_samples(X)

    def _n_parameters(self):
        return self._best()._n_parameters()

    def _sample(self, n_samples, random_state):
        return self._best().sample(n_samples, random_state=random_state)

    def _likelihood_kind(self):
        if hasattr(self, "kind_"):
            return self.kind_
        if self.kind != "auto":
            return self.kind
        if self.candidates is None:
            return None
        kinds = {
            estimator_kind(_as_candidate(c))
            for c in (
                self.candidates.values()
                if isinstance(self.candidates, dict)
                else self.candidates
            )
        }
        return kinds.pop() if len(kinds) == 1 else None

    def entropy(self, base=None):
        """Entropy of the chosen model, that of ``best_estimator_``.

        Parameters
        ----------
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        entropy : float
            ``H(p_best)``.
        """
        return float(self._best().entropy(base=base))

    def kl_divergence(self, other, base=None):
        """Kullback-Leibler divergence from the chosen model to another.

        Parameters
        ----------
        other : estimator
            A fitted model of the same family as ``best_estimator_``, or a
            fitted ``DistributionSelector`` whose chosen model is.
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        kl : float
            ``D(p_best || p_other)``.
        """
        if isinstance(other, DistributionSelector):
            other = other._best()
        return float(self._best().kl_divergence(other, base=base))


class _ChunkFolds:
    """The rows of a Dask collection, in folds of whole chunks.

    The cross-validation splitter (``cv``) splits the chunk indices, not the
    rows: ``KFold(5)`` makes five folds of consecutive chunks, and a fold
    holds every row of its chunks, so no row moves between workers. The
    weights are cut into the chunks of ``X`` (only the weights move).
    """

    def __init__(self, X, sample_weight, cv):
        if not _dask._is_dataframe(X):
            if X.ndim == 2 and any(np.isnan(n) for n in X.chunks[0]):
                X = X.compute_chunk_sizes()
            if X.ndim == 2 and len(X.chunks[1]) > 1:
                X = X.rechunk({1: -1})
        self._blocks, lengths = _dask._row_blocks(X)
        self.X = X
        if sample_weight is not None and np.ndim(sample_weight) != 1:
            raise ValueError(
                f"sample_weight has shape {np.shape(sample_weight)}; expected "
                f"({sum(lengths)},) to match the rows of X."
            )
        self.sample_weight = _dask.row_aligned(
            sample_weight, lengths, name="sample_weight"
        )
        n_chunks = len(lengths)
        try:
            self.splits = list(check_cv(cv).split(np.zeros((n_chunks, 1))))
        except ValueError as exc:
            raise ValueError(
                f"On a Dask collection the folds are groups of chunks, and X has "
                f"{n_chunks} chunk(s) of rows: {exc} Rechunk X into at least as "
                "many chunks of rows as folds."
            ) from exc
        self.n_splits = len(self.splits)

    def data_kind(self):
        """:func:`data_kind` of the whole collection, each chunk on its worker."""
        dask, _ = _dask._import_dask()
        kinds = dask.compute(*[dask.delayed(_chunk_kind)(b) for b in self._blocks])
        # Labels anywhere make labels; otherwise one real number makes reals.
        for description in (LABELS, REALS):
            for kind in kinds:
                if kind[0] == description:
                    return kind
        return kinds[0]

    def rows(self, chunks):
        """The rows of ``chunks`` (indices), and their weights: Dask collections."""
        if _dask._is_dataframe(self.X):
            X = self.X.partitions[list(chunks)]
        else:
            X = self.X.blocks[list(chunks)]
        if self.sample_weight is None:
            return X, None
        return X, self.sample_weight.blocks[list(chunks)]


def _chunk_kind(block):
    return data_kind(_check_table(block))


def _evaluate_on_chunks(estimator, folds, scorer):
    """:func:`evaluate` with folds of whole chunks of a Dask collection.

    A candidate that cannot fit a Dask collection (``NotImplementedError``,
    a family not fit from mergeable statistics) fails with that reason, as
    one that does not apply to the data.
    """
    evaluation = Evaluation(RANKED)
    for k, (train, test) in enumerate(folds.splits):
        model = clone(estimator)
        try:
            start = time.perf_counter()
            X_train, w_train = folds.rows(train)
            if w_train is None:
                model.fit(X_train)
            else:
                model.fit(X_train, sample_weight=w_train)
            fitted = time.perf_counter()
            score = scorer(model, *folds.rows(test))
        except (NotImplementedError, TypeError, ValueError) as exc:
            where = f"fold {k}: " if k else ""
            return Evaluation(FAILED, f"{where}{type(exc).__name__}: {exc}")
        evaluation.fit_times.append(fitted - start)
        evaluation.score_times.append(time.perf_counter() - fitted)
        evaluation.test_scores.append(float(score))
    return evaluation


def _check_table(X):
    """A 2-D table of at least one row: DataFrames as they are, else an array."""
    if is_dataframe(X):
        return X
    return check_array(
        X, accept_sparse=("csr", "csc"), dtype=None, ensure_all_finite=False
    )


def _selection_instance(cls):
    """A registered family with the parameters the selector builds it with."""
    estimator = cls()
    own = estimator.get_params(deep=False)
    return estimator.set_params(
        **{name: value for name, value in SELECTION_PARAMS.items() if name in own}
    )


def _as_candidate(candidate):
    if isinstance(candidate, str):
        return _selection_instance(family_by_name(candidate))
    if isinstance(candidate, type) or not (
        hasattr(candidate, "fit") and hasattr(candidate, "score_samples")
    ):
        raise TypeError(
            "Each candidate must be a density estimator instance (with fit and "
            f"score_samples) or the name of a family; got {candidate!r}."
        )
    return candidate


def _candidate_name(candidate):
    if isinstance(candidate, str):
        return candidate
    info = getattr(candidate, "_family", None)
    return info.name if info is not None else type(candidate).__name__


def _unique(names):
    """``names`` with repeats suffixed ``_2``, ``_3``, ... in order."""
    seen, unique = {}, []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return unique


def _mean_log_likelihood(model, X, sample_weight):
    if sample_weight is None:
        return model.score(X)
    return model.score(X, sample_weight=sample_weight)


def _score_with(scorer, model, X, sample_weight):
    if sample_weight is None:
        return scorer(model, X, None)
    return scorer(model, X, None, sample_weight=sample_weight)
