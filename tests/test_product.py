"""ProductDistribution: independent parts over groups of columns (SPEC §9).

The references: a product of normal models of single columns is one normal
model with a diagonal covariance; a product of categorical and Bernoulli
models scores the sum of scipy.stats log-pmfs with the frequencies computed
here by hand; a product of two normal models of column groups is the
block-diagonal normal distribution of scipy.stats.
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose
from scipy import stats
from sklearn.base import clone
from sklearn.compose import make_column_selector
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxent import (
    BernoulliDistribution,
    CategoricalDistribution,
    DistributionSelector,
    GaussianDistribution,
    ProductDistribution,
)

pytestmark = pytest.mark.usefixtures("no_warnings")


@pytest.fixture
def table(rng):
    """A mixed table: labels, a 0/1 column and two correlated floats."""
    n = 120
    height = rng.normal(170.0, 10.0, size=n)
    return pd.DataFrame(
        {
            "colour": rng.choice(["red", "green", "blue"], size=n, p=[0.5, 0.3, 0.2]),
            "smoker": rng.integers(0, 2, size=n),
            "height": height,
            "weight": 0.5 * height - 15.0 + rng.normal(0.0, 4.0, size=n),
        }
    )


def _mixed_product(**params):
    return ProductDistribution(
        [
            ("colour", CategoricalDistribution(), ["colour"]),
            ("smoker", BernoulliDistribution(), ["smoker"]),
            ("body", GaussianDistribution(), ["height", "weight"]),
        ],
        **params,
    )


# -- the likelihood is the sum of the parts' -------------------------------------------


def test_product_of_univariate_gaussians_is_a_diagonal_gaussian(rng):
    X = rng.normal(size=(80, 3)) * [1.0, 3.0, 0.2] + [0.0, 5.0, -1.0]
    product = ProductDistribution(
        [(f"x{j}", GaussianDistribution(), [j]) for j in range(3)]
    ).fit(X)
    diagonal = GaussianDistribution(covariance_type="diag").fit(X)
    assert_allclose(product.score_samples(X), diagonal.score_samples(X), rtol=1e-12)
    assert_allclose(product.entropy(), diagonal.entropy(), rtol=1e-12)
    assert_allclose(product.aic(X), diagonal.aic(X), rtol=1e-12)
    assert_allclose(product.bic(X), diagonal.bic(X), rtol=1e-12)
    assert_allclose(product.predict_proba(X), diagonal.predict_proba(X), rtol=1e-12)

    Y = rng.normal(size=(60, 3)) * 2.0
    other = clone(product).fit(Y)
    expected = diagonal.kl_divergence(
        GaussianDistribution(covariance_type="diag").fit(Y)
    )
    assert_allclose(product.kl_divergence(other), expected, rtol=1e-12)


def test_product_of_gaussian_blocks_matches_scipy_block_diagonal_normal(rng):
    X = rng.normal(size=(100, 4)) @ rng.normal(size=(4, 4))
    product = ProductDistribution(
        [
            ("a", GaussianDistribution(reg_covar=0.0), [0, 2]),
            ("b", GaussianDistribution(reg_covar=0.0), [1, 3]),
        ]
    ).fit(X)
    # The block-diagonal covariance of the MLE, built by hand.
    covariance = np.zeros((4, 4))
    for block in ([0, 2], [1, 3]):
        covariance[np.ix_(block, block)] = np.cov(X[:, block].T, bias=True)
    reference = stats.multivariate_normal(X.mean(axis=0), covariance)
    assert_allclose(product.score_samples(X), reference.logpdf(X), rtol=1e-10)
    assert_allclose(product.entropy(), reference.entropy(), rtol=1e-10)


def test_categorical_and_bernoulli_match_scipy_log_pmfs(rng):
    n = 200
    labels = rng.choice(["a", "b", "c"], size=n, p=[0.6, 0.3, 0.1])
    flags = rng.integers(0, 2, size=(n, 2))
    X = pd.DataFrame({"label": labels, "f1": flags[:, 0], "f2": flags[:, 1]})
    product = ProductDistribution(
        [
            ("label", CategoricalDistribution(), ["label"]),
            ("flags", BernoulliDistribution(), ["f1", "f2"]),
        ]
    ).fit(X)

    categories, counts = np.unique(labels, return_counts=True)
    one_hot = (labels[:, None] == categories).astype(int)
    expected = stats.multinomial(1, counts / n).logpmf(one_hot)
    for j in range(2):
        expected = expected + stats.bernoulli(flags[:, j].mean()).logpmf(flags[:, j])
    assert_allclose(product.score_samples(X), expected, rtol=1e-12)
    assert_allclose(product.score(X), expected.mean(), rtol=1e-12)
    # Maximum likelihood categorical and Bernoulli models: the training score
    # is minus the entropy, part by part and so for the product.
    assert_allclose(product.score(X), -product.entropy(), rtol=1e-12)
    # 2 free probabilities for three labels, one per binary column.
    assert_allclose(product.aic(X), -2 * expected.sum() + 2 * 4, rtol=1e-12)
    assert_allclose(product.bic(X), -2 * expected.sum() + 4 * np.log(n), rtol=1e-12)


# -- a mixed table end to end ----------------------------------------------------------


def test_mixed_table_end_to_end(table):
    model = _mixed_product().fit(table)
    assert list(model.feature_names_in_) == list(table.columns)
    assert model.n_features_in_ == 4
    assert model.named_distributions_.colour.categories_[0].tolist() == [
        "blue",
        "green",
        "red",
    ]
    assert np.isfinite(model.score(table))

    draws = model.sample(500, random_state=0)
    assert list(draws.columns) == list(table.columns)
    assert list(draws.dtypes) == list(table.dtypes)
    assert set(draws["colour"]) <= {"red", "green", "blue"}
    assert set(draws["smoker"]) <= {0, 1}
    # The draws are scored by the model they come from.
    assert np.all(np.isfinite(model.score_samples(draws)))

    restored = pickle.loads(pickle.dumps(model))
    assert_allclose(restored.score_samples(table), model.score_samples(table))
    assert_allclose(
        clone(model).fit(table).score_samples(table), model.score_samples(table)
    )


def test_sample_restores_dtypes_only_without_loss(rng):
    n = 60
    X = pd.DataFrame(
        {
            "label": pd.Categorical(rng.choice(["x", "y"], size=n)),
            "flag": rng.integers(0, 2, size=n).astype(bool),
            "age": rng.integers(20, 70, size=n),
            "value": rng.normal(size=n).astype(np.float32),
        }
    )
    model = ProductDistribution(
        [
            ("label", CategoricalDistribution(), ["label"]),
            ("flag", BernoulliDistribution(), ["flag"]),
            ("numbers", GaussianDistribution(covariance_type="diag"), ["age", "value"]),
        ]
    ).fit(X)
    draws = model.sample(20, random_state=0)
    assert isinstance(draws["label"].dtype, pd.CategoricalDtype)
    assert draws["flag"].dtype == bool
    # A normal model of an integer column draws non-integers: they stay floats.
    assert draws["age"].dtype == np.float64
    assert not np.all(draws["age"] == np.round(draws["age"]))
    assert draws["value"].dtype == np.float32


def test_sample_of_array_fit_is_an_array_in_column_order(rng):
    n = 2000
    X = np.column_stack(
        [rng.normal(10.0, 1.0, n), rng.integers(0, 2, n), rng.normal(-5.0, 2.0, n)]
    )
    model = ProductDistribution(
        [
            ("normal", GaussianDistribution(covariance_type="diag"), [2, 0]),
            ("flag", BernoulliDistribution(), [1]),
        ]
    ).fit(X)
    draws = model.sample(4000, random_state=0)
    assert isinstance(draws, np.ndarray)
    assert draws.shape == (4000, 3)
    assert set(np.unique(draws[:, 1])) <= {0.0, 1.0}
    # Five standard errors of each column mean.
    assert_allclose(draws.mean(axis=0), X.mean(axis=0), atol=5 * 2.0 / np.sqrt(4000))
    first = model.sample(5, random_state=1)
    assert_allclose(model.sample(5, random_state=1), first)


def test_object_array_with_a_string_column(table):
    X = table.to_numpy()  # an object array
    model = ProductDistribution(
        [
            ("colour", CategoricalDistribution(), [0]),
            ("smoker", BernoulliDistribution(), [1]),
            ("body", GaussianDistribution(), slice(2, 4)),
        ]
    ).fit(X)
    assert_allclose(
        model.score_samples(X), _mixed_product().fit(table).score_samples(table)
    )
    assert model.sample(3, random_state=0).dtype == object


# -- columns as in ColumnTransformer ---------------------------------------------------


@pytest.mark.parametrize(
    "columns",
    [
        ["height", "weight"],
        slice("height", "weight"),
        [2, 3],
        slice(2, None),
        np.array([False, False, True, True]),
        make_column_selector(dtype_include=np.floating),
    ],
    ids=["names", "name-slice", "indices", "slice", "mask", "selector"],
)
def test_column_specifications_select_the_same_columns(table, columns):
    model = ProductDistribution(
        [
            ("colour", CategoricalDistribution(), "colour"),
            ("smoker", BernoulliDistribution(), 1),
            ("body", GaussianDistribution(), columns),
        ]
    ).fit(table)
    assert model.distributions_[2][2].tolist() == [2, 3]
    assert_allclose(
        model.score_samples(table), _mixed_product().fit(table).score_samples(table)
    )


def test_remainder_drop_leaves_columns_out(table):
    model = ProductDistribution(
        [("body", GaussianDistribution(), ["height", "weight"])], remainder="drop"
    ).fit(table)
    alone = GaussianDistribution().fit(table[["height", "weight"]])
    assert_allclose(
        model.score_samples(table), alone.score_samples(table[["height", "weight"]])
    )
    assert model.n_features_in_ == 4
    assert list(model.sample(3, random_state=0).columns) == ["height", "weight"]


@pytest.mark.parametrize(
    ("parts", "remainder", "message"),
    [
        ([("a", GaussianDistribution(), ["height"])], "error", r"'smoker'.*remainder"),
        (
            [
                ("a", GaussianDistribution(), ["height", "weight"]),
                ("b", GaussianDistribution(), ["weight"]),
            ],
            "drop",
            r"'weight'.*both part 'a' and part 'b'",
        ),
        ([("a", GaussianDistribution(), [2, 2])], "drop", "twice"),
        ([("a", GaussianDistribution(), ["age"])], "drop", r"Part 'a'.*'age'"),
        ([("a", GaussianDistribution(), [7])], "drop", r"Part 'a'"),
        ([("a", GaussianDistribution(), [True, False])], "drop", "length 2"),
        ([("a", GaussianDistribution(), [])], "drop", "selects no column"),
    ],
    ids=[
        "leftover",
        "overlap",
        "twice",
        "missing-name",
        "out-of-range",
        "mask",
        "empty",
    ],
)
def test_bad_columns_are_clear_errors(table, parts, remainder, message):
    with pytest.raises(ValueError, match=message):
        ProductDistribution(parts, remainder=remainder).fit(table)


def test_column_names_need_a_dataframe(table):
    model = ProductDistribution([("a", GaussianDistribution(), ["height"])])
    with pytest.raises(ValueError, match=r"Part 'a'.*strings.*dataframes"):
        model.fit(table[["height"]].to_numpy())


@pytest.mark.parametrize(
    ("parts", "error", "message"),
    [
        (
            [("a", GaussianDistribution(), [0]), ("a", GaussianDistribution(), [1])],
            ValueError,
            "not unique",
        ),
        ([("a__b", GaussianDistribution(), [0])], ValueError, "must not contain __"),
        ([("remainder", GaussianDistribution(), [0])], ValueError, "conflict"),
        ([("a", GaussianDistribution, [0])], TypeError, "instance"),
        ([("a", StandardScaler(), [0])], TypeError, "score_samples"),
        ([("a", GaussianDistribution())], ValueError, r"\(name, estimator, columns\)"),
    ],
    ids=["duplicate", "dunder", "conflict", "class", "not-a-density", "pair"],
)
def test_bad_parts_are_clear_errors(rng, parts, error, message):
    with pytest.raises(error, match=message):
        ProductDistribution(parts).fit(rng.normal(size=(10, 2)))


def test_a_part_error_names_the_part(table):
    bad = table.assign(height=np.nan)
    with pytest.raises(ValueError, match=r"Part 'body'.*NaN"):
        _mixed_product().fit(bad)


def test_frame_and_array_mismatch_warns_once(table):
    model = _mixed_product().fit(table)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log_likelihood = model.score_samples(table.to_numpy())
    assert len(caught) == 1
    assert "feature names" in str(caught[0].message)
    assert_allclose(log_likelihood, model.score_samples(table))

    numeric = table[["height", "weight"]]
    model = ProductDistribution([("body", GaussianDistribution(), [0, 1])])
    model.fit(numeric.to_numpy())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.score_samples(numeric)
    assert len(caught) == 1


# -- nested parameters and model selection ---------------------------------------------


def test_nested_parameters(table):
    model = _mixed_product()
    params = model.get_params()
    assert params["body__reg_covar"] == 1e-6
    assert params["colour"] is model.distributions[0][1]
    assert "body" not in model.get_params(deep=False)

    model.set_params(body__reg_covar=0.5, smoker=CategoricalDistribution())
    assert model.distributions[2][1].reg_covar == 0.5
    assert isinstance(model.distributions[1][1], CategoricalDistribution)
    assert model.distributions[1][2] == ["smoker"]
    with pytest.raises(ValueError, match="Invalid parameter"):
        model.set_params(unknown__alpha=1.0)
    # The refit model uses the new parameters.
    fitted = model.fit(table).named_distributions_.body
    assert_allclose(
        np.diag(fitted.covariance_), table[["height", "weight"]].var(ddof=0) + 0.5
    )


def test_grid_search_over_a_part_parameter(table):
    folds = KFold(4, shuffle=True, random_state=0)
    grid = {"body__covariance_type": ["full", "spherical"], "colour__alpha": [0, 1]}
    search = GridSearchCV(_mixed_product(), grid, cv=folds).fit(table)
    # height and weight are strongly correlated: the full covariance wins.
    assert search.best_params_["body__covariance_type"] == "full"
    for params, score in zip(
        search.cv_results_["params"], search.cv_results_["mean_test_score"], strict=True
    ):
        manual = cross_val_score(_mixed_product().set_params(**params), table, cv=folds)
        assert_allclose(score, manual.mean(), rtol=1e-12)


def test_sample_weight_is_routed_by_metadata_routing(table, rng):
    weights = rng.integers(1, 4, size=len(table)).astype(float)
    folds = KFold(3, shuffle=True, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        model = _mixed_product().set_fit_request(sample_weight=True)
        model.set_score_request(sample_weight=True)
        scores = cross_val_score(
            model, table, cv=folds, params={"sample_weight": weights}
        )
    for score, (train, test) in zip(scores, folds.split(table), strict=True):
        fitted = _mixed_product().fit(table.iloc[train], sample_weight=weights[train])
        expected = fitted.score(table.iloc[test], sample_weight=weights[test])
        assert_allclose(score, expected, rtol=1e-12)


def test_works_inside_a_pipeline(rng):
    X = rng.normal(size=(50, 3)) * [1.0, 10.0, 100.0]
    pipeline = make_pipeline(
        StandardScaler(),
        ProductDistribution(
            [("a", GaussianDistribution(), [0, 1]), ("b", GaussianDistribution(), [2])]
        ),
    ).fit(X)
    assert np.isfinite(pipeline.score(X))


# -- weights, batches and atomic fits --------------------------------------------------


def test_sample_weight_reaches_every_part(table, rng):
    weights = rng.integers(0, 4, size=len(table))
    weighted = _mixed_product().fit(table, sample_weight=weights)
    repeated = _mixed_product().fit(table.loc[table.index.repeat(weights)])
    assert_allclose(
        weighted.score_samples(table), repeated.score_samples(table), rtol=1e-10
    )
    assert_allclose(
        weighted.score(table, sample_weight=weights),
        repeated.score(table.loc[table.index.repeat(weights)]),
        rtol=1e-10,
    )


def test_partial_fit_in_batches_equals_one_fit(table):
    batches = _mixed_product()
    for batch in np.array_split(np.arange(len(table)), 3):
        batches.partial_fit(table.iloc[batch])
    assert_allclose(
        batches.score_samples(table),
        _mixed_product().fit(table).score_samples(table),
        rtol=1e-10,
    )


def test_partial_fit_is_absent_when_a_part_lacks_it(table):
    model = ProductDistribution(
        [("colour", DistributionSelector(), ["colour"])], remainder="drop"
    )
    assert not hasattr(model, "partial_fit")
    assert hasattr(_mixed_product(), "partial_fit")


def _state(model):
    return [pickle.dumps(vars(part)) for _, part, _ in model.distributions_]


def test_failed_fit_leaves_the_model_as_it_was(table):
    model = _mixed_product().fit(table)
    before = (vars(model).copy(), _state(model), model.score_samples(table))
    with pytest.raises(ValueError, match="Part 'body'"):
        model.fit(table.assign(weight=np.inf))
    assert vars(model).keys() == before[0].keys()
    assert _state(model) == before[1]
    assert_allclose(model.score_samples(table), before[2])


def test_failed_partial_fit_undoes_the_earlier_parts(table):
    model = _mixed_product().partial_fit(table.iloc[:60])
    before = _state(model)
    # The first two parts accept this batch; the Gaussian refuses it.
    with pytest.raises(ValueError, match="Part 'body'"):
        model.partial_fit(table.iloc[60:].assign(height=np.nan))
    assert _state(model) == before


# -- entropy and divergence ------------------------------------------------------------


def test_kl_divergence_is_the_sum_of_the_parts(table, rng):
    first = _mixed_product().fit(table.iloc[:60])
    second = _mixed_product().fit(table.iloc[60:])
    expected = sum(
        mine.kl_divergence(theirs)
        for (_, mine, _), (_, theirs, _) in zip(
            first.distributions_, second.distributions_, strict=True
        )
    )
    assert_allclose(first.kl_divergence(second), expected, rtol=1e-12)
    assert first.kl_divergence(first) == pytest.approx(0.0, abs=1e-12)
    assert first.kl_divergence(second) > 0


def test_kl_divergence_needs_the_same_layout(table):
    model = _mixed_product().fit(table)
    other = ProductDistribution(
        [
            ("colour", CategoricalDistribution(), ["colour"]),
            ("rest", GaussianDistribution(), ["smoker", "height", "weight"]),
        ]
    ).fit(table)
    with pytest.raises(ValueError, match="same parts on the same columns"):
        model.kl_divergence(other)
    with pytest.raises(TypeError, match="ProductDistribution"):
        model.kl_divergence(model.named_distributions_.body)
