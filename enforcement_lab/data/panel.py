"""The panel builder: one country-year frame from registry sources, shipped event data and
user frames, with lags, leads, event indicators and a provenance record.

Columns are named ``"column"`` (looked up in the ``base`` source, by default the published
labour-rights controls panel) or ``"source:column"`` (e.g. ``"ciri:WORKER"``,
``"polity5:polity2"``, ``"mine:y"`` for a frame passed in ``frames={"mine": df}``). Each
source is reduced to one row per ``(iso3, year)`` and merged one-to-one onto the rows of the
outcome's source (``pandas.merge(validate="one_to_one")``).

Event indicators come from the shipped, hand-coded event data (see :data:`EVENTS` for the
coding rule of each): 0/1 per country-year, or a count of years since the first event. A
country-year with no coded event is 0: the event data sets list every case their sources
report, so 0 means "no event in the coded sources". The exception is a year the source
codes as missing for everyone: the Conference Committee processed no cases in 2012
(``ilo_supervisory_events`` rows of type ``no_cases_processed``), so ``ilo_cas_case`` and
``ilo_cas_special_paragraph`` are missing (``<NA>``) for every country in 2012, never 0.

No merge loses rows silently. Every source merged for columns, and every event data set,
is recorded in a :class:`MergeReport` (``attrs["merge_report"]``): per source, how many
panel rows found a row in it and every unmatched country-year range, on both sides -- the
panel's rows the source has no row for, and the source's rows with data, inside the panel's
years, that found no panel row (a country missing from the panel, or coded differently).
Source data left behind that way raises a :class:`MergeLossWarning` naming the countries.

Errors (:class:`DataError`): an unknown column or source (named), duplicate
``(iso3, year)`` rows in a source (named), two requests producing the same column with
different values (named, with example keys), and -- with ``strict=True`` -- countries of a
user frame that cannot be matched to ISO3 (all listed).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from enforcement_lab.data.countries import harmonise
from enforcement_lab.data.lags import lag_name, panel_shift
from enforcement_lab.errors import DataError

KEYS = ["iso3", "year"]


class MergeLossWarning(UserWarning):
    """A merge of :func:`build_panel` left rows of a source with data outside the panel.

    The message names the source and every country-year range left behind; the full
    record is the panel's ``attrs["merge_report"]``.
    """


def _ranges(keys: pd.DataFrame) -> list[tuple[str, int, int, int]]:
    """Country-year keys as ``(iso3, first, last, rows)`` runs of consecutive years."""
    out: list[tuple[str, int, int, int]] = []
    if keys.empty:
        return out
    keys = keys.drop_duplicates().sort_values(KEYS)
    for iso, years in keys.groupby("iso3", sort=True)["year"]:
        ys = years.to_numpy()
        breaks = np.flatnonzero(np.diff(ys) != 1)
        starts = np.r_[0, breaks + 1]
        ends = np.r_[breaks, len(ys) - 1]
        out += [
            (str(iso), int(ys[a]), int(ys[b]), int(b - a + 1))
            for a, b in zip(starts, ends, strict=True)
        ]
    return out


class MergeReport:
    """What each merge of :func:`build_panel` matched and left unmatched.

    Attributes
    ----------
    sources : DataFrame
        One row per merged source (``source``, ``kind`` -- ``"columns"`` or ``"event"`` --,
        ``columns``): ``panel_rows``; ``matched``, the panel rows the source has a row for;
        ``with_data``, those with a non-missing value; ``unmatched``, the panel rows it has
        no row for (0 for an event data set, where no row means no event); ``source_rows``,
        its rows with data inside the panel's years; ``lost``, those that found no panel
        row; ``lost_countries``.
    unmatched : DataFrame
        Every unmatched country-year range: ``source``, ``side`` (``"panel"``: panel rows
        without a source row; ``"source"``: source rows with data left out of the panel),
        ``iso3``, ``first``, ``last``, ``rows``.

    ``str(report)`` is a readable summary. (A report object, not a bare DataFrame, sits in
    ``attrs`` because pandas compares the ``attrs`` of the frames it concatenates, which a
    DataFrame value would make ambiguous.)
    """

    SOURCE_COLUMNS = (
        "source",
        "kind",
        "columns",
        "panel_rows",
        "matched",
        "with_data",
        "unmatched",
        "source_rows",
        "lost",
        "lost_countries",
    )
    RANGE_COLUMNS = ("source", "side", "iso3", "first", "last", "rows")

    def __init__(self, sources: pd.DataFrame, unmatched: pd.DataFrame) -> None:
        self.sources = sources
        self.unmatched = unmatched

    @property
    def lost(self) -> pd.DataFrame:
        """The ranges of source rows with data that found no panel row."""
        return self.unmatched[self.unmatched["side"] == "source"].reset_index(drop=True)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, MergeReport)
            and self.sources.equals(other.sources)
            and self.unmatched.equals(other.unmatched)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        if self.sources.empty:
            return "merge report: no source merged"
        lines = ["merge report (rows of the panel matched in each source):"]
        for row in self.sources.itertuples(index=False):
            if row.kind == "event":
                head = f"{row.matched} of {row.panel_rows} panel rows with the event"
            else:
                head = (
                    f"{row.matched} of {row.panel_rows} panel rows matched "
                    f"({row.with_data} with data), {row.unmatched} unmatched"
                )
            lines.append(
                f"  {row.source} [{row.columns}]: {head}; "
                f"{row.lost} of {row.source_rows} source rows with data left out"
                + (f" ({row.lost_countries} countries)" if row.lost else "")
            )
            for side, what in (("source", "left out"), ("panel", "no source row")):
                part = self.unmatched[
                    (self.unmatched["source"] == row.source) & (self.unmatched["side"] == side)
                ]
                if len(part):
                    lines.append(f"    {what}: {_format_ranges(part)}")
        return "\n".join(lines)


def _format_ranges(part: pd.DataFrame) -> str:
    """``"ROU 1990-2010, TWN 1982"``: every range of ``part``."""
    return ", ".join(
        f"{r.iso3} {r.first}" if r.first == r.last else f"{r.iso3} {r.first}-{r.last}"
        for r in part.itertuples(index=False)
    )


def _merge_record(
    source: str,
    kind: str,
    columns: Sequence[str],
    panel_keys: pd.DataFrame,
    rows: pd.DataFrame,
    has_data: pd.Series,
    window: tuple[int, int],
) -> tuple[dict[str, Any], list[tuple]]:
    """Count one merge: ``rows`` are the source's ``(iso3, year)`` keys, ``has_data`` marks
    those with a non-missing value; only years inside ``window`` count as left out."""
    panel_idx = pd.MultiIndex.from_frame(panel_keys[KEYS])
    src_idx = pd.MultiIndex.from_frame(rows[KEYS])
    in_source = panel_idx.isin(src_idx)
    with_data_idx = pd.MultiIndex.from_frame(rows.loc[has_data.to_numpy(), KEYS])
    inside = rows["year"].between(*window).to_numpy() & has_data.to_numpy()
    candidates = rows.loc[inside, KEYS]
    left_out = candidates[~pd.MultiIndex.from_frame(candidates).isin(panel_idx)]
    record = {
        "source": source,
        "kind": kind,
        "columns": ", ".join(columns),
        "panel_rows": len(panel_keys),
        "matched": int(in_source.sum()),
        "with_data": int(panel_idx.isin(with_data_idx).sum()),
        # an event data set lists events only: a panel row without one is a 0, not unmatched
        "unmatched": int((~in_source).sum()) if kind == "columns" else 0,
        "source_rows": len(candidates),
        "lost": len(left_out),
        "lost_countries": int(left_out["iso3"].nunique()),
    }
    ranges = [(source, "source", *r) for r in _ranges(left_out)]
    if kind == "columns":
        ranges += [(source, "panel", *r) for r in _ranges(panel_keys.loc[~in_source, KEYS])]
    return record, ranges


@dataclass(frozen=True)
class EventDefinition:
    """How one event indicator is coded from a shipped data set."""

    dataset: str
    rule: str
    build: Callable[[pd.DataFrame], pd.DataFrame]  # -> iso3, year, value (one row per key)
    #: years in which the indicator is missing for every country (none by default)
    missing_years: Callable[[pd.DataFrame], set[int]] | None = None


def _years_of(frame: pd.DataFrame, col: str) -> pd.DataFrame:
    out = frame[["iso3", col]].dropna()
    out = out.rename(columns={col: "year"}).astype({"year": int})
    return out.assign(value=1).drop_duplicates(KEYS)


def _by_body(body: str) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def build(df: pd.DataFrame) -> pd.DataFrame:
        return _years_of(df[df["body"] == body], "year")

    return build


def _no_cases_years(body: str) -> Callable[[pd.DataFrame], set[int]]:
    """Years in which ``body`` processed no cases at all (coded ``no_cases_processed``)."""

    def years(df: pd.DataFrame) -> set[int]:
        rows = df[(df["body"] == body) & (df["event_type"] == "no_cases_processed")]
        return {int(y) for y in rows["year"].dropna()}

    return years


def _gsp_spans(df: pd.DataFrame) -> pd.DataFrame:
    """Open years of each GSP review: first to last of the known years of the case."""
    df = df[df["outcome"] != "withdrawn_or_not_accepted"]
    cols = ["petition_year", "review_opened", "review_closed"]
    years = df[cols].astype("Float64")
    start = years[["review_opened", "petition_year", "review_closed"]].bfill(axis=1).iloc[:, 0]
    end = years[["review_closed", "review_opened", "petition_year"]].bfill(axis=1).iloc[:, 0]
    rows = [
        (iso, y)
        for iso, a, b in zip(df["iso3"], start, end, strict=True)
        if not (pd.isna(a) or pd.isna(b))
        for y in range(int(a), int(b) + 1)
    ]
    return pd.DataFrame(rows, columns=KEYS).assign(value=1).drop_duplicates(KEYS)


def _gsp_since(df: pd.DataFrame) -> pd.DataFrame:
    spans = _gsp_spans(df)
    first = spans.groupby("iso3")["year"].min()
    return pd.DataFrame({"iso3": first.index, "year": first.to_numpy(), "value": 0, "since": True})


def _gsp_sanction(df: pd.DataFrame) -> pd.DataFrame:
    hit = df[df["outcome"].isin(["suspension", "termination", "partial_suspension"])]
    return _years_of(hit, "review_closed")


#: The event indicators :func:`build_panel` knows, with their coding rules.
EVENTS: dict[str, EventDefinition] = {
    "gsp_review_open": EventDefinition(
        "gsp_worker_rights_reviews",
        "1 in every year from a case's first known year (review opened, else petition, else "
        "closed) to its last (closed, else opened, else petition); cases withdrawn or not "
        "accepted and undated cases are left out",
        _gsp_spans,
    ),
    "gsp_years_since_review": EventDefinition(
        "gsp_worker_rights_reviews",
        "years since the first year a GSP worker-rights review was open (0 in that year, "
        "missing before)",
        _gsp_since,
    ),
    "gsp_petition": EventDefinition(
        "gsp_worker_rights_reviews",
        "1 in a petition year",
        lambda df: _years_of(df, "petition_year"),
    ),
    "gsp_sanction": EventDefinition(
        "gsp_worker_rights_reviews",
        "1 in the closing year of a case ending in suspension, termination or partial suspension",
        _gsp_sanction,
    ),
    "gsp_reinstated": EventDefinition(
        "gsp_worker_rights_reviews",
        "1 in a year GSP benefits were reinstated",
        lambda df: _years_of(df, "reinstated_year"),
    ),
    "ilo_cas_case": EventDefinition(
        "ilo_supervisory_events",
        "1 if the Conference Committee discussed an individual case of the country that year; "
        "missing for every country in a year it processed no cases (2012)",
        _by_body("cas_individual_case"),
        _no_cases_years("cas_individual_case"),
    ),
    "ilo_cas_special_paragraph": EventDefinition(
        "ilo_supervisory_events",
        "1 if the Conference Committee placed the country in a special paragraph that year; "
        "missing for every country in a year it processed no cases (2012)",
        _by_body("cas_special_paragraph"),
        _no_cases_years("cas_special_paragraph"),
    ),
    "ilo_ceacr_observation": EventDefinition(
        "ilo_supervisory_events",
        "1 if a coded CEACR observation on the country is dated that year",
        _by_body("ceacr_observation"),
    ),
    "ilo_case_of_progress": EventDefinition(
        "ilo_supervisory_events",
        "1 if a coded event of type case_of_progress is dated that year",
        lambda df: _years_of(df[df["event_type"] == "case_of_progress"], "year"),
    ),
    "ilo_article_26": EventDefinition(
        "ilo_supervisory_events",
        "1 in the year of an article 26 complaint",
        _by_body("article_26_complaint"),
    ),
    "ilo_commission_of_inquiry": EventDefinition(
        "ilo_supervisory_events",
        "1 in the year a Commission of Inquiry was appointed",
        _by_body("commission_of_inquiry"),
    ),
    "trade_case_filed": EventDefinition(
        "trade_agreement_labor_cases",
        "1 in a year a trade-agreement labour case was filed against the country (respondent)",
        lambda df: _years_of(df, "year_filed"),
    ),
}


def _one_per_key(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [k for k in KEYS if k not in frame.columns]
    if missing:
        raise DataError(f"source {source!r} has no {missing} column(s)")
    dup = frame[frame.duplicated(KEYS, keep=False)]
    if len(dup):
        keys = dup[KEYS].drop_duplicates().head(10).to_records(index=False).tolist()
        raise DataError(f"source {source!r} has duplicate (iso3, year) rows: {keys}")
    return frame


def _parse(name: str, base: str) -> tuple[str, str]:
    if ":" in name:
        source, _, column = name.partition(":")
        if not source or not column:
            raise DataError(f"column request {name!r} must be 'column' or 'source:column'")
        return source, column
    return base, name


class _Sources:
    """Loads each source once; records provenance."""

    def __init__(self, frames: Mapping[str, pd.DataFrame], mirror, strict: bool) -> None:
        self.frames = dict(frames)
        self.mirror = mirror
        self.strict = strict
        self.loaded: dict[str, pd.DataFrame] = {}
        self.provenance: dict[str, dict[str, Any]] = {}
        self.unmatched: dict[str, list[str]] = {}

    def get(self, source: str) -> pd.DataFrame:
        if source in self.loaded:
            return self.loaded[source]
        if source in self.frames:
            frame = self._user_frame(source, self.frames[source])
            self.provenance[source] = {
                "source": source,
                "kind": "user frame",
                "synthetic": bool(self.frames[source].attrs.get("synthetic", False)),
            }
        else:
            from enforcement_lab.data.registry import load_source

            frame = load_source(source, mirror=self.mirror)
            files = frame.attrs.get("provenance", [])
            where = {f.get("location") for f in files}
            kind = (
                "shipped" if where == {"shipped"} else "file" if where == {"file"} else "registry"
            )
            self.provenance[source] = {"source": source, "kind": kind, "files": files}
        self.loaded[source] = frame
        return frame

    def columns_source(self, source: str) -> pd.DataFrame:
        """A source used for columns: must be one row per (iso3, year)."""
        return _one_per_key(self.get(source), source)

    def _user_frame(self, source: str, frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.reset_index() if set(KEYS) & set(frame.index.names or []) else frame.copy()
        if "year" not in frame.columns:
            raise DataError(f"frame {source!r} has no 'year' column")
        if "iso3" in frame.columns:
            renamed = frame.rename(columns={"iso3": "_code"})
            out = harmonise(renamed, "_code", src="iso3", drop_unmatched=False, context=source)
            out = out.drop(columns="_code")
        elif "country" in frame.columns:
            out = harmonise(frame, "country", year="year", drop_unmatched=False, context=source)
        else:
            raise DataError(f"frame {source!r} needs an 'iso3' or a 'country' column")
        bad = list(out.attrs["unmatched"])
        if bad:
            self.unmatched[source] = bad
            if self.strict:
                raise DataError(
                    f"frame {source!r}: {len(bad)} unknown countries: {', '.join(map(str, bad))}"
                )
            out = out[out["iso3"].notna()]
        out["year"] = out["year"].astype(int)
        return out


def _indicator(keys: pd.DataFrame, coded: pd.DataFrame, missing: set[int]) -> pd.Series:
    """0/1 (Int64) for each ``(iso3, year)`` of ``keys``: 1 if coded; ``<NA>`` in ``missing``
    years."""
    hits = set(zip(coded["iso3"], coded["year"], strict=True))
    values = pd.Series(
        [int((i, y) in hits) for i, y in zip(keys["iso3"], keys["year"], strict=True)],
        dtype="Int64",
        index=keys.index,
    )
    return values.mask(keys["year"].isin(missing))


def build_panel(
    outcome: str,
    covariates: Sequence[str] = (),
    events: Sequence[str] = (),
    years: tuple[int, int] | None = None,
    *,
    lags: int | Mapping[str, int] = 0,
    leads: int | Mapping[str, int] = 0,
    base: str = "labour_rights_controls_panel",
    frames: Mapping[str, pd.DataFrame] | None = None,
    mirror: str | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Build a country-year panel indexed by ``(iso3, year)``.

    Parameters
    ----------
    outcome : str
        ``"column"`` (in ``base``) or ``"source:column"``; its source defines the rows.
    covariates : sequence of str
        More columns, same notation; merged one-to-one (missing where the source has no row).
    events : sequence of str
        Names in :data:`EVENTS` (e.g. ``"gsp_review_open"``, ``"ilo_cas_case"``).
    years : (int, int), optional
        Inclusive year range of the rows.
    lags, leads : int or mapping of str to int
        Number of lags/leads (``L1.col`` ... / ``F1.col`` ..., named by
        :func:`~enforcement_lab.data.lags.lag_name`) to add for every covariate and event, or
        per column (keys are output column names). Lags are taken by year within country from
        the full source (:func:`~enforcement_lab.data.lags.panel_shift`), so the first year of
        the range has its lag.
    base : str
        Source of unqualified column names.
    frames : mapping of str to DataFrame, optional
        User frames addressable as sources (need ``year`` and ``iso3`` or ``country``).
    mirror : str, optional
        Data mirror for registry sources.
    strict : bool
        Unmatched countries in user frames raise :class:`DataError` (else dropped and listed in
        ``attrs["unmatched"]``).

    Returns
    -------
    DataFrame
        Indexed by ``("iso3", "year")``; ``attrs["provenance"]`` lists every source (files and
        sha256, or shipped data set version) and every event rule (with the years it is
        missing for every country, e.g. 2012 for the Conference Committee indicators);
        ``attrs["synthetic"]`` is True if any input frame was synthetic;
        ``attrs["merge_report"]`` is the :class:`MergeReport` of every merge (``print`` it
        for a summary).

    Warns
    -----
    MergeLossWarning
        When a source has rows with data inside the panel's years that no panel row takes
        (a country the outcome's source lacks, or codes that do not match), naming every
        country-year range; also for the unknown countries of a user frame dropped with
        ``strict=False``.

    Examples
    --------
    >>> from enforcement_lab.data.synthetic import twfe_panel
    >>> p = build_panel("syn:y", ["syn:x1"], lags=1, frames={"syn": twfe_panel(3, 4, seed=0)})
    >>> p.columns.tolist(), p.index.names, p.attrs["synthetic"]
    (['y', 'x1', 'L1.x1'], FrozenList(['iso3', 'year']), True)
    """
    sources = _Sources(frames or {}, mirror, strict)
    requests = [outcome, *covariates]
    if len(set(requests)) != len(requests):
        raise DataError(
            f"columns requested twice: {sorted({r for r in requests if requests.count(r) > 1})}"
        )
    unknown_events = [e for e in events if e not in EVENTS]
    if unknown_events:
        raise DataError(f"unknown events {unknown_events}; known: {', '.join(EVENTS)}")

    out_source, out_col = _parse(outcome, base)
    base_frame = sources.columns_source(out_source)
    if out_col not in base_frame.columns:
        raise DataError(f"unknown column {out_col!r} in source {out_source!r}")
    rows = base_frame[[*KEYS, out_col]]
    if years is not None:
        lo, hi = years
        if lo > hi:
            raise DataError(f"years {years}: start after end")
        rows = rows[(rows["year"] >= lo) & (rows["year"] <= hi)]
    panel = rows.set_index(KEYS).sort_index()
    full: dict[str, pd.DataFrame] = {out_col: base_frame[[*KEYS, out_col]]}
    panel_keys = rows[KEYS].reset_index(drop=True)
    years_of_rows = panel_keys["year"]
    window = (
        years
        if years is not None
        else ((int(years_of_rows.min()), int(years_of_rows.max())) if len(rows) else (0, -1))
    )

    unknown: list[str] = []
    requested: dict[str, list[str]] = {}
    for req in covariates:
        source, col = _parse(req, base)
        frame = sources.columns_source(source)
        if col not in frame.columns:
            unknown.append(f"{col!r} in {source!r}")
            continue
        requested.setdefault(source, []).append(col)
        piece = frame[[*KEYS, col]]
        if col in panel.columns:
            merged = panel[[col]].join(piece.set_index(KEYS)[col].rename("_new"), how="inner")
            both = merged.dropna()
            clash = both[both[col] != both["_new"]]
            if len(clash):
                raise DataError(
                    f"conflicting merge: column {col!r} from {req!r} disagrees with an earlier "
                    f"source at {len(clash)} (iso3, year) keys, e.g. {clash.index[:5].tolist()}"
                )
            continue
        merged = panel.reset_index().merge(piece, on=KEYS, how="left", validate="one_to_one")
        panel = merged.set_index(KEYS)
        full[col] = piece
    if unknown:
        raise DataError(f"unknown columns: {', '.join(unknown)}")
    records: list[dict[str, Any]] = []
    ranges: list[tuple] = []
    for source, cols in requested.items():
        if source == out_source:
            continue  # the rows come from it: nothing to match
        frame = sources.columns_source(source)
        has_data = frame[cols].notna().any(axis=1)
        record, found = _merge_record(
            source, "columns", cols, panel_keys, frame[KEYS], has_data, window
        )
        records.append(record)
        ranges += found

    event_rules = []
    for name in events:
        definition = EVENTS[name]
        data = sources.get(definition.dataset)
        coded = definition.build(data)
        missing = definition.missing_years(data) if definition.missing_years else set()
        record, found = _merge_record(
            f"{definition.dataset}:{name}",
            "event",
            [name],
            panel_keys,
            coded[KEYS].astype({"year": int}),
            pd.Series(True, index=coded.index),
            window,
        )
        records.append(record)
        ranges += found
        keys_df = panel.reset_index()[KEYS]
        if "since" in coded.columns:
            first = keys_df["iso3"].map(dict(zip(coded["iso3"], coded["year"], strict=True)))
            since = keys_df["year"] - first
            values = since.where(since >= 0).astype("Float64").astype("Int64")
        else:
            values = _indicator(keys_df, coded, missing)
        panel[name] = values.to_numpy()
        # the event over all years, for lags/leads that reach outside the row range
        span_years = np.arange(
            min(
                panel.index.get_level_values("year").min(),
                int(coded["year"].min()) if len(coded) else 10**4,
            )
            - 10,
            max(
                panel.index.get_level_values("year").max(),
                int(coded["year"].max()) if len(coded) else 0,
            )
            + 11,
        )
        grid = pd.MultiIndex.from_product(
            [panel.index.get_level_values("iso3").unique(), span_years], names=KEYS
        ).to_frame(index=False)
        if "since" in coded.columns:
            first = grid["iso3"].map(dict(zip(coded["iso3"], coded["year"], strict=True)))
            s = grid["year"] - first
            grid[name] = s.where(s >= 0).astype("Float64").astype("Int64")
        else:
            grid[name] = _indicator(grid, coded, missing)
        full[name] = grid
        event_rules.append(
            {
                "event": name,
                "dataset": definition.dataset,
                "rule": definition.rule,
                "missing_years": sorted(missing),
            }
        )

    def amount(spec: int | Mapping[str, int], col: str) -> int:
        k = spec.get(col, 0) if isinstance(spec, Mapping) else spec
        if int(k) != k or k < 0:
            raise DataError(f"lags/leads must be non-negative integers, got {k!r} for {col!r}")
        return int(k)

    for spec in (lags, leads):
        if isinstance(spec, Mapping):
            bad = [c for c in spec if c not in full or c == out_col]
            if bad:
                raise DataError(
                    f"lags/leads name unknown columns {bad}; choose from {list(full)[1:]}"
                )
    for col, frame in list(full.items())[1:]:
        values = frame.set_index(KEYS)[col]
        for j in range(1, amount(lags, col) + 1):
            panel[lag_name(col, j)] = panel_shift(values, j, panel.index).to_numpy()
        for j in range(1, amount(leads, col) + 1):
            panel[lag_name(col, j, "lead")] = panel_shift(values, -j, panel.index).to_numpy()

    report = MergeReport(
        pd.DataFrame(records, columns=list(MergeReport.SOURCE_COLUMNS)),
        pd.DataFrame(ranges, columns=list(MergeReport.RANGE_COLUMNS)),
    )
    _warn_losses(report, sources.unmatched)
    panel.attrs = {
        "provenance": {"sources": list(sources.provenance.values()), "events": event_rules},
        "synthetic": any(p.get("synthetic") for p in sources.provenance.values()),
        "unmatched": sources.unmatched,
        "merge_report": report,
    }
    return panel


def _warn_losses(report: MergeReport, unmatched: Mapping[str, list[str]]) -> None:
    """One :class:`MergeLossWarning` naming every range of source data left out."""
    parts = []
    lost = report.lost
    for source in dict.fromkeys(lost["source"]):
        part = lost[lost["source"] == source]
        parts.append(f"{source}: {int(part['rows'].sum())} rows ({_format_ranges(part)})")
    for source, names in unmatched.items():
        parts.append(f"{source}: unknown countries dropped ({', '.join(map(str, names))})")
    if parts:
        warnings.warn(
            "build_panel: source rows with data left out of the panel (no panel row for "
            "them); see attrs['merge_report']: " + "; ".join(parts),
            MergeLossWarning,
            stacklevel=3,
        )


__all__ = ["EVENTS", "EventDefinition", "MergeLossWarning", "MergeReport", "build_panel"]
