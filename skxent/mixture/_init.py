"""Initial responsibilities of EM.

- ``"random"``: responsibilities drawn uniformly and normalised per row,
  with the draws of :class:`sklearn.mixture.GaussianMixture` (same seed, same
  responsibilities);
- ``"k-means++"``: ``n_components`` seed rows chosen by
  :func:`sklearn.cluster.kmeans_plusplus` (weighted by ``sample_weight``),
  every row assigned to its nearest seed;
- ``"random_from_data"``: seed rows drawn without replacement with
  probabilities proportional to ``sample_weight``, every row assigned to its
  nearest seed.

GaussianMixture gives each component only its seed row; here every row goes
to its nearest seed, so that the first M-step fits each component to a whole
cluster. A Gaussian fit to one row is a narrow bump that the next E-step
turns into the same nearest-seed assignment, but a Bernoulli or Poisson fit
to one row gives probability zero to most other rows.

Seeds are chosen by Euclidean distance between numeric rows; other data
(strings, a table of mixed types) are one-hot encoded for the seeding only,
numeric columns of a mixed table being kept as they are.

``kmeans_plusplus`` draws each seed by inverting the cumulative
distribution of ``w_i D(x_i)^2`` over the rows, and a row at distance zero
from a seed is never drawn again, so integer weights and repeated rows give
the same seeds (up to rounding in the cumulative sums). Drawing without
replacement (``"random_from_data"``) can pick two copies of one repeated
row, so it has no such equivalence.
"""

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.cluster import kmeans_plusplus
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.metrics import pairwise_distances_argmin
from sklearn.preprocessing import OneHotEncoder

from skxent._targets import one_hot

__all__ = [
    "initial_responsibilities",
    "nearest_centre",
    "normalised_draws",
    "seeding_points",
]


def initial_responsibilities(
    init_params, n_samples, n_components, points, sample_weight, random_state
):
    """Responsibilities to start EM from.

    Parameters
    ----------
    init_params : {"k-means++", "random", "random_from_data"}
        The method (see the module docstring).
    n_samples, n_components : int
        Shape of the result; ``n_samples >= n_components``.
    points : callable
        ``points()`` returns the numeric matrix (dense or sparse) of the rows
        that the seeded methods measure distances in.
    sample_weight : ndarray of shape (n_samples,) or None
        Positive row weights.
    random_state : RandomState
        The source of randomness, advanced by the draws.

    Returns
    -------
    responsibilities : ndarray of shape (n_components, n_samples)
        Columns summing to one (the layout of :mod:`skxent._bayes`).
    """
    if init_params == "random":
        # Drawn as (n_samples, n_components), as GaussianMixture draws them.
        return normalised_draws(random_state.uniform(size=(n_samples, n_components)))
    X = points()
    if init_params == "k-means++":
        _, seeds = kmeans_plusplus(
            X, n_components, sample_weight=sample_weight, random_state=random_state
        )
    else:
        p = None if sample_weight is None else sample_weight / sample_weight.sum()
        seeds = random_state.choice(n_samples, size=n_components, replace=False, p=p)
    return _nearest_seed(X, seeds)


def normalised_draws(draws):
    """Responsibilities from uniform ``(n_samples, n_components)`` draws.

    Each row is divided by its sum, as GaussianMixture does, and the result
    is laid out ``(n_components, n_samples)``.
    """
    return np.ascontiguousarray((draws / draws.sum(axis=1)[:, np.newaxis]).T)


def nearest_centre(X, centres):
    """One-hot responsibilities of each row's nearest centre (first on ties)."""
    labels = pairwise_distances_argmin(X, centres)
    return np.ascontiguousarray(one_hot(labels, len(centres)).T)


def _nearest_seed(X, seeds):
    """One-hot responsibilities of each row's nearest seed.

    Each seed row keeps its own component even when it duplicates another
    seed (ties otherwise go to the first), so no component starts empty.
    """
    labels = pairwise_distances_argmin(X, X[seeds])
    labels[seeds] = np.arange(len(seeds))
    return np.ascontiguousarray(one_hot(labels, len(seeds)).T)


def seeding_points(X, X_valid, *, categorical):
    """The numeric matrix in which the seeded methods measure distances.

    Parameters
    ----------
    X : array-like
        The data as given.
    X_valid : object
        The data as the component validated them.
    categorical : bool
        Whether every column is categorical (the component's input tags), in
        which case even integer codes are one-hot encoded.

    Returns
    -------
    points : ndarray or sparse matrix of shape (n_samples, n_points_features)
    """
    numeric = sp.issparse(X_valid) or (
        isinstance(X_valid, np.ndarray) and X_valid.dtype.kind in "biuf"
    )
    if numeric and not categorical:
        return X_valid
    if hasattr(X, "iloc"):
        frame = X
    else:
        frame = pd.DataFrame(np.asarray(X, dtype=object)).infer_objects()
    if categorical:
        frame = frame.astype(object)
    encoder = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore"),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
        sparse_threshold=1.0,
    )
    return encoder.fit_transform(frame)
