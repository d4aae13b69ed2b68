"""Two-way fixed-effects regressions on a block of one-hot indicators, without the dummies.

How it works
------------
An event study regresses an outcome on indicators of event time (binned), or of cohort x
event time (Sun and Abraham 2021: hundreds of them on a 190-country panel), plus a few
covariates, with entity and year effects. Each row has at most one indicator equal to
one. :class:`econometrics.robustness.engine.AbsorbedPanel` would absorb the effects from
every indicator column (an ``n x m`` dense matrix) and form its ``m x m`` cross-products
by a dense product of ``n m^2`` operations. The indicators need neither: with ``D`` the
one-hot block (codes ``c_i``), ``E``/``H`` the dummies of the larger/smaller panel
dimension, ``M_E`` the within-``E`` demeaning and ``Q = M_E H`` (so that the two-way
annihilator is ``M = M_E - Q (Q'Q)^+ Q'``),

* ``D'M W = D'W - K'N^-1 E'W - B' (Q'Q)^+ (H'W - C'N^-1 E'W)`` for any ``W``, where
  ``K = E'D`` and ``C = E'H`` are counts, ``N`` the rows per ``E`` group and
  ``B = Q'D = H'D - C'N^-1 K``. Every term is a table of group sums of ``W``'s rows.
* ``W = D`` gives the indicators' Gram matrix from counts alone.
* The clustered scores summed by cluster, ``sum_{i in g} (M d_j)_i u_i``, equal
  ``d_j' M U_g`` with ``U_g = 1[cluster = g] * u`` (``M`` is symmetric): ``W = U``,
  whose group sums are two-way tables of the residuals.
* ``S = (Q'Q)^+ B`` is solved once, for the Gram matrix. ``(Q'Q)^+`` is symmetric, so
  ``B'(Q'Q)^+ = S'``: the scores need no further solve, and neither do the residuals,
  whose ``M (D beta_D) = M_E D beta_D - Q S beta_D``.

The covariates (few, dense) are absorbed as usual (:class:`~econometrics.robustness.engine.TwoWay`).
The estimator and its conventions are exactly those of
:meth:`~econometrics.robustness.engine.AbsorbedPanel.fit_full` with two-way effects and
no constant (linearmodels' ``PanelOLS(entity_effects=True, time_effects=True)``): the
same rule for absorbed regressors, the same collinearity test, degrees of freedom and
small-sample scaling. The tests check the two against each other to 1e-10 on random
panels, balanced and not.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> ent, tim = np.repeat(np.arange(30), 8), np.tile(np.arange(8), 30)
>>> cells = np.where((ent < 10) & (tim % 3 < 2), tim % 3, -1)  # two indicators
>>> x = rng.normal(size=(240, 1)); y = (cells == 1) + x[:, 0] + rng.normal(size=240)
>>> fit = fit_indicators(y, cells, ["c0", "c1"], x, ["x"], ent, tim)
>>> fit.names, fit.nobs, fit.df_resid
(['c0', 'c1', 'x'], 240, 200)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import linalg

from econometrics.robustness.engine import (
    CovSpec,
    FullFit,
    TwoWay,
    _codes,
    _demean_oneway,
    group_sums,
    negligible,
)

#: Indicators whose residual norm after absorption is below this share of their norm
#: are checked on their dense columns (the count formula loses digits near zero).
RECHECK_TOL = 1e-6


def one_hot(codes: np.ndarray, m: int) -> np.ndarray:
    """The dense ``n x m`` dummies of ``codes`` (``0..m-1``; a row coded ``-1`` is all zero)."""
    out = np.zeros((len(codes), m))
    on = np.flatnonzero(codes >= 0)
    out[on, codes[on]] = 1.0
    return out


def _sums(
    rows: np.ndarray, n_rows: int, cols: np.ndarray, n_cols: int, w: np.ndarray
) -> np.ndarray:
    """The ``n_rows x n_cols`` table of the sums of ``w`` by (``rows``, ``cols``) code."""
    flat = np.bincount(rows * n_cols + cols, weights=w, minlength=n_rows * n_cols)
    return flat.reshape(n_rows, n_cols)


class _Indicators:
    """The one-hot block ``D`` of one sample and the counts its cross-products need."""

    def __init__(self, cells: np.ndarray, m: int, tw: TwoWay) -> None:
        self.tw = tw
        self.m = m
        self.on = np.flatnonzero(cells >= 0)
        self.cells = cells[self.on]
        ones = np.ones(len(self.on))
        self.count = np.bincount(self.cells, minlength=m).astype(float)
        self.k_g = _sums(tw.g[self.on], tw.ng, self.cells, m, ones)  # E'D
        self.k_h = _sums(tw.h[self.on], tw.nh, self.cells, m, ones)  # H'D
        self.b = self.k_h - tw.counts.T @ (self.k_g / tw.n_g[:, None])  # Q'D
        # (Q'Q)^+ Q'D, solved once: (Q'Q)^+ is symmetric, so B'(Q'Q)^+ = S'
        self.s = tw.solve(self.b) if tw.nh > 1 else None

    def sum_rows(self, w: np.ndarray) -> np.ndarray:
        """``D'w`` for a dense ``w`` of shape (n, q)."""
        return group_sums(self.cells, self.m, w[self.on])

    def cross(self, w_d: np.ndarray, w_g: np.ndarray, w_h: np.ndarray) -> np.ndarray:
        """``D'M W`` from the group sums ``D'W``, ``E'W`` and ``H'W`` of some ``W``."""
        tw = self.tw
        scaled = w_g / tw.n_g[:, None]
        out = w_d - self.k_g.T @ scaled
        if self.s is not None:
            out -= self.s.T @ (w_h - tw.counts.T @ scaled)
        return out

    def gram(self) -> np.ndarray:
        """``D'M D`` (:meth:`cross` of ``W = D``), symmetrised."""
        g = self.cross(np.diag(self.count), self.k_g, self.k_h)
        return (g + g.T) / 2

    def absorb(self, beta: np.ndarray, n: int) -> np.ndarray:
        """``M D beta`` (n,): demeaned by ``E``, then ``Q tau`` taken off with
        ``tau = (Q'Q)^+ Q'D beta = S beta``, as :meth:`TwoWay.absorb` with no solve."""
        tw = self.tw
        v = np.zeros((n, 1))
        v[self.on, 0] = beta[self.cells]
        zt = _demean_oneway(v, tw.g, tw.ng)
        if self.s is None:
            return zt[:, 0]
        return tw.remove(zt, (self.s @ beta)[:, None])[:, 0]

    def dense(self, cols: np.ndarray, n: int) -> np.ndarray:
        """The indicator columns ``cols`` as a dense ``n x len(cols)`` matrix."""
        position = np.full(self.m, -1)
        position[cols] = np.arange(len(cols))
        codes = np.full(n, -1)
        codes[self.on] = position[self.cells]
        return one_hot(codes, len(cols))


