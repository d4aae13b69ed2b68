"""Run a robustness multiverse: stream, resume, scale out, summarise.

:func:`run_robustness` expands a spec file's ``[robustness]`` table
(:mod:`econometrics.multiverse`), fits every specification with the vectorised engine
of :mod:`econometrics.fastfe` (random effects with its
:class:`~econometrics.fastfe.RandomEffectsPanel`, linearmodels' three regressions on
arrays prepared once per sample) and writes under ``out_dir``:

``specifications.csv``
    One row per specification: every choice, estimate, SE, CI, p, N, clusters, status.
``summary.json`` / ``summary.md``
    Share significant, share with the baseline's sign, median estimate, the baseline,
    the placebo (permutation) test and the wild cluster bootstrap p-value.
``influential_units.csv``
    For ``leave-one-out`` samples: how much dropping each unit moves the estimate.
``specification_curve.png``
    Sorted estimates with confidence intervals over a panel of choice indicators.
``placebo.csv``
    The permutation distribution of the baseline estimate.

How long runs behave
--------------------
Specifications are fitted in **chunks** (a fixed, deterministic partition of the
multiverse that keeps a sample's specifications together so that its fixed effects are
absorbed once). Each finished chunk is appended to ``out_dir/.robustness/parts.jsonl``
and flushed with ``fsync`` before the progress bar moves, so an interrupted run
(Ctrl-C, kill, crash) loses at most the chunks in flight. ``resume=True`` reads that
log, checks that the spec and the data are unchanged (a fingerprint in
``manifest.json``), and fits only the chunks that are not complete. Since chunks are
the same in every run, a resumed run writes exactly the file an uninterrupted run does.
Every final output is written atomically (:mod:`enforcement_lab.io`).

Executors: ``local`` (this process for one worker, else a process pool from
:mod:`concurrent.futures` that receives the data once per worker) and ``dask`` (chunks
submitted with ``client.submit`` to a ``dask.distributed`` scheduler, the data
scattered to the workers once).

Inference for the baseline
--------------------------
* **Placebo / permutation test**: the treatment's values are shuffled over time
  *within* each entity (each unit keeps its own treatment values, their timing is
  random), the baseline is refitted for every permutation (all permutations in one
  vectorised fit), and the p-value is ``(1 + #{|b_perm| >= |b|}) / (R + 1)``.
* **Wild cluster bootstrap** (restricted, WCR-11) from the ``wildboottest`` package,
  applied to the baseline after its fixed effects are absorbed (Frisch-Waugh-Lovell),
  or, for a random-effects baseline, to its quasi-demeaned (GLS) regression with the
  variance components held at their estimates; clustered by the baseline's cluster
  dimension (entity when it is not clustered or two-way clustered). Its t statistic is
  the CRV1 one of that regression, scaled by ``G/(G-1) (n-1)/(n-k)`` with ``k`` the
  constant and regressors (the absorbed effects are not counted), and its p-value is
  ``(1 + #{|t*| >= |t|}) / (B + 1)``, as the placebo test's, so never 0.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econometrics.covariance import Covariance
from econometrics.fastfe import (
    AbsorbedPanel,
    FitRequest,
    RandomEffectsPanel,
    absorbed_reason,
    collinear_columns,
)
from econometrics.formula import lag_name, shift_columns
from econometrics.multiverse import Multiverse, Specification, parse_robustness
from econometrics.spec import SpecFile, read_spec_file
from enforcement_lab.errors import DataError, EnforcementLabError, SpecError
from enforcement_lab.io import atomic_path, atomic_write_text, locked_folder

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
STATE_DIR = ".robustness"
DEFAULT_CHUNK_SIZE = 256


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
    df: pd.DataFrame, specs: Sequence[Specification], ctx: RunContext
) -> list[dict[str, Any]]:
    """Fit ``specs`` on the prepared data; one result row per spec, in ``specs`` order.

    Specifications with the same sample, effects and complete-case rows share one
    :class:`~econometrics.fastfe.AbsorbedPanel` (effects absorbed once, cross-products
    reused, one vectorised fit); random-effects specifications share one
    :class:`~econometrics.fastfe.RandomEffectsPanel` (entity means computed once).
    """
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
        for spec, _ in members:
            request, note = _drop_absorbed(
                FitRequest(*_needed(spec, ctx), ctx.cov_spec(spec)), panel
            )
            requests.append(request)
            notes.append(note)
        try:
            batch = panel.fit(requests)
        except ValueError as exc:  # e.g. a Driscoll-Kraay bandwidth above the periods
            for spec, _ in members:
                rows[spec.index] = _row(spec, nobs=n, status=f"failed: {exc}")
            continue
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
    the note saying so; the rule of :func:`econometrics.fastfe.negligible`, the same as
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


# ---------------------------------------------------------------------------- chunks
def make_chunks(
    specs: Sequence[Specification], chunk_size: int = DEFAULT_CHUNK_SIZE
) -> list[list[Specification]]:
    """A deterministic partition: specs grouped by (sample, lag, estimator), packed in chunks."""
    groups: dict[tuple[str, int, str], list[Specification]] = {}
    for s in specs:
        groups.setdefault((s.sample.label, s.lags, s.estimator), []).append(s)
    chunks: list[list[Specification]] = []
    current: list[Specification] = []
    for members in groups.values():
        for start in range(0, len(members), chunk_size):
            piece = members[start : start + chunk_size]
            if current and len(current) + len(piece) > chunk_size:
                chunks.append(current)
                current = []
            current = current + piece
    if current:
        chunks.append(current)
    return chunks


_WORKER: dict[str, Any] = {}


def _init_worker(df: pd.DataFrame, ctx: RunContext, parent_pid: int | None = None) -> None:
    if parent_pid is not None:
        from enforcement_lab.processes import die_with_parent

        die_with_parent(parent_pid)
    _WORKER["df"], _WORKER["ctx"] = df, ctx


def _run_chunk_local(chunk: list[Specification]) -> list[dict[str, Any]]:
    return fit_specifications(_WORKER["df"], chunk, _WORKER["ctx"])


def _run_chunk_remote(
    df: pd.DataFrame, ctx: RunContext, chunk: list[Specification]
) -> list[dict[str, Any]]:
    return fit_specifications(df, chunk, ctx)


# ---------------------------------------------------------------------------- streaming
class PartsLog:
    """Append-only JSON-lines log of finished specifications (flushed and fsynced)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # drop a line cut by a crash, so the next append starts clean
            data = path.read_bytes()
            cut = data.rfind(b"\n") + 1
            if cut != len(data):
                with open(path, "r+b") as fh:
                    fh.truncate(cut)
        self._fh = open(path, "a", encoding="utf-8")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows as JSON lines, then flush and fsync, so a crash loses no finished row."""
        text = "".join(json.dumps(_jsonable(r)) + "\n" for r in rows)
        self._fh.write(text)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        """Close the log file."""
        self._fh.close()

    @staticmethod
    def read(path: Path) -> dict[int, dict[str, Any]]:
        """Finished rows by ``spec_id``; a line cut by a crash is skipped (refitted on resume)."""
        done: dict[int, dict[str, Any]] = {}
        if not path.exists():
            return done
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                done[int(row["spec_id"])] = row
        return done


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}


def _fingerprint(mv: Multiverse, df: pd.DataFrame, chunk_size: int, n_specs: int) -> str:
    h = hashlib.sha256()
    h.update(repr((mv, chunk_size, n_specs)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    h.update(",".join(map(str, df.columns)).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------- inference
def permute_within(values: np.ndarray, entity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shuffle ``values`` among the rows of each entity (rows sorted by entity).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> out = permute_within(np.arange(6.0), np.array([0, 0, 0, 1, 1, 1]), rng)
    >>> sorted(out[:3].tolist()), sorted(out[3:].tolist())
    ([0.0, 1.0, 2.0], [3.0, 4.0, 5.0])
    """
    order = np.lexsort((rng.random(len(values)), entity))
    return values[order]


