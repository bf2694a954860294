"""A product of independent densities over groups of columns, for mixed tables."""

import copy
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sklearn.base import _fit_context, clone
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import _BaseComposition, available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from skxent._atomic import restored_on_error
from skxent._math import log_base_divisor
from skxent._validation import check_sample_weight
from skxent.compose._columns import (
    as_table,
    is_dataframe,
    resolve_columns,
    take_columns,
)
from skxent.compose._kinds import common_kind, estimator_kind
from skxent.distributions._base import _BaseDensity

__all__ = ["ProductDistribution"]


def _parts_have(method):
    """``available_if`` condition: every part has ``method``."""

    def check(self):
        for _, estimator, _ in self.distributions:
            if not hasattr(estimator, method):
                raise AttributeError(
                    f"{type(estimator).__name__} has no {method}, so neither has a "
                    "product containing it."
                )
        return True

    return check


class ProductDistribution(_BaseComposition, _BaseDensity):
    """Product of independent densities over groups of columns.

    Each part is a density estimator fit on its own columns of ``X``, and the
    model of a row is the product of the parts' models of its columns: the
    parts are independent. It is the model of a mixed table, a categorical
    distribution for a column of labels next to a Bernoulli distribution for
    a binary one and a normal distribution for the numeric ones, and, with a
    :class:`DistributionSelector` as each part, per-column model selection.
    Columns are chosen as in :class:`~sklearn.compose.ColumnTransformer`.

    Parameters
    ----------
    distributions : list of tuples
        The parts, as ``(name, estimator, columns)`` tuples:

        - ``name`` (str): names the part in nested parameters, as in
          ``set_params(name__reg_covar=1e-3)``;
        - ``estimator``: a density estimator (an skxent distribution, a
          :class:`DistributionSelector`, another product, ...); it is cloned
          at fit;
        - ``columns``: the columns it models: a name, a list of names or a
          slice of names for DataFrames; an integer, a list of integers, a
          slice or a boolean mask for any table; or a callable that takes
          ``X`` and returns one of these (such as
          :func:`~sklearn.compose.make_column_selector`). Every part models
          at least one column and no column is modelled twice.
    remainder : {"error", "drop"}, default="error"
        What to do with columns that no part models: ``"error"`` raises a
        ``ValueError`` naming them; ``"drop"`` leaves them out of the model,
        so that they do not count in the likelihood and are not sampled.

    Attributes
    ----------
    distributions_ : list of tuples
        The fitted parts, as ``(name, fitted estimator, column indices)``
        with the columns as an ndarray of integer positions in ``X``.
    named_distributions_ : :class:`~sklearn.utils.Bunch`
        The fitted parts by name.
    n_features_in_ : int
        Number of columns of ``X`` seen during fit (dropped ones included).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    DistributionSelector : Chooses a family by held-out cross-entropy; one
        per column gives per-column selection.
    sklearn.compose.ColumnTransformer : Chooses columns the same way.
    CategoricalDistribution : Independent categorical variables.
    GaussianDistribution : Multivariate normal distribution.

    Notes
    -----
    With parts :math:`p_k` on disjoint groups of columns :math:`C_k`,

    .. math::

        \\log p(x) = \\sum_k \\log p_k(x_{C_k}), \\qquad
        H(p) = \\sum_k H(p_k), \\qquad
        D(p \\| q) = \\sum_k D(p_k \\| q_k),

    and the number of free parameters is the sum of the parts', so ``aic``
    and ``bic`` are the sums of the parts' criteria. Maximizing the
    likelihood of a product maximizes each part's likelihood on its own
    columns, so fitting the product is fitting each part, and ``score`` is
    the negative cross-entropy between the table and the joint model.
    ``kl_divergence`` needs two products of the same layout (the same part
    names on the same columns); each pair of parts must admit a divergence.
    A product of densities (continuous parts) and probability masses
    (discrete parts) is a density with respect to the product of Lebesgue
    and counting measures: it compares with products of the same layout of
    kinds, not with a model of another kind.

    ``sample_weight`` is passed to every part. ``partial_fit`` exists when
    every part has one and is exactly as exact as the parts': with skxent
    distributions fit from sufficient statistics, any split of the data
    into batches gives the model of one ``fit``; with a part whose
    ``partial_fit`` is an online approximation (a mixture's stepwise EM),
    the product inherits the approximation. Fitting is atomic: when a part
    fails, the product and its parts are left as they were.

    When fit on a DataFrame, the parts receive DataFrames of their columns
    (so a string column reaches a categorical part as strings), and
    ``sample`` returns a DataFrame with the modelled columns in their
    original order, each cast back to its original dtype where that loses
    nothing (a normal model of an integer column samples floats, which stay
    floats). When fit on an array, ``sample`` returns an array with the
    modelled columns in their original order.

    Examples
    --------
    A table with a column of labels, a binary column and two measurements:

    >>> import numpy as np
    >>> import pandas as pd
    >>> from skxent import (BernoulliDistribution, CategoricalDistribution,
    ...                     GaussianDistribution, ProductDistribution)
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({
    ...     "colour": rng.choice(["red", "green", "blue"], size=200),
    ...     "smoker": rng.integers(0, 2, size=200),
    ...     "height": rng.normal(170.0, 10.0, size=200),
    ...     "weight": rng.normal(70.0, 8.0, size=200),
    ... })
    >>> model = ProductDistribution([
    ...     ("colour", CategoricalDistribution(), "colour"),
    ...     ("smoker", BernoulliDistribution(), ["smoker"]),
    ...     ("body", GaussianDistribution(), ["height", "weight"]),
    ... ]).fit(X)

    The log-likelihood of a row is the sum of the parts' log-likelihoods of
    its columns, and the entropy the sum of the parts' entropies:

    >>> parts = model.named_distributions_
    >>> total = (parts.colour.score_samples(X[["colour"]])
    ...          + parts.smoker.score_samples(X[["smoker"]])
    ...          + parts.body.score_samples(X[["height", "weight"]]))
    >>> bool(np.allclose(model.score_samples(X), total))
    True
    >>> bool(np.isclose(model.entropy(),
    ...                 sum(part.entropy() for part in parts.values())))
    True

    Samples come back as a table of the same columns and dtypes:

    >>> draws = model.sample(3, random_state=0)
    >>> draws.columns.tolist()
    ['colour', 'smoker', 'height', 'weight']
    >>> bool((draws.dtypes == X.dtypes).all())
    True

    Nested parameters reach the parts, so a grid search can tune them:

    >>> model.set_params(body__covariance_type="diag").get_params()[
    ...     "body__covariance_type"]
    'diag'
    """

    _parameter_constraints: dict = {
        "distributions": [list],
        "remainder": [StrOptions({"error", "drop"})],
    }

    def __init__(self, distributions, *, remainder="error"):
        self.distributions = distributions
        self.remainder = remainder

    # -- nested parameters, through scikit-learn's composition helpers ----------

    @property
    def _distributions(self):
        """The parts as ``(name, estimator)`` pairs, for ``_BaseComposition``."""
        try:
            return [(name, estimator) for name, estimator, _ in self.distributions]
        except (TypeError, ValueError):
            # Malformed parts are reported by fit; get_params must still work.
            return self.distributions

    @_distributions.setter
    def _distributions(self, value):
        self.distributions = [
            (name, estimator, columns)
            for (name, estimator), (_, _, columns) in zip(
                value, self.distributions, strict=True
            )
        ]

    def get_params(self, deep=True):
        """Get the parameters of this estimator and, if ``deep``, of its parts.

        Parameters
        ----------
        deep : bool, default=True
            If True, also return the parts by name and their parameters as
            ``<name>__<parameter>``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("_distributions", deep=deep)

    def set_params(self, **params):
        """Set the parameters of this estimator or of its parts.

        Parameters
        ----------
        **params : dict
            ``distributions`` and ``remainder``; a part's name to replace it
            by another estimator; ``<name>__<parameter>`` to set a part's
            parameter.

        Returns
        -------
        self : ProductDistribution
            This estimator.
        """
        self._set_params("_distributions", **params)
        return self

    # -- fitting ------------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None):
        """Fit each part on its columns.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Training data. A DataFrame keeps each column's dtype (strings
            reach a categorical part as strings); columns may be chosen by
            name only in a DataFrame.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows, passed to every part.

        Returns
        -------
        self : ProductDistribution
            The fitted estimator.
        """
        with restored_on_error(self):
            self._fit_parts(X, sample_weight, first=True, method="fit")
        return self

    @available_if(_parts_have("partial_fit"))
    @_fit_context(prefer_skip_nested_validation=False)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update each part with one more batch of its columns.

        The first call sets the parts up as ``fit`` does; later calls update
        the fitted parts (later changes to ``distributions`` do not reach
        them). The result is exactly as batch-invariant as the parts'
        ``partial_fit``.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            A batch of training data.
        y : None
            Ignored; present for API consistency.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows of this batch.

        Returns
        -------
        self : ProductDistribution
            The updated estimator.
        """
        first = not hasattr(self, "distributions_")
        with restored_on_error(self):
            self._fit_parts(X, sample_weight, first=first, method="partial_fit")
        return self

    def _fit_parts(self, X, sample_weight, *, first, method):
        X = self._validate_X(X, reset=first)
        weights = {}
        if sample_weight is not None:
            weights["sample_weight"] = check_sample_weight(sample_weight, X)
        # partial_fit updates the fitted parts in place: it works on copies,
        # so that a later part's failure leaves every part as it was.
        parts = self._new_parts(X) if first else copy.deepcopy(self.distributions_)
        for name, estimator, columns in parts:
            with _naming_part(name):
                getattr(estimator, method)(take_columns(X, columns), **weights)
        self.distributions_ = parts

    def _new_parts(self, X):
        """Unfitted clones of the parts with their resolved column indices."""
        _check_parts(self.distributions)
        self._validate_names([name for name, _, _ in self.distributions])
        indices = resolve_columns(self.distributions, X, remainder=self.remainder)
        return [
            (name, clone(estimator), columns)
            for (name, estimator, _), columns in zip(
                self.distributions, indices, strict=True
            )
        ]

    def _validate_X(self, X, *, reset):
        if is_dataframe(X):
            validate_data(self, X, reset=reset, skip_check_array=True)
            table = X
        else:
            table = validate_data(
                self, X, reset=reset, dtype=None, ensure_all_finite=False
            )
        if reset:
            self._frame_columns_ = X.columns if is_dataframe(X) else None
            self._frame_dtypes_ = X.dtypes if is_dataframe(X) else None
        return as_table(table, self._frame_columns_)

    # -- the fitted model -----------------------------------------------------------

    @property
    def named_distributions_(self):
        """The fitted parts by name, as a :class:`~sklearn.utils.Bunch`."""
        return Bunch(**{name: estimator for name, estimator, _ in self.distributions_})

    def _log_likelihood(self, X):
        total = np.zeros(X.shape[0])
        for name, estimator, columns in self.distributions_:
            with _naming_part(name):
                total += estimator.score_samples(take_columns(X, columns))
        return total

    def _n_parameters(self):
        return sum(estimator._n_parameters() for _, estimator, _ in self.distributions_)

    def _likelihood_kind(self):
        return common_kind(
            estimator_kind(estimator) for _, estimator, _ in self.distributions
        )

    def entropy(self, base=None):
        """Entropy of the fitted model: the sum of the parts' entropies.

        Parameters
        ----------
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        entropy : float
            ``H(p) = sum_k H(p_k)`` (a differential entropy for continuous
            parts).
        """
        check_is_fitted(self)
        total = 0.0
        for name, estimator, _ in self.distributions_:
            with _naming_part(name):
                total += float(estimator.entropy())
        return total / log_base_divisor(base)

    def kl_divergence(self, other, base=None):
        """Kullback-Leibler divergence to another product of the same layout.

        Parameters
        ----------
        other : ProductDistribution
            A fitted product with the same part names on the same columns.
        base : float or None, default=None
            Base of the logarithm: ``None`` for nats, 2 for bits.

        Returns
        -------
        kl : float
            ``D(p_self || p_other) = sum_k D(p_k || q_k)``, ``>= 0``.
        """
        check_is_fitted(self)
        if not isinstance(other, ProductDistribution):
            raise TypeError(
                f"other must be a fitted ProductDistribution, got "
                f"{type(other).__name__}."
            )
        check_is_fitted(other)
        _check_same_layout(self, other)
        total = 0.0
        for (name, mine, _), (_, theirs, _) in zip(
            self.distributions_, other.distributions_, strict=True
        ):
            with _naming_part(name):
                total += float(mine.kl_divergence(theirs))
        return total / log_base_divisor(base)

    def sample(self, n_samples=1, random_state=None):
        """Draw rows from the fitted model, each part independently.

        Parameters
        ----------
        n_samples : int, default=1
            Number of rows to draw.
        random_state : int, RandomState instance or None, default=None
            Seed or generator for reproducible draws; the parts draw from it
            one after the other.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_modelled_columns)
            The modelled columns (all but the dropped ones) in their order
            in the training data: a DataFrame with their names and, where
            the cast loses nothing, their dtypes if the model was fit on a
            DataFrame, else an array.
        """
        return super().sample(n_samples, random_state=random_state)

    def _sample(self, n_samples, random_state):
        samples, positions = [], []
        for name, estimator, columns in self.distributions_:
            with _naming_part(name):
                draws = estimator.sample(n_samples, random_state=random_state)
            draws = np.asarray(draws)
            samples.extend(draws[:, k] for k in range(draws.shape[1]))
            positions.extend(columns.tolist())
        order = np.argsort(positions)
        columns = [samples[k] for k in order]
        positions = [positions[k] for k in order]
        if self._frame_columns_ is None:
            return np.column_stack(columns)
        return pd.DataFrame(
            {
                self._frame_columns_[j]: _restore_dtype(
                    values, self._frame_dtypes_.iloc[j]
                )
                for j, values in zip(positions, columns, strict=True)
            }
        )


