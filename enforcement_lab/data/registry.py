"""The external-data registry: every file's URL and sha256, fetched with pooch or read from a mirror.

``enforcement_lab/data/registry.csv`` holds the project's copy of the metadata of each
external file (never the data): registry ``name``, ``dataset`` (files sharing a dataset are
stacked by :func:`load_source`, e.g. the seven DOL report years), ``file``, ``url``,
``sha256``, ``bytes``, the ``reader`` in :mod:`enforcement_lab.data.readers`, the source
``repository`` and ``commit``, and a ``description``.

Where a file comes from
-----------------------
1. A **mirror** is a local folder holding the files under their registry file names; the
   copy's sha256 is checked and the file is read in place; a mirror is never written to.
   :func:`mirror_dir` is the one rule that finds it: the ``mirror=`` argument, else the
   ``ENFORCEMENT_LAB_DATA_MIRROR`` environment variable, else ``../shared/data/external``
   beside the project folder (the first folder above the working directory holding a
   ``pyproject.toml``), if it exists. ``"none"`` (or an empty value) turns the mirror off.
2. Otherwise the file is downloaded by :mod:`pooch` into the cache
   (``ENFORCEMENT_LAB_CACHE`` or ``pooch.os_cache("enforcement-lab")``) and checked
   against its known hash.

A file whose hash does not match raises :class:`DataError` naming the file and both hashes,
and is never read.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from enforcement_lab.errors import DataError

MIRROR_ENV = "ENFORCEMENT_LAB_DATA_MIRROR"
CACHE_ENV = "ENFORCEMENT_LAB_CACHE"
REGISTRY_CSV = Path(__file__).with_name("registry.csv")


@dataclass(frozen=True)
class Entry:
    """Metadata of one external file."""

    name: str
    dataset: str
    file: str
    url: str
    sha256: str
    bytes: int
    reader: str
    repository: str
    commit: str
    description: str


@cache
def entries() -> tuple[Entry, ...]:
    """All registry entries, in the order of ``registry.csv``.

    Examples
    --------
    >>> len(entries()) >= 18, entries()[0].sha256 == entries()[0].sha256.lower()
    (True, True)
    """
    with REGISTRY_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        sha = row["sha256"].strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise DataError(f"registry.csv: entry {row['name']!r} has an invalid sha256 {sha!r}")
        fields: dict[str, Any] = {**row, "sha256": sha, "bytes": int(row["bytes"])}
        out.append(Entry(**fields))
    return tuple(out)


def names() -> list[str]:
    """Registry file-level names (``dol_child_labor_2016`` ...)."""
    return [e.name for e in entries()]


def datasets() -> list[str]:
    """Dataset names accepted by :func:`load_source` (``dol_child_labor`` stacks its years).

    Examples
    --------
    >>> "ciri" in datasets() and "dol_child_labor" in datasets()
    True
    """
    return list(dict.fromkeys(e.dataset for e in entries()))


def entry(name: str) -> Entry:
    """The entry with registry name, file name or file stem ``name``."""
    for e in entries():
        if name in (e.name, e.file, Path(e.file).stem):
            return e
    raise DataError(f"unknown registry entry {name!r}; known: {', '.join(names())}")


def dataset_entries(dataset: str) -> list[Entry]:
    """The entries of ``dataset`` (or the single entry named ``dataset``)."""
    found = [e for e in entries() if e.dataset == dataset]
    return found or [entry(dataset)]


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def mirror_dir(
    mirror: str | os.PathLike[str] | None = None, *, start: str | os.PathLike[str] | None = None
) -> Path | None:
    """The data mirror in use, by one rule, with no side effects.

    1. ``mirror``, when given (not ``None``);
    2. else ``$ENFORCEMENT_LAB_DATA_MIRROR``, when set;
    3. else ``../shared/data/external`` beside the project that contains ``start`` (default:
       the working directory), the project being the first folder upwards that holds a
       ``pyproject.toml``; only if that folder exists.

    An empty value or ``"none"`` in 1 or 2 means no mirror (the files are downloaded into
    the cache). A named mirror that is not a directory is an error rather than a silent
    download.

    Raises
    ------
    DataError
        When the mirror named by the argument or the environment is not a directory.
    """
    value, source = (
        (mirror, "mirror=")
        if mirror is not None
        else (os.environ.get(MIRROR_ENV), f"${MIRROR_ENV}")
    )
    if value is None:
        here = Path(start if start is not None else Path.cwd()).resolve()
        for folder in [here, *here.parents]:
            if (folder / "pyproject.toml").is_file():
                candidate = folder.parent / "shared" / "data" / "external"
                return candidate if candidate.is_dir() else None
        return None
    if str(value).strip().lower() in {"", "none"}:
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise DataError(f"data mirror {path} ({source}) is not a directory")
    return path


def cache_dir() -> Path:
    """The download cache: ``$ENFORCEMENT_LAB_CACHE`` or pooch's OS cache for enforcement-lab."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("enforcement-lab"))