@dataclass
class BaselineInference:
    """Placebo (permutation) and wild cluster bootstrap inference for the baseline."""

    estimate: float
    placebo_estimates: np.ndarray = field(default_factory=lambda: np.empty(0))
    placebo_pvalue: float = float("nan")
    placebo_share_significant: float = float("nan")
    bootstrap_pvalue: float = float("nan")
    bootstrap_tstat: float = float("nan")
    bootstrap_cluster: str = ""
    bootstrap_reps: int = 0
    notes: list[str] = field(default_factory=list)


def _baseline_columns(
    d: pd.DataFrame, base: Specification, ctx: RunContext
) -> tuple[str, tuple[str, ...], str]:
    """Outcome, regressors and treatment of the baseline on its sample ``d``, without the
    controls its effects absorb (as its fit dropped them)."""
    y, regs, treat = _needed(base, ctx)
    if d.empty:
        return y, regs, treat
    effects = () if base.estimator == "random" else base.effects
    panel = AbsorbedPanel(
        d[[y, *regs]].to_numpy(float), [y, *regs], d[ctx.entity], d[ctx.time], effects
    )
    request, _ = _drop_absorbed(FitRequest(y, regs, treat), panel)
    return y, tuple(request.regressors), treat


def baseline_inference(
    df: pd.DataFrame, mv: Multiverse, base: Specification, ctx: RunContext, estimate: float
) -> BaselineInference:
    """Permutation test and wild cluster bootstrap p-value of the baseline."""
    out = BaselineInference(estimate=estimate)
    mask = estimation_mask(df, base, ctx)
    d = df.loc[mask].reset_index(drop=True)
    y, regs, treat = _baseline_columns(d, base, ctx)
    ent, tim = d[ctx.entity].to_numpy(), d[ctx.time].to_numpy()
    _, ent_codes = np.unique(ent, return_inverse=True)
    rng = np.random.default_rng(mv.seed)
    if mv.placebo > 0 and np.isfinite(estimate):
        perms = np.column_stack(
            [permute_within(d[treat].to_numpy(float), ent_codes, rng) for _ in range(mv.placebo)]
        )
        names = [f"__placebo{r}" for r in range(mv.placebo)]
        values = np.column_stack([d[[y, *regs[1:]]].to_numpy(float), perms])
        vnames = [y, *regs[1:], *names]
        panel: AbsorbedPanel | RandomEffectsPanel
        if base.estimator == "random":
            panel = RandomEffectsPanel(values, vnames, ent, tim)
        else:
            panel = AbsorbedPanel(values, vnames, ent, tim, base.effects)
        cov = ctx.cov_spec(base)
        batch = panel.fit([FitRequest(y, (nm, *regs[1:]), nm, cov) for nm in names])
        b, p = batch.params, batch.pvalues()
        out.placebo_estimates = b
        out.placebo_pvalue = float((1 + np.sum(np.abs(b) >= abs(estimate))) / (len(b) + 1))
        out.placebo_share_significant = float(np.mean(p < 1 - mv.level))
    if mv.bootstrap > 0 and np.isfinite(estimate):
        out = _wild_bootstrap(out, d, mv, base, ctx)
    return out


