"""The robustness runner: rows equal linearmodels, resume after interruption, atomic outputs,
summary, influential units, placebo and wild bootstrap inference."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import tomli_w
from linearmodels import PanelOLS, PooledOLS, RandomEffects

from econometrics.robustness import batch
from econometrics.robustness.batch import make_context, prepare_data
from econometrics.robustness.inference import permute_within
from econometrics.robustness.multiverse import parse_robustness
from econometrics.robustness.runner import STATE_DIR, run_robustness
from econometrics.spec import read_spec_file
from enforcement_lab.data.synthetic import twfe_panel

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def panel(seed: int = 0, beta: float = 0.5, n: int = 24, t: int = 10) -> pd.DataFrame:
    df = twfe_panel(n, t, beta=beta, seed=seed, gamma=(0.3, -0.2, 0.1))
    rng = np.random.default_rng(seed)
    df = df[rng.random(len(df)) > 0.1].copy()
    df.loc[rng.random(len(df)) < 0.05, "x2"] = np.nan
    return df


def write_spec(tmp_path, robustness: dict, **model) -> str:
    doc = {
        "data": {"source": "unused.csv", "entity": "iso3", "time": "year"},
        "model": {
            "outcome": "y",
            "regressors": ["treatment", "x1", "x2", "x3"],
            "effects": ["entity", "time"],
            "cov": "clustered",
            "cluster": "entity",
            **model,
        },
        "robustness": robustness,
    }
    path = tmp_path / "spec.toml"
    path.write_text(tomli_w.dumps(doc))
    return str(path)


MULTIVERSE = {
    "controls": "all-subsets",
    "estimators": ["pooled", "entity", "time", "twoway", "random"],
    "samples": ["all", "drop:region=South Asia", "years:1993-1998", "leave-one-out:iso3"],
    "cov": ["clustered", "robust", "driscoll-kraay"],
    "cluster": ["entity", "twoway"],
    "lags": [0, 1],
    "placebo": 0,
    "bootstrap": 0,
}


def reference(df: pd.DataFrame, row: pd.Series, mv, level: float = 0.95):
    """Fit one specification from scratch with linearmodels: estimate, SE, N, p, CI."""
    d = df.reset_index()
    regs = [mv.treatment, *([] if row["controls"] == "(none)" else row["controls"].split("+"))]
    lag = int(row["lags"])
    if lag:
        shifted = d[["iso3", "year", *regs]].assign(year=d["year"] + lag)
        d = d.drop(columns=regs).merge(shifted, on=["iso3", "year"], how="left")
    sample = row["sample"]
    if sample.startswith("drop:") or sample.startswith("leave-one-out:"):
        col, val = sample.split(":", 1)[1].split("=", 1)
        d = d[d[col].astype(str) != val]
    elif sample.startswith("years:"):
        a, b = map(int, sample[6:].split("-"))
        d = d[(d["year"] >= a) & (d["year"] <= b)]
    d = d.set_index(["iso3", "year"])[["y", *regs]].dropna()
    x = d[regs].copy()
    x.insert(0, "const", 1.0)
    est = row["estimator"]
    kw: dict = {}
    if row["cov"] == "clustered":
        kw = {
            "cov_type": "clustered",
            "cluster_entity": row["cluster"] in ("entity", "twoway"),
            "cluster_time": row["cluster"] in ("time", "twoway"),
        }
    elif row["cov"] == "driscoll-kraay":
        kw = {"cov_type": "kernel"}
    else:
        kw = {"cov_type": row["cov"]}
    if est == "pooled":
        model = PooledOLS(d["y"], x)
    elif est == "random":
        model = RandomEffects(d["y"], x)
    else:
        model = PanelOLS(
            d["y"],
            x,
            entity_effects=est in ("entity", "twoway"),
            time_effects=est in ("time", "twoway"),
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(**kw)
    t = regs[0]
    ci = res.conf_int(level).loc[t].to_numpy(float)
    return float(res.params[t]), float(res.std_errors[t]), int(res.nobs), res.pvalues[t], ci


@pytest.mark.parametrize("seed", [0, 1])
def test_rows_equal_linearmodels_on_random_specifications(tmp_path, seed) -> None:
    """A random subset of a multiverse (lags, samples, RE, covariances) vs linearmodels."""
    df = panel(1)
    table = {
        **MULTIVERSE,
        "controls": [[], ["x1", "x2"], ["x1", "x2", "x3"]],
        "samples": ["all", "drop:region=South Asia", "years:1993-1998", "leave-one-out:iso3"],
        "cov": ["clustered", "robust", "driscoll-kraay", "unadjusted"],
        "cluster": ["entity", "time", "twoway"],
        "lags": [0, 1, 2],
        "level": 0.9,
    }
    spec = write_spec(tmp_path, table)
    full = read_spec_file(spec)
    mv = parse_robustness(full.spec, table)
    ctx = make_context(mv)
    data = prepare_data(mv, df)
    specs = mv.specifications(data)
    rng = np.random.default_rng(seed)
    picks = sorted(rng.choice(len(specs), 50, replace=False))
    chosen = [specs[i] for i in picks]
    rows = pd.DataFrame(batch.fit_specifications(data, chosen, ctx))
    assert (rows["status"] == "ok").all()
    # the subset covers every estimator, lag, kind of sample and covariance
    assert set(rows["estimator"]) == {"pooled", "entity", "time", "twoway", "random"}
    assert set(rows["lags"]) == {0, 1, 2}
    kinds = rows["sample"].str.replace(r"[:=].*$", "", regex=True)
    assert set(kinds) == {"all", "drop", "years", "leave-one-out"}
    assert set(rows["cov"] + "/" + rows["cluster"]) >= {
        "clustered/entity",
        "clustered/time",
        "clustered/twoway",
        "driscoll-kraay/none",
    }
    for _, row in rows.iterrows():
        est, se, nobs, p, ci = reference(df, row, mv, level=0.9)
        assert row["estimate"] == pytest.approx(est, rel=1e-8, abs=1e-12), row.to_dict()
        assert row["std_error"] == pytest.approx(se, rel=1e-8), row.to_dict()
        assert row["nobs"] == nobs
        assert row["pvalue"] == pytest.approx(p, rel=1e-6, abs=1e-300), row.to_dict()
        np.testing.assert_allclose([row["ci_lower"], row["ci_upper"]], ci, rtol=1e-8, atol=1e-12)


def test_resume_after_interruption_gives_the_uninterrupted_file(tmp_path, monkeypatch) -> None:
    df = panel(2)
    spec = write_spec(
        tmp_path,
        {
            **MULTIVERSE,
            "estimators": ["twoway", "pooled"],
            "samples": ["all", "drop:region=South Asia", "years:1993-1998"],
            "placebo": 20,
        },
    )
    full = run_robustness(
        spec, tmp_path / "full", frame=df, chunk_size=16, progress=False, figure=False
    )

    class Boom(KeyboardInterrupt):
        pass

    def stop_after_three(n: int) -> None:
        if n == 3:
            raise Boom

    out = tmp_path / "cut"
    with pytest.raises(Boom):
        run_robustness(
            spec,
            out,
            frame=df,
            chunk_size=16,
            progress=False,
            figure=False,
            on_chunk=stop_after_three,
        )
    assert not (out / "specifications.csv").exists()
    parts = out / STATE_DIR / "parts.jsonl"
    saved = parts.read_text().splitlines()
    assert len(saved) == 48  # three chunks of 16, fsynced before the interruption
    with open(parts, "a") as fh:  # a kill in the middle of a write leaves a cut line
        fh.write(saved[-1][:25])
    resumed = run_robustness(
        spec, out, frame=df, chunk_size=16, progress=False, figure=False, resume=True
    )
    assert resumed.n_fitted_this_run == len(full.results) - 48
    assert (out / "specifications.csv").read_bytes() == (
        tmp_path / "full" / "specifications.csv"
    ).read_bytes()
    assert json.loads((out / "summary.json").read_text()) == json.loads(
        (tmp_path / "full" / "summary.json").read_text()
    )


def test_resume_refuses_a_changed_spec(tmp_path) -> None:
    df = panel(3)
    spec = write_spec(tmp_path, {"cov": ["robust"], "placebo": 0, "bootstrap": 0})
    run_robustness(spec, tmp_path / "o", frame=df, progress=False, figure=False)
    spec = write_spec(tmp_path, {"cov": ["unadjusted"], "placebo": 0, "bootstrap": 0})
    with pytest.raises(ValueError, match=r"resume=True: the spec file"):
        run_robustness(spec, tmp_path / "o", frame=df, progress=False, figure=False, resume=True)
    with pytest.raises(ValueError, match="no interrupted run"):
        run_robustness(spec, tmp_path / "new", frame=df, progress=False, resume=True)


def test_outputs_are_atomic(tmp_path, monkeypatch) -> None:
    df = panel(4)
    spec = write_spec(tmp_path, {"controls": "all-subsets", "placebo": 0, "bootstrap": 0})
    out = tmp_path / "o"
    run_robustness(spec, out, frame=df, progress=False)
    before = (out / "specifications.csv").read_bytes()
    assert (out / "specification_curve.png").stat().st_size > 1000
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))

    def broken_to_csv(self, path, **kw):  # the table is written block by block to a handle
        path.write("spec_id,estim")  # half written, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken_to_csv)
    with pytest.raises(OSError):
        run_robustness(spec, out, frame=df, progress=False)
    assert (out / "specifications.csv").read_bytes() == before
    assert not list(out.glob(".*.part"))


def test_summary_and_influential_units(tmp_path) -> None:
    df = panel(5)
    spec = write_spec(
        tmp_path,
        {
            "controls": "all-subsets",
            "samples": ["all", "leave-one-out:iso3"],
            "placebo": 0,
            "bootstrap": 0,
        },
    )
    res = run_robustness(spec, tmp_path / "o", frame=df, progress=False, figure=False)
    r = pd.read_csv(tmp_path / "o" / "specifications.csv")
    base = r[r["is_baseline"]].iloc[0]
    assert (
        base["controls"] == "x1+x2+x3" and base["sample"] == "all" and base["estimator"] == "twoway"
    )
    s = res.summary
    assert s["share_significant"] == pytest.approx((r["pvalue"] < 0.05).mean())
    assert s["share_same_sign"] == pytest.approx(
        (np.sign(r["estimate"]) == np.sign(base["estimate"])).mean()
    )
    assert s["median_estimate"] == pytest.approx(r["estimate"].median())
    inf = pd.read_csv(tmp_path / "o" / "influential_units.csv", keep_default_na=False)
    assert len(inf) == df.index.get_level_values(0).nunique()
    top = inf.iloc[0]
    loo = r[(r["sample"] == f"leave-one-out:iso3={top['unit']}") & (r["controls"] == "x1+x2+x3")]
    assert float(top["baseline_delta"]) == pytest.approx(loo["estimate"].iloc[0] - base["estimate"])
    assert abs(float(top["baseline_delta"])) == pytest.approx(
        pd.to_numeric(inf["baseline_delta"]).abs().max()
    )
    text = (tmp_path / "o" / "summary.md").read_text()
    assert "synthetic data" in text and "share significant" in text


def test_permutation_keeps_each_units_values() -> None:
    rng = np.random.default_rng(0)
    ent = np.repeat(np.arange(5), 7)
    vals = rng.normal(size=35)
    out = permute_within(vals, ent, rng)
    for e in range(5):
        assert sorted(out[ent == e]) == sorted(vals[ent == e])
    assert not np.array_equal(out, vals)


def test_placebo_and_wild_bootstrap(tmp_path) -> None:
    """A real effect: placebo p = 1/(R+1) and bootstrap p small; no effect: neither small."""
    spec = write_spec(tmp_path, {"placebo": 99, "bootstrap": 199, "seed": 1})
    strong = run_robustness(
        spec, tmp_path / "a", frame=panel(6, beta=0.5), progress=False, figure=False
    )
    inf = strong.summary["inference"]
    assert inf["placebo_pvalue"] == pytest.approx(1 / 100)
    assert inf["bootstrap_pvalue"] < 0.01 and inf["bootstrap_cluster"] == "entity"
    # no draw as extreme as the data: (1 + 0) / (B + 1), never 0
    assert inf["bootstrap_reps"] == 199 and inf["bootstrap_pvalue"] == pytest.approx(1 / 200)
    assert any("G/(G-1) (n-1)/(n-k)" in note for note in inf["notes"])
    placebo = pd.read_csv(tmp_path / "a" / "placebo.csv")
    assert len(placebo) == 99 and placebo["estimate"].abs().max() < abs(
        strong.summary["baseline"]["estimate"]
    )
    null = run_robustness(
        spec, tmp_path / "b", frame=panel(6, beta=0.0), progress=False, figure=False
    )
    assert null.summary["inference"]["placebo_pvalue"] > 0.05
    assert null.summary["inference"]["bootstrap_pvalue"] > 0.05
    # the wild bootstrap t statistic is the baseline's clustered t (up to the small-sample factor)
    b = null.summary["baseline"]
    ratio = null.summary["inference"]["bootstrap_tstat"] / (b["estimate"] / b["std_error"])
    assert 0.9 < ratio < 1.1


def test_random_effects_baseline_placebo_and_bootstrap(tmp_path) -> None:
    """An RE baseline: placebo fits equal linearmodels' RandomEffects on the permuted data;
    the wild bootstrap runs on the quasi-demeaned regression (its t is the baseline's)."""
    df = panel(6, beta=0.5)
    spec = write_spec(
        tmp_path, {"placebo": 9, "bootstrap": 99, "seed": 2}, estimator="random_effects", effects=[]
    )
    res = run_robustness(spec, tmp_path / "o", frame=df, progress=False, figure=False)
    b, inf = res.summary["baseline"], res.summary["inference"]
    assert res.results.loc[res.results["is_baseline"], "estimator"].item() == "random"
    assert inf["bootstrap_reps"] == 99 and inf["bootstrap_pvalue"] < 0.05
    assert 0.9 < inf["bootstrap_tstat"] / (b["estimate"] / b["std_error"]) < 1.1
    assert any("quasi-demeaned" in note for note in inf["notes"])
    regs = ["treatment", "x1", "x2", "x3"]
    d = df.reset_index().dropna(subset=["y", *regs])
    d = d.sort_values(["iso3", "year"], kind="mergesort").reset_index(drop=True)
    rng = np.random.default_rng(2)
    codes = np.unique(d["iso3"], return_inverse=True)[1]
    perms = [permute_within(d["treatment"].to_numpy(float), codes, rng) for _ in range(9)]
    placebo = pd.read_csv(tmp_path / "o" / "placebo.csv")["estimate"]
    for r, values in [(-1, d["treatment"].to_numpy(float)), (0, perms[0]), (8, perms[8])]:
        dd = d.assign(treatment=values).set_index(["iso3", "year"])
        x = dd[regs].copy()
        x.insert(0, "const", 1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = RandomEffects(dd["y"], x).fit(cov_type="clustered", cluster_entity=True)
        got = b["estimate"] if r < 0 else placebo[r]
        assert got == pytest.approx(ref.params["treatment"], rel=1e-8)


def test_prepare_data_lags_by_calendar_period() -> None:
    df = panel(7)
    from econometrics.spec import Spec

    mv = parse_robustness(Spec("y", ("treatment", "x1"), effects=("entity",)), {"lags": [0, 2]})
    out = prepare_data(mv, df).set_index(["iso3", "year"])
    flat = df["treatment"]
    for (iso, year), value in out["L2.treatment"].items():
        prev = flat.get((iso, year - 2), np.nan)
        assert (np.isnan(value) and np.isnan(prev)) or value == prev
    assert make_context(mv).common == {}
    assert batch.var_name("x", 0) == "x"


def test_a_run_is_sized_for_streaming_and_refused_without_disk(tmp_path, monkeypatch) -> None:
    import shutil
    from collections import namedtuple

    from econometrics.robustness.multiverse import parse_robustness
    from econometrics.robustness.runner import (
        BYTES_PER_SPECIFICATION,
        STREAMED_FIXED_BYTES,
        check_size,
    )
    from econometrics.spec import read_spec_file
    from enforcement_lab.limits import ResourceLimitError

    df = panel(4)
    spec = write_spec(tmp_path, {"controls": "all-subsets", "placebo": 0, "bootstrap": 0})
    mv = parse_robustness(read_spec_file(spec).spec, read_spec_file(spec).robustness)
    # 8 specifications: streamed, a run needs its fixed block; in memory, their rows
    limit_gb = (STREAMED_FIXED_BYTES + 100) / 2**30
    assert check_size(mv, df, limit_gb, streamed=True) == 8
    with pytest.raises(ResourceLimitError, match="8 specifications"):
        check_size(mv, df, 7 * BYTES_PER_SPECIFICATION / 2**30)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(ResourceLimitError, match=r"8 specifications need about .* of disk"):
        run_robustness(spec, tmp_path / "o", frame=df, progress=False)
    assert not (tmp_path / "o" / STATE_DIR).exists()


def test_results_outlive_the_folder_of_a_small_run(tmp_path, monkeypatch) -> None:
    import shutil

    from econometrics.robustness import runner
    from enforcement_lab.errors import EnforcementLabError

    df = panel(4)
    spec = write_spec(tmp_path, {"controls": "all-subsets", "placebo": 0, "bootstrap": 0})
    small = run_robustness(spec, tmp_path / "a", frame=df, progress=False, figure=False)
    shutil.rmtree(tmp_path / "a")  # as in a notebook that runs it in a temporary folder
    assert len(small.results) == 8 and (small.results["status"] == "ok").all()
    monkeypatch.setattr(runner, "TABLE_IN_MEMORY_MAX", 4)  # a large run: read on demand
    large = run_robustness(spec, tmp_path / "b", frame=df, progress=False, figure=False)
    want = pd.read_csv(tmp_path / "b" / "specifications.csv", float_precision="round_trip")
    assert large.results["estimate"].tolist() == want["estimate"].tolist()
    large = run_robustness(spec, tmp_path / "c", frame=df, progress=False, figure=False)
    shutil.rmtree(tmp_path / "c")
    with pytest.raises(EnforcementLabError, match="gone"):
        large.results  # noqa: B018
