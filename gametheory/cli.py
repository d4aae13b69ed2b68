"""``enforcement-lab solve`` and ``enforcement-lab sweep``.

``solve NAME [--set key=value ...] [--instrument SPEC ...]`` (or ``--file game.toml``)
prints the payoffs, the equilibria, the class, risk and payoff dominance, ``q*`` and
the compliance thresholds of one game; for a model it prints the model's results.

``sweep NAME --grid key=lo:hi:n ... --out DIR`` writes ``DIR/sweep.csv`` (and
``DIR/sweep.parquet`` when pyarrow is installed) plus the phase diagram as
``DIR/phase_diagram.png`` and ``.pdf``, each atomically.

An instrument is written ``name:field=value,field=value`` (``sanction:probability=0.5,
size=2,players=row``); names are those of :data:`gametheory.instruments.INSTRUMENTS`.
A game file (TOML or JSON) holds either ``A`` and ``B`` (lists of rows, with optional
``row_labels``, ``col_labels`` and ``source``) or ``family = "stag_hunt"`` with a
``[params]`` table, and optionally a list ``instruments`` of tables with a ``type``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from enforcement_lab.errors import InvalidGameError

__all__ = ["parse_assignments", "parse_grid", "parse_instrument", "register"]


# -- parsing ---------------------------------------------------------------------------


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidGameError(f"{what} is not a number: {text!r}") from None
    if not math.isfinite(value):
        raise InvalidGameError(f"{what} is not finite: {text!r}")
    return value


def parse_assignments(
    items: list[str], flag: str = "--set", *, numeric: bool = True
) -> dict[str, Any]:
    """``["a=1", "b=2.5"]`` -> ``{"a": 1.0, "b": 2.5}``.

    With ``numeric=False`` the values stay strings (a model converts and checks them
    against the types of its defaults, e.g. ``rule=moran``).

    >>> parse_assignments(["stag=5", "hare=2"])
    {'stag': 5.0, 'hare': 2.0}
    >>> parse_assignments(["rule=moran", "Z=50"], numeric=False)
    {'rule': 'moran', 'Z': '50'}
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidGameError(f"{flag} {item!r} must be key=value")
        key, value = key.strip(), value.strip()
        out[key] = _number(value, f"{flag} {key}") if numeric else value
    return out


def _converts_own_params(name: str | None) -> bool:
    """True if ``name`` is a model that converts and checks its parameters itself
    (:meth:`gametheory.models.Model.params`), so ``--set`` values may be strings."""
    from gametheory.sweep import resolve

    if name is None:
        return False
    target = resolve(name)
    return not hasattr(target, "game") and callable(getattr(target, "params", None))


def parse_instrument(spec: str) -> Any:
    """``"sanction:probability=0.5,size=2"`` -> ``Sanction(probability=0.5, size=2.0)``.

    >>> parse_instrument("fine:share=0.5,players=row")
    Fine(players='row', share=0.5, theta=1.0, pursuit=1.0, sector_weight=1.0)
    """
    from gametheory.instruments import INSTRUMENTS

    name, _, rest = spec.partition(":")
    name = name.strip().lower()
    if name not in INSTRUMENTS:
        raise InvalidGameError(
            f"unknown instrument {name!r} in --instrument {spec!r}; known: {', '.join(INSTRUMENTS)}"
        )
    cls = INSTRUMENTS[name]
    kwargs: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep:
            raise InvalidGameError(f"--instrument {spec!r}: {part!r} must be field=value")
        if key == "players":
            kwargs[key] = value.strip()
        elif key in cls.bounds:
            kwargs[key] = _number(value.strip(), f"{name}.{key}")
        else:
            raise InvalidGameError(
                f"{name} has no field {key!r}; fields: {', '.join([*cls.bounds, 'players'])}"
            )
    return cls(**kwargs)


def _instrument_from_table(table: dict[str, Any]) -> Any:
    table = dict(table)
    kind = str(table.pop("type", "")).lower()
    spec = kind + ":" + ",".join(f"{k}={v}" for k, v in table.items())
    return parse_instrument(spec)


