"""Tests of skxent.entropy, skxent.cross_entropy and skxent.kl_divergence.

References: scipy.stats.entropy (which renormalises, so it is only given
normalised input), closed forms (uniform, point mass, Bernoulli) and a slow
term-by-term implementation in pure Python kept below.
"""

import math
import warnings

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import skxent._information
from skxent import cross_entropy, entropy, kl_divergence

# -- references -----------------------------------------------------------------


def slow_entropy(p):
    """-sum p log p over p > 0, one term at a time."""
    return -math.fsum(pk * math.log(pk) for pk in p if pk > 0)


def slow_cross_entropy(p, q):
    """-sum p log q over p > 0; an impossible outcome (q = 0 < p) costs inf."""
    if any(pk > 0 and qk == 0 for pk, qk in zip(p, q, strict=True)):
        return math.inf
    return -math.fsum(pk * math.log(qk) for pk, qk in zip(p, q, strict=True) if pk > 0)


def slow_kl_divergence(p, q):
    """sum p (log p - log q) over p > 0, in log space (no ratio to overflow)."""
    if any(pk > 0 and qk == 0 for pk, qk in zip(p, q, strict=True)):
        return math.inf
    return math.fsum(
        pk * (math.log(pk) - math.log(qk))
        for pk, qk in zip(p, q, strict=True)
        if pk > 0
    )


def random_distributions(rng, n, k, zero_fraction=0.2):
    """n probability vectors of length k with some exact zeros."""
    x = rng.gamma(0.5, size=(n, k))
    x[rng.random((n, k)) < zero_fraction] = 0.0
    x[:, 0] += x.sum(axis=1) == 0  # no all-zero row
    return x / x.sum(axis=1, keepdims=True)


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- against scipy and the slow references ------------------------------------


@pytest.mark.parametrize("base", [None, 2, 10, 0.5])
def test_entropy_matches_scipy(base):
    rng = np.random.default_rng(0)
    p = random_distributions(rng, 200, 7)
    assert_allclose(
        entropy(p, base=base), scipy.stats.entropy(p, base=base, axis=1), rtol=1e-13
    )


