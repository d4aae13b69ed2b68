"""EstimationResults and compare(): inference from closed forms, table layout and exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from econometrics.results import EstimationResults
from econometrics.tables import compare


def _res(**kw):
    base = dict(
        params=pd.Series({"a": 1.0, "b": -0.1}),
        std_errors=pd.Series({"a": 0.2, "b": 0.1}),
        nobs=40,
        estimator="panel_ols",
        cov_type="clustered",
        effects=("entity", "time"),
        cluster="entity",
    )
    base.update(kw)
    return EstimationResults(**base)


def test_pvalues_and_conf_int_normal_and_t():
    r = _res()
    assert r.tstats["a"] == pytest.approx(5.0)
    assert r.pvalues["b"] == pytest.approx(2 * stats.norm.sf(1.0))
    ci = r.conf_int(0.9)
    assert ci.loc["a", "upper"] == pytest.approx(1.0 + stats.norm.ppf(0.95) * 0.2)
    rt = _res(df_resid=10)
    assert rt.pvalues["b"] == pytest.approx(2 * stats.t(10).sf(1.0))
    assert rt.conf_int().loc["a", "lower"] == pytest.approx(1.0 - stats.t(10).ppf(0.975) * 0.2)
    with pytest.raises(ValueError):
        r.conf_int(1.5)


def test_to_frame_and_summary():
    f = _res().to_frame()
    assert list(f.columns) == [
        "estimate",
        "std_error",
        "t_stat",
        "p_value",
        "lower",
        "upper",
        "nobs",
    ]
    assert f.index.name == "term" and (f["nobs"] == 40).all()
    s = _res().summary()
    assert "panel_ols" in s and "entity, time" in s and "Observations: 40" in s


def test_compare_layout_stars_and_exports():
    r1 = _res()
    r2 = _res(
        params=pd.Series({"a": 0.5, "c": 3.0}),
        std_errors=pd.Series({"a": 0.5, "c": 1.0}),
        effects=(),
        cluster=None,
        estimator="pooled_ols",
        nobs=55,
    )
    t = compare(r1, r2, names=["FE", "Pooled"])
    fr = t.frame
    # a: t=5 -> ***; b: t=-1 -> none; c: t=3 -> ***; a in model 2: t=1 -> none
    assert fr.iloc[0].tolist() == ["1.000***", "0.500"]
    assert fr.iloc[1].tolist() == ["(0.200)", "(0.500)"]
    assert fr.iloc[2].tolist() == ["-0.100", ""]
    assert fr.iloc[4].tolist() == ["", "3.000***"]
    assert fr.loc["N"].tolist() == ["40", "55"]
    assert fr.loc["Entity FE"].tolist() == ["Yes", "No"]
    assert fr.loc["Cluster"].tolist() == ["entity", "-"]
    nostar = compare(r1, stars=False).frame
    assert nostar.iloc[0, 0] == "1.000"
    md, tex, htm = t.to_markdown(), t.to_latex(caption="x_y"), t.to_html()
    assert md.splitlines()[0] == "| term | FE | Pooled |"
    assert r"\begin{tabular}{lcc}" in tex and r"1.000$^{***}$" in tex and r"x\_y" in tex
    assert htm.count("<tr") == len(fr) + 2 and "(0.200)" in htm  # header and legend rows
    # 2.5 sigma -> ** ; 1.7 sigma -> *
    r3 = _res(params=pd.Series({"a": 2.5, "b": 1.7}), std_errors=pd.Series({"a": 1.0, "b": 1.0}))
    assert compare(r3).frame.iloc[[0, 2], 0].tolist() == ["2.500**", "1.700*"]
    with pytest.raises(ValueError):
        compare()
    assert np.isfinite(r3.pvalues).all()


def test_fixed_effect_dummies_left_out_of_tables_and_intervals_match_libraries():
    """A logit with year effects keeps its year dummies in params (statsmodels' answer) but
    the table shows the regressors and a "Time FE: Yes" row; conf_int equals the library's."""
    from econometrics.estimators import fit
    from econometrics.spec import Spec
    from enforcement_lab.data import synthetic

    df = synthetic.ordered_panel(n_entities=30, n_years=10, seed=5)
    df["b"] = (df["WORKER"] >= 1).astype(int)
    logit = fit(
        Spec(outcome="b", regressors=("polity2", "logGDPpc"), estimator="logit", effects=("time",)),
        df,
    )
    dummies = [t for t in logit.params.index if str(t).startswith("time_")]
    assert len(dummies) == 9 and logit.absorbed == tuple(dummies)
    assert set(dummies) <= set(logit.to_frame().index)
    fe = fit(Spec(outcome="b", regressors=("polity2", "logGDPpc"), effects=("entity", "time")), df)
    table = compare(fe, logit).frame
    shown = [i for i in table.index[: 2 * 3] if i]
    assert shown == ["polity2", "logGDPpc", "const"]
    assert table.loc["Time FE"].tolist() == ["Yes", "Yes"]
    assert compare(logit, terms=["time_1991"]).frame.iloc[0, 0] != ""
    np.testing.assert_allclose(
        logit.conf_int().to_numpy(), logit.raw.conf_int().to_numpy(), rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(
        fe.conf_int().to_numpy(), fe.raw.conf_int().to_numpy(), rtol=0, atol=1e-10
    )


def test_latex_escapes_special_characters_once():
    r = _res(
        params=pd.Series({"a_b": 1.0, "x^2 {$}~": 0.1}),
        std_errors=pd.Series({"a_b": 0.2, "x^2 {$}~": 1.0}),
    )
    tex = compare(r, names=["50% & more"]).to_latex(caption="C:\\dir #1")
    assert r"a\_b & 1.000$^{***}$ \\" in tex
    assert r"x\textasciicircum{}2 \{\$\}\textasciitilde{} & 0.100 \\" in tex
    assert r"50\% \& more" in tex and r"\caption{C:\textbackslash{}dir \#1}" in tex


def test_compare_takes_a_list_or_a_dict_extra_rows_and_notes():
    r1 = _res(notes=("z dropped: absorbed by the entity fixed effects",))
    r2 = _res(params=pd.Series({"a": 0.5}), std_errors=pd.Series({"a": 0.5}), extra={"R2": 0.25})
    as_dict = compare({"FE": r1, "Other": r2}, extra_rows={"Countries": [12, 9]})
    as_list = compare([r1, r2], names=["FE", "Other"], extra_rows={"Countries": [12, 9]})
    pd.testing.assert_frame_equal(as_dict.frame, as_list.frame)
    assert list(as_dict.frame.columns) == ["FE", "Other"]
    assert as_dict.frame.loc["Countries"].tolist() == ["12", "9"]
    assert as_dict.frame.loc["R²"].tolist() == ["", "0.250"]
    assert "R² (within)" not in as_dict.frame.index  # no model has it
    assert as_dict.notes == ("FE: z dropped: absorbed by the entity fixed effects",)
    md, tex, htm = as_dict.to_markdown(), as_dict.to_latex(), as_dict.to_html()
    assert md.splitlines()[-1] == "- FE: z dropped: absorbed by the entity fixed effects"
    assert r"p<0.01. \\ FE: z dropped: absorbed by the entity fixed effects" in tex
    assert "FE: z dropped" in htm
    only = compare(r1, stats=("N",)).frame
    assert list(only.index[only.index != ""][-1:]) == ["N"]
    with pytest.raises(ValueError, match="unknown stats"):
        compare(r1, stats=("AIC",))
    with pytest.raises(ValueError, match="extra row"):
        compare(r1, extra_rows={"x": [1, 2]})
    with pytest.raises(TypeError):
        compare([r1, "not a result"])


def test_from_linearmodels_and_from_statsmodels_copy_the_library_inference():
    import numpy as np
    import statsmodels.api as sm
    from linearmodels.panel import PanelOLS

    from econometrics.results import EstimationResults
    from enforcement_lab.data.synthetic import twfe_panel

    df = twfe_panel(n_entities=15, n_years=6, seed=3)
    lm = PanelOLS(df["y"], df[["treatment", "x1"]], entity_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    r = EstimationResults.from_linearmodels(lm, estimator="panel_ols", effects=("entity",))
    assert r.cov_type == "clustered" and r.df_resid == lm.df_resid and r.nobs == 90
    for ours, theirs in (
        (r.params, lm.params),
        (r.std_errors, lm.std_errors),
        (r.pvalues, lm.pvalues),
        (r.tstats, lm.tstats),
    ):
        assert ours.equals(theirs.astype(float))
    assert r.extra["R2 (within)"] == lm.rsquared_within and r.raw is lm
    ci = lm.conf_int()
    np.testing.assert_allclose(r.conf_int().to_numpy(), ci.to_numpy(), rtol=1e-12)

    x = sm.add_constant(df[["treatment", "x1"]].reset_index(drop=True))
    ols = sm.OLS(df["y"].reset_index(drop=True), x).fit(cov_type="HC0")
    s = EstimationResults.from_statsmodels(ols, estimator="pooled_ols", extra={"k": 1})
    assert s.cov_type == "HC0" and s.extra == {"k": 1} and s.nobs == 90
    assert s.std_errors.equals(ols.bse) and s.pvalues.equals(ols.pvalues)
    np.testing.assert_array_equal(s.cov.to_numpy(), ols.cov_params().to_numpy())


def test_html_display_names_the_covariance_and_lists_every_term():
    """Jupyter's display: header rows (the covariance named) and one row per term."""
    from html.parser import HTMLParser

    import pandas as pd

    from econometrics.results import EstimationResults

    res = EstimationResults(
        pd.Series({"x<1>": 1.5, "z": -0.25}),
        pd.Series({"x<1>": 0.5, "z": 0.125}),
        120,
        "panel_ols",
        "clustered",
        cluster="entity",
        cov_label="clustered by entity [ssc: stata]",
        effects=("entity", "time"),
        notes=("w dropped: absorbed by the entity fixed effects",),
    )

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self._in = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            self._in = tag in ("td", "th")

        def handle_endtag(self, tag):
            self._in = False

        def handle_data(self, data):
            if self._in and data.strip():
                self.rows[-1].append(data.strip())

    parser = Cells()
    parser.feed(res._repr_html_())
    header = {r[0]: r[1] for r in parser.rows if len(r) == 2}
    assert header["Covariance"] == "clustered by entity [ssc: stata]"
    assert header["Observations"] == "120" and header["Fixed effects"] == "entity, time"
    terms = {r[0]: r[1:] for r in parser.rows if r and r[0] in ("x<1>", "z")}
    assert terms["x<1>"][:3] == ["1.5000", "0.5000", "3.0000"]  # estimate, SE, t
    assert terms["z"][0] == "-0.2500"
    assert "w dropped: absorbed" in res._repr_html_()
    assert "<1>" not in res._repr_html_().replace("&lt;1&gt;", "")  # escaped
