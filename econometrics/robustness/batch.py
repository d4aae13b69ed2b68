"""The batched fit of a multiverse's specifications on prepared data.

:func:`prepare_data` flattens, validates and lags the data once; :func:`fit_specifications`
groups specifications by estimation sample and fixed effects and fits each group with one
:class:`~econometrics.robustness.engine.AbsorbedPanel` (random effects with one
:class:`~econometrics.robustness.engine.RandomEffectsPanel`, linearmodels' three
regressions on arrays prepared once per sample). :class:`RunContext` is what a worker
needs besides the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from econometrics.covariance import Covariance
from econometrics.formula import lag_name, shift_columns
from econometrics.robustness.engine import (
    AbsorbedPanel,
    FitRequest,
    RandomEffectsPanel,
    absorbed_reason,
    collinear_columns,
)
from econometrics.robustness.multiverse import Multiverse, Specification
from enforcement_lab.errors import DataError, SpecError

RESULT_COLUMNS = (
    "spec_id",
    "outcome",
    "treatment",
    "controls",
    "n_controls",
    "estimator",
    "cov",
    "cluster",
    "sample",
    "lags",
    "is_baseline",
    "estimate",
    "std_error",
    "ci_lower",
    "ci_upper",
    "pvalue",
    "nobs",
    "nclusters",
    "status",
    "note",
)


# ---------------------------------------------------------------------------- data
def var_name(column: str, lag: int) -> str:
    """The name of ``column`` lagged ``lag`` periods (``L2.polity2``; see
    :func:`econometrics.formula.lag_name`)."""
    return column if lag == 0 else lag_name(column, lag)


def prepare_data(mv: Multiverse, frame: pd.DataFrame) -> pd.DataFrame:
    """Flatten, validate, add lagged regressors (or the formula's columns), apply
    ``data.sample``, sort by panel.

    Lags and formula terms are computed on the full data before the ``data.sample``
    filter, as :func:`econometrics.estimators.prepare` does, so a sample window keeps the
    lag of its first period. With a formula baseline the columns of each term (a factor
    has one per level) are recorded in ``attrs["term_columns"]`` for :func:`make_context`.

    Raises
    ------
    SpecError
        A bad ``data.sample`` query, unknown columns, impossible samples.
    DataError
        Duplicate (entity, time) pairs or a non-numeric time column.
    """
    spec = mv.baseline
    e, t = spec.entity, spec.time
    df = frame
    if isinstance(df.index, pd.MultiIndex) or df.index.name in (e, t):
        df = df.reset_index()
    df = df.reset_index(drop=True)
    keep = df.index.isin(spec.apply_sample(df).index)
    if not keep.any():
        raise SpecError(
            f"data.sample {spec.sample!r} leaves no rows: the estimation sample is empty"
            if spec.sample
            else "the data have no rows"
        )
    mv.validate(df[keep])
    df = df[list(dict.fromkeys([e, t, *mv.columns()]))].copy()
    present = (df[e].notna() & df[t].notna()).to_numpy()
    df, keep = df[present], keep[present]
    df[t] = pd.to_numeric(df[t], errors="coerce")
    shifts = spec.formula is not None or any(mv.lags)
    check = df if shifts else df[keep]
    if check[t].isna().any():
        raise DataError(f"data.time column {t!r} must be numeric (years) for lags and windows")
    dup = check.duplicated([e, t])
    if dup.any():
        first = check.loc[dup, [e, t]].iloc[0].tolist()
        raise DataError(f"duplicate ({e}, {t}) pairs in the data, e.g. {first}")
    term_columns: dict[str, tuple[str, ...]] = {}
    if spec.formula is not None:
        df, term_columns = _formula_columns(mv, df)
    regressors = [mv.treatment, *mv.control_pool]
    for lag in mv.lags:
        if lag == 0:
            continue
        df = pd.concat([df, shift_columns(df, regressors, lag, e, t)], axis=1)
    out = df[keep].sort_values([e, t], kind="mergesort").reset_index(drop=True)
    out.attrs["term_columns"] = term_columns
    return out


def _formula_columns(
    mv: Multiverse, df: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """The design columns of a formula baseline's terms, added to ``df``, and each term's
    columns; the treatment must be a term with one column."""
    from econometrics.formula import evaluate

    spec = mv.baseline
    design = evaluate(spec.parsed_formula, df.set_index([spec.entity, spec.time]))
    x = design.regressors.set_axis(df.index)
    x[design.missing.to_numpy()] = np.nan
    term_columns: dict[str, tuple[str, ...]] = {}
    for col, term in design.term_of.items():
        term_columns[term] = (*term_columns.get(term, ()), col)
    treat = term_columns.get(mv.treatment, ())
    if len(treat) != 1:
        raise SpecError(
            f"robustness.treatment {mv.treatment!r} has {len(treat)} columns "
            f"{list(treat)}; the coefficient of interest must be one column"
        )
    new = [c for c in x.columns if c not in df.columns]
    return pd.concat([df, x[new]], axis=1), term_columns


# ---------------------------------------------------------------------------- fitting
@dataclass(frozen=True)
class RunContext:
    """What a worker needs besides the data (small and picklable)."""

    entity: str
    time: str
    level: float
    common: dict[int, tuple[str, ...]]  # lag -> columns a common sample must have
    baseline_cov: Covariance = field(default_factory=Covariance)
    #: formula term -> its data columns (a factor has one per level); empty without formula
    term_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def columns(self, term: str, lag: int = 0) -> tuple[str, ...]:
        """The data columns of a regressor (a column, lagged, or a formula term)."""
        return self.term_columns.get(term, (var_name(term, lag),))

    def cov_spec(self, spec: Specification) -> Covariance:
        """The covariance of one specification: its kind and cluster, with the
        baseline's bandwidth (or bandwidth rule) and ``group_debias``."""
        return replace(self.baseline_cov, kind=spec.cov, cluster=spec.cluster)


def make_context(mv: Multiverse, data: pd.DataFrame | None = None) -> RunContext:
    """The worker context of a multiverse: index names, level, common-sample columns,
    options, and (from the data of :func:`prepare_data`) the columns of formula terms."""
    term_columns = dict(data.attrs.get("term_columns", {})) if data is not None else {}
    if mv.baseline.formula is not None and not term_columns:
        raise SpecError("a formula baseline needs the data of prepare_data() for its context")

    def cols(term: str, lag: int) -> tuple[str, ...]:
        return term_columns.get(term, (var_name(term, lag),))

    common = {
        lag: tuple(
            dict.fromkeys(
                [*mv.outcomes, *(c for r in (mv.treatment, *mv.control_pool) for c in cols(r, lag))]
            )
        )
        for lag in mv.lags
    }
    return RunContext(
        entity=mv.baseline.entity,
        time=mv.baseline.time,
        level=mv.level,
        common=common if mv.common_sample else {},
        baseline_cov=Covariance.from_spec(mv.baseline, kinds=(mv.baseline.cov, *mv.covs)),
        term_columns=term_columns,
    )


def _needed(spec: Specification, ctx: RunContext) -> tuple[str, tuple[str, ...], str]:
    regs = tuple(c for r in spec.regressors for c in ctx.columns(r, spec.lags))
    return spec.outcome, regs, ctx.columns(spec.treatment, spec.lags)[0]


def _row(spec: Specification, **values: Any) -> dict[str, Any]:
    row = spec.choices()
    row.update(
        estimate=np.nan,
        std_error=np.nan,
        ci_lower=np.nan,
        ci_upper=np.nan,
        pvalue=np.nan,
        nobs=0,
        nclusters=0,
        status="ok",
        note="",
    )
    row.update(values)
    return row


def estimation_mask(
    df: pd.DataFrame,
    spec: Specification,
    ctx: RunContext,
    sample_mask: np.ndarray | None = None,
    notna: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Rows a specification is fitted on: its sample, complete cases (or common sample)."""
    mask = spec.sample.mask(df, ctx.time) if sample_mask is None else sample_mask.copy()
    y, regs, _ = _needed(spec, ctx)
    notna = {} if notna is None else notna
    for col in ctx.common.get(spec.lags, (y, *regs)):
        if col not in notna:
            notna[col] = df[col].notna().to_numpy()
        mask &= notna[col]
    return mask


def fit_specifications(
    df: pd.DataFrame,
    specs: Sequence[Specification],
    ctx: RunContext,
    null: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """Fit ``specs`` on the prepared data; one result row per spec, in ``specs`` order.

    ``null`` (by specification index) imposes the null of no effect: the estimate of
    specification ``k`` on ``y - null[k] x`` (``x`` its treatment) is reported, with its
    interval and p-value. Since ``x`` is a regressor, that regression has the residuals
    (so the standard error, and for random effects the variance components) of the
    regression on ``y`` and the coefficient shifted by ``null[k]``, so the shift is
    exact; the inferential specification curve uses it
    (:func:`econometrics.robustness.inference.curve_null_draw`).

    Specifications with the same sample, effects and complete-case rows share one
    :class:`~econometrics.robustness.engine.AbsorbedPanel` (effects absorbed once, cross-products
    reused, one vectorised fit); random-effects specifications share one
    :class:`~econometrics.robustness.engine.RandomEffectsPanel` (entity means computed once).
    """
    if df.attrs:  # pandas deep-copies the metadata on every column read: drop it once
        df = df.copy(deep=False)
        df.attrs = {}
    rows: dict[int, dict[str, Any]] = {}
    sample_masks: dict[str, np.ndarray] = {}
    notna: dict[str, np.ndarray] = {}
    groups: dict[tuple[Any, ...], list[tuple[Specification, np.ndarray]]] = {}
    for spec in specs:
        if spec.sample.label not in sample_masks:
            sample_masks[spec.sample.label] = spec.sample.mask(df, ctx.time)
        mask = estimation_mask(df, spec, ctx, sample_masks[spec.sample.label], notna)
        effects = ("random",) if spec.estimator == "random" else spec.effects
        key = (effects, hashlib.sha1(np.packbits(mask).tobytes()).hexdigest())
        groups.setdefault(key, []).append((spec, mask))
    # integer codes in sorted order, once (the panel re-codes its subset in O(n))
    ent = np.unique(df[ctx.entity].to_numpy(), return_inverse=True)[1]
    tim = np.unique(df[ctx.time].to_numpy(), return_inverse=True)[1]
    for (effects, _), members in groups.items():
        mask = members[0][1]
        n = int(mask.sum())
        if n == 0:
            for spec, _ in members:
                rows[spec.index] = _row(spec, status="no observations")
            continue
        cols = list(
            dict.fromkeys(
                c for spec, _ in members for c in (_needed(spec, ctx)[0], *_needed(spec, ctx)[1])
            )
        )
        values = df.loc[mask, cols].to_numpy(float)
        if effects == ("random",):
            panel: AbsorbedPanel | RandomEffectsPanel = RandomEffectsPanel(
                values, cols, ent[mask], tim[mask]
            )
        else:
            panel = AbsorbedPanel(values, cols, ent[mask], tim[mask], effects)
        requests, notes = [], []
        # which controls the sample absorbs depends on the regressors alone, not on the
        # outcome or the covariance: tested once per regressor set of the panel
        dropped: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], str]] = {}
        for spec, _ in members:
            request = FitRequest(*_needed(spec, ctx), ctx.cov_spec(spec))
            regs = (request.treatment, request.regressors)
            if regs not in dropped:
                kept, note = _drop_absorbed(request, panel)
                dropped[regs] = (kept.regressors, note)
            kept_regressors, note = dropped[regs]
            if kept_regressors != request.regressors:
                request = FitRequest(
                    request.outcome, kept_regressors, request.treatment, request.cov
                )
            requests.append(request)
            notes.append(note)
        try:
            batch = panel.fit(requests)
        except ValueError as exc:  # e.g. a Driscoll-Kraay bandwidth above the periods
            for spec, _ in members:
                rows[spec.index] = _row(spec, nobs=n, status=f"failed: {exc}")
            continue
        if null is not None:
            batch.params = batch.params - np.array([null[spec.index] for spec, _ in members])
        lo, hi = batch.conf_int(ctx.level)
        pv = batch.pvalues()
        for i, (spec, _) in enumerate(members):
            status = batch.status[i]
            if status == "ok" and not np.isfinite(batch.std_errors[i]):
                status = "undefined standard error"
            rows[spec.index] = _row(
                spec,
                estimate=float(batch.params[i]),
                std_error=float(batch.std_errors[i]),
                ci_lower=float(lo[i]),
                ci_upper=float(hi[i]),
                pvalue=float(pv[i]),
                nobs=int(batch.nobs[i]),
                nclusters=int(batch.nclusters[i]),
                status=status,
                note=notes[i],
            )
    return [rows[s.index] for s in specs]


def _drop_absorbed(
    request: FitRequest, panel: AbsorbedPanel | RandomEffectsPanel
) -> tuple[FitRequest, str]:
    """The request without the controls the sample's effects (or the constant) absorb, and
    the note saying so; the rule of :func:`econometrics.robustness.engine.negligible`, the same as
    :func:`econometrics.estimators.fit` applies. An absorbed treatment stays in the request
    (the engine reports the specification as not estimable)."""
    if not isinstance(panel, AbsorbedPanel):
        return request, ""
    gone = panel.absorbed_vars
    effects, flat = panel.effects, panel.constant_vars
    why = {
        r: absorbed_reason(effects, flat=r in flat)
        for r in request.regressors
        if r in gone and r != request.treatment
    }
    rest = [r for r in request.regressors if r not in gone]
    if len(rest) > 1:  # then collinear columns, as fit() finds them
        cols = [0, *(panel.col[r] for r in rest)]
        g = panel.gram[np.ix_(cols, cols)]
        centred = g[1:, 1:]
        if g[0, 0] > 0:  # project out the constant: the Gram of the absorbed columns
            centred = centred - np.outer(g[0, 1:], g[0, 1:]) / g[0, 0]
        for pos, earlier in collinear_columns(centred).items():
            if rest[pos] != request.treatment:
                why[rest[pos]] = "collinear with " + ", ".join(rest[i] for i in earlier)
    if not why:
        return request, ""
    kept = tuple(r for r in request.regressors if r not in why)
    note = "; ".join(f"{r} dropped: {why[r]}" for r in request.regressors if r in why)
    return FitRequest(request.outcome, kept, request.treatment, request.cov), note


__all__ = [
    "RESULT_COLUMNS",
    "RunContext",
    "estimation_mask",
    "fit_specifications",
    "make_context",
    "prepare_data",
    "var_name",
]
