"""EM on a Dask collection: E-step and statistics per block, on the workers.

An EM iteration is a map-reduce over the rows. Each block computes, where it
lives, its responsibilities under the current model (the components are
small and travel to the workers), each component's sufficient statistics of
its rows weighted by ``sample_weight * max(responsibility, floor)``, each
component's total weight and the block's weighted log-likelihood; these are
merged in a binary tree on the workers with the family's own
``Statistics.merge``, and the M-step (the family's parameters from the
merged statistics) runs on the client. The merged statistics are those of
the in-memory M-step, so from the same initial model both reach the same
parameters to rounding.

The blocks are validated, their rows of weight zero removed and the result
kept in the workers' memory once (``persist``): EM reads them at every
iteration. Only the components go out and one set of statistics per block
comes back at each iteration.

Initialization, on the workers as well:

- ``"random"``: each block draws the uniform responsibilities of its rows
  from its own stream, seeded by ``random_state`` and the block's index: the
  same ``random_state`` and chunking give the same start, but not the draws
  of the in-memory fit, which come from one stream in row order;
- ``"k-means++"`` and ``"random_from_data"``: the seeds are chosen as in
  memory, but among a uniform random sample of at most
  :data:`SEEDING_SAMPLE` rows (drawn without replacement on the workers and
  brought to the client, with their weights); every row is then assigned to
  its nearest seed on its worker. Numeric data only.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import logsumexp
from sklearn.cluster import kmeans_plusplus

from skxent import _dask
from skxent._composite import fitted_from, statistics_of, take_rows
from skxent._validation import check_sample_weight
from skxent.mixture import _em
from skxent.mixture._components import _each, _log_likelihood_matrix
from skxent.mixture._init import nearest_centre, normalised_draws

__all__ = ["SEEDING_SAMPLE", "DaskEMData", "random_start", "run_em"]

#: The seeded initializations choose their seeds among at most this many
#: rows, drawn uniformly without replacement: k-means++ costs
#: ``n_components`` passes over the rows it is given, which must stay on the
#: client, and ten thousand rows place the seeds of a few dozen components
#: about as well as all of them would.
SEEDING_SAMPLE = 10_000


def _prepared_block(template, X_block, w_block):
    """``(validated rows, their weights or None)``, rows of weight zero removed.

    A block without weight is ``(None, None)``: no rows, and nothing to
    validate.
    """
    if w_block is not None and _dask._all_zero(w_block):
        return None, None
    X_valid = template._validate_X(X_block, reset=False)
    if w_block is None:
        return X_valid, None
    weights = check_sample_weight(w_block, X_valid, allow_all_zero=True)
    positive = weights > 0
    if not positive.all():
        # As in memory: a row of weight zero is a row removed.
        rows = np.flatnonzero(positive)
        X_valid = template._validate_X(take_rows(X_block, X_valid, rows), reset=False)
        weights = weights[positive]
    return X_valid, weights


def _block_size(block):
    """``(rows, largest weight)`` of a prepared block."""
    X, weights = block
    if X is None:
        return 0, 0.0
    return X.shape[0], 1.0 if weights is None else float(weights.max())


def _block_weight_sum(block, scale):
    _, weights = block
    return float((weights / scale).sum()) if weights is not None else 0.0


def _block_sample(block, count, seed):
    """``count`` rows of a block drawn without replacement, and their weights."""
    X, weights = block
    rows = np.sort(np.random.default_rng(seed).choice(X.shape[0], count, replace=False))
    return X[rows], None if weights is None else weights[rows]


@dataclass
class Expectation:
    """What a block (or a merge of blocks) contributes to an EM iteration.

    Attributes
    ----------
    log_likelihood : float
        ``sum_i (w_i / scale) log p(x_i)`` under the current model.
    weight : float
        ``sum_i w_i / scale`` (the number of rows for unit weights); ``scale``
        is the largest weight of the whole data set, so the ratio of the two
        sums is the weighted mean that the in-memory fit computes.
    statistics : list of Statistics or None
        Each component's statistics of the rows weighted by
        ``w_i max(r_ik, floor)``; None when only the likelihood is wanted.
    log_totals : ndarray of shape (n_components,) or None
        ``log sum_i w_i max(r_ik, floor)``, the unnormalised log mixture
        weights.
    """

    log_likelihood: float
    weight: float
    statistics: list | None = None
    log_totals: np.ndarray | None = None

    def merge(self, other):
        """The expectation of the union of the two sets of rows."""
        statistics = log_totals = None
        if self.statistics is not None:
            pairs = zip(self.statistics, other.statistics, strict=True)
            statistics = [a.merge(b) for a, b in pairs]
            log_totals = np.logaddexp(self.log_totals, other.log_totals)
        return Expectation(
            self.log_likelihood + other.log_likelihood,
            self.weight + other.weight,
            statistics,
            log_totals,
        )


def _merge(first, second):
    if first is None:
        return second
    if second is None:
        return first
    return first.merge(second)


def _statistics_of(template, X, responsibilities, sample_weight):
    """Each component's statistics and log total weight, as the M-step needs."""
    weights = _em.component_weights(responsibilities, sample_weight)
    scale = weights.max(axis=1)
    log_totals = np.log(scale) + np.log((weights / scale[:, np.newaxis]).sum(axis=1))
    return [statistics_of(template, X, row) for row in weights], log_totals


