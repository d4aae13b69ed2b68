"""Logit quantal response equilibrium of a bimatrix game: the principal branch and its estimation.

For a bimatrix game ``(A, B)`` and precision ``lambda >= 0`` a logit QRE is a pair of
mixed strategies with ``s1(i) ~ exp(lambda (A s2)_i)`` and ``s2(j) ~ exp(lambda (s1' B)_j)``
(McKelvey and Palfrey 1995, Games and Economic Behavior 10). At ``lambda = 0`` both
players mix uniformly; the connected branch of solutions that starts there (the
*principal branch*) converges, as ``lambda`` grows, to one Nash equilibrium, the one
logit QRE selects (McKelvey and Palfrey 1995, Theorem 2; Turocy 2005, Games and Economic
Behavior 51).

The branch is traced as gambit traces it (Turocy 2005): the unknowns are the
log-probabilities ``v = log s`` and ``lambda``; the equations are, for each player,
``sum(exp(v)) = 1`` and ``v_j - v_0 = lambda (u_j - u_0)``; a predictor step along the
tangent of the solution curve (the null vector of the Jacobian, oriented as the previous
one) is followed by Newton corrections on the curve (pseudo-arclength continuation), so
the trace passes folds where ``lambda`` turns back. Log-probabilities keep the equations
well scaled as strategies that are not played vanish.

Estimation (Bland and Turocy 2023, "Quantal response equilibrium as a structural model
for estimation: the missing manual"): given counts of each player's actions, the
log-likelihood ``sum(counts * v)`` is maximised over the points of the principal branch
(not over ``lambda``, which can be multi-valued along a fold), as gambit's
``pygambit.qre.logit_estimate`` does; the maximum is located exactly by bisection on the
derivative of the log-likelihood along the branch. The standard error of ``lambda``
comes from the second derivative of the log-likelihood in ``lambda`` along the branch.

Examples
--------
>>> from gametheory.games import bimatrix
>>> g = bimatrix([[3, 0], [1, 2]], [[2, 0], [0, 1]])
>>> res = fit_qre(g, ([30, 10], [25, 15]))
>>> round(res.lam, 4), round(res.loglik, 3)
(0.8662, -50.153)
>>> [p.round(3).tolist() for p in res.equilibrium]
[[1.0, 0.0], [1.0, 0.0]]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from econometrics.results import EstimationResults
from econometrics.strategic.sequential import StrategicWarning
from enforcement_lab.errors import DataError, InvalidGameError

__all__ = ["QREBranch", "QREResults", "fit_qre", "qre_branch"]


def _matrices(game: Any) -> tuple[NDArray, NDArray]:
    if hasattr(game, "A") and hasattr(game, "B"):
        return np.asarray(game.A, dtype=float), np.asarray(game.B, dtype=float)
    if isinstance(game, tuple | list) and len(game) == 2:
        from gametheory.games import EnforcementGame

        g = EnforcementGame(game[0], game[1])
        return g.A, g.B
    raise InvalidGameError("game must be an EnforcementGame or a pair of payoff matrices (A, B)")


class _System:
    """The QRE equations in log-probabilities ``x = (v1, v2, lambda)``."""

    def __init__(self, A: NDArray, B: NDArray) -> None:
        self.A, self.B = A, B
        self.n, self.m = A.shape

    def split(self, x: NDArray) -> tuple[NDArray, NDArray, float]:
        return x[: self.n], x[self.n : self.n + self.m], float(x[-1])

    def residual(self, x: NDArray) -> NDArray:
        v1, v2, lam = self.split(x)
        s1, s2 = np.exp(v1), np.exp(v2)
        u1, u2 = self.A @ s2, self.B.T @ s1
        return np.concatenate(
            [
                [s1.sum() - 1.0],
                v1[1:] - v1[0] - lam * (u1[1:] - u1[0]),
                [s2.sum() - 1.0],
                v2[1:] - v2[0] - lam * (u2[1:] - u2[0]),
            ]
        )

    def jacobian(self, x: NDArray) -> NDArray:
        """d residual / d x, shape (n + m, n + m + 1)."""
        n, m = self.n, self.m
        v1, v2, lam = self.split(x)
        s1, s2 = np.exp(v1), np.exp(v2)
        u1, u2 = self.A @ s2, self.B.T @ s1
        J = np.zeros((n + m, n + m + 1))
        J[0, :n] = s1
        for j in range(1, n):
            J[j, j] = 1.0
            J[j, 0] = -1.0
            J[j, n : n + m] = -lam * (self.A[j] - self.A[0]) * s2
            J[j, -1] = -(u1[j] - u1[0])
        J[n, n : n + m] = s2
        for k in range(1, m):
            J[n + k, n + k] = 1.0
            J[n + k, n] = -1.0
            J[n + k, :n] = -lam * (self.B[:, k] - self.B[:, 0]) * s1
            J[n + k, -1] = -(u2[k] - u2[0])
        return J

    def tangent(self, x: NDArray, previous: NDArray | None) -> NDArray:
        """Unit null vector of the Jacobian, oriented like ``previous`` (or with
        increasing ``lambda`` at the start)."""
        _, _, vt = np.linalg.svd(self.jacobian(x))
        t = vt[-1]
        ref = previous if previous is not None else np.eye(len(x))[-1]
        return -t if t @ ref < 0 else t

    def correct(self, x: NDArray, t: NDArray, base: NDArray, h: float) -> NDArray | None:
        """Newton on the curve intersected with the hyperplane ``t.(x - base) = h``."""
        for _ in range(12):
            F = np.append(self.residual(x), t @ (x - base) - h)
            if not np.all(np.isfinite(F)):
                return None
            if np.max(np.abs(F)) < 1e-12:
                return x
            try:
                dx = np.linalg.solve(np.vstack([self.jacobian(x), t]), F)
            except np.linalg.LinAlgError:
                return None
            x = x - dx
            if np.max(np.abs(dx)) < 1e-13 * max(1.0, np.max(np.abs(x))):
                return x
        F = self.residual(x)
        return x if np.all(np.isfinite(F)) and np.max(np.abs(F)) < 1e-9 else None

    def at_lambda(self, x: NDArray, lam: float) -> NDArray | None:
        """Newton in the probabilities with ``lambda`` held at ``lam``, from ``x``."""
        x = x.copy()
        x[-1] = lam
        for _ in range(30):
            F = self.residual(x)
            if np.max(np.abs(F)) < 1e-13:
                return x
            try:
                dx = np.linalg.solve(self.jacobian(x)[:, :-1], F)
            except np.linalg.LinAlgError:
                return None
            x[:-1] -= dx
        return x if np.max(np.abs(self.residual(x))) < 1e-9 else None

    def regret(self, x: NDArray) -> float:
        v1, v2, _ = self.split(x)
        s1, s2 = np.exp(v1), np.exp(v2)
        u1, u2 = self.A @ s2, self.B.T @ s1
        return float(max(u1.max() - s1 @ u1, u2.max() - s2 @ u2))


@dataclass(frozen=True)
class QREBranch:
    """Points of the principal branch of the logit QRE correspondence.

    Attributes
    ----------
    lam : ndarray, shape (k,)
        Precision at each traced point (not monotone if the branch folds).
    row, col : ndarray, shapes (k, n) and (k, m)
        Mixed strategies of the row and column player at each point.
    equilibrium : (ndarray, ndarray)
        The last point, an approximate Nash equilibrium whose regret is at most
        ``maxregret`` times the range of the payoffs: the equilibrium logit QRE selects.
    """

    lam: NDArray[np.float64]
    row: NDArray[np.float64]
    col: NDArray[np.float64]
    equilibrium: tuple[NDArray[np.float64], NDArray[np.float64]]
    points: NDArray[np.float64] = field(repr=False)
    tangents: NDArray[np.float64] = field(repr=False)
    game: tuple[NDArray, NDArray] = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per traced point: ``lambda``, then ``row_0..``, ``col_0..`` probabilities."""
        out = pd.DataFrame({"lambda": self.lam})
        for i in range(self.row.shape[1]):
            out[f"row_{i}"] = self.row[:, i]
        for j in range(self.col.shape[1]):
            out[f"col_{j}"] = self.col[:, j]
        return out

    def at(self, lam: float) -> tuple[NDArray, NDArray]:
        """The QRE at precision ``lam`` where the branch first reaches it."""
        if lam < 0:
            raise ValueError(f"lambda must be >= 0, got {lam}")
        system = _System(*self.game)
        hits = np.nonzero(self.lam >= lam)[0]
        if not len(hits):
            raise ValueError(f"the traced branch ends at lambda = {self.lam[-1]:.4g} < {lam}")
        k = int(hits[0])
        start = self.points[max(k - 1, 0)]
        x = system.at_lambda(start, lam)
        if x is None:
            x = system.at_lambda(self.points[k], lam)
        if x is None:  # pragma: no cover - Newton from a neighbour of a traced point
            raise RuntimeError(f"could not solve the QRE at lambda = {lam}")
        return np.exp(x[: system.n]), np.exp(x[system.n : -1])


