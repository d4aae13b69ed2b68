"""Strategic choice models (egame12): likelihood, gradient, closed forms, recovery, bad data."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from econometrics.results import EstimationResults
from econometrics.strategic import fit_sequential, simulate_sequential
from econometrics.strategic.sequential import SequentialModel
from econometrics.tables import compare
from enforcement_lab.errors import DataError, SpecError
from gametheory.games import EnforcementGame
from gametheory.solve import DegenerateGameWarning, equilibria

MODELS = [("probit", "agent"), ("logit", "agent"), ("probit", "private")]
FORMULAS = {"u11": "z - 1", "u13": "1", "u14": "1 + z", "u24": "1 + x"}


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})


def _truth(df: pd.DataFrame) -> dict[str, np.ndarray]:
    return {
        "u11": 0.4 * df["z"].to_numpy(),
        "u13": 0.6 + 0 * df["x"].to_numpy(),
        "u14": -0.8 + 0.5 * df["z"].to_numpy(),
        "u24": 0.3 + 1.0 * df["x"].to_numpy(),
    }


TRUE_PARAMS = {
    "u11:z": 0.4,
    "u13:Intercept": 0.6,
    "u14:Intercept": -0.8,
    "u14:z": 0.5,
    "u24:Intercept": 0.3,
    "u24:x": 1.0,
}


def _data(link: str, errors: str, n: int = 1500, seed: int = 0) -> pd.DataFrame:
    df = _frame(n, seed)
    df["y"] = simulate_sequential(_truth(df), link, errors, rng=seed + 1)
    return df


def _loglik_by_hand(u11, u13, u14, u24, y, link, errors) -> float:
    """The likelihood of the notes on strategic models, written independently."""
    dist = stats.norm if link == "probit" else stats.logistic
    F, S = dist.cdf, dist.sf  # S = 1 - F without cancellation
    p4 = F(u24 / math.sqrt(2))
    eu = p4 * u14 + (1 - p4) * u13
    scale = math.sqrt(2) if errors == "agent" else np.sqrt(1 + p4**2 + (1 - p4) ** 2)
    pr = F((eu - u11) / scale)
    p = np.select(
        [y == 1, y == 3, y == 4],
        [S((eu - u11) / scale), pr * S(u24 / math.sqrt(2)), pr * p4],
    )
    return float(np.log(p).sum())


@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_loglik_and_gradient_match_formula_and_finite_differences(link, errors):
    df = _data(link, errors, n=400)
    res = fit_sequential(df, "y", FORMULAS, link, errors)
    model = res.model
    rng = np.random.default_rng(3)
    for scale in (0.3, 1.0, 3.0):  # scale 3 pushes p4 towards 0 and 1
        theta = rng.normal(scale=scale, size=model.n_params)
        u = model.utilities(theta)
        expected = _loglik_by_hand(*u, model.y, link, errors)
        ll, grad = model.loglik_and_grad(theta)
        assert ll == pytest.approx(expected, rel=1e-10)
        fd = np.empty_like(theta)
        for j in range(theta.size):
            e = np.zeros_like(theta)
            e[j] = 1e-6
            fd[j] = (model.loglik(theta + e) - model.loglik(theta - e)) / 2e-6
        np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-5)


def test_scores_sum_to_gradient():
    df = _data("probit", "private", n=300)
    model = fit_sequential(df, "y", FORMULAS, "probit", "private").model
    theta = np.linspace(-0.5, 0.5, model.n_params)
    np.testing.assert_allclose(model.scores(theta).sum(axis=0), model.loglik_and_grad(theta)[1])


@pytest.mark.parametrize("link", ["probit", "logit"])
def test_player_two_alone_is_a_binary_model(link):
    """With player 1's utilities fixed at 0 its choice carries no information on u24, and
    u24 / sqrt(2) is the index of a probit/logit of outcome 4 among the plays that moved on."""
    df = _data(link, "agent", n=2000, seed=5)
    df["g"] = np.arange(len(df)) % 40
    fixed = {"u11": "0", "u13": "0", "u14": "0", "u24": "1 + x"}
    moved = df[df["y"] != 1]
    X = sm.add_constant(moved[["x"]])
    cls = sm.Probit if link == "probit" else sm.Logit
    r2 = math.sqrt(2)
    ref = cls((moved["y"] == 4).astype(float), X).fit(disp=0)
    res = fit_sequential(df, "y", fixed, link)
    np.testing.assert_allclose(res.params.to_numpy(), r2 * ref.params.to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(res.std_errors.to_numpy(), r2 * ref.bse.to_numpy(), rtol=1e-5)
    # the likelihood adds player 1's coin flip: log(1/2) per play
    assert res.loglik == pytest.approx(ref.llf + len(df) * math.log(0.5), rel=1e-9)
    robust = fit_sequential(df, "y", fixed, link, cov="robust")
    ref_hc0 = cls((moved["y"] == 4).astype(float), X).fit(disp=0, cov_type="HC0")
    np.testing.assert_allclose(robust.std_errors.to_numpy(), r2 * ref_hc0.bse.to_numpy(), rtol=1e-5)
    clustered = fit_sequential(df, "y", fixed, link, cov="clustered", cluster="g")
    ref_cl = cls((moved["y"] == 4).astype(float), X).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": moved["g"], "use_correction": False}
    )
    G = 40
    np.testing.assert_allclose(
        clustered.std_errors.to_numpy(),
        r2 * ref_cl.bse.to_numpy() * math.sqrt(G / (G - 1)),
        rtol=1e-5,
    )
    assert clustered.extra["Clusters"] == G


def test_outcome_as_decision_pair_gives_the_same_fit():
    df = _data("probit", "agent", n=800)
    df["moved"] = (df["y"] != 1).astype(int)
    df["sanction"] = np.where(df["y"] == 1, np.nan, (df["y"] == 4).astype(float))
    a = fit_sequential(df, "y", FORMULAS)
    b = fit_sequential(df, ("moved", "sanction"), FORMULAS)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-8)
    df.loc[df["y"] == 1, "sanction"] = 0  # zeros after an ended game are fine too
    c = fit_sequential(df, ["moved", "sanction"], FORMULAS)
    np.testing.assert_allclose(a.params, c.params, rtol=1e-8)


def test_results_table_prediction_profile_and_game():
    df = _data("probit", "agent", n=1500)
    res = fit_sequential(df, "y", FORMULAS)
    assert isinstance(res, EstimationResults)
    assert list(res.params.index) == list(TRUE_PARAMS)
    assert res.optimizer["converged"]
    assert res.aic == pytest.approx(2 * 6 - 2 * res.loglik)
    assert "u24:x" in res.summary() and "Log-likelihood" in res.summary()
    md = res.to_markdown()
    assert "| u24:x |" in md and "| Log-likelihood |" in md
    assert r"u24:x" in res.to_latex(caption="GSP")
    assert "u24:x" in compare(res, res, names=["a", "b"]).to_markdown()

    pred = res.predict(df.head(5))
    np.testing.assert_allclose(pred[["p1", "p3", "p4"]].sum(axis=1), 1.0)
    for k in ("p1", "p3", "p4"):
        assert (pred[f"lower_{k}"] < pred[k]).all() and (pred[k] < pred[f"upper_{k}"]).all()
    # delta method vs the exact variance of a linear function: p4 depends on u24 only
    x0 = float(df["x"].iloc[0])
    g = np.array([1.0, x0])
    V = res.cov.loc[["u24:Intercept", "u24:x"], ["u24:Intercept", "u24:x"]].to_numpy()
    eta = float(res.params["u24:Intercept"] + x0 * res.params["u24:x"]) / math.sqrt(2)
    p_r = pred["p3"].iloc[0] + pred["p4"].iloc[0]
    assert pred["p4"].iloc[0] / p_r == pytest.approx(stats.norm.cdf(eta), rel=1e-10)

    prof = res.profile("u24:x", n=7)
    assert prof["lr"].min() >= -1e-8
    assert prof.loc[3, "lr"] == pytest.approx(0.0, abs=1e-8)  # the middle point is the MLE
    # quadratic near the maximum: lr at +/- 1 se is about 1
    near = res.profile("u24:x", values=[res.params["u24:x"] + res.std_errors["u24:x"]])
    assert near["lr"].iloc[0] == pytest.approx(1.0, abs=0.1)
    del g, V

    game = res.game_at({"x": 0.5, "z": -1.0})
    assert isinstance(game, EnforcementGame)
    u = res.utilities(pd.DataFrame({"x": [0.5], "z": [-1.0]})).iloc[0]
    assert game.A.tolist() == [[u.u11, u.u11], [u.u13, u.u14]]
    assert game.B.tolist() == [[0.0, 0.0], [0.0, u.u24]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eqs = equilibria(game)
    assert len(eqs) >= 1
    # the subgame-perfect path is one of the equilibria: player 2 sanctions iff u24 > 0
    sanction = int(u.u24 > 0)
    comply = u.u11 >= (u.u14 if sanction else u.u13)
    spe = (0 if comply else 1, sanction)
    assert any(np.argmax(x) == spe[0] and (np.argmax(y) == spe[1] or comply) for x, y in eqs)


@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_estimates_close_to_truth_in_a_large_sample(link, errors):
    df = _data(link, errors, n=6000, seed=11)
    res = fit_sequential(df, "y", FORMULAS, link, errors)
    z = (res.params - pd.Series(TRUE_PARAMS)) / res.std_errors
    assert (z.abs() < 4).all(), z


@pytest.mark.slow
@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_monte_carlo_coverage_of_95_percent_intervals(link, errors):
    """200 simulated samples per model: the share of 95% Wald intervals (observed
    information) that cover the true utilities, pooled over the parameters."""
    reps, n = 200, 500
    formulas = {"u11": "0", "u13": "1", "u14": "1 + z", "u24": "1 + x"}
    truth = pd.Series(
        {
            "u13:Intercept": 0.6,
            "u14:Intercept": -0.8,
            "u14:z": 0.5,
            "u24:Intercept": 0.3,
            "u24:x": 1.0,
        }
    )
    covered = []
    for rep in range(reps):
        df = _frame(n, 1000 + rep)
        u = {
            "u11": np.zeros(n),
            "u13": np.full(n, 0.6),
            "u14": -0.8 + 0.5 * df["z"].to_numpy(),
            "u24": 0.3 + df["x"].to_numpy(),
        }
        df["y"] = simulate_sequential(u, link, errors, rng=5000 + rep)
        res = fit_sequential(df, "y", formulas, link, errors)
        ci = res.conf_int(0.95)
        covered.append(((ci["lower"] <= truth) & (truth <= ci["upper"])).to_numpy())
    covered = np.array(covered)
    rate = covered.mean()
    assert 0.92 <= rate <= 0.98, (rate, covered.mean(axis=0))


# ---------------------------------------------------------------------- bad data
def test_bad_outcomes_are_named():
    df = _data("probit", "agent", n=300)
    bad = df.assign(y=df["y"].replace({3: 2}))
    with pytest.raises(DataError, match="outside the game's outcomes"):
        fit_sequential(bad, "y", FORMULAS)
    df["moved"] = (df["y"] != 1).astype(int)
    df["sanction"] = (df["y"] == 4).astype(int)
    df.loc[df.index[0], ["moved", "sanction"]] = [0, 1]
    with pytest.raises(DataError, match="cannot produce"):
        fit_sequential(df, ("moved", "sanction"), FORMULAS)
    with pytest.raises(DataError, match="every observation has outcome 1"):
        fit_sequential(df.assign(y=1), "y", FORMULAS)
    with pytest.raises(DataError, match="player 1 never chose outcome 1"):
        fit_sequential(df[df["y"] != 1], "y", FORMULAS)
    with pytest.raises(DataError, match="never chose outcome 4"):
        fit_sequential(df[df["y"] != 4], "y", FORMULAS)
    with pytest.raises(DataError, match="not in the data"):
        fit_sequential(df, "nope", FORMULAS)
    with pytest.raises(SpecError, match="decision columns"):
        fit_sequential(df, ("moved", "sanction", "y"), FORMULAS)


def test_separation_and_identification_errors():
    df = _data("probit", "agent", n=600)
    sep = df.copy()
    moved = sep["y"] != 1
    sep.loc[moved, "y"] = np.where(sep.loc[moved, "x"] > 0, 4, 3)
    with pytest.raises(DataError, match="perfect separation in player 2"):
        fit_sequential(sep, "y", FORMULAS)
    with pytest.raises(DataError, match="term 'c' has no variation"):
        fit_sequential(df.assign(c=2.0), "y", {**FORMULAS, "u24": "1 + x + c"})
    with pytest.raises(DataError, match="collinear"):
        fit_sequential(df.assign(x2=2 * df["x"]), "y", {**FORMULAS, "u24": "1 + x + x2"})
    # three intercepts for player 1 while p4 is constant: only one combination is identified
    with pytest.raises(DataError, match="not identified"):
        fit_sequential(df, "y", {"u11": "1", "u13": "1", "u14": "1", "u24": "1"})
    with pytest.raises(SpecError, match="private-information model"):
        fit_sequential(df, "y", FORMULAS, link="logit", errors="private")
    with pytest.raises(SpecError, match="unknown utilities"):
        fit_sequential(df, "y", {**FORMULAS, "u21": "1"})
    with pytest.raises(SpecError, match="formula"):
        fit_sequential(df, "y", {**FORMULAS, "u24": "1 + missing_column"})
    with pytest.raises(SpecError, match="cluster"):
        fit_sequential(df, "y", FORMULAS, cov="clustered")


def test_missing_values_drop_rows():
    df = _data("probit", "agent", n=500)
    df.loc[df.index[:10], "x"] = np.nan
    res = fit_sequential(df, "y", FORMULAS)
    assert res.nobs == 490


def test_model_object_is_reusable():
    df = _data("logit", "agent", n=400)
    res = fit_sequential(df, "y", FORMULAS, "logit")
    assert isinstance(res.model, SequentialModel)
    assert res.model.n_params == 6
    assert res.model.loglik(res.params.to_numpy()) == pytest.approx(res.loglik)
