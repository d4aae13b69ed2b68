"""Logit QRE with payoffs that depend on covariates, estimated by maximum likelihood.

Each observation is one play of a bimatrix game whose payoffs are its own: every cell
of the row player's matrix ``A`` and the column player's matrix ``B`` is a fixed number
or a linear index of covariates with estimated coefficients. The players are in the
logit quantal response equilibrium of that game at precision ``lambda`` (McKelvey and
Palfrey 1995), the one on the principal branch (the QRE of :mod:`econometrics.strategic.qre`),
and the likelihood is that of the observed actions of either or both players.

**What is identified.** The QRE depends on the payoffs only through ``lambda`` times
each player's payoff differences between its own strategies, for each strategy of the
other player (Bland and Turocy 2023, "Quantal response equilibrium as a structural model
for estimation", the identification section). So

- adding a number to a column of ``A`` (a row of ``B``) changes nothing: a cell of each
  column of ``A`` (row of ``B``) must be fixed, or the cells of a column must not all
  have an intercept;
- ``lambda`` and the payoff coefficients are jointly identified only if some payoff
  difference is fixed at a non-zero number (it sets the units); otherwise fix
  ``lambda = 1`` (``lam=1.0``) and the coefficients are payoffs in units of the error
  scale.

A numerical check of local identification (the rank of the Jacobian of the equilibrium
log-probabilities at a generic point) names the parameters the data cannot separate.

**Computation.** For the current parameters every distinct covariate profile's game is
solved at once (vectorised over games) by following the branch from uniform play at
``lambda = 0`` to the target in steps of ``t`` (the game ``t lambda (A, B)``; 5 steps,
then 40 for games where 5 fail), each a predictor step along the tangent and Newton
corrections in log-probabilities. A game whose branch folds back (the determinant of
the Jacobian changes sign, or Newton fails) is traced instead by the arclength continuation of :func:`~econometrics.strategic.qre.qre_branch`,
and the point where the branch first reaches the target is used. The gradient comes from
the implicit function theorem, ``dx/dtheta = -F_x^{-1} F_theta``, so the fit uses
analytic gradients and the usual covariances (observed information, HC0 and cluster
sandwiches).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"x": rng.choice([-1.0, 0.0, 1.0], size=600)})
>>> payoffs = {"A": [[0, 0], ["1 + x", -1]], "B": [[0, -0.5], [0, "1"]]}
>>> truth = {"lambda": 2.0, "A[1,0]:Intercept": 0.3, "A[1,0]:x": 0.8, "B[1,1]:Intercept": 1.0}
>>> df["state"], df["enforcer"] = simulate_qre_covariates(df, payoffs, truth, rng=1)
>>> res = fit_qre_covariates(df, ("state", "enforcer"), payoffs)
>>> list(res.params.index)
['lambda', 'A[1,0]:Intercept', 'A[1,0]:x', 'B[1,1]:Intercept']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from econometrics.strategic.mle import LikelihoodModel, check_cov, covariance, unidentified
from econometrics.strategic.results import MLResults, delta_method_frame
from enforcement_lab.errors import DataError, SpecError

__all__ = [
    "QREDataResults",
    "QREModel",
    "fit_qre_covariates",
    "qre_solve",
    "simulate_qre_covariates",
]


# ---------------------------------------------------------------------- the batched solver
def _residual(x: NDArray, A: NDArray, B: NDArray) -> NDArray:
    n = A.shape[1]
    v1, v2 = x[:, :n], x[:, n:]
    s1, s2 = np.exp(v1), np.exp(v2)
    u1 = np.einsum("gij,gj->gi", A, s2)
    u2 = np.einsum("gij,gi->gj", B, s1)
    return np.concatenate(
        [
            s1.sum(axis=1, keepdims=True) - 1.0,
            v1[:, 1:] - v1[:, :1] - (u1[:, 1:] - u1[:, :1]),
            s2.sum(axis=1, keepdims=True) - 1.0,
            v2[:, 1:] - v2[:, :1] - (u2[:, 1:] - u2[:, :1]),
        ],
        axis=1,
    )


def _jacobian(x: NDArray, A: NDArray, B: NDArray) -> NDArray:
    """d residual / d x, shape (G, n + m, n + m)."""
    G, n, m = A.shape
    s1, s2 = np.exp(x[:, :n]), np.exp(x[:, n:])
    J = np.zeros((G, n + m, n + m))
    J[:, 0, :n] = s1
    J[:, n, n:] = s2
    for j in range(1, n):
        J[:, j, j] = 1.0
        J[:, j, 0] = -1.0
        J[:, j, n:] = -(A[:, j, :] - A[:, 0, :]) * s2
    for k in range(1, m):
        J[:, n + k, n + k] = 1.0
        J[:, n + k, n] = -1.0
        J[:, n + k, :n] = -(B[:, :, k] - B[:, :, 0]) * s1
    return J


def _continue(A: NDArray, B: NDArray, steps: int) -> tuple[NDArray, NDArray]:
    """Follow the branch of the games ``t (A, B)`` from ``t = 0`` to 1 in ``steps`` steps;
    returns the log-probabilities and which games failed (a fold or a Newton failure)."""
    G, n, m = A.shape
    x = np.concatenate([np.full((G, n), -np.log(n)), np.full((G, m), -np.log(m))], axis=1)
    sign0 = np.sign(np.linalg.det(_jacobian(x, 0 * A, 0 * B)))
    failed = np.zeros(G, dtype=bool)
    for step in range(1, steps + 1):
        t0, t1 = (step - 1) / steps, step / steps
        # predictor: F(x, t) = F0(x) - t R(x), so dx/dt = J^-1 R(x) with R the payoff part
        R = _residual(x, 0 * A, 0 * B) - _residual(x, A, B)
        try:
            dx = np.linalg.solve(_jacobian(x, t0 * A, t0 * B), R[..., None])[..., 0]
        except np.linalg.LinAlgError:
            dx = np.zeros_like(x)
        guess = x + (t1 - t0) * np.where(np.isfinite(dx), dx, 0.0)
        y = guess.copy()
        for _ in range(15):
            F = _residual(y, t1 * A, t1 * B)
            if np.all(np.abs(F[~failed]) < 1e-12):
                break
            try:
                y = y - np.linalg.solve(_jacobian(y, t1 * A, t1 * B), F[..., None])[..., 0]
            except np.linalg.LinAlgError:
                break
        F = _residual(y, t1 * A, t1 * B)
        with np.errstate(invalid="ignore"):
            ok = (
                np.all(np.isfinite(y), axis=1)
                & (np.max(np.abs(F), axis=1) < 1e-9)
                & (np.sign(np.linalg.det(_jacobian(y, t1 * A, t1 * B))) == sign0)
                & (np.max(np.abs(y - guess), axis=1) < 1.0)
            )
        failed |= ~ok
        x = np.where(failed[:, None], x, y)
    return x, failed


def qre_solve(A: NDArray, B: NDArray) -> NDArray[np.float64]:
    """Log-probabilities ``(G, n + m)`` of the principal-branch logit QRE at precision 1
    of each game ``(A[g], B[g])`` (pass ``lambda * A``, ``lambda * B`` for precision
    ``lambda``): coarse steps first, finer steps for the games that failed, and the
    arclength tracer for those that still fail (folds)."""
    from econometrics.strategic.qre import _System, qre_branch

    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        x, failed = _continue(A, B, 5)
        if failed.any():
            x[failed], again = _continue(A[failed], B[failed], 40)
            failed[failed] = again
    for g in np.nonzero(failed)[0]:  # folds: trace the branch by arclength
        branch = qre_branch((A[g], B[g]))
        if branch.lam.max() >= 1.0:
            row, col = branch.at(1.0)
            x[g] = np.log(np.concatenate([row, col]))
        else:  # the trace met its Nash limit first: Newton from its last point
            end = _System(A[g], B[g]).at_lambda(branch.points[-1], 1.0)
            if end is None:
                raise DataError("the logit QRE could not be solved for a covariate profile")
            x[g] = end[:-1]
    return x


# ---------------------------------------------------------------------- the model
@dataclass(frozen=True, eq=False)
class QREModel(LikelihoodModel):
    """Groups of identical covariate profiles, their action counts and payoff designs.

    Blocks: ``lambda`` (when estimated) then one per payoff cell ``A[i,j]`` and
    ``B[i,j]`` (row-major), each with its design over the groups and a fixed offset.
    """

    shape: tuple[int, int]
    designs: tuple[NDArray[np.float64], ...]
    offsets: NDArray[np.float64]
    counts: NDArray[np.float64]
    group: NDArray[np.int64]
    actions: NDArray[np.float64]
    names: tuple[str, ...]
    lam: float | None = None
    blocks: tuple[str, ...] = field(default=())

    @property
    def cells(self) -> tuple[str, ...]:
        """The payoff cells, ``A[i,j]`` then ``B[i,j]``, row-major."""
        n, m = self.shape
        return tuple(f"{p}[{i},{j}]" for p in "AB" for i in range(n) for j in range(m))

    def _cell_designs(self, designs: Sequence[NDArray]) -> Sequence[NDArray]:
        return designs[1:] if self.lam is None else designs

    def payoffs(
        self, theta: NDArray, designs: Sequence[NDArray] | None = None
    ) -> tuple[NDArray, NDArray, float]:
        """``(A, B, lambda)`` per group: payoffs ``(G, n, m)`` and the precision."""
        designs = self.designs if designs is None else designs
        n, m = self.shape
        k0 = 0 if self.lam is not None else 1
        lam = float(self.lam) if self.lam is not None else float(theta[0])
        vals = [
            X @ theta[s] + c
            for X, s, c in zip(
                self._cell_designs(designs), self.slices[k0:], self.offsets, strict=True
            )
        ]
        cells = np.column_stack(vals)
        A = cells[:, : n * m].reshape(-1, n, m)
        B = cells[:, n * m :].reshape(-1, n, m)
        return A, B, lam

    def solve(self, theta: NDArray, designs: Sequence[NDArray] | None = None):
        """Log-probabilities of each group's QRE, with its payoffs and ``lambda``."""
        A, B, lam = self.payoffs(theta, designs)
        return qre_solve(lam * A, lam * B), A, B, lam

    def derivatives(self, theta: NDArray, designs: Sequence[NDArray] | None = None):
        """Log-probabilities ``(G, n + m)`` and their derivatives ``(G, n + m, p)``."""
        designs = self.designs if designs is None else designs
        x, A, B, lam = self.solve(theta, designs)
        G = x.shape[0]
        n, m = self.shape
        s1, s2 = np.exp(x[:, :n]), np.exp(x[:, n:])
        Ft = np.zeros((G, n + m, self.n_params))
        col = 0
        if self.lam is None:
            u1 = np.einsum("gij,gj->gi", A, s2)
            u2 = np.einsum("gij,gi->gj", B, s1)
            Ft[:, 1:n, 0] = -(u1[:, 1:] - u1[:, :1])
            Ft[:, n + 1 :, 0] = -(u2[:, 1:] - u2[:, :1])
            col = 1
        cell_designs = self._cell_designs(designs)
        for c, X in enumerate(cell_designs):
            k = X.shape[1]
            if k == 0:
                continue
            dF = np.zeros((G, n + m))
            if c < n * m:  # A[i, j]: rows 1..n-1 of the row player's equations
                i, j = divmod(c, m)
                for r in range(1, n):
                    dF[:, r] = -lam * ((i == r) - (i == 0)) * s2[:, j]
            else:
                i, j = divmod(c - n * m, m)
                for q in range(1, m):
                    dF[:, n + q] = -lam * ((j == q) - (j == 0)) * s1[:, i]
            Ft[:, :, col : col + k] = dF[:, :, None] * X[:, None, :]
            col += k
        D = -np.linalg.solve(_jacobian(x, lam * A, lam * B), Ft)
        return x, D

    def loglik_and_grad(self, theta: NDArray) -> tuple[float, NDArray]:
        """The log-likelihood ``sum(counts * log p)`` and its gradient (implicit function
        theorem at each group's equilibrium)."""
        x, D = self.derivatives(theta)
        return float((self.counts * x).sum()), np.einsum("gk,gkp->p", self.counts, D)

    def loglik(self, theta: NDArray) -> float:
        """The log-likelihood (no gradient)."""
        x = self.solve(theta)[0]
        return float((self.counts * x).sum())

    def scores(self, theta: NDArray) -> NDArray:
        """Per-observation scores (n_obs, p): the derivative of log P(row action) plus
        log P(column action), the missing one left out."""
        _, D = self.derivatives(theta)
        n, _ = self.shape
        out = np.zeros((len(self.group), self.n_params))
        for who, offset in ((0, 0), (1, n)):
            a = self.actions[:, who]
            seen = ~np.isnan(a)
            out[seen] += D[self.group[seen], offset + a[seen].astype(int)]
        return out

    def probabilities(self, theta: NDArray, designs: Sequence[NDArray] | None = None) -> NDArray:
        """Equilibrium probabilities ``(G, n + m)``: row player's, then column player's."""
        return np.exp(self.solve(theta, designs)[0])


