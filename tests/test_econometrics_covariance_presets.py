"""Small-sample presets, PCSE, Driscoll-Kraay rules and Swamy-Arora random effects
against R plm (numbers recorded below; re-computed live where Rscript exists), closed
forms written here with numpy (Stata, fixest, Beck-Katz), and linearmodels.

The panel ``tests/data/cov_panel.csv`` is seeded synthetic data (25 units, 12 years,
15% of the rows dropped at random: unbalanced). ``R_PLM`` holds the standard errors of
``tests/data/cov_panel_plm.R`` (plm 2.6-2): ``vcovHC`` (arellano by group and time,
white1), ``vcovSCC``, ``vcovDC``, ``vcovBK(cluster = "time")`` for types HC0, HC1 and
sss, and the ``random`` (Swamy-Arora) model.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econometrics.covariance import Covariance, pcse_sigma
from econometrics.estimators import fit
from econometrics.spec import Spec
from enforcement_lab.errors import SpecError

DATA = Path(__file__).parent / "data"
TOL = 1e-8

R_PLM = {
    "within/coef": [0.6589507611678108, -0.4825359328863234],
    "within/clustered-entity/HC0": [0.07981014722838346, 0.09896540679695243],
    "within/clustered-time/HC0": [0.08725900046724083, 0.0910473041081413],
    "within/robust/HC0": [0.09916314441134015, 0.06147395380541672],
    "within/driscoll-kraay/HC0": [0.09008120776169026, 0.09580712198059882],
    "within/driscoll-kraay-bw2/HC0": [0.09494845574789351, 0.09795367893083805],
    "within/clustered-twoway/HC0": [0.06442409140697195, 0.11960232577745357],
    "within/pcse/HC0": [0.10206684018446795, 0.09191173854239619],
    "within/clustered-entity/HC1": [0.08012875187734535, 0.09936047985203256],
    "within/clustered-time/HC1": [0.08760734117551035, 0.09141076784516824],
    "within/robust/HC1": [0.09955900684127304, 0.06171935978639338],
    "within/driscoll-kraay/HC1": [0.09044081481134081, 0.09618958706212945],
    "within/driscoll-kraay-bw2/HC1": [0.0953274930064825, 0.09834471313606231],
    "within/clustered-twoway/HC1": [0.06468127443118907, 0.12007978207020172],
    "within/pcse/HC1": [0.10247429426038343, 0.09227865312920905],
    "within/clustered-entity/sss": [0.08161863961321063, 0.10120795603121771],
    "within/clustered-time/sss": [0.09132114976693526, 0.09528580948456722],
    "within/robust/sss": [0.09955900684127304, 0.06171935978639338],
    "within/driscoll-kraay/sss": [0.09427473866469613, 0.10026721012480506],
    "within/driscoll-kraay-bw2/sss": [0.09936857058943553, 0.10251369527460512],
    "within/clustered-twoway/sss": [0.07133834091037947, 0.12455182247042339],
    "twoways/coef": [0.6343943947748423, -0.35762623055870146],
    "twoways/clustered-entity/HC0": [0.07746829295128337, 0.10955134341896058],
    "twoways/clustered-time/HC0": [0.0959612428813165, 0.07077382493889328],
    "twoways/robust/HC0": [0.10157759184417241, 0.09740891943562112],
    "twoways/driscoll-kraay/HC0": [0.09433672679434549, 0.0628163212447774],
    "twoways/driscoll-kraay-bw2/HC0": [0.09962846939443475, 0.057793983054235186],
    "twoways/clustered-twoway/HC0": [0.06994204303029469, 0.08672908137277152],
    "twoways/pcse/HC0": [0.09870351887612072, 0.0964466270185978],
    "twoways/clustered-entity/HC1": [0.07777754884340433, 0.10998867587010142],
    "twoways/clustered-time/HC1": [0.09634432321839015, 0.07105635630155094],
    "twoways/robust/HC1": [0.10198309282513533, 0.09779777894359487],
    "twoways/driscoll-kraay/HC1": [0.09471332201147392, 0.06306708599931415],
    "twoways/driscoll-kraay-bw2/HC1": [0.10002618941651653, 0.058024698474799574],
    "twoways/clustered-twoway/HC1": [0.07022125389308857, 0.08707530662714281],
    "twoways/pcse/HC1": [0.09909754646628213, 0.09683164502460254],
    "twoways/clustered-entity/sss": [0.0792237190810842, 0.11203376924075277],
    "twoways/clustered-time/sss": [0.10042850578234516, 0.07406854344211695],
    "twoways/robust/sss": [0.10198309282513533, 0.09779777894359487],
    "twoways/driscoll-kraay/sss": [0.09872836395075531, 0.0657405958065706],
    "twoways/driscoll-kraay-bw2/sss": [0.10426645189495823, 0.06048445379688885],
    "twoways/clustered-twoway/sss": [0.07721224784017697, 0.09205057855128755],
    "pooling/coef": [1.0673041490730248, 1.2343564016226454, -0.49851239255714436],
    "pooling/clustered-entity/HC0": [0.2092761169183554, 0.14128644460573175, 0.10102496941774838],
    "pooling/clustered-time/HC0": [0.17566058805406023, 0.08106234749781883, 0.09660984500462143],
    "pooling/robust/HC0": [0.11644369403164465, 0.10873202079522523, 0.07740035409670128],
    "pooling/driscoll-kraay/HC0": [0.14313663572298785, 0.0940673110476227, 0.1039190237434024],
    "pooling/driscoll-kraay-bw2/HC0": [
        0.11184880694563608,
        0.09818450375225658,
        0.10061930471153846,
    ],
    "pooling/clustered-twoway/HC0": [0.24717200777634216, 0.12128607201559603, 0.11639884786104727],
    "pooling/pcse/HC0": [0.1804995382991763, 0.1477292353484848, 0.09913298565129208],
    "pooling/clustered-entity/HC1": [0.21053304183462782, 0.14213501947022883, 0.10163173144629059],
    "pooling/clustered-time/HC1": [0.17671561608680197, 0.08154921282121017, 0.09719008953099942],
    "pooling/robust/HC1": [0.11714306184545145, 0.10938507183681868, 0.07786522526797975],
    "pooling/driscoll-kraay/HC1": [0.14399632294635986, 0.09463228496248478, 0.1045431676358884],
    "pooling/driscoll-kraay-bw2/HC1": [
        0.11252057759187828,
        0.09877420577356365,
        0.10122363029351239,
    ],
    "pooling/clustered-twoway/HC1": [0.24865653768713156, 0.12201452344215163, 0.11709794632606237],
    "pooling/pcse/HC1": [0.18158362935746178, 0.14861650600079632, 0.09972838431180045],
    "pooling/clustered-entity/sss": [0.21444762417460947, 0.14477783141206246, 0.10352143853281012],
    "pooling/clustered-time/sss": [0.18420686013617132, 0.0850062081270329, 0.10131012541678752],
    "pooling/robust/sss": [0.1171430618454515, 0.10938507183681871, 0.07786522526797977],
    "pooling/driscoll-kraay/sss": [0.1501005463381009, 0.09864389161786506, 0.10897491169901576],
    "pooling/driscoll-kraay-bw2/sss": [
        0.11729049621017808,
        0.10296139475899513,
        0.10551465411406356,
    ],
    "pooling/clustered-twoway/sss": [0.257288658702311, 0.12736397429324361, 0.12213695772301833],
    "random/coef": [1.0877619495775772, 0.9185534584624562, -0.4873810907872845],
    "random/unadjusted": [0.17551778270652374, 0.10660851088096389, 0.06372263351019847],
    "random/sigma2": [2.2742748013326826, 0.4375050476211596],
}

EFFECTS = {"within": ("entity",), "twoways": ("entity", "time"), "pooling": ()}
PLM_SSC = {"HC0": "plm-hc0", "HC1": "plm-hc1", "sss": "plm-sss"}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return pd.read_csv(DATA / "cov_panel.csv")


def _spec(model: str, kind: str, ssc: str, **kw) -> Spec:
    opts = {}
    cov, cluster = kind, "entity"
    if kind.startswith("clustered-"):
        cov, cluster = "clustered", kind.split("-")[1]
    elif kind.startswith("driscoll-kraay"):
        cov = "driscoll-kraay"
        opts["bandwidth"] = 2 if kind.endswith("bw2") else "plm"
    return Spec(
        "y",
        ("x1", "x2"),
        entity="unit",
        time="year",
        estimator="pooled_ols" if model == "pooling" else "panel_ols",
        effects=EFFECTS[model],
        cov=cov,
        cluster=cluster,
        ssc=ssc,
        options=opts,
        **kw,
    )


def _plm_cases(reference: dict[str, list[float]]):
    for key, se in reference.items():
        model, kind, *rest = key.split("/")
        if model == "random" or kind == "coef":
            continue
        yield model, kind, rest[0], se


def _check_plm(panel: pd.DataFrame, reference: dict[str, list[float]]) -> float:
    worst = 0.0
    for model, kind, ty, se in _plm_cases(reference):
        res = fit(_spec(model, kind, PLM_SSC[ty]), panel)
        np.testing.assert_allclose(res.params.to_numpy(), reference[f"{model}/coef"], atol=TOL)
        diff = float(np.max(np.abs(res.std_errors.to_numpy() - se)))
        assert diff < TOL, (model, kind, ty, diff)
        worst = max(worst, diff)
    return worst


def test_plm_presets_equal_recorded_plm(panel):
    """Every plm covariance and type (48 cases) to 1e-8; the largest difference is ~1e-15."""
    assert _check_plm(panel, R_PLM) < TOL


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_plm_presets_equal_live_plm(panel, tmp_path):
    out = subprocess.run(
        ["Rscript", str(DATA / "cov_panel_plm.R"), str(DATA / "cov_panel.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0 and "plm" in out.stderr:
        pytest.skip("R package plm is not installed")
    live = json.loads(out.stdout)
    assert set(live) == set(R_PLM)
    for key, value in live.items():
        np.testing.assert_allclose(value, R_PLM[key], rtol=1e-10, atol=0)
    _check_plm(panel, live)


def test_swamy_arora_equals_plm_and_linearmodels(panel):
    from linearmodels.panel import RandomEffects

    spec = Spec(
        "y",
        ("x1", "x2"),
        entity="unit",
        time="year",
        estimator="random_effects",
        cov="unadjusted",
        options={"components": "swamy-arora"},
    )
    res = fit(spec, panel)
    np.testing.assert_allclose(res.params.to_numpy(), R_PLM["random/coef"], rtol=0, atol=TOL)
    np.testing.assert_allclose(res.std_errors.to_numpy(), R_PLM["random/unadjusted"], atol=TOL)
    vd = res.raw.variance_decomposition
    np.testing.assert_allclose([vd["Residual"], vd["Effects"]], R_PLM["random/sigma2"], atol=TOL)
    d = panel.set_index(["unit", "year"])
    ref = RandomEffects(d["y"], d[["x1", "x2"]].assign(const=1.0)[["const", "x1", "x2"]]).fit(
        small_sample=True, cov_type="clustered", cluster_entity=True
    )
    clus = fit(spec.replace(cov="clustered"), panel)
    np.testing.assert_allclose(clus.params, ref.params, atol=1e-12)
    np.testing.assert_allclose(clus.std_errors, ref.std_errors, rtol=1e-12)
    default = fit(spec.replace(options={}), panel)
    assert not np.allclose(default.params, res.params, atol=1e-6)  # unbalanced: they differ
    assert res.extra["RE components"] == "swamy-arora"
    with pytest.raises(SpecError, match=r"options.components 'amemiya' is unknown"):
        fit(spec.replace(options={"components": "amemiya"}), panel)


# ---------------------------------------------------------------------------- closed forms
def _random_panel(seed: int, n_units: int = 14, n_years: int = 11, drop: float = 0.2):
    rng = np.random.default_rng(seed)
    rows = [(f"E{i:02d}", 1990 + t) for i in range(n_units) for t in range(n_years)]
    d = pd.DataFrame(rows, columns=["unit", "year"])
    d = d[rng.random(len(d)) > drop].reset_index(drop=True)
    ei = pd.factorize(d["unit"])[0]
    ti = pd.factorize(d["year"], sort=True)[0]
    shock = rng.normal(size=n_years)
    d["x1"] = rng.normal(size=len(d)) + rng.normal(size=n_units)[ei]
    d["x2"] = rng.normal(size=len(d)) + shock[ti]
    d["y"] = (
        0.5 * d["x1"]
        - d["x2"]
        + rng.normal(size=n_units)[ei]
        + shock[ti] * rng.normal(size=n_units)[ei]
        + rng.normal(size=len(d))
    )
    return d, ei, ti


def _dummy_ols(d, ei, ti, effects):
    """OLS with explicit dummies: the x1, x2 rows of (X'X)^-1 X' and the residuals."""
    cols = [d[["x1", "x2"]].to_numpy()]
    if "entity" in effects:
        cols.append(np.eye(ei.max() + 1)[ei])
    if "time" in effects:
        cols.append(
            np.eye(ti.max() + 1)[ti][:, 1:] if "entity" in effects else np.eye(ti.max() + 1)[ti]
        )
    if not effects:
        cols.insert(0, np.ones((len(d), 1)))
    x = np.hstack(cols)
    beta, *_ = np.linalg.lstsq(x, d["y"].to_numpy(), rcond=None)
    e = d["y"].to_numpy() - x @ beta
    rows = slice(1, 3) if not effects else slice(0, 2)
    bread = np.linalg.pinv(x)[rows]  # (X'X)^-1 X' restricted to the slopes
    return beta[rows], e, bread, x.shape[1]


def _cluster_meat(bread, e, groups):
    s = np.zeros((bread.shape[0], groups.max() + 1))
    np.add.at(s.T, groups, (bread * e).T)
    return s @ s.T


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("effects", [("entity",), ("entity", "time"), ()])
def test_stata_and_fixest_equal_their_documented_formula(seed, effects):
    """Stata (``xtreg, fe vce(cluster)``, ``reghdfe``) and fixest (``ssc()`` defaults):
    ``G/(G-1) (n-1)/(n-K)`` clustered, with ``K`` counting the slopes, the constant
    and the effects not nested in the clusters; ``n/(n-K)`` robust with every effect
    counted; two-way clusters with the smaller ``G``; p-values from ``t(G-1)``."""
    d, ei, ti = _random_panel(seed)
    beta, e, bread, p_full = _dummy_ols(d, ei, ti, effects)
    n, n_e, n_t = len(d), ei.max() + 1, ti.max() + 1
    k_slopes = 2
    for cluster in ("entity", "time", "twoway", None):
        if cluster == "twoway":
            meat = (
                _cluster_meat(bread, e, ei)
                + _cluster_meat(bread, e, ti)
                - _cluster_meat(bread, e, np.arange(n))
            )
            g = min(n_e, n_t)
        elif cluster is None:
            meat = _cluster_meat(bread, e, np.arange(n))
        else:
            meat = _cluster_meat(bread, e, ei if cluster == "entity" else ti)
            g = n_e if cluster == "entity" else n_t
        if cluster is None:
            factor = n / (n - p_full)  # every parameter counted, dummies included
        else:
            nested = {"entity", "time"} if cluster == "twoway" else {cluster}
            if effects:
                big_k = (
                    k_slopes
                    + 1
                    + sum(
                        (n_e if eff == "entity" else n_t) - 1
                        for eff in effects
                        if eff not in nested
                    )
                )
            else:
                big_k = k_slopes + 1
            factor = g / (g - 1) * (n - 1) / (n - big_k)
        ref_se = np.sqrt(np.diag(factor * meat))
        for ssc in ("stata", "fixest"):
            spec = Spec(
                "y",
                ("x1", "x2"),
                entity="unit",
                time="year",
                estimator="panel_ols" if effects else "pooled_ols",
                effects=effects,
                cov="robust" if cluster is None else "clustered",
                cluster=cluster or "entity",
                ssc=ssc,
            )
            res = fit(spec, d)
            se = res.std_errors[["x1", "x2"]].to_numpy()
            np.testing.assert_allclose(res.params[["x1", "x2"]], beta, atol=TOL)
            np.testing.assert_allclose(se, ref_se, rtol=0, atol=TOL)
            if cluster is not None:
                assert res.df_resid == g - 1
            assert f"[ssc: {ssc}]" in res.cov_label


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("effects", [("entity",), ("entity", "time"), ()])
def test_pcse_equals_beck_katz_closed_form(seed, effects):
    """Pairwise Beck-Katz: Sigma_ij averages e_it e_jt over the periods both units share;
    V = (X'X)^-1 sum_t X_t' Sigma X_t (X'X)^-1 (no small-sample factor: plm HC0, xtpcse)."""
    d, ei, ti = _random_panel(seed)
    beta, e, bread, _ = _dummy_ols(d, ei, ti, effects)
    units, periods = np.unique(ei), np.unique(ti)
    sigma = np.zeros((len(units), len(units)))
    for i in units:
        for j in units:
            both = [
                t
                for t in periods
                if ((ei == i) & (ti == t)).any() and ((ei == j) & (ti == t)).any()
            ]
            if both:
                sigma[i, j] = np.mean(
                    [e[(ei == i) & (ti == t)][0] * e[(ei == j) & (ti == t)][0] for t in both]
                )
    meat = np.zeros((2, 2))
    for t in periods:
        rows = np.flatnonzero(ti == t)
        b = bread[:, rows]
        meat += b @ sigma[np.ix_(ei[rows], ei[rows])] @ b.T
    ref_se = np.sqrt(np.diag(meat))
    for ssc in ("plm-hc0", "stata"):
        res = fit(
            Spec(
                "y",
                ("x1", "x2"),
                entity="unit",
                time="year",
                estimator="panel_ols" if effects else "pooled_ols",
                effects=effects,
                cov="pcse",
                ssc=ssc,
            ),
            d,
        )
        np.testing.assert_allclose(res.params[["x1", "x2"]], beta, atol=TOL)
        np.testing.assert_allclose(res.std_errors[["x1", "x2"]], ref_se, rtol=0, atol=TOL)
        assert res.cluster == "PCSE" and res.cov_label.startswith("PCSE (Beck-Katz, pairwise)")


def test_pcse_balanced_variant_uses_the_complete_periods():
    d, ei, ti = _random_panel(3, drop=0.0)
    spec = Spec(
        "y",
        ("x1", "x2"),
        entity="unit",
        time="year",
        estimator="pooled_ols",
        cov="pcse",
        ssc="plm-hc0",
    )
    pair = fit(spec, d)
    bal = fit(spec.replace(options={"pcse": "balanced"}), d)
    np.testing.assert_allclose(pair.std_errors, bal.std_errors, rtol=1e-12)  # balanced: equal
    # drop rows of two periods: the balanced Sigma uses the other periods only
    e = np.random.default_rng(0).normal(size=len(d))
    gone = (ti == 2) & (ei == 0) | (ti == 5) & (ei == 1)
    full = ~np.isin(ti, [2, 5])
    sig = pcse_sigma(e[~gone], ei[~gone], ti[~gone], "balanced")
    order = np.lexsort((ei[full], ti[full]))
    em = e[full][order].reshape(-1, ei.max() + 1)
    np.testing.assert_allclose(sig, em.T @ em / em.shape[0], rtol=1e-12)
    with pytest.raises(SpecError, match="every unit is observed"):
        sparse = d[
            ~((d["unit"] == "E00") & (d["year"] % 2 == 0))
            & ~((d["unit"] == "E01") & (d["year"] % 2 == 1))
        ]
        fit(spec.replace(options={"pcse": "balanced"}), sparse)


def test_pcse_linearmodels_convention_scales_plm_hc0(panel):
    base = _spec("within", "pcse", "plm-hc0")
    hc0 = fit(base, panel)
    lm = fit(base.replace(ssc="linearmodels"), panel)
    n, k, k_fe = len(panel), 2, panel["unit"].nunique()
    np.testing.assert_allclose(lm.std_errors**2 / hc0.std_errors**2, n / (n - k - k_fe), rtol=1e-12)


def test_conventions_not_defined_are_refused(panel):
    with pytest.raises(
        SpecError, match=r"model.ssc 'stata' is not defined for cov = 'driscoll-kraay'"
    ):
        fit(_spec("within", "driscoll-kraay", "stata"), panel)
    with pytest.raises(SpecError, match=r"'plm-sss' is not defined for cov = 'pcse'"):
        fit(_spec("within", "pcse", "plm-sss"), panel)
    with pytest.raises(SpecError, match=r"model.ssc 'stata' is not available for random_effects"):
        fit(_spec("pooling", "robust", "stata").replace(estimator="random_effects"), panel)
    with pytest.raises(SpecError, match=r"model.ssc 'fixest' is not available for logit"):
        fit(_spec("pooling", "robust", "fixest").replace(estimator="logit"), panel)
    with pytest.raises(SpecError, match=r"model.ssc 'sas' is unknown"):
        _spec("within", "robust", "sas")


def test_driscoll_kraay_rules(panel):
    """plm's rule floor(max T_i^(1/4)) (12 periods: 1 lag) and Newey-West's floor(4 (T/100)^(2/9))
    (2 lags) give plm's vcovSCC with maxlag 1 and linearmodels' kernel default."""
    from linearmodels.panel import PanelOLS

    plm_rule = fit(_spec("within", "driscoll-kraay", "plm-hc0"), panel)
    np.testing.assert_allclose(plm_rule.std_errors, R_PLM["within/driscoll-kraay/HC0"], atol=TOL)
    assert "floor(T^(1/4))" in plm_rule.cov_label
    nw = fit(_spec("within", "driscoll-kraay", "linearmodels").replace(options={}), panel)
    d = panel.set_index(["unit", "year"])
    ref = PanelOLS(d["y"], d[["x1", "x2"]], entity_effects=True).fit(cov_type="kernel")
    np.testing.assert_allclose(nw.std_errors, ref.std_errors, rtol=1e-12)
    assert "floor(4 (T/100)^(2/9))" in nw.cov_label
    plm_lm = fit(_spec("within", "driscoll-kraay", "linearmodels"), panel)
    ref1 = PanelOLS(d["y"], d[["x1", "x2"]], entity_effects=True).fit(
        cov_type="kernel", bandwidth=1
    )
    np.testing.assert_allclose(plm_lm.std_errors, ref1.std_errors, rtol=1e-12)


def test_results_and_tables_name_the_convention(panel):
    from econometrics.tables import compare

    a = fit(_spec("within", "clustered-entity", "stata"), panel)
    b = fit(_spec("within", "pcse", "plm-hc0"), panel)
    assert "Covariance: clustered by entity [ssc: stata]" in a.summary()
    table = compare(a, b).frame
    assert table.loc["Std. errors"].tolist() == [
        "clustered by entity [ssc: stata]",
        "PCSE (Beck-Katz, pairwise) [ssc: plm-hc0]",
    ]


def test_ssc_round_trips_through_toml():
    spec = _spec("within", "clustered-time", "fixest")
    assert Spec.from_toml(spec.to_toml()) == spec
    assert 'ssc = "fixest"' in spec.to_toml()
    assert Covariance.from_spec(spec).ssc == "fixest"
