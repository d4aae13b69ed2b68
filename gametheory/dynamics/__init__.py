"""Evolutionary dynamics of enforcement games, one module per dynamic.

Menashe reads the race to the bottom through evolutionary game theory: states comply
"when states assume that other countries will behave according to the same common
standards" (``000_cdb709224d31b41b.txt`` L90, note 14 at L94), and norm shifts follow
a "positive feedback loop between social and individual behaviors" (Young, L488).
Banks adds that cooperation spreads by "peer effects" and becomes "contagious"
(``001_0ff89a4813f73384.txt`` L2465-2472). Here that reading becomes dynamics on the
share of states (or of two populations: row and column states) that comply.

- :mod:`gametheory.dynamics.replicator`: replicator dynamics, their rest points and
  their basins of attraction (integrated and exact);
- :mod:`gametheory.dynamics.best_response`: best-response and logit mean dynamics;
- :mod:`gametheory.dynamics.contagion`: best-response play among neighbours on a ring.

Finite populations (Moran and pairwise-comparison processes) are in
:mod:`gametheory.moran`; the focal-point cascade of a population watching its own
share complying is in :mod:`gametheory.focal`. Every public name of the submodules is
importable from ``gametheory.dynamics``.

Strategy index 0 is *comply* (stag), index 1 is *defect* (hare), as in
:mod:`gametheory.instruments`.
"""

from gametheory.dynamics.best_response import best_response_dynamics, logit_dynamics
from gametheory.dynamics.contagion import local_contagion
from gametheory.dynamics.replicator import (
    BASIN_LABELS,
    BasinResult,
    SymmetricBasinShare,
    basin_share_curve,
    basins_2x2,
    basins_2x2_exact,
    integrate_replicator,
    label_endpoints,
    replicator_fixed_point_2x2,
    replicator_limits_2x2,
    replicator_one_population,
    replicator_two_population,
    symmetric_basin_share,
)

__all__ = [
    "BASIN_LABELS",
    "BasinResult",
    "SymmetricBasinShare",
    "basin_share_curve",
    "basins_2x2",
    "basins_2x2_exact",
    "best_response_dynamics",
    "integrate_replicator",
    "label_endpoints",
    "local_contagion",
    "logit_dynamics",
    "replicator_fixed_point_2x2",
    "replicator_limits_2x2",
    "replicator_one_population",
    "replicator_two_population",
    "symmetric_basin_share",
]
