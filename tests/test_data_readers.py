"""Readers on fixtures the tests write: the NORMLEX ratification table format, UNCTAD's CR
line endings and padded names, DOL XML field variants, CIRI missing codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enforcement_lab.data import readers
from enforcement_lab.errors import DataError

NORMLEX_CSV = """Country,Date,Status,Note
Afghanistan,07 Apr 2010,In Force,
Albania,16 Feb 2001,In Force,
Bangladesh,22 Mar 2022,In Force,
Burma,14 Jun 1955,Not in force,Denounced on 01 Jan 1990
"Côte d'Ivoire",07 Feb 2003,In Force,
Czechoslovakia,21 Jan 1964,Not in force,Ratified by the former state
United States of America,25 Sep 1991,In Force,
"""


def test_normlex_single_convention(tmp_path):
    path = tmp_path / "C138.csv"
    path.write_text(NORMLEX_CSV, encoding="utf-8")
    df = readers.read_normlex_ratifications(path, convention="C138")
    assert len(df) == 7 and (df["convention"] == "C138").all()
    row = df.set_index("iso3").loc["AFG"]
    assert row["ratified"] == pd.Timestamp("2010-04-07") and row["year"] == 2010 and row["in_force"]
    mmr = df.set_index("iso3").loc["MMR"]
    assert mmr["denounced"] == pd.Timestamp("1990-01-01") and mmr["denounced_year"] == 1990
    assert not mmr["in_force"]
    assert df.set_index("iso3").loc["CSK", "year"] == 1964  # Czechoslovakia stays CSK
    assert set(df["iso3"]) == {"AFG", "ALB", "BGD", "MMR", "CIV", "CSK", "USA"}


def test_normlex_multi_convention_xlsx(tmp_path):
    path = tmp_path / "ratifications.xlsx"
    pd.DataFrame(
        {
            "Member State": ["France", "France", "Chile"],
            "Instrument": ["C087 - Freedom of Association", "C98", "P029"],
            "Ratification date": ["28 Jun 1951", "26 Oct 1951", "2019-01-15"],
            "Status": ["In Force", "In Force", "In Force"],
        }
    ).to_excel(path, index=False)
    df = readers.read_normlex_ratifications(path)
    assert df[["iso3", "convention", "year"]].values.tolist() == [
        ["FRA", "C087", 1951],
        ["FRA", "C098", 1951],
        ["CHL", "P029", 2019],
    ]
    assert df["in_force"].all() and df["denounced"].isna().all()
    assert df.set_index("convention").loc["P029", "ratified"] == pd.Timestamp("2019-01-15")


def test_normlex_errors(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Country,Date,Status\nFrance,someday,In Force\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"unreadable ratification date in row\(s\) \[2\]"):
        readers.read_normlex_ratifications(path, convention="C087")
    path.write_text("Country,Status\nFrance,In Force\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"lacks column\(s\) \['date'\]"):
        readers.read_normlex_ratifications(path, convention="C087")
    path.write_text(
        "Country,Date,Status\nNarnia,01 Jan 2000,In Force\nFrance,01 Jan 2000,In Force\n"
    )
    with pytest.raises(DataError, match="Narnia"):
        readers.read_normlex_ratifications(path, convention="C087", strict=True)
    df = readers.read_normlex_ratifications(path, convention="C087")
    assert df["iso3"].tolist() == ["FRA"] and df.attrs["unmatched"] == ["Narnia"]
    path.write_text(
        "Country,Date,Status\nFrance,01 Jan 2000,In Force\nFrance,01 Jan 2001,In Force\n"
    )
    with pytest.raises(DataError, match="duplicated country x convention"):
        readers.read_normlex_ratifications(path, convention="C087")
    with pytest.raises(DataError, match="does not exist"):
        readers.read_normlex_ratifications(tmp_path / "none.csv", convention="C087")


def test_unctad_cr_padding_ranges(tmp_path):
    header = (
        "ECONOMY,YEAR,US Dollars at current prices and current exchange rates in millions,"
        "US Dollars at current prices and current exchange rates per capita,"
        "Percentage of total world,Percentage of Gross Domestic Product"
    )
    lines = [
        header,
        "          Ethiopia (-1991),1990,5,..,..,..",
        "          Ethiopia (-1991),1992,99,..,..,..",
        "          Ethiopia,1990,..,..,..,..",
        "          Ethiopia,1992,7,..,..,..",
        "          France,1990,_,..,..,..",
        "Developing economies: Africa,1990,1,..,..,..",
        '"          Germany, Federal Republic of",1989,10,..,..,..',
        '"          Germany, Democratic Republic of",1989,..,..,..,..',
    ]
    path = tmp_path / "unctad.csv"
    path.write_bytes("\r".join(lines).encode("latin-1"))
    df = readers.read_unctad_fdi(path)
    got = df.set_index(["iso3", "year"])["fdi_inflow_musd"]
    assert got.loc[("ETH", 1990)] == 5 and got.loc[("ETH", 1992)] == 7
    assert np.isnan(got.loc[("FRA", 1990)])
    assert got.loc[("DEU", 1989)] == 10 and ("DDR", 1989) in got.index
    assert "Developing economies: Africa" in df.attrs["dropped"]
    assert len(df) == 5


def _dol_xml(inspectors: str, element: str = "Labor_Inspections") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Countries>
  <Country><Name>Ghana</Name><Region>Africa</Region>
    <Advancement_Level>Minimal Advancement – Efforts Made but Continued Law that Delayed Advancement</Advancement_Level>
    <Conventions><C_138_Ratified>Yes</C_138_Ratified><C_182_Ratified>N/A</C_182_Ratified></Conventions>
    <Enforcements><Labor_Inspectors>{inspectors}</Labor_Inspectors><{element}>1,200‡</{element}>
      <Labor_Violations>Unknown*</Labor_Violations></Enforcements>
  </Country>
  <Country><Name>Pakistan</Name><Advancement_Level>Moderate Advancement</Advancement_Level>
    <Enforcements><Labor_Inspectors>
      <Territory><Territory_Name>Punjab</Territory_Name><Enforcement>300</Enforcement></Territory>
      <Territory><Territory_Name>Sindh</Territory_Name><Enforcement>1,00</Enforcement></Territory>
    </Labor_Inspectors>
    <Labor_Inspections>
      <Territory><Territory_Name>Punjab</Territory_Name><Enforcement>10</Enforcement></Territory>
      <Territory><Territory_Name>Sindh</Territory_Name><Enforcement>Unknown</Enforcement></Territory>
    </Labor_Inspections></Enforcements>
  </Country>
</Countries>"""


