"""The specification-curve figure: sorted estimates with CIs over a dashboard of choices.

The top panel plots every estimated specification's coefficient, sorted, with its
confidence interval (significant ones dark, the baseline marked, the median as a
dashed line, zero as a solid line). The bottom panel has one row per choice value
(outcome, controls, estimator, covariance, sample, lag) with a mark under each
specification that uses it, so which choices drive the estimate can be read off. Above
:data:`MAX_MARKERS` specifications the intervals become a band and the choice panel a
heat map of the share of specifications using each choice along the sorted curve. Each
outcome has a curve of its own (estimates on different scales are not sorted together).
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
SIGNIFICANT, NOT_SIGNIFICANT = "#1f4e79", "#9db7d5"


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
    # each choice parsed once per distinct value, then spread to the rows by its code, so
    # a table of a million specifications makes no string per row
    if "controls" in results:
        codes, uniq_sets = pd.factorize(results["controls"].fillna("(none)"))
        sets = [s.split("+") for s in uniq_sets]
        names = sorted({c for s in sets for c in s if c != "(none)"})
        for name in names:
            present = np.array([name in s for s in sets], dtype=bool)[codes]
            if not present.all():
                cols[f"controls: {name}"] = present
    for dim in ("outcome", "estimator", "cov", "cluster", "sample", "lags"):
        if dim not in results:
            continue
        codes, uniq_values = pd.factorize(results[dim], use_na_sentinel=False)
        labels = pd.Series(uniq_values, dtype=object).astype(str)
        if dim == "sample":
            labels = labels.str.replace(r"^(leave-one-out:[^=]+)=.*$", r"\1", regex=True)
        values = labels.to_numpy(object)[codes]
        uniq = list(dict.fromkeys(labels))
        if len(uniq) <= 1:
            continue
        for v in uniq[:MAX_ROWS_PER_CHOICE]:
            cols[f"{dim}: {v}"] = values == v
    return pd.DataFrame(cols, index=results.index)


def _draw_curve(top: Any, bottom: Any, ok: pd.DataFrame, ind: pd.DataFrame, level: float) -> None:
    """One outcome's curve (``top``) and its choice dashboard (``bottom``)."""
    n = len(ok)
    x = np.arange(n)
    sig = ok["pvalue"].to_numpy(float) < 1 - level
    colors = np.where(sig, SIGNIFICANT, NOT_SIGNIFICANT)
    est = ok["estimate"].to_numpy(float)
    dense = n > MAX_MARKERS
    if n and not dense:
        top.vlines(x, ok["ci_lower"], ok["ci_upper"], colors=colors, linewidth=0.8, alpha=0.7)
        top.scatter(x, est, c=colors, s=8, zorder=3)
    elif n:  # many specifications: CI band, estimates as a line, significant ones marked
        top.fill_between(x, ok["ci_lower"], ok["ci_upper"], color=NOT_SIGNIFICANT, alpha=0.5, lw=0)
        top.plot(x, est, color=SIGNIFICANT, linewidth=1)
        top.fill_between(
            x, 0, est, where=sig, color=SIGNIFICANT, alpha=0.15, lw=0, label="significant"
        )
    if n:
        top.axhline(
            float(np.median(est)), color="#c0392b", linestyle="--", linewidth=1, label="median"
        )
        base = np.flatnonzero(ok["is_baseline"].astype(bool).to_numpy())
        if len(base):
            top.scatter(
                base, est[base], marker="D", s=40, color="#e67e22", zorder=4, label="baseline"
            )
            bottom.axvline(base[0], color="#e67e22", linewidth=0.8, alpha=0.6)
    top.axhline(0.0, color="black", linewidth=0.8)
    rows = max(len(ind.columns), 1)
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
        bottom.set_xlabel(
            f"specification (sorted by estimate); choices shown as the share of "
            f"specifications using each, in {N_BINS} bins of {n:,}"
        )
    else:
        for j, col in enumerate(ind.columns):
            mark = ind[col].to_numpy(bool)
            bottom.scatter(x[mark], np.full(mark.sum(), j), marker="|", s=30, c=colors[mark])
        bottom.set_xlabel("specification (sorted by estimate)")
    bottom.set_ylim(rows - 0.5, -0.5)


