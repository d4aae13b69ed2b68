"""The catalogue of enforcement designs: named instrument bundles with citations.

Each :class:`Design` is a documented bundle of payoff-adjusting instruments
(:mod:`gametheory.instruments`) applied to the Banks-Hyde assurance game between two
states (:func:`gametheory.games.assurance`: ``S,S = s``; ``S,H = s - l``;
``H,S = h + g``; ``H,H = h``). Its parameters have defaults and ranges, and it cites
the seed lines it formalises. ``design.game(**params)`` builds the adjusted game;
:func:`compare` evaluates several designs side by side on one base game (equilibria,
class, risk dominance, the tipping belief ``q*``, the two-population replicator
basin of compliance, and each design's critical lever; classification and selection
come from :mod:`gametheory.selection`), optionally over a grid of
base-game parameters (share of the grid where compliance is an equilibrium, is
risk-dominant, is dominant; mean basin share).

**Default parameter values are illustrative, not estimates.** The seeds give no
payoff numbers (see ``docs/models_00X_*.md``); the defaults encode the qualitative
claims (ILO shaming is weak, Article 33 almost never used, GSP reviews are
discretionary, the Cambodia bonus was monitored by the ILO, ...) and the ranges are
for sweeps.

The CLI resolves designs by name through :data:`DESIGNS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from enforcement_lab.errors import InvalidGameError
from enforcement_lab.registries import Registry, coerce_params
from enforcement_lab.sources import BANKS, BARENBERG, LECLERCQ, MENASHE
from gametheory.games import FAMILIES, EnforcementGame
from gametheory.instruments import (
    CapacityBuilding,
    ConditionalBenefit,
    Fine,
    Instrument,
    Participation,
    Reputation,
    Sanction,
)
from gametheory.kernel2x2 import DESIGN_CLASSES, analyse_2x2

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from gametheory.report import GameReport

__all__ = ["BASE_DEFAULTS", "DESIGNS", "Design", "basin_curve", "classify_2x2", "compare", "get"]


#: Base game (Banks-Hyde assurance game) shared by every design.
BASE_DEFAULTS: dict[str, float] = {"s": 4.0, "h": 3.0, "l": 4.0, "g": 0.0}
BASE_RANGES: dict[str, tuple[float, float]] = {
    "s": (0.0, 8.0),
    "h": (0.0, 6.0),
    "l": (0.0, 8.0),
    "g": (0.0, 3.0),
}

Builder = Callable[[Mapping[str, float]], tuple[Instrument, ...]]


@dataclass(frozen=True)
class Design:
    """A named enforcement design.

    Attributes
    ----------
    name, description, citation : str
        ``citation`` gives seed ``file:lines``.
    builder : callable
        ``builder(params) -> tuple of instruments``.
    defaults : dict
        Every parameter (base game ``s, h, l, g`` and the design's own) with its default.
    ranges : dict
        Plausible range of each parameter, for sweeps.
    lever : str
        The design's main instrument parameter (its critical value is reported by
        :func:`compare`).
    """

    name: str
    description: str
    citation: str
    builder: Builder
    defaults: Mapping[str, float]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    lever: str = ""

    def params(self, **params: float) -> dict[str, float]:
        """Defaults overridden by ``params`` (finite numbers; numeric strings from the
        command line are read); an unknown name raises InvalidGameError
        (:func:`enforcement_lab.registries.coerce_params`)."""
        return coerce_params(f"design {self.name!r}", self.defaults, params)

    def __repr__(self) -> str:
        return f"Design({self.name!r}, lever={self.lever!r}, citation={self.citation!r})"

    def _repr_html_(self) -> str:
        from gametheory.display import design_html

        return design_html(self)

    def instruments(self, **params: float) -> tuple[Instrument, ...]:
        """The design's instruments at ``params``."""
        return tuple(self.builder(self.params(**params)))

    def base_game(self, **params: float) -> EnforcementGame:
        """The unadjusted assurance game at the base parameters in ``params``."""
        p = self.params(**params)
        return FAMILIES["assurance"].game(**{k: p[k] for k in BASE_DEFAULTS})

    def game(self, base: EnforcementGame | None = None, **params: float) -> EnforcementGame:
        """The design applied to ``base`` (default: the assurance game at ``params``).

        Examples
        --------
        >>> g = DESIGNS["ilo_supervision"].game()
        >>> g.A.round(3).tolist()
        [[4.2, 0.2], [2.67, 2.67]]
        """
        p = self.params(**params)
        game = self.base_game(**p) if base is None else base
        if not isinstance(game, EnforcementGame):
            raise InvalidGameError(f"base must be an EnforcementGame, got {type(game).__name__}")
        adjusted = game.adjust(*self.builder(p))
        return adjusted.replace(
            params={**adjusted.params, "design": self.name}, source=self.citation
        )

    def arrays(self, **params: Any) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised payoff stacks for array-valued parameters (broadcast together)."""
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            raise InvalidGameError(
                f"design {self.name!r} has no parameter {', '.join(map(repr, unknown))}"
            )
        p = {**self.defaults, **params}
        A, B = FAMILIES["assurance"].arrays(**{k: p[k] for k in BASE_DEFAULTS})
        for inst in self.builder(p):
            A, B = inst.transform(A, B)
        return A, B


# ----------------------------------------------------------------------------------------
# analysis helpers for 2x2 games (vectorised)
# ----------------------------------------------------------------------------------------


def classify_2x2(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Class of 2x2 games with comply = index 0, vectorised over leading axes.

    ``"harmony"`` (complying strictly dominant for both), ``"stag_hunt"`` ((C,C) and
    (D,D) both strict equilibria), ``"prisoners_dilemma"`` (defecting strictly dominant
    for both, (C,C) better for both than (D,D)), ``"deadlock"`` (defecting dominant,
    (D,D) not worse), ``"other"`` (anything else: asymmetric, chicken, ties).

    The paper notebooks use these names (:data:`gametheory.kernel2x2.DESIGN_CLASSES`,
    computed in the same pass of the 2x2 kernel as the finer classification
    :func:`gametheory.selection.classify` that :func:`compare` reports: coordination,
    chicken, matching pennies, degenerate).

    Examples
    --------
    >>> classify_2x2(np.array([[4.0, 0], [3, 3]]), np.array([[4.0, 3], [0, 3]])).item()
    'stag_hunt'
    """
    A = np.asarray(A, dtype=float)
    labels = np.asarray(DESIGN_CLASSES, dtype=object)
    return labels[analyse_2x2(A, B).design_class].reshape(A.shape[:-2])


