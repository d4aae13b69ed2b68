"""Tests of the shipped data set ``gsp_worker_rights_reviews``.

Schema and allowed values against the metadata, a source on every row, valid ISO3 codes
(country_converter), plausible and ordered years, internal consistency of outcomes, spot
checks that each row citing a seed line names its country there (or within three lines),
and that the counts stated in the metadata's comparison with Elliott match the data.
"""

from __future__ import annotations

import re

import country_converter as coco
import pandas as pd
import pytest
from _seeds import needs_seeds, seed_window

from enforcement_lab.data import load_shipped
from enforcement_lab.data.shipped import metadata
from enforcement_lab.sources import SEEDS

NAME = "gsp_worker_rights_reviews"
SEED_FILES = set(SEEDS)
SEED_REF = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt):(\d+)(?:-(\d+))?$")
YEAR_COLUMNS = ["petition_year", "review_opened", "review_closed", "reinstated_year"]
# Other names a seed may use for a country (adjectives are matched as substrings).
ALIASES = {"Burma": ["Myanmar"], "Dominican Republic": ["Dominican"]}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_shipped(NAME)


@pytest.fixture(scope="module")
def meta() -> dict:
    return metadata(NAME)


def source_parts(source: str) -> list[str]:
    return [part.strip() for part in source.split(" | ")]


def seed_refs(source: str) -> list[tuple[str, int, int]]:
    refs = []
    for part in source_parts(source):
        match = SEED_REF.match(part)
        if match:
            first = int(match.group(2))
            refs.append((match.group(1), first, int(match.group(3) or first)))
    return refs


def row(frame: pd.DataFrame, case_id: str) -> pd.Series:
    return frame.set_index("case_id").loc[case_id]


# --- schema -------------------------------------------------------------------------


def test_columns_and_types_match_metadata(frame: pd.DataFrame, meta: dict) -> None:
    assert list(frame.columns) == [c["name"] for c in meta["columns"]]
    assert meta["synthetic"] is False and frame.attrs["synthetic"] is False
    for column in meta["columns"]:
        if column["type"] == "int":
            assert str(frame[column["name"]].dtype) == "Int64", column["name"]
    assert {"rules"} <= set(meta["coding"]) and len(meta["coding"]["rules"]) >= 5
    assert meta["sources"] and meta["comparison_with_elliott"]


def test_values_in_allowed_sets(frame: pd.DataFrame, meta: dict) -> None:
    for column in meta["columns"]:
        if "allowed" not in column:
            continue
        allowed = set(column["allowed"])
        values = frame[column["name"]].dropna()
        if "separator" in column:
            atoms = [a for v in values for a in v.split(column["separator"])]
            assert all(a in allowed for a in atoms), (column["name"], set(atoms) - allowed)
            assert all(len(set(v.split(";"))) == len(v.split(";")) for v in values)
        else:
            assert set(values) <= allowed, (column["name"], set(values) - allowed)


def test_case_ids_unique_and_prefixed_by_iso3(frame: pd.DataFrame) -> None:
    assert frame["case_id"].is_unique
    assert (frame["case_id"].str.split("-").str[0] == frame["iso3"]).all()


def test_required_fields_present(frame: pd.DataFrame) -> None:
    for column in ("case_id", "country", "iso3", "petitioner_type", "outcome", "certainty"):
        assert frame[column].notna().all(), column
        assert (frame[column].str.strip() != "").all(), column


# --- sources ------------------------------------------------------------------------


def test_every_row_has_a_source(frame: pd.DataFrame) -> None:
    assert frame["source"].notna().all()
    assert (frame["source"].str.strip().str.len() > 10).all()
    assert frame["notes"].notna().all()


def test_each_source_part_is_a_seed_line_or_a_dated_titled_document(frame: pd.DataFrame) -> None:
    for case_id, source in zip(frame["case_id"], frame["source"], strict=True):
        for part in source_parts(source):
            match = SEED_REF.match(part)
            if match:
                assert match.group(1) in SEED_FILES, (case_id, part)
                assert int(match.group(3) or match.group(2)) >= int(match.group(2))
            else:
                dated = re.search(r"\b(19[89]\d|20[0-2]\d)\b", part) or "date not shown" in part
                assert dated, (case_id, "no date", part)
                assert re.search(r"'[^']{8,}'", part), (case_id, "no quoted title", part)
                issuer = part.split("'")[0].strip(" ,")
                assert len(issuer) >= 3, (case_id, "no issuer", part)