# ---------------------------------------------------------------------- data
def _cell_specs(payoffs: Mapping[str, Any], labels: Any) -> tuple[list[Any], tuple[int, int]]:
    if not isinstance(payoffs, Mapping) or set(payoffs) != {"A", "B"}:
        raise SpecError('payoffs must map "A" and "B" to matrices of numbers and formulas')
    A, B = payoffs["A"], payoffs["B"]
    try:
        n, m = len(A), len(A[0])
        ok = all(len(r) == m for r in A) and len(B) == n and all(len(r) == m for r in B)
    except TypeError:
        ok = False
    if not ok or n < 2 or m < 2:
        raise SpecError("payoffs A and B must be matrices of the same shape, at least 2 x 2")
    cells = [A[i][j] for i in range(n) for j in range(m)] + [
        B[i][j] for i in range(n) for j in range(m)
    ]
    for c in cells:
        if isinstance(c, bool) or not isinstance(c, str | int | float):
            raise SpecError(
                f"a payoff cell must be a number (fixed) or a formula string; got {c!r}"
            )
    return cells, (n, m)


def _actions(
    data: pd.DataFrame, actions: Sequence[str], shape: tuple[int, int], labels: Any
) -> NDArray:
    if isinstance(actions, str) or len(actions) != 2:
        raise SpecError("actions must name two columns: the row player's and the column player's")
    out = np.full((len(data), 2), np.nan)
    for who, (col, k) in enumerate(zip(actions, shape, strict=True)):
        if col not in data.columns:
            raise DataError(f"action column {col!r} is not in the data")
        names = None if labels is None else list(labels[who])
        vals = data[col]
        if names is not None:
            codes = vals.map({lab: i for i, lab in enumerate(names)})
            bad = vals.notna() & codes.isna()
        else:
            codes = pd.to_numeric(vals, errors="coerce")
            bad = vals.notna() & (codes.isna() | ~codes.isin(range(k)))
        if bad.any():
            allowed = names if names is not None else list(range(k))
            raise DataError(
                f"action column {col!r} has values outside the player's strategies {allowed}: "
                f"{sorted(map(str, vals[bad].unique()))[:5]}"
            )
        out[:, who] = codes.to_numpy(dtype=float)
    return out


