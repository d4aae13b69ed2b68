"""Country harmonisation: names, ISO2/ISO3 and COW codes to ISO3, with explicit state-change rules.

Ordinary names and codes are converted by :mod:`country_converter` (its regular expressions
cover the spellings of the World Bank, UN, CIRI, Polity, UNCTAD ...). Before that, the
states that split or merged are resolved by the explicit, year-aware rules in
:data:`STATE_RULES`, because a name-only converter maps e.g. "Czechoslovakia" to the Czech
Republic and "Yemen, South" to unified Yemen, which would silently merge different states.
The rules follow ISO 3166-3 (codes of former countries):

================================  =====================  ============================================
source name or COW code           ISO3                   rule
================================  =====================  ============================================
Soviet Union / USSR               ``SUN``                the name Russia is always ``RUS``; COW 365
                                                         is ``SUN`` to 1991 and ``RUS`` after
Yugoslavia (SFRY, COW 345)        ``YUG`` to 1991        "Yugoslavia" / COW 345 after 1991 is the
                                                         Federal Republic: ``SCG`` 1992-2005,
                                                         Serbia ``SRB`` from 2006
FR Yugoslavia, Serbia and         ``SCG``                (1992-2005)
Montenegro
Czechoslovakia (COW 315)          ``CSK``                Czech Republic ``CZE`` and Slovakia ``SVK``
                                                         from 1993
German Democratic Republic,       ``DDR``                to 1990
East Germany (COW 265)
Germany, West Germany, German     ``DEU``                the Federal Republic is the continuing state
Federal Republic (COW 255, 260)
Yemen Arab Republic, North        ``YEM``                unified Yemen (1990) is treated as the
Yemen (COW 678, 679)                                     continuation of the YAR, as ISO does
South Yemen, Yemen PDR,           ``YMD``                to 1990
"Yemen, South" (COW 680)
Sudan (COW 625)                   ``SDN``                before 2011 ``SDN`` includes South Sudan;
                                                         South Sudan (``SSD``, COW 626) from 2011
North Vietnam (COW 816)           ``VNM``                continuing state; South Vietnam unmatched
================================  =====================  ============================================

Every converter reports the names or codes it could not match: the result's
``attrs["unmatched"]`` lists them, and ``strict=True`` raises :class:`DataError` naming
them all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from enforcement_lab.errors import DataError


@dataclass(frozen=True)
class StateRule:
    """One explicit rule for a state that split or merged.

    ``pattern`` is a case-insensitive regular expression matched against the whole
    cleaned name; ``cow`` the COW codes the rule covers. ``iso3_by_year`` is a tuple of
    ``(last_year, iso3)`` pairs in increasing order (``None`` as the last year means
    "and later"); when no year is given the first code applies.
    """

    label: str
    pattern: str
    cow: tuple[int, ...]
    iso3_by_year: tuple[tuple[int | None, str], ...]
    note: str

    def iso3(self, year: float | None) -> str:
        """The ISO3 code that applies in ``year`` (the first code when the year is missing)."""
        if year is None or (isinstance(year, float) and np.isnan(year)):
            return self.iso3_by_year[0][1]
        for last, code in self.iso3_by_year:
            if last is None or year <= last:
                return code
        return self.iso3_by_year[-1][1]


#: The explicit state-change rules (see the module docstring).
STATE_RULES: tuple[StateRule, ...] = (
    StateRule(
        "USSR",
        r"(the )?(soviet union|u\.?s\.?s\.?r\.?|union of soviet socialist republics)",
        (),
        ((None, "SUN"),),
        "the USSR (ISO 3166-3 SUN), to 1991",
    ),
    StateRule(
        "COW 365 (USSR / Russia)",
        r"(?!)",
        (365,),
        ((1991, "SUN"), (None, "RUS")),
        "COW 365 is the USSR (SUN) to 1991 and Russia (RUS) after; the name Russia is always RUS",
    ),
    StateRule(
        "Yugoslavia (SFRY)",
        r"(sfr |socialist federal republic of |socialist federative republic of )?yugoslavia",
        (345,),
        ((1991, "YUG"), (2005, "SCG"), (None, "SRB")),
        "SFRY to 1991 (YUG); the name after 1991 means FR Yugoslavia (SCG) then Serbia (SRB)",
    ),
    StateRule(
        "FR Yugoslavia / Serbia and Montenegro",
        r"(yugoslavia,? (fr|f\.r\.|federal republic( of)?)|federal republic of yugoslavia"
        r"|serbia (and|&) montenegro|yugoslavia, federal republic of)",
        (),
        ((None, "SCG"),),
        "FR Yugoslavia / Serbia and Montenegro 1992-2005 (ISO 3166-3 SCG)",
    ),
    StateRule(
        "Czechoslovakia",
        r"czechoslovakia|czechoslovak socialist republic",
        (315,),
        ((None, "CSK"),),
        "Czechoslovakia to 1992 (ISO 3166-3 CSK); successors CZE and SVK",
    ),
    StateRule(
        "German Democratic Republic",
        r"(german democratic republic|east germany|germany,? east|germany \(east\)|gdr"
        r"|germany,? democratic republic( of)?)",
        (265,),
        ((None, "DDR"),),
        "East Germany to 1990 (ISO 3166-3 DDR)",
    ),
    StateRule(
        "Germany (Federal Republic)",
        r"(german federal republic|west germany|germany,? w(est|\.)?|germany \(west\)|frg"
        r"|federal republic of germany|germany,? federal republic( of)?|germany)",
        (255, 260),
        ((None, "DEU"),),
        "the Federal Republic is the continuing state of unified Germany (DEU)",
    ),
    StateRule(
        "South Yemen",
        r"(south yemen|yemen,? south|yemen \(south\)|yemen,? p\.?d\.?r\.?|yemen pdr"
        r"|yemen,? people'?s (democratic )?republic( of)?|people'?s democratic republic of yemen"
        r"|yemen,? democratic)",
        (680,),
        ((None, "YMD"),),
        "South Yemen to 1990 (ISO 3166-3 YMD)",
    ),
    StateRule(
        "Yemen (YAR / unified)",
        r"(yemen,? arab republic|north yemen|yemen,? north|yemen \(north\)|yemen,? rep\.?"
        r"|republic of yemen|yemen)",
        (678, 679),
        ((None, "YEM"),),
        "unified Yemen continues the Yemen Arab Republic (YEM)",
    ),
    StateRule(
        "Sudan",
        r"(the )?sudan",
        (625,),
        ((None, "SDN"),),
        "Sudan: SDN in every year; before 2011 it includes South Sudan",
    ),
    StateRule("South Sudan", r"south sudan", (626,), ((None, "SSD"),), "South Sudan from 2011"),
    StateRule(
        "North Vietnam",
        r"(north vietnam|vietnam,? n(orth|\.)?|vietnam north|democratic republic of vietnam)",
        (816,),
        ((None, "VNM"),),
        "North Vietnam (COW 816) is the continuing state of unified Vietnam (VNM); South Vietnam"
        " (COW 817) has no ISO3 code and stays unmatched",
    ),
)

#: Names country_converter misses or maps to another state (lower case -> ISO3 / ISO 3166-3).
NAME_ALIASES: dict[str, str] = {
    "china, taiwan province of": "TWN",
    "taiwan province of china": "TWN",
    "netherlands antilles": "ANT",
    "pacific islands, trust territory": "PCI",
    "trust territory of the pacific islands": "PCI",
}

#: COW codes that differ from Gleditsch-Ward codes (COW -> ISO3), besides the state rules.
_COW_EXTRA = {946: "KIR", 947: "TUV", 955: "TON", 970: "NRU", 990: "WSM", 347: "XKX", 316: "CZE"}

#: ISO 3166 private-use block used for synthetic entities (accepted as ISO3 codes).
_PRIVATE = re.compile(r"X[A-Z]{2}")

_RANGE_RE = re.compile(r"\s*\((\d{4})?\s*[-–]\s*(\d{4})?\)\s*$")


def clean_name(name: object) -> str:
    """Normalise a country label: strip quotes, padding, footnote marks (``*``, ``†``, ``‡``)
    and a trailing year range such as ``" (-1991)"``.

    Examples
    --------
    >>> clean_name('  "Afghanistan*" ')
    'Afghanistan'
    >>> clean_name("Ethiopia (-1991)")
    'Ethiopia'
    """
    text = str(name).strip().strip('"').strip()
    text = _RANGE_RE.sub("", text)
    return re.sub(r"[*†‡]+$", "", text).strip()


def name_year_range(name: object) -> tuple[int | None, int | None]:
    """The year range carried in a name, e.g. ``"Ethiopia (-1991)"`` -> ``(None, 1991)``.

    Examples
    --------
    >>> name_year_range("Indonesia (-2002)"), name_year_range("France")
    ((None, 2002), (None, None))
    """
    m = _RANGE_RE.search(str(name).strip().strip('"'))
    if not m:
        return (None, None)
    return (int(m.group(1)) if m.group(1) else None, int(m.group(2)) if m.group(2) else None)


@cache
def _converter():
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter()


def _rule_for_name(name: str) -> StateRule | None:
    for rule in STATE_RULES:
        if re.fullmatch(rule.pattern, name, flags=re.IGNORECASE):
            return rule
    return None


def _rule_for_cow(code: int) -> StateRule | None:
    for rule in STATE_RULES:
        if code in rule.cow:
            return rule
    return None


def _valid_iso3(value: object) -> bool:
    return isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()


def _coco(values: list, src: str | None) -> dict:
    if not values:
        return {}
    out = _converter().convert(values, src=src, to="ISO3", not_found=None)
    if not isinstance(out, list):
        out = [out]
    return {v: (o if _valid_iso3(o) else None) for v, o in zip(values, out, strict=True)}


def _finish(
    result: pd.Series, unmatched: Iterable[str], what: str, strict: bool, context: str
) -> pd.Series:
    unmatched = sorted({str(u) for u in unmatched})
    result.attrs["unmatched"] = unmatched
    if strict and unmatched:
        where = f" in {context}" if context else ""
        raise DataError(
            f"{len(unmatched)} {what}{where} could not be matched to ISO3: {', '.join(unmatched)}"
        )
    return result


def _years(values: Sequence, years: Sequence | None) -> list:
    if years is None:
        return [None] * len(values)
    years = list(years)
    if len(years) != len(values):
        raise DataError(f"years has {len(years)} entries but there are {len(values)} names")
    return years


def to_iso3(
    names: Iterable[object],
    years: Iterable[object] | None = None,
    *,
    strict: bool = False,
    context: str = "",
) -> pd.Series:
    """Convert country names to ISO3 codes (``None`` where unmatched).

    Parameters
    ----------
    names : iterable
        Country labels in any common spelling.
    years : iterable, optional
        The year of each name, used by the year-aware rules in :data:`STATE_RULES`
        (e.g. "Yugoslavia" is ``YUG`` to 1991 and ``SCG`` after).
    strict : bool
        Raise :class:`DataError` listing every unmatched name.
    context : str
        Named in the error message (e.g. the data set).

    Returns
    -------
    Series
        ISO3 codes aligned with ``names``; ``attrs["unmatched"]`` lists unmatched names.

    Examples
    --------
    >>> to_iso3(["Côte d'Ivoire", "Yugoslavia", "Yugoslavia", "Yemen, South"],
    ...         years=[2000, 1990, 1995, 1985]).tolist()
    ['CIV', 'YUG', 'SCG', 'YMD']
    >>> to_iso3(["Atlantis", "France"]).attrs["unmatched"]
    ['Atlantis']
    """
    raw = list(names)
    yrs = _years(raw, None if years is None else list(years))
    cleaned = [clean_name(n) for n in raw]
    out: list[str | None] = [None] * len(raw)
    pending: dict[str, list[int]] = {}
    for i, (name, year) in enumerate(zip(cleaned, yrs, strict=True)):
        if not name or name.lower() in {"nan", "none", "<na>"}:
            continue
        rule = _rule_for_name(name)
        if name.lower() in NAME_ALIASES:
            out[i] = NAME_ALIASES[name.lower()]
        elif rule is not None:
            out[i] = rule.iso3(None if year is None or pd.isna(year) else float(year))
        else:
            pending.setdefault(name, []).append(i)
    mapping = _coco(list(pending), None)
    for name, idx in pending.items():
        for i in idx:
            out[i] = mapping[name]
    unmatched = {cleaned[i] for i, v in enumerate(out) if v is None and cleaned[i]}
    result = pd.Series(out, dtype="object", name="iso3")
    return _finish(result, unmatched, "country names", strict, context)


def cow_to_iso3(
    codes: Iterable[object],
    years: Iterable[object] | None = None,
    *,
    strict: bool = False,
    context: str = "",
) -> pd.Series:
    """Convert Correlates of War country codes to ISO3, applying :data:`STATE_RULES` by year.

    Codes not covered by the rules go through country_converter's Gleditsch-Ward table
    (which coincides with COW for ordinary states) and a short table of COW/GW differences.

    Examples
    --------
    >>> cow_to_iso3([2, 365, 365, 345, 315, 260, 680], years=[2000, 1990, 1995, 1985, 1990,
    ...                                                       1980, 1980]).tolist()
    ['USA', 'SUN', 'RUS', 'YUG', 'CSK', 'DEU', 'YMD']
    """
    raw = list(codes)
    yrs = _years(raw, None if years is None else list(years))
    out: list[str | None] = [None] * len(raw)
    pending: dict[int, list[int]] = {}
    for i, (code, year) in enumerate(zip(raw, yrs, strict=True)):
        if code is None or pd.isna(code):
            continue
        try:
            c = int(code)
        except (TypeError, ValueError):
            continue
        rule = _rule_for_cow(c)
        if rule is not None:
            out[i] = rule.iso3(None if year is None or pd.isna(year) else float(year))
        elif c in _COW_EXTRA:
            out[i] = _COW_EXTRA[c]
        else:
            pending.setdefault(c, []).append(i)
    mapping = _coco(list(pending), "GWcode")
    for c, idx in pending.items():
        for i in idx:
            out[i] = mapping[c]
    unmatched = {str(raw[i]) for i, v in enumerate(out) if v is None and not pd.isna(raw[i])}
    result = pd.Series(out, dtype="object", name="iso3")
    return _finish(result, unmatched, "COW codes", strict, context)


def iso2_to_iso3(codes: Iterable[object], *, strict: bool = False, context: str = "") -> pd.Series:
    """Convert ISO2 codes to ISO3; World Bank aggregate codes (``1A``, ``EU``, ``JG``...) stay
    unmatched.

    Examples
    --------
    >>> iso2_to_iso3(["US", "NA", "XK", "1A"]).tolist()
    ['USA', 'NAM', 'XKX', None]
    """
    raw = [None if c is None or pd.isna(c) else str(c).strip().upper() for c in codes]
    valid = [c for c in dict.fromkeys(raw) if c and re.fullmatch(r"[A-Z]{2}", c)]
    mapping = _coco(valid, "ISO2")
    out = [mapping.get(c) if c else None for c in raw]
    unmatched = {c for c, v in zip(raw, out, strict=True) if c and v is None}
    result = pd.Series(out, dtype="object", name="iso3")
    return _finish(result, unmatched, "ISO2 codes", strict, context)


def harmonise(
    frame: pd.DataFrame,
    column: str,
    *,
    src: str = "name",
    year: str | None = None,
    strict: bool = False,
    drop_unmatched: bool = True,
    context: str = "",
) -> pd.DataFrame:
    """Add an ``iso3`` column to ``frame`` converted from ``column``.

    Parameters
    ----------
    frame : DataFrame
        The data.
    column : str
        Column holding names (``src="name"``), COW codes (``"cow"``), ISO2 (``"iso2"``) or
        ISO3 codes (``"iso3"``, checked against country_converter; the private-use codes
        ``XAA``-``XZZ`` of synthetic entities are accepted).
    year : str, optional
        Year column, for the year-aware state rules.
    strict : bool
        Raise :class:`DataError` listing every unmatched value.
    drop_unmatched : bool
        Drop rows whose country could not be matched (they are listed in
        ``attrs["unmatched"]``).
    context : str
        Named in error messages.

    Returns
    -------
    DataFrame
        A copy with ``iso3`` (first column); ``attrs["unmatched"]`` lists unmatched values.

    Examples
    --------
    >>> df = pd.DataFrame({"country": ["France", "Narnia"], "year": [2000, 2000]})
    >>> out = harmonise(df, "country", year="year")
    >>> out["iso3"].tolist(), out.attrs["unmatched"]
    (['FRA'], ['Narnia'])
    """
    if column not in frame.columns:
        raise DataError(f"column {column!r} not in the frame{' ' + context if context else ''}")
    years = frame[year].tolist() if year else None
    values = frame[column].tolist()
    if src == "name":
        iso = to_iso3(values, years, strict=strict, context=context)
    elif src == "cow":
        iso = cow_to_iso3(values, years, strict=strict, context=context)
    elif src == "iso2":
        iso = iso2_to_iso3(values, strict=strict, context=context)
    elif src == "iso3":
        codes = [None if pd.isna(v) else str(v).strip().upper() for v in values]
        known = (
            set(_converter().data["ISO3"])
            | {r[1] for s in STATE_RULES for r in s.iso3_by_year}
            | set(NAME_ALIASES.values())
        )
        kept = [c if c and (c in known or _PRIVATE.fullmatch(c)) else None for c in codes]
        iso = pd.Series(kept, dtype="object", name="iso3")
        bad = {c for c, k in zip(codes, kept, strict=True) if c and k is None}
        iso = _finish(iso, bad, "ISO3 codes", strict, context)
    else:
        raise DataError(f"src must be one of name, cow, iso2, iso3; got {src!r}")
    out = frame.copy()
    out.insert(0, "iso3", iso.to_numpy())
    if drop_unmatched:
        out = out[out["iso3"].notna()].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    out.attrs["unmatched"] = iso.attrs["unmatched"]
    return out


__all__ = [
    "NAME_ALIASES",
    "STATE_RULES",
    "StateRule",
    "clean_name",
    "cow_to_iso3",
    "harmonise",
    "iso2_to_iso3",
    "name_year_range",
    "to_iso3",
]
