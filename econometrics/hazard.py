"""Ratification hazards: Cox proportional hazards and discrete-time logit/cloglog models.

Cox models are fitted by ``statsmodels.duration.hazard_regression.PHReg`` on counting-process
spells ``(start, stop]`` (``entry=start``: left truncation, and several rows per spell for
time-varying covariates), stratified (e.g. by convention: one baseline hazard per
convention) and with a cluster-robust sandwich covariance by country. The tests check them
against ``lifelines`` (``CoxPHFitter``, ``CoxTimeVaryingFitter``) and R ``survival::coxph``
to 1e-8.

Written here rather than taken from statsmodels: :func:`score_residuals` and
:func:`cluster_sandwich`, the
Lin-Wei sandwich from Cox score residuals on ``(start, stop]`` rows with Breslow or Efron
ties, because ``PHReg.score_residuals`` is NaN for split spells and Breslow-only; and
:func:`phreg_entry`, because ``PHReg`` counts a spell as at risk at its own entry time,
which on yearly data changes the risk sets (see its docstring). Tested: equal to
``PHReg.fit(groups=...)`` on one-row spells with late entry, to lifelines without late
entry, to R survival with late entry, strata, tied yearly failures and split spells, and
invariant to splitting spells.

Discrete-time hazards expand each spell into one row per period at risk
(:func:`person_period`) and fit a binomial GLM (``statsmodels``) with a complementary log-log
link (the grouped-time version of the proportional-hazards model: its slopes estimate the
same coefficients as Cox) or a logit link, with duration terms (log duration, a quadratic,
a cubic, or one dummy per period).

Examples
--------
>>> from enforcement_lab.data.synthetic import ratification_spells
>>> sp = ratification_spells(n_countries=30, seed=1)
>>> res = cox(sp, ["logGDPpc", "left_gov"], strata="convention", cluster="iso3")
>>> res.estimator, res.cluster, list(res.params.index)
('cox', 'iso3', ['logGDPpc', 'left_gov'])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError


def _check(frame: pd.DataFrame, cols: Sequence[str]) -> None:
    missing = [c for c in cols if c and c not in frame.columns]
    if missing:
        raise DataError(f"unknown column(s) {missing}")


def cox(
    spells: pd.DataFrame,
    regressors: Sequence[str],
    *,
    start: str = "start",
    stop: str = "stop",
    event: str = "event",
    strata: str | None = None,
    cluster: str | None = None,
    ties: str = "efron",
) -> EstimationResults:
    """Cox proportional hazards (statsmodels PHReg) on (start, stop] spells.

    Parameters
    ----------
    spells : DataFrame
        One row per spell or spell segment: ``start < stop``, ``event`` 1 if the spell ends
        in ratification at ``stop``. Segments of one spell with time-varying covariates are
        separate rows (only the last may have ``event = 1``).
    regressors : sequence of str
        Covariates.
    start, stop, event : str
        Column names; ``start > 0`` is left truncation (the spell enters the risk set late).
    strata : str, optional
        Column of strata with separate baseline hazards (e.g. ``convention``).
    cluster : str, optional
        Column of clusters (e.g. ``iso3``) for the robust sandwich covariance.
    ties : {"efron", "breslow"}
        Tie handling (lifelines uses Efron).
    """
    from statsmodels.duration.hazard_regression import PHReg

    cols = [start, stop, event, *regressors, strata or "", cluster or ""]
    _check(spells, cols)
    d = spells[[c for c in dict.fromkeys(cols) if c]].dropna()
    if (d[stop] <= d[start]).any():
        raise DataError(f"every spell needs {start!r} < {stop!r}")
    x = d[list(regressors)].astype(float)
    model = PHReg(
        d[stop].to_numpy(float),
        x,
        status=d[event].to_numpy(int),
        entry=phreg_entry(
            d[start].to_numpy(float), d[stop].to_numpy(float), d[event].to_numpy(int)
        ),
        strata=None if strata is None else pd.factorize(d[strata])[0],
        ties=ties,
    )
    kw: dict[str, Any] = {}
    if cluster is not None:
        kw["groups"] = pd.factorize(d[cluster])[0]
    res = model.fit(**kw)
    names = list(regressors)
    cov, bse, pvalues = res.cov_params(), res.bse, pd.Series(res.pvalues, index=names)
    if cluster is not None:
        score = score_residuals(
            x.to_numpy(),
            np.asarray(res.params),
            d[start].to_numpy(float),
            d[stop].to_numpy(float),
            d[event].to_numpy(int),
            np.zeros(len(d), int) if strata is None else pd.factorize(d[strata])[0],
            ties=ties,
        )
        cov = cluster_sandwich(model, np.asarray(res.params), score, kw["groups"])
        bse, pvalues = np.sqrt(np.diag(cov)), None
    return EstimationResults(
        params=pd.Series(res.params, index=names),
        std_errors=pd.Series(bse, index=names),
        pvalues=pvalues,
        cov=pd.DataFrame(cov, index=names, columns=names),
        nobs=len(d),
        estimator="cox",
        cov_type="clustered" if cluster else "unadjusted",
        outcome=event,
        cluster=cluster,
        extra={"events": int(d[event].sum()), "strata": strata or "none"},
        raw=res,
    )


def phreg_entry(start: np.ndarray, stop: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Entry times that make ``PHReg``'s risk sets those of ``(start, stop]`` spells.

    ``PHReg`` counts a row as at risk at a failure time equal to its entry time (it treats
    the spell as ``[entry, stop]``), while counting-process data, R ``survival`` and
    lifelines use ``(start, stop]``. With yearly data the two differ whenever a spell starts
    in a year in which another fails, and a split spell is then at risk twice at its split
    point (found by checking against R ``survival::coxph``: coefficients off in the third
    decimal on yearly spells, and changed by splitting). Moving each start up by half the
    smallest gap between distinct time values keeps every ordering of starts, stops and
    failure times except ``start == failure``, which becomes ``start < failure``: the
    partial likelihood depends on the times only through that ordering, so the fit is that
    of ``(start, stop]`` exactly. Starts equal to no failure time are left unchanged.

    Examples
    --------
    >>> phreg_entry(np.array([0.0, 1.0, 1.5]), np.array([1.0, 2.0, 3.0]), np.array([1, 1, 0]))
    array([0.  , 1.25, 1.5 ])
    """
    values = np.unique(np.r_[start, stop])
    tied = np.isin(start, stop[np.asarray(event) == 1])
    if not tied.any():
        return start
    delta = np.diff(values).min() / 2
    return np.where(tied, start + delta, start)