def _check_parts(parts):
    """Refuse parts that are not ``(name, density estimator, columns)``."""
    for part in parts:
        if not (isinstance(part, tuple) and len(part) == 3):
            raise ValueError(
                "distributions must be a list of (name, estimator, columns) "
                f"tuples; got {part!r}."
            )
        name, estimator, _ = part
        if not isinstance(name, str):
            raise TypeError(f"Part names must be strings; got {name!r}.")
        if isinstance(estimator, type) or not (
            hasattr(estimator, "fit") and hasattr(estimator, "score_samples")
        ):
            raise TypeError(
                f"Part {name!r} must be a density estimator instance (with fit "
                f"and score_samples); got {estimator!r}."
            )


def _check_same_layout(first, second):
    layout = [(name, columns.tolist()) for name, _, columns in first.distributions_]
    other = [(name, columns.tolist()) for name, _, columns in second.distributions_]
    if layout != other or first.n_features_in_ != second.n_features_in_:
        raise ValueError(
            "The divergence between products needs the same parts on the same "
            f"columns; got parts {layout} and {other}."
        )


@contextmanager
def _naming_part(name):
    """Prefix the part's name to its ValueError or TypeError messages."""
    try:
        yield
    except (TypeError, ValueError) as exc:
        if type(exc) not in (TypeError, ValueError):
            raise
        raise type(exc)(f"Part {name!r}: {exc}") from exc


def _restore_dtype(values, dtype):
    """``values`` as a Series of ``dtype`` if the cast loses nothing."""
    series = pd.Series(values)
    try:
        cast = series.astype(dtype)
    except (TypeError, ValueError):
        return series
    if cast.isna().sum() != series.isna().sum():
        return series
    exact = pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    if exact and pd.api.types.is_numeric_dtype(series):
        # A normal model of an integer column draws floats: keep them.
        if not np.array_equal(
            cast.to_numpy(dtype=np.float64), series.to_numpy(dtype=np.float64)
        ):
            return series
    return cast