@pytest.mark.parametrize("base", [None, 2, 10])
def test_kl_divergence_matches_scipy(base):
    rng = np.random.default_rng(1)
    p = random_distributions(rng, 200, 7)
    q = random_distributions(rng, 200, 7, zero_fraction=0.0)
    expected = scipy.stats.entropy(p, q, base=base, axis=1)
    assert_allclose(kl_divergence(p, q, base=base), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("base", [None, 2])
def test_cross_entropy_matches_scipy_entropy_plus_divergence(base):
    # scipy's documentation: CE = H(pk) + D(pk || qk).
    rng = np.random.default_rng(2)
    p = random_distributions(rng, 200, 7)
    q = random_distributions(rng, 200, 7, zero_fraction=0.0)
    expected = scipy.stats.entropy(p, base=base, axis=1) + scipy.stats.entropy(
        p, q, base=base, axis=1
    )
    assert_allclose(cross_entropy(p, q, base=base), expected, rtol=1e-12)


def test_all_three_match_slow_references_with_zeros_in_both():
    rng = np.random.default_rng(3)
    p = random_distributions(rng, 300, 5, zero_fraction=0.3)
    q = random_distributions(rng, 300, 5, zero_fraction=0.3)
    assert_allclose(entropy(p), [slow_entropy(r) for r in p], rtol=1e-13)
    expected_ce = np.array(
        [slow_cross_entropy(a, b) for a, b in zip(p, q, strict=True)]
    )
    expected_kl = np.array(
        [slow_kl_divergence(a, b) for a, b in zip(p, q, strict=True)]
    )
    assert 0 < np.isinf(expected_ce).sum() < len(p)  # both cases occur
    assert_allclose(cross_entropy(p, q), expected_ce, rtol=1e-12)
    assert_allclose(kl_divergence(p, q), expected_kl, rtol=1e-12, atol=1e-15)


# -- closed forms ------------------------------------------------------------------


@pytest.mark.parametrize("n_outcomes", [1, 2, 3, 10, 1000])
def test_uniform_distribution_has_entropy_log_k(n_outcomes):
    uniform = np.full(n_outcomes, 1.0 / n_outcomes)
    assert entropy(uniform) == pytest.approx(np.log(n_outcomes), abs=1e-12)
    assert entropy(uniform, base=n_outcomes + 1) == pytest.approx(
        np.log(n_outcomes) / np.log(n_outcomes + 1), abs=1e-12
    )


def test_cross_entropy_against_uniform_is_log_k_for_any_p():
    # -sum_k p_k log(1/K) = log K whatever p is.
    rng = np.random.default_rng(4)
    p = random_distributions(rng, 50, 6)
    assert_allclose(cross_entropy(p, np.full(6, 1 / 6)), np.log(6), rtol=1e-13)


@pytest.mark.parametrize("theta", [1e-12, 0.01, 0.3, 0.5, 0.9])
def test_bernoulli_entropy_and_divergence_closed_forms(theta):
    p = [theta, 1 - theta]
    h = -theta * np.log(theta) - (1 - theta) * np.log1p(-theta)
    assert entropy(p) == pytest.approx(h, rel=1e-12)
    assert entropy(p, base=2) == pytest.approx(h / np.log(2), rel=1e-12)
    phi = 0.2
    d = theta * np.log(theta / phi) + (1 - theta) * np.log((1 - theta) / (1 - phi))
    assert kl_divergence(p, [phi, 1 - phi]) == pytest.approx(d, rel=1e-10)


def test_point_mass_has_zero_entropy_exactly(no_warnings):
    eye = np.eye(4)
    assert_array_equal(entropy(eye), np.zeros(4))
    assert not np.signbit(entropy(eye)).any()  # +0.0, not -0.0


# -- the conventions 0 log 0 = 0 and p log(p / 0) = +inf ------------------------


def test_zero_probability_conventions_without_warnings(no_warnings):
    assert entropy([1.0, 0.0]) == 0.0
    assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert cross_entropy([0.0, 1.0], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf


def test_infinite_rows_do_not_contaminate_a_batch(no_warnings):
    p = np.array([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])
    q = np.array([[1.0, 0.0], [1.0, 0.0], [0.5, 0.5]])
    ce, kl = cross_entropy(p, q), kl_divergence(p, q)
    assert_array_equal(np.isinf(ce), [True, False, False])
    assert_array_equal(np.isinf(kl), [True, False, False])
    assert not np.isnan(ce).any() and not np.isnan(kl).any()
    assert_allclose(
        ce[1:], [slow_cross_entropy(*r) for r in zip(p[1:], q[1:], strict=True)]
    )
    assert_allclose(
        kl[1:], [slow_kl_divergence(*r) for r in zip(p[1:], q[1:], strict=True)]
    )


def test_divergence_with_ratio_beyond_float_range(no_warnings):
    # p / q = 1e-6 / 1e-320 overflows; the divergence itself is finite.
    p, q = [1 - 1e-6, 1e-6], [1.0, 1e-320]
    kl = kl_divergence(p, q)
    assert np.isfinite(kl)
    assert kl == pytest.approx(slow_kl_divergence(p, q), rel=1e-12)
    assert cross_entropy(p, q) == pytest.approx(slow_cross_entropy(p, q), rel=1e-12)


# -- properties (hypothesis, deterministic) -------------------------------------


def _normalise(x):
    return x / x.sum()


_weights = hnp.arrays(
    np.float64,
    st.integers(1, 12),
    elements=st.one_of(
        st.just(0.0),
        st.floats(1e-300, 1.0, allow_subnormal=False),
    ),
).filter(lambda x: x.sum() > 0)

_pairs = st.integers(1, 12).flatmap(
    lambda k: st.tuples(
        *[
            hnp.arrays(
                np.float64,
                k,
                elements=st.one_of(st.just(0.0), st.floats(1e-300, 1.0)),
            ).filter(lambda x: x.sum() > 0)
        ]
        * 2
    )
)

_property_settings = settings(derandomize=True, max_examples=300, deadline=None)


@_property_settings
@given(_pairs)
def test_cross_entropy_is_entropy_plus_divergence(pair):
    p, q = map(_normalise, pair)
    h, ce, kl = entropy(p), cross_entropy(p, q), kl_divergence(p, q)
    if np.isinf(ce):
        assert np.isinf(kl)
        assert np.any((p > 0) & (q == 0))
    else:
        assert ce == pytest.approx(h + kl, rel=1e-12, abs=1e-12)


@_property_settings
@given(_pairs)
def test_gibbs_inequality(pair):
    p, q = map(_normalise, pair)
    assert kl_divergence(p, q) >= 0
    assert cross_entropy(p, q) >= entropy(p) - 1e-12


def test_divergence_is_not_negative_when_rounding_would_make_it_so():
    # q within a few ulps of p: the exact divergence is ~1e-30, but summing
    # rounded terms of both signs gives negative values for about half the rows.
    rng = np.random.default_rng(14)
    p = rng.dirichlet(np.ones(10), size=1000)
    q = p * (1 + rng.uniform(-1e-15, 1e-15, size=p.shape))
    q /= q.sum(axis=1, keepdims=True)
    rounded = np.einsum("ij,ij->i", p, np.log(p / q))
    assert (rounded < 0).sum() > 100
    kl = kl_divergence(p, q)
    assert np.all(kl >= 0)
    assert_allclose(kl, 0, atol=1e-15)


@_property_settings
@given(_weights)
def test_divergence_from_itself_is_zero_and_entropy_is_bounded(x):
    p = _normalise(x)
    assert kl_divergence(p, p) == 0.0
    assert cross_entropy(p, p) == pytest.approx(entropy(p), abs=1e-15)
    assert -1e-15 <= entropy(p) <= np.log(p.size) + 1e-12


@_property_settings
@given(_weights, st.floats(1.01, 100.0) | st.floats(0.01, 0.99))
def test_change_of_base_divides_by_log_base(x, base):
    p = _normalise(x)
    q = np.full(p.size, 1.0 / p.size)
    for function, args in [(entropy, (p,)), (cross_entropy, (p, q))]:
        assert function(*args, base=base) == pytest.approx(
            function(*args) / np.log(base), rel=1e-12, abs=1e-15
        )
    assert kl_divergence(p, q, base=base) == pytest.approx(
        kl_divergence(p, q) / np.log(base), rel=1e-10, abs=1e-15
    )


@_property_settings
@given(_pairs, st.randoms(use_true_random=False))
def test_permuting_outcomes_changes_nothing(pair, random):
    p, q = map(_normalise, pair)
    order = list(range(p.size))
    random.shuffle(order)
    assert entropy(p[order]) == pytest.approx(entropy(p), rel=1e-13, abs=1e-15)
    assert cross_entropy(p[order], q[order]) == pytest.approx(
        cross_entropy(p, q), rel=1e-13, abs=1e-15
    )
    assert kl_divergence(p[order], q[order]) == pytest.approx(
        kl_divergence(p, q), rel=1e-12, abs=1e-15
    )


# -- shapes: axis, broadcasting, return types ------------------------------------


def test_single_vector_gives_a_float_and_batches_give_arrays():
    assert type(entropy([0.5, 0.5])) is float
    assert type(cross_entropy([0.5, 0.5], [0.5, 0.5])) is float
    assert entropy([[0.5, 0.5]]).shape == (1,)
    assert entropy(np.full((2, 3, 4), 0.25)).shape == (2, 3)
    assert entropy(np.zeros((0, 3))).shape == (0,)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3])
