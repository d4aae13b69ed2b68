"""Panel builder: one-to-one merges, lags/leads by year, event indicators, errors named."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_lab.data import synthetic
from enforcement_lab.data.panel import EVENTS, MergeLossWarning, build_panel
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
    assert p.loc[("FRA", 2000), "L1.x"] == 1999 + 100 and p.loc[("FRA", 2000), "L2.x"] == 2098
    assert p.loc[("FRA", 2003), "F1.x"] == 2104
    assert p.loc[("DEU", 2001), "L1.x"] == 7.0 and np.isnan(p.loc[("DEU", 2001), "x"])
    assert np.isnan(p.loc[("DEU", 2001), "L2.x"])


def test_lags_against_groupby_shift_on_balanced_synthetic():
    df = synthetic.twfe_panel(n_entities=20, n_years=12, seed=4)
    p = build_panel("syn:y", ["syn:x1", "syn:treatment"], frames={"syn": df}, lags=3, leads=2)
    for col in ("x1", "treatment"):
        for k in (1, 2, 3):
            expected = df.groupby(level="iso3")[col].shift(k)
            pd.testing.assert_series_equal(
                p[f"L{k}.{col}"], expected.rename(f"L{k}.{col}"), check_names=True
            )
        for k in (1, 2):
            expected = df.groupby(level="iso3")[col].shift(-k)
            pd.testing.assert_series_equal(p[f"F{k}.{col}"], expected.rename(f"F{k}.{col}"))
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
    assert bgd.loc[2008, "L1.gsp_review_open"] == 1 and bgd.loc[2007, "L1.gsp_review_open"] == 0
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
    assert p["L1.polity2"].notna().sum() > 1000
    srcs = {s["source"]: s for s in p.attrs["provenance"]["sources"]}
    assert set(srcs) == {"labour_rights_controls_panel", "ciri"}
    assert srcs["ciri"]["files"][0]["sha256"].startswith("861e105a")
    # the lag of 1990 comes from 1989 data outside the window
    usa = p.loc[("USA", 1990), "L1.polity2"]
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
        assert p.loc[y == 2013, f"L1.{col}"].isna().all()
        assert p.loc[y == 2011, f"F1.{col}"].isna().all()
        assert p.loc[y == 2014, f"L1.{col}"].eq(0).all()
    assert p.loc[("MEX", 2015), "ilo_cas_case"] == 1  # cas_mexico_c087_2015
    assert p.loc[("MEX", 2016), "L1.ilo_cas_case"] == 1
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
            for col, yy in ((f"L{j}.x2", y - j), (f"F{j}.x2", y + j)):
                want = lookup.get((i, yy), np.nan)
                assert (np.isnan(want) and np.isnan(row[col])) or row[col] == want


def test_merge_report_counts_ranges_and_warns():
    a = _frame([("FRA", y, 1.0) for y in (2000, 2001, 2002)] + [("DEU", 2000, 1.0)])
    b = pd.DataFrame(
        {
            "iso3": ["FRA", "FRA", "DEU", "ITA", "ITA", "ITA", "ESP"],
            "year": [2000, 2001, 2000, 2001, 2002, 2005, 2001],
            "x": [1.0, 2.0, np.nan, 3.0, 4.0, 5.0, np.nan],
        }
    )
    with pytest.warns(MergeLossWarning, match=r"b: 2 rows \(ITA 2001-2002\)"):
        p = build_panel("a:v", ["b:x"], frames={"a": a, "b": b})
    report = p.attrs["merge_report"]
    row = report.sources.set_index("source").loc["b"]
    # 4 panel rows: FRA 2000/2001 and DEU 2000 have a row in b (DEU's is empty)
    assert (row.panel_rows, row.matched, row.with_data, row.unmatched) == (4, 3, 2, 1)
    # ITA 2001-2002 have data inside the panel's years and no panel row; ITA 2005 is
    # outside them and ESP 2001 has no data: neither counts as left out
    assert (row.source_rows, row.lost, row.lost_countries) == (4, 2, 1)
    assert report.unmatched.values.tolist() == [
        ["b", "source", "ITA", 2001, 2002, 2],
        ["b", "panel", "FRA", 2002, 2002, 1],
    ]
    assert report.lost["iso3"].tolist() == ["ITA"]
    text = str(report)
    assert "b [x]: 3 of 4 panel rows matched (2 with data), 1 unmatched" in text
    assert "left out: ITA 2001-2002" in text and "no source row: FRA 2002" in text
    # a window restricts what counts as left out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q = build_panel("a:v", ["b:x"], frames={"a": a, "b": b}, years=(2000, 2000))
    assert q.attrs["merge_report"].sources["lost"].tolist() == [0]


def test_no_warning_when_nothing_is_left_out_and_concat_works():
    df = synthetic.twfe_panel(n_entities=4, n_years=5, seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = build_panel("syn:y", ["syn:x1", "other:x2"], frames={"syn": df, "other": df})
    report = p.attrs["merge_report"]
    assert report.sources["source"].tolist() == ["other"]  # the rows' own source is not merged
    assert report.unmatched.empty and "0 of 20 source rows with data left out" in str(report)
    # the report keeps pandas' attrs comparison working (a DataFrame there would not)
    both = pd.concat([p.iloc[:3], p.iloc[3:]])
    assert len(both) == len(p) and both.attrs["merge_report"] == report


def test_unknown_countries_of_a_user_frame_warn():
    a = pd.DataFrame({"country": ["France", "Narnia"], "year": [2000] * 2, "v": [1.0, 2]})
    with pytest.warns(MergeLossWarning, match=r"a: unknown countries dropped \(Narnia\)"):
        build_panel("a:v", frames={"a": a}, strict=False)


# What the controls panel (192 countries) does not have, by source: economies and former
# states with data that no panel row takes. None is a code mismatch: each is either absent
# from the panel under any code, or a former state whose years the panel codes as its
# successor's territory (SUN, YUG, SCG, CSK: ISO3-coded sources are never re-dated).
NOT_IN_CONTROLS = {"CPV", "GNB", "KIR", "NRU", "TWN", "CSK", "SCG", "SUN", "YUG"}
UNCTAD_ONLY = {"AIA", "ANT", "COK", "CYM", "FLK", "MAC", "MNP", "MSR", "NCL", "NIU", "PSE"}
UNCTAD_ONLY |= {"PYF", "TCA", "TKL", "VGB"}
LEFT_OUT = {
    "cbr_lri": set(),
    "unctad_fdi": (NOT_IN_CONTROLS | UNCTAD_ONLY | {"MYT", "SHN", "WLF"}),
    "unctad_fdi_stock": (NOT_IN_CONTROLS | UNCTAD_ONLY) - {"NRU"},
    "polity5": {"CPV", "GNB", "TWN", "CSK", "SCG", "SUN", "YUG", "DDR", "YMD", "XKX"},
}
# panel countries a source has no row for in any year of the panel
NO_ROW = {"cbr_lri": set(), "unctad_fdi": {"LIE", "MCO"}, "unctad_fdi_stock": {"LIE", "MCO"}}


def test_controls_cbr_unctad_lose_no_country_to_code_mismatches(mirror_dir):
    with pytest.warns(MergeLossWarning) as caught:
        p = build_panel(
            "CIRI_WORKER",
            [
                "logGDPpc",
                "cbr_lri:LRI_Total",
                "unctad_fdi:fdi_inflow_musd",
                "unctad_fdi_stock:fdi_stock_musd",
                "polity5:polity2",
            ],
            mirror=mirror_dir,
        )
    report = p.attrs["merge_report"]
    print(report)  # the merge report, in the test log
    lost = report.lost.groupby("source")["iso3"].agg(set).to_dict()
    assert {s: lost.get(s, set()) for s in LEFT_OUT} == LEFT_OUT
    counts = report.sources.set_index("source")
    assert counts.loc["cbr_lri", ["matched", "unmatched", "lost"]].tolist() == [5568, 0, 0]
    panel_side = report.unmatched[report.unmatched["side"] == "panel"]
    for source, expected in NO_ROW.items():
        part = panel_side[panel_side["source"] == source]
        whole = part[(part["first"] == 1982) & (part["last"] == 2010)]
        assert set(whole["iso3"]) == expected, source
    # a code mismatch would leave a country on both sides: only the documented
    # successions are (the USSR's, Yugoslavia's years coded RUS and SRB in the panel)
    for source in LEFT_OUT:
        left = set(report.lost.loc[report.lost["source"] == source, "iso3"])
        assert not left & set(p.index.get_level_values("iso3")), source
    message = str(caught[0].message)
    assert "unctad_fdi: 694 rows" in message and "SUN 1982-1991" in message
    # the countries the legacy codes and Polity's "UAE" used to lose
    for iso in ("ROU", "COD", "TLS"):
        assert p.loc[iso, "fdi_inflow_musd"].notna().sum() > 5, iso
        assert p.loc[iso, "fdi_stock_musd"].notna().sum() > 5, iso
    assert p.loc[("ROU", 2000), "LRI_Total"] > 0 and p.loc["COD", "CIRI_WORKER"].notna().any()
    assert not {"ROM", "ZAR", "TMP", "ADO", "UAE"} & set(p.index.get_level_values("iso3"))
    assert p.loc[("ARE", 2000), "polity2"] == -8
    rus = p.loc["RUS"]
    assert rus.loc[1992:, "fdi_inflow_musd"].notna().all() and rus.loc[2000, "polity2"] == 6
    assert rus.loc[:1991, ["fdi_inflow_musd", "polity2"]].isna().all().all()  # the USSR's
