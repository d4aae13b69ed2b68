"""The report of a multiverse: summary, influential units, the files of a run.

:func:`summarize` gives the share significant, the share with the baseline's sign and the
estimates of each outcome; :func:`influential_units` how much dropping each unit of a
``leave-one-out`` sample moves the estimate; :class:`MultiverseResults` holds a fitted
multiverse and writes its files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econometrics.robustness.inference import BaselineInference, CurveTest
from econometrics.robustness.multiverse import Multiverse
from econometrics.robustness.store import FrameRows, ResultRows
from enforcement_lab.errors import EnforcementLabError
from enforcement_lab.io import atomic_path, atomic_write_text

#: The baseline's columns in the summary.
BASELINE_COLUMNS = ("spec_id", "estimate", "std_error", "ci_lower", "ci_upper", "pvalue", "nobs")
#: At most this many numbers are held at once while a median is selected.
SELECT_CAP = 1 << 20


def _select(values: Callable[[], Iterator[np.ndarray]], k: int, lo: float, hi: float) -> float:
    """The ``k``-th smallest (from 0) of the numbers ``values()`` yields, all in
    ``[lo, hi]``, exactly, holding at most :data:`SELECT_CAP` of them at once.

    Each pass over the stream counts the candidates, still in ``[lo, hi]``; if they are
    few they are sorted, else a histogram of 1,024 equal bins over ``[lo, hi]`` narrows
    the interval to the bin holding rank ``k``. Where the bins no longer split the
    candidates (they span a few floating-point numbers) the distinct values are counted.
    """
    below = 0  # candidates known to be smaller than lo
    while True:
        if lo == hi:
            return lo
        count = sum(int(((v >= lo) & (v <= hi)).sum()) for v in values())
        if count <= SELECT_CAP:
            cand = np.concatenate([v[(v >= lo) & (v <= hi)] for v in values()] or [np.empty(0)])
            cand.sort()
            return float(cand[k - below])
        edges = np.unique(np.linspace(lo, hi, 1025))
        hist = np.zeros(len(edges) - 1, dtype=np.int64)
        for v in values():
            hist += np.histogram(v[(v >= lo) & (v <= hi)], bins=edges)[0]
        cum = np.cumsum(hist)
        j = int(np.searchsorted(cum, k - below, side="right"))
        if hist[j] == count:  # no split: few distinct values left, counted
            tally: dict[float, int] = {}
            for v in values():
                u, c = np.unique(v[(v >= lo) & (v <= hi)], return_counts=True)
                for value, n in zip(u.tolist(), c.tolist(), strict=True):
                    tally[value] = tally.get(value, 0) + n
            order = sorted(tally)
            ranks = np.cumsum([tally[x] for x in order])
            return float(order[int(np.searchsorted(ranks, k - below, side="right"))])
        below += int(cum[j - 1]) if j else 0
        lo, hi = float(edges[j]), float(edges[j + 1])


def _median(values: Callable[[], Iterator[np.ndarray]], n: int, lo: float, hi: float) -> float:
    """The median of ``n`` numbers streamed by ``values()`` (as :func:`numpy.median`)."""
    if n % 2:
        return _select(values, n // 2, lo, hi)
    a, b = _select(values, n // 2 - 1, lo, hi), _select(values, n // 2, lo, hi)
    return float(np.mean([a, b]))


@dataclass
class _Tally:
    """Counts and extremes of one outcome's specifications, accumulated block by block."""

    n_specifications: int = 0
    n_estimated: int = 0
    nan: bool = False
    minimum: float = np.inf
    maximum: float = -np.inf
    n_significant: int = 0
    sign: np.ndarray = field(default_factory=lambda: np.zeros((2, 3), dtype=np.int64))

    def add(self, est: np.ndarray, significant: np.ndarray, n_specifications: int) -> None:
        """Add a block's estimated specifications (``est``, whether ``significant``)."""
        self.n_specifications += n_specifications
        self.n_estimated += len(est)
        if not len(est):
            return
        self.n_significant += int(significant.sum())
        for j, part in enumerate((est < 0, est == 0, est > 0)):  # by sign (NaN in none)
            self.sign[0, j] += int(part.sum())
            self.sign[1, j] += int((part & significant).sum())
        if np.isnan(est).any():  # the median and range are then NaN, as numpy's
            self.nan = True
            return
        self.minimum = min(self.minimum, float(est.min()))
        self.maximum = max(self.maximum, float(est.max()))

    def statistics(self, base_est: float, median: float) -> dict[str, Any]:
        """Shares and estimate range (the :func:`summarize` entries of one outcome)."""
        n = self.n_estimated
        nan = float("nan")
        same = 1 + int(np.sign(base_est)) if not np.isnan(base_est) else None
        n_same = int(self.sign[0, same]) if same is not None else 0
        n_sig_same = int(self.sign[1, same]) if same is not None else 0
        return {
            "n_estimated": n,
            "share_significant": self.n_significant / n if n else nan,
            "share_same_sign": n_same / n if n else nan,
            "share_significant_same_sign": n_sig_same / n if n else nan,
            "median_estimate": median,
            "min_estimate": (nan if self.nan else self.minimum) if n else nan,
            "max_estimate": (nan if self.nan else self.maximum) if n else nan,
        }

    def __iadd__(self, other: _Tally) -> _Tally:
        self.n_specifications += other.n_specifications
        self.n_estimated += other.n_estimated
        self.nan |= other.nan
        self.n_significant += other.n_significant
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.sign = self.sign + other.sign
        return self


