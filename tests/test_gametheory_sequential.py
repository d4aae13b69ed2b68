"""Sequential and pipeline models: closed forms, brute-force backward induction, nashpy."""

from __future__ import annotations

import itertools
from dataclasses import replace

import nashpy as nash
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enforcement_lab.errors import InvalidGameError
from gametheory import sequential as sq

RNG = np.random.default_rng(3)
N_EXISTING = len(sq.PERU_STAGES["existing"])


# --- the Peru pipeline -----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    probs=st.lists(st.floats(0, 1), min_size=N_EXISTING, max_size=N_EXISTING),
    extension=st.floats(0, 3650),
    theta=st.floats(0, 1),
    sector_weight=st.floats(0, 100),
    rate=st.floats(0, 0.5),
    gain=st.floats(1e-6, 1e9),
)
def test_peru_pipeline_never_deters_with_a_50_percent_fine(
    probs, extension, theta, sector_weight, rate, gain
):
    names = [n for n, *_ in sq.PERU_STAGES["existing"]]
    pipe = sq.peru_existing(
        dict(zip(names, probs, strict=True)),
        extension_days=extension,
        theta=theta,
        sector_weight=sector_weight,
        annual_discount_rate=rate,
    )
    assert pipe.expected_penalty(gain) <= 0.5 * gain
    assert not pipe.deters(gain)


def test_peru_pipeline_dense_grid_even_with_certain_instant_enforcement():
    names = [n for n, *_ in sq.PERU_STAGES["existing"]]
    for p in np.linspace(0, 1, 21):
        pipe = sq.peru_existing(dict.fromkeys(names, p), extension_days=0, annual_discount_rate=0.0)
        assert not pipe.deters()
    best = sq.peru_existing(dict.fromkeys(names, 1.0), extension_days=0, annual_discount_rate=0)
    assert best.expected_penalty() == pytest.approx(0.5)


def test_pipeline_expected_penalty_formula_and_monotonicity():
    pipe = sq.peru_reformed()
    probs = [s.pass_probability for s in pipe.stages]
    days = sum(s.delay_days for s in pipe.stages)
    expected = np.prod(probs) * np.exp(-0.1 * days / 365) * 2.0
    assert pipe.expected_penalty() == pytest.approx(expected)
    assert pipe.deters()
    lower = pipe.with_stage("panel_finds_violation", pass_probability=0.4)
    assert lower.expected_penalty() < pipe.expected_penalty()
    slower = pipe.with_stage("panel_convened", delay_days=600.0)
    assert slower.expected_penalty() < pipe.expected_penalty()
    assert pipe.required_sanction_multiple() == pytest.approx(2.0 / pipe.expected_penalty())
    existing = sq.peru_existing()
    assert existing.delay_days > pipe.delay_days
    assert existing.pass_probability < pipe.pass_probability


def test_pipeline_rejects_bad_input():
    with pytest.raises(InvalidGameError, match="unknown pipeline stage"):
        sq.peru_existing({"no_such_stage": 0.5})
    with pytest.raises(InvalidGameError, match="probability"):
        sq.peru_reformed({"panel_convened": 1.5})
    with pytest.raises(InvalidGameError, match="remedy"):
        sq.Pipeline(stages=(), remedy="shaming")


# --- credibility -----------------------------------------------------------------------


def brute_force_spe(gain, sanction, benefit, cost, geo, acq, commitment, finding):
    """Backward induction over the explicit tree (target, then enforcer, then nature)."""
    enforcer = {"sanction": benefit - cost - geo, "acquiesce": -acq}
    sanctions = enforcer["sanction"] > enforcer["acquiesce"]
    p = finding * (commitment + (1 - commitment) * sanctions)
    value_violate = gain - p * sanction
    return value_violate <= 0.0


def random_credibility_args(
    *, min_gain: float = 0.0, min_finding: float = 0.0, no_commitment_half: bool = False
) -> dict[str, float]:
    """Random arguments of ``sq.credibility`` (with ``no_commitment_half``, commitment is 0
    in about half of the draws, so that the enforcer's own choice matters)."""
    commitment = RNG.uniform(0, 1) * (RNG.integers(0, 2) if no_commitment_half else 1)
    return dict(
        gain=RNG.uniform(min_gain, 3),
        sanction=RNG.uniform(0, 5),
        enforcer_benefit=RNG.uniform(-1, 3),
        enforcer_cost=RNG.uniform(0, 2),
        geopolitical_cost=RNG.uniform(0, 3),
        acquiesce_cost=RNG.uniform(0, 1),
        commitment=commitment,
        finding=RNG.uniform(min_finding, 1),
    )


