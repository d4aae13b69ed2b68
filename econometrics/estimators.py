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

from econometrics.covariance import (
    SUPPORTED_KINDS,
    SUPPORTED_SSC,
    Covariance,
    Dof,
    inference_df,
    sandwich,
)
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
#: An ordered outcome with more distinct values than this is refused: each pair of
#: neighbouring levels costs a cut point and a Newton step grows with their square, so a
#: continuous outcome passed by mistake would run for minutes instead of failing at once.
#: The scales of the field have a few levels (CIRI 0-2, Freedom House 1-7, Polity -10..10).
MAX_ORDERED_LEVELS = 50
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
    require_regressor: bool = True,
) -> Prepared:
    """The estimation sample and the regressors to estimate (see :class:`Prepared`).

    Regressors that ``effects`` (default: the spec's) absorb, constant columns and
    columns collinear with earlier ones are dropped with a note
    (:func:`econometrics.robustness.engine.redundant_columns`), as R plm and fixest do;
    dropping every regressor is a :class:`SpecError` unless ``require_regressor`` is false
    (the event study, whose event-time indicators are added later). Pass
    ``constant=False`` for models without an intercept and ``effects=()`` to skip the
    check's effects.
    """
    from econometrics.formula import evaluate, lag_name, shift_columns
    from econometrics.robustness.engine import redundant_columns

    flat = data.reset_index() if isinstance(data.index, pd.MultiIndex) else data.copy()
    flat = flat.reset_index(drop=True)
    spec.validate(flat)
    missing = [c for c in extra if c not in flat.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    keys = [spec.entity, spec.time]
    if spec.formula is not None or spec.lags:
        dup = flat.duplicated(keys)
        if dup.any():  # lags within entity need one row per period
            first = flat.loc[dup, keys].iloc[0].tolist()
            raise SpecError(
                f"duplicate ({spec.entity}, {spec.time}) rows in the data, e.g. {first}: "
                "one row per entity and period is needed"
            )
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
            text = body[c][pd.to_numeric(body[c], errors="coerce").isna() & body[c].notna()]
            example = f" (e.g. {text.iloc[0]!r})" if len(text) else ""
            raise SpecError(
                f"column {c!r} is not numeric{example}; wrap a text variable in C() in a formula"
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
    for c in [outcome, *regressors]:
        if np.isinf(frame[c].to_numpy()).any():
            raise SpecError(f"column {c!r} has infinite values; drop or recode them")
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
    if require_regressor and len(drop) == len(regressors):
        raise SpecError(
            f"no regressor can be estimated on this sample: {_notes(drop)[0] if drop else ''}"
            + ("" if len(drop) < 2 else f" (and {len(drop) - 1} more)")
        )
    kept = tuple(r for r in regressors if r not in drop)
    frame = frame.drop(columns=list(drop))
    return Prepared(frame, outcome, kept, tuple(_notes(drop)), tuple(drop))


def _notes(dropped: dict[str, str]) -> list[str]:
    return [f"{name} dropped: {why}" for name, why in dropped.items()]


#: Estimator-specific option keys (``Spec.options``); the covariance options
#: ``bandwidth``, ``group_debias`` and ``pcse`` are allowed where the covariance they
#: belong to is (see :data:`econometrics.covariance.SUPPORTED_KINDS`).
#: Variance components of random effects: linearmodels' default, or Swamy and Arora's
#: (1972) with Baltagi and Chang's (1994) unbalanced-panel form (R plm's ``random_method =
#: "swar"``, Stata's ``xtreg, re``), linearmodels' ``small_sample=True``.
RE_COMPONENTS = ("linearmodels", "swamy-arora")
OPTIONS: dict[str, tuple[str, ...]] = {
    **{est: () for est in LINEAR_PANEL},
    "random_effects": ("components",),
    "logit": ("maxiter",),
    "probit": ("maxiter",),
    "ordered_logit": ("maxiter",),
    "ordered_probit": ("maxiter",),
    "poisson": ("exposure",),
    "negative_binomial": ("exposure", "maxiter"),
    "cox": ("start", "stop", "strata", "ties"),
    "discrete_hazard": ("start", "stop", "strata", "link", "duration"),
    "event_study": ("cohort", "leads", "lags", "method"),
}
_COV_OPTIONS = {
    "bandwidth": "driscoll-kraay",
    "group_debias": "clustered",
    "pcse": "pcse",
    "correlation": "pcse",
    "np1": "pcse",
}


def check_spec(spec: Spec) -> Covariance:
    """Refuse what ``spec.estimator`` would ignore; return the covariance it will use.

    Every :class:`~econometrics.spec.Spec` field is either honoured by the estimator or
    refused here with a message naming it: unknown option keys (a typo such as
    ``bandwith`` names the allowed keys), covariance options of another covariance, a
    covariance, cluster dimension or small-sample convention the estimator does not
    offer, and fields an estimator has no use for (``lags``, ``effects`` and a panel
    ``time`` column of the hazard models; ``lags`` and one-way ``effects`` of the event
    study).
    """
    est = spec.estimator
    allowed = set(OPTIONS.get(est, ()))
    allowed |= {key for key, kind in _COV_OPTIONS.items() if kind in SUPPORTED_KINDS[est]}
    unknown = sorted(set(spec.option_dict) - allowed)
    if unknown:
        raise SpecError(
            f"model.options {unknown} unknown for {est}; allowed: "
            f"{', '.join(sorted(allowed)) if allowed else 'none'}"
        )
    cov = Covariance.from_spec(spec, default_ssc=SUPPORTED_SSC[est][0])
    cov.check_supported(est)
    if est in ("cox", "discrete_hazard"):
        default_time = Spec.__dataclass_fields__["time"].default
        if spec.time != default_time:
            raise SpecError(
                f"data.time {spec.time!r} is not used by {est}: spells are timed by "
                "options.start and options.stop"
            )
        if spec.effects:
            raise SpecError(f"model.effects are not available for {est} (use options.strata)")
        if spec.lags:
            raise SpecError(f"model.lags is not available for {est}; lag the columns first")
    if est == "event_study":
        if spec.lags:
            raise SpecError(
                "model.lags is not available for event_study; the event window is "
                "options.leads and options.lags"
            )
        if spec.effects and set(spec.effects) != {"entity", "time"}:
            raise SpecError(
                "event_study always absorbs entity and time effects; model.effects must be "
                f"empty or ['entity', 'time'], not {list(spec.effects)}"
            )
    return cov


def _codes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of the entity and time levels of an (entity, time)-indexed frame."""
    ent = pd.Categorical(frame.index.get_level_values(0)).codes
    tim = pd.Categorical(frame.index.get_level_values(1)).codes
    return np.asarray(ent), np.asarray(tim)


# ---------------------------------------------------------------------------- linear panels
def fit_linear_panel(
    spec: Spec, data: pd.DataFrame, cov: Covariance | None = None
) -> EstimationResults:
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
    cov = check_spec(spec) if cov is None else cov
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
    fit_extra: dict[str, Any] = {}
    components = str(spec.option_dict.get("components", "linearmodels"))
    if components not in RE_COMPONENTS:
        raise SpecError(
            f"options.components {components!r} is unknown; choose one of "
            f"{', '.join(RE_COMPONENTS)}"
        )
    if est in ("pooled_ols", "random_effects", "between_ols") or (
        est in ("panel_ols", "lpm") and not spec.effects
    ):
        x = x.assign(const=1.0)[["const", *prep.regressors]]
    model: PooledOLS | PanelOLS | RandomEffects | FirstDifferenceOLS | BetweenOLS
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
        fit_extra["small_sample"] = components == "swamy-arora"
    elif est == "first_difference":
        model = FirstDifferenceOLS(y, x)
    else:
        model = BetweenOLS(y, x)
    ent_codes, time_codes = _codes(frame)
    if cov.kind == "pcse" and cov.correlation != "independent":
        return _prais_winsten(spec, cov, prep, x, effects)
    if cov.kind == "pcse" or cov.ssc != "linearmodels":
        res = model.fit(cov_type="unadjusted")
        return _own_sandwich(spec, cov, prep, x, res, effects)
    kwargs = cov.linearmodels_kwargs(
        n_periods=len(np.unique(time_codes)), max_ti=int(np.bincount(ent_codes).max())
    )
    if est == "between_ols" and kwargs["cov_type"] == "clustered":
        # BetweenOLS takes the entity codes as a cluster column, not cluster_entity
        del kwargs["cluster_entity"]
        kwargs["clusters"] = pd.DataFrame({"entity": ent_codes}, index=frame.index)
    res = model.fit(**kwargs, **fit_extra)
    return EstimationResults.from_linearmodels(
        res,
        estimator=est,
        cov_type=cov.kind,
        outcome=prep.outcome,
        effects=effects,
        cluster=cov.cluster_label,
        cov_label=cov.label,
        extra={"RE components": components} if est == "random_effects" else None,
        notes=prep.notes,
    )


def _linear_extra(res: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {"R2": float(res.rsquared)}
    if hasattr(res, "rsquared_within"):
        extra["R2 (within)"] = float(res.rsquared_within)
    return extra


def _own_sandwich(
    spec: Spec,
    cov: Covariance,
    prep: Prepared,
    x: pd.DataFrame,
    res: Any,
    effects: tuple[str, ...],
) -> EstimationResults:
    """Coefficients from linearmodels, covariance by :func:`econometrics.covariance.sandwich`.

    The design and the residuals are those of the regression after the fixed effects
    are absorbed (exactly, :func:`econometrics.robustness.engine.absorb`), as plm's ``within``
    model and Stata's ``xtreg, fe``/``reghdfe`` use them.
    """
    from econometrics.robustness.engine import absorb

    frame = prep.frame
    ent, tim = _codes(frame)
    z = np.c_[frame[prep.outcome].to_numpy(float), x.to_numpy(float)]
    if effects:
        z = absorb(z, ent.astype(np.int64), tim.astype(np.int64), effects)
    params = res.params.to_numpy()
    resid = z[:, 0] - z[:, 1:] @ params
    levels = {"entity": len(np.unique(ent)), "time": len(np.unique(tim))}
    fe_levels = {e: levels[e] for e in effects}
    k_fe = sum(fe_levels.values()) - (len(effects) - 1 if effects else 0)
    dof = Dof(n=len(resid), k=x.shape[1], k_fe=k_fe, fe_levels=fe_levels)
    v, n_clusters = sandwich(z[:, 1:], resid, cov, ent, tim, dof)
    names = list(x.columns)
    df = inference_df(cov, dof.n - dof.k - dof.k_fe, n_clusters)
    extra = _linear_extra(res)
    if cov.kind in ("clustered", "driscoll-kraay", "pcse"):
        extra["clusters" if cov.kind == "clustered" else "periods"] = n_clusters
    return EstimationResults(
        params=res.params,
        std_errors=pd.Series(np.sqrt(np.diag(v)), index=names),
        cov=pd.DataFrame(v, index=names, columns=names),
        nobs=dof.n,
        df_resid=df,
        estimator=spec.estimator,
        cov_type=cov.kind,
        outcome=prep.outcome,
        effects=effects,
        cluster=cov.cluster_label,
        extra=extra,
        raw=res,
        cov_label=cov.label,
        notes=prep.notes,
    )


def _prais_winsten(
    spec: Spec, cov: Covariance, prep: Prepared, x: pd.DataFrame, effects: tuple[str, ...]
) -> EstimationResults:
    """Prais-Winsten regression with PCSE (:mod:`econometrics.praiswinsten`).

    Fixed effects enter as dummies beside a constant (first level dropped), transformed
    with the other columns, as in Stata's ``xtpcse y x i.year, correlation(ar1)``; the
    table shows the regressors (and the constant when there are no effects).
    """
    from econometrics.praiswinsten import prais_winsten_pcse

    frame = prep.frame
    parts = [x.assign(const=1.0)[["const", *x.columns]] if effects else x]
    for eff, level in (("entity", 0), ("time", 1)):
        if eff in effects:
            labels = frame.index.get_level_values(level)
            parts.append(
                pd.get_dummies(labels, prefix=eff, drop_first=True, dtype=float).set_axis(
                    frame.index
                )
            )
    design = pd.concat(parts, axis=1)
    pw = prais_winsten_pcse(
        frame[prep.outcome].to_numpy(float),
        design.to_numpy(float),
        frame.index.get_level_values(0).to_numpy(),
        frame.index.get_level_values(1).to_numpy(),
        cov,
    )
    names = list(x.columns)
    keep = [design.columns.get_loc(c) for c in names]
    v = pw.cov[np.ix_(keep, keep)]
    # psar1: the units' rhos are in raw.rho; the summary shows their mean
    rho = ("rho", pw.rho) if isinstance(pw.rho, float) else ("rho (mean of units)", pw.rho.mean())
    return EstimationResults(
        params=pd.Series(pw.params[keep], index=names),
        std_errors=pd.Series(np.sqrt(np.diag(v)), index=names),
        cov=pd.DataFrame(v, index=names, columns=names),
        nobs=pw.nobs,
        df_resid=float(pw.df_resid),
        estimator=spec.estimator,
        cov_type=cov.kind,
        outcome=prep.outcome,
        effects=effects,
        cluster=cov.cluster_label,
        extra={"R2 (transformed)": pw.r2, rho[0]: float(rho[1]), "periods": pw.n_periods},
        raw=pw,
        cov_label=cov.label,
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


def _from_statsmodels(
    spec: Spec,
    cov: Covariance,
    prep: Prepared,
    res: Any,
    nobs: int,
    extra: dict[str, Any] | None = None,
) -> EstimationResults:
    names = pd.Series(res.params).index
    dummies = tuple(  # the entity_/time_ dummies of _design, hidden from tables
        t
        for t in names
        if t not in prep.regressors and any(str(t).startswith(f"{e}_") for e in spec.effects)
    )
    return EstimationResults.from_statsmodels(
        res,
        estimator=spec.estimator,
        cov_type=cov.kind,
        outcome=prep.outcome,
        effects=spec.effects,
        cluster=cov.cluster_label,
        extra=extra or {},
        absorbed=dummies,
        cov_label=cov.label,
        notes=prep.notes,
    )


def fit_binary(spec: Spec, data: pd.DataFrame, cov: Covariance | None = None) -> EstimationResults:
    """Logit or probit (statsmodels) of a 0/1 outcome; LPM goes through :func:`fit_linear_panel`."""
    import statsmodels.api as sm

    if spec.estimator == "lpm":
        return fit_linear_panel(spec, data, cov)
    if spec.estimator not in BINARY:
        raise SpecError(f"{spec.estimator!r} is not a binary-outcome estimator")
    cov = check_spec(spec) if cov is None else cov
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
        **cov.statsmodels_kwargs(*_codes(frame)),
    )
    return _from_statsmodels(
        spec, cov, prep, res, int(res.nobs), {"pseudo R2": float(res.prsquared)}
    )


def fit_ordered(spec: Spec, data: pd.DataFrame, cov: Covariance | None = None) -> EstimationResults:
    """Ordered logit/probit (statsmodels ``OrderedModel``) for 0-1-2 scores like CIRI WORKER.

    The parameters are the slopes followed by the threshold parameters as statsmodels
    reports them (``0/1`` is the first cut point; later ones are log increments).

    statsmodels' BFGS stops where the gradient is still of order 1e-2, so its estimates
    differ from a converged maximum (R ``ordinal::clm``) in the fifth digit. The BFGS
    answer is therefore polished by Newton's method with the analytic gradient and
    Hessian (:func:`ordered_newton`) until the largest absolute gradient is below
    ``1e-8``; the covariance is statsmodels', evaluated at the polished estimates.
    ``extra["max |gradient|"]`` reports the gradient reached; if Newton does not get
    below the tolerance, ``extra["converged"]`` is ``False``, ``extra["warning"]`` says
    so and a :class:`~statsmodels.tools.sm_exceptions.ConvergenceWarning` is issued.
    """
    import warnings

    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    if spec.estimator not in ORDERED:
        raise SpecError(f"{spec.estimator!r} is not an ordered estimator")
    cov = check_spec(spec) if cov is None else cov
    prep = _prepare_nonlinear(spec, data)
    frame = prep.frame
    levels = np.unique(frame[prep.outcome])
    if np.allclose(levels, np.round(levels)):
        levels = levels.astype(int)
    if len(levels) < 3:
        raise SpecError(
            f"model.outcome {spec.outcome!r} has {len(levels)} levels; ordered models need 3+"
        )
    if len(levels) > MAX_ORDERED_LEVELS:
        raise SpecError(
            f"model.outcome {spec.outcome!r} has {len(levels)} distinct values; an ordered "
            f"model estimates a cut point between each pair (at most {MAX_ORDERED_LEVELS} "
            "levels here): this outcome looks continuous, fit it with a linear estimator "
            "or recode it into ordered categories"
        )
    y = pd.Series(
        pd.Categorical(frame[prep.outcome].astype(levels.dtype), categories=levels, ordered=True),
        index=frame.index,
    )
    x = _design(spec, prep, constant=False)
    distr = "logit" if spec.estimator == "ordered_logit" else "probit"
    model = OrderedModel(y, x, distr=distr)
    cov_kw = cov.statsmodels_kwargs(*_codes(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # judged by the polish below
        start = model.fit(
            method="bfgs", disp=0, maxiter=int(spec.option_dict.get("maxiter", 2000))
        ).params.to_numpy()
    k = x.shape[1]
    theta = np.r_[start[:k], np.cumsum(np.r_[start[k], np.exp(start[k + 1 :])])]
    theta, grad = ordered_newton(y.cat.codes.to_numpy(), x.to_numpy(float), theta, distr)
    polished = np.r_[theta[:k], theta[k], np.log(np.diff(theta[k:]))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # maxiter=0: no iterations
        res = model.fit(start_params=polished, method="bfgs", disp=0, maxiter=0, **cov_kw)
    extra: dict[str, Any] = {"log-likelihood": float(res.llf), "max |gradient|": grad}
    if not grad < ORDERED_GTOL:
        msg = (
            f"{spec.estimator} did not converge: the largest absolute gradient is {grad:.3g} "
            f"(tolerance {ORDERED_GTOL:g})"
        )
        extra["converged"] = False
        extra["warning"] = msg
        warnings.warn(msg, ConvergenceWarning, stacklevel=2)
    else:
        extra["converged"] = True
    return _from_statsmodels(spec, cov, prep, res, int(res.nobs), extra)


#: Newton's method for the ordered models stops below this largest absolute gradient.
ORDERED_GTOL = 1e-8


def ordered_newton(
    y: np.ndarray, x: np.ndarray, theta: np.ndarray, distr: str, *, maxiter: int = 100
) -> tuple[np.ndarray, float]:
    """Maximise an ordered logit/probit likelihood by Newton's method from ``theta``.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        Category codes ``0..J-1``.
    x : ndarray, shape (n, k)
        Regressors (no constant: the cut points play its part).
    theta : ndarray, shape (k + J - 1,)
        Slopes, then the increasing cut points ``c_1 < ... < c_{J-1}``.
    distr : str
        ``"logit"`` or ``"probit"``.

    Returns
    -------
    theta : ndarray
        The maximiser.
    max_abs_gradient : float
        The largest absolute gradient of the log-likelihood at it.

    Notes
    -----
    With ``P_i = F(c_{y_i} - x_i b) - F(c_{y_i - 1} - x_i b)`` (``c_0 = -inf``,
    ``c_J = +inf``), the log-likelihood is ``sum log P_i``; the gradient and Hessian
    follow from the chain rule through the upper and lower arguments, using the
    density ``f`` and its derivative (logit: ``f = F (1 - F)``, ``f' = f (1 - 2F)``;
    probit: ``f = phi``, ``f' = -z phi``). Steps are halved until the log-likelihood
    does not fall and the cut points stay ordered.
    """
    from scipy import stats

    n, k = x.shape
    n_cut = theta.size - k

    def parts(th: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        b, cuts = th[:k], th[k:]
        xb = x @ b
        edges = np.r_[-np.inf, cuts, np.inf]
        hi, lo = edges[y + 1] - xb, edges[y] - xb
        if distr == "logit":
            fh, fl = stats.logistic.cdf(hi), stats.logistic.cdf(lo)
            dh, dl = fh * (1 - fh), fl * (1 - fl)
            d2h, d2l = dh * (1 - 2 * fh), dl * (1 - 2 * fl)
            p = np.where(hi > 0, stats.logistic.sf(lo) - stats.logistic.sf(hi), fh - fl)
        else:
            fh, fl = stats.norm.cdf(hi), stats.norm.cdf(lo)
            dh, dl = stats.norm.pdf(hi), stats.norm.pdf(lo)
            d2h = -np.where(np.isfinite(hi), hi, 0.0) * dh  # f'(z) = -z phi(z); 0 at +-inf
            d2l = -np.where(np.isfinite(lo), lo, 0.0) * dl
            p = np.where(hi > 0, stats.norm.sf(lo) - stats.norm.sf(hi), fh - fl)
        ll = float(np.log(p).sum())
        gh, gl = dh / p, -dl / p
        hh = d2h / p - gh**2
        hl = -gh * gl  # d2/(du_hi du_lo) log P = f_hi f_lo / P^2
        ll2 = -d2l / p - gl**2
        # du/dtheta: (-x, unit vector of the cut point) for the upper and lower argument
        a = np.zeros((n, k + n_cut))
        c = np.zeros((n, k + n_cut))
        a[:, :k] = -x
        c[:, :k] = -x
        up, down = y < n_cut, y > 0
        a[np.flatnonzero(up), k + y[up]] = 1.0
        c[np.flatnonzero(down), k + y[down] - 1] = 1.0
        grad = a.T @ gh + c.T @ gl
        hess = (a * hh[:, None]).T @ a + (c * ll2[:, None]).T @ c
        cross = (a * hl[:, None]).T @ c
        return ll, grad, hess + cross + cross.T

    ll, grad, hess = parts(theta)
    for _ in range(maxiter):
        if np.max(np.abs(grad)) < ORDERED_GTOL:
            break
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while t > 1e-10:
            cand = theta - t * step
            if np.all(np.diff(cand[k:]) > 0):
                ll_c, g_c, h_c = parts(cand)
                if ll_c >= ll - 1e-12 * abs(ll):
                    theta, ll, grad, hess = cand, ll_c, g_c, h_c
                    break
            t /= 2
        else:
            break
    return theta, float(np.max(np.abs(grad)))


def fit_count(spec: Spec, data: pd.DataFrame, cov: Covariance | None = None) -> EstimationResults:
    """Poisson GLM or negative binomial (NB2) with an ``exposure`` offset (spec option)."""
    import statsmodels.api as sm

    if spec.estimator not in COUNT:
        raise SpecError(f"{spec.estimator!r} is not a count estimator")
    cov = check_spec(spec) if cov is None else cov
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
    kwargs = cov.statsmodels_kwargs(*_codes(frame))
    if spec.estimator == "poisson":
        res = sm.GLM(y, x, family=sm.families.Poisson(), exposure=exposure).fit(**kwargs)
        extra = {"deviance": float(res.deviance)}
    else:
        res = sm.NegativeBinomial(y, x, exposure=exposure, loglike_method="nb2").fit(
            disp=0, maxiter=int(spec.option_dict.get("maxiter", 200)), **kwargs
        )
        extra = {"alpha": float(res.params["alpha"])}
    return _from_statsmodels(spec, cov, prep, res, int(res.nobs), extra)


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
    cov = check_spec(spec)
    if est in LINEAR_PANEL:
        return fit_linear_panel(spec, data, cov)
    if est in BINARY:
        return fit_binary(spec, data, cov)
    if est in ORDERED:
        return fit_ordered(spec, data, cov)
    if est in COUNT:
        return fit_count(spec, data, cov)
    if est in ("cox", "discrete_hazard"):
        return _fit_hazard(spec, data, cov)
    if est == "event_study":
        return _fit_event_study(spec, data, cov)
    raise SpecError(f"model.estimator {est!r} is not supported by fit()")


def _frame(data: pd.DataFrame) -> pd.DataFrame:
    return data.reset_index() if isinstance(data.index, pd.MultiIndex) else data


def _fit_hazard(spec: Spec, data: pd.DataFrame, cov: Covariance) -> EstimationResults:
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
    cluster = spec.entity if cov.kind == "clustered" else None  # entity only (check_spec)
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


def _fit_event_study(spec: Spec, data: pd.DataFrame, cov: Covariance) -> EstimationResults:
    """Event study from a spec: options ``cohort`` (adoption-year column, default ``cohort``),
    ``leads``, ``lags``, ``method`` (``sun_abraham``, the default, or ``twfe``).

    ``regressors`` (or the terms of ``formula``: ``C()``, ``lag()``, ``log()``,
    interactions, as for every other estimator) enter as controls, covariates added to
    the regression; they are built by :func:`prepare_design` on the full data before the
    ``sample`` query, and controls the entity and time effects absorb are dropped with a
    note. ``cov`` and ``cluster`` choose the covariance of the underlying two-way
    fixed-effects fit.
    """
    from dataclasses import replace as _replace

    from econometrics import did

    opts = spec.option_dict
    method = str(opts.get("method", "sun_abraham"))
    fn = {"sun_abraham": did.sun_abraham, "twfe": did.event_study}.get(method)
    if fn is None:
        raise SpecError(f"options.method {method!r} unknown; use 'sun_abraham' or 'twfe'")
    cohort = str(opts.get("cohort", "cohort"))
    flat = _frame(data)
    missing = [c for c in (cohort, spec.entity, spec.time) if c not in flat.columns]
    if missing:
        raise SpecError(f"unknown column(s) {missing}")
    prep = prepare_design(
        spec, data, effects=("entity", "time"), constant=False, require_regressor=False
    )
    frame = prep.frame
    if cohort in frame.columns:
        raise SpecError(f"options.cohort {cohort!r} is also the outcome or a regressor")
    cohorts = flat.drop_duplicates([spec.entity, spec.time]).set_index([spec.entity, spec.time])
    frame = frame.assign(**{cohort: cohorts[cohort].reindex(frame.index).to_numpy()})
    res = fn(
        frame.reset_index(),
        prep.outcome,
        cohort,
        leads=int(opts.get("leads", 4)),
        lags=int(opts.get("lags", 5)),
        controls=prep.regressors,
        entity=spec.entity,
        time=spec.time,
        cov=cov,
    )
    return _replace(res, notes=(*res.notes, *prep.notes)) if prep.notes else res


__all__ = [
    "BINARY",
    "COUNT",
    "LINEAR_PANEL",
    "OPTIONS",
    "ORDERED",
    "ORDERED_GTOL",
    "Prepared",
    "check_spec",
    "fit",
    "fit_binary",
    "fit_count",
    "fit_linear_panel",
    "fit_ordered",
    "ordered_newton",
    "prepare",
    "prepare_design",
]
