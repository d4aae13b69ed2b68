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
    assert r.params["group[A]"] == pytest.approx(np.log((3.5 * 4.5) / (1.5 * 1.5)), abs=1e-8)
    assert r.params["const"] == pytest.approx(np.log(1.5 / 4.5), abs=1e-8)
    assert r.nobs == 9 and 0 < r.pvalues["group[A]"] < 1


def test_firth_finite_under_separation():
    df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [0, 0, 0, 1, 1, 1]})
    r = smalln.firth_logit(df, "y", ["x"])
    assert np.isfinite(r.params["x"])
    assert r.params["x"] == pytest.approx(np.log(3.5 * 3.5 / (0.5 * 0.5)), abs=1e-8)


def test_real_table_against_elliott():
    out = smalln.compare_with_elliott()
    assert out["elliott"]["n"] == 32 and out["elliott"]["successes"] == 15
    # as stated in gsp_worker_rights_reviews.toml comparison_with_elliott
    assert (out["coded"]["n"], out["coded"]["successes"]) == (26, 20)
    assert (out["coded_1987_1998"]["n"], out["coded_1987_1998"]["successes"]) == (12, 8)
    assert (out["n_rows"], out["n_dated_to_1998"], out["n_dated_after_1998"], out["n_undated"]) == (
        47,
        17,
        21,
        9,
    )
    assert out["fisher_p"] == pytest.approx(fisher_exact([[20, 6], [15, 17]]).pvalue)
    assert "15 of 32" in out["text"] and "20 successes of 26" in out["text"]
    assert "Elliott" in out["differences"]
    rates = smalln.success_rates(smalln.load_cases(), "petitioner_type")
    assert rates["n"].sum() == 26


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


def test_observations_per_ratification_rate_intervals():
    """A ratio above one (Weisband's 4.3 observations per ratification) is a rate: exact
    Poisson interval from statsmodels, bootstrap from scipy (same generator, same draws)."""
    from scipy.stats import bootstrap
    from statsmodels.stats.rates import confint_poisson

    df = pd.DataFrame(
        {
            "group": ["FoA"] * 4 + ["forced"] * 3,
            "obs": [9, 3, 6, 4, 2, 7, 1],
            "rat": [2, 1, 1, 1, 1, 2, 1],
        }
    )
    r = smalln.responsiveness(df, "obs", "rat", "group", kind="rate", n_boot=999, seed=7)
    assert "wilson_lower" not in r.columns
    assert r.loc["FoA", "ratio"] == pytest.approx(22 / 5)
    lo, hi = confint_poisson(22, 5, method="exact-c")
    assert (r.loc["FoA", "poisson_lower"], r.loc["FoA", "poisson_upper"]) == (
        pytest.approx(lo, rel=1e-12),
        pytest.approx(hi, rel=1e-12),
    )
    rng = np.random.default_rng(7)
    expected = {}
    for g in ("FoA", "forced"):  # groupby order
        sub = df[df["group"] == g]
        ci = bootstrap(
            (sub["obs"].to_numpy(float), sub["rat"].to_numpy(float)),
            lambda a, b, axis=-1: a.sum(axis=axis) / b.sum(axis=axis),
            paired=True,
            vectorized=True,
            n_resamples=999,
            confidence_level=0.95,
            method="percentile",
            rng=rng,
        ).confidence_interval
        expected[g] = (ci.low, ci.high)
    for g, (lo, hi) in expected.items():
        assert r.loc[g, "boot_lower"] == pytest.approx(lo, rel=1e-12)
        assert r.loc[g, "boot_upper"] == pytest.approx(hi, rel=1e-12)
    with pytest.raises(DataError, match="kind='rate'"):
        smalln.responsiveness(df, "obs", "rat", "group")
    with pytest.raises(DataError, match="kind"):
        smalln.responsiveness(df, "obs", "rat", kind="ratio")


def test_political_openness_on_the_gsp_table(mirror_dir):
    """Elliott's political-openness category from Polity5 in the case year."""
    from enforcement_lab.data import load_source

    polity = load_source("polity5", mirror=mirror_dir)
    cases = smalln.add_political_openness(smalln.load_cases(), polity)
    by_id = cases.set_index("case_id")
    for case in ("CHL-1986", "PAK-1995", "GEO-2010"):
        iso3, year = case.split("-")
        score = polity.loc[(polity["iso3"] == iso3) & (polity["year"] == int(year)), "polity2"]
        assert by_id.loc[case, "polity2"] == float(score.iloc[0])
    assert by_id.loc["CHL-1986", "openness"] == "autocracy"  # Pinochet: polity2 -6
    assert by_id.loc["PAK-1995", "openness"] == "democracy"
    assert pd.isna(by_id.loc["BEN-memo", "openness"])  # undated
    rates = smalln.success_rates(cases, "openness")
    assert rates["n"].sum() == 26 and rates["successes"].sum() == 20
    coded = cases[cases["elliott_success"].notna()]
    for band, row in rates.drop(index="(missing)").iterrows():
        sub = coded[coded["openness"] == band]
        assert (row["n"], row["successes"]) == (len(sub), int(sub["elliott_success"].sum()))
    f = smalln.fisher_tests(cases, "openness")
    a, b, c, d = f.loc["democracy", ["a", "b", "c", "d"]]
    assert f.loc["democracy", "p_value"] == pytest.approx(fisher_exact([[a, b], [c, d]]).pvalue)
    lagged = smalln.add_political_openness(smalln.load_cases(), polity, lag=1)
    chl = polity.loc[(polity["iso3"] == "CHL") & (polity["year"] == 1985), "polity2"].iloc[0]
    assert lagged.set_index("case_id").loc["CHL-1986", "polity2"] == chl


