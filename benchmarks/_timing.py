"""Timing and memory helpers shared by the benchmark scripts.

The scripts run as ``python benchmarks/bench_*.py``, which puts this folder
first on ``sys.path``, so they import this module as ``_timing``.
"""

import time
import tracemalloc

__all__ = ["best_time", "best_times", "peak_memory"]


def best_times(functions, repeats):
    """Shortest wall-clock time of each function over ``repeats`` rounds.

    The functions run in turn within each round, so that a burst of load on
    the machine slows the floor and the implementations alike, and the ratios
    of one run stay meaningful.
    """
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: min(elapsed) for name, elapsed in times.items()}


def best_time(function, repeats):
    """Shortest wall-clock time of ``function`` over ``repeats`` calls."""
    return best_times({"f": function}, repeats)["f"]


def peak_memory(function):
    """Peak memory allocated through Python's allocators while ``function`` runs.

    numpy reports its buffers to tracemalloc, so this includes every array
    the function creates; in bytes.
    """
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
