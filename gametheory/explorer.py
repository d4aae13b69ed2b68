"""An interactive explorer of an enforcement design: sliders in, equilibria and phases out.

:func:`explore` builds an :class:`Explorer` for a design of the catalogue, a game family,
or a user's own game factory, optionally with instruments whose fields become parameters
too. Moving a slider redraws, for the game at the current parameters,

1. the bimatrix with its pure equilibria and the risk- and payoff-dominant profiles
   marked (:func:`gametheory.display.game_html`);
2. the risk-dominance picture: each player's payoff advantage of complying over
   defecting as a function of the probability ``q`` that the other complies. Complying is
   a best response from ``q*`` on (:func:`gametheory.selection.mixed_threshold_2x2`), so
   ``[q*, 1]`` is the basin of compliance of best-response and one-population replicator
   dynamics, and compliance is risk dominant when ``q*`` is below one half for both;
3. the phase diagram over two chosen parameters (the ``axes``), with a marker at the
   current point. The diagram is recomputed only when a parameter other than the two axes
   changes, and then in one vectorised pass (:func:`gametheory.selection.phase_2x2` on
   the whole grid); moving along the axes only moves the marker.

Without ipywidgets, or where the environment variable ``ENFORCEMENT_LAB_STATIC`` is set
(the docs build sets it: built pages have no kernel behind them), the explorer shows a
static figure at the current parameters with a note saying so.
"""

from __future__ import annotations

import dataclasses
import inspect
import io
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from enforcement_lab.errors import InvalidGameError
from gametheory.games import EnforcementGame
from gametheory.instruments import Instrument
from gametheory.selection import PHASES, mixed_threshold_2x2, phase_2x2

#: Environment variable that asks for static output (set by the docs build).
STATIC_ENV = "ENFORCEMENT_LAB_STATIC"
#: Grid points per axis of the phase diagram, unless told otherwise.
RESOLUTION = 200
#: Resolution of the explorer's figure (dots per inch of its PNG).
PNG_DPI = 80


@dataclass(frozen=True)
class Slider:
    """One parameter: its range and starting value."""

    name: str
    low: float
    high: float
    value: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.low) and np.isfinite(self.high) and self.low < self.high):
            raise InvalidGameError(
                f"parameter {self.name!r} needs a finite range low < high, "
                f"got ({self.low}, {self.high})"
            )
        if not self.low <= self.value <= self.high:
            raise InvalidGameError(
                f"parameter {self.name!r} starts at {self.value}, outside its range "
                f"({self.low}, {self.high})"
            )


def _instrument_key(inst: Instrument, fname: str) -> str:
    return f"{inst.name}.{fname}"


def _instrument_sliders(instruments: Sequence[Instrument]) -> dict[str, Slider]:
    out: dict[str, Slider] = {}
    for inst in instruments:
        for fname, (lo, hi) in inst.bounds.items():
            value = float(getattr(inst, fname))
            low = 0.0 if lo is None else float(lo)
            high = float(hi) if hi is not None else max(2 * value, low + 1.0, 10.0)
            out[_instrument_key(inst, fname)] = Slider(
                _instrument_key(inst, fname), low, high, value
            )
    return out


