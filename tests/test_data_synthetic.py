"""Synthetic panels: seeded, marked, and their true parameters recovered by standard estimators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels import PanelOLS

from enforcement_lab.data import synthetic
from enforcement_lab.errors import DataError

GENERATORS = [
    synthetic.twfe_panel,
    synthetic.staggered_panel,
    synthetic.ratification_spells,
    synthetic.ordered_panel,
    synthetic.count_panel,
]


@pytest.mark.parametrize("gen", GENERATORS, ids=lambda g: g.__name__)
def test_marked_and_seeded(gen):
    a, b, c = gen(seed=11), gen(seed=11), gen(seed=12)
    assert a.attrs["synthetic"] is True
    assert isinstance(a.attrs["truth"], dict) and a.attrs["truth"]
    assert a.attrs["generator"]["seed"] == 11
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.parametrize(
    "gen",
    [g for g in GENERATORS if g is not synthetic.ratification_spells],
    ids=lambda g: g.__name__,
)
def test_panel_index(gen):
    df = gen(seed=0)
    assert df.index.names == ["iso3", "year"]
    assert df.index.is_unique
    assert all(code.startswith("X") and len(code) == 3 for code in df.index.get_level_values(0))


def test_twfe_recovers_beta_and_pooled_is_biased():
    df = synthetic.twfe_panel(n_entities=200, n_years=20, beta=0.5, seed=1)
    X = df[["treatment", "x1", "x2"]]
    fe = PanelOLS(df["y"], X, entity_effects=True, time_effects=True).fit()
    truth = df.attrs["truth"]
    assert fe.params["treatment"] == pytest.approx(truth["beta"], abs=0.04)
    assert fe.params["x1"] == pytest.approx(truth["gamma"]["x1"], abs=0.04)
    assert fe.params["x2"] == pytest.approx(truth["gamma"]["x2"], abs=0.04)
    pooled = sm.OLS(df["y"], sm.add_constant(X)).fit()
    assert pooled.params["treatment"] > truth["beta"] + 0.3  # confounded by the fixed effects


def test_twfe_effects_are_the_truth():
    df = synthetic.twfe_panel(n_entities=5, n_years=4, beta=2.0, seed=3, sigma=0.0)
    t = df.attrs["truth"]
    recon = [
        t["entity_effects"][i] + t["time_effects"][y] + 2.0 * r.treatment + 0.3 * r.x1 - 0.2 * r.x2
        for (i, y), r in df.iterrows()
    ]
    np.testing.assert_allclose(df["y"], recon, atol=1e-12)


def test_staggered_structure_and_event_study():
    df = synthetic.staggered_panel(n_entities=400, n_years=20, seed=1, sigma=0.5)
    truth = df.attrs["truth"]
    never = df["never_treated"]
    assert df.loc[never, "treated"].eq(0).all() and df.loc[never, "cohort"].isna().all()
    assert never.groupby(level="iso3").first().sum() == round(400 / 3)
    # treatment is absorbing and event time is year - cohort
    d = df[~never].reset_index()
    assert (d["event_time"] == d["year"] - d["cohort"]).all()
    assert ((d["event_time"] >= 0).astype(int) == d["treated"]).all()
    # event-study TWFE with bins -4..5 (reference -1, never-treated included) recovers tau(e)
    et = df["event_time"].astype("float").clip(-4, 5)
    bins = [e for e in range(-4, 6) if e != -1]
    X = pd.DataFrame({f"e{e}": (et == e).astype(float) for e in bins}, index=df.index)
    res = PanelOLS(df["y"], X, entity_effects=True, time_effects=True).fit()
    for e in bins:
        assert res.params[f"e{e}"] == pytest.approx(truth["effects"][e], abs=0.12), e
    treated_cells = df["treated"] == 1
    eff = df.loc[treated_cells, "event_time"].clip(upper=5).map(truth["effects"])
    assert truth["att"] == pytest.approx(eff.mean())


def test_ratification_spells_left_truncation_and_cox():
    from lifelines import CoxPHFitter

    sp = synthetic.ratification_spells(n_countries=400, seed=1)
    truth = sp.attrs["truth"]
    assert (sp["stop"] > sp["start"]).all()
    assert sp["left_truncated"].any() and truth["n_dropped_truncated"] > 0
    assert ((sp["start"] > 0) == sp["left_truncated"]).all()
    assert (sp["at_risk_from"] >= sp["adopted"]).all()
    ev = sp[sp["event"] == 1]
    assert (ev["ratified_year"] >= 1980).all() and (ev["ratified_year"] <= 2015).all()
    assert sp.loc[sp["event"] == 0, "ratified_year"].isna().all()
    cols = ["start", "stop", "event", "logGDPpc", "polity2", "left_gov", "convention"]
    cph = CoxPHFitter().fit(
        sp[cols], duration_col="stop", event_col="event", entry_col="start", strata=["convention"]
    )
    for k, v in truth["coef"].items():
        assert cph.params_[k] == pytest.approx(v, abs=3 * cph.standard_errors_[k]), k


def test_ordered_panel_recovers_cutpoints():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    df = synthetic.ordered_panel(n_entities=300, n_years=20, seed=1)
    truth = df.attrs["truth"]
    assert set(df["WORKER"].unique()) == {0, 1, 2}
    res = OrderedModel(df["WORKER"], df[["polity2", "logGDPpc"]], distr="logit").fit(disp=0)
    p = res.params
    assert p["polity2"] == pytest.approx(truth["beta"]["polity2"], abs=0.08)
    assert p["logGDPpc"] == pytest.approx(truth["beta"]["logGDPpc"], abs=0.08)
    cut1 = p.iloc[-2]
    cut2 = cut1 + np.exp(p.iloc[-1])
    assert cut1 == pytest.approx(truth["cutpoints"][0], abs=0.1)
    assert cut2 == pytest.approx(truth["cutpoints"][1], abs=0.1)


def test_count_panel_recovers_rate():
    df = synthetic.count_panel(n_entities=300, n_years=20, seed=1)
    truth = df.attrs["truth"]
    X = sm.add_constant(df[["polity2", "gsp_review"]])
    res = sm.GLM(df["count"], X, family=sm.families.Poisson(), offset=np.log(df["exposure"])).fit()
    assert res.params["const"] == pytest.approx(truth["intercept"], abs=0.05)
    for k, v in truth["beta"].items():
        assert res.params[k] == pytest.approx(v, abs=0.05)


def test_bad_arguments_raise_data_error():
    with pytest.raises(DataError, match="n_entities"):
        synthetic.twfe_panel(n_entities=0)
    with pytest.raises(DataError, match="n_entities"):
        synthetic.synthetic_codes(677)
    with pytest.raises(DataError, match="cutpoints"):
        synthetic.ordered_panel(cutpoints=(1.0, 0.0))
    with pytest.raises(DataError, match="unknown covariates"):
        synthetic.ratification_spells(coef={"gdp": 1.0})
    with pytest.raises(DataError, match="cohorts"):
        synthetic.staggered_panel(n_years=10, cohorts=[1900])
