"""The 2x2 kernel: everything a sweep reports about a 2x2 game, in one compiled pass.

A 2x2 game's equilibria, class, selection and phase are a few dozen comparisons
and two divisions on the four payoff differences

    dA_j = A[0, j] - A[1, j]   (row player's advantage of strategy 0 against column j)
    dB_i = B[i, 0] - B[i, 1]   (column player's advantage of strategy 0 against row i)

(strategy 0 = comply). Computed quantity by quantity with NumPy, each costs a pass
over fresh ``(n, 2, 2)`` temporaries, and a sweep of a million cells spends
microseconds per cell moving memory. :func:`analyse_2x2` instead runs one loop,
compiled by numba, that reads each game's eight payoffs once and writes every
result for it before moving on, at tens of nanoseconds per game.

What it computes (the rules are those documented in :mod:`gametheory.solve` and
:mod:`gametheory.selection`; the tests check every field against those functions on
random, integer and near-tie games):

* equilibria: count, the (weak) pure profiles, the fully mixed one (``p``, ``q``),
  the degeneracy and continuum flags, and on request (``detail=True``) the payoff
  differences and the NaN-padded strategy arrays of
  :class:`gametheory.solve.Equilibria2x2`;
* ``q_star`` (the mixed threshold of each player) and ``basin`` (``1 - q*`` of the
  row player, the basin of compliance under best-response dynamics);
* ``game_class``: the class, an index into :data:`CLASSES`;
* ``design_class``: the coarser labels of the paper notebooks (:data:`DESIGN_CLASSES`,
  computed from the raw payoffs, without ``tol``);
* ``risk_dominant`` (Harsanyi and Selten 1988) and ``payoff_dominant``: a profile
  index ``2 * i + j``, :data:`NONE` or :data:`TIE`;
* ``phase``: an index into :data:`PHASES`.

Products and ratios of differences are taken after scaling each player's pair of
differences by a power of two (exact), so games with payoffs near the float limit
compare correctly. A payoff that is not finite, or a difference that overflows,
raises :class:`~enforcement_lab.errors.InvalidGameError` naming the entry.

The loop is compiled on first use and cached on disk (numba ``cache=True``): the
first call in a fresh environment pays the compilation once (a few seconds; see
``benchmarks/bench_kernel2x2.py``), later sessions load the machine code.

Examples
--------
>>> from gametheory.games import stag_hunt
>>> r = analyse_2x2(stag_hunt())
>>> int(r.count[0]), CLASSES[r.game_class[0]], PHASES[r.phase[0]], float(r.q_star[0, 0])
(3, 'stag_hunt', 'coordination', 0.75)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np
from numba import types
from numba.extending import intrinsic
from numpy.typing import ArrayLike, NDArray

from enforcement_lab.errors import InvalidGameError

__all__ = [
    "CLASSES",
    "DESIGN_CLASSES",
    "NONE",
    "PHASES",
    "PROFILE_LABELS",
    "TIE",
    "Analysis2x2",
    "analyse_2x2",
    "as_stack",
    "as_stacks",
]

#: Classes of 2x2 games (``game_class`` codes index this tuple).
CLASSES: tuple[str, ...] = (
    "prisoners_dilemma",
    "dominant",
    "stag_hunt",
    "coordination",
    "chicken",
    "matching_pennies",
    "degenerate",
)
#: The coarse labels of the paper notebooks (``design_class`` codes index this tuple):
#: complying strictly dominant for both (harmony); (comply, comply) and (defect, defect)
#: both strict equilibria (stag hunt); defecting strictly dominant for both with
#: (comply, comply) better for both than (defect, defect) (prisoners' dilemma) or not
#: (deadlock); anything else.
DESIGN_CLASSES: tuple[str, ...] = ("harmony", "stag_hunt", "prisoners_dilemma", "deadlock", "other")
#: Phases of a phase diagram (``phase`` codes index this tuple).
PHASES: tuple[str, ...] = (
    "no compliance",
    "coordination",
    "compliance risk-dominant",
    "compliance dominant",
)
#: Selection codes besides a profile index ``2 * i + j`` in 0..3.
NONE, TIE = -1, -2
#: Labels of the selection codes -2..3, in the order of the codes plus 2.
PROFILE_LABELS: tuple[str, ...] = (
    "tie",
    "none",
    "comply",
    "comply/defect",
    "defect/comply",
    "defect",
)

_NAN = math.nan
_NO_DETAIL = (np.empty((0, 2)), np.empty((0, 2)), np.empty((0, 4, 2)), np.empty((0, 4, 2)))


def as_stacks(
    game: Any, B: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The one input convention of the 2x2 kernel: C-contiguous float stacks ``(n, 2, 2)``.

    Accepts a 2x2 :class:`~gametheory.games.EnforcementGame` (``B`` omitted) or the
    row and column payoffs ``A, B`` of one game ``(2, 2)`` or of a stack
    ``(..., 2, 2)`` (leading dimensions are flattened). Finiteness is checked by the
    kernel itself, in the same pass as the payoff differences.

    >>> A, B = as_stacks([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> A.shape, B.flags.c_contiguous
    ((1, 2, 2), True)
    """
    if B is None:
        if not (hasattr(game, "A") and hasattr(game, "B")):
            raise InvalidGameError(
                f"expected a 2x2 game or payoff stacks (A, B), got {type(game).__name__}"
            )
        if getattr(game, "shape", (2, 2)) != (2, 2):
            raise InvalidGameError(f"only 2x2 games are handled here; this game is {game.shape}")
        game, B = game.A, game.B
    out = [np.ascontiguousarray(as_stack(X, name)) for name, X in (("A", game), ("B", B))]
    if out[0].shape != out[1].shape:
        raise InvalidGameError(f"A has shape {out[0].shape} but B has shape {out[1].shape}")
    return out[0], out[1]


