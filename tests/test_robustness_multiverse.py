"""Parsing and expanding the [robustness] table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econometrics.robustness.batch import fit_specifications, make_context, prepare_data
from econometrics.robustness.multiverse import parse_robustness
from econometrics.spec import Spec
from enforcement_lab.data.synthetic import twfe_panel
from enforcement_lab.errors import SpecError

BASE = Spec("y", ("treatment", "x1", "x2", "x3"), effects=("entity", "time"))


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    df = twfe_panel(12, 6, seed=4, gamma=(0.3, -0.2, 0.1)).reset_index()
    df.loc[np.random.default_rng(0).random(len(df)) < 0.1, "x3"] = np.nan
    return df


def test_counts_multiply_and_baseline_is_flagged_once(frame) -> None:
    mv = parse_robustness(
        BASE,
        {
            "controls": "all-subsets",
            "estimators": ["pooled", "twoway"],
            "samples": ["all", "leave-one-out:iso3", "years:1991-1994"],
            "cov": ["clustered", "robust"],
            "cluster": ["entity", "time"],
            "lags": [0, 1],
        },
    )
    specs = mv.specifications(frame)
    # 8 subsets x 2 estimators x (1 + 12 + 1) samples x (2 clustered + robust) x 2 lags
    assert len(specs) == 8 * 2 * 14 * 3 * 2
    base = [s for s in specs if s.is_baseline]
    assert len(base) == 1
    b = base[0]
    assert (b.controls, b.estimator, b.sample.label, b.cov, b.cluster, b.lags) == (
        ("x1", "x2", "x3"),
        "twoway",
        "all",
        "clustered",
        "entity",
        0,
    )
    assert [s.index for s in specs] == list(range(len(specs)))
    assert len({s.choices()["spec_id"] for s in specs}) == len(specs)


def test_baseline_added_when_not_crossed(frame) -> None:
    mv = parse_robustness(BASE, {"estimators": ["pooled"], "cov": ["robust"]})
    specs = mv.specifications(frame)
    assert len(specs) == 2 and specs[-1].is_baseline and specs[-1].estimator == "twoway"
    assert not specs[0].is_baseline


def test_listed_control_sets_and_outcome_variants(frame) -> None:
    mv = parse_robustness(BASE, {"controls": [[], ["x1"], ["x2", "x3"]], "outcomes": ["y", "x9"]})
    assert mv.control_sets == ((), ("x1",), ("x2", "x3")) and mv.outcomes == ("y", "x9")
    assert mv.control_pool == ("x1", "x2", "x3")
    with pytest.raises(SpecError, match=r"robustness\.outcomes: unknown column"):
        mv.validate(pd.DataFrame(columns=["iso3", "year", "y", "treatment", "x1", "x2", "x3"]))
    with pytest.raises(SpecError, match=r"robustness\.controls: .*also outcome"):
        parse_robustness(BASE, {"controls": [["x1"]], "outcomes": ["y", "x1"]})
    with pytest.raises(SpecError, match="contains the treatment"):
        parse_robustness(BASE, {"controls": [["treatment"]]})
    with pytest.raises(SpecError, match="2\\^17"):
        many = Spec("y", ("d", *(f"c{i}" for i in range(17))))
        parse_robustness(many, {"controls": "all-subsets"})


def test_common_sample_holds_n_fixed(frame) -> None:
    for common, expect_equal in ((True, True), (False, False)):
        mv = parse_robustness(BASE, {"controls": "all-subsets", "common_sample": common})
        data = prepare_data(mv, frame)
        rows = pd.DataFrame(fit_specifications(data, mv.specifications(data), make_context(mv)))
        assert (rows["nobs"].nunique() == 1) is expect_equal
    complete = frame[["y", "treatment", "x1", "x2", "x3"]].dropna()
    assert rows["nobs"].min() == len(complete) and rows["nobs"].max() == len(frame)


def test_sample_definitions(frame) -> None:
    mv = parse_robustness(
        BASE,
        {
            "samples": [
                "drop:region=" + frame["region"].iloc[0],
                "years:1991-1992",
                "leave-one-out:iso3",
            ]
        },
    )
    samples = mv.parsed_samples(frame)
    assert (
        samples[0].mask(frame, "year").sum() == (frame["region"] != frame["region"].iloc[0]).sum()
    )
    assert samples[1].mask(frame, "year").sum() == 2 * 12
    assert len(samples) == 2 + 12
    assert samples[2].label == "leave-one-out:iso3=" + sorted(frame["iso3"])[0]
    assert samples[2].mask(frame, "year").sum() == len(frame) - 6


def test_drop_sample_on_a_nullable_column_with_missing_values(frame) -> None:
    """A nullable Int64 column with pd.NA (as the registry loads `oecd`): NA is never dropped,
    and the results equal those on the same column as float64."""
    f = frame.copy()
    f["oecd"] = pd.array([None if i % 7 == 0 else i % 2 for i in range(len(f))], dtype="Int64")
    mv = parse_robustness(BASE, {"controls": "all-subsets", "samples": ["all", "drop:oecd=1"]})
    data = prepare_data(mv, f)
    mask = mv.parsed_samples(data)[1].mask(data, "year")
    assert mask.dtype == bool
    assert mask.sum() == int((f["oecd"].isna() | (f["oecd"] == 0)).sum())
    rows = pd.DataFrame(fit_specifications(data, mv.specifications(data), make_context(mv)))
    as_float = prepare_data(mv, f.astype({"oecd": "float64"}))
    ref = pd.DataFrame(fit_specifications(as_float, mv.specifications(as_float), make_context(mv)))
    pd.testing.assert_frame_equal(rows, ref)
    assert (rows["status"] == "ok").all() and rows["nobs"].nunique() > 1
