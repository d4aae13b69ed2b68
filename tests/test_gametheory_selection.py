"""Classification, risk and payoff dominance, q* and phases."""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_lab.errors import InvalidGameError
from gametheory.games import assurance, bimatrix, prisoners_dilemma, race_to_the_bottom, stag_hunt
from gametheory.instruments import Sanction
from gametheory.selection import (
    CLASSES,
    basin_of_compliance,
    classify,
    classify_2x2,
    mixed_threshold,
    mixed_threshold_2x2,
    payoff_dominant,
    payoff_dominant_2x2,
    phase,
    phase_2x2,
    risk_dominant,
    risk_dominant_2x2,
)

CANONICAL = {
    "prisoners_dilemma": prisoners_dilemma(),
    "stag_hunt": stag_hunt(),
    "coordination": bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]),  # battle of the sexes
    "chicken": bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]]),
    "matching_pennies": bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
    "dominant": bimatrix([[4, 3], [2, 1]], [[4, 2], [3, 1]]),  # harmony: comply dominant
    "degenerate": bimatrix([[1, 1], [1, 0]], [[1, 1], [1, 0]]),
}


@pytest.mark.parametrize("name", list(CANONICAL))
def test_canonical_classes(name: str) -> None:
    assert classify(CANONICAL[name]) == name


def test_race_to_the_bottom_regimes() -> None:
    assert classify(race_to_the_bottom()) == "prisoners_dilemma"  # gain > w - c > 0, loss > w - c
    # stag hunt when loss > value - cost > gain >= 0
    assert classify(race_to_the_bottom(gain=1.0, value=3.0, cost=1.0, loss=4.0)) == "stag_hunt"


def test_stag_hunt_known_selection() -> None:
    g = stag_hunt()
    assert risk_dominant(g) == (1, 1)  # hare risk-dominant: 1*1 < 3*3
    assert payoff_dominant(g) == (0, 0)
    assert mixed_threshold(g) == 0.75 and basin_of_compliance(g) == 0.25
    assert phase(g) == "coordination"
    # Banks B1: "will not spontaneously hunt a stag" -- q0 > 1/2
    assert mixed_threshold(g, "column") == 0.75


def test_risk_dominance_tie_and_none() -> None:
    tie = bimatrix([[2, 0], [0, 2]], [[2, 0], [0, 2]])
    assert risk_dominant(tie) == "tie"
    assert payoff_dominant(tie) is None
    assert risk_dominant(prisoners_dilemma()) is None


@settings(max_examples=150, deadline=None)
@given(s=st.integers(-5, 8), h=st.integers(-5, 8), l=st.integers(1, 8), g=st.integers(0, 4))
def test_q_star_is_banks_q0(s: int, h: int, l: int, g: int) -> None:  # noqa: E741
    assume(l > g)
    game = assurance(s, h, l, g)
    q0 = (h - s + l) / (l - g)
    assert mixed_threshold(game) == pytest.approx(min(max(q0, 0.0), 1.0))


def _strict_pure_nash(A: np.ndarray, B: np.ndarray) -> list[tuple[int, int]]:
    out = []
    for i in range(2):
        for j in range(2):
            if A[i, j] > A[1 - i, j] and B[i, j] > B[i, 1 - j]:
                out.append((i, j))
    return out


