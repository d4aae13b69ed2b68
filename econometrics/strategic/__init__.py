"""Game-theoretic models estimated from data: strategic choice models and logit QRE.

- :func:`fit_sequential` - the two-player, three-outcome strategic choice model
  (``egame12`` of Kenkel and Signorino's R package ``games``) with agent error
  (probit or logit) or private information (probit), by maximum likelihood;
- :func:`fit_qre` - the logit quantal response equilibrium of a bimatrix game, its
  principal branch and the precision ``lambda`` estimated from action counts.

The likelihoods and their scale conventions are set out in each module's docstring.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "fit_sequential": "econometrics.strategic.sequential",
    "simulate_sequential": "econometrics.strategic.sequential",
    "outcome_probabilities": "econometrics.strategic.sequential",
    "SequentialModel": "econometrics.strategic.sequential",
    "StrategicWarning": "econometrics.strategic.sequential",
    "ConvergenceWarning": "econometrics.strategic.sequential",
    "StrategicResults": "econometrics.strategic.results",
    "fit_qre": "econometrics.strategic.qre",
    "qre_branch": "econometrics.strategic.qre",
    "QREBranch": "econometrics.strategic.qre",
    "QREResults": "econometrics.strategic.qre",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'econometrics.strategic' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
