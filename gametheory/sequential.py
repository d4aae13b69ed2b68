"""Sequential and pipeline models of enforcement: credibility, delay, caps and targeting.

These are the parts of the seeds that a one-shot 2x2 game cannot express:

- :func:`credibility` - Barenberg's sanction credibility game (``002_fe9755c5db777969.txt``
  L225-231, L259, L603): a target complies or violates; the enforcer then sanctions or
  acquiesces at a geopolitical cost. Subgame-perfect equilibrium by backward induction;
  commitment (an independent commission, mandatory sanctions) makes the sanction happen
  with probability ``commitment`` whatever the enforcer would prefer; and
  :func:`observed_sanction_rate` shows why "if these 'adversarial' threats are
  sufficiently powerful, there is no need to actually use them" (L259).
- :class:`Pipeline` - the enforcement pipeline of Barenberg's Peru hypothetical
  (section VI, L775-951): stages with pass probabilities and delays give the expected
  discounted penalty; :func:`peru_existing` and :func:`peru_reformed` are the two
  parameter sets; the existing remedy lets Peru pay a fine of 50% of the benefits
  impaired (L813, L933-941, fn56 at L1035).
- :func:`taking_steps` - the GSP "taking steps" escape hatch (L227, L231, L613).
- :func:`statewide_sanction_game`, :func:`facility_sanction_game`,
  :func:`safe_harbor_game` and :func:`rrm_remediation` - LeClercq's state-wide versus
  facility-specific sanctions and the USMCA Rapid Response Mechanism
  (``003_2bd722cc361fa659.txt`` L340, L732, L1012, L1068).
- :func:`critical_discount_factor` - repeated play under grim trigger with imperfect
  monitoring (Menashe ``000_cdb709224d31b41b.txt`` L104; Banks on GATT trust,
  ``001_0ff89a4813f73384.txt`` L7479-7507).

These are closed forms of small extensive-form games; the tests check them against
brute-force backward induction and against nashpy on the induced normal forms.
Tie-break convention (LeClercq notes): a target indifferent between complying and
violating complies; an enforcer indifferent between sanctioning and acquiescing
acquiesces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.sources import BARENBERG

__all__ = [
    "PERU_STAGES",
    "Pipeline",
    "Stage",
    "credibility",
    "critical_discount_factor",
    "facility_sanction_game",
    "observed_sanction_rate",
    "peru_existing",
    "peru_reformed",
    "rrm_remediation",
    "safe_harbor_game",
    "statewide_sanction_game",
    "taking_steps",
]


def _prob(name: str, value: float) -> float:
    v = float(value)
    if not (np.isfinite(v) and 0.0 <= v <= 1.0):
        raise InvalidGameError(f"{name} must be a probability in [0, 1]; got {value}")
    return v


def _nonneg(name: str, value: float) -> float:
    v = float(value)
    if not (np.isfinite(v) and v >= 0.0):
        raise InvalidGameError(f"{name} must be a finite number >= 0; got {value}")
    return v


# ----------------------------------------------------------------------------------------
# sanction credibility (Barenberg M4)
# ----------------------------------------------------------------------------------------


def credibility(
    *,
    gain: float,
    sanction: float,
    enforcer_benefit: float,
    enforcer_cost: float,
    geopolitical_cost: float,
    acquiesce_cost: float = 0.0,
    commitment: float = 0.0,
    finding: float = 1.0,
) -> dict[str, float | bool]:
    """Subgame-perfect outcome of the sanction credibility game.

    The target complies (payoff 0) or violates (payoff ``gain``). After a violation the
    enforcer sanctions (target ``gain - sanction``, enforcer
    ``enforcer_benefit - enforcer_cost - geopolitical_cost``) or acquiesces (target
    ``gain``, enforcer ``-acquiesce_cost``). With probability ``commitment`` the enforcer's
    choice is replaced by a mandatory rule that always sanctions (an independent
    commission, ``002_fe9755c5db777969.txt`` L588, L603); ``finding`` is the probability
    that a violation is found at all.

    Returns
    -------
    dict
        ``credible`` (the discretionary enforcer sanctions), ``sanction_probability``
        (after a violation), ``complies`` (the target's SPE move),
        ``observed_sanctions`` (probability a sanction is seen on the equilibrium path).

    Examples
    --------
    Geopolitics makes the threat empty (Indonesia, Malaysia, Thailand: L225):

    >>> r = credibility(gain=1.0, sanction=2.0, enforcer_benefit=1.0, enforcer_cost=0.2,
    ...                 geopolitical_cost=1.5)
    >>> r["credible"], r["complies"]
    (False, False)

    A mandatory rule with probability 0.6 deters, and no sanction is ever observed:

    >>> r = credibility(gain=1.0, sanction=2.0, enforcer_benefit=1.0, enforcer_cost=0.2,
    ...                 geopolitical_cost=1.5, commitment=0.6)
    >>> r["complies"], r["observed_sanctions"]
    (True, 0.0)
    """
    gain = _nonneg("gain", gain)
    sanction = _nonneg("sanction", sanction)
    commitment = _prob("commitment", commitment)
    finding = _prob("finding", finding)
    for name, v in (
        ("enforcer_benefit", enforcer_benefit),
        ("enforcer_cost", enforcer_cost),
        ("geopolitical_cost", geopolitical_cost),
        ("acquiesce_cost", acquiesce_cost),
    ):
        if not np.isfinite(v):
            raise InvalidGameError(f"{name} must be finite; got {v}")
    credible = bool(enforcer_benefit - enforcer_cost - geopolitical_cost > -acquiesce_cost)
    p = finding * (commitment + (1.0 - commitment) * float(credible))
    complies = bool(p * sanction >= gain)
    return {
        "credible": credible,
        "sanction_probability": float(p),
        "expected_sanction": float(p * sanction),
        "complies": complies,
        "observed_sanctions": 0.0 if complies else float(p),
    }


def observed_sanction_rate(
    p: np.ndarray | float, sanction: float, gain_max: float
) -> np.ndarray | float:
    """Share of targets sanctioned when gains from violating are ``Uniform(0, gain_max)``.

    Targets with ``gain > p * sanction`` violate and are sanctioned with probability
    ``p``, so the rate is ``p * max(0, 1 - p * sanction / gain_max)``: zero both when
    enforcement is absent and when it is fully credible (L259). Rare sanctions are
    therefore observationally ambiguous.

    Examples
    --------
    >>> np.round(observed_sanction_rate(np.array([0.0, 0.25, 0.5, 1.0]), 2.0, 1.0), 3).tolist()
    [0.0, 0.125, 0.0, 0.0]
    """
    if gain_max <= 0:
        raise InvalidGameError(f"gain_max must be > 0; got {gain_max}")
    p = np.asarray(p, dtype=float)
    rate = p * np.clip(1.0 - p * sanction / gain_max, 0.0, 1.0)
    return float(rate) if rate.ndim == 0 else rate


# ----------------------------------------------------------------------------------------
# the enforcement pipeline (Barenberg section VI)
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    """One stage of an enforcement pipeline: pass probability, delay (days), citation."""

    name: str
    pass_probability: float
    delay_days: float
    citation: str = ""

    def __post_init__(self) -> None:
        _prob(f"pass probability of stage {self.name!r}", self.pass_probability)
        _nonneg(f"delay of stage {self.name!r}", self.delay_days)


@dataclass(frozen=True)
class Pipeline:
    """A chain of enforcement stages ending in a remedy.

    Parameters
    ----------
    stages : sequence of Stage
    remedy : {"fine_cap", "deterrent"}
        ``"fine_cap"`` - the existing U.S.-Peru remedy: sanctions equal to the benefits
        impaired ``L = theta * B`` on the sector (weighted ``sector_weight`` by the
        government), or a fine of ``fine_cap * L`` at Peru's option, whichever is
        cheaper (L813, L933, L939-941). ``"deterrent"`` - the reformed remedy: a sanction
        of ``sanction_multiple * B`` "sufficient to induce compliance" (L935-937).
    theta : float
        U.S. loss per unit of Peru's gain (fn56 at L1035 assumes 1; third-country
        substitution makes it smaller, L941).
    fine_cap, sector_weight, sanction_multiple : float
    annual_discount_rate : float
        Continuous annual rate used to discount the delay.
    """

    stages: tuple[Stage, ...]
    remedy: str = "fine_cap"
    theta: float = 1.0
    fine_cap: float = 0.5
    sector_weight: float = 1.0
    sanction_multiple: float = 1.0
    annual_discount_rate: float = 0.1
    name: str = "pipeline"
    citation: str = field(default="")

    def __post_init__(self) -> None:
        if self.remedy not in ("fine_cap", "deterrent"):
            raise InvalidGameError(
                f"unknown remedy {self.remedy!r}; choose 'fine_cap' or 'deterrent'"
            )
        for name in ("theta", "fine_cap", "sector_weight", "sanction_multiple"):
            _nonneg(name, getattr(self, name))
        _nonneg("annual_discount_rate", self.annual_discount_rate)
        object.__setattr__(self, "stages", tuple(self.stages))

    @property
    def pass_probability(self) -> float:
        """Probability that a violation travels through every stage."""
        return float(np.prod([s.pass_probability for s in self.stages]))

    @property
    def delay_days(self) -> float:
        """Total delay from violation to sanction, in days."""
        return float(sum(s.delay_days for s in self.stages))

    @property
    def discount(self) -> float:
        """Discount factor of the total delay, ``exp(-r * days / 365)``."""
        return float(np.exp(-self.annual_discount_rate * self.delay_days / 365.0))

    def penalty_per_unit_gain(self) -> float:
        """Sanction actually borne, per unit of the violator's gain ``B``."""
        if self.remedy == "fine_cap":
            return self.theta * min(self.sector_weight, self.fine_cap)
        return self.sanction_multiple

    def expected_penalty(self, gain: float = 1.0) -> float:
        """Expected discounted penalty ``P * delta^T * S_eff`` for a violation worth ``gain``."""
        return self.pass_probability * self.discount * self.penalty_per_unit_gain() * gain

    def deters(self, gain: float = 1.0) -> bool:
        """Whether the expected discounted penalty is at least the gain from violating."""
        return bool(self.expected_penalty(gain) >= gain)

    def required_sanction_multiple(self) -> float:
        """Sanction (per unit gain) a deterrent remedy needs: ``1 / (P * delta^T)``."""
        denom = self.pass_probability * self.discount
        return float(np.inf) if denom == 0 else 1.0 / denom

    def deterrence_theta(self) -> float:
        """Smallest ``theta`` (U.S. loss per unit of the violator's gain) at which the
        ``"fine_cap"`` remedy deters: ``1 / (P * delta^T * min(sector_weight, fine_cap))``.

        The existing remedy scales with the complainant's loss, not with the violator's
        gain (L939-941), so whether it deters depends on ``theta``, which endnote 56
        (L1035) sets to 1, "a reasonable assumption in many circumstances". ``inf`` when
        no ``theta`` deters (a stage that never passes, or a zero fine).

        Examples
        --------
        >>> every_stage = {name: 1.0 for name, *_ in PERU_STAGES["existing"]}
        >>> peru_existing(every_stage, extension_days=0, annual_discount_rate=0).deterrence_theta()
        2.0
        """
        if self.remedy != "fine_cap":
            raise InvalidGameError(
                "deterrence_theta applies to the 'fine_cap' remedy; a deterrent remedy is "
                "scaled to the violator's gain and does not depend on theta"
            )
        denom = self.pass_probability * self.discount * min(self.sector_weight, self.fine_cap)
        return float(np.inf) if denom == 0 else float(1.0 / denom)

    def with_stage(self, name: str, **changes: float) -> Pipeline:
        """A copy with stage ``name`` changed (``pass_probability`` or ``delay_days``)."""
        names = [s.name for s in self.stages]
        if name not in names:
            raise InvalidGameError(f"unknown stage {name!r}; stages are {names}")
        fields: dict[str, Any] = dict(changes)  # Stage's numeric fields, checked by Stage
        stages = tuple(replace(s, **fields) if s.name == name else s for s in self.stages)
        return replace(self, stages=stages)

    def summary(self, gain: float = 1.0) -> dict[str, float | bool]:
        """Scalars of the pipeline: pass probability, delay, discount, expected penalty."""
        return {
            "pass_probability": self.pass_probability,
            "delay_days": self.delay_days,
            "discount": self.discount,
            "penalty_per_unit_gain": self.penalty_per_unit_gain(),
            "expected_penalty": self.expected_penalty(gain),
            "deters": self.deters(gain),
            "required_sanction_multiple": self.required_sanction_multiple(),
        }


