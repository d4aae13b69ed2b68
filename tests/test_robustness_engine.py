"""The fast engine (econometrics.robustness.engine) equals linearmodels to 1e-8.

Random specifications (estimator, covariance, control subset) on unbalanced panels
with missing values are fitted with the vectorised engine and, one at a time, with
linearmodels PanelOLS / PooledOLS / RandomEffects; every coefficient and standard error
must agree.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linearmodels import PanelOLS, PooledOLS, RandomEffects

from econometrics.robustness.engine import (
    EFFECT_SETS,
    AbsorbedPanel,
    CovSpec,
    FitBatch,
    FitRequest,
    RandomEffectsPanel,
    absorb,
)
from enforcement_lab.data.synthetic import twfe_panel

CONTROLS = ("x1", "x2", "x3", "x4", "x5")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

COVS = (
    CovSpec("unadjusted"),
    CovSpec("robust"),
    CovSpec("clustered", "entity"),
    CovSpec("clustered", "time"),
    CovSpec("clustered", "twoway"),
    CovSpec("clustered", "entity", group_debias=True),
    CovSpec("driscoll-kraay"),
    CovSpec("driscoll-kraay", bandwidth=2),
)


def ragged_panel(seed: int, n: int = 30, t: int = 10) -> pd.DataFrame:
    """Synthetic TWFE panel, 15% of rows dropped, 5% of each control missing."""
    df = twfe_panel(n, t, seed=seed, gamma=(0.3, -0.2, 0.1, 0.0, 0.5))
    rng = np.random.default_rng(seed)
    df = df[rng.random(len(df)) > 0.15].copy()
    for c in CONTROLS:
        df.loc[rng.random(len(df)) < 0.05, c] = np.nan
    return df


def linearmodels_fit(df: pd.DataFrame, regs: tuple[str, ...], effects: str, cov: CovSpec):
    d = df[["y", *regs]].dropna()
    x = d[list(regs)].copy()
    x.insert(0, "const", 1.0)
    if effects == "pooled":
        model = PooledOLS(d["y"], x)
    else:
        eff = EFFECT_SETS[effects]
        model = PanelOLS(d["y"], x, entity_effects="entity" in eff, time_effects="time" in eff)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(**cov.linearmodels_kwargs())
        return res.params.to_numpy(), res.std_errors.to_numpy(), res


def engine_fit(df: pd.DataFrame, regs: tuple[str, ...], effects: str, covs):
    d = df[["y", *regs]].dropna()
    ent = d.index.get_level_values(0).to_numpy()
    tim = d.index.get_level_values(1).to_numpy()
    panel = AbsorbedPanel(d.to_numpy(), ["y", *regs], ent, tim, EFFECT_SETS[effects])
    reqs = [FitRequest("y", regs, "treatment", c) for c in covs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return panel.fit(reqs, all_coefs=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_specifications_equal_linearmodels(seed: int) -> None:
    df = ragged_panel(seed)
    rng = np.random.default_rng(100 + seed)
    for _ in range(14):
        effects = str(rng.choice(list(EFFECT_SETS)))
        k = int(rng.integers(0, len(CONTROLS) + 1))
        regs = ("treatment", *sorted(rng.choice(CONTROLS, k, replace=False).tolist()))
        cov = COVS[int(rng.integers(len(COVS)))]
        batch = engine_fit(df, regs, effects, [cov])
        params, ses, res = linearmodels_fit(df, regs, effects, cov)
        assert batch.status[0] == "ok"
        np.testing.assert_allclose(batch.all_params[0], params, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(batch.all_std_errors[0], ses, rtol=1e-8, atol=1e-12)
        assert batch.params[0] == pytest.approx(res.params["treatment"], rel=1e-10)
        assert batch.nobs[0] == res.nobs and batch.df_resid[0] == res.df_resid
        np.testing.assert_allclose(
            batch.pvalues()[0], res.pvalues["treatment"], rtol=1e-6, atol=1e-300
        )
        lo, hi = batch.conf_int(0.95)
        np.testing.assert_allclose([lo[0], hi[0]], res.conf_int().loc["treatment"], rtol=1e-8)


def test_every_covariance_in_one_vectorised_batch() -> None:
    """All covariances and control subsets of one sample fitted in one call."""
    df = ragged_panel(7).dropna()  # one complete-case sample shared by every subset
    subsets = [
        ("treatment",),
        ("treatment", "x1"),
        ("treatment", "x2", "x4"),
        ("treatment", *CONTROLS),
    ]
    for effects in EFFECT_SETS:
        ent = df.index.get_level_values(0).to_numpy()
        tim = df.index.get_level_values(1).to_numpy()
        cols = ["y", "treatment", *CONTROLS]
        panel = AbsorbedPanel(df[cols].to_numpy(), cols, ent, tim, EFFECT_SETS[effects])
        reqs = [FitRequest("y", s, "treatment", c) for s in subsets for c in COVS]
        batch = panel.fit(reqs, all_coefs=True)
        for i, r in enumerate(reqs):
            params, ses, _ = linearmodels_fit(df, r.regressors, effects, r.cov)
            np.testing.assert_allclose(batch.all_params[i], params, rtol=1e-8, atol=1e-12)
            np.testing.assert_allclose(batch.all_std_errors[i], ses, rtol=1e-8, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 9),
    t=st.integers(2, 7),
    keep=st.floats(0.5, 1.0),
    effects=st.sampled_from([("entity",), ("time",), ("entity", "time")]),
)
def test_absorb_equals_dummy_regression(seed, n, t, keep, effects) -> None:
    """The exact demeaning equals residuals on the effect dummies (LSDV), any panel shape."""
    rng = np.random.default_rng(seed)
    e, tt = np.repeat(np.arange(n), t), np.tile(np.arange(t), n)
    rows = rng.random(n * t) < keep
    rows[0] = True
    e, tt = e[rows], tt[rows]
    e = np.unique(e, return_inverse=True)[1]
    tt = np.unique(tt, return_inverse=True)[1]
    z = rng.normal(size=(len(e), 3))
    dummies = [np.eye(e.max() + 1)[e]] if "entity" in effects else []
    if "time" in effects:
        dummies.append(np.eye(tt.max() + 1)[tt])
    d = np.hstack(dummies)
    expected = z - d @ np.linalg.lstsq(d, z, rcond=None)[0]
    np.testing.assert_allclose(absorb(z, e, tt, effects), expected, atol=1e-9)


def test_absorbed_regressor_is_reported_not_fitted() -> None:
    df = ragged_panel(3).dropna().copy()
    df["fixed"] = df.groupby(level=0)["x1"].transform("mean")  # constant within entity
    ent, tim = df.index.get_level_values(0), df.index.get_level_values(1)
    cols = ["y", "treatment", "fixed"]
    panel = AbsorbedPanel(df[cols].to_numpy(), cols, ent.to_numpy(), tim.to_numpy(), ("entity",))
    batch = panel.fit([FitRequest("y", ("treatment", "fixed"), "treatment")])
    assert batch.status[0] == "absorbed: fixed" and np.isnan(batch.params[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_effects_equal_linearmodels(seed: int) -> None:
    """RandomEffectsPanel: linearmodels' RandomEffects on one shared sample, every covariance.

    A time-invariant control (no within variation) is estimable under random effects and
    must be handled as linearmodels does (no within rank).
    """
    df = ragged_panel(seed).dropna().copy()
    df["fixed"] = df.groupby(level=0)["x1"].transform("mean")
    cols = ["y", "treatment", *CONTROLS, "fixed"]
    ent = df.index.get_level_values(0).to_numpy()
    tim = df.index.get_level_values(1).to_numpy()
    panel = RandomEffectsPanel(df[cols].to_numpy(), cols, ent, tim)
    rng = np.random.default_rng(200 + seed)
    reqs = []
    for _ in range(12):
        k = int(rng.integers(0, len(CONTROLS) + 2))
        pool = [*CONTROLS, "fixed"]
        regs = ("treatment", *sorted(rng.choice(pool, k, replace=False).tolist()))
        reqs.append(FitRequest("y", regs, "treatment", COVS[int(rng.integers(len(COVS)))]))
    reqs.append(FitRequest("y", ("treatment", "x1", "fixed"), "treatment", CovSpec("clustered")))
    batch = panel.fit(reqs, all_coefs=True)
    for i, r in enumerate(reqs):
        x = df[list(r.regressors)].copy()
        x.insert(0, "const", 1.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = RandomEffects(df["y"], x).fit(**r.cov.linearmodels_kwargs())
        assert batch.status[i] == "ok"
        np.testing.assert_allclose(batch.all_params[i], res.params, rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(batch.all_std_errors[i], res.std_errors, rtol=1e-8, atol=1e-12)
        assert batch.nobs[i] == res.nobs and batch.df_resid[i] == res.df_resid
        np.testing.assert_allclose(
            batch.pvalues()[i], res.pvalues["treatment"], rtol=1e-6, atol=1e-300
        )
        lo, hi = batch.conf_int(0.9)
        np.testing.assert_allclose(
            [lo[i], hi[i]], res.conf_int(0.9).loc["treatment"], rtol=1e-8, atol=1e-12
        )


def test_driscoll_kraay_bandwidth_fails_only_its_requests() -> None:
    """A bandwidth too large for the periods fails the Driscoll-Kraay fits, not the others."""
    df = ragged_panel(5).dropna()
    df = df[df.index.get_level_values(1) <= df.index.get_level_values(1).min() + 2]  # 3 years
    cols = ["y", "treatment", "x1"]
    ent = df.index.get_level_values(0).to_numpy()
    tim = df.index.get_level_values(1).to_numpy()
    covs = [CovSpec("clustered"), CovSpec("driscoll-kraay", bandwidth=3), CovSpec("robust")]
    reqs = [FitRequest("y", ("treatment", "x1"), "treatment", c) for c in covs]
    for panel in (
        AbsorbedPanel(df[cols].to_numpy(), cols, ent, tim, ("entity",)),
        RandomEffectsPanel(df[cols].to_numpy(), cols, ent, tim),
    ):
        batch = panel.fit(reqs)
        assert batch.status[0] == batch.status[2] == "ok"
        assert batch.status[1].startswith("failed: Driscoll-Kraay bandwidth 3")
        assert np.isnan(batch.params[1]) and np.isfinite(batch.std_errors[[0, 2]]).all()


def test_random_effects_batched_equal_one_by_one() -> None:
    """The batched random-effects path (variance components of every model at once, cross-
    products from the sample's) gives the one-by-one least-squares numbers to 1e-10; a
    time-invariant regressor (no within rank) takes the one-by-one path."""
    import itertools

    df = ragged_panel(7).dropna().copy()
    df["fixed"] = df.groupby(level=0)["x1"].transform("mean")
    cols = ["y", "treatment", *CONTROLS, "fixed"]
    ent = df.index.get_level_values(0).to_numpy()
    tim = df.index.get_level_values(1).to_numpy()
    panel = RandomEffectsPanel(df[cols].to_numpy(), cols, ent, tim)
    reqs = [
        FitRequest("y", ("treatment", *c), "treatment", cov)
        for r in range(len(CONTROLS) + 1)
        for c in itertools.combinations(CONTROLS, r)
        for cov in COVS
    ]
    reqs.append(FitRequest("y", ("treatment", "x1", "fixed"), "treatment", CovSpec("clustered")))
    fast = FitBatch.empty(reqs, panel.nobs, all_coefs=True)
    done = panel._fit_batched(reqs, fast, all_coefs=True)
    assert done == set(range(len(reqs) - 1))  # all but the time-invariant regressor
    slow = FitBatch.empty(reqs, panel.nobs, all_coefs=True)
    for i, r in enumerate(reqs):
        panel._fit_one(i, r, slow, all_coefs=True)
    for i in done:
        assert fast.status[i] == slow.status[i] == "ok"
        np.testing.assert_allclose(fast.all_params[i], slow.all_params[i], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(
            fast.all_std_errors[i], slow.all_std_errors[i], rtol=1e-10, atol=1e-13
        )
        assert fast.df_resid[i] == slow.df_resid[i] and fast.nclusters[i] == slow.nclusters[i]
    batch = panel.fit(reqs)
    np.testing.assert_allclose(batch.params, slow.params, rtol=1e-10)
