"""Shipped data sets validate against their metadata; schema violations are named."""

from __future__ import annotations

import shutil

import pytest

from enforcement_lab.data import shipped
from enforcement_lab.errors import DataError


@pytest.mark.parametrize("name", shipped.list_shipped())
def test_every_shipped_table_validates(name):
    shipped.validate_shipped(name)
    df = shipped.load_shipped(name)
    assert df.attrs["synthetic"] is False
    assert df["source"].notna().all() and df["source"].str.strip().ne("").all()


WITH_CERTAINTY = [n for n in shipped.list_shipped() if "certainty" in shipped.load_shipped(n)]


def test_event_data_sets_carry_certainty():
    assert {
        "gsp_worker_rights_reviews",
        "trade_agreement_labor_cases",
        "ilo_supervisory_events",
    } <= set(WITH_CERTAINTY)


@pytest.mark.parametrize("name", WITH_CERTAINTY)
def test_certainty_agrees_with_the_notes(name):
    """A row whose notes name an inference is not 'stated'; a row whose notes report
    conflicting sources is 'uncertain' (the certainty column carries the uncertainty)."""
    df = shipped.load_shipped(name)
    notes = df["notes"].fillna("")
    inferred = notes.str.contains(r"\binferred\b|our reading", case=False)
    assert not (inferred & (df["certainty"] == "stated")).any(), (
        df.loc[inferred & (df["certainty"] == "stated")].iloc[:, 0].tolist()
    )
    conflict = notes.str.contains(r"\bconflict", case=False)
    assert (df.loc[conflict, "certainty"] == "uncertain").all(), (
        df.loc[conflict].iloc[:, 0].tolist()
    )


@pytest.fixture
def fake_datasets(tmp_path, monkeypatch):
    """A copy of ilo_conventions in a temporary datasets folder, to corrupt."""
    src = shipped.datasets_dir()
    for ext in ("csv", "toml"):
        shutil.copy(src / f"ilo_conventions.{ext}", tmp_path / f"ilo_conventions.{ext}")
    monkeypatch.setattr(shipped, "datasets_dir", lambda: tmp_path)
    shipped.metadata.cache_clear()
    yield tmp_path
    shipped.metadata.cache_clear()


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_int_named(fake_datasets):
    _edit(fake_datasets / "ilo_conventions.csv", ",1930,", ",193O,")
    with pytest.raises(DataError, match=r"'ilo_conventions'.*line 2, column 'adopted'.*'193O'"):
        shipped.load_shipped("ilo_conventions")


def test_value_not_allowed_named(fake_datasets):
    _edit(fake_datasets / "ilo_conventions.csv", ",forced labour,", ",forced labor,")
    with pytest.raises(DataError, match=r"line 2, column 'subject'.*not an allowed value"):
        shipped.validate_shipped("ilo_conventions")


def test_empty_source_named(fake_datasets):
    path = fake_datasets / "ilo_conventions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, _, _ = lines[3].partition(',"')
    lines[3] = head + ","
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 4, column 'source': empty"):
        shipped.validate_shipped("ilo_conventions")


def test_column_mismatch_named(fake_datasets):
    _edit(fake_datasets / "ilo_conventions.csv", "code,title", "code,name")
    with pytest.raises(DataError, match="do not match its metadata"):
        shipped.load_shipped("ilo_conventions")


def test_separator_lists_checked():
    meta = shipped.metadata("gsp_worker_rights_reviews")
    issues = next(c for c in meta["columns"] if c["name"] == "issues")
    assert issues.get("separator") == ";"
    df = shipped.load_shipped("gsp_worker_rights_reviews")
    parts = {p for cell in df["issues"].dropna() for p in cell.split(";")}
    assert parts <= set(issues["allowed"])


def test_parse_cell_types():
    assert shipped._parse_cell("-3", "int") == -3
    assert shipped._parse_cell("True", "bool") is True
    for text, kind in (
        ("1.5", "int"),
        ("yes", "bool"),
        ("2020-02-30", "date"),
        ("2020/01/01", "date"),
        ("nan", "float"),
    ):
        with pytest.raises(ValueError):
            shipped._parse_cell(text, kind)


def test_unknown_data_set():
    with pytest.raises(DataError, match="unknown shipped data set 'nope'"):
        shipped.load_shipped("nope")
