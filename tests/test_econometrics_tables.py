"""Many models from one spec file, one publication table (etable/stargazer layout)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from econometrics.estimators import fit
from econometrics.spec import Spec, read_spec_file
from enforcement_lab.cli import app

SPEC = """
[data]
source = "panel.csv"

[[model]]
label = "TWFE"
formula = "sw(y, y2) ~ x1 + csw(log(x2), C(region), lag(x3, 1)) | iso3 + year"

[[model]]
formula = "y ~ x1 + csw0(x4, x5)"
estimator = "pooled_ols"

[[model]]
formula = "y ~ x1 + sw(x4, x5) | year"
cov = "robust"

[[model]]
formula = "y ~ x1 + C(region, base='b') + sw(x4, x5)"
estimator = "random_effects"

[[model]]
label = "plain"
outcome = "y"
regressors = ["x1", "x3"]
effects = ["entity"]

[[model]]
formula = "yb ~ x1 + x4 | year"
estimator = "lpm"

[[model]]
formula = "y ~ x1 + diff(x4)"
estimator = "first_difference"
"""


def _panel(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        [(f"C{i:02d}", 1990 + j) for i in range(25) for j in range(10)], columns=["iso3", "year"]
    )
    df = df[rng.random(len(df)) > 0.1]
    df["region"] = df["iso3"].map({f"C{i:02d}": "abc"[i % 3] for i in range(25)})
    for c in ("x1", "x3", "x4", "x5"):
        df[c] = rng.normal(size=len(df))
    df["x2"] = np.exp(rng.normal(size=len(df)))
    df["y"] = df["x1"] + rng.normal(size=len(df))
    df["y2"] = df["y"] + df["x4"] + rng.normal(size=len(df))
    df["yb"] = (df["y"] > 0).astype(float)
    return df


def test_sixteen_models_one_spec_file_one_table(tmp_path):
    df = _panel()
    df.to_csv(tmp_path / "panel.csv", index=False)
    path = tmp_path / "models.toml"
    path.write_text(SPEC, encoding="utf-8")
    models = read_spec_file(path).models
    assert len(models) == 16
    labels = [m.label or f"({i + 1})" for i, m in enumerate(models)]
    assert labels[:6] == [f"TWFE.{j}" for j in range(1, 7)] and labels[13] == "plain"
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["fit", str(path), "--out", str(out)])
    assert r.exit_code == 0, r.output

    md = (out / "table.md").read_text(encoding="utf-8")
    tex = (out / "table.tex").read_text(encoding="utf-8")
    html = (out / "table.html").read_text(encoding="utf-8")
    rows = {
        line.split(" | ")[0].strip("| "): line for line in md.splitlines() if line.startswith("|")
    }
    header = md.splitlines()[0].strip("|").split("|")
    assert [h.strip() for h in header] == ["term", *labels]
    assert r"\begin{tabular}{l" + "c" * 16 + "}" in tex
    assert tex.count(r"\begin{table}") == 1 and html.count("<table") == 1
    # every coefficient and SE in the table is that of fitting the model alone
    coef = pd.read_csv(out / "coefficients.csv")
    assert coef["model"].unique().tolist() == labels
    for label, spec in zip(labels, models, strict=True):
        res = fit(spec, df)
        mine = coef[coef["model"] == label].set_index("term")
        np.testing.assert_allclose(mine["estimate"], res.params, rtol=1e-9)
        col = labels.index(label) + 1
        cells = rows["x1"].strip("|").split("|")
        assert cells[col].strip().startswith(f"{res.params['x1']:.3f}")
        assert f"{res.params['x1']:.3f}" in tex
    # factor levels, lags and log terms have their own rows; absorbed dummies are noted
    for term in ("log(x2)", "L1.x3", "C(region)[T.a]", "C(region)[T.c]", "D1.x4"):
        assert term in rows, term
    assert "C(region)[T.b] dropped: absorbed by the entity and time fixed effects" in md
    assert "TWFE.2: C(region)[T.b] dropped: absorbed" in tex
    # footer: outcome, N, R2 (overall and within), fixed effects, covariance, estimator
    for stat in ("Outcome", "N", "R²", "R² (within)", "Entity FE", "Time FE", "Std. errors"):
        assert stat in rows, stat
    assert rows["Outcome"].count("y2") == 3
    assert rows["Entity FE"].count("Yes") == 7  # six TWFE models and "plain"
    assert "Standard errors in parentheses" in md and "Standard errors in parentheses" in tex


def test_python_compare_of_formula_fits_equals_the_cli_table(tmp_path):
    from econometrics.tables import compare

    df = _panel(seed=1)
    specs = Spec.from_formulas("y ~ x1 + csw(x4, C(region)) | iso3", cov="robust")
    fits = {f"({i + 1})": fit(s, df) for i, s in enumerate(specs)}
    table = compare(fits, extra_rows={"Countries": [25, 25]})
    assert table.frame.loc["Countries"].tolist() == ["25", "25"]
    assert table.notes == (
        "(2): C(region)[T.b] dropped: absorbed by the entity fixed effects",
        "(2): C(region)[T.c] dropped: absorbed by the entity fixed effects",
    )