def fit_indicators(
    y: np.ndarray,
    cells: np.ndarray,
    cell_names: Sequence[str],
    controls: np.ndarray,
    control_names: Sequence[str],
    entity: np.ndarray,
    time: np.ndarray,
    cov: CovSpec | None = None,
) -> FullFit:
    """``y ~ D + controls + entity + time`` with every coefficient and the full covariance.

    Parameters
    ----------
    y : ndarray, shape (n,)
    cells : ndarray of int, shape (n,)
        The indicator each row has (``0..m-1``, one per name of ``cell_names``) or ``-1``.
        Every indicator must have a row.
    cell_names : sequence of str
    controls : ndarray, shape (n, p)
        Dense regressors (``p`` may be 0).
    control_names : sequence of str
    entity, time : array_like, shape (n,)
        Panel labels of the rows (each pair unique).
    cov : Covariance, optional
        ``clustered`` by ``entity`` or ``time`` (default: by entity, linearmodels'
        convention) or ``unadjusted``.

    Returns
    -------
    FullFit
        Coefficients in the order ``cell_names + control_names``.

    Raises
    ------
    ValueError
        A regressor the effects absorb, collinear regressors, no residual degrees of
        freedom, no regressors, missing values, an indicator without rows, or another
        covariance.
    """
    cov = cov or CovSpec()
    if not (cov.kind == "unadjusted" or (cov.kind == "clustered" and cov.cluster != "twoway")):
        raise ValueError(f"fit_indicators: covariance {cov.label} is not supported")
    y = np.asarray(y, dtype=float)
    x = np.asarray(controls, dtype=float).reshape(len(y), -1)
    cells = np.asarray(cells, dtype=np.int64)
    names = [*cell_names, *control_names]
    m, p, n = len(cell_names), x.shape[1], len(y)
    if x.shape[1] != len(control_names) or cells.shape != y.shape:
        raise ValueError("controls must be (n, len(control_names)) and cells (n,)")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise ValueError("values has missing or infinite entries; select complete rows")
    if cells.size and (cells.max() >= m or cells.min() < -1):
        raise ValueError(f"cell codes must lie in -1..{m - 1}")
    if m + p == 0:
        raise ValueError("no regressors")
    ent, n_e = _codes(np.asarray(entity))
    tim, n_t = _codes(np.asarray(time))
    tw = TwoWay(ent, tim, factor=True)
    ind = _Indicators(cells, m, tw)
    if (ind.count == 0).any():
        raise ValueError(f"indicator(s) without rows: {np.array(cell_names)[ind.count == 0]}")
    zyx = np.asfortranarray(tw.absorb(np.c_[y, x]))  # columns contiguous: fast sums
    zy, zx = zyx[:, 0], zyx[:, 1:]
    g_dd = ind.gram()
    # the one rule for absorbed regressors (engine.negligible), exact near the threshold
    gone = list(np.array(control_names, dtype=object)[negligible(x, zx)])
    low = np.flatnonzero(np.diag(g_dd) <= RECHECK_TOL**2 * ind.count)
    if len(low):
        dense = ind.dense(low, n)
        gone += [cell_names[j] for j in low[negligible(dense, tw.absorb(dense))]]
    if gone:
        raise ValueError(f"absorbed by the fixed effects: {', '.join(sorted(gone))}")
    d_zyx = ind.sum_rows(zyx)
    k = m + p
    xtx = np.empty((k, k))
    xtx[:m, :m] = g_dd
    xtx[:m, m:] = d_zyx[:, 1:]
    xtx[m:, :m] = d_zyx[:, 1:].T
    xtx[m:, m:] = zx.T @ zx
    eig = np.linalg.eigvalsh(xtx)  # as fit_full: its condition number, without an SVD
    if not (eig[0] > 0 and eig[-1] / eig[0] < 1e13):
        raise ValueError("the regressors are collinear (given the fixed effects)")
    neffects = n_e + n_t - 1  # no constant: every entity, every period but one
    df_resid = n - k - neffects
    n_eff = n - neffects - (k if cov.debiased else 0)
    if n_eff <= 0 or df_resid <= 0:
        raise ValueError("no residual degrees of freedom")
    factor = linalg.cho_factor(xtx)
    beta = linalg.cho_solve(factor, np.r_[d_zyx[:, 0], zx.T @ zy])
    resid = zy - zx @ beta[m:] - ind.absorb(beta[:m], n)
    scale = n / n_eff
    if cov.kind == "unadjusted":
        vcov = scale * float(resid @ resid) / n * linalg.cho_solve(factor, np.eye(k))
        return FullFit(names, beta, vcov, n, df_resid, 0, cov.debiased)
    cl, n_cl = (ent, n_e) if cov.cluster == "entity" else (tim, n_t)
    # scores summed by cluster: D'M U with U[i, cl_i] = u_i, and the controls' own sums
    u_on = resid[ind.on]
    s_d = ind.cross(
        _sums(ind.cells, m, cl[ind.on], n_cl, u_on),
        _sums(tw.g, tw.ng, cl, n_cl, resid),
        _sums(tw.h, tw.nh, cl, n_cl, resid),
    )
    s_x = group_sums(cl, n_cl, zx * resid[:, None])
    gd = (n_cl / (n_cl - 1)) * ((n - 1) / n) if cov.group_debias else 1.0
    half = linalg.cho_solve(factor, np.r_[s_d, np.asarray(s_x).T])  # (X'X)^-1 S', k x G
    vcov = scale * gd * (half @ half.T)
    return FullFit(names, beta, vcov, n, df_resid, n_cl, cov.debiased)


__all__ = ["fit_indicators", "one_hot"]
