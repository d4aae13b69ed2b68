"""Event studies and staggered difference-in-differences around GSP reviews or ILO naming.

* :func:`twfe` -- the static two-way fixed-effects benchmark ``y ~ treated + a_i + l_t``.
* :func:`event_study` -- TWFE with event-time leads and lags (reference period ``-1``,
  endpoints binned, never-treated units as the zero row).
* :func:`sun_abraham` -- Sun and Abraham's (2021) interaction-weighted estimator: one
  regression of the outcome on cohort x event-time indicators (never-treated units as the
  control group, reference period -1 in every cohort) with entity and year effects, then
  each event time's effect is the average of the cohort-specific effects weighted by the
  cohorts' shares of the units observed at that event time; standard errors by the delta
  method with the weights held fixed, intervals and p-values from ``t(df_resid)`` of the
  regression as linearmodels reports them. In a balanced panel each cohort x event-time
  effect is the long difference of means against the never-treated from year ``g - 1``
  (Callaway and Sant'Anna's ATT(g, t) with never-treated controls and a universal base
  period); the tests check that identity to 1e-8.
* :func:`plot_event_study` -- estimates and confidence intervals by event time (matplotlib).

Each estimator takes ``controls``, covariates entering additively (the panel's lagged
democracy or income, say), and ``cov``, an :class:`econometrics.covariance.Covariance`
(default: clustered by entity, linearmodels' convention; other covariances are fitted
by ``linearmodels.PanelOLS`` directly).

Why written here: the regressions are two-way fixed-effects fits with standard errors
clustered by entity, linearmodels' ``PanelOLS`` numbers (the tests check them to 1e-10),
computed without building the indicators
(:func:`econometrics.robustness.indicators.fit_indicators`): the hundreds of cohort x
event-time indicators of a Sun-Abraham regression cost tables of counts and group sums
and one dense solve (``benchmarks/bench_event_study.py`` measures the ratio against
PanelOLS on the dummies). Only the cell coding and the weighted aggregation are ours. No well-kept
heterogeneity-robust DiD library is installed (pyfixest, csdid and differences are not in
the environment), and the aggregation is a few lines. The tests check it against the
known dynamic effects of :func:`enforcement_lab.data.synthetic.staggered_panel`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from econometrics.covariance import Covariance
from econometrics.results import EstimationResults
from econometrics.robustness.indicators import fit_indicators, one_hot
from enforcement_lab.errors import DataError

EVENT_PREFIX = "event_time"


@dataclass(frozen=True)
class _Sample:
    """The complete rows of an event-study regression, as arrays."""

    entity: np.ndarray
    time: np.ndarray
    y: np.ndarray
    controls: np.ndarray  # (n, p) float
    control_names: tuple[str, ...]
    other: dict[str, np.ndarray]  # further columns (cohort, treated) on the same rows

    def __len__(self) -> int:
        return len(self.y)

    def take(self, keep: np.ndarray) -> _Sample:
        """The rows where ``keep`` is true."""
        return _Sample(
            self.entity[keep],
            self.time[keep],
            self.y[keep],
            self.controls[keep],
            self.control_names,
            {k: v[keep] for k, v in self.other.items()},
        )

    def event_times(self, cohort: str) -> tuple[np.ndarray, np.ndarray]:
        """Each row's adoption cohort and event time (NaN for never treated), as floats."""
        return _event_times(self.other[cohort], self.time, cohort)


