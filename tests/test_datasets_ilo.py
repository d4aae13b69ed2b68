"""Tests of the shipped ILO data sets ``ilo_supervisory_events`` and ``ilo_conventions``.

Supervisory events: schema against metadata, allowed values, every row sourced, ISO3
codes (country_converter), convention codes, plausible years, the 2012 Conference
Committee coded as a missing year (not zero), key facts (the three article 33
resolutions), and that every seed line a row cites names the row's country on that line
or within three lines of it.

Conventions: exactly the eleven fundamental instruments, adoption years equal to the
years in their official titles, fundamental_since consistent with the 1998 Declaration
and its 2022 amendment.
"""

from __future__ import annotations

import re
from datetime import date

import country_converter as coco
import pandas as pd
import pytest
from _seeds import seed_window

from enforcement_lab.data import load_shipped
from enforcement_lab.data.shipped import metadata
from enforcement_lab.sources import BARENBERG, LECLERCQ, MENASHE

EVENTS = "ilo_supervisory_events"
CONVENTIONS = "ilo_conventions"
SEED_REF = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):(\d+)(?:-(\d+))?")
CONVENTION_CODE = re.compile(r"[CP]\d{3}")
ALIASES = {"Côte d'Ivoire": ["Côte d'Ivoire", "Ivory Coast"]}

FUNDAMENTAL = {
    "C029": 1930,
    "C087": 1948,
    "C098": 1949,
    "C100": 1951,
    "C105": 1957,
    "C111": 1958,
    "C138": 1973,
    "C182": 1999,
    "C155": 1981,
    "C187": 2006,
    "P029": 2014,
}


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return load_shipped(EVENTS)


@pytest.fixture(scope="module")
def conventions() -> pd.DataFrame:
    return load_shipped(CONVENTIONS)


def seed_refs(source: str) -> list[tuple[str, int, int]]:
    return [(m[1], int(m[2]), int(m[3] or m[2])) for m in SEED_REF.finditer(source)]


def check_schema(frame: pd.DataFrame, meta: dict) -> None:
    assert list(frame.columns) == [c["name"] for c in meta["columns"]]
    for col in meta["columns"]:
        expected = {"int": "Int64", "float": "float64", "bool": "boolean"}.get(col["type"])
        if expected:
            assert str(frame[col["name"]].dtype) == expected, col["name"]
        if "allowed" in col:
            cells = frame[col["name"]].dropna()
            sep = col.get("separator")
            values = {v for c in cells for v in (c.split(sep) if sep else [c])}
            assert values <= set(col["allowed"]), (col["name"], values - set(col["allowed"]))
    assert meta["synthetic"] is False and frame.attrs["synthetic"] is False
    assert {"name", "title", "description", "unit", "version", "coding", "sources"} <= set(meta)
    assert frame["source"].notna().all()
    assert (frame["source"].str.strip().str.len() > 10).all()


# ----------------------------------------------------------------------------- events


def test_events_schema_and_allowed_values(events: pd.DataFrame) -> None:
    check_schema(events, metadata(EVENTS))
    assert events["event_id"].is_unique


def test_events_convention_codes(events: pd.DataFrame) -> None:
    for cell in events["convention"].dropna():
        codes = cell.split(";")
        assert all(CONVENTION_CODE.fullmatch(c) for c in codes), cell
        assert codes == sorted(set(codes), key=codes.index)  # no duplicates


def test_events_iso3_valid_and_match_country(events: pd.DataFrame) -> None:
    named = events.dropna(subset=["country"])
    converted = coco.convert(names=list(named["country"]), to="ISO3", not_found=None)
    assert list(converted) == list(named["iso3"])
    # only the two 2012 Conference Committee rows have no country
    unnamed = events[events["country"].isna()]
    assert unnamed["iso3"].isna().all()
    assert set(unnamed["event_id"]) == {
        "cas_2012_no_individual_cases",
        "cas_2012_no_special_paragraphs",
    }


