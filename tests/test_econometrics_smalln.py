"""Small-N case analysis: known answers on constructed frames, and the real GSP table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import fisher_exact

from econometrics import smalln
from enforcement_lab.errors import DataError


@pytest.fixture
def cases():
    # group A: 3 of 4 successes; group B: 1 of 5; one uncoded case
    return pd.DataFrame(
        {
            "case_id": [f"X{i}-19{90 + i}" for i in range(10)],
            "group": ["A"] * 4 + ["B"] * 5 + ["A"],
            "issues": ["a;b", "a", "b", "a", "a", "b", "b", "c", "c", "a"],
            "elliott_success": pd.array([1, 1, 1, 0, 1, 0, 0, 0, 0, None], dtype="Int64"),
        }
    )


def test_success_rates_known(cases):
    r = smalln.success_rates(cases, "group")
    assert r.loc["A", "n"] == 4 and r.loc["A", "successes"] == 3 and r.loc["A", "rate"] == 0.75
    assert r.loc["B", "rate"] == pytest.approx(0.2)
    # Wilson interval closed form for 3/4
    z, n, p = 1.959963984540054, 4, 0.75
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert r.loc["A", "lower"] == pytest.approx(centre - half)
    assert r.loc["A", "upper"] == pytest.approx(centre + half)
    issues = smalln.success_rates(cases, "issues", sep=";")
    # 'a' appears in coded cases 0,1,3,4 -> 3 successes of 4; 'b' in 0,2,5,6 -> 2 of 4
    assert issues.loc["a", ["n", "successes"]].tolist() == [4, 3]
    assert issues.loc["b", ["n", "successes"]].tolist() == [4, 2]


def test_fisher_tests_match_scipy(cases):
    f = smalln.fisher_tests(cases, "group")
    assert f.loc["A", ["a", "b", "c", "d"]].tolist() == [3, 1, 1, 4]
    assert f.loc["A", "p_value"] == pytest.approx(fisher_exact([[3, 1], [1, 4]]).pvalue)
    assert f.loc["A", "odds_ratio"] == pytest.approx(12.0)


def test_firth_saturated_two_by_two_equals_haldane(cases):
    """Firth logit on one binary regressor = log odds ratio with 0.5 added to every cell."""
    x = smalln.category_dummies(cases, "group", drop="B")
    r = smalln.firth_logit(cases, "elliott_success", x)
    assert r.params["group[A]"] == pytest.approx(np.log((3.5 * 4.5) / (1.5 * 1.5)), abs=1e-6)
    assert r.params["const"] == pytest.approx(np.log(1.5 / 4.5), abs=1e-6)
    assert r.nobs == 9 and 0 < r.pvalues["group[A]"] < 1


def test_firth_finite_under_separation():
    df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [0, 0, 0, 1, 1, 1]})
    r = smalln.firth_logit(df, "y", ["x"])
    assert np.isfinite(r.params["x"])
    assert r.params["x"] == pytest.approx(np.log(3.5 * 3.5 / (0.5 * 0.5)), abs=1e-6)


def test_real_table_against_elliott():
    out = smalln.compare_with_elliott()
    assert out["elliott"]["n"] == 32 and out["elliott"]["successes"] == 15
    # as stated in gsp_worker_rights_reviews.toml comparison_with_elliott
    assert (out["coded"]["n"], out["coded"]["successes"]) == (24, 16)
    assert (out["coded_1987_1998"]["n"], out["coded_1987_1998"]["successes"]) == (11, 5)
    assert (out["n_rows"], out["n_dated_to_1998"], out["n_dated_after_1998"], out["n_undated"]) == (
        39,
        15,
        15,
        9,
    )
    assert out["fisher_p"] == pytest.approx(fisher_exact([[16, 8], [15, 17]]).pvalue)
    assert "15 of 32" in out["text"] and "16 successes of 24" in out["text"]
    assert "Elliott" in out["differences"]
    rates = smalln.success_rates(smalln.load_cases(), "petitioner_type")
    assert rates["n"].sum() == 24


def test_responsiveness_ratio_and_intervals():
    df = pd.DataFrame(
        {"region": ["E"] * 3 + ["W"] * 2, "progress": [1, 2, 0, 1, 1], "obs": [5, 5, 10, 4, 6]}
    )
    r = smalln.responsiveness(df, "progress", "obs", "region", n_boot=4000, seed=1)
    assert r.loc["E", "ratio"] == pytest.approx(3 / 20)
    assert r.loc["W", "ratio"] == pytest.approx(0.2)
    lo, hi = smalln.wilson(3, 20)
    assert (r.loc["E", "wilson_lower"], r.loc["E", "wilson_upper"]) == (
        pytest.approx(lo),
        pytest.approx(hi),
    )
    assert r.loc["E", "boot_lower"] <= 0.15 <= r.loc["E", "boot_upper"]
    with pytest.raises(DataError):
        smalln.responsiveness(df.assign(progress=[9, 9, 9, 9, 9]), "progress", "obs", "region")


def test_bootstrap_ratio_centres_on_ratio():
    rng = np.random.default_rng(3)
    obs = rng.integers(1, 20, 200)
    prog = rng.binomial(obs, 0.12)
    df = pd.DataFrame({"p": prog, "o": obs})
    r = smalln.responsiveness(df, "p", "o", n_boot=2000)
    ratio = prog.sum() / obs.sum()
    assert r["boot_lower"].iloc[0] < ratio < r["boot_upper"].iloc[0]
    # bootstrap and Wilson widths agree when progress is binomial per observation
    wb = r["boot_upper"].iloc[0] - r["boot_lower"].iloc[0]
    ww = r["wilson_upper"].iloc[0] - r["wilson_lower"].iloc[0]
    assert wb == pytest.approx(ww, rel=0.25)


def test_responsiveness_model_equals_glm():
    from enforcement_lab.data.synthetic import count_panel

    d = count_panel(n_entities=30, n_years=8, seed=2).reset_index()
    r = smalln.responsiveness_model(d, "count", "exposure", ["polity2", "region"], cluster="iso3")
    x = pd.get_dummies(d[["polity2", "region"]], drop_first=True, dtype=float)
    x.insert(0, "const", 1.0)
    ref = sm.GLM(d["count"], x, family=sm.families.Poisson(), exposure=d["exposure"]).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]}
    )
    np.testing.assert_allclose(r.params.values, ref.params.values, atol=1e-8)
    np.testing.assert_allclose(r.std_errors.values, ref.bse.values, rtol=1e-8)
    nb = smalln.responsiveness_model(
        d, "count", "exposure", ["polity2"], family="negative_binomial"
    )
    assert nb.params["polity2"] == pytest.approx(d.attrs["truth"]["beta"]["polity2"], abs=0.2)


def test_before_after_known_shift():
    from scipy import stats

    rows = []
    for i, c in enumerate(["A", "B", "C", "D"]):
        for y in range(2000, 2011):
            rows.append({"iso3": c, "year": y, "score": 1.0 + (0.5 + 0.1 * i) * (y > 2005)})
    panel = pd.DataFrame(rows)
    events = pd.DataFrame({"iso3": ["A", "B", "C", "D", "Z"], "year": [2005] * 5})
    out = smalln.before_after(panel, "score", events, window=2)
    assert out["n"] == 4  # Z has no data
    np.testing.assert_allclose(out["events"]["change"], [0.5, 0.6, 0.7, 0.8])
    assert out["mean_change"] == pytest.approx(0.65)
    assert out["t_p_value"] == pytest.approx(stats.ttest_1samp([0.5, 0.6, 0.7, 0.8], 0.0).pvalue)
    assert out["wilcoxon_p_value"] == pytest.approx(stats.wilcoxon([0.5, 0.6, 0.7, 0.8]).pvalue)
