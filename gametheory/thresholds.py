"""Compliance thresholds: how much payoff adjustment makes compliance stick.

For a 2x2 game and an *additive* instrument (one that adds the same net amount
``delta`` to a player's advantage of complying over defecting whatever the opponent
does: a sanction ``p*s``, a conditional benefit ``b(m - eps)``, a reputation cost,
capacity building, a diverted sanction ``p(1 - alpha)s``, participation), three
critical values have closed forms in the payoff differences ``dA_j``, ``dB_i`` of
:mod:`gametheory.solve`:

(a) **equilibrium**: (comply, comply) is a Nash equilibrium iff ``d_0 + delta >= 0``
    for each player, so ``delta_eq = max(-d_0)`` over the targeted players;
(c) **dominant**: complying is strictly dominant iff ``min_j d_j + delta > 0``, so
    ``delta_dom = max(-min_j d_j)``;
(b) **risk dominant**: (comply, comply) is an equilibrium and either (defect, defect)
    is not, or (comply, comply) has the larger Nash product,
    ``(dA_0 + delta)(dB_0 + delta) > (dA_1 + delta)(dB_1 + delta)``, which is linear in
    ``delta``: ``delta_rd = max(delta_eq, min(delta_prod, delta_dd))``, where
    ``delta_dd`` removes the defect equilibrium. This holds for every 2x2 game, not only
    under strategic complements (``d_0 >= d_1``, the stag-hunt structure): when the
    Nash-product difference falls with ``delta``, some targeted player has
    ``d_0 < d_1``, so (defect, defect) is gone before (comply, comply) becomes an
    equilibrium and ``delta_rd = delta_eq``.

For the Banks-Hyde game (:func:`gametheory.games.assurance`) these are Banks' own
conditions (``docs/models_001_banks.md``, B2): ``delta_eq = h + g - s``,
``delta_rd = h - s + (l + g)/2``, ``delta_dom = h - s + l``. A player not targeted by
the instrument must satisfy the condition already, otherwise the threshold is
``inf``. Values are in units of ``delta``; :func:`instrument_threshold` converts to
an instrument parameter (e.g. the sanction size for a given probability), and
:func:`critical_value` finds any threshold numerically, by a scan and a bisection on
the criterion itself (the fallback for non-additive instruments such as
:class:`~gametheory.instruments.Fine`).

Examples
--------
>>> from gametheory.games import stag_hunt
>>> compliance_thresholds(stag_hunt())
Thresholds(equilibrium=-1.0, risk_dominant=1.0, dominant=3.0)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from enforcement_lab.errors import EnforcementLabError, InvalidGameError
from gametheory.games import EnforcementGame
from gametheory.instruments import Fine, Instrument
from gametheory.selection import PHASES, phase
from gametheory.solve import payoff_differences

__all__ = [
    "CRITERIA",
    "ThresholdSearchError",
    "Thresholds",
    "compliance_thresholds",
    "critical_value",
    "fine_share_threshold",
    "holds",
    "instrument_threshold",
    "margin",
]

Criterion = Literal["equilibrium", "risk_dominant", "dominant"]
CRITERIA: tuple[str, ...] = ("equilibrium", "risk_dominant", "dominant")


@dataclass(frozen=True)
class Thresholds:
    """Critical additive shifts for the three criteria (``inf`` if unreachable).

    A value ``<= 0`` means the criterion already holds without the instrument. The
    criterion holds for every shift strictly above the value (and at the value for
    ``equilibrium``, a weak inequality).
    """

    equilibrium: float
    risk_dominant: float
    dominant: float

    def __getitem__(self, criterion: str) -> float:
        if criterion not in CRITERIA:
            raise InvalidGameError(f"unknown criterion {criterion!r}; choose {', '.join(CRITERIA)}")
        return float(getattr(self, criterion))


def _targets(players: str) -> tuple[bool, bool]:
    if players not in ("row", "column", "both"):
        raise InvalidGameError(f"players must be row, column or both, got {players!r}")
    return players in ("row", "both"), players in ("column", "both")


def _as_game(game: EnforcementGame) -> EnforcementGame:
    if not isinstance(game, EnforcementGame) or game.shape != (2, 2):
        raise InvalidGameError("compliance thresholds are defined for 2x2 EnforcementGames")
    return game


def margin(game: EnforcementGame, criterion: Criterion) -> float:
    """A continuous margin that is positive when ``criterion`` holds (0 on the boundary).

    equilibrium: ``min(dA_0, dB_0)``; dominant: ``min`` of all four differences;
    risk_dominant: ``min(equilibrium margin, max(dA_1, dB_1, Nash-product difference))``.
    """
    g = _as_game(game)
    dA, dB = payoff_differences(g.A, g.B)
    a0, a1, b0, b1 = dA[0, 0], dA[0, 1], dB[0, 0], dB[0, 1]
    if criterion == "equilibrium":
        return float(min(a0, b0))
    if criterion == "dominant":
        return float(min(a0, a1, b0, b1))
    if criterion == "risk_dominant":
        return float(min(min(a0, b0), max(a1, b1, a0 * b0 - a1 * b1)))
    raise InvalidGameError(f"unknown criterion {criterion!r}; choose {', '.join(CRITERIA)}")


def compliance_thresholds(game: EnforcementGame, players: str = "both") -> Thresholds:
    """Closed-form critical shifts ``delta`` for an additive instrument on ``players``.

    >>> from gametheory.games import assurance
    >>> s, h, l, g = 5.0, 3.0, 4.0, 1.0
    >>> t = compliance_thresholds(assurance(s, h, l, g))
    >>> (t.equilibrium, t.risk_dominant, t.dominant) == (h + g - s, h - s + (l + g) / 2, h - s + l)
    True
    """
    g = _as_game(game)
    row, col = _targets(players)
    dA, dB = payoff_differences(g.A, g.B)
    a0, a1 = float(dA[0, 0]), float(dA[0, 1])
    b0, b1 = float(dB[0, 0]), float(dB[0, 1])
    inf = math.inf

    # (a) equilibrium
    eq = -inf
    for targeted, d0 in ((row, a0), (col, b0)):
        if targeted:
            eq = max(eq, -d0)
        elif d0 < 0:
            eq = inf
    # (c) dominant
    dom = -inf
    for targeted, d in ((row, (a0, a1)), (col, (b0, b1))):
        if targeted:
            dom = max(dom, -min(d))
        elif min(d) <= 0:
            dom = inf
    # (b) risk dominant. Defect-defect stops being an equilibrium once some d_1 + delta > 0
    dd = inf
    for targeted, d1 in ((row, a1), (col, b1)):
        if targeted:
            dd = min(dd, -d1)
        elif d1 > 0:
            dd = -inf
    # Nash-product difference c1 delta + c0 (the delta^2 terms cancel when both players
    # are targeted and are absent when one is). When c1 < 0, (defect, defect) is already
    # gone wherever (comply, comply) is an equilibrium (see the module docstring), so
    # the product condition does not matter and ``inf`` / ``-inf`` stand in for it.
    ra, cb = (1.0 if row else 0.0), (1.0 if col else 0.0)
    c1 = ra * (b0 - b1) + cb * (a0 - a1)
    c0 = a0 * b0 - a1 * b1
    if c1 > 0:
        prod = -c0 / c1
    else:
        prod = -inf if c0 > 0 else inf
    rd = max(eq, min(prod, dd))
    return Thresholds(equilibrium=float(eq), risk_dominant=float(rd), dominant=float(dom))


class ThresholdSearchError(InvalidGameError):
    """A numerical threshold search could not be completed (names what was searched,
    over which bracket, and why)."""


_LEVEL = {"equilibrium": 1, "risk_dominant": 2, "dominant": 3}  # indices into PHASES


def holds(game: EnforcementGame, criterion: Criterion) -> bool:
    """Whether ``criterion`` holds in ``game``, exactly as :func:`~gametheory.selection.phase`
    classifies it: weakly for ``equilibrium`` (a payoff difference of 0 is still an
    equilibrium), strictly for ``dominant``, and for ``risk_dominant`` (comply, comply)
    a weak equilibrium and either (defect, defect) no equilibrium or a strictly larger
    Nash product.

    >>> from gametheory.games import bimatrix
    >>> holds(bimatrix([[1, 0], [0, 0]], [[0, 0], [0, 1]]), "equilibrium")   # a tie
    True
    """
    if criterion not in CRITERIA:
        raise InvalidGameError(f"unknown criterion {criterion!r}; choose {', '.join(CRITERIA)}")
    return PHASES.index(phase(_as_game(game))) >= _LEVEL[criterion]


def critical_value(
    family: Callable[[float], EnforcementGame],
    criterion: Criterion,
    lo: float,
    hi: float,
    *,
    xtol: float = 1e-12,
    grid: int = 1,
    what: str = "the parameter",
) -> float:
    """Smallest ``x`` in ``[lo, hi]`` at which ``criterion`` holds for ``family(x)``.

    The criterion is evaluated exactly as :func:`holds` (and :func:`phase`) decide it,
    so ties count the way the criterion defines them: a margin of exactly 0 satisfies
    ``equilibrium`` (a weak inequality), never ``dominant``. Returns ``lo`` when the
    criterion already holds at ``lo`` and ``inf`` when it holds at none of the points
    checked.

    The points ``lo + (hi - lo) k / grid``, ``k = 1..grid``, are checked in order; the
    boundary between the last failing and the first holding one is located by
    scipy's ``brentq`` on the continuous :func:`margin` where the margin changes sign
    strictly there, then polished (or, where the margin is flat or touches zero
    without crossing, found outright) by bisection on the criterion itself, to
    ``xtol``. The value returned always satisfies the criterion, and no scipy error
    reaches the caller.

    Non-monotone criteria: with the default ``grid=1`` the criterion is assumed to
    switch on once between ``lo`` and ``hi``; if it switches on and off again the
    value is a boundary between a failing and a holding value, not necessarily the
    smallest. A larger ``grid`` returns the start of the first holding interval that
    contains a grid point (an interval shorter than ``(hi - lo) / grid`` between two
    failing points can still be missed), at the cost of ``grid`` more evaluations.

    Parameters
    ----------
    family : callable
        ``family(x)`` returns a 2x2 :class:`~gametheory.games.EnforcementGame`.
    criterion : {"equilibrium", "risk_dominant", "dominant"}
    lo, hi : float
        The bracket searched.
    xtol : float
        Absolute tolerance of the boundary.
    grid : int
        Intervals checked before the root search.
    what : str
        Name of the parameter, used in error messages.

    Raises
    ------
    ThresholdSearchError
        When ``family`` cannot be evaluated at a point of the bracket; the message
        names ``what``, the point and the bracket.

    Examples
    --------
    >>> from gametheory.games import stag_hunt
    >>> from gametheory.instruments import Sanction
    >>> x = critical_value(lambda s: stag_hunt().adjust(Sanction(1.0, s)), "dominant", 0, 10)
    >>> round(x, 9)
    3.0
    """
    from scipy.optimize import brentq

    if criterion not in CRITERIA:
        raise InvalidGameError(f"unknown criterion {criterion!r}; choose {', '.join(CRITERIA)}")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InvalidGameError(f"critical_value needs finite lo < hi, got [{lo}, {hi}]")
    if grid < 1:
        raise InvalidGameError(f"grid must be a positive number of intervals; got {grid}")
    lo, hi = float(lo), float(hi)

    def game_at(x: float) -> EnforcementGame:
        try:
            return family(x)
        except EnforcementLabError as err:
            raise ThresholdSearchError(
                f"searching {what} over [{lo}, {hi}] for {criterion!r}: the game at "
                f"{what} = {x!r} cannot be evaluated ({err})"
            ) from err

    def at(x: float) -> bool:
        return holds(game_at(x), criterion)

    def gap(x: float) -> float:
        return margin(game_at(x), criterion)

    if at(lo):
        return lo
    below, above = lo, math.nan
    for k in range(1, grid + 1):
        x = hi if k == grid else lo + (hi - lo) * k / grid
        if at(x):
            above = x
            break
        below = x
    if math.isnan(above):
        return math.inf
    g_below, g_above = gap(below), gap(above)
    if g_below < 0 < g_above:  # a strict crossing: locate it quickly, then polish
        try:
            root = float(brentq(gap, below, above, xtol=xtol))
        except (RuntimeError, ValueError):  # no convergence: the bisection below decides
            root = math.nan
        if below < root < above:
            step = xtol
            b = root
            while not at(b):  # the holding side of the root
                below = b
                b = min(root + step, above)
                step *= 2
            above = b
            step = xtol
            a = max(root - step, below)
            while a > below and at(a):  # the failing side
                above = a
                step *= 2
                a = max(root - step, below)
            below = a
    tiny = 4 * np.finfo(float).eps
    while above - below > xtol + tiny * abs(above):
        mid = below + 0.5 * (above - below)
        if not below < mid < above:
            break
        if at(mid):
            above = mid
        else:
            below = mid
    return above


def instrument_threshold(
    game: EnforcementGame,
    instrument: Instrument,
    parameter: str,
    criterion: Criterion = "dominant",
) -> float:
    """Critical value of one parameter of an instrument (others as in ``instrument``).

    For additive instruments the shift is affine in each parameter, so the closed form
    :func:`compliance_thresholds` converts exactly. When the shift *falls* as the
    parameter rises (``alpha`` of :class:`~gametheory.instruments.TradeDiversion`,
    ``error`` of a conditional benefit) the value returned is the largest at which the
    criterion still holds. ``inf`` (or ``-inf`` for falling parameters) means no
    admissible value works; values outside the parameter's bounds count as
    inadmissible. Non-additive instruments (:class:`~gametheory.instruments.Fine`) use
    :func:`critical_value` over the parameter's bounds (upper bound 100 if unbounded).

    Ties: the value returned is the boundary of the region where the criterion holds.
    ``equilibrium`` is a weak inequality and holds at the boundary itself (a game
    already in a weak equilibrium returns the lower bound, not ``inf``); ``dominant``
    is strict and holds only beyond it; ``risk_dominant`` holds at it exactly when
    :func:`holds` says so there. A margin that is flat or not monotone in the parameter
    is handled by :func:`critical_value`'s scan (the start of the first interval on
    which the criterion holds); a search that cannot evaluate the game raises
    :class:`ThresholdSearchError` naming the instrument, the parameter and the bracket.

    >>> from gametheory.games import stag_hunt
    >>> from gametheory.instruments import Sanction
    >>> instrument_threshold(stag_hunt(), Sanction(probability=0.5), "size", "dominant")
    6.0
    """
    if not isinstance(instrument, Instrument):
        raise InvalidGameError(f"{instrument!r} is not an instrument")
    if parameter not in instrument.bounds:
        raise InvalidGameError(
            f"{type(instrument).__name__} has no parameter {parameter!r}; "
            f"choose {', '.join(instrument.bounds)}"
        )
    lo_b, hi_b = instrument.bounds[parameter]
    lo = 0.0 if lo_b is None else float(lo_b)
    hi = 100.0 if hi_b is None else float(hi_b)

    def at(x: float) -> Instrument:
        changes: dict[str, Any] = {parameter: x}  # a field of the instrument's subclass
        return dataclasses.replace(instrument, **changes)

    s0 = at(lo).shift
    if s0 is None:
        what = f"{type(instrument).__name__}.{parameter}"
        return critical_value(lambda x: game.adjust(at(x)), criterion, lo, hi, what=what)
    slope = at(lo + 1.0).shift - s0
    target = compliance_thresholds(game, instrument.players)[criterion]
    if math.isinf(target):
        return target if slope >= 0 else -target
    if slope == 0:  # the parameter does not move the shift: all values or none
        return lo if holds(game.adjust(at(lo)), criterion) else math.inf
    x = lo + (target - s0) / slope
    if slope > 0:
        return float(max(x, lo)) if x <= (hi_b if hi_b is not None else math.inf) else math.inf
    return float(min(x, hi)) if x >= lo else -math.inf


def fine_share_threshold(
    pursuit: float = 1.0, theta: float = 1.0, sector_weight: float = math.inf
) -> float:
    """Fine share above which a violation with a positive gain stops paying.

    The expected penalty is ``pursuit * min(sector_weight, share) * theta`` times the
    gain (:class:`~gametheory.instruments.Fine`), so a violation stops paying only when
    ``share > 1 / (pursuit * theta)`` (Barenberg M5: ``P * min(lambda, f) * theta >= 1``).
    When ``pursuit * theta <= 1`` (Barenberg's endnote 56 takes ``theta = 1``) this is
    at least 1, so a 50% fine does not deter; with ``theta > 2`` it can.
    ``inf`` when even an unlimited share cannot (sector weight too low, or zero
    pursuit).

    >>> fine_share_threshold(), fine_share_threshold(pursuit=0.5, theta=0.8)
    (1.0, 2.5)
    """
    Fine(share=0.0, theta=theta, pursuit=pursuit, sector_weight=min(sector_weight, 1e300))
    if pursuit * theta == 0:
        return math.inf
    need = 1.0 / (pursuit * theta)
    return need if sector_weight >= need else math.inf


def describe_thresholds(game: EnforcementGame, players: str = "both") -> dict[str, Any]:
    """Thresholds as a plain dict (used by the CLI)."""
    t = compliance_thresholds(game, players)
    return {c: t[c] for c in CRITERIA}