#: Stages of the existing U.S.-Peru agreement (Barenberg L783-843). Pass probabilities
#: are ILLUSTRATIVE defaults, not estimates: the paper gives none, only that the U.S.
#: has never filed a labor complaint (L793) and no case has reached arbitration (L281).
#: Delays are the paper's bounded deadlines (L795, L799, L807, L933) plus
#: ``extension_days`` for the "other period as they may agree" clauses.
PERU_STAGES: dict[str, list[tuple[str, float, float, str]]] = {
    "existing": [
        ("otla_accepts_and_investigates", 0.5, 180.0, "002:L785"),
        ("otla_reports_recommending_complaint", 0.5, 90.0, "002:L789"),
        ("executive_files_complaint", 0.1, 90.0, "002:L791-793"),
        ("consultations_and_labor_affairs_council", 0.5, 60.0, "002:L795"),
        ("commission_consultations_and_decision", 0.5, 90.0, "002:L797-799"),
        ("arbitral_panel_requested", 0.5, 30.0, "002:L801"),
        ("panel_finds_violation", 0.4, 150.0, "002:L803, L819-833"),
        ("sustained_or_recurring", 0.6, 0.0, "002:L835-837"),
        ("trade_effect_proven", 0.2, 0.0, "002:L839-843"),
        ("no_agreement_on_compensation", 0.5, 45.0, "002:L811, L933"),
        ("sanction_imposed_not_waived", 0.5, 30.0, "002:L813-815, L951"),
    ],
    "reformed": [
        ("complaint_filed_by_organisations_or_cilr", 0.95, 90.0, "002:L849-851, L869-881"),
        ("panel_convened", 1.0, 60.0, "002:L917"),
        ("panel_finds_violation", 0.8, 30.0, "002:L921-931"),
        ("sustained_or_recurring", 0.9, 0.0, "002:L835-837 (not removed by the reforms)"),
        ("sanction_imposed_not_waived", 0.95, 0.0, "002:L931, L949"),
    ],
}