def test_dol_variants(tmp_path):
    a = tmp_path / "dol_2019.xml"
    a.write_text(_dol_xml("45"), encoding="utf-8")
    df = readers.read_dol_child_labor(a).set_index("iso3")
    assert df.loc["GHA", "year"] == 2019 and df.loc["GHA", "labor_inspectors"] == 45
    assert df.loc["GHA", "labor_inspections"] == 1200 and np.isnan(
        df.loc["GHA", "labor_violations"]
    )
    assert df.loc["GHA", "advancement"] == "Minimal Advancement"
    assert bool(df.loc["GHA", "c138_ratified"]) and pd.isna(df.loc["GHA", "c182_ratified"])
    assert df.loc["PAK", "labor_inspectors"] == 400  # territories summed ('1,00' -> 100)
    assert np.isnan(df.loc["PAK", "labor_inspections"])  # one territory unknown
    b = tmp_path / "dol_2022.xml"  # the older element name for inspections
    b.write_text(_dol_xml("N/A", "Labor_Worksite_Inspections"), encoding="utf-8")
    df = readers.read_dol_child_labor(b).set_index("iso3")
    assert df.loc["GHA", "labor_inspections"] == 1200 and np.isnan(
        df.loc["GHA", "labor_inspectors"]
    )
    c = tmp_path / "broken_2020.xml"
    c.write_text("<Countries><Country>", encoding="utf-8")
    with pytest.raises(DataError, match="not well-formed"):
        readers.read_dol_child_labor(c)


def test_ciri_missing_codes_on_fixture(tmp_path):
    cols = [
        "CTRY",
        "YEAR",
        "CIRI",
        "COW",
        "POLITY",
        "UNCTRY",
        "UNREG",
        "UNSUBREG",
        "WORKER",
        "ASSN",
    ]
    rows = [
        ["Chile", 1990, 1, 155, 155, 152, 19, 5, 1, -66],
        ["Chile", 1991, 1, 155, 155, 152, 19, 5, -77, 2],
        ["Chile", 1992, 1, 155, 155, 152, 19, 5, -999, 1],
        ["Soviet Union", 1992, 2, 365, 365, 810, 150, 151, -999, -999],
        ["Russia", 1992, 3, 365, 365, 643, 150, 151, 1, 1],
    ]
    path = tmp_path / "ciri.csv"
    pd.DataFrame(rows, columns=cols).to_csv(path, index=False)
    df = readers.read_ciri(path).set_index(["iso3", "year"])
    assert df.loc[("CHL", 1990), "WORKER"] == 1 and np.isnan(df.loc[("CHL", 1990), "ASSN"])
    assert np.isnan(df.loc[("CHL", 1991), "WORKER"]) and np.isnan(df.loc[("CHL", 1992), "WORKER"])
    # one succession rule: the all-missing "Soviet Union" row of 1992 is Russia's year
    # (RUS) and gives way to the row with data; no USSR row is left after 1991
    assert df.loc[("RUS", 1992), "WORKER"] == 1 and ("SUN", 1992) not in df.index


def test_duplicates_with_data_raise(tmp_path):
    path = tmp_path / "un.csv"
    pd.DataFrame(
        {
            "participant": ["France", "France"],
            "year": [2000, 2000],
            "cescr_ratify": [1, 0],
            "ccpr_ratify": [1, 1],
            "cat_ratify": [0, 0],
            "ccode": [220, 220],
        }
    ).to_csv(path, index=False)
    with pytest.raises(DataError, match=r"un.csv: 2 rows share a iso3/year key.*\('FRA', 2000\)"):
        readers.read_un_treaties(path)