def test_firth_solves_the_penalised_score_on_the_gsp_table():
    """firthmodels' estimate on the real table sets Firth's modified score
    X'(y - p + h (1/2 - p)) to zero, and its SEs are the inverse information at it."""
    cases = smalln.load_cases()
    x = smalln.category_dummies(cases, "petitioner_type", drop="unknown")
    keep = x.columns[x.loc[cases["elliott_success"].notna()].sum() > 0]
    r = smalln.firth_logit(cases, "elliott_success", x[keep])
    coded = cases["elliott_success"].notna()
    X = np.column_stack([np.ones(coded.sum()), x.loc[coded, keep].to_numpy()])
    y = cases.loc[coded, "elliott_success"].to_numpy(float)
    b = r.params.to_numpy()
    p = 1 / (1 + np.exp(-X @ b))
    w = p * (1 - p)
    info = X.T @ (w[:, None] * X)
    h = w * np.einsum("ij,jk,ik->i", X, np.linalg.inv(info), X)
    score = X.T @ (y - p + h * (0.5 - p))
    assert np.abs(score).max() < 1e-8
    # firthmodels' Wald SEs use the augmented information X' diag(w (1 + h)) X (in a
    # saturated model: the Woolf-Haldane SE, sqrt(sum 1/(cell + 0.5))); R logistf reports
    # the plain inverse of X'WX at the same estimate, which is larger
    aug = X.T @ ((w * (1 + h))[:, None] * X)
    np.testing.assert_allclose(
        r.std_errors.to_numpy(), np.sqrt(np.diag(np.linalg.inv(aug))), rtol=1e-8
    )
    assert (np.sqrt(np.diag(np.linalg.inv(info))) > r.std_errors.to_numpy()).all()
    sub = cases[cases["petitioner_type"].isin(["union", "unknown"])]
    union = smalln.category_dummies(sub, "petitioner_type", drop="unknown")
    ru = smalln.firth_logit(sub, "elliott_success", union)
    # union 4 of 5, unknown 10 of 15: log odds ratio with 0.5 added, Woolf-Haldane SE
    woolf = np.sqrt(1 / 4.5 + 1 / 1.5 + 1 / 10.5 + 1 / 5.5)
    assert ru.std_errors["petitioner_type[union]"] == pytest.approx(woolf, rel=1e-8)
    assert ru.params["petitioner_type[union]"] == pytest.approx(
        np.log((4.5 / 1.5) / (10.5 / 5.5)), abs=1e-8
    )
    assert r.nobs == 26 and list(r.params.index) == ["const", *keep]
    assert r.pvalues.between(0, 1).all()  # penalised LRT p-values, none left NaN


def test_responsiveness_model_negative_binomial_equals_statsmodels():
    from enforcement_lab.data.synthetic import count_panel

    d = count_panel(n_entities=30, n_years=8, seed=2).reset_index()
    nb = smalln.responsiveness_model(
        d, "count", "exposure", ["polity2"], family="negative_binomial", cluster="iso3"
    )
    ref = sm.NegativeBinomial(
        d["count"], sm.add_constant(d[["polity2"]]), exposure=d["exposure"]
    ).fit(disp=0, maxiter=200, cov_type="cluster", cov_kwds={"groups": pd.factorize(d["iso3"])[0]})
    np.testing.assert_allclose(nb.params.values, ref.params.values, atol=1e-8)
    np.testing.assert_allclose(nb.std_errors.values, ref.bse.values, rtol=1e-8)