def peru_existing(
    overrides: Mapping[str, float] | None = None,
    *,
    extension_days: float = 365.0,
    theta: float = 1.0,
    fine_cap: float = 0.5,
    sector_weight: float = 1.0,
    annual_discount_rate: float = 0.1,
) -> Pipeline:
    """The existing U.S.-Peru agreement as a pipeline (Barenberg L779-843).

    ``overrides`` maps stage names to new pass probabilities.

    Examples
    --------
    >>> pipe = peru_existing()
    >>> pipe.deters(), round(pipe.penalty_per_unit_gain(), 2)
    (False, 0.5)
    """
    stages = _build(PERU_STAGES["existing"], overrides)
    if extension_days:
        stages.append(
            Stage(
                "extensions_by_agreement",
                1.0,
                _nonneg("extension_days", extension_days),
                "002:L799, L807, L933",
            )
        )
    return Pipeline(
        stages=tuple(stages),
        remedy="fine_cap",
        theta=theta,
        fine_cap=fine_cap,
        sector_weight=sector_weight,
        annual_discount_rate=annual_discount_rate,
        name="peru_existing",
        citation=f"{BARENBERG}:L779-843, L933-941, L1035",
    )


def peru_reformed(
    overrides: Mapping[str, float] | None = None,
    *,
    sanction_multiple: float = 2.0,
    annual_discount_rate: float = 0.1,
) -> Pipeline:
    """The reformed agreement as a pipeline (Barenberg L845-951): direct complaints or a
    mandatory CILR filing, a panel within 60 days, a final decision within 90 days
    taking effect immediately, and deterrent sanctions (default 2x the gain:
    ILLUSTRATIVE; the paper asks only that it be "sufficient to induce compliance").

    Examples
    --------
    >>> pipe = peru_reformed()
    >>> pipe.deters(), round(pipe.required_sanction_multiple(), 3)
    (True, 1.617)
    """
    stages = _build(PERU_STAGES["reformed"], overrides)
    return Pipeline(
        stages=tuple(stages),
        remedy="deterrent",
        sanction_multiple=sanction_multiple,
        annual_discount_rate=annual_discount_rate,
        name="peru_reformed",
        citation=f"{BARENBERG}:L845-951",
    )