def as_stack(X: ArrayLike, name: str) -> NDArray[np.float64]:
    """One payoff stack as float64 of shape ``(n, 2, 2)`` (a single 2x2 matrix gives n = 1);
    a non-numeric value or a wrong shape is an InvalidGameError naming ``name``."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidGameError(f"{name} must be numeric payoffs of shape (n, 2, 2)") from None
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim < 3 or arr.shape[-2:] != (2, 2):
        raise InvalidGameError(f"{name} must have shape (n, 2, 2), got {arr.shape}")
    return arr.reshape(-1, 2, 2)


@dataclass(frozen=True)
class Analysis2x2:
    """Everything the kernel computes for a stack of ``n`` 2x2 games.

    Attributes
    ----------
    count : ndarray of int8, shape (n,)
        Number of equilibria (pure ones, weak included, plus the fully mixed one).
    pure : ndarray of bool, shape (n, 2, 2)
        ``pure[k, i, j]``: profile ``(i, j)`` is a pure equilibrium of game ``k``.
    mixed, degenerate, continuum : ndarray of bool, shape (n,)
        A fully mixed equilibrium exists; some payoff difference is a tie; the
        equilibrium set is infinite.
    p, q : ndarray of float, shape (n,)
        Probability of strategy 0 for the row and the column player in the mixed
        equilibrium; NaN where there is none.
    q_star : ndarray of float, shape (n, 2)
        The mixed threshold of the row and the column player.
    basin : ndarray of float, shape (n,)
        ``1 - q_star[:, 0]``.
    game_class, design_class, phase : ndarray of int8, shape (n,)
        Indices into :data:`CLASSES`, :data:`DESIGN_CLASSES` and :data:`PHASES`.
    risk_dominant, payoff_dominant : ndarray of int8, shape (n,)
        Profile index ``2 * i + j``, :data:`NONE` or :data:`TIE`.
    dA, dB : ndarray of float, shape (n, 2), or None
        The payoff differences (after ``tol``), with ``detail=True``.
    row, col : ndarray of float, shape (n, 4, 2), or None
        With ``detail=True``: the equilibrium strategies in the order of
        :func:`gametheory.solve.equilibria_2x2` (pure profiles (0,0), (0,1), (1,0),
        (1,1), then the mixed one; NaN-padded).
    """

    count: NDArray[np.int8]
    pure: NDArray[np.bool_]
    mixed: NDArray[np.bool_]
    degenerate: NDArray[np.bool_]
    continuum: NDArray[np.bool_]
    p: NDArray[np.float64]
    q: NDArray[np.float64]
    q_star: NDArray[np.float64]
    basin: NDArray[np.float64]
    game_class: NDArray[np.int8]
    design_class: NDArray[np.int8]
    risk_dominant: NDArray[np.int8]
    payoff_dominant: NDArray[np.int8]
    phase: NDArray[np.int8]
    dA: NDArray[np.float64] | None = field(default=None, repr=False)
    dB: NDArray[np.float64] | None = field(default=None, repr=False)
    row: NDArray[np.float64] | None = field(default=None, repr=False)
    col: NDArray[np.float64] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.count.shape[0])

    def game(self, k: int) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
        """The equilibria of game ``k`` as (row, column) strategy pairs (needs ``detail``)."""
        if self.row is None or self.col is None:
            raise InvalidGameError("the strategies were not computed: call with detail=True")
        return [(self.row[k, s].copy(), self.col[k, s].copy()) for s in range(int(self.count[k]))]


@intrinsic
def _bits(typingctx, x):
    """The IEEE 754 bits of a float64 as an int64 (a bit cast, no conversion)."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.int64))

    return types.int64(types.float64), codegen


