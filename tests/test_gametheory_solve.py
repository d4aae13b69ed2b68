"""Solvers: the vectorised 2x2 solver against nashpy and pygambit, invariants, wrappers."""

from __future__ import annotations

import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from enforcement_lab.errors import InvalidGameError
from gametheory.games import bimatrix, prisoners_dilemma, stag_hunt
from gametheory.solve import (
    MAX_EQUILIBRIA_2X2,
    DegenerateGameWarning,
    equilibria,
    equilibria_2x2,
    is_degenerate,
)


def _nashpy(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nashpy.Game(A, B).support_enumeration())


def _same(ours: list, theirs: list) -> bool:
    return len(ours) == len(theirs) and all(
        np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9)
        for (x, y), (u, v) in zip(ours, theirs, strict=True)
    )


def _batch(seed: int, n: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    if kind in ("int", "ternary"):  # small integer range: many ties, continua, the null game
        hi = 3 if kind == "int" else 2
        return (
            rng.integers(-hi + 1, hi, (n, 2, 2)).astype(float),
            rng.integers(-hi + 1, hi, (n, 2, 2)).astype(float),
        )
    return rng.normal(size=(n, 2, 2)), rng.normal(size=(n, 2, 2))


# -- known results ---------------------------------------------------------------------


def test_stag_hunt_known_equilibria() -> None:
    g = stag_hunt()  # (4, 0; 3, 3)
    res = equilibria_2x2(g.A, g.B)
    assert res.count.tolist() == [3]
    assert res.row[0, :3].tolist() == [[1, 0], [0, 1], [0.75, 0.25]]
    assert res.col[0, :3].tolist() == [[1, 0], [0, 1], [0.75, 0.25]]
    assert np.isnan(res.row[0, 3]).all()
    assert res.p[0] == 0.75 and res.q[0] == 0.75
    assert not res.degenerate[0] and not res.continuum[0]


def test_prisoners_dilemma_unique_defection() -> None:
    g = prisoners_dilemma()
    res = equilibria_2x2(g.A, g.B)
    assert res.count.tolist() == [1]
    assert res.row[0, 0].tolist() == [0, 1] and res.col[0, 0].tolist() == [0, 1]


def test_null_game_uses_fourth_slot() -> None:
    res = equilibria_2x2(np.zeros((1, 2, 2)), np.ones((1, 2, 2)))
    assert res.row.shape == (1, MAX_EQUILIBRIA_2X2, 2)
    assert res.count.tolist() == [4]
    assert res.degenerate[0] and res.continuum[0]
    assert len(_nashpy(np.zeros((2, 2)), np.ones((2, 2)))) == 4


def test_degenerate_but_finite() -> None:
    # row indifferent against column 0, but the column strictly prefers column 1
    A = np.array([[1.0, 2.0], [1.0, 0.0]])
    B = np.array([[0.0, 1.0], [0.0, 1.0]])
    res = equilibria_2x2(A, B)
    assert res.degenerate[0] and not res.continuum[0]
    assert res.count[0] == 1 and res.row[0, 0].tolist() == [1, 0]


# -- agreement with nashpy and pygambit ------------------------------------------------


@pytest.mark.parametrize(("kind", "n"), [("int", 1000), ("ternary", 1000), ("float", 300)])
def test_agrees_with_nashpy_support_enumeration(kind: str, n: int) -> None:
    A, B = _batch(7, n, kind)
    res = equilibria_2x2(A, B)
    if kind != "float":
        assert res.degenerate.sum() > n // 4  # the batch does exercise ties
        assert res.continuum.sum() > 0 and (res.count == 4).any()
    mismatches = [k for k in range(n) if not _same(res.game(k), _nashpy(A[k], B[k]))]
    assert mismatches == []


def _gambit_equilibria(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    gbt = pytest.importorskip("pygambit")
    rational = np.vectorize(lambda v: Fraction(v).limit_denominator(10**9))
    game = gbt.Game.from_arrays(rational(A).tolist(), rational(B).tolist())
    out = []
    for eq in gbt.nash.enummixed_solve(game, rational=True).equilibria:
        r, c = game.players
        x = np.array([float(eq[s]) for s in r.strategies])
        y = np.array([float(eq[s]) for s in c.strategies])
        out.append((x, y))
    return out


def _is_ne(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    r = A @ y
    c = x @ B
    return bool(x @ r >= r.max() - 1e-9 and c @ y >= c.max() - 1e-9)


@pytest.mark.parametrize(("kind", "n"), [("int", 600), ("float", 200)])
def test_agrees_with_pygambit(kind: str, n: int) -> None:
    A, B = _batch(11, n, kind)
    res = equilibria_2x2(A, B)
    for k in range(n):
        theirs = _gambit_equilibria(A[k], B[k])
        ours = res.game(k)
        key = lambda e: (tuple(np.round(e[0], 9)), tuple(np.round(e[1], 9)))  # noqa: E731
        if not res.degenerate[k]:
            assert sorted(map(key, ours)) == sorted(map(key, theirs)), k
            continue
        # degenerate: we list exactly the pure extreme equilibria ...
        pure_theirs = [e for e in theirs if e[0].max() == 1 and e[1].max() == 1]
        assert sorted(map(key, ours)) == sorted(map(key, pure_theirs)), k
        # ... and flag a continuum iff some segment between extreme equilibria is in the set
        segment = any(
            all(
                _is_ne(A[k], B[k], (1 - t) * x1 + t * x2, (1 - t) * y1 + t * y2)
                for t in (1 / 3, 2 / 3)
            )
            for i, (x1, y1) in enumerate(theirs)
            for (x2, y2) in theirs[i + 1 :]
        )
        assert bool(res.continuum[k]) == segment, k


# -- property tests ----------------------------------------------------------------------

payoffs = arrays(np.int64, (2, 2), elements=st.integers(-4, 4))


@settings(max_examples=200, deadline=None)
@given(A=payoffs, B=payoffs)
def test_every_reported_equilibrium_is_a_best_response_pair(A: np.ndarray, B: np.ndarray) -> None:
    A = A.astype(float)
    B = B.astype(float)
    res = equilibria_2x2(A, B)
    assert res.count[0] >= 1
    for x, y in res.game(0):
        assert np.isclose(x.sum(), 1) and np.isclose(y.sum(), 1)
        assert (x >= 0).all() and (y >= 0).all()
        assert _is_ne(A, B, x, y)


@settings(max_examples=200, deadline=None)
@given(
    A=payoffs,
    B=payoffs,
    a=st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0, 8.0]),
    b=st.integers(-10, 10),
    c=st.sampled_from([0.5, 1.0, 5.0]),
    d=st.integers(-10, 10),
)
def test_invariant_to_positive_affine_transforms(A, B, a, b, c, d) -> None:
    A = A.astype(float)
    B = B.astype(float)
    r1 = equilibria_2x2(A, B)
    r2 = equilibria_2x2(a * A + b, c * B + d)
    assert r1.count[0] == r2.count[0]
    assert r1.degenerate[0] == r2.degenerate[0] and r1.continuum[0] == r2.continuum[0]
    np.testing.assert_allclose(r1.row, r2.row, atol=1e-12)
    np.testing.assert_allclose(r1.col, r2.col, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(A=payoffs, B=payoffs)
def test_swapping_players_swaps_equilibria(A: np.ndarray, B: np.ndarray) -> None:
    g = bimatrix(A, B)
    ours = {(tuple(x), tuple(y)) for x, y in equilibria_2x2(g.A, g.B).game(0)}
    t = g.transpose()
    swapped = {(tuple(y), tuple(x)) for x, y in equilibria_2x2(t.A, t.B).game(0)}
    assert ours == swapped


def test_tolerance_turns_near_ties_into_ties() -> None:
    A = np.array([[[1.0, 0.0], [1.0 + 1e-15, 2.0]]])
    B = np.array([[[1.0, 0.0], [0.0, 2.0]]])
    assert not equilibria_2x2(A, B).degenerate[0]
    assert equilibria_2x2(A, B, tol=1e-12).degenerate[0]


def test_input_validation_names_the_entry() -> None:
    A = np.zeros((3, 2, 2))
    A[2, 1, 0] = np.nan
    with pytest.raises(InvalidGameError, match=r"A\[2, 1, 0\] is nan"):
        equilibria_2x2(A, np.zeros((3, 2, 2)))
    with pytest.raises(InvalidGameError, match="shape"):
        equilibria_2x2(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(InvalidGameError, match="A has shape"):
        equilibria_2x2(np.zeros((2, 2, 2)), np.zeros((3, 2, 2)))


# -- nashpy wrappers for general games --------------------------------------------------


@pytest.mark.parametrize("method", ["support", "vertex", "lemke_howson"])
def test_wrappers_on_nondegenerate_games(method: str) -> None:
    rng = np.random.default_rng(3)
    for _ in range(3):
        g = bimatrix(rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))
        eq = equilibria(g, method)
        assert eq.degenerate is False
        assert len(eq) >= 1
        for x, y in eq:
            assert _is_ne(g.A, g.B, x, y)
        if method != "lemke_howson":  # LH enumeration may miss some equilibria
            ref = equilibria(g, "support")
            assert len(eq) == len(ref)


def test_wrapper_stag_hunt_and_frame() -> None:
    eq = equilibria(stag_hunt())
    assert eq.pure() == [(0, 0), (1, 1)]
    frame = eq.to_frame()
    assert frame["row:stag"].tolist() == [1.0, 0.0, 0.75]
    assert frame["payoff_row"].tolist() == [4.0, 3.0, 3.0]
    assert "3 equilibria" in eq.summary()


def test_wrapper_flags_degenerate_games() -> None:
    g = bimatrix([[1, 1], [1, 0]], [[1, 1], [1, 0]])
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria(g)
    assert eq.degenerate and eq.continuum
    for x, y in eq:
        assert _is_ne(g.A, g.B, x, y)


def test_lemke_howson_falls_back_on_degenerate_games() -> None:
    g = bimatrix(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria(g, "lemke_howson")
    assert len(eq) >= 1
    for x, y in eq:
        assert _is_ne(g.A, g.B, x, y)


def test_is_degenerate_larger_games() -> None:
    rng = np.random.default_rng(5)
    assert is_degenerate(bimatrix(rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))) is False
    # a pure strategy with two best responses
    A = np.array([[1.0, 0, 0], [1.0, 0, 0], [0, 1.0, 0]])
    assert is_degenerate(bimatrix(A, rng.normal(size=(3, 3)))) is True
    # a mixed strategy (support 2) with three best responses: column mixes 1/2-1/2
    A = np.array([[1.0, 0.0, 0], [0.0, 1.0, 0], [0.5, 0.5, -5]])
    B = np.array([[1.0, 0.0, 2], [0.0, 1.0, 0], [0.0, 0.0, 0]])
    assert is_degenerate(bimatrix(A, B)) is True


def test_unknown_method() -> None:
    with pytest.raises(InvalidGameError, match="unknown method"):
        equilibria(stag_hunt(), "simplex")  # type: ignore[arg-type]


# -- exactness near ties and at extreme magnitudes ---------------------------------------

_DECIMALS = np.array([0.1, 0.2, 0.3, 0.1 + 0.2, 0.6, 0.7, 0.1 * 3, 1 / 3, 2 / 3, 1 - 2 / 3])


def _gambit_exact(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """pygambit on the exact rational values of the stored floats (no rounding at all)."""
    gbt = pytest.importorskip("pygambit")
    exact = np.vectorize(Fraction, otypes=[object])
    game = gbt.Game.from_arrays(exact(A).tolist(), exact(B).tolist())
    r, c = game.players
    return [
        (
            np.array([float(eq[s]) for s in r.strategies]),
            np.array([float(eq[s]) for s in c.strategies]),
        )
        for eq in gbt.nash.enummixed_solve(game, rational=True).equilibria
    ]


def test_near_ties_from_decimal_rounding_match_exact_pygambit() -> None:
    # payoffs like 0.1 + 0.2 vs 0.3 differ by one ulp: non-degenerate games whose mixed
    # equilibrium sits 1e-16 from a pure strategy
    rng = np.random.default_rng(5)
    A = rng.choice(_DECIMALS, (1500, 2, 2))
    B = rng.choice(_DECIMALS, (1500, 2, 2))
    res = equilibria_2x2(A, B)
    near = 0
    for k in np.flatnonzero(~res.degenerate):
        theirs = _gambit_exact(A[k], B[k])
        ours = res.game(int(k))
        assert len(ours) == len(theirs), k
        left = list(theirs)
        for x, y in ours:  # each of ours matches a distinct one of theirs to ~1 ulp
            close = [
                i
                for i, (u, v) in enumerate(left)
                if np.allclose(x, u, rtol=1e-12, atol=1e-15)
                and np.allclose(y, v, rtol=1e-12, atol=1e-15)
            ]
            assert close, (k, ours, theirs)
            left.pop(close[0])
        near += bool(res.mixed[k] and min(res.p[k], 1 - res.p[k], res.q[k], 1 - res.q[k]) < 1e-12)
    assert near > 0  # the batch does contain mixed equilibria a rounding error from pure


def test_wrapper_keeps_the_mixed_equilibrium_nashpy_rounds_away() -> None:
    A = np.array([[0.6, 0.2], [0.1 + 0.2, 2 / 3]])
    B = np.array([[0.6, 0.1], [1 / 3, 1 - 2 / 3]])
    assert len(_nashpy(A, B)) == 2  # nashpy's 1e-16 tolerance drops the mixed one
    eq = equilibria(bimatrix(A, B))
    assert len(eq) == 3 and "nashpy missed 1 equilibrium" in eq.note
    x, y = eq[2]
    assert 0 < x[0] < 1e-15 and y[0] == pytest.approx(14 / 23, rel=1e-9)
    assert eq.degenerate is False


def test_payoffs_near_the_float_limit() -> None:
    g = stag_hunt()
    for scale in (1e307, 1e-320):  # huge, and subnormal
        res = equilibria_2x2(g.A * scale, g.B * scale)
        assert res.count[0] == 3 and res.p[0] == 0.75 and res.q[0] == 0.75
    # differences that overflow are an error naming the game, not NaN strategies
    A = np.zeros((3, 2, 2))
    A[2] = [[1.7e308, -1.7e308], [-1.7e308, 1.7e308]]
    with pytest.raises(InvalidGameError, match="payoff differences of A in game 2 overflow"):
        equilibria_2x2(A, np.zeros((3, 2, 2)))


@settings(max_examples=200, deadline=None)
@given(
    A=arrays(np.float64, (2, 2), elements=st.floats(-1e6, 1e6)),
    B=arrays(np.float64, (2, 2), elements=st.floats(-1e6, 1e6)),
)
def test_best_response_condition_on_real_payoffs(A: np.ndarray, B: np.ndarray) -> None:
    res = equilibria_2x2(A, B)
    assert res.count[0] >= 1
    scale = 1e-9 * max(1.0, np.abs(A).max(), np.abs(B).max())
    for x, y in res.game(0):
        assert np.isclose(x.sum(), 1) and np.isclose(y.sum(), 1)
        assert (x >= 0).all() and (y >= 0).all()
        r, c = A @ y, x @ B
        assert x @ r >= r.max() - scale and c @ y >= c.max() - scale


# -- the nashpy wrapper completes what nashpy misses --------------------------------------


def test_wrapper_finds_isolated_equilibrium_with_unequal_supports() -> None:
    # degenerate: column strategy 0 is a best response only at x = (1/2, 1/2), where all
    # three are; the row is indifferent against column 0. ((1/2, 1/2), column 0) is an
    # isolated equilibrium with supports of sizes 2 and 1, which nashpy cannot find.
    A = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    B = np.array([[0.0, 0.5, -0.5], [0.0, -0.5, 0.5]])
    g = bimatrix(A, B)
    assert len(_nashpy(A, B)) == 1
    for method in ("support", "vertex"):
        with pytest.warns(DegenerateGameWarning, match="every support pair checked"):
            eq = equilibria(g, method)  # type: ignore[arg-type]
        assert [(x.tolist(), y.tolist()) for x, y in eq] == [
            ([1.0, 0.0], [0.0, 1.0, 0.0]),
            ([0.5, 0.5], [1.0, 0.0, 0.0]),
        ]
        assert "1 equilibrium added" in eq.note
    with pytest.warns(DegenerateGameWarning, match="only some equilibria"):
        assert len(equilibria(g, "lemke_howson")) == 1  # by design not completed


def test_wrapper_recovers_equilibrium_nashpy_rejects_over_rounding() -> None:
    # non-degenerate 3x4 game: nashpy solves the full indifference system, gets -1e-17
    # for the off-support probability and rejects the third equilibrium
    A = np.array([[-1.0, -1, -1, 0], [0, -1, 0, -1], [1, 0, -1, -1]])
    B = np.array([[0.0, 0, 1, 0], [-1, 0, -1, 1], [0, 1, 0, -1]])
    assert len(_nashpy(A, B)) == 2
    eq = equilibria(bimatrix(A, B))
    assert eq.degenerate is False and len(eq) == 3
    assert "nashpy missed 1 equilibrium (rounding)" in eq.note
    x, y = eq[2]
    np.testing.assert_allclose(x, [1 / 2, 1 / 3, 1 / 6], atol=1e-15)
    np.testing.assert_allclose(y, [0, 1 / 3, 1 / 3, 1 / 3], atol=1e-15)
    assert y[0] == 0.0  # exactly: probabilities off the support are not solved for


def _support(x: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.flatnonzero(x > 1e-12))


@pytest.mark.slow
def test_wrapper_against_pygambit_on_larger_games() -> None:
    """Non-degenerate: the same equilibria. Degenerate: every extreme equilibrium that
    pygambit lists has an equilibrium of ours with the same pair of supports."""
    rng = np.random.default_rng(2)
    checked = {"degenerate": 0, "nondegenerate": 0}
    for shape, values in (
        ((3, 3), np.array([-1.0, 0.0, 1.0])),
        ((2, 3), np.array([-1.0, 0.0, 1.0])),
        ((3, 3), np.arange(-30.0, 31.0)),  # few ties: mostly non-degenerate
    ):
        for _ in range(12):
            A = rng.choice(values, shape)
            B = rng.choice(values, shape)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateGameWarning)
                eq = equilibria(bimatrix(A, B))
            theirs = _gambit_exact(A, B)
            for x, y in eq:
                assert _is_ne(A, B, x, y)
            if eq.degenerate:
                ours = {(_support(x), _support(y)) for x, y in eq}
                assert {(_support(x), _support(y)) for x, y in theirs} <= ours, (A, B)
                checked["degenerate"] += 1
            else:
                key = lambda e: (tuple(np.round(e[0], 9)), tuple(np.round(e[1], 9)))  # noqa: E731
                assert sorted(map(key, eq)) == sorted(map(key, theirs)), (A, B)
                checked["nondegenerate"] += 1
    assert checked["degenerate"] > 10 and checked["nondegenerate"] > 3


# -- one count of equilibria ---------------------------------------------------------------


def test_wrapper_keeps_a_mixed_equilibrium_one_ulp_from_a_pure_one() -> None:
    A = np.array([[0.3, 0.3], [0.0, 0.1 + 0.2]])
    B = np.array([[0.7, 0.1], [0.3, 0.1 + 0.2]])
    exact = equilibria_2x2(A, B)
    assert int(exact.count[0]) == 3 == len(_gambit_exact(A, B))
    eq = equilibria(bimatrix(A, B))
    assert len(eq) == 3
    for (x, y), (u, v) in zip(eq, exact.game(0), strict=True):
        assert np.array_equal(x, u) and np.array_equal(y, v)
    x, y = eq[2]
    assert 0 < x[0] < 1e-15 and 0 < y[0] < 1e-15  # mixed, a rounding error from (1, 1)


def test_fully_mixed_points_of_a_degenerate_game_lie_on_a_continuum() -> None:
    A, B = np.zeros((2, 2)), np.eye(2)
    res = equilibria_2x2(A, B)
    assert res.degenerate[0] and res.continuum[0] and not res.mixed[0]
    half = np.array([0.5, 0.5])
    for q in (0.0, 0.3, 0.5, 1.0):  # ((1/2, 1/2), y) is an equilibrium for every y
        assert _is_ne(A, B, half, np.array([q, 1 - q]))
    with pytest.warns(DegenerateGameWarning):
        eq = equilibria(bimatrix(A, B))
    assert len(eq) == int(res.count[0])


@pytest.mark.parametrize("method", ["support", "vertex"])
def test_wrapper_and_exact_solver_agree_on_near_ties(method: str) -> None:
    """Decimal payoffs (one-ulp near ties) and small integers (exact ties): the wrapper
    lists exactly the exact solver's equilibria, and their number is pygambit's
    (exact rational enumeration) wherever the game is non-degenerate."""
    rng = np.random.default_rng(11)
    As = np.concatenate([rng.choice(_DECIMALS, (150, 2, 2)), _batch(3, 60, "int")[0]])
    Bs = np.concatenate([rng.choice(_DECIMALS, (150, 2, 2)), _batch(3, 60, "int")[1]])
    res = equilibria_2x2(As, Bs)
    for k in range(len(As)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            eq = equilibria(bimatrix(As[k], Bs[k]), method)
        assert len(eq) == int(res.count[k]), k
        for (x, y), (u, v) in zip(eq, res.game(k), strict=True):
            assert np.array_equal(x, u) and np.array_equal(y, v), k
        if not res.degenerate[k]:
            assert len(eq) == len(_gambit_exact(As[k], Bs[k])), k
