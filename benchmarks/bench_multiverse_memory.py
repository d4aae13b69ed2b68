"""Peak memory and time of a robustness run as the number of specifications grows.

A run of :func:`econometrics.robustness.runner.run_robustness` streams every finished
chunk to its parts log on disk, reads the log once into a result store (binary columns
on disk, indexed by specification) and makes every output by streaming over the store
in blocks: the summary, the influence table, ``specifications.csv`` and the figure
(drawn from bins above 1,500 specifications). Its peak memory should therefore be the
fixed cost of the scientific stack, whatever the count, plus one byte per specification
(which are done). Each size runs in a child process of its own, which reports its peak
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), that of its largest
finished child process (the dask workers: ``RUSAGE_CHILDREN``) and its wall time.

The multiverse is a cheap one, many specifications over a small panel: every subset of
``k`` controls x four estimators x four covariances x the full sample and one
leave-one-out sample per country, on a synthetic (seeded) panel of 23 countries x 8
years, so that the fits are fast and what grows is the bookkeeping. The placebo test
and the bootstrap are off (their cost does not depend on the count). Every file of the
run is written, the figure included.

The check: peak memory at each size is at most :data:`MAX_GROWTH` times that at the size
before it (about ten times fewer specifications, same executor).

Run: ``.venv/bin/python benchmarks/bench_multiverse_memory.py`` (about 10^4 and 10^5
specifications; ``--million`` adds about 10^6, about ten minutes on two cores;
``--dask-ten-million`` runs about 10^7 on a local ``dask.distributed`` cluster of
``--workers`` worker processes, hours on two cores and several GiB on disk;
``--dask N``, about N).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Largest allowed ratio of peak memory at ~10^5 specifications to that at ~10^4.
MAX_GROWTH = 1.5
N_COUNTRIES, N_YEARS = 23, 8
ESTIMATORS = ["pooled", "entity", "time", "twoway"]
COVS = ["unadjusted", "robust", "clustered", "driscoll-kraay"]


def n_controls_for(target: int) -> int:
    """The number of controls whose multiverse has about ``target`` specifications."""
    per_subset = len(ESTIMATORS) * len(COVS) * (1 + N_COUNTRIES)
    k = 0
    while per_subset * 2 ** (k + 1) <= target * 1.5:
        k += 1
    return k


def child(target: int, executor: str, workers: int, keep: str | None = None) -> dict[str, float]:
    """Run one multiverse of about ``target`` specifications; its count, time, peak RSS."""
    import numpy as np

    from econometrics.robustness.runner import run_robustness
    from econometrics.spec import Spec, SpecFile
    from enforcement_lab.data.synthetic import twfe_panel

    k = n_controls_for(target)
    gamma = tuple(np.round(np.linspace(-0.3, 0.3, k), 3))
    df = twfe_panel(N_COUNTRIES, N_YEARS, seed=0, gamma=gamma)
    controls = [f"x{j + 1}" for j in range(k)]
    spec = Spec("y", ("treatment", *controls), effects=("entity", "time"), cov="clustered")
    table = {
        "controls": "all-subsets",
        "estimators": ESTIMATORS,
        "cov": COVS,
        "samples": ["all", "leave-one-out:iso3"],
        "placebo": 0,
        "bootstrap": 0,
    }
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(keep or tmp) / "out"
        res = run_robustness(
            SpecFile(spec, table, None),
            out,
            frame=df,
            progress=False,
            executor=executor,
            workers=workers,
            chunk_size=1024,
        )
        n = int(res.summary["n_specifications"])
        csv_mib = (out / "specifications.csv").stat().st_size / 2**20
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    worker_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "n": n,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "worker_mib": worker_kib / 1024,
        "csv_mib": csv_mib,
    }


def measure(target: int, executor: str = "local", workers: int = 1) -> dict[str, float]:
    """Run :func:`child` in a fresh process (so each peak is that run's alone)."""
    cmd = [sys.executable, __file__, "--child", str(target), "--executor", executor]
    cmd += ["--workers", str(workers)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true", help="also ~10^6 specifications")
    parser.add_argument(
        "--dask-ten-million",
        action="store_true",
        help="also ~10^7 specifications on a local dask.distributed cluster",
    )
    parser.add_argument(
        "--dask",
        type=int,
        metavar="N",
        help="also about N specifications on a local dask.distributed cluster",
    )
    parser.add_argument("--workers", type=int, default=2, help="dask workers (default 2)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--executor", default="local", help=argparse.SUPPRESS)
    parser.add_argument("--keep", help=argparse.SUPPRESS)  # write the run's files here
    args = parser.parse_args()
    if args.child:
        workers = args.workers if args.executor == "dask" else 1
        print(json.dumps(child(args.child, args.executor, workers, args.keep)))
        return
    runs = [("local", 10**4), ("local", 10**5)]
    if args.million:
        runs.append(("local", 10**6))
    if args.dask:
        runs.append(("dask", args.dask))
    if args.dask_ten_million:
        runs.append(("dask", 10**7))
    print(
        f"synthetic panel (seeded), {N_COUNTRIES} countries x {N_YEARS} years; every file "
        "written, the figure included"
    )
    print(
        f"{'executor':<8} {'specifications':>14} {'seconds':>8} {'peak RSS MiB':>13} "
        f"{'worker MiB':>11} {'CSV MiB':>8}"
    )
    rows = []
    for executor, target in runs:
        r = measure(target, executor, args.workers)
        rows.append(r)
        worker = f"{r['worker_mib']:>11.0f}" if executor == "dask" else f"{'-':>11}"
        print(
            f"{executor:<8} {int(r['n']):>14,} {r['seconds']:>8.1f} {r['peak_mib']:>13.0f} "
            f"{worker} {r['csv_mib']:>8.1f}",
            flush=True,
        )
    failed = []
    for (ex_a, _), (ex_b, _), a, b in zip(runs, runs[1:], rows, rows[1:], strict=False):
        if ex_a != ex_b:  # a dask run's parent holds no fits: not comparable to a local one
            continue
        growth = b["peak_mib"] / a["peak_mib"]
        print(
            f"peak memory x{growth:.2f} for x{b['n'] / a['n']:.0f} specifications "
            f"({int(a['n']):,} to {int(b['n']):,}; target: at most x{MAX_GROWTH})"
        )
        if growth > MAX_GROWTH:
            failed.append(f"x{growth:.2f} from {int(a['n']):,} to {int(b['n']):,}")
    if failed:
        raise SystemExit(f"peak memory grew (> x{MAX_GROWTH}): {'; '.join(failed)}")


if __name__ == "__main__":
    main()
