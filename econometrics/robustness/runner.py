"""Run a robustness multiverse: stream, resume, scale out.

:func:`run_robustness` expands a spec file's ``[robustness]`` table
(:mod:`econometrics.robustness.multiverse`), fits every specification with the batched fit
of :mod:`econometrics.robustness.batch` and writes under ``out_dir``:

``specifications.csv``
    One row per specification: every choice, estimate, SE, CI, p, N, clusters, status.
``summary.json`` / ``summary.md``
    Share significant, share with the baseline's sign, median estimate, the baseline,
    the placebo (permutation) test and the wild cluster bootstrap p-value.
``influential_units.csv``
    For ``leave-one-out`` samples: how much dropping each unit moves the estimate.
``specification_curve.png``
    Sorted estimates with confidence intervals over a panel of choice indicators.
``placebo.csv``
    The permutation distribution of the baseline estimate.

:func:`fit_multiverse` (:meth:`Multiverse.fit <econometrics.robustness.multiverse.
Multiverse.fit>`) does the same fits in memory, without a spec file or a folder.

How long runs behave
--------------------
The count of specifications is known before the first fit and the specifications are
enumerated lazily (:class:`~econometrics.robustness.multiverse.Specifications`), so a
multiverse of millions is never held as a list. They are fitted in **chunks** (a fixed,
deterministic partition of the multiverse that keeps a sample's specifications together
so that its fixed effects are absorbed once), made one at a time as they are handed to
an executor, with a bounded number in flight. Each finished chunk is appended to
``out_dir/.robustness/parts.jsonl`` (each specification's index and results; its
choices follow from the index) and flushed with ``fsync`` before the progress bar moves, so an interrupted run
(Ctrl-C, kill, crash) loses at most the chunks in flight. ``resume=True`` reads that
log, checks that the spec and the data are unchanged (a fingerprint in
``manifest.json``), and fits only the chunks that are not complete. Since chunks are
the same in every run, a resumed run writes exactly the file an uninterrupted run does.
The draws of the inferential specification curve are logged the same way
(``curve.jsonl``), each with its own random stream, so they resume too.
Every final output is written atomically (:mod:`enforcement_lab.io`).

The report is made from the parts log without holding the table. The log is read once,
in blocks, into a :class:`~econometrics.robustness.store.ResultStore`: one binary
column per result under ``.robustness/store``, indexed by specification. Every later
pass reads blocks of it, with the choices decoded from the specification index: the
summary (counts and shares in one pass, each outcome's median exactly by selection),
the influence of each left-out unit (each matched by index to its full-sample
counterpart), ``specifications.csv`` written block by block, and the figure (the dense
curve drawn from bins). So beyond the fixed cost of the scientific stack a run holds a
block of rows and one byte per specification (which ones are done), whatever the
count (``benchmarks/bench_multiverse_memory.py`` measures it). The curve test is the
exception: it refits every specification under the null and holds their estimates.

Executors: ``local`` (this process for one worker, else a process pool from
:mod:`concurrent.futures` that receives the data once per worker) and ``dask`` (chunks
submitted with ``client.submit`` to a ``dask.distributed`` scheduler, the data
scattered to the workers once).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econometrics.robustness.batch import (
    RESULT_COLUMNS,
    RunContext,
    fit_specifications,
    make_context,
    prepare_data,
)
from econometrics.robustness.inference import (
    BaselineInference,
    CurveTest,
    baseline_inference,
    curve_null_draw,
    observed_curve,
)
from econometrics.robustness.multiverse import (
    Multiverse,
    Specification,
    Specifications,
    parse_robustness,
)
from econometrics.robustness.report import MultiverseResults
from econometrics.robustness.store import (
    NUMERIC,
    TEXT,
    FrameRows,
    ResultRows,
    ResultStore,
    StoreRows,
)
from econometrics.spec import SpecFile, read_spec_file
from enforcement_lab.errors import EnforcementLabError, SpecError
from enforcement_lab.io import atomic_write_text, locked_folder

STATE_DIR = ".robustness"
DEFAULT_CHUNK_SIZE = 256
EXECUTORS = ("local", "dask")
#: How messages name the parameters a user can change: the Python names by default; the
#: command line passes its options' names.
PARAMETER_NAMES = {
    "executor": "executor",
    "scheduler": "scheduler",
    "resume": "resume=True",
    "chunk_size": "chunk_size",
    "memory_limit": "memory_limit_gb",
}


# ---------------------------------------------------------------------------- chunks
def _chunk_indices(specs: Specifications, chunk_size: int) -> Iterator[list[int]]:
    """The specification indices of each chunk, in order (see :func:`make_chunks`)."""
    current: list[int] = []
    for group in specs.groups():
        for start in range(0, len(group), chunk_size):
            piece = group.indices(start, start + chunk_size)
            if current and len(current) + len(piece) > chunk_size:
                yield current
                current = []
            current = current + piece
    if current:
        yield current


def make_chunks(
    specs: Specifications, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[list[Specification]]:
    """A deterministic partition, made lazily: the specifications of each (estimator,
    sample, lag) in blocks of at most ``chunk_size``, consecutive blocks packed together
    while they fit in one chunk."""
    for idx in _chunk_indices(specs, chunk_size):
        yield [specs[i] for i in idx]


_WORKER: dict[str, Any] = {}


def _init_worker(df: pd.DataFrame, ctx: RunContext, parent_pid: int | None = None) -> None:
    if parent_pid is not None:
        from enforcement_lab.processes import die_with_parent

        die_with_parent(parent_pid)
    _WORKER["df"], _WORKER["ctx"] = df, ctx


def _run_chunk_local(chunk: list[Specification]) -> list[dict[str, Any]]:
    return fit_specifications(_WORKER["df"], chunk, _WORKER["ctx"])


def _run_chunk_remote(
    df: pd.DataFrame, ctx: RunContext, specs: Specifications, indices: list[int]
) -> list[dict[str, Any]]:
    return fit_specifications(df, [specs[i] for i in indices], ctx)


# ---------------------------------------------------------------------------- streaming
class PartsLog:
    """Append-only JSON-lines log of finished specifications (flushed and fsynced)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # drop a line cut by a crash, so the next append starts clean
            with open(path, "r+b") as fh:
                end = fh.seek(0, os.SEEK_END)
                cut = end  # after the last newline, found reading back from the end
                while cut > 0:
                    start = max(cut - 65536, 0)
                    fh.seek(start)
                    at = fh.read(cut - start).rfind(b"\n")
                    if at >= 0 or start == 0:
                        cut = start + at + 1
                        break
                    cut = start
                if cut != end:
                    fh.truncate(cut)
        self._fh = open(path, "a", encoding="utf-8")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        """Append rows as JSON lines, then flush and fsync, so a crash loses no finished row."""
        text = "".join(json.dumps(_jsonable(r)) + "\n" for r in rows)
        self._fh.write(text)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        """Close the log file."""
        self._fh.close()

    @staticmethod
    def read(path: Path, key: str = "spec_id") -> dict[int, dict[str, Any]]:
        """Finished rows by ``key``; a line cut by a crash is skipped (refitted on resume)."""
        return {int(row[key]): row for block in PartsLog.blocks(path) for row in block}

    @staticmethod
    def blocks(path: Path, size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """The rows of the log in blocks of ``size`` lines (a cut line skipped)."""
        if not path.exists():
            return
        block: list[dict[str, Any]] = []
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    block.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
                if len(block) >= size:
                    yield block
                    block = []
        if block:
            yield block


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}


