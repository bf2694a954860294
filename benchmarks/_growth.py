"""Sweeps of cost against size, shared by the benchmark scripts' ``--sweep``.

A sweep runs a family's implementations (skxent, its anchors and its floors)
on data of growing size. At each size every implementation first runs once
under ``tracemalloc`` for its peak memory, which also warms it up; then they
take turns, as in :func:`_timing.best_times`, so that a burst of load on a
shared machine slows them alike and the ratios of one size stay meaningful.
Each takes as many turns as fit in a small time budget (3 to 15), so the
floor of a slow fit is still timed many times. The load average is recorded
at every size.

The results are written as JSON into ``benchmarks/results/<family>.json``,
which ``plot_growth.py`` draws. A result file holds one or more sweeps, each
with the parameter swept, the implementations' roles ("skxent", "anchor",
"floor"), the panels to draw, the targets to check, and one point per size::

    {"value": 100000, "n_samples": 100000, "load": 2.1,
     "rounds": {"skxent": 7, ...}, "seconds": {"skxent": 0.012, ...},
     "peak_bytes": {"skxent": 800, ...}}
"""

import contextlib
import datetime
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import scipy
import sklearn
from _timing import peak_memory
from threadpoolctl import threadpool_info, threadpool_limits

__all__ = [
    "Sweep",
    "blas_limit",
    "blas_note",
    "interleaved_best_times",
    "load_note",
    "short",
    "target_lines",
    "write_results",
]

RESULTS = Path(__file__).resolve().parent / "results"

#: Seconds of timed runs per implementation and size, after the traced run:
#: many runs where one takes milliseconds (the best of 15 tames the noise of a
#: busy machine), three where it takes seconds.
BUDGET_SECONDS = 0.5
FEWEST_ROUNDS, MOST_ROUNDS = 3, 15


def load_note():
    """The load averages over 1, 5 and 15 minutes and the number of cores."""
    one, five, fifteen = os.getloadavg()
    return (
        f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} (1, 5, 15 min) "
        f"on {os.cpu_count()} cores"
    )


def blas_limit(threads):
    """Limit every BLAS to ``threads`` threads; ``None`` leaves them alone.

    On a machine whose cores other jobs keep busy, a BLAS call split over
    two threads waits for the slower one to be scheduled, which can make a
    Gram matrix ten times slower at random; one thread is steadier there.
    """
    if threads is None:
        return contextlib.nullcontext()
    return threadpool_limits(threads, user_api="blas")


def blas_note():
    """Which BLAS libraries are loaded, with how many threads each."""
    return ", ".join(
        f"{info['internal_api']} {info['num_threads']} threads "
        f"({Path(info['filepath']).parent.name})"
        for info in threadpool_info()
        if info["user_api"] == "blas"
    )


def environment():
    """Versions and machine, recorded with every result file."""
    import skxent

    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "skxent": skxent.__version__,
        "cpu_count": os.cpu_count(),
        "blas": blas_note(),
    }


