"""The catalogue of models beyond a 2x2 bimatrix, evaluated by name.

Each :class:`Model` wraps one model of :mod:`gametheory.nplayer`, :mod:`gametheory.moran`,
:mod:`gametheory.sequential`, :mod:`gametheory.focal` or :mod:`gametheory.dynamics`
behind a uniform interface: ``defaults`` (every parameter with its default; the
defaults are illustrative, the seeds give no numbers) and ``evaluate(**params)``
returning a flat ``dict`` of scalars. The CLI resolves models by name through
:data:`MODELS`.

Examples
--------
>>> MODELS["repeated_play"].evaluate(s=3, h=1, g=3)["delta_star"]
0.3333333333333333
>>> MODELS["peru_pipeline"].evaluate()["existing_deters"]
False
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.registries import Registry, coerce_params
from enforcement_lab.sources import BANKS, BARENBERG, LECLERCQ, MENASHE
from gametheory import focal, nplayer, sequential
from gametheory.moran import FinitePopulation

__all__ = ["MODELS", "Model", "get"]


Scalar = float | int | bool | str


@dataclass(frozen=True)
class Model:
    """A named model: ``evaluate(**params)`` returns a dict of scalars."""

    name: str
    description: str
    citation: str
    defaults: Mapping[str, Scalar]
    function: Callable[[dict[str, Any]], dict[str, Scalar]]

    def params(self, **params: Any) -> dict[str, Any]:
        """Defaults overridden by ``params``, each converted to its default's type
        (:func:`enforcement_lab.registries.coerce_params`); unknown names raise
        InvalidGameError."""
        return coerce_params(f"model {self.name!r}", self.defaults, params)

    def evaluate(self, **params: Any) -> dict[str, Scalar]:
        """Evaluate the model at the defaults overridden by ``params``."""
        return self.function(self.params(**params))


def get(name: str) -> Model:
    """The model called ``name``; unknown names raise InvalidGameError listing them."""
    return MODELS.get(name)


# ----------------------------------------------------------------------------------------
# model functions
# ----------------------------------------------------------------------------------------

_BASE = {"s": 4.0, "l": 4.0, "h": 3.0, "g": 0.0}


def _threshold(p: dict[str, Any]) -> int:
    """The threshold ``M``; ``M = 0`` (the default) means unanimity, ``M = N``.

    With a fixed default threshold a sweep over ``N`` alone would hit ``M > N``.
    """
    return int(p["N"]) if p["M"] == 0 else int(p["M"])


def _n_player(p: dict[str, Any]) -> dict[str, Scalar]:
    M = _threshold(p)
    game = nplayer.ThresholdStagHunt(
        N=p["N"],
        M=M,
        s=p["s"],
        l=p["l"],
        h=p["h"],
        g=p["g"],
        delta=p["delta"],
        risk=p["risk"],
    )
    roots = game.interior_roots()
    stab = dict(game.stability())
    out: dict[str, Scalar] = {
        "n_interior_rest_points": len(roots),
        "lowest_interior_rest_point": roots[0] if roots else float("nan"),
        "highest_interior_rest_point": roots[-1] if roots else float("nan"),
        "all_comply_stable": stab[1.0] == "stable",
        "all_defect_stable": stab[0.0] == "stable",
        "compliance_basin": game.compliance_basin(),
        "pure_equilibria_complier_counts": " ".join(map(str, game.pure_equilibria())),
    }
    out["threshold_M"] = M
    if M == p["N"] and p["g"] == 0 and p["risk"] == 0:
        out["banks_closed_form"] = nplayer.banks_tipping_share(
            p["N"], p["s"], p["l"], p["h"], p["delta"]
        )
    return out


def _outside(p: dict[str, Any]) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    for target in ("nash", "risk_dominant", "dominant"):
        r = nplayer.outside_competitor(
            p["s"],
            p["l"],
            p["h"],
            p["g"],
            l_c=p["l_c"],
            m=p["m"],
            eps=p["eps"],
            other=p["other"],
            target=target,
        )
        out[f"b_star_{target}"] = r["b_star"]
    out["trust_only_fails"] = r["trust_only_fails"]
    out["tipping_share_without_benefit"] = r["tipping_share_without_benefit"]
    return out


def _moran(p: dict[str, Any]) -> dict[str, Scalar]:
    M = _threshold(p)
    if p["N"] == 2 and M == 2:
        game: Any = np.array([[p["s"], p["s"] - p["l"]], [p["h"] + p["g"], p["h"]]])
    else:
        game = nplayer.ThresholdStagHunt(N=p["N"], M=M, s=p["s"], l=p["l"], h=p["h"], g=p["g"])
    pop = FinitePopulation(
        Z=p["Z"], game=game, intensity=p["intensity"], rule=p["rule"], mu=p["mu"]
    )
    rc, rd = pop.fixation_probability("C"), pop.fixation_probability("D")
    out: dict[str, Scalar] = {
        "fixation_C": rc,
        "fixation_D": rd,
        "neutral": 1.0 / p["Z"],
        "C_favoured": rc > 1.0 / p["Z"],
        "small_mutation_share_all_C": pop.small_mutation_limit()["all_C"],
    }
    if p["mu"] > 0:
        stat = pop.stationary()
        out["stationary_mean_compliance"] = float(stat @ np.arange(p["Z"] + 1) / p["Z"])
    return out


def _credibility(p: dict[str, Any]) -> dict[str, Scalar]:
    keys = (
        "gain",
        "sanction",
        "enforcer_benefit",
        "enforcer_cost",
        "geopolitical_cost",
        "acquiesce_cost",
        "commitment",
        "finding",
    )
    return dict(sequential.credibility(**{k: p[k] for k in keys}))


def _pipeline(p: dict[str, Any]) -> dict[str, Scalar]:
    ex = {k[len("existing_") :]: v for k, v in p.items() if k.startswith("existing_")}
    re_ = {k[len("reformed_") :]: v for k, v in p.items() if k.startswith("reformed_")}
    existing = sequential.peru_existing(
        ex,
        extension_days=p["extension_days"],
        theta=p["theta"],
        fine_cap=p["fine_cap"],
        sector_weight=p["sector_weight"],
        annual_discount_rate=p["annual_discount_rate"],
    )
    reformed = sequential.peru_reformed(
        re_,
        sanction_multiple=p["sanction_multiple"],
        annual_discount_rate=p["annual_discount_rate"],
    )
    out: dict[str, Scalar] = {}
    for label, pipe in (("existing", existing), ("reformed", reformed)):
        for key, value in pipe.summary().items():
            out[f"{label}_{key}"] = value
    return out


def _sanction_for_real_reform(
    cost_real: float, cost_cosmetic: float, p: float, psi: float
) -> float:
    """Smallest sanction at which real reform is chosen (``inf`` if none suffices).

    Real reform (cost ``c_R``) beats doing nothing iff ``c_R <= p s`` and beats a cosmetic
    reform iff ``c_R <= c_C + p (1 - psi) s`` (:func:`gametheory.sequential.taking_steps`),
    so ``s* = max(c_R / p, (c_R - c_C) / (p (1 - psi)))``; with ``psi = 1`` (a bill counts
    as "taking steps", ``002_fe9755c5db777969.txt`` L231) no sanction makes real reform
    worth its cost when it costs more than the bill.
    """
    if cost_real == 0:
        return 0.0
    if p == 0:
        return float("inf")
    need = cost_real / p
    gap = cost_real - cost_cosmetic
    if gap > 0:
        if psi >= 1:
            return float("inf")
        need = max(need, gap / (p * (1 - psi)))
    return float(need)


def _taking_steps(p: dict[str, Any]) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {}
    costs: dict[str, float] = {}
    for rule in ("steps", "actual"):
        r = sequential.taking_steps(
            cost_real=p["cost_real"],
            cost_cosmetic=p["cost_cosmetic"],
            sanction=p["sanction"],
            review_probability=p["review_probability"],
            steps_credit=p["steps_credit"],
            rule=rule,
        )
        out[f"choice_{rule}_rule"] = r["choice"]
        costs[f"expected_cost_cosmetic_{rule}_rule"] = float(r["cost_cosmetic"])
        costs["expected_cost_none"] = float(r["cost_none"])
    out["real_reform_under_steps_rule"] = out["choice_steps_rule"] == "real"
    out["real_reform_under_actual_rule"] = out["choice_actual_rule"] == "real"
    out["expected_cost_real"] = float(p["cost_real"])
    out.update(costs)
    for rule, psi in (("steps", p["steps_credit"]), ("actual", 0.0)):
        out[f"sanction_needed_{rule}_rule"] = _sanction_for_real_reform(
            p["cost_real"], p["cost_cosmetic"], p["review_probability"], psi
        )
    return out


def _facility(p: dict[str, Any]) -> dict[str, Scalar]:
    M, c, p1, p2, kappa = p["value"], p["cost"], p["p1"], p["p2"], p["kappa"]
    A, _ = sequential.statewide_sanction_game(value=M, cost=c, p1=p1, p2=p2, kappa=kappa)
    cc = A[0, 0] >= A[1, 0]
    dd = A[1, 1] >= A[0, 1]
    Af, _ = sequential.facility_sanction_game(
        value=M, cost=c, p_facility=p["p_facility"], kappa=kappa
    )
    As, _ = sequential.safe_harbor_game(value=M, cost=c, p1=p1, p2=p2, kappa=kappa)
    denom = (A[0, 0] - A[1, 0]) - (A[0, 1] - A[1, 1])
    sigma = (A[1, 1] - A[0, 1]) / denom if denom != 0 else float("nan")
    rrm = sequential.rrm_remediation(
        remediation_cost=p["remediation_cost"],
        suspension_cost_per_month=p["suspension_cost_per_month"],
        months_to_resolution=p["months_to_resolution"],
        finding_probability=p["finding_probability"],
        further_penalty=p["further_penalty"],
    )
    return {
        "statewide_cc_equilibrium": bool(cc),
        "statewide_dd_equilibrium": bool(dd),
        "statewide_stag_hunt": bool(cc and dd),
        "statewide_mixed_comply_probability": float(sigma) if cc and dd else float("nan"),
        "facility_comply_dominant": bool(np.all(Af[0] >= Af[1])),
        "safe_harbor_comply_dominant": bool(np.all(As[0] >= As[1])),
        "rrm_remediates": rrm["remediates"],
    }


def _repeated(p: dict[str, Any]) -> dict[str, Scalar]:
    d = sequential.critical_discount_factor(
        s=p["s"], h=p["h"], g=p["g"], monitoring=p["monitoring"]
    )
    return {"delta_star": d, "sustainable_at_delta": bool(p["delta"] >= d and d < 1)}


def _assurance_matrix(p: dict[str, Any]) -> np.ndarray:
    """Row payoffs of the assurance game with a net adjustment ``delta`` (0 if absent) on
    complying."""
    s, l_, h, g, d = p["s"], p["l"], p["h"], p["g"], p.get("delta", 0.0)
    return np.array([[s + d, s - l_ + d], [h + g, h]])


def _q_star(p: dict[str, Any]) -> float:
    """Tipping belief ``(h - s + l - delta) / (l - g)``, clipped to [0, 1] (nan if l <= g)."""
    denom = p["l"] - p["g"]
    if denom <= 0:
        return float("nan")
    shift = p["h"] - p["s"] + p["l"] - p.get("delta", 0.0)
    return float(np.clip(shift / denom, 0.0, 1.0))


def _focal(p: dict[str, Any]) -> dict[str, Scalar]:
    from scipy.stats import beta as beta_dist

    A = _assurance_matrix(p)
    lo, hi = focal.compliance_range(A)
    ce = focal.correlated_equilibrium(A)
    q = _q_star(p)
    out: dict[str, Scalar] = {
        "q_star": q,
        "tipping_share_homogeneous": focal.tipping_share(q) if np.isfinite(q) else float("nan"),
        "ce_min_joint_compliance": lo,
        "ce_max_joint_compliance": hi,
        "welfare_ce_joint_compliance": float(ce[0, 0]),
    }
    if np.isfinite(q) and 0 < q < 1 and p["concentration"] > 0:
        k = p["concentration"]
        F = beta_dist(q * k, (1 - q) * k).cdf
        out["tipping_share_heterogeneous"] = focal.tipping_share(F)
    return out


def _basins(p: dict[str, Any]) -> dict[str, Scalar]:
    from gametheory.dynamics import basins_2x2, symmetric_basin_share

    A = _assurance_matrix(p)
    res = basins_2x2(A, n=p["n"])
    return {
        "two_population_basin_share": float(res.share(0)),
        "two_population_undecided": float(res.share(-1)),
        "one_population_basin_share": symmetric_basin_share(A, n=max(p["n"], 101)).share,
    }


def _dynamics(p: dict[str, Any]) -> dict[str, Scalar]:
    from gametheory import dynamics

    for key in ("x0", "y0"):
        if not 0.0 <= p[key] <= 1.0:
            raise InvalidGameError(f"model 'evolutionary_dynamics' needs {key} in [0, 1]")
    if p["t_max"] <= 0:
        raise InvalidGameError("model 'evolutionary_dynamics' needs t_max > 0")
    A = _assurance_matrix(p)
    x0, y0, t = p["x0"], p["y0"], p["t_max"]
    dt = min(0.05, t / 10)
    xr, yr = dynamics.integrate_replicator(A, A.T, [x0, 1.0 - x0], [y0, 1.0 - y0], t_max=t, dt=dt)
    xb, yb = dynamics.best_response_dynamics(A, None, x0, y0, t_max=t, dt=dt)
    xl, yl = dynamics.logit_dynamics(A, None, x0, y0, beta=p["beta"], t_max=t, dt=dt)
    return {
        "q_star": _q_star(p),
        "replicator_x": float(xr[0]),
        "replicator_y": float(yr[0]),
        "best_response_x": float(xb),
        "best_response_y": float(yb),
        "logit_x": float(xl),
        "logit_y": float(yl),
    }


def _contagion(p: dict[str, Any]) -> dict[str, Scalar]:
    from gametheory.dynamics import local_contagion

    q = _q_star(p)
    if not np.isfinite(q):
        raise InvalidGameError(
            "model 'peer_contagion' needs l > g: complying must pay more the more "
            "neighbours comply (a threshold rule)"
        )
    final = float(local_contagion(q, n=p["n"], k=p["k"], seed_size=p["seed_size"])[0])
    return {"q_star": q, "final_share": final, "spreads": final == 1.0}


def _stages(kind: str) -> dict[str, float]:
    return {f"{kind}_{n}": p for n, p, _, _ in sequential.PERU_STAGES[kind]}


_MODELS: dict[str, Model] = {
    m.name: m
    for m in (
        Model(
            "n_player_threshold",
            "N-state threshold stag hunt / collective-risk game: interior rest points of the "
            "replicator gradient, compliance basin and pure equilibria as functions of N, M "
            "(M = 0: unanimity, M = N).",
            f"{BANKS}:L2415-2481 (above six players, L2458-2463)",
            {"N": 6, "M": 0, **_BASE, "delta": 0.0, "risk": 0.0},
            _n_player,
        ),
        Model(
            "outside_competitor",
            "Banks' China problem: a non-member takes l_c from every complier; the "
            "conditional benefit b* needed for compliance to be an equilibrium, "
            "risk-dominant or dominant.",
            f"{BANKS}:L2491-2527, L7570-7584",
            {**_BASE, "l_c": 1.5, "m": 0.9, "eps": 0.05, "other": 0.0},
            _outside,
        ),
        Model(
            "moran",
            "Finite population of Z states (Moran or Fermi update, selection intensity): "
            "fixation probabilities of compliance and defection, small-mutation limit, "
            "stationary distribution; groups of N with threshold M (M = 0: M = N).",
            f"{BANKS}:L2454-2472; {MENASHE}:L482-488",
            {"Z": 30, "N": 2, "M": 0, **_BASE, "intensity": 0.5, "rule": "fermi", "mu": 0.0},
            _moran,
        ),
        Model(
            "credibility",
            "Sanction credibility: SPE of comply/violate then sanction/acquiesce with a "
            "geopolitical cost; commitment probability replaces the enforcer's choice.",
            f"{BARENBERG}:L225-231, L259, L588, L603; {LECLERCQ}:L84, L558",
            {
                "gain": 1.0,
                "sanction": 2.0,
                "enforcer_benefit": 1.0,
                "enforcer_cost": 0.2,
                "geopolitical_cost": 1.5,
                "acquiesce_cost": 0.0,
                "commitment": 0.0,
                "finding": 1.0,
            },
            _credibility,
        ),
        Model(
            "peru_pipeline",
            "Barenberg's Peru hypothetical: stage pass probabilities and delays give the "
            "expected discounted penalty under the existing agreement (50% fine cap) and "
            "under the reforms.",
            f"{BARENBERG}:L775-951, L1035",
            {
                "extension_days": 365.0,
                "theta": 1.0,
                "fine_cap": 0.5,
                "sector_weight": 1.0,
                "sanction_multiple": 2.0,
                "annual_discount_rate": 0.1,
                **_stages("existing"),
                **_stages("reformed"),
            },
            _pipeline,
        ),
        Model(
            "taking_steps",
            "GSP 'taking steps': real reform, cosmetic reform or nothing, under the "
            "steps rule and under an actual-compliance rule.",
            f"{BARENBERG}:L227, L231, L606, L613",
            {
                "cost_real": 3.0,
                "cost_cosmetic": 0.2,
                "sanction": 5.0,
                "review_probability": 1.0,
                "steps_credit": 1.0,
            },
            _taking_steps,
        ),
        Model(
            "facility_sanctions",
            "State-wide vs facility-specific sanctions (USMCA Rapid Response) and a safe "
            "harbour for compliant facilities; RRM remediation decision.",
            f"{LECLERCQ}:L340, L378, L732, L1012, L1068; {BARENBERG}:L385-395",
            {
                "value": 10.0,
                "cost": 3.0,
                "p1": 0.4,
                "p2": 0.5,
                "p_facility": 0.4,
                "kappa": 0.0,
                "remediation_cost": 5.0,
                "suspension_cost_per_month": 1.0,
                "months_to_resolution": 4.0,
                "finding_probability": 0.5,
                "further_penalty": 4.0,
            },
            _facility,
        ),
        Model(
            "repeated_play",
            "Grim trigger with imperfect monitoring: the critical discount factor.",
            f"{MENASHE}:L104; {BANKS}:L7479-7507",
            {"s": 3.0, "h": 1.0, "g": 3.0, "monitoring": 1.0, "delta": 0.9},
            _repeated,
        ),
        Model(
            "focal_point",
            "The ILO benchmark as a correlating device and the share of believers that "
            "tips compliance (homogeneous and Beta-distributed thresholds).",
            f"{MENASHE}:L62, L74, L104, L288, L488; {BANKS}:L2474-2481",
            {**_BASE, "concentration": 10.0},
            _focal,
        ),
        Model(
            "replicator_basins",
            "Compliance basin of one- and two-population replicator dynamics of the "
            "assurance game with a net adjustment delta.",
            f"{MENASHE}:L90-104 (note 14, L94); {BANKS}:L2465-2472",
            {**_BASE, "delta": 0.0, "n": 101},
            _basins,
        ),
        Model(
            "evolutionary_dynamics",
            "End state of two-population replicator, best-response and logit dynamics of "
            "the assurance game (net adjustment delta) from initial shares complying x0, y0.",
            f"{MENASHE}:L90-104 (note 14, L94), L488; {BANKS}:L2465-2472",
            {**_BASE, "delta": 0.0, "x0": 0.8, "y0": 0.8, "beta": 5.0, "t_max": 50.0},
            _dynamics,
        ),
        Model(
            "peer_contagion",
            "Banks' peer effects: states on a ring best-respond to their 2k neighbours; "
            "whether a club of seed_size compliers spreads to all n states (iff q* <= 1/2).",
            f"{BANKS}:L2465-2472",
            {**_BASE, "delta": 0.0, "n": 200, "k": 2, "seed_size": 5},
            _contagion,
        ),
    )
}

#: The catalogue of models, in the order they are defined above.
MODELS: Registry[Model] = Registry("model", _MODELS, error=InvalidGameError)
