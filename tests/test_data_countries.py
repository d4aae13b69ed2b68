"""Country harmonisation: state-change rules, unmatched reports, COW and ISO2 codes."""

from __future__ import annotations

from pathlib import Path

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
        # one succession rule: the Russian Federation before 1992 is the USSR it continues
        # (this was RUS, which split one state's record between two codes)
        ("Russian Federation", 1985, "SUN"),
        ("Russia", 1991, "SUN"),
        ("Soviet Union", 1992, "RUS"),
        ("Serbia", 1985, "YUG"),
        ("Serbia", 1999, "SCG"),
        ("Serbia and Montenegro", 2007, "SRB"),
        ("Czech Republic", 1990, "CZE"),
        ("Slovakia", 1990, "SVK"),
        ("Ukraine", 1985, "UKR"),
        ("Eritrea", 1990, "ERI"),
        ("UAE", 2000, "ARE"),
        ("United Arab Emirates", 2000, "ARE"),
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
        (365, 1973, "SUN"),
        (369, 1985, "UKR"),
        (317, 1995, "SVK"),
        (530, 1985, "ETH"),
        (531, 1995, "ERI"),
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
        assert rule.note and rule.iso3 in countries.known_codes()
    labels = {s.label for s in countries.SUCCESSIONS}
    assert labels >= {
        "USSR / Russia",
        "Yugoslavia / Serbia",
        "Czechoslovakia",
        "German Democratic Republic",
        "Germany",
        "South Yemen",
        "Yemen",
        "Sudan / South Sudan",
        "Ethiopia / Eritrea",
    }
    for entry in countries.SUCCESSIONS:
        assert entry.note and set(entry.codes) <= countries.known_codes()
    # every code of the rule is documented in the module docstring and the data page
    page = (Path(__file__).parent.parent / "docs" / "explanation" / "data.md").read_text()
    for code in {c for e in countries.SUCCESSIONS for c in e.codes}:
        assert f"``{code}``" in countries.__doc__ and f"`{code}`" in page, code


def test_one_succession_rule_for_names_cow_codes_and_every_year():
    """Names and COW codes of one entity agree in every year, and the code changes exactly
    at the documented year."""
    years = list(range(1946, 2021))
    cases = {
        "USSR / Russia": (["Soviet Union", "USSR", "Russia", "Russian Federation"], [365]),
        "Yugoslavia / Serbia": (["Yugoslavia", "Serbia and Montenegro", "Serbia"], [345]),
    }
    for label, (names, cows) in cases.items():
        entry = next(s for s in countries.SUCCESSIONS if s.label == label)
        want = [entry.code(y) for y in years]
        for name in names:
            assert countries.to_iso3([name] * len(years), years).tolist() == want, name
        for cow in cows:
            assert countries.cow_to_iso3([cow] * len(years), years).tolist() == want, cow
    assert countries.to_iso3(["Russia"] * 2, [1991, 1992]).tolist() == ["SUN", "RUS"]
    assert countries.to_iso3(["Serbia"] * 3, [1991, 2005, 2006]).tolist() == [
        "YUG",
        "SCG",
        "SRB",
    ]


def test_legacy_codes_translated_and_reported():
    df = pd.DataFrame({"c": ["ROM", "ZAR", "TMP", "ADO", "ROU", "FRA"], "year": [2000] * 6})
    out = countries.harmonise(df, "c", src="iso3", strict=True)
    assert out["iso3"].tolist() == ["ROU", "COD", "TLS", "AND", "ROU", "FRA"]
    assert out.attrs["recoded"] == {"ADO": "AND", "ROM": "ROU", "TMP": "TLS", "ZAR": "COD"}
    assert out.attrs["unmatched"] == []
    # ISO3 codes given by a source are never re-dated (they name a territory)
    rus = countries.harmonise(pd.DataFrame({"c": ["RUS"], "year": [1990]}), "c", src="iso3")
    assert rus["iso3"].tolist() == ["RUS"]


def test_known_codes_are_iso_3166_plus_the_documented_historical_codes():
    """Checked against pycountry's ISO 3166-1 and 3166-3 tables (an independent source)."""
    pycountry = pytest.importorskip("pycountry")
    iso = {c.alpha_3 for c in pycountry.countries}
    former = {c.alpha_3 for c in pycountry.historic_countries}
    assert set(countries.known_codes()) - iso == set(countries.HISTORICAL_CODES)
    assert set(countries.HISTORICAL_CODES) - former == {"XKX"}  # Kosovo: user-assigned
    assert set(countries.LEGACY_CODES.values()) <= iso | {"XKX"}
    assert not set(countries.LEGACY_CODES) & set(countries.known_codes())
