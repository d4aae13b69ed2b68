"""Event studies / staggered difference-in-differences around GSP reviews or ILO naming.

Two estimators of the dynamic effect ``tau_e`` at event time ``e`` (years since a unit's
event; ``e = -1`` is the reference period), both with unit and year fixed effects,
never-treated units as the control group and standard errors clustered by unit:

* ``method="twfe"`` -- the two-way fixed-effects benchmark: one dummy per event time in
  ``[-leads, lags]`` (endpoints binned: earlier periods into ``-leads``, later into
  ``lags``), estimated by ``linearmodels.PanelOLS``. With effects that differ across
  adoption cohorts its coefficients mix effects of other periods and cohorts (Sun and
  Abraham 2021, Prop. 1).
* ``method="sun_abraham"`` -- the interaction-weighted estimator of Sun and Abraham (2021):
  one ``PanelOLS`` regression with cohort x event-time dummies (never-treated units the
  only controls, every event time of each cohort except ``-1`` included, so nothing is
  binned), then ``tau_e = sum_g w_{g,e} delta_{g,e}`` with ``w_{g,e}`` the share of cohort
  ``g`` among treated units observed at event time ``e``; standard errors by the delta
  method with the weights held fixed (as fixest's ``sunab`` does by default).

Why not a library: pyfixest (which has ``sunab``-style estimators) is not installed and
would add polars, numba and narwhals to the runtime dependencies; csdid and differences
are not installed either. The interaction-weighted estimator is a regression that
linearmodels runs, plus a weighted sum of its coefficients -- the only code written here
is the construction of the dummies and that weighted sum, tested against a direct
``PanelOLS`` call and against the known truth of a synthetic staggered panel.

Examples
--------
>>> from enforcement_lab.data.synthetic import staggered_panel
>>> df = staggered_panel(n_entities=40, n_years=14, seed=2)
>>> es = event_study(df, "y", cohort="cohort", leads=3, lags=4, method="sun_abraham")
>>> list(es.effects.index)
[-3, -2, -1, 0, 1, 2, 3, 4]
>>> float(es.effects.loc[-1, "estimate"])
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError, SpecError

Method = Literal["twfe", "sun_abraham"]


@dataclass(frozen=True)
class EventStudy:
    """Dynamic effects by event time, and the regression behind them.

    Attributes
    ----------
    effects : DataFrame
        Indexed by event time (reference ``-1`` included with 0), columns
        ``estimate, std_error, lower, upper``.
    results : EstimationResults
        The effects as a results object (terms ``"e=-3"``, ...), for tables.
    method : str
        ``"twfe"`` or ``"sun_abraham"``.
    regression : EstimationResults
        The underlying PanelOLS regression (all dummies).
    weights : DataFrame or None
        Sun-Abraham cohort weights (event time x cohort).
    """

    effects: pd.DataFrame
    results: EstimationResults
    method: str
    regression: EstimationResults
    weights: pd.DataFrame | None = None

    def plot(self, ax: Any = None, *, truth: dict[int, float] | None = None, label: str = ""):
        """Event-study plot; see :func:`plot_event_study`."""
        return plot_event_study([self], ax=ax, truth=truth, labels=[label] if label else None)


def _frame(data: pd.DataFrame, entity: str, time: str) -> pd.DataFrame:
    df = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data.copy()
    missing = [c for c in (entity, time) if c not in df.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    return df


def _panel_fit(y: pd.Series, x: pd.DataFrame, cluster_codes: pd.Series) -> Any:
    from linearmodels import PanelOLS

    mod = PanelOLS(y, x, entity_effects=True, time_effects=True, drop_absorbed=True)
    return mod.fit(cov_type="clustered", clusters=cluster_codes.to_frame("c"))


def _wrap(res: Any, outcome: str, estimator: str) -> EstimationResults:
    return EstimationResults(
        params=res.params,
        std_errors=res.std_errors,
        pvalues=res.pvalues,
        cov=res.cov,
        nobs=int(res.nobs),
        estimator=estimator,
        cov_type="clustered",
        df_resid=float(res.df_resid),
        outcome=outcome,
        effects=("entity", "time"),
        cluster="entity",
        raw=res,
    )


def event_study(
    data: pd.DataFrame,
    outcome: str,
    *,
    cohort: str = "cohort",
    entity: str = "iso3",
    time: str = "year",
    leads: int = 4,
    lags: int = 5,
    method: Method = "sun_abraham",
    level: float = 0.95,
) -> EventStudy:
    """Estimate dynamic treatment effects around a staggered event.

    Parameters
    ----------
    data : DataFrame
        A panel (columns or an ``(entity, time)`` MultiIndex) with the outcome and
        ``cohort``: the year of the unit's event (missing for never-treated units).
    outcome : str
        Outcome column.
    cohort, entity, time : str
        Column names.
    leads, lags : int
        Event-time window ``[-leads, lags]``; ``leads >= 2`` so that a pre-trend is shown.
    method : {"sun_abraham", "twfe"}
        Estimator (see the module docstring).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    EventStudy
    """
    if method not in ("twfe", "sun_abraham"):
        raise SpecError(f"method {method!r} unknown; use 'twfe' or 'sun_abraham'")
    if leads < 2 or lags < 0:
        raise SpecError(f"need leads >= 2 and lags >= 0, got leads={leads}, lags={lags}")
    df = _frame(data, entity, time)
    for c in (outcome, cohort):
        if c not in df.columns:
            raise SpecError(f"unknown column {c!r}")
    df = df[[entity, time, outcome, cohort]].dropna(subset=[outcome]).copy()
    df[time] = df[time].astype(int)
    df = df.set_index([entity, time]).sort_index()
    coh = pd.to_numeric(df[cohort], errors="coerce").astype(float)
    if coh.notna().all():
        raise DataError("no never-treated units (cohort missing): they are the control group")
    if coh.isna().all():
        raise DataError(f"no treated units: {cohort!r} is missing everywhere")
    if (coh.groupby(level=0).nunique() > 1).any():
        raise DataError(f"{cohort!r} must be constant within each {entity}")
    rel = df.index.get_level_values(1).to_numpy(float) - coh
    clusters = pd.Series(pd.factorize(df.index.get_level_values(0))[0], index=df.index)
    window = list(range(-leads, lags + 1))
    if method == "twfe":
        binned = rel.clip(-leads, lags)
        x = pd.DataFrame(
            {f"e={e}": (binned == e).astype(float) for e in window if e != -1}, index=df.index
        )
        res = _panel_fit(df[outcome], x, clusters)
        reg = _wrap(res, outcome, "event_study_twfe")
        est = pd.Series({e: (0.0 if e == -1 else res.params[f"e={e}"]) for e in window})
        se = pd.Series({e: (0.0 if e == -1 else res.std_errors[f"e={e}"]) for e in window})
        cov_e = res.cov.loc[[f"e={e}" for e in window if e != -1]] if len(window) > 1 else None
        cov_e = cov_e[[f"e={e}" for e in window if e != -1]] if cov_e is not None else None
        weights = None
    else:
        cells = pd.DataFrame({"g": coh, "e": rel}).dropna()
        cells = cells[cells["e"] != -1]
        keys = sorted({(int(g), int(e)) for g, e in zip(cells["g"], cells["e"], strict=True)})
        x = pd.DataFrame(
            {f"g={g}:e={e}": ((coh == g) & (rel == e)).astype(float).to_numpy() for g, e in keys},
            index=df.index,
        )
        res = _panel_fit(df[outcome], x, clusters)
        reg = _wrap(res, outcome, "event_study_sun_abraham_cells")
        kept = [k for k in keys if f"g={k[0]}:e={k[1]}" in res.params.index]
        # weights: share of cohort g among treated units observed at event time e
        units = (
            pd.DataFrame({"g": coh, "e": rel})
            .dropna()
            .reset_index()
            .groupby(["e", "g"])[entity]
            .nunique()
        )
        weights = pd.DataFrame(0.0, index=[e for e in window if e != -1], columns=[])
        names = [f"g={g}:e={e}" for g, e in kept]
        w_mat = np.zeros((len(window) - 1, len(names)))
        rows = [e for e in window if e != -1]
        for j, (g, e) in enumerate(kept):
            if e in rows:
                w_mat[rows.index(e), j] = units.loc[(e, g)]
        tot = w_mat.sum(1, keepdims=True)
        if (tot == 0).any():
            empty = [rows[i] for i in np.flatnonzero(tot[:, 0] == 0)]
            raise DataError(f"no treated unit observed at event time(s) {empty}")
        w_mat = w_mat / tot
        weights = pd.DataFrame(w_mat, index=rows, columns=names)
        b = res.params[names].to_numpy()
        v = res.cov.loc[names, names].to_numpy()
        est_r = w_mat @ b
        cov_r = w_mat @ v @ w_mat.T
        est = pd.Series(dict(zip(rows, est_r, strict=True)))
        se = pd.Series(dict(zip(rows, np.sqrt(np.diag(cov_r)), strict=True)))
        est[-1], se[-1] = 0.0, 0.0
        est, se = est.sort_index(), se.sort_index()
        cov_e = pd.DataFrame(
            cov_r, index=[f"e={e}" for e in rows], columns=[f"e={e}" for e in rows]
        )
    from scipy import stats

    q = float(stats.norm.ppf(0.5 + level / 2))
    effects = pd.DataFrame(
        {"estimate": est, "std_error": se, "lower": est - q * se, "upper": est + q * se}
    )
    effects.index.name = "event_time"
    terms = [f"e={e}" for e in window if e != -1]
    results = EstimationResults(
        params=pd.Series(est.drop(-1).to_numpy(), index=terms),
        std_errors=pd.Series(se.drop(-1).to_numpy(), index=terms),
        cov=cov_e,
        nobs=int(res.nobs),
        estimator=f"event_study_{method}",
        cov_type="clustered",
        outcome=outcome,
        effects=("entity", "time"),
        cluster="entity",
        extra={"reference period": -1, "control group": "never treated"},
        raw=res,
    )
    return EventStudy(effects, results, method, reg, weights)


def plot_event_study(
    studies: list[EventStudy],
    ax: Any = None,
    *,
    truth: dict[int, float] | None = None,
    labels: list[str] | None = None,
    synthetic: bool = False,
):
    """Coefficients with confidence bars by event time, one series per study.

    Returns the matplotlib Figure. ``truth`` draws the true effects (for synthetic data);
    ``synthetic=True`` adds "synthetic data" to the title.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    n = len(studies)
    offsets = np.linspace(-0.15, 0.15, n) if n > 1 else [0.0]
    for k, (es, off) in enumerate(zip(studies, offsets, strict=True)):
        eff = es.effects
        label = labels[k] if labels else es.method
        ax.errorbar(
            eff.index + off,
            eff["estimate"],
            yerr=[eff["estimate"] - eff["lower"], eff["upper"] - eff["estimate"]],
            fmt="o",
            capsize=2,
            label=label,
        )
    if truth is not None:
        ks = sorted(truth)
        ax.plot(ks, [truth[k] for k in ks], "k--", lw=1, label="truth")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("years since event")
    ax.set_ylabel("effect")
    ax.set_title("Event study" + (" (synthetic data)" if synthetic else ""))
    ax.legend(frameon=False)
    return fig


__all__ = ["EventStudy", "event_study", "plot_event_study"]