def _fingerprint(mv: Multiverse, df: pd.DataFrame, chunk_size: int, n_specs: int) -> str:
    h = hashlib.sha256()
    h.update(repr((mv, chunk_size, n_specs)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    h.update(",".join(map(str, df.columns)).encode())
    return h.hexdigest()


def _progress(progress: bool) -> Any:
    """A rich progress bar on stderr with the count, the elapsed time and an ETA."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=False,
    )


def _fit_chunks(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: Iterable[list[Specification]],
    n_chunks: int,
    record: Callable[[list[dict[str, Any]]], None],
    *,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    names: Mapping[str, str] = PARAMETER_NAMES,
    specs: Specifications | None = None,
) -> None:
    """Fit ``chunks`` with the executor, handing each chunk's rows to ``record``.

    A dask task carries a chunk's indices, not its specifications: the workers decode
    them from ``specs`` (the multiverse's, which dask needs), scattered once, so a task
    message is a few kilobytes and what the scheduler keeps of its recent tasks stays
    small."""
    if not n_chunks:
        return
    if executor == "dask":
        _run_dask(df, ctx, chunks, record, scheduler, workers, names, specs)
    elif (workers or 1) > 1 and n_chunks > 1:
        _run_processes(df, ctx, chunks, record, workers or 1)
    else:
        for chunk in chunks:
            record(fit_specifications(df, chunk, ctx))


def _check_options(
    executor: str, scheduler: str | None, chunk_size: int, names: Mapping[str, str]
) -> None:
    if executor not in EXECUTORS:
        raise SpecError(f"{names['executor']} {executor!r} is unknown; choose local or dask")
    if scheduler and executor != "dask":
        raise SpecError(f"{names['scheduler']} needs {names['executor']} dask")
    if chunk_size < 1:
        raise SpecError(f"{names['chunk_size']} must be at least 1")


def _finish(
    mv: Multiverse,
    df: pd.DataFrame,
    specs: Specifications,
    ctx: RunContext,
    results: pd.DataFrame | ResultRows,
    synthetic: bool,
    *,
    chunk_size: int,
    bar: Any = None,
    curve_log: Path | None = None,
) -> MultiverseResults:
    """The baseline's inference and the curve test on the fitted ``results``."""
    rows = results if isinstance(results, ResultRows) else FrameRows(results)
    status: dict[str, int] = {}
    for block in rows.blocks(["status"]):
        for value, count in block["status"].value_counts(sort=False).items():
            status[str(value)] = status.get(str(value), 0) + int(count)
    if not status.get("ok"):
        reason, count = max(status.items(), key=lambda kv: kv[1])
        raise SpecError(
            f"every one of the {len(rows)} specifications failed; most often: "
            f"{reason} ({count} of {len(rows)})"
        )
    base_row = rows.take(np.array([specs.baseline_index]), ["status", "estimate"]).iloc[0]
    if base_row["status"] != "ok":
        raise SpecError(f"the baseline specification could not be estimated: {base_row['status']}")
    inference = baseline_inference(df, mv, specs.baseline, ctx, float(base_row["estimate"]))
    curve = None
    if mv.curve_test > 0:  # the curve test holds every estimate (it refits them all)
        observed = rows.frame(["outcome", "status", "estimate", "pvalue"])
        curve = run_curve_test(mv, df, specs, ctx, observed, chunk_size, bar=bar, log=curve_log)
    return MultiverseResults(mv, results, inference, curve, synthetic)


def run_curve_test(
    mv: Multiverse,
    df: pd.DataFrame,
    specs: Specifications,
    ctx: RunContext,
    results: pd.DataFrame,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    bar: Any = None,
    log: Path | None = None,
) -> CurveTest:
    """The inferential specification curve: ``mv.curve_test`` draws under the null, each
    refitting the multiverse (:func:`econometrics.robustness.inference.curve_null_draw`).

    With ``log``, each finished draw is appended to that JSON-lines file and the draws
    already there are read instead of refitted.
    """
    estimates, outcomes, shown, tested = observed_curve(results, mv.level)
    n = mv.curve_test
    null = {o: np.full((n, 3), np.nan) for o in outcomes}
    prior = PartsLog.read(log, key="draw") if log is not None else {}
    writer = PartsLog(log) if log is not None else None
    task = bar.add_task("null draws", total=n, completed=len(prior)) if bar is not None else None
    try:
        for d in range(n):
            if d in prior:
                values = prior[d]["stats"]
            else:
                chunks = make_chunks(specs, chunk_size)
                values = curve_null_draw(df, chunks, ctx, estimates, outcomes, d, mv.seed)
                if writer is not None:
                    writer.write([{"draw": d, "stats": values}])
                if task is not None:
                    bar.advance(task)
            for o in outcomes:
                null[o][d] = values[o]
    finally:
        if writer is not None:
            writer.close()
    return CurveTest(n, mv.seed, shown, tested, null)


# ---------------------------------------------------------------------------- in memory
def fit_multiverse(
    mv: Multiverse,
    frame: pd.DataFrame,
    *,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = False,
    memory_limit_gb: float | None = None,
) -> MultiverseResults:
    """Fit every specification of ``mv`` on ``frame`` in memory (see
    :meth:`Multiverse.fit <econometrics.robustness.multiverse.Multiverse.fit>`).

    Raises
    ------
    SpecError
        Bad data for the multiverse, every specification failing, or a baseline that
        cannot be estimated.
    ResourceLimitError
        A multiverse, placebo test or bootstrap above ``memory_limit_gb``.
    """
    _check_options("local", None, chunk_size, PARAMETER_NAMES)
    df = prepare_data(mv, frame)
    check_size(mv, df, memory_limit_gb)
    specs = mv.specifications(df)
    ctx = make_context(mv, df)
    n_chunks = sum(1 for _ in _chunk_indices(specs, chunk_size))
    parts: list[pd.DataFrame] = []
    bar = _progress(progress)
    with bar:
        task = bar.add_task("specifications", total=len(specs))

        def record(rows: list[dict[str, Any]]) -> None:
            parts.append(pd.DataFrame(rows, columns=list(RESULT_COLUMNS)))
            bar.advance(task, len(rows))

        _fit_chunks(df, ctx, make_chunks(specs, chunk_size), n_chunks, record, workers=workers)
        results = pd.concat(parts, ignore_index=True).sort_values("spec_id", kind="mergesort")
        results = results.reset_index(drop=True)
        synthetic = bool(frame.attrs.get("synthetic", False))
        return _finish(mv, df, specs, ctx, results, synthetic, chunk_size=chunk_size, bar=bar)


# ---------------------------------------------------------------------------- runner
@dataclass
class RobustnessResult:
    """What :func:`run_robustness` produced."""

    summary: dict[str, Any]
    influence: pd.DataFrame
    inference: BaselineInference | None
    out_dir: Path
    n_fitted_this_run: int
    fitted: MultiverseResults

    @property
    def results(self) -> pd.DataFrame:
        """Every specification's row (``specifications.csv``) as one table.

        Up to :data:`TABLE_IN_MEMORY_MAX` specifications it is gathered when the run
        ends and kept. A larger multiverse is read back from ``out_dir`` on first use,
        so that folder must still exist; for millions of specifications read
        ``specifications.csv`` in chunks instead.
        """
        return self.fitted.results


def _load_frame(spec_file: SpecFile) -> pd.DataFrame:
    """``data.source`` through the data registry (a relative path is read beside the spec
    file: :func:`enforcement_lab.data.registry.resolve_source`)."""
    from enforcement_lab.data.registry import load_source, resolve_source

    source = spec_file.spec.source
    if not source:
        raise SpecError("data.source is empty: name a registry data set or a CSV/Parquet file")
    return load_source(resolve_source(source, spec_file.path))


def run_robustness(
    spec_file: SpecFile | str | Path,
    out_dir: str | Path,
    *,
    frame: pd.DataFrame | None = None,
    resume: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = True,
    figure: bool = True,
    on_chunk: Callable[[int], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    memory_limit_gb: float | None = None,
    option_names: Mapping[str, str] | None = None,
) -> RobustnessResult:
    """Run the multiverse of a spec file and write every output under ``out_dir``.

    Parameters
    ----------
    spec_file : SpecFile or path
        The spec file (its ``[robustness]`` table; an absent table is the baseline alone).
    out_dir : path
        Output folder (created).
    frame : DataFrame, optional
        The data; by default loaded from ``data.source``.
    resume : bool
        Continue an interrupted run in ``out_dir`` (refused if the spec or data changed).
    executor : {"local", "dask"}
    scheduler : str, optional
        Address of a dask.distributed scheduler; without it ``dask`` starts a local cluster.
    workers : int, optional
        Local processes (default 1: this process) or the local dask cluster's workers.
    chunk_size : int
        Specifications per chunk (the unit of streaming, resuming and scheduling).
    progress : bool
        Show a rich progress bar with ETA (on stderr).
    figure : bool
        Draw the specification curve.
    on_chunk : callable, optional
        Called with the number of chunks written so far after each one is on disk.
    on_plan : callable, optional
        Called with the number of specifications and the number still to fit, before
        the first fit.
    memory_limit_gb : float, optional
        Memory a run may plan to use (default: half the machine's memory); larger
        multiverses, placebo tests and bootstraps are refused up front
        (:func:`check_size`).
    option_names : mapping, optional
        How messages name the parameters (:data:`PARAMETER_NAMES`, which the command
        line replaces by its options).

    Raises
    ------
    SpecError
        A bad spec file, an empty sample, every specification failing, or a baseline
        that cannot be estimated.
    EnforcementLabError
        ``out_dir`` is in use by another run (a lock held for the whole run).
    """
    names = {**PARAMETER_NAMES, **(option_names or {})}
    _check_options(executor, scheduler, chunk_size, names)
    if not isinstance(spec_file, SpecFile):
        spec_file = read_spec_file(spec_file)
    where = f"{spec_file.path}: " if spec_file.path is not None else ""
    try:
        mv = parse_robustness(spec_file.spec, spec_file.robustness)
    except SpecError as exc:
        raise SpecError(f"{where}{exc}") from None
    raw = _load_frame(spec_file) if frame is None else frame
    synthetic = bool(raw.attrs.get("synthetic", False))
    df = prepare_data(mv, raw)
    check_size(mv, df, memory_limit_gb, names, streamed=True)
    specs = mv.specifications(df)
    ctx = make_context(mv, df)

    out = Path(out_dir)
    with locked_folder(out, "enforcement-lab robustness"):
        state = out / STATE_DIR
        fresh = not state.exists()
        try:
            state.mkdir(parents=True, exist_ok=True)
            parts_path = state / "parts.jsonl"
            curve_path = state / "curve.jsonl"
            manifest_path = state / "manifest.json"
            n = len(specs)
            fp = _fingerprint(mv, df, chunk_size, n)
            if resume:
                if not manifest_path.exists():
                    raise SpecError(
                        f"{names['resume']}: no interrupted run in {out} (no {STATE_DIR}/manifest.json)"
                    )
                old = json.loads(manifest_path.read_text(encoding="utf-8"))
                if old.get("fingerprint") != fp:
                    raise SpecError(
                        f"{names['resume']}: the spec file, the data or the chunk size changed since "
                        f"the interrupted run; run again without {names['resume']}"
                    )
            else:
                parts_path.unlink(missing_ok=True)
                curve_path.unlink(missing_ok=True)
                spec_text = spec_file.spec.to_toml() + json.dumps(
                    _jsonable_table(spec_file.robustness), sort_keys=True
                )
                n_chunks = sum(1 for _ in _chunk_indices(specs, chunk_size))
                atomic_write_text(
                    manifest_path,
                    json.dumps(
                        {
                            "fingerprint": fp,
                            "spec_sha256": hashlib.sha256(spec_text.encode()).hexdigest(),
                            "n_specifications": n,
                            "n_chunks": n_chunks,
                        },
                        indent=2,
                    ),
                )
            done = np.zeros(n, dtype=bool)
            for block in PartsLog.blocks(parts_path):
                done[[int(r["spec_id"]) for r in block]] = True

            def todo() -> Iterator[list[int]]:
                return (c for c in _chunk_indices(specs, chunk_size) if not done[c].all())

            n_todo, n_chunks_todo = 0, 0
            for c in todo():
                n_todo += len(c)
                n_chunks_todo += 1
            check_disk(out, n_todo)
            if on_plan is not None:
                on_plan(n, n_todo)

            log = PartsLog(parts_path)
            bar = _progress(progress)
            written = 0

            def record(rows: list[dict[str, Any]]) -> None:
                nonlocal written
                log.write({k: r[k] for k in LOG_COLUMNS} for r in rows)
                done[[int(r["spec_id"]) for r in rows]] = True
                written += 1
                bar.advance(task, len(rows))
                if on_chunk is not None:
                    on_chunk(written)

            try:
                with bar:
                    task = bar.add_task("specifications", total=n, completed=n - n_todo)
                    chunks = ([specs[i] for i in c] for c in todo())
                    _fit_chunks(
                        df,
                        ctx,
                        chunks,
                        n_chunks_todo,
                        record,
                        executor=executor,
                        scheduler=scheduler,
                        workers=workers,
                        names=names,
                        specs=specs,
                    )
                    log.close()
                    store = ResultStore(state / "store", n)
                    for block in PartsLog.blocks(parts_path):
                        store.write(block)
                    fitted = _finish(
                        mv,
                        df,
                        specs,
                        ctx,
                        StoreRows(store, specs),
                        synthetic,
                        chunk_size=chunk_size,
                        bar=bar,
                        curve_log=curve_path,
                    )
            finally:
                log.close()
            fitted.write(out, figure=figure)
            if n <= TABLE_IN_MEMORY_MAX:  # a small table stays usable after out is removed
                fitted.results  # noqa: B018 (gathered now, kept)
            return RobustnessResult(
                fitted.statistics,
                fitted.influence,
                fitted.inference,
                out,
                n_todo,
                fitted,
            )
        except EnforcementLabError:
            if fresh:  # a refused run leaves no half-made state behind
                import shutil

                shutil.rmtree(state, ignore_errors=True)
            raise


#: What the parts log keeps of a result row: the choices are decoded from ``spec_id``.
LOG_COLUMNS = ("spec_id", *NUMERIC, *TEXT)
#: Up to this many specifications, a run keeps its table in memory when it ends.
TABLE_IN_MEMORY_MAX = 50_000
#: Bytes of memory a specification takes in a multiverse fitted in memory
#: (:func:`fit_multiverse`: its result row, its line of the table), rounded up.
BYTES_PER_SPECIFICATION = 4096
#: Bytes of memory a specification takes in a streamed run (:func:`run_robustness`): one
#: flag in the fitting loop and one in the result store; the curve test adds
#: :data:`CURVE_BYTES_PER_SPECIFICATION`.
STREAMED_BYTES_PER_SPECIFICATION = 2
CURVE_BYTES_PER_SPECIFICATION = 64
#: Memory a streamed run's report takes whatever the count: a block of rows and its
#: copies (measured about 5 MiB for 4,096 rows; 32,768 rows per block), rounded up.
STREAMED_FIXED_BYTES = 64 * 2**20
#: Bytes of disk a specification takes in a streamed run: its line of the parts log
#: (about 380), of the result store (64) and of specifications.csv (about 200), rounded up.
DISK_BYTES_PER_SPECIFICATION = 700


def count_specifications(mv: Multiverse, frame: pd.DataFrame) -> int:
    """The number of specifications of ``mv`` on ``frame``, without building them.

    ``leave-one-out`` samples count one per value of their column; the baseline is
    counted once more when the choices do not contain it.
    """
    return len(mv.specifications(frame))


def check_size(
    mv: Multiverse,
    frame: pd.DataFrame,
    memory_limit_gb: float | None = None,
    names: Mapping[str, str] = PARAMETER_NAMES,
    *,
    streamed: bool = False,
) -> int:
    """Refuse a multiverse, placebo test or bootstrap too large for this machine.

    The estimates are made from the sizes alone, before anything is allocated: the
    number of specifications (:func:`count_specifications`), at
    :data:`BYTES_PER_SPECIFICATION` each in memory, or, ``streamed`` (a run whose rows
    go to disk), :data:`STREAMED_FIXED_BYTES` plus a few bytes each; the placebo
    test's permuted treatment columns (rows x permutations, held with their absorbed
    copies) and the wild bootstrap's replications (rows x replications).

    Returns
    -------
    int
        The number of specifications.

    Raises
    ------
    ResourceLimitError
        An estimate above :func:`enforcement_lab.limits.memory_limit`.
    """
    from enforcement_lab.limits import check_memory, memory_limit

    limit = memory_limit(memory_limit_gb)
    more = f"raise the limit with {names['memory_limit']}"
    if names["memory_limit"] == PARAMETER_NAMES["memory_limit"]:
        more += " (GiB)"
    n = count_specifications(mv, frame)
    if streamed:
        per_spec = STREAMED_BYTES_PER_SPECIFICATION
        per_spec += CURVE_BYTES_PER_SPECIFICATION if mv.curve_test else 0
        need = STREAMED_FIXED_BYTES + n * per_spec
    else:
        need = n * BYTES_PER_SPECIFICATION
    check_memory(
        f"a multiverse of {n:,} specifications",
        need,
        limit,
        f"narrow [robustness] (controls, samples, outcomes) or {more}",
    )
    rows = len(frame)
    check_memory(
        f"robustness.placebo = {mv.placebo:,} permutations of {rows:,} rows",
        4 * 8 * rows * mv.placebo,
        limit,
        f"lower robustness.placebo or {more}",
    )
    check_memory(
        f"robustness.bootstrap = {mv.bootstrap:,} replications of {rows:,} rows",
        2 * 8 * rows * mv.bootstrap,
        limit,
        f"lower robustness.bootstrap or {more}",
    )
    return n


def check_disk(out: Path, n_todo: int) -> None:
    """Refuse a run whose files would not fit on the disk of ``out``: the parts log, the
    result store and ``specifications.csv`` of ``n_todo`` specifications, at
    :data:`DISK_BYTES_PER_SPECIFICATION` each.

    Raises
    ------
    ResourceLimitError
        The estimate above the free space.
    """
    import shutil

    from enforcement_lab.limits import ResourceLimitError, format_bytes

    need = n_todo * DISK_BYTES_PER_SPECIFICATION
    free = shutil.disk_usage(out).free
    if need > free:
        raise ResourceLimitError(
            f"{n_todo:,} specifications need about {format_bytes(need)} of disk in {out} "
            f"(the parts log, the result store and specifications.csv), and "
            f"{format_bytes(free)} is free; narrow [robustness] or write elsewhere"
        )


def _jsonable_table(table: Any) -> Any:
    """A TOML table as JSON-able values (for hashing the spec)."""
    return json.loads(json.dumps(table, default=str)) if table is not None else None


def _run_processes(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: Iterable[list[Specification]],
    record: Callable[[list[dict[str, Any]]], None],
    workers: int,
) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # the platform's default start method (fork on Linux: workers start without
    # re-importing the scientific stack; spawn on macOS and Windows)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_init_worker,
        initargs=(df, ctx, os.getpid()),
    )
    chunks = iter(chunks)
    pending: set[Any] = set()

    def fill() -> None:  # at most two chunks per worker in flight: bounded memory
        for chunk in chunks:
            pending.add(pool.submit(_run_chunk_local, chunk))
            if len(pending) >= 2 * workers:
                return

    try:
        fill()
        while pending:
            finished, pending_left = wait(pending, return_when=FIRST_COMPLETED)
            pending.intersection_update(pending_left)
            for fut in finished:
                record(fut.result())
            fill()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: Iterable[list[Specification]],
    record: Callable[[list[dict[str, Any]]], None],
    scheduler: str | None,
    workers: int | None,
    names: Mapping[str, str] = PARAMETER_NAMES,
    specs: Specifications | None = None,
) -> None:
    if specs is None:
        raise ValueError("the dask executor needs the specifications the chunks come from")
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - the [distributed] extra
        raise SpecError(
            f"{names['executor']} dask needs dask.distributed: "
            "pip install 'enforcement-lab[distributed]'"
        ) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SpecError(f"{names['scheduler']} {scheduler}: cannot connect ({exc})") from None
    else:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        data = client.scatter(df, broadcast=True)
        remote = client.scatter(specs, broadcast=True)  # tasks carry indices into it
        in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), workers or 1, 1)
        chunks = iter(chunks)
        pending: set[Any] = set()  # the futures in flight (at most in_flight)

        def submit(chunk: list[Specification]) -> Any:
            indices = [spec.index for spec in chunk]
            fut = client.submit(_run_chunk_remote, data, ctx, remote, indices, pure=False)
            pending.add(fut)
            return fut

        queue = as_completed([submit(c) for _, c in zip(range(in_flight), chunks, strict=False)])
        try:
            for fut in queue:
                record(fut.result())
                pending.discard(fut)
                fut.release()
                nxt = next(chunks, None)
                if nxt is not None:
                    queue.add(submit(nxt))
        finally:
            client.cancel([f for f in pending if not f.done()])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "PARAMETER_NAMES",
    "STATE_DIR",
    "PartsLog",
    "RobustnessResult",
    "check_disk",
    "check_size",
    "count_specifications",
    "fit_multiverse",
    "make_chunks",
    "run_curve_test",
    "run_robustness",
]
