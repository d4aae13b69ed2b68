"""Estimate a :class:`~econometrics.spec.Spec` on a data frame: thin wrappers over libraries.

Every estimate here is computed by linearmodels or statsmodels; this module only prepares
the estimation sample (sample query, lags within entity, missing values), maps the spec's
covariance choice onto each library's arguments, and copies the answer into one
:class:`~econometrics.results.EstimationResults`.

==================  ========================================================================
estimator           library call
==================  ========================================================================
pooled_ols          ``linearmodels.PooledOLS`` (with a constant)
panel_ols           ``linearmodels.PanelOLS`` (entity/time/two-way effects; constant if none)
random_effects      ``linearmodels.RandomEffects`` (with a constant)
first_difference    ``linearmodels.FirstDifferenceOLS``
between_ols         ``linearmodels.BetweenOLS`` (with a constant)
lpm                 ``linearmodels.PanelOLS`` (a linear probability model, effects allowed)
logit / probit      ``statsmodels.Logit`` / ``Probit`` (constant, time dummies if asked)
ordered_logit/-     ``statsmodels.miscmodels.ordinal_model.OrderedModel`` (``distr="logit"``
probit              or ``"probit"``; time dummies if asked)
poisson             ``statsmodels.GLM`` with ``Poisson`` family, ``exposure`` offset, dummies
negative_binomial   ``statsmodels.discrete.NegativeBinomial`` (NB2, alpha estimated), exposure
==================  ========================================================================

Covariance (``Spec.cov``): ``unadjusted``, ``robust`` (White; HC0 in statsmodels),
``clustered`` by ``Spec.cluster`` (``entity``, ``time`` or ``twoway``), ``driscoll-kraay``
(linearmodels ``cov_type="kernel"``; statsmodels ``"hac-groupsum"``), with the option
``bandwidth``. Spec options: ``exposure`` (column name, count models), ``maxiter``.

Entity fixed effects in the non-linear models (logit, probit, ordered, negative binomial)
are refused with a :class:`~enforcement_lab.errors.SpecError`: dummies there suffer from the
incidental-parameters bias; use ``lpm`` (linear probability with entity effects) or a
Poisson model instead. Time effects enter as year dummies.

Examples
--------
>>> from econometrics.spec import Spec
>>> from enforcement_lab.data.synthetic import twfe_panel
>>> df = twfe_panel(n_entities=20, n_years=8, seed=1)
>>> spec = Spec(outcome="y", regressors=("treatment", "x1"), effects=("entity", "time"))
>>> res = fit(spec, df)
>>> res.nobs, res.cluster, list(res.params.index)
(160, 'entity', ['treatment', 'x1'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from econometrics.results import EstimationResults
from econometrics.spec import Spec
from enforcement_lab.errors import SpecError

LINEAR_PANEL = (
    "pooled_ols",
    "panel_ols",
    "random_effects",
    "first_difference",
    "between_ols",
    "lpm",
)
BINARY = ("logit", "probit")
ORDERED = ("ordered_logit", "ordered_probit")
COUNT = ("poisson", "negative_binomial")


# ---------------------------------------------------------------------------- sample
def prepare(spec: Spec, data: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The estimation sample: (entity, time)-indexed, lagged, queried, complete cases.

    Regressors are lagged by ``spec.lags`` periods **within entity and by time value**
    (``x`` at ``t - lags`` of the same entity; missing if that year is absent, so gaps are
    respected), computed on the full data before the ``sample`` query is applied.

    Examples
    --------
    >>> df = pd.DataFrame({"iso3": ["A", "A", "A", "B", "B"], "year": [1, 2, 4, 1, 2],
    ...                    "y": [1., 2, 3, 4, 5], "x": [10., 20, 30, 40, 50]})
    >>> prepare(Spec(outcome="y", regressors=("x",), lags=1, cov="robust"), df)["x"].tolist()
    [10.0, 40.0]
    """
    frame = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data.copy()
    spec.validate(frame)
    cols = list(dict.fromkeys([spec.entity, spec.time, spec.outcome, *spec.regressors, *extra]))
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    frame = frame.copy()
    dup = frame.duplicated([spec.entity, spec.time]) if spec.lags else None
    if dup is not None and dup.any():  # lags within entity need one row per period
        first = frame.loc[dup, [spec.entity, spec.time]].iloc[0].tolist()
        raise SpecError(
            f"duplicate ({spec.entity}, {spec.time}) rows in the data, e.g. {first}: "
            "one row per entity and period is needed"
        )
    if spec.lags:
        lagged = frame[[spec.entity, spec.time, *spec.regressors]].copy()
        lagged[spec.time] = lagged[spec.time] + spec.lags
        frame = frame.drop(columns=list(spec.regressors)).merge(
            lagged, on=[spec.entity, spec.time], how="left", validate="one_to_one"
        )
    frame = spec.apply_sample(frame)
    frame = frame[cols].dropna()
    if not frame.empty:
        spec.validate(frame)  # again on the estimation sample: clusters, within variation
    if frame.duplicated([spec.entity, spec.time]).any():
        raise SpecError(f"duplicate ({spec.entity}, {spec.time}) rows in the data")
    frame = frame.set_index([spec.entity, spec.time]).sort_index()
    for c in [spec.outcome, *spec.regressors]:
        try:
            frame[c] = pd.to_numeric(frame[c], errors="raise").astype(float)
        except (TypeError, ValueError):
            raise SpecError(f"column {c!r} is not numeric (e.g. {frame[c].iloc[0]!r})") from None
        if np.isinf(frame[c].to_numpy()).any():
            raise SpecError(f"column {c!r} has infinite values; drop or recode them")
    if frame.empty:
        raise SpecError("the estimation sample is empty after the sample query and missing values")
    return frame