def _wild_bootstrap(
    out: BaselineInference, d: pd.DataFrame, mv: Multiverse, base: Specification, ctx: RunContext
) -> BaselineInference:
    import statsmodels.api as sm

    y, regs, treat = _baseline_columns(d, base, ctx)
    args = (d[[y, *regs]].to_numpy(float), [y, *regs], d[ctx.entity], d[ctx.time])
    cluster = (
        base.cluster if base.cov == "clustered" and base.cluster in ("entity", "time") else "entity"
    )
    if not (base.cov == "clustered" and base.cluster == cluster):
        out.notes.append(
            f"wild bootstrap clustered by {cluster} (baseline covariance: {base.cov}/{base.cluster})"
        )
    if base.estimator == "random":
        # the GLS form of random effects: OLS on the quasi-demeaned data, theta held
        # at its estimate
        re_panel = RandomEffectsPanel(args[0], args[1], np.asarray(args[2]), np.asarray(args[3]))
        wy, wx, status = re_panel.transformed(FitRequest(y, regs, treat, ctx.cov_spec(base)))
        if status != "ok":
            out.notes.append(f"wild cluster bootstrap not run: {status}")
            return out
        codes = re_panel.scores.entity if cluster == "entity" else re_panel.scores.time
        x = pd.DataFrame(wx, columns=["const", *regs])
        model = sm.OLS(wy, x)
        out.notes.append(
            "random-effects baseline: wild bootstrap of the quasi-demeaned (GLS) regression, "
            "theta held at its estimate"
        )
    else:
        panel = AbsorbedPanel(
            args[0], args[1], np.asarray(args[2]), np.asarray(args[3]), base.effects
        )
        codes = panel.entity if cluster == "entity" else panel.time
        z = panel.z
        x = pd.DataFrame(z[:, [0, *(panel.col[r] for r in regs)]], columns=["const", *regs])
        model = sm.OLS(z[:, panel.col[y]], x)
    t_stat, t_boot = _wild_t(model, codes, treat, mv)
    # (1 + #{|t*| >= |t|}) / (B + 1), as the placebo test: never 0 (Davison and Hinkley
    # 1997, eq. 4.11); wildboottest's own p-value is #{|t*| > |t|} / B
    out.bootstrap_pvalue = float((1 + np.sum(np.abs(t_boot) >= abs(t_stat))) / (len(t_boot) + 1))
    out.bootstrap_tstat = float(t_stat)
    out.bootstrap_cluster = cluster
    out.bootstrap_reps = len(t_boot)
    out.notes.append(
        "wild bootstrap t statistic: CRV1 on the regression after the fixed effects are "
        "absorbed, scaled by G/(G-1) (n-1)/(n-k) with k the constant and the regressors "
        "(the absorbed effects not counted)"
    )
    return out