def test_firth_lrt_p_values_equal_profile_of_the_penalised_likelihood():
    """Each LRT p-value is chi2(1) of 2 (l*(b) - max l*(b | b_j = 0)), with Firth's penalised
    log-likelihood l* = l + log|X'WX| / 2 (the penalty on the full design, as in logistf),
    maximised here by scipy."""
    from scipy.optimize import minimize
    from scipy.stats import chi2

    cases = smalln.load_cases()
    x = smalln.category_dummies(cases, "petitioner_type", drop="unknown")
    coded = cases["elliott_success"].notna()
    keep = [c for c in x.columns if x.loc[coded, c].sum() > 0]
    r = smalln.firth_logit(cases, "elliott_success", x[keep])
    X = np.column_stack([np.ones(coded.sum()), x.loc[coded, keep].to_numpy()])
    y = cases.loc[coded, "elliott_success"].to_numpy(float)

    def pll(b):
        eta = X @ b
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        return (y * eta - np.logaddexp(0, eta)).sum() + 0.5 * np.linalg.slogdet(
            X.T @ (w[:, None] * X)
        )[1]

    full = pll(r.params.to_numpy())
    assert full == pytest.approx(r.extra["penalised log-likelihood"], abs=1e-9)
    for j, term in enumerate(r.params.index):
        free = [k for k in range(X.shape[1]) if k != j]

        def neg(b_free, free=free):
            b = np.zeros(X.shape[1])
            b[free] = b_free
            return -pll(b)

        opt = minimize(neg, r.params.to_numpy()[free], method="BFGS", options={"gtol": 1e-10})
        p = chi2.sf(2 * (full + opt.fun), 1)
        assert r.pvalues[term] == pytest.approx(p, rel=1e-5, abs=1e-9), term


def test_rate_bounds_known(cases):
    b = smalln.rate_bounds(cases)
    # 4 successes among 9 coded, 1 uncoded, 10 cases
    assert b.loc["uncoded = failure", ["cases", "successes"]].tolist() == [10, 4]
    assert b.loc["coded only", ["cases", "successes"]].tolist() == [9, 4]
    assert b.loc["uncoded = success", ["cases", "successes"]].tolist() == [10, 5]
    assert b["rate"].tolist() == pytest.approx([0.4, 4 / 9, 0.5])
    assert (b["uncoded"] == 1).all()
    lo, hi = smalln.wilson(4, 9)
    assert b.loc["coded only", "lower"] == pytest.approx(lo)
    assert b.loc["coded only", "upper"] == pytest.approx(hi)
    # the coded-only rate always lies between the bounds
    rng = np.random.default_rng(3)
    for _ in range(50):
        y = rng.choice([0, 1, -1], size=rng.integers(1, 30))
        f = pd.DataFrame({"y": pd.array(np.where(y < 0, None, y), dtype="Int64")})
        r = smalln.rate_bounds(f, "y")["rate"].to_numpy()
        if np.isfinite(r[1]):
            assert r[0] <= r[1] <= r[2]
    with pytest.raises(DataError, match="'nope'"):
        smalln.rate_bounds(cases, "nope")


def test_against_benchmark_equals_exact_binomial():
    from scipy.stats import binom

    # two-sided exact binomial p by its definition: the probability of every count no
    # more likely than the observed one (R binom.test's rule, relative tolerance 1e-7)
    for k, n, p0 in [(20, 26, 15 / 32), (8, 17, 15 / 32), (3, 10, 0.5), (0, 5, 0.2)]:
        pmf = binom.pmf(np.arange(n + 1), n, p0)
        expected = pmf[pmf <= pmf[k] * (1 + 1e-7)].sum()
        r = smalln.against_benchmark(k, n, p0)
        assert r["binomial_p"] == pytest.approx(min(1.0, expected), rel=1e-9)
        lo, hi = smalln.wilson(k, n)
        assert r["contains"] == (lo <= p0 <= hi)
    # R 4.x binom.test(k, n, p0)$p.value, recorded
    recorded = {(20, 26): 0.00258209729514449, (8, 17): 1.0, (3, 10): 0.34375, (0, 5): 0.5904}
    for (k, n), p_r in recorded.items():
        p0 = {20: 15 / 32, 8: 15 / 32, 3: 0.5, 0: 0.2}[k]
        assert smalln.against_benchmark(k, n, p0)["binomial_p"] == pytest.approx(p_r, rel=1e-12)
    with pytest.raises(DataError, match="successes"):
        smalln.against_benchmark(5, 4, 0.5)
    with pytest.raises(DataError, match="benchmark"):
        smalln.against_benchmark(1, 4, 1.5)


def test_undated_countries_on_the_shipped_table():
    cases = smalln.load_cases()
    undated = smalln.undated_countries(cases)
    # the undated presidential memorandum (BEN, DOM, NPL, SDN; Haiti's review is dated
    # 1988 by a press report), Frundt's case studies (SLV, HND, CRI), Barenberg's Thailand
    # case; GTM-2003 is dated by its identifier
    assert undated == ["BEN", "CRI", "DOM", "HND", "NPL", "SDN", "SLV", "THA"]
    not_accepted = cases[cases["outcome"] == "withdrawn_or_not_accepted"]
    assert not not_accepted.empty  # GTM-1988 has no review: it does not count
