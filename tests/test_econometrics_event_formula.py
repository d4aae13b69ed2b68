"""Event studies from specs whose controls are formula terms (C(), lag(), log(),
interactions): the same numbers as the event study on columns built by hand, as
linearmodels' PanelOLS with the event-time dummies, and as statsmodels OLS with entity and
year dummies, in the absorbed fast path and the linearmodels fallback."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econometrics import did
from econometrics.covariance import Covariance
from econometrics.estimators import fit
from econometrics.spec import Spec
from enforcement_lab.data.synthetic import staggered_panel
from enforcement_lab.errors import SpecError

FORMULA = "y ~ x1 + log(x2) + lag(x1, 1) + diff(x2) + C(grp, base='w') + x1:log(x2) | iso3 + year"


def _data(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    d = staggered_panel(n_entities=45, n_years=14, seed=seed, sigma=0.3).reset_index()
    d["x1"] = rng.normal(size=len(d))
    d["x2"] = np.exp(rng.normal(size=len(d)))
    d["grp"] = np.array(list("uvw"))[rng.integers(0, 3, len(d))]
    region = np.array(list("abc"))[rng.integers(0, 3, d["iso3"].nunique())]
    d["region"] = region[pd.factorize(d["iso3"])[0]]  # time-invariant: absorbed
    d["y"] = d["y"] + 0.4 * d["x1"] - 0.2 * np.log(d["x2"]) + 0.3 * (d["grp"] == "u")
    return d[rng.random(len(d)) > 0.07].reset_index(drop=True)  # gaps in the years


def _by_hand(d: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The formula's columns written out: lags and differences by year value within
    country (a gap gives a missing value), treatment dummies against base 'w'."""
    prev = {(e, t): i for i, (e, t) in enumerate(zip(d["iso3"], d["year"], strict=True))}
    before = [prev.get((e, t - 1)) for e, t in zip(d["iso3"], d["year"], strict=True)]

    def lagged(col: str) -> np.ndarray:
        v = d[col].to_numpy(float)
        return np.array([np.nan if j is None else v[j] for j in before])

    h = d[["iso3", "year", "cohort", "y"]].copy()
    h["x1"] = d["x1"]
    h["log(x2)"] = np.log(d["x2"])
    h["L1.x1"] = lagged("x1")
    h["D1.x2"] = d["x2"] - lagged("x2")
    h["C(grp)[T.u]"] = (d["grp"] == "u").astype(float)
    h["C(grp)[T.v]"] = (d["grp"] == "v").astype(float)
    h["x1:log(x2)"] = d["x1"] * np.log(d["x2"])
    controls = [c for c in h.columns if c not in ("iso3", "year", "cohort", "y")]
    return h.dropna(subset=controls).reset_index(drop=True), controls


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(
    "cov",
    [
        Covariance(),  # the absorbed fast path
        Covariance("clustered", "twoway"),  # the PanelOLS fallback
        Covariance("driscoll-kraay", bandwidth=2),
    ],
)
def test_event_study_formula_equals_hand_built_columns(seed, cov):
    d = _data(seed)
    hand, controls = _by_hand(d)
    spec = Spec.from_formula(
        FORMULA,
        estimator="event_study",
        cov=cov.kind,
        cluster=cov.cluster if cov.kind == "clustered" else "entity",
        options={"method": "twfe", "leads": 3, "lags": 3}
        | ({"bandwidth": 2} if cov.kind == "driscoll-kraay" else {}),
    )
    got = fit(spec, d)
    want = did.event_study(hand, "y", leads=3, lags=3, controls=controls, cov=cov)
    assert list(got.params.index) == list(want.params.index)
    assert got.nobs == want.nobs == len(hand)
    np.testing.assert_allclose(got.params, want.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got.std_errors, want.std_errors, rtol=1e-10, atol=1e-12)
    assert got.cov_label == cov.label
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cohorts without event time -1 are left out
        sa = fit(spec.replace(options=tuple((k, v) for k, v in spec.options if k != "method")), d)
        sa_hand = did.sun_abraham(hand, "y", leads=3, lags=3, controls=controls, cov=cov)
    np.testing.assert_allclose(sa.params, sa_hand.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sa.std_errors, sa_hand.std_errors, rtol=1e-10, atol=1e-12)