def _build(
    spec: Sequence[tuple[str, float, float, str]], overrides: Mapping[str, float] | None
) -> list[Stage]:
    overrides = dict(overrides or {})
    names = [n for n, *_ in spec]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise InvalidGameError(f"unknown pipeline stage(s) {unknown}; stages are {names}")
    return [Stage(n, overrides.get(n, p), d, c) for n, p, d, c in spec]


# ----------------------------------------------------------------------------------------
# "taking steps" vs actual compliance (Barenberg M8)
# ----------------------------------------------------------------------------------------


def taking_steps(
    *,
    cost_real: float,
    cost_cosmetic: float,
    sanction: float,
    review_probability: float = 1.0,
    steps_credit: float = 1.0,
    rule: str = "steps",
) -> dict[str, float | str]:
    """Real reform, cosmetic reform or nothing, under a "taking steps" or an
    actual-compliance rule (``002_fe9755c5db777969.txt`` L227, L231, L606, L613).

    Costs: real ``cost_real``, cosmetic ``cost_cosmetic`` (a bill introduced, not
    enacted: Guatemala 1988-1991, L231), none 0. A review happens with probability
    ``review_probability`` and sanctions non-compliance by ``sanction``. Under
    ``rule="steps"`` a cosmetic reform avoids the sanction with probability
    ``steps_credit``; under ``rule="actual"`` only real compliance counts (L613).

    Returns the chosen action and the expected cost of each action (ties go to the more
    compliant action).

    Examples
    --------
    >>> taking_steps(cost_real=3, cost_cosmetic=0.2, sanction=5)["choice"]
    'cosmetic'
    >>> taking_steps(cost_real=3, cost_cosmetic=0.2, sanction=5, rule="actual")["choice"]
    'real'
    """
    if rule not in ("steps", "actual"):
        raise InvalidGameError(f"unknown rule {rule!r}; choose 'steps' or 'actual'")
    cr = _nonneg("cost_real", cost_real)
    cc = _nonneg("cost_cosmetic", cost_cosmetic)
    s = _nonneg("sanction", sanction)
    p = _prob("review_probability", review_probability)
    psi = _prob("steps_credit", steps_credit) if rule == "steps" else 0.0
    costs = {"real": cr, "cosmetic": cc + p * (1.0 - psi) * s, "none": p * s}
    order = ["real", "cosmetic", "none"]  # tie-break: more compliant first
    choice = min(order, key=lambda a: (costs[a], order.index(a)))
    return {
        "choice": choice,
        "cost_real": costs["real"],
        "cost_cosmetic": costs["cosmetic"],
        "cost_none": costs["none"],
    }


