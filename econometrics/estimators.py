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

import re
from dataclasses import dataclass
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
@dataclass(frozen=True)
class Prepared:
    """An estimation sample: the (entity, time)-indexed frame with the outcome, the
    regressor columns the model can estimate and any extra columns, and the notes on
    regressors dropped because the fixed effects or the constant absorb them."""

    frame: pd.DataFrame
    outcome: str
    regressors: tuple[str, ...]
    notes: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def prepare(spec: Spec, data: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The estimation sample: (entity, time)-indexed, lagged, queried, complete cases.

    Regressors are lagged by ``spec.lags`` periods **within entity and by time value**
    (:func:`enforcement_lab.data.lags.panel_shift`: ``x`` at ``t - lags`` of the entity,
    missing if that period is absent, so gaps are respected) and named ``L1.x``; lags
    and formula terms are computed on the full data before the ``sample`` query.

    Examples
    --------
    >>> df = pd.DataFrame({"iso3": ["A", "A", "A", "B", "B"], "year": [1, 2, 4, 1, 2],
    ...                    "y": [1., 2, 3, 4, 5], "x": [10., 20, 30, 40, 50]})
    >>> prepare(Spec(outcome="y", regressors=("x",), lags=1, cov="robust"), df)["L1.x"].tolist()
    [10.0, 40.0]
    """
    return prepare_design(spec, data, extra).frame


def prepare_design(
    spec: Spec,
    data: pd.DataFrame,
    extra: tuple[str, ...] = (),
    *,
    effects: tuple[str, ...] | None = None,
    constant: bool = True,
) -> Prepared:
    """The estimation sample and the regressors to estimate (see :class:`Prepared`).

    Regressors that ``effects`` (default: the spec's) absorb, constant columns and
    columns collinear with earlier ones are dropped with a note
    (:func:`econometrics.fastfe.redundant_columns`), as R plm and fixest do; dropping
    every regressor is a :class:`SpecError`. Pass ``constant=False`` for models without
    an intercept and ``effects=()`` to skip the check's effects.
    """
    from econometrics.fastfe import redundant_columns
    from econometrics.formula import evaluate, lag_name, shift_columns

    flat = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data.copy()
    flat = flat.reset_index(drop=True)
    spec.validate(flat)
    missing = [c for c in extra if c not in flat.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    keys = [spec.entity, spec.time]
    if spec.formula is not None or spec.lags:
        if flat.duplicated(keys).any():
            raise SpecError(f"duplicate ({spec.entity}, {spec.time}) rows in the data")
    if spec.formula is not None:
        design = evaluate(spec.parsed_formula, flat.set_index(keys))
        outcome = str(design.outcome.name)
        body = pd.concat([design.outcome, design.regressors], axis=1).reset_index(drop=True)
        body.loc[design.missing.to_numpy(), :] = np.nan
        regressors = list(design.regressors.columns)
    else:
        outcome = spec.outcome
        if spec.lags:
            body = shift_columns(flat, spec.regressors, spec.lags, *keys)
            regressors = [lag_name(c, spec.lags) for c in spec.regressors]
        else:
            body = flat[list(spec.regressors)].copy()
            regressors = list(spec.regressors)
        body.insert(0, outcome, flat[outcome])
    for c in [outcome, *regressors]:
        try:
            body[c] = pd.to_numeric(body[c], errors="raise").astype(float)
        except (TypeError, ValueError):
            raise SpecError(
                f"column {c!r} is not numeric; wrap a text variable in C() in a formula"
            ) from None
    for c in [*keys, *extra]:
        if c not in body.columns:
            body[c] = flat[c]
    body = body.loc[:, ~body.columns.duplicated()]
    sampled = spec.apply_sample(flat)
    keep = flat.index.isin(sampled.index)
    cols = list(dict.fromkeys([*keys, outcome, *regressors, *extra]))
    frame = body.loc[keep, cols].dropna()
    if not frame.empty:
        spec.validate(flat.loc[frame.index])  # again on the estimation sample
    if frame.duplicated(keys).any():
        raise SpecError(f"duplicate ({spec.entity}, {spec.time}) rows in the data")
    frame = frame.set_index(keys).sort_index()
    if frame.empty:
        raise SpecError("the estimation sample is empty after the sample query and missing values")
    effects = spec.effects if effects is None else effects
    drop = redundant_columns(
        frame[regressors].to_numpy(float),
        regressors,
        frame.index.get_level_values(0).to_numpy(),
        frame.index.get_level_values(1).to_numpy(),
        effects,
        constant=constant,
    )
    if len(drop) == len(regressors):
        raise SpecError(
            f"no regressor can be estimated on this sample: {_notes(drop)[0] if drop else ''}"
            + ("" if len(drop) < 2 else f" (and {len(drop) - 1} more)")
        )
    kept = tuple(r for r in regressors if r not in drop)
    frame = frame.drop(columns=list(drop))
    return Prepared(frame, outcome, kept, tuple(_notes(drop)), tuple(drop))


def _notes(dropped: dict[str, str]) -> list[str]:
    return [f"{name} dropped: {why}" for name, why in dropped.items()]


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
    if est == "first_difference":
        prep = prepare_design(spec, data, effects=("entity",), constant=False)
    else:
        prep = prepare_design(spec, data)
    frame = prep.frame
    y = frame[prep.outcome]
    x = frame[list(prep.regressors)]
    effects: tuple[str, ...] = ()
    if est in ("pooled_ols", "random_effects", "between_ols") or (
        est in ("panel_ols", "lpm") and not spec.effects
    ):
        x = x.assign(const=1.0)[["const", *prep.regressors]]
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
        outcome=prep.outcome,
        effects=effects,
        cluster=_cluster_label(spec),
        extra=extra,
        raw=res,
        notes=prep.notes,
    )


# ---------------------------------------------------------------------------- statsmodels
def _prepare_nonlinear(spec: Spec, data: pd.DataFrame, extra: tuple[str, ...] = ()) -> Prepared:
    """The sample of a statsmodels model, whose effects enter as dummies beside a constant
    (or the thresholds of an ordered model)."""
    if "entity" in spec.effects and spec.estimator not in ("poisson",):
        raise SpecError(
            f"entity effects are not supported for {spec.estimator!r} (incidental parameters); "
            "use 'lpm' with entity effects or 'poisson'"
        )
    return prepare_design(spec, data, extra)


def _design(spec: Spec, prep: Prepared, constant: bool) -> pd.DataFrame:
    """Regressors, with a constant and time dummies (first year dropped) as asked."""
    frame = prep.frame
    x = frame[list(prep.regressors)].copy()
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
    spec: Spec, prep: Prepared, res: Any, nobs: int, extra: dict[str, Any] | None = None
) -> EstimationResults:
    params = pd.Series(res.params)
    dummies = tuple(  # the entity_/time_ dummies of _design, hidden from tables
        t
        for t in params.index
        if t not in prep.regressors and any(str(t).startswith(f"{e}_") for e in spec.effects)
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
        outcome=prep.outcome,
        effects=spec.effects,
        cluster=_cluster_label(spec),
        extra=extra or {},
        raw=res,
        absorbed=dummies,
        notes=prep.notes,
    )


def fit_binary(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Logit or probit (statsmodels) of a 0/1 outcome; LPM goes through :func:`fit_linear_panel`."""
    import statsmodels.api as sm

    if spec.estimator == "lpm":
        return fit_linear_panel(spec, data)
    if spec.estimator not in BINARY:
        raise SpecError(f"{spec.estimator!r} is not a binary-outcome estimator")
    prep = _prepare_nonlinear(spec, data)
    frame = prep.frame
    y = frame[prep.outcome]
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise SpecError(f"model.outcome {spec.outcome!r} must be 0/1 for {spec.estimator}")
    x = _design(spec, prep, constant=True)
    cls = sm.Logit if spec.estimator == "logit" else sm.Probit
    res = cls(y, x).fit(
        disp=0,
        maxiter=int(spec.option_dict.get("maxiter", 100)),
        **statsmodels_fit_kwargs(spec, frame),
    )
    return _from_statsmodels(spec, prep, res, int(res.nobs), {"pseudo R2": float(res.prsquared)})


def fit_ordered(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Ordered logit/probit (statsmodels ``OrderedModel``) for 0-1-2 scores like CIRI WORKER.

    The parameters are the slopes followed by the threshold parameters as statsmodels
    reports them (``0/1`` is the first cut point; later ones are log increments).
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if spec.estimator not in ORDERED:
        raise SpecError(f"{spec.estimator!r} is not an ordered estimator")
    prep = _prepare_nonlinear(spec, data)
    frame = prep.frame
    levels = np.unique(frame[prep.outcome])
    if np.allclose(levels, np.round(levels)):
        levels = levels.astype(int)
    if len(levels) < 3:
        raise SpecError(
            f"model.outcome {spec.outcome!r} has {len(levels)} levels; ordered models need 3+"
        )
    y = pd.Series(
        pd.Categorical(frame[prep.outcome].astype(levels.dtype), categories=levels, ordered=True),
        index=frame.index,
    )
    x = _design(spec, prep, constant=False)
    distr = "logit" if spec.estimator == "ordered_logit" else "probit"
    model = OrderedModel(y, x, distr=distr)
    res = model.fit(
        method="bfgs",
        disp=0,
        maxiter=int(spec.option_dict.get("maxiter", 2000)),
        **statsmodels_fit_kwargs(spec, frame),
    )
    return _from_statsmodels(spec, prep, res, int(res.nobs), {"log-likelihood": float(res.llf)})


def fit_count(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Poisson GLM or negative binomial (NB2) with an ``exposure`` offset (spec option)."""
    import statsmodels.api as sm

    if spec.estimator not in COUNT:
        raise SpecError(f"{spec.estimator!r} is not a count estimator")
    exposure_col = spec.option_dict.get("exposure")
    extra_cols = (exposure_col,) if exposure_col else ()
    prep = _prepare_nonlinear(spec, data, extra=extra_cols)
    frame = prep.frame
    y = frame[prep.outcome]
    if (y < 0).any() or not np.allclose(y, np.round(y)):
        raise SpecError(f"model.outcome {spec.outcome!r} must be non-negative counts")
    exposure = None
    if exposure_col:
        exposure = frame[exposure_col].astype(float)
        if (exposure <= 0).any():
            raise SpecError(f"options.exposure column {exposure_col!r} must be positive")
    x = _design(spec, prep, constant=True)
    kwargs = statsmodels_fit_kwargs(spec, frame)
    if spec.estimator == "poisson":
        res = sm.GLM(y, x, family=sm.families.Poisson(), exposure=exposure).fit(**kwargs)
        extra = {"deviance": float(res.deviance)}
    else:
        res = sm.NegativeBinomial(y, x, exposure=exposure, loglike_method="nb2").fit(
            disp=0, maxiter=int(spec.option_dict.get("maxiter", 200)), **kwargs
        )
        extra = {"alpha": float(res.params["alpha"])}
    return _from_statsmodels(spec, prep, res, int(res.nobs), extra)


# ---------------------------------------------------------------------------- dispatch
def fit(spec: Spec, data: pd.DataFrame) -> EstimationResults:
    """Estimate ``spec`` on ``data`` (columns or an (entity, time) MultiIndex).

    Validates the spec against the data first (:meth:`Spec.validate`); errors in the spec or
    data raise :class:`~enforcement_lab.errors.SpecError` naming the key or column.
    """
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
    regressors = list(spec.regressors)
    if spec.formula is not None:
        d, regressors = _spell_design(spec, d)
    d = spec.apply_sample(d)
    missing = [c for c in [spec.outcome, *regressors] if c not in d.columns]
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
            regressors,
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
        regressors,
        link=str(opts.get("link", "cloglog")),
        duration=str(opts.get("duration", "log")),
        strata=strata,
        cluster=cluster,
    )


def _spell_design(spec: Spec, d: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Formula terms evaluated row by row on spell data (no panel index: lag, lead and
    diff are refused); the outcome must be a column (the event indicator)."""
    from econometrics.formula import PANEL_FUNCTIONS, evaluate

    parsed = spec.parsed_formula
    if any(re.search(rf"\b{fn}\s*\(", t) for t in parsed.terms for fn in PANEL_FUNCTIONS):
        raise SpecError(
            f"model.formula {spec.formula!r}: lag/lead/diff need a panel; a {spec.estimator} "
            "model reads spells, so lag the variable before splitting into spells"
        )
    if parsed.outcome not in d.columns:
        raise SpecError(f"model.formula: the outcome of a {spec.estimator} model must be a column")
    flat = d.reset_index(drop=True)
    rows = pd.MultiIndex.from_arrays([np.zeros(len(flat)), np.arange(len(flat))])
    design = evaluate(parsed, flat.set_axis(rows))
    x = design.regressors.set_axis(flat.index)
    x[design.missing.to_numpy()] = np.nan
    out = flat.drop(columns=[c for c in x.columns if c in flat.columns]).join(x)
    return out.dropna(subset=list(x.columns)), list(x.columns)


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
    "Prepared",
    "fit",
    "fit_binary",
    "fit_count",
    "fit_linear_panel",
    "fit_ordered",
    "linearmodels_fit_kwargs",
    "prepare",
    "prepare_design",
    "statsmodels_fit_kwargs",
]