def specification_curve_figure(
    results: Any,
    *,
    level: float | None = None,
    synthetic: bool | None = None,
    title: str | None = None,
) -> Any:
    """The specification curve of a multiverse as a matplotlib figure.

    Two aligned panels per outcome: the estimates sorted, with their confidence
    intervals (significant ones dark, the baseline a diamond, the median a dashed line)
    and beneath them the dashboard of choices, one row per option of each dimension
    with a mark under every specification that uses it (Simonsohn, Simmons and Nelson
    2020, Fig. 2; R ``specr``'s ``plot_specs``). Estimates on different outcomes are
    on different scales, so each outcome has its own curve, side by side, sharing the
    rows of the dashboard. Above :data:`MAX_MARKERS` specifications the curve becomes a
    band and the dashboard a heat map in bins, as the axis label says.

    Parameters
    ----------
    results : MultiverseResults or DataFrame
        A fitted multiverse, or its table (``specifications.csv``); only specifications
        with ``status == "ok"`` are drawn.
    level : float, optional
        Confidence level of the intervals (default: the multiverse's, else 0.95).
    synthetic : bool, optional
        Say "synthetic data" in the title (default: whether the multiverse's data were).
    title : str, optional
        The figure's title.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    table = getattr(results, "results", results)
    if level is None:
        level = getattr(getattr(results, "multiverse", None), "level", 0.95)
    if synthetic is None:
        synthetic = bool(getattr(results, "synthetic", False))
    ok = table[table["status"] == "ok"]
    has_outcome = "outcome" in ok.columns
    outcomes = sorted(ok["outcome"].astype(str).unique()) if has_outcome else [""]
    ind_all = choice_indicators(ok.drop(columns="outcome") if has_outcome else ok)
    rows = max(len(ind_all.columns), 1)
    n_max = max(
        (int((ok["outcome"].astype(str) == o).sum()) if has_outcome else len(ok)) for o in outcomes
    )
    width = max(6.0, min(16.0, 4 + n_max / 60)) if len(outcomes) == 1 else 3.2 * len(outcomes) + 2
    fig, axes = plt.subplots(
        2,
        len(outcomes),
        figsize=(min(width, 18.0), 3.4 + 0.22 * rows),
        sharex="col",
        gridspec_kw={"height_ratios": [3, max(1.0, 0.22 * rows)]},
        squeeze=False,
    )
    n_all, n_sig = 0, 0
    for j, name in enumerate(outcomes):
        sub = ok[ok["outcome"].astype(str) == name] if has_outcome else ok
        order = np.lexsort((sub["spec_id"].to_numpy(), sub["estimate"].to_numpy(float)))
        sub = sub.iloc[order]
        ind = ind_all.loc[sub.index].reset_index(drop=True)
        sub = sub.reset_index(drop=True)
        top, bottom = axes[0, j], axes[1, j]
        _draw_curve(top, bottom, sub, ind, level)
        n_all += len(sub)
        n_sig += int((sub["pvalue"].to_numpy(float) < 1 - level).sum())
        share = (sub["pvalue"] < 1 - level).mean() if len(sub) else float("nan")
        top.set_title(
            (f"{name}: " if name else "") + f"{len(sub):,} specifications, {share:.0%} significant",
            fontsize=9,
        )
        bottom.set_yticks(range(len(ind.columns)))
        bottom.set_yticklabels(list(ind.columns) if j == 0 else [], fontsize=7)
    axes[0, 0].set_ylabel(f"estimate ({level:.0%} CI)")
    axes[0, 0].legend(loc="upper left", frameon=False, fontsize=8)
    label = title or "Specification curve"
    if synthetic:
        label += " (synthetic data)"
    fig.suptitle(label, fontsize=10)
    fig.tight_layout()
    return fig


def plot_specification_curve(
    results: Any,
    path: str | Path,
    *,
    level: float = 0.95,
    synthetic: bool = False,
    title: str | None = None,
) -> Path:
    """Draw the specification curve of ``results`` (:func:`specification_curve_figure`)
    to ``path``, atomically; the format follows the suffix (``.png``, ``.pdf``, ``.svg``).
    """
    import matplotlib.pyplot as plt

    fig = specification_curve_figure(results, level=level, synthetic=synthetic, title=title)
    path = Path(path)
    with atomic_path(path) as tmp:
        kwargs: dict[str, Any] = {"format": path.suffix.lstrip(".") or "png"}
        if kwargs["format"] == "png":
            kwargs["dpi"] = 150
            kwargs["metadata"] = {"Software": None}
        fig.savefig(tmp, **kwargs)
    plt.close(fig)
    return path


__all__ = ["choice_indicators", "plot_specification_curve", "specification_curve_figure"]