def qre_branch(
    game: Any,
    *,
    maxregret: float = 1e-8,
    first_step: float = 0.03,
    max_accel: float = 1.1,
    max_steps: int = 100_000,
) -> QREBranch:
    """Trace the principal branch of the logit QRE correspondence from ``lambda = 0``.

    Parameters
    ----------
    game : EnforcementGame or (A, B)
        A bimatrix game.
    maxregret : float
        Stop when each player's regret is at most this times the range of the payoffs
        (gambit's criterion for ``logit_solve``).
    first_step, max_accel : float
        Arclength of the first step and the largest factor by which a step may grow
        (gambit's defaults).
    """
    A, B = _matrices(game)
    system = _System(A, B)
    n, m = A.shape
    x = np.concatenate([np.full(n, -np.log(n)), np.full(m, -np.log(m)), [0.0]])
    spread = max(np.ptp(A), np.ptp(B))
    tol = maxregret * spread if spread > 0 else 0.0
    t = system.tangent(x, None)
    pts, tans = [x], [t]
    h = first_step
    for _ in range(max_steps):
        if spread == 0 or system.regret(x) <= tol:
            break
        new = system.correct(x + h * t, t, x, h)
        if new is None or np.linalg.norm(new - (x + h * t)) > 0.5 * h:
            h *= 0.5
            if h < 1e-12:
                raise RuntimeError("QRE continuation failed: the step size vanished")
            continue
        t_new = system.tangent(new, t)
        if new[-1] < 0:  # the branch never returns to lambda < 0; guard against a reversal
            raise RuntimeError("QRE continuation turned back through lambda = 0")
        x, t = new, t_new
        pts.append(x)
        tans.append(t)
        h *= max_accel
    P = np.array(pts)
    return QREBranch(
        lam=P[:, -1],
        row=np.exp(P[:, :n]),
        col=np.exp(P[:, n : n + m]),
        equilibrium=(np.exp(x[:n]), np.exp(x[n : n + m])),
        points=P,
        tangents=np.array(tans),
        game=(A, B),
    )


