"""``enforcement-lab data list|fetch|verify``.

``list`` shows the shipped (hand-coded) data sets and every registry file with its status:
``shipped``, ``mirror`` (present in the mirror folder), ``cached`` (downloaded before) or
``missing``. ``fetch`` downloads registry files into the cache (or checks the mirror copies)
with a progress bar. ``verify`` hashes every available registry file against its sha256
and validates every shipped data set against its schema; any mismatch is an error (exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from enforcement_lab.errors import DataError

data_app = typer.Typer(
    help="Shipped and external data sets: list, fetch, verify.", no_args_is_help=True
)

MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Local folder holding the external files (default: $ENFORCEMENT_LAB_DATA_MIRROR).",
        file_okay=False,
    ),
]


def _console():
    import sys

    from rich.console import Console

    # Piped or captured output gets a wide table instead of rich's 80-column default.
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


@data_app.command("list")
def list_command(mirror: MirrorOption = None) -> None:
    """List shipped data sets and registry files with their status (shipped/mirror/cached/missing)."""
    from rich.table import Table

    from enforcement_lab.data import registry, shipped

    table = Table(title="Enforcement Lab data sets")
    for col in ("name", "kind", "status", "description"):
        table.add_column(col, overflow="fold")
    for name in shipped.list_shipped():
        meta = shipped.metadata(name)
        version = meta.get("version", "?")
        table.add_row(name, f"shipped v{version}", "shipped", str(meta.get("title", "")))
    for e in registry.entries():
        _, status = registry.locate(e.name, mirror=mirror)
        table.add_row(e.name, "external", status, e.description)
    _console().print(table)


@data_app.command("fetch")
def fetch_command(
    name: Annotated[str | None, typer.Argument(help="Registry data set or file name.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Fetch every registry file.")] = False,
    mirror: MirrorOption = None,
) -> None:
    """Download registry files into the cache (checked by sha256), or check the mirror copies."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from enforcement_lab.data import registry

    if all_ and name:
        raise DataError("give a data set name or --all, not both")
    if not all_ and not name:
        raise DataError("name a data set to fetch (see 'enforcement-lab data list') or pass --all")
    targets = registry.entries() if all_ else registry.dataset_entries(str(name))
    where = "mirror" if registry.mirror_dir(mirror) is not None else "cache"
    console = _console()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("fetching", total=len(targets))
        for e in targets:
            progress.update(task, description=e.file)
            path = registry.fetch(e.name, mirror=mirror)
            progress.console.print(f"ok  {e.file}  ({where}: {path})")
            progress.advance(task)
    console.print(f"{len(targets)} file(s) verified by sha256 ({where})")


@data_app.command("verify")
def verify_command(mirror: MirrorOption = None) -> None:
    """Hash every available registry file and validate every shipped data set; exit 2 on a
    mismatch."""
    from enforcement_lab.data import registry, shipped

    console = _console()
    problems: list[str] = []
    counts = {"ok": 0, "mismatch": 0, "missing": 0}
    for r in registry.verify(mirror=mirror):
        counts[r["status"]] += 1
        if r["status"] == "ok":
            console.print(f"ok        {r['file']}  ({r['location']})")
        elif r["status"] == "missing":
            console.print(f"missing   {r['file']}")
        else:
            console.print(f"MISMATCH  {r['file']}  ({r['path']})")
            problems.append(f"{r['file']}: sha256 expected {r['expected']}, got {r['got']}")
    for name in shipped.list_shipped():
        try:
            shipped.validate_shipped(name)
            console.print(f"ok        datasets/{name}.csv  (schema)")
        except DataError as exc:
            console.print(f"INVALID   datasets/{name}.csv")
            problems.append(str(exc))
    console.print(
        f"registry: {counts['ok']} ok, {counts['mismatch']} mismatched, "
        f"{counts['missing']} not available locally; shipped: {len(shipped.list_shipped())} checked"
    )
    if problems:
        raise DataError(f"verification failed for {len(problems)} item(s): " + "; ".join(problems))


def register(app: typer.Typer) -> None:
    """Add the ``data`` group to the top-level CLI."""
    app.add_typer(data_app, name="data")
