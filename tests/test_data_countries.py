"""Country harmonisation: state-change rules, unmatched reports, COW and ISO2 codes."""

from __future__ import annotations

import pandas as pd
import pytest

from enforcement_lab.data import countries
from enforcement_lab.errors import DataError


@pytest.mark.parametrize(
    ("name", "year", "iso3"),
    [
        ("Soviet Union", 1985, "SUN"),
        ("USSR", 1990, "SUN"),
        ("Russia", 1995, "RUS"),
        ("Russian Federation", 1985, "RUS"),
        ("Yugoslavia", 1985, "YUG"),
        ("Yugoslavia", 1999, "SCG"),
        ("Yugoslavia", 2007, "SRB"),
        ("Yugoslavia, FR", 1995, "SCG"),
        ("Serbia and Montenegro", 2004, "SCG"),
        ("Serbia", 2010, "SRB"),
        ("Czechoslovakia", 1990, "CSK"),
        ("Czech Republic", 1995, "CZE"),
        ("German Democratic Republic", 1980, "DDR"),
        ("Germany, East", 1980, "DDR"),
        ("Germany West", 1980, "DEU"),
        ("Germany, W.", 1980, "DEU"),
        ("Germany", 2000, "DEU"),
        ("Yemen Arab Republic", 1985, "YEM"),
        ("Yemen, South", 1985, "YMD"),
        ("Yemen, Democratic", 1985, "YMD"),
        ("Yemen, Rep.", 2000, "YEM"),
        ("Sudan", 2005, "SDN"),
        ("Sudan", 2015, "SDN"),
        ("South Sudan", 2015, "SSD"),
        ("Côte d'Ivoire", 2000, "CIV"),
        ("Cote d'Ivoire", 2000, "CIV"),
        ("Burma", 2000, "MMR"),
        ('"Venezuela, RB"', 2000, "VEN"),
        ("Afghanistan*", 2017, "AFG"),
        ("          Afghanistan", 1980, "AFG"),
        ("Ethiopia (-1991)", 1985, "ETH"),
        ("China, Taiwan Province of", 2000, "TWN"),
    ],
)
def test_names(name, year, iso3):
    assert countries.to_iso3([name], [year]).tolist() == [iso3]


@pytest.mark.parametrize(
    ("cow", "year", "iso3"),
    [
        (2, 2000, "USA"),
        (365, 1991, "SUN"),
        (365, 1992, "RUS"),
        (345, 1991, "YUG"),
        (345, 2000, "SCG"),
        (345, 2006, "SRB"),
        (315, 1990, "CSK"),
        (316, 1995, "CZE"),
        (265, 1980, "DDR"),
        (260, 1980, "DEU"),
        (255, 2000, "DEU"),
        (678, 1985, "YEM"),
        (679, 2000, "YEM"),
        (680, 1985, "YMD"),
        (625, 2000, "SDN"),
        (626, 2012, "SSD"),
        (816, 2000, "VNM"),
        (710, 2000, "CHN"),
        (990, 2000, "WSM"),
    ],
)
def test_cow_codes(cow, year, iso3):
    assert countries.cow_to_iso3([cow], [year]).tolist() == [iso3]


def test_cow_agrees_with_names_on_ciri(mirror_dir):
    """CIRI carries both names and COW codes: where a country has data the two agree."""
    raw = pd.read_csv(mirror_dir / "ciri_1981_2011.csv")
    real = raw[(raw["WORKER"] >= 0) & raw["COW"].notna()]
    by_name = countries.to_iso3(real["CTRY"], real["YEAR"])
    by_cow = countries.cow_to_iso3(real["COW"], real["YEAR"])
    agree = (by_name.to_numpy() == by_cow.to_numpy()).mean()
    assert agree > 0.99, real.loc[by_name.to_numpy() != by_cow.to_numpy(), "CTRY"].unique()


def test_unmatched_reported_and_strict():
    res = countries.to_iso3(["France", "Narnia", "Atlantis", "Narnia"])
    assert res.tolist() == ["FRA", None, None, None]
    assert res.attrs["unmatched"] == ["Atlantis", "Narnia"]
    with pytest.raises(
        DataError, match=r"2 country names in my.csv could not be matched to ISO3: Atlantis, Narnia"
    ):
        countries.to_iso3(["France", "Narnia", "Atlantis"], strict=True, context="my.csv")
    with pytest.raises(DataError, match="COW codes"):
        countries.cow_to_iso3([2, 9999], strict=True)
    with pytest.raises(DataError, match="ISO2 codes"):
        countries.iso2_to_iso3(["US", "1A"], strict=True)


def test_harmonise_modes():
    df = pd.DataFrame({"c": ["FRA", "ABC", "XAA"], "year": [2000, 2000, 2000]})
    out = countries.harmonise(df, "c", src="iso3")
    assert out["iso3"].tolist() == ["FRA", "XAA"] and out.attrs["unmatched"] == ["ABC"]
    kept = countries.harmonise(df, "c", src="iso3", drop_unmatched=False)
    assert kept["iso3"].isna().sum() == 1
    with pytest.raises(DataError, match="column 'nope'"):
        countries.harmonise(df, "nope")
    with pytest.raises(DataError, match="src must be"):
        countries.harmonise(df, "c", src="fips")


def test_rules_documented():
    assert {r.label for r in countries.STATE_RULES} >= {
        "USSR",
        "Yugoslavia (SFRY)",
        "Czechoslovakia",
        "German Democratic Republic",
        "South Yemen",
        "Sudan",
    }
    for rule in countries.STATE_RULES:
        assert rule.note and rule.iso3_by_year
