"""The fused 2x2 kernel against the per-quantity NumPy functions it replaces, cell by cell.

The references are :func:`gametheory.solve.equilibria_2x2` (unchanged) and the NumPy
implementations of class, risk and payoff dominance, mixed threshold, phase and the
paper notebooks' coarse class as they stood before the kernel (kept below as
oracles). Every field must be identical (bit for bit for floats) on random real,
small-integer (ties, continua, the null game), near-tie (an ulp-sized perturbation,
with and without ``tol``) and extreme-magnitude games.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enforcement_lab.errors import InvalidGameError
from gametheory.games import stag_hunt
from gametheory.instruments import Sanction
from gametheory.kernel2x2 import CLASSES, DESIGN_CLASSES, PHASES, analyse_2x2, as_stacks
from gametheory.solve import equilibria_2x2, payoff_differences, pow2_normalise
from gametheory.sweep import sweep, sweep_chunks

# -- oracles: the per-quantity NumPy implementations ---------------------------------


def ref_classify(A, B, tol=0.0):
    res = equilibria_2x2(A, B, tol=tol)
    A, B = np.asarray(A, float).reshape(-1, 2, 2), np.asarray(B, float).reshape(-1, 2, 2)
    dA, dB = res.dA, res.dB
    n = dA.shape[0]
    pure = res.pure.reshape(n, 4)
    npure = pure.sum(axis=1)
    out = np.full(n, CLASSES.index("dominant"), dtype=np.int64)
    row_dom = np.sign(dA[:, 0]) * np.sign(dA[:, 1]) > 0
    col_dom = np.sign(dB[:, 0]) * np.sign(dB[:, 1]) > 0
    flatA, flatB = A.reshape(n, 4), B.reshape(n, 4)
    k = np.argmax(pure, axis=1)
    a = flatA[np.arange(n), k][:, None]
    b = flatB[np.arange(n), k][:, None]
    dominated = ((flatA > a) & (flatB > b)).any(axis=1)
    out[(npure == 1) & row_dom & col_dom & dominated] = CLASSES.index("prisoners_dilemma")
    diagonal = res.pure[:, 0, 0] & res.pure[:, 1, 1] & res.mixed
    anti = res.pure[:, 0, 1] & res.pure[:, 1, 0] & res.mixed
    ranked = ((A[:, 0, 0] > A[:, 1, 1]) & (B[:, 0, 0] > B[:, 1, 1])) | (
        (A[:, 1, 1] > A[:, 0, 0]) & (B[:, 1, 1] > B[:, 0, 0])
    )
    out[diagonal & ranked] = CLASSES.index("stag_hunt")
    out[diagonal & ~ranked] = CLASSES.index("coordination")
    out[anti] = CLASSES.index("chicken")
    out[(npure == 0) & res.mixed] = CLASSES.index("matching_pennies")
    out[res.degenerate] = CLASSES.index("degenerate")
    return out


def ref_risk(A, B, tol=0.0):
    dA, dB = payoff_differences(A, B, tol=tol)
    n = dA.shape[0]
    strict = (np.stack([dA > 0, dA < 0], axis=1) & np.stack([dB > 0, dB < 0], axis=2)).reshape(n, 4)
    sA, sB = np.abs(pow2_normalise(dA)), np.abs(pow2_normalise(dB))
    score = np.where(strict, (sA[:, None, :] * sB[:, :, None]).reshape(n, 4), -np.inf)
    order = np.argsort(score, axis=1)
    top = np.take_along_axis(score, order[:, -1:], axis=1)[:, 0]
    second = np.take_along_axis(score, order[:, -2:-1], axis=1)[:, 0]
    two = strict.sum(axis=1) == 2
    return np.where(two, np.where(top == second, -2, order[:, -1]), -1)


def ref_payoff(A, B, tol=0.0):
    res = equilibria_2x2(A, B, tol=tol)
    n = res.count.shape[0]
    fa = np.asarray(A, float).reshape(n, 4)
    fb = np.asarray(B, float).reshape(n, 4)
    pure = res.pure.reshape(n, 4)
    beats = (fa[:, :, None] > fa[:, None, :]) & (fb[:, :, None] > fb[:, None, :])
    ok = pure & np.all(beats | np.eye(4, dtype=bool)[None] | ~pure[:, None, :], axis=2)
    has = ok.any(axis=1) & (pure.sum(axis=1) >= 2)
    return np.where(has, np.argmax(ok, axis=1), -1)


def ref_threshold(A, B, tol=0.0):
    dA, dB = payoff_differences(A, B, tol=tol)

    def one(d):
        d0, d1 = d[:, 0], d[:, 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            interior = d1 / (d1 - d0)
        return np.where(d0 < 0, 1.0, np.where(d1 >= 0, 0.0, interior))

    return np.stack([one(pow2_normalise(dA)), one(pow2_normalise(dB))], axis=1)


def ref_phase(A, B, tol=0.0):
    dA, dB = payoff_differences(A, B, tol=tol)
    cc = (dA[:, 0] >= 0) & (dB[:, 0] >= 0)
    dd = (dA[:, 1] <= 0) & (dB[:, 1] <= 0)
    sA, sB = pow2_normalise(dA), pow2_normalise(dB)
    rd = sA[:, 0] * sB[:, 0] > sA[:, 1] * sB[:, 1]
    dominant = (dA > 0).all(axis=1) & (dB > 0).all(axis=1)
    out = np.zeros(dA.shape[0], dtype=np.int64)
    out[cc] = 1
    out[cc & (~dd | rd)] = 2
    out[dominant] = 3
    return out


def ref_design_class(A, B):
    A, B = np.asarray(A, float), np.asarray(B, float)
    c_dom = (A[..., 0, 0] > A[..., 1, 0]) & (A[..., 0, 1] > A[..., 1, 1])
    c_dom &= (B[..., 0, 0] > B[..., 0, 1]) & (B[..., 1, 0] > B[..., 1, 1])
    d_dom = (A[..., 1, 0] > A[..., 0, 0]) & (A[..., 1, 1] > A[..., 0, 1])
    d_dom &= (B[..., 0, 1] > B[..., 0, 0]) & (B[..., 1, 1] > B[..., 1, 0])
    cc = (A[..., 0, 0] > A[..., 1, 0]) & (B[..., 0, 0] > B[..., 0, 1])
    dd = (A[..., 1, 1] > A[..., 0, 1]) & (B[..., 1, 1] > B[..., 1, 0])
    pareto = (A[..., 0, 0] > A[..., 1, 1]) & (B[..., 0, 0] > B[..., 1, 1])
    out = np.full(A.shape[:-2], "other", dtype=object)
    out[cc & dd] = "stag_hunt"
    out[d_dom & ~pareto] = "deadlock"
    out[d_dom & pareto] = "prisoners_dilemma"
    out[c_dom] = "harmony"
    return out


def assert_matches_references(A: np.ndarray, B: np.ndarray, tol: float = 0.0) -> None:
    got = analyse_2x2(A, B, tol=tol, detail=True)
    ref = equilibria_2x2(A, B, tol=tol)
    for name in ("count", "pure", "mixed", "degenerate", "continuum"):
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)
    for name in ("p", "q", "row", "col", "dA", "dB"):  # bit for bit, NaN where NaN
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)
    np.testing.assert_array_equal(got.game_class, ref_classify(A, B, tol))
    np.testing.assert_array_equal(got.risk_dominant, ref_risk(A, B, tol))
    np.testing.assert_array_equal(got.payoff_dominant, ref_payoff(A, B, tol))
    np.testing.assert_array_equal(got.q_star, ref_threshold(A, B, tol))
    np.testing.assert_array_equal(got.basin, 1.0 - ref_threshold(A, B, tol)[:, 0])
    np.testing.assert_array_equal(got.phase, ref_phase(A, B, tol))
    labels = np.asarray(DESIGN_CLASSES, dtype=object)[got.design_class]
    np.testing.assert_array_equal(labels, ref_design_class(A, B))


RNG_SEED = 20261206


def test_random_real_games() -> None:
    rng = np.random.default_rng(RNG_SEED)
    A, B = rng.normal(size=(2, 20_000, 2, 2))
    assert_matches_references(A, B)


def test_integer_games_with_ties() -> None:
    rng = np.random.default_rng(RNG_SEED + 1)
    A, B = rng.integers(-2, 3, (2, 20_000, 2, 2)).astype(float)
    got = analyse_2x2(A, B)
    # the sample covers every class, selection code and phase, continua and the null game
    assert set(got.game_class) == set(range(len(CLASSES)))
    assert set(got.risk_dominant) == set(got.payoff_dominant) | {-2} == {-2, -1, 0, 1, 2, 3}
    assert set(got.phase) == set(range(len(PHASES)))
    assert got.continuum.any() and (got.count == 4).any()
    assert_matches_references(A, B)
    assert_matches_references(A, B, tol=0.5)


@pytest.mark.parametrize("tol", [0.0, 1e-12])
def test_near_ties(tol: float) -> None:
    rng = np.random.default_rng(RNG_SEED + 2)
    base = rng.integers(-2, 3, (2, 20_000, 2, 2)).astype(float)
    A, B = base + rng.choice([0.0, 1e-13, -1e-13, 2.0**-52], size=base.shape)
    assert_matches_references(A, B, tol=tol)
    # 0.1 + 0.2 against 0.3: a rounding error away from a tie
    A = np.array([[[0.1 + 0.2, 0.0], [0.3, 1.0]]])
    B = np.array([[[1.0, 0.0], [0.0, 1.0]]])
    assert_matches_references(A, B, tol=tol)


def test_extreme_magnitudes() -> None:
    rng = np.random.default_rng(RNG_SEED + 3)
    n = 20_000
    scale = 2.0 ** rng.integers(-1074, 1016, (2, n, 2, 2))
    A, B = rng.normal(size=(2, n, 2, 2)) * scale
    assert_matches_references(A, B)
    A = rng.normal(size=(n, 2, 2)) * 2.0 ** rng.integers(1010, 1017, (n, 1, 1))
    B = rng.normal(size=(n, 2, 2)) * 2.0 ** rng.integers(-1074, -1000, (n, 1, 1))
    assert_matches_references(A, B)


def test_one_game_and_input_errors() -> None:
    g = stag_hunt()
    one = analyse_2x2(g)
    assert (int(one.count[0]), CLASSES[one.game_class[0]], PHASES[one.phase[0]]) == (
        3,
        "stag_hunt",
        "coordination",
    )
    assert one.risk_dominant.tolist() == [3] and one.payoff_dominant.tolist() == [0]
    A, B = as_stacks(g)
    assert A.shape == B.shape == (1, 2, 2) and A.flags.c_contiguous
    with pytest.raises(InvalidGameError, match=r"A\[1, 0, 1\] is nan"):
        analyse_2x2(np.r_[g.A[None], [[[1.0, np.nan], [0, 0]]]], np.r_[g.B[None], g.B[None]])
    with pytest.raises(InvalidGameError, match="differences of B in game 0 overflow"):
        analyse_2x2(g.A, [[1e308, -1e308], [0.0, 0.0]])
    with pytest.raises(InvalidGameError, match="A has shape"):
        analyse_2x2(np.zeros((2, 2, 2)), np.zeros((3, 2, 2)))
    with pytest.raises(InvalidGameError, match=r"shape \(n, 2, 2\)"):
        analyse_2x2(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(InvalidGameError, match="tol"):
        analyse_2x2(g, tol=-1.0)
    with pytest.raises(InvalidGameError, match="2x2"):
        analyse_2x2(object())


def test_sweep_frame_equals_per_quantity_functions() -> None:
    grid = {"probability": np.linspace(0, 1, 41), "size": np.linspace(0, 6, 37)}
    frame = sweep("stag_hunt", grid, instruments=[Sanction()])
    p, s = np.meshgrid(grid["probability"], grid["size"], indexing="ij")
    A, B = stag_hunt().A, stag_hunt().B
    A, B = Sanction(probability=p.ravel(), size=s.ravel()).transform(
        np.broadcast_to(A, (p.size, 2, 2)), np.broadcast_to(B, (p.size, 2, 2))
    )
    tol = 1e-9
    res = equilibria_2x2(A, B, tol=tol)
    np.testing.assert_array_equal(frame["n_equilibria"], res.count)
    np.testing.assert_array_equal(frame["continuum"], res.continuum)
    np.testing.assert_array_equal(frame["comply_equilibrium"], res.pure[:, 0, 0])
    assert frame["game_class"].tolist() == [CLASSES[c] for c in ref_classify(A, B, tol)]
    labels = {0: "comply", 1: "comply/defect", 2: "defect/comply", 3: "defect", -1: "none"}
    labels[-2] = "tie"
    assert frame["risk_dominant"].tolist() == [labels[c] for c in ref_risk(A, B, tol)]
    assert frame["payoff_dominant"].tolist() == [labels[c] for c in ref_payoff(A, B, tol)]
    np.testing.assert_array_equal(frame[["q_star_row", "q_star_col"]], ref_threshold(A, B, tol))
    np.testing.assert_array_equal(frame["phase_code"], ref_phase(A, B, tol))
    assert frame["phase"].tolist() == [PHASES[c] for c in ref_phase(A, B, tol)]
    for col in ("game_class", "risk_dominant", "payoff_dominant", "phase"):
        assert isinstance(frame[col].dtype, pd.CategoricalDtype)


def test_sweep_chunks_concatenate_to_the_sweep() -> None:
    grid = {"probability": np.linspace(0, 1, 13), "size": np.linspace(0, 6, 11), "hare": [2, 3]}
    whole = sweep("stag_hunt", grid, instruments=[Sanction()])
    parts = list(sweep_chunks("stag_hunt", grid, instruments=[Sanction()], chunk_cells=37))
    assert [len(p) for p in parts] == [37] * 7 + [286 - 7 * 37]
    pd.testing.assert_frame_equal(pd.concat(parts), whole)
    assert parts[-1].attrs == whole.attrs
    with pytest.raises(InvalidGameError, match="chunk_cells"):
        sweep_chunks("stag_hunt", grid, chunk_cells=0)