def test_events_years_and_dates_plausible(events: pd.DataFrame) -> None:
    for col in ("year", "report_year"):
        years = events[col].dropna()
        assert ((years >= 1919) & (years <= date.today().year)).all(), col
    for _, row in events.dropna(subset=["date"]).iterrows():
        assert date.fromisoformat(row["date"]).year == row["year"], row["event_id"]
    coi = events[events["body"] == "commission_of_inquiry"]
    both = coi.dropna(subset=["year", "report_year"])
    assert (both["year"] <= both["report_year"]).all()
    assert events.loc[events["body"] != "commission_of_inquiry", "report_year"].isna().all()
    # every row is dated by year or (Belarus Commission) by its report year
    assert (events["year"].notna() | events["report_year"].notna()).all()


def test_events_non_stated_rows_explain_themselves(events: pd.DataFrame) -> None:
    loose = events[events["certainty"] != "stated"]
    assert loose["notes"].str.contains("infer|not coded|conflict", case=False).all()


def test_2012_conference_committee_is_missing_not_zero(events: pd.DataFrame) -> None:
    rows = events[events["year"] == 2012]
    assert set(rows["body"]) == {"cas_individual_case", "cas_special_paragraph"}
    assert (rows["event_type"] == "no_cases_processed").all()
    assert rows["notes"].str.contains("MISSING YEAR, NOT ZERO").all()
    assert (events["event_type"] == "no_cases_processed").sum() == 2
    rules = " ".join(metadata(EVENTS)["coding"]["rules"])
    assert "2012" in rules and "MISSING" in rules
    assert f"{LECLERCQ}:830" in rows.iloc[0]["source"]


def test_negative_observations_are_inferred(events: pd.DataFrame) -> None:
    # Coding rule: whether an observation is 'negative' is read from its summarised content.
    negative = events[events["event_type"] == "negative_observation"]
    assert set(negative["event_id"]) == {
        "ceacr_obs_venezuela_c087_2021",
        "ceacr_obs_mexico_c100_2021",
        "ceacr_obs_cotedivoire_c138_2019",
    }
    assert (negative["certainty"] == "inferred").all()
    assert negative["notes"].str.contains("'negative' is inferred").all()


def test_article_33_resolutions(events: pd.DataFrame) -> None:
    art33 = events[events["body"] == "article_33"].sort_values("date").set_index("date")
    assert list(art33.index) == ["2000-06-14", "2023-06-12", "2025-06-05"]
    assert list(art33["iso3"]) == ["MMR", "BLR", "MMR"]
    assert (art33["event_type"] == "sanction_recommendation").all()
    assert "C029" in art33.loc["2000-06-14", "convention"]


def test_complaints_precede_their_commissions(events: pd.DataFrame) -> None:
    complaints = events[events["body"] == "article_26_complaint"].set_index("iso3")["year"]
    commissions = events[events["body"] == "commission_of_inquiry"]
    for _, row in commissions.dropna(subset=["year"]).iterrows():
        if row["iso3"] in complaints.index and row["iso3"] != "MMR":
            assert complaints[row["iso3"]] <= row["year"], row["event_id"]
    myanmar = events[events["iso3"] == "MMR"].set_index("event_id")["year"]
    assert myanmar["art26_myanmar_1996"] < myanmar["coi_myanmar_1997"]
    assert myanmar["coi_myanmar_1997"] < myanmar["art33_myanmar_2000"]


def test_seed_cited_events_name_their_country_on_the_cited_lines(events: pd.DataFrame) -> None:
    checked = 0
    for _, row in events.iterrows():
        if pd.isna(row["country"]):
            words = [str(row["year"])]
        else:
            words = ALIASES.get(row["country"], [row["country"]])
        for file, first, last in seed_refs(row["source"]):
            window = seed_window(file, first, last)
            assert any(w in window for w in words), (row["event_id"], file, first, words)
            checked += 1
    assert checked >= 15


