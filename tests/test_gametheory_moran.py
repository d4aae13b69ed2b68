"""Finite-population dynamics: closed forms against a direct Markov-chain computation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from enforcement_lab.errors import InvalidGameError
from gametheory.moran import FinitePopulation
from gametheory.nplayer import ThresholdStagHunt

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("Z", [2, 3, 7, 20, 50])
@pytest.mark.parametrize("rule", ["moran", "fermi"])
def test_neutral_mutant_fixes_with_probability_one_over_z(Z, rule):
    game = RNG.uniform(-3, 3, size=(2, 2))
    pop = FinitePopulation(Z=Z, game=game, intensity=0.0, rule=rule)
    assert pop.fixation_probability("C") == pytest.approx(1 / Z, rel=1e-12)
    assert pop.fixation_probability("D") == pytest.approx(1 / Z, rel=1e-12)


def test_neutral_mutant_in_group_game():
    pop = FinitePopulation(Z=15, game=ThresholdStagHunt(N=5, M=4), intensity=0.0, rule="fermi")
    assert pop.fixation_probability("C") == pytest.approx(1 / 15)


def test_fixation_closed_form_equals_linear_solve():
    for _ in range(40):
        Z = int(RNG.integers(3, 25))
        game = RNG.uniform(0, 4, size=(2, 2))
        rule = RNG.choice(["moran", "fermi"])
        intensity = float(RNG.uniform(0, 0.2)) if rule == "moran" else float(RNG.uniform(0, 1))
        pop = FinitePopulation(Z=Z, game=game, intensity=intensity, rule=str(rule))
        absorb = pop.absorption_by_linear_solve()
        assert pop.fixation_probability("C") == pytest.approx(absorb[1], rel=1e-8)
        assert pop.fixation_probability("D") == pytest.approx(1 - absorb[Z - 1], rel=1e-8)


def test_fixation_in_group_game_equals_linear_solve():
    for N, M in [(3, 2), (4, 4), (5, 3)]:
        game = ThresholdStagHunt(N=N, M=M, s=4, l=4, h=3, g=0.5, risk=0.5)
        pop = FinitePopulation(Z=12, game=game, intensity=0.8, rule="fermi")
        assert pop.fixation_probability("C") == pytest.approx(
            pop.absorption_by_linear_solve()[1], rel=1e-8
        )


def test_stationary_distribution_equals_eigenvector():
    for _ in range(20):
        Z = int(RNG.integers(3, 30))
        pop = FinitePopulation(
            Z=Z,
            game=RNG.uniform(0, 4, size=(2, 2)),
            intensity=float(RNG.uniform(0, 2)),
            rule="fermi",
            mu=float(RNG.uniform(0.001, 0.2)),
        )
        T = pop.transition_matrix()
        np.testing.assert_allclose(T.sum(axis=1), 1.0)
        w, v = np.linalg.eig(T.T)
        stat = np.real(v[:, np.argmin(np.abs(w - 1))])
        stat /= stat.sum()
        np.testing.assert_allclose(pop.stationary(), stat, atol=1e-10)


def test_small_mutation_limit_matches_stationary_with_tiny_mu():
    game = [[4.0, 0.0], [3.0, 3.0]]
    pop = FinitePopulation(Z=10, game=game, intensity=0.3, rule="fermi", mu=1e-7)
    stat = pop.stationary()
    limit = pop.small_mutation_limit()
    assert stat[-1] == pytest.approx(limit["all_C"], abs=1e-4)
    assert stat[0] == pytest.approx(limit["all_D"], abs=1e-4)


def test_group_game_with_n2_equals_matrix_game():
    game = ThresholdStagHunt(N=2, M=2, s=4, l=3, h=2.5, g=0.5)
    a = FinitePopulation(Z=17, game=game, intensity=0.5)
    b = FinitePopulation(Z=17, game=game.payoff_matrix(), intensity=0.5)
    np.testing.assert_allclose(a.gradient_of_selection(), b.gradient_of_selection())
    assert a.fixation_probability() == pytest.approx(b.fixation_probability())


def test_gradient_sign_follows_payoff_advantage():
    pop = FinitePopulation(Z=40, game=[[4.0, 0.0], [3.0, 3.0]], intensity=1.0, rule="fermi")
    fc, fd = pop.payoffs()
    G = pop.gradient_of_selection()
    inner = slice(1, 40)
    assert np.all(np.sign(G[inner]) == np.sign(fc[inner] - fd[inner]))
    # finite-population tipping point: (Z-1) q* + 1 compliers make payoffs equal
    assert np.argmax(fc[1:40] - fd[1:40] > 0) + 1 == 31


def test_risk_dominant_hare_is_favoured_in_large_populations():
    pop = FinitePopulation(Z=60, game=[[4.0, 0.0], [3.0, 3.0]], intensity=0.2)
    assert pop.fixation_probability("C") < 1 / 60 < pop.fixation_probability("D")


def test_against_egttools_if_installed():
    """egttools (GPL, test-only) computes the pairwise-comparison chain independently."""
    egt = pytest.importorskip("egttools")
    rng = np.random.default_rng(11)  # its own stream: the draws must not depend on test order
    for _ in range(5):
        payoffs = rng.uniform(-2, 4, size=(2, 2))
        Z = int(rng.integers(5, 40))
        beta = float(rng.uniform(0.05, 2))
        sd = egt.analytical.StochDynamics(2, payoffs, Z)
        ours = FinitePopulation(Z=Z, game=payoffs, intensity=beta, rule="fermi")
        # egttools' product of ratios underflows to exactly 0 where the probability is
        # ~1e-9 and below, so tiny values are compared absolutely
        assert ours.fixation_probability("C") == pytest.approx(
            sd.fixation_probability(0, 1, beta), rel=1e-9, abs=1e-8
        )
        assert ours.fixation_probability("D") == pytest.approx(
            sd.fixation_probability(1, 0, beta), rel=1e-9, abs=1e-8
        )
        G = ours.gradient_of_selection()
        theirs = [sd.gradient_selection(k, 0, 1, beta) for k in range(Z + 1)]
        np.testing.assert_allclose(G, theirs, atol=1e-14)


def test_group_game_against_egttools_if_installed():
    """N-player groups drawn without replacement (egttools' hypergeometric fitness)."""
    egt = pytest.importorskip("egttools")
    for (N, M, Z), beta in itertools.product([(3, 2, 10), (4, 4, 15), (5, 3, 12)], [0.1, 0.3]):
        game = ThresholdStagHunt(N=N, M=M, s=4, l=4, h=3, g=0.5, risk=0.5)

        # egttools: payoffs[i, j](k, N) is the payoff of an i-player in a group of k
        # i-players and N - k j-players (index 0 = comply, 1 = defect)
        def c_vs_d(k, n, *args, game=game):
            return float(game.payoff_comply(k - 1))

        def d_vs_c(k, n, *args, game=game):
            return float(game.payoff_defect(n - k))

        def c_vs_c(k, n, *args, game=game):
            return float(game.payoff_comply(n - 1))

        def d_vs_d(k, n, *args, game=game):
            return float(game.payoff_defect(0))

        payoffs = np.array([[c_vs_c, c_vs_d], [d_vs_c, d_vs_d]], dtype=object)
        sd = egt.analytical.StochDynamics(2, payoffs, Z, group_size=N)
        ours = FinitePopulation(Z=Z, game=game, intensity=beta, rule="fermi")
        rho_c, rho_d = sd.fixation_probability(0, 1, beta), sd.fixation_probability(1, 0, beta)
        assert rho_c > 1e-7 and rho_d > 1e-7  # egttools rounds rho < 1e-7 down to 0
        assert ours.fixation_probability("C") == pytest.approx(rho_c, rel=1e-9)
        assert ours.fixation_probability("D") == pytest.approx(rho_d, rel=1e-9)
        theirs = [sd.gradient_selection(k, 0, 1, beta) for k in range(Z + 1)]
        np.testing.assert_allclose(ours.gradient_of_selection(), theirs, atol=1e-14)


def test_stationary_distribution_against_egttools_full_chain_if_installed():
    """With mutation, egttools builds the full chain over population states itself."""
    egt = pytest.importorskip("egttools")
    for _ in range(4):
        Z = int(RNG.integers(4, 20))
        payoffs = RNG.uniform(-1, 4, size=(2, 2))
        beta, mu = float(RNG.uniform(0.1, 1.5)), float(RNG.uniform(0.01, 0.2))
        sd = egt.analytical.StochDynamics(2, payoffs, Z, mu=mu)
        theirs = sd.calculate_stationary_distribution(beta)
        by_k = np.zeros(Z + 1)
        for index, p in enumerate(theirs):  # egttools state index -> number complying
            by_k[int(egt.sample_simplex(index, Z, 2)[0])] = p
        ours = FinitePopulation(Z=Z, game=payoffs, intensity=beta, rule="fermi", mu=mu)
        np.testing.assert_allclose(ours.stationary(), by_k, atol=1e-10)


def test_moran_rule_with_constant_fitness_has_the_textbook_fixation_probability():
    """Payoffs independent of the co-player: relative fitness r, rho = (1-1/r)/(1-1/r^Z)."""
    for _ in range(20):
        a, b = RNG.uniform(0.5, 4, size=2)
        w = float(RNG.uniform(0.05, 1.0))
        Z = int(RNG.integers(2, 40))
        pop = FinitePopulation(Z=Z, game=[[a, a], [b, b]], intensity=w, rule="moran")
        r = (1 - w + w * a) / (1 - w + w * b)
        assert pop.fixation_probability("C") == pytest.approx((1 - 1 / r) / (1 - r**-Z))
        assert pop.fixation_probability("D") == pytest.approx((1 - r) / (1 - r**Z))
        k = np.arange(Z + 1)
        expected_gradient = k * (Z - k) / Z * (r - 1) / (k * r + Z - k)
        np.testing.assert_allclose(pop.gradient_of_selection(), expected_gradient, atol=1e-15)


def test_moran_rule_matches_nowak_et_al_2004():
    """rho_C = 1 / (1 + sum_k prod_{i<=k} g_i / f_i), f_i = 1 - w + w (a(i-1) + b(Z-i))/(Z-1)."""
    for _ in range(20):
        (a, b), (c, d) = RNG.uniform(0, 4, size=(2, 2))
        w = float(RNG.uniform(0, 1))
        Z = int(RNG.integers(3, 30))
        total, prod = 1.0, 1.0
        for i in range(1, Z):
            f = 1 - w + w * (a * (i - 1) + b * (Z - i)) / (Z - 1)
            g = 1 - w + w * (c * i + d * (Z - i - 1)) / (Z - 1)
            prod *= g / f
            total += prod
        pop = FinitePopulation(Z=Z, game=[[a, b], [c, d]], intensity=w, rule="moran")
        assert pop.fixation_probability("C") == pytest.approx(1 / total, rel=1e-10)


def test_invalid_inputs():
    with pytest.raises(InvalidGameError, match="Z"):
        FinitePopulation(Z=1, game=[[1, 0], [0, 1]])
    with pytest.raises(InvalidGameError, match="rule"):
        FinitePopulation(Z=5, game=[[1, 0], [0, 1]], rule="imitate")
    with pytest.raises(InvalidGameError, match="w must"):
        FinitePopulation(Z=5, game=[[1, 0], [0, 1]], intensity=2.0)
    with pytest.raises(InvalidGameError, match="mu > 0"):
        FinitePopulation(Z=5, game=[[1, 0], [0, 1]]).stationary()
    with pytest.raises(InvalidGameError, match="exceeds"):
        FinitePopulation(Z=3, game=ThresholdStagHunt(N=4, M=2))
