"""Tests of the shipped data set ``published_benchmarks``.

Checks the schema against its metadata, that every row cites a source, that the
figures the papers compare against (Elliott 32/15, Weisband 12%/17%/4.3, Boockmann 13%,
Barenberg 13/17) are present with their values, and that each figure cited to a seed
line is actually printed on that line (or within three lines of it).
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from _seeds import needs_seeds, seed_window

from enforcement_lab.data import load_shipped
from enforcement_lab.data.shipped import metadata
from enforcement_lab.sources import BANKS, SEEDS

NAME = "published_benchmarks"
SEED_REF = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):(\d+)(?:-(\d+))?")
WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_shipped(NAME)


def _by_id(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index("benchmark_id")["value"]


def renderings(value: float, unit: str) -> list[str]:
    """The ways a source may print ``value`` (12% for 0.12, 2,300 or 'six' for counts)."""
    if unit == "share":
        pct = round(value * 100, 4)
        text = f"{pct:g}"
        return [f"{text}%", f"{text} percent", f"{text} per cent"]
    if unit == "US dollars":
        return [f"{value / 1e9:g} billion", f"{value / 1e6:g} million"]
    if float(value).is_integer():
        n = int(value)
        forms = [str(n), f"{n:,}"]
        if n in WORDS:
            forms.append(WORDS[n])
        return forms
    return [f"{value:g}"]


def printed(form: str, text: str) -> bool:
    """Whether ``form`` appears in ``text`` as a whole number/word (not inside 2013 or 'someone')."""
    pattern = re.escape(form)
    if form[0].isalnum():
        pattern = r"(?<![\w.,])" + pattern
    if form[-1].isalnum():
        pattern += r"(?![\w])"
    return re.search(pattern, text, flags=re.IGNORECASE) is not None


def test_columns_match_metadata(frame: pd.DataFrame) -> None:
    declared = [c["name"] for c in metadata(NAME)["columns"]]
    assert list(frame.columns) == declared
    assert metadata(NAME)["synthetic"] is False
    assert frame.attrs["synthetic"] is False


def test_categorical_values_in_allowed_sets(frame: pd.DataFrame) -> None:
    for column in metadata(NAME)["columns"]:
        if "allowed" in column:
            values = set(frame[column["name"]].dropna())
            assert values <= set(column["allowed"]), (
                column["name"],
                values - set(column["allowed"]),
            )


def test_every_row_has_a_source_and_a_finite_value(frame: pd.DataFrame) -> None:
    for column in (
        "benchmark_id",
        "author",
        "work",
        "quantity",
        "unit",
        "period",
        "scope",
        "source",
    ):
        missing = frame.loc[
            frame[column].isna() | (frame[column].str.strip() == ""), "benchmark_id"
        ]
        assert missing.empty, f"rows without {column}: {list(missing)}"
    assert frame["value"].map(math.isfinite).all()
    assert frame["benchmark_id"].is_unique


def test_sources_are_seed_lines_or_publications(frame: pd.DataFrame) -> None:
    for row in frame.itertuples():
        refs = SEED_REF.findall(row.source)
        if refs:
            for file, first, last in refs:
                assert file in SEEDS
                assert int(last or first) >= int(first)
        else:
            # a publication: author, year in parentheses, title in quotes, venue
            assert re.search(r"\(\d{4}\)", row.source), row.benchmark_id
            assert "'" in row.source, row.benchmark_id


def test_shares_are_fractions(frame: pd.DataFrame) -> None:
    shares = frame.loc[frame["unit"] == "share", "value"]
    assert ((shares >= 0) & (shares <= 1)).all()


def test_headline_benchmarks_present(frame: pd.DataFrame) -> None:
    v = _by_id(frame)
    assert v["elliott_gsp_cases"] == 32
    assert v["elliott_gsp_successes"] == 15
    assert v["elliott_gsp_failures"] == 17
    assert v["elliott_gsp_successes"] + v["elliott_gsp_failures"] == v["elliott_gsp_cases"]
    assert v["elliott_gsp_success_rate"] == pytest.approx(15 / 32)
    assert v["weisband_responsiveness_global"] == pytest.approx(0.12)
    assert v["weisband_responsiveness_europe"] == pytest.approx(0.17)
    assert v["weisband_observations_per_ratification"] == pytest.approx(4.3)
    assert v["boockmann_ratification_10yr"] == pytest.approx(0.13)
    assert v["barenberg_gsp_suspensions"] == 13
    assert v["barenberg_gsp_extensions"] == 17


def test_headline_periods(frame: pd.DataFrame) -> None:
    period = frame.set_index("benchmark_id")["period"]
    assert "1964-1995" in period["weisband_responsiveness_global"]
    assert "1998" in period["elliott_gsp_cases"]
    assert "1975-1995" in period["boockmann_ratification_10yr"]


@needs_seeds
def test_seed_cited_figures_are_printed_on_the_cited_line(frame: pd.DataFrame) -> None:
    checked = 0
    for row in frame.itertuples():
        refs = SEED_REF.findall(row.source)
        if not refs or str(row.notes).startswith("Derived by us"):
            continue
        text = "\n".join(seed_window(f, int(a), int(b or a)) for f, a, b in refs)
        forms = renderings(row.value, row.unit)
        assert any(printed(form, text) for form in forms), (row.benchmark_id, row.source, forms)
        checked += 1
    assert checked >= 30


@needs_seeds
@pytest.mark.parametrize(
    ("benchmark_id", "keyword"),
    [
        ("elliott_gsp_cases", "32"),
        ("elliott_gsp_successes", "success (15)"),
        ("elliott_gsp_failures", "failure (17)"),
        ("weisband_responsiveness_global", "1964 to 1995"),
        ("weisband_observations_per_ratification", "4.3 CEACR"),
        ("weisband_responsiveness_europe", "Europe"),
        ("barenberg_gsp_suspensions", "13 occasions under the GSP"),
        ("barenberg_gsp_extensions", "extensions of benefits to 17 countries"),
        ("banks_naalc_communications", "NAALC"),
        ("menashe_article33_measures", "Article 33"),
    ],
)
def test_seed_line_keywords(frame: pd.DataFrame, benchmark_id: str, keyword: str) -> None:
    source = frame.set_index("benchmark_id").loc[benchmark_id, "source"]
    (file, first, last), *_ = SEED_REF.findall(source)
    assert keyword in seed_window(file, int(first), int(last or first))


def test_renderings_and_matching() -> None:
    assert "12%" in renderings(0.12, "share")
    assert "11.57 percent" in renderings(0.1157, "share")
    assert "2,300" in renderings(2300.0, "cases")
    assert "six" in renderings(6.0, "cases")
    assert "1.3 billion" in renderings(1.3e9, "US dollars")
    assert printed("13", "on only 13 occasions")
    assert not printed("13", "in 2013 the")
    assert not printed("one", "someone said")
    assert printed("12%", "only 12% of")
    assert not printed("1%", "only 11% of")


def test_second_hand_and_derived_figures_say_so(frame: pd.DataFrame) -> None:
    rows = frame.set_index("benchmark_id")
    iacthr = rows.loc["banks_iacthr_full_compliance"]
    assert iacthr["author"].startswith("James L. Cavallaro and Stephanie Erin Brewer")
    assert iacthr["notes"].startswith("Second-hand")
    assert f"{BANKS}:6469" in iacthr["source"]
    for benchmark_id in ("banks_chile_reform_lag", "compa_vogt_gsp_petitions"):
        assert "derived" in rows.loc[benchmark_id, "period"], benchmark_id
        assert "Period derived by us" in rows.loc[benchmark_id, "notes"], benchmark_id
    notes = rows.loc["barenberg_gsp_suspensions", "notes"]
    assert "Footnote 21 (002:981)" in notes and "footnote 20 (002:980)" in notes


@needs_seeds
def test_cavallaro_brewer_citation_line() -> None:
    window = seed_window(BANKS.file, 6469, 6469, margin=0)
    assert "Cavallaro" in window and "785-786" in seed_window(BANKS.file, 6469, 6471)


def test_coverage_summary_matches_the_data(frame: pd.DataFrame) -> None:
    meta = metadata(NAME)
    summary = meta["coverage"]["summary"]
    seed_cited = frame["source"].map(lambda source: SEED_REF.search(source) is not None)
    assert f"the {len(frame)} figures" in summary
    assert f"cited seed line ({int(seed_cited.sum())})" in summary
    assert f"cited publication ({int((~seed_cited).sum())}: " in summary
    assert meta["version"] == meta["changelog"][0]["version"] == "0.2.0"