def test_event_study_formula_equals_linearmodels_and_statsmodels():
    """The formula event study against PanelOLS on the event dummies and the hand-built
    columns (clustered by entity and by time), and statsmodels OLS with country and year
    dummies; the time-invariant C(region) is dropped with a note."""
    import statsmodels.api as sm
    from linearmodels.panel import PanelOLS

    d = _data(2)
    hand, controls = _by_hand(d)
    spec = Spec.from_formula(
        FORMULA.replace(" |", " + C(region) |"),
        estimator="event_study",
        options={"method": "twfe", "leads": 3, "lags": 3},
    )
    got = fit(spec, d)
    assert any("C(region)[T.b] dropped" in n for n in got.notes)
    ev = did.event_dummies(hand, "cohort", "year", 3, 3)
    x = pd.concat([ev.loc[:, ev.to_numpy().any(axis=0)], hand[controls]], axis=1)
    idx = pd.MultiIndex.from_arrays([hand["iso3"], hand["year"]])
    model = PanelOLS(
        hand["y"].set_axis(idx), x.set_axis(idx), entity_effects=True, time_effects=True
    )
    for cluster in ("entity", "time"):
        res = got if cluster == "entity" else fit(spec.replace(cluster="time"), d)
        ref = model.fit(cov_type="clustered", **{f"cluster_{cluster}": True})
        np.testing.assert_allclose(res.params[list(x.columns)], ref.params, rtol=1e-10)
        np.testing.assert_allclose(res.std_errors[list(x.columns)], ref.std_errors, rtol=1e-10)
    dummies = pd.get_dummies(hand[["iso3", "year"]].astype(str), drop_first=True, dtype=float)
    ols = sm.OLS(hand["y"], sm.add_constant(pd.concat([x, dummies], axis=1))).fit()
    np.testing.assert_allclose(got.params[list(x.columns)], ols.params[list(x.columns)], atol=1e-9)


def test_event_study_formula_from_a_spec_file_and_the_cli(tmp_path):
    from typer.testing import CliRunner

    from enforcement_lab.cli import app

    d = _data(3)
    d.to_csv(tmp_path / "panel.csv", index=False)
    (tmp_path / "es.toml").write_text(
        f'[data]\nsource = "{tmp_path / "panel.csv"}"\nsample = "year >= 1992"\n\n[model]\n'
        f'formula = "{FORMULA}"\nestimator = "event_study"\n'
        'options = { method = "twfe", leads = 2, lags = 2 }\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = CliRunner().invoke(app, ["fit", str(tmp_path / "es.toml"), "--out", str(out)])
    assert run.exit_code == 0, run.output
    coefs = pd.read_csv(next(out.glob("*coef*.csv")))
    spec = Spec.from_formula(
        FORMULA,
        estimator="event_study",
        sample="year >= 1992",
        options={"method": "twfe", "leads": 2, "lags": 2},
    )
    py = fit(spec, d)
    # lags come from the full data: 1991's x1 is the lag of 1992's
    hand, controls = _by_hand(d)
    hand = hand[hand["year"] >= 1992].reset_index(drop=True)
    want = did.event_study(hand, "y", leads=2, lags=2, controls=controls)
    np.testing.assert_allclose(py.params, want.params, rtol=1e-10)
    col = next(c for c in coefs.columns if c.lower() in ("estimate", "coef", "param", "parameter"))
    name = coefs.columns[0]
    np.testing.assert_allclose(
        coefs.set_index(name)[col].reindex(py.params.index), py.params, rtol=1e-12
    )


def test_event_study_formula_mistakes_are_spec_errors():
    d = _data(4)
    for formula, match in (
        ("y ~ nope | iso3 + year", "nope"),
        ("y ~ C(one) | iso3 + year", "1 level"),
    ):
        with pytest.raises(SpecError, match=match):
            fit(Spec.from_formula(formula, estimator="event_study"), d.assign(one="a"))
    with pytest.raises(SpecError, match="event_study always absorbs"):
        fit(Spec.from_formula("y ~ x1 | iso3", estimator="event_study"), d)
    with pytest.raises(SpecError, match=r"unknown column\(s\) \['adoption'\]"):
        fit(Spec.from_formula("y ~ x1", estimator="event_study", options={"cohort": "adoption"}), d)
