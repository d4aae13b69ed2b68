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
    "SymmetricBasinShare",
    "basin_share_curve",
    "basins_2x2",
    "basins_2x2_exact",
    "integrate_replicator",
    "label_endpoints",
    "replicator_fixed_point_2x2",
    "replicator_limits_2x2",
    "replicator_one_population",
    "replicator_two_population",
    "symmetric_basin_share",
]

#: Basin labels of a 2x2 two-population system: the vertex a start goes to (row action,
#: column action), a rest point that is not a vertex, a closed cycle, or undecided.
BASIN_LABELS: dict[int, str] = {
    0: "(C,C)",
    1: "(C,D)",
    2: "(D,C)",
    3: "(D,D)",
    4: "rest point",
    5: "cycle",
    -1: "undecided",
}

_LOGIT_CAP = 40.0  # |log-odds| beyond which a share is 0 or 1 to double precision
_SETTLED = 6.0  # |log-odds| beyond which a start moving outward has reached its vertex
_NO_CRITERION = -2  # internal label: no exact criterion applies, integrate
_LONGEST = 20_000.0  # longest default horizon, in units of the game's own time scale

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

    @property
    def undecided(self) -> np.ndarray | int:
        """Number of grid cells whose limit was not decided (label -1), per game."""
        c = np.sum(self.labels == -1, axis=(-2, -1))
        return int(c) if np.ndim(c) == 0 else c


def _grid(n: int) -> np.ndarray:
    if n < 2:
        raise InvalidGameError(f"grid size must be at least 2; got {n}")
    return (np.arange(n) + 0.5) / n  # cell centres: never exactly on the boundary


