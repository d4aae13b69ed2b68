"""The joint pre-trend test of an event study, against statsmodels' Wald test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from econometrics import did
from econometrics.results import EstimationResults
from enforcement_lab.errors import DataError


def _ols_event_results(seed: int) -> tuple[EstimationResults, object, list[str]]:
    rng = np.random.default_rng(seed)
    n, groups = 300, 30
    names = ["const", "event_time[-3]", "event_time[-2]", "event_time[0]", "event_time[1]", "x"]
    x = np.c_[np.ones(n), rng.normal(size=(n, len(names) - 1))]
    beta = rng.normal(scale=0.2, size=len(names))
    y = x @ beta + rng.normal(size=n)
    g = np.repeat(np.arange(groups), n // groups)
    res = sm.OLS(y, pd.DataFrame(x, columns=names)).fit(cov_type="cluster", cov_kwds={"groups": g})
    out = EstimationResults.from_statsmodels(res, estimator="ols")
    out = EstimationResults(
        params=out.params,
        std_errors=out.std_errors,
        cov=out.cov,
        nobs=out.nobs,
        df_resid=float(groups - 1),
        estimator="ols",
        cov_type="clustered",
    )
    return out, res, ["event_time[-3]", "event_time[-2]"]


@pytest.mark.parametrize("seed", range(8))
def test_pretrend_test_equals_statsmodels_wald(seed):
    ours, res, leads = _ols_event_results(seed)
    r = did.pretrend_test(ours)
    assert r["leads"] == leads and r["df"] == 2
    restriction = ", ".join(f"{t} = 0" for t in leads)
    chi2 = res.wald_test(restriction, use_f=False, scalar=True)
    assert r["statistic"] == pytest.approx(float(chi2.statistic), rel=1e-10)
    assert r["pvalue"] == pytest.approx(float(chi2.pvalue), rel=1e-10)
    f = res.wald_test(restriction, use_f=True, scalar=True)  # statsmodels: df_denom = G - 1
    assert r["f_statistic"] == pytest.approx(float(f.statistic), rel=1e-10)
    assert r["f_pvalue"] == pytest.approx(float(f.pvalue), rel=1e-10)


def test_pretrend_test_on_an_event_study_without_pretrends():
    from enforcement_lab.data.synthetic import staggered_panel

    panel = staggered_panel(seed=4)
    res = did.event_study(panel, "y", "cohort", leads=3, lags=3)
    r = did.pretrend_test(res)
    assert r["leads"] == ["event_time[-3]", "event_time[-2]"]
    assert 0.0 <= r["pvalue"] <= 1.0 and 0.0 <= r["f_pvalue"] <= 1.0


def test_pretrend_test_needs_leads():
    res = EstimationResults(
        params=pd.Series([1.0], index=["event_time[0]"]),
        std_errors=pd.Series([1.0], index=["event_time[0]"]),
        cov=pd.DataFrame([[1.0]], index=["event_time[0]"], columns=["event_time[0]"]),
        nobs=10,
        estimator="x",
        cov_type="clustered",
    )
    with pytest.raises(DataError, match="no lead"):
        did.pretrend_test(res)
