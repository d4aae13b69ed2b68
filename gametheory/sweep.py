"""Parameter sweeps and phase diagrams.

:func:`sweep` evaluates a game family (or a design, or any factory of games) with
optional instruments on the full Cartesian product of a parameter grid, solving and
classifying every cell in one pass of the 2x2 kernel
(:func:`gametheory.kernel2x2.analyse_2x2`). Families of :mod:`gametheory.games` are
built directly as arrays, so a grid of a million cells takes a fraction of a second;
designs and plain factories are called once per cell. The result is a tidy
DataFrame, one row per cell, with categorical labels. :func:`sweep_chunks` yields
the same frame in chunks, for grids of any size in bounded memory.

:func:`phase_diagram` draws the four phases of :data:`gametheory.kernel2x2.PHASES`
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
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from enforcement_lab.errors import InvalidGameError
from gametheory.games import FAMILIES, EnforcementGame, Family
from gametheory.instruments import Instrument
from gametheory.kernel2x2 import CLASSES, PHASES, PROFILE_LABELS, Analysis2x2, analyse_2x2

__all__ = [
    "MAX_CELLS",
    "PHASE_COLORS",
    "SweepFrame",
    "model_diagram",
    "phase_diagram",
    "resolve",
    "sweep",
    "sweep_chunks",
    "sweep_model",
]

#: Largest grid a sweep accepts (cells).
MAX_CELLS = 5_000_000
PHASE_COLORS = ("#d7301f", "#fdae61", "#a6d96a", "#1a9641")
#: Cells per chunk of :func:`sweep_chunks` (about 80 MB of payoffs, results and frame).
CHUNK_CELLS = 250_000
_CLASS_TYPE = pd.CategoricalDtype(list(CLASSES))
_PHASE_TYPE = pd.CategoricalDtype(list(PHASES))
_PROFILE_TYPE = pd.CategoricalDtype(list(PROFILE_LABELS))


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


def _axes(grid: Mapping[str, ArrayLike]) -> tuple[list[str], list[np.ndarray]]:
    """The grid's keys and validated axes (finite numbers, non-empty)."""
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
    return keys, axes


def _cells(
    keys: Sequence[str], axes: Sequence[np.ndarray], start: int, stop: int
) -> dict[str, np.ndarray]:
    """Parameter values of cells ``start..stop-1`` of the grid in C order (last key fastest)."""
    shape = tuple(a.size for a in axes)
    index = np.arange(start, stop, dtype=np.int64)
    coords = np.unravel_index(index, shape) if len(shape) > 1 else (index,)
    return {k: a[c] for k, a, c in zip(keys, axes, coords, strict=True)}


def _grid(grid: Mapping[str, ArrayLike]) -> tuple[list[str], dict[str, np.ndarray], int]:
    keys, axes = _axes(grid)
    cells = int(np.prod([a.size for a in axes], dtype=np.int64))
    if cells > MAX_CELLS:
        raise InvalidGameError(
            f"the grid has {cells} cells, more than the limit {MAX_CELLS} of one frame; "
            "sweep_chunks() sweeps it in chunks"
        )
    return keys, _cells(keys, axes, 0, cells), cells


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