def test_credibility_matches_brute_force_backward_induction():
    for _ in range(500):
        args = random_credibility_args()
        r = sq.credibility(**args)
        assert r["complies"] == brute_force_spe(*args.values())
        if r["complies"]:
            assert r["observed_sanctions"] == 0.0


def induced_normal_form(gain, sanction, benefit, cost, geo, acq, commitment, finding):
    """Target {comply, violate} x enforcer plan {sanction, acquiesce}, payoffs (T, E).

    Nature finds a violation with probability ``finding``; a found violation is then
    sanctioned by the mandatory rule with probability ``commitment`` and otherwise by
    the enforcer's plan. An unfound violation leaves the enforcer at ``-acq``.
    """
    sanction_payoff, acquiesce_payoff = benefit - cost - geo, -acq
    T = np.zeros((2, 2))
    E = np.zeros((2, 2))
    for j, plan_sanctions in enumerate((True, False)):
        p = finding * (commitment + (1 - commitment) * plan_sanctions)
        T[1, j] = gain - p * sanction
        E[1, j] = p * sanction_payoff + (1 - p) * acquiesce_payoff
    return T, E


def test_spe_is_a_nash_equilibrium_of_the_induced_normal_form_and_refines_it():
    empty_threats = 0
    for _ in range(400):
        args = random_credibility_args(min_gain=0.05, min_finding=0.2, no_commitment_half=True)
        T, E = induced_normal_form(*args.values())
        r = sq.credibility(**args)
        i = 0 if r["complies"] else 1
        j = 0 if r["credible"] else 1
        assert T[i, j] >= T[1 - i, j] - 1e-12 and E[i, j] >= E[i, 1 - j] - 1e-12
        pure = {
            (a, b)
            for a, b in itertools.product(range(2), repeat=2)
            if T[a, b] >= T[1 - a, b] - 1e-12 and E[a, b] >= E[a, 1 - b] - 1e-12
        }
        assert (i, j) in pure
        # a non-credible threat that would deter is a Nash but not a subgame-perfect
        # equilibrium: (comply, "sanction") survives only off the equilibrium path
        if not r["credible"] and not r["complies"] and T[1, 0] <= 0:
            assert (0, 0) in pure
            empty_threats += 1
    assert empty_threats > 10


def test_commitment_strictly_enlarges_the_compliance_region():
    gains = np.linspace(0.05, 3, 30)
    sanctions = np.linspace(0, 5, 30)
    geos = np.linspace(0, 3, 20)
    base = dict(enforcer_benefit=1.0, enforcer_cost=0.3, acquiesce_cost=0.2)
    for mu in (0.1, 0.3, 0.7, 1.0):
        without, with_ = 0, 0
        for gain, s, geo in itertools.product(gains, sanctions, geos):
            a = sq.credibility(gain=gain, sanction=s, geopolitical_cost=geo, **base)["complies"]
            b = sq.credibility(gain=gain, sanction=s, geopolitical_cost=geo, commitment=mu, **base)[
                "complies"
            ]
            assert b or not a  # never loses a complying point
            without += a
            with_ += b
        assert with_ > without


def test_credible_regime_shows_no_sanctions():
    p = np.linspace(0, 1, 101)
    rate = sq.observed_sanction_rate(p, sanction=2.0, gain_max=1.0)
    assert rate[0] == 0.0 and np.all(rate[p >= 0.5] == 0.0)
    assert rate.max() > 0.1
    assert np.argmax(rate) == 25  # p = gain_max / (2 s)


# --- taking steps ----------------------------------------------------------------------


def test_taking_steps_rule_never_yields_real_reform_when_bills_count():
    for _ in range(300):
        cr = RNG.uniform(0.01, 5)
        cc = RNG.uniform(0, cr * 0.99)
        s, p = RNG.uniform(0, 10), RNG.uniform(0, 1)
        steps = sq.taking_steps(
            cost_real=cr, cost_cosmetic=cc, sanction=s, review_probability=p, steps_credit=1.0
        )
        assert steps["choice"] != "real"
        actual = sq.taking_steps(
            cost_real=cr, cost_cosmetic=cc, sanction=s, review_probability=p, rule="actual"
        )
        assert (actual["choice"] == "real") == (cr <= p * s)
        assert actual["choice"] != "cosmetic" or cc == 0


# --- state-wide vs facility sanctions --------------------------------------------------


def pure_equilibria(A, B):
    eqs = nash.Game(A, B).support_enumeration()
    return {
        (int(np.argmax(r)), int(np.argmax(c))) for r, c in eqs if r.max() == 1.0 and c.max() == 1.0
    }


