"""Panel builder: one-to-one merges, lags/leads by year, event indicators, errors named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_lab.data import synthetic
from enforcement_lab.data.panel import EVENTS, build_panel
from enforcement_lab.errors import DataError


def _frame(rows):
    return pd.DataFrame(rows, columns=["iso3", "year", "v"])


def test_lags_leads_values():
    a = _frame([("FRA", 2000, 1.0), ("FRA", 2001, 2.0), ("FRA", 2003, 4.0), ("DEU", 2001, 10.0)])
    b = pd.DataFrame(
        {
            "iso3": ["FRA"] * 8 + ["DEU"],
            "year": [*range(1998, 2006), 2000],
            "x": [100.0 + y for y in range(1998, 2006)] + [7.0],
        }
    )
    p = build_panel("a:v", ["b:x"], frames={"a": a, "b": b}, lags=2, leads=1)
    assert p.index.tolist() == [("DEU", 2001), ("FRA", 2000), ("FRA", 2001), ("FRA", 2003)]
    assert p.loc[("FRA", 2000), "x_lag1"] == 1999 + 100 and p.loc[("FRA", 2000), "x_lag2"] == 2098
    assert p.loc[("FRA", 2003), "x_lead1"] == 2104
    assert p.loc[("DEU", 2001), "x_lag1"] == 7.0 and np.isnan(p.loc[("DEU", 2001), "x"])
    assert np.isnan(p.loc[("DEU", 2001), "x_lag2"])


def test_lags_against_groupby_shift_on_balanced_synthetic():
    df = synthetic.twfe_panel(n_entities=20, n_years=12, seed=4)
    p = build_panel("syn:y", ["syn:x1", "syn:treatment"], frames={"syn": df}, lags=3, leads=2)
    for col in ("x1", "treatment"):
        for k in (1, 2, 3):
            expected = df.groupby(level="iso3")[col].shift(k)
            pd.testing.assert_series_equal(
                p[f"{col}_lag{k}"], expected.rename(f"{col}_lag{k}"), check_names=True
            )
        for k in (1, 2):
            expected = df.groupby(level="iso3")[col].shift(-k)
            pd.testing.assert_series_equal(p[f"{col}_lead{k}"], expected.rename(f"{col}_lead{k}"))
    assert p.attrs["synthetic"] is True
    assert len(p) == len(df)  # one-to-one: no rows gained or lost


def test_merge_is_one_to_one_and_left():
    df = synthetic.twfe_panel(n_entities=8, n_years=5, seed=1)
    other = df[["x2"]].reset_index().sample(frac=0.6, random_state=0)
    p = build_panel("syn:y", ["other:x2"], frames={"syn": df, "other": other}, years=(1991, 1993))
    assert len(p) == 8 * 3 and p.index.is_unique
    got = p["x2"].dropna()
    assert len(got) == other[(other.year >= 1991) & (other.year <= 1993)].shape[0]
    np.testing.assert_array_equal(got.to_numpy(), df.loc[got.index, "x2"].to_numpy())


def test_duplicates_named():
    a = _frame([("FRA", 2000, 1.0), ("FRA", 2000, 2.0), ("DEU", 2000, 3.0)])
    with pytest.raises(
        DataError, match=r"'a' has duplicate \(iso3, year\) rows: \[\('FRA', 2000\)\]"
    ):
        build_panel("a:v", frames={"a": a})


def test_conflicting_merge_named():
    a = _frame([("FRA", 2000, 1.0), ("DEU", 2000, 3.0)])
    b = _frame([("FRA", 2000, 1.0), ("DEU", 2000, 4.0)])
    with pytest.raises(DataError, match=r"conflicting merge: column 'v'.*\('DEU', 2000\)"):
        build_panel("a:v", ["b:v"], frames={"a": a, "b": b})
    same = build_panel("a:v", ["b:v"], frames={"a": a, "b": a.copy()})  # agreeing: coalesced
    assert same.columns.tolist() == ["v"]


def test_unknown_columns_events_and_sources_named():
    a = _frame([("FRA", 2000, 1.0)])
    with pytest.raises(DataError, match=r"unknown columns: 'nope' in 'a', 'zip' in 'a'"):
        build_panel("a:v", ["a:nope", "a:zip"], frames={"a": a})
    with pytest.raises(DataError, match=r"unknown column 'w' in source 'a'"):
        build_panel("a:w", frames={"a": a})
    with pytest.raises(DataError, match="unknown events"):
        build_panel("a:v", events=["gsp_everything"], frames={"a": a})
    with pytest.raises(DataError, match="lags/leads name unknown columns"):
        build_panel("a:v", lags={"q": 1}, frames={"a": a})


def test_unknown_countries_reported():
    a = pd.DataFrame(
        {"country": ["France", "Narnia", "Atlantis"], "year": [2000] * 3, "v": [1.0, 2, 3]}
    )
    with pytest.raises(DataError, match=r"2 unknown countries: Atlantis, Narnia"):
        build_panel("a:v", frames={"a": a})
    p = build_panel("a:v", frames={"a": a}, strict=False)
    assert p.index.tolist() == [("FRA", 2000)]
    assert p.attrs["unmatched"] == {"a": ["Atlantis", "Narnia"]}
    b = _frame([("FRA", 2000, 1.0), ("ABC", 2000, 2.0)])
    with pytest.raises(DataError, match="unknown countries: ABC"):
        build_panel("b:v", frames={"b": b})


def test_gsp_events_follow_their_rule():
    grid = pd.DataFrame(
        [(i, y, 0.0) for i in ("BGD", "CHL", "FRA") for y in range(1984, 2016)],
        columns=["iso3", "year", "v"],
    )
    p = build_panel(
        "g:v",
        events=[
            "gsp_review_open",
            "gsp_years_since_review",
            "gsp_sanction",
            "gsp_reinstated",
            "gsp_petition",
        ],
        frames={"g": grid},
        lags=1,
    )
    bgd = p.loc["BGD"]
    # Bangladesh: petition 2007, review opened 2007, closed 2013 with suspension
    assert bgd.loc[2007:2013, "gsp_review_open"].eq(1).all()
    assert bgd.loc[[2006, 2014], "gsp_review_open"].eq(0).all()
    assert (
        bgd.loc[2007, "gsp_years_since_review"] == 0
        and bgd.loc[2010, "gsp_years_since_review"] == 3
    )
    assert pd.isna(bgd.loc[2006, "gsp_years_since_review"])
    assert bgd["gsp_sanction"].sum() == 1 and bgd.loc[2013, "gsp_sanction"] == 1
    assert bgd.loc[2007, "gsp_petition"] == 1
    assert bgd.loc[2008, "gsp_review_open_lag1"] == 1 and bgd.loc[2007, "gsp_review_open_lag1"] == 0
    chl = p.loc["CHL"]  # petition 1986, closed 1987 (suspension, the act's year), reinstated 1991
    assert (
        chl.loc[1986:1987, "gsp_review_open"].eq(1).all() and chl.loc[1991, "gsp_reinstated"] == 1
    )
    assert chl.loc[1988, "gsp_review_open"] == 0 and chl.loc[1987, "gsp_sanction"] == 1
    assert p.loc["FRA", "gsp_review_open"].eq(0).all()
    rules = {e["event"]: e for e in p.attrs["provenance"]["events"]}
    assert rules["gsp_review_open"]["dataset"] == "gsp_worker_rights_reviews"
    assert rules["gsp_review_open"]["rule"] == EVENTS["gsp_review_open"].rule


def test_registry_panel_provenance(mirror_dir):
    p = build_panel(
        "CIRI_WORKER",
        ["polity2", "logGDPpc", "ciri:ASSN"],
        years=(1990, 2000),
        lags=1,
        mirror=mirror_dir,
    )
    assert p.index.names == ["iso3", "year"] and p.index.is_unique
    assert p.index.get_level_values("year").min() == 1990
    assert p["polity2_lag1"].notna().sum() > 1000
    srcs = {s["source"]: s for s in p.attrs["provenance"]["sources"]}
    assert set(srcs) == {"labour_rights_controls_panel", "ciri"}
    assert srcs["ciri"]["files"][0]["sha256"].startswith("861e105a")
    # the lag of 1990 comes from 1989 data outside the window
    usa = p.loc[("USA", 1990), "polity2_lag1"]
    assert usa == 10.0


@pytest.mark.parametrize(
    "event", [e for e, d in EVENTS.items() if d.dataset == "ilo_supervisory_events"]
)
def test_ilo_events_count_the_coded_rows(event):
    from enforcement_lab.data.shipped import list_shipped, load_shipped

    if "ilo_supervisory_events" not in list_shipped():
        pytest.skip("ilo_supervisory_events not shipped yet")
    ev = load_shipped("ilo_supervisory_events")
    column, value = {
        "ilo_cas_case": ("body", "cas_individual_case"),
        "ilo_cas_special_paragraph": ("body", "cas_special_paragraph"),
        "ilo_ceacr_observation": ("body", "ceacr_observation"),
        "ilo_article_26": ("body", "article_26_complaint"),
        "ilo_commission_of_inquiry": ("body", "commission_of_inquiry"),
        "ilo_case_of_progress": ("event_type", "case_of_progress"),
    }[event]
    rows = ev[(ev[column] == value) & ev["iso3"].notna() & ev["year"].notna()]
    expected = set(zip(rows["iso3"], rows["year"].astype(int), strict=True))
    isos = sorted(set(ev["iso3"].dropna()))
    grid = pd.DataFrame(
        [(i, y, 0.0) for i in isos for y in range(1919, 2026)], columns=["iso3", "year", "v"]
    )
    p = build_panel("g:v", events=[event], frames={"g": grid})
    hits = set(p.index[p[event] == 1])
    assert hits == expected


def test_cas_2012_is_missing_not_zero():
    """The Conference Committee processed no cases in 2012: the CAS indicators are <NA> for
    every country that year (and in the lags and leads that reach it), never 0."""
    from enforcement_lab.data.shipped import load_shipped

    ev = load_shipped("ilo_supervisory_events")
    no_cases = ev[ev["event_type"] == "no_cases_processed"]
    assert set(no_cases["year"]) == {2012}
    grid = pd.DataFrame(
        [(i, y, 0.0) for i in ("MEX", "KHM", "FRA") for y in range(2010, 2017)],
        columns=["iso3", "year", "v"],
    )
    cas = ["ilo_cas_case", "ilo_cas_special_paragraph"]
    p = build_panel("g:v", events=[*cas, "ilo_article_26"], frames={"g": grid}, lags=1, leads=1)
    y = p.index.get_level_values("year")
    for col in cas:
        assert p.loc[y == 2012, col].isna().all(), col
        assert p.loc[y != 2012, col].notna().all(), col
        assert p.loc[y == 2013, f"{col}_lag1"].isna().all()
        assert p.loc[y == 2011, f"{col}_lead1"].isna().all()
        assert p.loc[y == 2014, f"{col}_lag1"].eq(0).all()
    assert p.loc[("MEX", 2015), "ilo_cas_case"] == 1  # cas_mexico_c087_2015
    assert p.loc[("MEX", 2016), "ilo_cas_case_lag1"] == 1
    assert p.loc[("MEX", 2011), "ilo_cas_case"] == 0
    assert p.loc[y == 2012, "ilo_article_26"].eq(0).all()  # only the CAS indicators are missing
    rules = {e["event"]: e for e in p.attrs["provenance"]["events"]}
    assert rules["ilo_cas_case"]["missing_years"] == [2012]
    assert rules["ilo_article_26"]["missing_years"] == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["FRA", "DEU", "CHL"]), st.integers(1990, 2005), st.floats(-5, 5)
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 3),
)
def test_lags_equal_a_year_lookup_on_random_unbalanced_panels(rows, k):
    df = pd.DataFrame(rows, columns=["iso3", "year", "x"]).drop_duplicates(["iso3", "year"])
    p = build_panel(
        "d:x", ["e:x2"], frames={"d": df, "e": df.rename(columns={"x": "x2"})}, lags=k, leads=k
    )
    lookup = {(i, y): v for i, y, v in df.itertuples(index=False)}
    for (i, y), row in p.iterrows():
        for j in range(1, k + 1):
            for col, yy in ((f"x2_lag{j}", y - j), (f"x2_lead{j}", y + j)):
                want = lookup.get((i, yy), np.nan)
                assert (np.isnan(want) and np.isnan(row[col])) or row[col] == want