def _block_expectation(block, template, model, scale, with_statistics):
    """A block's E-step under ``model`` and, if asked, its statistics."""
    X, sample_weight = block
    if X is None:
        return None
    n_rows = X.shape[0]
    components, log_weights = model
    responsibilities, log_density = _em.e_step(
        _log_likelihood_matrix(components, X, n_rows), log_weights
    )
    if sample_weight is None:
        expectation = Expectation(float(log_density.sum()), float(n_rows))
    else:
        weights = sample_weight / scale
        expectation = Expectation(float(weights @ log_density), float(weights.sum()))
    if with_statistics:
        expectation.statistics, expectation.log_totals = _statistics_of(
            template, X, responsibilities, sample_weight
        )
    return expectation


def _block_start(block, template, start, index):
    """A block's statistics under the initial responsibilities."""
    X, sample_weight = block
    if X is None:
        return None
    statistics, log_totals = _statistics_of(
        template, X, start.responsibilities(X, index), sample_weight
    )
    return Expectation(0.0, 0.0, statistics, log_totals)


@dataclass(frozen=True)
class _RandomStart:
    """Uniform random responsibilities, one stream per block."""

    seed: int
    n_components: int

    def responsibilities(self, X, index):
        rng = np.random.default_rng([self.seed, index])
        return normalised_draws(rng.uniform(size=(X.shape[0], self.n_components)))


def random_start(random_state, n_components):
    """The ``"random"`` start: a seed drawn from ``random_state``, a stream per block.

    ``random_start(rs, K).responsibilities(X_block, index)`` are the initial
    responsibilities of block ``index``.
    """
    return _RandomStart(int(random_state.randint(np.iinfo(np.int32).max)), n_components)


@dataclass(frozen=True)
class _CentreStart:
    """Every row to its nearest seed."""

    centres: object

    def responsibilities(self, X, index):
        return nearest_centre(X, self.centres)


