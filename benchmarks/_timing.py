"""The timing helper the benchmarks share (imported by the ``bench_*.py`` scripts, which
run with this folder first on ``sys.path``; ``run.py`` runs only ``bench_*.py``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], reps: int = 3) -> tuple[float, Any]:
    """The least CPU time of this process (``time.process_time``) over ``reps`` calls of
    ``fn``, and the last call's result: the minimum is the run least disturbed by other
    jobs on a shared machine."""
    best, out = float("inf"), None
    for _ in range(reps):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out
