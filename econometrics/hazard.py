"""Ratification hazards: Cox proportional hazards and discrete-time logit/cloglog models.

The unit is a country x convention (or country x treaty) spell at risk of ratification,
in analysis time (years since the country could first ratify). Two estimators:

* :func:`cox` -- ``statsmodels`` ``PHReg``: partial likelihood with **entry times** (left
  truncation, and the counting-process form ``(start, stop]`` for time-varying
  covariates: one row per interval, each row entering the risk set at its ``start``),
  **strata** (by convention: one baseline hazard per convention), and a **cluster-robust**
  sandwich by country (``PHReg.fit(groups=...)``). Checked against ``lifelines``
  ``CoxPHFitter(entry_col=, strata=, cluster_col=)`` in the tests.
* :func:`discrete_hazard` -- ``statsmodels`` GLM (binomial, logit or complementary
  log-log link) on the person-period rows of :func:`expand_spells`, with duration terms
  (log duration, a cubic -- Carter and Signorino 2010 -- or duration dummies), stratum
  dummies and cluster-robust covariance.

Written here: the person-period expansion (:func:`expand_spells`), a reshaping that
neither library does for spells with fractional exit times and left truncation (lifelines'
``to_episodic_format`` has no entry times); and the Cox score residuals behind the
cluster-robust covariance (:func:`score_residuals`), because ``PHReg.score_residuals`` is
wrong on counting-process data with several rows per spell and lifelines' clustered
sandwich ignores late entry (its robust SEs differ from PHReg's and from ours whenever
``entry_col`` is used; see lifelines issue #1599). Both are tested: ours equals PHReg's
on one-row spells with late entry, equals lifelines' without late entry, and is invariant
to splitting spells into intervals.

Examples
--------
>>> from enforcement_lab.data.synthetic import ratification_spells
>>> sp = ratification_spells(n_countries=40, seed=1)
>>> res = cox(sp, ["logGDPpc", "polity2", "left_gov"], strata="convention", cluster="iso3")
>>> res.estimator, res.cov_type, res.nobs == len(sp)
('cox', 'clustered', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError, SpecError

DurationTerms = Literal["log", "cubic", "dummies", "none"]


def _need(frame: pd.DataFrame, cols: Sequence[str | None]) -> None:
    missing = [c for c in cols if c is not None and c not in frame.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}; data has {list(frame.columns)}")


def _check_spells(frame: pd.DataFrame, start: str | None, stop: str, event: str) -> None:
    if (frame[stop] <= (frame[start] if start else 0)).any():
        raise DataError(f"every spell needs {stop} > {start or 0}")
    if not frame[event].isin([0, 1]).all():
        raise DataError(f"column {event!r} must be 0/1")


def cox(
    frame: pd.DataFrame,
    covariates: Sequence[str],
    *,
    stop: str = "stop",
    event: str = "event",
    start: str | None = "start",
    strata: str | None = None,
    cluster: str | None = None,
    ties: Literal["breslow", "efron"] = "breslow",
) -> EstimationResults:
    """Cox proportional hazards by ``statsmodels`` ``PHReg``.

    Parameters
    ----------
    frame : DataFrame
        One row per spell, or per ``(start, stop]`` interval of a spell (counting process).
    covariates : sequence of str
        Regressors (time-varying ones vary across a spell's intervals).
    stop, event : str
        Exit time and 0/1 event indicator.
    start : str or None
        Entry time (left truncation / interval start); ``None`` for no late entry.
    strata : str, optional
        Stratum column (e.g. ``"convention"``): separate baseline hazards.
    cluster : str, optional
        Cluster column (e.g. ``"iso3"``) for the robust sandwich covariance.
    ties : {"breslow", "efron"}
        Tie handling (lifelines uses Efron).

    Returns
    -------
    EstimationResults
        Log hazard ratios; ``extra`` has the log partial likelihood and the events count.
    """
    from statsmodels.duration.hazard_regression import PHReg

    covariates = list(covariates)
    _need(frame, [stop, event, start, strata, cluster, *covariates])
    cols = list(dict.fromkeys(c for c in [stop, event, start, strata, cluster, *covariates] if c))
    df = frame[cols].dropna()
    if df.empty:
        raise DataError("no complete spells for the Cox model")
    _check_spells(df, start, stop, event)
    x = df[covariates].astype(float)
    model = PHReg(
        df[stop].to_numpy(float),
        x,
        status=df[event].to_numpy(int),
        entry=None if start is None else df[start].to_numpy(float),
        strata=None if strata is None else pd.factorize(df[strata])[0],
        ties=ties,
    )
    res = model.fit()
    cov = np.asarray(res.cov_params())
    n_clusters = None
    if cluster is not None:
        groups = pd.factorize(df[cluster])[0]
        n_clusters = int(groups.max() + 1)
        score = score_residuals(
            x.to_numpy(),
            np.asarray(res.params),
            np.zeros(len(df)) if start is None else df[start].to_numpy(float),
            df[stop].to_numpy(float),
            df[event].to_numpy(int),
            np.zeros(len(df), int) if strata is None else pd.factorize(df[strata])[0],
        )
        cov = cluster_sandwich(model, np.asarray(res.params), score, groups)
    params = pd.Series(res.params, index=covariates)
    se = pd.Series(np.sqrt(np.diag(cov)), index=covariates)
    return EstimationResults(
        params=params,
        std_errors=se,
        cov=pd.DataFrame(cov, index=covariates, columns=covariates),
        nobs=len(df),
        estimator="cox",
        cov_type="clustered" if cluster else "unadjusted",
        outcome=event,
        effects=(f"strata: {strata}",) if strata else (),
        cluster=cluster,
        extra={
            "events": int(df[event].sum()),
            "log partial likelihood": float(res.llf),
            **({"clusters": n_clusters} if n_clusters else {}),
        },
        raw=res,
    )


def score_residuals(
    x: np.ndarray,
    params: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    event: np.ndarray,
    strata: np.ndarray,
) -> np.ndarray:
    """Cox score residuals (Breslow ties) for ``(start, stop]`` rows.

    ``U_j = d_j (x_j - xbar(t_j)) - sum_i Y_j(t_i) exp(x_j b) dLambda_i (x_j - xbar(t_i))``
    over the failure times ``t_i`` of row ``j``'s stratum, with ``Y_j(t) = 1`` when
    ``start_j < t <= stop_j``. Written here because ``PHReg.score_residuals`` returns wrong
    values (and NaN) for counting-process data in which a subject has several rows (checked
    in the tests: it agrees with this function on one-row-per-spell data with late entry,
    and disagrees once spells are split); the partial likelihood, its Hessian and the
    coefficients still come from ``PHReg``.
    """
    u = np.zeros_like(x, dtype=float)
    eta = x @ params
    for k in np.unique(strata):
        idx = np.flatnonzero(strata == k)
        xs, s, t, d = x[idx], start[idx], stop[idx], event[idx]
        fail_times, n_fail = np.unique(t[d == 1], return_counts=True)
        if fail_times.size == 0:
            continue
        e = np.exp(eta[idx] - eta[idx].max())
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


def expand_spells(
    frame: pd.DataFrame,
    *,
    start: str | None = "start",
    stop: str = "stop",
    event: str = "event",
    origin: str | None = None,
    width: float = 1.0,
) -> pd.DataFrame:
    """Person-period rows: one ``(start, stop]`` interval of length ``width`` per period at risk.

    A spell observed over ``(s, t]`` becomes the intervals ``(k w, (k + 1) w]`` for
    ``k = floor(s / w), ..., ceil(t / w) - 1``, the first one starting at ``s`` (late entry)
    and the last one ending at ``t``. ``event`` is 1 only on the last interval of a spell
    that ended in the event. Added columns: ``period`` (``k + 1``, the duration at the end
    of the interval, in periods), ``spell`` (row number of the source spell) and, when
    ``origin`` names the calendar year the clock started, ``year`` (``origin + k``) for
    merging time-varying covariates from a country-year panel.

    Examples
    --------
    >>> sp = pd.DataFrame({"start": [0.0, 2.0], "stop": [2.5, 3.0], "event": [1, 0]})
    >>> expand_spells(sp)[["spell", "start", "stop", "event", "period"]].values.tolist()
    [[0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 2.0, 0.0, 2.0], [0.0, 2.0, 2.5, 1.0, 3.0], \
[1.0, 2.0, 3.0, 0.0, 3.0]]
    """
    _need(frame, [start, stop, event, origin])
    if width <= 0:
        raise SpecError(f"width must be positive, got {width}")
    s = np.zeros(len(frame)) if start is None else frame[start].to_numpy(float)
    t = frame[stop].to_numpy(float)
    if np.any(~np.isfinite(t)) or np.any(t <= s):
        raise DataError(f"every spell needs a finite {stop} > {start or 0}")
    k0 = np.floor(s / width + 1e-12).astype(int)
    k1 = np.ceil(t / width - 1e-12).astype(int)
    counts = k1 - k0
    rep = np.repeat(np.arange(len(frame)), counts)
    k = np.concatenate([np.arange(a, b) for a, b in zip(k0, k1, strict=True)])
    out = frame.iloc[rep].reset_index(drop=True).copy()
    lo = np.maximum(k * width, s[rep])
    hi = np.minimum((k + 1) * width, t[rep])
    last = np.r_[rep[1:] != rep[:-1], True]
    out["spell"] = rep
    out[start or "start"] = lo
    out[stop] = hi
    out[event] = np.where(last, frame[event].to_numpy()[rep], 0).astype(int)
    out["period"] = k + 1
    if origin is not None:
        out["year"] = frame[origin].to_numpy()[rep].astype(int) + k
    return out


def duration_terms(period: pd.Series, kind: DurationTerms) -> pd.DataFrame:
    """Duration regressors: ``log`` -> ``log_duration``; ``cubic`` -> ``t, t^2, t^3``
    (t scaled by 10 for conditioning); ``dummies`` -> one dummy per period but the first.
    """
    p = period.astype(float)
    if kind == "none":
        return pd.DataFrame(index=period.index)
    if kind == "log":
        return pd.DataFrame({"log_duration": np.log(p)}, index=period.index)
    if kind == "cubic":
        t = p / 10.0
        return pd.DataFrame({"t": t, "t2": t**2, "t3": t**3}, index=period.index)
    if kind == "dummies":
        d = pd.get_dummies(period.astype(int), prefix="dur", drop_first=True, dtype=float)
        return d.set_index(period.index)
    raise SpecError(f"duration terms {kind!r} unknown; use log, cubic, dummies or none")


def discrete_hazard(
    frame: pd.DataFrame,
    covariates: Sequence[str],
    *,
    link: Literal["logit", "cloglog"] = "cloglog",
    duration: DurationTerms = "log",
    event: str = "event",
    period: str = "period",
    strata: str | None = None,
    cluster: str | None = None,
) -> EstimationResults:
    """Discrete-time hazard: binomial GLM on person-period rows (see :func:`expand_spells`).

    With the ``cloglog`` link and grouped (annual) data from a continuous proportional
    hazards process, the covariate coefficients are the Cox log hazard ratios.

    Parameters
    ----------
    frame : DataFrame
        Person-period rows with a 0/1 ``event`` and a positive integer ``period``.
    covariates : sequence of str
        Regressors.
    link : {"cloglog", "logit"}
        Link function.
    duration : {"log", "cubic", "dummies", "none"}
        Duration dependence terms.
    strata : str, optional
        Column whose categories enter as dummies (e.g. ``"convention"``).
    cluster : str, optional
        Cluster column for the robust covariance; otherwise the model-based covariance.
    """
    import statsmodels.api as sm

    covariates = list(covariates)
    _need(frame, [event, period, strata, cluster, *covariates])
    cols = list(dict.fromkeys(c for c in [event, period, strata, cluster, *covariates] if c))
    df = frame[cols].dropna()
    if df.empty:
        raise DataError("no complete person-period rows")
    if not df[event].isin([0, 1]).all():
        raise DataError(f"column {event!r} must be 0/1")
    if (df[period] < 1).any():
        raise DataError(f"column {period!r} must be a positive duration")
    parts = [pd.DataFrame({"const": 1.0}, index=df.index), df[covariates].astype(float)]
    parts.append(duration_terms(df[period], duration))
    if strata is not None:
        parts.append(
            pd.get_dummies(df[strata].astype(str), prefix=strata, drop_first=True, dtype=float)
        )
    x = pd.concat(parts, axis=1)
    links = {"logit": sm.families.links.Logit(), "cloglog": sm.families.links.CLogLog()}
    if link not in links:
        raise SpecError(f"link {link!r} unknown; use logit or cloglog")
    model = sm.GLM(df[event].astype(float), x, family=sm.families.Binomial(link=links[link]))
    kwargs: dict[str, Any] = {}
    if cluster is not None:
        kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(df[cluster])[0]}}
    res = model.fit(**kwargs)
    effects = tuple(
        x for x in (f"duration: {duration}", f"strata: {strata}" if strata else "") if x
    )
    return EstimationResults(
        params=res.params,
        std_errors=res.bse,
        pvalues=res.pvalues,
        cov=res.cov_params(),
        nobs=int(res.nobs),
        estimator=f"discrete_hazard_{link}",
        cov_type="clustered" if cluster else "unadjusted",
        outcome=event,
        effects=effects,
        cluster=cluster,
        extra={"events": int(df[event].sum()), "log likelihood": float(res.llf)},
        raw=res,
    )


__all__ = ["cox", "discrete_hazard", "duration_terms", "expand_spells"]
