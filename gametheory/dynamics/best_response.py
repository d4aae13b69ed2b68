"""Best-response and logit mean dynamics of 2x2 games.

:func:`best_response_dynamics` and :func:`logit_dynamics` (``x' = BR(y) - x`` and
``x' = softmax(beta * payoff) - x``) integrate many starting points at once (RK4 on
stacked states); QuantEcon's ``BRD``/``LogitDynamics`` simulate finite populations,
not these mean dynamics.

Strategy index 0 is *comply* (stag), index 1 is *defect* (hare).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from enforcement_lab.errors import InvalidGameError
from gametheory.dynamics._common import _coefficients_2x2, _payoffs_2x2, _sigmoid

__all__ = ["best_response_dynamics", "logit_dynamics"]


def _mean_dynamics(
    target: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    x0: np.ndarray,
    y0: np.ndarray,
    t_max: float,
    dt: float,
) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(x0, dtype=float), np.asarray(y0, dtype=float)
    steps = int(np.ceil(t_max / dt))
    h = t_max / steps if steps else 0.0

    def f(x, y):
        tx, ty = target(x, y)
        return tx - x, ty - y

    for _ in range(steps):
        k1x, k1y = f(x, y)
        k2x, k2y = f(x + 0.5 * h * k1x, y + 0.5 * h * k1y)
        k3x, k3y = f(x + 0.5 * h * k2x, y + 0.5 * h * k2y)
        k4x, k4y = f(x + h * k3x, y + h * k3y)
        x = x + h / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x)
        y = y + h / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y)
    return np.clip(x, 0.0, 1.0), np.clip(y, 0.0, 1.0)


def best_response_dynamics(
    A: Any,
    B: npt.ArrayLike | None = None,
    x0: npt.ArrayLike = 0.5,
    y0: npt.ArrayLike = 0.5,
    *,
    t_max: float = 30.0,
    dt: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Continuous-time best-response dynamics ``x' = BR(y) - x`` of 2x2 games.

    ``x``, ``y`` are the shares complying in the row and column populations; any shapes
    broadcast (many starts at once). At exact indifference the share stays put.

    Examples
    --------
    >>> A = np.array([[4.0, 0.0], [3.0, 3.0]])
    >>> x, y = best_response_dynamics(A, None, [0.9, 0.5], [0.9, 0.5])
    >>> np.round(x, 3).tolist()
    [1.0, 0.0]
    """
    A_arr, B_arr = _payoffs_2x2(A, B)
    a0, a1, b0, b1 = _coefficients_2x2(A_arr, B_arr)

    def br(x, y):
        d = a0 + a1 * y
        e = b0 + b1 * x
        return np.where(d > 0, 1.0, np.where(d < 0, 0.0, x)), np.where(
            e > 0, 1.0, np.where(e < 0, 0.0, y)
        )

    x0b, y0b = np.broadcast_arrays(np.asarray(x0, float), np.asarray(y0, float))
    return _mean_dynamics(br, x0b, y0b, t_max, dt)


def logit_dynamics(
    A: Any,
    B: npt.ArrayLike | None = None,
    x0: npt.ArrayLike = 0.5,
    y0: npt.ArrayLike = 0.5,
    *,
    beta: float = 1.0,
    t_max: float = 30.0,
    dt: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Logit (smoothed best-response) dynamics ``x' = L_beta(y) - x`` of 2x2 games.

    ``L_beta(y) = 1 / (1 + exp(-beta * d(y)))`` where ``d(y)`` is the payoff advantage of
    complying. Rest points are logit quantal-response equilibria; as ``beta`` grows they
    approach Nash equilibria.

    Examples
    --------
    >>> A = np.array([[4.0, 0.0], [3.0, 3.0]])
    >>> x, y = logit_dynamics(A, None, 0.95, 0.95, beta=20.0)
    >>> bool(x > 0.99)
    True
    """
    if not np.isfinite(beta) or beta < 0:
        raise InvalidGameError(f"beta must be a finite non-negative number; got {beta}")
    A_arr, B_arr = _payoffs_2x2(A, B)
    a0, a1, b0, b1 = _coefficients_2x2(A_arr, B_arr)

    def lg(x, y):
        return _sigmoid(beta * (a0 + a1 * y)), _sigmoid(beta * (b0 + b1 * x))

    x0b, y0b = np.broadcast_arrays(np.asarray(x0, float), np.asarray(y0, float))
    return _mean_dynamics(lg, x0b, y0b, t_max, dt)