def score_residuals(
    x: np.ndarray,
    params: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    event: np.ndarray,
    strata: np.ndarray,
    ties: str = "breslow",
) -> np.ndarray:
    """Cox score residuals (Breslow or Efron ties) for ``(start, stop]`` rows.

    Breslow: ``U_j = d_j (x_j - xbar(t_j)) - sum_i Y_j(t_i) exp(x_j b) dLambda_i (x_j - xbar(t_i))``
    over the failure times ``t_i`` of row ``j``'s stratum, with ``Y_j(t) = 1`` when
    ``start_j < t <= stop_j``. Efron: at a time with ``m`` tied failures the ``k``-th of
    ``m`` risk-set sums (``k = 0..m-1``) down-weights the tied failures by ``1 - k/m``; a
    failing row gets ``x_j`` minus the average of the ``m`` weighted means, and every row at
    risk pays ``exp(x_j b) sum_k w_jk (x_j - xbar_k) / S0_k`` (Therneau and Grambsch 2000,
    sec. 3.7; what R ``survival::coxph`` uses for ``cluster()``). The residuals sum to the
    gradient of the partial likelihood with the same tie handling.

    Written here because ``PHReg.score_residuals`` returns NaN for counting-process rows
    that are at risk at no failure time (so its ``groups`` covariance is NaN once spells are
    split) and always uses Breslow residuals, even beside an Efron Hessian; the partial
    likelihood, its Hessian and the coefficients still come from ``PHReg``. Checked in the
    tests against ``PHReg.fit(groups=...)`` and against R ``survival`` (recorded values).
    """
    if ties not in ("breslow", "efron"):
        raise DataError(f"ties {ties!r} unknown; use 'efron' or 'breslow'")
    u = np.zeros_like(x, dtype=float)
    eta = x @ params
    for k in np.unique(strata):
        idx = np.flatnonzero(strata == k)
        xs, s, t, d = x[idx], start[idx], stop[idx], event[idx]
        fail_times, n_fail = np.unique(t[d == 1], return_counts=True)
        if fail_times.size == 0:
            continue
        e = np.exp(eta[idx] - eta[idx].max())
        if ties == "efron" and (n_fail > 1).any():
            u[idx] = _efron_residuals(xs, e, s, t, d, fail_times)
            continue
        at_risk = (s[:, None] < fail_times[None, :]) & (t[:, None] >= fail_times[None, :])
        s0 = e @ at_risk
        xbar = ((e[:, None] * xs).T @ at_risk / s0).T  # (F, p)
        dlam = n_fail / s0
        pos = np.searchsorted(fail_times, t)
        own = np.zeros_like(xs)
        has = d == 1
        own[has] = xs[has] - xbar[pos[has]]
        comp = xs * (at_risk @ dlam)[:, None] - at_risk @ (dlam[:, None] * xbar)
        u[idx] = own - e[:, None] * comp
    return u


