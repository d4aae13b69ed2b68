"""Enforcement designs as games: stag hunts, payoff adjustments, equilibria and dynamics."""

from gametheory.explorer import Explorer, explore  # ipywidgets only when a widget is shown
from gametheory.games import (
    FAMILIES,
    EnforcementGame,
    Family,
    assurance,
    bimatrix,
    prisoners_dilemma,
    race_to_the_bottom,
    stag_hunt,
)
from gametheory.instruments import (
    INSTRUMENTS,
    CapacityBuilding,
    ConditionalBenefit,
    Fine,
    Instrument,
    Participation,
    Reputation,
    Sanction,
    TradeDiversion,
)
from gametheory.report import GameReport, game_report
from gametheory.selection import (
    basin_of_compliance,
    classify,
    mixed_threshold,
    payoff_dominant,
    phase,
    risk_dominant,
)
from gametheory.solve import Equilibria2x2, EquilibriumSet, equilibria, equilibria_2x2
from gametheory.sweep import phase_diagram
from gametheory.thresholds import Thresholds, compliance_thresholds, critical_value

__all__ = [
    "FAMILIES",
    "INSTRUMENTS",
    "CapacityBuilding",
    "ConditionalBenefit",
    "EnforcementGame",
    "Equilibria2x2",
    "EquilibriumSet",
    "Explorer",
    "Family",
    "Fine",
    "GameReport",
    "Instrument",
    "Participation",
    "Reputation",
    "Sanction",
    "Thresholds",
    "TradeDiversion",
    "assurance",
    "basin_of_compliance",
    "bimatrix",
    "classify",
    "compliance_thresholds",
    "critical_value",
    "equilibria",
    "equilibria_2x2",
    "explore",
    "game_report",
    "mixed_threshold",
    "payoff_dominant",
    "phase",
    "phase_diagram",
    "prisoners_dilemma",
    "race_to_the_bottom",
    "risk_dominant",
    "stag_hunt",
]

# Dynamics, N-state games, finite populations, sequential models and the catalogues.
from gametheory import designs, dynamics, focal, models, moran, nplayer, sequential
from gametheory.designs import DESIGNS, Design
from gametheory.models import MODELS, Model

__all__ += [
    "DESIGNS",
    "MODELS",
    "Design",
    "Model",
    "designs",
    "dynamics",
    "focal",
    "models",
    "moran",
    "nplayer",
    "sequential",
]