@intrinsic
def _from_bits(typingctx, x):
    """The float64 whose IEEE 754 bits are the int64 ``x``."""
    if x != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float64))

    return types.float64(types.int64), codegen


@numba.njit(cache=True, nogil=True)
def _pow2_scale(x: float, y: float) -> tuple[float, float]:
    """``(x, y) * 2**-e`` with ``max(|x|, |y|) * 2**-e`` in [0.5, 1), exactly.

    The same numbers as :func:`numpy.ldexp` with the exponent of :func:`numpy.frexp`
    (a product by a power of two is exact, or correctly rounded when it underflows),
    read from the exponent bits instead of two library calls; subnormal and huge
    maxima take the library route.
    """
    m = max(abs(x), abs(y))
    if m == 0.0:
        return x, y
    biased = (_bits(m) >> 52) & 0x7FF  # type: ignore[call-arg]  # @intrinsic drops typingctx
    e = biased - 1022  # frexp's exponent of a normal number
    if 1 <= biased and -1022 <= e <= 1022:
        scale = _from_bits(np.int64(1023 - e) << 52)
        return x * scale, y * scale
    e = math.frexp(m)[1]
    return math.ldexp(x, -e), math.ldexp(y, -e)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _kernel(
    A, B, tol, detail,
    count, pure, mixed, degenerate, continuum, p, q, q_star, basin,
    game_class, design_class, risk, payoff, phase, dA, dB, row, col,
):  # fmt: skip
    """Fill every output for games ``0..n-1``; return ``-1``, or the first bad game."""
    n = A.shape[0]
    for k in range(n):
        a00, a01, a10, a11 = A[k, 0, 0], A[k, 0, 1], A[k, 1, 0], A[k, 1, 1]
        b00, b01, b10, b11 = B[k, 0, 0], B[k, 0, 1], B[k, 1, 0], B[k, 1, 1]
        rA0, rA1 = a00 - a10, a01 - a11
        rB0, rB1 = b00 - b01, b10 - b11
        if not (
            math.isfinite(rA0) and math.isfinite(rA1) and math.isfinite(rB0) and math.isfinite(rB1)
        ):
            return k  # a payoff is not finite or a difference overflows
        dA0, dA1, dB0, dB1 = rA0, rA1, rB0, rB1
        if tol > 0.0:
            if abs(dA0) <= tol:
                dA0 = 0.0
            if abs(dA1) <= tol:
                dA1 = 0.0
            if abs(dB0) <= tol:
                dB0 = 0.0
            if abs(dB1) <= tol:
                dB1 = 0.0
        if detail:
            dA[k, 0], dA[k, 1], dB[k, 0], dB[k, 1] = dA0, dA1, dB0, dB1
        sA0, sA1 = _pow2_scale(dA0, dA1)
        sB0, sB1 = _pow2_scale(dB0, dB1)

        # -- equilibria
        # (& and | rather than and/or: no short-circuit branches on random signs)
        e00 = (dA0 >= 0.0) & (dB0 >= 0.0)
        e01 = (dA1 >= 0.0) & (dB0 <= 0.0)
        e10 = (dA0 <= 0.0) & (dB1 >= 0.0)
        e11 = (dA1 <= 0.0) & (dB1 <= 0.0)
        pure[k, 0, 0], pure[k, 0, 1], pure[k, 1, 0], pure[k, 1, 1] = e00, e01, e10, e11
        npure = int(e00) + int(e01) + int(e10) + int(e11)
        mix = (((dA0 > 0.0) & (dA1 < 0.0)) | ((dA0 < 0.0) & (dA1 > 0.0))) & (
            ((dB0 > 0.0) & (dB1 < 0.0)) | ((dB0 < 0.0) & (dB1 > 0.0))
        )
        mixed[k] = mix
        count[k] = npure + int(mix)
        denA = sA1 - sA0
        denB = sB1 - sB0
        q0 = sA1 / denA if mix else _NAN
        q1 = -sA0 / denA if mix else _NAN
        p0 = sB1 / denB if mix else _NAN
        p1 = -sB0 / denB if mix else _NAN
        p[k] = p0
        q[k] = q0
        if detail:
            s = 0
            flags = (e00, e01, e10, e11)
            for e in range(4):
                if flags[e]:
                    i, j = e // 2, e % 2
                    row[k, s, 0], row[k, s, 1] = 1.0 - i, float(i)
                    col[k, s, 0], col[k, s, 1] = 1.0 - j, float(j)
                    s += 1
            if mix:
                row[k, s, 0], row[k, s, 1] = p0, p1
                col[k, s, 0], col[k, s, 1] = q0, q1
                s += 1
            while s < 4:
                row[k, s, 0] = row[k, s, 1] = col[k, s, 0] = col[k, s, 1] = _NAN
                s += 1
        zA0, zA1, zB0, zB1 = dA0 == 0.0, dA1 == 0.0, dB0 == 0.0, dB1 == 0.0
        zA, zB = zA0 & zA1, zB0 & zB1
        degen = zA0 | zA1 | zB0 | zB1
        degenerate[k] = degen
        continuum[k] = (
            (zA0 & ((dB0 > 0.0) | (dB1 > 0.0) | zB))
            | (zA1 & ((dB0 < 0.0) | (dB1 < 0.0) | zB))
            | (zB0 & ((dA0 > 0.0) | (dA1 > 0.0) | zA))
            | (zB1 & ((dA0 < 0.0) | (dA1 < 0.0) | zA))
        )

        # -- mixed thresholds and the basin of compliance
        iA = sA1 / denA  # the indifference belief, used where it is in (0, 1)
        iB = sB1 / denB
        tA = 1.0 if sA0 < 0.0 else (0.0 if sA1 >= 0.0 else iA)
        tB = 1.0 if sB0 < 0.0 else (0.0 if sB1 >= 0.0 else iB)
        q_star[k, 0], q_star[k, 1] = tA, tB
        basin[k] = 1.0 - tA

        # -- class
        cls = 1  # dominant
        if npure == 1:
            row_dom = (dA0 > 0.0 and dA1 > 0.0) or (dA0 < 0.0 and dA1 < 0.0)
            col_dom = (dB0 > 0.0 and dB1 > 0.0) or (dB0 < 0.0 and dB1 < 0.0)
            if row_dom and col_dom:
                if e00:
                    a, b = a00, b00
                elif e01:
                    a, b = a01, b01
                elif e10:
                    a, b = a10, b10
                else:
                    a, b = a11, b11
                if (
                    (a00 > a and b00 > b)
                    or (a01 > a and b01 > b)
                    or (a10 > a and b10 > b)
                    or (a11 > a and b11 > b)
                ):
                    cls = 0  # prisoners' dilemma
        if mix and e00 and e11:
            ranked = (a00 > a11 and b00 > b11) or (a11 > a00 and b11 > b00)
            cls = 2 if ranked else 3  # stag hunt / coordination
        if mix and e01 and e10:
            cls = 4  # chicken
        if npure == 0 and mix:
            cls = 5  # matching pennies
        if degen:
            cls = 6
        game_class[k] = cls

        # -- coarse class of the paper notebooks, on the raw payoffs
        dc = 4
        if (rA0 > 0.0) & (rB0 > 0.0) & (rA1 < 0.0) & (rB1 < 0.0):
            dc = 1
        if (rA0 < 0.0) & (rA1 < 0.0) & (rB0 < 0.0) & (rB1 < 0.0):
            dc = 2 if (a00 > a11) & (b00 > b11) else 3
        if (rA0 > 0.0) & (rA1 > 0.0) & (rB0 > 0.0) & (rB1 > 0.0):
            dc = 0
        design_class[k] = dc

        # -- risk dominance between two strict pure equilibria: the larger product of
        # deviation losses; two strict equilibria are on one diagonal or the other
        rd = -1
        if (dA0 > 0.0) & (dB0 > 0.0) & (dA1 < 0.0) & (dB1 < 0.0):
            l00 = abs(sA0) * abs(sB0)
            l11 = abs(sA1) * abs(sB1)
            rd = 0 if l00 > l11 else (3 if l11 > l00 else -2)
        elif (dA1 > 0.0) & (dB0 < 0.0) & (dA0 < 0.0) & (dB1 > 0.0):
            l01 = abs(sA1) * abs(sB0)
            l10 = abs(sA0) * abs(sB1)
            rd = 1 if l01 > l10 else (2 if l10 > l01 else -2)
        risk[k] = rd

        # -- payoff dominance: the pure equilibrium strictly better for both players
        # than every other pure equilibrium
        pd_code = -1
        if npure >= 2:
            flags = (e00, e01, e10, e11)
            pa = (a00, a01, a10, a11)
            pb = (b00, b01, b10, b11)
            for e in range(4):
                if not flags[e]:
                    continue
                ok = True
                for f in range(4):
                    if f != e and flags[f] and not (pa[e] > pa[f] and pb[e] > pb[f]):
                        ok = False
                if ok:
                    pd_code = e
                    break
        payoff[k] = pd_code

        # -- phase
        ph = 0
        if dA0 >= 0.0 and dB0 >= 0.0:
            ph = 1
            dd = dA1 <= 0.0 and dB1 <= 0.0
            if not dd or sA0 * sB0 > sA1 * sB1:
                ph = 2
        if dA0 > 0.0 and dA1 > 0.0 and dB0 > 0.0 and dB1 > 0.0:
            ph = 3
        phase[k] = ph
    return -1