@pytest.mark.parametrize(
    ("ref", "facts"),
    [
        (f"{MENASHE}:150", ["Myanmar in 2000", "Belarus in 2023", "June 5, 2025"]),
        (f"{BARENBERG}:971", ["article 33", "Myanmar", "2000"]),
        (f"{LECLERCQ}:350", ["(CAS)", "No. 87", "Mexico", "2015"]),
        (f"{LECLERCQ}:586", ["(CAS)", "No. 87", "Cambodia", "109th"]),
        (f"{LECLERCQ}:638", ["Observation (CEACR)", "No. 100", "Mexico", "2021"]),
        (f"{LECLERCQ}:1060", ["Observation (CEACR)", "No. 138", "2019"]),
        (f"{LECLERCQ}:1054", ["Direct Request (CEACR)", "No. 138", "2009"]),
        (f"{LECLERCQ}:1044", ["Direct Request (CEACR)", "No. 87", "2021"]),
        (f"{LECLERCQ}:830", ["2012", "boycotted", "could not process cases"]),
    ],
)
def test_event_seed_facts(ref: str, facts: list[str]) -> None:
    file, first, last = seed_refs(ref)[0]
    window = seed_window(file, first, last)
    for fact in facts:
        assert fact in window, (ref, fact)


# ------------------------------------------------------------------------ conventions


def test_conventions_schema(conventions: pd.DataFrame) -> None:
    check_schema(conventions, metadata(CONVENTIONS))


def test_exactly_the_eleven_fundamental_instruments(conventions: pd.DataFrame) -> None:
    assert len(conventions) == 11
    assert conventions["code"].is_unique
    assert set(conventions["code"]) == set(FUNDAMENTAL)


def test_adoption_years(conventions: pd.DataFrame) -> None:
    assert conventions.set_index("code")["adopted"].to_dict() == FUNDAMENTAL


def test_fundamental_since(conventions: pd.DataFrame) -> None:
    frame = conventions.set_index("code")
    osh = frame["subject"] == "safe and healthy working environment"
    assert set(frame.index[osh]) == {"C155", "C187"}
    assert (frame.loc[osh, "fundamental_since"] == 2022).all()
    rest = frame[~osh]
    # the 1998 Declaration, or adoption for instruments adopted after it
    expected = rest["adopted"].clip(lower=1998)
    assert (rest["fundamental_since"] == expected).all()
    assert (frame["fundamental_since"] >= frame["adopted"]).all()
    assert frame.loc["P029", "certainty"] == "uncertain"


def test_subjects_have_two_instruments_each_except_forced_labour(conventions: pd.DataFrame) -> None:
    counts = conventions["subject"].value_counts().to_dict()
    assert counts == {
        "forced labour": 3,
        "freedom of association and collective bargaining": 2,
        "non-discrimination": 2,
        "child labour": 2,
        "safe and healthy working environment": 2,
    }


def test_convention_notes_carry_the_official_year(conventions: pd.DataFrame) -> None:
    for _, row in conventions.iterrows():
        assert str(row["adopted"]) in row["notes"], row["code"]


def test_convention_seed_lines(conventions: pd.DataFrame) -> None:
    for source in conventions["source"]:
        for file, first, last in seed_refs(source):
            window = seed_window(file, first, last)
            assert re.search(r"fundamental|Declaration|Minimum Age", window), (file, first)
    window = seed_window(MENASHE.file, 352, 352, margin=0)
    assert (
        "1998" in window and "2022" in window and "safe and healthy working environment" in window
    )


def test_commissions_of_inquiry_within_the_ilo_count(events: pd.DataFrame) -> None:
    # The ILO counted 13 Commissions before the 2022 Myanmar one (press release, Sept. 2022),
    # i.e. 14 by 2022, counting those that delivered reports. Nigeria's 1998 Commission was
    # set up but suspended and never reported, so it is coded yet outside that count.
    coi = events[events["body"] == "commission_of_inquiry"]
    counted = coi[coi["iso3"] != "NGA"]
    assert 1 <= len(counted) <= 14
    assert set(coi["iso3"]) <= set("PRT LBR GRC DOM POL DEU NIC ROU MMR NGA BLR ZWE VEN".split())
    assert "14 are coded" in " ".join(metadata(EVENTS)["coding"]["rules"])
    assert len(coi) == 14
    assert coi.loc[coi["iso3"] == "NGA", "report_year"].isna().all()


