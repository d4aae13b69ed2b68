"""The ILO standard as a focal point: correlated equilibrium and the tipping share.

Menashe argues that ILO standards shape "mutual expectations—what they expect from
others and what they believe others expect from them" (``000_cdb709224d31b41b.txt``
L62, L74), that the regime "can only work when countries assume that others are
actually complying with the set of norms upon which they collectively agreed" (L104),
and that authoritative texts act as "an authoritative focal point around which the
expectations ... could converge" (L288); Banks suggests "mutually acceptable
international rules as co-ordination points" (``001_0ff89a4813f73384.txt`` L2474-2481).
Two formal readings (``docs/models_000_menashe.md`` M3, M6):

- **Correlating device.** A public recommendation (the ILO benchmark) is a correlating
  device; :func:`correlated_equilibrium` finds, by linear programming
  (``scipy.optimize.linprog``, HiGHS), the correlated equilibrium of a 2x2 game that
  maximises an objective (welfare, or the probability of joint compliance), and
  :func:`compliance_range` the least and most joint compliance any correlated
  equilibrium allows.
- **Tipping share.** If a share ``phi`` of states believe the benchmark and comply,
  the others comply once the expected share complying passes their threshold.
  :func:`tipping_share` is the smallest ``phi`` that tips the whole population:
  ``sup_x (x - F(x)) / (1 - F(x))`` for thresholds distributed as ``F`` (Granovetter
  1978), which equals the mixed-equilibrium threshold ``q*`` when every state has the
  same threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from enforcement_lab.errors import InvalidGameError

__all__ = [
    "cascade",
    "compliance_range",
    "correlated_equilibrium",
    "is_correlated_equilibrium",
    "tipping_share",
]


def _arrays(game: Any, B: npt.ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    if B is None and hasattr(game, "A") and hasattr(game, "B"):
        A, B = game.A, game.B
    elif B is None:
        A = np.asarray(game, dtype=float)
        B = A.T
    else:
        A = game
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.shape != B.shape or A.ndim != 2:
        raise InvalidGameError(f"need two payoff matrices of equal shape; got {A.shape}, {B.shape}")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise InvalidGameError("payoffs must be finite numbers")
    return A, B


def _obedience(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Rows ``g`` with ``g @ vec(p) <= 0`` for every obedience constraint of a CE."""
    m, n = A.shape
    rows = []
    for i in range(m):  # row player told i must not prefer k
        for k in range(m):
            if k == i:
                continue
            g = np.zeros((m, n))
            g[i, :] = A[k, :] - A[i, :]
            rows.append(g.ravel())
    for j in range(n):  # column player told j must not prefer k
        for k in range(n):
            if k == j:
                continue
            g = np.zeros((m, n))
            g[:, j] = B[:, k] - B[:, j]
            rows.append(g.ravel())
    return np.array(rows)


def correlated_equilibrium(
    game: Any,
    B: npt.ArrayLike | None = None,
    *,
    objective: str | npt.ArrayLike = "welfare",
    maximize: bool = True,
) -> np.ndarray:
    """A correlated equilibrium that optimises ``objective``, by linear programming.

    Parameters
    ----------
    game : EnforcementGame or array_like (m, n)
        Row payoffs (or a game with ``.A``, ``.B``); symmetric if ``B`` is omitted.
    objective : {"welfare", "compliance"} or array_like (m, n)
        ``"welfare"`` - sum of both payoffs; ``"compliance"`` - probability of (C,C)
        (profile (0, 0)); or weights on the profiles.
    maximize : bool

    Returns
    -------
    ndarray (m, n)
        Probabilities of the action profiles recommended by the device.

    Examples
    --------
    In the stag hunt the best device recommends joint compliance, and the worst
    recommends joint defection:

    >>> np.round(correlated_equilibrium([[4, 0], [3, 3]]), 6).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    >>> np.round(correlated_equilibrium([[4, 0], [3, 3]], objective="compliance",
    ...                                 maximize=False), 6).tolist()
    [[0.0, 0.0], [0.0, 1.0]]
    """
    from scipy.optimize import linprog

    A, B_ = _arrays(game, B)
    m, n = A.shape
    if isinstance(objective, str):
        if objective == "welfare":
            c = (A + B_).ravel()
        elif objective == "compliance":
            c = np.zeros(m * n)
            c[0] = 1.0
        else:
            raise InvalidGameError(
                f"unknown objective {objective!r}; use 'welfare', 'compliance' or weights"
            )
    else:
        c = np.asarray(objective, dtype=float).ravel()
        if c.size != m * n:
            raise InvalidGameError(f"objective weights must have {m * n} entries")
    res = linprog(
        -c if maximize else c,
        A_ub=_obedience(A, B_),
        b_ub=np.zeros(m * (m - 1) + n * (n - 1)),
        A_eq=np.ones((1, m * n)),
        b_eq=[1.0],
        bounds=[(0, None)] * (m * n),
        method="highs",
    )
    if not res.success:  # pragma: no cover - a CE always exists
        raise InvalidGameError(f"linear program failed: {res.message}")
    return np.clip(res.x, 0.0, None).reshape(m, n)


