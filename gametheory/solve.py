"""Nash equilibria: nashpy for any two-player game, a vectorised exact solver for 2x2.

:func:`equilibria` wraps nashpy's support enumeration, vertex enumeration and
Lemke-Howson for games of any size. It checks degeneracy itself (nashpy only warns
when it happens to find an even number of equilibria), keeps only strategy pairs
that pass the best-response test, and completes what nashpy misses: equilibria lost
to rounding, and in degenerate games the equilibria whose supports differ in size
(see the notes of :func:`equilibria`). The result says what was done.

:func:`equilibria_2x2` is our own code, because sweeping a parameter grid means
solving millions of 2x2 games and a Python loop over nashpy costs about a
millisecond per game. It works on stacks of shape ``(n, 2, 2)`` with NumPy
broadcasting and closed forms, and is tested against nashpy and pygambit on large
random batches (``tests/test_gametheory_solve.py``); ``benchmarks/bench_equilibria_2x2.py``
measures the speed ratio.

What ``equilibria_2x2`` reports
-------------------------------
Write ``dA_j = A[0, j] - A[1, j]`` (the row player's advantage of strategy 0 when
the column plays ``j``) and ``dB_i = B[i, 0] - B[i, 1]``. A game is **degenerate**
when any of the four differences is exactly zero (a tie: some pure strategy has two
pure best responses); for 2x2 games that is exactly von Stengel's definition.

* Non-degenerate games: the complete, finite set of equilibria (1 or 3), pure ones
  first in the order (0,0), (0,1), (1,0), (1,1), then the mixed one. Identical to
  nashpy's ``support_enumeration`` and to pygambit's ``enummixed_solve`` on random
  integer and real payoffs. The solver is exact for the stored floats: when a payoff
  difference is a rounding error away from a tie (``0.1 + 0.2`` against ``0.3``) it
  agrees with pygambit's exact rational enumeration, where nashpy's ``1e-16``
  support tolerance can drop a mixed equilibrium (pass ``tol`` to treat such
  differences as ties).
* Degenerate games: the pure equilibria (weak ones included; every degenerate 2x2
  game has at least one). These are all the *isolated* equilibria: a fully mixed
  equilibrium needs both players indifferent, and with a tie in a player's payoff
  differences that player is indifferent against an interior strategy only if both
  differences are zero, in which case the fully mixed equilibria form a segment
  (``A = 0``, ``B = I`` has ``((1/2, 1/2), (1/2, 1/2))`` inside the segment
  ``((1/2, 1/2), y)`` for every ``y``). The flag ``continuum`` marks games whose
  equilibrium set is infinite (a segment on which one player mixes while the other
  is indifferent); its points that are not pure are not listed (pygambit lists the
  end points as extreme equilibria).
* The strategy arrays have room for 4 equilibria, not 3: the "null" game in which
  both players are indifferent between their strategies whatever the other does
  has all four pure profiles as equilibria (nashpy returns all four). Only that game
  uses the fourth slot; unused slots are NaN.

``tol`` (default 0, exact) treats payoff differences with ``|d| <= tol`` as ties,
which is useful on parameter grids where a threshold falls on a grid point but
floating-point rounding moves it by an ulp.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from enforcement_lab.errors import InvalidGameError
from gametheory.games import EnforcementGame
from gametheory.kernel2x2 import as_stack

__all__ = [
    "MAX_EQUILIBRIA_2X2",
    "DegenerateGameWarning",
    "Equilibria2x2",
    "EquilibriumSet",
    "equilibria",
    "equilibria_2x2",
    "is_degenerate",
    "payoff_differences",
    "pow2_normalise",
]

#: Slots per game in :class:`Equilibria2x2` (3 for any game but the all-indifferent one).
MAX_EQUILIBRIA_2X2 = 4

Method = Literal["support", "vertex", "lemke_howson"]
METHODS: tuple[str, ...] = ("support", "vertex", "lemke_howson")


class DegenerateGameWarning(UserWarning):
    """The game is degenerate: equilibria may form continua, reported only in part."""


# ---------------------------------------------------------------------------------
# General games (nashpy)
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EquilibriumSet:
    """The equilibria of one game found by one method.

    Attributes
    ----------
    game : EnforcementGame
    method : str
        ``"support"``, ``"vertex"`` or ``"lemke_howson"`` (and a fallback if one was used).
    equilibria : tuple of (ndarray, ndarray)
        Mixed strategies of the row and column player; each passed the best-response test.
    degenerate : bool or None
        Whether the game is degenerate (None if too large to check).
    continuum : bool or None
        For 2x2 games, whether the equilibrium set is infinite; None otherwise.
    note : str
        What was done about degeneracy, if anything.
    """

    game: EnforcementGame
    method: str
    equilibria: tuple[tuple[NDArray[np.float64], NDArray[np.float64]], ...]
    degenerate: bool | None
    continuum: bool | None = None
    note: str = ""

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[tuple[NDArray[np.float64], NDArray[np.float64]]]:
        return iter(self.equilibria)

    def __getitem__(self, i: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return self.equilibria[i]

    def pure(self) -> list[tuple[int, int]]:
        """The pure equilibria as (row index, column index)."""
        out = []
        for x, y in self.equilibria:
            if np.isclose(x.max(), 1.0) and np.isclose(y.max(), 1.0):
                out.append((int(x.argmax()), int(y.argmax())))
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per equilibrium: strategy probabilities (labelled) and payoffs."""
        g = self.game
        rows = []
        for x, y in self.equilibria:
            rec: dict[str, float | bool] = {}
            for label, v in zip(g.row_labels, x, strict=True):
                rec[f"row:{label}"] = float(v)
            for label, v in zip(g.col_labels, y, strict=True):
                rec[f"col:{label}"] = float(v)
            u, w = g.payoff(x, y)
            rec["payoff_row"] = u
            rec["payoff_col"] = w
            rec["pure"] = bool(np.isclose(x.max(), 1.0) and np.isclose(y.max(), 1.0))
            rows.append(rec)
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """Plain-text listing of the equilibria."""
        g = self.game
        lines = [f"{len(self)} equilibri{'um' if len(self) == 1 else 'a'} ({self.method})"]
        for x, y in self.equilibria:
            lines.append(
                f"  row {_fmt_strategy(x, g.row_labels)} | col {_fmt_strategy(y, g.col_labels)}"
            )
        if self.degenerate:
            lines.append("  degenerate game" + (f": {self.note}" if self.note else ""))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"EquilibriumSet({len(self)} equilibria, method={self.method!r}, "
            f"pure={self.pure()}, degenerate={self.degenerate})"
        )

    def _repr_html_(self) -> str:
        from gametheory.display import equilibrium_set_html

        return equilibrium_set_html(self)


