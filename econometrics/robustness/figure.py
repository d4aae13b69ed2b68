"""The specification-curve figure: sorted estimates with CIs over a panel of choices.

The top panel plots every estimated specification's coefficient, sorted, with its
confidence interval (significant ones dark, the baseline marked, the median as a
dashed line, zero as a solid line). The bottom panel has one row per choice value
(outcome, controls, estimator, covariance, sample, lag) with a mark under each
specification that uses it, so which choices drive the estimate can be read off. Above
:data:`MAX_MARKERS` specifications the intervals become a band and the choice panel a
heat map of the share of specifications using each choice along the sorted curve.
Choice dimensions with one value are left out; dimensions with many values (e.g. one
sample per left-out country, or all control subsets) are summarised: leave-one-out
samples as one row, control sets by the presence of each control.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from enforcement_lab.io import atomic_path

#: At most this many distinct values are drawn as rows of one choice dimension.
MAX_ROWS_PER_CHOICE = 12
#: Above this many specifications the curve is drawn as a band and the choice panel as
#: the share of specifications using each choice in bins of the sorted curve.
MAX_MARKERS = 1500
N_BINS = 600


def choice_indicators(results: pd.DataFrame) -> pd.DataFrame:
    """Boolean indicator columns ``"dimension: value"`` for the choice panel.

    Examples
    --------
    >>> r = pd.DataFrame({"controls": ["a+b", "a", "(none)"], "estimator": ["twoway"] * 3,
    ...                   "sample": ["all", "all", "leave-one-out:iso3=USA"]})
    >>> list(choice_indicators(r).columns)
    ['controls: a', 'controls: b', 'sample: all', 'sample: leave-one-out:iso3']
    """
    cols: dict[str, np.ndarray] = {}
    if "controls" in results:
        sets = results["controls"].fillna("(none)").str.split("+")
        names = sorted({c for s in sets for c in s if c != "(none)"})
        for name in names:
            present = sets.map(lambda s, name=name: name in s).to_numpy(bool)
            if not present.all():
                cols[f"controls: {name}"] = present
    for dim in ("outcome", "estimator", "cov", "cluster", "sample", "lags"):
        if dim not in results:
            continue
        values = results[dim].astype(str)
        if dim == "sample":
            values = values.str.replace(r"^(leave-one-out:[^=]+)=.*$", r"\1", regex=True)
        uniq = list(dict.fromkeys(values))
        if len(uniq) <= 1:
            continue
        for v in uniq[:MAX_ROWS_PER_CHOICE]:
            cols[f"{dim}: {v}"] = (values == v).to_numpy(bool)
    return pd.DataFrame(cols, index=results.index)


def plot_specification_curve(
    results: pd.DataFrame,
    path: str | Path,
    *,
    level: float = 0.95,
    synthetic: bool = False,
    title: str | None = None,
) -> Path:
    """Draw the specification curve of ``results`` (``specifications.csv``) to ``path``.

    Only specifications with ``status == "ok"`` are drawn. The file is written
    atomically; its format follows the suffix (``.png``, ``.pdf``, ``.svg``).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    ok = results[results["status"] == "ok"].sort_values("estimate", kind="mergesort")
    ok = ok.reset_index(drop=True)
    ind = choice_indicators(ok)
    n = len(ok)
    x = np.arange(n)
    alpha = 1 - level
    sig = ok["pvalue"].to_numpy(float) < alpha
    rows = max(len(ind.columns), 1)
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(max(6.0, min(16.0, 4 + n / 60)), 3.2 + 0.22 * rows),
        sharex=True,
        gridspec_kw={"height_ratios": [3, max(1.0, 0.22 * rows)]},
    )
    colors = np.where(sig, "#1f4e79", "#9db7d5")
    est = ok["estimate"].to_numpy(float)
    dense = n > MAX_MARKERS
    if n and not dense:
        top.vlines(x, ok["ci_lower"], ok["ci_upper"], colors=colors, linewidth=0.8, alpha=0.7)
        top.scatter(x, est, c=colors, s=8, zorder=3)
    elif n:  # many specifications: CI band, estimates as a line, significant ones marked
        top.fill_between(x, ok["ci_lower"], ok["ci_upper"], color="#9db7d5", alpha=0.5, lw=0)
        top.plot(x, est, color="#1f4e79", linewidth=1)
        top.fill_between(
            x, 0, est, where=sig, color="#1f4e79", alpha=0.15, lw=0, label="significant"
        )
    if n:
        top.axhline(
            float(np.median(est)), color="#c0392b", linestyle="--", linewidth=1, label="median"
        )
        base = ok.index[ok["is_baseline"].astype(bool)]
        if len(base):
            top.scatter(
                base, est[base], marker="D", s=40, color="#e67e22", zorder=4, label="baseline"
            )
    top.axhline(0.0, color="black", linewidth=0.8)
    top.set_ylabel(f"estimate ({level:.0%} CI)")
    label = title or "Specification curve"
    if synthetic:
        label += " (synthetic data)"
    top.set_title(
        f"{label}: {n} specifications, {sig.mean() if n else float('nan'):.0%} significant"
    )
    top.legend(loc="upper left", frameon=False, fontsize=8)
    if dense and len(ind.columns):
        bins = np.minimum((x * N_BINS) // n, N_BINS - 1)
        counts = np.bincount(bins, minlength=N_BINS)
        share = np.vstack(
            [
                np.bincount(bins, weights=ind[c].to_numpy(float), minlength=N_BINS)
                for c in ind.columns
            ]
        ) / np.maximum(counts, 1)
        bottom.imshow(
            share,
            aspect="auto",
            cmap="Blues",
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=(-0.5, n - 0.5, rows - 0.5, -0.5),
        )
    else:
        for j, col in enumerate(ind.columns):
            mark = ind[col].to_numpy(bool)
            bottom.scatter(x[mark], np.full(mark.sum(), j), marker="|", s=30, c=colors[mark])
    bottom.set_yticks(range(len(ind.columns)))
    bottom.set_yticklabels(list(ind.columns), fontsize=7)
    bottom.set_ylim(rows - 0.5, -0.5)
    bottom.set_xlabel("specification (sorted by estimate)")
    fig.tight_layout()
    path = Path(path)
    with atomic_path(path) as tmp:
        kwargs: dict[str, Any] = {"format": path.suffix.lstrip(".") or "png"}
        if kwargs["format"] == "png":
            kwargs["dpi"] = 150
            kwargs["metadata"] = {"Software": None}
        fig.savefig(tmp, **kwargs)
    plt.close(fig)
    return path


__all__ = ["choice_indicators", "plot_specification_curve"]
