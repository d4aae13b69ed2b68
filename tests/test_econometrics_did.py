"""Event studies on synthetic staggered panels: Sun-Abraham recovers the true dynamic effects,
TWFE is biased when effects differ across adoption cohorts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econometrics import did
from enforcement_lab.data.synthetic import staggered_panel
from enforcement_lab.errors import DataError

warnings.filterwarnings("ignore")


@pytest.fixture(scope="module")
def panel():
    return staggered_panel(n_entities=90, n_years=20, seed=1, sigma=0.1)


@pytest.fixture(scope="module")
def hetero(panel):
    """Add cohort-specific effects: later cohorts gain more (synthetic)."""
    d = panel.reset_index()
    e = d["year"] - d["cohort"].astype(float)
    g = d["cohort"].astype(float)
    extra = np.where(e >= 0, 0.15 * (g - g.mean()) * (np.minimum(e, 5) + 1) / 5, 0.0)
    d["extra"] = np.nan_to_num(extra)
    d["e"] = e
    d["y2"] = d["y"] + d["extra"]
    effects = panel.attrs["truth"]["effects"]
    d["true_effect"] = [0.0 if np.isnan(k) or k < -4 else effects[int(min(k, 5))] for k in e] + d[
        "extra"
    ]
    return d


def test_sun_abraham_recovers_true_dynamic_effects(panel):
    truth = panel.attrs["truth"]["effects"]
    sa = did.dynamic_effects(did.sun_abraham(panel, "y"))
    assert sa["event_time"].tolist() == [-4, -3, -2, 0, 1, 2, 3, 4, 5]
    for _, row in sa.iterrows():
        assert abs(row["estimate"] - truth[int(row["event_time"])]) < 4 * row["std_error"]
    assert (sa["std_error"] < 0.05).all()


def test_heterogeneous_effects_sa_unbiased_twfe_biased(hetero):
    sa = did.sun_abraham(hetero, "y2")
    es = did.event_study(hetero, "y2")
    truth_e = hetero.groupby("e")["true_effect"].mean()  # SA's weights: units observed at e
    dsa, des = did.dynamic_effects(sa), did.dynamic_effects(es)
    for _, row in dsa.iterrows():
        assert abs(row["estimate"] - truth_e[row["event_time"]]) < 4 * row["std_error"]
    # TWFE event study: contaminated leads and endpoint
    worst = max(
        abs(r["estimate"] - truth_e[r["event_time"]]) / r["std_error"] for _, r in des.iterrows()
    )
    assert worst > 5
    assert abs(des.iloc[-1]["estimate"] - truth_e[5]) > 0.15  # binned endpoint, SA: < 0.01
    # Sun-Abraham ATT over event times 0..5 equals the mean true effect of those cells
    window = hetero[(hetero["e"] >= 0) & (hetero["e"] <= 5)]
    att = window["true_effect"].mean()
    assert abs(sa.params["ATT"] - att) < 4 * sa.std_errors["ATT"]
    # static TWFE is far from the ATT over all treated cells
    tw = did.twfe(hetero, "y2", "treated")
    att_all = hetero.loc[hetero["treated"] == 1, "true_effect"].mean()
    assert abs(tw.params["treated"] - att_all) > 4 * tw.std_errors["treated"]


def test_weights_are_cohort_shares(panel):
    sa = did.sun_abraham(panel, "y")
    w = sa.extra["weights"]
    np.testing.assert_allclose(w.sum(axis=1).to_numpy(), 1.0)
    d = panel.reset_index()
    e = d["year"] - d["cohort"].astype(float)
    at0 = d[e == 0]["cohort"].value_counts(normalize=True)
    row = w.loc["event_time[0]"]
    for g, share in at0.items():
        assert row[f"c{g}:e0"] == pytest.approx(share)
    # the aggregation is exactly W @ delta
    np.testing.assert_allclose(
        sa.params.to_numpy(), w.to_numpy() @ sa.extra["cohort_effects"].to_numpy()
    )


def test_single_cohort_sa_equals_event_study():
    d = staggered_panel(n_entities=30, n_years=12, seed=4, cohorts=[1995]).reset_index()
    sa = did.dynamic_effects(did.sun_abraham(d, "y", leads=5, lags=6))
    es = did.dynamic_effects(did.event_study(d, "y", leads=5, lags=6))
    np.testing.assert_allclose(sa["estimate"], es["estimate"], atol=1e-8)


def test_event_dummies_and_errors(panel):
    x = did.event_dummies(panel.reset_index(), "cohort", "year", 2, 2)
    assert list(x.columns) == ["event_time[-2]", "event_time[0]", "event_time[1]", "event_time[2]"]
    never = panel.reset_index()["never_treated"].to_numpy()
    assert (x[never].to_numpy() == 0).all()
    with pytest.raises(DataError, match="never-treated"):
        did.sun_abraham(panel[~panel["never_treated"]], "y")
    half = panel.reset_index().assign(cohort=lambda d: d["cohort"] + 0.5)
    with pytest.raises(DataError, match="whole periods: 'cohort'"):
        did.event_dummies(half, "cohort", "year", 2, 2)  # as the regressions refuse it


def test_plot(panel, tmp_path):
    sa, es = did.sun_abraham(panel, "y"), did.event_study(panel, "y")
    fig = did.plot_event_study(
        [es, sa],
        ["TWFE", "Sun-Abraham"],
        truth=panel.attrs["truth"]["effects"],
        title="synthetic staggered panel",
    )
    ax = fig.axes[0]
    assert ax.get_title() == "synthetic staggered panel"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "true effect",
        "TWFE",
        "Sun-Abraham",
    ]
    fig.savefig(tmp_path / "es.png")
    assert (tmp_path / "es.png").stat().st_size > 1000
    assert isinstance(did.dynamic_effects(sa), pd.DataFrame)


def _cohort_dummies(cohort: pd.Series, year: pd.Series, terms: list[str]) -> pd.DataFrame:
    """Indicators ``d0, d1, ...`` of the cohort x event-time terms ``c{g}:e{k}``."""
    columns = {}
    for i, term in enumerate(terms):
        g, k = (int(part[1:]) for part in term.split(":"))
        columns[f"d{i}"] = ((cohort == g) & (year - cohort == k)).astype(float)
    return pd.DataFrame(columns)


def test_cohort_effects_equal_closed_form_did_and_dummy_ols(panel):
    """In a balanced panel the saturated Sun-Abraham regression's cohort x event-time
    effects are long differences of means against the never-treated (base year g-1), i.e.
    Callaway-Sant'Anna ATT(g, t) with never-treated controls and a universal base period;
    and the regression equals statsmodels OLS with entity and year dummies."""
    import statsmodels.formula.api as smf

    d = panel.reset_index()
    sa = did.sun_abraham(d, "y")
    delta = sa.extra["cohort_effects"]
    cohort = pd.to_numeric(d["cohort"], errors="coerce").astype(float)  # NaN: never treated
    means = d.assign(g=cohort.fillna(0)).groupby(["g", "year"])["y"].mean()
    closed = {}
    for term in delta.index:
        g, e = (int(v[1:]) for v in term.split(":"))
        t, base = g + e, g - 1
        closed[term] = (means[(g, t)] - means[(g, base)]) - (means[(0, t)] - means[(0, base)])
    np.testing.assert_allclose(delta.to_numpy(), pd.Series(closed)[delta.index], atol=1e-8)
    # the same regression by statsmodels, entity and year effects as dummies
    x = _cohort_dummies(cohort, d["year"], list(delta.index))
    names = list(x.columns)
    formula = "y ~ " + " + ".join(names) + " + C(iso3) + C(year)"
    ols = smf.ols(formula, pd.concat([d, x], axis=1)).fit()
    np.testing.assert_allclose(delta.to_numpy(), ols.params[names], atol=1e-8)


def test_twfe_and_event_study_equal_dummy_ols(panel):
    import statsmodels.formula.api as smf

    d = panel.reset_index()
    es = did.event_study(d, "y", leads=3, lags=4)
    x = did.event_dummies(d, "cohort", "year", 3, 4)
    names = {c: f"e{i}" for i, c in enumerate(x.columns)}
    data = pd.concat([d, x.rename(columns=names)], axis=1)
    ols = smf.ols("y ~ " + " + ".join(names.values()) + " + C(iso3) + C(year)", data).fit()
    np.testing.assert_allclose(es.params.to_numpy(), ols.params[list(names.values())], atol=1e-8)
    tw = did.twfe(d, "y", "treated")
    ref = smf.ols("y ~ treated + C(iso3) + C(year)", d).fit()
    assert tw.params["treated"] == pytest.approx(ref.params["treated"], abs=1e-8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_controls_equal_dummy_ols_and_drop_missing_rows(seed):
    """With covariates and missing values: the event study's and Sun-Abraham's regressions
    equal statsmodels OLS with the same dummies, the covariates and entity/year dummies on
    the complete rows; an event time no complete row has gets no coefficient."""
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(seed)
    d = staggered_panel(n_entities=40, n_years=14, seed=seed, sigma=0.2).reset_index()
    d["x1"] = rng.normal(size=len(d))
    d["x2"] = rng.normal(size=len(d))
    d["y3"] = d["y"] + 0.7 * d["x1"] - 0.3 * d["x2"]
    d.loc[rng.random(len(d)) < 0.05, "x1"] = np.nan
    d.loc[rng.random(len(d)) < 0.05, "y3"] = np.nan
    complete = d.dropna(subset=["y3", "x1", "x2"]).reset_index(drop=True)
    es = did.event_study(d, "y3", leads=3, lags=4, controls=["x1", "x2"])
    assert es.nobs == len(complete)
    x = did.event_dummies(complete, "cohort", "year", 3, 4)
    names = {c: f"e{i}" for i, c in enumerate(x.columns)}
    data = pd.concat([complete, x.rename(columns=names)], axis=1)
    rhs = " + ".join([*names.values(), "x1", "x2", "C(iso3)", "C(year)"])
    ols = smf.ols(f"y3 ~ {rhs}", data).fit()
    np.testing.assert_allclose(
        es.params[[*x.columns, "x1", "x2"]].to_numpy(),
        ols.params[[*names.values(), "x1", "x2"]].to_numpy(),
        atol=1e-8,
    )
    sa = did.sun_abraham(d, "y3", leads=3, lags=4, controls=["x1", "x2"])
    delta = sa.extra["cohort_effects"]
    cohort = pd.to_numeric(complete["cohort"], errors="coerce").astype(float)
    keep = ~cohort.isin(sa.extra["dropped_cohorts"])
    complete, cohort = complete[keep].reset_index(drop=True), cohort[keep].reset_index(drop=True)
    terms = [t for t in delta.index if t.startswith("c")]
    dummies = _cohort_dummies(cohort, complete["year"], terms)
    rhs = " + ".join([*dummies, "x1", "x2", "C(iso3)", "C(year)"])
    ols = smf.ols(f"y3 ~ {rhs}", pd.concat([complete, dummies], axis=1)).fit()
    np.testing.assert_allclose(
        delta[[*terms, "x1", "x2"]].to_numpy(),
        ols.params[[*dummies, "x1", "x2"]].to_numpy(),
        atol=1e-8,
    )
    assert sa.extra["weights"][["x1", "x2"]].to_numpy().sum() == 0
    # an event time beyond the data (a lead of 30 years) is dropped, not a rank error
    wide = did.event_study(d, "y3", leads=30, lags=4, controls=["x1"])
    assert "event_time[-30]" not in wide.params.index


def test_unknown_control_is_named():
    d = staggered_panel(n_entities=10, n_years=6, seed=0).reset_index()
    with pytest.raises(DataError, match="nope"):
        did.event_study(d, "y", controls=["nope"])


def test_cohort_without_reference_year_is_left_out_with_a_warning(panel):
    d = panel.reset_index()
    cohorts = sorted(pd.to_numeric(d["cohort"], errors="coerce").dropna().astype(int).unique())
    g = cohorts[len(cohorts) // 2]
    cut = d[~((d["cohort"].astype(float) == g) & (d["year"] == g - 1))]
    with pytest.warns(UserWarning, match=f"cohort\\(s\\) \\[{g}\\]"):
        sa = did.sun_abraham(cut, "y")
    assert sa.extra["dropped_cohorts"] == [g]
    without = did.sun_abraham(d[d["cohort"].astype(float) != g], "y")
    np.testing.assert_allclose(sa.params, without.params, atol=1e-10)
    assert did.sun_abraham(d, "y").extra["dropped_cohorts"] == []


def _panel_ols(d: pd.DataFrame, y: str, x: pd.DataFrame):
    """linearmodels' PanelOLS with entity and year effects, clustered by entity."""
    from linearmodels.panel import PanelOLS

    idx = pd.MultiIndex.from_arrays([d["iso3"], d["year"]])
    return PanelOLS(
        d[y].set_axis(idx).astype(float), x.set_axis(idx), entity_effects=True, time_effects=True
    ).fit(cov_type="clustered", cluster_entity=True)