def _fmt_strategy(x: NDArray, labels: tuple[str, ...]) -> str:
    if np.isclose(x.max(), 1.0):
        return labels[int(x.argmax())]
    return (
        "("
        + ", ".join(f"{lab} {v:.4g}" for lab, v in zip(labels, x, strict=True) if v > 1e-12)
        + ")"
    )


def _is_equilibrium(A: NDArray, B: NDArray, x: NDArray, y: NDArray, rtol: float = 1e-9) -> bool:
    if x.shape != (A.shape[0],) or y.shape != (A.shape[1],):
        return False
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return False
    if np.any(x < -1e-12) or np.any(y < -1e-12):
        return False
    if abs(x.sum() - 1) > 1e-9 or abs(y.sum() - 1) > 1e-9:
        return False
    scale = rtol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    row_payoffs = A @ y
    col_payoffs = x @ B
    return bool(
        x @ row_payoffs >= row_payoffs.max() - scale
        and col_payoffs @ y >= col_payoffs.max() - scale
    )


def _count(k: int) -> str:
    return f"{k} equilibri{'um' if k == 1 else 'a'}"


def _listed(x: NDArray, y: NDArray, pairs: list[tuple[NDArray, NDArray]]) -> bool:
    return any(np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9) for u, v in pairs)


def _distinct(pairs: list[tuple[NDArray, NDArray]]) -> int:
    """Number of pairs that differ in at least one bit."""
    return len({(x.tobytes(), y.tobytes()) for x, y in pairs})