def _efron_residuals(
    xs: np.ndarray,
    e: np.ndarray,
    s: np.ndarray,
    t: np.ndarray,
    d: np.ndarray,
    fail_times: np.ndarray,
) -> np.ndarray:
    """Efron score residuals of one stratum (see :func:`score_residuals`)."""
    u = np.zeros_like(xs, dtype=float)
    ex = e[:, None] * xs
    for ft in fail_times:
        risk = np.flatnonzero((s < ft) & (t >= ft))
        dead = risk[(d[risk] == 1) & (t[risk] == ft)]
        m = len(dead)
        s0, s1 = e[risk].sum(), ex[risk].sum(axis=0)
        s0d, s1d = e[dead].sum(), ex[dead].sum(axis=0)
        frac = np.arange(m) / m  # k/m, k = 0..m-1
        s0k = s0 - frac * s0d  # (m,)
        xbar = (s1[None, :] - frac[:, None] * s1d[None, :]) / s0k[:, None]  # (m, p)
        u[dead] += xs[dead] - xbar.mean(axis=0)
        # every row at risk: exp(eta) sum_k (x - xbar_k) / S0_k ...
        inv = 1.0 / s0k
        u[risk] -= e[risk, None] * (xs[risk] * inv.sum() - inv @ xbar)
        # ... where a tied failure carries weight 1 - k/m: add back its (k/m) share
        u[dead] += e[dead, None] * (xs[dead] * (frac * inv).sum() - (frac * inv) @ xbar)
    return u


def cluster_sandwich(
    model: Any, params: np.ndarray, score: np.ndarray, groups: np.ndarray
) -> np.ndarray:
    """Cluster-robust covariance ``H^-1 (sum_g U_g U_g') H^-1`` (Lin and Wei 1989).

    ``H`` is ``PHReg.hessian``; ``score`` holds per-row score residuals summed by cluster.
    """
    sums = np.zeros((int(groups.max()) + 1, score.shape[1]))
    np.add.at(sums, groups, score)
    h_inv = np.linalg.inv(model.hessian(params))
    return h_inv @ (sums.T @ sums) @ h_inv


def split_spells(
    spells: pd.DataFrame,
    width: float = 1.0,
    *,
    start: str = "start",
    stop: str = "stop",
    event: str = "event",
) -> pd.DataFrame:
    """Split each (start, stop] spell at multiples of ``width`` (counting-process rows).

    The event stays on the last segment; other columns are copied. Splitting does not change
    a Cox fit with constant covariates (nor its cluster-robust covariance, see
    :func:`score_residuals`); it is how time-varying covariates enter.

    Examples
    --------
    >>> sp = pd.DataFrame({"start": [0.5], "stop": [2.2], "event": [1]})
    >>> split_spells(sp)[["start", "stop", "event"]].values.tolist()
    [[0.5, 1.0, 0.0], [1.0, 2.0, 0.0], [2.0, 2.2, 1.0]]
    """
    rows = []
    for rec in spells.to_dict("records"):
        a, b = float(rec[start]), float(rec[stop])
        cuts = np.arange(np.floor(a / width) * width + width, b, width)
        edges = np.r_[a, cuts[cuts > a], b]
        for i in range(len(edges) - 1):
            r = dict(rec)
            r[start], r[stop] = edges[i], edges[i + 1]
            r[event] = float(rec[event]) if i == len(edges) - 2 else 0.0
            rows.append(r)
    return pd.DataFrame(rows)


