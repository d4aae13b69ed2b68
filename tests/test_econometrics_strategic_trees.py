"""Strategic choice models beyond egame12's defaults: fixed utilities, scale equations
(common and by player), and the egame122 / egame123 trees."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from econometrics.strategic import fit_sequential, simulate_sequential
from econometrics.strategic.trees import EGAME12, EGAME122, EGAME123
from enforcement_lab.errors import DataError, SpecError
from gametheory.games import EnforcementGame
from gametheory.solve import DegenerateGameWarning, equilibria

R2 = math.sqrt(2)


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n), "w": rng.normal(size=n)})


# ---------------------------------------------------------------------- independent formulas
def _probs_by_hand(game, u, link, errors, s1, s2, s3=None):
    """Outcome probabilities written out per game from the notes on strategic models
    (the R package's makeProbs conventions, with sigma per player), independently of
    the tree code."""
    dist = stats.norm if link == "probit" else stats.logistic
    F = dist.cdf
    g = lambda k: u.get(k, 0.0)  # noqa: E731
    if game == "egame12":
        p4 = F(g("u24") / (R2 * s2))
        d = (1 - p4) * g("u13") + p4 * g("u14") - g("u11")
        sd1 = R2 * s1 if errors == "agent" else s1 * np.sqrt(1 + p4**2 + (1 - p4) ** 2)
        p2 = F(d / sd1)
        return np.column_stack([1 - p2, p2 * (1 - p4), p2 * p4])
    if game == "egame122":
        p4 = F(g("u22") / (R2 * s2))
        p6 = F(g("u24") / (R2 * s2))
        p3, p5 = 1 - p4, 1 - p6
        d = p5 * g("u13") + p6 * g("u14") - p3 * g("u11") - p4 * g("u12")
        sd1 = R2 * s1 if errors == "agent" else s1 * np.sqrt(p3**2 + p4**2 + p5**2 + p6**2)
        p2 = F(d / sd1)
        p1 = 1 - p2
        return np.column_stack([p1 * p3, p1 * p4, p2 * p5, p2 * p6])
    p6 = F(g("u36") / (R2 * s3))
    p5 = 1 - p6
    d2 = p5 * g("u25") + p6 * g("u26") - g("u23")
    sd2 = R2 * s2 if errors == "agent" else s2 * np.sqrt(1 + p5**2 + p6**2)
    p4 = F(d2 / sd2)
    p3 = 1 - p4
    d1 = p3 * g("u13") + p4 * (p5 * g("u15") + p6 * g("u16")) - g("u11")
    sd1 = R2 * s1 if errors == "agent" else s1 * np.sqrt(1 + p3**2 + p4**2 * p5**2 + p4**2 * p6**2)
    p2 = F(d1 / sd1)
    return np.column_stack([1 - p2, p2 * p3, p2 * p4 * p5, p2 * p4 * p6])


TREES = {"egame12": EGAME12, "egame122": EGAME122, "egame123": EGAME123}
FORMULAS = {
    "egame12": {"u11": "0", "u13": "1 + z", "u14": "1", "u24": "1 + x"},
    "egame122": {
        "u11": "0",
        "u12": "1 + w",
        "u13": "1",
        "u14": "1 + z",
        "u22": "1 + w",
        "u24": "1 + x",
    },
    "egame123": {
        "u11": "0",
        "u13": "1 + z",
        "u15": "1",
        "u16": "1",
        "u23": "1 + w",
        "u25": "0",
        "u26": "1",
        "u36": "1 + x",
    },
}
TRUTH = {
    "egame12": {"u13": (0.5, 0.6), "u14": (-0.6,), "u24": (0.3, 1.0)},
    "egame122": {
        "u12": (0.4, 0.5),
        "u13": (0.6,),
        "u14": (-0.5, 0.7),
        "u22": (-0.2, 0.8),
        "u24": (0.3, 1.0),
    },
    "egame123": {
        "u13": (-0.3, 0.6),
        "u15": (0.8,),
        "u16": (-0.8,),
        "u23": (0.2, 0.6),
        "u26": (0.7,),
        "u36": (0.1, 1.0),
    },
}


def _utilities(game: str, df: pd.DataFrame) -> dict[str, np.ndarray]:
    cols = {"z": df["z"].to_numpy(), "x": df["x"].to_numpy(), "w": df["w"].to_numpy()}
    out = {}
    for u, coefs in TRUTH[game].items():
        terms = FORMULAS[game][u].replace(" ", "").split("+")
        val = np.zeros(len(df))
        for t, c in zip(terms, coefs, strict=True):
            val = val + c * (1.0 if t == "1" else cols[t])
        out[u] = val
    return out


def _true_params(game: str) -> pd.Series:
    out = {}
    for u, coefs in TRUTH[game].items():
        terms = FORMULAS[game][u].replace(" ", "").split("+")
        for t, c in zip(terms, coefs, strict=True):
            out[f"{u}:{'Intercept' if t == '1' else t}"] = c
    return pd.Series(out)


MODELS = [("probit", "agent"), ("logit", "agent"), ("probit", "private")]


@pytest.mark.parametrize("game", list(TREES))
@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_probabilities_match_the_written_out_formulas(game, link, errors):
    rng = np.random.default_rng(len(game))
    n = 50
    u = {k: rng.normal(scale=1.5, size=n) for k in TREES[game].utilities}
    players = TREES[game].players
    scales = [np.exp(rng.normal(scale=0.4, size=n)) for _ in players]
    got = TREES[game].probabilities(u, link, errors, scale=scales)
    want = _probs_by_hand(game, u, link, errors, *scales)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)


@pytest.mark.parametrize("game", list(TREES))
@pytest.mark.parametrize(("link", "errors"), MODELS)
@pytest.mark.parametrize("scale", [None, "x - 1", ["z - 1"] * 3])
def test_gradient_equals_finite_differences(game, link, errors, scale):
    df = _frame(300, 1)
    if isinstance(scale, list):
        scale = scale[: len(TREES[game].players)]
    df["y"] = simulate_sequential(_utilities(game, df), link, errors, rng=2, game=game)
    res = fit_sequential(df, "y", FORMULAS[game], link, errors, game=game, scale=scale)
    model = res.model
    rng = np.random.default_rng(3)
    for size in (0.3, 1.5):
        theta = rng.normal(scale=size, size=model.n_params)
        _, grad = model.loglik_and_grad(theta)
        # the log-likelihood equals the written-out probabilities at the observed outcomes
        u = dict(zip(TREES[game].utilities, model.utilities(theta), strict=True))
        sig = model.sigmas(theta)
        P = _probs_by_hand(game, u, link, errors, *sig)
        col = np.searchsorted(TREES[game].outcomes, model.y)
        p_obs = P[np.arange(len(col)), col]
        fine = p_obs > 1e-6  # the products lose digits in the tails; the model works in logs
        assert fine.mean() > 0.8
        np.testing.assert_allclose(
            model.loglik_obs(theta)[0][fine], np.log(p_obs[fine]), rtol=1e-9, atol=1e-12
        )
        steps = np.eye(theta.size) * 1e-6
        fd = [(model.loglik(theta + e) - model.loglik(theta - e)) / 2e-6 for e in steps]
        np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(model.scores(theta).sum(axis=0), grad, rtol=1e-10, atol=1e-10)


# ---------------------------------------------------------------------- fixed utilities
def test_fixed_utilities_scale_by_player_has_a_closed_form():
    """u11 = 0, u13 = u14 = 1: player 1 moves on with probability Phi(1 / (sqrt 2 s1))
    whatever player 2 does; u24 = 1: player 2 sanctions with Phi(1 / (sqrt 2 s2)). The
    MLE of each log-scale inverts the observed share; its SE is the binomial SE through
    the delta method."""
    df = _frame(3000, 4)
    fixed = {"u11": 0.0, "u13": 1.0, "u14": 1.0, "u24": 1.0}
    df["y"] = simulate_sequential(
        {k: np.full(len(df), v) for k, v in fixed.items()}, rng=5, scale=[0.8, 1.6]
    )
    res = fit_sequential(df, "y", fixed=fixed, scale=["1", "1"])
    assert list(res.params.index) == ["log_sigma1:Intercept", "log_sigma2:Intercept"]
    y = df["y"].to_numpy()
    for name, share, n in (
        ("log_sigma1:Intercept", (y != 1).mean(), len(y)),
        ("log_sigma2:Intercept", (y[y != 1] == 4).mean(), (y != 1).sum()),
    ):
        q = stats.norm.ppf(share)
        assert res.params[name] == pytest.approx(-math.log(R2 * q), rel=1e-7)
        d = 1.0 / (q * stats.norm.pdf(q))
        assert res.std_errors[name] == pytest.approx(
            d * math.sqrt(share * (1 - share) / n), rel=1e-4
        )
    # one common scale: both shares inform it
    common = fit_sequential(df, "y", fixed=fixed)
    assert list(common.params.index) == ["log_sigma:Intercept"]
    assert res.loglik >= common.loglik
    assert "Fixed utilities" in common.summary()


@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_fixed_utilities_and_scale_equations_recover_simulated_parameters(link, errors):
    df = _frame(6000, 7)
    fixed = {"u11": 0.0, "u13": 1.0, "u14": -1.0}
    u = {**fixed, "u24": 0.4 + 1.2 * df["x"].to_numpy()}
    s1 = np.exp(-0.3 + 0.4 * df["z"].to_numpy())
    s2 = np.exp(0.5 * df["w"].to_numpy())
    df["y"] = simulate_sequential(u, link, errors, rng=8, scale=[s1, s2])
    res = fit_sequential(
        df, "y", {"u24": "1 + x"}, link, errors, fixed=fixed, scale=["1 + z", "w - 1"]
    )
    truth = pd.Series(
        {
            "u24:Intercept": 0.4,
            "u24:x": 1.2,
            "log_sigma1:Intercept": -0.3,
            "log_sigma1:z": 0.4,
            "log_sigma2:w": 0.5,
        }
    )
    z = (res.params - truth) / res.std_errors
    assert (z.abs() < 4).all(), z
    assert res.optimizer["converged"]
    pred = res.predict(df.head(4))
    np.testing.assert_allclose(pred[["p1", "p3", "p4"]].sum(axis=1), 1.0)
    assert (pred["lower_p4"] < pred["p4"]).all() and (pred["p4"] < pred["upper_p4"]).all()
    fitted = res.utilities(df.head(3))
    np.testing.assert_allclose(fitted["u13"], 1.0)
    np.testing.assert_allclose(
        fitted["sigma1"],
        np.exp(res.params["log_sigma1:Intercept"] + res.params["log_sigma1:z"] * df["z"].head(3)),
    )


def test_scale_equation_with_estimated_utilities():
    """A common scale with a covariate and no intercept: sigma = exp(gamma w)."""
    df = _frame(6000, 9)
    u = {"u13": 0.5 + 0.6 * df["z"].to_numpy(), "u14": -0.6, "u24": 0.3 + df["x"].to_numpy()}
    df["y"] = simulate_sequential(u, rng=10, scale=np.exp(0.4 * df["w"].to_numpy()))
    res = fit_sequential(df, "y", FORMULAS["egame12"], scale="w - 1", cov="robust")
    truth = pd.concat([_true_params("egame12"), pd.Series({"log_sigma:w": 0.4})])
    z = (res.params - truth[res.params.index]) / res.std_errors
    assert (z.abs() < 4).all(), z
    assert res.cov_type.startswith("robust")


def test_scale_identification_is_checked():
    df = _frame(500, 11)
    df["y"] = simulate_sequential(_utilities("egame12", df), rng=12)
    with pytest.raises(SpecError, match="log_sigma has an intercept"):
        fit_sequential(df, "y", FORMULAS["egame12"], scale="1")
    with pytest.raises(SpecError, match="log_sigma2 has an intercept"):
        fit_sequential(df, "y", {"u24": "1 + x"}, fixed={"u13": 0.5}, scale=["1", "1"])
    # player 1's scale is anchored by its fixed u13; player 2's stays at 1 ("0")
    ok = fit_sequential(df, "y", {"u14": "1", "u24": "x - 1"}, fixed={"u13": 0.5}, scale=["1", "0"])
    assert ok.optimizer["converged"]
    with pytest.raises(SpecError, match="both a formula and a fixed value"):
        fit_sequential(df, "y", {"u24": "1"}, fixed={"u24": 1.0})
    with pytest.raises(SpecError, match="one formula per player"):
        fit_sequential(df, "y", fixed={"u24": 1.0}, scale=["1", "1", "1"])
    with pytest.raises(SpecError, match="unknown utilities"):
        fit_sequential(df, "y", fixed={"u36": 1.0})


# ---------------------------------------------------------------------- egame122 / egame123
@pytest.mark.parametrize("game", ["egame122", "egame123"])
@pytest.mark.parametrize(("link", "errors"), MODELS)
def test_larger_trees_recover_simulated_parameters(game, link, errors):
    df = _frame(8000, 13)
    df["y"] = simulate_sequential(_utilities(game, df), link, errors, rng=14, game=game)
    res = fit_sequential(df, "y", FORMULAS[game], link, errors, game=game)
    truth = _true_params(game)
    z = (res.params - truth[res.params.index]) / res.std_errors
    assert (z.abs() < 4).all(), z
    assert res.optimizer["converged"]
    assert res.aic == pytest.approx(2 * len(res.params) - 2 * res.loglik)
    pred = res.predict(df.head(3))
    cols = [f"p{o}" for o in TREES[game].outcomes]
    np.testing.assert_allclose(pred[cols].sum(axis=1), 1.0)


@pytest.mark.parametrize("link", ["probit", "logit"])
def test_larger_trees_reduce_to_egame12(link):
    """With agent error, a player whose utilities are all zero flips a fair coin: egame122
    with u11 = u12 = u22 = 0 is egame12 plus log(1/2) for each play that went left;
    egame123 with u25 = u26 = u36 = 0 and u15 = u16 is egame12 with u24 = -u23 plus
    log(1/2) for each play that reached player 3."""
    df = _frame(3000, 15)
    u12 = {"u13": 0.5 + 0.6 * df["z"].to_numpy(), "u14": -0.6, "u24": 0.3 + df["x"].to_numpy()}
    df["y12"] = simulate_sequential(u12, link, rng=16)
    ref = fit_sequential(df, "y12", FORMULAS["egame12"], link)

    coin = np.random.default_rng(17).random(len(df)) < 0.5
    df["y122"] = np.where(df["y12"] == 1, np.where(coin, 2, 1), df["y12"])
    f122 = {"u13": "1 + z", "u14": "1", "u24": "1 + x"}
    r122 = fit_sequential(df, "y122", f122, link, game="egame122")
    np.testing.assert_allclose(r122.params[ref.params.index], ref.params, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(r122.std_errors[ref.params.index], ref.std_errors, rtol=1e-5)
    assert r122.loglik == pytest.approx(ref.loglik + (df["y12"] == 1).sum() * math.log(0.5))

    df["y123"] = df["y12"].map({1: 1, 3: 3, 4: 5}).where(~((df["y12"] == 4) & coin), 6)
    f123 = {"u13": "1 + z", "u15": "1", "u23": "1 + x"}
    r123 = fit_sequential(df, "y123", f123, link, game="egame123")
    mapped = {
        "u13:Intercept": "u13:Intercept",
        "u13:z": "u13:z",
        "u15:Intercept": "u14:Intercept",
        "u23:Intercept": "u24:Intercept",
        "u23:x": "u24:x",
    }
    # player 3's coin halves u15 in player 1's expected utility: u15 = 2 u14
    sign = pd.Series(
        {k: -1.0 if k.startswith("u23") else 0.5 if k.startswith("u15") else 1.0 for k in mapped}
    )
    np.testing.assert_allclose(
        (r123.params[list(mapped)] * sign).to_numpy(),
        ref.params[list(mapped.values())].to_numpy(),
        rtol=1e-6,
        atol=1e-8,
    )
    assert r123.loglik == pytest.approx(ref.loglik + (df["y12"] == 4).sum() * math.log(0.5))


def test_decision_columns_for_larger_trees():
    df = _frame(2000, 18)
    df["y"] = simulate_sequential(_utilities("egame123", df), rng=19, game="egame123")
    df["d1"] = (df["y"] != 1).astype(int)
    df["d2"] = np.where(df["y"] == 1, np.nan, (df["y"] >= 5).astype(float))
    df["d3"] = np.where(df["y"] < 5, 0, (df["y"] == 6).astype(float))
    a = fit_sequential(df, "y", FORMULAS["egame123"], game="egame123")
    b = fit_sequential(df, ["d1", "d2", "d3"], FORMULAS["egame123"], game="egame123")
    np.testing.assert_allclose(a.params, b.params, rtol=1e-8)
    bad = df.copy()
    bad.loc[bad.index[bad["y"] == 3][0], "d3"] = 1
    with pytest.raises(DataError, match="cannot produce"):
        fit_sequential(bad, ["d1", "d2", "d3"], FORMULAS["egame123"], game="egame123")
    with pytest.raises(SpecError, match="3 binary decision columns"):
        fit_sequential(df, ["d1", "d2"], FORMULAS["egame123"], game="egame123")
    with pytest.raises(DataError, match="outside the game's outcomes 1, 3, 5, 6"):
        fit_sequential(
            df.assign(y=df["y"].replace({5: 4})), "y", FORMULAS["egame123"], game="egame123"
        )
    with pytest.raises(DataError, match="player 3 never chose outcome 6"):
        fit_sequential(df[df["y"] != 6], "y", FORMULAS["egame123"], game="egame123")

    d122 = _frame(2000, 20)
    d122["y"] = simulate_sequential(_utilities("egame122", d122), rng=21, game="egame122")
    d122["a1"] = (d122["y"] >= 3).astype(int)
    d122["a2"] = d122["y"].isin([2, 4]).astype(int)
    a = fit_sequential(d122, "y", FORMULAS["egame122"], game="egame122")
    b = fit_sequential(d122, ["a1", "a2"], FORMULAS["egame122"], game="egame122")
    np.testing.assert_allclose(a.params, b.params, rtol=1e-8)


def test_game_at_for_larger_trees():
    df = _frame(3000, 22)
    df["y"] = simulate_sequential(_utilities("egame122", df), rng=23, game="egame122")
    res = fit_sequential(df, "y", FORMULAS["egame122"], game="egame122")
    game = res.game_at({"x": 0.5, "z": -0.2, "w": 0.1})
    assert isinstance(game, EnforcementGame)
    u = res.utilities(pd.DataFrame({"x": [0.5], "z": [-0.2], "w": [0.1]})).iloc[0]
    assert game.A.shape == (2, 4)
    assert game.col_labels == ("L/L", "L/R", "R/L", "R/R")
    # player 2's plan R/L: right after player 1's left (outcome 2), left after right (3)
    assert game.A[0, 2] == pytest.approx(u.u12) and game.A[1, 2] == pytest.approx(u.u13)
    assert game.B[0, 2] == pytest.approx(u.u22) and game.B[1, 2] == pytest.approx(0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        assert len(equilibria(game)) >= 1

    d3 = _frame(2000, 24)
    d3["y"] = simulate_sequential(_utilities("egame123", d3), rng=25, game="egame123")
    r3 = fit_sequential(d3, "y", FORMULAS["egame123"], game="egame123")
    with pytest.raises(DataError, match="no bimatrix form"):
        r3.game_at({"x": 0.0, "z": 0.0, "w": 0.0})
