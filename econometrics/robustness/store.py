"""Where the fitted rows of a multiverse live: in a table, or on disk in columns.

The report of a multiverse (:mod:`econometrics.robustness.report`) reads its rows through
:class:`ResultRows`: blocks of consecutive specifications, and the rows of given
specifications. :class:`FrameRows` serves them from a DataFrame (a multiverse fitted in
memory); :class:`StoreRows` from a :class:`ResultStore`, the results of a run written
to disk as one binary column per quantity, indexed by specification, with the choices
decoded from the specification index (:meth:`~econometrics.robustness.multiverse.
Specifications.choice_columns`). So a report over ten million specifications holds a
block of rows at a time, never the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from econometrics.robustness.batch import RESULT_COLUMNS

if TYPE_CHECKING:
    from econometrics.robustness.multiverse import Specifications

#: Specifications per block when a report streams over the rows.
BLOCK_SIZE = 1 << 15
#: The numeric results of a specification and how each is stored.
NUMERIC = {
    "estimate": np.float64,
    "std_error": np.float64,
    "ci_lower": np.float64,
    "ci_upper": np.float64,
    "pvalue": np.float64,
    "nobs": np.int64,
    "nclusters": np.int64,
}
#: The text results, stored as codes into their distinct values.
TEXT = ("status", "note")
#: The choices: functions of the specification index.
CHOICES = tuple(c for c in RESULT_COLUMNS if c not in NUMERIC and c not in TEXT)
#: The choices a row is matched on to its full-sample counterpart (everything but the sample).
MATCH_KEYS = ("outcome", "treatment", "controls", "estimator", "cov", "cluster", "lags")


#: What a column missing from a table reads as (else an empty text).
_FILL: dict[str, object] = {
    **{c: np.nan for c in NUMERIC},
    "is_baseline": False,
    "n_controls": 0,
    "lags": 0,
}


class ResultRows:
    """The rows of a fitted multiverse, by specification index (``spec_id``)."""

    def __len__(self) -> int:
        raise NotImplementedError

    def block(self, start: int, stop: int, columns: Sequence[str]) -> pd.DataFrame:
        """Specifications ``start`` to ``stop - 1``: ``spec_id`` and ``columns``."""
        raise NotImplementedError

    def take(self, ids: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        """The rows of specifications ``ids`` (in that order): ``spec_id`` and ``columns``."""
        raise NotImplementedError

    def counterparts(self, ids: np.ndarray) -> np.ndarray:
        """The full-sample (``all``) specification with the choices of each of ``ids``,
        or -1 where there is none."""
        raise NotImplementedError

    def blocks(
        self, columns: Sequence[str] = RESULT_COLUMNS, size: int | None = None
    ) -> Iterator[pd.DataFrame]:
        """Every row, in order of ``spec_id``, in blocks of ``size`` (:data:`BLOCK_SIZE`)."""
        size = size or BLOCK_SIZE
        for start in range(0, len(self), size):
            yield self.block(start, start + size, columns)

    def frame(self, columns: Sequence[str] = RESULT_COLUMNS) -> pd.DataFrame:
        """Every row as one table (memory grows with the count: for small multiverses)."""
        parts = list(self.blocks(columns))
        if not parts:
            return pd.DataFrame(columns=_with_id(columns))
        return pd.concat(parts, ignore_index=True)


def _with_id(columns: Sequence[str]) -> list[str]:
    return ["spec_id", *(c for c in columns if c != "spec_id")]


class FrameRows(ResultRows):
    """Rows held in a DataFrame with a ``spec_id`` column (any order, no duplicates).

    A column of :data:`~econometrics.robustness.batch.RESULT_COLUMNS` the table lacks
    reads as one value for every row (an empty choice, a missing number), so a table
    cut down by hand (say, to the columns a figure needs) still reads.
    """

    def __init__(self, table: pd.DataFrame) -> None:
        table = table.sort_values("spec_id", kind="mergesort").reset_index(drop=True)
        missing = {c: _FILL.get(c, "") for c in RESULT_COLUMNS if c not in table}
        self.table = table.assign(**missing) if missing else table
        self._ids = pd.Index(self.table["spec_id"].to_numpy(np.int64))
        if self._ids.has_duplicates:
            raise ValueError("the results table has a spec_id more than once")
        self._mates: pd.Series | None = None

    def __len__(self) -> int:
        return len(self.table)

    def block(self, start: int, stop: int, columns: Sequence[str]) -> pd.DataFrame:
        return self.table.iloc[start:stop][_with_id(columns)].reset_index(drop=True)

    def take(self, ids: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        pos = self._ids.get_indexer(np.asarray(ids, dtype=np.int64))
        if (pos < 0).any():
            raise KeyError(f"spec_id {np.asarray(ids)[pos < 0][0]} is not in the table")
        return self.table.iloc[pos][_with_id(columns)].reset_index(drop=True)

    def counterparts(self, ids: np.ndarray) -> np.ndarray:
        if self._mates is None:  # the full-sample rows by their choices, built once
            keys = [k for k in MATCH_KEYS if k in self.table]
            full = self.table[self.table["sample"] == "all"]
            self._mates = pd.Series(
                full["spec_id"].to_numpy(np.int64), index=pd.MultiIndex.from_frame(full[keys])
            )
            self._mates = self._mates[~self._mates.index.duplicated(keep="first")]
        rows = self.take(ids, [k for k in MATCH_KEYS if k in self.table])
        pos = self._mates.index.get_indexer(pd.MultiIndex.from_frame(rows.drop(columns="spec_id")))
        return np.where(pos >= 0, self._mates.to_numpy()[pos], -1)


class ResultStore:
    """The numeric and text results of ``n`` specifications on disk, one file per column.

    Each numeric column is a file of ``n`` fixed-width values at offset ``spec_id``; each
    text column a file of ``int32`` codes into its distinct values (a handful: the
    statuses and notes of a run), which are held in memory. Writes and reads map the
    file for one block and unmap it again, so the resident memory is a block's, whatever
    ``n`` is.
    """

    def __init__(self, folder: Path, n: int) -> None:
        self.folder = folder
        self.n = n
        self.values: dict[str, list[str]] = {c: [] for c in TEXT}
        self._codes: dict[str, dict[str, int]] = {c: {} for c in TEXT}
        self.present = np.zeros(n, dtype=bool)  # one byte per specification
        folder.mkdir(parents=True, exist_ok=True)
        for col in (*NUMERIC, *TEXT):
            with open(self._path(col), "wb") as fh:  # sparse until written
                fh.truncate(n * self._dtype(col).itemsize)

    def _path(self, col: str) -> Path:
        return self.folder / f"{col}.bin"

    @staticmethod
    def _dtype(col: str) -> np.dtype:
        return np.dtype(NUMERIC.get(col, np.int32))

    def write(self, rows: list[dict]) -> None:
        """Store ``rows`` (result rows of the parts log) at their ``spec_id``; a
        specification written twice keeps its last row."""
        if not rows:
            return
        ids = np.fromiter((int(r["spec_id"]) for r in rows), dtype=np.int64, count=len(rows))
        if ids.min() < 0 or ids.max() >= self.n:
            raise ValueError(f"spec_id {int(ids.max())} is outside 0..{self.n - 1}")
        for col in (*NUMERIC, *TEXT):
            if col in TEXT:
                codes, values = self._codes[col], self.values[col]
                data = np.fromiter(
                    (codes.setdefault(str(r[col]), len(codes)) for r in rows),
                    dtype=np.int32,
                    count=len(rows),
                )
                values.extend(list(codes)[len(values) :])
            else:
                data = np.array([r[col] for r in rows], dtype=NUMERIC[col])
            mm = np.memmap(self._path(col), dtype=self._dtype(col), mode="r+", shape=(self.n,))
            mm[ids] = data
            mm.flush()
            del mm
        self.present[ids] = True

    def read(self, col: str, start: int, stop: int) -> np.ndarray:
        """Column ``col`` of specifications ``start`` to ``stop - 1``."""
        dtype = self._dtype(col)
        stop = min(stop, self.n)
        return np.fromfile(
            self._path(col), dtype=dtype, count=max(stop - start, 0), offset=start * dtype.itemsize
        )

    def gather(self, col: str, ids: np.ndarray) -> np.ndarray:
        """Column ``col`` of the specifications ``ids``."""
        if not len(ids):
            return np.empty(0, dtype=self._dtype(col))
        mm = np.memmap(self._path(col), dtype=self._dtype(col), mode="r", shape=(self.n,))
        out = np.array(mm[np.asarray(ids, dtype=np.int64)])
        del mm
        return out

    def text(self, col: str, codes: np.ndarray) -> np.ndarray:
        """The values of text column ``col`` for ``codes``."""
        shared = np.empty(len(self.values[col]), dtype=object)
        shared[:] = self.values[col]
        return shared[codes]


class StoreRows(ResultRows):
    """Rows of a :class:`ResultStore`, with the choices decoded from the specifications."""

    def __init__(self, store: ResultStore, specs: Specifications) -> None:
        if len(specs) != store.n:
            raise ValueError(f"{len(specs)} specifications for a store of {store.n}")
        missing = np.flatnonzero(~store.present)
        if len(missing):
            raise ValueError(
                f"{len(missing)} specifications have no result (the first: {missing[0]})"
            )
        self.store = store
        self.specs = specs

    def __len__(self) -> int:
        return self.store.n

    def _columns(self, columns: Sequence[str], fetch: dict) -> pd.DataFrame:
        out: dict[str, np.ndarray] = {}
        for col in _with_id(columns):
            if col in TEXT:
                out[col] = self.store.text(col, fetch[col])
            else:
                out[col] = fetch[col]
        return pd.DataFrame(out, columns=_with_id(columns))

    def block(self, start: int, stop: int, columns: Sequence[str]) -> pd.DataFrame:
        wanted = _with_id(columns)
        fetch: dict[str, np.ndarray] = {}
        choices = [c for c in wanted if c in CHOICES and c != "spec_id"]
        if choices:
            fetch.update(self.specs.choice_columns(start, stop, choices))
        else:
            fetch["spec_id"] = np.arange(start, min(stop, len(self)), dtype=np.int64)
        for col in wanted:
            if col in NUMERIC or col in TEXT:
                fetch[col] = self.store.read(col, start, stop)
        return self._columns(columns, fetch)

    def take(self, ids: np.ndarray, columns: Sequence[str]) -> pd.DataFrame:
        ids = np.asarray(ids, dtype=np.int64)
        fetch: dict[str, np.ndarray] = {"spec_id": ids}
        if "is_baseline" in columns:
            fetch["is_baseline"] = ids == self.specs.baseline_index
        others = [c for c in columns if c in CHOICES and c not in fetch]
        if others:  # choices of a few rows (the baseline): decoded one by one
            rows = pd.DataFrame([self.specs[int(i)].choices() for i in ids], columns=CHOICES)
            fetch.update({c: rows[c].to_numpy() for c in others})
        for col in columns:
            if col in NUMERIC or col in TEXT:
                fetch[col] = self.store.gather(col, ids)
        return self._columns(columns, fetch)

    def counterparts(self, ids: np.ndarray) -> np.ndarray:
        return self.specs.counterparts(ids)


__all__ = ["BLOCK_SIZE", "FrameRows", "ResultRows", "ResultStore", "StoreRows"]
