"""Logit QRE with covariate-dependent payoffs: the solver against the arclength tracer,
the fit against the fixed-payoff QRE, gradients, recovery, identification."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from econometrics.strategic import StrategicWarning
from econometrics.strategic.qre import _System, fit_qre, qre_branch
from econometrics.strategic.qre_covariates import (
    fit_qre_covariates,
    qre_solve,
    simulate_qre_covariates,
)
from enforcement_lab.errors import DataError, SpecError
from gametheory.games import EnforcementGame

LABELS = (("comply", "violate"), ("acquiesce", "sanction"))
#: The enforcement game: complying costs the state nothing relative to itself; violating
#: gains 'a + b x' if the enforcer acquiesces and costs 1 if it sanctions. Sanctioning a
#: complier costs the enforcer 0.5; sanctioning a violator is worth 'c'.
PAYOFFS = {"A": [[0, 0], ["1 + x", -1]], "B": [[0, -0.5], [0, "1"]]}
TRUTH = {
    "lambda": 2.0,
    "A[violate,acquiesce]:Intercept": 0.3,
    "A[violate,acquiesce]:x": 0.8,
    "B[violate,sanction]:Intercept": 1.0,
}


def _plays(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x": rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], size=n)})
    df["country"] = rng.integers(0, 40, size=n)
    row, col = simulate_qre_covariates(df, PAYOFFS, TRUTH, labels=LABELS, rng=seed + 1)
    df["state"] = np.array(LABELS[0])[row]
    df["enforcer"] = np.array(LABELS[1])[col]
    return df


def test_solver_equals_the_arclength_branch():
    rng = np.random.default_rng(1)
    for shape in ((2, 2), (3, 2), (2, 3)):
        A = rng.normal(size=(20, *shape)).round(3)
        B = rng.normal(size=(20, *shape)).round(3)
        for lam in (0.4, 2.5):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                x = qre_solve(lam * A, lam * B)
            for g in range(20):
                branch = qre_branch((A[g], B[g]))
                if branch.lam.max() >= lam:
                    want = np.concatenate(branch.at(lam))
                else:
                    want = np.exp(_System(A[g], B[g]).at_lambda(branch.points[-1], lam)[:-1])
                np.testing.assert_allclose(np.exp(x[g]), want, atol=1e-9)


def test_constant_payoffs_give_the_fixed_payoff_qre():
    """With every payoff a number, the model is the QRE of one game: lambda, its standard
    error and the log-likelihood equal those of fit_qre (itself checked against gambit)."""
    rng = np.random.default_rng(2)
    compared = 0
    while compared < 12:
        A = rng.normal(size=(2, 2)).round(2)
        B = rng.normal(size=(2, 2)).round(2)
        c1, c2 = rng.integers(1, 30, 2), rng.integers(1, 30, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("error", StrategicWarning)
            try:
                ref = fit_qre((A, B), (c1, c2))
            except StrategicWarning:
                continue
        if ref.lam < 0.05 or ref.lam > 20:
            continue
        n = max(c1.sum(), c2.sum())
        rows = np.full(n, np.nan)
        rows[: c1.sum()] = np.repeat([0, 1], c1)
        cols = np.full(n, np.nan)
        cols[: c2.sum()] = np.repeat([0, 1], c2)
        df = pd.DataFrame({"r": rows, "c": cols})
        res = fit_qre_covariates(df, ("r", "c"), {"A": A.tolist(), "B": B.tolist()})
        assert res.params["lambda"] == pytest.approx(ref.lam, rel=1e-6, abs=1e-7)
        assert res.std_errors["lambda"] == pytest.approx(ref.std_errors["lambda"], rel=1e-3)
        assert res.loglik == pytest.approx(ref.loglik, abs=1e-8)
        compared += 1


def test_gradient_equals_finite_differences_in_a_3x2_game():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.normal(size=200).round(1), "z": rng.normal(size=200).round(1)})
    payoffs = {
        "A": [[0, 0], ["1 + x", -1], ["z - 1", 0.5]],
        "B": [[0, "x - 1"], [0, 1], [0, "1 + z"]],
    }
    truth = {
        "lambda": 1.5,
        "A[1,0]:Intercept": 0.2,
        "A[1,0]:x": 0.5,
        "A[2,0]:z": -0.4,
        "B[0,1]:x": 0.3,
        "B[2,1]:Intercept": -0.2,
        "B[2,1]:z": 0.6,
    }
    df["r"], df["c"] = simulate_qre_covariates(df, payoffs, truth, rng=4)
    res = fit_qre_covariates(df, ("r", "c"), payoffs)
    model = res.model
    for theta in (res.params.to_numpy(), res.params.to_numpy() + rng.normal(scale=0.3, size=7)):
        _, grad = model.loglik_and_grad(theta)
        fd = np.array(
            [(model.loglik(theta + e) - model.loglik(theta - e)) / 2e-6 for e in np.eye(7) * 1e-6]
        )
        np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(model.scores(theta).sum(axis=0), grad, rtol=1e-9, atol=1e-9)


def test_enforcement_game_recovered_from_simulated_plays():
    df = _plays(4000, 5)
    res = fit_qre_covariates(df, ("state", "enforcer"), PAYOFFS, labels=LABELS)
    truth = pd.Series(TRUTH)
    assert list(res.params.index) == list(truth.index)
    z = (res.params - truth) / res.std_errors
    assert (z.abs() < 4).all(), z
    assert res.optimizer["converged"]
    assert res.extra["Covariate profiles"] == 5
    assert res.aic == pytest.approx(2 * 4 - 2 * res.loglik)
    clustered = fit_qre_covariates(
        df, ("state", "enforcer"), PAYOFFS, labels=LABELS, cov="clustered", cluster="country"
    )
    np.testing.assert_allclose(clustered.params, res.params, rtol=1e-8)
    assert clustered.extra["Clusters"] == 40
    pred = res.predict(pd.DataFrame({"x": [-1.0, 1.0]}))
    np.testing.assert_allclose(pred[["row_comply", "row_violate"]].sum(axis=1), 1.0)
    assert (pred["lower_row_violate"] < pred["row_violate"]).all()
    assert pred["row_violate"].iloc[1] > pred["row_violate"].iloc[0]  # x raises the gain
    game = res.game_at({"x": 0.5})
    assert isinstance(game, EnforcementGame)
    assert game.row_labels == LABELS[0]
    gain = res.params["A[violate,acquiesce]:Intercept"] + 0.5 * res.params["A[violate,acquiesce]:x"]
    assert game.A[1, 0] == pytest.approx(gain)
    assert game.B.tolist() == [[0.0, -0.5], [0.0, pytest.approx(res.params.iloc[-1])]]


def test_lambda_fixed_at_one_measures_payoffs_in_error_units():
    """lambda = 1 with the fixed payoffs multiplied by the estimated lambda is the same
    model: its coefficients are lambda times the free fit's, its likelihood the same."""
    df = _plays(1500, 6)
    free = fit_qre_covariates(df, ("state", "enforcer"), PAYOFFS, labels=LABELS)
    lam = float(free.params["lambda"])
    scaled = {"A": [[0, 0], ["1 + x", -lam]], "B": [[0, -0.5 * lam], [0, "1"]]}
    fixed = fit_qre_covariates(df, ("state", "enforcer"), scaled, lam=1.0, labels=LABELS)
    assert "lambda" not in fixed.params.index
    np.testing.assert_allclose(fixed.params, lam * free.params.iloc[1:], rtol=1e-5)
    assert fixed.loglik == pytest.approx(free.loglik, abs=1e-7)


