"""Classification and equilibrium selection for 2x2 enforcement games.

Each quantity has a vectorised form on stacks ``(n, 2, 2)`` (suffix ``_2x2``; each is one
field of the single pass of :func:`gametheory.kernel2x2.analyse_2x2`, which a sweep reads
whole) and a scalar form on an :class:`~gametheory.games.EnforcementGame`. All are closed forms in the payoff
differences ``dA_j = A[0, j] - A[1, j]`` and ``dB_i = B[i, 0] - B[i, 1]`` (see
:mod:`gametheory.solve`), with strategy 0 = comply.

* **Class** (:data:`CLASSES`): ``prisoners_dilemma`` (both players have a strictly
  dominant strategy and the unique equilibrium is strictly Pareto-dominated by another
  profile), ``dominant`` (unique equilibrium reached by strict dominance, no dilemma),
  ``stag_hunt`` (pure equilibria on the diagonal, one payoff-dominates the other, plus
  a mixed one), ``coordination`` (diagonal equilibria not Pareto-ranked), ``chicken``
  (anti-diagonal pure equilibria), ``matching_pennies`` (only a mixed equilibrium) and
  ``degenerate`` (payoff ties).
* **Risk dominance** (Harsanyi and Selten 1988): between two strict pure equilibria,
  the one with the larger product of the players' deviation losses.
* **Payoff dominance**: the pure equilibrium strictly better for both players than
  every other pure equilibrium.
* **Mixed threshold** ``q*``: the smallest belief that the opponent complies above
  which complying is a best response; ``1 - q*`` is the basin of compliance under
  best-response dynamics. For the Banks-Hyde stag hunt it is Banks' ``q0``.
* **Phase** (:data:`PHASES`), the regions of a phase diagram: ``no compliance``
  ((comply, comply) is not an equilibrium), ``coordination`` (it is, but the defect
  equilibrium is risk-dominant or tied: the assurance problem), ``compliance
  risk-dominant`` (it is the unique or the risk-dominant equilibrium), ``compliance
  dominant`` (complying is strictly dominant for both players).

Examples
--------
>>> from gametheory.games import stag_hunt
>>> g = stag_hunt()
>>> classify(g), risk_dominant(g), payoff_dominant(g), mixed_threshold(g)
('stag_hunt', (1, 1), (0, 0), 0.75)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from enforcement_lab.errors import InvalidGameError
from gametheory.games import EnforcementGame
from gametheory.kernel2x2 import CLASSES, NONE, PHASES, TIE, analyse_2x2

__all__ = [
    "CLASSES",
    "PHASES",
    "basin_of_compliance",
    "classify",
    "classify_2x2",
    "mixed_threshold",
    "mixed_threshold_2x2",
    "payoff_dominant",
    "payoff_dominant_2x2",
    "phase",
    "phase_2x2",
    "risk_dominant",
    "risk_dominant_2x2",
]

_PROFILES = ((0, 0), (0, 1), (1, 0), (1, 1))


def classify_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Class codes (indices into :data:`CLASSES`) of a stack of 2x2 games.

    >>> [CLASSES[c] for c in classify_2x2([[[3, 0], [5, 1]], [[0, 1], [1, 0]]],
    ...                                    [[[3, 5], [0, 1]], [[1, 0], [0, 1]]])]
    ['prisoners_dilemma', 'matching_pennies']
    """
    return analyse_2x2(A, B, tol=tol).game_class.astype(np.int64)


def risk_dominant_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Risk-dominant equilibrium: profile index ``2*i + j``, ``-2`` for a tie, ``-1`` if none.

    Defined when the game has two strict pure equilibria; the one with the larger
    product of deviation losses ``|dA_j| * |dB_i|`` risk-dominates. The products are
    compared on differences scaled by powers of two (exact), so payoffs of any finite
    magnitude compare correctly instead of overflowing into a spurious tie.

    >>> risk_dominant_2x2([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]]).tolist()  # (hare, hare)
    [3]
    """
    return analyse_2x2(A, B, tol=tol).risk_dominant.astype(np.int64)


def payoff_dominant_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Pure equilibrium strictly better for both players than every other pure one.

    Returns the profile index ``2*i + j``, or ``-1`` when there are fewer than two pure
    equilibria or none dominates.

    >>> payoff_dominant_2x2([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]]).tolist()  # (stag, stag)
    [0]
    """
    return analyse_2x2(A, B, tol=tol).payoff_dominant.astype(np.int64)


