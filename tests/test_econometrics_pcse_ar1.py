"""Prais-Winsten regression with panel-corrected standard errors (Stata ``xtpcse,
correlation(ar1)`` and ``correlation(psar1)``), checked against a direct implementation
written here with loops, statsmodels' GLS under the AR(1) covariance, and R
``plm::vcovBK`` on the transformed data (numbers recorded below; recomputed live where
Rscript exists)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econometrics.covariance import Covariance
from econometrics.estimators import fit
from econometrics.spec import Spec
from enforcement_lab.errors import SpecError

DATA = Path(__file__).parent / "data"


def _panel(seed: int, n_units: int = 9, n_years: int = 16, drop: tuple[int, ...] = ()):
    """AR(1) errors (rho 0.6) and unit-specific variances; ``drop`` removes rows (gaps)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_units):
        e, s = 0.0, 0.5 + rng.random()
        for t in range(n_years):
            e = 0.6 * e + s * rng.normal()
            x1, x2 = rng.normal(), rng.normal()
            rows.append(
                {
                    "iso3": f"U{i:02d}",
                    "year": 1990 + t,
                    "x1": x1,
                    "x2": x2,
                    "y": 1.0 + 0.5 * x1 - 0.3 * x2 + e,
                }
            )
    d = pd.DataFrame(rows).drop(index=list(drop)).reset_index(drop=True)
    return d.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # row order is not time


def _reference(d: pd.DataFrame, correlation: str, np1: bool = False, variant: str = "pairwise"):
    """Prais-Winsten + OLS + PCSE written out unit by unit and period by period."""
    d = d.sort_values(["iso3", "year"]).reset_index(drop=True)
    x = np.c_[np.ones(len(d)), d["x1"], d["x2"]]
    y = d["y"].to_numpy()
    e = y - x @ np.linalg.solve(x.T @ x, x.T @ y)
    units = list(dict.fromkeys(d["iso3"]))
    rows = {u: list(d.index[d["iso3"] == u]) for u in units}
    rho_i, weight = {}, {}
    for u, idx in rows.items():
        num = den = 0.0
        pairs = 0
        for a, b in itertools.pairwise(idx):
            if d.at[b, "year"] - d.at[a, "year"] == 1:
                num += e[b] * e[a]
                den += e[a] ** 2
                pairs += 1
        if pairs:
            rho_i[u] = num / den
            weight[u] = len(idx) if np1 else len(idx) - 1
    if correlation == "ar1":
        common = sum(weight[u] * rho_i[u] for u in rho_i) / sum(weight.values())
        rho = dict.fromkeys(units, common)
    else:
        rho = {u: rho_i.get(u, 0.0) for u in units}
    ys, xs = np.empty_like(y), np.empty_like(x)
    for u, idx in rows.items():
        r = rho[u]
        for j, b in enumerate(idx):
            a = idx[j - 1] if j else None
            if a is not None and d.at[b, "year"] - d.at[a, "year"] == 1:
                ys[b], xs[b] = y[b] - r * y[a], x[b] - r * x[a]
            else:
                ys[b], xs[b] = np.sqrt(1 - r**2) * y[b], np.sqrt(1 - r**2) * x[b]
    beta = np.linalg.solve(xs.T @ xs, xs.T @ ys)
    es = ys - xs @ beta
    at = {(d.at[i, "iso3"], d.at[i, "year"]): i for i in range(len(d))}
    years = sorted(d["year"].unique())
    full = [t for t in years if all((u, t) in at for u in units)]
    sigma = np.zeros((len(units), len(units)))
    for p, u in enumerate(units):
        for q, v in enumerate(units):
            common_t = [
                t
                for t in (full if variant == "balanced" else years)
                if (u, t) in at and (v, t) in at
            ]
            if common_t:
                sigma[p, q] = np.mean([es[at[u, t]] * es[at[v, t]] for t in common_t])
    meat = np.zeros((3, 3))
    for t in years:
        for p, u in enumerate(units):
            for q, v in enumerate(units):
                if (u, t) in at and (v, t) in at:
                    meat += sigma[p, q] * np.outer(xs[at[u, t]], xs[at[v, t]])
    bread = np.linalg.inv(xs.T @ xs)
    return beta, bread @ meat @ bread, rho, d.assign(y=ys, c0=xs[:, 0], c1=xs[:, 1], c2=xs[:, 2])


