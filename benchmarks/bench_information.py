"""Benchmark skxent's entropy, cross_entropy and kl_divergence.

Inputs are 10**6 probability vectors of length 100 (float64, 800 MB per
array), one vector per row, reduced along ``axis=-1``.

The *floor* is the least work any implementation must do: one logarithm per
entry and one fused multiply-and-sum per row, written into a buffer allocated
beforehand and with no validation and no care for zeros (it returns nan for
0 log 0):

- entropy: ``einsum("ij,ij->i", p, log(p))``;
- cross-entropy: ``einsum("ij,ij->i", p, log(q))``;
- divergence: ``einsum("ij,ij->i", p, log(p / q))`` (one division more).

The *reduction alone*, ``einsum("ij,ij->i", p, log_q)`` on a ``log(q)``
computed in advance, is also timed: it is not reachable by a function that
receives probabilities, since it leaves out the logarithm, which costs more
than the reduction.

The *anchors* are scipy: ``scipy.stats.entropy(p)``, ``scipy.stats.entropy(p, q)``
for the divergence, and ``-scipy.special.xlogy(p, q).sum(axis=1)`` for the
cross-entropy (scipy has no cross-entropy function; this one-liner does not
validate). skxent's times include validation. Each time is the best of a few
rounds (``time.perf_counter``); within a round the functions run in turn, so
that a burst of load on the machine slows all of them alike. The peak memory
allocated during one call (``tracemalloc``, to which numpy reports its
allocations) is given in MB. Run with::

    python benchmarks/bench_information.py

and paste the markdown table into ``benchmarks/README.md``.
"""

import numpy as np
import scipy
import scipy.special
import scipy.stats
from _timing import best_times, peak_memory

import skxent
from skxent import cross_entropy, entropy, kl_divergence

N_VECTORS, N_OUTCOMES = 1_000_000, 100
REPEATS, ANCHOR_REPEATS = 5, 2


def make_data(rng):
    """Two arrays of random probability vectors without zeros."""
    p = rng.random((N_VECTORS, N_OUTCOMES)) + 1e-3
    p /= p.sum(axis=1, keepdims=True)
    q = rng.random((N_VECTORS, N_OUTCOMES)) + 1e-3
    q /= q.sum(axis=1, keepdims=True)
    return p, q


def main():
    p, q = make_data(np.random.default_rng(0))
    buffer = np.empty_like(p)
    log_q = np.log(q)

    def floor_entropy():
        return -np.einsum("ij,ij->i", p, np.log(p, out=buffer))

    def floor_cross_entropy():
        return -np.einsum("ij,ij->i", p, np.log(q, out=buffer))

    def floor_kl_divergence():
        ratio = np.divide(p, q, out=buffer)
        return np.einsum("ij,ij->i", p, np.log(ratio, out=ratio))

    def reduction_alone():
        return -np.einsum("ij,ij->i", p, log_q)

    rows = {
        "entropy": {
            "skxent": lambda: entropy(p),
            "floor": floor_entropy,
            "anchor": lambda: scipy.stats.entropy(p, axis=1),
        },
        "cross_entropy": {
            "skxent": lambda: cross_entropy(p, q),
            "floor": floor_cross_entropy,
            "anchor": lambda: -scipy.special.xlogy(p, q).sum(axis=1),
        },
        "kl_divergence": {
            "skxent": lambda: kl_divergence(p, q),
            "floor": floor_kl_divergence,
            "anchor": lambda: scipy.stats.entropy(p, q, axis=1),
        },
    }

    # The results agree with the anchors before anything is timed.
    for functions in rows.values():
        np.testing.assert_allclose(
            functions["skxent"](), functions["anchor"](), rtol=1e-10, atol=1e-14
        )

    fast = {"reduction alone": reduction_alone}
    for name, functions in rows.items():
        fast[f"{name} skxent"] = functions["skxent"]
        fast[f"{name} floor"] = functions["floor"]
    times = best_times(fast, REPEATS)
    anchors = {name: functions["anchor"] for name, functions in rows.items()}
    anchor_times = best_times(anchors, ANCHOR_REPEATS)

    print(
        f"{N_VECTORS:,} vectors x {N_OUTCOMES} outcomes, float64; numpy "
        f"{np.__version__}, scipy {scipy.__version__}, skxent {skxent.__version__}; "
        f"best of {REPEATS} (scipy: {ANCHOR_REPEATS}).\n"
    )
    print(
        "| function | skxent (s) | floor (s) | skxent / floor | "
        "skxent / reduction alone | scipy (s) | skxent / scipy | "
        "peak memory skxent / scipy (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, functions in rows.items():
        ours, floor = times[f"{name} skxent"], times[f"{name} floor"]
        anchor = anchor_times[name]
        memory = 1e-6 * peak_memory(functions["skxent"])
        anchor_memory = 1e-6 * peak_memory(functions["anchor"])
        print(
            f"| {name} | {ours:.3f} | {floor:.3f} | {ours / floor:.2f} | "
            f"{ours / times['reduction alone']:.2f} | {anchor:.3f} | "
            f"{ours / anchor:.2f} | {memory:.0f} / {anchor_memory:.0f} |"
        )
    print(f"\nreduction alone: {times['reduction alone']:.3f} s")


if __name__ == "__main__":
    main()