def _snap_to_exact(
    found: list[tuple[NDArray, NDArray]], exact: list[tuple[NDArray, NDArray]]
) -> list[tuple[NDArray, NDArray]]:
    """Each found pair replaced by the nearest equilibrium of the exact list (each listed
    once, in the exact list's order); a found pair far from all of them (a point inside
    a continuum) is kept as found, once."""
    hits: set[int] = set()
    others: dict[tuple[bytes, bytes], tuple[NDArray, NDArray]] = {}
    for x, y in found:
        dist = [max(np.abs(x - u).max(), np.abs(y - v).max()) for u, v in exact]
        if dist and min(dist) <= 1e-6:
            hits.add(int(np.argmin(dist)))
        else:
            others.setdefault((x.tobytes(), y.tobytes()), (x, y))
    return [exact[i] for i in sorted(hits)] + list(others.values())


def _dedupe(pairs: list[tuple[NDArray, NDArray]]) -> list[tuple[NDArray, NDArray]]:
    out: list[tuple[NDArray, NDArray]] = []
    for x, y in pairs:
        if not _listed(x, y, out):
            out.append((x, y))
    return out


def is_degenerate(game: EnforcementGame, *, max_programs: int = 20_000) -> bool | None:
    """Whether some mixed strategy with support size k has more than k pure best responses.

    2x2 games use the closed form (a tie in a payoff difference). Larger games solve
    one small linear feasibility problem (scipy HiGHS) per pair of a support ``I`` and
    a set ``J`` of ``|I| + 1`` opponent strategies: is there a strategy on ``I`` to
    which every strategy in ``J`` is a best response? Returns None when that would
    take more than ``max_programs`` programs.

    >>> from gametheory.games import stag_hunt, bimatrix
    >>> is_degenerate(stag_hunt()), is_degenerate(bimatrix([[1, 1], [1, 0]], [[1, 0], [0, 1]]))
    (False, True)
    """
    if game.shape == (2, 2):
        dA, dB = payoff_differences(game.A[None], game.B[None])
        return bool(np.any(dA == 0) or np.any(dB == 0))
    from itertools import combinations
    from math import comb

    from scipy.optimize import linprog

    def player_degenerate(U: NDArray) -> bool | None:
        # U: own payoff matrix, own strategies on rows; we test the OPPONENT's mixed
        # strategies y (over columns) for too many best responses among own rows.
        m, n = U.shape
        total = sum(comb(n, k) * comb(m, k + 1) for k in range(1, min(n, m - 1) + 1))
        if total > max_programs:
            return None
        for k in range(1, min(n, m - 1) + 1):
            for support in combinations(range(n), k):
                for rows in combinations(range(m), k + 1):
                    # variables: y (n), v ; y_j = 0 off support; U[r] y = v for r in rows;
                    # U[r'] y <= v for all r'; sum y = 1; y >= 0.
                    A_eq = [np.r_[U[r], -1.0] for r in rows]
                    A_eq.append(np.r_[np.ones(n), 0.0])
                    b_eq = [0.0] * len(rows) + [1.0]
                    A_ub = np.c_[U, -np.ones(m)]
                    b_ub = np.zeros(m)
                    bounds: list[tuple[float | None, float | None]]
                    bounds = [(0, None) if j in support else (0, 0) for j in range(n)]
                    bounds.append((None, None))
                    res = linprog(
                        np.zeros(n + 1),
                        A_ub=A_ub,
                        b_ub=b_ub,
                        A_eq=np.array(A_eq),
                        b_eq=b_eq,
                        bounds=bounds,
                        method="highs",
                    )
                    if res.status == 0:
                        return True
        return False

    row = player_degenerate(game.A)  # column strategies with too many row best responses
    col = player_degenerate(game.B.T)
    if row or col:
        return True
    if row is None or col is None:
        return None
    return False


def _indifference_solution(
    V: NDArray, best: Sequence[int], cols: list[int], *, min_prob: float
) -> tuple[NDArray[np.float64] | None, bool]:
    """Solve ``V[i] z = V[best[0]] z`` (``i`` in ``best``), ``sum(z) = 1`` for ``z`` on
    ``cols`` alone. Returns ``(z, determined)``: ``determined`` is False when the equations
    leave ``z`` free; ``z`` is the unique solution if it solves them and every entry on
    ``cols`` exceeds ``min_prob``, else None."""
    M = np.vstack([V[list(best[1:])][:, cols] - V[best[0], cols], np.ones(len(cols))])
    rhs = np.r_[np.zeros(len(best) - 1), 1.0]
    sol, _, rank, _ = np.linalg.lstsq(M, rhs, rcond=None)
    if rank < len(cols):
        return None, False
    if not (np.allclose(M @ sol, rhs, atol=1e-12) and np.all(sol > min_prob)):
        return None, True
    z = np.zeros(V.shape[1])
    z[cols] = sol
    return z, True


