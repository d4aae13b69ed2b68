"""Replicator dynamics: trajectories, rest points and basins of attraction.

- :func:`replicator_one_population` and :func:`replicator_two_population` are thin
  wrappers of nashpy's ``replicator_dynamics`` and ``asymmetric_replicator_dynamics``
  (one ``odeint`` trajectory per call); use them for a single trajectory.
- :func:`integrate_replicator` integrates many starting points of an ``m x n``
  two-population replicator system at once (fixed-step RK4 on stacked states).
- :func:`basins_2x2` computes basins of attraction of a 2x2 two-population replicator
  system on a whole grid of initial conditions at once, optionally for many games at
  once (payoff arrays shaped ``(..., 2, 2)``). nashpy has no vectorised integrator, so
  looping it over a 200x200 grid costs 40,000 ``odeint`` calls; see
  ``benchmarks/bench_basins.py`` for the measured ratio and the agreement check.
  In a 2x2 game the replicator equation ``x' = x(1-x) d(y)`` becomes, in log-odds
  ``u = log(x/(1-x))``, the smooth system ``u' = d(y)``: it never sticks to the boundary
  (nashpy issue #123) and convergence to a vertex is read off the sign of ``u``.
- :func:`basins_2x2_exact` classifies the same grid without integrating, for 2x2
  coordination games (``(C,C)`` and ``(D,D)`` both strict equilibria): the
  two-population replicator system ``x' = x(1-x) d(y)``, ``y' = y(1-y) e(x)`` (with
  ``d(y) = a0 + a1 y`` and ``e(x) = b0 + b1 x`` the payoff advantages of complying) is
  separable, so ``H(x, y) = F(x) - G(y)`` with ``F(x) = b0 log x - (b0 + b1) log(1 - x)`` and
  ``G(y) = a0 log y - (a0 + a1) log(1 - y)`` is constant along every trajectory
  (Hofbauer and Sigmund 1998, ch. 10); the separatrix is the branch of the level set
  of ``H`` through the saddle at the mixed equilibrium. It is the closed form the tests
  check :func:`basins_2x2` against.
- :func:`basin_share_curve` gives the compliance basin share as a function of an
  instrument parameter, integrating every game and every starting point together.

Strategy index 0 is *comply* (stag), index 1 is *defect* (hare).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from enforcement_lab.errors import InvalidGameError
from gametheory.dynamics._common import _coefficients_2x2, _payoffs, _payoffs_2x2, _sigmoid

__all__ = [
    "BASIN_LABELS",
    "BasinResult",
    "basin_share_curve",
    "basins_2x2",
    "basins_2x2_exact",
    "integrate_replicator",
    "label_endpoints",
    "replicator_fixed_point_2x2",
    "replicator_one_population",
    "replicator_two_population",
    "symmetric_basin_share",
]

#: Basin labels of a 2x2 two-population system (row action, column action).
BASIN_LABELS: dict[int, str] = {
    0: "(C,C)",
    1: "(C,D)",
    2: "(D,C)",
    3: "(D,D)",
    -1: "undecided",
}

_LOGIT_CAP = 40.0  # |log-odds| beyond which a share is 0 or 1 to double precision
_SETTLED = 6.0  # |log-odds| beyond which a start moving outward has reached its vertex

# ----------------------------------------------------------------------------------------
# nashpy wrappers (single trajectories)
# ----------------------------------------------------------------------------------------


def replicator_one_population(
    A: npt.ArrayLike, x0: npt.ArrayLike, timepoints: npt.ArrayLike | None = None
) -> np.ndarray:
    """One-population replicator dynamics of a symmetric game (nashpy).

    Parameters
    ----------
    A : array_like, shape (m, m)
        Payoff of the row strategy against the column strategy.
    x0 : array_like, shape (m,)
        Initial population shares.
    timepoints : array_like, optional
        Times at which to report the state (nashpy's default ``linspace(0, 10, 1000)``).

    Returns
    -------
    ndarray, shape (len(timepoints), m)

    Examples
    --------
    >>> xs = replicator_one_population([[4, 0], [3, 3]], [0.8, 0.2], np.linspace(0, 30, 50))
    >>> bool(xs[-1, 0] > 0.99)   # above the tipping share 3/4: everyone complies
    True
    """
    import nashpy as nash

    A_arr, _ = _payoffs(A)
    game = nash.Game(A_arr, A_arr.T)
    tp = None if timepoints is None else np.asarray(timepoints, dtype=float)
    return np.asarray(game.replicator_dynamics(y0=np.asarray(x0, dtype=float), timepoints=tp))


def replicator_two_population(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    x0: npt.ArrayLike,
    y0: npt.ArrayLike,
    timepoints: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two-population (asymmetric) replicator dynamics of a bimatrix game (nashpy).

    Returns the row and column population shares over time.

    Examples
    --------
    >>> A = np.array([[4.0, 0.0], [3.0, 3.0]])
    >>> xs, ys = replicator_two_population(A, A.T, [0.2, 0.8], [0.3, 0.7])
    >>> bool(xs[-1, 1] > 0.9 and ys[-1, 1] > 0.9)   # both populations drift to the hare
    True
    """
    import nashpy as nash

    A_arr, B_arr = _payoffs(A, B)
    game = nash.Game(A_arr, B_arr)
    tp = None if timepoints is None else np.asarray(timepoints, dtype=float)
    xs, ys = game.asymmetric_replicator_dynamics(
        x0=np.asarray(x0, dtype=float), y0=np.asarray(y0, dtype=float), timepoints=tp
    )
    return np.asarray(xs), np.asarray(ys)


# ----------------------------------------------------------------------------------------
# vectorised replicator dynamics, general m x n
# ----------------------------------------------------------------------------------------


def _rd_field(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray):
    f1 = np.einsum("...ij,...j->...i", A, y)
    f2 = np.einsum("...i,...ij->...j", x, B)
    dx = x * (f1 - np.sum(f1 * x, axis=-1, keepdims=True))
    dy = y * (f2 - np.sum(f2 * y, axis=-1, keepdims=True))
    return dx, dy


def integrate_replicator(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    x0: npt.ArrayLike,
    y0: npt.ArrayLike,
    *,
    t_max: float = 10.0,
    dt: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Integrate the two-population replicator system from many starting points at once.

    Classical fixed-step RK4 on stacked states, for any ``m x n`` game; the leading axes
    of ``x0``/``y0`` (and of ``A``/``B``) broadcast.

    Parameters
    ----------
    A, B : array_like, shape (..., m, n)
    x0 : array_like, shape (..., m)
        Row-population shares (rows sum to one).
    y0 : array_like, shape (..., n)
    t_max, dt : float
        Horizon and step.

    Returns
    -------
    (ndarray, ndarray)
        The states at ``t_max``.

    Examples
    --------
    >>> A = np.array([[4.0, 0.0], [3.0, 3.0]])
    >>> x, y = integrate_replicator(A, A.T, [[0.9, 0.1], [0.2, 0.8]], [[0.9, 0.1], [0.2, 0.8]],
    ...                             t_max=40)
    >>> np.round(x[:, 0], 3).tolist()
    [1.0, 0.0]
    """
    A_arr, B_arr = _payoffs(A, B)
    x = np.asarray(x0, dtype=float)
    y = np.asarray(y0, dtype=float)
    if x.shape[-1] != A_arr.shape[-2] or y.shape[-1] != A_arr.shape[-1]:
        raise InvalidGameError(
            f"initial states have {x.shape[-1]} and {y.shape[-1]} strategies; "
            f"the game has {A_arr.shape[-2]} x {A_arr.shape[-1]}"
        )
    if dt <= 0 or t_max < 0:
        raise InvalidGameError(f"need dt > 0 and t_max >= 0; got dt={dt}, t_max={t_max}")
    steps = int(np.ceil(t_max / dt))
    h = t_max / steps if steps else 0.0
    for _ in range(steps):
        k1x, k1y = _rd_field(A_arr, B_arr, x, y)
        k2x, k2y = _rd_field(A_arr, B_arr, x + 0.5 * h * k1x, y + 0.5 * h * k1y)
        k3x, k3y = _rd_field(A_arr, B_arr, x + 0.5 * h * k2x, y + 0.5 * h * k2y)
        k4x, k4y = _rd_field(A_arr, B_arr, x + h * k3x, y + h * k3y)
        x = x + h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
        y = y + h / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y)
    return x, y


# ----------------------------------------------------------------------------------------
# 2x2: log-odds coordinates, basins over grids (and over many games)
# ----------------------------------------------------------------------------------------


def _logit(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.clip(np.log(p) - np.log1p(-p), -_LOGIT_CAP, _LOGIT_CAP)


def _integrate_logodds(a0, a1, b0, b1, u, v, t_max: float, dt: float):
    """RK4 on u' = a0 + a1*sigmoid(v), v' = b0 + b1*sigmoid(u) for many points at once.

    All inputs broadcast to one shape. A start has *settled* when both log-odds exceed
    ``_SETTLED`` in absolute value and both keep moving outward (the vertex it sits at
    is attracting), so its label can no longer change; settled starts are dropped from
    the active set, and the loop ends when none is left or at ``t_max``.
    """
    shape = np.broadcast_shapes(*(np.shape(z) for z in (a0, a1, b0, b1, u, v)))
    a0, a1, b0, b1, u, v = (
        np.broadcast_to(z, shape).ravel().astype(float) for z in (a0, a1, b0, b1, u, v)
    )
    out_u, out_v = u.copy(), v.copy()
    idx = np.arange(u.size)
    steps = int(np.ceil(t_max / dt))
    h = t_max / steps if steps else 0.0
    check_every = 10
    for i in range(steps):
        k1u = a0 + a1 * _sigmoid(v)
        k1v = b0 + b1 * _sigmoid(u)
        k2u = a0 + a1 * _sigmoid(v + 0.5 * h * k1v)
        k2v = b0 + b1 * _sigmoid(u + 0.5 * h * k1u)
        k3u = a0 + a1 * _sigmoid(v + 0.5 * h * k2v)
        k3v = b0 + b1 * _sigmoid(u + 0.5 * h * k2u)
        k4u = a0 + a1 * _sigmoid(v + h * k3v)
        k4v = b0 + b1 * _sigmoid(u + h * k3u)
        u = np.clip(u + h / 6.0 * (k1u + 2 * k2u + 2 * k3u + k4u), -_LOGIT_CAP, _LOGIT_CAP)
        v = np.clip(v + h / 6.0 * (k1v + 2 * k2v + 2 * k3v + k4v), -_LOGIT_CAP, _LOGIT_CAP)
        if (i + 1) % check_every == 0:
            done = _settled(a0, a1, b0, b1, u, v)
            if done.any():
                out_u[idx[done]] = u[done]
                out_v[idx[done]] = v[done]
                keep = ~done
                idx, u, v = idx[keep], u[keep], v[keep]
                a0, a1, b0, b1 = a0[keep], a1[keep], b0[keep], b1[keep]
                if idx.size == 0:
                    break
    out_u[idx] = u
    out_v[idx] = v
    return out_u.reshape(shape), out_v.reshape(shape)


def _settled(a0, a1, b0, b1, u, v) -> np.ndarray:
    """Starts whose basin can no longer change.

    ``u' = a0 + a1 * sigmoid(v)`` is linear in ``y = sigmoid(v)``; if ``u`` and ``v`` both
    move outward now *and* would still do so at the vertex they head to, each keeps
    moving monotonically outward forever (the speed stays signed along the way).
    """
    du = a0 + a1 * _sigmoid(v)
    dv = b0 + b1 * _sigmoid(u)
    su, sv = np.sign(u), np.sign(v)
    du_vertex = a0 + a1 * (v > 0)
    dv_vertex = b0 + b1 * (u > 0)
    return (
        (np.abs(u) > _SETTLED)
        & (np.abs(v) > _SETTLED)
        & (su * du > 0)
        & (sv * dv > 0)
        & (su * du_vertex > 0)
        & (sv * dv_vertex > 0)
    )


def label_endpoints(x: npt.ArrayLike, y: npt.ArrayLike, tol: float = 1e-2) -> np.ndarray:
    """Basin label of end states ``x``, ``y`` (shares playing *comply*) of a 2x2 system.

    0 = (C,C), 1 = (C,D), 2 = (D,C), 3 = (D,D), -1 when not within ``tol`` of a vertex
    (see :data:`BASIN_LABELS`).

    Examples
    --------
    >>> label_endpoints([0.999, 0.001, 0.5], [0.998, 0.0, 0.99]).tolist()
    [0, 3, -1]
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    near_x = (x >= 1 - tol) | (x <= tol)
    near_y = (y >= 1 - tol) | (y <= tol)
    lab = 2 * (x < 0.5).astype(int) + (y < 0.5).astype(int)
    return np.where(near_x & near_y, lab, -1)


@dataclass(frozen=True)
class BasinResult:
    """Basins of attraction of a 2x2 two-population replicator system on a grid.

    Attributes
    ----------
    x, y : ndarray, shape (n,)
        Grid of initial shares complying in the row and column populations.
    labels : ndarray, shape (..., n, n)
        ``labels[..., i, j]`` is the basin of the start ``(x[i], y[j])``
        (see :data:`BASIN_LABELS`); leading axes index the games.
    """

    x: np.ndarray
    y: np.ndarray
    labels: np.ndarray

    def share(self, label: int = 0) -> np.ndarray | float:
        """Share of grid cells in basin ``label`` (default: compliance, (C,C))."""
        s = np.mean(self.labels == label, axis=(-2, -1))
        return float(s) if np.ndim(s) == 0 else s

    def shares(self) -> dict[str, np.ndarray | float]:
        """Share of cells in every basin, keyed by :data:`BASIN_LABELS` names."""
        return {name: self.share(k) for k, name in BASIN_LABELS.items()}


def _grid(n: int) -> np.ndarray:
    if n < 2:
        raise InvalidGameError(f"grid size must be at least 2; got {n}")
    return (np.arange(n) + 0.5) / n  # cell centres: never exactly on the boundary


def basins_2x2(
    A: Any,
    B: npt.ArrayLike | None = None,
    *,
    n: int = 200,
    t_max: float = 200.0,
    dt: float | None = None,
) -> BasinResult:
    """Basins of attraction of the two-population replicator dynamics of 2x2 games.

    All ``n x n`` starting points (cell centres of the unit square of shares complying)
    and all games on the leading axes of ``A``/``B`` are integrated at once, in log-odds
    coordinates (see the module docstring).

    Parameters
    ----------
    A : EnforcementGame or array_like, shape (..., 2, 2)
        Row payoffs (or a game with ``.A`` and ``.B``). If ``B`` is omitted and ``A`` is
        an array, the game is symmetric (``B = A.T``).
    B : array_like, shape (..., 2, 2), optional
    n : int
        Grid points per axis.
    t_max : float
        Integration horizon (in units of the payoffs; integration stops early once every
        start has settled on a vertex).
    dt : float, optional
        RK4 step; default ``0.4 / scale`` where ``scale`` is the largest payoff gain.

    Returns
    -------
    BasinResult

    Examples
    --------
    The Banks-Hyde stag hunt (s=4, sucker 0, hare 3). The compliance basin is bounded
    by the stable manifold of the saddle at the mixed equilibrium (3/4, 3/4); it
    contains the square above 3/4 (area 1/16) and reaches below it, since a population
    well above the threshold pulls the other one up.

    >>> res = basins_2x2(np.array([[4.0, 0.0], [3.0, 3.0]]), n=100)
    >>> round(res.share(0), 4), round(res.share(3), 4)
    (0.1611, 0.8389)
    """
    A_arr, B_arr = _payoffs_2x2(A, B)
    a0, a1, b0, b1 = _coefficients_2x2(A_arr, B_arr)
    grid = _grid(n)
    scale = float(np.max(np.abs([a0, a0 + a1, b0, b0 + b1]))) or 1.0
    step = 0.4 / scale if dt is None else float(dt)
    expand = (Ellipsis, None, None)
    u0 = _logit(grid)[:, None] * np.ones((1, n))
    v0 = np.ones((n, 1)) * _logit(grid)[None, :]
    lead = a0.shape
    u = np.broadcast_to(u0, (*lead, n, n)).copy()
    v = np.broadcast_to(v0, (*lead, n, n)).copy()
    u, v = _integrate_logodds(
        a0[expand], a1[expand], b0[expand], b1[expand], u, v, t_max * 1.0, step
    )
    labels = label_endpoints(_sigmoid(u), _sigmoid(v))
    return BasinResult(x=grid, y=grid.copy(), labels=labels)


def basins_2x2_exact(A: Any, B: npt.ArrayLike | None = None, *, n: int = 200) -> BasinResult:
    """Basins of the two-population replicator dynamics of 2x2 coordination games, exactly.

    No integration: the system ``x' = x(1-x) d(y)``, ``y' = y(1-y) e(x)`` has the
    constant of motion ``H = F(x) - G(y)``, ``F(x) = b0 log x - (b0 + b1) log(1 - x)``,
    ``G(y) = a0 log y - (a0 + a1) log(1 - y)`` (``d(y) = a0 + a1 y``,
    ``e(x) = b0 + b1 x``; see the module docstring). ``F`` and ``G`` have their minima at
    the saddle ``(x*, y*) = (-b0/b1, -a0/a1)``; a start with ``x > x*, y > y*`` goes to
    (C,C), one with ``x < x*, y < y*`` to (D,D), and in the two other quadrants the
    stable manifold of the saddle is the level set ``F(x) - F(x*) = G(y) - G(y*)``:
    a start above it (``G(y) - G(y*)`` larger when ``y > y*``, ``F(x) - F(x*)`` larger
    when ``x > x*``) goes to (C,C). Starts exactly on the stable manifold are labelled
    -1 (undecided), as is the saddle itself.

    Parameters
    ----------
    A, B : as in :func:`basins_2x2`
        Every game must be a coordination game for both populations: ``a0 < 0 < a0 + a1``
        and ``b0 < 0 < b0 + b1`` ((C,C) and (D,D) strict equilibria).
    n : int
        Grid points per axis (the same cell centres as :func:`basins_2x2`).

    Returns
    -------
    BasinResult

    Examples
    --------
    The Banks-Hyde stag hunt: the same cells as the integrated :func:`basins_2x2`.

    >>> res = basins_2x2_exact(np.array([[4.0, 0.0], [3.0, 3.0]]), n=100)
    >>> round(res.share(0), 4), round(res.share(3), 4)
    (0.1611, 0.8389)
    """
    A_arr, B_arr = _payoffs_2x2(A, B)
    a0, a1, b0, b1 = _coefficients_2x2(A_arr, B_arr)
    if not np.all((a0 < 0) & (a0 + a1 > 0) & (b0 < 0) & (b0 + b1 > 0)):
        raise InvalidGameError(
            "basins_2x2_exact needs coordination games ((C,C) and (D,D) strict equilibria "
            "for both populations); use basins_2x2 for other games"
        )
    expand = (Ellipsis, None, None)
    a0, a1, b0, b1 = a0[expand], a1[expand], b0[expand], b1[expand]
    grid = _grid(n)
    x, y = grid[:, None], grid[None, :]
    x_star, y_star = -b0 / b1, -a0 / a1

    def potential(z, c0, c1):
        return c0 * np.log(z) - (c0 + c1) * np.log1p(-z)

    dF = potential(x, b0, b1) - potential(x_star, b0, b1)  # >= 0, zero at x*
    dG = potential(y, a0, a1) - potential(y_star, a0, a1)  # >= 0, zero at y*
    sx, sy = np.sign(x - x_star), np.sign(y - y_star)
    # off-diagonal quadrants: the side of the separatrix (positive: above it, to (C,C))
    side = np.where(sx * sy < 0, np.where(sy > 0, dG - dF, dF - dG), 0.0)
    cc = ((sx >= 0) & (sy >= 0) & (sx + sy > 0)) | (side > 0)
    dd = ((sx <= 0) & (sy <= 0) & (sx + sy < 0)) | (side < 0)
    labels = np.where(cc, 0, np.where(dd, 3, -1))
    return BasinResult(x=grid, y=grid.copy(), labels=labels)


def replicator_fixed_point_2x2(A: npt.ArrayLike) -> float:
    """Interior rest point of the one-population replicator dynamics of a symmetric 2x2 game.

    Solves ``(A00 - A10) x + (A01 - A11)(1 - x) = 0`` numerically with ``brentq`` on the
    replicator vector field (not by the closed form), so that tests can compare it with
    the mixed equilibrium. Returns ``nan`` when there is no interior rest point.

    Examples
    --------
    >>> replicator_fixed_point_2x2([[4, 0], [3, 3]])
    0.75
    """
    from scipy.optimize import brentq

    A_arr, _ = _payoffs_2x2(A)

    def field(x: float) -> float:
        pop = np.array([x, 1 - x])
        f = A_arr @ pop
        return x * (f[0] - pop @ f)  # x' of the one-population replicator

    def gain(x: float) -> float:  # field / (x(1-x)): same interior zeros, no boundary zeros
        return field(x) / (x * (1 - x))

    lo, hi = 1e-12, 1 - 1e-12
    if np.sign(gain(lo)) == np.sign(gain(hi)) or gain(lo) == 0:
        return float("nan")
    return round(float(brentq(gain, lo, hi, xtol=1e-14)), 12)


def symmetric_basin_share(A: Any, *, n: int = 2001, t_max: float = 200.0) -> float:
    """Share of initial compliance levels from which one-population replicator dynamics
    reach full compliance (integrated numerically on ``n`` starting shares).

    Examples
    --------
    >>> round(symmetric_basin_share(np.array([[4.0, 0.0], [3.0, 3.0]]), n=1000), 3)
    0.25
    """
    A_arr, _ = _payoffs_2x2(A)
    a0, a1, _, _ = _coefficients_2x2(A_arr, A_arr.swapaxes(-1, -2))
    grid = _grid(n)
    u = _logit(grid)
    # one population: u' = a0 + a1 * sigmoid(u); integrate (u, u) along the diagonal
    scale = float(np.max(np.abs([a0, a0 + a1]))) or 1.0
    uu, _ = _integrate_logodds(a0, a1, a0, a1, u.copy(), u.copy(), t_max, 0.2 / scale)
    return float(np.mean(uu > _SETTLED))


# ----------------------------------------------------------------------------------------
# compliance basin as a function of instrument parameters
# ----------------------------------------------------------------------------------------


def basin_share_curve(
    build: Callable[[float], Any] | Sequence[Any],
    values: Iterable[float] | None = None,
    *,
    n: int = 101,
    t_max: float = 200.0,
) -> np.ndarray:
    """Compliance basin share (two-population replicator) for a family of 2x2 games.

    Parameters
    ----------
    build : callable or sequence
        ``build(value)`` returns a game (EnforcementGame, or a 2x2 row-payoff array of a
        symmetric game, or a pair ``(A, B)``); or a sequence of such games.
    values : iterable of float, optional
        Parameter values passed to ``build`` (when it is callable).
    n : int
        Grid points per axis of initial conditions.

    Returns
    -------
    ndarray
        Share of starting points that end in (C,C), one per game. Every game and every
        starting point is integrated in one vectorised call.

    Examples
    --------
    A sanction ``f`` added to the comply row of the Banks-Hyde stag hunt:

    >>> def game(f):
    ...     return np.array([[4.0 + f, 0.0 + f], [3.0, 3.0]])
    >>> np.round(basin_share_curve(game, [0.0, 0.5, 3.5], n=100), 3).tolist()
    [0.161, 0.32, 1.0]
    """
    games = [build(v) for v in values] if callable(build) else list(build)
    if values is not None and not callable(build):
        raise InvalidGameError("values are only used when build is callable")
    if not games:
        raise InvalidGameError("no games to evaluate")
    As, Bs = [], []
    for g in games:
        if isinstance(g, tuple) and len(g) == 2:
            A_g, B_g = _payoffs_2x2(g[0], g[1])
        else:
            A_g, B_g = _payoffs_2x2(g)
        As.append(A_g)
        Bs.append(B_g)
    res = basins_2x2(np.stack(As), np.stack(Bs), n=n, t_max=t_max)
    return np.asarray(res.share(0), dtype=float)
