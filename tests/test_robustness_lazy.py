"""Lazy enumeration of a multiverse: its count and any specification without the product
in memory, the same specifications and chunks as the product listed in full, and fits
over a slice."""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from econometrics.robustness.batch import fit_specifications, make_context, prepare_data
from econometrics.robustness.multiverse import Sample, Specification, parse_robustness
from econometrics.robustness.runner import make_chunks
from econometrics.spec import Spec
from enforcement_lab.data.synthetic import twfe_panel

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def listed(mv, frame) -> list[Specification]:
    """Every specification, the Cartesian product listed in full (the reference)."""
    out: list[Specification] = []
    cov_cluster = [
        (c, cl) for c in mv.covs for cl in (mv.clusters if c == "clustered" else ("none",))
    ]
    base = mv._baseline_key()
    for o, c, e, s, (cov, cl), lag in itertools.product(
        mv.outcomes, mv.control_sets, mv.estimators, mv.parsed_samples(frame), cov_cluster, mv.lags
    ):
        key = (o, c, e, s.label, cov, cl, lag)
        out.append(Specification(len(out), o, mv.treatment, c, e, cov, cl, s, lag, key == base))
    if not any(s.is_baseline for s in out):
        o, c, e, _, cov, cl, lag = base
        out.append(
            Specification(len(out), o, mv.treatment, c, e, cov, cl, Sample("all", "all"), lag, True)
        )
    return out


def listed_chunks(specs: list[Specification], size: int) -> list[list[int]]:
    """Chunks of the listed specifications: grouped by (sample, lag, estimator) in order of
    first appearance, each group cut into pieces of ``size``, pieces packed while they fit."""
    groups: dict[tuple, list[int]] = {}
    for s in specs:
        groups.setdefault((s.sample.label, s.lags, s.estimator), []).append(s.index)
    chunks, current = [], []
    for members in groups.values():
        for start in range(0, len(members), size):
            piece = members[start : start + size]
            if current and len(current) + len(piece) > size:
                chunks.append(current)
                current = []
            current = current + piece
    if current:
        chunks.append(current)
    return chunks


FRAME = twfe_panel(6, 5, seed=1, gamma=(0.3, -0.2, 0.1)).reset_index()
BASE = Spec("y", ("treatment", "x1", "x2", "x3"), effects=("entity", "time"), cluster="entity")


CHOICE_TABLES = [
    {
        "controls": "all-subsets",
        "estimators": ["pooled", "twoway", "random"],
        "samples": ["all", "leave-one-out:iso3", "years:1991-1993"],
        "cov": ["clustered", "robust"],
        "cluster": ["entity", "time"],
        "lags": [0, 1],
    },
    {"estimators": ["pooled"], "cov": ["robust"]},  # the baseline is appended
    # no full sample: left-out samples match the appended baseline where its choices are
    {
        "controls": "all-subsets",
        "estimators": ["pooled", "twoway"],
        "samples": ["leave-one-out:iso3"],
    },
    # no full sample and a baseline whose covariance is not among the choices: no match
    {"estimators": ["pooled", "twoway"], "cov": ["robust"], "samples": ["leave-one-out:year"]},
    {"controls": [[], ["x1"]], "samples": ["years:1991-1993", "all"], "lags": [1, 0]},
]


@pytest.mark.parametrize("table", CHOICE_TABLES)
def test_lazy_specifications_and_chunks_equal_the_listed_product(table) -> None:
    mv = parse_robustness(BASE, table)
    lazy = mv.specifications(FRAME)
    ref = listed(mv, FRAME)
    assert len(lazy) == len(ref)
    assert list(lazy) == ref
    assert lazy[-1] == ref[-1] and lazy[3:9] == ref[3:9]
    assert lazy.baseline == next(s for s in ref if s.is_baseline)
    for size in (1, 5, 16, 1000):
        got = [[s.index for s in c] for c in make_chunks(lazy, size)]
        assert got == listed_chunks(ref, size)


