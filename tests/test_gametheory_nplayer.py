"""N-player threshold stag hunt and the outside competitor: closed forms and brute force."""

from __future__ import annotations

import itertools
from math import comb

import nashpy as nash
import numpy as np
import pytest
from scipy.stats import binom

from enforcement_lab.errors import InvalidGameError
from gametheory.nplayer import (
    ThresholdStagHunt,
    adjustment_for_basin,
    banks_tipping_share,
    outside_competitor,
    threshold_basin,
)

RNG = np.random.default_rng(7)


def random_params(k: int):
    out = []
    while len(out) < k:
        s, h = RNG.uniform(1, 6, size=2)
        l_, g = RNG.uniform(0.5, 6), RNG.uniform(0, 1.5)
        if s > h + g + 0.05 and h > s - l_ + 0.05 and l_ > g:
            out.append({"s": s, "l": l_, "h": h, "g": g})
    return out


def test_n2_reduces_to_the_2x2_stag_hunt():
    for p in random_params(60):
        game = ThresholdStagHunt(N=2, M=2, **p)
        A = game.payoff_matrix()
        expected = np.array([[p["s"], p["s"] - p["l"]], [p["h"] + p["g"], p["h"]]])
        np.testing.assert_allclose(A, expected)
        eqs = list(nash.Game(A, A.T).support_enumeration())
        mixed = [sr[0] for sr, sc in eqs if 1e-9 < sr[0] < 1 - 1e-9]
        assert len(mixed) == 1
        roots = game.interior_roots()
        assert roots == pytest.approx(mixed, abs=1e-9)
        q_closed = (p["h"] - p["s"] + p["l"]) / (p["l"] - p["g"])
        assert roots[0] == pytest.approx(q_closed, abs=1e-9)
        assert game.pure_equilibria() == [0, 2]
        assert game.compliance_basin() == pytest.approx(1 - q_closed, abs=1e-9)


@pytest.mark.parametrize("N", [2, 3, 4, 6, 9, 12])
def test_banks_closed_form_for_unanimity(N):
    for p in random_params(10):
        p = {**p, "g": 0.0}
        game = ThresholdStagHunt(N=N, M=N, **p)
        x_star = banks_tipping_share(N, p["s"], p["l"], p["h"])
        roots = game.interior_roots()
        assert len(roots) == 1
        assert roots[0] == pytest.approx(x_star, abs=1e-8)


def test_basin_shrinks_with_group_size_above_six():
    basins = [ThresholdStagHunt(N=n, M=n, s=4, l=4, h=3).compliance_basin() for n in range(2, 15)]
    assert np.all(np.diff(basins) < 0)
    assert basins[0] == pytest.approx(0.25)
    assert basins[-1] < 0.03


def test_gradient_equals_binomial_expectation():
    for N, M in [(3, 2), (5, 3), (7, 7), (8, 1)]:
        for p in random_params(3):
            game = ThresholdStagHunt(N=N, M=M, risk=0.7, **p)
            xs = np.linspace(0.01, 0.99, 23)
            j = np.arange(N)
            direct = [binom.pmf(j, N - 1, x) @ game.advantage(j) for x in xs]
            np.testing.assert_allclose(game.gradient(xs), direct, atol=1e-12)


def test_interior_roots_are_indifference_points_and_stability_alternates():
    for N, M in [(4, 2), (6, 3), (8, 5), (10, 4)]:
        for p in random_params(5):
            game = ThresholdStagHunt(N=N, M=M, risk=1.0, **p)
            for r in game.interior_roots():
                assert abs(float(game.gradient(r))) < 1e-9
            kinds = [k for _, k in game.stability()]
            assert all(a != b for a, b in itertools.pairwise(kinds))


def brute_force_pure_equilibria(game: ThresholdStagHunt) -> set[int]:
    """Numbers of compliers in pure Nash equilibria, by checking every profile."""
    found = set()
    for profile in itertools.product([0, 1], repeat=game.N):  # 1 = comply
        ok = True
        for a in profile:
            others = sum(profile) - a
            own = game.payoff_comply(others) if a else game.payoff_defect(others)
            alt = game.payoff_defect(others) if a else game.payoff_comply(others)
            if alt > own + 1e-12:
                ok = False
                break
        if ok:
            found.add(sum(profile))
    return found


def test_pure_equilibria_match_brute_force():
    for N, M in [(3, 2), (4, 3), (5, 5), (6, 2), (6, 4)]:
        for p in random_params(4):
            for risk in (0.0, 2.0):
                game = ThresholdStagHunt(N=N, M=M, risk=risk, **p)
                assert set(game.pure_equilibria()) == brute_force_pure_equilibria(game)