def test_identification_and_bad_data():
    df = _plays(400, 7)
    with pytest.raises(DataError, match="not identified"):
        fit_qre_covariates(
            df,
            ("state", "enforcer"),
            {"A": [["1", 0], ["1", -1]], "B": PAYOFFS["B"]},
            labels=LABELS,
        )
    with pytest.raises(DataError, match="not identified"):  # no fixed non-zero payoff
        fit_qre_covariates(
            df,
            ("state", "enforcer"),
            {"A": [[0, 0], ["1 + x", "1"]], "B": [[0, 0], [0, "1"]]},
            labels=LABELS,
        )
    with pytest.raises(DataError, match="outside the player's strategies"):
        fit_qre_covariates(df.assign(state="maybe"), ("state", "enforcer"), PAYOFFS, labels=LABELS)
    with pytest.raises(SpecError, match="same shape"):
        fit_qre_covariates(df, ("state", "enforcer"), {"A": [[0, 0]], "B": [[0, 0]]})
    with pytest.raises(SpecError, match="two columns"):
        fit_qre_covariates(df, "state", PAYOFFS, labels=LABELS)
    with pytest.raises(SpecError, match="formula"):
        fit_qre_covariates(
            df,
            ("state", "enforcer"),
            {"A": [[0, 0], ["1 + nope", -1]], "B": PAYOFFS["B"]},
            labels=LABELS,
        )