class Sweep:
    """The points of one sweep, measured one size at a time.

    Parameters
    ----------
    name : str
        Short name of the sweep, e.g. ``"n"`` or ``"d"``.
    parameter : str
        The parameter swept, as the x-axis label, e.g. ``"n_samples"``.
    fixed : dict
        The parameters held fixed, e.g. ``{"n_features": 50}``.
    roles : dict
        ``{implementation: "skxent" | "anchor" | "floor"}``.
    panels : list of (str, list of str)
        The panels to draw: a title and the implementations it shows.
    targets : list of (str, str, float)
        ``(implementation, floor, largest ratio)`` pairs to check.
    caps : dict, default=None
        ``{implementation: (largest value, reason)}``: where an implementation
        stops, and why (memory or time on the benchmark machine).
    """

    def __init__(self, name, parameter, fixed, roles, panels, targets, caps=None):
        self.name = name
        self.parameter = parameter
        self.fixed = fixed
        self.roles = roles
        self.panels = panels
        self.targets = targets
        self.caps = caps or {}
        self.points = []

    def runs(self, name, value):
        """Whether implementation ``name`` runs at this value of the parameter."""
        return name not in self.caps or value <= self.caps[name][0]

    def measure(self, value, n_samples, functions, derived=None, notes=None):
        """Peak memory and best time of each function at one size.

        ``derived``, a function of the measured ``{name: seconds}``, returns
        more series (e.g. a per-evaluation floor times an iteration count);
        ``notes``, a function of nothing called after the runs, returns what
        else to record (e.g. the iteration counts).
        """
        functions = {
            name: function
            for name, function in functions.items()
            if self.runs(name, value)
        }
        load = os.getloadavg()[0]
        peaks, rounds = {}, {}
        for name, function in functions.items():
            start = time.perf_counter()
            peaks[name] = peak_memory(function)
            traced = time.perf_counter() - start
            rounds[name] = int(
                np.clip(BUDGET_SECONDS // traced, FEWEST_ROUNDS, MOST_ROUNDS)
            )
        seconds = interleaved_best_times(functions, rounds)
        if derived is not None:
            seconds.update(derived(seconds))
        point = {
            "value": value,
            "n_samples": n_samples,
            "load": round(max(load, os.getloadavg()[0]), 2),
            "rounds": rounds,
            "seconds": seconds,
            "peak_bytes": peaks,
        }
        if notes is not None:
            point["notes"] = notes()
        self.points.append(point)
        print(_point_line(self, point), flush=True)
        return point

    def as_dict(self):
        return {
            "name": self.name,
            "parameter": self.parameter,
            "fixed": self.fixed,
            "roles": self.roles,
            "panels": [{"title": t, "series": s} for t, s in self.panels],
            "targets": [
                {"implementation": i, "floor": f, "target": t}
                for i, f, t in self.targets
            ],
            "caps": {
                name: {"largest": value, "reason": reason}
                for name, (value, reason) in self.caps.items()
            },
            "points": self.points,
        }


def interleaved_best_times(functions, rounds):
    """Shortest wall-clock time of each function, each over its own rounds.

    As :func:`_timing.best_times`, the functions take turns within a round;
    a function leaves the turns after ``rounds[name]`` rounds, so that a fit
    of seconds runs once while the floor beside it runs fifteen times.
    """
    times = {name: np.inf for name in functions}
    for turn in range(max(rounds.values(), default=0)):
        for name, function in functions.items():
            if turn < rounds[name]:
                start = time.perf_counter()
                function()
                times[name] = min(times[name], time.perf_counter() - start)
    return times


def _point_line(sweep, point):
    """One line of progress: size, load, then each time and peak memory."""
    cells = ", ".join(
        f"{name} {1e3 * seconds:.3g} ms"
        + (
            f" / {point['peak_bytes'][name] / 2**20:.3g} MiB"
            if name in point["peak_bytes"]
            else ""
        )
        for name, seconds in point["seconds"].items()
    )
    notes = f"; {point['notes']}" if "notes" in point else ""
    return (
        f"[{sweep.name}] {sweep.parameter}={point['value']:,} "
        f"(load {point['load']:.1f}): {cells}{notes}"
    )


def write_results(family, description, sweeps):
    """Write the sweeps of one family to ``benchmarks/results/<family>.json``."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{family}.json"
    payload = {
        "family": family,
        "description": description,
        "environment": environment(),
        "load_at_end": os.getloadavg(),
        "sweeps": [sweep.as_dict() for sweep in sweeps],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {path}")
    return path


def target_lines(sweep):
    """Markdown rows of each target's measured ratio at every size.

    ``sweep`` is a sweep as written to JSON (:meth:`Sweep.as_dict`).
    """
    lines = []
    for target in sweep["targets"]:
        implementation, floor = target["implementation"], target["floor"]
        ratios = ", ".join(
            f"{short(point['value'])}: {ratio:.2f}"
            for point in sweep["points"]
            if (ratio := _ratio(point, implementation, floor)) is not None
        )
        lines.append(
            f"| {implementation} / {floor} | ≤ {target['target']:g} | {ratios} |"
        )
    return lines


def _ratio(point, implementation, floor):
    seconds = point["seconds"]
    if implementation in seconds and floor in seconds:
        return seconds[implementation] / seconds[floor]
    return None


def short(value):
    """``1e+05`` as ``1e5``, ``30000`` as ``3e4``; values below 1000 unchanged."""
    if value < 1000:
        return f"{value:g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"
