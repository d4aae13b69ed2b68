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

How long runs behave
--------------------
Specifications are fitted in **chunks** (a fixed, deterministic partition of the
multiverse that keeps a sample's specifications together so that its fixed effects are
absorbed once). Each finished chunk is appended to ``out_dir/.robustness/parts.jsonl``
and flushed with ``fsync`` before the progress bar moves, so an interrupted run
(Ctrl-C, kill, crash) loses at most the chunks in flight. ``resume=True`` reads that
log, checks that the spec and the data are unchanged (a fingerprint in
``manifest.json``), and fits only the chunks that are not complete. Since chunks are
the same in every run, a resumed run writes exactly the file an uninterrupted run does.
Every final output is written atomically (:mod:`enforcement_lab.io`).

Executors: ``local`` (this process for one worker, else a process pool from
:mod:`concurrent.futures` that receives the data once per worker) and ``dask`` (chunks
submitted with ``client.submit`` to a ``dask.distributed`` scheduler, the data
scattered to the workers once).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
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
from econometrics.robustness.inference import BaselineInference, baseline_inference
from econometrics.robustness.multiverse import Multiverse, Specification, parse_robustness
from econometrics.robustness.report import _summary_markdown, influential_units, summarize
from econometrics.spec import SpecFile, read_spec_file
from enforcement_lab.errors import EnforcementLabError, SpecError
from enforcement_lab.io import atomic_path, atomic_write_text, locked_folder

STATE_DIR = ".robustness"
DEFAULT_CHUNK_SIZE = 256


# ---------------------------------------------------------------------------- chunks
def make_chunks(
    specs: Sequence[Specification], chunk_size: int = DEFAULT_CHUNK_SIZE
) -> list[list[Specification]]:
    """A deterministic partition: specs grouped by (sample, lag, estimator), packed in chunks."""
    groups: dict[tuple[str, int, str], list[Specification]] = {}
    for s in specs:
        groups.setdefault((s.sample.label, s.lags, s.estimator), []).append(s)
    chunks: list[list[Specification]] = []
    current: list[Specification] = []
    for members in groups.values():
        for start in range(0, len(members), chunk_size):
            piece = members[start : start + chunk_size]
            if current and len(current) + len(piece) > chunk_size:
                chunks.append(current)
                current = []
            current = current + piece
    if current:
        chunks.append(current)
    return chunks


_WORKER: dict[str, Any] = {}


def _init_worker(df: pd.DataFrame, ctx: RunContext, parent_pid: int | None = None) -> None:
    if parent_pid is not None:
        from enforcement_lab.processes import die_with_parent

        die_with_parent(parent_pid)
    _WORKER["df"], _WORKER["ctx"] = df, ctx


def _run_chunk_local(chunk: list[Specification]) -> list[dict[str, Any]]:
    return fit_specifications(_WORKER["df"], chunk, _WORKER["ctx"])


def _run_chunk_remote(
    df: pd.DataFrame, ctx: RunContext, chunk: list[Specification]
) -> list[dict[str, Any]]:
    return fit_specifications(df, chunk, ctx)


# ---------------------------------------------------------------------------- streaming
class PartsLog:
    """Append-only JSON-lines log of finished specifications (flushed and fsynced)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():  # drop a line cut by a crash, so the next append starts clean
            data = path.read_bytes()
            cut = data.rfind(b"\n") + 1
            if cut != len(data):
                with open(path, "r+b") as fh:
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
    def read(path: Path) -> dict[int, dict[str, Any]]:
        """Finished rows by ``spec_id``; a line cut by a crash is skipped (refitted on resume)."""
        done: dict[int, dict[str, Any]] = {}
        if not path.exists():
            return done
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                done[int(row["spec_id"])] = row
        return done


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}


def _fingerprint(mv: Multiverse, df: pd.DataFrame, chunk_size: int, n_specs: int) -> str:
    h = hashlib.sha256()
    h.update(repr((mv, chunk_size, n_specs)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    h.update(",".join(map(str, df.columns)).encode())
    return h.hexdigest()


# ---------------------------------------------------------------------------- runner
@dataclass
class RobustnessResult:
    """What :func:`run_robustness` produced."""

    results: pd.DataFrame
    summary: dict[str, Any]
    influence: pd.DataFrame
    inference: BaselineInference | None
    out_dir: Path
    n_fitted_this_run: int


def _load_frame(spec_file: SpecFile) -> pd.DataFrame:
    """``data.source`` through the data registry (a relative path is relative to the spec)."""
    from enforcement_lab.data.registry import load_source

    source = spec_file.spec.source
    if not source:
        raise SpecError("data.source is empty: name a registry data set or a CSV/Parquet file")
    path = Path(source)
    if not path.is_absolute() and spec_file.path is not None:
        candidate = spec_file.path.parent / path
        if candidate.exists():
            source = str(candidate)
    return load_source(source)


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

    Raises
    ------
    SpecError
        A bad spec file, an empty sample, every specification failing, or a baseline
        that cannot be estimated.
    EnforcementLabError
        ``out_dir`` is in use by another run (a lock held for the whole run).
    """
    if executor not in ("local", "dask"):
        raise SpecError(f"--executor {executor!r} is unknown; choose local or dask")
    if chunk_size < 1:
        raise SpecError("chunk size must be at least 1")
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
    check_size(mv, df, memory_limit_gb)
    specs = mv.specifications(df)
    ctx = make_context(mv, df)
    chunks = make_chunks(specs, chunk_size)

    out = Path(out_dir)
    with locked_folder(out, "enforcement-lab robustness"):
        state = out / STATE_DIR
        fresh = not state.exists()
        try:
            return _run_locked(
                spec_file,
                mv,
                df,
                specs,
                ctx,
                chunks,
                out,
                synthetic,
                resume=resume,
                executor=executor,
                scheduler=scheduler,
                workers=workers,
                chunk_size=chunk_size,
                progress=progress,
                figure=figure,
                on_chunk=on_chunk,
                on_plan=on_plan,
            )
        except EnforcementLabError:
            if fresh:  # a refused run leaves no half-made state behind
                import shutil

                shutil.rmtree(state, ignore_errors=True)
            raise


