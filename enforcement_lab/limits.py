"""Refuse requests that would exhaust the machine before allocating anything.

A sweep grid, a multiverse, placebo permutations and bootstrap replications all grow
multiplicatively with their options, and Python does not fail gracefully when memory
runs out (the kernel kills the process, or the machine swaps for minutes). Each command
therefore estimates the memory a request needs from its sizes alone and calls
:func:`check_memory` first, which refuses anything above a limit derived from the
machine's memory with a message giving the estimate and the option that raises the
limit.
"""

from __future__ import annotations

import os

from enforcement_lab.errors import EnforcementLabError

__all__ = ["ResourceLimitError", "check_memory", "format_bytes", "machine_memory", "memory_limit"]

#: Share of the machine's physical memory a single request may use by default.
DEFAULT_SHARE = 0.5
#: Assumed physical memory where the platform does not say (bytes).
FALLBACK_MEMORY = 8 * 2**30


class ResourceLimitError(EnforcementLabError, ValueError):
    """A request would need more memory than the limit allows."""


def machine_memory() -> int:
    """Physical memory of this machine in bytes (``sysconf``; 8 GiB where unknown)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - Windows
        return FALLBACK_MEMORY


def memory_limit(gigabytes: float | None = None) -> int:
    """The limit in bytes: ``gigabytes`` if given, else half the machine's memory."""
    if gigabytes is not None:
        if not gigabytes > 0:
            raise EnforcementLabError(f"--memory-limit must be positive, got {gigabytes}")
        return int(gigabytes * 2**30)
    return int(machine_memory() * DEFAULT_SHARE)


def format_bytes(n: float) -> str:
    """``1536`` -> ``'1.5 KiB'``.

    >>> format_bytes(3 * 2**30)
    '3.0 GiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"  # pragma: no cover


def check_memory(what: str, estimate: float, limit: int, raise_with: str) -> None:
    """Raise :class:`ResourceLimitError` if ``estimate`` bytes exceed ``limit``.

    Parameters
    ----------
    what : str
        The request, as the user wrote it (``"a 100000 x 100000 grid"``).
    estimate : float
        Bytes the request would allocate.
    limit : int
        Bytes allowed (:func:`memory_limit`).
    raise_with : str
        What the user can do instead (the option that raises the limit, or the one
        that shrinks the request).
    """
    if estimate > limit:
        raise ResourceLimitError(
            f"{what} needs about {format_bytes(estimate)} of memory, above the limit of "
            f"{format_bytes(limit)} (half of this machine's memory unless set); {raise_with}"
        )