def _cluster_label(spec: Spec) -> str | None:
    if spec.cov == "clustered":
        return {"entity": "entity", "time": "time", "twoway": "entity+time", "none": None}[
            spec.cluster
        ]
    if spec.cov == "driscoll-kraay":
        return "Driscoll-Kraay"
    return None


def linearmodels_fit_kwargs(spec: Spec) -> dict[str, Any]:
    """Map the spec's covariance onto ``linearmodels`` ``fit`` keyword arguments.

    Examples
    --------
    >>> linearmodels_fit_kwargs(Spec(outcome="y", regressors=("x",), cluster="twoway"))
    {'cov_type': 'clustered', 'cluster_entity': True, 'cluster_time': True}
    """
    if spec.cov == "unadjusted":
        return {"cov_type": "unadjusted"}
    if spec.cov == "robust":
        return {"cov_type": "robust"}
    if spec.cov == "driscoll-kraay":
        kw: dict[str, Any] = {"cov_type": "kernel", "kernel": "bartlett"}
        if "bandwidth" in spec.option_dict:
            kw["bandwidth"] = float(spec.option_dict["bandwidth"])
        return kw
    if spec.cluster == "none":
        return {"cov_type": "unadjusted"}
    kw = {"cov_type": "clustered"}
    if spec.cluster in ("entity", "twoway"):
        kw["cluster_entity"] = True
    if spec.cluster in ("time", "twoway"):
        kw["cluster_time"] = True
    return kw


