"""Prais-Winsten regression with panel-corrected standard errors (Beck and Katz 1995).

Time-series cross-section studies in political science report OLS or, when the errors are
serially correlated, the Prais-Winsten (1954) regression with panel-corrected standard
errors: Stata's ``xtpcse, correlation(ar1)`` (one autocorrelation for every unit, Beck
and Katz's recommendation) or ``correlation(psar1)`` (one per unit). This module is that
estimator, in four steps:

1. OLS of ``y`` on ``X``; residuals :math:`e_{it}`.
2. The autocorrelation of each unit from its OLS residuals, the slope of
   :math:`e_{it}` on :math:`e_{i,t-1}` without a constant (Stata's default
   ``rhotype(regress)``): :math:`\\rho_i = \\sum_t e_{it} e_{i,t-1} / \\sum_t e_{i,t-1}^2`
   over the periods whose predecessor is observed. ``ar1``: the common
   :math:`\\rho = \\sum_i w_i \\rho_i / \\sum_i w_i`, with :math:`w_i = T_i - 1`
   (Stata's default) or :math:`T_i` (Stata's ``np1``), :math:`T_i` the unit's
   observations, over the units whose :math:`\\rho_i` exists; ``psar1``:
   :math:`\\rho_i` itself (0 for a unit without two consecutive periods).
3. The Prais-Winsten transform of ``y`` and every column of ``X`` (the constant and
   any dummies included), unit by unit: :math:`z^*_{it} = z_{it} - \\rho z_{i,t-1}`, and
   :math:`z^*_{it} = \\sqrt{1 - \\rho^2}\\, z_{it}` for a unit's first observation (the
   first observation is kept, not dropped as Cochrane-Orcutt would). After a gap in the
   years the next observation is treated as a first observation.
4. OLS on the transformed data, and the panel-corrected covariance of
   :func:`econometrics.covariance.sandwich` on the transformed design and residuals
   (no small-sample factor under ``ssc = "stata"``, as ``xtpcse``; ``n/(n-k)`` under
   ``linearmodels``, Stata's ``nmk``).

The tests compare every step with a direct implementation written independently, the
coefficients with statsmodels' GLS under the AR(1) covariance, and the panel-corrected
covariance with R ``plm::vcovBK`` on the transformed data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from econometrics.covariance import Covariance, Dof, sandwich
from enforcement_lab.errors import SpecError


@dataclass(frozen=True)
class PraisWinstenFit:
    """Coefficients, covariance and the autocorrelation of a Prais-Winsten PCSE fit.

    ``rho`` is the common autocorrelation (``ar1``) or a Series by unit (``psar1``);
    ``r2`` the R-squared of the transformed regression (as ``xtpcse`` reports it).
    """

    params: np.ndarray
    cov: np.ndarray
    resid: np.ndarray
    rho: float | pd.Series
    nobs: int
    df_resid: int
    n_periods: int
    r2: float


def _predecessors(entity: np.ndarray, time: np.ndarray) -> np.ndarray:
    """For each row (sorted by entity, then time) the row of the same unit one period
    earlier, or -1. Integer times count in their own units; other times by their rank
    among the panel's periods."""
    if np.issubdtype(np.asarray(time).dtype, np.integer):
        t = np.asarray(time, dtype=np.int64)
    else:
        t = pd.factorize(pd.Series(time), sort=True)[0].astype(np.int64)
    prev = np.full(len(t), -1)
    same = np.r_[False, entity[1:] == entity[:-1]] & np.r_[False, t[1:] - t[:-1] == 1]
    prev[same] = np.flatnonzero(same) - 1
    return prev


