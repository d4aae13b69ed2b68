"""Rich displays of the game-theory objects in Jupyter: one home for their HTML.

Each object keeps a short plain-text ``__repr__``; Jupyter shows the HTML of
``_repr_html_``, which the objects delegate to the functions below. The HTML is plain
``<table>`` markup with a few classes (``el-game``, ``el-equilibria``, ...), no scripts and
no external styles, so it renders the same in JupyterLab, in the built docs and in an
exported notebook. Every string that comes from user data (labels, parameters, sources)
is escaped.

Markers in a game's bimatrix:

- ``★`` a pure Nash equilibrium (weak equilibria included);
- ``RD`` the risk-dominant equilibrium of a 2x2 game (Harsanyi and Selten's product of
  deviation losses), ``PD`` the payoff-dominant one.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from gametheory.designs import Design
    from gametheory.games import EnforcementGame
    from gametheory.instruments import Instrument
    from gametheory.solve import Equilibria2x2, EquilibriumSet

#: Inline style shared by every table (a thin rule, right-aligned numbers).
_STYLE = "border-collapse:collapse;text-align:right"
_CELL = "padding:2px 8px;border:1px solid #ccc"


def esc(value: object) -> str:
    """HTML-escape ``str(value)``."""
    return html.escape(str(value), quote=True)


def number(value: object, digits: int = 4) -> str:
    """A number in ``digits`` significant digits (``g`` format); other values as text."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        v = float(value)
        return "NaN" if np.isnan(v) else f"{v:.{digits}g}"
    return str(value)


def table(
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    *,
    cls: str,
    caption: str = "",
    raw_cells: bool = False,
) -> str:
    """An HTML table: ``header`` cells, then ``rows``; cells escaped unless ``raw_cells``.

    Examples
    --------
    >>> print(table(["a", "b"], [[1, "<x>"]], cls="demo"))  # doctest: +ELLIPSIS
    <table class="demo" ...><thead><tr><th ...>a</th><th ...>b</th></tr></thead><tbody><tr><td ...>1</td><td ...>&lt;x&gt;</td></tr></tbody></table>
    """
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    head = "".join(f'<th style="{_CELL}">{esc(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(f'<td style="{_CELL}">{c if raw_cells else esc(c)}</td>' for c in row)
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="{esc(cls)}" style="{_STYLE}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _params_line(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {number(v)}" for k, v in params.items() if v is not None)


def game_html(game: EnforcementGame) -> str:
    """The bimatrix with its pure equilibria and (for 2x2 games) risk/payoff dominance marked."""
    from gametheory.solve import equilibria_2x2

    m, n = game.shape
    pure: set[tuple[int, int]] = set()
    marks: dict[tuple[int, int], list[str]] = {}
    if (m, n) == (2, 2):
        from gametheory.selection import payoff_dominant, risk_dominant

        res = equilibria_2x2(game.A[None], game.B[None])
        pure = {(i, j) for i in range(2) for j in range(2) if res.pure[0, i, j]}
        rd, pd_ = risk_dominant(game), payoff_dominant(game)
        if isinstance(rd, tuple):
            marks.setdefault(rd, []).append("RD")
        if isinstance(pd_, tuple):
            marks.setdefault(pd_, []).append("PD")
    else:
        A, B = game.A, game.B
        pure = {
            (i, j)
            for i in range(m)
            for j in range(n)
            if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max()
        }
    rows = []
    for i in range(m):
        cells = [f"<b>{esc(game.row_labels[i])}</b>"]
        for j in range(n):
            text = f"{number(game.A[i, j])}, {number(game.B[i, j])}"
            tags = (["★"] if (i, j) in pure else []) + marks.get((i, j), [])
            cell = esc(text)
            if (i, j) in pure:
                cell = f"<b>{cell}</b>"
            if tags:
                cell += f' <span class="el-mark">{esc(" ".join(tags))}</span>'
            cells.append(cell)
        rows.append(cells)
    caption_parts = [f"{m}x{n} game (row payoff, column payoff)"]
    if game.params:
        caption_parts.append(_params_line(game.params))
    notes = "★ pure Nash equilibrium" + (
        "; RD risk-dominant, PD payoff-dominant" if (m, n) == (2, 2) else ""
    )
    source = f"<br><small>source: {esc(game.source)}</small>" if game.source else ""
    return (
        table(
            ["", *game.col_labels],
            rows,
            cls="el-game",
            caption="; ".join(caption_parts),
            raw_cells=True,
        )
        + f"<small>{esc(notes)}</small>{source}"
    )


