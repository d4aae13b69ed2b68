"""Payoff checks and 2x2 coefficients shared by the dynamics modules."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from enforcement_lab.errors import InvalidGameError


def _payoffs(game: Any, B: npt.ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return float arrays ``(A, B)`` from an EnforcementGame-like object or two arrays."""
    if B is None:
        if hasattr(game, "A") and hasattr(game, "B"):
            A, B = game.A, game.B
        else:
            A = np.asarray(game, dtype=float)
            B = np.swapaxes(A, -1, -2)  # symmetric game: column payoffs are A transposed
    else:
        A = game
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim < 2 or A.shape != B.shape:
        raise InvalidGameError(
            f"payoff arrays must have equal shapes (..., m, n); got A {A.shape} and B {B.shape}"
        )
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise InvalidGameError("payoffs must be finite numbers (found NaN or infinity)")
    return A, B


def _payoffs_2x2(game: Any, B: npt.ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    A, B = _payoffs(game, B)
    if A.shape[-2:] != (2, 2):
        raise InvalidGameError(f"a 2x2 game is required here; got payoff shape {A.shape[-2:]}")
    return A, B


def _coefficients_2x2(A: np.ndarray, B: np.ndarray):
    """Payoff advantage of comply: row d(y) = a0 + a1*y, column e(x) = b0 + b1*x."""
    a0 = A[..., 0, 1] - A[..., 1, 1]
    a1 = (A[..., 0, 0] - A[..., 1, 0]) - a0
    b0 = B[..., 1, 0] - B[..., 1, 1]
    b1 = (B[..., 0, 0] - B[..., 0, 1]) - b0
    return a0, a1, b0, b1


def _sigmoid(u: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * u))
