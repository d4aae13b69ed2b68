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

from econometrics.robustness.report import summarize
from econometrics.robustness.store import CHOICES, FrameRows, ResultRows
from enforcement_lab.io import atomic_path

#: The result columns the curve draws.
CURVE_COLUMNS = ("spec_id", "status", "estimate", "ci_lower", "ci_upper", "pvalue")

#: At most this many distinct values are drawn as rows of one choice dimension.
MAX_ROWS_PER_CHOICE = 12
#: Above this many specifications the curve is drawn as a band and the choice panel as
#: the share of specifications using each choice in bins of the sorted curve.
MAX_MARKERS = 1500
N_BINS = 600
#: Bin edges come from the quantiles of at most this many estimates (a systematic sample).
EDGE_SAMPLE = 200_000
SIGNIFICANT, NOT_SIGNIFICANT = "#1f4e79", "#9db7d5"


class _Layout:
    """Which choice rows the dashboard has, found block by block (as
    :func:`choice_indicators` would on the whole table) and then applied to each block.

    Controls: one row per control not in every control set (names sorted). Other
    dimensions: one row per value, in order of first appearance, at most
    :data:`MAX_ROWS_PER_CHOICE`, left out when the dimension has one value;
    leave-one-out samples are one row. Each choice is parsed once per distinct value and
    spread to the rows by its code, so no string is made per row.
    """

    DIMS = ("outcome", "estimator", "cov", "cluster", "sample", "lags")

    def __init__(self) -> None:
        # every control in some control set, and those in every one: a few names each,
        # whatever the number of sets (2^k of them for all subsets of k controls)
        self.union: set[str] = set()
        self.common: set[str] | None = None
        self.values: dict[str, dict[str, None]] = {d: {} for d in self.DIMS}

    @staticmethod
    def _labels(results: pd.DataFrame, dim: str) -> tuple[np.ndarray, pd.Series]:
        codes, uniq = pd.factorize(results[dim], use_na_sentinel=False)
        labels = pd.Series(uniq, dtype=object).astype(str)
        if dim == "sample":
            labels = labels.str.replace(r"^(leave-one-out:[^=]+)=.*$", r"\1", regex=True)
        return codes, labels

    def update(self, results: pd.DataFrame) -> None:
        """Take note of the choices of a block of rows."""
        if "controls" in results:
            for value in pd.unique(results["controls"].fillna("(none)")):
                parts = set(str(value).split("+"))
                self.union |= parts
                self.common = parts if self.common is None else self.common & parts
        for dim in self.DIMS:
            if dim in results:
                seen = self.values[dim]
                for label in self._labels(results, dim)[1]:
                    if len(seen) > MAX_ROWS_PER_CHOICE:
                        break
                    seen.setdefault(label, None)

    @property
    def controls(self) -> list[str]:
        """The controls with a row (not in every control set)."""
        common = self.common or set()
        return sorted(c for c in self.union if c != "(none)" and c not in common)

    @property
    def columns(self) -> list[str]:
        """The dashboard's rows, ``"dimension: value"``."""
        cols = [f"controls: {c}" for c in self.controls]
        for dim in self.DIMS:
            seen = list(self.values[dim])
            if len(seen) > 1:
                cols += [f"{dim}: {v}" for v in seen[:MAX_ROWS_PER_CHOICE]]
        return cols

    def indicators(self, results: pd.DataFrame) -> pd.DataFrame:
        """The boolean indicator columns of a block of rows."""
        cols: dict[str, np.ndarray] = {}
        if "controls" in results:
            codes, uniq_sets = pd.factorize(results["controls"].fillna("(none)"))
            sets = [s.split("+") for s in uniq_sets]
            for name in self.controls:
                cols[f"controls: {name}"] = np.array([name in s for s in sets], dtype=bool)[codes]
        for dim in self.DIMS:
            seen = list(self.values[dim])
            if dim not in results or len(seen) <= 1:
                continue
            codes, labels = self._labels(results, dim)
            values = labels.to_numpy(object)[codes]
            for v in seen[:MAX_ROWS_PER_CHOICE]:
                cols[f"{dim}: {v}"] = values == v
        return pd.DataFrame(cols, index=results.index)


