"""Inference for the baseline of a multiverse: a placebo test and a wild cluster bootstrap.

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

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from econometrics.robustness.batch import RunContext, _drop_absorbed, _needed, estimation_mask
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
        re_panel = RandomEffectsPanel(*(np.asarray(a) for a in args))
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
        panel = AbsorbedPanel(*(np.asarray(a) for a in args), base.effects)
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


__all__ = ["BaselineInference", "baseline_inference", "permute_within"]
