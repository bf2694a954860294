"""Blocks of rows small enough to stay in cache, for the dense kernels.

A kernel that makes several passes over each entry (check the support, sum,
score) reads a block from memory once and finds it in cache for the next
pass, instead of streaming the whole array from memory per pass.
"""

__all__ = ["CHUNK_ELEMENTS", "row_chunks"]

#: Entries per block: large enough to amortize the Python loop over blocks,
#: small enough (512 KiB of float64) for a block and a temporary or two to
#: stay in a core's cache between the passes.
CHUNK_ELEMENTS = 1 << 16


def row_chunks(X):
    """Slices of rows of dense 2-D X holding about ``CHUNK_ELEMENTS`` entries."""
    step = max(1, CHUNK_ELEMENTS // max(X.shape[1], 1))
    return (slice(start, start + step) for start in range(0, X.shape[0], step))