def _cc_status(A: np.ndarray, B: np.ndarray) -> dict[str, np.ndarray]:
    """Where compliance is an equilibrium / risk-dominant (or unique) / dominant.

    From :func:`gametheory.selection.phase_2x2`, vectorised over stacks of games.
    """
    from gametheory.selection import phase_2x2

    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    lead = A.shape[:-2]
    code = phase_2x2(A.reshape(-1, 2, 2), B.reshape(-1, 2, 2)).reshape(lead)
    return {"cc_nash": code >= 1, "cc_risk_dominant": code >= 2, "dominant": code == 3}


def _critical(
    design: Design, lever: str, test: str, params: Mapping[str, float], base: Any
) -> float:
    """Smallest value of ``lever`` in its range at which ``test`` holds (bisection)."""
    if not lever:
        return float("nan")
    lo, hi = design.ranges.get(lever, (0.0, 10.0 * max(1.0, abs(design.defaults[lever]))))

    def holds(v: float) -> bool:
        g = design.game(base, **{**params, lever: v})
        return bool(_cc_status(g.A, g.B)[test])

    if holds(lo):
        return float(lo)
    if not holds(hi):
        return float("nan")
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return float(hi)


def _equilibria_text(report: GameReport) -> str:
    """Each equilibrium of the report as ``(P(row complies),P(column complies))``."""
    return " ".join(f"({np.round(x[0], 4):g},{np.round(y[0], 4):g})" for x, y in report.equilibria)


def get(name: str) -> Design:
    """The design called ``name``; unknown names raise InvalidGameError listing them."""
    return DESIGNS.get(name)


