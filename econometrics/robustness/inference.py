"""Inference for a multiverse: the baseline's placebo test and wild cluster bootstrap, and
the inferential specification curve of the whole multiverse.

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
* **Inferential specification curve** (Simonsohn, Simmons and Nelson 2020, "Specification
  curve analysis", *Nature Human Behaviour* 4, 1208-1214): is the curve as a whole more
  than chance would give when no specification has an effect? Data under the null are
  made for each specification ``k`` by removing its estimated effect, ``y - b_k x``, and
  resampling units (countries) with replacement, each drawn copy a unit of its own; the
  whole multiverse is refitted on every draw (:func:`curve_null_draw`). Three statistics
  are compared with their null distributions (:func:`curve_statistics`): the median
  estimate, the share of specifications significant in the dominant sign (the sign most
  estimates have) and Stouffer's aggregate ``Z = sum_k z_k / sqrt(K)`` of the
  specifications' signed z values; each is taken in the dominant sign of its own data,
  and its p-value is ``(1 + #{T* >= T}) / (B + 1)``. Estimates on different outcome
  scales are never pooled: the test is run for each outcome's curve.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from econometrics.robustness.batch import (
    RunContext,
    _drop_absorbed,
    _needed,
    estimation_mask,
    fit_specifications,
)
from econometrics.robustness.engine import AbsorbedPanel, FitRequest, RandomEffectsPanel
from econometrics.robustness.multiverse import Multiverse, Specification


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


# ---------------------------------------------------------------------------- curve test
#: The statistics of the inferential specification curve, in the order they are stored.
CURVE_STATISTICS = ("median_estimate", "share_significant_dominant", "stouffer_z")
#: Column of the resampled units' codes in the data of a null draw.
DRAW_UNIT = "__draw_unit"


def curve_statistics(
    estimates: np.ndarray, pvalues: np.ndarray, level: float = 0.95
) -> tuple[dict[str, float], np.ndarray]:
    """The three statistics of a specification curve, and each one's value as tested.

    The dominant sign is the sign most estimates have (positive on a tie). The median
    estimate and Stouffer's ``Z`` are returned with their own signs; the tested values
    (the second result, in :data:`CURVE_STATISTICS` order) are taken in the dominant
    sign, so that a curve far from zero in either direction is extreme. Stouffer's ``Z``
    sums each specification's z value ``sign(b_k) Phi^-1(1 - p_k / 2)`` (its two-sided
    p-value as a signed normal quantile) over ``sqrt(K)``. Specifications with a missing
    estimate or p-value are left out.

    Examples
    --------
    >>> shown, tested = curve_statistics(np.array([0.5, 0.2, -0.1]), np.array([0.01, 0.2, 0.5]))
    >>> round(shown["median_estimate"], 3), round(shown["share_significant_dominant"], 3)
    (0.2, 0.333)
    >>> round(shown["stouffer_z"], 4), [round(float(v), 4) for v in tested]
    (1.8376, [0.2, 0.3333, 1.8376])
    """
    est, p = np.asarray(estimates, float), np.asarray(pvalues, float)
    keep = np.isfinite(est) & np.isfinite(p)
    est, p = est[keep], p[keep]
    if not len(est):
        nan = float("nan")
        return dict.fromkeys(CURVE_STATISTICS, nan), np.full(3, nan)
    sign = 1.0 if (est > 0).sum() >= (est < 0).sum() else -1.0
    z = np.sign(est) * stats.norm.isf(np.clip(p, 1e-300, 1.0) / 2)
    shown = {
        "median_estimate": float(np.median(est)),
        "share_significant_dominant": float(np.mean((p < 1 - level) & (np.sign(est) == sign))),
        "stouffer_z": float(z.sum() / np.sqrt(len(z))),
    }
    tested = np.array(
        [
            sign * shown["median_estimate"],
            shown["share_significant_dominant"],
            sign * shown["stouffer_z"],
        ]
    )
    return shown, tested


def draw_units(n_units: int, draw: int, seed: int) -> np.ndarray:
    """The units (codes ``0..n_units-1``) of null draw ``draw``, drawn with replacement.

    Each draw has its own stream of the seed, so a draw is the same whatever the order
    the draws are made in, and an interrupted run resumes with the same draws.
    """
    return np.random.default_rng([seed, 18, draw]).integers(0, n_units, n_units)


def resample_units(
    df: pd.DataFrame, ctx: RunContext, picks: np.ndarray
) -> tuple[pd.DataFrame, RunContext]:
    """The rows of the units ``picks`` (codes in the sorted entities of ``df``), each drawn
    copy a unit of its own (column :data:`DRAW_UNIT`), and the context that uses it.

    The entity column keeps its values, so ``drop`` and ``leave-one-out`` samples still
    drop the unit they name (every copy of it).
    """
    codes = np.unique(df[ctx.entity].to_numpy(), return_inverse=True)[1]
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    lengths = counts[picks]
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    rows = order[np.repeat(starts[picks], lengths) + offsets]
    out = df.iloc[rows].reset_index(drop=True)
    out[DRAW_UNIT] = np.repeat(np.arange(len(picks)), lengths)
    return out, replace(ctx, entity=DRAW_UNIT)


def curve_null_draw(
    df: pd.DataFrame,
    chunks: Any,
    ctx: RunContext,
    estimates: np.ndarray,
    outcomes: dict[str, np.ndarray],
    draw: int,
    seed: int,
) -> dict[str, list[float]]:
    """The tested statistics of each outcome's curve on null draw ``draw``.

    ``chunks`` yields lists of specifications (the multiverse, fitted chunk by chunk);
    ``estimates`` holds the observed estimate of every specification (NaN where it was
    not estimated; those are left out), ``outcomes`` the specification indices of each
    outcome. The null is imposed by :func:`~econometrics.robustness.batch.
    fit_specifications` (``y - b_k x``, exactly) on the units of :func:`draw_units`.
    """
    units = int(df[ctx.entity].nunique())
    data, dctx = resample_units(df, ctx, draw_units(units, draw, seed))
    est = np.full(len(estimates), np.nan)
    pv = np.full(len(estimates), np.nan)
    for chunk in chunks:
        chunk = [s for s in chunk if np.isfinite(estimates[s.index])]
        if not chunk:
            continue
        for row in fit_specifications(data, chunk, dctx, null=estimates):
            if row["status"] == "ok":
                est[row["spec_id"]], pv[row["spec_id"]] = row["estimate"], row["pvalue"]
    return {
        name: [float(v) for v in curve_statistics(est[idx], pv[idx], ctx.level)[1]]
        for name, idx in outcomes.items()
    }


@dataclass
class CurveTest:
    """The inferential specification curve: observed statistics and null draws, by outcome."""

    draws: int
    seed: int
    observed: dict[str, dict[str, float]]  # outcome -> statistic -> value (own sign)
    tested: dict[str, np.ndarray]  # outcome -> the statistics in the dominant sign
    null: dict[str, np.ndarray]  # outcome -> (draws, 3) tested statistics under the null

    def pvalues(self, outcome: str) -> dict[str, float]:
        """``(1 + #{T* >= T}) / (B + 1)`` of each statistic of ``outcome``'s curve."""
        null, obs = self.null[outcome], self.tested[outcome]
        ok = np.isfinite(null)
        return {
            name: float((1 + np.sum(null[ok[:, j], j] >= obs[j])) / (ok[:, j].sum() + 1))
            for j, name in enumerate(CURVE_STATISTICS)
        }

    def to_dict(self) -> dict[str, Any]:
        """The numbers written into ``summary.json``."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "resampling": "units with replacement, each specification's effect removed",
            "by_outcome": {
                o: {
                    **self.observed[o],
                    **{f"pvalue_{k}": v for k, v in self.pvalues(o).items()},
                }
                for o in self.observed
            },
        }


def observed_curve(
    results: pd.DataFrame, level: float
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, dict[str, float]], dict[str, np.ndarray]]:
    """What the curve test needs from the observed results: every specification's estimate
    (NaN unless estimated), the specification indices of each outcome, and each
    outcome's statistics (shown and tested)."""
    ok = (results["status"] == "ok").to_numpy()
    estimates = np.full(int(results["spec_id"].max()) + 1, np.nan)
    ids = results["spec_id"].to_numpy()
    estimates[ids[ok]] = results["estimate"].to_numpy(float)[ok]
    outcomes: dict[str, np.ndarray] = {}
    shown: dict[str, dict[str, float]] = {}
    tested: dict[str, np.ndarray] = {}
    for name, group in results[ok].groupby("outcome", sort=True):
        outcomes[str(name)] = group["spec_id"].to_numpy()
        shown[str(name)], tested[str(name)] = curve_statistics(
            group["estimate"].to_numpy(float), group["pvalue"].to_numpy(float), level
        )
    return estimates, outcomes, shown, tested


__all__ = [
    "CURVE_STATISTICS",
    "BaselineInference",
    "CurveTest",
    "baseline_inference",
    "curve_null_draw",
    "curve_statistics",
    "draw_units",
    "observed_curve",
    "permute_within",
    "resample_units",
]