#: Bytes a specification takes while a multiverse runs (its object, its result row,
#: its line of specifications.csv): measured on the paper's multiverse, rounded up.
BYTES_PER_SPECIFICATION = 4096


def count_specifications(mv: Multiverse, frame: pd.DataFrame) -> int:
    """The number of specifications of ``mv`` on ``frame``, without building them.

    ``leave-one-out`` samples count one per value of their column; the baseline is
    counted once more (it is added when the choices do not contain it).
    """
    n_samples = 0
    for s in mv.samples:
        if s.startswith("leave-one-out:"):
            n_samples += int(frame[s.split(":", 1)[1]].dropna().nunique())
        else:
            n_samples += 1
    n_cov = sum(len(mv.clusters) if c == "clustered" else 1 for c in mv.covs)
    sizes = (len(mv.outcomes), len(mv.control_sets), len(mv.estimators), n_samples, n_cov)
    return int(np.prod([*sizes, len(mv.lags)], dtype=object)) + 1


def check_size(mv: Multiverse, frame: pd.DataFrame, memory_limit_gb: float | None = None) -> int:
    """Refuse a multiverse, placebo test or bootstrap too large for this machine.

    The estimates are made from the sizes alone, before anything is allocated: the
    number of specifications (:func:`count_specifications`), the placebo test's
    permuted treatment columns (rows x permutations, held with their absorbed copies)
    and the wild bootstrap's replications (rows x replications).

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
    more = "raise the limit with --memory-limit GB"
    n = count_specifications(mv, frame)
    check_memory(
        f"a multiverse of {n:,} specifications",
        n * BYTES_PER_SPECIFICATION,
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


def _run_locked(
    spec_file: SpecFile,
    mv: Multiverse,
    df: pd.DataFrame,
    specs: list[Specification],
    ctx: RunContext,
    chunks: list[list[Specification]],
    out: Path,
    synthetic: bool,
    *,
    resume: bool,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    chunk_size: int,
    progress: bool,
    figure: bool,
    on_chunk: Callable[[int], None] | None,
    on_plan: Callable[[int, int], None] | None,
) -> RobustnessResult:
    state = out / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    parts_path = state / "parts.jsonl"
    manifest_path = state / "manifest.json"
    fp = _fingerprint(mv, df, chunk_size, len(specs))
    if resume:
        if not manifest_path.exists():
            raise SpecError(f"--resume: no interrupted run in {out} (no {STATE_DIR}/manifest.json)")
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("fingerprint") != fp:
            raise SpecError(
                "--resume: the spec file, the data or the chunk size changed since the "
                "interrupted run; run again without --resume"
            )
    else:
        if parts_path.exists():
            parts_path.unlink()
        spec_text = spec_file.spec.to_toml() + json.dumps(
            _jsonable_table(spec_file.robustness), sort_keys=True
        )
        atomic_write_text(
            manifest_path,
            json.dumps(
                {
                    "fingerprint": fp,
                    "spec_sha256": hashlib.sha256(spec_text.encode()).hexdigest(),
                    "n_specifications": len(specs),
                    "n_chunks": len(chunks),
                },
                indent=2,
            ),
        )
    done = PartsLog.read(parts_path)
    todo = [c for c in chunks if not all(s.index in done for s in c)]
    log = PartsLog(parts_path)
    n_todo = sum(len(c) for c in todo)
    if on_plan is not None:
        on_plan(len(specs), n_todo)

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("[bold]specifications"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=False,
    )
    written = 0

    def record(rows: list[dict[str, Any]]) -> None:
        nonlocal written
        log.write(rows)
        for r in rows:
            done[int(r["spec_id"])] = _jsonable(r)
        written += 1
        bar.advance(task, len(rows))
        if on_chunk is not None:
            on_chunk(written)

    try:
        with bar:
            task = bar.add_task("fit", total=len(specs), completed=len(specs) - n_todo)
            if todo and executor == "dask":
                _run_dask(df, ctx, todo, record, scheduler, workers)
            elif todo and (workers or 1) > 1 and len(todo) > 1:
                _run_processes(df, ctx, todo, record, workers or 1)
            else:
                for chunk in todo:
                    record(fit_specifications(df, chunk, ctx))
    finally:
        log.close()

    results = pd.DataFrame([done[s.index] for s in specs], columns=list(RESULT_COLUMNS))
    results["is_baseline"] = results["is_baseline"].astype(bool)
    base_spec = next(s for s in specs if s.is_baseline)
    base_row = results.loc[results["spec_id"] == base_spec.index].iloc[0]
    if (results["status"] != "ok").all():
        reasons = results["status"].value_counts()
        raise SpecError(
            f"every one of the {len(results)} specifications failed; most often: "
            f"{reasons.index[0]} ({reasons.iloc[0]} of {len(results)})"
        )
    if base_row["status"] != "ok":
        raise SpecError(f"the baseline specification could not be estimated: {base_row['status']}")
    base_est = float(base_row["estimate"])
    inference = baseline_inference(df, mv, base_spec, ctx, base_est)
    summary = summarize(results, mv.level)
    summary["synthetic_data"] = synthetic
    summary["inference"] = {
        "placebo_permutations": len(inference.placebo_estimates),
        "placebo_pvalue": inference.placebo_pvalue,
        "placebo_share_significant": inference.placebo_share_significant,
        "bootstrap_reps": inference.bootstrap_reps,
        "bootstrap_weights": mv.bootstrap_weights,
        "bootstrap_cluster": inference.bootstrap_cluster,
        "bootstrap_pvalue": inference.bootstrap_pvalue,
        "bootstrap_tstat": inference.bootstrap_tstat,
        "seed": mv.seed,
        "notes": inference.notes,
    }
    influence = influential_units(results, mv.level)

    with atomic_path(out / "specifications.csv") as tmp:
        results.to_csv(tmp, index=False, float_format="%.17g")
    if not influence.empty:
        with atomic_path(out / "influential_units.csv") as tmp:
            influence.to_csv(tmp, index=False, float_format="%.17g")
    else:  # a folder never mixes two runs: drop an earlier run's file this run does not write
        (out / "influential_units.csv").unlink(missing_ok=True)
    if not len(inference.placebo_estimates):
        (out / "placebo.csv").unlink(missing_ok=True)
    if not figure:
        (out / "specification_curve.png").unlink(missing_ok=True)
    if len(inference.placebo_estimates):
        with atomic_path(out / "placebo.csv") as tmp:
            pd.DataFrame(
                {
                    "permutation": np.arange(len(inference.placebo_estimates)),
                    "estimate": inference.placebo_estimates,
                }
            ).to_csv(tmp, index=False, float_format="%.17g")
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, default=float) + "\n")
    atomic_write_text(out / "summary.md", _summary_markdown(summary, synthetic))
    if figure:
        from econometrics.robustness.figure import plot_specification_curve

        plot_specification_curve(
            results, out / "specification_curve.png", level=mv.level, synthetic=synthetic
        )
    return RobustnessResult(results, summary, influence, inference, out, n_todo)


def _jsonable_table(table: Any) -> Any:
    """A TOML table as JSON-able values (for hashing the spec)."""
    return json.loads(json.dumps(table, default=str)) if table is not None else None


def _run_processes(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: list[list[Specification]],
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
    try:
        pending = {pool.submit(_run_chunk_local, c) for c in chunks}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                record(fut.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(
    df: pd.DataFrame,
    ctx: RunContext,
    chunks: list[list[Specification]],
    record: Callable[[list[dict[str, Any]]], None],
    scheduler: str | None,
    workers: int | None,
) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - the [distributed] extra
        raise SpecError(
            "--executor dask needs dask.distributed: pip install 'enforcement-lab[distributed]'"
        ) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise SpecError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    else:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        data = client.scatter(df, broadcast=True)
        futures = [client.submit(_run_chunk_remote, data, ctx, c, pure=False) for c in chunks]
        try:
            for fut in as_completed(futures):
                record(fut.result())
        finally:
            client.cancel(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "STATE_DIR",
    "PartsLog",
    "RobustnessResult",
    "check_size",
    "count_specifications",
    "make_chunks",
    "run_robustness",
]