def _normalised_coefficients(A: np.ndarray, B: np.ndarray):
    """Advantages of complying at the edges, ``d(0), d(1), e(0), e(1)``, divided by their
    largest absolute value (per game).

    The replicator field of a 2x2 game depends on the payoffs only through
    ``d(y) = d0 + (d1 - d0) y`` and ``e(x) = e0 + (e1 - e0) x``. Adding a constant to a
    player's payoffs leaves them unchanged and multiplying every payoff by ``c > 0``
    multiplies them by ``c``, which only rescales time; dividing by the largest one
    therefore makes every result below invariant to a positive affine change of the
    payoffs' units (up to the rounding of the rescaled payoffs themselves).
    """
    a0, a1, b0, b1 = _coefficients_2x2(A, B)
    d0, d1, e0, e1 = a0, a0 + a1, b0, b0 + b1
    scale = np.max(np.abs(np.stack([d0, d1, e0, e1])), axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return d0 / scale, d1 / scale, e0 / scale, e1 / scale


def _vertex_label(x_high, y_high):
    """Label of the vertex ``(1 if x_high else 0, 1 if y_high else 0)``."""
    return 2 * (~x_high).astype(int) + (~y_high).astype(int)


#: Relative width of the band within which two computed quantities count as equal:
#: a start that close to a rest point's coordinate or to a separatrix is within the
#: rounding of the payoffs (and of their rescaling), so its side cannot be told.
_ROUNDING = 64 * np.finfo(float).eps


def _side(a, b):
    """Sign of ``a - b``, 0 when they are equal within :data:`_ROUNDING`."""
    diff = a - b
    return np.where(np.abs(diff) <= _ROUNDING * np.maximum(np.abs(a), np.abs(b)), 0, np.sign(diff))


def _coordination_labels(d0, d1, e0, e1, x, y) -> np.ndarray:
    """0 = (C,C), 3 = (D,D), 4 = the saddle itself, -1 = on the stable manifold of the
    saddle within rounding, for a game with ``d0 < 0 < d1`` and ``e0 < 0 < e1``
    (entries of other games are meaningless).

    ``H = F(x) - G(y)`` with ``F(x) = e0 log x - e1 log(1 - x)`` and
    ``G(y) = d0 log y - d1 log(1 - y)`` is constant along trajectories; ``F`` and ``G``
    have their minima at the saddle ``(x*, y*)``. A start with ``x >= x*, y >= y*``
    (not both equal) goes to (C,C), one with ``x <= x*, y <= y*`` to (D,D); in the two
    other quadrants the stable manifold of the saddle is the level set
    ``F(x) - F(x*) = G(y) - G(y*)``, and a start above it goes to (C,C). A start on
    that level set goes to the saddle, but a floating-point start is never known to
    lie exactly on it (``(0.325, 0.975)`` does in the Banks-Hyde game), so starts within
    rounding of it are reported undecided.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        x_star = e0 / (e0 - e1)
        y_star = d0 / (d0 - d1)

        def potential(z, c0, c1):
            return c0 * np.log(z) - c1 * np.log1p(-z)

        Fx, Fs = potential(x, e0, e1), potential(x_star, e0, e1)
        Gy, Gs = potential(y, d0, d1), potential(y_star, d0, d1)
    sx, sy = _side(x, x_star), _side(y, y_star)
    # off-diagonal quadrants: the side of the separatrix (positive: above it, to (C,C))
    above = _side(Gy + Fs, Fx + Gs)  # sign of (G(y) - G(y*)) - (F(x) - F(x*))
    side = np.where(sx * sy < 0, np.where(sy > 0, above, -above), 0)
    cc = ((sx >= 0) & (sy >= 0) & (sx + sy > 0)) | (side > 0)
    dd = ((sx <= 0) & (sy <= 0) & (sx + sy < 0)) | (side < 0)
    saddle = (sx == 0) & (sy == 0)
    return np.where(cc, 0, np.where(dd, 3, np.where(saddle, 4, -1)))


def _exact_labels(d0, d1, e0, e1, x, y) -> np.ndarray:
    """Limit of every interior start ``(x, y)`` from the payoff signs alone;
    ``_NO_CRITERION`` where no exact criterion applies (ties at an edge without strict
    dominance).

    * A player with a strictly dominant strategy (``d0``, ``d1`` of one strict sign)
      converges to it; the other then converges to its strict best reply to that
      vertex, or, if it is indifferent there, to a rest point on that edge (label 4:
      its advantage vanishes exponentially fast, so its share stops moving).
    * Both advantages change sign inside the square: the mixed equilibrium
      ``(x*, y*)`` is a saddle when both populations coordinate (``d1 > d0`` and
      ``e1 > e0``; the first integral of :func:`_coordination_labels` separates (C,C)
      from (D,D)) or both anti-coordinate (relabelling the column's strategies turns
      it into the coordination case and the basins into (C,D) and (D,C)), and a
      centre otherwise: then ``H`` has a strict extremum at ``(x*, y*)`` and every
      other orbit is a closed cycle around it (label 5; Hofbauer and Sigmund 1998,
      ch. 10). The rest point itself gets 4; a start within rounding of the stable
      manifold of a saddle gets -1 (see :func:`_coordination_labels`).
    """
    shape = np.broadcast_shapes(*(np.shape(z) for z in (d0, d1, e0, e1, x, y)))
    d0, d1, e0, e1, x, y = (np.broadcast_to(z, shape) for z in (d0, d1, e0, e1, x, y))
    labels = np.full(shape, _NO_CRITERION, dtype=int)

    row_dom = np.sign(d0) * np.sign(d1) > 0
    col_dom = np.sign(e0) * np.sign(e1) > 0
    # the row population goes to X = (d > 0); the column replies to e(X)
    X = d0 > 0
    eX = np.where(X, e1, e0)
    lab_row = np.where(eX == 0, 4, _vertex_label(X, eX > 0))
    Y = e0 > 0
    dY = np.where(Y, d1, d0)
    lab_col = np.where(dY == 0, 4, _vertex_label(dY > 0, Y))
    labels = np.where(row_dom, lab_row, np.where(col_dom, lab_col, labels))

    interior = (np.sign(d0) * np.sign(d1) < 0) & (np.sign(e0) * np.sign(e1) < 0)
    coord_row, coord_col = d1 > d0, e1 > e0
    saddle = interior & (coord_row == coord_col)
    centre = interior & (coord_row != coord_col)
    # anti-coordination: relabel the column's strategies (y -> 1 - y)
    flip = saddle & ~coord_row
    cd0, cd1 = np.where(flip, d1, d0), np.where(flip, d0, d1)
    ce0, ce1 = np.where(flip, -e0, e0), np.where(flip, -e1, e1)
    cy = np.where(flip, 1.0 - y, y)
    lab = _coordination_labels(cd0, cd1, ce0, ce1, x, cy)
    lab = np.where(flip & (lab == 0), 1, np.where(flip & (lab == 3), 2, lab))
    labels = np.where(saddle, lab, labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        at_rest = (_side(x, e0 / (e0 - e1)) == 0) & (_side(y, d0 / (d0 - d1)) == 0)
    labels = np.where(centre, np.where(at_rest, 4, 5), labels)
    return labels


def replicator_limits_2x2(
    A: Any,
    B: npt.ArrayLike | None,
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    method: str = "auto",
    t_max: float | None = None,
    dt: float = 0.4,
) -> np.ndarray:
    """Where the two-population replicator dynamics of 2x2 games go from interior starts.

    Returns, for every start ``(x, y)`` (shares complying in the row and column
    populations, strictly between 0 and 1), the label of its limit
    (:data:`BASIN_LABELS`): a vertex (0-3), a rest point that is not a vertex (4), a
    closed cycle (5), or -1 when that could not be decided.

    With ``method="auto"`` a start is classified exactly wherever the payoff signs
    decide it (every game without ties, and every game in which one player has a
    strictly dominant strategy; see :func:`basins_2x2_exact`), and integrated only
    otherwise. Integration runs in log-odds coordinates ``u = log(x / (1 - x))``, in
    which the field ``u' = d(y)`` never sticks to the boundary, with the payoff
    advantages divided by their largest absolute value, so the horizon ``t_max`` and
    the step ``dt`` are in units of the game's own time scale. A start counts as
    settled once it and the vertex it heads to both push outward (it can then no
    longer turn); a start not settled at ``t_max`` is labelled -1, never guessed.
    ``method="integrate"`` integrates every start (the check the tests use).

    Every result is invariant to a positive affine change of the payoffs' units.

    Parameters
    ----------
    A, B : as in :func:`basins_2x2`; leading axes broadcast against ``x`` and ``y``.
    x, y : array_like
        Initial shares complying, in ``(0, 1)``.
    method : {"auto", "integrate"}
    t_max : float, optional
        Integration horizon in units of the inverse of the largest payoff advantage
        (used only for starts that are integrated). Default: 100 times the time the
        smallest nonzero advantage needs to move a log-odds by one, at most 20,000.
    dt : float
        RK4 step in the same units.

    Examples
    --------
    Row's advantage of complying changes sign, the column's defect is strictly
    dominant: the column defects, and the row then complies.

    >>> A = [[-0.5248, -0.9262], [2.6926, -0.9797]]
    >>> B = [[-0.5734, 0.0366], [0.4832, 1.0290]]
    >>> BASIN_LABELS[int(replicator_limits_2x2(A, B, 0.0167, 0.85))]
    '(C,D)'
    """
    if method not in ("auto", "integrate"):
        raise InvalidGameError(f"unknown method {method!r}; choose 'auto' or 'integrate'")
    if not ((t_max is None or (np.isfinite(t_max) and t_max >= 0)) and np.isfinite(dt) and dt > 0):
        raise InvalidGameError(f"need t_max >= 0 and dt > 0; got t_max={t_max}, dt={dt}")
    A_arr, B_arr = _payoffs_2x2(A, B)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if not (np.all((x > 0) & (x < 1)) and np.all((y > 0) & (y < 1))):
        raise InvalidGameError("starting shares must lie strictly between 0 and 1")
    d0, d1, e0, e1 = _normalised_coefficients(A_arr, B_arr)
    shape = np.broadcast_shapes(*(np.shape(z) for z in (d0, x, y)))
    d0, d1, e0, e1, x, y = (np.broadcast_to(z, shape) for z in (d0, d1, e0, e1, x, y))
    if method == "auto":
        labels = _exact_labels(d0, d1, e0, e1, x, y)
    else:
        labels = np.full(shape, _NO_CRITERION, dtype=int)
    todo = labels == _NO_CRITERION
    if todo.any():
        if t_max is None:
            size = np.abs(np.stack([d0[todo], d1[todo], e0[todo], e1[todo]]))
            smallest = np.min(size, where=size > 0, initial=1.0)
            t_max = min(100.0 / smallest, _LONGEST)
        a0, a1, b0, b1 = (z[todo] for z in (d0, d1 - d0, e0, e1 - e0))
        u, v = _integrate_logodds(a0, a1, b0, b1, _logit(x[todo]), _logit(y[todo]), t_max, dt)
        settled = _settled(a0, a1, b0, b1, u, v)
        labels = labels.copy()
        labels[todo] = np.where(settled, _vertex_label(u > 0, v > 0), -1)
    return labels


def basins_2x2(
    A: Any,
    B: npt.ArrayLike | None = None,
    *,
    n: int = 200,
    method: str = "auto",
    t_max: float | None = None,
    dt: float = 0.4,
) -> BasinResult:
    """Basins of attraction of the two-population replicator dynamics of 2x2 games.

    Every start of the ``n x n`` grid (cell centres of the unit square of shares
    complying) of every game on the leading axes of ``A``/``B`` gets the label of
    where its trajectory goes, by :func:`replicator_limits_2x2` (exact wherever the
    payoff signs decide it, integrated in the game's own time scale otherwise, -1
    where undecided: :attr:`BasinResult.undecided` counts those starts). Invariant to
    a positive affine change of the payoffs' units.

    Parameters
    ----------
    A : EnforcementGame or array_like, shape (..., 2, 2)
        Row payoffs (or a game with ``.A`` and ``.B``). If ``B`` is omitted and ``A`` is
        an array, the game is symmetric (``B = A.T``).
    B : array_like, shape (..., 2, 2), optional
    n : int
        Grid points per axis.
    method, t_max, dt
        As in :func:`replicator_limits_2x2`.

    Returns
    -------
    BasinResult

    Examples
    --------
    The Banks-Hyde stag hunt (s=4, sucker 0, hare 3). The compliance basin is bounded
    by the stable manifold of the saddle at the mixed equilibrium (3/4, 3/4); it
    contains the square above 3/4 (area 1/16) and reaches below it, since a population
    well above the threshold pulls the other one up. The same at any scale of the
    payoffs, and when every start is integrated:

    >>> hyde = np.array([[4.0, 0.0], [3.0, 3.0]])
    >>> res = basins_2x2(hyde, n=100)
    >>> round(res.share(0), 4), round(res.share(3), 4), res.undecided
    (0.1611, 0.8387, 2)
    >>> basins_2x2(hyde * 1e-3, n=100, method="integrate").share(0) == res.share(0)
    True

    The two undecided cells lie exactly on the separatrix (see :func:`basins_2x2_exact`).
    """
    A_arr, B_arr = _payoffs_2x2(A, B)
    grid = _grid(n)
    lead = A_arr.shape[:-2]
    labels = replicator_limits_2x2(
        A_arr[..., None, None, :, :],
        B_arr[..., None, None, :, :],
        np.broadcast_to(grid[:, None], (*lead, n, n)),
        np.broadcast_to(grid[None, :], (*lead, n, n)),
        method=method,
        t_max=t_max,
        dt=dt,
    )
    return BasinResult(x=grid, y=grid.copy(), labels=labels)


def basins_2x2_exact(A: Any, B: npt.ArrayLike | None = None, *, n: int = 200) -> BasinResult:
    """Basins of the two-population replicator dynamics of 2x2 games, without integrating.

    The system ``x' = x(1-x) d(y)``, ``y' = y(1-y) e(x)`` (``d``, ``e`` the payoff
    advantages of complying, linear in the other population's share) is separable, so
    ``H = F(x) - G(y)`` with ``F' = e(x) / (x(1-x))`` and ``G' = d(y) / (y(1-y))`` is
    constant along every trajectory (Hofbauer and Sigmund 1998, ch. 10). With the
    signs of ``d`` and ``e`` at the edges this decides every start of every game
    without ties and of every game in which one player has a strictly dominant
    strategy:

    * A player with a strictly dominant strategy converges to it; the other then
      converges to its strict best reply to that vertex, or, if indifferent there,
      stops on that edge (label 4, a rest point that is not a vertex).
    * Both advantages change sign inside the square, both populations coordinate
      (``d`` and ``e`` increasing): the mixed equilibrium ``(x*, y*)`` is a saddle,
      ``F`` and ``G`` have their minima there, a start with ``x >= x*, y >= y*`` goes
      to (C,C), one with ``x <= x*, y <= y*`` to (D,D), and in the other two quadrants
      the stable manifold of the saddle, the level set ``F(x) - F(x*) = G(y) - G(y*)``,
      separates the start that goes to (C,C) (above it) from those that go to (D,D).
      Both anti-coordinate: the same after relabelling the column's strategies, with
      basins (C,D) and (D,C).
    * One coordinates and the other anti-coordinates: ``(x*, y*)`` is a centre, ``H``
      has a strict extremum there and every other orbit is a closed cycle around it
      (label 5).

    The rest point itself gets 4. A start within rounding of a separatrix (relative
    ``64 * eps``) is reported undecided (-1): its side cannot be told from the
    floating-point payoffs, and such starts exist (in the Banks-Hyde game
    ``x**3 (1 - x) = y**3 (1 - y)`` on the separatrix, which holds exactly for the
    cell centres ``(0.325, 0.975)`` and ``(0.975, 0.325)`` of a 100 x 100 grid).

    Parameters
    ----------
    A, B : as in :func:`basins_2x2`
    n : int
        Grid points per axis (the same cell centres as :func:`basins_2x2`).

    Returns
    -------
    BasinResult

    Raises
    ------
    InvalidGameError
        For a game with ties in which neither player has a strictly dominant
        strategy (use :func:`basins_2x2`, which integrates those starts).

    Examples
    --------
    The Banks-Hyde stag hunt; and matching pennies, whose orbits cycle around the
    mixed equilibrium:

    >>> res = basins_2x2_exact(np.array([[4.0, 0.0], [3.0, 3.0]]), n=100)
    >>> round(res.share(0), 4), round(res.share(3), 4), res.undecided
    (0.1611, 0.8387, 2)
    >>> pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> basins_2x2_exact(pennies, -pennies, n=101).shares()["cycle"] == 1 - 1 / 101**2
    True
    """
    A_arr, B_arr = _payoffs_2x2(A, B)
    d0, d1, e0, e1 = (c[..., None, None] for c in _normalised_coefficients(A_arr, B_arr))
    grid = _grid(n)
    labels = _exact_labels(d0, d1, e0, e1, grid[:, None], grid[None, :])
    if np.any(labels == _NO_CRITERION):
        raise InvalidGameError(
            "basins_2x2_exact needs a game without ties or with a strictly dominant "
            "strategy for one player; use basins_2x2 for other games"
        )
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


@dataclass(frozen=True)
class SymmetricBasinShare:
    """Where one-population replicator dynamics go from ``n`` starting shares.

    Attributes
    ----------
    share : float
        Share of starts that reach full compliance.
    defection : float
        Share of starts that reach full defection.
    rest_point : float
        Share of starts that stay at or go to an interior rest point.
    undecided : int
        Number of starts whose limit could not be decided (0: the criterion is exact).
    n : int
        Number of starts.
    """

    share: float
    defection: float
    rest_point: float
    undecided: int
    n: int

    def __float__(self) -> float:
        return self.share


def symmetric_basin_share(A: Any, *, n: int = 2001) -> SymmetricBasinShare:
    """Share of initial compliance levels from which one-population replicator dynamics
    reach full compliance, exactly.

    In one dimension ``x' = x (1 - x) d(x)`` with ``d(x) = d0 + (d1 - d0) x`` the
    advantage of complying, a start moves in the direction of the sign of ``d(x0)``
    until it meets a root of ``d``: it reaches full compliance iff ``d(x0) > 0`` and
    ``d(1) >= 0`` (``d`` is linear, so it has no root above ``x0``; at ``d(1) = 0``
    the approach is algebraic but still complete), full defection iff ``d(x0) < 0``
    and ``d(0) <= 0``, and a rest point otherwise. No integration, so the result does
    not depend on the payoffs' units and no start is undecided.

    Parameters
    ----------
    A : array_like, shape (2, 2)
        Row payoffs of the symmetric game.
    n : int
        Starting shares (cell centres of ``[0, 1]``).

    Examples
    --------
    >>> res = symmetric_basin_share(np.array([[4.0, 0.0], [3.0, 3.0]]), n=1000)
    >>> round(res.share, 3), res.undecided
    (0.25, 0)
    >>> symmetric_basin_share(np.array([[4.0, 0.0], [3.0, 3.0]]) * 1e-3, n=1000) == res
    True
    """
    A_arr, _ = _payoffs_2x2(A)
    if A_arr.ndim != 2:
        raise InvalidGameError(f"one symmetric 2x2 game is needed; got shape {A_arr.shape}")
    d0, d1, _, _ = _normalised_coefficients(A_arr, A_arr.T)
    grid = _grid(n)
    if d0 == d1:  # no root: the sign of d0 everywhere
        d = np.full(grid.shape, np.sign(d0))
    else:  # d(x) has the sign of (x - root) times the slope; equal within rounding: 0
        d = _side(grid, d0 / (d0 - d1)) * np.sign(d1 - d0)
    up = (d > 0) & (d1 >= 0)
    down = (d < 0) & (d0 <= 0)
    return SymmetricBasinShare(
        share=float(np.mean(up)),
        defection=float(np.mean(down)),
        rest_point=float(np.mean(~up & ~down)),
        undecided=0,
        n=int(n),
    )


# ----------------------------------------------------------------------------------------
# compliance basin as a function of instrument parameters
# ----------------------------------------------------------------------------------------


def basin_share_curve(
    build: Callable[[float], Any] | Sequence[Any],
    values: Iterable[float] | None = None,
    *,
    n: int = 101,
    t_max: float | None = None,
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
    if callable(build):
        if values is None:
            raise InvalidGameError("values are needed when build is callable")
        games = [build(v) for v in values]
    elif values is not None:
        raise InvalidGameError("values are only used when build is callable")
    else:
        games = list(build)
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
