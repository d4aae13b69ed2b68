"""The report of a multiverse: summary, influential units.

:func:`summarize` gives the share significant, the share with the baseline's sign and the
median estimate; :func:`influential_units` how much dropping each unit of a
``leave-one-out`` sample moves the estimate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


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


__all__ = ["influential_units", "summarize"]
