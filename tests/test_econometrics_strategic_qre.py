"""Logit QRE: the principal branch and the estimate of lambda against gambit."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from econometrics.strategic import StrategicWarning
from econometrics.strategic.qre import QREResults, fit_qre, qre_branch
from econometrics.tables import compare
from enforcement_lab.errors import DataError, InvalidGameError
from gametheory.games import bimatrix, stag_hunt

gbt = pytest.importorskip("pygambit")


def _profile(game, profile) -> list[np.ndarray]:
    return [np.array([float(profile[s]) for s in pl.strategies]) for pl in game.players]


def test_lambda_equals_gambit_logit_estimate_on_random_2x2_games():
    """At least 100 random 2x2 games with counts; cases whose likelihood has no finite
    maximum (gambit stops at the end of its trace, lambda ~ 1e6) are counted apart.
    gambit runs with shorter steps than its defaults (first_step 0.003, max_accel 1.02):
    with the defaults it locates the maximum of a flat likelihood only to about 2e-4 in
    lambda, and its estimate moves towards ours as its steps shrink; the tolerance is 1e-4
    absolute below lambda = 1 and relative above."""
    rng = np.random.default_rng(20261206)
    compared = 0
    while compared < 100:
        A = rng.normal(size=(2, 2)).round(3)
        B = rng.normal(size=(2, 2)).round(3)
        c1, c2 = rng.integers(0, 40, 2), rng.integers(0, 40, 2)
        game = gbt.Game.from_arrays(A, B)
        data = game.mixed_strategy_profile(
            rational=False, data=[c1.astype(float).tolist(), c2.astype(float).tolist()]
        )
        ref = gbt.qre.logit_estimate(data, first_step=0.003, max_accel=1.02)
        if ref.lam > 1e5:
            with pytest.warns(StrategicWarning, match="no finite estimate"):
                fit_qre((A, B), (c1, c2))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("error", StrategicWarning)
            res = fit_qre((A, B), (c1, c2))
        assert res.lam == pytest.approx(ref.lam, abs=1e-4 * max(1.0, ref.lam))
        assert res.loglik == pytest.approx(ref.log_like, abs=1e-6)
        row, col = _profile(game, ref.profile)
        np.testing.assert_allclose(res.row, row, atol=1e-4)  # gambit stops within ~1e-5 in lambda
        np.testing.assert_allclose(res.col, col, atol=1e-4)
        compared += 1


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 4), (3, 3)])
def test_branch_and_limit_equal_gambit_logit_solve(shape):
    rng = np.random.default_rng(sum(shape))
    for _ in range(10):
        A = rng.normal(size=shape).round(3)
        B = rng.normal(size=shape).round(3)
        game = gbt.Game.from_arrays(A, B)
        branch = qre_branch((A, B))
        ref = _profile(game, gbt.nash.logit_solve(game).equilibria[0])
        np.testing.assert_allclose(branch.equilibrium[0], ref[0], atol=1e-6)
        np.testing.assert_allclose(branch.equilibrium[1], ref[1], atol=1e-6)
        lams = [0.3, 1.0, 4.0]
        for lam, point in zip(lams, gbt.qre.logit_solve_lambda(game, lam=lams), strict=True):
            row, col = branch.at(lam)
            want = _profile(game, point.profile)
            np.testing.assert_allclose(row, want[0], atol=1e-7)
            np.testing.assert_allclose(col, want[1], atol=1e-7)
        # every traced point solves the logit equations
        for k in range(0, len(branch.lam), 7):
            lam, r, c = branch.lam[k], branch.row[k], branch.col[k]
            for s, u in ((r, A @ c), (c, B.T @ r)):
                w = np.exp(lam * (u - u.max()))
                np.testing.assert_allclose(s, w / w.sum(), atol=1e-10)


def test_standard_error_from_gambit_profiles():
    """The SE is the inverse square root of minus the second derivative of the
    log-likelihood along the branch; check it with gambit's QRE at lambda +/- h."""
    game = stag_hunt()
    counts = (np.array([12.0, 30.0]), np.array([16.0, 26.0]))  # towards hare, the limit
    res = fit_qre(game, counts)
    g = gbt.Game.from_arrays(game.A, game.B)
    h = 1e-3
    lls = []
    for point in gbt.qre.logit_solve_lambda(g, lam=[res.lam - h, res.lam, res.lam + h]):
        row, col = _profile(g, point.profile)
        lls.append(counts[0] @ np.log(row) + counts[1] @ np.log(col))
    second = (lls[0] - 2 * lls[1] + lls[2]) / h**2
    assert res.std_errors["lambda"] == pytest.approx((-second) ** -0.5, rel=1e-3)
    assert isinstance(res, QREResults)
    assert "lambda" in compare(res).to_markdown()
    assert res.nobs == 84


def test_lambda_zero_when_play_ignores_payoffs():
    game = bimatrix([[3, 0], [1, 2]], [[2, 0], [0, 1]])
    # the limit is (row 0, col 0); counts leaning the other way favour uniform play
    res = fit_qre(game, ([10, 30], [10, 30]))
    assert res.lam == 0.0
    assert np.isnan(res.std_errors["lambda"])


def test_bad_counts_and_games():
    game = stag_hunt()
    with pytest.raises(DataError, match="2 strategies but 3 counts"):
        fit_qre(game, ([1, 2, 3], [1, 2]))
    with pytest.raises(DataError, match="non-negative"):
        fit_qre(game, ([1, -2], [1, 2]))
    with pytest.raises(DataError, match="all counts are zero"):
        fit_qre(game, ([0, 0], [0, 0]))
    with pytest.raises(DataError, match="pair"):
        fit_qre(game, 5)
    with pytest.raises(InvalidGameError):
        fit_qre("not a game", ([1, 1], [1, 1]))