def choice_indicators(results: pd.DataFrame) -> pd.DataFrame:
    """Boolean indicator columns ``"dimension: value"`` for the choice panel.

    Examples
    --------
    >>> r = pd.DataFrame({"controls": ["a+b", "a", "(none)"], "estimator": ["twoway"] * 3,
    ...                   "sample": ["all", "all", "leave-one-out:iso3=USA"]})
    >>> list(choice_indicators(r).columns)
    ['controls: a', 'controls: b', 'sample: all', 'sample: leave-one-out:iso3']
    """
    layout = _Layout()
    layout.update(results)
    return layout.indicators(results)


def _draw_curve(
    top: Any, bottom: Any, ok: pd.DataFrame, ind: pd.DataFrame, level: float, median: float
) -> None:
    """One outcome's curve (``top``) and its choice dashboard (``bottom``), every
    specification drawn (at most :data:`MAX_MARKERS`)."""
    n = len(ok)
    x = np.arange(n)
    sig = ok["pvalue"].to_numpy(float) < 1 - level
    colors = np.where(sig, SIGNIFICANT, NOT_SIGNIFICANT)
    est = ok["estimate"].to_numpy(float)
    if n:
        top.vlines(x, ok["ci_lower"], ok["ci_upper"], colors=colors, linewidth=0.8, alpha=0.7)
        top.scatter(x, est, c=colors, s=8, zorder=3)
        top.axhline(median, color="#c0392b", linestyle="--", linewidth=1, label="median")
        base = np.flatnonzero(ok["is_baseline"].astype(bool).to_numpy())
        if len(base):
            _mark_baseline(top, bottom, float(base[0]), float(est[base[0]]))
    top.axhline(0.0, color="black", linewidth=0.8)
    for j, col in enumerate(ind.columns):
        mark = ind[col].to_numpy(bool)
        bottom.scatter(x[mark], np.full(mark.sum(), j), marker="|", s=30, c=colors[mark])
    bottom.set_xlabel("specification (sorted by estimate)")
    bottom.set_ylim(max(len(ind.columns), 1) - 0.5, -0.5)


def _mark_baseline(top: Any, bottom: Any, x: float, y: float) -> None:
    top.scatter([x], [y], marker="D", s=40, color="#e67e22", zorder=4, label="baseline")
    bottom.axvline(x, color="#e67e22", linewidth=0.8, alpha=0.6)