def _check(path: Path, e: Entry, where: str) -> None:
    got = sha256_file(path)
    if got != e.sha256:
        raise DataError(
            f"{e.file} ({where} {path}) is corrupted or not the registered version: "
            f"sha256 expected {e.sha256}, got {got}; the file was not used"
        )


def locate(name: str, *, mirror: str | os.PathLike[str] | None = None) -> tuple[Path | None, str]:
    """Where file ``name`` is available without downloading: ``(path, "mirror"|"cached")`` or
    ``(None, "missing")``. The hash is not checked here (see :func:`verify`)."""
    e = entry(name)
    root = mirror_dir(mirror)
    if root is not None:
        path = root / e.file
        return (path, "mirror") if path.is_file() else (None, "missing")
    path = cache_dir() / e.file
    return (path, "cached") if path.is_file() else (None, "missing")


def fetch(
    name: str,
    *,
    mirror: str | os.PathLike[str] | None = None,
    progressbar: bool = False,
) -> Path:
    """Return the local path of a verified copy of registry file ``name``.

    Reads the mirror when one is set (checking the hash, never modifying the file);
    otherwise downloads into the cache with pooch, which checks the known hash (a cached
    file with a wrong hash is downloaded again).

    Raises
    ------
    DataError
        Unknown name, file missing from the mirror, download failure, or a hash mismatch
        (the message names the file and both hashes).
    """
    e = entry(name)
    root = mirror_dir(mirror)
    if root is not None:
        path = root / e.file
        if not path.is_file():
            raise DataError(f"{e.file} is not in the data mirror {root}")
        _check(path, e, "mirror copy")
        return path
    import pooch

    target = cache_dir()
    fetcher = pooch.create(
        path=target,
        base_url="",
        registry={e.file: f"sha256:{e.sha256}"},
        urls={e.file: e.url},
        retry_if_failed=2,
    )
    try:
        local = Path(fetcher.fetch(e.file, progressbar=progressbar))
    except ValueError as exc:
        got = re.findall(r"[0-9a-f]{64}", str(exc))
        got_hash = next((g for g in got if g != e.sha256), "unknown")
        raise DataError(
            f"{e.file} downloaded from {e.url} does not match its registered sha256: expected "
            f"{e.sha256}, got {got_hash}; the file was discarded"
        ) from exc
    except Exception as exc:  # network errors come from requests/urllib
        raise DataError(f"cannot download {e.file} from {e.url}: {exc}") from exc
    _check(local, e, "cached copy")
    return local


VerifyStatus = Literal["ok", "mismatch", "missing"]


