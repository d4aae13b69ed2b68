"""``enforcement-lab solve``.

``solve NAME [--set key=value ...] [--instrument SPEC ...]`` (or ``--file game.toml``)
prints the payoffs, the equilibria, the class, risk and payoff dominance, ``q*`` and
the compliance thresholds of one game; for a model it prints the model's results.

An instrument is written ``name:field=value,field=value`` (``sanction:probability=0.5,
size=2,players=row``); names are those of :data:`gametheory.instruments.INSTRUMENTS`.
A game file (TOML or JSON) holds either ``A`` and ``B`` (lists of rows, with optional
``row_labels``, ``col_labels`` and ``source``) or ``family = "stag_hunt"`` with a
``[params]`` table, and optionally a list ``instruments`` of tables with a ``type``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from enforcement_lab.cli._support import (
    _converts_own_params,
    _instrument_from_table,
    _number,
    parse_assignments,
    parse_instrument,
)
from enforcement_lab.errors import InvalidGameError

__all__ = ["register"]


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


def register(app: typer.Typer) -> None:
    """Add ``solve`` to the top-level CLI."""
    app.command("solve")(solve_command)
