"""The explorer's redraw of a 200x200 phase diagram against a full redraw.

A slider move redraws the explorer's figure (:func:`gametheory.explore`). The obvious way
is a full redraw: draw the whole figure again and encode it. The explorer instead blits:
its static parts (axes, ticks, labels, legends) are drawn once as a background, and a
redraw restores it and draws only what moves (the advantage lines, thresholds, phase
image and marker; the image is resampled only when the phase grid changes), then encodes
the PNG the widget shows. Measured in one run on the same moves, alternating a parameter
that is not an axis (a new 200x200 phase grid) and an axis parameter (the marker and the
left panel move):

1. the explorer's redraw (``Explorer.update``: game, phase grid when needed, blit, PNG);
2. a full redraw of the same figure (the same updates, then ``canvas.draw()`` of every
   artist and the same PNG encoding);
3. the hand-written redraw without the explorer: ``sweep()`` of the design over the two
   axes, ``phase_diagram()`` of the frame in a new figure, ``savefig`` to PNG.

Times are the CPU time of this process (``time.process_time``; everything is single
threaded, and on a shared machine wall time mostly measures the other processes), the
median over the moves. Checks: the explorer's phase grid equals the sweep's, and its
blitted picture equals a full draw of its figure (up to anti-aliasing at a few pixels).
Targets: a redraw with a new phase grid within ``--max-ms`` (the issue's 100 ms), at
least ``--min-ratio`` times faster than the full redraw.

Run: ``.venv/bin/python benchmarks/bench_explorer.py``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import numpy as np

from gametheory.explorer import explore
from gametheory.sweep import phase_diagram, sweep


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", default="usmca_rapid_response")
    parser.add_argument("--n", type=int, default=200, help="grid points per axis")
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--max-ms", type=float, default=100.0)
    parser.add_argument("--min-ratio", type=float, default=2.5)
    args = parser.parse_args()

    ex = explore(args.design, resolution=args.n)
    x, y = ex.axes
    other = next(k for k in ex.sliders if k not in ex.axes)
    lo, hi = ex.sliders[other].low, ex.sliders[other].high
    sx = ex.sliders[x]
    ex.update()  # warm-up: the figure and its background are drawn once
    full_backgrounds = 0

    def moves(k: int) -> tuple[dict[str, float], dict[str, float]]:
        return (
            {other: lo + (hi - lo) * (k + 1) / (args.moves + 1)},
            {x: sx.low + (sx.high - sx.low) * k / args.moves},
        )

    new_grid, marker = [], []
    for k in range(args.moves):
        grid_move, axis_move = moves(k)
        before = ex._artists["background"]
        new_grid.append(cpu(lambda m=grid_move: ex.update(**m)))
        full_backgrounds += ex._artists["background"] is not before
        before = ex._artists["background"]
        marker.append(cpu(lambda m=axis_move: ex.update(**m)))
        full_backgrounds += ex._artists["background"] is not before

    fig = ex.figure()
    blitted = np.asarray(fig.canvas.buffer_rgba()).astype(int)
    fig.canvas.draw()
    full_picture = np.asarray(fig.canvas.buffer_rgba()).astype(int)
    differing = int(np.any(blitted != full_picture, axis=-1).sum())

    def full_redraw(values: dict[str, float]) -> None:
        ex.values.update(values)
        ex._refresh_figure()
        ex._artists["fig"].canvas.draw()
        from matplotlib.image import imsave

        imsave(
            io.BytesIO(),
            np.asarray(ex._artists["fig"].canvas.buffer_rgba()),
            format="png",
            pil_kwargs={"compress_level": 1},
        )

    full_grid, full_marker = [], []
    for k in range(max(3, args.moves // 2)):
        grid_move, axis_move = moves(k)
        full_grid.append(cpu(lambda m=grid_move: full_redraw(m)))
        full_marker.append(cpu(lambda m=axis_move: full_redraw(m)))

    xs, ys = ex.grid()
    hand = []
    for k in range(max(3, args.moves // 4)):
        value = moves(k)[0][other]
        fixed = {key: v for key, v in ex.values.items() if key not in ex.axes} | {other: value}

        def by_hand(fixed=fixed):
            frame = sweep(args.design, {x: xs, y: ys}, fixed=fixed)
            phase_diagram(frame, x, y).savefig(io.BytesIO(), format="png", dpi=80)
            return frame

        t0 = time.process_time()
        frame = by_hand()
        hand.append(time.process_time() - t0)
        ex.update(**{other: value})
        want = (
            frame.pivot_table(index=y, columns=x, values="phase_code")
            .reindex(index=ys, columns=xs)
            .to_numpy()
        )
        if not np.array_equal(ex.phase_grid(), want):
            raise SystemExit("FAIL: the explorer's phase grid differs from sweep()")

    ms = {
        name: statistics.median(v) * 1000
        for name, v in {
            "new_grid": new_grid,
            "marker": marker,
            "full_grid": full_grid,
            "full_marker": full_marker,
            "hand": hand,
        }.items()
    }
    ratio = ms["full_grid"] / ms["new_grid"]
    ratio_marker = ms["full_marker"] / ms["marker"]
    ratio_hand = ms["hand"] / ms["new_grid"]
    print(f"design {args.design}, {args.n}x{args.n} phase diagram, CPU time, medians")
    print(f"explorer redraw, new phase grid : {ms['new_grid']:7.1f} ms (of {args.moves})")
    print(f"explorer redraw, marker move    : {ms['marker']:7.1f} ms (of {args.moves})")
    print(
        f"full redraw of the same figure  : {ms['full_grid']:7.1f} ms new grid, "
        f"{ms['full_marker']:.1f} ms marker"
    )
    print(f"sweep + phase_diagram + savefig : {ms['hand']:7.1f} ms")
    print(
        f"ratios: full/explorer {ratio:.1f}x (new grid), {ratio_marker:.1f}x (marker); "
        f"hand-written/explorer {ratio_hand:.1f}x"
    )
    print(
        f"backgrounds redrawn in full: {full_backgrounds} of {2 * args.moves} moves (the "
        f"left panel's y limits changed); blitted picture = full draw except {differing} "
        f"anti-aliased pixels"
    )
    failures = []
    if ms["new_grid"] > args.max_ms or ratio < args.min_ratio:
        failures.append(
            f"redraw {ms['new_grid']:.1f} ms (limit {args.max_ms}), ratio {ratio:.1f}x "
            f"(target {args.min_ratio}x)"
        )
    if differing > 50:
        failures.append(f"the blitted picture differs from a full draw at {differing} pixels")
    if failures:
        raise SystemExit("FAIL: " + "; ".join(failures))


if __name__ == "__main__":
    main()
