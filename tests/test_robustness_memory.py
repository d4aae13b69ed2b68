"""A run's report is made from its parts log in bounded memory.

The log is read into a :class:`ResultStore` (binary columns on disk); the summary, the
influence of each left-out unit, ``specifications.csv`` and the figure stream over it
in blocks. These tests check that what they compute from the store equals what they
compute from the table in memory (exactly: medians by selection, means by the same
compensated sum as pandas), that the store reads back the table, and that the memory the
report takes does not grow with the number of specifications.
"""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from econometrics.robustness import report
from econometrics.robustness.batch import RESULT_COLUMNS
from econometrics.robustness.figure import specification_curve_figure
from econometrics.robustness.multiverse import parse_robustness
from econometrics.robustness.report import influential_units, summarize
from econometrics.robustness.runner import PartsLog
from econometrics.robustness.store import ResultStore, StoreRows
from econometrics.spec import Spec

N_UNITS = 20


def multiverse_specs(n_controls: int, samples: list[str], n_units: int = N_UNITS):
    """The specifications (not fitted) of a multiverse over ``n_units`` countries."""
    frame = pd.DataFrame(
        {
            "iso3": [f"U{k:02d}" for k in range(n_units)],
            "year": 2000,
            "y": 0.0,
            "y2": 0.0,
            "d": 0.0,
            **{f"x{j}": 0.0 for j in range(n_controls)},
        }
    )
    base = Spec("y", ("d", *(f"x{j}" for j in range(n_controls))), effects=("entity",))
    mv = parse_robustness(
        base,
        {
            "outcomes": ["y", "y2"],
            "controls": "all-subsets",
            "estimators": ["pooled", "entity"],
            "cov": ["robust", "clustered"],
            "samples": samples,
        },
    )
    return mv.specifications(frame)