def test_axis_selects_the_vectors(axis):
    rng = np.random.default_rng(5)
    p = np.moveaxis(random_distributions(rng, 12, 5).reshape(3, 4, 5), -1, axis)
    q = np.moveaxis(random_distributions(rng, 12, 5, 0).reshape(3, 4, 5), -1, axis)
    ref = np.moveaxis(p, axis, -1).reshape(12, 5), np.moveaxis(q, axis, -1)
    ref_q = ref[1].reshape(12, 5)
    for function, args, ref_args in [
        (entropy, (p,), (ref[0],)),
        (cross_entropy, (p, q), (ref[0], ref_q)),
        (kl_divergence, (p, q), (ref[0], ref_q)),
    ]:
        result = function(*args, axis=axis)
        assert result.shape == (3, 4)
        assert_allclose(result.ravel(), function(*ref_args), rtol=1e-13)


def test_broadcasting_one_reference_against_a_batch():
    rng = np.random.default_rng(6)
    p = random_distributions(rng, 20, 4)
    q = random_distributions(rng, 1, 4, 0)[0]
    assert_allclose(kl_divergence(p, q), [slow_kl_divergence(r, q) for r in p])
    assert_allclose(cross_entropy(q, p), [slow_cross_entropy(q, r) for r in p])


def test_broadcasting_outer_product_of_batches():
    rng = np.random.default_rng(7)
    p = random_distributions(rng, 3, 4)
    q = random_distributions(rng, 5, 4, 0)
    result = cross_entropy(p[:, None, :], q[None, :, :])
    assert result.shape == (3, 5)
    expected = [[slow_cross_entropy(a, b) for b in q] for a in p]
    assert_allclose(result, expected, rtol=1e-12)