@pytest.mark.parametrize("table", CHOICE_TABLES)
def test_choice_columns_and_counterparts_equal_the_listed_rows(table) -> None:
    mv = parse_robustness(BASE, table)
    lazy = mv.specifications(FRAME)
    ref = pd.DataFrame([s.choices() for s in listed(mv, FRAME)])
    for step in (len(lazy), 7, 1):
        got = pd.concat(
            [pd.DataFrame(lazy.choice_columns(a, a + step)) for a in range(0, len(lazy), step)],
            ignore_index=True,
        )
        pd.testing.assert_frame_equal(got, ref)
    # the full-sample counterpart: the row with the same choices but the sample (a join)
    keys = ["outcome", "treatment", "controls", "estimator", "cov", "cluster", "lags"]
    full = ref[ref["sample"] == "all"].set_index(keys)["spec_id"].rename("mate")
    want = ref.join(full, on=keys)["mate"].fillna(-1).astype(np.int64).to_numpy()
    other = (ref["sample"] != "all").to_numpy()
    got = lazy.counterparts(ref["spec_id"].to_numpy())
    np.testing.assert_array_equal(got[other], want[other])


def test_a_multiverse_of_millions_is_counted_and_indexed_in_bounded_memory() -> None:
    """2^16 control sets x 5 estimators x 2 samples x 4 covariances x 3 lags: 7.9 million
    specifications, counted and indexed with a few kilobytes."""
    base = Spec("y", ("d", *(f"c{i}" for i in range(16))), effects=("entity",))
    table = {
        "controls": "all-subsets",
        "estimators": ["pooled", "entity", "time", "twoway", "random"],
        "samples": ["all", "years:1990-2000"],
        "cov": ["clustered", "robust", "unadjusted", "driscoll-kraay"],
        "lags": [0, 1, 2],
    }
    mv = parse_robustness(base, table)
    frame = pd.DataFrame({"year": [1990, 2000]})
    tracemalloc.start()
    specs = mv.specifications(frame)
    n = len(specs)
    picks = [specs[i] for i in (0, 1_234_567, n // 2, n - 1)]
    first_chunk = next(make_chunks(specs, 256))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 2**16 * 5 * 2 * 4 * 3
    assert peak < 2_000_000  # the product listed would take gigabytes
    assert [s.index for s in picks] == [0, 1_234_567, n // 2, n - 1]
    assert len(first_chunk) == 256
    # decoding agrees with the mixed radix of the dimensions (lag fastest)
    s = picks[1]
    rest, lag = divmod(1_234_567, 3)
    rest, cov = divmod(rest, 4)
    rest, sample = divmod(rest, 2)
    rest, est = divmod(rest, 5)
    _, controls = divmod(rest, 2**16)
    assert (s.lags, s.cov, s.sample.label, s.estimator, s.controls) == (
        mv.lags[lag],
        mv.covs[cov],
        mv.samples[sample],
        mv.estimators[est],
        mv.control_sets[controls],
    )


def test_a_slice_of_a_large_multiverse_fits_as_the_same_specifications_alone() -> None:
    frame = twfe_panel(12, 8, seed=2, gamma=(0.3, -0.2, 0.1, 0.4, -0.1, 0.2)).reset_index()
    for j in range(4, 12):  # more controls: 2^11 subsets x 4 x 2 x 3 = 49,152 specifications
        frame[f"z{j}"] = np.random.default_rng(j).normal(size=len(frame))
    controls = ("x1", "x2", "x3", "x4", "x5", *(f"z{j}" for j in range(4, 10)))
    base = Spec("y", ("treatment", *controls), effects=("entity", "time"))
    mv = parse_robustness(
        base,
        {
            "controls": "all-subsets",
            "estimators": ["pooled", "entity", "time", "twoway"],
            "samples": ["all", "years:1991-1996"],
            "cov": ["clustered", "robust", "unadjusted"],
        },
    )
    data = prepare_data(mv, frame)
    specs = mv.specifications(data)
    assert len(specs) == 2**11 * 4 * 2 * 3
    ctx = make_context(mv)
    piece = specs[30_000:30_040]
    rows = pd.DataFrame(fit_specifications(data, piece, ctx))
    assert list(rows["spec_id"]) == list(range(30_000, 30_040))
    alone = pd.DataFrame([fit_specifications(data, [s], ctx)[0] for s in piece[::7]])
    pd.testing.assert_frame_equal(rows.iloc[::7].reset_index(drop=True), alone)
