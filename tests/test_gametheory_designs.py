"""The catalogue of designs and models: interface, citations, agreement with direct computation."""

from __future__ import annotations

import re

import nashpy as nash
import numpy as np
import pandas as pd
import pytest

from enforcement_lab.errors import InvalidGameError
from gametheory import designs as ds
from gametheory.dynamics import basins_2x2
from gametheory.games import EnforcementGame, assurance
from gametheory.instruments import ConditionalBenefit, Reputation, Sanction
from gametheory.models import MODELS

RNG = np.random.default_rng(5)
SEED = re.compile(r"00[0-3]_[0-9a-f]{16}\.txt:L\d+")

REQUIRED_DESIGNS = {
    "ilo_supervision",
    "complaint_adjudication",
    "us_gsp_taking_steps",
    "us_cambodia_textiles",
    "leveraged_deliberative_cooperation",
    "barenberg_ideal",
    "barenberg_incremental",
    "leclercq_participatory",
    "usmca_rapid_response",
}
REQUIRED_MODELS = {
    "n_player_threshold",
    "moran",
    "credibility",
    "peru_pipeline",
    "taking_steps",
    "facility_sanctions",
    "repeated_play",
    "outside_competitor",
    "focal_point",
}


def pure_nash(game: EnforcementGame) -> set[tuple[int, int]]:
    out = set()
    for i in range(2):
        for j in range(2):
            if game.A[i, j] >= game.A[1 - i, j] and game.B[i, j] >= game.B[i, 1 - j]:
                out.add((i, j))
    return out


def random_params(d: ds.Design) -> dict[str, float]:
    return {k: float(RNG.uniform(*d.ranges[k])) for k in d.defaults}


def test_catalogue_has_every_required_design_with_citations_and_ranges():
    assert REQUIRED_DESIGNS <= set(ds.DESIGNS)
    for name, d in ds.DESIGNS.items():
        assert d.name == name
        assert d.description and SEED.search(d.citation), name
        assert set(ds.BASE_DEFAULTS) <= set(d.defaults)
        assert set(d.ranges) == set(d.defaults)
        for k, (lo, hi) in d.ranges.items():
            assert lo <= d.defaults[k] <= hi, (name, k)
        assert d.lever in d.defaults
        g = d.game()
        assert isinstance(g, EnforcementGame)
        assert g.params["design"] == name and g.source == d.citation


def test_unknown_or_bad_parameter_is_named():
    d = ds.DESIGNS["complaint_adjudication"]
    with pytest.raises(InvalidGameError, match="'sanction_sise'"):
        d.game(sanction_sise=3.0)
    with pytest.raises(InvalidGameError, match="'filing'"):
        d.game(filing=float("nan"))
    with pytest.raises(InvalidGameError, match="unknown design 'nope'"):
        ds.get("nope")


def test_design_game_equals_explicit_instruments():
    d = ds.DESIGNS["complaint_adjudication"]
    p = {"filing": 0.5, "finding": 0.6, "imposition": 0.5, "sanction_size": 5.0}
    expected = assurance().adjust(
        Sanction(probability=0.15, size=5.0), Reputation(cost=d.defaults["judgment_reputation"])
    )
    np.testing.assert_allclose(d.game(**p).A, expected.A)
    np.testing.assert_allclose(d.game(**p).B, expected.B)
    cam = ds.DESIGNS["us_cambodia_textiles"].game(quota_bonus=2.0, naming_cost=0.0)
    manual = assurance().adjust(ConditionalBenefit(2.0, detection=0.9, error=0.05))
    np.testing.assert_allclose(cam.A, manual.A)


def test_design_on_a_given_base_game():
    base = assurance(s=5, h=4, l=6, g=0.5)
    d = ds.DESIGNS["ilo_supervision"]
    g = d.game(base)
    np.testing.assert_allclose(g.A, base.adjust(*d.instruments()).A)


def test_vectorised_arrays_equal_one_game_at_a_time():
    for d in ds.DESIGNS.values():
        pts = [random_params(d) for _ in range(6)]
        stacked = {k: np.array([p[k] for p in pts]) for k in d.defaults}
        A, B = d.arrays(**stacked)
        for i, p in enumerate(pts):
            g = d.game(**p)
            np.testing.assert_allclose(A[i], g.A, atol=1e-12, err_msg=d.name)
            np.testing.assert_allclose(B[i], g.B, atol=1e-12, err_msg=d.name)


def test_classify_agrees_with_pure_equilibria():
    for _ in range(300):
        A = RNG.uniform(-3, 3, size=(2, 2))
        g = EnforcementGame(A, A.T)
        cls = ds.classify_2x2(g.A, g.B).item()
        eq = pure_nash(g)
        if cls == "stag_hunt":
            assert eq == {(0, 0), (1, 1)}
        if cls == "harmony":
            assert eq == {(0, 0)}
        if cls in ("prisoners_dilemma", "deadlock"):
            assert eq == {(1, 1)}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return ds.compare(basin_n=31)