@pytest.mark.parametrize("seed", [3, 4])
def test_absorbed_regressions_equal_panel_ols(seed):
    """twfe, event_study and sun_abraham (absorbed effects) give linearmodels' PanelOLS
    numbers to 1e-10 on an unbalanced panel with covariates: coefficients, clustered
    standard errors and covariances, p-values, degrees of freedom."""
    rng = np.random.default_rng(seed)
    d = staggered_panel(n_entities=60, n_years=16, seed=seed, sigma=0.3).reset_index()
    d["x1"] = rng.normal(size=len(d))
    d["y3"] = d["y"] + 0.5 * d["x1"]
    d = d[rng.random(len(d)) > 0.08].reset_index(drop=True)  # unbalanced
    es = did.event_study(d, "y3", leads=3, lags=4, controls=["x1"])
    x = did.event_dummies(d, "cohort", "year", 3, 4)
    x = pd.concat([x.loc[:, x.to_numpy().any(axis=0)], d[["x1"]]], axis=1)
    ref = _panel_ols(d, "y3", x)
    for got, want in ((es.params, ref.params), (es.std_errors, ref.std_errors)):
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(es.pvalues.to_numpy(), ref.pvalues.to_numpy(), atol=1e-10)
    assert (es.nobs, es.df_resid) == (int(ref.nobs), float(ref.df_resid))
    tw = did.twfe(d, "y3", "treated", controls=["x1"])
    ref = _panel_ols(d, "y3", d[["treated", "x1"]].astype(float))
    np.testing.assert_allclose(tw.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(tw.std_errors.to_numpy(), ref.std_errors.to_numpy(), rtol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sa = did.sun_abraham(d, "y3", leads=3, lags=4, controls=["x1"])
    delta = sa.extra["cohort_effects"]
    cohort = pd.to_numeric(d["cohort"], errors="coerce").astype(float)
    keep = ~cohort.isin(sa.extra["dropped_cohorts"])
    kept, cohort = d[keep].reset_index(drop=True), cohort[keep].reset_index(drop=True)
    terms = [t for t in delta.index if t.startswith("c")]
    dummies = _cohort_dummies(cohort, kept["year"], terms)
    ref = _panel_ols(kept, "y3", pd.concat([dummies.set_axis(terms, axis=1), kept[["x1"]]], axis=1))
    np.testing.assert_allclose(delta.to_numpy(), ref.params.to_numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(sa.raw.cov, ref.cov.to_numpy(), rtol=1e-9, atol=1e-14)
    W = sa.extra["weights"].to_numpy()
    np.testing.assert_allclose(sa.params.to_numpy(), W @ ref.params.to_numpy(), atol=1e-10)
    se = np.sqrt(np.diag(W @ ref.cov.to_numpy() @ W.T))
    np.testing.assert_allclose(sa.std_errors.to_numpy(), se, rtol=1e-10)


def test_bad_cohort_columns_are_named():
    d = staggered_panel(n_entities=10, n_years=6, seed=0).reset_index()
    with pytest.raises(DataError, match="adopted"):
        did.sun_abraham(d, "y", cohort="adopted")
    d["half"] = d["cohort"].astype(float) + 0.5
    for fn in (did.event_study, did.sun_abraham):
        with pytest.raises(DataError, match="whole periods: 'half'"):
            fn(d, "y", cohort="half")


def test_multiindex_levels_are_columns(panel):
    """A panel indexed by (iso3, year) gives the same fits as its reset frame."""
    a = did.event_study(panel, "y")
    b = did.event_study(panel.reset_index(), "y")
    pd.testing.assert_series_equal(a.params, b.params)


def test_nullable_columns_read_as_floats():
    """Nullable integer and boolean columns: a missing treatment is an error naming the
    missing values (not a type error); a missing outcome drops its row."""
    d = staggered_panel(n_entities=20, n_years=8, seed=2).reset_index()
    d["treated"] = d["treated"].astype("Int64")
    d["y_na"] = d["y"].astype("Float64")
    d.loc[3, "y_na"] = pd.NA
    res = did.twfe(d, "y_na", "treated")
    assert res.nobs == len(d) - 1
    d.loc[5, "treated"] = pd.NA
    with pytest.raises(DataError, match="missing"):
        did.twfe(d, "y", "treated")