def compare(
    designs: Iterable[str | Design] | None = None,
    grid: Mapping[str, Sequence[float]] | None = None,
    base: EnforcementGame | Mapping[str, float] | None = None,
    *,
    basin_n: int = 61,
) -> pd.DataFrame:
    """Evaluate designs side by side on one base game (and optionally over a grid).

    Parameters
    ----------
    designs : iterable of names or Design, optional
        Default: every design in :data:`DESIGNS`.
    grid : mapping, optional
        Values of base-game parameters (``s``, ``h``, ``l``, ``g``); every design is
        evaluated on their Cartesian product and the shares of the grid where (C,C)
        is an equilibrium / risk-dominant / dominant and the mean basin share are
        reported.
    base : EnforcementGame or mapping, optional
        The base game (default: the assurance game at the design defaults), or base
        parameters.
    basin_n : int
        Grid of initial conditions per axis for the replicator basin.

    Returns
    -------
    pandas.DataFrame
        One row per design: ``n_equilibria``, ``equilibria`` (probability of comply for
        row and column in each, from :func:`gametheory.solve.equilibria`),
        ``degenerate``, ``class``, ``phase``, ``risk_dominant`` (from
        :mod:`gametheory.selection`), ``cc_nash``, ``cc_risk_dominant``,
        ``comply_dominant``, ``q_star_row``, ``q_star_col``, ``basin_share`` (two-population
        replicator, :func:`gametheory.dynamics.basins_2x2`), ``lever``, ``lever_value``,
        ``critical_nash``, ``critical_dominant``, ``critical_risk_dominant`` (smallest
        lever value in its range at which (C,C) is an equilibrium / compliance is
        dominant / (C,C) is risk-dominant or unique; nan if never); with ``grid`` also
        ``grid_cc_nash``, ``grid_cc_risk_dominant``, ``grid_dominant`` (shares of the
        grid: the size of each compliance region) and ``grid_basin_share``.

    Examples
    --------
    >>> df = compare(["ilo_supervision", "us_cambodia_textiles", "peru_fta_existing"],
    ...              basin_n=21)
    >>> df["cc_risk_dominant"].to_dict()
    {'ilo_supervision': False, 'us_cambodia_textiles': True, 'peru_fta_existing': False}
    >>> bool(np.isnan(df.loc["peru_fta_existing", "critical_dominant"]))  # the 50% cap
    True
    """
    import warnings

    import pandas as pd

    from gametheory.dynamics import basins_2x2
    from gametheory.report import game_report

    chosen = (
        list(DESIGNS.values())
        if designs is None
        else [d if isinstance(d, Design) else get(d) for d in designs]
    )
    base_game: EnforcementGame | None = None
    base_params: dict[str, float] = {}
    if isinstance(base, EnforcementGame):
        if base.shape != (2, 2):
            raise InvalidGameError("compare needs a 2x2 base game")
        base_game = base
    elif base is not None:
        unknown = sorted(set(base) - set(BASE_DEFAULTS))
        if unknown:
            raise InvalidGameError(
                f"unknown base parameter(s) {unknown}; base parameters are {list(BASE_DEFAULTS)}"
            )
        base_params = {k: float(v) for k, v in base.items()}
    if grid is not None:
        unknown = sorted(set(grid) - set(BASE_DEFAULTS))
        if unknown:
            raise InvalidGameError(
                f"grid parameters must be base-game parameters {list(BASE_DEFAULTS)}; got {unknown}"
            )
        if base_game is not None:
            raise InvalidGameError("a grid needs base parameters, not a base game")

    rows = []
    games = []
    for d in chosen:
        g = d.game(base_game, **base_params)
        games.append(g)
        st = _cc_status(g.A, g.B)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = game_report(g)
        rd = report.risk_dominant
        q_row, q_col = report.q_star or (float("nan"), float("nan"))
        row: dict[str, Any] = {
            "design": d.name,
            "n_equilibria": len(report.equilibria),
            "equilibria": _equilibria_text(report),
            "degenerate": bool(report.equilibria.degenerate),
            "class": report.classification,
            "phase": report.phase,
            "risk_dominant": "none" if rd is None else str(rd),
            "cc_nash": bool(st["cc_nash"]),
            "cc_risk_dominant": bool(st["cc_risk_dominant"]),
            "comply_dominant": bool(st["dominant"]),
            "q_star_row": q_row,
            "q_star_col": q_col,
            "lever": d.lever,
            "lever_value": float(d.defaults[d.lever]) if d.lever else float("nan"),
            "critical_nash": _critical(d, d.lever, "cc_nash", base_params, base_game),
            "critical_dominant": _critical(d, d.lever, "dominant", base_params, base_game),
            "critical_risk_dominant": _critical(
                d, d.lever, "cc_risk_dominant", base_params, base_game
            ),
        }
        rows.append(row)
    basins = basins_2x2(np.stack([g.A for g in games]), np.stack([g.B for g in games]), n=basin_n)
    for row, share in zip(rows, np.atleast_1d(basins.share(0)), strict=True):
        row["basin_share"] = float(share)

    if grid is not None:
        names = list(grid)
        mesh = np.meshgrid(*[np.asarray(grid[k], dtype=float) for k in names], indexing="ij")
        for d, row in zip(chosen, rows, strict=True):
            p = {**base_params, **{k: m.ravel() for k, m in zip(names, mesh, strict=True)}}
            A, B = d.arrays(**p)
            st = _cc_status(A, B)
            row["grid_cc_nash"] = float(np.mean(st["cc_nash"]))
            row["grid_cc_risk_dominant"] = float(np.mean(st["cc_risk_dominant"]))
            row["grid_dominant"] = float(np.mean(st["dominant"]))
            row["grid_basin_share"] = float(np.mean(basins_2x2(A, B, n=min(basin_n, 31)).share(0)))
    return pd.DataFrame(rows).set_index("design")