@dataclass(frozen=True, eq=False)
class QREResults(EstimationResults):
    """Maximum-likelihood logit QRE: ``lambda`` (parameter ``"lambda"``) and the fitted profile.

    Besides the fields of :class:`~econometrics.results.EstimationResults`:

    Attributes
    ----------
    lam : float
        The estimate of ``lambda``.
    loglik : float
        ``sum(counts * log(probabilities))`` at the estimate (gambit's convention).
    row, col : ndarray
        The fitted mixed strategies.
    branch : QREBranch
        The principal branch the estimate lies on.
    counts : (ndarray, ndarray)
        The observed counts.
    """

    lam: float = float("nan")
    loglik: float = float("nan")
    row: NDArray | None = None
    col: NDArray | None = None
    branch: QREBranch | None = None
    counts: tuple[NDArray, NDArray] | None = None

    @property
    def equilibrium(self) -> tuple[NDArray, NDArray]:
        """The Nash equilibrium the principal branch converges to."""
        if self.branch is None:
            raise InvalidGameError("these results carry no QRE branch: fit them with fit_qre")
        return self.branch.equilibrium


def _counts(counts: Any, n: int, m: int) -> tuple[NDArray, NDArray]:
    if isinstance(counts, dict):
        counts = (counts.get("row"), counts.get("col"))
    try:
        c1, c2 = counts
    except (TypeError, ValueError):
        raise DataError(
            "counts must be a pair: the row player's and the column player's counts"
        ) from None
    out = []
    for c, k, who in ((c1, n, "row"), (c2, m, "column")):
        arr = np.asarray(c, dtype=float)
        if arr.shape != (k,):
            raise DataError(f"the {who} player has {k} strategies but {arr.size} counts")
        if not np.all(np.isfinite(arr)) or (arr < 0).any():
            raise DataError(f"the {who} player's counts must be finite and non-negative: {arr}")
        out.append(arr)
    if out[0].sum() + out[1].sum() == 0:
        raise DataError("all counts are zero: nothing to estimate")
    return out[0], out[1]


