"""Readers: each external file to a tidy frame with ``iso3`` and ``year`` columns.

One reader per file format of the registry (``enforcement_lab/data/registry.csv`` names the
reader of each file), plus :func:`read_normlex_ratifications` for a user's export of the
ILO NORMLEX ratification tables. Every reader

* returns ISO 3166-1 alpha-3 codes in ``iso3`` (plus the documented codes of former states,
  :data:`~enforcement_lab.data.countries.HISTORICAL_CODES`), mapped with
  :mod:`enforcement_lab.data.countries` under its one succession rule; a source's legacy
  codes (the World Bank's ``ROM``, ``ZAR`` ...) are translated and listed in
  ``attrs["recoded"]``;
* drops what is not a country (regional aggregates, sub-national territories), listing the
  dropped labels in ``attrs["dropped"]``;
* turns the source's missing-data codes into ``NaN`` (CIRI ``-66``/``-77``/``-999``,
  UNCTAD ``..`` and ``_``, DOL ``Unknown``/``N/A``/``Unavailable``);
* guarantees one row per ``(iso3, year)`` (or per ``(iso3, year, convention)``): where a
  source carries placeholder rows for a state outside its lifetime (CIRI, Mosley), the
  all-missing duplicate is dropped; any remaining duplicate is a :class:`DataError`.

The XML, XLSX and R-data parsing is done by the standard library (``xml.etree``),
openpyxl and pyreadr; only the source-specific cleaning is written here.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from enforcement_lab.data.countries import (
    clean_name,
    harmonise,
    name_year_range,
    to_iso3,
    years_outside,
)
from enforcement_lab.errors import DataError

#: CIRI's missing-data codes (-66 interregnum/foreign occupation, -77 anarchy, -999 missing).
CIRI_MISSING = (-66, -77, -999)


def _read_rdata(path: Path, name: str) -> pd.DataFrame:
    import pyreadr

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own error types
        raise DataError(f"{path.name}: cannot read the R data file ({exc})") from exc
    if name not in objects:
        raise DataError(f"{path.name}: no object {name!r} in the R data (found {list(objects)})")
    frame = objects[name].reset_index(drop=True)
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype("object")
    return frame


def _one_row_per_key(
    frame: pd.DataFrame,
    value_cols: Sequence[str],
    context: str,
    keys=("iso3", "year"),
    *,
    most_complete: bool = False,
) -> pd.DataFrame:
    """Drop placeholder duplicates of a key; raise DataError if real duplicates remain.

    In order: all-missing duplicates are dropped; where the succession rule puts two names
    of one entity on one key (Mosley's "USSR" and "Russian Federation" in 1985, both
    ``SUN``), the row whose name is nearest its own period
    (:func:`~enforcement_lab.data.countries.years_outside`; "USSR" in 1985) is kept and the
    others are listed in ``attrs["superseded"]``; with
    ``most_complete`` a duplicate key keeps the row with the most non-missing values when
    that row is unique (the others are placeholders with stray values). The number of rows
    dropped is recorded in ``attrs["placeholder_rows_dropped"]``.
    """
    keys = list(keys)
    dup = frame.duplicated(keys, keep=False)
    n_before = len(frame)
    superseded: list[str] = []
    if dup.any():
        empty = frame[list(value_cols)].isna().all(axis=1)
        frame = frame[~(dup & empty)]
        dup = frame.duplicated(keys, keep=False)
        if dup.any() and "country" in frame.columns and "iso3" in keys:
            own = to_iso3(frame["country"]).to_numpy()
            distance = pd.Series(
                [years_outside(c, y) for c, y in zip(own, frame["year"], strict=True)],
                index=frame.index,
            )
            group = [frame[k] for k in keys]
            nearest = distance == distance.groupby(group).transform("min")
            n_nearest = nearest.groupby(group).transform("sum")
            drop = dup & ~nearest & (n_nearest == 1)
            superseded = [
                f"{c} {y}"
                for c, y in zip(frame.loc[drop, "country"], frame.loc[drop, "year"], strict=True)
            ]
            frame = frame[~drop]
        if most_complete and frame.duplicated(keys).any():
            filled = frame[list(value_cols)].notna().sum(axis=1)
            best = filled.groupby([frame[k] for k in keys]).transform("max")
            n_best = (filled == best).groupby([frame[k] for k in keys]).transform("sum")
            frame = frame[(filled == best) | (n_best > 1)]
        still = frame[frame.duplicated(keys, keep=False)]
        if len(still):
            shown = still[keys].drop_duplicates().head(10).to_records(index=False).tolist()
            raise DataError(
                f"{context}: {len(still)} rows share a {'/'.join(keys)} key with data in both, "
                f"e.g. {shown}"
            )
    frame = frame.sort_values(keys).reset_index(drop=True)
    frame.attrs["placeholder_rows_dropped"] = n_before - len(frame)
    frame.attrs["superseded"] = sorted(superseded)
    return frame


def _finish(
    frame: pd.DataFrame,
    dropped: Sequence[str],
    source: str,
    coded: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Record the dropped labels, the source, and (from ``coded``, the frame as harmonised)
    the legacy codes translated to ISO."""
    recoded = {} if coded is None else coded.attrs.get("recoded", {})
    frame.attrs["dropped"] = sorted(set(dropped))
    frame.attrs["reader_source"] = source
    frame.attrs["recoded"] = dict(recoded)
    frame.attrs.setdefault("superseded", [])
    return frame


