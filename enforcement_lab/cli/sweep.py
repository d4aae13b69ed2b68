"""``enforcement-lab sweep``.

``sweep NAME --grid key=lo:hi:n ... --out DIR`` writes ``DIR/sweep.csv`` (and
``DIR/sweep.parquet`` when pyarrow is installed) plus the phase diagram as
``DIR/phase_diagram.png`` and ``.pdf``, each atomically. Instruments and fixed
parameters are written as for ``solve``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from enforcement_lab.cli._support import (
    converts_own_params,
    parse_assignments,
    parse_instrument,
    parse_number,
)
from enforcement_lab.errors import InvalidGameError

__all__ = ["parse_grid", "register", "sweep_estimate"]


def parse_grid(items: list[str]) -> dict[str, Any]:
    """``["p=0:1:3", "s=1,2"]`` -> ``{"p": [0.0, 0.5, 1.0], "s": [1.0, 2.0]}``.

    >>> {k: v.tolist() for k, v in parse_grid(["p=0:1:3", "s=1,2"]).items()}
    {'p': [0.0, 0.5, 1.0], 's': [1.0, 2.0]}
    """
    import numpy as np

    from gametheory.sweep import MAX_CELLS

    parsed = [_grid_item(item) for item in items]  # every item's form checked first
    counts = [count for _, _, _, count in parsed]
    cells = math.prod(counts)
    if cells > MAX_CELLS:
        sizes = " x ".join(f"{c:,}" for c in counts)
        raise InvalidGameError(
            f"--grid: {sizes} is {cells:,} cells, more than the limit of {MAX_CELLS:,}; "
            "use fewer points per axis"
        )
    out: dict[str, Any] = {}
    for key, is_range, texts, count in parsed:
        if is_range:
            lo = parse_number(texts[0], f"--grid {key} lower bound")
            hi = parse_number(texts[1], f"--grid {key} upper bound")
            out[key] = np.linspace(lo, hi, count)
        else:
            out[key] = np.array([parse_number(v, f"--grid {key} value") for v in texts])
    return out


def _grid_item(item: str) -> tuple[str, bool, list[str], int]:
    """``--grid item`` read without building its values: the key, whether it is a range
    (``key=lo:hi:n``, texts ``[lo, hi]``) or a list (``key=v1,v2``, texts the values), and
    how many values it asks for."""
    key, sep, spec = item.partition("=")
    key = key.strip()
    if not sep or not key:
        raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n or key=v1,v2,...")
    if ":" not in spec:
        values = spec.split(",")
        return key, False, values, len(values)
    parts = spec.split(":")
    if len(parts) != 3:
        raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n")
    try:
        count = int(parts[2])
    except ValueError:
        raise InvalidGameError(f"--grid {key}: n must be an integer, got {parts[2]!r}") from None
    if count < 1:
        raise InvalidGameError(f"--grid {key}: n must be at least 1, got {count}")
    return key, True, parts[:2], count


#: Measured per grid cell on a 2000 x 2000 sweep of the stag hunt: memory while
#: sweeping, and the bytes of each output file (the PDF's vector mesh grows with cells).
SWEEP_BYTES_PER_CELL = {"memory": 800, "csv": 160, "parquet": 40, "pdf": 16, "png": 0}
#: Sweeps with more cells than this need --yes (about 40 MiB of CSV, 200 MiB of memory).
CONFIRM_CELLS = 250_000
SWEEP_FORMATS = ("auto", "csv", "parquet", "both")


def sweep_estimate(cells: int, formats: Sequence[str]) -> dict[str, int]:
    """Bytes a sweep of ``cells`` cells needs in memory and writes per file type.

    >>> sweep_estimate(1000, ["csv"])["csv"]
    160000
    """
    kinds = ["memory", *formats, "pdf"]
    return {k: cells * SWEEP_BYTES_PER_CELL[k] for k in kinds}


def sweep_command(
    name: Annotated[str, typer.Argument(help="Family, design or model name.")],
    grid: Annotated[
        list[str] | None, typer.Option("--grid", help="key=lo:hi:n or key=v1,v2 (repeatable).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output directory.", file_okay=False)
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Fixed parameter, key=value.")
    ] = None,
    instrument: Annotated[
        list[str] | None, typer.Option("--instrument", help="Instrument spec (repeatable).")
    ] = None,
    x: Annotated[str | None, typer.Option(help="Grid key on the x axis.")] = None,
    y: Annotated[str | None, typer.Option(help="Grid key on the y axis.")] = None,
    plot: Annotated[str | None, typer.Option(help="For models: the result column to plot.")] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Table format: csv, parquet, both, or auto (csv, plus parquet when "
            "pyarrow is installed).",
        ),
    ] = "auto",
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help=f"Write a sweep above {CONFIRM_CELLS:,} cells (sizes are estimated first).",
        ),
    ] = False,
) -> None:
    """Sweep a parameter grid: CSV and/or Parquet plus a phase diagram (PNG and PDF)."""
    import importlib.util
    import warnings

    import numpy as np

    from enforcement_lab.io import atomic_path, locked_folder
    from enforcement_lab.limits import check_memory, format_bytes, memory_limit
    from gametheory.sweep import model_diagram, phase_diagram, resolve, sweep

    if not grid:
        raise InvalidGameError("give at least one --grid key=lo:hi:n")
    if out is None:
        raise InvalidGameError("give an output directory with --out DIR")
    if fmt not in SWEEP_FORMATS:
        raise InvalidGameError(f"--format {fmt!r} is unknown; choose {', '.join(SWEEP_FORMATS)}")
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    if fmt in ("parquet", "both") and not has_arrow:
        raise InvalidGameError(
            f"--format {fmt} needs pyarrow: pip install pyarrow (or use --format csv)"
        )
    formats = {"auto": ["csv", "parquet"] if has_arrow else ["csv"], "both": ["csv", "parquet"]}
    tables = formats.get(fmt, [fmt])
    target = resolve(name)
    values = parse_grid(grid)  # refuses a grid above the cell limit before building it
    cells = math.prod(len(v) for v in values.values())
    estimate = sweep_estimate(cells, tables)
    files = ", ".join(f"{format_bytes(estimate[k])} of {k.upper()}" for k in (*tables, "pdf"))
    size = f"{cells:,} cells: about {format_bytes(estimate['memory'])} of memory, {files}"
    check_memory(
        f"a sweep of {cells:,} cells", estimate["memory"], memory_limit(), "use a coarser grid"
    )
    if cells > CONFIRM_CELLS and not yes:
        raise InvalidGameError(
            f"this sweep is {size}; rerun with --yes to write it, or use a coarser --grid"
        )
    typer.echo(f"sweeping {size}", err=True)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow in extreme cells
        frame = sweep(
            target,
            values,
            fixed=parse_assignments(set_ or [], numeric=not converts_own_params(name)),
            instruments=[parse_instrument(s) for s in instrument or []],
        )
        frame.attrs["target"] = name
        if frame.attrs.get("kind") == "model":
            fig = model_diagram(frame, x, y, plot)
        else:
            fig = phase_diagram(frame, x, y)
    stem = "phase_diagram" if frame.attrs.get("kind") != "model" else "sweep_plot"
    written = []
    with locked_folder(out, "enforcement-lab sweep"):
        for kind in ("csv", "parquet"):
            path = out / f"sweep.{kind}"
            if kind not in tables:
                path.unlink(missing_ok=True)  # never leave an earlier run's table beside ours
                continue
            with atomic_path(path) as tmp:
                if kind == "csv":
                    frame.to_csv(tmp, index=False)
                else:
                    frame.to_parquet(tmp, index=False)
            written.append(path)
        other = "sweep_plot" if stem == "phase_diagram" else "phase_diagram"
        for ext in ("png", "pdf"):
            (out / f"{other}.{ext}").unlink(missing_ok=True)
            with atomic_path(out / f"{stem}.{ext}") as tmp:
                fig.savefig(tmp, format=ext, dpi=150)
            written.append(out / f"{stem}.{ext}")
    typer.echo(f"{len(frame)} cells; wrote " + ", ".join(str(p) for p in written))
    if "phase" in frame.columns:
        counts = frame["phase"].value_counts()
        for label, count in counts.items():
            typer.echo(f"  {label}: {count} ({count / len(frame):.1%})")


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the top-level CLI."""
    app.command("sweep")(sweep_command)