def _names(shape: tuple[int, int], labels: Any) -> list[str]:
    n, m = shape
    rows = [str(i) for i in range(n)] if labels is None else [str(x) for x in labels[0]]
    cols = [str(j) for j in range(m)] if labels is None else [str(x) for x in labels[1]]
    return [f"{p}[{rows[i]},{cols[j]}]" for p in "AB" for i in range(n) for j in range(m)]


def _build(data: pd.DataFrame, payoffs: Mapping[str, Any], labels: Any):
    from econometrics.strategic.sequential import _check_ranks, _design

    cells, shape = _cell_specs(payoffs, labels)
    names = _names(shape, labels)
    frames, specs, offsets = {}, {}, []
    for name, c in zip(names, cells, strict=True):
        if isinstance(c, str):
            frame, spec = _design(c, f"payoff {name}", data)
            offsets.append(0.0)
        else:
            frame, spec = pd.DataFrame(index=data.index), None
            offsets.append(float(c))
        frames[name], specs[name] = frame, spec
    return cells, shape, names, frames, specs, np.array(offsets), _check_ranks


def simulate_qre_covariates(
    data: pd.DataFrame,
    payoffs: Mapping[str, Any],
    params: Mapping[str, float],
    *,
    labels: Any = None,
    lam: float | None = None,
    rng: np.random.Generator | int | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Draw each row's two actions from the QRE of its game.

    ``params`` holds ``"lambda"`` (unless ``lam`` is given) and every coefficient, named
    as :func:`fit_qre_covariates` names them. Returns the row player's and the column
    player's strategy indices.
    """
    _, shape, names, frames, _, offsets, _ = _build(data, payoffs, labels)
    theta = [] if lam is not None else [float(params["lambda"])]
    for name in names:
        theta += [float(params[f"{name}:{c}"]) for c in frames[name].columns]
    designs = ([] if lam is not None else [np.zeros((len(data), 1))]) + [
        f.to_numpy(dtype=float) for f in frames.values()
    ]
    model = QREModel(
        shape=shape,
        designs=tuple(designs),
        offsets=offsets,
        counts=np.zeros((len(data), sum(shape))),
        group=np.arange(len(data)),
        actions=np.zeros((len(data), 2)),
        names=(),
        lam=lam,
    )
    P = model.probabilities(np.array(theta))
    rng = np.random.default_rng(rng)
    n = shape[0]
    draws = []
    for block in (P[:, :n], P[:, n:]):
        u = rng.random(len(block))
        draws.append((u[:, None] > np.cumsum(block, axis=1)[:, :-1]).sum(axis=1))
    return draws[0], draws[1]


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class QREDataResults(MLResults):
    """Estimates of a logit QRE with covariate-dependent payoffs: :class:`MLResults` with
    predicted action probabilities and the fitted game at a covariate profile."""

    labels: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def _strategy_names(self) -> list[str]:
        n, m = self.model.shape
        rows, cols = self.labels or (tuple(map(str, range(n))), tuple(map(str, range(m))))
        return [f"row_{r}" for r in rows] + [f"col_{c}" for c in cols]

    def predict(
        self, data: pd.DataFrame | Mapping[str, Any] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Equilibrium action probabilities per row of ``data`` (default: per distinct
        covariate profile of the estimation sample) with delta-method standard errors
        and intervals (on the logit scale): ``row_<strategy>``, ``col_<strategy>``,
        ``se_...``, ``lower_...``, ``upper_...``."""
        designs = None if data is None else self._designs(self._frame(data))
        index = None if data is None else self._frame(data).index
        return delta_method_frame(
            lambda t: self.model.probabilities(t, designs),
            self.params.to_numpy(),
            self._cov_matrix(),
            self._strategy_names(),
            index,
            level,
        )

    def game_at(self, profile: Mapping[str, Any] | pd.DataFrame | pd.Series):
        """The fitted bimatrix (payoffs, not multiplied by ``lambda``) at one covariate
        profile, as a :class:`gametheory.games.EnforcementGame`."""
        from gametheory.games import EnforcementGame

        frame = self._frame(profile)
        if len(frame) != 1:
            raise DataError(f"game_at needs one covariate profile, got {len(frame)} rows")
        A, B, lam = self.model.payoffs(self.params.to_numpy(), self._designs(frame))
        if not (np.isfinite(A).all() and np.isfinite(B).all()):
            raise DataError("the covariate profile leaves a payoff undefined (missing values)")
        names = (
            {}
            if self.labels is None
            else {
                "row_labels": self.labels[0],
                "col_labels": self.labels[1],
            }
        )
        return EnforcementGame(
            A=A[0],
            B=B[0],
            params={"lambda": lam},
            source="estimated logit QRE with covariate payoffs",
            **names,
        )


# ---------------------------------------------------------------------- the fit
def _check_identified(model: QREModel) -> None:
    rng = np.random.default_rng(0)
    theta = rng.normal(scale=0.5, size=model.n_params)
    if model.lam is None:
        theta[0] = 1.0
    _, D = model.derivatives(theta)
    Jac = D.reshape(-1, model.n_params)
    involved = unidentified(np.einsum("ij,ik->jk", Jac, Jac), model.names, 1e-10)
    if involved:
        raise DataError(
            "the QRE parameters are not identified: the data cannot separate "
            f"{', '.join(involved)} (only lambda times payoff differences matter: fix a "
            "payoff of each column of A and each row of B, and fix a non-zero payoff or "
            "lambda)"
        )


def fit_qre_covariates(
    data: pd.DataFrame,
    actions: Sequence[str],
    payoffs: Mapping[str, Any],
    *,
    lam: float | None = None,
    labels: Any = None,
    cov: str = "observed",
    cluster: str | None = None,
    start: Sequence[float] | None = None,
) -> QREDataResults:
    """Estimate a logit QRE whose payoffs are linear in covariates.

    Parameters
    ----------
    data : DataFrame
        One row per play: both players' actions (either may be missing) and covariates.
    actions : (str, str)
        Columns of the row player's and the column player's strategies: indices
        ``0..n-1`` / ``0..m-1``, or labels when ``labels`` is given.
    payoffs : {"A": matrix, "B": matrix}
        Each cell a number (fixed payoff) or a formula (``"1 + x"``; ``"x - 1"`` without
        an intercept) whose coefficients are estimated.
    lam : float, optional
        Fix the precision (``1.0``: payoffs in units of the error scale); default: estimated.
    labels : (sequence, sequence), optional
        Strategy names of the row and column player, used for parameter names and to
        read the action columns.
    cov, cluster
        As in :func:`econometrics.strategic.fit_sequential`.
    start : sequence of float, optional
        Starting values (default ``lambda = 1``, coefficients 0).

    Returns
    -------
    QREDataResults
        Parameters ``"lambda"`` and ``"A[<row>,<col>]:<term>"``, ``"B[...]:<term>"``.

    Raises
    ------
    DataError
        Actions outside the strategies, no complete rows, collinear terms, parameters the
        data cannot separate, or a singular information matrix at the maximum.
    SpecError
        Malformed payoff matrices or actions, an unknown covariance.
    """
    check_cov(cov, cluster, data)
    if labels is not None:
        labels = (tuple(labels[0]), tuple(labels[1]))
    cells, shape, names, frames, specs, offsets, check_ranks = _build(data, payoffs, labels)
    acts = _actions(data, actions, shape, labels)
    keep = ~np.all(np.isnan(acts), axis=1)
    for f in frames.values():
        keep &= ~f.isna().any(axis=1).to_numpy()
    if cluster is not None:
        keep &= data[cluster].notna().to_numpy()
    if not keep.any():
        raise DataError("no complete observations (an action and every payoff's covariates)")
    frames = {k: f.loc[keep] for k, f in frames.items()}
    acts = acts[keep]
    check_ranks(frames)
    X_all = np.hstack(
        [f.to_numpy(dtype=float) for f in frames.values()] + [np.zeros((keep.sum(), 1))]
    )
    _, first, group = np.unique(X_all, axis=0, return_index=True, return_inverse=True)
    group = group.ravel()
    n, m = shape
    counts = np.zeros((len(first), n + m))
    for who, offset in ((0, 0), (1, n)):
        a = acts[:, who]
        seen = ~np.isnan(a)
        np.add.at(counts, (group[seen], offset + a[seen].astype(int)), 1.0)
    param_names = ([] if lam is not None else ["lambda"]) + [
        f"{k}:{c}" for k in names for c in frames[k].columns
    ]
    if len(param_names) == 0:
        raise SpecError("nothing to estimate: lambda is fixed and every payoff is a number")
    designs = ([] if lam is not None else [np.zeros((len(first), 1))]) + [
        np.ascontiguousarray(frames[k].to_numpy(dtype=float)[first]) for k in names
    ]
    blocks = (() if lam is not None else ("lambda",)) + tuple(names)
    model = QREModel(
        shape=shape,
        designs=tuple(designs),
        offsets=offsets,
        counts=counts,
        group=group,
        actions=acts,
        names=tuple(param_names),
        lam=None if lam is None else float(lam),
        blocks=blocks,
    )
    _check_identified(model)
    first_guess = np.zeros(model.n_params)
    if lam is None:
        first_guess[0] = 1.0
    if start is not None:
        first_guess = np.asarray(start, dtype=float)
    theta, info = model.maximise(first_guess)
    labels_cl = data[cluster].to_numpy()[keep] if cov == "clustered" else None
    vcov, label, groups, _ = covariance(model, theta, cov, labels_cl)
    se = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    ll = model.loglik(theta)
    extra: dict[str, Any] = {
        "Model": f"logit QRE, {n}x{m} game, payoffs linear in covariates"
        + ("" if lam is None else f", lambda fixed at {lam:g}"),
        "Log-likelihood": ll,
        "AIC": 2 * len(param_names) - 2 * ll,
        "Covariate profiles": len(first),
        "Converged": bool(info["converged"]),
    }
    if groups is not None:
        extra["Clusters"] = groups
    formulas = {k: (c if isinstance(c, str) else "0") for k, c in zip(names, cells, strict=True)}
    zero_spec = {"lambda": None} if lam is None else {}
    return QREDataResults(
        params=pd.Series(theta, index=param_names),
        std_errors=pd.Series(se, index=param_names),
        nobs=int(keep.sum()),
        estimator="logit QRE (covariate payoffs)",
        cov_type=label,
        cov=pd.DataFrame(vcov, index=param_names, columns=param_names),
        outcome=" / ".join(actions),
        cluster=cluster if cov == "clustered" else None,
        extra=extra,
        model=model,
        formulas=formulas,
        model_specs={**zero_spec, **specs},
        columns={
            **({"lambda": ()} if lam is None else {}),
            **{k: tuple(frames[k].columns) for k in names},
        },
        loglik=ll,
        optimizer=info,
        labels=labels,
    )