def _rows(results: pd.DataFrame | ResultRows) -> ResultRows:
    return results if isinstance(results, ResultRows) else FrameRows(results)


def summarize(results: pd.DataFrame | ResultRows, level: float = 0.95) -> dict[str, Any]:
    """Share significant, share with the baseline's sign, median estimate, baseline.

    Estimates on different outcomes are on different scales (CIRI's 0-2 and Mosley's
    0-37 scores, say), so they are never pooled: ``by_outcome`` holds the statistics of
    each outcome's specifications, and the top-level median, minimum and maximum are
    those of the baseline's outcome (named by ``outcome``). The counts and the shares
    (significant, with the baseline's sign) are over every specification.

    Streamed over the rows in blocks: counts, signs and extremes in one pass, each
    outcome's median exactly by selection (:func:`_select`), so the memory it needs does
    not grow with the number of specifications.
    """
    rows = _rows(results)
    alpha = 1 - level
    tallies: dict[str, _Tally] = {}
    base: pd.DataFrame | None = None
    for b in rows.blocks(["outcome", "status", "estimate", "pvalue", "is_baseline"]):
        flag = b["is_baseline"].to_numpy(bool)
        if base is None and flag.any():
            base = rows.take(
                b["spec_id"].to_numpy()[flag][:1], ["outcome", *BASELINE_COLUMNS[1:], "status"]
            )
        ok = (b["status"] == "ok").to_numpy(bool)
        est = b["estimate"].to_numpy(float)
        sig = b["pvalue"].to_numpy(float) < alpha
        codes, names = pd.factorize(b["outcome"])
        for code, name in enumerate(names):
            mine = codes == code
            tallies.setdefault(str(name), _Tally()).add(
                est[mine & ok], sig[mine & ok], int(mine.sum())
            )
    base_est = float(base["estimate"].iloc[0]) if base is not None else float("nan")
    outcome = str(base["outcome"].iloc[0]) if base is not None else None
    by_outcome = {}
    for name in sorted(tallies):
        t = tallies[name]
        by_outcome[name] = {"n_specifications": t.n_specifications} | t.statistics(
            base_est, _outcome_median(rows, name, t)
        )
    pooled = _Tally()
    for t in tallies.values():
        pooled += t
    shares = pooled.statistics(base_est, float("nan"))
    n_ok = pooled.n_estimated
    mine = by_outcome.get(outcome or "", shares)
    return {
        "n_specifications": len(rows),
        "n_estimated": n_ok,
        "n_failed": len(rows) - n_ok,
        "level": level,
        "share_significant": shares["share_significant"],
        "share_same_sign": shares["share_same_sign"],
        "share_significant_same_sign": shares["share_significant_same_sign"],
        "outcome": outcome,
        "median_estimate": mine["median_estimate"],
        "min_estimate": mine["min_estimate"],
        "max_estimate": mine["max_estimate"],
        "by_outcome": by_outcome,
        "baseline": {
            k: (base[k].iloc[0].item() if hasattr(base[k].iloc[0], "item") else base[k].iloc[0])
            for k in (*BASELINE_COLUMNS, "status")
        }
        if base is not None
        else None,
    }


def _outcome_median(rows: ResultRows, outcome: str, tally: _Tally) -> float:
    """The exact median of the estimated specifications of ``outcome``."""
    if not tally.n_estimated or tally.nan:
        return float("nan")

    def values() -> Iterator[np.ndarray]:
        for b in rows.blocks(["outcome", "status", "estimate"]):
            keep = ((b["status"] == "ok") & (b["outcome"] == outcome)).to_numpy(bool)
            yield b["estimate"].to_numpy(float)[keep]

    return _median(values, tally.n_estimated, tally.minimum, tally.maximum)


def _kahan(total: float, compensation: float, values: np.ndarray) -> tuple[float, float]:
    """``total + sum(values)`` by compensated (Kahan) summation, value by value: the sum
    pandas' grouped mean takes, so a mean accumulated block by block is the same number."""
    for v in values.tolist():
        y = v - compensation
        t = total + y
        compensation = t - total - y
        total = t
    return total, compensation