def parse_grid(items: list[str]) -> dict[str, Any]:
    """``["p=0:1:3", "s=1,2"]`` -> ``{"p": [0.0, 0.5, 1.0], "s": [1.0, 2.0]}``.

    >>> {k: v.tolist() for k, v in parse_grid(["p=0:1:3", "s=1,2"]).items()}
    {'p': [0.0, 0.5, 1.0], 's': [1.0, 2.0]}
    """
    import numpy as np

    from gametheory.sweep import MAX_CELLS

    counts = [_grid_count(item) for item in items]
    cells = math.prod(counts)
    if cells > MAX_CELLS:
        sizes = " x ".join(f"{c:,}" for c in counts)
        raise InvalidGameError(
            f"--grid: {sizes} is {cells:,} cells, more than the limit of {MAX_CELLS:,}; "
            "use fewer points per axis"
        )
    out: dict[str, Any] = {}
    for item in items:
        key, sep, spec = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n or key=v1,v2,...")
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n")
            lo = _number(parts[0], f"--grid {key} lower bound")
            hi = _number(parts[1], f"--grid {key} upper bound")
            try:
                count = int(parts[2])
            except ValueError:
                raise InvalidGameError(
                    f"--grid {key}: n must be an integer, got {parts[2]!r}"
                ) from None
            if count < 1:
                raise InvalidGameError(f"--grid {key}: n must be at least 1, got {count}")
            out[key] = np.linspace(lo, hi, count)
        else:
            out[key] = np.array([_number(v, f"--grid {key} value") for v in spec.split(",")])
    return out


def _grid_count(item: str) -> int:
    """The number of values ``--grid item`` asks for, read without building them."""
    key, sep, spec = item.partition("=")
    if not sep or not key.strip():
        raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n or key=v1,v2,...")
    if ":" not in spec:
        return len(spec.split(","))
    parts = spec.split(":")
    if len(parts) != 3:
        raise InvalidGameError(f"--grid {item!r} must be key=lo:hi:n")
    try:
        count = int(parts[2])
    except ValueError:
        raise InvalidGameError(
            f"--grid {key.strip()}: n must be an integer, got {parts[2]!r}"
        ) from None
    if count < 1:
        raise InvalidGameError(f"--grid {key.strip()}: n must be at least 1, got {count}")
    return count


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


