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
        res = dyn.symmetric_basin_share(A, n=2000)
        assert res.share == pytest.approx(1 - q, abs=1e-3)
        assert res.share + res.defection == 1.0 and res.undecided == 0


def test_basins_agree_with_per_point_nashpy_loop():
    """nashpy's odeint is unreliable on long horizons (it can return garbage with an
    ODEintWarning, e.g. (C,C) for the (D,D) start (0.3125, 0.1875) of one of these
    games), so the loop uses T=20 and skips the starts where odeint warns."""
    import warnings

    from scipy.integrate import ODEintWarning

    T = 20.0
    tp = np.linspace(0, T, 1000)
    compared = 0
    for A in [*random_stag_hunts(3), np.array([[4.0, 0.0], [3.0, 3.0]])]:
        res = dyn.basins_2x2(A, A.T, n=8)
        for i, x0 in enumerate(res.x):
            for j, y0 in enumerate(res.y):
                with warnings.catch_warnings():
                    warnings.simplefilter("error", ODEintWarning)
                    try:
                        xs, ys = nash.Game(A, A.T).asymmetric_replicator_dynamics(
                            x0=np.array([x0, 1 - x0]), y0=np.array([y0, 1 - y0]), timepoints=tp
                        )
                    except ODEintWarning:
                        continue
                label = dyn.label_endpoints(xs[-1, 0], ys[-1, 0])
                assert int(label) == int(res.labels[i, j]), (A, x0, y0)
                compared += 1
    assert compared >= 200


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


def random_coordination_games(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Asymmetric 2x2 games in which (C,C) and (D,D) are strict equilibria."""
    games = []
    while len(games) < k:
        A, B = RNG.uniform(-5, 5, size=(2, 2, 2))
        if A[0, 0] > A[1, 0] + 0.1 and A[1, 1] > A[0, 1] + 0.1:
            if B[0, 0] > B[0, 1] + 0.1 and B[1, 1] > B[1, 0] + 0.1:
                games.append((A, B))
    return games


def test_integrated_basins_equal_the_first_integral_closed_form():
    """The separatrix of a 2x2 coordination game is a level set of H = F(x) - G(y)."""
    games = random_coordination_games(25)
    As = np.stack([A for A, _ in games])
    Bs = np.stack([B for _, B in games])
    numeric = dyn.basins_2x2(As, Bs, n=50, method="integrate")
    exact = dyn.basins_2x2_exact(As, Bs, n=50)
    assert not np.any(exact.labels == -1)
    np.testing.assert_array_equal(numeric.labels, exact.labels)
    for k, (A, B) in enumerate(games[:3]):  # stacked == one game at a time
        np.testing.assert_array_equal(dyn.basins_2x2_exact(A, B, n=50).labels, exact.labels[k])
    # symmetric Banks-Hyde stag hunt: the doctest value, and only (C,C) / (D,D) basins
    hyde = dyn.basins_2x2_exact(np.array([[4.0, 0.0], [3.0, 3.0]]), n=100)
    assert hyde.share(0) == pytest.approx(0.1611, abs=1e-12)
    assert hyde.share(0) + hyde.share(3) + hyde.share(-1) == 1.0


def test_first_integral_is_constant_along_solve_ivp_trajectories():
    from scipy.integrate import solve_ivp

    for A, B in random_coordination_games(5):
        a0 = A[0, 1] - A[1, 1]
        a1 = A[0, 0] - A[1, 0] - a0
        b0 = B[1, 0] - B[1, 1]
        b1 = B[0, 0] - B[0, 1] - b0

        def field(t, z, a0=a0, a1=a1, b0=b0, b1=b1):
            x, y = z
            return [x * (1 - x) * (a0 + a1 * y), y * (1 - y) * (b0 + b1 * x)]

        def H(x, y, a0=a0, a1=a1, b0=b0, b1=b1):
            F = b0 * np.log(x) - (b0 + b1) * np.log1p(-x)
            G = a0 * np.log(y) - (a0 + a1) * np.log1p(-y)
            return F - G

        x0, y0 = RNG.uniform(0.1, 0.9, size=2)
        t = np.linspace(0, 3, 30)
        sol = solve_ivp(field, [0, 3], [x0, y0], method="DOP853", t_eval=t, rtol=1e-12, atol=1e-14)
        xs, ys = sol.y
        inside = np.minimum(np.minimum(xs, 1 - xs), np.minimum(ys, 1 - ys)) > 1e-3
        xs, ys = xs[inside], ys[inside]  # log(1 - x) is ill-conditioned near the vertices
        assert xs.size >= 5
        assert np.ptp(xs) > 0.01 or np.ptp(ys) > 0.01  # the state moves ...
        np.testing.assert_allclose(H(xs, ys), H(x0, y0), atol=1e-8)  # ... H does not


def test_exact_basins_on_the_saddle_lines_and_non_coordination_games():
    A = np.array([[3.0, 0.0], [1.0, 2.0]])  # q* = 1/2 for both populations
    res = dyn.basins_2x2_exact(A, n=101)  # the middle cell centre is exactly 1/2
    mid = 50
    assert res.x[mid] == 0.5
    assert res.labels[mid, mid] == 4  # the saddle itself: a rest point
    assert np.all(res.labels[mid, mid + 1 :] == 0)  # x = x*, y > y*: pulled up
    assert np.all(res.labels[mid, :mid] == 3)
    # the game is symmetric under (x, y) -> (1 - x, 1 - y), which swaps the basins; the
    # separatrix is the anti-diagonal y = 1 - x (its cells are ties in floating point)
    i, j = np.indices(res.labels.shape)
    off = i + j != 100
    np.testing.assert_array_equal(res.labels[off], 3 - res.labels[::-1, ::-1][off])
    lower = (i + j < 100) & off
    assert np.all(res.labels[lower] == 3) and np.all(res.labels[(i + j > 100)] == 0)
    dominant = dyn.basins_2x2_exact(np.array([[3.0, 2.0], [1.0, 0.0]]), n=20)
    assert np.all(dominant.labels == 0)  # comply strictly dominant for both
    with pytest.raises(InvalidGameError, match="ties"):  # weakly dominant only
        dyn.basins_2x2_exact(np.array([[1.0, 0.0], [0.0, 0.0]]))


def test_basin_share_curve_equals_the_closed_form():
    fs = np.linspace(0.0, 2.9, 7)  # below 3 the sanctioned game stays a stag hunt

    def game(f):
        return np.array([[4.0 + f, f], [3.0, 3.0]])

    curve = dyn.basin_share_curve(game, fs, n=80)
    exact = [dyn.basins_2x2_exact(game(f), n=80).share(0) for f in fs]
    np.testing.assert_allclose(curve, exact, atol=0)


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