def influential_units(results: pd.DataFrame | ResultRows, level: float = 0.95) -> pd.DataFrame:
    """Leave-one-out influence: each dropped unit against the full-sample estimate.

    For every ``leave-one-out:COL=UNIT`` specification, ``delta`` is its estimate minus
    that of the same choices on the full sample (``all``). Per unit: the baseline's
    delta (when the baseline's choices were crossed with the sample), the mean and
    largest absolute delta, and how often dropping the unit changes significance (at
    ``1 - level``).

    Streamed over the rows in blocks, each left-out specification matched to its
    full-sample counterpart by :meth:`ResultRows.counterparts`; what is held is a few
    numbers per unit.
    """
    rows = _rows(results)
    alpha = 1 - level
    # per unit: n, sum |delta|, max |delta|, flips, the sum's compensation
    acc: dict[tuple[str, str], list[float]] = {}
    base: dict[tuple[str, str], tuple[float, float]] = {}
    for b in rows.blocks(["sample", "status", "estimate", "pvalue"]):
        # each distinct sample tested once (no ``.str`` accessor: it would tie the block
        # into a reference cycle, kept until the garbage collector runs)
        codes, samples = pd.factorize(b["sample"])
        is_loo = np.array([str(v).startswith("leave-one-out:") for v in samples], dtype=bool)
        loo = is_loo[codes] & (b["status"] == "ok").to_numpy(bool) if len(samples) else codes < 0
        if not loo.any():
            continue
        b = b[loo]
        mates = rows.counterparts(b["spec_id"].to_numpy())
        b, mates = b[mates >= 0], mates[mates >= 0]
        ref = rows.take(mates, ["status", "estimate", "pvalue", "is_baseline"])
        ok = (ref["status"] == "ok").to_numpy(bool)
        b, ref = b[ok], ref[ok]
        est = b["estimate"].to_numpy(float)
        delta = est - ref["estimate"].to_numpy(float)
        flips = (b["pvalue"].to_numpy(float) < alpha) != (ref["pvalue"].to_numpy(float) < alpha)
        is_base = ref["is_baseline"].to_numpy(bool)
        # parsed once per distinct sample (not per row)
        codes, samples = pd.factorize(b["sample"])
        for code, sample in enumerate(samples):
            column, unit = str(sample)[len("leave-one-out:") :].split("=", 1)
            mine = codes == code
            a = np.abs(delta[mine])
            cur = acc.setdefault((column, unit), [0, 0.0, -np.inf, 0, 0.0])
            cur[0] += int(mine.sum())
            cur[1], cur[4] = _kahan(cur[1], cur[4], a)
            cur[2] = max(cur[2], float(a.max()))
            cur[3] += int(flips[mine].sum())
            hit = np.flatnonzero(mine & is_base)
            if len(hit):
                base[(column, unit)] = (float(est[hit[0]]), float(delta[hit[0]]))
    if not acc:
        return pd.DataFrame()
    keys = sorted(acc)
    agg = pd.DataFrame(
        {
            "n_specs": np.array([acc[k][0] for k in keys], dtype=np.int64),
            "mean_abs_delta": [acc[k][1] / acc[k][0] for k in keys],
            "max_abs_delta": [acc[k][2] for k in keys],
            "share_significance_flips": [acc[k][3] / acc[k][0] for k in keys],
            "baseline_estimate": [base.get(k, (np.nan, np.nan))[0] for k in keys],
            "baseline_delta": [base.get(k, (np.nan, np.nan))[1] for k in keys],
        },
        index=pd.MultiIndex.from_tuples(keys, names=["column", "unit"]),
    )
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


class MultiverseResults:
    """The fitted multiverse: every specification's row, the baseline's inference, the
    inferential specification curve, and the report built from them.

    Made by :meth:`econometrics.robustness.multiverse.Multiverse.fit` (in memory, from a
    table) and by :func:`econometrics.robustness.runner.run_robustness` (from a spec
    file, its rows on disk: :class:`~econometrics.robustness.store.StoreRows`). The
    statistics, the influence table, the files and the figure are computed by streaming
    over the rows; only :attr:`results` gathers them into one table, when asked.
    """

    def __init__(
        self,
        multiverse: Multiverse,
        results: pd.DataFrame | ResultRows,
        inference: BaselineInference,
        curve_test: CurveTest | None = None,
        synthetic: bool = False,
    ) -> None:
        self.multiverse = multiverse
        self.rows = _rows(results)
        self.inference = inference
        self.curve_test = curve_test
        self.synthetic = synthetic
        self._results = results if isinstance(results, pd.DataFrame) else None
        mv, inf = self.multiverse, self.inference
        stats = summarize(self.rows, mv.level)
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
        self.statistics: dict[str, Any] = stats
        self.influence: pd.DataFrame = influential_units(self.rows, mv.level)

    @property
    def results(self) -> pd.DataFrame:
        """Every specification's row as one table (gathered on first use)."""
        if self._results is None:
            try:
                self._results = self.rows.frame()
            except FileNotFoundError as exc:
                raise EnforcementLabError(
                    f"the rows of this multiverse were on disk ({exc.filename}), which is "
                    "gone: read the results before removing the run's folder"
                ) from None
        return self._results

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
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                for i, block in enumerate(self.rows.blocks()):
                    block.to_csv(fh, index=False, header=i == 0, float_format="%.17g")
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
                self,
                out / "specification_curve.png",
                level=self.multiverse.level,
                synthetic=self.synthetic,
            )
        return out


__all__ = ["MultiverseResults", "influential_units", "summarize", "summary_markdown"]
