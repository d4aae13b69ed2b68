"""A 1,024-specification two-way FE multiverse: the vectorised engine vs a linearmodels loop.

The multiverse is every subset of 10 controls (2^10 = 1,024 specifications) of a two-way
fixed-effects regression with standard errors clustered by country, on a synthetic
(seeded, ``attrs["synthetic"]``) panel of 190 countries x 30 years. The obvious
alternative is a loop of ``linearmodels.PanelOLS(entity_effects=True,
time_effects=True).fit(cov_type="clustered", cluster_entity=True)``; that loop is timed
on a random sample of the specifications and **extrapolated** to all of them (mean time
per fit x 1,024), since fitting all of them one by one takes minutes. The engine fits
all 1,024 (:func:`econometrics.robustness.batch.fit_specifications`: sample masks, one absorption,
cross-products, vectorised clustered covariances). Every sampled specification must
give the same coefficient and standard error (relative difference below 1e-8).

The same control subsets under random effects (the engine's RandomEffectsPanel against
a loop of ``linearmodels.RandomEffects``, clustered by country) are timed and checked
the same way, and against the engine fitting each random-effects model alone (its
path before the variance components of all models were computed at once; target >= 10x,
equal to 1e-10). Then a small table of how the engine's time grows with the number of specifications
(control subsets of 6..12 controls) and with the panel size (countries x 30 years).

Run: ``.venv/bin/python benchmarks/bench_multiverse.py`` (``--quick`` for a smaller run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import tomli_w
from linearmodels import PanelOLS, RandomEffects

from econometrics.robustness.batch import fit_specifications, make_context, prepare_data
from econometrics.robustness.engine import RandomEffectsPanel
from econometrics.robustness.multiverse import parse_robustness
from econometrics.robustness.runner import run_robustness
from econometrics.spec import Spec
from enforcement_lab.data.synthetic import twfe_panel


def build(n_countries: int, n_years: int, n_controls: int, seed: int = 0):
    gamma = tuple(np.round(np.linspace(-0.3, 0.3, n_controls), 3))
    df = twfe_panel(n_countries, n_years, seed=seed, gamma=gamma)
    controls = [f"x{k + 1}" for k in range(n_controls)]
    spec = Spec("y", ("treatment", *controls), effects=("entity", "time"), cov="clustered")
    mv = parse_robustness(spec, {"controls": "all-subsets", "placebo": 0, "bootstrap": 0})
    data = prepare_data(mv, df)
    return df, mv, data, mv.specifications(data), make_context(mv)


def engine_time(data, specs, ctx, reps: int = 3) -> tuple[float, pd.DataFrame]:
    fit_specifications(data, specs[:8], ctx)  # warm-up
    best = np.inf
    rows = None
    for _ in range(reps):
        t0 = time.perf_counter()
        rows = fit_specifications(data, specs, ctx)
        best = min(best, time.perf_counter() - t0)
    return best, pd.DataFrame(rows)


def linearmodels_fit(df: pd.DataFrame, controls: tuple[str, ...]):
    x = df[["treatment", *controls]].copy()
    x.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = PanelOLS(df["y"], x, entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True
        )
    return float(res.params["treatment"]), float(res.std_errors["treatment"])


def random_effects_fit(df: pd.DataFrame, controls: tuple[str, ...]):
    x = df[["treatment", *controls]].copy()
    x.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = RandomEffects(df["y"], x).fit(cov_type="clustered", cluster_entity=True)
    return float(res.params["treatment"]), float(res.std_errors["treatment"])


def loop_time(df, specs, sample: int, rng) -> tuple[float, list[int], list[tuple[float, float]]]:
    picks = sorted(rng.choice(len(specs), size=min(sample, len(specs)), replace=False).tolist())
    linearmodels_fit(df, specs[0].controls)  # warm-up
    t0 = time.perf_counter()
    out = [linearmodels_fit(df, specs[i].controls) for i in picks]
    return (time.perf_counter() - t0) / len(picks), picks, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=190)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--controls", type=int, default=10, help="2^controls specifications")
    parser.add_argument(
        "--sample", type=int, default=60, help="specifications timed with linearmodels"
    )
    parser.add_argument("--quick", action="store_true", help="smaller scaling table")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    df, mv, data, specs, ctx = build(args.countries, args.years, args.controls)
    t_engine, rows = engine_time(data, specs, ctx)
    per_fit, picks, ref = loop_time(df, specs, args.sample, rng)
    t_loop = per_fit * len(specs)
    est = rows["estimate"].to_numpy()[picks]
    se = rows["std_error"].to_numpy()[picks]
    ref_b, ref_se = np.array(ref).T
    d_b = float(np.max(np.abs(est - ref_b) / np.abs(ref_b)))
    d_se = float(np.max(np.abs(se - ref_se) / ref_se))
    assert d_b < 1e-8 and d_se < 1e-8, (d_b, d_se)
    ratio = t_loop / t_engine
    print(
        f"bench_multiverse: {len(specs)} two-way FE specs, clustered SEs, "
        f"{args.countries}x{args.years} synthetic panel | engine {t_engine:.3f} s | "
        f"linearmodels loop {t_loop:.1f} s (extrapolated from {len(picks)} fits, "
        f"{per_fit * 1e3:.1f} ms each) | ratio {ratio:.0f}x | max rel diff "
        f"coef {d_b:.1e}, SE {d_se:.1e}"
    )

    # end to end: expansion, chunks streamed to disk with fsync, CSV/summary written
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = Path(tmp) / "spec.toml"
        controls = [f"x{k + 1}" for k in range(args.controls)]
        spec_path.write_text(
            tomli_w.dumps(
                {
                    "data": {"source": "synthetic"},
                    "model": {
                        "outcome": "y",
                        "regressors": ["treatment", *controls],
                        "effects": ["entity", "time"],
                    },
                    "robustness": {"controls": "all-subsets", "placebo": 0, "bootstrap": 0},
                }
            )
        )
        t0 = time.perf_counter()
        run_robustness(spec_path, Path(tmp) / "out", frame=df, progress=False, figure=False)
        t_run = time.perf_counter() - t0
    print(
        f"end to end (run_robustness: streamed chunks, fsync, CSV and summary, no figure): "
        f"{t_run:.2f} s, ratio {t_loop / t_run:.0f}x"
    )

    # random effects: the same subsets with linearmodels.RandomEffects, one model at a time
    re_mv = parse_robustness(
        mv.baseline, {"controls": "all-subsets", "estimators": ["random"], "placebo": 0}
    )
    re_specs = re_mv.specifications(data)[: len(specs)]
    t_re, re_rows = engine_time(data, re_specs, ctx)
    # the same engine fitting each model alone (linearmodels' three least-squares
    # regressions per model, the engine's path before variance components were batched)
    with mock.patch.object(RandomEffectsPanel, "_fit_batched", lambda self, *a, **k: set()):
        t_re_one, re_one = engine_time(data, re_specs, ctx, reps=1)
    d_one = float(
        np.max(np.abs(re_rows["estimate"] - re_one["estimate"]) / np.abs(re_one["estimate"]))
    )
    assert d_one < 1e-10, d_one
    re_batch_ratio = t_re_one / t_re
    re_picks = sorted(rng.choice(len(re_specs), size=min(20, len(re_specs)), replace=False))
    t0 = time.perf_counter()
    re_ref = [random_effects_fit(df, re_specs[i].controls) for i in re_picks]
    re_per_fit = (time.perf_counter() - t0) / len(re_picks)
    re_b, re_se = np.array(re_ref).T
    d_b = float(np.max(np.abs(re_rows["estimate"].to_numpy()[re_picks] - re_b) / np.abs(re_b)))
    d_se = float(np.max(np.abs(re_rows["std_error"].to_numpy()[re_picks] - re_se) / re_se))
    assert d_b < 1e-8 and d_se < 1e-8, (d_b, d_se)
    print(
        f"random effects: {len(re_specs)} specs, clustered SEs, same synthetic panel | engine {t_re:.3f} s | "
        f"linearmodels RandomEffects loop {re_per_fit * len(re_specs):.1f} s (extrapolated "
        f"from {len(re_picks)} fits) | ratio {re_per_fit * len(re_specs) / t_re:.0f}x | "
        f"max rel diff coef {d_b:.1e}, SE {d_se:.1e} | one model at a time {t_re_one:.3f} s: "
        f"batched ratio {re_batch_ratio:.1f}x (target >= 10x), max rel diff {d_one:.1e}"
    )
    if re_batch_ratio < 10 and not args.quick:
        raise SystemExit(f"random effects batched ratio {re_batch_ratio:.1f}x is below 10x")

    print(
        "\nscaling on synthetic panels (engine time; linearmodels time extrapolated from "
        "10 fits per row)"
    )
    print(
        "| countries x years | specifications | engine (s) | ms / spec | linearmodels loop (s) | ratio |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    grid = [(190, 30, k) for k in (6, 8, 10, 12)] + [(n, 30, 10) for n in (50, 100, 400)]
    if args.quick:
        grid = [(190, 30, 6), (190, 30, 8), (50, 30, 8), (100, 30, 8)]
    for n, t, k in grid:
        df, _, data, specs, ctx = build(n, t, k)
        te, _ = engine_time(data, specs, ctx, reps=1 if len(specs) > 2000 else 3)
        pf, _, _ = loop_time(df, specs, 10, rng)
        print(
            f"| {n} x {t} | {len(specs)} | {te:.3f} | {te / len(specs) * 1e3:.2f} | "
            f"{pf * len(specs):.1f} | {pf * len(specs) / te:.0f}x |"
        )


if __name__ == "__main__":
    main()
