"""``enforcement-lab paper build``: execute every paper notebook headless, deterministically.

The notebooks, their parameters, the staging of their outputs and the comparison of two
builds are in :mod:`enforcement_lab.paper`; this module is the command line over them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from enforcement_lab.errors import EnforcementLabError, SpecError
from enforcement_lab.io import locked_folder
from enforcement_lab.paper import (
    MIRROR_ENV,
    STAGE_DIR,
    _snapshot,
    compare_outputs,
    data_unavailable,
    default_mirror,
    describe_difference,
    execute_notebook,
    find_notebooks,
    notebook_parameters,
    parse_params,
    swap_in,
    write_outputs_index,
    write_results,
)
from enforcement_lab.replication import refresh_readme

paper_app = typer.Typer(help="Regenerate the paper's tables and figures.", no_args_is_help=True)


@paper_app.command("build")
def build(
    root: Annotated[Path, typer.Argument(help="Folder holding the papers (papers/).")] = Path(
        "papers"
    ),
    paper: Annotated[
        str | None, typer.Option("--paper", help="Build only papers/<PAPER>/.")
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Run only notebooks whose file name starts with this."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="Override a notebook parameter, NAME=VALUE (repeatable)."
        ),
    ] = None,
    timeout: Annotated[int, typer.Option(help="Seconds allowed per cell.")] = 1800,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Build in a temporary copy and compare every table/figure byte for byte "
            "with the ones in place; exit 1 if any differs.",
        ),
    ] = False,
) -> None:
    """Execute every paper notebook and regenerate its tables and figures."""
    if not root.is_dir():
        raise EnforcementLabError(f"paper folder {root} does not exist")
    if paper and not (root / paper).is_dir():
        raise EnforcementLabError(f"paper {paper!r} not found under {root}/")
    params = parse_params(param or [])
    work_root = root
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if check:
        tmp = tempfile.TemporaryDirectory(prefix="paper-check-")
        work_root = Path(tmp.name) / root.name
        shutil.copytree(root, work_root, ignore=shutil.ignore_patterns("executed", "__pycache__"))
        if MIRROR_ENV not in os.environ:  # keep the default mirror the original folder would see
            default = default_mirror(root / (paper or "x"))
            if default is not None:
                params.setdefault("DATA_MIRROR", str(default))
    notebooks = find_notebooks(work_root, paper, only or ())
    if not notebooks:
        typer.echo(
            f"No paper notebooks under {root}/ yet (expected jupytext percent-format .py files in "
            f"{root}/<paper>/). Nothing was generated."
        )
        return
    declared = {name for nb in notebooks for name in notebook_parameters(nb)}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise SpecError(
            f"--param {', '.join(unknown)}: no selected notebook declares "
            f"{'it' if len(unknown) == 1 else 'them'} (declared: {', '.join(sorted(declared))})"
        )
    total = time.perf_counter()
    paper_dirs = sorted({nb.parent for nb in notebooks})
    kept: list[str] = []  # notebooks whose last complete outputs stay (data unavailable)
    with contextlib.ExitStack() as locks:
        for paper_dir in paper_dirs:
            locks.enter_context(locked_folder(paper_dir, "enforcement-lab paper build"))
        for nb in notebooks:
            typer.echo(f"executing {nb.relative_to(work_root.parent)} ...")
            start = time.perf_counter()
            stage = nb.parent / STAGE_DIR / nb.stem
            shutil.rmtree(stage, ignore_errors=True)
            try:
                out = execute_notebook(nb, params, timeout=timeout, stage=stage)
                reason = data_unavailable(stage, nb.stem)
                if reason and (nb.parent / "manifest" / f"{nb.stem}.csv").exists():
                    # a partial run would delete every output it skipped: keep the last
                    kept.append(f"{nb.relative_to(work_root.parent)}: {reason}")
                else:
                    swap_in(nb.parent, stage, nb.stem)
            finally:
                shutil.rmtree(stage, ignore_errors=True)
                with contextlib.suppress(OSError):
                    (nb.parent / STAGE_DIR).rmdir()
            typer.echo(
                f"  wrote {out.relative_to(work_root.parent)} ({time.perf_counter() - start:.1f} s)"
            )
        for paper_dir in paper_dirs:
            for index in (
                write_outputs_index(paper_dir),
                write_results(paper_dir),
                refresh_readme(paper_dir),
            ):
                if index is not None:
                    typer.echo(f"  wrote {index.relative_to(work_root.parent)}")
    typer.echo(f"done in {time.perf_counter() - total:.1f} s")
    if kept:
        typer.echo(
            "NOT REGENERATED (external data unavailable; their tables and figures are those "
            "of the last complete build, kept in place):\n  "
            + "\n  ".join(kept)
            + f"\n  (the data: {MIRROR_ENV}, or ../shared/data/external beside the project)"
        )
    if tmp is not None:
        differing = []
        for paper_dir in paper_dirs:
            original = root / paper_dir.name
            old_files, new_files = _snapshot(original), _snapshot(paper_dir)
            differing += [
                describe_difference(
                    f"{paper_dir.name}/{name}", old_files.get(name), new_files.get(name)
                )
                for name in compare_outputs(original, paper_dir)
            ]
        tmp.cleanup()
        if differing:
            typer.echo("outputs differ from the ones in place:\n  " + "\n  ".join(differing))
            raise typer.Exit(1)
        if kept:
            typer.echo(f"not checked: the outputs of {len(kept)} notebook(s) (see above)")
            raise typer.Exit(1)
        typer.echo("every table and figure is byte-identical to the one in place")


def register(app: typer.Typer) -> None:
    """Add the ``paper`` group to the top-level CLI."""
    app.add_typer(paper_app, name="paper")
