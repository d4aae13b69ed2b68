"""Loading the hand-coded data sets shipped in ``datasets/``.

Each data set is ``datasets/<name>.csv`` plus ``datasets/<name>.toml`` (its metadata:
description, unit, columns with types and allowed values, coding rules, sources,
version). In a source checkout they are read from the repository's ``datasets/``
folder; in an installed wheel the build force-includes that folder as
``enforcement_lab/_datasets``.
"""

from __future__ import annotations

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


def load_shipped(name: str) -> pd.DataFrame:
    """Load shipped data set ``name`` with the column types its metadata declares.

    The frame's ``attrs`` carry the metadata (``attrs["metadata"]``) and
    ``attrs["synthetic"] = False``.

    Raises
    ------
    DataError
        If the data set is unknown or its CSV does not match the declared columns.
    """
    meta = metadata(name)
    columns = meta.get("columns", [])
    dtypes = {c["name"]: _PANDAS_DTYPES.get(c.get("type", "string"), "string") for c in columns}
    frame = pd.read_csv(
        datasets_dir() / f"{name}.csv", dtype=dtypes, keep_default_na=False, na_values=[""]
    )
    declared = [c["name"] for c in columns]
    if list(frame.columns) != declared:
        raise DataError(
            f"{name}.csv columns {list(frame.columns)} do not match its metadata {declared}"
        )
    frame.attrs["metadata"] = meta
    frame.attrs["synthetic"] = False
    return frame