# --- countries and years ------------------------------------------------------------


def test_iso3_codes_valid_and_match_country_names(frame: pd.DataFrame) -> None:
    converted = coco.convert(names=list(frame["country"]), to="ISO3", not_found=None)
    assert list(converted) == list(frame["iso3"])
    back = coco.convert(names=list(frame["iso3"]), src="ISO3", to="ISO3", not_found=None)
    assert list(back) == list(frame["iso3"])


def test_years_plausible(frame: pd.DataFrame) -> None:
    for column in YEAR_COLUMNS:
        years = frame[column].dropna()
        assert ((years >= 1984) & (years <= 2025)).all(), column


def test_years_ordered(frame: pd.DataFrame) -> None:
    def ok(a: pd.Series, b: pd.Series, strict: bool = False) -> bool:
        both = a.notna() & b.notna()
        return bool((a[both] < b[both]).all() if strict else (a[both] <= b[both]).all())

    assert ok(frame["review_opened"], frame["review_closed"])
    assert ok(frame["petition_year"], frame["review_opened"])
    assert ok(frame["petition_year"], frame["review_closed"])
    assert ok(frame["review_closed"], frame["reinstated_year"], strict=True)


# --- internal consistency -----------------------------------------------------------


def test_outcome_consistency(frame: pd.DataFrame) -> None:
    reinstated = frame[frame["reinstated_year"].notna()]
    assert set(reinstated["outcome"]) <= {"suspension", "termination", "partial_suspension"}
    open_cases = frame[frame["outcome"].isin(["continued_review", "unknown"])]
    assert open_cases["review_closed"].isna().all()
    decided = frame["outcome"].isin(["suspension", "termination", "taking_steps_closed"])
    dated = frame["case_id"].str.contains(r"-\d{4}$")
    assert frame.loc[decided & dated, "review_closed"].notna().all()


def test_success_codes_consistent_with_outcomes(frame: pd.DataFrame) -> None:
    failures = frame[frame["elliott_success"] == 0]
    assert set(failures["outcome"]) <= {"suspension", "termination", "partial_suspension"}
    successes = frame[frame["elliott_success"] == 1]
    assert "withdrawn_or_not_accepted" not in set(successes["outcome"])
    # a bare taking-steps finding is not a verified reform: coded only with a reform source
    for case in frame[frame["outcome"] == "taking_steps_closed"].itertuples():
        if pd.notna(case.elliott_success):
            assert re.search(r"improve|reform|legislation|progress", case.notes, re.I), case.case_id


def test_inferred_and_uncertain_rows_explain_themselves(frame: pd.DataFrame) -> None:
    for case in frame[frame["certainty"] != "stated"].itertuples():
        assert re.search(r"infer|not stated|not shown|undated|not found|reading", case.notes), (
            case.case_id
        )


def test_undated_sources_make_rows_uncertain(frame: pd.DataFrame) -> None:
    undated = frame[frame["source"].str.contains("date not shown")]
    assert len(undated) == 5  # the undated memorandum: Benin, Dominican Rep., Haiti, Nepal, Sudan
    assert set(undated["certainty"]) <= {"uncertain", "inferred"}
    assert undated["review_closed"].isna().all()


def test_elliott_case_unknown_everywhere(frame: pd.DataFrame) -> None:
    # Elliott's case list is not available: no row may claim membership either way.
    assert frame["elliott_case"].isna().all()


def test_comparison_with_elliott_matches_the_data(frame: pd.DataFrame, meta: dict) -> None:
    text = meta["comparison_with_elliott"]
    coded = frame["elliott_success"].dropna()
    n, k, s = len(frame), len(coded), int(coded.sum())
    assert f"Of {n} cases, {k} carry a success code: {s} successes and {k - s} failures" in text
    assert f"({round(100 * s / k)}%)" in text
    assert "15/32 (47%)" in text
    year = frame["case_id"].str.extract(r"-(\d{4})$")[0].astype("Int64")
    early = year <= 1998
    assert (
        f"{int(early.sum())} of its {n} rows are dated {int(year.min())}-1998 (by the year" in text
    )
    assert f"{int((year > 1998).sum())} are dated after 1998" in text
    assert f"{int(year.isna().sum())} are undated" in text
    early_coded = frame.loc[early.fillna(False), "elliott_success"].dropna()
    assert (
        f"the {len(early_coded)} coded cases dated {int(year.min())}-1998, {int(early_coded.sum())}"
        in text
    )