def is_correlated_equilibrium(
    p: npt.ArrayLike, game: Any, B: npt.ArrayLike | None = None, tol: float = 1e-9
) -> bool:
    """Whether the distribution ``p`` over profiles satisfies every obedience constraint.

    Examples
    --------
    >>> is_correlated_equilibrium([[0.5, 0], [0, 0.5]], [[4, 0], [3, 3]])   # public coin
    True
    >>> is_correlated_equilibrium([[0, 0.5], [0.5, 0]], [[4, 0], [3, 3]])
    False
    """
    A, B_ = _arrays(game, B)
    p = np.asarray(p, dtype=float)
    if p.shape != A.shape or np.any(p < -tol) or abs(p.sum() - 1) > 1e-8:
        return False
    return bool(np.all(_obedience(A, B_) @ p.ravel() <= tol))


def compliance_range(game: Any, B: npt.ArrayLike | None = None) -> tuple[float, float]:
    """Least and greatest probability of joint compliance over all correlated equilibria.

    Examples
    --------
    >>> compliance_range([[4, 0], [3, 3]])
    (0.0, 1.0)
    """
    lo = correlated_equilibrium(game, B, objective="compliance", maximize=False)[0, 0]
    hi = correlated_equilibrium(game, B, objective="compliance", maximize=True)[0, 0]
    return round(float(lo), 12), round(float(hi), 12)


def tipping_share(
    thresholds: float | Callable[[np.ndarray], np.ndarray],
    *,
    target: float = 1.0,
    grid: int = 100_001,
) -> float:
    """Smallest share of benchmark believers that tips every state into compliance.

    Believers comply; any other state complies once the share complying reaches its own
    threshold (its mixed-equilibrium belief ``q*``). With threshold distribution ``F``
    the share complying from believers ``phi`` evolves as
    ``x <- phi + (1 - phi) F(x)`` (Granovetter 1978; Young's positive feedback,
    ``000_cdb709224d31b41b.txt`` L488); the cascade from ``x = phi`` reaches ``target``
    iff ``phi > sup_{x<target} (x - F(x)) / (1 - F(x))`` (no rest point in between).
    States with thresholds above 1 never comply, so full compliance (``target=1``) then
    needs ``phi`` close to 1.

    Parameters
    ----------
    thresholds : float or callable
        A common threshold ``q*`` (then the answer is ``q*``), or a vectorised CDF ``F``.
    target : float
        Share complying that counts as tipped (full compliance by default).

    Examples
    --------
    >>> tipping_share(0.75)
    0.75
    >>> from scipy.stats import beta
    >>> round(tipping_share(beta(7.5, 2.5).cdf), 3)   # heterogeneous thresholds, mean 0.75
    0.558
    """
    if not callable(thresholds):
        q = float(thresholds)
        if not np.isfinite(q):
            raise InvalidGameError(f"threshold must be finite; got {thresholds}")
        return float(np.clip(q, 0.0, 1.0))
    if not 0 < target <= 1:
        raise InvalidGameError(f"target must be in (0, 1]; got {target}")
    x = np.linspace(0.0, target, grid)[:-1]
    F = np.asarray(thresholds(x), dtype=float)
    if np.any((F < 0) | (F > 1)) or np.any(np.diff(F) < -1e-12):
        raise InvalidGameError("thresholds must be a non-decreasing CDF with values in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(F < 1, (x - F) / (1 - F), -np.inf)
    return float(np.clip(np.max(ratio), 0.0, 1.0))


def cascade(
    phi: float,
    thresholds: float | Callable[[np.ndarray], np.ndarray],
    *,
    iterations: int = 10_000,
) -> float:
    """Long-run share complying when a share ``phi`` follows the benchmark.

    Iterates ``x <- phi + (1 - phi) F(x)`` from ``x = phi`` (best-response cascade).

    Examples
    --------
    >>> cascade(0.7, 0.75), cascade(0.8, 0.75)
    (0.7, 1.0)
    """
    if not 0 <= phi <= 1:
        raise InvalidGameError(f"phi must be in [0, 1]; got {phi}")
    if callable(thresholds):
        F = thresholds
    else:
        q = float(thresholds)

        def F(x):
            return (np.asarray(x) >= q).astype(float)

    x = float(phi)
    for _ in range(iterations):
        new = float(phi + (1 - phi) * float(F(np.array(x))))
        if abs(new - x) < 1e-13:
            break
        x = new
    return round(x, 12)
