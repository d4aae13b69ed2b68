"""Replicator basins that do not depend on the payoffs' units, checked against solve_ivp.

The reference is scipy's ``solve_ivp`` (DOP853, rtol 1e-10) in log-odds coordinates
``u = log(x / (1 - x))``, run for 4,000 units of the game's own time (the payoff
advantages divided by their largest absolute value): far beyond the time any start
that is not on a separatrix needs to pass ``|u|, |v| > 25``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.special import expit

from gametheory import dynamics as dyn

RNG = np.random.default_rng(20261206)
HYDE = np.array([[4.0, 0.0], [3.0, 3.0]])  # Banks-Hyde stag hunt


def advantages(A: np.ndarray, B: np.ndarray) -> tuple[float, float, float, float]:
    """d(0), d(1), e(0), e(1): the advantages of complying at the edges, normalised."""
    d0, d1 = A[0, 1] - A[1, 1], A[0, 0] - A[1, 0]
    e0, e1 = B[1, 0] - B[1, 1], B[0, 0] - B[0, 1]
    s = max(abs(d0), abs(d1), abs(e0), abs(e1)) or 1.0
    return d0 / s, d1 / s, e0 / s, e1 / s


def solve_ivp_limit(A: np.ndarray, B: np.ndarray, x0: float, y0: float, T: float = 4000.0):
    """Vertex label reached by a long high-precision integration, or None if not settled."""
    d0, d1, e0, e1 = advantages(A, B)

    def field(t, z):
        x, y = expit(z[0]), expit(z[1])
        return [d0 + (d1 - d0) * y, e0 + (e1 - e0) * x]

    def far(t, z):
        return min(abs(z[0]), abs(z[1])) - 30.0

    far.terminal = True
    z0 = [np.log(x0 / (1 - x0)), np.log(y0 / (1 - y0))]
    sol = solve_ivp(field, [0, T], z0, method="DOP853", rtol=1e-10, atol=1e-12, events=far)
    u, v = sol.y[:, -1]
    if min(abs(u), abs(v)) < 25:
        return None
    return 2 * int(u < 0) + int(v < 0)


def random_games(k: int, integer: bool = False) -> list[tuple[np.ndarray, np.ndarray]]:
    if integer:
        return [tuple(RNG.integers(-2, 3, size=(2, 2, 2)).astype(float)) for _ in range(k)]
    return [tuple(RNG.normal(size=(2, 2, 2))) for _ in range(k)]


# --- the cases of the audit ---------------------------------------------------------------


@pytest.mark.parametrize("scale", [1.0, 0.01, 0.001, 1e-6, 1e6])
def test_banks_hyde_basins_do_not_depend_on_the_scale(scale: float) -> None:
    one = dyn.symmetric_basin_share(HYDE * scale)
    assert one.share == pytest.approx(0.25, abs=1e-3)  # 1 - q*, q* = 3/4
    assert one.undecided == 0 and one.share + one.defection == 1.0
    assert one == dyn.symmetric_basin_share(HYDE)
    exact = dyn.basins_2x2_exact(HYDE, n=100).labels
    # (0.325, 0.975) and its mirror lie exactly on the separatrix: x^3 (1-x) = y^3 (1-y)
    assert exact[32, 97] == exact[97, 32] == -1 and np.sum(exact == -1) == 2
    two = dyn.basins_2x2(HYDE * scale, n=100)
    np.testing.assert_array_equal(two.labels, exact)
    assert two.share(0) == pytest.approx(0.1611, abs=1e-12) and two.undecided == 2
    integrated = dyn.basins_2x2(HYDE * scale, n=100, method="integrate")
    decided = exact >= 0
    np.testing.assert_array_equal(integrated.labels[decided], exact[decided])
    assert integrated.share(0) == pytest.approx(0.1611, abs=1e-12)


def test_two_population_start_that_got_a_wrong_basin() -> None:
    A = np.array([[-0.5248, -0.9262], [2.6926, -0.9797]])
    B = np.array([[-0.5734, 0.0366], [0.4832, 1.0290]])
    reference = solve_ivp_limit(A, B, 0.0167, 0.85)
    assert reference == 1  # (C,D): the column defects, then the row complies
    for method in ("auto", "integrate"):
        assert int(dyn.replicator_limits_2x2(A, B, 0.0167, 0.85, method=method)) == 1


def test_cyclic_games_are_labelled_cycles_not_vertices() -> None:
    """Matching pennies and random centre games: closed orbits around the mixed point."""
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    games = [(pennies, -pennies)]
    while len(games) < 6:
        A, B = RNG.normal(size=(2, 2, 2))
        d0, d1, e0, e1 = advantages(A, B)
        if d0 * d1 < 0 and e0 * e1 < 0 and (d1 > d0) != (e1 > e0):
            games.append((A, B))
    for A, B in games:
        res = dyn.basins_2x2(A, B, n=21)
        assert np.all((res.labels == 5) | (res.labels == 4))
        assert res.share(5) >= 1 - 1 / 21**2
        # the reference: solve_ivp stays on the level set of H, away from every vertex
        d0, d1, e0, e1 = advantages(A, B)
        x0, y0 = RNG.uniform(0.2, 0.8, size=2)

        def field(t, z, d0=d0, d1=d1, e0=e0, e1=e1):
            x, y = expit(z[0]), expit(z[1])
            return [d0 + (d1 - d0) * y, e0 + (e1 - e0) * x]

        def H(u, v, d0=d0, d1=d1, e0=e0, e1=e1):  # F(x) - G(y) in log-odds
            x, y = expit(u), expit(v)
            return (e0 * np.log(x) - e1 * np.log1p(-x)) - (d0 * np.log(y) - d1 * np.log1p(-y))

        z0 = [np.log(x0 / (1 - x0)), np.log(y0 / (1 - y0))]
        sol = solve_ivp(field, [0, 500], z0, method="DOP853", rtol=1e-11, atol=1e-12)
        assert np.max(np.abs(sol.y)) < 30  # never near a vertex
        np.testing.assert_allclose(H(*sol.y), H(*z0), atol=1e-7)
        assert int(dyn.replicator_limits_2x2(A, B, x0, y0)) == 5


# --- agreement with solve_ivp on random games -----------------------------------------------


def test_limits_agree_with_long_solve_ivp_on_random_games() -> None:
    checked = 0
    for A, B in random_games(60) + random_games(60, integer=True):
        x0, y0 = RNG.uniform(0.02, 0.98, size=2)
        label = int(dyn.replicator_limits_2x2(A, B, x0, y0))
        if label in (4, 5):
            continue  # rest points and cycles: checked above
        reference = solve_ivp_limit(A, B, x0, y0)
        if label == -1:  # undecided: only where the reference does not settle either
            assert reference is None, (A, B, x0, y0)
            continue
        assert reference == label, (A, B, x0, y0)
        checked += 1
    assert checked > 80


def test_integrated_and_exact_labels_agree_where_both_decide() -> None:
    games = random_games(30)
    As = np.stack([A for A, _ in games])
    Bs = np.stack([B for _, B in games])
    exact = dyn.basins_2x2_exact(As, Bs, n=16).labels
    integrated = dyn.basins_2x2(As, Bs, n=16, method="integrate", t_max=2000).labels
    decided = (integrated >= 0) & (exact <= 3)
    np.testing.assert_array_equal(integrated[decided], exact[decided])
    # integration never labels a cycle or a rest point with a vertex
    assert np.all(integrated[exact >= 4] == -1)


# --- ties: exact where a player has a strictly dominant strategy, else honest ---------------


def test_tied_games() -> None:
    # weakly dominant comply for both: every interior start rises to (C,C), by integration
    weak = dyn.basins_2x2(np.array([[1.0, 0.0], [0.0, 0.0]]), n=15)
    assert np.all(weak.labels == 0) and weak.undecided == 0
    # row indifferent everywhere, column complying strictly dominant: the row share
    # stays put while the column complies -> a rest point on the edge y = 1
    flat = dyn.basins_2x2(np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 0.0]]))
    assert np.all(flat.labels == 4)
    # row weakly dominant comply, column weakly dominant defect: x rises, y falls, and x
    # stops at an interior value on the edge y = 0, which integration reports as undecided
    A = np.array([[1.0, 0.0], [0.0, 0.0]])
    B = np.array([[0.0, 1.0], [0.0, 0.0]])
    res = dyn.basins_2x2(A, B, n=10)
    assert res.undecided == 100 and res.share(-1) == 1.0


# --- invariance to a positive affine change of units ----------------------------------------


def test_basins_are_invariant_to_positive_affine_rescaling() -> None:
    games = random_games(40) + random_games(40, integer=True)
    As = np.stack([A for A, _ in games])
    Bs = np.stack([B for _, B in games])
    base = dyn.basins_2x2(As, Bs, n=16)
    base_one = [dyn.symmetric_basin_share(A, n=301) for A in As]
    for _ in range(6):
        scale = 10.0 ** RNG.uniform(-6, 6)
        shift_a, shift_b = RNG.normal(scale=10 * scale, size=2)
        scaled = dyn.basins_2x2(As * scale + shift_a, Bs * scale + shift_b, n=16)
        np.testing.assert_array_equal(scaled.labels, base.labels)
        for A, ref in zip(As, base_one, strict=True):
            assert dyn.symmetric_basin_share(A * scale + shift_a, n=301) == ref
    for scale in (1e-6, 1e6):  # the integrated path too, at the extremes
        np.testing.assert_array_equal(
            dyn.basins_2x2(
                As[:10] * scale, Bs[:10] * scale, n=12, method="integrate", t_max=500
            ).labels,
            dyn.basins_2x2(As[:10], Bs[:10], n=12, method="integrate", t_max=500).labels,
        )
