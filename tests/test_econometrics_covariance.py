"""One covariance vocabulary; every Spec field honoured by the estimator or refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econometrics import did
from econometrics.covariance import (
    KINDS,
    SUPPORTED_KINDS,
    Covariance,
    bandwidth_from_rule,
)
from econometrics.estimators import fit
from econometrics.robustness.multiverse import parse_robustness
from econometrics.spec import ESTIMATORS, Spec
from enforcement_lab.data.synthetic import staggered_panel, twfe_panel
from enforcement_lab.errors import SpecError


@pytest.fixture(scope="module")
def tw() -> pd.DataFrame:
    return twfe_panel(n_entities=30, n_years=12, seed=4)


def test_every_estimator_has_a_support_row():
    assert set(ESTIMATORS) <= set(SUPPORTED_KINDS)
    for kinds in SUPPORTED_KINDS.values():
        assert kinds <= set(KINDS)


@pytest.mark.parametrize("t", [5, 16, 30, 99, 100, 101, 625, 1000])
def test_bandwidth_rules(t):
    assert bandwidth_from_rule("newey-west", t) == int(np.floor(4 * (t / 100) ** (2 / 9)))
    assert bandwidth_from_rule("plm", t) == int(np.floor(t**0.25))
    with pytest.raises(SpecError, match=r"bandwidth rule"):
        bandwidth_from_rule("andrews", t)


def test_option_typo_names_the_key_and_the_allowed_ones(tw):
    spec = Spec("y", ("treatment",), cov="driscoll-kraay", options={"bandwith": 1})
    with pytest.raises(
        SpecError, match=r"\['bandwith'\].*allowed: bandwidth, correlation, group_debias, np1, pcse"
    ):
        fit(spec, tw)
    with pytest.raises(SpecError, match=r"\['maxiter'\] unknown for panel_ols"):
        fit(Spec("y", ("treatment",), options={"maxiter": 5}), tw)


def test_covariance_options_of_another_covariance_are_refused(tw):
    with pytest.raises(SpecError, match=r"options.bandwidth applies to cov = 'driscoll-kraay'"):
        fit(Spec("y", ("treatment",), options={"bandwidth": 2}), tw)
    with pytest.raises(SpecError, match=r"options.group_debias applies to cov = 'clustered'"):
        fit(Spec("y", ("treatment",), cov="robust", options={"group_debias": True}), tw)
    with pytest.raises(SpecError, match=r"model.cluster 'time' applies to cov = 'clustered'"):
        fit(Spec("y", ("treatment",), cov="robust", cluster="time"), tw)


def test_group_debias_is_honoured_by_fit(tw):
    from linearmodels.panel import PanelOLS

    base = Spec("y", ("treatment", "x1"), effects=("entity", "time"))
    plain = fit(base, tw)
    gd = fit(base.replace(options={"group_debias": True}), tw)
    ref = PanelOLS(tw["y"], tw[["treatment", "x1"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True, group_debias=True
    )
    np.testing.assert_allclose(gd.std_errors, ref.std_errors, rtol=1e-12)
    g, n = tw.index.get_level_values(0).nunique(), len(tw)
    np.testing.assert_allclose(
        gd.std_errors**2 / plain.std_errors**2, g / (g - 1) * (n - 1) / n, rtol=1e-12
    )


def test_clustered_without_cluster_is_one_error_everywhere(tw):
    spec = Spec("y", ("treatment",), effects=("entity",), cov="clustered", cluster="none")
    with pytest.raises(SpecError, match=r"needs model.cluster entity, time or twoway"):
        fit(spec, tw)
    with pytest.raises(SpecError, match=r"needs model.cluster entity, time or twoway"):
        parse_robustness(spec, {"cov": ["clustered"]})


def test_multiverse_refuses_what_its_engine_lacks():
    spec = Spec("y", ("d", "x"), cov="pcse")
    with pytest.raises(SpecError, match=r"unknown \['pcse'\]"):
        parse_robustness(spec, {})
    spec = Spec("y", ("d", "x"), options={"bandwidth": 2})
    with pytest.raises(SpecError, match=r"options.bandwidth applies"):
        parse_robustness(spec, {"cov": ["clustered"]})
    mv = parse_robustness(spec, {"cov": ["clustered", "driscoll-kraay"]})
    assert mv.covs == ("clustered", "driscoll-kraay")


@pytest.fixture(scope="module")
def stag() -> pd.DataFrame:
    return staggered_panel(n_entities=40, n_years=14, seed=3)


def test_event_study_honours_cov_cluster_and_regressors(stag):
    from linearmodels.panel import PanelOLS

    d = stag.reset_index() if isinstance(stag.index, pd.MultiIndex) else stag.copy()
    d["z"] = np.random.default_rng(0).normal(size=len(d))
    base = Spec(
        "y",
        ("z",),
        estimator="event_study",
        effects=("entity", "time"),
        options={"method": "twfe", "leads": 2, "lags": 2},
    )
    ent = fit(base, d)
    tim = fit(base.replace(cluster="time"), d)
    rob = fit(base.replace(cov="robust"), d)
    assert ent.cluster == "entity" and tim.cluster == "time" and rob.cluster is None
    assert rob.cov_type == "robust"
    assert "z" in ent.params.index  # the regressor enters as a control
    x = did.event_dummies(d, "cohort", "year", 2, 2)
    x = x.loc[:, x.to_numpy().any(axis=0)].assign(z=d["z"])
    idx = pd.MultiIndex.from_arrays([d["iso3"], d["year"]])
    ref = PanelOLS(
        d["y"].set_axis(idx), x.set_axis(idx), entity_effects=True, time_effects=True
    ).fit(cov_type="clustered", cluster_time=True)
    np.testing.assert_allclose(tim.std_errors[ref.params.index], ref.std_errors, rtol=1e-12)
    assert not np.allclose(ent.std_errors, tim.std_errors)
    with pytest.raises(SpecError, match=r"model.lags is not available for event_study"):
        fit(base.replace(lags=1), d)
    with pytest.raises(SpecError, match=r"event_study always absorbs entity and time"):
        fit(base.replace(effects=("entity",)), d)


def test_hazards_label_their_covariance_like_the_rest():
    from econometrics import hazard

    rng = np.random.default_rng(1)
    n = 300
    spells = pd.DataFrame(
        {
            "iso3": np.repeat([f"C{i:02d}" for i in range(30)], 10),
            "start": np.tile(np.arange(10), 30),
            "x": rng.normal(size=n),
        }
    )
    spells["stop"] = spells["start"] + 1
    spells["event"] = (rng.random(n) < 0.1).astype(int)
    assert hazard.cox(spells, ["x"], cluster="iso3").cov_type == "clustered"
    assert hazard.cox(spells, ["x"]).cov_type == "unadjusted"
    with pytest.raises(SpecError, match=r"'robust' is not available for cox"):
        fit(Spec("event", ("x",), estimator="cox", cov="robust"), spells)
    with pytest.raises(SpecError, match=r"model.lags is not available for cox"):
        fit(Spec("event", ("x",), estimator="cox", lags=1), spells)


def test_label_names_the_convention():
    assert Covariance("clustered", "twoway").label == "clustered by entity+time [ssc: linearmodels]"
    assert Covariance("robust", "entity").cluster == "none"
    assert Covariance("driscoll-kraay", bandwidth=3).label == (
        "Driscoll-Kraay (Bartlett, bandwidth 3) [ssc: linearmodels]"
    )
