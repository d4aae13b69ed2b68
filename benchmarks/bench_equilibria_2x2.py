"""Speed of ``equilibria_2x2`` over a 1000 x 1000 grid vs a loop of nashpy's support enumeration.

The grid: the Banks-Hyde stag hunt (4, 0; 3, 3) under a sanction with probability
``p`` in [0, 1] and size ``s`` in [0, 6] (10^6 games, built as arrays). Timed in one
run:

* ours: ``equilibria_2x2`` on all 10^6 games (best of 3 runs);
* nashpy: ``nashpy.Game(A, B).support_enumeration()`` looped over a random sample of
  cells, extrapolated per game (looping all 10^6 would take about half an hour).

Equality is checked on a random sample of >= 10,000 cells of the grid (same number
of equilibria, same strategies to 1e-9, same order), plus 10,000 random small-integer
games with ties. Prints the per-game ratio; the target is >= 1000x.

Run: ``.venv/bin/python benchmarks/bench_equilibria_2x2.py [--check N] [--side N] [--seed N]``.
The defaults (``--side 1000 --check 10000``) are the issue's target configuration;
``--side 100 --check 500`` is a quick smoke run (the 1000x target applies only to the
full grid, where the fixed cost of one vectorised call is spread over 10^6 games).
"""

from __future__ import annotations

import argparse
import time
import warnings

import nashpy
import numpy as np

from gametheory.games import FAMILIES
from gametheory.instruments import Sanction
from gametheory.solve import equilibria_2x2


def grid_games(n_side: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    p, s = np.meshgrid(np.linspace(0, 1, n_side), np.linspace(0, 6, n_side), indexing="ij")
    A, B = FAMILIES["stag_hunt"].arrays()
    A = np.broadcast_to(A, (p.size, 2, 2))
    B = np.broadcast_to(B, (p.size, 2, 2))
    return Sanction(probability=p.ravel(), size=s.ravel()).transform(A, B)


def nashpy_solve(A: np.ndarray, B: np.ndarray) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration())


def same(ours: list, theirs: list) -> bool:
    return len(ours) == len(theirs) and all(
        np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9)
        for (x, y), (u, v) in zip(ours, theirs, strict=True)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", type=int, default=10_000, help="grid cells checked against nashpy")
    ap.add_argument("--side", type=int, default=1000, help="grid side: side x side games")
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()
    if args.side < 1 or not 1 <= args.check <= args.side**2:
        ap.error("need --side >= 1 and 1 <= --check <= side^2")
    rng = np.random.default_rng(args.seed)

    A, B = grid_games(args.side)
    n = A.shape[0]
    equilibria_2x2(A[:1000], B[:1000])  # warm-up
    ours_times = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = equilibria_2x2(A, B)
        ours_times.append(time.perf_counter() - t0)
    ours_total = min(ours_times)
    ours_per_game = ours_total / n

    cells = rng.choice(n, size=args.check, replace=False)
    t0 = time.perf_counter()
    theirs = [nashpy_solve(A[k], B[k]) for k in cells]
    nashpy_total = time.perf_counter() - t0
    nashpy_per_game = nashpy_total / len(cells)
    mismatches = sum(not same(res.game(int(k)), t) for k, t in zip(cells, theirs, strict=True))

    # random integer games with ties (degenerate games, continua, the null game)
    Ai = rng.integers(-2, 3, (args.check, 2, 2)).astype(float)
    Bi = rng.integers(-2, 3, (args.check, 2, 2)).astype(float)
    ri = equilibria_2x2(Ai, Bi)
    tie_mismatches = sum(not same(ri.game(k), nashpy_solve(Ai[k], Bi[k])) for k in range(len(Ai)))

    ratio = nashpy_per_game / ours_per_game
    print(
        f"equilibria_2x2: {n:,} games ({args.side}x{args.side} stag hunt x sanction grid) "
        f"in {ours_total:.3f} s "
        f"({ours_per_game * 1e9:.0f} ns/game, best of 3); nashpy support_enumeration loop: "
        f"{nashpy_per_game * 1e6:.0f} us/game over {len(cells):,} sampled cells "
        f"(extrapolated {nashpy_per_game * n / 60:.1f} min for the grid); "
        f"ratio {ratio:,.0f}x per game (target >= 1000x); "
        f"identical equilibria: {len(cells) - mismatches:,}/{len(cells):,} grid cells, "
        f"{len(Ai) - tie_mismatches:,}/{len(Ai):,} random integer games with ties "
        f"({int(ri.degenerate.sum()):,} degenerate)"
    )
    if mismatches or tie_mismatches:
        raise SystemExit("equilibria differ from nashpy")
    if args.side >= 1000 and args.check >= 10_000 and ratio < 1000:
        raise SystemExit(f"ratio {ratio:.0f}x is below the 1000x target")


if __name__ == "__main__":
    main()
