"""``enforcement-lab solve``.

``solve NAME [--set key=value ...] [--instrument SPEC ...]`` (or ``--file game.toml``)
prints the payoffs, the equilibria, the class, risk and payoff dominance, ``q*`` and
the compliance thresholds of one game (:func:`gametheory.report.game_report`); for a
model it prints the model's results. A game file is read by
:func:`gametheory.games.read_game_file`, which documents its layout.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from enforcement_lab.cli._support import converts_own_params, parse_assignments, parse_instrument
from enforcement_lab.errors import InvalidGameError

__all__ = ["register"]


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
    from gametheory.games import read_game_file
    from gametheory.report import game_report
    from gametheory.sweep import resolve

    params = parse_assignments(set_ or [], numeric=not converts_own_params(name))
    instruments = [parse_instrument(s) for s in instrument or []]
    model: Any = None  # a family or design gives a game; a model is evaluated instead
    if file is not None:
        if params:
            raise InvalidGameError("--set cannot be combined with --file; put params in the file")
        game, file_instruments = read_game_file(file)
        instruments = file_instruments + instruments
        label = name or file.name
    elif name is None:
        raise InvalidGameError("give a game name (e.g. stag_hunt) or --file")
    else:
        target = resolve(name)
        if hasattr(target, "game"):
            game = target.game(**params)
        else:
            model = target
        label = name
    if model is not None:
        if instruments:
            raise InvalidGameError(f"{label} is a model; instruments apply only to games")
        results = model.evaluate(**{**dict(getattr(model, "defaults", {}) or {}), **params})
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
    # equilibria() refuses an unknown method by name, as a user error
    report = game_report(game, instruments, method)  # type: ignore[arg-type]
    if as_json:
        typer.echo(json.dumps({k: _jsonable(v) for k, v in report.to_dict().items()}, indent=2))
    else:
        typer.echo(report.to_text(label))


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