def test_outside_competitor_benefit_restores_equilibrium_exactly():
    for p in random_params(30):
        l_c = RNG.uniform(0, 3)
        m, eps = 0.9, 0.1
        res = outside_competitor(p["s"], p["l"], p["h"], p["g"], l_c=l_c, m=m, eps=eps)
        b = res["b_star"]
        delta = b * (m - eps)
        A = np.array(
            [
                [p["s"] - l_c + delta, p["s"] - p["l"] - l_c + delta],
                [p["h"] + p["g"], p["h"]],
            ]
        )
        if b > 0:
            assert A[0, 0] == pytest.approx(A[1, 0])  # exactly indifferent at b*
            A_less = A.copy()
            A_less[0] -= 1e-6
            eqs = list(nash.Game(A_less, A_less.T).support_enumeration())
            assert not any(sr[0] == 1 and sc[0] == 1 for sr, sc in eqs)
        assert A[0, 0] >= A[1, 0] - 1e-12
        # one-for-one in the competitor's loss
        res2 = outside_competitor(p["s"], p["l"], p["h"], p["g"], l_c=l_c + 1, m=m, eps=eps)
        if b > 0:
            assert res2["b_star"] - b == pytest.approx(1 / (m - eps))


def test_outside_competitor_trust_only_fails():
    r = outside_competitor(4, 4, 3, l_c=0.5)
    assert not r["trust_only_fails"] and r["b_star"] == 0.0
    r = outside_competitor(4, 4, 3, l_c=1.5)
    assert r["trust_only_fails"] and r["b_star"] == pytest.approx(0.5)
    assert outside_competitor(4, 4, 3, l_c=1.5, target="dominant")["b_star"] == pytest.approx(4.5)


def test_invalid_inputs():
    with pytest.raises(InvalidGameError, match="M must"):
        ThresholdStagHunt(N=3, M=4)
    with pytest.raises(InvalidGameError, match="N must"):
        ThresholdStagHunt(N=1, M=1)
    with pytest.raises(InvalidGameError, match="target"):
        outside_competitor(4, 4, 3, l_c=1, target="maybe")
    with pytest.raises(InvalidGameError, match="m - eps"):
        outside_competitor(4, 4, 3, l_c=1, m=0.2, eps=0.3)


def test_rest_points_table_over_n_and_m():
    from gametheory.nplayer import rest_points_table

    t = rest_points_table(range(2, 9), range(1, 9), s=4, l=4, h=3, g=0.5, risk=1.0)
    assert len(t) == sum(range(2, 9))
    assert (t["M"] <= t["N"]).all()
    for row in t.itertuples():
        game = ThresholdStagHunt(N=row.N, M=row.M, s=4, l=4, h=3, g=0.5, risk=1.0)
        assert row.interior_rest_points == pytest.approx(tuple(game.interior_roots()))
        assert set(row.stable_interior) <= set(row.interior_rest_points)
    unanimity = rest_points_table(range(2, 12), s=4, l=4, h=3)
    assert np.all(np.diff(unanimity["compliance_basin"]) < 0)


# --- ties: boundaries are boundaries --------------------------------------------------------


def test_tied_threshold_games_of_the_audit() -> None:
    # M = 1 and s = h: D(x) = (1 - x)^2 > 0 inside, zero only at the boundary x = 1
    game = ThresholdStagHunt(N=3, M=1, s=4, l=0, h=4, risk=1)
    assert game.advantage(np.arange(3)).tolist() == [1.0, 0.0, 0.0]
    assert game.interior_roots() == []
    assert game.stability() == [(0.0, "unstable"), (1.0, "stable")]
    assert game.compliance_basin() == 1.0
    # D(x) = (1 - x)^3: the root is the boundary 1, not an interior 0.99999
    game = ThresholdStagHunt(N=4, M=1, s=1, l=0, h=1, risk=1)
    assert game.interior_roots() == []
    assert game.stability() == [(0.0, "unstable"), (1.0, "stable")]
    # D = 0: every share is a rest point, nothing moves
    flat = ThresholdStagHunt(N=3, M=1, s=3, l=0, h=3)
    assert flat.interior_roots() == [] and flat.compliance_basin() == 0.0


def _brute_force_limits(game: ThresholdStagHunt, starts: np.ndarray) -> np.ndarray:
    """End shares of x' = x (1 - x) D(x), integrated in log-odds (LSODA) to t = 1e6."""
    from scipy.integrate import solve_ivp
    from scipy.special import expit

    n = game.N - 1
    weights = np.array([comb(n, j) for j in range(game.N)]) * game.advantage(np.arange(game.N))
    powers = np.arange(game.N)

    def field(t, u):  # D(x) = sum_j C(n, j) x^j (1 - x)^(n - j) adv_j
        x = expit(u[0])
        return [float(weights @ (x**powers * (1 - x) ** (n - powers)))]

    out = []
    for x0 in starts:
        sol = solve_ivp(field, [0, 1e6], [np.log(x0 / (1 - x0))], method="LSODA", rtol=1e-10)
        out.append(expit(sol.y[0, -1]))
    return np.array(out)