def _numeric(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _split_index(frame: pd.DataFrame, context: str) -> pd.DataFrame:
    """Use the ``index`` column ``"ISO3-year"`` of the Janz-Messerschmidt frames.

    Their codes are the World Bank's of the time, four of them since replaced (``ROM``,
    ``ZAR``, ``TMP``, ``ADO``): they are translated to ISO 3166-1 (:data:`LEGACY_CODES`)
    and listed in ``attrs["recoded"]``; any other unknown code is a :class:`DataError`.
    """
    parts = frame["index"].astype(str).str.extract(r"^([A-Z]{3})-(\d{4})$")
    if parts.isna().any().any():
        bad = frame.loc[parts.isna().any(axis=1), "index"].head(5).tolist()
        raise DataError(f"{context}: index values not of the form ISO3-year: {bad}")
    year = parts[1].astype(int).to_numpy()
    if "year" in frame.columns:
        clash = frame["year"].notna() & (frame["year"].to_numpy() != year)
        if clash.any():
            raise DataError(f"{context}: 'year' disagrees with 'index' in {int(clash.sum())} rows")
        frame = frame.drop(columns=["year"])
    frame = frame.drop(columns=["index"])
    frame.insert(0, "year", year)
    frame.insert(0, "_code", parts[0].to_numpy())
    frame = harmonise(frame, "_code", src="iso3", strict=True, context=context)
    return frame.drop(columns="_code")


def read_controls_panel(path: Path) -> pd.DataFrame:
    """The published labour-rights controls panel (192 countries x 1982-2010).

    ``iso3`` and ``year`` come from the frame's ``index`` (``"ISO3-year"``); ``polity2`` and
    ``CIRI_WORKER`` are made numeric; the 0/1 group dummies become integers.
    """
    frame = _split_index(_read_rdata(path, "controls"), path.name)
    for col in ("polity2", "CIRI_WORKER", "oecd", "wb_low", "wb_middle", "wb_high", "wb_dev"):
        frame[col] = _numeric(frame[col])
    for col in ("oecd", "wb_low", "wb_middle", "wb_high", "wb_dev"):
        frame[col] = frame[col].astype("Int64")
    frame["country"] = frame["country"].astype("string")
    frame["wb_region"] = frame["wb_region"].astype("string")
    return _finish(_one_row_per_key(frame, ["CIRI_WORKER"], path.name), [], path.name, frame)


def read_cbr_lri(path: Path) -> pd.DataFrame:
    """The Cambridge CBR Labour Regulation Index (40 items, sub-indices) on the same frame."""
    frame = _split_index(_read_rdata(path, "LRI"), path.name)
    frame["country"] = frame["country"].astype("string")
    values = [c for c in frame.columns if c.startswith("LRI_")]
    return _finish(_one_row_per_key(frame, values, path.name), [], path.name, frame)


def read_ciri(path: Path) -> pd.DataFrame:
    """CIRI 1981-2011: names to ISO3, ``-66``/``-77``/``-999`` to missing, placeholder rows of
    states outside their lifetime dropped. Column names are kept (``WORKER``, ``ASSN`` ...),
    ``YEAR`` becomes ``year`` and ``CTRY`` becomes ``country``."""
    frame = pd.read_csv(path)
    ids = ["CTRY", "YEAR", "CIRI", "COW", "POLITY", "UNCTRY", "UNREG", "UNSUBREG"]
    scores = [c for c in frame.columns if c not in ids]
    frame[scores] = frame[scores].mask(frame[scores].isin(CIRI_MISSING))
    frame = frame.rename(columns={"CTRY": "country", "YEAR": "year"})
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    frame = _one_row_per_key(frame, scores, path.name, most_complete=True)
    return _finish(frame, dropped, path.name)


def read_mosley(path: Path) -> pd.DataFrame:
    """Mosley & Uno collective labour rights 1985-2002 (quoted names cleaned, ``year`` int)."""
    frame = _read_rdata(path, "x")
    frame["country"] = frame["country"].map(clean_name)
    frame["year"] = frame["year"].astype(int)
    values = [c for c in frame.columns if c not in ("country", "year")]
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    return _finish(_one_row_per_key(frame, values, path.name), dropped, path.name)


def read_polity5(path: Path) -> pd.DataFrame:
    """Polity5 annual (1800-2018), one row per ``(iso3, year)``.

    In a year of state change Polity has two rows for one ISO3 code (e.g. "Sudan" and
    "Sudan-North" in 2011, "Yemen North" and "Yemen" in 1990); the row of the entity that
    continues into the next year is kept.
    """
    frame = _read_rdata(path, "polity5")
    frame = frame.rename(columns={"polity_annual_country": "country"})
    frame["year"] = frame["year"].astype(int)
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    alive_next = set(zip(frame["country"], frame["year"] - 1, strict=True))
    frame["_continues"] = [
        (c, y) in alive_next for c, y in zip(frame["country"], frame["year"], strict=True)
    ]
    frame = frame.sort_values(["iso3", "year", "_continues"]).drop_duplicates(
        ["iso3", "year"], keep="last"
    )
    frame = frame.drop(columns="_continues").reset_index(drop=True)
    return _finish(frame, dropped, path.name)


def read_freedom_house(path: Path) -> pd.DataFrame:
    """Freedom House 1972-2024: states only (rows with a Gleditsch-Ward code); the
    sub-national and disputed territories FH also rates are dropped and listed."""
    frame = _read_rdata(path, "fh")
    frame = frame.rename(columns={"fh_country": "country"})
    frame["year"] = frame["year"].astype(int)
    territories = sorted(set(frame.loc[frame["GWn"].isna(), "country"]))
    frame = frame[frame["GWn"].notna()]
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = territories + list(frame.attrs["unmatched"])
    frame["status"] = frame["status"].astype("string")
    return _finish(_one_row_per_key(frame, ["pr", "cl"], path.name), dropped, path.name)


def read_un_treaties(path: Path) -> pd.DataFrame:
    """UN human-rights treaty ratifications (ICESCR, ICCPR, CAT), participant x year."""
    frame = pd.read_csv(path)
    frame = frame.rename(columns={"participant": "country", "ccode": "cow"})
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    values = ["cescr_ratify", "ccpr_ratify", "cat_ratify"]
    return _finish(_one_row_per_key(frame, values, path.name), dropped, path.name)


def read_lri(path: Path) -> pd.DataFrame:
    """Labour Rights Indicators 2017 (XLSX: Country, TIME_PERIOD, RAW_OBS_VALUE).

    The ``*`` on some names is stripped into a boolean ``marked`` column; the value column
    is named after the file (``lri_in_law`` or ``lri_in_practice``).
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise DataError(f"{path.name}: cannot read the workbook ({exc})") from exc
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    expected = ["Country", "TIME_PERIOD", "RAW_OBS_VALUE"]
    if header[:3] != expected:
        raise DataError(f"{path.name}: header {header[:3]} is not {expected}")
    body = [r[:3] for r in rows[1:] if r and r[0] is not None]
    frame = pd.DataFrame(body, columns=["country", "year", "value"])
    frame["marked"] = frame["country"].astype(str).str.strip().str.endswith("*")
    frame["country"] = frame["country"].map(clean_name)
    frame["year"] = frame["year"].astype(int)
    value_name = "lri_in_practice" if "practice" in path.name else "lri_in_law"
    frame[value_name] = _numeric(frame.pop("value"))
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    return _finish(_one_row_per_key(frame, [value_name], path.name), dropped, path.name)


#: UNCTAD column names -> tidy names.
def _unctad_columns(measure: str) -> dict[str, str]:
    """UNCTAD's four column headings, renamed ``fdi_<measure>_musd`` ... ``fdi_<measure>_pct_gdp``."""
    return {
        "US Dollars at current prices and current exchange rates in millions": f"fdi_{measure}_musd",
        "US Dollars at current prices and current exchange rates per capita": (
            f"fdi_{measure}_per_capita"
        ),
        "Percentage of total world": f"fdi_{measure}_pct_world",
        "Percentage of Gross Domestic Product": f"fdi_{measure}_pct_gdp",
    }


#: Column names of the inward FDI **flow** file (:func:`read_unctad_fdi`).
UNCTAD_COLUMNS = _unctad_columns("inflow")
#: Column names of the inward FDI **stock** file (:func:`read_unctad_fdi_stock`).
UNCTAD_STOCK_COLUMNS = _unctad_columns("stock")


#: UNCTAD labels that are groups, regions or parts of a country, not economies.
_UNCTAD_AGGREGATE = (
    r"n\.e\.s\.|:|\beconomies\b|\bcountries\b|\bLDCs\b|excluding|Canal Zone|^World$"
    r"|^(?!South Africa$)(?:Eastern|Western|Northern|Southern|Middle|Central|South-Eastern|South"
    r"|North|Other)\b.*\b(?:Africa|Asia|America|Europe|Caribbean|territories)$"
    r"|^(?:Africa|Asia|Europe|Oceania|Caribbean|Americas?|Melanesia|Micronesia|Polynesia)$"
)


def read_unctad_fdi(path: Path) -> pd.DataFrame:
    """UNCTAD inward FDI flows 1980-2011 (``fdi_inflow_*`` columns).

    Handles old Mac (CR) line endings, Latin-1 text, left-padded names, ``..``/``_`` as
    missing, and names carrying a year range (``"Ethiopia (-1991)"``): such a row is kept
    only inside its range and there replaces the row of the plain name. Regional and
    economic-group aggregates (no ISO3) are dropped and listed in ``attrs["dropped"]``.
    """
    return _read_unctad(path, UNCTAD_COLUMNS)


def read_unctad_fdi_stock(path: Path) -> pd.DataFrame:
    """UNCTAD inward FDI stock 1980-2011 (``fdi_stock_*`` columns).

    The same layout and cleaning as the flow file (:func:`read_unctad_fdi`); only the
    measure differs: US$ millions, per capita, share of the world's stock, share of GDP.
    """
    return _read_unctad(path, UNCTAD_STOCK_COLUMNS)


def _read_unctad(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    raw = path.read_bytes().decode("latin-1")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False)
    if "ECONOMY" not in frame.columns or "YEAR" not in frame.columns:
        raise DataError(
            f"{path.name}: expected ECONOMY and YEAR columns, got {list(frame.columns)}"
        )
    frame = frame.rename(columns={"ECONOMY": "label", "YEAR": "year", **columns})
    values = list(columns.values())
    if missing := [c for c in values if c not in frame.columns]:
        raise DataError(f"{path.name}: expected UNCTAD columns {missing} are missing")
    for col in values:
        frame[col] = _numeric(frame[col].str.strip().replace({"..": None, "_": None, "": None}))
    frame["year"] = frame["year"].astype(int)
    frame["label"] = frame["label"].str.strip()
    aggregate = frame["label"].str.contains(_UNCTAD_AGGREGATE, regex=True)
    aggregates = sorted(set(frame.loc[aggregate, "label"]))
    frame = frame[~aggregate]
    ranges = frame["label"].map(name_year_range)
    frame["ranged"] = ranges.map(lambda r: r != (None, None))
    lo = ranges.map(lambda r: r[0] if r[0] is not None else -(10**6))
    hi = ranges.map(lambda r: r[1] if r[1] is not None else 10**6)
    frame = frame[(frame["year"] >= lo) & (frame["year"] <= hi)]
    frame["country"] = frame["label"].map(clean_name)
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = aggregates + list(frame.attrs["unmatched"])
    # Inside its range a ranged name replaces the plain name (same ISO3).
    frame = frame.sort_values(["iso3", "year", "ranged"]).drop_duplicates(
        ["iso3", "year", "country"], keep="last"
    )
    has_ranged = frame.groupby(["iso3", "year"])["ranged"].transform("any")
    frame = frame[~has_ranged | frame["ranged"]].drop(columns=["ranged"])
    frame = frame[["iso3", "year", "country", "label", *values]]
    return _finish(_one_row_per_key(frame, values, path.name), dropped, path.name)


def read_wdi_panel(path: Path) -> pd.DataFrame:
    """World Bank WDI panel 1960-2021 (ISO3, Year): renamed to ``iso3``, ``year``."""
    frame = pd.read_csv(path, keep_default_na=False, na_values=["NA", ""])
    frame = frame.rename(columns={"ISO3": "code", "Year": "year", "Region": "region"})
    frame = harmonise(frame, "code", src="iso3", context=path.name).drop(columns="code")
    dropped = frame.attrs["unmatched"]
    values = [c for c in frame.columns if c not in ("iso3", "year", "region", "country")]
    return _finish(_one_row_per_key(frame, values, path.name), dropped, path.name, frame)


def read_wdi_gdp_population(path: Path) -> pd.DataFrame:
    """WDI extract by ISO2 1960-2015 (GDP per capita, GDP, population ...).

    ``NA`` is Namibia's ISO2 code, so only the value columns treat ``NA`` as missing.
    Codes that are not countries (regional aggregates, the World Bank's ``JG`` Channel
    Islands) are dropped and listed. The unnamed first column (R's row numbers) is dropped.
    """
    frame = pd.read_csv(path, keep_default_na=False, dtype=str)
    frame = frame.drop(columns=[c for c in frame.columns if re.fullmatch(r"(Unnamed: \d+)?", c)])
    frame["year"] = frame["year"].astype(int)
    values = [c for c in frame.columns if c not in ("iso2c", "country", "year")]
    for col in values:
        frame[col] = _numeric(frame[col].replace({"NA": None, "": None}))
    frame = harmonise(frame, "iso2c", src="iso2", context=path.name)
    dropped = frame.attrs["unmatched"]
    return _finish(_one_row_per_key(frame, values, path.name), dropped, path.name)


# --- US DOL Findings on the Worst Forms of Child Labor (XML) -------------------------------

#: Tidy DOL field -> element names under ``Enforcements`` tried in order (names vary by year).
DOL_ENFORCEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "labor_inspectors": ("Labor_Inspectors",),
    "labor_inspections": ("Labor_Inspections", "Labor_Worksite_Inspections"),
    "labor_violations": ("Labor_Violations",),
    "labor_penalties_imposed": ("Labor_Penalties_Imposed",),
    "criminal_investigations": ("Criminal_Investigations",),
    "criminal_violations": ("Criminal_Violations",),
    "criminal_prosecutions": ("Criminal_Prosecutions",),
    "criminal_convictions": ("Criminal_Convictions",),
}
_DOL_NUMBER = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*[*†‡]*\s*$")