class _Bins:
    """One outcome's curve above :data:`MAX_MARKERS` specifications, accumulated in bins
    of the sorted estimates, block by block.

    The bin edges are quantiles of the estimates: of all of them when there are at most
    :data:`EDGE_SAMPLE`, else of a systematic sample (every ``k``-th in index order), so
    the bins are then nearly, not exactly, equal in count. What each bin shows is exact:
    its specifications (estimates from one edge up to the next) span its width on the
    axis, the band covers their intervals (lowest lower bound to highest upper bound), the
    line runs from their smallest to their largest estimate, and the dashboard gives the
    share of them using each choice.
    """

    def __init__(self, sample: np.ndarray, n: int, n_rows: int) -> None:
        sample = np.sort(sample)
        at = (np.arange(N_BINS) * len(sample)) // N_BINS
        self.edges = np.unique(sample[at])
        k = len(self.edges)
        self.n = n
        self.count = np.zeros(k, dtype=np.int64)
        self.low = np.full(k, np.inf)
        self.high = np.full(k, -np.inf)
        self.est_min = np.full(k, np.inf)
        self.est_max = np.full(k, -np.inf)
        self.significant = np.zeros(k, dtype=np.int64)
        self.uses = np.zeros((n_rows, k))
        self.baseline_rank = 0

    def add(self, ok: pd.DataFrame, ind: pd.DataFrame, level: float, base: tuple | None) -> None:
        """Add a block of this outcome's estimated specifications."""
        est = ok["estimate"].to_numpy(float)
        b = np.clip(np.searchsorted(self.edges, est, side="right") - 1, 0, len(self.edges) - 1)
        self.count += np.bincount(b, minlength=len(self.edges))
        np.minimum.at(self.low, b, ok["ci_lower"].to_numpy(float))
        np.maximum.at(self.high, b, ok["ci_upper"].to_numpy(float))
        np.minimum.at(self.est_min, b, est)
        np.maximum.at(self.est_max, b, est)
        sig = ok["pvalue"].to_numpy(float) < 1 - level
        self.significant += np.bincount(b, weights=sig, minlength=len(self.edges)).astype(np.int64)
        for j, col in enumerate(ind.columns):
            self.uses[j] += np.bincount(
                b, weights=ind[col].to_numpy(float), minlength=len(self.edges)
            )
        if base is not None:  # specifications before the baseline in (estimate, spec_id) order
            ids = ok["spec_id"].to_numpy()
            self.baseline_rank += int(
                ((est < base[1]) | ((est == base[1]) & (ids < base[0]))).sum()
            )

    def draw(
        self, top: Any, bottom: Any, columns: list[str], median: float, base: tuple | None
    ) -> None:
        """Draw the binned curve and dashboard."""
        keep = self.count > 0
        count = self.count[keep]
        start = np.cumsum(count) - count
        end = start + count - 1
        x = np.column_stack([start, end]).ravel().astype(float)
        y = np.column_stack([self.est_min[keep], self.est_max[keep]]).ravel()
        steps = np.append(start, self.n) - 0.5
        low, high = self.low[keep], self.high[keep]
        top.fill_between(
            steps,
            np.append(low, low[-1]),
            np.append(high, high[-1]),
            step="post",
            color=NOT_SIGNIFICANT,
            alpha=0.5,
            lw=0,
        )
        top.plot(x, y, color=SIGNIFICANT, linewidth=1)
        majority = np.repeat(2 * self.significant[keep] > count, 2)
        top.fill_between(
            x,
            0,
            y,
            where=majority,
            color=SIGNIFICANT,
            alpha=0.15,
            lw=0,
            label="significant (most of a bin)",
        )
        top.axhline(median, color="#c0392b", linestyle="--", linewidth=1, label="median")
        if base is not None:
            _mark_baseline(top, bottom, float(self.baseline_rank), base[1])
        top.axhline(0.0, color="black", linewidth=0.8)
        rows = max(len(columns), 1)
        if columns:
            share = self.uses[:, keep] / count
            bottom.pcolormesh(
                steps,
                np.arange(len(columns) + 1) - 0.5,
                share,
                cmap="Blues",
                vmin=0,
                vmax=1,
                shading="flat",
            )
        bottom.set_xlabel(
            f"specification (sorted by estimate); choices shown as the share of "
            f"specifications using each, in {len(count)} bins of {self.n:,}"
        )
        bottom.set_ylim(rows - 0.5, -0.5)


def _every(values: np.ndarray, before: int, step: int) -> np.ndarray:
    """Every ``step``-th of a stream's values, in order, from the block ``values`` that
    follows ``before`` values of it: a copy, since a strided view would keep the whole
    block alive (every block of a run, held until the figure is drawn)."""
    return values[(-before) % step :: step].copy()


