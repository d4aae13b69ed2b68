"""econometrics.estimators agrees with direct linearmodels/statsmodels calls on every path.

Published reference: the wage panel of Vella and Verbeek (1998), used in the linearmodels
panel examples (https://bashtage.github.io/linearmodels/panel/examples/examples.html: "This data
is used extensively in Chapter 14 of Introduction to Econometrics by Jeffrey Wooldridge").
Wooldridge, Introductory Econometrics, Example 14.2 (fixed effects with year dummies of lwage on
expersq, married, union; N = 4360, 545 men) reports union .080 (.019), married .047 (.018),
expersq -.0052 (.0007); R plm's "within" model on the same data gives union 0.08 (0.02),
married 0.05 (0.02), 4360 obs (public plm/texreg output, https://pastebin.com/ZvmnsG3i).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.panel import (
    BetweenOLS,
    FirstDifferenceOLS,
    PanelOLS,
    PooledOLS,
    RandomEffects,
)
from statsmodels.miscmodels.ordinal_model import OrderedModel

from econometrics.covariance import Covariance
from econometrics.estimators import fit, prepare
from econometrics.spec import Spec
from enforcement_lab.data import synthetic
from enforcement_lab.errors import SpecError

warnings.filterwarnings("ignore", category=RuntimeWarning)

TOL = 1e-8


@pytest.fixture(scope="module")
def tw():
    return synthetic.twfe_panel(n_entities=30, n_years=12, seed=4)


@pytest.fixture(scope="module")
def od():
    df = synthetic.ordered_panel(n_entities=30, n_years=10, seed=5)
    df["b"] = (df["WORKER"] >= 1).astype(int)
    return df


@pytest.fixture(scope="module")
def ct():
    return synthetic.count_panel(n_entities=30, n_years=8, seed=6)


LIN_COVS = [
    "unadjusted",
    "robust",
    ("clustered", "entity"),
    ("clustered", "time"),
    ("clustered", "twoway"),
    "driscoll-kraay",
]


def _cov(c):
    return {"cov": c} if isinstance(c, str) else {"cov": c[0], "cluster": c[1]}


@pytest.mark.parametrize("cov", LIN_COVS)
@pytest.mark.parametrize(
    "est,effects",
    [
        ("pooled_ols", ()),
        ("panel_ols", ("entity",)),
        ("panel_ols", ("time",)),
        ("panel_ols", ("entity", "time")),
        ("random_effects", ()),
        ("first_difference", ()),
        ("between_ols", ()),
        ("lpm", ("entity",)),
    ],
)
def test_linear_panels_equal_linearmodels(tw, est, effects, cov):
    spec = Spec(
        outcome="y",
        regressors=("treatment", "x1", "x2"),
        estimator=est,
        effects=effects,
        **_cov(cov),
    )
    y, x = tw["y"], tw[["treatment", "x1", "x2"]]
    xc = x.assign(const=1.0)[["const", "treatment", "x1", "x2"]]
    kw = Covariance.from_spec(spec).linearmodels_kwargs()
    try:
        res = fit(spec, tw)
    except SpecError as exc:
        # Only combinations the library itself does not offer are refused.
        assert est in ("first_difference", "between_ols")
        assert any(w in str(exc) for w in ("time", "twoway", "driscoll"))
        return
    if est == "pooled_ols":
        ref = PooledOLS(y, xc).fit(**kw)
    elif est in ("panel_ols", "lpm"):
        ref = PanelOLS(
            y, x, entity_effects="entity" in effects, time_effects="time" in effects
        ).fit(**kw)
    elif est == "random_effects":
        ref = RandomEffects(y, xc).fit(**kw)
    elif est == "first_difference":
        ref = FirstDifferenceOLS(y, x).fit(**kw)
    else:
        if kw["cov_type"] == "clustered":
            codes = pd.Categorical(tw.index.get_level_values(0)).codes
            kw = {"cov_type": "clustered", "clusters": pd.DataFrame({"e": codes}, index=tw.index)}
        ref = BetweenOLS(y, xc).fit(**kw)
    np.testing.assert_allclose(res.params.values, ref.params.values, rtol=0, atol=TOL)
    np.testing.assert_allclose(res.std_errors.values, ref.std_errors.values, rtol=1e-10, atol=0)
    assert list(res.params.index) == list(ref.params.index)
    assert res.nobs == ref.nobs


def test_twoway_fe_equals_ols_with_dummies(tw):
    res = fit(
        Spec(
            outcome="y",
            regressors=("treatment", "x1"),
            effects=("entity", "time"),
            cov="unadjusted",
        ),
        tw,
    )
    d = tw.reset_index()
    ols = sm.OLS.from_formula("y ~ treatment + x1 + C(iso3) + C(year)", d).fit()
    np.testing.assert_allclose(res.params.values, ols.params[["treatment", "x1"]].values, atol=TOL)
    # Unadjusted SEs: same residual variance with the absorbed-effects degrees of freedom.
    np.testing.assert_allclose(
        res.std_errors.values, ols.bse[["treatment", "x1"]].values, rtol=1e-8
    )


def test_clustered_se_is_the_sandwich(tw):
    """Entity-clustered pooled OLS SEs equal the cluster sandwich times sqrt(N/(N-K))."""
    res = fit(Spec(outcome="y", regressors=("treatment", "x1"), estimator="pooled_ols"), tw)
    xa = tw[["treatment", "x1"]].assign(const=1.0)[["const", "treatment", "x1"]].to_numpy()
    u = res.raw.resids.to_numpy()
    g = pd.Categorical(tw.index.get_level_values(0)).codes
    bread = np.linalg.inv(xa.T @ xa)
    meat = sum(np.outer(xa[g == k].T @ u[g == k], xa[g == k].T @ u[g == k]) for k in set(g))
    n, k = xa.shape
    se = np.sqrt(np.diag(bread @ meat @ bread) * n / (n - k))
    np.testing.assert_allclose(res.std_errors.values, se, rtol=1e-10)
    # and statsmodels' cluster covariance with its G/(G-1) (N-1)/(N-K) correction differs
    # from it by exactly that factor
    sm_res = sm.OLS(tw["y"].to_numpy(), xa).fit(cov_type="cluster", cov_kwds={"groups": g})
    G = len(set(g))
    np.testing.assert_allclose(
        sm_res.bse, se * np.sqrt((n - k) / n * G / (G - 1) * (n - 1) / (n - k)), rtol=1e-10
    )


def test_wage_panel_reproduces_published_fixed_effects():
    from linearmodels.datasets import wage_panel

    data = wage_panel.load()
    spec = Spec(
        outcome="lwage",
        regressors=("expersq", "union", "married"),
        entity="nr",
        time="year",
        effects=("entity", "time"),
        cov="unadjusted",
    )
    res = fit(spec, data)
    assert res.nobs == 4360
    assert res.params["union"] == pytest.approx(0.080, abs=5e-4)
    assert res.std_errors["union"] == pytest.approx(0.019, abs=5e-4)
    assert res.params["married"] == pytest.approx(0.047, abs=5e-4)
    assert res.std_errors["married"] == pytest.approx(0.018, abs=5e-4)
    assert res.params["expersq"] == pytest.approx(-0.0052, abs=5e-5)
    assert round(res.params["union"], 2) == 0.08 and round(res.params["married"], 2) == 0.05


@pytest.mark.parametrize(
    "cov",
    ["unadjusted", "robust", ("clustered", "entity"), ("clustered", "time"), "driscoll-kraay"],
)
@pytest.mark.parametrize("est", ["ordered_logit", "ordered_probit"])
def test_ordered_equals_statsmodels(od, est, cov):
    spec = Spec(outcome="WORKER", regressors=("polity2", "logGDPpc"), estimator=est, **_cov(cov))
    res = fit(spec, od)
    frame = prepare(spec, od)
    y = pd.Series(pd.Categorical(frame["WORKER"].astype(int), ordered=True), index=frame.index)
    codes = [pd.Categorical(frame.index.get_level_values(i)).codes for i in (0, 1)]
    model = OrderedModel(y, frame[["polity2", "logGDPpc"]], distr=est.split("_")[1])
    start = model.fit(method="bfgs", disp=0, maxiter=2000).params
    ref = model.fit(  # statsmodels' Newton iterations to convergence
        method="newton",
        disp=0,
        maxiter=200,
        tol=1e-14,
        start_params=start,
        **Covariance.from_spec(spec).statsmodels_kwargs(*codes),
    )
    np.testing.assert_allclose(res.params.values, ref.params.values, atol=1e-7)
    # statsmodels differentiates numerically: its Hessian at two equal maxima agrees to ~1e-6
    np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-5)


def test_ordered_clusters_hand_check(od):
    """Cluster codes and the HC0 choice reach statsmodels: compare with explicit groups."""
    spec = Spec(outcome="WORKER", regressors=("polity2",), estimator="ordered_logit")
    res = fit(spec, od)
    frame = prepare(spec, od)
    y = pd.Series(pd.Categorical(frame["WORKER"].astype(int), ordered=True), index=frame.index)
    groups = frame.index.get_level_values(0).factorize()[0]
    ref = OrderedModel(y, frame[["polity2"]], distr="logit").fit(
        start_params=res.params,  # the same estimates: only the covariance is compared
        method="bfgs",
        disp=0,
        maxiter=0,
        cov_type="cluster",
        cov_kwds={"groups": groups},
    )
    np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-8)


@pytest.mark.parametrize(
    "cov", ["unadjusted", "robust", ("clustered", "entity"), ("clustered", "twoway")]
)
@pytest.mark.parametrize("est", ["logit", "probit"])
def test_binary_equals_statsmodels(od, est, cov):
    spec = Spec(
        outcome="b",
        regressors=("polity2", "logGDPpc"),
        estimator=est,
        effects=("time",),
        **_cov(cov),
    )
    res = fit(spec, od)
    d = od.reset_index()
    ent, tim = pd.factorize(d["iso3"], sort=True)[0], pd.factorize(d["year"], sort=True)[0]
    x = pd.concat(
        [
            d[["polity2", "logGDPpc"]],
            pd.get_dummies(d["year"], prefix="time", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    x.insert(0, "const", 1.0)
    c = _cov(cov)
    kw = {"unadjusted": {"cov_type": "nonrobust"}, "robust": {"cov_type": "HC0"}}.get(c["cov"])
    if kw is None:
        groups = ent if c["cluster"] == "entity" else np.column_stack([ent, tim])
        kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    cls = sm.Logit if est == "logit" else sm.Probit
    ref = cls(d["b"].astype(float), x).fit(disp=0, **kw)
    np.testing.assert_allclose(res.params.values, ref.params.values, atol=TOL)
    np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-8)


def test_count_models_equal_statsmodels_and_recover_truth(ct):
    truth = ct.attrs["truth"]
    for est in ("poisson", "negative_binomial"):
        spec = Spec(
            outcome="count",
            regressors=("polity2", "gsp_review"),
            estimator=est,
            options={"exposure": "exposure"},
        )
        res = fit(spec, ct)
        d = ct.reset_index()
        x = sm.add_constant(d[["polity2", "gsp_review"]])
        g = pd.factorize(d["iso3"], sort=True)[0]
        kw = {"cov_type": "cluster", "cov_kwds": {"groups": g}}
        if est == "poisson":
            ref = sm.GLM(d["count"], x, family=sm.families.Poisson(), exposure=d["exposure"]).fit(
                **kw
            )
        else:
            ref = sm.NegativeBinomial(d["count"], x, exposure=d["exposure"]).fit(disp=0, **kw)
        np.testing.assert_allclose(res.params.values, ref.params.values, atol=TOL)
        np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-8)
        assert res.params["gsp_review"] == pytest.approx(truth["beta"]["gsp_review"], abs=0.15)
        assert res.params["const"] == pytest.approx(truth["intercept"], abs=0.15)


def test_poisson_entity_effects_equal_dummies(ct):
    spec = Spec(
        outcome="count",
        regressors=("polity2",),
        estimator="poisson",
        effects=("entity",),
        cov="unadjusted",
        options={"exposure": "exposure"},
    )
    res = fit(spec, ct)
    d = ct.reset_index()
    ref = sm.GLM.from_formula(
        "count ~ polity2 + C(iso3)", d, family=sm.families.Poisson(), exposure=d["exposure"]
    ).fit()
    assert res.params["polity2"] == pytest.approx(ref.params["polity2"], abs=TOL)


def test_lags_within_entity_and_sample_query(tw):
    spec = Spec(
        outcome="y",
        regressors=("treatment",),
        estimator="pooled_ols",
        lags=1,
        sample="year >= 1993",
        cov="robust",
    )
    res = fit(spec, tw)
    d = tw.reset_index().sort_values(["iso3", "year"])
    d["lag"] = d.groupby("iso3")["treatment"].shift(1)
    d = d[d["year"] >= 1993].dropna(subset=["lag"])
    ref = sm.OLS(d["y"].to_numpy(), sm.add_constant(d["lag"].to_numpy())).fit()
    np.testing.assert_allclose(res.params.values, ref.params, atol=TOL)
    assert res.nobs == len(d)


def test_spec_errors(tw, od):
    with pytest.raises(SpecError, match="nope"):
        fit(Spec(outcome="y", regressors=("nope",)), tw)
    with pytest.raises(SpecError, match="constant within every entity"):
        fit(
            Spec(outcome="y", regressors=("region_code",), effects=("entity",)),
            tw.assign(region_code=tw.groupby(level=0).ngroup()),
        )
    with pytest.raises(SpecError, match="clusters"):
        fit(Spec(outcome="y", regressors=("treatment",)), tw.loc[tw.index[:40]])
    with pytest.raises(SpecError, match="entity effects"):
        fit(Spec(outcome="b", regressors=("polity2",), estimator="logit", effects=("entity",)), od)
    with pytest.raises(SpecError, match="sample"):
        fit(Spec(outcome="y", regressors=("treatment",), sample="year >>> 3"), tw)
    with pytest.raises(SpecError, match="0/1"):
        fit(Spec(outcome="WORKER", regressors=("polity2",), estimator="logit"), od)


def test_fit_dispatches_hazard_and_event_study():
    from econometrics import did, hazard

    sp = synthetic.ratification_spells(n_countries=40, seed=3)
    spec = Spec(
        outcome="event",
        regressors=("logGDPpc", "left_gov"),
        estimator="cox",
        options={"strata": "convention"},
    )
    a = fit(spec, sp)
    b = hazard.cox(sp, ["logGDPpc", "left_gov"], strata="convention", cluster="iso3")
    np.testing.assert_allclose(a.params.values, b.params.values, atol=TOL)
    np.testing.assert_allclose(a.std_errors.values, b.std_errors.values, rtol=1e-10)
    sg = synthetic.staggered_panel(n_entities=30, n_years=12, seed=2)
    es = fit(
        Spec(outcome="y", regressors=(), estimator="event_study", options={"leads": 3, "lags": 4}),
        sg,
    )
    ref = did.sun_abraham(sg, "y", leads=3, lags=4)
    np.testing.assert_allclose(es.params.values, ref.params.values, atol=TOL)
    with pytest.raises(SpecError, match="method"):
        fit(Spec(outcome="y", regressors=(), estimator="event_study", options={"method": "cs"}), sg)


def test_spec_path_cox_on_yearly_spells_with_ties_equals_r_values():
    """Through fit(): yearly spells (tied failures) with Efron ties and country clusters
    give the R survival numbers recorded in test_econometrics_hazard; options reach cox()."""
    from econometrics import hazard
    from tests.test_econometrics_hazard import R_SURVIVAL, _r_frames

    sp = synthetic.ratification_spells(n_countries=80, seed=0)
    frame = _r_frames(sp)["yearly_split"]
    regs = ("logGDPpc", "polity2", "left_gov")
    for ties in ("efron", "breslow"):
        spec = Spec(
            outcome="event",
            regressors=regs,
            estimator="cox",
            options={"strata": "convention", "ties": ties},
        )
        res = fit(spec, frame)
        coef, rse, _ = R_SURVIVAL[("yearly_split", ties)]
        np.testing.assert_allclose(res.params.values, coef, rtol=0, atol=1e-8)
        np.testing.assert_allclose(res.std_errors.values, rse, rtol=1e-8)
        assert res.cluster == "iso3" and res.cov_type == "clustered"
    direct = hazard.cox(frame, list(regs), strata="convention", cluster="iso3")
    np.testing.assert_allclose(
        fit(spec.replace(options={"strata": "convention"}), frame).params, direct.params, atol=0
    )
    few = frame[frame["iso3"].isin(frame["iso3"].unique()[:6])]
    with pytest.raises(SpecError, match="only 6 clusters"):
        fit(spec, few)
    with pytest.raises(SpecError, match="entity only"):
        fit(spec.replace(cluster="twoway"), frame)
    with pytest.raises(SpecError, match="driscoll"):
        fit(spec.replace(cov="driscoll-kraay"), frame)
    with pytest.raises(SpecError, match="sample"):
        fit(Spec(outcome="y", regressors=(), estimator="event_study", sample="year >>> 1"), frame)