def _dol_number(text: str | None) -> float:
    """A DOL count: ``'1,673‡'`` -> 1673.0; ``Unknown``, ``N/A``, ``Unavailable`` -> NaN."""
    if text is None:
        return np.nan
    m = _DOL_NUMBER.match(text)
    return float(m.group(1).replace(",", "")) if m else np.nan


def _dol_enforcement(country: ET.Element, names: tuple[str, ...]) -> float:
    for name in names:
        node = country.find(f"Enforcements/{name}")
        if node is None:
            continue
        territories = node.findall("Territory")
        if not territories:
            return _dol_number(node.text)
        # Reported by territory (e.g. Pakistan's provinces): the country total is their
        # sum, missing if any territory is missing.
        vals = [_dol_number(t.findtext("Enforcement")) for t in territories]
        return float(np.sum(vals)) if vals and not np.isnan(vals).any() else np.nan
    return np.nan


def _yes_no(text: str | None) -> object:
    t = (text or "").strip().lower()
    return True if t == "yes" else False if t == "no" else pd.NA


def read_dol_child_labor(path: Path, year: int | None = None) -> pd.DataFrame:
    """One DOL "Findings on the Worst Forms of Child Labor" XML: one row per country.

    Columns: ``iso3``, ``year`` (the report year: ``year`` or the 4 digits at the end of the
    file name), ``country``, ``region``, ``advancement_level`` (as published),
    ``advancement`` (its first part: Significant / Moderate / Minimal / No Advancement /
    No Assessment), ``c138_ratified``, ``c182_ratified`` (boolean, ``<NA>`` if not
    applicable), and the counts in :data:`DOL_ENFORCEMENT_FIELDS` (footnote marks stripped,
    territories summed; the element names vary between report years).
    """
    if year is None:
        m = re.search(r"(\d{4})\D*$", path.stem)
        if not m:
            raise DataError(f"{path.name}: cannot tell the report year; pass year=")
        year = int(m.group(1))
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path.name}: not well-formed XML ({exc})") from exc
    rows = []
    for node in root.iter("Country"):
        level = (node.findtext("Advancement_Level") or "").strip()
        row = {
            "country": (node.findtext("Name") or "").strip(),
            "year": year,
            "region": (node.findtext("Region") or "").strip() or None,
            "advancement_level": level or None,
            "advancement": (re.split(r"\s+[–-]\s+", level)[0] if level else None),
            "c138_ratified": _yes_no(node.findtext("Conventions/C_138_Ratified")),
            "c182_ratified": _yes_no(node.findtext("Conventions/C_182_Ratified")),
        }
        for field, names in DOL_ENFORCEMENT_FIELDS.items():
            row[field] = _dol_enforcement(node, names)
        rows.append(row)
    if not rows:
        raise DataError(f"{path.name}: no <Country> records")
    frame = pd.DataFrame(rows)
    for col in ("c138_ratified", "c182_ratified"):
        frame[col] = frame[col].astype("boolean")
    for col in ("country", "region", "advancement_level", "advancement"):
        frame[col] = frame[col].astype("string")
    frame = harmonise(frame, "country", year="year", context=path.name)
    dropped = frame.attrs["unmatched"]
    return _finish(
        _one_row_per_key(frame, list(DOL_ENFORCEMENT_FIELDS), path.name), dropped, path.name
    )


