"""Dynamics and focal points: closed forms, nashpy agreement, per-point loops."""

from __future__ import annotations

import nashpy as nash
import numpy as np
import pytest
from scipy.stats import beta as beta_dist

from enforcement_lab.errors import InvalidGameError
from gametheory import dynamics as dyn
from gametheory import focal

RNG = np.random.default_rng(20260401)


def random_stag_hunts(k: int) -> list[np.ndarray]:
    """Symmetric 2x2 stag hunts: a > c, d > b (two strict pure equilibria)."""
    games = []
    while len(games) < k:
        a, b, c, d = RNG.uniform(-5, 5, size=4)
        if a > c + 0.1 and d > b + 0.1:
            games.append(np.array([[a, b], [c, d]]))
    return games


def mixed_equilibrium(A: np.ndarray) -> float:
    """Probability of comply in the fully mixed symmetric equilibrium, from nashpy."""
    eqs = list(nash.Game(A, A.T).support_enumeration())
    mixed = [sr for sr, sc in eqs if np.all(sr > 1e-9) and np.all(sc > 1e-9)]
    assert len(mixed) == 1
    return float(mixed[0][0])


def test_replicator_fixed_point_equals_mixed_equilibrium():
    for A in random_stag_hunts(150):
        assert dyn.replicator_fixed_point_2x2(A) == pytest.approx(mixed_equilibrium(A), abs=1e-9)


def test_replicator_fixed_point_absent_when_dominant():
    assert np.isnan(dyn.replicator_fixed_point_2x2([[3, 2], [1, 0]]))


def test_symmetric_basin_share_is_one_minus_mixed_equilibrium():
    for A in random_stag_hunts(8):
        q = mixed_equilibrium(A)
        assert dyn.symmetric_basin_share(A, n=2000) == pytest.approx(1 - q, abs=1e-3)


def test_basins_agree_with_per_point_nashpy_loop():
    """Same horizon for both; nashpy's odeint is unreliable on long horizons (it can
    return garbage with an ODEintWarning), so the loop uses T=20."""
    T = 20.0
    tp = np.linspace(0, T, 1000)
    for A in [*random_stag_hunts(3), np.array([[4.0, 0.0], [3.0, 3.0]])]:
        res = dyn.basins_2x2(A, A.T, n=8, t_max=T)
        for i, x0 in enumerate(res.x):
            for j, y0 in enumerate(res.y):
                xs, ys = nash.Game(A, A.T).asymmetric_replicator_dynamics(
                    x0=np.array([x0, 1 - x0]), y0=np.array([y0, 1 - y0]), timepoints=tp
                )
                label = dyn.label_endpoints(xs[-1, 0], ys[-1, 0])
                assert int(label) == int(res.labels[i, j]), (A, x0, y0)


def test_basins_agree_with_high_precision_solve_ivp_loop():
    """Long horizon, checked against scipy's solve_ivp (rtol 1e-10) one start at a time."""
    from scipy.integrate import solve_ivp

    A = np.array([[5.0, -1.0], [2.0, 1.0]])
    B = np.array([[3.0, 0.0], [-2.0, 2.5]])
    res = dyn.basins_2x2(A, B, n=12, t_max=100)

    def field(t, z):
        x, y = z
        dx = (A[0, 0] - A[1, 0]) * y + (A[0, 1] - A[1, 1]) * (1 - y)
        dy = (B[0, 0] - B[0, 1]) * x + (B[1, 0] - B[1, 1]) * (1 - x)
        return [x * (1 - x) * dx, y * (1 - y) * dy]

    for i, x0 in enumerate(res.x):
        for j, y0 in enumerate(res.y):
            sol = solve_ivp(field, [0, 100], [x0, y0], rtol=1e-10, atol=1e-13, method="LSODA")
            label = dyn.label_endpoints(sol.y[0, -1], sol.y[1, -1])
            assert int(label) == int(res.labels[i, j]), (x0, y0)


def test_basins_of_asymmetric_game_agree_with_loop():
    A = np.array([[5.0, -1.0], [2.0, 1.0]])
    B = np.array([[3.0, 0.0], [-2.0, 2.5]])
    res = dyn.basins_2x2(A, B, n=8, t_max=20)
    tp = np.linspace(0, 20, 1000)
    for i, x0 in enumerate(res.x):
        for j, y0 in enumerate(res.y):
            xs, ys = dyn.replicator_two_population(A, B, [x0, 1 - x0], [y0, 1 - y0], tp)
            assert int(dyn.label_endpoints(xs[-1, 0], ys[-1, 0])) == int(res.labels[i, j])


def test_basins_many_games_equal_one_at_a_time():
    games = [np.array([[4.0 + f, f], [3.0, 3.0]]) for f in (0.0, 0.4, 2.0)]
    stacked = dyn.basins_2x2(np.stack(games), n=40)
    for k, A in enumerate(games):
        single = dyn.basins_2x2(A, n=40)
        np.testing.assert_array_equal(stacked.labels[k], single.labels)


def test_basin_share_monotone_in_sanction_and_complete_when_dominant():
    shares = dyn.basin_share_curve(
        lambda f: np.array([[4.0 + f, f], [3.0, 3.0]]), np.linspace(0, 3.5, 8), n=60
    )
    assert np.all(np.diff(shares) >= -1e-12)
    assert shares[-1] == 1.0  # f > 3: comply strictly dominant
    assert shares[0] < 0.25