def test_broadcasting_along_a_non_last_axis():
    # p of shape (4, 1) broadcast against q of shape (4, 3), vectors on axis 0.
    rng = np.random.default_rng(8)
    p = random_distributions(rng, 1, 4).T
    q = random_distributions(rng, 3, 4, 0).T
    expected = [slow_kl_divergence(p[:, 0], q[:, j]) for j in range(3)]
    assert_allclose(kl_divergence(p, q, axis=0), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "layout, rtol",
    [
        (np.asfortranarray, 1e-13),
        (lambda p: np.repeat(p, 2, axis=1)[:, ::2], 1e-13),
        (lambda p: p.tolist(), 1e-13),
        (lambda p: p.astype(np.float32), 1e-5),
        (lambda p: p.astype(np.longdouble), 1e-13),
    ],
    ids=["fortran", "strided", "list", "float32", "longdouble"],
)
def test_memory_layouts_and_dtypes(layout, rtol):
    rng = np.random.default_rng(9)
    p = random_distributions(rng, 50, 6)
    q = random_distributions(rng, 50, 6, 0)
    assert_allclose(entropy(layout(p)), entropy(p), rtol=rtol)
    assert_allclose(kl_divergence(layout(p), layout(q)), kl_divergence(p, q), rtol=rtol)


def test_integer_and_boolean_input():
    assert entropy([0, 1, 0]) == 0.0
    assert entropy(np.array([True, False])) == 0.0


def test_input_is_not_modified():
    rng = np.random.default_rng(10)
    p = random_distributions(rng, 10, 4)
    q = random_distributions(rng, 10, 4)
    p_copy, q_copy = p.copy(), q.copy()
    entropy(p)
    cross_entropy(p, q)
    kl_divergence(p, q)
    assert_array_equal(p, p_copy)
    assert_array_equal(q, q_copy)


def test_pandas_dataframe_input():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(11)
    p = random_distributions(rng, 10, 3)
    assert_allclose(entropy(pd.DataFrame(p)), entropy(p))


# -- large inputs, processed in blocks --------------------------------------------


