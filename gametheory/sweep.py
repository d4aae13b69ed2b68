"""Parameter sweeps and phase diagrams.

:func:`sweep` evaluates a game family (or a design, or any factory of games) with
optional instruments on the full Cartesian product of a parameter grid, solving
every cell with :func:`gametheory.solve.equilibria_2x2` and the vectorised selection
functions. Families of :mod:`gametheory.games` are built directly as arrays, so a
grid of a million cells takes about a second; designs and plain factories are
called once per cell. The result is a tidy DataFrame, one row per cell.

:func:`phase_diagram` draws the four phases of :data:`gametheory.selection.PHASES`
over two grid axes.

Names (:func:`resolve`) are looked up in this order: a family of
:data:`gametheory.games.FAMILIES`; a design in ``gametheory.designs.DESIGNS``; a
model in ``gametheory.models.MODELS``. The last two modules are optional; a
missing one is skipped.

Examples
--------
>>> from gametheory.instruments import Sanction
>>> df = sweep("stag_hunt", {"size": [0.0, 2.0, 4.0]}, instruments=[Sanction(probability=1.0)])
>>> df[["size", "phase", "n_equilibria"]].values.tolist()
[[0.0, 'coordination', 3], [2.0, 'compliance risk-dominant', 3], [4.0, 'compliance dominant', 1]]
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from enforcement_lab.errors import InvalidGameError
from gametheory.games import FAMILIES, EnforcementGame, Family
from gametheory.instruments import Instrument
from gametheory.selection import (
    CLASSES,
    PHASES,
    classify_2x2,
    mixed_threshold_2x2,
    payoff_dominant_2x2,
    phase_2x2,
    risk_dominant_2x2,
)
from gametheory.solve import equilibria_2x2

__all__ = ["MAX_CELLS", "PHASE_COLORS", "phase_diagram", "resolve", "sweep", "sweep_model"]

#: Largest grid a sweep accepts (cells).
MAX_CELLS = 5_000_000
PHASE_COLORS = ("#d7301f", "#fdae61", "#a6d96a", "#1a9641")
_PROFILE_LABELS = {
    0: "comply",
    1: "comply/defect",
    2: "defect/comply",
    3: "defect",
    -1: "none",
    -2: "tie",
}


def _registry(module: str, attr: str) -> Mapping[str, Any]:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return {}
        raise
    return getattr(mod, attr, {}) or {}


def known_names() -> dict[str, str]:
    """Every resolvable name with its kind (family, design or model)."""
    out = {name: "family" for name in FAMILIES}
    for name in _registry("gametheory.designs", "DESIGNS"):
        out.setdefault(name, "design")
    for name in _registry("gametheory.models", "MODELS"):
        out.setdefault(name, "model")
    return out


def resolve(name: str) -> Any:
    """The family, design or model called ``name`` (in that order of precedence).

    >>> resolve("stag_hunt").name
    'stag_hunt'
    """
    if name in FAMILIES:
        return FAMILIES[name]
    designs = _registry("gametheory.designs", "DESIGNS")
    if name in designs:
        return designs[name]
    models = _registry("gametheory.models", "MODELS")
    if name in models:
        return models[name]
    known = ", ".join(sorted(known_names()))
    raise InvalidGameError(f"unknown game, design or model {name!r}; known: {known}")


def _grid(grid: Mapping[str, ArrayLike]) -> tuple[list[str], dict[str, np.ndarray], int]:
    if not grid:
        raise InvalidGameError("the grid is empty: give at least one parameter with values")
    keys = list(grid)
    axes = []
    for key in keys:
        try:
            values = np.asarray(grid[key], dtype=float).ravel()
        except (TypeError, ValueError):
            raise InvalidGameError(f"grid values of {key!r} are not numbers") from None
        if values.size == 0:
            raise InvalidGameError(f"grid values of {key!r} are empty")
        if not np.all(np.isfinite(values)):
            raise InvalidGameError(f"grid values of {key!r} are not all finite")
        axes.append(values)
    cells = int(np.prod([a.size for a in axes], dtype=np.int64))
    if cells > MAX_CELLS:
        raise InvalidGameError(f"the grid has {cells} cells, more than the limit {MAX_CELLS}")
    mesh = np.meshgrid(*axes, indexing="ij")
    return keys, {k: m.ravel() for k, m in zip(keys, mesh, strict=True)}, cells


def _route(
    keys: Sequence[str], own: set[str], instruments: Sequence[Instrument]
) -> tuple[dict[str, str], dict[int, dict[str, str]]]:
    """Split grid keys between the game's own parameters and instrument fields.

    Returns ``{game parameter: grid key}`` and, per instrument index,
    ``{field: grid key}``. ``"game.<name>"`` forces a game parameter; an unqualified
    key that names both a game parameter and an instrument field is an error rather
    than a silent choice.
    """
    game_keys: dict[str, str] = {}
    routed: dict[int, dict[str, str]] = {}
    for key in keys:
        prefix, _, field = key.rpartition(".")
        if prefix == "game":
            if field not in own:
                raise InvalidGameError(
                    f"grid parameter {key!r}: the game has no parameter {field!r}; "
                    f"its parameters are {', '.join(sorted(own)) or 'none'}"
                )
            game_keys[field] = key
            continue
        matches = [
            i
            for i, inst in enumerate(instruments)
            if field in inst.bounds and (not prefix or prefix in (inst.name, type(inst).__name__))
        ]
        if key in own:
            if matches:
                inst = instruments[matches[0]]
                raise InvalidGameError(
                    f"grid parameter {key!r} is both a game parameter and a field of "
                    f"{inst.name}; write 'game.{key}' or '{inst.name}.{key}'"
                )
            game_keys[key] = key
            continue
        if not matches:
            names = sorted(own | {f for inst in instruments for f in inst.bounds})
            raise InvalidGameError(
                f"grid parameter {key!r} is neither a game parameter nor an instrument "
                f"field; available: {', '.join(names) or 'none'}"
            )
        if len(matches) > 1:
            raise InvalidGameError(
                f"grid parameter {key!r} matches several instruments; qualify it, "
                f"e.g. '{instruments[matches[0]].name}.{field}'"
            )
        routed.setdefault(matches[0], {})[field] = key
    return game_keys, routed


def sweep(
    target: Any,
    grid: Mapping[str, ArrayLike],
    *,
    fixed: Mapping[str, Any] | None = None,
    instruments: Sequence[Instrument] = (),
    tol: float = 1e-9,
) -> pd.DataFrame:
    """Solve and classify a game on every cell of a parameter grid.

    Parameters
    ----------
    target : str, Family, design, or callable
        A name (see :func:`resolve`), a :class:`~gametheory.games.Family`, an object
        with ``.game(**params) -> EnforcementGame`` (a design), or a callable
        ``f(**params) -> EnforcementGame``.
    grid : mapping of str to array_like
        Values per parameter; the sweep covers their Cartesian product. A key names a
        parameter of the target or a field of one of ``instruments`` (qualify it as
        ``"sanction.size"`` when several instruments share the field). A name that is
        both a parameter of the target and an instrument field (``value`` of
        ``race_to_the_bottom`` and of a conditional benefit) must be qualified, as
        ``"game.value"`` or ``"benefit.value"``. For a plain callable, whose parameters
        are not known in advance, such a name goes to the instrument unless written
        ``"game.<name>"``.
    fixed : mapping, optional
        Parameters of the target held fixed.
    instruments : sequence of Instrument
        Applied in order to every cell's game; grid keys override their fields.
    tol : float
        Payoff differences within ``tol`` count as ties (see :mod:`gametheory.solve`).

    Returns
    -------
    pandas.DataFrame
        The grid columns, then ``n_equilibria``, ``degenerate``, ``continuum``,
        ``game_class``, ``comply_equilibrium``, ``defect_equilibrium``,
        ``risk_dominant``, ``payoff_dominant``, ``q_star_row``, ``q_star_col``,
        ``basin_row`` (``1 - q_star_row``), ``phase`` and ``phase_code``.
    """
    if isinstance(target, str):
        name = target
        target = resolve(target)
    else:
        name = getattr(target, "name", getattr(target, "__name__", type(target).__name__))
    if hasattr(target, "evaluate") and not hasattr(target, "game"):
        return sweep_model(target, grid, fixed=fixed)
    for inst in instruments:
        if not isinstance(inst, Instrument):
            raise InvalidGameError(f"{inst!r} is not an instrument")
    fixed = dict(fixed or {})
    keys, cells, n = _grid(grid)
    defaults = getattr(target, "defaults", None)
    if isinstance(target, Family) or defaults is not None:
        own = set(defaults or {})
    else:  # plain callable: every key not taken by an instrument goes to it
        taken = {f for inst in instruments for f in inst.bounds}
        own = {k for k in keys if "." not in k and k not in taken}
        own |= {k[len("game.") :] for k in keys if k.startswith("game.")}
    game_keys, routed = _route(keys, own, instruments)

    if isinstance(target, Family):
        A, B = target.arrays(**fixed, **{p: cells[k] for p, k in game_keys.items()})
        A = np.broadcast_to(A, (n, 2, 2))
        B = np.broadcast_to(B, (n, 2, 2))
        for i, inst in enumerate(instruments):
            over = {f: cells[k] for f, k in routed.get(i, {}).items()}
            A, B = (dataclasses.replace(inst, **over) if over else inst).transform(A, B)
        A = np.broadcast_to(A, (n, 2, 2))
        B = np.broadcast_to(B, (n, 2, 2))
        citation = target.citation
    else:
        make: Callable[..., EnforcementGame] = getattr(target, "game", target)
        if not callable(make):
            raise InvalidGameError(f"cannot sweep {target!r}: not a family, design or factory")
        A = np.empty((n, 2, 2))
        B = np.empty((n, 2, 2))
        for c in range(n):
            game = make(**fixed, **{p: float(cells[k][c]) for p, k in game_keys.items()})
            if not isinstance(game, EnforcementGame) or game.shape != (2, 2):
                raise InvalidGameError(f"{name} did not return a 2x2 EnforcementGame")
            for i, inst in enumerate(instruments):
                over = {f: float(cells[k][c]) for f, k in routed.get(i, {}).items()}
                game = (dataclasses.replace(inst, **over) if over else inst).apply(game)
            A[c], B[c] = game.A, game.B
        citation = getattr(target, "citation", "")

    res = equilibria_2x2(A, B, tol=tol)
    q = mixed_threshold_2x2(A, B, tol=tol)
    frame = pd.DataFrame({k: cells[k] for k in keys})
    frame["n_equilibria"] = res.count
    frame["degenerate"] = res.degenerate
    frame["continuum"] = res.continuum
    frame["game_class"] = np.asarray(CLASSES, dtype=object)[classify_2x2(A, B, tol=tol)]
    frame["comply_equilibrium"] = res.pure[:, 0, 0]
    frame["defect_equilibrium"] = res.pure[:, 1, 1]
    rd = risk_dominant_2x2(A, B, tol=tol)
    pdm = payoff_dominant_2x2(A, B, tol=tol)
    frame["risk_dominant"] = pd.Series(rd).map(_PROFILE_LABELS).to_numpy()
    frame["payoff_dominant"] = pd.Series(pdm).map(_PROFILE_LABELS).to_numpy()
    frame["q_star_row"] = q[:, 0]
    frame["q_star_col"] = q[:, 1]
    frame["basin_row"] = 1.0 - q[:, 0]
    code = phase_2x2(A, B, tol=tol)
    frame["phase"] = np.asarray(PHASES, dtype=object)[code]
    frame["phase_code"] = code
    frame.attrs.update(
        {
            "target": name,
            "citation": citation,
            "grid": keys,
            "fixed": fixed,
            "instruments": [repr(i) for i in instruments],
            "kind": "game",
        }
    )
    return frame


def sweep_model(
    model: Any, grid: Mapping[str, ArrayLike], *, fixed: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Evaluate a model (``.evaluate(**params) -> dict`` of scalars) on every grid cell.

    A cell whose parameters the model rejects (an :class:`InvalidGameError`, e.g. a
    threshold ``M`` above the group size ``N``) gets missing results and its message in the
    column ``invalid``; the sweep raises only if every cell is invalid. A result named like
    a grid key raises.

    >>> from gametheory.models import MODELS
    >>> frame = sweep_model(MODELS["n_player_threshold"], {"N": [4, 8], "M": [6]})
    >>> frame["invalid"].notna().tolist()
    [True, False]
    """
    keys, cells, n = _grid(grid)
    params = {**dict(getattr(model, "defaults", {}) or {}), **dict(fixed or {})}
    rows: list[dict[str, Any]] = []
    invalid: list[str | None] = []
    for c in range(n):
        try:
            out = model.evaluate(**{**params, **{k: float(cells[k][c]) for k in keys}})
        except InvalidGameError as err:
            rows.append({})
            invalid.append(str(err))
            continue
        if not isinstance(out, Mapping):
            raise InvalidGameError(f"model {model!r} did not return a mapping of results")
        clash = sorted(set(out) & set(keys))
        if clash:
            raise InvalidGameError(
                f"model {getattr(model, 'name', model)!r} returns results named like grid "
                f"keys: {', '.join(clash)}"
            )
        rows.append(dict(out))
        invalid.append(None)
    if all(msg is not None for msg in invalid):
        raise InvalidGameError(f"every cell of the grid is invalid; the first: {invalid[0]}")
    frame = pd.concat([pd.DataFrame({k: cells[k] for k in keys}), pd.DataFrame(rows)], axis=1)
    if any(msg is not None for msg in invalid):
        frame["invalid"] = pd.Series(invalid, dtype=object)
    frame.attrs.update(
        {
            "target": getattr(model, "name", type(model).__name__),
            "citation": getattr(model, "citation", ""),
            "grid": keys,
            "fixed": dict(fixed or {}),
            "kind": "model",
        }
    )
    return frame