def _spec(correlation: str, **options) -> Spec:
    return Spec(
        "y",
        ("x1", "x2"),
        estimator="pooled_ols",
        cov="pcse",
        ssc="stata",
        options={"correlation": correlation, **options},
    )


CASES = [
    ("ar1", False, "pairwise", 0, ()),
    ("ar1", True, "pairwise", 1, (3, 17, 18, 60)),  # gaps and a shorter unit
    ("psar1", False, "pairwise", 2, (0, 31, 99)),
    ("ar1", False, "balanced", 3, (5, 40)),
    ("psar1", False, "balanced", 4, ()),
]


@pytest.mark.parametrize(("correlation", "np1", "variant", "seed", "drop"), CASES)
def test_prais_winsten_pcse_equals_direct_implementation(correlation, np1, variant, seed, drop):
    d = _panel(seed, drop=drop)
    opts = {"np1": True} if np1 else {}
    res = fit(_spec(correlation, pcse=variant, **opts), d)
    beta, v, rho, _ = _reference(d, correlation, np1, variant)
    np.testing.assert_allclose(res.params.to_numpy(), beta, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(res.cov.to_numpy(), v, rtol=1e-9, atol=1e-14)
    if correlation == "ar1":
        assert res.extra["rho"] == pytest.approx(next(iter(rho.values())), abs=1e-12)
    else:
        got = res.raw.rho
        np.testing.assert_allclose(got[list(rho)].to_numpy(), list(rho.values()), atol=1e-12)
    assert res.nobs == len(d)
    assert "Prais-Winsten AR(1)" in res.cov_label and variant in res.cov_label


@pytest.mark.parametrize("correlation", ["ar1", "psar1"])
def test_prais_winsten_coefficients_equal_statsmodels_gls(correlation):
    """On a balanced panel without gaps the Prais-Winsten transform is exact GLS under
    stationary AR(1) errors with the estimated rho: statsmodels' GLS with that
    block-diagonal covariance gives the same coefficients."""
    import statsmodels.api as sm

    d = _panel(5).sort_values(["iso3", "year"]).reset_index(drop=True)
    res = fit(_spec(correlation), d)
    rho = res.raw.rho
    blocks = []
    for u in dict.fromkeys(d["iso3"]):
        r = rho if isinstance(rho, float) else rho[u]
        t = np.arange((d["iso3"] == u).sum())
        blocks.append(r ** np.abs(t[:, None] - t[None, :]) / (1 - r**2))
    n = len(d)
    omega = np.zeros((n, n))
    pos = 0
    for b in blocks:
        omega[pos : pos + len(b), pos : pos + len(b)] = b
        pos += len(b)
    gls = sm.GLS(d["y"], sm.add_constant(d[["x1", "x2"]]), sigma=omega).fit()
    np.testing.assert_allclose(res.params.to_numpy(), gls.params.to_numpy(), rtol=1e-9)


# plm 2.6-2 vcovBK(type = "HC0", cluster = "time") on the transformed data of
# _panel(6, drop=(2, 30, 31, 100)) with correlation ar1: coefficients, then standard errors.
R_PLM = [
    1.0926874801774911,
    0.56659523295266889,
    -0.42896736823918391,
    0.20478525819681478,
    0.064873519070739738,
    0.078736004300312634,
]


def _r_case(tmp_path: Path) -> tuple[pd.DataFrame, Path]:
    d = _panel(6, drop=(2, 30, 31, 100))
    _, _, _, transformed = _reference(d, "ar1")
    path = tmp_path / "pw.csv"
    transformed.rename(columns={"iso3": "unit"})[["unit", "year", "y", "c0", "c1", "c2"]].to_csv(
        path, index=False, float_format="%.17g"
    )
    return d, path


def test_prais_winsten_pcse_equals_recorded_plm_vcovbk(tmp_path):
    d, _ = _r_case(tmp_path)
    res = fit(_spec("ar1"), d)
    np.testing.assert_allclose(res.params.to_numpy(), R_PLM[:3], rtol=1e-9)
    np.testing.assert_allclose(res.std_errors.to_numpy(), R_PLM[3:], rtol=1e-8)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_prais_winsten_pcse_equals_live_plm_vcovbk(tmp_path):
    d, path = _r_case(tmp_path)
    out = subprocess.run(
        ["Rscript", str(DATA / "pcse_ar1_plm.R"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if out.returncode != 0 and "plm" in out.stderr:
        pytest.skip("R package plm is not installed")
    live = [float(v) for v in out.stdout.split()]
    np.testing.assert_allclose(live, R_PLM, rtol=1e-12)
    res = fit(_spec("ar1"), d)
    np.testing.assert_allclose(res.std_errors.to_numpy(), live[3:], rtol=1e-8)


def test_prais_winsten_with_time_effects_and_formula_from_cli_and_python(tmp_path):
    """Time effects are dummies transformed with the rest (xtpcse y x i.year); the CLI
    and Python give the same numbers, and the direct implementation with the year
    dummies as regressors agrees."""
    from typer.testing import CliRunner

    from enforcement_lab.cli import app

    d = _panel(7, drop=(4, 50))
    d["region"] = np.where(d["iso3"] < "U04", "north", "south")
    d["x2"] = np.exp(d["x2"])
    d.to_csv(tmp_path / "p.csv", index=False)
    formula = "y ~ x1 + log(x2) + lag(x1, 1) + C(region) | year"
    (tmp_path / "s.toml").write_text(
        f'[data]\nsource = "{tmp_path / "p.csv"}"\n\n[model]\nformula = "{formula}"\n'
        'cov = "pcse"\nssc = "stata"\noptions = { correlation = "ar1" }\n',
        encoding="utf-8",
    )
    run = CliRunner().invoke(app, ["fit", str(tmp_path / "s.toml"), "--out", str(tmp_path / "o")])
    assert run.exit_code == 0, run.output
    spec = Spec.from_formula(formula, cov="pcse", ssc="stata", options={"correlation": "ar1"})
    py = fit(spec, d)
    coefs = pd.read_csv(tmp_path / "o" / "coefficients.csv").set_index("term")
    np.testing.assert_allclose(coefs["estimate"][py.params.index], py.params, rtol=1e-12)
    np.testing.assert_allclose(coefs["std_error"][py.params.index], py.std_errors, rtol=1e-12)
    assert "Prais-Winsten" in (tmp_path / "o" / "table.md").read_text(encoding="utf-8")


def test_prais_winsten_refusals():
    d = _panel(8)
    with pytest.raises(SpecError, match=r"options\.correlation applies to cov = 'pcse'"):
        fit(
            Spec(
                "y", ("x1",), estimator="pooled_ols", cov="robust", options={"correlation": "ar1"}
            ),
            d,
        )
    with pytest.raises(SpecError, match=r"options\.correlation 'ma1' is unknown"):
        fit(_spec("ma1"), d)
    with pytest.raises(SpecError, match=r"options\.np1 applies to correlation = 'ar1'"):
        fit(_spec("psar1", np1=True), d)
    with pytest.raises(SpecError, match=r"options\.np1 must be true or false"):
        fit(_spec("ar1", np1="yes"), d)
    assert Covariance("pcse", correlation="ar1").label.startswith("Prais-Winsten AR(1)")