def _wild_t(model: Any, codes: np.ndarray, treat: str, mv: Multiverse) -> tuple[float, np.ndarray]:
    """The t statistic of ``treat`` and its restricted (WCR-11) wild cluster bootstrap
    draws, from ``wildboottest``'s cluster bootstrap class (its steps, unchanged)."""
    import warnings

    from wildboottest.wildboottest import WildboottestCL

    names = list(model.data.xnames)
    r = np.zeros(len(names))
    r[names.index(treat)] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        boot = WildboottestCL(
            X=model.exog,
            Y=model.endog,
            cluster=np.asarray(codes),
            R=r,
            B=mv.bootstrap,
            seed=mv.seed,
            parallel=False,
        )
        boot.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
        boot.get_weights(weights_type=mv.bootstrap_weights)
        boot.get_numer()
        boot.get_denom()
        boot.get_tboot()
        boot.get_vcov()
        boot.get_tstat()
    return float(np.squeeze(boot.t_stat)), np.ravel(np.asarray(boot.t_boot, dtype=float))


# ---------------------------------------------------------------------------- summaries
def summarize(results: pd.DataFrame, level: float = 0.95) -> dict[str, Any]:
    """Share significant, share with the baseline's sign, median estimate, baseline."""
    ok = results[results["status"] == "ok"]
    base = results[results["is_baseline"]]
    base_est = float(base["estimate"].iloc[0]) if len(base) else float("nan")
    alpha = 1 - level
    est = ok["estimate"].to_numpy(float)
    sig = ok["pvalue"].to_numpy(float) < alpha
    same = np.sign(est) == np.sign(base_est)
    return {
        "n_specifications": len(results),
        "n_estimated": len(ok),
        "n_failed": len(results) - len(ok),
        "level": level,
        "share_significant": float(sig.mean()) if len(ok) else float("nan"),
        "share_same_sign": float(same.mean()) if len(ok) else float("nan"),
        "share_significant_same_sign": float((sig & same).mean()) if len(ok) else float("nan"),
        "median_estimate": float(np.median(est)) if len(ok) else float("nan"),
        "min_estimate": float(est.min()) if len(ok) else float("nan"),
        "max_estimate": float(est.max()) if len(ok) else float("nan"),
        "baseline": {
            k: (base[k].iloc[0].item() if hasattr(base[k].iloc[0], "item") else base[k].iloc[0])
            for k in (
                "spec_id",
                "estimate",
                "std_error",
                "ci_lower",
                "ci_upper",
                "pvalue",
                "nobs",
                "status",
            )
        }
        if len(base)
        else None,
    }


_CHOICE_KEYS = ("outcome", "treatment", "controls", "estimator", "cov", "cluster", "lags")