def test_million_rows_of_small_vectors(no_warnings):
    rng = np.random.default_rng(12)
    n = 10**6
    p = random_distributions(rng, n, 4, zero_fraction=0.1)
    q = random_distributions(rng, n, 4, zero_fraction=0.0)
    impossible = rng.choice(n, size=100, replace=False)
    q[impossible] = [1.0, 0.0, 0.0, 0.0]
    p[impossible] = [0.25, 0.25, 0.25, 0.25]
    h, ce, kl = entropy(p), cross_entropy(p, q), kl_divergence(p, q)
    assert_allclose(h, scipy.stats.entropy(p, axis=1), rtol=1e-12, atol=1e-15)
    assert_array_equal(np.flatnonzero(np.isinf(ce)), np.sort(impossible))
    assert_array_equal(np.isinf(kl), np.isinf(ce))
    finite = np.isfinite(ce)
    assert_allclose(
        kl[finite], scipy.stats.entropy(p[finite], q[finite], axis=1), atol=1e-13
    )
    assert_allclose(ce[finite], h[finite] + kl[finite], rtol=1e-12)


def test_vectors_longer_than_a_block():
    rng = np.random.default_rng(13)
    k = 3 * skxent._information._BLOCK_SIZE + 7
    p = random_distributions(rng, 3, k)
    q = random_distributions(rng, 3, k, 0)
    assert_allclose(entropy(p), scipy.stats.entropy(p, axis=1), rtol=1e-12)
    assert_allclose(kl_divergence(p, q), scipy.stats.entropy(p, q, axis=1), rtol=1e-10)


# -- invalid input --------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, message",
    [
        ([1.5, -0.5], "has negative entries"),
        ([0.5, np.nan, 0.5], "contains nan or inf"),
        ([np.inf, 0.0], "contains nan or inf"),
        ([0.5, 0.6], "do not sum to 1"),
        ([0.2, 0.2], "do not sum to 1"),
        ([[0.5, 0.5], [0.5, 0.501]], r"has 1 probability vector\(s\).*sums to 1.001"),
    ],
)
def test_invalid_probability_vectors_are_named(bad, message):
    good = np.full(np.shape(bad), 1.0 / np.shape(bad)[-1])
    with pytest.raises(ValueError, match=f"^p .*{message}"):
        entropy(bad)
    for function in [cross_entropy, kl_divergence]:
        with pytest.raises(ValueError, match=f"^p .*{message}"):
            function(bad, good)
        with pytest.raises(ValueError, match=f"^q .*{message}"):
            function(good, bad)


@pytest.mark.parametrize("function", [cross_entropy, kl_divergence])
def test_negative_entries_where_the_other_distribution_is_zero(function):
    # Terms with p_k = 0 count 0, but a negative q_k there is still invalid;
    # and a negative p_k is invalid where q_k = 0.
    with pytest.raises(ValueError, match=r"^q has negative entries"):
        function([0.0, 1.0], [-0.5, 1.5])
    with pytest.raises(ValueError, match=r"^p has negative entries"):
        function([-0.5, 1.5], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^q has negative entries"):
        function(np.full((5, 2), 0.5), [[0.5, 0.5]] * 4 + [[1.5, -0.5]])


def test_zero_dimensional_and_empty_vectors():
    with pytest.raises(ValueError, match=r"^p must have at least one dimension"):
        entropy(np.array(0.5))
    with pytest.raises(ValueError, match=r"^q must have at least one dimension"):
        cross_entropy([1.0], np.array(1.0))
    with pytest.raises(ValueError, match="empty probability vectors"):
        entropy(np.ones((2, 0)))


def test_sums_within_tolerance_are_accepted_not_renormalised():
    p = np.array([0.5, 0.5 + 5e-7])  # sums to 1 + 5e-7 < 1 + 1e-6
    assert entropy(p) == pytest.approx(slow_entropy(p), rel=1e-14)
    with pytest.raises(ValueError, match="do not sum to 1"):
        entropy([0.5, 0.5 + 5e-6])


@pytest.mark.parametrize("function", [cross_entropy, kl_divergence])
def test_shapes_that_do_not_broadcast(function):
    with pytest.raises(ValueError, match=r"p and q must broadcast.*\(2,\).*\(3,\)"):
        function([0.5, 0.5], [1 / 3, 1 / 3, 1 / 3])
    with pytest.raises(ValueError, match="must broadcast"):
        function(np.full((2, 3), 1 / 3), np.full((3, 2), 0.5))


@pytest.mark.parametrize(
    "bad", [["a", "b"], np.array([0.5 + 0j, 0.5]), np.array([None, 1.0])]
)
def test_non_numeric_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match=r"^p must be numeric"):
        entropy(bad)
    with pytest.raises(TypeError, match=r"^q must be numeric"):
        cross_entropy([0.5, 0.5], bad)


