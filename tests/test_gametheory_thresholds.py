"""Compliance thresholds: closed forms vs Banks' formulas, brentq and the sweep; the Peru fine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from enforcement_lab.errors import InvalidGameError
from gametheory.games import (
    FAMILIES,
    assurance,
    bimatrix,
    prisoners_dilemma,
    race_to_the_bottom,
    stag_hunt,
)
from gametheory.instruments import (
    CapacityBuilding,
    ConditionalBenefit,
    Fine,
    Participation,
    Reputation,
    Sanction,
    TradeDiversion,
)
from gametheory.selection import PHASES, phase
from gametheory.solve import is_degenerate
from gametheory.sweep import sweep
from gametheory.thresholds import (
    ThresholdSearchError,
    compliance_thresholds,
    critical_value,
    fine_share_threshold,
    instrument_threshold,
    margin,
)

small = st.integers(-6, 6).map(float)


def test_stag_hunt_thresholds() -> None:
    t = compliance_thresholds(stag_hunt())
    assert (t.equilibrium, t.risk_dominant, t.dominant) == (-1.0, 1.0, 3.0)


def test_sanction_above_threshold_makes_compliance_dominant() -> None:
    g = stag_hunt()
    t = compliance_thresholds(g).dominant  # p*s must exceed 3
    for p in (0.25, 0.5, 1.0):
        s_star = t / p
        assert phase(g.adjust(Sanction(p, s_star * 1.001))) == "compliance dominant"
        assert phase(g.adjust(Sanction(p, s_star * 0.999))) != "compliance dominant"
        assert instrument_threshold(g, Sanction(probability=p), "size") == pytest.approx(s_star)
    # the probability needed for a sanction of size 2 would exceed 1: unreachable
    assert instrument_threshold(g, Sanction(size=2.0), "probability") == math.inf


@settings(max_examples=150, deadline=None)
@given(s=small, h=small, l=st.integers(1, 8).map(float), g=st.integers(0, 4).map(float))
def test_banks_formulas(s: float, h: float, l: float, g: float) -> None:  # noqa: E741
    assume(l > g)  # Banks' stag-hunt structure: sucker loss exceeds diversion gain
    t = compliance_thresholds(assurance(s, h, l, g))
    assert t.equilibrium == h + g - s
    assert t.dominant == h - s + l
    # risk dominance: h - s + (l + g)/2, which lies between the other two
    assert t.risk_dominant == pytest.approx(h - s + (l + g) / 2)


def _random_game(seed: int):
    rng = np.random.default_rng(seed)
    return bimatrix(rng.integers(-5, 6, (2, 2)), rng.integers(-5, 6, (2, 2)))


@pytest.mark.parametrize("players", ["both", "row", "column"])
@pytest.mark.parametrize("criterion", ["equilibrium", "risk_dominant", "dominant"])
def test_closed_form_matches_brentq(players: str, criterion: str) -> None:
    checked = 0
    for seed in range(200):
        g = _random_game(seed)
        if is_degenerate(g):  # weak vs strict boundaries: covered by the phase test
            continue
        closed = compliance_thresholds(g, players)[criterion]

        def shifted(x: float, g=g):
            return g.adjust(Sanction(1.0, x, players=players)) if x >= 0 else g

        # compare on the shift range [0, 40] where a sanction can act
        numeric = critical_value(shifted, criterion, 0.0, 40.0)
        expected = max(closed, 0.0) if closed <= 40 else math.inf
        if math.isinf(expected) or math.isinf(numeric):
            assert math.isinf(expected) == math.isinf(numeric), (seed, closed, numeric)
        else:
            assert numeric == pytest.approx(expected, abs=1e-9), (seed, closed, numeric)
        checked += 1
    assert checked > 100


@settings(max_examples=80, deadline=None)
@given(
    A=st.lists(small, min_size=4, max_size=4),
    B=st.lists(small, min_size=4, max_size=4),
    players=st.sampled_from(["both", "row", "column"]),
)
def test_phase_switches_exactly_at_thresholds(A: list[float], B: list[float], players) -> None:
    """Uniform and selective enforcement, degenerate games (ties) included."""
    g = bimatrix(np.reshape(A, (2, 2)), np.reshape(B, (2, 2)))
    t = compliance_thresholds(g, players)
    for delta in np.linspace(-15, 15, 61):
        A2, B2 = np.array(g.A), np.array(g.B)
        if players != "column":
            A2[0, :] += delta  # an additive shift of the advantage of complying
        if players != "row":
            B2[:, 0] += delta
        code = PHASES.index(phase(bimatrix(A2, B2)))
        if abs(delta - t.equilibrium) > 1e-9:
            assert (code >= 1) == (delta > t.equilibrium)
        if abs(delta - t.risk_dominant) > 1e-9:
            assert (code >= 2) == (delta > t.risk_dominant)
        if abs(delta - t.dominant) > 1e-9:
            assert (code == 3) == (delta > t.dominant)


def test_thresholds_against_sweep_grid() -> None:
    frame = sweep(
        "stag_hunt",
        {"probability": np.linspace(0, 1, 101), "size": np.linspace(0, 6, 121)},
        instruments=[Sanction()],
    )
    t = compliance_thresholds(stag_hunt())
    ps = frame["probability"] * frame["size"]
    away = lambda x: (ps - x).abs() > 1e-6  # noqa: E731
    m = away(t.risk_dominant)
    assert ((frame["phase_code"] >= 2)[m] == (ps > t.risk_dominant)[m]).all()
    m = away(t.dominant)
    assert ((frame["phase_code"] == 3)[m] == (ps > t.dominant)[m]).all()
    assert frame["comply_equilibrium"].all()  # (stag, stag) is always an equilibrium here


def test_selective_risk_dominance_with_an_indifferent_untargeted_player() -> None:
    # the column (not targeted) is exactly indifferent against a complying row (dB_0 = 0):
    # (comply, comply) is a weak equilibrium once the row's sanction exceeds 2, and then
    # (defect, defect) is not one (dB_1 = -2 < 0 but dA_1 + 2 > 0): risk-dominant from 2 on
    g = bimatrix([[-5, 1], [-3, 0]], [[5, 5], [-1, 1]])
    t = compliance_thresholds(g, "row")
    assert (t.equilibrium, t.risk_dominant, t.dominant) == (2.0, 2.0, math.inf)
    for size, expected in ((1.9, "no compliance"), (2.1, "compliance risk-dominant")):
        assert phase(g.adjust(Sanction(1.0, size, players="row"))) == expected
    assert instrument_threshold(g, Sanction(1.0, players="row"), "size", "risk_dominant") == 2.0


def test_selective_thresholds_against_sweep() -> None:
    # a sanction on the row player only: (comply, comply) becomes risk-dominant when
    # (1 + s) * 1 > (-3 + s) * (-3), i.e. s > 2; compliance is never dominant for both
    t = compliance_thresholds(stag_hunt(), "row")
    assert (t.equilibrium, t.risk_dominant, t.dominant) == (-1.0, 2.0, math.inf)
    sizes = np.linspace(0, 8, 161)
    frame = sweep("stag_hunt", {"size": sizes}, instruments=[Sanction(1.0, players="row")])
    away = np.abs(sizes - t.risk_dominant) > 1e-6
    assert ((frame["phase_code"] >= 2) == (sizes > t.risk_dominant))[away].all()
    assert (frame["phase_code"] < 3).all() and frame["comply_equilibrium"].all()


def test_parameter_without_effect_weak_equilibrium() -> None:
    # legitimacy does not move the shift when ownership = resentment = 0; (comply,
    # comply) is already a weak equilibrium (dA_0 = dB_0 = 0), so every value works
    g = bimatrix([[3, 0], [3, 3]], [[3, 3], [0, 3]])
    assert compliance_thresholds(g).equilibrium == 0.0
    inst = Participation(ownership=0.0)
    assert instrument_threshold(g, inst, "legitimacy", "equilibrium") == 0.0
    assert instrument_threshold(g, inst, "legitimacy", "dominant") == math.inf


def test_selective_enforcement_on_race_to_the_bottom() -> None:
    g = race_to_the_bottom()  # PD: gain 3 > value - cost 2 > 0, loss 4
    row_only = compliance_thresholds(g, "row")
    # the untargeted column still defects, so (comply, comply) can never be an equilibrium
    assert row_only.equilibrium == math.inf
    both = compliance_thresholds(g, "both")
    assert both.equilibrium == 1.0 and both.dominant == 2.0  # max(g, l) - (w - c) = 2


def test_instrument_thresholds_convert_exactly() -> None:
    g = stag_hunt()
    # benefit with imperfect detection and errors: shift b(m - eps)
    b = instrument_threshold(g, ConditionalBenefit(detection=0.9, error=0.1), "value", "dominant")
    assert b == pytest.approx(3.0 / 0.8)
    # diversion: the sanction loses leverage as alpha rises; largest alpha still dominant
    a = instrument_threshold(g, TradeDiversion(probability=1.0, size=6.0), "alpha", "dominant")
    assert a == pytest.approx(0.5)
    assert phase(g.adjust(TradeDiversion(a - 1e-6, 1.0, 6.0))) == "compliance dominant"
    assert phase(g.adjust(TradeDiversion(a + 1e-6, 1.0, 6.0))) != "compliance dominant"
    # participation: legitimacy needed with ownership 2, resentment 2 for risk dominance
    ell = instrument_threshold(
        g, Participation(ownership=2.0, resentment=2.0), "legitimacy", "risk_dominant"
    )
    assert ell == pytest.approx((1.0 + 2.0) / 4.0)
    with pytest.raises(InvalidGameError, match="no parameter"):
        instrument_threshold(g, Sanction(), "severity")


def test_participation_lowers_the_sanction_needed() -> None:
    g = stag_hunt()
    needed = [
        instrument_threshold(
            g.adjust(Participation(legitimacy=ell, resentment=1.0)), Sanction(1.0), "size"
        )
        for ell in (0.0, 0.5, 1.0)
    ]
    assert needed[0] > needed[1] > needed[2]


# -- Barenberg's Peru rule ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    A=st.lists(st.floats(-10, 10), min_size=4, max_size=4),
    B=st.lists(st.floats(-10, 10), min_size=4, max_size=4),
    theta=st.floats(0, 1),
    pursuit=st.floats(0, 1),
    weight=st.floats(0, 100),
    players=st.sampled_from(["row", "column", "both"]),
)
def test_peru_fine_never_makes_compliance_dominant(A, B, theta, pursuit, weight, players) -> None:
    g = bimatrix(np.reshape(A, (2, 2)), np.reshape(B, (2, 2)))
    fined = g.adjust(Fine(0.5, theta=theta, pursuit=pursuit, sector_weight=weight, players=players))
    for before, after in (
        (g.A[0] - g.A[1], fined.A[0] - fined.A[1]),
        (g.B[:, 0] - g.B[:, 1], fined.B[:, 0] - fined.B[:, 1]),
    ):
        # a violation that paid (gain > 0) still pays, by at least half the gain
        gain_before = -before
        gain_after = -after
        paid = gain_before > 0
        assert np.all(gain_after[paid] >= 0.5 * gain_before[paid] - 1e-9)
        # so compliance becomes strictly dominant only if it already was
        if not np.all(before > 0):
            assert not np.all(after > 0)


def test_peru_fine_threshold_is_never_half() -> None:
    for pursuit in np.linspace(0.05, 1, 20):
        for theta in np.linspace(0.05, 1, 20):
            assert fine_share_threshold(pursuit, theta) >= 1.0 > 0.5
    assert fine_share_threshold(1.0, 1.0, sector_weight=0.5) == math.inf
    assert fine_share_threshold(0.0, 1.0) == math.inf


def test_deterrence_rule_contrast() -> None:
    """Barenberg's reform: a penalty sufficient to deter (share above 1/(P theta)) works."""
    g = prisoners_dilemma()
    P, theta = 0.8, 0.9
    need = fine_share_threshold(P, theta, sector_weight=math.inf)
    ok = g.adjust(Fine(need * 1.01, theta=theta, pursuit=P, sector_weight=1e9))
    assert phase(ok) == "compliance dominant"
    assert phase(g.adjust(Fine(0.5, theta=theta, pursuit=P))) == "no compliance"
    x = instrument_threshold(
        g, Fine(theta=theta, pursuit=P, sector_weight=1e9), "share", "dominant"
    )
    assert x == pytest.approx(need, rel=1e-9)


