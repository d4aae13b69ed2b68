"""A run's report is made from its parts log in bounded memory: reading the log back into
compact columns, the summary and the influential units take a few hundred bytes per
specification (a table of Python strings took several kilobytes), and the table read back
equals the one built from the rows directly."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pandas as pd

from econometrics.robustness.batch import RESULT_COLUMNS
from econometrics.robustness.report import influential_units, summarize
from econometrics.robustness.runner import PartsLog

#: Bytes per specification the report may take beyond its fixed cost (measured: about
#: 450 for the parts log, summary and influence together; a table with a Python string
#: of its own in each text cell takes well over 1,000).
MAX_BYTES_PER_SPEC = 1_000
N_UNITS = 20


def synthetic_rows(n: int, seed: int = 0) -> list[dict]:
    """``n`` synthetic result rows: groups of one full-sample and ``N_UNITS``
    leave-one-out specifications, two outcomes, a few failed."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        group, k = divmod(i, N_UNITS + 1)
        failed = i % 97 == 5
        rows.append(
            {
                "spec_id": i,
                "outcome": "y1" if group % 2 else "y2",
                "treatment": "d",
                "controls": f"x{group}",
                "n_controls": 1,
                "estimator": "twoway",
                "cov": "clustered",
                "cluster": "entity",
                "sample": "all" if k == 0 else f"leave-one-out:iso3=U{k:02d}",
                "lags": 0,
                "is_baseline": i == 0,
                "estimate": float("nan") if failed else float(rng.normal()),
                "std_error": 1.0,
                "ci_lower": -1.0,
                "ci_upper": 1.0,
                "pvalue": float("nan") if failed else float(rng.uniform()),
                "nobs": 100,
                "nclusters": 20,
                "status": "no observations" if failed else "ok",
                "note": "",
            }
        )
    return rows


def write_log(path, rows: list[dict]) -> None:
    log = PartsLog(path)
    try:
        # in shuffled chunks, as parallel workers finish them, with one chunk written twice
        starts = list(range(0, len(rows), 100))
        order = np.random.default_rng(1).permutation(len(starts))
        for j in [*order, order[0]]:
            log.write(rows[starts[j] : starts[j] + 100])
    finally:
        log.close()


def report_peak(path, n: int) -> int:
    """Peak traced bytes of reading the log back and making the summary and influence."""
    tracemalloc.start()
    try:
        table = PartsLog.frame(path, n, block_size=500)
        summarize(table)
        influential_units(table)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_parts_log_reads_back_the_table(tmp_path):
    rows = synthetic_rows(1_000)
    write_log(tmp_path / "parts.jsonl", rows)
    got = PartsLog.frame(tmp_path / "parts.jsonl", len(rows), block_size=128)
    want = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    pd.testing.assert_frame_equal(got, want)
    assert json.dumps(summarize(got), default=float) == json.dumps(summarize(want), default=float)
    pd.testing.assert_frame_equal(influential_units(got), influential_units(want))
    # without the count, the arrays grow as the log is read
    pd.testing.assert_frame_equal(PartsLog.frame(tmp_path / "parts.jsonl", block_size=64), want)


def test_report_memory_does_not_grow_with_the_count(tmp_path):
    peaks = {}
    for n in (1_000, 10_000):
        path = tmp_path / f"parts{n}.jsonl"
        write_log(path, synthetic_rows(n))
        peaks[n] = report_peak(path, n)
    per_spec = (peaks[10_000] - peaks[1_000]) / 9_000
    print(f"{per_spec:.0f} bytes per specification")
    assert per_spec < MAX_BYTES_PER_SPEC, (peaks, per_spec)
