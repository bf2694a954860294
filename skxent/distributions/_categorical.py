"""Independent categorical variables fit by maximum likelihood."""

from numbers import Real

import numpy as np
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from skxent.distributions._base import MLEDistribution
from skxent.distributions._categorical_math import (
    CategoricalStatistics,
    align_counts,
    check_no_missing,
    count_categories,
    entropy,
    kl_divergence,
    log_likelihood,
    sort_categories,
)
from skxent.distributions._counts_math import smoothed_frequencies
from skxent.distributions._family import FamilyInfo

__all__ = ["CategoricalDistribution"]


class CategoricalDistribution(MLEDistribution):
    """Independent categorical variables, one per column, fit by maximum likelihood.

    Each column of ``X`` is a categorical variable whose values (integers,
    floats used as codes, strings or other hashable objects) are the
    categories. The maximum likelihood estimate of each variable is the
    weighted frequency of its categories, which is also the model that
    minimizes the cross-entropy from the data, so ``score`` on the training
    data equals minus the entropy of the fitted model when ``alpha=0``.

    Parameters
    ----------
    alpha : float, default=0.0
        Additive (Laplace/Lidstone) smoothing: a symmetric Dirichlet prior of
        concentration ``alpha + 1`` on the categories seen during fit, whose
        posterior mode is returned. ``alpha=0`` is the pure maximum
        likelihood estimate.
    categories : "auto" or list of array-like, default="auto"
        The categories of each column. ``"auto"`` learns them from the data
        (the values of positive weight seen by ``fit`` and ``partial_fit``).
        A list gives, for each column, every category it may take, as in
        :class:`~sklearn.preprocessing.OneHotEncoder`: categories never seen
        in fit then exist in the model, with probability
        ``alpha / (W + K alpha)``, so smoothing reaches them (and with
        ``alpha=0`` they have probability zero). A value outside the declared
        categories at fit raises a ``ValueError`` naming it.
    handle_unknown : {"error", "zero"}, default="error"
        What to do with a value that was not seen during fit when scoring.
        ``"error"`` raises a ``ValueError`` naming the column and the value;
        ``"zero"`` gives it probability zero, so its log-likelihood is
        ``-inf`` (without a warning). Smoothing never reaches values that
        are not categories; declare them with ``categories`` for that. The
        policy in force at fit is the one used when scoring.

    Attributes
    ----------
    categories_ : list of ndarray
        The sorted categories of each column: the declared ones, or with
        ``categories="auto"`` the values of positive total weight seen by
        ``fit`` and ``partial_fit``. Numeric columns keep their
        dtype; other columns are ``object`` arrays.
    probabilities_ : list of ndarray
        The probability of each category, aligned with ``categories_``.
    n_features_in_ : int
        Number of columns seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the columns seen during fit. Defined only when ``X`` has
        column names that are all strings.

    See Also
    --------
    BernoulliDistribution : Independent binary variables.
    sklearn.naive_bayes.CategoricalNB : The same model per class, as a
        classifier.
    sklearn.preprocessing.OneHotEncoder : Orders categories the same way.

    Notes
    -----
    With column :math:`j` taking values in categories :math:`c_{j1}, \\dots,
    c_{jK_j}` and :math:`n_{jk}` the total weight of the rows where it equals
    :math:`c_{jk}` (out of :math:`W = \\sum_i w_i`), the model is

    .. math::

        p(x) = \\prod_j \\pi_{j, x_j}, \\qquad
        \\pi_{jk} = \\frac{n_{jk} + \\alpha}{W + K_j \\alpha},

    and for ``alpha=0`` the training score is
    :math:`\\sum_{j,k} \\pi_{jk} \\log \\pi_{jk} = -H(p_\\theta)`.
    The sufficient statistics are the counts :math:`n_{jk}`, so
    ``partial_fit`` merges batches exactly, including categories first seen
    in a later batch. Missing values (``None``, nan) and infinite values are
    refused with a ``ValueError``; encode them as a category of their own if
    they carry information. ``entropy`` and ``kl_divergence`` are sums over
    the independent columns; a category of ``self`` unknown to ``other``
    makes the divergence ``+inf``. The model has :math:`\\sum_j (K_j - 1)`
    free parameters.

    Non-negative integer codes are counted with :func:`numpy.bincount`, other
    numbers by sorting, and strings or other objects by hashing.

    References
    ----------
    .. [1] K. P. Murphy, "Machine Learning: A Probabilistic Perspective",
       MIT Press, 2012, section 3.4 (the Dirichlet-multinomial model).

    Examples
    --------
    >>> import numpy as np
    >>> from skxent import CategoricalDistribution
    >>> X = np.array([["a", "x"], ["b", "x"], ["a", "y"], ["a", "x"]], dtype=object)
    >>> model = CategoricalDistribution().fit(X)
    >>> model.categories_[0], model.probabilities_[0]
    (array(['a', 'b'], dtype=object), array([0.75, 0.25]))

    The probabilities are the frequencies, and the mean log-likelihood on the
    training data is minus the entropy of the fitted model:

    >>> bool(np.isclose(model.score(X), -model.entropy()))
    True
    """

    _family = FamilyInfo(
        name="categorical",
        kind="discrete",
        support="any hashable labels (integers, strings) in every column",
        parameters=("categories_", "probabilities_"),
        statistics="weighted count of each category per column",
        entropy="closed form",
        scipy="scipy.stats.multinomial with n=1, per column",
        data="labels",
    )

    _parameter_constraints: dict = {
        **MLEDistribution._parameter_constraints,
        "alpha": [Interval(Real, 0, None, closed="left")],
        "categories": [StrOptions({"auto"}), list],
        "handle_unknown": [StrOptions({"error", "zero"})],
    }

    def __init__(self, *, alpha=0.0, categories="auto", handle_unknown="error"):
        self.alpha = alpha
        self.categories = categories
        self.handle_unknown = handle_unknown

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        # Strings are supported, but the "string" tag would promise that fit
        # accepts any object (sklearn's check_dtype_object fits a dict);
        # unhashable values are refused, as OneHotEncoder refuses them.
        tags.input_tags.string = False
        return tags

    # -- validation -------------------------------------------------------------

    def _validate_X(self, X, *, reset):
        """Validate X and return its columns as 1-D arrays."""
        if hasattr(X, "iloc") and getattr(X, "ndim", 0) == 2:
            # DataFrames column by column, so that mixed dtypes are not cast to
            # one (an int column would become object next to a string column).
            validate_data(self, X, reset=reset, skip_check_array=True)
            columns = [
                check_array(
                    X.iloc[:, j],
                    ensure_2d=False,
                    dtype=None,
                    ensure_all_finite=_is_numeric(X.iloc[:, j]),
                    input_name=f"X {self._column_name(j)}",
                )
                for j in range(X.shape[1])
            ]
            if not columns:
                raise ValueError(
                    f"X has 0 feature(s) (shape={X.shape}); a minimum of 1 is "
                    f"required by {type(self).__name__}."
                )
            columns = [_as_category_array(c) for c in columns]
            return _Columns(columns, X.shape[0])
        X = validate_data(
            self, X, reset=reset, dtype=None, ensure_all_finite=_is_numeric(X)
        )
        return _Columns(
            [_as_category_array(X[:, j]) for j in range(X.shape[1])], X.shape[0]
        )

    def _column_name(self, j):
        """Describe column ``j`` for error messages, with its name if known."""
        names = getattr(self, "feature_names_in_", None)
        return f"column {j}" if names is None else f"column {j} ({names[j]!r})"

    # -- statistics and parameters ---------------------------------------------

    def _compute_statistics(self, X, sample_weight):
        declared = self._declared_categories(len(X))
        categories, counts = [], []
        for j, values in enumerate(X):
            with _naming_column(self, j):
                seen, seen_counts = count_categories(values, sample_weight)
                if declared is not None:
                    seen_counts = align_counts(seen, seen_counts, declared[j])
                    seen = declared[j]
            categories.append(seen)
            counts.append(seen_counts)
        return CategoricalStatistics(tuple(categories), tuple(counts))

    def _declared_categories(self, n_features):
        """The sorted declared categories of each column, or None for "auto"."""
        if isinstance(self.categories, str):
            return None
        if len(self.categories) != n_features:
            raise ValueError(
                f"categories has {len(self.categories)} entries but X has "
                f"{n_features} column(s); give one list of categories per column."
            )
        declared = []
        for j, column in enumerate(self.categories):
            with _naming_column(self, j):
                values = _as_category_array(np.asarray(column).ravel())
                if values.size == 0:
                    raise ValueError("categories must not be empty.")
                check_no_missing(values.tolist())
                distinct = sort_categories(dict.fromkeys(values.tolist()))
            declared.append(_as_category_array(np.array(distinct, dtype=values.dtype)))
        return declared

    def _parameters_from_statistics(self, statistics):
        return {
            "categories_": list(statistics.categories),
            "probabilities_": [
                smoothed_frequencies(counts, self.alpha, statistics.log_scale)
                for counts in statistics.counts
            ],
            # Scoring follows the policy the model was fit with, whatever
            # set_params did since.
            "_handle_unknown": self.handle_unknown,
        }

    # -- the fitted model -------------------------------------------------------

    def _log_likelihood(self, X):
        total, unknown = log_likelihood(X, self.categories_, self.probabilities_)
        for j, values in unknown:
            self._check_unknown(values, j)
        return total

    def _check_unknown(self, unknown_values, j):
        """Raise for values of column j that are not categories, if asked to."""
        with _naming_column(self, j):
            check_no_missing(unknown_values.tolist())
        if self._handle_unknown == "error":
            raise ValueError(
                f"{type(self).__name__} found unknown category "
                f"{unknown_values[:1].tolist()[0]!r} in {self._column_name(j)}, "
                f"not seen during fit (known: {_abbreviate(self.categories_[j])}). "
                "Set handle_unknown='zero' to give unknown categories "
                "probability zero."
            )

    def _entropy(self):
        return sum(map(entropy, self.probabilities_))

    def _kl_divergence(self, other):
        return sum(
            kl_divergence(p, categories_p, q, categories_q)
            for p, categories_p, q, categories_q in zip(
                self.probabilities_,
                self.categories_,
                other.probabilities_,
                other.categories_,
                strict=True,
            )
        )

    def _n_parameters(self):
        return sum(categories.size - 1 for categories in self.categories_)

    def _sample(self, n_samples, random_state):
        dtypes = {categories.dtype for categories in self.categories_}
        dtype = dtypes.pop() if len(dtypes) == 1 else object
        X = np.empty((n_samples, self.n_features_in_), dtype=dtype)
        columns = zip(self.categories_, self.probabilities_, strict=True)
        for j, (categories, p) in enumerate(columns):
            X[:, j] = categories[random_state.choice(categories.size, n_samples, p=p)]
        return X


