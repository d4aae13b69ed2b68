"""Worker processes that do not outlive the run that started them.

A process pool's workers are ordinary processes: if the parent is killed with
``SIGKILL`` they keep running their chunk (minutes, holding the terminal's stdout open).
:func:`die_with_parent`, called in each worker's initializer, ties a worker's life to
its parent's: on Linux through ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` (the kernel kills
the worker when the parent thread exits), elsewhere through a daemon thread that polls
the parent's PID.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

__all__ = ["die_with_parent"]

#: ``PR_SET_PDEATHSIG`` from ``<linux/prctl.h>``.
PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, poll_seconds: float = 1.0) -> None:
    """Make this process exit when the process ``parent_pid`` is gone.

    Parameters
    ----------
    parent_pid : int
        The PID of the run that started this worker (read in that process before the
        pool starts and passed through the initializer's arguments). With the ``fork``
        start method it is the worker's parent; with ``forkserver`` or ``spawn`` the
        immediate parent is a helper process, so both are watched.
    poll_seconds : float
        How often the watching thread checks that ``parent_pid`` is alive.
    """
    immediate = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no usable libc
            pass

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # pragma: no cover - exists, owned by someone else
            return True
        return True

    if not alive(parent_pid) or os.getppid() != immediate:  # died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != immediate or not alive(parent_pid):
                os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