def test_integrate_replicator_matches_nashpy_on_3x3():
    for _ in range(5):
        A = RNG.uniform(-2, 2, size=(3, 3))
        B = RNG.uniform(-2, 2, size=(3, 3))
        x0 = RNG.dirichlet(np.ones(3))
        y0 = RNG.dirichlet(np.ones(3))
        xs, ys = dyn.replicator_two_population(A, B, x0, y0, np.linspace(0, 3, 300))
        x, y = dyn.integrate_replicator(A, B, x0, y0, t_max=3.0, dt=0.005)
        np.testing.assert_allclose(x, xs[-1], atol=1e-6)
        np.testing.assert_allclose(y, ys[-1], atol=1e-6)


def test_one_population_wrapper_converges_to_pure_equilibria():
    A = np.array([[4.0, 0.0], [3.0, 3.0]])
    up = dyn.replicator_one_population(A, [0.8, 0.2], np.linspace(0, 40, 200))
    down = dyn.replicator_one_population(A, [0.7, 0.3], np.linspace(0, 40, 200))
    assert up[-1, 0] > 0.999 and down[-1, 0] < 0.001


def test_best_response_dynamics_threshold_on_diagonal():
    for A in random_stag_hunts(6):
        q = mixed_equilibrium(A)
        starts = np.array([max(q - 0.05, 0.01), min(q + 0.05, 0.99)])
        x, y = dyn.best_response_dynamics(A, None, starts, starts, t_max=20, dt=0.05)
        np.testing.assert_allclose(x, [0.0, 1.0], atol=1e-6)
        np.testing.assert_allclose(y, x)


def test_logit_rest_point_is_quantal_response_and_approaches_nash():
    A = np.array([[4.0, 0.0], [3.0, 3.0]])
    for beta in (0.5, 2.0, 30.0):
        x, y = dyn.logit_dynamics(A, None, 0.9, 0.9, beta=beta, t_max=60)
        d = (A[0, 0] - A[1, 0]) * y + (A[0, 1] - A[1, 1]) * (1 - y)
        assert x == pytest.approx(1 / (1 + np.exp(-beta * d)), abs=1e-6)
    assert x > 0.999  # beta = 30: close to the pure (C,C) equilibrium


def test_invalid_payoffs_raise():
    with pytest.raises(InvalidGameError, match="finite"):
        dyn.basins_2x2(np.array([[np.nan, 0.0], [3.0, 3.0]]))
    with pytest.raises(InvalidGameError, match="2x2"):
        dyn.basins_2x2(np.ones((3, 3)))
    with pytest.raises(InvalidGameError, match="beta"):
        dyn.logit_dynamics(np.eye(2), beta=-1.0)


# --- focal points ------------------------------------------------------------------------


def test_correlated_equilibrium_of_chicken_matches_aumann():
    A = np.array([[6.0, 2.0], [7.0, 0.0]])
    p = focal.correlated_equilibrium(A)
    np.testing.assert_allclose(p, [[0.5, 0.25], [0.25, 0.0]], atol=1e-9)
    assert (p * (A + A.T)).sum() == pytest.approx(10.5)


def test_correlated_equilibria_are_obedient_and_contain_nash():
    for A in random_stag_hunts(30):
        for obj in ("welfare", "compliance"):
            for maximize in (True, False):
                p = focal.correlated_equilibrium(A, objective=obj, maximize=maximize)
                assert focal.is_correlated_equilibrium(p, A)
        q = mixed_equilibrium(A)
        mixed = np.outer([q, 1 - q], [q, 1 - q])
        assert focal.is_correlated_equilibrium(mixed, A, tol=1e-9)
        lo, hi = focal.compliance_range(A)
        assert lo == pytest.approx(0.0, abs=1e-9) and hi == pytest.approx(1.0)


def test_tipping_share_closed_form_and_cascade():
    for A in random_stag_hunts(10):
        q = mixed_equilibrium(A)
        assert focal.tipping_share(q) == pytest.approx(q)
        assert focal.cascade(q + 1e-6, q) == 1.0
        assert focal.cascade(q - 1e-3, q) == pytest.approx(q - 1e-3)
    F = beta_dist(7.5, 2.5).cdf
    t = focal.tipping_share(F)
    assert focal.cascade(t + 0.002, F) == pytest.approx(1.0)
    assert focal.cascade(t - 0.002, F) < 0.99
    # heterogeneity lowers the critical mass below the common threshold 0.75
    assert t < 0.75


def test_local_contagion_threshold_is_one_half():
    """Morris (2000): on a ring with k neighbours a side, the contagion threshold is 1/2."""
    qs = np.concatenate([RNG.uniform(0.01, 0.5, 20), [0.5], RNG.uniform(0.5001, 0.99, 20)])
    for k in (1, 2, 3):
        final = dyn.local_contagion(qs, n=90, k=k, seed_size=k + 1)
        spreads = qs <= 0.5
        np.testing.assert_array_equal(final[spreads], 1.0)
        assert np.all(final[~spreads] <= (k + 1) / 90)


def test_local_contagion_matches_risk_dominance():
    for A in random_stag_hunts(30):
        q = mixed_equilibrium(A)
        if abs(q - 0.5) < 1e-6:
            continue
        final = dyn.local_contagion(q, n=60, k=2, seed_size=3)[0]
        risk_dominant_comply = (A[0, 0] - A[1, 0]) > (A[1, 1] - A[0, 1])
        assert (final == 1.0) == risk_dominant_comply