def _target_sliders(target: Any) -> dict[str, Slider]:
    if hasattr(target, "defaults"):  # a design or a family
        defaults, ranges = dict(target.defaults), dict(getattr(target, "ranges", {}) or {})
    else:  # a user's factory: its keyword defaults
        sig = inspect.signature(target)
        defaults = {
            k: p.default
            for k, p in sig.parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        ranges = {}
    out = {}
    for key, value in defaults.items():
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        lo, hi = ranges.get(key, (min(0.0, 2 * value), max(2 * abs(value), 1.0)))
        lo, hi = min(lo, value), max(hi, value)
        if lo == hi:
            hi = lo + 1.0
        out[key] = Slider(key, float(lo), float(hi), float(value))
    return out


@dataclass
class Explorer:
    """Parameters, their sliders and the computations behind every redraw.

    Build it with :func:`explore`. :meth:`update` changes parameters and redraws (tests and
    notebooks drive it programmatically); :attr:`widget` is the ipywidgets view.
    """

    target: Any
    instruments: tuple[Instrument, ...]
    sliders: dict[str, Slider]
    axes: tuple[str, str]
    resolution: int = RESOLUTION
    values: dict[str, float] = field(default_factory=dict)
    last_redraw_seconds: float = float("nan")
    _phase_key: tuple | None = field(default=None, repr=False)
    _phase: np.ndarray | None = field(default=None, repr=False)
    _widget: Any = field(default=None, repr=False)
    _parts: dict[str, Any] = field(default_factory=dict, repr=False)
    _artists: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.values = {k: s.value for k, s in self.sliders.items()} | self.values
        for ax in self.axes:
            if ax not in self.sliders:
                raise InvalidGameError(
                    f"axis {ax!r} is not a parameter; parameters: {', '.join(self.sliders)}"
                )
        if self.axes[0] == self.axes[1]:
            raise InvalidGameError("the two axes of the phase diagram must differ")

    # ---------------------------------------------------------------- computations
    def arrays(self, values: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """Payoff stacks ``(..., 2, 2)`` at ``values`` (scalars or broadcastable arrays)."""
        inst_keys = self._inst_keys
        own = {k: v for k, v in values.items() if k not in inst_keys}
        if hasattr(self.target, "arrays"):
            A, B = self.target.arrays(**own)
        else:
            shape = np.broadcast_shapes(*(np.shape(v) for v in own.values()))
            A = np.empty((*shape, 2, 2))
            B = np.empty((*shape, 2, 2))
            for idx in np.ndindex(shape):
                g = self.target(
                    **{k: float(np.broadcast_to(v, shape)[idx]) for k, v in own.items()}
                )
                if not isinstance(g, EnforcementGame) or g.shape != (2, 2):
                    raise InvalidGameError("the game factory must return a 2x2 EnforcementGame")
                A[idx], B[idx] = g.A, g.B
        for inst in self.instruments:
            changes = {
                f: values[_instrument_key(inst, f)]
                for f in inst.bounds
                if _instrument_key(inst, f) in values
            }
            A, B = dataclasses.replace(inst, **changes).transform(A, B)
        return np.asarray(A, float), np.asarray(B, float)

    @property
    def _inst_keys(self) -> set[str]:
        return {_instrument_key(i, f) for i in self.instruments for f in i.bounds}

    def game(self) -> EnforcementGame:
        """The game at the current parameters."""
        A, B = self.arrays(self.values)
        labels = getattr(self.target, "labels", ("comply", "defect"))
        return EnforcementGame(
            A,
            B,
            row_labels=labels,
            col_labels=labels,
            params=dict(self.values),
            source=getattr(self.target, "citation", ""),
        )

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """The axis values of the phase diagram (``resolution`` points each)."""
        sx, sy = (self.sliders[a] for a in self.axes)
        return (
            np.linspace(sx.low, sx.high, self.resolution),
            np.linspace(sy.low, sy.high, self.resolution),
        )

    def phase_grid(self) -> np.ndarray:
        """Phase codes on the grid, shape ``(resolution, resolution)`` (y by x); cached."""
        key = tuple(sorted((k, v) for k, v in self.values.items() if k not in self.axes))
        if key != self._phase_key or self._phase is None:
            xs, ys = self.grid()
            X, Y = np.meshgrid(xs, ys)
            vals = {**self.values, self.axes[0]: X, self.axes[1]: Y}
            A, B = self.arrays(vals)
            shape = A.shape[:-2]
            codes = phase_2x2(A.reshape(-1, 2, 2), B.reshape(-1, 2, 2))
            self._phase = np.broadcast_to(codes.reshape(shape), X.shape).copy()
            self._phase_key = key
        return self._phase

    # ---------------------------------------------------------------- drawing
    def figure(self) -> Any:
        """The risk-dominance panel and the phase diagram at the current parameters.

        The figure, its axes and its static parts (ticks, labels, titles, legends) are
        drawn once and kept as a background; a redraw restores that background and draws
        only what moves (the two advantage lines, the thresholds, the zero line, the phase
        image, the marker, and the axes' frames, which a full draw puts over them): the
        blitting of interactive matplotlib, here into the Agg buffer that :meth:`png`
        encodes. The returned figure is complete: ``savefig`` draws every artist.
        """
        if not self._artists:
            self._build_figure()
        self._refresh_figure()
        self._blit()
        return self._artists["fig"]

    def _build_figure(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        from gametheory.sweep import PHASE_COLORS

        # the dpi of the PNG shown, so that the canvas is the image: no second rendering
        fig = Figure(figsize=(10, 4.6), dpi=PNG_DPI)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.25, top=0.93, wspace=0.25)
        left, right = fig.subplots(1, 2)
        q = np.linspace(0, 1, 101)
        lines, vlines, moving = [], [], []
        for who, color in enumerate(("#1f4e79", "#c0392b")):
            lines.append(left.plot(q, q, color=color, label=("row", "column")[who] + " player")[0])
            vlines.append(left.axvline(0.5, color=color, linestyle=":", linewidth=1))
            moving += [lines[-1], vlines[-1]]
        moving.append(left.axhline(0, color="black", linewidth=0.8))
        left.axvspan(0, 0.5, color="0.9", zorder=0)
        left.set_xlim(0, 1)
        left.set_xlabel("probability q that the other state complies")
        left.set_ylabel("advantage of complying")
        # a title at a fixed height: automatic placement measures every tick label again
        left.set_title("Best response and basin of compliance [q*, 1]", fontsize=9, y=1.0)
        # legends below the axes, where no moving artist draws over them
        left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2)
        qstar = left.text(
            0.98, 0.03, "", transform=left.transAxes, ha="right", va="bottom", fontsize=8
        )
        xs, ys = self.grid()
        cmap = ListedColormap(PHASE_COLORS)
        norm = BoundaryNorm(np.arange(-0.5, len(PHASES) + 0.5), cmap.N)
        image = right.imshow(
            np.zeros((self.resolution, self.resolution)),
            origin="lower",
            extent=(xs[0], xs[-1], ys[0], ys[-1]),
            aspect="auto",
            cmap=cmap,
            norm=norm,
            interpolation="nearest",
        )
        (marker,) = right.plot(
            [0], [0], marker="X", markersize=11, color="white", markeredgecolor="black"
        )
        right.set_xlabel(self.axes[0])
        right.set_ylabel(self.axes[1])
        right.legend(
            handles=[Patch(color=c, label=n) for c, n in zip(PHASE_COLORS, PHASES, strict=True)],
            fontsize=8,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncols=2,
        )
        right.set_title(f"Phases over {self.axes[0]} and {self.axes[1]}", fontsize=9, y=1.0)
        self._artists.update(
            fig=fig,
            left=left,
            lines=lines,
            vlines=vlines,
            qstar=qstar,
            image=image,
            marker=marker,
            q=q,
            # drawn on every redraw, in the order of a full draw (zorder, then creation);
            # the phase image between them is cached while the phase grid stays the same
            moving=[*moving, *left.spines.values(), qstar],
            over_image=[marker, *right.spines.values()],
            right=right,
            background=None,
            image_layer=None,
        )

    def _refresh_figure(self) -> None:
        parts = self._artists
        g = self.game()
        q = parts["q"]
        qstar = mixed_threshold_2x2(g.A[None], g.B[None])[0]
        advantages = []
        for who, U in enumerate((g.A, g.B.T)):
            adv = (U[0, 0] - U[1, 0]) * q + (U[0, 1] - U[1, 1]) * (1 - q)
            advantages.append(adv)
            parts["lines"][who].set_ydata(adv)
            parts["vlines"][who].set_xdata([qstar[who], qstar[who]])
        parts["qstar"].set_text(f"q* row = {qstar[0]:.3g}, column = {qstar[1]:.3g}")
        lo = min(min(float(np.min(a)) for a in advantages), 0.0)
        hi = max(max(float(np.max(a)) for a in advantages), 0.0)
        # new y limits only when the lines leave them or fill less than a quarter of them,
        # and then with room to move (half the lines' span on either side): the y axis
        # belongs to the static background, redrawn in full only on such a change
        shown = parts.get("ylim")
        span = max(hi - lo, 1e-9)
        if (
            shown is None
            or not (shown[0] <= lo and hi <= shown[1])
            or span < 0.25 * (shown[1] - shown[0])
        ):
            parts["ylim"] = (lo - 0.5 * span, hi + 0.5 * span)
            parts["left"].set_ylim(*parts["ylim"])
        parts["image"].set_data(self.phase_grid())
        parts["marker"].set_data([self.values[self.axes[0]]], [self.values[self.axes[1]]])

    def _blit(self) -> None:
        """Draw the moving artists over the static background.

        The background (everything but the moving artists and the image) is drawn in full
        once, and again only when the canvas size or the left panel's y limits change; the
        phase image is resampled only when the phase grid changes, and restored from a
        copy of its pixels otherwise.
        """
        parts = self._artists
        canvas = parts["fig"].canvas
        key = (canvas.get_width_height(), parts["ylim"])
        animated = [*parts["moving"], parts["image"], *parts["over_image"]]
        if parts["background"] is None or parts["background"][0] != key:
            for artist in animated:
                artist.set_animated(True)  # a full draw leaves animated artists out
            canvas.draw()
            for artist in animated:
                artist.set_animated(False)  # savefig of the returned figure draws them all
            parts["background"] = (key, canvas.copy_from_bbox(parts["fig"].bbox))
            parts["image_layer"] = None
        else:
            canvas.restore_region(parts["background"][1])
        renderer = canvas.get_renderer()
        for artist in parts["moving"]:
            artist.draw(renderer)
        layer = parts["image_layer"]
        if layer is not None and layer[0] is self._phase:
            canvas.restore_region(layer[1])
        else:
            parts["image"].draw(renderer)
            parts["image_layer"] = (self._phase, canvas.copy_from_bbox(parts["right"].bbox))
        for artist in parts["over_image"]:
            artist.draw(renderer)

    def png(self) -> bytes:
        """The figure as PNG bytes (what the widget shows), encoded from the Agg buffer."""
        from matplotlib.image import imsave

        fig = self.figure()
        buf = io.BytesIO()
        # fast zlib level: the image is flat colour and is shown, not archived
        imsave(
            buf,
            np.asarray(fig.canvas.buffer_rgba()),
            format="png",
            dpi=PNG_DPI,
            pil_kwargs={"compress_level": 1},
        )
        return buf.getvalue()

    # ---------------------------------------------------------------- interaction
    def update(self, **values: float) -> float:
        """Set parameters and redraw; returns the seconds the redraw took."""
        unknown = sorted(set(values) - set(self.sliders))
        if unknown:
            raise InvalidGameError(
                f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(self.sliders)}"
            )
        start = time.perf_counter()
        self.values.update({k: float(v) for k, v in values.items()})
        if self._parts:
            from gametheory.display import game_html

            self._parts["game"].value = game_html(self.game())
            self._parts["figure"].value = self.png()
        else:
            self.png()
        self.last_redraw_seconds = time.perf_counter() - start
        return self.last_redraw_seconds

    @property
    def widget(self) -> Any:
        """The ipywidgets view: one slider per parameter, the bimatrix and the figure."""
        if self._widget is None:
            import ipywidgets as w

            from gametheory.display import game_html

            sliders = {}
            for key, s in self.sliders.items():
                slider = w.FloatSlider(
                    value=self.values[key],
                    min=s.low,
                    max=s.high,
                    step=(s.high - s.low) / 100,
                    description=key,
                    continuous_update=False,
                    style={"description_width": "initial"},
                )
                slider.observe(lambda change, key=key: self.update(**{key: change["new"]}), "value")
                sliders[key] = slider
            self._parts = {
                "sliders": sliders,
                "game": w.HTML(game_html(self.game())),
                "figure": w.Image(value=self.png(), format="png"),
            }
            self._widget = w.VBox(
                [
                    w.HBox([w.VBox(list(sliders.values())), self._parts["game"]]),
                    self._parts["figure"],
                ]
            )
        return self._widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        if not _live():
            import base64

            from gametheory.display import game_html

            image = base64.b64encode(self.png()).decode()
            note = (
                "<p><em>Static view at the parameters below: the sliders need a live "
                "Jupyter kernel with ipywidgets.</em></p>"
            )
            return {
                "text/html": note
                + game_html(self.game())
                + f'<img alt="explorer figure" src="data:image/png;base64,{image}">',
                "text/plain": repr(self),
            }
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        name = getattr(self.target, "name", getattr(self.target, "__name__", "game"))
        return f"Explorer({name!r}, axes={self.axes}, parameters={list(self.sliders)})"