def _best_response_mix(
    U: NDArray, best: tuple[int, ...], support: tuple[int, ...]
) -> NDArray[np.float64] | None:
    """A mixed strategy ``z`` of the opponent, supported exactly on ``support``, to which
    every own strategy in ``best`` is a best response; None if there is none.

    ``U`` is the player's own payoff matrix (own strategies on rows). The indifference
    equations ``U[i] z = U[best[0]] z`` (``i`` in ``best``), ``sum(z) = 1`` are solved on
    the support alone, so probabilities off the support are exactly 0 (nashpy solves
    the full system and can reject an equilibrium over a ``-1e-17``). When they leave
    ``z`` undetermined (degenerate games), one linear program (scipy HiGHS) finds a
    point of the solution set: maximise ``t`` subject to ``z_j >= t`` on the support,
    ``U[i] z = v`` on ``best`` and ``U[k] z <= v`` for every ``k``.
    """
    m, n = U.shape
    cols = list(support)
    scale = float(np.abs(U).max()) or 1.0
    V = U / scale  # positive scaling leaves best responses unchanged
    # a strategy strictly dominated on the support is never a best response
    for i in best:
        if np.any(np.all(V[:, cols] > V[i, cols], axis=1)):
            return None
    z, determined = _indifference_solution(V, best, cols, min_prob=1e-12)
    if determined:  # at most one candidate
        if z is None:
            return None
    else:
        from scipy.optimize import linprog

        # variables: z (n), v, t
        A_eq = [np.r_[V[i], -1.0, 0.0] for i in best]
        A_eq.append(np.r_[np.ones(n), 0.0, 0.0])
        A_ub = [np.r_[V[k], -1.0, 0.0] for k in range(m) if k not in best]
        A_ub += [np.r_[-np.eye(n)[j], 0.0, 1.0] for j in cols]
        bounds = [(0.0, None) if j in support else (0.0, 0.0) for j in range(n)]
        res = linprog(
            np.r_[np.zeros(n + 1), -1.0],
            A_ub=np.array(A_ub),
            b_ub=np.zeros(len(A_ub)),
            A_eq=np.array(A_eq),
            b_eq=np.r_[np.zeros(len(best)), 1.0],
            bounds=[*bounds, (None, None), (None, 1.0)],
            method="highs",
            options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
        )
        if res.status != 0 or res.x[-1] <= 1e-9:
            return None
        z = np.zeros(n)
        z[cols] = np.clip(res.x[cols], 0.0, None)
        z /= z.sum()
        # polish: if the strategies tied for best at the LP point pin z down, solve exactly
        payoffs = V @ z
        tight = [k for k in range(m) if payoffs[k] >= payoffs.max() - 1e-7]
        exact, _ = _indifference_solution(V, tight, cols, min_prob=0.0)
        if exact is not None:
            z = exact
    payoffs = V @ z
    if np.any(payoffs[list(best)] < payoffs.max() - 1e-9):
        return None
    return z


def _support_pair_equilibria(
    A: NDArray,
    B: NDArray,
    known: list[tuple[NDArray, NDArray]],
    max_programs: int,
    *,
    equal_sizes: bool,
) -> list[tuple[NDArray, NDArray]] | None:
    """One equilibrium for every support pair that carries equilibria but is not in ``known``.

    ``equal_sizes=True`` checks only supports of equal size, which is all a
    non-degenerate game needs; each pair then costs one small linear solve per player.
    ``equal_sizes=False`` checks every pair (degenerate games, where nashpy, which
    solves square systems of indifference equations, can miss equilibria whose
    supports differ in size); every isolated equilibrium is then found, being the only
    point of its support pair. Returns None when there are more than ``max_programs``
    pairs to check.
    """
    from itertools import chain, combinations
    from math import comb

    m, n = A.shape
    if equal_sizes:
        total = sum(comb(m, k) * comb(n, k) for k in range(1, min(m, n) + 1))
    else:
        total = (2**m - 1) * (2**n - 1)
    if total > max_programs:
        return None

    def subsets(k: int) -> list[tuple[int, ...]]:
        return list(chain.from_iterable(combinations(range(k), r) for r in range(1, k + 1)))

    def supp(x: NDArray) -> tuple[int, ...]:
        return tuple(int(i) for i in np.flatnonzero(x > 1e-12))

    seen = {(supp(x), supp(y)) for x, y in known}
    found: list[tuple[NDArray, NDArray]] = []
    for rows in subsets(m):
        for cols in subsets(n):
            if (rows, cols) in seen or (equal_sizes and len(rows) != len(cols)):
                continue
            y = _best_response_mix(A, rows, cols)
            if y is None:
                continue
            x = _best_response_mix(B.T, cols, rows)
            if x is not None and _is_equilibrium(A, B, x, y):
                found.append((x, y))
    return found


