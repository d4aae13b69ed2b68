"""Tests of the shipped data set ``trade_agreement_labor_cases``.

Checks the schema against its metadata, allowed values, that every row cites a source,
ISO3 codes (country_converter), plausible and ordered dates, internal consistency
(quota fields only for the Cambodia agreement, liquidation only for the RRM), key facts
(the CAFTA-DR panel report of June 14, 2017, the RRM request dates, the Cambodia bonus
percentages), and that every seed line a row cites names the row's case (its company,
country or case number) on that line or within three lines of it.
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
from enforcement_lab.sources import BANKS, LECLERCQ, MENASHE

NAME = "trade_agreement_labor_cases"
SEED_REF = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):(\d+)(?:-(\d+))?")
ISSUES = {
    "association",
    "bargaining",
    "forced_labor",
    "child_labor",
    "discrimination",
    "conditions",
    "safety_health",
    "minimum_standards",
    "migrant_workers",
    "human_rights",
}
# Other ways the seeds write a country's name or adjective.
ALIASES = {
    "Mexico": ["Mexic"],
    "United States": ["United States", "U.S.", "US ", "Washington state"],
    "Canada": ["Canad", "Quebec"],
    "Eswatini": ["Eswatini", "Swaziland"],
    "South Korea": ["Korea"],
    "Cambodia": ["Cambodia"],
    "Guatemala": ["Guatemala"],
    "Jordan": ["Jordan"],
}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_shipped(NAME)


@pytest.fixture(scope="module")
def meta() -> dict:
    return metadata(NAME)


def seed_refs(source: str) -> list[tuple[str, int, int]]:
    return [(m[1], int(m[2]), int(m[3] or m[2])) for m in SEED_REF.finditer(source)]


def keywords(row: pd.Series) -> list[str]:
    """Words that must appear near a cited seed line.

    The NAALC case number for NAALC rows, the company for facility cases, else the
    respondent country (or how the seeds write it).
    """
    case_id = row["case_id"]
    if row["regime"] == "naalc":
        number = case_id.split("_", 2)[-1].replace("_", "-")
        return ["Autotrim"] if "autotrim" in case_id else [number]
    if pd.notna(row["company"]):
        company = str(row["company"])
        return {"General Motors": ["General Motors", "GM"]}.get(company, [company.split()[0]])
    country = row["respondent_country"]
    return ALIASES.get(country, [country])


def test_columns_and_types_match_metadata(frame: pd.DataFrame, meta: dict) -> None:
    assert list(frame.columns) == [c["name"] for c in meta["columns"]]
    for col in meta["columns"]:
        dtype = str(frame[col["name"]].dtype)
        expected = {"int": "Int64", "float": "float64", "bool": "boolean"}.get(col["type"])
        if expected:
            assert dtype == expected, col["name"]
    assert meta["synthetic"] is False and frame.attrs["synthetic"] is False
    assert {"name", "title", "description", "unit", "version", "coding", "sources"} <= set(meta)


def test_values_in_allowed_sets(frame: pd.DataFrame, meta: dict) -> None:
    for col in meta["columns"]:
        if "allowed" in col:
            cells = frame[col["name"]].dropna()
            sep = col.get("separator")
            values = {v for c in cells for v in (c.split(sep) if sep else [c])}
            assert values <= set(col["allowed"]), (col["name"], values - set(col["allowed"]))
    issues_col = next(c for c in meta["columns"] if c["name"] == "issues")
    assert issues_col["separator"] == ";" and set(issues_col["allowed"]) == ISSUES
    for cell in frame["issues"].dropna():
        assert set(cell.split(";")) <= ISSUES, cell
        assert len(cell.split(";")) == len(set(cell.split(";"))), cell


def test_case_ids_unique_and_prefixed_by_regime(frame: pd.DataFrame) -> None:
    assert frame["case_id"].is_unique
    for case_id, regime in zip(frame["case_id"], frame["regime"], strict=True):
        prefix = {"eu_gsp": ("eu_gsp", "eu_eba"), "other": ("",)}.get(regime, (regime,))
        assert case_id.startswith(prefix), case_id


def test_every_row_has_a_source_and_certain_rows_no_guess(frame: pd.DataFrame) -> None:
    assert frame["source"].notna().all()
    assert (frame["source"].str.strip().str.len() > 10).all()
    assert frame["certainty"].notna().all()
    # Rows that are not fully stated must explain themselves.
    loose = frame[frame["certainty"] != "stated"]
    assert loose["notes"].notna().all()
    assert loose["notes"].str.contains("infer|not coded|conflict|only", case=False).all()


def test_each_source_part_is_a_seed_line_or_a_titled_document(frame: pd.DataFrame) -> None:
    for source in frame["source"]:
        for part in (p.strip() for p in source.split("|")):
            if SEED_REF.fullmatch(part):
                continue
            # a public document: a title in quotes, or a named regulation/report with a year
            assert re.search(r"(19|20)\d\d", part) or "'" in part, part
            assert len(part) > 25, part


def test_iso3_codes_valid_and_match_country_names(frame: pd.DataFrame) -> None:
    converted = coco.convert(names=list(frame["respondent_country"]), to="ISO3", not_found=None)
    assert list(converted) == list(frame["iso3"])
    back = coco.convert(names=list(frame["iso3"]), src="ISO3", to="ISO3", not_found=None)
    assert list(back) == list(frame["iso3"])


def test_years_plausible_and_ordered(frame: pd.DataFrame) -> None:
    for col in ("year_filed", "year_resolved", "quota_year"):
        years = frame[col].dropna()
        assert ((years >= 1994) & (years <= date.today().year)).all(), col
    both = frame.dropna(subset=["year_filed", "year_resolved"])
    assert (both["year_filed"] <= both["year_resolved"]).all()


def test_dates_are_iso_and_ordered(frame: pd.DataFrame) -> None:
    for col in ("request_date", "panel_request_date", "decision_date"):
        for value in frame[col].dropna():
            date.fromisoformat(value)
    for _, row in frame.iterrows():
        steps = [row[c] for c in ("request_date", "panel_request_date", "decision_date")]
        dated = [date.fromisoformat(s) for s in steps if pd.notna(s)]
        assert dated == sorted(dated), row["case_id"]
        if pd.notna(row["request_date"]) and pd.notna(row["year_filed"]):
            # the request never precedes the filing year
            assert date.fromisoformat(row["request_date"]).year >= row["year_filed"], row["case_id"]


def test_regime_specific_fields(frame: pd.DataFrame) -> None:
    quota = frame[["quota_year", "quota_bonus_pct", "quota_bonus_cap_pct"]].notna().any(axis=1)
    assert set(frame.loc[quota, "regime"]) == {"us_cambodia_ta"}
    assert set(frame.loc[frame["liquidation_suspended"].notna(), "regime"]) == {"usmca_rrm"}
    assert set(frame.loc[frame["facility"].notna(), "regime"]) == {"usmca_rrm"}
    bonus = frame.dropna(subset=["quota_bonus_pct"])
    assert (bonus["quota_bonus_pct"] <= bonus["quota_bonus_cap_pct"]).all()
    assert (bonus["outcome"] == "quota_bonus_granted").all()


def test_outcomes_consistent_with_sanctions_and_stages(frame: pd.DataFrame) -> None:
    withdrawn = frame["outcome"].str.startswith("benefits_")
    assert frame.loc[withdrawn, "sanction_applied"].fillna(False).all()
    assert (frame.loc[withdrawn, "stage_reached"] == "withdrawal_in_force").all()
    panel = frame["outcome"].str.startswith("panel_ruled")
    assert (frame.loc[panel, "stage_reached"] == "panel_report").all()
    assert frame.loc[panel, "decision_date"].notna().all()
    pending = frame["outcome"].isin(["pending_at_source_date", "unknown"])
    assert frame.loc[pending, "year_resolved"].isna().all()


def test_regime_coverage(frame: pd.DataFrame) -> None:
    counts = frame["regime"].value_counts()
    for regime in ("naalc", "cafta_dr", "usmca_rrm", "us_cambodia_ta", "us_jordan_fta", "agoa"):
        assert counts.get(regime, 0) >= 1, regime
    assert counts["eu_gsp"] == 4
    assert set(frame.loc[frame["regime"] == "eu_gsp", "iso3"]) == {"MMR", "BLR", "LKA", "KHM"}


def test_guatemala_cafta_dr_dispute(frame: pd.DataFrame) -> None:
    row = frame.set_index("case_id").loc["cafta_dr_guatemala_16_2_1a"]
    assert row["year_filed"] == 2008
    assert row["request_date"] == "2010-07-30"
    assert row["decision_date"] == "2017-06-14"
    assert row["outcome"] == "panel_ruled_for_respondent"
    assert not row["sanction_applied"]


@pytest.mark.parametrize(
    ("case_id", "request_date", "liquidation"),
    [
        ("usmca_rrm_gm_silao", "2021-05-12", True),
        ("usmca_rrm_tridonex", "2021-06-09", None),
        ("usmca_rrm_panasonic_reynosa", "2022-05-18", True),
        ("usmca_rrm_teksid_hierro", "2022-06-06", True),
        ("usmca_rrm_manufacturas_vu", "2022-07-21", None),
        ("usmca_rrm_san_martin_mine", "2023-06-16", True),
        ("usmca_rrm_goodyear_slp", "2023-05-22", True),
        ("usmca_rrm_grupo_yazaki", "2023-08-07", True),
        ("usmca_rrm_atento", "2024-01-18", None),
        ("usmca_rrm_rv_fresh_foods", "2024-02-16", True),
        ("usmca_rrm_pirelli", "2024-08-23", True),
    ],
)
def test_rrm_requests(
    frame: pd.DataFrame, case_id: str, request_date: str, liquidation: bool | None
) -> None:
    row = frame.set_index("case_id").loc[case_id]
    assert row["request_date"] == request_date
    assert row["iso3"] == "MEX"
    if liquidation is None:
        assert pd.isna(row["liquidation_suspended"])
    else:
        assert row["liquidation_suspended"] == liquidation


def test_saint_gobain_is_a_petition_without_us_request(frame: pd.DataFrame) -> None:
    row = frame.set_index("case_id").loc["usmca_rrm_saint_gobain"]
    assert row["stage_reached"] == "submission"
    assert pd.isna(row["request_date"])
    assert "Sept. 27, 2022" in row["complainant_or_initiator"]


def test_cambodia_quota_bonus_by_year(frame: pd.DataFrame) -> None:
    bonus = frame.dropna(subset=["quota_year"]).set_index("quota_year")["quota_bonus_pct"]
    assert bonus.to_dict() == {2000: 9.0, 2001: 9.0, 2002: 9.0, 2003: 12.0}


def test_seed_cited_rows_name_their_case_on_the_cited_lines(frame: pd.DataFrame) -> None:
    checked = 0
    for _, row in frame.iterrows():
        words = keywords(row)
        for file, first, last in seed_refs(row["source"]):
            window = seed_window(file, first, last)
            assert any(w in window for w in words), (row["case_id"], file, first, words)
            checked += 1
    assert checked >= 25


@pytest.mark.parametrize(
    ("ref", "facts"),
    [
        (f"{LECLERCQ}:358", ["May 12, 2021", "Silao", "suspended"]),
        (f"{LECLERCQ}:360", ["June 9, 2021", "May 10", "AFL-CIO"]),
        (f"{LECLERCQ}:356", ["Saint-Gobain", "September 27, 2022"]),
        (f"{LECLERCQ}:390", ["Panasonic", "May 18, 2022", "June 6, 2022"]),
        (f"{LECLERCQ}:322", ["Panasonic", "July 14, 2022"]),
        (f"{LECLERCQ}:514", ["only pursued one formal dispute", "lost"]),
        (f"{LECLERCQ}:516", ["Guatemala", "June 14, 2017"]),
        (f"{MENASHE}:458", ["EU–Korea", "Jan. 20, 2021"]),
        (f"{LECLERCQ}:540", ["2015", "Eswatini"]),
        (f"{MENASHE}:434", ["2017", "Guatemala", "2021"]),
        (f"{BANKS}:3690", ["9803", "Quebec"]),
        (f"{BANKS}:5097", ["January of 1999", "Cambodia"]),
    ],
)
def test_seed_facts(ref: str, facts: list[str]) -> None:
    file, first, last = seed_refs(ref)[0]
    window = seed_window(file, first, last)
    for fact in facts:
        assert fact in window, (ref, fact)


def test_rrm_cases_are_mexican_facilities_on_association_and_bargaining(
    frame: pd.DataFrame,
) -> None:
    rrm = frame[frame["regime"] == "usmca_rrm"]
    assert len(rrm) >= 6
    assert (rrm["iso3"] == "MEX").all()
    assert rrm["facility"].notna().all() and rrm["company"].notna().all()
    # the RRM covers only free association and collective bargaining
    for cell in rrm["issues"]:
        assert set(cell.split(";")) <= {"association", "bargaining"}, cell
    # no RRM case has ended in a denial of preferential treatment in the coded sources
    assert not rrm["sanction_applied"].fillna(False).any()


def test_corrected_dates(frame: pd.DataFrame) -> None:
    rows = frame.set_index("case_id")
    assert f"{LECLERCQ}:514" in rows.loc["cafta_dr_guatemala_16_2_1a", "source"]
    korea = rows.loc["eu_korea_fta_tsd_panel_2021"]
    assert korea["decision_date"] == "2021-01-20"
    assert f"{MENASHE}:458" in korea["source"]
    atento = rows.loc["usmca_rrm_atento"]
    assert (atento["request_date"], atento["panel_request_date"]) == ("2024-01-18", "2024-04-16")
    assert atento["outcome"] == "panel_ruled_for_complainant"
    assert atento["certainty"] == "uncertain" and "conflict" in atento["notes"]
    assert "twenty-sixth" in rows.loc["usmca_rrm_pirelli", "notes"]


def test_rrm_coverage_figures_match_the_data(frame: pd.DataFrame, meta: dict) -> None:
    rrm = frame[frame["regime"] == "usmca_rrm"]
    requests = rrm[~rrm["stage_reached"].isin(["submission", "not_accepted"])]
    open_or_unknown = requests["outcome"].isin(["pending_at_source_date", "unknown"])
    text = meta["coverage"]["usmca_rrm"]
    assert text.startswith(f"{len(rrm)} RRM rows: {len(requests)} cases in which the United States")
    assert f"plus {len(rrm) - len(requests)} petitions that led to no US request" in text
    assert f"the request date is coded for {int(requests['request_date'].notna().sum())}" in text
    assert f"unknown for {int(open_or_unknown.sum())}" in text
    assert f"{len(requests) - 2} of the {len(requests)} coded requests were made by then" in text
    assert meta["version"] == meta["changelog"][0]["version"] == "0.2.0"