def _live() -> bool:
    if os.environ.get(STATIC_ENV):
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def explore(
    target: Any,
    instruments: Sequence[Instrument] = (),
    grid: Mapping[str, tuple[float, float]] | Sequence[str] | None = None,
    *,
    resolution: int = RESOLUTION,
    **start: float,
) -> Explorer:
    """An interactive explorer of ``target`` under ``instruments``.

    Parameters
    ----------
    target : str, Design, Family or callable
        A design or family name (see :func:`gametheory.sweep.resolve`), a design or family
        object, or a factory ``f(**params) -> EnforcementGame`` (2x2) whose keyword
        defaults become sliders.
    instruments : sequence of Instrument
        Applied after the target's own; each bounded field becomes a parameter named
        ``"<instrument>.<field>"`` (e.g. ``"sanction.size"``).
    grid : mapping or pair of names, optional
        The two axes of the phase diagram: ``{"name": (low, high), ...}`` (which also sets
        those sliders' ranges) or two parameter names. Defaults to the design's lever and
        the next parameter, or the first two parameters.
    resolution : int
        Grid points per axis (200 gives a 200x200 diagram).
    **start : float
        Starting values of parameters.

    Examples
    --------
    >>> ex = explore("us_gsp_taking_steps", grid={"s": (0, 8), "h": (0, 6)}, resolution=20)
    >>> ex.phase_grid().shape
    (20, 20)
    """
    from gametheory.sweep import resolve

    if isinstance(target, str):
        target = resolve(target)
    if not (hasattr(target, "defaults") or callable(target)):
        raise InvalidGameError(
            f"explore needs a design, family or game factory, got {type(target).__name__}"
        )
    if hasattr(target, "defaults") and not hasattr(target, "arrays"):
        raise InvalidGameError(f"{getattr(target, 'name', target)!r} is not a 2x2 game target")
    sliders = {**_target_sliders(target), **_instrument_sliders(instruments)}
    if len(sliders) < 2:
        raise InvalidGameError("explore needs at least two numeric parameters")
    if isinstance(grid, Mapping):
        for key, (lo, hi) in grid.items():
            if key not in sliders:
                raise InvalidGameError(
                    f"grid axis {key!r} is not a parameter; parameters: {', '.join(sliders)}"
                )
            value = min(max(sliders[key].value, float(lo)), float(hi))
            sliders[key] = Slider(key, float(lo), float(hi), value)
        axes = tuple(grid)
    elif grid is not None:
        axes = tuple(grid)
    else:
        lever = getattr(target, "lever", "")
        names = list(sliders)
        first = lever if lever in sliders else names[0]
        axes = (first, next(n for n in names if n != first))
    if len(axes) != 2:
        raise InvalidGameError(f"the phase diagram needs exactly two axes, got {list(axes)}")
    if resolution < 2 or resolution > 2000:
        raise InvalidGameError(f"resolution must be between 2 and 2000, got {resolution}")
    ex = Explorer(target, tuple(instruments), sliders, (axes[0], axes[1]), resolution)
    if start:
        unknown = sorted(set(start) - set(sliders))
        if unknown:
            raise InvalidGameError(
                f"unknown parameter(s) {', '.join(unknown)}; known: {', '.join(sliders)}"
            )
        ex.values.update({k: float(v) for k, v in start.items()})
    return ex


__all__ = ["RESOLUTION", "STATIC_ENV", "Explorer", "Slider", "explore"]
