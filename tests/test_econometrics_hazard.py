"""Cox PH (statsmodels PHReg) against lifelines and R survival; counting-process splits;
discrete-time hazards.

Findings recorded here:

* With left truncation (entry times), lifelines' ``CoxPHFitter(cluster_col=...)`` standard
  errors differ from PHReg's by 5-15 %. R ``survival::coxph(..., cluster = iso3)`` settles
  it: it agrees with PHReg and with :func:`econometrics.hazard.cluster_sandwich` to 1e-10
  (recorded values below), so lifelines' robust variance mishandles late entry. Without left
  truncation all three agree.
* ``PHReg`` treats an entry time equal to a failure time as at risk (``[entry, stop]``);
  on yearly spells that made coefficients differ from R in the third decimal and change
  when spells were split. :func:`econometrics.hazard.phreg_entry` fixes the risk sets;
  tested against R and lifelines' ``CoxTimeVaryingFitter`` on tied yearly spells.

R reference values: R 4.2.2, survival 3.5.3 (Debian ``r-cran-survival``), on the CSV files
written by :func:`_r_frames`::

    coxph(Surv(start, stop, event) ~ logGDPpc + polity2 + left_gov + strata(convention),
          data = d, ties = ties, cluster = iso3,
          control = coxph.control(eps = 1e-14, toler.chol = 1e-15, iter.max = 100))

reporting ``coef(f)``, ``sqrt(diag(f$var))`` (robust) and ``sqrt(diag(f$naive.var))``.
``test_cox_equals_r_survival_live`` reruns R when ``Rscript`` with survival is installed.
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
    return CoxPHFitter().fit(
        d,
        duration_col="stop",
        event_col="event",
        entry_col="start",
        fit_options={"precision": 1e-12},
        **kw,
    )


def _r_frames(spells):
    """Continuous-time spells, and yearly spells (stops rounded up: tied failures, starts
    equal to failure times) split into one row per year."""
    cols = ["iso3", "convention", "start", "stop", "event", *REGS]
    yearly = spells.assign(stop=np.ceil(spells["stop"]))
    return {
        "cont": spells[cols],
        "yearly_split": hazard.split_spells(yearly)[cols],
    }


# R survival 3.5.3 (see the module docstring): coef, robust SE, model SE
R_SURVIVAL = {
    ("cont", "efron"): (
        [0.289495403739614, 0.0504062918439745, 0.367303224635827],
        [0.0765424838778655, 0.0124747607144296, 0.160182065930973],
        [0.0760362908508624, 0.0133812801943177, 0.17138725707619],
    ),
    ("yearly_split", "efron"): (
        [0.290327170977914, 0.0493909252009661, 0.362312275064098],
        [0.0752735332293544, 0.0124531234247973, 0.1604921232561],
        [0.0759492367906748, 0.0133258863840665, 0.171158341919285],
    ),
    ("yearly_split", "breslow"): (
        [0.275721358677308, 0.047047788048174, 0.352010057154261],
        [0.0732613531319441, 0.0119406543222216, 0.15390574991815],
        [0.0757934334631816, 0.013291477512135, 0.171161813309617],
    ),
}


def test_cox_matches_lifelines_with_truncation_and_strata(spells):
    assert spells["left_truncated"].any()
    res = hazard.cox(spells, REGS, strata="convention")
    ref = _lifelines(spells[["start", "stop", "event", "convention", *REGS]], strata=["convention"])
    np.testing.assert_allclose(res.params.values, ref.params_[REGS].values, atol=1e-8)
    np.testing.assert_allclose(res.std_errors.values, ref.standard_errors_[REGS].values, rtol=1e-8)
    truth = spells.attrs["truth"]["coef"]
    for k in REGS:
        assert abs(res.params[k] - truth[k]) < 3 * res.std_errors[k]


def test_cluster_robust_matches_lifelines_without_truncation(spells):
    d = spells[["start", "stop", "event", "iso3", *REGS]].assign(start=0.0)
    res = hazard.cox(d, REGS, cluster="iso3")
    ref = _lifelines(d, cluster_col="iso3")
    np.testing.assert_allclose(res.params.values, ref.params_[REGS].values, atol=1e-8)
    np.testing.assert_allclose(res.std_errors.values, ref.standard_errors_[REGS].values, rtol=1e-8)


@pytest.mark.parametrize(("frame", "ties"), sorted(R_SURVIVAL))
def test_cox_equals_r_survival(spells, frame, ties):
    """Coefficients, cluster-robust and model SEs equal R survival's (recorded) to 1e-8,
    with left truncation, strata, tied yearly failures and split spells."""
    d = _r_frames(spells)[frame]
    coef, rse, mse = map(np.array, R_SURVIVAL[(frame, ties)])
    res = hazard.cox(d, REGS, strata="convention", cluster="iso3", ties=ties)
    model = hazard.cox(d, REGS, strata="convention", ties=ties)
    np.testing.assert_allclose(res.params.values, coef, rtol=0, atol=1e-8)
    np.testing.assert_allclose(res.std_errors.values, rse, rtol=1e-8)
    np.testing.assert_allclose(model.std_errors.values, mse, rtol=1e-8)


def test_cox_equals_r_survival_live(spells, tmp_path):
    """The same comparison, running R when ``Rscript`` and survival are installed."""
    import shutil
    import subprocess

    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript not installed (Debian: apt-get install r-cran-survival)")
    script = tmp_path / "cox.R"
    script.write_text(
        "library(survival)\n"
        "args <- commandArgs(TRUE)\n"
        "d <- read.csv(args[1])\n"
        "f <- coxph(Surv(start, stop, event) ~ logGDPpc + polity2 + left_gov +"
        " strata(convention), data = d, ties = args[2], cluster = iso3,"
        " control = coxph.control(eps = 1e-14, toler.chol = 1e-15, iter.max = 100))\n"
        "cat(sprintf('%.17g', c(coef(f), sqrt(diag(f$var)))), sep = '\\n')\n",
        encoding="utf-8",
    )
    for (frame, ties), (coef, rse, _) in R_SURVIVAL.items():
        path = tmp_path / f"{frame}.csv"
        _r_frames(spells)[frame].to_csv(path, index=False, float_format="%.17g")
        run = subprocess.run(
            [rscript, str(script), str(path), ties], capture_output=True, text=True, check=False
        )
        if run.returncode != 0 and "survival" in run.stderr:
            pytest.skip("R package survival not installed")
        assert run.returncode == 0, run.stderr
        out = np.array(run.stdout.split(), dtype=float)
        np.testing.assert_allclose(out, np.r_[coef, rse], rtol=1e-10)
        res = hazard.cox(pd.read_csv(path), REGS, strata="convention", cluster="iso3", ties=ties)
        np.testing.assert_allclose(res.params.values, out[:3], rtol=0, atol=1e-8)
        np.testing.assert_allclose(res.std_errors.values, out[3:], rtol=1e-8)


def test_yearly_spells_match_lifelines_time_varying_and_survive_splitting(spells):
    """Tied yearly failures, starts equal to failure times: PHReg (with phreg_entry) equals
    lifelines' CoxTimeVaryingFitter, and splitting the spells changes nothing."""
    from lifelines import CoxTimeVaryingFitter

    yearly = spells.assign(stop=np.ceil(spells["stop"]))
    assert yearly.loc[yearly["event"] == 1, "stop"].duplicated().sum() > 50
    split = hazard.split_spells(yearly)
    split["id"] = split["iso3"] + split["convention"]
    ctv = CoxTimeVaryingFitter().fit(
        split[["id", "start", "stop", "event", "convention", *REGS]],
        id_col="id",
        event_col="event",
        start_col="start",
        stop_col="stop",
        strata=["convention"],
        fit_options={"precision": 1e-12},
    )
    for ties in ("efron", "breslow"):
        a = hazard.cox(yearly, REGS, strata="convention", cluster="iso3", ties=ties)
        b = hazard.cox(split, REGS, strata="convention", cluster="iso3", ties=ties)
        np.testing.assert_allclose(b.params.values, a.params.values, atol=1e-10)
        np.testing.assert_allclose(b.std_errors.values, a.std_errors.values, rtol=1e-8)
    efron = hazard.cox(split, REGS, strata="convention")
    np.testing.assert_allclose(efron.params.values, ctv.params_[REGS].values, atol=1e-8)
    np.testing.assert_allclose(
        efron.std_errors.values, ctv.standard_errors_[REGS].values, rtol=1e-8
    )