def test_compare_agrees_with_direct_computation(table):
    assert set(table.index) == set(ds.DESIGNS)
    games = {name: d.game() for name, d in ds.DESIGNS.items()}
    res = basins_2x2(
        np.stack([g.A for g in games.values()]), np.stack([g.B for g in games.values()]), n=31
    )
    for k, (name, g) in enumerate(games.items()):
        row = table.loc[name]
        eqs = list(nash.Game(g.A, g.B).support_enumeration())
        assert row["n_equilibria"] == len(eqs)
        assert row["cc_nash"] == ((0, 0) in pure_nash(g))
        assert row["basin_share"] == pytest.approx(res.share(0)[k])
        a0 = g.A[0, 1] - g.A[1, 1]
        a1 = g.A[0, 0] - g.A[1, 0] - a0
        assert row["q_star_row"] == pytest.approx(np.clip(-a0 / a1, 0, 1))


def test_critical_lever_values_are_thresholds(table):
    for name, d in ds.DESIGNS.items():
        crit = table.loc[name, "critical_risk_dominant"]
        lo, hi = d.ranges[d.lever]
        if np.isnan(crit) or crit <= lo:
            continue
        above = d.game(**{d.lever: min(crit + 1e-6, hi)})
        below = d.game(**{d.lever: crit - 1e-6})
        assert bool(ds._cc_status(above.A, above.B)["cc_risk_dominant"])
        assert not bool(ds._cc_status(below.A, below.B)["cc_risk_dominant"])


def test_fifty_percent_fine_design_never_makes_compliance_dominant():
    d = ds.DESIGNS["peru_fta_existing"]
    for pursuit in np.linspace(0, 1, 11):
        for theta in np.linspace(0, 1, 6):
            for sw in (0.0, 0.5, 1.0, 5.0):
                g = d.game(pursuit=pursuit, theta=theta, sector_weight=sw)
                assert not bool(ds._cc_status(g.A, g.B)["dominant"])


def test_compare_with_grid_equals_loop():
    grid = {"h": [2.5, 3.0, 3.5], "l": [2.0, 5.0]}
    df = ds.compare(["us_gsp_taking_steps", "barenberg_ideal"], grid=grid, basin_n=15)
    for name in df.index:
        d = ds.DESIGNS[name]
        hits = [(0, 0) in pure_nash(d.game(h=h, l=l_)) for h in grid["h"] for l_ in grid["l"]]
        assert df.loc[name, "grid_cc_nash"] == pytest.approx(np.mean(hits))
        assert 0 <= df.loc[name, "grid_basin_share"] <= 1


def test_compare_rejects_bad_grid_and_base():
    with pytest.raises(InvalidGameError, match="grid parameters"):
        ds.compare(["ilo_supervision"], grid={"shaming_cost": [0, 1]})
    with pytest.raises(InvalidGameError, match="unknown base parameter"):
        ds.compare(["ilo_supervision"], base={"x": 1.0})


# --- models ----------------------------------------------------------------------------


def test_models_catalogue_interface():
    assert REQUIRED_MODELS <= set(MODELS)
    for name, m in MODELS.items():
        assert m.name == name and m.description and SEED.search(m.citation), name
        out = m.evaluate()
        assert out and all(isinstance(v, (int, float, bool, str)) for v in out.values()), name
        with pytest.raises(InvalidGameError, match="'not_a_parameter'"):
            m.evaluate(not_a_parameter=1)


def test_models_coerce_cli_strings_and_reject_bad_values():
    m = MODELS["n_player_threshold"]
    assert m.evaluate(N="4", M="4")["banks_closed_form"] == pytest.approx((3 / 4) ** (1 / 3))
    with pytest.raises(InvalidGameError, match="'N'"):
        m.evaluate(N="4.5")
    with pytest.raises(InvalidGameError, match="'s'"):
        m.evaluate(s="abc")


def test_model_values_match_underlying_functions():
    r = MODELS["n_player_threshold"].evaluate(N=8, M=8)
    assert r["lowest_interior_rest_point"] == pytest.approx(r["banks_closed_form"])
    assert MODELS["moran"].evaluate(intensity=0.0, Z=25)["fixation_C"] == pytest.approx(1 / 25)
    names = [k for k in MODELS["peru_pipeline"].defaults if k.startswith("existing_")]
    for _ in range(30):
        over = {k: float(RNG.uniform()) for k in names}
        assert not MODELS["peru_pipeline"].evaluate(**over)["existing_deters"]
    assert MODELS["credibility"].evaluate(commitment=0.6)["complies"]
    assert not MODELS["credibility"].evaluate()["complies"]
    f = MODELS["facility_sanctions"].evaluate()
    assert f["statewide_stag_hunt"] and f["facility_comply_dominant"]


def test_basin_curve_equals_basins_one_value_at_a_time():
    values = [0.0, 0.5, 1.5, 3.0]
    curve = ds.basin_curve("complaint_adjudication", "sanction_size", values, n=25, filing=1.0)
    d = ds.DESIGNS["complaint_adjudication"]
    for v, share in zip(values, curve, strict=True):
        g = d.game(sanction_size=v, filing=1.0)
        assert share == pytest.approx(basins_2x2(g, n=25).share(0))
    assert np.all(np.diff(curve) >= 0)
    with pytest.raises(InvalidGameError, match="'bonus'"):
        ds.basin_curve("us_cambodia_textiles", "bonus", [1.0])


def test_design_parameters_accept_numeric_strings():
    d = ds.DESIGNS["complaint_adjudication"]
    np.testing.assert_allclose(d.game(sanction_size="5").A, d.game(sanction_size=5.0).A)
    with pytest.raises(InvalidGameError, match="'sanction_size'"):
        d.game(sanction_size="five")
