"""A time limit per article, so no single input (a pathological page, a pattern that backtracks) hangs a run."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class OverTime(BaseException):
    """Raised inside the work that ran too long; a BaseException so no `except Exception` on the way swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the body after it has used seconds of CPU time (SIGPROF; in the main thread only).

    CPU time, not wall time: on a loaded machine a large article waits for the processor
    without using up its allowance, while a pattern that backtracks burns it.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise OverTime

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