class _Columns(list):
    """Validated categorical data: one 1-D array per column.

    A list of columns rather than one 2-D array keeps each column's dtype;
    ``shape`` lets it stand for ``X`` where the number of rows is needed.
    """

    def __init__(self, columns, n_samples):
        super().__init__(columns)
        self.shape = (n_samples, len(columns))


def _is_numeric(values):
    """Whether array-like ``values`` hold numbers (checked for nan and inf).

    Other columns (strings, objects, pandas' NA-aware string dtype) are
    checked for missing values by the counting itself, with a message that
    names the column; scikit-learn's finiteness check would call ``bool()``
    on ``pd.NA`` and fail with "boolean value of NA is ambiguous".
    """
    dtype = getattr(values, "dtype", None)
    if dtype is None:
        dtype = np.asarray(values).dtype
    return getattr(dtype, "kind", "O") in "biuf"


def _as_category_array(values):
    """Numbers keep their dtype; strings and anything else become objects."""
    if values.dtype.kind in "biufO":
        return values
    return values.astype(object)


def _abbreviate(categories, max_shown=10):
    """A short representation of a list of categories for error messages."""
    shown = ", ".join(repr(c) for c in categories[:max_shown].tolist())
    more = categories.size - max_shown
    return f"[{shown}{f', ... ({more} more)' if more > 0 else ''}]"


class _naming_column:
    """Context manager naming the column in errors about its values."""

    def __init__(self, estimator, j):
        self.estimator, self.j = estimator, j

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        where = (
            f"{type(self.estimator).__name__}, {self.estimator._column_name(self.j)}"
        )
        if exc_type is TypeError:
            raise TypeError(
                f"{where}: {exc} Each argument must be a string or a number, "
                "and one column must not mix them."
            ) from exc
        if exc_type is ValueError:
            raise ValueError(f"{where}: {exc}") from exc
        return False
