"""Country harmonisation: names, ISO2/ISO3 and COW codes to ISO3, with one succession rule.

Every reader of the data layer returns ISO 3166-1 alpha-3 codes in its ``iso3`` column, plus
the codes of :data:`HISTORICAL_CODES` (ISO 3166-3 codes of states that no longer exist, and
Kosovo's user-assigned ``XKX``); :func:`known_codes` is that set. Legacy spellings of
existing countries' codes (the World Bank's ``ROM``, ``ZAR``, ``TMP``, ``ADO`` ...) are
translated by :data:`LEGACY_CODES` wherever a source gives ISO3 codes.

Ordinary names and codes are converted by :mod:`country_converter` (its regular expressions
cover the spellings of the World Bank, UN, CIRI, Polity, UNCTAD ...). Names are always read
as names: a label such as Polity's ``"UAE"`` is matched by the name patterns (to ``ARE``),
never passed through as if it were a code. Before that, the states that split or merged
are resolved by the explicit rules in :data:`STATE_RULES`, because a name-only converter
maps e.g. "Czechoslovakia" to the Czech Republic and "Yemen, South" to unified Yemen,
which would silently merge different states.

The succession rule
-------------------
:data:`SUCCESSIONS` is the single table of state changes, applied in the same way to every
source that identifies states by name or COW code (CIRI, Mosley, Polity, Freedom House,
the UN treaty file, UNCTAD, DOL, the LRI, users' frames with a ``country`` column). It
follows ISO 3166-3 and the Correlates of War state list:

* **A state continued under another name is one entity with one code per period.** The
  USSR is ``SUN`` to 1991 and the Russian Federation, its continuing state, ``RUS`` from
  1992; the SFR Yugoslavia is ``YUG`` to 1991, the Federal Republic of Yugoslavia / Serbia
  and Montenegro ``SCG`` 1992-2005, and Serbia, its continuing state, ``SRB`` from 2006.
  Any name or COW code of such an entity takes the code of the year's period: a record of
  the "Russian Federation" dated 1973 (the UN treaty collection lists the USSR's
  ratifications under the Russian Federation) is the USSR's, ``SUN``; a "Soviet Union"
  placeholder row dated 1992 is Russia's, ``RUS``.
* **A state that merged into another keeps its own code until the merger.** The German
  Democratic Republic is ``DDR`` to 1990; Germany is ``DEU`` throughout (the Federal Republic
  is the continuing state). South Yemen is ``YMD`` to 1990; Yemen is ``YEM`` throughout
  (unified Yemen continues the Yemen Arab Republic, as ISO keeps its code).
* **A state that dissolved or lost territory ends, or goes on, under its code; new states
  have their own code in every year.** Czechoslovakia is ``CSK`` to 1992, the Czech
  Republic ``CZE`` and Slovakia ``SVK`` (neither continues it). Sudan is ``SDN`` in every
  year (before 2011 it includes South Sudan, ``SSD`` from 2011); Ethiopia is ``ETH`` in
  every year (before 1993 it includes Eritrea, ``ERI`` from 1993). The other successors of
  the USSR and Yugoslavia keep their own codes.

ISO3 codes that a source gives itself (the controls panel, the CBR index, the WDI files, a
user frame with an ``iso3`` column) are only translated from legacy spellings, never
re-dated: such a code already says which territory the row describes (the WDI's ``RUS``
rows for 1989-1991 are the Russian republic's GDP, not the USSR's).

================================  =====================  ============================================
source name or COW code           ISO3                   rule
================================  =====================  ============================================
Soviet Union / USSR, Russia,      ``SUN`` to 1991        one entity: ``RUS`` from 1992
Russian Federation (COW 365)
Yugoslavia (SFRY, COW 345), FR    ``YUG`` to 1991        one entity: ``SCG`` 1992-2005, Serbia ``SRB``
Yugoslavia, Serbia and                                   from 2006
Montenegro, Serbia
Czechoslovakia (COW 315)          ``CSK``                Czech Republic ``CZE`` (COW 316) and Slovakia
                                                         ``SVK`` (COW 317) are new states
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
Ethiopia (COW 530)                ``ETH``                before 1993 ``ETH`` includes Eritrea;
                                                         Eritrea (``ERI``, COW 531) from 1993
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
from typing import SupportsFloat, SupportsInt

import numpy as np
import pandas as pd

from enforcement_lab.errors import DataError


@dataclass(frozen=True)
class Succession:
    """One entry of the succession rule (see the module docstring).

    ``periods`` is a tuple of ``(last_year, iso3)`` pairs in increasing order (``None`` as
    the last year means "and later"). With more than one period the entry is one state
    continued under another code: a code of the entry is replaced by the code of the
    period its year falls in. With one period the code never changes (the entry records
    when the state ended, or that it continues across a change of territory).
    """

    label: str
    periods: tuple[tuple[int | None, str], ...]
    note: str

    @property
    def codes(self) -> tuple[str, ...]:
        """The ISO3 codes of the entity, oldest first."""
        return tuple(code for _, code in self.periods)

    def code(self, year: float | None) -> str:
        """The ISO3 code of the entity in ``year`` (the first code when the year is missing)."""
        if year is None or (isinstance(year, float) and np.isnan(year)):
            return self.periods[0][1]
        for last, code in self.periods:
            if last is None or year <= last:
                return code
        return self.periods[-1][1]


#: The succession rule: every state change the data layer knows, in one table.
SUCCESSIONS: tuple[Succession, ...] = (
    Succession(
        "USSR / Russia",
        ((1991, "SUN"), (None, "RUS")),
        "the Russian Federation continues the USSR (it kept the USSR's UN seat and treaty "
        "obligations): SUN to 1991, RUS from 1992, whatever name or COW code (365) the "
        "source uses; the other Soviet republics are new states with their own codes",
    ),
    Succession(
        "Yugoslavia / Serbia",
        ((1991, "YUG"), (2005, "SCG"), (None, "SRB")),
        "COW 345 and Polity continue the SFR Yugoslavia (YUG, to 1991) as the Federal "
        "Republic of Yugoslavia / Serbia and Montenegro (ISO 3166-3 SCG, 1992-2005) and "
        "Serbia (SRB, from 2006); Slovenia, Croatia, Bosnia, North Macedonia and Montenegro "
        "are new states",
    ),
    Succession(
        "Czechoslovakia",
        ((1992, "CSK"),),
        "Czechoslovakia (ISO 3166-3 CSK) to 1992; the Czech Republic (CZE, COW 316) and "
        "Slovakia (SVK, COW 317) are new states from 1993, neither its continuation",
    ),
    Succession(
        "German Democratic Republic",
        ((1990, "DDR"),),
        "East Germany (ISO 3166-3 DDR) to 1990, when it joined the Federal Republic",
    ),
    Succession(
        "Germany",
        ((None, "DEU"),),
        "the Federal Republic (DEU) is the continuing state of unified Germany",
    ),
    Succession(
        "South Yemen",
        ((1990, "YMD"),),
        "South Yemen (ISO 3166-3 YMD) to 1990, when it merged with the Yemen Arab Republic",
    ),
    Succession(
        "Yemen",
        ((None, "YEM"),),
        "unified Yemen (1990) continues the Yemen Arab Republic, as ISO keeps its code YEM",
    ),
    Succession(
        "Sudan / South Sudan",
        ((None, "SDN"),),
        "Sudan is SDN in every year; before 2011 it includes South Sudan (SSD from 2011)",
    ),
    Succession(
        "Ethiopia / Eritrea",
        ((None, "ETH"),),
        "Ethiopia is ETH in every year; before 1993 it includes Eritrea (ERI from 1993)",
    ),
)

_CHAIN: dict[str, Succession] = {
    code: entry for entry in SUCCESSIONS if len(entry.periods) > 1 for code in entry.codes
}


def code_in_year(code: str | None, year: SupportsFloat | None) -> str | None:
    """Apply the succession rule to one state code: the code of its entity in ``year``.

    Examples
    --------
    >>> code_in_year("RUS", 1973), code_in_year("SUN", 1995), code_in_year("YUG", 2000)
    ('SUN', 'RUS', 'SCG')
    >>> code_in_year("CZE", 1990), code_in_year("FRA", 1990), code_in_year("RUS", None)
    ('CZE', 'FRA', 'RUS')
    """
    if code is None or year is None or pd.isna(year) or code not in _CHAIN:
        return code
    return _CHAIN[code].code(float(year))


def years_outside(code: str | None, year: SupportsFloat | None) -> float:
    """How many years ``year`` lies outside the period of ``code`` in its succession entry
    (0 inside it, or for a code the rule never changes; infinite for a missing code).

    When a source lists one entity under two names in one year (Mosley has "Serbia" and
    "Yugoslavia, FR" in 1990, both ``YUG`` under the rule), the readers keep the row whose
    name is nearest its own period.

    Examples
    --------
    >>> years_outside("SCG", 1989), years_outside("SRB", 1989), years_outside("SCG", 2000)
    (3.0, 17.0, 0.0)
    """
    if code is None or pd.isna(code):
        return float("inf")
    entry = _CHAIN.get(code)
    if entry is None or year is None or pd.isna(year):
        return 0.0
    first = -float("inf")
    for last, own in entry.periods:
        end = float("inf") if last is None else float(last)
        if own == code:
            y = float(year)
            return max(first - y, y - end, 0.0)
        first = end + 1
    return 0.0


#: ISO 3166-3 codes of states that no longer exist, and codes outside ISO 3166-1 that the
#: data layer accepts, with what they stand for.
HISTORICAL_CODES: dict[str, str] = {
    "SUN": "USSR, to 1991 (ISO 3166-3)",
    "YUG": "SFR Yugoslavia, to 1991 (ISO 3166-3)",
    "SCG": "FR Yugoslavia / Serbia and Montenegro, 1992-2005 (ISO 3166-3)",
    "CSK": "Czechoslovakia, to 1992 (ISO 3166-3)",
    "DDR": "German Democratic Republic, to 1990 (ISO 3166-3)",
    "YMD": "South Yemen, to 1990 (ISO 3166-3)",
    "ANT": "Netherlands Antilles, to 2010 (ISO 3166-3)",
    "PCI": "Trust Territory of the Pacific Islands, to 1986 (ISO 3166-3)",
    "XKX": "Kosovo (user-assigned code of the EU and the World Bank; not in ISO 3166-1)",
}

#: Legacy spellings of existing countries' codes -> ISO 3166-1 alpha-3: the World Bank's
#: former codes (ROM, ZAR, TMP, ADO, KSV) and the ISO 3166-3 codes of renamed countries.
LEGACY_CODES: dict[str, str] = {
    "ROM": "ROU",  # Romania: World Bank code until 2002
    "ZAR": "COD",  # Zaire / DR Congo: ISO 3166-3 (1997), World Bank until 2001
    "TMP": "TLS",  # East Timor / Timor-Leste: ISO 3166-3 (2002)
    "ADO": "AND",  # Andorra: World Bank code
    "KSV": "XKX",  # Kosovo: World Bank's former code
    "BUR": "MMR",  # Burma / Myanmar: ISO 3166-3 (1989)
    "DHY": "BEN",  # Dahomey / Benin: ISO 3166-3 (1977)
    "HVO": "BFA",  # Upper Volta / Burkina Faso: ISO 3166-3 (1984)
    "NHB": "VUT",  # New Hebrides / Vanuatu: ISO 3166-3 (1980)
    "RHO": "ZWE",  # Southern Rhodesia / Zimbabwe: ISO 3166-3 (1980)
}


@dataclass(frozen=True)
class StateRule:
    """How one state that split or merged is recognised.

    ``pattern`` is a case-insensitive regular expression matched against the whole
    cleaned name; ``cow`` the COW codes the rule covers; ``iso3`` the code it gives, which
    the succession rule (:func:`code_in_year`) then dates.
    """

    label: str
    pattern: str
    cow: tuple[int, ...]
    iso3: str
    note: str


#: The explicit name and COW rules for states that split or merged (see the module docstring).
STATE_RULES: tuple[StateRule, ...] = (
    StateRule(
        "USSR",
        r"(the )?(soviet union|u\.?s\.?s\.?r\.?|union of soviet socialist republics)",
        (365,),
        "SUN",
        "the USSR (ISO 3166-3 SUN) and COW 365: SUN to 1991, RUS from 1992",
    ),
    StateRule(
        "Yugoslavia (SFRY)",
        r"(sfr |socialist federal republic of |socialist federative republic of )?yugoslavia",
        (345,),
        "YUG",
        "Yugoslavia and COW 345: YUG to 1991, SCG 1992-2005, SRB from 2006",
    ),
    StateRule(
        "FR Yugoslavia / Serbia and Montenegro",
        r"(yugoslavia,? (fr|f\.r\.|federal republic( of)?)|federal republic of yugoslavia"
        r"|serbia (and|&) montenegro|yugoslavia, federal republic of)",
        (),
        "SCG",
        "FR Yugoslavia / Serbia and Montenegro (ISO 3166-3 SCG), dated like Yugoslavia",
    ),
    StateRule(
        "Czechoslovakia",
        r"czechoslovakia|czechoslovak socialist republic",
        (315,),
        "CSK",
        "Czechoslovakia to 1992 (ISO 3166-3 CSK); successors CZE and SVK",
    ),
    StateRule(
        "German Democratic Republic",
        r"(german democratic republic|east germany|germany,? east|germany \(east\)|gdr"
        r"|germany,? democratic republic( of)?)",
        (265,),
        "DDR",
        "East Germany to 1990 (ISO 3166-3 DDR)",
    ),
    StateRule(
        "Germany (Federal Republic)",
        r"(german federal republic|west germany|germany,? w(est|\.)?|germany \(west\)|frg"
        r"|federal republic of germany|germany,? federal republic( of)?|germany)",
        (255, 260),
        "DEU",
        "the Federal Republic is the continuing state of unified Germany (DEU)",
    ),
    StateRule(
        "South Yemen",
        r"(south yemen|yemen,? south|yemen \(south\)|yemen,? p\.?d\.?r\.?|yemen pdr"
        r"|yemen,? people'?s (democratic )?republic( of)?|people'?s democratic republic of yemen"
        r"|yemen,? democratic)",
        (680,),
        "YMD",
        "South Yemen to 1990 (ISO 3166-3 YMD)",
    ),
    StateRule(
        "Yemen (YAR / unified)",
        r"(yemen,? arab republic|north yemen|yemen,? north|yemen \(north\)|yemen,? rep\.?"
        r"|republic of yemen|yemen)",
        (678, 679),
        "YEM",
        "unified Yemen continues the Yemen Arab Republic (YEM)",
    ),
    StateRule(
        "Sudan",
        r"(the )?sudan",
        (625,),
        "SDN",
        "Sudan: SDN in every year; before 2011 it includes South Sudan",
    ),
    StateRule("South Sudan", r"south sudan", (626,), "SSD", "South Sudan from 2011"),
    StateRule(
        "North Vietnam",
        r"(north vietnam|vietnam,? n(orth|\.)?|vietnam north|democratic republic of vietnam)",
        (816,),
        "VNM",
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


@cache
def known_codes() -> frozenset[str]:
    """The codes a reader may return: ISO 3166-1 alpha-3 (country_converter's table) and
    :data:`HISTORICAL_CODES`. (The private-use block ``XAA``-``XZZ`` of synthetic entities is
    accepted besides, see :func:`harmonise`.)

    Examples
    --------
    >>> {"FRA", "ROU", "SUN", "XKX"} <= known_codes(), "ROM" in known_codes()
    (True, False)
    """
    iso = {c for c in _converter().data["ISO3"] if isinstance(c, str)}
    return frozenset(iso | set(HISTORICAL_CODES))


def _valid_iso3(value: object) -> bool:
    return isinstance(value, str) and value in known_codes()


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
    for i, name in enumerate(cleaned):
        if not name or name.lower() in {"nan", "none", "<na>"}:
            continue
        rule = _rule_for_name(name)
        if name.lower() in NAME_ALIASES:
            out[i] = NAME_ALIASES[name.lower()]
        elif rule is not None:
            out[i] = rule.iso3
        else:
            pending.setdefault(name, []).append(i)
    # names are matched as names: with src=None country_converter would take a
    # three-letter name such as "UAE" for a code and return it unchanged
    mapping = _coco(list(pending), "regex")
    for name, idx in pending.items():
        for i in idx:
            out[i] = mapping[name]
    out = [code_in_year(code, year) for code, year in zip(out, yrs, strict=True)]
    unmatched = {cleaned[i] for i, v in enumerate(out) if v is None and cleaned[i]}
    result = pd.Series(out, dtype="object", name="iso3")
    return _finish(result, unmatched, "country names", strict, context)


def cow_to_iso3(
    codes: Iterable[SupportsInt | str | None],
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
    for i, code in enumerate(raw):
        if code is None or pd.isna(code):
            continue
        try:
            c = int(code)
        except (TypeError, ValueError):
            continue
        rule = _rule_for_cow(c)
        if rule is not None:
            out[i] = rule.iso3
        elif c in _COW_EXTRA:
            out[i] = _COW_EXTRA[c]
        else:
            pending.setdefault(c, []).append(i)
    mapping = _coco(list(pending), "GWcode")
    for c, idx in pending.items():
        for i in idx:
            out[i] = mapping[c]
    out = [code_in_year(code, year) for code, year in zip(out, yrs, strict=True)]
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
        ISO3 codes (``"iso3"``: legacy spellings such as ``ROM`` are translated by
        :data:`LEGACY_CODES` and listed in ``attrs["recoded"]``, then checked against
        :func:`known_codes`; the private-use codes ``XAA``-``XZZ`` of synthetic entities are
        accepted; ISO3 codes are never re-dated by the succession rule).
    year : str, optional
        Year column, for the succession rule (names and COW codes).
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
        recoded = {c: LEGACY_CODES[c] for c in codes if c in LEGACY_CODES}
        codes = [LEGACY_CODES.get(c, c) if c else c for c in codes]
        known = known_codes()
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
    if src == "iso3":
        out.attrs["recoded"] = dict(sorted(recoded.items()))
    return out


__all__ = [
    "HISTORICAL_CODES",
    "LEGACY_CODES",
    "NAME_ALIASES",
    "STATE_RULES",
    "SUCCESSIONS",
    "StateRule",
    "Succession",
    "clean_name",
    "code_in_year",
    "cow_to_iso3",
    "harmonise",
    "iso2_to_iso3",
    "known_codes",
    "name_year_range",
    "to_iso3",
    "years_outside",
]