def test_margin_and_errors() -> None:
    assert margin(stag_hunt(), "equilibrium") == 1.0
    assert margin(stag_hunt(), "dominant") == -3.0
    with pytest.raises(InvalidGameError, match="unknown criterion"):
        margin(stag_hunt(), "stable")  # type: ignore[arg-type]
    with pytest.raises(InvalidGameError, match="2x2"):
        compliance_thresholds(bimatrix(np.zeros((3, 3)), np.zeros((3, 3))))
    with pytest.raises(InvalidGameError, match="lo < hi"):
        critical_value(lambda x: stag_hunt(), "dominant", 1.0, 0.0)


_PHASE_CODE = {"equilibrium": 1, "risk_dominant": 2, "dominant": 3}
_INSTRUMENT_CASES = [  # instrument, swept parameter, grid (rising or falling shift)
    (Sanction(probability=0.5), "size", np.linspace(0, 16, 401)),
    (ConditionalBenefit(detection=0.9, error=0.1), "value", np.linspace(0, 10, 401)),
    (Reputation(), "cost", np.linspace(0, 8, 401)),
    (CapacityBuilding(), "cost_reduction", np.linspace(0, 8, 401)),
    (TradeDiversion(probability=1.0, size=6.0), "alpha", np.linspace(0, 1, 401)),
    (Participation(ownership=4.0, resentment=1.0), "legitimacy", np.linspace(0, 1, 401)),
    (Fine(theta=0.9, pursuit=0.8, sector_weight=1e9), "share", np.linspace(0, 4, 401)),
]