def _rows_of(results: Any) -> tuple[ResultRows, dict[str, Any] | None]:
    """The rows of a fitted multiverse (or of a table) and, if known, its statistics."""
    if isinstance(results, pd.DataFrame):
        return FrameRows(results), None
    return results.rows, getattr(results, "statistics", None)


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
    rows of the dashboard. Above :data:`MAX_MARKERS` specifications an outcome's curve
    is drawn from :data:`N_BINS` bins of its sorted estimates (:class:`_Bins`): a band,
    a line, and the dashboard as the share of each bin using each choice, as the axis
    label says. The rows are read in blocks, so the figure of ten million
    specifications takes the memory of a block and the bins.

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

    rows, stats = _rows_of(results)
    if level is None:
        level = getattr(getattr(results, "multiverse", None), "level", 0.95)
    if synthetic is None:
        synthetic = bool(getattr(results, "synthetic", False))
    if stats is None or stats.get("level") != level:
        stats = summarize(rows, level)
    columns = [c for c in ("outcome", *CURVE_COLUMNS, *CHOICES) if c != "spec_id"]
    columns = list(dict.fromkeys(columns))
    layout = _Layout()
    counts: dict[str, int] = {}
    samples: dict[str, list[np.ndarray]] = {}
    base: tuple | None = None
    for block in rows.blocks(columns):
        ok = block[(block["status"] == "ok").to_numpy(bool)]
        layout.update(ok.drop(columns="outcome"))
        flag = ok["is_baseline"].to_numpy(bool)
        if flag.any():
            hit = ok[flag].iloc[0]
            base = (int(hit["spec_id"]), float(hit["estimate"]), str(hit["outcome"]))
        for name, est in ok.groupby(ok["outcome"].astype(str), sort=False)["estimate"]:
            before = counts.get(name, 0)
            counts[name] = before + len(est)
            step = max(1, -(-int(stats["by_outcome"][name]["n_estimated"]) // EDGE_SAMPLE))
            samples.setdefault(name, []).append(_every(est.to_numpy(float), before, step))
    outcomes = sorted(counts) or [""]
    names = layout.columns
    dense = {o: counts.get(o, 0) > MAX_MARKERS for o in outcomes}
    small: dict[str, list[pd.DataFrame]] = {o: [] for o in outcomes if not dense[o]}
    bins = {
        o: _Bins(np.concatenate(samples[o]), counts[o], len(names)) for o in outcomes if dense[o]
    }
    for block in rows.blocks(columns):
        ok = block[(block["status"] == "ok").to_numpy(bool)]
        ind = layout.indicators(ok.drop(columns="outcome"))
        outcome = ok["outcome"].astype(str).to_numpy()
        for name in outcomes:
            mine = outcome == name
            if not mine.any():
                continue
            if name in small:
                small[name].append(pd.concat([ok[mine], ind[mine]], axis=1))
            else:
                mine_base = base[:2] if base is not None and base[2] == name else None
                bins[name].add(ok[mine], ind[mine], level, mine_base)
    rows_n = max(len(names), 1)
    n_max = max(counts.values(), default=0)
    width = max(6.0, min(16.0, 4 + n_max / 60)) if len(outcomes) == 1 else 3.2 * len(outcomes) + 2
    fig, axes = plt.subplots(
        2,
        len(outcomes),
        figsize=(min(width, 18.0), 3.4 + 0.22 * rows_n),
        sharex="col",
        gridspec_kw={"height_ratios": [3, max(1.0, 0.22 * rows_n)]},
        squeeze=False,
    )
    for j, name in enumerate(outcomes):
        top, bottom = axes[0, j], axes[1, j]
        o_stats = stats["by_outcome"].get(name, {})
        median = float(o_stats.get("median_estimate", np.nan))
        if name in small:
            parts = small[name]
            sub = pd.concat(parts) if parts else pd.DataFrame(columns=[*columns, *names])
            order = np.lexsort((sub["spec_id"].to_numpy(), sub["estimate"].to_numpy(float)))
            sub = sub.iloc[order].reset_index(drop=True)
            _draw_curve(top, bottom, sub[columns], sub[names], level, median)
        else:
            mine_base = base[:2] if base is not None and base[2] == name else None
            bins[name].draw(top, bottom, names, median, mine_base)
        n = counts.get(name, 0)
        share = o_stats.get("share_significant", float("nan")) if n else float("nan")
        top.set_title(
            (f"{name}: " if name else "") + f"{n:,} specifications, {share:.0%} significant",
            fontsize=9,
        )
        bottom.set_yticks(range(len(names)))
        bottom.set_yticklabels(names if j == 0 else [], fontsize=7)
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
