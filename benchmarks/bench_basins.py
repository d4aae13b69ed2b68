"""Basins of attraction on a 200x200 grid: vectorised integration vs a nashpy loop.

The obvious alternative is to call nashpy's ``asymmetric_replicator_dynamics`` (one
``odeint`` trajectory) once per starting point. That loop is timed on a random sample of
grid cells and extrapolated to the whole grid (per-cell time x 40,000); the vectorised
:func:`gametheory.dynamics.basins_2x2` runs on the full grid with
``method="integrate"`` (every start integrated, as nashpy does, not the exact
classifier that is its default). nashpy integrates to the horizon ``T`` in raw time; ours
integrates in the game's own time scale (payoff advantages normalised, so that the
result does not depend on the payoffs' units) to the horizon it chooses from the
smallest advantage (``t_max=None``), and stops early where every start has settled. Both
label end states the same way; every sampled cell must get the same basin from both, and
none may be undecided (an agreement on "undecided" would be vacuous). Every cell of the grid is also checked against the closed form
:func:`gametheory.dynamics.basins_2x2_exact` (the game is a coordination game for both
populations). The issue's target is a ratio of at least 50x on the 200x200 grid; the run
fails below ``--min-ratio``. Run: ``.venv/bin/python benchmarks/bench_basins.py``
(``--n 60 --sample 60`` for a quick check).
"""

from __future__ import annotations

import argparse
import time
import warnings

import nashpy as nash
import numpy as np

from gametheory.dynamics import basins_2x2, basins_2x2_exact, label_endpoints


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="grid points per axis")
    parser.add_argument("--sample", type=int, default=400, help="cells timed with nashpy")
    parser.add_argument("--horizon", type=float, default=20.0, help="nashpy's horizon T")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--min-ratio", type=float, default=50.0, help="fail below this ratio")
    args = parser.parse_args()

    # Banks-Hyde stag hunt with an asymmetric conditional benefit for the column state
    A = np.array([[4.0, 0.0], [3.0, 3.0]])
    B = np.array([[4.5, 0.0], [0.5, 3.0]])
    T = args.horizon
    timepoints = np.linspace(0.0, T, 1000)

    basins_2x2(A, B, n=20, method="integrate")  # warm-up
    reps = 3
    t0 = time.perf_counter()
    for _ in range(reps):
        res = basins_2x2(A, B, n=args.n, method="integrate")
    t_vec = (time.perf_counter() - t0) / reps

    rng = np.random.default_rng(args.seed)
    cells = rng.choice(args.n * args.n, size=min(args.sample, args.n * args.n), replace=False)
    game = nash.Game(A, B)
    labels = np.empty(cells.size, dtype=int)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        for k, cell in enumerate(cells):
            i, j = divmod(int(cell), args.n)
            x0, y0 = res.x[i], res.y[j]
            xs, ys = game.asymmetric_replicator_dynamics(
                x0=np.array([x0, 1 - x0]), y0=np.array([y0, 1 - y0]), timepoints=timepoints
            )
            labels[k] = int(label_endpoints(xs[-1, 0], ys[-1, 0]))
        t_loop = time.perf_counter() - t0
    per_cell = t_loop / cells.size
    t_loop_full = per_cell * args.n * args.n
    ours = res.labels.ravel()[cells]
    agree = int(np.sum(ours == labels))
    undecided = int(np.sum(ours == -1) + np.sum(labels == -1))
    # every cell, against the closed form (the separatrix is a level set of a first integral)
    exact = int(np.sum(basins_2x2_exact(A, B, n=args.n).labels == res.labels))
    ratio = t_loop_full / t_vec
    print(
        f"basins {args.n}x{args.n} (nashpy T={T:g}, ours its own horizon): vectorised {t_vec:.3f} s; nashpy loop "
        f"{per_cell * 1e3:.2f} ms/cell on {cells.size} sampled cells, extrapolated to "
        f"{t_loop_full:.1f} s for {args.n * args.n} cells; ratio {ratio:.0f}x "
        f"(target >= {args.min_ratio:g}x); same basin on {agree}/{cells.size} sampled cells "
        f"({undecided} undecided); same as the closed form on {exact}/{args.n**2} cells; "
        f"compliance basin share {res.share(0):.4f}; odeint warnings {len(caught)}"
    )
    if agree != cells.size or undecided or exact != args.n**2:
        raise SystemExit("basin assignments differ (or are undecided) on some sampled cells")
    if ratio < args.min_ratio:
        raise SystemExit(f"ratio {ratio:.0f}x is below the {args.min_ratio:g}x target")


if __name__ == "__main__":
    main()