def _load_file(path: Path) -> tuple[Any, list[Any]]:
    """A game (or a family/design/model target with params) and instruments from a file."""
    from gametheory.games import bimatrix

    if not path.exists():
        raise InvalidGameError(f"game file {path} does not exist")
    text = path.read_bytes()
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        elif path.suffix.lower() == ".toml":
            import tomllib

            data = tomllib.loads(text.decode("utf-8"))
        else:
            raise InvalidGameError(f"game file {path} must end in .toml or .json")
    except (json.JSONDecodeError, ValueError) as exc:
        if isinstance(exc, InvalidGameError):
            raise
        raise InvalidGameError(f"cannot parse {path}: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidGameError(f"{path} must hold a table/object at the top level")
    tables = data.get("instruments", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise InvalidGameError(
            f"{path}: instruments must be a list of tables, each with a type "
            '(e.g. [[instruments]] type = "sanction")'
        )
    instruments = [_instrument_from_table(t) for t in tables]
    if "A" in data or "B" in data:
        if "A" not in data or "B" not in data:
            raise InvalidGameError(f"{path} must give both A and B")
        game = bimatrix(
            data["A"],
            data["B"],
            row_labels=data.get("row_labels"),
            col_labels=data.get("col_labels"),
            source=str(data.get("source", path.name)),
        )
        return game, instruments
    name = data.get("family") or data.get("name") or data.get("design")
    if not name:
        raise InvalidGameError(f"{path} must give A and B, or family = <name> with [params]")
    params = data.get("params", {})
    if not isinstance(params, dict):
        raise InvalidGameError(f"{path}: params must be a table")
    return _make(
        str(name), {k: _number(str(v), f"params.{k}") for k, v in params.items()}
    ), instruments


def _make(name: str, params: dict[str, float]) -> Any:
    """A game from a family or design name, or the model object itself."""
    from gametheory.sweep import resolve

    target = resolve(name)
    if hasattr(target, "game"):
        return target.game(**params)
    return (target, params)


# -- output ----------------------------------------------------------------------------


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "unreachable" if x > 0 else "-inf"
    return f"{x + 0.0:.6g}"  # + 0.0 turns -0.0 into 0.0


def _solve_report(game: Any, instruments: list[Any], method: str) -> dict[str, Any]:
    from gametheory.selection import (
        basin_of_compliance,
        classify,
        mixed_threshold,
        payoff_dominant,
        phase,
        risk_dominant,
    )
    from gametheory.solve import equilibria
    from gametheory.thresholds import compliance_thresholds

    base = game
    game = game.adjust(*instruments)
    import warnings

    from gametheory.solve import DegenerateGameWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = equilibria(game, method)  # type: ignore[arg-type]
    report: dict[str, Any] = {
        "source": game.source,
        "row_labels": list(game.row_labels),
        "col_labels": list(game.col_labels),
        "A": game.A.tolist(),
        "B": game.B.tolist(),
        "instruments": [repr(i) for i in instruments],
        "method": eq.method,
        "equilibria": [{"row": x.tolist(), "col": y.tolist()} for x, y in eq],
        "degenerate": eq.degenerate,
        "note": eq.note,
    }
    if game.shape == (2, 2):

        def lab(p: Any) -> Any:
            if p is None or p == "tie":
                return p
            return [game.row_labels[p[0]], game.col_labels[p[1]]]

        t = compliance_thresholds(game)
        report.update(
            {
                "class": classify(game),
                "phase": phase(game),
                "risk_dominant": lab(risk_dominant(game)),
                "payoff_dominant": lab(payoff_dominant(game)),
                "q_star": [mixed_threshold(game, "row"), mixed_threshold(game, "column")],
                "basin_of_compliance": [
                    basin_of_compliance(game, "row"),
                    basin_of_compliance(game, "column"),
                ],
                "thresholds": {
                    "equilibrium": t.equilibrium,
                    "risk_dominant": t.risk_dominant,
                    "dominant": t.dominant,
                },
            }
        )
        if instruments:
            t0 = compliance_thresholds(base)
            report["thresholds_before_instruments"] = {
                "equilibrium": t0.equilibrium,
                "risk_dominant": t0.risk_dominant,
                "dominant": t0.dominant,
            }
    return report


def _print_report(name: str, r: dict[str, Any]) -> None:
    echo = typer.echo
    echo(f"game: {name}" + (f"  [{r['source']}]" if r["source"] else ""))
    for inst in r["instruments"]:
        echo(f"instrument: {inst}")
    width = max(len(s) for s in r["row_labels"] + r["col_labels"]) + 2
    echo("payoffs (row, column):")
    echo(" " * (width + 2) + "".join(f"{c:>{width + 10}}" for c in r["col_labels"]))
    for i, rl in enumerate(r["row_labels"]):
        cells = "".join(
            f"{_fmt(r['A'][i][j]) + ', ' + _fmt(r['B'][i][j]):>{width + 10}}"
            for j in range(len(r["col_labels"]))
        )
        echo(f"  {rl:<{width}}{cells}")
    echo(f"equilibria ({r['method']}): {len(r['equilibria'])}")

    def strat(p: list[float], labels: list[str]) -> str:
        if max(p) > 1 - 1e-12:
            return labels[p.index(max(p))]
        return (
            "("
            + ", ".join(f"{lab} {v:.4g}" for lab, v in zip(labels, p, strict=True) if v > 1e-12)
            + ")"
        )

    for e in r["equilibria"]:
        echo(
            f"  row {strat(e['row'], r['row_labels'])} | column {strat(e['col'], r['col_labels'])}"
        )
    if r["degenerate"]:
        echo(f"  degenerate game: {r['note']}")
    elif r["note"]:
        echo(f"  note: {r['note']}")
    if "class" in r:
        rd = r["risk_dominant"]
        pdm = r["payoff_dominant"]
        echo(f"class: {r['class']}")
        echo(f"phase: {r['phase']}")
        echo(f"risk dominant: {'/'.join(rd) if isinstance(rd, list) else rd or 'none'}")
        echo(f"payoff dominant: {'/'.join(pdm) if isinstance(pdm, list) else pdm or 'none'}")
        q = r["q_star"]
        echo(
            f"q* (row, column): {_fmt(q[0])}, {_fmt(q[1])}; basin of compliance 1 - q*: {_fmt(1 - q[0])}, {_fmt(1 - q[1])}"
        )
        t = r["thresholds"]
        echo(
            "compliance thresholds (extra payoff for complying, both players): "
            f"equilibrium {_fmt(t['equilibrium'])}, risk-dominant {_fmt(t['risk_dominant'])}, "
            f"dominant {_fmt(t['dominant'])}"
        )
        if "thresholds_before_instruments" in r:
            t = r["thresholds_before_instruments"]
            echo(
                "  before the instruments: "
                f"equilibrium {_fmt(t['equilibrium'])}, risk-dominant {_fmt(t['risk_dominant'])}, "
                f"dominant {_fmt(t['dominant'])}"
            )


# -- commands ----------------------------------------------------------------------------


def solve_command(
    name: Annotated[str | None, typer.Argument(help="Family, design or model name.")] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Parameter, key=value (repeatable).")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Game file (.toml or .json).")] = None,
    instrument: Annotated[
        list[str] | None,
        typer.Option("--instrument", help="Instrument, e.g. sanction:probability=0.5,size=2."),
    ] = None,
    method: Annotated[
        str, typer.Option(help="support, vertex or lemke_howson (nashpy).")
    ] = "support",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Solve one game: equilibria, classification, risk dominance, q* and thresholds."""
    import warnings

    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow before the payoff check
        _solve(name, set_, file, instrument, method, as_json)


def _solve(
    name: str | None,
    set_: list[str] | None,
    file: Path | None,
    instrument: list[str] | None,
    method: str,
    as_json: bool,
) -> None:
    params = parse_assignments(set_ or [], numeric=not _converts_own_params(name))
    instruments = [parse_instrument(s) for s in instrument or []]
    if file is not None:
        if params:
            raise InvalidGameError("--set cannot be combined with --file; put params in the file")
        made, file_instruments = _load_file(file)
        instruments = file_instruments + instruments
        label = name or file.name
    elif name is None:
        raise InvalidGameError("give a game name (e.g. stag_hunt) or --file")
    else:
        made = _make(name, params)
        label = name
    if isinstance(made, tuple):  # a model
        model, mparams = made
        if instruments:
            raise InvalidGameError(f"{label} is a model; instruments apply only to games")
        results = model.evaluate(**{**dict(getattr(model, "defaults", {}) or {}), **mparams})
        if as_json:
            typer.echo(json.dumps({k: _jsonable(v) for k, v in dict(results).items()}, indent=2))
            return
        typer.echo(
            f"model: {label}"
            + (f"  [{getattr(model, 'citation', '')}]" if getattr(model, "citation", "") else "")
        )
        for k, v in dict(results).items():
            typer.echo(f"  {k}: {v}")
        return
    report = _solve_report(made, instruments, method)
    if as_json:
        typer.echo(json.dumps({k: _jsonable(v) for k, v in report.items()}, indent=2))
    else:
        _print_report(label, report)


def _jsonable(v: Any) -> Any:
    """Plain JSON: infinities as ``"inf"``/``"-inf"``, NaN as ``null``, NumPy scalars unwrapped."""
    if hasattr(v, "item") and not isinstance(v, dict | list | tuple):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    return v


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
    from gametheory.sweep import phase_diagram, resolve, sweep

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
            fixed=parse_assignments(set_ or [], numeric=not _converts_own_params(name)),
            instruments=[parse_instrument(s) for s in instrument or []],
        )
        frame.attrs["target"] = name
        if frame.attrs.get("kind") == "model":
            fig = _model_figure(frame, x, y, plot)
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


def _model_figure(frame: Any, x: str | None, y: str | None, column: str | None) -> Any:
    import numpy as np
    from matplotlib.figure import Figure

    grid = list(frame.attrs.get("grid") or [])

    def plottable(c: str) -> bool:  # numbers, or true/false drawn as 0/1
        return np.issubdtype(frame[c].dtype, np.number) or frame[c].dtype == bool

    numeric = [c for c in frame.columns if c not in grid and plottable(c)]
    column = column or (numeric[0] if numeric else None)
    if column is None or column not in frame.columns or not plottable(column):
        raise InvalidGameError(
            f"no numeric result column to plot (numeric: {', '.join(numeric) or 'none'}; "
            f"have {', '.join(frame.columns)})"
        )
    if frame[column].dtype == bool:
        frame = frame.assign(**{column: frame[column].astype(float)})
    varying = [k for k in grid if frame[k].nunique() > 1] or grid
    x = x or varying[0]
    fig = Figure(figsize=(6.4, 4.8), constrained_layout=True)
    ax = fig.add_subplot()
    if y is None and len(varying) > 1:
        y = next(k for k in varying if k != x)
    if y is None:
        data = frame.sort_values(x)
        ax.plot(data[x], data[column])
        ax.set_ylabel(column)
    else:
        z = frame.pivot_table(index=y, columns=x, values=column, aggfunc="first")
        mesh = ax.pcolormesh(z.columns.to_numpy(), z.index.to_numpy(), z.to_numpy(), shading="auto")
        fig.colorbar(mesh, ax=ax, label=column)
        ax.set_ylabel(y)
    ax.set_xlabel(x)
    ax.set_title(f"{frame.attrs.get('target', 'model')}: {column}")
    return fig


def register(app: typer.Typer) -> None:
    """Add the game-theory commands to the top-level CLI."""
    app.command("solve")(solve_command)
    app.command("sweep")(sweep_command)
