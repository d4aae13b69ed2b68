"""The report of a multiverse: summary, influential units, the files of a run.

:func:`summarize` gives the share significant, the share with the baseline's sign and the
estimates of each outcome; :func:`influential_units` how much dropping each unit of a
``leave-one-out`` sample moves the estimate; :class:`MultiverseResults` holds a fitted
multiverse and writes its files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econometrics.robustness.inference import BaselineInference, CurveTest
from econometrics.robustness.multiverse import Multiverse
from enforcement_lab.io import atomic_path, atomic_write_text

#: The baseline's columns in the summary.
BASELINE_COLUMNS = ("spec_id", "estimate", "std_error", "ci_lower", "ci_upper", "pvalue", "nobs")


def _estimate_statistics(
    est: np.ndarray, pvalue: np.ndarray, base_est: float, alpha: float
) -> dict[str, Any]:
    """Shares and estimate range of the estimated specifications (one outcome): their
    estimates ``est`` and p-values ``pvalue``."""
    sig = pvalue < alpha
    same = np.sign(est) == np.sign(base_est)
    nan = float("nan")
    n = len(est)
    return {
        "n_estimated": n,
        "share_significant": float(sig.mean()) if n else nan,
        "share_same_sign": float(same.mean()) if n else nan,
        "share_significant_same_sign": float((sig & same).mean()) if n else nan,
        "median_estimate": float(np.median(est)) if n else nan,
        "min_estimate": float(est.min()) if n else nan,
        "max_estimate": float(est.max()) if n else nan,
    }


def summarize(results: pd.DataFrame, level: float = 0.95) -> dict[str, Any]:
    """Share significant, share with the baseline's sign, median estimate, baseline.

    Estimates on different outcomes are on different scales (CIRI's 0-2 and Mosley's
    0-37 scores, say), so they are never pooled: ``by_outcome`` holds the statistics of
    each outcome's specifications, and the top-level median, minimum and maximum are
    those of the baseline's outcome (named by ``outcome``). The counts and the shares
    (significant, with the baseline's sign) are over every specification.

    Computed on three columns as arrays (no copy of the table), so the memory it needs
    is a few numbers per specification.
    """
    ok = (results["status"] == "ok").to_numpy(bool)
    base = results[results["is_baseline"].to_numpy(bool)]
    base_est = float(base["estimate"].iloc[0]) if len(base) else float("nan")
    alpha = 1 - level
    est = results["estimate"].to_numpy(float)
    pvalue = results["pvalue"].to_numpy(float)
    pooled = _estimate_statistics(est[ok], pvalue[ok], base_est, alpha)
    outcome = str(base["outcome"].iloc[0]) if len(base) else None
    codes, names = pd.factorize(results["outcome"])
    by_outcome = {}
    for name, code in sorted((str(v), c) for c, v in enumerate(names)):
        mine_rows = codes == code
        rows = mine_rows & ok
        by_outcome[name] = {"n_specifications": int(mine_rows.sum())} | _estimate_statistics(
            est[rows], pvalue[rows], base_est, alpha
        )
    n_ok = int(ok.sum())
    mine = by_outcome.get(outcome or "", pooled)
    return {
        "n_specifications": len(results),
        "n_estimated": n_ok,
        "n_failed": len(results) - n_ok,
        "level": level,
        "share_significant": pooled["share_significant"],
        "share_same_sign": pooled["share_same_sign"],
        "share_significant_same_sign": pooled["share_significant_same_sign"],
        "outcome": outcome,
        "median_estimate": mine["median_estimate"],
        "min_estimate": mine["min_estimate"],
        "max_estimate": mine["max_estimate"],
        "by_outcome": by_outcome,
        "baseline": {
            k: (base[k].iloc[0].item() if hasattr(base[k].iloc[0], "item") else base[k].iloc[0])
            for k in (*BASELINE_COLUMNS, "status")
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
    # only the columns needed, so the copies below are a few numbers per specification
    ok = results["status"] == "ok"
    results = results[[*_CHOICE_KEYS, "sample", "estimate", "pvalue", "is_baseline"]]
    loo = results[results["sample"].str.startswith("leave-one-out:") & ok]
    full = results[(results["sample"] == "all") & ok]
    if loo.empty or full.empty:
        return pd.DataFrame()
    ref = full.set_index(list(_CHOICE_KEYS))[["estimate", "pvalue", "is_baseline"]]
    m = loo.join(ref, on=list(_CHOICE_KEYS), rsuffix="_all", how="inner")
    if m.empty:
        return pd.DataFrame()
    # parsed once per distinct sample (not per row: a row refers to its sample's strings)
    codes, samples = pd.factorize(m["sample"])
    parts = pd.Index(samples).str.slice(len("leave-one-out:")).str.split("=", n=1)
    m = m.assign(
        column=parts.str[0].to_numpy(object)[codes],
        unit=parts.str[1].to_numpy(object)[codes],
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


def summary_markdown(summary: dict[str, Any], synthetic: bool = False) -> str:
    """The summary as Markdown (``summary.md``)."""
    b = summary.get("baseline") or {}
    lines = [
        "# Robustness summary" + (" (synthetic data)" if synthetic else ""),
        "",
        f"- specifications: {summary['n_specifications']} ({summary['n_estimated']} estimated, {summary['n_failed']} not estimable)",
        f"- share significant at {1 - summary['level']:.2g}: {summary['share_significant']:.3f}",
        f"- share with the baseline's sign: {summary['share_same_sign']:.3f}",
    ]
    by_outcome = summary.get("by_outcome") or {}
    if len(by_outcome) > 1:
        lines.append("- by outcome (estimates are on each outcome's own scale):")
        for name, s in by_outcome.items():
            lines.append(
                f"  - {name}: {s['n_specifications']} specifications, median estimate "
                f"{s['median_estimate']:.4g} (range {s['min_estimate']:.4g} to "
                f"{s['max_estimate']:.4g}), share significant {s['share_significant']:.3f}"
            )
    else:
        lines.append(
            f"- median estimate: {summary['median_estimate']:.4g} (range {summary['min_estimate']:.4g} to {summary['max_estimate']:.4g})"
        )
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
    curve = summary.get("curve_test")
    if curve:
        lines.append(
            f"- inferential specification curve ({curve['draws']} draws under the null, "
            "Simonsohn, Simmons and Nelson 2020):"
        )
        for name, c in curve["by_outcome"].items():
            lines.append(
                f"  - {name}: median estimate {c['median_estimate']:.4g} "
                f"(p = {c['pvalue_median_estimate']:.3g}), share significant in the dominant "
                f"sign {c['share_significant_dominant']:.3f} "
                f"(p = {c['pvalue_share_significant_dominant']:.3g}), Stouffer Z "
                f"{c['stouffer_z']:.3g} (p = {c['pvalue_stouffer_z']:.3g})"
            )
    return "\n".join(lines) + "\n"


@dataclass
class MultiverseResults:
    """The fitted multiverse: every specification's row, the baseline's inference, the
    inferential specification curve, and the report built from them.

    Made by :meth:`econometrics.robustness.multiverse.Multiverse.fit` (in memory) and by
    :func:`econometrics.robustness.runner.run_robustness` (from a spec file, streamed to
    an output folder).
    """

    multiverse: Multiverse
    results: pd.DataFrame
    inference: BaselineInference
    curve_test: CurveTest | None = None
    synthetic: bool = False
    statistics: dict[str, Any] = field(init=False)
    influence: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        mv, inf = self.multiverse, self.inference
        stats = summarize(self.results, mv.level)
        stats["synthetic_data"] = self.synthetic
        stats["inference"] = {
            "placebo_permutations": len(inf.placebo_estimates),
            "placebo_pvalue": inf.placebo_pvalue,
            "placebo_share_significant": inf.placebo_share_significant,
            "bootstrap_reps": inf.bootstrap_reps,
            "bootstrap_weights": mv.bootstrap_weights,
            "bootstrap_cluster": inf.bootstrap_cluster,
            "bootstrap_pvalue": inf.bootstrap_pvalue,
            "bootstrap_tstat": inf.bootstrap_tstat,
            "seed": mv.seed,
            "notes": inf.notes,
        }
        if self.curve_test is not None:
            stats["curve_test"] = self.curve_test.to_dict()
        self.statistics = stats
        self.influence = influential_units(self.results, mv.level)

    def table(self) -> pd.DataFrame:
        """One row per specification (``specifications.csv``): choices, estimate, SE, CI,
        p-value, N, clusters, status."""
        return self.results

    def summary(self) -> str:
        """The summary as Markdown: shares, estimates by outcome, baseline, inference."""
        return summary_markdown(self.statistics, self.synthetic)

    def headline(self) -> list[str]:
        """A few lines saying what the multiverse found."""
        s = self.statistics
        tag = " (synthetic data)" if self.synthetic else ""
        lines = [
            f"{s['n_specifications']} specifications{tag}: {s['share_significant']:.1%} "
            f"significant, {s['share_same_sign']:.1%} with the baseline's sign"
        ]
        for name, o in s["by_outcome"].items():
            lines.append(
                f"  {name}: median estimate {o['median_estimate']:.4g} "
                f"({o['share_significant']:.1%} significant)"
            )
        inf = s["inference"]
        if inf["placebo_permutations"] or inf["bootstrap_reps"]:
            lines.append(
                f"baseline: placebo p = {inf['placebo_pvalue']:.3g}, "
                f"wild cluster bootstrap p = {inf['bootstrap_pvalue']:.3g}"
            )
        for name, c in s.get("curve_test", {}).get("by_outcome", {}).items():
            lines.append(
                f"curve test ({name}): p = {c['pvalue_median_estimate']:.3g} (median), "
                f"{c['pvalue_share_significant_dominant']:.3g} (share significant), "
                f"{c['pvalue_stouffer_z']:.3g} (Stouffer Z)"
            )
        if not self.influence.empty:
            top = self.influence.head(3)
            delta = top["baseline_delta"].where(top["baseline_delta"].notna(), top["max_abs_delta"])
            units = ", ".join(f"{u} ({d:+.3g})" for u, d in zip(top["unit"], delta, strict=True))
            lines.append(f"most influential units (leave-one-out): {units}")
        return lines

    def figure(self, **kwargs: Any) -> Any:
        """The specification curve (:func:`econometrics.robustness.figure.
        specification_curve_figure`); keyword arguments are passed on."""
        from econometrics.robustness.figure import specification_curve_figure

        return specification_curve_figure(self, **kwargs)

    def write(self, out_dir: str | Path, *, figure: bool = True) -> Path:
        """Write ``specifications.csv``, ``summary.json``, ``summary.md`` and, where they
        apply, ``influential_units.csv``, ``placebo.csv`` and ``specification_curve.png``
        into ``out_dir`` (created), each atomically. A file this run does not write is
        removed, so a folder never mixes two runs."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        with atomic_path(out / "specifications.csv") as tmp:
            self.results.to_csv(tmp, index=False, float_format="%.17g")
        if not self.influence.empty:
            with atomic_path(out / "influential_units.csv") as tmp:
                self.influence.to_csv(tmp, index=False, float_format="%.17g")
        else:
            (out / "influential_units.csv").unlink(missing_ok=True)
        placebo = self.inference.placebo_estimates
        if not len(placebo):
            (out / "placebo.csv").unlink(missing_ok=True)
        if not figure:
            (out / "specification_curve.png").unlink(missing_ok=True)
        if len(placebo):
            with atomic_path(out / "placebo.csv") as tmp:
                pd.DataFrame({"permutation": np.arange(len(placebo)), "estimate": placebo}).to_csv(
                    tmp, index=False, float_format="%.17g"
                )
        atomic_write_text(
            out / "summary.json", json.dumps(self.statistics, indent=2, default=float) + "\n"
        )
        atomic_write_text(out / "summary.md", self.summary())
        if figure:
            from econometrics.robustness.figure import plot_specification_curve

            plot_specification_curve(
                self.results,
                out / "specification_curve.png",
                level=self.multiverse.level,
                synthetic=self.synthetic,
            )
        return out


__all__ = ["MultiverseResults", "influential_units", "summarize", "summary_markdown"]