def _raise_bad(A: NDArray, B: NDArray, k: int) -> None:
    """The error for game ``k``, found bad by the kernel: a non-finite payoff or an overflow."""
    for name, X in (("A", A), ("B", B)):
        bad = ~np.isfinite(X[k])
        if bad.any():
            i, j = (int(v) for v in np.argwhere(bad)[0])
            raise InvalidGameError(
                f"{name}[{k}, {i}, {j}] is {X[k, i, j]} (payoffs must be finite)"
            )
    which = "A" if not np.all(np.isfinite(A[k, 0] - A[k, 1])) else "B"
    raise InvalidGameError(
        f"payoff differences of {which} in game {k} overflow (payoffs too close to the "
        "float limit); rescale the game"
    )


def analyse_2x2(
    game: Any, B: ArrayLike | None = None, *, tol: float = 0.0, detail: bool = False
) -> Analysis2x2:
    """Equilibria, thresholds, class, selection and phase of 2x2 games in one pass.

    Parameters
    ----------
    game : EnforcementGame or array_like
        A 2x2 game, or the row payoffs ``A`` of a stack (see :func:`as_stacks`).
    B : array_like, optional
        The column payoffs when ``game`` is ``A``.
    tol : float
        Payoff differences with ``|d| <= tol`` count as ties (default 0: exact).
    detail : bool
        Also fill the payoff differences ``dA``, ``dB`` and the NaN-padded strategy
        arrays ``row``, ``col`` (160 bytes per game that a sweep does not need).

    Returns
    -------
    Analysis2x2

    Raises
    ------
    InvalidGameError
        Bad shapes, a payoff that is not finite, or a payoff difference that overflows.
    """
    A, B = as_stacks(game, B)
    tol = float(tol)
    if not tol >= 0.0:
        raise InvalidGameError(f"tol must be a non-negative number, got {tol}")
    n = A.shape[0]
    out = Analysis2x2(
        count=np.empty(n, np.int8),
        pure=np.empty((n, 2, 2), np.bool_),
        mixed=np.empty(n, np.bool_),
        degenerate=np.empty(n, np.bool_),
        continuum=np.empty(n, np.bool_),
        p=np.empty(n),
        q=np.empty(n),
        q_star=np.empty((n, 2)),
        basin=np.empty(n),
        game_class=np.empty(n, np.int8),
        design_class=np.empty(n, np.int8),
        risk_dominant=np.empty(n, np.int8),
        payoff_dominant=np.empty(n, np.int8),
        phase=np.empty(n, np.int8),
        dA=np.empty((n, 2)) if detail else None,
        dB=np.empty((n, 2)) if detail else None,
        row=np.empty((n, 4, 2)) if detail else None,
        col=np.empty((n, 4, 2)) if detail else None,
    )
    bad = _kernel(
        A, B, tol, detail,
        out.count, out.pure, out.mixed, out.degenerate, out.continuum, out.p, out.q,
        out.q_star, out.basin, out.game_class, out.design_class, out.risk_dominant,
        out.payoff_dominant, out.phase,
        *((out.dA, out.dB, out.row, out.col) if detail else _NO_DETAIL),
    )  # fmt: skip
    if bad >= 0:
        _raise_bad(A, B, int(bad))
    return out