def test_phreg_entry_and_direct_phreg(spells):
    """Without starts at failure times the entry times reach PHReg unchanged and the fit is
    PHReg's own to 1e-12; Efron score residuals sum to PHReg's Efron gradient."""
    from statsmodels.duration.hazard_regression import PHReg

    start, stop = spells["start"].to_numpy(float), spells["stop"].to_numpy(float)
    assert hazard.phreg_entry(start, stop, spells["event"].to_numpy()) is start
    strata = pd.factorize(spells["convention"])[0]
    ph = PHReg(
        stop,
        spells[REGS].to_numpy(),
        status=spells["event"].to_numpy(),
        entry=start,
        strata=strata,
        ties="efron",
    ).fit()
    res = hazard.cox(spells, REGS, strata="convention")
    np.testing.assert_allclose(res.params.values, ph.params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.std_errors.values, ph.bse, rtol=1e-12)
    yearly = hazard.split_spells(spells.assign(stop=np.ceil(spells["stop"])))
    ys, yt = yearly["start"].to_numpy(float), yearly["stop"].to_numpy(float)
    yd = yearly["event"].to_numpy(int)
    entry = hazard.phreg_entry(ys, yt, yd)
    moved = entry != ys
    assert (
        moved.any()
        and np.isin(ys[moved], yt[yd == 1]).all()
        and (entry[moved] - ys[moved] == 0.5).all()
    )
    model = PHReg(
        yt,
        yearly[REGS].to_numpy(),
        status=yearly["event"].to_numpy(int),
        entry=entry,
        strata=pd.factorize(yearly["convention"])[0],
        ties="efron",
    )
    b = np.array([0.2, 0.03, 0.3])
    u = hazard.score_residuals(
        yearly[REGS].to_numpy(),
        b,
        ys,
        yt,
        yearly["event"].to_numpy(int),
        pd.factorize(yearly["convention"])[0],
        ties="efron",
    )
    np.testing.assert_allclose(u.sum(axis=0), model.score(b), rtol=1e-10)


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