def test_risk_dominance_against_a_direct_computation() -> None:
    rng = np.random.default_rng(1)
    A = rng.integers(-4, 5, (2000, 2, 2)).astype(float)
    B = rng.integers(-4, 5, (2000, 2, 2)).astype(float)
    rd = risk_dominant_2x2(A, B)
    pdm = payoff_dominant_2x2(A, B)
    for k in range(len(A)):
        strict = _strict_pure_nash(A[k], B[k])
        if len(strict) != 2:
            assert rd[k] == -1
        else:
            prods = [
                (A[k][i, j] - A[k][1 - i, j]) * (B[k][i, j] - B[k][i, 1 - j]) for i, j in strict
            ]
            i, j = strict[int(np.argmax(prods))]
            expect = -2 if prods[0] == prods[1] else 2 * i + j
            assert rd[k] == expect, k
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pure = [
                (int(x.argmax()), int(y.argmax()))
                for x, y in nashpy.Game(A[k], B[k]).support_enumeration()
                if x.max() == 1 and y.max() == 1
            ]
        winners = [
            e
            for e in pure
            if len(pure) >= 2
            and all(A[k][e] > A[k][f] and B[k][e] > B[k][f] for f in pure if f != e)
        ]
        assert pdm[k] == (2 * winners[0][0] + winners[0][1] if winners else -1), k


@settings(max_examples=150, deadline=None)
@given(
    A=st.lists(st.integers(-5, 5), min_size=4, max_size=4),
    B=st.lists(st.integers(-5, 5), min_size=4, max_size=4),
    a=st.sampled_from([0.5, 2.0, 3.0]),
    b=st.integers(-5, 5),
)
def test_selection_invariant_to_affine_transforms(A, B, a, b) -> None:
    A = np.reshape(A, (1, 2, 2)).astype(float)
    B = np.reshape(B, (1, 2, 2)).astype(float)
    for f in (classify_2x2, risk_dominant_2x2, payoff_dominant_2x2):
        assert f(A, B)[0] == f(a * A + b, B)[0] == f(A, a * B + b)[0]
    np.testing.assert_allclose(mixed_threshold_2x2(A, B), mixed_threshold_2x2(a * A + b, a * B - b))


@settings(max_examples=150, deadline=None)
@given(A=st.lists(st.integers(-5, 5), min_size=4, max_size=4))
def test_q_star_is_where_compliance_becomes_a_best_response(A) -> None:
    A = np.reshape(A, (2, 2)).astype(float)
    g = bimatrix(A, A.T)
    q = mixed_threshold(g)

    def comply_is_br(belief: float) -> bool:
        y = np.array([belief, 1 - belief])
        return bool(A[0] @ y >= A[1] @ y)

    for belief in np.linspace(0, 1, 41):
        if belief > q + 1e-9:
            assert comply_is_br(belief)
    if 0 < q < 1:
        assert not comply_is_br(q - 1e-6)


def test_sanction_moves_phases_in_order() -> None:
    g = stag_hunt()
    phases = [phase(g.adjust(Sanction(1.0, s))) for s in (0.0, 0.5, 2.0, 3.5)]
    assert phases == [
        "coordination",
        "coordination",
        "compliance risk-dominant",
        "compliance dominant",
    ]
    assert phase(prisoners_dilemma()) == "no compliance"


def test_scalar_functions_reject_non_2x2() -> None:
    g = bimatrix(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(InvalidGameError, match="2x2"):
        classify(g)
    with pytest.raises(InvalidGameError, match="player"):
        mixed_threshold(stag_hunt(), "both")  # type: ignore[arg-type]
    assert set(CLASSES) >= set(CANONICAL)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e-320])
def test_selection_at_extreme_magnitudes(scale: float) -> None:
    # Nash products of differences ~1e200 would overflow to inf == inf (a false tie)
    g = stag_hunt()
    A, B = g.A * scale, g.B * scale
    assert risk_dominant_2x2(A, B).tolist() == [3]  # (hare, hare), as at scale 1
    assert CLASSES[classify_2x2(A, B)[0]] == "stag_hunt"
    assert mixed_threshold_2x2(A, B).tolist() == [[0.75, 0.75]]
    sanctioned = g.adjust(Sanction(1.0, 2.0))  # compliance risk-dominant at scale 1
    assert phase_2x2(sanctioned.A * scale, sanctioned.B * scale).tolist() == [2]
    assert risk_dominant_2x2(sanctioned.A * scale, sanctioned.B * scale).tolist() == [0]