class DaskEMData:
    """The training rows of a mixture, validated and persisted on the workers.

    Parameters
    ----------
    template : MLEDistribution
        The unfitted component, carrying the feature metadata of ``X``; it
        validates every block and is the copy the components are made from.
    X : dask.array.Array or dask.dataframe.DataFrame
        The rows, any chunking along them.
    sample_weight : dask or in-memory array of shape (n_samples,) or None
        Non-negative weights, cut into the blocks of ``X`` on the workers.

    Attributes
    ----------
    n_samples : int
        Number of rows of positive weight.
    log_total_weight : float
        ``log sum_i w_i``.
    """

    def __init__(self, template, X, sample_weight):
        dask, _ = _dask._import_dask()
        self._dask = dask
        self.template = template
        x_blocks, lengths = _dask._row_blocks(X)
        w_blocks = _dask._weight_blocks(sample_weight, lengths)
        self.blocks = dask.persist(
            *[
                dask.delayed(_prepared_block)(template, xb, wb)
                for xb, wb in zip(x_blocks, w_blocks, strict=True)
            ]
        )
        sizes = dask.compute(*map(dask.delayed(_block_size), self.blocks))
        self.lengths = [n for n, _ in sizes]
        self.n_samples = sum(self.lengths)
        self.scale = max(scale for _, scale in sizes)
        if sample_weight is not None and not self.scale > 0:
            raise ValueError(
                "sample_weight must have a positive sum; got all-zero weights, "
                "which define no empirical distribution."
            )
        if sample_weight is None:
            self.log_total_weight = float(np.log(self.n_samples))
        else:
            # As _em.log_total_weight: divided by the largest weight first.
            sums = dask.compute(
                *[dask.delayed(_block_weight_sum)(b, self.scale) for b in self.blocks]
            )
            self.log_total_weight = float(np.log(self.scale) + np.log(sum(sums)))

    def _reduce(self, parts):
        (merged,) = self._dask.compute(_dask.tree_reduce(parts, _merge))
        return merged

    def expectation(self, components, log_weights, *, with_statistics=True):
        """The merged :class:`Expectation` of every block under a model."""
        dask = self._dask
        model = dask.delayed((components, log_weights), traverse=False)
        return self._reduce(
            [
                dask.delayed(_block_expectation)(
                    block, self.template, model, self.scale, with_statistics
                )
                for block in self.blocks
            ]
        )

    def mean_log_likelihood(self, expectation):
        return float(expectation.log_likelihood / expectation.weight)

    def m_step(self, expectation):
        """The components and log mixture weights from merged statistics."""
        components = _each(
            lambda statistics: fitted_from(self.template, statistics),
            expectation.statistics,
        )
        log_totals = expectation.log_totals
        return components, log_totals - logsumexp(log_totals)

    def initial_model(self, init_params, n_components, random_state):
        """The M-step of the initial responsibilities (see the module docstring)."""
        if init_params == "random":
            start = random_start(random_state, n_components)
        else:
            start = _CentreStart(self._seeds(init_params, n_components, random_state))
        dask = self._dask
        start = dask.delayed(start, traverse=False)
        return self.m_step(
            self._reduce(
                [
                    dask.delayed(_block_start)(block, self.template, start, index)
                    for index, block in enumerate(self.blocks)
                ]
            )
        )

    def sample(self, n_rows, random_state):
        """A uniform sample of ``n_rows`` rows without replacement, and weights."""
        counts = np.random.default_rng(
            random_state.randint(np.iinfo(np.int32).max)
        ).multivariate_hypergeometric(self.lengths, n_rows)
        seed = int(random_state.randint(np.iinfo(np.int32).max))
        dask = self._dask
        parts = dask.compute(
            *[
                dask.delayed(_block_sample)(block, int(count), [seed, index])
                for index, (block, count) in enumerate(
                    zip(self.blocks, counts, strict=True)
                )
                if count > 0
            ]
        )
        rows = [X for X, _ in parts]
        if sp.issparse(rows[0]):
            X = sp.vstack(rows, format="csr")
        else:
            X = np.concatenate(rows)
        weights = None if parts[0][1] is None else np.concatenate([w for _, w in parts])
        return X, weights

    def _seeds(self, init_params, n_components, random_state):
        X, weights = self.sample(min(self.n_samples, SEEDING_SAMPLE), random_state)
        numeric = sp.issparse(X) or (
            isinstance(X, np.ndarray) and X.dtype.kind in "biuf"
        )
        if not numeric:
            raise NotImplementedError(
                f"init_params={init_params!r} measures distances between rows, "
                "which on a Dask collection are taken for numeric data only; "
                "use init_params='random'."
            )
        if init_params == "k-means++":
            centres, _ = kmeans_plusplus(
                X, n_components, sample_weight=weights, random_state=random_state
            )
            return centres
        p = None if weights is None else weights / weights.sum()
        seeds = random_state.choice(X.shape[0], n_components, replace=False, p=p)
        return X[seeds]


def run_em(data, components, log_weights, *, max_iter, tol, previous, on_iteration):
    """:func:`skxent.mixture._em.run_em` with each pass over the rows on the workers.

    The same iterations and stopping rule: iteration ``n`` evaluates the
    model of iteration ``n - 1`` (one pass over the blocks gives its mean
    log-likelihood and the statistics of the next M-step), and a last pass
    the log-likelihood of the returned model.

    Returns
    -------
    result : EMResult
    """
    result = _em.EMResult(components, log_weights)
    for n_iter in range(1, max_iter + 1):
        expectation = data.expectation(result.components, result.log_weights)
        current = data.mean_log_likelihood(expectation)
        result.lower_bounds.append(current)
        if on_iteration is not None:
            on_iteration(n_iter, current, current - previous)
        result.components, result.log_weights = data.m_step(expectation)
        result.n_iter = n_iter
        if abs(current - previous) < tol:
            result.converged = True
            break
        previous = current
    expectation = data.expectation(
        result.components, result.log_weights, with_statistics=False
    )
    result.lower_bounds.append(data.mean_log_likelihood(expectation))
    return result
