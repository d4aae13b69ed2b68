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
:func:`critical_value` finds any threshold numerically with scipy's ``brentq`` (the
fallback for non-additive instruments such as :class:`~gametheory.instruments.Fine`).

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

from scipy.optimize import brentq

from enforcement_lab.errors import InvalidGameError
from gametheory.games import EnforcementGame
from gametheory.instruments import INSTRUMENTS, Fine, Instrument
from gametheory.solve import payoff_differences

__all__ = [
    "CRITERIA",
    "Thresholds",
    "compliance_thresholds",
    "critical_value",
    "fine_share_threshold",
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


def critical_value(
    family: Callable[[float], EnforcementGame],
    criterion: Criterion,
    lo: float,
    hi: float,
    *,
    xtol: float = 1e-12,
) -> float:
    """Smallest ``x`` in ``[lo, hi]`` from which ``criterion`` holds for ``family(x)``.

    Assumes the criterion is monotone in ``x`` (it switches on once). Returns ``lo``
    when it already holds at ``lo`` and ``inf`` when it fails at ``hi``; otherwise the
    root of :func:`margin` found by :func:`scipy.optimize.brentq`.

    >>> from gametheory.games import stag_hunt
    >>> from gametheory.instruments import Sanction
    >>> x = critical_value(lambda s: stag_hunt().adjust(Sanction(1.0, s)), "dominant", 0, 10)
    >>> round(x, 9)
    3.0
    """
    if criterion not in CRITERIA:
        raise InvalidGameError(f"unknown criterion {criterion!r}; choose {', '.join(CRITERIA)}")
    if not lo < hi:
        raise InvalidGameError(f"critical_value needs lo < hi, got [{lo}, {hi}]")

    def f(x: float) -> float:
        return margin(family(x), criterion)

    f_lo, f_hi = f(lo), f(hi)
    if f_lo > 0:
        return float(lo)
    if f_hi <= 0:
        return math.inf
    return float(brentq(f, lo, hi, xtol=xtol))


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
        return dataclasses.replace(instrument, **{parameter: x})

    s0 = at(lo).shift
    if s0 is None:
        return critical_value(lambda x: game.adjust(at(x)), criterion, lo, hi)
    slope = at(lo + 1.0).shift - s0
    target = compliance_thresholds(game, instrument.players)[criterion]
    if math.isinf(target):
        return target if slope >= 0 else -target
    if slope == 0:  # the parameter does not move the shift: all values or none
        holds = s0 >= target if criterion == "equilibrium" else s0 > target
        return lo if holds else math.inf
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
    Since ``pursuit, theta <= 1`` this is at least 1: a 50% fine never deters.
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


def _instrument_class(name: str) -> type[Instrument]:
    try:
        return INSTRUMENTS[name]
    except KeyError:
        raise InvalidGameError(
            f"unknown instrument {name!r}; known: {', '.join(INSTRUMENTS)}"
        ) from None


def describe_thresholds(game: EnforcementGame, players: str = "both") -> dict[str, Any]:
    """Thresholds as a plain dict (used by the CLI)."""
    t = compliance_thresholds(game, players)
    return {c: t[c] for c in CRITERIA}