def influential_units(results: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Leave-one-out influence: each dropped unit against the full-sample estimate.

    For every ``leave-one-out:COL=UNIT`` specification, ``delta`` is its estimate minus
    that of the same choices on the full sample (``all``). Per unit: the baseline's
    delta (when the baseline's choices were crossed with the sample), the mean and
    largest absolute delta, and how often dropping the unit changes significance (at
    ``1 - level``).
    """
    loo = results[results["sample"].str.startswith("leave-one-out:") & (results["status"] == "ok")]
    full = results[(results["sample"] == "all") & (results["status"] == "ok")]
    if loo.empty or full.empty:
        return pd.DataFrame()
    ref = full.set_index(list(_CHOICE_KEYS))[["estimate", "pvalue", "is_baseline"]]
    m = loo.join(ref, on=list(_CHOICE_KEYS), rsuffix="_all", how="inner")
    if m.empty:
        return pd.DataFrame()
    m = m.assign(
        column=m["sample"].str.slice(len("leave-one-out:")).str.split("=", n=1).str[0],
        unit=m["sample"].str.split("=", n=1).str[1],
        delta=m["estimate"] - m["estimate_all"],
        flips=(m["pvalue"] < 1 - level) != (m["pvalue_all"] < 1 - level),
    )
    m["abs_delta"] = m["delta"].abs()
    agg = m.groupby(["column", "unit"]).agg(
        n_specs=("delta", "size"),
        mean_abs_delta=("abs_delta", "mean"),
        max_abs_delta=("abs_delta", "max"),
        share_significance_flips=("flips", "mean"),
    )
    base = m[m["is_baseline_all"]].set_index(["column", "unit"])
    agg["baseline_estimate"] = base["estimate"]
    agg["baseline_delta"] = base["delta"]
    key = agg["baseline_delta"].abs().fillna(agg["max_abs_delta"])
    return agg.assign(_k=key).sort_values("_k", ascending=False).drop(columns="_k").reset_index()


def _summary_markdown(summary: dict[str, Any], synthetic: bool) -> str:
    b = summary.get("baseline") or {}
    lines = [
        "# Robustness summary" + (" (synthetic data)" if synthetic else ""),
        "",
        f"- specifications: {summary['n_specifications']} ({summary['n_estimated']} estimated, {summary['n_failed']} not estimable)",
        f"- share significant at {1 - summary['level']:.2g}: {summary['share_significant']:.3f}",
        f"- share with the baseline's sign: {summary['share_same_sign']:.3f}",
        f"- median estimate: {summary['median_estimate']:.4g} (range {summary['min_estimate']:.4g} to {summary['max_estimate']:.4g})",
    ]
    if b:
        lines.append(
            f"- baseline: {b['estimate']:.4g} (SE {b['std_error']:.4g}, p = {b['pvalue']:.3g}, N = {b['nobs']})"
        )
    inf = summary.get("inference") or {}
    if inf.get("placebo_permutations"):
        lines.append(
            f"- placebo (treatment timing permuted within units, {inf['placebo_permutations']} permutations): "
            f"p = {inf['placebo_pvalue']:.3g}"
        )
    if inf.get("bootstrap_reps"):
        lines.append(
            f"- wild cluster bootstrap ({inf['bootstrap_weights']}, {inf['bootstrap_reps']} reps, "
            f"clustered by {inf['bootstrap_cluster']}): p = {inf['bootstrap_pvalue']:.3g}"
        )
    for note in inf.get("notes", []):
        lines.append(f"- note: {note}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- runner
@dataclass
class RobustnessResult:
    """What :func:`run_robustness` produced."""

    results: pd.DataFrame
    summary: dict[str, Any]
    influence: pd.DataFrame
    inference: BaselineInference | None
    out_dir: Path
    n_fitted_this_run: int


def _load_frame(spec_file: SpecFile) -> pd.DataFrame:
    """``data.source`` through the data registry (a relative path is relative to the spec)."""
    from enforcement_lab.data.registry import load_source

    source = spec_file.spec.source
    if not source:
        raise SpecError("data.source is empty: name a registry data set or a CSV/Parquet file")
    path = Path(source)
    if not path.is_absolute() and spec_file.path is not None:
        candidate = spec_file.path.parent / path
        if candidate.exists():
            source = str(candidate)
    return load_source(source)


def run_robustness(
    spec_file: SpecFile | str | Path,
    out_dir: str | Path,
    *,
    frame: pd.DataFrame | None = None,
    resume: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = True,
    figure: bool = True,
    on_chunk: Callable[[int], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    memory_limit_gb: float | None = None,
) -> RobustnessResult:
    """Run the multiverse of a spec file and write every output under ``out_dir``.

    Parameters
    ----------
    spec_file : SpecFile or path
        The spec file (its ``[robustness]`` table; an absent table is the baseline alone).
    out_dir : path
        Output folder (created).
    frame : DataFrame, optional
        The data; by default loaded from ``data.source``.
    resume : bool
        Continue an interrupted run in ``out_dir`` (refused if the spec or data changed).
    executor : {"local", "dask"}
    scheduler : str, optional
        Address of a dask.distributed scheduler; without it ``dask`` starts a local cluster.
    workers : int, optional
        Local processes (default 1: this process) or the local dask cluster's workers.
    chunk_size : int
        Specifications per chunk (the unit of streaming, resuming and scheduling).
    progress : bool
        Show a rich progress bar with ETA (on stderr).
    figure : bool
        Draw the specification curve.
    on_chunk : callable, optional
        Called with the number of chunks written so far after each one is on disk.
    on_plan : callable, optional
        Called with the number of specifications and the number still to fit, before
        the first fit.
    memory_limit_gb : float, optional
        Memory a run may plan to use (default: half the machine's memory); larger
        multiverses, placebo tests and bootstraps are refused up front
        (:func:`check_size`).

    Raises
    ------
    SpecError
        A bad spec file, an empty sample, every specification failing, or a baseline
        that cannot be estimated.
    EnforcementLabError
        ``out_dir`` is in use by another run (a lock held for the whole run).
    """
    if executor not in ("local", "dask"):
        raise SpecError(f"--executor {executor!r} is unknown; choose local or dask")
    if chunk_size < 1:
        raise SpecError("chunk size must be at least 1")
    if not isinstance(spec_file, SpecFile):
        spec_file = read_spec_file(spec_file)
    where = f"{spec_file.path}: " if spec_file.path is not None else ""
    try:
        mv = parse_robustness(spec_file.spec, spec_file.robustness)
    except SpecError as exc:
        raise SpecError(f"{where}{exc}") from None
    raw = _load_frame(spec_file) if frame is None else frame
    synthetic = bool(raw.attrs.get("synthetic", False))
    df = prepare_data(mv, raw)
    check_size(mv, df, memory_limit_gb)
    specs = mv.specifications(df)
    ctx = make_context(mv, df)
    chunks = make_chunks(specs, chunk_size)

    out = Path(out_dir)
    with locked_folder(out, "enforcement-lab robustness"):
        state = out / STATE_DIR
        fresh = not state.exists()
        try:
            return _run_locked(
                spec_file,
                mv,
                df,
                specs,
                ctx,
                chunks,
                out,
                synthetic,
                resume=resume,
                executor=executor,
                scheduler=scheduler,
                workers=workers,
                chunk_size=chunk_size,
                progress=progress,
                figure=figure,
                on_chunk=on_chunk,
                on_plan=on_plan,
            )
        except EnforcementLabError:
            if fresh:  # a refused run leaves no half-made state behind
                import shutil

                shutil.rmtree(state, ignore_errors=True)
            raise


#: Bytes a specification takes while a multiverse runs (its object, its result row,
#: its line of specifications.csv): measured on the paper's multiverse, rounded up.
BYTES_PER_SPECIFICATION = 4096


def count_specifications(mv: Multiverse, frame: pd.DataFrame) -> int:
    """The number of specifications of ``mv`` on ``frame``, without building them.

    ``leave-one-out`` samples count one per value of their column; the baseline is
    counted once more (it is added when the choices do not contain it).
    """
    n_samples = 0
    for s in mv.samples:
        if s.startswith("leave-one-out:"):
            n_samples += int(frame[s.split(":", 1)[1]].dropna().nunique())
        else:
            n_samples += 1
    n_cov = sum(len(mv.clusters) if c == "clustered" else 1 for c in mv.covs)
    sizes = (len(mv.outcomes), len(mv.control_sets), len(mv.estimators), n_samples, n_cov)
    return int(np.prod([*sizes, len(mv.lags)], dtype=object)) + 1


def check_size(mv: Multiverse, frame: pd.DataFrame, memory_limit_gb: float | None = None) -> int:
    """Refuse a multiverse, placebo test or bootstrap too large for this machine.

    The estimates are made from the sizes alone, before anything is allocated: the
    number of specifications (:func:`count_specifications`), the placebo test's
    permuted treatment columns (rows x permutations, held with their absorbed copies)
    and the wild bootstrap's replications (rows x replications).

    Returns
    -------
    int
        The number of specifications.

    Raises
    ------
    ResourceLimitError
        An estimate above :func:`enforcement_lab.limits.memory_limit`.
    """
    from enforcement_lab.limits import check_memory, memory_limit

    limit = memory_limit(memory_limit_gb)
    more = "raise the limit with --memory-limit GB"
    n = count_specifications(mv, frame)
    check_memory(
        f"a multiverse of {n:,} specifications",
        n * BYTES_PER_SPECIFICATION,
        limit,
        f"narrow [robustness] (controls, samples, outcomes) or {more}",
    )
    rows = len(frame)
    check_memory(
        f"robustness.placebo = {mv.placebo:,} permutations of {rows:,} rows",
        4 * 8 * rows * mv.placebo,
        limit,
        f"lower robustness.placebo or {more}",
    )
    check_memory(
        f"robustness.bootstrap = {mv.bootstrap:,} replications of {rows:,} rows",
        2 * 8 * rows * mv.bootstrap,
        limit,
        f"lower robustness.bootstrap or {more}",
    )
    return n


def _run_locked(
    spec_file: SpecFile,
    mv: Multiverse,
    df: pd.DataFrame,
    specs: list[Specification],
    ctx: RunContext,
    chunks: list[list[Specification]],
    out: Path,
    synthetic: bool,
    *,
    resume: bool,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    chunk_size: int,
    progress: bool,
    figure: bool,
    on_chunk: Callable[[int], None] | None,
    on_plan: Callable[[int, int], None] | None,
) -> RobustnessResult:
    state = out / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    parts_path = state / "parts.jsonl"
    manifest_path = state / "manifest.json"
    fp = _fingerprint(mv, df, chunk_size, len(specs))
    if resume:
        if not manifest_path.exists():
            raise SpecError(f"--resume: no interrupted run in {out} (no {STATE_DIR}/manifest.json)")
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("fingerprint") != fp:
            raise SpecError(
                "--resume: the spec file, the data or the chunk size changed since the "
                "interrupted run; run again without --resume"
            )
    else:
        if parts_path.exists():
            parts_path.unlink()
        spec_text = spec_file.spec.to_toml() + json.dumps(
            _jsonable_table(spec_file.robustness), sort_keys=True
        )
        atomic_write_text(
            manifest_path,
            json.dumps(
                {
                    "fingerprint": fp,
                    "spec_sha256": hashlib.sha256(spec_text.encode()).hexdigest(),
                    "n_specifications": len(specs),
                    "n_chunks": len(chunks),
                },
                indent=2,
            ),
        )
    done = PartsLog.read(parts_path)
    todo = [c for c in chunks if not all(s.index in done for s in c)]
    log = PartsLog(parts_path)
    n_todo = sum(len(c) for c in todo)
    if on_plan is not None:
        on_plan(len(specs), n_todo)

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]specifications"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=False,
    )
    written = 0

    def record(rows: list[dict[str, Any]]) -> None:
        nonlocal written
        log.write(rows)
        for r in rows:
            done[int(r["spec_id"])] = _jsonable(r)
        written += 1
        bar.advance(task, len(rows))
        if on_chunk is not None:
            on_chunk(written)

    try:
        with bar:
            task = bar.add_task("fit", total=len(specs), completed=len(specs) - n_todo)
            if todo and executor == "dask":
                _run_dask(df, ctx, todo, record, scheduler, workers)
            elif todo and (workers or 1) > 1 and len(todo) > 1:
                _run_processes(df, ctx, todo, record, workers or 1)
            else:
                for chunk in todo:
                    record(fit_specifications(df, chunk, ctx))
    finally:
        log.close()

    results = pd.DataFrame([done[s.index] for s in specs], columns=list(RESULT_COLUMNS))
    results["is_baseline"] = results["is_baseline"].astype(bool)
    base_spec = next(s for s in specs if s.is_baseline)
    base_row = results.loc[results["spec_id"] == base_spec.index].iloc[0]
    if (results["status"] != "ok").all():
        reasons = results["status"].value_counts()
        raise SpecError(
            f"every one of the {len(results)} specifications failed; most often: "
            f"{reasons.index[0]} ({reasons.iloc[0]} of {len(results)})"
        )
    if base_row["status"] != "ok":
        raise SpecError(f"the baseline specification could not be estimated: {base_row['status']}")
    base_est = float(base_row["estimate"])
    inference = baseline_inference(df, mv, base_spec, ctx, base_est)
    summary = summarize(results, mv.level)
    summary["synthetic_data"] = synthetic
    summary["inference"] = {
        "placebo_permutations": len(inference.placebo_estimates),
        "placebo_pvalue": inference.placebo_pvalue,
        "placebo_share_significant": inference.placebo_share_significant,
        "bootstrap_reps": inference.bootstrap_reps,
        "bootstrap_weights": mv.bootstrap_weights,
        "bootstrap_cluster": inference.bootstrap_cluster,
        "bootstrap_pvalue": inference.bootstrap_pvalue,
        "bootstrap_tstat": inference.bootstrap_tstat,
        "seed": mv.seed,
        "notes": inference.notes,
    }
    influence = influential_units(results, mv.level)

    with atomic_path(out / "specifications.csv") as tmp:
        results.to_csv(tmp, index=False, float_format="%.17g")
    if not influence.empty:
        with atomic_path(out / "influential_units.csv") as tmp:
            influence.to_csv(tmp, index=False, float_format="%.17g")
    else:  # a folder never mixes two runs: drop an earlier run's file this run does not write
        (out / "influential_units.csv").unlink(missing_ok=True)
    if not len(inference.placebo_estimates):
        (out / "placebo.csv").unlink(missing_ok=True)
    if not figure:
        (out / "specification_curve.png").unlink(missing_ok=True)
    if len(inference.placebo_estimates):
        with atomic_path(out / "placebo.csv") as tmp:
            pd.DataFrame(
                {
                    "permutation": np.arange(len(inference.placebo_estimates)),
                    "estimate": inference.placebo_estimates,
                }
            ).to_csv(tmp, index=False, float_format="%.17g")
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, default=float) + "\n")
    atomic_write_text(out / "summary.md", _summary_markdown(summary, synthetic))
    if figure:
        from econometrics.speccurve import plot_specification_curve

        plot_specification_curve(
            results, out / "specification_curve.png", level=mv.level, synthetic=synthetic
        )
    return RobustnessResult(results, summary, influence, inference, out, n_todo)


def _jsonable_table(table: Any) -> Any:
    """A TOML table as JSON-able values (for hashing the spec)."""
    return json.loads(json.dumps(table, default=str)) if table is not None else None


def _run_processes(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: list[list[Specification]],
    record: Callable[[list[dict[str, Any]]], None],
    workers: int,
) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # the platform's default start method (fork on Linux: workers start without
    # re-importing the scientific stack; spawn on macOS and Windows)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(df, ctx, os.getpid()),
    )
    try:
        pending = {pool.submit(_run_chunk_local, c) for c in chunks}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                record(fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: list[list[Specification]],
    record: Callable[[list[dict[str, Any]]], None],
    scheduler: str | None,
    workers: int | None,
) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - the [distributed] extra
        raise SpecError(
            "--executor dask needs dask.distributed: pip install 'enforcement-lab[distributed]'"
        ) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SpecError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    else:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        data = client.scatter(df, broadcast=True)
        futures = [client.submit(_run_chunk_remote, data, ctx, c, pure=False) for c in chunks]
        try:
            for fut in as_completed(futures):
                record(fut.result())
        finally:
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "RESULT_COLUMNS",
    "BaselineInference",
    "PartsLog",
    "RobustnessResult",
    "RunContext",
    "baseline_inference",
    "fit_specifications",
    "influential_units",
    "make_chunks",
    "permute_within",
    "prepare_data",
    "run_robustness",
    "summarize",
]
