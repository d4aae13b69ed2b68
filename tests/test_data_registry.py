"""External-data registry and readers: every entry loads from the mirror with the documented
shape, hashes are enforced, and the source-specific cleaning is right."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from enforcement_lab.data import registry
from enforcement_lab.data.readers import UNCTAD_COLUMNS, UNCTAD_STOCK_COLUMNS
from enforcement_lab.errors import DataError


@pytest.fixture(scope="session")
def loaded(mirror_dir):
    """Every registry data set, loaded once from the mirror."""
    return {d: registry.load_source(d, mirror=mirror_dir) for d in registry.datasets()}


def test_registry_matches_manifest(mirror_dir):
    manifest = pd.read_csv(mirror_dir / "MANIFEST.csv")
    ours = pd.DataFrame([e.__dict__ for e in registry.entries()])
    merged = manifest.merge(ours, on="file", suffixes=("_m", ""), how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", "file"]
    assert (merged["sha256_m"] == merged["sha256"]).all()
    assert (merged["url_m"] == merged["url"]).all()
    assert (merged["bytes_m"] == merged["bytes"]).all()


def test_every_entry_verifies_on_the_mirror(mirror_dir):
    results = registry.verify(mirror=mirror_dir)
    assert len(results) == len(registry.entries())
    assert {r["status"] for r in results} == {"ok"}
    assert {r["location"] for r in results} == {"mirror"}


# (dataset, rows, ISO3 codes, first year, last year) as documented in the manifest/README
# and as the cleaning leaves them (comments give the reason where they differ).
SHAPES = [
    ("labour_rights_controls_panel", 5568, 192, 1982, 2010),  # 192 countries x 29 years
    ("cbr_lri", 5568, 192, 1982, 2010),
    ("ciri", None, None, 1981, 2011),  # 202 names, checked below
    # Mosley copies the USSR's and FR Yugoslavia's scores onto "Russian Federation" before
    # 1992 and lists "Serbia" beside "Yugoslavia, FR": under the succession rule those are
    # one state-year, the row under the year's own name is kept (34 rows superseded)
    ("mosley", 3536, 199, 1985, 2002),
    ("wdi_panel", 13330, 215, 1960, 2021),  # 215 countries x 62 years
    ("wdi_gdp_population", 11928, 213, 1960, 2015),  # 214 codes less the JG aggregate
    ("lri_in_law", 185, 185, 2017, 2017),
    ("lri_in_practice", 185, 185, 2017, 2017),
    # the "Russian Federation" rows to 1991 are the USSR's (SUN): 180 codes, not 179
    ("un_treaty_ratifications", 12351, 180, 1945, 2013),
    ("freedom_house", None, None, 1972, 2024),
    ("polity5", None, None, None, 2018),
    ("unctad_fdi", None, None, 1980, 2011),
    ("unctad_fdi_stock", None, None, 1980, 2011),
    ("dol_child_labor", 1003, None, 2016, 2022),  # 148+142+141+143*4 country reports
]


@pytest.mark.parametrize(
    ("name", "rows", "n_iso3", "first", "last"), SHAPES, ids=[s[0] for s in SHAPES]
)
def test_shapes(loaded, name, rows, n_iso3, first, last):
    df = loaded[name]
    assert {"iso3", "year"} <= set(df.columns)
    assert not df.duplicated(["iso3", "year"]).any()
    assert df["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    if rows is not None:
        assert len(df) == rows
    if n_iso3 is not None:
        assert df["iso3"].nunique() == n_iso3
    if first is not None:
        assert df["year"].min() == first
    if last is not None:
        assert (
            df.loc[
                df.drop(columns=["iso3", "year", "country"], errors="ignore").notna().any(axis=1),
                "year",
            ].max()
            >= last
        )
    prov = df.attrs["provenance"]
    assert prov and all(p["location"] == "mirror" and len(p["sha256"]) == 64 for p in prov)
    assert df.attrs["synthetic"] is False


# The columns each manifest description names, as the readers leave them.
MANIFEST_COLUMNS = {
    "cbr_lri": [f"LRI_{i}" for i in range(1, 41)]
    + ["LRI_Contracts", "LRI_Worktime", "LRI_Dismiss", "LRI_Union", "LRI_Strike", "LRI_Total"],
    "ciri": ["WORKER", "ASSN", "PHYSINT", "POLITY", "COW"],
    "labour_rights_controls_panel": [
        "CIRI_WORKER",
        "Mos_labor",
        "Mos_labor_law",
        "Mos_labor_prac",
        "polity2",
        "confl",
        "logGDPpc",
        "logpopulation",
        "logtrade",
        "wb_region",
    ],
    "mosley": [
        "LaborRightsPos",
        "LawPos",
        "PracticePos",
        "LaborRightsNeg",
        "LawNeg",
        "PracticeNeg",
    ],
    "polity5": ["polity2", "cown", "GWn"],
    "freedom_house": ["pr", "cl", "cown", "GWn"],
    "un_treaty_ratifications": ["cescr_ratify", "ccpr_ratify", "cat_ratify", "cow"],
    "unctad_fdi": list(UNCTAD_COLUMNS.values()),
    "unctad_fdi_stock": list(UNCTAD_STOCK_COLUMNS.values()),
    "wdi_gdp_population": ["NY.GDP.PCAP.CD", "NY.GDP.MKTP.CD", "SP.POP.TOTL"],
    "wdi_panel": ["GDP", "GDPPerCapita", "TotalTrade", "FDIIn", "NetAidReceived"],
    "dol_child_labor": [
        "c138_ratified",
        "c182_ratified",
        "advancement",
        "labor_inspectors",
        "labor_inspections",
        "labor_violations",
    ],
    "lri_in_law": ["lri_in_law", "marked"],
    "lri_in_practice": ["lri_in_practice", "marked"],
}


def test_manifest_columns_present(loaded):
    assert set(MANIFEST_COLUMNS) == set(registry.datasets())  # a new entry needs its columns
    for name, cols in MANIFEST_COLUMNS.items():
        df = loaded[name]
        assert set(cols) <= set(df.columns), (name, set(cols) - set(df.columns))
        assert not any(str(c).startswith("Unnamed") for c in df.columns), name
    # CBR: exactly 40 items and the six sub-indices, on the controls panel's frame
    cbr = loaded["cbr_lri"]
    assert sum(bool(re.fullmatch(r"LRI_\d+", c)) for c in cbr.columns) == 40
    controls = loaded["labour_rights_controls_panel"]
    assert set(zip(cbr["iso3"], cbr["year"], strict=True)) == set(
        zip(controls["iso3"], controls["year"], strict=True)
    )


def test_no_external_file_is_in_the_project(repo_root):
    """The registry files are fetched or read from the mirror, never committed."""
    by_size: dict[int, list] = {}
    for e in registry.entries():
        by_size.setdefault(e.bytes, []).append(e)
    skip = {".venv", ".git", "_build", "__pycache__", ".hypothesis", ".ruff_cache", ".cache"}
    names = {e.file for e in registry.entries()}
    found = []
    for folder, dirs, files in os.walk(repo_root):
        dirs[:] = [d for d in dirs if d not in skip]
        for f in files:
            path = Path(folder) / f
            if f in names:
                found.append(str(path))
                continue
            size = path.stat().st_size
            if any(registry.sha256_file(path) == e.sha256 for e in by_size.get(size, [])):
                found.append(str(path))
    assert not found


def test_ciri_202_countries_missing_codes(loaded, mirror_dir):
    df = loaded["ciri"]
    raw = pd.read_csv(mirror_dir / "ciri_1981_2011.csv")
    assert raw["CTRY"].nunique() == 202 and (raw["YEAR"].min(), raw["YEAR"].max()) == (1981, 2011)
    assert df["country"].nunique() == 202
    assert set(df["WORKER"].dropna().unique()) == {0, 1, 2}
    for col in ("WORKER", "ASSN", "PHYSINT"):
        assert not df[col].isin([-66, -77, -999]).any()
    # every real (non-missing) raw WORKER value survives, on the right ISO3
    real = raw[raw["WORKER"] >= 0]
    assert df["WORKER"].notna().sum() == len(real) - (real.duplicated(["CTRY", "YEAR"]).sum())
    us = df[(df["iso3"] == "USA") & (df["year"] == 2000)]
    raw_us = raw[(raw["CTRY"] == "United States of America") & (raw["YEAR"] == 2000)]
    assert us["WORKER"].item() == raw_us["WORKER"].item()
    # state changes: the USSR to 1991, Russia after; Yugoslavia's successors separate
    assert df.loc[(df["iso3"] == "SUN") & df["WORKER"].notna(), "year"].max() <= 1991
    assert df.loc[(df["iso3"] == "RUS") & df["WORKER"].notna(), "year"].min() >= 1992
    assert df.loc[(df["iso3"] == "CSK") & df["WORKER"].notna(), "year"].max() <= 1992


def test_controls_panel_matches_spec_columns(loaded):
    df = loaded["labour_rights_controls_panel"]
    for col in (
        "CIRI_WORKER",
        "polity2",
        "logGDPpc",
        "logtrade",
        "logpopulation",
        "Mos_labor",
        "wb_region",
    ):
        assert col in df.columns
    assert df["polity2"].dtype == float and df["CIRI_WORKER"].dtype == float
    assert df["polity2"].dropna().between(-10, 10).all()
    assert set(df["CIRI_WORKER"].dropna().unique()) <= {0.0, 1.0, 2.0}
    assert df.groupby("iso3").size().eq(29).all()


def test_ciri_agrees_with_controls_panel(loaded):
    """The replication panel's CIRI_WORKER is CIRI's WORKER: the two files must agree."""
    m = loaded["labour_rights_controls_panel"].merge(loaded["ciri"], on=["iso3", "year"])
    both = m.dropna(subset=["CIRI_WORKER", "WORKER"])
    assert len(both) > 3000
    assert (both["CIRI_WORKER"] == both["WORKER"]).mean() > 0.97


def test_unctad_cleaning(loaded):
    df = loaded["unctad_fdi"]
    assert df["label"].str.strip().eq(df["label"]).all()  # padding stripped
    assert not df["label"].str.contains("n.e.s.", regex=False).any()  # aggregates dropped
    # year ranges: Ethiopia (-1991) covers 1980-1991, then Ethiopia
    eth = df[df["iso3"] == "ETH"].set_index("year")["label"]
    assert (eth.loc[:1991] == "Ethiopia (-1991)").all() and (eth.loc[1992:] == "Ethiopia").all()
    assert df.loc[(df.iso3 == "AFG") & (df.year == 1983), "fdi_inflow_musd"].isna().all()  # '..'
    assert df.loc[(df.iso3 == "AFG") & (df.year == 1980), "fdi_inflow_musd"].item() == 9.0
    assert "Developing economies" in df.attrs["dropped"]


def test_unctad_stock_is_the_flow_files_twin(loaded):
    """The stock file: same cleaning and economies as the flow file, its own column names."""
    stock, flow = loaded["unctad_fdi_stock"], loaded["unctad_fdi"]
    assert list(stock.columns) == [
        "iso3",
        "year",
        "country",
        "label",
        *UNCTAD_STOCK_COLUMNS.values(),
    ]
    assert not set(UNCTAD_COLUMNS.values()) & set(stock.columns)
    assert set(stock["iso3"]) == set(flow["iso3"])
    # values as in the raw file (first data rows: Afghanistan 1980 and 1981)
    afg = stock[stock["iso3"] == "AFG"].set_index("year")
    assert afg.loc[1980, "fdi_stock_musd"] == pytest.approx(11.10003)
    assert afg.loc[1981, "fdi_stock_pct_gdp"] == pytest.approx(0.32425173)
    assert "Panama, Canal Zone" in stock.attrs["dropped"]  # a part of a country, no ISO3


def test_wdi_aggregates_and_namibia(loaded):
    df = loaded["wdi_gdp_population"]
    assert "NAM" in set(df["iso3"])  # ISO2 "NA" is Namibia, not missing
    assert "JG" in df.attrs["dropped"]
    assert list(df.columns[:4]) == ["iso3", "iso2c", "country", "year"]  # R row numbers dropped


def test_lri_marks_stripped(loaded):
    law = loaded["lri_in_law"]
    assert not law["country"].str.contains(r"\*").any()
    assert law.loc[law["iso3"] == "AFG", "marked"].item()
    assert law.loc[law["iso3"] == "AFG", "lri_in_law"].item() == pytest.approx(1.42)
    assert law["lri_in_law"].between(0, 10).all()


def test_dol_fields_across_years(loaded):
    df = loaded["dol_child_labor"]
    assert sorted(df["year"].unique()) == list(range(2016, 2023))
    assert df.groupby("year").size().to_dict() == {
        2016: 148,
        2017: 142,
        2018: 141,
        2019: 143,
        2020: 143,
        2021: 143,
        2022: 143,
    }
    afg16 = df[(df.iso3 == "AFG") & (df.year == 2016)].iloc[0]
    assert afg16["labor_inspectors"] == 32 and bool(afg16["c138_ratified"])
    assert afg16["advancement"] == "Moderate Advancement"
    assert set(df["advancement"].dropna()) <= {
        "Significant Advancement",
        "Moderate Advancement",
        "Minimal Advancement",
        "No Advancement",
        "No Assessment",
    }
    # territories summed: Pakistan reports by province
    assert df.loc[(df.iso3 == "PAK") & (df.year == 2016), "labor_inspectors"].item() > 0
    assert df["c138_ratified"].dtype == "boolean"


def test_corrupted_mirror_copy_is_rejected(mirror_dir, tmp_path):
    e = registry.entry("lri_in_law")
    bad = tmp_path / e.file
    data = bytearray((mirror_dir / e.file).read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(DataError, match=e.file) as info:
        registry.load_source("lri_in_law", mirror=tmp_path)
    assert e.sha256 in str(info.value) and registry.sha256_file(bad) in str(info.value)
    assert bad.read_bytes() == bytes(data)  # the mirror is never modified
    res = {r["name"]: r["status"] for r in registry.verify(mirror=tmp_path)}
    assert res["lri_in_law"] == "mismatch" and res["ciri"] == "missing"


def test_corrupted_cache_is_refetched_not_used(tmp_path, monkeypatch):
    """A cached file with a wrong hash makes pooch download again; with no network that is
    a DataError, never a read of the bad file."""
    import pooch

    e = registry.entry("lri_in_law")
    monkeypatch.setenv(registry.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv(registry.MIRROR_ENV, "none")
    (tmp_path / e.file).write_bytes(b"not the file")

    def refuse(self, url, output_file, pooch_obj, check_only=False):
        raise OSError("network disabled in tests")

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", refuse)
    with pytest.raises(DataError, match="cannot download"):
        registry.fetch("lri_in_law")


def test_download_with_bad_hash_is_discarded(tmp_path, monkeypatch):
    import pooch

    e = registry.entry("lri_in_law")
    monkeypatch.setenv(registry.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv(registry.MIRROR_ENV, "none")

    def fake(self, url, output_file, pooch_obj, check_only=False):
        with open(output_file, "wb") as fh:
            fh.write(b"tampered")

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", fake)
    monkeypatch.setattr(pooch.core.time, "sleep", lambda seconds: None)  # pooch's retry wait
    with pytest.raises(DataError, match=f"{e.file}.*expected {e.sha256}"):
        registry.fetch("lri_in_law")
    assert not (tmp_path / e.file).exists()


def test_download_with_good_hash_is_cached(tmp_path, monkeypatch, mirror_dir):
    import pooch

    e = registry.entry("lri_in_practice")
    monkeypatch.setenv(registry.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv(registry.MIRROR_ENV, "none")

    def fake(self, url, output_file, pooch_obj, check_only=False):
        assert url == e.url
        shutil.copyfile(mirror_dir / e.file, output_file)

    monkeypatch.setattr(pooch.HTTPDownloader, "__call__", fake)
    path = registry.fetch("lri_in_practice")
    assert path == tmp_path / e.file and registry.sha256_file(path) == e.sha256
    assert registry.locate("lri_in_practice") == (path, "cached")
    df = registry.load_source("lri_in_practice")
    assert df.attrs["provenance"][0]["location"] == "cache"


def test_unknown_source_and_paths(tmp_path):
    with pytest.raises(DataError, match="unknown data source 'nope'"):
        registry.load_source("nope")
    with pytest.raises(DataError, match="does not exist"):
        registry.load_source(tmp_path / "x.csv")
    p = tmp_path / "mine.csv"
    pd.DataFrame({"iso3": ["FRA"], "year": [2000], "y": [1.0]}).to_csv(p, index=False)
    df = registry.load_source(p)
    assert df["y"].tolist() == [1.0] and df.attrs["provenance"][0][
        "sha256"
    ] == registry.sha256_file(p)
    with pytest.raises(DataError, match="not a directory"):
        registry.load_source("ciri", mirror=tmp_path / "absent")


def test_mirror_from_environment(mirror_dir, monkeypatch):
    monkeypatch.setenv(registry.MIRROR_ENV, str(mirror_dir))
    assert registry.locate("ciri") == (mirror_dir / "ciri_1981_2011.csv", "mirror")
    assert registry.fetch("ciri") == mirror_dir / "ciri_1981_2011.csv"


def test_dol_number_parsing():
    from enforcement_lab.data.readers import _dol_number

    assert _dol_number("1,673‡") == 1673.0
    assert _dol_number(" 32 ") == 32.0
    for missing in ("Unknown", "Unknown*", "N/A", "Unavailable", "", None):
        assert np.isnan(_dol_number(missing))


def test_polity_state_change_years_keep_the_continuing_entity(loaded):
    p = loaded["polity5"].set_index(["iso3", "year"])
    assert p.loc[("SDN", 2011), "country"] == "Sudan-North"
    assert p.loc[("YEM", 1990), "country"] == "Yemen"
    assert p.loc[("SUN", 1990), "country"] == "USSR" and ("RUS", 1990) not in p.index
    assert p.loc[("USA", 2000), "polity2"] == 10


def test_freedom_house_states_only(loaded):
    fh = loaded["freedom_house"]
    assert {"Indian Kashmir", "Tibet", "Northern Ireland"} <= set(fh.attrs["dropped"])
    assert fh.loc[(fh.iso3 == "IND") & (fh.year == 2000), "pr"].item() == 2


def test_every_data_set_returns_iso3_or_documented_historical_codes(loaded):
    """Every registry data set on the mirror: ISO 3166-1 alpha-3 (pycountry's table, an
    independent source) plus the documented codes of former states, and nothing else."""
    pycountry = pytest.importorskip("pycountry")
    from enforcement_lab.data.countries import HISTORICAL_CODES

    allowed = {c.alpha_3 for c in pycountry.countries} | set(HISTORICAL_CODES)
    outside = {name: sorted(set(df["iso3"]) - allowed) for name, df in loaded.items()}
    assert outside == {name: [] for name in loaded}
    assert set(loaded) == set(registry.datasets())


def test_legacy_world_bank_codes_translated(loaded):
    """The controls panel and the CBR index write ROM, ZAR, TMP and ADO: read as ISO."""
    legacy = {"ADO": "AND", "ROM": "ROU", "TMP": "TLS", "ZAR": "COD"}
    for name in ("labour_rights_controls_panel", "cbr_lri"):
        df = loaded[name]
        assert df.attrs["recoded"] == legacy, name
        assert {"ROU", "COD", "TLS", "AND"} <= set(df["iso3"]) and not set(legacy) & set(df["iso3"])
        assert df.groupby("iso3").size().eq(29).all()  # still 29 years per country
    assert set(loaded["unctad_fdi"]["iso3"]) >= {"ROU", "COD", "TLS", "AND"}


def test_polity_uae_is_are(loaded):
    polity = loaded["polity5"].set_index(["iso3", "year"])
    assert polity.loc[("ARE", 2000), "country"] == "UAE"
    assert polity.loc[("ARE", 2000), "polity2"] == -8


# the codes of the succession rule's continued states, with their first and last years
CHAINS = {
    "SUN": (None, 1991),
    "RUS": (1992, None),
    "YUG": (None, 1991),
    "SCG": (1992, 2005),
    "SRB": (2006, None),
}
# sources that identify states by name or COW code (ISO3-coded ones are never re-dated)
NAMED_SOURCES = [
    "ciri",
    "mosley",
    "polity5",
    "freedom_house",
    "un_treaty_ratifications",
    "unctad_fdi",
    "unctad_fdi_stock",
    "dol_child_labor",
    "lri_in_law",
    "lri_in_practice",
]


@pytest.mark.parametrize("name", NAMED_SOURCES)
def test_one_succession_rule_in_every_named_source(loaded, name):
    """USSR/Russia and Yugoslavia/Serbia: each code only inside its period, in every source."""
    df = loaded[name]
    for code, (first, last) in CHAINS.items():
        years = df.loc[df["iso3"] == code, "year"]
        assert first is None or years.empty or years.min() >= first, (name, code)
        assert last is None or years.empty or years.max() <= last, (name, code)


def test_ussr_russia_rule_is_the_same_in_polity_and_the_un_file(loaded):
    """The UN file lists the USSR's 1973 ICCPR ratification under the Russian Federation;
    under the one rule it is the USSR's (SUN), as Polity's USSR is, and Russia (RUS) starts
    in 1992 in both."""
    un = loaded["un_treaty_ratifications"].set_index(["iso3", "year"])
    polity = loaded["polity5"].set_index(["iso3", "year"])
    assert un.loc[("SUN", 1973), "ccpr_ratify"] == 1 and un.loc[("SUN", 1972), "ccpr_ratify"] == 0
    for frame in (un, polity):
        codes = frame.index.get_level_values("iso3")
        years = frame.index.get_level_values("year")
        assert years[codes == "SUN"].max() == 1991
        assert years[codes == "RUS"].min() == 1992
    assert un.loc[("RUS", 1992), "ccpr_ratify"] == 1  # Russia continues the obligations
    assert polity.loc[("SUN", 1973), "country"] == "USSR"
    both = set(un.loc["SUN"].index) & set(polity.loc["SUN"].index)
    assert min(both) == 1945 and max(both) == 1991
    # the other Soviet republics keep their own codes (the Ukrainian SSR ratified in 1973)
    assert un.loc[("UKR", 1973), "ccpr_ratify"] == 1


def test_mirror_rule_argument_then_environment_then_sibling(tmp_path, monkeypatch):
    """One rule, no side effects: ``mirror=`` > ``$ENFORCEMENT_LAB_DATA_MIRROR`` >
    ``../shared/data/external`` beside the project folder; ``"none"`` turns it off."""
    import os

    project = tmp_path / "repo"
    (project / "papers").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    sibling = tmp_path / "shared" / "data" / "external"
    explicit = tmp_path / "explicit"
    from_env = tmp_path / "env"
    for folder in (sibling, explicit, from_env):
        folder.mkdir(parents=True)
    monkeypatch.delenv(registry.MIRROR_ENV, raising=False)
    before = dict(os.environ)
    assert registry.mirror_dir(start=project / "papers") == sibling
    assert registry.mirror_dir(explicit, start=project) == explicit
    assert registry.mirror_dir(start=tmp_path / "elsewhere") is None  # no project above
    monkeypatch.chdir(project / "papers")
    assert registry.mirror_dir() == sibling  # start defaults to the working directory
    assert os.environ == before
    monkeypatch.setenv(registry.MIRROR_ENV, str(from_env))
    assert registry.mirror_dir() == from_env
    assert registry.mirror_dir(explicit) == explicit
    assert registry.mirror_dir("none") is None
    monkeypatch.setenv(registry.MIRROR_ENV, "none")
    assert registry.mirror_dir() is None
    monkeypatch.setenv(registry.MIRROR_ENV, str(tmp_path / "absent"))
    with pytest.raises(DataError, match=r"absent \(\$ENFORCEMENT_LAB_DATA_MIRROR\) is not a"):
        registry.mirror_dir()