def fake_rows(specs, seed: int = 0) -> list[dict]:
    """A result row per specification: random estimates with many ties (the two
    covariances share an estimate), rounded so that medians fall on repeated values, a
    few failures, and the outcome ``y2`` on another scale."""
    rng = np.random.default_rng(seed)
    n = len(specs)
    est = np.round(rng.normal(0.2, 0.3, n), 2)
    est[1::2] = est[::2][: n // 2]  # pairs of equal estimates
    rows = []
    for i in range(n):
        s = specs[i]
        scale = 10.0 if s.outcome == "y2" else 1.0
        failed = i % 97 == 5 and not s.is_baseline
        e = float("nan") if failed else float(est[i] * scale)
        rows.append(
            s.choices()
            | {
                "estimate": e,
                "std_error": 0.1 * scale,
                "ci_lower": e - 0.2 * scale,
                "ci_upper": e + 0.2 * scale,
                "pvalue": float("nan") if failed else float(rng.uniform(0, 0.2)),
                "nobs": 100 - i % 3,
                "nclusters": 20,
                "status": "no observations" if failed else "ok",
                "note": "" if i % 5 else "dropped x0 (absorbed)",
            }
        )
    return rows


def store_of(tmp_path, specs, rows: list[dict], chunk: int = 100) -> ResultStore:
    """The rows through a parts log, in shuffled chunks (as parallel workers finish
    them, one written twice), into a store."""
    path = tmp_path / "parts.jsonl"
    log = PartsLog(path)
    starts = list(range(0, len(rows), chunk))
    order = np.random.default_rng(1).permutation(len(starts))
    for j in [*order, order[0]]:
        log.write(rows[starts[j] : starts[j] + chunk])
    log.close()
    store = ResultStore(tmp_path / "store", len(specs))
    for block in PartsLog.blocks(path, 700):
        store.write(block)
    return store


@pytest.mark.parametrize(
    "samples", [["all", "leave-one-out:iso3"], ["leave-one-out:iso3"], ["all"]]
)
def test_store_reports_equal_the_table(tmp_path, monkeypatch, samples) -> None:
    specs = multiverse_specs(4, samples)
    rows = fake_rows(specs)
    table = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    stored = StoreRows(store_of(tmp_path, specs, rows), specs)
    monkeypatch.setattr("econometrics.robustness.store.BLOCK_SIZE", 97)
    monkeypatch.setattr(report, "SELECT_CAP", 50)  # the median by narrowing, not by sorting
    pd.testing.assert_frame_equal(stored.frame(), table)
    pd.testing.assert_frame_equal(
        stored.block(10, 20, ["estimate"]),
        table[["spec_id", "estimate"]][10:20].reset_index(drop=True),
    )
    got, want = summarize(stored), summarize(table)
    assert json.dumps(got, default=float) == json.dumps(want, default=float)
    ok = table[table["status"] == "ok"]
    for outcome, s in got["by_outcome"].items():
        assert s["median_estimate"] == np.median(ok.loc[ok["outcome"] == outcome, "estimate"])
    pd.testing.assert_frame_equal(influential_units(stored), influential_units(table))
    if "leave-one-out:iso3" in samples and "all" in samples:
        assert len(influential_units(table)) == N_UNITS
    a = specification_curve_figure(table)
    b = specification_curve_figure(pd.DataFrame(stored.frame()))
    assert [ax.get_title() for ax in a.axes] == [ax.get_title() for ax in b.axes]


@pytest.mark.parametrize("seed", range(40))
def test_selection_is_the_exact_order_statistic(monkeypatch, seed) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    kind = seed % 4
    if kind == 0:
        x = rng.normal(size=n)
    elif kind == 1:  # few distinct values: the bins stop splitting them
        x = rng.integers(-3, 4, size=n).astype(float)
    elif kind == 2:  # values a few floating-point steps apart
        x = 1.0 + rng.integers(0, 5, size=n) * np.finfo(float).eps
    else:  # heavy tails and a cluster
        x = np.concatenate([rng.standard_cauchy(n // 2), np.full(n - n // 2, 0.25)])
    monkeypatch.setattr(report, "SELECT_CAP", 16)

    def values():
        yield from np.array_split(x, 7)

    order = np.sort(x)
    for k in {0, n // 3, n // 2, n - 1}:
        assert report._select(values, k, float(x.min()), float(x.max())) == order[k]
    assert report._median(values, n, float(x.min()), float(x.max())) == np.median(x)


def report_peak(tmp_path, n_controls: int) -> tuple[int, int]:
    """Peak traced bytes of the summary, influence and CSV over a stored multiverse."""
    specs = multiverse_specs(n_controls, ["all", "leave-one-out:iso3"])
    store = store_of(tmp_path, specs, fake_rows(specs), chunk=1_000)
    rows = StoreRows(store, specs)
    tracemalloc.start()
    try:
        summarize(rows)
        influential_units(rows)
        with open(tmp_path / "specifications.csv", "w") as fh:
            for i, block in enumerate(rows.blocks()):
                block.to_csv(fh, index=False, header=i == 0)
        return len(specs), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_report_memory_does_not_grow_with_the_count(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("econometrics.robustness.store.BLOCK_SIZE", 4_096)
    monkeypatch.setattr(report, "SELECT_CAP", 4_096)  # a median holds at most this many
    (n_small, small), (n_large, large) = (
        report_peak(tmp_path / "small", 5),
        report_peak(tmp_path / "large", 8),
    )
    assert n_large >= 8 * n_small
    # eight times the specifications: the peak grows by less than a tenth (the bytes per
    # specification a table would take are well over 100)
    print(f"{n_small}: {small / 2**20:.1f} MiB, {n_large}: {large / 2**20:.1f} MiB")
    assert large < 1.1 * small + 2 * (n_large - n_small), (small, large)


def test_an_estimated_nan_leaves_the_other_shares_counted() -> None:
    """A NaN estimate marked ok makes the median and range NaN (as numpy's) but the other
    specifications of its block still count in the shares."""
    specs = multiverse_specs(2, ["all"])
    table = pd.DataFrame(fake_rows(specs), columns=list(RESULT_COLUMNS))
    table["status"] = "ok"
    table.loc[3, "estimate"] = np.nan
    got = summarize(table)["by_outcome"]["y"]
    mine = table[table["outcome"] == "y"]
    base = table.loc[table["is_baseline"], "estimate"].item()
    same = np.sign(mine["estimate"]) == np.sign(base)
    assert got["share_same_sign"] == same.mean() > 0
    assert np.isnan(got["median_estimate"]) and np.isnan(got["min_estimate"])
