"""Classification and equilibrium selection for 2x2 enforcement games.

Each quantity has a vectorised form on stacks ``(n, 2, 2)`` (suffix ``_2x2``, used by
:mod:`gametheory.sweep`) and a scalar form on an
:class:`~gametheory.games.EnforcementGame`. All are closed forms in the payoff
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
from gametheory.solve import equilibria_2x2, payoff_differences, pow2_normalise

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

CLASSES: tuple[str, ...] = (
    "prisoners_dilemma",
    "dominant",
    "stag_hunt",
    "coordination",
    "chicken",
    "matching_pennies",
    "degenerate",
)
PHASES: tuple[str, ...] = (
    "no compliance",
    "coordination",
    "compliance risk-dominant",
    "compliance dominant",
)
#: Codes returned by the vectorised selection functions besides a profile index 0..3.
NONE, TIE = -1, -2
_PROFILES = ((0, 0), (0, 1), (1, 0), (1, 1))


def _stacks(A: ArrayLike, B: ArrayLike) -> tuple[NDArray, NDArray]:
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    return A.reshape(-1, 2, 2), B.reshape(-1, 2, 2)


def classify_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Class codes (indices into :data:`CLASSES`) of a stack of 2x2 games.

    >>> [CLASSES[c] for c in classify_2x2([[[3, 0], [5, 1]], [[0, 1], [1, 0]]],
    ...                                    [[[3, 5], [0, 1]], [[1, 0], [0, 1]]])]
    ['prisoners_dilemma', 'matching_pennies']
    """
    res = equilibria_2x2(A, B, tol=tol)
    A, B = _stacks(A, B)
    dA, dB = res.dA, res.dB
    n = dA.shape[0]
    pure = res.pure.reshape(n, 4)
    npure = pure.sum(axis=1)
    out = np.full(n, CLASSES.index("dominant"), dtype=np.int64)
    # unique pure equilibrium: a dilemma when both have dominant strategies and it is
    # strictly Pareto-dominated by another profile
    row_dom = np.sign(dA[:, 0]) * np.sign(dA[:, 1]) > 0
    col_dom = np.sign(dB[:, 0]) * np.sign(dB[:, 1]) > 0
    flatA = A.reshape(n, 4)
    flatB = B.reshape(n, 4)
    k = np.argmax(pure, axis=1)
    a = flatA[np.arange(n), k][:, None]
    b = flatB[np.arange(n), k][:, None]
    dominated = ((flatA > a) & (flatB > b)).any(axis=1)
    out[(npure == 1) & row_dom & col_dom & dominated] = CLASSES.index("prisoners_dilemma")
    diagonal = res.pure[:, 0, 0] & res.pure[:, 1, 1] & res.mixed
    anti = res.pure[:, 0, 1] & res.pure[:, 1, 0] & res.mixed
    ranked = ((A[:, 0, 0] > A[:, 1, 1]) & (B[:, 0, 0] > B[:, 1, 1])) | (
        (A[:, 1, 1] > A[:, 0, 0]) & (B[:, 1, 1] > B[:, 0, 0])
    )
    out[diagonal & ranked] = CLASSES.index("stag_hunt")
    out[diagonal & ~ranked] = CLASSES.index("coordination")
    out[anti] = CLASSES.index("chicken")
    out[(npure == 0) & res.mixed] = CLASSES.index("matching_pennies")
    out[res.degenerate] = CLASSES.index("degenerate")
    return out


def risk_dominant_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Risk-dominant equilibrium: profile index ``2*i + j``, ``-2`` for a tie, ``-1`` if none.

    Defined when the game has two strict pure equilibria; the one with the larger
    product of deviation losses ``|dA_j| * |dB_i|`` risk-dominates. The products are
    compared on differences scaled by powers of two (exact), so payoffs of any finite
    magnitude compare correctly instead of overflowing into a spurious tie.

    >>> risk_dominant_2x2([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]]).tolist()  # (hare, hare)
    [3]
    """
    dA, dB = payoff_differences(A, B, tol=tol)
    n = dA.shape[0]
    row_strict = np.stack([dA > 0, dA < 0], axis=1)
    col_strict = np.stack([dB > 0, dB < 0], axis=2)
    strict = (row_strict & col_strict).reshape(n, 4)
    sA = np.abs(pow2_normalise(dA))
    sB = np.abs(pow2_normalise(dB))
    loss = (sA[:, None, :] * sB[:, :, None]).reshape(n, 4)
    score = np.where(strict, loss, -np.inf)
    order = np.argsort(score, axis=1)
    best = order[:, -1]
    top = np.take_along_axis(score, order[:, -1:], axis=1)[:, 0]
    second = np.take_along_axis(score, order[:, -2:-1], axis=1)[:, 0]
    two = strict.sum(axis=1) == 2
    return np.where(two, np.where(top == second, TIE, best), NONE).astype(np.int64)


def payoff_dominant_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Pure equilibrium strictly better for both players than every other pure one.

    Returns the profile index ``2*i + j``, or ``-1`` when there are fewer than two pure
    equilibria or none dominates.

    >>> payoff_dominant_2x2([[[4, 0], [3, 3]]], [[[4, 3], [0, 3]]]).tolist()  # (stag, stag)
    [0]
    """
    res = equilibria_2x2(A, B, tol=tol)
    A, B = _stacks(A, B)
    n = A.shape[0]
    pure = res.pure.reshape(n, 4)
    fa = A.reshape(n, 4)
    fb = B.reshape(n, 4)
    beats = (fa[:, :, None] > fa[:, None, :]) & (fb[:, :, None] > fb[:, None, :])  # e beats f
    eye = np.eye(4, dtype=bool)[None]
    ok = pure & np.all(beats | eye | ~pure[:, None, :], axis=2)
    has = ok.any(axis=1) & (pure.sum(axis=1) >= 2)
    return np.where(has, np.argmax(ok, axis=1), NONE).astype(np.int64)


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
    dA, dB = payoff_differences(A, B, tol=tol)

    def one(d: NDArray) -> NDArray:
        d0, d1 = d[:, 0], d[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            interior = d1 / (d1 - d0)
        return np.where(d0 < 0, 1.0, np.where(d1 >= 0, 0.0, interior))

    # exact power-of-two rescaling: d1 - d0 cannot overflow
    return np.stack([one(pow2_normalise(dA)), one(pow2_normalise(dB))], axis=1)


def phase_2x2(A: ArrayLike, B: ArrayLike, *, tol: float = 0.0) -> NDArray[np.int64]:
    """Phase codes (indices into :data:`PHASES`) of a stack of 2x2 games.

    >>> [PHASES[c] for c in phase_2x2([[[4, 0], [3, 3]], [[5, 2], [3, 3]]],
    ...                               [[[4, 3], [0, 3]], [[5, 3], [2, 3]]])]
    ['coordination', 'compliance risk-dominant']
    """
    dA, dB = payoff_differences(A, B, tol=tol)
    cc = (dA[:, 0] >= 0) & (dB[:, 0] >= 0)
    dd = (dA[:, 1] <= 0) & (dB[:, 1] <= 0)
    sA = pow2_normalise(dA)  # exact rescaling: the products below cannot overflow
    sB = pow2_normalise(dB)
    rd = sA[:, 0] * sB[:, 0] > sA[:, 1] * sB[:, 1]
    dominant = (dA > 0).all(axis=1) & (dB > 0).all(axis=1)
    out = np.zeros(dA.shape[0], dtype=np.int64)
    out[cc] = 1
    out[cc & (~dd | rd)] = 2
    out[dominant] = 3
    return out


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