def verify(*, mirror: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Hash every registry file available locally (mirror, else cache).

    Returns one record per entry: ``name``, ``file``, ``location`` (mirror/cached/missing),
    ``path``, ``status`` (ok/mismatch/missing), ``expected`` and ``got`` hashes.
    """
    out = []
    for e in entries():
        path, where = locate(e.name, mirror=mirror)
        got = sha256_file(path) if path is not None else None
        status: VerifyStatus = "missing" if got is None else "ok" if got == e.sha256 else "mismatch"
        out.append(
            {
                "name": e.name,
                "file": e.file,
                "location": where,
                "path": None if path is None else str(path),
                "status": status,
                "expected": e.sha256,
                "got": got,
            }
        )
    return out


# --- loading -------------------------------------------------------------------------------

_FRAME_CACHE: dict[tuple[str, str, int, int], pd.DataFrame] = {}


def _read_entry(e: Entry, path: Path) -> pd.DataFrame:
    from enforcement_lab.data.readers import READERS

    stat = path.stat()
    key = (e.name, str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FRAME_CACHE:
        if e.reader not in READERS:
            raise DataError(f"registry entry {e.name!r} names an unknown reader {e.reader!r}")
        _FRAME_CACHE[key] = READERS[e.reader](path)
    frame = _FRAME_CACHE[key]
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    return out


def _provenance(e: Entry, path: Path, where: str) -> dict[str, Any]:
    return {
        "name": e.name,
        "file": e.file,
        "sha256": e.sha256,
        "url": e.url,
        "repository": e.repository,
        "commit": e.commit,
        "location": where,
    }


def load_source(
    name_or_path: str | os.PathLike[str], *, mirror: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """Load a data source as a tidy frame with ``iso3`` and ``year`` columns where applicable.

    Parameters
    ----------
    name_or_path : str or path
        A registry dataset (``"labour_rights_controls_panel"``, ``"ciri"``, ``"mosley"``,
        ``"wdi_panel"``, ``"polity5"``, ``"freedom_house"``, ``"un_treaty_ratifications"``,
        ``"dol_child_labor"`` -- all report years stacked --, ``"lri_in_law"``,
        ``"lri_in_practice"``, ``"unctad_fdi"``, ``"cbr_lri"``, ``"wdi_gdp_population"``),
        a registry file name (``"dol_child_labor_2019"``), a shipped data set name, or the
        path of a CSV or Parquet file.
    mirror : path, optional
        Local mirror folder (overrides ``$ENFORCEMENT_LAB_DATA_MIRROR``).

    Returns
    -------
    DataFrame
        ``attrs["provenance"]`` lists the files that went in (name, sha256, url, location);
        ``attrs["dropped"]`` the labels that are not countries, ``attrs["recoded"]`` the
        legacy codes translated to ISO, ``attrs["superseded"]`` the rows another name of the
        same state replaced (see :mod:`enforcement_lab.data.readers`);
        ``attrs["synthetic"]`` is False.

    Raises
    ------
    DataError
        Unknown name, missing file, or a file whose hash does not match.
    """
    from enforcement_lab.data.shipped import list_shipped, load_shipped

    text = str(name_or_path)
    known_datasets = datasets()
    if text in known_datasets or text in names():
        parts = []
        provenance = []
        dropped: list[str] = []
        recoded: dict[str, str] = {}
        superseded: list[str] = []
        for e in dataset_entries(text):
            path = fetch(e.name, mirror=mirror)
            where = "mirror" if mirror_dir(mirror) is not None else "cache"
            frame = _read_entry(e, path)
            dropped += list(frame.attrs.get("dropped", []))
            recoded |= frame.attrs.get("recoded", {})
            superseded += list(frame.attrs.get("superseded", []))
            provenance.append(_provenance(e, path, where))
            parts.append(frame)
        frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        if "iso3" in frame.columns and "year" in frame.columns:
            frame = frame.sort_values(["iso3", "year"]).reset_index(drop=True)
        frame.attrs = {
            "source": text,
            "provenance": provenance,
            "dropped": sorted(set(dropped)),
            "recoded": dict(sorted(recoded.items())),
            "superseded": sorted(set(superseded)),
            "synthetic": False,
        }
        return frame
    if text in list_shipped():
        frame = load_shipped(text)
        meta = frame.attrs.get("metadata", {})
        frame.attrs["provenance"] = [
            {
                "name": text,
                "file": f"datasets/{text}.csv",
                "version": meta.get("version"),
                "location": "shipped",
            }
        ]
        return frame
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() in (".csv", ".parquet", ".pq"):
        if not path.is_file():
            raise DataError(f"data file {path} does not exist")
        frame = _read_file(path)
        frame.attrs["provenance"] = [
            {"name": path.name, "file": str(path), "sha256": sha256_file(path), "location": "file"}
        ]
        frame.attrs["synthetic"] = False
        return frame
    raise DataError(
        f"unknown data source {text!r}: not a registry data set ({', '.join(known_datasets)}), "
        f"a shipped data set ({', '.join(list_shipped()) or 'none'}), or a .csv/.parquet path"
    )


def resolve_source(
    source: str | os.PathLike[str], spec_file: str | os.PathLike[str] | None = None
) -> str:
    """The ``[data] source`` of a spec file in the form :func:`load_source` takes.

    A registry or shipped data-set name is returned unchanged, and so is an absolute path.
    A relative path is read relative to the folder of ``spec_file`` -- as most tools read
    paths written in a configuration file -- and never relative to the working directory,
    so a spec file loads the same data wherever it is run from. Without ``spec_file`` (a
    specification built in Python) a relative path is relative to the working directory.

    Examples
    --------
    >>> resolve_source("ciri", "specs/model.toml")
    'ciri'
    >>> resolve_source("data/panel.csv", "specs/model.toml")
    'specs/data/panel.csv'
    """
    from enforcement_lab.data.shipped import list_shipped

    text = str(source)
    if text in datasets() or text in names() or text in list_shipped():
        return text
    path = Path(text).expanduser()
    if spec_file is None or path.is_absolute():
        return str(path)
    return str(Path(spec_file).parent / path)


def _read_file(path: Path) -> pd.DataFrame:
    """A user's CSV or Parquet file; every way it can be unreadable is a :class:`DataError`
    naming the file."""
    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        else:
            frame = pd.read_parquet(path)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"data file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"data file {path} is empty") from None
    except pd.errors.ParserError as exc:
        raise DataError(
            f"data file {path} is not a valid CSV: {' '.join(str(exc).split())}"
        ) from None
    except ImportError:
        raise DataError(
            f"data file {path}: reading Parquet needs pyarrow or fastparquet (pip install pyarrow)"
        ) from None
    except (OSError, ValueError) as exc:  # pyarrow: not a Parquet file, truncated file
        raise DataError(f"data file {path} cannot be read: {' '.join(str(exc).split())}") from None
    if frame.empty:
        raise DataError(f"data file {path} has no rows")
    return frame


__all__ = [
    "CACHE_ENV",
    "MIRROR_ENV",
    "Entry",
    "cache_dir",
    "dataset_entries",
    "datasets",
    "entries",
    "entry",
    "fetch",
    "load_source",
    "locate",
    "mirror_dir",
    "names",
    "resolve_source",
    "sha256_file",
    "verify",
]
