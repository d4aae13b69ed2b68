"""`enforcement-lab fit`: table printed, files written atomically, bad specs exit 2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econometrics.estimators import fit
from econometrics.spec import Spec
from enforcement_lab.cli import app
from enforcement_lab.data import synthetic

runner = CliRunner()

SPEC = """
[data]
source = "{source}"
entity = "iso3"
time = "year"
[model]
outcome = "{outcome}"
regressors = {regressors}
effects = ["entity", "time"]
cluster = "entity"
estimator = "panel_ols"
"""


def _write(tmp_path, **kw):
    p = tmp_path / "spec.toml"
    p.write_text(SPEC.format(**kw), encoding="utf-8")
    return p


def test_fit_csv_writes_table_and_coefficients(tmp_path):
    df = synthetic.twfe_panel(n_entities=20, n_years=8, seed=2)
    df.reset_index().to_csv(tmp_path / "panel.csv", index=False)
    spec_path = _write(tmp_path, source="panel.csv", outcome="y", regressors='["treatment", "x1"]')
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(spec_path), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "| treatment |" in r.output and "| Entity FE | Yes |" in r.output
    coef = pd.read_csv(out / "coefficients.csv", float_precision="round_trip")
    assert list(coef.columns) == ["term", "estimate", "std_error", "p_value", "nobs"]
    ref = fit(Spec(outcome="y", regressors=("treatment", "x1"), effects=("entity", "time")), df)
    # full precision (not 10 significant digits); the CSV round trip of the data
    # itself may move the last bit of the estimates
    np.testing.assert_allclose(coef["estimate"], ref.params.values, rtol=1e-14)
    np.testing.assert_allclose(coef["std_error"], ref.std_errors.values, rtol=1e-14)
    assert (coef["nobs"] == 160).all()
    assert (out / "table.md").read_text().startswith("| term | y |")
    assert r"\begin{tabular}" in (out / "table.tex").read_text()
    assert not list(out.glob(".*part"))


@pytest.mark.parametrize(
    "body,key",
    [
        ('[data]\nsource = "x.csv"\n[model]\noutcome = "y"\nregresors = ["a"]\n', "regresors"),
        (
            '[data]\nsource = "x.csv"\n[model]\noutcome = "y"\nregressors = ["a"]\n'
            'estimator = "ols2"\n',
            "model.estimator",
        ),
        ('[data]\nsource = "x.csv"\n[model]\nregressors = ["a"]\n', "outcome"),
    ],
)
def test_bad_spec_exits_2_naming_the_key(tmp_path, body, key):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    r = runner.invoke(app, ["fit", str(p)])
    assert r.exit_code == 2
    assert "error:" in r.output and key in r.output


def test_unknown_column_exits_2(tmp_path):
    df = synthetic.twfe_panel(n_entities=12, n_years=5, seed=1)
    df.reset_index().to_csv(tmp_path / "panel.csv", index=False)
    p = _write(tmp_path, source="panel.csv", outcome="y", regressors='["nope"]')
    r = runner.invoke(app, ["fit", str(p)])
    assert r.exit_code == 2 and "nope" in r.output


def test_fit_real_labour_rights_panel(tmp_path, mirror_dir):
    p = _write(
        tmp_path,
        source="labour_rights_controls_panel",
        outcome="CIRI_WORKER",
        regressors='["polity2", "logGDPpc", "logtrade", "logpopulation"]',
    )
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(p), "--out", str(out), "--mirror", str(mirror_dir)])
    assert r.exit_code == 0, r.output
    coef = pd.read_csv(out / "coefficients.csv")
    assert coef["term"].tolist() == ["polity2", "logGDPpc", "logtrade", "logpopulation"]
    from enforcement_lab.data import load_source

    data = load_source("labour_rights_controls_panel", mirror=mirror_dir)
    spec = Spec(
        outcome="CIRI_WORKER",
        regressors=("polity2", "logGDPpc", "logtrade", "logpopulation"),
        effects=("entity", "time"),
    )
    ref = fit(spec, data)
    np.testing.assert_allclose(coef["estimate"], ref.params.values, rtol=1e-9)
    assert coef["nobs"].iloc[0] == ref.nobs > 1000
    # more democratic country-years score higher on CIRI worker rights within country
    assert coef.loc[0, "estimate"] > 0 and coef.loc[0, "p_value"] < 0.01


def test_fit_cli_cox_and_logit_with_year_dummies(tmp_path):
    """Other estimators through the CLI: a stratified, clustered Cox model on spells, and a
    logit with year effects whose year dummies are in the CSV but not in the table."""
    sp = synthetic.ratification_spells(n_countries=40, seed=3)
    sp.to_csv(tmp_path / "spells.csv", index=False)
    (tmp_path / "cox.toml").write_text(
        '[data]\nsource = "spells.csv"\n[model]\noutcome = "event"\n'
        'regressors = ["logGDPpc", "left_gov"]\nestimator = "cox"\n'
        'options = {strata = "convention"}\n',
        encoding="utf-8",
    )
    r = runner.invoke(app, ["fit", str(tmp_path / "cox.toml"), "--out", str(tmp_path / "cox")])
    assert r.exit_code == 0, r.output
    assert "| Cluster | iso3 |" in r.output and "| Estimator | cox |" in r.output
    coef = pd.read_csv(tmp_path / "cox" / "coefficients.csv")
    from econometrics import hazard

    ref = hazard.cox(sp, ["logGDPpc", "left_gov"], strata="convention", cluster="iso3")
    # full precision (not 10 significant digits); the CSV round trip of the data
    # itself may move the last bit of the estimates
    np.testing.assert_allclose(coef["estimate"], ref.params.values, rtol=1e-14)
    np.testing.assert_allclose(coef["std_error"], ref.std_errors.values, rtol=1e-14)
    assert (coef["nobs"] == len(sp)).all()

    df = synthetic.ordered_panel(n_entities=30, n_years=10, seed=5)
    df["b"] = (df["WORKER"] >= 1).astype(int)
    df.reset_index().to_csv(tmp_path / "panel.csv", index=False)
    (tmp_path / "logit.toml").write_text(
        '[data]\nsource = "panel.csv"\n[model]\noutcome = "b"\nregressors = ["polity2"]\n'
        'effects = ["time"]\nestimator = "logit"\n',
        encoding="utf-8",
    )
    out = tmp_path / "logit"
    r = runner.invoke(app, ["fit", str(tmp_path / "logit.toml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "time_" not in r.output and "| Time FE | Yes |" in r.output
    coef = pd.read_csv(out / "coefficients.csv")
    assert coef["term"].str.startswith("time_").sum() == 9
    assert "time_" not in (out / "table.md").read_text()


def test_fit_help_shows_the_table_names():
    r = runner.invoke(app, ["fit", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert "[data] and [model]" in r.output


def test_relative_source_is_read_beside_the_spec_file_not_the_working_directory(
    tmp_path, monkeypatch
):
    """One rule for ``[data] source`` (registry.resolve_source): a relative path is
    relative to the spec file's folder; a file of the same name in the working directory
    is never read, and a file only there is an error naming the path looked for."""
    from enforcement_lab.data.registry import resolve_source

    specs, cwd = tmp_path / "specs", tmp_path / "cwd"
    (specs / "data").mkdir(parents=True)
    cwd.mkdir()
    good = synthetic.twfe_panel(n_entities=10, n_years=6, seed=3).reset_index()
    good.to_csv(specs / "data" / "panel.csv", index=False)
    (cwd / "data").mkdir()
    good.assign(y=0.0).to_csv(cwd / "data" / "panel.csv", index=False)  # a decoy
    good.to_csv(cwd / "only_here.csv", index=False)
    monkeypatch.chdir(cwd)
    spec_path = specs / "spec.toml"
    spec_path.write_text(
        SPEC.format(source="data/panel.csv", outcome="y", regressors='["x1"]'), encoding="utf-8"
    )
    r = runner.invoke(app, ["fit", str(spec_path), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    coef = pd.read_csv(tmp_path / "out" / "coefficients.csv")
    ref = fit(Spec(outcome="y", regressors=("x1",), effects=("entity", "time")), good)
    np.testing.assert_allclose(coef["estimate"], ref.params.values, rtol=1e-10)
    spec_path.write_text(
        SPEC.format(source="only_here.csv", outcome="y", regressors='["x1"]'), encoding="utf-8"
    )
    r = runner.invoke(app, ["fit", str(spec_path)])
    assert r.exit_code == 2 and f"{specs / 'only_here.csv'} does not exist" in r.output
    assert resolve_source("ciri", spec_path) == "ciri"  # names are never files
    assert resolve_source(str(cwd / "only_here.csv"), spec_path) == str(cwd / "only_here.csv")
    assert resolve_source("x.csv") == "x.csv"  # no spec file: the working directory