def test_ragged_input_is_named():
    with pytest.raises(ValueError, match=r"^q could not be read as an array"):
        kl_divergence([0.5, 0.5], [[1.0], [0.5, 0.5]])


def test_scalar_is_rejected():
    with pytest.raises(ValueError, match="'p' parameter of entropy"):
        entropy(0.5)


@pytest.mark.parametrize("axis", [2, -3])
def test_axis_out_of_bounds(axis):
    with pytest.raises(ValueError, match=f"axis {axis} is out of bounds"):
        kl_divergence(np.full((2, 2), 0.5), np.full((2, 2), 0.5), axis=axis)


@pytest.mark.parametrize("function", [entropy, cross_entropy, kl_divergence])
@pytest.mark.parametrize("base", [1, 1.0, 0, -2, np.inf, np.nan, "2", True])
def test_invalid_base(function, base):
    args = ([0.5, 0.5],) * (1 if function is entropy else 2)
    with pytest.raises(ValueError, match="'base' parameter"):
        function(*args, base=base)


# -- regression tests for 0.1 defects ---------------------------------------------


@pytest.mark.parametrize("function", [cross_entropy, kl_divergence])
def test_negatives_at_the_same_place_in_p_and_q_are_refused(function):
    # 0.1 returned 0.0: the log-ratio of the two negative entries is finite.
    with pytest.raises(ValueError, match="negative"):
        function([-0.5, 1.5], [-0.25, 1.25])


def test_divergence_keeps_its_digits_when_q_over_p_is_near_one():
    # 0.1 returned 0.0 (log(p/q) rounds to 0 before it is multiplied);
    # scipy's rel_entr, through log1p of the relative difference, gets it.
    p = np.array([0.25, 0.75])
    q = np.array([0.25 + 2**-30, 0.75 - 2**-30])
    expected = scipy.special.rel_entr(p, q).sum()
    assert expected > 0
    assert_allclose(kl_divergence(p, q), expected, rtol=1e-10)


def test_divergence_with_a_near_subnormal_entry_is_accurate():
    # 0.1 was 11% off. Both terms are accurate with rel_entr (p / q is
    # representable here); the second, -log(1 - 1e-15), dominates.
    p = np.array([2.22e-308, 1.0])
    q = np.array([1e-15, 1 - 1e-15])
    expected = math.fsum(scipy.special.rel_entr(p, q))
    assert_allclose(kl_divergence(p, q), expected, rtol=1e-12)


def test_infinities_that_cancel_are_a_value_error_without_warnings(no_warnings):
    # inf + -inf is nan: 0.1 warned "invalid value" before the ValueError.
    for function, arguments in [
        (entropy, ([np.inf, -np.inf],)),
        (cross_entropy, ([np.inf, -np.inf], [0.5, 0.5])),
        (kl_divergence, ([0.5, 0.5], [np.inf, -np.inf])),
    ]:
        with pytest.raises(ValueError, match="nan or inf"):
            function(*arguments)