@pytest.mark.parametrize(
    ("event_id", "year", "report_year", "convention", "cited"),
    [
        ("coi_greece_report_1971", None, 1971, "C087;C098", "GREECE - C087, C098"),
        ("coi_dominicanrepublic_report_1983", None, 1983, "C105", "C105 - Dominican Republic"),
        ("coi_germany_1985", 1985, 1987, "C111", "GB.235/4/7"),
        ("coi_nicaragua_report_1991", None, 1991, "C087;C098;C144", "NICARAGUA"),
        ("coi_romania_report_1991", None, 1991, "C111", "ROMANIA - C111"),
        ("coi_nigeria_1998", 1998, None, "C087;C098", "GB.271/18/5"),
    ],
)
def test_added_commissions_of_inquiry(
    events: pd.DataFrame, event_id: str, year, report_year, convention: str, cited: str
) -> None:
    row = events.set_index("event_id").loc[event_id]
    assert row["body"] == "commission_of_inquiry" and row["event_type"] == "inquiry"
    assert pd.isna(row["year"]) if year is None else row["year"] == year, event_id
    assert (
        pd.isna(row["report_year"]) if report_year is None else row["report_year"] == report_year
    ), event_id
    assert row["convention"] == convention
    assert cited in row["source"]


@pytest.mark.parametrize(
    ("event_id", "date", "convention"),
    [
        ("art26_greece_1968", "1968-06-25", "C087;C098"),
        ("art26_nicaragua_1987", "1987-06-17", "C087;C098;C144"),
        ("art26_romania_1989", "1989-06-26", "C111"),
    ],
)
def test_added_article_26_complaints(
    events: pd.DataFrame, event_id: str, date: str, convention: str
) -> None:
    row = events.set_index("event_id").loc[event_id]
    assert row["body"] == "article_26_complaint" and row["event_type"] == "complaint"
    assert row["date"] == date and row["convention"] == convention
    assert row["certainty"] == "stated"
    assert "NORMLEX" in row["source"] and "COMPLAINT (article 26)" in row["source"]


def test_germany_commission_arose_from_a_representation_not_a_complaint(
    events: pd.DataFrame,
) -> None:
    deu = events[events["iso3"] == "DEU"].set_index("event_id")
    assert set(deu["body"]) == {"representation_art24", "commission_of_inquiry"}
    assert deu.loc["rep24_germany_1984", "date"] == "1984-06-13"
    # the Commission's year is read from the NORMLEX listing, not stated
    assert deu.loc["coi_germany_1985", "certainty"] == "inferred"


@pytest.mark.parametrize(
    ("event_id", "report_year", "cited"),
    [
        ("coi_zimbabwe_2008", 2009, "dated Dec. 31, 2009"),
        ("coi_poland_1983", 1984, "GB.227/3/6, June 1984"),
        ("coi_venezuela_2018", 2019, "issues report"),
        ("coi_myanmar_1997", 1998, "Geneva, 2 July 1998"),
    ],
)
def test_commission_report_years_follow_one_rule(
    events: pd.DataFrame, event_id: str, report_year: int, cited: str
) -> None:
    """report_year is the year of the report itself, not the year the Governing Body noted it."""
    row = events.set_index("event_id").loc[event_id]
    assert row["report_year"] == report_year
    assert cited in row["source"]


def test_chile_1975_difference_is_stated(events: pd.DataFrame) -> None:
    meta = metadata(EVENTS)
    assert "CHL" not in set(events["iso3"].dropna())
    rules = " ".join(meta["coding"]["rules"])
    assert "Chile's" in rules and "13 of the ILO's 14" in rules
    coverage = meta["coverage"]["commissions_of_inquiry"]
    coi = events[events["body"] == "commission_of_inquiry"]
    assert coverage.startswith(f"{len(coi)} Commission of Inquiry rows: {len(coi) - 1} of the 14")


def test_conference_committee_coverage_matches_the_data(events: pd.DataFrame) -> None:
    cas = events[(events["body"] == "cas_individual_case") & events["country"].notna()]
    text = metadata(EVENTS)["coverage"]["conference_committee"]
    assert text.startswith(f"{len(cas)} Conference Committee individual-case rows")
    for country in cas["country"]:
        assert country in text, country
    assert metadata(EVENTS)["version"] == metadata(EVENTS)["changelog"][0]["version"] == "0.3.0"