@pytest.mark.parametrize(
    "family", ["stag_hunt", "prisoners_dilemma", "race_to_the_bottom", "assurance"]
)
@pytest.mark.parametrize(("instrument", "parameter", "grid"), _INSTRUMENT_CASES)
def test_instrument_thresholds_against_sweep_for_every_family(
    family: str, instrument, parameter: str, grid: np.ndarray
) -> None:
    """Closed forms (additive instruments) and brentq (the Fine) against the swept phases."""
    game = FAMILIES[family].game()
    # qualified: race_to_the_bottom has its own "value" and "cost"
    frame = sweep(family, {f"{instrument.name}.{parameter}": grid}, instruments=[instrument])
    falling = parameter == "alpha"  # diversion: more alpha, less bite
    for criterion, code in _PHASE_CODE.items():
        x = instrument_threshold(game, instrument, parameter, criterion)  # type: ignore[arg-type]
        holds = (frame["phase_code"] >= code).to_numpy()
        expected = grid < x if falling else grid > x
        away = np.abs(grid - x) > 1e-6 if np.isfinite(x) else np.ones_like(grid, dtype=bool)
        assert (holds == expected)[away].all(), (family, parameter, criterion, x)


# --- weak criteria, flat margins, named errors ----------------------------------------------


def test_a_weak_equilibrium_already_holds() -> None:
    g = bimatrix([[1, 0], [0, 0]], [[0, 0], [0, 1]])  # column indifferent at (C, C)
    assert phase(g) == "coordination" and compliance_thresholds(g).equilibrium <= 0
    assert critical_value(lambda x: g, "equilibrium", 0.0, 10.0) == 0.0
    assert critical_value(lambda x: g.adjust(Sanction(1.0, x)), "equilibrium", 0.0, 10.0) == 0.0
    assert instrument_threshold(g, Fine(), "share", "equilibrium") == 0.0
    assert critical_value(lambda x: g, "dominant", 0.0, 10.0) == math.inf  # strict