def _strategy(x: np.ndarray, labels: tuple[str, ...]) -> str:
    if np.isclose(x.max(), 1.0):
        return labels[int(x.argmax())]
    return ", ".join(f"{lab} {number(p, 3)}" for lab, p in zip(labels, x, strict=True))


def equilibrium_set_html(eqs: EquilibriumSet) -> str:
    """One row per equilibrium: both strategies, both payoffs, pure or mixed."""
    g = eqs.game
    rows = []
    for k, (x, y) in enumerate(eqs.equilibria, start=1):
        u, w = g.payoff(x, y)
        kind = "pure" if np.isclose(x.max(), 1.0) and np.isclose(y.max(), 1.0) else "mixed"
        rows.append(
            [k, _strategy(x, g.row_labels), _strategy(y, g.col_labels), number(u), number(w), kind]
        )
    notes = [f"method: {eqs.method}"]
    if eqs.degenerate:
        notes.append("degenerate game" + (f": {eqs.note}" if eqs.note else ""))
    if eqs.continuum:
        notes.append("the equilibrium set is a continuum; its extreme points are listed")
    return table(
        ["#", "row player", "column player", "row payoff", "column payoff", "kind"],
        rows,
        cls="el-equilibria",
        caption=f"{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}; " + "; ".join(notes),
    )


#: At most this many games of a stack are listed in its HTML display.
MAX_GAMES_SHOWN = 20


def equilibria_2x2_html(res: Equilibria2x2) -> str:
    """A compact table of a stack of 2x2 solutions (the first :data:`MAX_GAMES_SHOWN`)."""
    n = len(res)
    rows = []
    for k in range(min(n, MAX_GAMES_SHOWN)):
        pure = [f"({i},{j})" for i in range(2) for j in range(2) if res.pure[k, i, j]]
        rows.append(
            [
                k,
                int(res.count[k]),
                " ".join(pure) or "-",
                number(res.p[k], 4),
                number(res.q[k], 4),
                "yes" if res.degenerate[k] else "no",
                "yes" if res.continuum[k] else "no",
            ]
        )
    shown = "" if n <= MAX_GAMES_SHOWN else f" (first {MAX_GAMES_SHOWN} shown)"
    totals = (
        f"{n} games{shown}; {int((res.count == 1).sum())} with one equilibrium, "
        f"{int((res.count >= 3).sum())} with three or more, {int(res.degenerate.sum())} degenerate"
    )
    return table(
        [
            "game",
            "equilibria",
            "pure profiles",
            "p (mixed)",
            "q (mixed)",
            "degenerate",
            "continuum",
        ],
        rows,
        cls="el-equilibria-2x2",
        caption=totals,
    )


def _field_values(obj: Any) -> dict[str, Any]:
    if is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in fields(obj)}
    return dict(vars(obj))


def instrument_html(inst: Instrument) -> str:
    """An instrument's fields, its net shift on compliance (if additive) and its citation."""
    values = _field_values(inst)
    rows = [[k, number(v) if not isinstance(v, str) else v] for k, v in values.items()]
    shift = inst.shift
    if shift is not None and np.ndim(shift) == 0:
        rows.append(["net shift on compliance", number(float(shift))])
    cite = f"<br><small>source: {esc(inst.citation)}</small>" if inst.citation else ""
    return table(["field", "value"], rows, cls="el-instrument", caption=type(inst).__name__) + cite


def design_html(design: Design) -> str:
    """A design: description, parameters with defaults and ranges, instruments, citation."""
    rows = []
    for key, default in design.defaults.items():
        lo_hi = design.ranges.get(key)
        rng = f"{number(lo_hi[0])} to {number(lo_hi[1])}" if lo_hi else "-"
        lever = "lever" if key == design.lever else ""
        rows.append([key, number(default), rng, lever])
    instruments = ", ".join(type(i).__name__ for i in design.instruments()) or "none"
    return (
        f'<div class="el-design"><b>{esc(design.name)}</b>: {esc(design.description)}'
        + table(
            ["parameter", "default", "plausible range", ""],
            rows,
            cls="el-design-params",
            caption=f"instruments at the defaults: {instruments}",
        )
        + f"<small>source: {esc(design.citation)}</small></div>"
    )


