"""The explorer's redraw of a 200x200 phase diagram vs the obvious hand-written redraw.

A scholar without :func:`gametheory.explore` would redraw by hand on every slider move:
``sweep()`` the design over the two axes, draw ``phase_diagram()`` of the frame in a new
figure and render it. The explorer recomputes the phase grid in one vectorised pass only
when a parameter other than the axes changes (otherwise it only moves the marker) and
updates the artists of one figure in place. Both redraws are timed in this run on the same
moves (alternating a non-axis parameter, which forces a new grid, and an axis parameter),
and the explorer's phase grid is checked equal to the sweep's. The issue's target is a
redraw within 100 ms on this machine; the run fails if the median redraw of a new grid is
above ``--max-ms`` or the ratio to the hand-written redraw is below ``--min-ratio``.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", default="usmca_rapid_response")
    parser.add_argument("--n", type=int, default=200, help="grid points per axis")
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--max-ms", type=float, default=100.0)
    parser.add_argument("--min-ratio", type=float, default=5.0)
    args = parser.parse_args()

    ex = explore(args.design, resolution=args.n)
    x, y = ex.axes
    other = next(k for k in ex.sliders if k not in ex.axes)
    lo, hi = ex.sliders[other].low, ex.sliders[other].high
    ex.update()  # warm-up: the figure is built once
    new_grid, marker = [], []
    for k in range(args.moves):
        new_grid.append(ex.update(**{other: lo + (hi - lo) * (k + 1) / (args.moves + 1)}))
        sx = ex.sliders[x]
        marker.append(ex.update(**{x: sx.low + (sx.high - sx.low) * k / args.moves}))

    xs, ys = ex.grid()
    hand = []
    for k in range(max(3, args.moves // 3)):
        value = lo + (hi - lo) * (k + 1) / (args.moves + 1)
        fixed = {key: v for key, v in ex.values.items() if key not in ex.axes} | {other: value}
        t0 = time.perf_counter()
        frame = sweep(args.design, {x: xs, y: ys}, fixed=fixed)
        fig = phase_diagram(frame, x, y)
        fig.savefig(io.BytesIO(), format="png", dpi=80)
        hand.append(time.perf_counter() - t0)
        ex.update(**{other: value})
        want = (
            frame.pivot_table(index=y, columns=x, values="phase_code")
            .reindex(index=ys, columns=xs)
            .to_numpy()
        )
        assert np.array_equal(ex.phase_grid(), want), "explorer and sweep disagree"

    med_new, med_marker, med_hand = (statistics.median(v) * 1000 for v in (new_grid, marker, hand))
    ratio = med_hand / med_new
    print(f"design {args.design}, {args.n}x{args.n} phase diagram")
    print(f"explorer redraw, new phase grid : {med_new:8.1f} ms (median of {args.moves})")
    print(f"explorer redraw, marker move    : {med_marker:8.1f} ms")
    print(f"sweep + phase_diagram + render  : {med_hand:8.1f} ms (median of {len(hand)})")
    print(f"ratio (hand-written / explorer) : {ratio:8.1f}x")
    if med_new > args.max_ms or ratio < args.min_ratio:
        raise SystemExit(
            f"FAIL: redraw {med_new:.1f} ms (limit {args.max_ms}), ratio {ratio:.1f}x "
            f"(target {args.min_ratio}x)"
        )


if __name__ == "__main__":
    main()