def equilibria(
    game: EnforcementGame,
    method: Method = "support",
    *,
    check_degenerate: bool = True,
    max_programs: int = 20_000,
    tol: float = 0.0,
) -> EquilibriumSet:
    """All Nash equilibria of ``game`` found by a nashpy algorithm.

    Parameters
    ----------
    game : EnforcementGame
    method : {"support", "vertex", "lemke_howson"}
        nashpy's support enumeration (all support pairs), vertex enumeration, or
        Lemke-Howson started from every initial label (``lemke_howson_enumeration``).
    check_degenerate : bool
        Test degeneracy (see :func:`is_degenerate`); a degenerate game issues a
        :class:`DegenerateGameWarning`, and the note says what was done. If
        Lemke-Howson finds no valid equilibrium (it can return ``nan`` on degenerate
        games), vertex enumeration and then support enumeration are used instead.
    max_programs : int
        Budget for the degeneracy test (linear programs) and for the completeness
        check below (support pairs); beyond it the note says that equilibria may be
        missing.
    tol : float
        2x2 games: payoff differences with ``|d| <= tol`` count as ties, as in
        :func:`equilibria_2x2` (default 0: exact).

    Notes
    -----
    Support and vertex enumeration promise every equilibrium, and nashpy does not
    always keep that promise, so the result is checked and completed:

    * 2x2 games: the equilibria listed are exactly those of the exact solver
      :func:`equilibria_2x2` (same count, same order), and the note says when nashpy
      missed some (its ``1e-16`` support tolerance drops a mixed equilibrium near a
      tie). Nothing is de-duplicated by a tolerance, so a mixed equilibrium
      ``1e-16`` away from a pure one stays a separate equilibrium. In a degenerate
      2x2 game the isolated equilibria are pure; the continua (flagged by
      ``continuum``) are represented by their pure points.
    * Non-degenerate larger games: the indifference equations are solved on every
      pair of equal-size supports, restricted to the support (nashpy solves the full
      system and can reject an equilibrium whose off-support probability rounds to
      ``-1e-17``); equilibria it missed are added.
    * Degenerate larger games: nashpy's algorithms solve square systems and miss
      equilibria whose two supports differ in size, so every pair of supports is
      checked (by a linear program where the equations leave the strategy
      undetermined) and one equilibrium is added per support pair that carries
      equilibria but was missed. Every isolated equilibrium is then listed (it is
      the only point of its support pair) and every continuum is represented by at
      least one point per support pair.

    Lemke-Howson finds some equilibria by design and is not completed.

    Returns
    -------
    EquilibriumSet
        Only strategy pairs that pass a best-response test are kept. 2x2 games: the
        exact solver's list. Larger games: pairs within ``1e-9`` in every probability
        count once (nashpy can return one equilibrium twice with different rounding).

    Examples
    --------
    >>> from gametheory.games import stag_hunt
    >>> eq = equilibria(stag_hunt())
    >>> [(x.tolist(), y.tolist()) for x, y in eq]
    [([1.0, 0.0], [1.0, 0.0]), ([0.0, 1.0], [0.0, 1.0]), ([0.75, 0.25], [0.75, 0.25])]
    >>> eq.degenerate
    False
    """
    if not isinstance(game, EnforcementGame):
        raise InvalidGameError(f"equilibria() needs an EnforcementGame, got {type(game).__name__}")
    if method not in METHODS:
        raise InvalidGameError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    degenerate = is_degenerate(game, max_programs=max_programs) if check_degenerate else None
    nash = game.to_nashpy()
    A, B = game.A, game.B

    notes: list[str] = []

    def run(m: str) -> list[tuple[NDArray, NDArray]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                if m == "support":
                    found = list(nash.support_enumeration())
                elif m == "vertex":
                    found = list(nash.vertex_enumeration())
                else:
                    found = list(nash.lemke_howson_enumeration())
            except (TypeError, ValueError, IndexError, np.linalg.LinAlgError) as err:
                # nashpy's vertex enumeration can fail on degenerate games (its
                # Chebyshev-centre linear program finds no point); the checks below
                # complete what is missing
                notes.append(f"nashpy's {m} enumeration failed ({type(err).__name__})")
                found = []
        pairs = [(np.asarray(x, float), np.asarray(y, float)) for x, y in found]
        valid = [(x, y) for x, y in pairs if _is_equilibrium(A, B, x, y)]
        return valid if game.shape == (2, 2) else _dedupe(valid)

    used: str = method
    pairs = run(method)
    nashpy_found = list(pairs)
    if not pairs and method == "lemke_howson":
        for fallback in ("vertex", "support"):
            pairs = run(fallback)
            if pairs:
                used = f"lemke_howson->{fallback}"
                notes.append(
                    f"Lemke-Howson found no valid equilibrium; used {fallback} enumeration"
                )
                break
    # support and vertex enumeration promise every equilibrium: check that promise
    complete = method != "lemke_howson"
    continuum = None
    warn = ""
    if game.shape == (2, 2):
        res = equilibria_2x2(A, B, tol=tol)
        continuum = bool(res.continuum[0])
        if complete:
            # the exact solver's list is the answer: nashpy's points can differ from it
            # by rounding (a mixed equilibrium 1e-16 from a pure one), so matching them
            # up at any tolerance could merge two equilibria or count one twice
            exact = res.game(0)
            missed = len(exact) - _distinct(nashpy_found)
            pairs = exact
            if missed > 0:
                notes.append(
                    f"nashpy missed {_count(missed)} (rounding near a tie); "
                    "listed from the exact 2x2 solver"
                )
        else:  # Lemke-Howson finds some equilibria, often one several times
            pairs = _snap_to_exact(pairs, res.game(0))
        if degenerate:
            warn = (
                "ties in payoffs, but the equilibrium set is finite"
                if not continuum
                else "equilibria form a continuum; only its pure points are listed"
            )
            notes.append(warn)
    elif complete:
        added = _support_pair_equilibria(A, B, pairs, max_programs, equal_sizes=not degenerate)
        if added is None:
            warn = f"support-pair check skipped (more than {max_programs} pairs); nashpy may " + (
                "miss equilibria of degenerate games" if degenerate else "miss equilibria"
            )
            notes.append(warn)
        elif degenerate:
            pairs = pairs + added
            warn = (
                f"every support pair checked ({_count(len(added))} added that nashpy "
                "missed); continua, if any, are represented by one point per support pair"
            )
            notes.append(warn)
        elif added:
            pairs = pairs + added
            notes.append(
                f"nashpy missed {_count(len(added))} (rounding); added by solving the "
                "indifference equations on each support pair"
            )
    elif degenerate:
        warn = "Lemke-Howson lists only some equilibria of a degenerate game"
        notes.append(warn)
    if degenerate is None and check_degenerate:
        notes.append("degeneracy not checked (game too large)")
    note = "; ".join(notes)
    if degenerate:
        warnings.warn(f"degenerate game: {warn}", DegenerateGameWarning, stacklevel=2)
    return EquilibriumSet(
        game=game,
        method=used,
        equilibria=tuple(pairs),
        degenerate=degenerate,
        continuum=continuum,
        note=note,
    )


# ---------------------------------------------------------------------------------
# Vectorised 2x2 solver
# ---------------------------------------------------------------------------------


def _as_stack(X: ArrayLike, name: str) -> NDArray[np.float64]:
    """:func:`gametheory.kernel2x2.as_stack`, then every payoff must be finite."""
    arr = as_stack(X, name)
    bad = ~np.isfinite(arr)
    if bad.any():
        g, i, j = (int(v) for v in np.argwhere(bad)[0])
        raise InvalidGameError(f"{name}[{g}, {i}, {j}] is {arr[g, i, j]} (payoffs must be finite)")
    return arr


def payoff_differences(
    A: ArrayLike, B: ArrayLike, tol: float = 0.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``dA[:, j] = A[:, 0, j] - A[:, 1, j]`` and ``dB[:, i] = B[:, i, 0] - B[:, i, 1]``.

    Differences with ``|d| <= tol`` are set to exactly 0 (ties). A difference that
    overflows (payoffs of opposite sign near the float limit, ``|x| > 8.9e307``) raises
    :class:`InvalidGameError` instead of turning into ``inf`` and NaN strategies.

    >>> dA, dB = payoff_differences([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]])
    >>> dA.tolist(), dB.tolist()
    ([[1.0, -3.0]], [[1.0, -3.0]])
    """
    A = _as_stack(A, "A")
    B = _as_stack(B, "B")
    if A.shape != B.shape:
        raise InvalidGameError(f"A has shape {A.shape} but B has shape {B.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        dA = A[:, 0, :] - A[:, 1, :]
        dB = B[:, :, 0] - B[:, :, 1]
    for name, d in (("A", dA), ("B", dB)):
        bad = ~np.isfinite(d)
        if bad.any():
            k = int(np.argwhere(bad)[0][0])
            raise InvalidGameError(
                f"payoff differences of {name} in game {k} overflow (payoffs too close to "
                "the float limit); rescale the game"
            )
    if tol > 0:
        dA[np.abs(dA) <= tol] = 0.0
        dB[np.abs(dB) <= tol] = 0.0
    return dA, dB


def pow2_normalise(d: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale each row of ``d`` by a power of two so that its largest ``|entry|`` is in [0.5, 1).

    Multiplying by a power of two is exact (barring underflow of entries some 2^1000
    times smaller than the row's largest), so signs, ties, ratios and comparisons of
    products are those of ``d``; the scaled values cannot overflow when subtracted or
    multiplied. All-zero rows are unchanged.

    >>> pow2_normalise(np.array([[3.0, -1.0], [0.0, 0.0], [2.0**600, -(2.0**601)]])).tolist()
    [[0.75, -0.25], [0.0, 0.0], [0.25, -0.5]]
    """
    _, exponent = np.frexp(np.abs(d).max(axis=-1, keepdims=True))
    return np.ldexp(d, -exponent)


@dataclass(frozen=True)
class Equilibria2x2:
    """Equilibria of a stack of ``n`` 2x2 games (see the module docstring for the rules).

    Attributes
    ----------
    count : ndarray of int, shape (n,)
        Number of equilibria listed.
    row, col : ndarray, shape (n, 4, 2)
        Mixed strategies (probabilities of strategies 0 and 1), NaN-padded.
    pure : ndarray of bool, shape (n, 2, 2)
        ``pure[k, i, j]``: profile (i, j) is a (weak) pure equilibrium of game k.
    mixed : ndarray of bool, shape (n,)
        Game k has an isolated fully mixed equilibrium (only non-degenerate games do;
        the fully mixed points of a continuum are not counted).
    degenerate : ndarray of bool, shape (n,)
        Some payoff difference is a tie.
    continuum : ndarray of bool, shape (n,)
        The equilibrium set is infinite.
    p, q : ndarray, shape (n,)
        Probability of strategy 0 for the row (``p``) and column (``q``) player in the
        mixed equilibrium; NaN where there is none.
    dA, dB : ndarray, shape (n, 2)
        The payoff differences the classification is based on.
    """

    count: NDArray[np.int64]
    row: NDArray[np.float64]
    col: NDArray[np.float64]
    pure: NDArray[np.bool_]
    mixed: NDArray[np.bool_]
    degenerate: NDArray[np.bool_]
    continuum: NDArray[np.bool_]
    p: NDArray[np.float64]
    q: NDArray[np.float64]
    dA: NDArray[np.float64] = field(repr=False)
    dB: NDArray[np.float64] = field(repr=False)

    def __len__(self) -> int:
        return int(self.count.shape[0])

    def game(self, k: int) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
        """The equilibria of game ``k`` as a list of (row, column) strategy pairs."""
        return [(self.row[k, s].copy(), self.col[k, s].copy()) for s in range(int(self.count[k]))]

    def __repr__(self) -> str:
        counts = np.bincount(self.count, minlength=1)
        by_count = ", ".join(f"{c}: {int(k)}" for c, k in enumerate(counts) if k)
        return (
            f"Equilibria2x2({len(self)} games; games by number of equilibria {{{by_count}}}; "
            f"{int(self.degenerate.sum())} degenerate)"
        )

    def _repr_html_(self) -> str:
        from gametheory.display import equilibria_2x2_html

        return equilibria_2x2_html(self)


_PURE_ROW = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
_PURE_COL = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])


