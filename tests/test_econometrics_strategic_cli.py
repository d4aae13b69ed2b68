"""`enforcement-lab fit` with estimator = "strategic" and "qre"; the GSP cases coded as a game."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econometrics.strategic import fit_qre, fit_sequential, simulate_sequential
from econometrics.strategic.gsp import gsp_game_outcomes
from enforcement_lab.cli import app
from enforcement_lab.data import load_shipped

runner = CliRunner()

STRATEGIC = """
[data]
source = "plays.csv"
[model]
estimator = "strategic"
outcome = "y"
link = "logit"
cov = "clustered"
cluster = "g"
[model.utilities]
u11 = "0"
u13 = "1"
u14 = "1 + z"
u24 = "1 + x"
"""


def _plays(tmp_path) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    df = pd.DataFrame({"x": rng.normal(size=800), "z": rng.normal(size=800)})
    df["g"] = np.arange(800) % 25
    u = {"u11": 0 * df.x, "u13": 0.5 + 0 * df.x, "u14": -0.5 + df.z, "u24": 0.2 + df.x}
    df["y"] = simulate_sequential(u, "logit", rng=5)
    df.to_csv(tmp_path / "plays.csv", index=False)
    return df


def test_fit_strategic_spec_through_the_cli(tmp_path):
    df = _plays(tmp_path)
    (tmp_path / "spec.toml").write_text(STRATEGIC, encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(tmp_path / "spec.toml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "u24:x" in r.output
    coefs = pd.read_csv(out / "coefficients.csv").set_index("term")
    ref = fit_sequential(
        df,
        "y",
        {"u11": "0", "u13": "1", "u14": "1 + z", "u24": "1 + x"},
        "logit",
        cov="clustered",
        cluster="g",
    )
    np.testing.assert_allclose(coefs["estimate"], ref.params[coefs.index], rtol=1e-6)
    np.testing.assert_allclose(coefs["std_error"], ref.std_errors[coefs.index], rtol=1e-6)
    # utilities may also sit in [model.options]
    alt = STRATEGIC.replace("[model.utilities]\n", "[model.options]\n")
    (tmp_path / "alt.toml").write_text(alt, encoding="utf-8")
    r2 = runner.invoke(app, ["fit", str(tmp_path / "alt.toml")])
    assert r2.exit_code == 0, r2.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('u24 = "1 + x"', 'u24 = "1 + nope"'), "formula"),
        (('link = "logit"', 'link = "cauchit"'), "link"),
        (('outcome = "y"', 'outcome = "x"'), "outside the game's outcomes"),
        (("[model.utilities]", "colour = 1\n[model.utilities]"), "unknown key"),
    ],
)
def test_bad_strategic_specs_exit_2(tmp_path, change, message):
    _plays(tmp_path)
    (tmp_path / "spec.toml").write_text(STRATEGIC.replace(*change), encoding="utf-8")
    r = runner.invoke(app, ["fit", str(tmp_path / "spec.toml")])
    assert r.exit_code == 2, r.output
    assert message in r.output


def test_fit_qre_spec_through_the_cli(tmp_path):
    spec = (
        '[model]\nestimator = "qre"\nA = [[4, 0], [3, 3]]\nB = [[4, 3], [0, 3]]\n'
        "counts = [[30, 12], [26, 16]]\n"
    )
    (tmp_path / "qre.toml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(tmp_path / "qre.toml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    coefs = pd.read_csv(out / "coefficients.csv").set_index("term")
    ref = fit_qre(([[4, 0], [3, 3]], [[4, 3], [0, 3]]), ([30, 12], [26, 16]))
    assert coefs.loc["lambda", "estimate"] == pytest.approx(ref.lam, rel=1e-8)


def test_gsp_cases_as_game_outcomes():
    cases = gsp_game_outcomes(load_shipped("gsp_worker_rights_reviews"))
    assert len(cases) == 34
    assert cases["game_outcome"].value_counts().to_dict() == {1: 15, 4: 15, 3: 4}
    assert set(cases.loc[cases["outcome"] == "continued_review", "game_outcome"]) == {3}
    res = fit_sequential(cases, "game_outcome", {"u11": "0", "u13": "1", "u14": "0", "u24": "1"})
    # u24 alone: the share of sanctions among the 19 plays that reached the US
    assert res.predict({}).loc[0, "p4"] / (1 - res.predict({}).loc[0, "p1"]) == pytest.approx(
        15 / 19, rel=1e-6
    )


def test_fixed_utilities_scale_and_game_through_the_cli(tmp_path):
    df = _plays(tmp_path)
    spec = (
        '[data]\nsource = "plays.csv"\n[model]\nestimator = "strategic"\noutcome = "y"\n'
        'link = "logit"\nscale = ["1", "0"]\ngame = "egame12"\n'
        '[model.utilities]\nu14 = "1 + z"\nu24 = "1 + x"\n[model.fixed]\nu13 = 0.5\n'
    )
    (tmp_path / "fixed.toml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(tmp_path / "fixed.toml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    coefs = pd.read_csv(out / "coefficients.csv").set_index("term")
    ref = fit_sequential(
        df, "y", {"u14": "1 + z", "u24": "1 + x"}, "logit", fixed={"u13": 0.5}, scale=["1", "0"]
    )
    np.testing.assert_allclose(coefs["estimate"], ref.params[coefs.index], rtol=1e-6)
    assert "log_sigma1:Intercept" in coefs.index
    bad = spec.replace("u13 = 0.5", 'u13 = "high"')
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    r = runner.invoke(app, ["fit", str(tmp_path / "bad.toml")])
    assert r.exit_code == 2 and "model.fixed" in r.output


def test_qre_with_covariate_payoffs_through_the_cli(tmp_path):
    from econometrics.strategic import fit_qre_covariates, simulate_qre_covariates

    rng = np.random.default_rng(9)
    df = pd.DataFrame({"x": rng.choice([-1.0, 0.0, 1.0], size=600)})
    payoffs = {"A": [[0, 0], ["1 + x", -1]], "B": [[0, -0.5], [0, "1"]]}
    truth = {"lambda": 2.0, "A[1,0]:Intercept": 0.3, "A[1,0]:x": 0.8, "B[1,1]:Intercept": 1.0}
    df["s"], df["e"] = simulate_qre_covariates(df, payoffs, truth, rng=10)
    df.to_csv(tmp_path / "plays.csv", index=False)
    spec = (
        '[data]\nsource = "plays.csv"\n[model]\nestimator = "qre"\nactions = ["s", "e"]\n'
        'A = [[0, 0], ["1 + x", -1]]\nB = [[0, -0.5], [0, "1"]]\n'
    )
    (tmp_path / "q.toml").write_text(spec, encoding="utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["fit", str(tmp_path / "q.toml"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    coefs = pd.read_csv(out / "coefficients.csv").set_index("term")
    ref = fit_qre_covariates(df, ("s", "e"), payoffs)
    np.testing.assert_allclose(coefs["estimate"], ref.params[coefs.index], rtol=1e-6)
