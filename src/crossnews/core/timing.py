"""Seconds spent per stage in this process, for the benchmark (``crossnews analyze --timings FILE``).

A stage wraps its work in ``with timed("parse"):``; nested stages count in both. The totals are process-wide and
cost two clock reads per call, so stages time whole batches or documents, never single tokens.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["timed", "timings", "reset_timings"]

_TOTALS: defaultdict[str, float] = defaultdict(float)
_LOCK = threading.Lock()  # a stage may run in a second thread (the technique tagger does)


@contextmanager
def timed(stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        with _LOCK:
            _TOTALS[stage] += spent


def timings() -> dict[str, float]:
    """Seconds per stage so far, rounded to milliseconds."""
    with _LOCK:
        return {stage: round(seconds, 3) for stage, seconds in sorted(_TOTALS.items())}


def reset_timings() -> None:
    _TOTALS.clear()