def test_random_tied_threshold_games_against_brute_force() -> None:
    """Integer parameters (many ties among the advantages): interior roots against a
    dense evaluation of D, the compliance basin against integrated trajectories."""
    rng = np.random.default_rng(2026)
    starts = (np.arange(20) + 0.5) / 20
    xs = np.linspace(1e-6, 1 - 1e-6, 20_001)
    compared = 0
    for _ in range(30):
        N = int(rng.integers(2, 7))
        M = int(rng.integers(1, N + 1))
        s, l_, h, g, risk = (float(v) for v in rng.integers(0, 4, size=5))
        game = ThresholdStagHunt(N=N, M=M, s=s, l=l_, h=h, g=g, risk=risk)
        roots = game.interior_roots()
        D = game.gradient(xs)
        for r in roots:  # every root is a zero of D well inside (0, 1)
            assert abs(float(game.gradient(r))) < 1e-9 and 1e-6 < r < 1 - 1e-6
        for i in np.nonzero(np.sign(D[:-1]) * np.sign(D[1:]) < 0)[0]:
            assert any(xs[i] - 1e-9 <= r <= xs[i + 1] + 1e-9 for r in roots), (game, xs[i])
        basin = game.compliance_basin()  # never raises
        stable = [x for x, kind in game.stability() if kind == "stable"]
        if not stable or max(stable) == 0.0:
            assert basin == 0.0
            continue
        top = max(stable)
        if any(0 < abs(r - top) < 0.05 for r in roots):
            continue  # slow approaches near another rest point: not resolvable by t = 1e6
        ends = _brute_force_limits(game, starts)
        share = np.mean(np.abs(ends - top) < 0.02)
        assert share == pytest.approx(basin, abs=1.5 / len(starts)), (game, basin, share)
        compared += 1
    assert compared >= 10


def test_threshold_basin_equals_the_exact_replicator_basin():
    # the closed form (inverse incomplete beta) against the Sturm-sequence rest points
    rng = np.random.default_rng(17)
    for _ in range(150):
        N = int(rng.integers(2, 16))
        M = int(rng.integers(1, N + 1))
        s, h = rng.uniform(1, 6, size=2)
        l_ = rng.uniform(0.5, 6)
        delta = rng.uniform(-2, 4)
        game = ThresholdStagHunt(N=N, M=M, s=s, l=l_, h=h, delta=delta)
        assert threshold_basin(N, M, s, l_, h, delta) == pytest.approx(
            game.compliance_basin(), abs=1e-9
        ), (N, M, s, l_, h, delta)


def test_threshold_basin_for_unanimity_is_banks_closed_form():
    for N in range(2, 21):
        for delta in (0.0, 0.5, 2.0):
            assert threshold_basin(N, N, 4, 4, 3, delta) == pytest.approx(
                1 - banks_tipping_share(N, 4, 4, 3, delta), abs=1e-12
            )
    deltas = np.linspace(-1, 4, 11)
    np.testing.assert_allclose(
        threshold_basin(5, 3, 4, 4, 3, deltas), [threshold_basin(5, 3, 4, 4, 3, d) for d in deltas]
    )


def test_adjustment_for_basin_inverts_the_basin():
    rng = np.random.default_rng(23)
    for _ in range(100):
        N = int(rng.integers(2, 21))
        M = int(rng.integers(2, N + 1))
        s, h, l_ = rng.uniform(1, 6), rng.uniform(1, 6), rng.uniform(0.5, 6)
        b = rng.uniform(0.05, 0.95)
        d = adjustment_for_basin(N, M, s, l_, h, b)
        game = ThresholdStagHunt(N=N, M=M, s=s, l=l_, h=h, delta=d)
        # the advantage of complying vanishes at 1 - basin (Bernstein polynomial of the class)
        assert float(game.gradient(1.0 - b)) == pytest.approx(0.0, abs=1e-9)
        # and the root is a sign change from - to + (the unstable point bounding the basin)
        assert float(game.gradient(1.0 - b - 0.01)) < 0 < float(game.gradient(1.0 - b + 0.01))
    # unanimity, basin one half: h - s + l - l / 2^(N-1)
    for N in range(2, 21):
        assert adjustment_for_basin(N, N, 4, 4, 3) == pytest.approx(3 - 4 / 2 ** (N - 1))
    with pytest.raises(InvalidGameError, match="strictly between 0 and 1"):
        adjustment_for_basin(4, 4, 4, 4, 3, 1.0)
    with pytest.raises(InvalidGameError, match="1 <= M <= N"):
        threshold_basin(4, 5, 4, 4, 3)
