"""Loading the hand-coded data sets shipped in ``datasets/``.

Each data set is ``datasets/<name>.csv`` plus ``datasets/<name>.toml`` (its metadata:
description, unit, columns with types and allowed values, coding rules, sources,
version). In a source checkout they are read from the repository's ``datasets/``
folder; in an installed wheel the build force-includes that folder as
``enforcement_lab/_datasets``.

:func:`validate_shipped` (run by :func:`load_shipped`) checks every cell against the
metadata: the declared ``type`` (``int``, ``float``, ``bool`` as ``True``/``False``, ``date``
as ``YYYY-MM-DD``, ``string``), the ``allowed`` values (each part of a list when the column
declares a ``separator``), and a non-empty ``source`` on every row. A violation raises
:class:`DataError` naming the data set, the CSV line and the column.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from enforcement_lab.errors import DataError

_PANDAS_DTYPES = {
    "string": "string",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "category": "string",
    "date": "string",
}


def datasets_dir() -> Path:
    """Return the folder that holds the shipped data sets."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if candidate.is_dir():
            return candidate
    raise DataError(
        f"no shipped data folder found beside {here} (looked for _datasets/ and ../datasets/)"
    )


def list_shipped() -> list[str]:
    """Names of the shipped data sets (those with both a CSV and a TOML metadata file)."""
    folder = datasets_dir()
    return sorted(p.stem for p in folder.glob("*.csv") if p.with_suffix(".toml").exists())


@cache
def metadata(name: str) -> dict[str, Any]:
    """The parsed metadata record of shipped data set ``name``."""
    path = datasets_dir() / f"{name}.toml"
    if not path.exists():
        known = ", ".join(list_shipped()) or "none"
        raise DataError(f"unknown shipped data set {name!r}; known: {known}")
    with path.open("rb") as fh:
        return tomllib.load(fh)


_INT_RE = re.compile(r"[+-]?\d+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOOL_VALUES = {"True": True, "False": False, "true": True, "false": False}


def _parse_cell(text: str, kind: str) -> object:
    """Parse one CSV cell as ``kind``; raise ValueError if it is not one."""
    if kind == "int":
        if not _INT_RE.fullmatch(text):
            raise ValueError("not an integer")
        return int(text)
    if kind == "float":
        value = float(text)
        if value != value:
            raise ValueError("NaN is not allowed; leave the cell empty")
        return value
    if kind == "bool":
        if text not in _BOOL_VALUES:
            raise ValueError("not True/False")
        return _BOOL_VALUES[text]
    if kind == "date":
        if not _DATE_RE.fullmatch(text):
            raise ValueError("not a YYYY-MM-DD date")
        pd.Timestamp(text)  # rejects 2020-02-30
        return text
    if kind in ("string", "category"):
        return text
    raise ValueError(f"unknown declared type {kind!r}")


def validate_shipped(name: str) -> None:
    """Check shipped data set ``name`` against its metadata (types, allowed values, sources).

    Raises
    ------
    DataError
        Naming the data set, the CSV line (header = line 1) and the column of the first
        problems found (up to 10 are listed).

    Examples
    --------
    >>> validate_shipped("ilo_conventions")
    """
    meta = metadata(name)
    columns = meta.get("columns", [])
    raw = pd.read_csv(datasets_dir() / f"{name}.csv", dtype=str, keep_default_na=False)
    declared = [c["name"] for c in columns]
    if list(raw.columns) != declared:
        raise DataError(
            f"{name}.csv columns {list(raw.columns)} do not match its metadata {declared}"
        )
    problems: list[str] = []
    for col in columns:
        cname, kind = col["name"], col.get("type", "string")
        sep = col.get("separator")
        allowed = col.get("allowed")
        for i, text in enumerate(raw[cname].tolist()):
            line = i + 2
            if text.strip() != text:
                problems.append(f"line {line}, column {cname!r}: value {text!r} has padding")
                continue
            if text == "":
                continue
            parts = text.split(sep) if sep else [text]
            for part in parts:
                try:
                    value = _parse_cell(part, kind)
                except ValueError as exc:
                    problems.append(f"line {line}, column {cname!r}: {part!r} is {exc} ({kind})")
                    continue
                if allowed is not None and value not in allowed:
                    problems.append(
                        f"line {line}, column {cname!r}: {part!r} is not an allowed value {allowed}"
                    )
    if "source" in raw.columns:
        for i, text in enumerate(raw["source"].tolist()):
            if not text.strip():
                problems.append(f"line {i + 2}, column 'source': empty (every row cites a source)")
    else:
        problems.append("no 'source' column (every row must cite its source)")
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise DataError(
            f"shipped data set {name!r} fails its schema: " + "; ".join(problems[:10]) + more
        )


def load_shipped(name: str, *, validate: bool = True) -> pd.DataFrame:
    """Load shipped data set ``name`` with the column types its metadata declares.

    The frame's ``attrs`` carry the metadata (``attrs["metadata"]``) and
    ``attrs["synthetic"] = False``.

    Parameters
    ----------
    name : str
        Data set name (see :func:`list_shipped`).
    validate : bool
        Check the CSV against its metadata first (:func:`validate_shipped`).

    Raises
    ------
    DataError
        If the data set is unknown, its CSV does not match the declared columns, or (with
        ``validate``) a cell breaks the schema.
    """
    meta = metadata(name)
    if validate:
        validate_shipped(name)
    columns = meta.get("columns", [])
    dtypes = {c["name"]: _PANDAS_DTYPES.get(c.get("type", "string"), "string") for c in columns}
    try:
        frame = pd.read_csv(
            datasets_dir() / f"{name}.csv", dtype=dtypes, keep_default_na=False, na_values=[""]
        )
    except (ValueError, TypeError) as exc:
        raise DataError(f"{name}.csv does not match its declared column types: {exc}") from exc
    declared = [c["name"] for c in columns]
    if list(frame.columns) != declared:
        raise DataError(
            f"{name}.csv columns {list(frame.columns)} do not match its metadata {declared}"
        )
    frame.attrs["metadata"] = meta
    frame.attrs["synthetic"] = False
    return frame
