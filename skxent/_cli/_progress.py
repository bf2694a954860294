"""Progress on standard error for steps that turn out to be slow.

A step announces itself only once it has taken a second: quick runs print
nothing but their result, slow ones say what they are doing.
"""

import contextlib
import sys
import threading
import time

__all__ = ["slow_step"]

#: Seconds a step may take before it says what it is doing.
PATIENCE = 1.0


@contextlib.contextmanager
def slow_step(text, stream=None):
    """Print ``skxent: text...`` to stderr if the block lasts over a second."""
    stream = stream or sys.stderr
    start = time.perf_counter()
    announced = threading.Event()

    def announce():
        announced.set()
        print(f"skxent: {text}...", file=stream, flush=True)

    timer = threading.Timer(PATIENCE, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if announced.is_set():
            elapsed = time.perf_counter() - start
            print(f"skxent: {text}: done in {elapsed:.1f} s", file=stream, flush=True)