@dataclasses.dataclass(frozen=True)
class _Plan:
    """A resolved sweep target: how to build the payoff stacks of any set of cells."""

    name: str
    target: Any
    fixed: dict[str, Any]
    instruments: tuple[Instrument, ...]
    game_keys: dict[str, str]
    routed: dict[int, dict[str, str]]
    citation: str

    def stacks(self, cells: Mapping[str, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
        """Payoff stacks ``(n, 2, 2)`` of the cells: vectorised for families and designs
        (their ``arrays`` broadcast over parameter arrays), per cell for other factories."""
        target, fixed, instruments = self.target, self.fixed, self.instruments
        if isinstance(target, Family) or (
            hasattr(target, "arrays") and hasattr(target, "builder")  # a design
        ):
            A, B = target.arrays(**fixed, **{p: cells[k] for p, k in self.game_keys.items()})
            A = np.broadcast_to(A, (n, 2, 2))
            B = np.broadcast_to(B, (n, 2, 2))
            for i, inst in enumerate(instruments):
                over: dict[str, Any] = {f: cells[k] for f, k in self.routed.get(i, {}).items()}
                A, B = (dataclasses.replace(inst, **over) if over else inst).transform(A, B)
            return np.broadcast_to(A, (n, 2, 2)), np.broadcast_to(B, (n, 2, 2))
        make: Callable[..., EnforcementGame] = getattr(target, "game", target)
        if not callable(make):
            raise InvalidGameError(f"cannot sweep {target!r}: not a family, design or factory")
        A = np.empty((n, 2, 2))
        B = np.empty((n, 2, 2))
        for c in range(n):
            game = make(**fixed, **{p: float(cells[k][c]) for p, k in self.game_keys.items()})
            if not isinstance(game, EnforcementGame) or game.shape != (2, 2):
                raise InvalidGameError(f"{self.name} did not return a 2x2 EnforcementGame")
            for i, inst in enumerate(instruments):
                over = {f: float(cells[k][c]) for f, k in self.routed.get(i, {}).items()}
                game = (dataclasses.replace(inst, **over) if over else inst).apply(game)
            A[c], B[c] = game.A, game.B
        return A, B


def _plan(
    target: Any,
    keys: Sequence[str],
    fixed: Mapping[str, Any] | None,
    instruments: Sequence[Instrument],
) -> _Plan:
    if isinstance(target, str):
        name = target
        target = resolve(target)
    else:
        name = getattr(target, "name", getattr(target, "__name__", type(target).__name__))
    for inst in instruments:
        if not isinstance(inst, Instrument):
            raise InvalidGameError(f"{inst!r} is not an instrument")
    defaults = getattr(target, "defaults", None)
    if isinstance(target, Family) or defaults is not None:
        own = set(defaults or {})
    else:  # plain callable: every key not taken by an instrument goes to it
        taken = {f for inst in instruments for f in inst.bounds}
        own = {k for k in keys if "." not in k and k not in taken}
        own |= {k[len("game.") :] for k in keys if k.startswith("game.")}
    game_keys, routed = _route(keys, own, instruments)
    return _Plan(
        name=name,
        target=target,
        fixed=dict(fixed or {}),
        instruments=tuple(instruments),
        game_keys=game_keys,
        routed=routed,
        citation=getattr(target, "citation", ""),
    )


class SweepFrame(pd.DataFrame):
    """The DataFrame :func:`sweep` returns, with a summary as its Jupyter display.

    It is a :class:`pandas.DataFrame` in every other way, and so are the frames derived
    from it (slices, copies, concatenations of chunks), as pandas' subclassing guide
    prescribes: their display summarises what they hold
    (:func:`gametheory.display.sweep_html`), or is pandas' own table when they no longer
    hold the phase codes.
    """

    @property
    def _constructor(self) -> type[SweepFrame]:
        return SweepFrame

    def _repr_html_(self) -> str | None:
        if "phase_code" not in self.columns or self.attrs.get("kind") != "game":
            return super()._repr_html_()
        from gametheory.display import sweep_html

        return sweep_html(self)


def _frame(cells: Mapping[str, np.ndarray], res: Analysis2x2) -> SweepFrame:
    """The sweep's columns from the kernel's arrays; labels are categorical codes."""
    from_codes = pd.Categorical.from_codes
    frame = SweepFrame(
        {
            **cells,
            "n_equilibria": res.count,
            "degenerate": res.degenerate,
            "continuum": res.continuum,
            "game_class": from_codes(res.game_class, dtype=_CLASS_TYPE, validate=False),
            "comply_equilibrium": res.pure[:, 0, 0],
            "defect_equilibrium": res.pure[:, 1, 1],
            "risk_dominant": from_codes(res.risk_dominant + 2, dtype=_PROFILE_TYPE, validate=False),
            "payoff_dominant": from_codes(
                res.payoff_dominant + 2, dtype=_PROFILE_TYPE, validate=False
            ),
            "q_star_row": res.q_star[:, 0],
            "q_star_col": res.q_star[:, 1],
            "basin_row": res.basin,
            "phase": from_codes(res.phase, dtype=_PHASE_TYPE, validate=False),
            "phase_code": res.phase,
        },
        copy=False,
    )
    return frame


def _attrs(plan: _Plan, keys: Sequence[str]) -> dict[str, Any]:
    return {
        "target": plan.name,
        "citation": plan.citation,
        "grid": list(keys),
        "fixed": plan.fixed,
        "instruments": [repr(i) for i in plan.instruments],
        "kind": "game",
    }


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
        The grid columns (C order: the last key varies fastest), then
        ``n_equilibria``, ``degenerate``, ``continuum``, ``game_class``,
        ``comply_equilibrium``, ``defect_equilibrium``, ``risk_dominant``,
        ``payoff_dominant``, ``q_star_row``, ``q_star_col``, ``basin_row``
        (``1 - q_star_row``), ``phase`` and ``phase_code``. The labels
        (``game_class``, ``risk_dominant``, ``payoff_dominant``, ``phase``) are
        categorical; all come from one pass of :func:`gametheory.kernel2x2.analyse_2x2`.
        Grids above :data:`MAX_CELLS` cells go through :func:`sweep_chunks`.
    """
    resolved = resolve(target) if isinstance(target, str) else target
    if hasattr(resolved, "evaluate") and not hasattr(resolved, "game"):
        return sweep_model(resolved, grid, fixed=fixed)
    keys, cells, n = _grid(grid)
    plan = _plan(target, keys, fixed, instruments)
    frame = _frame(cells, analyse_2x2(*plan.stacks(cells, n), tol=tol))
    frame.attrs.update(_attrs(plan, keys))
    return frame


def sweep_chunks(
    target: Any,
    grid: Mapping[str, ArrayLike],
    *,
    fixed: Mapping[str, Any] | None = None,
    instruments: Sequence[Instrument] = (),
    tol: float = 1e-9,
    chunk_cells: int = CHUNK_CELLS,
) -> Iterator[pd.DataFrame]:
    """:func:`sweep` of a grid of any size, one frame of ``chunk_cells`` cells at a time.

    The frames are consecutive slices of what :func:`sweep` would return (same columns,
    index continuing from chunk to chunk), computed lazily: memory stays at one chunk's
    payoffs, results and frame (about 100 bytes per cell) whatever the grid's size, so
    a consumer that aggregates (phase shares, thresholds) or appends each chunk to a
    file sweeps 10^8 cells in a few hundred MB.

    >>> from gametheory.instruments import Sanction
    >>> chunks = sweep_chunks("stag_hunt", {"size": [0.0, 2.0, 4.0]},
    ...                       instruments=[Sanction(probability=1.0)], chunk_cells=2)
    >>> [c["phase"].tolist() for c in chunks]
    [['coordination', 'compliance risk-dominant'], ['compliance dominant']]
    """
    resolved = resolve(target) if isinstance(target, str) else target
    if hasattr(resolved, "evaluate") and not hasattr(resolved, "game"):
        raise InvalidGameError("sweep_chunks sweeps games; evaluate a model with sweep()")
    chunk_cells = int(chunk_cells)
    if chunk_cells < 1:
        raise InvalidGameError(f"chunk_cells must be a positive integer, got {chunk_cells}")
    keys, axes = _axes(grid)
    total = int(np.prod([a.size for a in axes], dtype=np.int64))
    plan = _plan(target, keys, fixed, instruments)
    attrs = _attrs(plan, keys)

    def chunks() -> Iterator[pd.DataFrame]:
        for start in range(0, total, chunk_cells):
            stop = min(start + chunk_cells, total)
            cells = _cells(keys, axes, start, stop)
            frame = _frame(cells, analyse_2x2(*plan.stacks(cells, stop - start), tol=tol))
            frame.index = pd.RangeIndex(start, stop)
            frame.attrs.update(attrs)
            yield frame

    return chunks()


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
    from matplotlib.colors import ListedColormap, Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    if "phase_code" not in frame.columns:
        raise InvalidGameError("phase_diagram needs the result of sweep() on a game")
    grid = list(frame.attrs.get("grid") or [])
    varying = [k for k in grid if _varies(frame[k].to_numpy())]
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
        # fixed margins: a constrained layout would take half the drawing time of an
        # interactive redraw, for a layout that never changes
        fig = Figure(figsize=(6.4, 4.8))
        fig.subplots_adjust(left=0.11, right=0.97, bottom=0.11, top=0.92)
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    cmap = ListedColormap(PHASE_COLORS)
    # code c maps to (c + 0.5) / 4, the middle of its colour's quarter of the colour
    # map: the lookup is arithmetic, where bins would search their boundaries per pixel
    norm = Normalize(vmin=-0.5, vmax=len(PHASES) - 0.5)
    code = frame["phase_code"].to_numpy()
    xs, ix = _distinct(frame[x].to_numpy())
    if y is None:
        ys, iy = np.zeros(1), np.zeros_like(ix)
    else:
        ys, iy = _distinct(frame[y].to_numpy())
    z = np.full((ys.size, xs.size), np.nan)
    z[iy[::-1], ix[::-1]] = code[::-1]  # the first cell wins where a pair repeats
    x_edges = _edges(xs)
    y_edges = np.array([0.0, 1.0]) if y is None else _edges(ys)
    if _even(x_edges) and _even(y_edges):  # an image: far faster to draw than a mesh
        ax.imshow(
            z,
            cmap=cmap,
            norm=norm,
            origin="lower",
            extent=(x_edges[0], x_edges[-1], y_edges[0], y_edges[-1]),
            aspect="auto",
            interpolation="nearest",
            # resample the codes, then colour the pixels: with nearest-neighbour
            # sampling the picture that colouring the cells and resampling their four
            # colour channels gives, in about a third of the time
            interpolation_stage="data",
        )
    else:
        ax.pcolormesh(x_edges, y_edges, z, cmap=cmap, norm=norm, shading="flat")
    if y is None:
        ax.set_yticks([])
    else:
        ax.set_ylabel(y)
    ax.set_xlabel(x)
    present = np.flatnonzero(np.bincount(code, minlength=len(PHASES))).tolist()
    ax.legend(
        handles=[Patch(color=PHASE_COLORS[c], label=PHASES[c]) for c in present],
        loc="upper left",
        fontsize="small",
        framealpha=0.9,
    )
    # at a fixed height: automatic placement lays out every tick label a second time
    ax.set_title(title or f"{frame.attrs.get('target', 'game')}: compliance phases", y=1.0)
    return fig


def _varies(values: np.ndarray) -> bool:
    """Whether a grid column holds more than one value."""
    return values.size > 1 and bool(np.any(values[1:] != values[0]))


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A grid column's distinct values in increasing order, and each row's index into
    them (``np.unique(values, return_inverse=True)`` by hashing instead of sorting every
    row: a third of the time on a 200 x 200 grid)."""
    index, distinct = pd.factorize(values, sort=True, use_na_sentinel=False)
    return np.asarray(distinct, dtype=float), index


def _even(edges: np.ndarray) -> bool:
    """Whether cell edges are equally spaced (to a relative 1e-6 of the spacing)."""
    steps = np.diff(edges)
    return bool(np.all(np.abs(steps - steps[0]) <= 1e-6 * abs(steps[0])))


def _edges(values: np.ndarray) -> np.ndarray:
    if values.size == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    mid = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])


def model_diagram(
    frame: pd.DataFrame, x: str | None = None, y: str | None = None, column: str | None = None
) -> Any:
    """Draw one result column of a model's :func:`sweep`: a line over one varying grid
    axis, a colour mesh over two.

    ``column`` defaults to the first numeric result (true/false results are drawn as
    1/0). Returns the matplotlib :class:`~matplotlib.figure.Figure` (created without
    pyplot).
    """
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