def basin_curve(
    design: str | Design,
    parameter: str,
    values: Sequence[float],
    *,
    n: int = 61,
    **params: float,
) -> np.ndarray:
    """Compliance basin share of the two-population replicator dynamics as ``parameter``
    of ``design`` varies (all values and all starting points integrated at once).

    Examples
    --------
    >>> curve = basin_curve("us_cambodia_textiles", "quota_bonus", [0.0, 1.0, 2.0, 4.0], n=41)
    >>> bool(np.all(np.diff(curve) > 0)), float(curve[-1])
    (True, 1.0)
    """
    from gametheory.dynamics import basins_2x2

    d = design if isinstance(design, Design) else get(design)
    d.params(**{**params, parameter: 0.0})  # names checked here
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise InvalidGameError(f"values of {parameter!r} must be a non-empty 1-d finite array")
    A, B = d.arrays(**{**params, parameter: v})
    A = np.broadcast_to(A, (v.size, 2, 2))
    B = np.broadcast_to(B, (v.size, 2, 2))
    return np.atleast_1d(np.asarray(basins_2x2(A, B, n=n).share(0), dtype=float))


# ----------------------------------------------------------------------------------------
# the catalogue
# ----------------------------------------------------------------------------------------


def _design(
    name: str,
    description: str,
    citation: str,
    builder: Builder,
    own: Mapping[str, tuple[float, tuple[float, float]]],
    lever: str,
) -> Design:
    defaults = {**BASE_DEFAULTS, **{k: v for k, (v, _) in own.items()}}
    ranges = {**BASE_RANGES, **{k: r for k, (_, r) in own.items()}}
    return Design(name, description, citation, builder, defaults, ranges, lever)


#: The catalogue of designs, in the order they are defined below.
DESIGNS: Registry[Design] = Registry("design", error=InvalidGameError)


def _register(d: Design) -> None:
    DESIGNS.register(d.name, d)


_register(
    _design(
        "ilo_supervision",
        "ILO supervision: periodic reporting, CEACR observations and CAS discussion (shaming), "
        "Article 26 complaints and Commissions of Inquiry, Article 33 measures (used three "
        "times), and technical assistance. Mostly a small reputational cost.",
        f"{MENASHE}:L122-150; {BANKS}:L3367-3542 (12% responsiveness), L2805-2822; "
        f"{BARENBERG}:L145-195 (Art. 26, L165; Myanmar, L161)",
        lambda p: (
            Reputation(cost=p["shaming_cost"]),
            Sanction(probability=p["article33_probability"], size=p["article33_size"]),
            CapacityBuilding(cost_reduction=p["technical_assistance"]),
        ),
        {
            "shaming_cost": (0.3, (0.0, 3.0)),
            "article33_probability": (0.01, (0.0, 0.2)),
            "article33_size": (3.0, (0.0, 10.0)),
            "technical_assistance": (0.2, (0.0, 2.0)),
        },
        lever="shaming_cost",
    )
)

