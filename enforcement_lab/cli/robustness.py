"""``enforcement-lab robustness SPEC.toml --out DIR``: run a spec file's multiverse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def robustness(
    spec: Annotated[Path, typer.Argument(help="Spec file with a robustness table.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (created).")],
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted run in --out.")
    ] = False,
    executor: Annotated[
        str, typer.Option("--executor", help="local (processes here) or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="dask.distributed scheduler address (with dask)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Local processes, or local dask workers."),
    ] = None,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Specifications per chunk.")
    ] = 256,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar with ETA.")
    ] = True,
    memory_limit: Annotated[
        float | None,
        typer.Option(
            "--memory-limit",
            min=0.001,
            help="GiB the run may plan to use (default: half the machine's memory); "
            "larger multiverses, placebo tests and bootstraps are refused up front.",
        ),
    ] = None,
) -> None:
    """Fit every specification of the multiverse; write specifications.csv, a
    specification curve, a summary (with placebo and wild bootstrap p-values) and
    the most influential units under --out. Results stream to disk as they finish.
    """
    from econometrics.robustness.runner import STATE_DIR, run_robustness

    try:
        result = run_robustness(
            spec,
            out,
            resume=resume,
            executor=executor,
            scheduler=scheduler,
            workers=workers,
            chunk_size=chunk_size,
            progress=progress,
            on_plan=_announce,
            memory_limit_gb=memory_limit,
            option_names=OPTION_NAMES,
        )
    except KeyboardInterrupt:
        typer.echo(
            f"interrupted: finished specifications are saved in {out / STATE_DIR}; "
            "rerun with --resume to continue",
            err=True,
        )
        raise typer.Exit(130) from None
    assert result.fitted is not None
    first, *rest = result.fitted.headline()
    head, tail = first.split(":", 1)
    typer.echo(f"{head} ({result.n_fitted_this_run} fitted now):{tail}")
    for line in rest:
        typer.echo(line)
    typer.echo(f"wrote {out / 'specifications.csv'} and the summary, figure and tables beside it")


#: The options that stand for the runner's parameters in its messages.
OPTION_NAMES = {
    "executor": "--executor",
    "scheduler": "--scheduler",
    "resume": "--resume",
    "chunk_size": "--chunk-size",
    "memory_limit": "--memory-limit GB",
}


def _announce(n_specs: int, n_todo: int) -> None:
    """Say how many specifications the run has before the first one is fitted."""
    done = n_specs - n_todo
    typer.echo(
        f"{n_specs:,} specifications to run"
        + (f"; {done:,} already fitted, {n_todo:,} to go" if done else ""),
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``robustness`` to the top-level CLI."""
    app.command("robustness")(robustness)