def _event_times(cohort: np.ndarray, time: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Adoption cohorts (NaN for never treated) and event times ``time - cohort``, as
    floats; ``name`` is the cohort column's, for the error."""
    if cohort.dtype.kind != "f":  # labels or objects: numbers where they parse, else NaN
        cohort = pd.to_numeric(pd.Series(cohort), errors="coerce").astype(float).to_numpy()
    e = time.astype(float) - cohort
    if (np.isfinite(e) & (e != np.round(e))).any():
        raise DataError(
            f"event times must be whole periods: {name!r} or the time column holds "
            "fractional values"
        )
    return cohort, e


def _sample(
    frame: pd.DataFrame,
    entity: str,
    time: str,
    outcome: str,
    controls: Sequence[str] = (),
    others: Sequence[str] = (),
) -> _Sample:
    """The rows where the outcome and every control are observed (columns, or levels of a
    MultiIndex); only the named columns are read, and the frame is not copied."""
    levels = frame.index.names if isinstance(frame.index, pd.MultiIndex) else []
    wanted = list(dict.fromkeys((entity, time, outcome, *controls, *others)))
    missing = [c for c in wanted if c not in frame.columns and c not in levels]
    if missing:
        raise DataError(f"unknown column(s) {missing}")

    def column(name: str) -> np.ndarray:
        values = frame[name] if name in frame.columns else frame.index.get_level_values(name)
        if (
            isinstance(values.dtype, pd.api.extensions.ExtensionDtype)
            and values.dtype.kind in "biuf"
        ):
            return values.to_numpy(dtype=float, na_value=np.nan)  # Int64, boolean: <NA> is NaN
        return values.to_numpy()

    y = column(outcome)
    x = [column(c) for c in controls]
    keep = ~pd.isna(y)
    for c in x:
        keep &= ~pd.isna(c)
    return _Sample(
        column(entity)[keep],
        column(time)[keep],
        y[keep].astype(float),
        np.array([c[keep] for c in x], dtype=float).T if x else np.empty((int(keep.sum()), 0)),
        tuple(controls),
        {c: column(c)[keep] for c in others},
    )


@dataclass(frozen=True)
class _Design:
    """The regressors of an event-study regression: one-hot indicators (each row has at
    most one) and dense columns."""

    cells: np.ndarray  # (n,) each row's indicator, -1 for none
    cell_names: list[str]
    dense: np.ndarray  # (n, p)
    dense_names: list[str]

    @property
    def names(self) -> list[str]:
        return [*self.cell_names, *self.dense_names]

    def frame(self) -> pd.DataFrame:
        """Every regressor as a float column (the indicators as dummies)."""
        dummies = one_hot(self.cells, len(self.cell_names))
        return pd.DataFrame(np.c_[dummies, self.dense], columns=self.names)


@dataclass(frozen=True)
class _PanelFit:
    """A two-way fixed-effects regression clustered by entity, as linearmodels reports it."""

    params: pd.Series
    std_errors: pd.Series
    cov: pd.DataFrame
    nobs: int
    df_resid: float
    fit: Any
    covariance: Covariance

    def results(self, estimator: str, **extra: Any) -> EstimationResults:
        return EstimationResults(
            params=self.params,
            std_errors=self.std_errors,
            cov=self.cov,
            nobs=self.nobs,
            df_resid=self.df_resid,
            estimator=estimator,
            cov_type=self.covariance.kind,
            effects=("entity", "time"),
            cluster=self.covariance.cluster_label,
            cov_label=self.covariance.label,
            raw=self.fit,
            **extra,
        )


def _fit_panel(s: _Sample, design: _Design, cov: Covariance | None = None) -> _PanelFit:
    """``y ~ design + entity + year`` with standard errors clustered by entity (or ``cov``).

    The numbers of ``linearmodels.PanelOLS(y, x, entity_effects=True,
    time_effects=True).fit(cov_type="clustered", cluster_entity=True)`` (no constant,
    debiased, effects counted in the degrees of freedom), computed without the dummies
    (:func:`econometrics.robustness.indicators.fit_indicators`): the cohort x event-time
    indicators of a Sun-Abraham regression cost tables of counts and group sums, and one
    small dense solve, instead of a dummy column each through the panel machinery. Any
    other covariance is fitted by ``PanelOLS`` with its linearmodels arguments.
    """
    cov = Covariance() if cov is None else cov
    cov.check_supported("event_study")
    if cov != Covariance():
        return _fit_panel_linearmodels(s, design, cov)
    try:
        fit = fit_indicators(
            s.y,
            design.cells,
            design.cell_names,
            design.dense,
            design.dense_names,
            s.entity,
            s.time,
            cov,
        )
    except ValueError as exc:
        raise DataError(f"the event-study regression cannot be estimated: {exc}") from None
    names = pd.Index(fit.names)
    return _PanelFit(
        params=pd.Series(fit.params, index=names, name="parameter"),
        std_errors=pd.Series(np.sqrt(np.diag(fit.cov)), index=names, name="std_error"),
        cov=pd.DataFrame(fit.cov, index=names, columns=names),
        nobs=fit.nobs,
        df_resid=float(fit.df_resid),
        fit=fit,
        covariance=cov,
    )


def _fit_panel_linearmodels(s: _Sample, design: _Design, cov: Covariance) -> _PanelFit:
    """The same regression fitted by ``linearmodels.PanelOLS`` on the dummies."""
    from linearmodels.panel import PanelOLS

    idx = pd.MultiIndex.from_arrays([s.entity, s.time])
    max_ti = int(pd.Series(s.time).groupby(s.entity).size().max())
    res = PanelOLS(
        pd.Series(s.y, index=idx),
        design.frame().set_axis(idx),
        entity_effects=True,
        time_effects=True,
    ).fit(**cov.linearmodels_kwargs(n_periods=len(np.unique(s.time)), max_ti=max_ti))
    return _PanelFit(
        params=res.params,
        std_errors=res.std_errors,
        cov=res.cov,
        nobs=int(res.nobs),
        df_resid=float(res.df_resid),
        fit=res,
        covariance=cov,
    )


def twfe(
    frame: pd.DataFrame,
    outcome: str,
    treated: str,
    *,
    controls: Sequence[str] = (),
    entity: str = "iso3",
    time: str = "year",
    cov: Covariance | None = None,
) -> EstimationResults:
    """Static TWFE: ``outcome ~ treated + controls + entity + year`` (PanelOLS, clustered by entity)."""
    s = _sample(frame, entity, time, outcome, controls, (treated,))
    dense = np.c_[s.other[treated].astype(float), s.controls]
    design = _Design(np.full(len(s), -1), [], dense, [treated, *controls])
    return _fit_panel(s, design, cov).results("twfe", outcome=outcome)


def event_dummies(
    frame: pd.DataFrame, cohort: str, time: str, leads: int, lags: int, *, ref: int = -1
) -> pd.DataFrame:
    """Binned event-time indicators ``event_time[e]`` for ``e`` in ``-leads..lags`` except ``ref``.

    Event times below ``-leads`` count in ``-leads``, above ``lags`` in ``lags``; never-treated
    rows (empty ``cohort``) are all zero.

    Examples
    --------
    >>> f = pd.DataFrame({"year": [1, 2, 3, 4], "cohort": [3, 3, 3, None]})
    >>> event_dummies(f, "cohort", "year", leads=2, lags=1).values.tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    _, times = _event_times(frame[cohort].to_numpy(), frame[time].astype(float).to_numpy(), cohort)
    e = pd.Series(times, index=frame.index).clip(-leads, lags)
    cols = {}
    for k in range(-leads, lags + 1):
        if k != ref:
            cols[f"{EVENT_PREFIX}[{k}]"] = (e == k).astype(float)
    return pd.DataFrame(cols, index=frame.index)


def _dynamic(res: EstimationResults, level: float = 0.95) -> pd.DataFrame:
    ci = res.conf_int(level)
    rows = [
        (
            int(t[len(EVENT_PREFIX) + 1 : -1]),
            res.params[t],
            res.std_errors[t],
            ci.loc[t, "lower"],
            ci.loc[t, "upper"],
        )
        for t in res.params.index
        if t.startswith(EVENT_PREFIX + "[")
    ]
    return pd.DataFrame(rows, columns=["event_time", "estimate", "std_error", "lower", "upper"])


def dynamic_effects(res: EstimationResults, level: float = 0.95) -> pd.DataFrame:
    """Event-time estimates of :func:`event_study` or :func:`sun_abraham` as a tidy frame."""
    return _dynamic(res, level).sort_values("event_time").reset_index(drop=True)


def event_study(
    frame: pd.DataFrame,
    outcome: str,
    cohort: str = "cohort",
    *,
    leads: int = 4,
    lags: int = 5,
    controls: Sequence[str] = (),
    entity: str = "iso3",
    time: str = "year",
    cov: Covariance | None = None,
) -> EstimationResults:
    """TWFE event study with binned leads and lags (reference ``-1``), never-treated as zeros.

    Rows with a missing outcome or control are dropped first; an event time that no
    remaining row has gets no coefficient. ``controls`` enter additively. Under effects
    that differ across adoption cohorts, the coefficients mix effects from other event
    times (Sun and Abraham 2021); compare with :func:`sun_abraham`.
    """
    s = _sample(frame, entity, time, outcome, controls, (cohort,))
    _, e = s.event_times(cohort)
    binned = np.clip(e, -leads, lags)  # the bins of event_dummies
    on = np.isfinite(binned) & (binned != -1)
    present = np.unique(binned[on]).astype(np.int64)
    cells = np.full(len(s), -1)
    cells[on] = np.searchsorted(present, binned[on])
    names = [f"{EVENT_PREFIX}[{k}]" for k in present]
    design = _Design(cells, names, s.controls, list(controls))
    return _fit_panel(s, design, cov).results("event_study_twfe", outcome=outcome)


def sun_abraham(
    frame: pd.DataFrame,
    outcome: str,
    cohort: str = "cohort",
    *,
    leads: int = 4,
    lags: int = 5,
    controls: Sequence[str] = (),
    entity: str = "iso3",
    time: str = "year",
    cov: Covariance | None = None,
) -> EstimationResults:
    """Sun-Abraham interaction-weighted event study with never-treated controls.

    ``controls`` (covariates, not control units) enter the regression additively and get
    no weight in the aggregation; rows with a missing outcome or control are dropped
    before the cohort shares are counted. A cohort with no remaining row at event time
    -1 cannot be compared with its reference year: its units are left out, with a
    warning, and listed in ``extra["dropped_cohorts"]``.

    Returns
    -------
    EstimationResults
        Terms ``event_time[e]`` for ``e`` in ``-leads..lags`` (except -1), plus ``ATT`` (the
        average of the post-period effects ``0..lags`` weighted by the number of treated
        cells). ``extra["cohort_effects"]`` holds the cohort x event-time estimates and
        ``extra["weights"]`` the aggregation weights.
    """
    s = _sample(frame, entity, time, outcome, controls, (cohort,))
    coh, e = s.event_times(cohort)
    if not np.isnan(e).any():
        raise DataError("sun_abraham needs never-treated units (empty cohort) as controls")
    # a cohort with no observed row at the reference time -1 has no effects relative to
    # it (its dummies would span its units' fixed effects): its units leave the sample
    treated = np.isfinite(coh)
    dropped = sorted({int(g) for g in np.unique(coh[treated])} - {int(g) for g in coh[e == -1]})
    if dropped:
        keep = ~np.isin(coh, dropped)
        s, coh, e = s.take(keep), coh[keep], e[keep]
        if np.isnan(coh).all():
            raise DataError("sun_abraham: no adoption cohort is observed at event time -1")
        warnings.warn(
            f"sun_abraham: cohort(s) {dropped} have no observed row at event time -1 and "
            "are left out (extra['dropped_cohorts'])",
            stacklevel=2,
        )
    # one indicator per (cohort, event time) cell observed, in (cohort, event time) order
    on = np.isfinite(e) & (e != -1)
    g_on, e_on = coh[on].astype(np.int64), e[on].astype(np.int64)
    span = int(e_on.max() - e_on.min()) + 1 if on.any() else 1
    keys, codes, counts = np.unique(
        (g_on - g_on.min(initial=0)) * span + (e_on - e_on.min(initial=0)),
        return_inverse=True,
        return_counts=True,
    )
    first = np.zeros(len(keys), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # a row of each cell
    key_g, key_e = g_on[first], e_on[first]
    cells = np.full(len(s), -1)
    cells[on] = codes
    cell_names = [f"c{g}:e{k}" for g, k in zip(key_g, key_e, strict=True)]
    res = _fit_panel(s, _Design(cells, cell_names, s.controls, list(controls)), cov)
    delta, n_units = res.params, counts.astype(float)  # units of cohort g at event time e
    names, rows = [], []
    for k in [k for k in range(-leads, lags + 1) if k != -1]:
        at = np.flatnonzero(key_e == k)
        if len(at):
            names.append(f"{EVENT_PREFIX}[{k}]")
            rows.append((at, n_units[at] / n_units[at].sum()))
    # ATT over post periods 0..lags: weights by the number of treated cells
    post = np.flatnonzero((key_e >= 0) & (key_e <= lags))
    names.append("ATT")
    rows.append((post, n_units[post] / n_units[post].sum()))
    w = np.zeros((len(names), len(delta)))
    for i, (at, share) in enumerate(rows):
        w[i, at] = share
    est = w @ delta.to_numpy()
    vcov_w = w @ res.cov.to_numpy() @ w.T
    return EstimationResults(
        params=pd.Series(est, index=names),
        std_errors=pd.Series(np.sqrt(np.diag(vcov_w)), index=names),
        cov=pd.DataFrame(vcov_w, index=names, columns=names),
        nobs=int(res.nobs),
        df_resid=float(res.df_resid),
        estimator="sun_abraham",
        cov_type=res.covariance.kind,
        outcome=outcome,
        effects=("entity", "time"),
        cluster=res.covariance.cluster_label,
        cov_label=res.covariance.label,
        extra={
            "cohort_effects": delta,
            "weights": pd.DataFrame(w, index=names, columns=delta.index),
            "dropped_cohorts": dropped,
        },
        raw=res.fit,
    )


def plot_event_study(
    results: Sequence[EstimationResults] | EstimationResults,
    labels: Sequence[str] | None = None,
    *,
    truth: dict[int, float] | None = None,
    level: float = 0.95,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Plot event-time estimates with confidence intervals; returns the matplotlib Figure.

    ``truth`` (event time -> effect) is drawn as a dashed line (for synthetic data; label the
    figure "synthetic" through ``title``).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if isinstance(results, EstimationResults):
        results = [results]
    labels = list(labels or [r.estimator for r in results])
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.5))
    else:
        fig = ax.figure
    width = 0.15
    for i, (r, lab) in enumerate(zip(results, labels, strict=True)):
        dyn = dynamic_effects(r, level)
        shift = (i - (len(results) - 1) / 2) * width
        ax.errorbar(
            dyn["event_time"] + shift,
            dyn["estimate"],
            yerr=[dyn["estimate"] - dyn["lower"], dyn["upper"] - dyn["estimate"]],
            fmt="o",
            capsize=2,
            label=lab,
        )
    if truth:
        ks = sorted(truth)
        ax.plot(ks, [truth[k] for k in ks], "k--", lw=1, label="true effect")
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(-0.5, color="grey", lw=0.5, ls=":")
    ax.set_xlabel("years since event")
    ax.set_ylabel("effect")
    if title:
        ax.set_title(title)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def pretrend_test(res: EstimationResults, *, ref: int = -1) -> dict[str, Any]:
    """Joint Wald test that every lead (event time below ``ref``) is zero.

    Parallel pre-trends are what an event study's identification rests on; single leads
    can each be insignificant while they are jointly not zero, and one significant lead
    among many may be chance. The statistic is ``W = b' V^-1 b`` over the ``k`` lead
    coefficients ``b`` with their covariance ``V`` (the fit's own: clustered, by default),
    referred to chi-squared with ``k`` degrees of freedom; ``f_pvalue`` refers ``W / k`` to
    ``F(k, df_resid)`` when the fit has residual degrees of freedom (statsmodels'
    ``wald_test(use_f=True)``), which is more conservative with few clusters.

    Returns
    -------
    dict
        ``leads`` (the terms tested), ``df``, ``statistic`` (W), ``pvalue`` (chi-squared),
        ``f_statistic``, ``f_pvalue`` (NaN without ``df_resid``).
    """
    from scipy import stats

    leads = [
        t
        for t in res.params.index
        if str(t).startswith(EVENT_PREFIX + "[") and int(str(t)[len(EVENT_PREFIX) + 1 : -1]) < ref
    ]
    if not leads:
        raise DataError("pretrend_test: the event study has no lead coefficients")
    if res.cov is None:
        raise DataError("pretrend_test: the results carry no covariance matrix")
    b = res.params[leads].to_numpy(float)
    v = res.cov.loc[leads, leads].to_numpy(float)
    w = float(b @ np.linalg.solve(v, b))
    k = len(leads)
    f_p = float(stats.f.sf(w / k, k, res.df_resid)) if res.df_resid else float("nan")
    return {
        "leads": leads,
        "df": k,
        "statistic": w,
        "pvalue": float(stats.chi2.sf(w, k)),
        "f_statistic": w / k,
        "f_pvalue": f_p,
    }


__all__ = [
    "dynamic_effects",
    "event_dummies",
    "event_study",
    "plot_event_study",
    "pretrend_test",
    "sun_abraham",
    "twfe",
]