def phase_diagram(
    frame: pd.DataFrame,
    x: str | None = None,
    y: str | None = None,
    *,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Draw the phases of a :func:`sweep` result over one or two grid axes.

    Returns the matplotlib :class:`~matplotlib.figure.Figure` (created without
    pyplot unless ``ax`` is given). Grid columns other than ``x`` and ``y`` must be
    constant.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    if "phase_code" not in frame.columns:
        raise InvalidGameError("phase_diagram needs the result of sweep() on a game")
    grid = list(frame.attrs.get("grid") or [])
    varying = [k for k in grid if frame[k].nunique() > 1]
    x = x or (varying[0] if varying else (grid[0] if grid else None))
    if x is None or x not in frame.columns:
        raise InvalidGameError(f"x axis {x!r} is not a grid column")
    if y is None and len(varying) > 1:
        y = next(k for k in varying if k != x)
    if y is not None and y not in frame.columns:
        raise InvalidGameError(f"y axis {y!r} is not a grid column")
    others = [k for k in varying if k not in (x, y)]
    if others:
        raise InvalidGameError(
            f"grid columns {', '.join(others)} vary too; slice the frame or choose them as axes"
        )
    if ax is None:
        fig = Figure(figsize=(6.4, 4.8), constrained_layout=True)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    cmap = ListedColormap(PHASE_COLORS)
    norm = BoundaryNorm(np.arange(-0.5, len(PHASES) + 0.5), cmap.N)
    xs = np.sort(frame[x].unique())
    if y is None:
        z = frame.groupby(x)["phase_code"].first().reindex(xs).to_numpy()[None, :]
        ax.pcolormesh(_edges(xs), [0, 1], z, cmap=cmap, norm=norm, shading="flat")
        ax.set_yticks([])
    else:
        ys = np.sort(frame[y].unique())
        z = frame.pivot_table(index=y, columns=x, values="phase_code", aggfunc="first")
        z = z.reindex(index=ys, columns=xs).to_numpy()
        ax.pcolormesh(_edges(xs), _edges(ys), z, cmap=cmap, norm=norm, shading="flat")
        ax.set_ylabel(y)
    ax.set_xlabel(x)
    present = sorted(set(frame["phase_code"].astype(int)))
    ax.legend(
        handles=[Patch(color=PHASE_COLORS[c], label=PHASES[c]) for c in present],
        loc="upper left",
        fontsize="small",
        framealpha=0.9,
    )
    ax.set_title(title or f"{frame.attrs.get('target', 'game')}: compliance phases")
    return fig


def _edges(values: np.ndarray) -> np.ndarray:
    if values.size == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    mid = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])