#: The inline phase map of a sweep is at most this many pixels per axis (grids are strided).
MAX_MAP_CELLS = 400


def _phase_map(frame: Any, varying: list[str]) -> str:
    """A small inline PNG of the phase codes over one or two grid axes, or ``""``.

    Drawn pixel per cell from the codes (no axes or text: a thumbnail beside the
    table, not a figure), so it costs milliseconds; :func:`gametheory.sweep.phase_diagram`
    draws the labelled figure.
    """
    import base64
    import io

    from matplotlib.colors import to_rgb
    from matplotlib.image import imsave

    from gametheory.sweep import PHASE_COLORS

    if not 1 <= len(varying) <= 2:
        return ""
    xs, ix = np.unique(frame[varying[0]].to_numpy(), return_inverse=True)
    if len(varying) == 2:
        ys, iy = np.unique(frame[varying[1]].to_numpy(), return_inverse=True)
    else:
        ys, iy = np.zeros(1), np.zeros_like(ix)
    z = np.zeros((ys.size, xs.size), dtype=np.int8)
    z[iy, ix] = frame["phase_code"].to_numpy()
    z = z[:: -max(1, -(-ys.size // MAX_MAP_CELLS)), :: max(1, -(-xs.size // MAX_MAP_CELLS))]
    if z.shape[0] == 1:
        z = np.repeat(z, max(1, z.shape[1] // 8), axis=0)  # a strip for one axis
    rgb = np.array([to_rgb(c) for c in PHASE_COLORS])[z]
    buf = io.BytesIO()
    imsave(buf, rgb, format="png")
    data = base64.b64encode(buf.getvalue()).decode()
    height = 160 if len(varying) == 2 else 24
    axes = f"{varying[0]} across" + (f", {varying[1]} up" if len(varying) == 2 else "")
    return (
        f'<figure style="margin:0 0 0 12px"><img class="el-sweep-map" alt="phase map" '
        f'src="data:image/png;base64,{data}" style="width:160px;height:{height}px;'
        f'image-rendering:pixelated"><figcaption><small>{esc(axes)}</small></figcaption>'
        "</figure>"
    )


def sweep_html(frame: Any) -> str:
    """A sweep's result: its target, the grid, the share of cells in each phase, a
    thumbnail of the phases over the grid's axes, and the frame itself folded below."""
    import pandas as pd

    from gametheory.kernel2x2 import PHASES

    attrs = frame.attrs
    grid = [k for k in attrs.get("grid", []) if k in frame.columns]
    rows, varying = [], []
    for key in grid:
        values = np.unique(frame[key].to_numpy())
        if values.size > 1:
            varying.append(key)
        rows.append([key, values.size, number(values[0]), number(values[-1])])
    grid_table = table(["parameter", "values", "from", "to"], rows, cls="el-sweep-grid")
    n = len(frame)
    counts = np.bincount(frame["phase_code"].to_numpy(dtype=np.int64), minlength=len(PHASES))
    shares = [
        [name, int(counts[k]), f"{100 * counts[k] / n:.1f}%" if n else "-"]
        for k, name in enumerate(PHASES)
    ]
    phase_table = table(["phase", "cells", "share"], shares, cls="el-sweep-phases")
    lines = [f"<b>{esc(attrs.get('target', 'sweep'))}</b>: {n:,} cells"]
    fixed = {k: v for k, v in (attrs.get("fixed") or {}).items()}
    if fixed:
        lines.append(f"fixed: {esc(_params_line(fixed))}")
    if attrs.get("instruments"):
        lines.append(f"instruments: {esc(', '.join(attrs['instruments']))}")
    source = f"<br><small>source: {esc(attrs['citation'])}</small>" if attrs.get("citation") else ""
    body = pd.DataFrame._repr_html_(frame) or ""
    return (
        f'<div class="el-sweep">{"; ".join(lines)}'
        '<div style="display:flex;align-items:flex-start;gap:12px">'
        f"{grid_table}{phase_table}{_phase_map(frame, varying) if n else ''}</div>"
        f"{source}<details><summary>the frame ({n:,} rows)</summary>{body}</details></div>"
    )


__all__ = [
    "MAX_GAMES_SHOWN",
    "MAX_MAP_CELLS",
    "design_html",
    "equilibria_2x2_html",
    "equilibrium_set_html",
    "game_html",
    "instrument_html",
    "sweep_html",
    "table",
]