def test_comparison_with_barenberg_matches_the_data(frame: pd.DataFrame, meta: dict) -> None:
    text = meta["comparison_with_barenberg"]
    sanctions = frame["outcome"].isin(["suspension", "partial_suspension", "termination"])
    by_2009 = frame["review_closed"].le(2009).fillna(False) | frame["case_id"].str.endswith("-memo")
    assert f"holds {int((sanctions & by_2009).sum())} suspensions" in text
    n_open = int((frame["outcome"] == "continued_review").sum())
    assert f"and {n_open} cases whose last stated outcome is a continued review" in text
    assert "13 occasions" in text and "17 countries" in text


# --- spot checks against the seeds --------------------------------------------------


@needs_seeds
def test_seed_cited_rows_name_their_country_on_the_cited_lines(frame: pd.DataFrame) -> None:
    checked = 0
    for case in frame.itertuples():
        for file, first, last in seed_refs(case.source):
            text = seed_window(file, first, last).lower()
            names = [case.country, *ALIASES.get(case.country, [])]
            assert any(name.lower() in text for name in names), (case.case_id, file, first)
            checked += 1
    assert checked >= 15


@needs_seeds
@pytest.mark.parametrize(
    ("case_id", "keywords"),
    [
        ("CHL-1986", ["In 1986, United States unions filed a GSP petition", "In 1988"]),
        ("GTM-1988", ["four GSP petitions", "taking steps"]),
        ("GTM-1992", ["in 1992, the United States accepted a petition", "continuing review"]),
        ("THA-2015", ["$1.3 billion", "worker rights"]),
        ("BLR-1997", ["Belarus"]),
        ("HND-frundt", ["union", "registration"]),
        ("SLV-frundt", ["Significant legislative reforms"]),
    ],
)
def test_seed_facts(frame: pd.DataFrame, case_id: str, keywords: list[str]) -> None:
    refs = seed_refs(row(frame, case_id)["source"])
    assert refs, case_id
    text = "\n".join(seed_window(*ref) for ref in refs)
    for keyword in keywords:
        assert keyword in text, (case_id, keyword)


def test_spot_values(frame: pd.DataFrame) -> None:
    chile = row(frame, "CHL-1986")
    # the year of the act (Proclamation 5758 of December 24 1987), not Barenberg's 1988
    assert (chile["petition_year"], chile["review_closed"], chile["reinstated_year"]) == (
        1986,
        1987,
        1991,
    )
    assert "Proclamation 5758 of December 24 1987" in chile["notes"]
    assert "seed 002 line 219" in chile["notes"] and "1988" in chile["notes"]
    assert chile["outcome"] == "suspension"
    assert row(frame, "BGD-2007")["review_closed"] == 2013
    assert row(frame, "THA-2015")["outcome"] == "partial_suspension"
    assert row(frame, "BOL-2017")["petitioner_type"] == "ustr_self_initiated"
    assert row(frame, "UZB-2008")["petitioner_type"] == "human_rights_ngo"
    assert row(frame, "GTM-1988")["outcome"] == "withdrawn_or_not_accepted"
    for case_id in ("PRY-1987", "CAF-1989"):
        assert row(frame, case_id)["reinstated_year"] == 1991