_register(
    _design(
        "complaint_adjudication",
        "Adjudication and sanctions-based constitutionalism (NAALC / FTA model): a complaint "
        "is filed (alpha), a panel finds a violation (phi), the sender imposes the sanction "
        "(psi); expected sanction alpha*phi*psi*size, plus a small reputational cost.",
        f"{BANKS}:L931-949, L1027-1029, L5019-5033, L7178-7524; {BARENBERG}:L277-327; {MENASHE}:L434-474",
        lambda p: (
            Sanction(
                probability=p["filing"] * p["finding"] * p["imposition"], size=p["sanction_size"]
            ),
            Reputation(cost=p["judgment_reputation"]),
        ),
        {
            "filing": (0.3, (0.0, 1.0)),
            "finding": (0.5, (0.0, 1.0)),
            "imposition": (0.3, (0.0, 1.0)),
            "sanction_size": (4.0, (0.0, 40.0)),
            "judgment_reputation": (0.1, (0.0, 2.0)),
        },
        lever="sanction_size",
    )
)

_register(
    _design(
        "us_gsp_taking_steps",
        "US GSP worker-rights conditionality: preferences withdrawn from violators only if a "
        "petition is reviewed, the president does not decline for geopolitical reasons, and "
        "the state is not credited with 'taking steps' (a bill introduced suffices).",
        f"{BARENBERG}:L205-239 (L227, L231 Guatemala), L613; {BANKS}:L3900-4279 (15 of 32); {MENASHE}:L416",
        lambda p: (
            ConditionalBenefit(
                value=p["preference_value"],
                detection=p["review_probability"]
                * (1.0 - p["geopolitical_discount"])
                * (1.0 - p["steps_credit"]),
                error=0.0,
            ),
        ),
        {
            "preference_value": (3.0, (0.0, 10.0)),
            "review_probability": (0.5, (0.0, 1.0)),
            "geopolitical_discount": (0.3, (0.0, 1.0)),
            "steps_credit": (0.7, (0.0, 1.0)),
        },
        lever="preference_value",
    )
)

_register(
    _design(
        "us_cambodia_textiles",
        "US-Cambodia Textiles Agreement 1999-2004: an annual quota bonus conditional on "
        "ILO-monitored factory compliance (export permits only for monitored factories), "
        "naming of factories that fail re-inspection.",
        f"{BANKS}:L5090-5527 (L5139-5156 ratchet, L5194-5205 permits, L5214-5221 naming); "
        f"{BARENBERG}:L397-413; {LECLERCQ}:L988, L1000",
        lambda p: (
            ConditionalBenefit(
                value=p["quota_bonus"], detection=p["ilo_monitoring"], error=p["error"]
            ),
            Reputation(cost=p["naming_cost"]),
        ),
        {
            "quota_bonus": (2.0, (0.0, 10.0)),
            "ilo_monitoring": (0.9, (0.0, 1.0)),
            "error": (0.05, (0.0, 0.5)),
            "naming_cost": (0.3, (0.0, 2.0)),
        },
        lever="quota_bonus",
    )
)

_register(
    _design(
        "leveraged_deliberative_cooperation",
        "Banks' Leveraged Deliberative Cooperation: a benefit withdrawn only if best efforts "
        "cease, neutral third-party monitoring, tribunal review of withdrawals (low error), "
        "technical assistance.",
        f"{BANKS}:L1141-1197, L4915-5054, L7663-7812",
        lambda p: (
            ConditionalBenefit(
                value=p["benefit"], detection=p["third_party_monitoring"], error=p["tribunal_error"]
            ),
            CapacityBuilding(cost_reduction=p["technical_assistance"]),
        ),
        {
            "benefit": (1.5, (0.0, 10.0)),
            "third_party_monitoring": (0.9, (0.0, 1.0)),
            "tribunal_error": (0.02, (0.0, 0.5)),
            "technical_assistance": (0.5, (0.0, 2.0)),
        },
        lever="benefit",
    )
)