def mixed_threshold_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.float64]:
    """``q*`` for the row and the column player, shape ``(n, 2)``.

    ``q*`` is the smallest probability that the opponent complies such that complying
    is a best response for every belief at or above it: 0 when complying is always a
    best response, 1 when it is not even against a sure complier, otherwise the
    indifference point ``dA_1 / (dA_1 - dA_0)``.

    >>> mixed_threshold_2x2([[[4, 0], [3, 3]], [[3, 0], [5, 1]]],
    ...                     [[[4, 3], [0, 3]], [[3, 5], [0, 1]]]).tolist()
    [[0.75, 0.75], [1.0, 1.0]]
    """
    return analyse_2x2(A, B, tol=tol).q_star


def phase_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Phase codes (indices into :data:`PHASES`) of a stack of 2x2 games.

    >>> [PHASES[c] for c in phase_2x2([[[4, 0], [3, 3]], [[5, 2], [3, 3]]],
    ...                               [[[4, 3], [0, 3]], [[5, 3], [2, 3]]])]
    ['coordination', 'compliance risk-dominant']
    """
    return analyse_2x2(A, B, tol=tol).phase.astype(np.int64)


# -- scalar forms --------------------------------------------------------------------


def _check(game: EnforcementGame) -> EnforcementGame:
    if not isinstance(game, EnforcementGame):
        raise InvalidGameError(f"expected an EnforcementGame, got {type(game).__name__}")
    if game.shape != (2, 2):
        raise InvalidGameError(f"only 2x2 games can be classified; this game is {game.shape}")
    return game


def classify(game: EnforcementGame) -> str:
    """The class of a 2x2 game (one of :data:`CLASSES`)."""
    g = _check(game)
    return CLASSES[int(classify_2x2(g.A, g.B)[0])]


def _profile(code: int) -> tuple[int, int] | str | None:
    if code == NONE:
        return None
    if code == TIE:
        return "tie"
    return _PROFILES[code]


def risk_dominant(game: EnforcementGame) -> tuple[int, int] | str | None:
    """The risk-dominant pure equilibrium ``(i, j)``, ``"tie"``, or None."""
    g = _check(game)
    return _profile(int(risk_dominant_2x2(g.A, g.B)[0]))


def payoff_dominant(game: EnforcementGame) -> tuple[int, int] | None:
    """The payoff-dominant pure equilibrium ``(i, j)`` or None."""
    g = _check(game)
    out = _profile(int(payoff_dominant_2x2(g.A, g.B)[0]))
    return out if out != "tie" else None  # type: ignore[return-value]


def mixed_threshold(game: EnforcementGame, player: Literal["row", "column"] = "row") -> float:
    """``q*``: the belief that the opponent complies at which complying becomes a best response."""
    g = _check(game)
    if player not in ("row", "column"):
        raise InvalidGameError(f"player must be 'row' or 'column', got {player!r}")
    return float(mixed_threshold_2x2(g.A, g.B)[0, 0 if player == "row" else 1])


def basin_of_compliance(game: EnforcementGame, player: Literal["row", "column"] = "row") -> float:
    """``1 - q*``, the share of beliefs from which best-response dynamics lead to compliance."""
    return 1.0 - mixed_threshold(game, player)


def phase(game: EnforcementGame) -> str:
    """The phase of a 2x2 game (one of :data:`PHASES`)."""
    g = _check(game)
    return PHASES[int(phase_2x2(g.A, g.B)[0])]