# --- ILO NORMLEX ratification tables ------------------------------------------------------

_NORMLEX_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{4})|(\d{4})-(\d{2})-(\d{2})")
_NORMLEX_COLUMNS = {
    "country": ("country", "member state", "member states"),
    "convention": ("convention", "instrument", "code"),
    "date": ("date", "ratification date", "ratification"),
    "status": ("status",),
    "note": ("note", "notes", "denunciation", "denunciation note", "comment"),
}


def _normlex_date(text: object) -> pd.Timestamp | None:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = str(text).strip()
    if not s:
        return None
    m = _NORMLEX_DATE.search(s)
    if not m:
        return None
    try:
        if m.group(4):
            return pd.Timestamp(f"{m.group(4)}-{m.group(5)}-{m.group(6)}")
        return pd.Timestamp(f"{m.group(1)} {m.group(2)[:3]} {m.group(3)}")
    except ValueError:
        return None


def read_normlex_ratifications(
    path: str | Path, *, convention: str | None = None, strict: bool = False
) -> pd.DataFrame:
    """Read an ILO NORMLEX ratification table (CSV or XLSX export) into a tidy table.

    NORMLEX lists, per convention, each member state with its ratification date, its
    status ("In Force", "Not in force", "Denounced" ...) and a note (e.g. "Denounced on
    02 Jul 1985", "Automatic denunciation on ... by convention C138"). Columns are matched
    case-insensitively: ``Country`` (or ``Member State``), ``Date`` (or ``Ratification
    date``), ``Status``, ``Note``, and ``Convention`` -- or pass ``convention=`` when the
    export covers one convention.

    Returns
    -------
    DataFrame
        One row per country x convention: ``iso3``, ``country``, ``convention`` (``C087``
        style), ``ratified`` (date), ``year`` (ratification year), ``status``,
        ``in_force`` (bool), ``denounced`` (date or ``NaT``), ``denounced_year``, ``note``.
        ``attrs["unmatched"]`` lists unmatched names (``strict=True``: DataError).

    Raises
    ------
    DataError
        On a missing column, an unparseable ratification date (naming the row), an
        unknown country in strict mode, or a duplicated country x convention.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"NORMLEX table {path} does not exist")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = pd.read_excel(path, dtype=str, engine="openpyxl")
    else:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    lower = {str(c).strip().lower(): c for c in raw.columns}
    cols: dict[str, str] = {}
    for key, options in _NORMLEX_COLUMNS.items():
        for opt in options:
            if opt in lower:
                cols[key] = lower[opt]
                break
    need = ["country", "date", "status"] + ([] if convention else ["convention"])
    missing = [k for k in need if k not in cols]
    if missing:
        raise DataError(
            f"{path.name}: NORMLEX table lacks column(s) {missing}; has {list(raw.columns)}"
        )
    out = pd.DataFrame({"country": raw[cols["country"]].map(clean_name)})
    conv = (
        raw[cols["convention"]] if "convention" in cols else pd.Series(convention, index=raw.index)
    )

    def norm_code(c: object) -> str:
        m = re.search(r"([CP])\s*0*(\d{1,3})", str(c).upper())
        if not m:
            raise DataError(f"{path.name}: cannot read convention code {c!r}")
        return f"{m.group(1)}{int(m.group(2)):03d}"

    out["convention"] = conv.map(norm_code)
    dates = raw[cols["date"]].map(_normlex_date)
    bad = [
        i
        for i, (d, t) in enumerate(zip(dates, raw[cols["date"]], strict=True))
        if d is None and str(t).strip()
    ]
    if bad or dates.isna().any():
        rows = bad or [i for i, d in enumerate(dates) if d is None]
        raise DataError(
            f"{path.name}: unreadable ratification date in row(s) "
            f"{[r + 2 for r in rows[:10]]} (column {cols['date']!r})"
        )
    out["ratified"] = pd.to_datetime(pd.Series(list(dates), index=raw.index))
    out["year"] = out["ratified"].dt.year.astype("Int64")
    out["status"] = raw[cols["status"]].astype(str).str.strip()
    notes = (
        raw[cols["note"]].astype(str).str.strip()
        if "note" in cols
        else pd.Series("", index=raw.index)
    )
    out["note"] = notes.replace({"nan": ""})
    status_l = out["status"].str.lower()
    den_dates = out["note"].map(lambda t: _normlex_date(t) if "denounc" in t.lower() else None)
    out["denounced"] = pd.to_datetime(pd.Series(list(den_dates), index=raw.index))
    out["denounced_year"] = out["denounced"].dt.year.astype("Int64")
    out["in_force"] = status_l.str.startswith("in force") & out["denounced"].isna()
    out = harmonise(out, "country", year="year", strict=strict, context=path.name)
    unmatched = out.attrs["unmatched"]
    dup = out[out.duplicated(["iso3", "convention"], keep=False)]
    if len(dup):
        raise DataError(
            f"{path.name}: duplicated country x convention rows: "
            f"{dup[['iso3', 'convention']].drop_duplicates().to_records(index=False).tolist()}"
        )
    out = (
        out[
            [
                "iso3",
                "country",
                "convention",
                "ratified",
                "year",
                "status",
                "in_force",
                "denounced",
                "denounced_year",
                "note",
            ]
        ]
        .sort_values(["convention", "iso3"])
        .reset_index(drop=True)
    )
    out.attrs["unmatched"] = unmatched
    return out


#: Reader functions by the name used in ``registry.csv``.
READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "read_cbr_lri": read_cbr_lri,
    "read_ciri": read_ciri,
    "read_controls_panel": read_controls_panel,
    "read_dol_child_labor": read_dol_child_labor,
    "read_freedom_house": read_freedom_house,
    "read_lri": read_lri,
    "read_mosley": read_mosley,
    "read_polity5": read_polity5,
    "read_un_treaties": read_un_treaties,
    "read_unctad_fdi": read_unctad_fdi,
    "read_unctad_fdi_stock": read_unctad_fdi_stock,
    "read_wdi_gdp_population": read_wdi_gdp_population,
    "read_wdi_panel": read_wdi_panel,
}

__all__ = [
    "CIRI_MISSING",
    "DOL_ENFORCEMENT_FIELDS",
    "READERS",
    "read_normlex_ratifications",
    "to_iso3",
]