# ---------------------------------------------------------------------------- linear panels
def fit_linear_panel(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Pooled OLS, fixed effects, random effects, first differences, between or LPM."""
    from linearmodels.panel import (
        BetweenOLS,
        FirstDifferenceOLS,
        PanelOLS,
        PooledOLS,
        RandomEffects,
    )

    est = spec.estimator
    if est not in LINEAR_PANEL:
        raise SpecError(f"{est!r} is not a linear panel estimator ({', '.join(LINEAR_PANEL)})")
    if spec.effects and est not in ("panel_ols", "lpm"):
        raise SpecError(
            f"model.effects {list(spec.effects)} apply to panel_ols/lpm only, not {est!r}"
        )
    frame = prepare(spec, data)
    y = frame[spec.outcome]
    x = frame[list(spec.regressors)]
    effects: tuple[str, ...] = ()
    if est in ("pooled_ols", "random_effects", "between_ols") or (
        est in ("panel_ols", "lpm") and not spec.effects
    ):
        x = x.assign(const=1.0)[["const", *spec.regressors]]
    if est == "pooled_ols":
        model = PooledOLS(y, x)
    elif est in ("panel_ols", "lpm"):
        model = PanelOLS(
            y,
            x,
            entity_effects="entity" in spec.effects,
            time_effects="time" in spec.effects,
            drop_absorbed=False,
        )
        effects = spec.effects
    elif est == "random_effects":
        model = RandomEffects(y, x)
    elif est == "first_difference":
        model = FirstDifferenceOLS(y, x)
    else:
        model = BetweenOLS(y, x)
    kwargs = linearmodels_fit_kwargs(spec)
    if est == "between_ols" and kwargs["cov_type"] == "kernel":
        raise SpecError("model.cov 'driscoll-kraay' is not available for between_ols")
    if est == "between_ols" and kwargs.get("cluster_time"):
        raise SpecError("between_ols has one row per entity: cluster by entity, not time")
    if est == "first_difference" and kwargs.get("cluster_time"):
        raise SpecError("first_difference supports clustering by entity only, not time/twoway")
    if est == "between_ols" and kwargs["cov_type"] == "clustered":
        codes = pd.Categorical(frame.index.get_level_values(0)).codes
        kwargs = {
            "cov_type": "clustered",
            "clusters": pd.DataFrame({"entity": codes}, index=frame.index),
        }
    res = model.fit(**kwargs)
    extra: dict[str, Any] = {"R2": float(res.rsquared)}
    if hasattr(res, "rsquared_within"):
        extra["R2 (within)"] = float(res.rsquared_within)
    return EstimationResults(
        params=res.params,
        std_errors=res.std_errors,
        pvalues=res.pvalues,
        tstats=res.tstats,
        cov=res.cov,
        nobs=int(res.nobs),
        df_resid=float(res.df_resid),  # linearmodels' default debiased=True: t(df_resid)
        estimator=est,
        cov_type=spec.cov,
        outcome=spec.outcome,
        effects=effects,
        cluster=_cluster_label(spec),
        extra=extra,
        raw=res,
    )


# ---------------------------------------------------------------------------- statsmodels
def _design(spec: Spec, frame: pd.DataFrame, constant: bool) -> pd.DataFrame:
    """Regressors, with a constant and time dummies (first year dropped) as asked."""
    if "entity" in spec.effects and spec.estimator not in ("poisson",):
        raise SpecError(
            f"entity effects are not supported for {spec.estimator!r} (incidental parameters); "
            "use 'lpm' with entity effects or 'poisson'"
        )
    x = frame[list(spec.regressors)].copy()
    parts = [x]
    for eff, level in (("entity", 0), ("time", 1)):
        if eff in spec.effects:
            codes = frame.index.get_level_values(level)
            d = pd.get_dummies(codes, prefix=eff, drop_first=True, dtype=float)
            d.index = frame.index
            parts.append(d)
    x = pd.concat(parts, axis=1)
    if constant:
        x.insert(0, "const", 1.0)
    return x


def statsmodels_fit_kwargs(spec: Spec, frame: pd.DataFrame) -> dict[str, Any]:
    """Map the spec's covariance onto statsmodels ``fit(cov_type=..., cov_kwds=...)``.

    Clusters are integer codes of the entity and/or time index (two columns for two-way
    clustering); Driscoll-Kraay is ``"hac-groupsum"`` over time with ``bandwidth`` lags
    (default ``floor(4 (T/100)^(2/9))``, the Newey-West rule linearmodels also uses).
    """
    ent = pd.Categorical(frame.index.get_level_values(0)).codes
    tim = pd.Categorical(frame.index.get_level_values(1)).codes
    if spec.cov == "unadjusted" or (spec.cov == "clustered" and spec.cluster == "none"):
        return {"cov_type": "nonrobust"}
    if spec.cov == "robust":
        return {"cov_type": "HC0"}
    if spec.cov == "driscoll-kraay":
        n_t = len(np.unique(tim))
        bw = spec.option_dict.get("bandwidth", int(np.floor(4 * (n_t / 100) ** (2 / 9))))
        return {"cov_type": "hac-groupsum", "cov_kwds": {"time": tim, "maxlags": int(bw)}}
    groups = {
        "entity": ent,
        "time": tim,
        "twoway": np.column_stack([ent, tim]),
    }[spec.cluster]
    return {"cov_type": "cluster", "cov_kwds": {"groups": groups}}


def _from_statsmodels(
    spec: Spec, res: Any, nobs: int, extra: dict[str, Any] | None = None
) -> EstimationResults:
    params = pd.Series(res.params)
    dummies = tuple(  # the entity_/time_ dummies of _design, hidden from tables
        t
        for t in params.index
        if t not in spec.regressors and any(str(t).startswith(f"{e}_") for e in spec.effects)
    )
    return EstimationResults(
        params=params,
        std_errors=pd.Series(res.bse),
        pvalues=pd.Series(res.pvalues),
        tstats=pd.Series(res.tvalues),
        cov=pd.DataFrame(res.cov_params()),
        nobs=nobs,
        estimator=spec.estimator,
        cov_type=spec.cov,
        outcome=spec.outcome,
        effects=spec.effects,
        cluster=_cluster_label(spec),
        extra=extra or {},
        raw=res,
        absorbed=dummies,
    )


def fit_binary(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Logit or probit (statsmodels) of a 0/1 outcome; LPM goes through :func:`fit_linear_panel`."""
    import statsmodels.api as sm

    if spec.estimator == "lpm":
        return fit_linear_panel(spec, data)
    if spec.estimator not in BINARY:
        raise SpecError(f"{spec.estimator!r} is not a binary-outcome estimator")
    frame = prepare(spec, data)
    y = frame[spec.outcome]
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise SpecError(f"model.outcome {spec.outcome!r} must be 0/1 for {spec.estimator}")
    x = _design(spec, frame, constant=True)
    cls = sm.Logit if spec.estimator == "logit" else sm.Probit
    res = cls(y, x).fit(
        disp=0,
        maxiter=int(spec.option_dict.get("maxiter", 100)),
        **statsmodels_fit_kwargs(spec, frame),
    )
    return _from_statsmodels(spec, res, int(res.nobs), {"pseudo R2": float(res.prsquared)})


def fit_ordered(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Ordered logit/probit (statsmodels ``OrderedModel``) for 0-1-2 scores like CIRI WORKER.

    The parameters are the slopes followed by the threshold parameters as statsmodels
    reports them (``0/1`` is the first cut point; later ones are log increments).
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if spec.estimator not in ORDERED:
        raise SpecError(f"{spec.estimator!r} is not an ordered estimator")
    frame = prepare(spec, data)
    levels = np.unique(frame[spec.outcome])
    if np.allclose(levels, np.round(levels)):
        levels = levels.astype(int)
    if len(levels) < 3:
        raise SpecError(
            f"model.outcome {spec.outcome!r} has {len(levels)} levels; ordered models need 3+"
        )
    y = pd.Series(
        pd.Categorical(frame[spec.outcome].astype(levels.dtype), categories=levels, ordered=True),
        index=frame.index,
    )
    x = _design(spec, frame, constant=False)
    distr = "logit" if spec.estimator == "ordered_logit" else "probit"
    model = OrderedModel(y, x, distr=distr)
    res = model.fit(
        method="bfgs",
        disp=0,
        maxiter=int(spec.option_dict.get("maxiter", 2000)),
        **statsmodels_fit_kwargs(spec, frame),
    )
    return _from_statsmodels(spec, res, int(res.nobs), {"log-likelihood": float(res.llf)})


def fit_count(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Poisson GLM or negative binomial (NB2) with an ``exposure`` offset (spec option)."""
    import statsmodels.api as sm

    if spec.estimator not in COUNT:
        raise SpecError(f"{spec.estimator!r} is not a count estimator")
    exposure_col = spec.option_dict.get("exposure")
    extra_cols = (exposure_col,) if exposure_col else ()
    frame = prepare(spec, data, extra=extra_cols)
    y = frame[spec.outcome]
    if (y < 0).any() or not np.allclose(y, np.round(y)):
        raise SpecError(f"model.outcome {spec.outcome!r} must be non-negative counts")
    exposure = None
    if exposure_col:
        exposure = frame[exposure_col].astype(float)
        if (exposure <= 0).any():
            raise SpecError(f"options.exposure column {exposure_col!r} must be positive")
    x = _design(spec, frame, constant=True)
    kwargs = statsmodels_fit_kwargs(spec, frame)
    if spec.estimator == "poisson":
        res = sm.GLM(y, x, family=sm.families.Poisson(), exposure=exposure).fit(**kwargs)
        extra = {"deviance": float(res.deviance)}
    else:
        res = sm.NegativeBinomial(y, x, exposure=exposure, loglike_method="nb2").fit(
            disp=0, maxiter=int(spec.option_dict.get("maxiter", 200)), **kwargs
        )
        extra = {"alpha": float(res.params["alpha"])}
    return _from_statsmodels(spec, res, int(res.nobs), extra)


# ---------------------------------------------------------------------------- dispatch
def fit(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Estimate ``spec`` on ``data`` (columns or an (entity, time) MultiIndex).

    Validates the spec against the data first (:meth:`Spec.validate`); errors in the spec or
    data raise :class:`~enforcement_lab.errors.SpecError` naming the key or column.
    """
    try:
        return _dispatch(spec, data)
    except np.linalg.LinAlgError as exc:
        raise SpecError(
            f"{spec.estimator} cannot be estimated ({exc}): a regressor is constant or "
            "collinear with the others on this sample"
        ) from None
    except ValueError as exc:
        if isinstance(exc, SpecError) or "rank" not in str(exc):
            raise
        raise SpecError(
            f"{spec.estimator}: the regressors are collinear (one is constant, or a linear "
            "combination of the others and the intercept or fixed effects); drop it"
        ) from None


def _dispatch(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    est = spec.estimator
    if est in LINEAR_PANEL:
        return fit_linear_panel(spec, data)
    if est in BINARY:
        return fit_binary(spec, data)
    if est in ORDERED:
        return fit_ordered(spec, data)
    if est in COUNT:
        return fit_count(spec, data)
    if est in ("cox", "discrete_hazard"):
        return _fit_hazard(spec, data)
    if est == "event_study":
        return _fit_event_study(spec, data)
    raise SpecError(f"model.estimator {est!r} is not supported by fit()")


def _frame(data: pd.DataFrame) -> pd.DataFrame:
    return data.reset_index() if isinstance(data.index, pd.MultiIndex) else data


def _fit_hazard(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Cox or discrete-time hazard from a spec on (start, stop] spells.

    ``outcome`` is the event column; options ``start``, ``stop`` (column names, default
    ``"start"``/``"stop"``), ``strata`` (e.g. ``"convention"``), and for ``discrete_hazard``
    ``link`` (``cloglog``/``logit``) and ``duration`` (``log``/``quadratic``/``dummies``);
    for ``cox`` ``ties`` (``efron``, the default, or ``breslow``). Clustering by entity uses
    ``Spec.entity`` (e.g. ``iso3``) and needs :attr:`Spec.MIN_CLUSTERS` clusters.
    """
    from econometrics import hazard

    opts = spec.option_dict
    d = _frame(data)
    d = spec.apply_sample(d)
    missing = [c for c in [spec.outcome, *spec.regressors] if c not in d.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    cluster = spec.entity if spec.cov == "clustered" and spec.cluster == "entity" else None
    if spec.cov == "clustered" and spec.cluster in ("time", "twoway"):
        raise SpecError(f"{spec.estimator} clusters by entity only, not {spec.cluster!r}")
    if spec.cov == "driscoll-kraay":
        raise SpecError(f"model.cov 'driscoll-kraay' is not available for {spec.estimator}")
    if cluster is not None:
        if cluster not in d.columns:
            raise SpecError(f"unknown column(s) {[cluster]}")
        spec.check_clusters(d, [cluster])
    start, stop = str(opts.get("start", "start")), str(opts.get("stop", "stop"))
    strata = opts.get("strata")
    if spec.estimator == "cox":
        return hazard.cox(
            d,
            list(spec.regressors),
            start=start,
            stop=stop,
            event=spec.outcome,
            strata=strata,
            cluster=cluster,
            ties=str(opts.get("ties", "efron")),
        )
    pp = hazard.person_period(d, start=start, stop=stop, event=spec.outcome)
    return hazard.discrete_hazard(
        pp,
        list(spec.regressors),
        link=str(opts.get("link", "cloglog")),
        duration=str(opts.get("duration", "log")),
        strata=strata,
        cluster=cluster,
    )


def _fit_event_study(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Event study from a spec: options ``cohort`` (adoption-year column, default ``cohort``),
    ``leads``, ``lags``, ``method`` (``sun_abraham``, the default, or ``twfe``)."""
    from econometrics import did

    opts = spec.option_dict
    d = _frame(data)
    d = spec.apply_sample(d)
    cohort = str(opts.get("cohort", "cohort"))
    missing = [c for c in (spec.outcome, cohort, spec.entity, spec.time) if c not in d.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    method = str(opts.get("method", "sun_abraham"))
    fn = {"sun_abraham": did.sun_abraham, "twfe": did.event_study}.get(method)
    if fn is None:
        raise SpecError(f"options.method {method!r} unknown; use 'sun_abraham' or 'twfe'")
    return fn(
        d,
        spec.outcome,
        cohort,
        leads=int(opts.get("leads", 4)),
        lags=int(opts.get("lags", 5)),
        entity=spec.entity,
        time=spec.time,
    )


__all__ = [
    "BINARY",
    "COUNT",
    "LINEAR_PANEL",
    "ORDERED",
    "fit",
    "fit_binary",
    "fit_count",
    "fit_linear_panel",
    "fit_ordered",
    "linearmodels_fit_kwargs",
    "prepare",
    "statsmodels_fit_kwargs",
]