def test_statewide_sanction_is_a_stag_hunt_exactly_in_the_band():
    for _ in range(300):
        M = RNG.uniform(1, 10)
        p1 = RNG.uniform(0, 1)
        p2 = RNG.uniform(p1, min(1, 2 * p1) if p1 > 0 else 1)
        c = RNG.uniform(0, M)
        A, B = sq.statewide_sanction_game(value=M, cost=c, p1=p1, p2=p2)
        if min(abs(c - p1 * M), abs(c - (p2 - p1) * M)) < 1e-6:
            continue
        eqs = pure_equilibria(A, B)
        band = (p2 - p1) * M < c < p1 * M
        assert ((0, 0) in eqs and (1, 1) in eqs) == band
        assert ((0, 0) in eqs) == (c < p1 * M)


def test_facility_sanctions_and_safe_harbour_make_compliance_dominant():
    for _ in range(300):
        M, c = RNG.uniform(1, 10), RNG.uniform(0, 5)
        pf, p1 = RNG.uniform(0, 1), RNG.uniform(0, 1)
        p2 = RNG.uniform(p1, 1)
        A, B = sq.facility_sanction_game(value=M, cost=c, p_facility=pf)
        if abs(c - pf * M) > 1e-6:
            assert (pure_equilibria(A, B) == {(0, 0)}) == (c < pf * M)
            assert np.all(A[0] > A[1]) == (c < pf * M)
        A, B = sq.safe_harbor_game(value=M, cost=c, p1=p1, p2=p2)
        if abs(c - p1 * M) > 1e-6:
            assert (np.all(A[0] > A[1])) == (c < p1 * M)
            if c < p1 * M:
                assert pure_equilibria(A, B) == {(0, 0)}


def test_rrm_remediation_condition():
    r = sq.rrm_remediation(
        remediation_cost=3,
        suspension_cost_per_month=0.5,
        months_to_resolution=2,
        finding_probability=0.5,
        further_penalty=2,
    )
    assert r["cost_of_contesting"] == pytest.approx(2.0) and not r["remediates"]


# --- repeated play ---------------------------------------------------------------------


def cooperation_sustainable(delta, s, h, g, mu):
    """Compare values directly: comply forever vs deviate once (one-shot deviation)."""
    T, R, P = h + g, s, h
    v_c = R / (1 - delta)
    v_dev = T + delta * (mu * P / (1 - delta) + (1 - mu) * v_c)
    return v_c >= v_dev - 1e-12


def test_critical_discount_factor_against_value_comparison():
    for _ in range(300):
        h = RNG.uniform(0, 2)
        s = h + RNG.uniform(0.1, 2)
        g = RNG.uniform(0, 4)
        mu = RNG.uniform(0.05, 1)
        d_star = sq.critical_discount_factor(s=s, h=h, g=g, monitoring=mu)
        for delta in np.linspace(0.01, 0.99, 25):
            if abs(delta - d_star) < 1e-9:
                continue
            assert cooperation_sustainable(delta, s, h, g, mu) == (delta >= d_star)


def test_critical_discount_factor_textbook_and_monotone_in_monitoring():
    assert sq.critical_discount_factor(s=3, h=1, g=4) == pytest.approx((5 - 3) / (5 - 1))
    mus = np.linspace(0.05, 1, 20)
    ds = [sq.critical_discount_factor(s=3, h=1, g=4, monitoring=m) for m in mus]
    assert np.all(np.diff(ds) < 0)
    assert sq.critical_discount_factor(s=4, h=3, g=0) == 0.0  # stag hunt: no temptation
    assert sq.critical_discount_factor(s=1, h=1, g=1) == float("inf")


def test_deterrence_theta_is_the_boundary_of_deterrence():
    rng = np.random.default_rng(5)
    names = [n for n, *_ in sq.PERU_STAGES["existing"]]
    for _ in range(200):
        probs = {n: float(rng.uniform(0.2, 1.0)) for n in names}
        pipe = sq.peru_existing(
            probs,
            fine_cap=float(rng.uniform(0.05, 1.0)),
            sector_weight=float(rng.uniform(0.05, 2.0)),
            annual_discount_rate=float(rng.uniform(0.0, 0.3)),
        )
        theta = pipe.deterrence_theta()
        # closed form from the stage probabilities and delays directly
        P = np.prod([probs[n] for n in names])
        days = sum(d for *_, d, _ in sq.PERU_STAGES["existing"]) + 365.0
        disc = np.exp(-pipe.annual_discount_rate * days / 365.0)
        assert theta == pytest.approx(1.0 / (P * disc * min(pipe.sector_weight, pipe.fine_cap)))
        assert replace(pipe, theta=theta * (1 + 1e-9)).deters()
        assert not replace(pipe, theta=theta * (1 - 1e-9)).deters()
    assert sq.peru_existing({names[0]: 0.0}).deterrence_theta() == np.inf
    with pytest.raises(InvalidGameError, match="fine_cap"):
        sq.peru_reformed().deterrence_theta()