def equilibria_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> Equilibria2x2:
    """All Nash equilibria of a stack of 2x2 games, vectorised and exact.

    Parameters
    ----------
    A, B : array_like, shape (n, 2, 2) or (2, 2)
        Row and column payoffs. Leading dimensions beyond one are flattened.
    tol : float
        Payoff differences with ``|d| <= tol`` count as ties (default 0: exact).

    Returns
    -------
    Equilibria2x2

    Examples
    --------
    >>> res = equilibria_2x2([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]])  # stag hunt
    >>> int(res.count[0]), res.row[0, :3].tolist()
    (3, [[1.0, 0.0], [0.0, 1.0], [0.75, 0.25]])
    >>> bool(res.degenerate[0]), bool(res.continuum[0]), res.row.shape
    (False, False, (1, 4, 2))
    """
    dA, dB = payoff_differences(A, B, tol=tol)
    n = dA.shape[0]
    # pure[k, i, j]: i is a best response to j for row, j to i for column
    row_ok = np.stack([dA >= 0, dA <= 0], axis=1)
    col_ok = np.stack([dB >= 0, dB <= 0], axis=2)
    pure = row_ok & col_ok
    pA = dA > 0
    nA = dA < 0
    pB = dB > 0
    nB = dB < 0
    mixed = ((pA[:, 0] & nA[:, 1]) | (nA[:, 0] & pA[:, 1])) & (
        (pB[:, 0] & nB[:, 1]) | (nB[:, 0] & pB[:, 1])
    )
    # indifference points from differences scaled by powers of two: the same values
    # bit for bit, but dA_1 - dA_0 cannot overflow for payoffs near the float limit
    sA = pow2_normalise(dA)
    sB = pow2_normalise(dB)
    with np.errstate(divide="ignore", invalid="ignore"):
        denA = sA[:, 1] - sA[:, 0]
        denB = sB[:, 1] - sB[:, 0]
        q0 = np.where(mixed, sA[:, 1] / denA, np.nan)
        q1 = np.where(mixed, -sA[:, 0] / denA, np.nan)
        p0 = np.where(mixed, sB[:, 1] / denB, np.nan)
        p1 = np.where(mixed, -sB[:, 0] / denB, np.nan)
    valid = np.concatenate([pure.reshape(n, 4), mixed[:, None]], axis=1)
    slot = np.cumsum(valid, axis=1, dtype=np.int8) - 1
    count = slot[:, -1].astype(np.int64) + 1
    row = np.full((n, MAX_EQUILIBRIA_2X2, 2), np.nan)
    col = np.full((n, MAX_EQUILIBRIA_2X2, 2), np.nan)
    g, k = np.nonzero(valid[:, :4])
    s = slot[g, k]
    row[g, s] = _PURE_ROW[k]
    col[g, s] = _PURE_COL[k]
    gm = np.nonzero(mixed)[0]
    sm = slot[gm, 4]
    row[gm, sm, 0] = p0[gm]
    row[gm, sm, 1] = p1[gm]
    col[gm, sm, 0] = q0[gm]
    col[gm, sm, 1] = q1[gm]

    zA = dA == 0
    zB = dB == 0
    both_zero_B = zB[:, 0] & zB[:, 1]
    both_zero_A = zA[:, 0] & zA[:, 1]
    # column pure j, row mixing over an interval of positive length
    horiz0 = zA[:, 0] & ((dB[:, 0] > 0) | (dB[:, 1] > 0) | both_zero_B)
    horiz1 = zA[:, 1] & ((dB[:, 0] < 0) | (dB[:, 1] < 0) | both_zero_B)
    # row pure i, column mixing over an interval of positive length
    vert0 = zB[:, 0] & ((dA[:, 0] > 0) | (dA[:, 1] > 0) | both_zero_A)
    vert1 = zB[:, 1] & ((dA[:, 0] < 0) | (dA[:, 1] < 0) | both_zero_A)
    continuum = horiz0 | horiz1 | vert0 | vert1
    degenerate = zA.any(axis=1) | zB.any(axis=1)
    return Equilibria2x2(
        count=count,
        row=row,
        col=col,
        pure=pure,
        mixed=mixed,
        degenerate=degenerate,
        continuum=continuum,
        p=p0,
        q=q0,
        dA=dA,
        dB=dB,
    )