def person_period(
    spells: pd.DataFrame,
    *,
    start: str = "start",
    stop: str = "stop",
    event: str = "event",
    width: float = 1.0,
) -> pd.DataFrame:
    """Expand spells into one row per period at risk, for discrete-time hazard models.

    Period ``k`` covers analysis time ``(k-1)*width, k*width]``. A spell is at risk in the
    periods after its entry period ``floor(start/width)`` up to ``ceil(stop/width)``; the last
    row carries the event. Adds ``period`` (1, 2, ...) and ``y`` (0/1).

    Examples
    --------
    >>> sp = pd.DataFrame({"start": [0.0, 1.5], "stop": [2.3, 3.0], "event": [1, 0]})
    >>> pp = person_period(sp)
    >>> pp[["period", "y"]].values.tolist()
    [[1, 0], [2, 0], [3, 1], [2, 0], [3, 0]]
    """
    _check(spells, [start, stop, event])
    first = np.floor(spells[start].to_numpy(float) / width).astype(int) + 1
    last = np.ceil(spells[stop].to_numpy(float) / width).astype(int)
    if (last < first).any():
        raise DataError(f"spells with {stop!r} <= {start!r}")
    reps = last - first + 1
    out = spells.loc[spells.index.repeat(reps)].reset_index(drop=True)
    offsets = np.concatenate([np.arange(r) for r in reps])
    out["period"] = np.repeat(first, reps) + offsets
    is_last = np.concatenate([np.arange(r) == r - 1 for r in reps])
    out["y"] = (is_last & np.repeat(spells[event].to_numpy(int) == 1, reps)).astype(int)
    return out


def duration_terms(period: pd.Series, kind: str = "log") -> pd.DataFrame:
    """Duration terms for a discrete-time hazard: ``log``, ``quadratic``, ``cubic`` (the
    Carter-Signorino cubic polynomial in time at risk) or ``dummies``."""
    p = period.astype(float)
    if kind == "log":
        return pd.DataFrame({"log_duration": np.log(p)}, index=period.index)
    if kind == "quadratic":
        return pd.DataFrame({"duration": p, "duration_sq": p**2}, index=period.index)
    if kind == "cubic":
        return pd.DataFrame(
            {"duration": p, "duration_sq": p**2, "duration_cu": p**3}, index=period.index
        )
    if kind == "dummies":
        return pd.get_dummies(period.astype(int), prefix="period", drop_first=True, dtype=float)
    raise DataError(f"duration kind {kind!r} unknown; use 'log', 'quadratic', 'cubic' or 'dummies'")


def discrete_hazard(
    person_periods: pd.DataFrame,
    regressors: Sequence[str],
    *,
    link: str = "cloglog",
    duration: str = "log",
    strata: str | None = None,
    cluster: str | None = None,
    outcome: str = "y",
    period: str = "period",
) -> EstimationResults:
    """Discrete-time hazard: binomial GLM (cloglog or logit link) on person-period rows.

    Parameters
    ----------
    person_periods : DataFrame
        Output of :func:`person_period` (or any frame with ``outcome`` and ``period``).
    regressors : sequence of str
        Covariates (may vary by period).
    link : {"cloglog", "logit"}
        Complementary log-log (grouped proportional hazards) or logit.
    duration : {"log", "quadratic", "cubic", "dummies"}
        How the baseline hazard depends on time at risk.
    strata : str, optional
        Column whose levels get their own intercepts (e.g. convention).
    cluster : str, optional
        Column for cluster-robust covariance (e.g. ``iso3``); default HC0 robust.
    """
    import statsmodels.api as sm

    cols = [outcome, period, *regressors, strata or "", cluster or ""]
    _check(person_periods, cols)
    d = person_periods[[c for c in dict.fromkeys(cols) if c]].dropna()
    links = {"cloglog": sm.families.links.CLogLog(), "logit": sm.families.links.Logit()}
    if link not in links:
        raise DataError(f"link {link!r} unknown; use 'cloglog' or 'logit'")
    parts = [d[list(regressors)].astype(float), duration_terms(d[period], duration)]
    if strata:
        parts.append(pd.get_dummies(d[strata], prefix=strata, drop_first=True, dtype=float))
    x = pd.concat(parts, axis=1)
    x.insert(0, "const", 1.0)
    kw: dict[str, Any] = {"cov_type": "HC0"}
    if cluster:
        kw = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(d[cluster])[0]}}
    res = sm.GLM(d[outcome].astype(float), x, family=sm.families.Binomial(link=links[link])).fit(
        **kw
    )
    return EstimationResults.from_statsmodels(
        res,
        estimator=f"discrete_hazard_{link}",
        cov_type="clustered" if cluster else "robust",
        outcome=outcome,
        cluster=cluster,
        extra={"events": int(d[outcome].sum())},
    )


__all__ = [
    "cluster_sandwich",
    "cox",
    "discrete_hazard",
    "duration_terms",
    "person_period",
    "phreg_entry",
    "score_residuals",
    "split_spells",
]