def test_discrete_hazard_cubic_duration_on_split_yearly_spells(spells):
    """Carter-Signorino cubic in duration; yearly split spells (counting-process rows, a
    covariate varying by year) give one person-period row per spell-year."""
    yearly = hazard.split_spells(spells.assign(stop=np.ceil(spells["stop"])))
    yearly["shock"] = np.random.default_rng(1).normal(size=len(yearly))
    pp = hazard.person_period(yearly)
    assert len(pp) == len(yearly) and pp["y"].sum() == spells["event"].sum()
    key = pp["iso3"] + pp["convention"] + pp["period"].astype(str)
    assert not key.duplicated().any()
    res = hazard.discrete_hazard(pp, [*REGS, "shock"], duration="cubic", cluster="iso3")
    p = pp["period"].astype(float)
    x = pd.concat(
        [
            pp[[*REGS, "shock"]],
            pd.DataFrame({"duration": p, "duration_sq": p**2, "duration_cu": p**3}),
        ],
        axis=1,
    )
    x.insert(0, "const", 1.0)
    ref = sm.GLM(pp["y"], x, family=sm.families.Binomial(link=sm.families.links.CLogLog())).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(pp["iso3"])[0]}
    )
    np.testing.assert_allclose(res.params.values, ref.params.values, atol=1e-8)
    np.testing.assert_allclose(res.std_errors.values, ref.bse.values, rtol=1e-8)
    assert list(res.params.index[-3:]) == ["duration", "duration_sq", "duration_cu"]


def test_icescr_ratification_cox_equals_r_survival(mirror_dir):
    """Real data: state-years at risk of ratifying the ICESCR (UN treaty panel, Polity5
    lagged; the hazard-and-panel tutorial's intervals (t-1, t]), against R survival 3.5.3:
    ``coxph(Surv(start, stop, event) ~ L1.polity2, cluster = iso3, ties = "efron")``.
    Raw PHReg entry times give 0.04879 here, R and this module 0.04909. (The USSR's years
    to its 1973 ratification, coded SUN as in Polity, and the UAE, Polity's "UAE" read as
    ARE, are at risk with a Polity score.)"""
    from enforcement_lab.data.panel import build_panel

    panel = build_panel(
        "un_treaty_ratifications:cescr_ratify",
        ["polity5:polity2"],
        years=(1966, 2013),
        lags={"polity2": 1},
        mirror=mirror_dir,
    ).reset_index()
    risk = panel.sort_values(["iso3", "year"]).copy()
    risk["event"] = risk["cescr_ratify"].astype(int)
    risk = risk[risk.groupby("iso3")["event"].cumsum() - risk["event"] == 0]
    risk = risk.dropna(subset=["L1.polity2"])
    iv = risk.assign(start=risk["year"] - 1966.0, stop=risk["year"] - 1965.0)
    assert (len(iv), int(iv["event"].sum())) == (2662, 140)
    model = hazard.cox(iv, ["L1.polity2"])
    robust = hazard.cox(iv, ["L1.polity2"], cluster="iso3")
    assert model.params["L1.polity2"] == pytest.approx(0.04909366932761325, abs=1e-8)
    assert model.std_errors["L1.polity2"] == pytest.approx(0.01168556193168129, rel=1e-8)
    assert robust.std_errors["L1.polity2"] == pytest.approx(0.01355839599974927, rel=1e-8)
