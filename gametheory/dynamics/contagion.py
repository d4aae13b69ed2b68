"""Local contagion: best-response play among neighbours on a ring.

:func:`local_contagion` is Banks' "peer effects": states on a ring best-respond to
their ``2k`` neighbours; a small club of compliers spreads to everyone iff the
tipping belief ``q*`` is at most 1/2 (Morris 2000: the contagion threshold of the
ring), i.e. iff compliance is risk-dominant. The global threshold cascade of a
focal point (everyone watches the population share) is
:func:`gametheory.focal.cascade`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from enforcement_lab.errors import InvalidGameError

__all__ = ["local_contagion"]


def local_contagion(
    q_star: float | npt.ArrayLike,
    *,
    n: int = 200,
    k: int = 2,
    seed_size: int = 5,
    max_rounds: int | None = None,
) -> np.ndarray:
    """Share complying after local best-response play on a ring ("peer effects").

    ``n`` states sit on a ring, each with ``k`` neighbours on either side; a club of
    ``seed_size`` adjacent states complies at the start. Every round, all states
    simultaneously comply iff the share of their ``2k`` neighbours complying is at
    least ``q_star`` (the mixed-equilibrium belief of the 2x2 stag hunt). Banks:
    "small groups of neighbours converge on optimal solutions, and then bargain with
    other neighbours to draw them into that solution, making its justice norms
    'contagious'" (``001_0ff89a4813f73384.txt`` L2465-2472). Vectorised over an array
    of ``q_star`` values.

    Returns
    -------
    ndarray
        Final share complying for each ``q_star`` (after convergence or ``max_rounds``).

    Examples
    --------
    >>> local_contagion([0.25, 0.5, 0.75], n=100, k=2, seed_size=5).tolist()
    [1.0, 1.0, 0.0]
    """
    q = np.atleast_1d(np.asarray(q_star, dtype=float))
    if not np.all(np.isfinite(q)):
        raise InvalidGameError("q_star must be finite")
    if k < 1 or n < 2 * k + 1 or not 0 <= seed_size <= n:
        raise InvalidGameError(
            f"need k >= 1, n >= 2k + 1 and 0 <= seed_size <= n; got n={n}, k={k}, "
            f"seed_size={seed_size}"
        )
    state = np.zeros((q.size, n), dtype=bool)
    state[:, :seed_size] = True
    rounds = n if max_rounds is None else int(max_rounds)
    for _ in range(rounds):
        count = np.zeros(state.shape, dtype=int)
        for shift in range(1, k + 1):
            count += np.roll(state, shift, axis=1)
            count += np.roll(state, -shift, axis=1)
        new = count / (2 * k) >= q[:, None] - 1e-12
        if np.array_equal(new, state):
            break
        state = new
    return state.mean(axis=1)