def test_spot_values_added_in_0_3(frame: pd.DataFrame) -> None:
    """Rows added or completed in version 0.3.0 (suspensions and reinstatements)."""
    syria = row(frame, "SYR-1988")
    assert (syria["review_opened"], syria["review_closed"], syria["outcome"]) == (
        1988,
        1992,
        "suspension",
    )
    assert syria["certainty"] == "inferred" and pd.isna(syria["elliott_success"])
    maldives = row(frame, "MDV-1995")
    assert (maldives["review_closed"], maldives["reinstated_year"]) == (1995, 2009)
    assert "Proclamation 6813 of July 28, 1995" in maldives["source"]
    for case_id, reinstated in (("LBR-1990", 2006), ("MMR-1989", 2016)):
        case = row(frame, case_id)
        assert case["reinstated_year"] == reinstated and case["elliott_success"] == 1
        assert "regime-change exclusion may apply" in case["notes"]
    swaziland = row(frame, "SWZ-2000")
    assert swaziland["outcome"] == "taking_steps_closed" and swaziland["review_closed"] == 2000
    assert row(frame, "KAZ-2018")["outcome"] == "unknown"
    for case_id in ("MMR-1989", "LBR-1990", "ISR-1989", "MYS-1989", "SYR-1988"):
        assert row(frame, case_id)["review_opened"] == 1988
        assert "Aug. 26, 1988" in row(frame, case_id)["source"]


def test_corrections_in_0_4(frame: pd.DataFrame, meta: dict) -> None:
    """Rows corrected in version 0.4.0 against public sources."""
    for case_id in ("IRQ-2012", "FJI-2012"):
        case = row(frame, case_id)
        assert case["petitioner"] == "AFL-CIO" and case["petitioner_type"] == "union"
        assert "accepted on June 29 2012" in case["notes"]
        assert "June 29 2012" in case["source"] and "Reuters" in case["source"]
    assert row(frame, "FJI-2012")["certainty"] == "stated"
    haiti = row(frame, "HTI-memo")
    assert haiti["review_opened"] == 1988 and "Aug. 26, 1988" in haiti["source"]
    assert pd.isna(haiti["review_closed"]) and haiti["certainty"] == "uncertain"
    # petitioners an audit proposed but no public source reached confirms stay unknown
    for case_id in ("SYR-1988", "MMR-1989", "MYS-1989", "LBR-1990", "HTI-memo", "MDV-1995"):
        case = row(frame, case_id)
        assert case["petitioner_type"] == "unknown" and pd.isna(case["petitioner"]), case_id
        assert "not found" in case["notes"], case_id
    assert "Exception pending review" not in " ".join(meta["coding"]["rules"])


def test_central_american_petitions_of_2004(frame: pd.DataFrame) -> None:
    rows = frame[frame["case_id"].str.endswith("-2004")]
    assert set(rows["iso3"]) == {"CRI", "SLV", "GTM", "HND"}
    assert (rows["petition_year"] == 2004).all()
    assert (rows["outcome"] == "unknown").all() and (rows["certainty"] == "uncertain").all()
    assert rows["source"].str.contains("WOLA").all()


def _case_year(frame: pd.DataFrame) -> pd.Series:
    return frame["case_id"].str.extract(r"-(\d{4})$")[0].astype("Int64")


def test_coverage_figures_match_the_data(frame: pd.DataFrame, meta: dict) -> None:
    coverage = meta["coverage"]
    year = _case_year(frame)
    bins = {"1986-1989": (1986, 1989), "1990-1998": (1990, 1998), "1999-2001": (1999, 2001)}
    bins |= {"2002-2009": (2002, 2009), "2010-2020": (2010, 2020)}
    for label, (first, last) in bins.items():
        n = int(((year >= first) & (year <= last)).fillna(False).sum())
        assert (
            f"{label}: {n};" in coverage["by_period"] or f"{label}: {n}," in coverage["by_period"]
        ), label
    undated = int(year.isna().sum())
    assert f"undated: {undated} (" in coverage["by_period"]
    to_1998 = int((year <= 1998).fillna(False).sum())
    assert f"{to_1998} rows dated 1986-1998" in coverage["elliott"]
    never_accepted = frame["outcome"].eq("withdrawn_or_not_accepted") & (year <= 1998).fillna(False)
    assert f"at most {to_1998 - int(never_accepted.sum())} + {undated} = " in coverage["elliott"]
    to_2001 = int((year <= 2001).fillna(False).sum())
    assert f"{to_2001} rows dated 1986-2001" in coverage["compa_vogt"]
    assert f"representing {to_2001 + 3} petitions or reviews" in coverage["compa_vogt"]
    after = int((year > 2001).fillna(False).sum())
    assert f"the {after} cases named" in coverage["after_2001"]


def test_version_and_changelog(meta: dict) -> None:
    assert meta["version"] == meta["changelog"][0]["version"] == "0.4.0"