_register(
    _design(
        "barenberg_ideal",
        "Barenberg's ideal institutions: central commissions with worker representatives and "
        "jurists, continuous participatory monitoring, mandatory deterrent sanctions on "
        "governments, employers and buyers, graduated lifting only for actual compliance.",
        f"{BARENBERG}:L415-442 (13 features), L524-568, L603-613, L845-951",
        lambda p: (
            Sanction(probability=p["monitoring"] * p["finding"], size=p["sanction_size"]),
            CapacityBuilding(cost_reduction=p["capacity"]),
        ),
        {
            "monitoring": (0.9, (0.0, 1.0)),
            "finding": (0.8, (0.0, 1.0)),
            "sanction_size": (4.0, (0.0, 20.0)),
            "capacity": (0.3, (0.0, 2.0)),
        },
        lever="sanction_size",
    )
)

_register(
    _design(
        "barenberg_incremental",
        "Barenberg's incremental reforms of unilateral and FTA instruments: an independent "
        "commission with specific criteria, mandatory withdrawal without the 'taking steps' "
        "escape, court review; preferences remain the stake.",
        f"{BARENBERG}:L570-582, L584-647, L649-710",
        lambda p: (
            ConditionalBenefit(
                value=p["preference_value"],
                detection=p["commission_review"] * p["finding"],
                error=p["error"],
            ),
        ),
        {
            "preference_value": (3.0, (0.0, 10.0)),
            "commission_review": (0.8, (0.0, 1.0)),
            "finding": (0.7, (0.0, 1.0)),
            "error": (0.05, (0.0, 0.5)),
        },
        lever="preference_value",
    )
)

_register(
    _design(
        "peru_fta_existing",
        "The existing US-Peru FTA remedy: after a discretionary pipeline the violator may pay "
        "a fine of 50% of the benefits impaired instead of suffering sanctions.",
        f"{BARENBERG}:L779-843, L813, L933-941; endnote 56 at L1035",
        lambda p: (
            Fine(
                share=p["fine_share"],
                theta=p["theta"],
                pursuit=p["pursuit"],
                sector_weight=p["sector_weight"],
            ),
        ),
        {
            "fine_share": (0.5, (0.0, 1.0)),
            "theta": (1.0, (0.0, 1.0)),
            "pursuit": (0.05, (0.0, 1.0)),
            "sector_weight": (1.0, (0.0, 5.0)),
        },
        lever="pursuit",
    )
)

_register(
    _design(
        "leclercq_participatory",
        "LeClercq's worker-centred, participatory enforcement: consultative machinery before "
        "entry into force, public portals and hearings, national standards bounded below by "
        "the ILO; participation raises legitimacy and ownership and lowers reactance; "
        "sanctions stay in reserve.",
        f"{LECLERCQ}:L13, L136-162, L660-676, L742, L868-1094 (L958-1012)",
        lambda p: (
            Participation(
                legitimacy=p["legitimacy"], ownership=p["ownership"], resentment=p["resentment"]
            ),
            Sanction(probability=p["sanction_probability"], size=p["sanction_size"]),
        ),
        {
            "legitimacy": (0.7, (0.0, 1.0)),
            "ownership": (1.0, (0.0, 3.0)),
            "resentment": (0.5, (0.0, 3.0)),
            "sanction_probability": (0.2, (0.0, 1.0)),
            "sanction_size": (2.0, (0.0, 10.0)),
        },
        lever="legitimacy",
    )
)

_register(
    _design(
        "usmca_rapid_response",
        "USMCA Rapid Response Labor Mechanism: facility-specific suspension of customs "
        "liquidation on a 'good faith basis', fast and self-initiated, but one-way (low "
        "legitimacy, resentment).",
        f"{LECLERCQ}:L320-392, L340, L716, L732; {MENASHE}:L330, L344, L554",
        lambda p: (
            Sanction(probability=p["rrm_probability"], size=p["suspension_cost"]),
            Participation(legitimacy=p["legitimacy"], ownership=0.0, resentment=p["resentment"]),
        ),
        {
            "rrm_probability": (0.5, (0.0, 1.0)),
            "suspension_cost": (3.0, (0.0, 10.0)),
            "legitimacy": (0.2, (0.0, 1.0)),
            "resentment": (0.3, (0.0, 3.0)),
        },
        lever="rrm_probability",
    )
)
