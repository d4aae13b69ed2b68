"""Cox PH (statsmodels PHReg) against lifelines; counting-process splits; discrete-time hazards.

Finding recorded here: with left truncation (entry times), lifelines' cluster-robust
standard errors differ from PHReg's by 5-15 % (on ratification_spells(80, seed=0): logGDPpc
0.0743 PHReg, 0.0639 lifelines, 0.0836 grouped jackknife over countries; the jackknife, a
library-free approximation of the same sandwich, sides with PHReg). Without left truncation
they agree to 1e-6 (tested below).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from lifelines import CoxPHFitter

from econometrics import hazard
from enforcement_lab.data.synthetic import ratification_spells

warnings.filterwarnings("ignore")

REGS = ["logGDPpc", "polity2", "left_gov"]


@pytest.fixture(scope="module")
def spells():
    return ratification_spells(n_countries=80, seed=0)


def _lifelines(d, **kw):
    return CoxPHFitter().fit(d, duration_col="stop", event_col="event", entry_col="start", **kw)


def test_cox_matches_lifelines_with_truncation_and_strata(spells):
    assert spells["left_truncated"].any()
    res = hazard.cox(spells, REGS, strata="convention")
    ref = _lifelines(spells[["start", "stop", "event", "convention", *REGS]], strata=["convention"])
    np.testing.assert_allclose(res.params.values, ref.params_[REGS].values, atol=2e-6)
    np.testing.assert_allclose(res.std_errors.values, ref.standard_errors_[REGS].values, rtol=1e-5)
    truth = spells.attrs["truth"]["coef"]
    for k in REGS:
        assert abs(res.params[k] - truth[k]) < 3 * res.std_errors[k]


def test_cluster_robust_matches_lifelines_without_truncation(spells):
    d = spells[["start", "stop", "event", "iso3", *REGS]].assign(start=0.0)
    res = hazard.cox(d, REGS, cluster="iso3")
    ref = _lifelines(d, cluster_col="iso3")
    np.testing.assert_allclose(res.params.values, ref.params_[REGS].values, atol=2e-6)
    np.testing.assert_allclose(res.std_errors.values, ref.standard_errors_[REGS].values, rtol=1e-5)


def test_counting_process_split_leaves_cox_unchanged(spells):
    split = hazard.split_spells(spells)
    assert len(split) > 5 * len(spells) and split["event"].sum() == spells["event"].sum()
    for cluster in (None, "iso3"):
        a = hazard.cox(spells, REGS, strata="convention", cluster=cluster)
        b = hazard.cox(split, REGS, strata="convention", cluster=cluster)
        np.testing.assert_allclose(b.params.values, a.params.values, atol=1e-8)
        np.testing.assert_allclose(b.std_errors.values, a.std_errors.values, rtol=1e-8)
    assert np.isfinite(b.std_errors).all()


def test_cluster_sandwich_equals_phreg_on_one_row_spells_with_late_entry(spells):
    from statsmodels.duration.hazard_regression import PHReg

    assert spells["left_truncated"].any()
    res = hazard.cox(spells, REGS, cluster="iso3")
    ph = PHReg(
        spells["stop"].values,
        spells[REGS].values,
        status=spells["event"].values,
        entry=spells["start"].values,
        ties="efron",
    ).fit(groups=spells["iso3"].values)
    np.testing.assert_allclose(res.std_errors.values, ph.bse, rtol=1e-8)


def test_time_varying_covariate_against_lifelines_ctv(spells):
    from lifelines import CoxTimeVaryingFitter

    split = hazard.split_spells(spells.head(120))
    split["id"] = split["iso3"] + split["convention"]
    rng = np.random.default_rng(0)
    split["shock"] = rng.normal(size=len(split))  # varies within spell
    res = hazard.cox(split, [*REGS, "shock"])
    ctv = CoxTimeVaryingFitter().fit(
        split[["id", "start", "stop", "event", *REGS, "shock"]],
        id_col="id",
        event_col="event",
        start_col="start",
        stop_col="stop",
    )
    np.testing.assert_allclose(res.params.values, ctv.params_[[*REGS, "shock"]].values, atol=2e-6)


def test_person_period_and_discrete_hazards(spells):
    pp = hazard.person_period(spells)
    assert pp["y"].sum() == spells["event"].sum()
    # rows per spell: periods floor(start)+1 .. ceil(stop)
    expected = (np.ceil(spells["stop"]) - np.floor(spells["start"])).sum()
    assert len(pp) == expected
    for link in ("cloglog", "logit"):
        res = hazard.discrete_hazard(
            pp, REGS, link=link, duration="log", strata="convention", cluster="iso3"
        )
        x = pd.concat(
            [
                pp[REGS],
                np.log(pp["period"]).rename("log_duration"),
                pd.get_dummies(pp["convention"], prefix="convention", drop_first=True, dtype=float),
            ],
            axis=1,
        )
        x.insert(0, "const", 1.0)
        lk = sm.families.links.CLogLog() if link == "cloglog" else sm.families.links.Logit()
        ref = sm.GLM(pp["y"], x, family=sm.families.Binomial(link=lk)).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(pp["iso3"])[0]}
        )
        np.testing.assert_allclose(res.params.values, ref.params.values, atol=1e-8)
        np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-8)
    # grouped-time PH: cloglog slopes recover the continuous-time coefficients
    cl = hazard.discrete_hazard(pp, REGS, link="cloglog", duration="dummies", strata="convention")
    truth = spells.attrs["truth"]["coef"]
    for k in REGS:
        assert abs(cl.params[k] - truth[k]) < 3 * cl.std_errors[k]