def unit_rhos(
    resid: np.ndarray, entity: np.ndarray, prev: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    """Each unit's autocorrelation (NaN without two consecutive periods) and its
    number of observations, from residuals sorted by entity and time."""
    has = prev >= 0
    lagged = np.where(has, resid[np.maximum(prev, 0)], 0.0)
    frame = pd.DataFrame(
        {"entity": entity, "num": resid * lagged, "den": lagged**2, "pairs": has, "n": 1}
    )
    sums = frame.groupby("entity", sort=False)[["num", "den", "pairs", "n"]].sum()
    rho = (sums["num"] / sums["den"]).where(sums["pairs"] > 0)
    return rho, sums["n"]


def ar1_rho(
    resid: np.ndarray, entity: np.ndarray, prev: np.ndarray, correlation: str, np1: bool
) -> pd.Series:
    """The autocorrelation each unit's rows are transformed with (step 2 of the module)."""
    rho_i, t_i = unit_rhos(resid, entity, prev)
    if correlation == "psar1":
        return rho_i.fillna(0.0)
    ok = rho_i.notna()
    if not ok.any():
        raise SpecError(
            "options.correlation 'ar1' needs a unit observed in two consecutive periods"
        )
    w = (t_i if np1 else t_i - 1)[ok].astype(float)
    rho = float((w * rho_i[ok]).sum() / w.sum())
    return pd.Series(rho, index=rho_i.index)


def transform(z: np.ndarray, prev: np.ndarray, rho_row: np.ndarray) -> np.ndarray:
    """The Prais-Winsten transform of the columns of ``z`` (rows sorted by entity, time)."""
    has = prev >= 0
    out = z * np.sqrt(1.0 - rho_row**2)[:, None]
    out[has] = z[has] - rho_row[has, None] * z[prev[has]]
    return out


def prais_winsten_pcse(
    y: np.ndarray,
    x: np.ndarray,
    entity: np.ndarray,
    time: np.ndarray,
    cov: Covariance,
) -> PraisWinstenFit:
    """Prais-Winsten FGLS with panel-corrected standard errors (see the module docstring).

    Parameters
    ----------
    y : ndarray, shape (n,)
    x : ndarray, shape (n, k)
        The full design: the constant and any fixed-effect dummies are columns here
        (they are transformed like every regressor, as in ``xtpcse y x i.year``).
    entity, time : ndarray, shape (n,)
        Panel labels; the rows need not be sorted.
    cov : Covariance
        ``kind == "pcse"`` with ``correlation`` ``ar1`` or ``psar1``.
    """
    if cov.kind != "pcse" or cov.correlation not in ("ar1", "psar1"):
        raise SpecError(f"{cov.label} is not a Prais-Winsten covariance")
    order = np.lexsort((np.asarray(time), pd.factorize(pd.Series(entity), sort=True)[0]))
    y, x = np.asarray(y, float)[order], np.asarray(x, float)[order]
    entity, time = np.asarray(entity)[order], np.asarray(time)[order]
    prev = _predecessors(pd.factorize(pd.Series(entity))[0], time)
    b_ols = np.linalg.lstsq(x, y, rcond=None)[0]
    rho = ar1_rho(y - x @ b_ols, entity, prev, cov.correlation, cov.np1)
    rho_row = rho.reindex(entity).to_numpy(float)
    if np.any(np.abs(rho_row) >= 1):
        raise SpecError(
            f"the estimated autocorrelation {rho_row[np.abs(rho_row) >= 1][0]:.4g} is not "
            "below 1 in absolute value: the Prais-Winsten transform is undefined"
        )
    z = transform(np.c_[y, x], prev, rho_row)
    ys, xs = z[:, 0], z[:, 1:]
    params = np.linalg.lstsq(xs, ys, rcond=None)[0]
    resid = ys - xs @ params
    n, k = xs.shape
    v, n_periods = sandwich(xs, resid, cov, entity, time, Dof(n=n, k=k))
    r2 = 1.0 - resid @ resid / np.sum((ys - ys.mean()) ** 2)
    back = np.empty_like(order)
    back[order] = np.arange(len(order))
    return PraisWinstenFit(
        params=params,
        cov=v,
        resid=resid[back],
        rho=float(rho.iloc[0]) if cov.correlation == "ar1" else rho,
        nobs=n,
        df_resid=n - k,
        n_periods=n_periods,
        r2=float(r2),
    )


__all__ = ["PraisWinstenFit", "ar1_rho", "prais_winsten_pcse", "transform", "unit_rhos"]
