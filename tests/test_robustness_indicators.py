"""Two-way fixed-effects fits on one-hot indicator blocks (``fit_indicators``) equal the
dense engine (``AbsorbedPanel.fit_full`` on the dummies) on random panels; the shared
pieces (group sums, the two-way projection) equal their references."""

from __future__ import annotations

import numpy as np
import pytest

from econometrics.covariance import Covariance
from econometrics.robustness.engine import AbsorbedPanel, TwoWay, _indicator, group_sums
from econometrics.robustness.indicators import fit_indicators

COVS = [
    Covariance(),
    Covariance(cluster="time"),
    Covariance(kind="unadjusted"),
    Covariance(group_debias=True),
    Covariance(debiased=False),
]


def _case(seed: int):
    """A random unbalanced (or balanced) panel with indicators, controls and an outcome."""
    rng = np.random.default_rng(seed)
    n_e, n_t = int(rng.integers(8, 40)), int(rng.integers(4, 15))
    if seed % 3 == 0:
        n_e, n_t = n_t, n_e  # more periods than entities: the time dimension is demeaned
    ent, tim = np.repeat(np.arange(n_e), n_t), np.tile(np.arange(n_t), n_e)
    keep = rng.random(n_e * n_t) > (0.15 if seed % 2 else 0.0)
    ent, tim = ent[keep], tim[keep]
    n = len(ent)
    m = int(rng.integers(1, 12))
    cells = np.where(rng.random(n) < 0.6, rng.integers(0, m, n), -1)
    cells[:m] = np.arange(m)  # every indicator has a row
    x = rng.normal(size=(n, int(rng.integers(0, 3))))
    y = rng.normal(size=n) + (cells == 0) + x.sum(1)
    return y, cells, m, x, ent * 7 + 3, tim + 1990  # labels, not codes


def _dense(cells: np.ndarray, m: int) -> np.ndarray:
    d = np.zeros((len(cells), m))
    on = np.flatnonzero(cells >= 0)
    d[on, cells[on]] = 1.0
    return d


@pytest.mark.parametrize("seed", range(24))
def test_equals_dense_engine(seed):
    y, cells, m, x, ent, tim = _case(seed)
    names = [f"c{j}" for j in range(m)] + [f"x{j}" for j in range(x.shape[1])]
    panel = AbsorbedPanel(np.c_[y, _dense(cells, m), x], ["y", *names], ent, tim, constant=False)
    for cov in COVS:
        ref = panel.fit_full("y", names, cov)
        got = fit_indicators(y, cells, names[:m], x, names[m:], ent, tim, cov)
        assert got.names == ref.names
        assert (got.nobs, got.df_resid, got.nclusters) == (ref.nobs, ref.df_resid, ref.nclusters)
        np.testing.assert_allclose(got.params, ref.params, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got.cov, ref.cov, rtol=1e-9, atol=1e-14 * np.abs(ref.cov).max())


def test_errors_name_the_problem():
    ent, tim = np.repeat(np.arange(10), 5), np.tile(np.arange(5), 10)
    y = np.random.default_rng(1).normal(size=50)
    none = np.empty((50, 0))
    with pytest.raises(ValueError, match="absorbed by the fixed effects: c0"):
        fit_indicators(y, np.where(ent == 2, 0, -1), ["c0"], none, [], ent, tim)
    with pytest.raises(ValueError, match="absorbed by the fixed effects: c0"):
        fit_indicators(y, np.where(tim == 3, 0, -1), ["c0"], none, [], ent, tim)
    both = np.where(ent < 3, np.where(tim < 2, 0, 1), -1)  # c0 + c1: entity dummies
    with pytest.raises(ValueError, match="collinear"):
        fit_indicators(y, both, ["c0", "c1"], none, [], ent, tim)
    with pytest.raises(ValueError, match="without rows"):
        fit_indicators(y, np.where(ent == 2, 0, -1), ["c0", "c1"], none, [], ent, tim)
    with pytest.raises(ValueError, match="cell codes"):
        fit_indicators(y, np.full(50, 3), ["c0"], none, [], ent, tim)
    one = y[:, None] ** 2
    with pytest.raises(ValueError, match="not supported"):
        fit_indicators(y, np.full(50, -1), [], one, ["x"], ent, tim, Covariance(kind="robust"))
    with pytest.raises(ValueError, match="missing"):
        fit_indicators(np.r_[np.nan, y[1:]], np.full(50, -1), [], one, ["x"], ent, tim)
    with pytest.raises(ValueError, match="no regressors"):
        fit_indicators(y, np.full(50, -1), [], none, [], ent, tim)
    four = np.random.default_rng(2).normal(size=(9, 4))  # 3 x 3 panel: 4 = (3-1)(3-1)
    e3, t3 = np.repeat(np.arange(3), 3), np.tile(np.arange(3), 3)
    with pytest.raises(ValueError, match="residual degrees"):
        fit_indicators(y[:9], np.full(9, -1), [], four, list("abcd"), e3, t3)


@pytest.mark.parametrize("width", [1, 3, 8, 9, 40])
def test_group_sums_are_the_indicator_product_bit_for_bit(width):
    rng = np.random.default_rng(width)
    codes = rng.integers(0, 17, 500)
    z = rng.normal(size=(500, width)) * 10.0 ** rng.integers(-8, 8, size=(500, width))
    want = np.asarray(_indicator(codes, 17) @ z)
    assert np.array_equal(group_sums(codes, 17, z), want)


@pytest.mark.parametrize("seed", range(6))
def test_two_way_projection_is_the_dummy_regression_residual(seed):
    y, _, _, x, ent, tim = _case(seed)
    e, t = np.unique(ent, return_inverse=True)[1], np.unique(tim, return_inverse=True)[1]
    z = np.c_[y, x]
    dummies = np.c_[_dense(e, e.max() + 1), _dense(t, t.max() + 1)]
    resid = z - dummies @ np.linalg.lstsq(dummies, z, rcond=None)[0]
    np.testing.assert_allclose(TwoWay(e, t).absorb(z), resid, atol=1e-10)
    factored = TwoWay(e, t, factor=True)
    assert factored._inverse is not None  # a connected panel: solved by its inverse
    np.testing.assert_allclose(factored.absorb(z), resid, atol=1e-10)


def test_two_way_projection_of_a_disconnected_panel_keeps_least_squares():
    # two blocks of entities observed in disjoint periods: Q'Q is singular
    e = np.repeat(np.arange(6), 4)
    t = np.tile(np.arange(4), 6) + 4 * (e >= 3)
    z = np.random.default_rng(0).normal(size=(len(e), 2))
    dummies = np.c_[_dense(e, 6), _dense(t, 8)]
    resid = z - dummies @ np.linalg.lstsq(dummies, z, rcond=None)[0]
    factored = TwoWay(e, t, factor=True)
    assert factored._inverse is None
    np.testing.assert_allclose(factored.absorb(z), resid, atol=1e-10)
    np.testing.assert_array_equal(factored.absorb(z), TwoWay(e, t).absorb(z))
