"""Maximum likelihood shared by the strategic models: the maximiser and the covariances.

A model supplies its log-likelihood with the analytic gradient and the per-observation
scores; this module maximises it (BFGS from the start, then Newton steps on the Hessian
obtained by central differences of the analytic gradient, with the Newton decrement as
the convergence test) and turns the Hessian and the scores into the covariance the user
asked for: the inverse observed information (the R package ``games``' default), the
HC0 sandwich ``H^-1 (S'S) H^-1`` (R ``sandwich::sandwich``) or the cluster-robust
sandwich with the ``G / (G - 1)`` adjustment (R ``sandwich::vcovCL(type = "HC0")``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize

from enforcement_lab.errors import DataError, SpecError

__all__ = ["COVARIANCES", "LikelihoodModel", "covariance", "unidentified"]

COVARIANCES = ("observed", "robust", "clustered")
_LABELS = {
    "observed": "observed information",
    "robust": "robust (HC0 sandwich)",
    "clustered": "clustered (sandwich, G/(G-1))",
}


class LikelihoodModel:
    """Mixin: maximisation and Hessian for a model whose parameters come in blocks, one
    design matrix per block (``designs``), with ``loglik_and_grad(theta)`` and
    ``scores(theta)``."""

    designs: tuple[NDArray[np.float64], ...]

    @property
    def slices(self) -> tuple[slice, ...]:
        """Where each block's coefficients sit in the parameter vector."""
        out, start = [], 0
        for X in self.designs:
            out.append(slice(start, start + X.shape[1]))
            start += X.shape[1]
        return tuple(out)

    @property
    def n_params(self) -> int:
        """Number of estimated coefficients."""
        return sum(X.shape[1] for X in self.designs)

    def loglik_and_grad(self, theta: NDArray) -> tuple[float, NDArray]:  # pragma: no cover
        """The log-likelihood and its analytic gradient (each model supplies it)."""
        raise NotImplementedError

    def scores(self, theta: NDArray) -> NDArray:  # pragma: no cover
        """Per-observation scores (n, n_params) (each model supplies them)."""
        raise NotImplementedError

    def loglik(self, theta: NDArray) -> float:
        """The log-likelihood at ``theta``."""
        return self.loglik_and_grad(theta)[0]

    def hessian(self, theta: NDArray) -> NDArray:
        """Hessian by central differences of the analytic gradient, symmetrised."""
        p = theta.size
        H = np.empty((p, p))
        for j in range(p):
            h = 1e-5 * max(1.0, abs(theta[j]))
            e = np.zeros(p)
            e[j] = h
            H[:, j] = (self.loglik_and_grad(theta + e)[1] - self.loglik_and_grad(theta - e)[1]) / (
                2 * h
            )
        return 0.5 * (H + H.T)

    def maximise(
        self, start: NDArray | None = None, *, fixed: Mapping[int, float] | None = None
    ) -> tuple[NDArray, dict[str, Any]]:
        """Maximise the log-likelihood (BFGS, then Newton polish); ``fixed`` holds some
        parameters at given values (for profile likelihoods)."""
        fixed = dict(fixed or {})
        free = np.array([j for j in range(self.n_params) if j not in fixed], dtype=int)
        full = np.zeros(self.n_params) if start is None else np.array(start, dtype=float)
        for j, v in fixed.items():
            full[j] = v

        def expand(t: NDArray) -> NDArray:
            out = full.copy()
            out[free] = t
            return out

        def negative(t: NDArray) -> tuple[float, NDArray]:
            ll, g = self.loglik_and_grad(expand(t))
            if not np.isfinite(ll):
                return 1e300, np.zeros_like(t)
            return -ll, -g[free]

        opt = optimize.minimize(
            negative, full[free], jac=True, method="BFGS", options={"gtol": 1e-6, "maxiter": 2000}
        )
        t = opt.x
        converged = False
        decrement = np.inf
        ll, g = self.loglik_and_grad(expand(t))
        H = self.hessian(expand(t))[np.ix_(free, free)]
        fresh = True
        for _ in range(25):
            try:
                step = np.linalg.solve(H, g[free])
            except np.linalg.LinAlgError:
                break
            decrement = float(-g[free] @ step)
            if not np.isfinite(decrement) or decrement < 0:  # H not negative definite
                if fresh:
                    break
                H, fresh = self.hessian(expand(t))[np.ix_(free, free)], True
                continue
            if decrement < 1e-12:
                converged = True
                break
            for scale in (1.0, 0.5, 0.25, 0.125, 0.0625):
                cand = t - scale * step
                if self.loglik(expand(cand)) >= ll - 1e-12:
                    t = cand
                    break
            else:
                break
            ll, g = self.loglik_and_grad(expand(t))
            # near the maximum the Hessian barely changes: refresh it only after a big step
            fresh = decrement > 1e-6
            if fresh:
                H = self.hessian(expand(t))[np.ix_(free, free)]
        return expand(t), {
            "converged": converged,
            "bfgs_iterations": int(opt.nit),
            "newton_decrement": decrement,
        }


def check_cov(cov: str, cluster: str | None, data: pd.DataFrame | None) -> None:
    """A clear error for an unknown covariance or a missing cluster column."""
    if cov not in COVARIANCES:
        raise SpecError(f"cov {cov!r} is unknown; choose one of {', '.join(COVARIANCES)}")
    if cov == "clustered" and (cluster is None or data is None or cluster not in data.columns):
        raise SpecError("cov='clustered' needs cluster= naming a column of the data")


def covariance(
    model: LikelihoodModel,
    theta: NDArray,
    cov: str,
    labels: NDArray | None = None,
) -> tuple[NDArray, str, int | None, NDArray]:
    """The parameter covariance at the maximum.

    Returns
    -------
    (vcov, label, number of clusters or None, Hessian)

    Raises
    ------
    DataError
        A singular information matrix (parameters the data do not identify) or fewer
        than two clusters.
    """
    H = model.hessian(theta)
    eig = np.linalg.eigvalsh(-H)
    if eig.min() <= 1e-10 * max(eig.max(), 1e-300):
        raise DataError(
            "the information matrix is singular at the maximum: some parameters are not "
            "identified by these data (perfect separation of a player's choice, or a "
            "utility with no variation)"
        )
    bread = np.linalg.inv(-H)
    groups = None
    if cov == "observed":
        return bread, _LABELS[cov], None, H
    S = model.scores(theta)
    if cov == "clustered":
        codes, uniq = pd.factorize(labels)
        groups = len(uniq)
        if groups < 2:
            raise DataError("the cluster column has fewer than 2 clusters")
        S = np.vstack(
            [np.bincount(codes, weights=S[:, j], minlength=groups) for j in range(S.shape[1])]
        ).T * math.sqrt(groups / (groups - 1))
    return bread @ (S.T @ S) @ bread, _LABELS[cov], groups, H


def unidentified(gram: NDArray, names: tuple[str, ...], tol: float) -> list[str] | None:
    """The parameters in the near-null direction of a Gram matrix ``J'J`` of the model's
    Jacobian (scaled to unit diagonal), or ``None`` when its smallest eigenvalue is above
    ``tol`` times the largest: a check of local identification at a generic point."""
    scale = 1.0 / np.sqrt(np.maximum(np.diag(gram), 1e-300))
    eig, vecs = np.linalg.eigh(gram * np.outer(scale, scale))
    if eig[0] >= tol * eig[-1]:
        return None
    null = vecs[:, 0]
    return [names[j] for j in np.argsort(-np.abs(null)) if abs(null[j]) > 0.1]