# ----------------------------------------------------------------------------------------
# state-wide vs facility-specific sanctions (LeClercq G4, G8)
# ----------------------------------------------------------------------------------------


def statewide_sanction_game(
    *, value: float, cost: float, p1: float, p2: float, kappa: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two exporting firms under a state-wide sanction (LeClercq G4).

    A state-wide sanction removes market access ``value`` with probability ``p1`` if one
    firm violates and ``p2`` if both do; complying costs ``cost``; ``kappa`` is the extra
    competitive loss of a complier whose rival violates (trade vs non-trade sectors,
    ``003_2bd722cc361fa659.txt`` L1068). Strategy 0 = comply, 1 = violate.

    Returns the bimatrix ``(A, B)``.

    Examples
    --------
    >>> A, B = statewide_sanction_game(value=10, cost=3, p1=0.4, p2=0.5)
    >>> A.tolist()
    [[7.0, 3.0], [6.0, 5.0]]
    """
    value = _nonneg("value", value)
    cost = _nonneg("cost", cost)
    p1, p2 = _prob("p1", p1), _prob("p2", p2)
    kappa = _nonneg("kappa", kappa)
    A = np.array(
        [
            [value - cost, value * (1 - p1) - cost - kappa],
            [value * (1 - p1), value * (1 - p2)],
        ]
    )
    return A, A.T.copy()


def facility_sanction_game(
    *, value: float, cost: float, p_facility: float, kappa: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Two firms under facility-specific sanctions (USMCA Rapid Response, LeClercq L732).

    A violating facility loses ``p_facility * value`` whatever the other does, so
    complying is dominant iff ``cost + kappa <= p_facility * value`` ("break up the group
    of actors by rewarding good actors and punishing violators", L732).

    Examples
    --------
    >>> A, _ = facility_sanction_game(value=10, cost=3, p_facility=0.4)
    >>> A.tolist()
    [[7.0, 7.0], [6.0, 6.0]]
    """
    value = _nonneg("value", value)
    cost = _nonneg("cost", cost)
    pf = _prob("p_facility", p_facility)
    kappa = _nonneg("kappa", kappa)
    A = np.array([[value - cost, value - cost - kappa], [value * (1 - pf), value * (1 - pf)]])
    return A, A.T.copy()


def safe_harbor_game(
    *, value: float, cost: float, p1: float, p2: float, kappa: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """State-wide sanctions with a safe harbour for compliant facilities (LeClercq L1012).

    Compliers keep market access even when state-wide benefits are withdrawn.

    Examples
    --------
    >>> A, _ = safe_harbor_game(value=10, cost=3, p1=0.4, p2=0.5)
    >>> A.tolist()
    [[7.0, 7.0], [6.0, 5.0]]
    """
    A, _ = statewide_sanction_game(value=value, cost=cost, p1=p1, p2=p2, kappa=kappa)
    A = A.copy()
    A[0, 1] = value - cost - kappa
    return A, A.T.copy()


def rrm_remediation(
    *,
    remediation_cost: float,
    suspension_cost_per_month: float,
    months_to_resolution: float,
    finding_probability: float,
    further_penalty: float,
) -> dict[str, float | bool]:
    """Remediate or contest under the Rapid Response Mechanism (LeClercq G8, L340, L378).

    Customs liquidation is suspended "without advanced notice and before adjudication"
    (fn86, L340), costing ``suspension_cost_per_month`` until resolution; contesting risks
    ``further_penalty`` with probability ``finding_probability``. The facility
    remediates iff ``remediation_cost <= suspension + finding_probability * penalty``.

    Examples
    --------
    >>> rrm_remediation(remediation_cost=5, suspension_cost_per_month=1.0,
    ...                 months_to_resolution=4, finding_probability=0.5,
    ...                 further_penalty=4)["remediates"]
    True
    """
    c = _nonneg("remediation_cost", remediation_cost)
    d = _nonneg("suspension_cost_per_month", suspension_cost_per_month)
    t = _nonneg("months_to_resolution", months_to_resolution)
    v = _prob("finding_probability", finding_probability)
    pen = _nonneg("further_penalty", further_penalty)
    contest = d * t + v * pen
    return {"remediates": bool(c <= contest), "cost_of_contesting": float(contest)}


# ----------------------------------------------------------------------------------------
# repeated play (Menashe M2, Banks B10)
# ----------------------------------------------------------------------------------------


def critical_discount_factor(*, s: float, h: float, g: float, monitoring: float = 1.0) -> float:
    """Critical discount factor for compliance under grim trigger with imperfect monitoring.

    ``T = h + g`` (temptation), ``R = s`` (mutual compliance), ``P = h`` (mutual
    defection); a deviation is detected with probability ``monitoring``. Compliance is
    sustainable iff ``delta >= (T - R) / (T - R + mu (R - P))`` (Menashe L104: states
    "continue to constantly face strong incentives to defect", so cooperation needs
    "robust and reliable monitoring"). Returns 0 when there is no temptation (``T <= R``,
    the stag-hunt region), ``inf`` when mutual compliance is not better than mutual
    defection or monitoring is zero; a value ``>= 1`` means never sustainable.

    Examples
    --------
    >>> critical_discount_factor(s=3, h=1, g=3)           # (4-3)/(4-1)
    0.3333333333333333
    >>> critical_discount_factor(s=3, h=1, g=3, monitoring=0.5)
    0.5
    """
    mu = _prob("monitoring", monitoring)
    T, R, P_ = h + g, s, h
    if not all(np.isfinite(v) for v in (T, R, P_)):
        raise InvalidGameError("payoffs must be finite")
    if T <= R:
        return 0.0
    if R <= P_ or mu == 0.0:
        return float("inf")
    return float((T - R) / (T - R + mu * (R - P_)))