def fit_qre(
    game: Any,
    counts: ArrayLike | Sequence[ArrayLike],
    *,
    maxregret: float = 1e-8,
    first_step: float = 0.03,
    max_accel: float = 1.1,
) -> QREResults:
    """Estimate the logit QRE precision ``lambda`` from observed action counts.

    Parameters
    ----------
    game : EnforcementGame or (A, B)
        A bimatrix game (2x2 or small n x m).
    counts : (array_like, array_like)
        How often the row player played each row and the column player each column.

    Returns
    -------
    QREResults
        ``lambda`` with its standard error (inverse observed information along the
        branch) and the log-likelihood ``sum(counts * log p)`` at the maximum over the
        principal branch. A maximum at ``lambda = 0`` (data less responsive to payoffs
        than uniform play) has no standard error (NaN); a likelihood still rising at the
        end of the branch (no finite maximum) gives a :class:`StrategicWarning`.
    """
    A, B = _matrices(game)
    n, m = A.shape
    c1, c2 = _counts(counts, n, m)
    c = np.concatenate([c1, c2, [0.0]])
    branch = qre_branch((A, B), maxregret=maxregret, first_step=first_step, max_accel=max_accel)
    system = _System(A, B)
    P, T = branch.points, branch.tangents
    ll = P[:, :-1] @ c[:-1]
    slope = T @ c  # derivative of the log-likelihood along the branch (arclength)
    k = int(np.argmax(ll))
    x_hat = P[k]
    # the maximum lies where the slope changes sign around the best traced point
    for lo in (k - 1, k):
        if lo < 0 or lo + 1 >= len(P) or not (slope[lo] > 0 >= slope[lo + 1]):
            continue
        base, t = P[lo], T[lo]
        a, b = 0.0, float(t @ (P[lo + 1] - base))
        for _ in range(200):
            mid = 0.5 * (a + b)
            x = system.correct(base + mid * t, t, base, mid)
            if x is None:
                break
            if system.tangent(x, t) @ c > 0:
                a = mid
            else:
                b = mid
            x_hat = x
            if b - a < 1e-14:
                break
        break
    if k == len(P) - 1 and len(P) > 1:
        warnings.warn(
            "the log-likelihood still increases at the end of the principal branch (the "
            "counts match the limiting Nash equilibrium better than any finite lambda): "
            "lambda has no finite estimate; the last traced point is reported",
            StrategicWarning,
            stacklevel=2,
        )
    lam = float(x_hat[-1])
    loglik = float(x_hat[:-1] @ c[:-1])
    se = float("nan")
    if lam > 0:
        h = 1e-4 * max(1.0, lam)
        lls = []
        for d in (-h, 0.0, h):
            x = system.at_lambda(x_hat, lam + d)
            lls.append(np.nan if x is None else float(x[:-1] @ c[:-1]))
        second = (lls[0] - 2 * lls[1] + lls[2]) / h**2
        if np.isfinite(second) and second < 0:
            se = float(1.0 / np.sqrt(-second))
    row, col = np.exp(x_hat[:n]), np.exp(x_hat[n : n + m])
    return QREResults(
        params=pd.Series({"lambda": lam}),
        std_errors=pd.Series({"lambda": se}),
        nobs=round(float(c1.sum() + c2.sum())),
        estimator="logit QRE",
        cov_type="observed information",
        cov=pd.DataFrame([[se**2]], index=["lambda"], columns=["lambda"]),
        outcome="action counts",
        extra={"Log-likelihood": loglik},
        lam=lam,
        loglik=loglik,
        row=row,
        col=col,
        branch=branch,
        counts=(c1, c2),
    )