def test_flat_fine_margin_needs_no_sign_change() -> None:
    g = bimatrix([[0, 2], [2, 2]], [[2, 3], [-3, -3]])
    fine = Fine(theta=0.28154, pursuit=0.98785, sector_weight=13.485)
    x = instrument_threshold(g, fine, "share", "risk_dominant")
    assert math.isfinite(x) and 0 < x < 13.485

    def at(share: float) -> int:
        return PHASES.index(phase(g.adjust(Fine(share, 0.28154, 0.98785, 13.485))))

    assert at(x) >= 2 and at(x - 1e-9) < 2  # the boundary, from the holding side
    # brute force: the first holding point of a grid is the same boundary (the margin
    # is flat above the sector weight, so the grid stops there)
    grid = np.linspace(0.0, 13.485, 1349)
    first = next(v for v in grid if at(v) >= 2)
    assert first - 0.01 <= x <= first
    assert instrument_threshold(g, fine, "share", "dominant") == math.inf


def test_search_failure_is_a_named_error() -> None:
    def family(x: float):
        if x > 0.5:
            raise InvalidGameError("payoffs must be finite")
        return stag_hunt()

    with pytest.raises(ThresholdSearchError, match=r"fine share over \[0.0, 1.0\]"):
        critical_value(family, "dominant", 0.0, 1.0, what="fine share")


def test_critical_value_agrees_with_phase_on_random_integer_games() -> None:
    """150 integer games x 3 criteria, ties included: the value holds, just below it
    does not, and it equals the closed form."""
    rng = np.random.default_rng(20)
    checked = 0
    for _ in range(150):
        A, B = rng.integers(-3, 4, size=(2, 2, 2))
        g = bimatrix(A, B)

        def family(x: float, g=g):
            return g.adjust(Sanction(1.0, x))

        t = compliance_thresholds(g)
        for criterion, level in _PHASE_CODE.items():
            x = critical_value(family, criterion, 0.0, 12.0)
            holds_at_zero = PHASES.index(phase(family(0.0))) >= level
            assert (x == 0.0) == holds_at_zero
            if math.isinf(x):
                assert t[criterion] >= 12.0 - 1e-9
                continue
            assert PHASES.index(phase(family(x))) >= level
            if x > 0:
                assert PHASES.index(phase(family(max(x - 1e-9, 0.0)))) < level
                assert x == pytest.approx(t[criterion], abs=1e-9)
            checked += 1
    assert checked > 200
